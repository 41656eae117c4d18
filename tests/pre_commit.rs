//! The pre-commit hooks (`.pre-commit-hooks.yaml`), run by the real `pre-commit` from the Python Package Index
//! (scripts/test installs it in target/test-tools/pre-commit) with `pre-commit try-repo`
//! against this repository, on a scratch catalogue in a git repository of its own, with the
//! nsi under test on `PATH` (the hooks are `language: system`).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::REPO;
use common::git::git_in;

/// Where scripts/test installs pre-commit.
fn pre_commit() -> PathBuf {
    let path = Path::new(REPO).join("target/test-tools/pre-commit/bin/pre-commit");
    assert!(
        path.is_file(),
        "{} is missing: scripts/test installs pre-commit there (a virtual environment with \
         `pip install pre-commit`)",
        path.display()
    );
    path
}

fn entry(id: &str, force: &str) -> String {
    std::fs::read_to_string(Path::new(REPO).join("tests/data/minimal-entry.yaml"))
        .expect("template")
        .replace("ID", id)
        .replace("FORCE", force)
}

/// A git repository holding a catalogue (no schema/: nsi's embedded copy serves it) with the
/// given entries, staged.
fn scratch(entries: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("scratch");
    git_in(dir.path(), &["init", "-q"]);
    for (path, text) in entries {
        let file = dir.path().join("catalogue").join(path);
        std::fs::create_dir_all(file.parent().expect("folder")).expect("mkdir");
        std::fs::write(file, text).expect("entry");
    }
    git_in(dir.path(), &["add", "-A"]);
    dir
}

/// `pre-commit try-repo <this repository> HOOK ARGS…` in `dir`: (exit code, output).
fn try_repo(dir: &Path, hook: &str, args: &[&str]) -> (i32, String) {
    let nsi = assert_cmd::cargo::cargo_bin("nsi");
    let path = format!(
        "{}:{}",
        nsi.parent().expect("bin folder").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let output = Command::new(pre_commit())
        .args(["try-repo", REPO, hook, "--color", "never"])
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", path)
        .env("HOME", dir)
        .env("PRE_COMMIT_HOME", dir.join(".pre-commit-home"))
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("NSI_TODAY", "2026-11-28")
        .env("NSI_INDEX_IN_BACKGROUND", "false")
        .output()
        .expect("pre-commit runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    println!("──── pre-commit try-repo {hook} {args:?} ────\n{text}");
    (output.status.code().unwrap_or(-1), text)
}

#[test]
fn nsi_validate_fails_on_a_bad_entry_naming_the_file_and_line_and_passes_on_a_good_one() {
    let bad = entry("alpha-tool", "essex");
    let dir = scratch(&[
        ("kent/alpha-tool.yaml", &bad),
        ("kent/beta-tool.yaml", &entry("beta-tool", "kent")),
    ]);
    let line = bad
        .lines()
        .position(|l| l == "owner_force: essex")
        .expect("line")
        + 1;
    // The staged files, as a commit would run it, and the whole catalogue.
    for args in [&[][..], &["--all-files"][..]] {
        let (code, output) = try_repo(dir.path(), "nsi-validate", args);
        assert_eq!(code, 1, "the hook fails\n{output}");
        assert!(
            output.contains("nsi validate....") && output.contains("Failed"),
            "{output}"
        );
        assert!(
            output.contains(&format!(
                "catalogue/kent/alpha-tool.yaml:{line}:14: error[NSI202]: the owner force \
                 `essex` differs from the folder `kent/`"
            )),
            "the file, line and column of the finding\n{output}"
        );
        assert!(!output.contains("beta-tool.yaml:"), "{output}");
    }

    std::fs::write(
        dir.path().join("catalogue/kent/alpha-tool.yaml"),
        entry("alpha-tool", "kent"),
    )
    .expect("fix");
    git_in(dir.path(), &["add", "-A"]);
    let (code, output) = try_repo(dir.path(), "nsi-validate", &["--all-files"]);
    assert_eq!(code, 0, "{output}");
    assert!(output.contains("Passed"), "{output}");
}

#[test]
fn nsi_fmt_rewrites_an_entry_in_canonical_form_and_then_passes() {
    // Valid, but not as nsi fmt writes it: a flow list and a double-quoted date.
    let loose = entry("alpha-tool", "kent")
        .replace(
            "categories:\n  - data-analytics",
            "categories: [data-analytics]",
        )
        .replace("created: '2026-01-15'", "created: \"2026-01-15\"");
    let dir = scratch(&[("kent/alpha-tool.yaml", &loose)]);
    let (code, output) = try_repo(dir.path(), "nsi-fmt", &["--all-files"]);
    assert_eq!(code, 1, "{output}");
    assert!(
        output.contains("files were modified by this hook"),
        "{output}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("catalogue/kent/alpha-tool.yaml")).expect("file"),
        entry("alpha-tool", "kent")
    );
    git_in(dir.path(), &["add", "-A"]);
    let (code, output) = try_repo(dir.path(), "nsi-fmt", &["--all-files"]);
    assert_eq!(code, 0, "{output}");
}
