//! Progress of one operation, shared between the running future and whoever polls it.

use std::sync::Arc;

use parking_lot::Mutex;
use serde::Serialize;

/// What an operation is doing now; the JSON of `aibperm_operation_progress`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProgressSnapshot {
    /// `starting`, `sending`, `retrying`, `waitingForPrincipal`, `waitingForRoleVisibility`, `done`.
    pub phase: String,
    pub message: String,
    /// Attempt number within the current phase (1-based; 0 before the first).
    pub attempt: u32,
    /// Seconds spent waiting in the current phase.
    pub seconds_waited: f64,
    /// How long the current wait may last, when it has a deadline.
    pub deadline_seconds: Option<f64>,
    pub done: bool,
}

impl Default for ProgressSnapshot {
    fn default() -> Self {
        ProgressSnapshot {
            phase: Phase::Starting.as_str().to_owned(),
            message: String::new(),
            attempt: 0,
            seconds_waited: 0.0,
            deadline_seconds: None,
            done: false,
        }
    }
}

/// The phases named in docs/native-interface.md.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Starting,
    Sending,
    Retrying,
    WaitingForPrincipal,
    WaitingForRoleVisibility,
    WaitingForDeviceCode,
    Done,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Starting => "starting",
            Phase::Sending => "sending",
            Phase::Retrying => "retrying",
            Phase::WaitingForPrincipal => "waitingForPrincipal",
            Phase::WaitingForRoleVisibility => "waitingForRoleVisibility",
            Phase::WaitingForDeviceCode => "waitingForDeviceCode",
            Phase::Done => "done",
        }
    }
}

/// A cheap, cloneable handle to one operation's progress.
///
/// The operation writes it; the C ABI reads [`Progress::snapshot`] from another thread.
#[derive(Clone, Default, Debug)]
pub struct Progress {
    inner: Arc<Mutex<ProgressSnapshot>>,
}

impl Progress {
    /// A fresh progress in phase `starting`.
    pub fn new() -> Self {
        Progress::default()
    }

    /// A copy of the current state.
    pub fn snapshot(&self) -> ProgressSnapshot {
        self.inner.lock().clone()
    }

    /// Replaces the whole state.
    pub fn set(&self, snapshot: ProgressSnapshot) {
        *self.inner.lock() = snapshot;
    }

    /// Enters `phase` with `message`, resetting attempt and waiting time.
    pub fn enter(&self, phase: Phase, message: impl Into<String>) {
        let mut state = self.inner.lock();
        *state = ProgressSnapshot {
            phase: phase.as_str().to_owned(),
            message: message.into(),
            attempt: 0,
            seconds_waited: 0.0,
            deadline_seconds: None,
            done: phase == Phase::Done,
        };
    }

    /// Records one more attempt of a wait with a deadline.
    pub fn waiting(
        &self,
        phase: Phase,
        message: impl Into<String>,
        attempt: u32,
        seconds_waited: f64,
        deadline_seconds: Option<f64>,
    ) {
        let mut state = self.inner.lock();
        *state = ProgressSnapshot {
            phase: phase.as_str().to_owned(),
            message: message.into(),
            attempt,
            seconds_waited,
            deadline_seconds,
            done: false,
        };
    }

    /// Marks the operation finished (successfully or not).
    pub fn finish(&self, message: impl Into<String>) {
        self.enter(Phase::Done, message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshot_serializes_with_interface_field_names() {
        let progress = Progress::new();
        progress.waiting(
            Phase::WaitingForPrincipal,
            "waiting for principal",
            3,
            12.5,
            Some(300.0),
        );
        let json = serde_json::to_value(progress.snapshot()).expect("serializes");
        assert_eq!(
            json,
            serde_json::json!({
                "phase": "waitingForPrincipal", "message": "waiting for principal",
                "attempt": 3, "secondsWaited": 12.5, "deadlineSeconds": 300.0, "done": false
            })
        );
    }

    #[test]
    fn clones_share_state() {
        let progress = Progress::new();
        let reader = progress.clone();
        progress.finish("all done");
        assert!(reader.snapshot().done);
        assert_eq!(reader.snapshot().phase, "done");
    }
}
