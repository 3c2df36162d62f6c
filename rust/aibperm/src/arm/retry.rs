//! Retry policy as data (STYLE §6.4): which answers are retried, how long to wait, and the
//! clock that waits. The clock is injected so tests never sleep.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use futures::future::BoxFuture;
use http::HeaderMap;
use rand::RngExt;

use super::config::RetryOptions;

/// Wall time and sleeping, injectable for tests.
pub trait Clock: Send + Sync + 'static {
    /// The current time (for `Retry-After` dates, deadlines and token expiry).
    fn now(&self) -> SystemTime;
    /// Waits `duration`; dropping the future cancels the wait.
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()>;
}

/// The real clock: system time and `tokio::time::sleep`.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// Shared clock handle.
pub type SharedClock = Arc<dyn Clock>;

/// Status codes worth another attempt: timeouts, throttling and transient server errors.
pub const RETRYABLE_STATUSES: &[u16] = &[408, 429, 500, 502, 503, 504];

/// When and how long to retry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    pub max_retries: u32,
    pub initial_delay: Duration,
    pub max_delay: Duration,
}

impl From<&RetryOptions> for RetryPolicy {
    fn from(options: &RetryOptions) -> Self {
        RetryPolicy {
            max_retries: options.max_retries,
            initial_delay: Duration::from_millis(options.initial_delay_ms),
            max_delay: Duration::from_millis(options.max_delay_ms.max(options.initial_delay_ms)),
        }
    }
}

impl RetryPolicy {
    /// True when an answer with `status` may be retried.
    pub fn is_retryable_status(status: u16) -> bool {
        RETRYABLE_STATUSES.contains(&status)
    }

    /// The capped exponential backoff before retry number `retry` (0-based), without jitter.
    pub fn backoff(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry.min(30)).unwrap_or(u32::MAX);
        self.initial_delay
            .checked_mul(factor)
            .unwrap_or(self.max_delay)
            .min(self.max_delay)
    }

    /// The wait before retry number `retry`: the jittered backoff (between half and all of
    /// it), but never less than the server's `retry_after`.
    pub fn delay(&self, retry: u32, retry_after: Option<Duration>, jitter: f64) -> Duration {
        let backoff = self.backoff(retry);
        let jitter = jitter.clamp(0.0, 1.0);
        let jittered = backoff.mul_f64(0.5 + 0.5 * jitter);
        match retry_after {
            Some(server) => jittered.max(server),
            None => jittered,
        }
    }
}

/// A random jitter factor in [0, 1).
pub fn random_jitter() -> f64 {
    rand::rng().random::<f64>()
}

/// How long the server asked us to wait, from `retry-after-ms`, `x-ms-retry-after-ms` or
/// `Retry-After` (delta seconds or an HTTP date, measured against `now`).
pub fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    for name in ["retry-after-ms", "x-ms-retry-after-ms"] {
        if let Some(ms) = header_str(headers, name).and_then(|v| v.trim().parse::<u64>().ok()) {
            return Some(Duration::from_millis(ms));
        }
    }
    let value = header_str(headers, "retry-after")?.trim();
    parse_retry_after(value, now)
}

/// Parses a `Retry-After` value: delta seconds, or an HTTP date (a past date waits zero).
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    if let Ok(seconds) = value.parse::<f64>() {
        if seconds.is_finite() && seconds >= 0.0 {
            return Some(Duration::from_secs_f64(seconds.min(86_400.0)));
        }
        return None;
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use parking_lot::Mutex;

    /// A clock whose sleeps return at once and advance its time; it records each sleep.
    #[derive(Clone)]
    pub(crate) struct FakeClock {
        pub(crate) now: Arc<Mutex<SystemTime>>,
        pub(crate) sleeps: Arc<Mutex<Vec<Duration>>>,
    }

    impl FakeClock {
        pub(crate) fn new() -> Self {
            FakeClock {
                now: Arc::new(Mutex::new(
                    SystemTime::UNIX_EPOCH + Duration::from_secs(1_750_000_000),
                )),
                sleeps: Arc::default(),
            }
        }
    }

    impl Clock for FakeClock {
        fn now(&self) -> SystemTime {
            *self.now.lock()
        }

        fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
            self.sleeps.lock().push(duration);
            *self.now.lock() += duration;
            Box::pin(async {})
        }
    }

    fn policy() -> RetryPolicy {
        RetryPolicy::from(&RetryOptions {
            max_retries: 6,
            initial_delay_ms: 500,
            max_delay_ms: 30_000,
        })
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().expect("header value"));
        }
        map
    }

    #[test]
    fn backoff_doubles_and_stops_at_the_cap() {
        let policy = policy();
        assert_eq!(policy.backoff(0), Duration::from_millis(500));
        assert_eq!(policy.backoff(1), Duration::from_millis(1000));
        assert_eq!(policy.backoff(3), Duration::from_millis(4000));
        assert_eq!(policy.backoff(10), Duration::from_secs(30));
        assert_eq!(policy.backoff(u32::MAX), Duration::from_secs(30));
    }

    #[test]
    fn jitter_keeps_delay_between_half_and_full_backoff() {
        let policy = policy();
        assert_eq!(policy.delay(2, None, 0.0), Duration::from_millis(1000));
        assert_eq!(policy.delay(2, None, 1.0), Duration::from_millis(2000));
        let random = policy.delay(2, None, random_jitter());
        assert!(random >= Duration::from_millis(1000) && random <= Duration::from_millis(2000));
    }

    #[test]
    fn retry_after_longer_than_backoff_wins_even_above_the_cap() {
        let policy = policy();
        let wait = policy.delay(0, Some(Duration::from_secs(45)), 1.0);
        assert_eq!(wait, Duration::from_secs(45));
    }

    #[test]
    fn retry_after_shorter_than_backoff_does_not_shorten_it() {
        let policy = policy();
        let wait = policy.delay(3, Some(Duration::from_secs(1)), 0.0);
        assert_eq!(wait, Duration::from_secs(2));
    }

    #[test]
    fn retry_after_seconds_is_read() {
        let now = SystemTime::now();
        let h = headers(&[("retry-after", "7")]);
        assert_eq!(retry_after(&h, now), Some(Duration::from_secs(7)));
    }

    #[test]
    fn retry_after_http_date_is_measured_from_now() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_750_000_000);
        let date = httpdate::fmt_http_date(now + Duration::from_secs(20));
        let h = headers(&[("retry-after", &date)]);
        assert_eq!(retry_after(&h, now), Some(Duration::from_secs(20)));
    }

    #[test]
    fn retry_after_date_in_past_waits_zero() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_750_000_000);
        let date = httpdate::fmt_http_date(now - Duration::from_secs(60));
        assert_eq!(parse_retry_after(&date, now), Some(Duration::ZERO));
    }

    #[test]
    fn retry_after_ms_headers_take_precedence() {
        let h = headers(&[("retry-after", "9"), ("x-ms-retry-after-ms", "1500")]);
        assert_eq!(
            retry_after(&h, SystemTime::now()),
            Some(Duration::from_millis(1500))
        );
    }

    #[test]
    fn garbage_retry_after_is_ignored() {
        assert_eq!(parse_retry_after("soon", SystemTime::now()), None);
        assert_eq!(parse_retry_after("-3", SystemTime::now()), None);
    }

    #[test]
    fn only_transient_statuses_are_retryable() {
        for status in [408, 429, 500, 502, 503, 504] {
            assert!(RetryPolicy::is_retryable_status(status), "{status}");
        }
        for status in [200, 400, 401, 403, 404, 409, 501] {
            assert!(!RetryPolicy::is_retryable_status(status), "{status}");
        }
    }
}
