//! `nsi completions`: a shell completion script, generated from the command-line definition.

use std::process::ExitCode;

use clap_complete::Shell;

use crate::cli::GlobalArgs;
use crate::cli::error::CliError;
use crate::cli::render::output;

/// Print a shell completion script.
///
/// The script completes subcommands, flags, the values of enumerated flags and paths. Entry ids
/// are not completed.
///
/// Examples:
///   source <(nsi completions bash)                      # try it in this shell
///   nsi completions bash > ~/.local/share/bash-completion/completions/nsi
///   nsi completions zsh > "${fpath[1]}/_nsi"
///   nsi completions fish > ~/.config/fish/completions/nsi.fish
///   nsi completions powershell >> $PROFILE
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The shell to write the script for.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: Shell,
}

/// Run `nsi completions`.
pub fn run(_global: &GlobalArgs, args: &Args) -> Result<ExitCode, CliError> {
    let mut command = crate::cli::command();
    let name = command.get_name().to_owned();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, name, &mut script);
    let script = String::from_utf8(script)
        .map_err(|e| CliError::io(format!("the completion script is not UTF-8: {e}")))?;
    output::print(&script)?;
    Ok(ExitCode::SUCCESS)
}
