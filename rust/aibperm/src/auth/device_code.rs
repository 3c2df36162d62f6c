//! Device code sign-in (OAuth 2.0 device authorization grant) for an administrator who has
//! no other token source: the user opens a URL elsewhere and types a code.
//!
//! The sign-in happens in the `credential.signIn` operation, whose progress shows the code
//! and URL (phase `waitingForDeviceCode`) while it polls the token endpoint; dropping the
//! operation (cancel, Ctrl+C) stops the polling.

use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::Mutex;

use super::{Token, TokenSource};
use crate::arm::retry::SharedClock;
use crate::arm::{Phase, Progress};
use crate::{Error, ErrorKind, Result};

/// The public client that device code sign-in uses unless another is given: the application
/// id Microsoft publishes for the Azure CLI, which every tenant accepts for ARM scopes.
pub const DEFAULT_PUBLIC_CLIENT_ID: &str = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";

/// Polling stops when Entra ID keeps answering `authorization_pending` past the code's life.
const FALLBACK_CODE_LIFETIME: u64 = 900;

/// Tokens from a device code sign-in.
// Limit: the token is not refreshed (no refresh token is kept); when it expires the session
// must connect again.
pub struct DeviceCodeSource {
    token_endpoint: url::Url,
    device_endpoint: url::Url,
    client_id: String,
    http: reqwest::Client,
    clock: SharedClock,
    token: Mutex<Option<Token>>,
}

#[derive(serde::Deserialize)]
struct DeviceCodeAnswer {
    device_code: SecretString,
    user_code: String,
    verification_uri: String,
    #[serde(default)]
    expires_in: Option<u64>,
    #[serde(default)]
    interval: Option<u64>,
    #[serde(default)]
    message: Option<String>,
}

#[derive(serde::Deserialize)]
struct TokenAnswer {
    access_token: SecretString,
    expires_in: u64,
}

#[derive(serde::Deserialize)]
struct EntraErrorAnswer {
    error: String,
    #[serde(default)]
    error_description: String,
}

impl DeviceCodeSource {
    /// Device code sign-in at `authority_host` for `tenant_id` (a GUID, a domain,
    /// `organizations`), as `client_id` (a public client; default the Azure CLI's).
    ///
    /// # Errors
    /// `InvalidArgument` naming `tenantId` or `clientId`.
    pub fn new(
        authority_host: &url::Url,
        tenant_id: &str,
        client_id: Option<&str>,
        http: reqwest::Client,
        clock: SharedClock,
    ) -> Result<Self> {
        super::check_tenant(tenant_id)?;
        let client_id = client_id.unwrap_or(DEFAULT_PUBLIC_CLIENT_ID);
        crate::arm::scope::validate_guid("clientId", client_id)?;
        let base = authority_host.as_str().trim_end_matches('/');
        let endpoint = |path: &str| {
            url::Url::parse(&format!("{base}/{tenant_id}/oauth2/v2.0/{path}")).map_err(|e| {
                Error::invalid_argument("authorityHost", format!("authority host: {e}"))
            })
        };
        Ok(DeviceCodeSource {
            token_endpoint: endpoint("token")?,
            device_endpoint: endpoint("devicecode")?,
            client_id: client_id.to_owned(),
            http,
            clock,
            token: Mutex::new(None),
        })
    }

    async fn post(&self, url: &url::Url, form: &[(&str, &str)]) -> Result<(bool, Vec<u8>)> {
        let response = self
            .http
            .post(url.clone())
            .form(form)
            .send()
            .await
            .map_err(|e| {
                Error::new(
                    ErrorKind::Transport,
                    format!("device code sign-in: cannot reach {}: {e}", url.as_str()),
                )
            })?;
        let ok = response.status().is_success();
        let body = response.bytes().await.map_err(|e| {
            Error::new(
                ErrorKind::Transport,
                format!("device code sign-in: reading the answer: {e}"),
            )
        })?;
        Ok((ok, body.to_vec()))
    }
}

fn entra_failure(body: &[u8]) -> Error {
    let detail = serde_json::from_slice::<EntraErrorAnswer>(body)
        .map(|e| format!("{}: {}", e.error, e.error_description))
        .unwrap_or_else(|_| "an unreadable error".to_owned());
    Error::new(
        ErrorKind::Credential,
        format!("device code sign-in failed: {detail}"),
    )
}

#[async_trait]
impl TokenSource for DeviceCodeSource {
    async fn token(&self, _scope: &str) -> Result<Token> {
        let token = self.token.lock().await.clone();
        match token {
            Some(token)
                if token
                    .expires_on
                    .is_none_or(|expires| expires > self.clock.now()) =>
            {
                Ok(token)
            }
            Some(_) => Err(Error::new(
                ErrorKind::Credential,
                "the device code sign-in expired; connect again",
            )),
            None => Err(Error::new(
                ErrorKind::Credential,
                "device code sign-in has not completed; connect again",
            )),
        }
    }

    async fn sign_in(&self, scope: &str, progress: &Progress) -> Result<()> {
        let (ok, body) = self
            .post(
                &self.device_endpoint,
                &[("client_id", self.client_id.as_str()), ("scope", scope)],
            )
            .await?;
        if !ok {
            return Err(entra_failure(&body));
        }
        let code: DeviceCodeAnswer = serde_json::from_slice(&body).map_err(|_| {
            Error::new(
                ErrorKind::Decode,
                "the device code answer is not the documented JSON",
            )
        })?;
        let message = code.message.clone().unwrap_or_else(|| {
            format!(
                "To sign in, open {} and enter the code {}.",
                code.verification_uri, code.user_code
            )
        });
        let mut interval = code.interval.unwrap_or(5).max(1);
        let lifetime = code.expires_in.unwrap_or(FALLBACK_CODE_LIFETIME);
        let started = self.clock.now();
        let mut attempt = 0;
        progress.waiting(
            Phase::WaitingForDeviceCode,
            message.clone(),
            attempt,
            0.0,
            Some(lifetime as f64),
        );
        loop {
            self.clock.sleep(Duration::from_secs(interval)).await;
            attempt += 1;
            let waited = self
                .clock
                .now()
                .duration_since(started)
                .unwrap_or_default()
                .as_secs_f64();
            progress.waiting(
                Phase::WaitingForDeviceCode,
                message.clone(),
                attempt,
                waited,
                Some(lifetime as f64),
            );
            let (ok, body) = self
                .post(
                    &self.token_endpoint,
                    &[
                        ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
                        ("client_id", self.client_id.as_str()),
                        ("device_code", code.device_code.expose_secret()),
                    ],
                )
                .await?;
            if ok {
                let answer: TokenAnswer = serde_json::from_slice(&body).map_err(|_| {
                    Error::new(
                        ErrorKind::Decode,
                        "the token answer is not the documented JSON",
                    )
                })?;
                let expires_on = SystemTime::now() + Duration::from_secs(answer.expires_in);
                *self.token.lock().await = Some(Token {
                    secret: answer.access_token,
                    expires_on: Some(expires_on),
                });
                tracing::info!(target: "aibperm::auth", "device code sign-in completed");
                return Ok(());
            }
            let error = serde_json::from_slice::<EntraErrorAnswer>(&body)
                .map(|e| e.error)
                .unwrap_or_default();
            match error.as_str() {
                "authorization_pending" => {}
                "slow_down" => interval += 5,
                _ => return Err(entra_failure(&body)),
            }
            if waited > lifetime as f64 {
                return Err(Error::new(
                    ErrorKind::Credential,
                    "the device code expired before the sign-in was approved",
                ));
            }
        }
    }

    fn describe(&self) -> String {
        format!("device code sign-in as client {}", self.client_id)
    }
}
