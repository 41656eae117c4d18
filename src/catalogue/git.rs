//! The one module that talks to git. Everything here is a primitive over git2 — resolve a
//! revision, list the entry files that differ between two revisions, read a file as it was,
//! walk history, commit files onto a branch without touching the working tree — plus the one
//! network step, `git push`, which runs the user's own git so that their credential helpers,
//! SSH agent and configuration apply. What the changes *mean* is decided in
//! [`super::diff`], [`super::review`] and [`super::publish`].

use std::path::{Component, Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, FixedOffset, TimeZone as _};
use git2::{Delta, DiffOptions, ObjectType, Oid, Repository, Sort, Tree};

use super::credentials;
use super::load::{self, CATALOGUE_DIR, MAX_FILE_BYTES};

/// Something went wrong reading or writing the repository.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// The catalogue is not inside a git work tree.
    #[error("{root} is not inside a git repository")]
    NotARepository {
        /// The catalogue root.
        root: PathBuf,
    },
    /// A revision that does not name a commit.
    #[error("`{spec}` is not a commit in this repository")]
    UnknownRevision {
        /// What the user gave.
        spec: String,
    },
    /// The repository has no commit yet: `HEAD` names a branch that does not exist.
    #[error("the repository has no commits yet: branch `{branch}` is unborn")]
    NoCommits {
        /// The branch `HEAD` names.
        branch: String,
    },
    /// No default branch to compare with.
    #[error("cannot find the default branch to compare with (tried {tried}); name a base revision")]
    NoDefaultBranch {
        /// The references tried.
        tried: String,
    },
    /// A remote that is not configured.
    #[error("there is no remote named `{name}`")]
    UnknownRemote {
        /// Its name.
        name: String,
    },
    /// Any other libgit2 failure.
    #[error("git: {0}")]
    Git(#[from] git2::Error),
    /// Reading a file from the working tree failed.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// One side of a comparison: a commit, or the working tree as it is now (staged, unstaged and
/// untracked entry files included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Side {
    /// A commit.
    Commit(Oid),
    /// The working tree.
    WorkTree,
}

/// A resolved revision and how to name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    /// What it is.
    pub side: Side,
    /// How to name it: the spec the user gave and the short commit id, or "working tree".
    pub label: String,
}

impl Revision {
    /// The working tree.
    pub fn work_tree() -> Self {
        Revision {
            side: Side::WorkTree,
            label: "working tree".to_owned(),
        }
    }

    /// Commit `oid`, named by its short id.
    pub fn of_commit(oid: Oid) -> Self {
        Revision {
            side: Side::Commit(oid),
            label: short(oid),
        }
    }

    /// The commit, when it is one.
    pub fn commit(&self) -> Option<Oid> {
        match self.side {
            Side::Commit(oid) => Some(oid),
            Side::WorkTree => None,
        }
    }
}

/// An entry file as it is in one revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileVersion {
    /// Its path relative to the catalogue root, `catalogue/<force>/<id>.yaml`.
    pub path: PathBuf,
    /// Its text, or why it could not be read as text.
    pub text: Result<String, String>,
}

/// An entry file that differs between two revisions: absent on one side when added or removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedFile {
    /// As it was in the base.
    pub old: Option<FileVersion>,
    /// As it is in the head.
    pub new: Option<FileVersion>,
}

/// How a file differs between two revisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PathStatus {
    /// Only in the head.
    Added,
    /// In both, with other content or mode.
    Modified,
    /// Only in the base.
    Deleted,
}

/// A file of the repository (any file, not only entries) that differs between two revisions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathChange {
    /// Its path relative to the top of the work tree, `/`-separated.
    pub path: String,
    /// Its path relative to the catalogue root, when it lies under it.
    pub in_catalogue_root: Option<String>,
    /// How it differs.
    pub status: PathStatus,
}

/// A commit, as history shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitInfo {
    /// The full id.
    pub id: Oid,
    /// The author's name.
    pub author: String,
    /// The author's email.
    pub email: String,
    /// When it was authored, in the author's offset.
    pub time: DateTime<FixedOffset>,
    /// The first line of the message.
    pub summary: String,
}

impl CommitInfo {
    /// The abbreviated id (7 hex digits, as git shows it).
    pub fn short_id(&self) -> String {
        short(self.id)
    }
}

/// A file to write in a commit, by path relative to the catalogue root; `None` removes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileWrite {
    /// Where, relative to the catalogue root.
    pub path: PathBuf,
    /// The new bytes, or `None` to delete the file.
    pub bytes: Option<Vec<u8>>,
}

/// What happened to a `git push`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushOutcome {
    /// The remote accepted the branch.
    Pushed,
    /// git refused or could not reach the remote; `message` is its error output, with any
    /// credentials in URLs removed.
    Failed {
        /// Why, in git's words.
        message: String,
    },
}

/// A catalogue inside a git repository.
pub struct CatalogueRepo {
    repo: Repository,
    workdir: PathBuf,
    /// The catalogue root relative to the work tree ("" when they are the same folder).
    prefix: PathBuf,
}

impl std::fmt::Debug for CatalogueRepo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CatalogueRepo")
            .field("workdir", &self.workdir)
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

impl CatalogueRepo {
    /// Open the repository holding the catalogue at `root`.
    pub fn open(root: &Path) -> Result<Self, GitError> {
        let not_a_repository = || GitError::NotARepository {
            root: root.to_path_buf(),
        };
        // Objects are read by id from the user's own repository; re-hashing each one on read
        // (libgit2's default, not git's) would cost more than the diff itself.
        git2::opts::strict_hash_verification(false);
        let repo = Repository::discover(root).map_err(|_| not_a_repository())?;
        let workdir = repo
            .workdir()
            .ok_or_else(not_a_repository)?
            .canonicalize()
            .map_err(|source| GitError::Io {
                path: root.to_path_buf(),
                source,
            })?;
        let root = root.canonicalize().map_err(|source| GitError::Io {
            path: root.to_path_buf(),
            source,
        })?;
        let prefix = root
            .strip_prefix(&workdir)
            .map_err(|_| not_a_repository())?
            .to_path_buf();
        Ok(CatalogueRepo {
            repo,
            workdir,
            prefix,
        })
    }

    /// The work tree's top folder.
    pub fn workdir(&self) -> &Path {
        &self.workdir
    }

    /// Where the catalogue root lies inside the work tree (empty when it is the top folder).
    pub fn catalogue_prefix(&self) -> &Path {
        &self.prefix
    }

    /// Resolve a revision (`main`, `HEAD~2`, a tag, a commit id) to a commit.
    pub fn resolve(&self, spec: &str) -> Result<Revision, GitError> {
        let unknown = || GitError::UnknownRevision {
            spec: spec.to_owned(),
        };
        let commit = self
            .repo
            .revparse_single(spec)
            .and_then(|object| object.peel_to_commit())
            .map_err(|_| match self.unborn_branch() {
                Some(branch) if spec.starts_with("HEAD") || spec == branch => {
                    GitError::NoCommits { branch }
                }
                _ => unknown(),
            })?;
        let short = short(commit.id());
        let label = if spec.starts_with(&short) {
            short
        } else {
            format!("{spec} ({short})")
        };
        Ok(Revision {
            side: Side::Commit(commit.id()),
            label,
        })
    }

    /// `HEAD`, when the repository has a commit.
    pub fn head(&self) -> Result<Revision, GitError> {
        self.resolve("HEAD")
    }

    /// The branch `HEAD` names when it has no commit yet (a repository after `git init`).
    pub fn unborn_branch(&self) -> Option<String> {
        match self.repo.head() {
            Err(error) if error.code() == git2::ErrorCode::UnbornBranch => {
                let head = self.repo.find_reference("HEAD").ok()?;
                let target = head.symbolic_target().ok().flatten()?;
                Some(target.trim_start_matches("refs/heads/").to_owned())
            }
            _ => None,
        }
    }

    /// The name of the checked-out branch (`None` when HEAD is detached or unborn).
    pub fn current_branch(&self) -> Option<String> {
        let head = self.repo.head().ok()?;
        if !head.is_branch() {
            return None;
        }
        head.shorthand().ok().map(str::to_owned)
    }

    /// Where `head` left `base`: their merge-base, as a pull request's "files changed" is
    /// counted (the working tree counts as `HEAD`). `base` itself when it is already an
    /// ancestor, or when the two share no history.
    pub fn fork_point(&self, base: &Revision, head: &Revision) -> Result<Revision, GitError> {
        let Some(base_id) = base.commit() else {
            return Ok(base.clone());
        };
        let head_id = match head.commit() {
            Some(id) => id,
            None => self.head()?.commit().unwrap_or(base_id),
        };
        match self.repo.merge_base(base_id, head_id) {
            Ok(point) if point == base_id => Ok(base.clone()),
            Ok(point) => Ok(Revision {
                side: Side::Commit(point),
                label: format!(
                    "{} where {} left it ({})",
                    base.label,
                    head.label,
                    short(point)
                ),
            }),
            Err(_) => Ok(base.clone()),
        }
    }

    /// The base a pull request from HEAD would be compared with: the merge-base of HEAD and the
    /// default branch — `<remote>/HEAD` when the remote names one, else `<remote>/<branch>`,
    /// else the local `<branch>`.
    pub fn default_base(&self, remote: &str, branch: &str) -> Result<Revision, GitError> {
        let head = self.head()?;
        let head_id = head.commit().ok_or_else(|| GitError::UnknownRevision {
            spec: "HEAD".to_owned(),
        })?;
        let mut candidates = vec![
            format!("refs/remotes/{remote}/HEAD"),
            format!("refs/remotes/{remote}/{branch}"),
            format!("refs/heads/{branch}"),
        ];
        // Repositories made before git's default became `main` still call it `master`.
        if branch == "main" {
            candidates.push(format!("refs/remotes/{remote}/master"));
            candidates.push("refs/heads/master".to_owned());
        }
        for name in &candidates {
            let Ok(reference) = self.repo.find_reference(name) else {
                continue;
            };
            let Ok(target) = reference.resolve().and_then(|r| r.peel_to_commit()) else {
                continue;
            };
            let base = self.repo.merge_base(head_id, target.id())?;
            let shown = name
                .trim_start_matches("refs/remotes/")
                .trim_start_matches("refs/heads/");
            return Ok(Revision {
                side: Side::Commit(base),
                label: format!("merge-base of HEAD and {shown} ({})", short(base)),
            });
        }
        Err(GitError::NoDefaultBranch {
            tried: candidates
                .iter()
                .map(|c| c.trim_start_matches("refs/"))
                .collect::<Vec<_>>()
                .join(", "),
        })
    }

    /// The entry files (`catalogue/<force>/<file>.yaml`) that differ between `base` (a commit)
    /// and `head`, read on both sides. Only the changed files are read: the cost follows the
    /// size of the change, not of the catalogue.
    pub fn changed_files(
        &self,
        base: &Revision,
        head: &Revision,
    ) -> Result<Vec<ChangedFile>, GitError> {
        let base_tree = self.tree_of(base)?;
        if let Side::Commit(oid) = head.side {
            return self.changed_between_commits(base_tree.as_ref(), oid);
        }
        // Against the working tree: libgit2 compares with the index's cached file stats, and
        // the scan is limited to the catalogue folder.
        let mut options = DiffOptions::new();
        options
            .ignore_submodules(true)
            .pathspec(
                self.in_repo(Path::new(CATALOGUE_DIR))
                    .to_string_lossy()
                    .as_ref(),
            )
            .include_untracked(true)
            .recurse_untracked_dirs(true);
        let diff = self
            .repo
            .diff_tree_to_workdir_with_index(base_tree.as_ref(), Some(&mut options))?;
        let mut changed = Vec::new();
        for delta in diff.deltas() {
            let old_path = delta.old_file().path().and_then(|p| self.entry_path(p));
            let new_path = delta.new_file().path().and_then(|p| self.entry_path(p));
            let (had_old, has_new) = match delta.status() {
                Delta::Added | Delta::Untracked => (false, true),
                Delta::Deleted => (true, false),
                Delta::Modified | Delta::Renamed | Delta::Copied | Delta::Typechange => {
                    (true, true)
                }
                _ => continue,
            };
            let old = old_path.filter(|_| had_old).map(|path| FileVersion {
                text: self.blob_text(delta.old_file().id()),
                path,
            });
            // A name that is not UTF-8 is shown lossily, and no file has the lossy name.
            let utf8_name = delta
                .new_file()
                .path()
                .is_some_and(|p| p.to_str().is_some());
            let new = new_path.filter(|_| has_new).map(|path| {
                if utf8_name {
                    self.work_tree_version(&path)
                } else {
                    FileVersion {
                        path,
                        text: Err(
                            "the file name is not valid UTF-8; name it `<id>.yaml`".to_owned()
                        ),
                    }
                }
            });
            if old.is_some() || new.is_some() {
                changed.push(ChangedFile { old, new });
            }
        }
        Ok(changed)
    }

    /// Every file of the repository that differs between `base` (a commit) and `head` (a
    /// commit, or the working tree with untracked files but not ignored ones), by path.
    pub fn changed_paths(
        &self,
        base: &Revision,
        head: &Revision,
    ) -> Result<Vec<PathChange>, GitError> {
        let base_tree = self.tree_of(base)?;
        let mut options = DiffOptions::new();
        options.ignore_submodules(true);
        let diff = match head.side {
            Side::Commit(oid) => {
                let head_tree = self.repo.find_commit(oid)?.tree()?;
                self.repo.diff_tree_to_tree(
                    base_tree.as_ref(),
                    Some(&head_tree),
                    Some(&mut options),
                )?
            }
            Side::WorkTree => {
                options.include_untracked(true).recurse_untracked_dirs(true);
                self.repo
                    .diff_tree_to_workdir_with_index(base_tree.as_ref(), Some(&mut options))?
            }
        };
        let prefix = load::display_relative(&self.prefix);
        let mut changed = Vec::new();
        for delta in diff.deltas() {
            let status = match delta.status() {
                Delta::Added | Delta::Untracked => PathStatus::Added,
                Delta::Deleted => PathStatus::Deleted,
                Delta::Unmodified | Delta::Ignored | Delta::Unreadable => continue,
                _ => PathStatus::Modified,
            };
            let file = match status {
                PathStatus::Deleted => delta.old_file(),
                _ => delta.new_file(),
            };
            let Some(path) = file.path() else { continue };
            let in_catalogue_root = path
                .strip_prefix(&prefix)
                .ok()
                .map(|p| p.to_string_lossy().replace('\\', "/"));
            changed.push(PathChange {
                path: path.to_string_lossy().replace('\\', "/"),
                in_catalogue_root,
                status,
            });
        }
        Ok(changed)
    }

    /// The entry files of a root commit, all as added.
    pub fn changed_files_from_empty(&self, head: &Revision) -> Result<Vec<ChangedFile>, GitError> {
        match head.side {
            Side::Commit(oid) => self.changed_between_commits(None, oid),
            Side::WorkTree => Err(GitError::UnknownRevision {
                spec: "the working tree (as a commit)".to_owned(),
            }),
        }
    }

    /// The entry files that differ between two commits, found the way git does it: walking
    /// both trees from the catalogue folder down and entering only subtrees whose ids differ,
    /// so the work follows the size of the change.
    fn changed_between_commits(
        &self,
        base_tree: Option<&Tree<'_>>,
        head: Oid,
    ) -> Result<Vec<ChangedFile>, GitError> {
        let head_tree = self.repo.find_commit(head)?.tree()?;
        let folder = self.in_repo(Path::new(CATALOGUE_DIR));
        let subtree = |tree: &Tree<'_>| {
            tree.get_path(&folder)
                .ok()
                .filter(|e| e.kind() == Some(ObjectType::Tree))
                .map(|e| e.id())
        };
        let mut blobs = Vec::new();
        self.walk_changes(
            base_tree.and_then(subtree),
            subtree(&head_tree),
            &PathBuf::from(CATALOGUE_DIR),
            &mut blobs,
        )?;
        Ok(blobs
            .into_iter()
            .filter_map(|(path, old, new)| {
                let path = self.entry_path(&self.in_repo(&path))?;
                let version = |blob: Option<Oid>| {
                    blob.map(|blob| FileVersion {
                        text: self.blob_text(blob),
                        path: path.clone(),
                    })
                };
                Some(ChangedFile {
                    old: version(old),
                    new: version(new),
                })
            })
            .collect())
    }

    /// Record in `out` every blob under `path` that differs between the trees `old` and `new`
    /// (either may be absent), descending only into subtrees that differ.
    fn walk_changes(
        &self,
        old: Option<Oid>,
        new: Option<Oid>,
        path: &Path,
        out: &mut Vec<(PathBuf, Option<Oid>, Option<Oid>)>,
    ) -> Result<(), GitError> {
        // name -> (blob, subtree): a name is one or the other in a tree, but may change kind.
        type Entries = std::collections::BTreeMap<String, (Option<Oid>, Option<Oid>)>;
        if old == new || path.components().count() > 4 {
            return Ok(());
        }
        let entries = |oid: Option<Oid>| -> Result<Entries, GitError> {
            let mut map = Entries::new();
            let Some(oid) = oid else { return Ok(map) };
            for entry in &self.repo.find_tree(oid)? {
                let Ok(name) = entry.name() else { continue };
                let slot = map.entry(name.to_owned()).or_default();
                match entry.kind() {
                    Some(ObjectType::Blob) => slot.0 = Some(entry.id()),
                    Some(ObjectType::Tree) => slot.1 = Some(entry.id()),
                    _ => {}
                }
            }
            Ok(map)
        };
        let old_entries = entries(old)?;
        let new_entries = entries(new)?;
        let mut names: Vec<&String> = old_entries.keys().chain(new_entries.keys()).collect();
        names.sort_unstable();
        names.dedup();
        for name in names {
            let (old_blob, old_tree) = old_entries.get(name).copied().unwrap_or_default();
            let (new_blob, new_tree) = new_entries.get(name).copied().unwrap_or_default();
            let child = path.join(name);
            if old_tree.is_some() || new_tree.is_some() {
                self.walk_changes(old_tree, new_tree, &child, out)?;
            }
            if old_blob != new_blob {
                out.push((child, old_blob, new_blob));
            }
        }
        Ok(())
    }

    /// The file at `path` (relative to the catalogue root) in `revision`, or `None` when it is
    /// not there.
    pub fn read_file(
        &self,
        revision: &Revision,
        path: &Path,
    ) -> Result<Option<FileVersion>, GitError> {
        match revision.side {
            Side::WorkTree => {
                let full = self.on_disk(path);
                Ok(full.is_file().then(|| self.work_tree_version(path)))
            }
            Side::Commit(oid) => {
                let tree = self.repo.find_commit(oid)?.tree()?;
                Ok(self.blob_in(&tree, path).map(|blob| FileVersion {
                    path: path.to_path_buf(),
                    text: self.blob_text(blob),
                }))
            }
        }
    }

    /// The commits reachable from HEAD along first parents, newest first, each with its first
    /// parent (`None` for the root commit).
    /// A repository without commits has an empty history.
    pub fn first_parent_walk(&self) -> Result<Vec<(CommitInfo, Option<Oid>)>, GitError> {
        if self.unborn_branch().is_some() {
            return Ok(Vec::new());
        }
        let mut walk = self.repo.revwalk()?;
        walk.push_head()?;
        walk.simplify_first_parent()?;
        walk.set_sorting(Sort::TOPOLOGICAL)?;
        let mut commits = Vec::new();
        for oid in walk {
            let commit = self.repo.find_commit(oid?)?;
            let parent = commit.parent_id(0).ok();
            commits.push((commit_info(&commit), parent));
        }
        Ok(commits)
    }

    /// Where the entry file `<id>.yaml` last was (relative to the catalogue root), looking
    /// back along HEAD's first-parent line: for an entry since removed, or an id since renamed.
    pub fn path_in_history(&self, id: &str) -> Result<Option<PathBuf>, GitError> {
        let file = format!("{id}.yaml");
        let folder = self.in_repo(Path::new(CATALOGUE_DIR));
        // Most force folders are the same from one commit to the next: look in each once.
        let mut seen = std::collections::HashSet::new();
        for (commit, _) in self.first_parent_walk()? {
            let tree = self.repo.find_commit(commit.id)?.tree()?;
            let Ok(catalogue) = tree.get_path(&folder) else {
                continue;
            };
            let Ok(catalogue) = self.repo.find_tree(catalogue.id()) else {
                continue;
            };
            for force in &catalogue {
                if force.kind() != Some(ObjectType::Tree) || !seen.insert(force.id()) {
                    continue;
                }
                let Ok(force_tree) = self.repo.find_tree(force.id()) else {
                    continue;
                };
                if force_tree
                    .get_name(&file)
                    .is_some_and(|e| e.kind() == Some(ObjectType::Blob))
                    && let Ok(name) = force.name()
                {
                    return Ok(Some(Path::new(CATALOGUE_DIR).join(name).join(&file)));
                }
            }
        }
        Ok(None)
    }

    /// The blob id of the file at `path` (relative to the catalogue root) in commit `oid`.
    pub fn blob_id(&self, oid: Oid, path: &Path) -> Result<Option<Oid>, GitError> {
        let tree = self.repo.find_commit(oid)?.tree()?;
        Ok(self.blob_in(&tree, path))
    }

    /// Details of one commit.
    pub fn commit_info(&self, oid: Oid) -> Result<CommitInfo, GitError> {
        Ok(commit_info(&self.repo.find_commit(oid)?))
    }

    /// The commit a local branch points at.
    pub fn branch_tip(&self, branch: &str) -> Option<Oid> {
        self.repo
            .find_reference(&format!("refs/heads/{branch}"))
            .ok()
            .and_then(|r| r.target())
    }

    /// The commit `<remote>/<branch>` points at, when this clone knows it.
    pub fn remote_tip(&self, remote: &str, branch: &str) -> Option<Oid> {
        self.repo
            .find_reference(&format!("refs/remotes/{remote}/{branch}"))
            .ok()
            .and_then(|r| r.target())
    }

    /// The working tree, if any, in which `branch` is checked out (or being rebased or
    /// bisected, which git counts as checked out too): the main one or any linked `git
    /// worktree`. Moving such a branch from git objects would leave that working tree and
    /// index behind it, and the next `git commit` there would quietly undo the move.
    pub fn worktree_with_branch(&self, branch: &str) -> Option<PathBuf> {
        let reference = format!("refs/heads/{branch}");
        let common = self.repo.commondir().to_path_buf();
        // (the folder git keeps a working tree's HEAD in, the working tree)
        let mut trees: Vec<(PathBuf, PathBuf)> = Vec::new();
        if let Ok(main) = Repository::open(&common)
            && let Some(workdir) = main.workdir()
        {
            trees.push((common.clone(), workdir.to_path_buf()));
        }
        if let Ok(names) = self.repo.worktrees() {
            for name in names.iter().filter_map(|n| n.ok().flatten()) {
                let path = self
                    .repo
                    .find_worktree(name)
                    .map_or_else(|_| PathBuf::from(name), |w| w.path().to_path_buf());
                trees.push((common.join("worktrees").join(name), path));
            }
        }
        trees
            .into_iter()
            .find(|(admin, _)| holds_branch(admin, &reference))
            .map(|(_, workdir)| workdir)
    }

    /// Whether `name` is a valid branch name.
    pub fn is_valid_branch_name(name: &str) -> bool {
        git2::Branch::name_is_valid(name).unwrap_or(false)
    }

    /// The bytes of the file at `path` (relative to the catalogue root) in commit `oid`.
    pub fn file_bytes(&self, oid: Oid, path: &Path) -> Result<Option<Vec<u8>>, GitError> {
        let tree = self.repo.find_commit(oid)?.tree()?;
        match self.blob_in(&tree, path) {
            Some(blob) => Ok(Some(self.repo.find_blob(blob)?.content().to_vec())),
            None => Ok(None),
        }
    }

    /// A commit of `files` on top of `parent`, with `message`, built from git objects; no
    /// branch points at it yet (see [`CatalogueRepo::move_branch`]).
    pub fn commit_files(
        &self,
        parent: Oid,
        files: &[FileWrite],
        message: &str,
    ) -> Result<Oid, GitError> {
        let parent_commit = self.repo.find_commit(parent)?;
        let mut tree = parent_commit.tree()?.id();
        for file in files {
            let blob = match &file.bytes {
                Some(bytes) => Some(self.repo.blob(bytes)?),
                None => None,
            };
            let path = self.prefix.join(&file.path);
            let parts: Vec<String> = path
                .components()
                .filter_map(|c| match c {
                    Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
                    _ => None,
                })
                .collect();
            tree = self
                .tree_with(Some(tree), &parts, blob)?
                .unwrap_or(empty_tree(&self.repo)?);
        }
        let tree = self.repo.find_tree(tree)?;
        let signature = self.repo.signature()?;
        Ok(self.repo.commit(
            None,
            &signature,
            &signature,
            message,
            &tree,
            &[&parent_commit],
        )?)
    }

    /// Point `branch` at `commit`, whose parent is `parent`: create the branch, or move it
    /// forward from `parent` — refusing if it moved meanwhile. Nothing else changes.
    pub fn move_branch(
        &self,
        branch: &str,
        parent: Oid,
        commit: Oid,
        message: &str,
    ) -> Result<(), GitError> {
        let reference = format!("refs/heads/{branch}");
        match self.repo.find_reference(&reference) {
            Ok(existing) => {
                if existing.target() != Some(parent) {
                    return Err(GitError::Git(git2::Error::from_str(&format!(
                        "branch {branch} moved while committing; nothing was changed"
                    ))));
                }
                self.repo.reference_matching(
                    &reference,
                    commit,
                    true,
                    parent,
                    &format!("nsi publish: {message}"),
                )?;
            }
            Err(_) => {
                self.repo.reference(
                    &reference,
                    commit,
                    false,
                    &format!("nsi publish: {message}"),
                )?;
            }
        }
        Ok(())
    }

    /// Commit `files` on top of `parent` and point `refs/heads/<branch>` at the new commit,
    /// creating the branch or moving it forward from `parent` (never rewinding it). The
    /// working tree, the index and the checked-out branch are not touched. Author and committer
    /// come from the user's git configuration.
    pub fn commit_to_branch(
        &self,
        branch: &str,
        parent: Oid,
        files: &[FileWrite],
        message: &str,
    ) -> Result<Oid, GitError> {
        let commit = self.commit_files(parent, files, message)?;
        self.move_branch(branch, parent, commit, message)?;
        Ok(commit)
    }

    /// Whether the tree of commit `oid` already holds exactly `files`.
    pub fn holds(&self, oid: Oid, files: &[FileWrite]) -> Result<bool, GitError> {
        for file in files {
            let current = self.file_bytes(oid, &file.path)?;
            if current != file.bytes {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The URL of `remote` as configured (it may hold credentials: never print it unredacted).
    pub fn remote_url(&self, remote: &str) -> Result<String, GitError> {
        let found = self
            .repo
            .find_remote(remote)
            .map_err(|_| GitError::UnknownRemote {
                name: remote.to_owned(),
            })?;
        Ok(found.url()?.to_owned())
    }

    /// Push `branch` to `remote` with the user's `git` (never forced: a push that is not a
    /// fast-forward is rejected by git, and reported).
    pub fn push(&self, remote: &str, branch: &str) -> Result<PushOutcome, GitError> {
        let refspec = format!("refs/heads/{branch}:refs/heads/{branch}");
        let output = Command::new("git")
            .arg("-C")
            .arg(&self.workdir)
            .args(["push", "--porcelain", "--", remote, &refspec])
            .env("GIT_TERMINAL_PROMPT", "0")
            .output()
            .map_err(|source| GitError::Io {
                path: PathBuf::from("git"),
                source,
            })?;
        if output.status.success() {
            Ok(PushOutcome::Pushed)
        } else {
            let mut message = String::from_utf8_lossy(&output.stderr).into_owned();
            let stdout = String::from_utf8_lossy(&output.stdout);
            if let Some(rejected) = stdout.lines().find(|line| line.starts_with('!')) {
                message.push_str(rejected);
            }
            // The remote's own URL is known exactly: its secrets are masked wherever git's
            // output repeats them, however it quotes them.
            let url = self.remote_url(remote).unwrap_or_default();
            Ok(PushOutcome::Failed {
                message: credentials::redact_text(message.trim(), &[&url]),
            })
        }
    }

    /// The tree of `revision` (`None` for the working tree — not allowed as a base).
    fn tree_of(&self, revision: &Revision) -> Result<Option<Tree<'_>>, GitError> {
        match revision.side {
            Side::Commit(oid) => Ok(Some(self.repo.find_commit(oid)?.tree()?)),
            Side::WorkTree => Err(GitError::UnknownRevision {
                spec: "the working tree (as a base)".to_owned(),
            }),
        }
    }

    /// `tree` with the file at `parts` set to `blob` (or removed when `None`); `None` when the
    /// result is an empty tree, which git does not keep.
    fn tree_with(
        &self,
        tree: Option<Oid>,
        parts: &[String],
        blob: Option<Oid>,
    ) -> Result<Option<Oid>, GitError> {
        let existing = match tree {
            Some(oid) => Some(self.repo.find_tree(oid)?),
            None => None,
        };
        let mut builder = self.repo.treebuilder(existing.as_ref())?;
        let Some((name, rest)) = parts.split_first() else {
            return Ok(tree);
        };
        if rest.is_empty() {
            match blob {
                Some(blob) => {
                    builder.insert(name.as_str(), blob, 0o100_644)?;
                }
                None => {
                    if builder.get(name.as_str())?.is_some() {
                        builder.remove(name.as_str())?;
                    }
                }
            }
        } else {
            let child = builder
                .get(name.as_str())?
                .filter(|entry| entry.kind() == Some(ObjectType::Tree))
                .map(|entry| entry.id());
            match self.tree_with(child, rest, blob)? {
                Some(child) => {
                    builder.insert(name.as_str(), child, 0o040_000)?;
                }
                None => {
                    if builder.get(name.as_str())?.is_some() {
                        builder.remove(name.as_str())?;
                    }
                }
            }
        }
        if builder.is_empty() {
            Ok(None)
        } else {
            Ok(Some(builder.write()?))
        }
    }

    /// A path relative to the catalogue root as git names it inside the repository: the
    /// catalogue's folder in the repository, then the path, with `/` on every platform.
    fn in_repo(&self, relative: &Path) -> PathBuf {
        load::display_relative(&self.prefix.join(relative))
    }

    /// A path relative to the catalogue root (`/`-separated, as git gives it) as a file on
    /// disk, with the platform's separators.
    fn on_disk(&self, relative: &Path) -> PathBuf {
        load::under(&self.workdir.join(&self.prefix), relative)
    }

    /// The blob at `path` (relative to the catalogue root) in `tree`.
    fn blob_in(&self, tree: &Tree<'_>, path: &Path) -> Option<Oid> {
        tree.get_path(&self.in_repo(path))
            .ok()
            .filter(|entry| entry.kind() == Some(ObjectType::Blob))
            .map(|entry| entry.id())
    }

    /// A path from the diff (relative to the work tree) as a path relative to the catalogue
    /// root, when it names an entry file: `catalogue/<force>/<file>.yaml`.
    fn entry_path(&self, path: &Path) -> Option<PathBuf> {
        let relative = path
            .strip_prefix(load::display_relative(&self.prefix))
            .ok()?;
        let parts: Vec<&std::ffi::OsStr> = relative.iter().collect();
        let is_entry = parts.len() == 3
            && parts[0] == CATALOGUE_DIR
            && Path::new(parts[2]).extension().is_some_and(|e| e == "yaml");
        is_entry.then(|| load::display_relative(relative))
    }

    fn blob_text(&self, oid: Oid) -> Result<String, String> {
        let blob = self
            .repo
            .find_blob(oid)
            .map_err(|e| format!("cannot read the file from git: {}", e.message()))?;
        decode_limited(blob.content())
    }

    fn work_tree_version(&self, path: &Path) -> FileVersion {
        let full = self.on_disk(path);
        // Only a regular file is read: a pipe named like an entry would block for ever.
        let read = load::read_bounded(&full, 0);
        let text = match read {
            Ok(bytes) => decode_limited(&bytes),
            Err(error) => Err(format!("cannot read the file: {error}")),
        };
        FileVersion {
            path: path.to_path_buf(),
            text,
        }
    }
}

/// Whether the working tree whose git folder is `admin` has `reference` checked out: its
/// `HEAD` names it, or a rebase or bisection of it is under way there.
fn holds_branch(admin: &Path, reference: &str) -> bool {
    // These are a few bytes each; a larger one is not git's.
    let read = |name: &str| {
        std::fs::File::open(admin.join(name))
            .and_then(|file| {
                let mut text = String::new();
                std::io::Read::read_to_string(&mut std::io::Read::take(file, 4096), &mut text)
                    .map(|_| text)
            })
            .unwrap_or_default()
    };
    let short = reference.trim_start_matches("refs/heads/");
    read("HEAD").trim().strip_prefix("ref:").map(str::trim) == Some(reference)
        || read("rebase-merge/head-name").trim() == reference
        || read("rebase-apply/head-name").trim() == reference
        || read("BISECT_START").trim() == short
}

/// Bytes as entry text, within the size limit entries are held to.
fn decode_limited(bytes: &[u8]) -> Result<String, String> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "the file is {} bytes, over the {MAX_FILE_BYTES}-byte limit for an entry",
            bytes.len()
        ));
    }
    load::decode(bytes).map_err(|(_, message)| message)
}

fn empty_tree(repo: &Repository) -> Result<Oid, GitError> {
    Ok(repo.treebuilder(None)?.write()?)
}

/// A commit id abbreviated as git shows it: 7 hex digits.
pub fn short(oid: Oid) -> String {
    let mut id = oid.to_string();
    id.truncate(7);
    id
}

fn commit_info(commit: &git2::Commit<'_>) -> CommitInfo {
    let author = commit.author();
    let when = author.when();
    let offset = FixedOffset::east_opt(when.offset_minutes() * 60)
        .unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero is a valid offset"));
    let time = offset
        .timestamp_opt(when.seconds(), 0)
        .single()
        .unwrap_or_else(|| DateTime::<FixedOffset>::from(DateTime::UNIX_EPOCH));
    CommitInfo {
        id: commit.id(),
        author: author.name().unwrap_or("unknown").to_owned(),
        email: author.email().unwrap_or_default().to_owned(),
        time,
        summary: commit
            .summary()
            .ok()
            .flatten()
            .unwrap_or_default()
            .to_owned(),
    }
}

/// `text` with the credentials of every URL in it masked (see [`credentials::redact_text`]),
/// so that a token kept in a remote URL is never printed.
pub fn redact_credentials(text: &str) -> String {
    credentials::redact_text(text, &[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_in_urls_are_redacted() {
        assert_eq!(
            redact_credentials(
                "fatal: unable to access 'https://x-token:ghp_secret@github.com/o/r.git/': 403"
            ),
            "fatal: unable to access 'https://***@github.com/o/r.git/': 403"
        );
        assert_eq!(
            redact_credentials("see https://github.com/o/r and ssh://git@host/x"),
            "see https://github.com/o/r and ssh://***@host/x"
        );
        assert_eq!(redact_credentials("no url"), "no url");
    }
}
