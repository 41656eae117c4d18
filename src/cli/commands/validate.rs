//! `nsi validate`: check entries against the schema and the semantic rules.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::ValueEnum;

use crate::catalogue::validate::{self, ValidationOptions, rules};
use crate::cli::context::Context;
use crate::cli::error::CliError;
use crate::cli::render::{self, progress::Progress};

/// Check entries against the schema and the rules of the index.
///
/// Reports every problem in every file, with the file, line and column of the offending
/// YAML node and a stable rule code. Exit code 0 when there are no errors, 1 when there are,
/// 2 for usage or I/O errors. `nsi validate --explain CODE` says what a rule checks.
///
/// The catalogue's nsi.toml sets the review period (`review_period_months`) and may restrict
/// contact emails to some domains (`allowed_email_domains`); see `nsi config`.
///
/// Examples:
///   nsi validate
///   nsi validate catalogue/kent --strict
///   nsi validate --format github   # or sarif (code scanning), azure (Azure Pipelines)
///   nsi validate --explain NSI212
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Files or folders to check. Default: the whole catalogue.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Treat warnings (expired contacts, overdue reviews) as errors.
    #[arg(long)]
    pub strict: bool,
    /// Explain a rule (e.g. NSI005 or duplicate-key) and exit; `all` lists every rule.
    #[arg(long, value_name = "CODE", conflicts_with_all = ["paths", "strict"])]
    pub explain: Option<String>,
}

/// How to print findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// `file:line:col: error[NSI…]: message`, then the source line underlined.
    Human,
    /// `{"checked", "errors", "warnings", "diagnostics": [...]}`.
    Json,
    /// GitHub Actions workflow commands (`::error file=…,line=…::…`).
    Github,
    /// SARIF 2.1.0 for GitHub code scanning and other viewers; files relative to the
    /// repository root.
    Sarif,
    /// Azure Pipelines logging commands (`##vso[task.logissue type=error;…]…`).
    Azure,
}

/// Run `nsi validate`.
pub fn run(ctx: &Context, args: &Args) -> Result<ExitCode, CliError> {
    if let Some(code) = &args.explain {
        return explain(code);
    }
    let started = Instant::now();
    let catalogue = ctx.catalogue()?;
    let root = catalogue.root();
    for path in &args.paths {
        if std::fs::symlink_metadata(path).is_err() {
            return Err(CliError::usage(format!(
                "{}: no such file or directory",
                path.display()
            )));
        }
    }
    let settings = catalogue.rule_settings();
    let options = ValidationOptions {
        strict: args.strict,
        today: ctx.today(),
    };
    let progress = Progress::new("validating", ctx.quiet());
    let report = validate::validate_catalogue_findings(
        root,
        &args.paths,
        options,
        settings,
        &|done, total| progress.update(done, total),
    )?;
    progress.finish();
    // A CI job pointed at the wrong folder must not pass for want of anything to check.
    if report.checked == 0 && report.diagnostics.is_empty() && !args.paths.is_empty() {
        let paths: Vec<String> = args.paths.iter().map(|p| p.display().to_string()).collect();
        return Err(
            CliError::usage(format!("no entry files in {}", paths.join(", "))).with_hint(
                "entries are catalogue/<force>/<id>.yaml files under the catalogue root",
            ),
        );
    }
    if report.checked == 0
        && report.diagnostics.is_empty()
        && args.paths.is_empty()
        && !ctx.quiet()
        && args.format == Format::Human
    {
        anstream::eprintln!("note: the catalogue has no entries yet");
    }
    match args.format {
        Format::Human => render::diagnostics::human(&report, ctx.quiet()),
        Format::Json => render::diagnostics::json(&report)?,
        Format::Github => render::diagnostics::github(&report),
        Format::Sarif => render::sarif::print(&report, &repository_prefix(catalogue))?,
        Format::Azure => render::azure::print(&report),
    }
    if ctx.verbose() {
        anstream::eprintln!(
            "checked {} files under {} in {:.0?}",
            report.checked,
            root.display(),
            started.elapsed()
        );
    }
    Ok(if report.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Where the catalogue root lies in its git repository (empty outside one): SARIF names files
/// relative to the repository root.
fn repository_prefix(catalogue: &crate::catalogue::Catalogue) -> PathBuf {
    catalogue
        .repo()
        .map(|repo| repo.catalogue_prefix().to_path_buf())
        .unwrap_or_default()
}

fn explain(code: &str) -> Result<ExitCode, CliError> {
    if code.eq_ignore_ascii_case("all") {
        for rule in rules::ALL {
            anstream::println!(
                "{}  {:<28} {:<7}  {}",
                rule.code,
                rule.name,
                rule.severity,
                rule.summary
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    let rule = rules::find(code).ok_or_else(|| {
        CliError::usage(format!("no rule `{code}`"))
            .with_hint("`nsi validate --explain all` lists every rule")
    })?;
    anstream::println!(
        "{} {} ({})\n\n{}\n\n{}",
        rule.code,
        rule.name,
        rule.severity,
        rule.summary,
        rule.explanation
    );
    Ok(ExitCode::SUCCESS)
}
