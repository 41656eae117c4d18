//! Writing entries: `nsi add`, `nsi edit`, `nsi adopt` and `nsi import` share this. Here: an
//! entry from flags, defaults (dates, contact expiry, an id made from the title and unique),
//! checking, and writes that are atomic and never overwrite an entry by accident. Beside it:
//! the commented template the editor opens (`template.rs`), drafts that are never lost
//! (`draft.rs`) and CSV rows turned into entries (`import.rs`).
//!
//! Every file written is the canonical text of its value ([`yaml::to_yaml`]), so comments of a
//! template or a draft never reach the catalogue.

mod draft;
mod import;
mod template;

pub use draft::{
    ERROR_MARK, MAX_DRAFT_BYTES, discard_draft, discard_if_draft, draft_id, draft_path, drafts_dir,
    error_block, read_draft, strip_error_block, write_draft,
};
pub use import::{ImportRow, MAX_IMPORT_BYTES, MAX_IMPORT_COLUMNS, MAX_IMPORT_ROWS};
pub use template::PLACEHOLDER;
use template::{default_of, placeholders};

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use chrono::{Months, NaiveDate};
use serde_json::{Map, Value};

use super::diagnostic::{Diagnostic, Position, Severity, attach_source_lines};
use super::durable;
use super::entry::is_solution_id;
use super::format;
use super::load::{self, CATALOGUE_DIR, EntryFile, Followed};
use super::lookup;
use super::reference::Reference;
use super::schema::resolve_ref as resolve;
use super::search::text::fold;
use super::validate::{EntryChecker, RuleSettings, ValidateError, ValidationOptions, rules};
use super::yaml;

/// How long a contact stays valid when the entry does not say.
const CONTACT_MONTHS: u32 = 12;

/// The role given to a contact when none is named.
const DEFAULT_CONTACT_ROLE: &str = "Single point of contact";

/// Why an entry could not be written or read in.
#[derive(Debug, thiserror::Error)]
pub enum AuthorError {
    /// A file could not be read or written.
    #[error("cannot write {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file would be written through a symbolic link (its own, or its force folder's)
    /// that leads outside the catalogue: nothing is written there (NSI012).
    #[error(
        "{} leads outside the catalogue (to {}) through a symbolic link; nothing was written",
        path.display(),
        target.display()
    )]
    LinkOutside {
        /// The file, named as in messages.
        path: PathBuf,
        /// Where the link leads.
        target: PathBuf,
    },
    /// The file already exists: entries are never overwritten by `add` or `import`.
    #[error("{} already exists; nsi never overwrites an entry", path.display())]
    Exists {
        /// The file.
        path: PathBuf,
    },
    /// A flag value has the wrong form.
    #[error("{flag} `{value}`: {expected}")]
    BadFlag {
        /// The flag.
        flag: &'static str,
        /// What was given.
        value: String,
        /// The form expected.
        expected: &'static str,
    },
    /// The CSV file cannot be read.
    #[error("cannot read the CSV file: {0}")]
    Csv(String),
    /// The file changed on disk since it was read: it is not overwritten.
    #[error("{} changed on disk while you were editing", path.display())]
    ChangedOnDisk {
        /// The file, named as in messages.
        path: PathBuf,
    },
}

/// The fields `nsi add` takes as flags; each one given replaces the same field of `--from`.
#[derive(Debug, Clone, Default)]
pub struct EntryFields {
    /// `id` (made from the title when absent).
    pub id: Option<String>,
    /// `title`.
    pub title: Option<String>,
    /// `owner_force`.
    pub owner_force: Option<String>,
    /// `categories`.
    pub categories: Vec<String>,
    /// `tags`.
    pub tags: Vec<String>,
    /// `phase`.
    pub phase: Option<String>,
    /// `summary`.
    pub summary: Option<String>,
    /// `problem_statement`.
    pub problem_statement: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `rationale`.
    pub rationale: Option<String>,
    /// `visibility`.
    pub visibility: Option<String>,
    /// `technology.stack`.
    pub stack: Vec<String>,
    /// `technology.deployment`.
    pub deployment: Option<String>,
    /// `technology.licence`.
    pub licence: Option<String>,
    /// `skills`, each `ROLE:LEVEL`.
    pub skills: Vec<String>,
    /// `documentation`, each `TYPE:AVAILABILITY[:URL]`.
    pub documents: Vec<String>,
    /// `contacts`, each `Name <email>` or `Name <email>, Role`.
    pub contacts: Vec<String>,
    /// `aftercare.level`.
    pub aftercare: Option<String>,
    /// `ai.use`.
    pub ai: Option<String>,
}

impl EntryFields {
    /// Whether no field was given.
    pub fn is_empty(&self) -> bool {
        self.to_value()
            .is_ok_and(|v| v.as_object().is_none_or(Map::is_empty))
    }

    /// The fields as a partial entry.
    pub fn to_value(&self) -> Result<Value, AuthorError> {
        let mut map = Map::new();
        let mut put = |key: &str, value: Option<&String>| {
            if let Some(value) = value {
                map.insert(key.to_owned(), Value::from(value.trim()));
            }
        };
        put("id", self.id.as_ref());
        put("title", self.title.as_ref());
        put("summary", self.summary.as_ref());
        put("problem_statement", self.problem_statement.as_ref());
        put("description", self.description.as_ref());
        put("owner_force", self.owner_force.as_ref());
        put("phase", self.phase.as_ref());
        put("rationale", self.rationale.as_ref());
        put("visibility", self.visibility.as_ref());
        let list =
            |items: &[String]| Value::from(items.iter().map(|s| s.trim()).collect::<Vec<_>>());
        if !self.categories.is_empty() {
            map.insert("categories".into(), list(&self.categories));
        }
        if !self.tags.is_empty() {
            map.insert("tags".into(), list(&self.tags));
        }
        let mut technology = Map::new();
        if !self.stack.is_empty() {
            technology.insert("stack".into(), list(&self.stack));
        }
        if let Some(deployment) = &self.deployment {
            technology.insert("deployment".into(), Value::from(deployment.trim()));
        }
        if let Some(licence) = &self.licence {
            technology.insert("licence".into(), Value::from(licence.trim()));
        }
        if !technology.is_empty() {
            map.insert("technology".into(), Value::Object(technology));
        }
        if !self.skills.is_empty() {
            let skills = self
                .skills
                .iter()
                .map(|s| {
                    let (role, level) = s.split_once(':').ok_or_else(|| AuthorError::BadFlag {
                        flag: "--skill",
                        value: s.clone(),
                        expected: "expected ROLE:LEVEL, e.g. software-development:working",
                    })?;
                    Ok(serde_json::json!({ "role": role.trim(), "level": level.trim() }))
                })
                .collect::<Result<Vec<_>, AuthorError>>()?;
            map.insert("skills".into(), Value::from(skills));
        }
        if !self.documents.is_empty() {
            let documents = self
                .documents
                .iter()
                .map(|d| {
                    let mut parts = d.splitn(3, ':');
                    let (Some(kind), Some(availability)) = (parts.next(), parts.next()) else {
                        return Err(AuthorError::BadFlag {
                            flag: "--doc",
                            value: d.clone(),
                            expected: "expected TYPE:AVAILABILITY[:URL], e.g. dpia:on-request",
                        });
                    };
                    let mut document = serde_json::json!({
                        "type": kind.trim(), "availability": availability.trim()
                    });
                    if let Some(url) = parts.next() {
                        document["url"] = Value::from(url.trim());
                    }
                    Ok(document)
                })
                .collect::<Result<Vec<_>, AuthorError>>()?;
            map.insert("documentation".into(), Value::from(documents));
        }
        if !self.contacts.is_empty() {
            let contacts = self
                .contacts
                .iter()
                .map(|c| {
                    parse_contact(c).ok_or_else(|| AuthorError::BadFlag {
                        flag: "--contact",
                        value: c.clone(),
                        expected: "expected \"Name <email>\" or \"Name <email>, Role\"",
                    })
                })
                .collect::<Result<Vec<_>, AuthorError>>()?;
            map.insert("contacts".into(), Value::from(contacts));
        }
        if let Some(level) = &self.aftercare {
            map.insert(
                "aftercare".into(),
                serde_json::json!({ "level": level.trim() }),
            );
        }
        if let Some(usage) = &self.ai {
            map.insert("ai".into(), serde_json::json!({ "use": usage.trim() }));
        }
        Ok(Value::Object(map))
    }
}

/// `Name <email>` or `Name <email>, Role` as a contact (its expiry comes from the defaults).
pub fn parse_contact(text: &str) -> Option<Value> {
    let (name, rest) = text.split_once('<')?;
    let (email, rest) = rest.split_once('>')?;
    let role = rest.trim().trim_start_matches(',').trim();
    let (name, email) = (name.trim(), email.trim());
    if name.is_empty() || email.is_empty() {
        return None;
    }
    Some(serde_json::json!({
        "name": name,
        "role": if role.is_empty() { DEFAULT_CONTACT_ROLE } else { role },
        "email": email,
    }))
}

/// `over` laid over `base`: mappings merge key by key, anything else is replaced.
pub fn merge(base: &mut Value, over: Value) {
    match (base, over) {
        (Value::Object(base), Value::Object(over)) => {
            for (key, value) in over {
                match base.get_mut(&key) {
                    Some(slot) => merge(slot, value),
                    None => {
                        base.insert(key, value);
                    }
                }
            }
        }
        (base, over) => *base = over,
    }
}

/// An id made from `title`: folded to lowercase ASCII words joined by hyphens, at most 64
/// characters, cut at a word.
pub fn slug(title: &str) -> String {
    let folded = fold(title);
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut slug = String::new();
    for word in words {
        if slug.len() + word.len() + 1 > 60 {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(word);
    }
    if slug.is_empty() {
        "solution".to_owned()
    } else {
        slug
    }
}

/// `base`, or `base-2`, `base-3`… whichever is not in `taken`.
pub fn unique_id(base: &str, taken: &BTreeSet<String>) -> String {
    if !taken.contains(base) {
        return base.to_owned();
    }
    (2..100_000)
        .map(|n| format!("{base}-{n}"))
        .find(|candidate| !taken.contains(candidate))
        .unwrap_or_else(|| base.to_owned())
}

/// Whether `text` holds nothing but blank lines and comments.
pub fn is_blank(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .all(|line| line.is_empty() || line.starts_with('#'))
}

/// A JSON pointer as a field name a person reads, as every message names fields:
/// `/contacts/0/email` → `contacts[0].email`, and `(entry)` for the whole entry.
pub fn field_name(pointer: &str) -> String {
    if pointer.is_empty() {
        "(entry)".to_owned()
    } else {
        crate::catalogue::schema::display_pointer(pointer)
    }
}

/// A new entry, ready to write when it has no errors.
#[derive(Debug, Clone)]
pub struct NewEntry {
    /// The entry with its defaults applied.
    pub value: Value,
    /// Its id.
    pub id: String,
    /// Where it would be written.
    pub path: PathBuf,
    /// `path` relative to the catalogue root.
    pub display: PathBuf,
    /// The canonical text that would be written.
    pub text: String,
    /// Findings in that text (lines refer to `text`).
    pub diagnostics: Vec<Diagnostic>,
}

impl NewEntry {
    /// Whether the entry can be written (warnings allowed).
    pub fn is_valid(&self) -> bool {
        !self
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// An edited entry, checked.
#[derive(Debug, Clone)]
pub struct EditedEntry {
    /// The canonical text to write back.
    pub text: String,
    /// Findings.
    pub diagnostics: Vec<Diagnostic>,
    /// Whether the value differs from the entry as it was.
    pub changed: bool,
}

/// Everything needed to write entries into one catalogue, for one run.
pub struct Author {
    root: PathBuf,
    checker: EntryChecker,
    today: NaiveDate,
    taken: BTreeSet<String>,
}

impl Author {
    /// Prepare to write into the catalogue under `root`, judging dates against `today` and
    /// checking entries with `settings` (the catalogue's review period and allowed email
    /// domains, as `nsi validate` applies them).
    pub fn open(
        root: &Path,
        today: NaiveDate,
        settings: RuleSettings,
    ) -> Result<Self, ValidateError> {
        let reference = Reference::for_root(root)?;
        let checker = EntryChecker::new(
            reference,
            ValidationOptions {
                strict: false,
                today,
            },
        )?
        .with_settings(settings);
        Ok(Author {
            root: root.to_path_buf(),
            checker,
            today,
            taken: lookup::all_ids(root).into_iter().collect(),
        })
    }

    /// The reference lists and schema in use.
    pub fn reference(&self) -> &Reference {
        self.checker.reference()
    }

    /// The catalogue root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Read `text` (YAML or JSON) as a partial entry. Syntax problems are findings in `display`.
    /// Text over [`load::MAX_FILE_BYTES`] is refused unread, as a file that large is.
    pub fn parse(&self, text: &str, display: &Path) -> Result<Value, Vec<Diagnostic>> {
        if text.len() as u64 > load::MAX_FILE_BYTES {
            let file = EntryFile::new(display, display);
            return Err(vec![load::too_large(&file, text.len() as u64)]);
        }
        let parsed = yaml::parse(text);
        if !parsed.problems.is_empty() {
            return Err(parsed
                .problems
                .iter()
                .map(|p| p.to_diagnostic(display))
                .collect());
        }
        match parsed.value {
            Some(value @ Value::Object(_)) => Ok(value),
            None | Some(Value::Null) => Ok(Value::Object(Map::new())),
            Some(other) => Err(vec![Diagnostic::new(
                &rules::NOT_A_MAPPING,
                display,
                Position::START,
                format!(
                    "an entry is a mapping of fields, not {}",
                    yaml::json_kind(&other)
                ),
            )]),
        }
    }

    /// Fill what the author may leave out: `created` and `last_reviewed` (today), each
    /// contact's `valid_until` (today + 12 months) and role, `visibility` (policing, the
    /// narrower audience), `id` (from the title, made unique), and every other required field
    /// the schema fixes or gives a default (`schema_version`; `ai.use`, whose default is the
    /// marker `nsi validate` warns about until the author answers).
    pub fn apply_defaults(&self, value: &mut Value) {
        let Some(map) = value.as_object_mut() else {
            return;
        };
        let schema = &self.reference().schema;
        let properties = schema.get("properties").and_then(Value::as_object);
        let required = schema.get("required").and_then(Value::as_array);
        if let (Some(properties), Some(required)) = (properties, required) {
            for key in required.iter().filter_map(Value::as_str) {
                if !map.contains_key(key)
                    && let Some(default) = properties.get(key).and_then(|p| default_of(schema, p))
                {
                    map.insert(key.to_owned(), default);
                }
            }
        }
        let today = Value::from(self.today.format("%Y-%m-%d").to_string());
        for key in ["created", "last_reviewed"] {
            map.entry(key).or_insert_with(|| today.clone());
        }
        map.entry("visibility")
            .or_insert_with(|| Value::from("policing"));
        let until = self
            .today
            .checked_add_months(Months::new(CONTACT_MONTHS))
            .unwrap_or(self.today)
            .format("%Y-%m-%d")
            .to_string();
        if let Some(contacts) = map.get_mut("contacts").and_then(Value::as_array_mut) {
            for contact in contacts.iter_mut().filter_map(Value::as_object_mut) {
                contact
                    .entry("valid_until")
                    .or_insert_with(|| Value::from(until.clone()));
                contact
                    .entry("role")
                    .or_insert_with(|| Value::from(DEFAULT_CONTACT_ROLE));
            }
        }
        let has_id = map
            .get("id")
            .and_then(Value::as_str)
            .is_some_and(|id| !id.trim().is_empty());
        if !has_id && let Some(title) = map.get("title").and_then(Value::as_str) {
            let id = unique_id(&slug(title), &self.taken);
            map.insert("id".into(), Value::from(id));
        }
    }

    /// Apply the defaults to `value`, lay it out canonically and check it as `nsi validate`
    /// would, plus: no placeholder left, and no entry with the same id already.
    pub fn prepare(&self, mut value: Value) -> NewEntry {
        self.apply_defaults(&mut value);
        let id = value
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let force = value
            .get("owner_force")
            .and_then(Value::as_str)
            .unwrap_or_default();
        // The path is made from the id and the force; anything else is refused by the
        // schema, and never joined to a path.
        let folder = if is_solution_id(force) {
            force
        } else {
            "unknown-force"
        };
        let stem = if is_solution_id(&id) {
            id.as_str()
        } else {
            "new-entry"
        };
        let relative = Path::new(CATALOGUE_DIR)
            .join(folder)
            .join(format!("{stem}.yaml"));
        let path = self.root.join(&relative);
        let display = load::display_relative(&relative);
        let text = yaml::to_yaml(&value, &self.reference().schema);
        let file = EntryFile::new(path.clone(), display.clone());
        let (mut diagnostics, _) = self.checker.check_text(&file, &text);
        // The file is named after the id and the force, so these two cannot disagree.
        diagnostics.retain(|d| {
            d.code != rules::ID_NOT_FILE_NAME.code && d.code != rules::OWNER_NOT_FOLDER.code
        });
        // Text over the size limit was refused unread (NSI002): nothing in it has a place.
        let source_map = if text.len() as u64 > load::MAX_FILE_BYTES {
            yaml::SourceMap::default()
        } else {
            yaml::parse(&text).source_map
        };
        placeholders(&value, &file, &source_map, &mut diagnostics);
        if !id.is_empty() && self.taken.contains(&id) {
            let elsewhere = self.existing_path(&id).unwrap_or_else(|| display.clone());
            let position = source_map.value("/id");
            diagnostics.push(
                Diagnostic::new(
                    &rules::DUPLICATE_ID,
                    display.clone(),
                    position,
                    format!(
                        "the id `{id}` is already used by {}; nsi add never overwrites an entry",
                        elsewhere.display()
                    ),
                )
                .at_pointer("/id")
                .with_hint(format!(
                    "choose another id, or leave `id` out to make one from the title; \
                     `nsi edit {id}` changes the existing entry"
                )),
            );
        }
        attach_source_lines(&mut diagnostics, &text);
        diagnostics.sort_by(|a, b| (a.line, a.column, a.code).cmp(&(b.line, b.column, b.code)));
        NewEntry {
            value,
            id,
            path,
            display,
            text,
            diagnostics,
        }
    }

    /// Mark `id` as used (by an entry written or planned in this run).
    pub fn reserve(&mut self, id: &str) {
        self.taken.insert(id.to_owned());
    }

    fn existing_path(&self, id: &str) -> Option<PathBuf> {
        lookup::locate(&self.root, id).ok().map(|file| file.display)
    }

    /// Write the new entry `entry` atomically, never over an existing file, refusing a path
    /// that leads outside the catalogue through a symbolic link.
    pub fn create(&self, entry: &NewEntry) -> Result<(), AuthorError> {
        write_new(&self.destination(&entry.path)?, &entry.text)
    }

    /// Replace the entry file at `path` with `text` atomically, keeping its line endings,
    /// byte-order mark and permissions. A link that leads inside the catalogue is written
    /// through, so it stays a link (as `nsi fmt` does); one that leads outside is refused.
    pub fn replace(&self, path: &Path, text: &str) -> Result<(), AuthorError> {
        write_replace(&self.destination(path)?, text)
    }

    /// Replace the entry file at `path` as [`Author::replace`] does, unless it no longer holds
    /// `original` — it changed on disk since it was read (while the editor was open, say):
    /// then [`AuthorError::ChangedOnDisk`] and nothing is written ([`durable::still_holds`],
    /// the guard `nsi fmt` uses too).
    pub fn replace_unchanged(
        &self,
        path: &Path,
        original: &str,
        text: &str,
    ) -> Result<(), AuthorError> {
        let destination = self.destination(path)?;
        let unchanged =
            durable::still_holds(&destination, original.as_bytes()).map_err(|source| {
                AuthorError::Io {
                    path: destination.clone(),
                    source,
                }
            })?;
        if !unchanged {
            return Err(AuthorError::ChangedOnDisk {
                path: display_under(&self.root, path),
            });
        }
        write_replace(&destination, text)
    }

    /// Where writing `path` really writes, by the one policy on symbolic links
    /// ([`load::follow`]): the file's resolved path when it exists inside the catalogue, the
    /// path itself for a new file in a folder inside it; an error when the file or the nearest
    /// folder that exists leads outside.
    fn destination(&self, path: &Path) -> Result<PathBuf, AuthorError> {
        let catalogue = load::resolved_catalogue(&self.root);
        let outside = |target: PathBuf| AuthorError::LinkOutside {
            path: display_under(&self.root, path),
            target,
        };
        match load::follow(catalogue.as_deref(), path) {
            Followed::Inside(target) => return Ok(target),
            Followed::Outside(target) => return Err(outside(target)),
            // A dangling link is a file that exists: writing a new entry refuses it, and
            // replacing it finds nothing to replace.
            Followed::Broken(_) => return Ok(path.to_path_buf()),
            Followed::Missing => {}
        }
        for folder in path.ancestors().skip(1) {
            match load::follow(catalogue.as_deref(), folder) {
                Followed::Missing => {}
                Followed::Outside(target) => return Err(outside(target)),
                Followed::Inside(_) | Followed::Broken(_) => break,
            }
        }
        Ok(path.to_path_buf())
    }

    /// Check the edited text of an existing entry (`original` is its value before editing).
    /// Syntax errors come back as findings with lines in `text`.
    pub fn check_edit(&self, file: &EntryFile, original: &Value, text: &str) -> EditedEntry {
        let value = match self.parse(text, &file.display) {
            Ok(value) => value,
            Err(diagnostics) => {
                return EditedEntry {
                    text: text.to_owned(),
                    diagnostics,
                    changed: true,
                };
            }
        };
        let canonical = yaml::to_yaml(&value, &self.reference().schema);
        let (mut diagnostics, _) = self.checker.check_text(file, &canonical);
        let source_map = yaml::parse(&canonical).source_map;
        placeholders(&value, file, &source_map, &mut diagnostics);
        attach_source_lines(&mut diagnostics, &canonical);
        EditedEntry {
            changed: value != *original,
            text: canonical,
            diagnostics,
        }
    }
}

/// Whether the schema `node` is of JSON type `kind`.
fn is_kind(node: &Value, kind: &str) -> bool {
    node.get("type").and_then(Value::as_str) == Some(kind)
}

/// How to name `path` in messages: see [`load::display_path`].
pub fn display_under(root: &Path, path: &Path) -> PathBuf {
    load::display_path(root, path)
}

/// Write `text` to `path` atomically, refusing to replace an existing file: a temporary file
/// in the same folder, synced, then linked into place only if nothing is there (see
/// [`durable::create_new`]). The text is written as given: canonical entries have LF line
/// endings on every platform.
pub fn write_new(path: &Path, text: &str) -> Result<(), AuthorError> {
    let io = |source| AuthorError::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(io)?;
    durable::create_new(path, text.as_bytes()).map_err(|error| {
        if error.kind() == std::io::ErrorKind::AlreadyExists {
            AuthorError::Exists {
                path: path.to_path_buf(),
            }
        } else {
            io(error)
        }
    })
}

/// Replace the file at `path` with `text` atomically (a reader sees the old or the new file,
/// and a crash leaves one of them: see [`durable::replace`]), keeping the line endings (CRLF
/// or LF), byte-order mark and permissions of the file replaced, as `nsi fmt` does. `text`
/// has LF line endings; new files (`nsi add`) are written with LF.
fn write_replace(path: &Path, text: &str) -> Result<(), AuthorError> {
    let io = |source| AuthorError::Io {
        path: path.to_path_buf(),
        source,
    };
    let existing = fs::read(path).map_err(io)?;
    let permissions = fs::metadata(path).map_err(io)?.permissions();
    let bytes = format::with_file_conventions(text, &existing);
    durable::replace(path, &bytes, Some(permissions)).map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_made_from_titles_and_kept_unique() {
        assert_eq!(
            slug("CPS Evidence Redaction Tool"),
            "cps-evidence-redaction-tool"
        );
        assert_eq!(slug("Café — Résumé (v2)"), "cafe-resume-v2");
        assert_eq!(slug("!!!"), "solution");
        let taken: BTreeSet<String> = ["a".to_owned(), "a-2".to_owned()].into();
        assert_eq!(unique_id("a", &taken), "a-3");
        assert_eq!(unique_id("b", &taken), "b");
    }

    #[test]
    fn contacts_and_pointers_read_as_people_write_them() {
        let contact = parse_contact("Jo Bloggs <jo@x.example>, Product owner").expect("contact");
        assert_eq!(contact["role"], "Product owner");
        assert_eq!(contact["email"], "jo@x.example");
        assert!(parse_contact("Jo Bloggs").is_none());
        assert_eq!(field_name("/contacts/0/email"), "contacts[0].email");
        assert_eq!(
            strip_error_block("# nsi| a\n# nsi| b\ntitle: x\n"),
            "title: x\n"
        );
    }
}
