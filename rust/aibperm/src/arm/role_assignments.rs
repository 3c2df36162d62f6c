//! Role assignments (`Microsoft.Authorization`, api-version 2022-04-01).

use std::future::Future;
use std::time::Duration;

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tracing::Instrument;
use uuid::Uuid;

use super::client::ArmClient;
use super::progress::{Phase, Progress};
use super::role_definitions::prefix;
use super::scope::{self, Scope};
use super::wait::Deadline;
use super::{AUTHORIZATION_API_VERSION, Outcome, PARENT_MISSING, decode, odata};
use crate::roles;
use crate::{Error, ErrorKind, Result};

/// Default time to wait for a new principal to replicate.
pub const DEFAULT_REPLICATION_TIMEOUT: Duration = Duration::from_secs(300);

/// Principal types ARM accepts.
pub const PRINCIPAL_TYPES: &[&str] = &[
    "User",
    "Group",
    "ServicePrincipal",
    "ForeignGroup",
    "Device",
];

/// Request of `roleAssignment.create`.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateRoleAssignment {
    pub scope: String,
    pub principal_id: String,
    /// A role definition GUID or full id.
    #[serde(default)]
    pub role_definition_id: Option<String>,
    /// A role name, looked up at the scope.
    #[serde(default)]
    pub role_definition_name: Option<String>,
    #[serde(default)]
    pub principal_type: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub condition: Option<String>,
    #[serde(default)]
    pub condition_version: Option<String>,
    /// How long to wait for a new principal to replicate (default 300 s).
    #[serde(default)]
    pub replication_timeout_seconds: Option<u64>,
}

/// Request of `roleAssignment.list`.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ListRoleAssignments {
    pub scope: String,
    #[serde(default)]
    pub principal_id: Option<String>,
    /// Only assignments at the scope and above it (not below).
    #[serde(default)]
    pub at_scope: Option<bool>,
}

/// Request of `roleAssignment.get` and `roleAssignment.delete`.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RoleAssignmentName {
    pub scope: String,
    /// The assignment GUID.
    pub name: String,
}

/// A role assignment, with the fields of Az's PSRoleAssignment.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleAssignment {
    pub id: String,
    pub name: String,
    pub scope: String,
    pub role_definition_id: String,
    pub role_definition_name: Option<String>,
    pub principal_id: String,
    pub principal_type: Option<String>,
    pub description: Option<String>,
    pub condition: Option<String>,
    pub condition_version: Option<String>,
    pub outcome: Outcome,
}

/// Result of `roleAssignment.list`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RoleAssignmentList {
    pub value: Vec<RoleAssignment>,
}

#[derive(Deserialize)]
struct ArmRoleAssignment {
    id: String,
    name: String,
    properties: ArmAssignmentProperties,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ArmAssignmentProperties {
    #[serde(default)]
    scope: Option<String>,
    role_definition_id: String,
    principal_id: String,
    #[serde(default)]
    principal_type: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    condition: Option<String>,
    #[serde(default)]
    condition_version: Option<String>,
}

/// A create request after validation.
struct Checked {
    scope: Scope,
    principal: Uuid,
    role: RoleRef,
    principal_type: Option<String>,
    description: Option<String>,
    condition: Option<String>,
    condition_version: Option<String>,
    replication_timeout: Duration,
}

enum RoleRef {
    /// Full id and GUID.
    Id(String, Uuid),
    Name(String),
}

/// Role assignment operations; borrow from [`ArmClient::role_assignments`].
pub struct RoleAssignments<'a> {
    client: &'a ArmClient,
}

impl ArmClient {
    /// Role assignment operations.
    pub fn role_assignments(&self) -> RoleAssignments<'_> {
        RoleAssignments { client: self }
    }
}

impl RoleAssignments<'_> {
    /// Assigns a role to a principal at a scope, idempotently.
    ///
    /// The assignment name is derived from (scope, principal, role), so repeated or
    /// concurrent runs meet the same assignment: an existing one is returned `Unchanged`,
    /// and so is the one ARM reports as `RoleAssignmentExists`. A principal ARM does not know
    /// yet (`PrincipalNotFound`, directory replication) is waited for until
    /// `replicationTimeoutSeconds`.
    ///
    /// # Errors
    /// `InvalidArgument` for bad input or a role name not found at the scope;
    /// `DeadlineExceeded` when the principal stays unknown; `Service` for ARM's refusals.
    pub async fn create(
        &self,
        req: &CreateRoleAssignment,
        progress: &Progress,
    ) -> Result<RoleAssignment> {
        let checked = check(req)?;
        let scope = checked.scope.clone();
        async {
            let (role_id, role_guid, role_name) = match &checked.role {
                RoleRef::Id(id, guid) => {
                    let name = self.role_name_of(&scope, guid, progress).await;
                    (id.clone(), *guid, name)
                }
                RoleRef::Name(name) => self.resolve_role_name(&scope, name, progress).await?,
            };
            let guid = roles::role_assignment_guid(&scope, &checked.principal, &role_guid);
            let label = format!(
                "role assignment of '{}' to principal {} at {scope}",
                role_name.as_deref().unwrap_or(&role_id),
                checked.principal
            );
            let url = self.url_for(&scope, &guid)?;

            let before = self.client.get_optional(&url, progress, PARENT_MISSING).await?;
            let found_before = before.is_some();
            if let Some(value) = before {
                let existing = convert(value, role_name.clone(), Outcome::Unchanged)?;
                if same_triple(&existing, &checked.principal, &role_guid)
                    && checked.description.as_ref().is_none_or(|d| existing.description.as_ref() == Some(d))
                    && checked.condition == existing.condition
                {
                    tracing::info!(target: "aibperm::arm", "{label} already exists");
                    return Ok(existing);
                }
            }

            tracing::info!(target: "aibperm::arm", "creating {label}");
            let body = put_body(&checked, &role_id);
            let put = || async {
                progress.enter(Phase::Sending, format!("creating {label}"));
                self.client.send(Method::PUT, &url, Some(&body), progress).await
            };
            let response = self
                .wait_for_principal_replication(
                    &checked.principal,
                    checked.replication_timeout,
                    role_name.is_some(),
                    progress,
                    put,
                )
                .await?;
            match response.status {
                200 | 201 => {
                    // 200 without an earlier find: a concurrent run wrote the same assignment.
                    let outcome = match (response.status, found_before) {
                        (201, _) => Outcome::Created,
                        (_, true) => Outcome::Updated,
                        (_, false) => Outcome::Unchanged,
                    };
                    convert(response.json()?, role_name, outcome)
                }
                409 if response.arm_code().as_deref() == Some("RoleAssignmentExists") => {
                    // Same principal, role and scope under another name: that is success.
                    tracing::info!(target: "aibperm::arm", "{label} already exists under another name");
                    self.find_existing(&scope, &checked.principal, &role_guid, role_name, progress)
                        .await?
                        .ok_or_else(|| {
                            response.error().context(
                                "ARM reports the assignment exists, but it is not listed at the scope",
                            )
                        })
                }
                // Limit: HashConflictOnDifferentRoleAssignmentIds is reported, not resolved.
                _ => Err(response.error()),
            }
        }
        .instrument(tracing::info_span!(target: "aibperm::arm", "Arm.roleAssignments.create"))
        .await
        .map_err(|e: Error| e.context(format!("creating role assignment for principal {} at {scope}", checked.principal)))
    }

    /// Lists assignments that apply at a scope: at it, above it and (unless `atScope`)
    /// below it, optionally for one principal. Sibling scopes (`RG01` for `RG`) never match.
    ///
    /// # Errors
    /// `InvalidArgument` for a bad scope or principal id; `Service` for ARM's refusals.
    pub async fn list(
        &self,
        req: &ListRoleAssignments,
        progress: &Progress,
    ) -> Result<RoleAssignmentList> {
        let scope = Scope::parse("scope", &req.scope)?;
        let principal = req
            .principal_id
            .as_deref()
            .map(|p| scope::validate_guid("principalId", p))
            .transpose()?;
        let at_scope = req.at_scope.unwrap_or(false);
        async {
            let value = self
                .list_raw(&scope, principal.as_ref(), at_scope, progress)
                .await?
                .into_iter()
                .collect();
            Ok(RoleAssignmentList { value })
        }
        .instrument(tracing::info_span!(target: "aibperm::arm", "Arm.roleAssignments.list"))
        .await
        .map_err(|e: Error| e.context(format!("listing role assignments at {scope}")))
    }

    /// Reads one assignment by GUID at its scope.
    ///
    /// # Errors
    /// `InvalidArgument` for a bad scope or GUID; `Service` (404 `RoleAssignmentNotFound`).
    pub async fn get(
        &self,
        req: &RoleAssignmentName,
        progress: &Progress,
    ) -> Result<RoleAssignment> {
        let scope = Scope::parse("scope", &req.scope)?;
        let guid = scope::validate_guid("name", &req.name)?;
        async {
            let url = self.url_for(&scope, &guid)?;
            let (_, value) = self
                .client
                .send_expect(Method::GET, &url, None, progress)
                .await?;
            convert(value, None, Outcome::Found)
        }
        .instrument(tracing::info_span!(target: "aibperm::arm", "Arm.roleAssignments.get"))
        .await
        .map_err(|e: Error| e.context(format!("getting role assignment {guid} at {scope}")))
    }

    /// Deletes one assignment; `NotFound` when there was none.
    ///
    /// # Errors
    /// `InvalidArgument` for a bad scope or GUID; `Service` for ARM's refusals.
    pub async fn delete(
        &self,
        req: &RoleAssignmentName,
        progress: &Progress,
    ) -> Result<super::identities::Deleted> {
        let scope = Scope::parse("scope", &req.scope)?;
        let guid = scope::validate_guid("name", &req.name)?;
        async {
            let url = self.url_for(&scope, &guid)?;
            tracing::info!(target: "aibperm::arm", "deleting role assignment {guid} at {scope}");
            progress.enter(Phase::Sending, format!("deleting role assignment {guid}"));
            let (status, _) = self
                .client
                .send_expect(Method::DELETE, &url, None, progress)
                .await?;
            Ok(super::identities::Deleted {
                id: format!(
                    "{}/providers/Microsoft.Authorization/roleAssignments/{guid}",
                    prefix(&scope)
                ),
                outcome: if status == 204 {
                    Outcome::NotFound
                } else {
                    Outcome::Deleted
                },
            })
        }
        .instrument(tracing::info_span!(target: "aibperm::arm", "Arm.roleAssignments.delete"))
        .await
        .map_err(|e: Error| e.context(format!("deleting role assignment {guid} at {scope}")))
    }

    /// Sends `put` again while ARM answers `400 PrincipalNotFound`, until `timeout`.
    ///
    /// ARM checks the principal of a new assignment against its replica of the directory.
    /// A service principal created moments ago (a new managed identity) is missing there for
    /// seconds to minutes, and ARM answers `PrincipalNotFound` although the id is right.
    /// Sending `principalType` shortens this window but does not always close it, so the
    /// only correct reaction is to wait and try again, showing the wait, up to a deadline
    /// after which a genuinely wrong id is reported.
    ///
    /// The same holds, more briefly, for a custom role created moments ago: ARM may answer
    /// `RoleDefinitionDoesNotExist` for a role it can already read. When the role was
    /// readable (`role_readable`), that answer is waited out too, up to the role visibility
    /// timeout; otherwise the role id is wrong and the error is returned at once.
    async fn wait_for_principal_replication<F, Fut>(
        &self,
        principal: &Uuid,
        timeout: Duration,
        role_readable: bool,
        progress: &Progress,
        mut put: F,
    ) -> Result<super::client::ArmResponse>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<super::client::ArmResponse>>,
    {
        let deadline = Deadline::start(self.client.clock(), timeout);
        let role_deadline = Deadline::start(
            self.client.clock(),
            super::role_definitions::DEFAULT_VISIBILITY_TIMEOUT,
        );
        let message = format!("waiting for principal {principal} to replicate");
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let response = put().await?;
            let code = response.arm_code();
            if code.as_deref() == Some("RoleDefinitionDoesNotExist")
                && role_readable
                && !role_deadline.is_over()
            {
                tracing::debug!(
                    target: "aibperm::arm",
                    "RoleDefinitionDoesNotExist for a readable role (attempt {attempt}): trying again"
                );
                role_deadline
                    .pause(
                        super::wait::poll_delay(attempt, Duration::from_secs(10)),
                        progress,
                        Phase::WaitingForRoleVisibility,
                        "waiting for the role definition to replicate",
                        attempt,
                    )
                    .await;
                continue;
            }
            if code.as_deref() != Some("PrincipalNotFound") {
                return Ok(response);
            }
            if deadline.is_over() {
                let mut err = response.error();
                err.kind = ErrorKind::DeadlineExceeded;
                err.message = format!(
                    "principal {principal} is still unknown to ARM after waiting {:.0} s ({})",
                    deadline.elapsed().as_secs_f64(),
                    err.message
                );
                err.target = Some("principalId".to_owned());
                return Err(err.with_recommended_action(
                    "If the principal was just created, run again later or raise the replication \
                     timeout; otherwise check the principal id.",
                ));
            }
            if attempt == 1 {
                tracing::info!(
                    target: "aibperm::arm",
                    "principal {principal} is not known to ARM yet: waiting up to {:.0} s for directory replication",
                    deadline.limit().as_secs_f64()
                );
            }
            let delay = self
                .client
                .inner
                .policy
                .delay(
                    attempt.saturating_sub(1),
                    None,
                    super::retry::random_jitter(),
                )
                .max(Duration::from_secs(1))
                .min(Duration::from_secs(15));
            tracing::debug!(
                target: "aibperm::arm",
                "PrincipalNotFound for {principal} (attempt {attempt}): trying again in {:.1} s",
                delay.as_secs_f64()
            );
            deadline
                .pause(
                    delay,
                    progress,
                    Phase::WaitingForPrincipal,
                    &message,
                    attempt,
                )
                .await;
        }
    }

    /// Role name of a definition, when it can be read (used for display only).
    async fn role_name_of(
        &self,
        scope: &Scope,
        guid: &Uuid,
        progress: &Progress,
    ) -> Option<String> {
        let path = format!(
            "{}/providers/Microsoft.Authorization/roleDefinitions/{guid}",
            prefix(scope)
        );
        let url = self
            .client
            .url(&path, &[("api-version", AUTHORIZATION_API_VERSION)])
            .ok()?;
        let value = self.client.get_optional(&url, progress, &[]).await.ok()??;
        super::role_definitions::convert(value)
            .ok()
            .map(|r| r.role_name)
    }

    /// Finds the one role named `name` usable at `scope`: (full id, GUID, role name).
    async fn resolve_role_name(
        &self,
        scope: &Scope,
        name: &str,
        progress: &Progress,
    ) -> Result<(String, Uuid, Option<String>)> {
        let found = self
            .client
            .role_definitions()
            .find_by_name(scope, name, progress)
            .await?;
        match found.as_slice() {
            [] => Err(Error::invalid_argument(
                "roleDefinitionName",
                format!("role '{name}' was not found at scope {scope}"),
            )
            .with_recommended_action(
                "Check the role name, or pass roleDefinitionId when the role was just created.",
            )),
            [one] => {
                let id = one.id.clone().unwrap_or_default();
                let (_, guid) = roles::split_role_definition_id("roleDefinitionId", &id)?;
                Ok((id, guid, Some(one.role_name.clone())))
            }
            many => Err(Error::invalid_argument(
                "roleDefinitionName",
                format!(
                    "{} roles are named '{name}' at scope {scope}: {}",
                    many.len(),
                    many.iter()
                        .filter_map(|r| r.id.as_deref())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
            .with_recommended_action("Pass roleDefinitionId with the id of the role you mean.")),
        }
    }

    /// After `RoleAssignmentExists`: the assignment of this principal and role at the scope.
    async fn find_existing(
        &self,
        scope: &Scope,
        principal: &Uuid,
        role_guid: &Uuid,
        role_name: Option<String>,
        progress: &Progress,
    ) -> Result<Option<RoleAssignment>> {
        let all = self
            .list_raw(scope, Some(principal), true, progress)
            .await?;
        Ok(all
            .into_iter()
            .find(|a| {
                same_triple(a, principal, role_guid)
                    && Scope::parse("scope", &a.scope).is_ok_and(|s| s == *scope)
            })
            .map(|a| RoleAssignment {
                role_definition_name: role_name.clone().or(a.role_definition_name.clone()),
                outcome: Outcome::Unchanged,
                ..a
            }))
    }

    // Limit: listed assignments carry no roleDefinitionName (it is not looked up per role).
    async fn list_raw(
        &self,
        scope: &Scope,
        principal: Option<&Uuid>,
        at_scope: bool,
        progress: &Progress,
    ) -> Result<Vec<RoleAssignment>> {
        let path = format!(
            "{}/providers/Microsoft.Authorization/roleAssignments",
            prefix(scope)
        );
        // ARM takes one filter at a time ("atScope()" or "principalId eq"): with both, ask
        // by principal and keep what lies at or above the scope below.
        let filter = match (principal, at_scope) {
            (Some(p), _) => Some(odata::eq("principalId", &p.to_string())),
            (None, true) => Some("atScope()".to_owned()),
            (None, false) => None,
        };
        let mut query = vec![];
        if let Some(filter) = &filter {
            query.push(("$filter", filter.as_str()));
        }
        query.push(("api-version", AUTHORIZATION_API_VERSION));
        let url = self.client.url(&path, &query)?;
        let items = self.client.get_all_pages(&url, progress).await?;
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            let assignment = convert(item, None, Outcome::Found)?;
            // Keep only what applies here: at or above the scope, and below it unless
            // atScope. Compared by segments, so RG01 is never taken for RG.
            let keep = match Scope::parse("scope", &assignment.scope) {
                Ok(s) => scope.is_at_or_below(&s) || (!at_scope && s.is_at_or_below(scope)),
                Err(_) => true,
            };
            if keep
                && principal
                    .is_none_or(|p| assignment.principal_id.eq_ignore_ascii_case(&p.to_string()))
            {
                out.push(assignment);
            }
        }
        Ok(out)
    }

    fn url_for(&self, scope: &Scope, guid: &Uuid) -> Result<url::Url> {
        let path = format!(
            "{}/providers/Microsoft.Authorization/roleAssignments/{guid}",
            prefix(scope)
        );
        self.client
            .url(&path, &[("api-version", AUTHORIZATION_API_VERSION)])
    }
}

fn check(req: &CreateRoleAssignment) -> Result<Checked> {
    let scope = Scope::parse("scope", &req.scope)?;
    let principal = scope::validate_guid("principalId", &req.principal_id)?;
    let role = match (&req.role_definition_id, &req.role_definition_name) {
        (Some(_), Some(_)) => {
            return Err(Error::invalid_argument(
                "roleDefinitionId",
                "give roleDefinitionId or roleDefinitionName, not both",
            ));
        }
        (None, None) => {
            return Err(Error::invalid_argument(
                "roleDefinitionName",
                "give roleDefinitionName or roleDefinitionId",
            ));
        }
        (Some(id), None) => full_role_id(&scope, id)?,
        (None, Some(name)) => {
            if name.trim().is_empty() {
                return Err(Error::invalid_argument(
                    "roleDefinitionName",
                    "roleDefinitionName '' is empty",
                ));
            }
            RoleRef::Name(name.clone())
        }
    };
    if let Some(kind) = &req.principal_type {
        if !PRINCIPAL_TYPES.contains(&kind.as_str()) {
            return Err(Error::invalid_argument(
                "principalType",
                format!(
                    "principalType '{kind}' is not one of {}",
                    PRINCIPAL_TYPES.join(", ")
                ),
            ));
        }
    }
    let condition = req.condition.clone().filter(|c| !c.trim().is_empty());
    let condition_version = match (&condition, &req.condition_version) {
        (None, Some(version)) => {
            return Err(Error::invalid_argument(
                "conditionVersion",
                format!("conditionVersion '{version}' is given without a condition"),
            ));
        }
        (Some(_), Some(version)) => {
            let major = version
                .split('.')
                .next()
                .and_then(|m| m.parse::<u32>().ok());
            if major.is_none_or(|m| m < 2) {
                return Err(Error::invalid_argument(
                    "conditionVersion",
                    format!("conditionVersion '{version}' must be 2.0 or later"),
                ));
            }
            Some(version.clone())
        }
        (Some(_), None) => Some("2.0".to_owned()),
        (None, None) => None,
    };
    let replication_timeout = match req.replication_timeout_seconds {
        Some(seconds) if seconds > 86_400 => {
            return Err(Error::invalid_argument(
                "replicationTimeoutSeconds",
                format!("replicationTimeoutSeconds '{seconds}' is more than a day"),
            ));
        }
        Some(seconds) => Duration::from_secs(seconds),
        None => DEFAULT_REPLICATION_TIMEOUT,
    };
    Ok(Checked {
        scope,
        principal,
        role,
        principal_type: req.principal_type.clone(),
        description: req.description.clone(),
        condition,
        condition_version,
        replication_timeout,
    })
}

/// A GUID becomes `/subscriptions/{sub of scope}/providers/.../roleDefinitions/{guid}`
/// (or the tenant-level id when the scope has no subscription); a full id is checked.
fn full_role_id(scope: &Scope, id: &str) -> Result<RoleRef> {
    if let Ok(guid) = scope::validate_guid("roleDefinitionId", id) {
        let full = match scope.subscription() {
            Some(sub) => roles::role_definition_id(&sub, &guid),
            None => roles::role_definition_id(&Scope::tenant(), &guid),
        };
        return Ok(RoleRef::Id(full, guid));
    }
    let (_, guid) = roles::split_role_definition_id("roleDefinitionId", id)?;
    Ok(RoleRef::Id(id.to_owned(), guid))
}

fn put_body(checked: &Checked, role_id: &str) -> Value {
    let mut properties = Map::new();
    properties.insert("roleDefinitionId".into(), role_id.into());
    properties.insert("principalId".into(), checked.principal.to_string().into());
    if let Some(kind) = &checked.principal_type {
        properties.insert("principalType".into(), kind.clone().into());
    }
    if let Some(description) = &checked.description {
        properties.insert("description".into(), description.clone().into());
    }
    if let Some(condition) = &checked.condition {
        properties.insert("condition".into(), condition.clone().into());
    }
    if let Some(version) = &checked.condition_version {
        properties.insert("conditionVersion".into(), version.clone().into());
    }
    serde_json::json!({ "properties": properties })
}

/// The GUID at the end of a role definition id, compared case-insensitively.
fn role_guid_of(id: &str) -> Option<Uuid> {
    id.rsplit('/').next().and_then(|g| Uuid::try_parse(g).ok())
}

fn same_triple(a: &RoleAssignment, principal: &Uuid, role_guid: &Uuid) -> bool {
    a.principal_id.eq_ignore_ascii_case(&principal.to_string())
        && role_guid_of(&a.role_definition_id).as_ref() == Some(role_guid)
}

fn convert(value: Value, role_name: Option<String>, outcome: Outcome) -> Result<RoleAssignment> {
    let arm: ArmRoleAssignment = decode("role assignment", value)?;
    let p = arm.properties;
    let scope = match p.scope {
        Some(scope) => scope,
        None => arm
            .id
            .to_ascii_lowercase()
            .rfind("/providers/microsoft.authorization/roleassignments/")
            .map(|i| arm.id[..i].to_owned())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "/".to_owned()),
    };
    Ok(RoleAssignment {
        id: arm.id,
        name: arm.name,
        scope,
        role_definition_id: p.role_definition_id,
        role_definition_name: role_name,
        principal_id: p.principal_id,
        principal_type: p.principal_type,
        description: p.description,
        condition: p.condition,
        condition_version: p.condition_version,
        outcome,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUB: &str = "11111111-1111-1111-1111-111111111111";

    fn request() -> CreateRoleAssignment {
        CreateRoleAssignment {
            scope: format!("/subscriptions/{SUB}/resourceGroups/rg"),
            principal_id: "22222222-2222-2222-2222-222222222222".into(),
            role_definition_id: Some("acdd72a7-3385-48ef-bd42-f606fba81ae7".into()),
            role_definition_name: None,
            principal_type: Some("ServicePrincipal".into()),
            description: None,
            condition: None,
            condition_version: None,
            replication_timeout_seconds: None,
        }
    }

    #[test]
    fn role_guid_becomes_full_id_in_the_scopes_subscription() {
        let checked = check(&request()).expect("valid");
        let RoleRef::Id(id, _) = checked.role else {
            panic!("id expected")
        };
        assert_eq!(
            id,
            format!(
                "/subscriptions/{SUB}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7"
            )
        );
    }

    #[test]
    fn condition_defaults_to_version_two_and_version_alone_is_refused() {
        let mut req = request();
        req.condition = Some("@Resource[x] StringEquals 'y'".into());
        assert_eq!(
            check(&req).expect("valid").condition_version.as_deref(),
            Some("2.0")
        );
        req.condition_version = Some("1.0".into());
        assert_eq!(
            check(&req).err().expect("old").target.as_deref(),
            Some("conditionVersion")
        );
        req.condition = None;
        req.condition_version = Some("2.0".into());
        assert_eq!(
            check(&req).err().expect("alone").target.as_deref(),
            Some("conditionVersion")
        );
    }

    #[test]
    fn bad_inputs_name_their_field() {
        let mut req = request();
        req.principal_id = "not-a-guid".into();
        assert_eq!(
            check(&req).err().expect("bad").target.as_deref(),
            Some("principalId")
        );
        let mut req = request();
        req.principal_type = Some("Robot".into());
        assert_eq!(
            check(&req).err().expect("bad").target.as_deref(),
            Some("principalType")
        );
        let mut req = request();
        req.role_definition_name = Some("Reader".into());
        assert_eq!(
            check(&req).err().expect("both").target.as_deref(),
            Some("roleDefinitionId")
        );
        let mut req = request();
        req.role_definition_id = Some("/subscriptions/x/roleDefinitions".into());
        assert_eq!(
            check(&req).err().expect("bad id").target.as_deref(),
            Some("roleDefinitionId")
        );
    }

    #[test]
    fn put_body_sends_principal_type_only_when_given() {
        let mut req = request();
        let checked = check(&req).expect("valid");
        let body = put_body(&checked, "/x/roleDefinitions/y");
        assert_eq!(body["properties"]["principalType"], "ServicePrincipal");
        req.principal_type = None;
        let checked = check(&req).expect("valid");
        let body = put_body(&checked, "/x/roleDefinitions/y");
        assert!(body["properties"].get("principalType").is_none());
    }

    #[test]
    fn role_definition_guid_is_matched_whatever_the_id_prefix() {
        let value = serde_json::json!({
            "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Authorization/roleAssignments/a",
            "name": "a",
            "properties": {
                "roleDefinitionId": "/providers/Microsoft.Authorization/roleDefinitions/ACDD72A7-3385-48EF-BD42-F606FBA81AE7",
                "principalId": "22222222-2222-2222-2222-222222222222",
                "scope": "/subscriptions/s/resourceGroups/rg"
            }
        });
        let assignment = convert(value, None, Outcome::Found).expect("converts");
        let principal = Uuid::parse_str("22222222-2222-2222-2222-222222222222").expect("uuid");
        let role = Uuid::parse_str("acdd72a7-3385-48ef-bd42-f606fba81ae7").expect("uuid");
        assert!(same_triple(&assignment, &principal, &role));
    }
}
