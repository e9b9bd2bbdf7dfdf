//! The Linux backend of `execute`: prepare (plan.rs), clone into new namespaces and apply the
//! layers (child.rs), then feed stdin, collect output and enforce the timeout (supervise.rs).

mod child;
mod landlock_rules;
mod plan;
mod seccomp_filter;
mod supervise;

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::time::Instant;

use crate::exec::{ExecError, ExecRequest, ExecResult};
use child::Stage;

pub use landlock_rules::kernel_abi_version;

fn pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0; 2];
    // SAFETY: `fds` has room for the two descriptors.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: pipe2 just returned these two descriptors, owned by nobody else.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

/// The child as the parent sees it.
pub struct Spawned {
    pub pid: libc::pid_t,
    pub pidfd: OwnedFd,
}

pub use child::Layers;

pub fn prepare_layers(isolation: &crate::exec::Isolation) -> Result<Layers, ExecError> {
    plan::prepare_layers(isolation)
}

pub fn execute(request: &ExecRequest, layers: &Layers) -> Result<ExecResult, ExecError> {
    let started = Instant::now();
    let (stdin_read, stdin_write) = pipe()?;
    let (stdout_read, stdout_write) = pipe()?;
    let (stderr_read, stderr_write) = pipe()?;
    let (error_read, error_write) = pipe()?;
    let plan = plan::prepare(
        request,
        layers,
        plan::Stdio {
            stdin: stdin_read.as_raw_fd(),
            stdout: stdout_write.as_raw_fd(),
            stderr: stderr_write.as_raw_fd(),
            error_pipe: error_write.as_raw_fd(),
        },
    )?;
    let spawned = clone_child(&plan, layers.namespaces)?;
    drop((stdin_read, stdout_write, stderr_write, error_write));
    drop(plan);

    if let Some((stage, errno)) = read_child_failure(&error_read)? {
        supervise::reap(&spawned);
        return Err(child_failure(request, stage, errno));
    }
    drop(error_read);
    let outcome = supervise::supervise(
        &spawned,
        supervise::Pipes {
            stdin: stdin_write,
            stdout: stdout_read,
            stderr: stderr_read,
        },
        request,
        started,
    )?;
    Ok(outcome)
}

/// `clone` with fork semantics (its own copy of memory), into new user and PID namespaces when
/// asked, returning a pidfd for race-free signalling.
fn clone_child(plan: &child::ChildPlan<'_>, namespaces: bool) -> Result<Spawned, ExecError> {
    let mut flags = libc::CLONE_PIDFD as libc::c_ulong | libc::SIGCHLD as libc::c_ulong;
    if namespaces {
        flags |= (libc::CLONE_NEWUSER | libc::CLONE_NEWPID) as libc::c_ulong;
    }
    let mut pidfd: libc::c_int = -1;
    // SAFETY: with a null stack `clone` behaves like fork; the child only runs `child::run`,
    // which makes system calls on the prepared plan and never returns.
    let pid = unsafe {
        libc::syscall(
            libc::SYS_clone,
            flags,
            std::ptr::null_mut::<libc::c_void>(),
            &mut pidfd as *mut libc::c_int,
            std::ptr::null_mut::<libc::c_void>(),
            0usize,
        )
    };
    if pid < 0 {
        let error = io::Error::last_os_error();
        return Err(if namespaces {
            ExecError::Isolation {
                layer: "namespaces",
                detail: format!("cannot create user + PID namespaces: {error}"),
            }
        } else {
            ExecError::Io(error)
        });
    }
    if pid == 0 {
        // SAFETY: this is the freshly cloned child.
        unsafe { child::run(plan) }
    }
    Ok(Spawned {
        pid: pid as libc::pid_t,
        // SAFETY: CLONE_PIDFD stored a new descriptor that only we own.
        pidfd: unsafe { OwnedFd::from_raw_fd(pidfd) },
    })
}

/// Blocks until the child exec'd (EOF: the pipe was O_CLOEXEC) or reported a failure.
fn read_child_failure(error_read: &OwnedFd) -> io::Result<Option<(Stage, i32)>> {
    let mut message = [0u8; 8];
    let mut filled = 0;
    while filled < message.len() {
        // SAFETY: reading into the unfilled tail of `message`.
        let n = unsafe {
            libc::read(
                error_read.as_raw_fd(),
                message[filled..].as_mut_ptr().cast(),
                message.len() - filled,
            )
        };
        match n {
            0 => break,
            n if n > 0 => filled += n as usize,
            _ => {
                let error = io::Error::last_os_error();
                if error.kind() != io::ErrorKind::Interrupted {
                    return Err(error);
                }
            }
        }
    }
    if filled < message.len() {
        return Ok(None);
    }
    let code = u32::from_ne_bytes(message[..4].try_into().expect("4 bytes"));
    let errno = i32::from_ne_bytes(message[4..].try_into().expect("4 bytes"));
    Ok(Some((
        Stage::from_code(code).unwrap_or(Stage::Execve),
        errno,
    )))
}

fn child_failure(request: &ExecRequest, stage: Stage, errno: i32) -> ExecError {
    let error = io::Error::from_raw_os_error(errno);
    match stage {
        Stage::Execve if errno == libc::ENOENT => {
            ExecError::CommandNotFound(format!("`{}`: {error}", request.cmd))
        }
        Stage::Execve => ExecError::Isolation {
            layer: "execve",
            detail: format!(
                "cannot execute `{}`: {error} (Landlock denies executing outside the read roots)",
                request.cmd
            ),
        },
        Stage::WorkingDirectory => ExecError::InvalidRequest(format!(
            "cannot enter the working directory {:?}: {error}",
            request.cwd
        )),
        _ => ExecError::Isolation {
            layer: stage.layer(),
            detail: error.to_string(),
        },
    }
}
