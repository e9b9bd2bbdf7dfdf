//! A small direct-mapped memo of the counts of recent short pieces, checked before the rank
//! table: real text repeats its words, and the rank tables are megabytes (a lookup there costs
//! cache misses in the hash slots, the offsets and the token bytes), while this stays in L2.

use crate::tables::{bytes_words, hash_words};

/// Pieces up to this many bytes are remembered (most words, with their leading space).
pub(crate) const RECENT_PIECE_LEN: usize = 16;

/// 4,096 entries of 24 bytes: 96 KiB per encoding and thread, allocated on first use.
const BITS: u32 = 12;

#[derive(Default)]
pub(crate) struct RecentPieces {
    /// `(words of the piece, len | count << 8)`; a zero length marks an empty slot.
    slots: Vec<(u64, u64, u64)>,
}

impl RecentPieces {
    /// The count of `piece` (2 to `RECENT_PIECE_LEN` bytes), from memory or from `count`.
    #[inline]
    pub(crate) fn get_or_insert_with(
        &mut self,
        piece: &[u8],
        count: impl FnOnce() -> usize,
    ) -> usize {
        debug_assert!((2..=RECENT_PIECE_LEN).contains(&piece.len()));
        if self.slots.is_empty() {
            self.slots = vec![(0, 0, 0); 1 << BITS];
        }
        let (low, high) = bytes_words(piece);
        let len = piece.len() as u64;
        let slot = (hash_words(low, high, len) >> (64 - BITS)) as usize;
        let (known_low, known_high, len_and_count) = self.slots[slot];
        if known_low == low && known_high == high && len_and_count & 0xFF == len {
            return (len_and_count >> 8) as usize;
        }
        let counted = count();
        self.slots[slot] = (low, high, len | ((counted as u64) << 8));
        counted
    }
}
