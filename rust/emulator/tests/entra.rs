//! Entra ID: the token endpoint as azure_identity and plain clients use it, and how ARM
//! judges the tokens.

mod common;

use aibperm_emulator::{EmulatorConfig, Faults};
use azure_core::cloud::{CloudConfiguration, CustomConfiguration};
use azure_core::credentials::TokenCredential;
use azure_core::http::{ClientOptions, Transport};
use azure_identity::{ClientSecretCredential, ClientSecretCredentialOptions};
use common::{AUTHZ, client_credentials_token, send_with_token, start};
use reqwest::{Method, StatusCode};
use std::sync::Arc;

fn role_list_url(h: &common::Harness) -> String {
    h.url(
        &format!(
            "/subscriptions/{}/providers/Microsoft.Authorization/roleDefinitions",
            h.sub()
        ),
        AUTHZ,
    )
}

#[tokio::test]
async fn azure_identity_client_secret_credential_gets_a_token_arm_accepts() {
    let h = start(EmulatorConfig::default()).await;
    let state = h.emulator.state().clone();

    let mut cloud = CustomConfiguration::default();
    cloud.authority_host = state.authority_host.clone();
    let options = ClientSecretCredentialOptions {
        client_options: ClientOptions {
            cloud: Some(Arc::new(CloudConfiguration::from(cloud))),
            transport: Some(Transport::new(Arc::new(h.client.clone()))),
            ..Default::default()
        },
    };
    let credential = ClientSecretCredential::new(
        &state.tenant_id,
        state.client_id.clone(),
        state.client_secret.clone().into(),
        Some(options),
    )
    .expect("credential builds");
    let token = credential
        .get_token(&["https://management.azure.com/.default"], None)
        .await
        .expect("token from the emulator");

    let answer = send_with_token(
        &h.client,
        Method::GET,
        &role_list_url(&h),
        None,
        Some(token.token.secret()),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    h.emulator.shutdown().await;
}

#[tokio::test]
async fn wrong_secret_is_invalid_client_and_unknown_tenant_is_refused() {
    let h = start(EmulatorConfig::default()).await;
    let state = h.emulator.state();
    let answer = h
        .client
        .post(format!(
            "{}/{}/oauth2/v2.0/token",
            state.endpoint, state.tenant_id
        ))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", state.client_id.as_str()),
            ("client_secret", "not-the-secret"),
            ("scope", "https://management.azure.com/.default"),
        ])
        .send()
        .await
        .expect("sent");
    assert_eq!(answer.status(), StatusCode::UNAUTHORIZED);
    let body: serde_json::Value = answer.json().await.expect("json");
    assert_eq!(body["error"], "invalid_client");
    assert_eq!(body["error_codes"][0], 7000215);
    assert!(!body.to_string().contains(&state.client_secret));

    let other_tenant = uuid::Uuid::new_v4();
    let answer = h
        .client
        .post(format!(
            "{}/{other_tenant}/oauth2/v2.0/token",
            state.endpoint
        ))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("sent");
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
    h.emulator.shutdown().await;
}

#[tokio::test]
async fn arm_refuses_missing_malformed_foreign_and_expired_tokens() {
    let h = start(EmulatorConfig::default()).await;
    let url = role_list_url(&h);

    let cases: Vec<(Option<String>, &str)> = vec![
        (None, "AuthenticationFailed"),
        (Some("".into()), "AuthenticationFailedInvalidHeader"),
        (Some("a.b.c".into()), "InvalidAuthenticationToken"),
    ];
    for (token, code) in cases {
        let mut request = h.client.get(&url);
        if let Some(token) = &token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        let response = request.send().await.expect("sent");
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{code}");
        assert!(
            response.headers().contains_key("www-authenticate"),
            "{code}"
        );
        let body: serde_json::Value = response.json().await.expect("json");
        assert_eq!(body["error"]["code"], code);
    }

    let graph = client_credentials_token(
        &h.client,
        &h.emulator,
        "https://graph.microsoft.com/.default",
    )
    .await
    .expect("graph token");
    let answer = send_with_token(&h.client, Method::GET, &url, None, Some(&graph)).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer.code(), "InvalidAuthenticationTokenAudience");

    // A one-second token is refused once it has expired.
    let faults = Faults {
        token_lifetime_seconds: 1,
        ..Faults::default()
    };
    let put = h
        .control(
            Method::PUT,
            "/faults",
            Some(serde_json::to_value(&faults).expect("json")),
        )
        .await;
    assert_eq!(put.status, StatusCode::OK);
    let short = client_credentials_token(
        &h.client,
        &h.emulator,
        "https://management.azure.com/.default",
    )
    .await
    .expect("short token");
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let answer = send_with_token(&h.client, Method::GET, &url, None, Some(&short)).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer.code(), "ExpiredAuthenticationToken");
    h.emulator.shutdown().await;
}

#[tokio::test]
async fn api_version_is_required_and_checked() {
    let h = start(EmulatorConfig::default()).await;
    let path = format!(
        "{}/subscriptions/{}/resourcegroups",
        h.emulator.endpoint(),
        h.sub()
    );
    let missing = h.send(Method::GET, &path, None).await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    assert_eq!(missing.code(), "MissingApiVersionParameter");
    let wrong = h
        .send(Method::GET, &format!("{path}?api-version=2099-01-01"), None)
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert_eq!(wrong.code(), "InvalidApiVersionParameter");
    h.emulator.shutdown().await;
}

#[tokio::test]
async fn device_code_is_pending_until_approved_then_issues_a_user_token() {
    let h = start(EmulatorConfig::default()).await;
    let state = h.emulator.state().clone();
    let base = format!("{}/organizations/oauth2/v2.0", state.endpoint);
    let started: serde_json::Value = h
        .client
        .post(format!("{base}/devicecode"))
        .form(&[
            ("client_id", "04b07795-8ddb-461a-bbee-02f9e1bf7b46"),
            (
                "scope",
                "https://management.azure.com//.default offline_access",
            ),
        ])
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    let device_code = started["device_code"]
        .as_str()
        .expect("device_code")
        .to_owned();
    let user_code = started["user_code"].as_str().expect("user_code").to_owned();
    assert!(started["verification_uri"].is_string() && started["interval"].is_number());

    let poll = || async {
        let response = h
            .client
            .post(format!("{base}/token"))
            .form(&[
                ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
                ("client_id", "04b07795-8ddb-461a-bbee-02f9e1bf7b46"),
                ("device_code", device_code.as_str()),
            ])
            .send()
            .await
            .expect("sent");
        let status = response.status();
        let body: serde_json::Value = response.json().await.expect("json");
        (status, body)
    };
    let (status, body) = poll().await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "authorization_pending");

    let pending = h.control(Method::GET, "/device-codes", None).await;
    assert_eq!(pending.body["value"][0]["userCode"], user_code.as_str());
    let approved = h
        .control(
            Method::POST,
            &format!("/device-codes/{user_code}/approve"),
            None,
        )
        .await;
    assert_eq!(approved.status, StatusCode::NO_CONTENT);

    let (status, body) = poll().await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let token = body["access_token"].as_str().expect("token").to_owned();
    let answer = send_with_token(
        &h.client,
        Method::GET,
        &role_list_url(&h),
        None,
        Some(&token),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);

    // A used or unknown device code is refused.
    let (status, body) = poll().await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant");
    h.emulator.shutdown().await;
}

#[tokio::test]
async fn managed_identity_endpoint_needs_the_identity_header() {
    let h = start(EmulatorConfig::default()).await;
    let state = h.emulator.state().clone();
    let url = format!(
        "{}?resource=https://management.azure.com/&api-version=2019-08-01",
        state.managed_identity_endpoint
    );
    let refused = h.client.get(&url).send().await.expect("sent");
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);

    let response = h
        .client
        .get(&url)
        .header("X-IDENTITY-HEADER", &state.identity_header)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    let body: serde_json::Value = response.json().await.expect("json");
    assert!(
        body["expires_on"]
            .as_str()
            .is_some_and(|s| s.parse::<i64>().is_ok())
    );
    assert_eq!(body["token_type"], "Bearer");
    let token = body["access_token"].as_str().expect("token");
    let answer = send_with_token(
        &h.client,
        Method::GET,
        &role_list_url(&h),
        None,
        Some(token),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    h.emulator.shutdown().await;
}
