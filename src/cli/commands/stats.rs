//! `nsi stats`: what everyone is working on, at a glance.

use std::process::ExitCode;

use clap::ValueEnum;

use crate::catalogue::stats::{self, DIMENSIONS};
use crate::cli::context::Context;
use crate::cli::error::CliError;
use crate::cli::render::{self, output};

/// Count entries by category, force, region, phase, technology, skill level, deployment and
/// visibility, with expired contacts and overdue reviews.
///
/// A review is overdue once the review period has passed since an entry's `last_reviewed` date:
/// 12 months, or `review_period_months` in nsi.toml (see `nsi config`).
///
/// `--matrix` shows categories (aligned with national objectives) by policing region instead:
/// how many entries each region's forces have in each category, with the phases, and the
/// categories where no force has a solution yet.
///
/// Examples:
///   nsi stats
///   nsi stats --by technology
///   nsi stats --matrix
///   nsi stats --format json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Show only this breakdown, in full.
    #[arg(long, value_name = "FIELD", value_parser = clap::builder::PossibleValuesParser::new(DIMENSIONS))]
    pub by: Option<String>,
    /// Categories by region: where forces have solutions, and where none exist.
    #[arg(long, conflicts_with = "by")]
    pub matrix: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// How to print the counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Blocks with bars.
    Text,
    /// `{"entries", "by": {dimension: [[value, count], ...]}, "contacts_expired",
    /// "entries_with_expired_contacts", "reviews_overdue", "review_period_months", "skipped"}`;
    /// with --matrix `{"regions": [slug], "rows": [{"category", "cells": [{"entries",
    /// "forces", "phases": {phase: count}}], "total": {…}}]}`.
    Json,
}

/// Run `nsi stats`.
pub fn run(ctx: &Context, args: &Args) -> Result<ExitCode, CliError> {
    let index = ctx.index()?;
    let (reference, config) = (ctx.catalogue()?.reference()?, ctx.catalogue()?.config());
    let view = index.view();
    if args.matrix {
        let coverage = stats::coverage(view.entries().iter().map(stats::Covered::from), reference);
        let text = match args.format {
            Format::Text => render::stats::coverage_text(&coverage, reference),
            Format::Json => crate::cli::render::json::to_string(&coverage)? + "\n",
        };
        output::print(&text)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut counts = stats::compute(
        view.entries(),
        view.skipped().len(),
        reference,
        ctx.today(),
        config.review_period_months,
    );
    if let Some(only) = &args.by {
        counts.by.retain(|dimension, _| dimension == only);
    }
    let text = match args.format {
        Format::Text => render::stats::text(&counts, args.by.as_deref(), output::width()),
        Format::Json => crate::cli::render::json::to_string(&counts)? + "\n",
    };
    output::print(&text)?;
    Ok(ExitCode::SUCCESS)
}
