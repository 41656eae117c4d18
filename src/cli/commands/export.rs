//! `nsi export`: the whole catalogue as one file (JSON, CSV) or one static site (HTML), for
//! policing or for the public.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{DateTime, FixedOffset, Utc};
use clap::ValueEnum;
use clap::builder::PossibleValue;

use crate::catalogue::export::{self, Audience};
use crate::catalogue::staged_folder::StagedFolder;
use crate::catalogue::validate::ValidationOptions;
use crate::cli::context::Context;
use crate::cli::error::CliError;
use crate::cli::render::{self, output};

/// Export every entry as one JSON document, one CSV spreadsheet or one static HTML site, or
/// the change log as an Atom feed.
///
/// `--audience public` keeps only entries marked `visibility: public`, and drops contacts,
/// email addresses and OFFICIAL-SENSITIVE documents from them.
///
/// JSON: {"schema_version", "generated", "audience", "entries": [...]}.
/// CSV (UTF-8 with a BOM): id, title, owner_force, partner_forces, categories, phase, summary,
/// problem_statement, technology_stack, deployment, licence, highest_skill_level, documents
/// (type:availability), contacts (Name <email>; empty for the public), aftercare, visibility,
/// created, last_reviewed, tags; lists joined with "; ".
/// HTML (needs --out DIR): a self-contained site, opened from disk or served as it is:
/// index.html (search, filters, sortable table), entries/<id>.html (one page per entry),
/// entries/index.html (A to Z), assets/, the JSON and CSV exports, and site.json. DIR is
/// replaced whole, and only if it is empty or holds an earlier site and nothing else. Inside
/// a git repository the site also holds changes.atom.
/// Atom: the entries added, changed, moved, renamed and removed by each commit (newest first,
/// the latest 100 unless --since or --limit), each linking to its page; the public feed names
/// no authors and shows field names only, never values.
///
/// Files that are not valid entries (any error `nsi validate` would report, a credential
/// included) are left out and named with their first error; the export of the others is
/// written, and the exit code is 1.
///
/// Examples:
///   nsi export --format json --out nsi.json
///   nsi export --format csv --audience public --out nsi-public.csv
///   nsi export --format html --audience public --out site
///   nsi export --format atom --audience public --base-url https://police.github.io/nsi/
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
#[allow(
    clippy::doc_markdown,
    reason = "the doc comment is the --help text: column names read better without backticks"
)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum)]
    pub format: Format,
    /// Who the export is for.
    #[arg(long, value_enum, default_value_t = Audience::Policing)]
    pub audience: Audience,
    /// Write to this file (atomically) instead of stdout; for html, the site's folder.
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// Atom: the site's address, so that links in the feed are absolute.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Atom: only changes made on or after this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub since: Option<chrono::NaiveDate>,
    /// Atom: at most this many items. Default: 100 without --since, else all.
    #[arg(long, value_name = "N", value_parser = crate::cli::at_least_one())]
    pub limit: Option<usize>,
    /// The time to record as `generated` (RFC 3339), for reproducible exports.
    #[arg(long, hide = true, value_name = "TIME")]
    pub generated: Option<DateTime<FixedOffset>>,
}

/// How to write the export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One JSON document.
    Json,
    /// One row per entry, UTF-8 with a BOM.
    Csv,
    /// A static, self-contained website in a folder (needs --out).
    Html,
    /// A feed of added and changed entries from git history.
    Atom,
}

/// `--audience`: the domain's audiences, each with its help.
impl ValueEnum for Audience {
    fn value_variants<'a>() -> &'a [Self] {
        &[Audience::Policing, Audience::Public]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.as_str()).help(match self {
            Audience::Policing => "Forces and national bodies: everything",
            Audience::Public => {
                "Industry and the public: public entries, without contacts or sensitive documents"
            }
        }))
    }
}

/// Run `nsi export`.
pub fn run(ctx: &Context, args: &Args) -> Result<ExitCode, CliError> {
    let root = ctx.catalogue()?.root();
    let generated = generated(ctx, args);
    // Everything is written as it is made rather than built in memory first.
    let skipped = match args.format {
        Format::Json => {
            let exported = entries(ctx, root, args)?;
            write_out(args, |out| {
                render::export::write_json(&exported, generated, out)
            })?;
            exported.skipped.len()
        }
        Format::Csv => {
            let exported = entries(ctx, root, args)?;
            write_out(args, |out| render::export::write_csv(&exported, out))?;
            exported.skipped.len()
        }
        Format::Html => site(ctx, args, root, generated)?,
        Format::Atom => {
            // The public feed names only entries public now, as the public export shows them.
            let public_now = match args.audience {
                Audience::Public => Some(public_ids(&checked_export(ctx, root, Audience::Public)?)),
                Audience::Policing => None,
            };
            let records =
                change_records(ctx, args, true, feed_limit(args), public_now)?.unwrap_or_default();
            let text = catalogue_feed(args, generated, &records);
            write_out(args, |out| out.write_all(text.as_bytes()))?;
            0
        }
    };
    // The export is written all the same, but a job that publishes it should not pass over the
    // entries it lacks: files left out are findings.
    if skipped > 0 {
        if !ctx.quiet() {
            anstream::eprintln!(
                "error: {skipped} file(s) are not valid entries and are not in the export; \
                 run `nsi validate`"
            );
        }
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// The valid entries, as the audience may see them: checked as `nsi validate` checks them,
/// on the same day and with the catalogue's settings.
fn checked_export(
    ctx: &Context,
    root: &Path,
    audience: Audience,
) -> Result<export::Export, CliError> {
    let checker = ctx.catalogue()?.checker(ValidationOptions {
        strict: false,
        today: ctx.today(),
    })?;
    Ok(export::export(&checker, root, audience)?)
}

/// The entries for the audience, with a warning for each file left out.
fn entries(ctx: &Context, root: &Path, args: &Args) -> Result<export::Export, CliError> {
    let exported = checked_export(ctx, root, args.audience)?;
    if !ctx.quiet() {
        for skipped in &exported.skipped {
            anstream::eprintln!(
                "warning: skipped {}: {}",
                skipped.file.display(),
                skipped.reason
            );
        }
    }
    Ok(exported)
}

/// Write one file's worth of output to `--out` (atomically) or to stdout.
fn write_out(
    args: &Args,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<(), CliError> {
    match &args.out {
        Some(path) => render::export::write_file_with(path, write),
        None => output::print_with(write),
    }
}

/// Write the HTML site into `--out`: each file as soon as it is made, the folder taking the
/// old one's place only once every file is there. Returns how many files were left out.
fn site(
    ctx: &Context,
    args: &Args,
    root: &Path,
    generated: DateTime<FixedOffset>,
) -> Result<usize, CliError> {
    let Some(dir) = &args.out else {
        return Err(
            CliError::usage("`--format html` writes a folder: give it with --out")
                .with_hint("nsi export --format html --out site"),
        );
    };
    let exported = &entries(ctx, root, args)?;
    let index = ctx.index()?;
    let (reference, config) = (ctx.catalogue()?.reference()?, ctx.catalogue()?.config());
    let overlaps =
        crate::catalogue::overlaps::overlaps(&exported.entries, &index.view(), reference);
    let coverage = crate::catalogue::stats::coverage(
        exported
            .entries
            .iter()
            .map(crate::catalogue::stats::Covered::from),
        reference,
    );
    let public_now = (args.audience == Audience::Public).then(|| public_ids(exported));
    // Every change, for the entries' and categories' feeds; the catalogue's feed takes the
    // newest.
    let changes = change_records(ctx, args, false, None, public_now)?;
    let input = render::html::SiteInput {
        export: exported,
        reference,
        generated,
        today: ctx.today(),
        review_period_months: config.review_period_months,
        portfolio: render::html::Portfolio {
            overlaps: &overlaps,
            coverage: &coverage,
            changes: changes.as_deref(),
            base_url: args.base_url.as_deref(),
        },
    };
    let mut site = StagedFolder::create(dir, render::html::SITE)?;
    site.write_with(render::html::JSON_DOWNLOAD, |out| {
        render::export::write_json(exported, generated, out)
    })?;
    site.write_with(render::html::CSV_DOWNLOAD, |out| {
        render::export::write_csv(exported, out)
    })?;
    render::html::site(&input, &mut site)?;
    if let Some(changes) = &changes {
        let newest = &changes[..feed_limit(args).map_or(changes.len(), |n| n.min(changes.len()))];
        let feed = catalogue_feed(args, generated, newest);
        site.write_with(render::html::FEED, |out| out.write_all(feed.as_bytes()))?;
    }
    site.finish()?;
    Ok(exported.skipped.len())
}

/// The ids of the entries in an export.
fn public_ids(exported: &export::Export) -> std::collections::BTreeSet<String> {
    exported.entries.iter().map(|e| e.id.to_string()).collect()
}

/// The time to record as the export's `generated`.
fn generated(ctx: &Context, args: &Args) -> DateTime<FixedOffset> {
    args.generated.unwrap_or_else(|| match ctx.global.today {
        Some(day) => day
            .and_time(chrono::NaiveTime::MIN)
            .and_utc()
            .fixed_offset(),
        None => Utc::now().fixed_offset(),
    })
}

/// The catalogue's changes from git history for the export's audience, `limit` at most (all
/// of them for `None`). Outside a git repository: an error when the feed was asked for
/// (`required`), else `None` (a site without feeds).
fn change_records(
    ctx: &Context,
    args: &Args,
    required: bool,
    limit: Option<usize>,
    public_now: Option<std::collections::BTreeSet<String>>,
) -> Result<Option<Vec<crate::catalogue::changes::ChangeRecord>>, CliError> {
    let repo = match ctx.catalogue()?.repo() {
        Ok(repo) => repo,
        Err(error) if required => return Err(error.into()),
        Err(_) => return Ok(None),
    };
    crate::catalogue::changes::changes(
        repo,
        crate::catalogue::changes::ChangesOptions {
            since: args.since,
            limit,
            audience: args.audience,
            public_now,
            adopted_by: None,
        },
    )
    .map(Some)
    .map_err(CliError::from)
}

/// How many changes the catalogue's feed carries: `--limit`, else all since `--since`, else
/// the newest 100.
fn feed_limit(args: &Args) -> Option<usize> {
    args.limit.or(if args.since.is_none() {
        Some(100)
    } else {
        None
    })
}

/// The Atom feed of `records`, for the whole catalogue.
fn catalogue_feed(
    args: &Args,
    generated: DateTime<FixedOffset>,
    records: &[crate::catalogue::changes::ChangeRecord],
) -> String {
    render::atom::feed(
        records,
        &render::atom::FeedOptions {
            audience: args.audience,
            base_url: args.base_url.as_deref(),
            generated,
            scope: render::atom::FeedScope::Catalogue,
        },
    )
}
