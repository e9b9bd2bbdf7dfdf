//! A memory-read probe: how fast this machine streams a buffer bigger than its caches with every
//! core, measured beside a scan so that the scan's achieved fraction of it can be reported.

use crate::parallel::{map_ranges, PARALLEL_MIN_VALUES};

const BLOCK: usize = 16;

/// Reads every value of `data` once (split across cores like a store scan) and returns their sum,
/// so that the reads cannot be optimised away. Sixteen independent f32 accumulators keep the
/// arithmetic far below memory speed.
pub fn read_all(data: &[f32]) -> f32 {
    let blocks = data.len() / BLOCK;
    let parts = map_ranges(blocks, data.len() >= PARALLEL_MIN_VALUES, |range| {
        let mut acc = [0.0f32; BLOCK];
        for block in data[range.start * BLOCK..range.end * BLOCK].chunks_exact(BLOCK) {
            for (a, x) in acc.iter_mut().zip(block) {
                *a += x;
            }
        }
        acc.iter().sum::<f32>()
    });
    parts.iter().sum::<f32>() + data[blocks * BLOCK..].iter().sum::<f32>()
}

#[cfg(test)]
mod tests {
    #[test]
    fn sums_every_value() {
        for n in [0, 1, 15, 16, 17, 1000] {
            let data = vec![1.0f32; n];
            assert_eq!(super::read_all(&data), n as f32);
        }
    }
}
