//! Short lists for tab completion: the subscription's locations (`location.list`) and its
//! resource groups (`resourceGroup.list`). Both page through `nextLink`.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use tracing::Instrument;

use super::client::ArmClient;
use super::progress::Progress;
use super::{RESOURCES_API_VERSION, scope::validate_guid};
use crate::{Error, Result};

/// api-version of `Microsoft.Resources` subscription locations.
pub const LOCATIONS_API_VERSION: &str = "2022-12-01";

/// Request of `location.list` and `resourceGroup.list`.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ListInSubscription {
    pub subscription_id: String,
}

/// One Azure region as returned by `location.list`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    pub name: String,
    pub display_name: String,
}

/// One resource group as returned by `resourceGroup.list`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceGroupEntry {
    pub id: String,
    pub name: String,
    pub location: String,
}

/// Lists the locations available to a subscription.
///
/// # Errors
/// `InvalidArgument` for a bad subscription id; `Service` (`SubscriptionNotFound`, ...)
/// as ARM answers.
pub async fn locations(
    client: &ArmClient,
    req: &ListInSubscription,
    progress: &Progress,
) -> Result<Vec<Location>> {
    validate_guid("subscriptionId", &req.subscription_id)?;
    let scope = format!("/subscriptions/{}", req.subscription_id);
    async {
        let url = client.url(
            &format!("{scope}/locations"),
            &[("api-version", LOCATIONS_API_VERSION)],
        )?;
        let items = client.get_all_pages(&url, progress).await?;
        Ok(items
            .iter()
            .filter_map(|item| {
                let name = text(item, "name")?;
                let display_name = text(item, "displayName").unwrap_or_else(|| name.clone());
                Some(Location { name, display_name })
            })
            .collect())
    }
    .instrument(tracing::info_span!(target: "aibperm::arm", "Arm.locations.list"))
    .await
    .map_err(|e: Error| e.context(format!("listing locations of {scope}")))
}

/// Lists the resource groups of a subscription.
///
/// # Errors
/// As [`locations`].
pub async fn resource_groups(
    client: &ArmClient,
    req: &ListInSubscription,
    progress: &Progress,
) -> Result<Vec<ResourceGroupEntry>> {
    validate_guid("subscriptionId", &req.subscription_id)?;
    let scope = format!("/subscriptions/{}", req.subscription_id);
    async {
        let url = client.url(
            &format!("{scope}/resourcegroups"),
            &[("api-version", RESOURCES_API_VERSION)],
        )?;
        let items = client.get_all_pages(&url, progress).await?;
        Ok(items
            .iter()
            .filter_map(|item| {
                Some(ResourceGroupEntry {
                    id: text(item, "id")?,
                    name: text(item, "name")?,
                    location: text(item, "location").unwrap_or_default(),
                })
            })
            .collect())
    }
    .instrument(tracing::info_span!(target: "aibperm::arm", "Arm.resourceGroups.list"))
    .await
    .map_err(|e: Error| e.context(format!("listing resource groups of {scope}")))
}

fn text(item: &Value, key: &str) -> Option<String> {
    item.get(key).and_then(Value::as_str).map(str::to_owned)
}
