//! Finding one entry by its id, without reading the rest of the catalogue.

use std::fs;
use std::path::{Path, PathBuf};

use super::diagnostic::Diagnostic;
use super::entry::{Entry, is_solution_id};
use super::load::{self, CATALOGUE_DIR, EntryFile, Followed};
use super::suggest::nearest_ids;
use super::validate::rules;
use super::yaml;

/// Why an entry could not be shown.
#[derive(Debug, thiserror::Error)]
pub enum LookupError {
    /// No file has this id.
    #[error("no entry with the id `{id}`")]
    NotFound {
        /// The id asked for.
        id: String,
        /// The nearest ids that exist.
        suggestions: Vec<String>,
    },
    /// The file exists but is not a readable entry.
    #[error("{} is not a valid entry", file.display())]
    Invalid {
        /// The file.
        file: PathBuf,
        /// What is wrong (run `nsi validate` for everything).
        diagnostics: Vec<Diagnostic>,
    },
    /// The only file with this id is a symbolic link (or lies in a linked folder) that leads
    /// outside the catalogue: it is neither read nor written (NSI012).
    #[error(
        "{} leads outside the catalogue (to {}) through a symbolic link; it is not followed",
        file.display(),
        target.display()
    )]
    OutsideCatalogue {
        /// The file, named as in messages.
        file: PathBuf,
        /// Where the link leads.
        target: PathBuf,
    },
}

/// The force folders of the catalogue under `root` that lead inside it (a linked folder may,
/// if it resolves inside), in name order; hidden folders are not force folders.
fn force_dirs(root: &Path, catalogue: Option<&Path>) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(root.join(CATALOGUE_DIR))
        .map(|read| {
            read.filter_map(Result::ok)
                .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
                .map(|e| e.path())
                .filter(|p| p.is_dir() && matches!(load::follow(catalogue, p), Followed::Inside(_)))
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    dirs
}

/// Every id in the catalogue (the stems of entry files), leaving out links that lead outside
/// it, as every lookup does.
pub fn all_ids(root: &Path) -> Vec<String> {
    let catalogue = load::resolved_catalogue(root);
    let mut ids: Vec<String> = force_dirs(root, catalogue.as_deref())
        .iter()
        .filter_map(|dir| fs::read_dir(dir).ok())
        .flat_map(|read| read.filter_map(Result::ok))
        .filter(|e| {
            // Only a link costs a look at where it leads.
            !e.file_type().is_ok_and(|t| t.is_symlink())
                || matches!(
                    load::follow(catalogue.as_deref(), &e.path()),
                    Followed::Inside(_)
                )
        })
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            name.strip_suffix(".yaml").map(str::to_owned)
        })
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// Find the file of the entry with `id` in the catalogue under `root`, by the one policy on
/// symbolic links that discovery applies too ([`load::follow`]): a link, or a linked force
/// folder, is followed only when it leads inside the catalogue. When several force folders
/// hold the id, the first (by name) inside the catalogue wins; when only links leading outside
/// do, the lookup is refused. The file is not read.
pub fn locate(root: &Path, id: &str) -> Result<EntryFile, LookupError> {
    let not_found = || LookupError::NotFound {
        id: id.to_owned(),
        suggestions: nearest_ids(id, &all_ids(root)),
    };
    if !is_solution_id(id) {
        return Err(not_found());
    }
    let catalogue = load::resolved_catalogue(root);
    let mut outside = None;
    // Linked folders are listed too, to be refused by name rather than reported missing.
    let mut dirs: Vec<PathBuf> = fs::read_dir(root.join(CATALOGUE_DIR))
        .map(|read| {
            read.filter_map(Result::ok)
                .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
                .map(|e| e.path())
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    for dir in dirs {
        let path = dir.join(format!("{id}.yaml"));
        match load::follow(catalogue.as_deref(), &path) {
            Followed::Inside(target) if target.is_file() => {
                let display = load::display_path(root, &path);
                return Ok(EntryFile::new(path, display));
            }
            Followed::Outside(target) => {
                outside.get_or_insert((load::display_path(root, &path), target));
            }
            Followed::Inside(_) | Followed::Missing | Followed::Broken(_) => {}
        }
    }
    match outside {
        Some((file, target)) => Err(LookupError::OutsideCatalogue { file, target }),
        None => Err(not_found()),
    }
}

/// Read the entry with `id` from the catalogue under `root` (found by [`locate`]).
pub fn find_entry(root: &Path, id: &str) -> Result<(EntryFile, Entry), LookupError> {
    let file = locate(root, id)?;
    read_entry(&file).map(|entry| (file, entry))
}

/// Read one file as a typed entry (without the schema's checks), or say why not.
pub fn read_entry(file: &EntryFile) -> Result<Entry, LookupError> {
    let invalid = |diagnostics| LookupError::Invalid {
        file: file.display.clone(),
        diagnostics,
    };
    let source = load::read_source(file).map_err(|d| invalid(vec![*d]))?;
    // Most files are in the canonical subset of YAML and read straight into an entry; the
    // rest, and any that does not fit, go the long way, which agrees and words the errors.
    if let Some(entry) = yaml::from_canonical(&source.text) {
        return Ok(entry);
    }
    // Well-formed files are parsed once, without positions; positions are only worth a second
    // parse to explain a file that is not.
    let Some(value) = yaml::parse_value(&source.text) else {
        return Err(invalid(yaml_problems(file, &source.text)));
    };
    serde_json::from_value(value).map_err(|error| {
        invalid(vec![Diagnostic::new(
            &rules::SCHEMA,
            file.display.clone(),
            super::diagnostic::Position::START,
            error.to_string(),
        )])
    })
}

/// The YAML problems of a file that did not parse cleanly, as findings.
fn yaml_problems(file: &EntryFile, text: &str) -> Vec<Diagnostic> {
    yaml::parse(text)
        .problems
        .iter()
        .map(|p| p.to_diagnostic(&file.display))
        .collect()
}

/// An entry file and what reading it gave.
pub type ReadEntry = (EntryFile, Result<Entry, LookupError>);

/// Every entry file of the catalogue under `root`, read as a typed entry on every core, in file
/// order; a file that is not a readable entry comes back with the reason.
pub fn read_all(root: &Path) -> Result<Vec<ReadEntry>, load::LoadError> {
    use rayon::prelude::*;
    let discovery = load::discover(root)?;
    Ok(discovery
        .files
        .into_par_iter()
        .map(|file| {
            let entry = read_entry(&file);
            (file, entry)
        })
        .collect())
}
