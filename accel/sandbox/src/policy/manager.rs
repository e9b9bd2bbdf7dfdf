//! `SandboxManager`: file, network and command checks under a `ManagerPolicy` (the API.md preset
//! shape), each denial recorded as a violation. Rules: `oracle/CONTRACTS.md`, Sandbox.

use std::path::PathBuf;

use super::blocked::{process_home, BlockedPaths};
use super::command::CommandRules;
use super::config::PolicyError;
use super::resolve::{components_below, is_within, resolve, resolve_cached, LstatCache};
use super::url::parse_url;
use super::violations::{Violation, ViolationKind, ViolationLog};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum FilesystemMode {
    /// Reads inside the roots only; no writes.
    Strict,
    /// Reads and writes inside the roots.
    #[default]
    Workspace,
    /// Anywhere but the blocked paths.
    Permissive,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FilesystemPolicy {
    pub mode: FilesystemMode,
    pub allowed_paths: Vec<String>,
    pub blocked_paths: Vec<String>,
    pub allow_symlinks: bool,
    pub allow_hidden_files: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NetworkPolicy {
    pub enabled: bool,
    pub allowed_domains: Vec<String>,
    pub blocked_domains: Vec<String>,
    pub allow_localhost: bool,
    pub allow_https: bool,
    pub allow_http: bool,
}

pub type CommandPolicy = CommandRules;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Limits {
    /// Bytes.
    pub max_file_size: Option<u64>,
    /// Milliseconds.
    pub max_execution_time: Option<u64>,
    /// Bytes.
    pub max_memory: Option<u64>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ManagerPolicy {
    pub version: u32,
    pub name: String,
    pub filesystem: FilesystemPolicy,
    pub network: NetworkPolicy,
    pub commands: CommandPolicy,
    pub limits: Limits,
}

/// A check's answer: allowed, or why not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    pub allowed: bool,
    pub reason: Option<String>,
}

impl Check {
    fn from_result(result: Result<(), String>) -> Check {
        match result {
            Ok(()) => Check {
                allowed: true,
                reason: None,
            },
            Err(reason) => Check {
                allowed: false,
                reason: Some(reason),
            },
        }
    }
}

/// The operations `check_file_access` knows; the first three only read.
pub const FILE_OPERATIONS: [&str; 8] = [
    "read", "list", "execute", "write", "create", "delete", "rename", "move",
];

#[derive(Debug)]
pub struct SandboxManager {
    policy: ManagerPolicy,
    workspace_root: String,
    /// The workspace root, then the allowed paths, resolved.
    roots: Vec<String>,
    blocked: BlockedPaths,
    violations: ViolationLog,
}

impl SandboxManager {
    pub fn new(policy: ManagerPolicy, workspace_root: PathBuf) -> Result<Self, PolicyError> {
        Self::with_home_directory(policy, workspace_root, None)
    }

    /// As `new`, with `~` in blocked paths meaning `home` instead of `HOME`.
    pub fn with_home_directory(
        policy: ManagerPolicy,
        workspace_root: PathBuf,
        home: Option<PathBuf>,
    ) -> Result<Self, PolicyError> {
        let root_text = workspace_root
            .to_str()
            .ok_or_else(|| PolicyError("workspaceRoot is not valid UTF-8".to_owned()))?;
        if !root_text.starts_with('/') {
            return Err(PolicyError(format!(
                "workspaceRoot must be an absolute path: {root_text}"
            )));
        }
        let cache = &mut LstatCache::default();
        let mut resolve_field = |text: &str, base: &str, field: &str| {
            resolve_cached(text, Some(base), true, cache)
                .map(|resolved| resolved.path)
                .map_err(|err| PolicyError(format!("{field}: {}", err.reason())))
        };
        let root = resolve_field(root_text, root_text, "workspaceRoot")?;
        let mut roots = vec![root.clone()];
        for (index, path) in policy.filesystem.allowed_paths.iter().enumerate() {
            let field = format!("filesystem.allowedPaths[{index}]");
            roots.push(resolve_field(path, &root, &field)?);
        }
        let home = match home {
            Some(home) => Some(
                home.to_str()
                    .ok_or_else(|| PolicyError("homeDirectory is not valid UTF-8".to_owned()))?
                    .to_owned(),
            ),
            None => process_home(),
        };
        let blocked = BlockedPaths::new(
            &policy.filesystem.blocked_paths,
            "filesystem.blockedPaths",
            home.as_deref(),
            Some(&root),
            cache,
        )?;
        Ok(SandboxManager {
            policy,
            workspace_root: root,
            roots,
            blocked,
            violations: ViolationLog::default(),
        })
    }

    pub fn policy(&self) -> &ManagerPolicy {
        &self.policy
    }

    /// The resolved workspace root.
    pub fn workspace_root(&self) -> &str {
        &self.workspace_root
    }

    pub fn check_file_access(&self, path: &str, operation: &str) -> Check {
        let result = self.file_access(path, operation);
        self.answer(ViolationKind::File, path, result)
    }

    pub fn check_network_request(&self, url: &str, _method: &str) -> Check {
        let result = self.network_request(url);
        self.answer(ViolationKind::Network, url, result)
    }

    pub fn check_command(&self, command: &str) -> Check {
        let result = self.policy.commands.check(command);
        self.answer(ViolationKind::Command, command, result)
    }

    pub fn violations(&self) -> Vec<Violation> {
        self.violations.snapshot()
    }

    pub fn clear_violations(&self) {
        self.violations.clear();
    }

    fn answer(&self, kind: ViolationKind, target: &str, result: Result<(), String>) -> Check {
        if let Err(reason) = &result {
            self.violations.record(kind, target, reason);
        }
        Check::from_result(result)
    }

    fn file_access(&self, path: &str, operation: &str) -> Result<(), String> {
        let Some(index) = FILE_OPERATIONS.iter().position(|known| *known == operation) else {
            return Err(format!("unknown operation \"{operation}\""));
        };
        let mutates = index >= 3;
        let removes = index >= 5;
        let fs = &self.policy.filesystem;
        let resolved = resolve(path, Some(&self.workspace_root), !removes)
            .map_err(|err| err.reason().to_owned())?;
        if !fs.allow_symlinks && resolved.followed_symlink {
            return Err("symlinks are not allowed".to_owned());
        }
        let target = resolved.path;
        if let Some(reason) = self.blocked.check(&target, removes) {
            return Err(reason);
        }
        let containing_root = self.roots.iter().find(|root| is_within(&target, root));
        if !fs.allow_hidden_files {
            let base = containing_root.map_or("/", String::as_str);
            if components_below(&target, base).any(|part| part.starts_with('.')) {
                return Err("hidden files are not allowed".to_owned());
            }
        }
        match fs.mode {
            FilesystemMode::Permissive => Ok(()),
            _ if containing_root.is_none() => Err("outside the allowed paths".to_owned()),
            FilesystemMode::Strict if mutates => {
                Err("read-only filesystem (strict mode)".to_owned())
            }
            _ => Ok(()),
        }
    }

    fn network_request(&self, url: &str) -> Result<(), String> {
        let net = &self.policy.network;
        if !net.enabled {
            return Err("network access is disabled".to_owned());
        }
        let parsed = parse_url(url).map_err(|why| format!("invalid URL: {why}"))?;
        match parsed.scheme.as_str() {
            "http" | "ws" if !net.allow_http => return Err("http is not allowed".to_owned()),
            "https" | "wss" if !net.allow_https => return Err("https is not allowed".to_owned()),
            "http" | "ws" | "https" | "wss" => {}
            other => return Err(format!("unsupported scheme \"{other}\"")),
        }
        if parsed.host.is_localhost() {
            return if net.allow_localhost {
                Ok(())
            } else {
                Err("localhost is not allowed".to_owned())
            };
        }
        if let Some(entry) = net
            .blocked_domains
            .iter()
            .find(|entry| parsed.host.matches(entry))
        {
            return Err(format!("blocked domain ({entry})"));
        }
        if !net.allowed_domains.is_empty()
            && !net
                .allowed_domains
                .iter()
                .any(|entry| parsed.host.matches(entry))
        {
            return Err("domain not in the allowed list".to_owned());
        }
        Ok(())
    }
}
