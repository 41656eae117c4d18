//! `nsi index`: build the search index now and keep it in the cache, and the background build
//! `nsi search` starts when it finds none.

use std::path::Path;
use std::process::{Command, ExitCode, Stdio};

use crate::catalogue::config::Config;
use crate::catalogue::search::index::{IndexSource, open_build_lock};
use crate::cli::GlobalArgs;
use crate::cli::error::CliError;

/// Build the search index and save it in the cache folder, so that searches read it.
///
/// `nsi search` starts this in the background when it finds no current index, and answers
/// meanwhile by reading every file and parsing those that may match (set
/// `index_in_background = false` in nsi.toml, or `NSI_INDEX_IN_BACKGROUND=false`, to stop it).
/// Run it yourself after a clone, in a container image, or before timing searches. It waits
/// for a build already running, and does nothing when the index is current.
///
/// Examples:
///   nsi index
///   nsi index --quiet && nsi search redaction
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {}

/// Run `nsi index`.
pub fn run(global: &GlobalArgs, _args: &Args) -> Result<ExitCode, CliError> {
    let root = global.root()?;
    let config = global.config(&root)?.config;
    let cache_dir = config.cache_dir_in(&root);
    let not_writable = |error: std::io::Error| {
        CliError::io(format!(
            "cannot write the cache folder {}: {error}",
            cache_dir.display()
        ))
        .with_hint("set cache_dir in nsi.toml, or NSI_CACHE_DIR, to a folder nsi may write")
    };
    let lock = open_build_lock(&root, &cache_dir).map_err(not_writable)?;
    // Another build is running: wait for it, then find the index current. Where the file
    // cannot be locked (NFS without a lock manager says ENOLCK), build unguarded: the cache
    // was just shown writable, and its writes are atomic all the same.
    match lock.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            if !global.quiet {
                anstream::eprintln!("waiting for the index build in progress…");
            }
            if let Err(error) = lock.lock()
                && global.verbose
            {
                anstream::eprintln!("building without the lock: {error}");
            }
        }
        Err(std::fs::TryLockError::Error(error)) => {
            if global.verbose {
                anstream::eprintln!("building without the lock: {error}");
            }
        }
    }
    let reference = crate::catalogue::reference::Reference::for_root(&root)
        .map_err(|e| CliError::io(e.to_string()))?;
    let index = super::search::build_index(global, &root, &reference, &config)?;
    drop(lock);
    let Some(path) = &index.cache_path else {
        return Err(not_writable(std::io::Error::other(
            "the index was built but could not be saved",
        )));
    };
    if !global.quiet {
        let view = index.view();
        let entries = view.entries().len();
        let skipped = view.skipped().len();
        let what = if index.source == IndexSource::Cache && !index.was_rebuilt() {
            "is current"
        } else {
            "was built"
        };
        let skipped = if skipped > 0 {
            format!("; {skipped} file(s) could not be read as entries (run `nsi validate`)")
        } else {
            String::new()
        };
        anstream::eprintln!(
            "the search index {what}: {entries} entries in {}{skipped}",
            path.display()
        );
    }
    Ok(ExitCode::SUCCESS)
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

/// Start `nsi index` for the catalogue under `root`, detached and silent, unless one is
/// running, the configuration says not to, or the cache folder cannot be written.
pub fn start_in_background(root: &Path, config: &Config) -> Background {
    if !config.index_in_background {
        return Background::Off;
    }
    if !crate::cli::is_the_command() {
        return Background::NotTheCommand;
    }
    let Ok(lock) = open_build_lock(root, &config.cache_dir_in(root)) else {
        return Background::NotWritable;
    };
    match lock.try_lock() {
        // Released at once: the build takes it. (Without locks, builds are not counted.)
        Ok(()) | Err(std::fs::TryLockError::Error(_)) => drop(lock),
        Err(std::fs::TryLockError::WouldBlock) => return Background::Running,
    }
    // Absolute paths: `current_exe` may be relative to this process's working folder.
    let (Ok(program), Ok(root)) = (
        std::env::current_exe().and_then(std::path::absolute),
        std::path::absolute(root),
    ) else {
        return Background::NotStarted;
    };
    let mut command = Command::new(program);
    command
        .arg("--catalogue")
        .arg(&root)
        .args(["--quiet", "--color", "never", "index"])
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

    /// A test binary is not nsi: starting "nsi index" would start the test binary again.
    #[test]
    fn only_the_nsi_command_starts_a_build() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert!(!crate::cli::is_the_command());
        assert_eq!(
            start_in_background(dir.path(), &Config::default()),
            Background::NotTheCommand
        );
        assert!(!dir.path().join(".nsi").exists(), "nothing written");
        let off = Config {
            index_in_background: false,
            ..Config::default()
        };
        assert_eq!(start_in_background(dir.path(), &off), Background::Off);
    }
}
