//! The `VectorStore` class behind `index.js`'s wrapper.

use accel_vectors::{Metric, VectorStore};
use napi::bindgen_prelude::{Float32Array, Float64ArraySlice, ObjectFinalize, Uint32ArraySlice};
use napi::{Env, Error, Result, Status};
use napi_derive::napi;

use crate::to_js_error;
use crate::typed::JsVector;

/// N vectors of one dimension in one contiguous native f32 buffer, with norms precomputed.
#[napi(custom_finalize)]
pub struct NativeVectorStore {
    inner: VectorStore,
    /// Bytes reported to V8 through `napi_adjust_external_memory`, so that its GC knows what a
    /// store object really holds.
    reported_bytes: i64,
}

#[napi]
impl NativeVectorStore {
    #[napi(constructor, catch_unwind)]
    pub fn new(dimension: u32) -> Result<Self> {
        Ok(NativeVectorStore {
            inner: VectorStore::new(dimension as usize).map_err(to_js_error)?,
            reported_bytes: 0,
        })
    }

    #[napi(getter)]
    pub fn dimension(&self) -> u32 {
        self.inner.dimension() as u32
    }

    #[napi(getter)]
    pub fn size(&self) -> u32 {
        u32::try_from(self.inner.len()).unwrap_or(u32::MAX)
    }

    /// Appends one row; returns its index.
    #[napi(catch_unwind)]
    pub fn add(&mut self, env: Env, row: JsVector<'_>) -> Result<u32> {
        let index = self.inner.push(row.0).map_err(to_js_error)?;
        self.report_memory(&env)?;
        row_index(index)
    }

    /// Appends the rows of a row-major flat buffer; returns the index of the first.
    #[napi(catch_unwind)]
    pub fn add_flat(&mut self, env: Env, flat: JsVector<'_>) -> Result<u32> {
        let rows = self.inner.extend_from_flat(flat.0).map_err(to_js_error)?;
        self.report_memory(&env)?;
        row_index(rows.start)
    }

    /// A copy of row `index`.
    #[napi(catch_unwind)]
    pub fn get(&self, index: u32) -> Result<Float32Array> {
        self.inner
            .row(index as usize)
            .map(|row| Float32Array::new(row.to_vec()))
            .ok_or_else(|| {
                Error::new(
                    Status::InvalidArg,
                    format!("no row {index} in a store of {}", self.inner.len()),
                )
            })
    }

    /// Removes every row and frees the buffer.
    #[napi]
    pub fn clear(&mut self, env: Env) -> Result<()> {
        self.inner.clear();
        self.report_memory(&env)
    }

    /// Ranks the rows for `query` by `metric` and writes the best `indices.length` of them, best
    /// first, into `indices` and `scores` (equal lengths, at most the store's size).
    #[napi(catch_unwind)]
    pub fn search_into(
        &self,
        query: JsVector<'_>,
        metric: String,
        mut indices: Uint32ArraySlice<'_>,
        mut scores: Float64ArraySlice<'_>,
    ) -> Result<()> {
        // SAFETY: `index.js` passes two fresh typed arrays that alias nothing else, and no
        // JavaScript runs until this call returns.
        let (indices, scores) = unsafe { (indices.as_mut(), scores.as_mut()) };
        let metric = parse_metric(&metric)?;
        if indices.len() != scores.len() || indices.len() > self.inner.len() {
            return Err(Error::new(
                Status::InvalidArg,
                format!(
                    "{} index slots and {} score slots for a store of {} rows",
                    indices.len(),
                    scores.len(),
                    self.inner.len()
                ),
            ));
        }
        let hits = self
            .inner
            .search(query.0, indices.len(), metric)
            .map_err(to_js_error)?;
        for ((hit, index), score) in hits.iter().zip(indices).zip(scores) {
            *index = row_index(hit.index)?;
            *score = hit.score;
        }
        Ok(())
    }

    /// `search_into` for each query of the row-major flat `queries`: query `q`'s best `k` rows
    /// go to slots `q * k ..` of `indices` and `scores` (each `k` times the number of queries).
    #[napi(catch_unwind)]
    pub fn search_many_into(
        &self,
        queries: JsVector<'_>,
        metric: String,
        k: u32,
        mut indices: Uint32ArraySlice<'_>,
        mut scores: Float64ArraySlice<'_>,
    ) -> Result<()> {
        // SAFETY: as in `search_into`.
        let (indices, scores) = unsafe { (indices.as_mut(), scores.as_mut()) };
        let metric = parse_metric(&metric)?;
        let k = k as usize;
        let dimension = self.inner.dimension();
        let slots = queries.0.len() / dimension * k;
        if k > self.inner.len() || indices.len() != slots || scores.len() != slots {
            return Err(Error::new(
                Status::InvalidArg,
                format!(
                    "{} index slots and {} score slots for {} values of queries, k = {k}, in a store of {} rows",
                    indices.len(),
                    scores.len(),
                    queries.0.len(),
                    self.inner.len()
                ),
            ));
        }
        let results = self
            .inner
            .search_many(queries.0, k, metric)
            .map_err(to_js_error)?;
        let slots = indices
            .chunks_mut(k.max(1))
            .zip(scores.chunks_mut(k.max(1)));
        for (hits, (indices, scores)) in results.iter().zip(slots) {
            for ((hit, index), score) in hits.iter().zip(indices).zip(scores) {
                *index = row_index(hit.index)?;
                *score = hit.score;
            }
        }
        Ok(())
    }

    fn report_memory(&mut self, env: &Env) -> Result<()> {
        let bytes = i64::try_from(self.inner.heap_bytes()).unwrap_or(i64::MAX);
        env.adjust_external_memory(bytes - self.reported_bytes)?;
        self.reported_bytes = bytes;
        Ok(())
    }
}

impl ObjectFinalize for NativeVectorStore {
    fn finalize(self, env: Env) -> Result<()> {
        env.adjust_external_memory(-self.reported_bytes)?;
        Ok(())
    }
}

fn parse_metric(metric: &str) -> Result<Metric> {
    Metric::from_name(metric).ok_or_else(|| {
        Error::new(
            Status::InvalidArg,
            format!("unknown metric {metric:?}: use \"cosine\", \"dot\" or \"euclidean\""),
        )
    })
}

fn row_index(index: usize) -> Result<u32> {
    u32::try_from(index).map_err(|_| {
        Error::new(
            Status::InvalidArg,
            "a store holds at most 2^32 - 1 rows".to_owned(),
        )
    })
}
