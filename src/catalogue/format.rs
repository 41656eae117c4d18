//! `nsi fmt`: entry files rewritten in their canonical form (written by `yaml::write`: keys in
//! the schema's order, one style of quoting and lists, long text folded at a fixed width, a
//! trailing newline). Small diffs, and no way for two people to write the same entry
//! differently.
//!
//! Formatting is lossless (the formatted file parses to exactly the same value) and idempotent.
//! Comments cannot be carried through a value, so a file with comments is refused rather than
//! stripped.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use saphyr_parser::{Event, Parser, ScalarStyle};
use serde_json::Value;

use super::diagnostic::{Diagnostic, Position};
use super::durable;
use super::load::{self, EntryFile, LoadError, MAX_FILE_BYTES};
use super::reference::{Reference, ReferenceError};
use super::validate::rules;
use super::yaml::write::inline;
use super::yaml::{self, SourceMap, YamlProblem, to_yaml};

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
    use super::*;

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
