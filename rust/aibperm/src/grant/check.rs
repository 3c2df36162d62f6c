//! `permission.test`: which required actions a principal has at each scope.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use super::{GrantPlan, IdentityRef, Requirement, template};
use crate::arm::identities::IdentityName;
use crate::arm::role_assignments::ListRoleAssignments;
use crate::arm::role_definitions::RoleDefinitionName;
use crate::arm::scope::{self, Scope};
use crate::arm::{ArmClient, PARENT_MISSING, Phase, Progress};
use crate::roles::{self, RoleDefinition, builtin};
use crate::{Error, Result};

/// Request of `permission.test`: a plan, or an image template (JSON) with an optional
/// principal that overrides the template's identity.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TestPermissions {
    #[serde(default)]
    pub plan: Option<GrantPlan>,
    #[serde(default)]
    pub template: Option<Value>,
    #[serde(default)]
    pub principal_id: Option<String>,
}

/// What one scope needs and what the principal lacks there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScopeReport {
    pub scope: String,
    /// The scenarios that need this scope.
    pub scenarios: Vec<String>,
    /// Actions and data actions needed here.
    pub required: Vec<String>,
    pub granted: Vec<String>,
    pub missing: Vec<String>,
    /// Names of the roles the principal holds at or above the scope.
    pub roles: Vec<String>,
}

/// Result of `permission.test`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PermissionTest {
    /// True when nothing is missing anywhere.
    pub ready: bool,
    /// The principal checked; `null` when the named identity does not exist.
    pub principal_id: Option<String>,
    pub scopes: Vec<ScopeReport>,
}

/// One required action: its name and whether it is a data action.
type Needed = (String, bool);

/// Actions a requirement needs: a custom scenario's actions, or a built-in role's.
fn needed(req: &Requirement) -> Vec<Needed> {
    match req.scenario.builtin_role() {
        None => req
            .scenario
            .actions()
            .into_iter()
            .map(|a| (a.to_owned(), false))
            .collect(),
        Some((_, guid)) => builtin::definition(guid)
            .map(|role| {
                let actions = role.actions.into_iter().map(|a| (a, false));
                actions
                    .chain(role.data_actions.into_iter().map(|a| (a, true)))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// Reports, per scope, the required actions the principal is granted and those it lacks,
/// from its role assignments at and above each scope and their role definitions (`*`
/// wildcards and NotActions as ARM applies them).
///
/// # Errors
/// `InvalidArgument` for a bad plan or template (the target names the field or JSON path);
/// `Service` for ARM's refusals.
pub async fn test_permissions(
    client: &ArmClient,
    req: &TestPermissions,
    progress: &Progress,
) -> Result<PermissionTest> {
    let (identity, requirements) = match (&req.plan, &req.template) {
        (Some(_), Some(_)) => {
            return Err(Error::invalid_argument(
                "template",
                "give either plan or template, not both",
            ));
        }
        (None, None) => {
            return Err(Error::invalid_argument(
                "plan",
                "give a plan or an image template",
            ));
        }
        (Some(plan), None) => {
            if req.principal_id.is_some() {
                return Err(Error::invalid_argument(
                    "principalId",
                    "with a plan, give the principal as plan.principalId",
                ));
            }
            let checked = plan.check()?;
            (checked.identity, checked.requirements)
        }
        (None, Some(value)) => {
            let needs = template::requirements(value)?;
            let identity = match (&req.principal_id, needs.identity_ids.first()) {
                (Some(p), _) => IdentityRef::Principal(scope::validate_guid("principalId", p)?),
                (None, Some(id)) => named_identity(id)?,
                (None, None) => {
                    return Err(Error::invalid_argument(
                        "principalId",
                        "the template names no user-assigned identity; give principalId",
                    ));
                }
            };
            if needs.requirements.is_empty() {
                return Err(Error::invalid_argument(
                    "template",
                    "the template needs no permission this command knows to check",
                ));
            }
            (identity, needs.requirements)
        }
    };

    let principal = resolve_principal(client, &identity, progress).await?;

    // One report per scope, scenarios and actions merged in order.
    let mut reports: Vec<(Scope, ScopeReport, Vec<Needed>)> = Vec::new();
    for req in &requirements {
        let index = match reports
            .iter()
            .position(|(s, _, _)| s.key() == req.scope.key())
        {
            Some(i) => i,
            None => {
                reports.push((
                    req.scope.clone(),
                    ScopeReport {
                        scope: req.scope.as_str().to_owned(),
                        scenarios: vec![],
                        required: vec![],
                        granted: vec![],
                        missing: vec![],
                        roles: vec![],
                    },
                    vec![],
                ));
                reports.len() - 1
            }
        };
        let (_, report, actions) = &mut reports[index];
        report.scenarios.push(req.scenario.name().to_owned());
        for (action, data) in needed(req) {
            if !actions.iter().any(|(a, _)| a.eq_ignore_ascii_case(&action)) {
                actions.push((action, data));
            }
        }
    }

    let mut cache: HashMap<Uuid, Option<RoleDefinition>> = HashMap::new();
    let mut scopes = Vec::new();
    for (scope, mut report, actions) in reports {
        let held = match principal {
            Some(p) => held_roles(client, &scope, &p, &mut cache, progress).await?,
            None => vec![],
        };
        report.roles = held.iter().map(|r| r.role_name.clone()).collect();
        for (action, data) in actions {
            let granted = held.iter().any(|role| {
                if data {
                    roles::role_grants_data_action(role, &action)
                } else {
                    roles::role_grants_action(role, &action)
                }
            });
            report.required.push(action.clone());
            if granted {
                report.granted.push(action);
            } else {
                report.missing.push(action);
            }
        }
        scopes.push(report);
    }
    Ok(PermissionTest {
        ready: principal.is_some() && scopes.iter().all(|s| s.missing.is_empty()),
        principal_id: principal.map(|p| p.to_string()),
        scopes,
    })
}

/// The identity an id names.
fn named_identity(id: &str) -> Result<IdentityRef> {
    let field = "identity.userAssignedIdentities";
    let scope = super::identity_scope(field, id)?;
    let (Some(sub), Some(rg)) = (scope.subscription_id(), scope.resource_group()) else {
        return Err(Error::invalid_argument(
            field,
            format!("'{id}' is not in a resource group"),
        ));
    };
    let name = scope.as_str().rsplit('/').next().unwrap_or_default();
    Ok(IdentityRef::Named {
        subscription_id: sub.to_owned(),
        resource_group_name: rg.to_owned(),
        name: name.to_owned(),
        location: None,
    })
}

/// The principal id, or `None` when the named identity does not exist.
async fn resolve_principal(
    client: &ArmClient,
    identity: &IdentityRef,
    progress: &Progress,
) -> Result<Option<Uuid>> {
    match identity {
        IdentityRef::Principal(p) => Ok(Some(*p)),
        IdentityRef::Named {
            subscription_id,
            resource_group_name,
            name,
            ..
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
            match found {
                Ok(identity) => Ok(identity
                    .principal_id
                    .as_deref()
                    .and_then(|p| Uuid::try_parse(p).ok())),
                Err(e) if super::run::is_absent(&e) => Ok(None),
                Err(e) => Err(e),
            }
        }
    }
}

/// The role definitions of the principal's assignments at or above `scope`.
async fn held_roles(
    client: &ArmClient,
    scope: &Scope,
    principal: &Uuid,
    cache: &mut HashMap<Uuid, Option<RoleDefinition>>,
    progress: &Progress,
) -> Result<Vec<RoleDefinition>> {
    progress.enter(
        Phase::Sending,
        format!("listing role assignments at {scope}"),
    );
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
    let mut held = Vec::new();
    for assignment in listed.value {
        let Ok(at) = Scope::parse("scope", &assignment.scope) else {
            continue;
        };
        let mine = assignment
            .principal_id
            .eq_ignore_ascii_case(&principal.to_string());
        if !mine || !scope.is_at_or_below(&at) {
            continue;
        }
        let (_, guid) =
            roles::split_role_definition_id("roleDefinitionId", &assignment.role_definition_id)?;
        if let Entry::Vacant(slot) = cache.entry(guid) {
            let found = client
                .role_definitions()
                .get(
                    &RoleDefinitionName {
                        scope: at.as_str().to_owned(),
                        name: guid.to_string(),
                    },
                    progress,
                )
                .await;
            let role = match found {
                Ok(found) => Some(found.role),
                // A role deleted after its assignment was made grants nothing.
                Err(e)
                    if e.http_status == Some(404)
                        && !e
                            .arm_code
                            .as_deref()
                            .is_some_and(|c| PARENT_MISSING.contains(&c)) =>
                {
                    None
                }
                Err(e) => return Err(e),
            };
            slot.insert(role);
        }
        if let Some(Some(role)) = cache.get(&guid) {
            if !held.iter().any(|r: &RoleDefinition| r.name == role.name) {
                held.push(role.clone());
            }
        }
    }
    Ok(held)
}
