//! `nsi edit`: change an entry in your editor, checked before it is written back.

use std::process::ExitCode;

use crate::catalogue::author::{self, AuthorError};
use crate::catalogue::diagnostic::Severity;
use crate::catalogue::load;
use crate::catalogue::lookup;
use crate::catalogue::yaml;
use crate::cli::context::Context;
use crate::cli::editor::{self, Check, Outcome};
use crate::cli::error::CliError;
use crate::cli::render::{diagnostics, output};

/// Edit an entry in $VISUAL / $EDITOR.
///
/// On save the entry is checked as `nsi validate` would; while it is not valid the editor
/// reopens with the errors listed at the top. It is written back (in canonical form, keeping
/// the file's line endings, CRLF or LF) only when valid and changed; closing the editor
/// without saving, or with an error status, leaves the entry untouched. No other file is
/// changed.
///
/// Example:
///   nsi edit cps-evidence-redaction-tool
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The entry's id.
    #[arg(value_name = "ID")]
    pub id: String,
}

/// Run `nsi edit`.
pub fn run(ctx: &Context, args: &Args) -> Result<ExitCode, CliError> {
    let catalogue = ctx.catalogue()?;
    let root = catalogue.root();
    let id = args.id.trim();
    // Found by the one lookup every command uses: a link leading outside the catalogue is
    // refused before anything is read or copied into a draft. An entry that does not read is
    // exactly what one may want to fix, so the file is not parsed here.
    let file = lookup::locate(root, id)?;
    let (path, display) = (file.path.clone(), file.display.clone());
    let original = load::read_text(&path)
        .map_err(|e| CliError::io(format!("cannot read {}: {e}", display.display())))?;
    let original_value = yaml::parse_value(&original).unwrap_or_default();
    let author = catalogue.author(ctx.today())?;
    let draft = author::draft_path(root, id, chrono::Local::now().naive_local());
    let draft_display = author::display_under(root, &draft);
    let outcome = editor::edit_until_valid(root, &draft, &original, |text| {
        let edited = author.check_edit(&file, &original_value, text);
        if edited
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
        {
            Check::Invalid(edited.diagnostics)
        } else {
            Check::Valid(edited)
        }
    })?;
    let edited = match outcome {
        Outcome::Saved(edited) => edited,
        Outcome::Abandoned { reason, kept } => {
            anstream::eprintln!("{} is unchanged: {reason}", display.display());
            if kept {
                return Err(CliError::findings(format!(
                    "your changes are kept in {}",
                    draft_display.display()
                )));
            }
            return Ok(ExitCode::SUCCESS);
        }
    };
    if !edited.changed {
        author::discard_draft(&draft);
        anstream::eprintln!("{} is unchanged", display.display());
        return Ok(ExitCode::SUCCESS);
    }
    diagnostics::eprint(&edited.diagnostics);
    // The draft holds what was saved in the editor: it goes only once the entry is on disk,
    // so a write that fails (a full disk, a read-only folder) or a file someone else changed
    // while the editor was open loses nothing.
    match author.replace_unchanged(&path, &original, &edited.text) {
        Ok(()) => {}
        Err(AuthorError::ChangedOnDisk { .. }) => {
            author::write_draft(root, &draft, &edited.text)?;
            return Err(CliError::findings(format!(
                "{} changed on disk while you were editing; your version is in {}",
                display.display(),
                draft_display.display()
            )));
        }
        Err(error) => {
            let why = match &error {
                AuthorError::Io { source, .. } => source.to_string(),
                other => other.to_string(),
            };
            return Err(CliError::io(format!(
                "cannot write {}: {why}; the entry is unchanged, and your edit is kept in {}",
                display.display(),
                draft_display.display()
            ))
            .with_hint(format!(
                "once the cause is fixed, copy it over the entry (cp {} {}) and check it with \
                 `nsi validate {}`",
                draft_display.display(),
                display.display(),
                display.display()
            )));
        }
    }
    author::discard_draft(&draft);
    output::print(&format!("{}\n", display.display()))?;
    Ok(ExitCode::SUCCESS)
}
