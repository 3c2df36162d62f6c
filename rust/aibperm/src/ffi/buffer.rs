//! Byte buffers across the boundary: borrowed inputs, owned outputs, and JSON decoding.

use serde::de::DeserializeOwned;

use super::boundary_void;
use super::error::FfiError;
use super::status::aibperm_status;

/// Checks an output pointer for NULL before any work is done.
pub(crate) fn out_arg<T>(ptr: *mut T, name: &str) -> Result<*mut T, FfiError> {
    if ptr.is_null() {
        Err(FfiError::null_argument(name))
    } else {
        Ok(ptr)
    }
}

/// Borrows an input buffer. NULL with length 0 is an empty input; NULL with a length is
/// `NULL_ARGUMENT`.
///
/// # Safety
/// A non-NULL `ptr` must point to `len` readable bytes that stay valid for `'a`.
pub(crate) unsafe fn input_bytes<'a>(
    ptr: *const u8,
    len: usize,
    name: &str,
) -> Result<&'a [u8], FfiError> {
    if ptr.is_null() {
        return if len == 0 {
            Ok(&[])
        } else {
            Err(FfiError::null_argument(name))
        };
    }
    // SAFETY: the caller guarantees `ptr` points to `len` readable bytes for `'a`.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// Borrows an input buffer as UTF-8 text.
///
/// # Safety
/// As [`input_bytes`].
pub(crate) unsafe fn input_str<'a>(
    ptr: *const u8,
    len: usize,
    name: &str,
) -> Result<&'a str, FfiError> {
    // SAFETY: forwarded caller contract.
    let bytes = unsafe { input_bytes(ptr, len, name) }?;
    utf8(bytes, name)
}

/// Checks that `bytes` are UTF-8, naming the argument and the offset of the first bad byte.
pub(crate) fn utf8<'a>(bytes: &'a [u8], name: &str) -> Result<&'a str, FfiError> {
    std::str::from_utf8(bytes).map_err(|e| {
        FfiError::new(
            aibperm_status::InvalidUtf8,
            format!("{name} is not UTF-8: {e}"),
        )
        .with_target(name)
    })
}

/// Decodes a JSON request. Text that is not JSON gives `INVALID_JSON`; JSON of the wrong
/// shape gives `INVALID_ARGUMENT` with `target` set to the path of the offending field.
pub(crate) fn parse_json<T: DeserializeOwned>(text: &str, name: &str) -> Result<T, FfiError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| json_error(e, name))?;
    de.end().map_err(|e| {
        FfiError::new(
            aibperm_status::InvalidJson,
            format!("{name} is not valid JSON: {e}"),
        )
        .with_target(name)
    })?;
    Ok(value)
}

fn json_error(e: serde_path_to_error::Error<serde_json::Error>, name: &str) -> FfiError {
    let path = e.path().to_string();
    let inner = e.into_inner();
    if inner.is_data() {
        let target = if path == "." { name.to_owned() } else { path };
        FfiError::new(
            aibperm_status::InvalidArgument,
            format!("{name} field {target}: {inner}"),
        )
        .with_target(target)
    } else {
        FfiError::new(
            aibperm_status::InvalidJson,
            format!("{name} is not valid JSON: {inner}"),
        )
        .with_target(name)
    }
}

/// Serializes a result into JSON bytes.
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> Result<Vec<u8>, FfiError> {
    serde_json::to_vec(value).map_err(|e| {
        FfiError::new(
            aibperm_status::Internal,
            format!("rendering result JSON: {e}"),
        )
    })
}

/// Hands `bytes` to the caller as an owned buffer. An empty result is written as NULL
/// with length 0.
///
/// # Safety
/// `out` and `len_out` must be non-NULL and point to writable storage.
pub(crate) unsafe fn write_buffer(out: *mut *mut u8, len_out: *mut usize, bytes: Vec<u8>) {
    let len = bytes.len();
    let ptr = if len == 0 {
        std::ptr::null_mut()
    } else {
        Box::into_raw(bytes.into_boxed_slice()).cast::<u8>()
    };
    // SAFETY: the caller guarantees both pointers are non-NULL and writable.
    unsafe {
        out.write(ptr);
        len_out.write(len);
    }
}

/// Releases a buffer this library returned, given the pointer and length it returned.
///
/// NULL is a no-op (whatever `len`). Passing a different length, or a buffer from any other
/// allocator, is undefined behaviour. Call once per buffer. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn aibperm_buffer_free(ptr: *mut u8, len: usize) {
    boundary_void(|| {
        if ptr.is_null() || len == 0 {
            return;
        }
        let slice = std::ptr::slice_from_raw_parts_mut(ptr, len);
        // SAFETY: `ptr`/`len` describe a boxed slice made by `write_buffer` and the caller
        // frees it once.
        drop(unsafe { Box::from_raw(slice) });
    })
}
