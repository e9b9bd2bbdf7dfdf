//! The process-wide audit log: every command run and every file read, written or listed through
//! the native engine lands here; `auditLog()` / `clearAuditLog()` expose it to JS.

use std::sync::{Arc, LazyLock};

use accel_sandbox::audit::{AuditEntry, AuditLog};
use napi_derive::napi;

pub(crate) static AUDIT: LazyLock<Arc<AuditLog>> = LazyLock::new(|| Arc::new(AuditLog::new()));

#[napi(object)]
pub struct JsAuditEntry {
    pub operation: String,
    pub target: String,
    /// `allow`, `deny` or `error`.
    pub decision: String,
    pub reason: Option<String>,
    pub duration_us: f64,
    /// Milliseconds since the Unix epoch.
    pub at: f64,
}

impl From<AuditEntry> for JsAuditEntry {
    fn from(entry: AuditEntry) -> Self {
        JsAuditEntry {
            operation: entry.operation,
            target: entry.target,
            decision: entry.decision.as_str().to_owned(),
            reason: entry.reason,
            duration_us: entry.duration_us as f64,
            at: entry.at as f64,
        }
    }
}

/// The entries of the native audit log, oldest first.
#[napi(catch_unwind)]
pub fn audit_log() -> Vec<JsAuditEntry> {
    AUDIT
        .entries()
        .into_iter()
        .map(JsAuditEntry::from)
        .collect()
}

#[napi(catch_unwind)]
pub fn clear_audit_log() {
    AUDIT.clear();
}
