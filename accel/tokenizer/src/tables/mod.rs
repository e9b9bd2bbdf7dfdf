//! The rank tables of one encoding, prebuilt by build.rs and embedded with `include_bytes!`.

mod hash;
pub(crate) mod layout;

pub(crate) use hash::hash_bytes;
pub(crate) use layout::NONE;
use layout::{EMPTY_SLOT, PREFIX_ONLY};

pub(crate) type Rank = u32;

/// What a byte string is in an encoding's vocabulary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Entry {
    Token(Rank),
    /// Not a token, but some longer token starts with these bytes.
    PrefixOnly,
    Absent,
}

pub(crate) struct RankTables {
    token_bytes: &'static [u8],
    token_offsets: &'static [u8],
    slots: &'static [u8],
    splits: &'static [u8],
    shorter: &'static [u8],
    slot_bits: u32,
    #[cfg_attr(not(test), allow(dead_code))]
    rank_count: usize,
    pub(crate) longest_token: usize,
}

macro_rules! embedded_tables {
    ($name:literal) => {{
        mod constants {
            include!(concat!(env!("OUT_DIR"), "/", $name, ".rs"));
        }
        RankTables {
            token_bytes: include_bytes!(concat!(env!("OUT_DIR"), "/", $name, ".token_bytes")),
            token_offsets: include_bytes!(concat!(env!("OUT_DIR"), "/", $name, ".token_offsets")),
            slots: include_bytes!(concat!(env!("OUT_DIR"), "/", $name, ".slots")),
            splits: include_bytes!(concat!(env!("OUT_DIR"), "/", $name, ".splits")),
            shorter: include_bytes!(concat!(env!("OUT_DIR"), "/", $name, ".shorter")),
            slot_bits: constants::SLOT_BITS,
            rank_count: constants::RANK_COUNT,
            longest_token: constants::LONGEST_TOKEN,
        }
    }};
}

pub(crate) static O200K_BASE: RankTables = embedded_tables!("o200k_base");
pub(crate) static CL100K_BASE: RankTables = embedded_tables!("cl100k_base");
pub(crate) static P50K_BASE: RankTables = embedded_tables!("p50k_base");
pub(crate) static R50K_BASE: RankTables = embedded_tables!("r50k_base");

#[inline]
fn read_u32(bytes: &[u8], index: usize) -> u32 {
    let at = index * 4;
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

#[inline]
fn read_u64(bytes: &[u8], index: usize) -> u64 {
    let at = index * 8;
    let mut word = [0u8; 8];
    word.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(word)
}

impl RankTables {
    #[cfg(test)]
    pub(crate) fn rank_count(&self) -> usize {
        self.rank_count
    }

    /// The bytes of a token (empty for ranks that are special tokens).
    #[inline]
    pub(crate) fn token(&self, rank: Rank) -> &'static [u8] {
        let start = read_u32(self.token_offsets, rank as usize) as usize;
        let end = read_u32(self.token_offsets, rank as usize + 1) as usize;
        &self.token_bytes[start..end]
    }

    #[inline]
    pub(crate) fn rank(&self, bytes: &[u8]) -> Option<Rank> {
        match self.entry(bytes) {
            Entry::Token(rank) => Some(rank),
            _ => None,
        }
    }

    #[inline]
    pub(crate) fn entry(&self, bytes: &[u8]) -> Entry {
        let hash = hash::hash_bytes(bytes);
        let tag = hash::tag(hash);
        let mask = (1usize << self.slot_bits) - 1;
        let mut slot = hash::home_slot(hash, self.slot_bits);
        loop {
            let value = read_u64(self.slots, slot);
            if value == EMPTY_SLOT {
                return Entry::Absent;
            }
            if (value >> 32) as u32 == tag {
                let stored = value as u32;
                let witness = self.token(stored & !PREFIX_ONLY);
                if stored & PREFIX_ONLY != 0 {
                    if witness.len() > bytes.len() && witness.starts_with(bytes) {
                        return Entry::PrefixOnly;
                    }
                } else if witness == bytes {
                    return Entry::Token(stored);
                }
            }
            slot = (slot + 1) & mask;
        }
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
