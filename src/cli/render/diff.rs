//! Rendering a catalogue diff: text for a terminal (colour when wanted), Markdown for a pull
//! request, JSON for scripts. Entry text is untrusted: terminal-safe in text, escaped in
//! Markdown.

use std::fmt::Write as _;

use anstyle::{AnsiColor, Effects, Style};
use serde_json::Value;

use super::text::{markdown_cell, markdown_code, markdown_code_cell, terminal_safe};
use crate::catalogue::diff::{
    CatalogueDiff, Change, ChangeKind, EntryChange, FieldChange, WordOp, WordRun,
};

const HEADING: Style = Style::new().effects(Effects::BOLD);
const INSERT: Style = AnsiColor::Green.on_default();
const DELETE: Style = AnsiColor::Red.on_default().effects(Effects::STRIKETHROUGH);
const FIELD: Style = AnsiColor::Cyan.on_default();

/// Values longer than this are cut short in a one-line rendering.
const VALUE_CHARS: usize = 120;

/// Equal runs of more words than this are shortened in a word diff, keeping context.
const CONTEXT_WORDS: usize = 6;

/// A value on one line: strings bare, lists comma-separated, mappings as `key: value`.
pub fn value_line(value: &Value) -> String {
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Null => "(none)".to_owned(),
        Value::Array(items) => items.iter().map(value_line).collect::<Vec<_>>().join(", "),
        Value::Object(fields) => fields
            .iter()
            .map(|(k, v)| format!("{k}: {}", value_line(v)))
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    };
    shorten(&text.replace(['\n', '\r'], " "), VALUE_CHARS)
}

fn shorten(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(limit.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// An equal run of words shortened to its first and last few words (only the side next to a
/// change is kept: the first run keeps its end, the last its start), spacing at the edges kept.
fn elide(text: &str, first: bool, last: bool) -> String {
    let flat = text.replace(['\n', '\r'], " ");
    let words: Vec<&str> = flat.split_whitespace().collect();
    if words.len() <= CONTEXT_WORDS * 2 {
        return flat;
    }
    let lead = if flat.starts_with(' ') { " " } else { "" };
    let trail = if flat.ends_with(' ') { " " } else { "" };
    let before = if first {
        String::new()
    } else {
        format!("{lead}{} ", words[..CONTEXT_WORDS].join(" "))
    };
    let after = if last {
        String::new()
    } else {
        format!(" {}{trail}", words[words.len() - CONTEXT_WORDS..].join(" "))
    };
    format!("{before}…{after}")
}

/// A word diff on one line, marked up by `mark(op, text)`; long equal runs elided.
fn word_line(words: &[WordRun], mark: impl Fn(WordOp, &str) -> String) -> String {
    let mut out = String::new();
    for (i, run) in words.iter().enumerate() {
        match run.op {
            WordOp::Equal => out.push_str(&mark(
                WordOp::Equal,
                &elide(&run.text, i == 0, i + 1 == words.len()),
            )),
            op => out.push_str(&mark(op, run.text.trim())),
        }
        if run.op != WordOp::Equal && words.get(i + 1).is_some_and(|n| n.op == WordOp::Equal) {
            // keep the space that separated the change from the following words
            if !out.ends_with(' ') && !words[i + 1].text.starts_with(' ') {
                out.push(' ');
            }
        }
    }
    out
}

fn kind_label(kind: ChangeKind) -> (char, Style) {
    match kind {
        ChangeKind::Added => ('+', INSERT),
        ChangeKind::Removed => ('-', AnsiColor::Red.on_default()),
        ChangeKind::Modified => ('~', AnsiColor::Yellow.on_default()),
        ChangeKind::Moved | ChangeKind::Renamed => ('>', AnsiColor::Blue.on_default()),
    }
}

/// "3 added, 1 modified" or "no entries changed".
pub fn counts(diff: &CatalogueDiff) -> String {
    let counts = diff.counts();
    if counts.is_empty() {
        return "no entries changed".to_owned();
    }
    counts
        .iter()
        .map(|(kind, n)| format!("{n} {}", kind.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The diff for a terminal.
pub fn text(diff: &CatalogueDiff) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{HEADING}{} → {}{HEADING:#}: {}",
        terminal_safe(&diff.base),
        terminal_safe(&diff.head),
        counts(diff)
    );
    for entry in &diff.entries {
        out.push('\n');
        entry_text(&mut out, entry);
    }
    out
}

/// One entry's change for a terminal.
pub fn entry_text(out: &mut String, entry: &EntryChange) {
    let (sign, style) = kind_label(entry.kind);
    let id = match &entry.old_id {
        Some(old) => format!("{} → {}", terminal_safe(old), terminal_safe(&entry.id)),
        None => terminal_safe(&entry.id),
    };
    let _ = writeln!(
        out,
        "{style}{sign} {:<8}{style:#} {HEADING}{id}{HEADING:#}  {}",
        entry.kind.as_str(),
        terminal_safe(&entry.title)
    );
    let place = match &entry.old_path {
        Some(old) => format!("{} → {}", old.display(), entry.path.display()),
        None => entry.path.display().to_string(),
    };
    let _ = writeln!(out, "    {}", terminal_safe(&place));
    if let Some(reason) = &entry.unreadable {
        let _ = writeln!(out, "    (fields not compared: {})", terminal_safe(reason));
    }
    fields_text(out, &entry.fields, "    ");
}

/// Changed fields for a terminal, one a line, each line starting with `indent`.
pub fn fields_text(out: &mut String, fields: &[FieldChange], indent: &str) {
    for field in fields {
        let name = terminal_safe(&field.field);
        let line = match &field.change {
            Change::Added { new } => format!("{INSERT}+ {}{INSERT:#}", safe_value(new)),
            Change::Removed { old } => format!("{DELETE}- {}{DELETE:#}", safe_value(old)),
            Change::Changed { old, new } => format!(
                "{DELETE}{}{DELETE:#} → {INSERT}{}{INSERT:#}",
                safe_value(old),
                safe_value(new)
            ),
            Change::Items { added, removed } => {
                let mut parts = Vec::new();
                parts.extend(
                    added
                        .iter()
                        .map(|v| format!("{INSERT}+ {}{INSERT:#}", safe_value(v))),
                );
                parts.extend(
                    removed
                        .iter()
                        .map(|v| format!("{DELETE}- {}{DELETE:#}", safe_value(v))),
                );
                parts.join("  ")
            }
            Change::Text { words, .. } => word_line(words, |op, text| {
                let text = terminal_safe(text);
                match op {
                    WordOp::Equal => text,
                    WordOp::Insert => format!("{INSERT}{{+{text}+}}{INSERT:#}"),
                    WordOp::Delete => format!("{DELETE}[-{text}-]{DELETE:#}"),
                }
            }),
        };
        let _ = writeln!(out, "{indent}{FIELD}{name}{FIELD:#}: {line}");
    }
}

fn safe_value(value: &Value) -> String {
    terminal_safe(&value_line(value))
}

fn md_value(value: &Value) -> String {
    markdown_cell(&value_line(value))
}

/// The diff as Markdown, for a pull-request comment: a heading per entry and a table of its
/// changed fields. `level` is the heading level for entries (`###` = 3).
pub fn markdown_entries(out: &mut String, diff: &CatalogueDiff, level: usize) {
    let hashes = "#".repeat(level);
    for entry in &diff.entries {
        let id = match &entry.old_id {
            Some(old) => format!("`{}` → `{}`", code(old), code(&entry.id)),
            None => format!("`{}`", code(&entry.id)),
        };
        let kind = entry.kind.as_str();
        let mut kind_title = kind.to_owned();
        if let Some(first) = kind_title.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        let _ = writeln!(
            out,
            "\n{hashes} {kind_title}: {id} — {}\n",
            markdown_cell(&entry.title)
        );
        let place = match &entry.old_path {
            Some(old) => format!(
                "`{}` → `{}`",
                code(&old.display().to_string()),
                code(&entry.path.display().to_string())
            ),
            None => format!("`{}`", code(&entry.path.display().to_string())),
        };
        let _ = writeln!(out, "{place}");
        if let Some(reason) = &entry.unreadable {
            let _ = writeln!(out, "\nFields not compared: {}", markdown_cell(reason));
        }
        if entry.fields.is_empty() {
            continue;
        }
        fields_markdown(out, &entry.fields);
    }
}

/// Changed fields as a Markdown table.
pub fn fields_markdown(out: &mut String, fields: &[FieldChange]) {
    out.push_str("\n| Field | Before | After |\n|---|---|---|\n");
    for field in fields {
        let (before, after) = match &field.change {
            Change::Added { new } => ("—".to_owned(), md_value(new)),
            Change::Removed { old } => (md_value(old), "—".to_owned()),
            Change::Changed { old, new } => (md_value(old), md_value(new)),
            Change::Items { added, removed } => (
                removed
                    .iter()
                    .map(|v| format!("− {}", md_value(v)))
                    .collect::<Vec<_>>()
                    .join("<br>"),
                added
                    .iter()
                    .map(|v| format!("+ {}", md_value(v)))
                    .collect::<Vec<_>>()
                    .join("<br>"),
            ),
            Change::Text { words, .. } => (
                "(word diff)".to_owned(),
                word_line(words, |op, text| {
                    let text = markdown_cell(text);
                    match op {
                        WordOp::Equal => text,
                        WordOp::Insert => format!("<ins>{text}</ins>"),
                        WordOp::Delete => format!("<del>{text}</del>"),
                    }
                }),
            ),
        };
        let _ = writeln!(
            out,
            "| `{}` | {before} | {after} |",
            markdown_code_cell(&field.field)
        );
    }
}

/// Text for inside a Markdown code span outside a table ([`markdown_code`]).
pub fn code(text: &str) -> String {
    markdown_code(text)
}

/// The whole diff as Markdown.
pub fn markdown(diff: &CatalogueDiff) -> String {
    let mut out = format!(
        "## Catalogue changes: {}\n\n{} → {}\n",
        counts(diff),
        markdown_cell(&diff.base),
        markdown_cell(&diff.head)
    );
    markdown_entries(&mut out, diff, 3);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::diff::word_diff;

    #[test]
    fn long_equal_runs_are_elided_around_a_change() {
        let old =
            "one two three four five six seven eight nine ten eleven twelve thirteen fourteen end";
        let new = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen finish";
        let line = word_line(&word_diff(old, new), |op, text| match op {
            WordOp::Equal => text.to_owned(),
            WordOp::Insert => format!("{{+{text}+}}"),
            WordOp::Delete => format!("[-{text}-]"),
        });
        assert_eq!(
            line,
            "… nine ten eleven twelve thirteen fourteen [-end-]{+finish+}"
        );
    }

    #[test]
    fn values_render_on_one_line() {
        let value = serde_json::json!([{"type": "business-case", "availability": "on-request"}]);
        assert_eq!(
            value_line(&value),
            "type: business-case, availability: on-request"
        );
    }
}
