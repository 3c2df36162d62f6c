//! Role definitions against a mock ARM: create and wait for visibility, rerun unchanged,
//! name clashes resolved or reported.

mod common;

use aibperm::ErrorKind;
use aibperm::arm::Progress;
use aibperm::arm::scope::Scope;
use aibperm::roles;
use common::*;
use serde_json::{Value, json};
use wiremock::matchers::{body_partial_json, method, path, query_param};
use wiremock::{Mock, ResponseTemplate};

const ROLE_NAME: &str = "Image Builder Role";

fn scope() -> String {
    rg_scope("rg-images")
}

fn guid() -> String {
    let scope = Scope::parse("scope", &scope()).expect("scope");
    roles::role_definition_guid(&scope, ROLE_NAME).to_string()
}

fn role_path(guid: &str) -> String {
    format!(
        "{}/providers/Microsoft.Authorization/roleDefinitions/{guid}",
        scope()
    )
}

fn list_path() -> String {
    format!(
        "{}/providers/Microsoft.Authorization/roleDefinitions",
        scope()
    )
}

fn wanted() -> Value {
    json!({ "role": {
        "id": null, "name": null,
        "roleName": ROLE_NAME,
        "description": "Image Builder access to create resources for the image build",
        "roleType": "CustomRole",
        "actions": ["Microsoft.Compute/images/write", "Microsoft.Compute/images/read", "Microsoft.Compute/images/delete"],
        "notActions": [], "dataActions": [], "notDataActions": [],
        "assignableScopes": [scope()]
    }})
}

fn arm_role(guid: &str, actions: &[&str], scopes: &[String]) -> Value {
    json!({
        "id": format!("{}/providers/Microsoft.Authorization/roleDefinitions/{guid}", scopes[0]),
        "name": guid,
        "type": "Microsoft.Authorization/roleDefinitions",
        "properties": {
            "roleName": ROLE_NAME,
            "description": "Image Builder access to create resources for the image build",
            "type": "CustomRole",
            "permissions": [{ "actions": actions, "notActions": [], "dataActions": [], "notDataActions": [] }],
            "assignableScopes": scopes
        }
    })
}

const ACTIONS: &[&str] = &[
    "Microsoft.Compute/images/write",
    "Microsoft.Compute/images/read",
    "Microsoft.Compute/images/delete",
];

#[tokio::test]
async fn new_role_is_created_then_polled_until_visible() {
    let arm = arm().await;
    let guid = guid();
    // Not there before the write, and not readable for two polls after it.
    Mock::given(method("GET"))
        .and(path(role_path(&guid)))
        .respond_with(ResponseTemplate::new(404).set_body_json(arm_error(
            "RoleDefinitionDoesNotExist",
            "The specified role definition does not exist.",
        )))
        .up_to_n_times(3)
        .expect(3)
        .with_priority(1)
        .mount(&arm.server)
        .await;
    Mock::given(method("GET"))
        .and(path(role_path(&guid)))
        .respond_with(ResponseTemplate::new(200).set_body_json(arm_role(
            &guid,
            ACTIONS,
            &[scope()],
        )))
        .expect(1)
        .with_priority(2)
        .mount(&arm.server)
        .await;
    Mock::given(method("GET"))
        .and(path(list_path()))
        .and(query_param(
            "$filter",
            format!("roleName eq '{ROLE_NAME}'").as_str(),
        ))
        .and(query_param("api-version", "2022-04-01"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "value": [] })))
        .expect(1)
        .mount(&arm.server)
        .await;
    Mock::given(method("PUT"))
        .and(path(role_path(&guid)))
        .and(query_param("api-version", "2022-04-01"))
        .and(body_partial_json(json!({ "properties": {
            "roleName": ROLE_NAME, "type": "CustomRole",
            "permissions": [{ "actions": ACTIONS }],
            "assignableScopes": [scope()]
        }})))
        .respond_with(ResponseTemplate::new(201).set_body_json(arm_role(
            &guid,
            ACTIONS,
            &[scope()],
        )))
        .expect(1)
        .mount(&arm.server)
        .await;
    catch_all(&arm.server, "GET 404, filter, PUT 201, polls").await;

    let progress = Progress::new();
    *arm.clock.watch.lock() = Some(progress.clone());
    let result = arm
        .client
        .execute("roleDefinition.ensure", wanted(), &progress)
        .await
        .expect("created");
    assert_eq!(result["outcome"], "Created");
    assert_eq!(result["name"], guid);
    assert_eq!(result["actions"], json!(ACTIONS));
    let seen = arm.clock.seen.lock().clone();
    assert!(
        seen.iter().any(|s| s.phase == "waitingForRoleVisibility"),
        "{seen:?}"
    );
}

#[tokio::test]
async fn same_role_again_is_unchanged_without_a_write() {
    let arm = arm().await;
    let guid = guid();
    let mut reordered = arm_role(
        &guid,
        &[ACTIONS[2], ACTIONS[0], ACTIONS[1]],
        &[format!(
            "{}/",
            scope().replace("resourceGroups", "resourcegroups")
        )],
    );
    reordered["properties"]["permissions"][0]["actions"][0] =
        json!("microsoft.compute/images/DELETE");
    Mock::given(method("GET"))
        .and(path(role_path(&guid)))
        .respond_with(ResponseTemplate::new(200).set_body_json(reordered))
        .expect(1)
        .mount(&arm.server)
        .await;
    catch_all(&arm.server, "a single GET by GUID").await;

    let result = arm
        .client
        .execute("roleDefinition.ensure", wanted(), &Progress::new())
        .await
        .expect("unchanged");
    assert_eq!(result["outcome"], "Unchanged");
}

#[tokio::test]
async fn changed_permissions_update_our_own_role() {
    let arm = arm().await;
    let guid = guid();
    Mock::given(method("GET"))
        .and(path(role_path(&guid)))
        .respond_with(ResponseTemplate::new(200).set_body_json(arm_role(
            &guid,
            &["Microsoft.Compute/images/read"],
            &[scope()],
        )))
        .expect(1)
        .mount(&arm.server)
        .await;
    Mock::given(method("PUT"))
        .and(path(role_path(&guid)))
        .and(body_partial_json(
            json!({ "properties": { "permissions": [{ "actions": ACTIONS }] } }),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(arm_role(
            &guid,
            ACTIONS,
            &[scope()],
        )))
        .expect(1)
        .mount(&arm.server)
        .await;
    catch_all(&arm.server, "GET then PUT").await;

    let result = arm
        .client
        .execute("roleDefinition.ensure", wanted(), &Progress::new())
        .await
        .expect("updated");
    assert_eq!(result["outcome"], "Updated");
}

#[tokio::test]
async fn other_role_with_same_name_and_permissions_is_reused() {
    let arm = arm().await;
    let guid = guid();
    let other = "abababab-abab-abab-abab-abababababab";
    let sub_scope = format!("/subscriptions/{SUB}");
    Mock::given(method("GET"))
        .and(path(role_path(&guid)))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(arm_error("RoleDefinitionDoesNotExist", "no")),
        )
        .mount(&arm.server)
        .await;
    Mock::given(method("GET"))
        .and(path(list_path()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [arm_role(other, ACTIONS, &[sub_scope.clone(), scope()])]
        })))
        .mount(&arm.server)
        .await;
    catch_all(&arm.server, "no write when reusing").await;

    let result = arm
        .client
        .execute("roleDefinition.ensure", wanted(), &Progress::new())
        .await
        .expect("reused");
    assert_eq!(result["outcome"], "Unchanged");
    assert_eq!(result["name"], other);
}

#[tokio::test]
async fn other_role_with_same_name_but_other_permissions_is_a_conflict() {
    let arm = arm().await;
    let guid = guid();
    let other = "abababab-abab-abab-abab-abababababab";
    Mock::given(method("GET"))
        .and(path(role_path(&guid)))
        .respond_with(ResponseTemplate::new(404))
        .mount(&arm.server)
        .await;
    Mock::given(method("GET"))
        .and(path(list_path()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [arm_role(other, &["Microsoft.Network/virtualNetworks/read"], &[scope()])]
        })))
        .mount(&arm.server)
        .await;
    catch_all(&arm.server, "no write on a clash").await;

    let err = arm
        .client
        .execute("roleDefinition.ensure", wanted(), &Progress::new())
        .await
        .expect_err("clash");
    assert_eq!(err.kind, ErrorKind::Conflict);
    assert!(err.message.contains(other), "{}", err.message);
    assert!(
        err.recommended_action
            .as_deref()
            .is_some_and(|a| a.contains("-RoleName"))
    );
}

#[tokio::test]
async fn name_taken_elsewhere_in_the_directory_is_a_conflict_naming_both_scopes() {
    let arm = arm().await;
    let guid = guid();
    let other = "cdcdcdcd-cdcd-cdcd-cdcd-cdcdcdcdcdcd";
    let elsewhere = "/subscriptions/99999999-9999-9999-9999-999999999999".to_string();
    Mock::given(method("GET"))
        .and(path(role_path(&guid)))
        .respond_with(ResponseTemplate::new(404))
        .mount(&arm.server)
        .await;
    Mock::given(method("GET"))
        .and(path(list_path()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "value": [] })))
        .mount(&arm.server)
        .await;
    Mock::given(method("PUT"))
        .and(path(role_path(&guid)))
        .respond_with(
            ResponseTemplate::new(409)
                .insert_header("x-ms-request-id", "req-409")
                .set_body_json(arm_error(
                    "RoleDefinitionWithSameNameExists",
                    "A role definition cannot be updated with a name that already exists.",
                )),
        )
        .expect(1)
        .mount(&arm.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/providers/Microsoft.Authorization/roleDefinitions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [arm_role(other, ACTIONS, std::slice::from_ref(&elsewhere))]
        })))
        .mount(&arm.server)
        .await;
    catch_all(&arm.server, "PUT 409 then a tenant-wide lookup").await;

    let err = arm
        .client
        .execute("roleDefinition.ensure", wanted(), &Progress::new())
        .await
        .expect_err("clash");
    assert_eq!(err.kind, ErrorKind::Conflict);
    assert_eq!(
        err.arm_code.as_deref(),
        Some("RoleDefinitionWithSameNameExists")
    );
    assert_eq!(err.request_id.as_deref(), Some("req-409"));
    assert!(err.message.contains(&elsewhere), "{}", err.message);
    assert!(err.message.contains(&scope()), "{}", err.message);
}

#[tokio::test]
async fn invalid_role_is_rejected_before_any_request() {
    let arm = arm().await;
    catch_all(&arm.server, "no request").await;
    let mut req = wanted();
    req["role"]["actions"] = json!(["Microsoft.Insight/alertRules/*"]);
    let err = arm
        .client
        .execute("roleDefinition.ensure", req, &Progress::new())
        .await
        .expect_err("typo");
    assert_eq!(err.kind, ErrorKind::InvalidArgument);
    assert!(
        err.target
            .as_deref()
            .is_some_and(|t| t.starts_with("Actions")),
        "{err:?}"
    );
}

#[tokio::test]
async fn list_pages_and_keeps_only_exact_names() {
    let arm = arm().await;
    let next = format!("{}{}?$skiptoken=2", arm.server.uri(), list_path());
    Mock::given(method("GET"))
        .and(path(list_path()))
        .and(query_param(
            "$filter",
            format!("roleName eq '{ROLE_NAME}'").as_str(),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [arm_role("10000000-0000-0000-0000-000000000001", ACTIONS, &[scope()])],
            "nextLink": next
        })))
        .expect(1)
        .mount(&arm.server)
        .await;
    let mut near_miss = arm_role("10000000-0000-0000-0000-000000000002", ACTIONS, &[scope()]);
    near_miss["properties"]["roleName"] = json!(format!("{ROLE_NAME} 2"));
    Mock::given(method("GET"))
        .and(path(list_path()))
        .and(query_param("$skiptoken", "2"))
        .and(query_param("api-version", "2022-04-01"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "value": [near_miss] })))
        .expect(1)
        .mount(&arm.server)
        .await;
    catch_all(&arm.server, "two pages").await;

    let result = arm
        .client
        .execute(
            "roleDefinition.list",
            json!({ "scope": scope(), "roleName": ROLE_NAME }),
            &Progress::new(),
        )
        .await
        .expect("listed");
    let value = result["value"].as_array().expect("array");
    assert_eq!(value.len(), 1);
    assert_eq!(value[0]["outcome"], "Found");
}
