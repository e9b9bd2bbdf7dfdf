//! The callgrind regression check: instruction counts against the committed baseline (pure).

use serde::{Deserialize, Serialize};

use super::baseline::Baseline;
use crate::budgets::Budgets;
use crate::numfmt::fmt_count;
use crate::results::{find_metric, Metric, Source};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegressionStatus {
    Within,
    Regressed,
    Improved,
    /// Measured now but not in the baseline.
    New,
    /// In the baseline but not measured now.
    Missing,
    /// Callgrind counted nothing: a broken bench profile (stripped symbols), never a real result.
    ZeroCount,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegressionOutcome {
    pub name: String,
    pub track: String,
    pub baseline: Option<u64>,
    pub current: Option<u64>,
    pub delta_pct: Option<f64>,
    pub limit_pct: f64,
    pub status: RegressionStatus,
    pub gating: bool,
    pub message: String,
}

impl RegressionOutcome {
    pub fn fails_gate(&self) -> bool {
        self.gating
            && matches!(
                self.status,
                RegressionStatus::Regressed | RegressionStatus::ZeroCount
            )
    }
}

/// Compares every callgrind metric with the baseline's count.
pub fn check_regressions(
    budgets: &Budgets,
    metrics: &[Metric],
    baseline: &Baseline,
) -> Vec<RegressionOutcome> {
    let limit_pct = budgets.callgrind.max_regression_pct;
    let mut outcomes: Vec<RegressionOutcome> = metrics
        .iter()
        .filter(|m| m.source == Source::Callgrind)
        .map(|m| {
            let current = m.median.round().max(0.0) as u64;
            let base = baseline.instructions.get(&m.name).copied();
            let gating = budgets.gates(&m.track, budgets.track_priority(&m.track));
            let (status, delta_pct, message) = regression_status(base, current, limit_pct);
            RegressionOutcome {
                name: m.name.clone(),
                track: m.track.clone(),
                baseline: base,
                current: Some(current),
                delta_pct,
                limit_pct,
                status,
                gating,
                message,
            }
        })
        .collect();
    for (name, &count) in &baseline.instructions {
        if find_metric(metrics, Source::Callgrind, name).is_none() {
            outcomes.push(RegressionOutcome {
                name: name.clone(),
                track: String::new(),
                baseline: Some(count),
                current: None,
                delta_pct: None,
                limit_pct,
                status: RegressionStatus::Missing,
                gating: false,
                message: "in the baseline but not measured in this run (removed or renamed? `--update-baseline` drops it)".to_string(),
            });
        }
    }
    outcomes
}

fn regression_status(
    baseline: Option<u64>,
    current: u64,
    limit_pct: f64,
) -> (RegressionStatus, Option<f64>, String) {
    if current == 0 {
        return (
            RegressionStatus::ZeroCount,
            None,
            "callgrind counted 0 instructions: the bench profile must keep symbols ([profile.bench] debug = true, strip = \"none\")".to_string(),
        );
    }
    let Some(base) = baseline else {
        return (
            RegressionStatus::New,
            None,
            format!(
                "{} instructions, not in the baseline yet",
                fmt_count(current)
            ),
        );
    };
    if base == 0 {
        return (
            RegressionStatus::New,
            None,
            "the baseline holds 0 instructions (a broken run): `--update-baseline` replaces it"
                .to_string(),
        );
    }
    let delta_pct = (current as f64 / base as f64 - 1.0) * 100.0;
    let change = format!(
        "{} -> {} instructions ({delta_pct:+.2}%)",
        fmt_count(base),
        fmt_count(current)
    );
    if delta_pct > limit_pct {
        let over = delta_pct - limit_pct;
        (
            RegressionStatus::Regressed,
            Some(delta_pct),
            format!("{change} exceeds the +{limit_pct}% limit by {over:.2} points"),
        )
    } else if delta_pct < -limit_pct {
        (RegressionStatus::Improved, Some(delta_pct), format!("{change}: improved beyond {limit_pct}%, consider `cargo xtask gate --update-baseline`"))
    } else {
        (RegressionStatus::Within, Some(delta_pct), change)
    }
}
