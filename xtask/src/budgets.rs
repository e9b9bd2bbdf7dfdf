//! `benches/budgets.toml`: what "fast enough" means. Parsing and validation only; evaluation
//! lives in `gate::verdict`.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

use crate::results::{Source, Stat};

pub const BUDGETS_SCHEMA_VERSION: u32 = 1;

/// Release priority of a track (ARCHITECTURE.md): P0/P1 budgets gate, P2/P3 are reported only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Priority {
    P0,
    P1,
    P2,
    P3,
}

impl Priority {
    pub fn gates(self) -> bool {
        matches!(self, Priority::P0 | Priority::P1)
    }
}

impl fmt::Display for Priority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// The metric's stat must be at most `limit` (in `unit`).
    Max,
    /// `against`'s stat divided by the metric's stat must be at least `limit`.
    MinSpeedup,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Budgets {
    pub schema_version: u32,
    pub callgrind: CallgrindPolicy,
    pub tracks: BTreeMap<String, TrackPolicy>,
    #[serde(default, rename = "budget")]
    pub budgets: Vec<Budget>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallgrindPolicy {
    /// Allowed growth of a bench's instruction count over the committed baseline, in percent.
    pub max_regression_pct: f64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrackPolicy {
    pub priority: Priority,
    /// `"in-progress"` while a track's issue is open: its budgets and callgrind counts are
    /// measured and reported but gate nothing yet, so a half-built track cannot block the
    /// shipped ones. Parity failures gate whatever the status.
    #[serde(default)]
    pub status: TrackStatus,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TrackStatus {
    #[default]
    Shipped,
    InProgress,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Budget {
    pub id: String,
    pub track: String,
    /// Overrides the track's priority for this budget.
    #[serde(default)]
    pub priority: Option<Priority>,
    pub description: String,
    pub check: Check,
    pub source: Source,
    pub metric: String,
    pub stat: Stat,
    /// `min_speedup` only: the slower reference metric (same source and stat).
    #[serde(default)]
    pub against: Option<String>,
    pub limit: f64,
    /// Reported, never gated: the value we aim for.
    #[serde(default)]
    pub goal: Option<f64>,
    /// `max` only: the unit of `limit` and `goal` (`ns`, `us`, `ms`, `s`, or the metric's own unit).
    #[serde(default)]
    pub unit: Option<String>,
    /// Why no implementation can meet this budget on the machine the gate runs on (its issue
    /// is marked blocked for that reason): measured and reported with the reason, never gated,
    /// while the track's other budgets still gate.
    #[serde(default)]
    pub blocked: Option<String>,
}

impl Budgets {
    pub fn load(path: &Path) -> Result<Budgets> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        Budgets::parse(&text).with_context(|| format!("invalid budgets file {}", path.display()))
    }

    pub fn parse(text: &str) -> Result<Budgets> {
        let budgets: Budgets = toml::from_str(text)?;
        budgets.validate()?;
        Ok(budgets)
    }

    /// The priority a budget is judged at.
    pub fn priority_of(&self, budget: &Budget) -> Priority {
        budget
            .priority
            .unwrap_or_else(|| self.track_priority(&budget.track))
    }

    /// A track missing from `[tracks]` is treated as gating (P1): a new track must not slip
    /// through ungated because someone forgot to list it.
    pub fn track_priority(&self, track: &str) -> Priority {
        self.tracks.get(track).map_or(Priority::P1, |t| t.priority)
    }

    /// Whether a budget's or callgrind bench's miss fails the gate: gating priority, shipped track.
    pub fn gates(&self, track: &str, priority: Priority) -> bool {
        let shipped = self
            .tracks
            .get(track)
            .is_none_or(|t| t.status == TrackStatus::Shipped);
        priority.gates() && shipped
    }

    fn validate(&self) -> Result<()> {
        if self.schema_version != BUDGETS_SCHEMA_VERSION {
            bail!(
                "schema_version is {}, expected {BUDGETS_SCHEMA_VERSION}",
                self.schema_version
            );
        }
        let pct = self.callgrind.max_regression_pct;
        if !(pct.is_finite() && pct >= 0.0) {
            bail!("[callgrind] max_regression_pct must be a non-negative number, got {pct}");
        }
        let mut seen = std::collections::BTreeSet::new();
        for b in &self.budgets {
            let at = format!("budget `{}`", b.id);
            if b.id.is_empty() || !seen.insert(b.id.as_str()) {
                bail!("{at}: ids must be non-empty and unique");
            }
            if !self.tracks.contains_key(&b.track) {
                bail!("{at}: track `{}` is not listed under [tracks]", b.track);
            }
            if !(b.limit.is_finite() && b.limit > 0.0) {
                bail!("{at}: limit must be a positive number, got {}", b.limit);
            }
            if b.blocked
                .as_deref()
                .is_some_and(|why| why.trim().is_empty())
            {
                bail!("{at}: `blocked` must say why the budget cannot be met here");
            }
            if let Some(goal) = b.goal {
                if !(goal.is_finite() && goal > 0.0) {
                    bail!("{at}: goal must be a positive number, got {goal}");
                }
            }
            match b.check {
                Check::Max => {
                    if b.against.is_some() {
                        bail!("{at}: `against` only applies to check = \"min_speedup\"");
                    }
                    let Some(unit) = &b.unit else {
                        bail!("{at}: check = \"max\" needs a `unit` for its limit");
                    };
                    if unit.is_empty() {
                        bail!("{at}: unit must not be empty");
                    }
                }
                Check::MinSpeedup => {
                    if b.against.as_deref().is_none_or(str::is_empty) {
                        bail!("{at}: check = \"min_speedup\" needs `against`, the slower reference metric");
                    }
                    if b.unit.is_some() {
                        bail!("{at}: a speedup is a ratio; remove `unit`");
                    }
                }
            }
        }
        Ok(())
    }
}

/// Nanoseconds in one `unit`, for time units; `None` for anything else.
pub fn time_unit_in_ns(unit: &str) -> Option<f64> {
    match unit {
        "ns" => Some(1.0),
        "us" | "µs" => Some(1e3),
        "ms" => Some(1e6),
        "s" => Some(1e9),
        _ => None,
    }
}

/// Converts `value` from unit `from` to unit `to`: equal units, or two time units.
pub fn convert(value: f64, from: &str, to: &str) -> Option<f64> {
    if from == to {
        return Some(value);
    }
    Some(value * time_unit_in_ns(from)? / time_unit_in_ns(to)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &str = r#"
schema_version = 1
[callgrind]
max_regression_pct = 5.0
[tracks.diff]
priority = "P1"
[[budget]]
id = "a"
track = "diff"
description = "d"
check = "max"
source = "node"
metric = "m"
stat = "p99"
limit = 5.0
unit = "ms"
[[budget]]
id = "b"
track = "diff"
description = "d"
check = "min_speedup"
source = "node"
metric = "m"
against = "f"
stat = "median"
limit = 10.0
goal = 30.0
"#;

    #[test]
    fn parses_the_documented_schema() {
        let b = Budgets::parse(VALID).unwrap();
        assert_eq!(b.budgets.len(), 2);
        assert_eq!(b.priority_of(&b.budgets[0]), Priority::P1);
        assert_eq!(b.budgets[1].goal, Some(30.0));
        assert_eq!(b.track_priority("unlisted"), Priority::P1);
        assert!(b.gates("diff", Priority::P1) && b.gates("unlisted", Priority::P1));
        assert!(!b.gates("diff", Priority::P2));
    }

    #[test]
    fn a_blocked_budget_must_say_why() {
        let with =
            |why: &str| VALID.replace("goal = 30.0", &format!("goal = 30.0\nblocked = {why:?}"));
        let b = Budgets::parse(&with("two cores")).unwrap();
        assert_eq!(b.budgets[1].blocked.as_deref(), Some("two cores"));
        assert!(Budgets::parse(&with(" ")).is_err());
    }

    #[test]
    fn in_progress_tracks_are_reported_but_do_not_gate() {
        let text = VALID.replace(
            "[tracks.diff]\npriority = \"P1\"",
            "[tracks.diff]\npriority = \"P1\"\nstatus = \"in-progress\"",
        );
        let b = Budgets::parse(&text).unwrap();
        assert_eq!(b.tracks["diff"].status, TrackStatus::InProgress);
        assert!(!b.gates("diff", Priority::P0));
        assert!(Budgets::parse(
            &VALID.replace("priority = \"P1\"", "priority = \"P1\"\nstatus = \"done\"")
        )
        .is_err());
    }

    #[test]
    fn the_committed_budgets_file_is_valid() {
        let path = crate::workspace::root().join("benches/budgets.toml");
        let budgets = Budgets::load(&path).unwrap();
        assert!(budgets.budgets.iter().any(|b| b.check == Check::MinSpeedup));
    }

    fn assert_rejected(text: &str, expected: &str) {
        let err = format!("{:#}", Budgets::parse(text).unwrap_err());
        assert!(err.contains(expected), "expected `{expected}` in: {err}");
    }

    #[test]
    fn mistakes_are_rejected_with_the_reason() {
        assert_rejected(
            &VALID.replace("limit = 5.0", "limit = -1.0"),
            "limit must be a positive",
        );
        assert_rejected(&VALID.replace("unit = \"ms\"", ""), "needs a `unit`");
        assert_rejected(&VALID.replace("against = \"f\"", ""), "needs `against`");
        assert_rejected(&VALID.replace("id = \"b\"", "id = \"a\""), "unique");
        assert_rejected(
            &VALID.replace(
                "track = \"diff\"\ndescription",
                "track = \"tok\"\ndescription",
            ),
            "not listed",
        );
        assert_rejected(&VALID.replace("stat = \"p99\"", "stat = \"p95\""), "p95");
        assert_rejected(&VALID.replace("limit = 5.0", "limt = 5.0"), "limt");
        assert_rejected(
            &VALID.replace("schema_version = 1", "schema_version = 2"),
            "schema_version",
        );
        assert_rejected(&VALID.replace("\"P1\"", "\"P7\""), "P7");
    }

    #[test]
    fn unit_conversion() {
        assert_eq!(convert(2.0, "ms", "ns"), Some(2e6));
        assert_eq!(convert(1500.0, "us", "ms"), Some(1.5));
        assert_eq!(convert(7.0, "instructions", "instructions"), Some(7.0));
        assert_eq!(convert(7.0, "instructions", "ms"), None);
    }
}
