//! Rendering validation findings: for people `file:line:col: error[CODE]: message` and the
//! source line underlined; JSON for programs; workflow commands for GitHub Actions.

use std::io::Write as _;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use anstyle::{AnsiColor, Effects, Style};
use serde::Serialize;

use super::text::{terminal_line, terminal_safe};
use crate::catalogue::diagnostic::{Diagnostic, Severity};
use crate::catalogue::validate::ValidationReport;
use crate::cli::error::CliError;

const BOLD: Style = Style::new().effects(Effects::BOLD);
const GREEN: Style = AnsiColor::Green.on_default().effects(Effects::BOLD);
const RED: Style = AnsiColor::BrightRed.on_default().effects(Effects::BOLD);
const YELLOW: Style = AnsiColor::BrightYellow.on_default().effects(Effects::BOLD);

/// The byte range to underline in `line` from `column`: a key up to its colon, a flow item up to
/// its comma or bracket, otherwise the value up to the end of the line (comments excluded).
fn underline(line: &str, column: usize) -> std::ops::Range<usize> {
    let start = line
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line.len(), |(i, _)| i);
    let rest = &line[start..];
    let key_len = rest
        .find(':')
        .filter(|&i| {
            i > 0
                && rest[..i]
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        })
        .filter(|&i| rest[i + 1..].is_empty() || rest[i + 1..].starts_with(' '));
    let in_flow = line[..start].trim_end().ends_with(['[', '{', ',']);
    let end = if let Some(len) = key_len {
        start + len
    } else if in_flow {
        start + rest.find([',', ']', '}']).unwrap_or(rest.len())
    } else {
        let without_comment = rest.find(" #").map_or(rest, |i| &rest[..i]);
        start + without_comment.trim_end().len()
    };
    start..end.max(start)
}

/// The byte range of `width` characters of `line` from `column` (1-based), as far as the line
/// goes.
fn chars(line: &str, column: usize, width: usize) -> std::ops::Range<usize> {
    let byte = |n: usize| line.char_indices().nth(n).map_or(line.len(), |(i, _)| i);
    let start = byte(column.saturating_sub(1));
    start..byte(column.saturating_sub(1) + width).max(start)
}

/// A source line longer than this many characters is shown as an excerpt around the finding.
const EXCERPT_CHARS: usize = 160;

/// `line` as shown under a finding at `column`: whole when short, else the
/// [`EXCERPT_CHARS`] characters around the column with `…` where it was cut; and the column in
/// what is shown. A hostile file can be one line of 256 KiB: a copy of it per finding (and
/// the time to lay it out) would grow with the square of its length.
fn excerpt(line: &str, column: usize) -> (String, usize) {
    let length = line.chars().count();
    if length <= EXCERPT_CHARS {
        return (line.to_owned(), column);
    }
    let at = column.saturating_sub(1).min(length);
    let start = at
        .saturating_sub(EXCERPT_CHARS / 4)
        .min(length - EXCERPT_CHARS);
    let end = start + EXCERPT_CHARS;
    let mut shown = String::with_capacity(EXCERPT_CHARS * 4 + 8);
    let mut column = at - start + 1;
    if start > 0 {
        shown.push('…');
        column += 1;
    }
    shown.extend(line.chars().skip(start).take(EXCERPT_CHARS));
    if end < length {
        shown.push('…');
    }
    (shown, column)
}

/// A finding on one line, unstyled: `file:line:col: error[NSI003]: message`, for lists of
/// findings inside a larger report (the review); [`render_one`] draws the same line, styled,
/// with the offending line under it.
pub fn headline(diagnostic: &Diagnostic) -> String {
    first_line(diagnostic, Style::new(), Style::new())
}

/// The contract's first line of a finding, its place in `bold` and its severity in `level`.
fn first_line(diagnostic: &Diagnostic, bold: Style, level: Style) -> String {
    format!(
        "{bold}{}:{}:{}:{bold:#} {level}{}[{}]{level:#}{bold}: {}{bold:#}",
        terminal_line(&diagnostic.file.display().to_string()),
        diagnostic.line,
        diagnostic.column,
        diagnostic.severity,
        diagnostic.code,
        terminal_line(&diagnostic.message)
    )
}

/// One finding as text: the contract's first line, `file:line:col: error[NSI003]: message`
/// (the form editors and terminals jump to), then the offending line underlined and any help,
/// as rustc draws them.
pub fn render_one(diagnostic: &Diagnostic, renderer: &Renderer) -> String {
    let (level, style) = match diagnostic.severity {
        Severity::Error => (Level::ERROR, RED),
        Severity::Warning => (Level::WARNING, YELLOW),
    };
    let mut text = first_line(diagnostic, BOLD, style);
    // A tab is shown as `→`, so that a finding about one can be seen (one character for one,
    // so the underline stays in place).
    let source = diagnostic.source_line.as_ref().map(|line| {
        let (shown, column) = excerpt(line.as_str(), diagnostic.column);
        (terminal_safe(&shown.replace('\t', "→")), column)
    });
    let hint = diagnostic.hint.as_deref().map(terminal_line);
    let mut group = Group::with_level(level);
    if let Some((line, column)) = &source {
        let span = match diagnostic.width {
            Some(width) => chars(line, *column, width),
            None => underline(line, *column),
        };
        group = group.element(
            Snippet::source(line.as_str())
                .line_start(diagnostic.line)
                .annotation(AnnotationKind::Primary.span(span)),
        );
    }
    if let Some(hint) = &hint {
        group = group.element(Level::HELP.message(hint.as_str()));
    }
    if source.is_some() || hint.is_some() {
        text.push('\n');
        text.push_str(&renderer.render(&[group]));
    }
    text
}

/// Print findings the way a compiler does, then a summary line.
pub fn human(report: &ValidationReport, quiet: bool) {
    let renderer = Renderer::styled();
    let mut out = anstream::stdout().lock();
    for diagnostic in &report.diagnostics {
        if quiet && diagnostic.severity == Severity::Warning {
            continue;
        }
        let _ = writeln!(out, "{}\n", render_one(diagnostic, &renderer));
    }
    if quiet {
        return;
    }
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    let files_with_errors = {
        let mut files: Vec<_> = report
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| &d.file)
            .collect();
        files.dedup();
        files.len()
    };
    let noun = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let suppressed = match report.suppressed() {
        0 => String::new(),
        n => format!("; {} more not listed", noun(n, "finding")),
    };
    if errors == 0 {
        let _ = writeln!(
            out,
            "{GREEN}ok{GREEN:#}: {} valid, {}{suppressed}",
            noun(report.checked, "entry file"),
            noun(warnings, "warning")
        );
    } else {
        let _ = writeln!(
            out,
            "{RED}failed{RED:#}: {} and {} in {} ({} checked{suppressed})",
            noun(errors, "error"),
            noun(warnings, "warning"),
            noun(files_with_errors, "file"),
            noun(report.checked, "entry file")
        );
        let _ = writeln!(
            out,
            "{BOLD}help{BOLD:#}: `nsi validate --explain CODE` explains a rule"
        );
    }
}

/// The stable JSON shape of `nsi validate --format json`. `errors` and `warnings` count the
/// findings listed; `suppressed` (when not 0) how many more were not listed, past the limits
/// of one rule or one file, each counted by a listed finding's own `suppressed`.
#[derive(Serialize)]
struct JsonReport<'a> {
    checked: usize,
    errors: usize,
    warnings: usize,
    #[serde(skip_serializing_if = "is_zero")]
    suppressed: usize,
    diagnostics: &'a [Diagnostic],
}

#[allow(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes a reference"
)]
fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Print the report as one JSON document.
pub fn json(report: &ValidationReport) -> Result<(), CliError> {
    let shape = JsonReport {
        checked: report.checked,
        errors: report.count(Severity::Error),
        warnings: report.count(Severity::Warning),
        suppressed: report.suppressed(),
        diagnostics: &report.diagnostics,
    };
    let text = crate::cli::render::json::to_string(&shape)?;
    super::output::print(&format!("{text}\n"))
}

/// Escape workflow-command data (`%`, CR, LF).
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a workflow-command property value (also `:` and `,`).
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// One finding as a GitHub Actions workflow command.
pub fn github_line(diagnostic: &Diagnostic) -> String {
    let command = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let message = annotation_message(diagnostic);
    format!(
        "::{command} file={},line={},col={},title={}::{}",
        escape_property(&diagnostic.file.display().to_string()),
        diagnostic.line,
        diagnostic.column,
        escape_property(diagnostic.code),
        escape_data(&message)
    )
}

/// Print findings as workflow commands, then a plain summary.
pub fn github(report: &ValidationReport) {
    let mut out = std::io::stdout().lock();
    for diagnostic in &report.diagnostics {
        let _ = writeln!(out, "{}", github_line(diagnostic));
    }
    let _ = writeln!(out, "{}", ci_summary(report));
}

/// A finding's message with its hint, terminal-safe: the text of a CI annotation (GitHub
/// workflow commands, Azure logging commands), escaped by each for its own syntax.
pub fn annotation_message(diagnostic: &Diagnostic) -> String {
    let mut message = terminal_safe(&diagnostic.message);
    if let Some(hint) = &diagnostic.hint {
        message.push_str("\nhelp: ");
        message.push_str(&terminal_safe(hint));
    }
    message
}

/// The plain line that ends a CI log of findings: how many files, errors and warnings, and
/// how many findings the caps left unlisted.
pub fn ci_summary(report: &ValidationReport) -> String {
    let suppressed = match report.suppressed() {
        0 => String::new(),
        n => format!(", {n} more findings not listed"),
    };
    format!(
        "nsi validate: {} checked, {} errors, {} warnings{suppressed}",
        report.checked,
        report.count(Severity::Error),
        report.count(Severity::Warning)
    )
}

/// Print findings to stderr the way `nsi validate` prints them (for commands whose stdout is
/// something else: `add`, `edit`, `adopt`, `import`, the editor loop).
pub fn eprint(found: &[Diagnostic]) {
    anstream::eprint!("{}", listing(found, false));
}

/// Findings as `nsi validate` prints them, each followed by a blank line; without warnings
/// when `quiet`.
pub fn listing(found: &[Diagnostic], quiet: bool) -> String {
    let renderer = Renderer::styled();
    let mut text = String::new();
    for diagnostic in found {
        if quiet && diagnostic.severity == Severity::Warning {
            continue;
        }
        text.push_str(&render_one(diagnostic, &renderer));
        text.push_str("\n\n");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::excerpt;

    #[test]
    fn a_long_line_is_shown_around_the_finding() {
        assert_eq!(excerpt("short: line", 8), ("short: line".to_owned(), 8));
        let line = format!("z: [{}]", vec!["*a"; 50_000].join(","));
        let (shown, column) = excerpt(&line, 5 + 3 * 30_000);
        assert_eq!(
            shown.chars().count(),
            super::EXCERPT_CHARS + 2,
            "with an ellipsis at each end"
        );
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        let at: String = shown.chars().skip(column - 1).take(2).collect();
        assert_eq!(
            at, "*a",
            "the column points at the same text in the excerpt"
        );
        // At the very start or end, one ellipsis.
        let (start, column) = excerpt(&line, 5);
        assert!(!start.starts_with('…') && start.ends_with('…'));
        assert_eq!(column, 5);
        let (end, _) = excerpt(&line, line.chars().count());
        assert!(end.starts_with('…') && end.ends_with("*a]"));
    }
}
