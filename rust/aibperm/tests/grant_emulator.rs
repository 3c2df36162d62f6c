//! grant.plan, grant.apply and permission.test against the in-process emulator: the plan
//! reads only, apply converges, a rerun writes nothing, a cancelled run is finished by the
//! next one, and the permission test sees wildcards, NotActions and inherited roles.

use std::collections::BTreeMap;
use std::time::Duration;

use aibperm::arm::{ArmClient, ClientConfig, Progress};
use aibperm::{ErrorKind, roles};
use aibperm_emulator::{Emulator, EmulatorConfig};
use serde_json::{Value, json};

const GROUPS: [&str; 6] = [
    "rg-aib",
    "rg-images",
    "rg-network",
    "rg-src",
    "rg-staging",
    "rg-storage",
];

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

/// PUT and DELETE requests the emulator has served so far.
async fn writes(emulator: &Emulator) -> u64 {
    let ca = reqwest::Certificate::from_pem(emulator.ca_pem().as_bytes()).expect("ca");
    let http = reqwest::Client::builder()
        .tls_certs_only([ca])
        .build()
        .expect("http");
    let counters: BTreeMap<String, u64> = http
        .get(format!("{}/_emulator/counters", emulator.endpoint()))
        .send()
        .await
        .expect("counters")
        .json()
        .await
        .expect("json");
    counters
        .iter()
        .filter(|(name, _)| name.ends_with(".put") || name.ends_with(".delete"))
        .map(|(_, n)| n)
        .sum()
}

async fn run(client: &ArmClient, operation: &str, request: Value) -> Value {
    client
        .execute(operation, request, &Progress::new())
        .await
        .unwrap_or_else(|e| panic!("{operation}: {e:?}"))
}

async fn start(config: EmulatorConfig) -> (Emulator, ArmClient, String) {
    let emulator = Emulator::start(config).await.expect("emulator");
    let client = client_for(&emulator);
    let sub = emulator.state().subscription_id.clone();
    for rg in GROUPS {
        run(
            &client,
            "resourceGroup.createOrUpdate",
            json!({ "subscriptionId": sub, "resourceGroupName": rg, "location": "westus2" }),
        )
        .await;
    }
    (emulator, client, sub)
}

/// Every scenario: image and gallery in one group, a managed image source, a network, a
/// build VM identity, a script container and a staging group.
fn full_plan(sub: &str) -> Value {
    json!({
        "subscriptionId": sub,
        "identityName": "aibIdentity",
        "resourceGroupName": "rg-aib",
        "imageResourceGroupName": "rg-images",
        "galleryResourceGroupName": "rg-images",
        "sourceResourceGroupName": "rg-src",
        "sourceType": "ManagedImage",
        "virtualNetworkResourceGroupName": "rg-network",
        "buildVmIdentityId": format!("/subscriptions/{sub}/resourceGroups/rg-aib/providers/Microsoft.ManagedIdentity/userAssignedIdentities/buildVm"),
        "storageContainerId": format!("/subscriptions/{sub}/resourceGroups/rg-storage/providers/Microsoft.Storage/storageAccounts/aibscripts/blobServices/default/containers/scripts"),
        "stagingResourceGroupName": "rg-staging",
        "replicationTimeoutSeconds": 60
    })
}

fn items(result: &Value) -> &Vec<Value> {
    result["items"].as_array().expect("items")
}

fn actions(result: &Value) -> Vec<String> {
    items(result)
        .iter()
        .map(|i| i["action"].as_str().expect("action").to_owned())
        .collect()
}

fn kinds(result: &Value) -> Vec<String> {
    items(result)
        .iter()
        .map(|i| i["kind"].as_str().expect("kind").to_owned())
        .collect()
}

#[tokio::test]
async fn plan_reads_only_apply_creates_and_rerun_writes_nothing() {
    let (emulator, client, sub) = start(EmulatorConfig::default()).await;
    let plan = full_plan(&sub);

    // The plan of a fresh subscription: everything Created, nothing written.
    let before = writes(&emulator).await;
    let planned = run(&client, "grant.plan", plan.clone()).await;
    assert_eq!(writes(&emulator).await, before, "grant.plan must not write");
    // Identity; four custom roles each with its assignment; two built-in assignments.
    assert_eq!(planned["items"].as_array().expect("items").len(), 11);
    assert!(actions(&planned).iter().all(|a| a == "Created"));

    let applied = run(&client, "grant.apply", plan.clone()).await;
    assert_eq!(kinds(&applied), kinds(&planned));
    assert!(
        actions(&applied).iter().all(|a| a == "Created"),
        "{applied}"
    );
    let image_role = items(&applied)
        .iter()
        .find(|i| i["scenario"] == "ImageCreation" && i["kind"] == "RoleDefinition")
        .expect("image role");
    assert_eq!(
        image_role["name"],
        format!("Azure Image Builder Image Creation (rg-images, {sub})")
    );
    let generated = roles::generate(&roles::GenerateRequest {
        scenario: "ImageCreation".to_owned(),
        subscription_id: Some(sub.clone()),
        resource_group_name: Some("rg-images".to_owned()),
        ..Default::default()
    })
    .expect("generate");
    let guid = generated.name.expect("guid");
    assert_eq!(
        image_role["id"],
        format!("/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/{guid}")
    );
    // The plan named the same ids for what it would create.
    for (planned, applied) in items(&planned).iter().zip(items(&applied)) {
        if planned["kind"] != "RoleAssignment" {
            let id = |v: &Value| v["id"].as_str().expect("id").to_lowercase();
            assert_eq!(id(planned), id(applied), "ARM ids compare without case");
        }
    }

    // After success: the plan and a rerun say Unchanged, with the same ids, and write nothing.
    let before = writes(&emulator).await;
    let replanned = run(&client, "grant.plan", plan.clone()).await;
    let rerun = run(&client, "grant.apply", plan).await;
    assert_eq!(writes(&emulator).await, before, "a rerun must not write");
    for result in [&replanned, &rerun] {
        assert!(actions(result).iter().all(|a| a == "Unchanged"), "{result}");
        let ids: Vec<&Value> = items(result).iter().map(|i| &i["id"]).collect();
        let first: Vec<&Value> = items(&applied).iter().map(|i| &i["id"]).collect();
        assert_eq!(ids, first);
    }
    emulator.shutdown().await;
}

#[tokio::test]
async fn changed_role_is_planned_and_applied_as_updated() {
    let (emulator, client, sub) = start(EmulatorConfig::default()).await;
    let plan = json!({ "subscriptionId": sub, "identityName": "aibIdentity",
                       "resourceGroupName": "rg-aib", "imageResourceGroupName": "rg-images" });
    run(&client, "grant.apply", plan.clone()).await;

    // Someone edits our role by hand.
    let mut role = roles::generate(&roles::GenerateRequest {
        scenario: "ManagedImageDistribution".to_owned(),
        subscription_id: Some(sub.clone()),
        resource_group_name: Some("rg-images".to_owned()),
        ..Default::default()
    })
    .expect("generate");
    role.actions.pop();
    run(&client, "roleDefinition.ensure", json!({ "role": role })).await;

    let planned = run(&client, "grant.plan", plan.clone()).await;
    assert_eq!(actions(&planned), ["Unchanged", "Updated", "Unchanged"]);
    let applied = run(&client, "grant.apply", plan).await;
    assert_eq!(actions(&applied), ["Unchanged", "Updated", "Unchanged"]);
    emulator.shutdown().await;
}

#[tokio::test]
async fn cancelled_apply_is_finished_by_a_rerun_at_every_point() {
    let mut config = EmulatorConfig::default();
    config.faults.replication_delay_seconds = 1;
    config.faults.role_visibility_delay_seconds = 1;
    // Slow answers keep each write in flight long enough to be seen and cut.
    config.faults.slow_response_ms = 40;
    let (emulator, client, sub) = start(config).await;
    let base_writes = writes(&emulator).await;

    // Drop the apply future as soon as the k-th write reached ARM, for growing k, each
    // time on a fresh identity so earlier runs do not help later ones.
    for k in [1u64, 2, 3, 5, 6] {
        let mut plan = full_plan(&sub);
        plan["identityName"] = json!(format!("aibIdentity{k}"));
        let started = writes(&emulator).await;
        {
            let progress = Progress::new();
            let apply = client.execute("grant.apply", plan.clone(), &progress);
            tokio::pin!(apply);
            loop {
                tokio::select! {
                    result = &mut apply => {
                        panic!("k={k}: apply ended before the drop point: {result:?}");
                    }
                    _ = tokio::time::sleep(Duration::from_millis(5)) => {
                        if writes(&emulator).await >= started + k {
                            break;
                        }
                    }
                }
            }
        }
        assert!(writes(&emulator).await > base_writes);

        let finished = run(&client, "grant.apply", plan.clone()).await;
        assert_eq!(items(&finished).len(), 11);
        let before = writes(&emulator).await;
        let again = run(&client, "grant.apply", plan.clone()).await;
        assert!(
            actions(&again).iter().all(|a| a == "Unchanged"),
            "k={k}: {again}"
        );
        assert_eq!(
            writes(&emulator).await,
            before,
            "k={k}: converged run wrote"
        );
        let test = run(&client, "permission.test", json!({ "plan": plan })).await;
        assert_eq!(test["ready"], true, "k={k}: {test}");
    }
    emulator.shutdown().await;
}

#[tokio::test]
async fn permission_test_reports_ready_after_apply_and_missing_before() {
    let (emulator, client, sub) = start(EmulatorConfig::default()).await;
    let plan = full_plan(&sub);

    // The identity does not exist yet: nothing is granted.
    let before = run(&client, "permission.test", json!({ "plan": plan.clone() })).await;
    assert_eq!(before["ready"], false);
    assert_eq!(before["principalId"], Value::Null);
    let scopes = before["scopes"].as_array().expect("scopes");
    assert_eq!(scopes.len(), 6);
    assert!(scopes.iter().all(|s| s["missing"] == s["required"]));

    run(&client, "grant.apply", plan.clone()).await;
    let after = run(&client, "permission.test", json!({ "plan": plan })).await;
    assert_eq!(after["ready"], true, "{after}");
    let storage = after["scopes"]
        .as_array()
        .expect("scopes")
        .iter()
        .find(|s| s["scenarios"] == json!(["StorageScripts"]))
        .expect("storage scope");
    assert!(
        storage["granted"]
            .as_array()
            .expect("granted")
            .contains(&json!(
                "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"
            )),
        "{storage}"
    );
    emulator.shutdown().await;
}

/// Creates a principal-less custom role at rg-images and assigns it to `principal`.
async fn assign_custom(
    client: &ArmClient,
    sub: &str,
    principal: &str,
    actions: &[&str],
    not_actions: &[&str],
) {
    let scope = format!("/subscriptions/{sub}/resourceGroups/rg-images");
    let role = run(
        client,
        "roleDefinition.ensure",
        json!({ "role": {
            "roleName": format!("Image test role {}", actions.join(",")),
            "description": "test", "roleType": "CustomRole",
            "actions": actions, "notActions": not_actions, "dataActions": [], "notDataActions": [],
            "assignableScopes": [scope]
        }}),
    )
    .await;
    run(
        client,
        "roleAssignment.create",
        json!({ "scope": scope, "principalId": principal, "roleDefinitionId": role["id"],
                "principalType": "ServicePrincipal" }),
    )
    .await;
}

#[tokio::test]
async fn permission_test_applies_wildcards_not_actions_and_inheritance() {
    let (emulator, client, sub) = start(EmulatorConfig::default()).await;
    let principal = uuid::Uuid::new_v4().to_string();
    let plan = json!({ "plan": { "subscriptionId": sub, "principalId": principal,
                                 "imageResourceGroupName": "rg-images",
                                 "galleryResourceGroupName": "rg-images" } });

    // A wildcard over images minus delete: exactly images/delete and the gallery are missing.
    assign_custom(
        &client,
        &sub,
        &principal,
        &["Microsoft.Compute/images/*"],
        &["Microsoft.Compute/images/delete"],
    )
    .await;
    let result = run(&client, "permission.test", plan.clone()).await;
    assert_eq!(result["ready"], false);
    let missing = &result["scopes"][0]["missing"];
    assert_eq!(
        missing,
        &json!([
            "Microsoft.Compute/galleries/read",
            "Microsoft.Compute/galleries/images/read",
            "Microsoft.Compute/galleries/images/versions/read",
            "Microsoft.Compute/galleries/images/versions/write",
            "Microsoft.Compute/images/delete"
        ])
    );

    // Reader at the subscription adds reads but no writes.
    run(
        &client,
        "roleAssignment.create",
        json!({ "scope": format!("/subscriptions/{sub}"), "principalId": principal,
                "roleDefinitionName": "Reader", "principalType": "ServicePrincipal" }),
    )
    .await;
    let result = run(&client, "permission.test", plan.clone()).await;
    assert_eq!(
        result["scopes"][0]["missing"],
        json!([
            "Microsoft.Compute/galleries/images/versions/write",
            "Microsoft.Compute/images/delete"
        ])
    );

    // Owner at the subscription grants everything below it.
    run(
        &client,
        "roleAssignment.create",
        json!({ "scope": format!("/subscriptions/{sub}"), "principalId": principal,
                "roleDefinitionName": "Owner", "principalType": "ServicePrincipal" }),
    )
    .await;
    let result = run(&client, "permission.test", plan).await;
    assert_eq!(result["ready"], true, "{result}");
    emulator.shutdown().await;
}

#[tokio::test]
async fn permission_test_reads_an_image_template() {
    let (emulator, client, sub) = start(EmulatorConfig::default()).await;
    let plan = json!({ "subscriptionId": sub, "identityName": "aibIdentity",
                       "resourceGroupName": "rg-aib", "imageResourceGroupName": "rg-images",
                       "virtualNetworkResourceGroupName": "rg-network" });
    let applied = run(&client, "grant.apply", plan).await;
    let identity_id = items(&applied)[0]["id"].as_str().expect("id").to_owned();
    let rg = |name: &str| format!("/subscriptions/{sub}/resourceGroups/{name}");
    let mut template = json!({
        "type": "Microsoft.VirtualMachineImages/imageTemplates",
        "apiVersion": "2022-02-14",
        "location": "westus2",
        "identity": { "type": "UserAssigned", "userAssignedIdentities": { identity_id: {} } },
        "properties": {
            "source": { "type": "PlatformImage", "publisher": "Canonical" },
            "distribute": [{ "type": "ManagedImage", "runOutputName": "out", "location": "westus2",
                             "imageId": format!("{}/providers/Microsoft.Compute/images/img", rg("rg-images")) }],
            "vmProfile": { "vnetConfig": { "subnetId":
                format!("{}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/build", rg("rg-network")) } }
        }
    });
    let result = run(
        &client,
        "permission.test",
        json!({ "template": template.clone() }),
    )
    .await;
    assert_eq!(result["ready"], true, "{result}");

    // Distributing to a gallery elsewhere needs what was never granted.
    template["properties"]["distribute"]
        .as_array_mut()
        .expect("distribute")
        .push(json!({ "type": "SharedImage", "runOutputName": "g", "replicationRegions": [],
                      "galleryImageId": format!("{}/providers/Microsoft.Compute/galleries/g/images/d", rg("rg-src")) }));
    let result = run(&client, "permission.test", json!({ "template": template })).await;
    assert_eq!(result["ready"], false);
    let gallery = result["scopes"]
        .as_array()
        .expect("scopes")
        .iter()
        .find(|s| s["scope"] == rg("rg-src"))
        .expect("gallery scope");
    assert!(
        gallery["missing"]
            .as_array()
            .expect("missing")
            .contains(&json!("Microsoft.Compute/galleries/images/versions/write"))
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn bad_plan_names_the_field_and_writes_nothing() {
    let (emulator, client, sub) = start(EmulatorConfig::default()).await;
    let before = writes(&emulator).await;
    for (request, field) in [
        (
            json!({ "subscriptionId": sub, "identityName": "aibIdentity", "resourceGroupName": "rg-aib",
                    "imageResourceGroupName": "rg-images", "sourceResourceGroupName": "rg-src" }),
            "sourceType",
        ),
        (
            json!({ "subscriptionId": sub, "identityName": "aibIdentity", "resourceGroupName": "rg-aib",
                    "imageResourcegroupName": "rg-images" }),
            "imageResourcegroupName",
        ),
        (
            json!({ "subscriptionId": "<subscriptionID>", "principalId": sub, "imageResourceGroupName": "rg" }),
            "subscriptionId",
        ),
    ] {
        let err = client
            .execute("grant.apply", request, &Progress::new())
            .await
            .expect_err("bad plan");
        assert_eq!(err.kind, ErrorKind::InvalidArgument);
        assert_eq!(err.target.as_deref(), Some(field));
    }
    assert_eq!(writes(&emulator).await, before);
    emulator.shutdown().await;
}

#[tokio::test]
async fn assignment_made_elsewhere_under_another_name_counts_as_done() {
    let (emulator, client, sub) = start(EmulatorConfig::default()).await;
    let state = emulator.state().clone();
    let principal = uuid::Uuid::new_v4().to_string();
    let scope = format!("/subscriptions/{sub}/resourceGroups/rg-staging");
    let contributor = format!(
        "/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/{}",
        roles::builtin::CONTRIBUTOR
    );

    // Someone assigned Contributor with a random assignment name, as the portal does.
    let ca = reqwest::Certificate::from_pem(emulator.ca_pem().as_bytes()).expect("ca");
    let http = reqwest::Client::builder()
        .tls_certs_only([ca])
        .build()
        .expect("http");
    let token: Value = http
        .post(format!(
            "{}/{}/oauth2/v2.0/token",
            state.authority_host, state.tenant_id
        ))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", state.client_id.as_str()),
            ("client_secret", state.client_secret.as_str()),
            ("scope", "https://management.azure.com/.default"),
        ])
        .send()
        .await
        .expect("token")
        .json()
        .await
        .expect("json");
    let put = http
        .put(format!(
            "{}{scope}/providers/Microsoft.Authorization/roleAssignments/{}?api-version=2022-04-01",
            state.endpoint,
            uuid::Uuid::new_v4()
        ))
        .bearer_auth(token["access_token"].as_str().expect("access_token"))
        .json(&json!({ "properties": { "roleDefinitionId": contributor, "principalId": principal, "principalType": "ServicePrincipal" } }))
        .send()
        .await
        .expect("put");
    assert_eq!(put.status().as_u16(), 201);

    let plan = json!({ "subscriptionId": sub, "principalId": principal,
                       "stagingResourceGroupName": "rg-staging" });
    let planned = run(&client, "grant.plan", plan.clone()).await;
    assert_eq!(actions(&planned), ["Unchanged"]);
    let before = writes(&emulator).await;
    let applied = run(&client, "grant.apply", plan).await;
    assert_eq!(actions(&applied), ["Unchanged"]);
    assert_eq!(items(&applied)[0]["id"], items(&planned)[0]["id"]);
    assert!(
        writes(&emulator).await <= before + 1,
        "at most the refused PUT"
    );
    emulator.shutdown().await;
}
