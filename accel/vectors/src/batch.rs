//! One query against many targets: `cosineSimilarityBatch`. A [`CosineQuery`] widens the query to
//! f64 and takes its norm once; each target then costs one pass computing `q·t` and `t·t`.

use std::borrow::Cow;

use crate::error::VectorError;
use crate::kernels::{sequential, Kernels};
use crate::parallel::{for_each_chunk, PARALLEL_MIN_VALUES};
use crate::similarity::{cosine_from, on_pair, order_insensitive};
use crate::vector::VectorRef;

/// A query prepared for scoring many targets by cosine similarity.
pub struct CosineQuery<'q> {
    kernels: Kernels,
    query: VectorRef<'q>,
    wide: Cow<'q, [f64]>,
    qq: f64,
    /// Whether `|q|²` allows the SIMD sums (see `similarity.rs`).
    in_range: bool,
}

impl<'q> CosineQuery<'q> {
    pub fn new(kernels: Kernels, query: VectorRef<'q>) -> Self {
        let wide = query.to_f64();
        let qq = kernels.sum_squares(&wide);
        CosineQuery {
            kernels,
            query,
            wide,
            qq,
            in_range: order_insensitive(qq),
        }
    }

    pub fn dimension(&self) -> usize {
        self.query.len()
    }

    /// The cosine similarity of the query and `target`, which must have its dimension.
    pub fn score(&self, target: VectorRef<'_>) -> Result<f64, VectorError> {
        if target.len() != self.dimension() {
            return Err(VectorError::DimensionMismatch {
                expected: self.dimension(),
                actual: target.len(),
            });
        }
        let [dot, tt] = match target {
            VectorRef::F32(t) => self.kernels.dot_norm(&self.wide, t),
            VectorRef::F64(t) => self.kernels.dot_norm(&self.wide, t),
        };
        Ok(if self.in_range && order_insensitive(tt) {
            cosine_from([dot, self.qq, tt])
        } else {
            cosine_from(on_pair!(self.query, target, |x, y| sequential::dot_norms(
                x, y
            )))
        })
    }

    /// `out[i]` = the score of `targets[i]`, on the calling thread. Fails, before writing
    /// anything, on the first target of another dimension.
    ///
    /// # Panics
    /// When `out` and `targets` differ in length.
    pub fn score_into(
        &self,
        targets: &[VectorRef<'_>],
        out: &mut [f64],
    ) -> Result<(), VectorError> {
        assert_eq!(targets.len(), out.len(), "one output per target");
        check_dimensions(self.dimension(), targets)?;
        for (target, score) in targets.iter().zip(out) {
            *score = self.score(*target)?;
        }
        Ok(())
    }
}

fn check_dimensions(dimension: usize, targets: &[VectorRef<'_>]) -> Result<(), VectorError> {
    match targets
        .iter()
        .enumerate()
        .find(|(_, t)| t.len() != dimension)
    {
        Some((index, target)) => Err(VectorError::TargetDimensionMismatch {
            index,
            expected: dimension,
            actual: target.len(),
        }),
        None => Ok(()),
    }
}

impl Kernels {
    /// `out[i]` = cosine similarity of `query` and `targets[i]`. Fails, before computing anything,
    /// on the first target whose dimension differs from the query's. Large batches use every core.
    ///
    /// # Panics
    /// When `out` and `targets` differ in length.
    pub fn cosine_similarity_batch(
        self,
        query: VectorRef<'_>,
        targets: &[VectorRef<'_>],
        out: &mut [f64],
    ) -> Result<(), VectorError> {
        assert_eq!(targets.len(), out.len(), "one output per target");
        check_dimensions(query.len(), targets)?;
        let prepared = CosineQuery::new(self, query);
        let parallel = targets.len().saturating_mul(query.len()) >= PARALLEL_MIN_VALUES;
        for_each_chunk(targets, out, parallel, |targets, out| {
            prepared
                .score_into(targets, out)
                .expect("dimensions were checked");
        });
        Ok(())
    }
}

/// [`Kernels::cosine_similarity_batch`] on this CPU's best kernels.
pub fn cosine_similarity_batch(
    query: VectorRef<'_>,
    targets: &[VectorRef<'_>],
    out: &mut [f64],
) -> Result<(), VectorError> {
    Kernels::detected().cosine_similarity_batch(query, targets, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equals_pairwise_cosine() {
        let query = [1.0f32, 2.0, 3.0];
        let a = [3.0f32, 2.0, 1.0];
        let b = [1.0f64, 2.0, 3.0];
        let zero = [0.0f32; 3];
        let targets = [
            VectorRef::from(&a),
            VectorRef::from(&b),
            VectorRef::from(&zero),
        ];
        let mut out = [f64::NAN; 3];
        cosine_similarity_batch(VectorRef::from(&query), &targets, &mut out).unwrap();
        for (target, got) in targets.iter().zip(out) {
            let want = crate::cosine_similarity(VectorRef::from(&query), *target).unwrap();
            assert!((got - want).abs() < 1e-15, "{got} {want}");
        }
        assert_eq!(out[2], 0.0);
    }

    #[test]
    fn the_first_mismatching_target_is_named() {
        let (q, ok, short) = ([1.0f32, 2.0], [1.0f32, 0.0], [1.0f32]);
        let targets = [
            VectorRef::from(&ok),
            VectorRef::from(&short),
            VectorRef::from(&short),
        ];
        let err =
            cosine_similarity_batch(VectorRef::from(&q), &targets, &mut [0.0; 3]).unwrap_err();
        assert_eq!(
            err,
            VectorError::TargetDimensionMismatch {
                index: 1,
                expected: 2,
                actual: 1
            }
        );
        assert_eq!(err.to_string(), "Vectors must have same dimension");
        let mut out = [7.0; 3];
        let prepared = CosineQuery::new(Kernels::detected(), VectorRef::from(&q));
        assert!(prepared.score_into(&targets, &mut out).is_err());
        assert_eq!(out, [7.0; 3], "nothing is written before the check");
        assert!(prepared.score(VectorRef::from(&short)).is_err());
    }

    #[test]
    fn an_empty_batch_is_empty() {
        cosine_similarity_batch(VectorRef::F32(&[1.0]), &[], &mut []).unwrap();
    }
}
