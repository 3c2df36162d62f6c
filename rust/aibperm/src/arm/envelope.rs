//! The ARM error envelope `{"error": {code, message, target, details}}` decoded into
//! [`crate::Error`] with kind `Service`.

use serde::Deserialize;

use crate::{Error, ErrorKind};

#[derive(Debug, Deserialize)]
struct Envelope {
    error: ErrorBody,
}

#[derive(Debug, Deserialize)]
struct ErrorBody {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    target: Option<String>,
    #[serde(default)]
    details: Option<Vec<ErrorBody>>,
}

/// Builds the error for a non-success answer.
///
/// The message is ARM's own (with its details appended); callers prepend what they were
/// doing. `target` is ARM's target when it names one.
pub fn service_error(status: u16, request_id: Option<String>, body: &[u8]) -> Error {
    let decoded = serde_json::from_slice::<Envelope>(body)
        .ok()
        .map(|e| e.error);
    let mut error = Error::new(ErrorKind::Service, String::new());
    error.http_status = Some(status);
    error.request_id = request_id;
    match decoded {
        Some(body) => {
            let mut message = body
                .message
                .clone()
                .filter(|m| !m.trim().is_empty())
                .unwrap_or_else(|| format!("the service answered {status}"));
            let details: Vec<String> = body
                .details
                .iter()
                .flatten()
                .filter_map(|d| match (&d.code, &d.message) {
                    (Some(code), Some(msg)) => Some(format!("{code}: {msg}")),
                    (Some(code), None) => Some(code.clone()),
                    (None, Some(msg)) => Some(msg.clone()),
                    (None, None) => None,
                })
                .collect();
            if !details.is_empty() {
                message = format!("{message} ({})", details.join("; "));
            }
            error.message = message;
            error.arm_code = body.code.filter(|c| !c.is_empty());
            error.target = body.target.filter(|t| !t.is_empty());
        }
        None => {
            error.message = format!(
                "the service answered {status} {}",
                http::StatusCode::from_u16(status)
                    .ok()
                    .and_then(|s| s.canonical_reason())
                    .unwrap_or("without an error body")
            );
        }
    }
    error
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_fields_become_error_fields() {
        let body = br#"{"error":{"code":"RoleAssignmentExists","message":"The role assignment already exists.","target":null}}"#;
        let err = service_error(409, Some("req-1".into()), body);
        assert_eq!(err.kind, ErrorKind::Service);
        assert_eq!(err.http_status, Some(409));
        assert_eq!(err.arm_code.as_deref(), Some("RoleAssignmentExists"));
        assert_eq!(err.request_id.as_deref(), Some("req-1"));
        assert_eq!(err.message, "The role assignment already exists.");
        assert!(err.target.is_none());
    }

    #[test]
    fn details_and_target_are_kept() {
        let body = br#"{"error":{"code":"InvalidRequestContent","message":"Bad body.","target":"properties.roleName",
            "details":[{"code":"Inner","message":"name is empty"}]}}"#;
        let err = service_error(400, None, body);
        assert_eq!(err.target.as_deref(), Some("properties.roleName"));
        assert!(
            err.message.contains("Inner: name is empty"),
            "{}",
            err.message
        );
    }

    #[test]
    fn body_that_is_not_an_envelope_still_gives_a_service_error() {
        let err = service_error(502, None, b"<html>Bad Gateway</html>");
        assert_eq!(err.kind, ErrorKind::Service);
        assert_eq!(err.http_status, Some(502));
        assert!(err.arm_code.is_none());
        assert!(err.message.contains("502"), "{}", err.message);
    }

    #[test]
    fn empty_body_gives_status_text() {
        let err = service_error(404, None, b"");
        assert!(err.message.contains("Not Found"), "{}", err.message);
    }
}
