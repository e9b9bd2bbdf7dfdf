//! The rank tables of one encoding, prebuilt by build.rs and embedded with `include_bytes!`:
//! the tokens' bytes, a hash table from bytes to rank (whole pieces), the vocabulary's byte
//! trie (`trie`: longest-prefix walks), each token's split (the merge that makes it) and merge
//! table (which pair merges into which token), each token's longest shorter prefix token, and
//! which byte pairs occur inside some token.

mod hash;
pub(crate) mod layout;
mod trie;

pub(crate) use hash::{bytes_words, hash_bytes, hash_words};
use layout::EMPTY_SLOT;
pub(crate) use layout::NONE;

pub(crate) type Rank = u32;

/// Every rank fits in this many bits (checked for each table at compile time), so that memos
/// can pack two or three ranks into a `u64`.
pub(crate) const RANK_BITS: u32 = 18;

pub(crate) struct RankTables {
    token_bytes: &'static [u8],
    token_offsets: &'static [u8],
    token_lens: &'static [u8],
    slots: &'static [u8],
    trie_edges: &'static [u8],
    adjacent_pairs: &'static [u8; 65536 / 8],
    run_starts: &'static [u8],
    run_paths: &'static [u8],
    merges: &'static [u8],
    splits: &'static [u8],
    shorter: &'static [u8],
    slot_bits: u32,
    trie_bits: u32,
    merge_bits: u32,
    rank_count: usize,
    pub(crate) longest_token: usize,
}

macro_rules! embedded_tables {
    ($name:literal) => {{
        mod constants {
            include!(concat!(env!("OUT_DIR"), "/", $name, ".rs"));
        }
        const _: () = assert!(constants::RANK_COUNT < (1 << RANK_BITS) - 1);
        RankTables {
            token_bytes: include_bytes!(concat!(env!("OUT_DIR"), "/", $name, ".token_bytes")),
            token_offsets: include_bytes!(concat!(env!("OUT_DIR"), "/", $name, ".token_offsets")),
            token_lens: include_bytes!(concat!(env!("OUT_DIR"), "/", $name, ".token_lens")),
            slots: include_bytes!(concat!(env!("OUT_DIR"), "/", $name, ".slots")),
            trie_edges: include_bytes!(concat!(env!("OUT_DIR"), "/", $name, ".trie_edges")),
            adjacent_pairs: include_bytes!(concat!(env!("OUT_DIR"), "/", $name, ".adjacent_pairs")),
            run_starts: include_bytes!(concat!(env!("OUT_DIR"), "/", $name, ".run_starts")),
            run_paths: include_bytes!(concat!(env!("OUT_DIR"), "/", $name, ".run_paths")),
            merges: include_bytes!(concat!(env!("OUT_DIR"), "/", $name, ".merges")),
            splits: include_bytes!(concat!(env!("OUT_DIR"), "/", $name, ".splits")),
            shorter: include_bytes!(concat!(env!("OUT_DIR"), "/", $name, ".shorter")),
            slot_bits: constants::SLOT_BITS,
            trie_bits: constants::TRIE_BITS,
            merge_bits: constants::MERGE_BITS,
            rank_count: constants::RANK_COUNT,
            longest_token: constants::LONGEST_TOKEN,
        }
    }};
}

pub(crate) static O200K_BASE: RankTables = embedded_tables!("o200k_base");
pub(crate) static CL100K_BASE: RankTables = embedded_tables!("cl100k_base");
pub(crate) static P50K_BASE: RankTables = embedded_tables!("p50k_base");
pub(crate) static R50K_BASE: RankTables = embedded_tables!("r50k_base");

#[inline(always)]
fn read_u32(bytes: &[u8], index: usize) -> u32 {
    let at = index * 4;
    u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap_or_default())
}

#[inline(always)]
fn read_u64(bytes: &[u8], index: usize) -> u64 {
    let at = index * 8;
    u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap_or_default())
}

impl RankTables {
    #[cfg(test)]
    pub(crate) fn rank_count(&self) -> usize {
        self.rank_count
    }

    /// The bytes of a token (empty for ranks that are special tokens).
    #[inline]
    pub(crate) fn token(&self, rank: Rank) -> &'static [u8] {
        let at = rank as usize * 4;
        let bounds = &self.token_offsets[at..at + 8];
        let start = u32::from_le_bytes(bounds[..4].try_into().unwrap_or_default()) as usize;
        let end = u32::from_le_bytes(bounds[4..].try_into().unwrap_or_default()) as usize;
        &self.token_bytes[start..end]
    }

    /// The length of a token's bytes.
    #[inline]
    pub(crate) fn token_len(&self, rank: Rank) -> usize {
        usize::from(self.token_lens[rank as usize])
    }

    /// The rank of `bytes` when they are one token.
    #[inline]
    pub(crate) fn rank(&self, bytes: &[u8]) -> Option<Rank> {
        let hash = hash::hash_bytes(bytes);
        let tag = hash::tag(hash);
        let mask = (1usize << self.slot_bits) - 1;
        let mut slot = hash::home_slot(hash, self.slot_bits);
        loop {
            let value = read_u64(self.slots, slot);
            if value == EMPTY_SLOT {
                return None;
            }
            if (value >> 32) as u32 == tag && hash::bytes_equal(self.token(value as u32), bytes) {
                return Some(value as u32);
            }
            slot = (slot + 1) & mask;
        }
    }

    /// The token that BPE makes by merging `left` with `right`, if any. A token whose bytes
    /// are `left`'s then `right`'s but whose own encoding ends in another merge is never made
    /// that way: BPE inside a token's span runs as on the token alone, so its last merge there
    /// is the token's split.
    #[inline]
    pub(crate) fn merged_rank(&self, left: Rank, right: Rank) -> Option<Rank> {
        let mask = (1usize << self.merge_bits) - 1;
        let mut slot = hash::merge_home_slot(left, right, self.merge_bits);
        loop {
            let rank = read_u32(self.merges, slot);
            if rank == NONE {
                return None;
            }
            if self.split(rank) == Some((left, right)) {
                return Some(rank);
            }
            slot = (slot + 1) & mask;
        }
    }

    /// Whether some token holds byte `left` directly followed by byte `right`.
    #[inline]
    pub(crate) fn adjacent_in_some_token(&self, left: u8, right: u8) -> bool {
        let index = (usize::from(left) << 8) | usize::from(right);
        self.adjacent_pairs[index / 8] & (1 << (index % 8)) != 0
    }

    /// The two tokens whose merge makes `rank`, or `None` for a single byte.
    #[inline]
    pub(crate) fn split(&self, rank: Rank) -> Option<(Rank, Rank)> {
        let left = read_u32(self.splits, rank as usize * 2);
        (left != NONE).then(|| (left, read_u32(self.splits, rank as usize * 2 + 1)))
    }

    /// The longest token that is a proper prefix of `rank`'s bytes.
    #[inline]
    pub(crate) fn shorter_prefix(&self, rank: Rank) -> Option<Rank> {
        let prefix = read_u32(self.shorter, rank as usize);
        (prefix != NONE).then_some(prefix)
    }
}
