//! `nsi migrate`: rewrite entries for the catalogue's schema version, with an impact report.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;

use crate::catalogue::migrate::{self, MigrateOptions};
use crate::cli::context::Context;
use crate::cli::error::CliError;
use crate::cli::render::{self, output};

/// Rewrite entries for the catalogue's schema version, and report the impact.
///
/// Each entry states the schema version it was written for (`schema_version`; none means
/// 1.0.0). Migrate reads it through every migration from that version to the catalogue's
/// schema (schema/solution.schema.json) or --to, and replaces slugs the reference lists
/// retired with their successor (moving an entry whose owning force was renamed or merged to
/// the new folder). Changed files are rewritten atomically in canonical form, so the lines the
/// migration did not touch stay as they were; running it again changes nothing.
///
/// The report says, per force, how many entries changed, which fields, and which fields now
/// need a person: a marker the migration left (such as `ai.use: not-stated`) or a retired slug
/// split into several. Markdown is for the description of the pull request that carries the
/// migration; `nsi review` recognises that pull request.
///
/// A file with comments is changed in place, only where the migration changes it, keeping
/// them; where that cannot be done safely, or the file is not clean YAML, it is refused and
/// left byte for byte. Exit
/// code 0 when every entry is (or, with --dry-run, would be) migrated, 1 when a file was
/// refused, 2 for usage or I/O errors. docs/migrations.md walks through a schema change.
///
/// Examples:
///   nsi migrate --dry-run
///   nsi migrate --format markdown > migration.md
///   nsi migrate catalogue/kent --to 2.0.0
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Files or folders to migrate. Default: the whole catalogue.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// The schema version to migrate to. Default: the catalogue schema's version.
    #[arg(long, value_name = "VERSION")]
    pub to: Option<String>,
    /// Write nothing: report what would change.
    #[arg(long)]
    pub dry_run: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// How to print the impact report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For a terminal.
    Text,
    /// For the pull request that carries the migration.
    Markdown,
    /// `{"to", "dry_run", "checked", "changed", "refused", "forces": [{"force", "entries",
    /// "fields": [{"field", "entries"}], "needs_person": [{"id", "field", "reason"}]}],
    /// "files": [{"path", "moved_to"?, "id", "force", "from", "to", "outcome":
    /// "changed|refused", "line"?, "column"?, "reason"?, "fields", "needs_person",
    /// "reformatted"}]}`.
    Json,
}

/// Run `nsi migrate`.
pub fn run(ctx: &Context, args: &Args) -> Result<ExitCode, CliError> {
    let root = ctx.catalogue()?.root();
    let options = MigrateOptions {
        to: args.to.clone(),
        dry_run: args.dry_run,
    };
    let report = migrate::run(root, &args.paths, &options)?;
    let text = match args.format {
        Format::Text => render::migrate::text(&report),
        Format::Markdown => render::migrate::markdown(&report),
        Format::Json => render::migrate::json(&report)?,
    };
    if !ctx.quiet() || args.format != Format::Text {
        output::print(&text)?;
    }
    Ok(if report.refused().next().is_some() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
