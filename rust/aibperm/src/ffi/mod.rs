//! The C ABI: handles, statuses, buffers, operations and the log.
//!
//! Conventions shared by every export (the header repeats them per function):
//!
//! - Data crosses as UTF-8 JSON bytes: inputs are a pointer and a length (no NUL), borrowed
//!   for the call only; a NULL input pointer with length 0 is an empty input.
//! - Outputs are owned buffers released with `aibperm_buffer_free(ptr, len)`. They are
//!   written only when the call returns `AIBPERM_STATUS_OK`; on failure they are untouched.
//! - Fallible calls take a final `error_out`; on failure, when it is not NULL, it receives an
//!   `aibperm_error` for `aibperm_error_free`. On success it is untouched.
//! - Every export runs inside a panic boundary: a panic becomes `AIBPERM_STATUS_PANIC`.
//! - Every `_free` accepts NULL. The library never calls back into the host.

#![expect(non_camel_case_types, reason = "C names")]
#![expect(
    clippy::not_unsafe_ptr_arg_deref,
    reason = "exports are called from C, whose callers uphold the pointer contract in the header"
)]

mod buffer;
mod client;
mod error;
mod log;
mod offline;
mod operation;
mod status;

pub use buffer::aibperm_buffer_free;
pub use client::{
    aibperm_client, aibperm_client_free, aibperm_client_new, aibperm_client_take_log,
};
pub use error::{aibperm_error, aibperm_error_free, aibperm_error_json, aibperm_error_status};
pub use offline::{
    aibperm_role_file_parse, aibperm_role_file_render, aibperm_role_generate, aibperm_scope_parse,
    aibperm_version,
};
pub use operation::{
    aibperm_operation, aibperm_operation_cancel, aibperm_operation_free,
    aibperm_operation_progress, aibperm_operation_result, aibperm_operation_start,
    aibperm_operation_wait,
};
pub use status::aibperm_status;

#[doc(hidden)]
pub use operation::operation_from_future;

use std::panic::{AssertUnwindSafe, catch_unwind};

use error::FfiError;

/// Runs `body` inside the panic boundary and turns its outcome into a status.
///
/// On failure the error is handed to `*error_out` when `error_out` is not NULL; a panic
/// becomes `AIBPERM_STATUS_PANIC` with "bug in aibperm" in its message.
fn boundary(
    error_out: *mut *mut aibperm_error,
    body: impl FnOnce() -> Result<(), FfiError>,
) -> aibperm_status {
    let outcome = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => return aibperm_status::Ok,
        Ok(Err(e)) => e,
        Err(payload) => FfiError::from_panic(payload.as_ref()),
    };

    let status = outcome.status;
    if !error_out.is_null() {
        let boxed = Box::into_raw(Box::new(aibperm_error::from(outcome)));
        // SAFETY: `error_out` is not NULL and the caller promises it points to writable
        // storage for one pointer (the documented contract of every `error_out`).
        unsafe { error_out.write(boxed) };
    }
    status
}

/// Runs `body` inside the panic boundary for exports without `error_out`; the failure's
/// status is all the caller gets.
fn boundary_status(body: impl FnOnce() -> Result<aibperm_status, FfiError>) -> aibperm_status {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(status)) => status,
        Ok(Err(e)) => e.status,
        Err(_) => aibperm_status::Panic,
    }
}

/// Runs a `_free` body: a panic is swallowed, as a free function has no way to report it.
fn boundary_void(body: impl FnOnce()) {
    let _ = catch_unwind(AssertUnwindSafe(body));
}

/// Runs `body` inside the same panic boundary the exports use, writing a failure to
/// `error_out` as they do. For the contract tests (a forced panic must become PANIC).
#[doc(hidden)]
pub fn run_in_boundary(
    error_out: *mut *mut aibperm_error,
    body: impl FnOnce() -> Result<(), Box<crate::Error>>,
) -> aibperm_status {
    boundary(error_out, || body().map_err(|e| FfiError::from(*e)))
}
