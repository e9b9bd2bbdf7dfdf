//! Many queries against one store: the many-vectors case, where a matrix product beats one scan
//! per query. A single query reads every row once and is bound by memory bandwidth (`store.rs`);
//! with many queries each row, once in cache, serves all of them, and the work becomes
//! arithmetic, which faer's blocked matrix product does at close to the cores' peak.
//!
//! Parity: rows are widened to f64 block by block and multiplied in f64, so each `q·r` is exact
//! products summed in f64, as the single-query kernels do, in another order (the tolerance of
//! `oracle/CONTRACTS.md` covers any order). Euclidean distance is not a dot product without
//! cancellation (`|q|² + |r|² - 2q·r` loses the small distances that rank first), so it keeps the
//! per-query scan, as do queries with too few companions to pay for the product.

use faer::linalg::matmul::matmul;
use faer::{Accum, Mat, MatRef, Par};

use crate::error::VectorError;
use crate::kernels::Kernels;
use crate::parallel::{map_ranges, PARALLEL_MIN_VALUES};
use crate::store::{Hit, Metric, Scorer, VectorStore};
use crate::topk::TopK;
use crate::vector::VectorRef;

/// Rows widened to f64 per product: 256 x 1,536 x 8 bytes = 3 MB, which stays in cache while
/// faer multiplies it by every query.
const ROW_BLOCK: usize = 256;

/// Fewer queries than this are searched one scan each: the product only wins once enough
/// queries share each row. Measured by `vectors_criterion` (100,000 x 1,536, cosine, top 10, two
/// threads): 8 queries 216 ms by product vs 219 ms one scan each; 32 queries 353 ms vs 799 ms.
pub const MATRIX_PRODUCT_MIN_QUERIES: usize = 16;

impl VectorStore {
    /// [`VectorStore::search`] for each query of a row-major flat buffer, in order.
    pub fn search_many<'a>(
        &self,
        queries: impl Into<VectorRef<'a>>,
        k: usize,
        metric: Metric,
    ) -> Result<Vec<Vec<Hit>>, VectorError> {
        let queries = queries.into();
        let dimension = self.dimension();
        if queries.len() % dimension != 0 {
            return Err(VectorError::RaggedFlat {
                len: queries.len(),
                dimension,
            });
        }
        let count = queries.len() / dimension;
        let by_product = metric != Metric::Euclidean && count >= MATRIX_PRODUCT_MIN_QUERIES;
        if !by_product {
            return (0..count)
                .map(|q| self.search(queries.row(q, dimension), k, metric))
                .collect();
        }
        let k = k.min(self.len());
        if k == 0 {
            return Ok(vec![Vec::new(); count]);
        }
        let kernels = Kernels::detected();
        let scorers: Vec<Scorer> = (0..count)
            .map(|q| Scorer::new(kernels, queries.row(q, dimension), metric))
            .collect();
        let parallel = self.as_flat().len() >= PARALLEL_MIN_VALUES;
        let mut parts = map_ranges(self.len(), parallel, |rows| {
            self.top_by_product(&scorers, rows, k, metric)
        })
        .into_iter();
        let mut best = parts.next().expect("at least one range");
        for part in parts {
            for (kept, other) in best.iter_mut().zip(part) {
                kept.merge(other);
            }
        }
        Ok(best.into_iter().map(TopK::into_sorted).collect())
    }

    /// Each query's best `k` among `rows`, the dot products taken block by block from faer.
    fn top_by_product(
        &self,
        scorers: &[Scorer],
        rows: std::ops::Range<usize>,
        k: usize,
        metric: Metric,
    ) -> Vec<TopK> {
        let dimension = self.dimension();
        let queries: Vec<f64> = scorers.iter().flat_map(|s| s.query()).copied().collect();
        let queries = MatRef::from_column_major_slice(&queries, dimension, scorers.len());
        let mut tops: Vec<TopK> = scorers.iter().map(|_| TopK::new(k, metric)).collect();
        let mut block = Vec::with_capacity(ROW_BLOCK * dimension);
        let mut dots = Mat::<f64>::zeros(ROW_BLOCK, scorers.len());
        let mut start = rows.start;
        while start < rows.end {
            let end = (start + ROW_BLOCK).min(rows.end);
            let flat = &self.as_flat()[start * dimension..end * dimension];
            block.clear();
            block.extend(flat.iter().map(|&x| f64::from(x)));
            let block_rows = MatRef::from_row_major_slice(&block, end - start, dimension);
            let mut dots = dots.as_mut().subrows_mut(0, end - start);
            matmul(
                dots.as_mut(),
                Accum::Replace,
                block_rows,
                queries,
                1.0,
                Par::Seq,
            );
            for (q, (scorer, top)) in scorers.iter().zip(&mut tops).enumerate() {
                for index in start..end {
                    let norm = self.norm(index).expect("index within the store");
                    let row = self.row_unchecked(index);
                    let score = scorer.score_given_dot(row, norm, || dots[(index - start, q)]);
                    top.offer(Hit { index, score });
                }
            }
            start = end;
        }
        tops
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seeded_values(count: usize, seed: u64) -> Vec<f32> {
        let mut state = seed;
        (0..count)
            .map(|_| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((state >> 40) as f32 / (1u64 << 24) as f32) - 0.5
            })
            .collect()
    }

    #[test]
    fn agrees_with_one_search_per_query_for_every_metric() {
        let dimension = 37;
        let store = VectorStore::from_flat(dimension, &seeded_values(600 * dimension, 1)).unwrap();
        let queries = seeded_values(MATRIX_PRODUCT_MIN_QUERIES * 2 * dimension, 2);
        for metric in Metric::ALL {
            let many = store.search_many(&queries, 7, metric).unwrap();
            assert_eq!(many.len(), MATRIX_PRODUCT_MIN_QUERIES * 2);
            for (q, hits) in many.iter().enumerate() {
                let one = store
                    .search(&queries[q * dimension..][..dimension], 7, metric)
                    .unwrap();
                let indices = |h: &[Hit]| h.iter().map(|h| h.index).collect::<Vec<_>>();
                assert_eq!(indices(hits), indices(&one), "{metric:?} query {q}");
                for (a, b) in hits.iter().zip(&one) {
                    assert!((a.score - b.score).abs() <= 1e-12, "{a:?} vs {b:?}");
                }
            }
        }
    }

    #[test]
    fn special_rows_and_queries_score_as_the_fallback() {
        let mut store = VectorStore::new(2).unwrap();
        for row in [
            [f32::NAN, 1.0],
            [0.0, 0.0],
            [1.0, 1.0],
            [f32::INFINITY, 0.0],
        ] {
            store.push(&row).unwrap();
        }
        let mut queries = vec![1.0f32, 1.0];
        queries.extend([0.0, 0.0]);
        queries.extend(std::iter::repeat_n(0.5, 2 * MATRIX_PRODUCT_MIN_QUERIES));
        for metric in [Metric::Cosine, Metric::Dot] {
            let many = store.search_many(&queries, 4, metric).unwrap();
            for (q, hits) in many.iter().enumerate() {
                let one = store.search(&queries[q * 2..][..2], 4, metric).unwrap();
                assert_eq!(format!("{hits:?}"), format!("{one:?}"), "{metric:?} {q}");
            }
        }
    }

    #[test]
    fn ragged_queries_and_empty_stores() {
        let store = VectorStore::from_flat(3, &[1.0f32, 2.0, 3.0]).unwrap();
        assert!(matches!(
            store.search_many(&[1.0f32; 4], 1, Metric::Cosine),
            Err(VectorError::RaggedFlat {
                len: 4,
                dimension: 3
            })
        ));
        let empty = VectorStore::new(3).unwrap();
        let none = empty
            .search_many(&[1.0f32; 3 * MATRIX_PRODUCT_MIN_QUERIES], 5, Metric::Dot)
            .unwrap();
        assert!(none.iter().all(Vec::is_empty) && none.len() == MATRIX_PRODUCT_MIN_QUERIES);
        assert!(store
            .search_many(&[] as &[f32], 5, Metric::Dot)
            .unwrap()
            .is_empty());
    }
}
