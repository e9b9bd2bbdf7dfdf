//! Segment files: `events/<base seq, 20 digits>.seg`, a 24-byte header (magic, format version,
//! base sequence number, CRC32C of those) followed by records (record.rs) from `base` on.

use std::fs::{File, OpenOptions};
use std::os::unix::fs::FileExt;
use std::path::PathBuf;

use crate::error::StorageError;
use crate::fsutil::Dir;

const MAGIC: [u8; 8] = *b"ku0evlog";
pub(crate) const FORMAT_VERSION: u32 = 1;
pub const SEGMENT_HEADER_BYTES: usize = 24;
const SUFFIX: &str = ".seg";

pub(crate) fn segment_file_name(base: u64) -> String {
    format!("{base:020}{SUFFIX}")
}

pub(crate) fn parse_segment_file_name(name: &str) -> Option<u64> {
    let digits = name.strip_suffix(SUFFIX)?;
    if digits.len() != 20 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

pub(crate) fn encode_header(base: u64) -> [u8; SEGMENT_HEADER_BYTES] {
    let mut header = [0u8; SEGMENT_HEADER_BYTES];
    header[..8].copy_from_slice(&MAGIC);
    header[8..12].copy_from_slice(&FORMAT_VERSION.to_le_bytes());
    header[12..20].copy_from_slice(&base.to_le_bytes());
    let crc = crc32c::crc32c(&header[..20]);
    header[20..].copy_from_slice(&crc.to_le_bytes());
    header
}

/// Checks a segment header against the base its file name gives; the reason when it does not match.
pub(crate) fn check_header(bytes: &[u8], base: u64) -> Result<(), String> {
    let Some(header) = bytes.get(..SEGMENT_HEADER_BYTES) else {
        return Err(format!(
            "the file is {} bytes, shorter than a segment header ({SEGMENT_HEADER_BYTES} bytes)",
            bytes.len()
        ));
    };
    if header[..8] != MAGIC {
        return Err("it does not start with the segment magic bytes".into());
    }
    let crc = u32::from_le_bytes(header[20..24].try_into().unwrap());
    if crc32c::crc32c(&header[..20]) != crc {
        return Err("the segment header fails its CRC32C check".into());
    }
    let version = u32::from_le_bytes(header[8..12].try_into().unwrap());
    if version != FORMAT_VERSION {
        return Err(format!(
            "segment format version {version} is not supported (this engine reads version {FORMAT_VERSION})"
        ));
    }
    let stored_base = u64::from_le_bytes(header[12..20].try_into().unwrap());
    if stored_base != base {
        return Err(format!(
            "the header says the segment starts at record {stored_base}, its name says {base}"
        ));
    }
    Ok(())
}

/// Creates the segment starting at `base` durably (header synced, directory synced), replacing a
/// leftover file of that name (recovery only leaves one that holds no record).
pub(crate) fn create_segment(dir: &Dir, base: u64) -> Result<(PathBuf, File), StorageError> {
    let path = dir.join(&segment_file_name(base));
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(&path)
        .map_err(|e| StorageError::io("create the segment", &path, e))?;
    let written = file
        .write_all_at(&encode_header(base), 0)
        .map_err(|e| StorageError::io("write the header of", &path, e))
        .and_then(|()| {
            file.sync_data()
                .map_err(|e| StorageError::io("fdatasync", &path, e))
        })
        .and_then(|()| dir.sync());
    if let Err(error) = written {
        // Leave no headerless file behind (recovery would also cope with one, as a torn tail).
        let _ = std::fs::remove_file(&path);
        return Err(error);
    }
    Ok((path, file))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_sort_by_base_and_parse_back() {
        let names: Vec<String> = [0u64, 9, 10, 123_456_789, u64::MAX]
            .iter()
            .map(|&b| segment_file_name(b))
            .collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        for (name, base) in names.iter().zip([0u64, 9, 10, 123_456_789, u64::MAX]) {
            assert_eq!(parse_segment_file_name(name), Some(base));
        }
        assert_eq!(parse_segment_file_name("12.seg"), None);
        assert_eq!(parse_segment_file_name("0000000000000000000x.seg"), None);
        assert_eq!(parse_segment_file_name(".tmp"), None);
    }

    #[test]
    fn headers_verify_and_reject_damage() {
        let header = encode_header(77);
        assert_eq!(check_header(&header, 77), Ok(()));
        assert!(check_header(&header, 78)
            .unwrap_err()
            .contains("starts at record 77"));
        assert!(check_header(&header[..10], 77)
            .unwrap_err()
            .contains("shorter"));
        for byte in 0..SEGMENT_HEADER_BYTES {
            let mut damaged = header;
            damaged[byte] ^= 0x10;
            assert!(check_header(&damaged, 77).is_err(), "byte {byte}");
        }
    }
}
