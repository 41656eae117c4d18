//! The canonical form of an entry file: keys in the schema's order, one style of quoting and
//! lists, long text folded at a fixed width, a trailing newline. Small diffs, and no way for two
//! people to write the same entry differently.
//!
//! Formatting is lossless (the formatted file parses to exactly the same value) and idempotent.
//! Comments cannot be carried through a value, so a file with comments is refused rather than
//! stripped.

use std::fmt::Write as _;

use saphyr_parser::{Event, Parser};
use serde_json::{Map, Value};

use super::diagnostic::Position;
use super::yaml::{self, YamlProblem};

/// Lines are folded to fit this many columns.
pub const WIDTH: usize = 100;

/// Why a file cannot be formatted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    /// The file is not clean YAML (run `nsi validate`).
    #[error("the file is not valid YAML: {}", .0.first().map_or_else(String::new, |p| p.message.clone()))]
    Yaml(Vec<YamlProblem>),
    /// The file has comments, which formatting would lose.
    #[error("the file has a comment at line {}, column {}; nsi fmt never drops comments", .0.line, .0.column)]
    Comment(Position),
}

/// The canonical text of the entry file `source`, or why it cannot be formatted.
pub fn format_source(source: &str, schema: &Value) -> Result<String, FormatError> {
    let parsed = yaml::parse(source);
    if !parsed.problems.is_empty() {
        return Err(FormatError::Yaml(parsed.problems));
    }
    if let Some(position) = first_comment(source) {
        return Err(FormatError::Comment(position));
    }
    let value = parsed.value.unwrap_or(Value::Null);
    Ok(to_yaml(&value, schema))
}

/// Where the first comment of `source` is: a `#` outside every scalar, at the start of a line
/// or after whitespace.
pub fn first_comment(source: &str) -> Option<Position> {
    // Character ranges covered by scalars (quoted, block or plain): a `#` inside is content.
    let mut covered: Vec<(usize, usize)> = Vec::new();
    for (event, span) in Parser::new_from_str(source).flatten() {
        if let Event::Scalar(..) = event {
            covered.push((span.start.index(), span.end.index()));
        }
    }
    covered.sort_unstable();
    let mut previous = '\n';
    let mut line = 1;
    let mut column = 0;
    for (index, ch) in source.chars().enumerate() {
        column += 1;
        if ch == '#' && (previous == '\n' || previous.is_whitespace()) {
            let inside = covered
                .partition_point(|(start, _)| *start <= index)
                .checked_sub(1)
                .is_some_and(|i| index < covered[i].1);
            if !inside {
                return Some(Position::new(line, column));
            }
        }
        if ch == '\n' {
            line += 1;
            column = 0;
        }
        previous = ch;
    }
    None
}

/// An entry (or any JSON value) as canonical YAML. Object keys follow the order of the
/// schema's `properties` where it has them; other keys keep their order, after those.
pub fn to_yaml(value: &Value, schema: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => write_mapping(&mut out, map, schema, schema, 0),
        other => {
            out.push_str(&inline(other));
            out.push('\n');
        }
    }
    out
}

/// The schema node for the properties of `node` (following a local `$ref`).
fn resolve<'s>(root: &'s Value, node: &'s Value) -> &'s Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(reference) => root
            .pointer(reference.trim_start_matches('#'))
            .unwrap_or(node),
        None => node,
    }
}

fn ordered_keys<'m>(map: &'m Map<String, Value>, schema: &Value) -> Vec<&'m String> {
    let mut keys: Vec<&String> = Vec::with_capacity(map.len());
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        keys.extend(
            properties
                .keys()
                .filter_map(|k| map.get_key_value(k).map(|(key, _)| key)),
        );
    }
    let others: Vec<&String> = map.keys().filter(|k| !keys.contains(k)).collect();
    keys.extend(others);
    keys
}

fn write_mapping(
    out: &mut String,
    map: &Map<String, Value>,
    schema: &Value,
    root: &Value,
    indent: usize,
) {
    let schema = resolve(root, schema);
    for (i, key) in ordered_keys(map, schema).into_iter().enumerate() {
        // The first key of a mapping inside a list shares the line of its `- `.
        if i > 0 || indent == 0 || !out.ends_with("- ") {
            out.push_str(&" ".repeat(indent));
        }
        let child_schema = schema
            .get("properties")
            .and_then(|p| p.get(key.as_str()))
            .unwrap_or(&Value::Null);
        let label = key_text(key);
        write_field(out, &label, &map[key.as_str()], child_schema, root, indent);
    }
}

/// `key: value` (or `key:` and the value on the lines below), at `indent`.
fn write_field(
    out: &mut String,
    key: &str,
    value: &Value,
    schema: &Value,
    root: &Value,
    indent: usize,
) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            let _ = writeln!(out, "{key}:");
            write_mapping(out, map, schema, root, indent + 2);
        }
        Value::Array(items) if !items.is_empty() => {
            let _ = writeln!(out, "{key}:");
            let item_schema = resolve(root, schema).get("items").unwrap_or(&Value::Null);
            write_sequence(out, items, item_schema, root, indent + 2);
        }
        Value::String(text) => write_string(out, &format!("{key}: "), text, indent),
        other => {
            let _ = writeln!(out, "{key}: {}", inline(other));
        }
    }
}

fn write_sequence(out: &mut String, items: &[Value], schema: &Value, root: &Value, indent: usize) {
    for item in items {
        out.push_str(&" ".repeat(indent));
        match item {
            Value::Object(map) if !map.is_empty() => {
                out.push_str("- ");
                write_mapping(out, map, schema, root, indent + 2);
            }
            Value::Array(inner) if !inner.is_empty() => {
                out.push_str("-\n");
                write_sequence(
                    out,
                    inner,
                    resolve(root, schema).get("items").unwrap_or(&Value::Null),
                    root,
                    indent + 2,
                );
            }
            Value::String(text) => write_string(out, "- ", text, indent),
            other => {
                let _ = writeln!(out, "- {}", inline(other));
            }
        }
    }
}

/// A scalar or empty collection on one line.
fn inline(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => quote(s),
        Value::Array(_) => "[]".to_owned(),
        Value::Object(_) => "{}".to_owned(),
    }
}

/// A key as written: plain when it can be, quoted otherwise.
fn key_text(key: &str) -> String {
    if is_plain_safe(key) {
        key.to_owned()
    } else {
        quote(key)
    }
}

/// Write a string value after `lead` (`key: ` or `- `), choosing its style: plain or quoted
/// on one line when it fits, folded (`>-`) when a long line can be wrapped without changing
/// it, literal (`|`) when it has line breaks.
fn write_string(out: &mut String, lead: &str, text: &str, indent: usize) {
    let body_indent = indent + 2;
    if text.contains('\n') && literal_safe(text) {
        let chomp = if text.ends_with("\n\n") {
            "+"
        } else if text.ends_with('\n') {
            ""
        } else {
            "-"
        };
        let _ = writeln!(out, "{lead}|{chomp}");
        let content = text.strip_suffix('\n').unwrap_or(text);
        let content = if chomp == "+" {
            text.trim_end_matches('\n')
        } else {
            content
        };
        for line in content.split('\n') {
            if line.is_empty() {
                out.push('\n');
            } else {
                let _ = writeln!(out, "{}{line}", " ".repeat(body_indent));
            }
        }
        if chomp == "+" {
            for _ in 0..text.len() - text.trim_end_matches('\n').len() - 1 {
                out.push('\n');
            }
        }
        return;
    }
    let single_line = quote(text);
    if indent + lead.len() + single_line.len() <= WIDTH || !folded_safe(text) {
        let _ = writeln!(out, "{lead}{single_line}");
        return;
    }
    let _ = writeln!(out, "{lead}>-");
    for line in wrap(text, WIDTH - body_indent) {
        let _ = writeln!(out, "{}{line}", " ".repeat(body_indent));
    }
}

/// Break `text` at single spaces into lines of at most `width` characters (longer words stay
/// whole).
fn wrap(text: &str, width: usize) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut rest = text;
    while rest.chars().count() > width {
        let limit = rest
            .char_indices()
            .nth(width)
            .map_or(rest.len(), |(i, _)| i);
        let cut = rest[..limit]
            .rfind(' ')
            .or_else(|| rest[limit..].find(' ').map(|i| i + limit));
        match cut {
            Some(cut) if cut > 0 => {
                lines.push(&rest[..cut]);
                rest = &rest[cut + 1..];
            }
            _ => break,
        }
    }
    lines.push(rest);
    lines
}

/// A one-line string can be folded when breaking it at single spaces reads back the same: no
/// leading, trailing or doubled whitespace, no tabs, nothing that is not printable.
fn folded_safe(text: &str) -> bool {
    !text.is_empty()
        && !text.starts_with(' ')
        && !text.ends_with(' ')
        && !text.contains("  ")
        && text
            .chars()
            .all(|c| c == ' ' || (!c.is_whitespace() && !c.is_control()))
}

/// A multi-line string can be a literal block when every character is printable, no line
/// starts with a space (which would need an indentation indicator) and no line ends with
/// spaces or tabs (which editors strip).
fn literal_safe(text: &str) -> bool {
    text.chars().all(|c| c == '\n' || !c.is_control())
        && text
            .lines()
            .all(|line| !line.starts_with([' ', '\t']) && !line.ends_with([' ', '\t']))
        && !text.starts_with('\n')
}

/// Words YAML 1.1 (and so `PyYAML` and `js-yaml`) reads as something other than text.
const AMBIGUOUS_WORDS: &[&str] = &[
    "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~",
];

/// Whether `text` can be written without quotes and read back as the same text by YAML 1.1
/// and 1.2 parsers alike.
fn is_plain_safe(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    let lower = text.to_ascii_lowercase();
    first.is_alphabetic()
        && !AMBIGUOUS_WORDS.contains(&lower.as_str())
        && !lower.starts_with('.')
        && !text.ends_with([' ', ':'])
        && !text.contains(": ")
        && !text.contains(" #")
        && text.chars().all(|c| {
            !c.is_control()
                && !matches!(
                    c,
                    '\t' | '\n' | '\r' | '\u{feff}' | '\u{85}' | '\u{2028}' | '\u{2029}'
                )
        })
        // The last word goes to the parser itself.
        && yaml::parse_value(&format!("k: {text}"))
            .is_some_and(|v| v.get("k") == Some(&Value::String(text.to_owned())))
}

/// `text` as a scalar on one line: plain when safe, single-quoted when printable, otherwise
/// double-quoted with escapes.
fn quote(text: &str) -> String {
    if is_plain_safe(text) {
        return text.to_owned();
    }
    let printable = text
        .chars()
        .all(|c| !c.is_control() && !matches!(c, '\u{feff}' | '\u{85}' | '\u{2028}' | '\u{2029}'));
    if printable && !text.contains('\n') {
        return format!("'{}'", text.replace('\'', "''"));
    }
    // JSON string escapes are valid YAML double-quoted escapes.
    serde_json::to_string(text).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(value: &Value) {
        let text = to_yaml(value, &Value::Null);
        let back = yaml::parse(&text);
        assert!(back.problems.is_empty(), "{text}\n{:?}", back.problems);
        assert_eq!(back.value.as_ref(), Some(value), "{text}");
        assert_eq!(
            to_yaml(back.value.as_ref().unwrap_or(&Value::Null), &Value::Null),
            text,
            "idempotent"
        );
    }

    #[test]
    fn strings_keep_their_exact_value() {
        for text in [
            "plain words",
            "yes",
            "No",
            "2024-01-01",
            "1.10",
            "0x1F",
            "~",
            "null",
            "- dash",
            "key: value",
            "a #not comment",
            "ends with colon:",
            "it's",
            "'quoted'",
            "\"double\"",
            " leading",
            "trailing ",
            "tab\there",
            "line\nbreak",
            "two\n\nparagraphs\n",
            "keep\n\n\n",
            "\u{7}bell",
            "café",
            "[x]",
            "@handle",
            "%percent",
            "&anchor",
            "*alias",
            "!tag",
            "|pipe",
            ">fold",
            "https://x.example/a#b",
            "a@b.example",
            "",
        ] {
            round_trip(&serde_json::json!({ "text": text, "list": [text] }));
        }
    }

    #[test]
    fn long_text_is_folded_and_reads_back_the_same() {
        let long = "word ".repeat(60).trim_end().to_owned();
        let value = serde_json::json!({ "summary": long });
        let text = to_yaml(&value, &Value::Null);
        assert!(text.starts_with("summary: >-\n"), "{text}");
        assert!(text.lines().all(|l| l.chars().count() <= WIDTH));
        round_trip(&value);
    }

    #[test]
    fn comments_are_found_outside_scalars_only() {
        assert_eq!(first_comment("a: 1\n# note\n"), Some(Position::new(2, 1)));
        assert_eq!(first_comment("a: 1 # note\n"), Some(Position::new(1, 6)));
        assert_eq!(
            first_comment("a: 'x #y'\nb: c#d\nc: |\n  # not a comment\n"),
            None
        );
    }
}
