//! `aibperm-emulator`: runs the emulator until SIGTERM or Ctrl+C.

use aibperm_emulator::{Emulator, EmulatorConfig, Faults};
use clap::Parser;
use std::path::PathBuf;

/// A local Azure Resource Manager and Entra ID stand-in for AibPermissions tests and demos.
///
/// Serves HTTPS on 127.0.0.1 with a certificate authority made at start, prints the
/// endpoint once ready, and writes a state file (endpoint, CA path, tenant, subscription,
/// service principal credentials) that clients read to connect.
#[derive(Parser, Debug)]
#[command(name = "aibperm-emulator", version)]
struct Args {
    /// TCP port to listen on; 0 picks a free port.
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Where to write the state file [default: <data-dir>/state.json].
    #[arg(long)]
    state_file: Option<PathBuf>,
    /// Directory for ca.pem and the default state file [default: a new temporary directory].
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// Tenant id [default: a new GUID].
    #[arg(long)]
    tenant_id: Option<String>,
    /// Subscription id [default: a new GUID].
    #[arg(long)]
    subscription_id: Option<String>,
    /// Another subscription in the same tenant (repeatable).
    #[arg(long = "extra-subscription-id")]
    extra_subscription_ids: Vec<String>,
    /// Location reported in the state file.
    #[arg(long, default_value = "westus2")]
    location: String,
    /// Largest number of items per list page; more come through nextLink.
    #[arg(long, default_value_t = 100)]
    page_size: usize,
    /// Listen on all interfaces instead of loopback only.
    #[arg(long)]
    listen_any: bool,
    /// Log one line per request to stderr (never tokens or bodies).
    #[arg(long)]
    verbose: bool,
    /// Seconds a new identity's principal stays unknown to role assignments.
    #[arg(long, default_value_t = 0)]
    replication_delay_seconds: u64,
    /// Seconds a new role definition stays missing from reads and name filters.
    #[arg(long, default_value_t = 0)]
    role_visibility_delay_seconds: u64,
    /// ARM writes allowed per minute (0 = unlimited); more get 429 with Retry-After.
    #[arg(long, default_value_t = 0)]
    writes_per_minute: u32,
    /// ARM reads allowed per minute (0 = unlimited); more get 429 with Retry-After.
    #[arg(long, default_value_t = 0)]
    reads_per_minute: u32,
    /// Probability (0..1) of a 500 or 503 answer to an ARM request.
    #[arg(long, default_value_t = 0.0)]
    transient_failure_rate: f64,
    /// Probability (0..1) that an ARM request's connection is dropped.
    #[arg(long, default_value_t = 0.0)]
    drop_connection_rate: f64,
    /// Milliseconds added before every ARM answer.
    #[arg(long, default_value_t = 0)]
    slow_response_ms: u64,
    /// Lifetime of issued access tokens in seconds.
    #[arg(long, default_value_t = 3599)]
    token_lifetime_seconds: u64,
    /// Seed for the probabilistic faults; the same seed fails the same requests.
    #[arg(long, default_value_t = 0)]
    fault_seed: u64,
    /// Message carried by 409 RoleAssignmentExists instead of ARM's usual text.
    #[arg(long)]
    assignment_exists_message: Option<String>,
}

fn main() -> std::process::ExitCode {
    let args = Args::parse();
    if args.verbose {
        tracing_subscriber::fmt()
            .with_writer(std::io::stderr)
            .with_target(false)
            .init();
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("aibperm-emulator: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("aibperm-emulator: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> anyhow::Result<()> {
    let defaults = EmulatorConfig::default();
    let own_data_dir = args.data_dir.is_none();
    let data_dir = match args.data_dir {
        Some(dir) => dir,
        None => std::env::temp_dir().join(format!("aibperm-emulator-{}", std::process::id())),
    };
    let state_file = args
        .state_file
        .unwrap_or_else(|| data_dir.join("state.json"));
    let config = EmulatorConfig {
        port: args.port,
        state_file: Some(state_file),
        data_dir: Some(data_dir.clone()),
        tenant_id: args.tenant_id.unwrap_or(defaults.tenant_id),
        subscription_id: args.subscription_id.unwrap_or(defaults.subscription_id),
        extra_subscription_ids: args.extra_subscription_ids,
        location: args.location,
        page_size: args.page_size,
        listen_any: args.listen_any,
        verbose: args.verbose,
        faults: Faults {
            replication_delay_seconds: args.replication_delay_seconds,
            role_visibility_delay_seconds: args.role_visibility_delay_seconds,
            writes_per_minute: args.writes_per_minute,
            reads_per_minute: args.reads_per_minute,
            transient_failure_rate: args.transient_failure_rate,
            drop_connection_rate: args.drop_connection_rate,
            slow_response_ms: args.slow_response_ms,
            token_lifetime_seconds: args.token_lifetime_seconds,
            fault_seed: args.fault_seed,
            assignment_exists_message: args.assignment_exists_message,
        },
        ..defaults
    };
    // Listen for SIGTERM and Ctrl+C before announcing readiness, so a stop sent right after
    // the ready line still stops cleanly.
    let stop = stop_signal()?;
    let emulator = match Emulator::start(config).await {
        Ok(emulator) => emulator,
        Err(e) => {
            if own_data_dir {
                let _ = std::fs::remove_dir_all(&data_dir);
            }
            return Err(e);
        }
    };
    println!("{}", emulator.endpoint());

    stop.await;
    emulator.shutdown().await;
    if own_data_dir {
        let _ = std::fs::remove_dir_all(&data_dir);
    }
    Ok(())
}

/// A future that completes on SIGTERM or Ctrl+C; the handlers are installed at once.
#[cfg(unix)]
fn stop_signal() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    Ok(async move {
        tokio::select! {
            _ = term.recv() => {}
            _ = interrupt.recv() => {}
        }
    })
}

/// A future that completes on Ctrl+C (or Ctrl+Break / close on Windows).
#[cfg(not(unix))]
fn stop_signal() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    let mut ctrl_c = tokio::signal::windows::ctrl_c()?;
    let mut ctrl_break = tokio::signal::windows::ctrl_break()?;
    let mut close = tokio::signal::windows::ctrl_close()?;
    Ok(async move {
        tokio::select! {
            _ = ctrl_c.recv() => {}
            _ = ctrl_break.recv() => {}
            _ = close.recv() => {}
        }
    })
}
