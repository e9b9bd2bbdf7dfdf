//! Reads the node bench output (`benches/node/*.bench.mjs --out <file>`).

use std::path::Path;

use anyhow::{Context, Result};
use serde::Deserialize;

use crate::results::{Metric, Source};

#[derive(Deserialize)]
struct NodeBench {
    track: String,
    results: Vec<NodeResult>,
}

#[derive(Deserialize)]
struct NodeResult {
    workload: String,
    #[serde(rename = "impl")]
    implementation: String,
    median_ms: f64,
    p99_ms: f64,
    mean_ms: f64,
    samples: u64,
}

pub fn read(path: &Path) -> Result<Vec<Metric>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read node bench output {}", path.display()))?;
    metrics_from_json(&text)
        .with_context(|| format!("malformed node bench output {}", path.display()))
}

pub fn metrics_from_json(text: &str) -> Result<Vec<Metric>> {
    let bench: NodeBench = serde_json::from_str(text)?;
    anyhow::ensure!(!bench.results.is_empty(), "it holds no results");
    Ok(bench
        .results
        .into_iter()
        .map(|r| Metric {
            track: bench.track.clone(),
            name: format!("{}/{}", r.workload, r.implementation),
            source: Source::Node,
            unit: "ms".to_string(),
            median: r.median_ms,
            p99: Some(r.p99_ms),
            mean: Some(r.mean_ms),
            samples: Some(r.samples),
            workload: Some(r.workload),
            implementation: Some(r.implementation),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_result_becomes_a_named_metric() {
        let json = r#"{"track":"diff","node":"v20","results":[
            {"workload":"createTwoFilesPatch/code-2k-1pct","impl":"native","median_ms":0.5,"p99_ms":0.9,"mean_ms":0.6,"samples":400}]}"#;
        let metrics = metrics_from_json(json).unwrap();
        assert_eq!(metrics[0].name, "createTwoFilesPatch/code-2k-1pct/native");
        assert_eq!(
            (metrics[0].median, metrics[0].p99, metrics[0].samples),
            (0.5, Some(0.9), Some(400))
        );
        assert_eq!(metrics[0].implementation.as_deref(), Some("native"));
    }

    #[test]
    fn empty_or_malformed_output_is_an_error() {
        assert!(metrics_from_json(r#"{"track":"diff","results":[]}"#).is_err());
        assert!(metrics_from_json(r#"{"results":[{"workload":"w"}]}"#).is_err());
    }
}
