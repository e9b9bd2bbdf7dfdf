//! A second, independent judge of the engine's patches: GNU `patch` (at /usr/bin/patch), with no
//! fuzz, must turn the old text into the new one, and the reversed patch must turn it back. Over
//! every generated corpus case and random cases. Fails loudly when `patch` is missing.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::cases::case;
use oracle::paths::{diff_corpus_manifest, repo_root, SETUP_COMMAND};
use oracle::JsValue;
use proptest::prelude::*;

const GNU_PATCH: &str = "/usr/bin/patch";

/// A scratch directory removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "oracle-gnu-patch-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        fs::create_dir_all(&dir).expect("create a scratch directory");
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// What GNU patch makes of `original` with `patch`, or why it failed.
fn gnu_patch(original: &str, patch: &str) -> Result<String, String> {
    assert!(
        Path::new(GNU_PATCH).exists(),
        "GNU patch is required at {GNU_PATCH} for this test (Debian: `apt-get install patch`)"
    );
    let scratch = Scratch::new();
    let (original_path, patch_path, out_path) = (
        scratch.0.join("original"),
        scratch.0.join("change.diff"),
        scratch.0.join("out"),
    );
    fs::write(&original_path, original).expect("write the original");
    fs::write(&patch_path, patch).expect("write the patch");
    let output = Command::new(GNU_PATCH)
        .args([
            "--force",
            "--silent",
            "--fuzz=0",
            "--no-backup-if-mismatch",
            "--reject-file=-",
            "-o",
        ])
        .arg(&out_path)
        .arg(&original_path)
        .arg(&patch_path)
        .output()
        .unwrap_or_else(|err| panic!("cannot run {GNU_PATCH}: {err}"));
    if !output.status.success() {
        return Err(format!(
            "{GNU_PATCH} failed ({}): {}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    fs::read_to_string(&out_path).map_err(|err| format!("no output from {GNU_PATCH}: {err}"))
}

/// Checks both directions for one pair; `None` when GNU patch agrees.
fn disagreement(old: &str, new: &str, context: usize) -> Option<String> {
    if old == new {
        return None; // a patch without hunks: GNU patch rejects it as "only garbage"
    }
    let patch = accel_diff::diff_unified(old, new, context);
    let forward = gnu_patch(old, &patch);
    if forward.as_deref() != Ok(new) {
        return Some(format!(
            "forward patch (context {context}) gave {forward:?}\npatch:\n{patch}"
        ));
    }
    let reversed = accel_diff::reverse_patch(&patch).expect("the engine reverses its own patch");
    let backward = gnu_patch(new, &reversed);
    if backward.as_deref() != Ok(old) {
        return Some(format!(
            "reversed patch (context {context}) gave {backward:?}\npatch:\n{reversed}"
        ));
    }
    None
}

#[test]
fn gnu_patch_applies_the_engine_patches_of_every_corpus_case() {
    let manifest_path = diff_corpus_manifest();
    let manifest = fs::read_to_string(&manifest_path).unwrap_or_else(|err| {
        panic!(
            "cannot read {} ({err}): generate the corpora with `{SETUP_COMMAND}`",
            manifest_path.display()
        )
    });
    let manifest = JsValue::from_json(&manifest).expect("the manifest is JSON");
    let Some(JsValue::Array(cases)) = manifest.get("cases") else {
        panic!("{} has no cases", manifest_path.display());
    };
    let read = |field: &JsValue| {
        let path = repo_root().join(field.as_text().expect("a path").to_string());
        fs::read_to_string(&path).unwrap_or_else(|err| {
            panic!(
                "cannot read {} ({err}): run `{SETUP_COMMAND}`",
                path.display()
            )
        })
    };
    let mut failures = Vec::new();
    for case in cases {
        let name = case
            .get("name")
            .and_then(JsValue::as_text)
            .expect("a name")
            .to_string();
        let (old, new) = (
            read(case.get("old").expect("old")),
            read(case.get("new").expect("new")),
        );
        for context in [4, 0] {
            if let Some(problem) = disagreement(&old, &new, context) {
                failures.push(format!(
                    "{name}: {}",
                    problem.chars().take(2000).collect::<String>()
                ));
            }
        }
    }
    assert!(cases.len() >= 20, "only {} corpus cases", cases.len());
    assert!(
        failures.is_empty(),
        "GNU patch disagrees:\n{}",
        failures.join("\n\n")
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn gnu_patch_applies_the_engine_patches_of_random_edits(case in case(0.0), context in 0usize..5) {
        let (old, new) = case.texts();
        let old = String::from_utf16(&old).expect("no lone surrogates in these cases");
        let new = String::from_utf16(&new).expect("no lone surrogates in these cases");
        let problem = disagreement(&old, &new, context);
        prop_assert!(problem.is_none(), "{}\nold: {old:?}\nnew: {new:?}", problem.unwrap_or_default());
    }
}
