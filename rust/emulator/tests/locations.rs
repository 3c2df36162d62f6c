//! `GET /subscriptions/{id}/locations`: the list tab completion of `-Location` reads.

mod common;

use aibperm_emulator::EmulatorConfig;
use common::start;
use reqwest::{Method, StatusCode};

#[tokio::test]
async fn locations_list_names_regions_with_display_names_and_ids() {
    let h = start(EmulatorConfig::default()).await;
    let path = format!("/subscriptions/{}/locations", h.sub());
    let answer = h.arm(Method::GET, &path, "2022-12-01", None).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let items = answer.body["value"].as_array().expect("value array");
    let westus2 = items
        .iter()
        .find(|l| l["name"] == "westus2")
        .expect("westus2 listed, the location resource groups default to");
    assert_eq!(westus2["displayName"], "West US 2");
    assert_eq!(westus2["type"], "Region");
    assert_eq!(
        westus2["id"].as_str().expect("id"),
        format!("/subscriptions/{}/locations/westus2", h.sub())
    );
    assert!(
        items.iter().all(|l| l["name"]
            .as_str()
            .is_some_and(|n| !n.is_empty() && n == n.to_lowercase() && !n.contains(' '))),
        "location names are lowercase without spaces"
    );
}

#[tokio::test]
async fn locations_need_a_known_subscription_and_an_api_version() {
    let h = start(EmulatorConfig::default()).await;
    let unknown = "/subscriptions/00000000-0000-0000-0000-00000000abcd/locations";
    let answer = h.arm(Method::GET, unknown, "2022-12-01", None).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(answer.code(), "SubscriptionNotFound");

    let url = format!(
        "{}/subscriptions/{}/locations",
        h.emulator.endpoint(),
        h.sub()
    );
    let answer = h.send(Method::GET, &url, None).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(answer.code(), "MissingApiVersionParameter");

    let answer = h
        .arm(
            Method::POST,
            &format!("/subscriptions/{}/locations", h.sub()),
            "2022-12-01",
            None,
        )
        .await;
    assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED);
}
