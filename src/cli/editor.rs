//! The edit-validate-reopen loop of `nsi add --edit` and `nsi edit`, as `git commit` and
//! `kubectl edit` do it: open the user's editor on a draft file, check what was saved, and
//! when it is not valid, reopen it with the errors as comments at the top. The draft lives
//! under `<root>/.nsi/drafts/`, so nothing typed is lost when the loop is given up.

use std::path::Path;
use std::process::Command;

use crate::catalogue::author::{self, error_block, is_blank, strip_error_block};
use crate::catalogue::diagnostic::Diagnostic;
use crate::cli::error::CliError;

/// What a check of the saved text found.
pub enum Check<T> {
    /// Valid: the loop ends with this.
    Valid(T),
    /// Not valid: reopen with these findings.
    Invalid(Vec<Diagnostic>),
}

/// How the loop ended.
pub enum Outcome<T> {
    /// A valid entry was saved.
    Saved(T),
    /// The user gave up.
    Abandoned {
        /// Why, in a few words.
        reason: String,
        /// Whether the draft was kept (it holds something the user typed).
        kept: bool,
    },
}

/// The editor to run: `$VISUAL`, else `$EDITOR`, else `vi`.
pub fn editor_command() -> String {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|value| !value.trim().is_empty())
        .unwrap_or_else(|| "vi".to_owned())
}

/// Run the editor on `path`. The editor setting may hold arguments (`code --wait`), so it goes
/// through the shell as git does; the path is passed as an argument, never put in the script.
fn run_editor(path: &Path) -> Result<std::process::ExitStatus, CliError> {
    let editor = editor_command();
    Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$@\""))
        .arg(&editor)
        .arg(path)
        .status()
        .map_err(|e| CliError::io(format!("cannot run the editor `{editor}`: {e}")))
}

fn read(path: &Path) -> Result<String, CliError> {
    author::read_draft(path)
        .map_err(|e| CliError::io(format!("cannot read the draft {}: {e}", path.display())))
}

fn write(root: &Path, path: &Path, text: &str) -> Result<(), CliError> {
    Ok(author::write_draft(root, path, text)?)
}

/// Edit `initial` in the draft file `draft` (of the catalogue under `root`) until `check`
/// accepts it or the user gives up (the editor fails, or the file is saved empty or
/// unchanged). The draft is removed when there is nothing in it worth keeping; the caller
/// removes it once the result is written.
pub fn edit_until_valid<T>(
    root: &Path,
    draft: &Path,
    initial: &str,
    mut check: impl FnMut(&str) -> Check<T>,
) -> Result<Outcome<T>, CliError> {
    write(root, draft, initial)?;
    let original = strip_error_block(initial).to_owned();
    let mut shown = initial.to_owned();
    let abandon = |reason: String, text: &str| {
        let body = strip_error_block(text);
        let kept = !is_blank(body) && body != original;
        if !kept {
            author::discard_draft(draft);
        }
        Ok(Outcome::Abandoned { reason, kept })
    };
    loop {
        let status = run_editor(draft)?;
        let text = read(draft)?;
        if !status.success() {
            let code = status
                .code()
                .map_or_else(|| "a signal".to_owned(), |c| format!("status {c}"));
            return abandon(format!("the editor exited with {code}"), &text);
        }
        let body = strip_error_block(&text);
        if is_blank(body) {
            return abandon("the file was saved empty".to_owned(), &text);
        }
        if text == shown {
            return abandon("the file was not changed".to_owned(), &text);
        }
        match check(body) {
            Check::Valid(value) => return Ok(Outcome::Saved(value)),
            Check::Invalid(diagnostics) => {
                anstream::eprintln!("The entry is not valid yet; reopening the editor:");
                crate::cli::render::diagnostics::eprint(&diagnostics);
                shown = format!("{}{body}", error_block(&diagnostics, draft));
                write(root, draft, &shown)?;
            }
        }
    }
}
