//! Engine-level time of the vector track (criterion): a single 1,536-d cosine on every instruction
//! set this CPU has, a 10,000 x 1,536 batch, a top-10 search over a 100,000 x 1,536 store, and the
//! memory-read probe over the same 614 MB that the search's bandwidth fraction is measured against,
//! and many queries at once (`search_many`, faer's matrix product) against one search per query.
//! `KU0_BENCH_QUICK=1` (set by `cargo xtask bench --quick`) shortens the measurement.
//!
//! With `--features faer-comparison`, also faer's f32 matrix-vector product over the store's
//! buffer, the measurement behind not using faer in the engine (see accel/vectors/src/store.rs).

use std::hint::black_box;

use accel_vectors::{bandwidth, Kernels, Metric, VectorRef, VectorStore};
use benches::{configure, random_values};
use criterion::{criterion_group, criterion_main, Criterion};

const DIMENSION: usize = 1536;
const BATCH_TARGETS: usize = 10_000;
const STORE_ROWS: usize = 100_000;
/// Query counts for `search_many` (faer's matrix product) against one scan per query.
const SEARCH_MANY_QUERIES: [usize; 2] = [8, 32];

fn isa_case(kernels: Kernels) -> String {
    format!("{DIMENSION}-{}", kernels.isa().name().replace('+', "-"))
}

fn single(c: &mut Criterion) {
    let mut group = c.benchmark_group("vectors");
    configure(&mut group, false);
    let a = random_values(1, DIMENSION);
    let b = random_values(2, DIMENSION);
    group.bench_function(format!("cosine_similarity/{DIMENSION}"), |bench| {
        bench.iter(|| accel_vectors::cosine_similarity(black_box(&a), black_box(&b)))
    });
    for kernels in Kernels::available() {
        group.bench_function(
            format!("cosine_similarity/{}", isa_case(kernels)),
            |bench| bench.iter(|| kernels.cosine_similarity(black_box(&a), black_box(&b))),
        );
    }
    group.finish();
}

fn batch(c: &mut Criterion) {
    let mut group = c.benchmark_group("vectors");
    configure(&mut group, false);
    let query = random_values(3, DIMENSION);
    let targets: Vec<Vec<f32>> = (0..BATCH_TARGETS)
        .map(|i| random_values(100 + i as u64, DIMENSION))
        .collect();
    let refs: Vec<VectorRef> = targets.iter().map(VectorRef::from).collect();
    let mut out = vec![0.0; refs.len()];
    group.bench_function(
        format!("cosine_similarity_batch/{BATCH_TARGETS}x{DIMENSION}"),
        |bench| {
            bench.iter(|| {
                accel_vectors::cosine_similarity_batch(
                    VectorRef::from(black_box(&query)),
                    &refs,
                    &mut out,
                )
            })
        },
    );
    group.finish();
}

fn store(c: &mut Criterion) {
    let mut group = c.benchmark_group("vectors");
    configure(&mut group, true);
    let store = VectorStore::from_flat(DIMENSION, &random_values(4, STORE_ROWS * DIMENSION))
        .expect("a flat buffer of whole rows");
    let query = random_values(5, DIMENSION);
    let case = format!("{STORE_ROWS}x{DIMENSION}");
    group.bench_function(format!("store_search/{case}-cosine-k10"), |bench| {
        bench.iter(|| store.search(black_box(&query), 10, Metric::Cosine))
    });
    for queries in SEARCH_MANY_QUERIES {
        let flat = random_values(6, queries * DIMENSION);
        group.bench_function(
            format!("search_many/{case}-{queries}q-cosine-k10"),
            |bench| bench.iter(|| store.search_many(black_box(&flat), 10, Metric::Cosine)),
        );
        group.bench_function(
            format!("search_each/{case}-{queries}q-cosine-k10"),
            |bench| {
                bench.iter(|| {
                    flat.chunks(DIMENSION)
                        .map(|q| store.search(black_box(q), 10, Metric::Cosine))
                        .collect::<Vec<_>>()
                })
            },
        );
    }
    group.bench_function(format!("memory_read/{case}"), |bench| {
        bench.iter(|| bandwidth::read_all(black_box(store.as_flat())))
    });
    #[cfg(feature = "faer-comparison")]
    faer_comparison(&mut group, &store, &query, &case);
    group.finish();
}

/// faer's f32 gemv over the store's own buffer (no copy), on as many threads as the scan uses,
/// beside the scan ranking by dot product: the same arithmetic on the same bytes.
#[cfg(feature = "faer-comparison")]
fn faer_comparison(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    store: &VectorStore,
    query: &[f32],
    case: &str,
) {
    use faer::linalg::matmul::matmul;
    use faer::{Accum, Mat, MatRef, Par};

    let rows = MatRef::from_row_major_slice(store.as_flat(), store.len(), DIMENSION);
    let column = MatRef::from_column_major_slice(query, DIMENSION, 1);
    let mut scores = Mat::<f32>::zeros(store.len(), 1);
    let threads = accel_vectors::worker_threads();
    group.bench_function(format!("faer_gemv/{case}"), |bench| {
        bench.iter(|| {
            matmul(
                &mut scores,
                Accum::Replace,
                rows,
                column,
                1.0f32,
                Par::rayon(threads),
            );
            black_box(scores[(0, 0)])
        })
    });
    group.bench_function(format!("store_search/{case}-dot-k10"), |bench| {
        bench.iter(|| store.search(black_box(query), 10, Metric::Dot))
    });
}

criterion_group!(benches, single, batch, store);
criterion_main!(benches);
