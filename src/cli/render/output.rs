//! Writing to stdout: colour handled by `anstream`, and a closed pipe (`nsi search | head -1`)
//! ending the command quietly instead of with an error.

use std::io::{self, IsTerminal as _, Write};

use crate::cli::error::CliError;

/// Turn a write error into the right [`CliError`]: a broken pipe is a quiet exit.
pub fn write_error(error: &io::Error) -> CliError {
    if error.kind() == io::ErrorKind::BrokenPipe {
        CliError::broken_pipe()
    } else {
        CliError::io(format!("cannot write the output: {error}"))
    }
}

/// Write `text` to stdout (colour stripped when not wanted) and flush.
pub fn print(text: &str) -> Result<(), CliError> {
    let mut out = anstream::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| write_error(&e))
}

/// Write to stdout as `write` goes, through a buffer, so that a large output is never held in
/// memory whole; a closed pipe ends it quietly, as with [`print`].
pub fn print_with(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), CliError> {
    let mut out = io::BufWriter::with_capacity(1 << 16, anstream::stdout().lock());
    write(&mut out)
        .and_then(|()| out.flush())
        .map_err(|e| write_error(&e))
}

/// Whether stdout is a terminal (tables, limits and colour depend on it).
pub fn stdout_is_terminal() -> bool {
    io::stdout().is_terminal()
}

/// The width to fit output to: `COLUMNS` when set, else the terminal's when stdout is one,
/// else 100. Asked once: off a terminal the terminal library would run `tput` to find out.
pub fn width() -> usize {
    static WIDTH: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *WIDTH.get_or_init(|| {
        std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse::<usize>().ok())
            .filter(|c| *c >= 20)
            .or_else(|| {
                stdout_is_terminal()
                    .then(crossterm::terminal::size)
                    .and_then(Result::ok)
                    .map(|(w, _)| usize::from(w))
            })
            .unwrap_or(100)
    })
}
