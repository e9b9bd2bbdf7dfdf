//! `SafeRoot`: read, write and list files relative to an open root directory handle, so that a
//! path cannot leave the root, not even when a component is swapped (a directory renamed, a
//! symlink planted) between a policy check and the use.
//!
//! On Linux each path is resolved by the kernel in one `openat2` call with `RESOLVE_BENEATH |
//! RESOLVE_NO_MAGICLINKS` (symlinks that stay beneath the root are followed; `..`, absolute
//! symlinks and `/proc/self/...` links that would leave it fail). Where `openat2` is missing
//! (Linux < 5.6, or filtered by a container), a component-by-component `openat` walk with
//! `O_NOFOLLOW` stands in: it follows no symlink at all and refuses every `..`.
//! Writes refuse files with more than one hard link: another name of the same file may lie
//! outside the root. Other platforms fail closed with [`FsError::Unsupported`].

use std::fmt;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::{Instant, SystemTime};

use crate::audit::{AuditDecision, AuditLog};

#[cfg(target_os = "linux")]
mod linux;

/// How paths are resolved beneath the root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolver {
    /// `openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS)`.
    Openat2,
    /// `openat(O_NOFOLLOW)` one component at a time; no symlinks, no `..`.
    Walk,
}

#[derive(Debug)]
pub enum FsError {
    /// The path is malformed (a NUL byte) or names the root where a file is needed.
    InvalidPath {
        path: String,
        reason: String,
    },
    /// The path would leave the root (`..`, a symlink or a magic link pointing outside).
    Escape {
        path: String,
        reason: String,
    },
    /// A write to a file that has other hard links, possibly outside the root.
    HardLinked {
        path: String,
        links: u64,
    },
    /// The file or directory does not exist.
    NotFound {
        path: String,
    },
    Io {
        path: String,
        source: std::io::Error,
    },
    Unsupported(&'static str),
}

impl FsError {
    /// Whether the sandbox refused the operation (as opposed to it failing).
    pub fn is_denial(&self) -> bool {
        matches!(
            self,
            FsError::Escape { .. } | FsError::HardLinked { .. } | FsError::Unsupported(_)
        )
    }
}

impl fmt::Display for FsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FsError::InvalidPath { path, reason } => write!(f, "invalid path {path:?}: {reason}"),
            FsError::Escape { path, reason } => {
                write!(f, "path {path:?} is denied: it leaves the sandbox root ({reason})")
            }
            FsError::HardLinked { path, links } => write!(
                f,
                "write to {path:?} is denied: the file has {links} hard links, one may lie outside the sandbox root"
            ),
            FsError::NotFound { path } => write!(f, "{path:?} does not exist in the sandbox root"),
            FsError::Io { path, source } => write!(f, "{path:?}: {source}"),
            FsError::Unsupported(what) => write!(f, "{what}"),
        }
    }
}

impl std::error::Error for FsError {}

/// A root directory, held open; every operation resolves beneath it.
#[derive(Debug)]
pub struct SafeRoot {
    root: PathBuf,
    #[cfg(target_os = "linux")]
    handle: linux::RootHandle,
    audit: Option<Arc<AuditLog>>,
}

impl SafeRoot {
    /// Opens `root` (which must be a directory), resolving with `openat2` when the kernel has it.
    pub fn open(root: impl AsRef<Path>) -> Result<SafeRoot, FsError> {
        SafeRoot::open_with(root, None)
    }

    /// Opens `root` with a given resolver (`Resolver::Walk` exercises the fallback).
    pub fn open_with(
        root: impl AsRef<Path>,
        resolver: Option<Resolver>,
    ) -> Result<SafeRoot, FsError> {
        let root = root.as_ref().to_path_buf();
        #[cfg(target_os = "linux")]
        {
            let handle = linux::RootHandle::open(&root, resolver)?;
            Ok(SafeRoot {
                root,
                handle,
                audit: None,
            })
        }
        #[cfg(not(target_os = "linux"))]
        {
            let _ = (root, resolver);
            Err(FsError::Unsupported(
                "SafeRoot is only implemented on Linux (openat2 RESOLVE_BENEATH); nothing is read or written unchecked",
            ))
        }
    }

    /// Appends every operation to `audit`.
    pub fn with_audit(mut self, audit: Arc<AuditLog>) -> SafeRoot {
        self.audit = Some(audit);
        self
    }

    /// The root as given to [`SafeRoot::open`].
    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn resolver(&self) -> Resolver {
        #[cfg(target_os = "linux")]
        return self.handle.resolver();
        #[cfg(not(target_os = "linux"))]
        return Resolver::Walk;
    }

    /// The file's bytes.
    pub fn read(&self, path: impl AsRef<Path>) -> Result<Vec<u8>, FsError> {
        self.audited("read", path.as_ref(), |relative| {
            #[cfg(target_os = "linux")]
            return self.handle.read(relative);
            #[cfg(not(target_os = "linux"))]
            return Err(FsError::Unsupported("SafeRoot is Linux-only"));
        })
    }

    /// Creates or replaces the file's contents. The parent directory must exist.
    pub fn write(&self, path: impl AsRef<Path>, data: &[u8]) -> Result<(), FsError> {
        self.audited("write", path.as_ref(), |relative| {
            #[cfg(target_os = "linux")]
            return self.handle.write(relative, data);
            #[cfg(not(target_os = "linux"))]
            return Err(FsError::Unsupported("SafeRoot is Linux-only"));
        })
    }

    /// The names in a directory (without `.` and `..`), sorted.
    pub fn list(&self, path: impl AsRef<Path>) -> Result<Vec<String>, FsError> {
        self.audited("list", path.as_ref(), |relative| {
            #[cfg(target_os = "linux")]
            return self.handle.list(relative);
            #[cfg(not(target_os = "linux"))]
            return Err(FsError::Unsupported("SafeRoot is Linux-only"));
        })
    }

    fn audited<T>(
        &self,
        operation: &str,
        path: &Path,
        run: impl FnOnce(&Path) -> Result<T, FsError>,
    ) -> Result<T, FsError> {
        let started = SystemTime::now();
        let clock = Instant::now();
        let outcome = relative_to_root(&self.root, path).and_then(|relative| run(&relative));
        if let Some(audit) = &self.audit {
            let (decision, reason) = match &outcome {
                Ok(_) => (AuditDecision::Allow, None),
                Err(e) if e.is_denial() => (AuditDecision::Deny, Some(e.to_string())),
                Err(e) => (AuditDecision::Error, Some(e.to_string())),
            };
            audit.record(
                operation,
                &path.to_string_lossy(),
                decision,
                reason,
                started,
                clock.elapsed(),
            );
        }
        outcome
    }
}

/// The path to resolve beneath the root: a relative path as given, or an absolute one with the
/// root's own prefix removed (compared component-wise, without touching the filesystem; the
/// kernel then decides what the rest resolves to).
pub fn relative_to_root(root: &Path, path: &Path) -> Result<PathBuf, FsError> {
    if path.is_relative() {
        return Ok(path.to_path_buf());
    }
    let root_components: Vec<Component<'_>> = root.components().collect();
    let mut components = path.components();
    for expected in &root_components {
        if components.next().as_ref() != Some(expected) {
            return Err(FsError::Escape {
                path: path.to_string_lossy().into_owned(),
                reason: format!("an absolute path not under {}", root.display()),
            });
        }
    }
    Ok(components.as_path().to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_paths_under_the_root_become_relative() {
        let root = Path::new("/work/space");
        assert_eq!(
            relative_to_root(root, Path::new("/work/space/a/b")).unwrap(),
            PathBuf::from("a/b")
        );
        assert_eq!(
            relative_to_root(root, Path::new("/work/space")).unwrap(),
            PathBuf::from("")
        );
        assert_eq!(
            relative_to_root(root, Path::new("a/../b")).unwrap(),
            PathBuf::from("a/../b")
        );
        assert!(matches!(
            relative_to_root(root, Path::new("/work/spaceship/a")),
            Err(FsError::Escape { .. })
        ));
        assert!(matches!(
            relative_to_root(root, Path::new("/etc/passwd")),
            Err(FsError::Escape { .. })
        ));
    }
}
