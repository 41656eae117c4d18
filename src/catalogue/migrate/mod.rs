//! Schema evolution: the versions of the entry schema nsi knows, the migrations between them,
//! and the replacement of slugs retired from the reference lists.
//!
//! The schema's version is the version segment of its `$id`
//! (`…/schema/2.0.0/solution.schema.json`) and is the contract: an entry states the version it
//! was written for in `schema_version` (an entry without one was written for
//! [`FIRST_VERSION`], before entries stated it). A migration from one version to the next is a
//! small function over the entry's tree, registered in [`MIGRATIONS`], one file each; the
//! engine chains them, sets `schema_version`, and replaces retired slugs that have a single
//! successor. Everything here is idempotent: migrating a migrated entry changes nothing.
//!
//! [`run`] rewrites files (`nsi migrate`); `nsi validate` reads an entry of an older version
//! through [`Migrator::upgrade`]; `nsi review` asks [`recognise`] whether every change of a
//! pull request is what the migration makes of the base.

mod comments;
pub mod ops;
pub mod retired;
pub mod run;
mod to_2_0_0;

use std::cmp::Ordering;

use serde::Serialize;
use serde_json::{Map, Value};

use super::diff::{ChangeKind, EntryChange, diff_values};
use super::reference::{Reference, Retired};
use super::schema::display_pointer;

pub use run::{FileMigration, ForceImpact, MigrateOptions, MigrationOutcome, MigrationRun, run};

/// The version of entries that do not state one: the schema's first, before `schema_version`
/// existed.
pub const FIRST_VERSION: &str = "1.0.0";

/// The field an entry states its schema version in.
pub const VERSION_FIELD: &str = "schema_version";

/// A value a migration leaves for a person to replace: the entry stays valid, and
/// `nsi validate` warns until it is replaced (NSI304).
#[derive(Debug, PartialEq, Eq)]
pub struct Marker {
    /// Where, as a JSON pointer (`*` stands for every item of a list).
    pub pointer: &'static str,
    /// The marker value.
    pub value: &'static str,
    /// What the author must do, in a few words.
    pub ask: &'static str,
}

/// One step of the schema's history: what the migration from `from` to `to` does to an entry.
#[derive(Debug)]
pub struct Migration {
    /// The version it reads.
    pub from: &'static str,
    /// The version it writes.
    pub to: &'static str,
    /// What it changes, in one line.
    pub summary: &'static str,
    /// The change, made in place on the entry's top-level mapping. Idempotent.
    pub apply: fn(&mut Map<String, Value>),
    /// The markers it leaves for a person.
    pub markers: &'static [Marker],
}

/// Every migration, oldest first: the one table of the schema's history.
pub const MIGRATIONS: &[Migration] = &[to_2_0_0::MIGRATION];

/// Every schema version nsi knows, oldest first.
pub fn known_versions() -> Vec<&'static str> {
    let mut versions = vec![FIRST_VERSION];
    versions.extend(MIGRATIONS.iter().map(|m| m.to));
    versions
}

/// The version of a schema: the version segment of its `$id`
/// (`https://…/schema/2.0.0/solution.schema.json`). The `$id` carries it because a keyword of
/// its own would make strict validators (ajv) reject the schema.
pub fn schema_version(schema: &Value) -> Option<String> {
    schema
        .get("$id")
        .and_then(Value::as_str)?
        .split('/')
        .find(|part| {
            !part.is_empty()
                && part
                    .split('.')
                    .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        })
        .map(str::to_owned)
}

/// Compare two dotted version numbers (`1.10.0` after `1.9.0`).
pub fn compare_versions(a: &str, b: &str) -> Ordering {
    let parts = |v: &str| -> Vec<u64> { v.split('.').map(|n| n.parse().unwrap_or(0)).collect() };
    parts(a).cmp(&parts(b))
}

/// The version an entry was written for: its `schema_version`, or [`FIRST_VERSION`] when it
/// states none. `Err` holds a `schema_version` that is not text.
pub fn entry_version(entry: &Value) -> Result<String, String> {
    match entry.get(VERSION_FIELD) {
        None => Ok(FIRST_VERSION.to_owned()),
        Some(Value::String(version)) => Ok(version.clone()),
        Some(other) => Err(other.to_string()),
    }
}

/// Why an entry cannot be read at the target version.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum VersionError {
    /// The entry states a version nsi has no migration from.
    #[error("`schema_version` is {version}, a version this nsi does not know (it knows {})", known_versions().join(", "))]
    Unknown {
        /// What the entry states.
        version: String,
    },
    /// The entry states a version later than the schema it is judged by.
    #[error("`schema_version` is {version}, later than the catalogue's schema ({target})")]
    Newer {
        /// What the entry states.
        version: String,
        /// The schema's version.
        target: String,
    },
}

/// Why `nsi migrate` cannot start (a usage error).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    /// `--to` names a version nsi does not know.
    #[error("no schema version {version}: nsi knows {}", known_versions().join(", "))]
    Unknown {
        /// The version asked for.
        version: String,
    },
    /// `--to` names a version beyond the catalogue's schema: the entries would not validate.
    #[error(
        "the catalogue's schema is {schema}; entries cannot be migrated to {to} before schema/ is"
    )]
    BeyondSchema {
        /// The requested version.
        to: String,
        /// The catalogue schema's version.
        schema: String,
    },
}

/// A field a person must fill or choose after a migration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NeedsPerson {
    /// The field, as `ai.use` or `categories[1]`.
    pub field: String,
    /// What they must do.
    pub reason: String,
}

/// What migrating one entry did.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryMigration {
    /// The version it was written for.
    pub from: String,
    /// The version it is now written for (`None` when the schema states no version).
    pub to: Option<String>,
    /// The entry after the migration.
    pub value: Value,
    /// The fields that changed, as `nsi diff` names them (`ai`, `categories`).
    pub fields: Vec<String>,
    /// What a person must now fill or choose.
    pub needs_person: Vec<NeedsPerson>,
}

impl EntryMigration {
    /// Whether anything changed.
    pub fn changed(&self) -> bool {
        !self.fields.is_empty()
    }
}

/// An entry read through its migrations: the migrated value, the version it was written for,
/// and the migrations taken.
pub type Upgraded = (Value, String, Vec<&'static Migration>);

/// Migrations set up for one catalogue: its schema's version is the target, its reference
/// lists say which slugs are retired.
#[derive(Debug, Clone)]
pub struct Migrator {
    target: Option<String>,
    retired: Retired,
}

impl Migrator {
    /// Migrate to the version of `reference`'s schema, or to `to` (which must be known and not
    /// beyond the schema: entries migrated further would not validate).
    pub fn new(reference: &Reference, to: Option<&str>) -> Result<Self, TargetError> {
        let schema = schema_version(&reference.schema);
        let target = match to {
            None => schema,
            Some(to) => {
                if !known_versions().contains(&to) {
                    return Err(TargetError::Unknown {
                        version: to.to_owned(),
                    });
                }
                if let Some(schema) = schema.filter(|s| compare_versions(to, s).is_gt()) {
                    return Err(TargetError::BeyondSchema {
                        to: to.to_owned(),
                        schema,
                    });
                }
                Some(to.to_owned())
            }
        };
        Ok(Migrator {
            target,
            retired: reference.retired.clone(),
        })
    }

    /// The version entries are migrated to (`None` when the schema states no version).
    pub fn target(&self) -> Option<&str> {
        self.target.as_deref()
    }

    /// The migrations that take an entry of `from` to the target, in order.
    pub fn steps(&self, from: &str) -> Result<Vec<&'static Migration>, VersionError> {
        let Some(target) = self.target.as_deref() else {
            return Ok(Vec::new());
        };
        if from == target {
            return Ok(Vec::new());
        }
        if !known_versions().contains(&from) {
            return Err(VersionError::Unknown {
                version: from.to_owned(),
            });
        }
        let mut steps = Vec::new();
        let mut at = from;
        while at != target {
            match MIGRATIONS.iter().find(|m| m.from == at) {
                Some(step) => {
                    steps.push(step);
                    at = step.to;
                }
                None => {
                    return Err(VersionError::Newer {
                        version: from.to_owned(),
                        target: target.to_owned(),
                    });
                }
            }
        }
        Ok(steps)
    }

    /// The entry as the target version reads it, for validation: `Ok(None)` when it is already
    /// of that version, else the migrated entry with the version it was written for and the
    /// steps taken. Retired slugs are left as they are: validation reports them.
    pub fn upgrade(&self, entry: &Value) -> Result<Option<Upgraded>, VersionError> {
        let Ok(from) = entry_version(entry) else {
            // Not text: the schema reports it.
            return Ok(None);
        };
        let steps = self.steps(&from)?;
        if steps.is_empty() {
            return Ok(None);
        }
        let mut value = entry.clone();
        apply_steps(&mut value, &steps);
        Ok(Some((value, from, steps)))
    }

    /// Migrate an entry: the schema's migrations to the target, then retired slugs replaced by
    /// their successor. `Err` when its version cannot be migrated to the target.
    pub fn migrate(&self, entry: &Value) -> Result<EntryMigration, VersionError> {
        let from = entry_version(entry).unwrap_or_else(|_| FIRST_VERSION.to_owned());
        let steps = self.steps(&from)?;
        let mut value = entry.clone();
        apply_steps(&mut value, &steps);
        let mut needs_person = Vec::new();
        if let Value::Object(map) = &mut value {
            needs_person.extend(retired::replace(map, &self.retired));
        }
        for (pointer, marker) in markers_in(&value) {
            needs_person.push(NeedsPerson {
                field: display_pointer(&pointer),
                reason: format!("`{}`: {}", marker.value, marker.ask),
            });
        }
        let fields = diff_values(entry, &value)
            .into_iter()
            .map(|change| change.field)
            .collect();
        Ok(EntryMigration {
            from,
            to: self.target.clone(),
            value,
            fields,
            needs_person,
        })
    }
}

fn apply_steps(value: &mut Value, steps: &[&'static Migration]) {
    let Value::Object(map) = value else { return };
    for step in steps {
        (step.apply)(map);
        map.insert(VERSION_FIELD.to_owned(), Value::from(step.to));
    }
}

/// Every marker a migration left in `entry` and nobody has replaced yet, with its pointer.
pub fn markers_in(entry: &Value) -> Vec<(String, &'static Marker)> {
    let Ok(version) = entry_version(entry) else {
        return Vec::new();
    };
    MIGRATIONS
        .iter()
        .filter(|m| compare_versions(m.to, &version).is_le())
        .flat_map(|m| m.markers)
        .flat_map(|marker| {
            ops::find_at(entry, marker.pointer)
                .into_iter()
                .filter(|(_, value)| value.as_str() == Some(marker.value))
                .map(move |(pointer, _)| (pointer, marker))
        })
        .collect()
}

/// What `nsi review` says of a pull request whose every entry change is what the migration
/// makes of the base.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MigrationPullRequest {
    /// The version the entries were migrated to.
    pub to: Option<String>,
    /// How many entries it changes (each one checked).
    pub entries: usize,
    /// Per force: how many entries changed, which fields, which need a person.
    pub forces: Vec<ForceImpact>,
    /// Set when the pull request also brings the rules it migrates to (its schema and
    /// reference lists, the only other files it changes): the migrated entries were judged
    /// with those, and the rules change needs the gatekeepers' approval.
    pub brings_rules: Option<BroughtRules>,
}

/// The rules a migration pull request brings with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BroughtRules {
    /// The revision whose schema and reference lists judged the migrated entries.
    pub revision: String,
    /// The base's schema version, which the entries were migrated from.
    pub from: Option<String>,
}

/// Whether every change is exactly what `migrator` (set up with the base's rules) makes of the
/// base's version of the entry: entries modified or moved to their owner's new folder, none
/// added, removed or renamed, none unreadable. `None` when any change is not.
pub fn recognise(changes: &[EntryChange], migrator: &Migrator) -> Option<MigrationPullRequest> {
    if changes.is_empty() {
        return None;
    }
    let mut files = Vec::with_capacity(changes.len());
    for change in changes {
        if !matches!(change.kind, ChangeKind::Modified | ChangeKind::Moved) {
            return None;
        }
        let (Some(old), Some(new)) = (&change.old, &change.new) else {
            return None;
        };
        let migrated = migrator.migrate(old).ok()?;
        if &migrated.value != new {
            return None;
        }
        // A moved entry must have moved to its new owner's folder, under the same file name.
        let expected_folder = new.get("owner_force").and_then(Value::as_str);
        if change.kind == ChangeKind::Moved
            && change
                .path
                .parent()
                .and_then(|p| p.file_name())
                .and_then(|f| f.to_str())
                != expected_folder
        {
            return None;
        }
        files.push(FileMigration::changed(change, migrated));
    }
    Some(MigrationPullRequest {
        to: migrator.target.clone(),
        entries: files.len(),
        forces: run::by_force(&files),
        brings_rules: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn migrator(target: &str) -> Migrator {
        Migrator {
            target: Some(target.to_owned()),
            retired: Retired::default(),
        }
    }

    #[test]
    fn the_table_is_a_chain_from_the_first_version() {
        let mut at = FIRST_VERSION;
        for migration in MIGRATIONS {
            assert_eq!(
                migration.from, at,
                "each migration starts where the last ended"
            );
            assert!(compare_versions(migration.to, migration.from).is_gt());
            at = migration.to;
        }
        assert_eq!(known_versions().first(), Some(&FIRST_VERSION));
    }

    #[test]
    fn versions_compare_as_numbers() {
        assert!(compare_versions("1.10.0", "1.9.0").is_gt());
        assert!(compare_versions("2.0.0", "2.0.0").is_eq());
        assert!(compare_versions("1.0.0", "2.0.0").is_lt());
    }

    #[test]
    fn the_schema_version_is_read_from_the_id() {
        let schema = json!({"$id": "https://nsi.police.example/schema/2.0.0/solution.schema.json"});
        assert_eq!(schema_version(&schema).as_deref(), Some("2.0.0"));
        assert_eq!(schema_version(&json!({"$id": "urn:x"})), None);
    }

    #[test]
    fn an_entry_without_a_version_is_of_the_first() {
        assert_eq!(entry_version(&json!({})).as_deref(), Ok(FIRST_VERSION));
        assert_eq!(
            entry_version(&json!({"schema_version": "2.0.0"})).as_deref(),
            Ok("2.0.0")
        );
        assert!(entry_version(&json!({"schema_version": 2})).is_err());
    }

    #[test]
    fn migrating_twice_changes_nothing_the_second_time() {
        let m = migrator("2.0.0");
        let old = json!({"id": "x", "title": "X"});
        let once = m.migrate(&old).expect("migrates");
        assert_eq!(once.from, "1.0.0");
        assert_eq!(once.value["schema_version"], "2.0.0");
        assert_eq!(once.value["ai"]["use"], "not-stated");
        assert_eq!(once.fields, ["ai", "schema_version"]);
        assert_eq!(once.needs_person.len(), 1);
        assert_eq!(once.needs_person[0].field, "ai.use");
        let twice = m.migrate(&once.value).expect("migrates");
        assert!(!twice.changed());
        assert_eq!(twice.value, once.value);
    }

    #[test]
    fn unknown_and_newer_versions_are_refused() {
        let m = migrator("1.0.0");
        assert!(matches!(
            m.migrate(&json!({"schema_version": "2.0.0"})),
            Err(VersionError::Newer { .. })
        ));
        assert!(matches!(
            m.migrate(&json!({"schema_version": "0.9"})),
            Err(VersionError::Unknown { .. })
        ));
        assert!(!m.migrate(&json!({"id": "x"})).expect("current").changed());
    }

    #[test]
    fn markers_are_found_only_where_they_are_left() {
        let value = json!({"schema_version": "2.0.0", "ai": {"use": "not-stated"}});
        assert_eq!(markers_in(&value).len(), 1);
        let stated = json!({"schema_version": "2.0.0", "ai": {"use": "none"}});
        assert!(markers_in(&stated).is_empty());
        // Before 2.0.0 the field meant nothing to the schema.
        let old = json!({"ai": {"use": "not-stated"}});
        assert!(markers_in(&old).is_empty());
    }
}
