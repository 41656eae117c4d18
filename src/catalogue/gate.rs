//! The gate's footing: the rules a pull request is judged with, and what it changes besides
//! entries.
//!
//! A pull request may change any file, the rules included. So it is judged with the rules its
//! base holds — the entry schema, the reference lists and `nsi.toml`, read from the base
//! commit — never with its own; and every file it changes that is not an entry is listed for a
//! person to approve on its own, with a field-level diff where the file is one of the rules.

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;

use super::config::{self, Config, ConfigError, Resolved};
use super::diff::{FieldChange, diff_values};
use super::git::{CatalogueRepo, GitError, PathChange, PathStatus, Revision};
use super::load::CATALOGUE_DIR;
use super::reference::{Reference, ReferenceError};
use super::yaml;

/// Where GitHub reads the file, relative to the repository root.
pub const CODEOWNERS_PATH: &str = ".github/CODEOWNERS";

/// The rules of one revision: what validation, the minimum standards and the duplicate check
/// read.
#[derive(Debug, Clone)]
pub struct Rules {
    /// The entry schema and the reference lists.
    pub reference: Reference,
    /// `nsi.toml` as the revision holds it (defaults where it has none).
    pub config: Resolved,
    /// `.github/CODEOWNERS` as the revision holds it: who to tell of changes.
    pub codeowners: Option<String>,
    /// The revision, as named.
    pub revision: String,
}

/// Why the rules of a revision cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    /// git could not read the revision.
    #[error(transparent)]
    Git(#[from] GitError),
    /// A reference list or the schema is broken in that revision.
    #[error("the rules of {revision} cannot be read: {source}")]
    Reference {
        /// The revision.
        revision: String,
        /// What is wrong.
        source: ReferenceError,
    },
    /// `nsi.toml` is broken in that revision.
    #[error("the rules of {revision} cannot be read: {source}")]
    Config {
        /// The revision.
        revision: String,
        /// What is wrong.
        source: ConfigError,
    },
}

impl Rules {
    /// The rules `revision` holds: its `schema/` folder (the embedded copy when it has none,
    /// as for a catalogue on disk) and its `nsi.toml`.
    pub fn at(repo: &CatalogueRepo, revision: &Revision) -> Result<Self, RulesError> {
        let read = |relative: &str| -> Result<Option<String>, GitError> {
            repo.read_file(revision, Path::new(relative))?
                .map(|file| {
                    file.text.map_err(|message| GitError::Io {
                        path: PathBuf::from(relative),
                        source: std::io::Error::other(message),
                    })
                })
                .transpose()
        };
        let reference = if read("schema/solution.schema.json")?.is_some() {
            let dir = PathBuf::from("schema");
            Reference::read_with(Some(&dir), |name| {
                read(&format!("schema/{name}"))
                    .map_err(std::io::Error::other)?
                    .ok_or_else(|| std::io::Error::from(std::io::ErrorKind::NotFound))
            })
            .map_err(|source| RulesError::Reference {
                revision: revision.label.clone(),
                source,
            })?
        } else {
            Reference::embedded()
        };
        let config = Config::from_text(
            read(config::FILE_NAME)?.as_deref(),
            PathBuf::from(config::FILE_NAME),
            &reference,
        )
        .map_err(|source| RulesError::Config {
            revision: revision.label.clone(),
            source,
        })?;
        // A CODEOWNERS that cannot be read only means nobody is mentioned.
        let codeowners = read(CODEOWNERS_PATH).ok().flatten();
        Ok(Rules {
            reference,
            config,
            codeowners,
            revision: revision.label.clone(),
        })
    }
}

/// What a file that is not an entry is to the gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileRole {
    /// `schema/solution.schema.json` and other schemas: what an entry may hold.
    Schema,
    /// `schema/reference/*`: the forces, regions, categories, standards, roles and document
    /// types entries may name.
    ReferenceList,
    /// `nsi.toml`: the minimum standards and other settings.
    Settings,
    /// Who owns what (`CODEOWNERS`): who must approve.
    Ownership,
    /// Workflows, actions, pipelines, hooks and CI scripts: what runs on a pull request.
    Automation,
    /// nsi's own source, build and tests: the judge itself.
    ToolSource,
    /// A file under `catalogue/` that is not an entry.
    CatalogueFile,
    /// Anything else (documentation, say).
    Other,
}

/// A place in the repository: a folder and everything under it, a file at the top, or a file
/// name anywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A folder at the top (`src`), and everything under it.
    Folder(&'static str),
    /// A file at the top (`nsi.toml`).
    File(&'static str),
    /// A file of this name in any folder (`CODEOWNERS`).
    Name(&'static str),
}

impl Place {
    fn holds(self, path: &str) -> bool {
        match self {
            Place::Folder(folder) => path
                .strip_prefix(folder)
                .is_some_and(|rest| rest.starts_with('/')),
            Place::File(file) => path == file,
            Place::Name(name) => path.rsplit('/').next() == Some(name),
        }
    }
}

/// The rules and the tooling, by place, the first match deciding a file's role: what the review
/// lists for a gatekeeper to approve on its own, and what CODEOWNERS gives the gatekeepers
/// alone (`codeowners::codeowners`). One list, so the two never disagree.
pub const RULES_AND_TOOLING: &[(Place, FileRole)] = &[
    (Place::Folder("schema/reference"), FileRole::ReferenceList),
    (Place::Folder("schema"), FileRole::Schema),
    (Place::File(config::FILE_NAME), FileRole::Settings),
    (Place::Name("CODEOWNERS"), FileRole::Ownership),
    (Place::Folder(".github"), FileRole::Automation),
    (Place::Folder(".ci"), FileRole::Automation),
    (Place::Folder("azure-pipelines"), FileRole::Automation),
    (Place::File("action.yml"), FileRole::Automation),
    (Place::File("action.yaml"), FileRole::Automation),
    (Place::File(".pre-commit-hooks.yaml"), FileRole::Automation),
    (Place::File(".gitlab-ci.yml"), FileRole::Automation),
    (Place::File(".gitattributes"), FileRole::Automation),
    (Place::Folder("src"), FileRole::ToolSource),
    (Place::Folder("tests"), FileRole::ToolSource),
    (Place::Folder("bench"), FileRole::ToolSource),
    (Place::Folder("benches"), FileRole::ToolSource),
    (Place::Folder("examples"), FileRole::ToolSource),
    (Place::Folder("fuzz"), FileRole::ToolSource),
    (Place::Folder("scripts"), FileRole::ToolSource),
    (Place::Folder("assets"), FileRole::ToolSource),
    (Place::Folder(".cargo"), FileRole::ToolSource),
    (Place::File("Cargo.toml"), FileRole::ToolSource),
    (Place::File("Cargo.lock"), FileRole::ToolSource),
    (Place::File("build.rs"), FileRole::ToolSource),
    (Place::File("rust-toolchain"), FileRole::ToolSource),
    (Place::File("rust-toolchain.toml"), FileRole::ToolSource),
    (Place::File("clippy.toml"), FileRole::ToolSource),
    (Place::File("rustfmt.toml"), FileRole::ToolSource),
];

impl FileRole {
    /// The role of the file at `path` (relative to the catalogue root, or to the work tree's
    /// top for files outside the catalogue root).
    pub fn of(path: &str) -> Self {
        if let Some((_, role)) = RULES_AND_TOOLING
            .iter()
            .find(|(place, _)| place.holds(path))
        {
            return *role;
        }
        if Place::Folder(CATALOGUE_DIR).holds(path) {
            FileRole::CatalogueFile
        } else {
            FileRole::Other
        }
    }

    /// What the role is, in words.
    pub fn describe(self) -> &'static str {
        match self {
            FileRole::Schema => "entry schema",
            FileRole::ReferenceList => "reference list",
            FileRole::Settings => "settings and minimum standards",
            FileRole::Ownership => "code owners",
            FileRole::Automation => "workflow or CI",
            FileRole::ToolSource => "nsi's source",
            FileRole::CatalogueFile => "not an entry",
            FileRole::Other => "other file",
        }
    }

    /// Whether the file is one of the rules entries are judged with, read as data.
    fn is_rule(self) -> bool {
        matches!(
            self,
            FileRole::Schema | FileRole::ReferenceList | FileRole::Settings
        )
    }
}

/// A changed file that is not an entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileChange {
    /// Its path relative to the top of the work tree.
    pub path: String,
    /// How it changed.
    pub status: PathStatus,
    /// What it is to the gate.
    pub role: FileRole,
    /// For the rules (schema, reference lists, settings) readable on both sides: every
    /// changed field, as entry diffs show them (`forces[slug=kent].name`).
    pub fields: Vec<FieldChange>,
}

/// Every file that differs between `base` and `head` and is not an entry file
/// (`catalogue/<force>/<name>.yaml`), in path order.
pub fn file_changes(
    repo: &CatalogueRepo,
    base: &Revision,
    head: &Revision,
) -> Result<Vec<FileChange>, GitError> {
    let mut out = Vec::new();
    for PathChange {
        path,
        in_catalogue_root,
        status,
    } in repo.changed_paths(base, head)?
    {
        let relative = in_catalogue_root.as_deref().unwrap_or(&path);
        if in_catalogue_root.is_some() && is_entry_path(relative) {
            continue;
        }
        let role = FileRole::of(relative);
        let fields = match &in_catalogue_root {
            Some(relative) if role.is_rule() => {
                // A side without the file counts as empty, so an added file shows its fields.
                let value = |revision: &Revision, present: bool| {
                    if !present {
                        return Some(Value::Object(serde_json::Map::new()));
                    }
                    repo.read_file(revision, Path::new(relative))
                        .ok()
                        .flatten()
                        .and_then(|file| file.text.ok())
                        .and_then(|text| parse(relative, &text))
                };
                match (
                    value(base, status != PathStatus::Added),
                    value(head, status != PathStatus::Deleted),
                ) {
                    (Some(old), Some(new)) => diff_values(&old, &new),
                    _ => Vec::new(),
                }
            }
            _ => Vec::new(),
        };
        out.push(FileChange {
            path,
            status,
            role,
            fields,
        });
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// Whether `path` (relative to the catalogue root) is where an entry lives.
fn is_entry_path(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    parts.len() == 3
        && parts[0] == CATALOGUE_DIR
        && Path::new(parts[2]).extension().is_some_and(|e| e == "yaml")
}

/// A rules file as JSON, by its kind: JSON, TOML or YAML.
fn parse(path: &str, text: &str) -> Option<Value> {
    let extension = Path::new(path).extension().and_then(|e| e.to_str());
    match extension {
        Some("json") => serde_json::from_str(text).ok(),
        Some("toml") => toml::from_str::<toml::Value>(text)
            .ok()
            .and_then(|v| serde_json::to_value(v).ok()),
        _ => {
            let parsed = yaml::parse(text);
            if parsed.problems.is_empty() {
                parsed.value
            } else {
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_given_the_role_they_play_at_the_gate() {
        for (path, role) in [
            ("schema/solution.schema.json", FileRole::Schema),
            ("schema/reference/forces.yaml", FileRole::ReferenceList),
            ("nsi.toml", FileRole::Settings),
            (".github/CODEOWNERS", FileRole::Ownership),
            (".github/workflows/review.yml", FileRole::Automation),
            (".ci/run", FileRole::Automation),
            ("action.yml", FileRole::Automation),
            ("src/catalogue/review.rs", FileRole::ToolSource),
            ("Cargo.lock", FileRole::ToolSource),
            ("catalogue/kent/README.md", FileRole::CatalogueFile),
            ("README.md", FileRole::Other),
        ] {
            assert_eq!(FileRole::of(path), role, "{path}");
        }
        assert!(is_entry_path("catalogue/kent/a.yaml"));
        assert!(!is_entry_path("catalogue/kent/a.yml"));
        assert!(!is_entry_path("catalogue/a.yaml"));
    }
}
