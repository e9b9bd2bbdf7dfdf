//! Order statistics over timing samples.

/// The `p`-th percentile (0..=100) by the nearest-rank method; `None` for no samples or a
/// non-finite sample. Nearest-rank always returns an observed sample, never an interpolation.
pub fn percentile(samples: &[f64], p: f64) -> Option<f64> {
    if samples.is_empty() || !(0.0..=100.0).contains(&p) || samples.iter().any(|s| !s.is_finite()) {
        return None;
    }
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    Some(sorted[rank.clamp(1, sorted.len()) - 1])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_values() {
        let samples: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&samples, 99.0), Some(99.0));
        assert_eq!(percentile(&samples, 100.0), Some(100.0));
        assert_eq!(percentile(&samples, 0.0), Some(1.0));
        assert_eq!(percentile(&[], 50.0), None);
        assert_eq!(percentile(&[1.0, f64::NAN], 50.0), None);
        assert_eq!(percentile(&[1.0], 101.0), None);
    }

    proptest! {
        #[test]
        fn percentile_is_an_observed_sample_and_monotone(
            samples in prop::collection::vec(0.0f64..1e9, 1..200),
            p in 0.0f64..=100.0,
            q in 0.0f64..=100.0,
        ) {
            let at_p = percentile(&samples, p).unwrap();
            prop_assert!(samples.contains(&at_p));
            let (lo, hi) = if p <= q { (p, q) } else { (q, p) };
            prop_assert!(percentile(&samples, lo).unwrap() <= percentile(&samples, hi).unwrap());
        }

        /// At least p% of the samples are at or below the p-th percentile.
        #[test]
        fn percentile_covers_p_percent(samples in prop::collection::vec(-1e9f64..1e9, 1..200), p in 0.0f64..=100.0) {
            let at_p = percentile(&samples, p).unwrap();
            let covered = samples.iter().filter(|s| **s <= at_p).count() as f64;
            prop_assert!(covered >= p / 100.0 * samples.len() as f64);
        }
    }
}
