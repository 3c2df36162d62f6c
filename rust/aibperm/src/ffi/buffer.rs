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
    let not_json = |e: serde_json::Error| {
        FfiError::new(
            aibperm_status::InvalidJson,
            format!("{name} is not valid JSON: {e}"),
        )
        .with_target(name)
    };
    let mut de = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        // A streaming decoder may meet a wrong shape before broken syntax; report the syntax.
        match serde_json::from_str::<serde::de::IgnoredAny>(text) {
            Err(syntax) => not_json(syntax),
            Ok(_) => json_error(e, name),
        }
    })?;
    de.end().map_err(not_json)?;
    Ok(value)
}

/// The field a serde data error is about: its path, plus the field named by a "missing
/// field" message (serde reports that one at the parent's path).
fn error_target(path: &str, message: &str) -> Option<String> {
    let named = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next());
    match (path, named) {
        (".", None) => None,
        (".", Some(field)) => Some(field.to_owned()),
        (path, Some(field)) => Some(format!("{path}.{field}")),
        (path, None) => Some(path.to_owned()),
    }
}

fn json_error(e: serde_path_to_error::Error<serde_json::Error>, name: &str) -> FfiError {
    let path = e.path().to_string();
    let inner = e.into_inner();
    if inner.is_data() {
        let target = error_target(&path, &inner.to_string()).unwrap_or_else(|| name.to_owned());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    #[expect(dead_code, reason = "only decoded")]
    struct Outer {
        role: Inner,
        format: String,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    #[expect(dead_code, reason = "only decoded")]
    struct Inner {
        role_name: String,
        actions: Vec<String>,
    }

    fn target_of(json: &str) -> (aibperm_status, Option<String>) {
        let e = parse_json::<Outer>(json, "request").unwrap_err();
        (e.status, e.error.target.clone())
    }

    #[test]
    fn shape_errors_name_the_field_by_its_path() {
        let role = r#"{"roleName": "r", "actions": ["a"]}"#;
        let cases = [
            (format!(r#"{{"role": {role}}}"#), "format"),
            (
                format!(r#"{{"role": {role}, "format": "Flat", "fromat": 1}}"#),
                "fromat",
            ),
            (
                r#"{"role": {"roleName": "r"}, "format": "Flat"}"#.to_owned(),
                "role.actions",
            ),
            (
                r#"{"role": {"roleName": "r", "actions": [1]}, "format": "F"}"#.to_owned(),
                "role.actions[0]",
            ),
            (
                r#"{"role": {"roleName": 5, "actions": []}, "format": "F"}"#.to_owned(),
                "role.roleName",
            ),
        ];
        for (json, target) in cases {
            let (status, got) = target_of(&json);
            assert_eq!(status, aibperm_status::InvalidArgument, "{json}");
            assert_eq!(got.as_deref(), Some(target), "{json}");
        }
    }

    #[test]
    fn text_that_is_not_json_is_invalid_json() {
        for json in ["", "{", "[1, 2", "nope"] {
            assert_eq!(target_of(json).0, aibperm_status::InvalidJson, "{json:?}");
        }
    }
}
