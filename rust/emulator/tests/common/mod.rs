//! Helpers shared by the emulator's integration tests.
#![allow(dead_code)]

use aibperm_emulator::{Emulator, EmulatorConfig};
use reqwest::{Client, Method, StatusCode};
use serde_json::Value;

pub const AUTHZ: &str = "2022-04-01";
pub const MSI: &str = "2023-01-31";
pub const RESOURCES: &str = "2021-04-01";

/// A running emulator, an HTTPS client trusting only its CA, and a token for ARM.
pub struct Harness {
    pub emulator: Emulator,
    pub client: Client,
    pub token: String,
}

pub fn client_for(emulator: &Emulator) -> Client {
    let ca = reqwest::Certificate::from_pem(emulator.ca_pem().as_bytes()).expect("CA PEM parses");
    Client::builder()
        .tls_certs_only([ca])
        .build()
        .expect("client builds")
}

pub async fn start(config: EmulatorConfig) -> Harness {
    let emulator = Emulator::start(config).await.expect("emulator starts");
    let client = client_for(&emulator);
    let token =
        client_credentials_token(&client, &emulator, "https://management.azure.com/.default")
            .await
            .expect("token issued");
    Harness {
        emulator,
        client,
        token,
    }
}

pub async fn client_credentials_token(
    client: &Client,
    emulator: &Emulator,
    scope: &str,
) -> Result<String, (StatusCode, Value)> {
    let state = emulator.state();
    let response = client
        .post(format!(
            "{}/{}/oauth2/v2.0/token",
            emulator.endpoint(),
            state.tenant_id
        ))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", state.client_id.as_str()),
            ("client_secret", state.client_secret.as_str()),
            ("scope", scope),
        ])
        .send()
        .await
        .expect("token request sent");
    let status = response.status();
    let body: Value = response.json().await.expect("token answer is JSON");
    if status.is_success() {
        Ok(body["access_token"]
            .as_str()
            .expect("access_token")
            .to_owned())
    } else {
        Err((status, body))
    }
}

/// One ARM answer: status, headers and JSON body (`Null` when empty).
pub struct Answer {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Answer {
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }
}

impl Harness {
    pub fn sub(&self) -> String {
        self.emulator.state().subscription_id.clone()
    }

    pub fn url(&self, path: &str, api_version: &str) -> String {
        let sep = if path.contains('?') { '&' } else { '?' };
        format!(
            "{}{path}{sep}api-version={api_version}",
            self.emulator.endpoint()
        )
    }

    pub async fn send(&self, method: Method, url: &str, body: Option<Value>) -> Answer {
        send_with_token(&self.client, method, url, body, Some(&self.token)).await
    }

    pub async fn arm(
        &self,
        method: Method,
        path: &str,
        api_version: &str,
        body: Option<Value>,
    ) -> Answer {
        let url = self.url(path, api_version);
        self.send(method, &url, body).await
    }

    pub async fn control(&self, method: Method, path: &str, body: Option<Value>) -> Answer {
        let url = format!("{}/_emulator{path}", self.emulator.endpoint());
        send_with_token(&self.client, method, &url, body, None).await
    }

    pub async fn resource_group(&self, name: &str) -> Answer {
        let path = format!("/subscriptions/{}/resourcegroups/{name}", self.sub());
        self.arm(
            Method::PUT,
            &path,
            RESOURCES,
            Some(serde_json::json!({"location": "westus2"})),
        )
        .await
    }
}

pub async fn send_with_token(
    client: &Client,
    method: Method,
    url: &str,
    body: Option<Value>,
    token: Option<&str>,
) -> Answer {
    let mut request = client.request(method, url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("request sent");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.expect("body read");
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).expect("body is JSON")
    };
    Answer {
        status,
        headers,
        body,
    }
}

pub fn is_guid_text(text: &str) -> bool {
    text.len() == 36 && uuid::Uuid::parse_str(text).is_ok()
}

/// Compares the shape of `actual` with `expected`: every field of `expected` is present in
/// `actual` with the same JSON type; GUID strings answer GUIDs, ids answer ids (leading
/// `/`); the first items of arrays are compared. `null` in `expected` matches anything, and
/// fields only `actual` has are fine (ARM adds fields over time). Returns the differences.
pub fn shape_differences(expected: &Value, actual: &Value) -> Vec<String> {
    let mut out = Vec::new();
    compare(expected, actual, "$", &mut out);
    out
}

fn compare(expected: &Value, actual: &Value, path: &str, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Null, _) => {}
        (Value::Object(e), Value::Object(a)) => {
            for (key, value) in e {
                match a.get(key) {
                    Some(found) => compare(value, found, &format!("{path}.{key}"), out),
                    None => out.push(format!("{path}.{key} is missing")),
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => match (e.first(), a.first()) {
            (Some(first), Some(found)) => compare(first, found, &format!("{path}[0]"), out),
            (Some(_), None) => out.push(format!("{path} is empty")),
            _ => {}
        },
        (Value::String(e), Value::String(a)) => {
            if is_guid_text(e) && !is_guid_text(a) {
                out.push(format!("{path} should be a GUID, got {a:?}"));
            }
            if e.starts_with('/') && !a.starts_with('/') {
                out.push(format!("{path} should be a resource id, got {a:?}"));
            }
        }
        (Value::Number(_), Value::Number(_)) | (Value::Bool(_), Value::Bool(_)) => {}
        (e, a) => out.push(format!("{path}: expected a value like {e}, got {a}")),
    }
}
