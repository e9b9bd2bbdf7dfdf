//! Judging one budget of `benches/budgets.toml` against the measured metrics (pure).

use serde::{Deserialize, Serialize};

use crate::budgets::{convert, Budget, Budgets, Check, Priority};
use crate::numfmt::fmt_value;
use crate::results::{find_metric, Metric};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BudgetStatus {
    Pass,
    Fail,
    /// The metric could not be measured or compared; judged like a failure.
    Missing,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BudgetOutcome {
    pub id: String,
    pub track: String,
    pub priority: Priority,
    pub description: String,
    pub check: Check,
    /// In `unit` for `max`, a ratio (`x`) for `min_speedup`.
    pub measured: Option<f64>,
    pub limit: f64,
    pub goal: Option<f64>,
    pub goal_met: Option<bool>,
    pub unit: String,
    pub status: BudgetStatus,
    /// Whether a non-pass fails the gate (P0/P1, a shipped track, not blocked).
    pub gating: bool,
    /// Why the budget cannot be met on this machine (`blocked` in budgets.toml).
    pub blocked: Option<String>,
    pub message: String,
}

impl BudgetOutcome {
    pub fn fails_gate(&self) -> bool {
        self.gating && self.status != BudgetStatus::Pass
    }

    /// How a miss that does not gate is labelled: `not gated`, with the reason when blocked.
    pub fn not_gated_label(&self) -> String {
        match &self.blocked {
            Some(why) => format!("not gated, blocked: {why}"),
            None => "not gated".to_string(),
        }
    }
}

pub fn evaluate_budget(budgets: &Budgets, budget: &Budget, metrics: &[Metric]) -> BudgetOutcome {
    let priority = budgets.priority_of(budget);
    let unit = match budget.check {
        Check::Max => budget.unit.clone().unwrap_or_default(),
        Check::MinSpeedup => "x".to_string(),
    };
    let measured = measure(budget, metrics);
    let (status, measured, message) = match measured {
        Err(why) => (BudgetStatus::Missing, None, why),
        Ok(value) => {
            let passed = match budget.check {
                Check::Max => value <= budget.limit,
                Check::MinSpeedup => value >= budget.limit,
            };
            let status = if passed {
                BudgetStatus::Pass
            } else {
                BudgetStatus::Fail
            };
            (status, Some(value), describe(budget, value, &unit, passed))
        }
    };
    let goal_met = match (budget.goal, measured) {
        (Some(goal), Some(value)) => Some(match budget.check {
            Check::Max => value <= goal,
            Check::MinSpeedup => value >= goal,
        }),
        _ => None,
    };
    BudgetOutcome {
        id: budget.id.clone(),
        track: budget.track.clone(),
        priority,
        description: budget.description.clone(),
        check: budget.check,
        measured,
        limit: budget.limit,
        goal: budget.goal,
        goal_met,
        unit,
        status,
        gating: budgets.gates(&budget.track, priority) && budget.blocked.is_none(),
        blocked: budget.blocked.clone(),
        message,
    }
}

/// The budget's measured value, in the budget's unit (or as a ratio), or why there is none.
fn measure(budget: &Budget, metrics: &[Metric]) -> Result<f64, String> {
    let value = stat_of(budget, &budget.metric, metrics)?;
    match budget.check {
        Check::Max => {
            let metric =
                find_metric(metrics, budget.source, &budget.metric).expect("found by stat_of");
            let unit = budget.unit.as_deref().unwrap_or_default();
            convert(value, &metric.unit, unit).ok_or_else(|| {
                format!("{} `{}` is measured in `{}`, which cannot be compared with the limit's `{unit}`", budget.source, budget.metric, metric.unit)
            })
        }
        Check::MinSpeedup => {
            let against = budget.against.as_deref().unwrap_or_default();
            let reference = stat_of(budget, against, metrics)?;
            if value <= 0.0 {
                return Err(format!(
                    "{} `{}` {} is {value}: a speedup needs a positive time",
                    budget.source, budget.metric, budget.stat
                ));
            }
            Ok(reference / value)
        }
    }
}

fn stat_of(budget: &Budget, name: &str, metrics: &[Metric]) -> Result<f64, String> {
    let metric = find_metric(metrics, budget.source, name).ok_or_else(|| {
        format!(
            "no {} metric `{name}` in the results: was its bench run?",
            budget.source
        )
    })?;
    match metric.stat(budget.stat) {
        Some(v) if v.is_finite() => Ok(v),
        Some(v) => Err(format!(
            "{} `{name}` {} is not a finite number ({v})",
            budget.source, budget.stat
        )),
        None => Err(format!("{} `{name}` has no {}", budget.source, budget.stat)),
    }
}

fn describe(budget: &Budget, value: f64, unit: &str, passed: bool) -> String {
    let limit = budget.limit;
    let what = match budget.check {
        Check::Max => format!("{} {}", budget.metric, budget.stat),
        Check::MinSpeedup => format!(
            "speedup {} vs {} ({})",
            budget.metric,
            budget.against.as_deref().unwrap_or(""),
            budget.stat
        ),
    };
    match (budget.check, passed) {
        (Check::Max, true) => format!(
            "{what} = {} <= limit {}",
            fmt_value(value, unit),
            fmt_value(limit, unit)
        ),
        (Check::MinSpeedup, true) => format!(
            "{what} = {} >= minimum {}",
            fmt_value(value, unit),
            fmt_value(limit, unit)
        ),
        (Check::Max, false) => format!(
            "{what} = {} exceeds the limit {} by {} (+{:.1}%)",
            fmt_value(value, unit),
            fmt_value(limit, unit),
            fmt_value(value - limit, unit),
            (value / limit - 1.0) * 100.0
        ),
        (Check::MinSpeedup, false) => format!(
            "{what} = {} is below the minimum {} by {} (-{:.1}%)",
            fmt_value(value, unit),
            fmt_value(limit, unit),
            fmt_value(limit - value, unit),
            (1.0 - value / limit) * 100.0
        ),
    }
}
