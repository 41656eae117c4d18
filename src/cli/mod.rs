//! The command line: arguments, rendering, exit codes. Each command parses its arguments, calls
//! one domain function and renders the result; decisions live in [`crate::catalogue`].

pub mod commands;
pub mod editor;
pub mod error;
pub mod picker;
pub mod prompt;
pub mod render;

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};

use error::CliError;

/// nsi — the National Solutions Index.
///
/// A git-backed catalogue in which UK police forces list the technology solutions they have
/// built, so other forces can find them, see what it takes to reuse them, and contact the
/// people who built them. Entries live at catalogue/<force>/<id>.yaml and are checked against
/// schema/solution.schema.json.
#[derive(Debug, Parser)]
#[command(name = "nsi", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

/// Flags every command accepts.
#[derive(Debug, clap::Args)]
pub struct GlobalArgs {
    /// The catalogue root (the folder holding catalogue/ and schema/). Default: the nearest
    /// folder at or above the working directory that holds catalogue/.
    #[arg(long, global = true, value_name = "DIR", env = "NSI_CATALOGUE")]
    pub catalogue: Option<PathBuf>,
    /// When to use colour. `auto` uses it on a terminal unless `NO_COLOR` is set.
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,
    /// Print only errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more detail (where the schema was read from, timings).
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// Judge dates as if today were this day (YYYY-MM-DD), for reproducible runs.
    #[arg(
        long,
        global = true,
        env = "NSI_TODAY",
        hide = true,
        value_name = "DATE"
    )]
    pub today: Option<NaiveDate>,
}

impl GlobalArgs {
    /// Today, or the date given with `--today` / `NSI_TODAY`.
    pub fn today(&self) -> NaiveDate {
        self.today
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    /// The catalogue root for this run.
    pub fn root(&self) -> Result<PathBuf, CliError> {
        let cwd = std::env::current_dir()
            .map_err(|e| CliError::io(format!("cannot read the working directory: {e}")))?;
        crate::catalogue::load::find_root(self.catalogue.as_deref(), &cwd).map_err(|e| {
            CliError::usage(e.to_string())
                .with_hint("run nsi inside a catalogue repository, or pass --catalogue DIR")
        })
    }
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// On a terminal, unless `NO_COLOR` is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

#[derive(Debug, Subcommand)]
enum Command {
    Search(Box<commands::search::Args>),
    Show(commands::show::Args),
    Stats(commands::stats::Args),
    Similar(commands::similar::Args),
    Add(Box<commands::add::Args>),
    Edit(commands::edit::Args),
    Import(commands::import::Args),
    Fmt(commands::fmt::Args),
    Validate(commands::validate::Args),
    Stale(commands::stale::Args),
    Export(commands::export::Args),
    Completions(commands::completions::Args),
    Man(commands::man::Args),
}

/// The command-line definition, for completion scripts and manual pages: the derived one, with
/// `--catalogue` completed as a folder rather than any path.
pub fn command() -> clap::Command {
    use clap::CommandFactory as _;
    Cli::command().mut_arg("catalogue", |arg| arg.value_hint(clap::ValueHint::DirPath))
}

/// Parse the command line, run the command and return the exit code:
/// 0 success, 1 findings, 2 usage or I/O error.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let choice = match cli.global.color {
        ColorWhen::Auto => anstream::ColorChoice::Auto,
        ColorWhen::Always => anstream::ColorChoice::Always,
        ColorWhen::Never => anstream::ColorChoice::Never,
    };
    choice.write_global();
    let result = match cli.command {
        Command::Search(args) => commands::search::run(&cli.global, &args),
        Command::Show(args) => commands::show::run(&cli.global, &args),
        Command::Stats(args) => commands::stats::run(&cli.global, &args),
        Command::Similar(args) => commands::similar::run(&cli.global, &args),
        Command::Add(args) => commands::add::run(&cli.global, &args),
        Command::Edit(args) => commands::edit::run(&cli.global, &args),
        Command::Import(args) => commands::import::run(&cli.global, &args),
        Command::Fmt(args) => commands::fmt::run(&cli.global, &args),
        Command::Validate(args) => commands::validate::run(&cli.global, &args),
        Command::Stale(args) => commands::stale::run(&cli.global, &args),
        Command::Export(args) => commands::export::run(&cli.global, &args),
        Command::Completions(args) => commands::completions::run(&cli.global, &args),
        Command::Man(args) => commands::man::run(&cli.global, &args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            render::error::print(&error);
            error.exit_code()
        }
    }
}
