//! `GET /subscriptions/{id}/locations`: the regions a subscription can use, in the shape of
//! `Microsoft.Resources` subscription locations (api-version 2022-12-01).

use super::{ArmResult, Ctx, Reply, method_not_allowed, require_subscription};
use axum::http::Method;
use serde_json::{Value, json};

/// (name, display name, geography group) of the public-cloud regions the emulator lists.
const REGIONS: &[(&str, &str, &str)] = &[
    ("australiaeast", "Australia East", "Asia Pacific"),
    ("brazilsouth", "Brazil South", "South America"),
    ("canadacentral", "Canada Central", "Canada"),
    ("centralindia", "Central India", "Asia Pacific"),
    ("centralus", "Central US", "US"),
    ("eastasia", "East Asia", "Asia Pacific"),
    ("eastus", "East US", "US"),
    ("eastus2", "East US 2", "US"),
    ("francecentral", "France Central", "Europe"),
    ("germanywestcentral", "Germany West Central", "Europe"),
    ("japaneast", "Japan East", "Asia Pacific"),
    ("koreacentral", "Korea Central", "Asia Pacific"),
    ("northcentralus", "North Central US", "US"),
    ("northeurope", "North Europe", "Europe"),
    ("southafricanorth", "South Africa North", "Africa"),
    ("southcentralus", "South Central US", "US"),
    ("southeastasia", "Southeast Asia", "Asia Pacific"),
    ("swedencentral", "Sweden Central", "Europe"),
    ("switzerlandnorth", "Switzerland North", "Europe"),
    ("uksouth", "UK South", "Europe"),
    ("westcentralus", "West Central US", "US"),
    ("westeurope", "West Europe", "Europe"),
    ("westus", "West US", "US"),
    ("westus2", "West US 2", "US"),
    ("westus3", "West US 3", "US"),
];

pub fn list(ctx: &Ctx<'_>, sub: &str) -> ArmResult {
    if ctx.method != Method::GET {
        return Err(method_not_allowed(ctx));
    }
    require_subscription(ctx, sub)?;
    let items: Vec<Value> = REGIONS
        .iter()
        .map(|(name, display, geography)| {
            json!({
                "id": format!("/subscriptions/{sub}/locations/{name}"),
                "name": name,
                "type": "Region",
                "displayName": display,
                "regionalDisplayName": format!("({geography}) {display}"),
                "metadata": {
                    "regionType": "Physical",
                    "regionCategory": "Recommended",
                    "geographyGroup": geography,
                },
            })
        })
        .collect();
    // ARM answers this list in one page, without nextLink.
    Ok(Reply::ok(json!({ "value": items })))
}
