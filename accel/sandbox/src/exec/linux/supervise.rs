//! The parent's side of a running command: one `poll` loop over stdin, stdout, stderr and the
//! child's pidfd, with the timeout as the poll deadline. At the timeout the child gets SIGKILL
//! through its pidfd; as the PID namespace's init its death takes every process it started.
//! Without namespaces the child's process group is killed instead.

use std::io;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::time::{Duration, Instant};

use super::Spawned;
use crate::exec::{ExecRequest, ExecResult, DEFAULT_MAX_OUTPUT_BYTES};

pub struct Pipes {
    pub stdin: OwnedFd,
    pub stdout: OwnedFd,
    pub stderr: OwnedFd,
}

/// How long output may still arrive after the child ended, before its holders are given up on.
const DRAIN_GRACE: Duration = Duration::from_secs(2);

/// Bytes kept from one output stream, up to a cap; the rest is read and dropped.
struct Capture {
    fd: Option<OwnedFd>,
    kept: Vec<u8>,
    cap: usize,
    truncated: bool,
}

impl Capture {
    fn new(fd: OwnedFd, cap: usize) -> Capture {
        Capture {
            fd: Some(fd),
            kept: Vec::new(),
            cap,
            truncated: false,
        }
    }

    /// Reads what is available; closes on EOF.
    fn read_available(&mut self) -> io::Result<()> {
        let Some(fd) = &self.fd else { return Ok(()) };
        let mut buffer = [0u8; 64 * 1024];
        loop {
            // SAFETY: reading into a local buffer of the given length.
            let n = unsafe { libc::read(fd.as_raw_fd(), buffer.as_mut_ptr().cast(), buffer.len()) };
            if n == 0 {
                self.fd = None;
                return Ok(());
            }
            if n < 0 {
                let error = io::Error::last_os_error();
                return match error.kind() {
                    io::ErrorKind::WouldBlock => Ok(()),
                    io::ErrorKind::Interrupted => continue,
                    _ => Err(error),
                };
            }
            let chunk = &buffer[..n as usize];
            let room = self.cap.saturating_sub(self.kept.len());
            if chunk.len() > room {
                self.truncated = true;
            }
            self.kept.extend_from_slice(&chunk[..chunk.len().min(room)]);
        }
    }
}

/// The stdin bytes still to write.
struct Feed<'a> {
    fd: Option<OwnedFd>,
    rest: &'a [u8],
}

impl Feed<'_> {
    fn write_available(&mut self) {
        let Some(fd) = &self.fd else { return };
        while !self.rest.is_empty() {
            // SAFETY: writing from a live slice of the given length.
            let n =
                unsafe { libc::write(fd.as_raw_fd(), self.rest.as_ptr().cast(), self.rest.len()) };
            if n < 0 {
                let error = io::Error::last_os_error();
                match error.kind() {
                    io::ErrorKind::Interrupted => continue,
                    io::ErrorKind::WouldBlock => return,
                    // The command stopped reading (EPIPE): the rest is dropped, like a shell does.
                    _ => break,
                }
            }
            self.rest = &self.rest[n as usize..];
        }
        self.fd = None;
    }
}

fn set_nonblocking(fd: RawFd) -> io::Result<()> {
    // SAFETY: fcntl on a descriptor we own.
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL);
        if flags < 0 || libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK) < 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

fn kill(spawned: &Spawned) {
    // SAFETY: signalling our own child through its pidfd, then its process group (which the
    // child created with setpgid(0, 0), so its id is the child's pid).
    unsafe {
        libc::syscall(
            libc::SYS_pidfd_send_signal,
            spawned.pidfd.as_raw_fd(),
            libc::SIGKILL,
            std::ptr::null::<libc::siginfo_t>(),
            0u32,
        );
        libc::kill(-spawned.pid, libc::SIGKILL);
    }
}

/// Waits for the child and returns its wait status.
fn wait(spawned: &Spawned) -> io::Result<libc::c_int> {
    let mut status = 0;
    loop {
        // SAFETY: waiting for our own child with a valid status pointer.
        let r = unsafe { libc::waitpid(spawned.pid, &mut status, libc::__WALL) };
        if r == spawned.pid {
            return Ok(status);
        }
        let error = io::Error::last_os_error();
        if error.kind() != io::ErrorKind::Interrupted {
            return Err(error);
        }
    }
}

/// Kills and reaps a child that failed before exec.
pub fn reap(spawned: &Spawned) {
    kill(spawned);
    let _ = wait(spawned);
}

fn poll_entry(fd: &Option<OwnedFd>, events: libc::c_short) -> libc::pollfd {
    libc::pollfd {
        fd: fd.as_ref().map_or(-1, |fd| fd.as_raw_fd()),
        events,
        revents: 0,
    }
}

pub fn supervise(
    spawned: &Spawned,
    pipes: Pipes,
    request: &ExecRequest,
    started: Instant,
) -> io::Result<ExecResult> {
    for fd in [&pipes.stdin, &pipes.stdout, &pipes.stderr] {
        set_nonblocking(fd.as_raw_fd())?;
    }
    let cap = request.max_output_bytes.unwrap_or(DEFAULT_MAX_OUTPUT_BYTES);
    let mut stdout = Capture::new(pipes.stdout, cap);
    let mut stderr = Capture::new(pipes.stderr, cap);
    let mut feed = Feed {
        fd: Some(pipes.stdin),
        rest: request.stdin.as_deref().unwrap_or(&[]),
    };
    feed.write_available();
    let deadline = request
        .timeout_ms
        .map(|ms| started + Duration::from_millis(ms));
    let mut timed_out = false;

    loop {
        let timeout_ms = match deadline {
            Some(_) if timed_out => -1,
            Some(deadline) => {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    kill(spawned);
                    timed_out = true;
                    continue;
                }
                left.as_millis().clamp(1, i32::MAX as u128) as i32
            }
            None => -1,
        };
        let mut fds = [
            poll_entry(&stdout.fd, libc::POLLIN),
            poll_entry(&stderr.fd, libc::POLLIN),
            poll_entry(&feed.fd, libc::POLLOUT),
            libc::pollfd {
                fd: spawned.pidfd.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            },
        ];
        // SAFETY: `fds` is a valid array of pollfd; entries with fd -1 are ignored.
        let ready = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, timeout_ms) };
        if ready < 0 {
            let error = io::Error::last_os_error();
            if error.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            kill(spawned);
            let _ = wait(spawned);
            return Err(error);
        }
        if fds[0].revents != 0 {
            stdout.read_available()?;
        }
        if fds[1].revents != 0 {
            stderr.read_available()?;
        }
        if fds[2].revents != 0 {
            feed.write_available();
        }
        if fds[3].revents != 0 {
            break;
        }
    }
    let status = wait(spawned)?;
    // Anything the command started outside a PID namespace dies with its process group.
    if !request.isolation.namespaces {
        // SAFETY: the group id is the (now reaped) child's pid; its group may still have members.
        unsafe { libc::kill(-spawned.pid, libc::SIGKILL) };
    }
    drop(feed);
    drain(&mut stdout, &mut stderr)?;
    let duration_ms = started.elapsed().as_secs_f64() * 1000.0;
    Ok(ExecResult {
        exit_code: libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status)),
        signal: libc::WIFSIGNALED(status).then(|| libc::WTERMSIG(status)),
        truncated: stdout.truncated || stderr.truncated,
        stdout: stdout.kept,
        stderr: stderr.kept,
        duration_ms,
        timed_out,
    })
}

/// Reads the output left in the pipes once the child has ended, until EOF or the grace period.
fn drain(stdout: &mut Capture, stderr: &mut Capture) -> io::Result<()> {
    let until = Instant::now() + DRAIN_GRACE;
    while stdout.fd.is_some() || stderr.fd.is_some() {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        let mut fds = [
            poll_entry(&stdout.fd, libc::POLLIN),
            poll_entry(&stderr.fd, libc::POLLIN),
        ];
        // SAFETY: a valid pollfd array.
        let ready = unsafe { libc::poll(fds.as_mut_ptr(), 2, left.as_millis().max(1) as i32) };
        if ready < 0 {
            let error = io::Error::last_os_error();
            if error.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return Err(error);
        }
        if fds[0].revents != 0 {
            stdout.read_available()?;
        }
        if fds[1].revents != 0 {
            stderr.read_available()?;
        }
    }
    Ok(())
}
