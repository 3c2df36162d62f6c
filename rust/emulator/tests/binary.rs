//! The `aibperm-emulator` binary: one ready line on stdout, a state file while it runs,
//! and a clean stop on SIGTERM that removes the state file.
#![cfg(unix)]

use aibperm_emulator::StateFile;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[test]
fn binary_prints_endpoint_writes_state_and_cleans_up_on_sigterm() {
    let dir = tempfile::tempdir().expect("temp dir");
    let state_path = dir.path().join("state.json");
    let mut child = Command::new(env!("CARGO_BIN_EXE_aibperm-emulator"))
        .args(["--port", "0", "--data-dir"])
        .arg(dir.path())
        .arg("--state-file")
        .arg(&state_path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("binary starts");

    let stdout = child.stdout.take().expect("stdout piped");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("ready line");
    let endpoint = line.trim().to_owned();
    assert!(endpoint.starts_with("https://127.0.0.1:"), "{endpoint}");

    let state: StateFile =
        serde_json::from_slice(&std::fs::read(&state_path).expect("state file exists"))
            .expect("state file parses");
    assert_eq!(state.endpoint, endpoint);
    assert_eq!(state.pid, child.id());
    assert!(state.ca_certificate_path.starts_with(dir.path()));
    let pem = std::fs::read_to_string(&state.ca_certificate_path).expect("CA written");
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&state_path)
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "state file holds a secret: owner only");
    }

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let status = child.wait().expect("binary exits");
    assert!(status.success(), "clean exit on SIGTERM: {status}");
    assert!(!state_path.exists(), "state file removed on clean stop");
}
