//! Live parity: proptest-generated vectors (dimensions 0..4,096; ordinary values, every float32
//! magnitude including subnormals, huge and tiny values, zero vectors, NaN and infinities; f64
//! vectors of any scale) go to the JS fallback (`node oracle/js/serve.mjs`) and to the engine,
//! and every answer must meet the contract. Needs Node on PATH: without it these tests fail,
//! they never pass silently.

mod vectors_engine;

use oracle::contracts::vectors::{Metric, Search, Vector, VectorCall};
use oracle::live;
use oracle::strategies::{f32_vector, vector_dimension as dimension};
use oracle::JsValue;
use proptest::prelude::*;

/// An f32 vector, or (one in four) an f64 vector scaled anywhere in 1e-320..1e300, which reaches
/// overflowing products and subnormal squares that float32 cannot.
fn vector(n: usize) -> impl Strategy<Value = Vector> {
    prop_oneof![
        3 => f32_vector(n).prop_map(Vector::F32),
        1 => (f32_vector(n), -320i32..300).prop_map(|(v, e)| {
            let scale = 10f64.powi(e);
            Vector::F64(v.iter().map(|&x| f64::from(x) * scale).collect())
        }),
    ]
}

fn pair_calls() -> impl Strategy<Value = Vec<VectorCall>> {
    dimension()
        .prop_flat_map(|n| (vector(n), vector(n)))
        .prop_map(|(a, b)| {
            vec![
                VectorCall::CosineSimilarity {
                    a: a.clone(),
                    b: b.clone(),
                },
                VectorCall::EuclideanDistance { a, b },
            ]
        })
}

fn batch_call() -> impl Strategy<Value = VectorCall> {
    (0usize..600)
        .prop_flat_map(|n| (vector(n), prop::collection::vec(vector(n), 0..20)))
        .prop_map(|(query, targets)| VectorCall::CosineSimilarityBatch { query, targets })
}

fn store_call() -> impl Strategy<Value = VectorCall> {
    (1usize..64, 0usize..50)
        .prop_flat_map(|(dimension, rows)| {
            let search = (
                vector(dimension),
                prop::option::weighted(0.9, 0usize..60),
                prop::sample::select(vec![Metric::Cosine, Metric::Dot, Metric::Euclidean]),
            )
                .prop_map(|(query, k, metric)| Search { query, k, metric });
            (
                prop::collection::vec(f32_vector(dimension), rows),
                // Some rows repeat earlier ones: exact ties, listed by the lower index.
                prop::collection::vec(any::<prop::sample::Index>(), rows / 4),
                Just(dimension),
                prop::collection::vec(search, 1..4),
            )
        })
        .prop_map(|(mut rows, repeats, dimension, searches)| {
            for (i, pick) in repeats.iter().enumerate() {
                let (source, target) = (pick.index(rows.len()), i * 4 % rows.len());
                rows[target] = rows[source].clone();
            }
            VectorCall::StoreSearch {
                flat: rows.concat(),
                dimension,
                searches,
            }
        })
}

/// Asks the oracle about `calls` in one batch and checks the engine against each answer.
fn check(calls: &[VectorCall]) -> Result<(), TestCaseError> {
    let requests: Vec<_> = calls.iter().map(VectorCall::to_request).collect();
    let answers = live::ask_batch(&requests);
    for (call, answer) in calls.iter().zip(answers) {
        let expected = answer.map(|value| {
            call.output_from_js(&value)
                .unwrap_or_else(|err| panic!("the oracle's answer to {}: {err}", call.describe()))
        });
        let actual = vectors_engine::run(call);
        if let Err(difference) = call.check(&expected, &actual) {
            return Err(TestCaseError::fail(format!(
                "{}: {difference}",
                call.describe()
            )));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(live::proptest_config(1000))]

    #[test]
    fn cosine_and_euclidean_match_the_live_oracle(calls in pair_calls()) {
        check(&calls)?;
    }
}

proptest! {
    #![proptest_config(live::proptest_config(150))]

    #[test]
    fn batches_match_the_live_oracle(call in batch_call()) {
        check(&[call])?;
    }

    #[test]
    fn store_searches_match_the_live_oracle(call in store_call()) {
        check(&[call])?;
    }
}

#[test]
fn dimension_mismatches_are_the_same_error() {
    let calls = [
        VectorCall::CosineSimilarity {
            a: Vector::F32(vec![1.0; 3]),
            b: Vector::F32(vec![1.0; 4]),
        },
        VectorCall::EuclideanDistance {
            a: Vector::F64(vec![]),
            b: Vector::F32(vec![1.0]),
        },
        VectorCall::CosineSimilarityBatch {
            query: Vector::F32(vec![1.0, 2.0]),
            targets: vec![Vector::F32(vec![1.0, 2.0]), Vector::F64(vec![1.0])],
        },
        VectorCall::StoreSearch {
            flat: vec![1.0; 4],
            dimension: 2,
            searches: vec![Search {
                query: Vector::F32(vec![1.0]),
                k: Some(1),
                metric: Metric::Dot,
            }],
        },
    ];
    for call in &calls {
        assert!(vectors_engine::run(call).is_err(), "{}", call.describe());
    }
    check(&calls).unwrap();
}

#[test]
fn the_live_oracle_serves_every_vectors_op() {
    let description = live::shared()
        .describe()
        .unwrap_or_else(|err| panic!("{err}"));
    let ops = description.get("tracks").and_then(|t| t.get("vectors"));
    let expected = JsValue::Array(
        [
            "VectorStore.search",
            "cosineSimilarity",
            "cosineSimilarityBatch",
            "euclideanDistance",
        ]
        .map(JsValue::string)
        .to_vec(),
    );
    assert_eq!(ops, Some(&expected), "{}", description.canonical_json());
}
