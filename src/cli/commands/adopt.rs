//! `nsi adopt`: record that a force explores, pilots or uses another force's solution.

use std::io::IsTerminal as _;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::ValueEnum;

use crate::catalogue::adoption::{AdoptionChange, record};
use crate::catalogue::author::Author;
use crate::catalogue::load::EntryFile;
use crate::catalogue::lookup;
use crate::catalogue::validate::RuleSettings;
use crate::catalogue::yaml;
use crate::cli::GlobalArgs;
use crate::cli::error::CliError;
use crate::cli::render::output;

/// Record that a force is exploring, piloting or using a solution, so reuse is visible.
///
/// Adds the force to the entry's `adopters`, or updates its status in place; the entry is
/// written back in canonical form with nothing else changed, and checked as `nsi validate`
/// checks it. The owning force will then be told of the adoption in review, and `nsi review`
/// names the adopters of every solution a pull request changes, so they hear of changes.
///
/// On a terminal it offers to publish the change as a pull request of its own (as
/// `nsi publish ID --branch nsi/adopt-ID-FORCE`); --publish does so without asking,
/// --no-publish never asks.
///
/// Examples:
///   nsi adopt cps-evidence-redaction-tool --force derbyshire --status adopted
///   nsi adopt drone-flight-log --force wiltshire --status piloting --since 2026-10-01 --publish
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The solution adopted.
    #[arg(value_name = "ID")]
    pub id: String,
    /// The adopting force's slug.
    #[arg(long, value_name = "SLUG")]
    pub force: String,
    /// How far along the force is.
    #[arg(long, value_enum)]
    pub status: Status,
    /// Since when (default: today for a new adopter; kept for one already listed).
    #[arg(long, value_name = "DATE")]
    pub since: Option<NaiveDate>,
    /// Publish the change as its own pull request without asking.
    #[arg(long, conflicts_with = "no_publish")]
    pub publish: bool,
    /// Never offer to publish.
    #[arg(long)]
    pub no_publish: bool,
}

/// How far along an adopting force is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Status {
    /// Looking into it.
    Exploring,
    /// Trying it.
    Piloting,
    /// Using it.
    Adopted,
}

impl Status {
    fn as_str(self) -> &'static str {
        match self {
            Status::Exploring => "exploring",
            Status::Piloting => "piloting",
            Status::Adopted => "adopted",
        }
    }
}

/// Run `nsi adopt`.
pub fn run(global: &GlobalArgs, args: &Args) -> Result<ExitCode, CliError> {
    let root = global.root()?;
    let settings = RuleSettings::from(&global.config(&root)?.config);
    let author = Author::open(&root, global.today(), settings)?;
    let force = args.force.trim();
    if author.reference().force(force).is_none() {
        let slugs: Vec<&str> = author
            .reference()
            .forces
            .iter()
            .map(|f| f.slug.as_str())
            .collect();
        let mut error = CliError::usage(format!("`{force}` is not a force slug"));
        if let Some(near) = crate::catalogue::reference::nearest(force, slugs) {
            error = error.with_hint(format!("did you mean `{near}`?"));
        }
        return Err(error.with_hint("the forces are listed in schema/reference/forces.yaml"));
    }
    let id = args.id.trim();
    let (file, _) = lookup::find_entry(&root, id).map_err(|e| super::not_found(&e))?;
    let path = file.path.clone();
    let original = crate::catalogue::load::read_text(&path)
        .map_err(|e| CliError::io(format!("cannot read {}: {e}", file.display.display())))?;
    let before = yaml::parse_value(&original).unwrap_or_default();
    let mut value = before.clone();
    let since = args.since.or_else(|| {
        // A new adopter starts today; one already listed keeps its date unless told.
        let listed = before
            .get("adopters")
            .and_then(serde_json::Value::as_array)
            .is_some_and(|l| {
                l.iter()
                    .any(|a| a.get("force").and_then(|f| f.as_str()) == Some(force))
            });
        (!listed).then(|| global.today())
    });
    let change = record(&mut value, force, args.status.as_str(), since)
        .map_err(|e| CliError::usage(e.to_string()))?;
    if change == AdoptionChange::Unchanged {
        anstream::eprintln!(
            "{} already lists {force} as {}: nothing to change",
            file.display.display(),
            args.status.as_str()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let canonical = crate::catalogue::format::to_yaml(&value, &author.reference().schema);
    let entry_file = EntryFile::new(path.clone(), file.display.clone());
    let edited = author.check_edit(&entry_file, &before, &canonical);
    let errors: Vec<_> = edited
        .diagnostics
        .iter()
        .filter(|d| d.severity == crate::catalogue::diagnostic::Severity::Error)
        .cloned()
        .collect();
    if !errors.is_empty() {
        super::add::print_diagnostics(&errors);
        return Err(CliError::findings(format!(
            "{} would not be valid with the adoption; nothing was written",
            file.display.display()
        ))
        .with_hint("fix the entry first (`nsi validate`), then record the adoption"));
    }
    author
        .replace(&path, &edited.text)
        .map_err(|e| CliError::io(e.to_string()))?;
    let what = match &change {
        AdoptionChange::Added => format!("added {force} ({})", args.status.as_str()),
        AdoptionChange::Updated { from } => {
            format!("{force}: {from} → {}", args.status.as_str())
        }
        AdoptionChange::Unchanged => unreachable!("returned above"),
    };
    output::print(&format!("{}: {what}\n", file.display.display()))?;
    let on_terminal = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    let publish = args.publish
        || (!args.no_publish
            && on_terminal
            && inquire::Confirm::new("Publish it as a pull request of its own now?")
                .with_default(false)
                .prompt()
                .unwrap_or(false));
    if !publish {
        if !global.quiet {
            anstream::eprintln!(
                "publish it when ready: nsi publish {id} --branch nsi/adopt-{id}-{force}"
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    super::publish::publish(
        global,
        &super::publish::Args {
            ids: vec![id.to_owned()],
            branch: Some(format!("nsi/adopt-{id}-{force}")),
            remote: None,
            dry_run: false,
            open: false,
            allow_blockers: false,
        },
    )
}
