//! Token sources: a static access token and azure_identity credentials.
//!
//! Every source hands out bearer tokens for one audience scope
//! (`https://management.azure.com/.default`). Tokens are cached until shortly before they
//! expire and refreshed transparently; a token or secret never appears in an error or log.

// The crate-wide error carries the service details callers need; results stay unboxed.
#![allow(clippy::result_large_err)]

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use azure_core::cloud::{CloudConfiguration, CustomConfiguration};
use azure_core::credentials::{Secret, TokenCredential};
use azure_core::http::{ClientOptions, Transport};
use azure_identity::{ClientSecretCredential, ClientSecretCredentialOptions};
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::Mutex;

use crate::arm::retry::SharedClock;
use crate::{Error, ErrorKind, Result};

mod assertion;
mod developer_cli;
mod device_code;

pub use assertion::CertificateSource;
pub use device_code::{DEFAULT_PUBLIC_CLIENT_ID, DeviceCodeSource};

/// A token is refreshed this long before it expires.
pub const REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);

/// A bearer token and when it expires.
#[derive(Clone, Debug)]
pub struct Token {
    pub secret: SecretString,
    pub expires_on: Option<SystemTime>,
}

/// Anything that can produce bearer tokens for an audience scope.
#[async_trait]
pub trait TokenSource: Send + Sync {
    /// A token valid for `scope` (an audience followed by `.default`).
    ///
    /// # Errors
    /// Kind `Credential` when no token can be obtained; the message never holds a secret.
    async fn token(&self, scope: &str) -> Result<Token>;

    /// Forgets any cached token, so the next call fetches a new one (after ARM answered
    /// `ExpiredAuthenticationToken`).
    async fn invalidate(&self) {}

    /// Signs in now, reporting any wait for the user on `progress` (the `credential.signIn`
    /// operation); for most sources this is getting a first token.
    ///
    /// # Errors
    /// As [`TokenSource::token`].
    async fn sign_in(&self, scope: &str, _progress: &crate::arm::Progress) -> Result<()> {
        self.token(scope).await.map(|_| ())
    }

    /// A short description for logs ("access token", "client secret for app X").
    fn describe(&self) -> String;
}

/// The scope for an audience: `https://management.azure.com/` → `https://management.azure.com/.default`.
pub fn scope_for_audience(audience: &str) -> String {
    if audience.ends_with('/') {
        format!("{audience}.default")
    } else {
        format!("{audience}/.default")
    }
}

// Limit: IMDS (the managed identity endpoint of Azure virtual machines) is not built in; it
// can come through `ArmClientBuilder::token_source`.

/// Checks a tenant given as a directory GUID or domain name.
pub(crate) fn check_tenant(tenant_id: &str) -> Result<()> {
    let ok = !tenant_id.is_empty()
        && tenant_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    if ok {
        Ok(())
    } else {
        Err(Error::invalid_argument(
            "tenantId",
            format!("tenantId '{tenant_id}' must be a directory GUID or domain name"),
        ))
    }
}

/// A token obtained elsewhere; it cannot be refreshed.
pub struct StaticTokenSource {
    token: SecretString,
    expires_on: Option<SystemTime>,
    clock: SharedClock,
}

impl StaticTokenSource {
    /// `expires_on` in unix seconds, when known.
    ///
    /// # Errors
    /// `InvalidArgument` (target `token`) for an empty token.
    pub fn new(token: SecretString, expires_on: Option<i64>, clock: SharedClock) -> Result<Self> {
        if token.expose_secret().trim().is_empty() {
            return Err(Error::invalid_argument(
                "token",
                "the access token is empty",
            ));
        }
        if token.expose_secret().chars().any(char::is_control) {
            return Err(Error::invalid_argument(
                "token",
                "the access token contains control characters",
            ));
        }
        let expires_on = expires_on
            .map(|secs| SystemTime::UNIX_EPOCH + Duration::from_secs(secs.max(0).unsigned_abs()));
        Ok(StaticTokenSource {
            token,
            expires_on,
            clock,
        })
    }
}

#[async_trait]
impl TokenSource for StaticTokenSource {
    async fn token(&self, _scope: &str) -> Result<Token> {
        if let Some(expires_on) = self.expires_on {
            if expires_on <= self.clock.now() {
                return Err(Error::new(
                    ErrorKind::Credential,
                    format!(
                        "the access token expired at {}; get a new one and connect again",
                        httpdate::fmt_http_date(expires_on)
                    ),
                ));
            }
        }
        Ok(Token {
            secret: self.token.clone(),
            expires_on: self.expires_on,
        })
    }

    fn describe(&self) -> String {
        "access token".to_owned()
    }
}

/// An azure_identity credential with a cache that refreshes [`REFRESH_MARGIN`] before expiry.
pub struct CredentialTokenSource {
    credential: Arc<dyn TokenCredential>,
    description: String,
    /// Text that must never appear in an error (the client secret).
    redact: Option<SecretString>,
    cache: Mutex<Option<Token>>,
    clock: SharedClock,
}

impl CredentialTokenSource {
    /// Wraps `credential`; `redact` is scrubbed from any error message it returns.
    pub fn new(
        credential: Arc<dyn TokenCredential>,
        description: impl Into<String>,
        redact: Option<SecretString>,
        clock: SharedClock,
    ) -> Self {
        CredentialTokenSource {
            credential,
            description: description.into(),
            redact,
            cache: Mutex::new(None),
            clock,
        }
    }

    /// A service principal with a client secret, asking `authority_host` through `http`
    /// (the same reqwest client, and so the same trust store, as the ARM calls).
    ///
    /// # Errors
    /// `InvalidArgument` naming `tenantId`, `clientId` or `clientSecret` when one is unusable.
    pub fn client_secret(
        authority_host: &url::Url,
        tenant_id: &str,
        client_id: &str,
        client_secret: &SecretString,
        http: reqwest::Client,
        clock: SharedClock,
    ) -> Result<Self> {
        let tenant_ok = !tenant_id.is_empty()
            && tenant_id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
        if !tenant_ok {
            return Err(Error::invalid_argument(
                "tenantId",
                format!("tenantId '{tenant_id}' must be a directory GUID or domain name"),
            ));
        }
        if client_id.trim().is_empty() {
            return Err(Error::invalid_argument("clientId", "clientId '' is empty"));
        }
        if client_secret.expose_secret().is_empty() {
            return Err(Error::invalid_argument(
                "clientSecret",
                "the client secret is empty",
            ));
        }

        let mut cloud = CustomConfiguration::default();
        cloud.authority_host = authority_host.as_str().trim_end_matches('/').to_owned();
        let options = ClientSecretCredentialOptions {
            client_options: ClientOptions {
                transport: Some(Transport::new(Arc::new(http))),
                cloud: Some(Arc::new(CloudConfiguration::from(cloud))),
                ..Default::default()
            },
        };
        let credential = ClientSecretCredential::new(
            tenant_id,
            client_id.to_owned(),
            Secret::new(client_secret.expose_secret().to_owned()),
            Some(options),
        )
        .map_err(|e| {
            Error::invalid_argument(
                "credential",
                scrub(&format!("client secret credential: {e}"), client_secret),
            )
        })?;
        Ok(CredentialTokenSource::new(
            credential,
            format!("client secret for application {client_id} in tenant {tenant_id}"),
            Some(client_secret.clone()),
            clock,
        ))
    }

    /// A managed identity through an App Service style endpoint: `GET {endpoint}?resource=
    /// {audience}&api-version=2019-08-01` with the `X-IDENTITY-HEADER` secret. The endpoint
    /// must be `https`, or `http` on a loopback address (as App Service provides it).
    ///
    /// # Errors
    /// `InvalidArgument` naming `endpoint`, `identityHeader` or `clientId`.
    pub fn app_service_identity(
        endpoint: &str,
        identity_header: &SecretString,
        client_id: Option<&str>,
        http: reqwest::Client,
        clock: SharedClock,
    ) -> Result<Self> {
        let url = url::Url::parse(endpoint).map_err(|e| {
            Error::invalid_argument(
                "endpoint",
                format!("endpoint '{endpoint}' is not a URL: {e}"),
            )
        })?;
        let loopback = match url.host() {
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
            None => false,
        };
        let scheme_ok = url.scheme() == "https" || (url.scheme() == "http" && loopback);
        if !scheme_ok || url.query().is_some() {
            return Err(Error::invalid_argument(
                "endpoint",
                format!(
                    "endpoint '{endpoint}' must be an https URL, or http on a loopback address, \
                     without a query"
                ),
            ));
        }
        if identity_header.expose_secret().trim().is_empty() {
            return Err(Error::invalid_argument(
                "identityHeader",
                "the identity header is empty",
            ));
        }
        if let Some(id) = client_id {
            crate::arm::scope::validate_guid("clientId", id)?;
        }
        let credential = AppServiceIdentity {
            endpoint: url,
            header: identity_header.clone(),
            client_id: client_id.map(str::to_owned),
            http,
        };
        let description = match client_id {
            Some(id) => format!("managed identity {id}"),
            None => "managed identity".to_owned(),
        };
        Ok(CredentialTokenSource::new(
            Arc::new(credential),
            description,
            Some(identity_header.clone()),
            clock,
        ))
    }

    /// The Azure CLI's signed-in account: runs `az account get-access-token --resource
    /// {audience} --output json` (and `--tenant` when given).
    ///
    /// # Errors
    /// `InvalidArgument` naming `tenantId` when it is not a GUID or domain name.
    pub fn azure_cli(
        executable: Option<std::path::PathBuf>,
        tenant_id: Option<&str>,
        clock: SharedClock,
    ) -> Result<Self> {
        if let Some(tenant) = tenant_id {
            let ok = !tenant.is_empty()
                && tenant
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
            if !ok {
                return Err(Error::invalid_argument(
                    "tenantId",
                    format!("tenantId '{tenant}' must be a directory GUID or domain name"),
                ));
            }
        }
        let program = executable.unwrap_or_else(|| {
            std::path::PathBuf::from(if cfg!(windows) { "az.cmd" } else { "az" })
        });
        let description = format!("Azure CLI ({})", program.display());
        Ok(CredentialTokenSource::new(
            Arc::new(AzureCli {
                program,
                tenant_id: tenant_id.map(str::to_owned),
            }),
            description,
            None,
            clock,
        ))
    }

    fn usable(&self, token: &Token) -> bool {
        match token.expires_on {
            Some(expires_on) => expires_on > self.clock.now() + REFRESH_MARGIN,
            None => true,
        }
    }
}

#[async_trait]
impl TokenSource for CredentialTokenSource {
    async fn token(&self, scope: &str) -> Result<Token> {
        // Holding the lock across the fetch makes concurrent callers share one refresh;
        // dropping this future releases it and leaves the cache as it was.
        let mut cache = self.cache.lock().await;
        if let Some(token) = cache.as_ref().filter(|t| self.usable(t)) {
            tracing::trace!(target: "aibperm::auth", "token cache hit");
            return Ok(token.clone());
        }
        tracing::debug!(target: "aibperm::auth", "requesting a token ({})", self.description);
        let fetched = self
            .credential
            .get_token(&[scope], None)
            .await
            .map_err(|e| {
                let text = e.to_string();
                let text = match &self.redact {
                    Some(secret) => scrub(&text, secret),
                    None => text,
                };
                Error::new(
                    ErrorKind::Credential,
                    format!("getting a token with {}: {text}", self.description),
                )
            })?;
        let token = Token {
            secret: SecretString::from(fetched.token.secret().to_owned()),
            expires_on: Some(SystemTime::from(fetched.expires_on)),
        };
        *cache = Some(token.clone());
        Ok(token)
    }

    async fn invalidate(&self) {
        *self.cache.lock().await = None;
    }

    fn describe(&self) -> String {
        self.description.clone()
    }
}

/// The App Service managed identity protocol (api-version 2019-08-01).
struct AppServiceIdentity {
    endpoint: url::Url,
    header: SecretString,
    client_id: Option<String>,
    http: reqwest::Client,
}

impl std::fmt::Debug for AppServiceIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppServiceIdentity")
            .field("endpoint", &self.endpoint.as_str())
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

#[derive(serde::Deserialize)]
struct AppServiceToken {
    access_token: String,
    /// Unix seconds, as a string or a number.
    expires_on: serde_json::Value,
}

#[async_trait]
impl TokenCredential for AppServiceIdentity {
    async fn get_token(
        &self,
        scopes: &[&str],
        _options: Option<azure_core::credentials::TokenRequestOptions<'_>>,
    ) -> azure_core::Result<azure_core::credentials::AccessToken> {
        let fail = |message: String| {
            azure_core::Error::with_message(azure_core::error::ErrorKind::Credential, message)
        };
        let scope = scopes.first().copied().unwrap_or_default();
        let resource = scope.strip_suffix("/.default").unwrap_or(scope);
        let mut url = self.endpoint.clone();
        url.query_pairs_mut()
            .append_pair("resource", resource)
            .append_pair("api-version", "2019-08-01");
        if let Some(id) = &self.client_id {
            url.query_pairs_mut().append_pair("client_id", id);
        }
        let response = self
            .http
            .get(url)
            .header("x-identity-header", self.header.expose_secret())
            .send()
            .await
            .map_err(|e| {
                fail(format!(
                    "the managed identity endpoint cannot be reached: {e}"
                ))
            })?;
        let status = response.status();
        let body = response
            .bytes()
            .await
            .map_err(|e| fail(format!("reading the managed identity answer: {e}")))?;
        if !status.is_success() {
            let detail = serde_json::from_slice::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v.get("message").and_then(|m| m.as_str()).map(str::to_owned))
                .unwrap_or_default();
            return Err(fail(format!(
                "the managed identity endpoint answered {status}: {detail}"
            )));
        }
        let token: AppServiceToken = serde_json::from_slice(&body)
            .map_err(|e| fail(format!("the managed identity answer cannot be read: {e}")))?;
        let expires = match &token.expires_on {
            serde_json::Value::String(s) => s.trim().parse::<i64>().ok(),
            serde_json::Value::Number(n) => n.as_i64(),
            _ => None,
        }
        .and_then(|secs| time::OffsetDateTime::from_unix_timestamp(secs).ok())
        .ok_or_else(|| fail("the managed identity answer has no usable expires_on".to_owned()))?;
        Ok(azure_core::credentials::AccessToken::new(
            token.access_token,
            expires,
        ))
    }
}

/// `az account get-access-token`.
#[derive(Debug)]
struct AzureCli {
    program: std::path::PathBuf,
    tenant_id: Option<String>,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct AzureCliToken {
    access_token: String,
    /// Unix seconds (Azure CLI 2.54 and later).
    #[serde(rename = "expires_on", default)]
    expires_on: Option<i64>,
}

#[async_trait]
impl TokenCredential for AzureCli {
    async fn get_token(
        &self,
        scopes: &[&str],
        _options: Option<azure_core::credentials::TokenRequestOptions<'_>>,
    ) -> azure_core::Result<azure_core::credentials::AccessToken> {
        let fail = |message: String| {
            azure_core::Error::with_message(azure_core::error::ErrorKind::Credential, message)
        };
        let scope = scopes.first().copied().unwrap_or_default();
        let resource = scope.strip_suffix("/.default").unwrap_or(scope);
        let mut command = tokio::process::Command::new(&self.program);
        command
            .args([
                "account",
                "get-access-token",
                "--resource",
                resource,
                "--output",
                "json",
            ])
            .stdin(std::process::Stdio::null())
            .kill_on_drop(true);
        if let Some(tenant) = &self.tenant_id {
            command.args(["--tenant", tenant]);
        }
        let output = tokio::time::timeout(std::time::Duration::from_secs(60), command.output())
            .await
            .map_err(|_| fail("the Azure CLI did not answer within 60 s".to_owned()))?
            .map_err(|e| {
                fail(format!(
                    "the Azure CLI '{}' cannot be run: {e}; install it or pass its path",
                    self.program.display()
                ))
            })?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let first = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            return Err(fail(format!(
                "the Azure CLI failed ({}): {first}; sign in with 'az login'",
                output.status
            )));
        }
        let token: AzureCliToken = serde_json::from_slice(&output.stdout)
            .map_err(|e| fail(format!("the Azure CLI answer cannot be read: {e}")))?;
        // Limit: without `expires_on` (Azure CLI before 2.54) the token is taken to last
        // ten minutes rather than parsing the local-time `expiresOn`.
        let expires = token
            .expires_on
            .and_then(|secs| time::OffsetDateTime::from_unix_timestamp(secs).ok())
            .unwrap_or_else(|| time::OffsetDateTime::now_utc() + time::Duration::minutes(10));
        Ok(azure_core::credentials::AccessToken::new(
            token.access_token,
            expires,
        ))
    }
}

/// Removes every occurrence of `secret` from `text`.
fn scrub(text: &str, secret: &SecretString) -> String {
    let secret = secret.expose_secret();
    if secret.is_empty() {
        text.to_owned()
    } else {
        text.replace(secret, "***")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arm::retry::Clock;
    use crate::arm::retry::tests::FakeClock;
    use azure_core::credentials::{AccessToken, TokenRequestOptions};
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[derive(Debug)]
    struct CountingCredential {
        calls: AtomicUsize,
        lifetime: time::Duration,
        fail_with: Option<String>,
    }

    #[async_trait]
    impl TokenCredential for CountingCredential {
        async fn get_token(
            &self,
            _scopes: &[&str],
            _options: Option<TokenRequestOptions<'_>>,
        ) -> azure_core::Result<AccessToken> {
            let n = self.calls.fetch_add(1, Ordering::SeqCst);
            if let Some(message) = &self.fail_with {
                return Err(azure_core::Error::with_message(
                    azure_core::error::ErrorKind::Credential,
                    message.clone(),
                ));
            }
            Ok(AccessToken::new(
                format!("token-{n}"),
                time::OffsetDateTime::now_utc() + self.lifetime,
            ))
        }
    }

    #[test]
    fn scope_is_audience_plus_default() {
        assert_eq!(
            scope_for_audience("https://management.azure.com/"),
            "https://management.azure.com/.default"
        );
        assert_eq!(
            scope_for_audience("https://management.azure.com"),
            "https://management.azure.com/.default"
        );
    }

    #[tokio::test]
    async fn credential_token_is_cached_while_fresh() {
        let credential = Arc::new(CountingCredential {
            calls: AtomicUsize::new(0),
            lifetime: time::Duration::hours(1),
            fail_with: None,
        });
        let source = CredentialTokenSource::new(
            credential.clone(),
            "test",
            None,
            Arc::new(crate::arm::retry::SystemClock),
        );
        let first = source.token("s/.default").await.expect("token");
        let second = source.token("s/.default").await.expect("token");
        assert_eq!(first.secret.expose_secret(), second.secret.expose_secret());
        assert_eq!(credential.calls.load(Ordering::SeqCst), 1);

        source.invalidate().await;
        let third = source.token("s/.default").await.expect("token");
        assert_eq!(third.secret.expose_secret(), "token-1");
    }

    #[tokio::test]
    async fn token_close_to_expiry_is_refreshed() {
        let credential = Arc::new(CountingCredential {
            calls: AtomicUsize::new(0),
            lifetime: time::Duration::minutes(2),
            fail_with: None,
        });
        let source = CredentialTokenSource::new(
            credential.clone(),
            "test",
            None,
            Arc::new(crate::arm::retry::SystemClock),
        );
        source.token("s").await.expect("token");
        let again = source.token("s").await.expect("token");
        assert_eq!(again.secret.expose_secret(), "token-1");
        assert_eq!(credential.calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn credential_error_is_kind_credential_and_hides_the_secret() {
        let credential = Arc::new(CountingCredential {
            calls: AtomicUsize::new(0),
            lifetime: time::Duration::hours(1),
            fail_with: Some("AADSTS7000215: invalid secret 'hunter2-secret'".into()),
        });
        let source = CredentialTokenSource::new(
            credential,
            "test",
            Some(SecretString::from("hunter2-secret")),
            Arc::new(crate::arm::retry::SystemClock),
        );
        let err = source.token("s").await.expect_err("fails");
        assert_eq!(err.kind, ErrorKind::Credential);
        assert!(!err.message.contains("hunter2-secret"), "{}", err.message);
        assert!(err.message.contains("AADSTS7000215"), "{}", err.message);
    }

    #[tokio::test]
    async fn expired_static_token_is_a_credential_error() {
        let clock = FakeClock::new();
        let now = clock
            .now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .expect("after epoch")
            .as_secs() as i64;
        let source =
            StaticTokenSource::new(SecretString::from("abc"), Some(now - 1), Arc::new(clock))
                .expect("valid");
        let err = source.token("s").await.expect_err("expired");
        assert_eq!(err.kind, ErrorKind::Credential);
        assert!(!err.message.contains("abc"));
    }

    #[test]
    fn empty_static_token_is_rejected() {
        let clock: SharedClock = Arc::new(FakeClock::new());
        let err = StaticTokenSource::new(SecretString::from(" "), None, clock)
            .err()
            .expect("empty");
        assert_eq!(err.target.as_deref(), Some("token"));
    }

    #[test]
    fn client_secret_source_checks_tenant_before_anything_else() {
        let authority = url::Url::parse("https://127.0.0.1:1").expect("url");
        let err = CredentialTokenSource::client_secret(
            &authority,
            "bad tenant/..",
            "app",
            &SecretString::from("s"),
            reqwest::Client::new(),
            Arc::new(FakeClock::new()),
        )
        .err()
        .expect("bad tenant");
        assert_eq!(err.target.as_deref(), Some("tenantId"));
    }
}
