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
pub const UUID_NAMESPACE: uuid::Uuid = uuid::uuid!("41986ad3-9c95-4b6f-8589-b42faa676bc7");

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
                "Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC, manage assignments in Azure Blueprints, or share image galleries."
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
    uuid::Uuid::new_v5(&UUID_NAMESPACE, input.as_bytes())
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
    uuid::Uuid::new_v5(&UUID_NAMESPACE, input.as_bytes())
}

/// True when `role` grants the control-plane `action`: some entry of `actions` matches it and
/// no entry of `not_actions` does (ARM's wildcard rules, case-insensitive).
pub fn role_grants_action(role: &RoleDefinition, action: &str) -> bool {
    grants(&role.actions, &role.not_actions, action)
}

/// True when `role` grants the data-plane `data_action` (`data_actions` minus
/// `not_data_actions`).
pub fn role_grants_data_action(role: &RoleDefinition, data_action: &str) -> bool {
    grants(&role.data_actions, &role.not_data_actions, data_action)
}

fn grants(allowed: &[String], denied: &[String], action: &str) -> bool {
    allowed.iter().any(|p| action_matches(p, action))
        && !denied.iter().any(|p| action_matches(p, action))
}

/// Checks a role definition before it is written or sent: a role name, at least one action
/// or data action, every action well formed, at least one assignable scope and each valid,
/// `name` a GUID matching the end of `id`. Targets use the Az file names (`Name`,
/// `Actions[2]`, `AssignableScopes[0]`).
pub fn validate_role(role: &RoleDefinition) -> Result<()> {
    validate_role_at(role, "")
}

/// [`validate_role`] with the targets of the action lists prefixed (`Permissions[0].`).
fn validate_role_at(role: &RoleDefinition, lists_prefix: &str) -> Result<()> {
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
            format!("{lists_prefix}Actions"),
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
            validate_action(&format!("{lists_prefix}{field}[{i}]"), action)?;
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

#[cfg(test)]
pub(crate) mod test_support {
    pub const SUB: &str = "6f1c0f3e-2b7a-4d8e-9c51-0a7d3e2f4b19";

    /// The published digests of the AIB sample files (tests/data/aib-samples/README.md).
    const SAMPLES: [(&str, usize, &str); 2] = [
        (
            "aibRoleImageCreation.json",
            714,
            "9be30fbd845177634d866ecf9869bb9c34a07d6a14800d4275dc9933ba50f65e",
        ),
        (
            "aibRoleNetworking.json",
            439,
            "62a1adf251ba32e895b4bc7f797e725032ddeb4a5fe265873d638434baf34ffa",
        ),
    ];

    /// The bytes of a sample file, after checking they are the published ones.
    pub fn sample_file(name: &str) -> Vec<u8> {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/aib-samples");
        let path = dir.join(name);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| {
            panic!(
                "the AIB sample file {} is missing ({e}); it is part of the repository",
                path.display()
            )
        });
        let (_, len, digest) = SAMPLES
            .iter()
            .find(|(n, _, _)| *n == name)
            .unwrap_or_else(|| panic!("{name} is not one of the sample files"));
        assert_eq!(bytes.len(), *len, "{} has been altered", path.display());
        assert_eq!(
            sha256_hex(&bytes),
            *digest,
            "{} has been altered",
            path.display()
        );
        bytes
    }

    /// SHA-256 (FIPS 180-4), enough to check test data without another dependency.
    pub fn sha256_hex(data: &[u8]) -> String {
        const K: [u32; 64] = [
            0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
            0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
            0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
            0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
            0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
            0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
            0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
            0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
            0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
            0xc67178f2,
        ];
        let mut h: [u32; 8] = [
            0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
            0x5be0cd19,
        ];
        let mut msg = data.to_vec();
        msg.push(0x80);
        while msg.len() % 64 != 56 {
            msg.push(0);
        }
        msg.extend_from_slice(&((data.len() as u64) * 8).to_be_bytes());
        for block in msg.chunks_exact(64) {
            let mut w = [0u32; 64];
            for (i, word) in block.chunks_exact(4).enumerate() {
                w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
            }
            for i in 16..64 {
                let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
                let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
                w[i] = w[i - 16]
                    .wrapping_add(s0)
                    .wrapping_add(w[i - 7])
                    .wrapping_add(s1);
            }
            let mut v = h;
            for i in 0..64 {
                let s1 = v[4].rotate_right(6) ^ v[4].rotate_right(11) ^ v[4].rotate_right(25);
                let ch = (v[4] & v[5]) ^ (!v[4] & v[6]);
                let t1 = v[7]
                    .wrapping_add(s1)
                    .wrapping_add(ch)
                    .wrapping_add(K[i])
                    .wrapping_add(w[i]);
                let s0 = v[0].rotate_right(2) ^ v[0].rotate_right(13) ^ v[0].rotate_right(22);
                let maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
                let t2 = s0.wrapping_add(maj);
                v = [
                    t1.wrapping_add(t2),
                    v[0],
                    v[1],
                    v[2],
                    v[3].wrapping_add(t1),
                    v[4],
                    v[5],
                    v[6],
                ];
            }
            for (hi, vi) in h.iter_mut().zip(v) {
                *hi = hi.wrapping_add(vi);
            }
        }
        h.iter().map(|x| format!("{x:08x}")).collect()
    }

    #[test]
    fn sha256_matches_the_standard_test_vectors() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            sha256_hex(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::{SUB, sample_file};
    use super::*;

    fn at_rg(scenario: &str, rg: &str) -> GenerateRequest {
        GenerateRequest {
            scenario: scenario.into(),
            subscription_id: Some(SUB.into()),
            resource_group_name: Some(rg.into()),
            ..Default::default()
        }
    }

    fn at_scope(scenario: &str, scope: &str) -> GenerateRequest {
        GenerateRequest {
            scenario: scenario.into(),
            scope: Some(scope.into()),
            ..Default::default()
        }
    }

    fn gen_ok(req: &GenerateRequest) -> RoleDefinition {
        generate(req).unwrap_or_else(|e| panic!("{req:?}: {} ({:?})", e.message, e.target))
    }

    fn sample_role(file: &str) -> RoleDefinition {
        let text = String::from_utf8(sample_file(file))
            .unwrap()
            .replace("<subscriptionID>", SUB)
            .replace("<rgName>", "rg")
            .replace("<vnetRgName>", "rg");
        parse_role_file(text.as_bytes()).unwrap().1
    }

    #[test]
    fn image_creation_bundle_equals_the_sample_file() {
        let sample = sample_role("aibRoleImageCreation.json");
        let role = gen_ok(&at_rg("ImageCreation", "rg"));
        assert_eq!(role.actions, sample.actions);
        assert_eq!(role.not_actions, sample.not_actions);
        assert_eq!(role.data_actions, sample.data_actions);
        assert_eq!(role.description, sample.description);
        assert_eq!(role.assignable_scopes, sample.assignable_scopes);
    }

    #[test]
    fn networking_bundle_equals_the_sample_file() {
        let sample = sample_role("aibRoleNetworking.json");
        let role = gen_ok(&at_rg("Networking", "rg"));
        assert_eq!(role.actions, sample.actions);
        assert_eq!(role.not_actions, sample.not_actions);
        assert_eq!(role.description, sample.description);
        assert_eq!(role.assignable_scopes, sample.assignable_scopes);
    }

    #[test]
    fn image_creation_is_gallery_then_managed_image_distribution() {
        let mut expected = Scenario::GalleryDistribution.actions();
        expected.extend(Scenario::ManagedImageDistribution.actions());
        assert_eq!(Scenario::ImageCreation.actions(), expected);
        assert_eq!(
            Scenario::Networking.actions(),
            Scenario::ExistingVirtualNetwork.actions()
        );
    }

    #[test]
    fn every_custom_scenario_grants_the_documented_actions() {
        let expected: [(&str, &[&str]); 6] = [
            (
                "ManagedImageDistribution",
                &[
                    "Microsoft.Compute/images/write",
                    "Microsoft.Compute/images/read",
                    "Microsoft.Compute/images/delete",
                ],
            ),
            (
                "GalleryDistribution",
                &[
                    "Microsoft.Compute/galleries/read",
                    "Microsoft.Compute/galleries/images/read",
                    "Microsoft.Compute/galleries/images/versions/read",
                    "Microsoft.Compute/galleries/images/versions/write",
                ],
            ),
            ("ManagedImageSource", &["Microsoft.Compute/images/read"]),
            (
                "GallerySource",
                &[
                    "Microsoft.Compute/galleries/read",
                    "Microsoft.Compute/galleries/images/read",
                    "Microsoft.Compute/galleries/images/versions/read",
                ],
            ),
            (
                "ExistingVirtualNetwork",
                &[
                    "Microsoft.Network/virtualNetworks/read",
                    "Microsoft.Network/virtualNetworks/subnets/join/action",
                ],
            ),
            (
                "BuildVmIdentity",
                &["Microsoft.ManagedIdentity/userAssignedIdentities/assign/action"],
            ),
        ];
        for (name, actions) in expected {
            let role = gen_ok(&at_rg(name, "rg"));
            assert_eq!(role.actions, actions, "{name}");
            assert_eq!(role.role_type, "CustomRole");
            assert!(role.not_actions.is_empty() && role.data_actions.is_empty());
            let guid = role.name.clone().unwrap();
            assert_eq!(
                role.id.as_deref().unwrap(),
                format!(
                    "/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.Authorization/roleDefinitions/{guid}"
                )
            );
            validate_role(&role).unwrap();
        }
    }

    #[test]
    fn built_in_scenarios_return_the_built_in_role_by_guid() {
        let container = format!(
            "/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st/blobServices/default/containers/scripts"
        );
        let role = gen_ok(&at_scope("StorageScripts", &container));
        assert_eq!(role.role_type, "BuiltInRole");
        assert_eq!(role.role_name, "Storage Blob Data Reader");
        assert_eq!(
            role.name.as_deref(),
            Some("2a2b9908-6ea1-4ae2-8e65-a410df84e7d1")
        );
        assert_eq!(
            role.id.as_deref(),
            Some(format!("/subscriptions/{SUB}/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1").as_str())
        );

        let role = gen_ok(&at_rg("StagingResourceGroup", "staging"));
        assert_eq!(role.role_name, "Contributor");
        assert_eq!(role.name.as_deref(), Some(builtin::CONTRIBUTOR));

        let role = gen_ok(&at_scope(
            "StagingResourceGroup",
            "/providers/Microsoft.Management/managementGroups/mg",
        ));
        assert_eq!(
            role.id.as_deref(),
            Some(
                "/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c"
            )
        );
        for sc in [Scenario::StorageScripts, Scenario::StagingResourceGroup] {
            let role = gen_ok(&at_rg(sc.name(), "rg"));
            assert_eq!(role.description, sc.description());
            assert_eq!(
                Some(role.role_name.as_str()),
                sc.builtin_role().map(|(n, _)| n)
            );
        }
        let e = generate(&GenerateRequest {
            role_name: Some("x".into()),
            ..at_rg("StorageScripts", "rg")
        })
        .unwrap_err();
        assert_eq!(e.target.as_deref(), Some("roleName"));
    }

    #[test]
    fn all_lists_every_scenario_once_and_names_parse_back() {
        assert_eq!(Scenario::all().len(), 10);
        for sc in Scenario::all() {
            assert_eq!(sc.name().parse::<Scenario>().unwrap(), *sc);
            assert_eq!(sc.name().to_lowercase().parse::<Scenario>().unwrap(), *sc);
            assert_eq!(sc.name().to_uppercase().parse::<Scenario>().unwrap(), *sc);
        }
    }

    #[test]
    fn unknown_scenario_is_rejected_listing_valid_names() {
        let e = generate(&at_rg("ImageCreate", "rg")).unwrap_err();
        assert_eq!(e.kind, crate::ErrorKind::InvalidArgument);
        assert_eq!(e.target.as_deref(), Some("scenario"));
        assert!(e.message.contains("'ImageCreate'"));
        for sc in Scenario::all() {
            assert!(e.message.contains(sc.name()), "{}", e.message);
        }
    }

    #[test]
    fn default_role_names_are_deterministic_and_name_the_scope() {
        let role = gen_ok(&at_rg("ImageCreation", "aibImageRG"));
        assert_eq!(
            role.role_name,
            format!("Azure Image Builder Image Creation (aibImageRG, {SUB})")
        );
        assert_eq!(gen_ok(&at_rg("ImageCreation", "aibImageRG")), role);

        let identity = format!(
            "/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/aibIdentity"
        );
        let role = gen_ok(&at_scope("BuildVmIdentity", &identity));
        assert_eq!(
            role.role_name,
            format!("Azure Image Builder Build VM Identity ({identity})")
        );
        assert_eq!(role.assignable_scopes, vec![identity]);
    }

    #[test]
    fn request_takes_a_scope_or_subscription_and_group_not_both() {
        let mut req = at_rg("Networking", "rg");
        req.scope = Some(format!("/subscriptions/{SUB}"));
        assert_eq!(generate(&req).unwrap_err().target.as_deref(), Some("scope"));

        let req = GenerateRequest {
            scenario: "Networking".into(),
            subscription_id: Some(SUB.into()),
            ..Default::default()
        };
        assert_eq!(
            generate(&req).unwrap_err().target.as_deref(),
            Some("resourceGroupName")
        );
        let req = GenerateRequest {
            scenario: "Networking".into(),
            ..Default::default()
        };
        assert_eq!(
            generate(&req).unwrap_err().target.as_deref(),
            Some("subscriptionId")
        );

        assert_eq!(
            generate(&at_rg("Networking", "bad/rg"))
                .unwrap_err()
                .target
                .as_deref(),
            Some("resourceGroupName")
        );
        assert_eq!(
            generate(&at_scope("Networking", "/"))
                .unwrap_err()
                .target
                .as_deref(),
            Some("scope")
        );
        assert_eq!(
            generate(&at_scope("Networking", "/subscriptions/<sub>"))
                .unwrap_err()
                .target
                .as_deref(),
            Some("scope")
        );
    }

    #[test]
    fn request_json_is_camel_case_and_refuses_unknown_fields() {
        let req: GenerateRequest = serde_json::from_str(&format!(
            r#"{{"scenario": "networking", "subscriptionId": "{SUB}", "resourceGroupName": "rg", "roleName": "My Net"}}"#
        ))
        .unwrap();
        let role = gen_ok(&req);
        assert_eq!(role.role_name, "My Net");
        let bad = serde_json::from_str::<GenerateRequest>(
            r#"{"scenario": "Networking", "resourceGroup": "rg"}"#,
        );
        assert!(bad.unwrap_err().to_string().contains("resourceGroup"));
    }

    #[test]
    fn role_definition_json_uses_camel_case_names() {
        let role = gen_ok(&at_rg("Networking", "rg"));
        let json = serde_json::to_value(&role).unwrap();
        for key in [
            "id",
            "name",
            "roleName",
            "description",
            "roleType",
            "actions",
            "notActions",
            "dataActions",
            "notDataActions",
            "assignableScopes",
        ] {
            assert!(json.get(key).is_some(), "{key}");
        }
        let back: RoleDefinition = serde_json::from_value(json).unwrap();
        assert_eq!(back, role);
    }

    #[test]
    fn role_definition_guid_is_stable_and_case_insensitive_in_scope_and_name() {
        let a = Scope::parse("s", &format!("/subscriptions/{SUB}/resourceGroups/ImageRG")).unwrap();
        let b = Scope::parse(
            "s",
            &format!(
                "/subscriptions/{}/resourcegroups/imagerg/",
                SUB.to_uppercase()
            ),
        )
        .unwrap();
        let g = role_definition_guid(&a, "Image Role");
        assert_eq!(g, role_definition_guid(&a, "Image Role"));
        assert_eq!(g, role_definition_guid(&b, "IMAGE ROLE"));
        assert_ne!(g, role_definition_guid(&a, "Image Role 2"));
        let c = Scope::parse(
            "s",
            &format!("/subscriptions/{SUB}/resourceGroups/ImageRG01"),
        )
        .unwrap();
        assert_ne!(g, role_definition_guid(&c, "Image Role"));
        assert_eq!(g.get_version_num(), 5);
        // Pinned so that a change of the derivation (which would orphan roles made by earlier
        // versions) cannot go unnoticed.
        let input =
            format!("roleDefinition\n/subscriptions/{SUB}/resourcegroups/imagerg\nimage role");
        assert_eq!(
            g,
            uuid::Uuid::new_v5(
                &uuid::uuid!("41986ad3-9c95-4b6f-8589-b42faa676bc7"),
                input.as_bytes()
            )
        );
    }

    #[test]
    fn role_assignment_guid_depends_on_scope_principal_and_role() {
        let scope = Scope::parse("s", &format!("/subscriptions/{SUB}/resourceGroups/rg")).unwrap();
        let upper = Scope::parse("s", &format!("/subscriptions/{SUB}/resourceGroups/RG")).unwrap();
        let p1 = uuid::uuid!("aaaaaaaa-0000-0000-0000-000000000001");
        let p2 = uuid::uuid!("aaaaaaaa-0000-0000-0000-000000000002");
        let r1 = uuid::uuid!("b24988ac-6180-42a0-ab88-20f7382dd24c");
        let r2 = uuid::uuid!("acdd72a7-3385-48ef-bd42-f606fba81ae7");
        let g = role_assignment_guid(&scope, &p1, &r1);
        assert_eq!(g, role_assignment_guid(&upper, &p1, &r1));
        assert_ne!(g, role_assignment_guid(&scope, &p2, &r1));
        assert_ne!(g, role_assignment_guid(&scope, &p1, &r2));
        let input = format!("roleAssignment\n/subscriptions/{SUB}/resourcegroups/rg\n{p1}\n{r1}");
        assert_eq!(g, uuid::Uuid::new_v5(&UUID_NAMESPACE, input.as_bytes()));
    }

    #[test]
    fn generated_name_changes_with_role_name_override() {
        let a = gen_ok(&at_rg("Networking", "rg"));
        let b = gen_ok(&GenerateRequest {
            role_name: Some("Custom Net".into()),
            ..at_rg("Networking", "rg")
        });
        assert_ne!(a.name, b.name);
        let c = gen_ok(&GenerateRequest {
            role_name: Some("custom net".into()),
            ..at_rg("Networking", "rg")
        });
        assert_eq!(b.name, c.name);
        let e = generate(&GenerateRequest {
            role_name: Some(" ".into()),
            ..at_rg("Networking", "rg")
        })
        .unwrap_err();
        assert_eq!(e.target.as_deref(), Some("roleName"));
    }

    #[test]
    fn grants_apply_wildcards_and_not_actions() {
        let contributor = builtin::definition(builtin::CONTRIBUTOR).unwrap();
        assert!(role_grants_action(
            &contributor,
            "Microsoft.Compute/images/write"
        ));
        assert!(!role_grants_action(
            &contributor,
            "Microsoft.Authorization/roleAssignments/write"
        ));
        assert!(!role_grants_action(
            &contributor,
            "microsoft.authorization/roleDefinitions/delete"
        ));
        assert!(role_grants_action(
            &contributor,
            "Microsoft.Authorization/roleAssignments/read"
        ));
        assert!(!role_grants_data_action(
            &contributor,
            "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"
        ));

        let reader = builtin::definition(builtin::STORAGE_BLOB_DATA_READER).unwrap();
        assert!(role_grants_data_action(
            &reader,
            "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"
        ));
        assert!(!role_grants_data_action(
            &reader,
            "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write"
        ));

        let image = gen_ok(&at_rg("ImageCreation", "rg"));
        for action in Scenario::ManagedImageDistribution.actions() {
            assert!(role_grants_action(&image, action), "{action}");
        }
        assert!(!role_grants_action(&image, SUBNET_JOIN));
    }

    #[test]
    fn validate_role_checks_id_against_name() {
        let mut role = gen_ok(&at_rg("Networking", "rg"));
        role.name = Some("11111111-2222-3333-4444-555555555555".into());
        assert_eq!(
            validate_role(&role).unwrap_err().target.as_deref(),
            Some("Id")
        );
        role.id = None;
        validate_role(&role).unwrap();
        role.name = Some("nope".into());
        assert_eq!(
            validate_role(&role).unwrap_err().target.as_deref(),
            Some("Id")
        );
    }
}
