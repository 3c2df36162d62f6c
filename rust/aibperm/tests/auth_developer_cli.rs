//! The Azure Developer CLI token source with a stand-in `azd` script that prints the
//! documented JSON of `azd auth token --output json`.
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

const AZD_TOKEN: &str = "azd-token-51c0e7";

/// Writes an executable shell script `azd` into `dir` with `body`.
fn stand_in(dir: &Path, body: &str) -> PathBuf {
    let script = dir.join("azd");
    std::fs::write(&script, format!("#!/bin/sh\n{body}\n")).expect("write script");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    script
}

fn client(server: &MockServer, executable: &Path, tenant: Option<&str>) -> ArmClient {
    let config: ClientConfig = serde_json::from_value(json!({
        "armEndpoint": server.uri(),
        "audience": "https://management.azure.com/",
        "credential": { "kind": "azureDeveloperCli", "executable": executable, "tenantId": tenant },
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
async fn azd_token_is_used_and_cached() {
    let dir = tempfile::tempdir().expect("tempdir");
    let calls = dir.path().join("calls");
    let script = stand_in(
        dir.path(),
        &format!(
            "echo \"$@\" >> '{}'\ncat <<'JSON'\n{{\"token\": \"{AZD_TOKEN}\", \"expiresOn\": \"2099-12-31T23:00:00Z\"}}\nJSON",
            calls.display()
        ),
    );
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(rg_scope("rg")))
        .and(header(
            "authorization",
            format!("Bearer {AZD_TOKEN}").as_str(),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": rg_scope("rg"), "name": "rg", "location": "westus2"
        })))
        .expect(2)
        .mount(&server)
        .await;
    catch_all(&server, "two GETs with the azd token").await;

    let client = client(&server, &script, Some(TENANT));
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
            "auth token --output json --scope https://management.azure.com/.default --tenant-id {TENANT}"
        )
    );
}

#[tokio::test]
async fn azd_not_signed_in_is_a_credential_error_saying_what_to_do() {
    let dir = tempfile::tempdir().expect("tempdir");
    let script = stand_in(
        dir.path(),
        "echo 'ERROR: not logged in, run `azd auth login` to login' >&2\nexit 1",
    );
    let server = MockServer::start().await;
    catch_all(&server, "no ARM request without a token").await;
    let err = client(&server, &script, None)
        .execute("resourceGroup.get", rg_request(), &Progress::new())
        .await
        .expect_err("not signed in");
    assert_eq!(err.kind, ErrorKind::Credential);
    assert!(err.message.contains("azd auth login"), "{}", err.message);
}

#[tokio::test]
async fn unreadable_azd_answer_is_an_error_without_the_answer() {
    let dir = tempfile::tempdir().expect("tempdir");
    let script = stand_in(dir.path(), &format!("echo '{{\"token\": \"{AZD_TOKEN}\"'"));
    let server = MockServer::start().await;
    catch_all(&server, "no ARM request without a token").await;
    let err = client(&server, &script, None)
        .execute("resourceGroup.get", rg_request(), &Progress::new())
        .await
        .expect_err("bad json");
    assert_eq!(err.kind, ErrorKind::Credential);
    assert!(!format!("{err:?}").contains(AZD_TOKEN), "{err:?}");
}

#[test]
fn bad_tenant_is_refused_naming_it() {
    let config: ClientConfig = serde_json::from_value(json!({
        "credential": { "kind": "azureDeveloperCli", "tenantId": "not a tenant/.." }
    }))
    .expect("config");
    let err = ArmClient::new(config).expect_err("bad tenant");
    assert_eq!(err.target.as_deref(), Some("tenantId"));
}
