//! Every accelerator track xtask drives: what to build, which corpora to generate, which benches
//! and node suites to run. Adding a track to the tooling is adding an entry to [`TRACKS`].

use std::path::PathBuf;

use crate::workspace;

pub struct Track {
    /// The track's short name, as in results.json and budgets.toml (`diff`).
    pub name: &'static str,
    /// The napi cdylib crate (`diff-rs`).
    pub binding_crate: &'static str,
    /// The crate's library name, which names the built file (`diff_rs` -> `libdiff_rs.so`).
    pub library_name: &'static str,
    /// The loader's override variable; xtask points it at the build it means to test.
    pub native_path_env: &'static str,
    /// The npm package's directory, whose `test/*.test.mjs` are the native-vs-fallback suites.
    pub package_dir: &'static str,
    /// A node script that writes the track's generated corpora, run by `setup`.
    pub corpus_generator: Option<&'static str>,
    /// `benches/benches/<name>.rs` benches (criterion, then iai-callgrind).
    pub criterion_bench: &'static str,
    pub callgrind_bench: &'static str,
    /// The end-to-end node bench, run with `--out <file>`.
    pub node_bench: &'static str,
}

pub const TRACKS: &[Track] = &[
    Track {
        name: "diff",
        binding_crate: "diff-rs",
        library_name: "diff_rs",
        native_path_env: "KU0_DIFF_RS_NATIVE_PATH",
        package_dir: "bindings/diff-rs",
        corpus_generator: Some("corpora/diff/generate.mjs"),
        criterion_bench: "diff_criterion",
        callgrind_bench: "diff_iai",
        node_bench: "benches/node/diff.bench.mjs",
    },
    Track {
        name: "vectors",
        binding_crate: "vector-similarity-rs",
        library_name: "vector_similarity_rs",
        native_path_env: "KU0_VECTOR_SIMILARITY_NATIVE_PATH",
        package_dir: "bindings/vector-similarity-rs",
        // Vectors are generated in memory from seeds (corpora/vectors/random.mjs): nothing to write.
        corpus_generator: None,
        criterion_bench: "vectors_criterion",
        callgrind_bench: "vectors_iai",
        node_bench: "benches/node/vectors.bench.mjs",
    },
    Track {
        name: "tokenizer",
        binding_crate: "tokenizer-rs",
        library_name: "tokenizer_rs",
        native_path_env: "TOKENIZER_RS_NATIVE_PATH",
        package_dir: "bindings/tokenizer-rs",
        corpus_generator: Some("corpora/tokenizer/generate.mjs"),
        criterion_bench: "tokenizer_criterion",
        callgrind_bench: "tokenizer_iai",
        node_bench: "benches/node/tokenizer.bench.mjs",
    },
    Track {
        name: "storage",
        binding_crate: "storage-engine-rs",
        library_name: "storage_engine_rs",
        native_path_env: "KU0_STORAGE_ENGINE_RS_NATIVE_PATH",
        package_dir: "bindings/storage-engine-rs",
        // Events and checkpoints are generated in the tests and benches from seeds.
        corpus_generator: None,
        criterion_bench: "storage_criterion",
        callgrind_bench: "storage_iai",
        node_bench: "benches/node/storage.bench.mjs",
    },
];

impl Track {
    /// The built cdylib of a cargo profile directory (`debug` or `release`).
    pub fn library(&self, profile_dir: &str) -> PathBuf {
        let file = format!(
            "{}{}{}",
            std::env::consts::DLL_PREFIX,
            self.library_name,
            std::env::consts::DLL_SUFFIX
        );
        workspace::target_dir().join(profile_dir).join(file)
    }

    /// Where the node bench writes its JSON.
    pub fn node_bench_output(&self) -> PathBuf {
        workspace::bench_out_dir().join(format!("node-{}.json", self.name))
    }
}

/// `cargo <command> -p a -p b ...` arguments for every track's binding crate.
pub fn binding_package_args() -> Vec<&'static str> {
    TRACKS
        .iter()
        .flat_map(|track| ["-p", track.binding_crate])
        .collect()
}

/// Each track's override variable pointing at its build in `profile_dir`; every build must exist.
pub fn native_path_envs(profile_dir: &str) -> anyhow::Result<Vec<(&'static str, PathBuf)>> {
    TRACKS
        .iter()
        .map(|track| {
            let library = track.library(profile_dir);
            anyhow::ensure!(
                library.is_file(),
                "{} is missing: `cargo build{} -p {}` (run by `cargo xtask setup`) creates it",
                library.display(),
                if profile_dir == "release" {
                    " --release"
                } else {
                    ""
                },
                track.binding_crate
            );
            Ok((track.native_path_env, library))
        })
        .collect()
}
