//! The client handle: configuration, one tokio runtime, the ARM client and the log.

use std::sync::Arc;

use tokio::runtime::Runtime;
use tracing::Dispatch;

use super::buffer::{input_str, out_arg, parse_json, write_buffer};
use super::error::FfiError;
use super::log::{LogBuffer, dispatch};
use super::status::aibperm_status;
use super::{aibperm_error, boundary, boundary_status, boundary_void};
use crate::Error;
use crate::arm::{ArmClient, ClientConfig};

/// A configured connection to ARM and Entra ID: endpoints, credential, trusted CA, retry
/// limits, and the log of everything it did.
///
/// Made by `aibperm_client_new`, released by `aibperm_client_free`. Operations and
/// `aibperm_client_take_log` may be called on one client from several threads at once.
pub struct aibperm_client {
    pub(crate) inner: Arc<ClientInner>,
}

/// What a client shares with its operations. An operation keeps this alive, so freeing a
/// client while its operations run is safe: the runtime stops when the last one is freed.
pub(crate) struct ClientInner {
    runtime: Option<Runtime>,
    pub arm: ArmClient,
    pub log: Arc<LogBuffer>,
    pub dispatch: Dispatch,
}

impl ClientInner {
    pub fn runtime(&self) -> Result<&Runtime, FfiError> {
        self.runtime
            .as_ref()
            .ok_or_else(|| FfiError::from(Error::internal("the client's runtime has stopped")))
    }
}

impl Drop for ClientInner {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            // Does not wait for tasks to notice; a free must return promptly.
            runtime.shutdown_background();
        }
    }
}

/// Replaces every double-quoted value in a decoding message: a misplaced secret must not be
/// echoed into an error. Field names are quoted with backticks by serde and stay readable.
fn redact_values(mut e: FfiError) -> FfiError {
    let mut redacted = String::with_capacity(e.error.message.len());
    for (i, part) in e.error.message.split('"').enumerate() {
        if i > 0 {
            redacted.push('"');
        }
        redacted.push_str(if i % 2 == 1 { "***" } else { part });
    }
    e.error.message = redacted;
    e
}

fn build_client(config_text: &str) -> Result<ClientInner, FfiError> {
    let config: ClientConfig = parse_json(config_text, "config").map_err(redact_values)?;
    let log = Arc::new(LogBuffer::default());
    let dispatch = dispatch(log.clone(), config.log_level.to_tracing());

    let arm = tracing::dispatcher::with_default(&dispatch, || {
        ArmClient::new(config).map_err(FfiError::from)
    })?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("aibperm-worker")
        .enable_all()
        .build()
        .map_err(|e| Error::internal(format!("starting the client's runtime: {e}")))?;

    Ok(ClientInner {
        runtime: Some(runtime),
        arm,
        log,
        dispatch,
    })
}

/// Makes a client from a UTF-8 JSON configuration (see docs/native-interface.md: endpoints,
/// credential, `caCertificatePath`, retry, `requestTimeoutSeconds`, `logLevel`).
///
/// `config`/`config_len` are borrowed for this call. No network I/O happens here; a bad
/// credential shows on the first operation. On `AIBPERM_STATUS_OK`, `*client_out` receives a
/// client for `aibperm_client_free`; otherwise it is untouched and `*error_out` (if not NULL)
/// receives an error.
///
/// Statuses: `OK`, `NULL_ARGUMENT`, `INVALID_UTF8`, `INVALID_JSON`, `INVALID_ARGUMENT` (an
/// unknown field or a bad value; `target` names it), `INTERNAL`, `PANIC`.
/// Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn aibperm_client_new(
    config: *const u8,
    config_len: usize,
    client_out: *mut *mut aibperm_client,
    error_out: *mut *mut aibperm_error,
) -> aibperm_status {
    boundary(error_out, || {
        // SAFETY: `config` points to `config_len` readable bytes for this call (caller contract).
        let config = unsafe { input_str(config, config_len, "config") }?;
        let client_out = out_arg(client_out, "client_out")?;

        let inner = build_client(config)?;

        let client = Box::new(aibperm_client {
            inner: Arc::new(inner),
        });
        // SAFETY: `client_out` was checked for NULL and points to caller storage.
        unsafe { client_out.write(Box::into_raw(client)) };
        Ok(())
    })
}

/// Releases a client. NULL is a no-op.
///
/// Operations started from it stay valid and keep running until they are freed; the
/// client's runtime stops once the client and all its operations are freed, without
/// waiting for unfinished work. Returns promptly. Call once; not concurrently with other
/// calls on the same client.
#[unsafe(no_mangle)]
pub extern "C" fn aibperm_client_free(client: *mut aibperm_client) {
    boundary_void(|| {
        if !client.is_null() {
            // SAFETY: a non-NULL `client` came from `aibperm_client_new` and is freed once.
            drop(unsafe { Box::from_raw(client) });
        }
    })
}

/// Takes the client's log records gathered since the last call: JSON lines, oldest first,
/// each `{"level", "target", "message"}`, at or above the configured `logLevel`. The log
/// holds the latest 10,000 records; when older ones were dropped, a first `warn` record says
/// how many. Records never hold tokens, secrets or Authorization headers.
///
/// `client` is borrowed. On `AIBPERM_STATUS_OK`, `*log_out`/`*log_len_out` receive an owned
/// buffer for `aibperm_buffer_free`; when there are no records they receive NULL and 0.
/// Statuses: `OK`, `NULL_ARGUMENT`, `PANIC`. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn aibperm_client_take_log(
    client: *const aibperm_client,
    log_out: *mut *mut u8,
    log_len_out: *mut usize,
) -> aibperm_status {
    boundary_status(|| {
        // SAFETY: a non-NULL `client` came from `aibperm_client_new` and is not yet freed.
        let client = unsafe { client.as_ref() }.ok_or_else(|| FfiError::null_argument("client"))?;
        let log_out = out_arg(log_out, "log_out")?;
        let log_len_out = out_arg(log_len_out, "log_len_out")?;

        let records = client.inner.log.take();

        // SAFETY: both output pointers were checked for NULL and point to caller storage.
        unsafe { write_buffer(log_out, log_len_out, records) };
        Ok(aibperm_status::Ok)
    })
}
