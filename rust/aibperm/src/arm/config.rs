//! Client configuration: the JSON given to `aibperm_client_new` (see docs/native-interface.md).

use std::path::PathBuf;
use std::time::Duration;

use secrecy::SecretString;
use serde::Deserialize;

use crate::{Error, Result};

/// Everything an [`ArmClient`](super::ArmClient) needs: where ARM and Entra ID are, which
/// credential to use, which extra CA to trust, and how to retry.
///
/// `Debug` never shows a secret: tokens and client secrets are [`SecretString`]s.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClientConfig {
    /// ARM base URL, e.g. `https://management.azure.com`.
    #[serde(default = "default_arm_endpoint")]
    pub arm_endpoint: String,
    /// Entra ID authority host, e.g. `https://login.microsoftonline.com`.
    #[serde(default = "default_authority_host")]
    pub authority_host: String,
    /// Token audience; derived from `arm_endpoint` for the public clouds when absent.
    #[serde(default)]
    pub audience: Option<String>,
    /// A PEM file whose certificates are trusted in addition to the system roots.
    #[serde(default)]
    pub ca_certificate_path: Option<PathBuf>,
    /// How to get a bearer token.
    pub credential: CredentialConfig,
    /// Limits for retrying throttled and transient failures.
    #[serde(default)]
    pub retry: RetryOptions,
    /// Timeout of one HTTP request, in seconds.
    #[serde(default = "default_request_timeout_seconds")]
    pub request_timeout_seconds: u64,
    /// The most detailed log level the caller wants recorded.
    #[serde(default)]
    pub log_level: LogLevel,
}

/// How the client gets its bearer token.
#[derive(Clone, Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase", deny_unknown_fields)]
pub enum CredentialConfig {
    /// A token obtained elsewhere (Az PowerShell, Azure CLI, a pipeline).
    #[serde(rename_all = "camelCase")]
    AccessToken {
        token: SecretString,
        /// Expiry in unix seconds, when known.
        #[serde(default)]
        expires_on: Option<i64>,
    },
    /// A service principal with a client secret, through azure_identity.
    #[serde(rename_all = "camelCase")]
    ClientSecret {
        tenant_id: String,
        client_id: String,
        client_secret: SecretString,
    },
    /// The signed-in Azure CLI (`az account get-access-token`); `executable` defaults to
    /// `az` on the PATH, `tenantId` to the CLI's default tenant.
    #[serde(rename_all = "camelCase")]
    AzureCli {
        #[serde(default)]
        executable: Option<PathBuf>,
        #[serde(default)]
        tenant_id: Option<String>,
    },
    /// The signed-in Azure Developer CLI (`azd auth token`); `executable` defaults to `azd`
    /// on the PATH, `tenantId` to the CLI's default tenant.
    #[serde(rename_all = "camelCase")]
    AzureDeveloperCli {
        #[serde(default)]
        executable: Option<PathBuf>,
        #[serde(default)]
        tenant_id: Option<String>,
    },
    /// A service principal with a certificate: a PEM file (`certificatePath`) or PEM text
    /// (`certificatePem`) holding the certificate and its unencrypted PKCS#8 RSA key.
    #[serde(rename_all = "camelCase")]
    ClientCertificate {
        tenant_id: String,
        client_id: String,
        #[serde(default)]
        certificate_path: Option<PathBuf>,
        #[serde(default)]
        certificate_pem: Option<SecretString>,
    },
    /// Workload identity federation: the token in `tokenFile` (`AZURE_FEDERATED_TOKEN_FILE`)
    /// is the client assertion, read again for every token request.
    #[serde(rename_all = "camelCase")]
    WorkloadIdentity {
        tenant_id: String,
        client_id: String,
        token_file: PathBuf,
    },
    /// Device code sign-in: the user approves a code at a URL; `clientId` is a public client
    /// (default the Azure CLI's). Signs in with the `credential.signIn` operation.
    #[serde(rename_all = "camelCase")]
    DeviceCode {
        tenant_id: String,
        #[serde(default)]
        client_id: Option<String>,
    },
    /// A managed identity through an App Service style endpoint (`IDENTITY_ENDPOINT` and
    /// `IDENTITY_HEADER`); `clientId` picks a user-assigned identity.
    #[serde(rename_all = "camelCase")]
    ManagedIdentity {
        endpoint: String,
        identity_header: SecretString,
        #[serde(default)]
        client_id: Option<String>,
    },
}

/// Retry limits (STYLE §6.4); the policy itself is in `retry`.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RetryOptions {
    /// Retries after the first attempt; 0 disables retrying.
    #[serde(default = "default_max_retries")]
    pub max_retries: u32,
    /// Backoff before the first retry, doubled for each further one.
    #[serde(default = "default_initial_delay_ms")]
    pub initial_delay_ms: u64,
    /// Cap of the exponential backoff (a longer `Retry-After` is still honoured).
    #[serde(default = "default_max_delay_ms")]
    pub max_delay_ms: u64,
}

impl Default for RetryOptions {
    fn default() -> Self {
        RetryOptions {
            max_retries: default_max_retries(),
            initial_delay_ms: default_initial_delay_ms(),
            max_delay_ms: default_max_delay_ms(),
        }
    }
}

/// Log levels of the per-client log, as in docs/native-interface.md.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum LogLevel {
    Error,
    Warn,
    #[default]
    Info,
    Debug,
    Trace,
}

impl LogLevel {
    /// The matching `tracing` level.
    pub fn to_tracing(self) -> tracing::Level {
        match self {
            LogLevel::Error => tracing::Level::ERROR,
            LogLevel::Warn => tracing::Level::WARN,
            LogLevel::Info => tracing::Level::INFO,
            LogLevel::Debug => tracing::Level::DEBUG,
            LogLevel::Trace => tracing::Level::TRACE,
        }
    }
}

fn default_arm_endpoint() -> String {
    "https://management.azure.com".to_owned()
}

fn default_authority_host() -> String {
    "https://login.microsoftonline.com".to_owned()
}

fn default_request_timeout_seconds() -> u64 {
    60
}

fn default_max_retries() -> u32 {
    6
}

fn default_initial_delay_ms() -> u64 {
    500
}

fn default_max_delay_ms() -> u64 {
    30_000
}

/// Public clouds: ARM host and its token audience.
const KNOWN_AUDIENCES: &[(&str, &str)] = &[
    ("management.azure.com", "https://management.azure.com/"),
    (
        "management.chinacloudapi.cn",
        "https://management.chinacloudapi.cn/",
    ),
    (
        "management.usgovcloudapi.net",
        "https://management.usgovcloudapi.net/",
    ),
];

impl ClientConfig {
    /// Parses and checks the endpoint URLs; both must be `https`.
    pub(crate) fn endpoint_url(&self) -> Result<url::Url> {
        https_url("armEndpoint", &self.arm_endpoint)
    }

    pub(crate) fn authority_url(&self) -> Result<url::Url> {
        https_url("authorityHost", &self.authority_host)
    }

    /// The audience given, or the one of a public cloud's ARM endpoint.
    ///
    /// # Errors
    /// `InvalidArgument` (target `audience`) for any other endpoint without an audience.
    pub(crate) fn resolved_audience(&self) -> Result<String> {
        if let Some(audience) = &self.audience {
            if audience.trim().is_empty() {
                return Err(Error::invalid_argument(
                    "audience",
                    "audience '' is empty: give the token audience of the ARM endpoint",
                ));
            }
            return Ok(audience.clone());
        }
        let url = self.endpoint_url()?;
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        KNOWN_AUDIENCES
            .iter()
            .find(|(known, _)| *known == host)
            .map(|(_, audience)| (*audience).to_owned())
            .ok_or_else(|| {
                Error::invalid_argument(
                    "audience",
                    format!(
                        "no audience given for ARM endpoint '{}': only the public clouds have a default",
                        self.arm_endpoint
                    ),
                )
            })
    }

    pub(crate) fn request_timeout(&self) -> Result<Duration> {
        if self.request_timeout_seconds == 0 {
            return Err(Error::invalid_argument(
                "requestTimeoutSeconds",
                "requestTimeoutSeconds '0' must be at least 1",
            ));
        }
        Ok(Duration::from_secs(self.request_timeout_seconds))
    }
}

fn https_url(field: &str, value: &str) -> Result<url::Url> {
    let url = url::Url::parse(value).map_err(|e| {
        Error::invalid_argument(field, format!("{field} '{value}' is not a URL: {e}"))
    })?;
    if url.scheme() != "https" {
        return Err(Error::invalid_argument(
            field,
            format!("{field} '{value}' must use https"),
        ));
    }
    if url.host_str().is_none() || url.query().is_some() || url.fragment().is_some() {
        return Err(Error::invalid_argument(
            field,
            format!("{field} '{value}' must be a base URL without query or fragment"),
        ));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> ClientConfig {
        serde_json::from_str(json).expect("config parses")
    }

    #[test]
    fn debug_output_hides_token_and_client_secret() {
        let config = parse(
            r#"{"credential":{"kind":"clientSecret","tenantId":"t","clientId":"c","clientSecret":"s3cr3t-value"}}"#,
        );
        let shown = format!("{config:?}");
        assert!(!shown.contains("s3cr3t-value"), "{shown}");

        let config = parse(r#"{"credential":{"kind":"accessToken","token":"tok-123-value"}}"#);
        let shown = format!("{config:?}");
        assert!(!shown.contains("tok-123-value"), "{shown}");
    }

    #[test]
    fn full_document_from_interface_doc_parses() {
        let config = parse(
            r#"{
              "armEndpoint": "https://management.azure.com",
              "authorityHost": "https://login.microsoftonline.com",
              "audience": "https://management.azure.com/",
              "caCertificatePath": null,
              "credential": { "kind": "accessToken", "token": "x", "expiresOn": 1700000000 },
              "retry": { "maxRetries": 6, "initialDelayMs": 500, "maxDelayMs": 30000 },
              "requestTimeoutSeconds": 60,
              "logLevel": "debug"
            }"#,
        );
        assert_eq!(config.log_level, LogLevel::Debug);
        assert_eq!(config.retry.max_retries, 6);
        assert!(matches!(
            config.credential,
            CredentialConfig::AccessToken {
                expires_on: Some(1_700_000_000),
                ..
            }
        ));
    }

    #[test]
    fn unknown_field_is_rejected_naming_it() {
        let err = serde_json::from_str::<ClientConfig>(
            r#"{"credential":{"kind":"accessToken","token":"x"},"retries":3}"#,
        )
        .expect_err("unknown field");
        assert!(err.to_string().contains("retries"), "{err}");
    }

    #[test]
    fn unknown_credential_field_or_kind_is_rejected() {
        let err = serde_json::from_str::<ClientConfig>(
            r#"{"credential":{"kind":"accessToken","token":"x","tenant":"t"}}"#,
        )
        .expect_err("unknown credential field");
        assert!(err.to_string().contains("tenant"), "{err}");
        let err = serde_json::from_str::<ClientConfig>(r#"{"credential":{"kind":"password"}}"#)
            .expect_err("unknown kind");
        assert!(err.to_string().contains("password"), "{err}");
    }

    #[test]
    fn audience_defaults_for_public_clouds_only() {
        let mut config = parse(r#"{"credential":{"kind":"accessToken","token":"x"}}"#);
        assert_eq!(
            config.resolved_audience().expect("public cloud"),
            "https://management.azure.com/"
        );
        config.arm_endpoint = "https://management.usgovcloudapi.net/".into();
        assert_eq!(
            config.resolved_audience().expect("gov cloud"),
            "https://management.usgovcloudapi.net/"
        );
        config.arm_endpoint = "https://127.0.0.1:4443".into();
        let err = config.resolved_audience().expect_err("custom endpoint");
        assert_eq!(err.target.as_deref(), Some("audience"));
    }

    #[test]
    fn plain_http_endpoint_is_rejected() {
        let mut config = parse(r#"{"credential":{"kind":"accessToken","token":"x"}}"#);
        config.arm_endpoint = "http://127.0.0.1:8080".into();
        let err = config.endpoint_url().expect_err("http");
        assert_eq!(err.target.as_deref(), Some("armEndpoint"));
    }
}
