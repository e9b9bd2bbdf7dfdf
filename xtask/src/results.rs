//! The measurement record every bench source is collected into: `target/ku0-bench/results.json`.

use std::fmt;
use std::path::Path;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

pub const RESULTS_SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Node,
    Criterion,
    Callgrind,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Node => "node",
            Source::Criterion => "criterion",
            Source::Callgrind => "callgrind",
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One measured metric. `(source, name)` identifies it across runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metric {
    /// The accelerator track, e.g. `diff`.
    pub track: String,
    /// Unique within its source: node `createTwoFilesPatch/code-2k-1pct/native`,
    /// criterion `diff/create_two_files_patch/code-2k-1pct`, callgrind `create_two_files_patch/code-2k-1pct`.
    pub name: String,
    pub source: Source,
    /// `ms` (node), `ns` (criterion) or `instructions` (callgrind).
    pub unit: String,
    /// Median of the samples; for callgrind the single (deterministic) count.
    pub median: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p99: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub samples: Option<u64>,
    /// Node only: the workload (`createTwoFilesPatch/code-2k-1pct`) and implementation (`native`/`fallback`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workload: Option<String>,
    #[serde(rename = "impl", default, skip_serializing_if = "Option::is_none")]
    pub implementation: Option<String>,
}

impl Metric {
    pub fn stat(&self, stat: Stat) -> Option<f64> {
        match stat {
            Stat::Median => Some(self.median),
            Stat::P99 => self.p99,
            Stat::Mean => self.mean,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stat {
    Median,
    P99,
    Mean,
}

impl fmt::Display for Stat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stat::Median => "median",
            Stat::P99 => "p99",
            Stat::Mean => "mean",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Results {
    pub schema_version: u32,
    pub created_at: String,
    pub git_commit: String,
    pub platform: String,
    pub metrics: Vec<Metric>,
}

impl Results {
    pub fn read(path: &Path) -> Result<Results> {
        let text = std::fs::read_to_string(path).with_context(|| {
            format!(
                "cannot read {}: run `cargo xtask bench` to create it",
                path.display()
            )
        })?;
        let results: Results = serde_json::from_str(&text)
            .with_context(|| format!("{} is not a valid results file", path.display()))?;
        anyhow::ensure!(
            results.schema_version == RESULTS_SCHEMA_VERSION,
            "{} has schema_version {}, this xtask reads {RESULTS_SCHEMA_VERSION}: re-run `cargo xtask bench`",
            path.display(),
            results.schema_version
        );
        Ok(results)
    }

    pub fn write(&self, path: &Path) -> Result<()> {
        write_json(path, self)
    }
}

pub fn find_metric<'a>(metrics: &'a [Metric], source: Source, name: &str) -> Option<&'a Metric> {
    metrics
        .iter()
        .find(|m| m.source == source && m.name == name)
}

/// Writes pretty JSON with a trailing newline, creating parent directories.
pub fn write_json<T: Serialize>(path: &Path, value: &T) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

#[cfg(test)]
pub mod fixtures {
    use super::*;

    pub fn metric(source: Source, name: &str, unit: &str, median: f64, p99: Option<f64>) -> Metric {
        Metric {
            track: "diff".into(),
            name: name.into(),
            source,
            unit: unit.into(),
            median,
            p99,
            mean: None,
            samples: Some(100),
            workload: None,
            implementation: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::metric;
    use super::*;

    #[test]
    fn json_round_trip_keeps_every_field() {
        let mut m = metric(
            Source::Node,
            "createTwoFilesPatch/code-2k-1pct/native",
            "ms",
            1.5,
            Some(2.5),
        );
        m.workload = Some("createTwoFilesPatch/code-2k-1pct".into());
        m.implementation = Some("native".into());
        let results = Results {
            schema_version: RESULTS_SCHEMA_VERSION,
            created_at: "2025-01-01T00:00:00Z".into(),
            git_commit: "abc".into(),
            platform: "linux-x64".into(),
            metrics: vec![m],
        };
        let json = serde_json::to_string(&results).unwrap();
        assert!(
            json.contains(r#""source":"node""#) && json.contains(r#""impl":"native""#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<Results>(&json).unwrap(), results);
    }

    #[test]
    fn unknown_fields_are_rejected() {
        let json = r#"{"track":"diff","name":"x","source":"node","unit":"ms","median":1,"p999":2}"#;
        let err = serde_json::from_str::<Metric>(json)
            .unwrap_err()
            .to_string();
        assert!(err.contains("p999"), "{err}");
    }
}
