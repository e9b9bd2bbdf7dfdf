//! Where things are in the workspace, and the commands that create what may be missing.

use std::path::{Path, PathBuf};

/// Creates the generated corpora (and everything else a fresh clone lacks).
pub const SETUP_COMMAND: &str = "cargo xtask setup";
/// Re-records `oracle/recordings/` from the JS fallbacks.
pub const RECORD_COMMAND: &str = "cargo xtask record";

/// The workspace root (the directory holding `oracle/`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the oracle crate sits one level below the workspace root")
        .to_path_buf()
}

/// `oracle/recordings/<track>/`.
pub fn recordings_dir(track: &str) -> PathBuf {
    repo_root().join("oracle").join("recordings").join(track)
}

/// `oracle/js/serve.mjs`.
pub fn live_oracle_script() -> PathBuf {
    repo_root().join("oracle").join("js").join("serve.mjs")
}

/// `corpora/diff/generated/manifest.json`.
pub fn diff_corpus_manifest() -> PathBuf {
    repo_root()
        .join("corpora")
        .join("diff")
        .join("generated")
        .join("manifest.json")
}
