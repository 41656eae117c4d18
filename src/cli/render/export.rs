//! `nsi export` output: one JSON document, a CSV spreadsheet Excel opens cleanly, and the
//! writing of files and of the HTML site's folder, all or nothing.

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, SecondsFormat};

use crate::catalogue::durable;
use serde::Serialize;

use crate::catalogue::entry::{Entry, value_name};
use crate::catalogue::export::{EXPORT_SCHEMA_VERSION, Export};
use crate::catalogue::load::folder_of;
use crate::cli::error::CliError;
use crate::cli::render::csv::{cell, writer};
use crate::cli::render::html::{GENERATOR_TAG, SITE_FOLDERS, SITE_MARKER, SiteOut, is_site_file};

/// The columns of the CSV export, in order. List cells are joined with `"; "`.
pub const CSV_COLUMNS: [&str; 19] = [
    "id",
    "title",
    "owner_force",
    "partner_forces",
    "categories",
    "phase",
    "summary",
    "problem_statement",
    "technology_stack",
    "deployment",
    "licence",
    "highest_skill_level",
    "documents",
    "contacts",
    "aftercare",
    "visibility",
    "created",
    "last_reviewed",
    "tags",
];

/// The byte-order mark that tells Excel a CSV file is UTF-8.
const UTF8_BOM: &str = "\u{feff}";

#[derive(Serialize)]
struct JsonExport<'a> {
    schema_version: &'static str,
    generated: String,
    audience: &'static str,
    entries: &'a [Entry],
}

/// Write `{"schema_version", "generated", "audience", "entries": [...]}`, pretty-printed, to
/// `out` as it is made.
pub fn write_json(
    export: &Export,
    generated: DateTime<FixedOffset>,
    mut out: impl std::io::Write,
) -> std::io::Result<()> {
    let document = JsonExport {
        schema_version: EXPORT_SCHEMA_VERSION,
        generated: generated.to_rfc3339_opts(SecondsFormat::Secs, true),
        audience: export.audience.as_str(),
        entries: &export.entries,
    };
    super::json::write(&document, &mut out)?;
    out.write_all(b"\n")
}

/// The serde name of a unit enum value (`on-premises`, `light-touch`).
fn join<T: ToString>(items: &[T]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

fn row(entry: &Entry) -> [String; CSV_COLUMNS.len()] {
    let documents: Vec<String> = entry
        .documentation
        .iter()
        .map(|d| format!("{}:{}", d.kind, value_name(&d.availability)))
        .collect();
    let contacts: Vec<String> = entry
        .contacts
        .iter()
        .map(|c| format!("{} <{}>", c.name, c.email))
        .collect();
    [
        entry.id.to_string(),
        entry.title.clone(),
        entry.owner_force.to_string(),
        join(&entry.partner_forces),
        join(&entry.categories),
        value_name(&entry.phase),
        entry.summary.clone(),
        entry.problem_statement.clone(),
        join(&entry.technology.stack),
        value_name(&entry.technology.deployment),
        entry.technology.licence.clone(),
        entry
            .highest_skill_level()
            .map(|level| value_name(&level))
            .unwrap_or_default(),
        documents.join("; "),
        contacts.join("; "),
        value_name(&entry.aftercare.level),
        value_name(&entry.visibility),
        entry.created.to_string(),
        entry.last_reviewed.to_string(),
        join(&entry.tags),
    ]
}

/// Write a UTF-8 BOM, a header row of [`CSV_COLUMNS`], then one row per entry, every cell
/// quoted and kept from starting a formula (see [`cell`]), to `out` as it is made.
pub fn write_csv(export: &Export, mut out: impl std::io::Write) -> std::io::Result<()> {
    // Keep the kind of a write error, so that a closed pipe still ends the command quietly.
    let io_error = |e: csv::Error| {
        let kind = match e.kind() {
            csv::ErrorKind::Io(io) => io.kind(),
            _ => std::io::ErrorKind::Other,
        };
        std::io::Error::new(kind, e)
    };
    out.write_all(UTF8_BOM.as_bytes())?;
    let mut csv = writer(out);
    csv.write_record(CSV_COLUMNS).map_err(io_error)?;
    for entry in &export.entries {
        csv.write_record(row(entry).iter().map(|text| cell(text)))
            .map_err(io_error)?;
    }
    csv.flush()
}

/// Write `text` to `path` atomically: a temporary file in the same folder, then renamed over
/// it, so a reader never sees half an export.
pub fn write_file(path: &Path, text: &str) -> Result<(), CliError> {
    write_file_with(path, |out| out.write_all(text.as_bytes()))
}

/// [`write_file`], with the contents written by `write` as they are made (through a buffer),
/// so that a large export is never held in memory whole.
pub fn write_file_with(
    path: &Path,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<(), CliError> {
    durable::replace_with(path, None, durable::Durability::Durable, write)
        .map_err(|e| cannot_write(path, &e))
}

fn cannot_write(path: &Path, error: &dyn std::fmt::Display) -> CliError {
    CliError::io(format!("cannot write {}: {error}", path.display()))
}

/// Whether `dir` is there to be replaced (`false` when it is missing): it must be empty or hold
/// an earlier site and nothing else, so that no file of anyone's (a `.git` folder, a `CNAME`,
/// notes) is ever deleted with it. An error otherwise.
fn replaceable(dir: &Path) -> Result<bool, CliError> {
    match std::fs::read_dir(dir) {
        Ok(mut children) => {
            if children.next().is_none() {
                return Ok(true);
            }
            if !dir.join(SITE_MARKER).is_file() {
                return Err(CliError::usage(format!(
                    "{} is not empty and is not a site nsi exported",
                    dir.display()
                ))
                .with_hint("give --out a new or empty folder; nsi replaces a folder only when it holds an earlier export"));
            }
            let foreign = foreign_files(dir);
            if !foreign.is_empty() {
                let shown: Vec<&str> = foreign.iter().take(5).map(String::as_str).collect();
                let more = match foreign.len() - shown.len() {
                    0 => String::new(),
                    n => format!(" and {n} more"),
                };
                return Err(CliError::usage(format!(
                    "{} holds an earlier site and files nsi did not write: {}{more}",
                    dir.display(),
                    shown.join(", ")
                ))
                .with_hint("nsi replaces the whole folder: move those files out, or export to a new folder and copy the site in"));
            }
            Ok(true)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(_) if dir.exists() => Err(CliError::usage(format!(
            "{} exists and is not a folder",
            dir.display()
        ))
        .with_hint("give --out a new or empty folder")),
        Err(e) => Err(cannot_write(dir, &e)),
    }
}

/// Whether the file at `path`, at a place an export writes, is one it wrote: a page says so in
/// its head (`<meta name="generator" content="nsi …">`), so that someone's own page saved
/// among the entries' is not taken for one. Other files are known by their place alone.
fn written_by_nsi(path: &Path) -> bool {
    use std::io::Read as _;
    if !path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("html"))
    {
        return true;
    }
    let mut head = Vec::with_capacity(1024);
    std::fs::File::open(path)
        .and_then(|file| file.take(1024).read_to_end(&mut head))
        .is_ok_and(|_| String::from_utf8_lossy(&head).contains(GENERATOR_TAG))
}

/// The paths in `dir` (relative, `/` separators, sorted) that an export does not write: anything
/// that is not a regular file at a place [`is_site_file`] names, a page nsi did not write
/// ([`written_by_nsi`]), and anything unreadable.
fn foreign_files(dir: &Path) -> Vec<String> {
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
                        && SITE_FOLDERS.contains(&name.as_str()) =>
                {
                    folders.push((child.path(), format!("{name}/")));
                }
                Ok(kind)
                    if kind.is_file() && is_site_file(&name) && written_by_nsi(&child.path()) => {}
                _ => foreign.push(name),
            }
        }
    }
    foreign.sort();
    foreign
}

/// A site being written into the folder `dir`, all or nothing: files go into a new folder
/// beside `dir` as they are made, and [`StagedSite::finish`] puts it in `dir`'s place; an
/// earlier site there is removed only once the new one is in place. Dropped unfinished, the
/// new folder is deleted and `dir` is untouched.
///
/// `dir` must be missing, empty, or an earlier site (it holds [`SITE_MARKER`]), so that no
/// folder of other files is ever replaced.
pub struct StagedSite {
    dir: PathBuf,
    parent: PathBuf,
    staged: tempfile::TempDir,
    folders: BTreeSet<PathBuf>,
}

impl StagedSite {
    /// Check that `dir` may be replaced and start a new folder beside it.
    pub fn create(dir: &Path) -> Result<Self, CliError> {
        let fail = |e: &dyn std::fmt::Display| cannot_write(dir, e);
        // Refuse early, before any rendering; `finish` looks again.
        replaceable(dir)?;
        let parent = folder_of(dir);
        std::fs::create_dir_all(parent).map_err(|e| fail(&e))?;
        let staged = tempfile::Builder::new()
            .prefix(".nsi-site-")
            .tempdir_in(parent)
            .map_err(|e| fail(&e))?;
        Ok(StagedSite {
            dir: dir.to_path_buf(),
            parent: parent.to_path_buf(),
            staged,
            folders: BTreeSet::new(),
        })
    }

    fn fail(&self, e: &dyn std::fmt::Display) -> CliError {
        cannot_write(&self.dir, e)
    }

    /// Write the file at `path` (relative to the site, `/` separators) with `write`, which is
    /// given a buffered writer.
    pub fn write_with(
        &mut self,
        path: &str,
        write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<(), CliError> {
        let full = self.staged.path().join(path);
        if let Some(folder) = Path::new(path).parent()
            && self.folders.insert(folder.to_path_buf())
        {
            std::fs::create_dir_all(self.staged.path().join(folder)).map_err(|e| self.fail(&e))?;
        }
        let file = std::fs::File::create(&full).map_err(|e| self.fail(&e))?;
        let mut out = std::io::BufWriter::new(file);
        write(&mut out)
            .and_then(|()| out.flush())
            .map_err(|e| self.fail(&e))
    }

    /// Put the site in `dir`'s place.
    pub fn finish(self) -> Result<(), CliError> {
        // A temporary folder is private (0700); a site is meant to be read like any other folder.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(self.staged.path(), std::fs::Permissions::from_mode(0o755))
                .map_err(|e| self.fail(&e))?;
        }
        // Rendering takes a while: look again, in case something else wrote to `dir` since.
        let replaces = replaceable(&self.dir)?;
        if replaces {
            // The old site moves into a temporary folder that is deleted when it goes out of
            // scope; if the new one cannot take its place, it moves back.
            let old = tempfile::Builder::new()
                .prefix(".nsi-site-old-")
                .tempdir_in(&self.parent)
                .map_err(|e| self.fail(&e))?;
            let old_site = old.path().join("site");
            std::fs::rename(&self.dir, &old_site).map_err(|e| self.fail(&e))?;
            if let Err(e) = std::fs::rename(self.staged.path(), &self.dir) {
                if std::fs::rename(&old_site, &self.dir).is_err() {
                    // Never delete the only copy of the old site: keep it and say where.
                    let kept = old.keep().join("site");
                    return Err(self.fail(&e).with_hint(format!(
                        "the earlier site could not be put back; it is in {}",
                        kept.display()
                    )));
                }
                return Err(self.fail(&e));
            }
        } else {
            std::fs::rename(self.staged.path(), &self.dir).map_err(|e| self.fail(&e))?;
        }
        let _ = self.staged.keep();
        Ok(())
    }
}

impl SiteOut for StagedSite {
    fn file(
        &mut self,
        path: &str,
        write: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<(), CliError> {
        self.write_with(path, write)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The head of a page as nsi writes it (its generator tag is how a page is known as one).
    const PAGE: &[u8] = b"<!doctype html><meta name=\"generator\" content=\"nsi 0.1.0\">";
    use crate::cli::render::html::SiteFile;

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
        let mut site = StagedSite::create(&dir).expect("a new folder may be written");
        site.write(&SiteFile {
            path: "entries/a.html".to_owned(),
            bytes: PAGE.to_vec(),
        })
        .expect("written");
        site.write(&SiteFile {
            path: SITE_MARKER.to_owned(),
            bytes: b"{}".to_vec(),
        })
        .expect("written");
        assert!(!dir.exists(), "nothing is in place before the end");
        site.finish().expect("finished");
        assert_eq!(names_in(&dir), ["entries", SITE_MARKER]);
        assert_eq!(
            names_in(parent.path()),
            ["site"],
            "no staging folder is left"
        );

        // An earlier site is replaced whole.
        let mut again = StagedSite::create(&dir).expect("an earlier site may be replaced");
        again
            .write(&SiteFile {
                path: SITE_MARKER.to_owned(),
                bytes: b"{}".to_vec(),
            })
            .expect("written");
        again.finish().expect("finished");
        assert_eq!(names_in(&dir), [SITE_MARKER]);
        assert_eq!(names_in(parent.path()), ["site"]);
    }

    #[test]
    fn files_that_appear_while_rendering_are_never_replaced() {
        let parent = tempfile::tempdir().expect("a temporary folder");
        let dir = parent.path().join("site");
        let site = StagedSite::create(&dir).expect("a new folder may be written");
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
        let mut site = StagedSite::create(&dir).expect("a new folder may be written");
        for path in [
            SITE_MARKER,
            "index.html",
            "entries/a.html",
            "assets/data.js",
        ] {
            site.write(&SiteFile {
                path: path.to_owned(),
                bytes: if path.contains(".html") {
                    PAGE.to_vec()
                } else {
                    b"{}".to_vec()
                },
            })
            .expect("written");
        }
        site.finish().expect("finished");
        // A checkout of a Pages branch: the site, and the user's own files beside it.
        std::fs::create_dir(dir.join(".git")).expect("made");
        std::fs::write(dir.join(".git/HEAD"), "ref: refs/heads/gh-pages\n").expect("written");
        std::fs::write(dir.join("CNAME"), "nsi.police.example\n").expect("written");
        std::fs::write(dir.join("entries/notes.txt"), "mine").expect("written");
        let refused = StagedSite::create(&dir).err().expect("refused");
        assert_eq!(
            refused.message,
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
        StagedSite::create(&dir).expect("only an earlier site is left");
    }
}
