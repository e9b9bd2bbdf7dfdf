//! The isolation of one `NativeSandboxPolicy`, prepared once and shared by its `execute` calls:
//! building the layers (about 150 Landlock rules, the seccomp filter) costs about 1 ms, more than
//! spawning the command.
//!
//! Preparation is lazy (on the libuv pool, at the first `execute`) so `createSandbox` stays cheap
//! and a platform without isolation still fails at `execute`, as before. A failed preparation is
//! not kept: the next `execute` tries again.
//!
//! The Landlock rules hold the granted directories as they were when prepared. The engine reports
//! no error when a granted tree is later replaced (the command is simply denied inside the new
//! one), so there is nothing to re-prepare on: the isolation is fixed at the first `execute`, and
//! a new `createSandbox` picks up replaced directories.

use std::sync::{Arc, Mutex};

use accel_sandbox::exec::{ExecError, Isolation, PreparedIsolation};

pub struct SharedIsolation {
    isolation: Isolation,
    prepared: Mutex<Option<Arc<PreparedIsolation>>>,
}

impl SharedIsolation {
    pub fn new(isolation: Isolation) -> SharedIsolation {
        SharedIsolation {
            isolation,
            prepared: Mutex::new(None),
        }
    }

    /// What every request run through [`SharedIsolation::prepared`] must carry.
    pub fn isolation(&self) -> &Isolation {
        &self.isolation
    }

    /// The prepared isolation, built by the first caller; concurrent first callers wait for it
    /// rather than each building their own.
    pub fn prepared(&self) -> Result<Arc<PreparedIsolation>, ExecError> {
        // A panic while preparing leaves nothing behind, so a poisoned lock is still consistent.
        let mut slot = self.prepared.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(prepared) = slot.as_ref() {
            return Ok(Arc::clone(prepared));
        }
        let prepared = Arc::new(self.isolation.prepare()?);
        *slot = Some(Arc::clone(&prepared));
        Ok(prepared)
    }
}
