//! Retries, Retry-After, error envelopes and paging, against a mock ARM on 127.0.0.1.

mod common;

use std::time::Duration;

use aibperm::ErrorKind;
use aibperm::arm::Progress;
use common::*;
use serde_json::json;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, ResponseTemplate};

fn rg_request() -> serde_json::Value {
    json!({ "subscriptionId": SUB, "resourceGroupName": "rg-images" })
}

fn rg_body() -> serde_json::Value {
    json!({ "id": rg_scope("rg-images"), "name": "rg-images", "location": "westus2", "tags": {} })
}

fn rg_path() -> String {
    format!("/subscriptions/{SUB}/resourceGroups/rg-images")
}

#[tokio::test]
async fn get_sends_bearer_token_api_version_and_user_agent() {
    let arm = arm().await;
    Mock::given(method("GET"))
        .and(path(rg_path()))
        .and(query_param("api-version", "2021-04-01"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header(
            "user-agent",
            format!("AibPermissions/{}", aibperm::VERSION).as_str(),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(rg_body()))
        .expect(1)
        .mount(&arm.server)
        .await;
    catch_all(&arm.server, "GET resource group with token and api-version").await;

    let group = arm
        .client
        .execute("resourceGroup.get", rg_request(), &Progress::new())
        .await
        .expect("found");
    assert_eq!(group["location"], "westus2");
    assert_eq!(group["outcome"], "Found");
    assert_eq!(group["subscriptionId"], SUB);
}

#[tokio::test]
async fn throttled_request_waits_at_least_retry_after_seconds() {
    let arm = arm().await;
    Mock::given(method("GET"))
        .and(path(rg_path()))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "7")
                .set_body_json(arm_error(
                    "ResourceRequestsThrottled",
                    "exceeded the limit of '120' for time interval '00:01:00'",
                )),
        )
        .up_to_n_times(1)
        .expect(1)
        .mount(&arm.server)
        .await;
    Mock::given(method("GET"))
        .and(path(rg_path()))
        .respond_with(ResponseTemplate::new(200).set_body_json(rg_body()))
        .expect(1)
        .mount(&arm.server)
        .await;
    catch_all(&arm.server, "GET resource group twice").await;

    arm.client
        .execute("resourceGroup.get", rg_request(), &Progress::new())
        .await
        .expect("succeeds after the throttle");
    let sleeps = arm.clock.sleeps.lock().clone();
    assert_eq!(sleeps.len(), 1, "{sleeps:?}");
    assert!(sleeps[0] >= Duration::from_secs(7), "{sleeps:?}");
}

#[tokio::test]
async fn retry_after_http_date_is_honoured() {
    let arm = arm().await;
    let when = *arm.clock.now.lock() + Duration::from_secs(30);
    Mock::given(method("GET"))
        .and(path(rg_path()))
        .respond_with(
            ResponseTemplate::new(503)
                .insert_header("retry-after", httpdate::fmt_http_date(when).as_str()),
        )
        .up_to_n_times(1)
        .mount(&arm.server)
        .await;
    Mock::given(method("GET"))
        .and(path(rg_path()))
        .respond_with(ResponseTemplate::new(200).set_body_json(rg_body()))
        .mount(&arm.server)
        .await;
    catch_all(&arm.server, "GET resource group twice").await;

    arm.client
        .execute("resourceGroup.get", rg_request(), &Progress::new())
        .await
        .expect("succeeds after the 503");
    let waited = arm.clock.total_slept();
    assert!(waited >= Duration::from_secs(30), "{waited:?}");
    assert!(*arm.clock.now.lock() >= when);
}

#[tokio::test]
async fn transient_5xx_then_success_is_retried_with_backoff() {
    let arm = arm().await;
    for status in [500, 502] {
        Mock::given(method("GET"))
            .and(path(rg_path()))
            .respond_with(ResponseTemplate::new(status))
            .up_to_n_times(1)
            .with_priority(if status == 500 { 1 } else { 2 })
            .mount(&arm.server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path(rg_path()))
        .respond_with(ResponseTemplate::new(200).set_body_json(rg_body()))
        .with_priority(3)
        .mount(&arm.server)
        .await;
    catch_all(&arm.server, "GET resource group three times").await;

    arm.client
        .execute("resourceGroup.get", rg_request(), &Progress::new())
        .await
        .expect("third attempt succeeds");
    let sleeps = arm.clock.sleeps.lock().clone();
    assert_eq!(sleeps.len(), 2);
    // Jittered between half and all of 500 ms, then of 1000 ms.
    assert!(sleeps[0] >= Duration::from_millis(250) && sleeps[0] <= Duration::from_millis(500));
    assert!(sleeps[1] >= Duration::from_millis(500) && sleeps[1] <= Duration::from_millis(1000));
}

#[tokio::test]
async fn retries_running_out_give_an_error_naming_the_operation() {
    let arm = arm_with_retries(3).await;
    Mock::given(method("GET"))
        .and(path(rg_path()))
        .respond_with(
            ResponseTemplate::new(503)
                .insert_header("x-ms-request-id", "req-503")
                .set_body_json(arm_error("ServiceUnavailable", "try later")),
        )
        .expect(4)
        .mount(&arm.server)
        .await;

    let err = arm
        .client
        .execute("resourceGroup.get", rg_request(), &Progress::new())
        .await
        .expect_err("gives up");
    assert_eq!(err.kind, ErrorKind::Service);
    assert_eq!(err.http_status, Some(503));
    assert_eq!(err.arm_code.as_deref(), Some("ServiceUnavailable"));
    assert_eq!(err.request_id.as_deref(), Some("req-503"));
    assert!(
        err.message.contains("getting resource group"),
        "{}",
        err.message
    );
    assert!(err.message.contains("after 4 attempts"), "{}", err.message);
    assert_eq!(arm.clock.sleeps.lock().len(), 3);
}

#[tokio::test]
async fn not_found_is_not_retried_and_keeps_the_arm_code() {
    let arm = arm().await;
    Mock::given(method("GET"))
        .and(path(rg_path()))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("x-ms-request-id", "req-404")
                .set_body_json(arm_error(
                    "ResourceGroupNotFound",
                    "Resource group 'rg-images' could not be found.",
                )),
        )
        .expect(1)
        .mount(&arm.server)
        .await;
    catch_all(&arm.server, "one GET").await;

    let err = arm
        .client
        .execute("resourceGroup.get", rg_request(), &Progress::new())
        .await
        .expect_err("404");
    assert_eq!(err.kind, ErrorKind::Service);
    assert_eq!(err.http_status, Some(404));
    assert_eq!(err.arm_code.as_deref(), Some("ResourceGroupNotFound"));
    assert_eq!(err.request_id.as_deref(), Some("req-404"));
    assert!(arm.clock.sleeps.lock().is_empty());
}

#[tokio::test]
async fn forbidden_maps_to_service_error_without_retry() {
    let arm = arm().await;
    Mock::given(method("GET"))
        .and(path(rg_path()))
        .respond_with(ResponseTemplate::new(403).set_body_json(arm_error(
            "AuthorizationFailed",
            "The client does not have authorization",
        )))
        .expect(1)
        .mount(&arm.server)
        .await;
    catch_all(&arm.server, "one GET").await;

    let err = arm
        .client
        .execute("resourceGroup.get", rg_request(), &Progress::new())
        .await
        .expect_err("403");
    assert_eq!(err.kind, ErrorKind::Service);
    assert_eq!(err.http_status, Some(403));
    assert!(!err.message.contains(TOKEN));
}

#[tokio::test]
async fn connection_refused_is_a_transport_error_after_retries() {
    let clock = FakeClock::new();
    let uri = {
        // A port that was free a moment ago and has no listener now.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        format!(
            "http://127.0.0.1:{}",
            listener.local_addr().expect("addr").port()
        )
    };
    let config: aibperm::arm::ClientConfig = serde_json::from_value(json!({
        "armEndpoint": uri,
        "audience": "https://management.azure.com/",
        "credential": { "kind": "accessToken", "token": TOKEN },
        "retry": { "maxRetries": 2 }
    }))
    .expect("config");
    let client = aibperm::arm::ArmClient::builder(config)
        .clock(std::sync::Arc::new(clock.clone()))
        .allow_loopback_http()
        .build()
        .expect("client");
    let err = client
        .execute("resourceGroup.get", rg_request(), &Progress::new())
        .await
        .expect_err("nobody listens");
    assert_eq!(err.kind, ErrorKind::Transport);
    assert!(err.message.contains("after 3 attempts"), "{}", err.message);
    assert!(!err.message.contains(TOKEN));
}

#[tokio::test]
async fn invalid_request_makes_no_call() {
    let arm = arm().await;
    catch_all(&arm.server, "no request at all").await;
    let err = arm
        .client
        .execute(
            "resourceGroup.get",
            json!({ "subscriptionId": "not-a-guid", "resourceGroupName": "rg" }),
            &Progress::new(),
        )
        .await
        .expect_err("bad guid");
    assert_eq!(err.kind, ErrorKind::InvalidArgument);
    assert_eq!(err.target.as_deref(), Some("subscriptionId"));
    assert!(err.message.contains("not-a-guid"));

    let err = arm
        .client
        .execute(
            "resourceGroup.get",
            json!({ "subscriptionId": SUB, "resourceGroupName": "rg", "extra": 1 }),
            &Progress::new(),
        )
        .await
        .expect_err("unknown field");
    assert_eq!(err.target.as_deref(), Some("extra"));
}

#[tokio::test]
async fn unknown_operation_is_rejected() {
    let arm = arm().await;
    catch_all(&arm.server, "no request at all").await;
    let err = arm
        .client
        .execute("identity.explode", json!({}), &Progress::new())
        .await
        .expect_err("unknown");
    assert_eq!(err.kind, ErrorKind::InvalidArgument);
    assert_eq!(err.target.as_deref(), Some("operation"));
}

#[tokio::test]
async fn plain_http_endpoint_is_refused_without_the_test_switch() {
    let config: aibperm::arm::ClientConfig = serde_json::from_value(json!({
        "armEndpoint": "http://127.0.0.1:9",
        "audience": "https://management.azure.com/",
        "credential": { "kind": "accessToken", "token": TOKEN }
    }))
    .expect("config");
    let err = aibperm::arm::ArmClient::new(config).expect_err("http refused");
    assert_eq!(err.target.as_deref(), Some("armEndpoint"));
}

#[tokio::test]
async fn requests_are_logged_with_status_and_request_id_but_never_the_token() {
    let arm = arm().await;
    let log = LogCapture::start();
    Mock::given(method("GET"))
        .and(path(rg_path()))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .mount(&arm.server)
        .await;
    Mock::given(method("GET"))
        .and(path(rg_path()))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-ms-request-id", "req-42")
                .set_body_json(rg_body()),
        )
        .mount(&arm.server)
        .await;
    catch_all(&arm.server, "GET resource group twice").await;

    arm.client
        .execute("resourceGroup.get", rg_request(), &Progress::new())
        .await
        .expect("found");
    let text = log.text();
    let request_line = format!(
        "GET {}{}?api-version=2021-04-01 -> 200 (request id req-42,",
        arm.server.uri(),
        rg_path()
    );
    assert!(text.contains(&request_line), "{text}");
    assert!(text.contains("aibperm::arm"), "{text}");
    assert!(text.contains("retrying GET"), "{text}");
    assert!(!text.contains(TOKEN), "{text}");
    assert!(!text.contains("Bearer"), "{text}");
}

/// Hands out `token-1`, then `token-2` once invalidated.
struct RotatingTokens {
    generation: std::sync::atomic::AtomicUsize,
}

#[async_trait::async_trait]
impl aibperm::auth::TokenSource for RotatingTokens {
    async fn token(&self, _scope: &str) -> aibperm::Result<aibperm::auth::Token> {
        let n = self.generation.load(std::sync::atomic::Ordering::SeqCst);
        Ok(aibperm::auth::Token {
            secret: secrecy::SecretString::from(format!("token-{n}")),
            expires_on: None,
        })
    }

    async fn invalidate(&self) {
        self.generation
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }

    fn describe(&self) -> String {
        "rotating test tokens".into()
    }
}

#[tokio::test]
async fn expired_token_is_refreshed_and_the_request_sent_again() {
    let server = wiremock::MockServer::start().await;
    let config: aibperm::arm::ClientConfig = serde_json::from_value(json!({
        "armEndpoint": server.uri(),
        "audience": "https://management.azure.com/",
        "credential": { "kind": "accessToken", "token": "unused" },
        "retry": { "maxRetries": 0 }
    }))
    .expect("config");
    let client = aibperm::arm::ArmClient::builder(config)
        .allow_loopback_http()
        .token_source(std::sync::Arc::new(RotatingTokens {
            generation: std::sync::atomic::AtomicUsize::new(1),
        }))
        .build()
        .expect("client");
    Mock::given(method("GET"))
        .and(path(rg_path()))
        .and(header("authorization", "Bearer token-1"))
        .respond_with(ResponseTemplate::new(401).set_body_json(arm_error(
            "ExpiredAuthenticationToken",
            "The access token expiry UTC time is earlier than current UTC time.",
        )))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(rg_path()))
        .and(header("authorization", "Bearer token-2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(rg_body()))
        .expect(1)
        .mount(&server)
        .await;
    catch_all(&server, "GET with token-1, then with token-2").await;

    let group = client
        .execute("resourceGroup.get", rg_request(), &Progress::new())
        .await
        .expect("refreshed");
    assert_eq!(group["name"], "rg-images");
}

#[tokio::test]
async fn parallel_throttled_requests_all_succeed_and_none_is_sent_early() {
    let arm = arm().await;
    Mock::given(method("GET"))
        .and(path(rg_path()))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "5")
                .set_body_json(arm_error(
                    "ResourceRequestsThrottled",
                    "Number of requests exceeded the limit of '120' for time interval '00:01:00'.",
                )),
        )
        .up_to_n_times(6)
        .expect(6)
        .with_priority(1)
        .mount(&arm.server)
        .await;
    Mock::given(method("GET"))
        .and(path(rg_path()))
        .respond_with(ResponseTemplate::new(200).set_body_json(rg_body()))
        .expect(6)
        .with_priority(2)
        .mount(&arm.server)
        .await;
    catch_all(&arm.server, "six throttled GETs and six successful ones").await;

    let runs: Vec<_> = (0..6)
        .map(|_| {
            let client = arm.client.clone();
            tokio::spawn(async move {
                client
                    .execute("resourceGroup.get", rg_request(), &Progress::new())
                    .await
            })
        })
        .collect();
    for run in runs {
        run.await.expect("joins").expect("every request succeeds");
    }
    let sleeps = arm.clock.sleeps.lock().clone();
    assert_eq!(sleeps.len(), 6, "{sleeps:?}");
    assert!(
        sleeps.iter().all(|s| *s >= Duration::from_secs(5)),
        "{sleeps:?}"
    );
}

#[test]
fn client_is_send_sync_and_cheap_to_clone() {
    fn assert_send_sync<T: Send + Sync + Clone>() {}
    assert_send_sync::<aibperm::arm::ArmClient>();
    assert_send_sync::<aibperm::arm::Progress>();
}

#[test]
fn ca_file_without_certificates_is_rejected_naming_the_field() {
    let dir = tempfile::tempdir().expect("tempdir");
    let not_pem = dir.path().join("ca.pem");
    std::fs::write(&not_pem, "this is not a certificate").expect("write");
    for path in [not_pem, dir.path().join("missing.pem")] {
        let config: aibperm::arm::ClientConfig = serde_json::from_value(json!({
            "armEndpoint": "https://management.azure.com",
            "caCertificatePath": path,
            "credential": { "kind": "accessToken", "token": "x" }
        }))
        .expect("config");
        let err = aibperm::arm::ArmClient::new(config).expect_err("bad CA file");
        assert_eq!(err.kind, ErrorKind::InvalidArgument);
        assert_eq!(err.target.as_deref(), Some("caCertificatePath"));
    }
}
