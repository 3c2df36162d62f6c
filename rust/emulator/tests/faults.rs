//! Injected faults: replication and visibility windows, throttling, transient failures,
//! dropped connections and an unfamiliar RoleAssignmentExists message.

mod common;

use aibperm_emulator::{EmulatorConfig, Faults};
use common::{AUTHZ, Harness, MSI, start};
use reqwest::{Method, StatusCode};
use serde_json::json;
use std::time::Duration;

const READER: &str = "acdd72a7-3385-48ef-bd42-f606fba81ae7";

fn guid() -> String {
    uuid::Uuid::new_v4().to_string()
}

async fn set_faults(h: &Harness, faults: Faults) {
    let body = serde_json::to_value(&faults).expect("faults serialize");
    let answer = h.control(Method::PUT, "/faults", Some(body)).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
}

async fn new_identity(h: &Harness, name: &str) -> String {
    h.resource_group("rg").await;
    let path = format!(
        "/subscriptions/{}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}",
        h.sub()
    );
    let answer = h
        .arm(
            Method::PUT,
            &path,
            MSI,
            Some(json!({"location": "westus2"})),
        )
        .await;
    assert_eq!(answer.status, StatusCode::CREATED);
    answer.body["properties"]["principalId"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

async fn assign_reader(h: &Harness, principal: &str) -> common::Answer {
    let scope = format!("/subscriptions/{}", h.sub());
    let path = format!(
        "{scope}/providers/Microsoft.Authorization/roleAssignments/{}",
        guid()
    );
    let body = json!({"properties": {
        "roleDefinitionId": format!("{scope}/providers/Microsoft.Authorization/roleDefinitions/{READER}"),
        "principalId": principal,
        "principalType": "ServicePrincipal",
    }});
    h.arm(Method::PUT, &path, AUTHZ, Some(body)).await
}

#[tokio::test]
async fn new_principal_is_not_found_until_it_replicates() {
    let h = start(EmulatorConfig {
        faults: Faults {
            replication_delay_seconds: 1,
            ..Faults::default()
        },
        ..EmulatorConfig::default()
    })
    .await;
    let principal = new_identity(&h, "uai-a").await;

    let early = assign_reader(&h, &principal).await;
    assert_eq!(early.status, StatusCode::BAD_REQUEST);
    assert_eq!(early.code(), "PrincipalNotFound");

    tokio::time::sleep(Duration::from_millis(1200)).await;
    let later = assign_reader(&h, &principal).await;
    assert_eq!(later.status, StatusCode::CREATED, "{}", later.body);
    h.emulator.shutdown().await;
}

#[tokio::test]
async fn new_role_is_invisible_until_the_window_passes() {
    let h = start(EmulatorConfig {
        faults: Faults {
            role_visibility_delay_seconds: 1,
            ..Faults::default()
        },
        ..EmulatorConfig::default()
    })
    .await;
    let scope = format!("/subscriptions/{}", h.sub());
    let name = guid();
    let role_path = format!("{scope}/providers/Microsoft.Authorization/roleDefinitions/{name}");
    let body = json!({"properties": {"roleName": "Fresh Role", "assignableScopes": [scope]}});
    let created = h.arm(Method::PUT, &role_path, AUTHZ, Some(body)).await;
    assert_eq!(created.status, StatusCode::CREATED);
    let role_id = created.body["id"].as_str().unwrap_or_default().to_owned();

    let get = h.arm(Method::GET, &role_path, AUTHZ, None).await;
    assert_eq!(get.code(), "RoleDefinitionDoesNotExist");
    let by_name = format!(
        "{scope}/providers/Microsoft.Authorization/roleDefinitions?$filter=roleName%20eq%20'Fresh%20Role'"
    );
    let list = h.arm(Method::GET, &by_name, AUTHZ, None).await;
    assert_eq!(list.body["value"], json!([]));
    let sp = h.emulator.state().service_principal_object_id.clone();
    let path = format!(
        "{scope}/providers/Microsoft.Authorization/roleAssignments/{}",
        guid()
    );
    let assign_body = json!({"properties": {"roleDefinitionId": role_id, "principalId": sp}});
    let assign = h
        .arm(Method::PUT, &path, AUTHZ, Some(assign_body.clone()))
        .await;
    assert_eq!(assign.status, StatusCode::BAD_REQUEST);
    assert_eq!(assign.code(), "RoleDefinitionDoesNotExist");

    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(
        h.arm(Method::GET, &role_path, AUTHZ, None).await.status,
        StatusCode::OK
    );
    let list = h.arm(Method::GET, &by_name, AUTHZ, None).await;
    assert_eq!(list.body["value"][0]["name"], name.as_str());
    let assign = h.arm(Method::PUT, &path, AUTHZ, Some(assign_body)).await;
    assert_eq!(assign.status, StatusCode::CREATED);
    h.emulator.shutdown().await;
}

#[tokio::test]
async fn writes_beyond_the_limit_get_429_with_retry_after() {
    let h = start(EmulatorConfig::default()).await;
    set_faults(
        &h,
        Faults {
            writes_per_minute: 2,
            ..Faults::default()
        },
    )
    .await;
    assert_eq!(h.resource_group("rg1").await.status, StatusCode::CREATED);
    let second = h.resource_group("rg2").await;
    assert_eq!(second.status, StatusCode::CREATED);
    assert_eq!(
        second.headers["x-ms-ratelimit-remaining-subscription-writes"],
        "0"
    );

    let third = h.resource_group("rg3").await;
    assert_eq!(third.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(third.code(), "ResourceRequestsThrottled");
    let retry_after: u64 = third.headers["retry-after"]
        .to_str()
        .unwrap_or_default()
        .parse()
        .expect("Retry-After in seconds");
    assert!((1..=60).contains(&retry_after));
    assert!(
        third.body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("exceeded the limit of '2' for time interval '00:01:00'")
    );

    // Reads have their own budget.
    let path = format!("/subscriptions/{}/resourcegroups/rg1", h.sub());
    let read = h.arm(Method::GET, &path, common::RESOURCES, None).await;
    assert_eq!(read.status, StatusCode::OK);
    let counters = h.control(Method::GET, "/counters", None).await;
    assert_eq!(counters.body["resourceGroups.put"], 3);
    h.emulator.shutdown().await;
}

#[tokio::test]
async fn transient_failures_repeat_with_the_same_seed() {
    let h = start(EmulatorConfig::default()).await;
    let faults = Faults {
        transient_failure_rate: 0.5,
        fault_seed: 7,
        ..Faults::default()
    };
    let path = format!("/subscriptions/{}", h.sub());
    let mut runs = Vec::new();
    for _ in 0..2 {
        set_faults(&h, faults.clone()).await;
        let mut statuses = Vec::new();
        for _ in 0..24 {
            let answer = h.arm(Method::GET, &path, common::RESOURCES, None).await;
            if answer.status.is_server_error() {
                assert!(["InternalServerError", "ServiceUnavailable"].contains(&answer.code()));
                assert!(answer.headers.contains_key("x-ms-request-id"));
            }
            statuses.push(answer.status.as_u16());
        }
        runs.push(statuses);
    }
    assert_eq!(runs[0], runs[1]);
    assert!(runs[0].contains(&200));
    assert!(runs[0].iter().any(|s| *s == 500 || *s == 503));
    h.emulator.shutdown().await;
}

#[tokio::test]
async fn dropped_connections_give_no_answer() {
    let h = start(EmulatorConfig::default()).await;
    set_faults(
        &h,
        Faults {
            drop_connection_rate: 1.0,
            ..Faults::default()
        },
    )
    .await;
    let url = h.url(&format!("/subscriptions/{}", h.sub()), common::RESOURCES);
    let result = h.client.get(&url).bearer_auth(&h.token).send().await;
    assert!(
        result.is_err(),
        "expected a transport error, got {result:?}"
    );

    // The control endpoint is not subject to faults.
    set_faults(&h, Faults::default()).await;
    let answer = h
        .arm(
            Method::GET,
            &format!("/subscriptions/{}", h.sub()),
            common::RESOURCES,
            None,
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    h.emulator.shutdown().await;
}

#[tokio::test]
async fn role_assignment_exists_can_carry_an_unfamiliar_message() {
    let h = start(EmulatorConfig {
        faults: Faults {
            assignment_exists_message: Some("Diese Rollenzuweisung gibt es schon.".into()),
            ..Faults::default()
        },
        ..EmulatorConfig::default()
    })
    .await;
    let sp = h.emulator.state().service_principal_object_id.clone();
    assert_eq!(assign_reader(&h, &sp).await.status, StatusCode::CREATED);
    let again = assign_reader(&h, &sp).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.code(), "RoleAssignmentExists");
    assert_eq!(
        again.body["error"]["message"],
        "Diese Rollenzuweisung gibt es schon."
    );
    h.emulator.shutdown().await;
}

#[tokio::test]
async fn invalid_fault_settings_are_refused_and_reset_clears_state() {
    let h = start(EmulatorConfig::default()).await;
    let bad = h
        .control(
            Method::PUT,
            "/faults",
            Some(json!({"transientFailureRate": 2.0})),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let unknown = h
        .control(Method::PUT, "/faults", Some(json!({"replicationDelay": 5})))
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);

    h.resource_group("rg").await;
    assert_eq!(
        h.control(Method::POST, "/reset", None).await.status,
        StatusCode::NO_CONTENT
    );
    let state = h.control(Method::GET, "/state", None).await;
    assert_eq!(state.body["resourceGroups"], json!([]));
    let counters = h.control(Method::GET, "/counters", None).await;
    assert_eq!(counters.body, json!({}));
    h.emulator.shutdown().await;
}
