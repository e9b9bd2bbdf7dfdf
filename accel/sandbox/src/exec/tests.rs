//! The plumbing of `execute`: environment, stdin, output caps, timeouts, errors, the audit.

use super::*;
use proptest::prelude::*;

fn strict() -> Isolation {
    Isolation::strict(vec![], vec![])
}

fn sh(script: &str) -> ExecRequest {
    ExecRequest::new("/bin/sh", &["-c", script], strict())
}

#[test]
fn the_environment_is_exactly_the_one_given() {
    let mut request = ExecRequest::new("/usr/bin/env", &[], strict());
    request.env = Some(vec![
        ("A".into(), "1".into()),
        ("B".into(), "two words".into()),
    ]);
    let result = execute(request).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&result.stdout),
        "A=1\nB=two words\n"
    );
    let result = execute(ExecRequest::new("/usr/bin/env", &[], strict())).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&result.stdout),
        format!("PATH={DEFAULT_PATH}\n")
    );
}

#[test]
fn commands_are_found_in_path_and_missing_ones_are_named() {
    let result = execute(ExecRequest::new("echo", &["hi"], strict())).unwrap();
    assert_eq!(result.stdout, b"hi\n");
    let missing = execute(ExecRequest::new("ku0-no-such-command", &[], strict()));
    assert!(
        matches!(missing, Err(ExecError::CommandNotFound(ref m)) if m.contains("ku0-no-such-command"))
    );
}

#[test]
fn bad_requests_are_refused_with_a_reason() {
    let nul = execute(ExecRequest::new("/bin/echo", &["a\0b"], strict()));
    assert!(matches!(nul, Err(ExecError::InvalidRequest(ref m)) if m.contains("NUL")));
    let empty = execute(ExecRequest::new("", &[], strict()));
    assert!(matches!(empty, Err(ExecError::InvalidRequest(_))));
    let mut bad_env = sh("true");
    bad_env.env = Some(vec![("A=B".into(), "x".into())]);
    assert!(matches!(
        execute(bad_env),
        Err(ExecError::InvalidRequest(_))
    ));
    let mut bad_cwd = sh("true");
    bad_cwd.cwd = Some("/nonexistent/ku0".into());
    assert!(matches!(
        execute(bad_cwd),
        Err(ExecError::InvalidRequest(_))
    ));
}

#[test]
fn exit_codes_and_signals_are_reported() {
    let result = execute(sh("exit 7")).unwrap();
    assert_eq!((result.exit_code, result.signal), (Some(7), None));
    let result = execute(sh("kill -TERM $$; sleep 1")).unwrap();
    // As its namespace's init the shell ignores signals it has no handler for, even its own.
    assert!(result.exit_code == Some(0) || result.signal.is_some());
    let result = execute(ExecRequest::new(
        "/bin/sh",
        &["-c", "sh -c 'kill -KILL $$'; echo after $?"],
        strict(),
    ))
    .unwrap();
    assert_eq!(String::from_utf8_lossy(&result.stdout), "after 137\n");
}

#[test]
fn a_timeout_kills_without_namespaces_too() {
    let mut request = sh("sleep 30 & sleep 30");
    request.isolation.namespaces = false;
    request.timeout_ms = Some(100);
    let started = std::time::Instant::now();
    let result = execute(request).unwrap();
    assert!(result.timed_out);
    assert!(started.elapsed() < std::time::Duration::from_secs(3));
    assert!(result.duration_ms >= 100.0);
}

#[test]
fn every_execute_is_audited() {
    let audit = AuditLog::new();
    execute_audited(sh("exit 3"), &audit).unwrap();
    let _ = execute_audited(
        ExecRequest::new(
            "/bin/true",
            &[],
            Isolation::strict(vec!["/nonexistent/ku0".into()], vec![]),
        ),
        &audit,
    );
    let entries = audit.entries();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].operation, "execute");
    assert_eq!(entries[0].target, "/bin/sh -c exit 3");
    assert_eq!(entries[0].decision, AuditDecision::Allow);
    assert_eq!(entries[0].reason.as_deref(), Some("exit code 3"));
    assert_eq!(entries[1].decision, AuditDecision::Deny);
    assert!(entries[1].reason.as_deref().unwrap().contains("landlock"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// stdin goes through `cat` unchanged; output beyond the cap is dropped and flagged.
    #[test]
    fn stdin_round_trips_and_output_is_capped(
        data in prop::collection::vec(any::<u8>(), 0..200_000),
        cap in 0usize..150_000,
    ) {
        let mut request = ExecRequest::new("/bin/cat", &[], strict());
        request.stdin = Some(data.clone());
        request.max_output_bytes = Some(cap);
        let result = execute(request).unwrap();
        prop_assert_eq!(result.exit_code, Some(0));
        let kept = data.len().min(cap);
        prop_assert_eq!(&result.stdout[..], &data[..kept]);
        prop_assert_eq!(result.truncated, data.len() > cap);
        prop_assert!(result.stderr.is_empty());
    }
}

#[test]
fn a_prepared_isolation_runs_many_commands_and_only_its_own() {
    let prepared = strict().prepare().unwrap();
    for code in [0, 1, 2] {
        let mut request = sh(&format!("exit {code}"));
        request.isolation = prepared.isolation().clone();
        assert_eq!(prepared.execute(request).unwrap().exit_code, Some(code));
    }
    let mut other = sh("true");
    other.isolation.network = NetworkIsolation::Full;
    assert!(matches!(
        prepared.execute(other),
        Err(ExecError::InvalidRequest(_))
    ));
}

#[test]
fn commands_start_with_every_signal_at_its_default_whatever_the_parent_does() {
    // Node ignores SIGPIPE and SIGXFSZ; a launcher may ignore even the C library's own signal
    // 32, which `sigaction` refuses to touch; the calling thread may block signals.
    let ignore_32: [usize; 4] = [libc::SIG_IGN, 0, 0, 0];
    // SAFETY: changing this test process's own signal dispositions and this thread's mask.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
        libc::syscall(
            libc::SYS_rt_sigaction,
            32,
            ignore_32.as_ptr(),
            std::ptr::null_mut::<libc::c_void>(),
            8usize,
        );
        let mut blocked: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut blocked);
        libc::sigaddset(&mut blocked, libc::SIGUSR1);
        libc::pthread_sigmask(libc::SIG_BLOCK, &blocked, std::ptr::null_mut());
    }
    let status = std::fs::read_to_string("/proc/thread-self/status").unwrap();
    assert!(status.contains("SigIgn:\t0000000081001000"), "{status}");
    let result = execute(ExecRequest::new(
        "/bin/grep",
        &["-E", "^Sig(Blk|Ign)", "/proc/self/status"],
        strict(),
    ))
    .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&result.stdout),
        "SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n"
    );
}
