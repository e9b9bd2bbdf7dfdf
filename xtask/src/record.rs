//! `cargo xtask record [--check]`: re-records the oracle's expected outputs from the fallbacks.

use anyhow::{bail, Result};

use crate::exec::Cmd;
use crate::setup::{self, SetupOptions};
use crate::workspace;

pub fn run(check: bool) -> Result<()> {
    setup::run(SetupOptions::default())?;
    record(check)
}

/// Runs the recorder without setup (for callers that already ran it).
pub fn record(check: bool) -> Result<()> {
    let root = workspace::root();
    let recorder = root.join("oracle/js/record.mjs");
    if !recorder.is_file() {
        bail!(
            "{} is missing: it records the fallbacks' outputs under oracle/recordings/",
            recorder.display()
        );
    }
    let mut cmd = Cmd::new("node").arg("oracle/js/record.mjs").dir(&root);
    if check {
        cmd = cmd.arg("--check");
    }
    cmd.run()
}
