//! The C smoke program (tests/c/) under Valgrind memcheck, against the in-process emulator:
//! no invalid read or write, no use of uninitialised memory, no definite leak
//! (`--leak-check=full`). A "possibly lost" block is accepted only when it was allocated
//! inside a `Once` (a process-wide static whose table pointer points inside its block) or is
//! the thread block of a runtime thread still exiting when the program ends.
//! Runs when `valgrind` is on PATH; fails when it is missing and `AIBPERM_REQUIRE_VALGRIND=1`
//! (CI sets it and installs Debian's valgrind).
// Limit: Linux only, like the C program test.
#![cfg(target_os = "linux")]

use std::path::{Path, PathBuf};
use std::process::Command;

use aibperm_emulator::{Emulator, EmulatorConfig};
use serde_json::json;

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn library_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("the test runs from target/<profile>/deps")
        .to_path_buf();
    assert!(
        dir.join("libaibperm.so").is_file(),
        "build the cdylib first"
    );
    dir
}

fn valgrind_available() -> bool {
    let found = Command::new("valgrind")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var("AIBPERM_REQUIRE_VALGRIND").as_deref() != Ok("1"),
            "valgrind is required (AIBPERM_REQUIRE_VALGRIND=1) but not on PATH: \
             apt-get install -y valgrind"
        );
        eprintln!("valgrind not found: the memcheck run is skipped");
    }
    found
}

#[test]
#[cfg_attr(miri, ignore)]
fn c_smoke_program_is_clean_under_valgrind_memcheck() {
    if !valgrind_available() {
        return;
    }
    let lib_dir = library_dir();
    let work = tempfile::tempdir().expect("temp dir");
    let program = work.path().join("aibperm_smoke");
    let c = repo_root().join("tests/c");
    let cc = Command::new("cc")
        .args(["-std=c99", "-g", "-O0", "-Wall", "-Wextra", "-Werror", "-o"])
        .arg(&program)
        .arg(c.join("aibperm_smoke.c"))
        .arg(c.join("aibperm_smoke_util.c"))
        .arg("-L")
        .arg(&lib_dir)
        .arg("-laibperm")
        .output()
        .expect("cc runs");
    assert!(
        cc.status.success(),
        "cc failed:\n{}",
        String::from_utf8_lossy(&cc.stderr)
    );

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
        // Valgrind slows every call down many times over.
        "requestTimeoutSeconds": 120,
        "logLevel": "debug"
    });
    let config_path = work.path().join("client.json");
    std::fs::write(&config_path, config.to_string()).expect("config written");

    let output = Command::new("valgrind")
        .args([
            "--tool=memcheck",
            "--error-exitcode=1",
            "--leak-check=full",
            "--errors-for-leak-kinds=definite",
            "--show-leak-kinds=definite,possible",
            "--track-origins=yes",
            "--quiet",
        ])
        .arg(&program)
        .arg(&config_path)
        .arg(&state.subscription_id)
        .env("LD_LIBRARY_PATH", &lib_dir)
        .output()
        .expect("valgrind runs");
    runtime.block_on(emulator.shutdown());

    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "memcheck found errors (exit {:?})\nstdout:\n{stdout}\nstderr:\n{stderr}",
        output.status.code()
    );
    for record in possibly_lost_records(&stderr) {
        assert!(
            record.contains("Once") || record.contains("pthread_create"),
            "a possibly lost block outside a process-wide static:\n{record}"
        );
    }
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("identity.createOrUpdate: ok ")),
        "the program ran its ARM calls:\n{stdout}\n{stderr}"
    );
    assert!(!stdout.contains(&state.client_secret) && !stderr.contains(&state.client_secret));
}

/// The "possibly lost" records of a memcheck report, each with its stack.
fn possibly_lost_records(report: &str) -> Vec<String> {
    let mut records = Vec::new();
    let mut current: Option<String> = None;
    for line in report.lines() {
        let body = line.split_once("== ").map_or("", |(_, b)| b);
        if body.contains("are possibly lost in loss record") {
            current = Some(String::new());
        }
        match current.as_mut() {
            Some(r) if body.trim().is_empty() => {
                records.push(std::mem::take(r));
                current = None;
            }
            Some(r) => {
                r.push_str(body);
                r.push('\n');
            }
            None => {}
        }
    }
    records.extend(current);
    records
}
