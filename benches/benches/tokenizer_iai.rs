//! Instruction counts of the tokenizer track (iai-callgrind): `count_tokens` of the generated
//! 1k-token mixed text per encoding. The text is read in `setup`, outside the measured region.

use std::hint::black_box;

use accel_tokenizer::{count_tokens, Encoding};
use benches::repo_root;
use iai_callgrind::{library_benchmark, library_benchmark_group, main};

fn mixed_1k(encoding: &str) -> (Encoding, String) {
    let path = repo_root().join("corpora/tokenizer/generated/mixed-1k.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {}: {e} (run `cargo xtask setup`)",
            path.display()
        )
    });
    (
        Encoding::from_name(encoding).expect("a known encoding"),
        text,
    )
}

#[library_benchmark]
#[bench::o200k_base(args = ("o200k_base"), setup = mixed_1k)]
#[bench::cl100k_base(args = ("cl100k_base"), setup = mixed_1k)]
#[bench::p50k_base(args = ("p50k_base"), setup = mixed_1k)]
#[bench::r50k_base(args = ("r50k_base"), setup = mixed_1k)]
fn count_tokens_mixed_1k((encoding, text): (Encoding, String)) -> usize {
    black_box(count_tokens(encoding, &text))
}

library_benchmark_group!(name = tokenizer; benchmarks = count_tokens_mixed_1k);
main!(library_benchmark_groups = tokenizer);
