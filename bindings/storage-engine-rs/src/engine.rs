//! The `NativeStorageEngine` class behind `index.js`'s `StorageEngine`.

use std::sync::Arc;
use std::time::Duration;

use accel_storage::{OpenOptions, StorageEngine};
use napi::bindgen_prelude::{AsyncTask, BigInt, Object};
use napi::{Env, Error, Result, Status};
use napi_derive::napi;

use crate::events::{replay_to_js, u64_of};
use crate::node_bytes::{uint8_array_of, JsMade};
use crate::tasks::{LoadCheckpointTask, ReplayTask, SaveCheckpointTask};
use crate::{to_js_error, without_panics};

#[napi]
pub struct NativeStorageEngine {
    /// None once closed. Async tasks in flight hold clones; `close` waits for them.
    engine: Option<Arc<StorageEngine>>,
}

#[napi(object)]
pub struct TruncatedTail {
    pub segment: String,
    pub offset: f64,
    pub bytes: f64,
}

#[napi(object)]
pub struct RecoveryReport {
    pub truncated_tail: Option<TruncatedTail>,
    pub removed_segments: u32,
    pub removed_temp_files: u32,
}

/// How long `close` sleeps between looks at whether the tasks in flight are done.
const CLOSE_POLL: Duration = Duration::from_micros(200);

#[napi]
impl NativeStorageEngine {
    /// Opens (creating it when missing) the store in `root_dir`, repairing a torn tail; segments
    /// of `segment_bytes` (a positive safe integer `index.js` checked) or the engine's default.
    #[napi(constructor, catch_unwind)]
    pub fn new(root_dir: String, segment_bytes: Option<f64>) -> Result<Self> {
        let mut options = OpenOptions::default();
        if let Some(bytes) = segment_bytes {
            options.segment_bytes = bytes as u64;
        }
        let engine = StorageEngine::open_with(&root_dir, options).map_err(to_js_error)?;
        Ok(NativeStorageEngine {
            engine: Some(Arc::new(engine)),
        })
    }

    fn engine(&self) -> Result<&Arc<StorageEngine>> {
        self.engine
            .as_ref()
            .ok_or_else(|| Error::new(Status::GenericFailure, "the storage engine is closed"))
    }

    #[napi(catch_unwind)]
    pub fn recovery(&self) -> Result<RecoveryReport> {
        let recovery = self.engine()?.recovery();
        Ok(RecoveryReport {
            truncated_tail: recovery.truncated_tail.as_ref().map(|tail| TruncatedTail {
                segment: tail.segment.display().to_string(),
                offset: tail.offset as f64,
                bytes: tail.bytes as f64,
            }),
            removed_segments: count(recovery.removed_segments),
            removed_temp_files: count(recovery.removed_temp_files),
        })
    }

    #[napi(catch_unwind)]
    pub fn next_sequence(&self) -> Result<u64> {
        Ok(self.engine()?.next_sequence())
    }

    #[napi(catch_unwind)]
    pub fn low_water_mark(&self) -> Result<u64> {
        Ok(self.engine()?.low_water_mark())
    }

    #[napi(catch_unwind)]
    pub fn append_event(&self, data: &[u8]) -> Result<u64> {
        self.engine()?.append_event(data).map_err(to_js_error)
    }

    #[napi(catch_unwind)]
    pub fn append_events(&self, events: Vec<&[u8]>) -> Result<u64> {
        self.engine()?.append_events(&events).map_err(to_js_error)
    }

    #[napi(catch_unwind, ts_return_type = "PackedEvents")]
    pub fn replay_events(&self, env: &Env, from: BigInt, limit: Option<BigInt>) -> Result<JsMade> {
        let (from, limit) = replay_range(from, limit)?;
        replay_to_js(env, self.engine()?, from, limit)
    }

    #[napi(catch_unwind)]
    pub fn prune_events(&self, before: BigInt) -> Result<u64> {
        let before = u64_of("before", &before)?;
        self.engine()?.prune_events(before).map_err(to_js_error)
    }

    #[napi(catch_unwind)]
    pub fn save_checkpoint(&self, id: String, data: &[u8]) -> Result<()> {
        self.engine()?
            .save_checkpoint(&id, data)
            .map_err(to_js_error)
    }

    #[napi(catch_unwind, ts_return_type = "Uint8Array | null")]
    pub fn load_checkpoint(&self, env: &Env, id: String) -> Result<Option<JsMade>> {
        let data = self.engine()?.load_checkpoint(&id).map_err(to_js_error)?;
        data.map(|data| uint8_array_of(env, &data)).transpose()
    }

    #[napi(catch_unwind)]
    pub fn delete_checkpoint(&self, id: String) -> Result<bool> {
        self.engine()?.delete_checkpoint(&id).map_err(to_js_error)
    }

    /// Queues the events on the engine's committer and returns a promise of the first one's
    /// sequence number, resolved from the committer once the sync that covers them is done: no
    /// pool thread waits. (`index.js` gathers the async appends of one JS turn into one call.)
    #[napi(catch_unwind)]
    pub fn append_events_async<'env>(
        &self,
        env: &'env Env,
        events: Vec<&[u8]>,
    ) -> Result<Object<'env>> {
        let engine = self.engine()?;
        let owned = events.iter().map(|event| event.to_vec()).collect();
        let (deferred, promise) = env.create_deferred()?;
        engine.append_events_then(owned, move |outcome| match outcome {
            Ok(first) => deferred.resolve(move |_env| Ok(first)),
            Err(error) => deferred.reject(to_js_error(error)),
        });
        Ok(promise)
    }

    #[napi(catch_unwind)]
    pub fn replay_events_async(
        &self,
        from: BigInt,
        limit: Option<BigInt>,
    ) -> Result<AsyncTask<ReplayTask>> {
        let (from, limit) = replay_range(from, limit)?;
        Ok(AsyncTask::new(ReplayTask {
            engine: Some(Arc::clone(self.engine()?)),
            from,
            limit,
        }))
    }

    #[napi(catch_unwind)]
    pub fn save_checkpoint_async(
        &self,
        id: String,
        data: &[u8],
    ) -> Result<AsyncTask<SaveCheckpointTask>> {
        Ok(AsyncTask::new(SaveCheckpointTask {
            engine: Some(Arc::clone(self.engine()?)),
            id,
            data: data.to_vec(),
        }))
    }

    #[napi(catch_unwind)]
    pub fn load_checkpoint_async(&self, id: String) -> Result<AsyncTask<LoadCheckpointTask>> {
        Ok(AsyncTask::new(LoadCheckpointTask {
            engine: Some(Arc::clone(self.engine()?)),
            id,
        }))
    }

    /// Waits until no task in flight holds the engine, then closes it (syncing and releasing the
    /// lock). Closing twice does nothing.
    #[napi(catch_unwind)]
    pub fn close(&mut self) -> Result<()> {
        let Some(mut shared) = self.engine.take() else {
            return Ok(());
        };
        // Tasks drop their handle on a pool thread as soon as their work is done (tasks.rs), so
        // this wait never depends on the JS thread it blocks.
        loop {
            match Arc::try_unwrap(shared) {
                Ok(engine) => return without_panics(|| engine.close().map_err(to_js_error)),
                Err(still_shared) => {
                    shared = still_shared;
                    std::thread::sleep(CLOSE_POLL);
                }
            }
        }
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn replay_range(from: BigInt, limit: Option<BigInt>) -> Result<(u64, Option<u64>)> {
    let from = u64_of("from", &from)?;
    let limit = limit.map(|limit| u64_of("limit", &limit)).transpose()?;
    Ok((from, limit))
}
