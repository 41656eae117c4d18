//! `nsi similar`: being built (see issue 4); until then it says so and exits 2.

use std::process::ExitCode;

use crate::cli::GlobalArgs;
use crate::cli::error::CliError;

/// Not built yet.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Run `nsi similar`.
pub fn run(_global: &GlobalArgs, _args: &Args) -> Result<ExitCode, CliError> {
    Err(CliError::usage("`nsi similar` is not built yet"))
}
