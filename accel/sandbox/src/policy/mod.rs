//! Policy decisions, no enforcement: where a path really leads and what a mode allows there
//! ([`SandboxPolicy`]), and the manager's file, network and command checks ([`SandboxManager`]).
//! Every decision and reason string is specified in `oracle/CONTRACTS.md` (Sandbox) and matched
//! exactly by the JS reference `@ku0/sandbox-rs/reference`.

mod blocked;
pub mod command;
mod config;
mod manager;
mod presets;
pub mod resolve;
mod sandbox;
pub mod url;
mod violations;

#[cfg(test)]
mod test_tree;
#[cfg(test)]
mod tests;

pub use blocked::DEFAULT_BLOCKED_PATHS;
pub use command::{CommandMode, CommandRules};
pub use config::{
    Decision, FsIsolation, Intent, NetworkAccess, PolicyError, SandboxConfig, Verdict,
};
pub use manager::{
    Check, CommandPolicy, FilesystemMode, FilesystemPolicy, Limits, ManagerPolicy, NetworkPolicy,
    SandboxManager, FILE_OPERATIONS,
};
pub use presets::{strict_policy, workspace_policy};
pub use sandbox::{fs_isolation_name, SandboxPolicy};
pub use violations::{Violation, ViolationKind};
