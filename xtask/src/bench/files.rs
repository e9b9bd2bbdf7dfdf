//! Finding bench output files on disk.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::{Context, Result};

/// Every file called `name` below `dir` (recursively), sorted; none when `dir` does not exist.
pub fn find_files_named(dir: &Path, name: &str) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    if dir.is_dir() {
        walk(dir, name, &mut found)?;
    }
    found.sort();
    Ok(found)
}

fn walk(dir: &Path, name: &str, found: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))? {
        let entry = entry?;
        let path = entry.path();
        let kind = entry.file_type()?;
        if kind.is_dir() {
            walk(&path, name, found)?;
        } else if kind.is_file() && entry.file_name() == name {
            found.push(path);
        }
    }
    Ok(())
}

/// Whether `path` exists and was modified at or after `since` (any existing file when `None`).
pub fn modified_since(path: &Path, since: Option<SystemTime>) -> bool {
    let Ok(modified) = std::fs::metadata(path).and_then(|m| m.modified()) else {
        return false;
    };
    since.is_none_or(|since| modified >= since)
}
