//! The durable low-water mark: `events/low-water-mark`, the first sequence number not pruned.
//!
//! The file is created once (atomically, at open) with its full size, and afterwards updated in
//! place, so a prune needs no new disk space: on a full disk it can still move the mark and then
//! delete segments. It holds two slots, each `magic, generation, mark, CRC32C` in its own
//! 512-byte sector; an update writes the next generation into the slot *not* holding the current
//! one and fdatasyncs. A crash mid-update tears at most that slot, and the other still holds the
//! previous mark, so the valid slot with the highest generation is always the durable mark.

use std::fs::{File, OpenOptions};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use crate::error::StorageError;
use crate::fsutil::Dir;

pub(crate) const FILE_NAME: &str = "low-water-mark";
pub(crate) const TEMP_NAME: &str = ".low-water-mark.tmp";
const MAGIC: [u8; 8] = *b"ku0lwm02";
const SLOT_BYTES: usize = 28;
const SLOT_STRIDE: usize = 512;
const FILE_BYTES: usize = 2 * SLOT_STRIDE;

/// One slot's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Slot {
    generation: u64,
    mark: u64,
}

impl Slot {
    /// Where this generation is written: never over the slot of the one before it.
    fn offset(self) -> u64 {
        (self.generation % 2) * SLOT_STRIDE as u64
    }

    fn encode(self) -> [u8; SLOT_BYTES] {
        let mut bytes = [0u8; SLOT_BYTES];
        bytes[..8].copy_from_slice(&MAGIC);
        bytes[8..16].copy_from_slice(&self.generation.to_le_bytes());
        bytes[16..24].copy_from_slice(&self.mark.to_le_bytes());
        let crc = crc32c::crc32c(&bytes[..24]);
        bytes[24..].copy_from_slice(&crc.to_le_bytes());
        bytes
    }

    /// The slot stored in `bytes`, if it is intact.
    fn decode(bytes: &[u8]) -> Option<Slot> {
        let bytes = bytes.get(..SLOT_BYTES)?;
        let crc = u32::from_le_bytes(bytes[24..].try_into().unwrap());
        (bytes[..8] == MAGIC && crc32c::crc32c(&bytes[..24]) == crc).then(|| Slot {
            generation: u64::from_le_bytes(bytes[8..16].try_into().unwrap()),
            mark: u64::from_le_bytes(bytes[16..24].try_into().unwrap()),
        })
    }
}

/// The whole file with `slot` in its place and the other slot empty.
fn initial_file(slot: Slot) -> Vec<u8> {
    let mut bytes = vec![0u8; FILE_BYTES];
    let offset = slot.offset() as usize;
    bytes[offset..offset + SLOT_BYTES].copy_from_slice(&slot.encode());
    bytes
}

/// The current slot of a file's content.
fn current(bytes: &[u8], path: &Path) -> Result<Slot, StorageError> {
    let corrupt = |reason: String| StorageError::CorruptLog {
        path: path.to_path_buf(),
        offset: 0,
        reason: format!("the low-water mark file {reason}"),
    };
    if bytes.len() != FILE_BYTES {
        return Err(corrupt(format!(
            "is {} bytes, not {FILE_BYTES}",
            bytes.len()
        )));
    }
    let slots = [
        Slot::decode(&bytes[..SLOT_STRIDE]),
        Slot::decode(&bytes[SLOT_STRIDE..]),
    ];
    slots
        .into_iter()
        .flatten()
        .max_by_key(|slot| slot.generation)
        .ok_or_else(|| corrupt("has no slot that passes its CRC32C check".into()))
}

/// The open mark file of a log.
#[derive(Debug)]
pub(crate) struct LowWaterMark {
    file: File,
    path: PathBuf,
    current: Slot,
}

impl LowWaterMark {
    /// Opens the mark file in `dir`, creating it (mark 0) when missing.
    pub(crate) fn open(dir: &Dir) -> Result<LowWaterMark, StorageError> {
        let path = dir.join(FILE_NAME);
        let open = || OpenOptions::new().read(true).write(true).open(&path);
        let file = match open() {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let first = Slot {
                    generation: 0,
                    mark: 0,
                };
                dir.replace_file(FILE_NAME, TEMP_NAME, &[&initial_file(first)])?;
                open().map_err(|e| StorageError::io("open", &path, e))?
            }
            Err(e) => return Err(StorageError::io("open", &path, e)),
        };
        let mut bytes = vec![0u8; FILE_BYTES + 1];
        let len = read_up_to(&file, &mut bytes).map_err(|e| StorageError::io("read", &path, e))?;
        let current = current(&bytes[..len], &path)?;
        Ok(LowWaterMark {
            file,
            path,
            current,
        })
    }

    pub(crate) fn get(&self) -> u64 {
        self.current.mark
    }

    /// Stores `mark` durably, in place.
    pub(crate) fn set(&mut self, mark: u64) -> Result<(), StorageError> {
        let next = Slot {
            generation: self.current.generation + 1,
            mark,
        };
        self.file
            .write_all_at(&next.encode(), next.offset())
            .and_then(|()| self.file.sync_data())
            .map_err(|e| StorageError::io("update", &self.path, e))?;
        self.current = next;
        Ok(())
    }
}

/// Reads from offset 0 until `buffer` is full or the file ends; how many bytes.
fn read_up_to(file: &File, buffer: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match file.read_at(&mut buffer[filled..], filled as u64)? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_dir::TestDir;

    #[test]
    fn marks_round_trip_in_place_and_start_at_zero() {
        let root = TestDir::new("watermark");
        let dir = Dir::open_or_create(root.path()).unwrap();
        let mut mark = LowWaterMark::open(&dir).unwrap();
        assert_eq!(mark.get(), 0);
        let inode =
            |path: &Path| std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(path).unwrap());
        let first_inode = inode(&dir.join(FILE_NAME));
        for value in [5u64, 12345, 12346, u64::MAX] {
            mark.set(value).unwrap();
            assert_eq!(LowWaterMark::open(&dir).unwrap().get(), value);
        }
        assert_eq!(inode(&dir.join(FILE_NAME)), first_inode, "updated in place");
        assert_eq!(
            std::fs::metadata(dir.join(FILE_NAME)).unwrap().len(),
            FILE_BYTES as u64
        );
    }

    #[test]
    fn a_torn_update_on_disk_reopens_at_the_previous_mark() {
        let root = TestDir::new("watermark-torn");
        let dir = Dir::open_or_create(root.path()).unwrap();
        let mut mark = LowWaterMark::open(&dir).unwrap();
        mark.set(5).unwrap();
        mark.set(9).unwrap();
        let latest = mark.current;
        drop(mark);
        let file = OpenOptions::new()
            .write(true)
            .open(dir.join(FILE_NAME))
            .unwrap();
        file.write_all_at(&[0xff; 10], latest.offset() + 12)
            .unwrap();
        let mut mark = LowWaterMark::open(&dir).unwrap();
        assert_eq!(mark.get(), 5);
        // The next update goes into the torn slot again, never over the surviving one.
        mark.set(7).unwrap();
        assert_eq!(LowWaterMark::open(&dir).unwrap().get(), 7);
    }

    #[test]
    fn a_torn_update_leaves_the_previous_mark() {
        let path = Path::new("/x/low-water-mark");
        let mut bytes = initial_file(Slot {
            generation: 6,
            mark: 40,
        });
        let next = Slot {
            generation: 7,
            mark: 90,
        };
        let offset = next.offset() as usize;
        bytes[offset..offset + SLOT_BYTES].copy_from_slice(&next.encode());
        assert_eq!(current(&bytes, path).unwrap(), next);
        for byte in offset..offset + SLOT_BYTES {
            let mut torn = bytes.clone();
            torn[byte] ^= 0x40;
            assert_eq!(current(&torn, path).unwrap().mark, 40, "byte {byte}");
        }
        let mut half = bytes.clone();
        half[offset + SLOT_BYTES / 2..offset + SLOT_BYTES].fill(0);
        assert_eq!(current(&half, path).unwrap().mark, 40);
    }

    #[test]
    fn damage_to_both_slots_or_the_size_is_an_error() {
        let path = Path::new("/x/low-water-mark");
        let mut bytes = initial_file(Slot {
            generation: 0,
            mark: 3,
        });
        assert_eq!(current(&bytes, path).unwrap().mark, 3);
        bytes[9] ^= 1;
        let error = current(&bytes, path).unwrap_err().to_string();
        assert!(
            error.contains("/x/low-water-mark") && error.contains("no slot"),
            "{error}"
        );
        let error = current(&bytes[..20], path).unwrap_err().to_string();
        assert!(error.contains("20 bytes, not 1024"), "{error}");
    }
}
