//! Requests per second the emulator sustains on loopback for GET and PUT.
//!
//! `cargo bench -p aibperm-emulator --bench throughput` prints one line per kind and a JSON
//! line (`{"getPerSecond": .., "putPerSecond": ..}`) for build scripts. The client runs in
//! the same process, so the figures are a floor. `AIBPERM_BENCH_REQUESTS` sets the
//! number of requests per kind (default 20000), `AIBPERM_BENCH_CONCURRENCY` the number of
//! requests in flight (default 32).

use aibperm_emulator::{Emulator, EmulatorConfig};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|v| *v > 0)
        .unwrap_or(default)
}

async fn token(client: &reqwest::Client, emulator: &Emulator) -> anyhow::Result<String> {
    let state = emulator.state();
    let answer: serde_json::Value = client
        .post(format!(
            "{}/{}/oauth2/v2.0/token",
            state.endpoint, state.tenant_id
        ))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", state.client_id.as_str()),
            ("client_secret", state.client_secret.as_str()),
            ("scope", "https://management.azure.com/.default"),
        ])
        .send()
        .await?
        .json()
        .await?;
    answer["access_token"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("no token in {answer}"))
}

/// Sends `total` requests with `concurrency` in flight; returns requests per second.
async fn measure(
    client: &reqwest::Client,
    token: &str,
    method: reqwest::Method,
    url: &str,
    body: Option<serde_json::Value>,
    total: usize,
    concurrency: usize,
) -> anyhow::Result<f64> {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (client, token, method, url, body, next) = (
            client.clone(),
            token.to_owned(),
            method.clone(),
            url.to_owned(),
            body.clone(),
            next.clone(),
        );
        tasks.push(tokio::spawn(async move {
            while next.fetch_add(1, Ordering::Relaxed) < total {
                let mut request = client.request(method.clone(), &url).bearer_auth(&token);
                if let Some(body) = &body {
                    request = request.json(body);
                }
                let response = request.send().await?;
                anyhow::ensure!(response.status().is_success(), "{}", response.status());
                response.bytes().await?;
            }
            Ok::<(), anyhow::Error>(())
        }));
    }
    for task in tasks {
        task.await??;
    }
    Ok(total as f64 / started.elapsed().as_secs_f64())
}

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let total = setting("AIBPERM_BENCH_REQUESTS", 20_000);
        let concurrency = setting("AIBPERM_BENCH_CONCURRENCY", 32);
        let emulator = Emulator::start(EmulatorConfig::default()).await?;
        let ca = reqwest::Certificate::from_pem(emulator.ca_pem().as_bytes())?;
        let client = reqwest::Client::builder().tls_certs_only([ca]).build()?;
        let token = token(&client, &emulator).await?;

        let sub = emulator.state().subscription_id.clone();
        let identity = format!(
            "{}/subscriptions/{sub}/resourceGroups/rg-bench/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai-bench?api-version=2023-01-31",
            emulator.endpoint()
        );
        let group = format!(
            "{}/subscriptions/{sub}/resourceGroups/rg-bench?api-version=2021-04-01",
            emulator.endpoint()
        );
        let location = serde_json::json!({ "location": "westus2" });
        measure(&client, &token, reqwest::Method::PUT, &group, Some(location.clone()), 1, 1).await?;
        measure(&client, &token, reqwest::Method::PUT, &identity, Some(location.clone()), 1, 1).await?;

        let put = measure(
            &client,
            &token,
            reqwest::Method::PUT,
            &identity,
            Some(location),
            total,
            concurrency,
        )
        .await?;
        let get = measure(
            &client,
            &token,
            reqwest::Method::GET,
            &identity,
            None,
            total,
            concurrency,
        )
        .await?;
        println!("emulator GET {get:.0} requests/s ({total} requests, {concurrency} in flight)");
        println!("emulator PUT {put:.0} requests/s ({total} requests, {concurrency} in flight)");
        println!("{}", serde_json::json!({ "getPerSecond": get.round(), "putPerSecond": put.round() }));
        emulator.shutdown().await;
        Ok(())
    })
}
