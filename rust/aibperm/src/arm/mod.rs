//! The ARM client: ids and scopes, identities, role definitions, role assignments, retry,
//! paging and errors. Plain async Rust; no C types.
//!
//! [`ArmClient::execute`] runs the operations named in docs/native-interface.md from their
//! JSON requests; the typed methods behind it ([`ArmClient::identities`],
//! [`ArmClient::role_definitions`], [`ArmClient::role_assignments`],
//! [`ArmClient::resource_groups`]) can be used directly.

// The crate-wide error carries the service details callers need; results stay unboxed.
#![allow(clippy::result_large_err)]

mod client;
mod config;
mod envelope;
pub mod identities;
pub mod identity_list;
pub mod listing;
pub mod odata;
mod progress;
pub mod resource_groups;
pub mod retry;
pub mod role_assignments;
pub mod role_definitions;
pub mod scope;
mod wait;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use tracing::Instrument;

pub use client::{ArmClient, ArmClientBuilder, MAX_PAGES};
pub use config::{ClientConfig, CredentialConfig, LogLevel, RetryOptions};
pub use progress::{Phase, Progress, ProgressSnapshot};

use crate::{Error, ErrorKind, Result};

/// api-version of `Microsoft.Authorization` (role definitions and assignments).
pub const AUTHORIZATION_API_VERSION: &str = "2022-04-01";
/// api-version of `Microsoft.ManagedIdentity` (user-assigned identities).
pub const MANAGED_IDENTITY_API_VERSION: &str = "2023-01-31";
/// api-version of `Microsoft.Resources` (resource groups).
pub const RESOURCES_API_VERSION: &str = "2021-04-01";

/// 404 codes that mean a parent is missing, not the resource asked for.
pub(crate) const PARENT_MISSING: &[&str] = &["SubscriptionNotFound", "ResourceGroupNotFound"];

/// What a call did to the object it returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Outcome {
    Created,
    Updated,
    Unchanged,
    Found,
    Deleted,
    NotFound,
}

/// Operation names accepted by [`ArmClient::execute`].
pub const OPERATIONS: &[&str] = &[
    "resourceGroup.get",
    "resourceGroup.createOrUpdate",
    "resourceGroup.list",
    "location.list",
    "identity.createOrUpdate",
    "identity.get",
    "identity.list",
    "identity.delete",
    "roleDefinition.ensure",
    "roleDefinition.get",
    "roleDefinition.list",
    "roleDefinition.delete",
    "roleAssignment.create",
    "roleAssignment.get",
    "roleAssignment.list",
    "roleAssignment.delete",
    crate::grant::GRANT_PLAN,
    crate::grant::GRANT_APPLY,
    crate::grant::PERMISSION_TEST,
    "credential.signIn",
];

/// True when `name` is an operation [`ArmClient::execute`] knows.
pub fn is_known_operation(name: &str) -> bool {
    OPERATIONS.contains(&name)
}

impl ArmClient {
    /// Runs the operation `operation` with its JSON `request` and returns its JSON result
    /// (docs/native-interface.md lists names, requests and results).
    ///
    /// Drop the future to cancel: nothing is left half-done on the client side, and every
    /// write is idempotent, so a rerun converges.
    ///
    /// # Errors
    /// `InvalidArgument` for an unknown operation or a request that is not the expected
    /// shape (the target names the field), and every error of the operation itself.
    pub async fn execute(
        &self,
        operation: &str,
        request: Value,
        progress: &Progress,
    ) -> Result<Value> {
        progress.enter(Phase::Starting, operation.to_owned());
        let span = tracing::debug_span!(target: "aibperm::arm", "execute", operation);
        let result = self
            .dispatch(operation, request, progress)
            .instrument(span)
            .await;
        progress.finish(match &result {
            Ok(_) => format!("{operation} done"),
            Err(_) => format!("{operation} failed"),
        });
        result
    }

    async fn dispatch(
        &self,
        operation: &str,
        request: Value,
        progress: &Progress,
    ) -> Result<Value> {
        match operation {
            "credential.signIn" => self.sign_in(progress).await,
            "resourceGroup.get" => to_json(
                self.resource_groups()
                    .get(&parse(request)?, progress)
                    .await?,
            ),
            "resourceGroup.createOrUpdate" => to_json(
                self.resource_groups()
                    .create_or_update(&parse(request)?, progress)
                    .await?,
            ),
            "resourceGroup.list" => to_json(serde_json::json!({
                "value": listing::resource_groups(self, &parse(request)?, progress).await?
            })),
            "location.list" => to_json(serde_json::json!({
                "value": listing::locations(self, &parse(request)?, progress).await?
            })),
            "identity.createOrUpdate" => to_json(
                self.identities()
                    .create_or_update(&parse(request)?, progress)
                    .await?,
            ),
            "identity.get" => to_json(self.identities().get(&parse(request)?, progress).await?),
            "identity.list" => {
                to_json(identity_list::list(self, &parse(request)?, progress).await?)
            }
            "identity.delete" => {
                to_json(self.identities().delete(&parse(request)?, progress).await?)
            }
            "roleDefinition.ensure" => to_json(
                self.role_definitions()
                    .ensure(&parse(request)?, progress)
                    .await?,
            ),
            "roleDefinition.get" => to_json(
                self.role_definitions()
                    .get(&parse(request)?, progress)
                    .await?,
            ),
            "roleDefinition.list" => to_json(
                self.role_definitions()
                    .list(&parse(request)?, progress)
                    .await?,
            ),
            "roleDefinition.delete" => to_json(
                self.role_definitions()
                    .delete(&parse(request)?, progress)
                    .await?,
            ),
            "roleAssignment.create" => to_json(
                self.role_assignments()
                    .create(&parse(request)?, progress)
                    .await?,
            ),
            "roleAssignment.get" => to_json(
                self.role_assignments()
                    .get(&parse(request)?, progress)
                    .await?,
            ),
            "roleAssignment.list" => to_json(
                self.role_assignments()
                    .list(&parse(request)?, progress)
                    .await?,
            ),
            "roleAssignment.delete" => to_json(
                self.role_assignments()
                    .delete(&parse(request)?, progress)
                    .await?,
            ),
            crate::grant::GRANT_PLAN => {
                to_json(crate::grant::plan(self, &parse(request)?, progress).await?)
            }
            crate::grant::GRANT_APPLY => {
                to_json(crate::grant::apply(self, &parse(request)?, progress).await?)
            }
            crate::grant::PERMISSION_TEST => {
                to_json(crate::grant::test_permissions(self, &parse(request)?, progress).await?)
            }
            other => Err(Error::invalid_argument(
                "operation",
                format!(
                    "unknown operation '{other}' (known: {})",
                    OPERATIONS.join(", ")
                ),
            )),
        }
    }
}

/// Reads a request, naming the field in the error when serde can tell which.
pub fn parse<T: DeserializeOwned>(request: Value) -> Result<T> {
    serde_json::from_value(request).map_err(|e| {
        let text = e.to_string();
        let field = ["unknown field `", "missing field `", "duplicate field `"]
            .iter()
            .find_map(|prefix| {
                let rest = text.split_once(prefix)?.1;
                rest.split_once('`').map(|(name, _)| name.to_owned())
            });
        let mut err = Error::new(
            ErrorKind::InvalidArgument,
            format!("invalid request: {text}"),
        );
        err.target = field;
        err
    })
}

fn to_json<T: Serialize>(value: T) -> Result<Value> {
    serde_json::to_value(value).map_err(|e| Error::internal(format!("serializing a result: {e}")))
}

/// Decodes an ARM answer into `T`, as kind `Decode` when it does not fit.
pub(crate) fn decode<T: DeserializeOwned>(what: &str, value: Value) -> Result<T> {
    serde_json::from_value(value).map_err(|e| {
        Error::new(
            ErrorKind::Decode,
            format!("the {what} ARM returned cannot be read: {e}"),
        )
    })
}

/// Azure location names compare without case and spaces (`West US 2` is `westus2`).
pub(crate) fn same_location(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect::<String>()
    };
    norm(a) == norm(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_operation_is_known_and_others_are_not() {
        for name in OPERATIONS {
            assert!(is_known_operation(name));
        }
        assert!(!is_known_operation("roleAssignment.Create"));
        assert!(!is_known_operation(""));
    }

    #[test]
    fn unknown_request_field_is_named_as_target() {
        let err = parse::<role_assignments::ListRoleAssignments>(
            serde_json::json!({"scope": "/subscriptions/x", "principalID": "y"}),
        )
        .expect_err("unknown field");
        assert_eq!(err.kind, ErrorKind::InvalidArgument);
        assert_eq!(err.target.as_deref(), Some("principalID"));
    }

    #[test]
    fn missing_request_field_is_named_as_target() {
        let err = parse::<identities::IdentityName>(serde_json::json!({"subscriptionId": "x"}))
            .expect_err("missing field");
        assert_eq!(err.target.as_deref(), Some("resourceGroupName"));
    }

    #[test]
    fn locations_compare_without_case_and_spaces() {
        assert!(same_location("West US 2", "westus2"));
        assert!(!same_location("westus", "westus2"));
    }
}
