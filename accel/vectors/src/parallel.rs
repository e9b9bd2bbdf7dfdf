//! Splitting a scan over the CPU's cores with scoped threads. Large scans are bound by memory
//! bandwidth, which one core alone does not saturate; small ones are not worth a thread.

use std::ops::Range;
use std::sync::OnceLock;
use std::thread;

/// Scans reading fewer values than this stay on the calling thread: starting a thread costs
/// about 20 µs, a fifth of the time a 1M-value scan takes here.
pub const PARALLEL_MIN_VALUES: usize = 1 << 20;

/// More threads than this would not add bandwidth on any machine we target.
const MAX_THREADS: usize = 16;

/// How many threads a large scan uses: the available parallelism, capped.
pub fn worker_threads() -> usize {
    static THREADS: OnceLock<usize> = OnceLock::new();
    *THREADS.get_or_init(|| {
        thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, MAX_THREADS)
    })
}

/// `work` over `0..len` cut into one contiguous range per thread (one range when `!parallel`),
/// results in range order. The calling thread takes the first range. A panic in any range is
/// re-raised on the calling thread.
pub(crate) fn map_ranges<T: Send>(
    len: usize,
    parallel: bool,
    work: impl Fn(Range<usize>) -> T + Sync,
) -> Vec<T> {
    let threads = if parallel {
        worker_threads().min(len)
    } else {
        1
    };
    if threads <= 1 {
        return vec![work(0..len)];
    }
    let chunk = len.div_ceil(threads);
    let ranges: Vec<Range<usize>> = (0..threads)
        .map(|t| t * chunk..((t + 1) * chunk).min(len))
        .filter(|r| !r.is_empty())
        .collect();
    thread::scope(|scope| {
        let work = &work;
        let others: Vec<_> = ranges[1..]
            .iter()
            .map(|range| {
                let range = range.clone();
                scope.spawn(move || work(range))
            })
            .collect();
        let mut results = vec![work(ranges[0].clone())];
        for handle in others {
            match handle.join() {
                Ok(result) => results.push(result),
                Err(payload) => std::panic::resume_unwind(payload),
            }
        }
        results
    })
}

/// `work(items_chunk, out_chunk)` over matching contiguous chunks of `items` and `out`.
pub(crate) fn for_each_chunk<T: Sync, O: Send>(
    items: &[T],
    out: &mut [O],
    parallel: bool,
    work: impl Fn(&[T], &mut [O]) + Sync,
) {
    assert_eq!(items.len(), out.len(), "one output per item");
    let threads = if parallel {
        worker_threads().min(items.len())
    } else {
        1
    };
    if threads <= 1 {
        work(items, out);
        return;
    }
    let chunk = items.len().div_ceil(threads);
    thread::scope(|scope| {
        let work = &work;
        let mut pairs = items.chunks(chunk).zip(out.chunks_mut(chunk));
        let (first_items, first_out) = pairs.next().expect("at least one chunk");
        let others: Vec<_> = pairs
            .map(|(items, out)| scope.spawn(move || work(items, out)))
            .collect();
        work(first_items, first_out);
        for handle in others {
            if let Err(payload) = handle.join() {
                std::panic::resume_unwind(payload);
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_cover_everything_once_in_order() {
        for len in [0, 1, 2, 3, 17, 1000] {
            for parallel in [false, true] {
                let parts = map_ranges(len, parallel, |r| r.collect::<Vec<_>>());
                let all: Vec<usize> = parts.concat();
                assert_eq!(all, (0..len).collect::<Vec<_>>());
            }
        }
    }

    #[test]
    fn chunks_write_every_output() {
        let items: Vec<usize> = (0..101).collect();
        let mut out = vec![0; 101];
        for_each_chunk(&items, &mut out, true, |items, out| {
            for (x, o) in items.iter().zip(out) {
                *o = x * 2;
            }
        });
        assert_eq!(out, items.iter().map(|x| x * 2).collect::<Vec<_>>());
    }

    #[test]
    #[should_panic(expected = "boom")]
    fn a_panic_in_a_worker_reaches_the_caller() {
        map_ranges(100, true, |r| {
            if r.start > 0 {
                panic!("boom");
            }
        });
    }
}
