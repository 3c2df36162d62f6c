//! AIB scenarios to role definitions, Az role file formats and action validation.
//!
//! Everything here is offline: no client, no network. Role definition and role assignment
//! names are UUID v5 values derived from normalized inputs, so a rerun computes the same
//! names and finds what the previous run created.

// The crate's one error type is flat by design (see error.rs); boxing it here would split
// the API in two.
#![allow(clippy::result_large_err)]

mod action;
pub mod builtin;
mod file;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::arm::scope::{self, Scope, ScopeKind};
use crate::{Error, Result};

pub use action::{action_matches, validate_action};
pub use file::{RoleFileFormat, parse_role_file, render_role_file};

/// The namespace of every UUID v5 this project derives.
pub const NAMESPACE: uuid::Uuid = uuid::uuid!("41986ad3-9c95-4b6f-8589-b42faa676bc7");

/// `roleType` of a custom role.
pub const CUSTOM_ROLE: &str = "CustomRole";
/// `roleType` of a built-in role.
pub const BUILT_IN_ROLE: &str = "BuiltInRole";

/// A role definition as the module and the C ABI see it (ARM's properties, flattened).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleDefinition {
    /// Full id `{scope}/providers/Microsoft.Authorization/roleDefinitions/{guid}`.
    pub id: Option<String>,
    /// The GUID.
    pub name: Option<String>,
    pub role_name: String,
    pub description: String,
    /// `CustomRole` or `BuiltInRole`.
    pub role_type: String,
    pub actions: Vec<String>,
    pub not_actions: Vec<String>,
    pub data_actions: Vec<String>,
    pub not_data_actions: Vec<String>,
    pub assignable_scopes: Vec<String>,
}

/// An AIB build scenario, or one of the two bundles of the documented sample files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scenario {
    ManagedImageDistribution,
    GalleryDistribution,
    ManagedImageSource,
    GallerySource,
    ExistingVirtualNetwork,
    BuildVmIdentity,
    StorageScripts,
    StagingResourceGroup,
    /// GalleryDistribution + ManagedImageDistribution, as `aibRoleImageCreation.json`.
    ImageCreation,
    /// ExistingVirtualNetwork, as `aibRoleNetworking.json`.
    Networking,
}

const ALL_SCENARIOS: [Scenario; 10] = [
    Scenario::ManagedImageDistribution,
    Scenario::GalleryDistribution,
    Scenario::ManagedImageSource,
    Scenario::GallerySource,
    Scenario::ExistingVirtualNetwork,
    Scenario::BuildVmIdentity,
    Scenario::StorageScripts,
    Scenario::StagingResourceGroup,
    Scenario::ImageCreation,
    Scenario::Networking,
];

const GALLERY_READ: [&str; 3] = [
    "Microsoft.Compute/galleries/read",
    "Microsoft.Compute/galleries/images/read",
    "Microsoft.Compute/galleries/images/versions/read",
];
const GALLERY_VERSION_WRITE: &str = "Microsoft.Compute/galleries/images/versions/write";
const IMAGE_WRITE: &str = "Microsoft.Compute/images/write";
const IMAGE_READ: &str = "Microsoft.Compute/images/read";
const IMAGE_DELETE: &str = "Microsoft.Compute/images/delete";
const VNET_READ: &str = "Microsoft.Network/virtualNetworks/read";
const SUBNET_JOIN: &str = "Microsoft.Network/virtualNetworks/subnets/join/action";
const IDENTITY_ASSIGN: &str = "Microsoft.ManagedIdentity/userAssignedIdentities/assign/action";

impl Scenario {
    /// Every scenario, the eight single ones first, then the two bundles.
    pub fn all() -> &'static [Scenario] {
        &ALL_SCENARIOS
    }

    /// The name used on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Scenario::ManagedImageDistribution => "ManagedImageDistribution",
            Scenario::GalleryDistribution => "GalleryDistribution",
            Scenario::ManagedImageSource => "ManagedImageSource",
            Scenario::GallerySource => "GallerySource",
            Scenario::ExistingVirtualNetwork => "ExistingVirtualNetwork",
            Scenario::BuildVmIdentity => "BuildVmIdentity",
            Scenario::StorageScripts => "StorageScripts",
            Scenario::StagingResourceGroup => "StagingResourceGroup",
            Scenario::ImageCreation => "ImageCreation",
            Scenario::Networking => "Networking",
        }
    }

    /// The words used in default role names ("Azure Image Builder {title} (...)").
    pub fn title(self) -> &'static str {
        match self {
            Scenario::ManagedImageDistribution => "Managed Image Distribution",
            Scenario::GalleryDistribution => "Gallery Distribution",
            Scenario::ManagedImageSource => "Managed Image Source",
            Scenario::GallerySource => "Gallery Source",
            Scenario::ExistingVirtualNetwork => "Existing Virtual Network",
            Scenario::BuildVmIdentity => "Build VM Identity",
            Scenario::StorageScripts => "Storage Scripts",
            Scenario::StagingResourceGroup => "Staging Resource Group",
            Scenario::ImageCreation => "Image Creation",
            Scenario::Networking => "Networking",
        }
    }

    /// The built-in role `(roleName, guid)` this scenario assigns, or `None` for a custom
    /// role.
    pub fn builtin_role(self) -> Option<(&'static str, &'static str)> {
        match self {
            Scenario::StorageScripts => Some((
                "Storage Blob Data Reader",
                builtin::STORAGE_BLOB_DATA_READER,
            )),
            Scenario::StagingResourceGroup => Some(("Contributor", builtin::CONTRIBUTOR)),
            _ => None,
        }
    }

    /// The actions of the custom role, in the order of the documented samples.
    pub fn actions(self) -> Vec<&'static str> {
        match self {
            Scenario::ManagedImageDistribution => vec![IMAGE_WRITE, IMAGE_READ, IMAGE_DELETE],
            Scenario::GalleryDistribution => {
                let mut v = GALLERY_READ.to_vec();
                v.push(GALLERY_VERSION_WRITE);
                v
            }
            Scenario::ManagedImageSource => vec![IMAGE_READ],
            Scenario::GallerySource => GALLERY_READ.to_vec(),
            Scenario::ExistingVirtualNetwork | Scenario::Networking => {
                vec![VNET_READ, SUBNET_JOIN]
            }
            Scenario::BuildVmIdentity => vec![IDENTITY_ASSIGN],
            Scenario::ImageCreation => {
                let mut v = Scenario::GalleryDistribution.actions();
                v.extend(Scenario::ManagedImageDistribution.actions());
                v
            }
            Scenario::StorageScripts | Scenario::StagingResourceGroup => Vec::new(),
        }
    }

    /// The default description of the custom role.
    pub fn description(self) -> &'static str {
        match self {
            Scenario::ManagedImageDistribution => {
                "Image Builder access to write, read and delete the managed images it distributes"
            }
            Scenario::GalleryDistribution => {
                "Image Builder access to read galleries and write the image versions it distributes"
            }
            Scenario::ManagedImageSource => {
                "Image Builder access to read the managed image used as the build source"
            }
            Scenario::GallerySource => {
                "Image Builder access to read the gallery image version used as the build source"
            }
            Scenario::ExistingVirtualNetwork => {
                "Image Builder access to join the build VM to a subnet of an existing virtual network"
            }
            Scenario::BuildVmIdentity => {
                "Image Builder access to assign a user-assigned identity to the build VM"
            }
            Scenario::StorageScripts => {
                "Allows for read access to Azure Storage blob containers and data"
            }
            Scenario::StagingResourceGroup => {
                "Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC"
            }
            Scenario::ImageCreation => {
                "Image Builder access to create resources for the image build, you should delete or split out as appropriate"
            }
            Scenario::Networking => "Image Builder access to create resources for the image build",
        }
    }
}

impl fmt::Display for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Scenario {
    type Err = Error;

    /// Case-insensitive; an unknown name is `InvalidArgument` (target `scenario`) listing the
    /// valid names.
    fn from_str(s: &str) -> Result<Self> {
        ALL_SCENARIOS
            .iter()
            .copied()
            .find(|sc| sc.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                let names: Vec<&str> = ALL_SCENARIOS.iter().map(|sc| sc.name()).collect();
                Error::invalid_argument(
                    "scenario",
                    format!(
                        "unknown scenario '{s}'; valid scenarios: {}",
                        names.join(", ")
                    ),
                )
            })
    }
}

impl Serialize for Scenario {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Scenario {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse()
            .map_err(|e: Error| serde::de::Error::custom(e.message))
    }
}

/// What to generate: a scenario and where. Give either `scope`, or `subscriptionId` and
/// `resourceGroupName`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GenerateRequest {
    /// A scenario name (case-insensitive), checked by [`generate`] so that an unknown name is
    /// reported against the field `scenario`.
    pub scenario: String,
    #[serde(default)]
    pub subscription_id: Option<String>,
    #[serde(default)]
    pub resource_group_name: Option<String>,
    #[serde(default)]
    pub scope: Option<String>,
    /// Overrides the default, deterministic role name.
    #[serde(default)]
    pub role_name: Option<String>,
    /// Overrides the scenario's description.
    #[serde(default)]
    pub description: Option<String>,
}

impl GenerateRequest {
    /// The scope the request names, checked.
    pub fn resolve_scope(&self) -> Result<Scope> {
        let has_parts = self.subscription_id.is_some() || self.resource_group_name.is_some();
        match (&self.scope, has_parts) {
            (Some(_), true) => Err(Error::invalid_argument(
                "scope",
                "give either scope, or subscriptionId and resourceGroupName, not both",
            )),
            (Some(text), false) => Scope::parse("scope", text),
            (None, _) => {
                let Some(sub) = self.subscription_id.as_deref() else {
                    return Err(Error::invalid_argument(
                        "subscriptionId",
                        "subscriptionId is required when no scope is given",
                    ));
                };
                let Some(rg) = self.resource_group_name.as_deref() else {
                    return Err(Error::invalid_argument(
                        "resourceGroupName",
                        "resourceGroupName is required when no scope is given",
                    ));
                };
                scope::resource_group_scope(sub, rg)
            }
        }
    }
}

/// Builds the role definition a scenario needs at the requested scope.
///
/// Custom roles get a deterministic name (GUID) and id at the scope; built-in scenarios
/// return the built-in role (`roleType: "BuiltInRole"`, its documented GUID).
pub fn generate(req: &GenerateRequest) -> Result<RoleDefinition> {
    let scenario: Scenario = req.scenario.parse()?;
    let scope = req.resolve_scope()?;
    if let Some(text) = req.role_name.as_deref() {
        check_role_name("roleName", text)?;
    }

    if let Some((role_name, guid)) = scenario.builtin_role() {
        if req.role_name.is_some() || req.description.is_some() {
            return Err(Error::invalid_argument(
                if req.role_name.is_some() {
                    "roleName"
                } else {
                    "description"
                },
                format!(
                    "scenario {scenario} uses the built-in role '{role_name}', \
                     whose name and description cannot be changed"
                ),
            ));
        }
        let mut role = builtin::definition(guid)
            .ok_or_else(|| Error::internal(format!("built-in role {guid} has no definition")))?;
        role.id = Some(builtin_role_id(&scope, guid));
        return Ok(role);
    }

    if scope.kind() == ScopeKind::Tenant {
        return Err(Error::invalid_argument(
            "scope",
            "a custom role cannot be assignable at the tenant root '/'",
        ));
    }
    let role_name = match req.role_name.as_deref() {
        Some(name) => name.to_string(),
        None => default_role_name(scenario, &scope),
    };
    let description = req
        .description
        .clone()
        .unwrap_or_else(|| scenario.description().to_string());
    let guid = role_definition_guid(&scope, &role_name);
    Ok(RoleDefinition {
        id: Some(role_definition_id(&scope, &guid)),
        name: Some(guid.to_string()),
        role_name,
        description,
        role_type: CUSTOM_ROLE.to_string(),
        actions: scenario.actions().into_iter().map(String::from).collect(),
        not_actions: Vec::new(),
        data_actions: Vec::new(),
        not_data_actions: Vec::new(),
        assignable_scopes: vec![scope.as_str().to_string()],
    })
}

/// "Azure Image Builder {title} ({resourceGroup}, {subscriptionId})" at a resource group,
/// "Azure Image Builder {title} ({scope})" elsewhere.
pub fn default_role_name(scenario: Scenario, scope: &Scope) -> String {
    let title = scenario.title();
    match (
        scope.kind(),
        scope.resource_group(),
        scope.subscription_id(),
    ) {
        (ScopeKind::ResourceGroup, Some(rg), Some(sub)) => {
            format!("Azure Image Builder {title} ({rg}, {sub})")
        }
        _ => format!("Azure Image Builder {title} ({scope})"),
    }
}

/// `{scope}/providers/Microsoft.Authorization/roleDefinitions/{guid}`.
pub fn role_definition_id(scope: &Scope, guid: &uuid::Uuid) -> String {
    let prefix = if scope.kind() == ScopeKind::Tenant {
        ""
    } else {
        scope.as_str()
    };
    format!("{prefix}/providers/Microsoft.Authorization/roleDefinitions/{guid}")
}

/// The id ARM gives a built-in role seen from `scope`: below a subscription
/// `/subscriptions/{sub}/providers/...`, otherwise `/providers/...`.
pub fn builtin_role_id(scope: &Scope, guid: &str) -> String {
    match scope.subscription_id() {
        Some(sub) => {
            format!("/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/{guid}")
        }
        None => format!("/providers/Microsoft.Authorization/roleDefinitions/{guid}"),
    }
}

/// The deterministic name of a role definition: UUID v5 over
/// `"roleDefinition\n{scope key}\n{lowercase role name}"`.
pub fn role_definition_guid(assignable_scope: &Scope, role_name: &str) -> uuid::Uuid {
    let input = format!(
        "roleDefinition\n{}\n{}",
        assignable_scope.key(),
        role_name.to_lowercase()
    );
    uuid::Uuid::new_v5(&NAMESPACE, input.as_bytes())
}

/// The deterministic name of a role assignment: UUID v5 over
/// `"roleAssignment\n{scope key}\n{principal}\n{role definition guid}"` (GUIDs lowercase).
pub fn role_assignment_guid(
    scope: &Scope,
    principal_id: &uuid::Uuid,
    role_definition_guid: &uuid::Uuid,
) -> uuid::Uuid {
    let input = format!(
        "roleAssignment\n{}\n{}\n{}",
        scope.key(),
        principal_id.hyphenated(),
        role_definition_guid.hyphenated()
    );
    uuid::Uuid::new_v5(&NAMESPACE, input.as_bytes())
}

/// Checks a role definition before it is written or sent: a role name, at least one action
/// or data action, every action well formed, at least one assignable scope and each valid,
/// `name` a GUID matching the end of `id`. Targets use the Az file names (`Name`,
/// `Actions[2]`, `AssignableScopes[0]`).
pub fn validate_role(role: &RoleDefinition) -> Result<()> {
    check_role_name("Name", &role.role_name)?;
    if role.role_type != CUSTOM_ROLE && role.role_type != BUILT_IN_ROLE {
        return Err(Error::invalid_argument(
            "roleType",
            format!(
                "role type '{}' is neither '{CUSTOM_ROLE}' nor '{BUILT_IN_ROLE}'",
                role.role_type
            ),
        ));
    }
    if role.actions.is_empty() && role.data_actions.is_empty() {
        return Err(Error::invalid_argument(
            "Actions",
            "a role needs at least one entry in Actions or DataActions",
        ));
    }
    let lists = [
        ("Actions", &role.actions),
        ("NotActions", &role.not_actions),
        ("DataActions", &role.data_actions),
        ("NotDataActions", &role.not_data_actions),
    ];
    for (field, list) in lists {
        for (i, action) in list.iter().enumerate() {
            validate_action(&format!("{field}[{i}]"), action)?;
        }
    }
    if role.assignable_scopes.is_empty() {
        return Err(Error::invalid_argument(
            "AssignableScopes",
            "a role needs at least one assignable scope",
        ));
    }
    for (i, text) in role.assignable_scopes.iter().enumerate() {
        let field = format!("AssignableScopes[{i}]");
        let parsed = Scope::parse(&field, text)?;
        if parsed.kind() == ScopeKind::Tenant && role.role_type == CUSTOM_ROLE {
            return Err(Error::invalid_argument(
                field,
                "a custom role cannot be assignable at the tenant root '/'",
            ));
        }
    }
    if let Some(name) = role.name.as_deref() {
        let guid = scope::validate_guid("Id", name)?;
        if let Some(id) = role.id.as_deref() {
            let (_, id_guid) = split_role_definition_id("Id", id)?;
            if id_guid != guid {
                return Err(Error::invalid_argument(
                    "Id",
                    format!("role definition id '{id}' does not end with the role's name '{name}'"),
                ));
            }
        }
    } else if let Some(id) = role.id.as_deref() {
        split_role_definition_id("Id", id)?;
    }
    Ok(())
}

/// Splits `{scope}/providers/Microsoft.Authorization/roleDefinitions/{guid}` into the scope
/// text (`""` at the tenant root) and the GUID.
pub fn split_role_definition_id(field: &str, id: &str) -> Result<(String, uuid::Uuid)> {
    const MARKER: &str = "/providers/microsoft.authorization/roledefinitions/";
    let lower = id.to_ascii_lowercase();
    let Some(pos) = lower.rfind(MARKER) else {
        return Err(Error::invalid_argument(
            field,
            format!(
                "'{id}' is neither a GUID nor a role definition id \
                 ('.../providers/Microsoft.Authorization/roleDefinitions/{{guid}}')"
            ),
        ));
    };
    let guid_text = &id[pos + MARKER.len()..];
    let guid = scope::validate_guid(field, guid_text)?;
    let scope_text = &id[..pos];
    if !scope_text.is_empty() {
        Scope::parse(field, scope_text)?;
    }
    Ok((scope_text.to_string(), guid))
}

fn check_role_name(field: &str, name: &str) -> Result<()> {
    if name.trim().is_empty() {
        return Err(Error::invalid_argument(field, "the role name is empty"));
    }
    if name.chars().any(char::is_control) {
        return Err(Error::invalid_argument(
            field,
            format!(
                "the role name '{}' contains a control character",
                name.escape_debug()
            ),
        ));
    }
    Ok(())
}
