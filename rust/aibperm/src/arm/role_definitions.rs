//! Custom role definitions (`Microsoft.Authorization`, api-version 2022-04-01).

use std::collections::BTreeSet;
use std::time::Duration;

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tracing::Instrument;

use super::client::ArmClient;
use super::progress::{Phase, Progress};
use super::scope::{self, Scope, ScopeKind};
use super::wait::{Deadline, poll_delay};
use super::{AUTHORIZATION_API_VERSION, Outcome, PARENT_MISSING, decode, odata};
use crate::roles::{self, RoleDefinition};
use crate::{Error, ErrorKind, Result};

/// Default time to wait for a new role definition to become readable.
pub const DEFAULT_VISIBILITY_TIMEOUT: Duration = Duration::from_secs(120);

/// Request of `roleDefinition.ensure`.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EnsureRoleDefinition {
    /// The role; `name` (GUID) is derived from the first assignable scope and the role name
    /// when absent.
    pub role: RoleDefinition,
    /// How long to wait for a created role to become readable (default 120 s).
    #[serde(default)]
    pub visibility_timeout_seconds: Option<u64>,
}

/// Request of `roleDefinition.get` and `roleDefinition.delete`.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RoleDefinitionName {
    pub scope: String,
    /// The role definition GUID.
    pub name: String,
}

/// Request of `roleDefinition.list`.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ListRoleDefinitions {
    pub scope: String,
    #[serde(default)]
    pub role_name: Option<String>,
    #[serde(default)]
    pub custom_only: Option<bool>,
}

/// A role definition and what the call did to it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleDefinitionResult {
    #[serde(flatten)]
    pub role: RoleDefinition,
    pub outcome: Outcome,
}

/// Result of `roleDefinition.list`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RoleDefinitionList {
    pub value: Vec<RoleDefinitionResult>,
}

#[derive(Deserialize)]
struct ArmRoleDefinition {
    id: String,
    name: String,
    properties: ArmRoleProperties,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ArmRoleProperties {
    role_name: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(rename = "type", alias = "roleType", default)]
    role_type: Option<String>,
    #[serde(default)]
    permissions: Vec<ArmPermission>,
    #[serde(default)]
    assignable_scopes: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ArmPermission {
    #[serde(default)]
    actions: Vec<String>,
    #[serde(default)]
    not_actions: Vec<String>,
    #[serde(default)]
    data_actions: Vec<String>,
    #[serde(default)]
    not_data_actions: Vec<String>,
}

/// Role definition operations; borrow from [`ArmClient::role_definitions`].
pub struct RoleDefinitions<'a> {
    client: &'a ArmClient,
}

impl ArmClient {
    /// Role definition operations.
    pub fn role_definitions(&self) -> RoleDefinitions<'_> {
        RoleDefinitions { client: self }
    }
}

impl RoleDefinitions<'_> {
    /// Makes sure the custom role exists as described, idempotently.
    ///
    /// The role lives at its first assignable scope under a deterministic GUID. If it exists
    /// with the same permissions, scopes and description it is `Unchanged`; if it differs it
    /// is updated. If another role (another GUID) already has the role name: with the same
    /// permissions and assignable at our scope it is reused (`Unchanged`); otherwise the
    /// clash is an error. A created role is polled by GUID until ARM can read it.
    ///
    /// # Errors
    /// `InvalidArgument` for an invalid role; `Conflict` when the role name is taken by a
    /// different role; `DeadlineExceeded` when a created role stays unreadable; `Service`
    /// for other ARM refusals.
    pub async fn ensure(
        &self,
        req: &EnsureRoleDefinition,
        progress: &Progress,
    ) -> Result<RoleDefinitionResult> {
        let role = &req.role;
        roles::validate_role(role)?;
        if role.role_type != roles::CUSTOM_ROLE {
            return Err(Error::invalid_argument(
                "roleType",
                format!("only custom roles can be written, not '{}'", role.role_type),
            ));
        }
        let first = role
            .assignable_scopes
            .first()
            .ok_or_else(|| Error::invalid_argument("AssignableScopes", "no assignable scope"))?;
        let scope = Scope::parse("AssignableScopes[0]", first)?;
        let guid = match (&role.name, &role.id) {
            (Some(name), _) => scope::validate_guid("name", name)?,
            (None, Some(id)) => roles::split_role_definition_id("id", id)?.1,
            (None, None) => roles::role_definition_guid(&scope, &role.role_name),
        };
        let timeout = req
            .visibility_timeout_seconds
            .map(Duration::from_secs)
            .unwrap_or(DEFAULT_VISIBILITY_TIMEOUT);
        let label = format!("role definition '{}' ({guid}) at {scope}", role.role_name);
        async {
            let by_guid = self.url_for(&scope, &guid.to_string())?;
            if let Some(value) = self
                .client
                .get_optional(&by_guid, progress, PARENT_MISSING)
                .await?
            {
                let existing = convert(value)?;
                if same_role(&existing, role) {
                    tracing::info!(target: "aibperm::arm", "{label} already exists as requested");
                    return Ok(RoleDefinitionResult { role: existing, outcome: Outcome::Unchanged });
                }
                tracing::info!(target: "aibperm::arm", "updating {label}");
                let (_, value) = self.put(&by_guid, &scope, role, &label, progress).await?;
                return Ok(RoleDefinitionResult { role: convert(value)?, outcome: Outcome::Updated });
            }

            let same_name = self.find_by_name(&scope, &role.role_name, progress).await?;
            if let Some(other) = same_name.into_iter().next() {
                if reusable(&other, role, &scope) {
                    tracing::info!(
                        target: "aibperm::arm",
                        "reusing role definition '{}' ({}) that has the same permissions at {scope}",
                        other.role_name,
                        other.name.as_deref().unwrap_or_default()
                    );
                    return Ok(RoleDefinitionResult { role: other, outcome: Outcome::Unchanged });
                }
                return Err(name_clash(&role.role_name, Some(&other), &scope));
            }

            tracing::info!(target: "aibperm::arm", "creating {label}");
            let (status, value) = self.put(&by_guid, &scope, role, &label, progress).await?;
            let written = convert(value)?;
            if status != 201 {
                return Ok(RoleDefinitionResult { role: written, outcome: Outcome::Updated });
            }
            let visible = self
                .wait_for_role_visibility(&by_guid, &label, timeout, progress)
                .await?;
            Ok(RoleDefinitionResult { role: visible, outcome: Outcome::Created })
        }
        .instrument(tracing::info_span!(target: "aibperm::arm", "Arm.roleDefinitions.ensure"))
        .await
        .map_err(|e: Error| e.context(format!("ensuring {label}")))
    }

    /// Reads one role definition by GUID at a scope.
    ///
    /// # Errors
    /// `InvalidArgument` for a bad scope or GUID; `Service` (404 `RoleDefinitionDoesNotExist`).
    pub async fn get(
        &self,
        req: &RoleDefinitionName,
        progress: &Progress,
    ) -> Result<RoleDefinitionResult> {
        let scope = Scope::parse("scope", &req.scope)?;
        let guid = scope::validate_guid("name", &req.name)?;
        async {
            let url = self.url_for(&scope, &guid.to_string())?;
            let (_, value) = self
                .client
                .send_expect(Method::GET, &url, None, progress)
                .await?;
            Ok(RoleDefinitionResult {
                role: convert(value)?,
                outcome: Outcome::Found,
            })
        }
        .instrument(tracing::info_span!(target: "aibperm::arm", "Arm.roleDefinitions.get"))
        .await
        .map_err(|e: Error| e.context(format!("getting role definition {guid} at {scope}")))
    }

    /// Lists the role definitions usable at a scope, optionally by exact role name
    /// (case-insensitive) and custom roles only.
    ///
    /// # Errors
    /// `InvalidArgument` for a bad scope; `Service` for ARM's refusals.
    pub async fn list(
        &self,
        req: &ListRoleDefinitions,
        progress: &Progress,
    ) -> Result<RoleDefinitionList> {
        let scope = Scope::parse("scope", &req.scope)?;
        if let Some(name) = &req.role_name {
            if name.trim().is_empty() {
                return Err(Error::invalid_argument("roleName", "roleName '' is empty"));
            }
        }
        async {
            let roles = match &req.role_name {
                Some(name) => self.find_by_name(&scope, name, progress).await?,
                None => {
                    let filter = req
                        .custom_only
                        .unwrap_or(false)
                        .then(|| odata::eq("type", roles::CUSTOM_ROLE));
                    self.list_raw(&scope, filter.as_deref(), progress).await?
                }
            };
            let value = roles
                .into_iter()
                .filter(|r| !req.custom_only.unwrap_or(false) || r.role_type == roles::CUSTOM_ROLE)
                .map(|role| RoleDefinitionResult {
                    role,
                    outcome: Outcome::Found,
                })
                .collect();
            Ok(RoleDefinitionList { value })
        }
        .instrument(tracing::info_span!(target: "aibperm::arm", "Arm.roleDefinitions.list"))
        .await
        .map_err(|e: Error| e.context(format!("listing role definitions at {scope}")))
    }

    /// Deletes a role definition; `NotFound` when there was none.
    ///
    /// # Errors
    /// `InvalidArgument` for a bad scope or GUID; `Service` for ARM's refusals (for example
    /// while assignments still use the role).
    pub async fn delete(
        &self,
        req: &RoleDefinitionName,
        progress: &Progress,
    ) -> Result<super::identities::Deleted> {
        let scope = Scope::parse("scope", &req.scope)?;
        let guid = scope::validate_guid("name", &req.name)?;
        async {
            let url = self.url_for(&scope, &guid.to_string())?;
            tracing::info!(target: "aibperm::arm", "deleting role definition {guid} at {scope}");
            progress.enter(Phase::Sending, format!("deleting role definition {guid}"));
            let (status, _) = self
                .client
                .send_expect(Method::DELETE, &url, None, progress)
                .await?;
            Ok(super::identities::Deleted {
                id: roles::role_definition_id(&scope, &guid),
                outcome: if status == 204 {
                    Outcome::NotFound
                } else {
                    Outcome::Deleted
                },
            })
        }
        .instrument(tracing::info_span!(target: "aibperm::arm", "Arm.roleDefinitions.delete"))
        .await
        .map_err(|e: Error| e.context(format!("deleting role definition {guid} at {scope}")))
    }

    /// Role definitions at `scope` whose name equals `role_name`, compared exactly but
    /// case-insensitively on the client (ARM's filter is only a first cut).
    pub(crate) async fn find_by_name(
        &self,
        scope: &Scope,
        role_name: &str,
        progress: &Progress,
    ) -> Result<Vec<RoleDefinition>> {
        let filter = odata::eq("roleName", role_name);
        let all = self.list_raw(scope, Some(&filter), progress).await?;
        let wanted = role_name.to_lowercase();
        Ok(all
            .into_iter()
            .filter(|r| r.role_name.to_lowercase() == wanted)
            .collect())
    }

    async fn list_raw(
        &self,
        scope: &Scope,
        filter: Option<&str>,
        progress: &Progress,
    ) -> Result<Vec<RoleDefinition>> {
        let path = format!(
            "{}/providers/Microsoft.Authorization/roleDefinitions",
            prefix(scope)
        );
        let mut query = vec![];
        if let Some(filter) = filter {
            query.push(("$filter", filter));
        }
        query.push(("api-version", AUTHORIZATION_API_VERSION));
        let url = self.client.url(&path, &query)?;
        self.client
            .get_all_pages(&url, progress)
            .await?
            .into_iter()
            .map(convert)
            .collect()
    }

    async fn put(
        &self,
        url: &url::Url,
        scope: &Scope,
        role: &RoleDefinition,
        label: &str,
        progress: &Progress,
    ) -> Result<(u16, Value)> {
        progress.enter(Phase::Sending, format!("writing {label}"));
        let body = arm_body(role)?;
        let response = self
            .client
            .send(Method::PUT, url, Some(&body), progress)
            .await?;
        if response.is_success() {
            return Ok((response.status, response.json()?));
        }
        let err = response.error();
        if err.is_arm_code("RoleDefinitionWithSameNameExists") {
            // The name is used somewhere we cannot list from this scope: look tenant-wide to
            // name the other role, best effort.
            let other = self
                .find_by_name(&Scope::tenant(), &role.role_name, progress)
                .await
                .ok()
                .and_then(|found| found.into_iter().next());
            let mut clash = name_clash(&role.role_name, other.as_ref(), scope);
            clash.http_status = err.http_status;
            clash.arm_code = err.arm_code;
            clash.request_id = err.request_id;
            return Err(clash);
        }
        Err(err)
    }

    /// Polls a just-created role by GUID until ARM can read it.
    ///
    /// ARM answers 404 `RoleDefinitionDoesNotExist` (and misses the role in name filters)
    /// for a while after a create, because reads may be served by a replica that has not
    /// seen the write yet. Waiting here means later steps (assignments by full id) do not
    /// trip over it and a rerun finds the role instead of clashing with it.
    async fn wait_for_role_visibility(
        &self,
        url: &url::Url,
        label: &str,
        timeout: Duration,
        progress: &Progress,
    ) -> Result<RoleDefinition> {
        let deadline = Deadline::start(self.client.clock(), timeout);
        let message = format!("waiting for {label} to become visible");
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            if let Some(value) = self
                .client
                .get_optional(url, progress, PARENT_MISSING)
                .await?
            {
                if attempt > 1 {
                    tracing::info!(
                        target: "aibperm::arm",
                        "{label} is visible after {:.0} s",
                        deadline.elapsed().as_secs_f64()
                    );
                }
                return convert(value);
            }
            if deadline.is_over() {
                return Err(Error::new(
                    ErrorKind::DeadlineExceeded,
                    format!(
                        "the role was created but ARM still cannot read it after {:.0} s; \
                         a rerun finds it by its GUID",
                        deadline.elapsed().as_secs_f64()
                    ),
                )
                .with_recommended_action(
                    "Run the command again later, or raise the visibility timeout.",
                ));
            }
            tracing::debug!(target: "aibperm::arm", "{label} not readable yet (attempt {attempt})");
            deadline
                .pause(
                    poll_delay(attempt, Duration::from_secs(10)),
                    progress,
                    Phase::WaitingForRoleVisibility,
                    &message,
                    attempt,
                )
                .await;
        }
    }

    fn url_for(&self, scope: &Scope, guid: &str) -> Result<url::Url> {
        let path = format!(
            "{}/providers/Microsoft.Authorization/roleDefinitions/{guid}",
            prefix(scope)
        );
        self.client
            .url(&path, &[("api-version", AUTHORIZATION_API_VERSION)])
    }
}

/// The path prefix of a scope: empty at the tenant root.
pub(crate) fn prefix(scope: &Scope) -> &str {
    if scope.kind() == ScopeKind::Tenant {
        ""
    } else {
        scope.as_str()
    }
}

fn arm_body(role: &RoleDefinition) -> Result<Value> {
    let scopes = role
        .assignable_scopes
        .iter()
        .enumerate()
        .map(|(i, s)| {
            Scope::parse(&format!("AssignableScopes[{i}]"), s).map(|s| s.as_str().to_owned())
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(json!({
        "properties": {
            "roleName": role.role_name,
            "description": role.description,
            "type": roles::CUSTOM_ROLE,
            "permissions": [{
                "actions": role.actions,
                "notActions": role.not_actions,
                "dataActions": role.data_actions,
                "notDataActions": role.not_data_actions,
            }],
            "assignableScopes": scopes,
        }
    }))
}

// Limit: several permission blocks of an existing role are merged into one on read.
/// Converts ARM's shape into the flattened [`RoleDefinition`].
pub(crate) fn convert(value: Value) -> Result<RoleDefinition> {
    let arm: ArmRoleDefinition = decode("role definition", value)?;
    let p = arm.properties;
    let mut role = RoleDefinition {
        id: Some(arm.id),
        name: Some(arm.name),
        role_name: p.role_name,
        description: p.description.unwrap_or_default(),
        role_type: p.role_type.unwrap_or_else(|| roles::CUSTOM_ROLE.to_owned()),
        actions: vec![],
        not_actions: vec![],
        data_actions: vec![],
        not_data_actions: vec![],
        assignable_scopes: p.assignable_scopes,
    };
    for permission in p.permissions {
        role.actions.extend(permission.actions);
        role.not_actions.extend(permission.not_actions);
        role.data_actions.extend(permission.data_actions);
        role.not_data_actions.extend(permission.not_data_actions);
    }
    Ok(role)
}

fn action_set(list: &[String]) -> BTreeSet<String> {
    list.iter().map(|a| a.trim().to_lowercase()).collect()
}

fn scope_set(list: &[String]) -> BTreeSet<String> {
    list.iter()
        .map(|s| match Scope::parse("assignableScopes", s) {
            Ok(scope) => scope.key(),
            Err(_) => s.trim().trim_end_matches('/').to_lowercase(),
        })
        .collect()
}

/// Same actions, not-actions, data actions and not-data actions (as case-insensitive sets).
pub(crate) fn same_permissions(a: &RoleDefinition, b: &RoleDefinition) -> bool {
    action_set(&a.actions) == action_set(&b.actions)
        && action_set(&a.not_actions) == action_set(&b.not_actions)
        && action_set(&a.data_actions) == action_set(&b.data_actions)
        && action_set(&a.not_data_actions) == action_set(&b.not_data_actions)
}

/// Nothing to write: same name, description, permissions and assignable scopes.
pub(crate) fn same_role(existing: &RoleDefinition, wanted: &RoleDefinition) -> bool {
    existing.role_name == wanted.role_name
        && existing.description == wanted.description
        && same_permissions(existing, wanted)
        && scope_set(&existing.assignable_scopes) == scope_set(&wanted.assignable_scopes)
}

/// Another role with our name can stand in for ours when it grants the same and is
/// assignable at our scope.
pub(crate) fn reusable(other: &RoleDefinition, wanted: &RoleDefinition, scope: &Scope) -> bool {
    same_permissions(other, wanted) && scope_set(&other.assignable_scopes).contains(&scope.key())
}

pub(crate) fn name_clash(role_name: &str, other: Option<&RoleDefinition>, scope: &Scope) -> Error {
    let who = match other {
        Some(other) => format!(
            "role definition {} (assignable at {})",
            other.id.as_deref().or(other.name.as_deref()).unwrap_or("?"),
            other.assignable_scopes.join(", ")
        ),
        None => "another role definition in the directory".to_owned(),
    };
    Error::new(
        ErrorKind::Conflict,
        format!(
            "the role name '{role_name}' is already used by {who}, which differs from the role wanted at {scope}"
        ),
    )
    .with_target("roleName")
    .with_recommended_action(
        "Pass another role name (-RoleName in PowerShell, or \"Name\" in the role file), \
         or remove or align the existing role definition.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(actions: &[&str], scopes: &[&str]) -> RoleDefinition {
        RoleDefinition {
            id: None,
            name: None,
            role_name: "Image Role".into(),
            description: "d".into(),
            role_type: roles::CUSTOM_ROLE.into(),
            actions: actions.iter().map(|s| s.to_string()).collect(),
            not_actions: vec![],
            data_actions: vec![],
            not_data_actions: vec![],
            assignable_scopes: scopes.iter().map(|s| s.to_string()).collect(),
        }
    }

    const RG: &str = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg";

    #[test]
    fn permissions_compare_as_case_insensitive_sets() {
        let a = role(
            &[
                "Microsoft.Compute/images/read",
                "Microsoft.Compute/images/write",
            ],
            &[RG],
        );
        let b = role(
            &[
                "microsoft.compute/images/write",
                "Microsoft.Compute/images/READ",
            ],
            &[RG],
        );
        assert!(same_permissions(&a, &b));
        let c = role(&["Microsoft.Compute/images/read"], &[RG]);
        assert!(!same_permissions(&a, &c));
    }

    #[test]
    fn reuse_needs_our_scope_among_the_other_roles_scopes() {
        let ours = Scope::parse("s", RG).expect("scope");
        let other_same_scope = role(
            &["Microsoft.Compute/images/read"],
            &[&format!(
                "{}/",
                RG.replace("resourceGroups", "resourcegroups")
            )],
        );
        let wanted = role(&["Microsoft.Compute/images/read"], &[RG]);
        assert!(reusable(&other_same_scope, &wanted, &ours));
        let other_rg01 = role(&["Microsoft.Compute/images/read"], &[&format!("{RG}01")]);
        assert!(!reusable(&other_rg01, &wanted, &ours));
    }

    #[test]
    fn arm_shape_converts_and_merges_permission_blocks() {
        let value = json!({
            "id": "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/g",
            "name": "g",
            "properties": {
                "roleName": "R", "type": "CustomRole", "description": null,
                "permissions": [{"actions": ["a/b/read"]}, {"actions": ["c/d/write"], "dataActions": ["x/y/z"]}],
                "assignableScopes": ["/subscriptions/s"]
            }
        });
        let role = convert(value).expect("converts");
        assert_eq!(role.actions, vec!["a/b/read", "c/d/write"]);
        assert_eq!(role.data_actions, vec!["x/y/z"]);
        assert_eq!(role.description, "");
        assert_eq!(role.name.as_deref(), Some("g"));
    }

    #[test]
    fn clash_error_names_other_role_scopes_and_the_way_out() {
        let scope = Scope::parse("s", RG).expect("scope");
        let mut other = role(
            &["x/y/read"],
            &["/subscriptions/22222222-2222-2222-2222-222222222222"],
        );
        other.id = Some("/subscriptions/22222222-2222-2222-2222-222222222222/providers/Microsoft.Authorization/roleDefinitions/abc".into());
        let err = name_clash("Image Role", Some(&other), &scope);
        assert_eq!(err.kind, ErrorKind::Conflict);
        assert!(
            err.message.contains("roleDefinitions/abc"),
            "{}",
            err.message
        );
        assert!(
            err.message
                .contains("/subscriptions/22222222-2222-2222-2222-222222222222")
        );
        assert!(err.message.contains(RG));
        assert!(
            err.recommended_action
                .as_deref()
                .is_some_and(|a| a.contains("-RoleName"))
        );
    }
}
