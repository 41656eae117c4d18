//! `nsi search`: find solutions by text and filters.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;

use crate::catalogue::config::Config;
use crate::catalogue::lookup;
use crate::catalogue::reference::Reference;
use crate::catalogue::search::cache::{load_index_with, load_or_scan};
use crate::catalogue::search::query::Query;
use crate::catalogue::search::{
    self, Filters, IndexSource, LoadedIndex, SearchRequest, SearchableNames,
};
use crate::cli::GlobalArgs;
use crate::cli::commands::index::{self as index_command, Background};
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
    global: &GlobalArgs,
    root: &std::path::Path,
    reference: &crate::catalogue::reference::Reference,
    results: &search::SearchResults,
    picker: &dyn Picker,
) -> Result<ExitCode, CliError> {
    let today = global.today();
    let period = super::settings(root)?.review_period_months;
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

/// The catalogue root, its reference lists, its configuration and its search index: from the
/// cache in the configured `cache_dir` when fresh, otherwise built (with a progress bar on a
/// terminal when the catalogue is large).
pub fn open_index(
    global: &GlobalArgs,
) -> Result<(PathBuf, Reference, Config, LoadedIndex), CliError> {
    let root = global.root()?;
    let config = global.config(&root)?.config;
    let reference = Reference::for_root(&root).map_err(|e| CliError::io(e.to_string()))?;
    let index = build_index(global, &root, &reference, &config)?;
    if global.verbose {
        anstream::eprintln!("{}", where_from(&index, None));
    }
    Ok((root, reference, config, index))
}

/// The index from the cache when fresh, otherwise built and saved (with a progress bar on a
/// terminal when the catalogue is large).
pub(crate) fn build_index(
    global: &GlobalArgs,
    root: &std::path::Path,
    reference: &Reference,
    config: &Config,
) -> Result<LoadedIndex, CliError> {
    let progress = Progress::new("indexing", global.quiet);
    let index = load_index_with(
        root,
        &SearchableNames::from(reference),
        &config.cache_dir_in(root),
        &|done, total| progress.update(done, total),
    )
    .map_err(|e| CliError::io(e.to_string()))?;
    progress.finish();
    Ok(index)
}

/// Where an index came from, for `--verbose`; `background` is what became of the build a
/// search without a current index starts.
pub fn where_from(index: &LoadedIndex, background: Option<Background>) -> String {
    match (index.source, &index.cache_path) {
        (IndexSource::Cache, Some(path)) => format!("search index read from {}", path.display()),
        (IndexSource::Built, Some(path)) => {
            format!("search index built and saved to {}", path.display())
        }
        (IndexSource::Scanned { parsed, files }, _) => {
            let build = match background {
                Some(Background::Started) => "; building the index in the background",
                Some(Background::Running) => "; an index build is already running",
                Some(Background::Off) => "; not building it (index_in_background is off)",
                Some(Background::NotTheCommand) => "; not building it (not run as `nsi`)",
                Some(Background::NotWritable) => {
                    "; cannot build it (the cache folder is not writable)"
                }
                Some(Background::NotStarted) => "; cannot build it (`nsi index` did not start)",
                None => "",
            };
            format!(
                "search index not current: read {files} entry files and parsed the {parsed} \
                 that may match{build}"
            )
        }
        _ => "search index built (not cached: the cache folder is not writable)".to_owned(),
    }
}

/// Run `nsi search`.
pub fn run(global: &GlobalArgs, args: &Args) -> Result<ExitCode, CliError> {
    run_with_picker(global, args, &SkimPicker)
}

/// Search the catalogue under `root`. Without a current index, a query is answered from the
/// files that may match it (the answer the whole index would give) while the index is built in
/// the background. A listing, a `--technology` value (checked against every stack) and the
/// words suggested when nothing matches need the whole index, built and saved on the spot.
fn answer(
    global: &GlobalArgs,
    root: &std::path::Path,
    reference: &Reference,
    config: &Config,
    request: &SearchRequest,
) -> Result<search::SearchResults, CliError> {
    let run = |index: &LoadedIndex| {
        search::search(&index.view(), reference, request).map_err(|error| {
            let mut cli = CliError::usage(error.to_string());
            if let Some(near) = &error.suggestion {
                cli = cli.with_hint(format!("did you mean `{near}`?"));
            }
            let shown: Vec<&str> = error.valid.iter().take(60).map(String::as_str).collect();
            cli.with_hint(format!("valid values: {}", shown.join(", ")))
        })
    };
    let query = Query::parse(&request.query);
    let mut index = if query.is_empty() || !request.filters.technologies.is_empty() {
        build_index(global, root, reference, config)?
    } else {
        load_or_scan(
            root,
            &SearchableNames::from(reference),
            &config.cache_dir_in(root),
            &query,
        )
        .map_err(|e| CliError::io(e.to_string()))?
    };
    let mut results = run(&index)?;
    let mut background = None;
    if matches!(index.source, IndexSource::Scanned { .. }) {
        if results.suggestions.is_empty() {
            background = Some(index_command::start_in_background(root, config));
        } else {
            index = build_index(global, root, reference, config)?;
            results = run(&index)?;
        }
    }
    if global.verbose {
        anstream::eprintln!("{}", where_from(&index, background));
    }
    Ok(results)
}

/// Run `nsi search` with a given picker (tests swap in a scripted one).
pub fn run_with_picker(
    global: &GlobalArgs,
    args: &Args,
    picker: &dyn Picker,
) -> Result<ExitCode, CliError> {
    let root = global.root()?;
    let config = global.config(&root)?.config;
    let reference = Reference::for_root(&root).map_err(|e| CliError::io(e.to_string()))?;
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
    let results = answer(global, &root, &reference, &config, &request)?;

    if results.skipped > 0 && !global.quiet {
        anstream::eprintln!(
            "warning: {} file(s) could not be read as entries and are not searched; run `nsi validate`",
            results.skipped
        );
    }
    if results.hits.is_empty() {
        if !global.quiet {
            anstream::eprint!("{}", render::search::nothing_found(&query, &results));
        }
        if format == Format::Json {
            output::print("[]\n")?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    if results.partial && !global.quiet {
        anstream::eprintln!("note: no entry matches every word; showing entries that match some");
    }

    if args.interactive {
        return pick(global, &root, &reference, &results, picker);
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
    if format == Format::Table && results.total > results.hits.len() && !global.quiet {
        anstream::eprintln!(
            "{} of {} shown; use --limit to see more",
            results.hits.len(),
            results.total
        );
    }
    Ok(ExitCode::SUCCESS)
}
