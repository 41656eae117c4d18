//! Printing a [`CliError`] to stderr.

use anstyle::{AnsiColor, Effects, Style};

use super::text::terminal_safe;
use crate::cli::error::CliError;

const ERROR: Style = AnsiColor::BrightRed.on_default().effects(Effects::BOLD);
const HELP: Style = AnsiColor::BrightCyan.on_default().effects(Effects::BOLD);

/// Print `error` and its hints to stderr; with `verbose`, also what caused it.
pub fn print(error: &CliError, verbose: bool) {
    if error.kind == crate::cli::error::ErrorKind::BrokenPipe {
        return;
    }
    anstream::eprintln!("{ERROR}error{ERROR:#}: {}", terminal_safe(&error.message));
    if verbose {
        for cause in &error.causes {
            anstream::eprintln!("  caused by: {}", terminal_safe(cause));
        }
    }
    for hint in &error.hints {
        anstream::eprintln!("  {HELP}help{HELP:#}: {}", terminal_safe(hint));
    }
}
