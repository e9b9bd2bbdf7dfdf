//! The async variants that run on the libuv thread pool: replay and checkpoints. (Appends do
//! not: they queue on the engine's committer, see `engine.rs`.)
//!
//! Each task drops its handle on the engine as soon as its work is done, on the pool thread:
//! `close()` waits, on the JS thread, until it holds the only handle, so a task must not keep
//! one until its result is delivered on that same thread.

use std::sync::Arc;

use accel_storage::StorageEngine;
use napi::{Env, Error, Result, Status, Task};
use napi_derive::napi;

use crate::events::{Packed, PackedEvents};
use crate::node_bytes::{uint8_array_of, JsMade};
use crate::{to_js_error, without_panics};

/// Runs `work` on the task's engine, then lets the engine go.
fn with_engine<R>(
    engine: &mut Option<Arc<StorageEngine>>,
    work: impl FnOnce(&StorageEngine) -> Result<R>,
) -> Result<R> {
    let engine = engine.take().ok_or_else(|| {
        Error::new(
            Status::GenericFailure,
            "internal error: an async storage task ran twice",
        )
    })?;
    without_panics(|| work(&engine))
}

pub struct ReplayTask {
    pub(crate) engine: Option<Arc<StorageEngine>>,
    pub(crate) from: u64,
    pub(crate) limit: Option<u64>,
}

#[napi]
impl Task for ReplayTask {
    type Output = Packed;
    type JsValue = PackedEvents;

    fn compute(&mut self) -> Result<Packed> {
        let (from, limit) = (self.from, self.limit);
        with_engine(&mut self.engine, |engine| {
            Packed::replay(engine, from, limit).map_err(to_js_error)
        })
    }

    fn resolve(&mut self, _env: Env, output: Packed) -> Result<PackedEvents> {
        Ok(output.into_js())
    }
}

pub struct SaveCheckpointTask {
    pub(crate) engine: Option<Arc<StorageEngine>>,
    pub(crate) id: String,
    pub(crate) data: Vec<u8>,
}

#[napi]
impl Task for SaveCheckpointTask {
    type Output = ();
    type JsValue = ();

    fn compute(&mut self) -> Result<()> {
        let (id, data) = (&self.id, &self.data);
        with_engine(&mut self.engine, |engine| {
            engine.save_checkpoint(id, data).map_err(to_js_error)
        })
    }

    fn resolve(&mut self, _env: Env, _output: ()) -> Result<()> {
        Ok(())
    }
}

pub struct LoadCheckpointTask {
    pub(crate) engine: Option<Arc<StorageEngine>>,
    pub(crate) id: String,
}

#[napi]
impl Task for LoadCheckpointTask {
    type Output = Option<Vec<u8>>;
    type JsValue = Option<JsMade>;

    fn compute(&mut self) -> Result<Option<Vec<u8>>> {
        let id = &self.id;
        with_engine(&mut self.engine, |engine| {
            engine.load_checkpoint(id).map_err(to_js_error)
        })
    }

    fn resolve(&mut self, env: Env, output: Option<Vec<u8>>) -> Result<Option<JsMade>> {
        output.map(|data| uint8_array_of(&env, &data)).transpose()
    }
}
