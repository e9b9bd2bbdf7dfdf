//! Per-thread cache of the counts of pieces that needed merging (words recur in real text).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Entries kept before the cache starts over, bounding its memory (a few MB).
const CAPACITY: usize = 1 << 16;

#[derive(Default)]
pub(crate) struct PieceCache {
    counts: HashMap<Box<[u8]>, u32, BuildHasherDefault<PieceHasher>>,
}

impl PieceCache {
    #[inline]
    pub(crate) fn get_or_insert_with(
        &mut self,
        piece: &[u8],
        count: impl FnOnce() -> usize,
    ) -> usize {
        if let Some(&known) = self.counts.get(piece) {
            return known as usize;
        }
        let counted = count();
        if self.counts.len() >= CAPACITY {
            self.counts.clear();
        }
        self.counts.insert(piece.into(), counted as u32);
        counted
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
