//! Writing a file so that a crash or a full disk leaves the old file or the new one, never half
//! of either, and never a rename the file system forgets: the bytes go to a hidden temporary
//! file beside the target, which is synced, renamed into place, and then its folder is synced
//! so that the rename itself is on disk (as git and rustup do). Entries written by
//! `nsi add`, `nsi edit`, `nsi import` and `nsi fmt` all go through here.

use std::fs;
use std::io::{self, Read as _, Write as _};
use std::path::Path;

use super::load::folder_of;

/// A temporary file in the folder of `path`, hidden (discovery skips names starting with a
/// dot, so a run interrupted half-way never leaves an "entry" behind).
fn temporary_beside(path: &Path) -> io::Result<tempfile::NamedTempFile> {
    #[cfg_attr(not(unix), allow(unused_mut, reason = "only Unix sets permissions"))]
    let mut builder = tempfile::Builder::new();
    builder.prefix(".nsi-").suffix(".tmp");
    // A temporary file is private (0600); an entry is read like any other file of the clone.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    builder.tempfile_in(folder_of(path))
}

/// How much a write must survive a crash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// What a person wrote or will publish (entries, drafts, exports): the file and the
    /// rename are synced to disk before the write returns.
    Durable,
    /// What nsi can make again (the search cache): no sync; lost in a crash, it is rebuilt,
    /// and a torn one fails its checksum.
    Disposable,
}

/// Replace the file at `path` with `bytes` (or create it), giving the new file `permissions`
/// when given, durably. A symbolic link at `path` is replaced, not followed: callers that mean
/// to write through a link resolve it first.
pub fn replace(path: &Path, bytes: &[u8], permissions: Option<fs::Permissions>) -> io::Result<()> {
    replace_with(path, permissions, Durability::Durable, |out| {
        out.write_all(bytes)
    })
}

/// [`replace`], the content written by `write` as it is made (through a buffer, so a large
/// export is never held in memory whole), as durably as `durability` says. The one atomic
/// write of nsi: every file it writes goes through here or [`create_new`].
pub fn replace_with(
    path: &Path,
    permissions: Option<fs::Permissions>,
    durability: Durability,
    write: impl FnOnce(&mut dyn io::Write) -> io::Result<()>,
) -> io::Result<()> {
    let mut temporary = temporary_beside(path)?;
    {
        let mut out = io::BufWriter::new(temporary.as_file_mut());
        write(&mut out).map_err(plain)?;
        out.flush().map_err(plain)?;
    }
    if let Some(permissions) = permissions {
        temporary.as_file().set_permissions(permissions)?;
    }
    if durability == Durability::Durable {
        temporary.as_file().sync_all()?;
    }
    temporary.persist(path).map_err(|e| e.error)?;
    match durability {
        Durability::Durable => sync_folder(folder_of(path)),
        Durability::Disposable => Ok(()),
    }
}

/// Create the file at `path` holding `bytes`, refusing (with [`io::ErrorKind::AlreadyExists`])
/// when anything is there already, even a dangling link: the file is linked into place only
/// if the name is free, so a file that appears meanwhile is never overwritten.
pub fn create_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut temporary = temporary_beside(path)?;
    temporary.write_all(bytes).map_err(plain)?;
    temporary.as_file().sync_all()?;
    temporary.persist_noclobber(path).map_err(|e| e.error)?;
    sync_folder(folder_of(path))
}

/// Whether the file at `path` still holds exactly `expected`: the one guard of every rewrite
/// of a file someone may change meanwhile (`nsi edit` while the editor was open, `nsi fmt`
/// while it formatted), checked just before the new content is written. Reads at most one
/// byte more than `expected`.
pub fn still_holds(path: &Path, expected: &[u8]) -> io::Result<bool> {
    let mut now = Vec::with_capacity(expected.len() + 1);
    fs::File::open(path)?
        .take(expected.len() as u64 + 1)
        .read_to_end(&mut now)?;
    Ok(now == expected)
}

/// An error of the temporary file as the system gave it: the temporary's name, which the
/// file does not keep, would only confuse a message about the file written.
fn plain(error: io::Error) -> io::Error {
    error
        .raw_os_error()
        .map_or(error, io::Error::from_raw_os_error)
}

/// Make a rename or a new name in `dir` durable. Only Unix can open a folder to sync it;
/// elsewhere the rename is as durable as the file system makes it.
fn sync_folder(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    fs::File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replace_and_create_leave_only_the_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.yaml");
        create_new(&path, b"one\n").expect("created");
        let error = create_new(&path, b"two\n").expect_err("exists");
        assert_eq!(error.kind(), io::ErrorKind::AlreadyExists);
        replace(&path, b"three\n", None).expect("replaced");
        assert_eq!(fs::read(&path).expect("read"), b"three\n");
        let names: Vec<_> = fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, ["a.yaml"], "no temporary file is left behind");
    }
}
