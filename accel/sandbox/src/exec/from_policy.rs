//! `Isolation::from_policy`: the OS isolation that enforces a [`SandboxPolicy`].
//!
//! - Reads: the policy's read roots (`full`, `temp`), or, where the policy reads everywhere
//!   (`none`, `workspace`), the whole filesystem; writes: its write roots, or everywhere
//!   (`none`). The system directories are always readable. Every grant leaves the policy's
//!   blocked paths out (Landlock rules split around them).
//! - Network: `none` gives no sockets but AF_UNIX pairs and listeners, and no `connect`. `allowlist` cannot be enforced per host by
//!   the kernel (that needs a filtering proxy), so it fails closed like `none`; `full` is open.
//! - The working directory is the policy's.

use std::path::PathBuf;

use super::{Isolation, NetworkIsolation};
use crate::policy::{NetworkAccess, SandboxPolicy};

impl Isolation {
    pub fn from_policy(policy: &SandboxPolicy) -> Isolation {
        let everywhere = || vec![PathBuf::from("/")];
        let mut isolation = Isolation::strict(
            policy.read_roots().unwrap_or_else(everywhere),
            policy.write_roots().unwrap_or_else(everywhere),
        );
        isolation.deny_paths = policy.blocked_paths().map(PathBuf::from).collect();
        isolation.network = match policy.config().network_access {
            NetworkAccess::Full => NetworkIsolation::Full,
            NetworkAccess::None | NetworkAccess::Allowlist => NetworkIsolation::None,
        };
        isolation
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{FsIsolation, SandboxConfig};

    fn policy(fs_isolation: FsIsolation, network_access: NetworkAccess) -> SandboxPolicy {
        let root = std::env::temp_dir();
        SandboxPolicy::new(SandboxConfig {
            network_access,
            allowed_roots: vec![root],
            fs_isolation,
            ..SandboxConfig::default()
        })
        .expect("a valid policy")
    }

    #[test]
    fn modes_map_to_grants() {
        let full = Isolation::from_policy(&policy(FsIsolation::Full, NetworkAccess::None));
        let root = std::fs::canonicalize(std::env::temp_dir()).unwrap();
        assert_eq!(full.read_roots, vec![root.clone()]);
        assert_eq!(full.write_roots, vec![root.clone()]);
        assert_eq!(full.network, NetworkIsolation::None);
        assert!(full.deny_paths.contains(&PathBuf::from("/etc/shadow")));

        let workspace =
            Isolation::from_policy(&policy(FsIsolation::Workspace, NetworkAccess::Full));
        assert_eq!(workspace.read_roots, vec![PathBuf::from("/")]);
        assert_eq!(workspace.write_roots, vec![root]);
        assert_eq!(workspace.network, NetworkIsolation::Full);

        let allowlist =
            Isolation::from_policy(&policy(FsIsolation::None, NetworkAccess::Allowlist));
        assert_eq!(allowlist.write_roots, vec![PathBuf::from("/")]);
        assert_eq!(allowlist.network, NetworkIsolation::None);
    }
}
