//! Reports of a gate run: `reports/<platform>/REPORT.md`, `report.json` and `report.html`.
//! This module assembles what they show (pure); the submodules render it.

mod html;
mod markdown;
mod svg;

use std::path::Path;

use anyhow::Result;
use serde::Serialize;

use crate::budgets::{Budgets, Check};
use crate::gate::verdict::Evaluation;
use crate::history::PastRun;
use crate::results::{write_json, Metric, Source};

pub const REPORT_SCHEMA_VERSION: u32 = 1;

/// Everything a report shows.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub created_at: String,
    pub git_commit: String,
    pub platform: String,
    /// `pass` or `fail`.
    pub verdict: String,
    #[serde(flatten)]
    pub evaluation: Evaluation,
    /// Node workloads measured through both implementations.
    pub comparisons: Vec<Comparison>,
    pub trend: Option<Trend>,
    pub metrics: Vec<Metric>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub track: String,
    pub workload: String,
    pub unit: String,
    pub native_median: f64,
    pub native_p99: Option<f64>,
    pub fallback_median: f64,
    pub fallback_p99: Option<f64>,
    /// fallback median / native median.
    pub speedup_median: Option<f64>,
    pub speedup_p99: Option<f64>,
    /// The gated minimum and the goal, when a `min_speedup` budget covers this workload.
    pub speedup_limit: Option<f64>,
    pub speedup_goal: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    pub previous_timestamp: String,
    pub previous_commit: String,
    pub previous_verdict: String,
    pub rows: Vec<TrendRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendRow {
    pub source: Source,
    pub name: String,
    pub unit: String,
    pub previous_median: f64,
    pub current_median: f64,
    pub delta_pct: f64,
}

pub struct ReportInput<'a> {
    pub created_at: &'a str,
    pub git_commit: &'a str,
    pub platform: &'a str,
    pub budgets: &'a Budgets,
    pub evaluation: Evaluation,
    pub metrics: &'a [Metric],
    pub previous: Option<&'a PastRun>,
}

pub fn build(input: ReportInput<'_>) -> Report {
    Report {
        schema_version: REPORT_SCHEMA_VERSION,
        created_at: input.created_at.to_string(),
        git_commit: input.git_commit.to_string(),
        platform: input.platform.to_string(),
        verdict: if input.evaluation.passed {
            "pass"
        } else {
            "fail"
        }
        .to_string(),
        evaluation: input.evaluation,
        comparisons: comparisons(input.metrics, input.budgets),
        trend: input.previous.map(|prev| trend(input.metrics, prev)),
        metrics: input.metrics.to_vec(),
    }
}

/// Pairs each node workload's `native` and `fallback` metrics, in the order they were measured.
pub fn comparisons(metrics: &[Metric], budgets: &Budgets) -> Vec<Comparison> {
    let node = |workload: &str, implementation: &str| {
        metrics.iter().find(|m| {
            m.source == Source::Node
                && m.workload.as_deref() == Some(workload)
                && m.implementation.as_deref() == Some(implementation)
        })
    };
    let mut workloads: Vec<&str> = Vec::new();
    for m in metrics.iter().filter(|m| m.source == Source::Node) {
        if let Some(w) = m.workload.as_deref() {
            if !workloads.contains(&w) {
                workloads.push(w);
            }
        }
    }
    workloads
        .into_iter()
        .filter_map(|workload| {
            let (native, fallback) = (node(workload, "native")?, node(workload, "fallback")?);
            let ratio = |slow: Option<f64>, fast: Option<f64>| match (slow, fast) {
                (Some(s), Some(f)) if f > 0.0 => Some(s / f),
                _ => None,
            };
            let budget = budgets.budgets.iter().find(|b| {
                b.check == Check::MinSpeedup && b.source == Source::Node && b.metric == native.name
            });
            Some(Comparison {
                track: native.track.clone(),
                workload: workload.to_string(),
                unit: native.unit.clone(),
                native_median: native.median,
                native_p99: native.p99,
                fallback_median: fallback.median,
                fallback_p99: fallback.p99,
                speedup_median: ratio(Some(fallback.median), Some(native.median)),
                speedup_p99: ratio(fallback.p99, native.p99),
                speedup_limit: budget.map(|b| b.limit),
                speedup_goal: budget.and_then(|b| b.goal),
            })
        })
        .collect()
}

/// Median change of every metric also present in the previous run.
pub fn trend(metrics: &[Metric], previous: &PastRun) -> Trend {
    let rows = metrics
        .iter()
        .filter_map(|m| {
            let past = previous.find(m.source, &m.name)?;
            (past.unit == m.unit && past.median > 0.0).then(|| TrendRow {
                source: m.source,
                name: m.name.clone(),
                unit: m.unit.clone(),
                previous_median: past.median,
                current_median: m.median,
                delta_pct: (m.median / past.median - 1.0) * 100.0,
            })
        })
        .collect();
    Trend {
        previous_timestamp: previous.timestamp.clone(),
        previous_commit: previous.git_commit.clone(),
        previous_verdict: previous.verdict.clone(),
        rows,
    }
}

/// Writes REPORT.md, report.json and report.html into `dir`.
pub fn write_all(report: &Report, dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    write_json(&dir.join("report.json"), report)?;
    std::fs::write(dir.join("REPORT.md"), markdown::render(report))?;
    std::fs::write(dir.join("report.html"), html::render(report))?;
    Ok(())
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use crate::gate::verdict::{evaluate, GateInput, ParityCheck};
    use crate::history::PastMetric;
    use crate::results::fixtures::metric;

    pub fn node(workload: &str, implementation: &str, median: f64, p99: f64) -> Metric {
        let mut m = metric(
            Source::Node,
            &format!("{workload}/{implementation}"),
            "ms",
            median,
            Some(p99),
        );
        m.workload = Some(workload.into());
        m.implementation = Some(implementation.into());
        m
    }

    pub fn sample_report() -> Report {
        // The real file, so a report test also proves it parses; the sample's metrics are the
        // diff track's, so only its budgets can pass (others would count as missing).
        let mut budgets =
            Budgets::load(&crate::workspace::root().join("benches/budgets.toml")).unwrap();
        budgets.budgets.retain(|budget| budget.track == "diff");
        let metrics = vec![
            node("createTwoFilesPatch/code-2k-1pct", "native", 0.5, 0.9),
            node("createTwoFilesPatch/code-2k-1pct", "fallback", 12.0, 20.0),
            node("createTwoFilesPatch/code-10k-1pct", "native", 2.0, 3.0),
            node("createTwoFilesPatch/code-10k-1pct", "fallback", 90.0, 120.0),
            metric(
                Source::Criterion,
                "diff/create_two_files_patch/code-10k-1pct",
                "ns",
                1.2e6,
                Some(1.4e6),
            ),
            metric(
                Source::Callgrind,
                "create_two_files_patch/code-10k-1pct",
                "instructions",
                5e6,
                None,
            ),
        ];
        let parity = vec![ParityCheck {
            name: "record --check".into(),
            passed: true,
            detail: "ok".into(),
        }];
        let evaluation = evaluate(&GateInput {
            budgets: &budgets,
            metrics: &metrics,
            baseline: None,
            parity: &parity,
            failed_steps: &[],
            accept_regressions: false,
        });
        let previous = PastRun {
            id: 1,
            timestamp: "2025-01-01T00:00:00Z".into(),
            git_commit: "old".into(),
            verdict: "pass".into(),
            metrics: vec![PastMetric {
                source: "node".into(),
                name: "createTwoFilesPatch/code-2k-1pct/native".into(),
                unit: "ms".into(),
                median: 0.4,
                p99: None,
            }],
        };
        build(ReportInput {
            created_at: "2025-01-02T00:00:00Z",
            git_commit: "new",
            platform: "linux-x64",
            budgets: &budgets,
            evaluation,
            metrics: &metrics,
            previous: Some(&previous),
        })
    }

    #[test]
    fn comparisons_pair_native_with_fallback_and_attach_the_speedup_budget() {
        let report = sample_report();
        assert_eq!(report.comparisons.len(), 2);
        let c = &report.comparisons[1];
        assert_eq!(c.workload, "createTwoFilesPatch/code-10k-1pct");
        assert_eq!(c.speedup_median, Some(45.0));
        assert_eq!(c.speedup_p99, Some(40.0));
        assert_eq!(c.speedup_limit, Some(10.0));
        assert_eq!(c.speedup_goal, Some(30.0));
        assert_eq!(report.comparisons[0].speedup_limit, None);
    }

    #[test]
    fn trend_compares_medians_with_the_previous_run() {
        let trend = sample_report().trend.unwrap();
        assert_eq!(trend.rows.len(), 1);
        assert!((trend.rows[0].delta_pct - 25.0).abs() < 1e-9);
    }

    #[test]
    fn json_report_carries_verdict_and_outcomes() {
        let json = serde_json::to_value(sample_report()).unwrap();
        assert_eq!(json["verdict"], "pass");
        assert!(json["budgets"].as_array().unwrap().len() >= 3);
        assert!(json["parity"][0]["passed"].as_bool().unwrap());
    }
}
