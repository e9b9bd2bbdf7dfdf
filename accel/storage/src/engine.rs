//! `StorageEngine`: one rootDir = a lock file, the event log (`events/`) and the checkpoint store
//! (`checkpoints/`).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread::JoinHandle;

use crate::checkpoint::CheckpointStore;
use crate::error::StorageError;
use crate::fsutil::Dir;
use crate::lock::RootLock;
use crate::log::{AppendDone, EventLog};
use crate::recovery::{recover, Recovery};

const EVENTS_DIR: &str = "events";
const CHECKPOINTS_DIR: &str = "checkpoints";

/// How to open a store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenOptions {
    /// A segment is sealed, and the next one started, before an append would take it past this
    /// size (a single batch larger than this gets a segment of its own). Default 64 MiB.
    pub segment_bytes: u64,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions {
            segment_bytes: 64 << 20,
        }
    }
}

/// A crash-safe event log and checkpoint store in one directory, owned by one engine at a time.
/// `Send + Sync`: share it (e.g. in an `Arc`) and append from many threads; their syncs are shared.
pub struct StorageEngine {
    log: Arc<EventLog>,
    checkpoints: CheckpointStore,
    recovery: Recovery,
    committer: Option<JoinHandle<()>>,
    // Declared last so it is released after everything else is closed.
    _lock: RootLock,
}

impl StorageEngine {
    pub fn open(root: impl AsRef<Path>) -> Result<StorageEngine, StorageError> {
        Self::open_with(root, OpenOptions::default())
    }

    /// Opens the store in `root` (created with its parents when missing), repairing a torn tail.
    pub fn open_with(
        root: impl AsRef<Path>,
        options: OpenOptions,
    ) -> Result<StorageEngine, StorageError> {
        let root = absolute(root.as_ref())?;
        Dir::open_or_create(&root)?;
        let lock = RootLock::acquire(&root)?;
        let events = Dir::open_or_create(&root.join(EVENTS_DIR))?;
        let recovered = recover(&events)?;
        let mut recovery = recovered.recovery.clone();
        let (checkpoints, removed) =
            CheckpointStore::open(Dir::open_or_create(&root.join(CHECKPOINTS_DIR))?)?;
        recovery.removed_temp_files += removed;
        let log = Arc::new(EventLog::new(
            events,
            recovered,
            options.segment_bytes.max(1),
        ));
        let committer_log = Arc::clone(&log);
        let committer = std::thread::Builder::new()
            .name("accel-storage-committer".into())
            .spawn(move || committer_log.run_committer())
            .map_err(|e| StorageError::io("start the committer thread for", &root, e))?;
        Ok(StorageEngine {
            log,
            checkpoints,
            recovery,
            committer: Some(committer),
            _lock: lock,
        })
    }

    /// What `open` found and repaired.
    pub fn recovery(&self) -> &Recovery {
        &self.recovery
    }

    /// Appends one event; returns its sequence number once it is on disk.
    pub fn append_event(&self, data: &[u8]) -> Result<u64, StorageError> {
        self.log.append(&[data])
    }

    /// Appends events in order with one sync; the first one's sequence number (for an empty batch,
    /// the number the next event will get).
    pub fn append_events(&self, events: &[&[u8]]) -> Result<u64, StorageError> {
        self.log.append(events)
    }

    /// Appends `data` now (its number follows every earlier append) without waiting for the disk:
    /// `done` gets the sequence number once the event is durable, or the error, called from the
    /// engine's committer (or another appender's thread that completed the sync). It may be
    /// called before this returns, on this thread, when the append fails at once.
    pub fn append_event_then(
        &self,
        data: Vec<u8>,
        done: impl FnOnce(Result<u64, StorageError>) + Send + 'static,
    ) {
        let done: AppendDone = Box::new(done);
        self.log.append_then(&[&data], done)
    }

    /// `append_event_then` for a batch: `done` gets the first sequence number.
    pub fn append_events_then(
        &self,
        events: Vec<Vec<u8>>,
        done: impl FnOnce(Result<u64, StorageError>) + Send + 'static,
    ) {
        let refs: Vec<&[u8]> = events.iter().map(Vec::as_slice).collect();
        self.log.append_then(&refs, Box::new(done))
    }

    /// The events from `max(from, low_water_mark)` on, in order, at most `limit` (`None`: all).
    /// `from` past the end gives an empty list. Only durable events are served: an async append
    /// whose `done` has not been called yet may be missing (every returned append is there).
    pub fn replay_events(
        &self,
        from: u64,
        limit: Option<u64>,
    ) -> Result<Vec<Vec<u8>>, StorageError> {
        let mut events = Vec::new();
        self.log
            .replay_with(from, limit, &mut |payload| events.push(payload.to_vec()))?;
        Ok(events)
    }

    /// `replay_events` without a buffer per event: `visit` sees each payload in order, straight
    /// from the mapped segment (so callers can pack them into one buffer). Returns how many it
    /// visited. On an error (a record failing its check), the events before it were visited.
    /// `visit` must not call back into this engine.
    pub fn replay_events_with(
        &self,
        from: u64,
        limit: Option<u64>,
        mut visit: impl FnMut(&[u8]),
    ) -> Result<u64, StorageError> {
        self.log.replay_with(from, limit, &mut visit)
    }

    /// Makes every event before `before` unavailable, durably; how many became unavailable.
    pub fn prune_events(&self, before: u64) -> Result<u64, StorageError> {
        self.log.prune(before)
    }

    /// The sequence number the next append gets.
    pub fn next_sequence(&self) -> u64 {
        self.log.next_sequence()
    }

    /// How many fdatasyncs of the log appends have run since open: with concurrent appenders, far
    /// fewer than appends (group commit).
    pub fn syncs_performed(&self) -> u64 {
        self.log.syncs()
    }

    /// The first sequence number not pruned.
    pub fn low_water_mark(&self) -> u64 {
        self.log.low_water_mark()
    }

    pub fn save_checkpoint(&self, id: &str, data: &[u8]) -> Result<(), StorageError> {
        self.checkpoints.save(id, data)
    }

    pub fn load_checkpoint(&self, id: &str) -> Result<Option<Vec<u8>>, StorageError> {
        self.checkpoints.load(id)
    }

    /// Whether there was a checkpoint to delete.
    pub fn delete_checkpoint(&self, id: &str) -> Result<bool, StorageError> {
        self.checkpoints.delete(id)
    }

    /// Waits for pending async appends, makes everything durable and releases the lock.
    pub fn close(mut self) -> Result<(), StorageError> {
        self.stop_committer();
        self.log.flush()
    }

    fn stop_committer(&mut self) {
        if let Some(committer) = self.committer.take() {
            self.log.stop_committer();
            let _ = committer.join();
        }
    }
}

impl Drop for StorageEngine {
    fn drop(&mut self) {
        self.stop_committer();
        let _ = self.log.flush();
    }
}

fn absolute(root: &Path) -> Result<PathBuf, StorageError> {
    std::path::absolute(root).map_err(|e| StorageError::io("resolve the path", root, e))
}
