//! Bounded waits with progress: the clock decides how long, the progress shows it.

use std::time::{Duration, SystemTime};

use super::progress::{Phase, Progress};
use super::retry::SharedClock;

/// A wait that started at one instant and may last up to `limit`.
pub(crate) struct Deadline {
    clock: SharedClock,
    start: SystemTime,
    limit: Duration,
}

impl Deadline {
    pub fn start(clock: &SharedClock, limit: Duration) -> Self {
        Deadline {
            clock: clock.clone(),
            start: clock.now(),
            limit,
        }
    }

    pub fn elapsed(&self) -> Duration {
        self.clock
            .now()
            .duration_since(self.start)
            .unwrap_or(Duration::ZERO)
    }

    pub fn remaining(&self) -> Duration {
        self.limit.saturating_sub(self.elapsed())
    }

    pub fn limit(&self) -> Duration {
        self.limit
    }

    pub fn is_over(&self) -> bool {
        self.remaining().is_zero()
    }

    /// Sleeps `delay` (at most the time left), in steps of at most one second so the
    /// progress shows the seconds waited as they pass.
    pub async fn pause(
        &self,
        delay: Duration,
        progress: &Progress,
        phase: Phase,
        message: &str,
        attempt: u32,
    ) {
        let mut left = delay.min(self.remaining());
        while !left.is_zero() {
            progress.waiting(
                phase,
                message,
                attempt,
                self.elapsed().as_secs_f64(),
                Some(self.limit.as_secs_f64()),
            );
            let step = left.min(Duration::from_secs(1));
            self.clock.sleep(step).await;
            left = left.saturating_sub(step);
        }
        progress.waiting(
            phase,
            message,
            attempt,
            self.elapsed().as_secs_f64(),
            Some(self.limit.as_secs_f64()),
        );
    }
}

/// Backoff for polling waits: 1, 2, 4, 8 s, then `cap`.
pub(crate) fn poll_delay(attempt: u32, cap: Duration) -> Duration {
    let seconds = 1u64 << attempt.saturating_sub(1).min(6);
    Duration::from_secs(seconds).min(cap)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arm::retry::tests::FakeClock;
    use std::sync::Arc;

    #[tokio::test]
    async fn pause_never_sleeps_past_the_deadline_and_reports_seconds_waited() {
        let clock = FakeClock::new();
        let shared: SharedClock = Arc::new(clock.clone());
        let deadline = Deadline::start(&shared, Duration::from_secs(3));
        let progress = Progress::new();
        deadline
            .pause(
                Duration::from_secs(10),
                &progress,
                Phase::WaitingForPrincipal,
                "w",
                1,
            )
            .await;
        let total: Duration = clock.sleeps.lock().iter().sum();
        assert_eq!(total, Duration::from_secs(3));
        assert!(deadline.is_over());
        let snap = progress.snapshot();
        assert_eq!(snap.phase, "waitingForPrincipal");
        assert_eq!(snap.seconds_waited, 3.0);
        assert_eq!(snap.deadline_seconds, Some(3.0));
    }

    #[test]
    fn poll_delay_doubles_to_the_cap() {
        let cap = Duration::from_secs(10);
        let delays: Vec<u64> = (1..=6).map(|a| poll_delay(a, cap).as_secs()).collect();
        assert_eq!(delays, vec![1, 2, 4, 8, 10, 10]);
    }
}
