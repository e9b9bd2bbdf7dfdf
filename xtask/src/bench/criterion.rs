//! Reads criterion's per-bench outputs: `target/criterion/**/new/{benchmark,estimates,sample}.json`.

use std::path::Path;
use std::time::SystemTime;

use anyhow::{Context, Result};
use serde::Deserialize;

use super::files::{find_files_named, modified_since};
use crate::results::{Metric, Source};
use crate::stats;

#[derive(Deserialize)]
struct BenchmarkId {
    group_id: String,
    full_id: String,
}

#[derive(Deserialize)]
struct Estimate {
    point_estimate: f64,
}

#[derive(Deserialize)]
struct Estimates {
    mean: Estimate,
    median: Estimate,
}

/// Total time (ns) of `iters[i]` iterations in sample `i`.
#[derive(Deserialize)]
struct Sample {
    iters: Vec<f64>,
    times: Vec<f64>,
}

/// Every criterion bench under `criterion_dir` whose results were written at or after `since`.
pub fn collect(criterion_dir: &Path, since: Option<SystemTime>) -> Result<Vec<Metric>> {
    let mut metrics = Vec::new();
    for benchmark_json in find_files_named(criterion_dir, "benchmark.json")? {
        let dir = benchmark_json.parent().expect("a file has a parent");
        if dir.file_name().is_none_or(|n| n != "new") {
            continue; // `base/` and `change/` hold the previous run
        }
        let estimates_json = dir.join("estimates.json");
        if !modified_since(&estimates_json, since) {
            continue;
        }
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read criterion output {}", path.display()))
        };
        let metric = metric_from_json(
            &read("benchmark.json")?,
            &read("estimates.json")?,
            &read("sample.json")?,
        )
        .with_context(|| format!("malformed criterion output in {}", dir.display()))?;
        metrics.push(metric);
    }
    metrics.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(metrics)
}

pub fn metric_from_json(benchmark: &str, estimates: &str, sample: &str) -> Result<Metric> {
    let id: BenchmarkId = serde_json::from_str(benchmark).context("benchmark.json")?;
    let estimates: Estimates = serde_json::from_str(estimates).context("estimates.json")?;
    let sample: Sample = serde_json::from_str(sample).context("sample.json")?;
    anyhow::ensure!(
        sample.iters.len() == sample.times.len() && !sample.iters.is_empty(),
        "sample.json has {} iteration counts for {} times",
        sample.iters.len(),
        sample.times.len()
    );
    let per_iteration: Vec<f64> = sample
        .times
        .iter()
        .zip(&sample.iters)
        .map(|(t, n)| t / n)
        .collect();
    Ok(Metric {
        track: id.group_id,
        name: id.full_id,
        source: Source::Criterion,
        unit: "ns".to_string(),
        median: estimates.median.point_estimate,
        p99: stats::percentile(&per_iteration, 99.0),
        mean: Some(estimates.mean.point_estimate),
        samples: Some(per_iteration.len() as u64),
        workload: None,
        implementation: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const BENCHMARK: &str = r#"{"group_id":"diff","function_id":"create_two_files_patch","value_str":"code-2k-1pct","throughput":null,"full_id":"diff/create_two_files_patch/code-2k-1pct","directory_name":"diff/create_two_files_patch/code-2k-1pct","title":"diff/create_two_files_patch/code-2k-1pct"}"#;
    const ESTIMATES: &str = r#"{"mean":{"confidence_interval":{"confidence_level":0.95,"lower_bound":1.0,"upper_bound":2.0},"point_estimate":1500.0,"standard_error":1.0},"median":{"confidence_interval":{"confidence_level":0.95,"lower_bound":1.0,"upper_bound":2.0},"point_estimate":1400.0,"standard_error":1.0},"median_abs_dev":{"confidence_interval":{"confidence_level":0.95,"lower_bound":1.0,"upper_bound":2.0},"point_estimate":3.0,"standard_error":1.0},"slope":null,"std_dev":{"confidence_interval":{"confidence_level":0.95,"lower_bound":1.0,"upper_bound":2.0},"point_estimate":3.0,"standard_error":1.0}}"#;

    #[test]
    fn reads_median_mean_and_p99_of_per_iteration_times() {
        // 100 samples; sample i ran i+1 iterations taking 1000*(i+1) ns, except the slowest.
        let iters: Vec<f64> = (1..=100).map(f64::from).collect();
        let mut times: Vec<f64> = iters.iter().map(|n| n * 1000.0).collect();
        times[99] = 100.0 * 9000.0;
        times[98] = 99.0 * 5000.0;
        let sample =
            serde_json::json!({"sampling_mode":"Linear","iters":iters,"times":times}).to_string();
        let m = metric_from_json(BENCHMARK, ESTIMATES, &sample).unwrap();
        assert_eq!(m.name, "diff/create_two_files_patch/code-2k-1pct");
        assert_eq!(m.track, "diff");
        assert_eq!(
            (m.median, m.mean, m.samples),
            (1400.0, Some(1500.0), Some(100))
        );
        assert_eq!(
            m.p99,
            Some(5000.0),
            "99th of 100 per-iteration times is the second slowest"
        );
    }

    #[test]
    fn inconsistent_sample_is_an_error() {
        let sample = r#"{"sampling_mode":"Flat","iters":[1.0],"times":[1.0,2.0]}"#;
        let err = metric_from_json(BENCHMARK, ESTIMATES, sample)
            .unwrap_err()
            .to_string();
        assert!(err.contains("1 iteration counts for 2 times"), "{err}");
    }
}
