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
