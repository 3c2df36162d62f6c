//! Property tests on the C ABI: arbitrary bytes, invalid UTF-8, arbitrary JSON values, deep
//! and huge documents, NULLs and zero lengths reach every export. Each call answers with a
//! status (never `PANIC`), writes its outputs only on success and leaves an error that renders.

use std::ptr::{null, null_mut};

use aibperm::ffi::*;
use proptest::prelude::*;
use serde_json::{Value, json};

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

const OPERATIONS: [&str; 13] = [
    "resourceGroup.get",
    "resourceGroup.createOrUpdate",
    "identity.createOrUpdate",
    "identity.get",
    "identity.delete",
    "roleDefinition.ensure",
    "roleDefinition.get",
    "roleDefinition.list",
    "roleDefinition.delete",
    "roleAssignment.create",
    "roleAssignment.list",
    "roleAssignment.get",
    "roleAssignment.delete",
];

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

/// Renders an error through both accessors and frees it; checks the two agree.
fn take_error(error: *mut aibperm_error, status: aibperm_status) -> Value {
    assert!(!error.is_null(), "a failure ({status:?}) leaves an error");
    assert_eq!(aibperm_error_status(error), status, "error_status agrees");
    let (mut ptr, mut len) = (null_mut(), 0);
    assert_eq!(
        aibperm_error_json(error, &mut ptr, &mut len),
        aibperm_status::Ok
    );
    aibperm_error_free(error);
    let value: Value = serde_json::from_slice(&take_buffer(ptr, len)).expect("error JSON parses");
    assert_eq!(value["status"], status as u32, "{value}");
    assert!(
        value["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{value}"
    );
    value
}

/// Calls an offline export; checks the output/error rules; returns the status.
fn offline(name: &str, f: OfflineCall, input: &[u8]) -> aibperm_status {
    let (mut out, mut len, mut error) = (null_mut(), 0usize, null_mut());
    let status = f(input.as_ptr(), input.len(), &mut out, &mut len, &mut error);
    assert_ne!(status, aibperm_status::Panic, "{name} panicked");
    assert_ne!(status, aibperm_status::Internal, "{name} failed inside");
    if status == aibperm_status::Ok {
        assert!(error.is_null(), "{name}: no error on success");
        let bytes = take_buffer(out, len);
        assert!(
            serde_json::from_slice::<Value>(&bytes).is_ok(),
            "{name}: success output is JSON"
        );
    } else {
        assert!(out.is_null() && len == 0, "{name}: no output on failure");
        take_error(error, status);
    }
    status
}

fn client_new(config: &[u8]) -> aibperm_status {
    let (mut client, mut error) = (null_mut(), null_mut());
    let status = aibperm_client_new(config.as_ptr(), config.len(), &mut client, &mut error);
    assert_ne!(status, aibperm_status::Panic, "client_new panicked");
    if status == aibperm_status::Ok {
        assert!(!client.is_null());
        aibperm_client_free(client);
    } else {
        assert!(client.is_null(), "client_out untouched on failure");
        take_error(error, status);
    }
    status
}

/// A client whose endpoints are a closed loopback port: nothing in these tests is answered.
fn offline_client() -> *mut aibperm_client {
    let config = json!({
        "armEndpoint": "https://127.0.0.1:9",
        "authorityHost": "https://127.0.0.1:9",
        "audience": "https://management.azure.com/",
        "credential": { "kind": "accessToken", "token": "fuzz-test-token" },
        "retry": { "maxRetries": 0, "initialDelayMs": 1, "maxDelayMs": 1 },
        "requestTimeoutSeconds": 1,
        "logLevel": "trace"
    })
    .to_string();
    let (mut client, mut error) = (null_mut(), null_mut());
    let status = aibperm_client_new(config.as_ptr(), config.len(), &mut client, &mut error);
    assert_eq!(status, aibperm_status::Ok, "offline client");
    client
}

/// Starts an operation; a started one is cancelled, its result taken and freed.
fn operation(client: *const aibperm_client, name: &[u8], request: &[u8]) -> aibperm_status {
    let (mut op, mut error) = (null_mut(), null_mut());
    let status = aibperm_operation_start(
        client,
        name.as_ptr(),
        name.len(),
        request.as_ptr(),
        request.len(),
        &mut op,
        &mut error,
    );
    assert_ne!(status, aibperm_status::Panic, "operation_start panicked");
    if status != aibperm_status::Ok {
        assert!(op.is_null(), "operation_out untouched on failure");
        take_error(error, status);
        return status;
    }
    assert!(!op.is_null());
    let (mut p, mut plen) = (null_mut(), 0);
    assert_eq!(
        aibperm_operation_progress(op, &mut p, &mut plen),
        aibperm_status::Ok
    );
    serde_json::from_slice::<Value>(&take_buffer(p, plen)).expect("progress is JSON");
    let _ = aibperm_operation_cancel(op);
    let waited = aibperm_operation_wait(op, 10_000);
    assert_ne!(waited, aibperm_status::Panic);
    let (mut out, mut len, mut error) = (null_mut(), 0, null_mut());
    let result = aibperm_operation_result(op, &mut out, &mut len, &mut error);
    assert_ne!(result, aibperm_status::Panic, "operation result panicked");
    if result == aibperm_status::Ok {
        take_buffer(out, len);
    } else if !error.is_null() {
        take_error(error, result);
    }
    aibperm_operation_free(op);
    status
}

/// Valid JSON of any shape, a few levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        ".{0,24}".prop_map(Value::String),
        Just(json!("/subscriptions/00000000-0000-0000-0000-00000000aaaa")),
        Just(json!("00000000-0000-0000-0000-00000000aaaa")),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        Just("scope".to_string()),
                        Just("scenario".to_string()),
                        Just("subscriptionId".to_string()),
                        Just("resourceGroupName".to_string()),
                        Just("role".to_string()),
                        Just("format".to_string()),
                        Just("Actions".to_string()),
                        Just("Name".to_string()),
                        Just("credential".to_string()),
                        Just("kind".to_string()),
                        "[a-zA-Z]{1,10}",
                    ],
                    inner
                ),
                0..6
            )
            .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

/// Bytes that are not UTF-8: a valid prefix, one invalid sequence, a valid suffix.
fn invalid_utf8() -> impl Strategy<Value = Vec<u8>> {
    let bad = prop_oneof![
        Just(vec![0xffu8]),
        Just(vec![0xc0, 0x80]),
        Just(vec![0xed, 0xa0, 0x80]),
        Just(vec![0xe2, 0x82]),
        Just(vec![0xf8, 0x88, 0x80, 0x80, 0x80]),
        (0x80u8..0xc0).prop_map(|b| vec![b]),
    ];
    ("[ -~]{0,40}", bad, "[ -~]{0,40}").prop_map(|(a, b, c)| {
        let mut v = a.into_bytes();
        v.extend(b);
        v.extend(c.into_bytes());
        v
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_get_a_status_from_every_offline_export(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        for (name, f) in OFFLINE_CALLS {
            offline(name, f, &bytes);
        }
        client_new(&bytes);
    }

    #[test]
    fn invalid_utf8_is_reported_as_invalid_utf8(bytes in invalid_utf8()) {
        for (name, f) in OFFLINE_CALLS {
            let status = offline(name, f, &bytes);
            // A role file may be UTF-16 or carry a BOM; the three JSON requests must be UTF-8.
            if name != "aibperm_role_file_parse" {
                prop_assert_eq!(status, aibperm_status::InvalidUtf8, "{}", name);
            } else {
                prop_assert_ne!(status, aibperm_status::Ok, "{}", name);
            }
        }
        prop_assert_eq!(client_new(&bytes), aibperm_status::InvalidUtf8);
    }

    #[test]
    fn any_json_value_is_accepted_or_refused_as_an_argument(value in json_value()) {
        let text = value.to_string();
        for (name, f) in OFFLINE_CALLS {
            let status = offline(name, f, text.as_bytes());
            prop_assert!(
                matches!(status, aibperm_status::Ok | aibperm_status::InvalidArgument | aibperm_status::InvalidJson),
                "{}: {:?} for {}", name, status, text
            );
        }
        let status = client_new(text.as_bytes());
        prop_assert!(
            matches!(status, aibperm_status::Ok | aibperm_status::InvalidArgument | aibperm_status::InvalidJson),
            "client_new: {:?}", status
        );
    }

    #[test]
    fn operation_start_takes_arbitrary_names_and_requests(
        name in prop_oneof![
            prop::sample::select(OPERATIONS.to_vec()).prop_map(|s| s.as_bytes().to_vec()),
            prop::collection::vec(any::<u8>(), 0..32),
        ],
        request in prop_oneof![
            json_value().prop_map(|v| v.to_string().into_bytes()),
            prop::collection::vec(any::<u8>(), 0..256),
            invalid_utf8(),
        ],
    ) {
        let client = offline_client();
        let status = operation(client, &name, &request);
        if std::str::from_utf8(&name).is_ok_and(|n| !OPERATIONS.contains(&n)) {
            prop_assert!(
                matches!(status, aibperm_status::UnknownOperation | aibperm_status::InvalidUtf8 | aibperm_status::InvalidJson),
                "unknown name answered {:?}", status
            );
        }
        aibperm_client_free(client);
    }
}

fn nested_arrays(depth: usize) -> Vec<u8> {
    let mut v = vec![b'['; depth];
    v.extend(std::iter::repeat_n(b']', depth));
    v
}

#[test]
fn ten_thousand_nested_arrays_are_refused_without_overflowing_the_stack() {
    for depth in [129, 10_000, 100_000] {
        let doc = nested_arrays(depth);
        for (name, f) in OFFLINE_CALLS {
            let status = offline(name, f, &doc);
            assert_ne!(status, aibperm_status::Ok, "{name} at depth {depth}");
        }
        assert_ne!(client_new(&doc), aibperm_status::Ok);
        let client = offline_client();
        let status = operation(client, b"roleDefinition.ensure", &doc);
        assert_ne!(status, aibperm_status::Ok);
        aibperm_client_free(client);
    }
}

#[test]
fn deep_nesting_inside_a_valid_request_names_a_field() {
    let mut inner = json!("x");
    for _ in 0..100 {
        inner = json!([inner]);
    }
    let request = json!({"scope": inner}).to_string();
    let (mut out, mut len, mut error) = (null_mut(), 0, null_mut());
    let status = aibperm_scope_parse(
        request.as_ptr(),
        request.len(),
        &mut out,
        &mut len,
        &mut error,
    );
    assert_eq!(status, aibperm_status::InvalidArgument);
    let error = take_error(error, status);
    assert_eq!(error["target"], "scope", "{error}");
}

#[test]
fn multi_megabyte_documents_are_answered_with_a_status() {
    let many_actions: Vec<String> = (0..200_000)
        .map(|i| format!("Microsoft.Compute/images/{i}/read"))
        .collect();
    let flat = json!({
        "Name": "Huge role",
        "IsCustom": true,
        "Description": "x".repeat(4 << 20),
        "Actions": many_actions,
        "NotActions": [],
        "AssignableScopes": ["/subscriptions/00000000-0000-0000-0000-00000000aaaa"]
    })
    .to_string();
    assert!(flat.len() > 8 << 20, "the document is several MB");
    for (name, f) in OFFLINE_CALLS {
        offline(name, f, flat.as_bytes());
    }
    let huge_string = json!({ "scope": "/".repeat(6 << 20) }).to_string();
    assert_eq!(
        offline(
            "aibperm_scope_parse",
            aibperm_scope_parse,
            huge_string.as_bytes()
        ),
        aibperm_status::InvalidArgument
    );
    let huge_token = json!({
        "armEndpoint": "https://127.0.0.1:9",
        "audience": "https://management.azure.com/",
        "credential": { "kind": "accessToken", "token": "t".repeat(5 << 20) }
    })
    .to_string();
    client_new(huge_token.as_bytes());
    let client = offline_client();
    operation(client, b"roleDefinition.ensure", flat.as_bytes());
    aibperm_client_free(client);
}

#[test]
fn null_pointers_with_any_length_are_null_arguments_and_zero_lengths_are_empty_inputs() {
    let client = offline_client();
    for len in [1usize, 7, usize::MAX] {
        for (name, f) in OFFLINE_CALLS {
            let (mut out, mut olen, mut error) = (null_mut(), 0, null_mut());
            let status = f(null(), len, &mut out, &mut olen, &mut error);
            assert_eq!(status, aibperm_status::NullArgument, "{name} len {len}");
            if !error.is_null() {
                take_error(error, status);
            }
        }
        let (mut c, mut error) = (null_mut(), null_mut());
        assert_eq!(
            aibperm_client_new(null(), len, &mut c, &mut error),
            aibperm_status::NullArgument
        );
        if !error.is_null() {
            take_error(error, aibperm_status::NullArgument);
        }
    }
    // Zero lengths with a non-NULL pointer: nothing is read, the input is empty.
    let byte = [b'{'];
    for (name, f) in OFFLINE_CALLS {
        let (mut out, mut olen, mut error) = (null_mut(), 0, null_mut());
        let status = f(byte.as_ptr(), 0, &mut out, &mut olen, &mut error);
        assert_ne!(status, aibperm_status::Ok, "{name}");
        assert_ne!(status, aibperm_status::NullArgument, "{name}");
        take_error(error, status);
    }
    assert_ne!(client_new(&byte[..0]), aibperm_status::Ok);
    for name in OPERATIONS {
        let status = operation(client, name.as_bytes(), &byte[..0]);
        assert_ne!(status, aibperm_status::Ok, "{name} with an empty request");
    }
    assert_ne!(
        operation(client, &byte[..0], b"{}"),
        aibperm_status::Ok,
        "an empty operation name"
    );
    aibperm_client_free(client);
}
