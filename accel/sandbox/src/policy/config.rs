//! The configuration of a [`super::SandboxPolicy`] and the values its decisions are made of.

use std::fmt;
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum NetworkAccess {
    #[default]
    None,
    Allowlist,
    Full,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum FsIsolation {
    None,
    #[default]
    Workspace,
    Temp,
    Full,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SandboxConfig {
    pub network_access: NetworkAccess,
    pub allowed_hosts: Vec<String>,
    pub allowed_roots: Vec<PathBuf>,
    pub fs_isolation: FsIsolation,
    pub working_directory: Option<PathBuf>,
    /// Added to the default blocked paths.
    pub blocked_paths: Vec<String>,
    /// What `~` means in blocked paths; `HOME` when absent.
    pub home_directory: Option<PathBuf>,
    /// The writable directory of `temp` mode; `TMPDIR`, else `/tmp`, when absent.
    pub temp_directory: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Intent {
    Read,
    Write,
    Create,
    Delete,
    Rename,
    Move,
}

impl Intent {
    pub const ALL: [Intent; 6] = [
        Intent::Read,
        Intent::Write,
        Intent::Create,
        Intent::Delete,
        Intent::Rename,
        Intent::Move,
    ];

    pub fn parse(name: &str) -> Result<Intent, PolicyError> {
        Intent::ALL
            .into_iter()
            .find(|intent| intent.name() == name)
            .ok_or_else(|| {
                PolicyError(format!(
                    "unknown intent \"{name}\"; expected read, write, create, delete, rename or move"
                ))
            })
    }

    pub fn name(self) -> &'static str {
        match self {
            Intent::Read => "read",
            Intent::Write => "write",
            Intent::Create => "create",
            Intent::Delete => "delete",
            Intent::Rename => "rename",
            Intent::Move => "move",
        }
    }

    /// Anything but reading.
    pub fn mutates(self) -> bool {
        self != Intent::Read
    }

    /// Acts on the directory entry itself (a symlink, not its target) and takes it away.
    pub fn removes(self) -> bool {
        matches!(self, Intent::Delete | Intent::Rename | Intent::Move)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Allow,
    Deny,
    NeedsConfirmation,
}

impl Verdict {
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Allow => "allow",
            Verdict::Deny => "deny",
            Verdict::NeedsConfirmation => "needs_confirmation",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    pub decision: Verdict,
    pub reason: Option<String>,
}

impl Decision {
    pub fn allow() -> Self {
        Decision {
            decision: Verdict::Allow,
            reason: None,
        }
    }

    pub fn deny(reason: impl Into<String>) -> Self {
        Decision {
            decision: Verdict::Deny,
            reason: Some(reason.into()),
        }
    }

    pub fn confirm(reason: impl Into<String>) -> Self {
        Decision {
            decision: Verdict::NeedsConfirmation,
            reason: Some(reason.into()),
        }
    }

    pub fn is_allowed(&self) -> bool {
        self.decision == Verdict::Allow
    }
}

/// A configuration that cannot make a policy; the message names the field at fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyError(pub String);

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PolicyError {}
