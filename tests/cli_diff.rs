//! `nsi diff` and `nsi history` against real git repositories built in the tests.

mod common;

use common::git::GitRepo;
use common::{nsi, stdout_of};
use serde_json::Value;

const DRONE: &str = "catalogue/avon-and-somerset/drone-flight-log.yaml";

fn json_of(repo: &GitRepo, args: &[&str]) -> Value {
    let text = stdout_of(nsi(repo.path()).args(args));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

fn fields(entry: &Value) -> Vec<String> {
    entry["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f["field"].as_str().expect("field").to_owned())
        .collect()
}

fn entry<'a>(diff: &'a Value, id: &str) -> &'a Value {
    diff["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .find(|e| e["id"] == id)
        .unwrap_or_else(|| panic!("{id} not in {diff:#}"))
}

#[test]
fn diff_between_commits_lists_each_changed_field() {
    let repo = GitRepo::shipped();
    repo.edit(
        DRONE,
        "title: Drone Unit Flight Log",
        "title: Drone Flight Log",
    );
    repo.edit(DRONE, "  - caa\n", "  - caa\n  - airspace\n");
    repo.edit(DRONE, "  - rpas\n", "");
    repo.edit(
        DRONE,
        "checks, flight records, battery cycles",
        "checks, flight records, maintenance, battery cycles",
    );
    repo.edit(
        DRONE,
        "    valid_until: '2027-04-30'\n  - name: Ellie",
        "    valid_until: '2028-01-31'\n  - name: Ellie",
    );
    repo.commit_all(
        "Update the drone log",
        "Bea Editor",
        "bea@force.police.example",
    );

    let diff = json_of(&repo, &["diff", "HEAD~1", "HEAD", "--format", "json"]);
    assert_eq!(diff["entries"].as_array().expect("entries").len(), 1);
    let drone = entry(&diff, "drone-flight-log");
    assert_eq!(drone["kind"], "modified");
    assert_eq!(
        fields(drone),
        [
            "title",
            "summary",
            "tags",
            "contacts[email=rhys.morgan@avonandsomerset.police.example].valid_until"
        ]
    );
    let by_field = |name: &str| {
        drone["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .find(|f| f["field"] == name)
            .expect("field")
            .clone()
    };
    assert_eq!(by_field("title")["change"], "changed");
    assert_eq!(by_field("title")["old"], "Drone Unit Flight Log");
    assert_eq!(by_field("title")["new"], "Drone Flight Log");
    assert_eq!(by_field("tags")["change"], "items");
    assert_eq!(by_field("tags")["added"], serde_json::json!(["airspace"]));
    assert_eq!(by_field("tags")["removed"], serde_json::json!(["rpas"]));
    let summary = by_field("summary");
    assert_eq!(summary["change"], "text");
    let inserted: Vec<&str> = summary["words"]
        .as_array()
        .expect("words")
        .iter()
        .filter(|w| w["op"] == "insert")
        .map(|w| w["text"].as_str().expect("text").trim())
        .collect();
    assert_eq!(inserted, ["maintenance,"]);

    // The same diff for a person: one line per field, the word diff marked.
    let text = stdout_of(nsi(repo.path()).args(["diff", "HEAD~1", "HEAD"]));
    assert!(text.contains("1 modified"), "{text}");
    assert!(
        text.contains("title: Drone Unit Flight Log → Drone Flight Log"),
        "{text}"
    );
    assert!(text.contains("tags: + airspace  - rpas"), "{text}");
    assert!(text.contains("{+maintenance,+}"), "{text}");
    common::assert_snapshot("diff/fields.txt", &text);
    let markdown =
        stdout_of(nsi(repo.path()).args(["diff", "HEAD~1", "HEAD", "--format", "markdown"]));
    common::assert_snapshot("diff/fields.md", &markdown);
}

#[test]
fn diff_against_the_working_tree_sees_uncommitted_and_untracked_entries() {
    let repo = GitRepo::shipped();
    repo.edit(DRONE, "phase: live", "phase: scaling");
    let new_entry = repo
        .read(DRONE)
        .replace("id: drone-flight-log", "id: drone-battery-tracker")
        .replace(
            "title: Drone Unit Flight Log",
            "title: Drone Battery Tracker",
        );
    repo.write(
        "catalogue/avon-and-somerset/drone-battery-tracker.yaml",
        &new_entry,
    );

    let diff = json_of(&repo, &["diff", "HEAD", "--format", "json"]);
    assert_eq!(diff["head"], "working tree");
    assert_eq!(entry(&diff, "drone-flight-log")["kind"], "modified");
    assert_eq!(fields(entry(&diff, "drone-flight-log")), ["phase"]);
    let added = entry(&diff, "drone-battery-tracker");
    assert_eq!(added["kind"], "added");
    assert_eq!(added["title"], "Drone Battery Tracker");
    assert_eq!(
        added["path"],
        "catalogue/avon-and-somerset/drone-battery-tracker.yaml"
    );
}

#[test]
fn a_repository_whose_default_branch_is_master_needs_no_base() {
    let repo = GitRepo::shipped();
    repo.git(&["branch", "-q", "-m", "master"]);
    repo.git(&["switch", "-q", "-c", "feature"]);
    repo.edit(DRONE, "phase: live", "phase: beta");
    let diff = json_of(&repo, &["diff", "--format", "json"]);
    assert!(
        diff["base"]
            .as_str()
            .is_some_and(|b| b.starts_with("merge-base of HEAD and master")),
        "{diff}"
    );
    assert_eq!(fields(entry(&diff, "drone-flight-log")), ["phase"]);
}

#[test]
fn renames_and_moves_are_recognised_even_when_the_id_changes() {
    let repo = GitRepo::shipped();
    // Renamed: new id and file, same content otherwise.
    let text = repo
        .read(DRONE)
        .replace("id: drone-flight-log", "id: rpas-flight-log");
    std::fs::remove_file(repo.file(DRONE)).expect("remove");
    repo.write("catalogue/avon-and-somerset/rpas-flight-log.yaml", &text);
    // Moved: same id, another force's folder, new owner.
    let from = "catalogue/city-of-london/fraud-victim-contact-automation.yaml";
    let moved = repo
        .read(from)
        .replace("owner_force: city-of-london", "owner_force: derbyshire");
    std::fs::remove_file(repo.file(from)).expect("remove");
    repo.write(
        "catalogue/derbyshire/fraud-victim-contact-automation.yaml",
        &moved,
    );
    // Removed.
    let gone = "catalogue/btp/text-report-triage.yaml";
    std::fs::remove_file(repo.file(gone)).expect("remove");
    repo.commit_all("Reorganise", "Bea Editor", "bea@force.police.example");

    let diff = json_of(&repo, &["diff", "HEAD~1", "HEAD", "--format", "json"]);
    let renamed = entry(&diff, "rpas-flight-log");
    assert_eq!(renamed["kind"], "renamed");
    assert_eq!(renamed["old_id"], "drone-flight-log");
    assert_eq!(renamed["old_path"], DRONE);
    assert_eq!(fields(renamed), ["id"]);
    let moved = entry(&diff, "fraud-victim-contact-automation");
    assert_eq!(moved["kind"], "moved");
    assert_eq!(moved["old_path"], from);
    assert_eq!(fields(moved), ["owner_force"]);
    assert_eq!(entry(&diff, "text-report-triage")["kind"], "removed");
    assert_eq!(diff["entries"].as_array().expect("entries").len(), 3);
}

#[test]
fn the_default_base_is_where_the_branch_left_main() {
    let repo = GitRepo::shipped();
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.edit(DRONE, "phase: live", "phase: scaling");
    repo.commit_all("Feature work", "Bea Editor", "bea@force.police.example");
    repo.git(&["checkout", "-q", "main"]);
    let other = "catalogue/btp/text-report-triage.yaml";
    repo.edit(other, "phase: ", "phase: retired\nx_old_phase: ");
    repo.git(&["checkout", "-q", "--", other]);
    repo.edit(other, "title: ", "title: Renamed on main ");
    repo.commit_all("Main moves on", "Ada Admin", "ada@nsi.police.example");
    repo.git(&["checkout", "-q", "feature"]);

    let diff = json_of(&repo, &["diff", "--format", "json"]);
    assert!(
        diff["base"]
            .as_str()
            .expect("base")
            .starts_with("merge-base of HEAD and main"),
        "{diff:#}"
    );
    let ids: Vec<&str> = diff["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["id"].as_str().expect("id"))
        .collect();
    assert_eq!(
        ids,
        ["drone-flight-log"],
        "main's later change is not this branch's"
    );
}

#[test]
fn markdown_escapes_entry_text() {
    let repo = GitRepo::shipped();
    repo.edit(
        DRONE,
        "title: Drone Unit Flight Log",
        "title: \"<script>alert(1)</script> | @everyone **bold**\"",
    );
    let text = stdout_of(nsi(repo.path()).args(["diff", "HEAD", "--format", "markdown"]));
    assert!(!text.contains("<script>"), "{text}");
    assert!(!text.contains(" @everyone"), "{text}");
    assert!(text.contains("\\<script\\>"), "{text}");
    assert!(text.contains("\\| \\@everyone \\*\\*bold\\*\\*"), "{text}");
    assert!(
        text.contains("| `title` | Drone Unit Flight Log |"),
        "{text}"
    );
}

#[test]
fn an_unchanged_tree_has_an_empty_diff_and_bad_revisions_are_usage_errors() {
    let repo = GitRepo::shipped();
    let text = stdout_of(nsi(repo.path()).args(["diff", "HEAD"]));
    assert!(text.contains("no entries changed"), "{text}");
    nsi(repo.path())
        .args(["diff", "no-such-branch"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "`no-such-branch` is not a commit",
        ));
    let plain = common::shipped();
    nsi(plain.path())
        .args(["diff"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("is not inside a git repository"));
}

#[test]
fn history_follows_an_entry_through_a_rename() {
    let repo = GitRepo::shipped();
    repo.edit(DRONE, "phase: live", "phase: scaling");
    repo.commit_all(
        "Drone log is scaling",
        "Bea Editor",
        "bea@force.police.example",
    );
    let text = repo
        .read(DRONE)
        .replace("id: drone-flight-log", "id: rpas-flight-log");
    std::fs::remove_file(repo.file(DRONE)).expect("remove");
    let renamed = "catalogue/avon-and-somerset/rpas-flight-log.yaml";
    repo.write(renamed, &text);
    repo.commit_all("Rename to RPAS", "Cy Gatekeeper", "cy@nsi.police.example");
    repo.edit(renamed, "version: '1.6.0'", "version: '1.7.0'");
    repo.commit_all("Release 1.7", "Bea Editor", "bea@force.police.example");
    repo.edit(renamed, "version: '1.7.0'", "version: '1.7.1'");

    let history = json_of(&repo, &["history", "rpas-flight-log", "--format", "json"]);
    let steps = history.as_array().expect("steps");
    let summary: Vec<(String, String, String)> = steps
        .iter()
        .map(|s| {
            (
                s["commit"]["summary"]
                    .as_str()
                    .unwrap_or("(uncommitted)")
                    .to_owned(),
                s["change"]["kind"].as_str().expect("kind").to_owned(),
                s["commit"]["author"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            )
        })
        .collect();
    let expected = [
        ("(uncommitted)", "modified", ""),
        ("Release 1.7", "modified", "Bea Editor"),
        ("Rename to RPAS", "renamed", "Cy Gatekeeper"),
        ("Drone log is scaling", "modified", "Bea Editor"),
        ("Initial catalogue", "added", "Ada Admin"),
    ];
    assert_eq!(
        summary,
        expected.map(|(a, b, c)| (a.to_owned(), b.to_owned(), c.to_owned()))
    );
    assert_eq!(steps[1]["commit"]["date"], "2026-01-04T10:00:00+00:00");
    assert_eq!(steps[2]["change"]["old_id"], "drone-flight-log");
    assert_eq!(steps[3]["change"]["fields"][0]["field"], "phase");

    let text = stdout_of(nsi(repo.path()).args(["history", "rpas-flight-log"]));
    assert!(text.contains("rpas-flight-log: 5 changes"), "{text}");
    assert!(text.contains("version: 1.6.0 → 1.7.0"), "{text}");
    nsi(repo.path())
        .args(["history", "rpas-flight-lgo"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("rpas-flight-log"));

    // The old id is still found: up to the rename that took it away.
    let old = json_of(&repo, &["history", "drone-flight-log", "--format", "json"]);
    let kinds: Vec<&str> = old
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| s["change"]["kind"].as_str().expect("kind"))
        .collect();
    assert_eq!(kinds, ["renamed", "modified", "added"]);
    assert_eq!(old[0]["change"]["id"], "rpas-flight-log");

    // And an entry since removed keeps its audit trail, removal first.
    repo.git(&["rm", "-q", "-f", renamed]);
    repo.commit_staged("Retire the log", "Cy Gatekeeper", "cy@nsi.police.example");
    let gone = json_of(&repo, &["history", "rpas-flight-log", "--format", "json"]);
    let steps = gone.as_array().expect("steps");
    assert_eq!(steps[0]["change"]["kind"], "removed");
    assert_eq!(steps[0]["commit"]["summary"], "Retire the log");
    assert_eq!(
        steps.len(),
        5,
        "removal, release, rename, edit, addition: {gone}"
    );
}

#[cfg(unix)]
#[test]
fn a_new_file_whose_name_is_not_utf8_is_named_as_such() {
    use std::os::unix::ffi::OsStrExt as _;
    let repo = GitRepo::shipped();
    let name = std::ffi::OsStr::from_bytes(b"bad\xff.yaml");
    std::fs::write(
        repo.path().join("catalogue/avon-and-somerset").join(name),
        repo.read(DRONE),
    )
    .expect("write");
    let diff = json_of(&repo, &["diff", "HEAD", "--format", "json"]);
    let added = &diff["entries"][0];
    assert_eq!(added["kind"], "added", "{diff}");
    assert!(
        added["unreadable"]
            .as_str()
            .is_some_and(|why| why.contains("not valid UTF-8")),
        "{diff}"
    );
}
