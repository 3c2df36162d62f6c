//! Real ARM operations through the C ABI against a slow in-process emulator: pending
//! waits, progress, a service error rendered as the error object, cancel, free while
//! running, and the client log.

use std::ptr::null_mut;

use aibperm::ffi::*;
use aibperm_emulator::{Emulator, EmulatorConfig, Faults, StateFile};
use serde_json::{Value, json};

/// Every ARM answer of the emulator is delayed this long, so a fresh operation is running.
const SLOW_MS: u64 = 1500;

struct Fixture {
    runtime: tokio::runtime::Runtime,
    emulator: Option<Emulator>,
    client: *mut aibperm_client,
    state: StateFile,
    _dir: tempfile::TempDir,
}

impl Fixture {
    fn start() -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        let emulator = runtime
            .block_on(Emulator::start(EmulatorConfig {
                data_dir: Some(dir.path().to_path_buf()),
                faults: Faults {
                    slow_response_ms: SLOW_MS,
                    ..Faults::default()
                },
                ..EmulatorConfig::default()
            }))
            .expect("emulator starts");
        let state = emulator.state().clone();
        let config = json!({
            "armEndpoint": state.endpoint,
            "authorityHost": state.authority_host,
            "audience": state.audience,
            "caCertificatePath": state.ca_certificate_path,
            "credential": {
                "kind": "clientSecret", "tenantId": state.tenant_id,
                "clientId": state.client_id, "clientSecret": state.client_secret
            },
            "retry": { "maxRetries": 0 },
            "logLevel": "debug"
        })
        .to_string();
        let mut client = null_mut();
        let status = aibperm_client_new(config.as_ptr(), config.len(), &mut client, null_mut());
        assert_eq!(status, aibperm_status::Ok);
        Fixture {
            runtime,
            emulator: Some(emulator),
            client,
            state,
            _dir: dir,
        }
    }

    fn start_operation(&self, name: &str, request: Value) -> *mut aibperm_operation {
        let request = request.to_string();
        let mut op = null_mut();
        let status = aibperm_operation_start(
            self.client,
            name.as_ptr(),
            name.len(),
            request.as_ptr(),
            request.len(),
            &mut op,
            null_mut(),
        );
        assert_eq!(status, aibperm_status::Ok, "{name} starts");
        op
    }

    fn take_log(&self) -> String {
        let (mut out, mut len) = (null_mut(), 0);
        assert_eq!(
            aibperm_client_take_log(self.client, &mut out, &mut len),
            aibperm_status::Ok
        );
        String::from_utf8(take_buffer(out, len)).expect("the log is UTF-8")
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        aibperm_client_free(self.client);
        if let Some(emulator) = self.emulator.take() {
            self.runtime.block_on(emulator.shutdown());
        }
    }
}

fn take_buffer(ptr: *mut u8, len: usize) -> Vec<u8> {
    let bytes = if ptr.is_null() {
        Vec::new()
    } else {
        // SAFETY: the library returned `ptr` with `len` bytes; it is freed just below.
        unsafe { std::slice::from_raw_parts(ptr, len) }.to_vec()
    };
    aibperm_buffer_free(ptr, len);
    bytes
}

fn take_error(error: *mut aibperm_error) -> Value {
    assert!(!error.is_null(), "an error was expected");
    let (mut ptr, mut len) = (null_mut(), 0);
    assert_eq!(
        aibperm_error_json(error, &mut ptr, &mut len),
        aibperm_status::Ok
    );
    aibperm_error_free(error);
    serde_json::from_slice(&take_buffer(ptr, len)).expect("error JSON parses")
}

fn progress_of(op: *mut aibperm_operation) -> Value {
    let (mut out, mut len) = (null_mut(), 0);
    assert_eq!(
        aibperm_operation_progress(op, &mut out, &mut len),
        aibperm_status::Ok
    );
    serde_json::from_slice(&take_buffer(out, len)).expect("progress JSON parses")
}

/// Polls in short waits, as the module does, until the operation finishes.
fn wait_until_finished(op: *mut aibperm_operation) {
    for _ in 0..600 {
        match aibperm_operation_wait(op, 100) {
            aibperm_status::Ok => return,
            aibperm_status::Pending => {}
            other => panic!("wait returned {other:?}"),
        }
    }
    panic!("the operation did not finish within a minute");
}

#[test]
#[cfg_attr(miri, ignore)]
fn a_missing_resource_group_is_pending_then_a_service_error_with_arm_details() {
    let fx = Fixture::start();
    let op = fx.start_operation(
        "resourceGroup.get",
        json!({ "subscriptionId": fx.state.subscription_id, "resourceGroupName": "missingRG" }),
    );

    assert_eq!(aibperm_operation_wait(op, 0), aibperm_status::Pending);
    let progress = progress_of(op);
    assert_eq!(progress["done"], false);
    let phases = ["starting", "sending", "retrying"];
    assert!(
        phases.contains(&progress["phase"].as_str().unwrap()),
        "{progress}"
    );
    let (mut out, mut len, mut error) = (null_mut(), 0, null_mut());
    let status = aibperm_operation_result(op, &mut out, &mut len, &mut error);
    assert_eq!(status, aibperm_status::NotFinished);
    aibperm_error_free(error);

    wait_until_finished(op);
    assert_eq!(progress_of(op)["done"], true);
    let mut error = null_mut();
    let status = aibperm_operation_result(op, &mut out, &mut len, &mut error);
    assert_eq!(status, aibperm_status::Service);
    assert!(out.is_null() && len == 0, "no result on failure");
    let error = take_error(error);
    assert_eq!(error["statusName"], "SERVICE");
    assert_eq!(error["httpStatus"], 404);
    assert_eq!(error["armCode"], "ResourceGroupNotFound");
    assert!(error["requestId"].is_string(), "{error}");
    aibperm_operation_free(op);

    let log = fx.take_log();
    assert!(
        log.contains("missingRG"),
        "the request is in the log:\n{log}"
    );
    assert!(
        !log.contains(&fx.state.client_secret),
        "no secret in the log"
    );
    assert!(
        !log.to_ascii_lowercase().contains("bearer "),
        "no token in the log"
    );
}

#[test]
#[cfg_attr(miri, ignore)]
fn a_created_resource_group_comes_back_as_the_result() {
    let fx = Fixture::start();
    let op = fx.start_operation(
        "resourceGroup.createOrUpdate",
        json!({ "subscriptionId": fx.state.subscription_id, "resourceGroupName": "ffiRG",
                "location": "westus2" }),
    );
    wait_until_finished(op);
    let (mut out, mut len, mut error) = (null_mut(), 0, null_mut());
    let status = aibperm_operation_result(op, &mut out, &mut len, &mut error);
    assert_eq!(
        status,
        aibperm_status::Ok,
        "{:?}",
        (!error.is_null()).then(|| take_error(error))
    );
    let group: Value = serde_json::from_slice(&take_buffer(out, len)).unwrap();
    assert_eq!(group["name"], "ffiRG");
    assert_eq!(group["outcome"], "Created");
    aibperm_operation_free(op);
}

#[test]
#[cfg_attr(miri, ignore)]
fn cancelling_a_running_request_makes_the_result_cancelled() {
    let fx = Fixture::start();
    let op = fx.start_operation(
        "resourceGroup.createOrUpdate",
        json!({ "subscriptionId": fx.state.subscription_id, "resourceGroupName": "cancelRG",
                "location": "westus2" }),
    );
    assert_eq!(aibperm_operation_wait(op, 0), aibperm_status::Pending);

    assert_eq!(aibperm_operation_cancel(op), aibperm_status::Ok);
    assert_eq!(aibperm_operation_wait(op, 0), aibperm_status::Ok);
    let (mut out, mut len, mut error) = (null_mut(), 0, null_mut());
    let status = aibperm_operation_result(op, &mut out, &mut len, &mut error);
    assert_eq!(status, aibperm_status::Cancelled);
    assert_eq!(take_error(error)["status"], 302);
    aibperm_operation_free(op);
}

#[test]
#[cfg_attr(miri, ignore)]
fn an_operation_freed_while_running_and_its_client_free_cleanly() {
    let fx = Fixture::start();
    let op = fx.start_operation(
        "identity.get",
        json!({ "subscriptionId": fx.state.subscription_id, "resourceGroupName": "rg",
                "name": "someIdentity" }),
    );
    assert_eq!(aibperm_operation_wait(op, 0), aibperm_status::Pending);
    aibperm_operation_free(op);

    // The client still works after a running operation was freed.
    let op = fx.start_operation(
        "resourceGroup.get",
        json!({ "subscriptionId": fx.state.subscription_id, "resourceGroupName": "other" }),
    );
    wait_until_finished(op);
    let mut error = null_mut();
    let (mut out, mut len) = (null_mut(), 0);
    let status = aibperm_operation_result(op, &mut out, &mut len, &mut error);
    assert_eq!(status, aibperm_status::Service);
    aibperm_error_free(error);
    aibperm_operation_free(op);
}
