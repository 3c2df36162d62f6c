//! Failure kinds people meet with Az, the Azure CLI and Terraform, at the library level:
//! typo'd provider namespaces, scopes without a resource group, sibling resource groups,
//! the two role file formats, and role names holding OData's special characters.

use aibperm::ErrorKind;
use aibperm::arm::scope::{Scope, ScopeKind};
use aibperm::arm::{ArmClient, ClientConfig, Progress};
use aibperm::roles::{self, RoleFileFormat};
use aibperm_emulator::{Emulator, EmulatorConfig};
use serde_json::{Value, json};

const SUB: &str = "11111111-1111-1111-1111-111111111111";

#[test]
fn misspelt_provider_namespaces_are_refused_naming_the_known_one() {
    for (action, known) in [
        ("Microsoft.Insight/alertRules/*", "Microsoft.Insights"),
        ("microsoft.insight/alertRules/read", "Microsoft.Insights"),
        ("Microsoft.Compte/images/read", "Microsoft.Compute"),
        (
            "Microsoft.Netwrok/virtualNetworks/read",
            "Microsoft.Network",
        ),
        (
            "Microsoft.ManagedIdentities/userAssignedIdentities/read",
            "Microsoft.ManagedIdentity",
        ),
        (
            "Microsoft.Storages/storageAccounts/read",
            "Microsoft.Storage",
        ),
        (
            "Microsoft.Authorisation/roleAssignments/read",
            "Microsoft.Authorization",
        ),
    ] {
        let err = roles::validate_action("actions[0]", action).expect_err(action);
        assert_eq!(err.kind, ErrorKind::InvalidArgument, "{action}");
        assert_eq!(err.target.as_deref(), Some("actions[0]"), "{action}");
        assert!(
            err.message.contains(&format!("did you mean {known}?")),
            "{action}: {}",
            err.message
        );
    }
}

#[test]
fn real_and_third_party_provider_namespaces_are_accepted() {
    for action in [
        "Microsoft.Insights/alertRules/*",
        "microsoft.insights/alertrules/read",
        "Microsoft.ManagedIdentity/userAssignedIdentities/read",
        "Microsoft.VirtualMachineImages/imageTemplates/run/action",
        "Contoso.Widgets/gadgets/read",
        "*/read",
    ] {
        assert!(
            roles::validate_action("actions[0]", action).is_ok(),
            "{action}"
        );
    }
}

#[test]
fn provider_scopes_without_a_resource_group_are_accepted() {
    for scope in [
        format!("/subscriptions/{SUB}/providers/Microsoft.DocumentDB/locations/westus2"),
        format!("/subscriptions/{SUB}/providers/Microsoft.Web/locations/eastus/deletedSites/x"),
        format!("/subscriptions/{SUB}/providers/Microsoft.Insights/diagnosticSettings/d1"),
    ] {
        let parsed = Scope::parse("scope", &scope).unwrap_or_else(|e| panic!("{scope}: {e:?}"));
        assert_eq!(parsed.as_str(), scope);
        assert_eq!(parsed.subscription_id(), Some(SUB));
        assert_eq!(parsed.resource_group(), None);
        assert_ne!(parsed.kind(), ScopeKind::Subscription, "{scope}");
        let subscription = Scope::parse("scope", &format!("/subscriptions/{SUB}")).expect("sub");
        assert!(parsed.is_at_or_below(&subscription), "{scope}");
    }
}

#[test]
fn a_resource_group_is_never_taken_for_one_whose_name_it_starts() {
    let rg = Scope::parse("scope", &format!("/subscriptions/{SUB}/resourceGroups/RG")).expect("rg");
    for sibling in ["RG01", "rg01", "RG-1", "RG_old"] {
        let other = Scope::parse(
            "scope",
            &format!("/subscriptions/{SUB}/resourceGroups/{sibling}"),
        )
        .expect("sibling");
        assert!(!other.is_at_or_below(&rg), "{sibling}");
        assert!(!rg.is_at_or_below(&other), "{sibling}");
    }
    let below = Scope::parse(
        "scope",
        &format!("/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.Compute/galleries/g"),
    )
    .expect("below");
    assert!(below.is_at_or_below(&rg));
}

#[test]
fn flat_and_permissions_role_files_read_as_the_same_role() {
    let scope = format!("/subscriptions/{SUB}/resourceGroups/rg");
    let flat = json!({
        "Name": "Format Role", "IsCustom": true, "Description": "d",
        "Actions": ["Microsoft.Compute/images/read", "Microsoft.Compute/images/write"],
        "NotActions": ["Microsoft.Compute/images/delete"],
        "DataActions": ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"],
        "NotDataActions": [],
        "AssignableScopes": [scope]
    });
    let blocks = json!({
        "Name": "Format Role", "IsCustom": true, "Description": "d",
        "Permissions": [{
            "Actions": ["Microsoft.Compute/images/read", "Microsoft.Compute/images/write"],
            "NotActions": ["Microsoft.Compute/images/delete"],
            "DataActions": ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"],
            "NotDataActions": []
        }],
        "AssignableScopes": [scope]
    });
    let (flat_format, from_flat) =
        roles::parse_role_file(flat.to_string().as_bytes()).expect("flat");
    let (blocks_format, from_blocks) =
        roles::parse_role_file(blocks.to_string().as_bytes()).expect("permissions");
    assert_eq!(flat_format, RoleFileFormat::Flat);
    assert_eq!(blocks_format, RoleFileFormat::Permissions);
    assert_eq!(
        serde_json::to_value(&from_flat).expect("json"),
        serde_json::to_value(&from_blocks).expect("json")
    );
}

#[test]
fn role_files_mixing_both_formats_are_refused_naming_both_fields() {
    for flat_field in ["Actions", "NotActions", "DataActions", "NotDataActions"] {
        let mut mixed = json!({
            "Name": "Mixed Role", "Description": "d",
            "Permissions": [{ "Actions": ["Microsoft.Compute/images/read"] }],
            "AssignableScopes": [format!("/subscriptions/{SUB}")]
        });
        mixed[flat_field] = json!(["Microsoft.Compute/images/read"]);
        let err = roles::parse_role_file(mixed.to_string().as_bytes()).expect_err(flat_field);
        assert_eq!(err.kind, ErrorKind::InvalidArgument);
        assert!(
            err.message.contains(&format!("'{flat_field}'")),
            "{}",
            err.message
        );
        assert!(err.message.contains("Permissions"), "{}", err.message);
    }
}

fn client_for(emulator: &Emulator) -> ArmClient {
    let state = emulator.state();
    let config: ClientConfig = serde_json::from_value(json!({
        "armEndpoint": state.endpoint,
        "authorityHost": state.authority_host,
        "audience": state.audience,
        "caCertificatePath": state.ca_certificate_path,
        "credential": {
            "kind": "clientSecret",
            "tenantId": state.tenant_id,
            "clientId": state.client_id,
            "clientSecret": state.client_secret
        },
        "retry": { "maxRetries": 4, "initialDelayMs": 50, "maxDelayMs": 500 }
    }))
    .expect("config");
    ArmClient::new(config).expect("client")
}

async fn run(client: &ArmClient, operation: &str, request: Value) -> Value {
    client
        .execute(operation, request, &Progress::new())
        .await
        .unwrap_or_else(|e| panic!("{operation}: {e:?}"))
}

#[tokio::test]
async fn role_names_with_odata_special_characters_are_found_exactly() {
    let emulator = Emulator::start(EmulatorConfig::default())
        .await
        .expect("emulator");
    let client = client_for(&emulator);
    let sub = emulator.state().subscription_id.clone();
    run(
        &client,
        "resourceGroup.createOrUpdate",
        json!({ "subscriptionId": sub, "resourceGroupName": "rg-names", "location": "westus2" }),
    )
    .await;
    let scope = format!("/subscriptions/{sub}/resourceGroups/rg-names");
    let names = [
        "O'Brien Role",
        "''Quoted'' Role",
        "Test Role and",
        "or Test Role",
        "Role eq 'x'",
        "Role (copy)",
        "Role a/b",
        "Role?",
        "Role #1",
        "R&D Role",
        "C++ Role",
        "100% Role",
        "Role %27 encoded",
        "  Spaced   Role",
        "Rôle d'image ü 画像",
        "Role, comma",
    ];
    let mut ids = vec![];
    for name in names {
        let mut created = None;
        // The role, and two whose names hold it.
        for full in [
            name.to_owned(),
            format!("{name} copy"),
            format!("Copy of {name}"),
        ] {
            let role = json!({ "role": {
                "id": null, "name": null, "roleName": full, "description": "d", "roleType": "CustomRole",
                "actions": ["Microsoft.Compute/images/read"], "notActions": [], "dataActions": [],
                "notDataActions": [], "assignableScopes": [scope]
            }});
            let made = run(&client, "roleDefinition.ensure", role).await;
            created.get_or_insert(made["id"].clone());
        }
        ids.push(created.expect("created"));
    }
    for (name, id) in names.iter().zip(&ids) {
        let found = run(
            &client,
            "roleDefinition.list",
            json!({ "scope": scope, "roleName": name }),
        )
        .await;
        let found = found["value"].as_array().expect("value");
        assert_eq!(found.len(), 1, "{name}: {found:?}");
        assert_eq!(found[0]["roleName"], *name);
        assert_eq!(found[0]["id"], *id);

        let assignment = run(
            &client,
            "roleAssignment.create",
            json!({
                "scope": scope,
                "principalId": emulator.state().service_principal_object_id,
                "roleDefinitionName": name,
                "principalType": "ServicePrincipal"
            }),
        )
        .await;
        assert_eq!(assignment["roleDefinitionId"], *id, "{name}");
    }
    emulator.shutdown().await;
}

/// The emulator's control endpoint: `GET /_emulator/{what}` as JSON.
async fn control(emulator: &Emulator, what: &str) -> Value {
    let ca = reqwest::Certificate::from_pem(emulator.ca_pem().as_bytes()).expect("ca");
    reqwest::Client::builder()
        .tls_certs_only([ca])
        .build()
        .expect("http")
        .get(format!("{}/_emulator/{what}", emulator.endpoint()))
        .send()
        .await
        .expect("control")
        .json()
        .await
        .expect("json")
}

/// ARM requests served so far (token requests left out).
async fn arm_requests(emulator: &Emulator) -> u64 {
    let counters = control(emulator, "counters").await;
    counters
        .as_object()
        .expect("counters")
        .iter()
        .filter(|(name, _)| !name.starts_with("token.") && !name.starts_with("managedIdentity."))
        .map(|(_, n)| n.as_u64().expect("count"))
        .sum()
}

#[tokio::test]
async fn identity_names_follow_arms_rule_and_bad_ones_send_nothing() {
    let emulator = Emulator::start(EmulatorConfig::default())
        .await
        .expect("emulator");
    let client = client_for(&emulator);
    let sub = emulator.state().subscription_id.clone();
    run(
        &client,
        "resourceGroup.createOrUpdate",
        json!({ "subscriptionId": sub, "resourceGroupName": "rg", "location": "westus2" }),
    )
    .await;
    let forty = format!("uai-{}", "a_b-".repeat(9));
    assert_eq!(forty.len(), 40);
    for name in [forty.as_str(), "abc", "0-identity", &"z".repeat(128)] {
        let made = run(
            &client,
            "identity.createOrUpdate",
            json!({ "subscriptionId": sub, "resourceGroupName": "rg", "name": name }),
        )
        .await;
        assert_eq!(made["name"], name);
    }
    let before = arm_requests(&emulator).await;
    for name in [
        "z".repeat(129),
        "-uai".to_owned(),
        "_uai".to_owned(),
        "ab".to_owned(),
        "uai.a".to_owned(),
        "uai a".to_owned(),
    ] {
        let err = client
            .execute(
                "identity.createOrUpdate",
                json!({ "subscriptionId": sub, "resourceGroupName": "rg", "name": name }),
                &Progress::new(),
            )
            .await
            .expect_err(&name);
        assert_eq!(err.kind, ErrorKind::InvalidArgument, "{name}");
        assert_eq!(err.target.as_deref(), Some("name"), "{name}");
        assert!(err.message.contains("3-128"), "{name}: {}", err.message);
    }
    assert_eq!(arm_requests(&emulator).await, before);
    emulator.shutdown().await;
}

#[tokio::test]
async fn role_name_held_in_another_subscription_is_named_and_nothing_is_made() {
    let other_sub = uuid::Uuid::new_v4().to_string();
    let config = EmulatorConfig {
        extra_subscription_ids: vec![other_sub.clone()],
        ..EmulatorConfig::default()
    };
    let emulator = Emulator::start(config).await.expect("emulator");
    let client = client_for(&emulator);
    let sub = emulator.state().subscription_id.clone();
    run(
        &client,
        "resourceGroup.createOrUpdate",
        json!({ "subscriptionId": sub, "resourceGroupName": "rg-b", "location": "westus2" }),
    )
    .await;
    let role = |name: &str, scope: String| {
        json!({ "role": {
            "id": null, "name": null, "roleName": name, "description": "d", "roleType": "CustomRole",
            "actions": ["Microsoft.Compute/images/read"], "notActions": [], "dataActions": [],
            "notDataActions": [], "assignableScopes": [scope]
        }})
    };
    run(
        &client,
        "roleDefinition.ensure",
        role("Image Role", format!("/subscriptions/{other_sub}")),
    )
    .await;
    let roles_before = control(&emulator, "state").await["roleDefinitions"].clone();

    // Any letter case of the name clashes too: ARM compares role names case-insensitively.
    for (name, scope) in [
        (
            "Image Role",
            format!("/subscriptions/{sub}/resourceGroups/rg-b"),
        ),
        ("image ROLE", format!("/subscriptions/{sub}")),
    ] {
        let err = client
            .execute(
                "roleDefinition.ensure",
                role(name, scope.clone()),
                &Progress::new(),
            )
            .await
            .expect_err("clash");
        assert_eq!(err.kind, ErrorKind::Conflict);
        assert!(err.message.contains(&other_sub), "{}", err.message);
        assert!(err.message.contains(&scope), "{}", err.message);
        let action = err.recommended_action.clone().unwrap_or_default();
        assert!(!action.is_empty());
    }
    assert_eq!(
        control(&emulator, "state").await["roleDefinitions"],
        roles_before
    );
    emulator.shutdown().await;
}
