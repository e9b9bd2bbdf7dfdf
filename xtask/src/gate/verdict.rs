//! The gate's judgement as pure functions over data: budgets, callgrind regressions, parity
//! and failed steps in; outcomes and a verdict out. No I/O here, so every rule is unit-tested.

use serde::{Deserialize, Serialize};

use super::baseline::Baseline;
use super::budget_check::{evaluate_budget, BudgetOutcome, BudgetStatus};
use super::regression::{check_regressions, RegressionOutcome, RegressionStatus};
use crate::budgets::Budgets;
use crate::numfmt::fmt_value;
use crate::results::Metric;

/// One parity step of the gate (a recording check, a test suite), as run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParityCheck {
    pub name: String,
    pub passed: bool,
    pub detail: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    Parity,
    Budget,
    Regression,
    Step,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Failure {
    pub kind: FailureKind,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    pub passed: bool,
    pub failures: Vec<Failure>,
    /// Reported, not failing: P2/P3 misses, unmet goals, new or vanished benches, improvements.
    pub notices: Vec<String>,
    pub parity: Vec<ParityCheck>,
    pub budgets: Vec<BudgetOutcome>,
    pub regressions: Vec<RegressionOutcome>,
}

/// Everything the gate judges.
pub struct GateInput<'a> {
    pub budgets: &'a Budgets,
    pub metrics: &'a [Metric],
    /// `None` when no baseline exists yet (the gate writes one).
    pub baseline: Option<&'a Baseline>,
    /// Empty when parity was not run (`cargo xtask report`), which is reported as a notice.
    pub parity: &'a [ParityCheck],
    /// Steps that failed outright, e.g. a bench run that crashed.
    pub failed_steps: &'a [String],
    /// `gate --update-baseline`: regressions are accepted (reported as notices) because this
    /// run becomes the new baseline. A zero count still fails: it is never a real result.
    pub accept_regressions: bool,
}

pub fn evaluate(input: &GateInput<'_>) -> Evaluation {
    let budgets: Vec<BudgetOutcome> = input
        .budgets
        .budgets
        .iter()
        .map(|b| evaluate_budget(input.budgets, b, input.metrics))
        .collect();
    let no_baseline = Baseline::empty();
    let regressions = check_regressions(
        input.budgets,
        input.metrics,
        input.baseline.unwrap_or(&no_baseline),
    );

    let mut failures = Vec::new();
    let mut notices = Vec::new();
    failures.extend(input.failed_steps.iter().map(|s| Failure {
        kind: FailureKind::Step,
        message: s.clone(),
    }));
    for check in input.parity.iter().filter(|c| !c.passed) {
        failures.push(Failure {
            kind: FailureKind::Parity,
            message: format!("parity `{}`: {}", check.name, check.detail),
        });
    }
    if input.parity.is_empty() {
        notices.push("parity was not run in this invocation".to_string());
    }
    for outcome in &budgets {
        let line = format!(
            "budget `{}` ({}): {}",
            outcome.id, outcome.priority, outcome.message
        );
        if outcome.fails_gate() {
            failures.push(Failure {
                kind: FailureKind::Budget,
                message: line,
            });
        } else if outcome.status != BudgetStatus::Pass {
            notices.push(format!("{line} (reported, {})", outcome.not_gated_label()));
        }
        if outcome.goal_met == Some(false) {
            notices.push(format!(
                "budget `{}`: goal {} not yet met",
                outcome.id,
                fmt_value(outcome.goal.unwrap_or(0.0), &outcome.unit)
            ));
        }
    }
    if input.baseline.is_none() {
        notices.push(
            "no callgrind baseline for this platform: instruction counts were not compared"
                .to_string(),
        );
    }
    for r in &regressions {
        let line = format!("callgrind `{}`: {}", r.name, r.message);
        let accepted = input.accept_regressions && r.status == RegressionStatus::Regressed;
        if r.fails_gate() && !accepted {
            failures.push(Failure {
                kind: FailureKind::Regression,
                message: line,
            });
        } else if accepted {
            notices.push(format!("{line} (accepted by --update-baseline)"));
        } else if r.status == RegressionStatus::New && input.baseline.is_none() {
            // covered by the single "no callgrind baseline" notice
        } else if r.status != RegressionStatus::Within {
            notices.push(line);
        }
    }
    Evaluation {
        passed: failures.is_empty(),
        failures,
        notices,
        parity: input.parity.to_vec(),
        budgets,
        regressions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::fixtures::metric;
    use crate::results::Source;
    use std::collections::BTreeMap;

    const BUDGETS: &str = r#"
schema_version = 1
[callgrind]
max_regression_pct = 5.0
[tracks.diff]
priority = "P1"
[tracks.json]
priority = "P2"
[[budget]]
id = "diff-p99"
track = "diff"
description = "node p99"
check = "max"
source = "node"
metric = "patch/native"
stat = "p99"
limit = 5.0
unit = "ms"
[[budget]]
id = "diff-speedup"
track = "diff"
description = "speedup"
check = "min_speedup"
source = "node"
metric = "patch/native"
against = "patch/fallback"
stat = "median"
limit = 10.0
goal = 30.0
[[budget]]
id = "engine-median"
track = "diff"
description = "criterion median"
check = "max"
source = "criterion"
metric = "diff/patch"
stat = "median"
limit = 2.0
unit = "ms"
[[budget]]
id = "json-p99"
track = "json"
description = "a P2 budget"
check = "max"
source = "node"
metric = "json/native"
stat = "p99"
limit = 1.0
unit = "ms"
"#;

    fn budgets() -> Budgets {
        Budgets::parse(BUDGETS).unwrap()
    }

    /// Metrics that meet every budget: p99 4 ms, 20x speedup, engine 1.5 ms (in ns), json 0.5 ms.
    fn good_metrics() -> Vec<Metric> {
        let mut json = metric(Source::Node, "json/native", "ms", 0.4, Some(0.5));
        json.track = "json".into();
        vec![
            metric(Source::Node, "patch/native", "ms", 1.0, Some(4.0)),
            metric(Source::Node, "patch/fallback", "ms", 20.0, Some(30.0)),
            metric(Source::Criterion, "diff/patch", "ns", 1.5e6, Some(1.6e6)),
            metric(
                Source::Callgrind,
                "create/code-2k",
                "instructions",
                1_000_000.0,
                None,
            ),
            json,
        ]
    }

    fn parity_ok() -> Vec<ParityCheck> {
        vec![ParityCheck {
            name: "record --check".into(),
            passed: true,
            detail: "ok".into(),
        }]
    }

    fn baseline(count: u64) -> Baseline {
        Baseline {
            schema_version: 1,
            platform: "linux-x64".into(),
            git_commit: "c".into(),
            created_at: "t".into(),
            instructions: BTreeMap::from([("create/code-2k".to_string(), count)]),
        }
    }

    fn run(metrics: &[Metric], baseline: Option<&Baseline>, parity: &[ParityCheck]) -> Evaluation {
        let budgets = budgets();
        evaluate(&GateInput {
            budgets: &budgets,
            metrics,
            baseline,
            parity,
            failed_steps: &[],
            accept_regressions: false,
        })
    }

    fn set(metrics: &mut [Metric], name: &str, f: impl FnOnce(&mut Metric)) {
        f(metrics.iter_mut().find(|m| m.name == name).unwrap());
    }

    #[test]
    fn everything_within_budget_passes() {
        let eval = run(&good_metrics(), Some(&baseline(1_000_000)), &parity_ok());
        assert!(eval.passed, "{:#?}", eval.failures);
        assert!(eval.budgets.iter().all(|b| b.status == BudgetStatus::Pass));
        // 20x meets the 10x gate but not the 30x goal: a notice, not a failure.
        assert!(
            eval.notices
                .iter()
                .any(|n| n.contains("goal 30.0x not yet met")),
            "{:?}",
            eval.notices
        );
    }

    #[test]
    fn p1_latency_violation_fails_with_value_limit_and_miss() {
        let mut metrics = good_metrics();
        set(&mut metrics, "patch/native", |m| m.p99 = Some(6.2));
        let eval = run(&metrics, Some(&baseline(1_000_000)), &parity_ok());
        assert!(!eval.passed);
        let failure = &eval.failures[0];
        assert_eq!(failure.kind, FailureKind::Budget);
        assert!(
            failure
                .message
                .contains("6.20 ms exceeds the limit 5.00 ms by 1.20 ms (+24.0%)"),
            "{}",
            failure.message
        );
    }

    #[test]
    fn engine_budget_converts_criterion_ns_to_ms() {
        let mut metrics = good_metrics();
        set(&mut metrics, "diff/patch", |m| m.median = 2.5e6);
        let eval = run(&metrics, None, &parity_ok());
        let outcome = eval
            .budgets
            .iter()
            .find(|b| b.id == "engine-median")
            .unwrap();
        assert_eq!(outcome.measured, Some(2.5));
        assert!(!eval.passed);
    }

    #[test]
    fn speedup_below_minimum_fails() {
        let mut metrics = good_metrics();
        set(&mut metrics, "patch/fallback", |m| m.median = 7.5);
        let eval = run(&metrics, None, &parity_ok());
        assert!(!eval.passed);
        assert!(
            eval.failures.iter().any(|f| f
                .message
                .contains("7.50x is below the minimum 10.0x by 2.50x (-25.0%)")),
            "{:#?}",
            eval.failures
        );
    }

    #[test]
    fn parity_failure_fails_even_when_every_budget_holds() {
        let parity = vec![ParityCheck {
            name: "node tests".into(),
            passed: false,
            detail: "exit status 1".into(),
        }];
        let eval = run(&good_metrics(), Some(&baseline(1_000_000)), &parity);
        assert!(!eval.passed);
        assert_eq!(eval.failures.len(), 1);
        assert_eq!(eval.failures[0].kind, FailureKind::Parity);
        assert!(eval.failures[0].message.contains("node tests"));
    }

    #[test]
    fn callgrind_regression_beyond_the_limit_fails() {
        // baseline 1,000,000 -> current 1,000,000 is +0%; a baseline of 940,000 makes it +6.38%.
        let eval = run(&good_metrics(), Some(&baseline(940_000)), &parity_ok());
        assert!(!eval.passed);
        let failure = eval
            .failures
            .iter()
            .find(|f| f.kind == FailureKind::Regression)
            .unwrap();
        assert!(
            failure.message.contains("+6.38%") && failure.message.contains("exceeds the +5% limit"),
            "{}",
            failure.message
        );
        // +4.17% stays within the limit.
        assert!(run(&good_metrics(), Some(&baseline(960_000)), &parity_ok()).passed);
    }

    #[test]
    fn callgrind_improvement_and_new_benches_are_notices() {
        let eval = run(&good_metrics(), Some(&baseline(2_000_000)), &parity_ok());
        assert!(eval.passed);
        assert_eq!(eval.regressions[0].status, RegressionStatus::Improved);
        let mut empty = baseline(0);
        empty.instructions.clear();
        empty.instructions.insert("gone".into(), 5);
        let eval = run(&good_metrics(), Some(&empty), &parity_ok());
        assert!(eval.passed);
        let statuses: Vec<_> = eval.regressions.iter().map(|r| r.status).collect();
        assert_eq!(
            statuses,
            vec![RegressionStatus::New, RegressionStatus::Missing]
        );
    }

    #[test]
    fn zero_instruction_count_fails_with_or_without_a_baseline() {
        let mut metrics = good_metrics();
        set(&mut metrics, "create/code-2k", |m| m.median = 0.0);
        for baseline in [Some(baseline(1_000_000)), None] {
            let eval = run(&metrics, baseline.as_ref(), &parity_ok());
            assert!(!eval.passed);
            assert!(eval.failures[0].message.contains("counted 0 instructions"));
        }
    }

    #[test]
    fn update_baseline_accepts_a_regression_but_not_a_zero_count() {
        let budgets = budgets();
        let old = baseline(500_000);
        let accept = |metrics: &[Metric]| {
            evaluate(&GateInput {
                budgets: &budgets,
                metrics,
                baseline: Some(&old),
                parity: &parity_ok(),
                failed_steps: &[],
                accept_regressions: true,
            })
        };
        let eval = accept(&good_metrics());
        assert!(eval.passed, "{:#?}", eval.failures);
        assert!(eval
            .notices
            .iter()
            .any(|n| n.contains("accepted by --update-baseline")));
        let mut zero = good_metrics();
        set(&mut zero, "create/code-2k", |m| m.median = 0.0);
        assert!(!accept(&zero).passed);
    }

    #[test]
    fn without_a_baseline_new_benches_make_one_notice() {
        let eval = run(&good_metrics(), None, &parity_ok());
        assert!(eval.passed);
        assert_eq!(
            eval.notices
                .iter()
                .filter(|n| n.contains("baseline"))
                .count(),
            1,
            "{:?}",
            eval.notices
        );
    }

    #[test]
    fn p2_miss_is_reported_but_does_not_fail() {
        let mut metrics = good_metrics();
        set(&mut metrics, "json/native", |m| m.p99 = Some(3.0));
        let eval = run(&metrics, Some(&baseline(1_000_000)), &parity_ok());
        assert!(eval.passed, "{:#?}", eval.failures);
        let outcome = eval.budgets.iter().find(|b| b.id == "json-p99").unwrap();
        assert_eq!(outcome.status, BudgetStatus::Fail);
        assert!(!outcome.gating);
        assert!(eval
            .notices
            .iter()
            .any(|n| n.contains("json-p99") && n.contains("not gated")));
    }

    #[test]
    fn a_blocked_budget_is_reported_with_its_reason_and_the_others_still_gate() {
        let text = BUDGETS.replace(
            "limit = 10.0\ngoal = 30.0",
            "limit = 10.0\ngoal = 30.0\nblocked = \"needs 8 cores\"",
        );
        let budgets = Budgets::parse(&text).unwrap();
        let mut metrics = good_metrics();
        set(&mut metrics, "patch/fallback", |m| m.median = 2.0);
        let evaluate_with = |metrics: &[Metric]| {
            evaluate(&GateInput {
                budgets: &budgets,
                metrics,
                baseline: Some(&baseline(1_000_000)),
                parity: &parity_ok(),
                failed_steps: &[],
                accept_regressions: false,
            })
        };
        let eval = evaluate_with(&metrics);
        assert!(eval.passed, "{:#?}", eval.failures);
        assert!(
            eval.notices
                .iter()
                .any(|n| n.contains("diff-speedup")
                    && n.contains("not gated, blocked: needs 8 cores"))
        );
        // The same track's other budgets still gate.
        set(&mut metrics, "patch/native", |m| m.p99 = Some(9.0));
        assert!(!evaluate_with(&metrics).passed);
    }

    #[test]
    fn a_missing_gated_metric_fails_and_says_which() {
        let metrics: Vec<Metric> = good_metrics()
            .into_iter()
            .filter(|m| m.name != "patch/fallback")
            .collect();
        let eval = run(&metrics, None, &parity_ok());
        assert!(!eval.passed);
        let outcome = eval
            .budgets
            .iter()
            .find(|b| b.id == "diff-speedup")
            .unwrap();
        assert_eq!(outcome.status, BudgetStatus::Missing);
        assert!(
            outcome.message.contains("no node metric `patch/fallback`"),
            "{}",
            outcome.message
        );
    }

    #[test]
    fn incompatible_units_are_not_silently_compared() {
        let mut metrics = good_metrics();
        set(&mut metrics, "diff/patch", |m| {
            m.unit = "instructions".into()
        });
        let outcome = &run(&metrics, None, &parity_ok()).budgets[2];
        assert_eq!(outcome.status, BudgetStatus::Missing);
        assert!(outcome.message.contains("cannot be compared"));
    }

    #[test]
    fn a_failed_step_fails_the_gate() {
        let budgets = budgets();
        let metrics = good_metrics();
        let steps = vec!["bench: `cargo bench` failed".to_string()];
        let eval = evaluate(&GateInput {
            budgets: &budgets,
            metrics: &metrics,
            baseline: None,
            parity: &parity_ok(),
            failed_steps: &steps,
            accept_regressions: false,
        });
        assert!(!eval.passed);
        assert_eq!(eval.failures[0].kind, FailureKind::Step);
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            /// A gated latency budget passes exactly when the measured p99 is within the limit.
            #[test]
            fn latency_budget_passes_iff_within_limit(p99 in 0.01f64..20.0) {
                let mut metrics = good_metrics();
                set(&mut metrics, "patch/native", |m| m.p99 = Some(p99));
                let eval = run(&metrics, None, &parity_ok());
                prop_assert_eq!(eval.passed, p99 <= 5.0);
            }

            /// A callgrind count fails exactly when it grows more than the limit over the baseline.
            #[test]
            fn regression_fails_iff_growth_exceeds_limit(base in 1_000u64..10_000_000, growth_pct in -50.0f64..50.0) {
                let current = (base as f64 * (1.0 + growth_pct / 100.0)).round();
                let mut metrics = good_metrics();
                set(&mut metrics, "create/code-2k", |m| m.median = current);
                let eval = run(&metrics, Some(&baseline(base)), &parity_ok());
                let delta = (current / base as f64 - 1.0) * 100.0;
                prop_assert_eq!(eval.passed, current > 0.0 && delta <= 5.0);
            }

            /// P2/P3 numbers never change the verdict, whatever they are.
            #[test]
            fn p2_metrics_never_change_the_verdict(p99 in 0.0f64..1e6) {
                let mut metrics = good_metrics();
                set(&mut metrics, "json/native", |m| m.p99 = Some(p99));
                prop_assert!(run(&metrics, None, &parity_ok()).passed);
            }
        }
    }
}
