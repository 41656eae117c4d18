//! The canonical form of an entry file: keys in the schema's order, one style of quoting and
//! lists, long text folded at a fixed width, a trailing newline. Small diffs, and no way for two
//! people to write the same entry differently.
//!
//! Formatting is lossless (the formatted file parses to exactly the same value) and idempotent.
//! Comments cannot be carried through a value, so a file with comments is refused rather than
//! stripped.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::schema::resolve_ref as resolve;
use rayon::prelude::*;
use saphyr_parser::{Event, Parser, ScalarStyle};
use serde_json::{Map, Value};

use super::diagnostic::{Diagnostic, Position};
use super::durable;
use super::load::{self, EntryFile, LoadError, MAX_FILE_BYTES};
use super::reference::{Reference, ReferenceError};
use super::validate::rules;
use super::yaml::{self, SourceMap, YamlProblem};

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
    /// A plain scalar reads as a number or true/false whose canonical spelling differs from
    /// the source (`1.10` is the number 1.1): writing it would change the text.
    #[error("`{raw}` at line {}, column {} reads as {written}, and would be written `{written}`", .position.line, .position.column)]
    Respelled {
        /// Where the scalar is.
        position: Position,
        /// What the file says.
        raw: String,
        /// What the canonical form would say.
        written: String,
    },
}

impl FormatError {
    /// Where in the file the problem is.
    pub fn position(&self) -> Position {
        match self {
            FormatError::Yaml(problems) => problems.first().map_or(Position::START, |p| p.position),
            FormatError::Comment(position) | FormatError::Respelled { position, .. } => *position,
        }
    }
}

/// The canonical text of the entry file `source`, or why it cannot be formatted.
pub fn format_source(source: &str, schema: &Value) -> Result<String, FormatError> {
    rewritable_value(source).map(|value| to_yaml(&value, schema))
}

/// The value of the entry file `source` when it can be written back in canonical form without
/// losing anything (clean YAML, no comment, no number whose spelling would change), or why
/// not. `nsi fmt` and `nsi migrate` refuse the same files.
pub fn rewritable_value(source: &str) -> Result<Value, FormatError> {
    let parsed = yaml::parse(source);
    if !parsed.problems.is_empty() {
        return Err(FormatError::Yaml(parsed.problems));
    }
    if let Some(position) = first_comment(source) {
        return Err(FormatError::Comment(position));
    }
    let value = parsed.value.unwrap_or(Value::Null);
    if let Some(error) = respelled(&value, &parsed.source_map, &mut String::new()) {
        return Err(error);
    }
    Ok(value)
}

/// What [`rewritable_value`] checks, for a `source` already read as `value` (clean YAML):
/// its comments, and (reading positions only when `value` holds a number or true/false, which
/// entries seldom do) the spelling of its numbers.
pub fn check_rewritable(source: &str, value: &Value) -> Result<(), FormatError> {
    if let Some(position) = first_comment(source) {
        return Err(FormatError::Comment(position));
    }
    if has_number_or_bool(value) {
        rewritable_value(source)?;
    }
    Ok(())
}

fn has_number_or_bool(value: &Value) -> bool {
    match value {
        Value::Bool(_) | Value::Number(_) => true,
        Value::Array(items) => items.iter().any(has_number_or_bool),
        Value::Object(map) => map.values().any(has_number_or_bool),
        Value::Null | Value::String(_) => false,
    }
}

/// The first number or true/false in `value` (at `pointer`) whose source text differs from the
/// way [`to_yaml`] writes it.
fn respelled(value: &Value, source_map: &SourceMap, pointer: &mut String) -> Option<FormatError> {
    let length = pointer.len();
    let found = match value {
        Value::Bool(_) | Value::Number(_) => {
            let written = inline(value);
            source_map
                .raw_scalar(pointer)
                .filter(|raw| *raw != written)
                .map(|raw| FormatError::Respelled {
                    position: source_map.value(pointer),
                    raw: raw.to_owned(),
                    written,
                })
        }
        Value::Array(items) => items.iter().enumerate().find_map(|(i, item)| {
            pointer.truncate(length);
            let _ = write!(pointer, "/{i}");
            respelled(item, source_map, pointer)
        }),
        Value::Object(map) => map.iter().find_map(|(key, item)| {
            pointer.truncate(length);
            pointer.push('/');
            pointer.push_str(&yaml::escape_pointer_token(key));
            respelled(item, source_map, pointer)
        }),
        Value::Null | Value::String(_) => None,
    };
    pointer.truncate(length);
    found
}

/// Where the first comment of `source` is: a `#` outside every scalar, at the start of a line
/// or after whitespace.
pub fn first_comment(source: &str) -> Option<Position> {
    if !source.contains('#') {
        return None;
    }
    let chars: Vec<char> = source.chars().collect();
    // Character ranges covered by scalars (quoted, block or plain): a `#` inside is content.
    let mut covered: Vec<(usize, usize)> = Vec::new();
    for (event, span) in Parser::new_from_str(source).flatten() {
        if let Event::Scalar(_, style, ..) = event {
            let start = span.start.index();
            // The parser's span of a quoted scalar runs on over the spaces and comment that
            // follow it, so find the closing quote here.
            let end = match style {
                ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
                    quoted_end(&chars, start).unwrap_or(span.end.index())
                }
                _ => span.end.index(),
            };
            covered.push((start, end));
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

/// The index just past the closing quote of the quoted scalar that opens at `start`.
fn quoted_end(chars: &[char], start: usize) -> Option<usize> {
    let quote = *chars.get(start)?;
    let mut i = start + 1;
    while i < chars.len() {
        match chars[i] {
            '\\' if quote == '"' => i += 2,
            '\'' if quote == '\'' && chars.get(i + 1) == Some(&'\'') => i += 2,
            c if c == quote => return Some(i + 1),
            _ => i += 1,
        }
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
            || yaml::parse_value(&format!("k: {text}"))
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

/// Whether to rewrite files or only report which differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormatMode {
    /// Rewrite the files that are not canonical.
    Write,
    /// Write nothing; report the files that are not canonical.
    Check,
}

/// Problems that stop `nsi fmt` before any file is formatted.
#[derive(Debug, thiserror::Error)]
pub enum FormatRunError {
    /// The catalogue or a named path could not be found or listed.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The schema could not be read.
    #[error(transparent)]
    Reference(#[from] ReferenceError),
}

/// Why a file was left alone.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The file could not be read as an entry (too large, not UTF-8, unreadable).
    #[error("{}", .0.message)]
    Unreadable(Box<Diagnostic>),
    /// The file is not clean YAML, has comments, or has a scalar formatting would respell.
    #[error(transparent)]
    Format(FormatError),
    /// The file changed on disk while it was being formatted.
    #[error("the file changed while it was being formatted; run `nsi fmt` again")]
    Changed,
    /// The canonical text could not be written.
    #[error("cannot write the file: {0}")]
    Write(String),
}

impl Refusal {
    /// Where in the file the problem is.
    pub fn position(&self) -> Position {
        match self {
            Refusal::Unreadable(diagnostic) => Position::new(diagnostic.line, diagnostic.column),
            Refusal::Format(error) => error.position(),
            Refusal::Changed | Refusal::Write(_) => Position::START,
        }
    }

    /// Whether the file was refused for what it holds (rather than for a failed write).
    pub fn is_content(&self) -> bool {
        matches!(self, Refusal::Unreadable(_) | Refusal::Format(_))
    }
}

/// What `nsi fmt` did, or would do, with one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileOutcome {
    /// Already canonical; not touched.
    Unchanged,
    /// Not canonical: rewritten ([`FormatMode::Write`]) or reported ([`FormatMode::Check`]).
    Changed,
    /// Left alone, and why.
    Refused(Refusal),
}

/// One file and its outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileFormat {
    /// The file, named as in messages: relative to the catalogue root when inside it.
    pub display: PathBuf,
    /// What happened.
    pub outcome: FileOutcome,
}

/// The outcome of formatting a set of files, in path order.
#[derive(Debug, Default)]
pub struct FormatReport {
    /// Every file considered.
    pub files: Vec<FileFormat>,
}

impl FormatReport {
    /// The files that were (or would be) rewritten.
    pub fn changed(&self) -> impl Iterator<Item = &FileFormat> {
        self.files
            .iter()
            .filter(|f| f.outcome == FileOutcome::Changed)
    }

    /// The files left alone because they could not be formatted, with why.
    pub fn refused(&self) -> impl Iterator<Item = (&FileFormat, &Refusal)> {
        self.files.iter().filter_map(|f| match &f.outcome {
            FileOutcome::Refused(refusal) => Some((f, refusal)),
            _ => None,
        })
    }
}

/// Format the entries of the catalogue under `root`: every entry, or the files under `paths`.
/// Files already canonical are not touched; others are rewritten atomically (a temporary file
/// in the same folder, renamed over the original) keeping their line endings, byte-order mark
/// and permissions. Files that cannot be formatted losslessly are refused, untouched.
pub fn format_catalogue(
    root: &Path,
    paths: &[PathBuf],
    mode: FormatMode,
) -> Result<FormatReport, FormatRunError> {
    let reference = Reference::for_root(root)?;
    // Misplaced files and links leading outside are `nsi validate`'s to report; fmt formats
    // the entries discovery accepts.
    let discovery = if paths.is_empty() {
        load::discover(root)?
    } else {
        load::discover_paths(root, paths)?
    };
    let files = discovery
        .files
        .par_iter()
        .map(|file| FileFormat {
            display: file.display.clone(),
            outcome: format_file(file, &reference.schema, mode),
        })
        .collect();
    Ok(FormatReport { files })
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Format one file (see [`format_catalogue`]).
pub fn format_file(file: &EntryFile, schema: &Value, mode: FormatMode) -> FileOutcome {
    let bytes = match read_bytes(file) {
        Ok(bytes) => bytes,
        Err(refusal) => return FileOutcome::Refused(refusal),
    };
    let text = match load::decode(&bytes) {
        Ok(text) => text,
        Err((position, message)) => {
            let diagnostic =
                Diagnostic::new(&rules::NOT_UTF8, file.display.clone(), position, message);
            return FileOutcome::Refused(Refusal::Unreadable(Box::new(diagnostic)));
        }
    };
    let canonical = match format_source(&text, schema) {
        Ok(canonical) => canonical,
        Err(error) => return FileOutcome::Refused(Refusal::Format(error)),
    };
    let expected = with_file_conventions(&canonical, &bytes);
    if expected == bytes {
        return FileOutcome::Unchanged;
    }
    if mode == FormatMode::Write
        && let Err(refusal) = write_atomically(file, &bytes, &expected)
    {
        return FileOutcome::Refused(refusal);
    }
    FileOutcome::Changed
}

/// The bytes of `file`, refusing files over [`MAX_FILE_BYTES`] unread.
fn read_bytes(file: &EntryFile) -> Result<Vec<u8>, Refusal> {
    let unreadable = |rule, message: String| {
        Refusal::Unreadable(Box::new(Diagnostic::new(
            rule,
            file.display.clone(),
            Position::START,
            message,
        )))
    };
    let bytes = load::read_bounded(&file.path, file.stamp.len).map_err(|e| {
        unreadable(
            &rules::UNREADABLE_FILE,
            format!("cannot read the file: {e}"),
        )
    })?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(unreadable(
            &rules::FILE_TOO_LARGE,
            format!("the file is larger than {MAX_FILE_BYTES} bytes"),
        ));
    }
    Ok(bytes)
}

/// `canonical` (LF line endings, no byte-order mark) with the line endings and byte-order
/// mark of the file `original`: CRLF when its first line ends so, LF otherwise (an empty or
/// one-line file without a line break gets LF). Formatting keeps a file's conventions, so a
/// checkout with CRLF files (Git for Windows' `core.autocrlf`) is not rewritten whole.
pub fn with_file_conventions(canonical: &str, original: &[u8]) -> Vec<u8> {
    let crlf = original
        .iter()
        .position(|&b| b == b'\n')
        .is_some_and(|i| i > 0 && original[i - 1] == b'\r');
    let mut out = Vec::with_capacity(canonical.len() + canonical.len() / 16 + BOM.len());
    if original.starts_with(BOM) {
        out.extend_from_slice(BOM);
    }
    if crlf {
        out.extend_from_slice(canonical.replace('\n', "\r\n").as_bytes());
    } else {
        out.extend_from_slice(canonical.as_bytes());
    }
    out
}

/// Replace the file's content (`original` when it was read) with `bytes` all at once and
/// durably ([`durable::replace`]: a hidden temporary file beside it, given its permissions,
/// synced, renamed over it, and the folder synced), unless it changed meanwhile
/// ([`durable::still_holds`]). A symbolic link is followed, so the link stays a link.
pub fn write_atomically(file: &EntryFile, original: &[u8], bytes: &[u8]) -> Result<(), Refusal> {
    let write = |e: io::Error| Refusal::Write(e.to_string());
    let target = if fs::symlink_metadata(&file.path)
        .map_err(write)?
        .file_type()
        .is_symlink()
    {
        fs::canonicalize(&file.path).map_err(write)?
    } else {
        file.path.clone()
    };
    let metadata = fs::metadata(&target).map_err(write)?;
    if !durable::still_holds(&target, original).map_err(write)? {
        return Err(Refusal::Changed);
    }
    durable::replace(&target, bytes, Some(metadata.permissions())).map_err(write)
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
