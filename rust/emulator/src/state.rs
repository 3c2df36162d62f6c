//! The emulated directory and subscriptions: everything ARM requests read and change.

use crate::builtins::BUILT_IN_ROLES;
use crate::scope::Scope;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

#[derive(Clone, Debug)]
pub struct ResourceGroup {
    pub subscription_id: String,
    pub name: String,
    pub location: String,
    pub tags: Map<String, Value>,
}

#[derive(Clone, Debug)]
pub struct Identity {
    pub subscription_id: String,
    pub resource_group: String,
    pub name: String,
    pub location: String,
    pub tags: Map<String, Value>,
    pub principal_id: String,
    pub client_id: String,
    /// `None` or `Regional` (2024-11-30 and later).
    pub isolation_scope: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Permission {
    pub actions: Vec<String>,
    pub not_actions: Vec<String>,
    pub data_actions: Vec<String>,
    pub not_data_actions: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct RoleDefinition {
    /// The GUID, lowercase.
    pub name: String,
    pub role_name: String,
    pub description: Option<String>,
    pub built_in: bool,
    pub permissions: Vec<Permission>,
    pub assignable_scopes: Vec<Scope>,
    pub created_on: Option<String>,
    pub updated_on: Option<String>,
    pub created_by: Option<String>,
    pub updated_by: Option<String>,
    /// Hidden from reads until this instant (read-after-write delay).
    pub visible_at: Instant,
}

#[derive(Clone, Debug)]
pub struct RoleAssignment {
    /// The GUID, lowercase.
    pub name: String,
    pub scope: Scope,
    /// The role definition's GUID, lowercase.
    pub role_guid: String,
    pub principal_id: String,
    pub principal_type: String,
    pub description: Option<String>,
    pub condition: Option<String>,
    pub condition_version: Option<String>,
    pub delegated_managed_identity_resource_id: Option<String>,
    pub created_on: String,
    pub updated_on: String,
    pub created_by: String,
    pub updated_by: String,
    pub seq: u64,
}

#[derive(Clone, Debug)]
pub struct Principal {
    pub kind: String,
    /// Unknown to authorization until this instant (replication delay).
    pub visible_at: Instant,
}

/// All emulated data. Keys are lowercase; values keep the casing clients sent.
#[derive(Debug)]
pub struct Store {
    pub tenant_id: String,
    pub subscriptions: Vec<String>,
    pub groups: BTreeMap<(String, String), ResourceGroup>,
    pub identities: BTreeMap<(String, String, String), Identity>,
    pub role_definitions: BTreeMap<String, RoleDefinition>,
    pub role_assignments: BTreeMap<String, RoleAssignment>,
    pub principals: HashMap<String, Principal>,
    pub seq: u64,
}

impl Store {
    pub fn new(tenant_id: &str, subscriptions: &[String], service_principal_id: &str) -> Self {
        let mut store = Self {
            tenant_id: tenant_id.to_owned(),
            subscriptions: subscriptions.iter().map(|s| s.to_lowercase()).collect(),
            groups: BTreeMap::new(),
            identities: BTreeMap::new(),
            role_definitions: BTreeMap::new(),
            role_assignments: BTreeMap::new(),
            principals: HashMap::new(),
            seq: 0,
        };
        let now = Instant::now();
        for role in BUILT_IN_ROLES {
            store.role_definitions.insert(
                role.name.to_owned(),
                RoleDefinition {
                    name: role.name.to_owned(),
                    role_name: role.role_name.to_owned(),
                    description: Some(role.description.to_owned()),
                    built_in: true,
                    permissions: vec![Permission {
                        actions: strings(role.actions),
                        not_actions: strings(role.not_actions),
                        data_actions: strings(role.data_actions),
                        not_data_actions: Vec::new(),
                    }],
                    assignable_scopes: vec![Scope::root()],
                    created_on: Some("2015-02-02T21:55:09.8806423Z".into()),
                    updated_on: Some("2021-11-11T20:13:47.8628684Z".into()),
                    created_by: None,
                    updated_by: None,
                    visible_at: now,
                },
            );
        }
        store.principals.insert(
            service_principal_id.to_lowercase(),
            Principal {
                kind: "ServicePrincipal".into(),
                visible_at: now,
            },
        );
        store
    }

    pub fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    pub fn has_subscription(&self, id: &str) -> bool {
        self.subscriptions.contains(&id.to_lowercase())
    }

    pub fn group(&self, subscription: &str, name: &str) -> Option<&ResourceGroup> {
        self.groups
            .get(&(subscription.to_lowercase(), name.to_lowercase()))
    }

    /// A definition visible now (built-in, or custom past its read-after-write delay).
    pub fn visible_definition(&self, guid: &str, now: Instant) -> Option<&RoleDefinition> {
        self.role_definitions
            .get(&guid.to_lowercase())
            .filter(|d| d.visible_at <= now)
    }

    /// Custom definitions with this display name (any visibility), case-insensitively.
    pub fn definitions_named(&self, role_name: &str) -> impl Iterator<Item = &RoleDefinition> {
        self.role_definitions
            .values()
            .filter(move |d| d.role_name.eq_ignore_ascii_case(role_name))
    }

    /// Removes a resource group with its identities and the assignments at or below it.
    pub fn remove_group(&mut self, subscription: &str, name: &str) -> Option<ResourceGroup> {
        let key = (subscription.to_lowercase(), name.to_lowercase());
        let group = self.groups.remove(&key)?;
        let removed: Vec<_> = self
            .identities
            .keys()
            .filter(|(s, g, _)| *s == key.0 && *g == key.1)
            .cloned()
            .collect();
        for id_key in removed {
            if let Some(identity) = self.identities.remove(&id_key) {
                self.principals.remove(&identity.principal_id);
            }
        }
        let scope = Scope::from_segments(vec![
            "subscriptions".into(),
            group.subscription_id.clone(),
            "resourceGroups".into(),
            group.name.clone(),
        ]);
        self.role_assignments
            .retain(|_, a| !scope.contains(&a.scope));
        Some(group)
    }

    /// A JSON dump of everything except built-in roles, for the control endpoint.
    pub fn dump(&self) -> Value {
        let groups: Vec<Value> = self.groups.values().map(render_group).collect();
        let identities: Vec<Value> = self
            .identities
            .values()
            .map(|i| render_identity(i, &self.tenant_id, "2023-01-31"))
            .collect();
        let definitions: Vec<Value> = self
            .role_definitions
            .values()
            .filter(|d| !d.built_in)
            .map(|d| render_definition(d, &Scope::root()))
            .collect();
        let assignments: Vec<Value> = self
            .role_assignments
            .values()
            .map(render_assignment)
            .collect();
        json!({
            "tenantId": self.tenant_id,
            "subscriptions": self.subscriptions,
            "resourceGroups": groups,
            "userAssignedIdentities": identities,
            "roleDefinitions": definitions,
            "roleAssignments": assignments,
        })
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

pub fn group_id(group: &ResourceGroup) -> String {
    format!(
        "/subscriptions/{}/resourceGroups/{}",
        group.subscription_id, group.name
    )
}

pub fn render_group(group: &ResourceGroup) -> Value {
    json!({
        "id": group_id(group),
        "name": group.name,
        "type": "Microsoft.Resources/resourceGroups",
        "location": group.location,
        "tags": group.tags,
        "properties": { "provisioningState": "Succeeded" },
    })
}

pub fn identity_id(identity: &Identity) -> String {
    format!(
        "/subscriptions/{}/resourcegroups/{}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{}",
        identity.subscription_id, identity.resource_group, identity.name
    )
}

pub fn render_identity(identity: &Identity, tenant_id: &str, api_version: &str) -> Value {
    let mut properties = json!({
        "tenantId": tenant_id,
        "principalId": identity.principal_id,
        "clientId": identity.client_id,
    });
    // isolationScope arrived with 2024-11-30.
    if api_version >= "2024-11-30" {
        properties["isolationScope"] = json!(identity.isolation_scope);
    }
    json!({
        "id": identity_id(identity),
        "name": identity.name,
        "type": "Microsoft.ManagedIdentity/userAssignedIdentities",
        "location": identity.location,
        "tags": identity.tags,
        "properties": properties,
    })
}

/// The id a role definition has when read at `scope`: ARM reports it under the
/// subscription of the request, or at the tenant root above any subscription.
pub fn definition_id(guid: &str, scope: &Scope) -> String {
    match scope.subscription_id() {
        Some(sub) => {
            format!("/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/{guid}")
        }
        None => format!("/providers/Microsoft.Authorization/roleDefinitions/{guid}"),
    }
}

pub fn render_definition(definition: &RoleDefinition, scope: &Scope) -> Value {
    let permissions: Vec<Value> = definition
        .permissions
        .iter()
        .map(|p| {
            json!({
                "actions": p.actions,
                "notActions": p.not_actions,
                "dataActions": p.data_actions,
                "notDataActions": p.not_data_actions,
            })
        })
        .collect();
    let scopes: Vec<String> = definition
        .assignable_scopes
        .iter()
        .map(Scope::to_string)
        .collect();
    json!({
        "properties": {
            "roleName": definition.role_name,
            "type": if definition.built_in { "BuiltInRole" } else { "CustomRole" },
            "description": definition.description,
            "assignableScopes": scopes,
            "permissions": permissions,
            "createdOn": definition.created_on,
            "updatedOn": definition.updated_on,
            "createdBy": definition.created_by,
            "updatedBy": definition.updated_by,
        },
        "id": definition_id(&definition.name, scope),
        "type": "Microsoft.Authorization/roleDefinitions",
        "name": definition.name,
    })
}

pub fn assignment_id(assignment: &RoleAssignment) -> String {
    let scope = if assignment.scope.is_root() {
        String::new()
    } else {
        assignment.scope.to_string()
    };
    format!(
        "{scope}/providers/Microsoft.Authorization/roleAssignments/{}",
        assignment.name
    )
}

pub fn render_assignment(assignment: &RoleAssignment) -> Value {
    json!({
        "properties": {
            "roleDefinitionId": definition_id(&assignment.role_guid, &assignment.scope),
            "principalId": assignment.principal_id,
            "principalType": assignment.principal_type,
            "scope": assignment.scope.to_string(),
            "condition": assignment.condition,
            "conditionVersion": assignment.condition_version,
            "createdOn": assignment.created_on,
            "updatedOn": assignment.updated_on,
            "createdBy": assignment.created_by,
            "updatedBy": assignment.updated_by,
            "delegatedManagedIdentityResourceId": assignment.delegated_managed_identity_resource_id,
            "description": assignment.description,
        },
        "id": assignment_id(assignment),
        "type": "Microsoft.Authorization/roleAssignments",
        "name": assignment.name,
    })
}
