//! Printing a [`CliError`] to stderr.

use anstyle::{AnsiColor, Effects, Style};

use super::text::terminal_safe;
use crate::cli::error::CliError;

const ERROR: Style = AnsiColor::BrightRed.on_default().effects(Effects::BOLD);
const HELP: Style = AnsiColor::BrightCyan.on_default().effects(Effects::BOLD);

/// Print `error` and its hints to stderr.
pub fn print(error: &CliError) {
    if error.kind == crate::cli::error::ErrorKind::BrokenPipe {
        return;
    }
    anstream::eprintln!("{ERROR}error{ERROR:#}: {}", terminal_safe(&error.message));
    for hint in &error.hints {
        anstream::eprintln!("  {HELP}help{HELP:#}: {}", terminal_safe(hint));
    }
}
