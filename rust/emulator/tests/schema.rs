//! Request bodies are checked against the spec's schemas: for every writable property the
//! spec declares, a value of the wrong JSON type (or outside its enum) is refused with 400,
//! a missing required property is refused, and the valid body is accepted. The properties
//! are read from the spec files, so a property the emulator forgot to check fails here.

mod common;

use aibperm_emulator::EmulatorConfig;
use common::{Harness, start};
use reqwest::{Method, StatusCode};
use serde_json::{Map, Value, json};
use std::path::PathBuf;

fn spec(relative: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/arm-spec")
        .join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("spec file missing: {} ({e})", path.display());
    });
    serde_json::from_str(&text).expect("spec is JSON")
}

/// Writable properties of a definition: (name, schema), resolving local `$ref`s.
fn writable(spec: &Value, definition: &str) -> Vec<(String, Value)> {
    let properties = spec["definitions"][definition]["properties"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    assert!(
        !properties.is_empty(),
        "{definition} has no properties in the spec"
    );
    properties
        .into_iter()
        .filter(|(_, schema)| schema["readOnly"] != json!(true))
        .map(|(name, schema)| {
            let resolved = match schema["$ref"].as_str() {
                Some(r) if r.starts_with("#/definitions/") => {
                    spec["definitions"][&r["#/definitions/".len()..]].clone()
                }
                _ => schema,
            };
            (name, resolved)
        })
        .collect()
}

/// Values that break `schema`: another JSON type, and a value outside an enum.
fn wrong_values(schema: &Value) -> Vec<Value> {
    let mut values = match schema["type"].as_str() {
        Some("string") => vec![json!(42)],
        Some("array") => vec![json!("not an array"), json!([42])],
        Some("object") => vec![json!("not an object")],
        _ => vec![json!(["unexpected"])],
    };
    if schema["enum"].is_array() {
        values.push(json!("NotOneOfTheValues"));
    }
    values
}

/// One body under test: a fresh path per request, its api-version and a valid body.
struct Case<'a> {
    name: &'a str,
    path_for: &'a dyn Fn() -> String,
    version: &'a str,
    valid: &'a Value,
}

async fn check(h: &Harness, case: &Case<'_>, at: &[&str], property: &str, bad: Value) {
    let Case {
        name,
        path_for,
        version,
        valid,
    } = case;
    let mut body = (*valid).clone();
    let mut cursor = &mut body;
    for key in at {
        cursor = match key.parse::<usize>() {
            Ok(index) => &mut cursor[index],
            Err(_) => &mut cursor[*key],
        };
    }
    cursor[property] = bad.clone();
    let answer = h.arm(Method::PUT, &path_for(), version, Some(body)).await;
    assert_eq!(
        answer.status,
        StatusCode::BAD_REQUEST,
        "{name}: {property} = {bad} was accepted: {}",
        answer.body
    );
    assert!(answer.body["error"]["code"].is_string());
}

#[tokio::test]
async fn role_assignment_bodies_follow_the_spec_schema() {
    let h = start(EmulatorConfig::default()).await;
    let spec = spec("authorization/2022-04-01/authorization-RoleAssignmentsCalls.json");
    let scope = format!("/subscriptions/{}", h.sub());
    let path_for = || {
        format!(
            "{scope}/providers/Microsoft.Authorization/roleAssignments/{}",
            uuid::Uuid::new_v4()
        )
    };
    let valid = json!({"properties": {
        "roleDefinitionId": format!("{scope}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7"),
        "principalId": uuid::Uuid::new_v4().to_string(),
        "principalType": "User",
        "description": "d",
    }});

    let properties = writable(&spec, "RoleAssignmentProperties");
    for (property, schema) in &properties {
        for bad in wrong_values(schema) {
            check(
                &h,
                &Case {
                    name: "RoleAssignmentProperties",
                    path_for: &path_for,
                    version: "2022-04-01",
                    valid: &valid,
                },
                &["properties"],
                property,
                bad,
            )
            .await;
        }
    }
    let required = spec["definitions"]["RoleAssignmentProperties"]["required"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(!required.is_empty());
    for field in required {
        let mut body = valid.clone();
        if let Some(p) = body["properties"].as_object_mut() {
            p.remove(field.as_str().unwrap_or_default());
        }
        let answer = h
            .arm(Method::PUT, &path_for(), "2022-04-01", Some(body))
            .await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "missing {field} was accepted"
        );
    }
    let missing = h
        .arm(Method::PUT, &path_for(), "2022-04-01", Some(json!({})))
        .await;
    assert_eq!(
        missing.status,
        StatusCode::BAD_REQUEST,
        "missing properties was accepted"
    );

    let accepted = h
        .arm(Method::PUT, &path_for(), "2022-04-01", Some(valid))
        .await;
    assert_eq!(accepted.status, StatusCode::CREATED, "{}", accepted.body);
    h.emulator.shutdown().await;
}

#[tokio::test]
async fn role_definition_bodies_follow_the_spec_schema() {
    let h = start(EmulatorConfig::default()).await;
    let spec = spec("authorization/2022-04-01/authorization-RoleDefinitionsCalls.json");
    let scope = format!("/subscriptions/{}", h.sub());
    let path_for = || {
        format!(
            "{scope}/providers/Microsoft.Authorization/roleDefinitions/{}",
            uuid::Uuid::new_v4()
        )
    };
    let permission = json!({"actions": ["Microsoft.Compute/images/read"], "notActions": [], "dataActions": [], "notDataActions": []});
    let valid = json!({"properties": {
        "roleName": "Schema role",
        "description": "d",
        "type": "CustomRole",
        "permissions": [permission],
        "assignableScopes": [scope],
    }});

    for (property, schema) in writable(&spec, "RoleDefinitionProperties") {
        for bad in wrong_values(&schema) {
            check(
                &h,
                &Case {
                    name: "RoleDefinitionProperties",
                    path_for: &path_for,
                    version: "2022-04-01",
                    valid: &valid,
                },
                &["properties"],
                &property,
                bad,
            )
            .await;
        }
    }
    for (property, schema) in writable(&spec, "Permission") {
        for bad in wrong_values(&schema) {
            check(
                &h,
                &Case {
                    name: "Permission",
                    path_for: &path_for,
                    version: "2022-04-01",
                    valid: &valid,
                },
                &["properties", "permissions", "0"],
                &property,
                bad,
            )
            .await;
        }
    }
    let accepted = h
        .arm(Method::PUT, &path_for(), "2022-04-01", Some(valid))
        .await;
    assert_eq!(accepted.status, StatusCode::CREATED, "{}", accepted.body);
    h.emulator.shutdown().await;
}

#[tokio::test]
async fn identity_bodies_follow_the_spec_schema() {
    let h = start(EmulatorConfig::default()).await;
    assert_eq!(h.resource_group("rg").await.status, StatusCode::CREATED);
    let base = format!(
        "/subscriptions/{}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities",
        h.sub()
    );
    let path_for = || format!("{base}/uai-{}", uuid::Uuid::new_v4().simple());
    for version in ["2023-01-31", "2024-11-30"] {
        let spec = spec(&format!("msi/{version}/ManagedIdentity.json"));
        let mut valid = json!({"location": "westus2", "tags": {"k": "v"}, "properties": {}});

        // TrackedResource (common types): location (required) and tags (map of strings).
        let mut top: Map<String, Value> = Map::new();
        top.insert("location".into(), json!({"type": "string"}));
        top.insert(
            "tags".into(),
            json!({"type": "object", "additionalProperties": {"type": "string"}}),
        );
        for (property, schema) in top {
            for bad in wrong_values(&schema) {
                check(
                    &h,
                    &Case {
                        name: "TrackedResource",
                        path_for: &path_for,
                        version,
                        valid: &valid,
                    },
                    &[],
                    &property,
                    bad,
                )
                .await;
            }
        }
        check(
            &h,
            &Case {
                name: "TrackedResource tags",
                path_for: &path_for,
                version,
                valid: &valid,
            },
            &[],
            "tags",
            json!({"k": 1}),
        )
        .await;
        let mut no_location = valid.clone();
        if let Some(map) = no_location.as_object_mut() {
            map.remove("location");
        }
        let answer = h
            .arm(Method::PUT, &path_for(), version, Some(no_location))
            .await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "missing location was accepted"
        );

        for (property, schema) in writable(&spec, "UserAssignedIdentityProperties") {
            for bad in wrong_values(&schema) {
                check(
                    &h,
                    &Case {
                        name: "UserAssignedIdentityProperties",
                        path_for: &path_for,
                        version,
                        valid: &valid,
                    },
                    &["properties"],
                    &property,
                    bad,
                )
                .await;
            }
            if let Some(first) = schema["enum"].as_array().and_then(|e| e.last()) {
                valid["properties"][&property] = first.clone();
            }
        }
        let accepted = h
            .arm(Method::PUT, &path_for(), version, Some(valid.clone()))
            .await;
        assert_eq!(accepted.status, StatusCode::CREATED, "{}", accepted.body);
        for (property, value) in valid["properties"].as_object().cloned().unwrap_or_default() {
            assert_eq!(
                accepted.body["properties"][&property], value,
                "{version}: {property} echoed"
            );
        }
    }
    h.emulator.shutdown().await;
}
