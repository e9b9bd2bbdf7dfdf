//! A crash-safe append-only event log and an atomic checkpoint store, at the speed of the disk.
//!
//! Layout of a root directory:
//! - `LOCK`: locked (POSIX record lock) by the open engine, holds its pid (lock.rs).
//! - `events/<base>.seg`: segments of CRC32C-checked records (segment.rs, record.rs);
//!   `events/low-water-mark`: the first sequence number not pruned, updated in place (watermark.rs).
//! - `checkpoints/<id>.ckpt`: zstd-compressed, checksummed checkpoints (checkpoint.rs).
//!
//! Appends are durable on return and share fdatasyncs (log.rs); `open` verifies the log and cuts
//! off a torn tail (recovery.rs).

mod checkpoint;
mod checkpoint_id;
mod engine;
mod error;
mod fsutil;
mod index;
mod lock;
mod log;
mod record;
mod recovery;
mod segment;
#[cfg(test)]
mod test_dir;
mod watermark;

pub use checkpoint::{decode_checkpoint, encode_checkpoint, CHECKPOINT_ZSTD_LEVEL};
pub use engine::{OpenOptions, StorageEngine};
pub use error::StorageError;
pub use record::MAX_EVENT_BYTES;
pub use recovery::{Recovery, TruncatedTail};

/// Record-level encode/verify, exposed for benchmarks and the crash/fault tests.
pub mod format {
    pub use crate::record::RECORD_HEADER_BYTES;
    pub use crate::segment::SEGMENT_HEADER_BYTES;

    /// Appends the encoded record for `payload` with sequence number `seq` to `out`.
    pub fn encode_record(out: &mut Vec<u8>, seq: u64, payload: &[u8]) {
        crate::record::encode_record(out, seq, payload)
    }

    /// Verifies the records in `data` (no segment header) from sequence number `first` on; how
    /// many verified before the end or the first fault.
    pub fn verify_records(data: &[u8], first: u64) -> u64 {
        let mut offset = 0;
        let mut seq = first;
        while let Ok(record) = crate::record::read_record(data, offset, seq, true) {
            offset = record.end;
            seq += 1;
        }
        seq - first
    }
}
