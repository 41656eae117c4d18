//! Schema evolution through the real binary: `nsi migrate` on the shipped entries and on
//! old-version fixtures, `nsi validate` reading older entries through their migration, retired
//! slugs, justified exceptions, `nsi version`'s list of versions, and `nsi review` recognising
//! a migration pull request in a real git repository.

mod common;

use std::fs;
use std::path::Path;

use common::git::GitRepo;
use common::{REPO, catalogue, copy_dir, nsi, shipped, stdout_of};
use serde_json::Value;

const FIXTURES: &str = "tests/fixtures/migrate";
const PLAIN: &str = "catalogue/essex/missing-person-triage.yaml";
const COMMENTED: &str = "catalogue/essex/commented-entry.yaml";

/// The version segment of the repository schema's `$id`.
fn current_version() -> String {
    let text = fs::read_to_string(Path::new(REPO).join("schema/solution.schema.json"))
        .expect("the schema");
    let schema: Value = serde_json::from_str(&text).expect("JSON");
    nsi::catalogue::migrate::schema_version(&schema).expect("a version in the $id")
}

/// `text` (an entry of the current version) as it was at 1.0.0: the migration to 2.0.0 only
/// appended `ai` and `schema_version`.
fn as_1_0_0(text: &str) -> String {
    let cut = text.find("\nai:\n").expect("a 2.0.0 entry has `ai`");
    text[..=cut].to_owned()
}

/// A catalogue holding the repository's schema and the old-version fixtures.
fn old_catalogue() -> tempfile::TempDir {
    let dir = catalogue(&[]);
    copy_dir(
        &Path::new(REPO).join(FIXTURES).join("v1/catalogue"),
        &dir.path().join("catalogue"),
    );
    dir
}

fn run_json(dir: &Path, args: &[&str], code: i32) -> Value {
    let output = nsi(dir).args(args).output().expect("run");
    assert_eq!(
        output.status.code(),
        Some(code),
        "{args:?}\nstdout: {}\nstderr: {}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON")
}

fn codes(report: &Value) -> Vec<String> {
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["code"].as_str().expect("code").to_owned())
        .collect()
}

#[test]
fn the_shipped_catalogue_states_the_current_version_and_needs_no_migration() {
    let dir = shipped();
    let version = current_version();
    for path in common_entries(dir.path()) {
        let text = fs::read_to_string(&path).expect("entry");
        assert!(
            text.ends_with(&format!("schema_version: '{version}'\n")),
            "{} does not end with schema_version {version}",
            path.display()
        );
    }
    let out = stdout_of(nsi(dir.path()).args(["migrate", "--dry-run"]));
    assert!(
        out.starts_with(&format!(
            "Nothing to migrate: 28 entries are already at schema {version}."
        )),
        "{out}"
    );
    let report = run_json(dir.path(), &["validate", "--format", "json"], 0);
    assert!(!codes(&report).contains(&"NSI301".to_owned()));
}

fn common_entries(root: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for force in fs::read_dir(root.join("catalogue")).expect("catalogue") {
        for entry in fs::read_dir(force.expect("force").path()).expect("force folder") {
            files.push(entry.expect("entry").path());
        }
    }
    files.sort();
    files
}

#[test]
fn the_shipped_entries_at_1_0_0_migrate_to_the_shipped_files_line_for_line() {
    let dir = shipped();
    let entries = common_entries(dir.path());
    let shipped_texts: Vec<String> = entries
        .iter()
        .map(|p| fs::read_to_string(p).expect("entry"))
        .collect();
    for (path, text) in entries.iter().zip(&shipped_texts) {
        fs::write(path, as_1_0_0(text)).expect("write the 1.0.0 form");
    }
    let report = run_json(dir.path(), &["migrate", "--format", "json"], 0);
    assert_eq!(report["changed"], 28);
    assert_eq!(report["to"], "2.0.0");
    for (path, shipped_text) in entries.iter().zip(&shipped_texts) {
        // Every line the migration did not write is the shipped line, in place: the migration
        // appended its fields, and the forces have since replaced its marker with their answer.
        let expected = format!(
            "{}ai:\n  use: not-stated\nschema_version: '2.0.0'\n",
            as_1_0_0(shipped_text)
        );
        let migrated = fs::read_to_string(path).expect("migrated");
        assert_eq!(migrated, expected, "{}", path.display());
    }
    let again = run_json(dir.path(), &["migrate", "--format", "json"], 0);
    assert_eq!(again["changed"], 0, "a second run changes nothing");
}

#[test]
fn validate_reads_an_old_entry_through_its_migration_and_names_nsi_migrate() {
    let dir = old_catalogue();
    fs::remove_file(dir.path().join(COMMENTED)).expect("one entry is enough");
    let output = nsi(dir.path())
        .args(["validate", PLAIN])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(0), "a warning, not an error");
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    assert!(text.contains("warning[NSI301]"), "{text}");
    assert!(text.contains("written for schema 1.0.0"), "{text}");
    assert!(
        text.contains(&format!("run `nsi migrate {PLAIN}`")),
        "{text}"
    );
    let report = run_json(dir.path(), &["validate", "--format", "json"], 0);
    // One finding: the markers the migration would leave are said by NSI301, not again.
    assert_eq!(codes(&report), ["NSI301"]);
}

#[test]
fn migrate_rewrites_old_entries_reports_them_and_then_has_nothing_to_do() {
    let dir = old_catalogue();
    let commented = fs::read_to_string(dir.path().join(COMMENTED)).expect("fixture");
    let report = run_json(dir.path(), &["migrate", "--format", "json"], 0);
    assert_eq!(report["checked"], 2);
    assert_eq!(report["changed"], 2);
    assert_eq!(report["refused"], 0);
    let forces = report["forces"].as_array().expect("forces");
    assert_eq!(forces.len(), 1);
    assert_eq!(forces[0]["force"], "essex");
    assert_eq!(forces[0]["entries"], 2);
    assert_eq!(
        forces[0]["fields"],
        serde_json::json!([{"field": "ai", "entries": 2}, {"field": "schema_version", "entries": 2}])
    );
    assert_eq!(forces[0]["needs_person"][1]["id"], "missing-person-triage");
    assert_eq!(forces[0]["needs_person"][1]["field"], "ai.use");
    let migrated = fs::read_to_string(dir.path().join(PLAIN)).expect("migrated");
    assert!(
        migrated.ends_with(
            "last_reviewed: '2025-11-28'\nai:\n  use: not-stated\nschema_version: '2.0.0'\n"
        ),
        "{migrated}"
    );
    // The commented file is changed where the migration changes it, and nowhere else: its
    // comment and its own spelling of the dates stay.
    assert_eq!(
        fs::read_to_string(dir.path().join(COMMENTED)).expect("migrated"),
        format!("{commented}ai:\n  use: not-stated\nschema_version: '2.0.0'\n"),
    );
    let again = run_json(dir.path(), &["migrate", "--format", "json"], 0);
    assert_eq!(again["changed"], 0);
    let validated = run_json(dir.path(), &["validate", "--format", "json"], 0);
    assert_eq!(
        codes(&validated),
        ["NSI304", "NSI304"],
        "the markers wait for a person"
    );
}

#[test]
fn a_commented_file_the_change_has_no_place_in_is_refused_untouched() {
    let dir = old_catalogue();
    fs::remove_file(dir.path().join(PLAIN)).expect("one entry is enough");
    // One line of flow style: the migration's new fields cannot go beside it.
    let value: Value = serde_json::from_str(&stdout_of(nsi(dir.path()).args([
        "show",
        "commented-entry",
        "--format",
        "json",
    ])))
    .expect("JSON");
    let flow = format!(
        "# Kept on one line.\n{}\n",
        serde_json::to_string(&value).expect("JSON")
    );
    fs::write(dir.path().join(COMMENTED), &flow).expect("write");
    let report = run_json(dir.path(), &["migrate", "--format", "json"], 1);
    assert_eq!(report["refused"], 1);
    let refused = &report["files"][0];
    assert_eq!(refused["outcome"], "refused");
    assert_eq!(refused["path"], COMMENTED);
    assert_eq!(refused["line"], 1);
    assert!(
        refused["reason"]
            .as_str()
            .expect("reason")
            .contains("it has a comment"),
        "{refused}"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join(COMMENTED)).expect("still there"),
        flow,
        "a refused file is left byte for byte"
    );
    let output = nsi(dir.path())
        .args(["migrate", "--dry-run", "--format", "markdown"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    let md = String::from_utf8_lossy(&output.stdout);
    assert!(md.contains("### Left as they were"), "{md}");
}

#[test]
fn migrate_takes_paths_and_a_target_version() {
    let dir = old_catalogue();
    let commented = fs::read(dir.path().join(COMMENTED)).expect("fixture");
    let report = run_json(
        dir.path(),
        &["migrate", "--to", "2.0.0", "--format", "json", PLAIN],
        0,
    );
    assert_eq!(
        (report["checked"].as_u64(), report["changed"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(report["to"], "2.0.0");
    assert_eq!(
        fs::read(dir.path().join(COMMENTED)).expect("untouched"),
        commented,
        "only the paths named are migrated"
    );
    let folder = run_json(
        dir.path(),
        &["migrate", "--format", "json", "catalogue/essex"],
        0,
    );
    assert_eq!(
        (folder["checked"].as_u64(), folder["changed"].as_u64()),
        (Some(2), Some(1))
    );
    // Migrating to the version the entries are at changes nothing.
    let same = run_json(
        dir.path(),
        &["migrate", "--to", "2.0.0", "--format", "json"],
        0,
    );
    assert_eq!(same["changed"], 0);
}

#[test]
fn a_dry_run_writes_nothing_and_says_so() {
    let dir = old_catalogue();
    let before = fs::read(dir.path().join(PLAIN)).expect("fixture");
    let output = nsi(dir.path())
        .args(["migrate", "--dry-run", PLAIN])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(0));
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(
        out.starts_with("Would migrate 1 of 1 entry to schema 2.0.0 (dry run: nothing written)."),
        "{out}"
    );
    assert!(
        out.contains("needs a person: missing-person-triage ai.use"),
        "{out}"
    );
    assert_eq!(fs::read(dir.path().join(PLAIN)).expect("file"), before);
}

#[test]
fn line_endings_and_byte_order_mark_are_kept() {
    let dir = old_catalogue();
    fs::remove_file(dir.path().join(COMMENTED)).expect("remove");
    let text = fs::read_to_string(dir.path().join(PLAIN)).expect("fixture");
    let crlf = format!("\u{feff}{}", text.replace('\n', "\r\n"));
    fs::write(dir.path().join(PLAIN), &crlf).expect("write");
    stdout_of(nsi(dir.path()).arg("migrate"));
    let migrated = fs::read(dir.path().join(PLAIN)).expect("migrated");
    assert!(migrated.starts_with(b"\xEF\xBB\xBFid: missing-person-triage\r\n"));
    assert!(migrated.ends_with(b"ai:\r\n  use: not-stated\r\nschema_version: '2.0.0'\r\n"));
}

#[test]
fn the_markdown_report_is_the_pull_request_description() {
    let dir = old_catalogue();
    let output = nsi(dir.path())
        .args(["migrate", "--dry-run", "--format", "markdown"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(0));
    let md = String::from_utf8_lossy(&output.stdout);
    assert!(md.starts_with("## Schema migration to 2.0.0\n"), "{md}");
    assert!(
        md.contains("| `essex` | 2 | `ai` (2), `schema_version` (2) | 2 |"),
        "{md}"
    );
    assert!(
        md.contains("- `essex` · `missing-person-triage` · `ai.use`:"),
        "{md}"
    );
    assert!(
        !md.contains("### Left as they were"),
        "nothing refused: {md}"
    );
}

#[test]
fn versions_nsi_cannot_read_are_errors_and_targets_are_checked() {
    let dir = old_catalogue();
    fs::remove_file(dir.path().join(COMMENTED)).expect("remove");
    let text = fs::read_to_string(dir.path().join(PLAIN)).expect("fixture");
    fs::write(
        dir.path().join(PLAIN),
        format!("{text}schema_version: '9.0.0'\n"),
    )
    .expect("write");
    let report = run_json(dir.path(), &["validate", "--format", "json"], 1);
    assert_eq!(codes(&report), ["NSI302"]);
    assert!(
        report["diagnostics"][0]["message"]
            .as_str()
            .expect("message")
            .contains("it knows 1.0.0, 2.0.0"),
        "{report}"
    );
    let migrated = run_json(dir.path(), &["migrate", "--format", "json"], 1);
    assert_eq!(migrated["refused"], 1);

    let output = nsi(dir.path())
        .args(["migrate", "--to", "3.0.0"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no schema version 3.0.0"));

    // A catalogue whose schema is still 1.0.0 cannot have its entries taken to 2.0.0.
    fs::copy(
        Path::new(REPO)
            .join(FIXTURES)
            .join("schema-1.0.0/solution.schema.json"),
        dir.path().join("schema/solution.schema.json"),
    )
    .expect("the old schema");
    let output = nsi(dir.path())
        .args(["migrate", "--to", "2.0.0"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("the catalogue's schema is 1.0.0; entries cannot be migrated to 2.0.0"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A catalogue whose lists retired `kent` into `kent-and-medway` (a merger, so one successor)
/// and split `data-analytics` in two, with an entry naming both.
fn retired_catalogue() -> tempfile::TempDir {
    let dir = shipped();
    let forces = dir.path().join("schema/reference/forces.yaml");
    let text = fs::read_to_string(&forces).expect("forces");
    assert!(text.contains("  - {slug: kent, name: Kent Police,"));
    let text = text.replace(
        "  - {slug: kent, name: Kent Police,",
        "  - {slug: kent-and-medway, name: Kent and Medway Police,",
    ) + "retired:\n  - {slug: kent, replaced_by: kent-and-medway, since: '2026-10-01', notes: renamed}\n";
    fs::write(&forces, text).expect("forces");
    let categories = dir.path().join("schema/reference/categories.yaml");
    let text: String = fs::read_to_string(&categories)
        .expect("categories")
        .lines()
        .filter(|line| !line.contains("{slug: data-analytics,"))
        .fold(String::new(), |text, line| text + line + "\n");
    let text = text
        + "retired:\n  - {slug: data-analytics, replaced_by: [public-contact, automation-productivity]}\n";
    fs::write(&categories, text).expect("categories");
    dir
}

#[test]
fn a_retired_slug_is_reported_with_its_fix_and_migrate_applies_it() {
    let dir = retired_catalogue();
    let old = "catalogue/kent/domestic-abuse-video-response.yaml";
    let text = fs::read_to_string(dir.path().join(old)).expect("kent's entry");
    fs::write(
        dir.path().join(old),
        text.replace("categories:\n", "categories:\n  - data-analytics\n"),
    )
    .expect("write");
    let report = run_json(dir.path(), &["validate", old, "--format", "json"], 0);
    let messages: Vec<(String, String, String)> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_owned(),
                d["message"].as_str().unwrap_or_default().to_owned(),
                d["hint"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert!(
        messages.contains(&(
            "NSI303".to_owned(),
            "the force `kent` was retired on 2026-10-01 and replaced by `kent-and-medway`".to_owned(),
            "run `nsi migrate` to write `kent-and-medway`, or write it yourself (schema/reference/forces.yaml)".to_owned()
        )),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|(code, message, _)| code == "NSI303"
            && message.contains("split into `public-contact`, `automation-productivity`")),
        "{messages:?}"
    );
    assert!(
        !messages
            .iter()
            .any(|(code, ..)| code == "NSI204" || code == "NSI205")
    );

    let report = run_json(dir.path(), &["migrate", "--format", "json"], 0);
    let files = report["files"].as_array().expect("files");
    // Kent's own entry, and each entry naming Kent as a partner or adopter.
    assert_eq!(report["changed"], files.len());
    for other in files.iter().filter(|f| f["path"] != old) {
        assert_eq!(other["moved_to"], Value::Null, "{other}");
        assert_ne!(other["force"], "kent-and-medway", "{other}");
    }
    let file = files
        .iter()
        .find(|f| f["path"] == old)
        .expect("Kent's entry is migrated");
    assert_eq!(
        file["moved_to"],
        "catalogue/kent-and-medway/domestic-abuse-video-response.yaml"
    );
    assert_eq!(file["force"], "kent-and-medway");
    assert_eq!(file["needs_person"][0]["field"], "categories[0]");
    assert!(!dir.path().join(old).exists(), "the old file is gone");
    let moved = fs::read_to_string(
        dir.path()
            .join("catalogue/kent-and-medway/domestic-abuse-video-response.yaml"),
    )
    .expect("moved");
    assert!(moved.contains("owner_force: kent-and-medway\n"), "{moved}");
    assert!(
        moved.contains("  - data-analytics\n"),
        "a split waits for a person"
    );
    let essex = fs::read_to_string(
        dir.path()
            .join("catalogue/essex/missing-person-risk-triage.yaml"),
    )
    .expect("Essex's entry names Kent");
    assert!(essex.contains("kent-and-medway"), "{essex}");
    assert!(!essex.contains("kent\n"), "{essex}");
    let again = run_json(dir.path(), &["migrate", "--format", "json"], 0);
    assert_eq!(again["changed"], 0);
}

/// The Kent entry with `exceptions` appended and its review made overdue.
fn with_exceptions(exceptions: &str) -> tempfile::TempDir {
    let dir = shipped();
    let path = dir
        .path()
        .join("catalogue/kent/domestic-abuse-video-response.yaml");
    let text = fs::read_to_string(&path).expect("entry");
    let reviewed = text
        .lines()
        .find(|l| l.starts_with("last_reviewed:"))
        .expect("last_reviewed")
        .to_owned();
    let text = text
        .replace(&reviewed, "last_reviewed: '2025-01-10'")
        .replace("schema_version:", &format!("{exceptions}schema_version:"));
    fs::write(&path, text).expect("write");
    dir
}

const KENT: &str = "catalogue/kent/domestic-abuse-video-response.yaml";

#[test]
fn an_exception_silences_a_warning_until_its_date() {
    let reason = "Frozen while the national standard is agreed; reviewed when it is published.";
    let dir = with_exceptions(&format!(
        "exceptions:\n  - rule: NSI212\n    reason: {reason}\n    until: '2027-06-30'\n"
    ));
    let report = run_json(dir.path(), &["validate", KENT, "--format", "json"], 0);
    assert!(!codes(&report).contains(&"NSI212".to_owned()), "{report}");
    let control = with_exceptions("");
    let report = run_json(control.path(), &["validate", KENT, "--format", "json"], 0);
    assert!(
        codes(&report).contains(&"NSI212".to_owned()),
        "the test can fail"
    );

    let expired = with_exceptions(&format!(
        "exceptions:\n  - rule: NSI212\n    reason: {reason}\n    until: '2026-11-27'\n"
    ));
    let report = run_json(expired.path(), &["validate", KENT, "--format", "json"], 0);
    let found = codes(&report);
    assert!(found.contains(&"NSI212".to_owned()), "{found:?}");
    assert!(found.contains(&"NSI306".to_owned()), "{found:?}");
}

#[test]
fn errors_and_unresolved_markers_are_never_excepted() {
    let reason = "This entry is special for reasons the gatekeeper knows about.";
    // NSI217 (a credential) is an error: no exception lets a secret through.
    for rule in ["NSI201", "NSI217", "NSI304", "NSI999"] {
        let dir = with_exceptions(&format!(
            "exceptions:\n  - rule: {rule}\n    reason: {reason}\n    until: '2027-06-30'\n"
        ));
        let report = run_json(dir.path(), &["validate", KENT, "--format", "json"], 1);
        let errors: Vec<&Value> = report["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .filter(|d| d["severity"] == "error")
            .collect();
        assert_eq!(errors.len(), 1, "{rule}: {errors:?}");
        assert_eq!(errors[0]["code"], "NSI305");
        assert_eq!(errors[0]["pointer"], "/exceptions/0/rule");
    }
}

#[test]
fn version_lists_the_schema_versions_nsi_knows() {
    let dir = shipped();
    let report = run_json(dir.path(), &["version", "--format", "json"], 0);
    assert_eq!(
        report["schema"]["known_versions"],
        serde_json::json!(["1.0.0", "2.0.0"])
    );
    assert_eq!(report["schema"]["migrations"][0]["from"], "1.0.0");
    assert_eq!(report["schema"]["migrations"][0]["to"], "2.0.0");
    let text = stdout_of(nsi(dir.path()).arg("version"));
    assert!(
        text.contains("schema versions known: 1.0.0, 2.0.0\n"),
        "{text}"
    );
    assert!(
        text.contains("  migration 1.0.0 → 2.0.0: adds `ai.use`"),
        "{text}"
    );
}

/// A repository whose `main` holds the shipped entries in their 1.0.0 form under the 2.0.0
/// schema (the schema change merged, the migration not yet run), on branch `migration`.
fn repo_before_migration() -> GitRepo {
    let repo = GitRepo::shipped();
    for path in common_entries(repo.path()) {
        let text = fs::read_to_string(&path).expect("entry");
        fs::write(&path, as_1_0_0(&text)).expect("1.0.0 form");
    }
    repo.commit_all("Schema 2.0.0", "Gate Keeper", "gk@nsi.police.example");
    repo.git(&["checkout", "-q", "-b", "migration"]);
    repo
}

#[test]
fn review_recognises_a_migration_and_not_a_migration_with_a_hand_edit() {
    let repo = repo_before_migration();
    stdout_of(nsi(repo.path()).arg("migrate"));
    repo.commit_all("Migrate", "Mai Ntainer", "mai@nsi.police.example");
    let report = run_json(
        repo.path(),
        &["review", "main", "HEAD", "--format", "json"],
        0,
    );
    assert_eq!(report["migration"]["entries"], 28);
    assert_eq!(report["migration"]["to"], "2.0.0");
    assert_eq!(
        report["migration"]["forces"].as_array().map(Vec::len),
        Some(27)
    );
    let text = stdout_of(nsi(repo.path()).args(["review", "main", "HEAD"]));
    assert!(
        text.contains("Migration pull request: each of the 28 changed entries is exactly what `nsi migrate` makes of the base's version for schema 2.0.0"),
        "{text}"
    );
    assert!(
        !text.contains("\nChanges\n"),
        "the impact replaces the list of changes"
    );

    repo.edit(KENT, "phase: live", "phase: beta");
    repo.commit_all("And a hand edit", "Mai Ntainer", "mai@nsi.police.example");
    let report = run_json(
        repo.path(),
        &["review", "main", "HEAD", "--format", "json"],
        0,
    );
    assert_eq!(
        report["migration"],
        Value::Null,
        "one change is not the migration's"
    );
}

#[test]
fn review_lists_the_exceptions_a_pull_request_claims() {
    let repo = GitRepo::shipped();
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.edit(
        KENT,
        "schema_version:",
        "exceptions:\n  - rule: NSI212\n    reason: Frozen while the national standard is agreed.\n    until: '2027-03-31'\nschema_version:",
    );
    repo.commit_all(
        "Claim an exception",
        "Bea Editor",
        "bea@force.police.example",
    );
    let report = run_json(
        repo.path(),
        &["review", "main", "HEAD", "--format", "json"],
        0,
    );
    assert_eq!(
        report["exceptions_claimed"],
        serde_json::json!([{
            "id": "domestic-abuse-video-response",
            "rule": "NSI212",
            "reason": "Frozen while the national standard is agreed.",
            "until": "2027-03-31"
        }])
    );
    let output = nsi(repo.path())
        .args(["review", "main", "HEAD", "--format", "markdown"])
        .output()
        .expect("run");
    let md = String::from_utf8_lossy(&output.stdout);
    assert!(md.contains("### Exceptions claimed"), "{md}");
    assert!(
        md.contains("| `domestic-abuse-video-response` | NSI212 | 2027-03-31 | Frozen while the national standard is agreed. |"),
        "{md}"
    );
}

#[test]
fn show_says_how_an_entry_uses_ai() {
    let dir = shipped();
    let text = stdout_of(nsi(dir.path()).args(["show", "cps-evidence-redaction-tool"]));
    assert!(
        text.contains("  AI: assists — Named-entity recognition suggests redactions;"),
        "{text}"
    );
}
