//! Azure Resource Manager: one fallback handler that parses the path itself, so scopes of
//! any depth route to role definitions and assignments.

mod authorization;
mod filter;
mod groups;
mod identities;
mod locations;

use crate::App;
use crate::error::{ArmError, json_body};
use crate::faults::{Budget, Decision};
use crate::token::{Claims, TokenError, unix_now};
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use percent_encoding::percent_decode_str;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

const RESOURCES_API_VERSIONS: &[&str] = &[
    "2014-04-01",
    "2015-01-01",
    "2016-02-01",
    "2016-06-01",
    "2016-09-01",
    "2017-05-10",
    "2018-05-01",
    "2019-05-01",
    "2019-10-01",
    "2020-01-01",
    "2020-06-01",
    "2020-10-01",
    "2021-01-01",
    "2021-04-01",
    "2022-01-01",
    "2022-09-01",
    "2022-12-01",
    "2023-07-01",
    "2024-03-01",
    "2024-07-01",
    "2024-11-01",
    "2025-01-01",
];

const MANAGED_IDENTITY_API_VERSIONS: &[&str] = &[
    "2015-08-31-preview",
    "2018-11-30",
    "2021-09-30-preview",
    "2022-01-31-preview",
    "2023-01-31",
    "2023-07-31-preview",
    "2024-11-30",
    "2025-01-31-preview",
    "2025-05-31-preview",
];

const AUTHORIZATION_API_VERSIONS: &[&str] = &[
    "2015-07-01",
    "2018-01-01-preview",
    "2018-09-01-preview",
    "2020-03-01-preview",
    "2020-04-01-preview",
    "2020-08-01-preview",
    "2020-10-01-preview",
    "2021-04-01-preview",
    "2022-01-01-preview",
    "2022-04-01",
    "2022-05-01-preview",
];

/// Audiences ARM accepts, as listed in its InvalidAuthenticationTokenAudience message.
const ALLOWED_AUDIENCES: &[&str] = &[
    "https://management.core.windows.net/",
    "https://management.core.windows.net",
    "https://management.azure.com/",
    "https://management.azure.com",
];

/// What a path addresses.
#[derive(Debug)]
enum Route {
    Subscription {
        sub: String,
    },
    ResourceGroups {
        sub: String,
    },
    Locations {
        sub: String,
    },
    ResourceGroup {
        sub: String,
        rg: String,
    },
    Identities {
        sub: String,
        rg: Option<String>,
    },
    Identity {
        sub: String,
        rg: String,
        name: String,
    },
    RoleDefinitions {
        scope: crate::scope::Scope,
        name: Option<String>,
    },
    RoleAssignments {
        scope: crate::scope::Scope,
        name: Option<String>,
    },
}

impl Route {
    fn parse(segments: &[String]) -> Option<Route> {
        let is = |i: usize, word: &str| {
            segments
                .get(i)
                .is_some_and(|s| s.eq_ignore_ascii_case(word))
        };
        // The last Microsoft.Authorization provider segment wins: scopes can themselves
        // contain provider segments (an identity, a gallery).
        let auth = (0..segments.len())
            .rev()
            .find(|&i| is(i, "providers") && is(i + 1, "Microsoft.Authorization"));
        if let Some(i) = auth {
            let scope = crate::scope::Scope::from_segments(segments[..i].to_vec());
            let name = segments.get(i + 3).cloned();
            if segments.len() > i + 4 {
                return None;
            }
            if is(i + 2, "roleDefinitions") {
                return Some(Route::RoleDefinitions { scope, name });
            }
            if is(i + 2, "roleAssignments") {
                return Some(Route::RoleAssignments { scope, name });
            }
            return None;
        }
        if !is(0, "subscriptions") || segments.len() < 2 {
            return None;
        }
        let sub = segments[1].clone();
        let identity_provider = |i: usize| {
            is(i, "providers")
                && is(i + 1, "Microsoft.ManagedIdentity")
                && is(i + 2, "userAssignedIdentities")
        };
        match segments.len() {
            2 => Some(Route::Subscription { sub }),
            3 if is(2, "resourcegroups") => Some(Route::ResourceGroups { sub }),
            3 if is(2, "locations") => Some(Route::Locations { sub }),
            4 if is(2, "resourcegroups") => Some(Route::ResourceGroup {
                sub,
                rg: segments[3].clone(),
            }),
            5 if identity_provider(2) => Some(Route::Identities { sub, rg: None }),
            7 if is(2, "resourcegroups") && identity_provider(4) => Some(Route::Identities {
                sub,
                rg: Some(segments[3].clone()),
            }),
            8 if is(2, "resourcegroups") && identity_provider(4) => Some(Route::Identity {
                sub,
                rg: segments[3].clone(),
                name: segments[7].clone(),
            }),
            _ => None,
        }
    }

    fn resource(&self) -> &'static str {
        match self {
            Route::Subscription { .. } => "subscriptions",
            Route::Locations { .. } => "locations",
            Route::ResourceGroups { .. } | Route::ResourceGroup { .. } => "resourceGroups",
            Route::Identities { .. } | Route::Identity { .. } => "userAssignedIdentities",
            Route::RoleDefinitions { .. } => "roleDefinitions",
            Route::RoleAssignments { .. } => "roleAssignments",
        }
    }

    fn is_collection(&self) -> bool {
        match self {
            Route::ResourceGroups { .. } | Route::Locations { .. } | Route::Identities { .. } => {
                true
            }
            Route::RoleDefinitions { name, .. } | Route::RoleAssignments { name, .. } => {
                name.is_none()
            }
            _ => false,
        }
    }

    fn api_versions(&self) -> &'static [&'static str] {
        match self {
            Route::Subscription { .. }
            | Route::Locations { .. }
            | Route::ResourceGroups { .. }
            | Route::ResourceGroup { .. } => RESOURCES_API_VERSIONS,
            Route::Identities { .. } | Route::Identity { .. } => MANAGED_IDENTITY_API_VERSIONS,
            Route::RoleDefinitions { .. } | Route::RoleAssignments { .. } => {
                AUTHORIZATION_API_VERSIONS
            }
        }
    }
}

/// Everything a handler needs about the request being served.
pub(crate) struct Ctx<'a> {
    pub app: &'a App,
    pub method: Method,
    pub path: String,
    pub query: HashMap<String, String>,
    pub api_version: String,
    pub claims: Claims,
    pub body: Bytes,
    pub now: Instant,
}

impl Ctx<'_> {
    /// The request body as a JSON object, or 400 InvalidRequestContent.
    pub fn json_body(&self) -> Result<serde_json::Map<String, Value>, ArmError> {
        let invalid = |detail: String| {
            ArmError::bad_request(
                "InvalidRequestContent",
                format!(
                    "The request content was invalid and could not be deserialized: '{detail}'."
                ),
            )
        };
        if self.body.is_empty() {
            return Err(invalid("the request body is empty".into()));
        }
        match serde_json::from_slice::<Value>(&self.body) {
            Ok(Value::Object(map)) => Ok(map),
            Ok(_) => Err(invalid("the request body is not a JSON object".into())),
            Err(e) => Err(invalid(e.to_string())),
        }
    }

    pub fn filter(&self) -> Option<&str> {
        self.query.get("$filter").map(String::as_str)
    }

    /// One page of `items` and, when more remain, a `nextLink` carrying `$skipToken`.
    pub fn page(&self, items: Vec<Value>) -> Result<Value, ArmError> {
        let token = self
            .query
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("$skipToken"))
            .map(|(_, v)| v);
        let skip = match token {
            None => 0,
            Some(token) => token.parse::<usize>().map_err(|_| {
                ArmError::bad_request(
                    "InvalidSkipToken",
                    format!("The skip token '{token}' is not valid."),
                )
            })?,
        };
        let size = self.app.config.page_size;
        let total = items.len();
        let value: Vec<Value> = items.into_iter().skip(skip).take(size).collect();
        let mut page = serde_json::json!({ "value": value });
        if skip + size < total {
            let mut query = url::form_urlencoded::Serializer::new(String::new());
            let mut keys: Vec<_> = self
                .query
                .iter()
                .filter(|(k, _)| !k.eq_ignore_ascii_case("$skipToken"))
                .collect();
            keys.sort();
            for (key, value) in keys {
                query.append_pair(key, value);
            }
            query.append_pair("$skipToken", &(skip + size).to_string());
            page["nextLink"] = Value::String(format!(
                "{}{}?{}",
                self.app.endpoint,
                self.path,
                query.finish()
            ));
        }
        Ok(page)
    }
}

/// An ARM answer: status plus optional JSON body.
pub(crate) struct Reply {
    pub status: StatusCode,
    pub body: Option<Value>,
}

impl Reply {
    pub fn ok(body: Value) -> Self {
        Self {
            status: StatusCode::OK,
            body: Some(body),
        }
    }

    pub fn created(body: Value) -> Self {
        Self {
            status: StatusCode::CREATED,
            body: Some(body),
        }
    }

    pub fn empty(status: StatusCode) -> Self {
        Self { status, body: None }
    }
}

pub(crate) type ArmResult = Result<Reply, ArmError>;

/// Marks a response whose connection the server should drop (the drop-connection fault).
#[derive(Clone, Copy, Debug)]
pub struct DropConnection;

fn decode_segments(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(|s| percent_decode_str(s).decode_utf8_lossy().into_owned())
        .collect()
}

fn operation_name(route: Option<&Route>, method: &Method) -> String {
    let Some(route) = route else {
        return "unknown".to_owned();
    };
    let verb = match (method, route.is_collection()) {
        (&Method::GET, true) => "list".to_owned(),
        (m, _) => m.as_str().to_lowercase(),
    };
    format!("{}.{verb}", route.resource())
}

fn www_authenticate(app: &App, error: &ArmError) -> ArmError {
    let description = error.message.replace('"', "'");
    error.clone().with_header(
        "www-authenticate",
        format!(
            "Bearer authorization_uri=\"{}/{}\", error=\"invalid_token\", error_description=\"{description}\"",
            app.endpoint, app.config.tenant_id
        ),
    )
}

fn authenticate(app: &App, headers: &HeaderMap) -> Result<Claims, ArmError> {
    let unauthorized = |code: &str, message: String| {
        www_authenticate(app, &ArmError::new(StatusCode::UNAUTHORIZED, code, message))
    };
    let Some(value) = headers.get(axum::http::header::AUTHORIZATION) else {
        return Err(unauthorized(
            "AuthenticationFailed",
            "Authentication failed. The 'Authorization' header is missing.".into(),
        ));
    };
    let token = value
        .to_str()
        .ok()
        .and_then(|v| {
            let (scheme, token) = v.split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
        })
        .filter(|t| !t.is_empty());
    let Some(token) = token else {
        return Err(unauthorized(
            "AuthenticationFailedInvalidHeader",
            "Authentication failed. The 'Authorization' header is provided in an invalid format."
                .into(),
        ));
    };
    let now = unix_now();
    let claims = match app.signer.verify(token, now) {
        Ok(claims) => claims,
        Err(TokenError::Invalid) => {
            return Err(unauthorized(
                "InvalidAuthenticationToken",
                "The access token is invalid.".into(),
            ));
        }
        Err(TokenError::Expired { exp, now }) => {
            return Err(unauthorized(
                "ExpiredAuthenticationToken",
                format!(
                    "The access token expiry UTC time '{}' is earlier than current UTC time '{}'.",
                    crate::time_fmt::arm_message_time(exp),
                    crate::time_fmt::arm_message_time(now)
                ),
            ));
        }
    };
    if !ALLOWED_AUDIENCES.contains(&claims.aud.as_str()) {
        let allowed = ALLOWED_AUDIENCES
            .iter()
            .map(|a| format!("'{a}'"))
            .collect::<Vec<_>>()
            .join(",");
        return Err(unauthorized(
            "InvalidAuthenticationTokenAudience",
            format!(
                "The access token has been obtained for wrong audience or resource '{}'. It should exactly match with one of the allowed audiences {allowed}.",
                claims.aud
            ),
        ));
    }
    if !claims.tid.eq_ignore_ascii_case(&app.config.tenant_id) {
        return Err(unauthorized(
            "InvalidAuthenticationTokenTenant",
            format!(
                "The access token is from the wrong issuer '{}'. It must match the tenant 'https://sts.windows.net/{}/' associated with this subscription.",
                claims.iss, app.config.tenant_id
            ),
        ));
    }
    Ok(claims)
}

fn check_api_version(route: &Route, query: &HashMap<String, String>) -> Result<String, ArmError> {
    let Some(version) = query.get("api-version") else {
        return Err(ArmError::bad_request(
            "MissingApiVersionParameter",
            "The api-version query parameter (?api-version=) is required for all requests.",
        ));
    };
    let supported = route.api_versions();
    if supported.contains(&version.as_str()) {
        return Ok(version.clone());
    }
    Err(ArmError::bad_request(
        "InvalidApiVersionParameter",
        format!(
            "The api-version '{version}' is invalid. The supported versions are '{}'.",
            supported.join(",")
        ),
    ))
}

/// The fallback handler: every request that is not Entra ID or the control endpoint.
pub async fn handle(
    State(app): State<Arc<App>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let started = Instant::now();
    let request_id = crate::new_guid();
    let correlation_id = headers
        .get("x-ms-correlation-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 128)
        .map(str::to_owned)
        .unwrap_or_else(|| request_id.clone());

    let path = uri.path().to_owned();
    let segments = decode_segments(&path);
    let route = Route::parse(&segments);
    let operation = operation_name(route.as_ref(), &method);
    app.count(&operation);

    let budget = if method == Method::GET || method == Method::HEAD {
        Budget::Read
    } else {
        Budget::Write
    };
    let (mut response, remaining) = serve(&app, route, &method, &uri, &headers, body, budget).await;

    let slow = app.faults.lock().faults.slow_response_ms;
    if slow > 0 {
        tokio::time::sleep(Duration::from_millis(slow)).await;
    }

    let response_headers = response.headers_mut();
    let mut put = |name: &'static str, value: &str| {
        if let Ok(value) = HeaderValue::from_str(value) {
            response_headers.insert(name, value);
        }
    };
    put("x-ms-request-id", &request_id);
    put("x-ms-correlation-request-id", &correlation_id);
    put(
        "x-ms-routing-request-id",
        &format!(
            "LOCAL:{}:{correlation_id}",
            time::OffsetDateTime::now_utc()
                .format(time::macros::format_description!(
                    "[year][month][day]T[hour][minute][second]Z"
                ))
                .unwrap_or_default()
        ),
    );
    put("cache-control", "no-cache");
    let remaining = remaining.map(|r| r.to_string());
    match budget {
        Budget::Read => {
            let value = remaining.as_deref().unwrap_or("11999");
            put("x-ms-ratelimit-remaining-subscription-reads", value);
            put("x-ms-ratelimit-remaining-subscription-global-reads", value);
        }
        Budget::Write if method == Method::DELETE => {
            let value = remaining.as_deref().unwrap_or("14999");
            put("x-ms-ratelimit-remaining-subscription-deletes", value);
            put(
                "x-ms-ratelimit-remaining-subscription-global-deletes",
                value,
            );
        }
        Budget::Write => {
            let value = remaining.as_deref().unwrap_or("1199");
            put("x-ms-ratelimit-remaining-subscription-writes", value);
            put("x-ms-ratelimit-remaining-subscription-global-writes", value);
        }
    }

    if app.config.verbose {
        tracing::info!(
            target: "aibperm_emulator::arm",
            "{method} {path} -> {} ({operation}, request id {request_id}, {} ms)",
            response.status().as_u16(),
            started.elapsed().as_millis()
        );
    }
    response
}

async fn serve(
    app: &App,
    route: Option<Route>,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: Bytes,
    budget: Budget,
) -> (Response, Option<u32>) {
    let claims = match authenticate(app, headers) {
        Ok(claims) => claims,
        Err(error) => return (error.into_response(), None),
    };
    let query: HashMap<String, String> =
        url::form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    let Some(route) = route else {
        let error = ArmError::bad_request(
            "InvalidResourceType",
            format!("The emulator does not serve '{method} {}'.", uri.path()),
        );
        return (error.into_response(), None);
    };
    let api_version = match check_api_version(&route, &query) {
        Ok(v) => v,
        Err(error) => return (error.into_response(), None),
    };

    let now = Instant::now();
    let (decision, remaining) = {
        let mut faults = app.faults.lock();
        let decision = faults.decide(budget, now);
        faults.record(&format!("{method} {uri}"), &decision, now);
        (decision, faults.remaining(budget))
    };
    match decision {
        Decision::Proceed => {}
        Decision::Throttle {
            retry_after_seconds,
            limit,
        } => {
            let (code, kind) = match budget {
                Budget::Read => ("SubscriptionRequestsThrottled", "read"),
                Budget::Write => ("ResourceRequestsThrottled", "write"),
            };
            let sub = app.config.subscription_id.as_str();
            let error = ArmError::new(
                StatusCode::TOO_MANY_REQUESTS,
                code,
                format!(
                    "Number of '{kind}' requests for subscription '{sub}' actor '{}' exceeded the limit of '{limit}' for time interval '00:01:00'. Please try again after '{retry_after_seconds}' seconds.",
                    claims.oid
                ),
            )
            .with_header("retry-after", retry_after_seconds.to_string());
            return (error.into_response(), remaining);
        }
        Decision::Transient { status } => {
            let error = if status == 503 {
                ArmError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "ServiceUnavailable",
                    "The server is currently unable to handle the request. Please retry.",
                )
            } else {
                ArmError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "InternalServerError",
                    "Encountered internal server error. Please try again.",
                )
            };
            return (error.into_response(), remaining);
        }
        Decision::Drop => {
            let mut response = Response::new(Body::empty());
            response.extensions_mut().insert(DropConnection);
            return (response, remaining);
        }
    }

    let ctx = Ctx {
        app,
        method: method.clone(),
        path: uri.path().to_owned(),
        query,
        api_version,
        claims,
        body,
        now,
    };
    let result = match route {
        Route::Subscription { sub } => groups::subscription(&ctx, &sub),
        Route::ResourceGroups { sub } => groups::list(&ctx, &sub),
        Route::Locations { sub } => locations::list(&ctx, &sub),
        Route::ResourceGroup { sub, rg } => groups::one(&ctx, &sub, &rg),
        Route::Identities { sub, rg } => identities::list(&ctx, &sub, rg.as_deref()),
        Route::Identity { sub, rg, name } => identities::one(&ctx, &sub, &rg, &name),
        Route::RoleDefinitions { scope, name } => {
            authorization::definitions(&ctx, &scope, name.as_deref())
        }
        Route::RoleAssignments { scope, name } => {
            authorization::assignments(&ctx, &scope, name.as_deref())
        }
    };
    let response = match result {
        Ok(Reply { status, body: None }) => status.into_response(),
        Ok(Reply {
            status,
            body: Some(body),
        }) => (status, json_body(&body)).into_response(),
        Err(error) => error.into_response(),
    };
    (response, remaining)
}

/// 405 for a method a route does not take.
pub(crate) fn method_not_allowed(ctx: &Ctx<'_>) -> ArmError {
    ArmError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "MethodNotAllowed",
        format!(
            "The method '{}' is not allowed on '{}'.",
            ctx.method, ctx.path
        ),
    )
}

/// 404 SubscriptionNotFound unless the subscription exists.
pub(crate) fn require_subscription(ctx: &Ctx<'_>, sub: &str) -> Result<(), ArmError> {
    if ctx.app.store.lock().has_subscription(sub) {
        return Ok(());
    }
    Err(ArmError::not_found(
        "SubscriptionNotFound",
        format!("The subscription '{sub}' could not be found."),
    ))
}

pub(crate) fn resource_group_not_found(rg: &str) -> ArmError {
    ArmError::not_found(
        "ResourceGroupNotFound",
        format!("Resource group '{rg}' could not be found."),
    )
}

pub(crate) fn is_guid(text: &str) -> bool {
    text.len() == 36 && uuid::Uuid::parse_str(text).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(path: &str) -> Option<Route> {
        Route::parse(&decode_segments(path))
    }

    #[test]
    fn authorization_routes_take_scopes_of_any_depth() {
        let r = route(
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id/providers/Microsoft.Authorization/roleAssignments/x",
        );
        match r {
            Some(Route::RoleAssignments { scope, name }) => {
                assert_eq!(scope.segments().len(), 8);
                assert_eq!(name.as_deref(), Some("x"));
            }
            other => panic!("unexpected route {other:?}"),
        }
        assert!(matches!(
            route("/providers/Microsoft.Authorization/roleDefinitions"),
            Some(Route::RoleDefinitions { name: None, .. })
        ));
    }

    #[test]
    fn resource_paths_match_case_insensitively() {
        assert!(matches!(
            route(
                "/SUBSCRIPTIONS/s/resourcegroups/rg/providers/microsoft.managedidentity/userassignedidentities/a"
            ),
            Some(Route::Identity { .. })
        ));
        assert!(matches!(
            route("/subscriptions/s/resourceGroups"),
            Some(Route::ResourceGroups { .. })
        ));
        assert!(route("/subscriptions/s/providers/Microsoft.Compute/galleries").is_none());
    }
}
