//! The sandbox config as `index.js` sends it (checked there: enum names, string lists) into the
//! engine's `SandboxConfig`.

use accel_sandbox::policy::{FsIsolation, NetworkAccess, SandboxConfig};
use napi::{Error, Result, Status};
use napi_derive::napi;

#[napi(object)]
pub struct JsSandboxConfig {
    pub network_access: String,
    pub allowed_hosts: Vec<String>,
    pub allowed_roots: Vec<String>,
    pub fs_isolation: String,
    pub working_directory: Option<String>,
    pub blocked_paths: Vec<String>,
    pub home_directory: Option<String>,
    pub temp_directory: Option<String>,
}

impl TryFrom<JsSandboxConfig> for SandboxConfig {
    type Error = Error;

    fn try_from(config: JsSandboxConfig) -> Result<SandboxConfig> {
        Ok(SandboxConfig {
            network_access: network_access(&config.network_access)?,
            allowed_hosts: config.allowed_hosts,
            allowed_roots: config.allowed_roots.into_iter().map(Into::into).collect(),
            fs_isolation: fs_isolation(&config.fs_isolation)?,
            working_directory: config.working_directory.map(Into::into),
            blocked_paths: config.blocked_paths,
            home_directory: config.home_directory.map(Into::into),
            temp_directory: config.temp_directory.map(Into::into),
        })
    }
}

fn network_access(name: &str) -> Result<NetworkAccess> {
    match name {
        "none" => Ok(NetworkAccess::None),
        "allowlist" => Ok(NetworkAccess::Allowlist),
        "full" => Ok(NetworkAccess::Full),
        other => Err(invalid("networkAccess", other)),
    }
}

fn fs_isolation(name: &str) -> Result<FsIsolation> {
    match name {
        "none" => Ok(FsIsolation::None),
        "workspace" => Ok(FsIsolation::Workspace),
        "temp" => Ok(FsIsolation::Temp),
        "full" => Ok(FsIsolation::Full),
        other => Err(invalid("fsIsolation", other)),
    }
}

fn invalid(field: &str, value: &str) -> Error {
    Error::new(
        Status::InvalidArg,
        format!("createSandbox: config.{field} has no value \"{value}\""),
    )
}
