//! Linear-time exact BPE for long pieces: the backtracking encoder described in the docs of
//! GitHub's `bpe` crate. It walks the piece left to right, taking the longest token that
//! starts there and keeping it only when it forms a *stable pair* with the previous token
//! (BPE of the two tokens' bytes gives back exactly the two tokens); otherwise it tries the
//! next shorter prefix token, and when none is left, it backtracks one token. The BPE encoding
//! is the one sequence whose adjacent pairs are all stable. Positions from which no
//! continuation exists are remembered, so no work is repeated and the walk stays linear.
//! Runs (whitespace, repeated characters) are the costly inputs: the longest token is looked
//! up once per run phase, the trie walk jumps over runs of one byte, and the first stable
//! candidate after a token is remembered across pieces (`stable`).

use std::cell::RefCell;

use super::stable::FirstStableMemo;
use crate::tables::{Rank, RankTables, NONE};

/// Set in `LongestTokens::known` at positions from which no continuation exists.
const DEAD_END: Rank = 1 << 31;

/// Scratch buffers are kept for the next piece while they hold at most this many positions
/// (pieces up to 1 MiB: at most 8 MiB per thread, shared by the encodings); larger pieces
/// allocate their own.
const KEPT_SCRATCH_LEN: usize = 1 << 20;

/// The per-position memo and the token stack of one run of the encoder.
#[derive(Default)]
struct Scratch {
    known: Vec<Rank>,
    tokens: Vec<Rank>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::default();
}

/// The encoder with its memory: the stable-pair memo, which holds for the vocabulary and so
/// is kept from piece to piece (one per encoding).
#[derive(Default)]
pub(crate) struct Encoder {
    stable: FirstStableMemo,
}

/// What joining encodings needs to know of one: its length and its first and last tokens.
#[derive(Clone, Copy)]
pub(crate) struct Summary {
    pub(crate) count: u32,
    pub(crate) first: Rank,
    pub(crate) last: Rank,
}

impl Encoder {
    pub(crate) fn count(&mut self, tables: &RankTables, piece: &[u8]) -> usize {
        self.with_scratch(piece, |scratch| scratch.tokens.len(), tables)
    }

    /// The summary of the encoding of `piece` (not empty).
    pub(crate) fn summary(&mut self, tables: &RankTables, piece: &[u8]) -> Summary {
        if let Some(rank) = (piece.len() <= tables.longest_token)
            .then(|| tables.rank(piece))
            .flatten()
        {
            return Summary {
                count: 1,
                first: rank,
                last: rank,
            };
        }
        let summarize = |scratch: &Scratch| Summary {
            count: scratch.tokens.len() as u32,
            first: scratch.tokens[0],
            last: scratch.tokens[scratch.tokens.len() - 1],
        };
        self.with_scratch(piece, summarize, tables)
    }

    /// `read` of the tokens of `piece`.
    pub(crate) fn with_tokens<T>(
        &mut self,
        tables: &RankTables,
        piece: &[u8],
        read: impl FnOnce(&[Rank]) -> T,
    ) -> T {
        self.with_scratch(piece, |scratch| read(&scratch.tokens), tables)
    }

    /// Whether BPE keeps `previous` and `next` apart when they meet: then an encoding ending
    /// in `previous` and one starting with `next` together are the encoding of both texts.
    #[inline]
    pub(crate) fn follows_stably(
        &mut self,
        tables: &RankTables,
        previous: Rank,
        next: Rank,
    ) -> bool {
        self.stable.first_stable(tables, previous, next) == next
    }

    /// The tokens of `piece`, equal to plain merging (proved by the property tests).
    #[cfg(test)]
    pub(crate) fn encode(&mut self, tables: &RankTables, piece: &[u8]) -> Vec<Rank> {
        self.with_scratch(piece, |scratch| scratch.tokens.clone(), tables)
    }

    fn with_scratch<T>(
        &mut self,
        piece: &[u8],
        result: impl FnOnce(&Scratch) -> T,
        tables: &RankTables,
    ) -> T {
        SCRATCH.with(|scratch| {
            let mut kept = scratch.borrow_mut();
            let mut own = Scratch::default();
            let scratch = if piece.len() <= KEPT_SCRATCH_LEN {
                &mut *kept
            } else {
                &mut own
            };
            self.run(tables, piece, scratch);
            result(scratch)
        })
    }

    /// Leaves the tokens of `piece` in `scratch.tokens`.
    fn run(&mut self, tables: &RankTables, piece: &[u8], scratch: &mut Scratch) {
        let stable = &mut self.stable;
        let Scratch { known, tokens } = scratch;
        tokens.clear();
        let mut longest = LongestTokens::new(tables, piece, known);
        let mut at = 0;
        // The next token to try at `at`, before checking that it follows the previous one stably.
        let mut candidate = longest.at(at);
        while at < piece.len() {
            let rank = match tokens.last() {
                Some(&previous) => stable.first_stable(tables, previous, candidate),
                None => candidate,
            };
            if rank == NONE {
                // Every token from `at` failed after the previous token: undo it.
                longest.mark_dead_end(at);
                let previous = tokens.pop().expect("single bytes always encode a piece");
                at -= tables.token_len(previous);
                candidate = tables.shorter_prefix(previous).unwrap_or(NONE);
                continue;
            }
            let end = at + tables.token_len(rank);
            if longest.is_dead_end(end) {
                candidate = tables.shorter_prefix(rank).unwrap_or(NONE);
                continue;
            }
            tokens.push(rank);
            at = end;
            if at < piece.len() {
                candidate = longest.at(at);
            }
        }
    }
}

/// The longest token starting at each position, looked up once per position (backtracking
/// revisits positions). The answer depends only on the next `longest_token` bytes, so inside a
/// run of one repeated unit of up to 4 bytes (a character: spaces, tabs, newlines, letters,
/// accented letters) it is looked up once per phase of the unit and filled in up front.
/// Also marks the dead ends (`DEAD_END`, ranks stay below it).
struct LongestTokens<'a> {
    tables: &'a RankTables,
    piece: &'a [u8],
    known: &'a mut Vec<Rank>,
}

/// The longest repeated unit whose runs are recognised: one UTF-8 character.
const LONGEST_RUN_UNIT: usize = 4;

impl<'a> LongestTokens<'a> {
    fn new(tables: &'a RankTables, piece: &'a [u8], known: &'a mut Vec<Rank>) -> Self {
        known.clear();
        known.resize(piece.len(), NONE);
        let mut longest = Self {
            tables,
            piece,
            known,
        };
        longest.fill_runs();
        longest
    }

    #[inline]
    fn at(&mut self, at: usize) -> Rank {
        if self.known[at] == NONE {
            self.known[at] = self.tables.longest_prefix_token(&self.piece[at..]);
        }
        self.known[at] & !DEAD_END
    }

    /// Only positions already reached (so their longest token is known) are marked.
    #[inline]
    fn mark_dead_end(&mut self, at: usize) {
        self.known[at] |= DEAD_END;
    }

    #[inline]
    fn is_dead_end(&self, at: usize) -> bool {
        at < self.piece.len() && self.known[at] != NONE && self.known[at] & DEAD_END != 0
    }

    /// Fills in the positions whose whole window lies in a run. A run long enough to matter
    /// (a window plus a unit) covers some block of `block` bytes starting at a multiple of
    /// `block`, plus a unit, so only those blocks are tested: about one byte comparison per
    /// byte of text outside runs.
    fn fill_runs(&mut self) {
        let piece = self.piece;
        let window = self.tables.longest_token;
        let block = window / 2;
        let mut at = 0;
        while at + block + LONGEST_RUN_UNIT <= piece.len() {
            let unit = (1..=LONGEST_RUN_UNIT)
                .find(|&unit| piece[at + unit..at + unit + block] == piece[at..at + block]);
            let Some(unit) = unit else {
                at += block;
                continue;
            };
            let mut start = at;
            while start > 0 && piece[start - 1] == piece[start - 1 + unit] {
                start -= 1;
            }
            let mut end = at + unit + block;
            while end < piece.len() && piece[end] == piece[end - unit] {
                end += 1;
            }
            if end - start >= window + unit {
                for phase in start..start + unit {
                    let longest = self
                        .tables
                        .longest_prefix_token(&piece[phase..phase + window]);
                    for known in self.known[phase..=end - window].iter_mut().step_by(unit) {
                        *known = longest;
                    }
                }
            }
            at = end.max(at + block);
        }
    }
}
