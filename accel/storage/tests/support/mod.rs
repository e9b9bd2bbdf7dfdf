//! Shared by this crate's integration tests: scratch directories and segment-file helpers.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// A unique directory under the system temp dir (same disk as target/ here), removed on drop.
pub struct TestDir(PathBuf);

impl TestDir {
    pub fn new(label: &str) -> TestDir {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let path = std::env::temp_dir().join(format!(
            "accel-storage-it-{label}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&path);
        TestDir(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TestDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The segment files of a store, oldest first.
pub fn segment_files(root: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("events"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "seg"))
        .collect();
    files.sort();
    files
}

/// `count` distinct payloads of varied sizes (some empty) for event `first + i`.
pub fn payloads(first: u64, count: u64) -> Vec<Vec<u8>> {
    (first..first + count)
        .map(|seq| {
            let len = (seq * 37 % 90) as usize;
            (0..len).map(|i| (seq as usize * 31 + i) as u8).collect()
        })
        .collect()
}

pub fn as_slices(events: &[Vec<u8>]) -> Vec<&[u8]> {
    events.iter().map(Vec::as_slice).collect()
}
