//! What the cloned child does before `execve`. It runs in the memory of a possibly
//! multi-threaded process (vfork semantics: the cloning thread waits), so it only makes system
//! calls on data the parent prepared and writes nothing but its own stack: no allocation, no
//! locks. (The C library's `errno` it sets is the waiting thread's.)
//! Any failure is reported to the parent as `(stage, errno)` over the error pipe and the child
//! exits; the command never runs with a layer missing.

use std::ffi::CString;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};

/// The steps of the child, in order; reported to the parent when one fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u32)]
pub enum Stage {
    ProcessGroup = 1,
    Signals,
    Stdio,
    WorkingDirectory,
    Rlimits,
    PidLimit,
    NoNewPrivs,
    Landlock,
    Seccomp,
    Execve,
}

impl Stage {
    pub fn from_code(code: u32) -> Option<Stage> {
        const ALL: [Stage; 10] = [
            Stage::ProcessGroup,
            Stage::Signals,
            Stage::Stdio,
            Stage::WorkingDirectory,
            Stage::Rlimits,
            Stage::PidLimit,
            Stage::NoNewPrivs,
            Stage::Landlock,
            Stage::Seccomp,
            Stage::Execve,
        ];
        ALL.into_iter().find(|s| *s as u32 == code)
    }

    /// The isolation layer a failure at this stage leaves unapplied.
    pub fn layer(self) -> &'static str {
        match self {
            Stage::ProcessGroup => "process-group",
            Stage::Signals => "signals",
            Stage::Stdio => "stdio",
            Stage::WorkingDirectory => "cwd",
            Stage::Rlimits => "rlimits",
            Stage::PidLimit => "pid-namespace-limit",
            Stage::NoNewPrivs => "no-new-privs",
            Stage::Landlock => "landlock",
            Stage::Seccomp => "seccomp",
            Stage::Execve => "execve",
        }
    }
}

/// Everything the child needs, prepared by the parent; `layers` may be shared by many runs.
pub struct ChildPlan<'a> {
    pub program: CString,
    /// Null-terminated pointers into `_strings`.
    pub argv: Vec<*const libc::c_char>,
    pub envp: Vec<*const libc::c_char>,
    pub _strings: Vec<CString>,
    pub cwd: Option<CString>,
    pub stdin: RawFd,
    pub stdout: RawFd,
    pub stderr: RawFd,
    pub error_pipe: RawFd,
    pub layers: &'a Layers,
}

/// The isolation layers of an `Isolation`, built once and applied by each child.
pub struct Layers {
    pub namespaces: bool,
    pub rlimits: Vec<(libc::__rlimit_resource_t, libc::rlimit)>,
    /// Written to the namespace's /proc/sys/kernel/pid_max.
    pub pid_max: Option<Vec<u8>>,
    pub landlock_ruleset: Option<OwnedFd>,
    pub seccomp: Vec<libc::sock_filter>,
}

const PID_MAX_PATH: &[u8] = b"/proc/sys/kernel/pid_max\0";

/// Reports the failed `stage` with the current errno and exits.
unsafe fn fail(plan: &ChildPlan<'_>, stage: Stage) -> ! {
    let errno = *libc::__errno_location();
    let mut message = [0u8; 8];
    message[..4].copy_from_slice(&(stage as u32).to_ne_bytes());
    message[4..].copy_from_slice(&errno.to_ne_bytes());
    libc::write(plan.error_pipe, message.as_ptr().cast(), message.len());
    libc::_exit(127)
}

unsafe fn move_fd(from: RawFd, to: RawFd) -> bool {
    if from == to {
        // dup2 onto itself keeps O_CLOEXEC, which would close it at exec.
        return libc::fcntl(to, libc::F_SETFD, 0) == 0;
    }
    libc::dup2(from, to) == to
}

/// Runs in the child right after `clone`; never returns.
///
/// # Safety
/// Must only be called in the freshly cloned child, with `plan` prepared by the parent.
pub unsafe fn run(plan: &ChildPlan<'_>) -> ! {
    let layers = plan.layers;
    // The parent kills the process group when there is no PID namespace to end the tree.
    if libc::setpgid(0, 0) != 0 {
        fail(plan, Stage::ProcessGroup);
    }
    // Signals arrive blocked. A handler of the parent's must not run here, in its memory, so
    // every action goes back to the default before anything is unblocked. The command starts
    // with no signal ignored or blocked, whatever the parent does (Node ignores SIGPIPE and
    // SIGXFSZ, which would turn a broken pipe or the file-size limit into a mere error).
    reset_signal_actions();
    let mut empty: libc::sigset_t = std::mem::zeroed();
    libc::sigemptyset(&mut empty);
    if libc::sigprocmask(libc::SIG_SETMASK, &empty, std::ptr::null_mut()) != 0 {
        fail(plan, Stage::Signals);
    }
    if libc::prctl(
        libc::PR_SET_PDEATHSIG,
        libc::SIGKILL as libc::c_ulong,
        0,
        0,
        0,
    ) != 0
    {
        fail(plan, Stage::Signals);
    }
    if !move_fd(plan.stdin, 0) || !move_fd(plan.stdout, 1) || !move_fd(plan.stderr, 2) {
        fail(plan, Stage::Stdio);
    }
    // Descriptors the parent leaked without O_CLOEXEC must not reach the command.
    libc::syscall(
        libc::SYS_close_range,
        3u32,
        u32::MAX,
        libc::CLOSE_RANGE_CLOEXEC,
    );
    if let Some(cwd) = &plan.cwd {
        if libc::chdir(cwd.as_ptr()) != 0 {
            fail(plan, Stage::WorkingDirectory);
        }
    }
    for (resource, limit) in &layers.rlimits {
        if libc::setrlimit(*resource, limit) != 0 {
            fail(plan, Stage::Rlimits);
        }
    }
    if let Some(pid_max) = &layers.pid_max {
        write_pid_max(plan, pid_max);
    }
    if libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 {
        fail(plan, Stage::NoNewPrivs);
    }
    if let Some(ruleset) = &layers.landlock_ruleset {
        if libc::syscall(libc::SYS_landlock_restrict_self, ruleset.as_raw_fd(), 0u32) != 0 {
            fail(plan, Stage::Landlock);
        }
    }
    let program = libc::sock_fprog {
        len: layers.seccomp.len() as libc::c_ushort,
        filter: layers.seccomp.as_ptr() as *mut libc::sock_filter,
    };
    if libc::prctl(
        libc::PR_SET_SECCOMP,
        libc::SECCOMP_MODE_FILTER as libc::c_ulong,
        &program as *const libc::sock_fprog as libc::c_ulong,
        0,
        0,
    ) != 0
    {
        fail(plan, Stage::Seccomp);
    }
    libc::execve(
        plan.program.as_ptr(),
        plan.argv.as_ptr(),
        plan.envp.as_ptr(),
    );
    fail(plan, Stage::Execve)
}

/// The kernel's signals are 1 to 64.
const KERNEL_SIGNALS: libc::c_int = 64;

/// Every signal back to its default action, through the system call: the C library refuses
/// its internal signals (32, 33), which a parent may still have ignored, and an ignored signal
/// stays ignored across `execve`. The kernel's `sigaction` is a handler, flags, perhaps a
/// restorer and a mask, so an all-zero one of four words is SIG_DFL, no flags, no mask, on
/// every layout. SIGKILL and SIGSTOP refuse the call and need nothing.
unsafe fn reset_signal_actions() {
    let default = [0usize; 4];
    let mask_bytes = std::mem::size_of::<u64>();
    for signal in 1..=KERNEL_SIGNALS {
        libc::syscall(
            libc::SYS_rt_sigaction,
            signal,
            default.as_ptr(),
            std::ptr::null_mut::<libc::c_void>(),
            mask_bytes,
        );
    }
}

/// Caps the number of PIDs in the new PID namespace (per-namespace since Linux 6.14); the child
/// still holds its capabilities in its new user namespace here, which the write needs.
unsafe fn write_pid_max(plan: &ChildPlan<'_>, value: &[u8]) {
    let fd = libc::open(
        PID_MAX_PATH.as_ptr().cast(),
        libc::O_WRONLY | libc::O_CLOEXEC,
    );
    if fd < 0 {
        fail(plan, Stage::PidLimit);
    }
    let written = libc::write(fd, value.as_ptr().cast(), value.len());
    if written != value.len() as isize {
        fail(plan, Stage::PidLimit);
    }
    libc::close(fd);
}
