//! Shared inputs of the benches: the generated diff corpora (`corpora/diff/generated`, written
//! by `node corpora/diff/generate.mjs`, which `cargo xtask setup` runs).

use std::fmt;
use std::path::{Path, PathBuf};

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, SamplingMode};
use serde::Deserialize;

/// The four cases every diff bench measures (2,000 / 10,000 lines; 1% / 30% of lines changed).
pub const DIFF_BENCH_CASES: [&str; 4] = [
    "code-2k-1pct",
    "code-2k-30pct",
    "code-10k-1pct",
    "code-10k-30pct",
];

/// One old/new text pair of the diff corpus.
#[derive(Debug, Clone)]
pub struct DiffCase {
    pub name: String,
    pub old: String,
    pub new: String,
}

#[derive(Debug)]
pub struct CorpusError(String);

impl fmt::Display for CorpusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (run `cargo xtask setup` to generate the corpora)",
            self.0
        )
    }
}

impl std::error::Error for CorpusError {}

#[derive(Deserialize)]
struct Manifest {
    cases: Vec<ManifestCase>,
}

#[derive(Deserialize)]
struct ManifestCase {
    name: String,
    old: PathBuf,
    new: PathBuf,
}

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("benches/ sits in the repo root")
        .to_path_buf()
}

/// Loads a case named in `corpora/diff/generated/manifest.json`.
pub fn load_diff_case(name: &str) -> Result<DiffCase, CorpusError> {
    load_diff_case_from(&repo_root(), name)
}

pub fn load_diff_case_from(root: &Path, name: &str) -> Result<DiffCase, CorpusError> {
    let manifest_path = root.join("corpora/diff/generated/manifest.json");
    let text = std::fs::read_to_string(&manifest_path)
        .map_err(|e| CorpusError(format!("cannot read {}: {e}", manifest_path.display())))?;
    let manifest: Manifest = serde_json::from_str(&text)
        .map_err(|e| CorpusError(format!("{} is malformed: {e}", manifest_path.display())))?;
    let case = manifest
        .cases
        .into_iter()
        .find(|c| c.name == name)
        .ok_or_else(|| CorpusError(format!("{} has no case `{name}`", manifest_path.display())))?;
    let read = |path: &Path| {
        let path = root.join(path);
        std::fs::read_to_string(&path)
            .map_err(|e| CorpusError(format!("cannot read {}: {e}", path.display())))
    };
    Ok(DiffCase {
        name: case.name,
        old: read(&case.old)?,
        new: read(&case.new)?,
    })
}

/// For bench setup code: a missing corpus stops the bench with the fix in the message.
pub fn diff_case_or_exit(name: &str) -> DiffCase {
    load_diff_case(name).unwrap_or_else(|e| {
        eprintln!("error: {e}");
        std::process::exit(2)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bench_case_is_in_the_generated_corpus() {
        for name in DIFF_BENCH_CASES {
            let case = load_diff_case(name).unwrap_or_else(|e| panic!("{e}"));
            assert_ne!(case.old, case.new, "{name} must differ");
            assert!(
                case.old.lines().count() >= 2000,
                "{name} is smaller than its name says"
            );
        }
    }

    #[test]
    fn a_missing_corpus_names_the_file_and_the_fix() {
        let err = load_diff_case_from(Path::new("/nonexistent"), "code-2k-1pct")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("/nonexistent/corpora/diff/generated/manifest.json"),
            "{err}"
        );
        assert!(err.contains("cargo xtask setup"), "{err}");
    }

    #[test]
    fn an_unknown_case_is_named() {
        let err = load_diff_case("code-3k-7pct").unwrap_err().to_string();
        assert!(err.contains("no case `code-3k-7pct`"), "{err}");
    }
}

/// SplitMix64: the seeded generator of every bench input, so every run measures the same data.
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// Seeded values in [-1, 1) (splitmix64), so every run of every bench measures the same data.
pub fn random_values(seed: u64, len: usize) -> Vec<f32> {
    let mut rng = SplitMix64::new(seed);
    (0..len)
        .map(|_| (rng.next_u64() >> 40) as f32 / (1u64 << 23) as f32 - 1.0)
        .collect()
}

/// How criterion samples one bench: `cargo xtask bench --quick` sets `KU0_BENCH_QUICK=1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sampling {
    /// Flat sampling (a fixed number of single calls) for calls of tens of milliseconds or more.
    pub flat: bool,
    pub sample_size: usize,
    pub warm_up: std::time::Duration,
    pub measurement: std::time::Duration,
}

/// The sampling for a bench whose single call is `slow` (tens of milliseconds) or not.
pub fn sampling(slow: bool) -> Sampling {
    let quick = std::env::var_os("KU0_BENCH_QUICK").is_some_and(|v| v == "1");
    Sampling {
        flat: slow,
        sample_size: if slow || quick { 10 } else { 100 },
        warm_up: std::time::Duration::from_millis(if quick { 200 } else { 1000 }),
        measurement: std::time::Duration::from_secs(if quick { 1 } else { 3 }),
    }
}

/// Applies `sampling(slow)` to a criterion group.
pub fn configure(group: &mut BenchmarkGroup<'_, WallTime>, slow: bool) {
    apply_sampling(group, sampling(slow));
}

/// Applies one sampling to a criterion group (flat or criterion's automatic mode).
pub fn apply_sampling(group: &mut BenchmarkGroup<'_, WallTime>, sampling: Sampling) {
    group
        .sampling_mode(if sampling.flat {
            SamplingMode::Flat
        } else {
            SamplingMode::Auto
        })
        .sample_size(sampling.sample_size)
        .warm_up_time(sampling.warm_up)
        .measurement_time(sampling.measurement);
}
