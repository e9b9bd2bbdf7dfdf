//! Instruction counts of the vector track (iai-callgrind): a single 1,536-d cosine, a
//! 1,000 x 1,536 batch, and a top-10 search over a small store. Inputs are built in `setup`,
//! outside the measured region. Valgrind does not emulate AVX-512, so these count the AVX2 path.

use std::hint::black_box;

use accel_vectors::{Metric, VectorRef, VectorStore};
use benches::random_values;
use iai_callgrind::{library_benchmark, library_benchmark_group, main};

const DIMENSION: usize = 1536;

fn pair(dimension: usize) -> (Vec<f32>, Vec<f32>) {
    (random_values(1, dimension), random_values(2, dimension))
}

fn batch(targets: usize) -> (Vec<f32>, Vec<Vec<f32>>) {
    let targets = (0..targets)
        .map(|i| random_values(100 + i as u64, DIMENSION))
        .collect();
    (random_values(3, DIMENSION), targets)
}

fn store(rows: usize) -> (VectorStore, Vec<f32>) {
    let flat = random_values(4, rows * 256);
    let store = VectorStore::from_flat(256, flat.as_slice()).expect("whole rows");
    (store, random_values(5, 256))
}

#[library_benchmark]
#[bench::d1536(args = (DIMENSION), setup = pair)]
fn cosine_similarity((a, b): (Vec<f32>, Vec<f32>)) -> f64 {
    black_box(accel_vectors::cosine_similarity(&a, &b).expect("same dimension"))
}

#[library_benchmark]
#[bench::t1000_d1536(args = (1000), setup = batch)]
fn cosine_similarity_batch((query, targets): (Vec<f32>, Vec<Vec<f32>>)) -> Vec<f64> {
    let refs: Vec<VectorRef> = targets.iter().map(VectorRef::from).collect();
    let mut out = vec![0.0; refs.len()];
    accel_vectors::cosine_similarity_batch(VectorRef::from(&query), &refs, &mut out)
        .expect("same dimension");
    black_box(out)
}

#[library_benchmark]
#[bench::rows2000_d256_k10(args = (2000), setup = store)]
fn store_search((store, query): (VectorStore, Vec<f32>)) -> usize {
    black_box(
        store
            .search(query.as_slice(), 10, Metric::Cosine)
            .expect("same dimension")
            .len(),
    )
}

library_benchmark_group!(
    name = vectors;
    benchmarks = cosine_similarity, cosine_similarity_batch, store_search
);
main!(library_benchmark_groups = vectors);
