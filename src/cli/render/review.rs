//! Rendering the gatekeeper's review: Markdown for a pull-request comment, text for a
//! terminal, JSON for scripts. Entry text is escaped (Markdown) or made terminal-safe.

use std::fmt::Write as _;

use anstyle::{AnsiColor, Effects, Style};
use serde::Serialize;

use super::diagnostics::headline;
use super::diff::{code, counts, entry_text, fields_markdown, fields_text, markdown_entries};
use super::text::{markdown_cell, markdown_code_cell, terminal_line};
use crate::catalogue::config::Enforcement;
use crate::catalogue::git::PathStatus;
use crate::catalogue::review::{CheckItem, Review};
use crate::cli::error::CliError;
use crate::cli::render::migrate::{impact_markdown, impact_text};

/// The first line of every review comment: the workflow finds its earlier comment by it and
/// updates that instead of adding another.
pub const MARKER: &str = "<!-- nsi-review -->";

const HEADING: Style = Style::new().effects(Effects::BOLD);
const PASS: Style = AnsiColor::Green.on_default();
const FAIL: Style = AnsiColor::Red.on_default().effects(Effects::BOLD);
const WARN: Style = AnsiColor::Yellow.on_default();

/// The heading of the section listing every changed file that is not an entry.
pub const RULES_HEADING: &str =
    "Rules and tooling changed: a gatekeeper must approve these on their own";

fn status(status: PathStatus) -> &'static str {
    match status {
        PathStatus::Added => "added",
        PathStatus::Modified => "modified",
        PathStatus::Deleted => "deleted",
    }
}

fn verdict(review: &Review) -> String {
    if review.passed() {
        "ready for the gatekeeper: no blockers".to_owned()
    } else {
        let n = review.blockers.len();
        format!("{n} {} to fix", if n == 1 { "blocker" } else { "blockers" })
    }
}

fn mark(item: &CheckItem) -> &'static str {
    match (item.passed, item.severity) {
        (true, _) => "pass",
        (false, Enforcement::Blocker) => "FAIL",
        (false, _) => "warn",
    }
}

/// The possible duplicates, for a terminal.
fn duplicates_text(out: &mut String, review: &Review) {
    if !review.duplicates.is_empty() {
        let _ = writeln!(out, "\n{HEADING}Possible duplicates{HEADING:#}");
        for dup in &review.duplicates {
            for s in &dup.similar {
                let _ = writeln!(
                    out,
                    "  {} resembles {} ({}, {}), similarity {:.2}",
                    terminal_line(&dup.id),
                    terminal_line(&s.id),
                    terminal_line(&s.title),
                    terminal_line(&s.owner_force),
                    s.score
                );
            }
        }
    }
}

/// The adopters to tell, for a terminal.
fn tell_text(out: &mut String, review: &Review) {
    if review.tell.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{HEADING}Adopters to tell{HEADING:#}");
    for tell in &review.tell {
        let _ = write!(
            out,
            "  {}: tell {}",
            terminal_line(&tell.id),
            terminal_line(&adopter_list(tell))
        );
        if !tell.teams.is_empty() {
            let _ = write!(out, " ({})", terminal_line(&tell.teams.join(" ")));
        }
        out.push('\n');
    }
}

/// The adopters to tell, for a pull-request comment, their teams mentioned.
fn tell_markdown(out: &mut String, review: &Review) {
    if review.tell.is_empty() {
        return;
    }
    out.push_str("\n### Adopters to tell\n\n");
    for tell in &review.tell {
        // Team names were checked to be `@org/team` when read from CODEOWNERS, so they
        // mention those teams and nothing else.
        let cc = if tell.teams.is_empty() {
            String::new()
        } else {
            format!(" — cc {}", tell.teams.join(" "))
        };
        let _ = writeln!(
            out,
            "- `{}`: {}{cc}",
            code(&tell.id),
            markdown_cell(&adopter_list(tell))
        );
    }
}

/// `essex (piloting), suffolk (adopted)`.
fn adopter_list(tell: &crate::catalogue::review::Tell) -> String {
    tell.adopters
        .iter()
        .map(|(force, status)| format!("{force} ({status})"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The verdict on a migration pull request, in one sentence. It holds numbers and the base
/// schema's version (digits and dots), nothing a pull request wrote, so it needs no escaping.
fn migration_sentence(review: &Review) -> Option<String> {
    let migration = review.migration.as_ref()?;
    let people: usize = migration.forces.iter().map(|f| f.needs_person.len()).sum();
    Some(format!(
        "Migration pull request: each of the {} changed {} is exactly what `nsi migrate` makes \
         of the base's version{} ({} {}; {} {} a person)",
        migration.entries,
        if migration.entries == 1 {
            "entry"
        } else {
            "entries"
        },
        migration
            .to
            .as_deref()
            .map_or_else(String::new, |to| format!(" for schema {to}")),
        migration.forces.len(),
        if migration.forces.len() == 1 {
            "force"
        } else {
            "forces"
        },
        people,
        if people == 1 {
            "field needs"
        } else {
            "fields need"
        },
    ))
}

/// The revision whose schema and reference lists judged the entries of a migration that
/// brings them.
fn brought_revision(review: &Review) -> Option<&str> {
    review
        .migration
        .as_ref()?
        .brings_rules
        .as_ref()
        .map(|b| b.revision.as_str())
}

/// Whose rules judged the pull request, for a pull-request comment.
fn judged_with_markdown(out: &mut String, review: &Review) {
    if review.rules_from.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\nJudged with the rules of {}{}.",
        markdown_cell(&review.rules_from),
        brought_revision(review)
            .map(|r| {
                format!(
                    "; the migrated entries with the schema and reference lists of {}",
                    markdown_cell(r)
                )
            })
            .unwrap_or_default()
    );
}

/// What a migration that brings the rules it migrates to asks of the gatekeepers, with the
/// revision (which a person named, so the caller escapes it) put in by `revision`.
fn brought_rules_note(review: &Review, revision: impl Fn(&str) -> String) -> Option<String> {
    let migration = review.migration.as_ref()?;
    let brought = migration.brings_rules.as_ref()?;
    let versions = match (&brought.from, &migration.to) {
        (Some(from), Some(to)) if from != to => format!(" (schema {from} → {to})"),
        _ => String::new(),
    };
    Some(format!(
        "It also brings the rules it migrates to{versions}, listed under \"Rules and tooling changed\": \
         the gatekeepers approve that change on its own merits. The migrated entries were judged \
         with the schema and reference lists of {}, since the base's cannot read them; \
         `nsi.toml` and CODEOWNERS are the base's",
        revision(&brought.revision)
    ))
}

/// The migration verdict and its impact by force, for a terminal.
fn migration_text(out: &mut String, review: &Review) {
    if let (Some(sentence), Some(migration)) = (migration_sentence(review), &review.migration) {
        let _ = writeln!(out, "\n{PASS}{sentence}.{PASS:#}");
        if let Some(note) = brought_rules_note(review, terminal_line) {
            let _ = writeln!(out, "{WARN}{note}.{WARN:#}");
        }
        impact_text(out, &migration.forces, "  ");
    }
}

/// The migration verdict and its impact by force, for a pull-request comment.
fn migration_markdown(out: &mut String, review: &Review) {
    if let (Some(sentence), Some(migration)) = (migration_sentence(review), &review.migration) {
        let _ = writeln!(
            out,
            "\n### 🔁 {sentence}\n\nThe gatekeeper need not read each file: nsi ran the \
             migration on the base's version of every changed entry and got exactly this pull \
             request's.\n"
        );
        if let Some(note) = brought_rules_note(review, |r| format!("`{}`", code(r))) {
            let _ = writeln!(out, "⚠️ {note}.\n");
        }
        impact_markdown(out, &migration.forces, 4);
    }
}

/// Every changed entry, field by field, for a terminal; a migration's changes are summed up
/// force by force instead.
fn changes_text(out: &mut String, review: &Review) {
    // A migration's changes are summed up above, force by force, not listed entry by entry.
    if !review.diff.entries.is_empty() && review.migration.is_none() {
        let _ = writeln!(out, "\n{HEADING}Changes{HEADING:#}");
        for entry in &review.diff.entries {
            let mut block = String::new();
            entry_text(&mut block, entry);
            for line in block.lines() {
                let _ = writeln!(out, "  {line}");
            }
        }
    }
}

/// The exceptions claimed, for a terminal.
fn exceptions_text(out: &mut String, review: &Review) {
    if review.exceptions_claimed.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{HEADING}Exceptions claimed{HEADING:#}");
    for e in &review.exceptions_claimed {
        let _ = writeln!(
            out,
            "  {}: {} silenced until {}: {}",
            terminal_line(&e.id),
            terminal_line(&e.rule),
            terminal_line(&e.until),
            terminal_line(&e.reason)
        );
    }
}

/// The exceptions claimed, for a pull-request comment.
fn exceptions_markdown(out: &mut String, review: &Review) {
    if review.exceptions_claimed.is_empty() {
        return;
    }
    out.push_str(
        "\n### Exceptions claimed\n\nWarnings silenced for one entry each: accept the reason, \
         or ask for the entry to be fixed.\n\n| entry | rule | until | reason |\n|---|---|---|---|\n",
    );
    for e in &review.exceptions_claimed {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} |",
            markdown_code_cell(&e.id),
            markdown_cell(&e.rule),
            markdown_cell(&e.until),
            markdown_cell(&e.reason)
        );
    }
}

/// The changed files that are not entries, for a terminal.
fn files_text(out: &mut String, review: &Review) {
    if review.files.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{WARN}{RULES_HEADING}{WARN:#}");
    for file in &review.files {
        let _ = writeln!(
            out,
            "  {:<8} {} ({})",
            status(file.status),
            terminal_line(&file.path),
            file.role.describe()
        );
        fields_text(out, &file.fields, "      ");
    }
}

/// The changed files that are not entries, for a pull-request comment.
fn files_markdown(out: &mut String, review: &Review) {
    if review.files.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n### ⚠️ {RULES_HEADING}\n");
    for file in &review.files {
        let _ = writeln!(
            out,
            "- {} `{}` ({})",
            status(file.status),
            code(&file.path),
            file.role.describe()
        );
    }
    for file in review.files.iter().filter(|f| !f.fields.is_empty()) {
        let _ = writeln!(out, "\n#### `{}`", code(&file.path));
        fields_markdown(out, &file.fields);
    }
}

/// What the gatekeeper will see of a pull request about to be opened, for `nsi publish`: the
/// verdict, blockers, findings, standards not met and possible duplicates (the entries
/// themselves are listed by the publication's plan).
pub fn preview(review: &Review) -> String {
    let mut out = String::new();
    let style = if review.passed() { PASS } else { FAIL };
    let _ = writeln!(
        out,
        "\n{style}The gatekeeper's review (nsi review {} {}): {}{style:#}",
        terminal_line(&review.diff.base),
        terminal_line(&review.diff.head),
        verdict(review)
    );
    for blocker in &review.blockers {
        let _ = writeln!(out, "  blocker: {}", terminal_line(blocker));
    }
    for d in review.findings.iter().flat_map(|f| &f.diagnostics) {
        let _ = writeln!(out, "  {}", headline(d));
    }
    // Failed blocker standards are among the blockers already.
    for checklist in &review.checklists {
        for item in checklist
            .items
            .iter()
            .filter(|i| !i.passed && i.severity != Enforcement::Blocker)
        {
            let _ = writeln!(
                out,
                "  {} {}: {} ({})",
                mark(item),
                terminal_line(&checklist.id),
                item.requirement,
                terminal_line(&item.detail)
            );
        }
    }
    for dup in &review.duplicates {
        for s in &dup.similar {
            let _ = writeln!(
                out,
                "  possible duplicate: {} resembles {} ({}, {}), similarity {:.2}",
                terminal_line(&dup.id),
                terminal_line(&s.id),
                terminal_line(&s.title),
                terminal_line(&s.owner_force),
                s.score
            );
        }
    }
    exceptions_text(&mut out, review);
    files_text(&mut out, review);
    out
}

/// The review for a terminal.
pub fn text(review: &Review) -> String {
    let mut out = String::new();
    let style = if review.passed() { PASS } else { FAIL };
    let _ = writeln!(
        out,
        "{style}Review: {}{style:#}\n{} → {}: {}",
        verdict(review),
        terminal_line(&review.diff.base),
        terminal_line(&review.diff.head),
        counts(&review.diff)
    );
    if !review.rules_from.is_empty() {
        let _ = writeln!(
            out,
            "Judged with the rules of {}{}",
            terminal_line(&review.rules_from),
            brought_revision(review)
                .map(|r| format!(
                    "; the migrated entries with the schema and reference lists of {}",
                    terminal_line(r)
                ))
                .unwrap_or_default()
        );
    }
    migration_text(&mut out, review);
    if !review.blockers.is_empty() {
        let _ = writeln!(out, "\n{HEADING}Blockers{HEADING:#}");
        for blocker in &review.blockers {
            let _ = writeln!(out, "  - {}", terminal_line(blocker));
        }
    }
    files_text(&mut out, review);
    for checklist in &review.checklists {
        let _ = writeln!(
            out,
            "\n{HEADING}Minimum standards: {}{HEADING:#}",
            terminal_line(&checklist.id)
        );
        for item in &checklist.items {
            let style = match mark(item) {
                "pass" => PASS,
                "FAIL" => FAIL,
                _ => WARN,
            };
            let _ = writeln!(
                out,
                "  {style}{:<4}{style:#} {} ({})",
                mark(item),
                item.requirement,
                terminal_line(&item.detail)
            );
        }
    }
    if !review.findings.is_empty() {
        let _ = writeln!(out, "\n{HEADING}Validation{HEADING:#}");
        for entry in &review.findings {
            for d in &entry.diagnostics {
                let _ = writeln!(out, "  {}", headline(d));
            }
        }
    }
    duplicates_text(&mut out, review);
    if !review.attention.is_empty() {
        let _ = writeln!(out, "\n{HEADING}Needs attention{HEADING:#}");
        for a in &review.attention {
            let _ = writeln!(
                out,
                "  {}: {}",
                terminal_line(&a.id),
                terminal_line(&a.detail)
            );
        }
    }
    tell_text(&mut out, review);
    exceptions_text(&mut out, review);
    changes_text(&mut out, review);
    out
}

/// The review as a pull-request comment.
pub fn markdown(review: &Review) -> String {
    let mut out = String::new();
    let icon = if review.passed() { "✅" } else { "❌" };
    let _ = writeln!(out, "{MARKER}\n## {icon} NSI review: {}\n", verdict(review));
    let _ = writeln!(
        out,
        "**Changes:** {} ({} → {}). Validated {} changed {}.",
        counts(&review.diff),
        markdown_cell(&review.diff.base),
        markdown_cell(&review.diff.head),
        review.validated,
        if review.validated == 1 {
            "entry"
        } else {
            "entries"
        }
    );
    judged_with_markdown(&mut out, review);
    migration_markdown(&mut out, review);
    if !review.blockers.is_empty() {
        out.push_str("\n### Blockers\n\n");
        for blocker in &review.blockers {
            let _ = writeln!(out, "- {}", markdown_cell(blocker));
        }
    }
    files_markdown(&mut out, review);
    for checklist in &review.checklists {
        let _ = writeln!(
            out,
            "\n### Minimum standards: `{}`\n\n| | Standard | Found |\n|---|---|---|",
            code(&checklist.id)
        );
        for item in &checklist.items {
            let icon = match mark(item) {
                "pass" => "✅",
                "FAIL" => "❌ blocker",
                _ => "⚠️ warning",
            };
            let _ = writeln!(
                out,
                "| {icon} | {} | {} |",
                markdown_cell(&item.requirement),
                markdown_cell(&item.detail)
            );
        }
    }
    if !review.findings.is_empty() {
        out.push_str("\n### Validation\n\n");
        for entry in &review.findings {
            for d in &entry.diagnostics {
                let _ = writeln!(
                    out,
                    "- `{}:{}:{}` **{}[{}]**: {}",
                    code(&d.file.display().to_string()),
                    d.line,
                    d.column,
                    d.severity,
                    d.code,
                    markdown_cell(&d.message)
                );
            }
        }
    }
    if !review.duplicates.is_empty() {
        out.push_str("\n### Possible duplicates\n\n");
        for dup in &review.duplicates {
            for s in &dup.similar {
                let _ = writeln!(
                    out,
                    "- `{}` resembles `{}` — {} ({}), similarity {:.2}",
                    code(&dup.id),
                    code(&s.id),
                    markdown_cell(&s.title),
                    markdown_cell(&s.owner_force),
                    s.score
                );
            }
        }
    }
    exceptions_markdown(&mut out, review);
    if !review.attention.is_empty() {
        out.push_str("\n### Needs attention\n\n");
        for a in &review.attention {
            let _ = writeln!(out, "- `{}`: {}", code(&a.id), markdown_cell(&a.detail));
        }
    }
    tell_markdown(&mut out, review);
    if !review.diff.entries.is_empty() {
        out.push_str("\n<details><summary>Field-level changes</summary>\n");
        markdown_entries(&mut out, &review.diff, 4);
        out.push_str("\n</details>\n");
    }
    out
}

#[derive(Serialize)]
struct JsonReview<'a> {
    passed: bool,
    #[serde(flatten)]
    review: &'a Review,
}

/// The review as JSON.
pub fn json(review: &Review) -> Result<String, CliError> {
    crate::cli::render::json::to_string(&JsonReview {
        passed: review.passed(),
        review,
    })
    .map(|s| s + "\n")
    .map_err(|e| CliError::io(format!("cannot write JSON: {e}")))
}
