//! `nsi edit`: being built (see issue 4); until then it says so and exits 2.

use std::process::ExitCode;

use crate::cli::GlobalArgs;
use crate::cli::error::CliError;

/// Not built yet.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Run `nsi edit`.
pub fn run(_global: &GlobalArgs, _args: &Args) -> Result<ExitCode, CliError> {
    Err(CliError::usage("`nsi edit` is not built yet"))
}
