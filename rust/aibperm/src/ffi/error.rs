//! The owned error object handed to the caller, and the failure type inside the boundary.

use std::any::Any;

use serde::Serialize;

use super::buffer::{out_arg, write_buffer};
use super::status::{aibperm_status, status_of};
use super::{boundary_status, boundary_void};
use crate::{Error, ErrorKind};

/// A failure inside an export: the status it returns and the details for `aibperm_error`.
#[derive(Debug, Clone)]
pub(crate) struct FfiError {
    pub status: aibperm_status,
    /// Boxed so results carrying it stay small.
    pub error: Box<Error>,
}

impl FfiError {
    /// A failure with a status that has no library error kind (NULL, UTF-8, JSON, lifecycle).
    pub fn new(status: aibperm_status, message: impl Into<String>) -> Self {
        let kind = match status {
            aibperm_status::Cancelled => ErrorKind::Cancelled,
            aibperm_status::NullArgument
            | aibperm_status::InvalidUtf8
            | aibperm_status::InvalidJson
            | aibperm_status::InvalidArgument
            | aibperm_status::UnknownOperation => ErrorKind::InvalidArgument,
            _ => ErrorKind::Internal,
        };
        FfiError {
            status,
            error: Box::new(Error::new(kind, message)),
        }
    }

    pub fn with_target(mut self, target: impl Into<String>) -> Self {
        self.error.target = Some(target.into());
        self
    }

    /// A required pointer argument was NULL.
    pub fn null_argument(name: &str) -> Self {
        FfiError::new(aibperm_status::NullArgument, format!("{name} is NULL")).with_target(name)
    }

    /// A panic caught at the boundary.
    pub fn from_panic(payload: &(dyn Any + Send)) -> Self {
        let detail = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("no panic message");
        FfiError::new(
            aibperm_status::Panic,
            format!("bug in aibperm: a panic was caught at the C boundary: {detail}"),
        )
        .with_recommended_action("Report this as a bug in aibperm, with the message above.")
    }

    fn with_recommended_action(mut self, action: &str) -> Self {
        self.error.recommended_action = Some(action.to_owned());
        self
    }
}

impl From<Error> for FfiError {
    fn from(error: Error) -> Self {
        FfiError {
            status: status_of(error.kind),
            error: Box::new(error),
        }
    }
}

/// An error returned through `error_out`: a status plus details (message, target, HTTP status,
/// ARM code, request id, recommended action).
///
/// Owned by the caller; release it with `aibperm_error_free`. Immutable, so it may be read
/// from any thread.
pub struct aibperm_error {
    status: aibperm_status,
    error: Error,
}

impl From<FfiError> for aibperm_error {
    fn from(e: FfiError) -> Self {
        aibperm_error {
            status: e.status,
            error: *e.error,
        }
    }
}

/// The error JSON of the native interface.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ErrorJson<'a> {
    status: u32,
    status_name: &'static str,
    http_status: Option<u16>,
    arm_code: Option<&'a str>,
    message: &'a str,
    request_id: Option<&'a str>,
    target: Option<&'a str>,
    recommended_action: Option<&'a str>,
}

impl aibperm_error {
    /// The error rendered as the JSON object of the native interface.
    pub(crate) fn to_json(&self) -> Result<Vec<u8>, FfiError> {
        let e = &self.error;
        let json = ErrorJson {
            status: self.status as u32,
            status_name: self.status.name(),
            http_status: e.http_status,
            arm_code: e.arm_code.as_deref(),
            message: &e.message,
            request_id: e.request_id.as_deref(),
            target: e.target.as_deref(),
            recommended_action: e.recommended_action.as_deref(),
        };
        serde_json::to_vec(&json).map_err(|e| {
            FfiError::new(
                aibperm_status::Internal,
                format!("rendering error JSON: {e}"),
            )
        })
    }
}

/// Returns the status of `error` (the status the failed call returned).
///
/// `error` is borrowed. NULL gives `AIBPERM_STATUS_NULL_ARGUMENT`; a caught panic gives
/// `AIBPERM_STATUS_PANIC`. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn aibperm_error_status(error: *const aibperm_error) -> aibperm_status {
    boundary_status(|| {
        // SAFETY: a non-NULL `error` came from this library and is not yet freed (caller contract).
        let error = unsafe { error.as_ref() }.ok_or_else(|| FfiError::null_argument("error"))?;
        Ok(error.status)
    })
}

/// Renders `error` as UTF-8 JSON: `status`, `statusName`, `httpStatus`, `armCode`, `message`,
/// `requestId`, `target`, `recommendedAction` (the last five may be null).
///
/// `error` is borrowed. On `AIBPERM_STATUS_OK`, `*json_out`/`*json_len_out` receive an owned
/// buffer for `aibperm_buffer_free`; otherwise they are untouched.
/// Statuses: `OK`, `NULL_ARGUMENT` (any argument NULL), `INTERNAL`, `PANIC`. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn aibperm_error_json(
    error: *const aibperm_error,
    json_out: *mut *mut u8,
    json_len_out: *mut usize,
) -> aibperm_status {
    boundary_status(|| {
        // SAFETY: a non-NULL `error` came from this library and is not yet freed (caller contract).
        let error = unsafe { error.as_ref() }.ok_or_else(|| FfiError::null_argument("error"))?;
        let json_out = out_arg(json_out, "json_out")?;
        let json_len_out = out_arg(json_len_out, "json_len_out")?;

        let json = error.to_json()?;

        // SAFETY: both output pointers were checked for NULL and point to caller storage.
        unsafe { write_buffer(json_out, json_len_out, json) };
        Ok(aibperm_status::Ok)
    })
}

/// Releases an error returned through an `error_out` argument. NULL is a no-op.
///
/// Call once per error, not concurrently with other calls on it; the pointer is invalid
/// afterwards.
#[unsafe(no_mangle)]
pub extern "C" fn aibperm_error_free(error: *mut aibperm_error) {
    boundary_void(|| {
        if !error.is_null() {
            // SAFETY: a non-NULL `error` was made by `Box::into_raw` in this library and the
            // caller frees it once.
            drop(unsafe { Box::from_raw(error) });
        }
    })
}
