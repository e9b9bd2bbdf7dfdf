//! N-API glue for `@ku0/vector-similarity-rs`: read typed arrays in place, call `accel-vectors`,
//! hand back numbers. Argument routing (which inputs reach native code, `number[]` conversion,
//! dimension checks, `k` and metric validation) lives in `index.js`; a panic here becomes a JS
//! exception (`catch_unwind`), never an abort.

mod fast;
mod store;
mod typed;

use accel_vectors::{Kernels, VectorError, VectorRef};
use napi::bindgen_prelude::{Array, Float64ArraySlice, Object};
use napi::{Env, JsValue};
use napi::{Error, Result, Status};
use napi_derive::napi;

pub use store::NativeVectorStore;
use typed::JsVector;

// Stores grow to hundreds of megabytes and searches allocate a widened query each call; mimalloc
// keeps freed pages for reuse instead of returning them to the OS on every call.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The package version this binary was built for; the loader rejects a mismatch.
#[napi]
pub fn binding_version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

pub(crate) fn to_js_error(error: VectorError) -> Error {
    Error::new(Status::InvalidArg, error.to_string())
}

/// Registers the raw single-pair exports (`cosineSimilarityF32`, ...; see `fast.rs`).
#[napi(module_exports)]
pub fn register_fast_paths(exports: Object, env: Env) -> Result<()> {
    // SAFETY: called once by napi-rs during module initialisation, with its env and exports.
    unsafe { fast::register(env.raw(), exports.raw()) }
}

/// Cosine similarity of two Float32Array / Float64Array vectors (0 for a zero magnitude); the
/// general path for mixed element types. Same-type pairs take the raw `*F32` / `*F64` exports.
#[napi(catch_unwind)]
pub fn cosine_similarity(a: JsVector<'_>, b: JsVector<'_>) -> Result<f64> {
    accel_vectors::cosine_similarity(a.0, b.0).map_err(to_js_error)
}

/// Euclidean distance of two Float32Array / Float64Array vectors (mixed element types).
#[napi(catch_unwind)]
pub fn euclidean_distance(a: JsVector<'_>, b: JsVector<'_>) -> Result<f64> {
    accel_vectors::euclidean_distance(a.0, b.0).map_err(to_js_error)
}

/// Writes the cosine similarity of `query` and each of `targets` (an array of Float32Array /
/// Float64Array) into `out`, which has one slot per target. Large batches use every core.
#[napi(catch_unwind)]
pub fn cosine_similarity_batch(
    query: JsVector<'_>,
    targets: Array<'_>,
    mut out: Float64ArraySlice<'_>,
) -> Result<()> {
    // SAFETY: `index.js` passes a fresh Float64Array that aliases no other argument, and no
    // JavaScript runs (so nothing else can touch it) until this call returns.
    let out = unsafe { out.as_mut() };
    if out.len() != targets.len() as usize {
        return Err(Error::new(
            Status::InvalidArg,
            format!(
                "the output holds {} slots for {} targets",
                out.len(),
                targets.len()
            ),
        ));
    }
    let targets = (0..targets.len())
        .map(|i| match targets.get::<JsVector>(i) {
            Ok(Some(JsVector(vector))) => Ok(vector),
            _ => Err(Error::new(
                Status::InvalidArg,
                format!("target {i} is not a Float32Array or Float64Array"),
            )),
        })
        .collect::<Result<Vec<VectorRef>>>()?;
    accel_vectors::cosine_similarity_batch(query.0, &targets, out).map_err(to_js_error)
}

/// Reads all of `data` with every core and returns its sum: the memory-bandwidth probe the node
/// bench times beside the scans.
#[napi(catch_unwind)]
pub fn memory_read_probe(data: &[f32]) -> f64 {
    f64::from(accel_vectors::bandwidth::read_all(data))
}

#[napi(object)]
pub struct SimdInfo {
    /// The kernels in use: `avx512`, `avx2+fma`, `neon` or `portable`.
    pub isa: String,
    /// Threads a large scan is split over.
    pub threads: u32,
}

/// Which SIMD kernels this CPU runs, and how many threads large scans use.
#[napi]
pub fn simd_info() -> SimdInfo {
    SimdInfo {
        isa: Kernels::detected().isa().name().to_owned(),
        threads: u32::try_from(accel_vectors::worker_threads()).unwrap_or(u32::MAX),
    }
}
