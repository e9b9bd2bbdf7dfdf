//! Random inputs shared by the engines' own property tests and the live-oracle tests, so both
//! draw from the inputs the contracts name (`oracle/CONTRACTS.md`).

use proptest::prelude::*;

/// A float32 of any magnitude, subnormal through the largest finite, either sign.
pub fn any_magnitude_f32() -> impl Strategy<Value = f32> {
    (any::<bool>(), 0u32..=254, 0u32..(1 << 23)).prop_map(|(negative, exponent, mantissa)| {
        f32::from_bits(u32::from(negative) << 31 | exponent << 23 | mantissa)
    })
}

/// Mostly ordinary values, with every magnitude, zeros and the float32 edges mixed in.
pub fn vector_element() -> impl Strategy<Value = f32> {
    prop_oneof![
        8 => -1.0f32..1.0,
        2 => any_magnitude_f32(),
        1 => Just(0.0f32),
        1 => prop::sample::select(vec![1e-45f32, -1e-45, f32::MIN_POSITIVE, f32::MAX, -f32::MAX, 1e-30, 1e30]),
    ]
}

/// A vector in one of the contract's styles: ordinary, every magnitude, subnormal only, huge
/// only, all zeros, or with rare NaN and infinities.
pub fn f32_vector(n: usize) -> impl Strategy<Value = Vec<f32>> {
    prop_oneof![
        4 => prop::collection::vec(vector_element(), n),
        1 => prop::collection::vec(-1e-40f32..1e-40, n),
        1 => prop::collection::vec(-3e38f32..3e38, n),
        1 => Just(vec![0.0; n]),
        1 => prop::collection::vec(
            prop_oneof![20 => vector_element(), 1 => prop::sample::select(vec![f32::NAN, f32::INFINITY, f32::NEG_INFINITY])],
            n,
        ),
    ]
}

/// A dimension: mostly small, one in four anywhere up to 4,096.
pub fn vector_dimension() -> impl Strategy<Value = usize> {
    prop_oneof![3 => 0usize..80, 1 => 0usize..=4096]
}
