//! Secrets: every token source in use (an access token, a client secret) runs with a known
//! secret value through the C ABI, on success and on failure paths, and no byte the library
//! hands back holds it: results, progress, errors, the client log.

use std::ptr::null_mut;

use aibperm::ffi::*;
use aibperm_emulator::{Emulator, EmulatorConfig};
use serde_json::{Value, json};

const KNOWN_SECRET: &str = "Reliability~Secret.0123456789abcdefXYZ";

fn take_buffer(ptr: *mut u8, len: usize) -> String {
    let bytes = if ptr.is_null() {
        Vec::new()
    } else {
        // SAFETY: the library returned `ptr` with `len` bytes; it is freed just below.
        unsafe { std::slice::from_raw_parts(ptr, len) }.to_vec()
    };
    aibperm_buffer_free(ptr, len);
    String::from_utf8_lossy(&bytes).into_owned()
}

fn take_error(error: *mut aibperm_error) -> String {
    if error.is_null() {
        return String::new();
    }
    let (mut ptr, mut len) = (null_mut(), 0);
    let _ = aibperm_error_json(error, &mut ptr, &mut len);
    aibperm_error_free(error);
    take_buffer(ptr, len)
}

/// Everything one client hands back for a few operations, concatenated.
fn everything_from(config: &Value, sub: &str) -> (String, Vec<aibperm_status>) {
    let mut seen = String::new();
    let mut statuses = Vec::new();
    let text = config.to_string();
    let (mut client, mut error) = (null_mut(), null_mut());
    let status = aibperm_client_new(text.as_ptr(), text.len(), &mut client, &mut error);
    statuses.push(status);
    if status != aibperm_status::Ok {
        seen.push_str(&take_error(error));
        return (seen, statuses);
    }
    let operations = [
        (
            "resourceGroup.createOrUpdate",
            json!({ "subscriptionId": sub, "resourceGroupName": "rg-secret", "location": "westus2" }),
        ),
        (
            "identity.createOrUpdate",
            json!({ "subscriptionId": sub, "resourceGroupName": "rg-secret", "name": "secretIdentity" }),
        ),
        (
            "resourceGroup.get",
            json!({ "subscriptionId": sub, "resourceGroupName": "rg-missing" }),
        ),
        (
            "roleAssignment.list",
            json!({ "scope": format!("/subscriptions/{sub}/resourceGroups/rg-secret") }),
        ),
    ];
    for (name, request) in operations {
        let request = request.to_string();
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
        if status != aibperm_status::Ok {
            statuses.push(status);
            seen.push_str(&take_error(error));
            continue;
        }
        let _ = aibperm_operation_wait(op, 60_000);
        let (mut p, mut plen) = (null_mut(), 0);
        let _ = aibperm_operation_progress(op, &mut p, &mut plen);
        seen.push_str(&take_buffer(p, plen));
        let (mut out, mut len, mut error) = (null_mut(), 0, null_mut());
        let status = aibperm_operation_result(op, &mut out, &mut len, &mut error);
        statuses.push(status);
        seen.push_str(&take_buffer(out, len));
        seen.push_str(&take_error(error));
        aibperm_operation_free(op);
    }
    let (mut log, mut len) = (null_mut(), 0);
    assert_eq!(
        aibperm_client_take_log(client, &mut log, &mut len),
        aibperm_status::Ok
    );
    let log = take_buffer(log, len);
    assert!(!log.is_empty(), "the client logged its requests");
    seen.push_str(&log);
    aibperm_client_free(client);
    (seen, statuses)
}

fn assert_clean(seen: &str, secret: &str, what: &str) {
    assert!(
        !seen.contains(secret),
        "{what}: the secret reached the output"
    );
    // A token is also refused as a fragment (a prefix long enough to be useful).
    let fragment = &secret[..secret.len().min(16)];
    assert!(
        !seen.contains(fragment),
        "{what}: part of the secret leaked"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_token_source_leaks_its_secret_on_success_or_failure() {
    let emulator = Emulator::start(EmulatorConfig {
        client_secret: KNOWN_SECRET.to_owned(),
        ..EmulatorConfig::default()
    })
    .await
    .expect("emulator");
    let state = emulator.state().clone();
    assert_eq!(state.client_secret, KNOWN_SECRET);
    let base = |credential: Value| {
        json!({
            "armEndpoint": state.endpoint,
            "authorityHost": state.authority_host,
            "audience": state.audience,
            "caCertificatePath": state.ca_certificate_path,
            "credential": credential,
            "retry": { "maxRetries": 1, "initialDelayMs": 10, "maxDelayMs": 10 },
            "logLevel": "trace"
        })
    };
    let sub = state.subscription_id.clone();
    let secret_credential = |secret: &str| json!({ "kind": "clientSecret", "tenantId": state.tenant_id, "clientId": state.client_id, "clientSecret": secret });

    // Client secret, right and wrong.
    let (seen, statuses) = tokio::task::spawn_blocking({
        let config = base(secret_credential(KNOWN_SECRET));
        let sub = sub.clone();
        move || everything_from(&config, &sub)
    })
    .await
    .expect("join");
    assert!(statuses.contains(&aibperm_status::Ok), "{statuses:?}");
    assert_clean(&seen, KNOWN_SECRET, "client secret");
    let wrong = "Wrong~Secret.abcdefghijklmnop9876";
    let (seen, statuses) = tokio::task::spawn_blocking({
        let config = base(secret_credential(wrong));
        let sub = sub.clone();
        move || everything_from(&config, &sub)
    })
    .await
    .expect("join");
    assert!(
        statuses.contains(&aibperm_status::Credential),
        "{statuses:?}"
    );
    assert_clean(&seen, wrong, "wrong client secret");

    // An access token from the emulator, valid, then one it never issued.
    let ca = reqwest::Certificate::from_pem(emulator.ca_pem().as_bytes()).expect("ca");
    let http = reqwest::Client::builder()
        .tls_certs_only([ca])
        .build()
        .expect("http");
    let answer: Value = http
        .post(format!(
            "{}/{}/oauth2/v2.0/token",
            state.authority_host, state.tenant_id
        ))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", state.client_id.as_str()),
            ("client_secret", KNOWN_SECRET),
            ("scope", "https://management.azure.com/.default"),
        ])
        .send()
        .await
        .expect("token")
        .json()
        .await
        .expect("token json");
    let token = answer["access_token"]
        .as_str()
        .expect("access token")
        .to_owned();
    for (what, token) in [
        ("access token", token.clone()),
        ("foreign access token", format!("{token}x")),
    ] {
        let (seen, statuses) = tokio::task::spawn_blocking({
            let config = base(json!({ "kind": "accessToken", "token": token }));
            let sub = sub.clone();
            move || everything_from(&config, &sub)
        })
        .await
        .expect("join");
        assert!(statuses.len() > 1, "{what}: the client was built");
        // The signature is the secret part of a JWT; the header and claims are not.
        let signature = token.rsplit('.').next().expect("signature");
        assert!(
            !seen.contains(&token),
            "{what}: the token reached the output"
        );
        assert!(
            !seen.contains(signature),
            "{what}: the token's signature leaked"
        );
    }
    emulator.shutdown().await;
}
