//! `nsi migrate` over a catalogue: every entry (or the files named) migrated to the target
//! version, rewritten atomically in canonical form, and an impact report by force.
//!
//! The canonical writer keeps everything the migration does not touch as it was: a file in
//! canonical form (CI's `nsi fmt --check` keeps the catalogue so) is a function of its value,
//! so rewriting the migrated value changes exactly the lines of the fields the migration
//! changed. A file with a comment is refused, like `nsi fmt` refuses it, and left byte for
//! byte: a comment belongs to no field of the tree a migration rewrites, so it could only be
//! dropped or left beside the wrong field after a rename.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;

use super::{EntryMigration, Migrator, NeedsPerson, TargetError};
use crate::catalogue::author;
use crate::catalogue::diagnostic::Position;
use crate::catalogue::diff::{ChangeKind, EntryChange};
use crate::catalogue::format::{self, FormatError, Refusal};
use crate::catalogue::load::{self, CATALOGUE_DIR, EntryFile, LoadError, MAX_FILE_BYTES};
use crate::catalogue::reference::{Reference, ReferenceError};
use crate::catalogue::yaml;

/// How to migrate.
#[derive(Debug, Clone, Default)]
pub struct MigrateOptions {
    /// The version to migrate to (default: the catalogue schema's).
    pub to: Option<String>,
    /// Report what would change; write nothing.
    pub dry_run: bool,
}

/// What stops `nsi migrate` before any file is read.
#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    /// The catalogue or a named path could not be found or listed.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The reference lists or the schema cannot be read.
    #[error(transparent)]
    Reference(#[from] ReferenceError),
    /// The target version is not one entries can be migrated to.
    #[error(transparent)]
    Target(#[from] TargetError),
}

/// What happened to one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum MigrationOutcome {
    /// Already at the target version, with no retired slug to replace.
    Unchanged,
    /// Migrated: rewritten, or (with `--dry-run`) would be.
    Changed,
    /// Left byte for byte as it was, and why.
    Refused {
        /// Line of the problem (1 when it is about the whole file).
        line: usize,
        /// Column of the problem.
        column: usize,
        /// What is wrong, and what to do.
        reason: String,
    },
}

/// One file's migration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileMigration {
    /// The file, relative to the catalogue root.
    pub path: PathBuf,
    /// Where the file went, when its owning force was renamed or merged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moved_to: Option<PathBuf>,
    /// The entry's id.
    pub id: String,
    /// The owning force after the migration (the folder, when the file cannot be read).
    pub force: String,
    /// The version the entry was written for.
    pub from: Option<String>,
    /// The version it is written for now.
    pub to: Option<String>,
    /// What happened.
    #[serde(flatten)]
    pub outcome: MigrationOutcome,
    /// The fields that changed.
    pub fields: Vec<String>,
    /// What a person must now fill or choose.
    pub needs_person: Vec<NeedsPerson>,
    /// The file was not in canonical form, so lines the migration did not touch were
    /// rewritten too (as `nsi fmt` would).
    pub reformatted: bool,
}

impl FileMigration {
    /// An entry of a pull request that the migration explains (see [`super::recognise`]).
    pub(super) fn changed(change: &EntryChange, migrated: EntryMigration) -> Self {
        let moved = change.kind == ChangeKind::Moved;
        FileMigration {
            path: if moved {
                change
                    .old_path
                    .clone()
                    .unwrap_or_else(|| change.path.clone())
            } else {
                change.path.clone()
            },
            moved_to: moved.then(|| change.path.clone()),
            id: change.id.clone(),
            force: owner(&migrated.value).unwrap_or_default(),
            from: Some(migrated.from),
            to: migrated.to,
            outcome: MigrationOutcome::Changed,
            fields: migrated.fields,
            needs_person: migrated.needs_person,
            reformatted: false,
        }
    }
}

/// The whole run.
#[derive(Debug, Clone, Serialize)]
pub struct MigrationRun {
    /// The version entries were migrated to.
    pub to: Option<String>,
    /// Whether files were left unwritten.
    pub dry_run: bool,
    /// How many entry files were read.
    pub checked: usize,
    /// Every file, in path order.
    pub files: Vec<FileMigration>,
}

impl MigrationRun {
    /// The files migrated (or that would be).
    pub fn changed(&self) -> impl Iterator<Item = &FileMigration> {
        self.files
            .iter()
            .filter(|f| f.outcome == MigrationOutcome::Changed)
    }

    /// The files left alone because they could not be migrated.
    pub fn refused(&self) -> impl Iterator<Item = &FileMigration> {
        self.files
            .iter()
            .filter(|f| matches!(f.outcome, MigrationOutcome::Refused { .. }))
    }

    /// The impact, force by force.
    pub fn by_force(&self) -> Vec<ForceImpact> {
        by_force(&self.changed().cloned().collect::<Vec<_>>())
    }
}

/// How many entries changed a field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldCount {
    /// The field, with list items folded together (`contacts[].email`).
    pub field: String,
    /// In how many entries.
    pub entries: usize,
}

/// One entry's field that a person must now fill or choose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonNeeded {
    /// The entry.
    pub id: String,
    /// The field.
    pub field: String,
    /// What to do.
    pub reason: String,
}

/// What a migration does to one force's entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ForceImpact {
    /// The owning force.
    pub force: String,
    /// How many of its entries changed.
    pub entries: usize,
    /// Which fields, in how many entries.
    pub fields: Vec<FieldCount>,
    /// What its people must now fill or choose.
    pub needs_person: Vec<PersonNeeded>,
}

/// The impact of `files` (all changed), force by force in slug order.
pub fn by_force(files: &[FileMigration]) -> Vec<ForceImpact> {
    /// Per force: entries changed, entries per field, what needs a person.
    type Tally = (usize, BTreeMap<String, usize>, Vec<PersonNeeded>);
    let mut forces: BTreeMap<&str, Tally> = BTreeMap::new();
    for file in files {
        let (entries, fields, people) = forces.entry(file.force.as_str()).or_default();
        *entries += 1;
        let mut seen: Vec<String> = file.fields.iter().map(|f| fold_items(f)).collect();
        seen.sort();
        seen.dedup();
        for field in seen {
            *fields.entry(field).or_default() += 1;
        }
        people.extend(file.needs_person.iter().map(|n| PersonNeeded {
            id: file.id.clone(),
            field: n.field.clone(),
            reason: n.reason.clone(),
        }));
    }
    forces
        .into_iter()
        .map(|(force, (entries, fields, needs_person))| ForceImpact {
            force: force.to_owned(),
            entries,
            fields: fields
                .into_iter()
                .map(|(field, entries)| FieldCount { field, entries })
                .collect(),
            needs_person,
        })
        .collect()
}

/// `contacts[email=a@b].valid_until` → `contacts[].valid_until`: one name for a field of every
/// item, so counts add up across entries.
fn fold_items(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut depth = 0usize;
    let mut escaped = false;
    for c in field.chars() {
        match (depth, c) {
            (_, '\\') if depth > 0 && !escaped => escaped = true,
            (0, '[') => {
                out.push('[');
                depth = 1;
            }
            (_, ']') if depth > 0 && !escaped => {
                out.push(']');
                depth = 0;
            }
            (0, c) => out.push(c),
            _ => escaped = false,
        }
    }
    out
}

fn owner(value: &Value) -> Option<String> {
    value
        .get("owner_force")
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// Migrate the entries of the catalogue under `root` (every entry, or the files under
/// `paths`) to the catalogue schema's version, or `options.to`. Changed files are rewritten
/// atomically in canonical form, keeping their line endings and byte-order mark; an entry whose
/// owning force was renamed moves to the new force's folder. Files that cannot be migrated
/// without losing something are refused and left as they were.
pub fn run(
    root: &Path,
    paths: &[PathBuf],
    options: &MigrateOptions,
) -> Result<MigrationRun, MigrateError> {
    let reference = Reference::for_root(root)?;
    let migrator = Migrator::new(&reference, options.to.as_deref())?;
    let discovery = if paths.is_empty() {
        load::discover(root)?
    } else {
        load::discover_paths(root, paths)?
    };
    let files = discovery
        .files
        .par_iter()
        .map(|file| migrate_file(root, file, &migrator, &reference.schema, options.dry_run))
        .collect();
    Ok(MigrationRun {
        to: migrator.target().map(str::to_owned),
        dry_run: options.dry_run,
        checked: discovery.files.len(),
        files,
    })
}

fn migrate_file(
    root: &Path,
    file: &EntryFile,
    migrator: &Migrator,
    schema: &Value,
    dry_run: bool,
) -> FileMigration {
    let mut report = FileMigration {
        path: file.display.clone(),
        moved_to: None,
        id: file.stem().to_owned(),
        force: file.folder().to_owned(),
        from: None,
        to: migrator.target().map(str::to_owned),
        outcome: MigrationOutcome::Unchanged,
        fields: Vec::new(),
        needs_person: Vec::new(),
        reformatted: false,
    };
    let refuse = |mut report: FileMigration, position: Position, reason: String| {
        report.outcome = MigrationOutcome::Refused {
            line: position.line,
            column: position.column,
            reason,
        };
        report
    };
    let bytes = match load::read_bounded(&file.path, file.stamp.len) {
        Ok(bytes) if bytes.len() as u64 <= MAX_FILE_BYTES => bytes,
        Ok(_) => {
            let reason = format!("the file is larger than {MAX_FILE_BYTES} bytes");
            return refuse(report, Position::START, reason);
        }
        Err(error) => return refuse(report, Position::START, format!("cannot read it: {error}")),
    };
    let text = match load::decode(&bytes) {
        Ok(text) => text,
        Err((position, message)) => return refuse(report, position, message),
    };
    let Some(value) = yaml::parse_value(&text).filter(Value::is_object) else {
        let reason = "it is not a clean YAML mapping: run `nsi validate` on it".to_owned();
        return refuse(report, Position::START, reason);
    };
    if let Some(id) = value.get("id").and_then(Value::as_str) {
        id.clone_into(&mut report.id);
    }
    let migration = match migrator.migrate(&value) {
        Ok(migration) => migration,
        Err(error) => return refuse(report, Position::START, error.to_string()),
    };
    report.from = Some(migration.from.clone());
    if !migration.changed() {
        return report;
    }
    // Only a file that must change is held to what rewriting needs. A file with comments is
    // changed line by line, keeping them, where the migration's lines have a clear place in
    // it; otherwise it is refused, untouched.
    let mut in_place = None;
    if let Err(error) = format::check_rewritable(&text, &value) {
        let reason = match &error {
            FormatError::Comment(_) => {
                in_place = super::comments::migrate_in_place(
                    &text,
                    &yaml::to_yaml(&value, schema),
                    &yaml::to_yaml(&migration.value, schema),
                    &migration.value,
                );
                "it has a comment, and the lines the migration changes are not laid out as \
                 `nsi fmt` writes them, so the change has no clear place beside the comment: \
                 make the change by hand, or move the comment into a field, then migrate again"
                    .to_owned()
            }
            other => other.to_string(),
        };
        if in_place.is_none() {
            return refuse(report, error.position(), reason);
        }
    }
    report.reformatted = in_place.is_none()
        && format::with_file_conventions(&yaml::to_yaml(&value, schema), &bytes) != bytes;
    let new_owner = owner(&migration.value);
    let target = match &new_owner {
        Some(new) if owner(&value).as_deref() != Some(new) && file.folder() != new => {
            let name = file.path.file_name().unwrap_or_default();
            Some(root.join(CATALOGUE_DIR).join(new).join(name))
        }
        _ => None,
    };
    if let Some(new) = new_owner {
        report.force = new;
    }
    report.moved_to = target.as_ref().map(|path| load::display_path(root, path));
    report.fields = migration.fields;
    report.needs_person = migration.needs_person;
    report.outcome = MigrationOutcome::Changed;
    if dry_run {
        return report;
    }
    let new_text = in_place.unwrap_or_else(|| yaml::to_yaml(&migration.value, schema));
    let new_bytes = format::with_file_conventions(&new_text, &bytes);
    let written = match &target {
        None => format::write_atomically(file, &bytes, &new_bytes),
        Some(path) => move_file(file, path, &new_bytes),
    };
    match written {
        Ok(()) => report,
        Err(refusal) => refuse(report, refusal.position(), refusal.to_string()),
    }
}

/// Write the migrated entry at `to` (never over an existing file), then remove the old one.
fn move_file(file: &EntryFile, to: &Path, bytes: &[u8]) -> Result<(), Refusal> {
    let text = String::from_utf8_lossy(bytes);
    author::write_new(to, &text).map_err(|e| Refusal::Write(e.to_string()))?;
    std::fs::remove_file(&file.path).map_err(|e| Refusal::Write(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_names_fold_together() {
        assert_eq!(
            fold_items("contacts[email=a@b].valid_until"),
            "contacts[].valid_until"
        );
        assert_eq!(fold_items("links[title=a\\]b].url"), "links[].url");
        assert_eq!(fold_items("ai"), "ai");
    }
}
