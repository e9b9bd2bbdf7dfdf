//! SIMD kernels chosen at run time: AVX-512F, else AVX2 + FMA on x86-64; NEON on aarch64; a
//! portable path everywhere else. Every kernel accumulates in f64 (see `lanes.rs`).
//!
//! [`Kernels`] is a token proving its instruction set is available on this CPU; only
//! [`Kernels::detected`], [`Kernels::for_isa`] and [`Kernels::available`] create one, which is what
//! makes the `unsafe` calls into `#[target_feature]` code below sound.

mod generic;
pub(crate) mod lanes;
mod portable;
pub(crate) mod sequential;

#[cfg(target_arch = "aarch64")]
mod neon;
#[cfg(target_arch = "x86_64")]
mod x86;

use std::fmt;
use std::sync::OnceLock;

use lanes::Element;

/// An instruction set the kernels are compiled for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Isa {
    /// x86-64 AVX-512F: 8 f64 lanes.
    Avx512,
    /// x86-64 AVX2 with FMA: 4 f64 lanes.
    Avx2Fma,
    /// aarch64 NEON: 2 f64 lanes.
    Neon,
    /// Plain Rust, 4 f64 lanes left to the compiler.
    Portable,
}

impl Isa {
    /// Every variant, best first.
    pub const ALL: [Isa; 4] = [Isa::Avx512, Isa::Avx2Fma, Isa::Neon, Isa::Portable];

    pub fn name(self) -> &'static str {
        match self {
            Isa::Avx512 => "avx512",
            Isa::Avx2Fma => "avx2+fma",
            Isa::Neon => "neon",
            Isa::Portable => "portable",
        }
    }

    /// Whether this CPU can run it.
    pub fn is_supported(self) -> bool {
        match self {
            #[cfg(target_arch = "x86_64")]
            Isa::Avx512 => std::arch::is_x86_feature_detected!("avx512f"),
            #[cfg(target_arch = "x86_64")]
            Isa::Avx2Fma => {
                std::arch::is_x86_feature_detected!("avx2")
                    && std::arch::is_x86_feature_detected!("fma")
            }
            #[cfg(target_arch = "aarch64")]
            Isa::Neon => true,
            Isa::Portable => true,
            #[allow(unreachable_patterns)]
            _ => false,
        }
    }
}

impl fmt::Display for Isa {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The kernels of one instruction set that this CPU supports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Kernels {
    isa: Isa,
}

impl Kernels {
    /// The fastest instruction set of this CPU, detected once: the first of [`Kernels::available`],
    /// except that AVX-512 is passed over where it runs at half width (AMD Zen 4: see
    /// `avx512_is_half_width`).
    pub fn detected() -> Kernels {
        static DETECTED: OnceLock<Kernels> = OnceLock::new();
        *DETECTED.get_or_init(|| {
            let available = Kernels::available();
            available
                .iter()
                .copied()
                .find(|k| !(k.isa == Isa::Avx512 && avx512_is_half_width()))
                .unwrap_or(available[0])
        })
    }

    /// The kernels of `isa`, if this CPU supports it.
    pub fn for_isa(isa: Isa) -> Option<Kernels> {
        isa.is_supported().then_some(Kernels { isa })
    }

    /// Every instruction set this CPU supports, best first (the last is always portable).
    pub fn available() -> Vec<Kernels> {
        Isa::ALL.into_iter().filter_map(Kernels::for_isa).collect()
    }

    pub fn isa(self) -> Isa {
        self.isa
    }
}

/// Whether this CPU executes 512-bit instructions as two 256-bit halves: AMD family 19h (Zen 3
/// and Zen 4; only Zen 4 has AVX-512). There the AVX-512 kernels measured slower than AVX2, since
/// widening f32 to f64 costs twice as much per instruction: a 1,536-d f32 cosine took 238 ns with
/// AVX-512 and 181 ns with AVX2 (`vectors/cosine_similarity/1536-*` in vectors_criterion); scans
/// are bound by memory either way.
#[cfg(target_arch = "x86_64")]
fn avx512_is_half_width() -> bool {
    // SAFETY: `cpuid` exists on every x86-64 CPU. (Safe to call since Rust 1.87; the block keeps
    // the crate building with the workspace's minimum Rust.)
    #[allow(unused_unsafe)]
    let (vendor, signature) = unsafe {
        use std::arch::x86_64::__cpuid;
        (__cpuid(0), __cpuid(1).eax)
    };
    let is_amd = [vendor.ebx, vendor.edx, vendor.ecx] == [0x6874_7541, 0x6974_6e65, 0x444d_4163];
    let family = ((signature >> 8) & 0xf) + ((signature >> 20) & 0xff);
    is_amd && family == 0x19
}

#[cfg(not(target_arch = "x86_64"))]
fn avx512_is_half_width() -> bool {
    false
}

/// Declares, for one lane type, the `#[target_feature]` entry points of every generic kernel.
macro_rules! entry_points {
    ($lanes:ty $(, $feature:literal)?) => {
        $(#[target_feature(enable = $feature)])?
        pub(crate) unsafe fn dot_norms<A: Element, B: Element>(a: &[A], b: &[B]) -> [f64; 3] {
            super::generic::dot_norms::<$lanes, A, B>(a, b)
        }

        $(#[target_feature(enable = $feature)])?
        pub(crate) unsafe fn dot_norm<Q: Element, R: Element>(q: &[Q], r: &[R]) -> [f64; 2] {
            super::generic::dot_norm::<$lanes, Q, R>(q, r)
        }

        $(#[target_feature(enable = $feature)])?
        pub(crate) unsafe fn dot<Q: Element, R: Element>(q: &[Q], r: &[R]) -> f64 {
            super::generic::dot::<$lanes, Q, R>(q, r)
        }

        $(#[target_feature(enable = $feature)])?
        pub(crate) unsafe fn squared_distance<A: Element, B: Element>(a: &[A], b: &[B]) -> f64 {
            super::generic::squared_distance::<$lanes, A, B>(a, b)
        }

        $(#[target_feature(enable = $feature)])?
        pub(crate) unsafe fn sum_squares<A: Element>(a: &[A]) -> f64 {
            super::generic::sum_squares::<$lanes, A>(a)
        }
    };
}

#[cfg(target_arch = "x86_64")]
mod avx512_entry {
    use super::lanes::Element;
    entry_points!(super::x86::Avx512, "avx512f");
}

#[cfg(target_arch = "x86_64")]
mod avx2_entry {
    use super::lanes::Element;
    entry_points!(super::x86::Avx2, "avx2,fma");
}

#[cfg(target_arch = "aarch64")]
mod neon_entry {
    use super::lanes::Element;
    entry_points!(super::neon::Neon, "neon");
}

mod portable_entry {
    use super::lanes::Element;
    entry_points!(super::portable::Portable);
}

/// Calls `$kernel` of the token's instruction set with `$args`.
macro_rules! dispatch {
    ($self:ident, $kernel:ident($($arg:expr),*)) => {
        // SAFETY: a `Kernels` only exists for an instruction set this CPU supports (see
        // `Kernels::for_isa`), and every caller checks that paired slices have equal lengths.
        unsafe {
            match $self.isa {
                #[cfg(target_arch = "x86_64")]
                Isa::Avx512 => avx512_entry::$kernel($($arg),*),
                #[cfg(target_arch = "x86_64")]
                Isa::Avx2Fma => avx2_entry::$kernel($($arg),*),
                #[cfg(target_arch = "aarch64")]
                Isa::Neon => neon_entry::$kernel($($arg),*),
                _ => portable_entry::$kernel($($arg),*),
            }
        }
    };
}

/// The raw sums; the callers in `similarity.rs`, `batch.rs` and `store.rs` turn them into scores.
impl Kernels {
    pub(crate) fn dot_norms<A: Element, B: Element>(self, a: &[A], b: &[B]) -> [f64; 3] {
        assert_eq!(a.len(), b.len(), "dot_norms of unequal lengths");
        dispatch!(self, dot_norms(a, b))
    }

    pub(crate) fn dot_norm<Q: Element, R: Element>(self, q: &[Q], r: &[R]) -> [f64; 2] {
        assert_eq!(q.len(), r.len(), "dot_norm of unequal lengths");
        dispatch!(self, dot_norm(q, r))
    }

    pub(crate) fn dot<Q: Element, R: Element>(self, q: &[Q], r: &[R]) -> f64 {
        assert_eq!(q.len(), r.len(), "dot of unequal lengths");
        dispatch!(self, dot(q, r))
    }

    pub(crate) fn squared_distance<A: Element, B: Element>(self, a: &[A], b: &[B]) -> f64 {
        assert_eq!(a.len(), b.len(), "squared_distance of unequal lengths");
        dispatch!(self, squared_distance(a, b))
    }

    pub(crate) fn sum_squares<A: Element>(self, a: &[A]) -> f64 {
        dispatch!(self, sum_squares(a))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ramp(n: usize, scale: f32) -> Vec<f32> {
        (0..n)
            .map(|i| ((i * 7919) % 113) as f32 * scale - 3.0)
            .collect()
    }

    #[test]
    fn portable_is_always_available_and_last() {
        let available = Kernels::available();
        assert_eq!(available.last().unwrap().isa(), Isa::Portable);
        assert!(available.contains(&Kernels::detected()));
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn detection_agrees_with_the_cpu() {
        let avx512 = std::arch::is_x86_feature_detected!("avx512f");
        assert_eq!(Kernels::for_isa(Isa::Avx512).is_some(), avx512);
        assert!(Kernels::for_isa(Isa::Neon).is_none());
        let want = if avx512 && !avx512_is_half_width() {
            Isa::Avx512
        } else if Kernels::for_isa(Isa::Avx2Fma).is_some() {
            Isa::Avx2Fma
        } else {
            Isa::Portable
        };
        assert_eq!(Kernels::detected().isa(), want);
    }

    /// Every length around the unroll and lane boundaries, on every available instruction set.
    #[test]
    fn every_kernel_matches_the_sequential_sums_at_every_length() {
        for kernels in Kernels::available() {
            for n in 0..80 {
                let (a, b) = (ramp(n, 0.25), ramp(n + 5, -0.5)[5..].to_vec());
                let b64: Vec<f64> = b.iter().map(|&x| f64::from(x)).collect();
                let close = |x: f64, y: f64| (x - y).abs() <= 1e-12 * (1.0 + y.abs());
                let got = kernels.dot_norms(&a, &b);
                let want = sequential::dot_norms(&a, &b);
                for i in 0..3 {
                    assert!(
                        close(got[i], want[i]),
                        "{} n={n} {got:?} {want:?}",
                        kernels.isa()
                    );
                }
                let [dot, rr] = kernels.dot_norm(&b64, &a);
                assert!(
                    close(dot, want[0]) && close(rr, want[1]),
                    "{} n={n}",
                    kernels.isa()
                );
                assert!(
                    close(kernels.dot(&b64, &a), want[0]),
                    "{} n={n}",
                    kernels.isa()
                );
                assert!(close(
                    kernels.squared_distance(&a, &b),
                    sequential::squared_distance(&a, &b)
                ));
                assert!(close(
                    kernels.squared_distance(&b64, &a),
                    sequential::squared_distance(&a, &b)
                ));
                assert!(close(kernels.sum_squares(&a), want[1]));
                assert!(close(kernels.sum_squares(&b64), want[2]));
            }
        }
    }

    #[test]
    #[should_panic(expected = "unequal lengths")]
    fn unequal_lengths_panic_before_any_unsafe_read() {
        Kernels::detected().dot(&[1.0f64, 2.0], &[1.0f32]);
    }
}
