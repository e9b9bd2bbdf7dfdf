//! Turns an [`ExecRequest`] into a [`ChildPlan`]: the program path, argv/envp as C strings,
//! the rlimits clamped to what this process may set, the Landlock descriptor and the seccomp
//! filter. Everything that can fail or allocate happens here, before `clone`.

use std::ffi::{CString, OsStr};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::child::{ChildPlan, Layers};
use super::{landlock_rules, seccomp_filter};
use crate::exec::{ExecError, ExecRequest, Isolation, Limits, DEFAULT_PATH};

fn c_string(what: &str, bytes: &[u8]) -> Result<CString, ExecError> {
    CString::new(bytes).map_err(|_| {
        ExecError::InvalidRequest(format!(
            "{what} contains a NUL byte: {:?}",
            String::from_utf8_lossy(bytes)
        ))
    })
}

pub struct Stdio {
    pub stdin: i32,
    pub stdout: i32,
    pub stderr: i32,
    pub error_pipe: i32,
}

/// Builds the layers of `isolation`: the Landlock ruleset, the seccomp filter, the limits.
pub fn prepare_layers(isolation: &Isolation) -> Result<Layers, ExecError> {
    Ok(Layers {
        namespaces: isolation.namespaces,
        rlimits: rlimits(&isolation.limits),
        pid_max: pid_namespace_limit(&isolation.limits, isolation.namespaces)?,
        landlock_ruleset: landlock_rules::build_ruleset(isolation)?,
        seccomp: seccomp_filter::filter_for(isolation.network)?,
    })
}

pub fn prepare<'a>(
    request: &ExecRequest,
    layers: &'a Layers,
    stdio: Stdio,
) -> Result<ChildPlan<'a>, ExecError> {
    if request.cmd.is_empty() {
        return Err(ExecError::InvalidRequest("the command is empty".into()));
    }
    let environment = environment(request)?;
    let path_variable = environment
        .iter()
        .find(|(k, _)| k == "PATH")
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    let program = resolve_program(&request.cmd, path_variable, request.cwd.as_deref())?;

    let mut strings = Vec::new();
    let argv0 = c_string("the command", request.cmd.as_bytes())?;
    let mut arg_strings = vec![argv0];
    for arg in &request.args {
        arg_strings.push(c_string("an argument", arg.as_bytes())?);
    }
    let mut env_strings = Vec::new();
    for (key, value) in &environment {
        if key.is_empty() || key.contains('=') {
            return Err(ExecError::InvalidRequest(format!(
                "environment variable name {key:?} is empty or contains '='"
            )));
        }
        env_strings.push(c_string(
            "an environment variable",
            format!("{key}={value}").as_bytes(),
        )?);
    }
    let argv = null_terminated(&arg_strings);
    let envp = null_terminated(&env_strings);
    strings.extend(arg_strings);
    strings.extend(env_strings);

    let cwd = match &request.cwd {
        Some(dir) => Some(c_string(
            "the working directory",
            dir.as_os_str().as_bytes(),
        )?),
        None => None,
    };
    Ok(ChildPlan {
        program: c_string("the program path", program.as_os_str().as_bytes())?,
        argv,
        envp,
        _strings: strings,
        cwd,
        stdin: stdio.stdin,
        stdout: stdio.stdout,
        stderr: stdio.stderr,
        error_pipe: stdio.error_pipe,
        layers,
    })
}

fn null_terminated(strings: &[CString]) -> Vec<*const libc::c_char> {
    strings
        .iter()
        .map(|s| s.as_ptr())
        .chain(std::iter::once(std::ptr::null()))
        .collect()
}

fn environment(request: &ExecRequest) -> Result<Vec<(String, String)>, ExecError> {
    Ok(match &request.env {
        Some(env) => env.clone(),
        None => vec![("PATH".to_owned(), DEFAULT_PATH.to_owned())],
    })
}

/// A command with a `/` is used as given; otherwise the first executable match in `PATH`.
fn resolve_program(cmd: &str, path: &str, cwd: Option<&Path>) -> Result<PathBuf, ExecError> {
    if cmd.contains('/') {
        return Ok(PathBuf::from(cmd));
    }
    for dir in path.split(':').filter(|d| !d.is_empty()) {
        let mut candidate = PathBuf::from(dir);
        if candidate.is_relative() {
            if let Some(cwd) = cwd {
                candidate = cwd.join(candidate);
            }
        }
        candidate.push(cmd);
        if is_executable(&candidate) {
            return Ok(candidate);
        }
    }
    Err(ExecError::CommandNotFound(format!(
        "`{cmd}` is not an executable file in PATH={path:?}"
    )))
}

fn is_executable(path: &Path) -> bool {
    let Ok(c_path) = CString::new(path.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: a valid NUL-terminated path.
    let executable = unsafe { libc::access(c_path.as_ptr(), libc::X_OK) } == 0;
    executable && path.is_file()
}

/// The requested limits, lowered to the hard limits this process has (raising them needs a
/// capability the child does not have).
fn rlimits(limits: &Limits) -> Vec<(libc::__rlimit_resource_t, libc::rlimit)> {
    let wanted = [
        (libc::RLIMIT_AS, limits.max_memory_bytes),
        (libc::RLIMIT_CPU, limits.max_cpu_seconds),
        (libc::RLIMIT_NPROC, limits.max_processes),
        (libc::RLIMIT_FSIZE, limits.max_file_size_bytes),
    ];
    wanted
        .into_iter()
        .filter_map(|(resource, value)| {
            let value = value?;
            let mut current = libc::rlimit {
                rlim_cur: 0,
                rlim_max: 0,
            };
            // SAFETY: `current` is a valid out-pointer.
            let hard = if unsafe { libc::getrlimit(resource, &mut current) } == 0 {
                current.rlim_max
            } else {
                libc::RLIM_INFINITY
            };
            let value = value.min(hard);
            Some((
                resource,
                libc::rlimit {
                    rlim_cur: value,
                    rlim_max: value,
                },
            ))
        })
        .collect()
}

/// The kernel's floor for `pid_max`.
const PID_MAX_FLOOR: u64 = 301;

/// RLIMIT_NPROC does not bind real uid 0, so a root caller's process limit is the PID
/// namespace's `pid_max`, which is per namespace only since Linux 6.14 (on older kernels the
/// write would change the host's value, so it is refused there).
fn pid_namespace_limit(limits: &Limits, namespaces: bool) -> Result<Option<Vec<u8>>, ExecError> {
    let Some(max_processes) = limits.max_processes else {
        return Ok(None);
    };
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return Ok(None);
    }
    let refuse = |why: &str| ExecError::Isolation {
        layer: "pid-namespace-limit",
        detail: format!(
            "max_processes cannot be enforced for a root caller: {why} \
             (RLIMIT_NPROC does not bind uid 0)"
        ),
    };
    if !namespaces {
        return Err(refuse("namespaces are off"));
    }
    if !kernel_has_pid_max_per_namespace() {
        return Err(refuse(
            "the kernel is older than 6.14 (no per-namespace pid_max)",
        ));
    }
    let value = max_processes.saturating_add(1).max(PID_MAX_FLOOR);
    Ok(Some(value.to_string().into_bytes()))
}

fn kernel_has_pid_max_per_namespace() -> bool {
    static ANSWER: OnceLock<bool> = OnceLock::new();
    *ANSWER.get_or_init(|| kernel_release_at_least(&kernel_release(), (6, 14)))
}

fn kernel_release() -> String {
    // SAFETY: `uname` fills the zeroed struct.
    unsafe {
        let mut name: libc::utsname = std::mem::zeroed();
        if libc::uname(&mut name) != 0 {
            return String::new();
        }
        let release = std::ffi::CStr::from_ptr(name.release.as_ptr());
        OsStr::from_bytes(release.to_bytes())
            .to_string_lossy()
            .into_owned()
    }
}

/// Whether a `uname -r` string like `6.18.2-arch1` is at least `(major, minor)`.
pub fn kernel_release_at_least(release: &str, (major, minor): (u32, u32)) -> bool {
    let mut numbers = release
        .split(|c: char| !c.is_ascii_digit())
        .map(|part| part.parse::<u32>().ok());
    match (numbers.next().flatten(), numbers.next().flatten()) {
        (Some(a), Some(b)) => (a, b) >= (major, minor),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kernel_releases_compare_by_major_then_minor() {
        assert!(kernel_release_at_least("6.18.0-1-amd64", (6, 14)));
        assert!(kernel_release_at_least("6.14", (6, 14)));
        assert!(kernel_release_at_least("7.0.1", (6, 14)));
        assert!(!kernel_release_at_least("6.13.9", (6, 14)));
        assert!(!kernel_release_at_least("5.19.0", (6, 14)));
        assert!(!kernel_release_at_least("garbage", (6, 14)));
    }

    #[test]
    fn commands_resolve_through_path() {
        let found = resolve_program("true", "/nonexistent:/usr/bin:/bin", None).unwrap();
        assert!(found.ends_with("true"));
        assert!(matches!(
            resolve_program("no-such-command-ku0", "/usr/bin", None),
            Err(ExecError::CommandNotFound(_))
        ));
        assert_eq!(
            resolve_program("./x", "", None).unwrap(),
            PathBuf::from("./x")
        );
    }
}
