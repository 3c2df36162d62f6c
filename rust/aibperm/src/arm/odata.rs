//! OData `$filter` values and query encoding.
//!
//! A string literal is wrapped in `'` with every `'` doubled; nothing else is special
//! inside a literal, so words like `and` or `eq` in a role name stay part of the name. The
//! whole filter is then percent-encoded as one query value, so `&`, `#`, `+` and `%` reach
//! ARM unchanged.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Characters left as they are in a query value: RFC 3986 unreserved.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// An OData string literal: `O'Brien` becomes `'O''Brien'`.
pub fn literal(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

/// `{field} eq '{value}'` with the value quoted.
pub fn eq(field: &str, value: &str) -> String {
    format!("{field} eq {}", literal(value))
}

/// Percent-encodes one query name or value (spaces as `%20`, never `+`).
pub fn encode_query_value(value: &str) -> String {
    utf8_percent_encode(value, QUERY_VALUE).to_string()
}

/// Percent-encodes one path segment (a resource name the caller gave).
pub fn encode_path_segment(value: &str) -> String {
    utf8_percent_encode(value, QUERY_VALUE).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(value: &str) -> String {
        percent_encoding::percent_decode_str(value)
            .decode_utf8()
            .expect("utf-8")
            .into_owned()
    }

    /// Reads back the literal after `eq ` the way an OData parser does.
    fn parse_literal(filter: &str) -> String {
        let start = filter.find("eq '").expect("eq literal") + 4;
        let body = &filter[start..filter.len() - 1];
        assert!(filter.ends_with('\''), "literal is closed: {filter}");
        let mut out = String::new();
        let mut chars = body.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\'' {
                assert_eq!(chars.next(), Some('\''), "lone quote in {filter}");
            }
            out.push(c);
        }
        out
    }

    #[test]
    fn quote_is_doubled() {
        assert_eq!(literal("O'Brien Role"), "'O''Brien Role'");
        assert_eq!(literal("''"), "''''''");
    }

    #[test]
    fn every_odata_special_value_round_trips_through_filter_and_query() {
        let names = [
            "Test Role and",
            "and",
            "x' or roleName eq 'y",
            "O'Brien Role",
            "trailing '",
            "a & b",
            "50% off",
            "c# role",
            "a+b",
            "q?x=1",
            "slash/and\\back",
            "(paren) eq ne gt lt",
            "\"double\"",
            "ünïcödé ロール",
            "tab\tand newline",
            "$filter=x",
            "semi;colon,comma",
        ];
        for name in names {
            let filter = eq("roleName", name);
            assert_eq!(parse_literal(&filter), name, "filter {filter}");
            let encoded = encode_query_value(&filter);
            assert!(
                !encoded.contains(['&', '#', '+', ' ', '\'', '?', '=']),
                "unencoded char in {encoded}"
            );
            assert_eq!(decode(&encoded), filter);
        }
    }

    #[test]
    fn path_segment_encoding_keeps_safe_names_readable() {
        assert_eq!(encode_path_segment("aib-Identity_01"), "aib-Identity_01");
        assert_eq!(encode_path_segment("a/b"), "a%2Fb");
    }
}
