//! Resource groups (`Microsoft.Resources`, api-version 2021-04-01): read, and create for
//! setup and demos.

use std::collections::BTreeMap;

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tracing::Instrument;

use super::client::ArmClient;
use super::progress::{Phase, Progress};
use super::scope::{self, Scope};
use super::{Outcome, RESOURCES_API_VERSION, decode, same_location};
use crate::{Error, Result};

/// Request of `resourceGroup.get`.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetResourceGroup {
    pub subscription_id: String,
    pub resource_group_name: String,
}

/// Request of `resourceGroup.createOrUpdate`.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PutResourceGroup {
    pub subscription_id: String,
    pub resource_group_name: String,
    pub location: String,
    #[serde(default)]
    pub tags: Option<BTreeMap<String, String>>,
}

/// A resource group as returned to callers.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceGroup {
    pub id: String,
    pub name: String,
    pub location: String,
    pub tags: BTreeMap<String, String>,
    pub subscription_id: String,
    pub outcome: Outcome,
}

#[derive(Deserialize)]
struct ArmResourceGroup {
    id: String,
    name: String,
    location: String,
    #[serde(default)]
    tags: Option<BTreeMap<String, String>>,
}

/// Resource group operations; borrow from [`ArmClient::resource_groups`].
pub struct ResourceGroups<'a> {
    client: &'a ArmClient,
}

impl ArmClient {
    /// Resource group operations.
    pub fn resource_groups(&self) -> ResourceGroups<'_> {
        ResourceGroups { client: self }
    }
}

impl ResourceGroups<'_> {
    /// Reads a resource group.
    ///
    /// # Errors
    /// `InvalidArgument` for a bad subscription id or group name; `Service` with
    /// `ResourceGroupNotFound` when it does not exist.
    pub async fn get(&self, req: &GetResourceGroup, progress: &Progress) -> Result<ResourceGroup> {
        let scope = scope::resource_group_scope(&req.subscription_id, &req.resource_group_name)?;
        async {
            let url = self.url(&scope)?;
            let (_, value) = self
                .client
                .send_expect(Method::GET, &url, None, progress)
                .await?;
            convert(&scope, value, Outcome::Found)
        }
        .instrument(tracing::info_span!(target: "aibperm::arm", "Arm.resourceGroups.get"))
        .await
        .map_err(|e: Error| e.context(format!("getting resource group {scope}")))
    }

    /// Creates a resource group, or updates its tags; `Unchanged` (and no write) when it
    /// already has this location and these tags.
    ///
    /// # Errors
    /// As [`ResourceGroups::get`], and `InvalidArgument` (target `location`) for an empty
    /// location.
    pub async fn create_or_update(
        &self,
        req: &PutResourceGroup,
        progress: &Progress,
    ) -> Result<ResourceGroup> {
        let scope = scope::resource_group_scope(&req.subscription_id, &req.resource_group_name)?;
        check_location(&req.location)?;
        async {
            if let Some(existing) = self.fetch(&scope, progress).await? {
                let tags_same = req.tags.as_ref().is_none_or(|t| *t == existing.tags);
                if tags_same && same_location(&existing.location, &req.location) {
                    tracing::info!(target: "aibperm::arm", "resource group {scope} is already as requested");
                    return Ok(ResourceGroup {
                        outcome: Outcome::Unchanged,
                        ..existing
                    });
                }
            }
            tracing::info!(target: "aibperm::arm", "creating or updating resource group {scope} in {}", req.location);
            progress.enter(Phase::Sending, format!("writing resource group {scope}"));
            let body = json!({ "location": req.location, "tags": req.tags.clone().unwrap_or_default() });
            let url = self.url(&scope)?;
            let (status, value) = self
                .client
                .send_expect(Method::PUT, &url, Some(&body), progress)
                .await?;
            let outcome = if status == 201 { Outcome::Created } else { Outcome::Updated };
            convert(&scope, value, outcome)
        }
        .instrument(tracing::info_span!(target: "aibperm::arm", "Arm.resourceGroups.createOrUpdate"))
        .await
        .map_err(|e: Error| e.context(format!("writing resource group {scope}")))
    }

    async fn fetch(&self, scope: &Scope, progress: &Progress) -> Result<Option<ResourceGroup>> {
        let url = self.url(scope)?;
        match self
            .client
            .get_optional(&url, progress, &["SubscriptionNotFound"])
            .await?
        {
            Some(value) => convert(scope, value, Outcome::Found).map(Some),
            None => Ok(None),
        }
    }

    fn url(&self, scope: &Scope) -> Result<url::Url> {
        self.client
            .url(scope.as_str(), &[("api-version", RESOURCES_API_VERSION)])
    }
}

fn convert(scope: &Scope, value: Value, outcome: Outcome) -> Result<ResourceGroup> {
    let group: ArmResourceGroup = decode("resource group", value)?;
    Ok(ResourceGroup {
        id: group.id,
        name: group.name,
        location: group.location,
        tags: group.tags.unwrap_or_default(),
        subscription_id: scope.subscription_id().unwrap_or_default().to_owned(),
        outcome,
    })
}

pub(crate) fn check_location(location: &str) -> Result<()> {
    let ok = !location.trim().is_empty()
        && location.len() <= 64
        && location
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-');
    if ok {
        Ok(())
    } else {
        Err(Error::invalid_argument(
            "location",
            format!("location '{location}' is not an Azure region name (such as 'westus2')"),
        ))
    }
}
