//! Built-in roles by their fixed, documented GUIDs.
//!
//! Limit: the permission lists are a snapshot of Azure's built-in roles; Azure revises them
//! now and then, so they serve offline planning and the emulator, not as the authority.

use super::{BUILT_IN_ROLE, RoleDefinition};

pub const OWNER: &str = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
pub const CONTRIBUTOR: &str = "b24988ac-6180-42a0-ab88-20f7382dd24c";
pub const READER: &str = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
pub const USER_ACCESS_ADMINISTRATOR: &str = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9";
pub const MANAGED_IDENTITY_OPERATOR: &str = "f1a07417-d97a-45cb-824c-7a7467783830";
pub const MANAGED_IDENTITY_CONTRIBUTOR: &str = "e40ec5ca-96e0-45a2-b4ff-59039f2c2b59";
pub const STORAGE_BLOB_DATA_READER: &str = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1";
pub const STORAGE_BLOB_DATA_CONTRIBUTOR: &str = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
pub const STORAGE_BLOB_DATA_OWNER: &str = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";

struct Builtin {
    role_name: &'static str,
    guid: &'static str,
    description: &'static str,
    actions: &'static [&'static str],
    not_actions: &'static [&'static str],
    data_actions: &'static [&'static str],
}

const MI_COMMON: [&str; 5] = [
    "Microsoft.Authorization/*/read",
    "Microsoft.Insights/alertRules/*",
    "Microsoft.Resources/subscriptions/resourceGroups/read",
    "Microsoft.Resources/deployments/*",
    "Microsoft.Support/*",
];

const ROLES: [Builtin; 9] = [
    Builtin {
        role_name: "Owner",
        guid: OWNER,
        description: "Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.",
        actions: &["*"],
        not_actions: &[],
        data_actions: &[],
    },
    Builtin {
        role_name: "Contributor",
        guid: CONTRIBUTOR,
        description: "Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC, manage assignments in Azure Blueprints, or share image galleries.",
        actions: &["*"],
        not_actions: &[
            "Microsoft.Authorization/*/Delete",
            "Microsoft.Authorization/*/Write",
            "Microsoft.Authorization/elevateAccess/Action",
            "Microsoft.Blueprint/blueprintAssignments/write",
            "Microsoft.Blueprint/blueprintAssignments/delete",
            "Microsoft.Compute/galleries/share/action",
        ],
        data_actions: &[],
    },
    Builtin {
        role_name: "Reader",
        guid: READER,
        description: "View all resources, but does not allow you to make any changes.",
        actions: &["*/read"],
        not_actions: &[],
        data_actions: &[],
    },
    Builtin {
        role_name: "User Access Administrator",
        guid: USER_ACCESS_ADMINISTRATOR,
        description: "Lets you manage user access to Azure resources.",
        actions: &["*/read", "Microsoft.Authorization/*", "Microsoft.Support/*"],
        not_actions: &[],
        data_actions: &[],
    },
    Builtin {
        role_name: "Managed Identity Operator",
        guid: MANAGED_IDENTITY_OPERATOR,
        description: "Read and Assign User Assigned Identity",
        actions: &[
            "Microsoft.ManagedIdentity/userAssignedIdentities/*/read",
            "Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action",
            MI_COMMON[0],
            MI_COMMON[1],
            MI_COMMON[2],
            MI_COMMON[3],
            MI_COMMON[4],
        ],
        not_actions: &[],
        data_actions: &[],
    },
    Builtin {
        role_name: "Managed Identity Contributor",
        guid: MANAGED_IDENTITY_CONTRIBUTOR,
        description: "Create, Read, Update, and Delete User Assigned Identity",
        actions: &[
            "Microsoft.ManagedIdentity/userAssignedIdentities/read",
            "Microsoft.ManagedIdentity/userAssignedIdentities/write",
            "Microsoft.ManagedIdentity/userAssignedIdentities/delete",
            MI_COMMON[0],
            MI_COMMON[1],
            MI_COMMON[2],
            MI_COMMON[3],
            MI_COMMON[4],
        ],
        not_actions: &[],
        data_actions: &[],
    },
    Builtin {
        role_name: "Storage Blob Data Reader",
        guid: STORAGE_BLOB_DATA_READER,
        description: "Allows for read access to Azure Storage blob containers and data",
        actions: &[
            "Microsoft.Storage/storageAccounts/blobServices/containers/read",
            "Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action",
        ],
        not_actions: &[],
        data_actions: &["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"],
    },
    Builtin {
        role_name: "Storage Blob Data Contributor",
        guid: STORAGE_BLOB_DATA_CONTRIBUTOR,
        description: "Allows for read, write and delete access to Azure Storage blob containers and data",
        actions: &[
            "Microsoft.Storage/storageAccounts/blobServices/containers/delete",
            "Microsoft.Storage/storageAccounts/blobServices/containers/read",
            "Microsoft.Storage/storageAccounts/blobServices/containers/write",
            "Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action",
        ],
        not_actions: &[],
        data_actions: &[
            "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete",
            "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
            "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write",
            "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/move/action",
            "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action",
        ],
    },
    Builtin {
        role_name: "Storage Blob Data Owner",
        guid: STORAGE_BLOB_DATA_OWNER,
        description: "Allows for full access to Azure Storage blob containers and data, including assigning POSIX access control.",
        actions: &[
            "Microsoft.Storage/storageAccounts/blobServices/containers/*",
            "Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action",
        ],
        not_actions: &[],
        data_actions: &["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*"],
    },
];

const NAMES: [(&str, &str); 9] = [
    (ROLES[0].role_name, ROLES[0].guid),
    (ROLES[1].role_name, ROLES[1].guid),
    (ROLES[2].role_name, ROLES[2].guid),
    (ROLES[3].role_name, ROLES[3].guid),
    (ROLES[4].role_name, ROLES[4].guid),
    (ROLES[5].role_name, ROLES[5].guid),
    (ROLES[6].role_name, ROLES[6].guid),
    (ROLES[7].role_name, ROLES[7].guid),
    (ROLES[8].role_name, ROLES[8].guid),
];

/// Every built-in role known here, as `(roleName, guid)`.
pub fn all() -> &'static [(&'static str, &'static str)] {
    &NAMES
}

/// The GUID of the built-in role named `role_name` (case-insensitive).
pub fn guid_of(role_name: &str) -> Option<&'static str> {
    NAMES
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(role_name))
        .map(|(_, guid)| *guid)
}

/// The definition of the built-in role with `guid` (case-insensitive), assignable at `/`.
/// `id` is the tenant-level id `/providers/Microsoft.Authorization/roleDefinitions/{guid}`.
pub fn definition(guid: &str) -> Option<RoleDefinition> {
    let role = ROLES.iter().find(|r| r.guid.eq_ignore_ascii_case(guid))?;
    let strings = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    Some(RoleDefinition {
        id: Some(format!(
            "/providers/Microsoft.Authorization/roleDefinitions/{}",
            role.guid
        )),
        name: Some(role.guid.to_string()),
        role_name: role.role_name.to_string(),
        description: role.description.to_string(),
        role_type: BUILT_IN_ROLE.to_string(),
        actions: strings(role.actions),
        not_actions: strings(role.not_actions),
        data_actions: strings(role.data_actions),
        not_data_actions: Vec::new(),
        assignable_scopes: vec!["/".to_string()],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_guids_are_used_for_the_common_roles() {
        assert_eq!(
            guid_of("contributor"),
            Some("b24988ac-6180-42a0-ab88-20f7382dd24c")
        );
        assert_eq!(
            guid_of("Owner"),
            Some("8e3af657-a8ff-443c-a75c-2fe8c4bcb635")
        );
        assert_eq!(
            guid_of("Reader"),
            Some("acdd72a7-3385-48ef-bd42-f606fba81ae7")
        );
        assert_eq!(
            guid_of("Storage Blob Data Reader"),
            Some("2a2b9908-6ea1-4ae2-8e65-a410df84e7d1")
        );
        assert_eq!(
            guid_of("Managed Identity Operator"),
            Some("f1a07417-d97a-45cb-824c-7a7467783830")
        );
        assert_eq!(guid_of("No Such Role"), None);
    }

    #[test]
    fn every_builtin_has_a_valid_definition_with_unique_guid() {
        let mut seen = std::collections::HashSet::new();
        for (name, guid) in all() {
            assert!(seen.insert(guid.to_string()), "duplicate {guid}");
            let role = definition(guid).expect("definition exists");
            assert_eq!(&role.role_name, name);
            assert_eq!(role.role_type, BUILT_IN_ROLE);
            crate::roles::validate_role(&role)
                .unwrap_or_else(|e| panic!("{name}: {} ({:?})", e.message, e.target));
        }
    }
}
