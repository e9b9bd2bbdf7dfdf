//! Cosine similarity, euclidean distance and dot product of two vectors, with the JavaScript
//! fallback's formulas (`dot / (sqrt(|a|²) · sqrt(|b|²))`, 0 for a zero magnitude).
//!
//! The SIMD kernels sum in another order than the fallback's single left-to-right accumulator.
//! In f64 that moves a sum by at most `n · 2⁻⁵³` of its magnitude — unless a value is NaN or
//! infinite, a partial sum overflows, or products underflow into subnormals, where order can
//! change the answer outright (NaN vs. a number, infinity vs. a finite value). Those cases are
//! recognised from the sums of squares (Cauchy–Schwarz bounds every partial dot product by them)
//! and recomputed with the fallback's own loop, so they come out bit-identical. `f32` inputs
//! never reach either limit (their squares lie within 2e-90..1.2e77); only NaN and infinities do.

use crate::error::{same_dimension, VectorError};
use crate::kernels::{sequential, Kernels};
use crate::vector::VectorRef;

/// Sums of squares in `{0} ∪ [SAFE_MIN, SAFE_MAX)` are summed to the same value, up to rounding,
/// in any order. Outside: NaN, infinity, overflow within reach, or precision lost to subnormals.
const SAFE_MIN: f64 = 1e-250;
const SAFE_MAX: f64 = 1e300;

pub(crate) fn order_insensitive(sum_of_squares: f64) -> bool {
    sum_of_squares == 0.0 || (SAFE_MIN..SAFE_MAX).contains(&sum_of_squares)
}

/// The fallback's cosine from `[a·b, a·a, b·b]`.
pub(crate) fn cosine_from([dot, aa, bb]: [f64; 3]) -> f64 {
    let magnitude = aa.sqrt() * bb.sqrt();
    if magnitude == 0.0 {
        0.0
    } else {
        dot / magnitude
    }
}

/// Runs `$body` with `$x`, `$y` bound to the typed slices of two [`VectorRef`]s.
macro_rules! on_pair {
    ($a:expr, $b:expr, |$x:ident, $y:ident| $body:expr) => {
        match ($a, $b) {
            (VectorRef::F32($x), VectorRef::F32($y)) => $body,
            (VectorRef::F32($x), VectorRef::F64($y)) => $body,
            (VectorRef::F64($x), VectorRef::F32($y)) => $body,
            (VectorRef::F64($x), VectorRef::F64($y)) => $body,
        }
    };
}
pub(crate) use on_pair;

impl Kernels {
    /// `[a·b, a·a, b·b]`, recomputed in the fallback's order when order could matter.
    pub(crate) fn checked_dot_norms(self, a: VectorRef<'_>, b: VectorRef<'_>) -> [f64; 3] {
        on_pair!(a, b, |x, y| {
            let sums = self.dot_norms(x, y);
            if order_insensitive(sums[1]) && order_insensitive(sums[2]) {
                sums
            } else {
                sequential::dot_norms(x, y)
            }
        })
    }

    /// The cosine of the angle between `a` and `b`; 0 when either has zero magnitude.
    pub fn cosine_similarity<'a>(
        self,
        a: impl Into<VectorRef<'a>>,
        b: impl Into<VectorRef<'a>>,
    ) -> Result<f64, VectorError> {
        let (a, b) = (a.into(), b.into());
        same_dimension(a.len(), b.len())?;
        Ok(cosine_from(self.checked_dot_norms(a, b)))
    }

    /// `a·b`.
    pub fn dot_product<'a>(
        self,
        a: impl Into<VectorRef<'a>>,
        b: impl Into<VectorRef<'a>>,
    ) -> Result<f64, VectorError> {
        let (a, b) = (a.into(), b.into());
        same_dimension(a.len(), b.len())?;
        Ok(self.checked_dot_norms(a, b)[0])
    }

    /// `sqrt(Σ (a_i - b_i)²)`.
    pub fn euclidean_distance<'a>(
        self,
        a: impl Into<VectorRef<'a>>,
        b: impl Into<VectorRef<'a>>,
    ) -> Result<f64, VectorError> {
        let (a, b) = (a.into(), b.into());
        same_dimension(a.len(), b.len())?;
        Ok(on_pair!(a, b, |x, y| self.checked_squared_distance(x, y)).sqrt())
    }

    pub(crate) fn checked_squared_distance<
        A: crate::kernels::lanes::Element,
        B: crate::kernels::lanes::Element,
    >(
        self,
        a: &[A],
        b: &[B],
    ) -> f64 {
        let sum = self.squared_distance(a, b);
        if order_insensitive(sum) {
            sum
        } else {
            sequential::squared_distance(a, b)
        }
    }
}

/// [`Kernels::cosine_similarity`] on this CPU's best kernels.
pub fn cosine_similarity<'a>(
    a: impl Into<VectorRef<'a>>,
    b: impl Into<VectorRef<'a>>,
) -> Result<f64, VectorError> {
    Kernels::detected().cosine_similarity(a, b)
}

/// [`Kernels::dot_product`] on this CPU's best kernels.
pub fn dot_product<'a>(
    a: impl Into<VectorRef<'a>>,
    b: impl Into<VectorRef<'a>>,
) -> Result<f64, VectorError> {
    Kernels::detected().dot_product(a, b)
}

/// [`Kernels::euclidean_distance`] on this CPU's best kernels.
pub fn euclidean_distance<'a>(
    a: impl Into<VectorRef<'a>>,
    b: impl Into<VectorRef<'a>>,
) -> Result<f64, VectorError> {
    Kernels::detected().euclidean_distance(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples() {
        let k = Kernels::detected();
        assert_eq!(k.cosine_similarity(&[1.0f32, 0.0], &[0.0f32, 1.0]), Ok(0.0));
        assert_eq!(k.cosine_similarity(&[2.0f32, 0.0], &[3.0f32, 0.0]), Ok(1.0));
        assert_eq!(
            k.cosine_similarity(&[3.0f32, 4.0], &[-3.0f32, -4.0]),
            Ok(-1.0)
        );
        assert_eq!(
            k.euclidean_distance(&[0.0f32, 3.0], &[4.0f32, 0.0]),
            Ok(5.0)
        );
        assert_eq!(
            k.dot_product(&[1.0f64, 2.0, 3.0], &[4.0f32, 5.0, 6.0]),
            Ok(32.0)
        );
    }

    #[test]
    fn zero_magnitude_and_empty_vectors_give_zero() {
        let k = Kernels::detected();
        assert_eq!(
            k.cosine_similarity(&[0.0f32; 3], &[1.0f32, 2.0, 3.0]),
            Ok(0.0)
        );
        assert_eq!(
            k.cosine_similarity(&[] as &[f32; 0], &[] as &[f32; 0]),
            Ok(0.0)
        );
        assert_eq!(
            k.euclidean_distance(&[] as &[f64; 0], &[] as &[f64; 0]),
            Ok(0.0)
        );
    }

    #[test]
    fn different_dimensions_are_an_error_with_the_api_message() {
        let err = cosine_similarity(&[1.0f32, 2.0], &[1.0f32]).unwrap_err();
        assert_eq!(
            err,
            VectorError::DimensionMismatch {
                expected: 2,
                actual: 1
            }
        );
        assert_eq!(err.to_string(), "Vectors must have same dimension");
        assert!(euclidean_distance(&[1.0f64], &[1.0f32, 2.0]).is_err());
    }

    #[test]
    fn special_values_follow_the_sequential_loop() {
        for k in Kernels::available() {
            let nan = k
                .cosine_similarity(&[f32::NAN, 1.0], &[1.0f32, 1.0])
                .unwrap();
            assert!(nan.is_nan(), "{}", k.isa());
            // |a|² = ∞ and a·b = ∞: ∞/∞.
            let inf = k
                .cosine_similarity(&[f32::INFINITY, 1.0], &[1.0f32, 1.0])
                .unwrap();
            assert!(inf.is_nan(), "{}", k.isa());
            let d = k.euclidean_distance(&[f32::INFINITY], &[0.0f32]).unwrap();
            assert_eq!(d, f64::INFINITY);
            // An infinite difference of finite f64 values overflows in either order.
            let d = k
                .euclidean_distance(&[f64::MAX, 0.0], &[-f64::MAX, 0.0])
                .unwrap();
            assert_eq!(d, f64::INFINITY);
        }
    }

    /// f64 squares near the top of the range: whatever the lanes make of them, the answer is
    /// the sequential loop's.
    #[test]
    fn overflowing_sums_are_decided_sequentially() {
        let big = 1.0e154_f64;
        // Squares near 1e308: the sequential sum overflows at the second term.
        let a = [
            big * 1.2,
            big * 1.2,
            big * 1.2,
            big * 1.2,
            1.0,
            1.0,
            1.0,
            1.0,
        ];
        let want = {
            let [dot, aa, bb] = sequential::dot_norms(&a, &a);
            cosine_from([dot, aa, bb])
        };
        for k in Kernels::available() {
            let got = k.cosine_similarity(&a, &a).unwrap();
            assert!(got.to_bits() == want.to_bits() || (got.is_nan() && want.is_nan()));
        }
    }

    #[test]
    fn subnormal_products_are_decided_sequentially() {
        let a: Vec<f64> = (0..37).map(|i| 1e-160 * (i as f64 + 1.0)).collect();
        let b: Vec<f64> = (0..37).map(|i| 3e-161 * (37.0 - i as f64)).collect();
        let want = cosine_from(sequential::dot_norms(&a, &b));
        for k in Kernels::available() {
            assert_eq!(
                k.cosine_similarity(&a, &b).unwrap().to_bits(),
                want.to_bits()
            );
        }
    }
}
