//! ARM's rules as the emulator enforces them: names, uniqueness, scopes, filters, paging.

mod common;

use aibperm_emulator::EmulatorConfig;
use common::{AUTHZ, Harness, MSI, start};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const READER: &str = "acdd72a7-3385-48ef-bd42-f606fba81ae7";

fn guid() -> String {
    uuid::Uuid::new_v4().to_string()
}

fn rg_scope(h: &Harness, rg: &str) -> String {
    format!("/subscriptions/{}/resourceGroups/{rg}", h.sub())
}

async fn put_role(h: &Harness, scope: &str, name: &str, role_name: &str) -> common::Answer {
    let path = format!("{scope}/providers/Microsoft.Authorization/roleDefinitions/{name}");
    let body = json!({"properties": {
        "roleName": role_name,
        "permissions": [{"actions": ["Microsoft.Compute/images/read"]}],
        "assignableScopes": [scope],
    }});
    h.arm(Method::PUT, &path, AUTHZ, Some(body)).await
}

async fn put_assignment(
    h: &Harness,
    scope: &str,
    name: &str,
    role_id: &str,
    principal: &str,
    principal_type: Option<&str>,
) -> common::Answer {
    let path = format!("{scope}/providers/Microsoft.Authorization/roleAssignments/{name}");
    let mut properties = json!({"roleDefinitionId": role_id, "principalId": principal});
    if let Some(t) = principal_type {
        properties["principalType"] = json!(t);
    }
    h.arm(
        Method::PUT,
        &path,
        AUTHZ,
        Some(json!({ "properties": properties })),
    )
    .await
}

fn reader_id(h: &Harness) -> String {
    format!(
        "/subscriptions/{}/providers/Microsoft.Authorization/roleDefinitions/{READER}",
        h.sub()
    )
}

fn names(body: &Value) -> Vec<String> {
    body["value"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i["name"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn identity_names_locations_and_lifecycle_follow_arm() {
    let h = start(EmulatorConfig::default()).await;
    h.resource_group("rg").await;
    let base = format!(
        "{}/providers/Microsoft.ManagedIdentity/userAssignedIdentities",
        rg_scope(&h, "rg")
    );
    let body = Some(json!({"location": "West US 2"}));

    let forty = format!("uai-{}_{}", "a".repeat(20), "b".repeat(15));
    assert_eq!(forty.len(), 40);
    let created = h
        .arm(Method::PUT, &format!("{base}/{forty}"), MSI, body.clone())
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    assert_eq!(created.body["location"], "westus2");

    for bad in ["-leading".to_owned(), "x".repeat(129), "ab".to_owned()] {
        let answer = h
            .arm(Method::PUT, &format!("{base}/{bad}"), MSI, body.clone())
            .await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(answer.code(), "InvalidResourceName");
    }
    let no_location = h
        .arm(Method::PUT, &format!("{base}/uai-b"), MSI, Some(json!({})))
        .await;
    assert_eq!(no_location.code(), "LocationRequired");

    let missing_group = format!(
        "{}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai-c",
        rg_scope(&h, "nope")
    );
    let answer = h.arm(Method::PUT, &missing_group, MSI, body.clone()).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(answer.code(), "ResourceGroupNotFound");
    let other_sub = format!(
        "/subscriptions/{}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai-c",
        guid()
    );
    let answer = h.arm(Method::PUT, &other_sub, MSI, body.clone()).await;
    assert_eq!(answer.code(), "SubscriptionNotFound");

    let one = format!("{base}/{forty}");
    assert_eq!(
        h.arm(Method::DELETE, &one, MSI, None).await.status,
        StatusCode::OK
    );
    assert_eq!(
        h.arm(Method::DELETE, &one, MSI, None).await.status,
        StatusCode::NO_CONTENT
    );
    let gone = h.arm(Method::GET, &one, MSI, None).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert_eq!(gone.code(), "ResourceNotFound");
    h.emulator.shutdown().await;
}

#[tokio::test]
async fn role_names_are_unique_across_the_directory() {
    let second = guid();
    let h = start(EmulatorConfig {
        extra_subscription_ids: vec![second.clone()],
        ..EmulatorConfig::default()
    })
    .await;
    let first_scope = format!("/subscriptions/{}", h.sub());
    let second_scope = format!("/subscriptions/{second}");
    let name = guid();
    assert_eq!(
        put_role(&h, &first_scope, &name, "Image Role").await.status,
        StatusCode::CREATED
    );
    // Re-PUT of the same GUID keeps its name: fine (201, as the spec lists).
    assert_eq!(
        put_role(&h, &first_scope, &name, "Image Role").await.status,
        StatusCode::CREATED
    );

    let clash = put_role(&h, &second_scope, &guid(), "image role").await;
    assert_eq!(clash.status, StatusCode::CONFLICT);
    assert_eq!(clash.code(), "RoleDefinitionWithSameNameExists");
    let builtin = put_role(&h, &second_scope, &guid(), "Reader").await;
    assert_eq!(builtin.code(), "RoleDefinitionWithSameNameExists");
    h.emulator.shutdown().await;
}

#[tokio::test]
async fn assignable_scopes_must_include_the_put_scope_and_cover_assignments() {
    let h = start(EmulatorConfig::default()).await;
    h.resource_group("rg-a").await;
    h.resource_group("rg-b").await;
    let a = rg_scope(&h, "rg-a");
    let b = rg_scope(&h, "rg-b");

    let name = guid();
    let path = format!("{b}/providers/Microsoft.Authorization/roleDefinitions/{name}");
    let body = json!({"properties": {"roleName": "Elsewhere", "assignableScopes": [a]}});
    let answer = h.arm(Method::PUT, &path, AUTHZ, Some(body)).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        answer.body["error"]["target"],
        "properties.assignableScopes"
    );

    let role = put_role(&h, &a, &name, "Only A").await;
    let role_id = role.body["id"].as_str().unwrap_or_default().to_owned();
    let sp = h.emulator.state().service_principal_object_id.clone();
    let outside = put_assignment(&h, &b, &guid(), &role_id, &sp, None).await;
    assert_eq!(outside.status, StatusCode::BAD_REQUEST);
    let below = format!("{a}/providers/Microsoft.Compute/galleries/g1");
    let inside = put_assignment(&h, &below, &guid(), &role_id, &sp, None).await;
    assert_eq!(inside.status, StatusCode::CREATED, "{}", inside.body);
    h.emulator.shutdown().await;
}

#[tokio::test]
async fn role_lists_reach_the_scope_and_above_and_filters_escape_quotes() {
    let h = start(EmulatorConfig::default()).await;
    h.resource_group("rg").await;
    let rg = rg_scope(&h, "rg");
    let sub = format!("/subscriptions/{}", h.sub());
    let tricky = ["O'Brien Role", "Test Role and", "Role (x) eq 'y'"];
    let mut guids = Vec::new();
    for role_name in tricky {
        let name = guid();
        assert_eq!(
            put_role(&h, &rg, &name, role_name).await.status,
            StatusCode::CREATED
        );
        guids.push(name);
    }
    for (role_name, name) in tricky.iter().zip(&guids) {
        let quoted = role_name.replace('\'', "''");
        let filter: String =
            url::form_urlencoded::byte_serialize(format!("roleName eq '{quoted}'").as_bytes())
                .collect();
        let path =
            format!("{rg}/providers/Microsoft.Authorization/roleDefinitions?$filter={filter}");
        let list = h.arm(Method::GET, &path, AUTHZ, None).await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        assert_eq!(names(&list.body), vec![name.clone()], "{role_name}");
    }

    let custom = "$filter=type%20eq%20'CustomRole'";
    let at_rg = h
        .arm(
            Method::GET,
            &format!("{rg}/providers/Microsoft.Authorization/roleDefinitions?{custom}"),
            AUTHZ,
            None,
        )
        .await;
    assert_eq!(names(&at_rg.body).len(), 3);
    let at_sub = h
        .arm(
            Method::GET,
            &format!("{sub}/providers/Microsoft.Authorization/roleDefinitions?{custom}"),
            AUTHZ,
            None,
        )
        .await;
    assert!(
        names(&at_sub.body).is_empty(),
        "roles assignable below are not listed above"
    );
    let below = h
        .arm(
            Method::GET,
            &format!("{sub}/providers/Microsoft.Authorization/roleDefinitions?{custom}%20and%20atScopeAndBelow()"),
            AUTHZ,
            None,
        )
        .await;
    assert_eq!(names(&below.body).len(), 3);
    let builtins = h
        .arm(
            Method::GET,
            &format!("{rg}/providers/Microsoft.Authorization/roleDefinitions?$filter=roleName%20eq%20'Storage%20Blob%20Data%20Reader'"),
            AUTHZ,
            None,
        )
        .await;
    assert_eq!(
        names(&builtins.body),
        vec!["2a2b9908-6ea1-4ae2-8e65-a410df84e7d1".to_owned()]
    );
    assert_eq!(
        builtins.body["value"][0]["properties"]["type"],
        "BuiltInRole"
    );
    h.emulator.shutdown().await;
}

#[tokio::test]
async fn assigned_roles_cannot_be_deleted() {
    let h = start(EmulatorConfig::default()).await;
    let sub = format!("/subscriptions/{}", h.sub());
    let name = guid();
    let role = put_role(&h, &sub, &name, "In Use").await;
    let role_id = role.body["id"].as_str().unwrap_or_default().to_owned();
    let sp = h.emulator.state().service_principal_object_id.clone();
    let assignment = guid();
    put_assignment(&h, &sub, &assignment, &role_id, &sp, None).await;

    let role_path = format!("{sub}/providers/Microsoft.Authorization/roleDefinitions/{name}");
    let refused = h.arm(Method::DELETE, &role_path, AUTHZ, None).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(refused.code(), "RoleDefinitionHasAssignments");

    let assignment_path =
        format!("{sub}/providers/Microsoft.Authorization/roleAssignments/{assignment}");
    let deleted = h.arm(Method::DELETE, &assignment_path, AUTHZ, None).await;
    assert_eq!(deleted.status, StatusCode::OK);
    assert_eq!(deleted.body["name"], assignment.as_str());
    let gone = h.arm(Method::GET, &assignment_path, AUTHZ, None).await;
    assert_eq!(gone.code(), "RoleAssignmentNotFound");

    let removed = h.arm(Method::DELETE, &role_path, AUTHZ, None).await;
    assert_eq!(removed.status, StatusCode::OK);
    assert_eq!(removed.body["properties"]["roleName"], "In Use");
    assert_eq!(
        h.arm(Method::DELETE, &role_path, AUTHZ, None).await.status,
        StatusCode::NO_CONTENT
    );
    let missing = h.arm(Method::GET, &role_path, AUTHZ, None).await;
    assert_eq!(missing.code(), "RoleDefinitionDoesNotExist");
    h.emulator.shutdown().await;
}

#[tokio::test]
async fn assignment_bodies_are_checked_like_arm() {
    let h = start(EmulatorConfig::default()).await;
    let sub = format!("/subscriptions/{}", h.sub());
    let sp = h.emulator.state().service_principal_object_id.clone();

    let bare = put_assignment(&h, &sub, &guid(), READER, &sp, None).await;
    assert_eq!(bare.code(), "BadRequestFormat");
    let garbage = format!("{}x", reader_id(&h));
    let malformed = put_assignment(&h, &sub, "not-a-guid", &reader_id(&h), &sp, None).await;
    assert_eq!(malformed.code(), "InvalidRoleAssignmentId");
    let malformed = put_assignment(&h, &sub, &guid(), &garbage, &sp, None).await;
    assert_eq!(malformed.code(), "InvalidRoleDefinitionId");
    let principal = put_assignment(&h, &sub, &guid(), &reader_id(&h), "not-a-guid", None).await;
    assert_eq!(principal.code(), "InvalidPrincipalId");

    // A principal the directory does not know: refused unless its type is given.
    let stranger = guid();
    let unknown = put_assignment(&h, &sub, &guid(), &reader_id(&h), &stranger, None).await;
    assert_eq!(unknown.code(), "PrincipalNotFound");
    let typed = put_assignment(&h, &sub, &guid(), &reader_id(&h), &stranger, Some("User")).await;
    assert_eq!(typed.status, StatusCode::CREATED);
    assert_eq!(typed.body["properties"]["principalType"], "User");

    // Same name, another principal: assignments are immutable.
    let name = guid();
    assert_eq!(
        put_assignment(&h, &sub, &name, &reader_id(&h), &sp, None)
            .await
            .status,
        StatusCode::CREATED
    );
    let changed = put_assignment(&h, &sub, &name, &reader_id(&h), &stranger, Some("User")).await;
    assert_eq!(changed.status, StatusCode::BAD_REQUEST);
    assert_eq!(changed.code(), "RoleAssignmentUpdateNotPermitted");
    h.emulator.shutdown().await;
}

#[tokio::test]
async fn assignment_lists_honour_at_scope_principal_filters_and_paging() {
    let h = start(EmulatorConfig {
        page_size: 2,
        ..EmulatorConfig::default()
    })
    .await;
    h.resource_group("RG").await;
    h.resource_group("RG01").await;
    let sub = format!("/subscriptions/{}", h.sub());
    let rg = rg_scope(&h, "RG");
    let rg01 = rg_scope(&h, "RG01");
    let below = format!("{rg}/providers/Microsoft.Network/virtualNetworks/vnet");
    let sp = h.emulator.state().service_principal_object_id.clone();
    let other = guid();
    let mut by_scope = Vec::new();
    for scope in [&sub, &rg, &rg01, &below] {
        let name = guid();
        let answer = put_assignment(&h, scope, &name, &reader_id(&h), &sp, None).await;
        assert_eq!(answer.status, StatusCode::CREATED);
        by_scope.push(name);
    }
    let foreign = guid();
    put_assignment(&h, &rg, &foreign, &reader_id(&h), &other, Some("Group")).await;

    let list = |scope: &str, filter: &str| {
        h.url(
            &format!("{scope}/providers/Microsoft.Authorization/roleAssignments{filter}"),
            AUTHZ,
        )
    };
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };

    let at_scope = collect_pages(&h, list(&rg, "?$filter=atScope()")).await;
    assert_eq!(
        at_scope,
        sorted(vec![
            by_scope[0].clone(),
            by_scope[1].clone(),
            foreign.clone()
        ])
    );
    let principal = collect_pages(
        &h,
        list(&rg, &format!("?$filter=principalId%20eq%20'{sp}'")),
    )
    .await;
    assert_eq!(
        principal,
        sorted(vec![
            by_scope[0].clone(),
            by_scope[1].clone(),
            by_scope[3].clone()
        ]),
        "RG01 is not inside RG"
    );
    let everything = collect_pages(&h, list(&sub, "")).await;
    assert_eq!(everything.len(), 5);

    let unquoted = h
        .send(
            Method::GET,
            &list(&rg, &format!("?$filter=principalId%20eq%20{sp}")),
            None,
        )
        .await;
    assert_eq!(unquoted.status, StatusCode::BAD_REQUEST);
    h.emulator.shutdown().await;
}

/// Follows nextLink until it is absent; pages hold at most two items.
async fn collect_pages(h: &Harness, first: String) -> Vec<String> {
    let mut all = Vec::new();
    let mut next = Some(first);
    while let Some(url) = next {
        let page = h.send(Method::GET, &url, None).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let items = names(&page.body);
        assert!(items.len() <= 2);
        all.extend(items);
        next = page.body["nextLink"].as_str().map(str::to_owned);
    }
    all.sort();
    all
}
