//! Checkpoints: `checkpoints/<id>.ckpt` = a 24-byte header (magic, format version, uncompressed
//! length, CRC32C of the uncompressed bytes) and one zstd frame. Saved atomically (temp file,
//! fsync, rename, directory fsync); a load verifies both the frame and the checksum.

use std::cell::RefCell;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::checkpoint_id::check_checkpoint_id;
use crate::error::StorageError;
use crate::fsutil::Dir;

const MAGIC: [u8; 8] = *b"ku0ckpt1";
const FORMAT_VERSION: u32 = 1;
const HEADER_BYTES: usize = 24;
const SUFFIX: &str = ".ckpt";
/// Level 1: the fastest standard level, and still a large ratio on the JSON-like state agents save.
pub const CHECKPOINT_ZSTD_LEVEL: i32 = 1;

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

/// The header and the zstd frame of a checkpoint file holding `data`.
pub fn encode_checkpoint(data: &[u8]) -> std::io::Result<([u8; HEADER_BYTES], Vec<u8>)> {
    let mut header = [0u8; HEADER_BYTES];
    header[..8].copy_from_slice(&MAGIC);
    header[8..12].copy_from_slice(&FORMAT_VERSION.to_le_bytes());
    header[12..20].copy_from_slice(&(data.len() as u64).to_le_bytes());
    header[20..].copy_from_slice(&crc32c::crc32c(data).to_le_bytes());
    let frame = COMPRESSOR.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.is_none() {
            *cell = Some(zstd::bulk::Compressor::new(CHECKPOINT_ZSTD_LEVEL)?);
        }
        cell.as_mut().unwrap().compress(data)
    })?;
    Ok((header, frame))
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
    if version != FORMAT_VERSION {
        return Err(format!(
            "checkpoint format version {version} is not supported (this engine reads version {FORMAT_VERSION})"
        ));
    }
    let len = u64::from_le_bytes(header[12..20].try_into().unwrap());
    let crc = u32::from_le_bytes(header[20..24].try_into().unwrap());
    let frame = &bytes[HEADER_BYTES..];
    // Trust the header's length only when the frame agrees, so damage cannot make us allocate wildly.
    match zstd::zstd_safe::get_frame_content_size(frame) {
        Ok(Some(size)) if size == len => {}
        _ => {
            return Err(format!(
                "the compressed data does not hold the {len} bytes the header announces"
            ))
        }
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
        fn damage_never_yields_wrong_data(data in proptest::collection::vec(0u8..4, 1..2048), at in any::<usize>(), bit in 0u8..8) {
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
