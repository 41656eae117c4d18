//! Finding the catalogue and reading its files safely: size, encoding and symlink guards come
//! before any parsing, so a hostile file costs a bounded amount of work.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::diagnostic::{Diagnostic, Position};
use super::validate::rules;

/// Entries larger than this are refused unread.
pub const MAX_FILE_BYTES: u64 = 256 * 1024;

/// The folder under the root that holds the entries.
pub const CATALOGUE_DIR: &str = "catalogue";

/// Problems that stop a command before any file is checked (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// No `catalogue/` folder in the working directory or any parent.
    #[error("no `catalogue/` folder found in {start} or any parent folder")]
    RootNotFound {
        /// Where the search started.
        start: PathBuf,
    },
    /// `--catalogue DIR` names a folder without `catalogue/`.
    #[error("{root} has no `catalogue/` folder")]
    NotACatalogue {
        /// The folder named.
        root: PathBuf,
    },
    /// A path given on the command line does not exist.
    #[error("{path}: no such file or directory")]
    PathNotFound {
        /// The path.
        path: PathBuf,
    },
    /// A folder could not be listed.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// Find the catalogue root: `explicit` if given, else the nearest folder at or above `start`
/// that holds a `catalogue/` folder.
pub fn find_root(explicit: Option<&Path>, start: &Path) -> Result<PathBuf, LoadError> {
    if let Some(root) = explicit {
        return if root.join(CATALOGUE_DIR).is_dir() {
            Ok(root.to_path_buf())
        } else {
            Err(LoadError::NotACatalogue {
                root: root.to_path_buf(),
            })
        };
    }
    start
        .ancestors()
        .find(|dir| dir.join(CATALOGUE_DIR).is_dir())
        .map(Path::to_path_buf)
        .ok_or_else(|| LoadError::RootNotFound {
            start: start.to_path_buf(),
        })
}

/// A file to check, with the name to show the user.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct EntryFile {
    /// Where it is on disk.
    pub path: PathBuf,
    /// How to name it in messages: relative to the root when inside it.
    pub display: PathBuf,
}

impl EntryFile {
    /// The file stem: what the entry's id must be.
    pub fn stem(&self) -> &str {
        self.path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
    }

    /// The parent folder's name: what the entry's owner force must be.
    pub fn folder(&self) -> &str {
        self.path
            .parent()
            .and_then(Path::file_name)
            .and_then(|s| s.to_str())
            .unwrap_or_default()
    }
}

/// The files found, and findings about files that are in the wrong place.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Entry files, sorted by path.
    pub files: Vec<EntryFile>,
    /// Misplaced files and links that lead outside the catalogue.
    pub diagnostics: Vec<Diagnostic>,
}

fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root)
        .map_or_else(|_| path.to_path_buf(), Path::to_path_buf)
}

fn is_entry_extension(path: &Path) -> bool {
    path.extension().is_some_and(|ext| ext == "yaml")
}

fn looks_like_data(path: &Path) -> bool {
    path.extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| matches!(ext.to_ascii_lowercase().as_str(), "yaml" | "yml" | "json"))
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .and_then(|name| name.to_str())
        .is_some_and(|name| name.starts_with('.'))
}

/// List the entry files of the whole catalogue under `root`.
pub fn discover(root: &Path) -> Result<Discovery, LoadError> {
    let catalogue = root.join(CATALOGUE_DIR);
    let mut discovery = Discovery::default();
    walk_from(root, &catalogue, 0, &mut discovery)?;
    discovery.files.sort();
    Ok(discovery)
}

/// List the entry files named by `paths` (files or folders), as given on the command line.
pub fn discover_paths(root: &Path, paths: &[PathBuf]) -> Result<Discovery, LoadError> {
    let mut discovery = Discovery::default();
    for path in paths {
        let metadata = fs::symlink_metadata(path)
            .map_err(|_| LoadError::PathNotFound { path: path.clone() })?;
        if metadata.is_dir() {
            let absolute = fs::canonicalize(path).map_err(|source| LoadError::Io {
                path: path.clone(),
                source,
            })?;
            let catalogue = fs::canonicalize(root.join(CATALOGUE_DIR)).ok();
            // Depth relative to catalogue/ decides which files are expected where.
            let depth = catalogue
                .as_ref()
                .and_then(|c| absolute.strip_prefix(c).ok())
                .map_or(1, |rel| rel.components().count());
            walk_from(root, path, depth, &mut discovery)?;
        } else {
            discovery.files.push(EntryFile {
                path: path.clone(),
                display: display_path(root, path),
            });
        }
    }
    discovery.files.sort();
    discovery.files.dedup();
    Ok(discovery)
}

/// Walk `dir`, where `depth` is 0 for `catalogue/` itself and 1 for a force folder.
fn walk_from(
    root: &Path,
    dir: &Path,
    depth: usize,
    discovery: &mut Discovery,
) -> Result<(), LoadError> {
    let read = fs::read_dir(dir).map_err(|source| LoadError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut children: Vec<PathBuf> = read.filter_map(Result::ok).map(|e| e.path()).collect();
    children.sort();
    let catalogue = fs::canonicalize(root.join(CATALOGUE_DIR)).ok();
    for path in children {
        if is_hidden(&path) {
            continue;
        }
        let display = display_path(root, &path);
        let Ok(link_metadata) = fs::symlink_metadata(&path) else {
            continue;
        };
        if link_metadata.file_type().is_symlink() {
            let target = fs::canonicalize(&path).ok();
            let inside = match (&target, &catalogue) {
                (Some(target), Some(catalogue)) => target.starts_with(catalogue),
                _ => false,
            };
            if !inside {
                let message = match &target {
                    Some(target) => format!(
                        "symbolic link to {} leads outside the catalogue; not followed",
                        target.display()
                    ),
                    None => "broken symbolic link; not followed".to_owned(),
                };
                discovery.diagnostics.push(Diagnostic::new(
                    &rules::SYMLINK_OUTSIDE,
                    display,
                    Position::START,
                    message,
                ));
                continue;
            }
        }
        let is_dir = path.is_dir();
        if is_dir && depth == 0 {
            walk_from(root, &path, depth + 1, discovery)?;
        } else if is_dir {
            if looks_like_data(&path) {
                discovery.diagnostics.push(Diagnostic::new(
                    &rules::MISPLACED_FILE,
                    display,
                    Position::START,
                    "a folder named like an entry; entries are files at `catalogue/<owner-force>/<id>.yaml`",
                ));
            } else {
                let message =
                    "a nested folder; entries are files directly inside `catalogue/<owner-force>/`";
                discovery.diagnostics.push(Diagnostic::new(
                    &rules::MISPLACED_FILE,
                    display,
                    Position::START,
                    message,
                ));
            }
        } else if depth == 1 && is_entry_extension(&path) {
            discovery.files.push(EntryFile { path, display });
        } else if looks_like_data(&path) {
            let message = if depth == 0 {
                "entries belong in the folder of their owning force: `catalogue/<owner-force>/<id>.yaml`".to_owned()
            } else {
                format!(
                    "entry files use the extension `.yaml`; rename it to `{}`",
                    path.with_extension("yaml")
                        .file_name()
                        .and_then(|n| n.to_str())
                        .unwrap_or_default()
                )
            };
            discovery.diagnostics.push(Diagnostic::new(
                &rules::MISPLACED_FILE,
                display,
                Position::START,
                message,
            ));
        }
    }
    Ok(())
}

/// The text of a file that passed the size and encoding guards.
#[derive(Debug)]
pub struct SourceText {
    /// The text, without a byte-order mark.
    pub text: String,
}

/// Read a file as UTF-8 text, refusing files over [`MAX_FILE_BYTES`] unread and reporting
/// invalid encodings with the line and column of the first bad byte.
pub fn read_source(file: &EntryFile) -> Result<SourceText, Box<Diagnostic>> {
    let fail = |rule, position, message: String| {
        Err(Box::new(Diagnostic::new(
            rule,
            file.display.clone(),
            position,
            message,
        )))
    };
    let handle = match fs::File::open(&file.path) {
        Ok(handle) => handle,
        Err(error) => {
            return fail(
                &rules::UNREADABLE_FILE,
                Position::START,
                format!("cannot read the file: {error}"),
            );
        }
    };
    let mut bytes = Vec::new();
    // Read one byte past the limit: enough to know the file is too large, without reading it all.
    if let Err(error) = handle.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes) {
        return fail(
            &rules::UNREADABLE_FILE,
            Position::START,
            format!("cannot read the file: {error}"),
        );
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        let size = fs::metadata(&file.path).map_or(bytes.len() as u64, |m| m.len());
        return fail(
            &rules::FILE_TOO_LARGE,
            Position::START,
            format!(
                "the file is {} KiB; entries are at most {} KiB",
                size / 1024,
                MAX_FILE_BYTES / 1024
            ),
        );
    }
    decode(&bytes)
        .map_err(|(position, message)| {
            Box::new(Diagnostic::new(
                &rules::NOT_UTF8,
                file.display.clone(),
                position,
                message,
            ))
        })
        .map(|text| SourceText { text })
}

/// Decode bytes as UTF-8 (a BOM is dropped), refusing UTF-16 and NUL bytes.
pub fn decode(bytes: &[u8]) -> Result<String, (Position, String)> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err((
            Position::START,
            "the file is UTF-16; save it as UTF-8".to_owned(),
        ));
    }
    let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    let text = match std::str::from_utf8(body) {
        Ok(text) => text,
        Err(error) => {
            let valid = &body[..error.valid_up_to()];
            let position = position_after(std::str::from_utf8(valid).unwrap_or_default());
            return Err((
                position,
                format!(
                    "invalid UTF-8 byte 0x{:02X}; save the file as UTF-8",
                    body[error.valid_up_to()]
                ),
            ));
        }
    };
    if let Some(offset) = text.find('\0') {
        return Err((
            position_after(&text[..offset]),
            "the file contains a NUL byte".to_owned(),
        ));
    }
    Ok(text.to_owned())
}

/// The position just after `prefix` (1-based line and column in characters).
fn position_after(prefix: &str) -> Position {
    let line = prefix.matches('\n').count() + 1;
    let line_start = prefix.rfind('\n').map_or(0, |i| i + 1);
    Position::new(line, prefix[line_start..].chars().count() + 1)
}

/// The text of line `line` (1-based) of `text`, without its line ending.
pub fn line_text(text: &str, line: usize) -> Option<&str> {
    text.split('\n')
        .nth(line.checked_sub(1)?)
        .map(|l| l.trim_end_matches('\r'))
}
