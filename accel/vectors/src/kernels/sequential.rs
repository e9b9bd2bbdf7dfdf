//! The JavaScript fallback's loops, operation for operation: one accumulator, left to right,
//! a multiply then an add (never fused). Their results are bit-identical to the fallback's, so the
//! SIMD paths defer to them whenever a sum leaves the range where summation order cannot change
//! more than the last bits (NaN, infinities, overflow, f64 underflow; see `similarity.rs`).

use super::lanes::Element;

pub(crate) fn dot_norms<A: Element, B: Element>(a: &[A], b: &[B]) -> [f64; 3] {
    let mut out = [0.0; 3];
    for (x, y) in a.iter().zip(b) {
        let (x, y) = (x.widen(), y.widen());
        out[0] += x * y;
        out[1] += x * x;
        out[2] += y * y;
    }
    out
}

pub(crate) fn dot<A: Element, B: Element>(a: &[A], b: &[B]) -> f64 {
    let mut out = 0.0;
    for (x, y) in a.iter().zip(b) {
        out += x.widen() * y.widen();
    }
    out
}

pub(crate) fn squared_distance<A: Element, B: Element>(a: &[A], b: &[B]) -> f64 {
    let mut out = 0.0;
    for (x, y) in a.iter().zip(b) {
        let d = x.widen() - y.widen();
        out += d * d;
    }
    out
}
