//! SKELETON: the sandbox engine lands here (see /work/notes/sandbox-common.md).

pub mod audit;
pub mod exec;
pub mod fs;
pub mod policy;
pub mod seatbelt;

pub use policy::{
    strict_policy, workspace_policy, Check, Decision, FsIsolation, Intent, ManagerPolicy,
    NetworkAccess, PolicyError, SandboxConfig, SandboxManager, SandboxPolicy, Verdict, Violation,
};
