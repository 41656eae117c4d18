//! A folder written all or nothing, that replaces only what nsi wrote: the policy behind
//! `nsi export --format html --out DIR`. Files go into a new folder beside `DIR` as they are
//! made, and [`StagedFolder::finish`] puts it in `DIR`'s place; an earlier folder there is
//! removed only once the new one is in place, and put back if the new one cannot be. `DIR` must
//! be missing, empty, or hold an earlier export and nothing else (its [`Ownership`] says what
//! that is), so that no file of anyone's (a `.git` folder, a `CNAME`, notes) is ever deleted.

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::load::folder_of;

/// What a folder holds when nsi wrote it: what lets a later export replace it.
#[derive(Debug, Clone, Copy)]
pub struct Ownership {
    /// The file that marks the folder as one nsi wrote (e.g. `site.json`).
    pub marker: &'static str,
    /// The folders, at its top, that hold files nsi wrote.
    pub folders: &'static [&'static str],
    /// Whether the regular file at `path`, named `name` in the folder (relative, `/`
    /// separators), is one nsi wrote there.
    pub is_written: fn(name: &str, path: &Path) -> bool,
}

/// Why a folder was not written or replaced. Nothing of anyone's was changed.
#[derive(Debug, thiserror::Error)]
pub enum FolderError {
    /// The folder holds files and is not one nsi wrote.
    #[error("{} is not empty and is not a site nsi exported", dir.display())]
    NotOurs {
        /// The folder.
        dir: PathBuf,
    },
    /// The folder holds an earlier export, and files nsi did not write.
    #[error(
        "{} holds an earlier site and files nsi did not write: {}{}",
        dir.display(),
        files.iter().take(5).map(String::as_str).collect::<Vec<_>>().join(", "),
        match files.len().saturating_sub(5) { 0 => String::new(), n => format!(" and {n} more") }
    )]
    Foreign {
        /// The folder.
        dir: PathBuf,
        /// What nsi did not write there (relative, sorted).
        files: Vec<String>,
    },
    /// Something that is not a folder is in the way.
    #[error("{} exists and is not a folder", dir.display())]
    NotAFolder {
        /// The path.
        dir: PathBuf,
    },
    /// Writing failed; the folder is as it was.
    #[error("cannot write {}: {source}", dir.display())]
    Io {
        /// The folder.
        dir: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The new folder could not take the earlier one's place, and the earlier one could not be
    /// put back: it is kept whole at `kept`.
    #[error("cannot write {}: {source}", dir.display())]
    NotRestored {
        /// The folder.
        dir: PathBuf,
        /// Why.
        source: std::io::Error,
        /// Where the earlier folder is.
        kept: PathBuf,
    },
}

/// A folder being written in place of `dir`, all or nothing. Dropped unfinished, the new
/// folder is deleted and `dir` is untouched.
pub struct StagedFolder {
    dir: PathBuf,
    parent: PathBuf,
    staged: tempfile::TempDir,
    folders: BTreeSet<PathBuf>,
    ownership: Ownership,
}

impl StagedFolder {
    /// Check that `dir` may be replaced, as `ownership` says, and start a new folder beside it.
    pub fn create(dir: &Path, ownership: Ownership) -> Result<Self, FolderError> {
        let fail = |source| FolderError::Io {
            dir: dir.to_path_buf(),
            source,
        };
        // Refuse early, before anything is made; `finish` looks again.
        replaceable(dir, &ownership)?;
        let parent = folder_of(dir);
        std::fs::create_dir_all(parent).map_err(fail)?;
        let staged = tempfile::Builder::new()
            .prefix(".nsi-site-")
            .tempdir_in(parent)
            .map_err(fail)?;
        Ok(StagedFolder {
            dir: dir.to_path_buf(),
            parent: parent.to_path_buf(),
            staged,
            folders: BTreeSet::new(),
            ownership,
        })
    }

    fn fail(&self, source: std::io::Error) -> FolderError {
        FolderError::Io {
            dir: self.dir.clone(),
            source,
        }
    }

    /// Write the file at `path` (relative to the folder, `/` separators) with `write`, which
    /// is given a buffered writer.
    pub fn write_with(
        &mut self,
        path: &str,
        write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<(), FolderError> {
        let full = self.staged.path().join(path);
        if let Some(folder) = Path::new(path).parent()
            && self.folders.insert(folder.to_path_buf())
        {
            std::fs::create_dir_all(self.staged.path().join(folder)).map_err(|e| self.fail(e))?;
        }
        let file = std::fs::File::create(&full).map_err(|e| self.fail(e))?;
        let mut out = std::io::BufWriter::new(file);
        write(&mut out)
            .and_then(|()| out.flush())
            .map_err(|e| self.fail(e))
    }

    /// Put the new folder in `dir`'s place.
    pub fn finish(self) -> Result<(), FolderError> {
        // A temporary folder is private (0700); an export is meant to be read like any other
        // folder.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(self.staged.path(), std::fs::Permissions::from_mode(0o755))
                .map_err(|e| self.fail(e))?;
        }
        // Making it takes a while: look again, in case something else wrote to `dir` since.
        if replaceable(&self.dir, &self.ownership)? {
            // The old folder moves into a temporary folder that is deleted when it goes out of
            // scope; if the new one cannot take its place, it moves back.
            let old = tempfile::Builder::new()
                .prefix(".nsi-site-old-")
                .tempdir_in(&self.parent)
                .map_err(|e| self.fail(e))?;
            let old_site = old.path().join("site");
            std::fs::rename(&self.dir, &old_site).map_err(|e| self.fail(e))?;
            if let Err(source) = std::fs::rename(self.staged.path(), &self.dir) {
                if std::fs::rename(&old_site, &self.dir).is_err() {
                    // Never delete the only copy of the old folder: keep it and say where.
                    return Err(FolderError::NotRestored {
                        dir: self.dir.clone(),
                        source,
                        kept: old.keep().join("site"),
                    });
                }
                return Err(self.fail(source));
            }
        } else {
            std::fs::rename(self.staged.path(), &self.dir).map_err(|e| self.fail(e))?;
        }
        let _ = self.staged.keep();
        Ok(())
    }
}

/// Whether `dir` is there to be replaced (`false` when it is missing): empty, or an earlier
/// export and nothing else. An error otherwise.
fn replaceable(dir: &Path, ownership: &Ownership) -> Result<bool, FolderError> {
    match std::fs::read_dir(dir) {
        Ok(mut children) => {
            if children.next().is_none() {
                return Ok(true);
            }
            if !dir.join(ownership.marker).is_file() {
                return Err(FolderError::NotOurs {
                    dir: dir.to_path_buf(),
                });
            }
            let files = foreign_files(dir, ownership);
            if !files.is_empty() {
                return Err(FolderError::Foreign {
                    dir: dir.to_path_buf(),
                    files,
                });
            }
            Ok(true)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(_) if dir.exists() => Err(FolderError::NotAFolder {
            dir: dir.to_path_buf(),
        }),
        Err(source) => Err(FolderError::Io {
            dir: dir.to_path_buf(),
            source,
        }),
    }
}

/// The paths in `dir` (relative, `/` separators, sorted) that an export does not write:
/// anything that is not a regular file `ownership` says nsi wrote, and anything unreadable.
fn foreign_files(dir: &Path, ownership: &Ownership) -> Vec<String> {
    let mut foreign = Vec::new();
    let mut folders = vec![(dir.to_path_buf(), String::new())];
    while let Some((folder, prefix)) = folders.pop() {
        let Ok(children) = std::fs::read_dir(&folder) else {
            foreign.push(prefix.trim_end_matches('/').to_owned());
            continue;
        };
        for child in children {
            let Ok(child) = child else {
                foreign.push(format!("{prefix}?"));
                continue;
            };
            let name = format!("{prefix}{}", child.file_name().to_string_lossy());
            match child.file_type() {
                Ok(kind)
                    if kind.is_dir()
                        && prefix.is_empty()
                        && ownership.folders.contains(&name.as_str()) =>
                {
                    folders.push((child.path(), format!("{name}/")));
                }
                Ok(kind) if kind.is_file() && (ownership.is_written)(&name, &child.path()) => {}
                _ => foreign.push(name),
            }
        }
    }
    foreign.sort();
    foreign
}

#[cfg(test)]
mod tests {
    use super::*;

    const MARKER: &str = "site.json";

    /// A folder as a test export writes it: the marker, `index.html`, pages under `entries/`
    /// and `assets/data.js`; a page is known by what it starts with.
    const OURS: Ownership = Ownership {
        marker: MARKER,
        folders: &["entries", "assets"],
        is_written: |name, path| {
            let is_page = Path::new(name)
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("html"));
            let known = [MARKER, "index.html", "assets/data.js"].contains(&name)
                || (name.starts_with("entries/") && is_page);
            known && (!is_page || std::fs::read(path).is_ok_and(|b| b.starts_with(PAGE)))
        },
    };

    /// The head of a page as the test export writes it.
    const PAGE: &[u8] = b"<!doctype html><meta name=\"generator\" content=\"nsi 0.1.0\">";

    fn write(folder: &mut StagedFolder, path: &str, bytes: &[u8]) {
        folder
            .write_with(path, |out| out.write_all(bytes))
            .expect("written");
    }

    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    #[test]
    fn a_site_takes_its_folders_place_only_when_finished() {
        let parent = tempfile::tempdir().expect("a temporary folder");
        let dir = parent.path().join("site");
        let mut site = StagedFolder::create(&dir, OURS).expect("a new folder may be written");
        write(&mut site, "entries/a.html", PAGE);
        write(&mut site, MARKER, b"{}");
        assert!(!dir.exists(), "nothing is in place before the end");
        site.finish().expect("finished");
        assert_eq!(names_in(&dir), ["entries", MARKER]);
        assert_eq!(
            names_in(parent.path()),
            ["site"],
            "no staging folder is left"
        );

        // An earlier site is replaced whole.
        let mut again = StagedFolder::create(&dir, OURS).expect("an earlier site may be replaced");
        write(&mut again, MARKER, b"{}");
        again.finish().expect("finished");
        assert_eq!(names_in(&dir), [MARKER]);
        assert_eq!(names_in(parent.path()), ["site"]);
    }

    #[test]
    fn files_that_appear_while_rendering_are_never_replaced() {
        let parent = tempfile::tempdir().expect("a temporary folder");
        let dir = parent.path().join("site");
        let site = StagedFolder::create(&dir, OURS).expect("a new folder may be written");
        std::fs::create_dir(&dir).expect("made");
        std::fs::write(dir.join("notes.txt"), "mine").expect("written");
        let refused = site.finish();
        assert!(refused.is_err(), "the folder now holds someone else's file");
        assert_eq!(
            std::fs::read_to_string(dir.join("notes.txt"))
                .ok()
                .as_deref(),
            Some("mine")
        );
        assert_eq!(
            names_in(parent.path()),
            ["site"],
            "the staged site is removed"
        );
    }

    #[test]
    fn an_earlier_site_holding_anyone_elses_files_is_never_replaced() {
        let parent = tempfile::tempdir().expect("a temporary folder");
        let dir = parent.path().join("site");
        let mut site = StagedFolder::create(&dir, OURS).expect("a new folder may be written");
        for path in [MARKER, "index.html", "entries/a.html", "assets/data.js"] {
            write(
                &mut site,
                path,
                if path.contains(".html") { PAGE } else { b"{}" },
            );
        }
        site.finish().expect("finished");
        // A checkout of a Pages branch: the site, and the user's own files beside it.
        std::fs::create_dir(dir.join(".git")).expect("made");
        std::fs::write(dir.join(".git/HEAD"), "ref: refs/heads/gh-pages\n").expect("written");
        std::fs::write(dir.join("CNAME"), "nsi.police.example\n").expect("written");
        std::fs::write(dir.join("entries/notes.txt"), "mine").expect("written");
        let refused = StagedFolder::create(&dir, OURS).err().expect("refused");
        assert_eq!(
            refused.to_string(),
            format!(
                "{} holds an earlier site and files nsi did not write: .git, CNAME, entries/notes.txt",
                dir.display()
            )
        );
        assert_eq!(
            std::fs::read_to_string(dir.join(".git/HEAD"))
                .ok()
                .as_deref(),
            Some("ref: refs/heads/gh-pages\n")
        );
        // Without them, the earlier site is replaced again.
        for path in [".git/HEAD", "CNAME", "entries/notes.txt"] {
            std::fs::remove_file(dir.join(path)).expect("removed");
        }
        std::fs::remove_dir(dir.join(".git")).expect("removed");
        StagedFolder::create(&dir, OURS).expect("only an earlier site is left");
    }
}
