//! The process-wide audit log: every command run and every file read, written or listed through
//! the native engine lands here; `auditLog()` / `clearAuditLog()` expose it to JS.

use std::sync::{Arc, LazyLock};
use std::time::{Duration, SystemTime};

use accel_sandbox::audit::{AuditDecision, AuditEntry, AuditLog};
use accel_sandbox::exec::{ExecError, ExecResult};
use napi_derive::napi;

pub(crate) static AUDIT: LazyLock<Arc<AuditLog>> = LazyLock::new(|| Arc::new(AuditLog::new()));

/// Records one `execute` with the decision and reason the engine's `execute_audited` gives (the
/// binding runs prepared isolations, which the engine does not audit itself).
pub(crate) fn record_execute(
    command_line: &str,
    outcome: &Result<ExecResult, ExecError>,
    started: SystemTime,
    duration: Duration,
) {
    let (decision, reason) = match outcome {
        Ok(result) => (
            AuditDecision::Allow,
            Some(describe_outcome(result)).filter(|s| !s.is_empty()),
        ),
        Err(e @ (ExecError::Isolation { .. } | ExecError::Unsupported(_))) => {
            (AuditDecision::Deny, Some(e.to_string()))
        }
        Err(e) => (AuditDecision::Error, Some(e.to_string())),
    };
    AUDIT.record("execute", command_line, decision, reason, started, duration);
}

fn describe_outcome(result: &ExecResult) -> String {
    let mut parts = Vec::new();
    if let Some(code) = result.exit_code {
        parts.push(format!("exit code {code}"));
    }
    if let Some(signal) = result.signal {
        parts.push(format!("killed by signal {signal}"));
    }
    if result.timed_out {
        parts.push("timed out".to_owned());
    }
    if result.truncated {
        parts.push("output truncated".to_owned());
    }
    parts.join(", ")
}

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
