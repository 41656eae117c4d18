//! `nsi history`: an entry's changes over time, from git.

use std::process::ExitCode;

use clap::ValueEnum;

use crate::catalogue::entry::is_solution_id;
use crate::catalogue::history::history;
use crate::catalogue::lookup::{self, LookupError};
use crate::cli::context::Context;
use crate::cli::error::CliError;
use crate::cli::render::{self, output};

/// Show an entry's changes over time: who changed what, when, field by field.
///
/// Walks the history of the checked-out branch (first parents, newest first) and lists each
/// commit that changed the entry, with its author, date and the fields it changed. Moves and
/// renames are followed back to the commit that added the entry. Uncommitted edits in the
/// working tree come first. An entry since removed, or an id since renamed, is found in the
/// history and shown up to the commit that took it away.
///
/// Examples:
///   nsi history case-file-redaction
///   nsi history case-file-redaction --format json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The entry's id.
    #[arg(value_name = "ID")]
    pub id: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// How to print the history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A block per change.
    Text,
    /// `[{"commit": {"id", "author", "email", "date", "summary"} | null, "change": {…as in
    /// nsi diff…}}]`, newest first.
    Json,
}

/// Run `nsi history`.
pub fn run(ctx: &Context, args: &Args) -> Result<ExitCode, CliError> {
    let catalogue = ctx.catalogue()?;
    let repo = catalogue.repo()?;
    let id = args.id.trim();
    let path = match lookup::find_entry(catalogue.root(), id) {
        Ok((file, _)) => file.display,
        Err(LookupError::Invalid { file, .. }) => file,
        // Removed since, or an id since renamed: its history is still in git.
        Err(error) => {
            let found = if is_solution_id(id) {
                repo.path_in_history(id)?
            } else {
                None
            };
            found.ok_or(error)?
        }
    };
    let steps = history(repo, &path)?;
    let text = match args.format {
        Format::Text => render::history::text(id, &steps),
        Format::Json => {
            render::history::json(steps.iter().map(|s| (s.commit.as_ref(), &s.change)))?
        }
    };
    output::print(&text)?;
    Ok(ExitCode::SUCCESS)
}
