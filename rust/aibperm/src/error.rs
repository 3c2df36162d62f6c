//! The one error type of the library, shared by role generation, the ARM client and the C ABI.

use std::fmt;

/// What went wrong, coarsely; the C ABI maps each kind to one `aibperm_status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The caller gave a wrong value; `target` names the field.
    InvalidArgument,
    /// No token could be obtained.
    Credential,
    /// Connection, TLS or timeout while talking to a service.
    Transport,
    /// A wait (principal replication, role visibility) ran past its deadline.
    DeadlineExceeded,
    /// The operation was cancelled by the caller.
    Cancelled,
    /// ARM or Entra ID answered with an error.
    Service,
    /// What the caller asked clashes with what exists, and no rule resolves it.
    Conflict,
    /// A service answered with a body that could not be read.
    Decode,
    /// Anything else: a bug or an unexpected state inside the library.
    Internal,
}

/// An error with the details a caller needs to act on it.
///
/// `message` is a lowercase fragment without a final period; context is prepended with
/// [`Error::context`] on the way up ("creating role assignment x at y: ...").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
    /// The request field or parameter the error is about.
    pub target: Option<String>,
    /// HTTP status of the service answer, for `ErrorKind::Service`.
    pub http_status: Option<u16>,
    /// ARM or Entra error code (`RoleAssignmentExists`, `invalid_client`).
    pub arm_code: Option<String>,
    /// `x-ms-request-id` of the answer, for support.
    pub request_id: Option<String>,
    /// What the user can do about it, when known.
    pub recommended_action: Option<String>,
}

/// Result alias used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A new error of `kind` with `message` and nothing else set.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            target: None,
            http_status: None,
            arm_code: None,
            request_id: None,
            recommended_action: None,
        }
    }

    /// A wrong value in field `target`; the message should quote the value.
    pub fn invalid_argument(target: impl Into<String>, message: impl Into<String>) -> Self {
        Error::new(ErrorKind::InvalidArgument, message).with_target(target)
    }

    /// An internal failure (a state the library does not expect).
    pub fn internal(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Internal, message)
    }

    pub fn with_target(mut self, target: impl Into<String>) -> Self {
        self.target = Some(target.into());
        self
    }

    pub fn with_recommended_action(mut self, action: impl Into<String>) -> Self {
        self.recommended_action = Some(action.into());
        self
    }

    /// Prepends what was being done: `"{context}: {message}"`.
    pub fn context(mut self, context: impl fmt::Display) -> Self {
        self.message = format!("{context}: {}", self.message);
        self
    }

    /// True when ARM answered with `code` (compared exactly, as ARM codes are stable).
    pub fn is_arm_code(&self, code: &str) -> bool {
        self.arm_code.as_deref() == Some(code)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(code) = &self.arm_code {
            write!(f, " ({code})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::new(ErrorKind::InvalidArgument, format!("invalid JSON: {e}"))
    }
}
