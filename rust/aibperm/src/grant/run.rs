//! `grant.plan` (reads only) and `grant.apply` (writes): identity, roles, assignments.

use serde::Serialize;
use uuid::Uuid;

use super::{CheckedPlan, GrantPlan, IdentityRef, Requirement};
use crate::arm::identities::{IdentityName, PutIdentity};
use crate::arm::role_assignments::{CreateRoleAssignment, ListRoleAssignments, RoleAssignmentName};
use crate::arm::role_definitions::{EnsureRoleDefinition, ListRoleDefinitions, RoleDefinitionName};
use crate::arm::scope::Scope;
use crate::arm::{ArmClient, Outcome, PARENT_MISSING, Phase, Progress};
use crate::roles::{self, GenerateRequest, RoleDefinition};
use crate::{Error, ErrorKind, Result};

/// What an item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ItemKind {
    Identity,
    RoleDefinition,
    RoleAssignment,
}

/// What `grant.apply` does (or, in a plan, would do) to an item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ItemAction {
    Created,
    Updated,
    Unchanged,
}

impl From<Outcome> for ItemAction {
    fn from(outcome: Outcome) -> Self {
        match outcome {
            Outcome::Created => ItemAction::Created,
            Outcome::Updated | Outcome::Deleted => ItemAction::Updated,
            Outcome::Unchanged | Outcome::Found | Outcome::NotFound => ItemAction::Unchanged,
        }
    }
}

/// One identity, role definition or role assignment of a grant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GrantItem {
    pub kind: ItemKind,
    /// The identity's name, or the role name (of the role, or the role assigned).
    pub name: String,
    pub scope: String,
    /// The ARM id; `null` in a plan for an assignment whose principal does not exist yet.
    pub id: Option<String>,
    pub action: ItemAction,
    /// The scenario a role or assignment serves; `null` for the identity.
    pub scenario: Option<String>,
    /// The principal of an assignment (and of the identity, once known).
    pub principal_id: Option<String>,
}

/// Result of `grant.plan` and `grant.apply`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GrantResult {
    pub items: Vec<GrantItem>,
}

/// The role a requirement needs: generated custom role, or built-in role.
fn role_for(req: &Requirement) -> Result<RoleDefinition> {
    roles::generate(&GenerateRequest {
        scenario: req.scenario.name().to_owned(),
        scope: Some(req.scope.as_str().to_owned()),
        ..GenerateRequest::default()
    })
}

fn is_custom(role: &RoleDefinition) -> bool {
    role.role_type == roles::CUSTOM_ROLE
}

/// The GUID at the end of a role definition id.
fn role_guid(field: &str, role: &RoleDefinition) -> Result<Uuid> {
    let id = role
        .id
        .as_deref()
        .ok_or_else(|| Error::internal(format!("role '{}' has no id", role.role_name)))?;
    Ok(roles::split_role_definition_id(field, id)?.1)
}

/// True when `err` says the thing asked for does not exist (its parent does).
pub(super) fn is_absent(err: &Error) -> bool {
    err.http_status == Some(404)
        && !err
            .arm_code
            .as_deref()
            .is_some_and(|code| PARENT_MISSING.contains(&code))
}

fn assignment_id(scope: &Scope, guid: &Uuid) -> String {
    format!(
        "{}/providers/Microsoft.Authorization/roleAssignments/{guid}",
        crate::arm::role_definitions::prefix(scope)
    )
}

/// Decides, by GETs and lists only, what [`apply`] would do to each item.
///
/// # Errors
/// `InvalidArgument` for a bad plan (the target names the field); `Conflict` when a role
/// name is taken by a different role; `Service` for ARM's refusals (a missing resource
/// group, no permission to read).
pub async fn plan(
    client: &ArmClient,
    input: &GrantPlan,
    progress: &Progress,
) -> Result<GrantResult> {
    let checked = input.check()?;
    let mut items = Vec::new();

    let principal = match &checked.identity {
        IdentityRef::Principal(p) => Some(*p),
        IdentityRef::Named {
            subscription_id,
            resource_group_name,
            name,
            location,
        } => {
            progress.enter(Phase::Sending, format!("reading identity '{name}'"));
            let found = client
                .identities()
                .get(
                    &IdentityName {
                        subscription_id: subscription_id.clone(),
                        resource_group_name: resource_group_name.clone(),
                        name: name.clone(),
                    },
                    progress,
                )
                .await;
            let scope =
                crate::arm::scope::resource_group_scope(subscription_id, resource_group_name)?;
            match found {
                Ok(identity) => {
                    let moved = location
                        .as_deref()
                        .is_some_and(|l| !crate::arm::same_location(l, &identity.location));
                    items.push(GrantItem {
                        kind: ItemKind::Identity,
                        name: identity.name.clone(),
                        scope: scope.as_str().to_owned(),
                        id: Some(identity.id.clone()),
                        action: if moved {
                            ItemAction::Updated
                        } else {
                            ItemAction::Unchanged
                        },
                        scenario: None,
                        principal_id: identity.principal_id.clone(),
                    });
                    identity
                        .principal_id
                        .as_deref()
                        .and_then(|p| Uuid::try_parse(p).ok())
                }
                Err(e) if is_absent(&e) => {
                    items.push(GrantItem {
                        kind: ItemKind::Identity,
                        name: name.clone(),
                        scope: scope.as_str().to_owned(),
                        id: checked.identity.resource_id(),
                        action: ItemAction::Created,
                        scenario: None,
                        principal_id: None,
                    });
                    None
                }
                Err(e) => return Err(e),
            }
        }
    };

    for req in &checked.requirements {
        let role = role_for(req)?;
        let (role_guid, role_name) = if is_custom(&role) {
            let (action, existing) = plan_role(client, &role, &req.scope, progress).await?;
            let shown = existing.as_ref().unwrap_or(&role);
            // ARM gives a new role the id of its subscription, not of its scope.
            let id = match &existing {
                Some(found) => found.id.clone(),
                None => Some(roles::builtin_role_id(
                    &req.scope,
                    &role_guid("id", &role)?.to_string(),
                )),
            };
            items.push(GrantItem {
                kind: ItemKind::RoleDefinition,
                name: shown.role_name.clone(),
                scope: req.scope.as_str().to_owned(),
                id,
                action,
                scenario: Some(req.scenario.name().to_owned()),
                principal_id: None,
            });
            (role_guid("id", shown)?, shown.role_name.clone())
        } else {
            (role_guid("id", &role)?, role.role_name.clone())
        };

        let (action, id) = match principal {
            None => (ItemAction::Created, None),
            Some(p) => plan_assignment(client, &req.scope, &p, &role_guid, progress).await?,
        };
        items.push(GrantItem {
            kind: ItemKind::RoleAssignment,
            name: role_name,
            scope: req.scope.as_str().to_owned(),
            id,
            action,
            scenario: Some(req.scenario.name().to_owned()),
            principal_id: principal.map(|p| p.to_string()),
        });
    }
    Ok(GrantResult { items })
}

/// What `roleDefinition.ensure` would do, and the role that would stand for ours.
async fn plan_role(
    client: &ArmClient,
    role: &RoleDefinition,
    scope: &Scope,
    progress: &Progress,
) -> Result<(ItemAction, Option<RoleDefinition>)> {
    let guid = role_guid("id", role)?;
    progress.enter(
        Phase::Sending,
        format!("reading role definition '{}'", role.role_name),
    );
    let found = client
        .role_definitions()
        .get(
            &RoleDefinitionName {
                scope: scope.as_str().to_owned(),
                name: guid.to_string(),
            },
            progress,
        )
        .await;
    match found {
        Ok(existing) => {
            let action = if crate::arm::role_definitions::same_role(&existing.role, role) {
                ItemAction::Unchanged
            } else {
                ItemAction::Updated
            };
            Ok((action, Some(existing.role)))
        }
        Err(e) if is_absent(&e) => {
            let same_name = client
                .role_definitions()
                .list(
                    &ListRoleDefinitions {
                        scope: scope.as_str().to_owned(),
                        role_name: Some(role.role_name.clone()),
                        custom_only: None,
                    },
                    progress,
                )
                .await?;
            match same_name.value.into_iter().next() {
                None => Ok((ItemAction::Created, None)),
                Some(other) if crate::arm::role_definitions::reusable(&other.role, role, scope) => {
                    Ok((ItemAction::Unchanged, Some(other.role)))
                }
                Some(other) => Err(crate::arm::role_definitions::name_clash(
                    &role.role_name,
                    Some(&other.role),
                    scope,
                )),
            }
        }
        Err(e) => Err(e),
    }
}

/// What `roleAssignment.create` would do, and the assignment id.
async fn plan_assignment(
    client: &ArmClient,
    scope: &Scope,
    principal: &Uuid,
    role_guid: &Uuid,
    progress: &Progress,
) -> Result<(ItemAction, Option<String>)> {
    let guid = roles::role_assignment_guid(scope, principal, role_guid);
    progress.enter(Phase::Sending, format!("reading role assignment {guid}"));
    let found = client
        .role_assignments()
        .get(
            &RoleAssignmentName {
                scope: scope.as_str().to_owned(),
                name: guid.to_string(),
            },
            progress,
        )
        .await;
    match found {
        Ok(existing) => return Ok((ItemAction::Unchanged, Some(existing.id))),
        Err(e) if is_absent(&e) => {}
        Err(e) => return Err(e),
    }
    // The same principal, role and scope under another name counts as done, as it does
    // when ARM answers RoleAssignmentExists.
    let listed = client
        .role_assignments()
        .list(
            &ListRoleAssignments {
                scope: scope.as_str().to_owned(),
                principal_id: Some(principal.to_string()),
                at_scope: Some(true),
            },
            progress,
        )
        .await?;
    let same = listed.value.into_iter().find(|a| {
        let same_scope = Scope::parse("scope", &a.scope).is_ok_and(|s| s.key() == scope.key());
        let same_role = roles::split_role_definition_id("roleDefinitionId", &a.role_definition_id)
            .is_ok_and(|(_, g)| g == *role_guid);
        same_scope && same_role
    });
    Ok(match same {
        Some(existing) => (ItemAction::Unchanged, Some(existing.id)),
        None => (ItemAction::Created, Some(assignment_id(scope, &guid))),
    })
}

/// Makes ARM match the plan: the identity, one role per requirement, one assignment each.
///
/// Every step finds what a previous run made (deterministic names), so a rerun after
/// success writes nothing and a rerun after a cancelled or failed run converges.
///
/// # Errors
/// As [`plan`], plus `DeadlineExceeded` when a new identity or role stays invisible past
/// its deadline.
pub async fn apply(
    client: &ArmClient,
    input: &GrantPlan,
    progress: &Progress,
) -> Result<GrantResult> {
    let CheckedPlan {
        identity,
        requirements,
        replication_timeout_seconds,
    } = input.check()?;
    let mut items = Vec::new();
    let steps = requirements.len() + usize::from(matches!(identity, IdentityRef::Named { .. }));
    let mut step = 0usize;
    let mut next_step = |what: &str| {
        step += 1;
        progress.enter(Phase::Sending, format!("step {step} of {steps}: {what}"));
    };

    let principal = match &identity {
        IdentityRef::Principal(p) => *p,
        IdentityRef::Named {
            subscription_id,
            resource_group_name,
            name,
            location,
        } => {
            next_step(&format!("identity '{name}'"));
            let made = client
                .identities()
                .create_or_update(
                    &PutIdentity {
                        subscription_id: subscription_id.clone(),
                        resource_group_name: resource_group_name.clone(),
                        name: name.clone(),
                        location: location.clone(),
                        tags: None,
                    },
                    progress,
                )
                .await?;
            let principal = made
                .principal_id
                .as_deref()
                .and_then(|p| Uuid::try_parse(p).ok())
                .ok_or_else(|| {
                    Error::new(
                        ErrorKind::Decode,
                        format!("identity {} came back without a principal id", made.id),
                    )
                })?;
            let scope =
                crate::arm::scope::resource_group_scope(subscription_id, resource_group_name)?;
            items.push(GrantItem {
                kind: ItemKind::Identity,
                name: made.name.clone(),
                scope: scope.as_str().to_owned(),
                id: Some(made.id.clone()),
                action: made.outcome.into(),
                scenario: None,
                principal_id: Some(principal.to_string()),
            });
            principal
        }
    };

    for req in &requirements {
        next_step(&format!("{} at {}", req.scenario, req.scope));
        let role = role_for(req)?;
        let (role_id, role_name) = if is_custom(&role) {
            let ensured = client
                .role_definitions()
                .ensure(
                    &EnsureRoleDefinition {
                        role: role.clone(),
                        visibility_timeout_seconds: None,
                    },
                    progress,
                )
                .await?;
            let id = ensured.role.id.clone().ok_or_else(|| {
                Error::new(
                    ErrorKind::Decode,
                    "a role definition came back without an id",
                )
            })?;
            items.push(GrantItem {
                kind: ItemKind::RoleDefinition,
                name: ensured.role.role_name.clone(),
                scope: req.scope.as_str().to_owned(),
                id: Some(id.clone()),
                action: ensured.outcome.into(),
                scenario: Some(req.scenario.name().to_owned()),
                principal_id: None,
            });
            (id, ensured.role.role_name)
        } else {
            let id = role
                .id
                .clone()
                .ok_or_else(|| Error::internal("a built-in role has no id"))?;
            (id, role.role_name.clone())
        };

        let assignment = client
            .role_assignments()
            .create(
                &CreateRoleAssignment {
                    scope: req.scope.as_str().to_owned(),
                    principal_id: principal.to_string(),
                    role_definition_id: Some(role_id),
                    role_definition_name: None,
                    principal_type: Some("ServicePrincipal".to_owned()),
                    description: None,
                    condition: None,
                    condition_version: None,
                    replication_timeout_seconds,
                },
                progress,
            )
            .await?;
        items.push(GrantItem {
            kind: ItemKind::RoleAssignment,
            name: role_name,
            scope: req.scope.as_str().to_owned(),
            id: Some(assignment.id),
            action: assignment.outcome.into(),
            scenario: Some(req.scenario.name().to_owned()),
            principal_id: Some(principal.to_string()),
        });
    }
    Ok(GrantResult { items })
}
