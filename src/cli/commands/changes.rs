//! `nsi changes` (being built).

use std::process::ExitCode;

use crate::cli::GlobalArgs;
use crate::cli::error::CliError;

/// Being built.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Run `nsi changes`.
pub fn run(_global: &GlobalArgs, _args: &Args) -> Result<ExitCode, CliError> {
    Err(CliError::usage("nsi changes is not built yet"))
}
