//! The ARM client against the in-process emulator over HTTPS with its own CA, signed in
//! with a client secret through azure_identity: the AIB recipe, its rerun, and ARM's races.

use std::collections::BTreeMap;

use aibperm::ErrorKind;
use aibperm::arm::{ArmClient, ClientConfig, Progress};
use aibperm::roles::{self, GenerateRequest};
use aibperm_emulator::{Emulator, EmulatorConfig};
use serde_json::{Value, json};

mod common;
use common::LogCapture;

/// A client configured from the emulator's state file, as the module does.
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
        "retry": { "maxRetries": 4, "initialDelayMs": 50, "maxDelayMs": 500 },
        "logLevel": "debug"
    }))
    .expect("config");
    ArmClient::new(config).expect("client")
}

/// A plain HTTPS client trusting only the emulator's CA, for the control endpoint.
fn control_http(emulator: &Emulator) -> reqwest::Client {
    let ca = reqwest::Certificate::from_pem(emulator.ca_pem().as_bytes()).expect("ca");
    reqwest::Client::builder()
        .tls_certs_only([ca])
        .build()
        .expect("http")
}

async fn writes(emulator: &Emulator) -> u64 {
    let counters: BTreeMap<String, u64> = control_http(emulator)
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

fn role_for(scenario: &str, sub: &str, rg: &str) -> Value {
    let role = roles::generate(&GenerateRequest {
        scenario: scenario.to_owned(),
        subscription_id: Some(sub.to_owned()),
        resource_group_name: Some(rg.to_owned()),
        scope: None,
        role_name: None,
        description: None,
    })
    .expect("generate");
    json!({ "role": role })
}

/// Runs identity + ImageCreation and Networking roles + two assignments; returns the
/// outcomes in order.
async fn recipe(client: &ArmClient, sub: &str) -> Vec<String> {
    let mut outcomes = vec![];
    let identity = run(
        client,
        "identity.createOrUpdate",
        json!({ "subscriptionId": sub, "resourceGroupName": "rg-aib", "name": "aibIdentity" }),
    )
    .await;
    outcomes.push(identity["outcome"].as_str().expect("outcome").to_owned());
    let principal = identity["principalId"]
        .as_str()
        .expect("principalId")
        .to_owned();

    for (scenario, rg) in [("ImageCreation", "rg-images"), ("Networking", "rg-network")] {
        let role = run(client, "roleDefinition.ensure", role_for(scenario, sub, rg)).await;
        outcomes.push(role["outcome"].as_str().expect("outcome").to_owned());
        let assignment = run(
            client,
            "roleAssignment.create",
            json!({
                "scope": format!("/subscriptions/{sub}/resourceGroups/{rg}"),
                "principalId": principal,
                "roleDefinitionId": role["id"],
                "principalType": "ServicePrincipal"
            }),
        )
        .await;
        assert_eq!(assignment["roleDefinitionName"], role["roleName"]);
        outcomes.push(assignment["outcome"].as_str().expect("outcome").to_owned());
    }
    outcomes
}

async fn groups(client: &ArmClient, sub: &str) {
    for rg in ["rg-aib", "rg-images", "rg-network"] {
        run(
            client,
            "resourceGroup.createOrUpdate",
            json!({ "subscriptionId": sub, "resourceGroupName": rg, "location": "westus2" }),
        )
        .await;
    }
}

#[tokio::test]
async fn recipe_creates_everything_and_a_rerun_changes_nothing() {
    let emulator = Emulator::start(EmulatorConfig::default())
        .await
        .expect("emulator");
    let client = client_for(&emulator);
    let sub = emulator.state().subscription_id.clone();
    groups(&client, &sub).await;

    let first = recipe(&client, &sub).await;
    assert_eq!(
        first,
        ["Created", "Created", "Created", "Created", "Created"]
    );

    let before = writes(&emulator).await;
    let second = recipe(&client, &sub).await;
    assert_eq!(
        second,
        [
            "Unchanged",
            "Unchanged",
            "Unchanged",
            "Unchanged",
            "Unchanged"
        ]
    );
    assert_eq!(writes(&emulator).await, before, "a rerun must not write");

    // The identity took the resource group's location.
    let identity = run(
        &client,
        "identity.get",
        json!({ "subscriptionId": sub, "resourceGroupName": "rg-aib", "name": "aibIdentity" }),
    )
    .await;
    assert_eq!(identity["location"], "westus2");
    let listed = run(
        &client,
        "roleAssignment.list",
        json!({ "scope": format!("/subscriptions/{sub}/resourceGroups/rg-images"), "principalId": identity["principalId"] }),
    )
    .await;
    assert_eq!(listed["value"].as_array().expect("array").len(), 1);
    emulator.shutdown().await;
}

#[tokio::test]
async fn recipe_waits_out_replication_and_role_visibility_delays() {
    let mut config = EmulatorConfig::default();
    config.faults.replication_delay_seconds = 2;
    config.faults.role_visibility_delay_seconds = 2;
    let emulator = Emulator::start(config).await.expect("emulator");
    let client = client_for(&emulator);
    let sub = emulator.state().subscription_id.clone();
    groups(&client, &sub).await;

    let first = recipe(&client, &sub).await;
    assert_eq!(
        first,
        ["Created", "Created", "Created", "Created", "Created"]
    );
    let second = recipe(&client, &sub).await;
    assert_eq!(
        second,
        [
            "Unchanged",
            "Unchanged",
            "Unchanged",
            "Unchanged",
            "Unchanged"
        ]
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn existing_assignment_under_another_name_is_returned_unchanged() {
    let mut config = EmulatorConfig::default();
    config.faults.assignment_exists_message = Some("Quelque chose existe déjà.".to_owned());
    let emulator = Emulator::start(config).await.expect("emulator");
    let client = client_for(&emulator);
    let state = emulator.state().clone();
    let sub = state.subscription_id.clone();
    groups(&client, &sub).await;
    let identity = run(
        &client,
        "identity.createOrUpdate",
        json!({ "subscriptionId": sub, "resourceGroupName": "rg-aib", "name": "uai-a" }),
    )
    .await;
    let principal = identity["principalId"]
        .as_str()
        .expect("principal")
        .to_owned();
    let scope = format!("/subscriptions/{sub}/resourceGroups/rg-aib");
    let reader = format!(
        "/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/{}",
        roles::builtin::READER
    );

    // Someone else assigned Reader under a random name, as Az does.
    let token: Value = control_http(&emulator)
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
    let other = uuid::Uuid::new_v4();
    let put = control_http(&emulator)
        .put(format!(
            "{}{scope}/providers/Microsoft.Authorization/roleAssignments/{other}?api-version=2022-04-01",
            state.endpoint
        ))
        .bearer_auth(token["access_token"].as_str().expect("access_token"))
        .json(&json!({ "properties": { "roleDefinitionId": reader, "principalId": principal, "principalType": "ServicePrincipal" } }))
        .send()
        .await
        .expect("put");
    assert_eq!(put.status().as_u16(), 201);

    let assignment = run(
        &client,
        "roleAssignment.create",
        json!({ "scope": scope, "principalId": principal, "roleDefinitionName": "Reader", "principalType": "ServicePrincipal" }),
    )
    .await;
    assert_eq!(assignment["outcome"], "Unchanged");
    assert_eq!(assignment["name"], other.to_string());
    emulator.shutdown().await;
}

#[tokio::test]
async fn role_name_used_in_another_subscription_is_a_conflict() {
    let other_sub = uuid::Uuid::new_v4().to_string();
    let config = EmulatorConfig {
        extra_subscription_ids: vec![other_sub.clone()],
        ..EmulatorConfig::default()
    };
    let emulator = Emulator::start(config).await.expect("emulator");
    let client = client_for(&emulator);
    let sub = emulator.state().subscription_id.clone();
    groups(&client, &sub).await;
    let name = "Image Role";
    let theirs = json!({ "role": {
        "id": null, "name": null, "roleName": name, "description": "theirs", "roleType": "CustomRole",
        "actions": ["Microsoft.Network/virtualNetworks/read"], "notActions": [], "dataActions": [], "notDataActions": [],
        "assignableScopes": [format!("/subscriptions/{other_sub}")]
    }});
    run(&client, "roleDefinition.ensure", theirs).await;

    let before = writes(&emulator).await;
    let ours = json!({ "role": {
        "id": null, "name": null, "roleName": name, "description": "ours", "roleType": "CustomRole",
        "actions": ["Microsoft.Compute/images/read"], "notActions": [], "dataActions": [], "notDataActions": [],
        "assignableScopes": [format!("/subscriptions/{sub}/resourceGroups/rg-images")]
    }});
    let err = client
        .execute("roleDefinition.ensure", ours, &Progress::new())
        .await
        .expect_err("clash");
    assert_eq!(err.kind, ErrorKind::Conflict);
    assert!(err.message.contains(&other_sub), "{}", err.message);
    assert!(err.message.contains("rg-images"), "{}", err.message);
    assert!(err.recommended_action.is_some());
    // The refused PUT is the only write; nothing half-made remains.
    assert!(writes(&emulator).await <= before + 1);
    emulator.shutdown().await;
}

#[tokio::test]
async fn emulator_certificate_is_refused_without_its_ca() {
    let emulator = Emulator::start(EmulatorConfig::default())
        .await
        .expect("emulator");
    let state = emulator.state();
    let config: ClientConfig = serde_json::from_value(json!({
        "armEndpoint": state.endpoint,
        "audience": state.audience,
        "credential": { "kind": "accessToken", "token": "not-needed" },
        "retry": { "maxRetries": 0 }
    }))
    .expect("config");
    let client = ArmClient::new(config).expect("client");
    let err = client
        .execute(
            "resourceGroup.get",
            json!({ "subscriptionId": state.subscription_id, "resourceGroupName": "rg" }),
            &Progress::new(),
        )
        .await
        .expect_err("untrusted certificate");
    assert_eq!(err.kind, ErrorKind::Transport);
    emulator.shutdown().await;
}

#[tokio::test]
async fn wrong_client_secret_is_a_credential_error_without_the_secret() {
    let emulator = Emulator::start(EmulatorConfig::default())
        .await
        .expect("emulator");
    let state = emulator.state();
    let wrong = "wrong-secret-7f3a9c";
    let config: ClientConfig = serde_json::from_value(json!({
        "armEndpoint": state.endpoint,
        "authorityHost": state.authority_host,
        "audience": state.audience,
        "caCertificatePath": state.ca_certificate_path,
        "credential": { "kind": "clientSecret", "tenantId": state.tenant_id, "clientId": state.client_id, "clientSecret": wrong },
        "retry": { "maxRetries": 0 }
    }))
    .expect("config");
    let client = ArmClient::new(config).expect("client");
    let err = client
        .execute(
            "resourceGroup.get",
            json!({ "subscriptionId": state.subscription_id, "resourceGroupName": "rg" }),
            &Progress::new(),
        )
        .await
        .expect_err("bad secret");
    assert_eq!(err.kind, ErrorKind::Credential);
    assert!(!format!("{err:?}").contains(wrong));
    emulator.shutdown().await;
}

#[tokio::test]
async fn logs_show_steps_and_requests_but_no_secret_or_token() {
    let log = LogCapture::start();
    let emulator = Emulator::start(EmulatorConfig::default())
        .await
        .expect("emulator");
    let client = client_for(&emulator);
    let state = emulator.state().clone();
    groups(&client, &state.subscription_id).await;
    recipe(&client, &state.subscription_id).await;
    emulator.shutdown().await;

    let text = log.text();
    assert!(text.contains("creating role definition"), "{text}");
    assert!(text.contains("creating role assignment"), "{text}");
    assert!(text.contains("-> 201 (request id"), "{text}");
    assert!(
        !text.contains(&state.client_secret),
        "client secret in the log"
    );
    assert!(!text.contains("Bearer "), "authorization header in the log");
    assert!(!text.contains("eyJ"), "a JWT in the log");
}

#[tokio::test]
async fn deletes_remove_what_the_recipe_made_and_a_second_delete_finds_nothing() {
    let emulator = Emulator::start(EmulatorConfig::default())
        .await
        .expect("emulator");
    let client = client_for(&emulator);
    let sub = emulator.state().subscription_id.clone();
    groups(&client, &sub).await;
    recipe(&client, &sub).await;

    let identity_name =
        json!({ "subscriptionId": sub, "resourceGroupName": "rg-aib", "name": "aibIdentity" });
    let identity = run(&client, "identity.get", identity_name.clone()).await;
    let scope = format!("/subscriptions/{sub}/resourceGroups/rg-images");
    let listed = run(
        &client,
        "roleAssignment.list",
        json!({ "scope": scope, "principalId": identity["principalId"] }),
    )
    .await;
    let assignment = &listed["value"][0];
    let assignment_name = json!({ "scope": scope, "name": assignment["name"] });
    let got = run(&client, "roleAssignment.get", assignment_name.clone()).await;
    assert_eq!(got["outcome"], "Found");

    let deleted = run(&client, "roleAssignment.delete", assignment_name.clone()).await;
    assert_eq!(deleted["outcome"], "Deleted");
    let again = run(&client, "roleAssignment.delete", assignment_name).await;
    assert_eq!(again["outcome"], "NotFound");

    let role_guid = assignment["roleDefinitionId"]
        .as_str()
        .and_then(|id| id.rsplit('/').next())
        .expect("role guid")
        .to_owned();
    let role_name = json!({ "scope": scope, "name": role_guid });
    let deleted = run(&client, "roleDefinition.delete", role_name.clone()).await;
    assert_eq!(deleted["outcome"], "Deleted");
    let err = client
        .execute("roleDefinition.get", role_name, &Progress::new())
        .await
        .expect_err("gone");
    assert_eq!(err.http_status, Some(404));

    let deleted = run(&client, "identity.delete", identity_name.clone()).await;
    assert_eq!(deleted["outcome"], "Deleted");
    let again = run(&client, "identity.delete", identity_name).await;
    assert_eq!(again["outcome"], "NotFound");
    emulator.shutdown().await;
}

#[tokio::test]
async fn recipe_converges_through_transient_failures_and_dropped_connections() {
    let mut config = EmulatorConfig::default();
    config.faults.transient_failure_rate = 0.25;
    config.faults.drop_connection_rate = 0.1;
    config.faults.fault_seed = 7;
    let emulator = Emulator::start(config).await.expect("emulator");
    let state = emulator.state().clone();
    let client = {
        let config: ClientConfig = serde_json::from_value(json!({
            "armEndpoint": state.endpoint,
            "authorityHost": state.authority_host,
            "audience": state.audience,
            "caCertificatePath": state.ca_certificate_path,
            "credential": { "kind": "clientSecret", "tenantId": state.tenant_id, "clientId": state.client_id, "clientSecret": state.client_secret },
            "retry": { "maxRetries": 12, "initialDelayMs": 10, "maxDelayMs": 100 }
        }))
        .expect("config");
        ArmClient::new(config).expect("client")
    };
    groups(&client, &state.subscription_id).await;
    let first = recipe(&client, &state.subscription_id).await;
    assert!(
        first.iter().all(|o| o == "Created" || o == "Unchanged"),
        "{first:?}"
    );
    let second = recipe(&client, &state.subscription_id).await;
    assert!(second.iter().all(|o| o == "Unchanged"), "{second:?}");

    // No duplicates: one custom role per bundle, one assignment per scope.
    let dump: Value = control_http(&emulator)
        .get(format!("{}/_emulator/state", emulator.endpoint()))
        .send()
        .await
        .expect("state")
        .json()
        .await
        .expect("json");
    let text = dump.to_string();
    assert_eq!(
        text.matches("Azure Image Builder Image Creation").count(),
        1,
        "{text}"
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn concurrent_assignment_runs_make_one_assignment() {
    let emulator = Emulator::start(EmulatorConfig::default())
        .await
        .expect("emulator");
    let client = client_for(&emulator);
    let sub = emulator.state().subscription_id.clone();
    groups(&client, &sub).await;
    let identity = run(
        &client,
        "identity.createOrUpdate",
        json!({ "subscriptionId": sub, "resourceGroupName": "rg-aib", "name": "uai-a" }),
    )
    .await;
    let scope = format!("/subscriptions/{sub}/resourceGroups/rg-aib");
    let request = json!({
        "scope": scope, "principalId": identity["principalId"],
        "roleDefinitionId": roles::builtin::READER, "principalType": "ServicePrincipal"
    });
    let runs = (0..4).map(|_| {
        let client = client.clone();
        let request = request.clone();
        tokio::spawn(async move {
            client
                .execute("roleAssignment.create", request, &Progress::new())
                .await
        })
    });
    let mut names = vec![];
    for run in runs {
        let result = run.await.expect("joins").expect("every run succeeds");
        names.push(result["name"].as_str().expect("name").to_owned());
    }
    names.dedup();
    assert_eq!(names.len(), 1, "{names:?}");
    let listed = run(
        &client,
        "roleAssignment.list",
        json!({ "scope": scope, "principalId": identity["principalId"] }),
    )
    .await;
    assert_eq!(listed["value"].as_array().expect("array").len(), 1);
    emulator.shutdown().await;
}

#[tokio::test]
async fn cancelled_replication_wait_leaves_a_state_a_rerun_completes() {
    let mut config = EmulatorConfig::default();
    config.faults.replication_delay_seconds = 2;
    let emulator = Emulator::start(config).await.expect("emulator");
    let client = client_for(&emulator);
    let sub = emulator.state().subscription_id.clone();
    groups(&client, &sub).await;
    let identity = run(
        &client,
        "identity.createOrUpdate",
        json!({ "subscriptionId": sub, "resourceGroupName": "rg-aib", "name": "uai-cancel" }),
    )
    .await;
    let request = json!({
        "scope": format!("/subscriptions/{sub}/resourceGroups/rg-aib"),
        "principalId": identity["principalId"],
        "roleDefinitionId": roles::builtin::READER,
        "principalType": "ServicePrincipal"
    });
    let progress = Progress::new();
    let cancelled = tokio::time::timeout(
        std::time::Duration::from_millis(700),
        client.execute("roleAssignment.create", request.clone(), &progress),
    )
    .await;
    assert!(cancelled.is_err(), "the wait was still running");
    assert_eq!(progress.snapshot().phase, "waitingForPrincipal");

    let done = run(&client, "roleAssignment.create", request.clone()).await;
    assert_eq!(done["outcome"], "Created");
    let again = run(&client, "roleAssignment.create", request).await;
    assert_eq!(again["outcome"], "Unchanged");
    emulator.shutdown().await;
}

#[tokio::test]
async fn short_lived_tokens_are_refreshed_transparently() {
    let mut config = EmulatorConfig::default();
    config.faults.token_lifetime_seconds = 1;
    let emulator = Emulator::start(config).await.expect("emulator");
    let client = client_for(&emulator);
    let sub = emulator.state().subscription_id.clone();
    groups(&client, &sub).await;
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    let first = recipe(&client, &sub).await;
    assert_eq!(
        first,
        ["Created", "Created", "Created", "Created", "Created"]
    );
    emulator.shutdown().await;
}

fn managed_identity_client(
    emulator: &Emulator,
    header: &str,
    client_id: Option<&str>,
) -> ArmClient {
    let state = emulator.state();
    let config: ClientConfig = serde_json::from_value(json!({
        "armEndpoint": state.endpoint,
        "audience": state.audience,
        "caCertificatePath": state.ca_certificate_path,
        "credential": {
            "kind": "managedIdentity",
            "endpoint": state.managed_identity_endpoint,
            "identityHeader": header,
            "clientId": client_id
        },
        "retry": { "maxRetries": 0 }
    }))
    .expect("config");
    ArmClient::new(config).expect("client")
}

#[tokio::test]
async fn managed_identity_endpoint_gives_working_tokens() {
    let emulator = Emulator::start(EmulatorConfig::default())
        .await
        .expect("emulator");
    let state = emulator.state().clone();
    let client = managed_identity_client(&emulator, &state.identity_header, None);
    groups(&client, &state.subscription_id).await;
    let identity = run(
        &client,
        "identity.createOrUpdate",
        json!({ "subscriptionId": state.subscription_id, "resourceGroupName": "rg-aib", "name": "uai-build" }),
    )
    .await;

    // The user-assigned identity just made, chosen by its client id.
    let as_identity = managed_identity_client(
        &emulator,
        &state.identity_header,
        identity["clientId"].as_str(),
    );
    let group = run(
        &as_identity,
        "resourceGroup.get",
        json!({ "subscriptionId": state.subscription_id, "resourceGroupName": "rg-aib" }),
    )
    .await;
    assert_eq!(group["outcome"], "Found");
    emulator.shutdown().await;
}

#[tokio::test]
async fn wrong_identity_header_is_a_credential_error_without_the_header() {
    let emulator = Emulator::start(EmulatorConfig::default())
        .await
        .expect("emulator");
    let state = emulator.state().clone();
    let wrong = "wrong-identity-header-5d2e";
    let client = managed_identity_client(&emulator, wrong, None);
    let err = client
        .execute(
            "resourceGroup.get",
            json!({ "subscriptionId": state.subscription_id, "resourceGroupName": "rg" }),
            &Progress::new(),
        )
        .await
        .expect_err("refused");
    assert_eq!(err.kind, ErrorKind::Credential);
    assert!(!format!("{err:?}").contains(wrong));
    emulator.shutdown().await;
}

#[test]
fn managed_identity_endpoint_must_be_https_or_loopback_http() {
    for endpoint in [
        "http://identity.invalid/msi/token",
        "ftp://127.0.0.1/msi",
        "not a url",
    ] {
        let config: ClientConfig = serde_json::from_value(json!({
            "credential": { "kind": "managedIdentity", "endpoint": endpoint, "identityHeader": "h" }
        }))
        .expect("config");
        let err = ArmClient::new(config).expect_err(endpoint);
        assert_eq!(err.target.as_deref(), Some("endpoint"), "{endpoint}");
    }
    let config: ClientConfig = serde_json::from_value(json!({
        "credential": { "kind": "managedIdentity", "endpoint": "http://127.0.0.1:41741/msi/token", "identityHeader": "h" }
    }))
    .expect("config");
    ArmClient::new(config).expect("loopback http is how App Service serves it");
}
