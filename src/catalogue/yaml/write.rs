//! The canonical YAML writer: an entry (or any JSON value) as the one text nsi writes for it —
//! keys in the schema's order, one style of quoting and lists, long text folded at a fixed
//! width, a trailing newline. `nsi fmt` (`format.rs`), `nsi add`, `nsi edit`, `nsi adopt` and
//! `nsi migrate` all write through [`to_yaml`]; the reader beside it reads the text back to the
//! same value.

use std::fmt::Write as _;

use serde_json::{Map, Value};

use crate::catalogue::schema::resolve_ref as resolve;

/// Lines are folded to fit this many columns.
pub const WIDTH: usize = 100;

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

fn ordered_keys<'m>(map: &'m Map<String, Value>, schema: &Value) -> Vec<&'m String> {
    let mut keys: Vec<&String> = Vec::with_capacity(map.len());
    let properties = schema.get("properties").and_then(Value::as_object);
    if let Some(properties) = properties {
        keys.extend(
            properties
                .keys()
                .filter_map(|k| map.get_key_value(k).map(|(key, _)| key)),
        );
    }
    // A lookup rather than a scan of `keys`: a mapping of n keys costs n, not n².
    keys.extend(
        map.keys()
            .filter(|k| properties.is_none_or(|p| !p.contains_key(k.as_str()))),
    );
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
pub fn inline(value: &Value) -> String {
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
/// whole). Each line costs its own length, never the rest's: time is linear in the text.
fn wrap(text: &str, width: usize) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut rest = text;
    // The byte offset of the first character past `width`, while there is one.
    while let Some((limit, _)) = rest.char_indices().nth(width) {
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

/// Whether `c` can stand unescaped in any scalar style: printable for YAML 1.2, and not a line
/// break, tab or byte-order mark for any YAML 1.1 or 1.2 reader.
fn is_raw_safe(c: char) -> bool {
    matches!(c, ' '..='~' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
        && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}')
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
            .all(|c| c == ' ' || (is_raw_safe(c) && !c.is_whitespace()))
}

/// A multi-line string can be a literal block when every character is printable, its first
/// line does not start with a space or tab (which would need an indentation indicator) and no
/// line ends with spaces or tabs (which editors strip). Later lines may be indented: a literal
/// block keeps their leading spaces.
fn literal_safe(text: &str) -> bool {
    text.chars()
        .all(|c| c == '\n' || c == '\t' || is_raw_safe(c))
        && !text.starts_with(['\n', ' ', '\t'])
        && text.split('\n').all(|line| !line.ends_with([' ', '\t']))
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
        && text.chars().all(is_raw_safe)
        // The last word goes to the parser itself, unless only letters, digits, spaces and
        // punctuation that means nothing inside a plain scalar are used (the common case).
        && (text.chars().all(|c| c.is_alphanumeric() || " -.,()/'&;+_".contains(c))
            || super::parse_value(&format!("k: {text}"))
            .is_some_and(|v| v.get("k") == Some(&Value::String(text.to_owned()))))
}

/// `text` as a scalar on one line: plain when safe, single-quoted when printable, otherwise
/// double-quoted with escapes.
fn quote(text: &str) -> String {
    if is_plain_safe(text) {
        return text.to_owned();
    }
    if text.chars().all(is_raw_safe) {
        return format!("'{}'", text.replace('\'', "''"));
    }
    double_quoted(text)
}

/// `text` double-quoted, with every character that is not [raw-safe](is_raw_safe) escaped.
fn double_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            '\u{85}' => out.push_str("\\N"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            c if is_raw_safe(c) => out.push(c),
            // Everything else that is not raw-safe lies below U+10000.
            c => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {

    /// Lines of at most the width (a longer word alone), joined back the text; a long text
    /// is broken in time that grows with it, not with its square.
    #[test]
    fn wrap_breaks_at_spaces_and_reads_back_the_same() {
        let text = "a word or two, then averyveryverylongwordthatdoesnotfit and more words";
        let lines = wrap(text, 12);
        assert_eq!(lines.join(" "), text);
        for line in &lines {
            assert!(
                line.chars().count() <= 12 || !line.contains(' '),
                "{line:?}"
            );
        }
        let long = "wörd ".repeat(400_000);
        let long = long.trim_end();
        let started = std::time::Instant::now();
        let lines = wrap(long, 80);
        // Sixteen words (79 characters) a line.
        assert_eq!(lines.len(), 25_000);
        assert_eq!(lines.join(" "), long);
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }

    use super::*;

    fn round_trip(value: &Value) {
        let text = to_yaml(value, &Value::Null);
        let back = crate::catalogue::yaml::parse(&text);
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
}
