//! aibperm-emulator: a local stand-in for Azure Resource Manager and Entra ID.
//!
//! It serves HTTPS on loopback with a certificate authority made at start, and answers the
//! requests AibPermissions makes: resource groups, user-assigned identities, role
//! definitions, role assignments and tokens. Tests start it in-process:
//!
//! ```no_run
//! # async fn demo() -> anyhow::Result<()> {
//! use aibperm_emulator::{Emulator, EmulatorConfig};
//! let emulator = Emulator::start(EmulatorConfig::default()).await?;
//! println!("{} trusts {}", emulator.endpoint(), emulator.ca_pem_path().display());
//! emulator.shutdown().await;
//! # Ok(())
//! # }
//! ```

mod arm;
mod builtins;
mod control;
mod entra;
mod error;
pub mod faults;
pub mod scope;
mod state;
mod time_fmt;
mod tls;
pub mod token;

pub use faults::Faults;

use anyhow::Context as _;
use axum::Router;
use axum::routing::{get, post};
use parking_lot::Mutex;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinHandle;

/// The audience ARM tokens are issued for, as in the public cloud.
pub const ARM_AUDIENCE: &str = "https://management.azure.com/";

/// How to run an emulator. `Default` gives a fresh tenant, subscription and service
/// principal, port 0 (any free port) and a temporary data directory.
#[derive(Clone, Debug)]
pub struct EmulatorConfig {
    /// TCP port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Where to write the state file once listening; removed on a clean stop.
    pub state_file: Option<PathBuf>,
    /// Where to write `ca.pem`; a temporary directory (removed at stop) when `None`.
    pub data_dir: Option<PathBuf>,
    pub tenant_id: String,
    pub subscription_id: String,
    /// More subscriptions in the same tenant (for clashes across subscriptions).
    pub extra_subscription_ids: Vec<String>,
    /// Default location reported in the state file.
    pub location: String,
    /// The service principal whose client credentials the token endpoint accepts.
    pub client_id: String,
    pub client_secret: String,
    /// Its object id (the `oid` of its tokens).
    pub service_principal_object_id: String,
    /// Largest number of items in one list page; more come through `nextLink`.
    pub page_size: usize,
    /// Listen on all interfaces instead of 127.0.0.1 only.
    pub listen_any: bool,
    /// Log one line per request to stderr through `tracing` (the binary's `--verbose`).
    pub verbose: bool,
    pub faults: Faults,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        Self {
            port: 0,
            state_file: None,
            data_dir: None,
            tenant_id: new_guid(),
            subscription_id: new_guid(),
            extra_subscription_ids: Vec::new(),
            location: "westus2".to_owned(),
            client_id: new_guid(),
            client_secret: format!("emu~{}", uuid::Uuid::new_v4().simple()),
            service_principal_object_id: new_guid(),
            page_size: 100,
            listen_any: false,
            verbose: false,
            faults: Faults::default(),
        }
    }
}

/// The state file's content (see docs/emulator.md).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StateFile {
    pub endpoint: String,
    pub authority_host: String,
    pub audience: String,
    pub ca_certificate_path: PathBuf,
    pub tenant_id: String,
    pub subscription_id: String,
    pub client_id: String,
    pub client_secret: String,
    pub service_principal_object_id: String,
    pub control_endpoint: String,
    pub managed_identity_endpoint: String,
    pub identity_header: String,
    pub location: String,
    pub pid: u32,
}

/// Shared by every handler.
pub(crate) struct App {
    pub config: EmulatorConfig,
    pub endpoint: String,
    pub identity_header: String,
    pub signer: token::TokenSigner,
    pub store: Mutex<state::Store>,
    pub faults: Mutex<faults::FaultState>,
    pub counters: Mutex<BTreeMap<String, u64>>,
    pub device_codes: Mutex<HashMap<String, entra::DeviceCode>>,
}

impl App {
    pub fn count(&self, operation: &str) {
        *self
            .counters
            .lock()
            .entry(operation.to_owned())
            .or_insert(0) += 1;
    }

    pub fn fresh_store(config: &EmulatorConfig) -> state::Store {
        let mut subscriptions = vec![config.subscription_id.clone()];
        subscriptions.extend(config.extra_subscription_ids.iter().cloned());
        let mut store = state::Store::new(
            &config.tenant_id,
            &subscriptions,
            &config.service_principal_object_id,
        );
        store.principals.insert(
            entra::device_user_object_id(&config.tenant_id),
            state::Principal {
                kind: "User".to_owned(),
                visible_at: std::time::Instant::now(),
            },
        );
        store
    }
}

/// A running emulator. Dropping it stops the server abruptly; `shutdown` stops it cleanly
/// and removes the state file.
pub struct Emulator {
    state: StateFile,
    ca_pem: String,
    state_file: Option<PathBuf>,
    temp_dir: Option<PathBuf>,
    handle: axum_server::Handle<SocketAddr>,
    server: Option<JoinHandle<std::io::Result<()>>>,
}

impl Emulator {
    /// Starts serving and returns once the port is bound and the state file is written.
    ///
    /// # Errors
    /// When the port cannot be bound, the data directory or state file cannot be written,
    /// or the certificates cannot be made.
    pub async fn start(config: EmulatorConfig) -> anyhow::Result<Emulator> {
        config
            .faults
            .validate()
            .map_err(|e| anyhow::anyhow!("invalid fault settings: {e}"))?;
        if config.page_size == 0 {
            anyhow::bail!("page size must be at least 1");
        }

        let (data_dir, temp_dir) = match &config.data_dir {
            Some(dir) => (dir.clone(), None),
            None => {
                let dir = std::env::temp_dir().join(format!(
                    "aibperm-emulator-{}-{}",
                    std::process::id(),
                    uuid::Uuid::new_v4().simple()
                ));
                (dir.clone(), Some(dir))
            }
        };
        std::fs::create_dir_all(&data_dir)
            .with_context(|| format!("creating data directory {}", data_dir.display()))?;

        let tls = tls::make()?;
        let ca_path = data_dir.join("ca.pem");
        write_atomically(&ca_path, tls.ca_pem.as_bytes())
            .with_context(|| format!("writing {}", ca_path.display()))?;

        let ip = if config.listen_any {
            Ipv4Addr::UNSPECIFIED
        } else {
            Ipv4Addr::LOCALHOST
        };
        let listener = TcpListener::bind((ip, config.port))
            .with_context(|| format!("binding {ip}:{}", config.port))?;
        listener.set_nonblocking(true)?;
        let port = listener.local_addr()?.port();
        let endpoint = format!("https://127.0.0.1:{port}");

        let app = Arc::new(App {
            store: Mutex::new(App::fresh_store(&config)),
            faults: Mutex::new(faults::FaultState::new(config.faults.clone())),
            counters: Mutex::new(BTreeMap::new()),
            device_codes: Mutex::new(HashMap::new()),
            signer: token::TokenSigner::new(),
            identity_header: uuid::Uuid::new_v4().simple().to_string(),
            endpoint: endpoint.clone(),
            config: config.clone(),
        });

        let state = StateFile {
            endpoint: endpoint.clone(),
            authority_host: endpoint.clone(),
            audience: ARM_AUDIENCE.to_owned(),
            ca_certificate_path: ca_path,
            tenant_id: config.tenant_id.clone(),
            subscription_id: config.subscription_id.clone(),
            client_id: config.client_id.clone(),
            client_secret: config.client_secret.clone(),
            service_principal_object_id: config.service_principal_object_id.clone(),
            control_endpoint: format!("{endpoint}/_emulator"),
            managed_identity_endpoint: format!("{endpoint}/msi/token"),
            identity_header: app.identity_header.clone(),
            location: config.location.clone(),
            pid: std::process::id(),
        };

        let router = router(app);
        let handle = axum_server::Handle::new();
        let server = axum_server::from_tcp_rustls(
            listener,
            axum_server::tls_rustls::RustlsConfig::from_config(tls.server_config),
        )?
        .handle(handle.clone());
        let make_service = tower::ServiceExt::<SocketAddr>::map_response(
            router.into_make_service_with_connect_info::<SocketAddr>(),
            |service| {
                tower::ServiceExt::<axum::extract::Request<hyper::body::Incoming>>::map_result(
                    service,
                    drop_marked_connections,
                )
            },
        );
        let server = tokio::spawn(async move { server.serve(make_service).await });
        if handle.listening().await.is_none() {
            anyhow::bail!("the emulator could not start listening on port {port}");
        }

        if let Some(path) = &config.state_file {
            let json = serde_json::to_vec_pretty(&state)?;
            write_atomically(path, &json)
                .with_context(|| format!("writing state file {}", path.display()))?;
        }

        Ok(Emulator {
            state,
            ca_pem: tls.ca_pem,
            state_file: config.state_file.clone(),
            temp_dir,
            handle,
            server: Some(server),
        })
    }

    /// `https://127.0.0.1:PORT`, also the authority host for tokens.
    pub fn endpoint(&self) -> &str {
        &self.state.endpoint
    }

    /// The CA certificate clients must trust, as PEM.
    pub fn ca_pem(&self) -> &str {
        &self.ca_pem
    }

    pub fn ca_pem_path(&self) -> &Path {
        &self.state.ca_certificate_path
    }

    /// What the state file holds (also when no state file was asked for).
    pub fn state(&self) -> &StateFile {
        &self.state
    }

    /// Stops accepting connections, lets requests in flight finish (up to a second),
    /// removes the state file and any temporary data directory.
    pub async fn shutdown(mut self) {
        self.handle.graceful_shutdown(Some(Duration::from_secs(1)));
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
        self.clean_files();
    }

    fn clean_files(&mut self) {
        if let Some(path) = self.state_file.take() {
            let _ = std::fs::remove_file(path);
        }
        if let Some(dir) = self.temp_dir.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            self.handle.shutdown();
            server.abort();
        }
        self.clean_files();
    }
}

fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/{tenant}/oauth2/v2.0/token", post(entra::token))
        .route("/{tenant}/oauth2/v2.0/devicecode", post(entra::device_code))
        .route(
            "/{tenant}/v2.0/.well-known/openid-configuration",
            get(entra::openid_configuration),
        )
        .route("/common/discovery/instance", get(entra::instance_discovery))
        .route("/msi/token", get(entra::managed_identity))
        .nest("/_emulator", control::router())
        .fallback(arm::handle)
        .with_state(app)
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Turns a response marked by the drop-connection fault into a service error, on which
/// hyper closes the connection (HTTP/1.1) or resets the stream (HTTP/2) without answering.
fn drop_marked_connections(
    result: Result<axum::response::Response, std::convert::Infallible>,
) -> Result<axum::response::Response, BoxError> {
    match result {
        Ok(response) if response.extensions().get::<arm::DropConnection>().is_some() => {
            Err(Box::new(std::io::Error::new(
                std::io::ErrorKind::ConnectionAborted,
                "connection dropped by fault",
            )))
        }
        Ok(response) => Ok(response),
        Err(never) => match never {},
    }
}

pub(crate) fn new_guid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Writes to a sibling temporary file, then renames it over `path`, so readers never see
/// a half-written file. On Unix the file is readable by its owner only.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "state".to_owned());
    let tmp = path.with_file_name(format!(".{file_name}.{}.tmp", std::process::id()));
    {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&tmp)?;
        std::io::Write::write_all(&mut file, bytes)?;
        file.sync_all()?;
    }
    std::fs::rename(&tmp, path)
}
