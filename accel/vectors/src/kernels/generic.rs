//! The kernel bodies, written once against [`Lanes`] and instantiated per instruction set by the
//! `#[target_feature]` entry points in `kernels/mod.rs`. Each keeps `UNROLL` independent
//! accumulators per quantity so that consecutive FMAs do not wait on each other, then a
//! `Lanes::WIDTH` loop, then a scalar tail.
//!
//! All of them are `#[inline(always)]`: they must be compiled inside the caller's instruction set.

use super::lanes::{Element, Lanes};

const UNROLL: usize = 4;

#[inline(always)]
unsafe fn reduce_all<L: Lanes>(acc: [L; UNROLL]) -> f64 {
    L::add(L::add(acc[0], acc[1]), L::add(acc[2], acc[3])).reduce()
}

/// `[a·b, a·a, b·b]`.
///
/// # Safety
/// `L`'s instruction set must be enabled; `a.len() == b.len()`.
#[inline(always)]
pub(crate) unsafe fn dot_norms<L: Lanes, A: Element, B: Element>(a: &[A], b: &[B]) -> [f64; 3] {
    debug_assert_eq!(a.len(), b.len());
    let n = a.len();
    let (pa, pb) = (a.as_ptr(), b.as_ptr());
    let mut dot = [L::zero(); UNROLL];
    let mut aa = [L::zero(); UNROLL];
    let mut bb = [L::zero(); UNROLL];
    let mut i = 0;
    while i + UNROLL * L::WIDTH <= n {
        for u in 0..UNROLL {
            let x = A::load::<L>(pa.add(i + u * L::WIDTH));
            let y = B::load::<L>(pb.add(i + u * L::WIDTH));
            dot[u] = L::mul_add(x, y, dot[u]);
            aa[u] = L::mul_add(x, x, aa[u]);
            bb[u] = L::mul_add(y, y, bb[u]);
        }
        i += UNROLL * L::WIDTH;
    }
    while i + L::WIDTH <= n {
        let x = A::load::<L>(pa.add(i));
        let y = B::load::<L>(pb.add(i));
        dot[0] = L::mul_add(x, y, dot[0]);
        aa[0] = L::mul_add(x, x, aa[0]);
        bb[0] = L::mul_add(y, y, bb[0]);
        i += L::WIDTH;
    }
    let mut out = [reduce_all(dot), reduce_all(aa), reduce_all(bb)];
    for j in i..n {
        let (x, y) = (a[j].widen(), b[j].widen());
        out[0] += x * y;
        out[1] += x * x;
        out[2] += y * y;
    }
    out
}

/// `[q·r, r·r]`: one target of a batch, whose query norm is known.
///
/// # Safety
/// As [`dot_norms`].
#[inline(always)]
pub(crate) unsafe fn dot_norm<L: Lanes, Q: Element, R: Element>(q: &[Q], r: &[R]) -> [f64; 2] {
    debug_assert_eq!(q.len(), r.len());
    let n = q.len();
    let (pq, pr) = (q.as_ptr(), r.as_ptr());
    let mut dot = [L::zero(); UNROLL];
    let mut rr = [L::zero(); UNROLL];
    let mut i = 0;
    while i + UNROLL * L::WIDTH <= n {
        for u in 0..UNROLL {
            let x = Q::load::<L>(pq.add(i + u * L::WIDTH));
            let y = R::load::<L>(pr.add(i + u * L::WIDTH));
            dot[u] = L::mul_add(x, y, dot[u]);
            rr[u] = L::mul_add(y, y, rr[u]);
        }
        i += UNROLL * L::WIDTH;
    }
    while i + L::WIDTH <= n {
        let x = Q::load::<L>(pq.add(i));
        let y = R::load::<L>(pr.add(i));
        dot[0] = L::mul_add(x, y, dot[0]);
        rr[0] = L::mul_add(y, y, rr[0]);
        i += L::WIDTH;
    }
    let mut out = [reduce_all(dot), reduce_all(rr)];
    for j in i..n {
        let (x, y) = (q[j].widen(), r[j].widen());
        out[0] += x * y;
        out[1] += y * y;
    }
    out
}

/// `q·r`.
///
/// # Safety
/// As [`dot_norms`].
#[inline(always)]
pub(crate) unsafe fn dot<L: Lanes, Q: Element, R: Element>(q: &[Q], r: &[R]) -> f64 {
    debug_assert_eq!(q.len(), r.len());
    let n = q.len();
    let (pq, pr) = (q.as_ptr(), r.as_ptr());
    let mut acc = [L::zero(); UNROLL];
    let mut i = 0;
    while i + UNROLL * L::WIDTH <= n {
        for (u, acc) in acc.iter_mut().enumerate() {
            let x = Q::load::<L>(pq.add(i + u * L::WIDTH));
            let y = R::load::<L>(pr.add(i + u * L::WIDTH));
            *acc = L::mul_add(x, y, *acc);
        }
        i += UNROLL * L::WIDTH;
    }
    while i + L::WIDTH <= n {
        acc[0] = L::mul_add(Q::load::<L>(pq.add(i)), R::load::<L>(pr.add(i)), acc[0]);
        i += L::WIDTH;
    }
    let mut out = reduce_all(acc);
    for j in i..n {
        out += q[j].widen() * r[j].widen();
    }
    out
}

/// `Σ (a_i - b_i)²`, each difference taken in f64 as JavaScript takes it.
///
/// # Safety
/// As [`dot_norms`].
#[inline(always)]
pub(crate) unsafe fn squared_distance<L: Lanes, A: Element, B: Element>(a: &[A], b: &[B]) -> f64 {
    debug_assert_eq!(a.len(), b.len());
    let n = a.len();
    let (pa, pb) = (a.as_ptr(), b.as_ptr());
    let mut acc = [L::zero(); UNROLL];
    let mut i = 0;
    while i + UNROLL * L::WIDTH <= n {
        for (u, acc) in acc.iter_mut().enumerate() {
            let d = L::sub(
                A::load::<L>(pa.add(i + u * L::WIDTH)),
                B::load::<L>(pb.add(i + u * L::WIDTH)),
            );
            *acc = L::mul_add(d, d, *acc);
        }
        i += UNROLL * L::WIDTH;
    }
    while i + L::WIDTH <= n {
        let d = L::sub(A::load::<L>(pa.add(i)), B::load::<L>(pb.add(i)));
        acc[0] = L::mul_add(d, d, acc[0]);
        i += L::WIDTH;
    }
    let mut out = reduce_all(acc);
    for j in i..n {
        let d = a[j].widen() - b[j].widen();
        out += d * d;
    }
    out
}

/// `Σ a_i²`.
///
/// # Safety
/// `L`'s instruction set must be enabled.
#[inline(always)]
pub(crate) unsafe fn sum_squares<L: Lanes, A: Element>(a: &[A]) -> f64 {
    let n = a.len();
    let pa = a.as_ptr();
    let mut acc = [L::zero(); UNROLL];
    let mut i = 0;
    while i + UNROLL * L::WIDTH <= n {
        for (u, acc) in acc.iter_mut().enumerate() {
            let x = A::load::<L>(pa.add(i + u * L::WIDTH));
            *acc = L::mul_add(x, x, *acc);
        }
        i += UNROLL * L::WIDTH;
    }
    while i + L::WIDTH <= n {
        let x = A::load::<L>(pa.add(i));
        acc[0] = L::mul_add(x, x, acc[0]);
        i += L::WIDTH;
    }
    let mut out = reduce_all(acc);
    for x in &a[i..] {
        let x = x.widen();
        out += x * x;
    }
    out
}
