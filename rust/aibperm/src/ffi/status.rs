//! The status every export returns, and the one mapping from library error kinds to it.

use crate::ErrorKind;

/// The outcome of a call. Numbers never change; retired numbers stay reserved.
///
/// 0-99 success and waiting, 1xx bad input from the caller, 2xx credentials, 3xx talking to
/// a service, 4xx a service refused, 5xx unreadable answers, 9xx bugs.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum aibperm_status {
    /// Done.
    Ok = 0,
    /// `aibperm_operation_wait` timed out; the operation is still running.
    Pending = 1,
    /// A required pointer was NULL.
    NullArgument = 100,
    /// Input bytes are not UTF-8.
    InvalidUtf8 = 101,
    /// Input is not JSON, or not the expected shape.
    InvalidJson = 102,
    /// A value is wrong; the error's `target` names the field.
    InvalidArgument = 103,
    /// `aibperm_operation_start` got a name it does not know.
    UnknownOperation = 104,
    /// A result was asked of an operation still running.
    NotFinished = 105,
    /// The result of an operation was already taken.
    AlreadyTaken = 106,
    /// No token could be obtained.
    Credential = 200,
    /// Connection, TLS or timeout talking to a service.
    Transport = 300,
    /// A wait (replication, visibility) ran past its deadline.
    DeadlineExceeded = 301,
    /// The operation was cancelled.
    Cancelled = 302,
    /// ARM or Entra ID answered with an error (`httpStatus`, `armCode`).
    Service = 400,
    /// The request clashes with what exists and no rule resolves it.
    Conflict = 410,
    /// A service answered with a body the client cannot read.
    Decode = 500,
    /// A bug in aibperm was caught at the boundary.
    Panic = 900,
    /// Any other failure inside the library.
    Internal = 901,
}

impl aibperm_status {
    /// Every status, in number order.
    pub const ALL: [aibperm_status; 18] = [
        aibperm_status::Ok,
        aibperm_status::Pending,
        aibperm_status::NullArgument,
        aibperm_status::InvalidUtf8,
        aibperm_status::InvalidJson,
        aibperm_status::InvalidArgument,
        aibperm_status::UnknownOperation,
        aibperm_status::NotFinished,
        aibperm_status::AlreadyTaken,
        aibperm_status::Credential,
        aibperm_status::Transport,
        aibperm_status::DeadlineExceeded,
        aibperm_status::Cancelled,
        aibperm_status::Service,
        aibperm_status::Conflict,
        aibperm_status::Decode,
        aibperm_status::Panic,
        aibperm_status::Internal,
    ];

    /// The name used in the error JSON (`statusName`) and, prefixed, in the header.
    pub fn name(self) -> &'static str {
        match self {
            aibperm_status::Ok => "OK",
            aibperm_status::Pending => "PENDING",
            aibperm_status::NullArgument => "NULL_ARGUMENT",
            aibperm_status::InvalidUtf8 => "INVALID_UTF8",
            aibperm_status::InvalidJson => "INVALID_JSON",
            aibperm_status::InvalidArgument => "INVALID_ARGUMENT",
            aibperm_status::UnknownOperation => "UNKNOWN_OPERATION",
            aibperm_status::NotFinished => "NOT_FINISHED",
            aibperm_status::AlreadyTaken => "ALREADY_TAKEN",
            aibperm_status::Credential => "CREDENTIAL",
            aibperm_status::Transport => "TRANSPORT",
            aibperm_status::DeadlineExceeded => "DEADLINE_EXCEEDED",
            aibperm_status::Cancelled => "CANCELLED",
            aibperm_status::Service => "SERVICE",
            aibperm_status::Conflict => "CONFLICT",
            aibperm_status::Decode => "DECODE",
            aibperm_status::Panic => "PANIC",
            aibperm_status::Internal => "INTERNAL",
        }
    }
}

/// The status a library error kind is reported with.
pub(crate) fn status_of(kind: ErrorKind) -> aibperm_status {
    match kind {
        ErrorKind::InvalidArgument => aibperm_status::InvalidArgument,
        ErrorKind::Credential => aibperm_status::Credential,
        ErrorKind::Transport => aibperm_status::Transport,
        ErrorKind::DeadlineExceeded => aibperm_status::DeadlineExceeded,
        ErrorKind::Cancelled => aibperm_status::Cancelled,
        ErrorKind::Service => aibperm_status::Service,
        ErrorKind::Conflict => aibperm_status::Conflict,
        ErrorKind::Decode => aibperm_status::Decode,
        ErrorKind::Internal => aibperm_status::Internal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_kind_maps_to_a_failure_status() {
        let kinds = [
            ErrorKind::InvalidArgument,
            ErrorKind::Credential,
            ErrorKind::Transport,
            ErrorKind::DeadlineExceeded,
            ErrorKind::Cancelled,
            ErrorKind::Service,
            ErrorKind::Conflict,
            ErrorKind::Decode,
            ErrorKind::Internal,
        ];
        for kind in kinds {
            let status = status_of(kind);
            assert!(status as u32 >= 100, "{kind:?} maps to {status:?}");
        }
    }

    #[test]
    fn names_are_unique() {
        let mut names: Vec<_> = aibperm_status::ALL.iter().map(|s| s.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), aibperm_status::ALL.len());
    }
}
