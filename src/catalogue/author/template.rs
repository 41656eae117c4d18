//! The commented template `nsi add` opens in an editor: every field of the schema with its
//! description, required fields holding a placeholder the author replaces, optional ones
//! commented out — and the findings for a placeholder left in.

use std::fmt::Write as _;

use chrono::Months;
use serde_json::{Map, Value};

use super::{Author, CONTACT_MONTHS, field_name, is_kind, resolve};
use crate::catalogue::diagnostic::Diagnostic;
use crate::catalogue::load::EntryFile;
use crate::catalogue::validate::rules;
use crate::catalogue::yaml;

/// The value the template puts in every required field the author must fill.
pub const PLACEHOLDER: &str = "TODO";

/// Report every string still holding the template's placeholder, in place of whatever else
/// was found at the same field.
pub(super) fn placeholders(
    value: &Value,
    file: &EntryFile,
    source_map: &yaml::SourceMap,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut found = Vec::new();
    collect_placeholders(value, String::new(), &mut found);
    for pointer in found {
        diagnostics.retain(|d| d.pointer != pointer);
        let position = source_map.value(&pointer);
        let diagnostic = Diagnostic::new(
            &rules::MISSING_FIELD,
            file.display.clone(),
            position,
            format!(
                "`{}` still holds the placeholder {PLACEHOLDER}",
                field_name(&pointer)
            ),
        )
        .at_pointer(pointer)
        .with_hint("fill it in, or delete the line if the field is optional");
        diagnostics.push(diagnostic);
    }
}

fn collect_placeholders(value: &Value, pointer: String, found: &mut Vec<String>) {
    match value {
        Value::String(s) if s.trim() == PLACEHOLDER => found.push(pointer),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                collect_placeholders(item, format!("{pointer}/{i}"), found);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                let token = yaml::escape_pointer_token(key);
                collect_placeholders(item, format!("{pointer}/{token}"), found);
            }
        }
        _ => {}
    }
}

struct TemplateDates {
    today: String,
    until: String,
}

/// Comment lines of at most about 96 columns, at `indent`.
fn comment(out: &mut String, indent: usize, text: &str) {
    let pad = " ".repeat(indent);
    let width = 96usize.saturating_sub(indent).max(40);
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + word.len() + 1 > width {
            let _ = writeln!(out, "{pad}# {line}");
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        let _ = writeln!(out, "{pad}# {line}");
    }
}

/// The fields of the object schema `node`, at `indent`; `commented` writes them commented
/// out.
fn template_fields(
    out: &mut String,
    root: &Value,
    node: &Value,
    indent: usize,
    commented: bool,
    dates: &TemplateDates,
) {
    let node = resolve(root, node);
    let required: Vec<&str> = node
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let Some(properties) = node.get("properties").and_then(Value::as_object) else {
        return;
    };
    for (i, (key, property)) in properties.iter().enumerate() {
        // The first field of a list item goes on the line of its `- `.
        let item_start = out.ends_with("- ");
        let field_indent = if item_start && i == 0 { 0 } else { indent };
        let resolved = resolve(root, property);
        let description = property
            .get("description")
            .or_else(|| resolved.get("description"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        let mut help_text = description.to_owned();
        if key == "id" {
            help_text.push_str(" Leave it out to make one from the title.");
        }
        if let Some(values) = resolved.get("enum").and_then(Value::as_array) {
            let names: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
            let _ = write!(help_text, " One of: {}.", names.join(", "));
        }
        if field_indent == 0 && item_start {
            // Comments cannot sit between `- ` and the first key: put them before the dash.
            let dash_line_start = out[..out.len() - 2].rfind('\n').map_or(0, |p| p + 1);
            let dash = out.split_off(dash_line_start);
            comment(out, indent.saturating_sub(2), &help_text);
            out.push_str(&dash);
        } else {
            comment(out, indent, &help_text);
        }
        let is_required = required.contains(&key.as_str()) && key != "id";
        let hide = commented || !is_required;
        // At the start of a list item the `# ` (if any) is already before the dash.
        let prefix = if hide && !(item_start && i == 0) {
            "# "
        } else {
            ""
        };
        let pad = " ".repeat(field_indent);
        let date = match key.as_str() {
            "created" | "last_reviewed" | "since" | "date" => Some(&dates.today),
            "valid_until" => Some(&dates.until),
            _ => None,
        };
        if key == "id" {
            let _ = writeln!(out, "{pad}# id:");
        } else if let Some(Value::String(fixed)) = resolved.get("const") {
            // `schema_version`: there is nothing to choose.
            let _ = writeln!(out, "{pad}{prefix}{key}: '{fixed}'");
        } else if let Some(date) = date {
            let _ = writeln!(out, "{pad}{prefix}{key}: '{date}'");
        } else if is_kind(resolved, "object") {
            let _ = writeln!(out, "{pad}{prefix}{key}:");
            template_fields(out, root, resolved, indent + 2, hide, dates);
        } else if is_kind(resolved, "array") {
            let items = resolve(root, resolved.get("items").unwrap_or(&Value::Null));
            let _ = writeln!(out, "{pad}{prefix}{key}:");
            let item_pad = " ".repeat(indent + 2);
            if is_kind(items, "object") {
                let _ = write!(out, "{item_pad}{prefix}- ");
                template_fields(out, root, items, indent + 4, hide, dates);
            } else {
                let _ = writeln!(out, "{item_pad}{prefix}- {PLACEHOLDER}");
            }
        } else {
            let _ = writeln!(out, "{pad}{prefix}{key}: {PLACEHOLDER}");
        }
        if indent == 0 {
            out.push('\n');
        }
    }
}

/// What the schema says a missing field holds: its `const` or `default`, or, for an object,
/// its required fields' (when each has one).
pub(super) fn default_of(root: &Value, node: &Value) -> Option<Value> {
    let node = resolve(root, node);
    if let Some(value) = node.get("const").or_else(|| node.get("default")) {
        return Some(value.clone());
    }
    let required = node.get("required")?.as_array()?;
    let properties = node.get("properties")?.as_object()?;
    let mut map = Map::new();
    for key in required.iter().filter_map(Value::as_str) {
        map.insert(key.to_owned(), default_of(root, properties.get(key)?)?);
    }
    (!map.is_empty()).then_some(Value::Object(map))
}

impl Author {
    /// A template for a new entry: every field of the schema with its description as a
    /// comment; required fields hold [`PLACEHOLDER`] (dates hold today, contact expiry a year
    /// on), optional ones are commented out.
    pub fn template(&self) -> String {
        let schema = &self.reference().schema;
        let mut out = String::new();
        out.push_str(
            "# A new entry for the National Solutions Index.\n\
             # Replace every TODO. Lines starting with # are comments and are not saved.\n\
             # Optional fields are commented out: delete the `# ` before a line to use it.\n\
             # Save and close the editor to check the entry; it is written once it is valid.\n\
             # To give up, delete everything and save.\n\n",
        );
        let until = self
            .today
            .checked_add_months(Months::new(CONTACT_MONTHS))
            .unwrap_or(self.today);
        let dates = TemplateDates {
            today: self.today.format("%Y-%m-%d").to_string(),
            until: until.format("%Y-%m-%d").to_string(),
        };
        template_fields(&mut out, schema, schema, 0, false, &dates);
        out
    }
}
