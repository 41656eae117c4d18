//! Finding the catalogue and reading its files safely: size, encoding and symlink guards come
//! before any parsing, so a hostile file costs a bounded amount of work.

use std::fs;
use std::io::Read;

use rayon::prelude::*;
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
    /// `--catalogue DIR` names a folder that is not there.
    #[error("{root}: no such folder")]
    RootMissing {
        /// The folder named.
        root: PathBuf,
    },
    /// `--catalogue DIR` names the `catalogue/` folder itself rather than the one holding it.
    #[error("{root} is the `catalogue/` folder itself: pass the folder that holds it, {parent}")]
    CatalogueFolderGiven {
        /// The folder named.
        root: PathBuf,
        /// The folder that holds it.
        parent: PathBuf,
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
        let holder = Some(folder_of(root)).filter(|p| {
            root.file_name() == Some(CATALOGUE_DIR.as_ref()) && p.join(CATALOGUE_DIR).is_dir()
        });
        return if root.join(CATALOGUE_DIR).is_dir() {
            Ok(root.to_path_buf())
        } else if !root.is_dir() {
            Err(LoadError::RootMissing {
                root: root.to_path_buf(),
            })
        } else if let Some(parent) = holder {
            Err(LoadError::CatalogueFolderGiven {
                root: root.to_path_buf(),
                parent: parent.to_path_buf(),
            })
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

/// nsi's own folder in a catalogue: the search cache and the drafts of `nsi add` and `nsi edit`.
pub const NSI_DIR: &str = ".nsi";

/// What identifies a version of a file cheaply: its size and modification time. Caches are
/// keyed on it, so an edit is seen at once without reading the file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileStamp {
    /// Size in bytes.
    pub len: u64,
    /// Modification time, in nanoseconds since the Unix epoch (0 when unknown).
    pub modified_ns: u128,
}

impl FileStamp {
    /// The stamp of a file's metadata.
    pub fn of(metadata: &fs::Metadata) -> Self {
        let modified_ns = metadata
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        FileStamp {
            len: metadata.len(),
            modified_ns,
        }
    }
}

/// A file to check, with the name to show the user.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct EntryFile {
    /// Where it is on disk.
    pub path: PathBuf,
    /// How to name it in messages: relative to the root when inside it.
    pub display: PathBuf,
    /// Size and modification time when it was found.
    pub stamp: FileStamp,
}

impl EntryFile {
    /// A file known by its path and display name, not yet stamped.
    pub fn new(path: impl Into<PathBuf>, display: impl Into<PathBuf>) -> Self {
        EntryFile {
            path: path.into(),
            display: display.into(),
            stamp: FileStamp::default(),
        }
    }

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

/// How to name `path` in messages: relative to `root` with `/` between its parts on every
/// platform (as git and GitHub annotations name files) when inside it, else as given. Only
/// ever shown, never opened: a `/` in a Windows path joined to a `\\?\` one is no separator.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    match path.strip_prefix(root) {
        Ok(relative) => display_relative(relative),
        Err(_) => path.to_path_buf(),
    }
}

/// `relative` (which may use `/` whatever the platform, as git and display names do) under
/// `root`, with the platform's separators: a path to open.
pub fn under(root: &Path, relative: &Path) -> PathBuf {
    relative
        .components()
        .fold(root.to_path_buf(), |path, part| path.join(part))
}

/// A relative path with `/` between its parts.
pub fn display_relative(relative: &Path) -> PathBuf {
    let parts: Vec<String> = relative
        .components()
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .collect();
    PathBuf::from(parts.join("/"))
}

fn is_entry_extension(path: &Path) -> bool {
    path.extension().is_some_and(|ext| ext == "yaml")
}

fn looks_like_data(path: &Path) -> bool {
    path.extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| matches!(ext.to_ascii_lowercase().as_str(), "yaml" | "yml" | "json"))
}

/// List the entry files of the whole catalogue under `root`.
pub fn discover(root: &Path) -> Result<Discovery, LoadError> {
    let scope = Scope::new(root);
    let mut discovery = Discovery::default();
    scope.walk(&root.join(CATALOGUE_DIR), 0, &mut discovery)?;
    discovery.files.sort();
    Ok(discovery)
}

/// List the entry files named by `paths` (files or folders), as given on the command line.
/// Paths inside the catalogue get the same placement and symlink checks as a full run.
pub fn discover_paths(root: &Path, paths: &[PathBuf]) -> Result<Discovery, LoadError> {
    let scope = Scope::new(root);
    let mut discovery = Discovery::default();
    for path in paths {
        fs::symlink_metadata(path).map_err(|_| LoadError::PathNotFound { path: path.clone() })?;
        let depth = scope.depth_of(path);
        scope.visit(path, depth, &mut discovery)?;
    }
    discovery.files.sort();
    discovery.files.dedup();
    Ok(discovery)
}

/// The catalogue folder of the catalogue under `root`, with every link resolved: what "inside
/// the catalogue" means to the one policy on symbolic links ([`follow`]). `None` when it
/// cannot be resolved.
pub fn resolved_catalogue(root: &Path) -> Option<PathBuf> {
    fs::canonicalize(root.join(CATALOGUE_DIR)).ok()
}

/// Where a path leads, by the one policy every command applies to symbolic links: a link (or
/// a path through a linked folder) is followed only when it leads to somewhere inside the
/// catalogue; one that leads outside is refused (NSI012), never read and never written
/// through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Followed {
    /// Nothing is there.
    Missing,
    /// It leads inside the catalogue, to this resolved path.
    Inside(PathBuf),
    /// It leads outside the catalogue, to this resolved path.
    Outside(PathBuf),
    /// A link that leads nowhere (its target is missing, or links loop); the link's text.
    Broken(String),
}

/// Where `path` leads, judged against `catalogue` (from [`resolved_catalogue`]; with `None`,
/// everything is outside). Every link on the way is resolved, the folders' as well as the
/// file's.
pub fn follow(catalogue: Option<&Path>, path: &Path) -> Followed {
    if fs::symlink_metadata(path).is_err() {
        return Followed::Missing;
    }
    match fs::canonicalize(path) {
        Ok(target) if catalogue.is_some_and(|c| target.starts_with(c)) => Followed::Inside(target),
        Ok(target) => Followed::Outside(target),
        Err(_) => Followed::Broken(
            fs::read_link(path)
                .map(|t| t.display().to_string())
                .unwrap_or_default(),
        ),
    }
}

/// Where the catalogue is, for placement and symlink checks.
struct Scope<'a> {
    root: &'a Path,
    /// `catalogue/`, resolved; `None` when it cannot be resolved.
    catalogue: Option<PathBuf>,
}

impl<'a> Scope<'a> {
    fn new(root: &'a Path) -> Self {
        Scope {
            root,
            catalogue: resolved_catalogue(root),
        }
    }

    /// 0 for `catalogue/`, 1 for a force folder, 2 for an entry file; `None` outside.
    fn depth_of(&self, path: &Path) -> Option<usize> {
        let parent = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let resolved = fs::canonicalize(parent).ok()?.join(path.file_name()?);
        let relative = resolved.strip_prefix(self.catalogue.as_ref()?).ok()?;
        Some(relative.components().count())
    }

    fn misplaced(&self, path: &Path, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(
            &rules::MISPLACED_FILE,
            display_path(self.root, path),
            Position::START,
            message,
        )
    }

    /// Check one path found at `depth` (see [`Scope::depth_of`]; `None` for a path outside the
    /// catalogue named on the command line, which is taken as an entry or a force folder).
    fn visit(
        &self,
        path: &Path,
        depth: Option<usize>,
        out: &mut Discovery,
    ) -> Result<(), LoadError> {
        let display = display_path(self.root, path);
        let Ok(mut metadata) = fs::symlink_metadata(path) else {
            return Ok(());
        };
        if metadata.file_type().is_symlink() {
            match follow(self.catalogue.as_deref(), path) {
                Followed::Broken(target) => {
                    let message = format!("broken symbolic link to {target}");
                    out.diagnostics.push(Diagnostic::new(
                        &rules::UNREADABLE_FILE,
                        display,
                        Position::START,
                        message,
                    ));
                    return Ok(());
                }
                Followed::Outside(target) => {
                    out.diagnostics.push(link_outside(display, &target));
                    return Ok(());
                }
                Followed::Inside(_) | Followed::Missing => {}
            }
            match fs::metadata(path) {
                Ok(target) => metadata = target,
                Err(_) => return Ok(()),
            }
        }
        let is_dir = metadata.is_dir();
        // A name that is not UTF-8 cannot be an id, nor be shown or put in git reliably.
        if path.file_name().is_some_and(|name| name.to_str().is_none()) {
            out.diagnostics.push(self.misplaced(
                path,
                "the name is not valid UTF-8; entries are files named `<id>.yaml`, an id in \
                 lowercase letters, digits and hyphens",
            ));
            return Ok(());
        }
        let stamp = FileStamp::of(&metadata);
        match (depth, is_dir) {
            (Some(0), true) => self.walk(path, 0, out)?,
            (Some(1) | None, true) => self.walk(path, 1, out)?,
            (Some(_), true) if looks_like_data(path) => out.diagnostics.push(self.misplaced(
                path,
                "a folder named like an entry; entries are files at `catalogue/<owner-force>/<id>.yaml`",
            )),
            (Some(_), true) => out.diagnostics.push(self.misplaced(
                path,
                "a nested folder; entries are files directly inside `catalogue/<owner-force>/`",
            )),
            (Some(2) | None, false) if is_entry_extension(path) => {
                out.files.push(EntryFile { path: path.to_path_buf(), display, stamp });
            }
            (Some(2), false) if looks_like_data(path) => out.diagnostics.push(self.misplaced(
                path,
                format!(
                    "entry files use the extension `.yaml`; rename it to `{}`",
                    path.with_extension("yaml").file_name().and_then(|n| n.to_str()).unwrap_or_default()
                ),
            )),
            (Some(depth), false) if looks_like_data(path) || (depth > 2 && is_entry_extension(path)) => {
                out.diagnostics.push(self.misplaced(
                    path,
                    "entries belong in the folder of their owning force: `catalogue/<owner-force>/<id>.yaml`",
                ));
            }
            // Named on the command line outside the catalogue, and not `.yaml`.
            (None, false) => out.diagnostics.push(self.misplaced(
                path,
                "not an entry file: entries are `.yaml` files at `catalogue/<owner-force>/<id>.yaml`",
            )),
            _ => {}
        }
        Ok(())
    }

    /// Visit the children of the folder `dir`, which is at `depth`.
    fn walk(&self, dir: &Path, depth: usize, out: &mut Discovery) -> Result<(), LoadError> {
        let read = fs::read_dir(dir).map_err(|source| LoadError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let mut children: Vec<fs::DirEntry> = read
            .filter_map(Result::ok)
            .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
            .collect();
        children.sort_by_key(fs::DirEntry::file_name);
        if depth == 0 {
            // Force folders are independent: list them on every core, then merge in order.
            let parts: Vec<Result<Discovery, LoadError>> = children
                .par_iter()
                .map(|child| {
                    let mut part = Discovery::default();
                    self.visit_entry(child, depth + 1, &mut part).map(|()| part)
                })
                .collect();
            for part in parts {
                let mut part = part?;
                out.files.append(&mut part.files);
                out.diagnostics.append(&mut part.diagnostics);
            }
        } else {
            for child in &children {
                self.visit_entry(child, depth + 1, out)?;
            }
        }
        Ok(())
    }

    /// Visit a directory entry: an ordinary `.yaml` file in a force folder (the common case)
    /// needs one `stat`; anything else takes the careful path.
    fn visit_entry(
        &self,
        entry: &fs::DirEntry,
        depth: usize,
        out: &mut Discovery,
    ) -> Result<(), LoadError> {
        let path = entry.path();
        if depth == 2
            && is_entry_extension(&path)
            && entry.file_name().to_str().is_some()
            && entry.file_type().is_ok_and(|t| t.is_file())
            && let Ok(metadata) = entry.metadata()
        {
            let display = display_path(self.root, &path);
            out.files.push(EntryFile {
                path,
                display,
                stamp: FileStamp::of(&metadata),
            });
            return Ok(());
        }
        self.visit(&path, Some(depth), out)
    }
}

/// The NSI012 finding for `display`, which leads to `target` outside the catalogue.
pub fn link_outside(display: PathBuf, target: &Path) -> Diagnostic {
    Diagnostic::new(
        &rules::SYMLINK_OUTSIDE,
        display,
        Position::START,
        format!(
            "symbolic link to {} leads outside the catalogue; not followed",
            target.display()
        ),
    )
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
    let bytes = match read_bounded(&file.path, file.stamp.len) {
        Ok(bytes) => bytes,
        Err(error) => {
            return fail(
                &rules::UNREADABLE_FILE,
                Position::START,
                format!("cannot read the file: {error}"),
            );
        }
    };
    if bytes.len() as u64 > MAX_FILE_BYTES {
        let size = fs::metadata(&file.path).map_or(bytes.len() as u64, |m| m.len());
        return Err(Box::new(too_large(file, size)));
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

/// NSI002 for `file`, which is (or would be) `size` bytes.
pub fn too_large(file: &EntryFile, size: u64) -> Diagnostic {
    Diagnostic::new(
        &rules::FILE_TOO_LARGE,
        file.display.clone(),
        Position::START,
        format!(
            "the file is {size} bytes; entries are at most {MAX_FILE_BYTES} bytes ({} KiB)",
            MAX_FILE_BYTES / 1024
        ),
    )
}

/// The folder `path` is in: its parent, or `.` for a bare file name (where a temporary file
/// beside it goes, to be renamed over it).
pub fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Open `path` for reading if it is a regular file (or a link to one). A FIFO would block the
/// open until something wrote to it, and a device may never end: neither is read.
///
/// On Unix the file is opened without blocking and then asked what it is, which costs one
/// path lookup rather than two and leaves no gap between the check and the open. Elsewhere
/// (no FIFOs there to block) the path is checked first.
pub fn open_regular(path: &Path) -> std::io::Result<fs::File> {
    #[cfg(unix)]
    let handle = {
        use std::os::unix::fs::OpenOptionsExt as _;
        // O_NOCTTY: a terminal device opened here never becomes the controlling terminal.
        let opened = fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
            .open(path);
        match opened {
            Ok(handle) => handle,
            // A socket cannot be opened at all: say what it is, not what open(2) said.
            Err(error) => {
                return Err(match fs::metadata(path) {
                    Ok(metadata) if !metadata.is_file() => not_regular(),
                    _ => error,
                });
            }
        }
    };
    #[cfg(not(unix))]
    let handle = if fs::metadata(path)?.is_file() {
        fs::File::open(path)?
    } else {
        return Err(not_regular());
    };
    if handle.metadata()?.is_file() {
        Ok(handle)
    } else {
        Err(not_regular())
    }
}

fn not_regular() -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidInput,
        "not a regular file (a folder, pipe, socket or device)",
    )
}

/// The bytes of the regular file at `path`, read up to one byte past [`MAX_FILE_BYTES`]:
/// enough to know a file is too large without reading it all. `expected` (the size found when
/// listing, 0 if unknown) saves the reader from growing its buffer read by read.
pub fn read_bounded(path: &Path, expected: u64) -> std::io::Result<Vec<u8>> {
    let handle = open_regular(path)?;
    let mut bytes =
        Vec::with_capacity(usize::try_from(expected.min(MAX_FILE_BYTES)).unwrap_or(0) + 1);
    handle.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The text of the regular file at `path` as it is (a byte-order mark kept), refused (as
/// invalid data) when it is over [`MAX_FILE_BYTES`] — found by reading one byte past the
/// limit, never the whole file — or is not UTF-8: for a file a person names (`nsi add
/// --from`) or one about to be edited, whose every byte is compared and kept.
pub fn read_text(path: &Path) -> std::io::Result<String> {
    text_within_limit(read_bounded(path, 0)?)
}

/// [`read_text`] for any reader (stdin): at most one byte past [`MAX_FILE_BYTES`] is read.
pub fn read_text_from(reader: impl Read) -> std::io::Result<String> {
    let mut bytes = Vec::new();
    reader.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    text_within_limit(bytes)
}

fn text_within_limit(bytes: Vec<u8>) -> std::io::Result<String> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "it is larger than {} KiB, the limit for an entry",
                MAX_FILE_BYTES / 1024
            ),
        ));
    }
    String::from_utf8(bytes).map_err(|_| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "it is not UTF-8 text (`nsi validate` says where)",
        )
    })
}

/// Decode bytes as UTF-8 (a BOM is dropped), refusing UTF-16, NUL bytes and lone CRs.
pub fn decode(bytes: &[u8]) -> Result<String, (Position, String)> {
    // The UTF-32 little-endian mark starts with the UTF-16 one: test it first.
    if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) || bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
        return Err((
            Position::START,
            "the file is UTF-32; save it as UTF-8".to_owned(),
        ));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err((
            Position::START,
            "the file is UTF-16; save it as UTF-8".to_owned(),
        ));
    }
    if looks_like_utf16(bytes) {
        return Err((
            Position::START,
            "the file looks like UTF-16 (no byte-order mark); save it as UTF-8".to_owned(),
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
    // YAML ends a line at a lone CR, but editors, `grep -n` and every other line count here
    // do not: positions would name lines the user cannot find.
    if let Some((offset, _)) = text
        .match_indices('\r')
        .find(|(i, _)| text.as_bytes().get(i + 1) != Some(&b'\n'))
    {
        return Err((
            position_after(&text[..offset]),
            "a carriage return (CR) without a line feed; save the file with LF or CRLF line endings"
                .to_owned(),
        ));
    }
    Ok(text.to_owned())
}

/// UTF-16 text without a BOM: ASCII-range text has a NUL in every other byte.
fn looks_like_utf16(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(64)];
    head.len() >= 4 && {
        let even = head.iter().step_by(2).filter(|b| **b == 0).count();
        let odd = head.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
        let half = head.len() / 2;
        even * 4 >= half * 3 || odd * 4 >= half * 3
    }
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
