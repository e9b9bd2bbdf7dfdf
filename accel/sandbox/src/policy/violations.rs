//! The record of denied checks a `SandboxManager` keeps.

use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ViolationKind {
    File,
    Network,
    Command,
}

impl ViolationKind {
    pub fn name(self) -> &'static str {
        match self {
            ViolationKind::File => "file",
            ViolationKind::Network => "network",
            ViolationKind::Command => "command",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    pub kind: ViolationKind,
    /// The path, URL or command line that was denied.
    pub target: String,
    pub reason: String,
    /// Milliseconds since the Unix epoch.
    pub at: u64,
}

#[derive(Debug, Default)]
pub struct ViolationLog {
    entries: Mutex<Vec<Violation>>,
}

impl ViolationLog {
    pub fn record(&self, kind: ViolationKind, target: &str, reason: &str) {
        let at = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|elapsed| elapsed.as_millis() as u64)
            .unwrap_or(0);
        self.lock().push(Violation {
            kind,
            target: target.to_owned(),
            reason: reason.to_owned(),
            at,
        });
    }

    pub fn snapshot(&self) -> Vec<Violation> {
        self.lock().clone()
    }

    pub fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Violation>> {
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
