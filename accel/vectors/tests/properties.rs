//! Property tests: on every instruction set this CPU has, each operation agrees with the
//! JavaScript fallback's loop (re-stated here as `reference`) within the error bound of f64
//! summation in another order, and exactly on NaN, infinities and zero magnitudes.

use accel_vectors::{rank_order, Hit, Kernels, Metric, VectorRef, VectorStore};
use oracle::strategies::{f32_vector as vector, vector_dimension as dimension};
use proptest::prelude::*;
use proptest::test_runner::Config;

/// `n · 2⁻⁵³` per sum, twice for the quotient, with room: 2.0e-12 at dimension 4,096.
fn tolerance(dimension: usize) -> f64 {
    5e-16 * dimension.max(16) as f64
}

/// The fallback's loops, in its order.
mod reference {
    pub fn dot_norms(a: &[f64], b: &[f64]) -> [f64; 3] {
        let mut s = [0.0; 3];
        for (x, y) in a.iter().zip(b) {
            s[0] += x * y;
            s[1] += x * x;
            s[2] += y * y;
        }
        s
    }

    pub fn cosine(a: &[f64], b: &[f64]) -> f64 {
        let [dot, aa, bb] = dot_norms(a, b);
        let magnitude = aa.sqrt() * bb.sqrt();
        if magnitude == 0.0 {
            0.0
        } else {
            dot / magnitude
        }
    }

    pub fn euclidean(a: &[f64], b: &[f64]) -> f64 {
        let mut s = 0.0;
        for (x, y) in a.iter().zip(b) {
            let d = x - y;
            s += d * d;
        }
        s.sqrt()
    }
}

/// `sqrt(Σ x²)` scaled by the largest magnitude, so that tiny and huge vectors keep their norm.
fn norm(v: &[f64]) -> f64 {
    if v.iter().any(|x| x.is_nan()) {
        return f64::NAN;
    }
    let largest = v.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    if largest == 0.0 || !largest.is_finite() {
        return largest;
    }
    largest * v.iter().map(|x| (x / largest).powi(2)).sum::<f64>().sqrt()
}

fn widen(v: &[f32]) -> Vec<f64> {
    v.iter().map(|&x| f64::from(x)).collect()
}

/// `tolerance · scale`, or 0 where the scale overflows (∞ or ∞ · 0): the engine then runs the
/// fallback's own loop, so the results must be identical.
fn bounded(tolerance: f64, scale: f64) -> f64 {
    let bound = tolerance * scale;
    if bound.is_finite() {
        bound
    } else {
        0.0
    }
}

/// `actual` is `expected` within `bound`, or both are the same special value.
fn agrees(actual: f64, expected: f64, bound: f64) -> bool {
    if expected.is_nan() || actual.is_nan() {
        return expected.is_nan() && actual.is_nan();
    }
    if expected.is_infinite() || actual.is_infinite() {
        return expected == actual;
    }
    (actual - expected).abs() <= bound
}

fn pair() -> impl Strategy<Value = (Vec<f32>, Vec<f32>)> {
    dimension().prop_flat_map(|n| (vector(n), vector(n)))
}

fn check_pair(kernels: Kernels, a: VectorRef<'_>, b: VectorRef<'_>, wa: &[f64], wb: &[f64]) {
    let n = wa.len();
    let isa = kernels.isa();
    let want = reference::cosine(wa, wb);
    let got = kernels.cosine_similarity(a, b).unwrap();
    assert!(
        agrees(got, want, tolerance(n)),
        "{isa} cosine {got} vs {want}"
    );
    let want = reference::euclidean(wa, wb);
    let got = kernels.euclidean_distance(a, b).unwrap();
    assert!(
        agrees(got, want, tolerance(n) * want),
        "{isa} euclidean {got} vs {want}"
    );
    let want = reference::dot_norms(wa, wb)[0];
    let got = kernels.dot_product(a, b).unwrap();
    let scale = norm(wa) * norm(wb);
    assert!(
        agrees(got, want, bounded(tolerance(n), scale)),
        "{isa} dot {got} vs {want}"
    );
}

proptest! {
    #![proptest_config(Config { cases: 256, ..Config::default() })]

    #[test]
    fn f32_pairs_agree_with_the_fallback_loop((a, b) in pair()) {
        let (wa, wb) = (widen(&a), widen(&b));
        for kernels in Kernels::available() {
            check_pair(kernels, VectorRef::F32(&a), VectorRef::F32(&b), &wa, &wb);
            check_pair(kernels, VectorRef::F64(&wa), VectorRef::F32(&b), &wa, &wb);
        }
    }

    /// f64 inputs reach what f32 cannot: overflowing products and subnormal squares.
    #[test]
    fn f64_pairs_agree_with_the_fallback_loop(
        n in dimension(),
        scale_exponent in -330i32..310,
        seed in prop::collection::vec(-1.0f64..1.0, 0..=4096),
    ) {
        let scale = 10f64.powi(scale_exponent);
        let a: Vec<f64> = seed.iter().take(n).map(|x| x * scale).collect();
        let b: Vec<f64> = seed.iter().rev().take(a.len()).map(|x| x * scale).collect();
        for kernels in Kernels::available() {
            check_pair(kernels, VectorRef::F64(&a), VectorRef::F64(&b), &a, &b);
        }
    }

    #[test]
    fn a_batch_equals_its_pairs(
        (query, targets) in dimension().prop_flat_map(|n| (vector(n), prop::collection::vec(vector(n), 0..12)))
    ) {
        let refs: Vec<VectorRef> = targets.iter().map(|t| VectorRef::F32(t)).collect();
        for kernels in Kernels::available() {
            let mut out = vec![0.0; refs.len()];
            kernels.cosine_similarity_batch(VectorRef::F32(&query), &refs, &mut out).unwrap();
            for (target, got) in targets.iter().zip(&out) {
                let want = reference::cosine(&widen(&query), &widen(target));
                prop_assert!(agrees(*got, want, tolerance(query.len())), "{} {got} vs {want}", kernels.isa());
            }
        }
    }

    #[test]
    fn search_lists_the_reference_ranking(
        (rows, query) in (1usize..40).prop_flat_map(|d| (prop::collection::vec(vector(d), 0..60), vector(d))),
        k in 0usize..70,
        metric in prop::sample::select(Metric::ALL.to_vec()),
    ) {
        let dimension = query.len();
        let mut store = VectorStore::new(dimension).unwrap();
        for row in &rows {
            store.push(row.as_slice()).unwrap();
        }
        let wq = widen(&query);
        let score = |row: &[f32]| {
            let wr = widen(row);
            match metric {
                Metric::Cosine => reference::cosine(&wq, &wr),
                Metric::Dot => reference::dot_norms(&wq, &wr)[0],
                Metric::Euclidean => reference::euclidean(&wq, &wr),
            }
        };
        let mut want: Vec<Hit> = rows.iter().enumerate().map(|(index, row)| Hit { index, score: score(row) }).collect();
        want.sort_by(|a, b| rank_order(metric, a, b));
        want.truncate(k);
        for kernels in Kernels::available() {
            let got = store.search_with(kernels, query.as_slice(), k, metric).unwrap();
            prop_assert_eq!(got.len(), want.len());
            for (g, w) in got.iter().zip(&want) {
                let bound = bounded(tolerance(dimension), match metric {
                    Metric::Cosine => 1.0,
                    Metric::Dot => norm(&wq) * norm(&widen(&rows[w.index])),
                    Metric::Euclidean => w.score,
                });
                prop_assert!(agrees(g.score, w.score, bound), "{} {:?} vs {:?}", kernels.isa(), g, w);
                if g.index != w.index {
                    // Listed in another order only where the scores tie within the tolerance.
                    let own = score(&rows[g.index]);
                    prop_assert!(agrees(own, w.score, bound), "{} {:?} vs {:?}", kernels.isa(), g, w);
                }
            }
        }
    }
}

/// Stores past the parallel threshold are scanned by several threads; the result must be the
/// same as a single-threaded scan's.
#[test]
fn a_parallel_scan_finds_what_a_sequential_one_finds() {
    let dimension = 64;
    let rows = accel_vectors::PARALLEL_MIN_VALUES / dimension + 37;
    let flat: Vec<f32> = (0..rows * dimension)
        .map(|i| ((i.wrapping_mul(2654435761) % 2001) as f32 - 1000.0) / 1000.0)
        .collect();
    let store = VectorStore::from_flat(dimension, flat.as_slice()).unwrap();
    let query: Vec<f32> = flat[5 * dimension..6 * dimension].to_vec();
    for metric in Metric::ALL {
        let hits = store.search(query.as_slice(), 25, metric).unwrap();
        let mut want: Vec<Hit> = (0..rows)
            .map(|index| {
                let row = store.row(index).unwrap();
                let score = match metric {
                    Metric::Cosine => accel_vectors::cosine_similarity(query.as_slice(), row),
                    Metric::Dot => accel_vectors::dot_product(query.as_slice(), row),
                    Metric::Euclidean => accel_vectors::euclidean_distance(query.as_slice(), row),
                }
                .unwrap();
                Hit { index, score }
            })
            .collect();
        want.sort_by(|a, b| rank_order(metric, a, b));
        assert_eq!(hits.len(), 25);
        if metric != Metric::Dot {
            assert_eq!(hits[0].index, 5, "{metric:?}: the query is row 5");
        }
        for (g, w) in hits.iter().zip(&want) {
            assert!(
                (g.score - w.score).abs() <= 1e-9 * (1.0 + w.score.abs()),
                "{metric:?} {g:?} {w:?}"
            );
        }
    }
}
