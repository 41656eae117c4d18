//! Publishing entries for review: the entry files that differ from the default branch become
//! one commit on their own branch (`nsi/<id>`), which is pushed so that a pull request can be
//! opened. The commit is built from git objects: the working tree, the index and the
//! checked-out branch are never touched, so nothing else the user is doing is committed,
//! discarded or switched away from.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use git2::Oid;

use chrono::NaiveDate;

use super::credentials::RemoteUrl;
use super::diff::{ChangeKind, EntryChange, diff_files};
use super::git::{CatalogueRepo, FileWrite, GitError, PushOutcome, Revision, Side};
use super::review::{Review, ReviewError, review_revisions};
use super::validate::{ValidateError, ValidationOptions, ValidationReport, validate_catalogue};

/// What to publish and where.
#[derive(Debug, Clone)]
pub struct PublishOptions {
    /// The entries to publish by id; empty means every entry that differs from the base.
    pub ids: Vec<String>,
    /// The branch to create; default `nsi/<id>`.
    pub branch: Option<String>,
    /// The remote to push to.
    pub remote: String,
    /// The branch pull requests go into.
    pub default_branch: String,
    /// How to validate the entries first.
    pub validation: ValidationOptions,
}

/// What happens to one entry file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// A new entry.
    Add,
    /// A changed entry.
    Update,
    /// An entry taken out of the catalogue.
    Remove,
}

impl Action {
    /// The verb for commit messages.
    pub fn verb(self) -> &'static str {
        match self {
            Action::Add => "Add",
            Action::Update => "Update",
            Action::Remove => "Remove",
        }
    }
}

/// One entry in a publication.
#[derive(Debug, Clone)]
pub struct Published {
    /// What happens to it.
    pub action: Action,
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its file (the old file when removed).
    pub path: PathBuf,
    /// The file it leaves behind, when moved or renamed.
    pub old_path: Option<PathBuf>,
}

/// Everything `nsi publish` will do, worked out before anything is written.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The branch to commit to.
    pub branch: String,
    /// Whether the branch exists already (the commit goes on top of it).
    pub branch_exists: bool,
    /// The commit the new commit goes on top of, and how to name it.
    pub parent: (Oid, String),
    /// The commit the pull request will be compared with (the default branch).
    pub base: Revision,
    /// The remote.
    pub remote: String,
    /// The branch the pull request goes into.
    pub target: String,
    /// The entries.
    pub entries: Vec<Published>,
    /// The files to write (and remove).
    pub files: Vec<FileWrite>,
    /// The commit message.
    pub message: String,
    /// Whether the branch already holds exactly these files (nothing to commit; push again).
    pub already_committed: bool,
}

/// Why publishing stopped before anything was written.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// git failed.
    #[error(transparent)]
    Git(#[from] GitError),
    /// Validation could not run.
    #[error(transparent)]
    Validate(#[from] ValidateError),
    /// Nothing differs from the base.
    #[error("no entry differs from {base}: there is nothing to publish")]
    NothingToPublish {
        /// The base compared with.
        base: String,
    },
    /// An id that names no changed entry.
    #[error("`{id}` has no changes to publish (compared with {base})")]
    Unchanged {
        /// The id.
        id: String,
        /// The base compared with.
        base: String,
    },
    /// The entries have errors; the report says which.
    #[error("the entries to publish have errors: fix them first")]
    Invalid {
        /// The findings.
        report: ValidationReport,
    },
    /// The branch to publish to is checked out in a working tree: moving it from git objects
    /// would leave that working tree behind, and its next commit would undo the publication.
    #[error(
        "branch {branch} is checked out in {}: publishing would move it under that working \
         tree, and the next `git commit` there would undo the published change; nothing was \
         committed or pushed",
        worktree.display()
    )]
    BranchCheckedOut {
        /// The branch.
        branch: String,
        /// The working tree it is checked out in.
        worktree: PathBuf,
    },
    /// The branch name is not one git accepts.
    #[error("`{branch}` is not a valid branch name")]
    BadBranch {
        /// The name.
        branch: String,
    },
    /// The publication could not be reviewed.
    #[error(transparent)]
    Review(#[from] ReviewError),
    /// Reading a file to publish failed.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// The commit pull requests are compared with: `<remote>/<default_branch>` when this clone
/// knows it, else the local `<default_branch>`, else HEAD.
pub fn base(
    repo: &CatalogueRepo,
    remote: &str,
    default_branch: &str,
) -> Result<Revision, GitError> {
    if let Some(tip) = repo.remote_tip(remote, default_branch) {
        return Ok(Revision {
            side: Side::Commit(tip),
            label: format!("{remote}/{default_branch}"),
        });
    }
    if let Some(tip) = repo.branch_tip(default_branch) {
        return Ok(Revision {
            side: Side::Commit(tip),
            label: default_branch.to_owned(),
        });
    }
    repo.head()
}

/// Work out what to publish: which entries, which files, which branch, which message; and
/// validate the entries. Nothing is written.
pub fn plan(
    repo: &CatalogueRepo,
    root: &Path,
    options: &PublishOptions,
) -> Result<Plan, PublishError> {
    let base = base(repo, &options.remote, &options.default_branch)?;
    let base_id = base.commit().ok_or_else(|| GitError::UnknownRevision {
        spec: "HEAD".to_owned(),
    })?;
    let changes = diff_files(repo.changed_files(&base, &Revision::work_tree())?);
    let selected = select(changes, &options.ids, &base.label)?;
    let to_check: Vec<PathBuf> = selected
        .iter()
        .filter(|c| c.kind != ChangeKind::Removed)
        .map(|c| super::load::under(root, &c.path))
        .collect();
    if !to_check.is_empty() {
        let report = validate_catalogue(root, &to_check, options.validation)?;
        if report.has_errors() {
            return Err(PublishError::Invalid { report });
        }
    }
    let (entries, files) = writes(&selected, root)?;
    let branch = options
        .branch
        .clone()
        .unwrap_or_else(|| default_branch_name(&entries));
    if !CatalogueRepo::is_valid_branch_name(&branch)
        || branch == options.default_branch
        || branch.starts_with('-')
    {
        return Err(PublishError::BadBranch { branch });
    }
    refuse_checked_out(repo, &branch)?;
    let existing = repo.branch_tip(&branch);
    let parent = match existing {
        Some(tip) => (tip, branch.clone()),
        None => (base_id, base.label.clone()),
    };
    let already_committed = existing.is_some() && repo.holds(parent.0, &files)?;
    Ok(Plan {
        message: message(&entries),
        branch,
        branch_exists: existing.is_some(),
        parent,
        base,
        remote: options.remote.clone(),
        target: options.default_branch.clone(),
        entries,
        files,
        already_committed,
    })
}

/// Refuse a branch checked out in any working tree (the main one or a linked `git worktree`):
/// nsi moves branches from git objects, so it never moves one a working tree stands on.
/// Committing there instead would mean touching that tree's index and files, which may hold
/// other work; the user does that with git, or publishes to another branch.
fn refuse_checked_out(repo: &CatalogueRepo, branch: &str) -> Result<(), PublishError> {
    match repo.worktree_with_branch(branch) {
        Some(worktree) => Err(PublishError::BranchCheckedOut {
            branch: branch.to_owned(),
            worktree,
        }),
        None => Ok(()),
    }
}

/// The changes to publish: all of them, or those of `ids` (by new or old id).
fn select(
    changes: Vec<EntryChange>,
    ids: &[String],
    base: &str,
) -> Result<Vec<EntryChange>, PublishError> {
    if ids.is_empty() {
        if changes.is_empty() {
            return Err(PublishError::NothingToPublish {
                base: base.to_owned(),
            });
        }
        return Ok(changes);
    }
    let mut selected: Vec<EntryChange> = Vec::new();
    for id in ids {
        let found = changes
            .iter()
            .find(|c| &c.id == id || c.old_id.as_ref() == Some(id))
            .ok_or_else(|| PublishError::Unchanged {
                id: id.clone(),
                base: base.to_owned(),
            })?;
        if !selected.iter().any(|s| s.path == found.path) {
            selected.push(found.clone());
        }
    }
    Ok(selected)
}

/// The entries published and the files written for `selected`: new bytes from the working
/// tree, and the old file removed when an entry moved or was renamed.
fn writes(
    selected: &[EntryChange],
    root: &Path,
) -> Result<(Vec<Published>, Vec<FileWrite>), PublishError> {
    let mut entries = Vec::new();
    let mut files = Vec::new();
    for change in selected {
        let action = match change.kind {
            ChangeKind::Added => Action::Add,
            ChangeKind::Removed => Action::Remove,
            _ => Action::Update,
        };
        if action == Action::Remove {
            files.push(FileWrite {
                path: change.path.clone(),
                bytes: None,
            });
        } else {
            let full = super::load::under(root, &change.path);
            let bytes = super::load::open_regular(&full)
                .and_then(|mut file| {
                    let mut bytes = Vec::new();
                    std::io::Read::read_to_end(&mut file, &mut bytes).map(|_| bytes)
                })
                .map_err(|source| PublishError::Io {
                    path: change.path.clone(),
                    source,
                })?;
            files.push(FileWrite {
                path: change.path.clone(),
                bytes: Some(bytes),
            });
        }
        if let Some(old) = &change.old_path {
            files.push(FileWrite {
                path: old.clone(),
                bytes: None,
            });
        }
        entries.push(Published {
            action,
            id: change.id.clone(),
            title: change.title.clone(),
            path: change.path.clone(),
            old_path: change.old_path.clone(),
        });
    }
    Ok((entries, files))
}

/// `nsi/<id>` for one entry, `nsi/<id>-and-N-more` for several.
fn default_branch_name(entries: &[Published]) -> String {
    match entries {
        [one] => format!("nsi/{}", one.id),
        [first, rest @ ..] => format!("nsi/{}-and-{}-more", first.id, rest.len()),
        [] => "nsi/update".to_owned(),
    }
}

fn line(entry: &Published) -> String {
    let title = if entry.title.is_empty() {
        entry.id.clone()
    } else {
        entry.title.clone()
    };
    format!("{} solution: {title} ({})", entry.action.verb(), entry.id)
}

/// The commit message: "Add solution: Title (id)" for one entry; a count and one line per
/// entry for several.
pub fn message(entries: &[Published]) -> String {
    match entries {
        [one] => format!("{}\n\nPublished with `nsi publish`.\n", line(one)),
        many => {
            let mut text = format!("Publish {} solutions\n\n", many.len());
            for entry in many {
                text.push_str("- ");
                text.push_str(&line(entry));
                text.push('\n');
            }
            text.push_str("\nPublished with `nsi publish`.\n");
            text
        }
    }
}

/// What `nsi publish` did.
#[derive(Debug, Clone)]
pub struct Execution {
    /// The commit on the branch.
    pub commit: Oid,
    /// Whether a new commit was made (false when the branch already held the entries).
    pub committed: bool,
    /// The push.
    pub push: PushOutcome,
}

/// A publication's commit, built but on no branch yet, and the review the gatekeeper will
/// see of the pull request it opens.
#[derive(Debug)]
pub struct Staged {
    /// The commit (the branch's tip when it already holds the entries).
    pub commit: Oid,
    /// `nsi review` of the pull request: the default branch against the commit.
    pub review: Review,
}

/// Build `plan`'s commit from git objects — no branch moves, nothing is pushed — and review
/// it against the default branch exactly as `nsi review` will on the pull request, so the
/// submitter sees its blockers, findings (warnings too) and possible duplicates first.
pub fn stage(
    repo: &CatalogueRepo,
    root: &Path,
    cache_dir: &Path,
    plan: &Plan,
    today: NaiveDate,
) -> Result<Staged, PublishError> {
    let commit = if plan.already_committed {
        plan.parent.0
    } else {
        repo.commit_files(plan.parent.0, &plan.files, &plan.message)?
    };
    let review = review_revisions(
        repo,
        root,
        cache_dir,
        &plan.base,
        &Revision {
            side: Side::Commit(commit),
            label: plan.branch.clone(),
        },
        today,
    )?;
    Ok(Staged { commit, review })
}

/// Carry out `plan` with its `staged` commit: point the branch at it (unless it already does),
/// then push. A failed push keeps the branch and the commit so the user can retry.
pub fn execute(
    repo: &CatalogueRepo,
    plan: &Plan,
    staged: &Staged,
) -> Result<Execution, PublishError> {
    let committed = !plan.already_committed;
    if committed {
        // Checked again: a branch may have been checked out while the review ran.
        refuse_checked_out(repo, &plan.branch)?;
        repo.move_branch(&plan.branch, plan.parent.0, staged.commit, &plan.message)?;
    }
    let push = repo.push(&plan.remote, &plan.branch)?;
    Ok(Execution {
        commit: staged.commit,
        committed,
        push,
    })
}

/// The web address that opens a pull request from `branch` into `target`, for GitHub, GitLab,
/// Azure DevOps and Bitbucket remotes in https or ssh form; `None` for other hosts. Any
/// credentials in the remote URL are dropped.
pub fn pull_request_url(remote_url: &str, branch: &str, target: &str) -> Option<String> {
    let (host, path) = host_and_path(remote_url)?;
    let path = path.trim_matches('/').trim_end_matches(".git");
    let source = encode(branch);
    let into = encode(target);
    if host == "github.com" {
        return Some(format!(
            "https://github.com/{path}/compare/{into}...{source}?expand=1"
        ));
    }
    if host == "gitlab.com" || host.starts_with("gitlab.") {
        return Some(format!(
            "https://{host}/{path}/-/merge_requests/new?merge_request%5Bsource_branch%5D={source}&merge_request%5Btarget_branch%5D={into}"
        ));
    }
    if host == "bitbucket.org" {
        return Some(format!(
            "https://bitbucket.org/{path}/pull-requests/new?source={source}&dest={into}"
        ));
    }
    if host == "dev.azure.com" || host == "ssh.dev.azure.com" {
        // https: org/project/_git/repo; ssh: v3/org/project/repo
        let parts: Vec<&str> = path.split('/').collect();
        let (org, project, name) = match parts.as_slice() {
            ["v3", org, project, name] | [org, project, "_git", name] => (*org, *project, *name),
            _ => return None,
        };
        return Some(format!(
            "https://dev.azure.com/{org}/{project}/_git/{name}/pullrequestcreate?sourceRef={source}&targetRef={into}"
        ));
    }
    if let Some(org) = host.strip_suffix(".visualstudio.com") {
        let parts: Vec<&str> = path.split('/').collect();
        if let [project, "_git", name] = parts.as_slice() {
            return Some(format!(
                "https://dev.azure.com/{org}/{project}/_git/{name}/pullrequestcreate?sourceRef={source}&targetRef={into}"
            ));
        }
    }
    None
}

/// The host (lowercase) and path of a git remote URL (`https://[user@]host/path`,
/// `ssh://[user@]host[:port]/path` or scp-like `user@host:path`), without credentials, query
/// or fragment: nothing of them reaches the address printed.
fn host_and_path(url: &str) -> Option<(String, String)> {
    let parsed = RemoteUrl::parse(url)?;
    if !matches!(parsed.scheme, None | Some("https" | "http" | "ssh" | "git")) {
        return None;
    }
    Some((parsed.host.to_ascii_lowercase(), parsed.path.to_owned()))
}

/// Percent-encode a branch name for a query string or path.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'/' | b'~') {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::pull_request_url;

    #[test]
    fn pull_request_urls_for_each_host_and_url_form() {
        let cases = [
            (
                "https://github.com/police/nsi.git",
                "https://github.com/police/nsi/compare/main...nsi/x?expand=1",
            ),
            (
                "git@github.com:police/nsi.git",
                "https://github.com/police/nsi/compare/main...nsi/x?expand=1",
            ),
            (
                "https://x-access-token:ghp_SECRET@github.com/police/nsi",
                "https://github.com/police/nsi/compare/main...nsi/x?expand=1",
            ),
            (
                "https://github.com/police/nsi.git?access_token=SECRET",
                "https://github.com/police/nsi/compare/main...nsi/x?expand=1",
            ),
            (
                "user:SECRET@github.com:police/nsi.git",
                "https://github.com/police/nsi/compare/main...nsi/x?expand=1",
            ),
            (
                "ssh://git@gitlab.com/police/nsi.git",
                "https://gitlab.com/police/nsi/-/merge_requests/new?merge_request%5Bsource_branch%5D=nsi/x&merge_request%5Btarget_branch%5D=main",
            ),
            (
                "https://bitbucket.org/police/nsi.git",
                "https://bitbucket.org/police/nsi/pull-requests/new?source=nsi/x&dest=main",
            ),
            (
                "https://org@dev.azure.com/org/Policing/_git/nsi",
                "https://dev.azure.com/org/Policing/_git/nsi/pullrequestcreate?sourceRef=nsi/x&targetRef=main",
            ),
            (
                "git@ssh.dev.azure.com:v3/org/Policing/nsi",
                "https://dev.azure.com/org/Policing/_git/nsi/pullrequestcreate?sourceRef=nsi/x&targetRef=main",
            ),
        ];
        for (remote, expected) in cases {
            assert_eq!(
                pull_request_url(remote, "nsi/x", "main").as_deref(),
                Some(expected),
                "{remote}"
            );
        }
        assert_eq!(
            pull_request_url("file:///tmp/remote.git", "nsi/x", "main"),
            None
        );
        assert_eq!(pull_request_url("/srv/git/nsi.git", "nsi/x", "main"), None);
    }
}
