//! x86-64 lanes: AVX2 with FMA (4 f64 lanes) and AVX-512F (8 f64 lanes). f32 inputs are widened
//! with `vcvtps2pd` as they are loaded. Used only after runtime detection (`Isa::detect`).

use std::arch::x86_64::*;

use super::lanes::Lanes;

#[derive(Clone, Copy)]
pub(crate) struct Avx2(__m256d);

impl Lanes for Avx2 {
    const WIDTH: usize = 4;

    #[inline(always)]
    unsafe fn zero() -> Self {
        Avx2(_mm256_setzero_pd())
    }

    #[inline(always)]
    unsafe fn load_f32(ptr: *const f32) -> Self {
        Avx2(_mm256_cvtps_pd(_mm_loadu_ps(ptr)))
    }

    #[inline(always)]
    unsafe fn load_f64(ptr: *const f64) -> Self {
        Avx2(_mm256_loadu_pd(ptr))
    }

    #[inline(always)]
    unsafe fn mul_add(a: Self, b: Self, acc: Self) -> Self {
        Avx2(_mm256_fmadd_pd(a.0, b.0, acc.0))
    }

    #[inline(always)]
    unsafe fn add(a: Self, b: Self) -> Self {
        Avx2(_mm256_add_pd(a.0, b.0))
    }

    #[inline(always)]
    unsafe fn sub(a: Self, b: Self) -> Self {
        Avx2(_mm256_sub_pd(a.0, b.0))
    }

    #[inline(always)]
    unsafe fn reduce(self) -> f64 {
        let pairs = _mm_add_pd(
            _mm256_castpd256_pd128(self.0),
            _mm256_extractf128_pd(self.0, 1),
        );
        _mm_cvtsd_f64(_mm_add_sd(pairs, _mm_unpackhi_pd(pairs, pairs)))
    }
}

#[derive(Clone, Copy)]
pub(crate) struct Avx512(__m512d);

impl Lanes for Avx512 {
    const WIDTH: usize = 8;

    #[inline(always)]
    unsafe fn zero() -> Self {
        Avx512(_mm512_setzero_pd())
    }

    #[inline(always)]
    unsafe fn load_f32(ptr: *const f32) -> Self {
        Avx512(_mm512_cvtps_pd(_mm256_loadu_ps(ptr)))
    }

    #[inline(always)]
    unsafe fn load_f64(ptr: *const f64) -> Self {
        Avx512(_mm512_loadu_pd(ptr))
    }

    #[inline(always)]
    unsafe fn mul_add(a: Self, b: Self, acc: Self) -> Self {
        Avx512(_mm512_fmadd_pd(a.0, b.0, acc.0))
    }

    #[inline(always)]
    unsafe fn add(a: Self, b: Self) -> Self {
        Avx512(_mm512_add_pd(a.0, b.0))
    }

    #[inline(always)]
    unsafe fn sub(a: Self, b: Self) -> Self {
        Avx512(_mm512_sub_pd(a.0, b.0))
    }

    #[inline(always)]
    unsafe fn reduce(self) -> f64 {
        _mm512_reduce_add_pd(self.0)
    }
}
