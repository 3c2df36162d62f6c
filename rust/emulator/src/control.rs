//! The control endpoint under `/_emulator`: state, reset, faults, counters, principals and
//! device-code approval. No bearer token; loopback callers only.

use crate::App;
use crate::error::json_body;
use crate::faults::Faults;
use crate::state::Principal;
use crate::token::unix_now;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::json;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

pub fn router() -> Router<Arc<App>> {
    Router::new()
        .route("/state", get(dump))
        .route("/reset", post(reset))
        .route("/faults", get(get_faults).put(put_faults))
        .route("/counters", get(counters))
        .route("/throttling", get(throttling))
        .route("/principals", post(add_principal))
        .route("/device-codes", get(device_codes))
        .route(
            "/device-codes/{user_code}/approve",
            post(approve_device_code),
        )
        .layer(middleware::from_fn(loopback_only))
}

async fn loopback_only(
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    if !peer.ip().is_loopback() {
        return problem(
            StatusCode::FORBIDDEN,
            "the control endpoint answers loopback callers only",
        );
    }
    next.run(request).await
}

fn problem(status: StatusCode, message: &str) -> Response {
    (
        status,
        json_body(&json!({ "error": { "code": "ControlRequestInvalid", "message": message } })),
    )
        .into_response()
}

async fn dump(State(app): State<Arc<App>>) -> Response {
    json_body(&app.store.lock().dump())
}

/// Forgets every resource group, identity, custom role, assignment, counter and pending
/// device code. Faults stay as they are.
async fn reset(State(app): State<Arc<App>>) -> Response {
    *app.store.lock() = App::fresh_store(&app.config);
    app.counters.lock().clear();
    app.device_codes.lock().clear();
    StatusCode::NO_CONTENT.into_response()
}

async fn get_faults(State(app): State<Arc<App>>) -> Response {
    json_body(&json!(app.faults.lock().faults))
}

/// Replaces all fault settings (omitted fields take their defaults) and reseeds.
async fn put_faults(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let faults: Faults = match serde_json::from_slice(&body) {
        Ok(faults) => faults,
        Err(e) => return problem(StatusCode::BAD_REQUEST, &format!("invalid faults: {e}")),
    };
    if let Err(e) = faults.validate() {
        return problem(StatusCode::BAD_REQUEST, &e);
    }
    app.faults.lock().replace(faults.clone());
    json_body(&json!(faults))
}

async fn counters(State(app): State<Arc<App>>) -> Response {
    json_body(&json!(*app.counters.lock()))
}

async fn throttling(State(app): State<Arc<App>>) -> Response {
    json_body(&json!(app.faults.lock().throttling()))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct NewPrincipal {
    principal_id: String,
    #[serde(default = "service_principal")]
    principal_type: String,
}

fn service_principal() -> String {
    "ServicePrincipal".to_owned()
}

/// Makes a principal known to the directory (for example the users of recorded traffic).
async fn add_principal(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let principal: NewPrincipal = match serde_json::from_slice(&body) {
        Ok(p) => p,
        Err(e) => return problem(StatusCode::BAD_REQUEST, &format!("invalid principal: {e}")),
    };
    if uuid::Uuid::parse_str(&principal.principal_id).is_err() {
        return problem(StatusCode::BAD_REQUEST, "principalId must be a GUID");
    }
    app.store.lock().principals.insert(
        principal.principal_id.to_lowercase(),
        Principal {
            kind: principal.principal_type.clone(),
            visible_at: Instant::now(),
        },
    );
    (
        StatusCode::CREATED,
        json_body(&json!({
            "principalId": principal.principal_id,
            "principalType": principal.principal_type,
        })),
    )
        .into_response()
}

async fn device_codes(State(app): State<Arc<App>>) -> Response {
    let now = unix_now();
    let pending: Vec<_> = app
        .device_codes
        .lock()
        .values()
        .map(|c| {
            json!({
                "userCode": c.user_code,
                "clientId": c.client_id,
                "approved": c.approved,
                "expiresIn": (c.expires_at - now).max(0),
            })
        })
        .collect();
    json_body(&json!({ "value": pending }))
}

async fn approve_device_code(
    State(app): State<Arc<App>>,
    Path(user_code): Path<String>,
) -> Response {
    let mut codes = app.device_codes.lock();
    match codes
        .values_mut()
        .find(|c| c.user_code.eq_ignore_ascii_case(&user_code))
    {
        Some(code) => {
            code.approved = true;
            StatusCode::NO_CONTENT.into_response()
        }
        None => problem(
            StatusCode::NOT_FOUND,
            "no pending device code has that user code",
        ),
    }
}
