//! Converting events and sequence numbers between JavaScript and the engine.

use napi::bindgen_prelude::{BigInt, Float64Array, JsObjectValue, Object, Uint8Array};
use napi::{Env, Error, Result, Status};
use napi_derive::napi;

use accel_storage::{StorageEngine, StorageError};

use crate::bulk::BulkBytes;
use crate::node_bytes::{JsMade, NodeBytes};
use crate::to_js_error;

/// How often `replay_to_js` tries again when the log changed between its two passes (only a
/// prune from another thread can do that; appends after the first pass are not visited).
const REPLAY_ATTEMPTS: usize = 3;

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

/// `PackedEvents` before it becomes JavaScript values, for `replayEventsAsync`: it is built on a
/// pool thread, where Node memory cannot be allocated, and handed over without a copy (the
/// mapping's finalizer runs when the event loop turns, which async callers let it do). The
/// synchronous replay uses `replay_to_js` instead.
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

/// `PackedEvents` for `replay_events(from, limit)`, written straight into Node-allocated memory on
/// the JS thread: one pass counts the events and their bytes, a second copies them from the mapped
/// log into one buffer that holds the ends (as float64s) and then the payloads. Checking every
/// record twice costs less than the copy from a scratch buffer it saves, and the result needs no
/// finalizer (see node_bytes.rs).
pub(crate) fn replay_to_js(
    env: &Env,
    engine: &StorageEngine,
    from: u64,
    limit: Option<u64>,
) -> Result<JsMade> {
    for _ in 0..REPLAY_ATTEMPTS {
        let mut count = 0usize;
        let mut payload_bytes = 0usize;
        engine
            .replay_events_with(from, limit, |payload| {
                count += 1;
                payload_bytes += payload.len();
            })
            .map_err(to_js_error)?;
        let ends_bytes = count * 8;
        let mut memory = NodeBytes::new(env, ends_bytes + payload_bytes)?;
        let (ends, payloads) = memory.as_mut_slice().split_at_mut(ends_bytes);
        let mut visited = 0usize;
        let mut written = 0usize;
        let mut fits = true;
        engine
            .replay_events_with(from, Some(count as u64), |payload| {
                let end = written + payload.len();
                if visited >= count || end > payloads.len() {
                    fits = false;
                    return;
                }
                payloads[written..end].copy_from_slice(payload);
                // Exact: an offset is at most the total bytes in memory, far below 2^53.
                ends[visited * 8..visited * 8 + 8].copy_from_slice(&(end as f64).to_ne_bytes());
                written = end;
                visited += 1;
            })
            .map_err(to_js_error)?;
        if fits && visited == count && written == payload_bytes {
            return packed_object(env, &memory, count, payload_bytes);
        }
    }
    Err(Error::new(
        Status::GenericFailure,
        format!("the log kept changing during a replay from {from} ({REPLAY_ATTEMPTS} attempts)"),
    ))
}

/// `{ bytes, ends }` over a buffer laid out by `replay_to_js`.
fn packed_object(
    env: &Env,
    memory: &NodeBytes,
    count: usize,
    payload_bytes: usize,
) -> Result<JsMade> {
    let mut object = Object::new(env)?;
    object.set_named_property("bytes", memory.uint8_array(count * 8, payload_bytes)?)?;
    object.set_named_property("ends", memory.float64_array(0, count)?)?;
    Ok(JsMade::from(object))
}
