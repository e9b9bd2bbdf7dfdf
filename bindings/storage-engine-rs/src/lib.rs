//! N-API glue for `@ku0/storage-engine-rs`: hand bytes to `accel-storage` and its results back.
//! Argument checks (types, ranges, the closed state) live in `index.js` (`args.js`, shared with the
//! JS reference engine); what the engine refuses comes back as an Error with the engine's message.
//! A panic here becomes a JS exception (`catch_unwind`), never an abort.

mod bulk;
mod engine;
mod events;
mod node_bytes;
mod tasks;

use accel_storage::StorageError;
use napi::{Error, Status};
use napi_derive::napi;

pub use engine::NativeStorageEngine;

// Checkpoints allocate compression and decompression buffers per call, and async appends a
// buffer per event; mimalloc keeps those off the system allocator's locks, which the committer
// thread also takes. (Results handed to JavaScript are Node's memory: node_bytes.rs.)
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The package version this binary was built for; the loader rejects a mismatch.
#[napi]
pub fn binding_version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

pub(crate) fn to_js_error(error: StorageError) -> Error {
    Error::new(Status::GenericFailure, error.to_string())
}

/// Runs `work`, turning a panic into an error: for code on the engine's or the pool's threads,
/// where `#[napi(catch_unwind)]` does not reach.
pub(crate) fn without_panics<R>(work: impl FnOnce() -> napi::Result<R>) -> napi::Result<R> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).unwrap_or_else(|_| {
        Err(Error::new(
            Status::GenericFailure,
            "internal error: the storage engine panicked",
        ))
    })
}
