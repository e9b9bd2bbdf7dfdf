//! Small file-system steps the engine composes: directory fsync and atomic replacement.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::StorageError;

/// An open directory, kept to fsync it after creating, renaming or deleting entries.
#[derive(Debug)]
pub(crate) struct Dir {
    pub path: PathBuf,
    handle: File,
}

impl Dir {
    /// Creates `path` (and its parents) when missing, then opens it.
    pub(crate) fn open_or_create(path: &Path) -> Result<Dir, StorageError> {
        fs::create_dir_all(path).map_err(|e| match non_directory_in(path) {
            Some(in_the_way) => StorageError::NotADirectory {
                wanted: path.to_path_buf(),
                in_the_way,
            },
            None => StorageError::io("create the directory", path, e),
        })?;
        let handle =
            File::open(path).map_err(|e| StorageError::io("open the directory", path, e))?;
        Ok(Dir {
            path: path.to_path_buf(),
            handle,
        })
    }

    pub(crate) fn join(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }

    /// Makes the directory's entries (creations, renames, removals) durable.
    pub(crate) fn sync(&self) -> Result<(), StorageError> {
        self.handle
            .sync_all()
            .map_err(|e| StorageError::io("fsync the directory", &self.path, e))
    }

    /// Replaces `name` with `parts` (concatenated) atomically and durably: a temp file written and
    /// fsynced, renamed over `name`, then the directory fsynced. A crash leaves the old or the new
    /// file, never a mix; at worst a stray temp file, which `remove_temp_files` clears.
    pub(crate) fn replace_file(
        &self,
        name: &str,
        temp_name: &str,
        parts: &[&[u8]],
    ) -> Result<(), StorageError> {
        let temp = self.join(temp_name);
        let target = self.join(name);
        let written = write_synced(&temp, parts).and_then(|()| {
            fs::rename(&temp, &target)
                .map_err(|e| StorageError::io("rename into place", &target, e))
        });
        if let Err(error) = written {
            let _ = fs::remove_file(&temp);
            return Err(error);
        }
        self.sync()
    }

    /// Removes leftovers of interrupted atomic writes: entries whose name `is_temp` accepts.
    pub(crate) fn remove_temp_files(
        &self,
        is_temp: impl Fn(&str) -> bool,
    ) -> Result<usize, StorageError> {
        let mut removed = 0;
        for name in self.file_names()? {
            if is_temp(&name) {
                let path = self.join(&name);
                fs::remove_file(&path)
                    .map_err(|e| StorageError::io("remove the stale temp file", &path, e))?;
                removed += 1;
            }
        }
        if removed > 0 {
            self.sync()?;
        }
        Ok(removed)
    }

    /// The names of the directory's entries (those that are valid UTF-8; the engine writes no other).
    pub(crate) fn file_names(&self) -> Result<Vec<String>, StorageError> {
        let entries = fs::read_dir(&self.path)
            .map_err(|e| StorageError::io("list the directory", &self.path, e))?;
        let mut names = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| StorageError::io("list the directory", &self.path, e))?;
            if let Ok(name) = entry.file_name().into_string() {
                names.push(name);
            }
        }
        Ok(names)
    }
}

/// The closest of `path` and its ancestors that exists but is not a directory (following
/// symbolic links), if any: what keeps `path` from being created as a directory.
fn non_directory_in(path: &Path) -> Option<PathBuf> {
    path.ancestors()
        .find(|candidate| fs::metadata(candidate).is_ok_and(|m| !m.is_dir()))
        .map(Path::to_path_buf)
}

/// Creates `path` (failing if it exists), writes `parts` and fsyncs it.
fn write_synced(path: &Path, parts: &[&[u8]]) -> Result<(), StorageError> {
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| StorageError::io("create", path, e))?;
    for part in parts {
        file.write_all(part)
            .map_err(|e| StorageError::io("write", path, e))?;
    }
    file.sync_all()
        .map_err(|e| StorageError::io("fsync", path, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_dir::TestDir;

    #[test]
    fn replace_file_writes_then_replaces() {
        let root = TestDir::new("fsutil-replace");
        let dir = Dir::open_or_create(&root.path().join("a/b")).unwrap();
        dir.replace_file("x", ".x.tmp", &[b"one", b"two"]).unwrap();
        assert_eq!(fs::read(dir.join("x")).unwrap(), b"onetwo");
        dir.replace_file("x", ".x.tmp", &[b"3"]).unwrap();
        assert_eq!(fs::read(dir.join("x")).unwrap(), b"3");
        assert!(!dir.join(".x.tmp").exists());
    }

    #[test]
    fn a_file_in_the_way_is_named() {
        let root = TestDir::new("fsutil-file");
        fs::create_dir_all(root.path()).unwrap();
        let file = root.path().join("file");
        fs::write(&file, b"").unwrap();
        let message = Dir::open_or_create(&file).unwrap_err().to_string();
        assert_eq!(
            message,
            format!(
                "cannot create the directory {}: it exists and is not a directory",
                file.display()
            )
        );
        let below = file.join("a/b");
        let message = Dir::open_or_create(&below).unwrap_err().to_string();
        assert_eq!(
            message,
            format!(
                "cannot create the directory {}: {} exists and is not a directory",
                below.display(),
                file.display()
            )
        );
    }

    #[test]
    fn temp_files_are_removed_by_name() {
        let root = TestDir::new("fsutil-temp");
        let dir = Dir::open_or_create(root.path()).unwrap();
        fs::write(dir.join(".t1"), b"").unwrap();
        fs::write(dir.join("keep"), b"").unwrap();
        assert_eq!(dir.remove_temp_files(|n| n.starts_with('.')).unwrap(), 1);
        assert!(dir.join("keep").exists() && !dir.join(".t1").exists());
    }
}
