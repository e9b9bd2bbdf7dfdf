//! The `NativeSandboxManager` class behind `index.js`'s `SandboxManager`, and the presets as JS
//! objects. The policy object's shape is checked in `index.js` (`lib/args.js`); here its enum
//! names become the engine's enums.

use accel_sandbox::policy::{
    strict_policy, workspace_policy, Check, CommandMode, CommandRules, FilesystemMode,
    FilesystemPolicy, Limits, ManagerPolicy, NetworkPolicy, SandboxManager, Violation,
};
use napi::{Error, Result, Status};
use napi_derive::napi;

#[napi(object)]
pub struct JsFilesystemPolicy {
    pub mode: String,
    pub allowed_paths: Vec<String>,
    pub blocked_paths: Vec<String>,
    pub allow_symlinks: bool,
    pub allow_hidden_files: bool,
}

#[napi(object)]
pub struct JsNetworkPolicy {
    pub enabled: bool,
    pub allowed_domains: Option<Vec<String>>,
    pub blocked_domains: Option<Vec<String>>,
    pub allow_localhost: bool,
    pub allow_https: bool,
    pub allow_http: bool,
}

#[napi(object)]
pub struct JsCommandPolicy {
    pub mode: String,
    pub allowed_commands: Option<Vec<String>>,
    pub blocked_commands: Option<Vec<String>>,
    pub allow_sudo: bool,
}

#[napi(object)]
pub struct JsLimits {
    pub max_file_size: Option<f64>,
    pub max_execution_time: Option<f64>,
    pub max_memory: Option<f64>,
}

#[napi(object)]
pub struct JsManagerPolicy {
    pub version: u32,
    pub name: String,
    pub filesystem: JsFilesystemPolicy,
    pub network: JsNetworkPolicy,
    pub commands: JsCommandPolicy,
    pub limits: JsLimits,
}

#[napi(object)]
pub struct JsCheck {
    pub allowed: bool,
    pub reason: Option<String>,
}

#[napi(object)]
pub struct JsViolation {
    /// `file`, `network` or `command`.
    pub kind: String,
    pub target: String,
    pub reason: String,
    /// Milliseconds since the Unix epoch.
    pub at: f64,
}

#[napi]
pub struct NativeSandboxManager {
    manager: SandboxManager,
}

#[napi]
impl NativeSandboxManager {
    #[napi(constructor, catch_unwind)]
    pub fn new(policy: JsManagerPolicy, workspace_root: String) -> Result<Self> {
        let policy = ManagerPolicy::try_from(policy)?;
        let manager = SandboxManager::new(policy, workspace_root.into())
            .map_err(|e| Error::new(Status::InvalidArg, format!("SandboxManager: {e}")))?;
        Ok(NativeSandboxManager { manager })
    }

    #[napi(catch_unwind)]
    pub fn check_file_access(&self, path: String, operation: String) -> JsCheck {
        self.manager.check_file_access(&path, &operation).into()
    }

    #[napi(catch_unwind)]
    pub fn check_network_request(&self, url: String, method: String) -> JsCheck {
        self.manager.check_network_request(&url, &method).into()
    }

    #[napi(catch_unwind)]
    pub fn check_command(&self, command: String) -> JsCheck {
        self.manager.check_command(&command).into()
    }

    #[napi(catch_unwind)]
    pub fn get_violations(&self) -> Vec<JsViolation> {
        self.manager
            .violations()
            .into_iter()
            .map(Into::into)
            .collect()
    }

    #[napi(catch_unwind)]
    pub fn clear_violations(&self) {
        self.manager.clear_violations();
    }
}

/// The engine's STRICT_POLICY, for comparing with the JS presets.
#[napi(catch_unwind)]
pub fn strict_policy_preset() -> JsManagerPolicy {
    strict_policy().into()
}

/// The engine's WORKSPACE_POLICY, for comparing with the JS presets.
#[napi(catch_unwind)]
pub fn workspace_policy_preset() -> JsManagerPolicy {
    workspace_policy().into()
}

impl From<Check> for JsCheck {
    fn from(check: Check) -> Self {
        JsCheck {
            allowed: check.allowed,
            reason: check.reason,
        }
    }
}

impl From<Violation> for JsViolation {
    fn from(violation: Violation) -> Self {
        JsViolation {
            kind: violation.kind.name().to_owned(),
            target: violation.target,
            reason: violation.reason,
            at: violation.at as f64,
        }
    }
}

impl TryFrom<JsManagerPolicy> for ManagerPolicy {
    type Error = Error;

    fn try_from(policy: JsManagerPolicy) -> Result<ManagerPolicy> {
        let filesystem = policy.filesystem;
        let network = policy.network;
        let commands = policy.commands;
        Ok(ManagerPolicy {
            version: policy.version,
            name: policy.name,
            filesystem: FilesystemPolicy {
                mode: filesystem_mode(&filesystem.mode)?,
                allowed_paths: filesystem.allowed_paths,
                blocked_paths: filesystem.blocked_paths,
                allow_symlinks: filesystem.allow_symlinks,
                allow_hidden_files: filesystem.allow_hidden_files,
            },
            network: NetworkPolicy {
                enabled: network.enabled,
                allowed_domains: network.allowed_domains.unwrap_or_default(),
                blocked_domains: network.blocked_domains.unwrap_or_default(),
                allow_localhost: network.allow_localhost,
                allow_https: network.allow_https,
                allow_http: network.allow_http,
            },
            commands: CommandRules {
                mode: command_mode(&commands.mode)?,
                allowed_commands: commands.allowed_commands.unwrap_or_default(),
                blocked_commands: commands.blocked_commands.unwrap_or_default(),
                allow_sudo: commands.allow_sudo,
            },
            limits: Limits {
                max_file_size: policy.limits.max_file_size.map(|n| n as u64),
                max_execution_time: policy.limits.max_execution_time.map(|n| n as u64),
                max_memory: policy.limits.max_memory.map(|n| n as u64),
            },
        })
    }
}

impl From<ManagerPolicy> for JsManagerPolicy {
    fn from(policy: ManagerPolicy) -> Self {
        let filesystem = policy.filesystem;
        let network = policy.network;
        let commands = policy.commands;
        JsManagerPolicy {
            version: policy.version,
            name: policy.name,
            filesystem: JsFilesystemPolicy {
                mode: filesystem_mode_name(filesystem.mode).to_owned(),
                allowed_paths: filesystem.allowed_paths,
                blocked_paths: filesystem.blocked_paths,
                allow_symlinks: filesystem.allow_symlinks,
                allow_hidden_files: filesystem.allow_hidden_files,
            },
            network: JsNetworkPolicy {
                enabled: network.enabled,
                allowed_domains: Some(network.allowed_domains),
                blocked_domains: Some(network.blocked_domains),
                allow_localhost: network.allow_localhost,
                allow_https: network.allow_https,
                allow_http: network.allow_http,
            },
            commands: JsCommandPolicy {
                mode: command_mode_name(commands.mode).to_owned(),
                allowed_commands: Some(commands.allowed_commands),
                blocked_commands: Some(commands.blocked_commands),
                allow_sudo: commands.allow_sudo,
            },
            limits: JsLimits {
                max_file_size: policy.limits.max_file_size.map(|n| n as f64),
                max_execution_time: policy.limits.max_execution_time.map(|n| n as f64),
                max_memory: policy.limits.max_memory.map(|n| n as f64),
            },
        }
    }
}

fn filesystem_mode(name: &str) -> Result<FilesystemMode> {
    match name {
        "strict" => Ok(FilesystemMode::Strict),
        "workspace" => Ok(FilesystemMode::Workspace),
        "permissive" => Ok(FilesystemMode::Permissive),
        other => Err(invalid("filesystem.mode", other)),
    }
}

fn filesystem_mode_name(mode: FilesystemMode) -> &'static str {
    match mode {
        FilesystemMode::Strict => "strict",
        FilesystemMode::Workspace => "workspace",
        FilesystemMode::Permissive => "permissive",
    }
}

fn command_mode(name: &str) -> Result<CommandMode> {
    match name {
        "whitelist" => Ok(CommandMode::Whitelist),
        "blacklist" => Ok(CommandMode::Blacklist),
        other => Err(invalid("commands.mode", other)),
    }
}

fn command_mode_name(mode: CommandMode) -> &'static str {
    match mode {
        CommandMode::Whitelist => "whitelist",
        CommandMode::Blacklist => "blacklist",
    }
}

fn invalid(field: &str, value: &str) -> Error {
    Error::new(
        Status::InvalidArg,
        format!("SandboxManager: policy.{field} has no value \"{value}\""),
    )
}
