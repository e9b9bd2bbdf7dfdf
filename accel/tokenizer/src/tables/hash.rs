//! The byte-string hash of the rank tables. build.rs includes this file too, so the tables it
//! writes and the lookups here agree by construction.

const MULTIPLIER: u64 = 0x9E37_79B9_7F4A_7C15;

/// A fast hash for short byte strings (tokens average a few bytes): one multiply per 8 bytes.
#[inline]
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut hash = (bytes.len() as u64).wrapping_mul(MULTIPLIER);
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        hash = (hash.rotate_left(23) ^ word).wrapping_mul(MULTIPLIER);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut word = [0u8; 8];
        word[..rest.len()].copy_from_slice(rest);
        hash = (hash.rotate_left(23) ^ u64::from_le_bytes(word)).wrapping_mul(MULTIPLIER);
    }
    hash ^ (hash >> 32)
}

/// Home slot of a hash in a table of `1 << bits` slots (the high bits mix best).
#[inline]
pub fn home_slot(hash: u64, bits: u32) -> usize {
    (hash.wrapping_mul(MULTIPLIER) >> (64 - bits)) as usize
}

/// The 32-bit tag a slot stores beside its rank, to skip most byte comparisons.
#[inline]
pub fn tag(hash: u64) -> u32 {
    hash as u32
}
