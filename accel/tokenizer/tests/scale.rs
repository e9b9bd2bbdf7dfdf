//! No super-linear cliffs: a megabyte of one repeated character or of whitespace costs linear
//! time, and the counts stay exact. tiktoken-rs merges
//! a single long piece in quadratic time, so its counts are compared on 1 MB of prose (short
//! pieces) and on 16 KB runs; the megabyte runs are checked by the linear encoder's own tests.

use std::time::{Duration, Instant};

use accel_tokenizer::{count_tokens, Encoding};

const MEGABYTE: usize = 1 << 20;

fn reference_count(encoding: Encoding, text: &str) -> usize {
    let bpe = match encoding {
        Encoding::O200kBase => tiktoken_rs::o200k_base_singleton(),
        Encoding::Cl100kBase => tiktoken_rs::cl100k_base_singleton(),
        Encoding::P50kBase => tiktoken_rs::p50k_base_singleton(),
        Encoding::R50kBase => tiktoken_rs::r50k_base_singleton(),
    };
    bpe.encode_ordinary(text).len()
}

/// Seeded English-like prose with punctuation, numbers and newlines.
fn prose(bytes: usize) -> String {
    const WORDS: &[&str] = &[
        "the",
        "tokenizer",
        "counts",
        "every",
        "piece",
        "of",
        "text",
        "quickly,",
        "and",
        "exactly.",
        "Numbers",
        "like",
        "2024",
        "or",
        "3.14159",
        "appear;",
        "so",
        "do",
        "contractions:",
        "it's",
        "we'll",
        "(parentheses)",
        "quotes\"",
        "naïve",
        "café",
        "über",
        "configuration",
        "asynchronous",
    ];
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut text = String::with_capacity(bytes + 32);
    while text.len() < bytes {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        text.push_str(WORDS[(state % WORDS.len() as u64) as usize]);
        text.push_str(if state.is_multiple_of(17) {
            "\n\n"
        } else {
            " "
        });
    }
    text
}

fn time_one(encoding: Encoding, text: &str) -> Duration {
    let start = Instant::now();
    std::hint::black_box(count_tokens(encoding, std::hint::black_box(text)));
    start.elapsed()
}

/// The fastest of five alternating runs of each text: other tests share the two cores, and
/// alternating keeps a busy moment from landing on one text only.
fn fastest_of_five_alternating(
    encoding: Encoding,
    first: &str,
    second: &str,
) -> (Duration, Duration) {
    (0..5).fold((Duration::MAX, Duration::MAX), |(a, b), _| {
        (
            a.min(time_one(encoding, first)),
            b.min(time_one(encoding, second)),
        )
    })
}

#[test]
fn runs_match_tiktoken_rs_at_16_kilobytes() {
    for unit in [
        "a",
        "é",
        "!",
        " ",
        "\n",
        " \t",
        "的",
        "\n        ",
        " \n",
        " \r\n\t",
    ] {
        let text = unit.repeat(16 * 1024 / unit.len());
        for encoding in Encoding::ALL {
            assert_eq!(
                count_tokens(encoding, &text),
                reference_count(encoding, &text),
                "{} on {unit:?} x {}",
                encoding.name(),
                text.len() / unit.len()
            );
        }
    }
}

#[test]
fn a_megabyte_of_prose_matches_tiktoken_rs() {
    let text = prose(MEGABYTE);
    for encoding in [Encoding::O200kBase, Encoding::Cl100kBase] {
        assert_eq!(
            count_tokens(encoding, &text),
            reference_count(encoding, &text)
        );
    }
}

/// No cliff: a megabyte of one repeated unit (a character, or a whitespace mix) costs at most
/// 6x a megabyte of prose, measured alternately in the same run. A quadratic merge costs
/// hundreds of times more; the budget proper, 3x in release builds, is measured by
/// `tokenizer_criterion` (`tokenizer/count/<encoding>/{prose,repeat-char,whitespace,run-*}-1mb`).
/// This test runs in the test profile, beside other tests, hence the slack.
#[test]
fn megabyte_runs_cost_about_what_prose_costs() {
    let prose = prose(MEGABYTE);
    let units = ["a", "é", "!", " ", "\n", "\t", " \r\n\t"];
    for encoding in Encoding::ALL {
        for unit in units {
            let run = unit.repeat(MEGABYTE / unit.len());
            let (prose_time, run_time) = fastest_of_five_alternating(encoding, &prose, &run);
            let ratio = run_time.as_secs_f64() / prose_time.as_secs_f64();
            eprintln!("{} {unit:?}: {ratio:.2}x prose", encoding.name());
            assert!(
                ratio <= 6.0,
                "{}: {unit:?} x 1 MB took {run_time:?}, {ratio:.1}x 1 MB of prose ({prose_time:?})",
                encoding.name()
            );
        }
    }
}
