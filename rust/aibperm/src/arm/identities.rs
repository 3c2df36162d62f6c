//! User-assigned managed identities (`Microsoft.ManagedIdentity`, api-version 2023-01-31).

use std::collections::BTreeMap;

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tracing::Instrument;

use super::client::ArmClient;
use super::progress::{Phase, Progress};
use super::resource_groups::{GetResourceGroup, check_location};
use super::scope::{self, Scope};
use super::{MANAGED_IDENTITY_API_VERSION, Outcome, PARENT_MISSING, decode, odata, same_location};
use crate::{Error, Result};

/// Request of `identity.createOrUpdate`.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PutIdentity {
    pub subscription_id: String,
    pub resource_group_name: String,
    pub name: String,
    /// Defaults to the resource group's location.
    #[serde(default)]
    pub location: Option<String>,
    /// `None` keeps the tags an existing identity has.
    #[serde(default)]
    pub tags: Option<BTreeMap<String, String>>,
}

/// Request of `identity.get` and `identity.delete`.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IdentityName {
    pub subscription_id: String,
    pub resource_group_name: String,
    pub name: String,
}

/// A user-assigned identity, with Az's `New-AzUserAssignedIdentity` properties.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Identity {
    pub id: String,
    pub name: String,
    pub location: String,
    pub resource_group_name: String,
    pub subscription_id: String,
    #[serde(rename = "type")]
    pub resource_type: String,
    pub tags: BTreeMap<String, String>,
    pub tenant_id: Option<String>,
    pub principal_id: Option<String>,
    pub client_id: Option<String>,
    pub outcome: Outcome,
}

/// Result of `identity.delete`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Deleted {
    pub id: String,
    pub outcome: Outcome,
}

#[derive(Deserialize)]
struct ArmIdentity {
    id: String,
    name: String,
    location: String,
    #[serde(rename = "type", default)]
    resource_type: Option<String>,
    #[serde(default)]
    tags: Option<BTreeMap<String, String>>,
    #[serde(default)]
    properties: Option<ArmIdentityProperties>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ArmIdentityProperties {
    #[serde(default)]
    tenant_id: Option<String>,
    #[serde(default)]
    principal_id: Option<String>,
    #[serde(default)]
    client_id: Option<String>,
}

/// The identity name rule ARM applies: 3–128 characters; letters, digits, `-` and `_`;
/// the first a letter or digit.
pub const IDENTITY_NAME_RULE: &str =
    "3-128 characters: letters, digits, '-' and '_', starting with a letter or digit";

/// Checks an identity name before any request (target `name`).
pub fn validate_identity_name(name: &str) -> Result<()> {
    let length_ok = (3..=128).contains(&name.chars().count());
    let chars_ok = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    let first_ok = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    if length_ok && chars_ok && first_ok {
        Ok(())
    } else {
        Err(Error::invalid_argument(
            "name",
            format!(
                "identity name '{}' breaks the rule: {IDENTITY_NAME_RULE}",
                name.escape_debug()
            ),
        ))
    }
}

/// Identity operations; borrow from [`ArmClient::identities`].
pub struct Identities<'a> {
    client: &'a ArmClient,
}

impl ArmClient {
    /// User-assigned identity operations.
    pub fn identities(&self) -> Identities<'_> {
        Identities { client: self }
    }
}

impl Identities<'_> {
    /// Creates or updates an identity. Without a location, the resource group's is used.
    /// An identity that already has this location and these tags is `Unchanged` (no write).
    ///
    /// # Errors
    /// `InvalidArgument` for a bad subscription id, group or identity name (naming the rule)
    /// or location; `Service` for ARM's refusals (e.g. `ResourceGroupNotFound`).
    pub async fn create_or_update(
        &self,
        req: &PutIdentity,
        progress: &Progress,
    ) -> Result<Identity> {
        let group = scope::resource_group_scope(&req.subscription_id, &req.resource_group_name)?;
        validate_identity_name(&req.name)?;
        if let Some(location) = &req.location {
            check_location(location)?;
        }
        let label = format!("identity '{}' in {group}", req.name);
        async {
            let url = self.url(&group, &req.name)?;
            let existing = self
                .client
                .get_optional(&url, progress, PARENT_MISSING)
                .await?
                .map(|v| convert(&group, v, Outcome::Found))
                .transpose()?;

            if let Some(existing) = &existing {
                let location_same = req
                    .location
                    .as_deref()
                    .is_none_or(|l| same_location(l, &existing.location));
                let tags_same = req.tags.as_ref().is_none_or(|t| *t == existing.tags);
                if location_same && tags_same {
                    tracing::info!(target: "aibperm::arm", "{label} already exists as requested");
                    return Ok(Identity {
                        outcome: Outcome::Unchanged,
                        ..existing.clone()
                    });
                }
            }

            let location = match (&req.location, &existing) {
                (Some(location), _) => location.clone(),
                (None, Some(existing)) => existing.location.clone(),
                (None, None) => {
                    let rg = self
                        .client
                        .resource_groups()
                        .get(
                            &GetResourceGroup {
                                subscription_id: req.subscription_id.clone(),
                                resource_group_name: req.resource_group_name.clone(),
                            },
                            progress,
                        )
                        .await?;
                    tracing::info!(
                        target: "aibperm::arm",
                        "no location given for {label}: using the resource group's location '{}'",
                        rg.location
                    );
                    rg.location
                }
            };
            let tags = match (&req.tags, &existing) {
                (Some(tags), _) => tags.clone(),
                (None, Some(existing)) => existing.tags.clone(),
                (None, None) => BTreeMap::new(),
            };

            let verb = if existing.is_some() {
                "updating"
            } else {
                "creating"
            };
            tracing::info!(target: "aibperm::arm", "{verb} {label} in {location}");
            progress.enter(Phase::Sending, format!("{verb} {label}"));
            let body = json!({ "location": location, "tags": tags });
            let (status, value) = self
                .client
                .send_expect(Method::PUT, &url, Some(&body), progress)
                .await?;
            let outcome = if status == 201 || existing.is_none() {
                Outcome::Created
            } else {
                Outcome::Updated
            };
            convert(&group, value, outcome)
        }
        .instrument(tracing::info_span!(target: "aibperm::arm", "Arm.identities.createOrUpdate"))
        .await
        .map_err(|e: Error| e.context(format!("creating or updating {label}")))
    }

    /// Reads an identity.
    ///
    /// # Errors
    /// `InvalidArgument` for bad names; `Service` (404 `ResourceNotFound`) when absent.
    pub async fn get(&self, req: &IdentityName, progress: &Progress) -> Result<Identity> {
        let group = scope::resource_group_scope(&req.subscription_id, &req.resource_group_name)?;
        validate_identity_name(&req.name)?;
        async {
            let url = self.url(&group, &req.name)?;
            let (_, value) = self
                .client
                .send_expect(Method::GET, &url, None, progress)
                .await?;
            convert(&group, value, Outcome::Found)
        }
        .instrument(tracing::info_span!(target: "aibperm::arm", "Arm.identities.get"))
        .await
        .map_err(|e: Error| e.context(format!("getting identity '{}' in {group}", req.name)))
    }

    /// Deletes an identity; `NotFound` when there was none.
    ///
    /// # Errors
    /// `InvalidArgument` for bad names; `Service` for ARM's refusals.
    pub async fn delete(&self, req: &IdentityName, progress: &Progress) -> Result<Deleted> {
        let group = scope::resource_group_scope(&req.subscription_id, &req.resource_group_name)?;
        validate_identity_name(&req.name)?;
        async {
            let url = self.url(&group, &req.name)?;
            tracing::info!(target: "aibperm::arm", "deleting identity '{}' in {group}", req.name);
            progress.enter(Phase::Sending, format!("deleting identity '{}'", req.name));
            let (status, _) = self
                .client
                .send_expect(Method::DELETE, &url, None, progress)
                .await?;
            Ok(Deleted {
                id: identity_id(&group, &req.name),
                outcome: if status == 204 {
                    Outcome::NotFound
                } else {
                    Outcome::Deleted
                },
            })
        }
        .instrument(tracing::info_span!(target: "aibperm::arm", "Arm.identities.delete"))
        .await
        .map_err(|e: Error| e.context(format!("deleting identity '{}' in {group}", req.name)))
    }

    fn url(&self, group: &Scope, name: &str) -> Result<url::Url> {
        let path = format!(
            "{}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{}",
            group.as_str(),
            odata::encode_path_segment(name)
        );
        self.client
            .url(&path, &[("api-version", MANAGED_IDENTITY_API_VERSION)])
    }
}

fn identity_id(group: &Scope, name: &str) -> String {
    format!(
        "{}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}",
        group.as_str()
    )
}

pub(crate) fn convert(group: &Scope, value: Value, outcome: Outcome) -> Result<Identity> {
    let arm: ArmIdentity = decode("identity", value)?;
    let properties = arm.properties.unwrap_or(ArmIdentityProperties {
        tenant_id: None,
        principal_id: None,
        client_id: None,
    });
    Ok(Identity {
        id: arm.id,
        name: arm.name,
        location: arm.location,
        resource_group_name: group.resource_group().unwrap_or_default().to_owned(),
        subscription_id: group.subscription_id().unwrap_or_default().to_owned(),
        resource_type: arm
            .resource_type
            .unwrap_or_else(|| "Microsoft.ManagedIdentity/userAssignedIdentities".to_owned()),
        tags: arm.tags.unwrap_or_default(),
        tenant_id: properties.tenant_id,
        principal_id: properties.principal_id,
        client_id: properties.client_id,
        outcome,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_names_follow_the_current_rule() {
        for good in [
            "abc",
            "aibIdentity",
            "a-40-character-name_with-dashes_and-unde",
            &"x".repeat(128),
            "0abc",
        ] {
            validate_identity_name(good).unwrap_or_else(|e| panic!("{good}: {e}"));
        }
        for bad in [
            "ab",
            "-abc",
            "_abc",
            "a b c",
            "abc.def",
            "ünï",
            &"x".repeat(129),
            "",
        ] {
            let err = validate_identity_name(bad).expect_err(bad);
            assert_eq!(err.target.as_deref(), Some("name"));
            assert!(err.message.contains("3-128"), "{}", err.message);
        }
    }
}
