//! ARM scopes and resource ids: parsed by ARM's grammar, compared segment by segment.
//!
//! A scope is `/` (the tenant root), a management group, a subscription, a resource group,
//! a resource (with provider segments, at tenant, subscription or resource-group level), or
//! an extension resource (a second `providers` block below any of those). Fixed words are
//! matched case-insensitively and written in ARM's casing; names keep the user's casing and
//! are compared case-insensitively through [`Scope::key`].

// The crate's one error type is flat by design (see error.rs); boxing it here would split
// the API in two.
#![allow(clippy::result_large_err)]

use std::fmt;
use std::hash::{Hash, Hasher};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{Error, Result};

const SUBSCRIPTIONS: &str = "subscriptions";
const RESOURCE_GROUPS: &str = "resourceGroups";
const PROVIDERS: &str = "providers";
const MANAGEMENT_NAMESPACE: &str = "Microsoft.Management";
const MANAGEMENT_GROUPS: &str = "managementGroups";

/// The level a scope sits at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ScopeKind {
    /// `/`
    Tenant,
    /// `/providers/Microsoft.Management/managementGroups/{id}`
    ManagementGroup,
    /// `/subscriptions/{id}`
    Subscription,
    /// `/subscriptions/{id}/resourceGroups/{name}`
    ResourceGroup,
    /// A resource: one `providers/{namespace}/{type}/{name}[/{type}/{name}...]` block below
    /// the tenant, a subscription or a resource group.
    Resource,
    /// An extension resource: a second `providers` block below any scope.
    Extension,
}

/// A parsed, normalized ARM scope.
///
/// Equality and hashing use the lowercase [`Scope::key`], so `resourcegroups/RG` equals
/// `resourceGroups/rg`; [`Scope::as_str`] keeps the casing the user gave for names.
#[derive(Clone, Debug)]
pub struct Scope {
    display: String,
    key: String,
    kind: ScopeKind,
    subscription_id: Option<String>,
    resource_group: Option<String>,
    management_group: Option<String>,
}

impl Scope {
    /// Parses `value` by ARM's scope grammar; errors are `InvalidArgument` with `target` =
    /// `field` and a message quoting `value`.
    ///
    /// A single trailing `/` is removed and `resourcegroups` (any casing) becomes
    /// `resourceGroups`. Placeholders such as `<subscriptionID>` are refused with a hint to
    /// replace them.
    pub fn parse(field: &str, value: &str) -> Result<Scope> {
        parse_scope(value).map_err(|why| {
            let err = Error::invalid_argument(field, format!("invalid scope '{value}': {why}"));
            if why.contains("placeholder") {
                err.with_recommended_action(
                    "Replace placeholders such as <subscriptionID> or <rgName> with real values.",
                )
            } else {
                err
            }
        })
    }

    /// The normalized scope: leading `/`, no trailing `/`, ARM's casing for
    /// `subscriptions`, `resourceGroups`, `providers` and management groups, the user's
    /// casing for names.
    pub fn as_str(&self) -> &str {
        &self.display
    }

    /// The lowercase form, for comparison, hashing and GUID derivation.
    pub fn key(&self) -> String {
        self.key.clone()
    }

    pub fn kind(&self) -> ScopeKind {
        self.kind
    }

    /// The subscription id as given, when the scope is at or below a subscription.
    pub fn subscription_id(&self) -> Option<&str> {
        self.subscription_id.as_deref()
    }

    /// The resource group name as given, when the scope is at or below a resource group.
    pub fn resource_group(&self) -> Option<&str> {
        self.resource_group.as_deref()
    }

    /// The management group id, when the scope is at or below a management group.
    pub fn management_group(&self) -> Option<&str> {
        self.management_group.as_deref()
    }

    /// True when `self` equals `ancestor` or lies below it, compared segment by segment and
    /// case-insensitively: `/subscriptions/s/resourceGroups/RG` is not an ancestor of
    /// `/subscriptions/s/resourceGroups/RG01`.
    pub fn is_at_or_below(&self, ancestor: &Scope) -> bool {
        if ancestor.kind == ScopeKind::Tenant {
            return true;
        }
        // Both keys are normalized, so a prefix ending on a segment boundary is an ancestor.
        match self.key.strip_prefix(ancestor.key.as_str()) {
            Some(rest) => rest.is_empty() || rest.starts_with('/'),
            None => false,
        }
    }

    /// The subscription scope `/subscriptions/{id}` this scope is in, if any.
    pub fn subscription(&self) -> Option<Scope> {
        let id = self.subscription_id.as_deref()?;
        let display = format!("/{SUBSCRIPTIONS}/{id}");
        Some(Scope {
            key: display.to_lowercase(),
            display,
            kind: ScopeKind::Subscription,
            subscription_id: Some(id.to_string()),
            resource_group: None,
            management_group: None,
        })
    }

    /// The resource group scope this scope is in, if any.
    pub fn resource_group_scope(&self) -> Option<Scope> {
        let sub = self.subscription_id.as_deref()?;
        let rg = self.resource_group.as_deref()?;
        let display = format!("/{SUBSCRIPTIONS}/{sub}/{RESOURCE_GROUPS}/{rg}");
        Some(Scope {
            key: display.to_lowercase(),
            display,
            kind: ScopeKind::ResourceGroup,
            subscription_id: Some(sub.to_string()),
            resource_group: Some(rg.to_string()),
            management_group: None,
        })
    }

    /// The tenant root scope `/`.
    pub fn tenant() -> Scope {
        Scope {
            display: "/".to_string(),
            key: "/".to_string(),
            kind: ScopeKind::Tenant,
            subscription_id: None,
            resource_group: None,
            management_group: None,
        }
    }
}

impl PartialEq for Scope {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl Eq for Scope {}

impl Hash for Scope {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key.hash(state);
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display)
    }
}

impl Serialize for Scope {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.display)
    }
}

impl<'de> Deserialize<'de> for Scope {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let value = String::deserialize(deserializer)?;
        Scope::parse("scope", &value).map_err(|e| serde::de::Error::custom(e.message))
    }
}

/// The scope `/subscriptions/{subscription_id}/resourceGroups/{resource_group}`, checking
/// each part (errors target `subscriptionId` or `resourceGroupName`).
pub fn resource_group_scope(subscription_id: &str, resource_group: &str) -> Result<Scope> {
    validate_guid("subscriptionId", subscription_id)?;
    if let Err(why) = check_resource_group_name(resource_group) {
        return Err(Error::invalid_argument(
            "resourceGroupName",
            format!("invalid resource group name '{resource_group}': {why}"),
        ));
    }
    let display = format!("/{SUBSCRIPTIONS}/{subscription_id}/{RESOURCE_GROUPS}/{resource_group}");
    Ok(Scope {
        key: display.to_lowercase(),
        display,
        kind: ScopeKind::ResourceGroup,
        subscription_id: Some(subscription_id.to_string()),
        resource_group: Some(resource_group.to_string()),
        management_group: None,
    })
}

/// Checks that `value` is a GUID in the 8-4-4-4-12 form ARM uses (any hex casing).
pub fn validate_guid(field: &str, value: &str) -> Result<uuid::Uuid> {
    let shaped = value.len() == 36
        && value.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        });
    let parsed = if shaped {
        uuid::Uuid::try_parse(value).ok()
    } else {
        None
    };
    match parsed {
        Some(guid) => Ok(guid),
        None => {
            let mut err = Error::invalid_argument(
                field,
                format!(
                    "'{value}' is not a GUID (expected the form xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)"
                ),
            );
            if looks_like_placeholder(value) {
                err = err.with_recommended_action(
                    "Replace the placeholder with the real value before running the command.",
                );
            }
            Err(err)
        }
    }
}

fn looks_like_placeholder(value: &str) -> bool {
    value.contains('<') || value.contains('>') || value.contains('{') || value.contains('}')
}

/// Parses the scope text; on failure returns the reason as a lowercase fragment.
fn parse_scope(value: &str) -> std::result::Result<Scope, String> {
    if value.is_empty() {
        return Err("the scope is empty (use '/' for the tenant root)".into());
    }
    if value.trim() != value {
        return Err("the scope has leading or trailing whitespace".into());
    }
    if let Some(c) = value.chars().find(|c| c.is_control()) {
        return Err(format!("the scope contains the control character {:?}", c));
    }
    if !value.starts_with('/') {
        return Err("a scope must start with '/'".into());
    }
    if value == "/" {
        return Ok(Scope::tenant());
    }
    let body = value.strip_suffix('/').unwrap_or(value);
    let body = &body[1..];
    let segments: Vec<&str> = body.split('/').collect();
    if let Some(pos) = segments.iter().position(|s| s.is_empty()) {
        return Err(format!("segment {} is empty ('//' in the scope)", pos + 1));
    }
    if let Some(seg) = segments.iter().find(|s| is_placeholder_segment(s)) {
        return Err(format!(
            "'{seg}' looks like a placeholder; replace it with the real value"
        ));
    }

    let mut out: Vec<String> = Vec::with_capacity(segments.len());
    let mut kind = ScopeKind::Tenant;
    let mut subscription_id = None;
    let mut resource_group = None;
    let mut management_group = None;
    let mut i = 0;

    if segments[0].eq_ignore_ascii_case(SUBSCRIPTIONS) {
        let Some(sub) = segments.get(1) else {
            return Err("'subscriptions' must be followed by a subscription id".into());
        };
        if validate_guid("scope", sub).is_err() {
            return Err(format!("subscription id '{sub}' is not a GUID"));
        }
        out.push(SUBSCRIPTIONS.to_string());
        out.push((*sub).to_string());
        subscription_id = Some((*sub).to_string());
        kind = ScopeKind::Subscription;
        i = 2;
        if let Some(word) = segments.get(2) {
            if word.eq_ignore_ascii_case(RESOURCE_GROUPS) {
                let Some(rg) = segments.get(3) else {
                    return Err("'resourceGroups' must be followed by a resource group name".into());
                };
                check_resource_group_name(rg)
                    .map_err(|why| format!("resource group name '{rg}': {why}"))?;
                out.push(RESOURCE_GROUPS.to_string());
                out.push((*rg).to_string());
                resource_group = Some((*rg).to_string());
                kind = ScopeKind::ResourceGroup;
                i = 4;
            } else if !word.eq_ignore_ascii_case(PROVIDERS) {
                return Err(format!(
                    "expected 'resourceGroups' or 'providers' after the subscription, found '{word}'"
                ));
            }
        }
    } else if !segments[0].eq_ignore_ascii_case(PROVIDERS) {
        return Err(format!(
            "a scope starts with '/subscriptions' or '/providers', found '/{}'",
            segments[0]
        ));
    }

    let mut blocks = 0;
    while i < segments.len() {
        let word = segments[i];
        if !word.eq_ignore_ascii_case(PROVIDERS) {
            return Err(format!(
                "expected 'providers' at segment {}, found '{word}'",
                i + 1
            ));
        }
        let Some(namespace) = segments.get(i + 1) else {
            return Err("'providers' must be followed by a resource provider namespace".into());
        };
        check_namespace(namespace)
            .map_err(|why| format!("resource provider namespace '{namespace}': {why}"))?;
        let is_mg_block = blocks == 0
            && kind == ScopeKind::Tenant
            && namespace.eq_ignore_ascii_case(MANAGEMENT_NAMESPACE)
            && segments
                .get(i + 2)
                .is_some_and(|t| t.eq_ignore_ascii_case(MANAGEMENT_GROUPS));
        out.push(PROVIDERS.to_string());
        out.push(if is_mg_block {
            MANAGEMENT_NAMESPACE.to_string()
        } else {
            (*namespace).to_string()
        });
        i += 2;
        let mut pairs = 0;
        while i < segments.len() && !segments[i].eq_ignore_ascii_case(PROVIDERS) {
            let ty = segments[i];
            check_type(ty).map_err(|why| format!("resource type '{ty}': {why}"))?;
            let Some(name) = segments.get(i + 1) else {
                return Err(format!("resource type '{ty}' must be followed by a name"));
            };
            if name.eq_ignore_ascii_case(PROVIDERS) {
                return Err(format!("resource type '{ty}' must be followed by a name"));
            }
            check_resource_name(name).map_err(|why| format!("resource name '{name}': {why}"))?;
            if is_mg_block && pairs == 0 {
                check_management_group_id(name)
                    .map_err(|why| format!("management group id '{name}': {why}"))?;
                out.push(MANAGEMENT_GROUPS.to_string());
                management_group = Some((*name).to_string());
            } else {
                out.push(ty.to_string());
            }
            out.push((*name).to_string());
            pairs += 1;
            i += 2;
        }
        if pairs == 0 {
            return Err(format!(
                "'providers/{namespace}' must be followed by a resource type and a name"
            ));
        }
        kind = if blocks > 0 {
            ScopeKind::Extension
        } else if is_mg_block && pairs == 1 {
            ScopeKind::ManagementGroup
        } else {
            ScopeKind::Resource
        };
        blocks += 1;
    }

    let mut display = String::with_capacity(value.len());
    for seg in &out {
        display.push('/');
        display.push_str(seg);
    }
    Ok(Scope {
        key: display.to_lowercase(),
        display,
        kind,
        subscription_id,
        resource_group,
        management_group,
    })
}

fn is_placeholder_segment(seg: &str) -> bool {
    seg.contains('<')
        || seg.contains('>')
        || (seg.starts_with('{') && seg.ends_with('}') && seg.len() > 2 && !is_braced_guid(seg))
}

fn is_braced_guid(seg: &str) -> bool {
    uuid::Uuid::try_parse(&seg[1..seg.len() - 1]).is_ok()
}

/// ARM's resource group name rule: 1-90 characters, letters, digits, `-`, `_`, `.`, `(`,
/// `)`, not ending in `.`.
pub(crate) fn check_resource_group_name(name: &str) -> std::result::Result<(), String> {
    check_group_like_name(name)
}

fn check_management_group_id(id: &str) -> std::result::Result<(), String> {
    check_group_like_name(id)
}

fn check_group_like_name(name: &str) -> std::result::Result<(), String> {
    let len = name.chars().count();
    if len == 0 || len > 90 {
        return Err(format!("must be 1-90 characters long, is {len}"));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '(' | ')')))
    {
        return Err(format!(
            "the character {c:?} is not allowed (letters, digits, '-', '_', '.', '(', ')')"
        ));
    }
    if name.ends_with('.') {
        return Err("must not end with '.'".into());
    }
    Ok(())
}

/// A resource provider namespace: dot-separated words of letters and digits.
fn check_namespace(ns: &str) -> std::result::Result<(), String> {
    let ok = ns
        .split('.')
        .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric()));
    if ok {
        Ok(())
    } else {
        Err("expected dot-separated letters and digits, such as 'Microsoft.Compute'".into())
    }
}

fn check_type(ty: &str) -> std::result::Result<(), String> {
    if ty
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        Ok(())
    } else {
        Err("expected letters, digits, '-', '_' or '.'".into())
    }
}

fn check_resource_name(name: &str) -> std::result::Result<(), String> {
    if name.trim() != name {
        return Err("has leading or trailing whitespace".into());
    }
    if let Some(c) = name.chars().find(|c| matches!(c, '?' | '#' | '\\')) {
        return Err(format!("the character {c:?} is not allowed"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUB: &str = "00000000-1111-2222-3333-444444444444";

    fn parse(value: &str) -> Scope {
        match Scope::parse("scope", value) {
            Ok(s) => s,
            Err(e) => panic!("'{value}' should parse: {}", e.message),
        }
    }

    fn reject(value: &str) -> Error {
        match Scope::parse("AssignableScopes[0]", value) {
            Ok(s) => panic!("'{value}' should be rejected, parsed as {s:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn tenant_root_is_a_scope() {
        let s = parse("/");
        assert_eq!(s.kind(), ScopeKind::Tenant);
        assert_eq!(s.as_str(), "/");
        assert_eq!(s.subscription_id(), None);
    }

    #[test]
    fn management_group_scope_is_recognised_and_cased() {
        let s = parse("/providers/microsoft.management/managementgroups/Mg-Prod");
        assert_eq!(s.kind(), ScopeKind::ManagementGroup);
        assert_eq!(s.management_group(), Some("Mg-Prod"));
        assert_eq!(
            s.as_str(),
            "/providers/Microsoft.Management/managementGroups/Mg-Prod"
        );
    }

    #[test]
    fn subscription_scope_gives_its_id() {
        let s = parse(&format!("/subscriptions/{SUB}"));
        assert_eq!(s.kind(), ScopeKind::Subscription);
        assert_eq!(s.subscription_id(), Some(SUB));
        assert_eq!(s.resource_group(), None);
    }

    #[test]
    fn lowercase_resourcegroups_is_canonicalised() {
        let s = parse(&format!("/SUBSCRIPTIONS/{SUB}/resourcegroups/My-RG"));
        assert_eq!(s.kind(), ScopeKind::ResourceGroup);
        assert_eq!(
            s.as_str(),
            format!("/subscriptions/{SUB}/resourceGroups/My-RG")
        );
        assert_eq!(s.resource_group(), Some("My-RG"));
    }

    #[test]
    fn trailing_slash_is_removed() {
        let a = parse(&format!("/subscriptions/{SUB}/resourceGroups/rg/"));
        let b = parse(&format!("/subscriptions/{SUB}/resourceGroups/rg"));
        assert_eq!(a.as_str(), b.as_str());
        assert_eq!(a, b);
    }

    #[test]
    fn names_keep_their_casing_but_compare_case_insensitively() {
        let a = parse(&format!("/subscriptions/{SUB}/resourceGroups/ImageRG"));
        let b = parse(&format!("/subscriptions/{SUB}/resourcegroups/imagerg"));
        assert_eq!(a, b);
        assert!(a.as_str().ends_with("ImageRG"));
        assert_eq!(a.key(), b.key());
        assert_eq!(a.key(), a.as_str().to_lowercase());
    }

    #[test]
    fn subscription_level_resource_without_resource_group_is_accepted() {
        let s = parse(&format!(
            "/subscriptions/{SUB}/providers/Microsoft.DocumentDB/locations/westus"
        ));
        assert_eq!(s.kind(), ScopeKind::Resource);
        assert_eq!(s.subscription_id(), Some(SUB));
        assert_eq!(s.resource_group(), None);
        assert!(s.is_at_or_below(&parse(&format!("/subscriptions/{SUB}"))));
    }

    #[test]
    fn nested_resource_in_resource_group_is_a_resource() {
        let s = parse(&format!(
            "/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1/blobServices/default/containers/scripts"
        ));
        assert_eq!(s.kind(), ScopeKind::Resource);
        assert_eq!(s.resource_group(), Some("rg"));
    }

    #[test]
    fn second_providers_block_is_an_extension_scope() {
        let s = parse(&format!(
            "/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1/providers/Microsoft.Insights/diagnosticSettings/d1"
        ));
        assert_eq!(s.kind(), ScopeKind::Extension);
        let mg_ext = parse(
            "/providers/Microsoft.Management/managementGroups/mg1/providers/Microsoft.Authorization/policyDefinitions/p1",
        );
        assert_eq!(mg_ext.kind(), ScopeKind::Extension);
        assert_eq!(mg_ext.management_group(), Some("mg1"));
    }

    #[test]
    fn child_resource_of_a_management_group_is_a_resource_below_it() {
        let mg = parse("/providers/Microsoft.Management/managementGroups/mg1");
        let child = parse(&format!(
            "/providers/Microsoft.Management/managementGroups/mg1/subscriptions/{SUB}"
        ));
        assert_eq!(child.kind(), ScopeKind::Resource);
        assert_eq!(child.management_group(), Some("mg1"));
        assert_eq!(child.subscription_id(), None);
        assert!(child.is_at_or_below(&mg));
    }

    #[test]
    fn tenant_level_resource_is_accepted() {
        let s = parse("/providers/Microsoft.Billing/billingAccounts/123");
        assert_eq!(s.kind(), ScopeKind::Resource);
        assert_eq!(s.subscription_id(), None);
    }

    #[test]
    fn resource_group_is_not_an_ancestor_of_a_longer_named_group() {
        let rg = parse(&format!("/subscriptions/{SUB}/resourceGroups/RG"));
        let rg01 = parse(&format!("/subscriptions/{SUB}/resourceGroups/RG01"));
        assert!(!rg01.is_at_or_below(&rg));
        assert!(!rg.is_at_or_below(&rg01));
        assert!(rg.is_at_or_below(&rg));
    }

    #[test]
    fn is_at_or_below_walks_down_the_hierarchy() {
        let tenant = parse("/");
        let sub = parse(&format!("/subscriptions/{SUB}"));
        let rg = parse(&format!("/subscriptions/{SUB}/resourceGroups/rg"));
        let vm = parse(&format!(
            "/subscriptions/{SUB}/resourceGroups/RG/providers/Microsoft.Compute/virtualMachines/vm"
        ));
        assert!(vm.is_at_or_below(&rg));
        assert!(vm.is_at_or_below(&sub));
        assert!(vm.is_at_or_below(&tenant));
        assert!(!sub.is_at_or_below(&rg));
        assert!(!tenant.is_at_or_below(&sub));
        let other = parse("/subscriptions/00000000-1111-2222-3333-444444444445");
        assert!(!rg.is_at_or_below(&other));
    }

    #[test]
    fn subscription_of_a_resource_is_its_subscription_scope() {
        let vm = parse(&format!(
            "/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm"
        ));
        let sub = vm.subscription().expect("has a subscription");
        assert_eq!(sub.as_str(), format!("/subscriptions/{SUB}"));
        assert_eq!(sub.kind(), ScopeKind::Subscription);
        assert_eq!(parse("/").subscription(), None);
    }

    #[test]
    fn bad_scopes_are_rejected_naming_field_and_value() {
        let cases = [
            "",
            "subscriptions/x",
            "//",
            &format!("/subscriptions/{SUB}//resourceGroups/rg"),
            "/subscriptions/not-a-guid",
            "/subscriptions",
            &format!("/subscriptions/{SUB}/resourceGroups"),
            &format!("/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.Compute"),
            &format!(
                "/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines"
            ),
            &format!("/subscriptions/{SUB}/resourceGroups/rg/extra/segment"),
            &format!("/subscriptions/{SUB}/resourceGroups/rg."),
            &format!("/subscriptions/{SUB}/resourceGroups/r g"),
            "/management/groups",
            " /",
        ];
        for case in cases {
            let e = reject(case);
            assert_eq!(e.kind, crate::ErrorKind::InvalidArgument, "{case}");
            assert_eq!(e.target.as_deref(), Some("AssignableScopes[0]"), "{case}");
            assert!(
                e.message.contains(&format!("'{case}'")),
                "{case}: {}",
                e.message
            );
        }
    }

    #[test]
    fn placeholders_are_rejected_with_a_hint_to_replace_them() {
        let e = reject("/subscriptions/<subscriptionID>/resourceGroups/<rgName>");
        assert!(e.message.contains("placeholder"), "{}", e.message);
        assert!(e.recommended_action.is_some());
        let e = reject(&format!("/subscriptions/{SUB}/resourceGroups/{{rgName}}"));
        assert!(e.message.contains("placeholder"), "{}", e.message);
    }

    #[test]
    fn resource_group_name_rules_follow_arm() {
        assert!(resource_group_scope(SUB, "rg-1_(a).b").is_ok());
        assert!(resource_group_scope(SUB, &"a".repeat(90)).is_ok());
        let e = resource_group_scope(SUB, &"a".repeat(91)).unwrap_err();
        assert_eq!(e.target.as_deref(), Some("resourceGroupName"));
        assert!(resource_group_scope(SUB, "ends.").is_err());
        assert!(resource_group_scope(SUB, "").is_err());
        assert!(resource_group_scope(SUB, "a/b").is_err());
        let e = resource_group_scope("nope", "rg").unwrap_err();
        assert_eq!(e.target.as_deref(), Some("subscriptionId"));
    }

    #[test]
    fn resource_group_scope_matches_parsed_scope() {
        let built = resource_group_scope(SUB, "Rg").unwrap();
        let parsed = parse(&format!("/subscriptions/{SUB}/resourcegroups/Rg/"));
        assert_eq!(built.as_str(), parsed.as_str());
        assert_eq!(built.kind(), ScopeKind::ResourceGroup);
    }

    #[test]
    fn validate_guid_accepts_only_the_hyphenated_form() {
        assert!(validate_guid("principalId", "B24988AC-6180-42A0-AB88-20F7382DD24C").is_ok());
        for bad in [
            "",
            "b24988ac618042a0ab8820f7382dd24c",
            "{b24988ac-6180-42a0-ab88-20f7382dd24c}",
            "b24988ac-6180-42a0-ab88-20f7382dd24g",
            "<principalId>",
        ] {
            let e = validate_guid("principalId", bad).unwrap_err();
            assert_eq!(e.target.as_deref(), Some("principalId"));
            assert!(e.message.contains(&format!("'{bad}'")));
        }
    }

    #[test]
    fn scope_serializes_as_its_normalized_string() {
        let s = parse(&format!("/subscriptions/{SUB}/resourcegroups/rg/"));
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(json, format!("\"/subscriptions/{SUB}/resourceGroups/rg\""));
        let back: Scope = serde_json::from_str(&json).unwrap();
        assert_eq!(back, s);
    }

    mod props {
        use super::super::*;
        use proptest::prelude::*;

        fn segment() -> impl Strategy<Value = String> {
            "[A-Za-z0-9._()-]{1,12}"
        }

        fn scope_text() -> impl Strategy<Value = String> {
            let sub = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
            (
                sub,
                prop::option::of(segment()),
                prop::collection::vec((segment(), segment()), 0..3),
                prop::bool::ANY,
                prop::bool::ANY,
            )
                .prop_map(|(sub, rg, pairs, lower, slash)| {
                    let mut s = format!("/subscriptions/{sub}");
                    if let Some(rg) = rg {
                        let word = if lower {
                            "resourcegroups"
                        } else {
                            "resourceGroups"
                        };
                        s.push_str(&format!("/{word}/{}", rg.trim_end_matches('.')));
                        if s.ends_with('/') {
                            s.push('x');
                        }
                    }
                    if !pairs.is_empty() {
                        s.push_str("/providers/Contoso.Widgets");
                        for (t, n) in pairs {
                            let t: String =
                                t.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
                            let t = if t.is_empty() {
                                "things".to_string()
                            } else {
                                t
                            };
                            s.push_str(&format!("/{t}/{n}"));
                        }
                    }
                    if slash {
                        s.push('/');
                    }
                    s
                })
        }

        proptest! {
            #[test]
            fn normalization_is_idempotent(text in scope_text()) {
                if let Ok(s) = Scope::parse("scope", &text) {
                    let again = Scope::parse("scope", s.as_str()).unwrap();
                    prop_assert_eq!(again.as_str(), s.as_str());
                    prop_assert_eq!(again.kind(), s.kind());
                    prop_assert_eq!(again.key(), s.key());
                }
            }

            #[test]
            fn generated_valid_scopes_parse(text in scope_text()) {
                let trimmed = text.trim_end_matches('/');
                if !trimmed.split('/').any(|seg| seg.eq_ignore_ascii_case("providers") || seg.ends_with('.')) {
                    prop_assert!(Scope::parse("scope", &text).is_ok(), "{}", text);
                }
            }

            #[test]
            fn parse_never_panics(text in "\\PC{0,80}") {
                let _ = Scope::parse("scope", &text);
            }

            #[test]
            fn parse_never_panics_on_slashy_text(text in "(/|[a-zA-Z0-9<>{}.-]{0,6}){0,14}") {
                let _ = Scope::parse("scope", &text);
            }
        }
    }
}
