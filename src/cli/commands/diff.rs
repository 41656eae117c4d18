//! `nsi diff`: what changed in the catalogue between two revisions, field by field.

use std::process::ExitCode;

use clap::ValueEnum;

use crate::cli::context::Context;
use crate::cli::error::CliError;
use crate::cli::render::{self, output};

/// Show what changed in the catalogue between two revisions, entry by entry and field by field.
///
/// Entries added, removed, moved to another force's folder or renamed (recognised by content
/// even when the id changed); for each modified entry every changed field with old → new,
/// lists as items added (+) and removed (-), and long text as a word diff ([-old-]{+new+}).
///
/// BASE and HEAD are any git revisions (branch, tag, commit, HEAD~3). BASE defaults to the
/// merge-base of HEAD with the default branch (origin/HEAD, else origin/main, else main);
/// HEAD defaults to the working tree, uncommitted and untracked entry files included. Entries
/// are read from git objects: nothing is checked out. A diff is not a finding: exit 0.
///
/// Examples:
///   nsi diff                          # my branch and uncommitted edits vs main
///   nsi diff main HEAD --format markdown
///   nsi diff v1.0 v1.1 --format json | jq '.entries[].id'
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The revision to compare from. Default: the merge-base of HEAD and the default branch.
    #[arg(value_name = "BASE")]
    pub base: Option<String>,
    /// The revision to compare to. Default: the working tree.
    #[arg(value_name = "HEAD")]
    pub head: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// How to print the diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For a terminal: an entry per block, a field per line.
    Text,
    /// A heading and a table of fields per entry, for a pull request.
    Markdown,
    /// `{"base", "head", "entries": [{"kind", "id", "old_id"?, "title", "path", "old_path"?,
    /// "fields": [{"field", "change": "added|removed|changed|items|text", "old"?, "new"?,
    /// "added"?, "removed"?, "words"?}], "unreadable"?}]}`.
    Json,
}

/// Run `nsi diff`.
pub fn run(ctx: &Context, args: &Args) -> Result<ExitCode, CliError> {
    let diff = ctx
        .catalogue()?
        .diff(args.base.as_deref(), args.head.as_deref())?;
    let text = match args.format {
        Format::Text => render::diff::text(&diff),
        Format::Markdown => render::diff::markdown(&diff),
        Format::Json => crate::cli::render::json::to_string(&diff)? + "\n",
    };
    output::print(&text)?;
    Ok(ExitCode::SUCCESS)
}
