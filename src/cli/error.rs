//! Errors as the user sees them: a message, hints, and the exit code they map to.

use std::process::ExitCode;

mod from;

/// What kind of failure, which decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Findings in the catalogue (exit 1).
    Findings,
    /// Bad arguments, a missing path, a broken schema (exit 2).
    Usage,
    /// Reading or writing failed (exit 2).
    Io,
    /// The reader of our output went away (`| head`): stop quietly (exit 0).
    BrokenPipe,
}

/// An error to report to the user.
#[derive(Debug)]
pub struct CliError {
    /// Which kind.
    pub kind: ErrorKind,
    /// The message, one sentence.
    pub message: String,
    /// Suggestions, one per line.
    pub hints: Vec<String>,
    /// What lay beneath the error, outermost first (shown with `-v`).
    pub causes: Vec<String>,
}

impl CliError {
    /// A usage error (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        CliError {
            kind: ErrorKind::Usage,
            message: message.into(),
            hints: Vec::new(),
            causes: Vec::new(),
        }
    }

    /// An I/O error (exit 2).
    pub fn io(message: impl Into<String>) -> Self {
        CliError {
            kind: ErrorKind::Io,
            message: message.into(),
            hints: Vec::new(),
            causes: Vec::new(),
        }
    }

    /// Stdout was closed by its reader.
    pub fn broken_pipe() -> Self {
        CliError {
            kind: ErrorKind::BrokenPipe,
            message: String::new(),
            hints: Vec::new(),
            causes: Vec::new(),
        }
    }

    /// Findings (exit 1) with a message, e.g. an entry that cannot be shown.
    pub fn findings(message: impl Into<String>) -> Self {
        CliError {
            kind: ErrorKind::Findings,
            message: message.into(),
            hints: Vec::new(),
            causes: Vec::new(),
        }
    }

    /// Add a hint.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    /// Add a hint, if there is one.
    #[must_use]
    pub fn with_optional_hint(mut self, hint: Option<String>) -> Self {
        self.hints.extend(hint);
        self
    }

    /// Record the chain of errors beneath `error` (its sources), shown with `-v`.
    #[must_use]
    pub fn caused_by(mut self, error: &(dyn std::error::Error + 'static)) -> Self {
        let mut source = error.source();
        while let Some(cause) = source {
            let text = cause.to_string();
            if !self.message.contains(&text) && !self.causes.contains(&text) {
                self.causes.push(text);
            }
            source = cause.source();
        }
        self
    }

    /// The process exit code.
    pub fn exit_code(&self) -> ExitCode {
        match self.kind {
            ErrorKind::BrokenPipe => ExitCode::SUCCESS,
            ErrorKind::Findings => ExitCode::from(1),
            ErrorKind::Usage | ErrorKind::Io => ExitCode::from(2),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::CliError;
    use crate::catalogue::git::GitError;

    #[test]
    fn the_cause_chain_is_kept_for_verbose_output() {
        let error = GitError::Io {
            path: "catalogue".into(),
            source: std::io::Error::other("disk on fire"),
        };
        let cli = CliError::io("cannot read the catalogue").caused_by(&error);
        assert_eq!(cli.causes, ["disk on fire"]);
        // A cause already in the message is not repeated.
        let cli = CliError::io(error.to_string()).caused_by(&error);
        assert!(cli.causes.is_empty(), "{:?}", cli.causes);
    }
}
