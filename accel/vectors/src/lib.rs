//! Vector similarity for `@ku0/vector-similarity-rs`: cosine similarity, dot product and
//! euclidean distance on SIMD kernels chosen at run time ([`Kernels`]), a batch of one query
//! against many targets, and a [`VectorStore`] with exact top-k search.
//!
//! Inputs are `f32` (Float32Array) or `f64` (Float64Array, `number[]`) slices, borrowed as
//! [`VectorRef`]. Every kernel widens to f64 and accumulates in f64 lanes, as the JavaScript
//! fallback computes in doubles: results differ from the fallback's only by summation order
//! (measured: under 1e-15 for a 4,096-d cosine), and NaN, infinities and overflow give exactly
//! what the fallback gives (`similarity.rs` explains how). `oracle/CONTRACTS.md` states the
//! tolerance.

pub mod bandwidth;
mod batch;
mod error;
mod kernels;
mod parallel;
mod search_many;
mod similarity;
mod store;
mod topk;
mod vector;

pub use batch::{cosine_similarity_batch, CosineQuery};
pub use error::{VectorError, DIMENSION_MISMATCH_MESSAGE};
pub use kernels::{Isa, Kernels};
pub use parallel::{worker_threads, PARALLEL_MIN_VALUES};
pub use search_many::MATRIX_PRODUCT_MIN_QUERIES;
pub use similarity::{cosine_similarity, dot_product, euclidean_distance};
pub use store::{Hit, Metric, VectorStore};
pub use topk::rank_order;
pub use vector::VectorRef;
