//! Shared by the crash and fault tests: temporary store directories, the crash child
//! (`src/bin/storage-crash-child`) and its line protocol, and finding records in the files of a
//! store without knowing the file format (payloads are random, so their bytes locate them).

#![allow(dead_code)] // each test binary uses a different part

#[path = "../../src/bin/storage-crash-child/protocol.rs"]
pub mod protocol;

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use protocol::Line;

/// A fresh directory under the system temp dir, removed when dropped.
pub struct TempRoot(PathBuf);

impl TempRoot {
    pub fn new(name: &str) -> Self {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let path = std::env::temp_dir()
            .join("accel-storage-tests")
            .join(format!(
                "{name}-{}-{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::Relaxed)
            ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path)
            .unwrap_or_else(|err| panic!("cannot create {}: {err}", path.display()));
        TempRoot(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn join(&self, child: &str) -> PathBuf {
        self.0.join(child)
    }
}

impl Drop for TempRoot {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The seed of a randomized test: `CRASH_SEED` when set (to replay a failure), else `default`.
pub fn seed(default: u64) -> u64 {
    std::env::var("CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

pub fn child_command(args: &[String]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_storage-crash-child"));
    command
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// A running crash child whose stdout lines arrive on a channel as they are written.
pub struct RunningChild {
    child: Child,
    lines: Receiver<Line>,
    seen: Vec<Line>,
    reader: Option<JoinHandle<Result<(), String>>>,
    stderr: Option<JoinHandle<String>>,
}

/// What a child said and how it ended.
pub struct Finished {
    pub lines: Vec<Line>,
    pub status: ExitStatus,
    pub stderr: String,
}

impl RunningChild {
    pub fn spawn(mut command: Command) -> Self {
        let mut child = command
            .spawn()
            .unwrap_or_else(|err| panic!("cannot start the crash child {command:?}: {err}"));
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut stderr = child.stderr.take().expect("stderr is piped");
        let (sender, lines) = mpsc::channel();
        let reader = thread::spawn(move || {
            // A kill can cut the last line short, and a cut line may still parse ("len 4" of
            // "len 40"): only lines that end in a newline are facts.
            let mut stdout = BufReader::new(stdout);
            let mut line = String::new();
            loop {
                line.clear();
                let read = stdout
                    .read_line(&mut line)
                    .map_err(|err| format!("reading the child's stdout: {err}"))?;
                let Some(complete) = line.strip_suffix('\n') else {
                    break;
                };
                if read == 0 || sender.send(Line::parse(complete)?).is_err() {
                    break;
                }
            }
            Ok(())
        });
        let stderr = thread::spawn(move || {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text);
            text
        });
        RunningChild {
            child,
            lines,
            seen: Vec::new(),
            reader: Some(reader),
            stderr: Some(stderr),
        }
    }

    /// Waits until the child has acknowledged `count` more events (or failed, or exited, or
    /// `timeout` passed: the caller finds out which from [`RunningChild::kill`]'s result).
    pub fn wait_for_acks(&mut self, count: usize, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        let mut acked = 0;
        while acked < count {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    match line {
                        Line::Acked { .. } => acked += 1,
                        Line::Failed(_) => {
                            self.seen.push(line);
                            return;
                        }
                        _ => {}
                    }
                    self.seen.push(line);
                }
                Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => return,
            }
        }
    }

    /// SIGKILLs the child (if it still runs) and collects everything it wrote.
    pub fn kill(mut self) -> Finished {
        let _ = self.child.kill();
        self.finish()
    }

    /// Waits for the child to exit by itself and collects everything it wrote.
    pub fn wait(self) -> Finished {
        self.finish()
    }

    fn finish(mut self) -> Finished {
        let status = self.child.wait().expect("waiting for the crash child");
        if let Err(err) = self
            .reader
            .take()
            .expect("joined once")
            .join()
            .expect("reader")
        {
            panic!("{err}");
        }
        self.seen.extend(self.lines.try_iter());
        let stderr = self
            .stderr
            .take()
            .expect("joined once")
            .join()
            .expect("stderr");
        Finished {
            lines: std::mem::take(&mut self.seen),
            status,
            stderr,
        }
    }
}

impl Finished {
    /// The first `E` line, if the child reported a failure.
    pub fn failure(&self) -> Option<&str> {
        self.lines.iter().find_map(|line| match line {
            Line::Failed(message) => Some(message.as_str()),
            _ => None,
        })
    }

    /// The value of the `R <key> <value>` line for `key`; panics naming the key when missing.
    pub fn result(&self, key: &str) -> &str {
        self.lines
            .iter()
            .find_map(|line| match line {
                Line::Result { key: k, value } if k == key => Some(value.as_str()),
                _ => None,
            })
            .unwrap_or_else(|| {
                panic!(
                    "the child reported no {key:?} (status {}, stderr {:?}, lines {:?})",
                    self.status, self.stderr, self.lines
                )
            })
    }

    /// `(seq, hash, len)` of every acknowledged event, in the order reported.
    pub fn acked(&self) -> Vec<(u64, u64, u64)> {
        self.lines
            .iter()
            .filter_map(|line| match *line {
                Line::Acked { seq, hash, len } => Some((seq, hash, len)),
                _ => None,
            })
            .collect()
    }
}

/// Every regular file under `root`, sorted by path.
pub fn files_under(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in
            std::fs::read_dir(&dir).unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
        {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.is_file() {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The file under `root` holding `payload`, and the payload's offset in it. Payloads of the tests
/// that use this are random and at least 16 bytes long, so a match is the record itself.
pub fn locate(root: &Path, payload: &[u8]) -> (PathBuf, u64) {
    assert!(
        payload.len() >= 16,
        "only long random payloads can be located"
    );
    for path in files_under(root) {
        let data = std::fs::read(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
        if let Some(offset) = data.windows(payload.len()).position(|w| w == payload) {
            return (path, offset as u64);
        }
    }
    panic!(
        "no file under {} holds the payload {:02x?}…",
        root.display(),
        &payload[..16]
    );
}
