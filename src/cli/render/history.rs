//! Rendering an entry's history: a block per change for a terminal, or JSON.

use std::fmt::Write as _;

use anstyle::{AnsiColor, Effects, Style};
use serde::Serialize;

use super::text::terminal_safe;
use crate::catalogue::diff::EntryChange;
use crate::catalogue::git::CommitInfo;
use crate::catalogue::history::HistoryStep;
use crate::cli::error::CliError;

const COMMIT: Style = AnsiColor::Yellow.on_default();
const HEADING: Style = Style::new().effects(Effects::BOLD);

/// The history for a terminal, newest first.
pub fn text(id: &str, steps: &[HistoryStep]) -> String {
    let mut out = String::new();
    if steps.is_empty() {
        let _ = writeln!(
            out,
            "{} has no committed history yet (it is new in the working tree, or untracked).",
            terminal_safe(id)
        );
        return out;
    }
    let _ = writeln!(
        out,
        "{HEADING}{}{HEADING:#}: {} changes, newest first",
        terminal_safe(id),
        steps.len()
    );
    for step in steps {
        out.push('\n');
        match &step.commit {
            Some(commit) => {
                let _ = writeln!(
                    out,
                    "{COMMIT}{}{COMMIT:#} {}  {} <{}>",
                    commit.short_id(),
                    commit.time.format("%Y-%m-%d %H:%M %:z"),
                    terminal_safe(&commit.author),
                    terminal_safe(&commit.email)
                );
                let _ = writeln!(out, "    {}", terminal_safe(&commit.summary));
            }
            None => {
                let _ = writeln!(
                    out,
                    "{COMMIT}uncommitted{COMMIT:#} changes in the working tree"
                );
            }
        }
        let mut block = String::new();
        super::diff::entry_text(&mut block, &step.change);
        for line in block.lines() {
            let _ = writeln!(out, "  {line}");
        }
    }
    out
}

#[derive(Serialize)]
struct JsonCommit<'a> {
    id: String,
    author: &'a str,
    email: &'a str,
    date: String,
    summary: &'a str,
}

#[derive(Serialize)]
struct JsonStep<'a> {
    commit: Option<JsonCommit<'a>>,
    change: &'a EntryChange,
}

/// Entry changes with their commits (`None` for uncommitted changes) as JSON, in the order
/// given: `nsi history` and `nsi changes` print the same shape.
pub fn json<'a>(
    steps: impl Iterator<Item = (Option<&'a CommitInfo>, &'a EntryChange)>,
) -> Result<String, CliError> {
    let steps: Vec<JsonStep<'_>> = steps
        .map(|(commit, change)| JsonStep {
            commit: commit.map(|c| JsonCommit {
                id: c.id.to_string(),
                author: &c.author,
                email: &c.email,
                date: c.time.to_rfc3339(),
                summary: &c.summary,
            }),
            change,
        })
        .collect();
    crate::cli::render::json::to_string(&steps)
        .map(|s| s + "\n")
        .map_err(|e| CliError::io(format!("cannot write JSON: {e}")))
}

/// The catalogue's changes for a terminal: a block per commit, newest first.
pub fn changes_text(
    records: &[crate::catalogue::changes::ChangeRecord],
    since: Option<chrono::NaiveDate>,
) -> String {
    let mut out = String::new();
    if records.is_empty() {
        let _ = match since {
            Some(since) => writeln!(out, "No entries changed since {since}."),
            None => writeln!(out, "No entries have changed in this history."),
        };
        return out;
    }
    let mut last_commit = None;
    for record in records {
        if last_commit != Some(record.commit.id) {
            last_commit = Some(record.commit.id);
            let commit = &record.commit;
            let _ = writeln!(
                out,
                "\n{COMMIT}{}{COMMIT:#} {}  {}: {}",
                commit.short_id(),
                commit.time.format("%Y-%m-%d"),
                terminal_safe(&commit.author),
                terminal_safe(&commit.summary)
            );
        }
        let mut block = String::new();
        super::diff::entry_text(&mut block, &record.change);
        for line in block.lines() {
            let _ = writeln!(out, "  {line}");
        }
    }
    out
}
