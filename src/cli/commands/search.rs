//! `nsi search`: find solutions by text and filters.

use std::path::Path;
use std::process::{Command, ExitCode};

use clap::ValueEnum;

use crate::catalogue::Catalogue;
use crate::catalogue::lookup;
use crate::catalogue::search::lock::IndexCommand;
use crate::catalogue::search::{self, Filters, SearchRequest};
use crate::cli::context::Context;
use crate::cli::error::CliError;
use crate::cli::picker::{PickItem, Picker, SkimPicker};
use crate::cli::render::{self, output, progress::Progress};

/// Find solutions: ranked, typo-tolerant full-text search with filters.
///
/// Words match by prefix and survive one typo ("redcation" finds redaction); "quoted phrases"
/// must match as written. Title and tags count most, then summary and problem statement, then
/// description and technology. Repeating a filter means OR; different filters mean AND. With
/// no query, every entry that passes the filters is listed by title.
///
/// Examples:
///   nsi search redaction
///   nsi search "case file" --category criminal-justice --phase live
///   nsi search --region east-midlands --level practitioner --format json
///   nsi show $(nsi search -i abstraction)
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Words to search for; quote a phrase to match it as a phrase.
    #[arg(value_name = "QUERY")]
    pub query: Vec<String>,
    /// Only entries in this category (repeatable).
    #[arg(long = "category", value_name = "SLUG")]
    pub categories: Vec<String>,
    /// Only entries owned or co-built by this force (repeatable).
    #[arg(long = "force", value_name = "SLUG")]
    pub forces: Vec<String>,
    /// Only entries whose owning force is in this policing region (repeatable).
    #[arg(long = "region", value_name = "SLUG")]
    pub regions: Vec<String>,
    /// Only entries in this GDS phase (repeatable).
    #[arg(long = "phase", value_name = "PHASE")]
    pub phases: Vec<String>,
    /// Only entries whose technology stack mentions this (repeatable), e.g. "power bi".
    #[arg(long = "technology", value_name = "TEXT")]
    pub technologies: Vec<String>,
    /// Only entries deployed this way: cloud, on-premises, hybrid, saas (repeatable).
    #[arg(long = "deployment", value_name = "KIND")]
    pub deployments: Vec<String>,
    /// Only entries that need this DDaT role family (repeatable).
    #[arg(long = "role", value_name = "SLUG")]
    pub roles: Vec<String>,
    /// Only entries that need no more than this skill level (of --role, if given).
    #[arg(long = "level", value_name = "LEVEL")]
    pub levels: Vec<String>,
    /// Only entries with this visibility: policing or public (repeatable).
    #[arg(long = "visibility", value_name = "VISIBILITY")]
    pub visibilities: Vec<String>,
    /// Only entries offering this document type, public or on request (repeatable).
    #[arg(long = "has-doc", value_name = "TYPE")]
    pub has_docs: Vec<String>,
    /// Only entries this force has adopted or is piloting (repeatable).
    #[arg(long = "adopted-by", value_name = "SLUG")]
    pub adopted_by: Vec<String>,
    /// Output format. Default: table on a terminal, ids otherwise.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// At most this many results. Default: 20 on a terminal, all otherwise.
    #[arg(long, value_name = "N", value_parser = crate::cli::at_least_one())]
    pub limit: Option<usize>,
    /// Show why each result ranked where it did: after the table, inside the JSON, and on
    /// stderr beside csv and ids (which stay as they are for scripts).
    #[arg(long)]
    pub explain: bool,
    /// Choose a result in an interactive picker with a preview; prints the chosen id.
    #[arg(short, long, conflicts_with_all = ["format", "explain"])]
    pub interactive: bool,
}

/// How to print results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A table fitted to the terminal.
    Table,
    /// `[{"id", "title", "owner_force", "categories", "phase", "score", "path", "matched_fields"}]`.
    Json,
    /// One row per result, with a header.
    Csv,
    /// One id per line.
    Ids,
}

/// Let the user choose one of the hits, with each entry's `nsi show` text as preview, and
/// print the chosen id (exit 1 when they give up).
fn pick(
    ctx: &Context<'_>,
    catalogue: &Catalogue,
    results: &search::SearchResults,
    picker: &dyn Picker,
) -> Result<ExitCode, CliError> {
    let today = ctx.today();
    let period = catalogue.config().review_period_months;
    let root = catalogue.root();
    let reference = catalogue.reference()?;
    let items = results
        .hits
        .iter()
        .map(|hit| {
            let root = root.to_path_buf();
            let reference = reference.clone();
            let id = hit.id.clone();
            PickItem {
                id: hit.id.clone(),
                line: render::text::terminal_safe(&format!(
                    "{}  {}  ({})",
                    hit.title, hit.id, hit.owner_force
                )),
                preview: std::sync::Arc::new(move |width| match lookup::find_entry(&root, &id) {
                    Ok((_, entry)) => render::entry::render_with_review_period(
                        &entry, &reference, today, period, width,
                    ),
                    Err(error) => error.to_string(),
                }),
            }
        })
        .collect();
    match picker.pick(items)? {
        Some(id) => output::print(&format!("{id}\n")).map(|()| ExitCode::SUCCESS),
        None => Ok(ExitCode::from(1)),
    }
}

/// The command that builds the index of the catalogue at `root` in the background: this very
/// program, run as `nsi --catalogue ROOT --quiet --color never index` (absolute paths:
/// `current_exe` may be relative to this process's working folder).
fn index_command(root: &Path) -> std::io::Result<Command> {
    let program = std::env::current_exe().and_then(std::path::absolute)?;
    let mut command = Command::new(program);
    command
        .arg("--catalogue")
        .arg(std::path::absolute(root)?)
        .args(["--quiet", "--color", "never", "index"]);
    Ok(command)
}

/// Run `nsi search`.
pub fn run(ctx: &Context, args: &Args) -> Result<ExitCode, CliError> {
    run_with_picker(ctx, args, &SkimPicker)
}

/// Run `nsi search` with a given picker (tests swap in a scripted one).
pub fn run_with_picker(
    ctx: &Context,
    args: &Args,
    picker: &dyn Picker,
) -> Result<ExitCode, CliError> {
    let catalogue = ctx.catalogue()?;
    let on_terminal = output::stdout_is_terminal();
    let format = args.format.unwrap_or(if on_terminal {
        Format::Table
    } else {
        Format::Ids
    });
    let query = args.query.join(" ");
    let request = SearchRequest {
        query: query.clone(),
        filters: Filters {
            categories: args.categories.clone(),
            forces: args.forces.clone(),
            regions: args.regions.clone(),
            phases: args.phases.clone(),
            technologies: args.technologies.clone(),
            deployments: args.deployments.clone(),
            roles: args.roles.clone(),
            levels: args.levels.clone(),
            visibilities: args.visibilities.clone(),
            has_docs: args.has_docs.clone(),
            adopted_by: args.adopted_by.clone(),
        },
        limit: args
            .limit
            .or((on_terminal && format == Format::Table && !args.interactive).then_some(20)),
        explain: args.explain,
    };
    // Which index answers, and when it is built, is the domain's (`search::answer`).
    let progress = Progress::new("indexing", ctx.quiet());
    let build_in_background: IndexCommand<'_> = &index_command;
    let answer = catalogue.search(
        &request,
        &|done, total| progress.update(done, total),
        crate::cli::is_the_command().then_some(build_in_background),
    )?;
    progress.finish();
    if ctx.verbose() {
        anstream::eprintln!("{}", answer.origin());
    }
    let results = answer.results;

    if results.skipped > 0 && !ctx.quiet() {
        anstream::eprintln!(
            "warning: {} file(s) could not be read as entries and are not searched; run `nsi validate`",
            results.skipped
        );
    }
    if results.hits.is_empty() {
        if !ctx.quiet() {
            anstream::eprint!("{}", render::search::nothing_found(&query, &results));
        }
        if format == Format::Json {
            output::print("[]\n")?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    if results.partial && !ctx.quiet() {
        anstream::eprintln!("note: no entry matches every word; showing entries that match some");
    }

    if args.interactive {
        return pick(ctx, catalogue, &results, picker);
    }

    let text = match format {
        Format::Table => {
            let mut text = render::search::table(&results, output::width());
            if args.explain {
                text.push_str(&render::search::explanation(&results));
            }
            text
        }
        Format::Json => render::search::json(&results, args.explain)?,
        Format::Csv => render::search::csv(&results)?,
        Format::Ids => render::search::ids(&results),
    };
    output::print(&text)?;
    if args.explain && matches!(format, Format::Csv | Format::Ids) {
        anstream::eprint!("{}", render::search::explanation(&results));
    }
    if format == Format::Table && results.total > results.hits.len() && !ctx.quiet() {
        anstream::eprintln!(
            "{} of {} shown; use --limit to see more",
            results.hits.len(),
            results.total
        );
    }
    Ok(ExitCode::SUCCESS)
}
