//! Who builds the index, and when: one build at a time, under a lock in the cache folder
//! ([`build_locked`], what `nsi index` does), and the build a search starts in the background
//! when it finds no current index ([`start_in_background`]).
//!
//! The protocol: a build holds an exclusive lock on `index.lock` in the cache folder while it
//! runs. `nsi index` waits for a build already running and then finds the index current. A
//! search starts a build only when the lock is free, the configuration allows it and the cache
//! folder can be written. Where the file system cannot lock (NFS without a lock manager says
//! `ENOLCK`), builds run unguarded: the cache's writes are atomic all the same.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::cache::{LoadedIndex, load_index};
use super::ranking::SearchableNames;
use crate::catalogue::config::Config;
use crate::catalogue::load::LoadError;
use crate::catalogue::private_files;

/// The name of the lock a build of the index holds, in the cache folder.
pub const LOCK_FILE: &str = "index.lock";

/// Open the lock a build holds while it runs, in the cache folder `cache_dir` of the
/// catalogue under `root` (created if needed, never through a link; a lock that is a link is
/// replaced, so it never makes nsi create a file where it points).
pub fn open_build_lock(root: &Path, cache_dir: &Path) -> std::io::Result<fs::File> {
    private_files::create_dir(root, cache_dir)?;
    private_files::open_lock(&cache_dir.join(LOCK_FILE))
}

/// What happened on the way to the lock, for the caller to tell the user.
#[derive(Debug)]
pub enum LockEvent<'e> {
    /// Another build holds the lock: waiting for it to finish.
    Waiting,
    /// The lock cannot be taken here: building without it.
    Unguarded(&'e std::io::Error),
}

/// Why `nsi index` could not build and save the index.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The cache folder cannot be written (nor the lock made in it).
    #[error("cannot write the cache folder {}: {source}", dir.display())]
    NotWritable {
        /// The cache folder.
        dir: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The index was built but could not be saved.
    #[error(
        "cannot write the cache folder {}: the index was built but could not be saved",
        dir.display()
    )]
    NotSaved {
        /// The cache folder.
        dir: PathBuf,
    },
    /// The catalogue's entry files cannot be listed.
    #[error(transparent)]
    Load(#[from] LoadError),
}

/// Build the index of the catalogue under `root` into the cache in `cache_dir` while holding
/// the build lock, or find it current once a build already running has finished (what `nsi
/// index` does). `events` hears of waiting and of building without the lock; `progress(done,
/// total)` of the files read. The index returned was saved ([`LoadedIndex::cache_path`] is
/// set).
pub fn build_locked(
    root: &Path,
    names: &SearchableNames,
    cache_dir: &Path,
    progress: &(dyn Fn(usize, usize) + Sync),
    events: &dyn Fn(LockEvent<'_>),
) -> Result<LoadedIndex, BuildError> {
    let lock = open_build_lock(root, cache_dir).map_err(|source| BuildError::NotWritable {
        dir: cache_dir.to_path_buf(),
        source,
    })?;
    match lock.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => {
            events(LockEvent::Waiting);
            if let Err(error) = lock.lock() {
                events(LockEvent::Unguarded(&error));
            }
        }
        Err(fs::TryLockError::Error(error)) => events(LockEvent::Unguarded(&error)),
    }
    let index = load_index(root, names, cache_dir, progress)?;
    drop(lock);
    if index.cache_path.is_none() {
        return Err(BuildError::NotSaved {
            dir: cache_dir.to_path_buf(),
        });
    }
    Ok(index)
}

/// What became of a background build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Background {
    /// `nsi index` was started, detached.
    Started,
    /// A build is already running.
    Running,
    /// `index_in_background` is off.
    Off,
    /// This process is not the `nsi` command (a test, or another program using the library),
    /// so there is no `nsi index` to start.
    NotTheCommand,
    /// The cache folder cannot be written.
    NotWritable,
    /// The process could not be started.
    NotStarted,
}

impl Background {
    /// What became of the build, as a clause to follow where the index came from.
    pub fn note(self) -> &'static str {
        match self {
            Background::Started => "; building the index in the background",
            Background::Running => "; an index build is already running",
            Background::Off => "; not building it (index_in_background is off)",
            Background::NotTheCommand => "; not building it (not run as `nsi`)",
            Background::NotWritable => "; cannot build it (the cache folder is not writable)",
            Background::NotStarted => "; cannot build it (`nsi index` did not start)",
        }
    }
}

/// How to start `nsi index` for a catalogue root: the command line knows its own program and
/// flags, and gives the command to run (this module detaches and silences it).
pub type IndexCommand<'c> = &'c dyn Fn(&Path) -> std::io::Result<Command>;

/// Start a build of the index of the catalogue under `root` with `command` (`None` when this
/// process is not the nsi command), detached and silent, unless one is running, the
/// configuration says not to, or the cache folder cannot be written.
pub fn start_in_background(
    root: &Path,
    config: &Config,
    command: Option<IndexCommand<'_>>,
) -> Background {
    if !config.index_in_background {
        return Background::Off;
    }
    let Some(command) = command else {
        return Background::NotTheCommand;
    };
    let Ok(lock) = open_build_lock(root, &config.cache_dir_in(root)) else {
        return Background::NotWritable;
    };
    match lock.try_lock() {
        // Released at once: the build takes it. (Without locks, builds are not counted.)
        Ok(()) | Err(fs::TryLockError::Error(_)) => drop(lock),
        Err(fs::TryLockError::WouldBlock) => return Background::Running,
    }
    let Ok(mut command) = command(root) else {
        return Background::NotStarted;
    };
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    // Out of the terminal's process group (a Ctrl-C meant for a later command does not reach
    // it); on Windows, without the console too.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    #[cfg(windows)]
    {
        const DETACHED_PROCESS: u32 = 0x0000_0008;
        const CREATE_NEW_PROCESS_GROUP: u32 = 0x0000_0200;
        std::os::windows::process::CommandExt::creation_flags(
            &mut command,
            DETACHED_PROCESS | CREATE_NEW_PROCESS_GROUP,
        );
    }
    // Not waited for: it outlives this process, and its result is the cache it writes.
    match command.spawn() {
        Ok(_) => Background::Started,
        Err(_) => Background::NotStarted,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Without the nsi command to start (a test binary would start itself), or with the
    /// setting off, no build starts and nothing is written.
    #[test]
    fn a_build_starts_only_when_allowed_and_there_is_a_command() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert_eq!(
            start_in_background(dir.path(), &Config::default(), None),
            Background::NotTheCommand
        );
        assert!(!dir.path().join(".nsi").exists(), "nothing written");
        let off = Config {
            index_in_background: false,
            ..Config::default()
        };
        let never = |_: &Path| -> std::io::Result<Command> { panic!("not started") };
        assert_eq!(
            start_in_background(dir.path(), &off, Some(&never)),
            Background::Off
        );
        let failing =
            |_: &Path| -> std::io::Result<Command> { Err(std::io::Error::other("no program")) };
        assert_eq!(
            start_in_background(dir.path(), &Config::default(), Some(&failing)),
            Background::NotStarted
        );
    }

    /// A build already holding the lock is reported as running, and `nsi index` waits for it.
    #[test]
    fn a_held_lock_means_a_build_is_running() {
        let dir = tempfile::tempdir().expect("temp dir");
        let cache = Config::default().cache_dir_in(dir.path());
        let held = open_build_lock(dir.path(), &cache).expect("lock");
        if held.try_lock().is_err() {
            return; // no locks on this file system
        }
        let never = |_: &Path| -> std::io::Result<Command> { panic!("not started") };
        assert_eq!(
            start_in_background(dir.path(), &Config::default(), Some(&never)),
            Background::Running
        );
    }
}
