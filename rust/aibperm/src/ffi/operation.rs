//! Operations: ARM work running on the client's runtime, polled by the host with bounded
//! waits so it stays responsive (Ctrl+C, progress) during long waits.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use futures::FutureExt as _;
use tokio::task::AbortHandle;
use tracing::instrument::WithSubscriber as _;

use super::buffer::{input_bytes, input_str, out_arg, parse_json, to_json, utf8, write_buffer};
use super::client::{ClientInner, aibperm_client};
use super::error::FfiError;
use super::status::aibperm_status;
use super::{aibperm_error, boundary, boundary_status, boundary_void};
use crate::arm::{Progress, is_known_operation};

/// One running or finished operation, started by `aibperm_operation_start`.
///
/// All calls on an operation may come from any thread, concurrently, except
/// `aibperm_operation_free`, which must be the last call. The operation keeps its client's
/// runtime alive, so it stays usable after `aibperm_client_free`.
pub struct aibperm_operation {
    shared: Arc<Shared>,
    progress: Progress,
    abort: AbortHandle,
    _client: Arc<ClientInner>,
}

/// The completion state, written once by the task (or by a cancel) and read by the host.
struct Shared {
    state: Mutex<State>,
    finished: Condvar,
}

enum State {
    Running,
    Finished(Result<Vec<u8>, FfiError>),
    Taken,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Records the outcome unless one is already there (a cancel wins over a late finish).
    fn finish(&self, outcome: Result<Vec<u8>, FfiError>) -> bool {
        let mut state = self.lock();
        if !matches!(*state, State::Running) {
            return false;
        }
        *state = State::Finished(outcome);
        self.finished.notify_all();
        true
    }

    fn is_running(&self) -> bool {
        matches!(*self.lock(), State::Running)
    }
}

impl aibperm_operation {
    /// Spawns `future` on the client's runtime with the client's log attached.
    fn spawn<F>(client: &Arc<ClientInner>, progress: Progress, future: F) -> Result<Self, FfiError>
    where
        F: Future<Output = crate::Result<serde_json::Value>> + Send + 'static,
    {
        let shared = Arc::new(Shared {
            state: Mutex::new(State::Running),
            finished: Condvar::new(),
        });

        let task_shared = shared.clone();
        let task_progress = progress.clone();
        let task = async move {
            let outcome = match AssertUnwindSafe(future).catch_unwind().await {
                Ok(Ok(value)) => to_json(&value),
                Ok(Err(e)) => Err(FfiError::from(e)),
                Err(payload) => Err(FfiError::from_panic(payload.as_ref())),
            };
            let message = match &outcome {
                Ok(_) => String::from("finished"),
                Err(e) => format!("failed: {}", e.error),
            };
            if task_shared.finish(outcome) {
                task_progress.finish(message);
            }
        };

        let handle = client
            .runtime()?
            .spawn(task.with_subscriber(client.dispatch.clone()));

        Ok(aibperm_operation {
            shared,
            progress,
            abort: handle.abort_handle(),
            _client: client.clone(),
        })
    }

    fn cancel(&self) {
        let cancelled = FfiError::new(aibperm_status::Cancelled, "the operation was cancelled");
        if self.shared.finish(Err(cancelled)) {
            self.progress.finish("cancelled");
        }
        self.abort.abort();
    }
}

/// Runs `make(progress)` as an operation of `client`, as `aibperm_operation_start` does
/// for ARM work. For the contract tests of the operation lifecycle; returns NULL when
/// `client` is NULL or its runtime has stopped.
#[doc(hidden)]
pub fn operation_from_future<F>(
    client: *const aibperm_client,
    make: impl FnOnce(Progress) -> F,
) -> *mut aibperm_operation
where
    F: Future<Output = crate::Result<serde_json::Value>> + Send + 'static,
{
    // SAFETY: a non-NULL `client` came from `aibperm_client_new` and is not yet freed.
    let Some(client) = (unsafe { client.as_ref() }) else {
        return std::ptr::null_mut();
    };
    let progress = Progress::new();
    match aibperm_operation::spawn(&client.inner, progress.clone(), make(progress)) {
        Ok(op) => Box::into_raw(Box::new(op)),
        Err(_) => std::ptr::null_mut(),
    }
}

/// Starts ARM work named `name` (`resourceGroup.get`, `identity.createOrUpdate`,
/// `roleDefinition.ensure`, `roleAssignment.create`, ... as listed in
/// docs/native-interface.md) with a UTF-8 JSON request, and returns at once.
///
/// `client`, `name`/`name_len` and `request`/`request_len` are borrowed for this call only.
/// On `AIBPERM_STATUS_OK`, `*operation_out` receives an operation for
/// `aibperm_operation_free`; otherwise it is untouched and `*error_out` (if not NULL)
/// receives an error. The request's fields are checked when the operation runs; their
/// errors come from `aibperm_operation_result`.
///
/// Statuses: `OK`, `NULL_ARGUMENT`, `INVALID_UTF8`, `INVALID_JSON`, `UNKNOWN_OPERATION`,
/// `INTERNAL`, `PANIC`. Thread-safe: many operations may run on one client at once.
#[unsafe(no_mangle)]
pub extern "C" fn aibperm_operation_start(
    client: *const aibperm_client,
    name: *const u8,
    name_len: usize,
    request: *const u8,
    request_len: usize,
    operation_out: *mut *mut aibperm_operation,
    error_out: *mut *mut aibperm_error,
) -> aibperm_status {
    boundary(error_out, || {
        // SAFETY: a non-NULL `client` came from `aibperm_client_new` and is not yet freed.
        let client = unsafe { client.as_ref() }.ok_or_else(|| FfiError::null_argument("client"))?;
        // SAFETY: `name` points to `name_len` readable bytes for this call (caller contract).
        let name = unsafe { input_str(name, name_len, "name") }?;
        // SAFETY: `request` points to `request_len` readable bytes for this call.
        let request = unsafe { input_bytes(request, request_len, "request") }?;
        let operation_out = out_arg(operation_out, "operation_out")?;

        if !is_known_operation(name) {
            return Err(FfiError::new(
                aibperm_status::UnknownOperation,
                format!("unknown operation '{name}'"),
            )
            .with_target("name"));
        }
        let request: serde_json::Value = parse_json(utf8(request, "request")?, "request")?;
        let inner = &client.inner;
        let progress = Progress::new();
        let (arm, name, task_progress) = (inner.arm.clone(), name.to_owned(), progress.clone());
        let future = async move { arm.execute(&name, request, &task_progress).await };
        let operation = aibperm_operation::spawn(inner, progress, future)?;

        // SAFETY: `operation_out` was checked for NULL and points to caller storage.
        unsafe { operation_out.write(Box::into_raw(Box::new(operation))) };
        Ok(())
    })
}

/// Waits up to `timeout_ms` milliseconds (0: just look) for `operation` to finish.
///
/// Returns `AIBPERM_STATUS_OK` once it has finished (successfully, with an error, or
/// cancelled; take the outcome with `aibperm_operation_result`), `AIBPERM_STATUS_PENDING`
/// when it is still running, `NULL_ARGUMENT`, or `PANIC`. Blocks only the calling thread,
/// so poll in short waits to stay responsive. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn aibperm_operation_wait(
    operation: *mut aibperm_operation,
    timeout_ms: u32,
) -> aibperm_status {
    boundary_status(|| {
        // SAFETY: a non-NULL `operation` came from this library and is not yet freed.
        let operation =
            unsafe { operation.as_ref() }.ok_or_else(|| FfiError::null_argument("operation"))?;

        let shared = &operation.shared;
        let timeout = Duration::from_millis(u64::from(timeout_ms));
        let (state, _) = shared
            .finished
            .wait_timeout_while(shared.lock(), timeout, |s| matches!(s, State::Running))
            .unwrap_or_else(PoisonError::into_inner);

        Ok(match *state {
            State::Running => aibperm_status::Pending,
            State::Finished(_) | State::Taken => aibperm_status::Ok,
        })
    })
}

/// Reads what `operation` is doing now, as UTF-8 JSON: `phase` (`starting`, `sending`,
/// `retrying`, `waitingForPrincipal`, `waitingForRoleVisibility`, `done`), `message`,
/// `attempt`, `secondsWaited`, `deadlineSeconds` (may be null) and `done`.
///
/// `operation` is borrowed. On `AIBPERM_STATUS_OK`, `*progress_out`/`*progress_len_out`
/// receive an owned buffer for `aibperm_buffer_free`; otherwise they are untouched.
/// Statuses: `OK`, `NULL_ARGUMENT`, `INTERNAL`, `PANIC`. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn aibperm_operation_progress(
    operation: *const aibperm_operation,
    progress_out: *mut *mut u8,
    progress_len_out: *mut usize,
) -> aibperm_status {
    boundary_status(|| {
        // SAFETY: a non-NULL `operation` came from this library and is not yet freed.
        let operation =
            unsafe { operation.as_ref() }.ok_or_else(|| FfiError::null_argument("operation"))?;
        let progress_out = out_arg(progress_out, "progress_out")?;
        let progress_len_out = out_arg(progress_len_out, "progress_len_out")?;

        let mut snapshot = operation.progress.snapshot();
        if !operation.shared.is_running() && !snapshot.done {
            // The outcome is recorded a moment before the task updates its progress.
            snapshot.phase = String::from("done");
            snapshot.done = true;
        }
        let json = to_json(&snapshot)?;

        // SAFETY: both output pointers were checked for NULL and point to caller storage.
        unsafe { write_buffer(progress_out, progress_len_out, json) };
        Ok(aibperm_status::Ok)
    })
}

/// Cancels `operation`: its work is stopped at the next await point and its result becomes
/// `AIBPERM_STATUS_CANCELLED`. A write ARM already accepted is not undone. Cancelling a
/// finished operation changes nothing. Returns at once; `aibperm_operation_wait` then
/// returns `OK`.
///
/// Statuses: `OK`, `NULL_ARGUMENT`, `PANIC`. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn aibperm_operation_cancel(operation: *mut aibperm_operation) -> aibperm_status {
    boundary_status(|| {
        // SAFETY: a non-NULL `operation` came from this library and is not yet freed.
        let operation =
            unsafe { operation.as_ref() }.ok_or_else(|| FfiError::null_argument("operation"))?;

        operation.cancel();
        Ok(aibperm_status::Ok)
    })
}

/// Takes the outcome of a finished operation, once.
///
/// On success returns `AIBPERM_STATUS_OK` and `*result_out`/`*result_len_out` receive the
/// UTF-8 JSON result (an owned buffer for `aibperm_buffer_free`). If the operation failed,
/// returns its status (`SERVICE`, `CONFLICT`, `INVALID_ARGUMENT`, `CANCELLED`, ...) and
/// `*error_out` (if not NULL) receives the error. While it runs: `NOT_FINISHED`; after the
/// outcome was taken: `ALREADY_TAKEN`. Outputs are untouched unless the status is `OK`.
/// NULL `operation`, `result_out` or `result_len_out`: `NULL_ARGUMENT`. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn aibperm_operation_result(
    operation: *mut aibperm_operation,
    result_out: *mut *mut u8,
    result_len_out: *mut usize,
    error_out: *mut *mut aibperm_error,
) -> aibperm_status {
    boundary(error_out, || {
        // SAFETY: a non-NULL `operation` came from this library and is not yet freed.
        let operation =
            unsafe { operation.as_ref() }.ok_or_else(|| FfiError::null_argument("operation"))?;
        let result_out = out_arg(result_out, "result_out")?;
        let result_len_out = out_arg(result_len_out, "result_len_out")?;

        let outcome = {
            let mut state = operation.shared.lock();
            match std::mem::replace(&mut *state, State::Taken) {
                State::Finished(outcome) => outcome,
                State::Running => {
                    *state = State::Running;
                    return Err(FfiError::new(
                        aibperm_status::NotFinished,
                        "the operation is still running; wait for it first",
                    ));
                }
                State::Taken => {
                    return Err(FfiError::new(
                        aibperm_status::AlreadyTaken,
                        "the result of this operation was already taken",
                    ));
                }
            }
        };
        let bytes = outcome?;

        // SAFETY: both output pointers were checked for NULL and point to caller storage.
        unsafe { write_buffer(result_out, result_len_out, bytes) };
        Ok(())
    })
}

/// Releases an operation, cancelling it first if it still runs. NULL is a no-op.
///
/// Must be the last call on `operation`, made once. Returns promptly.
#[unsafe(no_mangle)]
pub extern "C" fn aibperm_operation_free(operation: *mut aibperm_operation) {
    boundary_void(|| {
        if operation.is_null() {
            return;
        }
        // SAFETY: a non-NULL `operation` came from this library, is freed once, and no other
        // call on it is running (caller contract).
        let operation = unsafe { Box::from_raw(operation) };
        operation.cancel();
        drop(operation);
    })
}
