//! Path resolution as the kernel walks a path: `.` skipped, `..` taken physically on the
//! canonical prefix, symlinks of the existing prefix replaced by their targets, the missing tail
//! kept lexically. Paths are `String`s so that the JS reference can do exactly the same.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fs;

/// The kernel's own limit on links followed in one lookup (`ELOOP`).
const MAX_SYMLINKS: usize = 40;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathError {
    Empty,
    Nul,
    RelativeWithoutBase,
    ProcessPath,
    SymlinkLoop,
    NonUtf8Target,
}

impl PathError {
    pub fn reason(&self) -> &'static str {
        match self {
            PathError::Empty => "invalid path: empty",
            PathError::Nul => "invalid path: contains a NUL byte",
            PathError::RelativeWithoutBase => "relative path and no working directory",
            PathError::ProcessPath => "process paths under /proc are denied",
            PathError::SymlinkLoop => "too many levels of symbolic links",
            PathError::NonUtf8Target => "invalid path: a symlink target is not UTF-8",
        }
    }
}

/// A resolved absolute path, and whether a symlink was followed on the way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    pub path: String,
    pub followed_symlink: bool,
}

/// What `lstat` said about one resolved prefix.
#[derive(Clone, Debug)]
enum Entry {
    Missing,
    Other,
    Symlink(Option<String>),
}

/// `lstat`/`readlink` answers remembered for the duration of one policy construction, where
/// the roots, the temp directory and the blocked paths share most of their prefixes. Decisions
/// never use one: each walks the file system as it is.
#[derive(Debug, Default)]
pub struct LstatCache {
    entries: HashMap<String, Entry>,
}

impl LstatCache {
    fn lookup(&mut self, path: &str) -> Result<Entry, PathError> {
        if let Some(entry) = self.entries.get(path) {
            return Ok(entry.clone());
        }
        let entry = lstat(path)?;
        self.entries.insert(path.to_owned(), entry.clone());
        Ok(entry)
    }
}

fn lstat(path: &str) -> Result<Entry, PathError> {
    Ok(match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => Entry::Symlink(read_link_utf8(path)?),
        Ok(_) => Entry::Other,
        Err(_) => Entry::Missing,
    })
}

/// Resolves `path` against `base` (an already resolved absolute directory). With
/// `follow_final` false, a symlink in the last position is kept as is (delete, rename, move).
pub fn resolve(path: &str, base: Option<&str>, follow_final: bool) -> Result<Resolved, PathError> {
    walk(path, base, follow_final, None)
}

/// As [`resolve`], remembering what each `lstat` said in `cache`.
pub fn resolve_cached(
    path: &str,
    base: Option<&str>,
    follow_final: bool,
    cache: &mut LstatCache,
) -> Result<Resolved, PathError> {
    walk(path, base, follow_final, Some(cache))
}

fn walk(
    path: &str,
    base: Option<&str>,
    follow_final: bool,
    mut cache: Option<&mut LstatCache>,
) -> Result<Resolved, PathError> {
    if path.is_empty() {
        return Err(PathError::Empty);
    }
    if path.contains('\0') {
        return Err(PathError::Nul);
    }
    // What is still to walk, the next text last: the path, the base before it when the path is
    // relative, and each symlink's target before the rest of the text that led to it.
    let mut pending: Vec<Pending<'_>> = Vec::with_capacity(4);
    pending.push(Pending::new(Cow::Borrowed(path)));
    if !path.starts_with('/') {
        let base = base.ok_or(PathError::RelativeWithoutBase)?;
        pending.push(Pending::new(Cow::Borrowed(base)));
    }
    // The canonical prefix so far: "" for the root, else "/a/b".
    let mut resolved = String::with_capacity(path.len() + base.map_or(0, str::len) + 1);
    let mut exists = true;
    let mut links = 0usize;
    let mut followed_symlink = false;
    while let Some(next) = pending.last_mut() {
        let Some(component) = next.next_component() else {
            pending.pop();
            continue;
        };
        match component {
            "." => continue,
            ".." => {
                pop_component(&mut resolved);
                continue;
            }
            _ => {
                resolved.push('/');
                resolved.push_str(component);
            }
        }
        if is_process_path(&resolved) {
            return Err(PathError::ProcessPath);
        }
        if !exists || (!follow_final && pending.iter().all(Pending::is_done)) {
            continue;
        }
        let entry = match cache.as_deref_mut() {
            Some(cache) => cache.lookup(&resolved)?,
            None => lstat(&resolved)?,
        };
        match entry {
            Entry::Other => {}
            Entry::Missing | Entry::Symlink(None) => exists = false,
            Entry::Symlink(Some(target)) => {
                links += 1;
                if links > MAX_SYMLINKS {
                    return Err(PathError::SymlinkLoop);
                }
                followed_symlink = true;
                pop_component(&mut resolved);
                if target.starts_with('/') {
                    resolved.clear();
                }
                pending.push(Pending::new(Cow::Owned(target)));
            }
        }
    }
    if resolved.is_empty() {
        resolved.push('/');
    }
    Ok(Resolved {
        path: resolved,
        followed_symlink,
    })
}

/// A path text being walked, component by component.
struct Pending<'a> {
    text: Cow<'a, str>,
    at: usize,
}

impl<'a> Pending<'a> {
    fn new(text: Cow<'a, str>) -> Self {
        Pending { text, at: 0 }
    }

    /// The next non-empty component, if any.
    fn next_component(&mut self) -> Option<&str> {
        let rest = &self.text[self.at..];
        let start = rest.len() - rest.trim_start_matches('/').len();
        let rest = &rest[start..];
        if rest.is_empty() {
            self.at = self.text.len();
            return None;
        }
        let len = rest.find('/').unwrap_or(rest.len());
        let from = self.at + start;
        self.at = from + len;
        Some(&self.text[from..from + len])
    }

    fn is_done(&self) -> bool {
        self.text[self.at..].bytes().all(|b| b == b'/')
    }
}

/// Drops the last component of a canonical prefix ("" for the root stays "").
fn pop_component(resolved: &mut String) {
    let cut = resolved.rfind('/').unwrap_or(0);
    resolved.truncate(cut);
}

/// The link's target; `None` when it cannot be read (it raced away after `lstat`): the walk
/// then treats it as missing.
fn read_link_utf8(path: &str) -> Result<Option<String>, PathError> {
    match fs::read_link(path) {
        Ok(target) => target
            .to_str()
            .map(|target| Some(target.to_owned()))
            .ok_or(PathError::NonUtf8Target),
        Err(_) => Ok(None),
    }
}

/// `/proc/self`, `/proc/thread-self`, `/proc/<pid>` and anything below them.
fn is_process_path(resolved: &str) -> bool {
    let Some(rest) = resolved.strip_prefix("/proc/") else {
        return false;
    };
    let process = rest.split('/').next().unwrap_or("");
    process == "self"
        || process == "thread-self"
        || (!process.is_empty() && process.bytes().all(|b| b.is_ascii_digit()))
}

/// `path` equals `root` or lies below it (both resolved).
pub fn is_within(path: &str, root: &str) -> bool {
    if root == "/" {
        return true;
    }
    path.strip_prefix(root)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// The components of `path` below `root` (which must contain it).
pub fn components_below<'a>(path: &'a str, root: &str) -> impl Iterator<Item = &'a str> {
    let rest = if root == "/" {
        path
    } else {
        &path[root.len().min(path.len())..]
    };
    rest.split('/').filter(|part| !part.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::test_tree::TestTree;

    #[test]
    fn lexical_parts_collapse_like_the_kernel() {
        let r = |p| resolve(p, Some("/nonexistent-base/w"), true).unwrap().path;
        assert_eq!(r("a/./b//c/.."), "/nonexistent-base/w/a/b");
        assert_eq!(r("/../../x"), "/x");
        assert_eq!(r("../../../../.."), "/");
        assert_eq!(r("/"), "/");
    }

    #[test]
    fn errors_name_what_is_wrong() {
        assert_eq!(resolve("", None, true), Err(PathError::Empty));
        assert_eq!(resolve("a\0b", None, true), Err(PathError::Nul));
        assert_eq!(
            resolve("rel", None, true),
            Err(PathError::RelativeWithoutBase)
        );
        assert_eq!(
            resolve("/proc/self/root/etc", None, true),
            Err(PathError::ProcessPath)
        );
        assert_eq!(
            resolve("/proc/1/cwd", None, true),
            Err(PathError::ProcessPath)
        );
        assert_eq!(
            resolve("/dev/stdin", None, true),
            Err(PathError::ProcessPath)
        );
        assert!(resolve("/proc/cpuinfo", None, true).is_ok());
    }

    #[test]
    fn symlinks_are_followed_and_dotdot_is_physical() {
        let tree = TestTree::new("resolve");
        tree.dir("w/sub");
        tree.dir("out");
        tree.symlink("w/up", "../out");
        tree.symlink("w/abs", &tree.abs("out"));
        tree.symlink("w/loop", "loop");
        let root = tree.root();
        let r = |p: &str, follow| resolve(p, Some(&format!("{root}/w")), follow);
        assert_eq!(r("up/x", true).unwrap().path, format!("{root}/out/x"));
        assert!(r("up/x", true).unwrap().followed_symlink);
        assert_eq!(
            r("abs/../w/sub", true).unwrap().path,
            format!("{root}/w/sub")
        );
        assert_eq!(r("up", false).unwrap().path, format!("{root}/w/up"));
        assert_eq!(r("up/.", false).unwrap().path, format!("{root}/out"));
        assert_eq!(r("loop", true), Err(PathError::SymlinkLoop));
        assert!(!r("sub", true).unwrap().followed_symlink);
    }

    #[test]
    fn within_respects_component_boundaries() {
        assert!(is_within("/a/b", "/a"));
        assert!(is_within("/a", "/a"));
        assert!(!is_within("/ab", "/a"));
        assert!(is_within("/anything", "/"));
        assert_eq!(
            components_below("/a/b/c", "/a").collect::<Vec<_>>(),
            ["b", "c"]
        );
        assert_eq!(
            components_below("/a/b", "/").collect::<Vec<_>>(),
            ["a", "b"]
        );
    }
}
