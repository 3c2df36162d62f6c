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

#[tokio::test]
async fn verbose_logs_requests_to_stderr_without_tokens_or_secrets() {
    use std::io::Read;

    let dir = tempfile::tempdir().expect("temp dir");
    let state_path = dir.path().join("state.json");
    let mut child = Command::new(env!("CARGO_BIN_EXE_aibperm-emulator"))
        .arg("--verbose")
        .arg("--data-dir")
        .arg(dir.path())
        .arg("--state-file")
        .arg(&state_path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("ready line");
    let state: StateFile =
        serde_json::from_slice(&std::fs::read(&state_path).expect("state file")).expect("parses");

    let ca = reqwest::Certificate::from_pem(
        &std::fs::read(&state.ca_certificate_path).expect("CA readable"),
    )
    .expect("CA parses");
    let client = reqwest::Client::builder()
        .tls_certs_only([ca])
        .build()
        .expect("client");
    let token: serde_json::Value = client
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
        .await
        .expect("token request")
        .json()
        .await
        .expect("token JSON");
    let token = token["access_token"].as_str().expect("token").to_owned();
    let status = client
        .get(format!(
            "{}/subscriptions/{}/resourcegroups?api-version=2021-04-01",
            state.endpoint, state.subscription_id
        ))
        .bearer_auth(&token)
        .send()
        .await
        .expect("ARM request")
        .status();
    assert!(status.is_success());

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("stderr read");
    assert!(child.wait().expect("exit").success());

    assert!(
        stderr.contains("GET /subscriptions/") && stderr.contains("resourceGroups.list"),
        "request line logged: {stderr}"
    );
    assert!(!stderr.contains(&token), "token leaked to the log");
    assert!(
        !stderr.contains(&state.client_secret),
        "secret leaked to the log"
    );
}
