//! `VectorStore`: N vectors of one dimension in a single contiguous f32 buffer, each row's norm
//! computed once at insert, and exact top-k search by cosine, dot product or euclidean distance.
//!
//! A search is one pass over the buffer: for cosine and dot it reads each row once for `q·r`
//! (the query is widened to f64 once and stays in L1), and large stores are split across cores.
//! At 100,000 x 1,536 the pass reads 614 MB and is bound by memory bandwidth, not arithmetic.
//!
//! Why not faer's matrix-vector product for one query: it does not win. Measured with
//! `cargo bench -p benches --bench vectors_criterion --features faer-comparison` (2 threads each,
//! 100,000 x 1,536): faer's f32 `gemv` over the store's own buffer 19.1 ms, this scan ranking by
//! dot product 19.1 ms (by cosine 17.8 ms), a plain read of the 614 MB 18.0 ms. Both stream the
//! buffer at memory bandwidth; faer would also accumulate in f32, outside the parity tolerance.
//! Many queries at once are another matter: `search_many.rs` uses faer's matrix product there.

use std::ops::Range;

use crate::error::{same_dimension, VectorError};
use crate::kernels::{sequential, Kernels};
use crate::parallel::{map_ranges, PARALLEL_MIN_VALUES};
use crate::similarity::{cosine_from, order_insensitive};
use crate::topk::TopK;
use crate::vector::VectorRef;

/// What a search ranks by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Metric {
    /// Cosine similarity, highest first (0 for a zero-magnitude row or query).
    Cosine,
    /// Dot product, highest first.
    Dot,
    /// Euclidean distance, lowest first.
    Euclidean,
}

impl Metric {
    pub const ALL: [Metric; 3] = [Metric::Cosine, Metric::Dot, Metric::Euclidean];

    /// `"cosine"`, `"dot"` or `"euclidean"`, as the JavaScript API names them.
    pub fn name(self) -> &'static str {
        match self {
            Metric::Cosine => "cosine",
            Metric::Dot => "dot",
            Metric::Euclidean => "euclidean",
        }
    }

    pub fn from_name(name: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.name() == name)
    }

    /// Whether a higher score ranks first.
    pub fn higher_is_better(self) -> bool {
        !matches!(self, Metric::Euclidean)
    }
}

/// One search result: the row's index (insertion order, from 0) and its score.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hit {
    pub index: usize,
    pub score: f64,
}

#[derive(Clone, Debug)]
pub struct VectorStore {
    dimension: usize,
    data: Vec<f32>,
    /// `sqrt(Σ r_i²)` of each row, in f64.
    norms: Vec<f64>,
}

impl VectorStore {
    pub fn new(dimension: usize) -> Result<Self, VectorError> {
        Self::with_capacity(dimension, 0)
    }

    /// A store with room for `rows` rows before it reallocates.
    pub fn with_capacity(dimension: usize, rows: usize) -> Result<Self, VectorError> {
        if dimension == 0 {
            return Err(VectorError::ZeroDimension);
        }
        Ok(VectorStore {
            dimension,
            data: Vec::with_capacity(rows.saturating_mul(dimension)),
            norms: Vec::with_capacity(rows),
        })
    }

    /// A store holding the rows of a row-major flat buffer.
    pub fn from_flat<'a>(
        dimension: usize,
        flat: impl Into<VectorRef<'a>>,
    ) -> Result<Self, VectorError> {
        let flat = flat.into();
        let mut store = Self::with_capacity(dimension, flat.len() / dimension.max(1))?;
        store.extend_from_flat(flat)?;
        Ok(store)
    }

    pub fn dimension(&self) -> usize {
        self.dimension
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.norms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.norms.is_empty()
    }

    /// Row `index`, as stored (f32).
    pub fn row(&self, index: usize) -> Option<&[f32]> {
        (index < self.len()).then(|| &self.data[index * self.dimension..][..self.dimension])
    }

    /// Every row, row-major.
    pub fn as_flat(&self) -> &[f32] {
        &self.data
    }

    /// The precomputed norm of row `index`.
    pub fn norm(&self, index: usize) -> Option<f64> {
        self.norms.get(index).copied()
    }

    /// Bytes held by the rows and norms.
    pub fn heap_bytes(&self) -> usize {
        self.data.capacity() * size_of::<f32>() + self.norms.capacity() * size_of::<f64>()
    }

    /// Makes room for `rows` more rows.
    pub fn reserve(&mut self, rows: usize) {
        self.data.reserve(rows.saturating_mul(self.dimension));
        self.norms.reserve(rows);
    }

    /// Removes every row and frees the buffer.
    pub fn clear(&mut self) {
        self.data = Vec::new();
        self.norms = Vec::new();
    }

    /// Appends one row (f64 values are rounded to f32) and returns its index.
    pub fn push<'a>(&mut self, row: impl Into<VectorRef<'a>>) -> Result<usize, VectorError> {
        let row = row.into();
        same_dimension(self.dimension, row.len())?;
        Ok(self.append(row).start)
    }

    /// Appends the rows of a row-major flat buffer; returns their index range.
    pub fn extend_from_flat<'a>(
        &mut self,
        flat: impl Into<VectorRef<'a>>,
    ) -> Result<Range<usize>, VectorError> {
        let flat = flat.into();
        if flat.len() % self.dimension != 0 {
            return Err(VectorError::RaggedFlat {
                len: flat.len(),
                dimension: self.dimension,
            });
        }
        Ok(self.append(flat))
    }

    fn append(&mut self, values: VectorRef<'_>) -> Range<usize> {
        let first_row = self.len();
        let start = self.data.len();
        match values {
            VectorRef::F32(v) => self.data.extend_from_slice(v),
            // `as` rounds to nearest, ties to even, as storing into a Float32Array does.
            VectorRef::F64(v) => self.data.extend(v.iter().map(|&x| x as f32)),
        }
        let added = &self.data[start..];
        let rows = added.len() / self.dimension;
        let kernels = Kernels::detected();
        let dimension = self.dimension;
        let norms = map_ranges(rows, added.len() >= PARALLEL_MIN_VALUES, |range| {
            range
                .map(|r| {
                    kernels
                        .sum_squares(&added[r * dimension..][..dimension])
                        .sqrt()
                })
                .collect::<Vec<f64>>()
        });
        for part in norms {
            self.norms.extend(part);
        }
        first_row..first_row + rows
    }

    /// The `k` best rows for `query` (all rows when `k` exceeds them), best first; ties in score
    /// list the lower index first, NaN scores come last. Large stores are scanned on every core.
    pub fn search<'a>(
        &self,
        query: impl Into<VectorRef<'a>>,
        k: usize,
        metric: Metric,
    ) -> Result<Vec<Hit>, VectorError> {
        self.search_with(Kernels::detected(), query, k, metric)
    }

    /// [`VectorStore::search`] on the given kernels.
    pub fn search_with<'a>(
        &self,
        kernels: Kernels,
        query: impl Into<VectorRef<'a>>,
        k: usize,
        metric: Metric,
    ) -> Result<Vec<Hit>, VectorError> {
        let query = query.into();
        same_dimension(self.dimension, query.len())?;
        let k = k.min(self.len());
        if k == 0 {
            return Ok(Vec::new());
        }
        let scorer = Scorer::new(kernels, query, metric);
        let parallel = self.data.len() >= PARALLEL_MIN_VALUES;
        let mut parts = map_ranges(self.len(), parallel, |rows| {
            let mut top = TopK::new(k, metric);
            for index in rows {
                top.offer(Hit {
                    index,
                    score: scorer.score(self.row_unchecked(index), self.norms[index]),
                });
            }
            top
        })
        .into_iter();
        let mut best = parts.next().expect("at least one range");
        for part in parts {
            best.merge(part);
        }
        Ok(best.into_sorted())
    }

    pub(crate) fn row_unchecked(&self, index: usize) -> &[f32] {
        &self.data[index * self.dimension..][..self.dimension]
    }
}

/// One query's scoring of rows, with the fallback's formulas.
pub(crate) struct Scorer {
    kernels: Kernels,
    metric: Metric,
    query: Vec<f64>,
    query_norm: f64,
    /// Whether `|q|²` is in the range where the SIMD sums can be used (see `similarity.rs`).
    query_in_range: bool,
}

impl Scorer {
    pub(crate) fn new(kernels: Kernels, query: VectorRef<'_>, metric: Metric) -> Self {
        let query = query.to_f64().into_owned();
        let qq = kernels.sum_squares(&query);
        Scorer {
            kernels,
            metric,
            query_norm: qq.sqrt(),
            query_in_range: order_insensitive(qq),
            query,
        }
    }

    pub(crate) fn score(&self, row: &[f32], row_norm: f64) -> f64 {
        self.score_given_dot(row, row_norm, || self.kernels.dot(&self.query, row))
    }

    /// The query as f64 values.
    pub(crate) fn query(&self) -> &[f64] {
        &self.query
    }

    /// [`Scorer::score`], taking `q·row` from `dot` (computed elsewhere, in any summation order)
    /// wherever the order does not matter; NaN, infinities and out-of-range magnitudes take the
    /// fallback's own sequential sums instead.
    pub(crate) fn score_given_dot(
        &self,
        row: &[f32],
        row_norm: f64,
        dot: impl FnOnce() -> f64,
    ) -> f64 {
        // Rows are f32, so a finite norm is always in range; only NaN and infinities are not.
        let in_range = self.query_in_range && row_norm.is_finite();
        match self.metric {
            Metric::Cosine if in_range => {
                let magnitude = self.query_norm * row_norm;
                if magnitude == 0.0 {
                    0.0
                } else {
                    dot() / magnitude
                }
            }
            Metric::Cosine => cosine_from(sequential::dot_norms(&self.query, row)),
            Metric::Dot if in_range => dot(),
            Metric::Dot => sequential::dot(&self.query, row),
            Metric::Euclidean => self
                .kernels
                .checked_squared_distance(&self.query, row)
                .sqrt(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store_of(rows: &[&[f32]]) -> VectorStore {
        let mut store = VectorStore::new(rows[0].len()).unwrap();
        for row in rows {
            store.push(*row).unwrap();
        }
        store
    }

    fn indices(hits: &[Hit]) -> Vec<usize> {
        hits.iter().map(|h| h.index).collect()
    }

    #[test]
    fn searches_by_every_metric() {
        let store = store_of(&[&[1.0, 0.0], &[0.0, 1.0], &[3.0, 3.0], &[-1.0, 0.0]]);
        let q: &[f32] = &[1.0, 0.2];
        assert_eq!(
            indices(&store.search(q, 2, Metric::Cosine).unwrap()),
            [0, 2]
        );
        assert_eq!(indices(&store.search(q, 2, Metric::Dot).unwrap()), [2, 0]);
        assert_eq!(
            indices(&store.search(q, 4, Metric::Euclidean).unwrap()),
            [0, 1, 3, 2]
        );
        let best = store.search(q, 1, Metric::Euclidean).unwrap()[0];
        assert!((best.score - 0.2f32 as f64).abs() < 1e-12);
    }

    #[test]
    fn k_beyond_the_store_returns_every_row_and_an_empty_store_nothing() {
        let store = store_of(&[&[1.0], &[2.0]]);
        assert_eq!(store.search(&[1.0f32], 10, Metric::Dot).unwrap().len(), 2);
        assert_eq!(store.search(&[1.0f32], 0, Metric::Dot).unwrap(), []);
        let empty = VectorStore::new(3).unwrap();
        assert_eq!(
            empty
                .search(&[1.0f32, 2.0, 3.0], 5, Metric::Cosine)
                .unwrap(),
            []
        );
    }

    #[test]
    fn bad_shapes_are_errors() {
        assert_eq!(VectorStore::new(0).unwrap_err(), VectorError::ZeroDimension);
        let mut store = VectorStore::new(2).unwrap();
        assert!(matches!(
            store.push(&[1.0f32]),
            Err(VectorError::DimensionMismatch {
                expected: 2,
                actual: 1
            })
        ));
        assert_eq!(
            store.extend_from_flat(&[1.0f32, 2.0, 3.0]),
            Err(VectorError::RaggedFlat {
                len: 3,
                dimension: 2
            })
        );
        assert!(store.search(&[1.0f32], 1, Metric::Cosine).is_err());
        assert!(store.is_empty(), "a failed insert adds nothing");
    }

    #[test]
    fn flat_and_row_by_row_fills_agree_and_f64_rows_round_to_f32() {
        let flat: Vec<f64> = (0..12).map(|i| i as f64 / 3.0).collect();
        let store = VectorStore::from_flat(3, &flat).unwrap();
        let mut by_rows = VectorStore::new(3).unwrap();
        for row in flat.chunks(3) {
            by_rows.push(row).unwrap();
        }
        assert_eq!(store.as_flat(), by_rows.as_flat());
        assert_eq!(store.len(), 4);
        assert_eq!(
            store.row(1).unwrap(),
            &[1.0f32, (4.0 / 3.0) as f32, (5.0 / 3.0) as f32]
        );
        assert_eq!(store.row(4), None);
        let (x, y) = (
            f64::from((1.0f64 / 3.0) as f32),
            f64::from((2.0f64 / 3.0) as f32),
        );
        assert_eq!(store.norm(0), Some((x * x + y * y).sqrt()));
    }

    #[test]
    fn nan_rows_rank_last_and_zero_rows_score_zero() {
        let store = store_of(&[&[f32::NAN, 1.0], &[0.0, 0.0], &[1.0, 1.0]]);
        let hits = store.search(&[1.0f32, 1.0], 3, Metric::Cosine).unwrap();
        assert_eq!(indices(&hits), [2, 1, 0]);
        assert_eq!(hits[1].score, 0.0);
        assert!(hits[2].score.is_nan());
    }
}
