//! Compiles the C smoke program (two translation units including include/aibperm.h) with
//! `cc -std=c99 -Wall -Wextra -Werror`, links it to the built shared library and runs it
//! against the in-process emulator: version, one offline call, ARM calls through operations.
// Limit: runs on Linux only (libaibperm.so found next to target/<profile>/deps, LD_LIBRARY_PATH).
#![cfg(target_os = "linux")]

use std::path::{Path, PathBuf};
use std::process::Command;

use aibperm_emulator::{Emulator, EmulatorConfig};
use serde_json::json;

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The directory holding libaibperm.so: target/<profile>/, the parent of this test's deps/.
fn library_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("the test runs from target/<profile>/deps")
        .to_path_buf();
    let lib = dir.join("libaibperm.so");
    assert!(
        lib.is_file(),
        "{} is missing: build the cdylib first",
        lib.display()
    );
    dir
}

fn compile(out: &Path, lib_dir: &Path) {
    let version = Command::new("cc").arg("--version").output();
    assert!(
        version.is_ok_and(|o| o.status.success()),
        "`cc` was not found: install a C compiler (for example `apt-get install gcc`) to run \
         the C program test"
    );
    let c = repo_root().join("tests/c");
    let output = Command::new("cc")
        .args(["-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-o"])
        .arg(out)
        .arg(c.join("aibperm_smoke.c"))
        .arg(c.join("aibperm_smoke_util.c"))
        .arg("-L")
        .arg(lib_dir)
        .arg("-laibperm")
        .output()
        .expect("cc runs");
    assert!(
        output.status.success(),
        "cc failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
#[cfg_attr(miri, ignore)]
fn c_program_runs_offline_and_arm_calls_against_the_emulator() {
    let lib_dir = library_dir();
    let work = tempfile::tempdir().expect("temp dir");
    let program = work.path().join("aibperm_smoke");
    compile(&program, &lib_dir);

    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let emulator = runtime
        .block_on(Emulator::start(EmulatorConfig {
            data_dir: Some(work.path().join("emulator")),
            ..EmulatorConfig::default()
        }))
        .expect("emulator starts");
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
        "logLevel": "debug"
    });
    let config_path = work.path().join("client.json");
    std::fs::write(&config_path, config.to_string()).expect("config written");

    let output = Command::new(&program)
        .arg(&config_path)
        .arg(&state.subscription_id)
        .env("LD_LIBRARY_PATH", &lib_dir)
        .output()
        .expect("the C program runs");
    runtime.block_on(emulator.shutdown());

    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "exit {:?}\nstdout:\n{stdout}\nstderr:\n{stderr}",
        output.status.code()
    );
    println!("{stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], format!("version: {}", env!("CARGO_PKG_VERSION")));
    assert!(lines[1].starts_with("offline: ok "), "{stdout}");
    assert!(
        lines[2].starts_with("resourceGroup.createOrUpdate: ok "),
        "{stdout}"
    );
    assert!(
        lines[3].starts_with("identity.createOrUpdate: ok "),
        "{stdout}"
    );
    assert!(lines[3].contains("\"name\":\"smokeIdentity\""), "{stdout}");
    let records: u32 = lines[4]
        .strip_prefix("log: ")
        .and_then(|r| r.strip_suffix(" records"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("a log line: {stdout}"));
    assert!(records > 0, "the client logged its requests");
    assert!(!stdout.contains(&state.client_secret) && !stderr.contains(&state.client_secret));
}
