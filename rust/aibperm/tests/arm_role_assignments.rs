//! Role assignments against a mock ARM: idempotency, RoleAssignmentExists by code, the
//! principal replication wait, and lookups by role name.

mod common;

use std::time::Duration;

use aibperm::ErrorKind;
use aibperm::arm::Progress;
use aibperm::arm::scope::Scope;
use aibperm::roles;
use common::*;
use serde_json::{Value, json};
use wiremock::matchers::{body_partial_json, method, path, query_param};
use wiremock::{Mock, ResponseTemplate};

const READER: &str = "acdd72a7-3385-48ef-bd42-f606fba81ae7";

fn role_id() -> String {
    format!("/subscriptions/{SUB}/providers/Microsoft.Authorization/roleDefinitions/{READER}")
}

fn assignment_guid(rg: &str) -> uuid::Uuid {
    let scope = Scope::parse("scope", &rg_scope(rg)).expect("scope");
    roles::role_assignment_guid(
        &scope,
        &uuid::Uuid::parse_str(PRINCIPAL).expect("uuid"),
        &uuid::Uuid::parse_str(READER).expect("uuid"),
    )
}

fn assignment_path(rg: &str, guid: &str) -> String {
    format!(
        "{}/providers/Microsoft.Authorization/roleAssignments/{guid}",
        rg_scope(rg)
    )
}

fn assignment_body(rg: &str, guid: &str) -> Value {
    json!({
        "id": assignment_path(rg, guid),
        "name": guid,
        "type": "Microsoft.Authorization/roleAssignments",
        "properties": {
            "roleDefinitionId": role_id(),
            "principalId": PRINCIPAL,
            "principalType": "ServicePrincipal",
            "scope": rg_scope(rg)
        }
    })
}

fn role_definition_path() -> String {
    format!(
        "{}/providers/Microsoft.Authorization/roleDefinitions/{READER}",
        rg_scope("rg")
    )
}

fn create_request() -> Value {
    json!({
        "scope": rg_scope("rg"),
        "principalId": PRINCIPAL,
        "roleDefinitionId": READER,
        "principalType": "ServicePrincipal"
    })
}

/// The role definition GET used only to show the role's name.
async fn mount_reader(arm: &Arm) {
    Mock::given(method("GET"))
        .and(path(role_definition_path()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": role_id(), "name": READER,
            "properties": { "roleName": "Reader", "type": "BuiltInRole", "permissions": [{"actions": ["*/read"]}], "assignableScopes": ["/"] }
        })))
        .mount(&arm.server)
        .await;
}

#[tokio::test]
async fn new_assignment_is_put_under_its_deterministic_name() {
    let arm = arm().await;
    mount_reader(&arm).await;
    let guid = assignment_guid("rg").to_string();
    Mock::given(method("GET"))
        .and(path(assignment_path("rg", &guid)))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(arm_error("RoleAssignmentNotFound", "not found")),
        )
        .expect(1)
        .mount(&arm.server)
        .await;
    Mock::given(method("PUT"))
        .and(path(assignment_path("rg", &guid)))
        .and(query_param("api-version", "2022-04-01"))
        .and(body_partial_json(json!({ "properties": {
            "roleDefinitionId": role_id(), "principalId": PRINCIPAL, "principalType": "ServicePrincipal"
        }})))
        .respond_with(ResponseTemplate::new(201).set_body_json(assignment_body("rg", &guid)))
        .expect(1)
        .mount(&arm.server)
        .await;
    catch_all(&arm.server, "GET role, GET assignment, PUT assignment").await;

    let result = arm
        .client
        .execute("roleAssignment.create", create_request(), &Progress::new())
        .await
        .expect("created");
    assert_eq!(result["outcome"], "Created");
    assert_eq!(result["name"], guid);
    assert_eq!(result["roleDefinitionName"], "Reader");
    assert_eq!(result["principalType"], "ServicePrincipal");
}

#[tokio::test]
async fn existing_assignment_is_unchanged_and_not_written() {
    let arm = arm().await;
    mount_reader(&arm).await;
    let guid = assignment_guid("rg").to_string();
    Mock::given(method("GET"))
        .and(path(assignment_path("rg", &guid)))
        .respond_with(ResponseTemplate::new(200).set_body_json(assignment_body("rg", &guid)))
        .expect(1)
        .mount(&arm.server)
        .await;
    catch_all(&arm.server, "no PUT for an existing assignment").await;

    let result = arm
        .client
        .execute("roleAssignment.create", create_request(), &Progress::new())
        .await
        .expect("unchanged");
    assert_eq!(result["outcome"], "Unchanged");
}

#[tokio::test]
async fn role_assignment_exists_is_success_whatever_the_message() {
    let arm = arm().await;
    mount_reader(&arm).await;
    let guid = assignment_guid("rg").to_string();
    let other = "99999999-9999-9999-9999-999999999999";
    Mock::given(method("GET"))
        .and(path(assignment_path("rg", &guid)))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(arm_error("RoleAssignmentNotFound", "nope")),
        )
        .mount(&arm.server)
        .await;
    Mock::given(method("PUT"))
        .and(path(assignment_path("rg", &guid)))
        .respond_with(ResponseTemplate::new(409).set_body_json(arm_error(
            "RoleAssignmentExists",
            "Ein identisches Objekt ist bereits vorhanden (a wording nobody matches on).",
        )))
        .expect(1)
        .mount(&arm.server)
        .await;
    let mut elsewhere = assignment_body("rg01", "88888888-8888-8888-8888-888888888888");
    elsewhere["properties"]["scope"] = json!(rg_scope("rg01"));
    Mock::given(method("GET"))
        .and(path(format!(
            "{}/providers/Microsoft.Authorization/roleAssignments",
            rg_scope("rg")
        )))
        .and(query_param(
            "$filter",
            format!("principalId eq '{PRINCIPAL}'").as_str(),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [elsewhere, assignment_body("rg", other)]
        })))
        .expect(1)
        .mount(&arm.server)
        .await;
    catch_all(&arm.server, "GET, PUT 409, list by principal").await;

    let result = arm
        .client
        .execute("roleAssignment.create", create_request(), &Progress::new())
        .await
        .expect("409 RoleAssignmentExists is success");
    assert_eq!(result["outcome"], "Unchanged");
    assert_eq!(result["name"], other);
    assert_eq!(result["scope"], rg_scope("rg"));
}

#[tokio::test]
async fn principal_not_found_is_waited_out_with_progress() {
    let arm = arm().await;
    mount_reader(&arm).await;
    let guid = assignment_guid("rg").to_string();
    Mock::given(method("GET"))
        .and(path(assignment_path("rg", &guid)))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(arm_error("RoleAssignmentNotFound", "nope")),
        )
        .mount(&arm.server)
        .await;
    Mock::given(method("PUT"))
        .and(path(assignment_path("rg", &guid)))
        .respond_with(ResponseTemplate::new(400).set_body_json(arm_error(
            "PrincipalNotFound",
            &format!("Principal {PRINCIPAL} does not exist in the directory {TENANT}."),
        )))
        .up_to_n_times(3)
        .expect(3)
        .with_priority(1)
        .mount(&arm.server)
        .await;
    Mock::given(method("PUT"))
        .and(path(assignment_path("rg", &guid)))
        .and(body_partial_json(
            json!({ "properties": { "principalType": "ServicePrincipal" } }),
        ))
        .respond_with(ResponseTemplate::new(201).set_body_json(assignment_body("rg", &guid)))
        .expect(1)
        .with_priority(2)
        .mount(&arm.server)
        .await;
    catch_all(&arm.server, "3 PUTs with PrincipalNotFound then one 201").await;

    let progress = Progress::new();
    let result = arm
        .client
        .execute("roleAssignment.create", create_request(), &progress)
        .await
        .expect("created after replication");
    assert_eq!(result["outcome"], "Created");
    assert!(arm.clock.total_slept() >= Duration::from_secs(3));
    assert!(progress.snapshot().done);
}

#[tokio::test]
async fn progress_shows_the_principal_wait_while_it_lasts() {
    let arm = arm().await;
    mount_reader(&arm).await;
    let guid = assignment_guid("rg").to_string();
    Mock::given(method("GET"))
        .and(path(assignment_path("rg", &guid)))
        .respond_with(ResponseTemplate::new(404))
        .mount(&arm.server)
        .await;
    Mock::given(method("PUT"))
        .and(path(assignment_path("rg", &guid)))
        .respond_with(
            ResponseTemplate::new(400).set_body_json(arm_error("PrincipalNotFound", "not yet")),
        )
        .mount(&arm.server)
        .await;

    let progress = Progress::new();
    *arm.clock.watch.lock() = Some(progress.clone());
    let mut req = create_request();
    req["replicationTimeoutSeconds"] = json!(20);
    let task = {
        let client = arm.client.clone();
        let progress = progress.clone();
        tokio::spawn(async move {
            client
                .execute("roleAssignment.create", req, &progress)
                .await
        })
    };
    let err = task.await.expect("joins").expect_err("deadline");
    assert_eq!(err.kind, ErrorKind::DeadlineExceeded);
    assert_eq!(err.arm_code.as_deref(), Some("PrincipalNotFound"));
    assert_eq!(err.target.as_deref(), Some("principalId"));
    assert!(err.message.contains(PRINCIPAL), "{}", err.message);
    // The fake clock advanced to the deadline and not beyond it.
    let slept = arm.clock.total_slept();
    assert!(
        slept >= Duration::from_secs(20) && slept <= Duration::from_secs(21),
        "{slept:?}"
    );
    let seen = arm.clock.seen.lock().clone();
    assert!(!seen.is_empty());
    assert!(
        seen.iter().all(|s| s.phase == "waitingForPrincipal"),
        "{seen:?}"
    );
    assert_eq!(seen[0].deadline_seconds, Some(20.0));
    let waited: Vec<f64> = seen.iter().map(|s| s.seconds_waited).collect();
    assert!(waited.windows(2).all(|w| w[0] <= w[1]), "{waited:?}");
    assert!(seen.last().expect("last").attempt > 1);
}

#[tokio::test]
async fn role_by_name_is_found_with_exact_name_and_quotes_doubled() {
    let arm = arm().await;
    let name = "O'Brien Role and more";
    let role_guid = "44444444-4444-4444-4444-444444444444";
    let role_full_id = format!(
        "/subscriptions/{SUB}/providers/Microsoft.Authorization/roleDefinitions/{role_guid}"
    );
    let role = |role_name: &str, guid: &str| {
        json!({
            "id": format!("/subscriptions/{SUB}/providers/Microsoft.Authorization/roleDefinitions/{guid}"),
            "name": guid,
            "properties": { "roleName": role_name, "type": "CustomRole", "permissions": [{"actions": ["Microsoft.Compute/images/read"]}], "assignableScopes": [format!("/subscriptions/{SUB}")] }
        })
    };
    Mock::given(method("GET"))
        .and(path(format!("{}/providers/Microsoft.Authorization/roleDefinitions", rg_scope("rg"))))
        .and(query_param("$filter", "roleName eq 'O''Brien Role and more'"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            // ARM's filter is a first cut: a near miss must not count.
            "value": [role("O'Brien Role and more (old)", "55555555-5555-5555-5555-555555555555"), role("o'brien role AND more", role_guid)]
        })))
        .expect(1)
        .mount(&arm.server)
        .await;
    let scope = Scope::parse("scope", &rg_scope("rg")).expect("scope");
    let guid = roles::role_assignment_guid(
        &scope,
        &uuid::Uuid::parse_str(PRINCIPAL).expect("uuid"),
        &uuid::Uuid::parse_str(role_guid).expect("uuid"),
    )
    .to_string();
    Mock::given(method("GET"))
        .and(path(assignment_path("rg", &guid)))
        .respond_with(ResponseTemplate::new(404))
        .mount(&arm.server)
        .await;
    let mut created = assignment_body("rg", &guid);
    created["properties"]["roleDefinitionId"] = json!(role_full_id);
    Mock::given(method("PUT"))
        .and(path(assignment_path("rg", &guid)))
        .and(body_partial_json(
            json!({ "properties": { "roleDefinitionId": role_full_id } }),
        ))
        .respond_with(ResponseTemplate::new(201).set_body_json(created))
        .expect(1)
        .mount(&arm.server)
        .await;
    catch_all(&arm.server, "role lookup by name, GET, PUT").await;

    let result = arm
        .client
        .execute(
            "roleAssignment.create",
            json!({ "scope": rg_scope("rg"), "principalId": PRINCIPAL, "roleDefinitionName": name }),
            &Progress::new(),
        )
        .await
        .expect("created");
    assert_eq!(result["roleDefinitionName"], "o'brien role AND more");
}

#[tokio::test]
async fn unknown_role_name_is_an_invalid_argument_naming_scope() {
    let arm = arm().await;
    Mock::given(method("GET"))
        .and(path(format!(
            "{}/providers/Microsoft.Authorization/roleDefinitions",
            rg_scope("rg")
        )))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "value": [] })))
        .expect(1)
        .mount(&arm.server)
        .await;
    catch_all(&arm.server, "only the role lookup").await;

    let err = arm
        .client
        .execute(
            "roleAssignment.create",
            json!({ "scope": rg_scope("rg"), "principalId": PRINCIPAL, "roleDefinitionName": "Nope" }),
            &Progress::new(),
        )
        .await
        .expect_err("not found");
    assert_eq!(err.kind, ErrorKind::InvalidArgument);
    assert_eq!(err.target.as_deref(), Some("roleDefinitionName"));
    assert!(
        err.message.contains("role 'Nope' was not found at scope"),
        "{}",
        err.message
    );
}

#[tokio::test]
async fn list_follows_next_links_and_drops_sibling_scopes() {
    let arm = arm().await;
    let base = format!(
        "{}/providers/Microsoft.Authorization/roleAssignments",
        rg_scope("RG")
    );
    let page2 = format!("{}{base}?$skiptoken=abc", arm.server.uri());
    let page3 = format!(
        "{}{base}?$skiptoken=def&api-version=2022-04-01",
        arm.server.uri()
    );
    let mut sibling = assignment_body("RG01", "77777777-7777-7777-7777-777777777777");
    sibling["properties"]["scope"] = json!(rg_scope("RG01"));
    let mut sub_level = assignment_body("RG", "66666666-6666-6666-6666-666666666666");
    sub_level["properties"]["scope"] = json!(format!("/subscriptions/{SUB}"));
    Mock::given(method("GET"))
        .and(path(&base))
        .and(query_param("$filter", format!("principalId eq '{PRINCIPAL}'").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [assignment_body("RG", "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa")], "nextLink": page2
        })))
        .expect(1)
        .mount(&arm.server)
        .await;
    Mock::given(method("GET"))
        .and(path(&base))
        .and(query_param("$skiptoken", "abc"))
        .and(query_param("api-version", "2022-04-01"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [sibling], "nextLink": page3
        })))
        .expect(1)
        .mount(&arm.server)
        .await;
    Mock::given(method("GET"))
        .and(path(&base))
        .and(query_param("$skiptoken", "def"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [sub_level], "nextLink": ""
        })))
        .expect(1)
        .mount(&arm.server)
        .await;
    catch_all(&arm.server, "three pages").await;

    let result = arm
        .client
        .execute(
            "roleAssignment.list",
            json!({ "scope": rg_scope("RG"), "principalId": PRINCIPAL }),
            &Progress::new(),
        )
        .await
        .expect("listed");
    let names: Vec<&str> = result["value"]
        .as_array()
        .expect("array")
        .iter()
        .map(|a| a["name"].as_str().expect("name"))
        .collect();
    assert_eq!(
        names,
        vec![
            "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa",
            "66666666-6666-6666-6666-666666666666"
        ]
    );
}

#[tokio::test]
async fn next_link_to_another_host_is_not_followed() {
    let arm = arm().await;
    let base = format!(
        "{}/providers/Microsoft.Authorization/roleAssignments",
        rg_scope("rg")
    );
    Mock::given(method("GET"))
        .and(path(&base))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [], "nextLink": "https://127.0.0.2:1/steal?api-version=2022-04-01"
        })))
        .expect(1)
        .mount(&arm.server)
        .await;
    catch_all(&arm.server, "one page").await;
    let err = arm
        .client
        .execute(
            "roleAssignment.list",
            json!({ "scope": rg_scope("rg") }),
            &Progress::new(),
        )
        .await
        .expect_err("foreign nextLink");
    assert_eq!(err.kind, ErrorKind::Decode);
}

#[tokio::test]
async fn just_created_role_unknown_to_assignments_is_waited_for() {
    let arm = arm().await;
    mount_reader(&arm).await;
    let guid = assignment_guid("rg").to_string();
    Mock::given(method("GET"))
        .and(path(assignment_path("rg", &guid)))
        .respond_with(ResponseTemplate::new(404))
        .mount(&arm.server)
        .await;
    Mock::given(method("PUT"))
        .and(path(assignment_path("rg", &guid)))
        .respond_with(ResponseTemplate::new(400).set_body_json(arm_error(
            "RoleDefinitionDoesNotExist",
            "The specified role definition does not exist.",
        )))
        .up_to_n_times(2)
        .expect(2)
        .with_priority(1)
        .mount(&arm.server)
        .await;
    Mock::given(method("PUT"))
        .and(path(assignment_path("rg", &guid)))
        .respond_with(ResponseTemplate::new(201).set_body_json(assignment_body("rg", &guid)))
        .expect(1)
        .with_priority(2)
        .mount(&arm.server)
        .await;
    catch_all(&arm.server, "two PUTs refused for the role, then 201").await;

    let result = arm
        .client
        .execute("roleAssignment.create", create_request(), &Progress::new())
        .await
        .expect("created once the role replicated");
    assert_eq!(result["outcome"], "Created");
}

#[tokio::test]
async fn unreadable_role_is_reported_at_once() {
    let arm = arm().await;
    let guid = assignment_guid("rg").to_string();
    Mock::given(method("GET"))
        .and(path(role_definition_path()))
        .respond_with(ResponseTemplate::new(404))
        .expect(1)
        .mount(&arm.server)
        .await;
    Mock::given(method("GET"))
        .and(path(assignment_path("rg", &guid)))
        .respond_with(ResponseTemplate::new(404))
        .mount(&arm.server)
        .await;
    Mock::given(method("PUT"))
        .and(path(assignment_path("rg", &guid)))
        .respond_with(ResponseTemplate::new(400).set_body_json(arm_error(
            "RoleDefinitionDoesNotExist",
            "The specified role definition does not exist.",
        )))
        .expect(1)
        .mount(&arm.server)
        .await;
    catch_all(&arm.server, "one PUT").await;

    let err = arm
        .client
        .execute("roleAssignment.create", create_request(), &Progress::new())
        .await
        .expect_err("no such role");
    assert_eq!(err.arm_code.as_deref(), Some("RoleDefinitionDoesNotExist"));
    assert!(arm.clock.sleeps.lock().is_empty());
}
