//! Borrowed vectors of either element type the JavaScript side hands over without a copy:
//! `Float32Array` (`f32`) or `Float64Array` and `number[]` (`f64`).

use std::borrow::Cow;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum VectorRef<'a> {
    F32(&'a [f32]),
    F64(&'a [f64]),
}

impl<'a> VectorRef<'a> {
    pub fn len(self) -> usize {
        match self {
            VectorRef::F32(v) => v.len(),
            VectorRef::F64(v) => v.len(),
        }
    }

    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// The `index`-th run of `dimension` values, as when the slice holds row-major rows.
    pub(crate) fn row(self, index: usize, dimension: usize) -> VectorRef<'a> {
        let range = index * dimension..(index + 1) * dimension;
        match self {
            VectorRef::F32(v) => VectorRef::F32(&v[range]),
            VectorRef::F64(v) => VectorRef::F64(&v[range]),
        }
    }

    /// The values as f64: borrowed when they already are, widened (exactly) otherwise.
    pub fn to_f64(self) -> Cow<'a, [f64]> {
        match self {
            VectorRef::F32(v) => Cow::Owned(v.iter().map(|&x| f64::from(x)).collect()),
            VectorRef::F64(v) => Cow::Borrowed(v),
        }
    }
}

impl<'a> From<&'a [f32]> for VectorRef<'a> {
    fn from(v: &'a [f32]) -> Self {
        VectorRef::F32(v)
    }
}

impl<'a> From<&'a [f64]> for VectorRef<'a> {
    fn from(v: &'a [f64]) -> Self {
        VectorRef::F64(v)
    }
}

impl<'a> From<&'a Vec<f32>> for VectorRef<'a> {
    fn from(v: &'a Vec<f32>) -> Self {
        VectorRef::F32(v)
    }
}

impl<'a> From<&'a Vec<f64>> for VectorRef<'a> {
    fn from(v: &'a Vec<f64>) -> Self {
        VectorRef::F64(v)
    }
}

impl<'a, const N: usize> From<&'a [f32; N]> for VectorRef<'a> {
    fn from(v: &'a [f32; N]) -> Self {
        VectorRef::F32(v)
    }
}

impl<'a, const N: usize> From<&'a [f64; N]> for VectorRef<'a> {
    fn from(v: &'a [f64; N]) -> Self {
        VectorRef::F64(v)
    }
}
