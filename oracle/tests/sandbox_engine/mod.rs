//! The sandbox calls of `oracle/js/sandbox-ops.mjs`, run on `accel-sandbox`: JS-shaped configs
//! and policies in, JS-shaped answers out (what the binding will do, written out here so the
//! oracle does not depend on it).

use std::path::PathBuf;

use accel_sandbox::policy::{
    CommandMode, CommandRules, FilesystemMode, FilesystemPolicy, Limits, NetworkPolicy,
};
use accel_sandbox::{
    strict_policy, workspace_policy, Check, Decision, FsIsolation, Intent, ManagerPolicy,
    NetworkAccess, SandboxConfig, SandboxManager, SandboxPolicy,
};
use oracle::{JsError, JsValue, Outcome};

fn error(message: impl Into<String>) -> JsError {
    JsError::new("Error", message)
}

fn text(value: &JsValue, what: &str) -> Result<String, String> {
    value
        .as_text()
        .and_then(|text| text.to_string_checked())
        .ok_or_else(|| format!("{what}: expected a string, got {}", value.canonical_json()))
}

fn optional_text(value: Option<&JsValue>, what: &str) -> Result<Option<String>, String> {
    match value {
        None | Some(JsValue::Undefined) | Some(JsValue::Null) => Ok(None),
        Some(value) => text(value, what).map(Some),
    }
}

fn texts(value: Option<&JsValue>, what: &str) -> Result<Vec<String>, String> {
    match value {
        None | Some(JsValue::Undefined) | Some(JsValue::Null) => Ok(Vec::new()),
        Some(JsValue::Array(items)) => items.iter().map(|item| text(item, what)).collect(),
        Some(other) => Err(format!(
            "{what}: expected an array, got {}",
            other.canonical_json()
        )),
    }
}

fn flag(value: Option<&JsValue>) -> bool {
    matches!(value, Some(JsValue::Bool(true)))
}

fn number(value: Option<&JsValue>) -> Option<u64> {
    value.and_then(JsValue::as_u64)
}

pub fn config_from_js(value: &JsValue) -> Result<SandboxConfig, String> {
    let fs_isolation = match optional_text(value.get("fsIsolation"), "fsIsolation")?.as_deref() {
        None | Some("workspace") => FsIsolation::Workspace,
        Some("none") => FsIsolation::None,
        Some("temp") => FsIsolation::Temp,
        Some("full") => FsIsolation::Full,
        Some(other) => return Err(format!("fsIsolation {other:?}")),
    };
    let network_access =
        match optional_text(value.get("networkAccess"), "networkAccess")?.as_deref() {
            None | Some("none") => NetworkAccess::None,
            Some("allowlist") => NetworkAccess::Allowlist,
            Some("full") => NetworkAccess::Full,
            Some(other) => return Err(format!("networkAccess {other:?}")),
        };
    let path = |field: &str| optional_text(value.get(field), field).map(|p| p.map(PathBuf::from));
    Ok(SandboxConfig {
        network_access,
        allowed_hosts: texts(value.get("allowedHosts"), "allowedHosts")?,
        allowed_roots: texts(value.get("allowedRoots"), "allowedRoots")?
            .into_iter()
            .map(PathBuf::from)
            .collect(),
        fs_isolation,
        working_directory: path("workingDirectory")?,
        blocked_paths: texts(value.get("blockedPaths"), "blockedPaths")?,
        home_directory: path("homeDirectory")?,
        temp_directory: path("tempDirectory")?,
    })
}

pub fn policy_from_js(value: &JsValue) -> Result<ManagerPolicy, String> {
    let section = |name: &str| {
        value
            .get(name)
            .ok_or_else(|| format!("policy.{name} is missing"))
    };
    let (fs, net, cmd) = (
        section("filesystem")?,
        section("network")?,
        section("commands")?,
    );
    let limits = value.get("limits");
    Ok(ManagerPolicy {
        version: number(value.get("version")).unwrap_or(0) as u32,
        name: optional_text(value.get("name"), "name")?.unwrap_or_default(),
        filesystem: FilesystemPolicy {
            mode: match text(
                fs.get("mode").unwrap_or(&JsValue::Undefined),
                "filesystem.mode",
            )?
            .as_str()
            {
                "strict" => FilesystemMode::Strict,
                "workspace" => FilesystemMode::Workspace,
                "permissive" => FilesystemMode::Permissive,
                other => return Err(format!("filesystem.mode {other:?}")),
            },
            allowed_paths: texts(fs.get("allowedPaths"), "allowedPaths")?,
            blocked_paths: texts(fs.get("blockedPaths"), "blockedPaths")?,
            allow_symlinks: flag(fs.get("allowSymlinks")),
            allow_hidden_files: flag(fs.get("allowHiddenFiles")),
        },
        network: NetworkPolicy {
            enabled: flag(net.get("enabled")),
            allowed_domains: texts(net.get("allowedDomains"), "allowedDomains")?,
            blocked_domains: texts(net.get("blockedDomains"), "blockedDomains")?,
            allow_localhost: flag(net.get("allowLocalhost")),
            allow_https: flag(net.get("allowHttps")),
            allow_http: flag(net.get("allowHttp")),
        },
        commands: CommandRules {
            mode: match text(
                cmd.get("mode").unwrap_or(&JsValue::Undefined),
                "commands.mode",
            )?
            .as_str()
            {
                "whitelist" => CommandMode::Whitelist,
                "blacklist" => CommandMode::Blacklist,
                other => return Err(format!("commands.mode {other:?}")),
            },
            allowed_commands: texts(cmd.get("allowedCommands"), "allowedCommands")?,
            blocked_commands: texts(cmd.get("blockedCommands"), "blockedCommands")?,
            allow_sudo: flag(cmd.get("allowSudo")),
        },
        limits: Limits {
            max_file_size: number(limits.and_then(|l| l.get("maxFileSize"))),
            max_execution_time: number(limits.and_then(|l| l.get("maxExecutionTime"))),
            max_memory: number(limits.and_then(|l| l.get("maxMemory"))),
        },
    })
}

fn strings_js(items: &[String]) -> JsValue {
    JsValue::Array(items.iter().map(JsValue::string).collect())
}

/// A policy in the shape of the JS presets.
pub fn policy_to_js(policy: &ManagerPolicy) -> JsValue {
    let fs = &policy.filesystem;
    let net = &policy.network;
    let cmd = &policy.commands;
    let optional = |n: Option<u64>| n.map(JsValue::uint);
    let limits: Vec<(&str, JsValue)> = [
        ("maxFileSize", optional(policy.limits.max_file_size)),
        (
            "maxExecutionTime",
            optional(policy.limits.max_execution_time),
        ),
        ("maxMemory", optional(policy.limits.max_memory)),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| (k, v)))
    .collect();
    JsValue::object([
        ("version", JsValue::uint(u64::from(policy.version))),
        ("name", JsValue::string(policy.name.as_str())),
        (
            "filesystem",
            JsValue::object([
                (
                    "mode",
                    JsValue::string(match fs.mode {
                        FilesystemMode::Strict => "strict",
                        FilesystemMode::Workspace => "workspace",
                        FilesystemMode::Permissive => "permissive",
                    }),
                ),
                ("allowedPaths", strings_js(&fs.allowed_paths)),
                ("blockedPaths", strings_js(&fs.blocked_paths)),
                ("allowSymlinks", JsValue::Bool(fs.allow_symlinks)),
                ("allowHiddenFiles", JsValue::Bool(fs.allow_hidden_files)),
            ]),
        ),
        (
            "network",
            JsValue::object([
                ("enabled", JsValue::Bool(net.enabled)),
                ("allowedDomains", strings_js(&net.allowed_domains)),
                ("blockedDomains", strings_js(&net.blocked_domains)),
                ("allowLocalhost", JsValue::Bool(net.allow_localhost)),
                ("allowHttps", JsValue::Bool(net.allow_https)),
                ("allowHttp", JsValue::Bool(net.allow_http)),
            ]),
        ),
        (
            "commands",
            JsValue::object([
                (
                    "mode",
                    JsValue::string(match cmd.mode {
                        CommandMode::Whitelist => "whitelist",
                        CommandMode::Blacklist => "blacklist",
                    }),
                ),
                ("allowedCommands", strings_js(&cmd.allowed_commands)),
                ("blockedCommands", strings_js(&cmd.blocked_commands)),
                ("allowSudo", JsValue::Bool(cmd.allow_sudo)),
            ]),
        ),
        ("limits", JsValue::object(limits)),
    ])
}

pub fn presets() -> JsValue {
    JsValue::object([
        ("strict", policy_to_js(&strict_policy())),
        ("workspace", policy_to_js(&workspace_policy())),
    ])
}

fn decision_to_js(decision: &Decision) -> JsValue {
    let mut members = vec![("decision", JsValue::string(decision.decision.name()))];
    if let Some(reason) = &decision.reason {
        members.push(("reason", JsValue::string(reason.as_str())));
    }
    JsValue::object(members)
}

fn check_to_js(check: &Check) -> JsValue {
    let mut members = vec![("allowed", JsValue::Bool(check.allowed))];
    if let Some(reason) = &check.reason {
        members.push(("reason", JsValue::string(reason.as_str())));
    }
    JsValue::object(members)
}

fn manager(policy: &JsValue, root: &str, home: Option<String>) -> Result<SandboxManager, JsError> {
    let policy = policy_from_js(policy).map_err(error)?;
    SandboxManager::with_home_directory(policy, PathBuf::from(root), home.map(PathBuf::from))
        .map_err(|err| error(err.0))
}

/// Runs one call of sandbox-ops.mjs (configs and policies as objects) on the engine. `Err(String)`
/// when the arguments are malformed (a bug in the test, not a difference).
pub fn run(op: &str, args: &[JsValue]) -> Result<Outcome, String> {
    let arg = |i: usize| {
        args.get(i)
            .ok_or_else(|| format!("{op}: missing argument {i}"))
    };
    let string = |i: usize| arg(i).and_then(|v| text(v, op));
    Ok(match op {
        "presets" => Ok(presets()),
        "evaluate" => {
            let config = config_from_js(arg(0)?)?;
            let (path, intent) = (string(1)?, string(2)?);
            SandboxPolicy::new(config)
                .map_err(|err| error(err.0))
                .and_then(|policy| {
                    let intent = Intent::parse(&intent).map_err(|err| error(err.0))?;
                    Ok(decision_to_js(&policy.evaluate_file_action(&path, intent)))
                })
        }
        "checkFile" => {
            let (path, operation) = (string(3)?, string(4)?);
            manager(arg(0)?, &string(1)?, Some(string(2)?))
                .map(|m| check_to_js(&m.check_file_access(&path, &operation)))
        }
        "checkNetwork" => {
            let (url, method) = (string(1)?, string(2)?);
            manager(arg(0)?, "/", None)
                .map(|m| check_to_js(&m.check_network_request(&url, &method)))
        }
        "checkCommand" => {
            let command = string(1)?;
            manager(arg(0)?, "/", None).map(|m| check_to_js(&m.check_command(&command)))
        }
        other => return Err(format!("the engine has no sandbox op {other:?}")),
    })
}
