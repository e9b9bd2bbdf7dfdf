//! The Linux resolution of `SafeRoot` paths: `openat2` beneath the root handle, or the
//! `O_NOFOLLOW` walk.

use std::ffi::{CStr, CString};
use std::io::{self, Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Component, Path};

use super::{FsError, Resolver};

/// `openat2` fails with EAGAIN when a rename raced the resolution of `..`; it is retried.
const RACE_RETRIES: usize = 16;

#[derive(Debug)]
pub struct RootHandle {
    dir: OwnedFd,
    resolver: Resolver,
}

fn io_error(path: &Path, source: io::Error) -> FsError {
    let path = path.to_string_lossy().into_owned();
    match source.raw_os_error() {
        Some(libc::ENOENT) => FsError::NotFound { path },
        Some(libc::EXDEV) => FsError::Escape {
            path,
            reason: "resolves outside the root".into(),
        },
        Some(libc::ELOOP) => FsError::Escape {
            path,
            reason: "a symlink or magic link that is not followed".into(),
        },
        _ => FsError::Io { path, source },
    }
}

fn c_path(path: &Path) -> Result<CString, FsError> {
    CString::new(path.as_os_str().as_bytes()).map_err(|_| FsError::InvalidPath {
        path: path.to_string_lossy().into_owned(),
        reason: "contains a NUL byte".into(),
    })
}

fn openat2(dir: RawFd, path: &CStr, flags: libc::c_int, mode: libc::mode_t) -> io::Result<OwnedFd> {
    // SAFETY: open_how is plain integers; zero is a valid value of each.
    let mut how: libc::open_how = unsafe { std::mem::zeroed() };
    how.flags = (flags | libc::O_CLOEXEC) as u64;
    how.mode = if flags & libc::O_CREAT != 0 {
        mode as u64
    } else {
        0
    };
    how.resolve = libc::RESOLVE_BENEATH | libc::RESOLVE_NO_MAGICLINKS;
    for _ in 0..RACE_RETRIES {
        // SAFETY: a valid path and open_how of the size passed.
        let fd = unsafe {
            libc::syscall(
                libc::SYS_openat2,
                dir,
                path.as_ptr(),
                &how as *const libc::open_how,
                std::mem::size_of::<libc::open_how>(),
            )
        };
        if fd >= 0 {
            // SAFETY: a new descriptor owned by nobody else.
            return Ok(unsafe { OwnedFd::from_raw_fd(fd as RawFd) });
        }
        let error = io::Error::last_os_error();
        if error.raw_os_error() != Some(libc::EAGAIN) {
            return Err(error);
        }
    }
    Err(io::Error::from_raw_os_error(libc::EAGAIN))
}

fn openat(dir: RawFd, name: &CStr, flags: libc::c_int, mode: libc::mode_t) -> io::Result<OwnedFd> {
    // SAFETY: a valid NUL-terminated name relative to an open directory.
    let fd = unsafe {
        libc::openat(
            dir,
            name.as_ptr(),
            flags | libc::O_CLOEXEC,
            mode as libc::c_uint,
        )
    };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: a new descriptor owned by nobody else.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

fn fstat(fd: &OwnedFd) -> io::Result<libc::stat> {
    // SAFETY: fstat into a zeroed struct.
    unsafe {
        let mut stat: libc::stat = std::mem::zeroed();
        if libc::fstat(fd.as_raw_fd(), &mut stat) != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(stat)
    }
}

impl RootHandle {
    pub fn open(root: &Path, resolver: Option<Resolver>) -> Result<RootHandle, FsError> {
        let c_root = c_path(root)?;
        let dir = openat(libc::AT_FDCWD, &c_root, libc::O_PATH | libc::O_DIRECTORY, 0)
            .map_err(|e| io_error(root, e))?;
        let resolver = match resolver {
            Some(resolver) => resolver,
            None if openat2(dir.as_raw_fd(), c".", libc::O_PATH, 0).is_ok() => Resolver::Openat2,
            None => Resolver::Walk,
        };
        Ok(RootHandle { dir, resolver })
    }

    pub fn resolver(&self) -> Resolver {
        self.resolver
    }

    /// Opens `relative` beneath the root with `flags`.
    fn open_beneath(&self, relative: &Path, flags: libc::c_int) -> Result<OwnedFd, FsError> {
        let opened = match self.resolver {
            Resolver::Openat2 => {
                let name = if relative.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    relative
                };
                openat2(self.dir.as_raw_fd(), &c_path(name)?, flags, 0o644)
            }
            Resolver::Walk => return self.walk(relative, flags),
        };
        opened.map_err(|e| io_error(relative, e))
    }

    /// One `openat(O_NOFOLLOW)` per component: no symlink is followed, `..` is refused.
    fn walk(&self, relative: &Path, flags: libc::c_int) -> Result<OwnedFd, FsError> {
        let mut names = Vec::new();
        for component in relative.components() {
            match component {
                Component::Normal(name) => names.push(c_path(Path::new(name))?),
                Component::CurDir => {}
                Component::ParentDir => {
                    return Err(FsError::Escape {
                        path: relative.to_string_lossy().into_owned(),
                        reason: "`..` is not resolved by the O_NOFOLLOW walk".into(),
                    })
                }
                Component::RootDir | Component::Prefix(_) => {
                    return Err(FsError::Escape {
                        path: relative.to_string_lossy().into_owned(),
                        reason: "an absolute path".into(),
                    })
                }
            }
        }
        let Some((last, parents)) = names.split_last() else {
            return openat(self.dir.as_raw_fd(), c".", flags, 0).map_err(|e| io_error(relative, e));
        };
        let mut current: Option<OwnedFd> = None;
        for name in parents {
            let dir = current
                .as_ref()
                .map_or(self.dir.as_raw_fd(), |fd| fd.as_raw_fd());
            let next = openat(
                dir,
                name,
                libc::O_PATH | libc::O_DIRECTORY | libc::O_NOFOLLOW,
                0,
            )
            .map_err(|e| walk_error(relative, e))?;
            current = Some(next);
        }
        let dir = current
            .as_ref()
            .map_or(self.dir.as_raw_fd(), |fd| fd.as_raw_fd());
        openat(dir, last, flags | libc::O_NOFOLLOW, 0o644).map_err(|e| walk_error(relative, e))
    }

    pub fn read(&self, relative: &Path) -> Result<Vec<u8>, FsError> {
        let fd = self.open_beneath(relative, libc::O_RDONLY)?;
        let stat = fstat(&fd).map_err(|e| io_error(relative, e))?;
        if stat.st_mode & libc::S_IFMT == libc::S_IFDIR {
            return Err(FsError::InvalidPath {
                path: relative.to_string_lossy().into_owned(),
                reason: "is a directory".into(),
            });
        }
        let mut data = Vec::with_capacity(stat.st_size.max(0) as usize);
        std::fs::File::from(fd)
            .read_to_end(&mut data)
            .map_err(|e| io_error(relative, e))?;
        Ok(data)
    }

    pub fn write(&self, relative: &Path, data: &[u8]) -> Result<(), FsError> {
        if relative.as_os_str().is_empty() {
            return Err(FsError::InvalidPath {
                path: String::new(),
                reason: "names the root directory, not a file".into(),
            });
        }
        // No O_TRUNC: the file is checked before anything of it changes.
        let fd = self.open_beneath(relative, libc::O_WRONLY | libc::O_CREAT)?;
        let stat = fstat(&fd).map_err(|e| io_error(relative, e))?;
        if stat.st_mode & libc::S_IFMT != libc::S_IFREG {
            return Err(FsError::InvalidPath {
                path: relative.to_string_lossy().into_owned(),
                reason: "is not a regular file".into(),
            });
        }
        if stat.st_nlink > 1 {
            return Err(FsError::HardLinked {
                path: relative.to_string_lossy().into_owned(),
                links: stat.st_nlink as u64,
            });
        }
        let mut file = std::fs::File::from(fd);
        file.set_len(0)
            .and_then(|_| file.write_all(data))
            .map_err(|e| io_error(relative, e))
    }

    pub fn list(&self, relative: &Path) -> Result<Vec<String>, FsError> {
        let fd = self.open_beneath(relative, libc::O_RDONLY | libc::O_DIRECTORY)?;
        read_directory(fd).map_err(|e| io_error(relative, e))
    }
}

/// In the walk, ELOOP/ENOTDIR on a component usually means a symlink stood there.
fn walk_error(relative: &Path, error: io::Error) -> FsError {
    match error.raw_os_error() {
        Some(libc::ELOOP) | Some(libc::ENOTDIR) => FsError::Escape {
            path: relative.to_string_lossy().into_owned(),
            reason:
                "a symlink (or non-directory) in the path is not followed by the O_NOFOLLOW walk"
                    .into(),
        },
        _ => io_error(relative, error),
    }
}

fn read_directory(fd: OwnedFd) -> io::Result<Vec<String>> {
    // SAFETY: fdopendir takes ownership of the descriptor (released from `fd`); the stream is
    // closed below on every path.
    let stream = unsafe { libc::fdopendir(fd.as_raw_fd()) };
    if stream.is_null() {
        return Err(io::Error::last_os_error());
    }
    std::mem::forget(fd);
    let mut names = Vec::new();
    loop {
        // SAFETY: errno is reset so that end-of-stream and an error can be told apart.
        unsafe { *libc::__errno_location() = 0 };
        // SAFETY: a valid open stream.
        let entry = unsafe { libc::readdir(stream) };
        if entry.is_null() {
            let errno = unsafe { *libc::__errno_location() };
            // SAFETY: closing the stream we opened.
            unsafe { libc::closedir(stream) };
            if errno != 0 {
                return Err(io::Error::from_raw_os_error(errno));
            }
            break;
        }
        // SAFETY: d_name of a returned entry is NUL-terminated.
        let name = unsafe { CStr::from_ptr((*entry).d_name.as_ptr()) };
        if name != c"." && name != c".." {
            names.push(name.to_string_lossy().into_owned());
        }
    }
    names.sort();
    Ok(names)
}
