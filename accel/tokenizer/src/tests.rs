//! Exactness against tiktoken-rs (the rank source), and the backtracking encoder against plain
//! merging. js-tiktoken parity itself is the oracle's job (recorded counts, live Node runs).

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use proptest::prelude::*;

use super::*;
use crate::bpe::stable::{is_stable_pair, FirstStableMemo};
use crate::bpe::{backtrack, merge};
use crate::pretokenize::class_at;
use crate::unicode_classes::{LETTER, LOWERISH, NUMBER, UPPERISH, WHITESPACE};

fn reference(encoding: Encoding) -> &'static tiktoken_rs::CoreBPE {
    match encoding {
        Encoding::O200kBase => tiktoken_rs::o200k_base_singleton(),
        Encoding::Cl100kBase => tiktoken_rs::cl100k_base_singleton(),
        Encoding::P50kBase => tiktoken_rs::p50k_base_singleton(),
        Encoding::R50kBase => tiktoken_rs::r50k_base_singleton(),
    }
}

fn reference_count(encoding: Encoding, text: &str) -> usize {
    reference(encoding).encode_ordinary(text).len()
}

/// The class bits the regex crate (Unicode 16, used by tiktoken-rs) gives a character.
fn regex_crate_class(c: char) -> u8 {
    static REGEXES: OnceLock<[(u8, regex::Regex); 5]> = OnceLock::new();
    let regexes = REGEXES.get_or_init(|| {
        let class = |pattern: &str| regex::Regex::new(&format!("^{pattern}$")).unwrap();
        [
            (LETTER, class(r"\p{L}")),
            (NUMBER, class(r"\p{N}")),
            (WHITESPACE, class(r"\s")),
            (UPPERISH, class(r"[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]")),
            (LOWERISH, class(r"[\p{Ll}\p{Lm}\p{Lo}\p{M}]")),
        ]
    });
    let text = c.to_string();
    regexes
        .iter()
        .filter(|(_, regex)| regex.is_match(&text))
        .fold(0, |bits, (bit, _)| bits | bit)
}

/// Whether `text` lies where tiktoken-rs is known to differ from js-tiktoken, the contract:
/// - a character whose classes differ between V8 (Unicode 17, our generated tables) and the
///   regex crate (Unicode 16): newly assigned letters and numbers, and `\s`, which is U+0085
///   but not U+FEFF in Rust and the reverse in JS;
/// - an apostrophe before `ſ` (U+017F) or the Kelvin sign (U+212A): tiktoken-rs spells the
///   contractions `(?i:'s|...)`, which Unicode case folding extends to them; js-tiktoken lists
///   ASCII case variants only.
fn outside_reference_agreement(text: &str) -> bool {
    static SEEN: OnceLock<Mutex<HashMap<char, bool>>> = OnceLock::new();
    let mut seen = SEEN.get_or_init(Default::default).lock().unwrap();
    let mut buffer = [0u8; 4];
    let differs = text.chars().any(|c| {
        *seen.entry(c).or_insert_with(|| {
            let ours = class_at(c.encode_utf8(&mut buffer).as_bytes(), 0).0;
            ours != regex_crate_class(c)
        })
    });
    differs || text.contains("'ſ") || text.contains("'\u{212A}")
}

fn assert_counts_match(text: &str) -> Result<(), TestCaseError> {
    for encoding in Encoding::ALL {
        prop_assert_eq!(
            count_tokens(encoding, text),
            reference_count(encoding, text),
            "{} on {:?}",
            encoding.name(),
            text
        );
    }
    Ok(())
}

/// Characters from all planes, weighted toward the classes the patterns care about.
fn any_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => any::<char>(),
        3 => prop::char::range(' ', '~'),
        2 => prop::sample::select(vec![' ', ' ', '\n', '\r', '\t', '\u{A0}', '\u{3000}', '\u{2028}', '\u{0B}']),
        2 => prop::sample::select(vec!['\'', 's', 't', 'r', 'e', 'v', 'm', 'l', 'd', 'S', 'T', 'L', 'D', '/']),
        1 => prop::char::range('0', '9'),
        1 => prop::sample::select(vec!['٣', '½', 'Ⅻ', '²', '𝟘']),
        1 => prop::char::range('\u{4E00}', '\u{4FFF}'),
        1 => prop::char::range('\u{1F300}', '\u{1F64F}'),
        1 => prop::char::range('\u{0300}', '\u{036F}'),
        1 => prop::sample::select(vec!['é', 'ß', 'Σ', 'ǅ', 'ʰ', 'ǂ', 'ĳ', 'ﬀ', '\u{FFFD}', '\u{200D}', '\u{FE0F}']),
    ]
}

/// Random text plus runs (repeated characters, whitespace mixes) that stress backtracking.
fn any_text() -> impl Strategy<Value = String> {
    let run = (any_char(), 1usize..40).prop_map(|(c, n)| c.to_string().repeat(n));
    let piece = prop_oneof![4 => any_char().prop_map(String::from), 1 => run];
    prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn counts_equal_tiktoken_rs(text in any_text()) {
        prop_assume!(!outside_reference_agreement(&text));
        assert_counts_match(&text)?;
    }

    #[test]
    fn backtracking_equals_plain_merging(bytes in prop::collection::vec(
        prop_oneof![
            prop::sample::select(b"aab e!\n 0".to_vec()),
            any::<u8>(),
        ],
        1..200,
    ), encoding in prop::sample::select(Encoding::ALL.to_vec())) {
        let tables = encoding.tables();
        prop_assert_eq!(backtrack::Encoder::default().encode(tables, &bytes), merge::encode(tables, &bytes));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn longest_prefix_token_equals_trying_every_prefix(bytes in long_runs(600)) {
        for encoding in Encoding::ALL {
            let tables = encoding.tables();
            for at in (0..bytes.len()).step_by(7) {
                let rest = &bytes[at..];
                let expected = (1..=rest.len().min(tables.longest_token))
                    .rev()
                    .find_map(|len| tables.rank(&rest[..len]));
                prop_assert_eq!(Some(tables.longest_prefix_token(rest)), expected);
            }
        }
    }
}

proptest! {
    // Plain merging is quadratic: a few dozen pieces of a few KB keep this near a second.
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Runs of whitespace mixes and repeated characters a few KB long, through one encoder
    /// per encoding whose stable-pair memo carries over from case to case, as in use.
    #[test]
    fn backtracking_equals_plain_merging_on_long_runs(bytes in long_runs(4000)) {
        thread_local! {
            static ENCODERS: std::cell::RefCell<[backtrack::Encoder; 4]> = Default::default();
        }
        for encoding in Encoding::ALL {
            let tables = encoding.tables();
            let tokens = ENCODERS.with(|encoders| {
                encoders.borrow_mut()[encoding.index()].encode(tables, &bytes)
            });
            let merged = merge::encode(tables, &bytes);
            // Whole pieces also go through the cuts where no token can span.
            let counted = crate::bpe::count_piece(tables, &mut crate::bpe::Memory::default(), &bytes);
            prop_assert_eq!(counted, merged.len(), "{} count", encoding.name());
            prop_assert_eq!(tokens, merged, "{}", encoding.name());
        }
    }
}

proptest! {
    // Plain merging is quadratic: a few dozen parts of a few KB keep this near a second.
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Whitespace-only parts (blank lines, indentation, CRLF) a few KB long go through the run
    /// and span memos and the stable-pair memo, all carried over from case to case as in use.
    #[test]
    fn whitespace_parts_equal_plain_merging(bytes in whitespace_mix(3000)) {
        thread_local! {
            static MEMORIES: std::cell::RefCell<[crate::bpe::Memory; 4]> = Default::default();
        }
        for encoding in Encoding::ALL {
            let tables = encoding.tables();
            let counted = MEMORIES.with(|memories| {
                crate::bpe::count_piece(tables, &mut memories.borrow_mut()[encoding.index()], &bytes)
            });
            prop_assert_eq!(counted, merge::count(tables, &bytes), "{}", encoding.name());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Long periodic whitespace (a unit of up to 16 bytes repeated, cut anywhere) between other
    /// whitespace goes through the repeated-chunk path: equal to the backtracking encoder alone
    /// (itself proved against plain merging above).
    #[test]
    fn periodic_whitespace_equals_the_backtracking_encoder(
        before in whitespace_mix(200),
        unit in prop::collection::vec(prop::sample::select(b"   \t\t\n\n\r\x0B\x0C".to_vec()), 1..=16),
        len in 1usize..8000,
        after in whitespace_mix(200),
    ) {
        thread_local! {
            static MEMORIES: std::cell::RefCell<[crate::bpe::Memory; 4]> = Default::default();
        }
        let mut bytes = before;
        bytes.extend(unit.iter().cycle().take(len));
        bytes.extend(after);
        for encoding in Encoding::ALL {
            let tables = encoding.tables();
            let counted = MEMORIES.with(|memories| {
                crate::bpe::count_piece(tables, &mut memories.borrow_mut()[encoding.index()], &bytes)
            });
            let expected = backtrack::Encoder::default().count(tables, &bytes);
            prop_assert_eq!(counted, expected, "{}", encoding.name());
        }
    }
}

#[test]
fn megabytes_of_periodic_whitespace_count_as_the_backtracking_encoder_does() {
    for unit in [
        " ",
        "\n",
        "\r\n",
        " \n",
        "\n ",
        " \t",
        "\t\n",
        "\n        ",
        "\n\t\t\t",
        "  \r\n",
    ] {
        // A partial unit at the end, as a piece cut at its last newline has.
        let text = unit.repeat((1 << 20) / unit.len()) + &unit[..unit.len() / 2];
        for encoding in [Encoding::O200kBase, Encoding::Cl100kBase] {
            let tables = encoding.tables();
            let mut runs = crate::bpe::whitespace::WhitespaceRuns::default();
            let mut encoder = backtrack::Encoder::default();
            let counted = runs.count(tables, &mut encoder, text.as_bytes());
            let expected = encoder.count(tables, text.as_bytes());
            assert_eq!(counted, Some(expected), "{} on {unit:?}", encoding.name());
        }
    }
}

#[test]
fn whitespace_parts_give_up_when_reencoding_exceeds_the_budget() {
    // CRLFs then LFs: BPE takes the last CR apart from its LF, so the runs do not meet stably.
    let part = "\r\n".repeat(40) + &"\n".repeat(40);
    let tables = Encoding::O200kBase.tables();
    let mut runs = crate::bpe::whitespace::WhitespaceRuns::default();
    let mut encoder = backtrack::Encoder::default();
    assert_eq!(
        runs.count_within(tables, &mut encoder, part.as_bytes(), 0),
        None
    );
    assert_eq!(
        runs.count_within(tables, &mut encoder, part.as_bytes(), part.len()),
        Some(merge::count(tables, part.as_bytes()))
    );
    let not_whitespace = "\n".repeat(100) + "x";
    assert_eq!(
        runs.count(tables, &mut encoder, not_whitespace.as_bytes()),
        None
    );
}

/// Bytes made of runs (up to `max_len` in all) of ASCII whitespace units, including pairs that
/// merge across run boundaries (` \n`, `\t\n`) and lone CR.
fn whitespace_mix(max_len: usize) -> impl Strategy<Value = Vec<u8>> {
    let units = vec![
        " ", " ", "    ", "\t", "\n", "\n\n", "\r\n", "\r", "\x0B", "\x0C", " \n", "\t\n", "\n ",
    ];
    let run = (prop::sample::select(units), 1usize..40);
    prop::collection::vec(run, 1..80).prop_map(move |runs| {
        let mut bytes = Vec::new();
        for (unit, repeats) in runs {
            bytes.extend(unit.repeat(repeats).bytes());
        }
        bytes.truncate(max_len);
        bytes
    })
}

/// Bytes made of runs (up to `max_len` in all) of units that tokenizers merge into long tokens:
/// whitespace of every kind, letters, accented and CJK characters, punctuation, digits.
fn long_runs(max_len: usize) -> impl Strategy<Value = Vec<u8>> {
    let units = vec![
        " ", "\t", "\n", "\r\n", " \n", "    ", "\n\t", "a", "ab", "é", "的", "!", "-", "0", "😀",
    ];
    let run = (prop::sample::select(units), 1usize..300);
    prop::collection::vec(run, 1..24).prop_map(move |runs| {
        let mut bytes = Vec::new();
        for (unit, repeats) in runs {
            bytes.extend(unit.repeat(repeats).bytes());
        }
        bytes.truncate(max_len);
        bytes
    })
}

#[test]
fn the_stable_pair_memo_answers_the_same_after_starting_over() {
    let tables = Encoding::Cl100kBase.tables();
    let first_stable = |previous: u32, from: u32| {
        let mut first = Some(from);
        while let Some(rank) = first.filter(|&rank| !is_stable_pair(tables, previous, rank)) {
            first = tables.shorter_prefix(rank);
        }
        first.unwrap_or(crate::tables::NONE)
    };
    // More distinct questions than the memo holds, each asked twice.
    let questions: Vec<(u32, u32)> = (0..FirstStableMemo::SLOTS as u32 * 3 / 4)
        .map(|i| (i % 997 + 200, (i * 7919) % 50_000 + 256))
        .filter(|&(previous, from)| {
            !tables.token(previous).is_empty() && !tables.token(from).is_empty()
        })
        .collect();
    let mut memo = FirstStableMemo::default();
    for round in 0..2 {
        for &(previous, from) in questions.iter().step_by(1 + round * 3) {
            assert_eq!(
                memo.first_stable(tables, previous, from),
                first_stable(previous, from),
                "{previous} then {from}"
            );
        }
    }
}

#[test]
fn every_token_looks_up_to_its_rank() {
    for encoding in Encoding::ALL {
        let tables = encoding.tables();
        for rank in 0..tables.rank_count() as u32 {
            let bytes = tables.token(rank);
            if !bytes.is_empty() {
                assert_eq!(tables.rank(bytes), Some(rank), "{}", encoding.name());
            }
        }
    }
}

#[test]
fn every_token_is_its_own_encoding_by_both_encoders() {
    for encoding in Encoding::ALL {
        let tables = encoding.tables();
        // A sample across the rank range: the full sweep is slow in debug builds.
        for rank in (0..tables.rank_count() as u32).step_by(97) {
            let bytes = tables.token(rank);
            if !bytes.is_empty() {
                assert_eq!(merge::encode(tables, bytes), vec![rank]);
                assert_eq!(
                    backtrack::Encoder::default().encode(tables, bytes),
                    vec![rank]
                );
            }
        }
    }
}

#[test]
fn special_token_strings_count_as_ordinary_text() {
    for encoding in Encoding::ALL {
        let text = "<|endoftext|> and <|fim_prefix|><|endofprompt|>";
        assert_eq!(
            count_tokens(encoding, text),
            reference_count(encoding, text)
        );
        assert!(count_tokens(encoding, "<|endoftext|>") > 1);
    }
}

#[test]
fn empty_text_has_no_tokens() {
    for encoding in Encoding::ALL {
        assert_eq!(count_tokens(encoding, ""), 0);
        assert_eq!(
            count_tokens_batch::<&str>(encoding, &[]),
            Vec::<usize>::new()
        );
    }
}

#[test]
fn batches_count_each_text_sequentially_and_in_parallel() {
    let small = ["hello world", "", "ünïcödé 1234567"];
    let large: Vec<String> = (0..600)
        .map(|i| {
            format!(
                "message {i}: {}",
                "lorem ipsum dolor sit amet ".repeat(i % 13)
            )
        })
        .collect();
    assert!(large.iter().map(String::len).sum::<usize>() >= PARALLEL_BATCH_BYTES);
    for encoding in Encoding::ALL {
        for texts in [small.map(String::from).to_vec(), large.clone()] {
            let expected: Vec<usize> = texts.iter().map(|t| reference_count(encoding, t)).collect();
            assert_eq!(count_tokens_batch(encoding, &texts), expected);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Batches large enough to be handed to the pool in many chunks, and small ones that are
    /// not, count as `count_tokens` does, text by text.
    #[test]
    fn streamed_batches_count_each_text(
        texts in prop::collection::vec(any_text(), 0..400),
        encoding in prop::sample::select(Encoding::ALL.to_vec()),
    ) {
        let counted = count_tokens_streamed(encoding, texts.len(), |index, text| {
            text.push_str(&texts[index]);
            Ok::<(), ()>(())
        });
        let expected: Vec<usize> = texts.iter().map(|text| count_tokens(encoding, text)).collect();
        prop_assert_eq!(counted, Ok(expected));
    }
}

#[test]
fn a_streamed_batch_stops_reading_at_the_first_error() {
    let texts: Vec<String> = (0..2000)
        .map(|i| format!("message {i}: {}", "words ".repeat(i % 50)))
        .collect();
    let mut read = Vec::new();
    let counted = count_tokens_streamed(Encoding::Cl100kBase, texts.len(), |index, text| {
        read.push(index);
        if index == 1500 {
            return Err(format!("texts[{index}] must be a string"));
        }
        text.push_str(&texts[index]);
        Ok(())
    });
    assert_eq!(counted, Err("texts[1500] must be a string".to_owned()));
    assert_eq!(read, (0..=1500).collect::<Vec<_>>());
}

#[test]
fn long_runs_match_tiktoken_rs() {
    // Long single pieces go through the backtracking encoder.
    let runs = [
        "a".repeat(5000),
        "é".repeat(3000),
        "!".repeat(4000),
        " ".repeat(5000),
        "\n".repeat(3000),
        " \t".repeat(2000),
        "ab".repeat(3000),
        "0".repeat(3000),
        "的".repeat(2000),
        "😀".repeat(1000),
        "x".repeat(3000) + " " + &"y".repeat(10),
    ];
    for text in &runs {
        for encoding in Encoding::ALL {
            assert_eq!(
                count_tokens(encoding, text),
                reference_count(encoding, text),
                "{}",
                encoding.name()
            );
        }
    }
}
