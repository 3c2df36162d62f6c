//! Device code sign-in against the in-process emulator: the code and URL appear in the
//! operation's progress, approval through the control endpoint completes the sign-in.

use std::time::Duration;

use aibperm::ErrorKind;
use aibperm::arm::{ArmClient, ClientConfig, Progress};
use aibperm_emulator::{Emulator, EmulatorConfig};
use serde_json::{Value, json};

fn device_client(emulator: &Emulator) -> ArmClient {
    let state = emulator.state();
    let config: ClientConfig = serde_json::from_value(json!({
        "armEndpoint": state.endpoint,
        "authorityHost": state.authority_host,
        "audience": state.audience,
        "caCertificatePath": state.ca_certificate_path,
        "credential": { "kind": "deviceCode", "tenantId": state.tenant_id },
        "retry": { "maxRetries": 0 }
    }))
    .expect("config");
    ArmClient::new(config).expect("client")
}

fn control_http(emulator: &Emulator) -> reqwest::Client {
    let ca = reqwest::Certificate::from_pem(emulator.ca_pem().as_bytes()).expect("ca");
    reqwest::Client::builder()
        .tls_certs_only([ca])
        .build()
        .expect("http")
}

/// Waits until the progress shows the device code, and returns its message.
async fn shown_code(progress: &Progress) -> String {
    for _ in 0..200 {
        let snapshot = progress.snapshot();
        if snapshot.phase == "waitingForDeviceCode" {
            return snapshot.message;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no waitingForDeviceCode phase: {:?}", progress.snapshot());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn approved_device_code_signs_in_and_reaches_arm() {
    let emulator = Emulator::start(EmulatorConfig::default())
        .await
        .expect("emulator");
    let state = emulator.state().clone();
    let client = device_client(&emulator);
    let progress = Progress::new();
    let sign_in = {
        let client = client.clone();
        let progress = progress.clone();
        tokio::spawn(async move {
            client
                .execute("credential.signIn", json!({}), &progress)
                .await
        })
    };

    let message = shown_code(&progress).await;
    let http = control_http(&emulator);
    let pending: Value = http
        .get(format!("{}/_emulator/device-codes", emulator.endpoint()))
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    let pending = pending["value"].as_array().expect("value");
    assert_eq!(pending.len(), 1, "{pending:?}");
    let user_code = pending[0]["userCode"].as_str().expect("user code");
    assert!(message.contains(user_code), "{message}");
    assert!(message.contains("/devicelogin"), "{message}");
    assert!(!sign_in.is_finished(), "signed in before approval");

    let approved = http
        .post(format!(
            "{}/_emulator/device-codes/{user_code}/approve",
            emulator.endpoint()
        ))
        .send()
        .await
        .expect("approve");
    assert!(approved.status().is_success());
    sign_in.await.expect("joined").expect("signed in");

    let group = client
        .execute(
            "resourceGroup.createOrUpdate",
            json!({ "subscriptionId": state.subscription_id, "resourceGroupName": "rg-device", "location": state.location }),
            &Progress::new(),
        )
        .await
        .expect("ARM call with the device code token");
    assert_eq!(group["outcome"], "Created");
    emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelled_device_code_sign_in_leaves_no_token() {
    let emulator = Emulator::start(EmulatorConfig::default())
        .await
        .expect("emulator");
    let state = emulator.state().clone();
    let client = device_client(&emulator);
    let progress = Progress::new();
    let sign_in = {
        let client = client.clone();
        let progress = progress.clone();
        tokio::spawn(async move {
            client
                .execute("credential.signIn", json!({}), &progress)
                .await
        })
    };
    shown_code(&progress).await;
    sign_in.abort();
    assert!(sign_in.await.is_err(), "the sign-in was not cancelled");

    let err = client
        .execute(
            "resourceGroup.get",
            json!({ "subscriptionId": state.subscription_id, "resourceGroupName": "rg" }),
            &Progress::new(),
        )
        .await
        .expect_err("no token without sign-in");
    assert_eq!(err.kind, ErrorKind::Credential);
    assert!(err.message.contains("connect again"), "{}", err.message);
    emulator.shutdown().await;
}
