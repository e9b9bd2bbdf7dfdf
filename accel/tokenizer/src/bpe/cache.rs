//! Per-thread caches keyed by piece bytes: the counts of pieces that needed merging (words
//! recur in real text), the summaries of whitespace segments.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// What is remembered of each piece, up to `CAPACITY` pieces; then the cache starts over,
/// bounding its memory.
pub(crate) struct PieceCache<V, const CAPACITY: usize> {
    values: HashMap<Box<[u8]>, V, BuildHasherDefault<PieceHasher>>,
}

impl<V, const CAPACITY: usize> Default for PieceCache<V, CAPACITY> {
    fn default() -> Self {
        Self {
            values: HashMap::default(),
        }
    }
}

impl<V: Copy, const CAPACITY: usize> PieceCache<V, CAPACITY> {
    #[inline]
    pub(crate) fn get_or_insert_with(&mut self, piece: &[u8], value: impl FnOnce() -> V) -> V {
        if let Some(&known) = self.values.get(piece) {
            return known;
        }
        let value = value();
        if self.values.len() >= CAPACITY {
            self.values.clear();
        }
        self.values.insert(piece.into(), value);
        value
    }
}

/// The rank tables' byte hash, fed the key's bytes (and its length, which `Hash` writes too).
#[derive(Default)]
struct PieceHasher(u64);

impl Hasher for PieceHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        self.0 = self.0.rotate_left(5) ^ crate::tables::hash_bytes(bytes);
    }

    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.0 = (self.0.rotate_left(5) ^ n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}
