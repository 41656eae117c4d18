//! Recording an adoption: a force that explores, pilots or adopts another force's solution
//! says so in the entry's `adopters`, so that reuse is visible to everyone — to the owning
//! force, to portfolio leads counting reuse, and to `nsi review`, which tells adopters when
//! the solution they use changes.

use chrono::NaiveDate;
use serde_json::{Map, Value, json};

use super::author::{Author, AuthorError};
use super::diagnostic::{Diagnostic, Severity};
use super::load::{self, EntryFile};

/// What recording an adoption changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdoptionChange {
    /// The force was not listed; it is now.
    Added,
    /// The force was listed with another status (or date); it is updated.
    Updated {
        /// The status it had.
        from: String,
    },
    /// The force was already listed so.
    Unchanged,
}

/// Why an adoption cannot be recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AdoptionError {
    /// The owning force is named as its own adopter.
    #[error("{force} owns {id}: a force adopts other forces' solutions, not its own")]
    OwnSolution {
        /// The entry.
        id: String,
        /// The force.
        force: String,
    },
    /// The entry's `adopters` is not a list.
    #[error("{id}: `adopters` is not a list; fix the entry first (nsi validate)")]
    Malformed {
        /// The entry.
        id: String,
    },
}

/// Record in `entry` (as JSON) that `force` is at `status` with the solution, since `since`
/// (kept as it was when not given and the force was listed): the force's item is added, or
/// updated in place; no other item or field changes.
pub fn record(
    entry: &mut Value,
    force: &str,
    status: &str,
    since: Option<NaiveDate>,
) -> Result<AdoptionChange, AdoptionError> {
    let id = entry
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if entry.get("owner_force").and_then(Value::as_str) == Some(force) {
        return Err(AdoptionError::OwnSolution {
            id,
            force: force.to_owned(),
        });
    }
    let Some(object) = entry.as_object_mut() else {
        return Err(AdoptionError::Malformed { id });
    };
    let adopters = object
        .entry("adopters")
        .or_insert_with(|| Value::Array(Vec::new()));
    let Some(list) = adopters.as_array_mut() else {
        return Err(AdoptionError::Malformed { id });
    };
    let existing = list
        .iter_mut()
        .find(|item| item.get("force").and_then(Value::as_str) == Some(force));
    if let Some(item) = existing {
        let Some(item) = item.as_object_mut() else {
            return Err(AdoptionError::Malformed { id });
        };
        let from = item
            .get("status")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let old_since = item.get("since").cloned();
        item.insert("status".into(), json!(status));
        if let Some(since) = since {
            item.insert("since".into(), json!(since.to_string()));
        }
        if from == status && item.get("since").cloned() == old_since {
            Ok(AdoptionChange::Unchanged)
        } else {
            Ok(AdoptionChange::Updated { from })
        }
    } else {
        let mut item = Map::new();
        item.insert("force".into(), json!(force));
        item.insert("status".into(), json!(status));
        if let Some(since) = since {
            item.insert("since".into(), json!(since.to_string()));
        }
        list.push(Value::Object(item));
        Ok(AdoptionChange::Added)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_adoption_is_added_then_updated_in_place_and_nothing_else_moves() {
        let mut entry = json!({
            "id": "a", "owner_force": "kent",
            "adopters": [{"force": "essex", "status": "adopted", "since": "2025-01-01"}],
            "title": "A"
        });
        let day = NaiveDate::from_ymd_opt(2026, 11, 28);
        assert_eq!(
            record(&mut entry, "suffolk", "piloting", day),
            Ok(AdoptionChange::Added)
        );
        assert_eq!(
            record(&mut entry, "suffolk", "adopted", None),
            Ok(AdoptionChange::Updated {
                from: "piloting".into()
            })
        );
        assert_eq!(
            record(&mut entry, "suffolk", "adopted", None),
            Ok(AdoptionChange::Unchanged)
        );
        assert_eq!(
            entry["adopters"],
            json!([
                {"force": "essex", "status": "adopted", "since": "2025-01-01"},
                {"force": "suffolk", "status": "adopted", "since": "2026-11-28"}
            ])
        );
        assert_eq!(entry["title"], "A");
        assert!(matches!(
            record(&mut entry, "kent", "adopted", None),
            Err(AdoptionError::OwnSolution { .. })
        ));
    }
}

/// An adoption recorded in an entry file (or found there already).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adopted {
    /// What changed in the entry's `adopters`.
    pub change: AdoptionChange,
    /// The entry file, as named in messages.
    pub file: std::path::PathBuf,
}

/// Why an adoption was not written.
#[derive(Debug, thiserror::Error)]
pub enum AdoptError {
    /// The adoption itself is refused.
    #[error(transparent)]
    Adoption(#[from] AdoptionError),
    /// The entry would not be valid with the adoption (its errors; nothing was written).
    #[error("{} would not be valid with the adoption; nothing was written", file.display())]
    Invalid {
        /// The entry file, as named in messages.
        file: std::path::PathBuf,
        /// The errors.
        errors: Vec<Diagnostic>,
    },
    /// The entry could not be read or written.
    #[error(transparent)]
    Write(#[from] AuthorError),
    /// The entry file could not be read.
    #[error("cannot read {}: {source}", file.display())]
    Read {
        /// The entry file, as named in messages.
        file: std::path::PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// Record in the entry file `file` that `force` is at `status` with the solution — since
/// `since`, or `today` for a force not listed before — checked as any edit is checked and
/// written atomically; an entry that would not be valid is left as it was.
pub fn adopt(
    author: &Author,
    file: &EntryFile,
    force: &str,
    status: &str,
    since: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<Adopted, AdoptError> {
    let original = load::read_text(&file.path).map_err(|source| AdoptError::Read {
        file: file.display.clone(),
        source,
    })?;
    let before = super::yaml::parse_value(&original).unwrap_or_default();
    let mut value = before.clone();
    // A new adopter starts today; one already listed keeps its date unless told.
    let listed = before
        .get("adopters")
        .and_then(Value::as_array)
        .is_some_and(|l| {
            l.iter()
                .any(|a| a.get("force").and_then(Value::as_str) == Some(force))
        });
    let since = since.or_else(|| (!listed).then_some(today));
    let change = record(&mut value, force, status, since)?;
    let adopted = Adopted {
        change,
        file: file.display.clone(),
    };
    if adopted.change == AdoptionChange::Unchanged {
        return Ok(adopted);
    }
    let canonical = super::yaml::to_yaml(&value, &author.reference().schema);
    let edited = author.check_edit(file, &before, &canonical);
    let errors: Vec<Diagnostic> = edited
        .diagnostics
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    if !errors.is_empty() {
        return Err(AdoptError::Invalid {
            file: file.display.clone(),
            errors,
        });
    }
    author.replace(&file.path, &edited.text)?;
    Ok(adopted)
}
