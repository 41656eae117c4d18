//! `nsi stale`: what needs chasing — expired contacts and overdue reviews, by force.

use std::process::ExitCode;

use chrono::NaiveDate;
use clap::ValueEnum;

use crate::catalogue::stale::{self, StaleOptions};
use crate::cli::context::Context;
use crate::cli::error::CliError;
use crate::cli::render::{self, output};

/// List what needs chasing: expired contacts and overdue reviews, by force.
///
/// Entries whose contacts have expired (or expire within --within days) or whose review is
/// overdue (last reviewed longer before the as-of day than the review period: 12 months, or
/// `review_period_months` in nsi.toml), grouped by owning force, with the contacts to chase and
/// how long overdue.
///
/// This is a report: it exits 0 even when entries are stale (2 on a usage or read error).
/// Files that cannot be read as entries are skipped and counted; `nsi validate` explains them.
///
/// Examples:
///   nsi stale
///   nsi stale --within 30                       # also contacts expiring in the next 30 days
///   nsi stale --as-of 2026-12-31 --format json
///   nsi stale --format markdown > stale.md      # for a GitHub issue
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Judge as of this day (YYYY-MM-DD). Default: today.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<NaiveDate>,
    /// Also list contacts that expire within this many days after the as-of date.
    #[arg(long, value_name = "DAYS", default_value_t = 0)]
    pub within: u32,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// How to print the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A block per force.
    Text,
    /// `{"as_of", "within_days", "review_period_months", "entries_checked", "skipped",
    /// "contacts_expired", "contacts_expiring", "reviews_overdue", "entries_stale",
    /// "forces": [{"force", "name", "entries": [{"id", "title", "path", "last_reviewed",
    /// "review_due", "review_overdue", "review_days_overdue", "contacts": [{"name", "role",
    /// "email", "valid_until", "status", "days_overdue"}]}]}]}`.
    Json,
    /// A heading and a table per force, for a GitHub issue.
    Markdown,
}

/// Run `nsi stale`.
pub fn run(ctx: &Context, args: &Args) -> Result<ExitCode, CliError> {
    let catalogue = ctx.catalogue()?;
    let options = StaleOptions {
        as_of: args.as_of.unwrap_or_else(|| ctx.today()),
        within_days: args.within,
        review_period_months: catalogue.config().review_period_months,
    };
    let report = stale::find(catalogue.root(), catalogue.reference()?, options)?;
    let text = match args.format {
        Format::Text => render::stale::text(&report),
        Format::Markdown => render::stale::markdown(&report),
        Format::Json => crate::cli::render::json::to_string(&report)? + "\n",
    };
    output::print(&text)?;
    Ok(ExitCode::SUCCESS)
}
