//! Real processes under the real kernel's Landlock, seccomp, namespaces and rlimits. Every
//! denial sits beside the same action succeeding where the isolation allows it, so a sandbox
//! that denies everything cannot pass.

mod support;

use std::io::Read;
use std::net::TcpListener;
use std::os::unix::fs::symlink;
use std::os::unix::net::{UnixDatagram, UnixListener};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use accel_sandbox::exec::{
    execute, landlock_abi_version, ExecError, ExecRequest, ExecResult, Isolation, NetworkIsolation,
};
use support::Scratch;

fn shell(script: &str, isolation: Isolation) -> ExecRequest {
    let mut request = ExecRequest::new("/bin/sh", &["-c", script], isolation);
    request.timeout_ms = Some(10_000);
    request
}

/// Runs `script` with `scratch.root` as the only write root.
fn run_in(scratch: &Scratch, script: &str, cwd: Option<&Path>) -> ExecResult {
    let mut request = shell(
        script,
        Isolation::strict(vec![], vec![scratch.root.clone()]),
    );
    request.cwd = cwd.map(Path::to_path_buf);
    execute(request).expect("the sandbox runs the command")
}

fn succeeded(result: &ExecResult) -> bool {
    result.exit_code == Some(0)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn the_kernel_offers_every_layer() {
    assert!(
        landlock_abi_version() >= 4,
        "Landlock ABI 4+ expected on this machine (filesystem + TCP rules), got {}",
        landlock_abi_version()
    );
    let result = execute(ExecRequest::new(
        "/bin/sh",
        &[
            "-c",
            "echo $$; cat /proc/self/status | grep -E '^(NoNewPrivs|Seccomp):'",
        ],
        Isolation::strict(vec![], vec![]),
    ))
    .unwrap();
    let out = text(&result.stdout);
    // PID 1 of its own PID namespace, no_new_privs, a seccomp filter.
    assert!(out.starts_with("1\n"), "{out}");
    assert!(out.contains("NoNewPrivs:\t1"), "{out}");
    assert!(out.contains("Seccomp:\t2"), "{out}");
}

#[test]
fn writes_through_symlinks_to_outside_are_denied() {
    let scratch = Scratch::new("exec-symlink");
    symlink(&scratch.outside, scratch.root.join("out")).unwrap();
    std::fs::create_dir_all(scratch.root.join("real")).unwrap();
    symlink(scratch.root.join("real"), scratch.root.join("in")).unwrap();
    let denied = run_in(&scratch, "echo x > out/planted", Some(&scratch.root));
    assert!(!succeeded(&denied));
    assert!(!scratch.outside.join("planted").exists());
    let allowed = run_in(&scratch, "echo x > in/planted", Some(&scratch.root));
    assert!(succeeded(&allowed), "{}", text(&allowed.stderr));
    assert!(scratch.root.join("real/planted").exists());
}

#[test]
fn dot_dot_out_of_the_root_is_denied() {
    let scratch = Scratch::new("exec-dotdot");
    let denied = run_in(&scratch, "echo x > ../outside/planted", Some(&scratch.root));
    assert!(!succeeded(&denied));
    assert!(!scratch.outside.join("planted").exists());
    let allowed = run_in(
        &scratch,
        "mkdir sub && echo x > sub/../planted",
        Some(&scratch.root),
    );
    assert!(succeeded(&allowed), "{}", text(&allowed.stderr));
    assert!(scratch.root.join("planted").exists());
}

#[test]
fn hard_links_to_files_outside_cannot_be_made() {
    let scratch = Scratch::new("exec-hardlink");
    let secret = scratch.file(&scratch.outside.join("secret"), "outside");
    scratch.file(&scratch.root.join("mine"), "inside");
    let script = format!("ln {} link", secret.display());
    let denied = run_in(&scratch, &script, Some(&scratch.root));
    assert!(!succeeded(&denied));
    assert!(!scratch.root.join("link").exists());
    assert_eq!(std::fs::read_to_string(&secret).unwrap(), "outside");
    let allowed = run_in(&scratch, "ln mine link", Some(&scratch.root));
    assert!(succeeded(&allowed), "{}", text(&allowed.stderr));
    assert!(scratch.root.join("link").exists());
}

#[test]
fn proc_self_root_does_not_lead_out() {
    let scratch = Scratch::new("exec-proc-root");
    let denied = run_in(
        &scratch,
        &format!(
            "echo x > /proc/self/root{}/planted",
            scratch.outside.display()
        ),
        None,
    );
    assert!(!succeeded(&denied));
    assert!(!scratch.outside.join("planted").exists());
    let allowed = run_in(
        &scratch,
        &format!("echo x > /proc/self/root{}/planted", scratch.root.display()),
        None,
    );
    assert!(succeeded(&allowed), "{}", text(&allowed.stderr));
    assert!(scratch.root.join("planted").exists());
}

#[test]
fn proc_self_cwd_does_not_lead_out() {
    let scratch = Scratch::new("exec-proc-cwd");
    let denied = run_in(
        &scratch,
        "echo x > /proc/self/cwd/planted",
        Some(&scratch.outside),
    );
    assert!(!succeeded(&denied));
    assert!(!scratch.outside.join("planted").exists());
    let allowed = run_in(
        &scratch,
        "echo x > /proc/self/cwd/planted",
        Some(&scratch.root),
    );
    assert!(succeeded(&allowed), "{}", text(&allowed.stderr));
    assert!(scratch.root.join("planted").exists());
}

/// Connects with bash's /dev/tcp; returns whether the listener saw the message.
fn try_connect(network: NetworkIsolation) -> (ExecResult, bool) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut isolation = Isolation::strict(vec![], vec![]);
    isolation.network = network;
    let mut request = ExecRequest::new(
        "/bin/bash",
        &["-c", &format!("echo hello > /dev/tcp/127.0.0.1/{port}")],
        isolation,
    );
    request.timeout_ms = Some(5_000);
    let result = execute(request).unwrap();
    let mut received = String::new();
    let deadline = Instant::now() + Duration::from_millis(500);
    while Instant::now() < deadline {
        if let Ok((mut stream, _)) = listener.accept() {
            stream.set_nonblocking(false).unwrap();
            stream.read_to_string(&mut received).unwrap();
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    (result, received == "hello\n")
}

#[test]
fn loopback_connections_are_denied_without_network() {
    let (denied, reached) = try_connect(NetworkIsolation::None);
    assert!(!succeeded(&denied));
    assert!(
        !reached,
        "the listener received data from a sandbox without network"
    );
    let (allowed, reached) = try_connect(NetworkIsolation::Full);
    assert!(succeeded(&allowed), "{}", text(&allowed.stderr));
    assert!(reached);
}

#[test]
fn unix_socket_pairs_still_work_without_network() {
    // Socket pairs stay allowed: they reach nothing outside the sandbox.
    let result = execute(ExecRequest::new(
        "/usr/bin/perl",
        &[
            "-e",
            "use Socket; socketpair(my $a, my $b, AF_UNIX, SOCK_STREAM, 0) or die \"unix: $!\"; \
             socket(my $s, AF_INET, SOCK_STREAM, 0) and die 'inet allowed'; print 'ok'",
        ],
        Isolation::strict(vec![], vec![]),
    ))
    .unwrap();
    assert_eq!(text(&result.stdout), "ok", "{}", text(&result.stderr));
}

/// Runs a perl `script` with `path` in `$ENV{TARGET}`, the scratch root readable, and `network`.
fn perl_with_target(
    scratch: &Scratch,
    script: &str,
    path: &Path,
    network: NetworkIsolation,
) -> ExecResult {
    let mut isolation = Isolation::strict(vec![scratch.root.clone()], vec![]);
    isolation.network = network;
    let mut request = ExecRequest::new("/usr/bin/perl", &["-e", script], isolation);
    request.env = Some(vec![("TARGET".into(), path.display().to_string())]);
    request.timeout_ms = Some(5_000);
    execute(request).unwrap()
}

#[test]
fn host_daemons_on_unix_sockets_are_unreachable_without_network() {
    // A stand-in for /var/run/docker.sock: a host daemon listening on a pathname socket, inside
    // a tree the sandbox may read (Landlock does not govern connecting to it).
    let scratch = Scratch::new("exec-unix-stream");
    let socket_path = scratch.root.join("daemon.sock");
    let listener = UnixListener::bind(&socket_path).unwrap();
    listener.set_nonblocking(true).unwrap();
    let script = "use Socket; socket(my $s, AF_UNIX, SOCK_STREAM, 0) or die \"socket: $!\"; \
                  connect($s, pack_sockaddr_un($ENV{TARGET})) or die \"connect: $!\"; \
                  syswrite($s, 'hello') or die \"write: $!\"";
    let received = |listener: &UnixListener| {
        let deadline = Instant::now() + Duration::from_millis(500);
        while Instant::now() < deadline {
            if let Ok((mut stream, _)) = listener.accept() {
                stream.set_nonblocking(false).unwrap();
                let mut text = String::new();
                stream.read_to_string(&mut text).unwrap();
                return text;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        String::new()
    };

    let denied = perl_with_target(&scratch, script, &socket_path, NetworkIsolation::None);
    assert!(!succeeded(&denied));
    assert!(
        text(&denied.stderr).contains("connect: Permission denied"),
        "{}",
        text(&denied.stderr)
    );
    assert_eq!(
        received(&listener),
        "",
        "the daemon heard from a sandbox without network"
    );

    let allowed = perl_with_target(&scratch, script, &socket_path, NetworkIsolation::Full);
    assert!(succeeded(&allowed), "{}", text(&allowed.stderr));
    assert_eq!(received(&listener), "hello");
}

#[test]
fn host_datagram_sockets_are_unreachable_without_network() {
    // `sendto` on an unconnected datagram socket needs no `connect`: /dev/log is one such target.
    let scratch = Scratch::new("exec-unix-dgram");
    let socket_path = scratch.root.join("log.sock");
    let host = UnixDatagram::bind(&socket_path).unwrap();
    host.set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    let script = "use Socket; socket(my $s, AF_UNIX, SOCK_DGRAM, 0) or die \"socket: $!\"; \
                  send($s, 'hello', 0, pack_sockaddr_un($ENV{TARGET})) or die \"send: $!\"";
    let mut buffer = [0u8; 16];

    let denied = perl_with_target(&scratch, script, &socket_path, NetworkIsolation::None);
    assert!(
        text(&denied.stderr).contains("socket: Permission denied"),
        "{}",
        text(&denied.stderr)
    );
    assert!(
        host.recv(&mut buffer).is_err(),
        "a datagram left a sandbox without network"
    );

    let allowed = perl_with_target(&scratch, script, &socket_path, NetworkIsolation::Full);
    assert!(succeeded(&allowed), "{}", text(&allowed.stderr));
    let length = host.recv(&mut buffer).unwrap();
    assert_eq!(&buffer[..length], b"hello");
}

#[test]
fn ssh_style_paths_outside_the_read_roots_are_unreadable() {
    let scratch = Scratch::new("exec-ssh");
    let home = scratch.outside.join("home");
    scratch.file(&home.join(".ssh/id_ed25519"), "PRIVATE KEY");
    let mut request = shell(
        "cat \"$HOME/.ssh/id_ed25519\"",
        Isolation::strict(vec![], vec![scratch.root.clone()]),
    );
    request.env = Some(vec![
        ("PATH".into(), "/usr/bin:/bin".into()),
        ("HOME".into(), home.display().to_string()),
    ]);
    let denied = execute(request.clone()).unwrap();
    assert!(!succeeded(&denied));
    assert!(!text(&denied.stdout).contains("PRIVATE KEY"));
    // Allowed: the same read once the home directory is a read root.
    request.isolation.read_roots.push(home);
    let allowed = execute(request).unwrap();
    assert_eq!(
        text(&allowed.stdout),
        "PRIVATE KEY",
        "{}",
        text(&allowed.stderr)
    );
}

#[test]
fn the_parent_process_cannot_be_inspected_or_signalled() {
    // /proc is the host's, so the parent is visible there by its host PID; Landlock's ptrace
    // scoping refuses its environment and root, and the PID namespace has no such PID to signal.
    let mut request = shell(
        "cat /proc/$TARGET/environ; ls /proc/$TARGET/root/; kill -0 $TARGET && echo signalled; \
         tr '\\0' '\\n' < /proc/self/environ",
        Isolation::strict(vec![], vec![]),
    );
    request.env = Some(vec![
        ("PATH".into(), "/usr/bin:/bin".into()),
        ("TARGET".into(), std::process::id().to_string()),
    ]);
    let result = execute(request).unwrap();
    let stderr = text(&result.stderr);
    assert!(stderr.contains("environ: Permission denied"), "{stderr}");
    assert!(stderr.contains("root/': Permission denied"), "{stderr}");
    assert!(!text(&result.stdout).contains("signalled"), "{stderr}");
    // Allowed: its own environment.
    assert!(
        text(&result.stdout).contains(&format!("TARGET={}", std::process::id())),
        "{}",
        text(&result.stdout)
    );
}

/// `keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, create)`.
const SESSION_KEYRING_PROBE: &str =
    "require 'syscall.ph'; my $id = syscall(&SYS_keyctl, 0, -3, 1); \
     print $id < 0 ? \"denied: $!\" : 'reached'";

#[test]
fn kernel_keyrings_are_out_of_reach_with_or_without_network() {
    for network in [NetworkIsolation::None, NetworkIsolation::Full] {
        let mut isolation = Isolation::strict(vec![], vec![]);
        isolation.network = network;
        let result = execute(ExecRequest::new(
            "/usr/bin/perl",
            &["-e", SESSION_KEYRING_PROBE],
            isolation,
        ))
        .unwrap();
        assert_eq!(
            text(&result.stdout),
            "denied: Permission denied",
            "{network:?}: {}",
            text(&result.stderr)
        );
    }
    // Allowed: the same call outside the sandbox.
    let outside = std::process::Command::new("/usr/bin/perl")
        .args(["-e", SESSION_KEYRING_PROBE])
        .output()
        .unwrap();
    assert_eq!(
        text(&outside.stdout),
        "reached",
        "{}",
        text(&outside.stderr)
    );
}

#[test]
fn a_fork_bomb_is_held_by_the_process_limit() {
    // A classic bomb; each level forks two more until the limit stops it, then the timeout
    // kills the namespace's init and everything under it.
    let mut isolation = Isolation::strict(vec![], vec![]);
    isolation.limits.max_processes = Some(32);
    let mut request = shell("bomb() { bomb & bomb; }; bomb", isolation.clone());
    request.timeout_ms = Some(1_000);
    let started = Instant::now();
    let bomb = execute(request).unwrap();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(
        text(&bomb.stderr).contains("fork"),
        "fork failures expected: {}",
        text(&bomb.stderr)
    );
    // Allowed: a handful of processes run under the same limit.
    let allowed = execute(shell(
        "for i in 1 2 3 4 5 6 7 8; do sleep 0.05 & done; wait; echo done",
        isolation,
    ))
    .unwrap();
    assert_eq!(text(&allowed.stdout), "done\n", "{}", text(&allowed.stderr));
}

#[test]
fn a_memory_hog_is_held_by_the_memory_limit() {
    let mut isolation = Isolation::strict(vec![], vec![]);
    isolation.limits.max_memory_bytes = Some(64 << 20);
    let hog = |bytes: u64| {
        execute(ExecRequest::new(
            "/usr/bin/perl",
            &["-e", &format!("my $x = 'a' x {bytes}; print length $x")],
            isolation.clone(),
        ))
        .unwrap()
    };
    let denied = hog(512 << 20);
    assert!(!succeeded(&denied));
    assert!(text(&denied.stdout).is_empty());
    let allowed = hog(8 << 20);
    assert_eq!(
        text(&allowed.stdout),
        (8u64 << 20).to_string(),
        "{}",
        text(&allowed.stderr)
    );
}

#[test]
fn a_grandchild_that_outlives_its_parent_dies_at_the_timeout() {
    let scratch = Scratch::new("exec-grandchild");
    let marker = scratch.root.join("marker");
    let script = format!(
        "sh -c 'sleep 0.6; echo escaped > {}' & sleep 30",
        marker.display()
    );
    let mut request = shell(
        &script,
        Isolation::strict(vec![], vec![scratch.root.clone()]),
    );
    request.timeout_ms = Some(200);
    let started = Instant::now();
    let killed = execute(request).unwrap();
    assert!(killed.timed_out);
    assert_eq!(killed.signal, Some(libc::SIGKILL));
    assert!(started.elapsed() < Duration::from_secs(2));
    std::thread::sleep(Duration::from_millis(900));
    assert!(!marker.exists(), "the grandchild survived the timeout");
    // Allowed: with time to finish, the grandchild writes its marker.
    let script = format!("sh -c 'sleep 0.1; echo done > {}' & wait", marker.display());
    let finished = run_in(&scratch, &script, None);
    assert!(succeeded(&finished) && !finished.timed_out);
    assert_eq!(std::fs::read_to_string(&marker).unwrap(), "done\n");
}

#[test]
fn a_missing_root_fails_closed() {
    let missing = PathBuf::from("/nonexistent/ku0-sandbox-root");
    let scratch = Scratch::new("exec-fail-closed");
    let marker = scratch.root.join("ran");
    let script = format!("echo ran > {}", marker.display());
    let outcome = execute(shell(
        &script,
        Isolation::strict(vec![missing], vec![scratch.root.clone()]),
    ));
    assert!(
        matches!(
            outcome,
            Err(ExecError::Isolation {
                layer: "landlock",
                ..
            })
        ),
        "{outcome:?}"
    );
    assert!(
        !marker.exists(),
        "the command ran although its isolation failed"
    );
    let ran = run_in(&scratch, &script, None);
    assert!(succeeded(&ran));
    assert!(marker.exists());
}

#[test]
fn programs_outside_the_read_roots_cannot_be_executed() {
    let scratch = Scratch::new("exec-run-outside");
    let tool = scratch.outside.join("tool");
    std::fs::copy("/bin/true", &tool).unwrap();
    let denied = execute(ExecRequest::new(
        tool.to_str().unwrap(),
        &[],
        Isolation::strict(vec![], vec![]),
    ));
    assert!(
        matches!(
            denied,
            Err(ExecError::Isolation {
                layer: "execve",
                ..
            })
        ),
        "{denied:?}"
    );
    let allowed = execute(ExecRequest::new(
        tool.to_str().unwrap(),
        &[],
        Isolation::strict(vec![scratch.outside.clone()], vec![]),
    ))
    .unwrap();
    assert!(succeeded(&allowed));
}

#[test]
fn blocked_files_inside_readable_system_trees_stay_unreadable() {
    let denied = execute(shell("cat /etc/shadow", Isolation::strict(vec![], vec![]))).unwrap();
    assert!(!succeeded(&denied));
    assert!(denied.stdout.is_empty());
    let allowed = execute(shell("cat /etc/passwd", Isolation::strict(vec![], vec![]))).unwrap();
    assert!(succeeded(&allowed) && !allowed.stdout.is_empty());
}

#[test]
fn a_workspace_policy_reads_everywhere_but_its_blocked_paths() {
    use accel_sandbox::{FsIsolation, NetworkAccess, SandboxConfig, SandboxPolicy};
    let scratch = Scratch::new("exec-policy");
    let home = std::fs::canonicalize(&scratch.outside)
        .unwrap()
        .join("home");
    scratch.file(&home.join(".ssh/id_ed25519"), "PRIVATE KEY");
    scratch.file(&home.join("notes.txt"), "notes");
    let policy = SandboxPolicy::new(SandboxConfig {
        network_access: NetworkAccess::None,
        allowed_roots: vec![scratch.root.clone()],
        fs_isolation: FsIsolation::Workspace,
        home_directory: Some(home.clone()),
        ..SandboxConfig::default()
    })
    .unwrap();
    let isolation = Isolation::from_policy(&policy);
    let read = |path: PathBuf| {
        execute(ExecRequest::new(
            "/bin/cat",
            &[path.to_str().unwrap()],
            isolation.clone(),
        ))
        .unwrap()
    };
    let denied = read(home.join(".ssh/id_ed25519"));
    assert!(!succeeded(&denied) && denied.stdout.is_empty());
    let allowed = read(home.join("notes.txt"));
    assert_eq!(text(&allowed.stdout), "notes", "{}", text(&allowed.stderr));
    // Writes stay in the roots.
    let outside_write = execute(shell(
        &format!("echo x > {}", home.join("planted").display()),
        isolation.clone(),
    ))
    .unwrap();
    assert!(!succeeded(&outside_write) && !home.join("planted").exists());
    let inside_write = execute(shell(
        &format!("echo x > {}", scratch.root.join("planted").display()),
        isolation,
    ))
    .unwrap();
    assert!(succeeded(&inside_write), "{}", text(&inside_write.stderr));
}
