//! The AIB recipe against an in-process emulator: a resource group, an identity, two custom
//! roles and two assignments, with the codes and shapes ARM answers.

mod common;

use aibperm_emulator::EmulatorConfig;
use common::{AUTHZ, MSI, RESOURCES, start};
use reqwest::{Method, StatusCode};
use serde_json::json;

fn is_guid(value: &serde_json::Value) -> bool {
    value
        .as_str()
        .is_some_and(|s| s.len() == 36 && uuid::Uuid::parse_str(s).is_ok())
}

#[tokio::test]
async fn aib_recipe_creates_identity_roles_and_assignments() {
    let h = start(EmulatorConfig::default()).await;
    let sub = h.sub();

    // Resource groups for the image and the network.
    let rg = h.resource_group("rg-images").await;
    assert_eq!(rg.status, StatusCode::CREATED);
    assert_eq!(
        rg.body["id"],
        format!("/subscriptions/{sub}/resourceGroups/rg-images")
    );
    assert_eq!(h.resource_group("rg-images").await.status, StatusCode::OK);
    assert_eq!(
        h.resource_group("rg-network").await.status,
        StatusCode::CREATED
    );

    // The identity: 201 on create, 200 on update, ids stable.
    let identity_path = format!(
        "/subscriptions/{sub}/resourceGroups/rg-images/providers/Microsoft.ManagedIdentity/userAssignedIdentities/aibIdentity"
    );
    let created = h
        .arm(
            Method::PUT,
            &identity_path,
            MSI,
            Some(json!({"location": "westus2"})),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let props = &created.body["properties"];
    assert!(is_guid(&props["principalId"]) && is_guid(&props["clientId"]));
    assert_eq!(props["tenantId"], h.emulator.state().tenant_id.as_str());
    assert_eq!(
        created.body["type"],
        "Microsoft.ManagedIdentity/userAssignedIdentities"
    );
    let updated = h
        .arm(
            Method::PUT,
            &identity_path,
            MSI,
            Some(json!({"location": "westus2", "tags": {"purpose": "aib"}})),
        )
        .await;
    assert_eq!(updated.status, StatusCode::OK);
    assert_eq!(updated.body["properties"], created.body["properties"]);
    assert_eq!(updated.body["tags"]["purpose"], "aib");
    let principal = props["principalId"].as_str().unwrap_or_default().to_owned();

    // Two custom roles, each assignable at its resource group.
    let mut role_ids = Vec::new();
    for (rg, role_name, actions) in [
        (
            "rg-images",
            "Azure Image Builder Service Image Creation Role",
            vec![
                "Microsoft.Compute/galleries/read",
                "Microsoft.Compute/images/write",
            ],
        ),
        (
            "rg-network",
            "Azure Image Builder Service Networking Role",
            vec![
                "Microsoft.Network/virtualNetworks/read",
                "Microsoft.Network/virtualNetworks/subnets/join/action",
            ],
        ),
    ] {
        let scope = format!("/subscriptions/{sub}/resourceGroups/{rg}");
        let guid = uuid::Uuid::new_v4().to_string();
        let path = format!("{scope}/providers/Microsoft.Authorization/roleDefinitions/{guid}");
        let body = json!({"properties": {
            "roleName": role_name,
            "description": "Image Builder access",
            "type": "customRole",
            "permissions": [{"actions": actions, "notActions": []}],
            "assignableScopes": [scope],
        }});
        let answer = h.arm(Method::PUT, &path, AUTHZ, Some(body)).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
        assert_eq!(answer.body["name"], guid.as_str());
        assert_eq!(answer.body["properties"]["type"], "CustomRole");
        assert_eq!(
            answer.body["properties"]["permissions"][0]["dataActions"],
            json!([])
        );
        let id = answer.body["id"].as_str().unwrap_or_default().to_owned();
        assert_eq!(
            id,
            format!(
                "/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/{guid}"
            )
        );

        // Found by name at its scope, with the name filter as clients send it.
        let filter = format!(
            "{scope}/providers/Microsoft.Authorization/roleDefinitions?$filter=roleName%20eq%20'{}'",
            role_name.replace(' ', "%20")
        );
        let list = h.arm(Method::GET, &filter, AUTHZ, None).await;
        assert_eq!(list.status, StatusCode::OK);
        assert_eq!(list.body["value"].as_array().map(Vec::len), Some(1));
        assert_eq!(list.body["value"][0]["name"], guid.as_str());
        role_ids.push((scope, id));
    }

    // Two assignments of those roles to the identity.
    for (scope, role_id) in &role_ids {
        let name = uuid::Uuid::new_v4().to_string();
        let path = format!("{scope}/providers/Microsoft.Authorization/roleAssignments/{name}");
        let body = json!({"properties": {
            "roleDefinitionId": role_id,
            "principalId": principal,
            "principalType": "ServicePrincipal",
        }});
        let answer = h.arm(Method::PUT, &path, AUTHZ, Some(body.clone())).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
        assert_eq!(answer.body["id"], path.as_str());
        assert_eq!(answer.body["properties"]["scope"], scope.as_str());
        assert_eq!(
            answer.body["properties"]["roleDefinitionId"],
            role_id.as_str()
        );
        assert_eq!(
            answer.body["properties"]["principalType"],
            "ServicePrincipal"
        );

        // The same PUT again is accepted; the same triple under another name is a 409.
        let again = h.arm(Method::PUT, &path, AUTHZ, Some(body.clone())).await;
        assert_eq!(again.status, StatusCode::OK);
        let other = format!(
            "{scope}/providers/Microsoft.Authorization/roleAssignments/{}",
            uuid::Uuid::new_v4()
        );
        let clash = h.arm(Method::PUT, &other, AUTHZ, Some(body)).await;
        assert_eq!(clash.status, StatusCode::CONFLICT);
        assert_eq!(clash.code(), "RoleAssignmentExists");
    }

    // The identity's assignments, listed from the subscription.
    let list = h
        .arm(
            Method::GET,
            &format!(
                "/subscriptions/{sub}/providers/Microsoft.Authorization/roleAssignments?$filter=principalId%20eq%20'{principal}'"
            ),
            AUTHZ,
            None,
        )
        .await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.body["value"].as_array().map(Vec::len), Some(2));

    // The control endpoint counted the writes.
    let counters = h.control(Method::GET, "/counters", None).await;
    assert_eq!(counters.body["roleDefinitions.put"], 2);
    assert_eq!(counters.body["roleAssignments.put"], 6);
    assert_eq!(counters.body["userAssignedIdentities.put"], 2);
    assert_eq!(counters.body["resourceGroups.put"], 3);
    let state = h.control(Method::GET, "/state", None).await;
    assert_eq!(
        state.body["roleAssignments"].as_array().map(Vec::len),
        Some(2)
    );
    assert_eq!(
        state.body["roleDefinitions"].as_array().map(Vec::len),
        Some(2)
    );

    h.emulator.shutdown().await;
}

#[tokio::test]
async fn every_arm_answer_carries_request_ids_and_rate_limit_headers() {
    let h = start(EmulatorConfig::default()).await;
    let path = format!("/subscriptions/{}/resourcegroups/missing", h.sub());
    let answer = h.arm(Method::GET, &path, RESOURCES, None).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(answer.code(), "ResourceGroupNotFound");
    assert!(answer.body["error"]["message"].is_string());
    for header in [
        "x-ms-request-id",
        "x-ms-correlation-request-id",
        "x-ms-ratelimit-remaining-subscription-reads",
    ] {
        assert!(answer.headers.contains_key(header), "missing {header}");
    }
    assert!(
        answer.headers["content-type"]
            .to_str()
            .unwrap_or_default()
            .starts_with("application/json")
    );
    h.emulator.shutdown().await;
}
