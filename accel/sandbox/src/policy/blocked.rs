//! Blocked paths: the defaults every policy carries, plus the policy's own, resolved once.

use super::config::PolicyError;
use super::resolve::{is_within, resolve_cached, LstatCache};

/// Credentials and secrets no sandboxed action may touch, whatever the mode.
pub const DEFAULT_BLOCKED_PATHS: &[&str] = &[
    "~/.ssh",
    "~/.aws",
    "~/.gnupg",
    "~/.config/gcloud",
    "~/.azure",
    "~/.kube",
    "~/.docker",
    "~/.netrc",
    "~/.git-credentials",
    "~/.npmrc",
    "~/.pypirc",
    "~/.password-store",
    "~/.cargo/credentials.toml",
    "~/.config/gh",
    "/etc/shadow",
    "/etc/gshadow",
    "/etc/sudoers",
    "/etc/sudoers.d",
    "/etc/ssh",
];

/// One blocked entry: as written (for reasons) and resolved.
#[derive(Clone, Debug)]
pub struct BlockedPath {
    pub written: String,
    pub resolved: String,
}

#[derive(Clone, Debug, Default)]
pub struct BlockedPaths {
    entries: Vec<BlockedPath>,
}

impl BlockedPaths {
    /// The defaults then `extra` (`field` names it in errors); `~` is `home` (entries starting
    /// with `~` are skipped without one), relative entries are against `base`.
    pub fn new(
        extra: &[String],
        field: &str,
        home: Option<&str>,
        base: Option<&str>,
        cache: &mut LstatCache,
    ) -> Result<Self, PolicyError> {
        // `~` entries are walked on from the home directory resolved once: the walk is
        // sequential, so this is what resolving each `home/rest` from `/` gives.
        let home = home
            .filter(|home| home.starts_with('/'))
            .map(|home| resolve_cached(home, None, true, cache).map(|resolved| resolved.path));
        let mut entries = Vec::with_capacity(DEFAULT_BLOCKED_PATHS.len() + extra.len());
        let written = DEFAULT_BLOCKED_PATHS
            .iter()
            .map(|written| (*written, None))
            .chain(extra.iter().enumerate().map(|(i, w)| (w.as_str(), Some(i))));
        for (written, index) in written {
            let describe = || match index {
                None => format!("default blocked path {written}"),
                Some(index) => format!("{field}[{index}]"),
            };
            let resolved = match home_relative(written) {
                Some(rest) => match &home {
                    None => continue,
                    Some(Err(err)) => Err(err.clone()),
                    Some(Ok(home)) if rest.is_empty() => Ok(home.clone()),
                    Some(Ok(home)) => resolve_cached(rest, Some(home), true, cache).map(|r| r.path),
                },
                None => resolve_cached(written, base, true, cache).map(|r| r.path),
            };
            let resolved =
                resolved.map_err(|err| PolicyError(format!("{}: {}", describe(), err.reason())))?;
            entries.push(BlockedPath {
                written: written.to_owned(),
                resolved,
            });
        }
        Ok(BlockedPaths { entries })
    }

    /// The reason `target` is blocked, if it is.
    pub fn check(&self, target: &str, removes: bool) -> Option<String> {
        self.entries.iter().find_map(|entry| {
            if is_within(target, &entry.resolved) {
                Some(format!("blocked path ({})", entry.written))
            } else if removes && is_within(&entry.resolved, target) {
                Some(format!("contains a blocked path ({})", entry.written))
            } else {
                None
            }
        })
    }

    pub fn entries(&self) -> &[BlockedPath] {
        &self.entries
    }
}

/// What follows `~` in `~` or `~/rest` (without leading slashes); `None` for other entries.
fn home_relative(written: &str) -> Option<&str> {
    if written == "~" {
        Some("")
    } else {
        written
            .strip_prefix("~/")
            .map(|rest| rest.trim_start_matches('/'))
    }
}

/// `HOME` when it is set and absolute.
pub fn process_home() -> Option<String> {
    std::env::var("HOME")
        .ok()
        .filter(|home| home.starts_with('/'))
}
