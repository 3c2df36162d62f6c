//! The C ABI contract, exercised through the rlib: statuses, NULL checks, outputs written
//! only on success, the panic boundary, buffers, the log and the operation lifecycle.

use std::ffi::CStr;
use std::ptr::{null, null_mut};
use std::time::Duration;

use aibperm::ffi::*;
use aibperm::{Error, ErrorKind};
use serde_json::{Value, json};

const SENTINEL_LEN: usize = 0x5a5a;

fn sentinel_ptr() -> *mut u8 {
    std::ptr::dangling_mut::<u8>().wrapping_add(0x40)
}

fn sentinel_error() -> *mut aibperm_error {
    std::ptr::dangling_mut::<u8>().wrapping_add(0x80).cast()
}

/// Takes an owned buffer into a Vec and frees it.
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

/// Renders an error as JSON and frees it.
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

type OfflineCall = extern "C" fn(
    *const u8,
    usize,
    *mut *mut u8,
    *mut usize,
    *mut *mut aibperm_error,
) -> aibperm_status;

const OFFLINE_CALLS: [(&str, OfflineCall); 4] = [
    ("aibperm_role_generate", aibperm_role_generate),
    ("aibperm_role_file_parse", aibperm_role_file_parse),
    ("aibperm_role_file_render", aibperm_role_file_render),
    ("aibperm_scope_parse", aibperm_scope_parse),
];

/// Calls an offline export with `input`; returns the status, the output and the error JSON.
fn call(f: OfflineCall, input: &[u8]) -> (aibperm_status, Vec<u8>, Option<Value>) {
    let (mut out, mut len, mut error) = (null_mut(), 0, null_mut());
    let status = f(input.as_ptr(), input.len(), &mut out, &mut len, &mut error);
    if status == aibperm_status::Ok {
        assert!(error.is_null(), "no error on success");
        (status, take_buffer(out, len), None)
    } else {
        assert!(out.is_null() && len == 0, "no output on failure");
        (status, Vec::new(), Some(take_error(error)))
    }
}

fn generate_request() -> Vec<u8> {
    json!({
        "scenario": "ImageCreation",
        "subscriptionId": "00000000-0000-0000-0000-00000000aaaa",
        "resourceGroupName": "imageRG"
    })
    .to_string()
    .into_bytes()
}

fn offline_client() -> *mut aibperm_client {
    // Loopback port 9 (discard): nothing here connects; operations in these tests are local.
    let config = json!({
        "armEndpoint": "https://127.0.0.1:9",
        "authorityHost": "https://127.0.0.1:9",
        "audience": "https://management.azure.com/",
        "credential": { "kind": "accessToken", "token": "contract-test-token" },
        "logLevel": "debug"
    })
    .to_string();
    let (mut client, mut error) = (null_mut(), null_mut());
    let status = aibperm_client_new(config.as_ptr(), config.len(), &mut client, &mut error);
    if status != aibperm_status::Ok {
        panic!("client_new failed: {}", take_error(error));
    }
    client
}

#[test]
fn status_numbers_and_names_match_the_interface_snapshot() {
    let snapshot = [
        (aibperm_status::Ok, 0, "OK"),
        (aibperm_status::Pending, 1, "PENDING"),
        (aibperm_status::NullArgument, 100, "NULL_ARGUMENT"),
        (aibperm_status::InvalidUtf8, 101, "INVALID_UTF8"),
        (aibperm_status::InvalidJson, 102, "INVALID_JSON"),
        (aibperm_status::InvalidArgument, 103, "INVALID_ARGUMENT"),
        (aibperm_status::UnknownOperation, 104, "UNKNOWN_OPERATION"),
        (aibperm_status::NotFinished, 105, "NOT_FINISHED"),
        (aibperm_status::AlreadyTaken, 106, "ALREADY_TAKEN"),
        (aibperm_status::Credential, 200, "CREDENTIAL"),
        (aibperm_status::Transport, 300, "TRANSPORT"),
        (aibperm_status::DeadlineExceeded, 301, "DEADLINE_EXCEEDED"),
        (aibperm_status::Cancelled, 302, "CANCELLED"),
        (aibperm_status::Service, 400, "SERVICE"),
        (aibperm_status::Conflict, 410, "CONFLICT"),
        (aibperm_status::Decode, 500, "DECODE"),
        (aibperm_status::Panic, 900, "PANIC"),
        (aibperm_status::Internal, 901, "INTERNAL"),
    ];
    assert_eq!(
        snapshot.len(),
        aibperm_status::ALL.len(),
        "a status is missing here"
    );
    for (status, number, name) in snapshot {
        assert_eq!(status as u32, number, "{name}");
        assert_eq!(status.name(), name);
    }
}

#[test]
fn version_is_the_static_package_version() {
    // SAFETY: aibperm_version returns a static NUL-terminated string.
    let version = unsafe { CStr::from_ptr(aibperm_version()) };
    assert_eq!(version.to_str().unwrap(), env!("CARGO_PKG_VERSION"));
    assert_eq!(
        aibperm_version(),
        aibperm_version(),
        "the same static string each time"
    );
}

#[test]
fn every_free_accepts_null() {
    aibperm_buffer_free(null_mut(), 0);
    aibperm_buffer_free(null_mut(), 12);
    aibperm_error_free(null_mut());
    aibperm_client_free(null_mut());
    aibperm_operation_free(null_mut());
}

#[test]
fn offline_calls_reject_each_null_pointer_and_leave_outputs_untouched() {
    let request = generate_request();
    for (name, f) in OFFLINE_CALLS {
        let (mut out, mut len, mut error) = (sentinel_ptr(), SENTINEL_LEN, null_mut());

        let status = f(null(), 5, &mut out, &mut len, &mut error);
        assert_eq!(
            status,
            aibperm_status::NullArgument,
            "{name}: NULL input with a length"
        );
        assert_eq!(
            (out, len),
            (sentinel_ptr(), SENTINEL_LEN),
            "{name}: outputs untouched"
        );
        assert_eq!(take_error(error)["statusName"], "NULL_ARGUMENT");

        let status = f(
            request.as_ptr(),
            request.len(),
            null_mut(),
            &mut len,
            null_mut(),
        );
        assert_eq!(
            status,
            aibperm_status::NullArgument,
            "{name}: NULL result_out"
        );
        assert_eq!(len, SENTINEL_LEN);

        let status = f(
            request.as_ptr(),
            request.len(),
            &mut out,
            null_mut(),
            null_mut(),
        );
        assert_eq!(
            status,
            aibperm_status::NullArgument,
            "{name}: NULL result_len_out"
        );
        assert_eq!(out, sentinel_ptr());
    }
}

#[test]
fn a_null_input_with_length_zero_is_an_empty_input() {
    for (name, f) in OFFLINE_CALLS {
        let (mut out, mut len, mut error) = (sentinel_ptr(), SENTINEL_LEN, null_mut());
        let status = f(null(), 0, &mut out, &mut len, &mut error);
        assert_ne!(status, aibperm_status::NullArgument, "{name}");
        assert_ne!(
            status,
            aibperm_status::Ok,
            "{name}: an empty input is not a request"
        );
        assert_eq!((out, len), (sentinel_ptr(), SENTINEL_LEN), "{name}");
        aibperm_error_free(error);
    }
}

#[test]
fn error_accessors_reject_null() {
    let (mut out, mut len) = (sentinel_ptr(), SENTINEL_LEN);
    assert_eq!(aibperm_error_status(null()), aibperm_status::NullArgument);
    assert_eq!(
        aibperm_error_json(null(), &mut out, &mut len),
        aibperm_status::NullArgument
    );

    let (status, _, _) = call(aibperm_scope_parse, br#"{"scope": "not a scope"}"#);
    assert_eq!(status, aibperm_status::InvalidArgument);
    let (mut error, mut unused) = (null_mut(), (null_mut(), 0));
    let request = br#"{"scope": 5}"#;
    aibperm_scope_parse(
        request.as_ptr(),
        request.len(),
        &mut unused.0,
        &mut unused.1,
        &mut error,
    );
    assert_eq!(aibperm_error_status(error), aibperm_status::InvalidArgument);
    assert_eq!(
        aibperm_error_json(error, null_mut(), &mut len),
        aibperm_status::NullArgument
    );
    assert_eq!(
        aibperm_error_json(error, &mut out, null_mut()),
        aibperm_status::NullArgument
    );
    assert_eq!((out, len), (sentinel_ptr(), SENTINEL_LEN));
    aibperm_error_free(error);
}

#[test]
fn error_out_is_untouched_on_success_and_may_be_null_on_failure() {
    let request = generate_request();
    let (mut out, mut len, mut error) = (null_mut(), 0, sentinel_error());
    let status = aibperm_role_generate(
        request.as_ptr(),
        request.len(),
        &mut out,
        &mut len,
        &mut error,
    );
    assert_eq!(status, aibperm_status::Ok);
    assert_eq!(error, sentinel_error());
    take_buffer(out, len);

    let bad = b"{";
    let status = aibperm_role_generate(bad.as_ptr(), bad.len(), &mut out, &mut len, null_mut());
    assert_eq!(status, aibperm_status::InvalidJson);
}

#[test]
fn a_panic_inside_the_boundary_becomes_panic_status() {
    let mut error = null_mut();
    let status = run_in_boundary(&mut error, || panic!("forced for the contract test"));
    assert_eq!(status, aibperm_status::Panic);

    let json = take_error(error);
    assert_eq!(json["status"], 900);
    assert_eq!(json["statusName"], "PANIC");
    let message = json["message"].as_str().unwrap();
    assert!(message.contains("bug in aibperm"), "{message}");
    assert!(
        message.contains("forced for the contract test"),
        "{message}"
    );
}

#[test]
fn a_library_error_renders_every_field_of_the_error_json() {
    let mut error = null_mut();
    let status = run_in_boundary(&mut error, || {
        let mut e = Error::new(ErrorKind::Service, "creating role definition x: exists");
        e.http_status = Some(409);
        e.arm_code = Some("RoleDefinitionWithSameNameExists".into());
        e.request_id = Some("0f1e2d3c".into());
        let e = e.with_target("roleName");
        Err(Box::new(e.with_recommended_action("Pass -RoleName")))
    });
    assert_eq!(status, aibperm_status::Service);
    assert_eq!(
        take_error(error),
        json!({
            "status": 400, "statusName": "SERVICE", "httpStatus": 409,
            "armCode": "RoleDefinitionWithSameNameExists",
            "message": "creating role definition x: exists", "requestId": "0f1e2d3c",
            "target": "roleName", "recommendedAction": "Pass -RoleName"
        })
    );
}

#[test]
fn invalid_utf8_bad_json_and_unknown_fields_have_their_own_statuses() {
    let (status, _, error) = call(aibperm_role_generate, b"{\"scenario\": \"\xff\"}");
    assert_eq!(status, aibperm_status::InvalidUtf8);
    assert_eq!(error.unwrap()["statusName"], "INVALID_UTF8");

    let (status, _, _) = call(aibperm_role_file_parse, b"\xfe\xff{}");
    assert_eq!(status, aibperm_status::InvalidUtf8);

    let (status, _, error) = call(aibperm_role_generate, b"{\"scenario\": ");
    assert_eq!(status, aibperm_status::InvalidJson);
    assert!(
        error.unwrap()["message"]
            .as_str()
            .unwrap()
            .contains("not valid JSON")
    );

    let (status, _, error) = call(aibperm_scope_parse, br#"{"scope": "/", "scoop": 1}"#);
    assert_eq!(status, aibperm_status::InvalidArgument);
    let error = error.unwrap();
    assert!(
        error["message"].as_str().unwrap().contains("scoop"),
        "{error}"
    );

    let (status, _, error) = call(aibperm_scope_parse, br#"{"scope": ["/"]}"#);
    assert_eq!(status, aibperm_status::InvalidArgument);
    assert_eq!(error.unwrap()["target"], "scope");
}

#[test]
fn role_generate_returns_a_deterministic_role_definition() {
    let (status, first, _) = call(aibperm_role_generate, &generate_request());
    assert_eq!(status, aibperm_status::Ok);
    let (_, second, _) = call(aibperm_role_generate, &generate_request());
    assert_eq!(first, second, "the same request gives the same role");

    let role: Value = serde_json::from_slice(&first).unwrap();
    assert_eq!(role["roleType"], "CustomRole");
    let scope = "/subscriptions/00000000-0000-0000-0000-00000000aaaa/resourceGroups/imageRG";
    assert_eq!(role["assignableScopes"], json!([scope]));
    let name = role["name"].as_str().unwrap();
    assert_eq!(
        role["id"].as_str().unwrap(),
        format!("{scope}/providers/Microsoft.Authorization/roleDefinitions/{name}")
    );
    assert!(
        role["actions"]
            .as_array()
            .unwrap()
            .contains(&json!("Microsoft.Compute/images/write"))
    );
}

#[test]
fn role_files_round_trip_through_render_and_parse() {
    let (_, role, _) = call(aibperm_role_generate, &generate_request());
    let role: Value = serde_json::from_slice(&role).unwrap();

    for format in ["Flat", "Permissions"] {
        let request = json!({ "role": role, "format": format }).to_string();
        let (status, file, error) = call(aibperm_role_file_render, request.as_bytes());
        assert_eq!(status, aibperm_status::Ok, "{error:?}");
        assert!(!file.contains(&b'\r'), "LF line ends");

        let (status, parsed, error) = call(aibperm_role_file_parse, &file);
        assert_eq!(status, aibperm_status::Ok, "{error:?}");
        let parsed: Value = serde_json::from_slice(&parsed).unwrap();
        assert_eq!(parsed["format"], format);
        assert_eq!(parsed["role"]["roleName"], role["roleName"]);
        assert_eq!(parsed["role"]["actions"], role["actions"]);
        assert_eq!(parsed["role"]["assignableScopes"], role["assignableScopes"]);
    }
}

#[test]
fn role_file_parse_reports_broken_json_as_invalid_json() {
    let (status, _, error) = call(aibperm_role_file_parse, b"\xef\xbb\xbf{\"Name\": \"x\",");
    assert_eq!(status, aibperm_status::InvalidJson);
    assert!(
        error.unwrap()["message"]
            .as_str()
            .unwrap()
            .contains("line 1")
    );
}

#[test]
fn scope_parse_normalizes_and_names_the_parts() {
    let request =
        br#"{"scope": "/subscriptions/00000000-0000-0000-0000-00000000aaaa/resourcegroups/RG01/"}"#;
    let (status, out, _) = call(aibperm_scope_parse, request);
    assert_eq!(status, aibperm_status::Ok);
    assert_eq!(
        serde_json::from_slice::<Value>(&out).unwrap(),
        json!({
            "scope": "/subscriptions/00000000-0000-0000-0000-00000000aaaa/resourceGroups/RG01",
            "kind": "ResourceGroup",
            "subscriptionId": "00000000-0000-0000-0000-00000000aaaa",
            "resourceGroupName": "RG01",
            "managementGroupId": null
        })
    );
}

#[test]
fn client_new_checks_pointers_utf8_and_config_fields() {
    let config = br#"{"credential": {"kind": "accessToken", "token": "t"}}"#;
    let sentinel = null_mut::<aibperm_client>().wrapping_add(1);
    let (mut client, mut error) = (sentinel, null_mut());

    let status = aibperm_client_new(config.as_ptr(), config.len(), null_mut(), &mut error);
    assert_eq!(status, aibperm_status::NullArgument);
    aibperm_error_free(error);

    let status = aibperm_client_new(null(), 3, &mut client, null_mut());
    assert_eq!(status, aibperm_status::NullArgument);
    assert_eq!(client, sentinel);

    let bad = b"{\"credential\": \"\xc3\x28\"}";
    let status = aibperm_client_new(bad.as_ptr(), bad.len(), &mut client, null_mut());
    assert_eq!(status, aibperm_status::InvalidUtf8);

    let typo = br#"{"credential": {"kind": "accessToken", "token": "t"}, "armEndpoitn": "x"}"#;
    let mut error = null_mut();
    let status = aibperm_client_new(typo.as_ptr(), typo.len(), &mut client, &mut error);
    assert_eq!(status, aibperm_status::InvalidArgument);
    assert_eq!(client, sentinel, "client_out untouched on failure");
    let json = take_error(error);
    assert!(
        json["message"].as_str().unwrap().contains("armEndpoitn"),
        "{json}"
    );
}

#[test]
fn the_client_secret_never_reaches_the_log() {
    let secret = "contract-test-secret-value";
    let config = json!({
        "armEndpoint": "https://127.0.0.1:9",
        "authorityHost": "https://127.0.0.1:9",
        "audience": "https://management.azure.com/",
        "credential": { "kind": "clientSecret", "tenantId": "00000000-0000-0000-0000-0000000000aa",
                        "clientId": "00000000-0000-0000-0000-0000000000bb", "clientSecret": secret },
        "logLevel": "trace"
    })
    .to_string();
    let (mut client, mut error) = (null_mut(), null_mut());
    let status = aibperm_client_new(config.as_ptr(), config.len(), &mut client, &mut error);
    assert_eq!(status, aibperm_status::Ok);

    let (mut out, mut len) = (null_mut(), 0);
    assert_eq!(
        aibperm_client_take_log(client, &mut out, &mut len),
        aibperm_status::Ok
    );
    let log = String::from_utf8(take_buffer(out, len)).unwrap();
    assert!(!log.contains(secret), "{log}");
    aibperm_client_free(client);
}

#[test]
fn a_misplaced_secret_is_not_echoed_in_the_config_error() {
    let config = br#"{"credential": "contract-test-secret-value"}"#;
    let (mut client, mut error) = (null_mut(), null_mut());
    let status = aibperm_client_new(config.as_ptr(), config.len(), &mut client, &mut error);
    assert_eq!(status, aibperm_status::InvalidArgument);
    let json = take_error(error);
    assert_eq!(json["target"], "credential");
    assert!(
        !json.to_string().contains("contract-test-secret-value"),
        "{json}"
    );
}

#[test]
fn take_log_checks_pointers_and_returns_nothing_when_empty() {
    let client = offline_client();
    let (mut out, mut len) = (sentinel_ptr(), SENTINEL_LEN);
    assert_eq!(
        aibperm_client_take_log(null(), &mut out, &mut len),
        aibperm_status::NullArgument
    );
    assert_eq!(
        aibperm_client_take_log(client, null_mut(), &mut len),
        aibperm_status::NullArgument
    );
    assert_eq!(
        aibperm_client_take_log(client, &mut out, null_mut()),
        aibperm_status::NullArgument
    );
    assert_eq!((out, len), (sentinel_ptr(), SENTINEL_LEN));

    // Drain whatever building the client logged, then the log is empty.
    assert_eq!(
        aibperm_client_take_log(client, &mut out, &mut len),
        aibperm_status::Ok
    );
    take_buffer(out, len);
    assert_eq!(
        aibperm_client_take_log(client, &mut out, &mut len),
        aibperm_status::Ok
    );
    assert!(out.is_null());
    assert_eq!(len, 0);
    aibperm_client_free(client);
}

#[test]
fn operation_start_checks_pointers_names_and_json() {
    let client = offline_client();
    let name = "resourceGroup.get";
    let request =
        br#"{"subscriptionId": "00000000-0000-0000-0000-00000000aaaa", "resourceGroupName": "rg"}"#;
    let start = |client, name: &[u8], request: &[u8], out: *mut *mut aibperm_operation| {
        let mut error = null_mut();
        let status = aibperm_operation_start(
            client,
            name.as_ptr(),
            name.len(),
            request.as_ptr(),
            request.len(),
            out,
            &mut error,
        );
        let json = (status != aibperm_status::Ok).then(|| take_error(error));
        (status, json)
    };
    let mut op = null_mut::<aibperm_operation>().wrapping_add(1);
    let sentinel = op;

    let (status, _) = start(null(), name.as_bytes(), request, &mut op);
    assert_eq!(status, aibperm_status::NullArgument);
    let (status, _) = start(client, name.as_bytes(), request, null_mut());
    assert_eq!(status, aibperm_status::NullArgument);
    let mut error = null_mut();
    let status = aibperm_operation_start(
        client,
        null(),
        4,
        request.as_ptr(),
        request.len(),
        &mut op,
        &mut error,
    );
    assert_eq!(status, aibperm_status::NullArgument);
    aibperm_error_free(error);
    let status = aibperm_operation_start(
        client,
        name.as_ptr(),
        name.len(),
        null(),
        4,
        &mut op,
        null_mut(),
    );
    assert_eq!(status, aibperm_status::NullArgument);

    let (status, json) = start(client, b"roleAssignment.explode", request, &mut op);
    assert_eq!(status, aibperm_status::UnknownOperation);
    assert_eq!(json.unwrap()["target"], "name");
    let (status, _) = start(client, b"resourceGroup.\xff", request, &mut op);
    assert_eq!(status, aibperm_status::InvalidUtf8);
    let (status, _) = start(client, name.as_bytes(), b"{\"subscriptionId\": ", &mut op);
    assert_eq!(status, aibperm_status::InvalidJson);
    assert_eq!(op, sentinel, "operation_out untouched on every failure");

    aibperm_client_free(client);
}

#[test]
fn operation_exports_reject_null() {
    let (mut out, mut len, mut error) = (sentinel_ptr(), SENTINEL_LEN, null_mut());
    assert_eq!(
        aibperm_operation_wait(null_mut(), 0),
        aibperm_status::NullArgument
    );
    assert_eq!(
        aibperm_operation_cancel(null_mut()),
        aibperm_status::NullArgument
    );
    assert_eq!(
        aibperm_operation_progress(null(), &mut out, &mut len),
        aibperm_status::NullArgument
    );
    assert_eq!(
        aibperm_operation_result(null_mut(), &mut out, &mut len, &mut error),
        aibperm_status::NullArgument
    );
    aibperm_error_free(error);

    let client = offline_client();
    let op = operation_from_future(client, |_| async { Ok(json!({"ok": true})) });
    assert_eq!(aibperm_operation_wait(op, 10_000), aibperm_status::Ok);
    assert_eq!(
        aibperm_operation_progress(op, null_mut(), &mut len),
        aibperm_status::NullArgument
    );
    assert_eq!(
        aibperm_operation_progress(op, &mut out, null_mut()),
        aibperm_status::NullArgument
    );
    assert_eq!(
        aibperm_operation_result(op, null_mut(), &mut len, null_mut()),
        aibperm_status::NullArgument
    );
    assert_eq!(
        aibperm_operation_result(op, &mut out, null_mut(), null_mut()),
        aibperm_status::NullArgument
    );
    assert_eq!((out, len), (sentinel_ptr(), SENTINEL_LEN));

    // The NULL checks did not consume the result.
    let (mut out, mut len) = (null_mut(), 0);
    assert_eq!(
        aibperm_operation_result(op, &mut out, &mut len, null_mut()),
        aibperm_status::Ok
    );
    assert_eq!(
        serde_json::from_slice::<Value>(&take_buffer(out, len)).unwrap(),
        json!({"ok": true})
    );
    aibperm_operation_free(op);
    aibperm_client_free(client);
}

fn progress_of(op: *mut aibperm_operation) -> Value {
    let (mut out, mut len) = (null_mut(), 0);
    assert_eq!(
        aibperm_operation_progress(op, &mut out, &mut len),
        aibperm_status::Ok
    );
    serde_json::from_slice(&take_buffer(out, len)).unwrap()
}

#[test]
fn an_operation_is_pending_until_its_work_finishes_and_its_result_is_taken_once() {
    let client = offline_client();
    let (release, released) = tokio::sync::oneshot::channel::<()>();
    let op = operation_from_future(client, |progress| async move {
        progress.enter(aibperm::arm::Phase::Sending, "sending the test request");
        released
            .await
            .map_err(|_| Error::internal("sender dropped"))?;
        Ok(json!({"name": "rg", "outcome": "Found"}))
    });
    assert!(!op.is_null());

    assert_eq!(aibperm_operation_wait(op, 0), aibperm_status::Pending);
    assert_eq!(aibperm_operation_wait(op, 20), aibperm_status::Pending);
    let (mut out, mut len, mut error) = (sentinel_ptr(), SENTINEL_LEN, null_mut());
    assert_eq!(
        aibperm_operation_result(op, &mut out, &mut len, &mut error),
        aibperm_status::NotFinished
    );
    assert_eq!((out, len), (sentinel_ptr(), SENTINEL_LEN));
    assert_eq!(take_error(error)["statusName"], "NOT_FINISHED");
    assert_eq!(progress_of(op)["done"], false);

    release.send(()).unwrap();
    assert_eq!(aibperm_operation_wait(op, 30_000), aibperm_status::Ok);
    let progress = progress_of(op);
    assert_eq!(progress["done"], true);
    assert_eq!(progress["phase"], "done");

    let (mut out, mut len) = (null_mut(), 0);
    assert_eq!(
        aibperm_operation_result(op, &mut out, &mut len, null_mut()),
        aibperm_status::Ok
    );
    assert_eq!(
        serde_json::from_slice::<Value>(&take_buffer(out, len)).unwrap(),
        json!({"name": "rg", "outcome": "Found"})
    );
    let mut error = null_mut();
    assert_eq!(
        aibperm_operation_result(op, &mut out, &mut len, &mut error),
        aibperm_status::AlreadyTaken
    );
    assert_eq!(take_error(error)["statusName"], "ALREADY_TAKEN");
    assert_eq!(
        aibperm_operation_wait(op, 0),
        aibperm_status::Ok,
        "wait after taking"
    );

    aibperm_operation_free(op);
    aibperm_client_free(client);
}

#[test]
fn a_failed_operation_returns_its_mapped_status_and_error() {
    let client = offline_client();
    let op = operation_from_future(client, |_| async {
        Err(Error::new(ErrorKind::Conflict, "role name 'x' is taken").with_target("roleName"))
    });
    assert_eq!(aibperm_operation_wait(op, 30_000), aibperm_status::Ok);
    let (mut out, mut len, mut error) = (sentinel_ptr(), SENTINEL_LEN, null_mut());
    assert_eq!(
        aibperm_operation_result(op, &mut out, &mut len, &mut error),
        aibperm_status::Conflict
    );
    assert_eq!((out, len), (sentinel_ptr(), SENTINEL_LEN));
    let json = take_error(error);
    assert_eq!(json["status"], 410);
    assert_eq!(json["target"], "roleName");
    aibperm_operation_free(op);
    aibperm_client_free(client);
}

#[test]
fn a_panic_inside_an_operation_becomes_panic_status() {
    let client = offline_client();
    let op = operation_from_future(client, |_| async {
        if std::hint::black_box(true) {
            panic!("forced inside an operation");
        }
        Ok(Value::Null)
    });
    assert_eq!(aibperm_operation_wait(op, 30_000), aibperm_status::Ok);
    let (mut out, mut len, mut error) = (null_mut(), 0, null_mut());
    assert_eq!(
        aibperm_operation_result(op, &mut out, &mut len, &mut error),
        aibperm_status::Panic
    );
    assert!(
        take_error(error)["message"]
            .as_str()
            .unwrap()
            .contains("bug in aibperm")
    );
    aibperm_operation_free(op);
    aibperm_client_free(client);
}

/// A guard that reports through a channel when the operation's future is dropped.
struct DropSignal(Option<std::sync::mpsc::Sender<()>>);

impl Drop for DropSignal {
    fn drop(&mut self) {
        if let Some(tx) = self.0.take() {
            let _ = tx.send(());
        }
    }
}

#[test]
fn cancel_stops_the_work_and_the_result_becomes_cancelled() {
    let client = offline_client();
    let (tx, dropped) = std::sync::mpsc::channel();
    let signal = DropSignal(Some(tx));
    let op = operation_from_future(client, move |_| async move {
        let _signal = signal;
        std::future::pending::<()>().await;
        Ok(Value::Null)
    });
    assert_eq!(aibperm_operation_wait(op, 0), aibperm_status::Pending);

    assert_eq!(aibperm_operation_cancel(op), aibperm_status::Ok);
    assert_eq!(
        aibperm_operation_wait(op, 0),
        aibperm_status::Ok,
        "finished once cancelled"
    );
    dropped
        .recv_timeout(Duration::from_secs(30))
        .expect("the work was dropped");
    assert_eq!(progress_of(op)["done"], true);

    let (mut out, mut len, mut error) = (null_mut(), 0, null_mut());
    assert_eq!(
        aibperm_operation_result(op, &mut out, &mut len, &mut error),
        aibperm_status::Cancelled
    );
    assert_eq!(take_error(error)["statusName"], "CANCELLED");
    assert_eq!(
        aibperm_operation_cancel(op),
        aibperm_status::Ok,
        "cancelling again is harmless"
    );
    aibperm_operation_free(op);
    aibperm_client_free(client);
}

#[test]
fn freeing_a_running_operation_stops_its_work() {
    let client = offline_client();
    let (tx, dropped) = std::sync::mpsc::channel();
    let signal = DropSignal(Some(tx));
    let op = operation_from_future(client, move |_| async move {
        let _signal = signal;
        std::future::pending::<()>().await;
        Ok(Value::Null)
    });
    aibperm_operation_free(op);
    dropped
        .recv_timeout(Duration::from_secs(30))
        .expect("the work was dropped");
    aibperm_client_free(client);
}

#[test]
fn an_operation_outlives_its_client() {
    let client = offline_client();
    let (release, released) = tokio::sync::oneshot::channel::<()>();
    let op = operation_from_future(client, |_| async move {
        released
            .await
            .map_err(|_| Error::internal("sender dropped"))?;
        Ok(json!("still here"))
    });
    aibperm_client_free(client);

    release.send(()).unwrap();
    assert_eq!(aibperm_operation_wait(op, 30_000), aibperm_status::Ok);
    let (mut out, mut len) = (null_mut(), 0);
    assert_eq!(
        aibperm_operation_result(op, &mut out, &mut len, null_mut()),
        aibperm_status::Ok
    );
    assert_eq!(take_buffer(out, len), b"\"still here\"");
    aibperm_operation_free(op);
}

#[test]
fn operation_events_reach_the_client_log_as_json_lines() {
    let client = offline_client();
    let op = operation_from_future(client, |_| async {
        tracing::info!(target: "aibperm::arm", "creating role definition 'r' at /x");
        tracing::debug!(target: "aibperm::arm", "PUT https://127.0.0.1/x -> 201");
        tracing::info!(target: "other_crate", "not ours");
        Ok(Value::Null)
    });
    assert_eq!(aibperm_operation_wait(op, 30_000), aibperm_status::Ok);
    aibperm_operation_free(op);

    let (mut out, mut len) = (null_mut(), 0);
    assert_eq!(
        aibperm_client_take_log(client, &mut out, &mut len),
        aibperm_status::Ok
    );
    let text = String::from_utf8(take_buffer(out, len)).unwrap();
    let records: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let messages: Vec<&str> = records
        .iter()
        .map(|r| r["message"].as_str().unwrap())
        .collect();
    let at = messages
        .iter()
        .position(|m| *m == "creating role definition 'r' at /x")
        .expect("the info record");
    assert_eq!(records[at]["level"], "info");
    assert_eq!(records[at]["target"], "aibperm::arm");
    assert_eq!(messages[at + 1], "PUT https://127.0.0.1/x -> 201");
    assert!(!messages.contains(&"not ours"));
    aibperm_client_free(client);
}

/// A client pointer that may cross threads; the header documents clients as thread-safe.
#[derive(Clone, Copy)]
struct SharedClient(*mut aibperm_client);

// SAFETY: aibperm_client is documented as usable from several threads at once.
unsafe impl Send for SharedClient {}

#[test]
fn many_threads_run_operations_and_drain_the_log_on_one_client() {
    let client = SharedClient(offline_client());
    let threads: Vec<_> = (0..8)
        .map(|i| {
            std::thread::spawn(move || {
                let client = client;
                let op = operation_from_future(client.0, move |_| async move {
                    tracing::info!(target: "aibperm::test", "operation {i}");
                    Ok(json!(i))
                });
                assert_eq!(aibperm_operation_wait(op, 30_000), aibperm_status::Ok);
                let (mut out, mut len) = (null_mut(), 0);
                let status = aibperm_operation_result(op, &mut out, &mut len, null_mut());
                assert_eq!(status, aibperm_status::Ok);
                aibperm_operation_free(op);
                let (mut log, mut log_len) = (null_mut(), 0);
                let status = aibperm_client_take_log(client.0, &mut log, &mut log_len);
                assert_eq!(status, aibperm_status::Ok);
                let log = String::from_utf8(take_buffer(log, log_len)).unwrap();
                (take_buffer(out, len), log)
            })
        })
        .collect();

    let mut results = Vec::new();
    let mut log = String::new();
    for thread in threads {
        let (result, drained) = thread.join().expect("no thread panicked");
        results.push(String::from_utf8(result).unwrap());
        log.push_str(&drained);
    }
    results.sort();
    assert_eq!(results, ["0", "1", "2", "3", "4", "5", "6", "7"]);
    let (mut rest, mut rest_len) = (null_mut(), 0);
    aibperm_client_take_log(client.0, &mut rest, &mut rest_len);
    log.push_str(&String::from_utf8(take_buffer(rest, rest_len)).unwrap());
    for i in 0..8 {
        let record = format!("\"message\":\"operation {i}\"");
        assert_eq!(
            log.matches(&record).count(),
            1,
            "each record drained once: {log}"
        );
    }
    aibperm_client_free(client.0);
}
