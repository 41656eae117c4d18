//! The gatekeeper's review of a pull request: the field-level diff, validation of every
//! changed entry, the minimum-standards checklist for new entries (configured in `nsi.toml`),
//! possible duplicates of new entries, and the changes a person must look at — owners,
//! contacts, visibility, deletions. A blocker anywhere fails the review.

use std::path::{Component, Path};

use chrono::{Days, NaiveDate};
use serde::Serialize;
use serde_json::Value;

use super::config::{Enforcement, Standards};
use super::diagnostic::{Diagnostic, Severity as FindingSeverity};
use super::diff::{CatalogueDiff, Change, ChangeKind, EntryChange, diff_revisions};
use super::gate::{FileChange, FileRole, Rules, RulesError, file_changes};
use super::git::{CatalogueRepo, GitError, Revision, Side};
use super::load::{self, EntryFile, LoadError};
use super::migrate::{self, MigrationPullRequest, Migrator};
use super::schema::SchemaError;
use super::search::similar::{self, SimilarEntry, SimilarityText};
use super::search::{IndexView, LoadedIndex, SearchableNames, build_uncached, load_index};
use super::validate::{EntryChecker, RuleSettings, ValidationOptions};

/// One minimum standard, checked against one new entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckItem {
    /// Its key in `nsi.toml` (`[standards]`).
    pub standard: &'static str,
    /// What it asks for.
    pub requirement: String,
    /// How seriously a failure counts.
    pub severity: Enforcement,
    /// Whether the entry meets it.
    pub passed: bool,
    /// What was found.
    pub detail: String,
}

/// The checklist of a new entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Checklist {
    /// The entry.
    pub id: String,
    /// Each standard (those switched off are left out).
    pub items: Vec<CheckItem>,
}

/// Validation findings for one changed entry.
#[derive(Debug, Clone, Serialize)]
pub struct EntryFindings {
    /// The entry.
    pub id: String,
    /// Its file.
    pub path: String,
    /// The findings (errors block; warnings do not).
    pub diagnostics: Vec<Diagnostic>,
}

/// Entries that may describe the same solution as a new one.
#[derive(Debug, Clone, Serialize)]
pub struct Duplicates {
    /// The new entry.
    pub id: String,
    /// Existing entries like it, most alike first.
    pub similar: Vec<SimilarEntry>,
}

/// The forces using a changed solution, to be told of the change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tell {
    /// The entry.
    pub id: String,
    /// Its adopters and how far along each is (`essex`, `piloting`).
    pub adopters: Vec<(String, String)>,
    /// The teams that own those forces' folders in `.github/CODEOWNERS`, to mention.
    pub teams: Vec<String>,
}

/// Why a person should look at a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Concern {
    /// The owning force changed.
    OwnerChanged,
    /// Contacts were added, removed or changed.
    ContactsChanged,
    /// Visibility changed (to public: check nothing sensitive is in it).
    VisibilityChanged,
    /// An entry was deleted.
    Deleted,
    /// An entry's id changed (links to it break).
    Renamed,
}

/// A change flagged for attention.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attention {
    /// The entry.
    pub id: String,
    /// What kind of change.
    pub concern: Concern,
    /// What changed, in words.
    pub detail: String,
}

/// A justified exception a pull request adds or changes: a warning silenced for one entry,
/// for the gatekeeper to accept or refuse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClaimedException {
    /// The entry.
    pub id: String,
    /// The warning silenced.
    pub rule: String,
    /// Why, in the author's words.
    pub reason: String,
    /// The last day it holds.
    pub until: String,
}

/// The whole review.
#[derive(Debug, Clone, Serialize)]
pub struct Review {
    /// What changed.
    pub diff: CatalogueDiff,
    /// Findings per changed entry (entries without findings are left out).
    pub findings: Vec<EntryFindings>,
    /// How many changed entries were validated.
    pub validated: usize,
    /// The minimum-standards checklist of each new entry.
    pub checklists: Vec<Checklist>,
    /// Possible duplicates of new entries.
    pub duplicates: Vec<Duplicates>,
    /// Changes flagged for a person's attention.
    pub attention: Vec<Attention>,
    /// The adopters of each changed solution, to be told.
    pub tell: Vec<Tell>,
    /// The revision whose rules (schema, reference lists, `nsi.toml`) judged the entries.
    pub rules_from: String,
    /// Every changed file that is not an entry: rules and tooling, each for a person to
    /// approve on its own.
    pub files: Vec<FileChange>,
    /// Every reason the review fails: validation errors, failed blocker standards, and
    /// entries changed together with other files.
    pub blockers: Vec<String>,
    /// Set when every change is exactly what `nsi migrate` makes of the base's entries (with
    /// the base's rules): a migration pull request, with its impact by force.
    pub migration: Option<MigrationPullRequest>,
    /// Exceptions to warnings that the pull request adds or changes.
    pub exceptions_claimed: Vec<ClaimedException>,
}

impl Review {
    /// Whether the pull request may be merged as far as the rules can tell.
    pub fn passed(&self) -> bool {
        self.blockers.is_empty()
    }
}

/// What the review needs besides the diff.
pub struct ReviewContext<'a> {
    /// The catalogue root (for file names in findings).
    pub root: &'a Path,
    /// Where the head's entry files can be read (the catalogue root for the working tree),
    /// for the duplicate check.
    pub head_root: &'a Path,
    /// Validation, set up for the catalogue.
    pub checker: &'a EntryChecker,
    /// The minimum standards.
    pub standards: &'a Standards,
    /// The day to judge contacts against.
    pub today: NaiveDate,
    /// The search index of the head, for duplicates (`None` skips the duplicate check).
    pub index: Option<IndexView<'a>>,
    /// Each force's teams, from the base's `.github/CODEOWNERS`, to mention to adopters.
    pub force_teams: &'a std::collections::BTreeMap<String, Vec<String>>,
}

/// Review `diff`.
pub fn review(diff: CatalogueDiff, context: &ReviewContext<'_>) -> Review {
    let mut findings = Vec::new();
    let mut checklists = Vec::new();
    let mut duplicates = Vec::new();
    let mut attention = Vec::new();
    let mut blockers = Vec::new();
    let mut exceptions_claimed = Vec::new();
    let mut validated = 0;
    let mut tell = Vec::new();
    for change in &diff.entries {
        attention.extend(concerns(change));
        exceptions_claimed.extend(claimed(change));
        if change.kind != ChangeKind::Added {
            tell.extend(adopters_to_tell(change, context.force_teams));
        }
        if change.kind == ChangeKind::Removed {
            continue;
        }
        validated += 1;
        let diagnostics = validate(change, context);
        let errors = diagnostics
            .iter()
            .filter(|d| d.severity == FindingSeverity::Error)
            .count();
        if errors > 0 {
            blockers.push(format!(
                "{}: {errors} validation {}",
                change.id,
                if errors == 1 { "error" } else { "errors" }
            ));
        }
        if !diagnostics.is_empty() {
            findings.push(EntryFindings {
                id: change.id.clone(),
                path: change.path.display().to_string(),
                diagnostics,
            });
        }
        if change.kind != ChangeKind::Added {
            continue;
        }
        let Some(value) = &change.new else { continue };
        let checklist = checklist(&change.id, value, context.standards, context.today);
        for item in &checklist.items {
            if !item.passed && item.severity == Enforcement::Blocker {
                blockers.push(format!("{}: {}", change.id, item.requirement));
            }
        }
        checklists.push(checklist);
        if let Some(index) = &context.index {
            let found: Vec<SimilarEntry> = similar::similar_entries(
                index,
                context.head_root,
                &SimilarityText::of_entry(value),
                Some(&change.id),
                3,
            )
            .into_iter()
            .filter(|s| s.score >= similar::WORTH_SHOWING)
            .collect();
            if !found.is_empty() {
                duplicates.push(Duplicates {
                    id: change.id.clone(),
                    similar: found,
                });
            }
        }
    }
    Review {
        diff,
        findings,
        validated,
        checklists,
        duplicates,
        attention,
        tell,
        rules_from: String::new(),
        files: Vec::new(),
        blockers,
        migration: None,
        exceptions_claimed,
    }
}

/// The exceptions `change` adds or changes (those its base already had are not claimed again).
fn claimed(change: &EntryChange) -> Vec<ClaimedException> {
    let list = |value: Option<&Value>| -> Vec<Value> {
        value
            .and_then(|v| v.get("exceptions"))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let before = list(change.old.as_ref());
    let text = |item: &Value, key: &str| {
        item.get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    list(change.new.as_ref())
        .into_iter()
        .filter(|item| !before.contains(item))
        .map(|item| ClaimedException {
            id: change.id.clone(),
            rule: text(&item, "rule"),
            reason: text(&item, "reason"),
            until: text(&item, "until"),
        })
        .collect()
}

/// Why two revisions cannot be reviewed.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    /// git could not read a revision.
    #[error(transparent)]
    Git(#[from] GitError),
    /// The base's rules cannot be read.
    #[error(transparent)]
    Rules(#[from] RulesError),
    /// The base's schema does not compile.
    #[error("the entry schema of the base does not compile: {0}")]
    Schema(#[from] SchemaError),
    /// The head's entries cannot be listed for the duplicate check.
    #[error(transparent)]
    Load(#[from] LoadError),
}

/// Review `head` against `base` as the gate does: the changes `head` made since it left
/// `base` (from their merge-base, as a pull request shows them), judged with the rules `base`
/// holds now (its schema, reference lists and `nsi.toml`, never the head's), duplicates
/// looked for among the head's entries (a commit's as well as the working tree's), and every
/// other changed file listed for a person to approve on its own. A pull request that changes
/// entries and other files together is blocked: rule changes travel alone, so the gatekeeper
/// sees them for what they are. A working-tree head's index is kept in `cache_dir` (the
/// catalogue's resolved `cache_dir`).
pub fn review_revisions(
    repo: &CatalogueRepo,
    root: &Path,
    cache_dir: &Path,
    base: &Revision,
    head: &Revision,
    today: NaiveDate,
) -> Result<Review, ReviewError> {
    // The rules are the base's as it is now; the changes are the pull request's own, counted
    // from where it left the base, so what the base gained meanwhile is not taken for them.
    let rules = Rules::at(repo, base)?;
    let from = repo.fork_point(base, head)?;
    let diff = diff_revisions(repo, &from, head)?;
    let files = file_changes(repo, &from, head)?;
    let changes_rules = files
        .iter()
        .any(|f| matches!(f.role, FileRole::ReferenceList | FileRole::Schema));
    let head_rules = changes_rules.then(|| Rules::at(repo, head));
    // A migration pull request: every change is what `nsi migrate` makes of the base's entry,
    // with the base's rules (the schema changed in a pull request of its own), or with the
    // rules this pull request brings when its only other changes are the schema and the
    // reference lists the migration is for.
    let mut migration = Migrator::new(&rules.reference, None)
        .ok()
        .and_then(|migrator| migrate::recognise(&diff.entries, &migrator));
    let mut entry_reference = &rules.reference;
    if migration.is_none()
        && !files.is_empty()
        && files
            .iter()
            .all(|f| matches!(f.role, FileRole::ReferenceList | FileRole::Schema))
        && let Some(Ok(brought)) = &head_rules
        && let Some(mut found) = Migrator::new(&brought.reference, None)
            .ok()
            .and_then(|migrator| migrate::recognise(&diff.entries, &migrator))
    {
        found.brings_rules = Some(migrate::BroughtRules {
            revision: head.label.clone(),
            from: migrate::schema_version(&rules.reference.schema),
        });
        migration = Some(found);
        // The migrated entries are judged with what they were migrated to: the base's schema
        // cannot read a version later than its own. The settings stay the base's.
        entry_reference = &brought.reference;
    }
    let names = SearchableNames::from(&rules.reference);
    let checker = EntryChecker::new(
        entry_reference.clone(),
        ValidationOptions {
            strict: false,
            today,
        },
    )?
    .with_settings(RuleSettings::from(&rules.config.config));
    let head_tree = match head.side {
        Side::WorkTree => None,
        Side::Commit(_) => Some(HeadTree::write(repo, head)?),
    };
    let (head_root, index): (&Path, LoadedIndex) = match &head_tree {
        None => (
            root,
            load_index(root, &names, cache_dir, &|_, _| {}).map_err(ReviewError::Load)?,
        ),
        Some(tree) => (tree.root(), tree.index(&names)?),
    };
    let force_teams = rules
        .codeowners
        .as_deref()
        .map(super::codeowners::force_teams)
        .unwrap_or_default();
    let context = ReviewContext {
        root,
        head_root,
        force_teams: &force_teams,
        checker: &checker,
        standards: &rules.config.config.standards,
        today,
        index: Some(index.view()),
    };
    let mut report = review(diff, &context);
    if migration.is_some() {
        // A migration changes how entries are written, not the solutions: no adopter has
        // anything to be told.
        report.tell.clear();
    }
    let brings_rules = migration.as_ref().is_some_and(|m| m.brings_rules.is_some());
    report.migration = migration;
    let entries = report.diff.entries.len();
    if entries > 0 && !files.is_empty() && !brings_rules {
        report.blockers.push(format!(
            "{entries} {} and {} other {} change together ({}): send entries and other changes \
             in separate pull requests, so each is judged for what it is",
            if entries == 1 { "entry" } else { "entries" },
            files.len(),
            if files.len() == 1 { "file" } else { "files" },
            files
                .iter()
                .take(5)
                .map(|f| f.path.as_str())
                .collect::<Vec<_>>()
                .join(", ")
                + if files.len() > 5 { ", …" } else { "" }
        ));
    }
    // Changed rules are approved on their own, but broken ones never: a reference list that
    // breaks its schema (a force slug holding `/ @someone`, which CODEOWNERS would make an
    // owner) would be the rules of every review after the merge.
    if let Some(Err(RulesError::Reference { source, .. })) = &head_rules {
        report.blockers.push(format!(
            "the rules of {} are broken, and would judge every entry once merged: {source}",
            head.label
        ));
    }
    report.rules_from = rules.revision;
    report.files = files;
    Ok(report)
}

/// The entry files of a commit, written to a temporary folder so that the duplicate check
/// reads a commit's catalogue exactly as it reads the working tree's.
struct HeadTree {
    dir: tempfile::TempDir,
}

impl HeadTree {
    fn write(repo: &CatalogueRepo, head: &Revision) -> Result<Self, ReviewError> {
        let dir = tempfile::tempdir().map_err(|source| LoadError::Io {
            path: std::env::temp_dir(),
            source,
        })?;
        for file in repo.changed_files_from_empty(head)? {
            let Some(version) = file.new else { continue };
            let Ok(text) = version.text else { continue };
            // Paths come from git's tree: only plain names are written, never `..` or a root.
            if !version
                .path
                .components()
                .all(|c| matches!(c, Component::Normal(_)))
            {
                continue;
            }
            let path = dir.path().join(&version.path);
            let written = path
                .parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|()| std::fs::write(&path, text));
            written.map_err(|source| LoadError::Io { path, source })?;
        }
        Ok(HeadTree { dir })
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn index(&self, names: &SearchableNames) -> Result<LoadedIndex, ReviewError> {
        let files = load::discover(self.root())?.files;
        Ok(build_uncached(&files, names))
    }
}

/// The forces that use a changed solution — its adopters as the base holds them, not as the
/// pull request says (which could name anyone, to have them mentioned) — with their teams to
/// mention.
fn adopters_to_tell(
    change: &EntryChange,
    force_teams: &std::collections::BTreeMap<String, Vec<String>>,
) -> Option<Tell> {
    let value = change.old.as_ref()?;
    let adopters: Vec<(String, String)> = value
        .get("adopters")
        .and_then(Value::as_array)?
        .iter()
        .filter_map(|a| {
            Some((
                a.get("force")?.as_str()?.to_owned(),
                a.get("status")?.as_str()?.to_owned(),
            ))
        })
        .collect();
    if adopters.is_empty() {
        return None;
    }
    let mut teams: Vec<String> = adopters
        .iter()
        .flat_map(|(force, _)| force_teams.get(force).into_iter().flatten().cloned())
        .collect();
    teams.sort();
    teams.dedup();
    Some(Tell {
        id: change.id.clone(),
        adopters,
        teams,
    })
}

fn validate(change: &EntryChange, context: &ReviewContext<'_>) -> Vec<Diagnostic> {
    let file = EntryFile::new(
        super::load::under(context.root, &change.path),
        change.path.clone(),
    );
    match &change.new_text {
        Some(text) => context.checker.check_text(&file, text).0,
        None => vec![Diagnostic::new(
            &super::validate::rules::UNREADABLE_FILE,
            change.path.clone(),
            super::diagnostic::Position::START,
            change
                .unreadable
                .clone()
                .unwrap_or_else(|| "the file could not be read".to_owned()),
        )],
    }
}

fn words(value: &Value, field: &str) -> usize {
    value
        .get(field)
        .and_then(Value::as_str)
        .map_or(0, |text| text.split_whitespace().count())
}

/// The minimum-standards checklist of a new entry (as JSON).
pub fn checklist(id: &str, value: &Value, standards: &Standards, today: NaiveDate) -> Checklist {
    let mut items = Vec::new();
    let mut check = |standard: &'static str,
                     severity: Enforcement,
                     requirement: String,
                     passed: bool,
                     detail: String| {
        if severity != Enforcement::Off {
            items.push(CheckItem {
                standard,
                requirement,
                severity,
                passed,
                detail,
            });
        }
    };
    let rationale = words(value, "rationale");
    check(
        "rationale",
        standards.rationale,
        format!(
            "a rationale for reuse of at least {} words",
            standards.rationale_min_words
        ),
        rationale >= standards.rationale_min_words.max(1),
        format!("{rationale} words"),
    );
    let problem = words(value, "problem_statement");
    check(
        "problem_statement",
        standards.problem_statement,
        format!(
            "a problem statement of substance (at least {} words)",
            standards.problem_statement_min_words
        ),
        problem >= standards.problem_statement_min_words.max(1),
        format!("{problem} words"),
    );
    let (requirement, passed, detail) = contact_check(value, standards, today);
    check("contact", standards.contact, requirement, passed, detail);
    let (requirement, passed, detail) = documents_check(value, standards);
    check(
        "documents",
        standards.documents,
        requirement,
        passed,
        detail,
    );
    let skills = value
        .get("skills")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    check(
        "skills",
        standards.skills,
        "the skills needed to deploy it are stated".to_owned(),
        skills > 0,
        format!("{skills} stated"),
    );
    let visibility = value.get("visibility").and_then(Value::as_str);
    check(
        "visibility",
        standards.visibility,
        "a visibility is chosen (policing or public)".to_owned(),
        visibility.is_some_and(|v| !v.is_empty()),
        visibility.unwrap_or("not set").to_owned(),
    );
    Checklist {
        id: id.to_owned(),
        items,
    }
}

/// The contact standard: at least one contact valid `contact_valid_days` from `today`.
fn contact_check(value: &Value, standards: &Standards, today: NaiveDate) -> (String, bool, String) {
    let horizon = today
        .checked_add_days(Days::new(u64::from(standards.contact_valid_days)))
        .unwrap_or(NaiveDate::MAX);
    let contacts: Vec<(String, Option<NaiveDate>)> = value
        .get("contacts")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .map(|c| {
                    let name = c.get("name").and_then(Value::as_str).unwrap_or("?");
                    let until = c
                        .get("valid_until")
                        .and_then(Value::as_str)
                        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
                    (name.to_owned(), until)
                })
                .collect()
        })
        .unwrap_or_default();
    let lasting = contacts
        .iter()
        .filter(|(_, until)| until.is_some_and(|u| u >= horizon))
        .count();
    let latest = contacts.iter().filter_map(|(_, until)| *until).max();
    (
        format!(
            "at least one contact valid for {}+ days (until {horizon} or later)",
            standards.contact_valid_days
        ),
        lasting > 0,
        match latest {
            Some(latest) => format!(
                "{lasting} of {} contacts; latest valid until {latest}",
                contacts.len()
            ),
            None => "no contacts".to_owned(),
        },
    )
}

/// The documents standard: at least one of the listed document types, obtainable.
fn documents_check(value: &Value, standards: &Standards) -> (String, bool, String) {
    let documented: Vec<String> = value
        .get("documentation")
        .and_then(Value::as_array)
        .map(|docs| {
            docs.iter()
                .filter(|d| d.get("availability").and_then(Value::as_str) != Some("not-available"))
                .filter_map(|d| d.get("type").and_then(Value::as_str))
                .filter(|kind| standards.documents_any_of.iter().any(|k| k == kind))
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    (
        format!(
            "at least one of {} documented and obtainable",
            standards.documents_any_of.join(", ")
        ),
        !documented.is_empty(),
        if documented.is_empty() {
            "none".to_owned()
        } else {
            documented.join(", ")
        },
    )
}

fn concerns(change: &EntryChange) -> Vec<Attention> {
    let mut out = Vec::new();
    let attention = |concern, detail: String| Attention {
        id: change.id.clone(),
        concern,
        detail,
    };
    match change.kind {
        ChangeKind::Removed => out.push(attention(
            Concern::Deleted,
            format!(
                "{} is deleted: forces using it lose its record",
                change.path.display()
            ),
        )),
        ChangeKind::Renamed => out.push(attention(
            Concern::Renamed,
            format!(
                "id changed from {}: links to the old id break",
                change.old_id.as_deref().unwrap_or("?")
            ),
        )),
        _ => {}
    }
    for field in &change.fields {
        let name = field.field.as_str();
        if name == "owner_force"
            && let Change::Changed { old, new } = &field.change
        {
            out.push(attention(
                Concern::OwnerChanged,
                format!(
                    "owner changed from {} to {}",
                    old.as_str().unwrap_or("?"),
                    new.as_str().unwrap_or("?")
                ),
            ));
        } else if name == "visibility"
            && let Change::Changed { old, new } = &field.change
        {
            out.push(attention(
                Concern::VisibilityChanged,
                format!(
                    "visibility changed from {} to {}",
                    old.as_str().unwrap_or("?"),
                    new.as_str().unwrap_or("?")
                ),
            ));
        } else if name == "contacts" || name.starts_with("contacts[") {
            let detail = match &field.change {
                Change::Items { added, removed } => {
                    let names = |items: &[Value]| {
                        items
                            .iter()
                            .map(|c| c.get("name").and_then(Value::as_str).unwrap_or("?"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    };
                    match (added.is_empty(), removed.is_empty()) {
                        (false, false) => {
                            format!(
                                "contacts added ({}) and removed ({})",
                                names(added),
                                names(removed)
                            )
                        }
                        (false, true) => format!("contacts added: {}", names(added)),
                        _ => format!("contacts removed: {}", names(removed)),
                    }
                }
                _ => format!("{name} changed"),
            };
            out.push(attention(Concern::ContactsChanged, detail));
        }
    }
    out
}
