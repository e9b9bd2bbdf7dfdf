//! The committed callgrind baseline, `reports/<platform>/callgrind-baseline.json`: one
//! instruction count per callgrind bench, compared by `regression::check_regressions`.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::results::{write_json, Metric, Source};

pub const BASELINE_SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub schema_version: u32,
    pub platform: String,
    pub git_commit: String,
    pub created_at: String,
    /// Callgrind metric name -> instructions executed (Ir).
    pub instructions: BTreeMap<String, u64>,
}

impl Baseline {
    pub fn empty() -> Baseline {
        Baseline {
            schema_version: BASELINE_SCHEMA_VERSION,
            platform: String::new(),
            git_commit: String::new(),
            created_at: String::new(),
            instructions: BTreeMap::new(),
        }
    }

    pub fn from_metrics(
        metrics: &[Metric],
        platform: &str,
        git_commit: &str,
        created_at: &str,
    ) -> Baseline {
        let instructions = metrics
            .iter()
            .filter(|m| m.source == Source::Callgrind)
            .map(|m| (m.name.clone(), m.median.round() as u64))
            .collect();
        Baseline {
            schema_version: BASELINE_SCHEMA_VERSION,
            platform: platform.to_string(),
            git_commit: git_commit.to_string(),
            created_at: created_at.to_string(),
            instructions,
        }
    }

    /// `Ok(None)` when there is no baseline yet; an unreadable or malformed one is an error.
    pub fn read_if_present(path: &Path) -> Result<Option<Baseline>> {
        if !path.exists() {
            return Ok(None);
        }
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let baseline: Baseline = serde_json::from_str(&text).with_context(|| {
            format!(
                "{} is not a valid callgrind baseline: fix it, or delete it and run `cargo xtask gate` to write a new one",
                path.display()
            )
        })?;
        anyhow::ensure!(
            baseline.schema_version == BASELINE_SCHEMA_VERSION,
            "{} has schema_version {}, expected {BASELINE_SCHEMA_VERSION}",
            path.display(),
            baseline.schema_version
        );
        Ok(Some(baseline))
    }

    pub fn write(&self, path: &Path) -> Result<()> {
        write_json(path, self)
    }
}
