//! Contract tests: every spec example of the operations AibPermissions uses is sent to the
//! emulator, and the status and body shape (field names, JSON types, GUID and id formats)
//! must match the example's response.
//!
//! Deliberate differences, each because the example itself is a placeholder or
//! inconsistent (see tests/data/arm-spec and the spec README's quirks):
//! - Role definition `properties.type` is `"roletype"` in the examples; the emulator answers
//!   `CustomRole`, so only the type (string) is compared.
//! - `PutRoleDefinition.json` nests the body under `body.roleDefinition` without the
//!   `properties` wrapper; the real body `{"properties": {...}}` is sent.
//! - Examples show `roleDefinitionId` as `/providers/...` in answers although the request
//!   sent `/subscriptions/{s}/providers/...`; recorded traffic answers the subscription form,
//!   which the emulator returns. Role definition ids are compared by their GUID.
//! - Identity examples answer `name: "identityName"` for a request named `resourceName`;
//!   the emulator answers the requested name, and that is what is compared.
//! - The identity list examples carry a `nextLink` for a one-item page; the emulator gives
//!   `nextLink` only when more items remain, so it is left out of the comparison.
//! - Placeholders (`subid`, `scope`, `roleDefinitionId`) are replaced with the emulator's
//!   subscription and fresh GUIDs; the resource groups and the role definition the examples
//!   refer to are created first, as they existed where the examples were written.

mod common;

use aibperm_emulator::EmulatorConfig;
use common::{Answer, Harness, shape_differences, start};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::path::PathBuf;

const EXAMPLE_SUB: &str = "a925f2f7-5c63-4b7b-8799-25a5f97bc3b2";
const EXAMPLE_ROLE: &str = "0b5fe924-9a61-425c-96af-cfe6e287ca2d";

fn data_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/arm-spec");
    assert!(
        dir.is_dir(),
        "contract test data is missing: expected the spec examples in {}",
        dir.display()
    );
    dir
}

/// Reads an example with the example subscription replaced by the emulator's.
fn example(h: &Harness, relative: &str) -> Value {
    let path = data_dir().join(relative);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let text = text.replace(EXAMPLE_SUB, &h.sub());
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{relative} is not JSON: {e}"))
}

fn expect(name: &str, answer: &Answer, status: &str, example: &Value) {
    assert_eq!(
        answer.status.as_str(),
        status,
        "{name}: status differs; body {}",
        answer.body
    );
    let expected = &example["responses"][status]["body"];
    let diffs = shape_differences(expected, &answer.body);
    assert!(
        diffs.is_empty(),
        "{name}: shape differs from the example: {diffs:#?}\nactual: {}",
        answer.body
    );
}

fn guid_of(id: &Value) -> String {
    id.as_str()
        .and_then(|s| s.rsplit('/').next())
        .unwrap_or_default()
        .to_lowercase()
}

#[tokio::test]
async fn role_definition_examples_match() {
    let h = start(EmulatorConfig::default()).await;
    let scope = format!("/subscriptions/{}", h.sub());
    let put = example(
        &h,
        "authorization/2022-04-01/examples/PutRoleDefinition.json",
    );
    let mut properties = put["parameters"]["body"]["roleDefinition"].clone();
    if let Some(map) = properties.as_object_mut() {
        for read_only in ["id", "type", "name"] {
            map.remove(read_only);
        }
    }
    properties["assignableScopes"] = json!([scope]);
    let guid = uuid::Uuid::new_v4().to_string();
    let path = format!("{scope}/providers/Microsoft.Authorization/roleDefinitions/{guid}");

    let answer = h
        .arm(
            Method::PUT,
            &path,
            "2022-04-01",
            Some(json!({ "properties": properties })),
        )
        .await;
    expect("PutRoleDefinition", &answer, "201", &put);
    assert_eq!(answer.body["name"], guid.as_str());
    assert_eq!(answer.body["type"], put["responses"]["201"]["body"]["type"]);
    assert_eq!(
        answer.body["properties"]["roleName"],
        properties["roleName"]
    );
    assert_eq!(
        answer.body["properties"]["permissions"],
        properties["permissions"]
    );
    assert_eq!(answer.body["properties"]["type"], "CustomRole");
    assert_eq!(guid_of(&answer.body["id"]), guid);

    let get = example(
        &h,
        "authorization/2022-04-01/examples/GetRoleDefinitionByName.json",
    );
    let answer = h.arm(Method::GET, &path, "2022-04-01", None).await;
    expect("GetRoleDefinitionByName", &answer, "200", &get);

    let by_id = example(
        &h,
        "authorization/2022-04-01/examples/GetRoleDefinitionById.json",
    );
    for id in [
        path.clone(),
        format!("/providers/Microsoft.Authorization/roleDefinitions/{guid}"),
    ] {
        let answer = h.arm(Method::GET, &id, "2022-04-01", None).await;
        expect("GetRoleDefinitionById", &answer, "200", &by_id);
        assert_eq!(guid_of(&answer.body["id"]), guid);
    }

    let delete = example(
        &h,
        "authorization/2022-04-01/examples/DeleteRoleDefinition.json",
    );
    let answer = h.arm(Method::DELETE, &path, "2022-04-01", None).await;
    expect("DeleteRoleDefinition", &answer, "200", &delete);
    let again = h.arm(Method::DELETE, &path, "2022-04-01", None).await;
    assert_eq!(again.status, StatusCode::NO_CONTENT);
    assert!(delete["responses"]["204"].is_object());
    h.emulator.shutdown().await;
}

/// Rebuilds what the assignment examples assume: resource group `testrg` and the role
/// definition they assign, assignable at the subscription.
async fn assignment_world(h: &Harness) {
    let reset = h.control(Method::POST, "/reset", None).await;
    assert_eq!(reset.status, StatusCode::NO_CONTENT);
    assert_eq!(h.resource_group("testrg").await.status, StatusCode::CREATED);
    let scope = format!("/subscriptions/{}", h.sub());
    let role = h
        .arm(
            Method::PUT,
            &format!("{scope}/providers/Microsoft.Authorization/roleDefinitions/{EXAMPLE_ROLE}"),
            "2022-04-01",
            Some(json!({"properties": {
                "roleName": "Example role",
                "permissions": [{"actions": ["*/read"]}],
                "assignableScopes": [scope],
            }})),
        )
        .await;
    assert_eq!(role.status, StatusCode::CREATED, "{}", role.body);
}

/// The path of a create example: `/{scope}/providers/.../roleAssignments/{name}` or the
/// full `roleAssignmentId`.
fn assignment_path(parameters: &Value) -> String {
    match parameters["roleAssignmentId"].as_str() {
        Some(id) => format!("/{id}"),
        None => format!(
            "/{}/providers/Microsoft.Authorization/roleAssignments/{}",
            parameters["scope"].as_str().unwrap_or_default(),
            parameters["roleAssignmentName"]
                .as_str()
                .unwrap_or_default()
        ),
    }
}

#[tokio::test]
async fn role_assignment_create_examples_match() {
    let h = start(EmulatorConfig::default()).await;
    for file in [
        "RoleAssignments_CreateForSubscription",
        "RoleAssignments_CreateForResourceGroup",
        "RoleAssignments_CreateForResource",
        "RoleAssignments_CreateById",
    ] {
        assignment_world(&h).await;
        let ex = example(
            &h,
            &format!("authorization/2022-04-01/examples/{file}.json"),
        );
        let parameters = &ex["parameters"];
        let path = assignment_path(parameters);
        let version = parameters["api-version"].as_str().unwrap_or_default();
        let body = parameters["parameters"].clone();

        let created = h.arm(Method::PUT, &path, version, Some(body.clone())).await;
        expect(file, &created, "201", &ex);
        let expected = &ex["responses"]["201"]["body"];
        for field in ["principalId", "principalType", "scope"] {
            assert_eq!(
                created.body["properties"][field]
                    .as_str()
                    .map(str::to_lowercase),
                expected["properties"][field]
                    .as_str()
                    .map(str::to_lowercase),
                "{file}: properties.{field}"
            );
        }
        assert_eq!(
            created.body["id"].as_str().map(str::to_lowercase),
            expected["id"].as_str().map(str::to_lowercase),
            "{file}: id"
        );
        assert_eq!(
            guid_of(&created.body["properties"]["roleDefinitionId"]),
            guid_of(&expected["properties"]["roleDefinitionId"])
        );

        let again = h.arm(Method::PUT, &path, version, Some(body)).await;
        expect(file, &again, "200", &ex);
    }
    h.emulator.shutdown().await;
}

#[tokio::test]
async fn role_assignment_read_list_and_delete_examples_match() {
    let h = start(EmulatorConfig::default()).await;
    let create = {
        assignment_world(&h).await;
        example(
            &h,
            "authorization/2022-04-01/examples/RoleAssignments_CreateById.json",
        )
    };
    let path = assignment_path(&create["parameters"]);
    let body = create["parameters"]["parameters"].clone();
    let setup = || async {
        let answer = h
            .arm(Method::PUT, &path, "2022-04-01", Some(body.clone()))
            .await;
        assert!(answer.status.is_success(), "{}", answer.body);
    };

    for file in ["RoleAssignments_Get", "RoleAssignments_GetById"] {
        setup().await;
        let ex = example(
            &h,
            &format!("authorization/2022-04-01/examples/{file}.json"),
        );
        let url = assignment_path(&ex["parameters"]);
        // RoleAssignments_Get.json declares 2020-10-01-preview, a real version ARM serves.
        let version = ex["parameters"]["api-version"].as_str().unwrap_or_default();
        let answer = h.arm(Method::GET, &url, version, None).await;
        expect(file, &answer, "200", &ex);
        assert_eq!(answer.body["name"], ex["responses"]["200"]["body"]["name"]);
    }

    let list = example(
        &h,
        "authorization/2022-04-01/examples/RoleAssignments_ListForScope.json",
    );
    let scope = list["parameters"]["scope"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let answer = h
        .arm(
            Method::GET,
            &format!("/{scope}/providers/Microsoft.Authorization/roleAssignments"),
            "2022-04-01",
            None,
        )
        .await;
    expect("RoleAssignments_ListForScope", &answer, "200", &list);

    let list = example(
        &h,
        "authorization/2022-04-01/examples/RoleAssignments_ListForResourceGroup.json",
    );
    let p = &list["parameters"];
    let url = format!(
        "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Authorization/roleAssignments",
        p["subscriptionId"].as_str().unwrap_or_default(),
        p["resourceGroupName"].as_str().unwrap_or_default()
    );
    let answer = h.arm(Method::GET, &url, "2022-04-01", None).await;
    // The example lists an assignment at the subscription: inherited, so listed at the group.
    expect(
        "RoleAssignments_ListForResourceGroup",
        &answer,
        "200",
        &list,
    );

    for file in ["RoleAssignments_Delete", "RoleAssignments_DeleteById"] {
        setup().await;
        let ex = example(
            &h,
            &format!("authorization/2022-04-01/examples/{file}.json"),
        );
        let url = assignment_path(&ex["parameters"]);
        let answer = h.arm(Method::DELETE, &url, "2022-04-01", None).await;
        expect(file, &answer, "200", &ex);
        let again = h.arm(Method::DELETE, &url, "2022-04-01", None).await;
        assert_eq!(again.status.as_str(), "204", "{file}: second delete");
        assert!(ex["responses"]["204"].is_object());
    }
    h.emulator.shutdown().await;
}

#[tokio::test]
async fn identity_examples_match_for_both_api_versions() {
    let h = start(EmulatorConfig::default()).await;
    for version in ["2023-01-31", "2024-11-30"] {
        let reset = h.control(Method::POST, "/reset", None).await;
        assert_eq!(reset.status, StatusCode::NO_CONTENT);
        let read = |name: &str| example(&h, &format!("msi/{version}/examples/{name}.json"));
        let create = read("IdentityCreate");
        let p = &create["parameters"];
        let rg = p["resourceGroupName"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let name = p["resourceName"].as_str().unwrap_or_default().to_owned();
        assert_eq!(h.resource_group(&rg).await.status, StatusCode::CREATED);
        let sub = h.sub();
        let group_path = format!("/subscriptions/{sub}/resourceGroups/{rg}");
        let path = format!(
            "{group_path}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}"
        );

        let created = h
            .arm(Method::PUT, &path, version, Some(p["parameters"].clone()))
            .await;
        expect("IdentityCreate", &created, "201", &create);
        let expected = &create["responses"]["201"]["body"];
        assert_eq!(created.body["location"], expected["location"]);
        assert_eq!(created.body["tags"], expected["tags"]);
        assert_eq!(created.body["type"], expected["type"]);
        assert_eq!(created.body["name"], name.as_str());
        let updated = h
            .arm(Method::PUT, &path, version, Some(p["parameters"].clone()))
            .await;
        expect("IdentityCreate (update)", &updated, "200", &create);
        assert_eq!(updated.body["properties"], created.body["properties"]);

        let answer = h.arm(Method::GET, &path, version, None).await;
        expect("IdentityGet", &answer, "200", &read("IdentityGet"));

        let by_group =
            format!("{group_path}/providers/Microsoft.ManagedIdentity/userAssignedIdentities");
        let answer = h.arm(Method::GET, &by_group, version, None).await;
        expect(
            "IdentityListByResourceGroup",
            &answer,
            "200",
            &without_next_link(read("IdentityListByResourceGroup")),
        );

        let by_sub = format!(
            "/subscriptions/{sub}/providers/Microsoft.ManagedIdentity/userAssignedIdentities"
        );
        let answer = h.arm(Method::GET, &by_sub, version, None).await;
        expect(
            "IdentityListBySubscription",
            &answer,
            "200",
            &without_next_link(read("IdentityListBySubscription")),
        );

        let delete = read("IdentityDelete");
        let answer = h.arm(Method::DELETE, &path, version, None).await;
        assert_eq!(answer.status.as_str(), "200");
        assert!(delete["responses"]["200"].is_object());
        let again = h.arm(Method::DELETE, &path, version, None).await;
        assert_eq!(again.status.as_str(), "204");
        assert!(delete["responses"]["204"].is_object());
    }
    h.emulator.shutdown().await;
}

fn without_next_link(mut example: Value) -> Value {
    if let Some(body) = example["responses"]["200"]["body"].as_object_mut() {
        body.remove("nextLink");
    }
    example
}
