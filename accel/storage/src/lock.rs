//! The one-writer-per-rootDir rule: an exclusive POSIX record lock (`fcntl(F_SETLK)`) on
//! `rootDir/LOCK`, which holds the owner's pid, plus a registry of the roots open in this process.
//!
//! Why POSIX locks and not `flock`: a `flock` belongs to the open file description, which a child
//! process shares from `fork` until its `exec` closes it, so a store closed while another thread
//! spawns a process stays locked for that window. POSIX locks belong to the process and are not
//! inherited by children. They have two traits the registry makes up for: they never conflict
//! within one process (so a second opener here is refused by the registry, with our own pid), and
//! closing *any* descriptor of the file drops them (so this module opens `LOCK` only while no
//! engine of this process holds that root, and keeps exactly one descriptor while it does;
//! nothing else may open `LOCK`). The OS drops the lock when the owner dies, so a crash never
//! leaves the store locked.

use std::collections::BTreeSet;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::os::fd::AsRawFd;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::sync::Mutex;

use crate::error::StorageError;

pub(crate) const LOCK_FILE_NAME: &str = "LOCK";

/// A root directory by identity (device, inode), so every path to it names the same root.
type RootId = (u64, u64);

/// The roots an engine of this process holds open.
static OPEN_ROOTS: Mutex<BTreeSet<RootId>> = Mutex::new(BTreeSet::new());

fn open_roots() -> std::sync::MutexGuard<'static, BTreeSet<RootId>> {
    OPEN_ROOTS.lock().unwrap_or_else(|p| p.into_inner())
}

/// A root's place in `OPEN_ROOTS`, given up when dropped.
#[derive(Debug)]
struct Registration(RootId);

impl Registration {
    fn claim(root: &Path) -> Result<Registration, StorageError> {
        let metadata = std::fs::metadata(root).map_err(|e| StorageError::io("inspect", root, e))?;
        let id = (metadata.dev(), metadata.ino());
        if !open_roots().insert(id) {
            return Err(StorageError::Locked {
                root: root.to_path_buf(),
                pid: Some(std::process::id()),
            });
        }
        Ok(Registration(id))
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        open_roots().remove(&self.0);
    }
}

#[derive(Debug)]
pub(crate) struct RootLock {
    // Declared first, so it closes (releasing the OS lock) before the registration goes: another
    // thread may open `LOCK` only once our descriptor can no longer drop its lock.
    _file: File,
    _registration: Registration,
}

impl RootLock {
    pub(crate) fn acquire(root: &Path) -> Result<RootLock, StorageError> {
        let registration = Registration::claim(root)?;
        let path = root.join(LOCK_FILE_NAME);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| StorageError::io("open the lock file", &path, e))?;
        if let Err(error) = set_write_lock(&file) {
            if matches!(error.raw_os_error(), Some(libc::EACCES | libc::EAGAIN)) {
                let pid = holder_pid(&file).or_else(|| read_pid(&mut file));
                return Err(StorageError::Locked {
                    root: root.to_path_buf(),
                    pid,
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
        Ok(RootLock {
            _file: file,
            _registration: registration,
        })
    }
}

fn whole_file(kind: libc::c_int) -> libc::flock {
    // SAFETY: `flock` is plain data; all zeroes is a valid value (whole file from offset 0).
    let mut lock: libc::flock = unsafe { std::mem::zeroed() };
    lock.l_type = kind as libc::c_short;
    lock.l_whence = libc::SEEK_SET as libc::c_short;
    lock
}

/// Takes the exclusive POSIX lock on the whole file without waiting.
fn set_write_lock(file: &File) -> std::io::Result<()> {
    let lock = whole_file(libc::F_WRLCK);
    // SAFETY: fcntl on a descriptor `file` owns, with a valid `flock` it only reads.
    if unsafe { libc::fcntl(file.as_raw_fd(), libc::F_SETLK, &lock) } == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// The pid of the process holding the lock, as the kernel reports it (0 when the holder lives in
/// another pid namespace).
fn holder_pid(file: &File) -> Option<u32> {
    let mut lock = whole_file(libc::F_WRLCK);
    // SAFETY: fcntl on a descriptor `file` owns, with a valid `flock` it fills in.
    if unsafe { libc::fcntl(file.as_raw_fd(), libc::F_GETLK, &mut lock) } != 0 {
        return None;
    }
    (lock.l_type != libc::F_UNLCK as libc::c_short && lock.l_pid > 0).then_some(lock.l_pid as u32)
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
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;

    #[test]
    fn a_second_lock_in_the_same_process_names_the_holder_and_keeps_the_lock() {
        let root = TestDir::new("lock");
        std::fs::create_dir_all(root.path()).unwrap();
        let held = RootLock::acquire(root.path()).unwrap();
        let holder = format!(": its lock is held by process {}", std::process::id());
        for path in [root.path().to_path_buf(), root.path().join(".")] {
            let message = RootLock::acquire(&path).unwrap_err().to_string();
            assert!(message.ends_with(&holder), "{message}");
        }
        // The refused attempts closed no descriptor of `LOCK`, so the OS lock still holds.
        assert_eq!(
            holder_seen_by_another_process(root.path()),
            Some(std::process::id())
        );
        drop(held);
        assert_eq!(holder_seen_by_another_process(root.path()), None);
        RootLock::acquire(root.path()).unwrap();
    }

    /// Who holds `LOCK`, asked from a forked child (POSIX locks never conflict within one
    /// process, and a descriptor closed here would drop this process's lock).
    fn holder_seen_by_another_process(root: &Path) -> Option<u32> {
        let path = CString::new(root.join(LOCK_FILE_NAME).as_os_str().as_bytes()).unwrap();
        let mut pipe = [0; 2];
        // SAFETY: a fresh pipe; the child only makes async-signal-safe calls before `_exit`.
        unsafe {
            assert_eq!(libc::pipe(pipe.as_mut_ptr()), 0);
            let child = libc::fork();
            if child == 0 {
                let fd = libc::open(path.as_ptr(), libc::O_RDWR);
                let mut lock = whole_file(libc::F_WRLCK);
                let pid = if fd >= 0
                    && libc::fcntl(fd, libc::F_GETLK, &mut lock) == 0
                    && lock.l_type != libc::F_UNLCK as libc::c_short
                {
                    lock.l_pid as u32
                } else {
                    0
                };
                libc::write(pipe[1], pid.to_le_bytes().as_ptr().cast(), 4);
                libc::_exit(0);
            }
            let mut answer = [0u8; 4];
            assert_eq!(libc::read(pipe[0], answer.as_mut_ptr().cast(), 4), 4);
            libc::waitpid(child, std::ptr::null_mut(), 0);
            libc::close(pipe[0]);
            libc::close(pipe[1]);
            Some(u32::from_le_bytes(answer)).filter(|&pid| pid != 0)
        }
    }
}
