//! A finding about one place in one file: what validation returns and every renderer consumes.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;

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
    /// The offending line, for renderers that show it: a place in the file's text, which
    /// every finding in the file shares (a copy of the line per finding would grow with the
    /// square of a long line).
    #[serde(skip)]
    pub source_line: Option<SourceLine>,
    /// The JSON pointer of a missing field: such a finding is placed at the object that lacks
    /// it ([`Diagnostic::pointer`]), which has no node of its own.
    #[serde(skip)]
    pub missing: Option<String>,
    /// How many characters of its line the finding covers from its column, when the finder
    /// knows (a CSV cell); otherwise a renderer judges from the line (a YAML key or value).
    #[serde(skip)]
    pub width: Option<usize>,
    /// How many more findings of the same rule in the same file this one stands for: they were
    /// not listed, past [`MAX_FINDINGS_PER_RULE`] or [`MAX_FINDINGS_PER_FILE`] (0 for an
    /// ordinary finding; in JSON only when not 0).
    #[serde(skip_serializing_if = "is_zero")]
    pub suppressed: usize,
}

#[allow(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes a reference"
)]
fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// One line of a file's text, shared: the text is held once per file however many findings
/// show its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLine {
    text: Arc<str>,
    range: Range<usize>,
}

impl SourceLine {
    /// Line `line` (1-based) of `text`, without its line ending; `None` past the end.
    pub fn of(text: &Arc<str>, line: usize) -> Option<Self> {
        let mut start = 0;
        for _ in 1..line {
            start += text.get(start..)?.find('\n')? + 1;
        }
        Self::starting_at(text, start)
    }

    /// The line of `text` that starts at byte `start` (a character boundary), without its
    /// line ending (`\n`, `\r\n` or a bare `\r`); `None` past the end.
    pub fn starting_at(text: &Arc<str>, start: usize) -> Option<Self> {
        let rest = text.get(start..)?;
        let end = start + rest.find(['\n', '\r']).unwrap_or(rest.len());
        Some(SourceLine {
            text: Arc::clone(text),
            range: start..end.max(start),
        })
    }

    /// The line's text.
    pub fn as_str(&self) -> &str {
        &self.text[self.range.clone()]
    }
}

/// Give each finding in `diagnostics` that has no source line its line of `text` (one copy of
/// the text, shared by all of them).
pub fn attach_source_lines(diagnostics: &mut [Diagnostic], text: &str) {
    let mut shared: Option<Arc<str>> = None;
    for diagnostic in diagnostics.iter_mut().filter(|d| d.source_line.is_none()) {
        let text = shared.get_or_insert_with(|| Arc::from(text));
        diagnostic.source_line = SourceLine::of(text, diagnostic.line);
    }
}

/// At most this many findings of one rule are listed for one file; the rest are counted in
/// one finding that says how many more there are. A file of 80,000 aliases on one line
/// would otherwise make 80,000 findings, each rendered with that line.
pub const MAX_FINDINGS_PER_RULE: usize = 20;

/// At most this many findings are listed for one file (besides the ones that count the rest).
pub const MAX_FINDINGS_PER_FILE: usize = 100;

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
            width: None,
            suppressed: 0,
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

    /// Say that the finding stands for `more` findings of its rule besides itself, not listed.
    #[must_use]
    pub fn counting(mut self, more: usize) -> Self {
        self.suppressed = more;
        self
    }

    /// Where the finding is.
    pub fn position(&self) -> Position {
        Position::new(self.line, self.column)
    }
}

/// What ends the message of a finding that stands for `count` more of rule `code`.
fn more_suffix(code: &str, count: usize) -> String {
    format!(
        " (and {count} more {code} finding{} in this file, not listed)",
        if count == 1 { "" } else { "s" }
    )
}

/// The message of a finding whose own message is `message` and that stands for `count` more
/// findings of rule `code` in the same file.
pub fn counting_more(message: &str, code: &str, count: usize) -> String {
    format!("{message}{}", more_suffix(code, count))
}

/// Keep at most [`MAX_FINDINGS_PER_RULE`] findings of each rule and [`MAX_FINDINGS_PER_FILE`] in
/// all, in file order, from the findings of one file; the rest of each rule are counted in the
/// first of them ([`Diagnostic::suppressed`], and its message says how many). Findings that
/// already count others (the YAML reader's) are merged into the count.
pub fn cap_findings(diagnostics: &mut Vec<Diagnostic>) {
    let counting = diagnostics.iter().any(|d| d.suppressed > 0);
    if diagnostics.len() <= MAX_FINDINGS_PER_RULE && !counting {
        return;
    }
    diagnostics.sort_by(|a, b| (a.line, a.column, a.code).cmp(&(b.line, b.column, b.code)));
    let mut per_rule: BTreeMap<&'static str, usize> = BTreeMap::new();
    // Per rule: the first finding not listed (its message without any count), and how many
    // findings it stands for besides itself.
    let mut rest: BTreeMap<&'static str, (Diagnostic, usize)> = BTreeMap::new();
    let mut kept = Vec::with_capacity(diagnostics.len().min(MAX_FINDINGS_PER_FILE));
    for mut diagnostic in diagnostics.drain(..) {
        let listed = per_rule.entry(diagnostic.code).or_default();
        if diagnostic.suppressed == 0
            && *listed < MAX_FINDINGS_PER_RULE
            && kept.len() < MAX_FINDINGS_PER_FILE
        {
            *listed += 1;
            kept.push(diagnostic);
            continue;
        }
        let more = std::mem::take(&mut diagnostic.suppressed);
        if more > 0 {
            let suffix = more_suffix(diagnostic.code, more);
            if let Some(own) = diagnostic.message.strip_suffix(&suffix).map(str::len) {
                diagnostic.message.truncate(own);
            }
        }
        match rest.get_mut(diagnostic.code) {
            Some((first, count)) => {
                *count += 1 + more;
                first.severity = first.severity.max(diagnostic.severity);
            }
            None => {
                rest.insert(diagnostic.code, (diagnostic, more));
            }
        }
    }
    for (code, (mut first, count)) in rest {
        if count > 0 {
            first.message = counting_more(&first.message, code, count);
            first.suppressed = count;
        }
        kept.push(first);
    }
    kept.sort_by(|a, b| (a.line, a.column, a.code).cmp(&(b.line, b.column, b.code)));
    *diagnostics = kept;
}

/// A rule: its stable code, its default severity and how to explain it to a user (the
/// table of every rule is `validate::rules`).
#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    /// Stable code, e.g. `NSI005`.
    pub code: &'static str,
    /// Short kebab-case name, e.g. `duplicate-key`.
    pub name: &'static str,
    /// Severity before `--strict` is applied.
    pub severity: Severity,
    /// What the rule checks, in one line.
    pub summary: &'static str,
    /// Why the rule exists and how to fix a finding.
    pub explanation: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rules of the tests' own: the table of nsi's rules is above this module.
    const ALIAS: Rule = test_rule("NSI006");
    const DUPLICATE_KEY: Rule = test_rule("NSI005");
    const TEN: [Rule; 10] = [
        test_rule("T01"),
        test_rule("T02"),
        test_rule("T03"),
        test_rule("T04"),
        test_rule("T05"),
        test_rule("T06"),
        test_rule("T07"),
        test_rule("T08"),
        test_rule("T09"),
        test_rule("T10"),
    ];

    const fn test_rule(code: &'static str) -> Rule {
        Rule {
            code,
            name: "test",
            severity: Severity::Error,
            summary: "",
            explanation: "",
        }
    }

    fn finding(rule: &Rule, line: usize) -> Diagnostic {
        Diagnostic::new(rule, "f.yaml", Position::new(line, 1), format!("at {line}"))
    }

    #[test]
    fn a_rule_lists_at_most_twenty_and_the_next_counts_the_rest() {
        let mut found: Vec<Diagnostic> = (1..=500)
            .map(|line| finding(&ALIAS, line))
            .chain([finding(&DUPLICATE_KEY, 7)])
            .collect();
        cap_findings(&mut found);
        let aliases: Vec<&Diagnostic> = found.iter().filter(|d| d.code == "NSI006").collect();
        assert_eq!(aliases.len(), MAX_FINDINGS_PER_RULE + 1);
        let last = aliases.last().expect("the one that counts");
        assert_eq!((last.line, last.suppressed), (21, 479));
        assert_eq!(
            last.message,
            "at 21 (and 479 more NSI006 findings in this file, not listed)"
        );
        // Another rule keeps its own findings, in file order.
        assert_eq!(found.iter().filter(|d| d.code == "NSI005").count(), 1);
        assert!(found.windows(2).all(|w| w[0].line <= w[1].line));
        // Capping again changes nothing, and a count made earlier (by the YAML reader) is
        // merged, never wrapped twice.
        let before = found.clone();
        cap_findings(&mut found);
        assert_eq!(found, before);
        let mut more = before.clone();
        more.extend((600..610).map(|line| finding(&ALIAS, line)));
        cap_findings(&mut more);
        let last = more.iter().rfind(|d| d.code == "NSI006").expect("counted");
        assert_eq!(last.suppressed, 489);
        assert_eq!(
            last.message,
            "at 21 (and 489 more NSI006 findings in this file, not listed)"
        );
    }

    #[test]
    fn a_file_lists_at_most_a_hundred() {
        let mut found: Vec<Diagnostic> = TEN
            .iter()
            .flat_map(|rule| (1..=15).map(|line| finding(rule, line)))
            .collect();
        cap_findings(&mut found);
        let counted: usize = found.iter().map(|d| d.suppressed).sum();
        assert_eq!(found.len() + counted, 150);
        assert!(found.iter().filter(|d| d.suppressed == 0).count() <= MAX_FINDINGS_PER_FILE);
    }

    #[test]
    fn findings_share_their_files_text() {
        let text: Arc<str> = Arc::from("one\r\ntwo\nthree");
        let lines: Vec<SourceLine> = (1..=3)
            .map(|n| SourceLine::of(&text, n).expect("a line"))
            .collect();
        assert_eq!(
            lines.iter().map(SourceLine::as_str).collect::<Vec<_>>(),
            ["one", "two", "three"]
        );
        assert_eq!(SourceLine::of(&text, 4), None);
        assert_eq!(Arc::strong_count(&text), 4, "one text, not a copy per line");
    }
}
