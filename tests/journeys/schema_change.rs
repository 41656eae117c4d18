//! A maintainer changes the schema: the catalogue at 1.0.0, the schema change to 2.0.0 in a
//! pull request of its own (the migration, `to_2_0_0.rs`, is the one built into nsi), then on
//! the new `main` `nsi migrate` in a second pull request with its impact report, which
//! `nsi review` recognises as a migration; every entry valid at each step, and the forces then
//! answer what the migration could not know.

use std::fs;
use std::path::Path;

use super::common::git::GitRepo;
use super::common::{REPO, nsi};
use super::show;

/// Run nsi in the repository; return (exit code, stdout, stderr), shown for the log.
fn run(repo: &GitRepo, args: &[&str]) -> (i32, String, String) {
    let output = nsi(repo.path()).args(args).output().expect("run nsi");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    show(
        &format!("nsi {}", args.join(" ")),
        &format!("{stdout}{stderr}"),
    );
    (output.status.code().unwrap_or(-1), stdout, stderr)
}

/// The shipped catalogue as it was at 1.0.0: the 1.0.0 schema, and entries without the fields
/// 2.0.0 added (which the migration appended, so they are cut at `ai:`).
fn catalogue_at_1_0_0() -> GitRepo {
    let repo = GitRepo::shipped();
    fs::copy(
        Path::new(REPO).join("tests/fixtures/migrate/schema-1.0.0/solution.schema.json"),
        repo.file("schema/solution.schema.json"),
    )
    .expect("the 1.0.0 schema");
    for force in fs::read_dir(repo.file("catalogue")).expect("catalogue") {
        for file in fs::read_dir(force.expect("force").path()).expect("force folder") {
            let path = file.expect("entry").path();
            let text = fs::read_to_string(&path).expect("entry");
            let cut = text.find("\nai:\n").expect("a 2.0.0 entry");
            fs::write(&path, &text[..=cut]).expect("1.0.0 entry");
        }
    }
    repo.commit_all(
        "The catalogue at 1.0.0",
        "Ada Admin",
        "ada@nsi.police.example",
    );
    repo
}

#[test]
fn a_maintainer_changes_the_schema_and_migrates_every_entry_in_one_reviewed_pull_request() {
    let repo = catalogue_at_1_0_0();
    let (code, out, _) = run(&repo, &["validate"]);
    assert_eq!(code, 0);
    assert!(out.contains("28 entry files valid"), "{out}");
    let (code, out, _) = run(&repo, &["migrate", "--dry-run"]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("Nothing to migrate: 28 entries are already at schema 1.0.0."),
        "{out}"
    );

    // 1. The schema change travels alone: a rules pull request.
    repo.git(&["checkout", "-q", "-b", "schema-2.0.0"]);
    fs::copy(
        Path::new(REPO).join("schema/solution.schema.json"),
        repo.file("schema/solution.schema.json"),
    )
    .expect("the 2.0.0 schema");
    repo.commit_all(
        "Schema 2.0.0: every entry says how it uses AI",
        "Mai Ntainer",
        "mai@nsi.police.example",
    );
    let (code, out, _) = run(&repo, &["review", "main", "HEAD"]);
    assert_eq!(code, 0, "a rules change on its own is not blocked");
    assert!(out.contains("Rules and tooling changed"), "{out}");
    assert!(out.contains("schema/solution.schema.json"), "{out}");
    repo.git(&["checkout", "-q", "main"]);
    repo.git(&["merge", "-q", "--ff-only", "schema-2.0.0"]);

    // 2. main is older than its schema, and still valid: each entry is read through the
    //    migration, and says so.
    let (code, out, _) = run(&repo, &["validate", "--format", "json"]);
    assert_eq!(
        code, 0,
        "warnings only: main stays green between the two pull requests"
    );
    let report: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(report["errors"], 0);
    let older = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == "NSI301")
        .count();
    assert_eq!(older, 28);
    let (_, out, _) = run(&repo, &["validate", "catalogue/kent"]);
    assert!(out.contains("run `nsi migrate catalogue/kent/"), "{out}");

    // 3. The migration pull request, with its impact report as the description.
    repo.git(&["checkout", "-q", "-b", "migrate-2.0.0"]);
    let (code, description, _) = run(&repo, &["migrate", "--format", "markdown"]);
    assert_eq!(code, 0);
    assert!(
        description.starts_with("## Schema migration to 2.0.0\n"),
        "{description}"
    );
    assert!(
        description.contains("`nsi migrate` changed **28** of 28 entries in **27 forces**"),
        "{description}"
    );
    assert!(
        description.contains("| `west-midlands` | 2 | `ai` (2), `schema_version` (2) | 2 |"),
        "{description}"
    );
    let (code, out, _) = run(&repo, &["migrate"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("Nothing to migrate"), "idempotent: {out}");
    let (code, out, _) = run(&repo, &["validate"]);
    assert_eq!(code, 0, "every entry valid");
    assert!(!out.contains("NSI301"), "{out}");
    assert!(
        out.contains("warning[NSI304]"),
        "the markers wait for the forces: {out}"
    );
    let (code, out, _) = run(&repo, &["fmt", "--check"]);
    assert_eq!((code, out.as_str()), (0, ""), "canonical");
    repo.commit_all(
        "catalogue: migrated to schema 2.0.0 by nsi migrate",
        "Mai Ntainer",
        "mai@nsi.police.example",
    );

    // 4. The gatekeeper's review recognises it.
    let (code, comment, _) = run(&repo, &["review", "main", "HEAD", "--format", "markdown"]);
    assert_eq!(code, 0, "no blockers");
    assert!(
        comment.contains(
            "### 🔁 Migration pull request: each of the 28 changed entries is exactly what \
             `nsi migrate` makes of the base's version for schema 2.0.0 (27 forces; 28 fields \
             need a person)"
        ),
        "{comment}"
    );
    assert!(
        comment.contains("| `kent` | 1 | `ai` (1), `schema_version` (1) | 1 |"),
        "{comment}"
    );
    repo.git(&["checkout", "-q", "main"]);
    repo.git(&["merge", "-q", "--ff-only", "migrate-2.0.0"]);

    // 5. A force answers what the migration could not know, in its own pull request.
    let kent = "catalogue/kent/domestic-abuse-video-response.yaml";
    repo.edit(kent, "  use: not-stated", "  use: none");
    let (code, out, _) = run(&repo, &["validate", kent]);
    assert_eq!(code, 0);
    assert!(!out.contains("NSI304"), "{out}");
}

#[test]
fn the_schema_change_and_its_migration_in_one_pull_request_are_judged_with_the_rules_it_brings() {
    let repo = catalogue_at_1_0_0();
    repo.git(&["checkout", "-q", "-b", "schema-and-migration"]);
    fs::copy(
        Path::new(REPO).join("schema/solution.schema.json"),
        repo.file("schema/solution.schema.json"),
    )
    .expect("the 2.0.0 schema");
    let (code, _, _) = run(&repo, &["migrate"]);
    assert_eq!(code, 0);
    repo.commit_all(
        "Schema 2.0.0, and the catalogue migrated to it by nsi migrate",
        "Mai Ntainer",
        "mai@nsi.police.example",
    );

    // The base's schema (1.0.0) cannot read a 2.0.0 entry: the entries are judged with the
    // rules the pull request brings, which are listed for the gatekeepers.
    let (code, out, _) = run(&repo, &["review", "main", "HEAD"]);
    assert_eq!(code, 0, "every change explained, every entry valid: {out}");
    assert!(
        out.contains(
            "Migration pull request: each of the 28 changed entries is exactly what `nsi migrate` \
             makes of the base's version for schema 2.0.0"
        ),
        "{out}"
    );
    assert!(
        out.contains("It also brings the rules it migrates to (schema 1.0.0 → 2.0.0)"),
        "{out}"
    );
    assert!(
        out.contains("judged with the schema and reference lists of HEAD"),
        "{out}"
    );
    assert!(out.contains("Rules and tooling changed"), "{out}");
    assert!(out.contains("schema/solution.schema.json"), "{out}");
    assert!(
        !out.contains("NSI302"),
        "no entry is read by the base's schema: {out}"
    );
    assert!(!out.contains("change together"), "{out}");
    let (_, json, _) = run(&repo, &["review", "main", "HEAD", "--format", "json"]);
    let review: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(review["passed"], true);
    assert_eq!(review["migration"]["brings_rules"]["from"], "1.0.0");
    assert!(
        review["migration"]["brings_rules"]["revision"]
            .as_str()
            .is_some_and(|r| r.starts_with("HEAD (")),
        "{review}"
    );
    let (_, comment, _) = run(&repo, &["review", "main", "HEAD", "--format", "markdown"]);
    assert!(
        comment.contains("⚠️ It also brings the rules it migrates to (schema 1.0.0 → 2.0.0)"),
        "{comment}"
    );

    // One entry changed by hand besides the migration: nothing is explained any more, so the
    // base's rules judge it and the rules change must travel alone.
    repo.edit(
        "catalogue/kent/domestic-abuse-video-response.yaml",
        "  use: not-stated",
        "  use: none",
    );
    repo.commit_all("and one answer", "Mai Ntainer", "mai@nsi.police.example");
    let (code, out, _) = run(&repo, &["review", "main", "HEAD"]);
    assert_eq!(code, 1, "{out}");
    assert!(!out.contains("Migration pull request"), "{out}");
    assert!(out.contains("change together"), "{out}");
    assert!(
        out.contains("NSI302"),
        "the base's schema cannot read 2.0.0: {out}"
    );
}
