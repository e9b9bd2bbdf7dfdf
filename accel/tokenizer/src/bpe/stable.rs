//! Which token may follow which: the *stable pairs* of the backtracking encoder, and a memo of
//! the first stable candidate down a chain of ever shorter prefix tokens.

use crate::tables::{Rank, RankTables, NONE, RANK_BITS};

/// Whether BPE of `left`'s bytes followed by `right`'s bytes gives exactly `[left, right]`.
///
/// The merges that build `left` and `right` never cross their boundary unless a pair across
/// it merges first. Walking down the right spine of `left`'s merge tree and the left spine of
/// `right`'s, always undoing the later (higher-rank) merge first, each boundary pair met must
/// not merge before the merge just undone: strictly before it when it was `left`'s (it sits to
/// the left, so wins ties), not after it when it was `right`'s.
pub(crate) fn is_stable_pair(tables: &RankTables, mut left: Rank, mut right: Rank) -> bool {
    // Merges of rank below `limit` would fire before the last undone merge.
    let mut limit = u64::MAX;
    loop {
        if let Some(merged) = tables.merged_rank(left, right) {
            if u64::from(merged) < limit {
                return false;
            }
        }
        let left_split = tables.split(left);
        let right_split = tables.split(right);
        match (left_split, right_split) {
            (Some((_, left_right)), _) if left > right || right_split.is_none() => {
                limit = u64::from(left);
                left = left_right;
            }
            (_, Some((right_left, _))) => {
                limit = u64::from(right) + 1;
                right = right_left;
            }
            _ => return true,
        }
    }
}

/// `first_stable(previous, from)`: the first token of the chain `from`, `shorter_prefix(from)`,
/// ... that forms a stable pair after `previous`, or `NONE`. Long pieces (runs, indentation)
/// meet the same few pairs over and over, and the answers hold for the vocabulary, so they are
/// remembered from piece to piece: an open-addressing table of `SLOTS` entries (allocated on
/// first use) that starts over when half full, so its memory stays fixed.
#[derive(Default)]
pub(crate) struct FirstStableMemo {
    /// `previous << 2 * RANK_BITS | from << RANK_BITS | first` (`first` = `NO_RANK` for `NONE`).
    slots: Vec<u64>,
    filled: usize,
}

impl FirstStableMemo {
    const EMPTY: u64 = u64::MAX;
    const BITS: u32 = 17;
    /// 131,072 entries of 8 bytes: 1 MiB per encoding and thread.
    pub(crate) const SLOTS: usize = 1 << Self::BITS;
    const NO_RANK: u64 = (1 << RANK_BITS) - 1;

    #[inline]
    pub(crate) fn first_stable(&mut self, tables: &RankTables, previous: Rank, from: Rank) -> Rank {
        if from == NONE {
            return NONE;
        }
        match self.find(previous, from) {
            Ok(first) => first,
            Err(()) => self.fill(tables, previous, from),
        }
    }

    #[inline]
    fn entry(key: u64, first: Rank) -> u64 {
        let first = if first == NONE {
            Self::NO_RANK
        } else {
            u64::from(first)
        };
        (key << RANK_BITS) | first
    }

    #[inline]
    fn decode(entry: u64) -> Rank {
        let first = entry & Self::NO_RANK;
        if first == Self::NO_RANK {
            NONE
        } else {
            first as Rank
        }
    }

    #[inline]
    fn key(previous: Rank, from: Rank) -> u64 {
        (u64::from(previous) << RANK_BITS) | u64::from(from)
    }

    /// The remembered answer, or `Err` when there is none.
    #[inline]
    fn find(&self, previous: Rank, from: Rank) -> Result<Rank, ()> {
        let key = Self::key(previous, from);
        let mut slot = Self::home_slot(key);
        loop {
            match self.slots.get(slot) {
                Some(&entry) if entry >> RANK_BITS == key => return Ok(Self::decode(entry)),
                Some(&entry) if entry != Self::EMPTY => slot = (slot + 1) % Self::SLOTS,
                _ => return Err(()),
            }
        }
    }

    #[inline]
    fn home_slot(key: u64) -> usize {
        super::memo_slot(key, Self::BITS)
    }

    fn insert(&mut self, previous: Rank, from: Rank, first: Rank) {
        if self.filled >= Self::SLOTS / 2 || self.slots.is_empty() {
            self.slots.clear();
            self.slots.resize(Self::SLOTS, Self::EMPTY);
            self.filled = 0;
        }
        let key = Self::key(previous, from);
        let mut slot = Self::home_slot(key);
        while self.slots[slot] != Self::EMPTY && self.slots[slot] >> RANK_BITS != key {
            slot = (slot + 1) % Self::SLOTS;
        }
        if self.slots[slot] == Self::EMPTY {
            self.filled += 1;
        }
        self.slots[slot] = Self::entry(key, first);
    }

    #[cold]
    fn fill(&mut self, tables: &RankTables, previous: Rank, from: Rank) -> Rank {
        let mut first = from;
        while first != NONE {
            if first != from {
                // The rest of the chain may be known from an earlier, shorter start.
                if let Ok(known) = self.find(previous, first) {
                    first = known;
                    break;
                }
            }
            if is_stable_pair(tables, previous, first) {
                break;
            }
            first = tables.shorter_prefix(first).unwrap_or(NONE);
        }
        self.insert(previous, from, first);
        first
    }
}
