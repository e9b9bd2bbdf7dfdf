//! Reading a `Float32Array` or `Float64Array` argument in place: one `napi_get_typedarray_info`
//! call, no reference, no copy. `index.js` only passes these two kinds (it converts `number[]` and
//! other typed arrays first), so anything else is a bug there, reported as a TypeError.

use std::ptr;

use accel_vectors::VectorRef;
use napi::bindgen_prelude::{FromNapiValue, TypeName, TypedArrayType, ValueType};
use napi::{sys, Error, Result, Status};

/// A typed array argument, borrowed for the duration of one synchronous call.
///
/// The slice points into the array's backing store, which stays put while the call runs: no
/// JavaScript can run in between, and `napi_get_typedarray_info` moves a small on-heap array's
/// contents out of the GC heap before it returns the pointer.
pub struct JsVector<'call>(pub VectorRef<'call>);

impl FromNapiValue for JsVector<'_> {
    unsafe fn from_napi_value(env: sys::napi_env, value: sys::napi_value) -> Result<Self> {
        let mut kind = 0;
        let mut length = 0;
        let mut data = ptr::null_mut();
        let mut buffer = ptr::null_mut();
        let mut byte_offset = 0;
        let status = sys::napi_get_typedarray_info(
            env,
            value,
            &mut kind,
            &mut length,
            &mut data,
            &mut buffer,
            &mut byte_offset,
        );
        if status != sys::Status::napi_ok {
            return Err(not_a_vector());
        }
        // A zero-length (or detached) array may report a null pointer, which a slice must not hold.
        let vector = match kind {
            k if k == TypedArrayType::Float32 as i32 => VectorRef::F32(if length == 0 {
                &[]
            } else {
                std::slice::from_raw_parts(data.cast::<f32>(), length)
            }),
            k if k == TypedArrayType::Float64 as i32 => VectorRef::F64(if length == 0 {
                &[]
            } else {
                std::slice::from_raw_parts(data.cast::<f64>(), length)
            }),
            _ => return Err(not_a_vector()),
        };
        Ok(JsVector(vector))
    }
}

impl TypeName for JsVector<'_> {
    fn type_name() -> &'static str {
        "Float32Array | Float64Array"
    }

    fn value_type() -> ValueType {
        ValueType::Object
    }
}

fn not_a_vector() -> Error {
    Error::new(
        Status::InvalidArg,
        "expected a Float32Array or Float64Array".to_owned(),
    )
}
