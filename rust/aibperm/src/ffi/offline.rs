//! Calls that need no client: the version, role generation, Az role files and scopes.

use std::ffi::c_char;

use serde::{Deserialize, Serialize};

use super::buffer::{input_bytes, input_str, out_arg, parse_json, to_json, utf8, write_buffer};
use super::error::FfiError;
use super::status::aibperm_status;
use super::{aibperm_error, boundary};
use crate::arm::scope::{Scope, ScopeKind};
use crate::roles::{self, GenerateRequest, RoleDefinition, RoleFileFormat};

static VERSION_C: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");

/// Returns the library version (`"MAJOR.MINOR.PATCH"`), which the module compares with its
/// own at import.
///
/// The string is static and NUL-terminated: do not free it. Never fails; thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn aibperm_version() -> *const c_char {
    VERSION_C.as_ptr().cast()
}

/// Generates the role for an Image Builder scenario.
///
/// `request`/`request_len`: UTF-8 JSON `{"scenario", "subscriptionId", "resourceGroupName"}`
/// or `{"scenario", "scope"}`, optional `roleName` and `description`; borrowed for this call.
/// On `AIBPERM_STATUS_OK`, `*result_out`/`*result_len_out` receive a `RoleDefinition` (JSON;
/// owned buffer for `aibperm_buffer_free`) with its deterministic `name` and `id`; built-in
/// scenarios give the built-in role (`roleType` `BuiltInRole`). Otherwise the outputs are
/// untouched and `*error_out` (if not NULL) receives an error.
///
/// Statuses: `OK`, `NULL_ARGUMENT`, `INVALID_UTF8`, `INVALID_JSON`, `INVALID_ARGUMENT`,
/// `PANIC`. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn aibperm_role_generate(
    request: *const u8,
    request_len: usize,
    result_out: *mut *mut u8,
    result_len_out: *mut usize,
    error_out: *mut *mut aibperm_error,
) -> aibperm_status {
    boundary(error_out, || {
        // SAFETY: `request` points to `request_len` readable bytes for this call.
        let request = unsafe { input_str(request, request_len, "request") }?;
        respond(result_out, result_len_out, || {
            let request: GenerateRequest = parse_json(request, "request")?;
            to_json(&roles::generate(&request)?)
        })
    })
}

#[derive(Serialize)]
struct ParsedRoleFile {
    format: RoleFileFormat,
    role: RoleDefinition,
}

/// Parses the bytes of an Az role definition file, flat or `Permissions` format (a UTF-8
/// BOM is allowed).
///
/// `bytes`/`bytes_len` are borrowed for this call. On `AIBPERM_STATUS_OK`,
/// `*result_out`/`*result_len_out` receive `{"format": "Flat"|"Permissions", "role":
/// RoleDefinition}` (owned buffer for `aibperm_buffer_free`; `name`/`id` only when the file
/// has `Id`). Otherwise the outputs are untouched and `*error_out` (if not NULL) receives an
/// error whose `target` names the offending property.
///
/// Statuses: `OK`, `NULL_ARGUMENT`, `INVALID_UTF8`, `INVALID_JSON`, `INVALID_ARGUMENT`,
/// `PANIC`. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn aibperm_role_file_parse(
    bytes: *const u8,
    bytes_len: usize,
    result_out: *mut *mut u8,
    result_len_out: *mut usize,
    error_out: *mut *mut aibperm_error,
) -> aibperm_status {
    boundary(error_out, || {
        // SAFETY: `bytes` points to `bytes_len` readable bytes for this call.
        let bytes = unsafe { input_bytes(bytes, bytes_len, "bytes") }?;
        respond(result_out, result_len_out, || {
            let text = utf8(bytes, "bytes")?;
            let body = text.strip_prefix('\u{feff}').unwrap_or(text);
            if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(body) {
                return Err(FfiError::new(
                    aibperm_status::InvalidJson,
                    format!("the role file is not valid JSON: {e}"),
                ));
            }
            let (format, role) = roles::parse_role_file(bytes)?;
            to_json(&ParsedRoleFile { format, role })
        })
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RenderRequest {
    role: RoleDefinition,
    format: RoleFileFormat,
}

/// Renders a role as the bytes of an Az role file (indented JSON, LF line ends).
///
/// `request`/`request_len`: UTF-8 JSON `{"role": RoleDefinition, "format": "Flat" |
/// "Permissions"}`, borrowed for this call. On `AIBPERM_STATUS_OK`,
/// `*result_out`/`*result_len_out` receive the file bytes (owned buffer for
/// `aibperm_buffer_free`). Otherwise the outputs are untouched and `*error_out` (if not
/// NULL) receives an error.
///
/// Statuses: `OK`, `NULL_ARGUMENT`, `INVALID_UTF8`, `INVALID_JSON`, `INVALID_ARGUMENT`,
/// `PANIC`. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn aibperm_role_file_render(
    request: *const u8,
    request_len: usize,
    result_out: *mut *mut u8,
    result_len_out: *mut usize,
    error_out: *mut *mut aibperm_error,
) -> aibperm_status {
    boundary(error_out, || {
        // SAFETY: `request` points to `request_len` readable bytes for this call.
        let request = unsafe { input_str(request, request_len, "request") }?;
        respond(result_out, result_len_out, || {
            let request: RenderRequest = parse_json(request, "request")?;
            Ok(roles::render_role_file(&request.role, request.format)?)
        })
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScopeRequest {
    scope: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ParsedScope<'a> {
    scope: &'a str,
    kind: &'static str,
    subscription_id: Option<&'a str>,
    resource_group_name: Option<&'a str>,
    management_group_id: Option<&'a str>,
}

fn kind_name(kind: ScopeKind) -> &'static str {
    match kind {
        ScopeKind::Tenant => "Tenant",
        ScopeKind::ManagementGroup => "ManagementGroup",
        ScopeKind::Subscription => "Subscription",
        ScopeKind::ResourceGroup => "ResourceGroup",
        ScopeKind::Resource => "Resource",
        ScopeKind::Extension => "Extension",
    }
}

/// Parses and normalizes an ARM scope by ARM's grammar.
///
/// `request`/`request_len`: UTF-8 JSON `{"scope": "/subscriptions/..."}`, borrowed for this
/// call. On `AIBPERM_STATUS_OK`, `*result_out`/`*result_len_out` receive `{"scope"
/// (normalized), "kind" (Tenant, ManagementGroup, Subscription, ResourceGroup, Resource,
/// Extension), "subscriptionId", "resourceGroupName", "managementGroupId"}` (owned buffer for
/// `aibperm_buffer_free`; absent parts are null). Otherwise the outputs are untouched and
/// `*error_out` (if not NULL) receives an error with `target` `scope`.
///
/// Statuses: `OK`, `NULL_ARGUMENT`, `INVALID_UTF8`, `INVALID_JSON`, `INVALID_ARGUMENT`,
/// `PANIC`. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn aibperm_scope_parse(
    request: *const u8,
    request_len: usize,
    result_out: *mut *mut u8,
    result_len_out: *mut usize,
    error_out: *mut *mut aibperm_error,
) -> aibperm_status {
    boundary(error_out, || {
        // SAFETY: `request` points to `request_len` readable bytes for this call.
        let request = unsafe { input_str(request, request_len, "request") }?;
        respond(result_out, result_len_out, || {
            let request: ScopeRequest = parse_json(request, "request")?;
            let scope = Scope::parse("scope", &request.scope)?;
            to_json(&ParsedScope {
                scope: scope.as_str(),
                kind: kind_name(scope.kind()),
                subscription_id: scope.subscription_id(),
                resource_group_name: scope.resource_group(),
                management_group_id: scope.management_group(),
            })
        })
    })
}

/// The shared tail of the offline exports: checks both output pointers, runs `work`, and
/// writes what it returns only when it succeeds.
fn respond(
    result_out: *mut *mut u8,
    result_len_out: *mut usize,
    work: impl FnOnce() -> Result<Vec<u8>, FfiError>,
) -> Result<(), FfiError> {
    let result_out = out_arg(result_out, "result_out")?;
    let result_len_out = out_arg(result_len_out, "result_len_out")?;

    let bytes = work()?;

    // SAFETY: both output pointers were checked for NULL and point to caller storage.
    unsafe { write_buffer(result_out, result_len_out, bytes) };
    Ok(())
}
