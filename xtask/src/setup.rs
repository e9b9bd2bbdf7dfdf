//! `cargo xtask setup [--bench]`: everything a fresh clone with only Rust, Node 20 and npm needs.
//! Idempotent: each step checks whether it is already done.

use std::path::Path;
use std::time::SystemTime;

use anyhow::{bail, Context, Result};

use crate::exec::Cmd;
use crate::tracks::{self, TRACKS};
use crate::workspace;

pub const IAI_RUNNER_VERSION: &str = "0.16.1";
const MIN_NODE_MAJOR: u32 = 20;

#[derive(Debug, Clone, Copy, Default)]
pub struct SetupOptions {
    /// Also install what the callgrind benches need.
    pub bench: bool,
}

pub fn run(options: SetupOptions) -> Result<()> {
    let root = workspace::root();
    check_node()?;
    install_npm_dependencies(&root)?;
    generate_corpora(&root)?;
    build_debug_bindings(&root)?;
    if options.bench {
        ensure_iai_runner()?;
        ensure_valgrind()?;
        // The sandbox benches time bubblewrap beside our isolation, in the same run.
        ensure_debian_packages(Cmd::new("bwrap").arg("--version"), &["bubblewrap"])?;
    }
    eprintln!("setup: done");
    Ok(())
}

fn check_node() -> Result<()> {
    let Some(version) = Cmd::new("node").arg("--version").probe() else {
        bail!("`node` is not on PATH: install Node {MIN_NODE_MAJOR} or newer");
    };
    let major = parse_node_major(&version)
        .with_context(|| format!("cannot read the node version `{version}`"))?;
    if major < MIN_NODE_MAJOR {
        bail!("node {version} is too old: this workspace needs Node {MIN_NODE_MAJOR} or newer");
    }
    if Cmd::new("npm").arg("--version").probe().is_none() {
        bail!("`npm` is not on PATH: it ships with Node; install it with Node {MIN_NODE_MAJOR}");
    }
    Ok(())
}

fn parse_node_major(version: &str) -> Option<u32> {
    version
        .trim()
        .trim_start_matches('v')
        .split('.')
        .next()?
        .parse()
        .ok()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NpmAction {
    UpToDate,
    Ci,
    Install,
}

/// `npm ci` when node_modules is missing or older than package-lock.json; `npm install` when
/// there is no lockfile and no node_modules. `installed` is when node_modules was last
/// installed (npm's `node_modules/.package-lock.json`, else the directory itself).
pub fn npm_action(lockfile: Option<SystemTime>, installed: Option<SystemTime>) -> NpmAction {
    match (lockfile, installed) {
        (None, None) => NpmAction::Install,
        (None, Some(_)) => NpmAction::UpToDate,
        (Some(_), None) => NpmAction::Ci,
        (Some(lock), Some(installed)) if lock > installed => NpmAction::Ci,
        (Some(_), Some(_)) => NpmAction::UpToDate,
    }
}

fn mtime(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

fn install_npm_dependencies(root: &Path) -> Result<()> {
    let node_modules = root.join("node_modules");
    let installed =
        mtime(&node_modules.join(".package-lock.json")).or_else(|| mtime(&node_modules));
    match npm_action(mtime(&root.join("package-lock.json")), installed) {
        NpmAction::UpToDate => Ok(()),
        NpmAction::Ci => Cmd::new("npm").arg("ci").dir(root).run(),
        NpmAction::Install => Cmd::new("npm").arg("install").dir(root).run(),
    }
}

fn generate_corpora(root: &Path) -> Result<()> {
    for track in TRACKS {
        let Some(generator) = track.corpus_generator else {
            continue;
        };
        if !root.join(generator).is_file() {
            bail!(
                "{generator} is missing: it generates the {} corpora every test and bench reads",
                track.name
            );
        }
        Cmd::new("node").arg(generator).dir(root).run()?;
    }
    Ok(())
}

fn build_debug_bindings(root: &Path) -> Result<()> {
    let fixture = root.join("bindings/native-bindings/fixture/Cargo.toml");
    if !fixture.is_file() {
        bail!(
            "{} is missing: the loader fixture crate `ku0-loader-fixture` is required by the native-bindings tests",
            fixture.display()
        );
    }
    Cmd::new("cargo")
        .arg("build")
        .args(tracks::binding_package_args())
        .args(["-p", "ku0-loader-fixture"])
        .dir(root)
        .run()
}

fn ensure_iai_runner() -> Result<()> {
    // The runner has no real --version: it exits 1 with a message naming its version.
    let installed = Cmd::new("iai-callgrind-runner")
        .arg("--version")
        .probe_any_output();
    if installed
        .as_deref()
        .is_some_and(|v| reports_version(v, IAI_RUNNER_VERSION))
    {
        return Ok(());
    }
    if let Some(other) = installed {
        eprintln!("setup: `iai-callgrind-runner --version` says `{other}`; installing {IAI_RUNNER_VERSION}");
    }
    Cmd::new("cargo")
        .args(["install", "iai-callgrind-runner", "--version", IAI_RUNNER_VERSION, "--locked"])
        .run()
        .context("installing iai-callgrind-runner (the callgrind benches need exactly the library's version)")?;
    match Cmd::new("iai-callgrind-runner").arg("--version").probe_any_output() {
        Some(v) if reports_version(&v, IAI_RUNNER_VERSION) => Ok(()),
        other => bail!(
            "after `cargo install`, `iai-callgrind-runner --version` reports {other:?}: is ~/.cargo/bin on PATH?"
        ),
    }
}

/// Whether `iai-callgrind-runner --version` output names exactly `version` (not 0.16.10).
fn reports_version(output: &str, version: &str) -> bool {
    output
        .split(|c: char| c.is_whitespace() || "()'\",".contains(c))
        .any(|word| word.trim_start_matches('v') == version)
}

fn ensure_valgrind() -> Result<()> {
    ensure_debian_packages(Cmd::new("valgrind").arg("--version"), &["valgrind"])
}

/// Installs Debian `packages` with apt-get unless `probe` already succeeds, then checks that it does.
pub fn ensure_debian_packages(probe: Cmd, packages: &[&str]) -> Result<()> {
    if probe.probe().is_some() {
        return Ok(());
    }
    let is_root = Cmd::new("id").arg("-u").probe().as_deref() == Some("0");
    if !is_root {
        bail!(
            "`{}` fails and this is not root: install {} (e.g. `sudo apt-get install -y {}`)",
            probe.display(),
            packages.join(", "),
            packages.join(" ")
        );
    }
    Cmd::new("apt-get").arg("update").run()?;
    Cmd::new("apt-get")
        .args(["install", "-y"])
        .args(packages)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .run()
        .with_context(|| format!("installing {} with apt-get", packages.join(", ")))?;
    if probe.probe().is_none() {
        bail!(
            "{} installed, but `{}` still fails",
            packages.join(", "),
            probe.display()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn npm_runs_only_when_needed() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1000);
        let later = t + Duration::from_secs(1);
        assert_eq!(npm_action(Some(t), None), NpmAction::Ci);
        assert_eq!(npm_action(Some(later), Some(t)), NpmAction::Ci);
        assert_eq!(npm_action(Some(t), Some(t)), NpmAction::UpToDate);
        assert_eq!(npm_action(Some(t), Some(later)), NpmAction::UpToDate);
        assert_eq!(npm_action(None, None), NpmAction::Install);
        assert_eq!(npm_action(None, Some(t)), NpmAction::UpToDate);
    }

    #[test]
    fn versions_are_matched_exactly() {
        assert!(reports_version("iai-callgrind-runner 0.16.1", "0.16.1"));
        let real = "iai_callgrind_runner: Error: No version information found for iai-callgrind but \
                    iai-callgrind-runner (0.16.1) is >= '0.3.0'. Please update iai-callgrind to '0.16.1'";
        assert!(reports_version(real, "0.16.1"));
        assert!(!reports_version(
            &real.replace("0.16.1", "0.15.2"),
            "0.16.1"
        ));
        assert!(!reports_version("iai-callgrind-runner 0.16.10", "0.16.1"));
        assert!(!reports_version("iai-callgrind-runner 0.15.0", "0.16.1"));
        assert_eq!(parse_node_major("v20.20.2\n"), Some(20));
        assert_eq!(parse_node_major("garbage"), None);
    }
}
