//! Keeping the best `k` of a stream of scores, and the order results are listed in: best score
//! first (highest for cosine and dot, lowest for euclidean distance), NaN scores last, ties by
//! the lower index. The JavaScript fallback sorts with the same rule.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::store::{Hit, Metric};

/// How `a` ranks against `b`: `Less` when `a` is listed first.
pub fn rank_order(metric: Metric, a: &Hit, b: &Hit) -> Ordering {
    let by_score = match (a.score.is_nan(), b.score.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => {
            let ascending = a.score.partial_cmp(&b.score).expect("neither is NaN");
            if metric.higher_is_better() {
                ascending.reverse()
            } else {
                ascending
            }
        }
    };
    by_score.then(a.index.cmp(&b.index))
}

/// A hit ordered by rank, so that a max-heap keeps the worst kept hit on top.
struct Ranked {
    hit: Hit,
    metric: Metric,
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Ranked {}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        rank_order(self.metric, &self.hit, &other.hit)
    }
}

/// The best `k` hits offered so far.
pub(crate) struct TopK {
    k: usize,
    metric: Metric,
    kept: BinaryHeap<Ranked>,
}

impl TopK {
    pub(crate) fn new(k: usize, metric: Metric) -> Self {
        TopK {
            k,
            metric,
            kept: BinaryHeap::with_capacity(k.saturating_add(1).min(1 << 16)),
        }
    }

    pub(crate) fn offer(&mut self, hit: Hit) {
        if self.k == 0 {
            return;
        }
        let candidate = Ranked {
            hit,
            metric: self.metric,
        };
        if self.kept.len() < self.k {
            self.kept.push(candidate);
        } else if let Some(mut worst) = self.kept.peek_mut() {
            if candidate < *worst {
                *worst = candidate;
            }
        }
    }

    pub(crate) fn merge(&mut self, other: TopK) {
        for ranked in other.kept {
            self.offer(ranked.hit);
        }
    }

    /// Best first.
    pub(crate) fn into_sorted(self) -> Vec<Hit> {
        self.kept
            .into_sorted_vec()
            .into_iter()
            .map(|ranked| ranked.hit)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(index: usize, score: f64) -> Hit {
        Hit { index, score }
    }

    #[test]
    fn keeps_the_best_k_best_first() {
        let mut top = TopK::new(3, Metric::Cosine);
        for (i, s) in [0.1, 0.9, f64::NAN, 0.5, 0.9, -1.0, 0.7]
            .into_iter()
            .enumerate()
        {
            top.offer(hit(i, s));
        }
        let got: Vec<(usize, f64)> = top
            .into_sorted()
            .iter()
            .map(|h| (h.index, h.score))
            .collect();
        assert_eq!(got, [(1, 0.9), (4, 0.9), (6, 0.7)]);
    }

    #[test]
    fn euclidean_ranks_small_distances_first_and_nan_last() {
        let mut top = TopK::new(10, Metric::Euclidean);
        for (i, s) in [3.0, f64::NAN, 1.0, f64::INFINITY, 1.0]
            .into_iter()
            .enumerate()
        {
            top.offer(hit(i, s));
        }
        let got: Vec<usize> = top.into_sorted().iter().map(|h| h.index).collect();
        assert_eq!(got, [2, 4, 0, 3, 1]);
    }

    #[test]
    fn k_zero_keeps_nothing_and_merging_keeps_the_best() {
        let mut none = TopK::new(0, Metric::Dot);
        none.offer(hit(0, 1.0));
        assert!(none.into_sorted().is_empty());
        let (mut a, mut b) = (TopK::new(2, Metric::Dot), TopK::new(2, Metric::Dot));
        a.offer(hit(0, 1.0));
        a.offer(hit(1, 5.0));
        b.offer(hit(2, 3.0));
        b.offer(hit(3, 0.0));
        a.merge(b);
        let got: Vec<usize> = a.into_sorted().iter().map(|h| h.index).collect();
        assert_eq!(got, [1, 2]);
    }

    #[test]
    fn negative_zero_ties_with_zero() {
        assert_eq!(
            rank_order(Metric::Dot, &hit(1, -0.0), &hit(2, 0.0)),
            Ordering::Less
        );
    }
}
