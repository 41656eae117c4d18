//! End-to-end tests of `nsi add`, `nsi edit`, `nsi import` and `nsi similar`: the real binary
//! on a private copy of the shipped catalogue, with a cleared environment and a scripted
//! `$EDITOR`.
//!
//! The scripted editor is a POSIX shell script, so the tests that drive `$EDITOR` are
//! `#[cfg(unix)]`: they run on Linux and macOS, not on Windows.

mod common;

use std::fs;
use std::path::Path;
#[cfg(unix)]
use std::path::PathBuf;

use common::{REPO, keys_of, nsi, shipped};
use nsi::catalogue::{reference::Reference, yaml};

/// A new entry without id, dates or contact expiry (the defaults fill them).
const NEW: &str = "title: Custody Meal Planner
summary: Plans detainee meals around dietary, medical and religious needs across custody suites.
problem_statement: Custody staff tracked dietary needs on paper and meals were often wrong.
owner_force: kent
categories:
  - criminal-justice
phase: beta
technology:
  stack:
    - Power Apps
  deployment: cloud
  licence: MIT
skills:
  - role: software-development
    level: working
documentation:
  - type: technical-blueprint
    availability: on-request
contacts:
  - name: Test Person
    role: Product owner
    email: test.person@kent.police.example
aftercare:
  level: light-touch
rationale: Every force feeds detainees and most still plan meals on paper.
";

fn run(command: &mut assert_cmd::Command) -> (i32, String, String) {
    let output = command.output().expect("run");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// `csv` written to `file` in `dir`, then `nsi import --csv FILE` with `extra`: exit code,
/// stdout and stderr.
fn import(dir: &Path, file: &str, csv: &str, extra: &[&str]) -> (i32, String, String) {
    fs::write(dir.join(file), csv).expect("csv");
    run(nsi(dir).args(["import", "--csv", file]).args(extra))
}

/// The written file validates, is canonical, and has the defaults.
fn assert_written_well(dir: &Path, relative: &str) -> serde_json::Value {
    let path = dir.join(relative.trim());
    let text = fs::read_to_string(&path).expect("written file");
    let value = yaml::parse_value(&text).expect("parses");
    let schema = Reference::embedded().schema;
    assert_eq!(yaml::to_yaml(&value, &schema), text, "canonical");
    let (code, out, err) = run(nsi(dir).args(["validate", relative.trim()]));
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(value["created"], "2026-11-28");
    assert_eq!(value["last_reviewed"], "2026-11-28");
    assert_eq!(value["contacts"][0]["valid_until"], "2027-11-28");
    value
}

#[test]
fn add_from_a_yaml_file_applies_defaults_and_makes_ids_unique() {
    let dir = shipped();
    let input = dir.path().join("new.yaml");
    fs::write(&input, NEW).expect("write");
    let (code, out, err) = run(nsi(dir.path()).args(["add", "--from", "new.yaml"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim(), "catalogue/kent/custody-meal-planner.yaml");
    let value = assert_written_well(dir.path(), &out);
    assert_eq!(value["id"], "custody-meal-planner");
    assert_eq!(value["visibility"], "policing");
    // The same title again gets the next free id (with --yes: it is a copy of the first).
    let (code, out, err) = run(nsi(dir.path()).args(["add", "--from", "new.yaml", "--yes"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim(), "catalogue/kent/custody-meal-planner-2.yaml");
}

#[test]
fn add_refuses_to_overwrite_an_existing_entry() {
    let dir = shipped();
    let target = dir
        .path()
        .join("catalogue/nottinghamshire/cps-evidence-redaction-tool.yaml");
    let before = fs::read(&target).expect("read");
    let text = NEW
        .replace("owner_force: kent", "owner_force: nottinghamshire")
        .replace("title:", "id: cps-evidence-redaction-tool\ntitle:");
    fs::write(dir.path().join("new.yaml"), text).expect("write");
    let (code, _, err) = run(nsi(dir.path()).args(["add", "--from", "new.yaml", "--yes"]));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("already used"), "{err}");
    assert_eq!(fs::read(&target).expect("read"), before, "untouched");
}

#[test]
fn add_from_json_on_stdin() {
    let dir = shipped();
    let value = yaml::parse_value(NEW).expect("yaml");
    let json = serde_json::to_string(&value).expect("json");
    let (code, out, err) = run(nsi(dir.path())
        .args(["add", "--from", "-"])
        .write_stdin(json));
    assert_eq!(code, 0, "{err}");
    assert_written_well(dir.path(), &out);
}

#[test]
fn add_from_flags() {
    let dir = shipped();
    let (code, out, err) = run(nsi(dir.path()).args([
        "add",
        "--title",
        "Custody Meal Planner",
        "--force",
        "kent",
        "--category",
        "criminal-justice",
        "--phase",
        "beta",
        "--summary",
        "Plans detainee meals around dietary, medical and religious needs.",
        "--problem",
        "Custody staff tracked dietary needs on paper and meals were often wrong.",
        "--rationale",
        "Every force feeds detainees and most still plan meals on paper.",
        "--stack",
        "Power Apps",
        "--deployment",
        "cloud",
        "--licence",
        "MIT",
        "--skill",
        "software-development:working",
        "--doc",
        "technical-blueprint:on-request",
        "--contact",
        "Test Person <test.person@kent.police.example>, Product owner",
        "--aftercare",
        "light-touch",
    ]));
    assert_eq!(code, 0, "{err}");
    let value = assert_written_well(dir.path(), &out);
    assert_eq!(value["contacts"][0]["role"], "Product owner");
    // Valid, but short of what the gatekeeper's review asks: said now, not at review.
    assert!(
        err.contains(
            "note: review will block it until it has a problem statement of substance \
             (at least 20 words), found 12 words"
        ),
        "{err}"
    );
    // Missing fields are reported like `nsi validate` does, and nothing is written.
    let (code, _, err) =
        run(nsi(dir.path()).args(["add", "--title", "Half an entry", "--summary", "Too short."]));
    assert_eq!(code, 1);
    assert!(err.contains("NSI101"), "{err}");
    // Each finding names the flag that sets its field: the file it points into is not written.
    for (finding, flag) in [
        (
            "missing required field `problem_statement`",
            "give it with --problem TEXT",
        ),
        (
            "missing required field `technology`",
            "give it with --stack, --deployment and --licence",
        ),
        ("`summary` is too short", "give it with --summary TEXT"),
    ] {
        let after = err
            .split(finding)
            .nth(1)
            .unwrap_or_else(|| panic!("{finding}: {err}"));
        let help = after
            .lines()
            .find(|l| l.contains("= help:"))
            .expect("a help line");
        assert!(help.contains(flag), "{finding}: {help}");
    }
    assert!(!dir.path().join("catalogue/half-an-entry.yaml").exists());
}

/// A scripted editor: on call N it copies `step-N.yaml` (if any) over the file, after saving
/// what it was shown to `shown-N.yaml`; it exits with `status-N` if that file exists.
#[cfg(unix)]
fn scripted_editor(dir: &Path, steps: &[&str]) -> PathBuf {
    use std::os::unix::fs::PermissionsExt as _;
    let script_dir = dir.join("editor");
    fs::create_dir_all(&script_dir).expect("mkdir");
    for (i, step) in steps.iter().enumerate() {
        fs::write(script_dir.join(format!("step-{}.yaml", i + 1)), step).expect("step");
    }
    let script = script_dir.join("edit.sh");
    let d = script_dir.display();
    fs::write(
        &script,
        format!(
            "#!/bin/sh\nn=$(cat {d}/count 2>/dev/null || echo 0)\nn=$((n+1))\necho $n > {d}/count\n\
             cp \"$1\" {d}/shown-$n.yaml\n\
             if [ -f {d}/step-$n.yaml ]; then cp {d}/step-$n.yaml \"$1\"; fi\n\
             if [ -f {d}/status-$n ]; then exit $(cat {d}/status-$n); fi\nexit 0\n"
        ),
    )
    .expect("script");
    fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).expect("chmod");
    script
}

#[cfg(unix)]
#[test]
fn add_edit_reopens_with_errors_then_writes_the_valid_entry() {
    let dir = shipped();
    let invalid = NEW.replace("phase: beta", "phase: nearly-done");
    let editor = scripted_editor(dir.path(), &[&invalid, NEW]);
    let (code, out, err) = run(nsi(dir.path())
        .args(["add", "--edit"])
        .env("EDITOR", &editor));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("NSI104"),
        "the first save shows its errors: {err}"
    );
    let shown = fs::read_to_string(dir.path().join("editor/shown-2.yaml")).expect("shown");
    assert!(shown.starts_with("# nsi|"), "{shown}");
    assert!(shown.contains("phase"), "{shown}");
    let first = fs::read_to_string(dir.path().join("editor/shown-1.yaml")).expect("template");
    assert!(first.contains("title: TODO"), "{first}");
    let value = assert_written_well(dir.path(), &out);
    assert!(
        !fs::read_to_string(dir.path().join(out.trim()))
            .expect("read")
            .contains('#')
    );
    assert_eq!(value["phase"], "beta");
}

#[cfg(unix)]
#[test]
fn add_edit_keeps_the_draft_when_given_up() {
    let dir = shipped();
    let invalid = NEW.replace("phase: beta", "phase: nearly-done");
    let editor = scripted_editor(dir.path(), &[&invalid]);
    // The second call changes nothing and fails: the user gave up.
    fs::write(dir.path().join("editor/status-2"), "1").expect("status");
    let (code, _, err) = run(nsi(dir.path())
        .args(["add", "--edit"])
        .env("EDITOR", &editor));
    assert_eq!(code, 1, "{err}");
    let kept = err
        .split_whitespace()
        .find(|w| w.starts_with(".nsi/drafts/"))
        .expect("the draft is named")
        .trim_end_matches(['`', '.', ';']);
    let draft = fs::read_to_string(dir.path().join(kept)).expect("draft exists");
    assert!(draft.contains("phase: nearly-done"), "{draft}");
    assert!(err.contains("nsi add --edit --from"), "{err}");
    assert!(
        !dir.path()
            .join("catalogue/kent/custody-meal-planner.yaml")
            .exists()
    );
}

#[cfg(unix)]
#[test]
fn edit_writes_valid_changes_reopens_invalid_ones_and_leaves_abandoned_ones() {
    let dir = shipped();
    let relative = "catalogue/btp/text-report-triage.yaml";
    let path = dir.path().join(relative);
    let original = fs::read_to_string(&path).expect("read");
    // Abandoned: the editor fails.
    let broken = original.replace("phase: live", "phase: nearly-done");
    let editor = scripted_editor(dir.path(), &[&broken]);
    fs::write(dir.path().join("editor/status-1"), "1").expect("status");
    let (code, _, err) = run(nsi(dir.path())
        .args(["edit", "text-report-triage"])
        .env("EDITOR", &editor));
    assert_ne!(code, 0, "{err}");
    assert_eq!(fs::read_to_string(&path).expect("read"), original);
    // Invalid, then valid.
    fs::remove_dir_all(dir.path().join("editor")).expect("reset");
    let changed = original.replacen("phase: live", "phase: beta", 1);
    assert_ne!(changed, original);
    let editor = scripted_editor(dir.path(), &[&broken, &changed]);
    let (code, out, err) = run(nsi(dir.path())
        .args(["edit", "text-report-triage"])
        .env("EDITOR", &editor));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim(), relative);
    assert!(err.contains("NSI104"), "{err}");
    let written = fs::read_to_string(&path).expect("read");
    assert!(written.contains("phase: beta"), "{written}");
    let (code, out, _) = run(nsi(dir.path()).args(["validate", relative]));
    assert_eq!(code, 0, "{out}");
}

/// A write that really fails, root or not: nsi runs with a file-size limit (`RLIMIT_FSIZE`,
/// which binds root too) of 8 KiB and `SIGXFSZ` ignored, so writing the edited entry (over
/// 20 KB) fails with `EFBIG`; the editor lifts the limit for itself to save the draft, which is
/// all the user has of their edit.
#[cfg(target_os = "linux")]
#[test]
fn edit_keeps_the_draft_when_the_entry_cannot_be_written() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = shipped();
    let relative = "catalogue/btp/text-report-triage.yaml";
    let path = dir.path().join(relative);
    let original = fs::read_to_string(&path).expect("read");
    assert!(
        original.len() < 8 * 1024,
        "the entry is read and its draft written under the limit"
    );
    let long = "A long account of how the triage works. ".repeat(450);
    let mut value = yaml::parse_value(&original).expect("parses");
    value["description"] = serde_json::Value::from(long.trim());
    let edited = yaml::to_yaml(&value, &Reference::embedded().schema);
    let step = dir.path().join("edited.yaml");
    fs::write(&step, &edited).expect("step");
    let editor = dir.path().join("editor.sh");
    fs::write(
        &editor,
        format!(
            "#!/bin/sh\nulimit -S -f unlimited\ncp {} \"$1\"\n",
            step.display()
        ),
    )
    .expect("editor");
    fs::set_permissions(&editor, fs::Permissions::from_mode(0o755)).expect("chmod");
    // dash counts the limit in 512-byte blocks: 16 blocks, 8 KiB.
    let (code, out, err) = run(assert_cmd::Command::new("sh")
        .args([
            "-c",
            "trap '' XFSZ; ulimit -S -f 16; exec \"$NSI_BINARY\" edit text-report-triage",
        ])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir.path())
        .env("NO_COLOR", "1")
        .env("NSI_TODAY", "2026-11-28")
        .env("EDITOR", &editor)
        .env("NSI_BINARY", assert_cmd::cargo::cargo_bin("nsi"))
        .current_dir(dir.path()));
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains(&format!("cannot write {relative}: File too large")),
        "{err}"
    );
    assert_eq!(
        fs::read_to_string(&path).expect("read"),
        original,
        "the entry is untouched"
    );
    let kept = err
        .split_whitespace()
        .find(|w| w.starts_with(".nsi/drafts/"))
        .unwrap_or_else(|| panic!("the draft is named: {err}"))
        .trim_end_matches(['`', '.', ';', ')']);
    let draft = fs::read_to_string(dir.path().join(kept)).expect("the draft is kept");
    assert_eq!(draft, edited, "the draft holds the edit");
    assert!(err.contains(&format!("cp {kept} {relative}")), "{err}");
    let leftovers: Vec<_> = fs::read_dir(path.parent().expect("folder"))
        .expect("list")
        .map(|e| e.expect("entry").file_name())
        .filter(|name| name.to_string_lossy().starts_with('.'))
        .collect();
    assert!(
        leftovers.is_empty(),
        "no temporary file is left: {leftovers:?}"
    );
}

const CSV: &str = "title,owner_force,categories,phase,summary,problem_statement,rationale,\
technology.stack,technology.deployment,technology.licence,skills.role,skills.level,\
documentation.type,documentation.availability,contacts.name,contacts.email,contacts.role,aftercare.level
Custody Meal Planner,kent,criminal-justice,beta,Plans detainee meals around dietary and medical needs.,Custody staff tracked dietary needs on paper.,Every force feeds detainees and plans meals on paper.,Power Apps;Dataverse,cloud,MIT,software-development;data,working;awareness,technical-blueprint,on-request,A Person;B Person,a@kent.police.example;b@kent.police.example,Product owner;Developer,light-touch
Broken Row Thing,kent,criminal-justice,nearly-done,Too short,Custody staff tracked dietary needs on paper.,Every force feeds detainees and plans meals on paper.,Power Apps,cloud,MIT,data,working,dpia,on-request,C Person,c@kent.police.example,Owner,none
";

#[test]
fn import_creates_good_rows_and_reports_bad_ones() {
    let dir = shipped();
    let (code, out, _) = import(dir.path(), "new.csv", CSV, &["--dry-run"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("row 2: would create catalogue/kent/custody-meal-planner.yaml"),
        "{out}"
    );
    assert!(
        !dir.path()
            .join("catalogue/kent/custody-meal-planner.yaml")
            .exists()
    );
    let (code, out, _) = run(nsi(dir.path()).args(["import", "--csv", "new.csv"]));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("row 2: created catalogue/kent/custody-meal-planner.yaml"),
        "{out}"
    );
    // Each finding is placed in the CSV file, at the cell it is about, and drawn as
    // `nsi validate` draws one: the cell underlined.
    assert!(
        out.contains("new.csv:3:40: error[NSI104]: `phase` is `nearly-done`"),
        "{out}"
    );
    assert!(
        out.contains("new.csv:3:52: error[NSI107]: `summary` is too short"),
        "{out}"
    );
    let lines: Vec<&str> = out.lines().collect();
    let headline = lines
        .iter()
        .position(|l| l.starts_with("new.csv:3:52:"))
        .expect("the summary's finding");
    let shown = headline
        + lines[headline..]
            .iter()
            .position(|l| l.starts_with("3 | "))
            .expect("the row shown");
    let byte = lines[shown].find("Too short").expect("the cell");
    let at = lines[shown][..byte].chars().count();
    let underline: String = lines[shown + 1].chars().skip(at).collect();
    assert_eq!(underline, "^^^^^^^^^", "the cell underlined: {out}");
    common::assert_snapshot("import/rows.txt", &out);
    assert!(out.contains("row 3: not created"), "{out}");
    assert!(out.contains("1 created, 1 failed"), "{out}");
    assert!(
        !dir.path()
            .join("catalogue/kent/broken-row-thing.yaml")
            .exists()
    );
    let value = assert_written_well(dir.path(), "catalogue/kent/custody-meal-planner.yaml");
    assert_eq!(value["contacts"][1]["email"], "b@kent.police.example");
    assert_eq!(value["skills"][1]["level"], "awareness");
}

#[test]
fn a_near_copy_is_refused_without_yes() {
    let dir = shipped();
    let source = fs::read_to_string(
        Path::new(REPO).join("catalogue/west-yorkshire/case-file-redaction-assistant.yaml"),
    )
    .expect("read");
    let mut value = yaml::parse_value(&source).expect("parse");
    let map = value.as_object_mut().expect("mapping");
    map.remove("id");
    map.insert("title".into(), "Case File Redaction Helper".into());
    map.insert("owner_force".into(), "kent".into());
    map.remove("partner_forces");
    map.remove("adopters");
    let text = serde_json::to_string(&value).expect("json");
    fs::write(dir.path().join("copy.json"), &text).expect("write");
    let (code, _, err) = run(nsi(dir.path()).args(["add", "--from", "copy.json"]));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("case-file-redaction-assistant"), "{err}");
    assert!(
        !dir.path()
            .join("catalogue/kent/case-file-redaction-helper.yaml")
            .exists()
    );
    let (code, out, err) = run(nsi(dir.path()).args(["add", "--from", "copy.json", "--yes"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim(), "catalogue/kent/case-file-redaction-helper.yaml");
}

fn similar_json(dir: &Path, args: &[&str]) -> Vec<serde_json::Value> {
    let (code, out, err) = run(nsi(dir)
        .arg("similar")
        .args(args)
        .args(["--format", "json"]));
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).expect("json")
}

#[test]
fn similar_ranks_the_deliberate_near_duplicates_first() {
    let dir = shipped();
    for (a, b) in [
        (
            "cps-evidence-redaction-tool",
            "case-file-redaction-assistant",
        ),
        (
            "neighbourhood-abstraction-dashboard",
            "neighbourhood-abstraction-tracker",
        ),
    ] {
        for (from, to) in [(a, b), (b, a)] {
            let hits = similar_json(dir.path(), &[from, "--limit", "3"]);
            assert_eq!(hits[0]["id"], to, "{from}: {hits:?}");
            let keys = keys_of(&hits[0]);
            assert_eq!(keys, ["id", "title", "owner_force", "score"]);
            let first = hits[0]["score"].as_f64().expect("score");
            let second = hits[1]["score"].as_f64().expect("score");
            assert!(first > second, "{from}: {hits:?}");
            assert!(first <= 1.0);
        }
    }
    let hits = similar_json(
        dir.path(),
        &[
            "--text",
            "redacting personal data in case files for the CPS",
        ],
    );
    let top: Vec<&str> = hits[..2].iter().filter_map(|h| h["id"].as_str()).collect();
    assert!(top.contains(&"cps-evidence-redaction-tool"), "{top:?}");
    assert!(top.contains(&"case-file-redaction-assistant"), "{top:?}");
}

#[test]
fn very_close_separates_the_deliberate_pairs_from_everything_else() {
    let dir = shipped();
    let pairs = [
        "cps-evidence-redaction-tool",
        "case-file-redaction-assistant",
        "neighbourhood-abstraction-dashboard",
        "neighbourhood-abstraction-tracker",
    ];
    let threshold = f64::from(nsi::catalogue::search::similar::VERY_CLOSE);
    for entry in std::fs::read_dir(dir.path().join("catalogue")).expect("catalogue") {
        for file in std::fs::read_dir(entry.expect("force").path()).expect("force dir") {
            let path = file.expect("file").path();
            let id = path
                .file_stem()
                .and_then(|s| s.to_str())
                .expect("id")
                .to_owned();
            let hits = similar_json(dir.path(), &[&id, "--limit", "1"]);
            let best = hits
                .first()
                .and_then(|h| h["score"].as_f64())
                .unwrap_or(0.0);
            if pairs.contains(&id.as_str()) {
                assert!(best >= threshold, "{id} and its near-duplicate: {best}");
            } else {
                assert!(best < threshold, "{id} is not a duplicate of {hits:?}");
            }
        }
    }
}

// --- the catalogue's settings (nsi.toml) -------------------------------------------------------

/// `NEW` reviewed on 14 April 2026: seven months before the tests' today (28 November 2026),
/// so overdue when entries are reviewed every six months, not every twelve.
fn new_reviewed_in_april() -> String {
    format!("{NEW}created: '2026-01-05'\nlast_reviewed: '2026-04-14'\n")
}

#[test]
fn add_checks_email_domains_by_the_catalogue_settings() {
    let dir = shipped();
    fs::write(dir.path().join("new.yaml"), NEW).expect("write");
    fs::write(
        dir.path().join("nsi.toml"),
        "allowed_email_domains = [\"police.uk\"]\n",
    )
    .expect("nsi.toml");
    let (code, _, err) = run(nsi(dir.path()).args(["add", "--from", "new.yaml"]));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("NSI216"), "{err}");
    assert!(
        !dir.path()
            .join("catalogue/kent/custody-meal-planner.yaml")
            .exists()
    );
    // The contact's domain allowed: written.
    fs::write(
        dir.path().join("nsi.toml"),
        "allowed_email_domains = [\"police.example\"]\n",
    )
    .expect("nsi.toml");
    let (code, out, err) = run(nsi(dir.path()).args(["add", "--from", "new.yaml"]));
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("NSI216"), "{err}");
    assert_eq!(out.trim(), "catalogue/kent/custody-meal-planner.yaml");
}

#[test]
fn add_judges_the_review_by_the_configured_period() {
    let dir = shipped();
    fs::write(dir.path().join("new.yaml"), new_reviewed_in_april()).expect("write");
    // Twelve months by default: not overdue.
    let (code, out, err) = run(nsi(dir.path()).args(["add", "--from", "new.yaml"]));
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("NSI212"), "{err}");
    fs::remove_file(dir.path().join(out.trim())).expect("remove");
    // Six months: a warning, and the entry is still written.
    fs::write(dir.path().join("nsi.toml"), "review_period_months = 6\n").expect("nsi.toml");
    let (code, out, err) = run(nsi(dir.path()).args(["add", "--from", "new.yaml"]));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("NSI212") && err.contains("6 months"), "{err}");
    assert_eq!(out.trim(), "catalogue/kent/custody-meal-planner.yaml");
}

#[test]
fn import_checks_rows_by_the_catalogue_settings() {
    let dir = shipped();
    fs::write(dir.path().join("new.csv"), CSV).expect("csv");
    fs::write(
        dir.path().join("nsi.toml"),
        "allowed_email_domains = [\"police.uk\"]\n",
    )
    .expect("nsi.toml");
    let (code, out, _) = run(nsi(dir.path()).args(["import", "--csv", "new.csv", "--dry-run"]));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("new.csv:2:328: error[NSI216]: contacts[0].email: "),
        "{out}"
    );
    assert!(
        out.contains("new.csv:2:328: error[NSI216]: contacts[1].email: "),
        "{out}"
    );
    assert!(out.contains("0 would be created, 2 failed"), "{out}");
    // The environment overrides the file, as for `nsi validate`: an empty list allows any.
    let (code, out, _) = run(nsi(dir.path())
        .args(["import", "--csv", "new.csv", "--dry-run"])
        .env("NSI_ALLOWED_EMAIL_DOMAINS", "police.example"));
    assert_eq!(code, 1, "row 3 is broken anyway: {out}");
    assert!(!out.contains("NSI216"), "{out}");
    assert!(out.contains("1 would be created, 1 failed"), "{out}");
}

#[cfg(unix)]
#[test]
fn edit_checks_email_domains_by_the_catalogue_settings() {
    let dir = shipped();
    let relative = "catalogue/btp/text-report-triage.yaml";
    let path = dir.path().join(relative);
    let original = fs::read_to_string(&path).expect("read");
    fs::write(
        dir.path().join("nsi.toml"),
        "allowed_email_domains = [\"police.example\"]\n",
    )
    .expect("nsi.toml");
    let email = original
        .lines()
        .find_map(|l| l.trim().strip_prefix("email: "))
        .expect("an email")
        .to_owned();
    let personal = original.replacen(&email, "someone@gmail.example", 1);
    let fixed = original.replacen("phase: live", "phase: beta", 1);
    let editor = scripted_editor(dir.path(), &[&personal, &fixed]);
    let (code, out, err) = run(nsi(dir.path())
        .args(["edit", "text-report-triage"])
        .env("EDITOR", &editor));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim(), relative);
    let reopened = fs::read_to_string(dir.path().join("editor/shown-2.yaml")).expect("shown");
    assert!(
        reopened.starts_with("# nsi|") && reopened.contains("NSI216"),
        "the disallowed email is an error: {reopened}"
    );
    let written = fs::read_to_string(&path).expect("read");
    assert!(written.contains(&email) && written.contains("phase: beta"));
}

// --- line endings and permissions --------------------------------------------------------------

#[test]
fn add_writes_lf_line_endings_even_from_a_crlf_file() {
    let dir = shipped();
    fs::write(dir.path().join("new.yaml"), NEW.replace('\n', "\r\n")).expect("write");
    let (code, out, err) = run(nsi(dir.path()).args(["add", "--from", "new.yaml"]));
    assert_eq!(code, 0, "{err}");
    let written = fs::read(dir.path().join(out.trim())).expect("read");
    assert!(!written.contains(&b'\r'), "LF only");
    assert_written_well(dir.path(), &out);
}

#[cfg(unix)]
#[test]
fn add_writes_a_readable_file_and_edit_keeps_the_mode() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = shipped();
    fs::write(dir.path().join("new.yaml"), NEW).expect("write");
    let (code, out, err) = run(nsi(dir.path()).args(["add", "--from", "new.yaml"]));
    assert_eq!(code, 0, "{err}");
    let mode = |path: &Path| fs::metadata(path).expect("stat").permissions().mode() & 0o777;
    let written = dir.path().join(out.trim());
    assert_eq!(mode(&written), 0o644, "not a private temporary file's 0600");

    fs::set_permissions(&written, fs::Permissions::from_mode(0o640)).expect("chmod");
    let text = fs::read_to_string(&written).expect("read");
    let editor = scripted_editor(dir.path(), &[&text.replace("phase: beta", "phase: live")]);
    let (code, _, err) = run(nsi(dir.path())
        .args(["edit", "custody-meal-planner"])
        .env("EDITOR", &editor));
    assert_eq!(code, 0, "{err}");
    assert!(
        fs::read_to_string(&written)
            .expect("read")
            .contains("phase: live")
    );
    assert_eq!(mode(&written), 0o640);
}

#[cfg(unix)]
#[test]
fn edit_keeps_the_line_endings_of_the_file() {
    let dir = shipped();
    let relative = "catalogue/btp/text-report-triage.yaml";
    let path = dir.path().join(relative);
    let lf = fs::read_to_string(&path).expect("read");
    fs::write(&path, lf.replace('\n', "\r\n")).expect("write CRLF");
    let changed = lf.replacen("phase: live", "phase: beta", 1);
    let editor = scripted_editor(dir.path(), &[&changed]);
    let (code, _, err) = run(nsi(dir.path())
        .args(["edit", "text-report-triage"])
        .env("EDITOR", &editor));
    assert_eq!(code, 0, "{err}");
    let written = fs::read_to_string(&path).expect("read");
    assert_eq!(
        written,
        changed.replace('\n', "\r\n"),
        "CRLF kept, canonical"
    );
    let (code, out, _) = run(nsi(dir.path()).args(["fmt", "--check", relative]));
    assert_eq!(code, 0, "{out}");
}

// --- secrets and size ---------------------------------------------------------------------------

/// A credential is an error (NSI217): `add` writes nothing.
#[test]
fn add_refuses_an_entry_holding_a_token() {
    let dir = shipped();
    let text = NEW.replace(
        "rationale: Every force",
        "rationale: Publish with npm_1a2B3c4D5e6F7g8H9i0J1k2L3m4N5o6P7q8R. Every force",
    );
    fs::write(dir.path().join("new.yaml"), text).expect("write");
    let (code, out, err) = run(nsi(dir.path()).args(["add", "--from", "new.yaml", "--yes"]));
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        err.contains("error[NSI217]") && err.contains("an npm access token"),
        "{err}"
    );
    assert!(
        !dir.path()
            .join("catalogue/kent/custody-meal-planner.yaml")
            .exists()
    );
}

/// A file over the size limit given to `add --from` is refused without being read whole.
#[test]
fn add_refuses_a_file_over_the_size_limit() {
    let dir = shipped();
    let mut text = NEW.to_owned();
    text.push_str("description: |\n");
    while text.len() < 1024 * 1024 {
        text.push_str("  padding padding padding padding padding padding padding padding\n");
    }
    fs::write(dir.path().join("huge.yaml"), &text).expect("write");
    let (code, _, err) = run(nsi(dir.path()).args(["add", "--from", "huge.yaml"]));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("huge.yaml") && err.contains("larger than 256 KiB"),
        "{err}"
    );
}

/// A credential added in the editor is an error: `edit` reopens the file with it named, and
/// writes only once it is gone.
#[cfg(unix)]
#[test]
fn edit_reopens_an_entry_given_a_token() {
    let dir = shipped();
    let relative = "catalogue/btp/text-report-triage.yaml";
    let path = dir.path().join(relative);
    let original = fs::read_to_string(&path).expect("read");
    let leaked = original.replacen(
        "rationale: ",
        "rationale: Hooks post to https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX. ",
        1,
    );
    let fixed = original.replacen("phase: live", "phase: beta", 1);
    let editor = scripted_editor(dir.path(), &[&leaked, &fixed]);
    let (code, out, err) = run(nsi(dir.path())
        .args(["edit", "text-report-triage"])
        .env("EDITOR", &editor));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim(), relative);
    let reopened = fs::read_to_string(dir.path().join("editor/shown-2.yaml")).expect("shown");
    assert!(
        reopened.starts_with("# nsi|") && reopened.contains("error[NSI217]"),
        "the webhook is an error: {reopened}"
    );
    let written = fs::read_to_string(&path).expect("read");
    assert!(!written.contains("hooks.slack.com") && written.contains("phase: beta"));
}

/// A CSV row larger than an entry may be is refused at once, named by its row: a cell of 8 MB
/// used to be wrapped into YAML in time that grew with the square of its length.
#[test]
fn import_refuses_a_row_larger_than_an_entry_quickly() {
    let dir = shipped();
    let (header, row) = CSV.split_once('\n').expect("a header");
    let first = row.lines().next().expect("a row");
    let mut csv = format!("{header},description\n{first},");
    while csv.len() < 8 * 1024 * 1024 {
        csv.push_str("word word word word word word word word word word word word word ");
    }
    csv.push('\n');
    csv.push_str(first);
    csv.push_str(",A description of a sensible length.\n");
    fs::write(dir.path().join("new.csv"), &csv).expect("csv");
    let started = std::time::Instant::now();
    let (code, out, err) = run(nsi(dir.path()).args(["import", "--csv", "new.csv", "--dry-run"]));
    let elapsed = started.elapsed();
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("new.csv:2:1: error[NSI002]: the row holds")
            && out.contains("an entry is at most 256 KiB"),
        "{out}"
    );
    assert!(
        out.contains("row 3: would create catalogue/kent/custody-meal-planner.yaml"),
        "{out}"
    );
    assert!(
        elapsed < std::time::Duration::from_secs(5),
        "took {elapsed:?}"
    );
    // A file over the import's limit is refused unread, from a path or from stdin.
    let huge = "x".repeat(17 * 1024 * 1024);
    let (code, _, err) = import(dir.path(), "huge.csv", &huge, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("larger than 16 MiB"), "{err}");
    let (code, _, err) = run(nsi(dir.path())
        .args(["import", "--csv", "-"])
        .write_stdin(huge));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("cannot read stdin: it is larger than 16 MiB"),
        "{err}"
    );
}

/// A file of many broken rows draws the findings of the first hundred, counts the rest, and
/// still checks every row; a file of more rows than an import takes is refused before any is
/// checked. Rows end where an editor ends lines, CR line endings included.
#[test]
fn import_lists_the_first_hundred_broken_rows_and_refuses_too_many() {
    let dir = shipped();
    let (code, out, _) = import(
        dir.path(),
        "broken.csv",
        &format!("title\r{}", "x\r".repeat(101)),
        &["--dry-run"],
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("broken.csv:101:1: error[NSI101]"), "{out}");
    assert!(
        !out.contains("broken.csv:102:"),
        "the hundred-and-first row is not drawn: {out}"
    );
    assert!(out.contains("row 102: not created"), "{out}");
    assert!(
        out.contains("the findings of 1 more rows are not listed"),
        "{out}"
    );
    assert!(out.contains("0 would be created, 101 failed"), "{out}");
    // CRLF, as Excel saves a CSV, with its byte-order mark: the second row is on line 3.
    let (code, out, _) = import(
        dir.path(),
        "excel.csv",
        "\u{feff}title,phase\r\nFirst,beta\r\nSecond Thing,nearly\r\n",
        &["--dry-run"],
    );
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("excel.csv:3:14: error[NSI104]: `phase` is `nearly`"),
        "{out}"
    );
    assert!(out.contains("3 | Second Thing,nearly\n"), "{out}");

    let rows = nsi::catalogue::author::MAX_IMPORT_ROWS;
    let (code, out, err) = import(
        dir.path(),
        "many.csv",
        &format!("title\n{}", "x\n".repeat(rows + 1)),
        &[],
    );
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains(&format!("it holds {} rows; at most {rows}", rows + 1)),
        "{err}"
    );
    assert!(out.is_empty(), "no row is checked: {out}");
}

/// Rows a spreadsheet leaves empty are no rows; rows after empty lines are numbered where they
/// are; rows with warnings only do not use up the room for rows with errors; and a reader that
/// stops reading does not turn failed rows into a success.
#[test]
fn import_numbers_rows_where_they_are_and_lists_errors_first() {
    let dir = shipped();
    let good = CSV.lines().nth(1).expect("a good row");
    let header = CSV.lines().next().expect("the header");
    let commas = ",".repeat(header.matches(',').count());
    let mut csv = format!("{header}\n");
    for _ in 0..101 {
        csv.push_str(good);
        csv.push('\n');
    }
    csv = format!("{csv}\n\n{commas}\nBroken Thing,kent,criminal-justice,nearly\n{commas}\n");
    let (code, out, _) = import(dir.path(), "many.csv", &csv, &["--dry-run"]);
    assert_eq!(code, 1, "{out}");
    // 101 good rows (lines 2–102), two empty lines, a row of empty cells, then the broken row.
    assert!(
        out.contains("many.csv:106:36: error[NSI104]: `phase` is `nearly`"),
        "the error is listed, on its own line: {out}"
    );
    assert!(out.contains("row 106: not created"), "{out}");
    assert!(out.contains("101 would be created, 1 failed"), "{out}");
    assert!(
        out.contains("the findings of 1 more rows are not listed"),
        "the hundred-and-first row of warnings only: {out}"
    );

    // With the output closed early, the failure still shows in the exit code.
    let piped = std::process::Command::new("bash")
        .args([
            "-c",
            "set -o pipefail; \"$NSI\" import --csv many.csv --dry-run | head -c 1 >/dev/null",
        ])
        .env("NSI", assert_cmd::cargo::cargo_bin("nsi"))
        .env("NSI_TODAY", "2026-11-28")
        .env("NSI_INDEX_IN_BACKGROUND", "false")
        .env("NO_COLOR", "1")
        .current_dir(dir.path())
        .status()
        .expect("bash");
    assert_eq!(
        piped.code(),
        Some(1),
        "failed rows are a failure, read or not"
    );

    // A header nesting deeper than any field is refused before any row is read.
    let (code, _, err) = import(
        dir.path(),
        "deep.csv",
        "title,a.b.c.d.e.f.g.h.i\nx,y\n",
        &[],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("column 2 of the header"), "{err}");
}

/// On a terminal, the progress bar steps aside for each row said: no line shows the bar and a
/// finding together.
#[test]
fn import_progress_never_mixes_into_the_rows_said() {
    let dir = shipped();
    fs::write(
        dir.path().join("many.csv"),
        format!("title\n{}", "x\n".repeat(600)),
    )
    .expect("csv");
    let (code, output) = common::in_terminal(
        dir.path(),
        "import --csv many.csv --dry-run",
        &[("NO_COLOR", "1")],
    );
    assert_eq!(code, Some(1), "{output}");
    let escapes = regex::Regex::new(r"\x1b\[[0-9;?]*[A-Za-z]").expect("a pattern");
    let plain = escapes.replace_all(&output, "");
    assert!(plain.contains("importing"), "the bar was drawn: {plain}");
    for line in plain.lines() {
        // What stays on screen of a line: what follows its last carriage return.
        let shown = line.rsplit('\r').next().unwrap_or(line);
        assert!(
            !(shown.contains("importing [")
                && (shown.contains("error[") || shown.contains("row "))),
            "the bar and a row on one line: {shown:?}"
        );
    }
}
