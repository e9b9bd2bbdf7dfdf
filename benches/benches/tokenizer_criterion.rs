//! Engine-level time of the tokenizer track (criterion), `count_tokens` per encoding under
//! `tokenizer/count/<encoding>/<text>`:
//! - `mixed-1k`, `mixed-10k`, `mixed-100k`: the generated mixed prose/code/CJK/emoji texts of
//!   about 1k, 10k and 100k cl100k tokens;
//! - `prose-1mb`, `repeat-char-1mb`, `whitespace-1mb`: the generated 1 MiB texts (linearity: the
//!   last two must cost at most 3x prose);
//! - `run-space-1mb`, `run-newline-1mb`, `run-tab-1mb`, `run-a-1mb`, `run-e-acute-1mb`,
//!   `run-bang-1mb`: 1 MiB of one repeated character, built here (the same bound);
//! - `lines-indent-1mb`, `lines-trailing-space-1mb`: 1 MiB of blank lines holding indentation or
//!   one trailing space, built here (whitespace whose tokens span several lines);
//!
//! then a 1,000-message batch (`tokenizer/batch-1000-lines`: `count_tokens_batch`,
//! `count_tokens_streamed` fed one text at a time, and `count_tokens` per message) and the first
//! use of each encoding (`tokenizer/cold/<encoding>`, printed). Inputs: `corpora/tokenizer/generated`
//! (`cargo xtask setup`). `KU0_BENCH_QUICK=1` shortens it.

use std::hint::black_box;
use std::time::{Duration, Instant};

use accel_tokenizer::{count_tokens, count_tokens_batch, count_tokens_streamed, Encoding};
use benches::{configure, repo_root};
use criterion::{criterion_group, criterion_main, Criterion};

/// A generated bench text; a missing corpus stops the bench with the fix in the message.
fn bench_text(file: &str) -> String {
    let path = repo_root().join("corpora/tokenizer/generated").join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!(
            "error: cannot read {}: {e} (run `cargo xtask setup` to generate the corpora)",
            path.display()
        );
        std::process::exit(2)
    })
}

const MEGABYTE: usize = 1 << 20;

/// The pure runs: (name, repeated character).
const RUNS: [(&str, &str); 6] = [
    ("run-space-1mb", " "),
    ("run-newline-1mb", "\n"),
    ("run-tab-1mb", "\t"),
    ("run-a-1mb", "a"),
    ("run-e-acute-1mb", "é"),
    ("run-bang-1mb", "!"),
];

/// Periodic whitespace of more than one character: (name, repeated unit).
const LINES: [(&str, &str); 2] = [
    ("lines-indent-1mb", "\n        "),
    ("lines-trailing-space-1mb", " \n"),
];

fn count(c: &mut Criterion) {
    let mixed: Vec<(String, String)> = ["1k", "10k", "100k"]
        .into_iter()
        .map(|size| {
            (
                format!("mixed-{size}"),
                bench_text(&format!("mixed-{size}.txt")),
            )
        })
        .collect();
    let mut megabytes: Vec<(String, String)> = ["prose-1mb", "repeat-char-1mb", "whitespace-1mb"]
        .into_iter()
        .map(|name| (name.to_string(), bench_text(&format!("{name}.txt"))))
        .collect();
    megabytes.extend(
        RUNS.iter()
            .chain(&LINES)
            .map(|(name, unit)| (name.to_string(), unit.repeat(MEGABYTE / unit.len()))),
    );
    for encoding in Encoding::ALL {
        let group_name = format!("tokenizer/count/{}", encoding.name());
        // Two groups under one name: short texts sample more than the long ones.
        for (texts, slow) in [
            (&mixed[..2], false),
            (&mixed[2..], true),
            (&megabytes[..], true),
        ] {
            let mut group = c.benchmark_group(&group_name);
            configure(&mut group, slow);
            for (name, text) in texts {
                group.bench_function(name.as_str(), |bench| {
                    bench.iter(|| count_tokens(encoding, black_box(text)))
                });
            }
            group.finish();
        }
    }
}

fn batch(c: &mut Criterion) {
    let text = bench_text("mixed-100k.txt");
    let messages: Vec<&str> = text.split_inclusive('\n').cycle().take(1000).collect();
    let mut group = c.benchmark_group("tokenizer/batch-1000-lines");
    configure(&mut group, false);
    group.bench_function("count_tokens_batch", |bench| {
        bench.iter(|| count_tokens_batch(Encoding::Cl100kBase, black_box(&messages)))
    });
    group.bench_function("count_tokens_streamed", |bench| {
        bench.iter(|| {
            count_tokens_streamed(Encoding::Cl100kBase, messages.len(), |index, text| {
                text.push_str(black_box(messages[index]));
                Ok::<(), ()>(())
            })
        })
    });
    group.bench_function("count_tokens_each", |bench| {
        bench.iter(|| {
            messages
                .iter()
                .map(|m| count_tokens(Encoding::Cl100kBase, black_box(m)))
                .sum::<usize>()
        })
    });
    group.finish();
}

/// The first call of each encoding in this process (tables page in from the binary); criterion
/// cannot repeat a first call, so this prints one measurement per encoding.
fn cold(_: &mut Criterion) {
    let text = bench_text("mixed-1k.txt");
    for encoding in Encoding::ALL {
        let start = Instant::now();
        let count = count_tokens(encoding, black_box(&text));
        let first: Duration = start.elapsed();
        let start = Instant::now();
        count_tokens(encoding, black_box(&text));
        println!(
            "tokenizer/cold/{}: first call {first:?}, second {:?} ({count} tokens)",
            encoding.name(),
            start.elapsed()
        );
    }
}

criterion_group!(benches, cold, count, batch);
criterion_main!(benches);
