//! The two abstractions every kernel is written against: [`Element`], what a vector holds (`f32`
//! embeddings or `f64` JavaScript numbers), and [`Lanes`], a register of f64 lanes on one
//! instruction set. Kernels widen every element to f64 as they load it, so arithmetic is always
//! in double precision, as the JavaScript fallback's is.

mod sealed {
    pub trait Sealed {}
    impl Sealed for f32 {}
    impl Sealed for f64 {}
}

/// A vector element type the kernels read.
pub(crate) trait Element: Copy + Send + Sync + sealed::Sealed + 'static {
    fn widen(self) -> f64;

    /// Loads `L::WIDTH` consecutive elements from `ptr`, widened to f64.
    ///
    /// # Safety
    /// `ptr` must be valid for reading `L::WIDTH` elements, and `L`'s instruction set enabled.
    unsafe fn load<L: Lanes>(ptr: *const Self) -> L;
}

impl Element for f32 {
    #[inline(always)]
    fn widen(self) -> f64 {
        f64::from(self)
    }

    #[inline(always)]
    unsafe fn load<L: Lanes>(ptr: *const f32) -> L {
        L::load_f32(ptr)
    }
}

impl Element for f64 {
    #[inline(always)]
    fn widen(self) -> f64 {
        self
    }

    #[inline(always)]
    unsafe fn load<L: Lanes>(ptr: *const f64) -> L {
        L::load_f64(ptr)
    }
}

/// `WIDTH` f64 lanes of one instruction set. Every method is `#[inline(always)]` in its
/// implementation, so that it compiles into the `#[target_feature]` function that calls it.
///
/// # Safety
/// Callers must only use an implementation whose instruction set the CPU supports; the pointer
/// arguments must be valid for `WIDTH` elements.
pub(crate) trait Lanes: Copy {
    const WIDTH: usize;
    unsafe fn zero() -> Self;
    unsafe fn load_f32(ptr: *const f32) -> Self;
    unsafe fn load_f64(ptr: *const f64) -> Self;
    /// `a * b + acc`, fused where the instruction set has FMA.
    unsafe fn mul_add(a: Self, b: Self, acc: Self) -> Self;
    unsafe fn add(a: Self, b: Self) -> Self;
    unsafe fn sub(a: Self, b: Self) -> Self;
    /// The sum of the lanes.
    unsafe fn reduce(self) -> f64;
}
