//! Byte buffers filled off the JS thread (async replays) and handed to JavaScript. A large one is an anonymous mapping on transparent huge
//! pages, and a mapping V8 has let go of is kept for the next large result: a replay of 100,000
//! events fills about 26 MB, and on this kind of VM faulting in fresh memory cost several times
//! the replay itself (50-90 ms against 3 ms to copy into memory already faulted in). A pooled
//! mapping holds bytes of an earlier result that JavaScript can no longer reach; only the bytes
//! written for the new one are ever exposed. The pool only refills when the event loop turns
//! (Node runs external-buffer finalizers from it), so the synchronous paths use Node's own memory
//! instead (node_bytes.rs).

use std::sync::Mutex;

use napi::bindgen_prelude::Uint8Array;

/// Below this, an ordinary allocation: a mapping rounds up to whole huge pages.
const MAPPED_FROM_BYTES: usize = 4 << 20;
const HUGE_PAGE: usize = 2 << 20;
/// Mappings kept for reuse, and the most memory they may hold together.
const POOL_ENTRIES: usize = 2;
const POOL_BYTES: usize = 512 << 20;

/// Bytes appended on any thread, then handed to JavaScript without a copy. Starts on the heap
/// and moves to a mapping once it outgrows `MAPPED_FROM_BYTES`.
pub struct BulkBytes {
    storage: Storage,
    len: usize,
}

enum Storage {
    Heap(Vec<u8>),
    Mapped(Mapping),
}

impl BulkBytes {
    pub fn new() -> BulkBytes {
        BulkBytes {
            storage: Storage::Heap(Vec::new()),
            len: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn extend_from_slice(&mut self, bytes: &[u8]) {
        let needed = self.len + bytes.len();
        match &mut self.storage {
            Storage::Heap(heap) if needed < MAPPED_FROM_BYTES => heap.extend_from_slice(bytes),
            Storage::Mapped(mapping) if needed <= mapping.capacity => {}
            _ => self.move_to_mapping(needed),
        }
        if let Storage::Mapped(mapping) = &mut self.storage {
            // SAFETY: `len + bytes.len() <= capacity`, and `bytes` is not part of the mapping
            // (nobody else can see it before `into_js`).
            unsafe {
                std::ptr::copy_nonoverlapping(
                    bytes.as_ptr(),
                    mapping.data.add(self.len),
                    bytes.len(),
                );
            }
        }
        self.len = needed;
    }

    /// Moves the bytes so far to a mapping of at least twice `needed` (one from the pool when it
    /// fits); stays on the heap when no mapping can be made.
    fn move_to_mapping(&mut self, needed: usize) {
        let wanted = needed.saturating_mul(2);
        let Some(mapping) = Mapping::reused(needed).or_else(|| Mapping::new(wanted)) else {
            if let Storage::Heap(heap) = &mut self.storage {
                heap.reserve(needed - heap.len());
            }
            return;
        };
        // SAFETY: the new mapping holds at least `needed > len` bytes; the old storage is distinct.
        unsafe { std::ptr::copy_nonoverlapping(self.as_slice().as_ptr(), mapping.data, self.len) };
        self.storage = Storage::Mapped(mapping);
    }

    fn as_slice(&self) -> &[u8] {
        match &self.storage {
            Storage::Heap(heap) => heap,
            // SAFETY: the first `len` bytes of the mapping were written by `extend_from_slice`.
            Storage::Mapped(mapping) => unsafe {
                std::slice::from_raw_parts(mapping.data, self.len)
            },
        }
    }

    /// A Uint8Array over the bytes, without copying them. When V8 collects it, a mapping goes
    /// back to the pool (or is unmapped when the pool is full).
    pub fn into_js(self) -> Uint8Array {
        match self.storage {
            Storage::Heap(bytes) => Uint8Array::new(bytes),
            Storage::Mapped(mapping) => {
                let data = mapping.data;
                // SAFETY: `data..data + len` stays mapped until V8 calls the finalizer, which
                // owns the mapping from then on.
                unsafe {
                    Uint8Array::with_external_data(data, self.len, move |_, _| mapping.release())
                }
            }
        }
    }
}

/// An anonymous mapping whose data starts on a huge-page boundary, advised to use huge pages.
struct Mapping {
    base: *mut libc::c_void,
    size: usize,
    data: *mut u8,
    capacity: usize,
}

// SAFETY: the mapping is plain memory owned by this value alone.
unsafe impl Send for Mapping {}

static POOL: Mutex<Vec<Mapping>> = Mutex::new(Vec::new());

fn pool() -> std::sync::MutexGuard<'static, Vec<Mapping>> {
    POOL.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Mapping {
    fn new(len: usize) -> Option<Mapping> {
        let capacity = len.checked_next_multiple_of(HUGE_PAGE)?;
        let size = capacity.checked_add(HUGE_PAGE)?;
        // SAFETY: a fresh private anonymous mapping; no existing memory is touched.
        let base = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                size,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if base == libc::MAP_FAILED {
            return None;
        }
        let offset = (HUGE_PAGE - base as usize % HUGE_PAGE) % HUGE_PAGE;
        // SAFETY: `offset < HUGE_PAGE`, so `data..data + capacity` lies inside the mapping.
        let data = unsafe { base.cast::<u8>().add(offset) };
        // Only advice: without huge pages the memory still works, in 4 KiB pages.
        #[cfg(target_os = "linux")]
        // SAFETY: advising a range of our own mapping.
        unsafe {
            libc::madvise(data.cast(), capacity, libc::MADV_HUGEPAGE);
        }
        Some(Mapping {
            base,
            size,
            data,
            capacity,
        })
    }

    /// The largest pooled mapping, when it holds more than `len` bytes.
    fn reused(len: usize) -> Option<Mapping> {
        let mut pool = pool();
        let (at, _) = pool
            .iter()
            .enumerate()
            .filter(|(_, m)| m.capacity > len)
            .max_by_key(|(_, m)| m.capacity)?;
        Some(pool.swap_remove(at))
    }

    /// Back to the pool when it has room, else unmapped.
    fn release(self) {
        let mut pool = pool();
        let held: usize = pool.iter().map(|m| m.capacity).sum();
        if pool.len() < POOL_ENTRIES && held + self.capacity <= POOL_BYTES {
            pool.push(self);
        }
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        // SAFETY: unmapping our own mapping, once.
        unsafe {
            libc::munmap(self.base, self.size);
        }
    }
}
