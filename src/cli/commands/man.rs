//! `nsi man`: manual pages, generated from the command-line definition.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap_mangen::Man;

use crate::cli::context::Context;
use crate::cli::error::CliError;
use crate::cli::render::output;

/// Write manual pages.
///
/// Writes nsi.1 and one page per subcommand (nsi-search.1, …) into a folder, then lists the
/// files written.
///
/// Examples:
///   nsi man                                   # into ./man
///   nsi man --out ~/.local/share/man/man1
///   nsi man --out - | man -l -                # read the main page now
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The folder to write the pages into (created if missing), or `-` to print the main page
    /// to stdout.
    #[arg(long, value_name = "DIR", default_value = "man", value_hint = clap::ValueHint::DirPath)]
    pub out: PathBuf,
}

/// Run `nsi man`.
pub fn run(ctx: &Context, args: &Args) -> Result<ExitCode, CliError> {
    let mut command = crate::cli::command().disable_help_subcommand(true);
    command.build();
    if args.out.as_os_str() == "-" {
        let mut page = Vec::new();
        Man::new(command)
            .render(&mut page)
            .map_err(|e| CliError::io(format!("cannot render the manual page: {e}")))?;
        let page = String::from_utf8(page)
            .map_err(|e| CliError::io(format!("the manual page is not UTF-8: {e}")))?;
        output::print(&page)?;
        return Ok(ExitCode::SUCCESS);
    }
    fs::create_dir_all(&args.out)
        .map_err(|e| CliError::io(format!("cannot create {}: {e}", args.out.display())))?;
    let mut written = Vec::new();
    write_pages(&command, &args.out, &mut written)?;
    if !ctx.quiet() {
        let mut list = String::new();
        for path in &written {
            list.push_str(&path.display().to_string());
            list.push('\n');
        }
        output::print(&list)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Write the page of `command` and, depth first, those of its visible subcommands.
fn write_pages(
    command: &clap::Command,
    dir: &Path,
    written: &mut Vec<PathBuf>,
) -> Result<(), CliError> {
    let man = Man::new(command.clone());
    let path = dir.join(man.get_filename());
    let cannot = |e: std::io::Error| CliError::io(format!("cannot write {}: {e}", path.display()));
    let mut page = Vec::new();
    man.render(&mut page).map_err(cannot)?;
    fs::write(&path, page).map_err(cannot)?;
    written.push(path.clone());
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        write_pages(sub, dir, written)?;
    }
    Ok(())
}
