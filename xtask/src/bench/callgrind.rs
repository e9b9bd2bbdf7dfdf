//! Reads iai-callgrind's `summary.json` files (runner 0.16, `-- --save-summary=json`) under
//! `target/iai`: one instruction count (Ir) per library benchmark.

use std::path::Path;
use std::time::SystemTime;

use anyhow::{anyhow, Context, Result};
use serde_json::Value;

use super::files::{find_files_named, modified_since};
use crate::results::{Metric, Source};

/// Every summary under `iai_dir` written at or after `since`.
pub fn collect(iai_dir: &Path, since: Option<SystemTime>) -> Result<Vec<Metric>> {
    let mut metrics = Vec::new();
    for path in find_files_named(iai_dir, "summary.json")? {
        if !modified_since(&path, since) {
            continue;
        }
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let metric = metric_from_summary(&text)
            .with_context(|| format!("unexpected iai-callgrind summary {}", path.display()))?;
        metrics.push(metric);
    }
    metrics.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(metrics)
}

/// Name: `<function>/<id>` with the id's underscores as dashes (`code_2k_1pct` -> `code-2k-1pct`,
/// the corpus case name; bench ids must be Rust identifiers). Track: the benchmark group, the
/// middle part of `module_path` (`diff_iai::diff::create_two_files_patch`).
pub fn metric_from_summary(text: &str) -> Result<Metric> {
    let summary: Value = serde_json::from_str(text)?;
    let field = |name: &str| {
        summary
            .get(name)
            .and_then(Value::as_str)
            .ok_or_else(|| anyhow!("no `{name}` string"))
    };
    let function = field("function_name")?;
    let module_path = field("module_path")?;
    let track = module_path
        .split("::")
        .nth(1)
        .ok_or_else(|| anyhow!("module_path `{module_path}` has no group"))?;
    let name = match summary.get("id").and_then(Value::as_str) {
        Some(id) => format!("{function}/{}", id.replace('_', "-")),
        None => function.to_string(),
    };
    let profiles = summary
        .get("profiles")
        .and_then(Value::as_array)
        .ok_or_else(|| anyhow!("no `profiles` list"))?;
    let callgrind = profiles
        .iter()
        .find(|p| p.get("tool").and_then(Value::as_str) == Some("Callgrind"))
        .ok_or_else(|| anyhow!("no Callgrind profile (was the bench run with another tool?)"))?;
    let ir_metrics = callgrind
        .pointer("/summaries/total/summary/Callgrind/Ir/metrics")
        .ok_or_else(|| anyhow!("no total Callgrind Ir metric"))?;
    // EitherOrBoth: {"Left": new} | {"Both": [new, old]} | {"Right": old}; the new value is current.
    let current = ir_metrics
        .get("Left")
        .or_else(|| ir_metrics.pointer("/Both/0"))
        .ok_or_else(|| anyhow!("the Ir metric has no current value: {ir_metrics}"))?;
    let instructions = current
        .get("Int")
        .and_then(Value::as_u64)
        .ok_or_else(|| anyhow!("the Ir metric is not an integer: {current}"))?;
    Ok(Metric {
        track: track.to_string(),
        name,
        source: Source::Callgrind,
        unit: "instructions".to_string(),
        median: instructions as f64,
        p99: None,
        mean: None,
        samples: Some(1),
        workload: None,
        implementation: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(ir: &str) -> String {
        format!(
            r#"{{"version":"5","function_name":"create_two_files_patch","id":"code_10k_1pct",
            "module_path":"diff_iai::diff::create_two_files_patch","kind":"LibraryBenchmark",
            "profiles":[{{"tool":"Callgrind","summaries":{{"parts":[],"total":{{"regressions":[],
            "summary":{{"Callgrind":{{"Ir":{{"diffs":null,"metrics":{ir}}},"Dr":{{"diffs":null,"metrics":{{"Left":{{"Int":1}}}}}}}}}}}}}}}}]}}"#
        )
    }

    #[test]
    fn reads_the_current_ir_of_a_first_and_a_repeated_run() {
        let m = metric_from_summary(&summary(r#"{"Left":{"Int":123456}}"#)).unwrap();
        assert_eq!(
            (m.name.as_str(), m.track.as_str(), m.median),
            ("create_two_files_patch/code-10k-1pct", "diff", 123456.0)
        );
        let m = metric_from_summary(&summary(r#"{"Both":[{"Int":7},{"Int":9}]}"#)).unwrap();
        assert_eq!(m.median, 7.0, "Both = [new, old]");
    }

    #[test]
    fn unexpected_shapes_are_errors_that_say_what_is_missing() {
        let err = metric_from_summary(&summary(r#"{"Right":{"Int":1}}"#))
            .unwrap_err()
            .to_string();
        assert!(err.contains("no current value"), "{err}");
        let err =
            metric_from_summary(r#"{"function_name":"f","module_path":"a::b::f","profiles":[]}"#)
                .unwrap_err()
                .to_string();
        assert!(err.contains("no Callgrind profile"), "{err}");
    }
}
