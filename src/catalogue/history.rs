//! An entry's history: each change made to it, newest first, from the working tree back
//! along HEAD's first-parent line to the commit that added it, following moves and renames.
//! Each change is a [`diff`](super::diff) of the entry's two versions.

use std::path::Path;

use super::diff::{ChangeKind, EntryChange, diff_files};
use super::git::{CatalogueRepo, ChangedFile, CommitInfo, GitError, Revision};

/// One change to an entry in its history.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryStep {
    /// The commit that made it (`None` for uncommitted changes in the working tree).
    pub commit: Option<CommitInfo>,
    /// The change.
    pub change: EntryChange,
}

/// The changes made to the entry in `path` (relative to the catalogue root) over time, newest
/// first: uncommitted changes in the working tree, then each commit along HEAD's first-parent
/// line that changed it, following the entry through moves and renames back to the commit
/// that added it. A path the entry has left (removed, or moved or renamed away) starts with
/// the commit that took it away.
pub fn history(repo: &CatalogueRepo, path: &Path) -> Result<Vec<HistoryStep>, GitError> {
    let mut steps = Vec::new();
    let mut path = path.to_path_buf();
    if let Ok(head) = repo.head() {
        let working = repo.read_file(&Revision::work_tree(), &path)?;
        let committed = repo.read_file(&head, &path)?;
        if working.as_ref().map(|v| &v.text) != committed.as_ref().map(|v| &v.text)
            && let Some(change) = diff_files(vec![ChangedFile {
                old: committed,
                new: working,
            }])
            .into_iter()
            .next()
        {
            steps.push(HistoryStep {
                commit: None,
                change,
            });
        }
    }
    for (commit, parent) in repo.first_parent_walk()? {
        let now = repo.blob_id(commit.id, &path)?;
        let before = match parent {
            Some(parent) => repo.blob_id(parent, &path)?,
            None => None,
        };
        if before == now {
            continue;
        }
        let this = Revision::of_commit(commit.id);
        let change = match (before, parent) {
            (Some(_), Some(parent)) if now.is_some() => {
                let base = Revision::of_commit(parent);
                diff_files(vec![ChangedFile {
                    old: repo.read_file(&base, &path)?,
                    new: repo.read_file(&this, &path)?,
                }])
            }
            (_, Some(parent)) => {
                // New here (added, or arrived from another path by a move or rename) or gone
                // from here (removed, or moved or renamed away, for an entry followed back from
                // a path it no longer has): the commit's whole change says which.
                let base = Revision::of_commit(parent);
                let changes = diff_files(repo.changed_files(&base, &this)?);
                changes
                    .into_iter()
                    .filter(|c| c.path == path || c.old_path.as_ref() == Some(&path))
                    .collect()
            }
            (_, None) => diff_files(vec![ChangedFile {
                old: None,
                new: repo.read_file(&this, &path)?,
            }]),
        };
        let Some(change) = change.into_iter().next() else {
            continue;
        };
        let done = change.kind == ChangeKind::Added;
        if let Some(old_path) = &change.old_path
            && change.path == path
        {
            path.clone_from(old_path);
        }
        steps.push(HistoryStep {
            commit: Some(commit),
            change,
        });
        if done {
            break;
        }
    }
    Ok(steps)
}
