//! Microsoft.ManagedIdentity/userAssignedIdentities.

use super::groups::{location_of, tags_of};
use super::{
    ArmResult, Ctx, Reply, method_not_allowed, require_subscription, resource_group_not_found,
};
use crate::error::ArmError;
use crate::state::{Identity, Principal, render_identity};
use axum::http::{Method, StatusCode};
use serde_json::{Map, Value};
use std::time::Duration;

/// 3-128 characters: letters, digits, `-` and `_`, starting with a letter or digit.
pub fn valid_identity_name(name: &str) -> bool {
    let mut chars = name.chars();
    (3..=128).contains(&name.len())
        && chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// `properties.isolationScope` (from 2024-11-30): `None` or `Regional`; other properties are
/// read-only and ignored, as ARM does.
fn isolation_scope_of(
    body: &Map<String, Value>,
    api_version: &str,
) -> Result<Option<String>, ArmError> {
    let Some(properties) = body.get("properties") else {
        return Ok(None);
    };
    let invalid = |message: String| {
        ArmError::bad_request("InvalidRequestContent", message)
            .with_target("properties.isolationScope")
    };
    let properties = match properties {
        Value::Null => return Ok(None),
        Value::Object(p) => p,
        _ => {
            return Err(ArmError::bad_request(
                "InvalidRequestContent",
                "The request content was invalid and could not be deserialized: 'properties must be an object'.",
            )
            .with_target("properties"));
        }
    };
    match properties.get("isolationScope") {
        None | Some(Value::Null) => Ok(None),
        Some(_) if api_version < "2024-11-30" => Ok(None),
        Some(Value::String(s)) if s == "None" || s == "Regional" => Ok(Some(s.clone())),
        Some(other) => Err(invalid(format!(
            "The value {other} is not valid for isolationScope; valid values are 'None' and 'Regional'."
        ))),
    }
}

fn not_found(rg: &str, name: &str) -> ArmError {
    ArmError::not_found(
        "ResourceNotFound",
        format!(
            "The Resource 'Microsoft.ManagedIdentity/userAssignedIdentities/{name}' under resource group '{rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix"
        ),
    )
    .with_header("x-ms-failure-cause", "gateway")
}

pub fn list(ctx: &Ctx<'_>, sub: &str, rg: Option<&str>) -> ArmResult {
    if ctx.method != Method::GET {
        return Err(method_not_allowed(ctx));
    }
    require_subscription(ctx, sub)?;
    let store = ctx.app.store.lock();
    if let Some(rg) = rg {
        if store.group(sub, rg).is_none() {
            return Err(resource_group_not_found(rg));
        }
    }
    let items: Vec<Value> = store
        .identities
        .values()
        .filter(|i| i.subscription_id.eq_ignore_ascii_case(sub))
        .filter(|i| rg.is_none_or(|rg| i.resource_group.eq_ignore_ascii_case(rg)))
        .map(|i| render_identity(i, &store.tenant_id, &ctx.api_version))
        .collect();
    drop(store);
    Ok(Reply::ok(ctx.page(items)?))
}

pub fn one(ctx: &Ctx<'_>, sub: &str, rg: &str, name: &str) -> ArmResult {
    require_subscription(ctx, sub)?;
    let key = (sub.to_lowercase(), rg.to_lowercase(), name.to_lowercase());
    match ctx.method {
        Method::GET => {
            // A GET in a missing group answers ResourceNotFound, as recorded traffic shows.
            let store = ctx.app.store.lock();
            let identity = store
                .identities
                .get(&key)
                .ok_or_else(|| not_found(rg, name))?;
            Ok(Reply::ok(render_identity(
                identity,
                &store.tenant_id,
                &ctx.api_version,
            )))
        }
        Method::PUT => {
            if !valid_identity_name(name) {
                return Err(ArmError::bad_request(
                    "InvalidResourceName",
                    format!(
                        "Resource name '{name}' is invalid. The name can be 3-128 characters long; it must start with a letter or digit and may contain only letters, digits, hyphens and underscores."
                    ),
                )
                .with_target("name"));
            }
            let body = ctx.json_body()?;
            let location = location_of(&body)?;
            let tags = tags_of(&body)?.unwrap_or_default();
            let isolation_scope = isolation_scope_of(&body, &ctx.api_version)?;
            let mut store = ctx.app.store.lock();
            let group_name = store
                .group(sub, rg)
                .map(|g| (g.subscription_id.clone(), g.name.clone()))
                .ok_or_else(|| resource_group_not_found(rg))?;
            let tenant_id = store.tenant_id.clone();
            if let Some(existing) = store.identities.get_mut(&key) {
                if existing.location != location {
                    return Err(ArmError::bad_request(
                        "InvalidResourceLocation",
                        format!(
                            "The resource '{}' already exists in location '{}' in resource group '{}'. A resource with the same name cannot be created in location '{location}'. Please select a new resource name.",
                            existing.name, existing.location, existing.resource_group
                        ),
                    ));
                }
                existing.tags = tags;
                return Ok(Reply::ok(render_identity(
                    existing,
                    &tenant_id,
                    &ctx.api_version,
                )));
            }
            let identity = Identity {
                subscription_id: group_name.0,
                resource_group: group_name.1,
                name: name.to_owned(),
                location,
                tags,
                principal_id: crate::new_guid(),
                client_id: crate::new_guid(),
                isolation_scope: isolation_scope.unwrap_or_else(|| "None".to_owned()),
            };
            let delay = ctx.app.faults.lock().faults.replication_delay_seconds;
            store.principals.insert(
                identity.principal_id.clone(),
                Principal {
                    kind: "ServicePrincipal".to_owned(),
                    visible_at: ctx.now + Duration::from_secs(delay),
                },
            );
            let body = render_identity(&identity, &tenant_id, &ctx.api_version);
            store.identities.insert(key, identity);
            Ok(Reply::created(body))
        }
        Method::PATCH => {
            let body = ctx.json_body()?;
            let tags = tags_of(&body)?;
            let isolation_scope = isolation_scope_of(&body, &ctx.api_version)?;
            let mut store = ctx.app.store.lock();
            if store.group(sub, rg).is_none() {
                return Err(resource_group_not_found(rg));
            }
            let tenant_id = store.tenant_id.clone();
            let identity = store
                .identities
                .get_mut(&key)
                .ok_or_else(|| not_found(rg, name))?;
            if let Some(tags) = tags {
                identity.tags = tags;
            }
            if let Some(scope) = isolation_scope {
                identity.isolation_scope = scope;
            }
            Ok(Reply::ok(render_identity(
                identity,
                &tenant_id,
                &ctx.api_version,
            )))
        }
        Method::DELETE => {
            let mut store = ctx.app.store.lock();
            if store.group(sub, rg).is_none() {
                return Err(resource_group_not_found(rg));
            }
            match store.identities.remove(&key) {
                Some(identity) => {
                    store.principals.remove(&identity.principal_id);
                    Ok(Reply::empty(StatusCode::OK))
                }
                None => Ok(Reply::empty(StatusCode::NO_CONTENT)),
            }
        }
        _ => Err(method_not_allowed(ctx)),
    }
}

#[cfg(test)]
mod tests {
    use super::valid_identity_name;

    #[test]
    fn identity_names_follow_the_3_to_128_rule() {
        assert!(valid_identity_name("aib"));
        assert!(valid_identity_name(&format!("a{}", "-_x".repeat(13))));
        assert!(valid_identity_name(&"a".repeat(128)));
        assert!(!valid_identity_name(&"a".repeat(129)));
        assert!(!valid_identity_name("ab"));
        assert!(!valid_identity_name("-abc"));
        assert!(!valid_identity_name("_abc"));
        assert!(!valid_identity_name("ab.c"));
    }
}
