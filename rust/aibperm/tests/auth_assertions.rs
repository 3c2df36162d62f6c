//! Client assertions against the in-process emulator: a service principal's certificate (PEM
//! file or PEM text) and workload identity federation (a token file read for every request).

use std::path::PathBuf;

use aibperm::ErrorKind;
use aibperm::arm::{ArmClient, ClientConfig, Progress};
use aibperm_emulator::{Emulator, EmulatorConfig};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

mod common;
use common::LogCapture;

/// A test-only RSA certificate and PKCS#8 key, registered nowhere.
fn certificate_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/test-certificate.pem")
}

fn client_with(emulator: &Emulator, credential: Value) -> ArmClient {
    let state = emulator.state();
    let config: ClientConfig = serde_json::from_value(json!({
        "armEndpoint": state.endpoint,
        "authorityHost": state.authority_host,
        "audience": state.audience,
        "caCertificatePath": state.ca_certificate_path,
        "credential": credential,
        "retry": { "maxRetries": 0 },
        "logLevel": "trace"
    }))
    .expect("config");
    ArmClient::new(config).expect("client")
}

async fn create_group(client: &ArmClient, emulator: &Emulator) -> aibperm::Result<Value> {
    let state = emulator.state();
    client
        .execute(
            "resourceGroup.createOrUpdate",
            json!({
                "subscriptionId": state.subscription_id,
                "resourceGroupName": "rg-auth",
                "location": state.location
            }),
            &Progress::new(),
        )
        .await
}

/// A JWT-shaped federated token as a Kubernetes service account token looks; unsigned
/// content is fine because the emulator checks only the shape.
fn federated_token(expires_in: i64) -> String {
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let header = json!({ "alg": "RS256", "kid": "test-key" });
    let claims = json!({
        "iss": "https://127.0.0.1/oidc-issuer",
        "sub": "system:serviceaccount:default:aib",
        "aud": ["api://AzureADTokenExchange"],
        "iat": now,
        "exp": now + expires_in,
    });
    format!(
        "{}.{}.c2lnbmF0dXJlLWZlZGVyYXRlZC05YjJj",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    )
}

#[tokio::test]
async fn certificate_file_signs_in_and_reaches_arm() {
    let emulator = Emulator::start(EmulatorConfig::default())
        .await
        .expect("emulator");
    let state = emulator.state().clone();
    let logs = LogCapture::start();
    let client = client_with(
        &emulator,
        json!({
            "kind": "clientCertificate",
            "tenantId": state.tenant_id,
            "clientId": state.client_id,
            "certificatePath": certificate_path()
        }),
    );

    let group = create_group(&client, &emulator).await.expect("signed in");
    assert_eq!(group["outcome"], "Created");

    let key = std::fs::read_to_string(certificate_path()).expect("pem");
    let key_body: String = key
        .split("-----BEGIN PRIVATE KEY-----")
        .nth(1)
        .expect("key block")
        .lines()
        .nth(1)
        .expect("first key line")
        .to_owned();
    let text = logs.text();
    assert!(text.contains("certificate"), "{text}");
    assert!(!text.contains(&key_body), "the key reached the log");
    emulator.shutdown().await;
}

#[tokio::test]
async fn certificate_given_as_pem_text_signs_in() {
    let emulator = Emulator::start(EmulatorConfig::default())
        .await
        .expect("emulator");
    let state = emulator.state().clone();
    let pem = std::fs::read_to_string(certificate_path()).expect("pem");
    let client = client_with(
        &emulator,
        json!({
            "kind": "clientCertificate",
            "tenantId": state.tenant_id,
            "clientId": state.client_id,
            "certificatePem": pem
        }),
    );
    let group = create_group(&client, &emulator).await.expect("signed in");
    assert_eq!(group["outcome"], "Created");
    emulator.shutdown().await;
}

#[tokio::test]
async fn certificate_for_an_unknown_application_is_a_credential_error() {
    let emulator = Emulator::start(EmulatorConfig::default())
        .await
        .expect("emulator");
    let state = emulator.state().clone();
    let client = client_with(
        &emulator,
        json!({
            "kind": "clientCertificate",
            "tenantId": state.tenant_id,
            "clientId": "00000000-0000-0000-0000-00000000dead",
            "certificatePath": certificate_path()
        }),
    );
    let err = create_group(&client, &emulator)
        .await
        .expect_err("unknown app");
    assert_eq!(err.kind, ErrorKind::Credential);
    assert!(err.message.contains("700016"), "{}", err.message);
    emulator.shutdown().await;
}

#[test]
fn certificate_path_and_pem_together_are_refused() {
    let config: ClientConfig = serde_json::from_value(json!({
        "armEndpoint": "https://management.azure.com",
        "credential": {
            "kind": "clientCertificate",
            "tenantId": "contoso.onmicrosoft.com",
            "clientId": "app",
            "certificatePath": certificate_path(),
            "certificatePem": "-----BEGIN CERTIFICATE-----"
        }
    }))
    .expect("config");
    let err = ArmClient::new(config).expect_err("both refused");
    assert_eq!(err.kind, ErrorKind::InvalidArgument);
    assert_eq!(err.target.as_deref(), Some("credential.certificatePath"));
}

#[test]
fn unreadable_certificate_file_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("no-such-cert.pem");
    let config: ClientConfig = serde_json::from_value(json!({
        "armEndpoint": "https://management.azure.com",
        "credential": {
            "kind": "clientCertificate",
            "tenantId": "contoso.onmicrosoft.com",
            "clientId": "app",
            "certificatePath": missing
        }
    }))
    .expect("config");
    let err = ArmClient::new(config).expect_err("missing file");
    assert_eq!(err.target.as_deref(), Some("certificatePath"));
    assert!(err.message.contains("no-such-cert.pem"), "{}", err.message);
}

#[tokio::test]
async fn federated_token_file_signs_in_and_is_read_again_for_each_request() {
    let emulator = Emulator::start(EmulatorConfig::default())
        .await
        .expect("emulator");
    let state = emulator.state().clone();
    let dir = tempfile::tempdir().expect("tempdir");
    let token_file = dir.path().join("azure-identity-token");
    std::fs::write(&token_file, federated_token(-60)).expect("write");
    let client = client_with(
        &emulator,
        json!({
            "kind": "workloadIdentity",
            "tenantId": state.tenant_id,
            "clientId": state.client_id,
            "tokenFile": token_file
        }),
    );

    // An expired federated token is refused by Entra ID ...
    let err = create_group(&client, &emulator)
        .await
        .expect_err("expired assertion");
    assert_eq!(err.kind, ErrorKind::Credential);
    assert!(err.message.contains("700024"), "{}", err.message);

    // ... and the platform's renewed one, written to the same file, is picked up.
    std::fs::write(&token_file, format!("{}\n", federated_token(3600))).expect("rewrite");
    let group = create_group(&client, &emulator)
        .await
        .expect("renewed token");
    assert_eq!(group["outcome"], "Created");
    emulator.shutdown().await;
}

#[tokio::test]
async fn federated_token_with_another_audience_is_refused() {
    let emulator = Emulator::start(EmulatorConfig::default())
        .await
        .expect("emulator");
    let state = emulator.state().clone();
    let dir = tempfile::tempdir().expect("tempdir");
    let token_file = dir.path().join("token");
    let claims =
        json!({ "iss": "https://127.0.0.1/issuer", "aud": "api://other", "exp": 4102441200i64 });
    let token = format!(
        "{}.{}.c2ln",
        URL_SAFE_NO_PAD.encode(json!({ "alg": "RS256" }).to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    std::fs::write(&token_file, token).expect("write");
    let client = client_with(
        &emulator,
        json!({
            "kind": "workloadIdentity",
            "tenantId": state.tenant_id,
            "clientId": state.client_id,
            "tokenFile": token_file
        }),
    );
    let err = create_group(&client, &emulator)
        .await
        .expect_err("wrong audience");
    assert_eq!(err.kind, ErrorKind::Credential);
    assert!(err.message.contains("700212"), "{}", err.message);
    emulator.shutdown().await;
}

#[test]
fn missing_federated_token_file_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config: ClientConfig = serde_json::from_value(json!({
        "armEndpoint": "https://management.azure.com",
        "credential": {
            "kind": "workloadIdentity",
            "tenantId": "contoso.onmicrosoft.com",
            "clientId": "app",
            "tokenFile": dir.path().join("absent")
        }
    }))
    .expect("config");
    let err = ArmClient::new(config).expect_err("missing file");
    assert_eq!(err.target.as_deref(), Some("tokenFile"));
}
