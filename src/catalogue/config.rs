//! The catalogue's configuration: `nsi.toml` at the catalogue root, then `NSI_*` environment
//! variables, then flags, each layer overriding the one before (default < file < environment <
//! flag). Every setting remembers which layer it came from, so `nsi config` can say why a value
//! is what it is.
//!
//! The file is strict, like entries: an unknown key or a value of the wrong type is an error
//! naming the file, line and column, never silently ignored.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fmt;
use std::path::{Component, Path, PathBuf};

use serde::de::IntoDeserializer;
use serde::{Deserialize, Serialize};
use toml::Spanned;
use toml::de::{DeString, DeTable, DeValue};

use super::entry::REVIEW_INTERVAL_MONTHS;
use super::reference::Reference;

/// The file name of the configuration, at the catalogue root.
pub const FILE_NAME: &str = "nsi.toml";

/// Configuration files larger than this are refused unread (a real one is a few hundred bytes).
const MAX_FILE_BYTES: u64 = 64 * 1024;

/// How firmly `nsi review` enforces a minimum standard a new entry does not meet (a finding's
/// severity is `diagnostic::Severity`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Enforcement {
    /// The pull request cannot be accepted until it is met (exit 1).
    Blocker,
    /// Reported, but does not block.
    Warning,
    /// Not checked.
    Off,
}

impl Enforcement {
    /// The name used in `nsi.toml`.
    pub fn as_str(self) -> &'static str {
        match self {
            Enforcement::Blocker => "blocker",
            Enforcement::Warning => "warning",
            Enforcement::Off => "off",
        }
    }
}

impl fmt::Display for Enforcement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The minimum standards a new entry must meet, checked by `nsi review` (the workshop's
/// "minimum standards" a gatekeeper applies before accepting an entry).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Standards {
    /// A non-empty `rationale` of at least `rationale_min_words` words.
    pub rationale: Enforcement,
    /// Words the rationale needs.
    pub rationale_min_words: usize,
    /// A `problem_statement` of substance: at least `problem_statement_min_words` words.
    pub problem_statement: Enforcement,
    /// Words the problem statement needs.
    pub problem_statement_min_words: usize,
    /// At least one contact still valid `contact_valid_days` days from the review.
    pub contact: Enforcement,
    /// How long, in days, a contact must stay valid after the review.
    pub contact_valid_days: u32,
    /// At least one document of a type in `documents_any_of` is documented.
    pub documents: Enforcement,
    /// Document type slugs from `schema/reference/documents.yaml`, any one of which will do.
    pub documents_any_of: Vec<String>,
    /// At least one skill is stated.
    pub skills: Enforcement,
    /// `visibility` is chosen explicitly (not left to a default).
    pub visibility: Enforcement,
}

impl Default for Standards {
    fn default() -> Self {
        Standards {
            rationale: Enforcement::Blocker,
            rationale_min_words: 5,
            problem_statement: Enforcement::Blocker,
            problem_statement_min_words: 20,
            contact: Enforcement::Blocker,
            contact_valid_days: 90,
            documents: Enforcement::Blocker,
            documents_any_of: vec![
                "business-case".to_owned(),
                "technical-blueprint".to_owned(),
                "lessons-learned".to_owned(),
            ],
            skills: Enforcement::Blocker,
            visibility: Enforcement::Blocker,
        }
    }
}

/// The resolved configuration of a catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Config {
    /// The git remote `nsi publish` pushes to.
    pub remote: String,
    /// The branch pull requests are opened against, and `nsi diff` and `nsi review` compare with.
    pub default_branch: String,
    /// An entry's review is overdue this many months after `last_reviewed`.
    pub review_period_months: u32,
    /// Where caches (the search index) are kept; relative paths are relative to the catalogue
    /// root. `nsi.toml` may only name a folder inside the root; `NSI_CACHE_DIR` may name any.
    /// See [`Config::cache_dir_in`].
    pub cache_dir: PathBuf,
    /// Whether `nsi search`, finding no current index, builds one in the background (a
    /// detached `nsi index`) while it answers from the files that may match.
    pub index_in_background: bool,
    /// Domains contact emails must belong to (a subdomain counts); empty means any domain.
    /// Stored lowercase, without a leading `@`.
    pub allowed_email_domains: Vec<String>,
    /// Minimum standards for new entries.
    pub standards: Standards,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            remote: "origin".to_owned(),
            default_branch: "main".to_owned(),
            review_period_months: REVIEW_INTERVAL_MONTHS,
            cache_dir: PathBuf::from(super::load::NSI_DIR).join("cache"),
            index_in_background: true,
            allowed_email_domains: Vec::new(),
            standards: Standards::default(),
        }
    }
}

/// A setting: its key in `nsi.toml` (dotted for tables), the environment variable that
/// overrides it, and — in one place for each setting — how it reads as TOML (`nsi config`)
/// and how a value of it is checked and stored, whichever layer gives it.
#[derive(Debug, Clone, Copy)]
pub struct Key {
    /// The key, e.g. `review_period_months` or `standards.contact_valid_days`.
    pub name: &'static str,
    /// The environment variable that overrides it.
    pub env: Option<&'static str>,
    /// Its value in a configuration, as TOML.
    get: fn(&Config) -> toml::Value,
    /// Its kind, with the one function that checks and stores a value.
    set: Set,
}

/// A setting's kind and the function that checks and stores a value of that kind. The file
/// gives the value typed (TOML); an environment variable or a flag gives text, read by kind
/// (lists comma-separated). Either way the same function judges it.
#[derive(Debug, Clone, Copy)]
enum Set {
    /// Text; the layer matters for folders (`nsi.toml` may only name one inside the root).
    Text(fn(&mut Config, &str, Layer) -> Result<(), String>),
    /// A whole number.
    Number(fn(&mut Config, u64) -> Result<(), String>),
    /// A switch.
    Switch(fn(&mut Config, bool)),
    /// A list of text.
    List(fn(&mut Config, Vec<String>) -> Result<(), String>),
    /// A list of slugs, checked against the reference lists when they can be read.
    Slugs(SetSlugs),
    /// `blocker`, `warning` or `off`.
    Enforcement(fn(&mut Config, Enforcement)),
}

/// Checks and stores a list of slugs, given the reference lists when they can be read.
type SetSlugs = fn(&mut Config, Vec<String>, Option<&Reference>) -> Result<(), String>;

/// Which layer gives a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layer {
    /// `nsi.toml`, which travels with the repository (a pull request may change it).
    File,
    /// An environment variable or a flag: the user's own choice on this machine.
    Override,
}

fn text(value: &str) -> toml::Value {
    toml::Value::String(value.to_owned())
}

fn list(items: &[String]) -> toml::Value {
    toml::Value::Array(items.iter().map(|s| text(s)).collect())
}

fn number(n: u64) -> toml::Value {
    toml::Value::Integer(i64::try_from(n).unwrap_or(i64::MAX))
}

fn enforcement(e: Enforcement) -> toml::Value {
    text(e.as_str())
}

/// A whole number that fits the setting's type.
fn fits<T: TryFrom<u64>>(n: u64) -> Result<T, String> {
    T::try_from(n).map_err(|_| format!("{n} is too large"))
}

/// Every setting, in the order `nsi config` lists them: the one table of settings.
pub const KEYS: &[Key] = &[
    Key {
        name: "remote",
        env: Some("NSI_REMOTE"),
        get: |c| text(&c.remote),
        set: Set::Text(|c, t, _| {
            c.remote = check_name(t)?;
            Ok(())
        }),
    },
    Key {
        name: "default_branch",
        env: Some("NSI_DEFAULT_BRANCH"),
        get: |c| text(&c.default_branch),
        set: Set::Text(|c, t, _| {
            c.default_branch = check_name(t)?;
            Ok(())
        }),
    },
    Key {
        name: "review_period_months",
        env: Some("NSI_REVIEW_PERIOD_MONTHS"),
        get: |c| number(c.review_period_months.into()),
        set: Set::Number(|c, n| {
            c.review_period_months = check_months(n)?;
            Ok(())
        }),
    },
    Key {
        name: "cache_dir",
        env: Some("NSI_CACHE_DIR"),
        get: |c| text(&c.cache_dir.to_string_lossy()),
        set: Set::Text(|c, t, layer| {
            c.cache_dir = match layer {
                Layer::File => check_dir_inside(t)?,
                Layer::Override => check_dir(t)?,
            };
            Ok(())
        }),
    },
    Key {
        name: "index_in_background",
        env: Some("NSI_INDEX_IN_BACKGROUND"),
        get: |c| toml::Value::Boolean(c.index_in_background),
        set: Set::Switch(|c, on| c.index_in_background = on),
    },
    Key {
        name: "allowed_email_domains",
        env: Some("NSI_ALLOWED_EMAIL_DOMAINS"),
        get: |c| list(&c.allowed_email_domains),
        set: Set::List(|c, items| {
            c.allowed_email_domains = check_domains(items)?;
            Ok(())
        }),
    },
    Key {
        name: "standards.rationale",
        env: None,
        get: |c| enforcement(c.standards.rationale),
        set: Set::Enforcement(|c, e| c.standards.rationale = e),
    },
    Key {
        name: "standards.rationale_min_words",
        env: None,
        get: |c| number(c.standards.rationale_min_words as u64),
        set: Set::Number(|c, n| {
            c.standards.rationale_min_words = fits(n)?;
            Ok(())
        }),
    },
    Key {
        name: "standards.problem_statement",
        env: None,
        get: |c| enforcement(c.standards.problem_statement),
        set: Set::Enforcement(|c, e| c.standards.problem_statement = e),
    },
    Key {
        name: "standards.problem_statement_min_words",
        env: None,
        get: |c| number(c.standards.problem_statement_min_words as u64),
        set: Set::Number(|c, n| {
            c.standards.problem_statement_min_words = fits(n)?;
            Ok(())
        }),
    },
    Key {
        name: "standards.contact",
        env: None,
        get: |c| enforcement(c.standards.contact),
        set: Set::Enforcement(|c, e| c.standards.contact = e),
    },
    Key {
        name: "standards.contact_valid_days",
        env: None,
        get: |c| number(c.standards.contact_valid_days.into()),
        set: Set::Number(|c, n| {
            c.standards.contact_valid_days = fits(n)?;
            Ok(())
        }),
    },
    Key {
        name: "standards.documents",
        env: None,
        get: |c| enforcement(c.standards.documents),
        set: Set::Enforcement(|c, e| c.standards.documents = e),
    },
    Key {
        name: "standards.documents_any_of",
        env: None,
        get: |c| list(&c.standards.documents_any_of),
        set: Set::Slugs(|c, items, reference| {
            c.standards.documents_any_of = check_document_types(items, reference)?;
            Ok(())
        }),
    },
    Key {
        name: "standards.skills",
        env: None,
        get: |c| enforcement(c.standards.skills),
        set: Set::Enforcement(|c, e| c.standards.skills = e),
    },
    Key {
        name: "standards.visibility",
        env: None,
        get: |c| enforcement(c.standards.visibility),
        set: Set::Enforcement(|c, e| c.standards.visibility = e),
    },
];

/// The tables `nsi.toml` may hold, each with what it is called when something else is given
/// in its place.
const TABLES: &[(&str, &str)] = &[("standards", "a table of minimum standards")];

/// Where a setting's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Nothing set it.
    Default,
    /// The configuration file at this path (the line is in [`Resolved::line`]).
    File(PathBuf),
    /// This environment variable.
    Env(String),
    /// This command-line flag, e.g. `--remote`.
    Flag(String),
}

/// A configuration and where each of its settings came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// The settings.
    pub config: Config,
    /// Every key of [`KEYS`], in that order, with where its value came from.
    pub sources: Vec<(String, Source)>,
    /// The configuration file (`<root>/nsi.toml`), whether or not it exists.
    pub path: PathBuf,
    /// Whether the configuration file exists.
    pub file_exists: bool,
    /// For keys set in the file, the line (1-based) of their value.
    pub lines: BTreeMap<String, usize>,
}

/// What stops the configuration from loading (exit 2 at the command line).
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file exists but could not be read.
    #[error("cannot read {}: {error}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        error: std::io::Error,
    },
    /// The file is not valid TOML, has an unknown key, a value of the wrong type or a value
    /// out of range.
    #[error("{}:{line}:{column}: {message}", path.display())]
    File {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column, in characters.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// An environment variable or flag has a value that does not fit its setting.
    #[error("{origin}: {message}")]
    Override {
        /// `NSI_REVIEW_PERIOD_MONTHS`, or a flag such as `--remote`.
        origin: String,
        /// What is wrong.
        message: String,
    },
    /// No setting has this key.
    #[error("there is no setting `{0}`")]
    UnknownKey(String),
}

impl Config {
    /// The configuration of the catalogue under `root`: the defaults, then `root/nsi.toml` if
    /// present, then the `NSI_*` variables of the environment `env` gives (the command line
    /// hands in the process's; the domain never reads it).
    pub fn load(
        root: &Path,
        env: impl Fn(&str) -> Option<OsString>,
    ) -> Result<Resolved, ConfigError> {
        let mut resolved = Self::load_file(root)?;
        resolved.apply_env(env)?;
        Ok(resolved)
    }

    /// The defaults and `root/nsi.toml` only, without the environment: the catalogue's own
    /// settings, as validation of the catalogue applies them wherever it runs.
    pub fn load_file(root: &Path) -> Result<Resolved, ConfigError> {
        let path = root.join(FILE_NAME);
        let mut resolved = Resolved::defaults(path.clone());
        let read_error = |error| ConfigError::Read {
            path: path.clone(),
            error,
        };
        let metadata = match std::fs::metadata(&path) {
            Ok(metadata) => metadata,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(resolved),
            Err(error) => return Err(read_error(error)),
        };
        if metadata.len() > MAX_FILE_BYTES {
            return Err(too_large(path));
        }
        let text = std::fs::read_to_string(&path).map_err(read_error)?;
        resolved.file_exists = true;
        let reference = Reference::for_root(root).ok();
        resolved.apply_file(&text, reference.as_ref())?;
        Ok(resolved)
    }

    /// The defaults and the text of an `nsi.toml` read from elsewhere (a commit), named `path`
    /// in errors; document types are checked against `reference`. No environment: this is
    /// the catalogue's own configuration as that revision holds it. `None` for a revision
    /// without the file.
    pub fn from_text(
        text: Option<&str>,
        path: PathBuf,
        reference: &Reference,
    ) -> Result<Resolved, ConfigError> {
        let mut resolved = Resolved::defaults(path);
        if let Some(text) = text {
            if text.len() as u64 > MAX_FILE_BYTES {
                return Err(too_large(resolved.path));
            }
            resolved.file_exists = true;
            resolved.apply_file(text, Some(reference))?;
        }
        Ok(resolved)
    }

    /// The cache folder of the catalogue under `root`: [`Config::cache_dir`], relative to
    /// `root` unless absolute.
    pub fn cache_dir_in(&self, root: &Path) -> PathBuf {
        root.join(&self.cache_dir)
    }

    /// The value of `key` (one of [`KEYS`]) as TOML, e.g. for `nsi config`.
    pub fn value(&self, key: &str) -> Option<toml::Value> {
        KEYS.iter().find(|k| k.name == key).map(|k| (k.get)(self))
    }

    /// Whether `email` is at one of [`Config::allowed_email_domains`] (or a subdomain of
    /// one); any email is when the list is empty. Text without an `@` is not judged here (the
    /// schema reports it) and counts as allowed.
    pub fn email_allowed(&self, email: &str) -> bool {
        email_allowed(&self.allowed_email_domains, email)
    }
}

/// A configuration file too large to be one, refused unread.
fn too_large(path: PathBuf) -> ConfigError {
    ConfigError::File {
        path,
        line: 1,
        column: 1,
        message: format!(
            "the file is larger than {} KiB; a configuration is a few lines",
            MAX_FILE_BYTES / 1024
        ),
    }
}

/// Whether `email` is at one of `domains` (or a subdomain of one); any email is when `domains`
/// is empty. Text without an `@` counts as allowed: its form is the schema's finding.
pub fn email_allowed(domains: &[String], email: &str) -> bool {
    let Some((_, domain)) = email.trim().rsplit_once('@') else {
        return true;
    };
    let domain = domain.to_ascii_lowercase();
    domains.is_empty()
        || domains.iter().any(|allowed| {
            domain == *allowed
                || domain
                    .strip_suffix(allowed.as_str())
                    .is_some_and(|rest| rest.ends_with('.'))
        })
}

impl Resolved {
    /// The defaults, for a configuration file at `path` not read yet.
    fn defaults(path: PathBuf) -> Self {
        Resolved {
            config: Config::default(),
            sources: KEYS
                .iter()
                .map(|key| (key.name.to_owned(), Source::Default))
                .collect(),
            path,
            file_exists: false,
            lines: BTreeMap::new(),
        }
    }

    /// Where the value of `key` came from.
    pub fn source(&self, key: &str) -> Option<&Source> {
        self.sources
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, source)| source)
    }

    /// The line of `nsi.toml` that set `key`, when the file did.
    pub fn line(&self, key: &str) -> Option<usize> {
        match self.source(key) {
            Some(Source::File(_)) => self.lines.get(key).copied(),
            _ => None,
        }
    }

    /// Set `key` from text, as an environment variable or a flag gives it (lists are
    /// comma-separated), and record `source` as where it came from. For a flag that overrides
    /// a setting, e.g. `resolved.set("remote", "upstream", Source::Flag("--remote".into()))`.
    pub fn set(&mut self, key: &str, text: &str, source: Source) -> Result<(), ConfigError> {
        let origin = match &source {
            Source::Env(variable) => variable.clone(),
            Source::Flag(flag) => flag.clone(),
            Source::File(path) => path.display().to_string(),
            Source::Default => "default".to_owned(),
        };
        let fail = |message: String| ConfigError::Override {
            origin: origin.clone(),
            message,
        };
        let setting = KEYS
            .iter()
            .find(|k| k.name == key)
            .ok_or_else(|| ConfigError::UnknownKey(key.to_owned()))?;
        let text = text.trim();
        let config = &mut self.config;
        match setting.set {
            Set::Text(set) => set(config, text, Layer::Override),
            Set::Number(set) => parse_number(text).and_then(|n| set(config, n)),
            Set::Switch(set) => parse_bool(text).map(|on| set(config, on)),
            Set::List(set) => set(config, split_list(text)),
            Set::Slugs(set) => {
                let root = self.path.parent().unwrap_or(Path::new("."));
                let reference = Reference::for_root(root).ok();
                set(config, split_list(text), reference.as_ref())
            }
            Set::Enforcement(set) => parse_severity(text).map(|e| set(config, e)),
        }
        .map_err(fail)?;
        self.mark(key, source);
        Ok(())
    }

    fn mark(&mut self, key: &str, source: Source) {
        if let Some((_, slot)) = self.sources.iter_mut().find(|(name, _)| name == key) {
            *slot = source;
        }
    }

    /// Apply the environment variables of [`KEYS`]. An empty variable counts as unset, except
    /// `NSI_ALLOWED_EMAIL_DOMAINS`, where empty means "any domain".
    fn apply_env(&mut self, env: impl Fn(&str) -> Option<OsString>) -> Result<(), ConfigError> {
        for key in KEYS {
            let Some(variable) = key.env else { continue };
            let Some(value) = env(variable) else { continue };
            let value = value.into_string().map_err(|_| ConfigError::Override {
                origin: variable.to_owned(),
                message: "the value is not valid UTF-8".to_owned(),
            })?;
            if value.trim().is_empty() && key.name != "allowed_email_domains" {
                continue;
            }
            self.set(key.name, &value, Source::Env(variable.to_owned()))?;
        }
        Ok(())
    }

    /// Apply the text of the configuration file: each key it holds is found in [`KEYS`] and
    /// its value, typed as the key's kind, is judged by the key's one function.
    fn apply_file(&mut self, text: &str, reference: Option<&Reference>) -> Result<(), ConfigError> {
        let path = self.path.clone();
        let error_at = |offset: usize, message: String| {
            let (line, column) = line_column(text, offset);
            ConfigError::File {
                path: path.clone(),
                line,
                column,
                message,
            }
        };
        let document = DeTable::parse(text).map_err(|error| {
            let offset = error.span().map_or(0, |span| span.start);
            error_at(offset, error.message().trim_end().to_owned())
        })?;
        // Each key with its value and table ("" at the top), or a table key whose value is
        // not a table; the first problem in the file is reported first, whatever order the
        // parsed table keeps.
        let mut found: Vec<Found<'_>> = Vec::new();
        for (key, value) in document.into_inner() {
            let table = TABLES
                .iter()
                .find(|(name, _)| *name == key.get_ref().as_ref());
            let Some((name, expecting)) = table else {
                found.push(Found::Setting(key, value, ""));
                continue;
            };
            let start = value.span().start;
            match value.into_inner() {
                DeValue::Table(inner) => found.extend(
                    inner
                        .into_iter()
                        .map(|(key, value)| Found::Setting(key, value, name)),
                ),
                other => found.push(Found::NotATable(
                    start,
                    format!("invalid type: {}, expected {expecting}", other.type_str()),
                )),
            }
        }
        found.sort_by_key(Found::start);
        for found in found {
            let (key, value, table) = match found {
                Found::Setting(key, value, table) => (key, value, table),
                Found::NotATable(start, message) => return Err(error_at(start, message)),
            };
            let written = key.get_ref().as_ref();
            // A quoted key may hold a dot (`"standards.skills" = …`): it is not the table's.
            let setting = if written.contains('.') {
                None
            } else if table.is_empty() {
                KEYS.iter().find(|k| k.name == written)
            } else {
                KEYS.iter().find(|k| {
                    k.name
                        .strip_prefix(table)
                        .and_then(|rest| rest.strip_prefix('.'))
                        == Some(written)
                })
            };
            let Some(setting) = setting else {
                return Err(error_at(key.span().start, unknown_key(table, written)));
            };
            let name = setting.name;
            let start = value.span().start;
            let config = &mut self.config;
            let judged =
                |result: Result<(), String>| result.map_err(|m| (format!("{name}: {m}"), None));
            match setting.set {
                Set::Text(set) => {
                    typed::<String>(value).and_then(|t| judged(set(config, &t, Layer::File)))
                }
                Set::Number(set) => typed::<u64>(value).and_then(|n| judged(set(config, n))),
                Set::Switch(set) => typed::<bool>(value).map(|on| set(config, on)),
                Set::List(set) => {
                    typed::<Vec<String>>(value).and_then(|items| judged(set(config, items)))
                }
                Set::Slugs(set) => typed::<Vec<String>>(value)
                    .and_then(|items| judged(set(config, items, reference))),
                Set::Enforcement(set) => typed::<String>(value)
                    .and_then(|t| parse_severity(&t).map_err(|m| (m, None)))
                    .map(|e| set(config, e)),
            }
            .map_err(|(message, at)| error_at(at.unwrap_or(start), message))?;
            self.mark(name, Source::File(path.clone()));
            self.lines
                .insert(name.to_owned(), line_column(text, start).0);
        }
        Ok(())
    }
}

/// What the file holds at its top, in the order of the text.
enum Found<'i> {
    /// A key, its value, and the table it is in (`""` at the top).
    Setting(Spanned<DeString<'i>>, Spanned<DeValue<'i>>, &'static str),
    /// A table's key whose value is not a table: where, and what to say.
    NotATable(usize, String),
}

impl Found<'_> {
    fn start(&self) -> usize {
        match self {
            Found::Setting(key, _, _) => key.span().start,
            Found::NotATable(start, _) => *start,
        }
    }
}

/// A value of the file, as the Rust type of its setting's kind. A wrong type is serde's
/// message (e.g. "invalid type: string \"six\", expected u64") with the place of the value
/// at fault when it is inside the one given (an item of a list).
fn typed<'i, T: Deserialize<'i>>(
    value: Spanned<DeValue<'i>>,
) -> Result<T, (String, Option<usize>)> {
    T::deserialize(value.into_deserializer()).map_err(|error| {
        (
            error.message().trim_end().to_owned(),
            error.span().map(|span| span.start),
        )
    })
}

/// "unknown field `X`, expected one of …" for a key of the file (in `table`, or at the top when
/// empty) that no setting has, with the nearest key when it is close enough to be a typo.
fn unknown_key(table: &str, written: &str) -> String {
    let prefix = if table.is_empty() {
        String::new()
    } else {
        format!("{table}.")
    };
    let known: Vec<&str> = if table.is_empty() {
        KEYS.iter()
            .map(|key| key.name)
            .filter(|name| !name.contains('.'))
            .chain(TABLES.iter().map(|(name, _)| *name))
            .collect()
    } else {
        KEYS.iter()
            .filter_map(|key| key.name.strip_prefix(prefix.as_str()))
            .collect()
    };
    let listed: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
    let message = format!(
        "unknown field `{written}`, expected one of {}",
        listed.join(", ")
    );
    match super::suggest::hint(written, known.iter().copied()) {
        Some(hint) => format!("{message} ({hint})"),
        None => message,
    }
}

/// The 1-based line and column (in characters) of byte `offset` in `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

fn split_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect()
}

fn parse_number<T: std::str::FromStr>(text: &str) -> Result<T, String> {
    text.parse()
        .map_err(|_| format!("`{text}` is not a whole number"))
}

/// A switch as an environment variable gives it: `true`/`false`, `1`/`0`, `yes`/`no`, `on`/`off`.
fn parse_bool(text: &str) -> Result<bool, String> {
    match text.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        _ => Err(format!(
            "`{text}` is not a switch: expected `true` or `false`"
        )),
    }
}

/// `blocker`, `warning` or `off`, named as serde names the variants of [`Enforcement`].
fn parse_severity(text: &str) -> Result<Enforcement, String> {
    let text: serde::de::value::StrDeserializer<'_, serde::de::value::Error> =
        text.into_deserializer();
    Enforcement::deserialize(text).map_err(|error| error.to_string())
}

/// A git remote or branch name: non-empty, no spaces or control characters, and not starting
/// with `-` (which git would read as an option).
fn check_name(text: &str) -> Result<String, String> {
    if text.is_empty() {
        return Err("must not be empty".to_owned());
    }
    if text.starts_with('-') {
        return Err(format!("`{text}` must not start with `-`"));
    }
    if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "`{}` must not contain spaces or control characters",
            text.escape_debug()
        ));
    }
    Ok(text.to_owned())
}

fn check_months(months: u64) -> Result<u32, String> {
    if (1..=1200).contains(&months) {
        fits(months)
    } else {
        Err(format!(
            "{months} is not a review period: give a number of months from 1 to 1200"
        ))
    }
}

fn check_dir(text: &str) -> Result<PathBuf, String> {
    if text.trim().is_empty() {
        Err("must not be empty".to_owned())
    } else {
        Ok(PathBuf::from(text))
    }
}

/// A folder for `nsi.toml`, which travels with the repository (a pull request may change it):
/// relative to the catalogue root and inside it, so that a clone never makes nsi write
/// beside or above the repository. A folder elsewhere is the user's own choice, made with
/// `NSI_CACHE_DIR`.
fn check_dir_inside(text: &str) -> Result<PathBuf, String> {
    let path = check_dir(text)?;
    let leaves = path
        .components()
        .any(|part| !matches!(part, Component::Normal(_) | Component::CurDir));
    // `C:foo` and `\\server\share` parse as prefixes only on Windows: refuse them everywhere.
    let drive_like = text.contains(':') || text.starts_with('\\');
    if leaves || drive_like || path.has_root() {
        return Err(format!(
            "`{}` must be a folder inside the catalogue root, relative to it, without `..` \
             (e.g. `.nsi/cache`); to keep the cache elsewhere, set NSI_CACHE_DIR",
            text.escape_debug()
        ));
    }
    Ok(path)
}

/// Email domains, lowercased and without a leading `@`.
fn check_domains(domains: Vec<String>) -> Result<Vec<String>, String> {
    domains
        .into_iter()
        .map(|domain| {
            let clean = domain.trim().trim_start_matches('@').to_ascii_lowercase();
            let bad = clean.is_empty()
                || clean.starts_with('.')
                || clean.ends_with('.')
                || clean
                    .chars()
                    .any(|c| c == '@' || c == ',' || c.is_whitespace() || c.is_control());
            if bad {
                Err(format!(
                    "`{}` is not an email domain (e.g. `police.uk`)",
                    domain.escape_debug()
                ))
            } else {
                Ok(clean)
            }
        })
        .collect()
}

/// Document type slugs, each known to the catalogue's `schema/reference/documents.yaml` (when
/// the reference lists can be read; if not, validation reports that).
fn check_document_types(
    slugs: Vec<String>,
    reference: Option<&Reference>,
) -> Result<Vec<String>, String> {
    if slugs.is_empty() {
        return Err("name at least one document type (or set `documents = \"off\"`)".to_owned());
    }
    if let Some(reference) = reference {
        for slug in &slugs {
            if !reference.documents.iter().any(|d| d.slug == *slug) {
                return Err(format!(
                    "`{slug}` is not a document type of schema/reference/documents.yaml"
                ));
            }
        }
    }
    Ok(slugs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root_with(text: Option<&str>) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        if let Some(text) = text {
            std::fs::write(dir.path().join(FILE_NAME), text).expect("write nsi.toml");
        }
        dir
    }

    fn no_env(_: &str) -> Option<OsString> {
        None
    }

    #[test]
    fn without_a_file_every_setting_is_a_default() {
        let dir = root_with(None);
        let resolved = Config::load(dir.path(), no_env).expect("loads");
        assert_eq!(resolved.config, Config::default());
        assert!(!resolved.file_exists);
        assert_eq!(resolved.sources.len(), KEYS.len());
        assert!(resolved.sources.iter().all(|(_, s)| *s == Source::Default));
        for key in KEYS {
            assert!(resolved.config.value(key.name).is_some(), "{}", key.name);
        }
    }

    #[test]
    fn the_file_sets_values_and_records_their_lines() {
        let dir = root_with(Some(
            "# comment\nremote = \"upstream\"\n\n[standards]\ncontact_valid_days = 30\n\
             documents_any_of = [\"dpia\"]\n",
        ));
        let resolved = Config::load(dir.path(), no_env).expect("loads");
        assert_eq!(resolved.config.remote, "upstream");
        assert_eq!(resolved.config.standards.contact_valid_days, 30);
        assert_eq!(resolved.config.standards.documents_any_of, ["dpia"]);
        assert_eq!(resolved.line("remote"), Some(2));
        assert_eq!(resolved.line("standards.contact_valid_days"), Some(5));
        assert_eq!(
            resolved.source("remote"),
            Some(&Source::File(dir.path().join(FILE_NAME)))
        );
        assert_eq!(resolved.source("default_branch"), Some(&Source::Default));
    }

    #[test]
    fn unknown_keys_and_wrong_types_name_the_line_and_column() {
        let cases = [
            (
                "remote = \"origin\"\nremot = \"x\"\n",
                2,
                1,
                "unknown field `remot`, expected one of `remote`",
            ),
            ("review_period_months = \"six\"\n", 1, 24, "invalid type"),
            (
                "[standards]\n  skills = \"maybe\"\n",
                2,
                12,
                "unknown variant `maybe`",
            ),
            (
                "[standards]\ncontct = 1\n",
                2,
                1,
                "(did you mean `contact`?)",
            ),
            (
                "review_period_months = 0\n",
                1,
                24,
                "review_period_months: 0",
            ),
            (
                "remote = \"--upload-pack=x\"\n",
                1,
                10,
                "must not start with `-`",
            ),
            ("remote = \n", 1, 10, ""),
            (
                "cache_dir = \"../outside-cache\"\n",
                1,
                13,
                "must be a folder inside the catalogue root",
            ),
            (
                "\ncache_dir = \"/tmp/nsi-cache\"\n",
                2,
                13,
                "set NSI_CACHE_DIR",
            ),
            ("cache_dir = \"cache/../../x\"\n", 1, 13, "without `..`"),
            (
                "standards = 3\n",
                1,
                13,
                "expected a table of minimum standards",
            ),
            (
                "[standards]\ncontact_valid_days = 5000000000\n",
                2,
                22,
                "standards.contact_valid_days: 5000000000 is too large",
            ),
            (
                "[standards.extra]\n",
                1,
                12,
                "unknown field `extra`, expected one of `rationale`",
            ),
            (
                "index_in_background = \"yes\"\n",
                1,
                23,
                "expected a boolean",
            ),
            (
                "cache_dir = 'C:\\cache'\n",
                1,
                13,
                "inside the catalogue root",
            ),
        ];
        assert_file_errors(&cases);
    }

    /// Each `(text, line, column, message)`: `text` as `nsi.toml` is refused at that line and
    /// column with a message holding `message`.
    fn assert_file_errors(cases: &[(&str, usize, usize, &str)]) {
        for (text, line, column, message) in cases.iter().copied() {
            let dir = root_with(Some(text));
            match Config::load(dir.path(), no_env) {
                Err(ConfigError::File {
                    line: l,
                    column: c,
                    message: m,
                    ..
                }) => {
                    assert_eq!((l, c), (line, column), "{text:?}: {m}");
                    assert!(m.contains(message), "{text:?}: {m}");
                }
                other => panic!("{text:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn lists_tables_and_quoted_keys_are_refused_where_they_are_wrong() {
        assert_file_errors(&[
            (
                "allowed_email_domains = [\"police.uk\", 3]\n",
                1,
                39,
                "invalid type: integer `3`",
            ),
            (
                "\"standards.skills\" = \"off\"\n",
                1,
                1,
                "unknown field `standards.skills`",
            ),
            ("standards = 3\n", 1, 13, "invalid type: integer"),
            ("remot = 1\nstandards = 3\n", 1, 1, "unknown field `remot`"),
            (
                "[[standards]]\nskills = \"off\"\n",
                1,
                1,
                "expected a table",
            ),
        ]);
    }

    #[test]
    fn a_table_may_be_written_inline_and_every_key_is_read() {
        let dir = root_with(Some(
            "index_in_background = false\nallowed_email_domains = [\"@Police.UK\"]\n\
             standards = { skills = \"off\", rationale_min_words = 3 }\n",
        ));
        let resolved = Config::load(dir.path(), no_env).expect("loads");
        assert!(!resolved.config.index_in_background);
        assert_eq!(resolved.config.allowed_email_domains, ["police.uk"]);
        assert_eq!(resolved.config.standards.skills, Enforcement::Off);
        assert_eq!(resolved.config.standards.rationale_min_words, 3);
        assert_eq!(resolved.line("standards.skills"), Some(3));
    }

    #[test]
    fn the_file_and_the_environment_are_judged_by_the_same_function() {
        // The same value, refused the same way by each layer (the file adds its place).
        let dir = root_with(Some("default_branch = \"-x\"\n"));
        let from_file = Config::load(dir.path(), no_env).expect_err("refused");
        let dir = root_with(None);
        let env = |name: &str| (name == "NSI_DEFAULT_BRANCH").then(|| "-x".into());
        let from_env = Config::load(dir.path(), env).expect_err("refused");
        let file_message = from_file.to_string();
        let env_message = from_env.to_string();
        let reason = env_message
            .strip_prefix("NSI_DEFAULT_BRANCH: ")
            .expect("names the variable");
        assert!(
            file_message.ends_with(reason),
            "{file_message} / {env_message}"
        );
    }

    #[test]
    fn document_types_are_checked_against_the_reference_list() {
        let dir = root_with(Some(
            "[standards]\ndocuments_any_of = [\"napkin-sketch\"]\n",
        ));
        let error = Config::load(dir.path(), no_env).expect_err("unknown type");
        assert!(error.to_string().contains("napkin-sketch"), "{error}");
        let reference = Reference::embedded();
        for slug in Standards::default().documents_any_of {
            assert!(
                reference.documents.iter().any(|d| d.slug == slug),
                "default `{slug}` is not a document type"
            );
        }
    }

    #[test]
    fn the_environment_overrides_the_file() {
        let dir = root_with(Some("review_period_months = 6\nremote = \"upstream\"\n"));
        let env = |name: &str| match name {
            "NSI_REVIEW_PERIOD_MONTHS" => Some("18".into()),
            "NSI_ALLOWED_EMAIL_DOMAINS" => Some(" @Police.UK, pnn.police.uk ".into()),
            "NSI_REMOTE" => Some(String::new().into()),
            _ => None,
        };
        let resolved = Config::load(dir.path(), env).expect("loads");
        assert_eq!(resolved.config.review_period_months, 18);
        assert_eq!(
            resolved.source("review_period_months"),
            Some(&Source::Env("NSI_REVIEW_PERIOD_MONTHS".into()))
        );
        assert_eq!(resolved.line("review_period_months"), None);
        assert_eq!(
            resolved.config.allowed_email_domains,
            ["police.uk", "pnn.police.uk"]
        );
        // An empty variable is unset: the file's value stands.
        assert_eq!(resolved.config.remote, "upstream");

        let bad = |name: &str| (name == "NSI_REVIEW_PERIOD_MONTHS").then(|| "soon".into());
        let error = Config::load(dir.path(), bad).expect_err("not a number");
        assert_eq!(
            error.to_string(),
            "NSI_REVIEW_PERIOD_MONTHS: `soon` is not a whole number"
        );
    }

    #[test]
    fn flags_override_everything() {
        let dir = root_with(None);
        let env = |name: &str| (name == "NSI_REMOTE").then(|| "env-remote".into());
        let mut resolved = Config::load(dir.path(), env).expect("loads");
        resolved
            .set("remote", "flag-remote", Source::Flag("--remote".into()))
            .expect("sets");
        assert_eq!(resolved.config.remote, "flag-remote");
        assert_eq!(
            resolved.source("remote"),
            Some(&Source::Flag("--remote".into()))
        );
        assert!(matches!(
            resolved.set("colour", "x", Source::Flag("--colour".into())),
            Err(ConfigError::UnknownKey(_))
        ));
    }

    #[test]
    fn emails_are_judged_by_domain_and_subdomain() {
        let domains = vec!["police.uk".to_owned()];
        assert!(email_allowed(&domains, "a.b@police.uk"));
        assert!(email_allowed(&domains, "a.b@Kent.Police.UK"));
        assert!(!email_allowed(&domains, "a.b@notpolice.uk"));
        assert!(!email_allowed(&domains, "a.b@gmail.com"));
        assert!(email_allowed(&domains, "not-an-email"));
        assert!(email_allowed(&[], "a.b@gmail.com"));
    }

    #[test]
    fn line_and_column_count_characters() {
        assert_eq!(line_column("a = 1\nbé = 2\n", 10), (2, 4));
        assert_eq!(line_column("", 5), (1, 1));
    }
}
