//! The audit log: one entry per isolated operation (a command run, a file read/written/listed
//! through a [`crate::fs::SafeRoot`]), with what was done, the decision, why and how long it took.
//! Bounded: the oldest entries are dropped past [`AuditLog::capacity`], and the count of dropped
//! entries is kept so a reader knows the log is not complete.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How an audited operation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditDecision {
    /// The operation ran (a command ran to completion or was killed at its timeout).
    Allow,
    /// The sandbox refused it (a path outside the root, an isolation layer that could not apply).
    Deny,
    /// It was allowed but failed for another reason (a missing file, an I/O error).
    Error,
}

impl AuditDecision {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditDecision::Allow => "allow",
            AuditDecision::Deny => "deny",
            AuditDecision::Error => "error",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// `execute`, `read`, `write` or `list`.
    pub operation: String,
    /// The command line or the path, as the caller gave it.
    pub target: String,
    pub decision: AuditDecision,
    pub reason: Option<String>,
    pub duration_us: u64,
    /// When the operation started, in milliseconds since the Unix epoch.
    pub at: u64,
}

#[derive(Debug)]
pub struct AuditLog {
    capacity: usize,
    state: Mutex<AuditState>,
}

#[derive(Debug, Default)]
struct AuditState {
    entries: VecDeque<AuditEntry>,
    dropped: u64,
}

impl Default for AuditLog {
    fn default() -> Self {
        AuditLog::with_capacity(AuditLog::DEFAULT_CAPACITY)
    }
}

impl AuditLog {
    pub const DEFAULT_CAPACITY: usize = 10_000;

    pub fn new() -> AuditLog {
        AuditLog::default()
    }

    /// A log keeping at most `capacity` entries (at least one).
    pub fn with_capacity(capacity: usize) -> AuditLog {
        AuditLog {
            capacity: capacity.max(1),
            state: Mutex::new(AuditState::default()),
        }
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Appends an entry for an operation that started at `started` and took `duration`.
    pub fn record(
        &self,
        operation: &str,
        target: &str,
        decision: AuditDecision,
        reason: Option<String>,
        started: SystemTime,
        duration: Duration,
    ) {
        let entry = AuditEntry {
            operation: operation.to_owned(),
            target: target.to_owned(),
            decision,
            reason,
            duration_us: u64::try_from(duration.as_micros()).unwrap_or(u64::MAX),
            at: started
                .duration_since(UNIX_EPOCH)
                .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
                .unwrap_or(0),
        };
        let mut state = self.lock();
        if state.entries.len() == self.capacity {
            state.entries.pop_front();
            state.dropped += 1;
        }
        state.entries.push_back(entry);
    }

    /// The entries still held, oldest first.
    pub fn entries(&self) -> Vec<AuditEntry> {
        self.lock().entries.iter().cloned().collect()
    }

    /// How many entries were dropped to stay within the capacity.
    pub fn dropped(&self) -> u64 {
        self.lock().dropped
    }

    pub fn clear(&self) {
        let mut state = self.lock();
        state.entries.clear();
        state.dropped = 0;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, AuditState> {
        // A panic while holding the lock cannot leave the queue half-updated, so a poisoned
        // lock still holds a valid log.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn record(log: &AuditLog, target: &str) {
        log.record(
            "read",
            target,
            AuditDecision::Allow,
            None,
            SystemTime::now(),
            Duration::from_micros(7),
        );
    }

    #[test]
    fn entries_keep_what_was_recorded() {
        let log = AuditLog::new();
        let started = UNIX_EPOCH + Duration::from_millis(1_234);
        log.record(
            "write",
            "a/b",
            AuditDecision::Deny,
            Some("outside".into()),
            started,
            Duration::from_micros(42),
        );
        let entries = log.entries();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].operation, "write");
        assert_eq!(entries[0].target, "a/b");
        assert_eq!(entries[0].decision.as_str(), "deny");
        assert_eq!(entries[0].reason.as_deref(), Some("outside"));
        assert_eq!(entries[0].duration_us, 42);
        assert_eq!(entries[0].at, 1_234);
        log.clear();
        assert!(log.entries().is_empty());
    }

    proptest! {
        #[test]
        fn the_newest_entries_are_kept_within_capacity(capacity in 1usize..20, count in 0usize..60) {
            let log = AuditLog::with_capacity(capacity);
            for i in 0..count {
                record(&log, &i.to_string());
            }
            let kept: Vec<String> = log.entries().into_iter().map(|e| e.target).collect();
            let expected: Vec<String> =
                (count.saturating_sub(capacity)..count).map(|i| i.to_string()).collect();
            prop_assert_eq!(kept, expected);
            prop_assert_eq!(log.dropped(), count.saturating_sub(capacity) as u64);
        }
    }
}
