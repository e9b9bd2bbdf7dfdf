//! Scratch directories for the escape suites: a sandbox root and, beside it, an `outside`
//! directory whose contents must never change through the sandbox.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

pub struct Scratch {
    pub base: PathBuf,
    /// The sandbox root (the write root of exec tests).
    pub root: PathBuf,
    /// Beside the root, never granted.
    pub outside: PathBuf,
}

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let base = std::env::temp_dir().join(format!(
            "ku0-sandbox-{name}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&base);
        let root = base.join("root");
        let outside = base.join("outside");
        std::fs::create_dir_all(&root).expect("create the root");
        std::fs::create_dir_all(&outside).expect("create the outside directory");
        Scratch {
            base,
            root,
            outside,
        }
    }

    pub fn file(&self, path: &Path, contents: &str) -> PathBuf {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create the parent directory");
        }
        std::fs::write(path, contents).expect("write a fixture file");
        path.to_path_buf()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.base);
    }
}
