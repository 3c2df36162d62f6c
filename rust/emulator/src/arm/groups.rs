//! Subscriptions (read only) and resource groups.

use super::{
    ArmResult, Ctx, Reply, method_not_allowed, require_subscription, resource_group_not_found,
};
use crate::error::ArmError;
use crate::state::{ResourceGroup, render_group};
use axum::http::{Method, StatusCode};
use serde_json::{Map, Value, json};

pub fn subscription(ctx: &Ctx<'_>, sub: &str) -> ArmResult {
    if ctx.method != Method::GET {
        return Err(method_not_allowed(ctx));
    }
    require_subscription(ctx, sub)?;
    let store = ctx.app.store.lock();
    let id = store
        .subscriptions
        .iter()
        .find(|s| s.eq_ignore_ascii_case(sub))
        .cloned()
        .unwrap_or_else(|| sub.to_owned());
    Ok(Reply::ok(json!({
        "id": format!("/subscriptions/{id}"),
        "subscriptionId": id,
        "tenantId": store.tenant_id,
        "displayName": "aibperm-emulator subscription",
        "state": "Enabled",
        "subscriptionPolicies": {
            "locationPlacementId": "Public_2014-09-01",
            "quotaId": "PayAsYouGo_2014-09-01",
            "spendingLimit": "Off",
        },
        "authorizationSource": "RoleBased",
        "managedByTenants": [],
    })))
}

pub fn list(ctx: &Ctx<'_>, sub: &str) -> ArmResult {
    if ctx.method != Method::GET {
        return Err(method_not_allowed(ctx));
    }
    require_subscription(ctx, sub)?;
    let items: Vec<Value> = ctx
        .app
        .store
        .lock()
        .groups
        .values()
        .filter(|g| g.subscription_id.eq_ignore_ascii_case(sub))
        .map(render_group)
        .collect();
    Ok(Reply::ok(ctx.page(items)?))
}

/// Resource group names: 1-90 characters of letters, digits, `_`, `-`, `.`, `(`, `)`,
/// not ending in a period.
fn valid_group_name(name: &str) -> bool {
    (1..=90).contains(&name.chars().count())
        && !name.ends_with('.')
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || "_-.()".contains(c))
}

pub(crate) fn tags_of(body: &Map<String, Value>) -> Result<Option<Map<String, Value>>, ArmError> {
    match body.get("tags") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(tags)) if tags.values().all(Value::is_string) => Ok(Some(tags.clone())),
        Some(_) => Err(ArmError::bad_request(
            "InvalidRequestContent",
            "The request content was invalid and could not be deserialized: 'tags must be an object of strings'.",
        )
        .with_target("tags")),
    }
}

/// ARM stores locations without spaces, in lowercase (`Central US` -> `centralus`).
pub(crate) fn normalize_location(location: &str) -> String {
    location
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase()
}

pub(crate) fn location_of(body: &Map<String, Value>) -> Result<String, ArmError> {
    match body.get("location") {
        Some(Value::String(l)) if !l.trim().is_empty() => Ok(normalize_location(l)),
        _ => Err(ArmError::bad_request(
            "LocationRequired",
            "The location property is required for this definition.",
        )
        .with_target("location")),
    }
}

pub fn one(ctx: &Ctx<'_>, sub: &str, rg: &str) -> ArmResult {
    require_subscription(ctx, sub)?;
    match ctx.method {
        Method::GET => {
            let store = ctx.app.store.lock();
            let group = store
                .group(sub, rg)
                .ok_or_else(|| resource_group_not_found(rg))?;
            Ok(Reply::ok(render_group(group)))
        }
        Method::HEAD => {
            let exists = ctx.app.store.lock().group(sub, rg).is_some();
            Ok(Reply::empty(if exists {
                StatusCode::NO_CONTENT
            } else {
                StatusCode::NOT_FOUND
            }))
        }
        Method::PUT => {
            if !valid_group_name(rg) {
                return Err(ArmError::bad_request(
                    "InvalidResourceGroupName",
                    format!(
                        "Resource group name '{rg}' is invalid. It can be 1-90 characters long, may contain letters, digits, underscores, hyphens, periods and parentheses, and cannot end with a period."
                    ),
                ));
            }
            let body = ctx.json_body()?;
            let location = location_of(&body)?;
            let tags = tags_of(&body)?.unwrap_or_default();
            let mut store = ctx.app.store.lock();
            let subscription_id = store
                .subscriptions
                .iter()
                .find(|s| s.eq_ignore_ascii_case(sub))
                .cloned()
                .unwrap_or_else(|| sub.to_owned());
            let key = (sub.to_lowercase(), rg.to_lowercase());
            if let Some(existing) = store.groups.get_mut(&key) {
                if existing.location != location {
                    return Err(ArmError::bad_request(
                        "InvalidResourceGroupLocation",
                        format!(
                            "Invalid resource group location '{location}'. The Resource group already exists in location '{}'.",
                            existing.location
                        ),
                    ));
                }
                existing.tags = tags;
                return Ok(Reply::ok(render_group(existing)));
            }
            let group = ResourceGroup {
                subscription_id,
                name: rg.to_owned(),
                location,
                tags,
            };
            let body = render_group(&group);
            store.groups.insert(key, group);
            Ok(Reply::created(body))
        }
        Method::PATCH => {
            let body = ctx.json_body()?;
            let tags = tags_of(&body)?;
            let mut store = ctx.app.store.lock();
            let key = (sub.to_lowercase(), rg.to_lowercase());
            let group = store
                .groups
                .get_mut(&key)
                .ok_or_else(|| resource_group_not_found(rg))?;
            if let Some(tags) = tags {
                group.tags = tags;
            }
            Ok(Reply::ok(render_group(group)))
        }
        // Limit: ARM deletes resource groups asynchronously (202 + Location); the emulator
        // deletes at once and answers 200.
        Method::DELETE => match ctx.app.store.lock().remove_group(sub, rg) {
            Some(_) => Ok(Reply::empty(StatusCode::OK)),
            None => Err(resource_group_not_found(rg)),
        },
        _ => Err(method_not_allowed(ctx)),
    }
}
