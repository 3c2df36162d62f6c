//! Microsoft.Authorization role definitions and role assignments, at any scope.

use super::filter::{self, Clause};
use super::{ArmResult, Ctx, Reply, is_guid, method_not_allowed, resource_group_not_found};
use crate::error::ArmError;
use crate::scope::Scope;
use crate::state::{
    Permission, RoleAssignment, RoleDefinition, Store, render_assignment, render_definition,
};
use axum::http::{Method, StatusCode};
use serde_json::{Map, Value};
use std::time::Duration;

const PRINCIPAL_TYPES: &[&str] = &[
    "User",
    "Group",
    "ServicePrincipal",
    "ForeignGroup",
    "Device",
];

/// Checks the scope's shape and that its subscription and resource group exist.
fn check_scope(ctx: &Ctx<'_>, scope: &Scope) -> Result<(), ArmError> {
    if !scope.is_well_formed() {
        return Err(ArmError::bad_request(
            "InvalidScope",
            format!("The scope '{scope}' is not valid."),
        ));
    }
    if let Some(sub) = scope.subscription_id() {
        super::require_subscription(ctx, sub)?;
        if let Some(rg) = scope.resource_group() {
            if ctx.app.store.lock().group(sub, rg).is_none() {
                return Err(resource_group_not_found(rg));
            }
        }
    }
    Ok(())
}

fn invalid_filter(text: &str, supported: &str) -> ArmError {
    ArmError::bad_request(
        "InvalidFilter",
        format!("The filter '{text}' is not supported. Supported filters are {supported}."),
    )
}

fn now_text() -> String {
    crate::time_fmt::now_rfc3339()
}

// ---------------------------------------------------------------------------------------
// Role definitions

const DEFINITION_FILTERS: &str = "'roleName eq '{value}'', 'type eq 'BuiltInRole'', 'type eq 'CustomRole'' and 'atScopeAndBelow()'";

pub fn definitions(ctx: &Ctx<'_>, scope: &Scope, name: Option<&str>) -> ArmResult {
    check_scope(ctx, scope)?;
    match (name, &ctx.method) {
        (None, &Method::GET) => list_definitions(ctx, scope),
        (Some(name), &Method::GET) => get_definition(ctx, scope, name),
        (Some(name), &Method::PUT) => put_definition(ctx, scope, name),
        (Some(name), &Method::DELETE) => delete_definition(ctx, scope, name),
        _ => Err(method_not_allowed(ctx)),
    }
}

fn definition_missing(guid: &str) -> ArmError {
    ArmError::not_found(
        "RoleDefinitionDoesNotExist",
        format!("The specified role definition with ID '{guid}' does not exist."),
    )
}

fn invalid_definition_id(text: &str) -> ArmError {
    ArmError::bad_request(
        "InvalidRoleDefinitionId",
        format!("The role definition ID '{text}' is not valid."),
    )
}

/// A definition can be read at a scope when one of its assignable scopes is that scope,
/// above it or below it (built-ins are assignable at `/`). At the tenant root every
/// definition is readable.
fn readable_at(definition: &RoleDefinition, scope: &Scope) -> bool {
    scope.is_root()
        || definition
            .assignable_scopes
            .iter()
            .any(|s| s.contains(scope) || scope.contains(s))
}

fn get_definition(ctx: &Ctx<'_>, scope: &Scope, name: &str) -> ArmResult {
    if !is_guid(name) {
        return Err(invalid_definition_id(name));
    }
    let store = ctx.app.store.lock();
    match store.visible_definition(name, ctx.now) {
        Some(d) if readable_at(d, scope) => Ok(Reply::ok(render_definition(d, scope))),
        _ => Err(definition_missing(name)),
    }
}

fn list_definitions(ctx: &Ctx<'_>, scope: &Scope) -> ArmResult {
    let mut role_name = None;
    let mut role_type = None;
    let mut and_below = scope.is_root();
    if let Some(text) = ctx.filter() {
        let clauses = filter::parse(text).map_err(|_| invalid_filter(text, DEFINITION_FILTERS))?;
        for clause in clauses {
            match clause {
                Clause::Eq {
                    field,
                    value,
                    quoted: true,
                } if field.eq_ignore_ascii_case("roleName") => role_name = Some(value),
                Clause::Eq {
                    field,
                    value,
                    quoted: true,
                } if field.eq_ignore_ascii_case("type")
                    && ["BuiltInRole", "CustomRole"]
                        .iter()
                        .any(|t| t.eq_ignore_ascii_case(&value)) =>
                {
                    role_type = Some(value.eq_ignore_ascii_case("BuiltInRole"))
                }
                Clause::Call { name, arg: None }
                    if name.eq_ignore_ascii_case("atScopeAndBelow") =>
                {
                    and_below = true
                }
                _ => return Err(invalid_filter(text, DEFINITION_FILTERS)),
            }
        }
    }
    let store = ctx.app.store.lock();
    let items: Vec<Value> = store
        .role_definitions
        .values()
        .filter(|d| d.visible_at <= ctx.now)
        .filter(|d| {
            role_name
                .as_ref()
                .is_none_or(|n| d.role_name.eq_ignore_ascii_case(n))
        })
        .filter(|d| role_type.is_none_or(|built_in| d.built_in == built_in))
        .filter(|d| {
            d.assignable_scopes
                .iter()
                .any(|s| s.contains(scope) || (and_below && scope.contains(s)))
        })
        .map(|d| render_definition(d, scope))
        .collect();
    drop(store);
    Ok(Reply::ok(ctx.page(items)?))
}

fn string_list(value: Option<&Value>, field: &str) -> Result<Vec<String>, ArmError> {
    match value {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::String(s) => Ok(s.clone()),
                _ => Err(bad_definition(
                    format!("'{field}' must hold strings only."),
                    field,
                )),
            })
            .collect(),
        Some(_) => Err(bad_definition(
            format!("'{field}' must be an array."),
            field,
        )),
    }
}

fn bad_definition(message: String, target: &str) -> ArmError {
    ArmError::bad_request("InvalidCreateRoleDefinitionRequest", message)
        .with_target(format!("properties.{target}"))
}

fn put_definition(ctx: &Ctx<'_>, scope: &Scope, name: &str) -> ArmResult {
    if !is_guid(name) {
        return Err(invalid_definition_id(name));
    }
    let guid = name.to_lowercase();
    let body = ctx.json_body()?;
    let empty = Map::new();
    let properties = match body.get("properties") {
        Some(Value::Object(p)) => p,
        None | Some(Value::Null) => &empty,
        Some(_) => return Err(bad_definition("'properties' must be an object.".into(), "")),
    };

    let role_name = match properties.get("roleName") {
        Some(Value::String(n)) if !n.trim().is_empty() => n.clone(),
        _ => {
            return Err(bad_definition(
                "The role definition name (roleName) must not be null or empty.".into(),
                "roleName",
            ));
        }
    };
    if role_name.chars().count() > 512 {
        return Err(bad_definition(
            "The role definition name (roleName) must be at most 512 characters.".into(),
            "roleName",
        ));
    }
    match properties.get("type") {
        None | Some(Value::Null) => {}
        Some(Value::String(t)) if t.eq_ignore_ascii_case("CustomRole") => {}
        Some(other) => {
            return Err(bad_definition(
                format!(
                    "The role definition type {other} is not valid; only 'CustomRole' can be created."
                ),
                "type",
            ));
        }
    }
    let description = match properties.get("description") {
        None | Some(Value::Null) => None,
        Some(Value::String(d)) => Some(d.clone()),
        Some(_) => {
            return Err(bad_definition(
                "'description' must be a string.".into(),
                "description",
            ));
        }
    };

    let mut permissions = Vec::new();
    match properties.get("permissions") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for item in items {
                let Value::Object(p) = item else {
                    return Err(bad_definition(
                        "Each permission must be an object.".into(),
                        "permissions",
                    ));
                };
                permissions.push(Permission {
                    actions: string_list(p.get("actions"), "permissions.actions")?,
                    not_actions: string_list(p.get("notActions"), "permissions.notActions")?,
                    data_actions: string_list(p.get("dataActions"), "permissions.dataActions")?,
                    not_data_actions: string_list(
                        p.get("notDataActions"),
                        "permissions.notDataActions",
                    )?,
                });
            }
        }
        Some(_) => {
            return Err(bad_definition(
                "'permissions' must be an array.".into(),
                "permissions",
            ));
        }
    }

    let scopes_text = string_list(properties.get("assignableScopes"), "assignableScopes")?;
    if scopes_text.is_empty() {
        return Err(bad_definition(
            "The role definition must have at least one assignable scope.".into(),
            "assignableScopes",
        ));
    }
    let mut assignable_scopes = Vec::new();
    for text in &scopes_text {
        let s = Scope::parse(text);
        if s.is_root() {
            return Err(bad_definition(
                "The root scope '/' cannot be an assignable scope of a custom role.".into(),
                "assignableScopes",
            ));
        }
        if !text.starts_with('/') || !s.is_well_formed() {
            return Err(bad_definition(
                format!("The assignable scope '{text}' is not valid."),
                "assignableScopes",
            ));
        }
        if let Some(sub) = s.subscription_id() {
            if !ctx.app.store.lock().has_subscription(sub) {
                return Err(bad_definition(
                    format!(
                        "The assignable scope '{text}' names subscription '{sub}', which does not exist in this directory."
                    ),
                    "assignableScopes",
                ));
            }
        }
        assignable_scopes.push(s);
    }
    if !assignable_scopes.iter().any(|s| s.same_as(scope)) {
        return Err(bad_definition(
            format!(
                "The assignable scopes of the role definition must include the scope of the request '{scope}'."
            ),
            "assignableScopes",
        ));
    }

    let mut store = ctx.app.store.lock();
    if let Some(clash) = store.definitions_named(&role_name).find(|d| d.name != guid) {
        let clash_name = clash.name.clone();
        return Err(ArmError::conflict(
            "RoleDefinitionWithSameNameExists",
            "A role definition cannot be updated with a name that already exists.",
        )
        .with_target(format!("roleDefinitions/{clash_name}")));
    }
    let actor = ctx.claims.oid.clone();
    let now = now_text();
    let delay = ctx.app.faults.lock().faults.role_visibility_delay_seconds;
    let definition = match store.role_definitions.get(&guid) {
        Some(existing) if existing.built_in => {
            return Err(ArmError::new(
                StatusCode::FORBIDDEN,
                "RoleDefinitionUpdateNotPermitted",
                format!("The built-in role definition '{guid}' cannot be updated."),
            ));
        }
        Some(existing) => RoleDefinition {
            role_name,
            description,
            permissions,
            assignable_scopes,
            updated_on: Some(now),
            updated_by: Some(actor),
            ..existing.clone()
        },
        None => RoleDefinition {
            name: guid.clone(),
            role_name,
            description,
            built_in: false,
            permissions,
            assignable_scopes,
            created_on: Some(now.clone()),
            updated_on: Some(now),
            created_by: Some(actor.clone()),
            updated_by: Some(actor),
            visible_at: ctx.now + Duration::from_secs(delay),
        },
    };
    let body = render_definition(&definition, scope);
    store.role_definitions.insert(guid, definition);
    // ARM answers 201 for updates as well as creates (the spec lists only 201).
    Ok(Reply::created(body))
}

fn delete_definition(ctx: &Ctx<'_>, scope: &Scope, name: &str) -> ArmResult {
    if !is_guid(name) {
        return Err(invalid_definition_id(name));
    }
    let guid = name.to_lowercase();
    let mut store = ctx.app.store.lock();
    let Some(definition) = store
        .visible_definition(&guid, ctx.now)
        .filter(|d| readable_at(d, scope))
    else {
        return Ok(Reply::empty(StatusCode::NO_CONTENT));
    };
    if definition.built_in {
        return Err(ArmError::new(
            StatusCode::FORBIDDEN,
            "RoleDefinitionUpdateNotPermitted",
            format!("The built-in role definition '{guid}' cannot be deleted."),
        ));
    }
    if store.role_assignments.values().any(|a| a.role_guid == guid) {
        return Err(ArmError::conflict(
            "RoleDefinitionHasAssignments",
            "There are existing role assignments referencing role (code: RoleDefinitionHasAssignments).",
        ));
    }
    let Some(mut removed) = store.role_definitions.remove(&guid) else {
        return Ok(Reply::empty(StatusCode::NO_CONTENT));
    };
    removed.updated_on = Some(now_text());
    Ok(Reply::ok(render_definition(&removed, scope)))
}

// ---------------------------------------------------------------------------------------
// Role assignments

const ASSIGNMENT_FILTERS: &str =
    "either 'atScope()' or 'principalId eq '{value}'' or assignedTo('{value}')'";

pub fn assignments(ctx: &Ctx<'_>, scope: &Scope, name: Option<&str>) -> ArmResult {
    check_scope(ctx, scope)?;
    match (name, &ctx.method) {
        (None, &Method::GET) => list_assignments(ctx, scope),
        (Some(name), &Method::GET) => get_assignment(ctx, scope, name),
        (Some(name), &Method::PUT) => put_assignment(ctx, scope, name),
        (Some(name), &Method::DELETE) => delete_assignment(ctx, scope, name),
        _ => Err(method_not_allowed(ctx)),
    }
}

fn invalid_assignment_id(name: &str) -> ArmError {
    ArmError::bad_request(
        "InvalidRoleAssignmentId",
        format!(
            "The role assignment ID '{name}' is not valid. The role assignment ID must be a GUID."
        ),
    )
}

fn get_assignment(ctx: &Ctx<'_>, scope: &Scope, name: &str) -> ArmResult {
    if !is_guid(name) {
        return Err(invalid_assignment_id(name));
    }
    let store = ctx.app.store.lock();
    match store.role_assignments.get(&name.to_lowercase()) {
        Some(a) if a.scope.same_as(scope) => Ok(Reply::ok(render_assignment(a))),
        _ => Err(ArmError::not_found(
            "RoleAssignmentNotFound",
            format!("The role assignment '{name}' is not found."),
        )),
    }
}

fn delete_assignment(ctx: &Ctx<'_>, scope: &Scope, name: &str) -> ArmResult {
    if !is_guid(name) {
        return Err(invalid_assignment_id(name));
    }
    let key = name.to_lowercase();
    let mut store = ctx.app.store.lock();
    match store.role_assignments.get(&key) {
        Some(a) if a.scope.same_as(scope) => {}
        _ => return Ok(Reply::empty(StatusCode::NO_CONTENT)),
    }
    match store.role_assignments.remove(&key) {
        Some(removed) => Ok(Reply::ok(render_assignment(&removed))),
        None => Ok(Reply::empty(StatusCode::NO_CONTENT)),
    }
}

fn list_assignments(ctx: &Ctx<'_>, scope: &Scope) -> ArmResult {
    let mut at_scope = false;
    let mut principal: Option<String> = None;
    let mut saw_principal_eq = false;
    if let Some(text) = ctx.filter() {
        let clauses = filter::parse(text).map_err(|_| invalid_filter(text, ASSIGNMENT_FILTERS))?;
        for clause in clauses {
            match clause {
                Clause::Call { name, arg: None } if name.eq_ignore_ascii_case("atScope") => {
                    at_scope = true
                }
                Clause::Call {
                    name,
                    arg: Some(id),
                } if name.eq_ignore_ascii_case("assignedTo") && principal.is_none() => {
                    principal = Some(id.to_lowercase())
                }
                Clause::Eq {
                    field,
                    value,
                    quoted: true,
                } if field.eq_ignore_ascii_case("principalId") && principal.is_none() => {
                    saw_principal_eq = true;
                    principal = Some(value.to_lowercase())
                }
                _ => return Err(invalid_filter(text, ASSIGNMENT_FILTERS)),
            }
        }
        if at_scope && saw_principal_eq {
            return Err(invalid_filter(text, ASSIGNMENT_FILTERS));
        }
    }
    let store = ctx.app.store.lock();
    let mut found: Vec<&RoleAssignment> = store
        .role_assignments
        .values()
        .filter(|a| a.scope.contains(scope) || (!at_scope && scope.contains(&a.scope)))
        .filter(|a| principal.as_ref().is_none_or(|p| a.principal_id == *p))
        .collect();
    found.sort_by_key(|a| a.seq);
    let items: Vec<Value> = found.into_iter().map(render_assignment).collect();
    drop(store);
    Ok(Reply::ok(ctx.page(items)?))
}

/// `/.../providers/Microsoft.Authorization/roleDefinitions/{guid}` -> the GUID.
fn role_guid_of(text: &str) -> Result<String, ArmError> {
    if is_guid(text) {
        return Err(ArmError::bad_request(
            "BadRequestFormat",
            "The request was incorrectly formatted.",
        )
        .with_target("properties.roleDefinitionId"));
    }
    let segments: Vec<&str> = text.split('/').collect();
    let n = segments.len();
    let well_formed = text.starts_with('/')
        && n >= 5
        && segments[n - 4].eq_ignore_ascii_case("providers")
        && segments[n - 3].eq_ignore_ascii_case("Microsoft.Authorization")
        && segments[n - 2].eq_ignore_ascii_case("roleDefinitions")
        && is_guid(segments[n - 1])
        && Scope::parse(&segments[..n - 4].join("/")).is_well_formed()
        && !segments[1..n - 1].iter().any(|s| s.is_empty());
    if !well_formed {
        return Err(invalid_definition_id(text).with_target("properties.roleDefinitionId"));
    }
    Ok(segments[n - 1].to_lowercase())
}

fn optional_string(
    properties: &Map<String, Value>,
    field: &str,
) -> Result<Option<String>, ArmError> {
    match properties.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(ArmError::bad_request(
            "BadRequestFormat",
            "The request was incorrectly formatted.",
        )
        .with_target(format!("properties.{field}"))),
    }
}

fn principal_not_found(principal: &str, tenant: &str) -> ArmError {
    ArmError::bad_request(
        "PrincipalNotFound",
        format!(
            "Principal {} does not exist in the directory {tenant}. Check that you have the correct principal ID. If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group.  See https://aka.ms/docs-principaltype",
            principal.replace('-', "")
        ),
    )
}

/// The principal's type as the directory knows it, or PrincipalNotFound.
///
/// A principal inside its replication window is unknown even when the request names its
/// type, so clients' retry loops can be exercised. A principal the directory never heard
/// of is accepted when the request names its type, as ARM skips the lookup then.
fn resolve_principal(
    store: &Store,
    ctx: &Ctx<'_>,
    principal: &str,
    given_type: Option<&str>,
) -> Result<String, ArmError> {
    match store.principals.get(principal) {
        Some(p) if p.visible_at <= ctx.now => Ok(given_type.unwrap_or(&p.kind).to_owned()),
        Some(_) => Err(principal_not_found(principal, &store.tenant_id)),
        None => match given_type {
            Some(t) => Ok(t.to_owned()),
            None => Err(principal_not_found(principal, &store.tenant_id)),
        },
    }
}

fn put_assignment(ctx: &Ctx<'_>, scope: &Scope, name: &str) -> ArmResult {
    if !is_guid(name) {
        return Err(invalid_assignment_id(name));
    }
    let key = name.to_lowercase();
    let bad_format = |target: &str| {
        ArmError::bad_request("BadRequestFormat", "The request was incorrectly formatted.")
            .with_target(target.to_owned())
    };
    let body = ctx.json_body().map_err(|_| bad_format("properties"))?;
    let Some(Value::Object(properties)) = body.get("properties") else {
        return Err(bad_format("properties"));
    };
    let Some(role_text) = optional_string(properties, "roleDefinitionId")? else {
        return Err(bad_format("properties.roleDefinitionId"));
    };
    let role_guid = role_guid_of(&role_text)?;
    let Some(principal_text) = optional_string(properties, "principalId")? else {
        return Err(bad_format("properties.principalId"));
    };
    if !is_guid(&principal_text) {
        return Err(ArmError::bad_request(
            "InvalidPrincipalId",
            format!(
                "The Principal ID '{principal_text}' is not valid. Principal ID must be a GUID."
            ),
        )
        .with_target("properties.principalId"));
    }
    let principal = principal_text.to_lowercase();
    let principal_type = optional_string(properties, "principalType")?;
    if let Some(t) = &principal_type {
        if !PRINCIPAL_TYPES.contains(&t.as_str()) {
            return Err(ArmError::bad_request(
                "InvalidPrincipalType",
                format!(
                    "The principal type '{t}' is not valid. Valid values are {}.",
                    PRINCIPAL_TYPES.join(", ")
                ),
            )
            .with_target("properties.principalType"));
        }
    }
    let description = optional_string(properties, "description")?;
    let condition = optional_string(properties, "condition")?;
    let mut condition_version = optional_string(properties, "conditionVersion")?;
    if condition.is_some() && condition_version.is_none() {
        condition_version = Some("2.0".to_owned());
    }
    if condition.is_none() && condition_version.is_some() {
        return Err(ArmError::bad_request(
            "InvalidConditionVersion",
            "A condition version was given without a condition.",
        )
        .with_target("properties.conditionVersion"));
    }
    let delegated = optional_string(properties, "delegatedManagedIdentityResourceId")?;

    let mut store = ctx.app.store.lock();
    let Some(definition) = store.visible_definition(&role_guid, ctx.now) else {
        return Err(ArmError::bad_request(
            "RoleDefinitionDoesNotExist",
            format!("The specified role definition with ID '{role_guid}' does not exist."),
        ));
    };
    if !definition
        .assignable_scopes
        .iter()
        .any(|s| s.contains(scope))
    {
        // Limit: ARM's code for this case is not documented; this one is the emulator's.
        return Err(ArmError::bad_request(
            "InvalidAssignableScope",
            format!(
                "The role definition '{role_guid}' is not assignable at scope '{scope}': none of its assignable scopes covers it."
            ),
        ));
    }

    if let Some(existing) = store.role_assignments.get(&key) {
        let same_target = existing.scope.same_as(scope)
            && existing.role_guid == role_guid
            && existing.principal_id == principal;
        if !same_target {
            return Err(ArmError::bad_request(
                "RoleAssignmentUpdateNotPermitted",
                "Tenant ID, application ID, principal ID, and scope are not allowed to be updated.",
            ));
        }
        let changed = existing.description != description
            || existing.condition != condition
            || existing.condition_version != condition_version;
        let mut updated = existing.clone();
        if changed {
            updated.description = description;
            updated.condition = condition;
            updated.condition_version = condition_version;
            updated.updated_on = now_text();
            updated.updated_by = ctx.claims.oid.clone();
        }
        let body = render_assignment(&updated);
        store.role_assignments.insert(key, updated);
        return Ok(Reply::ok(body));
    }

    let duplicate = store
        .role_assignments
        .values()
        .any(|a| a.scope.same_as(scope) && a.role_guid == role_guid && a.principal_id == principal);
    if duplicate {
        let message = ctx
            .app
            .faults
            .lock()
            .faults
            .assignment_exists_message
            .clone()
            .unwrap_or_else(|| "The role assignment already exists.".to_owned());
        return Err(ArmError::conflict("RoleAssignmentExists", message));
    }

    let resolved_type = resolve_principal(&store, ctx, &principal, principal_type.as_deref())?;
    let now = now_text();
    let seq = store.next_seq();
    let assignment = RoleAssignment {
        name: key.clone(),
        scope: scope.clone(),
        role_guid,
        principal_id: principal,
        principal_type: resolved_type,
        description,
        condition,
        condition_version,
        delegated_managed_identity_resource_id: delegated,
        created_on: now.clone(),
        updated_on: now,
        created_by: ctx.claims.oid.clone(),
        updated_by: ctx.claims.oid.clone(),
        seq,
    };
    let mut body = render_assignment(&assignment);
    // ARM fills createdBy only on later reads.
    body["properties"]["createdBy"] = Value::Null;
    store.role_assignments.insert(key, assignment);
    Ok(Reply::created(body))
}

#[cfg(test)]
mod tests {
    use super::role_guid_of;

    #[test]
    fn role_definition_ids_must_be_full_ids() {
        let guid = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
        assert_eq!(
            role_guid_of(&format!(
                "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/{guid}"
            ))
            .ok(),
            Some(guid.to_owned())
        );
        assert_eq!(
            role_guid_of(&format!(
                "/providers/microsoft.authorization/roledefinitions/{}",
                guid.to_uppercase()
            ))
            .ok(),
            Some(guid.to_owned())
        );
        assert_eq!(
            role_guid_of(guid).map_err(|e| e.code),
            Err("BadRequestFormat".to_owned())
        );
        assert_eq!(
            role_guid_of(&format!(
                "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/{guid}x"
            ))
            .map_err(|e| e.code),
            Err("InvalidRoleDefinitionId".to_owned())
        );
        assert_eq!(
            role_guid_of(&format!(
                "subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/{guid}"
            ))
            .map_err(|e| e.code),
            Err("InvalidRoleDefinitionId".to_owned())
        );
    }
}
