//! The validation pipeline: read each file once, parse it once, check it against the schema and
//! the semantic rules, then check what only the whole catalogue can show (unique ids). Files are
//! checked in parallel; every problem in every file is collected, never only the first.
//!
//! What the catalogue's `nsi.toml` changes about validation (the review period, the allowed
//! email domains) comes in as [`RuleSettings`].

pub mod characters;
pub mod contacts;
pub mod dates;
pub mod documents;
pub mod evolution;
pub mod exceptions;
pub mod identity;
pub mod privacy;
pub mod references;
pub mod rules;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::NaiveDate;
use rayon::prelude::*;
use serde_json::Value;

use super::config::{Config, ConfigError};
use super::diagnostic::{Diagnostic, Position, Severity, SourceLine, cap_findings};
use super::entry::{Entry, REVIEW_INTERVAL_MONTHS};
use super::load::{self, EntryFile, LoadError};
use super::migrate::{Migrator, VERSION_FIELD};
use super::reference::{Reference, ReferenceError};
use super::schema::{CappedFindings, EntrySchema, Finding, SchemaError};
use super::yaml::{self, SourceMap};
use rules::Rule;

/// How to validate.
#[derive(Debug, Clone, Copy)]
pub struct ValidationOptions {
    /// Treat warnings as errors.
    pub strict: bool,
    /// The date against which "in the future", "expired" and "overdue" are judged.
    pub today: NaiveDate,
}

/// What the catalogue's configuration changes about the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSettings {
    /// A review is overdue this many months after `last_reviewed` (NSI212).
    pub review_period_months: u32,
    /// Contact emails must be at one of these domains or their subdomains (NSI216); empty
    /// means any domain.
    pub allowed_email_domains: Vec<String>,
}

impl Default for RuleSettings {
    fn default() -> Self {
        RuleSettings {
            review_period_months: REVIEW_INTERVAL_MONTHS,
            allowed_email_domains: Vec::new(),
        }
    }
}

impl From<&Config> for RuleSettings {
    fn from(config: &Config) -> Self {
        RuleSettings {
            review_period_months: config.review_period_months,
            allowed_email_domains: config.allowed_email_domains.clone(),
        }
    }
}

/// What stops validation before any entry is checked (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum ValidateError {
    /// The catalogue or a named path could not be found or listed.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The reference lists are broken.
    #[error(transparent)]
    Reference(#[from] ReferenceError),
    /// The schema is broken.
    #[error(transparent)]
    Schema(#[from] SchemaError),
    /// The catalogue's `nsi.toml` is broken.
    #[error(transparent)]
    Config(#[from] ConfigError),
}

/// The outcome of checking a set of files.
#[derive(Debug, Default)]
pub struct ValidationReport {
    /// How many entry files were checked.
    pub checked: usize,
    /// Every finding, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// The entries that passed without errors, typed.
    pub entries: Vec<(EntryFile, Entry)>,
}

impl ValidationReport {
    /// Number of findings of `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    /// How many findings were not listed, past the limits of one rule or one file (each
    /// finding that stands for others says how many: [`Diagnostic::suppressed`]).
    pub fn suppressed(&self) -> usize {
        self.diagnostics.iter().map(|d| d.suppressed).sum()
    }

    /// Whether any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }
}

/// Everything needed to check entries, built once per run.
pub struct EntryChecker {
    schema: EntrySchema,
    /// Reads entries of older schema versions as the catalogue's version.
    migrator: Migrator,
    reference: Reference,
    options: ValidationOptions,
    settings: RuleSettings,
    /// Keep each valid entry, typed, in the report (off when only findings are wanted).
    keep_entries: bool,
}

/// One file's results, before the cross-file checks.
struct FileCheck {
    file: EntryFile,
    diagnostics: Vec<Diagnostic>,
    declared_id: Option<String>,
    entry: Option<Entry>,
    text: Option<String>,
}

/// The facts semantic rules read and the findings they write, for one file.
pub struct RuleContext<'a> {
    /// The file being checked.
    pub file: &'a EntryFile,
    /// The entry as JSON (already known to be a mapping).
    pub value: &'a Value,
    /// The reference lists.
    pub reference: &'a Reference,
    /// The date "today" for date rules.
    pub today: NaiveDate,
    /// What the catalogue's configuration changes about the rules.
    pub settings: &'a RuleSettings,
    /// Every string of the entry, each followed by a line break: for rules that first look
    /// through all of its text at once, and at the strings one by one only when it holds
    /// something.
    pub all_text: String,
    findings: CappedFindings,
}

impl RuleContext<'_> {
    /// The string at `pointer`, when there is one.
    pub fn str_at(&self, pointer: &str) -> Option<&str> {
        self.value.pointer(pointer).and_then(Value::as_str)
    }

    /// The list at `pointer` (empty when absent or not a list).
    pub fn list_at(&self, pointer: &str) -> &[Value] {
        self.value
            .pointer(pointer)
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice)
    }

    /// The date at `pointer`, when it is a valid `YYYY-MM-DD` string (zero-padded, as the
    /// schema requires; a malformed date is the schema's finding, not a date rule's).
    pub fn date_at(&self, pointer: &str) -> Option<NaiveDate> {
        self.str_at(pointer)
            .filter(|s| s.len() == 10)
            .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
    }

    /// Record a finding of `rule` at the value at `pointer`.
    pub fn report(
        &mut self,
        rule: &'static Rule,
        pointer: &str,
        message: String,
        hint: Option<String>,
    ) {
        self.findings.push(Finding {
            rule,
            pointer: pointer.to_owned(),
            at_key: false,
            message,
            hint,
            missing: None,
            suppressed: 0,
        });
    }
}

impl EntryChecker {
    /// Build a checker from the reference lists (compiles the schema once).
    pub fn new(reference: Reference, options: ValidationOptions) -> Result<Self, SchemaError> {
        let schema = EntrySchema::compile(&reference.schema)?;
        let migrator = Migrator::new(&reference, None)
            .unwrap_or_else(|_| unreachable!("the schema's own version is always a target"));
        Ok(EntryChecker {
            schema,
            migrator,
            reference,
            options,
            settings: RuleSettings::default(),
            keep_entries: true,
        })
    }

    /// Apply the catalogue's settings (review period, allowed email domains) instead of the
    /// defaults.
    #[must_use]
    pub fn with_settings(mut self, settings: RuleSettings) -> Self {
        self.settings = settings;
        self
    }

    /// Report findings only: valid entries are not kept (or even typed), which keeps memory
    /// flat on large catalogues.
    #[must_use]
    pub fn findings_only(mut self) -> Self {
        self.keep_entries = false;
        self
    }

    /// The reference lists in use.
    pub fn reference(&self) -> &Reference {
        &self.reference
    }

    /// Check the text of one entry file on its own (no cross-file rules). Text over
    /// [`load::MAX_FILE_BYTES`] is refused unread, as a file that large is (NSI002): text
    /// made by `nsi add`, `edit` or `import` is held to the limit of the file it would become.
    pub fn check_text(&self, file: &EntryFile, text: &str) -> (Vec<Diagnostic>, Option<Entry>) {
        if text.len() as u64 > load::MAX_FILE_BYTES {
            return (vec![load::too_large(file, text.len() as u64)], None);
        }
        let outcome = self.check_parsed(file, text);
        let mut diagnostics = outcome.diagnostics;
        self.finish(&mut diagnostics, Some(text));
        (diagnostics, outcome.entry)
    }

    /// Check the text of one entry file (as an editor holds it, maybe unsaved) as
    /// `nsi validate FILE` would: its own findings, and NSI203 when `others` (the rest of the
    /// catalogue, listed, not read) holds a file named after its id.
    pub fn check_text_among(
        &self,
        file: &EntryFile,
        text: &str,
        others: &[EntryFile],
    ) -> Vec<Diagnostic> {
        let mut outcome = self.check_parsed(file, text);
        outcome.text = Some(text.to_owned());
        duplicate_ids(std::slice::from_mut(&mut outcome), others);
        self.finish(&mut outcome.diagnostics, Some(text));
        outcome.diagnostics
    }

    fn check_file(&self, file: &EntryFile) -> FileCheck {
        match load::read_source(file) {
            Ok(source) => {
                let mut outcome = self.check_parsed(file, &source.text);
                // Keep the text only to show the lines of findings: a catalogue of thousands
                // of clean files is not held in memory.
                if !outcome.diagnostics.is_empty() {
                    outcome.text = Some(source.text);
                }
                outcome
            }
            Err(diagnostic) => FileCheck {
                file: file.clone(),
                diagnostics: vec![*diagnostic],
                declared_id: None,
                entry: None,
                text: None,
            },
        }
    }

    fn check_parsed(&self, file: &EntryFile, text: &str) -> FileCheck {
        let mut outcome = FileCheck {
            file: file.clone(),
            diagnostics: Vec::new(),
            declared_id: None,
            entry: None,
            text: None,
        };
        // Most files are well-formed: parse without positions first, and look positions up
        // (by parsing again) only when there is something to report, and only for the nodes
        // the findings are about.
        if let Some(value @ Value::Object(_)) = yaml::parse_value(text) {
            let findings = self.findings(file, &value, &HashSet::new());
            outcome.declared_id = Some(declared_id(&value, file));
            if findings.is_empty() {
                if self.keep_entries {
                    outcome.entry = serde_json::from_value(value).ok();
                }
                return outcome;
            }
            // The second parse builds the value again: the first need not be held meanwhile.
            drop(value);
            let parsed = yaml::parse_for(text, &wanted(&findings));
            outcome.diagnostics = place(file, findings, &parsed.source_map);
            if self.keep_entries
                && !outcome
                    .diagnostics
                    .iter()
                    .any(|d| d.severity == Severity::Error)
            {
                outcome.entry = parsed.value.and_then(|v| serde_json::from_value(v).ok());
            }
            return outcome;
        }
        // Bad YAML: the problems carry their own positions; the schema and the rules then
        // judge what could be read, and their findings are placed by a parse for their nodes.
        let parsed = yaml::parse_for(text, &HashSet::new());
        outcome.diagnostics = parsed
            .problems
            .iter()
            .map(|p| {
                let hint = (p.rule == &rules::YAML_SYNTAX).then(|| {
                    "look for an unclosed quote or bracket, a tab used for indentation, or `: ` \
                     inside an unquoted value (quote the value)"
                        .to_owned()
                });
                p.to_diagnostic(&file.display).with_optional_hint(hint)
            })
            .collect();
        if let Some(value @ Value::Object(_)) = &parsed.value {
            // One mistake, one finding: a node already reported as bad YAML (an alias, a tag)
            // is not reported again by the schema or the rules.
            let findings = self.findings(file, value, &parsed.reported);
            outcome.declared_id = Some(declared_id(value, file));
            if !findings.is_empty() {
                let wanted = wanted(&findings);
                drop(parsed);
                let located = yaml::parse_for(text, &wanted);
                outcome
                    .diagnostics
                    .extend(place(file, findings, &located.source_map));
            }
        }
        outcome
    }

    /// Every schema and rule finding for `value`, except those at or under a node of
    /// `already_reported`.
    fn findings(
        &self,
        file: &EntryFile,
        value: &Value,
        already_reported: &HashSet<String>,
    ) -> Vec<Finding> {
        // An entry of an older schema version is checked as its migration would leave it.
        let upgrade = self.migrator.upgrade(value);
        let checked = match &upgrade {
            Ok(Some((migrated, ..))) => Cow::Owned(migrated.clone()),
            _ => Cow::Borrowed(value),
        };
        let mut context = RuleContext {
            file,
            value: &checked,
            reference: &self.reference,
            today: self.options.today,
            settings: &self.settings,
            all_text: privacy::all_text(&checked),
            // An entry of a version nsi cannot read is not judged by a schema it was not
            // written for: NSI302 says what to do, the semantic rules still run.
            findings: CappedFindings::from_vec(if upgrade.is_err() {
                Vec::new()
            } else {
                self.schema.check(&checked)
            }),
        };
        identity::check(&mut context);
        references::check(&mut context);
        documents::check(&mut context);
        dates::check(&mut context);
        contacts::check(&mut context);
        privacy::check(&mut context);
        characters::check(&mut context);
        match &upgrade {
            Ok(None) => evolution::markers(&mut context),
            // NSI301 says what the migration leaves for a person; its markers are not the
            // file's.
            Ok(Some((_, from, steps))) => evolution::read_through(
                &mut context,
                from,
                steps,
                value.get(VERSION_FIELD).is_some(),
            ),
            Err(error) => evolution::unreadable_version(&mut context, error),
        }
        exceptions::check(&mut context);
        // The pointer and each of its ancestors, looked up: a line of 80,000 aliases and as many
        // findings under them must not compare every finding with every alias.
        let covered = |pointer: &str| {
            let mut current = pointer;
            loop {
                if already_reported.contains(current) {
                    return true;
                }
                match current.rfind('/') {
                    Some(cut) if cut > 0 => current = &current[..cut],
                    _ => return false,
                }
            }
        };
        if !already_reported.is_empty() {
            context.findings.retain(|f| !covered(&f.pointer));
        }
        context.findings.into_vec()
    }

    /// Apply `--strict`, keep at most so many findings of a rule ([`cap_findings`]), attach
    /// source lines (sharing the file's text), and sort.
    fn finish(&self, diagnostics: &mut Vec<Diagnostic>, text: Option<&str>) {
        cap_findings(diagnostics);
        let shared: Option<Arc<str>> = text.filter(|_| !diagnostics.is_empty()).map(Arc::from);
        for diagnostic in diagnostics.iter_mut() {
            if self.options.strict {
                diagnostic.severity = Severity::Error;
            }
            if let Some(text) = &shared {
                diagnostic.source_line = SourceLine::of(text, diagnostic.line);
            }
        }
        diagnostics.sort_by(|a, b| (a.line, a.column, a.code).cmp(&(b.line, b.column, b.code)));
    }

    /// Check `files`. `others` are the rest of the catalogue, consulted only for unique ids.
    pub fn check_files(&self, files: &[EntryFile], others: &[EntryFile]) -> ValidationReport {
        self.check_files_with_progress(files, others, &|_, _| {})
    }

    /// Like [`EntryChecker::check_files`], calling `progress(done, total)` as each file is
    /// checked (from several threads at once, so `done` may arrive out of order).
    pub fn check_files_with_progress(
        &self,
        files: &[EntryFile],
        others: &[EntryFile],
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> ValidationReport {
        let done = AtomicUsize::new(0);
        let mut outcomes: Vec<FileCheck> = files
            .par_iter()
            .map(|file| {
                let outcome = self.check_file(file);
                progress(done.fetch_add(1, Ordering::Relaxed) + 1, files.len());
                outcome
            })
            .collect();
        duplicate_ids(&mut outcomes, others);
        let mut report = ValidationReport {
            checked: files.len(),
            ..ValidationReport::default()
        };
        for mut outcome in outcomes {
            self.finish(&mut outcome.diagnostics, outcome.text.as_deref());
            if let Some(entry) = outcome.entry.filter(|_| {
                !outcome
                    .diagnostics
                    .iter()
                    .any(|d| d.severity == Severity::Error)
            }) {
                report.entries.push((outcome.file, entry));
            }
            report.diagnostics.append(&mut outcome.diagnostics);
        }
        report
    }
}

/// The id an entry declares (its file stem when it declares none).
fn declared_id(value: &Value, file: &EntryFile) -> String {
    value
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_else(|| file.stem())
        .to_owned()
}

/// The nodes whose positions placing `findings` needs: theirs and their ancestors'.
fn wanted(findings: &[Finding]) -> HashSet<String> {
    yaml::with_ancestors(findings.iter().map(|f| f.pointer.as_str()))
}

/// Place findings in the file: the line and column of the key or value each one is about.
fn place(file: &EntryFile, findings: Vec<Finding>, source_map: &SourceMap) -> Vec<Diagnostic> {
    findings
        .into_iter()
        .map(|mut finding| {
            if finding.rule == &rules::WRONG_TYPE
                && let Some(raw) = source_map.raw_scalar(&finding.pointer)
            {
                let field = finding.pointer.rsplit('/').next().unwrap_or_default();
                finding.hint = Some(format!("quote it to keep it as text: `{field}: '{raw}'`"));
            }
            let position = if finding.at_key {
                source_map.key(&finding.pointer)
            } else {
                source_map.value(&finding.pointer)
            };
            Diagnostic::new(
                finding.rule,
                file.display.clone(),
                position,
                finding.message,
            )
            .at_pointer(finding.pointer)
            .about_missing(finding.missing)
            .with_optional_hint(finding.hint)
            .counting(finding.suppressed)
        })
        .collect()
}

/// NSI203: an id used by more than one file.
fn duplicate_ids(outcomes: &mut [FileCheck], others: &[EntryFile]) {
    let mut users: HashMap<String, Vec<PathBuf>> = HashMap::new();
    for outcome in outcomes.iter() {
        let id = outcome
            .declared_id
            .as_ref()
            .map_or_else(|| outcome.file.stem().to_owned(), Clone::clone);
        users
            .entry(id)
            .or_default()
            .push(outcome.file.display.clone());
    }
    for other in others {
        users
            .entry(other.stem().to_owned())
            .or_default()
            .push(other.display.clone());
    }
    for outcome in outcomes.iter_mut() {
        let Some(id) = &outcome.declared_id else {
            continue;
        };
        let Some(paths) = users.get(id) else { continue };
        let elsewhere: Vec<String> = paths
            .iter()
            .filter(|p| **p != outcome.file.display)
            .map(|p| p.display().to_string())
            .collect();
        if !elsewhere.is_empty() {
            // Rare: only now are positions worth a second parse.
            if outcome.text.is_none() {
                outcome.text = load::read_source(&outcome.file).ok().map(|s| s.text);
            }
            let position = outcome.text.as_deref().map_or(Position::START, |text| {
                yaml::parse_for(text, &yaml::with_ancestors(["/id"]))
                    .source_map
                    .value("/id")
            });
            outcome.diagnostics.push(
                Diagnostic::new(
                    &rules::DUPLICATE_ID,
                    outcome.file.display.clone(),
                    position,
                    format!("the id `{id}` is also used by {}", elsewhere.join(", ")),
                )
                .at_pointer("/id")
                .with_hint("ids are unique across the catalogue; choose a more specific id"),
            );
        }
    }
}

/// Validate the catalogue under `root`: every entry, or only the files under `paths`, with the
/// settings of the catalogue's own `nsi.toml` (the file only: environment variables are the
/// command line's business, see [`validate_catalogue_findings`]).
pub fn validate_catalogue(
    root: &Path,
    paths: &[PathBuf],
    options: ValidationOptions,
) -> Result<ValidationReport, ValidateError> {
    let settings = RuleSettings::from(&Config::load_file(root)?.config);
    let reference = match reference_or_findings(root)? {
        Ok(reference) => reference,
        Err(report) => return Ok(report),
    };
    validate_with(
        root,
        paths,
        &EntryChecker::new(reference, options)?.with_settings(settings),
        &|_, _| {},
    )
}

/// The reference lists of the catalogue under `root`, or, when they are broken, a report of
/// their findings (NSI300): entries are only checked against lists that are valid.
fn reference_or_findings(
    root: &Path,
) -> Result<Result<Reference, ValidationReport>, ValidateError> {
    match Reference::for_root(root) {
        Ok(reference) => Ok(Ok(reference)),
        Err(ReferenceError::Invalid { mut diagnostics }) => {
            for diagnostic in &mut diagnostics {
                diagnostic.file = load::display_path(root, &diagnostic.file);
            }
            Ok(Err(ValidationReport {
                diagnostics,
                ..ValidationReport::default()
            }))
        }
        Err(error) => Err(error.into()),
    }
}

/// Like [`validate_catalogue`], with the settings given (as resolved from the file, the
/// environment and flags), calling `progress(done, total)` as files are checked; the report
/// holds findings only (`entries` stays empty): what `nsi validate` needs, in flat memory
/// however large the catalogue.
pub fn validate_catalogue_findings(
    root: &Path,
    paths: &[PathBuf],
    options: ValidationOptions,
    settings: RuleSettings,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<ValidationReport, ValidateError> {
    let reference = match reference_or_findings(root)? {
        Ok(reference) => reference,
        Err(report) => return Ok(report),
    };
    validate_with(
        root,
        paths,
        &EntryChecker::new(reference, options)?
            .findings_only()
            .with_settings(settings),
        progress,
    )
}

fn validate_with(
    root: &Path,
    paths: &[PathBuf],
    checker: &EntryChecker,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<ValidationReport, ValidateError> {
    let options = checker.options;
    let (mut discovery, others) = if paths.is_empty() {
        (load::discover(root)?, Vec::new())
    } else {
        let chosen = load::discover_paths(root, paths)?;
        // The rest of the catalogue is listed (not parsed) so a new id is checked against it.
        let others = load::discover(root)
            .ok()
            .map(|w| {
                let chosen_canonical: Vec<PathBuf> = chosen
                    .files
                    .iter()
                    .filter_map(|f| std::fs::canonicalize(&f.path).ok())
                    .collect();
                w.files
                    .iter()
                    .filter(|f| {
                        std::fs::canonicalize(&f.path)
                            .map_or(true, |c| !chosen_canonical.contains(&c))
                    })
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        (chosen, others)
    };
    let mut report = checker.check_files_with_progress(&discovery.files, &others, progress);
    for diagnostic in &mut discovery.diagnostics {
        if options.strict {
            diagnostic.severity = Severity::Error;
        }
    }
    report.diagnostics.append(&mut discovery.diagnostics);
    report.diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.code).cmp(&(&b.file, b.line, b.column, b.code))
    });
    Ok(report)
}
