//! The seccomp filter of every isolated command, each refusal EACCES.
//!
//! Always: the kernel keyring calls (`keyctl`, `add_key`, `request_key`). Keyrings are not
//! namespaced by a new user namespace; a command could otherwise read or plant keys in the
//! session keyring it inherits (Docker's default profile refuses them for the same reason).
//!
//! With `network: none`, also:
//! - `socket()` and `socketpair()` for every family but AF_UNIX;
//! - `connect()`, whatever the socket. Landlock does not govern connecting to a pathname
//!   AF_UNIX socket, so without this a command could reach any daemon on the host that listens
//!   on one (`/var/run/docker.sock` is root on the host). Pipes and `socketpair` still work;
//! - AF_UNIX datagram sockets from `socket()`: `sendto` on one needs no `connect`, and would
//!   reach `/dev/log` or any other datagram socket on the host (stream and seqpacket sockets
//!   cannot send until connected);
//! - `io_uring_setup` (io_uring can create and connect sockets without the system calls).
//!
//! Built in the parent; the child installs it with one `prctl`.

use std::collections::BTreeMap;

use seccompiler::{
    BpfProgram, SeccompAction, SeccompCmpArgLen, SeccompCmpOp, SeccompCondition, SeccompFilter,
    SeccompRule, TargetArch,
};

use crate::exec::{ExecError, NetworkIsolation};

/// x86_64 also accepts x32 system calls (the number with this bit set) under the same audit
/// arch; they are filtered under their own numbers.
#[cfg(target_arch = "x86_64")]
const X32_SYSCALL_BIT: i64 = 0x4000_0000;

fn seccomp_error(detail: impl std::fmt::Display) -> ExecError {
    ExecError::Isolation {
        layer: "seccomp",
        detail: detail.to_string(),
    }
}

/// `socket()`'s type argument carries SOCK_NONBLOCK and SOCK_CLOEXEC above the type itself.
const SOCKET_TYPE_MASK: SeccompCmpOp = SeccompCmpOp::MaskedEq(0xf);

fn condition(arg: u8, op: SeccompCmpOp, value: u64) -> Result<SeccompCondition, ExecError> {
    SeccompCondition::new(arg, SeccompCmpArgLen::Dword, op, value).map_err(seccomp_error)
}

fn rule(condition: SeccompCondition) -> Result<SeccompRule, ExecError> {
    SeccompRule::new(vec![condition]).map_err(seccomp_error)
}

fn syscall_numbers(native: libc::c_long) -> Vec<i64> {
    #[cfg(target_arch = "x86_64")]
    return vec![native, native | X32_SYSCALL_BIT];
    #[cfg(not(target_arch = "x86_64"))]
    return vec![native];
}

/// The filter for `network`, as the kernel's `sock_filter` array.
pub fn filter_for(network: NetworkIsolation) -> Result<Vec<libc::sock_filter>, ExecError> {
    let mut rules: BTreeMap<i64, Vec<SeccompRule>> = BTreeMap::new();
    let mut refuse = |syscall: libc::c_long, when: Vec<SeccompRule>| {
        for number in syscall_numbers(syscall) {
            rules.insert(number, when.clone());
        }
    };
    // An empty rule list matches every call.
    refuse(libc::SYS_keyctl, vec![]);
    refuse(libc::SYS_add_key, vec![]);
    refuse(libc::SYS_request_key, vec![]);
    if network == NetworkIsolation::None {
        let non_unix_family = condition(0, SeccompCmpOp::Ne, libc::AF_UNIX as u64)?;
        let datagram_type = condition(1, SOCKET_TYPE_MASK, libc::SOCK_DGRAM as u64)?;
        refuse(
            libc::SYS_socket,
            vec![rule(non_unix_family.clone())?, rule(datagram_type)?],
        );
        refuse(libc::SYS_socketpair, vec![rule(non_unix_family)?]);
        refuse(libc::SYS_connect, vec![]);
        refuse(libc::SYS_io_uring_setup, vec![]);
    }
    let arch = TargetArch::try_from(std::env::consts::ARCH).map_err(seccomp_error)?;
    let filter = SeccompFilter::new(
        rules,
        SeccompAction::Allow,
        SeccompAction::Errno(libc::EACCES as u32),
        arch,
    )
    .map_err(seccomp_error)?;
    let program: BpfProgram = filter.try_into().map_err(seccomp_error)?;
    Ok(program
        .into_iter()
        .map(|i| libc::sock_filter {
            code: i.code,
            jt: i.jt,
            jf: i.jf,
            k: i.k,
        })
        .collect())
}
