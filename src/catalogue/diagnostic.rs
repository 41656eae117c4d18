//! A finding about one place in one file: what validation returns and every renderer consumes.

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

use super::validate::rules::Rule;

/// How serious a finding is. Warnings become errors under `--strict`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth fixing, but the entry is still accepted.
    Warning,
    /// The entry is not accepted until this is fixed.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// A 1-based line and column (in characters) in a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Position {
    /// Line number, starting at 1.
    pub line: usize,
    /// Column in characters, starting at 1.
    pub column: usize,
}

impl Position {
    /// The start of a file.
    pub const START: Position = Position { line: 1, column: 1 };

    /// A position at `line`, `column` (both 1-based).
    pub fn new(line: usize, column: usize) -> Self {
        Position { line, column }
    }
}

/// One finding: a rule broken at a place in a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The file, as the user named it or relative to the catalogue root.
    pub file: PathBuf,
    /// Line of the offending node (1-based).
    pub line: usize,
    /// Column of the offending node (1-based, in characters).
    pub column: usize,
    /// Error or warning (after `--strict` has been applied).
    pub severity: Severity,
    /// Stable rule code, e.g. `NSI005`.
    pub code: &'static str,
    /// JSON pointer of the offending node (`""` for the whole document).
    pub pointer: String,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it, where that helps.
    pub hint: Option<String>,
    /// The text of the offending line, for renderers that show it.
    #[serde(skip)]
    pub source_line: Option<String>,
    /// The JSON pointer of a missing field: such a finding is placed at the object that lacks
    /// it ([`Diagnostic::pointer`]), which has no node of its own.
    #[serde(skip)]
    pub missing: Option<String>,
}

impl Diagnostic {
    /// A finding of `rule` at `position` in `file`, with the rule's own severity.
    pub fn new(
        rule: &Rule,
        file: impl Into<PathBuf>,
        position: Position,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            file: file.into(),
            line: position.line,
            column: position.column,
            severity: rule.severity,
            code: rule.code,
            pointer: String::new(),
            message: message.into(),
            hint: None,
            source_line: None,
            missing: None,
        }
    }

    /// Attach the JSON pointer of the node the finding is about.
    #[must_use]
    pub fn at_pointer(mut self, pointer: impl Into<String>) -> Self {
        self.pointer = pointer.into();
        self
    }

    /// Attach the JSON pointer of the missing field the finding is about, if it is one.
    #[must_use]
    pub fn about_missing(mut self, missing: Option<String>) -> Self {
        self.missing = missing;
        self
    }

    /// Attach a hint saying how to fix the problem.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Attach an optional hint.
    #[must_use]
    pub fn with_optional_hint(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }

    /// Attach the text of the finding's line, taken from `text`, the file's whole text.
    #[must_use]
    pub fn with_source_line(mut self, text: &str) -> Self {
        self.source_line = super::load::line_text(text, self.line).map(str::to_owned);
        self
    }

    /// Where the finding is.
    pub fn position(&self) -> Position {
        Position::new(self.line, self.column)
    }
}
