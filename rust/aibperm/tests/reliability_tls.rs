//! TLS: the client talks only to a server whose certificate chains to a trusted CA or the CA
//! it was given; a second emulator's CA or no CA at all is refused, for ARM calls and for
//! the token endpoint; plain http is refused; and no configuration field turns
//! verification off.

use aibperm::ErrorKind;
use aibperm::arm::{ArmClient, ClientConfig, Progress};
use aibperm_emulator::{Emulator, EmulatorConfig};
use serde_json::{Value, json};

fn config(emulator: &Emulator, ca: Option<&std::path::Path>, credential: Value) -> Value {
    let state = emulator.state();
    json!({
        "armEndpoint": state.endpoint,
        "authorityHost": state.authority_host,
        "audience": state.audience,
        "caCertificatePath": ca,
        "credential": credential,
        "retry": { "maxRetries": 1, "initialDelayMs": 10, "maxDelayMs": 10 },
        "requestTimeoutSeconds": 10
    })
}

fn secret_credential(emulator: &Emulator) -> Value {
    let state = emulator.state();
    json!({
        "kind": "clientSecret",
        "tenantId": state.tenant_id,
        "clientId": state.client_id,
        "clientSecret": state.client_secret
    })
}

async fn get_group(config: Value, sub: &str) -> Result<Value, aibperm::Error> {
    let config: ClientConfig = serde_json::from_value(config).expect("config");
    let client = ArmClient::new(config)?;
    client
        .execute(
            "resourceGroup.createOrUpdate",
            json!({ "subscriptionId": sub, "resourceGroupName": "rg-tls", "location": "westus2" }),
            &Progress::new(),
        )
        .await
}

#[tokio::test]
async fn only_the_given_ca_is_trusted_for_arm_and_for_tokens() {
    let emulator = Emulator::start(EmulatorConfig::default())
        .await
        .expect("emulator");
    let other = Emulator::start(EmulatorConfig::default())
        .await
        .expect("second emulator");
    let sub = emulator.state().subscription_id.clone();
    let own_ca = emulator.ca_pem_path().to_path_buf();
    let other_ca = other.ca_pem_path().to_path_buf();
    assert_ne!(emulator.ca_pem(), other.ca_pem(), "two CAs");

    // The control run: the right CA works, so the refusals below are about the CA.
    let ok = get_group(
        config(&emulator, Some(&own_ca), secret_credential(&emulator)),
        &sub,
    )
    .await;
    assert!(ok.is_ok(), "{ok:?}");

    // The four refusals run at once: a refused token endpoint is retried by the credential.
    let cases = [
        (
            "another emulator's CA, client secret",
            Some(other_ca.clone()),
            true,
        ),
        ("no CA, client secret", None, true),
        (
            "another emulator's CA, access token",
            Some(other_ca.clone()),
            false,
        ),
        ("no CA, access token", None, false),
    ];
    let runs = cases.iter().map(|(what, ca, secret)| {
        let credential = if *secret {
            secret_credential(&emulator)
        } else {
            json!({ "kind": "accessToken", "token": "tls-test-token" })
        };
        let config = config(&emulator, ca.as_deref(), credential);
        let sub = sub.clone();
        async move {
            let started = std::time::Instant::now();
            let result = get_group(config, &sub).await;
            eprintln!("{what}: refused after {:?}", started.elapsed());
            result
        }
    });
    let results = futures::future::join_all(runs).await;
    for ((what, _, secret), result) in cases.iter().zip(results) {
        let e = result.expect_err(what);
        let expected: &[ErrorKind] = if *secret {
            // The token endpoint is the first TLS peer.
            &[ErrorKind::Credential, ErrorKind::Transport]
        } else {
            &[ErrorKind::Transport]
        };
        assert!(expected.contains(&e.kind), "{what}: {e:?}");
        assert!(!e.message.is_empty(), "{what}");
    }
    other.shutdown().await;
    emulator.shutdown().await;
}

#[test]
fn no_configuration_field_turns_verification_off_and_http_is_refused() {
    let base = json!({
        "armEndpoint": "https://127.0.0.1:9",
        "authorityHost": "https://127.0.0.1:9",
        "audience": "https://management.azure.com/",
        "credential": { "kind": "accessToken", "token": "tls-test-token" }
    });
    for field in [
        "insecure",
        "skipCertificateCheck",
        "skipTlsVerify",
        "dangerAcceptInvalidCerts",
        "acceptInvalidCertificates",
        "tlsVerify",
        "verifyTls",
        "disableCertificateValidation",
    ] {
        for value in [json!(true), json!(false)] {
            let mut config = base.clone();
            config[field] = value;
            let parsed = serde_json::from_value::<ClientConfig>(config);
            assert!(parsed.is_err(), "'{field}' must be an unknown field");
        }
    }
    for (field, url) in [
        ("armEndpoint", "http://127.0.0.1:9"),
        ("authorityHost", "http://127.0.0.1:9"),
    ] {
        let mut config = base.clone();
        config[field] = json!(url);
        // The authority host is used by the client secret credential.
        config["credential"] = json!({
            "kind": "clientSecret",
            "tenantId": "33333333-3333-3333-3333-333333333333",
            "clientId": "44444444-4444-4444-4444-444444444444",
            "clientSecret": "tls-test-secret"
        });
        let config: ClientConfig = serde_json::from_value(config).expect("parses");
        let e = ArmClient::new(config).expect_err("http is refused");
        assert_eq!(e.kind, ErrorKind::InvalidArgument, "{e:?}");
        assert_eq!(e.target.as_deref(), Some(field), "{e:?}");
    }
}
