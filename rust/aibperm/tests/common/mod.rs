//! Shared helpers for the ARM client tests: a mock ARM on 127.0.0.1, a clock that never
//! sleeps, and a client wired to both.

#![allow(dead_code)]

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use aibperm::arm::retry::Clock;
use aibperm::arm::{ArmClient, ClientConfig, Progress, ProgressSnapshot};
use futures::future::BoxFuture;
use parking_lot::Mutex;
use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

pub const SUB: &str = "11111111-1111-1111-1111-111111111111";
pub const PRINCIPAL: &str = "22222222-2222-2222-2222-222222222222";
pub const TENANT: &str = "33333333-3333-3333-3333-333333333333";
pub const TOKEN: &str = "test-token-value-0123456789";

/// Sleeps return at once, advance the time and are recorded.
#[derive(Clone)]
pub struct FakeClock {
    pub now: Arc<Mutex<SystemTime>>,
    pub sleeps: Arc<Mutex<Vec<Duration>>>,
    /// When set, the progress is recorded at every sleep.
    pub watch: Arc<Mutex<Option<Progress>>>,
    pub seen: Arc<Mutex<Vec<ProgressSnapshot>>>,
}

impl FakeClock {
    pub fn new() -> Self {
        FakeClock {
            now: Arc::new(Mutex::new(
                SystemTime::UNIX_EPOCH + Duration::from_secs(1_750_000_000),
            )),
            sleeps: Arc::default(),
            watch: Arc::default(),
            seen: Arc::default(),
        }
    }

    pub fn total_slept(&self) -> Duration {
        self.sleeps.lock().iter().sum()
    }
}

impl Clock for FakeClock {
    fn now(&self) -> SystemTime {
        *self.now.lock()
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        self.sleeps.lock().push(duration);
        *self.now.lock() += duration;
        if let Some(progress) = self.watch.lock().as_ref() {
            self.seen.lock().push(progress.snapshot());
        }
        Box::pin(async {})
    }
}

/// A mock ARM and a client talking to it with a fake clock.
pub struct Arm {
    pub server: MockServer,
    pub client: ArmClient,
    pub clock: FakeClock,
}

pub async fn arm() -> Arm {
    arm_with_retries(2).await
}

pub async fn arm_with_retries(max_retries: u32) -> Arm {
    let server = MockServer::start().await;
    let config: ClientConfig = serde_json::from_value(json!({
        "armEndpoint": server.uri(),
        "audience": "https://management.azure.com/",
        "credential": { "kind": "accessToken", "token": TOKEN },
        "retry": { "maxRetries": max_retries, "initialDelayMs": 500, "maxDelayMs": 8000 },
        "logLevel": "debug"
    }))
    .expect("config");
    let clock = FakeClock::new();
    let client = ArmClient::builder(config)
        .clock(Arc::new(clock.clone()))
        .allow_loopback_http()
        .build()
        .expect("client");
    Arm {
        server,
        client,
        clock,
    }
}

/// The last mock: any request nobody expected gets a 500 naming what the test expected,
/// and fails the test when the server is dropped.
pub async fn catch_all(server: &MockServer, expected: &str) {
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500).set_body_json(arm_error(
            "UnexpectedRequest",
            &format!("no mock matched; the test expected {expected}"),
        )))
        .with_priority(u8::MAX)
        .named(format!("catch-all (expected {expected})"))
        .expect(0)
        .mount(server)
        .await;
}

pub fn arm_error(code: &str, message: &str) -> Value {
    json!({ "error": { "code": code, "message": message } })
}

pub fn rg_scope(rg: &str) -> String {
    format!("/subscriptions/{SUB}/resourceGroups/{rg}")
}

/// Collects every tracing event of the current thread as text while the guard lives.
pub struct LogCapture {
    pub buffer: Arc<Mutex<Vec<u8>>>,
    _guard: tracing::subscriber::DefaultGuard,
}

impl LogCapture {
    pub fn start() -> Self {
        // With a single registered dispatcher, tracing-core decides a new callsite's
        // interest from the default of whichever thread reaches it first; a test without a
        // subscriber running in parallel would then silence it for everyone. A second,
        // never-dropped dispatcher makes it ask every registered dispatcher instead.
        static SECOND: std::sync::OnceLock<tracing::Dispatch> = std::sync::OnceLock::new();
        SECOND.get_or_init(|| tracing::Dispatch::new(tracing::subscriber::NoSubscriber::default()));
        let buffer: Arc<Mutex<Vec<u8>>> = Arc::default();
        let sink = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || SharedWriter(sink.clone()))
            .finish();
        LogCapture {
            buffer,
            _guard: tracing::subscriber::set_default(subscriber),
        }
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.buffer.lock()).into_owned()
    }
}

struct SharedWriter(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for SharedWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.0.lock().extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
