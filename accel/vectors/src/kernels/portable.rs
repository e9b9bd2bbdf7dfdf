//! Four f64 lanes in plain Rust: the path for CPUs without the SIMD extensions we dispatch to.
//! The compiler turns the lane arithmetic into whatever vector instructions the build baseline
//! has (SSE2 on x86-64). `mul_add` is an unfused multiply then add: `f64::mul_add` would call a
//! slow software FMA where the hardware has none.

use super::lanes::Lanes;

#[derive(Clone, Copy)]
pub(crate) struct Portable([f64; 4]);

impl Lanes for Portable {
    const WIDTH: usize = 4;

    #[inline(always)]
    unsafe fn zero() -> Self {
        Portable([0.0; 4])
    }

    #[inline(always)]
    unsafe fn load_f32(ptr: *const f32) -> Self {
        let x = ptr.cast::<[f32; 4]>().read_unaligned();
        Portable(x.map(f64::from))
    }

    #[inline(always)]
    unsafe fn load_f64(ptr: *const f64) -> Self {
        Portable(ptr.cast::<[f64; 4]>().read_unaligned())
    }

    #[inline(always)]
    unsafe fn mul_add(a: Self, b: Self, acc: Self) -> Self {
        Portable(std::array::from_fn(|i| a.0[i] * b.0[i] + acc.0[i]))
    }

    #[inline(always)]
    unsafe fn add(a: Self, b: Self) -> Self {
        Portable(std::array::from_fn(|i| a.0[i] + b.0[i]))
    }

    #[inline(always)]
    unsafe fn sub(a: Self, b: Self) -> Self {
        Portable(std::array::from_fn(|i| a.0[i] - b.0[i]))
    }

    #[inline(always)]
    unsafe fn reduce(self) -> f64 {
        (self.0[0] + self.0[1]) + (self.0[2] + self.0[3])
    }
}
