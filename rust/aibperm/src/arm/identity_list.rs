//! Listing user-assigned identities (`identity.list`): all of a subscription, or those of
//! one resource group. Pages through `nextLink`.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use tracing::Instrument;

use super::client::ArmClient;
use super::identities::{Identity, convert};
use super::progress::Progress;
use super::scope::{self, Scope};
use super::{MANAGED_IDENTITY_API_VERSION, Outcome};
use crate::{Error, Result};

/// Request of `identity.list`.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ListIdentities {
    pub subscription_id: String,
    /// Only the identities of this resource group; absent: the whole subscription.
    #[serde(default)]
    pub resource_group_name: Option<String>,
}

/// Result of `identity.list`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IdentityList {
    pub value: Vec<Identity>,
}

/// Lists the user-assigned identities of a subscription or of one of its resource groups.
///
/// # Errors
/// `InvalidArgument` for a bad subscription id or group name; `Service` for ARM's refusals
/// (`SubscriptionNotFound`, `ResourceGroupNotFound`); `Decode` for an item without a
/// readable id.
pub async fn list(
    client: &ArmClient,
    req: &ListIdentities,
    progress: &Progress,
) -> Result<IdentityList> {
    let parent = match &req.resource_group_name {
        Some(group) => scope::resource_group_scope(&req.subscription_id, group)?,
        None => {
            scope::validate_guid("subscriptionId", &req.subscription_id)?;
            Scope::parse(
                "subscriptionId",
                &format!("/subscriptions/{}", req.subscription_id),
            )?
        }
    };
    async {
        let path = format!(
            "{}/providers/Microsoft.ManagedIdentity/userAssignedIdentities",
            parent.as_str()
        );
        let url = client.url(&path, &[("api-version", MANAGED_IDENTITY_API_VERSION)])?;
        let items = client.get_all_pages(&url, progress).await?;
        let mut value = Vec::with_capacity(items.len());
        for item in items {
            // Each identity's own id names its resource group (a subscription-wide list
            // spans groups).
            let id = item.get("id").and_then(Value::as_str).unwrap_or_default();
            let group = Scope::parse("id", id).map_err(|e| {
                Error::new(
                    crate::ErrorKind::Decode,
                    format!(
                        "an identity in the list has an unreadable id: {}",
                        e.message
                    ),
                )
            })?;
            value.push(convert(&group, item, Outcome::Found)?);
        }
        Ok(IdentityList { value })
    }
    .instrument(tracing::info_span!(target: "aibperm::arm", "Arm.identities.list"))
    .await
    .map_err(|e: Error| e.context(format!("listing identities in {parent}")))
}
