//! Where `applyPatch` looks for a hunk: jsdiff's `distanceIterator` order (the hunk's expected
//! position, then one line after, one before, two after, two before, ...), bounded below by the
//! end of the previous hunk and above by the last position the hunk's old lines fit.
//!
//! jsdiff walks that order one position at a time, even through positions that cannot match
//! because they lie outside the text. Here those positions are skipped arithmetically: the
//! order among the remaining ones is the same, so the first fit is the same.

/// Beyond 2^53 JavaScript's `start ± offset` stops changing and jsdiff would loop forever.
const MAX_EXACT: f64 = 9_007_199_254_740_992.0;

/// The first position, in jsdiff's order, at which `fits` holds, among the positions where a
/// hunk with old-side lines can match: `0..=last_fit` (the text's length minus the number of
/// old-side lines).
///
/// `start` is always tried first; after it, forward positions must not exceed `max_line` and
/// backward ones must not fall below `min_line`.
pub fn first_fit(
    start: f64,
    min_line: f64,
    max_line: i64,
    last_fit: i64,
    mut fits: impl FnMut(i64) -> bool,
) -> Option<i64> {
    if last_fit < 0 || !start.is_finite() || start.abs() > MAX_EXACT || start.fract() != 0.0 {
        // NaN tries nothing after `start`; an infinite or inexact start never reaches the text
        // (jsdiff would spin forever there).
        return None;
    }
    let start = start as i64;
    if (0..=last_fit).contains(&start) && fits(start) {
        return Some(start);
    }
    let forward_hi = max_line.min(last_fit);
    let mut forward = (start + 1).max(0);
    let backward_lo = lower_bound(min_line);
    let mut backward = (start - 1).min(last_fit);
    loop {
        let forward_distance = (forward <= forward_hi).then(|| forward - start);
        let backward_distance = backward_lo
            .filter(|&lo| backward >= lo)
            .map(|_| start - backward);
        let position = match (forward_distance, backward_distance) {
            (None, None) => return None,
            (Some(f), Some(b)) if f <= b => take(&mut forward, 1),
            (Some(_), None) => take(&mut forward, 1),
            _ => take(&mut backward, -1),
        };
        if fits(position) {
            return Some(position);
        }
    }
}

fn take(position: &mut i64, step: i64) -> i64 {
    let current = *position;
    *position += step;
    current
}

/// The least non-negative integer `p` with `min_line <= p`, or `None` when no position passes.
fn lower_bound(min_line: f64) -> Option<i64> {
    if min_line.is_nan() || min_line > MAX_EXACT {
        None
    } else if min_line <= 0.0 {
        Some(0)
    } else {
        Some(min_line.ceil() as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// jsdiff's `distanceIterator`, transcribed, for comparison.
    fn distance_order(start: i64, min_line: i64, max_line: i64) -> Vec<i64> {
        let mut out = vec![start];
        let (mut want_forward, mut backward_exhausted, mut forward_exhausted) =
            (true, false, false);
        let mut local_offset = 1;
        loop {
            let next = loop {
                if want_forward && !forward_exhausted {
                    if backward_exhausted {
                        local_offset += 1;
                    } else {
                        want_forward = false;
                    }
                    if start + local_offset <= max_line {
                        break Some(start + local_offset);
                    }
                    forward_exhausted = true;
                }
                if !backward_exhausted {
                    if !forward_exhausted {
                        want_forward = true;
                    }
                    if min_line <= start - local_offset {
                        let p = start - local_offset;
                        local_offset += 1;
                        break Some(p);
                    }
                    backward_exhausted = true;
                    continue;
                }
                break None;
            };
            match next {
                Some(p) => out.push(p),
                None => return out,
            }
        }
    }

    fn visited(start: i64, min_line: i64, max_line: i64, last_fit: i64) -> Vec<i64> {
        let mut seen = Vec::new();
        first_fit(start as f64, min_line as f64, max_line, last_fit, |p| {
            seen.push(p);
            false
        });
        seen
    }

    #[test]
    fn visits_positions_in_distance_iterator_order() {
        for start in -4..14 {
            for min_line in -2..8 {
                for max_line in -3..12 {
                    for last_fit in -1..11 {
                        let expected: Vec<i64> = distance_order(start, min_line, max_line)
                            .into_iter()
                            .filter(|p| (0..=last_fit).contains(p))
                            .collect();
                        assert_eq!(
                            visited(start, min_line, max_line, last_fit),
                            expected,
                            "start {start} min {min_line} max {max_line} last {last_fit}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn far_away_starts_are_skipped_not_walked() {
        assert_eq!(first_fit(1e15, 0.0, 10, 10, |p| p == 3), Some(3));
        assert_eq!(first_fit(-1e15, 0.0, 10, 10, |p| p == 3), Some(3));
        assert_eq!(first_fit(f64::NAN, 0.0, 10, 10, |_| true), None);
        assert_eq!(first_fit(f64::INFINITY, 0.0, 10, 10, |_| true), None);
        assert_eq!(first_fit(2.0, f64::NAN, 10, 10, |p| p < 2), None);
    }
}
