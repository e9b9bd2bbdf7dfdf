//! `cargo xtask gate` and `cargo xtask report`: parity, benches, budgets and the callgrind
//! regression check, judged by `verdict` and written to `reports/<platform>/`.

pub mod baseline;
pub mod budget_check;
pub mod regression;
pub mod verdict;

use std::path::Path;

use anyhow::{Context, Result};

use self::baseline::Baseline;
use self::regression::RegressionStatus;
use self::verdict::{evaluate, Evaluation, GateInput, ParityCheck};
use crate::budgets::Budgets;
use crate::exec::Cmd;
use crate::history::{History, RunRecord};
use crate::results::{write_json, Results, Source, RESULTS_SCHEMA_VERSION};
use crate::setup::{self, SetupOptions};
use crate::tracks::TRACKS;
use crate::{bench, record, report, test, workspace};

#[derive(Debug, Clone, Copy)]
pub struct GateOptions {
    pub update_baseline: bool,
    pub quick: bool,
}

/// Runs the whole gate; returns whether it passed.
pub fn run(options: GateOptions) -> Result<bool> {
    let root = workspace::root();
    let budgets = load_budgets(&root)?;
    setup::run(SetupOptions { bench: true })?;

    let parity = run_parity(&root);
    write_json(&parity_path(), &parity)?;

    let mut failed_steps = Vec::new();
    let results = match bench::run_benches(options.quick) {
        Ok(results) => results,
        Err(e) => {
            eprintln!("gate: bench failed: {e:#}");
            failed_steps.push(format!("bench: {e:#}"));
            // Never judge stale numbers from an earlier run: an empty result set makes every
            // budget report its metric as missing.
            Results {
                schema_version: RESULTS_SCHEMA_VERSION,
                created_at: workspace::now_utc(),
                git_commit: workspace::git_commit(),
                platform: workspace::platform(),
                metrics: Vec::new(),
            }
        }
    };
    let mode = Mode::Gate {
        update_baseline: options.update_baseline,
    };
    let evaluation = judge(&root, &budgets, &results, &parity, &failed_steps, mode)?;
    Ok(evaluation.passed)
}

/// Re-renders the reports from the last `results.json` (and the gate's last parity results).
pub fn report() -> Result<bool> {
    let root = workspace::root();
    let budgets = load_budgets(&root)?;
    let results = Results::read(&bench::results_path())?;
    let parity: Vec<ParityCheck> = match std::fs::read_to_string(parity_path()) {
        Ok(text) => serde_json::from_str(&text)
            .with_context(|| format!("malformed {}", parity_path().display()))?,
        Err(_) => Vec::new(),
    };
    let evaluation = judge(&root, &budgets, &results, &parity, &[], Mode::Report)?;
    Ok(evaluation.passed)
}

fn load_budgets(root: &Path) -> Result<Budgets> {
    Budgets::load(&root.join("benches/budgets.toml"))
}

fn parity_path() -> std::path::PathBuf {
    workspace::bench_out_dir().join("parity.json")
}

fn run_parity(root: &Path) -> Vec<ParityCheck> {
    let check = |name: &str, step: &dyn Fn() -> Result<()>| {
        eprintln!("\n==> parity: {name}");
        let result = step();
        ParityCheck {
            name: name.to_string(),
            passed: result.is_ok(),
            detail: result.err().map_or("ok".to_string(), |e| format!("{e:#}")),
        }
    };
    vec![
        check("recordings are current (record --check)", &|| {
            record::record(true)
        }),
        check("recorded parity (cargo test -p oracle)", &|| {
            Cmd::new("cargo")
                .args(["test", "-p", "oracle"])
                .dir(root)
                .run()
        }),
        check("node tests of every package, native vs fallback", &|| {
            let package_tests: Vec<_> = TRACKS
                .iter()
                .map(|track| root.join(track.package_dir).join("test"))
                .collect();
            let files: Vec<_> = test::node_test_files(root)?
                .into_iter()
                .filter(|f| package_tests.iter().any(|dir| f.starts_with(dir)))
                .collect();
            anyhow::ensure!(!files.is_empty(), "no node tests in the track packages");
            test::run_node_tests(root, &files)
        }),
    ]
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A gate run: may write the baseline, appends to the history.
    Gate { update_baseline: bool },
    /// Re-rendering: reads only, except for the report files.
    Report,
}

fn judge(
    root: &Path,
    budgets: &Budgets,
    results: &Results,
    parity: &[ParityCheck],
    failed_steps: &[String],
    mode: Mode,
) -> Result<Evaluation> {
    let platform = workspace::platform();
    if results.platform != platform {
        eprintln!(
            "warning: results were measured on {}, reporting for {platform}",
            results.platform
        );
    }
    let reports_dir = workspace::reports_dir();
    let baseline_path = reports_dir.join("callgrind-baseline.json");
    let baseline = Baseline::read_if_present(&baseline_path)?;
    let update_baseline = mode
        == Mode::Gate {
            update_baseline: true,
        };
    let mut evaluation = evaluate(&GateInput {
        budgets,
        metrics: &results.metrics,
        baseline: baseline.as_ref(),
        parity,
        failed_steps,
        accept_regressions: update_baseline,
    });

    if let Mode::Gate { .. } = mode {
        let exists = baseline.is_some();
        if let Some(notice) = write_baseline_if_due(
            &baseline_path,
            exists,
            update_baseline,
            results,
            &evaluation,
        )? {
            evaluation.notices.push(notice);
        }
    }

    let mut history = History::open(&root.join("reports/history.sqlite"))?;
    let previous = history.latest_before(&platform, &results.created_at)?;
    let report = report::build(report::ReportInput {
        created_at: &results.created_at,
        git_commit: &results.git_commit,
        platform: &platform,
        budgets,
        evaluation: evaluation.clone(),
        metrics: &results.metrics,
        previous: previous.as_ref(),
    });
    report::write_all(&report, &reports_dir)?;
    if let Mode::Gate { .. } = mode {
        history.append(&RunRecord {
            timestamp: &results.created_at,
            git_commit: &results.git_commit,
            platform: &platform,
            verdict: &report.verdict,
            failures: evaluation.failures.len(),
            metrics: &results.metrics,
        })?;
    }
    print_outcome(&evaluation, &reports_dir);
    Ok(evaluation)
}

/// Writes the baseline when none exists or `--update-baseline` asks; returns what it did.
fn write_baseline_if_due(
    path: &Path,
    exists: bool,
    update: bool,
    results: &Results,
    evaluation: &Evaluation,
) -> Result<Option<String>> {
    if exists && !update {
        return Ok(None);
    }
    let has_counts = results
        .metrics
        .iter()
        .any(|m| m.source == Source::Callgrind);
    let broken = evaluation
        .regressions
        .iter()
        .any(|r| r.status == RegressionStatus::ZeroCount);
    if !has_counts || broken {
        let why = if broken {
            "a callgrind count is 0"
        } else {
            "this run has no callgrind results"
        };
        return Ok(Some(format!(
            "did NOT write the callgrind baseline {}: {why}",
            path.display()
        )));
    }
    let baseline = Baseline::from_metrics(
        &results.metrics,
        &results.platform,
        &results.git_commit,
        &results.created_at,
    );
    baseline.write(path)?;
    let why = if exists {
        "updated by --update-baseline"
    } else {
        "none existed"
    };
    Ok(Some(format!(
        "wrote the callgrind baseline {} from this run ({why}): commit it",
        path.display()
    )))
}

fn print_outcome(evaluation: &Evaluation, reports_dir: &Path) {
    for notice in &evaluation.notices {
        eprintln!("  note: {notice}");
    }
    for failure in &evaluation.failures {
        eprintln!("  FAIL: {}", failure.message);
    }
    eprintln!(
        "reports written to {}/ (REPORT.md, report.json, report.html)",
        reports_dir.display()
    );
    if evaluation.passed {
        eprintln!("gate: PASS");
    } else {
        eprintln!("gate: FAIL ({} failures)", evaluation.failures.len());
    }
}
