//! Entra ID: the token endpoint (client credentials, device code), the device-code
//! endpoint, discovery documents, and an App Service style managed-identity endpoint.

use crate::App;
use crate::error::{EntraError, json_body};
use crate::token::{Claims, unix_now};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;

/// How long a device code stays usable, in seconds.
const DEVICE_CODE_LIFETIME: i64 = 900;

/// A device-code sign-in waiting for approval through the control endpoint.
#[derive(Clone, Debug)]
pub struct DeviceCode {
    pub device_code: String,
    pub user_code: String,
    pub client_id: String,
    pub scope: String,
    pub expires_at: i64,
    pub approved: bool,
}

fn form(body: &Bytes) -> HashMap<String, String> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

/// The user who signs in with a device code: one per tenant, stable for the run.
pub fn device_user_object_id(tenant_id: &str) -> String {
    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, tenant_id.as_bytes()).to_string()
}

fn tenant_matches(app: &App, tenant: &str, allow_common: bool) -> Result<(), EntraError> {
    let known = tenant.eq_ignore_ascii_case(&app.config.tenant_id)
        || (allow_common
            && ["common", "organizations"]
                .iter()
                .any(|t| tenant.eq_ignore_ascii_case(t)));
    if known {
        return Ok(());
    }
    Err(EntraError::new(
        StatusCode::BAD_REQUEST,
        "invalid_request",
        90002,
        &format!(
            "Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud."
        ),
    ))
}

/// The audience of a token asked for with `scope` (`https://x/.default` -> `https://x`).
fn audience_of(scope: &str, client_credentials: bool) -> Result<String, EntraError> {
    let resource = scope
        .split(' ')
        .find(|s| !["openid", "profile", "offline_access", ""].contains(s));
    let invalid = || {
        EntraError::new(
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            1002012,
            &format!(
                "The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI)."
            ),
        )
    };
    let resource = resource.ok_or_else(invalid)?;
    if let Some(aud) = resource.strip_suffix("/.default") {
        return Ok(aud.to_owned());
    }
    if client_credentials {
        return Err(invalid());
    }
    match resource.rsplit_once('/') {
        Some((aud, _permission)) if aud.contains("://") => Ok(aud.to_owned()),
        _ => Err(invalid()),
    }
}

/// Signs a token for `aud` and returns it with its lifetime in seconds.
pub fn issue(app: &App, aud: &str, oid: &str, appid: &str) -> (String, u64) {
    let lifetime = app.faults.lock().faults.token_lifetime_seconds;
    let now = unix_now();
    let tenant = &app.config.tenant_id;
    let claims = Claims {
        aud: aud.to_owned(),
        iss: format!("https://sts.windows.net/{tenant}/"),
        iat: now,
        nbf: now,
        exp: now + lifetime as i64,
        tid: tenant.clone(),
        oid: oid.to_owned(),
        sub: oid.to_owned(),
        appid: appid.to_owned(),
        idtyp: "app".to_owned(),
        ver: "1.0".to_owned(),
    };
    (app.signer.sign(&claims), lifetime)
}

fn token_response(token: String, lifetime: u64) -> Response {
    json_body(&json!({
        "token_type": "Bearer",
        "expires_in": lifetime,
        "ext_expires_in": lifetime,
        "access_token": token,
    }))
}

fn missing(parameter: &str) -> EntraError {
    EntraError::new(
        StatusCode::BAD_REQUEST,
        "invalid_request",
        900144,
        &format!("The request body must contain the following parameter: '{parameter}'."),
    )
}

/// `POST /{tenant}/oauth2/v2.0/token`
pub async fn token(
    State(app): State<Arc<App>>,
    Path(tenant): Path<String>,
    body: Bytes,
) -> Response {
    app.count("token.post");
    match token_inner(&app, &tenant, &form(&body)) {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}

fn token_inner(
    app: &App,
    tenant: &str,
    form: &HashMap<String, String>,
) -> Result<Response, EntraError> {
    let grant_type = form
        .get("grant_type")
        .ok_or_else(|| missing("grant_type"))?;
    match grant_type.as_str() {
        "client_credentials" => {
            tenant_matches(app, tenant, false)?;
            let client_id = form.get("client_id").ok_or_else(|| missing("client_id"))?;
            if !client_id.eq_ignore_ascii_case(&app.config.client_id) {
                return Err(EntraError::new(
                    StatusCode::BAD_REQUEST,
                    "unauthorized_client",
                    700016,
                    &format!(
                        "Application with identifier '{client_id}' was not found in the directory '{tenant}'."
                    ),
                ));
            }
            if let Some(assertion) = form.get("client_assertion") {
                let kind = form
                    .get("client_assertion_type")
                    .ok_or_else(|| missing("client_assertion_type"))?;
                check_client_assertion(app, tenant, client_id, kind, assertion)?;
                let scope = form.get("scope").ok_or_else(|| missing("scope"))?;
                let aud = audience_of(scope, true)?;
                let (token, lifetime) = issue(
                    app,
                    &aud,
                    &app.config.service_principal_object_id,
                    &app.config.client_id,
                );
                return Ok(token_response(token, lifetime));
            }
            let secret = form
                .get("client_secret")
                .ok_or_else(|| missing("client_assertion' or 'client_secret"))?;
            if secret != &app.config.client_secret {
                return Err(EntraError::new(
                    StatusCode::UNAUTHORIZED,
                    "invalid_client",
                    7000215,
                    &format!(
                        "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{client_id}'."
                    ),
                ));
            }
            let scope = form.get("scope").ok_or_else(|| missing("scope"))?;
            let aud = audience_of(scope, true)?;
            let (token, lifetime) = issue(
                app,
                &aud,
                &app.config.service_principal_object_id,
                &app.config.client_id,
            );
            Ok(token_response(token, lifetime))
        }
        "urn:ietf:params:oauth:grant-type:device_code" => {
            tenant_matches(app, tenant, true)?;
            let code = form
                .get("device_code")
                .ok_or_else(|| missing("device_code"))?;
            let pending = app.device_codes.lock().get(code).cloned();
            let Some(pending) = pending else {
                return Err(EntraError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    70000,
                    "The provided value for the input parameter 'device_code' is not valid.",
                ));
            };
            if pending.expires_at <= unix_now() {
                return Err(EntraError::new(
                    StatusCode::BAD_REQUEST,
                    "expired_token",
                    70020,
                    "The provided value for the input parameter 'device_code' is not valid. This device code has expired.",
                ));
            }
            if !pending.approved {
                return Err(EntraError::new(
                    StatusCode::BAD_REQUEST,
                    "authorization_pending",
                    70016,
                    "OAuth 2.0 device flow error. Authorization is pending. Continue polling.",
                ));
            }
            app.device_codes.lock().remove(code);
            let aud = audience_of(&pending.scope, false)?;
            let user = device_user_object_id(&app.config.tenant_id);
            let (token, lifetime) = issue(app, &aud, &user, &pending.client_id);
            Ok(token_response(token, lifetime))
        }
        other => Err(EntraError::new(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            70003,
            &format!("The app requested an unsupported grant type '{other}'."),
        )),
    }
}

/// The audience of a federated token exchanged for an Entra ID token.
const TOKEN_EXCHANGE_AUDIENCE: &str = "api://AzureADTokenExchange";

/// Checks the shape of a client assertion; its signature is not verified.
///
/// A certificate assertion (header `x5t` or `x5t#S256`) must name the client as `iss` and
/// `sub` and this token endpoint as `aud`; a federated token (no thumbprint) must carry an
/// `iss` and the audience `api://AzureADTokenExchange`. Both need an `alg` other than
/// `none`, a signature part, and an `exp` in the future.
fn check_client_assertion(
    app: &App,
    tenant: &str,
    client_id: &str,
    kind: &str,
    assertion: &str,
) -> Result<(), EntraError> {
    use base64::Engine as _;
    let malformed = |why: &str| {
        EntraError::new(
            StatusCode::BAD_REQUEST,
            "invalid_client",
            50027,
            &format!("JWT token is invalid or malformed: {why}."),
        )
    };
    if kind != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" {
        return Err(EntraError::new(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            50026,
            &format!("The client assertion type '{kind}' is not supported."),
        ));
    }
    let parts: Vec<&str> = assertion.split('.').collect();
    let [header, claims, signature] = parts.as_slice() else {
        return Err(malformed("expected three parts"));
    };
    let decode = |part: &str| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(part.trim_end_matches('='))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
    };
    let header = decode(header).ok_or_else(|| malformed("the header is not base64url JSON"))?;
    let claims = decode(claims).ok_or_else(|| malformed("the payload is not base64url JSON"))?;
    let alg = header.get("alg").and_then(|v| v.as_str()).unwrap_or("none");
    if alg.eq_ignore_ascii_case("none") || signature.is_empty() {
        return Err(malformed("the assertion is not signed"));
    }
    let exp = claims.get("exp").and_then(|v| v.as_i64());
    if exp.is_none_or(|exp| exp <= unix_now()) {
        return Err(EntraError::new(
            StatusCode::BAD_REQUEST,
            "invalid_client",
            700024,
            "Client assertion is not within its valid time range.",
        ));
    }
    let text = |name: &str| {
        claims
            .get(name)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
    };
    let certificate = header.get("x5t").is_some() || header.get("x5t#S256").is_some();
    if certificate {
        let expected_aud = format!("{}/{tenant}/oauth2/v2.0/token", app.endpoint);
        if !text("iss").eq_ignore_ascii_case(client_id)
            || !text("sub").eq_ignore_ascii_case(client_id)
        {
            return Err(malformed("iss and sub must be the client id"));
        }
        if !text("aud").eq_ignore_ascii_case(&expected_aud) {
            return Err(EntraError::new(
                StatusCode::BAD_REQUEST,
                "invalid_client",
                700212,
                &format!("The client assertion audience must be '{expected_aud}'."),
            ));
        }
        return Ok(());
    }
    let audience_ok = match claims.get("aud") {
        Some(serde_json::Value::String(aud)) => aud == TOKEN_EXCHANGE_AUDIENCE,
        Some(serde_json::Value::Array(auds)) => auds
            .iter()
            .any(|a| a.as_str() == Some(TOKEN_EXCHANGE_AUDIENCE)),
        _ => false,
    };
    if text("iss").is_empty() || !audience_ok {
        return Err(EntraError::new(
            StatusCode::BAD_REQUEST,
            "invalid_client",
            700212,
            &format!(
                "No matching federated identity record found for presented assertion audience; a federated token needs iss and aud '{TOKEN_EXCHANGE_AUDIENCE}'."
            ),
        ));
    }
    Ok(())
}

/// `POST /{tenant}/oauth2/v2.0/devicecode`
pub async fn device_code(
    State(app): State<Arc<App>>,
    Path(tenant): Path<String>,
    body: Bytes,
) -> Response {
    app.count("devicecode.post");
    let form = form(&body);
    let result = (|| {
        tenant_matches(&app, &tenant, true)?;
        let client_id = form.get("client_id").ok_or_else(|| missing("client_id"))?;
        let scope = form.get("scope").ok_or_else(|| missing("scope"))?;
        audience_of(scope, false)?;
        Ok::<_, EntraError>((client_id.clone(), scope.clone()))
    })();
    let (client_id, scope) = match result {
        Ok(found) => found,
        Err(error) => return error.into_response(),
    };
    let simple = uuid::Uuid::new_v4().simple().to_string().to_uppercase();
    let user_code = simple[..9].to_owned();
    let code = DeviceCode {
        device_code: format!("DAQABAAEAAA{}", uuid::Uuid::new_v4().simple()),
        user_code: user_code.clone(),
        client_id,
        scope,
        expires_at: unix_now() + DEVICE_CODE_LIFETIME,
        approved: false,
    };
    let verification_uri = format!("{}/devicelogin", app.endpoint);
    let body = json!({
        "user_code": user_code,
        "device_code": code.device_code,
        "verification_uri": verification_uri,
        "expires_in": DEVICE_CODE_LIFETIME,
        "interval": 1,
        "message": format!(
            "To sign in, use a web browser to open the page {verification_uri} and enter the code {user_code} to authenticate."
        ),
    });
    app.device_codes
        .lock()
        .insert(code.device_code.clone(), code);
    json_body(&body)
}

/// `GET /{tenant}/v2.0/.well-known/openid-configuration`
pub async fn openid_configuration(
    State(app): State<Arc<App>>,
    Path(tenant): Path<String>,
) -> Response {
    app.count("openidConfiguration.get");
    let base = format!("{}/{tenant}", app.endpoint);
    json_body(&json!({
        "token_endpoint": format!("{base}/oauth2/v2.0/token"),
        "device_authorization_endpoint": format!("{base}/oauth2/v2.0/devicecode"),
        "authorization_endpoint": format!("{base}/oauth2/v2.0/authorize"),
        "issuer": format!("https://sts.windows.net/{}/", app.config.tenant_id),
        "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt"],
        "response_types_supported": ["code", "id_token", "token"],
        "tenant_region_scope": "NA",
    }))
}

/// `GET /common/discovery/instance`
pub async fn instance_discovery(State(app): State<Arc<App>>) -> Response {
    app.count("instanceDiscovery.get");
    let host = app.endpoint.trim_start_matches("https://").to_owned();
    json_body(&json!({
        "tenant_discovery_endpoint": format!(
            "{}/{}/v2.0/.well-known/openid-configuration",
            app.endpoint, app.config.tenant_id
        ),
        "api-version": "1.1",
        "metadata": [{
            "preferred_network": host,
            "preferred_cache": host,
            "aliases": [host],
        }],
    }))
}

/// `GET /msi/token?resource=...&api-version=2019-08-01` with `X-IDENTITY-HEADER`, as App
/// Service answers. `client_id`, `principal_id`/`object_id` or `mi_res_id` pick a
/// user-assigned identity; without them the token is the state file's service principal's.
pub async fn managed_identity(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    app.count("managedIdentity.get");
    let query: HashMap<String, String> =
        url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    let fail = |status: StatusCode, message: &str| {
        (
            status,
            json_body(&json!({ "statusCode": status.as_u16(), "message": message })),
        )
            .into_response()
    };
    let header_ok = headers
        .get("x-identity-header")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == app.identity_header);
    if !header_ok {
        return fail(
            StatusCode::UNAUTHORIZED,
            "The X-IDENTITY-HEADER header is missing or does not match IDENTITY_HEADER.",
        );
    }
    if query.get("api-version").map(String::as_str) != Some("2019-08-01") {
        return fail(
            StatusCode::BAD_REQUEST,
            "The api-version parameter must be 2019-08-01.",
        );
    }
    let Some(resource) = query.get("resource") else {
        return fail(
            StatusCode::BAD_REQUEST,
            "The resource parameter is required.",
        );
    };

    let selector = ["client_id", "principal_id", "object_id", "mi_res_id"]
        .iter()
        .find_map(|k| query.get(*k).map(|v| (*k, v.to_lowercase())));
    let (oid, appid) = match selector {
        None => (
            app.config.service_principal_object_id.clone(),
            app.config.client_id.clone(),
        ),
        Some((kind, value)) => {
            let store = app.store.lock();
            let found = store.identities.values().find(|i| match kind {
                "client_id" => i.client_id == value,
                "mi_res_id" => crate::state::identity_id(i).to_lowercase() == value,
                _ => i.principal_id == value,
            });
            match found {
                Some(identity) => (identity.principal_id.clone(), identity.client_id.clone()),
                None => {
                    return fail(
                        StatusCode::BAD_REQUEST,
                        "No managed identity matches the requested identity.",
                    );
                }
            }
        }
    };
    let (token, lifetime) = issue(&app, resource.trim_end_matches("/.default"), &oid, &appid);
    json_body(&json!({
        "access_token": token,
        "expires_on": (unix_now() + lifetime as i64).to_string(),
        "resource": resource,
        "token_type": "Bearer",
        "client_id": appid,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audience_drops_the_default_suffix() {
        assert_eq!(
            audience_of("https://management.azure.com/.default", true).ok(),
            Some("https://management.azure.com".to_owned())
        );
        assert_eq!(
            audience_of("https://management.azure.com//.default", true).ok(),
            Some("https://management.azure.com/".to_owned())
        );
    }

    #[test]
    fn client_credentials_need_a_default_scope() {
        assert!(audience_of("https://management.azure.com/user_impersonation", true).is_err());
        assert_eq!(
            audience_of(
                "https://management.azure.com/user_impersonation offline_access",
                false
            )
            .ok(),
            Some("https://management.azure.com".to_owned())
        );
    }
}
