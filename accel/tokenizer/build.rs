//! Extracts the rank tables of tiktoken-rs at compile time and writes them, prebuilt, into
//! OUT_DIR, so that loading an encoding at run time costs nothing but `include_bytes!`.
//!
//! Per encoding `<name>`:
//! - `<name>.token_bytes`: every token's bytes, concatenated in rank order;
//! - `<name>.token_offsets`: u32 LE, token `r` is `token_bytes[offsets[r]..offsets[r + 1]]`
//!   (empty for a rank that is a special token, which counts as ordinary text);
//! - `<name>.slots`: u64 LE open-addressing table, `tag << 32 | rank`, empty = u64::MAX; it also
//!   holds every proper prefix of a token that is not a token itself, flagged `PREFIX_ONLY`, so a
//!   longest-prefix walk can stop as soon as no token continues;
//! - `<name>.splits`: u32 LE pairs, the two tokens whose merge makes each token (`NONE` for bytes);
//! - `<name>.shorter`: u32 LE, each token's longest proper prefix that is a token (`NONE` for bytes);
//! - `<name>.rs`: the constants (rank count, table bits, longest token).

use std::collections::{HashMap, HashSet};
use std::env;
use std::fs;
use std::path::Path;

#[path = "src/tables/hash.rs"]
mod hash;
#[path = "src/tables/layout.rs"]
mod layout;

use layout::{EMPTY_SLOT, NONE, PREFIX_ONLY};

struct Vocabulary {
    /// Token bytes by rank; `None` for special tokens and ranks that do not exist.
    tokens: Vec<Option<Vec<u8>>>,
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/tables/hash.rs");
    println!("cargo:rerun-if-changed=src/tables/layout.rs");
    let out_dir = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let out = Path::new(&out_dir);
    type Load = fn() -> tiktoken_rs::CoreBPE;
    let encodings: [(&str, Load); 4] = [
        ("o200k_base", || {
            tiktoken_rs::o200k_base().expect("o200k_base ships in tiktoken-rs")
        }),
        ("cl100k_base", || {
            tiktoken_rs::cl100k_base().expect("cl100k_base ships in tiktoken-rs")
        }),
        ("p50k_base", || {
            tiktoken_rs::p50k_base().expect("p50k_base ships in tiktoken-rs")
        }),
        ("r50k_base", || {
            tiktoken_rs::r50k_base().expect("r50k_base ships in tiktoken-rs")
        }),
    ];
    for (name, load) in encodings {
        let vocabulary = extract(&load());
        write_tables(out, name, &vocabulary);
    }
}

fn extract(bpe: &tiktoken_rs::CoreBPE) -> Vocabulary {
    let special: HashSet<u32> = bpe
        .special_tokens()
        .into_iter()
        .flat_map(|text| bpe.encode_with_special_tokens(text))
        .collect();
    let mut tokens = Vec::new();
    let mut misses_in_a_row = 0;
    for rank in 0u32.. {
        match bpe.decode_bytes(&[rank]) {
            Ok(bytes) if !special.contains(&rank) => {
                misses_in_a_row = 0;
                tokens.push(Some(bytes));
            }
            _ => {
                misses_in_a_row += 1;
                tokens.push(None);
                if misses_in_a_row > 4096 {
                    break;
                }
            }
        }
    }
    while tokens.last().is_some_and(Option::is_none) {
        tokens.pop();
    }
    Vocabulary { tokens }
}

fn write_tables(out: &Path, name: &str, vocabulary: &Vocabulary) {
    let ranks: HashMap<&[u8], u32> = vocabulary
        .tokens
        .iter()
        .enumerate()
        .filter_map(|(rank, bytes)| Some((bytes.as_deref()?, rank as u32)))
        .collect();

    let mut blob = Vec::new();
    let mut offsets = vec![0u32];
    for bytes in &vocabulary.tokens {
        blob.extend_from_slice(bytes.as_deref().unwrap_or_default());
        offsets.push(blob.len() as u32);
    }

    // Entries: every token, then every proper prefix that is not a token (witnessed by a token
    // that starts with it, whose bytes the lookup compares against).
    let mut entries: Vec<(&[u8], u32)> = ranks.iter().map(|(b, r)| (*b, *r)).collect();
    let mut prefixes_seen: HashSet<&[u8]> = HashSet::new();
    for (bytes, rank) in &ranks {
        for len in 1..bytes.len() {
            let prefix = &bytes[..len];
            if !ranks.contains_key(prefix) && prefixes_seen.insert(prefix) {
                entries.push((prefix, rank | PREFIX_ONLY));
            }
        }
    }
    // Load factor at most 3/4: linear probing stays short, and the tables stay small.
    let bits = (entries.len() * 4 / 3 + 1)
        .next_power_of_two()
        .trailing_zeros();
    let mut slots = vec![EMPTY_SLOT; 1 << bits];
    for (bytes, value) in &entries {
        let hash = hash::hash_bytes(bytes);
        let mut slot = hash::home_slot(hash, bits);
        while slots[slot] != EMPTY_SLOT {
            slot = (slot + 1) & ((1 << bits) - 1);
        }
        slots[slot] = (u64::from(hash::tag(hash)) << 32) | u64::from(*value);
    }

    let mut splits = Vec::with_capacity(vocabulary.tokens.len() * 2);
    let mut shorter = Vec::with_capacity(vocabulary.tokens.len());
    let mut unreachable = 0;
    for (rank, bytes) in vocabulary.tokens.iter().enumerate() {
        let (split, prefix) = match bytes {
            Some(bytes) if bytes.len() > 1 => {
                let split = last_merge(bytes, &ranks)
                    .filter(|&(l, r, merged)| merged == rank as u32 && l < merged && r < merged);
                if split.is_none() {
                    unreachable += 1;
                }
                let prefix = (1..bytes.len())
                    .rev()
                    .find_map(|len| ranks.get(&bytes[..len]).copied())
                    .unwrap_or(NONE);
                (split.map_or((NONE, NONE), |(l, r, _)| (l, r)), prefix)
            }
            _ => ((NONE, NONE), NONE),
        };
        splits.extend([split.0, split.1]);
        shorter.push(prefix);
    }
    // The long-piece encoder relies on every token being its own BPE encoding.
    assert_eq!(
        unreachable, 0,
        "{name}: {unreachable} tokens are not their own BPE encoding"
    );

    let longest = ranks.keys().map(|b| b.len()).max().unwrap_or(1);
    write(out, name, "token_bytes", blob);
    write(out, name, "token_offsets", le_u32(&offsets));
    write(
        out,
        name,
        "slots",
        slots.iter().flat_map(|s| s.to_le_bytes()).collect(),
    );
    write(out, name, "splits", le_u32(&splits));
    write(out, name, "shorter", le_u32(&shorter));
    let constants = format!(
        "pub const RANK_COUNT: usize = {};\npub const SLOT_BITS: u32 = {bits};\npub const LONGEST_TOKEN: usize = {longest};\n",
        vocabulary.tokens.len()
    );
    write(out, name, "rs", constants.into_bytes());
}

/// Plain BPE on a token's own bytes: the `(left, right, merged)` ranks of its final merge, or
/// `None` when the merges end anywhere but in a single token.
fn last_merge(bytes: &[u8], ranks: &HashMap<&[u8], u32>) -> Option<(u32, u32, u32)> {
    let mut bounds: Vec<usize> = (0..=bytes.len()).collect();
    let mut last = None;
    while bounds.len() > 2 {
        let best = (0..bounds.len() - 2)
            .filter_map(|i| Some((*ranks.get(&bytes[bounds[i]..bounds[i + 2]])?, i)))
            .min()?;
        let i = best.1;
        let left = ranks[&bytes[bounds[i]..bounds[i + 1]]];
        let right = ranks[&bytes[bounds[i + 1]..bounds[i + 2]]];
        last = Some((left, right, best.0));
        bounds.remove(i + 1);
    }
    last
}

fn le_u32(values: &[u32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

fn write(out: &Path, name: &str, what: &str, bytes: Vec<u8>) {
    let path = out.join(format!("{name}.{what}"));
    fs::write(&path, bytes).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}
