//! Plain byte-pair merging, as tiktoken and js-tiktoken do it: repeatedly merge the adjacent
//! pair whose concatenation has the lowest rank (the leftmost on ties). Quadratic in the piece
//! length; used for short pieces and as the reference of the backtracking encoder's tests.

use crate::tables::{Rank, RankTables};

const NO_RANK: Rank = Rank::MAX;

/// The part boundaries left after merging: `bounds[i]..bounds[i + 1]` is one token.
fn merged_bounds(tables: &RankTables, piece: &[u8]) -> Vec<usize> {
    let pair_rank = |bounds: &[usize], i: usize| {
        if i + 2 < bounds.len() {
            tables
                .rank(&piece[bounds[i]..bounds[i + 2]])
                .unwrap_or(NO_RANK)
        } else {
            NO_RANK
        }
    };
    let mut bounds: Vec<usize> = (0..=piece.len()).collect();
    // ranks[i]: the rank of merging parts i and i + 1.
    let mut ranks: Vec<Rank> = (0..bounds.len()).map(|i| pair_rank(&bounds, i)).collect();
    while let Some((best, i)) = ranks.iter().enumerate().map(|(i, &r)| (r, i)).min() {
        if best == NO_RANK {
            break;
        }
        bounds.remove(i + 1);
        ranks.remove(i + 1);
        ranks[i] = pair_rank(&bounds, i);
        if i > 0 {
            ranks[i - 1] = pair_rank(&bounds, i - 1);
        }
    }
    bounds
}

pub(crate) fn count(tables: &RankTables, piece: &[u8]) -> usize {
    merged_bounds(tables, piece).len() - 1
}

/// The tokens of `piece` (every byte is a token in these encodings).
#[cfg(test)]
pub(crate) fn encode(tables: &RankTables, piece: &[u8]) -> Vec<Rank> {
    merged_bounds(tables, piece)
        .windows(2)
        .map(|w| tables.rank(&piece[w[0]..w[1]]).unwrap_or(NO_RANK))
        .collect()
}
