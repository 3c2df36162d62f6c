//! The Az role definition file formats: flat and `Permissions`.
//!
//! The flat format is what `Get-AzRoleDefinition | ConvertTo-Json` wrote up to Az.Resources
//! 9 and what the AIB sample files use; the `Permissions` format (one block holding the four
//! action lists) is what Az.Resources 10 requires. Property names match case-insensitively,
//! as Newtonsoft.Json does for Az; unknown or repeated properties are refused so a typo
//! cannot drop a permission silently.

use serde::de::{MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value, json};

use super::{BUILT_IN_ROLE, CUSTOM_ROLE, RoleDefinition};
use crate::arm::scope::{Scope, validate_guid};
use crate::{Error, Result};

/// Which Az input-file layout a role file uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RoleFileFormat {
    /// `Actions`, `NotActions`, `DataActions`, `NotDataActions` at the top level.
    Flat,
    /// One `Permissions` block holding the four lists (Az.Resources 10 and later).
    Permissions,
}

/// The target used for errors about the file as a whole.
const FILE_TARGET: &str = "InputFile";

const NAME: &str = "Name";
const ID: &str = "Id";
const IS_CUSTOM: &str = "IsCustom";
const DESCRIPTION: &str = "Description";
const ACTIONS: &str = "Actions";
const NOT_ACTIONS: &str = "NotActions";
const DATA_ACTIONS: &str = "DataActions";
const NOT_DATA_ACTIONS: &str = "NotDataActions";
const ASSIGNABLE_SCOPES: &str = "AssignableScopes";
const CONDITION: &str = "Condition";
const CONDITION_VERSION: &str = "ConditionVersion";
const PERMISSIONS: &str = "Permissions";

/// Top-level properties of either format.
const FLAT_FIELDS_AND_PERMISSIONS: [&str; 12] = [
    NAME,
    ID,
    IS_CUSTOM,
    DESCRIPTION,
    ACTIONS,
    NOT_ACTIONS,
    DATA_ACTIONS,
    NOT_DATA_ACTIONS,
    ASSIGNABLE_SCOPES,
    CONDITION,
    CONDITION_VERSION,
    PERMISSIONS,
];

/// Properties of one `Permissions` block, in the order Az writes them.
const PERMISSION_FIELDS: [&str; 6] = [
    ACTIONS,
    NOT_ACTIONS,
    DATA_ACTIONS,
    NOT_DATA_ACTIONS,
    CONDITION,
    CONDITION_VERSION,
];

/// Parses an Az role file (flat or `Permissions` format; UTF-8 with or without BOM, or
/// UTF-16 with BOM as Windows PowerShell 5.1's `Out-File` writes).
///
/// `Id` may be a GUID or a full role definition id; either gives `name` (the GUID) and `id`
/// (for a bare GUID: at the first assignable scope). Scopes come back normalized. Errors are
/// `InvalidArgument` whose `target` names the property (`Name`, `Actions[2]`,
/// `Permissions[0].Actions[1]`, `AssignableScopes[0]`) or `InputFile` for the file as a whole.
pub fn parse_role_file(bytes: &[u8]) -> Result<(RoleFileFormat, RoleDefinition)> {
    let text = decode(bytes)?;
    let text = blank_comments_and_trailing_commas(&text);
    let root: Node = serde_json::from_str(&text).map_err(|e| json_error(&e))?;
    let Node::Object(entries) = root else {
        return Err(Error::invalid_argument(
            FILE_TARGET,
            format!(
                "the file must hold one JSON object (a role definition), not {}",
                type_name(&root)
            ),
        ));
    };
    let top = Fields::new(&entries, "", &FLAT_FIELDS_AND_PERMISSIONS)?;

    let flat_present: Vec<&str> = PERMISSION_FIELDS
        .iter()
        .copied()
        .filter(|f| top.has(f))
        .collect();
    let format = if top.has(PERMISSIONS) {
        if let Some(flat) = flat_present.first() {
            return Err(Error::invalid_argument(
                PERMISSIONS,
                format!(
                    "the file mixes the flat format ('{}') with the Permissions format \
                     ('{}'); put the action lists either at the top level or inside \
                     Permissions, not both",
                    top.spelling(flat),
                    top.spelling(PERMISSIONS)
                ),
            ));
        }
        RoleFileFormat::Permissions
    } else {
        RoleFileFormat::Flat
    };

    let role_name = match top.get(NAME) {
        None | Some(Node::Null) => {
            return Err(Error::invalid_argument(NAME, "the role file has no Name"));
        }
        Some(v) => string_value(NAME, v)?,
    };
    if role_name.trim().is_empty() {
        return Err(Error::invalid_argument(NAME, "Name is empty"));
    }
    let description = optional_string(DESCRIPTION, top.get(DESCRIPTION))?.unwrap_or_default();
    let is_custom = match top.get(IS_CUSTOM) {
        None | Some(Node::Null) => true,
        Some(Node::Bool(b)) => *b,
        Some(other) => return Err(type_error(IS_CUSTOM, "true or false", other)),
    };

    let lists = match format {
        RoleFileFormat::Flat => read_permission_lists(&top, "")?,
        RoleFileFormat::Permissions => read_permissions_block(&top)?,
    };

    let scope_values = match top.get(ASSIGNABLE_SCOPES) {
        None | Some(Node::Null) => Vec::new(),
        Some(v) => string_list(ASSIGNABLE_SCOPES, v)?,
    };
    if scope_values.is_empty() {
        return Err(Error::invalid_argument(
            ASSIGNABLE_SCOPES,
            "AssignableScopes is missing or empty; list at least one scope, such as \
             '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}'",
        ));
    }
    let mut scopes = Vec::with_capacity(scope_values.len());
    for (i, text) in scope_values.iter().enumerate() {
        scopes.push(Scope::parse(&format!("{ASSIGNABLE_SCOPES}[{i}]"), text)?);
    }

    let (name, id) = match optional_string(ID, top.get(ID))? {
        None => (None, None),
        Some(text) if text.is_empty() => (None, None),
        Some(text) => parse_id(&text, &scopes[0])?,
    };

    let role = RoleDefinition {
        id,
        name,
        role_name,
        description,
        role_type: if is_custom {
            CUSTOM_ROLE
        } else {
            BUILT_IN_ROLE
        }
        .to_string(),
        actions: lists.actions,
        not_actions: lists.not_actions,
        data_actions: lists.data_actions,
        not_data_actions: lists.not_data_actions,
        assignable_scopes: scopes.iter().map(|s| s.as_str().to_string()).collect(),
    };
    super::validate_role_at(&role, lists.prefix)?;
    Ok((format, role))
}

/// Writes `role` in `format`: two-space indented JSON, LF line ends, a final newline, and
/// the property order Az writes. `Id` holds the GUID when `id` is the role's id at its
/// first assignable scope (what Az's `Set-AzRoleDefinition` expects), otherwise the full id,
/// so that parsing the output gives `role` back.
pub fn render_role_file(role: &RoleDefinition, format: RoleFileFormat) -> Result<Vec<u8>> {
    super::validate_role(role)?;
    let id = rendered_id(role)?;
    let lists = [
        (ACTIONS, &role.actions),
        (NOT_ACTIONS, &role.not_actions),
        (DATA_ACTIONS, &role.data_actions),
        (NOT_DATA_ACTIONS, &role.not_data_actions),
    ];

    let mut obj = Map::new();
    obj.insert(NAME.into(), json!(role.role_name));
    obj.insert(ID.into(), json!(id));
    obj.insert(IS_CUSTOM.into(), json!(role.role_type != BUILT_IN_ROLE));
    obj.insert(DESCRIPTION.into(), json!(role.description));
    match format {
        RoleFileFormat::Flat => {
            for (field, list) in lists {
                obj.insert(field.into(), json!(list));
            }
            obj.insert(ASSIGNABLE_SCOPES.into(), json!(role.assignable_scopes));
            obj.insert(CONDITION.into(), Value::Null);
            obj.insert(CONDITION_VERSION.into(), Value::Null);
        }
        RoleFileFormat::Permissions => {
            let mut block = Map::new();
            for (field, list) in lists {
                block.insert(field.into(), json!(list));
            }
            block.insert(CONDITION.into(), Value::Null);
            block.insert(CONDITION_VERSION.into(), Value::Null);
            obj.insert(PERMISSIONS.into(), Value::Array(vec![Value::Object(block)]));
            obj.insert(ASSIGNABLE_SCOPES.into(), json!(role.assignable_scopes));
        }
    }
    let mut bytes = serde_json::to_vec_pretty(&Value::Object(obj))
        .map_err(|e| Error::internal(format!("rendering role file: {e}")))?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// The `Id` to write: the GUID when the id is the one [`parse_role_file`] would rebuild.
fn rendered_id(role: &RoleDefinition) -> Result<Option<String>> {
    let Some(name) = role.name.as_deref() else {
        return Ok(role.id.clone());
    };
    let Some(id) = role.id.as_deref() else {
        return Ok(Some(name.to_string()));
    };
    let first = role
        .assignable_scopes
        .first()
        .map(|s| Scope::parse("AssignableScopes[0]", s))
        .transpose()?;
    let rebuilt = first.map(|scope| id_at(&scope, name));
    if rebuilt.as_deref() == Some(id) {
        Ok(Some(name.to_string()))
    } else {
        Ok(Some(id.to_string()))
    }
}

fn id_at(scope: &Scope, guid: &str) -> String {
    let prefix = if scope.as_str() == "/" {
        ""
    } else {
        scope.as_str()
    };
    format!("{prefix}/providers/Microsoft.Authorization/roleDefinitions/{guid}")
}

/// `Id` as a GUID (id rebuilt at the first scope) or a full role definition id.
fn parse_id(text: &str, first_scope: &Scope) -> Result<(Option<String>, Option<String>)> {
    if text.starts_with('/') {
        super::split_role_definition_id(ID, text)?;
        // The last segment is the GUID just checked; keep its spelling.
        let guid_text = text.rsplit('/').next().unwrap_or_default();
        Ok((Some(guid_text.to_string()), Some(text.to_string())))
    } else {
        validate_guid(ID, text)?;
        Ok((Some(text.to_string()), Some(id_at(first_scope, text))))
    }
}

struct PermissionLists {
    actions: Vec<String>,
    not_actions: Vec<String>,
    data_actions: Vec<String>,
    not_data_actions: Vec<String>,
    /// Prefix of the targets of these lists ("" or "Permissions[0].").
    prefix: &'static str,
}

fn read_permission_lists(fields: &Fields, prefix: &'static str) -> Result<PermissionLists> {
    let list = |name: &str| -> Result<Vec<String>> {
        let target = format!("{prefix}{name}");
        match fields.get(name) {
            None | Some(Node::Null) => Ok(Vec::new()),
            Some(v) => string_list(&target, v),
        }
    };
    for field in [CONDITION, CONDITION_VERSION] {
        let target = format!("{prefix}{field}");
        let text = optional_string(&target, fields.get(field))?.unwrap_or_default();
        if !text.trim().is_empty() {
            // Limit: conditions on role definitions (an ARM preview) are not carried.
            return Err(Error::invalid_argument(
                target,
                format!("{field} on a role definition is not supported; remove it"),
            ));
        }
    }
    Ok(PermissionLists {
        actions: list(ACTIONS)?,
        not_actions: list(NOT_ACTIONS)?,
        data_actions: list(DATA_ACTIONS)?,
        not_data_actions: list(NOT_DATA_ACTIONS)?,
        prefix,
    })
}

fn read_permissions_block(top: &Fields) -> Result<PermissionLists> {
    let blocks = match top.get(PERMISSIONS) {
        Some(Node::Array(items)) => items,
        Some(other) => return Err(type_error(PERMISSIONS, "an array of one object", other)),
        None => {
            return Err(Error::internal(
                "a Permissions block was expected but is absent",
            ));
        }
    };
    match blocks.len() {
        0 => Err(Error::invalid_argument(
            PERMISSIONS,
            "Permissions is empty; give one block with Actions or DataActions",
        )),
        1 => {
            let target = format!("{PERMISSIONS}[0]");
            let Node::Object(entries) = &blocks[0] else {
                return Err(type_error(&target, "an object", &blocks[0]));
            };
            let fields = Fields::new(entries, "Permissions[0].", &PERMISSION_FIELDS)?;
            read_permission_lists(&fields, "Permissions[0].")
        }
        n => Err(Error::invalid_argument(
            PERMISSIONS,
            format!(
                "Permissions has {n} blocks; ARM allows exactly one per role definition, \
                 so merge them into one"
            ),
        )),
    }
}

/// A JSON value that keeps an object's properties in file order, duplicates included, so
/// that a repeated property can be reported instead of silently overriding the first.
enum Node {
    Null,
    Bool(bool),
    Number,
    String(String),
    Array(Vec<Node>),
    Object(Vec<(String, Node)>),
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct NodeVisitor;
        impl<'de> Visitor<'de> for NodeVisitor {
            type Value = Node;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_unit<E>(self) -> std::result::Result<Node, E> {
                Ok(Node::Null)
            }
            fn visit_none<E>(self) -> std::result::Result<Node, E> {
                Ok(Node::Null)
            }
            fn visit_bool<E>(self, b: bool) -> std::result::Result<Node, E> {
                Ok(Node::Bool(b))
            }
            fn visit_i64<E>(self, _: i64) -> std::result::Result<Node, E> {
                Ok(Node::Number)
            }
            fn visit_u64<E>(self, _: u64) -> std::result::Result<Node, E> {
                Ok(Node::Number)
            }
            fn visit_f64<E>(self, _: f64) -> std::result::Result<Node, E> {
                Ok(Node::Number)
            }
            fn visit_str<E>(self, s: &str) -> std::result::Result<Node, E> {
                Ok(Node::String(s.to_string()))
            }
            fn visit_string<E>(self, s: String) -> std::result::Result<Node, E> {
                Ok(Node::String(s))
            }
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<Node, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Node>()? {
                    items.push(item);
                }
                Ok(Node::Array(items))
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Node, A::Error> {
                let mut entries = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, Node>()? {
                    entries.push((k, v));
                }
                Ok(Node::Object(entries))
            }
        }
        d.deserialize_any(NodeVisitor)
    }
}

/// The properties of one object, looked up by their canonical name.
struct Fields<'a> {
    /// (canonical name, name as spelled in the file, value)
    entries: Vec<(&'static str, &'a str, &'a Node)>,
}

impl<'a> Fields<'a> {
    /// Matches each property to `allowed` case-insensitively; refuses unknown and repeated
    /// ones.
    fn new(
        raw: &'a [(String, Node)],
        prefix: &str,
        allowed: &[&'static str],
    ) -> Result<Fields<'a>> {
        let mut entries: Vec<(&'static str, &'a str, &'a Node)> = Vec::with_capacity(raw.len());
        for (key, value) in raw {
            let Some(canonical) = allowed.iter().find(|a| a.eq_ignore_ascii_case(key)) else {
                return Err(Error::invalid_argument(
                    format!("{prefix}{key}"),
                    format!(
                        "unknown property '{prefix}{key}' in the role file; known properties: {}",
                        allowed.join(", ")
                    ),
                ));
            };
            if let Some((_, first, _)) = entries.iter().find(|(c, _, _)| c == canonical) {
                return Err(Error::invalid_argument(
                    format!("{prefix}{canonical}"),
                    format!(
                        "property '{prefix}{canonical}' appears twice ('{first}' and '{key}'; \
                         names are case-insensitive)"
                    ),
                ));
            }
            entries.push((canonical, key.as_str(), value));
        }
        Ok(Fields { entries })
    }

    fn get(&self, canonical: &str) -> Option<&'a Node> {
        self.entries
            .iter()
            .find(|(c, _, _)| *c == canonical)
            .map(|(_, _, v)| *v)
    }

    fn has(&self, canonical: &str) -> bool {
        self.get(canonical).is_some()
    }

    fn spelling(&self, canonical: &str) -> String {
        self.entries
            .iter()
            .find(|(c, _, _)| *c == canonical)
            .map_or_else(|| canonical.to_string(), |(_, s, _)| s.to_string())
    }
}

/// Replaces `//` and `/* */` comments and trailing commas before `]` or `}` with spaces, as
/// Newtonsoft.Json (which Az reads role files with) accepts them. Line breaks are kept, so
/// JSON errors still point at the right line. Text inside strings is left alone.
fn blank_comments_and_trailing_commas(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = chars.clone();
    let blank = |out: &mut Vec<char>, i: usize| {
        if out[i] != '\n' && out[i] != '\r' {
            out[i] = ' ';
        }
    };
    let mut i = 0;
    // Index in `out` of a comma that may turn out to be trailing.
    let mut pending_comma: Option<usize> = None;
    // The last character outside comments and whitespace: a comma right after `[`, `{`,
    // `:` or another comma is an error for the parser, not a trailing comma.
    let mut last = ' ';
    while i < chars.len() {
        match chars[i] {
            '"' => {
                pending_comma = None;
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    i += if chars[i] == '\\' { 2 } else { 1 };
                }
                i += 1;
                last = '"';
            }
            '/' if chars.get(i + 1) == Some(&'/') => {
                while i < chars.len() && chars[i] != '\n' {
                    blank(&mut out, i);
                    i += 1;
                }
            }
            '/' if chars.get(i + 1) == Some(&'*') => {
                let start = i;
                i += 2;
                while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                    i += 1;
                }
                // An unclosed comment is left for the JSON parser to report.
                if i < chars.len() {
                    i += 2;
                    for j in start..i {
                        blank(&mut out, j);
                    }
                }
            }
            ',' => {
                pending_comma = if matches!(last, '[' | '{' | ':' | ',') {
                    None
                } else {
                    Some(i)
                };
                last = ',';
                i += 1;
            }
            ']' | '}' => {
                if let Some(c) = pending_comma.take() {
                    out[c] = ' ';
                }
                last = chars[i];
                i += 1;
            }
            c => {
                if !c.is_whitespace() {
                    pending_comma = None;
                    last = c;
                }
                i += 1;
            }
        }
    }
    out.into_iter().collect()
}

fn decode(bytes: &[u8]) -> Result<String> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return utf8(rest);
    }
    let utf16 = |rest: &[u8], le: bool| -> Result<String> {
        if rest.len() % 2 != 0 {
            return Err(Error::invalid_argument(
                FILE_TARGET,
                "the file starts with a UTF-16 byte order mark but has an odd number of bytes",
            ));
        }
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16(&units)
            .map_err(|_| Error::invalid_argument(FILE_TARGET, "the file is not valid UTF-16 text"))
    };
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, true);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, false);
    }
    utf8(bytes)
}

fn utf8(bytes: &[u8]) -> Result<String> {
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        Error::invalid_argument(
            FILE_TARGET,
            format!(
                "the file is not UTF-8 text (invalid byte at offset {}); save it as UTF-8",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

fn json_error(e: &serde_json::Error) -> Error {
    use serde_json::error::Category;
    let what = match e.classify() {
        Category::Data => "the file must hold one JSON object (a role definition)",
        Category::Eof => "invalid JSON (the file ends too early)",
        Category::Syntax | Category::Io => "invalid JSON",
    };
    let detail = e.to_string();
    // serde_json appends " at line L column C"; state the place once, in our words.
    let detail = detail
        .rsplit_once(" at line ")
        .map_or(detail.as_str(), |(head, _)| head);
    Error::invalid_argument(
        FILE_TARGET,
        format!(
            "{what} at line {}, column {}: {detail}",
            e.line(),
            e.column()
        ),
    )
}

fn type_name(v: &Node) -> &'static str {
    match v {
        Node::Null => "null",
        Node::Bool(_) => "a boolean",
        Node::Number => "a number",
        Node::String(_) => "a string",
        Node::Array(_) => "an array",
        Node::Object(_) => "an object",
    }
}

fn type_error(field: &str, expected: &str, got: &Node) -> Error {
    Error::invalid_argument(
        field,
        format!("{field} must be {expected}, not {}", type_name(got)),
    )
}

fn string_value(field: &str, v: &Node) -> Result<String> {
    match v {
        Node::String(s) => Ok(s.clone()),
        other => Err(type_error(field, "a string", other)),
    }
}

fn optional_string(field: &str, v: Option<&Node>) -> Result<Option<String>> {
    match v {
        None | Some(Node::Null) => Ok(None),
        Some(v) => string_value(field, v).map(Some),
    }
}

fn string_list(field: &str, v: &Node) -> Result<Vec<String>> {
    let Node::Array(items) = v else {
        return Err(type_error(field, "an array of strings", v));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| string_value(&format!("{field}[{i}]"), item))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roles::test_support::{SUB, sample_file};
    use crate::roles::{GenerateRequest, generate};

    fn parse_ok(text: &str) -> (RoleFileFormat, RoleDefinition) {
        parse_role_file(text.as_bytes())
            .unwrap_or_else(|e| panic!("should parse: {} (target {:?})", e.message, e.target))
    }

    fn parse_err(text: &str) -> Error {
        match parse_role_file(text.as_bytes()) {
            Ok(r) => panic!("should be rejected, parsed as {r:?}"),
            Err(e) => {
                assert_eq!(e.kind, crate::ErrorKind::InvalidArgument, "{}", e.message);
                e
            }
        }
    }

    fn with_real_ids(bytes: &[u8]) -> String {
        String::from_utf8(bytes.to_vec())
            .unwrap()
            .replace("<subscriptionID>", SUB)
            .replace("<rgName>", "aibImageRG")
            .replace("<vnetRgName>", "aibVnetRG")
    }

    fn generated(scenario: &str) -> RoleDefinition {
        generate(&GenerateRequest {
            scenario: scenario.into(),
            subscription_id: Some(SUB.into()),
            resource_group_name: Some("rg".into()),
            ..Default::default()
        })
        .unwrap()
    }

    #[test]
    fn sample_files_parse_once_placeholders_are_replaced() {
        let (format, role) = parse_ok(&with_real_ids(&sample_file("aibRoleImageCreation.json")));
        assert_eq!(format, RoleFileFormat::Flat);
        assert_eq!(
            role.role_name,
            "Azure Image Builder Service Image Creation Role"
        );
        assert_eq!(role.actions.len(), 7);
        assert!(role.not_actions.is_empty());
        assert_eq!(role.role_type, "CustomRole");
        assert_eq!(
            role.assignable_scopes,
            vec![format!("/subscriptions/{SUB}/resourceGroups/aibImageRG")]
        );
        assert_eq!(role.name, None);
        assert_eq!(role.id, None);

        let (_, net) = parse_ok(&with_real_ids(&sample_file("aibRoleNetworking.json")));
        assert_eq!(
            net.actions,
            vec![
                "Microsoft.Network/virtualNetworks/read",
                "Microsoft.Network/virtualNetworks/subnets/join/action"
            ]
        );
    }

    #[test]
    fn sample_files_as_downloaded_are_rejected_asking_to_replace_placeholders() {
        for file in ["aibRoleImageCreation.json", "aibRoleNetworking.json"] {
            let e = parse_role_file(&sample_file(file)).unwrap_err();
            assert_eq!(e.target.as_deref(), Some("AssignableScopes[0]"));
            assert!(e.message.contains("placeholder"), "{}", e.message);
            assert!(e.message.contains("<subscriptionID>"), "{}", e.message);
        }
    }

    #[test]
    fn utf8_bom_and_utf16_files_are_accepted() {
        let text = with_real_ids(&sample_file("aibRoleNetworking.json"));
        let plain = parse_ok(&text);
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(text.as_bytes());
        assert_eq!(parse_role_file(&bom).unwrap(), plain);
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in text.encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(parse_role_file(&utf16).unwrap(), plain);
    }

    #[test]
    fn flat_and_permissions_formats_round_trip() {
        for scenario in [
            "ImageCreation",
            "Networking",
            "BuildVmIdentity",
            "StorageScripts",
        ] {
            let role = generated(scenario);
            for format in [RoleFileFormat::Flat, RoleFileFormat::Permissions] {
                let bytes = render_role_file(&role, format).unwrap();
                let (got_format, back) = parse_role_file(&bytes).unwrap();
                assert_eq!(got_format, format);
                assert_eq!(back, role, "{scenario} {format:?}");
            }
        }
    }

    #[test]
    fn round_trip_keeps_an_id_at_another_scope_and_data_actions() {
        let mut role = generated("GallerySource");
        let guid = role.name.clone().unwrap();
        role.id = Some(format!(
            "/subscriptions/{SUB}/providers/Microsoft.Authorization/roleDefinitions/{guid}"
        ));
        role.data_actions =
            vec!["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read".into()];
        role.not_actions = vec!["Microsoft.Compute/galleries/images/versions/delete".into()];
        for format in [RoleFileFormat::Flat, RoleFileFormat::Permissions] {
            let bytes = render_role_file(&role, format).unwrap();
            assert_eq!(parse_role_file(&bytes).unwrap().1, role);
        }
    }

    #[test]
    fn flat_and_permissions_files_with_same_content_are_equal() {
        let flat = format!(
            r#"{{"Name": "r", "Description": "d", "Actions": ["Microsoft.Compute/images/read"],
                "DataActions": [], "AssignableScopes": ["/subscriptions/{SUB}/resourcegroups/rg/"]}}"#
        );
        let perms = format!(
            r#"{{"name": "r", "description": "d",
                "permissions": [{{"actions": ["Microsoft.Compute/images/read"], "notActions": []}}],
                "assignableScopes": ["/subscriptions/{SUB}/resourceGroups/rg"]}}"#
        );
        let (f1, a) = parse_ok(&flat);
        let (f2, b) = parse_ok(&perms);
        assert_eq!(
            (f1, f2),
            (RoleFileFormat::Flat, RoleFileFormat::Permissions)
        );
        assert_eq!(a, b);
    }

    #[test]
    fn rendering_uses_az_field_order_two_space_indent_and_lf() {
        let role = generated("Networking");
        let flat =
            String::from_utf8(render_role_file(&role, RoleFileFormat::Flat).unwrap()).unwrap();
        let order = [
            "\"Name\"",
            "\"Id\"",
            "\"IsCustom\"",
            "\"Description\"",
            "\"Actions\"",
            "\"NotActions\"",
            "\"DataActions\"",
            "\"NotDataActions\"",
            "\"AssignableScopes\"",
            "\"Condition\"",
            "\"ConditionVersion\"",
        ];
        let positions: Vec<usize> = order.iter().map(|k| flat.find(k).unwrap()).collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{flat}");
        assert!(flat.starts_with("{\n  \"Name\": "));
        assert!(!flat.contains('\r'));
        assert!(flat.ends_with("}\n"));
        // The id is the role's own id at its scope, so Az's Set-AzRoleDefinition gets a GUID.
        assert!(flat.contains(&format!("\"Id\": \"{}\"", role.name.as_deref().unwrap())));

        let perms =
            String::from_utf8(render_role_file(&role, RoleFileFormat::Permissions).unwrap())
                .unwrap();
        let p = perms.find("\"Permissions\"").unwrap();
        assert!(perms.find("\"Description\"").unwrap() < p);
        assert!(p < perms.find("\"AssignableScopes\"").unwrap());
    }

    #[test]
    fn mixed_formats_are_rejected_naming_both_fields() {
        let e = parse_err(&format!(
            r#"{{"Name": "r", "Actions": ["Microsoft.Compute/images/read"],
                "Permissions": [{{"Actions": ["Microsoft.Compute/images/read"]}}],
                "AssignableScopes": ["/subscriptions/{SUB}"]}}"#
        ));
        assert!(e.message.contains("'Actions'"), "{}", e.message);
        assert!(e.message.contains("'Permissions'"), "{}", e.message);
    }

    #[test]
    fn more_than_one_permissions_block_is_rejected() {
        let e = parse_err(&format!(
            r#"{{"Name": "r", "Permissions": [{{"Actions": ["*/read"]}}, {{"Actions": ["*/write"]}}],
                "AssignableScopes": ["/subscriptions/{SUB}"]}}"#
        ));
        assert_eq!(e.target.as_deref(), Some("Permissions"));
        assert!(
            e.message.contains("ARM allows exactly one"),
            "{}",
            e.message
        );
    }

    #[test]
    fn unknown_and_repeated_properties_are_rejected_by_name() {
        let e = parse_err(&format!(
            r#"{{"Name": "r", "Action": ["*/read"], "AssignableScopes": ["/subscriptions/{SUB}"]}}"#
        ));
        assert_eq!(e.target.as_deref(), Some("Action"));
        assert!(
            e.message.contains("unknown property 'Action'"),
            "{}",
            e.message
        );

        let e = parse_err(&format!(
            r#"{{"Name": "r", "Permissions": [{{"Actions": ["*/read"], "Scopes": []}}],
                "AssignableScopes": ["/subscriptions/{SUB}"]}}"#
        ));
        assert_eq!(e.target.as_deref(), Some("Permissions[0].Scopes"));

        let e = parse_err(&format!(
            r#"{{"Name": "r", "Actions": ["*/read"], "actions": ["*"], "AssignableScopes": ["/subscriptions/{SUB}"]}}"#
        ));
        assert!(e.message.contains("appears twice"), "{}", e.message);
        let e = parse_err(&format!(
            r#"{{"Name": "r", "Permissions": [{{"Actions": ["*/read"], "ACTIONS": []}}],
                "AssignableScopes": ["/subscriptions/{SUB}"]}}"#
        ));
        assert_eq!(e.target.as_deref(), Some("Permissions[0].Actions"));
    }

    #[test]
    fn wrong_types_are_rejected_naming_field_and_expected_type() {
        let cases = [
            (r#""Name": 5"#, "Name", "must be a string, not a number"),
            (
                r#""Name": "r", "IsCustom": "yes""#,
                "IsCustom",
                "must be true or false",
            ),
            (
                r#""Name": "r", "Actions": "*/read""#,
                "Actions",
                "must be an array of strings",
            ),
            (
                r#""Name": "r", "Actions": ["*/read", 7]"#,
                "Actions[1]",
                "must be a string",
            ),
        ];
        for (body, target, text) in cases {
            let e = parse_err(&format!(
                r#"{{{body}, "DataActions": ["a.b/c/read"], "AssignableScopes": ["/subscriptions/{SUB}"]}}"#
            ));
            assert_eq!(e.target.as_deref(), Some(target), "{body}");
            assert!(e.message.contains(text), "{body}: {}", e.message);
        }
    }

    #[test]
    fn missing_or_empty_required_parts_are_rejected() {
        let scope = format!(r#""AssignableScopes": ["/subscriptions/{SUB}"]"#);
        let cases = [
            (format!(r#"{{"Actions": ["*/read"], {scope}}}"#), "Name"),
            (
                format!(r#"{{"Name": "  ", "Actions": ["*/read"], {scope}}}"#),
                "Name",
            ),
            (
                r#"{"Name": "r", "Actions": ["*/read"]}"#.to_string(),
                "AssignableScopes",
            ),
            (
                r#"{"Name": "r", "Actions": ["*/read"], "AssignableScopes": []}"#.to_string(),
                "AssignableScopes",
            ),
            (
                format!(r#"{{"Name": "r", "Actions": [], "NotActions": ["*/write"], {scope}}}"#),
                "Actions",
            ),
            (
                format!(r#"{{"Name": "r", "Permissions": [{{"NotActions": []}}], {scope}}}"#),
                "Permissions[0].Actions",
            ),
            (
                format!(r#"{{"Name": "r", "Permissions": [], {scope}}}"#),
                "Permissions",
            ),
            (
                format!(
                    r#"{{"Name": "r", "Actions": ["Microsoft.Insight/alertRules/*"], {scope}}}"#
                ),
                "Actions[0]",
            ),
            (
                format!(
                    r#"{{"Name": "r", "Permissions": [{{"Actions": ["*/read", "Microsoft.Compute//read"]}}], {scope}}}"#
                ),
                "Permissions[0].Actions[1]",
            ),
            (
                r#"{"Name": "r", "Actions": ["*/read"], "AssignableScopes": ["/subscriptions/x"]}"#
                    .to_string(),
                "AssignableScopes[0]",
            ),
            (
                format!(
                    r#"{{"Name": "r", "Actions": ["*/read"], "Condition": "@Resource[x] == 1", {scope}}}"#
                ),
                "Condition",
            ),
            (
                format!(r#"{{"Name": "r", "Id": "not-a-guid", "Actions": ["*/read"], {scope}}}"#),
                "Id",
            ),
        ];
        for (text, target) in cases {
            let e = parse_err(&text);
            assert_eq!(e.target.as_deref(), Some(target), "{text}: {}", e.message);
        }
    }

    #[test]
    fn comments_and_trailing_commas_are_accepted_as_az_does() {
        let (_, r) = parse_ok(&format!(
            "{{\n  // image role\n  \"Name\": \"r // not a comment\", /* inline */\n  \
             \"Actions\": [\"*/read\", \"Microsoft.Compute/*\",\n  ],\n  \
             \"AssignableScopes\": [\"/subscriptions/{SUB}\",],\n}}\n"
        ));
        assert_eq!(r.role_name, "r // not a comment");
        assert_eq!(r.actions, vec!["*/read", "Microsoft.Compute/*"]);
        let e = parse_err("{\"Name\": \"a,]\", \"Actions\": [,]}");
        assert_eq!(e.target.as_deref(), Some("InputFile"));
    }

    #[test]
    fn invalid_json_reports_line_and_column() {
        let e = parse_err("{\n  \"Name\": \"r\",\n  \"Actions\": [\"*/read\" \"x\"]\n}");
        assert_eq!(e.target.as_deref(), Some("InputFile"));
        assert!(
            e.message.contains("invalid JSON at line 3, column"),
            "{}",
            e.message
        );
        let e = parse_err("[1, 2]");
        assert!(e.message.contains("one JSON object"), "{}", e.message);
        let e = parse_err("{\"Name\": \"r\"");
        assert!(e.message.contains("line 1"), "{}", e.message);
        let e = parse_role_file(&[0x7B, 0xFF, 0x7D]).unwrap_err();
        assert!(e.message.contains("not UTF-8"), "{}", e.message);
    }

    #[test]
    fn id_may_be_a_guid_or_a_full_role_definition_id() {
        let guid = "11111111-2222-3333-4444-555555555555";
        let (_, r) = parse_ok(&format!(
            r#"{{"Name": "r", "Id": "{guid}", "Actions": ["*/read"], "AssignableScopes": ["/subscriptions/{SUB}/resourceGroups/rg"]}}"#
        ));
        assert_eq!(r.name.as_deref(), Some(guid));
        assert_eq!(
            r.id.as_deref(),
            Some(format!("/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.Authorization/roleDefinitions/{guid}").as_str())
        );
        let full = format!(
            "/subscriptions/{SUB}/providers/Microsoft.Authorization/roleDefinitions/{guid}"
        );
        let (_, r) = parse_ok(&format!(
            r#"{{"Name": "r", "Id": "{full}", "Actions": ["*/read"], "AssignableScopes": ["/subscriptions/{SUB}/resourceGroups/rg"]}}"#
        ));
        assert_eq!(r.name.as_deref(), Some(guid));
        assert_eq!(r.id.as_deref(), Some(full.as_str()));
    }

    #[test]
    fn is_custom_false_reads_as_a_built_in_role() {
        let (_, r) = parse_ok(
            r#"{"Name": "Reader", "IsCustom": false, "Actions": ["*/read"], "AssignableScopes": ["/"]}"#,
        );
        assert_eq!(r.role_type, "BuiltInRole");
        let e = parse_err(r#"{"Name": "Mine", "Actions": ["*/read"], "AssignableScopes": ["/"]}"#);
        assert_eq!(e.target.as_deref(), Some("AssignableScopes[0]"));
    }

    #[test]
    fn null_lists_and_nulls_written_by_az_are_accepted() {
        let (_, r) = parse_ok(&format!(
            r#"{{"Name": "r", "Id": null, "IsCustom": true, "Description": null,
                "Actions": ["*/read"], "NotActions": null, "DataActions": null,
                "NotDataActions": null, "AssignableScopes": ["/subscriptions/{SUB}"],
                "Condition": null, "ConditionVersion": null}}"#
        ));
        assert_eq!(r.description, "");
        assert!(r.not_actions.is_empty() && r.data_actions.is_empty());
    }

    proptest::proptest! {
        #[test]
        fn parse_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
            let _ = parse_role_file(&bytes);
        }

        #[test]
        fn parse_never_panics_on_json_like_text(text in r#"[{}\[\]",:a-zA-Z0-9/<> .*-]{0,120}"#) {
            let _ = parse_role_file(text.as_bytes());
        }

        #[test]
        fn rendered_files_parse_back_to_the_same_role(
            name in "[A-Za-z][A-Za-z0-9 ()'&,.-]{0,40}",
            description in "[ -~]{0,60}",
            rg in "[A-Za-z0-9_-]{1,20}",
            n in 1usize..4,
        ) {
            let scope = format!("/subscriptions/{SUB}/resourceGroups/{rg}");
            let all = [
                "Microsoft.Compute/images/read",
                "Microsoft.Network/virtualNetworks/subnets/join/action",
                "*/read",
                "Microsoft.Storage/*",
            ];
            let role = RoleDefinition {
                id: None,
                name: None,
                role_name: name,
                description,
                role_type: "CustomRole".into(),
                actions: all[..n].iter().map(|s| s.to_string()).collect(),
                not_actions: vec![],
                data_actions: vec![],
                not_data_actions: vec![],
                assignable_scopes: vec![scope],
            };
            for format in [RoleFileFormat::Flat, RoleFileFormat::Permissions] {
                let bytes = render_role_file(&role, format).unwrap();
                proptest::prop_assert_eq!(&parse_role_file(&bytes).unwrap().1, &role);
            }
        }
    }

    #[test]
    fn render_refuses_an_invalid_role() {
        let mut role = generated("Networking");
        role.actions.push("Microsoft.Insight/alertRules/*".into());
        let e = render_role_file(&role, RoleFileFormat::Flat).unwrap_err();
        assert_eq!(e.target.as_deref(), Some("Actions[2]"));
    }
}
