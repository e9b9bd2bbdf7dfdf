//! A small driver for profiling the engine outside criterion, e.g. under callgrind:
//!
//! ```sh
//! cargo build --profile bench -p accel-tokenizer --example profile_count
//! valgrind --tool=callgrind target/release/examples/profile_count cl100k_base \
//!     corpora/tokenizer/generated/whitespace-1mb.txt 3
//! ```
//!
//! Arguments: encoding name, text file, repetitions (default 1). Prints the token count of one
//! call and the mean time per call.

use std::process::exit;
use std::time::Instant;

use accel_tokenizer::{count_tokens, Encoding};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: profile_count <encoding> <text file> [repetitions]");
        exit(2);
    }
    let Some(encoding) = Encoding::from_name(&args[1]) else {
        eprintln!("unknown encoding {:?}", args[1]);
        exit(2);
    };
    let text = std::fs::read_to_string(&args[2]).unwrap_or_else(|e| {
        eprintln!("cannot read {}: {e}", args[2]);
        exit(2);
    });
    let repetitions: u32 = match args.get(3).map(|r| r.parse()) {
        None => 1,
        Some(Ok(n)) if n > 0 => n,
        Some(_) => {
            eprintln!("repetitions must be a positive integer");
            exit(2);
        }
    };
    let start = Instant::now();
    let mut tokens = 0;
    for _ in 0..repetitions {
        tokens = count_tokens(encoding, std::hint::black_box(&text));
    }
    println!(
        "{tokens} tokens, {:?} per call",
        start.elapsed() / repetitions
    );
}
