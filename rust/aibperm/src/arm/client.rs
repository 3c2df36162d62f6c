//! The HTTP core of the ARM client: one reqwest client, bearer tokens, retries, paging and
//! the request log lines.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::Method;
use secrecy::ExposeSecret;
use serde_json::Value;

use super::config::{ClientConfig, CredentialConfig};
use super::envelope::service_error;
use super::odata;
use super::progress::{Phase, Progress};
use super::retry::{self, RetryPolicy, SharedClock, SystemClock};
use crate::auth::{self, CredentialTokenSource, StaticTokenSource, TokenSource};
use crate::{Error, ErrorKind, Result};

/// Most pages one list may follow before the client stops with an error.
pub const MAX_PAGES: usize = 500;

/// An Azure Resource Manager client for identities, role definitions, role assignments and
/// resource groups. Cheap to clone (one `Arc` inside); safe to share between threads.
///
/// # Example
/// ```no_run
/// # async fn demo() -> aibperm::Result<()> {
/// use aibperm::arm::{ArmClient, ClientConfig, Progress};
/// let config: ClientConfig = serde_json::from_str(
///     r#"{"credential": {"kind": "accessToken", "token": "eyJ..."}}"#,
/// )?;
/// let client = ArmClient::new(config)?;
/// let group = client
///     .execute(
///         "resourceGroup.get",
///         serde_json::json!({"subscriptionId": "00000000-0000-0000-0000-000000000000",
///                            "resourceGroupName": "rg-images"}),
///         &Progress::new(),
///     )
///     .await?;
/// println!("{}", group["location"]);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct ArmClient {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    http: reqwest::Client,
    /// Base URL without a trailing `/`.
    base: String,
    origin: url::Origin,
    token_scope: String,
    tokens: Arc<dyn TokenSource>,
    pub(crate) policy: RetryPolicy,
    pub(crate) clock: SharedClock,
}

impl std::fmt::Debug for ArmClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ArmClient")
            .field("endpoint", &self.inner.base)
            .field("credential", &self.inner.tokens.describe())
            .finish_non_exhaustive()
    }
}

/// Builds an [`ArmClient`] with choices tests need (an injected clock, plain HTTP on
/// loopback for mock servers). [`ArmClient::new`] is the usual way.
pub struct ArmClientBuilder {
    config: ClientConfig,
    clock: SharedClock,
    allow_loopback_http: bool,
    token_source: Option<Arc<dyn TokenSource>>,
}

impl ArmClientBuilder {
    /// Uses `clock` for waits, deadlines and token expiry (tests pass a fake one).
    pub fn clock(mut self, clock: SharedClock) -> Self {
        self.clock = clock;
        self
    }

    /// Accepts `http://127.0.0.1:<port>` as ARM endpoint, for tests against a local mock
    /// server. Any other plain-HTTP endpoint is still refused; TLS, when used, is always
    /// verified.
    pub fn allow_loopback_http(mut self) -> Self {
        self.allow_loopback_http = true;
        self
    }

    /// Uses `source` for bearer tokens instead of the configured credential (a token source
    /// the configuration cannot describe, or a test double).
    pub fn token_source(mut self, source: Arc<dyn TokenSource>) -> Self {
        self.token_source = Some(source);
        self
    }

    /// Checks the configuration and builds the client. No network I/O; callable outside a
    /// tokio runtime.
    ///
    /// # Errors
    /// `InvalidArgument` naming the configuration field that is unusable (endpoint, audience,
    /// CA file, credential fields).
    pub fn build(self) -> Result<ArmClient> {
        let config = self.config;
        let endpoint = match url::Url::parse(&config.arm_endpoint) {
            Ok(url) if self.allow_loopback_http && is_loopback_http(&url) => url,
            _ => config.endpoint_url()?,
        };
        let audience = config.resolved_audience()?;
        let timeout = config.request_timeout()?;

        let mut builder = reqwest::Client::builder()
            .user_agent(format!("AibPermissions/{}", crate::VERSION))
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(20)))
            .redirect(reqwest::redirect::Policy::none());
        if let Some(path) = &config.ca_certificate_path {
            let pem = std::fs::read(path).map_err(|e| {
                Error::invalid_argument(
                    "caCertificatePath",
                    format!("cannot read CA certificate file '{}': {e}", path.display()),
                )
            })?;
            let certificates = reqwest::Certificate::from_pem_bundle(&pem)
                .ok()
                .filter(|c| !c.is_empty())
                .ok_or_else(|| {
                    Error::invalid_argument(
                        "caCertificatePath",
                        format!(
                            "'{}' holds no PEM certificate (expected -----BEGIN CERTIFICATE-----)",
                            path.display()
                        ),
                    )
                })?;
            builder = builder.tls_certs_merge(certificates);
        }
        let http = builder.build().map_err(|e| {
            Error::new(
                ErrorKind::Transport,
                format!("setting up the HTTPS client: {}", error_chain(&e)),
            )
        })?;

        let tokens: Arc<dyn TokenSource> = match (self.token_source, &config.credential) {
            (Some(source), _) => source,
            (None, CredentialConfig::AccessToken { token, expires_on }) => Arc::new(
                StaticTokenSource::new(token.clone(), *expires_on, self.clock.clone())?,
            ),
            (
                None,
                CredentialConfig::ClientSecret {
                    tenant_id,
                    client_id,
                    client_secret,
                },
            ) => Arc::new(CredentialTokenSource::client_secret(
                &config.authority_url()?,
                tenant_id,
                client_id,
                client_secret,
                http.clone(),
                self.clock.clone(),
            )?),
            (
                None,
                CredentialConfig::AzureCli {
                    executable,
                    tenant_id,
                },
            ) => Arc::new(CredentialTokenSource::azure_cli(
                executable.clone(),
                tenant_id.as_deref(),
                self.clock.clone(),
            )?),
            (
                None,
                CredentialConfig::AzureDeveloperCli {
                    executable,
                    tenant_id,
                },
            ) => Arc::new(CredentialTokenSource::azure_developer_cli(
                executable.clone(),
                tenant_id.as_deref(),
                self.clock.clone(),
            )?),
            (
                None,
                CredentialConfig::ClientCertificate {
                    tenant_id,
                    client_id,
                    certificate_path,
                    certificate_pem,
                },
            ) => {
                let certificate = match (certificate_path, certificate_pem) {
                    (Some(path), None) => auth::CertificateSource::Path(path.clone()),
                    (None, Some(pem)) => auth::CertificateSource::Pem(pem.clone()),
                    _ => {
                        return Err(Error::invalid_argument(
                            "credential.certificatePath",
                            "give exactly one of certificatePath and certificatePem",
                        ));
                    }
                };
                Arc::new(CredentialTokenSource::client_certificate(
                    &config.authority_url()?,
                    tenant_id,
                    client_id,
                    &certificate,
                    http.clone(),
                    self.clock.clone(),
                )?)
            }
            (
                None,
                CredentialConfig::WorkloadIdentity {
                    tenant_id,
                    client_id,
                    token_file,
                },
            ) => Arc::new(CredentialTokenSource::workload_identity(
                &config.authority_url()?,
                tenant_id,
                client_id,
                token_file,
                http.clone(),
                self.clock.clone(),
            )?),
            (
                None,
                CredentialConfig::DeviceCode {
                    tenant_id,
                    client_id,
                },
            ) => Arc::new(auth::DeviceCodeSource::new(
                &config.authority_url()?,
                tenant_id,
                client_id.as_deref(),
                http.clone(),
                self.clock.clone(),
            )?),
            (
                None,
                CredentialConfig::ManagedIdentity {
                    endpoint,
                    identity_header,
                    client_id,
                },
            ) => Arc::new(CredentialTokenSource::app_service_identity(
                endpoint,
                identity_header,
                client_id.as_deref(),
                http.clone(),
                self.clock.clone(),
            )?),
        };
        tracing::info!(
            target: "aibperm::arm",
            "ARM endpoint {} with {} (audience {audience})",
            endpoint.as_str().trim_end_matches('/'),
            tokens.describe()
        );

        Ok(ArmClient {
            inner: Arc::new(Inner {
                http,
                base: endpoint.as_str().trim_end_matches('/').to_owned(),
                origin: endpoint.origin(),
                token_scope: auth::scope_for_audience(&audience),
                tokens,
                policy: RetryPolicy::from(&config.retry),
                clock: self.clock,
            }),
        })
    }
}

fn is_loopback_http(url: &url::Url) -> bool {
    url.scheme() == "http" && matches!(url.host_str(), Some("127.0.0.1") | Some("[::1]"))
}

/// One answer that is not to be retried (any 2xx or a non-retryable error status).
#[derive(Debug)]
pub(crate) struct ArmResponse {
    pub status: u16,
    pub body: Vec<u8>,
    pub request_id: Option<String>,
}

impl ArmResponse {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The ARM error this answer carries.
    pub fn error(&self) -> Error {
        service_error(self.status, self.request_id.clone(), &self.body)
    }

    /// The body as JSON.
    pub fn json(&self) -> Result<Value> {
        serde_json::from_slice(&self.body).map_err(|e| {
            Error::new(
                ErrorKind::Decode,
                format!("the answer ({}) is not JSON: {e}", self.status),
            )
        })
    }

    /// The ARM error code of an error answer.
    pub fn arm_code(&self) -> Option<String> {
        if self.is_success() {
            None
        } else {
            self.error().arm_code
        }
    }
}

impl ArmClient {
    /// Builds a client from `config`. No network I/O; callable outside a runtime.
    ///
    /// # Errors
    /// `InvalidArgument` naming the unusable configuration field; `Transport` when the TLS
    /// stack cannot be set up.
    pub fn new(config: ClientConfig) -> Result<ArmClient> {
        ArmClient::builder(config).build()
    }

    /// A builder, for an injected clock or a loopback mock server.
    pub fn builder(config: ClientConfig) -> ArmClientBuilder {
        ArmClientBuilder {
            config,
            clock: Arc::new(SystemClock),
            allow_loopback_http: false,
            token_source: None,
        }
    }

    /// Signs in with the token source now (`credential.signIn`): a device code sign-in waits
    /// for the user here, with the code and URL in `progress`.
    pub(crate) async fn sign_in(&self, progress: &Progress) -> Result<Value> {
        self.inner
            .tokens
            .sign_in(&self.inner.token_scope, progress)
            .await?;
        Ok(serde_json::json!({ "credential": self.inner.tokens.describe() }))
    }

    pub(crate) fn clock(&self) -> &SharedClock {
        &self.inner.clock
    }

    /// `{base}{path}?{query}`: `path` must start with `/` and hold validated segments; each
    /// query name and value is percent-encoded here.
    pub(crate) fn url(&self, path: &str, query: &[(&str, &str)]) -> Result<url::Url> {
        if !path.starts_with('/') || path.split('/').any(|s| s == "." || s == "..") {
            return Err(Error::internal(format!("bad request path '{path}'")));
        }
        let mut text = format!("{}{}", self.inner.base, path);
        for (i, (name, value)) in query.iter().enumerate() {
            text.push(if i == 0 { '?' } else { '&' });
            text.push_str(&odata::encode_query_value(name));
            text.push('=');
            text.push_str(&odata::encode_query_value(value));
        }
        url::Url::parse(&text).map_err(|e| Error::internal(format!("bad request url: {e}")))
    }

    /// Sends one logical request, retrying throttled and transient failures.
    ///
    /// Returns the first answer that is not retryable (success or not). When retries run
    /// out, the error says so and carries the last answer's details.
    pub(crate) async fn send(
        &self,
        method: Method,
        url: &url::Url,
        body: Option<&Value>,
        progress: &Progress,
    ) -> Result<ArmResponse> {
        let policy = &self.inner.policy;
        let mut retry = 0u32;
        let mut refreshed_token = false;
        loop {
            let outcome = self.send_once(&method, url, body).await;
            let (reason, retry_after, last_error) = match outcome {
                Ok((response, headers)) => {
                    if response.status == 401
                        && !refreshed_token
                        && response.arm_code().as_deref() == Some("ExpiredAuthenticationToken")
                    {
                        tracing::debug!(target: "aibperm::arm", "token expired: refreshing it and sending again");
                        self.inner.tokens.invalidate().await;
                        refreshed_token = true;
                        continue;
                    }
                    if !RetryPolicy::is_retryable_status(response.status) {
                        return Ok(response);
                    }
                    let wait = retry::retry_after(&headers, self.inner.clock.now());
                    let err = response.error();
                    (format!("answer {}", response.status), wait, err)
                }
                Err(err) if err.kind == ErrorKind::Transport => {
                    (format!("transport error ({})", err.message), None, err)
                }
                Err(err) => return Err(err),
            };
            if retry >= policy.max_retries {
                let tries = retry + 1;
                return Err(last_error.context(format!(
                    "{method} {} failed after {tries} attempt{}",
                    url_for_log(url),
                    if tries == 1 { "" } else { "s" }
                )));
            }
            let delay = policy.delay(retry, retry_after, retry::random_jitter());
            retry += 1;
            tracing::debug!(
                target: "aibperm::arm",
                "retrying {method} {} in {:.1} s after {reason} (retry {retry} of {}{})",
                url_for_log(url),
                delay.as_secs_f64(),
                policy.max_retries,
                match retry_after {
                    Some(d) => format!(", server asked for {:.1} s", d.as_secs_f64()),
                    None => String::new(),
                }
            );
            let before = progress.snapshot();
            progress.waiting(
                Phase::Retrying,
                format!("{reason}: retrying in {:.0} s", delay.as_secs_f64().ceil()),
                retry,
                0.0,
                Some(delay.as_secs_f64()),
            );
            self.inner.clock.sleep(delay).await;
            progress.set(before);
        }
    }

    /// One HTTP exchange: a fresh request each time (token, headers, body).
    async fn send_once(
        &self,
        method: &Method,
        url: &url::Url,
        body: Option<&Value>,
    ) -> Result<(ArmResponse, http::HeaderMap)> {
        let token = self.inner.tokens.token(&self.inner.token_scope).await?;
        let mut request = self
            .inner
            .http
            .request(method.clone(), url.clone())
            .header(http::header::ACCEPT, "application/json")
            .header(
                "x-ms-client-request-id",
                uuid::Uuid::new_v4().hyphenated().to_string(),
            )
            .header(
                http::header::AUTHORIZATION,
                format!("Bearer {}", token.secret.expose_secret()),
            );
        if let Some(body) = body {
            request = request.json(body);
        }
        let started = Instant::now();
        let response = match request.send().await {
            Ok(response) => response,
            Err(e) => {
                tracing::debug!(
                    target: "aibperm::arm",
                    "{method} {} -> {} ({} ms)",
                    url_for_log(url),
                    transport_kind(&e),
                    started.elapsed().as_millis()
                );
                return Err(Error::new(
                    ErrorKind::Transport,
                    format!("{}: {}", transport_kind(&e), error_chain(&e)),
                ));
            }
        };
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let request_id = headers
            .get("x-ms-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = response.bytes().await.map_err(|e| {
            Error::new(
                ErrorKind::Transport,
                format!("reading the answer to {method}: {}", error_chain(&e)),
            )
        })?;
        tracing::debug!(
            target: "aibperm::arm",
            "{method} {} -> {status} (request id {}, {} ms)",
            url_for_log(url),
            request_id.as_deref().unwrap_or("none"),
            started.elapsed().as_millis()
        );
        Ok((
            ArmResponse {
                status,
                body: body.to_vec(),
                request_id,
            },
            headers,
        ))
    }

    /// GET `url` and every page after it through `nextLink`; returns all `value` items.
    pub(crate) async fn get_all_pages(
        &self,
        url: &url::Url,
        progress: &Progress,
    ) -> Result<Vec<Value>> {
        let api_version = url
            .query_pairs()
            .find(|(k, _)| k == "api-version")
            .map(|(_, v)| v.into_owned());
        let mut items = Vec::new();
        let mut next = Some(url.clone());
        let mut pages = 0usize;
        while let Some(page_url) = next.take() {
            pages += 1;
            if pages > MAX_PAGES {
                return Err(Error::new(
                    ErrorKind::Decode,
                    format!(
                        "listing {} returned more than {MAX_PAGES} pages",
                        url_for_log(url)
                    ),
                ));
            }
            let response = self.send(Method::GET, &page_url, None, progress).await?;
            if !response.is_success() {
                return Err(response.error());
            }
            let page = response.json()?;
            match page.get("value") {
                Some(Value::Array(values)) => items.extend(values.iter().cloned()),
                Some(Value::Null) | None => {}
                Some(_) => {
                    return Err(Error::new(
                        ErrorKind::Decode,
                        "a list answer's 'value' is not an array",
                    ));
                }
            }
            if let Some(link) = page.get("nextLink").and_then(Value::as_str) {
                if !link.trim().is_empty() {
                    next = Some(self.next_link(link, api_version.as_deref())?);
                }
            }
        }
        Ok(items)
    }

    /// Checks a `nextLink` (same origin as the endpoint, so the token goes nowhere else) and
    /// adds `api-version` when the link lacks it.
    fn next_link(&self, link: &str, api_version: Option<&str>) -> Result<url::Url> {
        let mut url = url::Url::parse(link)
            .or_else(|_| url::Url::parse(&format!("{}{link}", self.inner.base)))
            .map_err(|e| {
                Error::new(
                    ErrorKind::Decode,
                    format!("nextLink '{link}' is not a URL: {e}"),
                )
            })?;
        if url.origin() != self.inner.origin {
            return Err(Error::new(
                ErrorKind::Decode,
                format!("nextLink '{link}' points away from the ARM endpoint; not following it"),
            ));
        }
        let has_version = url.query_pairs().any(|(k, _)| k == "api-version");
        if let (false, Some(version)) = (has_version, api_version) {
            url.query_pairs_mut().append_pair("api-version", version);
        }
        Ok(url)
    }

    /// Sends a request whose success statuses are `expected`; anything else is an error.
    pub(crate) async fn send_expect(
        &self,
        method: Method,
        url: &url::Url,
        body: Option<&Value>,
        progress: &Progress,
    ) -> Result<(u16, Value)> {
        let response = self.send(method, url, body, progress).await?;
        if !response.is_success() {
            return Err(response.error());
        }
        let value = if response.body.is_empty() {
            Value::Null
        } else {
            response.json()?
        };
        Ok((response.status, value))
    }

    /// GET returning `None` when the resource is absent: a 404 whose code is not one of
    /// `parent_missing` (a missing subscription or resource group stays an error).
    pub(crate) async fn get_optional(
        &self,
        url: &url::Url,
        progress: &Progress,
        parent_missing: &[&str],
    ) -> Result<Option<Value>> {
        let response = self.send(Method::GET, url, None, progress).await?;
        if response.status == 404 {
            let code = response.arm_code();
            if !code.is_some_and(|c| parent_missing.contains(&c.as_str())) {
                return Ok(None);
            }
        }
        if !response.is_success() {
            return Err(response.error());
        }
        response.json().map(Some)
    }
}

/// A URL as it may appear in a log: ARM URLs carry no secrets, but drop any userinfo.
pub(crate) fn url_for_log(url: &url::Url) -> String {
    let mut shown = url.clone();
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    shown.to_string()
}

fn transport_kind(e: &reqwest::Error) -> &'static str {
    if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "connection failed"
    } else {
        "connection error"
    }
}

/// `e` and its sources, joined by `: `, so TLS failures name their cause.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let next = cause.to_string();
        if !text.contains(&next) {
            text.push_str(": ");
            text.push_str(&next);
        }
        source = cause.source();
    }
    text
}
