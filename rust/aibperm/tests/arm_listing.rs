//! `location.list` and `resourceGroup.list` (the lists tab completion reads) against the
//! in-process emulator.

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

fn names(list: &Value) -> Vec<String> {
    list["value"]
        .as_array()
        .expect("a JSON array")
        .iter()
        .map(|item| item["name"].as_str().expect("name").to_owned())
        .collect()
}

#[tokio::test]
async fn location_list_returns_region_names_and_display_names() {
    let emulator = Emulator::start(EmulatorConfig::default())
        .await
        .expect("emulator");
    let client = client_for(&emulator);
    let sub = emulator.state().subscription_id.clone();
    let list = run(&client, "location.list", json!({ "subscriptionId": sub })).await;
    assert!(names(&list).contains(&"westus2".to_owned()), "{list}");
    let eastus = list["value"]
        .as_array()
        .expect("array")
        .iter()
        .find(|l| l["name"] == "eastus")
        .expect("eastus");
    assert_eq!(eastus["displayName"], "East US");
}

#[tokio::test]
async fn resource_group_list_pages_through_every_group() {
    let config = EmulatorConfig {
        page_size: 2,
        ..EmulatorConfig::default()
    };
    let emulator = Emulator::start(config).await.expect("emulator");
    let client = client_for(&emulator);
    let sub = emulator.state().subscription_id.clone();
    for rg in ["rg-a", "rg-b", "rg-c", "rg-d", "rg-e"] {
        run(
            &client,
            "resourceGroup.createOrUpdate",
            json!({ "subscriptionId": sub, "resourceGroupName": rg, "location": "westus2" }),
        )
        .await;
    }
    let list = run(
        &client,
        "resourceGroup.list",
        json!({ "subscriptionId": sub }),
    )
    .await;
    let mut got = names(&list);
    got.sort();
    assert_eq!(got, ["rg-a", "rg-b", "rg-c", "rg-d", "rg-e"]);
    let first = &list["value"].as_array().expect("array")[0];
    assert!(
        first["id"]
            .as_str()
            .is_some_and(|id| id.to_lowercase().contains("/resourcegroups/rg-")),
        "{first}"
    );
    assert_eq!(first["location"], "westus2");
}

#[tokio::test]
async fn listing_refuses_a_subscription_id_that_is_not_a_guid() {
    let emulator = Emulator::start(EmulatorConfig::default())
        .await
        .expect("emulator");
    let client = client_for(&emulator);
    for operation in ["location.list", "resourceGroup.list"] {
        let error = client
            .execute(
                operation,
                json!({ "subscriptionId": "not-a-guid" }),
                &Progress::new(),
            )
            .await
            .expect_err("refused");
        assert_eq!(error.kind, ErrorKind::InvalidArgument, "{operation}");
    }
}
