//! One policy on symbolic links, whatever the command: a link (an entry's, or its force
//! folder's) that leads inside the catalogue is followed; one that leads outside is refused
//! (NSI012) by `validate`, `search` and `export`, and now by `show`, `edit` (which copies
//! nothing into a draft), `add` and `import` (which write nothing through it).

#![cfg(unix)]

mod common;

use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;

use common::nsi;

const MINIMAL: &str = include_str!("data/minimal-entry.yaml");

/// A valid entry with `id`, owned by `force`, whose title holds `marker`.
fn entry(id: &str, force: &str, marker: &str) -> String {
    MINIMAL
        .replace("id: ID", &format!("id: {id}"))
        .replace("owner_force: FORCE", &format!("owner_force: {force}"))
        .replace("title: A minimal test entry", &format!("title: {marker}"))
}

fn run(command: &mut assert_cmd::Command) -> (i32, String, String) {
    let output = command.output().expect("run");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// An editor that replaces the title, counting its calls in `calls`.
fn editor(dir: &Path) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt as _;
    let script = dir.join("editor.sh");
    let calls = dir.join("calls");
    fs::write(
        &script,
        format!(
            "#!/bin/sh\necho called >> {}\nsed 's/^title: .*/title: Edited here/' \"$1\" > \"$1.new\" && mv \"$1.new\" \"$1\"\n",
            calls.display()
        ),
    )
    .expect("editor");
    fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).expect("chmod");
    script
}

/// A catalogue, and beside it (outside it) a folder holding a valid entry `outside-entry`
/// whose title is a secret.
fn catalogue_and_outside() -> (tempfile::TempDir, tempfile::TempDir) {
    let dir = common::catalogue(&[("kent/real-entry.yaml", &entry("real-entry", "kent", "Real"))]);
    let outside = tempfile::tempdir().expect("temp dir");
    fs::write(
        outside.path().join("outside-entry.yaml"),
        entry("outside-entry", "kent", "Outside secret"),
    )
    .expect("write");
    (dir, outside)
}

#[test]
fn show_and_edit_refuse_an_entry_linked_from_outside_and_copy_nothing() {
    let (dir, outside) = catalogue_and_outside();
    let target = outside.path().join("outside-entry.yaml");
    let link = dir.path().join("catalogue/kent/outside-entry.yaml");
    symlink(&target, &link).expect("symlink");
    let before = fs::read_to_string(&target).expect("read");

    for format in ["text", "yaml", "json"] {
        let (code, out, err) =
            run(nsi(dir.path()).args(["show", "outside-entry", "--format", format]));
        assert_eq!(code, 1, "{format}: {out}{err}");
        assert!(
            !out.contains("Outside secret"),
            "{format} printed it: {out}"
        );
        assert!(err.contains("leads outside the catalogue"), "{err}");
        assert!(err.contains("catalogue/kent/outside-entry.yaml"), "{err}");
    }

    let editor = editor(dir.path());
    let (code, out, err) = run(nsi(dir.path())
        .args(["edit", "outside-entry"])
        .env("EDITOR", &editor));
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("leads outside the catalogue"), "{err}");
    assert!(
        !dir.path().join("calls").exists(),
        "the editor never opened"
    );
    assert!(
        !dir.path().join(".nsi/drafts").exists(),
        "nothing was copied into a draft"
    );
    assert!(
        fs::symlink_metadata(&link)
            .expect("the link")
            .file_type()
            .is_symlink(),
        "the link is still a link"
    );
    assert_eq!(fs::read_to_string(&target).expect("read"), before);

    // validate and search refuse it the same way.
    let (code, out, _) = run(nsi(dir.path()).args(["validate"]));
    assert_eq!(code, 1);
    assert!(out.contains("NSI012"), "{out}");
    let (_, out, _) = run(nsi(dir.path()).args(["search", "secret", "--format", "ids"]));
    assert!(!out.contains("outside-entry"), "{out}");
}

#[test]
fn a_force_folder_linked_from_outside_is_refused_too() {
    let (dir, outside) = catalogue_and_outside();
    symlink(outside.path(), dir.path().join("catalogue/essex")).expect("symlink");
    let (code, out, err) = run(nsi(dir.path()).args(["show", "outside-entry"]));
    assert_eq!(code, 1, "{out}{err}");
    assert!(!out.contains("Outside secret"), "{out}");
    assert!(err.contains("catalogue/essex/outside-entry.yaml"), "{err}");
    assert!(err.contains("leads outside the catalogue"), "{err}");
}

#[test]
fn show_and_edit_follow_a_link_inside_the_catalogue_and_edit_keeps_it_a_link() {
    let dir = common::catalogue(&[("kent/real-entry.yaml", &entry("real-entry", "kent", "Real"))]);
    // The file lives in a hidden store inside the catalogue (discovery does not list it);
    // the entry is a link to it.
    let store = dir.path().join("catalogue/.store");
    fs::create_dir_all(&store).expect("mkdir");
    fs::write(
        store.join("linked-entry.yaml"),
        entry("linked-entry", "kent", "Linked inside"),
    )
    .expect("write");
    let link = dir.path().join("catalogue/kent/linked-entry.yaml");
    symlink("../.store/linked-entry.yaml", &link).expect("symlink");

    let (code, out, err) = run(nsi(dir.path()).args(["show", "linked-entry"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Linked inside"), "{out}");

    let editor = editor(dir.path());
    let (code, out, err) = run(nsi(dir.path())
        .args(["edit", "linked-entry"])
        .env("EDITOR", &editor));
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        fs::symlink_metadata(&link)
            .expect("the link")
            .file_type()
            .is_symlink(),
        "the link is still a link"
    );
    let written = fs::read_to_string(store.join("linked-entry.yaml")).expect("read");
    assert!(written.contains("title: Edited here"), "{written}");
}

#[test]
fn add_and_import_write_nothing_through_a_force_folder_linked_outside() {
    let (dir, outside) = catalogue_and_outside();
    symlink(outside.path(), dir.path().join("catalogue/essex")).expect("symlink");
    let listing = |path: &Path| {
        let mut names: Vec<_> = fs::read_dir(path)
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        names.sort();
        names
    };
    let before = listing(outside.path());

    let new = entry("brand-new-entry", "essex", "Brand new");
    fs::write(dir.path().join("new.yaml"), &new).expect("write");
    let (code, out, err) = run(nsi(dir.path()).args(["add", "--from", "new.yaml", "--yes"]));
    assert_ne!(code, 0, "{out}{err}");
    assert!(err.contains("leads outside the catalogue"), "{err}");
    assert!(
        err.contains("catalogue/essex/brand-new-entry.yaml"),
        "{err}"
    );
    assert_eq!(listing(outside.path()), before, "nothing written outside");

    let csv = "title,owner_force,categories,phase,summary,problem_statement,rationale,\
technology.stack,technology.deployment,technology.licence,skills.role,skills.level,\
documentation.type,documentation.availability,contacts.name,contacts.email,aftercare.level
Imported Thing,essex,data-analytics,beta,A summary of the imported thing for the tests.,A problem statement long enough for the tests.,A rationale for the tests to read.,Python,cloud,MIT,data,working,dpia,on-request,A Person,a@essex.police.example,none
";
    fs::write(dir.path().join("new.csv"), csv).expect("csv");
    let (code, out, err) = run(nsi(dir.path()).args(["import", "--csv", "new.csv"]));
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("row 2: error:"), "{out}");
    assert!(out.contains("leads outside the catalogue"), "{out}");
    assert!(out.contains("0 created, 1 failed"), "{out}");
    assert_eq!(listing(outside.path()), before, "nothing written outside");
}

#[test]
fn add_writes_through_a_force_folder_linked_inside() {
    let dir = common::catalogue(&[("kent/real-entry.yaml", &entry("real-entry", "kent", "Real"))]);
    let store = dir.path().join("catalogue/.essex-store");
    fs::create_dir_all(&store).expect("mkdir");
    symlink(".essex-store", dir.path().join("catalogue/essex")).expect("symlink");
    let new = entry("brand-new-entry", "essex", "Brand new");
    fs::write(dir.path().join("new.yaml"), &new).expect("write");
    let (code, out, err) = run(nsi(dir.path()).args(["add", "--from", "new.yaml", "--yes"]));
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out.trim(), "catalogue/essex/brand-new-entry.yaml");
    assert!(store.join("brand-new-entry.yaml").is_file());
}
