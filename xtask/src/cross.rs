//! The engines' tests on aarch64, under qemu: the only way this x86-64 machine runs the NEON
//! kernels (accel-vectors) that aarch64 hosts dispatch to. Installs the Rust target, a cross
//! linker and qemu-user when they are missing.

use anyhow::{Context, Result};

use crate::exec::Cmd;
use crate::setup::ensure_debian_packages;
use crate::workspace;

const TARGET: &str = "aarch64-unknown-linux-gnu";
/// Crates with code behind `cfg(target_arch = "aarch64")`.
const CRATES: &[&str] = &["accel-vectors"];

pub fn test() -> Result<()> {
    ensure_toolchain()?;
    let mut command = Cmd::new("cargo")
        .args(["test", "--target", TARGET, "--no-fail-fast"])
        .env(
            "CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER",
            "aarch64-linux-gnu-gcc",
        )
        .env(
            "CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUNNER",
            "qemu-aarch64-static -L /usr/aarch64-linux-gnu",
        )
        .dir(&workspace::root());
    for krate in CRATES {
        command = command.args(["-p", krate]);
    }
    command.run()
}

fn ensure_toolchain() -> Result<()> {
    let installed = Cmd::new("rustup")
        .args(["target", "list", "--installed"])
        .probe()
        .unwrap_or_default();
    if !installed.lines().any(|line| line.trim() == TARGET) {
        Cmd::new("rustup")
            .args(["target", "add", TARGET])
            .run()
            .with_context(|| format!("adding the Rust target {TARGET}"))?;
    }
    ensure_debian_packages(
        Cmd::new("aarch64-linux-gnu-gcc").arg("--version"),
        &["gcc-aarch64-linux-gnu", "libc6-dev-arm64-cross"],
    )?;
    ensure_debian_packages(
        Cmd::new("qemu-aarch64-static").arg("--version"),
        &["qemu-user-static"],
    )
}
