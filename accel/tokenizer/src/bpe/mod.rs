//! Counting the tokens of one piece: a whole-token lookup, else byte-pair merging. Short pieces
//! merge the plain way (quadratic, but tiny); long ones use the linear backtracking encoder.

pub(crate) mod backtrack;
mod cache;
pub(crate) mod merge;

use crate::tables::RankTables;

pub(crate) use cache::PieceCache;

/// From this length on, the plain merge's quadratic cost outgrows the backtracking encoder.
const LONG_PIECE: usize = 64;

#[inline]
pub(crate) fn count_piece(tables: &RankTables, cache: &mut PieceCache, piece: &[u8]) -> usize {
    if piece.len() == 1 {
        return 1;
    }
    if piece.len() >= LONG_PIECE {
        if piece.len() <= tables.longest_token && tables.rank(piece).is_some() {
            return 1;
        }
        return backtrack::encode(tables, piece).len();
    }
    if tables.rank(piece).is_some() {
        return 1;
    }
    cache.get_or_insert_with(piece, || merge::count(tables, piece))
}
