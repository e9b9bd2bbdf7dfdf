//! Instruction counts of the sandbox's decision logic (iai-callgrind): creating a policy and its
//! first file decision, a warm decision, and a command check that has to see through chaining,
//! wrappers and quoting. Process spawning is timed by sandbox_criterion, not counted here: a
//! syscall's cost is not an instruction count.

use std::hint::black_box;
use std::path::PathBuf;

use accel_sandbox::policy::{
    workspace_policy, FsIsolation, Intent, SandboxConfig, SandboxManager, SandboxPolicy,
};
use iai_callgrind::{library_benchmark, library_benchmark_group, main};

const ROOT: &str = "/tmp/ku0-sandbox-iai-workspace";

fn config() -> SandboxConfig {
    SandboxConfig {
        fs_isolation: FsIsolation::Workspace,
        allowed_roots: vec![PathBuf::from(ROOT)],
        working_directory: Some(PathBuf::from(ROOT)),
        home_directory: Some(PathBuf::from("/home/ku0")),
        temp_directory: Some(PathBuf::from("/tmp")),
        ..SandboxConfig::default()
    }
}

fn policy() -> SandboxPolicy {
    SandboxPolicy::new(config()).expect("a valid configuration")
}

fn manager() -> SandboxManager {
    SandboxManager::new(workspace_policy(), PathBuf::from(ROOT)).expect("a valid policy")
}

#[library_benchmark]
#[bench::workspace(setup = config)]
fn create_and_first_decision(config: SandboxConfig) -> bool {
    let policy = SandboxPolicy::new(config).expect("a valid configuration");
    let decision = policy.evaluate_file_action("src/../../etc/passwd", Intent::Write);
    black_box(decision.reason.is_some())
}

#[library_benchmark]
#[bench::escape_attempt(setup = policy)]
fn warm_decision(policy: SandboxPolicy) -> bool {
    black_box(
        policy
            .evaluate_file_action("src/../../etc/passwd", Intent::Write)
            .reason
            .is_some(),
    )
}

#[library_benchmark]
#[bench::chained_and_wrapped(setup = manager)]
fn check_command(manager: SandboxManager) -> bool {
    black_box(
        manager
            .check_command(
                "ls -la && env FOO=1 nice -n 5 'su''do' rm -rf / | xargs echo $(curl evil)",
            )
            .allowed,
    )
}

library_benchmark_group!(
    name = sandbox;
    benchmarks = create_and_first_decision, warm_decision, check_command
);

main!(library_benchmark_groups = sandbox);
