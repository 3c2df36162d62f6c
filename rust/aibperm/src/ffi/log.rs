//! The per-client log: a tracing subscriber that keeps `aibperm*` events as JSON lines in a
//! bounded buffer, drained by `aibperm_client_take_log`. No global subscriber is installed.

use std::collections::VecDeque;
use std::fmt::{self, Write as _};
use std::sync::{Arc, Mutex, PoisonError};

use serde::Serialize;
use tracing::field::{Field, Visit};
use tracing::subscriber::Interest;
use tracing::{Dispatch, Event, Level, Metadata, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::Registry;

/// Records kept before the oldest are dropped.
pub(crate) const LOG_CAPACITY: usize = 10_000;

/// The records of one client, oldest first.
#[derive(Debug, Default)]
pub(crate) struct LogBuffer {
    inner: Mutex<LogRecords>,
}

#[derive(Debug, Default)]
struct LogRecords {
    lines: VecDeque<String>,
    dropped: u64,
}

#[derive(Serialize)]
struct Record<'a> {
    level: &'a str,
    target: &'a str,
    message: &'a str,
}

impl LogBuffer {
    fn push(&self, line: String) {
        let mut records = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if records.lines.len() >= LOG_CAPACITY {
            records.lines.pop_front();
            records.dropped += 1;
        }
        records.lines.push_back(line);
    }

    /// Takes every record as JSON lines (each ending in LF). When records were dropped
    /// because the buffer was full, a first `warn` record says how many.
    pub fn take(&self) -> Vec<u8> {
        let (lines, dropped) = {
            let mut records = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
            let dropped = std::mem::take(&mut records.dropped);
            (std::mem::take(&mut records.lines), dropped)
        };

        let mut out = Vec::new();
        if dropped > 0 {
            let message = format!(
                "{dropped} older log records were dropped: the log holds {LOG_CAPACITY} records \
                 between reads"
            );
            out.extend_from_slice(&render("warn", "aibperm::ffi", &message).into_bytes());
            out.push(b'\n');
        }
        for line in lines {
            out.extend_from_slice(line.as_bytes());
            out.push(b'\n');
        }
        out
    }
}

fn render(level: &str, target: &str, message: &str) -> String {
    let record = Record {
        level,
        target,
        message,
    };
    // A record of three strings always serializes; fall back to an empty object regardless.
    serde_json::to_string(&record).unwrap_or_else(|_| String::from("{}"))
}

/// Builds the subscriber of one client, writing into `buffer`.
pub(crate) fn dispatch(buffer: Arc<LogBuffer>, level: Level) -> Dispatch {
    Dispatch::new(Registry::default().with(BufferLayer { buffer, level }))
}

struct BufferLayer {
    buffer: Arc<LogBuffer>,
    level: Level,
}

fn is_ours(metadata: &Metadata<'_>) -> bool {
    metadata.target().starts_with("aibperm")
}

impl BufferLayer {
    fn wants(&self, metadata: &Metadata<'_>) -> bool {
        is_ours(metadata) && *metadata.level() <= self.level
    }
}

impl<S: Subscriber> Layer<S> for BufferLayer {
    fn register_callsite(&self, metadata: &'static Metadata<'static>) -> Interest {
        // Clients with different levels share callsites: decide per event, not once.
        if is_ours(metadata) {
            Interest::sometimes()
        } else {
            Interest::never()
        }
    }

    fn enabled(&self, metadata: &Metadata<'_>, _ctx: Context<'_, S>) -> bool {
        // Our spans pass so events inside them are seen; only events are recorded.
        (metadata.is_span() && is_ours(metadata)) || self.wants(metadata)
    }

    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let metadata = event.metadata();
        if !self.wants(metadata) {
            return;
        }
        let mut visitor = MessageVisitor::default();
        event.record(&mut visitor);

        let level = metadata.level().as_str().to_ascii_lowercase();
        let line = render(&level, metadata.target(), &visitor.finish());
        self.buffer.push(line);
    }
}

/// Collects `message` and appends other fields as ` name=value`.
#[derive(Default)]
struct MessageVisitor {
    message: String,
    fields: String,
}

impl MessageVisitor {
    fn finish(self) -> String {
        if self.fields.is_empty() {
            self.message
        } else if self.message.is_empty() {
            self.fields.trim_start().to_owned()
        } else {
            self.message + &self.fields
        }
    }
}

impl Visit for MessageVisitor {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message.push_str(value);
        } else {
            let _ = write!(self.fields, " {}={}", field.name(), value);
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.message, "{value:?}");
        } else {
            let _ = write!(self.fields, " {}={:?}", field.name(), value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(buffer: &LogBuffer) -> Vec<serde_json::Value> {
        let text = String::from_utf8(buffer.take()).unwrap();
        text.lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    #[test]
    fn events_below_the_level_or_outside_aibperm_are_not_kept() {
        let buffer = Arc::new(LogBuffer::default());
        let dispatch = dispatch(buffer.clone(), Level::INFO);
        tracing::dispatcher::with_default(&dispatch, || {
            tracing::info!(target: "aibperm::arm", "creating role {}", "x");
            tracing::debug!(target: "aibperm::arm", "too detailed");
            tracing::warn!(target: "hyper::client", "not ours");
            tracing::warn!(target: "aibperm::auth", attempt = 2, "retrying");
        });

        let records = lines(&buffer);
        assert_eq!(records.len(), 2, "{records:?}");
        assert_eq!(records[0]["level"], "info");
        assert_eq!(records[0]["target"], "aibperm::arm");
        assert_eq!(records[0]["message"], "creating role x");
        assert_eq!(records[1]["level"], "warn");
        assert_eq!(records[1]["message"], "retrying attempt=2");
        assert!(buffer.take().is_empty(), "take drains the buffer");
    }

    #[test]
    fn clients_with_different_levels_each_keep_their_own_records() {
        let (quiet, chatty) = (
            Arc::new(LogBuffer::default()),
            Arc::new(LogBuffer::default()),
        );
        let quiet_dispatch = dispatch(quiet.clone(), Level::WARN);
        let chatty_dispatch = dispatch(chatty.clone(), Level::TRACE);
        let emit = || {
            tracing::debug!(target: "aibperm::arm", "GET /x -> 200");
            tracing::warn!(target: "aibperm::arm", "throttled");
        };
        for _ in 0..2 {
            tracing::dispatcher::with_default(&quiet_dispatch, emit);
            tracing::dispatcher::with_default(&chatty_dispatch, emit);
        }

        let quiet: Vec<_> = lines(&quiet)
            .into_iter()
            .map(|r| r["message"].clone())
            .collect();
        assert_eq!(quiet, ["throttled", "throttled"]);
        assert_eq!(lines(&chatty).len(), 4);
    }

    #[test]
    fn a_full_buffer_drops_the_oldest_and_says_so() {
        let buffer = LogBuffer::default();
        for i in 0..LOG_CAPACITY + 5 {
            buffer.push(render("info", "aibperm::test", &i.to_string()));
        }

        let records = lines(&buffer);
        assert_eq!(records.len(), LOG_CAPACITY + 1);
        assert_eq!(records[0]["level"], "warn");
        assert!(
            records[0]["message"]
                .as_str()
                .unwrap()
                .starts_with("5 older")
        );
        assert_eq!(records[1]["message"], "5");
    }
}
