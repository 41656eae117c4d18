//! `nsi show`: one entry, readable.

use std::process::ExitCode;

use clap::ValueEnum;

use crate::catalogue::load;
use crate::catalogue::lookup;
use crate::cli::context::Context;
use crate::cli::error::CliError;
use crate::cli::render::{self, output};

/// Show one entry: what it solves, its technology, the skills it needs, its documents and
/// who to contact.
///
/// ID is the entry's id, its file name without .yaml; a mistyped id gets the nearest ids as
/// suggestions (exit 1). The text view is for reading in a terminal, and flags a review
/// overdue by the review period of nsi.toml (12 months unless set); `--format yaml` prints
/// the file as written and `--format json` the entry as data, for scripts.
///
/// Examples:
///   nsi show cps-evidence-redaction-tool
///   nsi show cps-evidence-redaction-tool --format json
///   nsi show $(nsi search -i redaction)
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The entry's id (its file name without .yaml).
    #[arg(value_name = "ID")]
    pub id: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// How to print the entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Sections for reading in a terminal.
    Text,
    /// The entry file as written.
    Yaml,
    /// The entry as JSON.
    Json,
}

/// Run `nsi show`.
pub fn run(ctx: &Context, args: &Args) -> Result<ExitCode, CliError> {
    // The raw formats need neither the settings nor the lists: they work while nsi.toml is
    // being fixed.
    let (file, entry) = lookup::find_entry(&ctx.root()?, args.id.trim())?;
    let text = match args.format {
        Format::Text => {
            let catalogue = ctx.catalogue()?;
            render::entry::render_with_review_period(
                &entry,
                catalogue.reference()?,
                ctx.today(),
                catalogue.config().review_period_months,
                output::width().min(100),
            )
        }
        Format::Yaml => {
            let source =
                load::read_source(&file).map_err(|d| CliError::findings(d.message.clone()))?;
            render::text::terminal_safe(&source.text)
        }
        Format::Json => crate::cli::render::json::to_string(&entry)? + "\n",
    };
    output::print(&text)?;
    Ok(ExitCode::SUCCESS)
}
