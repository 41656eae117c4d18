//! `nsi validate --format azure`: Azure Pipelines logging commands
//! (`##vso[task.logissue …]`), so findings show on the file and line in a pipeline run and on
//! a pull request.

use std::io::Write as _;

use super::diagnostics::{annotation_message, ci_summary};
use crate::catalogue::diagnostic::{Diagnostic, Severity};
use crate::catalogue::validate::ValidationReport;

/// Escape a logging command's property or message as Azure Pipelines documents it: `%` first
/// (as `%AZP25`), then CR, LF, `;` and `]`, so no text can end the command or start another.
pub fn escape(text: &str) -> String {
    text.replace('%', "%AZP25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
        .replace(';', "%3B")
        .replace(']', "%5D")
}

/// One finding as a `task.logissue` command.
pub fn logissue_line(diagnostic: &Diagnostic) -> String {
    let kind = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let message = annotation_message(diagnostic);
    format!(
        "##vso[task.logissue type={kind};sourcepath={};linenumber={};columnnumber={};code={}]{}",
        escape(&diagnostic.file.display().to_string()),
        diagnostic.line,
        diagnostic.column,
        escape(diagnostic.code),
        escape(&message)
    )
}

/// Print findings as logging commands, then a plain summary.
pub fn print(report: &ValidationReport) {
    let mut out = std::io::stdout().lock();
    for diagnostic in &report.diagnostics {
        let _ = writeln!(out, "{}", logissue_line(diagnostic));
    }
    let _ = writeln!(out, "{}", ci_summary(report));
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn every_special_character_is_escaped_percent_first() {
        assert_eq!(escape("100%;a]b\r\nc"), "100%AZP25%3Ba%5Db%0D%0Ac");
        // An escape already in the text is not read as one.
        assert_eq!(escape("%3B"), "%AZP253B");
    }
}
