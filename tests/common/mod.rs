//! What the end-to-end tests share: temporary catalogues and the binary run in a cleared,
//! stable environment.

#![allow(dead_code, reason = "each test crate uses a different part")]

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use tempfile::TempDir;

/// The repository root.
pub const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// Copy a folder tree.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for entry in fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).expect("copy");
        }
    }
}

/// A catalogue root holding the repository's `schema/` and the given entries
/// (`(path under catalogue/, text)`).
pub fn catalogue(entries: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&Path::new(REPO).join("schema"), &dir.path().join("schema"));
    fs::create_dir_all(dir.path().join("catalogue")).expect("catalogue dir");
    for (path, text) in entries {
        let file = dir.path().join("catalogue").join(path);
        fs::create_dir_all(file.parent().expect("parent")).expect("force dir");
        fs::write(file, text).expect("write entry");
    }
    dir
}

/// A private copy of the shipped catalogue and schema.
pub fn shipped() -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(
        &Path::new(REPO).join("catalogue"),
        &dir.path().join("catalogue"),
    );
    copy_dir(&Path::new(REPO).join("schema"), &dir.path().join("schema"));
    dir
}

/// The binary, run in `dir` with an environment that makes output stable: no colour, 100
/// columns, a fixed "today", `HOME` in the temporary folder.
pub fn nsi(dir: &Path) -> Command {
    let mut command = Command::cargo_bin("nsi").expect("binary");
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env("NSI_TODAY", "2026-11-28")
        .current_dir(dir);
    command
}
