//! Engine-level cost of the sandbox track (criterion), measured beside its references in the
//! same run:
//! - `sandbox/exec-true`: `execute("/bin/true")` fully isolated (user + PID namespaces,
//!   Landlock, seccomp, rlimits) vs a plain `std::process::Command` spawn vs
//!   `bwrap --unshare-all --ro-bind / / /bin/true` (when /usr/bin/bwrap exists; the output
//!   says when it does not). Before criterion runs, each is also timed call by call and its
//!   p50/p99 printed, since the goal is stated in percentiles (overhead under 1 ms over the
//!   plain spawn, at least 5x faster than bwrap).
//! - `sandbox/policy-create-evaluate`: `SandboxPolicy::new` + the first `evaluate_file_action`.
//!
//! `KU0_BENCH_QUICK=1` shortens it.

use std::hint::black_box;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use accel_sandbox::exec::{execute, ExecRequest, Isolation, Limits, PreparedIsolation};
use accel_sandbox::{FsIsolation, Intent, NetworkAccess, SandboxConfig, SandboxPolicy};
use benches::{apply_sampling, configure, sampling, Sampling};
use criterion::{criterion_group, criterion_main, Criterion};

const BWRAP: &str = "/usr/bin/bwrap";

fn full_isolation() -> Isolation {
    let mut isolation = Isolation::strict(vec![], vec![std::env::temp_dir()]);
    isolation.limits = Limits {
        max_memory_bytes: Some(1 << 30),
        max_cpu_seconds: Some(10),
        max_processes: Some(64),
        max_file_size_bytes: Some(1 << 30),
    };
    isolation
}

/// Builds the layers (Landlock ruleset, seccomp filter) on every call.
fn sandboxed_true() {
    let result = execute(ExecRequest::new("/bin/true", &[], full_isolation())).expect("execute");
    assert_eq!(result.exit_code, Some(0));
}

/// Reuses layers built once, as a `SandboxPolicy` does across its `execute` calls.
fn prepared_true(prepared: &PreparedIsolation) {
    let request = ExecRequest::new("/bin/true", &[], prepared.isolation().clone());
    let result = prepared.execute(request).expect("execute");
    assert_eq!(result.exit_code, Some(0));
}

fn plain_true() {
    let status = Command::new("/bin/true")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .expect("spawn /bin/true");
    assert!(status.status.success());
}

fn bwrap_true() {
    let status = Command::new(BWRAP)
        .args(["--unshare-all", "--ro-bind", "/", "/", "/bin/true"])
        .stdin(Stdio::null())
        .output()
        .expect("spawn bwrap");
    assert!(
        status.status.success(),
        "bwrap failed: {}",
        String::from_utf8_lossy(&status.stderr)
    );
}

fn percentiles(name: &str, runs: usize, run: &dyn Fn()) -> (f64, f64) {
    for _ in 0..runs / 10 {
        run();
    }
    let mut samples: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            run();
            start.elapsed()
        })
        .collect();
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 * q) as usize).min(samples.len() - 1)];
    let (p50, p99) = (at(0.50).as_secs_f64() * 1e3, at(0.99).as_secs_f64() * 1e3);
    eprintln!("exec-true {name:>10}: p50 {p50:.3} ms, p99 {p99:.3} ms ({runs} runs)");
    (p50, p99)
}

fn report_percentiles() {
    let quick = std::env::var_os("KU0_BENCH_QUICK").is_some_and(|v| v == "1");
    let runs = if quick { 100 } else { 500 };
    let prepared = full_isolation().prepare().expect("prepare the isolation");
    let (sandbox_p50, sandbox_p99) = percentiles("prepared", runs, &|| prepared_true(&prepared));
    let (per_call_p50, per_call_p99) = percentiles("per-call", runs, &sandboxed_true);
    let (plain_p50, plain_p99) = percentiles("plain", runs, &plain_true);
    eprintln!(
        "exec-true isolation overhead over a plain spawn: prepared p50 {:+.3} ms, p99 {:+.3} ms; \
         per-call p50 {:+.3} ms, p99 {:+.3} ms",
        sandbox_p50 - plain_p50,
        sandbox_p99 - plain_p99,
        per_call_p50 - plain_p50,
        per_call_p99 - plain_p99
    );
    if Path::new(BWRAP).exists() {
        let (bwrap_p50, bwrap_p99) = percentiles("bwrap", runs / 5, &bwrap_true);
        eprintln!(
            "exec-true bwrap / sandboxed (prepared): p50 {:.1}x, p99 {:.1}x",
            bwrap_p50 / sandbox_p50,
            bwrap_p99 / sandbox_p99
        );
    } else {
        eprintln!(
            "exec-true bwrap: not measured, {BWRAP} is not installed (Debian package `bubblewrap`)"
        );
    }
}

fn exec_true(c: &mut Criterion) {
    report_percentiles();
    let mut group = c.benchmark_group("sandbox/exec-true");
    apply_sampling(
        &mut group,
        Sampling {
            flat: true,
            ..sampling(false)
        },
    );
    let prepared = full_isolation().prepare().expect("prepare the isolation");
    group.bench_function("sandboxed-prepared", |bench| {
        bench.iter(|| prepared_true(&prepared))
    });
    group.bench_function("sandboxed-per-call", |bench| bench.iter(sandboxed_true));
    group.bench_function("plain-spawn", |bench| bench.iter(plain_true));
    if Path::new(BWRAP).exists() {
        group.bench_function("bwrap", |bench| bench.iter(bwrap_true));
    }
    group.finish();
}

fn policy_create_evaluate(c: &mut Criterion) {
    let root = std::env::temp_dir();
    let config = SandboxConfig {
        network_access: NetworkAccess::None,
        allowed_roots: vec![root.clone()],
        fs_isolation: FsIsolation::Workspace,
        ..SandboxConfig::default()
    };
    let target = root.join("project/src/main.rs").display().to_string();
    let mut group = c.benchmark_group("sandbox/policy-create-evaluate");
    configure(&mut group, false);
    group.bench_function("engine", |bench| {
        bench.iter(|| {
            let policy = SandboxPolicy::new(black_box(config.clone())).expect("policy");
            black_box(policy.evaluate_file_action(black_box(&target), Intent::Write))
        })
    });
    group.finish();
}

criterion_group!(benches, exec_true, policy_create_evaluate);
criterion_main!(benches);
