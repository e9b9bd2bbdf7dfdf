//! Walking the vocabulary's byte trie: an edge table (`edge_key(parent, byte)` to child) and,
//! for each byte, the path of its runs, so that a run of one byte costs one jump.

use super::layout::{edge_key, EMPTY_SLOT};
use super::{hash, read_u32, read_u64, Rank, RankTables};

/// A node of the trie: a token's node is its rank; other nodes are proper prefixes of tokens.
pub(crate) type Node = u32;

impl RankTables {
    /// The trie node reached from `node` by `byte`, if some token continues that way.
    #[inline]
    pub(crate) fn child(&self, node: Node, byte: u8) -> Option<Node> {
        let key = edge_key(node, byte);
        let mask = (1usize << self.trie_bits) - 1;
        let mut slot = hash::edge_home_slot(key, self.trie_bits);
        loop {
            let value = read_u64(self.trie_edges, slot);
            if value == EMPTY_SLOT {
                return None;
            }
            if (value >> 32) as u32 == key {
                return Some(value as u32);
            }
            slot = (slot + 1) & mask;
        }
    }

    /// Whether a trie node is a whole token (and not only a prefix of some).
    #[inline]
    pub(crate) fn is_token(&self, node: Node) -> bool {
        (node as usize) < self.rank_count
    }

    /// The longest token that `bytes` starts with (there is one: every byte is a token).
    #[inline]
    pub(crate) fn longest_prefix_token(&self, bytes: &[u8]) -> Rank {
        let window = &bytes[..bytes.len().min(self.longest_token)];
        let first = window[0];
        // A run of the first byte is one jump along its precomputed path.
        let run = run_length(window, first);
        let path_start = read_u32(self.run_starts, first as usize) as usize;
        let path_len = read_u32(self.run_starts, first as usize + 1) as usize - path_start;
        let depth = run.min(path_len);
        let entry = path_start + depth - 1;
        let (mut node, mut longest) = (
            read_u32(self.run_paths, entry * 2),
            read_u32(self.run_paths, entry * 2 + 1),
        );
        if depth < run {
            return longest;
        }
        for &byte in &window[run..] {
            match self.child(node, byte) {
                Some(next) => node = next,
                None => break,
            }
            if self.is_token(node) {
                longest = node;
            }
        }
        longest
    }
}

/// How many bytes at the start of `bytes` equal `byte`, compared eight at a time.
#[inline]
fn run_length(bytes: &[u8], byte: u8) -> usize {
    let pattern = u64::from_ne_bytes([byte; 8]);
    let mut chunks = bytes.chunks_exact(8);
    let mut run = 0;
    for chunk in &mut chunks {
        let differing = u64::from_le_bytes(chunk.try_into().unwrap_or_default()) ^ pattern;
        if differing != 0 {
            return run + (differing.trailing_zeros() / 8) as usize;
        }
        run += 8;
    }
    run + chunks
        .remainder()
        .iter()
        .take_while(|&&b| b == byte)
        .count()
}
