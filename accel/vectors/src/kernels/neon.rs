//! aarch64 lanes: NEON (2 f64 lanes), part of the aarch64 baseline, so no detection is needed.
//! f32 inputs are widened with `fcvtl` as they are loaded.

use std::arch::aarch64::*;

use super::lanes::Lanes;

#[derive(Clone, Copy)]
pub(crate) struct Neon(float64x2_t);

impl Lanes for Neon {
    const WIDTH: usize = 2;

    #[inline(always)]
    unsafe fn zero() -> Self {
        Neon(vdupq_n_f64(0.0))
    }

    #[inline(always)]
    unsafe fn load_f32(ptr: *const f32) -> Self {
        Neon(vcvt_f64_f32(vld1_f32(ptr)))
    }

    #[inline(always)]
    unsafe fn load_f64(ptr: *const f64) -> Self {
        Neon(vld1q_f64(ptr))
    }

    #[inline(always)]
    unsafe fn mul_add(a: Self, b: Self, acc: Self) -> Self {
        Neon(vfmaq_f64(acc.0, a.0, b.0))
    }

    #[inline(always)]
    unsafe fn add(a: Self, b: Self) -> Self {
        Neon(vaddq_f64(a.0, b.0))
    }

    #[inline(always)]
    unsafe fn sub(a: Self, b: Self) -> Self {
        Neon(vsubq_f64(a.0, b.0))
    }

    #[inline(always)]
    unsafe fn reduce(self) -> f64 {
        vaddvq_f64(self.0)
    }
}
