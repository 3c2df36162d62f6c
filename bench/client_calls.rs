//! The Rust client's own cost of one call: one page of role assignments at a scope, through
//! `ArmClient::execute` and through the C ABI (operation start, wait, result), against the
//! in-process emulator. Prints a JSON line `{"clientMs": {...}, "ffiMs": {...}}` with
//! min/median/max of the mean per call over `AIBPERM_BENCH_RUNS` runs (default 5) of
//! `AIBPERM_BENCH_CALLS` calls (default 200).

use std::ptr::null_mut;
use std::time::Instant;

use aibperm::arm::{ArmClient, ClientConfig, Progress};
use aibperm::ffi::*;
use aibperm_emulator::{Emulator, EmulatorConfig};
use serde_json::{Value, json};

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|v| *v > 0)
        .unwrap_or(default)
}

fn stats(values: &mut [f64]) -> Value {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    let median = if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    };
    let round = |v: f64| (v * 1000.0).round() / 1000.0;
    json!({ "min": round(values[0]), "median": round(median), "max": round(values[n - 1]), "runs": n })
}

fn ffi_call(client: *const aibperm_client, request: &[u8]) {
    let name = b"roleAssignment.list";
    let (mut op, mut error) = (null_mut(), null_mut());
    let status = aibperm_operation_start(
        client,
        name.as_ptr(),
        name.len(),
        request.as_ptr(),
        request.len(),
        &mut op,
        &mut error,
    );
    assert_eq!(status, aibperm_status::Ok, "operation start");
    assert_eq!(aibperm_operation_wait(op, 30_000), aibperm_status::Ok);
    let (mut out, mut len) = (null_mut(), 0);
    let status = aibperm_operation_result(op, &mut out, &mut len, &mut error);
    assert_eq!(status, aibperm_status::Ok, "operation result");
    aibperm_buffer_free(out, len);
    aibperm_operation_free(op);
}

type Failure = Box<dyn std::error::Error>;

fn main() -> Result<(), Failure> {
    let runs = setting("AIBPERM_BENCH_RUNS", 5);
    let calls = setting("AIBPERM_BENCH_CALLS", 200);
    let runtime = tokio::runtime::Runtime::new()?;
    let emulator = runtime.block_on(Emulator::start(EmulatorConfig::default()))?;
    let state = emulator.state().clone();
    let config = json!({
        "armEndpoint": state.endpoint,
        "authorityHost": state.authority_host,
        "audience": state.audience,
        "caCertificatePath": state.ca_certificate_path,
        "credential": {
            "kind": "clientSecret",
            "tenantId": state.tenant_id,
            "clientId": state.client_id,
            "clientSecret": state.client_secret
        },
        "logLevel": "info"
    });
    let client = ArmClient::new(serde_json::from_value::<ClientConfig>(config.clone())?)?;
    let sub = state.subscription_id.clone();
    let scope = format!("/subscriptions/{sub}/resourceGroups/bench-calls");
    let principal = runtime.block_on(async {
        let p = Progress::new();
        client
            .execute(
                "resourceGroup.createOrUpdate",
                json!({ "subscriptionId": sub, "resourceGroupName": "bench-calls", "location": "westus2" }),
                &p,
            )
            .await?;
        let identity = client
            .execute(
                "identity.createOrUpdate",
                json!({ "subscriptionId": sub, "resourceGroupName": "bench-calls", "name": "benchIdentity" }),
                &p,
            )
            .await?;
        client
            .execute(
                "roleAssignment.create",
                json!({ "scope": scope, "principalId": identity["principalId"], "roleDefinitionName": "Reader", "principalType": "ServicePrincipal" }),
                &p,
            )
            .await?;
        Ok::<_, Box<aibperm::Error>>(identity["principalId"].clone())
    })
    .map_err(|e| format!("setup: {e:?}"))?;
    let request = json!({ "scope": scope, "principalId": principal });

    let text = config.to_string();
    let (mut ffi_client, mut error) = (null_mut(), null_mut());
    let status = aibperm_client_new(text.as_ptr(), text.len(), &mut ffi_client, &mut error);
    if status != aibperm_status::Ok {
        return Err(format!("client_new: {status:?}").into());
    }
    let request_bytes = request.to_string().into_bytes();

    let one = || {
        runtime
            .block_on(client.execute("roleAssignment.list", request.clone(), &Progress::new()))
            .map(|_| ())
            .map_err(|e| format!("{e:?}"))
    };
    for _ in 0..20 {
        one()?;
        ffi_call(ffi_client, &request_bytes);
    }
    let (mut client_ms, mut ffi_ms) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let start = Instant::now();
        for _ in 0..calls {
            one()?;
        }
        client_ms.push(start.elapsed().as_secs_f64() * 1000.0 / calls as f64);
        let start = Instant::now();
        for _ in 0..calls {
            ffi_call(ffi_client, &request_bytes);
        }
        ffi_ms.push(start.elapsed().as_secs_f64() * 1000.0 / calls as f64);
    }
    aibperm_client_free(ffi_client);
    runtime.block_on(emulator.shutdown());
    let line =
        json!({ "calls": calls, "clientMs": stats(&mut client_ms), "ffiMs": stats(&mut ffi_ms) });
    println!(
        "client call: {} ms median (Rust), {} ms median (C ABI)",
        line["clientMs"]["median"], line["ffiMs"]["median"]
    );
    println!("{line}");
    Ok(())
}
