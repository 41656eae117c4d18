//! The command line: arguments, rendering, exit codes. Each command parses its arguments, calls
//! one domain function and renders the result; decisions live in [`crate::catalogue`].

pub mod commands;
pub mod context;
pub mod editor;
pub mod error;
pub mod lsp;
pub mod picker;
pub mod prompt;
pub mod publishing;
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
#[command(
    name = "nsi",
    version,
    propagate_version = true,
    max_term_width = 100,
    help_template = help_template()
)]
pub struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

/// The tasks `nsi --help` groups commands by. A command missing here is listed under "Other",
/// so every command appears exactly once whatever is added later.
const COMMAND_GROUPS: &[(&str, &[&str])] = &[
    (
        "Find",
        &["search", "show", "stats", "similar", "overlaps", "request"],
    ),
    ("Contribute", &["add", "edit", "adopt", "import", "fmt"]),
    (
        "Review",
        &[
            "validate",
            "diff",
            "history",
            "review",
            "stale",
            "codeowners",
        ],
    ),
    ("Publish", &["publish", "export", "changes"]),
    (
        "Setup",
        &["config", "index", "completions", "lsp", "man", "version"],
    ),
];

/// The template of `nsi --help`: clap's own layout, with the commands listed by task instead
/// of in one block. Each command's line is its summary, read from the command's definition.
fn help_template() -> String {
    use std::fmt::Write as _;
    let all = <Command as Subcommand>::augment_subcommands(clap::Command::new("nsi"));
    let visible: Vec<&clap::Command> = all.get_subcommands().filter(|c| !c.is_hide_set()).collect();
    let styles = clap::builder::styling::Styles::default();
    let (header, literal) = (styles.get_header(), styles.get_literal());
    let name_width = visible
        .iter()
        .map(|c| c.get_name().len())
        .max()
        .unwrap_or(0);
    let indent = " ".repeat(name_width + 4);
    let width = render::output::width().min(100);
    let text_width = width.saturating_sub(indent.len()).max(30);
    let grouped = |name: &str| {
        COMMAND_GROUPS
            .iter()
            .any(|(_, names)| names.contains(&name))
    };
    let mut groups: Vec<(&str, Vec<&clap::Command>)> = COMMAND_GROUPS
        .iter()
        .map(|(title, names)| {
            let commands = names
                .iter()
                .filter_map(|name| visible.iter().find(|c| c.get_name() == *name).copied())
                .collect();
            (*title, commands)
        })
        .collect();
    groups.push((
        "Other",
        visible
            .iter()
            .filter(|c| !grouped(c.get_name()))
            .copied()
            .collect(),
    ));
    let mut out = String::from("{before-help}{about-with-newline}\n{usage-heading} {usage}\n\n");
    for (title, commands) in groups.iter().filter(|(_, commands)| !commands.is_empty()) {
        let _ = writeln!(out, "{header}{title}:{header:#}");
        for command in commands {
            let name = command.get_name();
            let about = command
                .get_about()
                .map(ToString::to_string)
                .unwrap_or_default();
            let about = about.split_whitespace().collect::<Vec<_>>().join(" ");
            let lines = textwrap::wrap(&about, text_width);
            let pad = " ".repeat(name_width - name.len());
            let first = lines.first().map_or("", |line| line.as_ref());
            let _ = writeln!(out, "  {literal}{name}{literal:#}{pad}  {first}");
            for line in lines.iter().skip(1) {
                let _ = writeln!(out, "{indent}{line}");
            }
        }
        out.push('\n');
    }
    let _ = write!(
        out,
        "Run `nsi help <COMMAND>` or `nsi <COMMAND> --help` for a command's options and \
         examples.\n\n{header}Options:{header:#}\n{{options}}{{after-help}}"
    );
    out
}

/// Flags every command accepts.
#[derive(Debug, clap::Args)]
pub struct GlobalArgs {
    /// The catalogue root (the folder holding catalogue/ and schema/). Default: the nearest
    /// folder at or above the working directory that holds catalogue/.
    #[arg(long, global = true, value_name = "DIR", env = "NSI_CATALOGUE")]
    pub catalogue: Option<PathBuf>,
    /// When to use colour. `auto` uses it on a terminal unless `NO_COLOR` is set.
    #[arg(
        long,
        global = true,
        value_enum,
        default_value_t = ColorWhen::Auto,
        value_name = "WHEN",
        env = "NSI_COLOR"
    )]
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
    Overlaps(commands::overlaps::Args),
    Request(commands::request::Args),
    Index(commands::index::Args),
    Add(Box<commands::add::Args>),
    Edit(commands::edit::Args),
    Adopt(commands::adopt::Args),
    Import(commands::import::Args),
    Fmt(commands::fmt::Args),
    Migrate(commands::migrate::Args),
    Validate(commands::validate::Args),
    Stale(commands::stale::Args),
    Diff(commands::diff::Args),
    History(commands::history::Args),
    Review(commands::review::Args),
    Publish(commands::publish::Args),
    Codeowners(commands::codeowners::Args),
    Export(commands::export::Args),
    Changes(commands::changes::Args),
    Config(commands::config::Args),
    Completions(commands::completions::Args),
    Man(commands::man::Args),
    Version(commands::version::Args),
    Lsp(commands::lsp::Args),
}

/// The parser of a count that must be at least 1 (`--limit N`).
pub fn at_least_one() -> clap::builder::RangedU64ValueParser<usize> {
    clap::builder::RangedU64ValueParser::<usize>::new().range(1..)
}

/// The command-line definition, for completion scripts and manual pages: the derived one, with
/// `--catalogue` completed as a folder rather than any path.
pub fn command() -> clap::Command {
    use clap::CommandFactory as _;
    Cli::command().mut_arg("catalogue", |arg| arg.value_hint(clap::ValueHint::DirPath))
}

/// Set by [`run`]: this process is the `nsi` command, so `std::env::current_exe()` is nsi.
static THE_COMMAND: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether this process is the `nsi` command (it can start `nsi` subprocesses of itself), as
/// opposed to a test or another program calling the library.
pub fn is_the_command() -> bool {
    THE_COMMAND.load(std::sync::atomic::Ordering::Relaxed)
}

/// Parse the command line, run the command and return the exit code:
/// 0 success, 1 findings, 2 usage or I/O error.
pub fn run() -> ExitCode {
    use clap::{CommandFactory as _, FromArgMatches as _};
    THE_COMMAND.store(true, std::sync::atomic::Ordering::Relaxed);
    // A shell asking for completions (`COMPLETE=bash nsi …`) is answered before any parsing.
    commands::completions::complete_from_env();
    let matches = Cli::command().get_matches();
    let cli =
        Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.format(&mut Cli::command()).exit());
    commands::config::remember_global_origins(&matches);
    let choice = match cli.global.color {
        ColorWhen::Auto => anstream::ColorChoice::Auto,
        ColorWhen::Always => anstream::ColorChoice::Always,
        ColorWhen::Never => anstream::ColorChoice::Never,
    };
    choice.write_global();
    let ctx = context::Context::new(&cli.global);
    let result = match cli.command {
        Command::Search(args) => commands::search::run(&ctx, &args),
        Command::Show(args) => commands::show::run(&ctx, &args),
        Command::Stats(args) => commands::stats::run(&ctx, &args),
        Command::Similar(args) => commands::similar::run(&ctx, &args),
        Command::Overlaps(args) => commands::overlaps::run(&ctx, &args),
        Command::Request(args) => commands::request::run(&ctx, &args),
        Command::Index(args) => commands::index::run(&ctx, &args),
        Command::Add(args) => commands::add::run(&ctx, &args),
        Command::Edit(args) => commands::edit::run(&ctx, &args),
        Command::Adopt(args) => commands::adopt::run(&ctx, &args),
        Command::Import(args) => commands::import::run(&ctx, &args),
        Command::Fmt(args) => commands::fmt::run(&ctx, &args),
        Command::Migrate(args) => commands::migrate::run(&ctx, &args),
        Command::Validate(args) => commands::validate::run(&ctx, &args),
        Command::Stale(args) => commands::stale::run(&ctx, &args),
        Command::Diff(args) => commands::diff::run(&ctx, &args),
        Command::History(args) => commands::history::run(&ctx, &args),
        Command::Review(args) => commands::review::run(&ctx, &args),
        Command::Publish(args) => commands::publish::run(&ctx, &args),
        Command::Codeowners(args) => commands::codeowners::run(&ctx, &args),
        Command::Export(args) => commands::export::run(&ctx, &args),
        Command::Changes(args) => commands::changes::run(&ctx, &args),
        Command::Config(args) => commands::config::run(&ctx, &args),
        Command::Completions(args) => commands::completions::run(&ctx, &args),
        Command::Man(args) => commands::man::run(&ctx, &args),
        Command::Version(args) => commands::version::run(&ctx, &args),
        Command::Lsp(args) => commands::lsp::run(&ctx, &args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            render::error::print(&error, cli.global.verbose);
            error.exit_code()
        }
    }
}
