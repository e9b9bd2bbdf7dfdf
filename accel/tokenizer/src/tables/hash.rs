//! The byte-string hash of the rank tables. build.rs includes this file too, so the tables it
//! writes and the lookups here agree by construction.

const MULTIPLIER: u64 = 0x9E37_79B9_7F4A_7C15;

/// A fast hash for short byte strings (tokens average a few bytes): one multiply per 8 bytes,
/// the last 1 to 7 bytes read in at most two loads (no copy).
#[inline]
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut hash = (bytes.len() as u64).wrapping_mul(MULTIPLIER);
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        hash = (hash.rotate_left(23) ^ le_u64(chunk)).wrapping_mul(MULTIPLIER);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        hash = (hash.rotate_left(23) ^ short_word(rest)).wrapping_mul(MULTIPLIER);
    }
    hash ^ (hash >> 32)
}

/// 1 to 7 bytes as one word that covers every byte (overlapping loads; the length is hashed
/// separately, so different lengths cannot collide by construction).
#[inline(always)]
pub fn short_word(rest: &[u8]) -> u64 {
    let len = rest.len();
    if len >= 4 {
        let first = u32::from_le_bytes([rest[0], rest[1], rest[2], rest[3]]);
        let last = u32::from_le_bytes([rest[len - 4], rest[len - 3], rest[len - 2], rest[len - 1]]);
        u64::from(first) | (u64::from(last) << 32)
    } else {
        u64::from(rest[0]) | (u64::from(rest[len / 2]) << 8) | (u64::from(rest[len - 1]) << 16)
    }
}

#[inline(always)]
fn le_u64(chunk: &[u8]) -> u64 {
    u64::from_le_bytes(chunk.try_into().unwrap_or_default())
}

/// Two words that, with the length, identify 1 to 16 bytes (overlapping loads cover every byte).
#[inline]
pub fn bytes_words(bytes: &[u8]) -> (u64, u64) {
    let len = bytes.len();
    match len {
        0 => (0, 0),
        1..=7 => (short_word(bytes), 0),
        _ => (le_u64(&bytes[..8]), le_u64(&bytes[len - 8..])),
    }
}

/// A hash of `bytes_words` and the length; the high bits mix best.
#[inline]
pub fn hash_words(low: u64, high: u64, len: u64) -> u64 {
    ((low ^ high.rotate_left(29)).wrapping_mul(MULTIPLIER) ^ len).wrapping_mul(MULTIPLIER)
}

/// Byte-string equality without a call into `memcmp` for the short strings that tokens are.
#[inline]
pub fn bytes_equal(left: &[u8], right: &[u8]) -> bool {
    let len = left.len();
    if len != right.len() {
        return false;
    }
    match len {
        0 => true,
        1..=7 => short_word(left) == short_word(right),
        8..=16 => {
            le_u64(&left[..8]) == le_u64(&right[..8])
                && le_u64(&left[len - 8..]) == le_u64(&right[len - 8..])
        }
        _ => left == right,
    }
}

/// Home slot of a hash in a table of `1 << bits` slots (the high bits mix best).
#[inline]
pub fn home_slot(hash: u64, bits: u32) -> usize {
    (hash.wrapping_mul(MULTIPLIER) >> (64 - bits)) as usize
}

/// Home slot of a trie edge key in a table of `1 << bits` slots.
#[inline]
pub fn edge_home_slot(key: u32, bits: u32) -> usize {
    (u64::from(key).wrapping_mul(MULTIPLIER) >> (64 - bits)) as usize
}

/// Home slot of the merge of `left` and `right` in a table of `1 << bits` slots.
#[inline]
pub fn merge_home_slot(left: u32, right: u32, bits: u32) -> usize {
    let key = (u64::from(left) << 32) | u64::from(right);
    (key.wrapping_mul(MULTIPLIER) >> (64 - bits)) as usize
}

/// The 32-bit tag a slot stores beside its rank, to skip most byte comparisons.
#[inline]
pub fn tag(hash: u64) -> u32 {
    hash as u32
}
