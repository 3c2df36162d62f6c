//! The Azure CLI token source with a stand-in `az` script that prints the documented JSON.
#![cfg(unix)]

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use aibperm::ErrorKind;
use aibperm::arm::{ArmClient, ClientConfig, Progress};
use common::*;
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CLI_TOKEN: &str = "cli-token-4e8d1c";

/// Writes an executable shell script `az` into `dir` with `body`.
fn stand_in(dir: &Path, body: &str) -> PathBuf {
    let script = dir.join("az");
    std::fs::write(&script, format!("#!/bin/sh\n{body}\n")).expect("write script");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    script
}

fn client(server: &MockServer, executable: &Path) -> ArmClient {
    let config: ClientConfig = serde_json::from_value(json!({
        "armEndpoint": server.uri(),
        "audience": "https://management.azure.com/",
        "credential": { "kind": "azureCli", "executable": executable, "tenantId": TENANT },
        "retry": { "maxRetries": 0 }
    }))
    .expect("config");
    ArmClient::builder(config)
        .clock(Arc::new(FakeClock::new()))
        .allow_loopback_http()
        .build()
        .expect("client")
}

fn rg_request() -> serde_json::Value {
    json!({ "subscriptionId": SUB, "resourceGroupName": "rg" })
}

#[tokio::test]
async fn cli_token_is_used_and_cached() {
    let dir = tempfile::tempdir().expect("tempdir");
    let calls = dir.path().join("calls");
    let script = stand_in(
        dir.path(),
        &format!(
            "echo \"$@\" >> '{}'\ncat <<'JSON'\n{{\"accessToken\": \"{CLI_TOKEN}\", \"expiresOn\": \"2099-12-31 23:00:00.000000\", \"expires_on\": 4102441200, \"subscription\": \"{SUB}\", \"tenant\": \"{TENANT}\", \"tokenType\": \"Bearer\"}}\nJSON",
            calls.display()
        ),
    );
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(rg_scope("rg")))
        .and(header(
            "authorization",
            format!("Bearer {CLI_TOKEN}").as_str(),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": rg_scope("rg"), "name": "rg", "location": "westus2"
        })))
        .expect(2)
        .mount(&server)
        .await;
    catch_all(&server, "two GETs with the CLI token").await;

    let client = client(&server, &script);
    for _ in 0..2 {
        client
            .execute("resourceGroup.get", rg_request(), &Progress::new())
            .await
            .expect("found");
    }
    let invocations = std::fs::read_to_string(&calls).expect("calls");
    assert_eq!(invocations.lines().count(), 1, "{invocations}");
    assert_eq!(
        invocations.trim(),
        format!(
            "account get-access-token --resource https://management.azure.com --output json --tenant {TENANT}"
        )
    );
}

#[tokio::test]
async fn cli_not_signed_in_is_a_credential_error_saying_what_to_do() {
    let dir = tempfile::tempdir().expect("tempdir");
    let script = stand_in(
        dir.path(),
        "echo \"ERROR: Please run 'az login' to setup account.\" >&2\nexit 1",
    );
    let server = MockServer::start().await;
    catch_all(&server, "no ARM request without a token").await;
    let err = client(&server, &script)
        .execute("resourceGroup.get", rg_request(), &Progress::new())
        .await
        .expect_err("not signed in");
    assert_eq!(err.kind, ErrorKind::Credential);
    assert!(err.message.contains("az login"), "{}", err.message);
}

#[tokio::test]
async fn missing_cli_is_a_credential_error_naming_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("no-such-az");
    let server = MockServer::start().await;
    catch_all(&server, "no ARM request without a token").await;
    let err = client(&server, &missing)
        .execute("resourceGroup.get", rg_request(), &Progress::new())
        .await
        .expect_err("no cli");
    assert_eq!(err.kind, ErrorKind::Credential);
    assert!(err.message.contains("no-such-az"), "{}", err.message);
}
