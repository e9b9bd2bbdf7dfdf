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
use crate::tracks::{self, TRACKS};
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
        .args(["build", "--release"])
        .args(tracks::binding_package_args())
        .dir(&root)
        .run()?;
    let mut criterion_cmd = Cmd::new("cargo")
        .args(["bench", "-p", "benches"])
        .dir(&root);
    for track in TRACKS {
        criterion_cmd = criterion_cmd.args(["--bench", track.criterion_bench]);
    }
    if quick {
        criterion_cmd = criterion_cmd.env("KU0_BENCH_QUICK", "1");
    }
    criterion_cmd.run()?;
    let mut callgrind_cmd = Cmd::new("cargo")
        .args(["bench", "-p", "benches"])
        .dir(&root);
    for track in TRACKS {
        callgrind_cmd = callgrind_cmd.args(["--bench", track.callgrind_bench]);
    }
    callgrind_cmd.args(["--", "--save-summary=json"]).run()?;

    std::fs::create_dir_all(workspace::bench_out_dir())?;
    let release_bindings = tracks::native_path_envs("release")?;
    let mut node_metrics = Vec::new();
    for track in TRACKS {
        let node_out = track.node_bench_output();
        let _ = std::fs::remove_file(&node_out);
        let mut node_cmd = Cmd::new("node")
            .arg(track.node_bench)
            .arg("--out")
            .arg(&node_out)
            .dir(&root);
        for (variable, library) in &release_bindings {
            node_cmd = node_cmd.env(variable, library);
        }
        if quick {
            node_cmd = node_cmd.arg("--quick");
        }
        node_cmd.run()?;
        node_metrics.extend(node::read(&node_out)?);
    }

    let mut metrics = Vec::new();
    metrics.extend(criterion::collect(
        &target.join("criterion"),
        Some(started),
    )?);
    metrics.extend(callgrind::collect(&target.join("iai"), Some(started))?);
    metrics.extend(node_metrics);
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
