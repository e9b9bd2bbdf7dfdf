//! Runs a `VectorCall` on the accel-vectors engine, shaped as the fallback's answer: what the
//! vectors replay and live tests compare with the oracle.

use accel_vectors::{Metric as EngineMetric, VectorRef, VectorStore};
use oracle::contracts::vectors::{Hit, Metric, Output, Vector, VectorCall};
use oracle::JsError;

fn vector_ref(vector: &Vector) -> VectorRef<'_> {
    match vector {
        Vector::F32(v) => VectorRef::F32(v),
        Vector::F64(v) => VectorRef::F64(v),
    }
}

fn metric(metric: Metric) -> EngineMetric {
    match metric {
        Metric::Cosine => EngineMetric::Cosine,
        Metric::Dot => EngineMetric::Dot,
        Metric::Euclidean => EngineMetric::Euclidean,
    }
}

/// An engine error as JavaScript sees it: the package throws `Error(message)`.
fn js_error(error: accel_vectors::VectorError) -> JsError {
    JsError::new("Error", error.to_string())
}

pub fn run(call: &VectorCall) -> Result<Output, JsError> {
    match call {
        VectorCall::CosineSimilarity { a, b } => {
            accel_vectors::cosine_similarity(vector_ref(a), vector_ref(b))
                .map(Output::Number)
                .map_err(js_error)
        }
        VectorCall::EuclideanDistance { a, b } => {
            accel_vectors::euclidean_distance(vector_ref(a), vector_ref(b))
                .map(Output::Number)
                .map_err(js_error)
        }
        VectorCall::CosineSimilarityBatch { query, targets } => {
            let targets: Vec<VectorRef> = targets.iter().map(vector_ref).collect();
            let mut out = vec![0.0; targets.len()];
            accel_vectors::cosine_similarity_batch(vector_ref(query), &targets, &mut out)
                .map(|()| Output::Numbers(out))
                .map_err(js_error)
        }
        VectorCall::StoreSearch {
            flat,
            dimension,
            searches,
        } => {
            let store = VectorStore::from_flat(*dimension, flat.as_slice()).map_err(js_error)?;
            searches
                .iter()
                .map(|search| {
                    store
                        .search(
                            vector_ref(&search.query),
                            search.k.unwrap_or(usize::MAX),
                            metric(search.metric),
                        )
                        .map(|hits| {
                            hits.into_iter()
                                .map(|hit| Hit {
                                    index: hit.index,
                                    score: hit.score,
                                })
                                .collect()
                        })
                        .map_err(js_error)
                })
                .collect::<Result<_, _>>()
                .map(Output::Rankings)
        }
    }
}
