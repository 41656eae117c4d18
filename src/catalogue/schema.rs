//! The compiled JSON Schema, and the translation of its errors into findings that name a rule,
//! point at the right YAML node and say what to do.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{JsonType, Validator};
use serde_json::Value;

use super::suggest;
use super::validate::rules::{self, Rule};
use super::yaml::{escape_pointer_token, json_kind};

/// A finding before it is placed in a file: rule, pointer, whether it is about the key (rather
/// than the value) at the pointer, message and hint. Positions are looked up only for files
/// that have findings, so valid files are parsed once, without positions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule broken.
    pub rule: &'static Rule,
    /// JSON pointer of the node.
    pub pointer: String,
    /// Point at the key that introduces the node rather than at its value.
    pub at_key: bool,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
    /// The pointer of the missing field, for a finding about one (placed at `pointer`, the
    /// object that lacks it).
    pub missing: Option<String>,
    /// How many more findings of the same rule this one stands for (see [`CappedFindings`]).
    pub suppressed: usize,
}

/// At most this many findings of a rule are collected from one file, in the order they are
/// found (the order of the file); past it they are only counted. Far more than are listed
/// ([`crate::catalogue::diagnostic::MAX_FINDINGS_PER_RULE`]), so that the ones listed are
/// chosen by position from among them, but a bound: a file of 100,000 wrongly typed list
/// items costs a count, not 100,000 findings and the positions of each.
pub const COLLECT_PER_RULE: usize = 1_000;

/// Findings being collected, at most [`COLLECT_PER_RULE`] of a rule: the last one kept counts
/// the rest in [`Finding::suppressed`]. (The count is of findings before the schema's
/// one-per-node pruning, so past the bound it may count a node twice.)
#[derive(Debug, Default)]
pub struct CappedFindings {
    findings: Vec<Finding>,
    /// Per rule: how many are kept, and the index of the last one kept.
    per_rule: HashMap<&'static str, (usize, usize)>,
}

impl CappedFindings {
    /// Start from `findings` (already within the bound).
    pub fn from_vec(findings: Vec<Finding>) -> Self {
        let mut capped = CappedFindings::default();
        capped.extend(findings);
        capped
    }

    /// Add a finding, or count it when its rule has reached the bound.
    pub fn push(&mut self, finding: Finding) {
        let (kept, last) = self.per_rule.entry(finding.rule.code).or_default();
        if *kept < COLLECT_PER_RULE {
            *kept += 1;
            *last = self.findings.len();
            self.findings.push(finding);
        } else if let Some(counting) = self.findings.get_mut(*last) {
            counting.suppressed += 1 + finding.suppressed;
        }
    }

    /// Add every finding of `findings`.
    pub fn extend(&mut self, findings: impl IntoIterator<Item = Finding>) {
        for finding in findings {
            self.push(finding);
        }
    }

    /// Keep only the findings `keep` accepts (those dropped take their counts with them).
    pub fn retain(&mut self, keep: impl FnMut(&Finding) -> bool) {
        self.findings.retain(keep);
        self.per_rule.clear();
        let findings = std::mem::take(&mut self.findings);
        self.extend(findings);
    }

    /// The findings collected.
    pub fn into_vec(self) -> Vec<Finding> {
        self.findings
    }

    /// Whether none was found.
    pub fn is_empty(&self) -> bool {
        self.findings.is_empty()
    }
}

/// A problem with the schema itself (exit code 2).
#[derive(Debug, thiserror::Error)]
#[error("schema/solution.schema.json is not a valid draft 2020-12 schema: {0}")]
pub struct SchemaError(String);

/// One field of the entry schema, compiled on its own: for a prompt to judge an answer as it
/// is typed, by the same keywords and format checks as the entry it goes into.
#[derive(Clone)]
pub struct FieldCheck {
    validator: std::sync::Arc<Validator>,
    format: Option<String>,
}

impl FieldCheck {
    /// The check of the schema node at `pointer` (e.g.
    /// `/properties/contacts/items/properties/email`), with the schema's `$defs` for its
    /// references; none when there is no such node, it is not a text field (a list typed as
    /// text, comma-separated, is judged once it is split) or it does not compile.
    pub fn at(schema: &Value, pointer: &str) -> Option<Self> {
        let resolved = resolve_ref(schema, schema.pointer(pointer)?);
        if resolved.get("type").and_then(Value::as_str) != Some("string") {
            return None;
        }
        let mut node = schema.pointer(pointer)?.clone();
        if let (Some(object), Some(defs)) = (node.as_object_mut(), schema.get("$defs")) {
            object.insert("$defs".to_owned(), defs.clone());
        }
        let validator = jsonschema::draft202012::options()
            .should_validate_formats(true)
            .build(&node)
            .ok()?;
        let format = resolved
            .get("format")
            .and_then(Value::as_str)
            .map(str::to_owned);
        Some(FieldCheck {
            validator: std::sync::Arc::new(validator),
            format,
        })
    }

    /// Why `value` is not what the field takes, in a few words naming the rule; none when it
    /// is.
    pub fn problem(&self, value: &Value) -> Option<String> {
        if self.validator.is_valid(value) {
            return None;
        }
        Some(match self.format.as_deref() {
            Some("email") => format!("not an email address ({})", rules::BAD_FORMAT.code),
            Some(format) => format!("not a valid {format} ({})", rules::BAD_FORMAT.code),
            None => format!(
                "not in the form this field takes ({})",
                rules::BAD_FORMAT.code
            ),
        })
    }
}

/// The entry schema, compiled once and shared by every file checked.
pub struct EntrySchema {
    validator: Validator,
    /// Field descriptions and allowed keys, by instance path with indices replaced by `*`.
    fields: HashMap<String, FieldInfo>,
}

#[derive(Debug, Default, Clone)]
struct FieldInfo {
    description: Option<String>,
    /// The description of the shared definition the field refers to, which says what form a
    /// value takes (`An http or https URL.`).
    form: Option<String>,
    properties: Vec<String>,
}

impl EntrySchema {
    /// Compile `schema` (draft 2020-12, formats checked).
    pub fn compile(schema: &Value) -> Result<Self, SchemaError> {
        jsonschema::meta::validate(schema).map_err(|error| SchemaError(error.to_string()))?;
        let validator = jsonschema::draft202012::options()
            .should_validate_formats(true)
            .build(schema)
            .map_err(|error| SchemaError(error.to_string()))?;
        let mut fields = HashMap::new();
        collect_fields(schema, schema, String::new(), &mut fields, 0);
        Ok(EntrySchema { validator, fields })
    }

    /// The description of the field at `pointer` (indices may be concrete), from the schema.
    pub fn description(&self, pointer: &str) -> Option<&str> {
        self.fields
            .get(&generalise(pointer))
            .and_then(|f| f.description.as_deref())
    }

    /// What form a value at `pointer` takes: the shared definition's description, else the
    /// field's own.
    fn form(&self, pointer: &str) -> Option<&str> {
        let info = self.fields.get(&generalise(pointer))?;
        info.form.as_deref().or(info.description.as_deref())
    }

    /// Every finding for `instance`: one per node, the most telling when a value breaks
    /// several keywords at once (a URL without `https://` is a form error, not also a format
    /// error).
    ///
    /// At most [`COLLECT_PER_RULE`] findings of a rule are kept; the last counts the rest.
    pub fn check(&self, instance: &Value) -> Vec<Finding> {
        let mut capped = CappedFindings::default();
        for error in self.validator.iter_errors(instance) {
            let pointer = error.instance_path().as_str().to_owned();
            capped.extend(self.translate(error.kind(), error.instance(), &pointer));
        }
        let mut findings = capped.into_vec();
        findings.sort_by_key(|f| (f.pointer.clone(), f.at_key, precedence(f.rule)));
        findings.dedup_by(|later, kept| {
            let same_node = !later.at_key
                && !kept.at_key
                && later.pointer == kept.pointer
                && precedence(later.rule) < 9;
            if same_node {
                kept.suppressed += later.suppressed;
            }
            same_node
        });
        findings
    }

    #[allow(
        clippy::too_many_lines,
        reason = "one arm per schema keyword reads best as one match"
    )]
    fn translate(
        &self,
        kind: &ValidationErrorKind,
        instance: &Value,
        pointer: &str,
    ) -> Vec<Finding> {
        let finding = |rule, message: String, hint: Option<String>| Finding {
            rule,
            pointer: pointer.to_owned(),
            at_key: false,
            message,
            hint,
            missing: None,
            suppressed: 0,
        };
        let field = field_name(pointer);
        let about_a_value = !matches!(
            kind,
            ValidationErrorKind::Required { .. } | ValidationErrorKind::AdditionalProperties { .. }
        );
        if instance.is_null() && about_a_value {
            return vec![Finding {
                rule: &rules::EXPLICIT_NULL,
                pointer: pointer.to_owned(),
                at_key: true,
                message: format!("`{field}` has no value"),
                hint: Some("fill it in, or remove the key if the field is optional".into()),
                missing: None,
                suppressed: 0,
            }];
        }
        match kind {
            ValidationErrorKind::Required { property } => {
                let name = property.as_str().unwrap_or_default();
                let child = format!("{pointer}/{}", escape_pointer_token(name));
                let hint = self.description(&child).map(|d| format!("`{name}`: {d}"));
                let within = if pointer.is_empty() {
                    "the entry".to_owned()
                } else {
                    format!("`{}`", display_pointer(pointer))
                };
                vec![Finding {
                    missing: Some(child),
                    suppressed: 0,
                    ..finding(
                        &rules::MISSING_FIELD,
                        format!("missing required field `{name}` in {within}"),
                        hint,
                    )
                }]
            }
            ValidationErrorKind::AdditionalProperties { unexpected } => unexpected
                .iter()
                .map(|key| {
                    let known = self
                        .fields
                        .get(&generalise(pointer))
                        .map(|f| f.properties.clone())
                        .unwrap_or_default();
                    let hint = suggest::hint(key, known.iter().map(String::as_str))
                        .unwrap_or_else(|| format!("known fields here: {}", known.join(", ")));
                    Finding {
                        rule: &rules::UNKNOWN_FIELD,
                        pointer: format!("{pointer}/{}", escape_pointer_token(key)),
                        at_key: true,
                        message: format!("unknown field `{key}`"),
                        hint: Some(hint),
                        missing: None,
                        suppressed: 0,
                    }
                })
                .collect(),
            ValidationErrorKind::Type { kind } => {
                let expected = match kind {
                    TypeKind::Single(t) => type_name(*t).to_owned(),
                    TypeKind::Multiple(set) => {
                        set.iter().map(type_name).collect::<Vec<_>>().join(" or ")
                    }
                };
                let hint = (matches!(instance, Value::Number(_) | Value::Bool(_))
                    && expected == "text")
                    .then(|| format!("quote it to make it text: `{field}: '{instance}'`"));
                vec![finding(
                    &rules::WRONG_TYPE,
                    format!(
                        "`{field}` should be {expected}, not {}",
                        json_kind(instance)
                    ),
                    hint,
                )]
            }
            ValidationErrorKind::Enum { options } => {
                let options: Vec<&str> = options
                    .as_array()
                    .map(|a| a.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                let shown = short(instance);
                let hint = instance
                    .as_str()
                    .and_then(|s| suggest::hint(s, options.iter().copied()));
                vec![finding(
                    &rules::NOT_ALLOWED_VALUE,
                    format!(
                        "`{field}` is {shown}, which is not one of: {}",
                        options.join(", ")
                    ),
                    hint,
                )]
            }
            ValidationErrorKind::Pattern { .. } => {
                let hint = self.form(pointer).map(str::to_owned);
                vec![finding(
                    &rules::BAD_FORM,
                    format!("`{field}` has the wrong form: {}", short(instance)),
                    hint,
                )]
            }
            ValidationErrorKind::Format { format } => {
                let what = match format.as_str() {
                    "date" => "a valid date (YYYY-MM-DD, a day that exists)",
                    "email" => "a valid email address",
                    "uri" => "an absolute URL",
                    other => other,
                };
                vec![finding(
                    &rules::BAD_FORMAT,
                    format!("`{field}` is {}, which is not {what}", short(instance)),
                    None,
                )]
            }
            ValidationErrorKind::MinLength { limit } => vec![finding(
                &rules::BAD_LENGTH,
                format!(
                    "`{field}` is too short: at least {limit} characters, found {}",
                    char_count(instance)
                ),
                self.description(pointer).map(str::to_owned),
            )],
            ValidationErrorKind::MaxLength { limit } => vec![finding(
                &rules::BAD_LENGTH,
                format!(
                    "`{field}` is too long: at most {limit} characters, found {}",
                    char_count(instance)
                ),
                None,
            )],
            ValidationErrorKind::MinItems { limit } => vec![finding(
                &rules::BAD_LENGTH,
                format!(
                    "`{field}` needs at least {limit} item{}",
                    if *limit == 1 { "" } else { "s" }
                ),
                self.description(pointer).map(str::to_owned),
            )],
            ValidationErrorKind::MaxItems { limit } => vec![finding(
                &rules::BAD_LENGTH,
                format!(
                    "`{field}` has {} items; at most {limit} allowed",
                    instance.as_array().map_or(0, Vec::len)
                ),
                None,
            )],
            ValidationErrorKind::UniqueItems => {
                let (index, item) = first_repeat(instance);
                vec![Finding {
                    rule: &rules::DUPLICATE_ITEM,
                    pointer: format!("{pointer}/{index}"),
                    at_key: false,
                    message: format!("`{field}` lists {item} more than once"),
                    hint: Some("remove the repeat".into()),
                    missing: None,
                    suppressed: 0,
                }]
            }
            ValidationErrorKind::AnyOf { .. } if pointer.starts_with("/research/") => {
                vec![finding(
                    &rules::MISSING_FIELD,
                    format!("`{field}` needs a `url` or a `doi`"),
                    None,
                )]
            }
            other => vec![finding(
                &rules::SCHEMA,
                format!("`{field}`: {}", describe_other(other)),
                None,
            )],
        }
    }
}

fn describe_other(kind: &ValidationErrorKind) -> String {
    format!("does not satisfy the schema keyword `{}`", kind.keyword())
}

fn type_name(t: JsonType) -> &'static str {
    match t {
        JsonType::Array => "a list",
        JsonType::Boolean => "true/false",
        JsonType::Integer => "a whole number",
        JsonType::Null => "empty",
        JsonType::Number => "a number",
        JsonType::Object => "a mapping",
        JsonType::String => "text",
    }
}

fn char_count(value: &Value) -> usize {
    value.as_str().map_or(0, |s| s.chars().count())
}

/// A value for a message: quoted, and cut short when long.
fn short(value: &Value) -> String {
    match value {
        Value::String(s) => {
            let cut: String = s.chars().take(60).collect();
            if cut.len() < s.len() {
                format!("`{cut}…`")
            } else {
                format!("`{s}`")
            }
        }
        other => format!("`{other}`"),
    }
}

/// The index of the first item that repeats an earlier one, and the item for messages.
fn first_repeat(value: &Value) -> (usize, String) {
    let mut seen = BTreeSet::new();
    value
        .as_array()
        .and_then(|items| {
            items
                .iter()
                .enumerate()
                .find(|(_, item)| !seen.insert(item.to_string()))
        })
        .map_or((0, "an item".to_owned()), |(index, item)| {
            (index, short(item))
        })
}

/// Which finding to keep when one value breaks several keywords: lower wins.
fn precedence(rule: &Rule) -> u8 {
    match rule.code {
        "NSI215" => 0,
        "NSI103" => 1,
        "NSI104" => 2,
        "NSI105" => 3,
        "NSI106" => 4,
        "NSI107" => 5,
        "NSI108" | "NSI101" | "NSI102" => 9,
        _ => 8,
    }
}

/// The last token of a pointer, as a field name for messages (`contacts[1].email`).
fn field_name(pointer: &str) -> String {
    if pointer.is_empty() {
        return "the entry".to_owned();
    }
    display_pointer(pointer)
}

/// `/contacts/1/email` → `contacts[1].email`.
pub fn display_pointer(pointer: &str) -> String {
    let mut out = String::new();
    for token in pointer.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        if token.bytes().all(|b| b.is_ascii_digit()) && !token.is_empty() {
            let _ = write!(out, "[{token}]");
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&token);
        }
    }
    out
}

/// `/contacts/1/email` → `/contacts/*/email`.
fn generalise(pointer: &str) -> String {
    pointer
        .split('/')
        .map(|t| {
            if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
                "*"
            } else {
                t
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The schema node `node` stands for, following a local `$ref` (`#/$defs/slug`).
pub fn resolve_ref<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(reference) => root
            .pointer(reference.trim_start_matches('#'))
            .unwrap_or(node),
        None => node,
    }
}

/// Walk the schema's `properties` and `items`, recording each field's description and, for
/// mappings, the allowed keys.
fn collect_fields(
    root: &Value,
    node: &Value,
    path: String,
    out: &mut HashMap<String, FieldInfo>,
    depth: usize,
) {
    if depth > 16 {
        return;
    }
    let target = resolve_ref(root, node);
    let description = node
        .get("description")
        .or_else(|| target.get("description"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let form = node
        .get("$ref")
        .and(target.get("description"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let mut info = FieldInfo {
        description,
        form,
        properties: Vec::new(),
    };
    if let Some(properties) = target.get("properties").and_then(Value::as_object) {
        info.properties = properties.keys().cloned().collect();
        for (name, child) in properties {
            collect_fields(
                root,
                child,
                format!("{path}/{}", escape_pointer_token(name)),
                out,
                depth + 1,
            );
        }
    }
    if let Some(items) = target.get("items") {
        collect_fields(root, items, format!("{path}/*"), out, depth + 1);
    }
    out.insert(path, info);
}
