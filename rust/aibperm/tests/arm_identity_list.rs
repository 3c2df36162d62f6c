//! `identity.list` (Get-AibUserAssignedIdentity's lists) against the in-process emulator:
//! by subscription across groups, by one group, paging, and refusals.

use aibperm::ErrorKind;
use aibperm::arm::{ArmClient, ClientConfig, Progress};
use aibperm_emulator::{Emulator, EmulatorConfig};
use serde_json::{Value, json};

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
        "retry": { "maxRetries": 2, "initialDelayMs": 50, "maxDelayMs": 200 }
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

fn sorted_names(list: &Value) -> Vec<String> {
    let mut names: Vec<String> = list["value"]
        .as_array()
        .expect("a JSON array")
        .iter()
        .map(|item| item["name"].as_str().expect("name").to_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn identity_list_spans_groups_pages_and_keeps_one_group_apart() {
    // A page size of 2 makes the subscription-wide list of 3 take two pages.
    let emulator = Emulator::start(EmulatorConfig {
        page_size: 2,
        ..EmulatorConfig::default()
    })
    .await
    .expect("emulator");
    let client = client_for(&emulator);
    let sub = emulator.state().subscription_id.clone();
    for group in ["rg", "rg01"] {
        run(
            &client,
            "resourceGroup.createOrUpdate",
            json!({ "subscriptionId": sub, "resourceGroupName": group, "location": "westus2" }),
        )
        .await;
    }
    for (group, name) in [("rg", "idA"), ("rg", "idB"), ("rg01", "idC")] {
        run(
            &client,
            "identity.createOrUpdate",
            json!({ "subscriptionId": sub, "resourceGroupName": group, "name": name }),
        )
        .await;
    }

    let all = run(&client, "identity.list", json!({ "subscriptionId": sub })).await;
    assert_eq!(sorted_names(&all), ["idA", "idB", "idC"]);
    let c = all["value"]
        .as_array()
        .expect("array")
        .iter()
        .find(|i| i["name"] == "idC")
        .expect("idC");
    assert_eq!(c["resourceGroupName"], "rg01");
    assert_eq!(c["subscriptionId"], sub.as_str());
    assert_eq!(c["outcome"], "Found");
    assert!(c["principalId"].as_str().is_some_and(|p| p.len() == 36));

    let rg = run(
        &client,
        "identity.list",
        json!({ "subscriptionId": sub, "resourceGroupName": "rg" }),
    )
    .await;
    assert_eq!(sorted_names(&rg), ["idA", "idB"]);

    let missing = client
        .execute(
            "identity.list",
            json!({ "subscriptionId": sub, "resourceGroupName": "nope" }),
            &Progress::new(),
        )
        .await
        .expect_err("missing group");
    assert_eq!(missing.kind, ErrorKind::Service);
    assert_eq!(missing.arm_code.as_deref(), Some("ResourceGroupNotFound"));

    let bad = client
        .execute(
            "identity.list",
            json!({ "subscriptionId": "not-a-guid" }),
            &Progress::new(),
        )
        .await
        .expect_err("bad subscription");
    assert_eq!(bad.kind, ErrorKind::InvalidArgument);
    assert_eq!(bad.target.as_deref(), Some("subscriptionId"));
    emulator.shutdown().await;
}
