//! `nsi changes`: what was added to and changed in the catalogue, from git history.

use std::process::ExitCode;

use chrono::NaiveDate;
use clap::ValueEnum;
use serde::Serialize;

use super::{git_error, open_repo};
use crate::catalogue::changes::{ChangesOptions, changes};
use crate::catalogue::diff::EntryChange;
use crate::catalogue::export::Audience;
use crate::cli::GlobalArgs;
use crate::cli::error::CliError;
use crate::cli::render::{self, output};

/// Show what was added to and changed in the catalogue, newest first, from git history.
///
/// Each commit along the checked-out branch's history (first parents: a merged pull request
/// counts once) that touched entries, with its date and author and, for each entry, what
/// happened and which fields changed. The same changes are published as an Atom feed by
/// `nsi export --format atom`, so forces can be told when a solution they use changes.
///
/// Examples:
///   nsi changes --since 2026-10-01
///   nsi changes --limit 10 --format json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Only changes made on or after this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub since: Option<NaiveDate>,
    /// At most this many entry changes (the newest).
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// How to print the changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A block per commit.
    Text,
    /// `[{"commit": {"id", "author", "email", "date", "summary"}, "change": {…as in nsi
    /// diff…}}]`, newest first.
    Json,
}

#[derive(Serialize)]
struct JsonRecord<'a> {
    commit: JsonCommit<'a>,
    change: &'a EntryChange,
}

#[derive(Serialize)]
struct JsonCommit<'a> {
    id: String,
    author: &'a str,
    email: &'a str,
    date: String,
    summary: &'a str,
}

/// Run `nsi changes`.
pub fn run(global: &GlobalArgs, args: &Args) -> Result<ExitCode, CliError> {
    let (_root, repo) = open_repo(global)?;
    let records = changes(
        &repo,
        ChangesOptions {
            since: args.since,
            limit: args.limit,
            audience: Audience::Policing,
        },
    )
    .map_err(git_error)?;
    let text = match args.format {
        Format::Text => render::history::changes_text(&records, args.since),
        Format::Json => {
            let list: Vec<JsonRecord<'_>> = records
                .iter()
                .map(|r| JsonRecord {
                    commit: JsonCommit {
                        id: r.commit.id.to_string(),
                        author: &r.commit.author,
                        email: &r.commit.email,
                        date: r.commit.time.to_rfc3339(),
                        summary: &r.commit.summary,
                    },
                    change: &r.change,
                })
                .collect();
            serde_json::to_string_pretty(&list)
                .map_err(|e| CliError::io(format!("cannot write JSON: {e}")))?
                + "\n"
        }
    };
    output::print(&text)?;
    Ok(ExitCode::SUCCESS)
}
