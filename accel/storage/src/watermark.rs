//! The durable low-water mark: `events/low-water-mark` holds the first sequence number not pruned
//! (magic, u64, CRC32C). It is replaced atomically, so a torn one means real damage: an error.

use std::path::Path;

use crate::error::StorageError;
use crate::fsutil::Dir;

pub(crate) const FILE_NAME: &str = "low-water-mark";
pub(crate) const TEMP_NAME: &str = ".low-water-mark.tmp";
const MAGIC: [u8; 8] = *b"ku0lwm01";
const FILE_BYTES: usize = 20;

fn encode(mark: u64) -> [u8; FILE_BYTES] {
    let mut bytes = [0u8; FILE_BYTES];
    bytes[..8].copy_from_slice(&MAGIC);
    bytes[8..16].copy_from_slice(&mark.to_le_bytes());
    let crc = crc32c::crc32c(&bytes[..16]);
    bytes[16..].copy_from_slice(&crc.to_le_bytes());
    bytes
}

fn decode(bytes: &[u8], path: &Path) -> Result<u64, StorageError> {
    let corrupt = |reason: &str| StorageError::CorruptLog {
        path: path.to_path_buf(),
        offset: 0,
        reason: format!("the low-water mark file {reason}"),
    };
    if bytes.len() != FILE_BYTES {
        return Err(corrupt(&format!(
            "is {} bytes, not {FILE_BYTES}",
            bytes.len()
        )));
    }
    if bytes[..8] != MAGIC {
        return Err(corrupt("does not start with its magic bytes"));
    }
    if crc32c::crc32c(&bytes[..16]) != u32::from_le_bytes(bytes[16..].try_into().unwrap()) {
        return Err(corrupt("fails its CRC32C check"));
    }
    Ok(u64::from_le_bytes(bytes[8..16].try_into().unwrap()))
}

/// The stored mark; 0 when nothing was ever pruned.
pub(crate) fn read(dir: &Dir) -> Result<u64, StorageError> {
    let path = dir.join(FILE_NAME);
    match std::fs::read(&path) {
        Ok(bytes) => decode(&bytes, &path),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(0),
        Err(e) => Err(StorageError::io("read", &path, e)),
    }
}

pub(crate) fn write(dir: &Dir, mark: u64) -> Result<(), StorageError> {
    dir.replace_file(FILE_NAME, TEMP_NAME, &[&encode(mark)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_dir::TestDir;

    #[test]
    fn marks_round_trip_and_default_to_zero() {
        let root = TestDir::new("watermark");
        let dir = Dir::open_or_create(root.path()).unwrap();
        assert_eq!(read(&dir).unwrap(), 0);
        write(&dir, 12345).unwrap();
        assert_eq!(read(&dir).unwrap(), 12345);
    }

    #[test]
    fn damage_is_an_error() {
        let path = Path::new("/x/low-water-mark");
        let good = encode(5);
        assert_eq!(decode(&good, path).unwrap(), 5);
        for byte in 0..FILE_BYTES {
            let mut bad = good;
            bad[byte] ^= 1;
            assert!(decode(&bad, path).is_err());
        }
        let error = decode(&good[..7], path).unwrap_err().to_string();
        assert!(
            error.contains("/x/low-water-mark") && error.contains("7 bytes"),
            "{error}"
        );
    }
}
