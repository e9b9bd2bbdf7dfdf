//! Checkpoints: `checkpoints/<id>.ckpt` = a 24-byte header (magic, format version, uncompressed
//! length, CRC32C of the uncompressed bytes) and one or more zstd frames whose contents, in order,
//! are the data. Saved atomically (temp file, fsync, rename, directory fsync); a load verifies both
//! the frames and the checksum.
//!
//! Compression is most of a large save. Measured on the 2-core VM this was tuned on, for 1 MB of
//! JSON-like state (ratio 4.65): zstd level 1 takes 2.2-2.5 ms on one core (about 450 MB/s),
//! negative levels barely less (level -5: 1.8 ms at ratio 2.9), zstd's own multithreading 2.4 ms
//! (one job per MB), two frames on two threads 1.55 ms, while the bare write + fsync + rename +
//! directory fsync of the compressed file takes about 1 ms on its disk. So the save stays above
//! twice the bare sequence there: compression alone outlasts it. (On the slow disk the issue
//! measured, 10 ms per MB, the 4.65x smaller file is what makes the save fast.) Skipping
//! compression when a sample shows incompressible data gains nothing: zstd level 1 already
//! stores such blocks raw at about 7 GB/s (0.15 ms for 1 MB of random bytes).

use std::cell::RefCell;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::checkpoint_id::check_checkpoint_id;
use crate::error::StorageError;
use crate::fsutil::Dir;

const MAGIC: [u8; 8] = *b"ku0ckpt1";
/// Version 2 allows several frames; version 1 files (one frame) still load.
const FORMAT_VERSION: u32 = 2;
const READABLE_VERSIONS: std::ops::RangeInclusive<u32> = 1..=2;
const HEADER_BYTES: usize = 24;
const SUFFIX: &str = ".ckpt";
/// Level 1: the fastest standard level, and still a large ratio on the JSON-like state agents save.
pub const CHECKPOINT_ZSTD_LEVEL: i32 = 1;
/// From this size on, the two halves are compressed on two threads (a frame each).
const TWO_THREADS_FROM_BYTES: usize = 256 << 10;

thread_local! {
    static COMPRESSOR: RefCell<Option<zstd::bulk::Compressor<'static>>> = const { RefCell::new(None) };
    static DECOMPRESSOR: RefCell<Option<zstd::bulk::Decompressor<'static>>> = const { RefCell::new(None) };
}

#[derive(Debug)]
pub(crate) struct CheckpointStore {
    dir: Dir,
    next_temp: AtomicU64,
}

impl CheckpointStore {
    /// Opens the store, clearing temp files that interrupted saves left; how many it removed.
    pub(crate) fn open(dir: Dir) -> Result<(CheckpointStore, usize), StorageError> {
        let removed = dir.remove_temp_files(|name| name.starts_with('.'))?;
        let store = CheckpointStore {
            dir,
            next_temp: AtomicU64::new(0),
        };
        Ok((store, removed))
    }

    fn path_of(&self, id: &str) -> Result<PathBuf, StorageError> {
        check_checkpoint_id(id)?;
        Ok(self.dir.join(&format!("{id}{SUFFIX}")))
    }

    pub(crate) fn save(&self, id: &str, data: &[u8]) -> Result<(), StorageError> {
        let path = self.path_of(id)?;
        let (header, frame) = encode_checkpoint(data)
            .map_err(|e| StorageError::io("compress the checkpoint for", &path, e))?;
        // Ids never start with '.', so temp names never collide with a checkpoint.
        let temp = format!(
            ".tmp-{}-{}",
            std::process::id(),
            self.next_temp.fetch_add(1, Ordering::Relaxed)
        );
        self.dir
            .replace_file(&format!("{id}{SUFFIX}"), &temp, &[&header, &frame])
    }

    pub(crate) fn load(&self, id: &str) -> Result<Option<Vec<u8>>, StorageError> {
        let path = self.path_of(id)?;
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(StorageError::io("read the checkpoint", &path, e)),
        };
        decode_checkpoint(&bytes)
            .map(Some)
            .map_err(|reason| StorageError::CorruptCheckpoint {
                id: id.to_string(),
                path,
                reason,
            })
    }

    pub(crate) fn delete(&self, id: &str) -> Result<bool, StorageError> {
        let path = self.path_of(id)?;
        match std::fs::remove_file(&path) {
            Ok(()) => {
                self.dir.sync()?;
                Ok(true)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(StorageError::io("delete the checkpoint", &path, e)),
        }
    }
}

/// The header and the zstd frames of a checkpoint file holding `data`.
pub fn encode_checkpoint(data: &[u8]) -> std::io::Result<([u8; HEADER_BYTES], Vec<u8>)> {
    let mut header = [0u8; HEADER_BYTES];
    header[..8].copy_from_slice(&MAGIC);
    header[8..12].copy_from_slice(&FORMAT_VERSION.to_le_bytes());
    header[12..20].copy_from_slice(&(data.len() as u64).to_le_bytes());
    header[20..].copy_from_slice(&crc32c::crc32c(data).to_le_bytes());
    let frames = if data.len() >= TWO_THREADS_FROM_BYTES {
        compress_on_two_threads(data)?
    } else {
        compress(data)?
    };
    Ok((header, frames))
}

/// One zstd frame at `CHECKPOINT_ZSTD_LEVEL`, with this thread's reusable context.
fn compress(data: &[u8]) -> std::io::Result<Vec<u8>> {
    COMPRESSOR.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.is_none() {
            *cell = Some(zstd::bulk::Compressor::new(CHECKPOINT_ZSTD_LEVEL)?);
        }
        cell.as_mut().unwrap().compress(data)
    })
}

/// Two frames, the second half compressed on a helper thread while this one does the first.
fn compress_on_two_threads(data: &[u8]) -> std::io::Result<Vec<u8>> {
    let (first, second) = data.split_at(data.len() / 2);
    std::thread::scope(|scope| {
        let helper = scope.spawn(|| compress(second));
        let mut frames = compress(first)?;
        let second = helper
            .join()
            .map_err(|_| std::io::Error::other("the compression thread panicked"))??;
        frames.extend_from_slice(&second);
        Ok(frames)
    })
}

/// The data a checkpoint file holds, or why it cannot be trusted.
pub fn decode_checkpoint(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let Some(header) = bytes.get(..HEADER_BYTES) else {
        return Err(format!(
            "the file is {} bytes, shorter than a checkpoint header ({HEADER_BYTES} bytes)",
            bytes.len()
        ));
    };
    if header[..8] != MAGIC {
        return Err("it does not start with the checkpoint magic bytes".into());
    }
    let version = u32::from_le_bytes(header[8..12].try_into().unwrap());
    if !READABLE_VERSIONS.contains(&version) {
        return Err(format!(
            "checkpoint format version {version} is not supported (this engine reads versions {} to {})",
            READABLE_VERSIONS.start(),
            READABLE_VERSIONS.end()
        ));
    }
    let len = u64::from_le_bytes(header[12..20].try_into().unwrap());
    let crc = u32::from_le_bytes(header[20..24].try_into().unwrap());
    let frame = &bytes[HEADER_BYTES..];
    // Trust the header's length only when the frames agree, so damage cannot make us allocate wildly.
    if frames_content_size(frame) != Some(len) {
        return Err(format!(
            "the compressed data does not hold the {len} bytes the header announces"
        ));
    }
    let data = DECOMPRESSOR
        .with(|cell| {
            let mut cell = cell.borrow_mut();
            if cell.is_none() {
                *cell = Some(zstd::bulk::Decompressor::new()?);
            }
            cell.as_mut().unwrap().decompress(frame, len as usize)
        })
        .map_err(|e| format!("the compressed data does not decompress: {e}"))?;
    if data.len() as u64 != len {
        return Err(format!(
            "it decompresses to {} bytes, not the {len} the header announces",
            data.len()
        ));
    }
    if crc32c::crc32c(&data) != crc {
        return Err("the data fails its CRC32C check".into());
    }
    Ok(data)
}

/// The total content size the zstd frames in `frames` announce, when every frame announces one
/// and they fill `frames` exactly.
fn frames_content_size(mut frames: &[u8]) -> Option<u64> {
    let mut total = 0u64;
    loop {
        let size = zstd::zstd_safe::get_frame_content_size(frames).ok()??;
        let frame_bytes = zstd::zstd_safe::find_frame_compressed_size(frames).ok()?;
        total = total.checked_add(size)?;
        frames = frames.get(frame_bytes..)?;
        if frames.is_empty() {
            return Some(total);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_dir::TestDir;
    use proptest::prelude::*;

    fn file_bytes(data: &[u8]) -> Vec<u8> {
        let (header, frame) = encode_checkpoint(data).unwrap();
        [&header[..], &frame].concat()
    }

    proptest! {
        #[test]
        fn checkpoints_round_trip(data in proptest::collection::vec(any::<u8>(), 0..4096)) {
            prop_assert_eq!(decode_checkpoint(&file_bytes(&data)).unwrap(), data);
        }

        #[test]
        fn damage_never_yields_wrong_data(
            // Compressible, or random (which zstd stores in raw blocks).
            data in prop_oneof![
                proptest::collection::vec(0u8..4, 1..2048),
                proptest::collection::vec(any::<u8>(), 1..2048),
            ],
            at in any::<usize>(),
            bit in 0u8..8,
        ) {
            let mut bytes = file_bytes(&data);
            let at = at % bytes.len();
            bytes[at] ^= 1 << bit;
            // Some frame bits do not change what decodes (reserved or descriptive fields); what
            // matters is that damage never produces different data.
            if let Ok(decoded) = decode_checkpoint(&bytes) {
                prop_assert_eq!(decoded, data);
            }
            if at < HEADER_BYTES {
                prop_assert!(decode_checkpoint(&bytes).is_err());
            }
        }

        #[test]
        fn truncation_is_detected(data in proptest::collection::vec(any::<u8>(), 0..512), cut in any::<usize>()) {
            let bytes = file_bytes(&data);
            let cut = cut % bytes.len();
            prop_assert!(decode_checkpoint(&bytes[..cut]).is_err());
        }
    }

    /// Bytes from a small xorshift generator: incompressible.
    fn noise(len: usize, mut state: u64) -> Vec<u8> {
        (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect()
    }

    fn json_like(len: usize) -> Vec<u8> {
        let mut text = String::new();
        let mut i = 0u64;
        while text.len() < len {
            text += &format!(
                "{{\"id\":{i},\"kind\":\"tool\",\"at\":{}}},",
                i * 7919 % 100_003
            );
            i += 1;
        }
        text.into_bytes()[..len].to_vec()
    }

    #[test]
    fn large_checkpoints_round_trip_as_two_frames() {
        for data in [
            json_like(TWO_THREADS_FROM_BYTES + 1001),
            noise(TWO_THREADS_FROM_BYTES + 7, 42),
        ] {
            let (_, frames) = encode_checkpoint(&data).unwrap();
            let first = zstd::zstd_safe::find_frame_compressed_size(&frames).unwrap();
            assert!(first < frames.len(), "a second frame follows the first");
            assert_eq!(decode_checkpoint(&file_bytes(&data)).unwrap(), data);
        }
    }

    #[test]
    fn a_missing_second_frame_is_detected() {
        let data = json_like(TWO_THREADS_FROM_BYTES * 2);
        let bytes = file_bytes(&data);
        let first = zstd::zstd_safe::find_frame_compressed_size(&bytes[HEADER_BYTES..]).unwrap();
        let error = decode_checkpoint(&bytes[..HEADER_BYTES + first]).unwrap_err();
        assert!(error.contains("does not hold the"), "{error}");
    }

    #[test]
    fn version_1_files_still_load() {
        let data = json_like(5000);
        let mut bytes = file_bytes(&data);
        bytes[8..12].copy_from_slice(&1u32.to_le_bytes());
        assert_eq!(decode_checkpoint(&bytes).unwrap(), data);
        bytes[8..12].copy_from_slice(&3u32.to_le_bytes());
        let error = decode_checkpoint(&bytes).unwrap_err();
        assert!(error.contains("version 3 is not supported"), "{error}");
    }

    #[test]
    fn save_load_replace_delete() {
        let root = TestDir::new("checkpoints");
        let (store, _) = CheckpointStore::open(Dir::open_or_create(root.path()).unwrap()).unwrap();
        assert_eq!(store.load("a").unwrap(), None);
        store.save("a", b"one").unwrap();
        store.save("a", b"").unwrap();
        assert_eq!(store.load("a").unwrap(), Some(Vec::new()));
        assert!(store.delete("a").unwrap());
        assert!(!store.delete("a").unwrap());
        assert_eq!(store.load("a").unwrap(), None);
        assert!(store.save("../a", b"x").is_err());
        assert!(store.load("COM1").is_err());
    }

    #[test]
    fn a_corrupt_file_is_an_error_naming_the_id() {
        let root = TestDir::new("checkpoints-corrupt");
        let (store, _) = CheckpointStore::open(Dir::open_or_create(root.path()).unwrap()).unwrap();
        store.save("state", &vec![7u8; 10_000]).unwrap();
        let path = root.path().join("state.ckpt");
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 0xff;
        std::fs::write(&path, bytes).unwrap();
        let error = store.load("state").unwrap_err().to_string();
        assert!(
            error.starts_with("checkpoint \"state\" is corrupt"),
            "{error}"
        );
    }
}
