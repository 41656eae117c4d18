//! `nsi changes`: what was added to and changed in the catalogue, from git history.

use std::process::ExitCode;

use chrono::NaiveDate;
use clap::ValueEnum;

use crate::catalogue::changes::{ChangesOptions, changes};
use crate::catalogue::export::Audience;
use crate::cli::context::Context;
use crate::cli::error::CliError;
use crate::cli::render::{self, output};

/// Show what was added to and changed in the catalogue, newest first, from git history.
///
/// Each commit along the checked-out branch's history (first parents: a merged pull request
/// counts once) that touched entries, with its date and author and, for each entry, what
/// happened and which fields changed. The same changes are published as an Atom feed by
/// `nsi export --format atom`, so forces can be told when a solution they use changes.
///
/// `--adopted-by FORCE` keeps the changes to the solutions that force lists itself as
/// exploring, piloting or using: what a force that reuses them needs to hear of.
///
/// Examples:
///   nsi changes --since 2026-10-01
///   nsi changes --adopted-by derbyshire
///   nsi changes --limit 10 --format json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Only changes made on or after this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub since: Option<NaiveDate>,
    /// At most this many entry changes (the newest).
    #[arg(long, value_name = "N", value_parser = crate::cli::at_least_one())]
    pub limit: Option<usize>,
    /// Only the solutions this force adopts, pilots or explores (force slug).
    #[arg(long, value_name = "FORCE")]
    pub adopted_by: Option<String>,
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

/// Run `nsi changes`.
pub fn run(ctx: &Context, args: &Args) -> Result<ExitCode, CliError> {
    let catalogue = ctx.catalogue()?;
    let repo = catalogue.repo()?;
    if let Some(force) = &args.adopted_by {
        catalogue.reference()?.known_forces([force.as_str()])?;
    }
    let records = changes(
        repo,
        ChangesOptions {
            since: args.since,
            limit: args.limit,
            audience: Audience::Policing,
            public_now: None,
            adopted_by: args.adopted_by.clone(),
        },
    )?;
    if let Some(branch) = repo.unborn_branch()
        && !ctx.quiet()
    {
        anstream::eprintln!(
            "note: the repository has no commits yet (branch `{branch}` is unborn): no history to show"
        );
    }
    let text = match args.format {
        Format::Text => render::history::changes_text(&records, args.since),
        Format::Json => {
            render::history::json(records.iter().map(|r| (Some(&r.commit), &r.change)))?
        }
    };
    output::print(&text)?;
    Ok(ExitCode::SUCCESS)
}
