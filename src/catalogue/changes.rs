//! The catalogue's change log, from git: every entry added, changed, moved, renamed or removed
//! by each commit along the default line of history (first parents, so a merged pull request
//! counts once, as its merge), newest first. `nsi changes` shows it; the Atom feed publishes it.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde_json::Value;

use super::diff::{Change, ChangeKind, EntryChange, diff_files, first_changes};
use super::export::{Audience, scrub_emails, without_emails};
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
#[derive(Debug, Clone)]
pub struct ChangesOptions {
    /// Only commits authored on or after this day.
    pub since: Option<NaiveDate>,
    /// At most this many records (the newest).
    pub limit: Option<usize>,
    /// Who will read them: the public see only entries public now, and no contact fields.
    pub audience: Audience,
    /// For the public: the ids of the entries public now, as the export that carries the
    /// changes shows them. `None`: the entries public at `HEAD`.
    pub public_now: Option<BTreeSet<String>>,
    /// Only the solutions this force lists itself as adopting (exploring, piloting or
    /// adopted) at `HEAD`: the changes a force that reuses them needs to hear of.
    pub adopted_by: Option<String>,
}

/// The changes along HEAD's first-parent history, newest first.
pub fn changes(
    repo: &CatalogueRepo,
    options: ChangesOptions,
) -> Result<Vec<ChangeRecord>, GitError> {
    let public_now = match (&options.audience, options.public_now) {
        (Audience::Policing, _) => BTreeSet::new(),
        (Audience::Public, Some(ids)) => ids,
        (Audience::Public, None) => public_at_head(repo)?,
    };
    let used = match &options.adopted_by {
        Some(force) => Some(adopted_at_head(repo, force)?),
        None => None,
    };
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
        let keep = |change: EntryChange| {
            if used.as_ref().is_some_and(|ids| !ids.contains(&change.id)) {
                return None;
            }
            for_audience(change, options.audience, &public_now)
        };
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

/// The ids of the entries that are public in `HEAD`'s tree.
fn public_at_head(repo: &CatalogueRepo) -> Result<BTreeSet<String>, GitError> {
    if repo.unborn_branch().is_some() {
        return Ok(BTreeSet::new());
    }
    let files = repo.changed_files_from_empty(&repo.head()?)?;
    Ok(diff_files(files)
        .into_iter()
        .filter(|change| visibility(change.new.as_ref()) == Some("public"))
        .map(|change| change.id)
        .collect())
}

/// The ids of the entries at `HEAD` whose adopters list `force`.
fn adopted_at_head(repo: &CatalogueRepo, force: &str) -> Result<BTreeSet<String>, GitError> {
    if repo.unborn_branch().is_some() {
        return Ok(BTreeSet::new());
    }
    let files = repo.changed_files_from_empty(&repo.head()?)?;
    Ok(diff_files(files)
        .into_iter()
        .filter(|change| {
            change
                .new
                .as_ref()
                .and_then(|v| v.get("adopters"))
                .and_then(Value::as_array)
                .is_some_and(|list| {
                    list.iter()
                        .any(|a| a.get("force").and_then(Value::as_str) == Some(force))
                })
        })
        .map(|change| change.id)
        .collect())
}

fn visibility(value: Option<&Value>) -> Option<&str> {
    value
        .and_then(|v| v.get("visibility"))
        .and_then(Value::as_str)
}

/// The change as `audience` may see it. The public see a change only when the entry was
/// public after it and is public now (`public_now`): an entry withdrawn from public view or
/// removed leaves no trace in a public artefact, its history included. They see no contact
/// or document fields, no values, no former id, and no email address anywhere.
fn for_audience(
    mut change: EntryChange,
    audience: Audience,
    public_now: &BTreeSet<String>,
) -> Option<EntryChange> {
    if audience == Audience::Policing {
        return Some(change);
    }
    let public_then =
        change.kind != ChangeKind::Removed && visibility(change.new.as_ref()) == Some("public");
    if !public_then || !public_now.contains(&change.id) {
        return None;
    }
    change.fields.retain(|f| {
        f.field != "contacts"
            && !f.field.starts_with("contacts[")
            && !f.field.starts_with("documentation")
    });
    for field in &mut change.fields {
        field.field = without_emails(&field.field);
        match &mut field.change {
            Change::Added { new: value } | Change::Removed { old: value } => scrub_emails(value),
            Change::Changed { old, new } => {
                scrub_emails(old);
                scrub_emails(new);
            }
            Change::Items { added, removed } => {
                added
                    .iter_mut()
                    .chain(removed.iter_mut())
                    .for_each(scrub_emails);
            }
            Change::Text { old, new, words } => {
                *old = without_emails(old);
                *new = without_emails(new);
                for run in words {
                    run.text = without_emails(&run.text);
                }
            }
        }
    }
    change.title = without_emails(&change.title);
    change.old_id = None;
    change.old_path = None;
    change.old = None;
    change.new = None;
    change.new_text = None;
    Some(change)
}
