//! `SandboxPolicy`: a configuration with its roots, temp directory and blocked paths resolved
//! once, and `evaluate_file_action` over it (the rules are in `oracle/CONTRACTS.md`, Sandbox).

use std::path::{Path, PathBuf};

use super::blocked::{process_home, BlockedPaths};
use super::config::{Decision, FsIsolation, Intent, PolicyError, SandboxConfig};
use super::resolve::{is_within, resolve, resolve_cached, LstatCache};

const OUTSIDE_ROOTS: &str = "outside the allowed roots";
const OUTSIDE_TEMP: &str = "outside the temp directory";
const REMOVES_ROOT: &str = "removes an allowed root";

#[derive(Clone, Debug)]
pub struct SandboxPolicy {
    config: SandboxConfig,
    roots: Vec<PathBuf>,
    root_strings: Vec<String>,
    working_directory: Option<String>,
    temp_directory: String,
    blocked: BlockedPaths,
}

impl SandboxPolicy {
    pub fn new(config: SandboxConfig) -> Result<SandboxPolicy, PolicyError> {
        if cfg!(windows) {
            return Err(PolicyError(
                "sandbox policies are not supported on Windows: paths there need drive and UNC rules this engine does not have".to_owned(),
            ));
        }
        // Roots, temp directory and blocked paths share prefixes: each is lstat-ed once.
        let cache = &mut LstatCache::default();
        let working_directory = match &config.working_directory {
            Some(dir) => {
                let text = path_text(dir, "workingDirectory")?;
                if !text.starts_with('/') {
                    return Err(PolicyError(format!(
                        "workingDirectory must be an absolute path: {text}"
                    )));
                }
                Some(resolve_field(text, None, "workingDirectory", cache)?)
            }
            None => None,
        };
        let mut root_strings = Vec::with_capacity(config.allowed_roots.len().max(1));
        for (index, root) in config.allowed_roots.iter().enumerate() {
            let field = format!("allowedRoots[{index}]");
            let text = path_text(root, &field)?;
            if !text.starts_with('/') && working_directory.is_none() {
                return Err(PolicyError(format!(
                    "{field} is relative and there is no workingDirectory"
                )));
            }
            root_strings.push(resolve_field(
                text,
                working_directory.as_deref(),
                &field,
                cache,
            )?);
        }
        if root_strings.is_empty() {
            if let Some(dir) = &working_directory {
                root_strings.push(dir.clone());
            }
        }
        if root_strings.is_empty()
            && matches!(
                config.fs_isolation,
                FsIsolation::Workspace | FsIsolation::Full
            )
        {
            return Err(PolicyError(format!(
                "fsIsolation {} needs allowedRoots or a workingDirectory",
                fs_isolation_name(config.fs_isolation)
            )));
        }
        let temp_directory = match &config.temp_directory {
            Some(dir) => {
                let text = path_text(dir, "tempDirectory")?;
                resolve_field(text, working_directory.as_deref(), "tempDirectory", cache)?
            }
            None => resolve_field(&process_temp_dir(), None, "tempDirectory", cache)?,
        };
        let home = match &config.home_directory {
            Some(dir) => Some(path_text(dir, "homeDirectory")?.to_owned()),
            None => process_home(),
        };
        let base = working_directory
            .as_deref()
            .or(root_strings.first().map(String::as_str));
        let blocked = BlockedPaths::new(
            &config.blocked_paths,
            "blockedPaths",
            home.as_deref(),
            base,
            cache,
        )?;
        Ok(SandboxPolicy {
            roots: root_strings.iter().map(PathBuf::from).collect(),
            root_strings,
            working_directory,
            temp_directory,
            blocked,
            config,
        })
    }

    pub fn config(&self) -> &SandboxConfig {
        &self.config
    }

    /// The canonical allowed roots (the working directory when none were given).
    pub fn roots(&self) -> &[PathBuf] {
        &self.roots
    }

    /// The canonical temp directory (writable in `temp` mode).
    pub fn temp_directory(&self) -> &Path {
        Path::new(&self.temp_directory)
    }

    /// The resolved blocked paths (for enforcement layers that deny them too).
    pub fn blocked_paths(&self) -> impl Iterator<Item = &Path> {
        self.blocked
            .entries()
            .iter()
            .map(|entry| Path::new(&entry.resolved))
    }

    /// Where reads are allowed: `None` means everywhere (but the blocked paths).
    pub fn read_roots(&self) -> Option<Vec<PathBuf>> {
        match self.config.fs_isolation {
            FsIsolation::None | FsIsolation::Workspace => None,
            FsIsolation::Full => Some(self.roots.clone()),
            FsIsolation::Temp => {
                let mut roots = self.roots.clone();
                roots.push(PathBuf::from(&self.temp_directory));
                Some(roots)
            }
        }
    }

    /// Where writes are allowed without confirmation: `None` means everywhere.
    pub fn write_roots(&self) -> Option<Vec<PathBuf>> {
        match self.config.fs_isolation {
            FsIsolation::None => None,
            FsIsolation::Workspace | FsIsolation::Full => Some(self.roots.clone()),
            FsIsolation::Temp => Some(vec![PathBuf::from(&self.temp_directory)]),
        }
    }

    pub fn evaluate_file_action(&self, path: &str, intent: Intent) -> Decision {
        let base = self
            .working_directory
            .as_deref()
            .or(self.root_strings.first().map(String::as_str));
        let target = match resolve(path, base, !intent.removes()) {
            Ok(resolved) => resolved.path,
            Err(err) => return Decision::deny(err.reason()),
        };
        if let Some(reason) = self.blocked.check(&target, intent.removes()) {
            return Decision::deny(reason);
        }
        let in_roots = || {
            self.root_strings
                .iter()
                .any(|root| is_within(&target, root))
        };
        let removes_root = || intent.removes() && self.root_strings.contains(&target);
        match self.config.fs_isolation {
            FsIsolation::None => Decision::allow(),
            FsIsolation::Workspace | FsIsolation::Full if in_roots() => {
                if removes_root() {
                    Decision::confirm(REMOVES_ROOT)
                } else {
                    Decision::allow()
                }
            }
            FsIsolation::Workspace if !intent.mutates() => Decision::allow(),
            FsIsolation::Workspace => Decision::confirm(OUTSIDE_ROOTS),
            FsIsolation::Full => Decision::deny(OUTSIDE_ROOTS),
            FsIsolation::Temp => self.evaluate_temp(&target, intent, in_roots()),
        }
    }

    fn evaluate_temp(&self, target: &str, intent: Intent, in_roots: bool) -> Decision {
        let in_temp = is_within(target, &self.temp_directory);
        if !intent.mutates() {
            return if in_temp || in_roots {
                Decision::allow()
            } else {
                Decision::deny(OUTSIDE_ROOTS)
            };
        }
        if !in_temp {
            Decision::deny(OUTSIDE_TEMP)
        } else if intent.removes() && target == self.temp_directory {
            Decision::confirm(REMOVES_ROOT)
        } else {
            Decision::allow()
        }
    }
}

pub fn fs_isolation_name(mode: FsIsolation) -> &'static str {
    match mode {
        FsIsolation::None => "none",
        FsIsolation::Workspace => "workspace",
        FsIsolation::Temp => "temp",
        FsIsolation::Full => "full",
    }
}

fn path_text<'a>(path: &'a Path, field: &str) -> Result<&'a str, PolicyError> {
    path.to_str()
        .ok_or_else(|| PolicyError(format!("{field} is not valid UTF-8")))
}

fn resolve_field(
    text: &str,
    base: Option<&str>,
    field: &str,
    cache: &mut LstatCache,
) -> Result<String, PolicyError> {
    resolve_cached(text, base, true, cache)
        .map(|resolved| resolved.path)
        .map_err(|err| PolicyError(format!("{field}: {}", err.reason())))
}

/// `TMPDIR` when set and absolute, else `/tmp` (what Node's `os.tmpdir()` gives on Linux).
pub fn process_temp_dir() -> String {
    match std::env::var("TMPDIR") {
        Ok(dir) if dir.starts_with('/') => {
            let trimmed = dir.trim_end_matches('/');
            if trimmed.is_empty() {
                "/".to_owned()
            } else {
                trimmed.to_owned()
            }
        }
        _ => "/tmp".to_owned(),
    }
}
