//! Exact tiktoken token counts, equal to js-tiktoken 1.0.21's
//! `getEncoding(name).encode(text, [], []).length` (special-token strings count as ordinary text).
//!
//! - `pretokenize`: the split patterns, hand-written per pattern family, on character classes
//!   generated from Node's own regex engine (`unicode_classes`, see `UNICODE_VERSION`);
//! - `tables`: rank tables extracted from tiktoken-rs at compile time (build.rs), embedded;
//! - `bpe`: per piece, a memo of recent short pieces, a whole-token lookup, then plain merging
//!   (short pieces, their counts cached) or, for long pieces cut first where no token can span,
//!   a linear backtracking encoder (trie walks that jump over runs, a stable-pair memo); long
//!   ASCII whitespace first goes through `bpe::whitespace` (periodic segments whose encodings
//!   are remembered and joined where they meet stably).
//!
//! Memory kept per thread and encoding (`bpe::Memory`), all bounded: the recent-piece memo
//! (96 KiB), the merged-piece cache (65,536 pieces of under 64 bytes, then it starts over), the
//! stable-pair memo (1 MiB, starts over when half full), the whitespace segment memos (192 KiB
//! and about 1 MiB) and span stack (kept up to 1.5 MiB); and per thread, the long-piece
//! encoder's scratch buffers (kept for pieces up to 1 MiB: at most 8 MiB).

mod bpe;
mod pretokenize;
mod streamed;
mod tables;
#[rustfmt::skip]
mod unicode_classes;

use std::cell::RefCell;

use bpe::Memory;
use pretokenize::Pattern;
use tables::RankTables;

pub use streamed::count_tokens_streamed;

/// `process.versions.unicode` of the Node whose regex engine generated the character classes;
/// the package's Node tests check it against the running Node.
pub use unicode_classes::UNICODE_VERSION;

/// The four encodings of API.md.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Encoding {
    O200kBase,
    Cl100kBase,
    P50kBase,
    R50kBase,
}

impl Encoding {
    pub const ALL: [Encoding; 4] = [
        Encoding::O200kBase,
        Encoding::Cl100kBase,
        Encoding::P50kBase,
        Encoding::R50kBase,
    ];

    /// `o200k_base`, `cl100k_base`, `p50k_base`, `r50k_base`; anything else is `None`.
    pub fn from_name(name: &str) -> Option<Encoding> {
        Encoding::ALL
            .into_iter()
            .find(|encoding| encoding.name() == name)
    }

    pub fn name(self) -> &'static str {
        match self {
            Encoding::O200kBase => "o200k_base",
            Encoding::Cl100kBase => "cl100k_base",
            Encoding::P50kBase => "p50k_base",
            Encoding::R50kBase => "r50k_base",
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    fn pattern(self) -> Pattern {
        match self {
            Encoding::O200kBase => Pattern::O200k,
            Encoding::Cl100kBase => Pattern::Cl100k,
            Encoding::P50kBase | Encoding::R50kBase => Pattern::Gpt2,
        }
    }

    /// The embedded tables need no loading: the OS pages them in on first use.
    fn tables(self) -> &'static RankTables {
        match self {
            Encoding::O200kBase => &tables::O200K_BASE,
            Encoding::Cl100kBase => &tables::CL100K_BASE,
            Encoding::P50kBase => &tables::P50K_BASE,
            Encoding::R50kBase => &tables::R50K_BASE,
        }
    }
}

thread_local! {
    static MEMORIES: RefCell<[Memory; 4]> = RefCell::default();
}

/// Tokens of `text`, special-token strings counted as ordinary text.
pub fn count_tokens(encoding: Encoding, text: &str) -> usize {
    MEMORIES.with(|memories| {
        let mut memories = memories.borrow_mut();
        count_with_memory(encoding, text, &mut memories[encoding.index()])
    })
}

fn count_with_memory(encoding: Encoding, text: &str, memory: &mut Memory) -> usize {
    let tables = encoding.tables();
    let mut count = 0;
    encoding.pattern().for_each_piece(text, |piece| {
        count += bpe::count_piece(tables, memory, piece)
    });
    count
}

/// Batches with at least this many bytes in total are split across threads.
const PARALLEL_BATCH_BYTES: usize = 64 * 1024;

/// `count_tokens` of each text; large batches are counted on all cores.
pub fn count_tokens_batch<S: AsRef<str> + Sync>(encoding: Encoding, texts: &[S]) -> Vec<usize> {
    let total_bytes: usize = texts.iter().map(|text| text.as_ref().len()).sum();
    if total_bytes < PARALLEL_BATCH_BYTES || texts.len() < 2 {
        return texts
            .iter()
            .map(|text| count_tokens(encoding, text.as_ref()))
            .collect();
    }
    use rayon::prelude::*;
    texts
        .par_iter()
        .with_min_len(16)
        .map(|text| count_tokens(encoding, text.as_ref()))
        .collect()
}

#[cfg(test)]
mod tests;
