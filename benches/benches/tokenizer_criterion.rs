//! Engine-level time of the tokenizer track (criterion): `count_tokens` on the generated bench
//! texts (mixed prose/code/CJK/emoji of about 1k, 10k and 100k cl100k tokens) per encoding, the
//! 1 MB prose / repeated-character / whitespace texts (linearity: the last two must cost at most
//! 3x prose per byte), a 1,000-message batch, and the first use of each encoding.
//! Inputs: `corpora/tokenizer/generated` (`cargo xtask setup`). `KU0_BENCH_QUICK=1` shortens it.

use std::hint::black_box;
use std::time::{Duration, Instant};

use accel_tokenizer::{count_tokens, count_tokens_batch, Encoding};
use benches::{repo_root, sampling};
use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion, SamplingMode};

fn configure(group: &mut BenchmarkGroup<'_, criterion::measurement::WallTime>, slow: bool) {
    let sampling = sampling(slow);
    group
        .sampling_mode(if sampling.flat {
            SamplingMode::Flat
        } else {
            SamplingMode::Auto
        })
        .sample_size(sampling.sample_size)
        .warm_up_time(sampling.warm_up)
        .measurement_time(sampling.measurement);
}

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

fn mixed(c: &mut Criterion) {
    for (size, slow) in [("1k", false), ("10k", false), ("100k", true)] {
        let text = bench_text(&format!("mixed-{size}.txt"));
        let mut group = c.benchmark_group(format!("tokenizer/mixed-{size}"));
        configure(&mut group, slow);
        for encoding in Encoding::ALL {
            group.bench_function(encoding.name(), |bench| {
                bench.iter(|| count_tokens(encoding, black_box(&text)))
            });
        }
        group.finish();
    }
}

fn megabyte(c: &mut Criterion) {
    let mut group = c.benchmark_group("tokenizer/1mb");
    configure(&mut group, true);
    let texts = [
        ("prose", bench_text("prose-1mb.txt")),
        ("repeat-char", bench_text("repeat-char-1mb.txt")),
        ("whitespace", bench_text("whitespace-1mb.txt")),
    ];
    for encoding in [
        Encoding::O200kBase,
        Encoding::Cl100kBase,
        Encoding::P50kBase,
    ] {
        for (name, text) in &texts {
            group.bench_function(format!("{}/{name}", encoding.name()), |bench| {
                bench.iter(|| count_tokens(encoding, black_box(text)))
            });
        }
    }
    group.finish();
}

fn batch(c: &mut Criterion) {
    let text = bench_text("mixed-100k.txt");
    let messages: Vec<&str> = text.split_inclusive('\n').cycle().take(1000).collect();
    let mut group = c.benchmark_group("tokenizer/batch-1000-lines");
    configure(&mut group, false);
    group.bench_function("count_tokens_batch", |bench| {
        bench.iter(|| count_tokens_batch(Encoding::Cl100kBase, black_box(&messages)))
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

criterion_group!(benches, cold, mixed, megabyte, batch);
criterion_main!(benches);
