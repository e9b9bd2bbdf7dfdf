//! The one-writer-per-rootDir rule: an exclusive `flock` on `rootDir/LOCK`, which holds the owner's
//! pid. `flock` locks belong to the open file, so a second opener in the same process is refused
//! too; the OS drops the lock when the owner dies, so a crash never leaves the store locked.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::os::fd::AsRawFd;
use std::path::Path;

use crate::error::StorageError;

pub(crate) const LOCK_FILE_NAME: &str = "LOCK";

#[derive(Debug)]
pub(crate) struct RootLock {
    // Held for its lock; closing the file releases it.
    _file: File,
}

impl RootLock {
    pub(crate) fn acquire(root: &Path) -> Result<RootLock, StorageError> {
        let path = root.join(LOCK_FILE_NAME);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| StorageError::io("open the lock file", &path, e))?;
        // SAFETY: flock on a descriptor this function owns; no memory is involved.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
            let error = std::io::Error::last_os_error();
            if error.raw_os_error() == Some(libc::EWOULDBLOCK) {
                return Err(StorageError::Locked {
                    root: root.to_path_buf(),
                    pid: read_pid(&mut file),
                });
            }
            return Err(StorageError::io("lock", &path, error));
        }
        let record_pid = |file: &mut File| -> std::io::Result<()> {
            file.set_len(0)?;
            file.rewind()?;
            file.write_all(std::process::id().to_string().as_bytes())
        };
        record_pid(&mut file)
            .map_err(|e| StorageError::io("write the owner's pid to", &path, e))?;
        Ok(RootLock { _file: file })
    }
}

fn read_pid(file: &mut File) -> Option<u32> {
    let mut text = String::new();
    file.rewind().ok()?;
    file.read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_dir::TestDir;

    #[test]
    fn a_second_lock_in_the_same_process_names_the_holder() {
        let root = TestDir::new("lock");
        std::fs::create_dir_all(root.path()).unwrap();
        let held = RootLock::acquire(root.path()).unwrap();
        let error = RootLock::acquire(root.path()).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "{} is already open: its lock is held by process {}",
                root.path().display(),
                std::process::id()
            )
        );
        drop(held);
        RootLock::acquire(root.path()).unwrap();
    }
}
