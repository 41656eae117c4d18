//! A new user's first minutes: the README's own commands, a fresh clone with no search cache,
//! and a catalogue in a repository with no commits yet — every command works or says in words
//! what is missing.

use std::fs;
use std::path::Path;

use super::common::git::{GitRepo, git_in};
use super::common::{REPO, copy_dir, nsi};
use super::show;

/// The commands of the README's first code block.
fn readme_commands() -> Vec<String> {
    let readme = fs::read_to_string(Path::new(REPO).join("README.md")).expect("README");
    let block = readme
        .split("```sh\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a sh block at the top of the README");
    block
        .lines()
        .map(|line| line.split(" #").next().unwrap_or(line).trim().to_owned())
        .filter(|line| !line.is_empty())
        .collect()
}

#[test]
fn the_readme_starts_with_the_two_commands_ci_runs() {
    let commands = readme_commands();
    assert_eq!(commands.len(), 2, "{commands:?}");
    assert_eq!(
        commands[0],
        "cargo run --release -- search \"case file redaction\""
    );
    assert_eq!(commands[1], "scripts/test");
    let ci = fs::read_to_string(Path::new(REPO).join(".ci/run")).expect(".ci/run");
    assert!(
        ci.lines().any(|l| l.trim() == commands[1]),
        ".ci/run calls the README's test command as written"
    );
    let script = fs::read_to_string(Path::new(REPO).join("scripts/test")).expect("scripts/test");
    assert!(script.contains("npm ci --prefix tests/browser"));
    assert!(script.contains("apt-get"));
    assert!(
        script
            .trim_end()
            .ends_with("exec cargo test --locked \"$@\"")
    );
}

#[test]
fn nothing_in_the_repository_points_outside_it() {
    let mut folders = vec![Path::new(REPO).to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder).expect("folder") {
            let path = entry.expect("entry").path();
            let name = path
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            if ["target", "node_modules", ".git", ".nsi"].contains(&name.as_str()) {
                continue;
            }
            if path.is_dir() {
                folders.push(path);
            } else if let Ok(text) = fs::read_to_string(&path) {
                // Spelled in two pieces so this file does not match itself.
                let outside = format!("../{}/", "shared");
                assert!(
                    !text.contains(&outside),
                    "{} refers to a folder outside the repository",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn a_fresh_clone_searches_as_the_readme_says_without_any_cache() {
    let origin = GitRepo::shipped();
    let clone = tempfile::tempdir().expect("clone");
    let url = format!("file://{}", origin.path().display());
    git_in(clone.path(), &["clone", "-q", &url, "index"]);
    let root = clone.path().join("index");
    assert!(!root.join(".nsi").exists());
    // The README's first command, run as the binary it builds.
    let command = readme_commands().remove(0);
    let query = command
        .split_once("search ")
        .map(|(_, q)| q.trim_matches('"'))
        .expect("a search");
    let output = nsi(&root)
        .args(["search", "-v", query])
        .output()
        .expect("run");
    let (found, said) = (
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    show("nsi search (fresh clone)", &format!("{said}{found}"));
    assert_eq!(output.status.code(), Some(0));
    let ids: Vec<&str> = found.lines().collect();
    assert!(ids.contains(&"cps-evidence-redaction-tool"), "{found}");
    assert!(ids.contains(&"case-file-redaction-assistant"), "{found}");
    assert!(said.contains("search index built and saved"), "{said}");
    let again = nsi(&root)
        .args(["search", "-v", query])
        .output()
        .expect("run");
    assert!(String::from_utf8_lossy(&again.stderr).contains("search index read from"));
    assert_eq!(
        again.stdout, output.stdout,
        "the cache answers as the files did"
    );
}

#[test]
fn a_catalogue_without_history_exports_and_says_what_is_missing() {
    let dir = tempfile::tempdir().expect("dir");
    copy_dir(
        &Path::new(REPO).join("catalogue"),
        &dir.path().join("catalogue"),
    );
    copy_dir(&Path::new(REPO).join("schema"), &dir.path().join("schema"));
    git_in(dir.path(), &["init", "-q", "-b", "main"]);

    let site = dir.path().join("site");
    let export = nsi(dir.path())
        .args(["export", "--format", "html", "--out"])
        .arg(&site)
        .output()
        .expect("run");
    assert_eq!(
        export.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&export.stderr)
    );
    let feed = fs::read_to_string(site.join("changes.atom")).expect("an empty feed");
    let doc = roxmltree::Document::parse(&feed).expect("XML");
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("entry"))
            .count(),
        0
    );
    assert!(
        site.join("entries/cps-evidence-redaction-tool.html")
            .is_file()
    );

    for args in [
        &["diff"][..],
        &["review"],
        &["review", "main", "HEAD"],
        &["publish", "--dry-run"],
    ] {
        let output = nsi(dir.path()).args(args).output().expect("run");
        let said = String::from_utf8_lossy(&output.stderr);
        show(&format!("nsi {}", args.join(" ")), &said);
        assert!(
            output.status.code() == Some(2),
            "nsi {args:?} exits 2: {said}"
        );
        assert!(!said.contains("class="), "a raw libgit2 error: {said}");
        let words = if args[0] == "publish" {
            "there is no remote named `origin`"
        } else {
            "the repository has no commits yet: branch `main` is unborn"
        };
        assert!(said.contains(words), "nsi {args:?}: {said}");
    }
    let changes = nsi(dir.path()).arg("changes").output().expect("run");
    assert_eq!(changes.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&changes.stderr).contains("no commits yet"),
        "{}",
        String::from_utf8_lossy(&changes.stderr)
    );
    let history = nsi(dir.path())
        .args(["history", "cps-evidence-redaction-tool"])
        .output()
        .expect("run");
    assert_eq!(history.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&history.stdout).contains("has no committed history yet"));

    // With a remote but still no commit, publish says so too.
    let bare = tempfile::tempdir().expect("bare");
    git_in(bare.path(), &["init", "-q", "--bare"]);
    let url = format!("file://{}", bare.path().display());
    git_in(dir.path(), &["remote", "add", "origin", &url]);
    let publish = nsi(dir.path()).arg("publish").output().expect("run");
    let said = String::from_utf8_lossy(&publish.stderr);
    show("nsi publish (no commits)", &said);
    assert_eq!(publish.status.code(), Some(2));
    assert!(said.contains("no commits yet"), "{said}");
}
