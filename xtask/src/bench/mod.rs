//! `cargo xtask bench [--quick]`: runs the criterion, callgrind and node benches and collects
//! every result into `target/ku0-bench/results.json`.

mod callgrind;
mod criterion;
mod files;
mod node;

use std::time::{Duration, SystemTime};

use anyhow::{ensure, Context, Result};

use crate::exec::Cmd;
use crate::results::{Metric, Results, Source, RESULTS_SCHEMA_VERSION};
use crate::setup::{self, SetupOptions};
use crate::workspace;

pub fn results_path() -> std::path::PathBuf {
    workspace::bench_out_dir().join("results.json")
}

pub fn run(quick: bool) -> Result<Results> {
    setup::run(SetupOptions { bench: true })?;
    run_benches(quick)
}

/// The benches alone, for callers that already ran `setup --bench`.
pub fn run_benches(quick: bool) -> Result<Results> {
    let root = workspace::root();
    let target = workspace::target_dir();
    // Only outputs written by this run count; the margin covers coarse file timestamps.
    let started = SystemTime::now() - Duration::from_secs(2);

    Cmd::new("cargo")
        .args(["build", "--release", "-p", "diff-rs"])
        .dir(&root)
        .run()?;
    let mut criterion_cmd = Cmd::new("cargo")
        .args(["bench", "-p", "benches", "--bench", "diff_criterion"])
        .dir(&root);
    if quick {
        criterion_cmd = criterion_cmd.env("KU0_BENCH_QUICK", "1");
    }
    criterion_cmd.run()?;
    Cmd::new("cargo")
        .args([
            "bench",
            "-p",
            "benches",
            "--bench",
            "diff_iai",
            "--",
            "--save-summary=json",
        ])
        .dir(&root)
        .run()?;

    let node_out = workspace::bench_out_dir().join("node-diff.json");
    std::fs::create_dir_all(workspace::bench_out_dir())?;
    let _ = std::fs::remove_file(&node_out);
    let mut node_cmd = Cmd::new("node")
        .arg("benches/node/diff.bench.mjs")
        .arg("--out")
        .arg(&node_out)
        .env(
            "KU0_DIFF_RS_NATIVE_PATH",
            workspace::diff_rs_library("release"),
        )
        .dir(&root);
    if quick {
        node_cmd = node_cmd.arg("--quick");
    }
    node_cmd.run()?;

    let mut metrics = Vec::new();
    metrics.extend(criterion::collect(
        &target.join("criterion"),
        Some(started),
    )?);
    metrics.extend(callgrind::collect(&target.join("iai"), Some(started))?);
    metrics.extend(node::read(&node_out)?);
    ensure_every_source_reported(&metrics)?;

    let results = Results {
        schema_version: RESULTS_SCHEMA_VERSION,
        created_at: workspace::now_utc(),
        git_commit: workspace::git_commit(),
        platform: workspace::platform(),
        metrics,
    };
    let path = results_path();
    results
        .write(&path)
        .with_context(|| format!("writing {}", path.display()))?;
    print_table(&results.metrics);
    eprintln!(
        "bench: wrote {} metrics to {}",
        results.metrics.len(),
        path.display()
    );
    Ok(results)
}

fn ensure_every_source_reported(metrics: &[Metric]) -> Result<()> {
    for (source, dir) in [
        (Source::Criterion, "target/criterion"),
        (Source::Callgrind, "target/iai"),
    ] {
        ensure!(
            metrics.iter().any(|m| m.source == source),
            "the {source} benches ran but wrote no results under {dir} during this run"
        );
    }
    Ok(())
}

fn print_table(metrics: &[Metric]) {
    eprintln!(
        "\n{:<10} {:<52} {:>14} {:>14} {:<12}",
        "source", "metric", "median", "p99", "unit"
    );
    for m in metrics {
        let p99 = m.p99.map_or("-".to_string(), |v| format!("{v:.4}"));
        eprintln!(
            "{:<10} {:<52} {:>14.4} {:>14} {:<12}",
            m.source, m.name, m.median, p99, m.unit
        );
    }
}
