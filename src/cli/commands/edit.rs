//! `nsi edit`: change an entry in your editor, checked before it is written back.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::catalogue::author::{self, Author};
use crate::catalogue::load::EntryFile;
use crate::catalogue::lookup::{self, LookupError};
use crate::catalogue::validate::RuleSettings;
use crate::catalogue::yaml;
use crate::cli::GlobalArgs;
use crate::cli::editor::{self, Check, Outcome};
use crate::cli::error::CliError;
use crate::cli::render::output;

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
pub fn run(global: &GlobalArgs, args: &Args) -> Result<ExitCode, CliError> {
    let root = global.root()?;
    let id = args.id.trim();
    let path: PathBuf = match lookup::find_entry(&root, id) {
        Ok((file, _)) => file.path,
        // An entry that does not read is exactly what one may want to fix.
        Err(LookupError::Invalid { file, .. }) => crate::catalogue::load::under(&root, &file),
        Err(error) => return Err(super::not_found(&error)),
    };
    let display = author::display_under(&root, &path);
    let original = crate::catalogue::load::read_text(&path)
        .map_err(|e| CliError::io(format!("cannot read {}: {e}", display.display())))?;
    let original_value = yaml::parse_value(&original).unwrap_or_default();
    let settings = RuleSettings::from(&global.config(&root)?.config);
    let author = Author::open(&root, global.today(), settings)?;
    let file = EntryFile::new(path.clone(), display.clone());
    let draft = author::draft_path(&root, id, chrono::Local::now().naive_local());
    let draft_display = author::display_under(&root, &draft);
    let outcome = editor::edit_until_valid(&draft, &original, |text| {
        let edited = author.check_edit(&file, &original_value, text);
        if edited
            .diagnostics
            .iter()
            .any(|d| d.severity == crate::catalogue::diagnostic::Severity::Error)
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
    let _ = std::fs::remove_file(&draft);
    if !edited.changed {
        anstream::eprintln!("{} is unchanged", display.display());
        return Ok(ExitCode::SUCCESS);
    }
    editor::print_findings(&edited.diagnostics);
    // Someone else may have changed the file while the editor was open.
    let now = crate::catalogue::load::read_text(&path).unwrap_or_default();
    if now != original {
        author::write_draft(&draft, &edited.text).map_err(|e| CliError::io(e.to_string()))?;
        return Err(CliError::findings(format!(
            "{} changed on disk while you were editing; your version is in {}",
            display.display(),
            draft_display.display()
        )));
    }
    author::write_replace(&path, &edited.text).map_err(|e| CliError::io(e.to_string()))?;
    output::print(&format!("{}\n", display.display()))?;
    Ok(ExitCode::SUCCESS)
}
