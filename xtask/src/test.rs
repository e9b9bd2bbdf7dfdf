//! `cargo xtask test`: setup, every Rust test (and the aarch64 ones under qemu), every node test,
//! then the recordings check.
//! Ends with exactly `N passed, N failed` (one count per step) as its last line.

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

use crate::exec::Cmd;
use crate::setup::{self, SetupOptions};
use crate::steps::Steps;
use crate::{cross, record, tracks, workspace};

/// Returns the steps run; the caller turns failures into the exit code.
pub fn run() -> Steps {
    let root = workspace::root();
    let mut steps = Steps::default();
    if !steps.run("setup", || setup::run(SetupOptions::default())) {
        return steps; // nothing below can run without it
    }
    if has_nextest() {
        steps.run("rust tests (nextest)", || {
            Cmd::new("cargo")
                .args(["nextest", "run", "--workspace", "--no-fail-fast"])
                .dir(&root)
                .run()
        });
        steps.run("rust doc tests", || {
            Cmd::new("cargo")
                .args(["test", "--workspace", "--doc"])
                .dir(&root)
                .run()
        });
    } else {
        steps.run("rust tests", || {
            Cmd::new("cargo")
                .args(["test", "--workspace", "--no-fail-fast"])
                .dir(&root)
                .run()
        });
    }
    steps.run("aarch64 tests under qemu (NEON kernels)", cross::test);
    steps.run("node tests", || {
        run_node_tests(&root, &node_test_files(&root)?)
    });
    steps.run("record --check", || record::record(true));
    steps
}

fn has_nextest() -> bool {
    Cmd::new("cargo")
        .args(["nextest", "--version"])
        .probe()
        .is_some()
}

/// One `node --test` over `files`, with the freshly built debug binding forced.
pub fn run_node_tests(root: &Path, files: &[PathBuf]) -> Result<()> {
    if files.is_empty() {
        bail!("no node test files found (bindings/*/test/*.test.mjs, oracle/test/*.test.mjs)");
    }
    let relative = files
        .iter()
        .map(|f| f.strip_prefix(root).unwrap_or(f).to_path_buf());
    let mut cmd = Cmd::new("node").arg("--test").args(relative).dir(root);
    for (variable, library) in tracks::native_path_envs("debug")? {
        cmd = cmd.env(variable, library);
    }
    cmd.run()
}

/// `bindings/*/test/*.test.mjs` and `oracle/test/*.test.mjs`, sorted.
pub fn node_test_files(root: &Path) -> Result<Vec<PathBuf>> {
    let mut test_dirs = Vec::new();
    if let Ok(entries) = std::fs::read_dir(root.join("bindings")) {
        for entry in entries {
            test_dirs.push(entry?.path().join("test"));
        }
    }
    test_dirs.push(root.join("oracle/test"));
    let mut files = Vec::new();
    for dir in test_dirs.iter().filter(|d| d.is_dir()) {
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            let is_test = path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(".test.mjs"));
            if is_test && path.is_file() {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_only_test_mjs_files_in_package_test_dirs() {
        let root = std::env::temp_dir().join(format!("ku0-node-tests-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for dir in [
            "bindings/a/test",
            "bindings/b/test/nested",
            "oracle/test",
            "benches/test",
        ] {
            std::fs::create_dir_all(root.join(dir)).unwrap();
        }
        for file in [
            "bindings/a/test/x.test.mjs",
            "bindings/a/test/helper.mjs",
            "bindings/b/test/nested/deep.test.mjs",
            "oracle/test/o.test.mjs",
            "benches/test/no.test.mjs",
        ] {
            std::fs::write(root.join(file), "").unwrap();
        }
        let found: Vec<_> = node_test_files(&root)
            .unwrap()
            .iter()
            .map(|p| {
                p.strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(
            found,
            ["bindings/a/test/x.test.mjs", "oracle/test/o.test.mjs"]
        );
        std::fs::remove_dir_all(&root).unwrap();
    }
}
