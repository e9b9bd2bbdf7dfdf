//! Counting the tokens of one piece: a whole-token lookup, else byte-pair merging. Short pieces
//! merge the plain way (quadratic, but tiny) and their counts are remembered; long ones are cut
//! where no token can span and the parts use the linear backtracking encoder, long parts of
//! ASCII whitespace (`whitespace`) its remembered encodings of periodic segments.

pub(crate) mod backtrack;
mod cache;
pub(crate) mod merge;
mod recent;
pub(crate) mod stable;
pub(crate) mod whitespace;

use crate::tables::RankTables;

/// Fibonacci hashing: the multiplier spreads a key's bits into the top ones.
const SPREAD: u64 = 0x9E37_79B9_7F4A_7C15;

/// The slot of `key` in a direct-mapped or open-addressed memo of `2^bits` slots.
#[inline]
pub(crate) fn memo_slot(key: u64, bits: u32) -> usize {
    (key.wrapping_mul(SPREAD) >> (64 - bits)) as usize
}

use backtrack::Encoder;
use cache::PieceCache;
use recent::{RecentPieces, RECENT_PIECE_LEN};
use whitespace::WhitespaceRuns;

/// What counting remembers between pieces and calls, per thread and encoding: the counts of
/// recent short pieces and of merged pieces, the backtracking encoder's memo and buffers, and
/// the whitespace segments' memos (all bounded).
#[derive(Default)]
pub(crate) struct Memory {
    recent: RecentPieces,
    pieces: PieceCache<u32, MERGED_PIECES>,
    long_pieces: Encoder,
    whitespace: WhitespaceRuns,
}

/// Merged pieces (under `LONG_PIECE` bytes) remembered before that cache starts over.
const MERGED_PIECES: usize = 1 << 16;

/// From this length on, the plain merge's quadratic cost outgrows the backtracking encoder.
const LONG_PIECE: usize = 64;

#[inline]
pub(crate) fn count_piece(tables: &RankTables, memory: &mut Memory, piece: &[u8]) -> usize {
    if piece.len() >= LONG_PIECE {
        return count_long_piece(tables, memory, piece);
    }
    count_part(tables, memory, piece)
}

/// No token holds two bytes side by side that no token of the vocabulary holds so, and BPE
/// only ever merges into tokens, so it never merges across them: a long piece falls apart
/// there into parts that count on their own (whitespace in r50k and p50k, punctuation runs).
/// Looking for such cuts costs a table lookup per byte, so after `CUT_SEARCH` bytes without
/// one, the rest of the piece is left whole (o200k and cl100k whitespace has none).
fn count_long_piece(tables: &RankTables, memory: &mut Memory, piece: &[u8]) -> usize {
    let mut count = 0;
    let mut start = 0;
    while start < piece.len() {
        let search_end = piece.len().min(start + 1 + CUT_SEARCH);
        let end = next_cut(tables, &piece[..search_end], start + 1);
        let end = if end == search_end { piece.len() } else { end };
        count += match end - start {
            1 => 1,
            _ => count_part(tables, memory, &piece[start..end]),
        };
        start = end;
    }
    count
}

/// How far a long piece is searched for the next cut before the search gives up.
const CUT_SEARCH: usize = 4096;

/// The first position from `from` on where no token holds the bytes on both sides of it, or
/// the piece's end.
#[inline]
fn next_cut(tables: &RankTables, piece: &[u8], from: usize) -> usize {
    let pairs = piece[from - 1..].iter().zip(&piece[from..]);
    pairs
        .take_while(|&(&left, &right)| tables.adjacent_in_some_token(left, right))
        .count()
        + from
}

/// Kept out of line so that `count_part`, called per byte on pieces that fall apart at every
/// byte (runs of spaces in r50k), stays small enough to inline.
#[inline(never)]
fn count_long_part(tables: &RankTables, memory: &mut Memory, part: &[u8]) -> usize {
    if part.len() <= tables.longest_token && tables.rank(part).is_some() {
        return 1;
    }
    let Memory {
        long_pieces,
        whitespace,
        ..
    } = memory;
    whitespace
        .count(tables, long_pieces, part)
        .unwrap_or_else(|| long_pieces.count(tables, part))
}

#[inline]
fn count_part(tables: &RankTables, memory: &mut Memory, piece: &[u8]) -> usize {
    if piece.len() == 1 {
        return 1;
    }
    if piece.len() >= LONG_PIECE {
        return count_long_part(tables, memory, piece);
    }
    let Memory { recent, pieces, .. } = memory;
    let mut count = || {
        if tables.rank(piece).is_some() {
            return 1;
        }
        pieces.get_or_insert_with(piece, || merge::count(tables, piece) as u32) as usize
    };
    if piece.len() <= RECENT_PIECE_LEN {
        recent.get_or_insert_with(piece, count)
    } else {
        count()
    }
}
