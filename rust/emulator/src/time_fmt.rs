//! Timestamps in the forms ARM writes (`2023-07-24T02:30:59.4909791Z`).

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

pub fn now_rfc3339() -> String {
    rfc3339(OffsetDateTime::now_utc())
}

pub fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&Rfc3339).unwrap_or_default()
}

/// ARM's `expiry UTC time` form in ExpiredAuthenticationToken messages.
pub fn arm_message_time(unix: i64) -> String {
    let at = OffsetDateTime::from_unix_timestamp(unix).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    format!(
        "{}/{}/{} {}:{:02}:{:02} {}",
        u8::from(at.month()),
        at.day(),
        at.year(),
        match at.hour() % 12 {
            0 => 12,
            h => h,
        },
        at.minute(),
        at.second(),
        if at.hour() < 12 { "AM" } else { "PM" }
    )
}
