//! `nsi overlaps`: where different forces built the same thing.

use std::process::ExitCode;

use clap::ValueEnum;

use crate::catalogue::export::{self, Audience};
use crate::catalogue::overlaps::{OVERLAP, OverlapFilter, overlaps};
use crate::catalogue::reference::Reference;
use crate::cli::context::Context;
use crate::cli::error::CliError;
use crate::cli::render::{self, output};

/// Find where different forces built the same solution: overlaps for portfolio leads.
///
/// Groups entries owned by different forces that look like the same solution — compared by
/// title, summary, problem statement and technology, as `nsi similar` compares them; pairs
/// scoring 0.20 or more linked (the score at which `nsi add` calls an entry the same
/// solution), and linked entries grouped — and shows for each group its
/// forces and regions, phases, adopters and the documents on offer, with a suggested lead:
/// the most mature entry (live, beta, alpha, discovery; retired last), then the best
/// documented, then the most adopted. Same-force near copies are left to `nsi similar` and
/// `nsi review`.
///
/// A filter keeps a group when one of its entries matches; repeat a filter for OR.
///
/// Examples:
///   nsi overlaps
///   nsi overlaps --category digital-evidence-forensics --format markdown
///   nsi overlaps --region eastern --format json | jq '.[].lead'
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Only groups with an entry in this category (slug; repeatable).
    #[arg(long = "category", value_name = "SLUG")]
    pub categories: Vec<String>,
    /// Only groups with an entry owned by a force of this region (slug; repeatable).
    #[arg(long = "region", value_name = "SLUG")]
    pub regions: Vec<String>,
    /// Only groups with an entry owned by this force (slug; repeatable).
    #[arg(long = "force", value_name = "SLUG")]
    pub forces: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// How to print the overlaps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A block per group, for a terminal.
    Text,
    /// `[{"lead", "lead_because", "forces", "regions", "categories", "strongest", "entries":
    /// [{"id", "title", "owner_force", "region", "phase", "adopters": [["force", "status"]],
    /// "documents", "categories"}]}]`, largest groups first.
    Json,
    /// A section per group, for a board paper or an issue.
    Markdown,
}

fn check_filters(args: &Args, reference: &Reference) -> Result<(), CliError> {
    reference.known_categories(args.categories.iter().map(String::as_str))?;
    reference.known_regions(args.regions.iter().map(String::as_str))?;
    reference.known_forces(args.forces.iter().map(String::as_str))?;
    Ok(())
}

/// Run `nsi overlaps`.
pub fn run(ctx: &Context, args: &Args) -> Result<ExitCode, CliError> {
    let index = ctx.index()?;
    let (root, reference) = (ctx.catalogue()?.root(), ctx.catalogue()?.reference()?);
    check_filters(args, reference)?;
    let exported = export::readable(root, Audience::Policing)?;
    if !exported.skipped.is_empty() && !ctx.quiet() {
        anstream::eprintln!(
            "warning: {} file(s) could not be read as entries and are not compared; run `nsi validate`",
            exported.skipped.len()
        );
    }
    let filter = OverlapFilter {
        categories: args.categories.clone(),
        regions: args.regions.clone(),
        forces: args.forces.clone(),
    };
    let all = overlaps(&exported.entries, &index.view(), reference);
    let total = all.len();
    let found: Vec<_> = all.into_iter().filter(|o| filter.keeps(o)).collect();
    if found.is_empty() && !ctx.quiet() {
        if total > 0 {
            anstream::eprintln!(
                "note: no overlap matches the filters ({total} in the whole catalogue)"
            );
        } else {
            anstream::eprintln!(
                "note: no two forces' entries score {OVERLAP:.2} or more against each other"
            );
        }
    }
    let text = match args.format {
        Format::Text => render::overlaps::text(&found, reference, OVERLAP),
        Format::Markdown => render::overlaps::markdown(&found, reference, OVERLAP),
        Format::Json => render::overlaps::json(&found)?,
    };
    output::print(&text)?;
    Ok(ExitCode::SUCCESS)
}
