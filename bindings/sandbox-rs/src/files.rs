//! `read`, `write` and `list` of a `NativeSandboxPolicy`: the policy decides on the path as
//! given, then the file is opened relative to a handle on the allowed root (or temp directory)
//! that holds it, so a path swapped between the decision and the open cannot leave that root.
//! Paths outside every root fail even where the policy would allow them (workspace reads):
//! there is no directory handle to hold them beneath.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use accel_sandbox::audit::AuditDecision;

use accel_sandbox::fs::SafeRoot;
use accel_sandbox::policy::{FsIsolation, Intent, SandboxPolicy};
use napi::{Error, Result, Status};

use crate::audit::AUDIT;

pub(crate) fn read(policy: &SandboxPolicy, path: &str) -> Result<Vec<u8>> {
    let (root, relative) = beneath_a_root(policy, "read", path, Intent::Read)?;
    root.read(&relative).map_err(|e| failure("read", path, e))
}

pub(crate) fn write(policy: &SandboxPolicy, path: &str, data: &[u8]) -> Result<()> {
    let (root, relative) = beneath_a_root(policy, "write", path, Intent::Write)?;
    root.write(&relative, data)
        .map_err(|e| failure("write", path, e))
}

pub(crate) fn list(policy: &SandboxPolicy, path: &str) -> Result<Vec<String>> {
    let (root, relative) = beneath_a_root(policy, "list", path, Intent::Read)?;
    root.list(&relative).map_err(|e| failure("list", path, e))
}

/// The policy's verdict on `path`, then the root holding it (opened) and the path below it.
fn beneath_a_root(
    policy: &SandboxPolicy,
    operation: &str,
    path: &str,
    intent: Intent,
) -> Result<(SafeRoot, PathBuf)> {
    let decision = policy.evaluate_file_action(path, intent);
    if !decision.is_allowed() {
        let reason = format!(
            "{} ({})",
            decision.decision.name(),
            decision.reason.unwrap_or_default()
        );
        return Err(refused(operation, path, reason));
    }
    let absolute = absolute(policy, path);
    let (root, relative) = candidate_roots(policy)
        .into_iter()
        .filter_map(|root| {
            let relative = absolute.strip_prefix(&root).ok()?.to_path_buf();
            Some((root, relative))
        })
        .max_by_key(|(root, _)| root.as_os_str().len())
        .ok_or_else(|| {
            let reason =
                "not below an allowed root (file access goes through a root directory handle)";
            refused(operation, path, reason.to_owned())
        })?;
    let root = SafeRoot::open(&root)
        .map_err(|e| failure(operation, path, e))?
        .with_audit(Arc::clone(&AUDIT));
    Ok((root, relative))
}

/// Every directory a file operation may go through: the roots, and the temp directory in temp mode.
fn candidate_roots(policy: &SandboxPolicy) -> Vec<PathBuf> {
    let mut roots = policy.roots().to_vec();
    if policy.config().fs_isolation == FsIsolation::Temp {
        roots.push(policy.temp_directory().to_path_buf());
    }
    roots
}

/// `path` made absolute as the policy does (against the working directory, else the first root),
/// without resolving the path itself: that happens beneath the root handle. The working directory
/// is canonicalized as the policy's is, so that it lines up with the canonical roots.
fn absolute(policy: &SandboxPolicy, path: &str) -> PathBuf {
    let path = Path::new(path);
    if path.is_absolute() {
        return path.to_path_buf();
    }
    let base = match &policy.config().working_directory {
        Some(dir) => std::fs::canonicalize(dir).unwrap_or_else(|_| dir.clone()),
        None => policy.roots().first().cloned().unwrap_or_default(),
    };
    base.join(path)
}

/// A refusal before any file was opened: audited here (SafeRoot audits what it opens).
fn refused(operation: &str, path: &str, reason: String) -> Error {
    let message = format!("{operation}: {path}: {reason}");
    AUDIT.record(
        operation,
        path,
        AuditDecision::Deny,
        Some(reason),
        SystemTime::now(),
        Duration::ZERO,
    );
    Error::new(Status::GenericFailure, message)
}

fn failure(operation: &str, path: &str, error: impl std::fmt::Display) -> Error {
    Error::new(
        Status::GenericFailure,
        format!("{operation}: {path}: {error}"),
    )
}
