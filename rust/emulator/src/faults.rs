//! Faults the emulator can inject, set per run (flags) or at runtime (control endpoint).

use serde::{Deserialize, Serialize};
use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

/// The fault settings. Every random choice comes from one generator seeded with
/// `fault_seed`, so a run with the same seed and the same requests fails the same way.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Faults {
    /// A new identity's principal is unknown to role assignments (400 PrincipalNotFound)
    /// for this many seconds after the identity is created.
    pub replication_delay_seconds: u64,
    /// A new or updated role definition is missing from GET, name filters and assignment
    /// checks for this many seconds.
    pub role_visibility_delay_seconds: u64,
    /// ARM writes (PUT, PATCH, DELETE) allowed per rolling minute; 0 = unlimited.
    pub writes_per_minute: u32,
    /// ARM reads (GET, HEAD) allowed per rolling minute; 0 = unlimited.
    pub reads_per_minute: u32,
    /// Probability (0..=1) that an ARM request fails with 500 or 503 before it is handled.
    pub transient_failure_rate: f64,
    /// Probability (0..=1) that an ARM request's connection is dropped without an answer.
    pub drop_connection_rate: f64,
    /// Delay added before every ARM answer, in milliseconds.
    pub slow_response_ms: u64,
    /// Lifetime of issued access tokens, in seconds.
    pub token_lifetime_seconds: u64,
    /// Seed of the generator behind the probabilistic faults.
    pub fault_seed: u64,
    /// When set, 409 RoleAssignmentExists carries this message instead of ARM's usual one,
    /// so clients can prove they match the code and not the text.
    pub assignment_exists_message: Option<String>,
}

impl Default for Faults {
    fn default() -> Self {
        Self {
            replication_delay_seconds: 0,
            role_visibility_delay_seconds: 0,
            writes_per_minute: 0,
            reads_per_minute: 0,
            transient_failure_rate: 0.0,
            drop_connection_rate: 0.0,
            slow_response_ms: 0,
            token_lifetime_seconds: 3599,
            fault_seed: 0,
            assignment_exists_message: None,
        }
    }
}

impl Faults {
    /// Rejects values that make no sense (probabilities outside 0..=1, zero lifetime).
    pub fn validate(&self) -> Result<(), String> {
        for (name, rate) in [
            ("transientFailureRate", self.transient_failure_rate),
            ("dropConnectionRate", self.drop_connection_rate),
        ] {
            if !(0.0..=1.0).contains(&rate) {
                return Err(format!("{name} must be between 0 and 1, got {rate}"));
            }
        }
        if self.token_lifetime_seconds == 0 {
            return Err("tokenLifetimeSeconds must be at least 1".into());
        }
        Ok(())
    }
}

/// What the fault layer decided for one ARM request.
#[derive(Debug, PartialEq, Eq)]
pub enum Decision {
    Proceed,
    Throttle {
        retry_after_seconds: u64,
        limit: u32,
    },
    Transient {
        status: u16,
    },
    Drop,
}

/// Whether a request counts against the read or the write budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Budget {
    Read,
    Write,
}

/// Runtime fault state: the settings, the seeded generator and the rate windows.
pub struct FaultState {
    pub faults: Faults,
    rng: SplitMix64,
    reads: VecDeque<Instant>,
    writes: VecDeque<Instant>,
    retries: RetryRecord,
}

/// How clients answered throttling: each throttled request (by method and URL) may not
/// come again before the `Retry-After` it was given.
#[derive(Default)]
struct RetryRecord {
    not_before: HashMap<String, Instant>,
    throttled: u64,
    early: u64,
}

/// The throttling record shown by the control endpoint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ThrottlingReport {
    /// Requests answered 429.
    pub throttled: u64,
    /// Requests that came again before the `Retry-After` their earlier 429 gave.
    pub early_retries: u64,
}

impl FaultState {
    pub fn new(faults: Faults) -> Self {
        let rng = SplitMix64(faults.fault_seed);
        Self {
            faults,
            rng,
            reads: VecDeque::new(),
            writes: VecDeque::new(),
            retries: RetryRecord::default(),
        }
    }

    /// Replaces the settings, reseeds the generator and clears the rate windows.
    pub fn replace(&mut self, faults: Faults) {
        *self = Self::new(faults);
    }

    /// Decides the fate of one request, in a fixed order: throttling, dropped connection,
    /// transient failure. Throttled requests do not use up budget.
    pub fn decide(&mut self, budget: Budget, now: Instant) -> Decision {
        let limit = match budget {
            Budget::Read => self.faults.reads_per_minute,
            Budget::Write => self.faults.writes_per_minute,
        };
        if limit > 0 {
            let window = match budget {
                Budget::Read => &mut self.reads,
                Budget::Write => &mut self.writes,
            };
            let minute = Duration::from_secs(60);
            while window
                .front()
                .is_some_and(|t| now.duration_since(*t) >= minute)
            {
                window.pop_front();
            }
            if window.len() >= limit as usize {
                let oldest = window.front().copied().unwrap_or(now);
                let wait = minute.saturating_sub(now.duration_since(oldest));
                let retry_after_seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
                return Decision::Throttle {
                    retry_after_seconds: retry_after_seconds.max(1),
                    limit,
                };
            }
            window.push_back(now);
        }
        if self.faults.drop_connection_rate > 0.0
            && self.rng.next_f64() < self.faults.drop_connection_rate
        {
            return Decision::Drop;
        }
        if self.faults.transient_failure_rate > 0.0
            && self.rng.next_f64() < self.faults.transient_failure_rate
        {
            let status = if self.rng.next_u64() % 2 == 0 {
                500
            } else {
                503
            };
            return Decision::Transient { status };
        }
        Decision::Proceed
    }
}

impl FaultState {
    /// Records one request's arrival and the decision taken for it. `request` names the
    /// request (method and URL), so a retry is recognised as the same request.
    pub fn record(&mut self, request: &str, decision: &Decision, now: Instant) {
        let record = &mut self.retries;
        if let Some(not_before) = record.not_before.remove(request)
            && now < not_before
        {
            record.early += 1;
        }
        if let Decision::Throttle {
            retry_after_seconds,
            ..
        } = decision
        {
            record.throttled += 1;
            record.not_before.insert(
                request.to_owned(),
                now + Duration::from_secs(*retry_after_seconds),
            );
        }
    }

    /// Throttled requests and early retries since the faults were last set.
    pub fn throttling(&self) -> ThrottlingReport {
        ThrottlingReport {
            throttled: self.retries.throttled,
            early_retries: self.retries.early,
        }
    }

    /// Requests left in the current minute when a limit is set for `budget`.
    pub fn remaining(&self, budget: Budget) -> Option<u32> {
        let (limit, window) = match budget {
            Budget::Read => (self.faults.reads_per_minute, &self.reads),
            Budget::Write => (self.faults.writes_per_minute, &self.writes),
        };
        (limit > 0).then(|| limit.saturating_sub(window.len() as u32))
    }
}

/// A small, well-known generator (Steele, Lea and Flood's SplitMix64): reproducible from a
/// seed and independent of any crate's choice of algorithm.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_gives_same_failures() {
        let faults = Faults {
            transient_failure_rate: 0.3,
            drop_connection_rate: 0.1,
            fault_seed: 42,
            ..Faults::default()
        };
        let now = Instant::now();
        let run = |faults: &Faults| {
            let mut state = FaultState::new(faults.clone());
            (0..200)
                .map(|_| state.decide(Budget::Read, now))
                .collect::<Vec<_>>()
        };
        let first = run(&faults);
        assert_eq!(first, run(&faults));
        assert!(
            first
                .iter()
                .any(|d| matches!(d, Decision::Transient { .. }))
        );
        assert!(first.contains(&Decision::Drop));
        assert!(first.contains(&Decision::Proceed));
        let other = Faults {
            fault_seed: 43,
            ..faults
        };
        assert_ne!(first, run(&other));
    }

    #[test]
    fn write_budget_throttles_with_retry_after_until_the_window_frees() {
        let mut state = FaultState::new(Faults {
            writes_per_minute: 2,
            ..Faults::default()
        });
        let start = Instant::now();
        assert_eq!(state.decide(Budget::Write, start), Decision::Proceed);
        assert_eq!(state.decide(Budget::Write, start), Decision::Proceed);
        assert_eq!(state.decide(Budget::Read, start), Decision::Proceed);
        let later = start + Duration::from_secs(20);
        assert_eq!(
            state.decide(Budget::Write, later),
            Decision::Throttle {
                retry_after_seconds: 40,
                limit: 2
            }
        );
        let after_window = start + Duration::from_secs(60);
        assert_eq!(state.decide(Budget::Write, after_window), Decision::Proceed);
    }

    #[test]
    fn retry_before_its_retry_after_is_counted_as_early() {
        let mut state = FaultState::new(Faults::default());
        let start = Instant::now();
        let throttle = Decision::Throttle {
            retry_after_seconds: 5,
            limit: 1,
        };
        state.record("PUT /a", &throttle, start);
        state.record("PUT /b", &Decision::Proceed, start + Duration::from_secs(1));
        state.record("PUT /a", &Decision::Proceed, start + Duration::from_secs(5));
        assert_eq!(state.throttling().early_retries, 0);
        state.record("PUT /b", &throttle, start + Duration::from_secs(6));
        state.record("PUT /b", &Decision::Proceed, start + Duration::from_secs(8));
        assert_eq!(
            state.throttling(),
            ThrottlingReport {
                throttled: 2,
                early_retries: 1
            }
        );
    }

    #[test]
    fn rates_outside_zero_to_one_are_rejected() {
        let faults = Faults {
            transient_failure_rate: 1.5,
            ..Faults::default()
        };
        assert!(faults.validate().is_err());
        assert!(Faults::default().validate().is_ok());
    }
}
