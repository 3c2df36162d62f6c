//! The Azure Developer CLI's signed-in account: `azd auth token --output json --scope {scope}`.

use std::path::PathBuf;
use std::sync::Arc;

use async_trait::async_trait;
use azure_core::credentials::{AccessToken, TokenCredential, TokenRequestOptions};

use super::CredentialTokenSource;
use crate::Result;
use crate::arm::retry::SharedClock;

/// How long the Azure Developer CLI may take to answer.
const TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

#[derive(Debug)]
struct AzureDeveloperCli {
    program: PathBuf,
    tenant_id: Option<String>,
}

/// `azd auth token --output json`: `{"token": "...", "expiresOn": "2025-01-01T00:00:00Z"}`.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct AzdToken {
    token: String,
    expires_on: String,
}

#[async_trait]
impl TokenCredential for AzureDeveloperCli {
    async fn get_token(
        &self,
        scopes: &[&str],
        _options: Option<TokenRequestOptions<'_>>,
    ) -> azure_core::Result<AccessToken> {
        let fail = |message: String| {
            azure_core::Error::with_message(azure_core::error::ErrorKind::Credential, message)
        };
        let scope = scopes.first().copied().unwrap_or_default();
        let mut command = tokio::process::Command::new(&self.program);
        command
            .args(["auth", "token", "--output", "json", "--scope", scope])
            .stdin(std::process::Stdio::null())
            .kill_on_drop(true);
        if let Some(tenant) = &self.tenant_id {
            command.args(["--tenant-id", tenant]);
        }
        let output = tokio::time::timeout(TIMEOUT, command.output())
            .await
            .map_err(|_| fail("the Azure Developer CLI did not answer within 60 s".to_owned()))?
            .map_err(|e| {
                fail(format!(
                    "the Azure Developer CLI '{}' cannot be run: {e}; install it or pass its path",
                    self.program.display()
                ))
            })?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let first = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            return Err(fail(format!(
                "the Azure Developer CLI failed ({}): {first}; sign in with 'azd auth login'",
                output.status
            )));
        }
        // The answer is never echoed into an error: it holds the token.
        let token: AzdToken = serde_json::from_slice(&output.stdout).map_err(|_| {
            fail("the Azure Developer CLI answer is not the documented JSON".to_owned())
        })?;
        let expires = time::OffsetDateTime::parse(
            token.expires_on.trim(),
            &time::format_description::well_known::Rfc3339,
        )
        .map_err(|_| {
            fail(format!(
                "the Azure Developer CLI answer has an unreadable expiresOn '{}'",
                token.expires_on
            ))
        })?;
        Ok(AccessToken::new(token.token, expires))
    }
}

impl CredentialTokenSource {
    /// The Azure Developer CLI's signed-in account (`azd auth token`, and `--tenant-id` when
    /// given); `executable` defaults to `azd` on the PATH.
    ///
    /// # Errors
    /// `InvalidArgument` naming `tenantId` when it is not a GUID or domain name.
    pub fn azure_developer_cli(
        executable: Option<PathBuf>,
        tenant_id: Option<&str>,
        clock: SharedClock,
    ) -> Result<Self> {
        if let Some(tenant) = tenant_id {
            super::check_tenant(tenant)?;
        }
        let program = executable
            .unwrap_or_else(|| PathBuf::from(if cfg!(windows) { "azd.exe" } else { "azd" }));
        let description = format!("Azure Developer CLI ({})", program.display());
        Ok(CredentialTokenSource::new(
            Arc::new(AzureDeveloperCli {
                program,
                tenant_id: tenant_id.map(str::to_owned),
            }),
            description,
            None,
            clock,
        ))
    }
}
