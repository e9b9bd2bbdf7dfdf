//! Temporary directory trees with symlinks for the policy tests, removed when dropped.

use std::fs;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

pub struct TestTree {
    root: PathBuf,
}

impl TestTree {
    pub fn new(tag: &str) -> Self {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let dir = std::env::temp_dir().join(format!(
            "accel-sandbox-{tag}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("create the test tree");
        let root = fs::canonicalize(&dir).expect("canonicalize the test tree");
        TestTree { root }
    }

    /// The canonical root, as a string.
    pub fn root(&self) -> String {
        self.root.to_str().expect("temp dir is UTF-8").to_owned()
    }

    pub fn abs(&self, rel: &str) -> String {
        format!("{}/{rel}", self.root())
    }

    pub fn dir(&self, rel: &str) {
        fs::create_dir_all(self.root.join(rel)).expect("create dir");
    }

    pub fn file(&self, rel: &str) {
        let path = self.root.join(rel);
        fs::create_dir_all(path.parent().expect("has a parent")).expect("create parent");
        fs::write(path, b"x").expect("write file");
    }

    pub fn symlink(&self, rel: &str, target: &str) {
        let path = self.root.join(rel);
        fs::create_dir_all(path.parent().expect("has a parent")).expect("create parent");
        std::os::unix::fs::symlink(target, path).expect("create symlink");
    }
}

impl Drop for TestTree {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.root);
    }
}
