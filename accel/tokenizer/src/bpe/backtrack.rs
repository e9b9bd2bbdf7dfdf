//! Linear-time exact BPE for long pieces: the backtracking encoder described in the docs of
//! GitHub's `bpe` crate. It walks the piece left to right, taking the longest token that
//! starts there and keeping it only when it forms a *stable pair* with the previous token
//! (BPE of the two tokens' bytes gives back exactly the two tokens); otherwise it tries the
//! next shorter prefix token, and when none is left, it backtracks one token. The BPE encoding
//! is the one sequence whose adjacent pairs are all stable. Positions from which no
//! continuation exists are remembered, so no work is repeated and the walk stays linear.

use crate::tables::{Entry, Rank, RankTables, NONE};

/// The tokens of `piece`, equal to plain merging (proved by the property tests).
pub(crate) fn encode(tables: &RankTables, piece: &[u8]) -> Vec<Rank> {
    let mut tokens: Vec<Rank> = Vec::with_capacity(piece.len() / 3 + 1);
    let mut dead_end = vec![false; piece.len() + 1];
    let mut stable_pairs = StablePairMemo::for_piece_len(piece.len());
    // Backtracking revisits positions; each position's longest token is looked up once.
    let mut longest_at = vec![NONE; piece.len()];
    let mut longest_token_at = |at: usize| {
        if longest_at[at] == NONE {
            longest_at[at] = longest_token_from(tables, &piece[at..]);
        }
        longest_at[at]
    };
    let mut at = 0;
    let mut candidate = Some(longest_token_at(at));
    while at < piece.len() {
        let rank = match candidate {
            Some(rank) => rank,
            None => {
                // Every token from `at` failed after the previous token: undo it.
                dead_end[at] = true;
                let previous = tokens.pop().expect("single bytes always encode a piece");
                at -= tables.token(previous).len();
                candidate = tables.shorter_prefix(previous);
                continue;
            }
        };
        let end = at + tables.token(rank).len();
        let fits = !dead_end[end]
            && tokens
                .last()
                .is_none_or(|&previous| stable_pairs.get(tables, previous, rank));
        if fits {
            tokens.push(rank);
            at = end;
            if at < piece.len() {
                candidate = Some(longest_token_at(at));
            }
        } else {
            candidate = tables.shorter_prefix(rank);
        }
    }
    tokens
}

/// Remembers recent pair verdicts: long pieces repeat the same few pairs (runs, patterns).
/// Direct-mapped, sized to the piece (mixed whitespace meets thousands of distinct pairs).
struct StablePairMemo {
    slots: Vec<(u64, bool)>,
    bits: u32,
}

impl StablePairMemo {
    const EMPTY: u64 = u64::MAX;

    fn for_piece_len(len: usize) -> Self {
        let bits = len.next_power_of_two().trailing_zeros().clamp(6, 16);
        Self {
            slots: vec![(Self::EMPTY, false); 1 << bits],
            bits,
        }
    }

    #[inline]
    fn get(&mut self, tables: &RankTables, left: Rank, right: Rank) -> bool {
        let key = (u64::from(left) << 32) | u64::from(right);
        let slot = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - self.bits)) as usize;
        if self.slots[slot].0 == key {
            return self.slots[slot].1;
        }
        let stable = is_stable_pair(tables, left, right);
        self.slots[slot] = (key, stable);
        stable
    }
}

/// The longest token that `rest` starts with (there is one: every byte is a token).
fn longest_token_from(tables: &RankTables, rest: &[u8]) -> Rank {
    let mut longest = None;
    for len in 1..=rest.len().min(tables.longest_token) {
        match tables.entry(&rest[..len]) {
            Entry::Token(rank) => longest = Some(rank),
            Entry::PrefixOnly => {}
            Entry::Absent => break,
        }
    }
    longest.expect("every byte is a token")
}

/// Whether BPE of `left`'s bytes followed by `right`'s bytes gives exactly `[left, right]`.
///
/// The merges that build `left` and `right` never cross their boundary unless a pair across
/// it merges first. Walking down the right spine of `left`'s merge tree and the left spine of
/// `right`'s, always undoing the later (higher-rank) merge first, each boundary pair met must
/// not form a token that would merge before the merge just undone: strictly before it when it
/// was `left`'s (it sits to the left, so wins ties), not after it when it was `right`'s.
fn is_stable_pair(tables: &RankTables, mut left: Rank, mut right: Rank) -> bool {
    // Merges of rank below `limit` would fire before the last undone merge.
    let mut limit = u64::MAX;
    loop {
        if let Some(merged) = merged_rank(tables, left, right) {
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

fn merged_rank(tables: &RankTables, left: Rank, right: Rank) -> Option<Rank> {
    let left = tables.token(left);
    let right = tables.token(right);
    let len = left.len() + right.len();
    if len > tables.longest_token {
        return None;
    }
    let mut joined = [0u8; 256];
    joined[..left.len()].copy_from_slice(left);
    joined[left.len()..len].copy_from_slice(right);
    tables.rank(&joined[..len])
}
