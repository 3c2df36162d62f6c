//! ARM scopes as the emulator sees them: a list of path segments compared case-insensitively.

use std::fmt;

/// A scope such as `/subscriptions/s/resourceGroups/rg`; the tenant root is the empty list.
///
/// Segments keep the casing the client sent so answers echo it; comparisons ignore case.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    segments: Vec<String>,
}

impl Scope {
    /// The tenant root `/`.
    pub fn root() -> Self {
        Self::default()
    }

    /// Builds a scope from already decoded segments.
    pub fn from_segments(segments: Vec<String>) -> Self {
        Self { segments }
    }

    /// Parses `/a/b/c` or `a/b/c/`; empty segments (doubled slashes) are dropped.
    pub fn parse(text: &str) -> Self {
        let segments = text
            .split('/')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        Self { segments }
    }

    pub fn segments(&self) -> &[String] {
        &self.segments
    }

    pub fn is_root(&self) -> bool {
        self.segments.is_empty()
    }

    /// The lowercase form used as a map key and for equality.
    pub fn key(&self) -> String {
        let mut key = String::new();
        for segment in &self.segments {
            key.push('/');
            key.push_str(&segment.to_lowercase());
        }
        if key.is_empty() {
            key.push('/');
        }
        key
    }

    /// True when `self` is `other` or one of its ancestors, segment by segment.
    pub fn contains(&self, other: &Scope) -> bool {
        self.segments.len() <= other.segments.len()
            && self
                .segments
                .iter()
                .zip(&other.segments)
                .all(|(a, b)| a.eq_ignore_ascii_case(b))
    }

    pub fn same_as(&self, other: &Scope) -> bool {
        self.segments.len() == other.segments.len() && self.contains(other)
    }

    /// The subscription id when the scope is at or below a subscription.
    pub fn subscription_id(&self) -> Option<&str> {
        match self.segments.as_slice() {
            [first, id, ..] if first.eq_ignore_ascii_case("subscriptions") => Some(id),
            _ => None,
        }
    }

    /// The resource group name when the scope is at or below a resource group.
    pub fn resource_group(&self) -> Option<&str> {
        match self.segments.as_slice() {
            [s, _, rg, name, ..]
                if s.eq_ignore_ascii_case("subscriptions")
                    && rg.eq_ignore_ascii_case("resourcegroups") =>
            {
                Some(name)
            }
            _ => None,
        }
    }

    /// The scope of the subscription this scope lies in, if any.
    pub fn subscription_scope(&self) -> Option<Scope> {
        self.subscription_id()
            .map(|id| Scope::from_segments(vec!["subscriptions".into(), id.to_owned()]))
    }

    /// Checks the shape against ARM's scope grammar: tenant, management group,
    /// subscription, resource group, or provider segments below either.
    pub fn is_well_formed(&self) -> bool {
        let s = &self.segments;
        let eq = |i: usize, word: &str| s.get(i).is_some_and(|x| x.eq_ignore_ascii_case(word));
        if s.is_empty() {
            return true;
        }
        if eq(0, "providers") {
            return s.len() == 4 && eq(1, "Microsoft.Management") && eq(2, "managementGroups");
        }
        if !eq(0, "subscriptions") || s.len() < 2 {
            return false;
        }
        let mut rest = &s[2..];
        if rest
            .first()
            .is_some_and(|x| x.eq_ignore_ascii_case("resourceGroups"))
        {
            if rest.len() < 2 {
                return false;
            }
            rest = &rest[2..];
        }
        if rest.is_empty() {
            return true;
        }
        // providers/{namespace}/{type}/{name}[/{type}/{name}]...
        rest[0].eq_ignore_ascii_case("providers") && rest.len() >= 4 && rest.len() % 2 == 0
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.segments.is_empty() {
            return f.write_str("/");
        }
        for segment in &self.segments {
            write!(f, "/{segment}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_group_is_not_a_prefix_of_a_longer_name() {
        let rg = Scope::parse("/subscriptions/s/resourceGroups/RG");
        let rg01 = Scope::parse("/subscriptions/s/resourceGroups/RG01");
        assert!(!rg.contains(&rg01));
        assert!(Scope::parse("/subscriptions/S/").contains(&rg01));
    }

    #[test]
    fn comparison_ignores_case_and_trailing_slash() {
        let a = Scope::parse("/subscriptions/s/resourcegroups/rg/");
        let b = Scope::parse("/SUBSCRIPTIONS/s/resourceGroups/RG");
        assert!(a.same_as(&b));
        assert_eq!(a.key(), b.key());
        assert_eq!(b.to_string(), "/SUBSCRIPTIONS/s/resourceGroups/RG");
    }

    #[test]
    fn grammar_accepts_provider_scopes_without_a_resource_group() {
        assert!(
            Scope::parse("/subscriptions/s/providers/Microsoft.DocumentDB/locations/x")
                .is_well_formed()
        );
        assert!(
            Scope::parse("/providers/Microsoft.Management/managementGroups/mg").is_well_formed()
        );
        assert!(!Scope::parse("/subscriptions").is_well_formed());
        assert!(!Scope::parse("/subscriptions/s/resourceGroups").is_well_formed());
    }
}
