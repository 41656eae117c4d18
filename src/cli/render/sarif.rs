//! `nsi validate --format sarif`: SARIF 2.1.0, the format GitHub code scanning (and other
//! static-analysis viewers) read. The rules come from the rule catalogue that generates
//! RULES.md; results name files relative to the repository root, as code scanning requires.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::{Value, json};

use crate::catalogue::diagnostic::{Diagnostic, Severity};
use crate::catalogue::validate::{ValidationReport, rules};
use crate::cli::error::CliError;

/// Where the schema of SARIF 2.1.0 is published (the `$schema` every SARIF file names).
const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// `path` as a relative URI reference: `/` between parts, every byte outside the unreserved
/// set percent-encoded, so a file name with a space or `#` stays one path.
fn uri_of(prefix: &Path, file: &Path) -> String {
    let joined = crate::catalogue::load::display_relative(&prefix.join(file));
    let mut out = String::new();
    for byte in joined.to_string_lossy().bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

fn rule_descriptor(rule: &rules::Rule) -> Value {
    json!({
        "id": rule.code,
        "name": rule.name,
        "shortDescription": { "text": rule.summary },
        "fullDescription": { "text": rule.explanation },
        "help": {
            "text": format!("{}\n\n{}", rule.summary, rule.explanation),
            "markdown": format!("**{} `{}`**: {}\n\n{}", rule.code, rule.name, rule.summary, rule.explanation),
        },
        "defaultConfiguration": { "level": level(rule.severity) },
    })
}

fn result(diagnostic: &Diagnostic, prefix: &Path) -> Value {
    let mut message = diagnostic.message.clone();
    if let Some(hint) = &diagnostic.hint {
        message.push_str("\nhelp: ");
        message.push_str(hint);
    }
    let mut result = json!({
        "ruleId": diagnostic.code,
        "level": level(diagnostic.severity),
        "message": { "text": message },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {
                    "uri": uri_of(prefix, &diagnostic.file),
                    "uriBaseId": "%SRCROOT%",
                },
                "region": {
                    "startLine": diagnostic.line.max(1),
                    "startColumn": diagnostic.column.max(1),
                },
            },
        }],
    });
    if let Some(index) = rules::ALL.iter().position(|r| r.code == diagnostic.code) {
        result["ruleIndex"] = json!(index);
    }
    result
}

/// The report as one SARIF 2.1.0 log. `prefix` is where the catalogue root lies in the
/// repository (files are named relative to the repository root).
pub fn log(report: &ValidationReport, prefix: &Path) -> Value {
    json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "nsi",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": rules::ALL.iter().map(|rule| rule_descriptor(rule)).collect::<Vec<_>>(),
                },
            },
            // nsi counts columns in characters, not the UTF-16 code units SARIF assumes.
            "columnKind": "unicodeCodePoints",
            "results": report.diagnostics.iter().map(|d| result(d, prefix)).collect::<Vec<_>>(),
        }],
    })
}

/// Print the report as SARIF.
pub fn print(report: &ValidationReport, prefix: &Path) -> Result<(), CliError> {
    let text = crate::cli::render::json::to_string(&log(report, prefix))?;
    super::output::print(&format!("{text}\n"))
}
