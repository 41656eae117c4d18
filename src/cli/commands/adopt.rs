//! `nsi adopt`: record that a force explores, pilots or uses another force's solution.

use std::io::IsTerminal as _;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::ValueEnum;

use crate::catalogue::adoption::{AdoptError, AdoptionChange, adopt};
use crate::catalogue::lookup;
use crate::cli::context::Context;
use crate::cli::error::CliError;
use crate::cli::publishing;
use crate::cli::render::{self, output};

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
pub fn run(ctx: &Context, args: &Args) -> Result<ExitCode, CliError> {
    let catalogue = ctx.catalogue()?;
    let author = catalogue.author(ctx.today())?;
    let force = args.force.trim();
    author.reference().known_forces([force])?;
    let id = args.id.trim();
    let (file, _) = lookup::find_entry(catalogue.root(), id)?;
    let status = args.status.as_str();
    let adopted = match adopt(&author, &file, force, status, args.since, ctx.today()) {
        Err(AdoptError::Invalid { errors, file }) => {
            render::diagnostics::eprint(&errors);
            return Err(AdoptError::Invalid { errors, file }.into());
        }
        other => other?,
    };
    let what = match &adopted.change {
        AdoptionChange::Unchanged => {
            anstream::eprintln!(
                "{} already lists {force} as {status}: nothing to change",
                adopted.file.display()
            );
            return Ok(ExitCode::SUCCESS);
        }
        AdoptionChange::Added => format!("added {force} ({status})"),
        AdoptionChange::Updated { from } => format!("{force}: {from} → {status}"),
    };
    output::print(&format!("{}: {what}\n", adopted.file.display()))?;
    let on_terminal = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    let publish = args.publish
        || (!args.no_publish
            && on_terminal
            && inquire::Confirm::new("Publish it as a pull request of its own now?")
                .with_default(false)
                .prompt()
                .unwrap_or(false));
    let branch = format!("nsi/adopt-{id}-{force}");
    if !publish {
        if !ctx.quiet() {
            anstream::eprintln!("publish it when ready: nsi publish {id} --branch {branch}");
        }
        return Ok(ExitCode::SUCCESS);
    }
    publishing::publish(
        ctx,
        &publishing::Request {
            ids: vec![id.to_owned()],
            branch: Some(branch),
            ..publishing::Request::default()
        },
    )
}
