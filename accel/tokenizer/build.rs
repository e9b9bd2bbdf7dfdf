//! Extracts the rank tables of tiktoken-rs at compile time and writes them, prebuilt, into
//! OUT_DIR, so that loading an encoding at run time costs nothing but `include_bytes!`.
//!
//! Per encoding `<name>`:
//! - `<name>.token_bytes`: every token's bytes, concatenated in rank order;
//! - `<name>.token_offsets`: u32 LE, token `r` is `token_bytes[offsets[r]..offsets[r + 1]]`
//!   (empty for a rank that is a special token, which counts as ordinary text);
//! - `<name>.token_lens`: u8, each token's length (a denser copy for the long-piece encoder);
//! - `<name>.slots`: u64 LE open-addressing table of the tokens, `tag << 32 | rank`, empty =
//!   u64::MAX (whole-piece lookups);
//! - `<name>.trie_first`, `.trie_bytes`, `.trie_children`: the vocabulary's byte trie (see
//!   `trie`), for longest-prefix walks and pair merges, which extend a token's node by the bytes
//!   of the next token;
//! - `<name>.adjacent_pairs`: a bit set of 65,536 bits, bit `a << 8 | b` set when some token
//!   holds byte `a` followed by byte `b` (BPE never merges across any other pair);
//! - `<name>.run_starts`, `.run_paths`: the trie paths of runs of one byte (see `run_paths`);
//! - `<name>.splits`: u32 LE pairs, the two tokens whose merge makes each token (`NONE` for bytes);
//! - `<name>.merges`: u32 LE open-addressing table of the ranks of multi-byte tokens, placed by
//!   the hash of their split pair (the merge that makes them), empty = `NONE`;
//! - `<name>.shorter`: u32 LE, each token's longest proper prefix that is a token (`NONE` for bytes);
//! - `<name>.rs`: the constants (rank count, table bits, longest token).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::env;
use std::fs;
use std::path::Path;

// The run-time lookups use more of these than the build does.
#[allow(dead_code)]
#[path = "src/tables/hash.rs"]
mod hash;
#[path = "src/tables/layout.rs"]
mod layout;

use layout::{EMPTY_SLOT, NONE, TRIE_NODE_LIMIT};

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

    let slots = token_table(&ranks);
    let (trie_bits, trie_edges, prefix_nodes) = trie_edges(&ranks, vocabulary.tokens.len() as u32);
    let (run_starts, run_paths) = run_paths(&ranks, &prefix_nodes);
    let slot_bits = slots.len().trailing_zeros();

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
    let lens = offsets
        .windows(2)
        .map(|w| u8::try_from(w[1] - w[0]).expect("tokens are at most 255 bytes"));
    write(out, name, "token_lens", lens.collect());
    write(out, name, "slots", le_u64(&slots));
    write(out, name, "trie_edges", le_u64(&trie_edges));
    write(out, name, "adjacent_pairs", adjacent_pairs(&ranks));
    write(out, name, "run_starts", le_u32(&run_starts));
    write(out, name, "run_paths", le_u32(&run_paths));
    let (merge_bits, merges) = merge_table(&splits);
    write(out, name, "merges", le_u32(&merges));
    write(out, name, "splits", le_u32(&splits));
    write(out, name, "shorter", le_u32(&shorter));
    let constants = format!(
        "pub const RANK_COUNT: usize = {};\npub const SLOT_BITS: u32 = {slot_bits};\npub const TRIE_BITS: u32 = {trie_bits};\npub const MERGE_BITS: u32 = {merge_bits};\npub const LONGEST_TOKEN: usize = {longest};\n",
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

/// Open addressing over every token, `tag << 32 | rank`; load factor at most 3/4, so linear
/// probing stays short and the table small.
fn token_table(ranks: &HashMap<&[u8], u32>) -> Vec<u64> {
    let bits = (ranks.len() * 4 / 3 + 1)
        .next_power_of_two()
        .trailing_zeros();
    let mut slots = vec![EMPTY_SLOT; 1 << bits];
    let mut tokens: Vec<(&[u8], u32)> = ranks.iter().map(|(b, r)| (*b, *r)).collect();
    // Sorted, so that the written table is the same from build to build.
    tokens.sort_unstable();
    for (bytes, rank) in tokens {
        let hash = hash::hash_bytes(bytes);
        let mut slot = hash::home_slot(hash, bits);
        while slots[slot] != EMPTY_SLOT {
            slot = (slot + 1) & ((1 << bits) - 1);
        }
        slots[slot] = (u64::from(hash::tag(hash)) << 32) | u64::from(rank);
    }
    slots
}

/// The byte trie of the vocabulary, its edges grouped by parent node and sorted by byte:
/// `(first, bytes, children)`, where the edges leaving node `n` are `first[n]..first[n + 1]`,
/// labelled `bytes[e]` and leading to `children[e]`. Nodes are numbered as `layout` describes;
/// the root's edges (every single byte is a token) are the bytes' ranks and are not stored.
fn trie_edges<'a>(
    ranks: &HashMap<&'a [u8], u32>,
    rank_count: u32,
) -> (u32, Vec<u64>, HashMap<&'a [u8], u32>) {
    let mut prefix_nodes: HashMap<&[u8], u32> = HashMap::new();
    let mut next_node = rank_count;
    let mut edges: BTreeMap<(u32, u8), u32> = BTreeMap::new();
    let mut tokens: Vec<&[u8]> = ranks.keys().copied().collect();
    // Sorted, so that the node numbers are the same from build to build.
    tokens.sort_unstable();
    for bytes in tokens {
        let mut parent = ranks[&bytes[..1]];
        for len in 2..=bytes.len() {
            let prefix = &bytes[..len];
            let child = match ranks.get(prefix) {
                Some(&rank) => rank,
                None => *prefix_nodes.entry(prefix).or_insert_with(|| {
                    next_node += 1;
                    next_node - 1
                }),
            };
            edges.insert((parent, bytes[len - 1]), child);
            parent = child;
        }
    }
    assert!(
        next_node < TRIE_NODE_LIMIT,
        "{next_node} trie nodes exceed the layout's limit"
    );
    let bits = (edges.len() * 2).next_power_of_two().trailing_zeros();
    let mut slots = vec![EMPTY_SLOT; 1 << bits];
    for ((parent, byte), child) in edges {
        let key = layout::edge_key(parent, byte);
        let mut slot = hash::edge_home_slot(key, bits);
        while slots[slot] != EMPTY_SLOT {
            slot = (slot + 1) & ((1 << bits) - 1);
        }
        slots[slot] = (u64::from(key) << 32) | u64::from(child);
    }
    (bits, slots, prefix_nodes)
}

/// For each byte `b`, the trie path of `b`, `bb`, `bbb`, ... as long as some token continues it:
/// `(starts, entries)`, where byte `b`'s path is `entries[starts[b]..starts[b + 1]]`, each entry
/// the node reached and the longest token so far (u32 pairs). Longest-prefix walks jump over a
/// run of one byte with it.
fn run_paths(
    ranks: &HashMap<&[u8], u32>,
    prefix_nodes: &HashMap<&[u8], u32>,
) -> (Vec<u32>, Vec<u32>) {
    let mut starts = vec![0u32];
    let mut entries = Vec::new();
    for byte in 0..=255u8 {
        let mut run = vec![byte];
        let mut longest = ranks[&run[..]];
        loop {
            let node = match ranks.get(&run[..]) {
                Some(&rank) => {
                    longest = rank;
                    rank
                }
                None => match prefix_nodes.get(&run[..]) {
                    Some(&node) => node,
                    None => break,
                },
            };
            entries.extend([node, longest]);
            run.push(byte);
        }
        starts.push((entries.len() / 2) as u32);
    }
    (starts, entries)
}

/// Every multi-byte token, placed by `merge_home_slot` of its split pair (linear probing, load
/// factor at most 1/2: lookups of pairs that merge to nothing are the common case).
fn merge_table(splits: &[u32]) -> (u32, Vec<u32>) {
    let pairs: Vec<(u32, u32, u32)> = splits
        .chunks_exact(2)
        .enumerate()
        .filter(|(_, pair)| pair[0] != NONE)
        .map(|(rank, pair)| (pair[0], pair[1], rank as u32))
        .collect();
    let bits = (pairs.len() * 2).next_power_of_two().trailing_zeros();
    let mut slots = vec![NONE; 1 << bits];
    for (left, right, rank) in pairs {
        let mut slot = hash::merge_home_slot(left, right, bits);
        while slots[slot] != NONE {
            slot = (slot + 1) & ((1 << bits) - 1);
        }
        slots[slot] = rank;
    }
    (bits, slots)
}

fn adjacent_pairs(ranks: &HashMap<&[u8], u32>) -> Vec<u8> {
    let mut bits = vec![0u8; 65536 / 8];
    for bytes in ranks.keys() {
        for pair in bytes.windows(2) {
            let index = (usize::from(pair[0]) << 8) | usize::from(pair[1]);
            bits[index / 8] |= 1 << (index % 8);
        }
    }
    bits
}

fn le_u64(values: &[u64]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

fn le_u32(values: &[u32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

fn write(out: &Path, name: &str, what: &str, bytes: Vec<u8>) {
    let path = out.join(format!("{name}.{what}"));
    fs::write(&path, bytes).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}
