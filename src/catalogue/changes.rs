//! The catalogue's change log, from git: every entry added, changed, moved, renamed or removed
//! by each commit along the default line of history (first parents, so a merged pull request
//! counts once, as its merge), newest first. `nsi changes` shows it; the Atom feed publishes it.

use chrono::NaiveDate;
use serde_json::Value;

use super::diff::{ChangeKind, EntryChange, diff_files, first_changes};
use super::export::Audience;
use super::git::{CatalogueRepo, CommitInfo, GitError, Revision};

/// One entry's change in one commit.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeRecord {
    /// The commit.
    pub commit: CommitInfo,
    /// What changed in the entry.
    pub change: EntryChange,
}

/// Which changes to list.
#[derive(Debug, Clone, Copy)]
pub struct ChangesOptions {
    /// Only commits authored on or after this day.
    pub since: Option<NaiveDate>,
    /// At most this many records (the newest).
    pub limit: Option<usize>,
    /// Who will read them: the public see only public entries, and no contact fields.
    pub audience: Audience,
}

/// The changes along HEAD's first-parent history, newest first.
pub fn changes(
    repo: &CatalogueRepo,
    options: ChangesOptions,
) -> Result<Vec<ChangeRecord>, GitError> {
    let mut records = Vec::new();
    for (commit, parent) in repo.first_parent_walk()? {
        if options
            .since
            .is_some_and(|since| commit.time.date_naive() < since)
        {
            continue;
        }
        let this = Revision::of_commit(commit.id);
        let files = match parent {
            Some(parent) => repo.changed_files(&Revision::of_commit(parent), &this)?,
            None => repo.changed_files_from_empty(&this)?,
        };
        let keep = |change| for_audience(change, options.audience);
        let changes = match options.limit {
            Some(limit) => first_changes(files, limit - records.len(), keep),
            None => diff_files(files).into_iter().filter_map(keep).collect(),
        };
        records.extend(changes.into_iter().map(|change| ChangeRecord {
            commit: commit.clone(),
            change,
        }));
        if options.limit.is_some_and(|limit| records.len() >= limit) {
            break;
        }
    }
    if let Some(limit) = options.limit {
        records.truncate(limit);
    }
    Ok(records)
}

/// The change as `audience` may see it: for the public, only entries that are public (after
/// the change, or before it when removed), and nothing about contacts.
fn for_audience(mut change: EntryChange, audience: Audience) -> Option<EntryChange> {
    if audience == Audience::Policing {
        return Some(change);
    }
    let visible = |value: &Option<Value>| {
        value
            .as_ref()
            .and_then(|v| v.get("visibility"))
            .and_then(Value::as_str)
            == Some("public")
    };
    let public = match change.kind {
        ChangeKind::Removed => visible(&change.old),
        _ => visible(&change.new),
    };
    if !public {
        return None;
    }
    change.fields.retain(|f| {
        f.field != "contacts"
            && !f.field.starts_with("contacts[")
            && !f.field.starts_with("documentation")
    });
    change.old = None;
    change.new = None;
    change.new_text = None;
    Some(change)
}
