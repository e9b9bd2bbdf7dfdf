//! Instruction counts of `create_two_files_patch` on the generated corpora (iai-callgrind).
//! Loading the corpus happens in `setup`, outside the measured region.

use std::hint::black_box;

use benches::{diff_case_or_exit, DiffCase};
use iai_callgrind::{library_benchmark, library_benchmark_group, main};

#[library_benchmark]
#[bench::code_2k_1pct(args = ("code-2k-1pct"), setup = diff_case_or_exit)]
#[bench::code_2k_30pct(args = ("code-2k-30pct"), setup = diff_case_or_exit)]
#[bench::code_10k_1pct(args = ("code-10k-1pct"), setup = diff_case_or_exit)]
#[bench::code_10k_30pct(args = ("code-10k-30pct"), setup = diff_case_or_exit)]
fn create_two_files_patch(case: DiffCase) -> String {
    black_box(accel_diff::create_two_files_patch(
        "a", "b", &case.old, &case.new, None, None, 4,
    ))
}

library_benchmark_group!(name = diff; benchmarks = create_two_files_patch);
main!(library_benchmark_groups = diff);
