//! One log record: `seq: u64 | len: u32 | crc: u32 | payload`, little-endian, where `crc` is the
//! CRC32C of the first 12 header bytes followed by the payload. A zero-filled region never
//! verifies (the CRC32C of 12 zero bytes is not 0), so preallocated or torn space reads as torn.

use crc32c::{crc32c, crc32c_append};

pub const MAX_EVENT_BYTES: u64 = u32::MAX as u64;
pub const RECORD_HEADER_BYTES: usize = 16;

/// Bytes `payload` takes in a segment.
pub(crate) fn record_bytes(payload_len: usize) -> usize {
    RECORD_HEADER_BYTES + payload_len
}

/// Appends the record for `payload` (at most `MAX_EVENT_BYTES`, checked by the caller) to `out`.
pub(crate) fn encode_record(out: &mut Vec<u8>, seq: u64, payload: &[u8]) {
    let mut head = [0u8; 12];
    head[..8].copy_from_slice(&seq.to_le_bytes());
    head[8..].copy_from_slice(&(payload.len() as u32).to_le_bytes());
    let crc = crc32c_append(crc32c(&head), payload);
    out.reserve(record_bytes(payload.len()));
    out.extend_from_slice(&head);
    out.extend_from_slice(&crc.to_le_bytes());
    out.extend_from_slice(payload);
}

/// Why the bytes at an offset are not the record that should be there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RecordFault {
    /// The header or the payload it announces runs past the end of the data.
    Truncated,
    Checksum,
    /// A record that verifies but carries the wrong sequence number.
    Sequence {
        found: u64,
    },
}

impl RecordFault {
    pub(crate) fn describe(self, expected: u64) -> String {
        match self {
            RecordFault::Truncated => format!("record {expected} is incomplete"),
            RecordFault::Checksum => format!("record {expected} fails its CRC32C check"),
            RecordFault::Sequence { found } => {
                format!("expected record {expected}, found record {found}")
            }
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Record<'a> {
    pub payload: &'a [u8],
    /// Offset of the byte after this record.
    pub end: usize,
}

/// Reads the record at `offset`, which must carry sequence number `expected`; with `verify`, also
/// checks its CRC32C (skipping over records on the way to a replay's start does not).
#[inline]
pub(crate) fn read_record(
    data: &[u8],
    offset: usize,
    expected: u64,
    verify: bool,
) -> Result<Record<'_>, RecordFault> {
    let Some(head) = data.get(offset..offset + RECORD_HEADER_BYTES) else {
        return Err(RecordFault::Truncated);
    };
    let seq = u64::from_le_bytes(head[..8].try_into().unwrap());
    let len = u32::from_le_bytes(head[8..12].try_into().unwrap()) as usize;
    let stored_crc = u32::from_le_bytes(head[12..16].try_into().unwrap());
    let start = offset + RECORD_HEADER_BYTES;
    let Some(payload) = data.get(start..start + len) else {
        return Err(RecordFault::Truncated);
    };
    if verify && crc32c_append(crc32c(&head[..12]), payload) != stored_crc {
        return Err(RecordFault::Checksum);
    }
    if seq != expected {
        return Err(RecordFault::Sequence { found: seq });
    }
    Ok(Record {
        payload,
        end: start + len,
    })
}

/// Whether a complete, verifying record with a sequence number in `seqs` starts anywhere in
/// `data[from..]`: after a bad record, that means the damage is in the middle of the log.
pub(crate) fn any_valid_record_after(
    data: &[u8],
    from: usize,
    seqs: std::ops::RangeInclusive<u64>,
) -> Option<(usize, u64)> {
    let last_start = data.len().checked_sub(RECORD_HEADER_BYTES)?;
    (from..=last_start).find_map(|offset| {
        let seq = u64::from_le_bytes(data[offset..offset + 8].try_into().unwrap());
        if !seqs.contains(&seq) {
            return None;
        }
        read_record(data, offset, seq, true)
            .ok()
            .map(|_| (offset, seq))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn encode_all(first: u64, payloads: &[Vec<u8>]) -> Vec<u8> {
        let mut out = Vec::new();
        for (i, payload) in payloads.iter().enumerate() {
            encode_record(&mut out, first + i as u64, payload);
        }
        out
    }

    proptest! {
        #[test]
        fn records_round_trip(first in 0u64..u64::MAX / 2,
                              payloads in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..300), 0..20)) {
            let data = encode_all(first, &payloads);
            let mut offset = 0;
            for (i, payload) in payloads.iter().enumerate() {
                let record = read_record(&data, offset, first + i as u64, true).unwrap();
                prop_assert_eq!(record.payload, &payload[..]);
                offset = record.end;
            }
            prop_assert_eq!(offset, data.len());
            prop_assert_eq!(read_record(&data, offset, first + payloads.len() as u64, true).unwrap_err(), RecordFault::Truncated);
        }

        #[test]
        fn any_flipped_bit_is_caught(payload in proptest::collection::vec(any::<u8>(), 0..64), bit in 0usize..1000) {
            let mut data = Vec::new();
            encode_record(&mut data, 9, &payload);
            let bit = bit % (data.len() * 8);
            data[bit / 8] ^= 1 << (bit % 8);
            prop_assert!(read_record(&data, 0, 9, true).is_err());
        }

        #[test]
        fn every_cut_is_truncated(payload in proptest::collection::vec(any::<u8>(), 0..64), cut in 0usize..80) {
            let mut data = Vec::new();
            encode_record(&mut data, 3, &payload);
            let cut = cut % data.len();
            prop_assert_eq!(read_record(&data[..cut], 0, 3, true).unwrap_err(), RecordFault::Truncated);
        }
    }

    #[test]
    fn zero_filled_space_is_not_a_record() {
        let zeros = [0u8; 64];
        assert_eq!(
            read_record(&zeros, 0, 0, true).unwrap_err(),
            RecordFault::Checksum
        );
    }

    #[test]
    fn a_wrong_sequence_number_is_reported() {
        let data = encode_all(5, &[b"x".to_vec()]);
        assert_eq!(
            read_record(&data, 0, 4, true).unwrap_err(),
            RecordFault::Sequence { found: 5 }
        );
    }

    #[test]
    fn valid_records_after_garbage_are_found() {
        let mut data = vec![0xAB; 7];
        data.extend(encode_all(10, &[b"abc".to_vec()]));
        assert_eq!(any_valid_record_after(&data, 0, 9..=12), Some((7, 10)));
        assert_eq!(any_valid_record_after(&data, 0, 11..=12), None);
        assert_eq!(any_valid_record_after(&data, 8, 9..=12), None);
    }
}
