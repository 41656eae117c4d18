//! The reference lists under `schema/`: forces and regions, categories, standards, `DDaT` role
//! families, document types, and the entry schema itself. One source of truth, read by
//! validation, prompts, filters and completions alike.
//!
//! The lists are read from the catalogue's own `schema/` folder when it has one, so a change to a
//! list takes effect without rebuilding nsi; a copy embedded at build time serves catalogues
//! without one.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use serde::Deserialize;
use serde_json::Value;

use super::diagnostic::{Diagnostic, Position, attach_source_lines, cap_findings};
use super::schema::EntrySchema;
use super::suggest::{self, nearest};
use super::validate::rules;
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

/// The schema each reference list must meet, built into nsi: the lists feed validation,
/// prompts and CODEOWNERS, so what they may hold is nsi's contract, not the catalogue's to
/// loosen (a pull request could change a copy in the catalogue along with the list). The
/// copies under `schema/reference/` are the same files, for editors and readers.
const LIST_SCHEMAS: &[(&str, &str)] = &[
    (
        "reference/forces.yaml",
        include_str!("../../schema/reference/forces.schema.json"),
    ),
    (
        "reference/categories.yaml",
        include_str!("../../schema/reference/categories.schema.json"),
    ),
    (
        "reference/standards.yaml",
        include_str!("../../schema/reference/standards.schema.json"),
    ),
    (
        "reference/roles.yaml",
        include_str!("../../schema/reference/roles.schema.json"),
    ),
    (
        "reference/documents.yaml",
        include_str!("../../schema/reference/documents.schema.json"),
    ),
];

/// The compiled [`LIST_SCHEMAS`], by list file name.
static COMPILED: LazyLock<Vec<(&'static str, EntrySchema)>> = LazyLock::new(|| {
    LIST_SCHEMAS
        .iter()
        .map(|(name, text)| {
            let schema: Value = serde_json::from_str(text)
                .unwrap_or_else(|e| unreachable!("{name}'s schema is tested: {e}"));
            let compiled = EntrySchema::compile(&schema)
                .unwrap_or_else(|e| unreachable!("{name}'s schema is tested: {e}"));
            (*name, compiled)
        })
        .collect()
});

/// A problem reading the reference lists: a broken `schema/` folder is a usage error (exit 2)
/// for every command but `nsi validate`, which reports the findings (NSI300).
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
    /// A file does not parse, or a list breaks its schema ([`LIST_SCHEMAS`]) or has a slug
    /// twice or a force in an unknown region: every problem of every file, each a finding of
    /// [`rules::REFERENCE_LIST`] naming its file, line and column.
    #[error("{}", describe(diagnostics))]
    Invalid {
        /// The findings, in file order (never empty).
        diagnostics: Vec<Diagnostic>,
    },
}

/// The first finding as `file:line:column: message`, and how many more there are.
fn describe(diagnostics: &[Diagnostic]) -> String {
    let Some(first) = diagnostics.first() else {
        return "the reference lists are broken".to_owned();
    };
    // One line: a value quoted in the message may hold a line break.
    let mut text = format!(
        "{}:{}:{}: {}",
        first.file.display(),
        first.line,
        first.column,
        first.message.replace('\r', "\\r").replace('\n', "\\n")
    );
    if diagnostics.len() > 1 {
        let more = diagnostics.len() - 1;
        let _ = write!(
            text,
            " (and {more} more problem{}: `nsi validate` lists them)",
            if more == 1 { "" } else { "s" }
        );
    }
    text
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
    /// [`Reference::source`] (`None`: the embedded copy). The same reader serves a catalogue on
    /// disk and a commit (the base of a review): either way, every list is checked against its
    /// schema ([`LIST_SCHEMAS`]) before it is used, and every problem of every list is
    /// reported.
    pub fn read_with(
        dir: Option<&Path>,
        read: impl Fn(&str) -> std::io::Result<String>,
    ) -> Result<Self, ReferenceError> {
        let path_of =
            |name: &str| dir.map_or_else(|| PathBuf::from("schema").join(name), |d| d.join(name));
        let text_of = |name: &str| {
            read(name).map_err(|source| ReferenceError::Io {
                path: path_of(name),
                source,
            })
        };
        let mut problems = Vec::new();
        let mut lists = HashMap::new();
        for (name, list_schema) in COMPILED.iter() {
            let text = text_of(name)?;
            // Each list's findings capped and sharing its text, as an entry's are: a list
            // of a hundred thousand bad items costs a count, not a copy of a line each.
            let mut found = Vec::new();
            let value = check_list(&path_of(name), &text, list_schema, &mut found);
            cap_findings(&mut found);
            attach_source_lines(&mut found, &text);
            problems.append(&mut found);
            if let Some(value) = value {
                lists.insert(*name, value);
            }
        }
        let schema_text = text_of("solution.schema.json")?;
        let schema = serde_json::from_str(&schema_text).map_err(|error| {
            let position = Position::new(error.line(), error.column());
            let mut diagnostics = vec![Diagnostic::new(
                &rules::REFERENCE_LIST,
                path_of("solution.schema.json"),
                position,
                error.to_string(),
            )];
            attach_source_lines(&mut diagnostics, &schema_text);
            ReferenceError::Invalid { diagnostics }
        })?;
        if !problems.is_empty() {
            return Err(ReferenceError::Invalid {
                diagnostics: problems,
            });
        }
        let mut take = |name: &str| lists.remove(name).unwrap_or(Value::Null);
        let forces: ForcesFile = typed(
            path_of("reference/forces.yaml"),
            take("reference/forces.yaml"),
        )?;
        let categories: CategoriesFile = typed(
            path_of("reference/categories.yaml"),
            take("reference/categories.yaml"),
        )?;
        let standards: StandardsFile = typed(
            path_of("reference/standards.yaml"),
            take("reference/standards.yaml"),
        )?;
        let roles: RolesFile = typed(
            path_of("reference/roles.yaml"),
            take("reference/roles.yaml"),
        )?;
        let documents: DocumentsFile = typed(
            path_of("reference/documents.yaml"),
            take("reference/documents.yaml"),
        )?;
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
    /// (e.g. `/properties/phase`), for search filters, the site and statistics; the values of a
    /// field by its place in an entry are `editing::choices`.
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

/// Parse the list `text` (the file at `path`) and check it against `list_schema`, and each
/// of its lists for a slug given twice; every problem goes to `problems`. The value, when the
/// text parses (it is only used when no problem was found at all).
fn check_list(
    path: &Path,
    text: &str,
    list_schema: &EntrySchema,
    problems: &mut Vec<Diagnostic>,
) -> Option<Value> {
    let parsed = yaml::parse(text);
    let finding = |position: Position, message: String| {
        Diagnostic::new(&rules::REFERENCE_LIST, path, position, message)
    };
    if !parsed.problems.is_empty() {
        problems.extend(
            parsed
                .problems
                .iter()
                .map(|p| finding(p.position, p.message.clone())),
        );
        return None;
    }
    let value = parsed.value.unwrap_or(Value::Null);
    let source_map = &parsed.source_map;
    for found in list_schema.check(&value) {
        let position = if found.at_key {
            source_map.key(&found.pointer)
        } else {
            source_map.value(&found.pointer)
        };
        // The entry schema's words, said of a list.
        let message = found.message.replace("in the entry", "in the file");
        problems.push(
            finding(position, message)
                .at_pointer(found.pointer)
                .with_optional_hint(found.hint)
                .counting(found.suppressed),
        );
    }
    // Each slug once: a repeat would make two owners of one folder, two choices of one name.
    if let Some(lists) = value.as_object() {
        for (key, items) in lists {
            let mut seen = HashMap::new();
            for (i, item) in items.as_array().into_iter().flatten().enumerate() {
                let Some(slug) = item.get("slug").and_then(Value::as_str) else {
                    continue;
                };
                if let Some(first) = seen.insert(slug, i) {
                    let pointer = format!("/{}/{i}/slug", yaml::escape_pointer_token(key));
                    problems.push(
                        finding(
                            source_map.value(&pointer),
                            format!(
                                "`{key}[{i}].slug` repeats `{slug}`, already `{key}[{first}].slug`"
                            ),
                        )
                        .at_pointer(pointer)
                        .with_hint("each slug names one item: remove or rename the repeat"),
                    );
                }
            }
        }
    }
    if value.get("forces").is_some() {
        check_regions(path, &value, source_map, problems);
    }
    check_retired(path, &value, source_map, problems);
    Some(value)
}

/// Every retired slug out of use, and every successor a slug of the list (in use, or retired
/// in turn with a successor of its own): a successor nobody may name would send entries from
/// one warning to an error.
fn check_retired(
    path: &Path,
    file: &Value,
    source_map: &yaml::SourceMap,
    problems: &mut Vec<Diagnostic>,
) {
    let Some(retired) = file.get("retired").and_then(Value::as_array) else {
        return;
    };
    // The list a `retired:` section retires from: `forces` in forces.yaml (never `regions`),
    // the file's one list elsewhere.
    let Some(list) = file.as_object().and_then(|lists| {
        lists.keys().find(|key| *key == "forces").or_else(|| {
            lists
                .keys()
                .find(|key| *key != "retired" && *key != "regions")
        })
    }) else {
        return;
    };
    let slugs_of = |items: Option<&Value>| -> Vec<String> {
        items
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|item| item.get("slug").and_then(Value::as_str).map(str::to_owned))
            .collect()
    };
    let live = slugs_of(file.get(list));
    let gone = slugs_of(Some(&Value::Array(retired.clone())));
    let mut report = |pointer: String, message: String, hint: &str| {
        problems.push(
            Diagnostic::new(
                &rules::REFERENCE_LIST,
                path,
                source_map.value(&pointer),
                message,
            )
            .at_pointer(pointer)
            .with_hint(hint),
        );
    };
    for (i, item) in retired.iter().enumerate() {
        if let Some(slug) = item.get("slug").and_then(Value::as_str)
            && live.iter().any(|s| s == slug)
        {
            report(
                format!("/retired/{i}/slug"),
                format!("`retired[{i}].slug` is `{slug}`, which `{list}` still lists"),
                "a slug is in use or retired, never both: remove it from one of the two",
            );
        }
        let successors: Vec<(String, &str)> = match item.get("replaced_by") {
            Some(Value::String(one)) => vec![(format!("/retired/{i}/replaced_by"), one.as_str())],
            Some(Value::Array(many)) => many
                .iter()
                .enumerate()
                .filter_map(|(j, s)| Some((format!("/retired/{i}/replaced_by/{j}"), s.as_str()?)))
                .collect(),
            _ => Vec::new(),
        };
        for (pointer, successor) in successors {
            if !live.iter().any(|s| s == successor) && !gone.iter().any(|s| s == successor) {
                report(
                    pointer,
                    format!(
                        "`retired[{i}].replaced_by` names `{successor}`, which `{list}` does not list"
                    ),
                    "a successor must be a slug of the list, for entries to move to",
                );
            }
        }
    }
}

/// Every force's region among the regions of the same file.
fn check_regions(
    path: &Path,
    forces: &Value,
    source_map: &yaml::SourceMap,
    problems: &mut Vec<Diagnostic>,
) {
    let regions: Vec<&str> = forces
        .get("regions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|r| r.get("slug").and_then(Value::as_str))
        .collect();
    for (i, force) in forces
        .get("forces")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let Some(region) = force.get("region").and_then(Value::as_str) else {
            continue;
        };
        if !regions.contains(&region) {
            let pointer = format!("/forces/{i}/region");
            problems.push(
                Diagnostic::new(
                    &rules::REFERENCE_LIST,
                    path,
                    source_map.value(&pointer),
                    format!("`forces[{i}].region` is `{region}`, which is not one of the regions"),
                )
                .at_pointer(pointer)
                .with_optional_hint(suggest::hint(region, regions.iter().copied())),
            );
        }
    }
}

/// Turn a checked list into its typed form, naming the file should that still fail.
fn typed<T: serde::de::DeserializeOwned>(path: PathBuf, value: Value) -> Result<T, ReferenceError> {
    serde_json::from_value(value).map_err(|error| ReferenceError::Invalid {
        diagnostics: vec![Diagnostic::new(
            &rules::REFERENCE_LIST,
            path,
            Position::START,
            error.to_string(),
        )],
    })
}

/// Slugs of a list of terms.
pub fn slugs(terms: &[Term]) -> impl Iterator<Item = &str> {
    terms.iter().map(|t| t.slug.as_str())
}

/// A value a reference list does not hold: what kind it was meant to be, and the nearest slug
/// the list does hold (the one "did you mean" of every command that takes a slug).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a {kind} slug")]
pub struct UnknownSlug {
    /// The kind of slug: `force`, `category`, `region`.
    pub kind: &'static str,
    /// The value given.
    pub value: String,
    /// The nearest slug in the list, when one is close enough to be a likely typo.
    pub nearest: Option<String>,
    /// The file of the list, under `schema/reference/`.
    pub list: &'static str,
}

impl Reference {
    /// Every one of `values` is a force slug, or the first that is not.
    pub fn known_forces<'a>(
        &self,
        values: impl IntoIterator<Item = &'a str>,
    ) -> Result<(), UnknownSlug> {
        let forces: Vec<&str> = self.forces.iter().map(|f| f.slug.as_str()).collect();
        known("force", "forces.yaml", values, &forces)
    }

    /// Every one of `values` is a category slug, or the first that is not.
    pub fn known_categories<'a>(
        &self,
        values: impl IntoIterator<Item = &'a str>,
    ) -> Result<(), UnknownSlug> {
        let categories: Vec<&str> = slugs(&self.categories).collect();
        known("category", "categories.yaml", values, &categories)
    }

    /// Every one of `values` is a region slug, or the first that is not.
    pub fn known_regions<'a>(
        &self,
        values: impl IntoIterator<Item = &'a str>,
    ) -> Result<(), UnknownSlug> {
        let regions: Vec<&str> = slugs(&self.regions).collect();
        known("region", "regions.yaml", values, &regions)
    }
}

fn known<'a>(
    kind: &'static str,
    list: &'static str,
    values: impl IntoIterator<Item = &'a str>,
    slugs: &[&str],
) -> Result<(), UnknownSlug> {
    for value in values {
        if !slugs.contains(&value) {
            return Err(UnknownSlug {
                kind,
                value: value.to_owned(),
                nearest: nearest(value, slugs.iter().copied()).map(str::to_owned),
                list,
            });
        }
    }
    Ok(())
}
