//! The files nsi keeps for itself — the search cache, its lock, drafts — trusted no further
//! than they deserve: a clone may carry a `.nsi/` folder (force-added in a pull request that a
//! gatekeeper checks out) holding links to `/dev/zero` or to a file of the user's, a FIFO, or
//! a file of many gigabytes.
//!
//! So these files are opened without following a symbolic link (`O_NOFOLLOW` on Unix; a look
//! at the name first elsewhere), as regular files only (never a FIFO, which would block the
//! open, nor a device), read up to a cap, and their folders are created and used only when no
//! folder between the catalogue root and them is a link. A file that fails any of this is not
//! what nsi wrote: a cache is treated as absent and rebuilt.

use std::fs;
use std::io::{self, Read as _};
use std::path::{Component, Path, PathBuf};

use super::load::NSI_DIR;

/// Why a file or folder of nsi's own was not used.
fn refused(path: &Path, what: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!(
            "{} is {what}; nsi uses only regular files and folders of its own here",
            path.display()
        ),
    )
}

/// What is at `path`, not following a link: `Ok(None)` when nothing is.
fn look(path: &Path) -> io::Result<Option<fs::Metadata>> {
    match fs::symlink_metadata(path) {
        Ok(metadata) => Ok(Some(metadata)),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(error),
    }
}

/// What is there, in words (for something that is not what was expected).
fn kind(metadata: &fs::Metadata) -> &'static str {
    let kind = metadata.file_type();
    if kind.is_symlink() {
        "a symbolic link"
    } else if kind.is_dir() {
        "a folder"
    } else if kind.is_file() {
        "a file, not a folder"
    } else {
        "not a regular file (a pipe, socket or device)"
    }
}

/// Options that open a file without following a link at its name and without blocking (a
/// FIFO swapped in after the look would otherwise hang the open).
fn no_follow(options: &mut fs::OpenOptions) -> &mut fs::OpenOptions {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    options
}

/// Open the regular file at `path` for reading, refusing a link, a folder, a FIFO or a
/// device (which is never opened: the name is looked at first, and the opened file checked
/// again, so a swap between the two is caught too).
pub fn open(path: &Path) -> io::Result<fs::File> {
    match look(path)? {
        None => return Err(io::Error::from(io::ErrorKind::NotFound)),
        Some(metadata) if !metadata.is_file() => return Err(refused(path, kind(&metadata))),
        Some(_) => {}
    }
    let file = no_follow(fs::OpenOptions::new().read(true))
        .open(path)
        .map_err(|error| match look(path) {
            Ok(Some(metadata)) if !metadata.is_file() => refused(path, kind(&metadata)),
            _ => error,
        })?;
    let metadata = file.metadata()?;
    if metadata.is_file() {
        Ok(file)
    } else {
        Err(refused(path, kind(&metadata)))
    }
}

/// The bytes of the regular file at `path` (see [`open`]), refused unread when it is larger
/// than `cap` bytes, and never read beyond it.
pub fn read(path: &Path, cap: u64) -> io::Result<Vec<u8>> {
    let file = open(path)?;
    let len = file.metadata()?.len();
    let too_large = || {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{} is larger than {cap} bytes", path.display()),
        )
    };
    if len > cap {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.take(cap.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(too_large());
    }
    Ok(bytes)
}

/// Open (creating it if needed) the lock file at `path` for writing, never through a link:
/// a link, FIFO or device found there is not nsi's lock, and is removed (the link itself, not
/// what it points to) and replaced by a regular file. A folder there is an error.
pub fn open_lock(path: &Path) -> io::Result<fs::File> {
    for _ in 0..3 {
        match look(path)? {
            Some(metadata) if metadata.is_dir() => return Err(refused(path, "a folder")),
            Some(metadata) if !metadata.is_file() => {
                remove_if_there(path)?;
                continue;
            }
            _ => {}
        }
        match no_follow(
            fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(false),
        )
        .open(path)
        {
            Ok(file) if file.metadata()?.is_file() => return Ok(file),
            // Swapped for something else between the look and the open: look again.
            Ok(_) => {}
            Err(error) => match look(path)? {
                Some(metadata) if !metadata.is_file() && !metadata.is_dir() => {}
                _ => return Err(error),
            },
        }
    }
    Err(refused(path, "replaced again and again while being opened"))
}

fn remove_if_there(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Err(error) if error.kind() != io::ErrorKind::NotFound => Err(error),
        _ => Ok(()),
    }
}

/// The folders from `root` (exclusive) down to `dir`, when `dir` lies under `root`; `None`
/// when it does not (a cache folder the user chose elsewhere, with `NSI_CACHE_DIR`). A `..`
/// below `root` is an error: it could lead anywhere.
fn folders_below(root: &Path, dir: &Path) -> io::Result<Option<Vec<PathBuf>>> {
    let Ok(relative) = dir.strip_prefix(root) else {
        return Ok(None);
    };
    let mut current = root.to_path_buf();
    let mut folders = Vec::new();
    for part in relative.components() {
        match part {
            Component::Normal(name) => {
                current.push(name);
                folders.push(current.clone());
            }
            Component::CurDir => {}
            _ => return Err(refused(dir, "not a folder below the catalogue root")),
        }
    }
    Ok(Some(folders))
}

/// Whether nsi may use `dir` (inside the catalogue under `root`) as its own: every folder
/// from `root` down to it is a real folder, not a link. A folder outside `root` (chosen by the
/// user) is theirs to trust. `false` when a part of it is missing.
pub fn is_own_dir(root: &Path, dir: &Path) -> bool {
    match folders_below(root, dir) {
        Ok(Some(folders)) => folders
            .iter()
            .all(|folder| look(folder).ok().flatten().is_some_and(|m| m.is_dir())),
        Ok(None) => dir.is_dir(),
        Err(_) => false,
    }
}

/// Create the folder `dir` for nsi's own files. Under the catalogue root `root`, every folder
/// on the way is created, or must already be a real folder: a link there (to a folder of the
/// user's, say) is refused, never written through. A folder outside `root` (the user's own
/// choice, `NSI_CACHE_DIR`) is created as asked. When `dir` lies in the root's [`NSI_DIR`]
/// folder, that folder gets a `.gitignore` that ignores all of it, so that neither the cache
/// nor drafts can be committed, whatever the repository's own `.gitignore` says (as pytest
/// and mypy do with their caches).
pub fn create_dir(root: &Path, dir: &Path) -> io::Result<()> {
    let Some(folders) = folders_below(root, dir)? else {
        return fs::create_dir_all(dir);
    };
    for folder in &folders {
        match look(folder)? {
            Some(metadata) if metadata.is_dir() => {}
            Some(metadata) => return Err(refused(folder, kind(&metadata))),
            None => match fs::create_dir(folder) {
                // Made meanwhile by another process: it is checked again below.
                Err(error) if error.kind() != io::ErrorKind::AlreadyExists => return Err(error),
                _ => {
                    if !look(folder)?.is_some_and(|m| m.is_dir()) {
                        return Err(refused(folder, "not a folder"));
                    }
                }
            },
        }
    }
    let nsi = root.join(NSI_DIR);
    if folders.contains(&nsi) {
        // Best effort, and never through a link: a folder that cannot take it still works.
        let _ = no_follow(fs::OpenOptions::new().write(true).create_new(true))
            .open(nsi.join(".gitignore"))
            .and_then(|mut file| {
                io::Write::write_all(
                    &mut file,
                    b"# Made by nsi: its search cache and drafts never go into git.\n*\n",
                )
            });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_catalogues_own_nsi_folder_gets_a_gitignore() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let root = dir.path();
        create_dir(root, &root.join("cache")).expect("made");
        assert!(!root.join("cache/.gitignore").exists(), "not nsi's folder");
        create_dir(root, &root.join(NSI_DIR).join("drafts")).expect("made");
        assert_eq!(
            fs::read_to_string(root.join(NSI_DIR).join(".gitignore"))
                .ok()
                .as_deref()
                .map(str::lines)
                .and_then(|mut l| l.nth(1)),
            Some("*")
        );
        assert!(is_own_dir(root, &root.join(NSI_DIR).join("drafts")));
    }

    #[cfg(unix)]
    #[test]
    fn links_fifos_and_large_files_are_refused() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().expect("a temporary folder");
        let root = dir.path();
        let outside = tempfile::tempdir().expect("a temporary folder");
        // A folder on the way that is a link: neither used nor written through.
        symlink(outside.path(), root.join(NSI_DIR)).expect("symlink");
        let cache = root.join(NSI_DIR).join("cache");
        assert!(create_dir(root, &cache).is_err());
        assert!(!is_own_dir(root, &cache));
        assert!(!outside.path().join("cache").exists());
        fs::remove_file(root.join(NSI_DIR)).expect("unlink");
        create_dir(root, &cache).expect("made");
        // Files: a link to a device, a FIFO, a file over the cap.
        symlink("/dev/zero", cache.join("zero.bin")).expect("symlink");
        assert!(read(&cache.join("zero.bin"), 1024).is_err());
        let status = std::process::Command::new("mkfifo")
            .arg(cache.join("fifo.bin"))
            .status()
            .expect("mkfifo");
        assert!(status.success());
        assert!(read(&cache.join("fifo.bin"), 1024).is_err());
        fs::write(cache.join("big.bin"), vec![0u8; 2048]).expect("write");
        assert!(read(&cache.join("big.bin"), 1024).is_err());
        assert_eq!(
            read(&cache.join("big.bin"), 4096).expect("read").len(),
            2048
        );
        // A lock that is a link is replaced, and what it pointed to is never made.
        let target = outside.path().join("made-by-a-link");
        symlink(&target, cache.join("index.lock")).expect("symlink");
        open_lock(&cache.join("index.lock")).expect("a lock");
        assert!(!target.exists());
        assert!(
            fs::symlink_metadata(cache.join("index.lock"))
                .expect("there")
                .is_file()
        );
    }
}
