//! Engine-level time of `create_two_files_patch` on the generated corpora (criterion).
//! `KU0_BENCH_QUICK=1` (set by `cargo xtask bench --quick`) shortens the measurement.

use std::hint::black_box;

use benches::{configure, diff_case_or_exit, DIFF_BENCH_CASES};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

fn create_two_files_patch(c: &mut Criterion) {
    let mut group = c.benchmark_group("diff");
    for name in DIFF_BENCH_CASES {
        let case = diff_case_or_exit(name);
        // 10k lines with 30% changed takes a few hundred ms a call: 10 flat samples keep the
        // bench short instead of criterion's default of 5,050 iterations.
        configure(&mut group, name == "code-10k-30pct");
        group.bench_with_input(
            BenchmarkId::new("create_two_files_patch", name),
            &case,
            |b, case| {
                b.iter(|| {
                    accel_diff::create_two_files_patch(
                        "a",
                        "b",
                        black_box(&case.old),
                        black_box(&case.new),
                        None,
                        None,
                        4,
                    )
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, create_two_files_patch);
criterion_main!(benches);
