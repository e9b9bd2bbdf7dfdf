//! The single-pair calls (`cosineSimilarity`, `euclideanDistance` of two Float32Arrays or two
//! Float64Arrays), exported as raw N-API callbacks. For one 1,536-d pair the kernel takes about
//! 180 ns, so the call's own overhead decides the speedup over the 2 µs JavaScript loop.
//!
//! Measured per call in node 20 on the bench machine (two 1,536-d Float32Arrays, median of 7 runs
//! of 300,000 calls):
//!
//! | path                                                        | reading both arrays | with the cosine |
//! | ----------------------------------------------------------- | ------------------: | --------------: |
//! | napi-rs `Float32Array` (creates a reference per argument)   |                   — |          456 ns |
//! | napi-rs `&[f32]` / `Float32ArraySlice` / our `JsVector`      |              170 ns |      350-360 ns |
//! | raw callback + `napi_get_typedarray_info`                   |               95 ns |          278 ns |
//! | raw callback + `napi_get_arraybuffer_info` on `a.buffer`     |                   — |          270 ns |
//! | raw callback + `napi_get_buffer_info` (kept)                |               62 ns |          256 ns |
//! | (a raw callback reading no argument: 21 ns; a napi-rs one: 29 ns)                         |||
//!
//! napi-rs's generated callback (argument scope, borrow guards) costs about 75 ns on its own, and
//! `napi_get_typedarray_info` about 37 ns per array (a chain of `IsXxxArray` type checks), where
//! `napi_get_buffer_info` accepts any ArrayBufferView and only returns its bytes. So the caller
//! says the element type by which function it calls — `index.js` sends only Float32Array pairs to
//! the `F32` exports and Float64Array pairs to the `F64` ones — and this module checks the byte
//! length and alignment, so that any other view is an error, never an unsound slice.
//!
//! Every callback catches panics itself: unwinding out of an `extern "C"` function would abort.

use std::ffi::{c_char, c_void, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use std::sync::{mpsc, Mutex};

use accel_vectors::{
    worker_threads, CosineQuery, Kernels, VectorError, VectorRef, PARALLEL_MIN_VALUES,
};
use napi::sys;

/// An element type of the typed arrays the fast paths read.
trait Element: Copy {
    /// `Float32Array` or `Float64Array`, for messages.
    const ARRAY: &'static str;
    fn vector(values: &[Self]) -> VectorRef<'_>;
}

impl Element for f32 {
    const ARRAY: &'static str = "Float32Array";
    fn vector(values: &[f32]) -> VectorRef<'_> {
        VectorRef::F32(values)
    }
}

impl Element for f64 {
    const ARRAY: &'static str = "Float64Array";
    fn vector(values: &[f64]) -> VectorRef<'_> {
        VectorRef::F64(values)
    }
}

/// Why a call fails: a wrong argument (TypeError) or bad vectors (Error).
enum Failure {
    Type(String),
    Vectors(VectorError),
}

/// The elements of the ArrayBufferView `value`.
///
/// # Safety
/// `env` and `value` must come from the current callback. The slice is valid until the callback
/// returns: no JavaScript runs meanwhile, and an ArrayBuffer's backing store does not move.
unsafe fn elements<'call, T: Element>(
    env: sys::napi_env,
    value: sys::napi_value,
    argument: &str,
) -> Result<&'call [T], Failure> {
    let mut data: *mut c_void = ptr::null_mut();
    let mut bytes = 0usize;
    let status = sys::napi_get_buffer_info(env, value, &mut data, &mut bytes);
    let wrong = || Failure::Type(format!("{argument} must be a {}", T::ARRAY));
    if status != sys::Status::napi_ok {
        return Err(wrong());
    }
    if bytes == 0 {
        return Ok(&[]);
    }
    if data.is_null()
        || !(data as usize).is_multiple_of(align_of::<T>())
        || !bytes.is_multiple_of(size_of::<T>())
    {
        return Err(wrong());
    }
    Ok(std::slice::from_raw_parts(
        data.cast::<T>(),
        bytes / size_of::<T>(),
    ))
}

type PairOperation = fn(VectorRef<'_>, VectorRef<'_>) -> Result<f64, VectorError>;

/// One pair call: read `(a, b)`, run `operation`, return the number or throw.
///
/// # Safety
/// `env` and `info` must be the current callback's.
unsafe fn pair_call<T: Element>(
    env: sys::napi_env,
    info: sys::napi_callback_info,
    operation: PairOperation,
) -> sys::napi_value {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let [a, b] = arguments::<2>(env, info)?;
        let a = elements::<T>(env, a, "a")?;
        let b = elements::<T>(env, b, "b")?;
        operation(T::vector(a), T::vector(b)).map_err(Failure::Vectors)
    }));
    match outcome {
        Ok(Ok(value)) => number(env, value),
        Ok(Err(failure)) => throw_failure(env, failure),
        Err(_) => throw(env, PANIC_MESSAGE, sys::napi_throw_error),
    }
}

const PANIC_MESSAGE: &str = "internal error: the vector engine panicked";

unsafe fn throw_failure(env: sys::napi_env, failure: Failure) -> sys::napi_value {
    match failure {
        Failure::Type(message) => throw(env, &message, sys::napi_throw_type_error),
        Failure::Vectors(error) => throw(env, &error.to_string(), sys::napi_throw_error),
    }
}

unsafe fn arguments<const N: usize>(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> Result<[sys::napi_value; N], Failure> {
    let mut count = N;
    let mut args = [ptr::null_mut(); N];
    let status = sys::napi_get_cb_info(
        env,
        info,
        &mut count,
        args.as_mut_ptr(),
        ptr::null_mut(),
        ptr::null_mut(),
    );
    if status != sys::Status::napi_ok || count < N {
        return Err(Failure::Type(format!(
            "expected {N} arguments, got {count}"
        )));
    }
    Ok(args)
}

unsafe fn number(env: sys::napi_env, value: f64) -> sys::napi_value {
    let mut result = ptr::null_mut();
    sys::napi_create_double(env, value, &mut result);
    result
}

type Thrower =
    unsafe extern "C" fn(sys::napi_env, *const c_char, *const c_char) -> sys::napi_status;

unsafe fn throw(env: sys::napi_env, message: &str, thrower: Thrower) -> sys::napi_value {
    let message = CString::new(message.replace('\0', " ")).expect("NULs were replaced");
    thrower(env, ptr::null(), message.as_ptr());
    ptr::null_mut()
}

macro_rules! pair_export {
    ($name:ident, $element:ty, $operation:path) => {
        unsafe extern "C" fn $name(
            env: sys::napi_env,
            info: sys::napi_callback_info,
        ) -> sys::napi_value {
            pair_call::<$element>(env, info, $operation)
        }
    };
}

fn cosine(a: VectorRef<'_>, b: VectorRef<'_>) -> Result<f64, VectorError> {
    accel_vectors::cosine_similarity(a, b)
}

fn euclidean(a: VectorRef<'_>, b: VectorRef<'_>) -> Result<f64, VectorError> {
    accel_vectors::euclidean_distance(a, b)
}

pair_export!(cosine_f32, f32, cosine);
pair_export!(cosine_f64, f64, cosine);
pair_export!(euclidean_f32, f32, euclidean);
pair_export!(euclidean_f64, f64, euclidean);

/// The call of the fast paths without the kernel: reads both Float32Arrays and returns the sum of
/// their lengths. The node bench times it to show what the boundary itself costs.
fn lengths(a: VectorRef<'_>, b: VectorRef<'_>) -> Result<f64, VectorError> {
    Ok((a.len() + b.len()) as f64)
}
pair_export!(boundary_probe, f32, lengths);

/// `cosineSimilarityBatchF32(query, targets, out)`: `query` and every target a Float32Array of
/// one length (`index.js` checks), `out` a Float64Array with a slot per target.
///
/// Reading a target takes a `napi_get_element` and a `napi_get_buffer_info`, about 75 ns (napi-rs's
/// `Array::get` with a typed-array conversion took 160 ns): 0.75 ms for 10,000 targets, against
/// about 1.9 ms for the arithmetic of a 10,000 x 1,536 batch. Only this thread may make N-API
/// calls, so for a large batch the other cores start scoring each chunk of targets as soon as it
/// is read, and this thread joins them once every target is read.
unsafe extern "C" fn cosine_batch_f32(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    let outcome = catch_unwind(AssertUnwindSafe(|| -> Result<(), Failure> {
        let [query, targets, out] = arguments::<3>(env, info)?;
        let query = elements::<f32>(env, query, "query")?;
        let out = elements_mut::<f64>(env, out, "out")?;
        let mut count = 0u32;
        if sys::napi_get_array_length(env, targets, &mut count) != sys::Status::napi_ok {
            return Err(Failure::Type("targets must be an array".to_owned()));
        }
        if out.len() != count as usize {
            return Err(Failure::Type(format!(
                "out holds {} slots for {count} targets",
                out.len()
            )));
        }
        let prepared = CosineQuery::new(Kernels::detected(), VectorRef::F32(query));
        let read_target = |i: u32| -> Result<VectorRef<'_>, Failure> {
            let mut target = ptr::null_mut();
            if sys::napi_get_element(env, targets, i, &mut target) != sys::Status::napi_ok {
                return Err(Failure::Type(format!("cannot read target {i}")));
            }
            Ok(VectorRef::F32(elements::<f32>(env, target, "a target")?))
        };
        let helpers = if (count as usize).saturating_mul(query.len()) >= PARALLEL_MIN_VALUES {
            worker_threads() - 1
        } else {
            0
        };
        score_while_reading(&prepared, out, helpers, read_target)
    }));
    match outcome {
        Ok(Ok(())) => undefined(env),
        Ok(Err(failure)) => throw_failure(env, failure),
        Err(_) => throw(env, PANIC_MESSAGE, sys::napi_throw_error),
    }
}

/// Targets per chunk handed to a helper thread.
const BATCH_CHUNK: usize = 256;

/// Reads the targets (one per slot of `out`) in chunks on this thread (`read_target` makes N-API calls) while `helpers`
/// threads score the chunks already read; then scores what is left alongside them.
fn score_while_reading<'t>(
    prepared: &CosineQuery<'_>,
    out: &mut [f64],
    helpers: usize,
    mut read_target: impl FnMut(u32) -> Result<VectorRef<'t>, Failure>,
) -> Result<(), Failure> {
    type Job<'t, 'o> = (Vec<VectorRef<'t>>, &'o mut [f64]);
    let (sender, receiver) = mpsc::channel::<Job>();
    let receiver = Mutex::new(receiver);
    let score_jobs = || -> Result<(), Failure> {
        loop {
            let job = receiver.lock().unwrap_or_else(|p| p.into_inner()).recv();
            let Ok((targets, out)) = job else {
                return Ok(());
            };
            prepared
                .score_into(&targets, out)
                .map_err(Failure::Vectors)?;
        }
    };
    std::thread::scope(|scope| {
        let helpers: Vec<_> = (0..helpers).map(|_| scope.spawn(score_jobs)).collect();
        let mut read = Ok(());
        let mut next = 0u32;
        for out_chunk in out.chunks_mut(BATCH_CHUNK) {
            let chunk: Result<Vec<_>, _> = (next..next + out_chunk.len() as u32)
                .map(&mut read_target)
                .collect();
            next += out_chunk.len() as u32;
            match chunk {
                Ok(targets) => sender.send((targets, out_chunk)).expect("a receiver lives"),
                Err(failure) => {
                    read = Err(failure);
                    break;
                }
            }
        }
        drop(sender);
        let mut result = read.and(score_jobs());
        for helper in helpers {
            match helper.join() {
                Ok(scored) => result = result.and(scored),
                Err(payload) => std::panic::resume_unwind(payload),
            }
        }
        result
    })
}

/// Like [`elements`], for the output array the call writes.
///
/// # Safety
/// As [`elements`]; in addition the view must not alias any other argument (`index.js` passes a
/// fresh Float64Array).
unsafe fn elements_mut<'call, T: Element>(
    env: sys::napi_env,
    value: sys::napi_value,
    argument: &str,
) -> Result<&'call mut [T], Failure> {
    let read = elements::<T>(env, value, argument)?;
    Ok(std::slice::from_raw_parts_mut(
        read.as_ptr().cast_mut(),
        read.len(),
    ))
}

unsafe fn undefined(env: sys::napi_env) -> sys::napi_value {
    let mut result = ptr::null_mut();
    sys::napi_get_undefined(env, &mut result);
    result
}

/// Adds the raw exports to the module's `exports`.
///
/// # Safety
/// `env` and `exports` must be the module initialisation's.
pub(crate) unsafe fn register(env: sys::napi_env, exports: sys::napi_value) -> napi::Result<()> {
    let exports_list: [(&CStr, sys::napi_callback); 6] = [
        (c"cosineSimilarityF32", Some(cosine_f32)),
        (c"cosineSimilarityF64", Some(cosine_f64)),
        (c"euclideanDistanceF32", Some(euclidean_f32)),
        (c"euclideanDistanceF64", Some(euclidean_f64)),
        (c"cosineSimilarityBatchF32", Some(cosine_batch_f32)),
        (c"boundaryProbe", Some(boundary_probe)),
    ];
    for (name, callback) in exports_list {
        let mut function = ptr::null_mut();
        let status = sys::napi_create_function(
            env,
            name.as_ptr(),
            name.to_bytes().len() as isize,
            callback,
            ptr::null_mut(),
            &mut function,
        );
        napi::check_status!(status, "creating {name:?}")?;
        let status = sys::napi_set_named_property(env, exports, name.as_ptr(), function);
        napi::check_status!(status, "exporting {name:?}")?;
    }
    Ok(())
}
