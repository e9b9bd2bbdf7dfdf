//! Counting a batch whose texts arrive one at a time (read from JavaScript, one string after
//! another): each chunk of texts read goes to the thread pool at once, so the other cores count
//! while the reading thread still reads; then the reading thread counts what no worker has
//! started yet, from the last chunk back.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use crate::{count_tokens, Encoding};

/// The first chunk is handed over once it holds this many bytes, so that a worker starts early;
/// later ones once they hold `CHUNK_BYTES`. Measured on 1,000 chat messages (300 KB) on 2 cores:
/// from 1/2 to 16/32 KB all within noise; the reading thread is one of the counting threads
/// once it has read everything, so small chunks at the end keep the cores evenly busy.
const FIRST_CHUNK_BYTES: usize = 2 * 1024;
const CHUNK_BYTES: usize = 8 * 1024;

/// Texts `first..first + ends.len()` of the batch, one after another in `text`.
struct Chunk {
    first: usize,
    text: String,
    ends: Vec<usize>,
    /// Set by whichever thread counts the chunk.
    claimed: AtomicBool,
}

impl Chunk {
    fn new(first: usize, capacity: usize) -> Self {
        Chunk {
            first,
            text: String::with_capacity(capacity),
            ends: Vec::new(),
            claimed: AtomicBool::new(false),
        }
    }

    /// Counts the chunk into `counts` unless another thread has claimed it.
    fn count_into(&self, encoding: Encoding, counts: &[AtomicUsize]) {
        if self.claimed.swap(true, Ordering::AcqRel) {
            return;
        }
        let mut start = 0;
        for (index, &end) in self.ends.iter().enumerate() {
            let count = count_tokens(encoding, &self.text[start..end]);
            counts[self.first + index].store(count, Ordering::Relaxed);
            start = end;
        }
    }
}

/// `count_tokens` of `len` texts, where `read(index, text)` appends text `index` to `text`
/// (called for 0, 1, ... in order, on the calling thread). The first error stops the reading
/// and is returned once the chunks already handed over are counted.
pub fn count_tokens_streamed<E>(
    encoding: Encoding,
    len: usize,
    mut read: impl FnMut(usize, &mut String) -> Result<(), E>,
) -> Result<Vec<usize>, E> {
    let counts: Vec<AtomicUsize> = (0..len).map(|_| AtomicUsize::new(0)).collect();
    let read_all =
        rayon::in_place_scope(|scope| read_and_hand_over(scope, encoding, &mut read, &counts));
    read_all?;
    Ok(counts.into_iter().map(AtomicUsize::into_inner).collect())
}

/// Reads every text on the calling thread, handing each full chunk to the pool, then counts
/// the last chunk and whichever handed-over chunks no worker has started, latest first.
fn read_and_hand_over<'scope, E>(
    scope: &rayon::Scope<'scope>,
    encoding: Encoding,
    read: &mut impl FnMut(usize, &mut String) -> Result<(), E>,
    counts: &'scope [AtomicUsize],
) -> Result<(), E> {
    let len = counts.len();
    let mut handed_over: Vec<Arc<Chunk>> = Vec::new();
    let mut chunk = Chunk::new(0, FIRST_CHUNK_BYTES);
    let mut chunk_bytes = FIRST_CHUNK_BYTES;
    for index in 0..len {
        if let Err(error) = read(index, &mut chunk.text) {
            // Workers skip what they have not started.
            for waiting in &handed_over {
                waiting.claimed.store(true, Ordering::Release);
            }
            return Err(error);
        }
        chunk.ends.push(chunk.text.len());
        if chunk.text.len() >= chunk_bytes && index + 1 < len {
            let next = Chunk::new(index + 1, CHUNK_BYTES);
            let full = Arc::new(std::mem::replace(&mut chunk, next));
            chunk_bytes = CHUNK_BYTES;
            let for_worker = Arc::clone(&full);
            scope.spawn(move |_| for_worker.count_into(encoding, counts));
            handed_over.push(full);
        }
    }
    chunk.count_into(encoding, counts);
    for waiting in handed_over.iter().rev() {
        waiting.count_into(encoding, counts);
    }
    Ok(())
}
