//! `nsi fmt`: rewrite entries in the canonical form, or check that they are.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use crate::catalogue::format::{self, FormatError, FormatMode, FormatReport, Refusal};
use crate::cli::context::Context;
use crate::cli::error::CliError;
use crate::cli::render::output;
use crate::cli::render::text::{terminal_line, terminal_safe};

/// Rewrite entries in the canonical form.
///
/// Keys in the schema's order, one style of quoting and lists, long text folded at 100
/// columns, a trailing newline. Formatting never changes what an entry says, and formatting
/// twice changes nothing more. Files already canonical are not touched; others are replaced
/// atomically, keeping their line endings (LF or CRLF) and byte-order mark.
///
/// A file with comments is refused, untouched: fmt never drops a comment. So is a file that
/// is not clean YAML (run `nsi validate` on it). Exit code 0 when every file is (now)
/// canonical, 1 when a file was refused or, with --check, differs; 2 for usage or I/O errors.
///
/// Examples:
///   nsi fmt
///   nsi fmt catalogue/kent
///   nsi fmt --check          # in CI: list the files that are not canonical
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Files or folders to format. Default: the whole catalogue.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Write nothing: list the files that are not canonical (one per line) and exit 1 if any.
    #[arg(long)]
    pub check: bool,
}

/// Run `nsi fmt`.
pub fn run(ctx: &Context, args: &Args) -> Result<ExitCode, CliError> {
    let started = Instant::now();
    let root = ctx.catalogue()?.root();
    let mode = if args.check {
        FormatMode::Check
    } else {
        FormatMode::Write
    };
    let report = format::format_catalogue(root, &args.paths, mode)?;
    for (file, refusal) in report.refused() {
        anstream::eprintln!(
            "{}",
            terminal_safe(&refusal_line(file.display.display(), refusal))
        );
    }
    let changed = report.changed().count();
    if args.check {
        let mut listing = String::new();
        for file in report.changed() {
            // A file name is untrusted text: no escape sequence or line break of it reaches
            // the terminal (or a log a script reads line by line).
            let _ = writeln!(
                listing,
                "{}",
                terminal_line(&file.display.display().to_string())
            );
        }
        output::print(&listing)?;
    } else if !ctx.quiet() {
        output::print(&format!(
            "formatted {changed} of {} files\n",
            report.files.len()
        ))?;
    }
    if ctx.verbose() {
        anstream::eprintln!(
            "{} {} files under {} in {:.0?}",
            if args.check { "checked" } else { "formatted" },
            report.files.len(),
            terminal_line(&root.display().to_string()),
            started.elapsed()
        );
    }
    Ok(exit_code(&report, args.check))
}

/// 2 when a write failed, 1 when a file was refused or (checking) differs, else 0.
fn exit_code(report: &FormatReport, check: bool) -> ExitCode {
    if report.refused().any(|(_, refusal)| !refusal.is_content()) {
        ExitCode::from(2)
    } else if report.refused().next().is_some() || (check && report.changed().next().is_some()) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `file:line:column: error: why`, with what to do about it.
fn refusal_line(file: impl std::fmt::Display, refusal: &Refusal) -> String {
    let position = refusal.position();
    let why = match refusal {
        Refusal::Format(FormatError::Comment(_)) => {
            "a comment here; nsi fmt never drops comments, so the file is left as it is \
             (move the note into a field, or delete it)"
                .to_owned()
        }
        Refusal::Format(FormatError::Yaml(problems)) => format!(
            "not clean YAML ({}); left as it is: run `nsi validate {file}`",
            problems.first().map_or("", |p| p.message.as_str())
        ),
        Refusal::Format(error @ FormatError::Respelled { raw, .. }) => format!(
            "{error}; left as it is: quote it ('{raw}') if it is text, or write it as shown"
        ),
        Refusal::Unreadable(diagnostic) => format!(
            "{}; left as it is: run `nsi validate {file}`",
            diagnostic.message
        ),
        Refusal::Changed | Refusal::Write(_) => refusal.to_string(),
    };
    format!(
        "{file}:{}:{}: error: cannot format: {why}",
        position.line, position.column
    )
}
