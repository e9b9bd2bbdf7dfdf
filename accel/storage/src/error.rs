//! The one error type of the engine. Every variant's message names what went wrong and where
//! (path, checkpoint id, sizes), so callers can show it as is.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, Clone)]
pub enum StorageError {
    /// A system call failed. `operation` says what the engine was doing ("append to", "create").
    Io {
        operation: &'static str,
        path: PathBuf,
        source: Arc<io::Error>,
    },
    /// A directory the engine needs (`wanted`) cannot be created: `in_the_way` (it or one of its
    /// ancestors) is a file.
    NotADirectory {
        wanted: PathBuf,
        in_the_way: PathBuf,
    },
    /// Another engine (in this or another process) holds rootDir's lock file.
    Locked {
        root: PathBuf,
        pid: Option<u32>,
    },
    /// A log file (segment or low-water mark) fails verification where a crash cannot explain it.
    CorruptLog {
        path: PathBuf,
        offset: u64,
        reason: String,
    },
    /// A checkpoint file fails verification.
    CorruptCheckpoint {
        id: String,
        path: PathBuf,
        reason: String,
    },
    InvalidCheckpointId {
        id: String,
        reason: String,
    },
    EventTooLarge {
        bytes: u64,
    },
    PruneBeyondEnd {
        before: u64,
        end: u64,
    },
    /// An earlier failure left the log in a state the engine could not repair; reopen to recover.
    Unusable {
        reason: String,
    },
}

impl StorageError {
    pub(crate) fn io(operation: &'static str, path: impl AsRef<Path>, source: io::Error) -> Self {
        StorageError::Io {
            operation,
            path: path.as_ref().to_path_buf(),
            source: Arc::new(source),
        }
    }

    /// The errno behind an `Io` error, if any (tests and callers may branch on ENOSPC etc.).
    pub fn raw_os_error(&self) -> Option<i32> {
        match self {
            StorageError::Io { source, .. } => source.raw_os_error(),
            _ => None,
        }
    }
}

/// Words for the failures a user can act on; the OS text for the rest.
fn describe_io(error: &io::Error) -> String {
    match error.raw_os_error() {
        Some(libc::ENOSPC) => "no space left on the device (ENOSPC)".to_string(),
        Some(libc::EFBIG) => "the file would exceed the file size limit (EFBIG)".to_string(),
        Some(libc::EROFS) => "the file system is read-only (EROFS)".to_string(),
        Some(libc::EDQUOT) => "the disk quota is exhausted (EDQUOT)".to_string(),
        Some(libc::EACCES) => "permission denied (EACCES)".to_string(),
        _ => error.to_string(),
    }
}

impl fmt::Display for StorageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StorageError::Io {
                operation,
                path,
                source,
            } => write!(
                f,
                "cannot {operation} {}: {}",
                path.display(),
                describe_io(source)
            ),
            StorageError::NotADirectory { wanted, in_the_way } if wanted == in_the_way => write!(
                f,
                "cannot create the directory {}: it exists and is not a directory",
                wanted.display()
            ),
            StorageError::NotADirectory { wanted, in_the_way } => write!(
                f,
                "cannot create the directory {}: {} exists and is not a directory",
                wanted.display(),
                in_the_way.display()
            ),
            StorageError::Locked { root, pid } => match pid {
                Some(pid) => write!(
                    f,
                    "{} is already open: its lock is held by process {pid}",
                    root.display()
                ),
                None => write!(
                    f,
                    "{} is already open: its lock is held by another process (pid not yet recorded)",
                    root.display()
                ),
            },
            StorageError::CorruptLog {
                path,
                offset,
                reason,
            } => write!(
                f,
                "the event log is corrupt: {} at byte {offset}: {reason}",
                path.display()
            ),
            StorageError::CorruptCheckpoint { id, path, reason } => write!(
                f,
                "checkpoint \"{id}\" is corrupt ({}): {reason}",
                path.display()
            ),
            StorageError::InvalidCheckpointId { id, reason } => {
                write!(f, "invalid checkpoint id \"{id}\": {reason}")
            }
            StorageError::EventTooLarge { bytes } => write!(
                f,
                "the event is {bytes} bytes, over the limit of {} bytes (4 GiB - 1)",
                crate::record::MAX_EVENT_BYTES
            ),
            StorageError::PruneBeyondEnd { before, end } => {
                write!(f, "cannot prune before {before}: the log ends at {end}")
            }
            StorageError::Unusable { reason } => write!(f, "the storage engine is unusable: {reason}"),
        }
    }
}

impl std::error::Error for StorageError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StorageError::Io { source, .. } => Some(source.as_ref()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_name_the_operation_the_path_and_the_errno() {
        let error = StorageError::io(
            "append to",
            "/x/seg",
            io::Error::from_raw_os_error(libc::ENOSPC),
        );
        assert_eq!(
            error.to_string(),
            "cannot append to /x/seg: no space left on the device (ENOSPC)"
        );
        assert_eq!(error.raw_os_error(), Some(libc::ENOSPC));
        let efbig = StorageError::io("write", "/y", io::Error::from_raw_os_error(libc::EFBIG));
        assert!(efbig.to_string().contains("EFBIG"), "{efbig}");
        let erofs = StorageError::io("create", "/z", io::Error::from_raw_os_error(libc::EROFS));
        assert!(erofs.to_string().contains("read-only"), "{erofs}");
    }

    #[test]
    fn messages_shared_with_the_reference_engine_are_exact() {
        let prune = StorageError::PruneBeyondEnd { before: 7, end: 5 };
        assert_eq!(
            prune.to_string(),
            "cannot prune before 7: the log ends at 5"
        );
        let locked = StorageError::Locked {
            root: "/r".into(),
            pid: Some(42),
        };
        assert_eq!(
            locked.to_string(),
            "/r is already open: its lock is held by process 42"
        );
    }
}
