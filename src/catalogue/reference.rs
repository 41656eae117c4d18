//! The reference lists under `schema/`: forces and regions, categories, standards, `DDaT` role
//! families, document types, and the entry schema itself. One source of truth, read by
//! validation, prompts, filters and completions alike.
//!
//! The lists are read from the catalogue's own `schema/` folder when it has one, so a change to a
//! list takes effect without rebuilding nsi; a copy embedded at build time serves catalogues
//! without one.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use super::yaml;

/// The embedded copies, used when the catalogue root has no `schema/` folder.
const EMBEDDED: &[(&str, &str)] = &[
    (
        "solution.schema.json",
        include_str!("../../schema/solution.schema.json"),
    ),
    (
        "reference/forces.yaml",
        include_str!("../../schema/reference/forces.yaml"),
    ),
    (
        "reference/categories.yaml",
        include_str!("../../schema/reference/categories.yaml"),
    ),
    (
        "reference/standards.yaml",
        include_str!("../../schema/reference/standards.yaml"),
    ),
    (
        "reference/roles.yaml",
        include_str!("../../schema/reference/roles.yaml"),
    ),
    (
        "reference/documents.yaml",
        include_str!("../../schema/reference/documents.yaml"),
    ),
];

/// A problem reading the reference lists: a broken `schema/` folder is a usage error.
#[derive(Debug, thiserror::Error)]
pub enum ReferenceError {
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file is not valid YAML or JSON, or lacks a field.
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Line of the problem.
        line: usize,
        /// Column of the problem.
        column: usize,
        /// What is wrong.
        message: String,
    },
}

/// A force or national body.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Force {
    /// Stable slug, e.g. `west-yorkshire`.
    pub slug: String,
    /// Full name, e.g. `West Yorkshire Police`.
    pub name: String,
    /// Policing region slug.
    pub region: String,
    /// Country slug.
    pub country: String,
    /// `territorial`, `special`, `national-agency`, `national-body`, `government-department`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Regional organised crime unit, where there is one.
    #[serde(default)]
    pub rocu: Option<String>,
    /// The force's id on data.police.uk, where there is one.
    #[serde(default)]
    pub data_police_uk_id: Option<String>,
    /// Anything worth knowing about the record.
    #[serde(default)]
    pub notes: Option<String>,
}

/// An item of a simple reference list: slug, name and what it covers.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Term {
    /// Stable slug.
    pub slug: String,
    /// Human name.
    pub name: String,
    /// What it covers, where the list says.
    #[serde(default)]
    pub covers: Option<String>,
}

/// A slug taken out of use (a force merged or renamed, a category split), kept in its list's
/// `retired:` section so that entries still using it can be told what replaces it and
/// `nsi migrate` can make the change.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct RetiredSlug {
    /// The slug no longer in use.
    pub slug: String,
    /// What replaces it: one slug (a rename or merger, applied by `nsi migrate`) or several
    /// (a split, for a person to choose from).
    #[serde(deserialize_with = "one_or_many")]
    pub replaced_by: Vec<String>,
    /// When it was retired (YYYY-MM-DD), where the list says.
    #[serde(default)]
    pub since: Option<String>,
    /// Why, where the list says.
    #[serde(default)]
    pub notes: Option<String>,
}

fn one_or_many<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(deserializer)? {
        OneOrMany::One(slug) => vec![slug],
        OneOrMany::Many(slugs) => slugs,
    })
}

/// The retired slugs of every list, by list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Retired {
    /// Forces and national bodies.
    pub forces: Vec<RetiredSlug>,
    /// Categories.
    pub categories: Vec<RetiredSlug>,
    /// Standards.
    pub standards: Vec<RetiredSlug>,
    /// `DDaT` role families.
    pub roles: Vec<RetiredSlug>,
    /// Document types.
    pub documents: Vec<RetiredSlug>,
}

/// Find a retired slug in one list.
pub fn retired<'a>(list: &'a [RetiredSlug], slug: &str) -> Option<&'a RetiredSlug> {
    list.iter().find(|r| r.slug == slug)
}

#[derive(Deserialize)]
struct ForcesFile {
    forces: Vec<Force>,
    regions: Vec<Term>,
    #[serde(default)]
    retired: Vec<RetiredSlug>,
}
#[derive(Deserialize)]
struct CategoriesFile {
    categories: Vec<Term>,
    #[serde(default)]
    retired: Vec<RetiredSlug>,
}
#[derive(Deserialize)]
struct StandardsFile {
    standards: Vec<Term>,
    #[serde(default)]
    retired: Vec<RetiredSlug>,
}
#[derive(Deserialize)]
struct RolesFile {
    roles: Vec<Term>,
    #[serde(default)]
    retired: Vec<RetiredSlug>,
}
#[derive(Deserialize)]
struct DocumentsFile {
    documents: Vec<Term>,
    #[serde(default)]
    retired: Vec<RetiredSlug>,
}

/// Every reference list, plus the entry schema as JSON.
#[derive(Debug, Clone)]
pub struct Reference {
    /// Forces and national bodies.
    pub forces: Vec<Force>,
    /// Policing regions.
    pub regions: Vec<Term>,
    /// Categories aligned with national objectives.
    pub categories: Vec<Term>,
    /// National standards.
    pub standards: Vec<Term>,
    /// `DDaT` role families.
    pub roles: Vec<Term>,
    /// Document types.
    pub documents: Vec<Term>,
    /// `schema/solution.schema.json`.
    pub schema: Value,
    /// Where the lists were read from (`None` for the embedded copy).
    pub source: Option<PathBuf>,
    /// Slugs taken out of use, and what replaces them (each list's `retired:` section).
    pub retired: Retired,
    force_index: HashMap<String, usize>,
}

impl Reference {
    /// The copy embedded in the binary at build time.
    pub fn embedded() -> Self {
        Self::read_with(None, |name| {
            EMBEDDED
                .iter()
                .find(|(file, _)| *file == name)
                .map(|(_, text)| (*text).to_owned())
                .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, name.to_owned()))
        })
        .unwrap_or_else(|error| unreachable!("the embedded reference lists are tested: {error}"))
    }

    /// Read the lists from `<root>/schema/` when that folder exists, else the embedded copy.
    pub fn for_root(root: &Path) -> Result<Self, ReferenceError> {
        let dir = root.join("schema");
        if dir.join("solution.schema.json").is_file() {
            Self::read_dir(&dir)
        } else {
            Ok(Self::embedded())
        }
    }

    /// Read the lists from a `schema/` folder.
    pub fn read_dir(dir: &Path) -> Result<Self, ReferenceError> {
        Self::read_with(Some(dir), |name| std::fs::read_to_string(dir.join(name)))
    }

    /// Read the lists through `read`, which gives the text of a file named relative to a
    /// `schema/` folder (`reference/forces.yaml`); `dir` names that folder in errors and in
    /// [`Reference::source`] (`None`: the embedded copy).
    pub fn read_with(
        dir: Option<&Path>,
        read: impl Fn(&str) -> std::io::Result<String>,
    ) -> Result<Self, ReferenceError> {
        let path_of =
            |name: &str| dir.map_or_else(|| PathBuf::from("schema").join(name), |d| d.join(name));
        let load = |name: &str| -> Result<Value, ReferenceError> {
            let text = read(name).map_err(|source| ReferenceError::Io {
                path: path_of(name),
                source,
            })?;
            if Path::new(name)
                .extension()
                .is_some_and(|ext| ext.eq_ignore_ascii_case("json"))
            {
                return serde_json::from_str(&text).map_err(|error| ReferenceError::Invalid {
                    path: path_of(name),
                    line: error.line(),
                    column: error.column(),
                    message: error.to_string(),
                });
            }
            let parsed = yaml::parse(&text);
            if let Some(problem) = parsed.problems.first() {
                return Err(ReferenceError::Invalid {
                    path: path_of(name),
                    line: problem.position.line,
                    column: problem.position.column,
                    message: problem.message.clone(),
                });
            }
            Ok(parsed.value.unwrap_or(Value::Null))
        };
        let forces: ForcesFile = typed(
            path_of("reference/forces.yaml"),
            load("reference/forces.yaml")?,
        )?;
        let categories: CategoriesFile = typed(
            path_of("reference/categories.yaml"),
            load("reference/categories.yaml")?,
        )?;
        let standards: StandardsFile = typed(
            path_of("reference/standards.yaml"),
            load("reference/standards.yaml")?,
        )?;
        let roles: RolesFile = typed(
            path_of("reference/roles.yaml"),
            load("reference/roles.yaml")?,
        )?;
        let documents: DocumentsFile = typed(
            path_of("reference/documents.yaml"),
            load("reference/documents.yaml")?,
        )?;
        let schema = load("solution.schema.json")?;
        let force_index = forces
            .forces
            .iter()
            .enumerate()
            .map(|(i, f)| (f.slug.clone(), i))
            .collect();
        let retired = Retired {
            forces: forces.retired,
            categories: categories.retired,
            standards: standards.retired,
            roles: roles.retired,
            documents: documents.retired,
        };
        Ok(Reference {
            retired,
            forces: forces.forces,
            regions: forces.regions,
            categories: categories.categories,
            standards: standards.standards,
            roles: roles.roles,
            documents: documents.documents,
            schema,
            source: dir.map(Path::to_path_buf),
            force_index,
        })
    }

    /// The force with this slug.
    pub fn force(&self, slug: &str) -> Option<&Force> {
        self.force_index.get(slug).map(|&i| &self.forces[i])
    }

    /// The allowed values of an `enum` in the schema, found by JSON pointer into the schema
    /// (e.g. `/properties/phase`), for prompts, filters and completions.
    pub fn schema_enum(&self, schema_pointer: &str) -> Vec<String> {
        let node = self.schema.pointer(schema_pointer);
        let node = match node.and_then(|n| n.get("$ref")).and_then(Value::as_str) {
            Some(reference) => self.schema.pointer(reference.trim_start_matches('#')),
            None => node,
        };
        node.and_then(|n| n.get("enum"))
            .and_then(Value::as_array)
            .map(|values| {
                values
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Turn a parsed list into its typed form, naming the file on failure.
fn typed<T: serde::de::DeserializeOwned>(path: PathBuf, value: Value) -> Result<T, ReferenceError> {
    serde_json::from_value(value).map_err(|error| ReferenceError::Invalid {
        path,
        line: 1,
        column: 1,
        message: error.to_string(),
    })
}

/// Slugs of a list of terms.
pub fn slugs(terms: &[Term]) -> impl Iterator<Item = &str> {
    terms.iter().map(|t| t.slug.as_str())
}

/// The candidate nearest to `input`, when it is close enough to be a likely typo.
pub fn nearest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(input, candidate), candidate))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}
