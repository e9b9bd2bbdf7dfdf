//! Converting events and sequence numbers between JavaScript and the engine.

use napi::bindgen_prelude::{BigInt, Float64Array, Uint8Array};
use napi::{Error, Result, Status};
use napi_derive::napi;

use accel_storage::{StorageEngine, StorageError};

use crate::bulk::BulkBytes;

/// A bigint `index.js` has already checked to be from 0 to 2^64 - 1, as a u64.
pub(crate) fn u64_of(name: &str, value: &BigInt) -> Result<u64> {
    match value.get_u64() {
        (false, value, true) => Ok(value),
        _ => Err(Error::new(
            Status::InvalidArg,
            format!("{name} must be a bigint from 0 to 2^64 - 1"),
        )),
    }
}

/// Replayed events in one crossing: `bytes` holds every payload in order and event `i` ends at
/// `ends[i]` (and starts where event `i - 1` ends). `index.js` turns them into views; one object
/// per event through N-API would cost more than the replay itself.
#[napi(object)]
pub struct PackedEvents {
    pub bytes: Uint8Array,
    pub ends: Float64Array,
}

/// `PackedEvents` before it becomes JavaScript values (it is built off the JS thread).
pub struct Packed {
    bytes: BulkBytes,
    ends: Vec<f64>,
}

impl Packed {
    /// The events `replay_events(from, limit)` would return, copied straight from the log into
    /// one buffer (no allocation per event).
    pub(crate) fn replay(
        engine: &StorageEngine,
        from: u64,
        limit: Option<u64>,
    ) -> std::result::Result<Packed, StorageError> {
        let mut bytes = BulkBytes::new();
        let mut ends = Vec::new();
        engine.replay_events_with(from, limit, |payload| {
            bytes.extend_from_slice(payload);
            // Exact: an offset is at most the total bytes in memory, far below 2^53.
            ends.push(bytes.len() as f64);
        })?;
        Ok(Packed { bytes, ends })
    }

    pub(crate) fn into_js(self) -> PackedEvents {
        PackedEvents {
            bytes: self.bytes.into_js(),
            ends: Float64Array::new(self.ends),
        }
    }
}
