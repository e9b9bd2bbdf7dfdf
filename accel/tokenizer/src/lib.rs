//! Exact tiktoken token counts. SKELETON: counts through tiktoken-rs until the fast path lands.

use std::sync::OnceLock;

use tiktoken_rs::CoreBPE;

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
        Encoding::ALL.into_iter().find(|encoding| encoding.name() == name)
    }

    pub fn name(self) -> &'static str {
        match self {
            Encoding::O200kBase => "o200k_base",
            Encoding::Cl100kBase => "cl100k_base",
            Encoding::P50kBase => "p50k_base",
            Encoding::R50kBase => "r50k_base",
        }
    }

    fn reference(self) -> &'static CoreBPE {
        static TABLES: [OnceLock<CoreBPE>; 4] =
            [OnceLock::new(), OnceLock::new(), OnceLock::new(), OnceLock::new()];
        let index = Encoding::ALL.iter().position(|e| *e == self).unwrap_or(0);
        TABLES[index].get_or_init(|| {
            match self {
                Encoding::O200kBase => tiktoken_rs::o200k_base(),
                Encoding::Cl100kBase => tiktoken_rs::cl100k_base(),
                Encoding::P50kBase => tiktoken_rs::p50k_base(),
                Encoding::R50kBase => tiktoken_rs::r50k_base(),
            }
            .expect("tiktoken-rs ships its rank tables")
        })
    }
}

/// Tokens of `text`, special-token strings counted as ordinary text.
pub fn count_tokens(encoding: Encoding, text: &str) -> usize {
    encoding.reference().encode_ordinary(text).len()
}

/// `count_tokens` of each text.
pub fn count_tokens_batch<S: AsRef<str> + Sync>(encoding: Encoding, texts: &[S]) -> Vec<usize> {
    texts
        .iter()
        .map(|text| count_tokens(encoding, text.as_ref()))
        .collect()
}
