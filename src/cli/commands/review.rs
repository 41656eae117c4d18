//! `nsi review`: the gatekeeper's report for a pull request.

use std::process::ExitCode;

use clap::ValueEnum;

use crate::catalogue::review::review_revisions;
use crate::cli::context::Context;
use crate::cli::error::CliError;
use crate::cli::render::{self, output};

/// Review a pull request as the gatekeeper would: report, and exit 1 on a blocker.
///
/// The report holds the field-level diff of the catalogue between BASE and HEAD (as
/// `nsi diff`); validation of every changed entry; the minimum-standards checklist for each
/// new entry (rationale, a problem statement of substance, a contact valid for 90+ days, a
/// business case, technical blueprint or lessons learned, skills, visibility — configured in
/// nsi.toml [standards]); possible duplicates of new entries among HEAD's entries; changes a
/// person should look at: owners, contacts, visibility, renames and deletions; the adopters
/// of every changed solution, to be told (with their teams from CODEOWNERS); and every
/// changed file that is not an entry (schema, reference lists, nsi.toml, workflows, nsi's
/// source), field by field where it is a rule.
///
/// Entries are judged with the rules BASE holds (its schema/ and nsi.toml), never HEAD's: a
/// pull request cannot relax the standards it is judged by. Entries and other files changed
/// together are a blocker: rule changes travel in pull requests of their own.
///
/// A migration pull request is recognised: when every changed entry is exactly what
/// `nsi migrate` makes of its BASE version (with BASE's rules), the report says so and gives
/// the impact by force instead of every change. Exceptions to warnings that the pull request
/// adds or changes are listed as "exceptions claimed" (docs/migrations.md).
///
/// Exit 0 when nothing blocks, 1 when a validation error or a blocker standard fails, 2 on a
/// usage or git error. Markdown is the default on CI (CI is set), for a pull-request comment.
///
/// Examples:
///   nsi review                                  # my branch vs main, as the gatekeeper sees it
///   nsi review origin/main HEAD --format markdown > review.md
///   nsi review --format json | jq .blockers
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The revision the pull request goes into. Default: the merge-base of HEAD and the
    /// default branch.
    #[arg(value_name = "BASE")]
    pub base: Option<String>,
    /// The pull request's revision. Default: the working tree.
    #[arg(value_name = "HEAD")]
    pub head: Option<String>,
    /// Output format. Default: markdown when CI is set, else text.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

/// How to print the review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For a terminal.
    Text,
    /// For a pull-request comment.
    Markdown,
    /// `{"passed", "blockers": [..], "diff": {..as nsi diff..}, "validated", "findings":
    /// [{"id", "path", "diagnostics"}], "checklists": [{"id", "items": [{"standard",
    /// "requirement", "severity", "passed", "detail"}]}], "duplicates": [{"id", "similar":
    /// [{"id", "title", "owner_force", "score"}]}], "attention": [{"id", "concern",
    /// "detail"}], "tell": [{"id", "adopters": [["force", "status"]], "teams": ["@org/team"]}],
    /// "rules_from": "<the base, whose rules judged>", "files": [{"path",
    /// "status": "added|modified|deleted", "role": "schema|reference_list|settings|ownership|
    /// automation|tool_source|catalogue_file|other", "fields": [..as in nsi diff..]}],
    /// "migration": null | {"to", "entries", "forces": [..as in nsi migrate..]},
    /// "exceptions_claimed": [{"id", "rule", "reason", "until"}]}`.
    Json,
}

/// Run `nsi review`.
pub fn run(ctx: &Context, args: &Args) -> Result<ExitCode, CliError> {
    let catalogue = ctx.catalogue()?;
    let (base, head) = catalogue.revisions(args.base.as_deref(), args.head.as_deref())?;
    let report = review_revisions(
        catalogue.repo()?,
        catalogue.root(),
        &catalogue.cache_dir(),
        &base,
        &head,
        ctx.today(),
    )?;
    let format = args.format.unwrap_or(if std::env::var_os("CI").is_some() {
        Format::Markdown
    } else {
        Format::Text
    });
    let text = match format {
        Format::Text => render::review::text(&report),
        Format::Markdown => render::review::markdown(&report),
        Format::Json => render::review::json(&report)?,
    };
    output::print(&text)?;
    Ok(if report.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
