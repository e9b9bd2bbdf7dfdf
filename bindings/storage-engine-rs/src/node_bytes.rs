//! Results the JS thread builds in memory Node allocates (`napi_create_buffer`: uninitialized, and
//! freed by V8's garbage collector itself). Memory handed over as an external buffer is only given
//! back through a finalizer Node defers to the event loop, so a synchronous loop of loads or
//! replays kept taking fresh memory, and first touches of fresh memory on this kind of VM cost far
//! more than the work (a 1 MB load: 4.5 ms median instead of about 1 ms; a 26 MB replay: 75 ms
//! instead of 7 ms). Memory V8 frees goes back to malloc and comes back warm.

use std::ptr;

use napi::bindgen_prelude::{JsValue, Object, ToNapiValue, TypeName, ValidateNapiValue};
use napi::{check_status, sys, Env, Result, ValueType};

/// From this size on, the memory is advised to use transparent huge pages: faulting 2 MiB at a
/// time made the first 26 MB replay several times faster than 4 KiB pages here.
const HUGE_PAGES_FROM_BYTES: usize = 4 << 20;
const HUGE_PAGE: usize = 2 << 20;

/// One Node-allocated ArrayBuffer being filled, from which typed arrays are made.
pub(crate) struct NodeBytes<'a> {
    env: &'a Env,
    array_buffer: sys::napi_value,
    /// Where `data` starts in `array_buffer`.
    base_offset: usize,
    data: *mut u8,
    len: usize,
}

/// A JavaScript value made during this call, returned as it is.
pub struct JsMade(sys::napi_value);

impl ToNapiValue for JsMade {
    unsafe fn to_napi_value(_env: sys::napi_env, value: Self) -> Result<sys::napi_value> {
        Ok(value.0)
    }
}

impl TypeName for JsMade {
    fn type_name() -> &'static str {
        "Object"
    }

    fn value_type() -> ValueType {
        ValueType::Object
    }
}

impl ValidateNapiValue for JsMade {}

impl From<Object<'_>> for JsMade {
    fn from(object: Object<'_>) -> JsMade {
        JsMade(object.raw())
    }
}

impl<'a> NodeBytes<'a> {
    /// `len` bytes of uninitialized memory, starting 8-byte aligned within their ArrayBuffer.
    pub(crate) fn new(env: &'a Env, len: usize) -> Result<NodeBytes<'a>> {
        let raw_env = env.raw();
        let mut buffer = ptr::null_mut();
        let mut data = ptr::null_mut();
        // One spare word so that the data can start on an 8-byte boundary (for Float64Arrays).
        let allocated = len + 8;
        check_status!(
            unsafe { sys::napi_create_buffer(raw_env, allocated, &mut data, &mut buffer) },
            "cannot allocate a {allocated}-byte buffer"
        )?;
        let mut array_buffer = ptr::null_mut();
        let mut buffer_offset = 0;
        check_status!(unsafe {
            sys::napi_get_typedarray_info(
                raw_env,
                buffer,
                ptr::null_mut(),
                ptr::null_mut(),
                ptr::null_mut(),
                &mut array_buffer,
                &mut buffer_offset,
            )
        })?;
        let padding = (8 - (buffer_offset + data as usize) % 8) % 8;
        // SAFETY: `padding < 8` and the buffer holds `len + 8` bytes.
        let data = unsafe { data.cast::<u8>().add(padding) };
        advise_huge_pages(data, len);
        Ok(NodeBytes {
            env,
            array_buffer,
            base_offset: buffer_offset + padding,
            data,
            len,
        })
    }

    pub(crate) fn as_mut_slice(&mut self) -> &mut [u8] {
        // SAFETY: `data..data + len` lies in the buffer, which JavaScript cannot see yet.
        unsafe { std::slice::from_raw_parts_mut(self.data, self.len) }
    }

    /// A Uint8Array over `len` bytes from `offset` (both within these bytes).
    pub(crate) fn uint8_array(&self, offset: usize, len: usize) -> Result<JsMade> {
        self.typed_array(sys::TypedarrayType::uint8_array, offset, len, len)
    }

    /// A Float64Array over `count` numbers from `offset` (a multiple of 8).
    pub(crate) fn float64_array(&self, offset: usize, count: usize) -> Result<JsMade> {
        self.typed_array(sys::TypedarrayType::float64_array, offset, count, count * 8)
    }

    fn typed_array(
        &self,
        kind: sys::napi_typedarray_type,
        offset: usize,
        elements: usize,
        bytes: usize,
    ) -> Result<JsMade> {
        if offset + bytes > self.len {
            return Err(napi::Error::new(
                napi::Status::GenericFailure,
                format!(
                    "internal error: a typed array of bytes {offset}..{} past a {}-byte buffer",
                    offset + bytes,
                    self.len
                ),
            ));
        }
        let mut array = ptr::null_mut();
        check_status!(unsafe {
            sys::napi_create_typedarray(
                self.env.raw(),
                kind,
                elements,
                self.array_buffer,
                self.base_offset + offset,
                &mut array,
            )
        })?;
        Ok(JsMade(array))
    }
}

/// A Uint8Array holding a copy of `bytes`.
pub(crate) fn uint8_array_of(env: &Env, bytes: &[u8]) -> Result<JsMade> {
    let mut node_bytes = NodeBytes::new(env, bytes.len())?;
    node_bytes.as_mut_slice().copy_from_slice(bytes);
    node_bytes.uint8_array(0, bytes.len())
}

/// Only advice: memory the allocator has already faulted in is unaffected, and without huge pages
/// everything still works in 4 KiB pages.
fn advise_huge_pages(data: *mut u8, len: usize) {
    #[cfg(target_os = "linux")]
    if len >= HUGE_PAGES_FROM_BYTES {
        let start = (data as usize).next_multiple_of(HUGE_PAGE);
        let end = (data as usize + len) / HUGE_PAGE * HUGE_PAGE;
        if end > start {
            // SAFETY: advising whole huge pages inside memory this buffer owns; advice does not
            // change the contents.
            unsafe {
                libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (data, len);
}
