//! The seccomp filter of `network: none`: `socket()` fails with EACCES for every family but
//! AF_UNIX, and `io_uring_setup` fails (io_uring can create sockets without the `socket`
//! syscall). Built in the parent; the child installs it with one `prctl`.

use std::collections::BTreeMap;

use seccompiler::{
    BpfProgram, SeccompAction, SeccompCmpArgLen, SeccompCmpOp, SeccompCondition, SeccompFilter,
    SeccompRule, TargetArch,
};

use crate::exec::ExecError;

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

fn syscall_numbers(native: libc::c_long) -> Vec<i64> {
    #[cfg(target_arch = "x86_64")]
    return vec![native, native | X32_SYSCALL_BIT];
    #[cfg(not(target_arch = "x86_64"))]
    return vec![native];
}

/// The filter as the kernel's `sock_filter` array.
pub fn no_network_filter() -> Result<Vec<libc::sock_filter>, ExecError> {
    let non_unix_family = SeccompRule::new(vec![SeccompCondition::new(
        0,
        SeccompCmpArgLen::Dword,
        SeccompCmpOp::Ne,
        libc::AF_UNIX as u64,
    )
    .map_err(seccomp_error)?])
    .map_err(seccomp_error)?;
    let mut rules: BTreeMap<i64, Vec<SeccompRule>> = BTreeMap::new();
    for number in syscall_numbers(libc::SYS_socket) {
        rules.insert(number, vec![non_unix_family.clone()]);
    }
    for number in syscall_numbers(libc::SYS_io_uring_setup) {
        // An empty rule list matches every call.
        rules.insert(number, vec![]);
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
