//! User-assigned identities against a mock ARM.

mod common;

use aibperm::ErrorKind;
use aibperm::arm::Progress;
use common::*;
use serde_json::{Value, json};
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, ResponseTemplate};

fn identity_path(name: &str) -> String {
    format!(
        "{}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}",
        rg_scope("rg-aib")
    )
}

fn identity_body(name: &str, location: &str, tags: Value) -> Value {
    json!({
        "id": identity_path(name),
        "name": name,
        "location": location,
        "type": "Microsoft.ManagedIdentity/userAssignedIdentities",
        "tags": tags,
        "properties": {
            "tenantId": TENANT,
            "principalId": PRINCIPAL,
            "clientId": "55555555-5555-5555-5555-555555555555"
        }
    })
}

fn request(name: &str) -> Value {
    json!({ "subscriptionId": SUB, "resourceGroupName": "rg-aib", "name": name })
}

#[tokio::test]
async fn missing_location_defaults_to_the_resource_groups() {
    let arm = arm().await;
    Mock::given(method("GET"))
        .and(path(identity_path("aibIdentity")))
        .and(query_param("api-version", "2023-01-31"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(arm_error("ResourceNotFound", "not found")),
        )
        .expect(1)
        .mount(&arm.server)
        .await;
    Mock::given(method("GET"))
        .and(path(rg_scope("rg-aib")))
        .and(query_param("api-version", "2021-04-01"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": rg_scope("rg-aib"), "name": "rg-aib", "location": "northeurope"
        })))
        .expect(1)
        .mount(&arm.server)
        .await;
    Mock::given(method("PUT"))
        .and(path(identity_path("aibIdentity")))
        .and(query_param("api-version", "2023-01-31"))
        .and(body_json(json!({ "location": "northeurope", "tags": {} })))
        .respond_with(ResponseTemplate::new(201).set_body_json(identity_body(
            "aibIdentity",
            "northeurope",
            json!({}),
        )))
        .expect(1)
        .mount(&arm.server)
        .await;
    catch_all(&arm.server, "GET identity, GET group, PUT identity").await;

    let identity = arm
        .client
        .execute(
            "identity.createOrUpdate",
            request("aibIdentity"),
            &Progress::new(),
        )
        .await
        .expect("created");
    assert_eq!(identity["outcome"], "Created");
    assert_eq!(identity["location"], "northeurope");
    assert_eq!(identity["principalId"], PRINCIPAL);
    assert_eq!(identity["tenantId"], TENANT);
    assert_eq!(identity["resourceGroupName"], "rg-aib");
    assert_eq!(identity["subscriptionId"], SUB);
    assert_eq!(
        identity["type"],
        "Microsoft.ManagedIdentity/userAssignedIdentities"
    );
}

#[tokio::test]
async fn existing_identity_with_same_location_and_tags_is_unchanged() {
    let arm = arm().await;
    Mock::given(method("GET"))
        .and(path(identity_path("aibIdentity")))
        .respond_with(ResponseTemplate::new(200).set_body_json(identity_body(
            "aibIdentity",
            "westus2",
            json!({"env": "dev"}),
        )))
        .expect(1)
        .mount(&arm.server)
        .await;
    catch_all(&arm.server, "only the GET of the identity").await;

    let mut req = request("aibIdentity");
    req["location"] = json!("West US 2");
    req["tags"] = json!({ "env": "dev" });
    let identity = arm
        .client
        .execute("identity.createOrUpdate", req, &Progress::new())
        .await
        .expect("unchanged");
    assert_eq!(identity["outcome"], "Unchanged");
}

#[tokio::test]
async fn changed_tags_update_the_identity() {
    let arm = arm().await;
    Mock::given(method("GET"))
        .and(path(identity_path("aibIdentity")))
        .respond_with(ResponseTemplate::new(200).set_body_json(identity_body(
            "aibIdentity",
            "westus2",
            json!({}),
        )))
        .mount(&arm.server)
        .await;
    Mock::given(method("PUT"))
        .and(path(identity_path("aibIdentity")))
        .and(body_json(
            json!({ "location": "westus2", "tags": { "env": "prod" } }),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(identity_body(
            "aibIdentity",
            "westus2",
            json!({"env": "prod"}),
        )))
        .expect(1)
        .mount(&arm.server)
        .await;
    catch_all(&arm.server, "GET then PUT with the existing location").await;

    let mut req = request("aibIdentity");
    req["tags"] = json!({ "env": "prod" });
    let identity = arm
        .client
        .execute("identity.createOrUpdate", req, &Progress::new())
        .await
        .expect("updated");
    assert_eq!(identity["outcome"], "Updated");
    assert_eq!(identity["tags"]["env"], "prod");
}

#[tokio::test]
async fn long_names_with_dashes_and_underscores_are_accepted() {
    let arm = arm().await;
    let name = "aib-identity_for-the-image-pipeline_2026";
    assert_eq!(name.len(), 40);
    Mock::given(method("GET"))
        .and(path(identity_path(name)))
        .respond_with(ResponseTemplate::new(200).set_body_json(identity_body(
            name,
            "westus2",
            json!({}),
        )))
        .expect(1)
        .mount(&arm.server)
        .await;
    catch_all(&arm.server, "one GET").await;
    let identity = arm
        .client
        .execute("identity.get", request(name), &Progress::new())
        .await
        .expect("found");
    assert_eq!(identity["outcome"], "Found");
}

#[tokio::test]
async fn bad_names_are_rejected_before_any_request_naming_the_rule() {
    let arm = arm().await;
    catch_all(&arm.server, "no request at all").await;
    for name in [
        "-leading-dash".to_string(),
        "x".repeat(129),
        "ab".to_string(),
        "has space".to_string(),
    ] {
        let err = arm
            .client
            .execute("identity.createOrUpdate", request(&name), &Progress::new())
            .await
            .expect_err("bad name");
        assert_eq!(err.kind, ErrorKind::InvalidArgument);
        assert_eq!(err.target.as_deref(), Some("name"));
        assert!(err.message.contains("3-128 characters"), "{}", err.message);
    }
}

#[tokio::test]
async fn missing_resource_group_is_reported_not_taken_for_a_missing_identity() {
    let arm = arm().await;
    Mock::given(method("GET"))
        .and(path(identity_path("aibIdentity")))
        .respond_with(ResponseTemplate::new(404).set_body_json(arm_error(
            "ResourceGroupNotFound",
            "Resource group 'rg-aib' could not be found.",
        )))
        .expect(1)
        .mount(&arm.server)
        .await;
    catch_all(&arm.server, "one GET").await;
    let mut req = request("aibIdentity");
    req["location"] = json!("westus2");
    let err = arm
        .client
        .execute("identity.createOrUpdate", req, &Progress::new())
        .await
        .expect_err("no group");
    assert_eq!(err.arm_code.as_deref(), Some("ResourceGroupNotFound"));
}
