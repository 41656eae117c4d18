//! What must hold on every platform nsi is released for: `nsi version`, files with CRLF line
//! endings (as Git for Windows checks them out), and the catalogue's settings reaching the
//! commands that judge dates (`nsi show`, `nsi stats`). The real binary, on temporary copies of
//! the shipped catalogue.

mod common;

use std::fs;
use std::path::Path;

use chrono::{Months, NaiveDate};
use serde_json::Value;

use common::{REPO, keys_of, nsi, shipped, stdout_of};

fn json_of(command: &mut assert_cmd::Command) -> Value {
    serde_json::from_str(&stdout_of(command)).expect("JSON")
}

// --- nsi version -------------------------------------------------------------------------------

/// The version the repository's schema declares: the version segment of its `$id`.
fn declared_schema_version() -> String {
    let text =
        fs::read_to_string(Path::new(REPO).join("schema/solution.schema.json")).expect("schema");
    let schema: Value = serde_json::from_str(&text).expect("JSON");
    let id = schema["$id"].as_str().expect("the schema has an $id");
    id.strip_prefix("https://nsi.police.example/schema/")
        .and_then(|rest| rest.strip_suffix("/solution.schema.json"))
        .expect("the $id carries the version")
        .to_owned()
}

#[test]
fn version_names_nsi_the_schema_and_the_export_format() {
    let dir = shipped();
    let report = json_of(nsi(dir.path()).args(["version", "--format", "json"]));
    let keys = keys_of(&report);
    assert_eq!(
        keys,
        [
            "version",
            "schema",
            "export_schema_version",
            "commit",
            "target",
            "os",
            "arch"
        ]
    );
    assert_eq!(report["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        report["export_schema_version"],
        nsi::catalogue::export::EXPORT_SCHEMA_VERSION
    );
    let schema = &report["schema"];
    assert_eq!(schema["version"], declared_schema_version().as_str());
    assert_eq!(
        schema["id"],
        format!(
            "https://nsi.police.example/schema/{}/solution.schema.json",
            declared_schema_version()
        )
    );
    assert_eq!(schema["source"], "catalogue");
    assert_eq!(schema["same_as_embedded"], true);
    let path = schema["path"].as_str().expect("a path");
    assert!(
        Path::new(path).ends_with(Path::new("schema").join("solution.schema.json")),
        "{path}"
    );
    assert!(report["commit"].is_null() || report["commit"].is_string());
    assert_eq!(report["os"], std::env::consts::OS);
    assert_eq!(report["arch"], std::env::consts::ARCH);
    let target = report["target"].as_str().expect("target");
    assert!(target.starts_with(std::env::consts::ARCH), "{target}");
    let expected_os = if cfg!(target_os = "macos") {
        "-apple-darwin"
    } else if cfg!(windows) {
        "-pc-windows-"
    } else {
        "-linux-"
    };
    assert!(target.contains(expected_os), "{target}");

    let text = stdout_of(nsi(dir.path()).arg("version"));
    let first = text.lines().next().expect("a line");
    assert_eq!(first, format!("nsi {}", env!("CARGO_PKG_VERSION")));
    assert!(
        text.contains(&format!("schema: {}", declared_schema_version())),
        "{text}"
    );
    assert!(text.contains("export format: nsi-export/"), "{text}");
    assert!(text.contains(&format!("target: {target}")), "{text}");
    // `--version` stays the one-line form.
    assert_eq!(
        stdout_of(nsi(dir.path()).arg("--version")),
        format!("{first}\n")
    );
}

#[test]
fn version_says_where_the_schema_was_read_from() {
    // Outside a catalogue: the schema built into nsi.
    let outside = tempfile::tempdir().expect("temp dir");
    let report = json_of(nsi(outside.path()).args(["version", "--format", "json"]));
    assert_eq!(report["schema"]["source"], "embedded");
    assert!(report["schema"]["path"].is_null());
    assert_eq!(
        report["schema"]["version"],
        declared_schema_version().as_str()
    );
    let text = stdout_of(nsi(outside.path()).arg("version"));
    assert!(text.contains("schema read from: built into nsi"), "{text}");

    // A catalogue whose schema differs from the built-in one says so.
    let dir = shipped();
    let schema_path = dir.path().join("schema/solution.schema.json");
    let text = fs::read_to_string(&schema_path).expect("schema");
    fs::write(
        &schema_path,
        text.replacen(
            &format!("/schema/{}/", declared_schema_version()),
            "/schema/9.9.9/",
            1,
        ),
    )
    .expect("write");
    let report = json_of(
        nsi(outside.path())
            .args(["version", "--format", "json", "--catalogue"])
            .arg(dir.path()),
    );
    assert_eq!(report["schema"]["source"], "catalogue");
    assert_eq!(report["schema"]["version"], "9.9.9");
    assert_eq!(report["schema"]["same_as_embedded"], false);

    // A --catalogue that is not one is a usage error, as for every command.
    let output = nsi(outside.path())
        .args(["version", "--catalogue"])
        .arg(outside.path().join("nowhere"))
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
}

// --- CRLF line endings -------------------------------------------------------------------------

const KENT: &str = "catalogue/kent/domestic-abuse-video-response.yaml";
const BTP: &str = "catalogue/btp/text-report-triage.yaml";

fn crlf(text: &str) -> String {
    text.replace('\n', "\r\n")
}

/// Whether every line break of `bytes` is CRLF.
fn all_crlf(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .enumerate()
        .all(|(i, &b)| b != b'\n' || (i > 0 && bytes[i - 1] == b'\r'))
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = nsi(dir).args(args).output().expect("run");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn crlf_files_validate_like_lf_files_with_the_same_lines_and_columns() {
    let dir = shipped();
    // BTP's entry has literal blocks (`|`), whose line breaks CRLF must not change.
    for relative in [KENT, BTP] {
        let path = dir.path().join(relative);
        let lf = fs::read_to_string(&path).expect("read");
        fs::write(&path, crlf(&lf)).expect("write");
        let (code, out, err) = run(dir.path(), &["validate", relative]);
        assert_eq!(code, 0, "{relative}: {out}{err}");
        assert!(
            !out.contains("error[") && !out.contains("warning["),
            "{out}"
        );

        // The same mistake is reported at the same place, with the line shown without its CR.
        let broken = lf.replacen("phase: ", "phase: nearly-", 1);
        fs::write(&path, &broken).expect("write");
        let (_, lf_out, _) = run(dir.path(), &["validate", relative]);
        fs::write(&path, crlf(&broken)).expect("write");
        let (code, crlf_out, _) = run(dir.path(), &["validate", relative]);
        assert_eq!(code, 1, "{crlf_out}");
        assert!(crlf_out.contains("NSI104"), "{crlf_out}");
        assert_eq!(crlf_out, lf_out);
        assert!(!crlf_out.contains('\r'), "{crlf_out:?}");
        fs::write(&path, crlf(&lf)).expect("restore");
    }
    // And the whole catalogue checked out with CRLF is as valid as with LF.
    for force in fs::read_dir(dir.path().join("catalogue")).expect("catalogue") {
        for file in fs::read_dir(force.expect("force").path()).expect("force dir") {
            let path = file.expect("file").path();
            let text = fs::read_to_string(&path).expect("read");
            fs::write(&path, crlf(&text.replace("\r\n", "\n"))).expect("write");
        }
    }
    let (_, lf_out, _) = run(Path::new(REPO), &["validate", "--format", "json"]);
    let (_, crlf_out, _) = run(dir.path(), &["validate", "--format", "json"]);
    assert_eq!(crlf_out, lf_out);
    let (code, out, err) = run(dir.path(), &["fmt", "--check"]);
    assert_eq!(code, 0, "a CRLF checkout is canonical: {out}{err}");
}

/// The entry at `relative` written out of canonical form (its first key moved last, its
/// phase quoted), with `ending` between lines.
fn scrambled(dir: &Path, relative: &str, ending: &str) -> Vec<u8> {
    let text = fs::read_to_string(Path::new(REPO).join(relative)).expect("read");
    let (first, rest) = text.split_once('\n').expect("lines");
    let moved: Vec<String> = rest
        .lines()
        .chain([first])
        .map(|line| match line.strip_prefix("phase: ") {
            Some(phase) => format!("phase: \"{phase}\""),
            None => line.to_owned(),
        })
        .collect();
    let bytes = format!("{}{ending}", moved.join(ending)).into_bytes();
    fs::write(dir.join(relative), &bytes).expect("write");
    bytes
}

#[test]
fn fmt_keeps_crlf_files_crlf_and_lf_files_lf_and_is_idempotent() {
    let dir = shipped();
    let total = fs::read_dir(dir.path().join("catalogue"))
        .expect("catalogue")
        .flat_map(|f| fs::read_dir(f.expect("force").path()).expect("force dir"))
        .count();
    for (ending, relative) in [("\r\n", KENT), ("\r\n", BTP), ("\n", KENT), ("\n", BTP)] {
        let canonical = fs::read_to_string(Path::new(REPO).join(relative)).expect("read");
        let before = scrambled(dir.path(), relative, ending);
        let (code, out, _) = run(dir.path(), &["fmt", "--check"]);
        assert_eq!(code, 1, "{out}");
        assert_ne!(before, canonical.as_bytes());

        let (code, out, err) = run(dir.path(), &["fmt"]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(out, format!("formatted 1 of {total} files\n"));
        let after = fs::read(dir.path().join(relative)).expect("read");
        assert_eq!(
            String::from_utf8(after.clone()).expect("utf-8"),
            canonical.replace('\n', ending),
            "{relative} with {ending:?}"
        );
        if ending == "\r\n" {
            assert!(all_crlf(&after));
        } else {
            assert!(!after.contains(&b'\r'));
        }

        // Idempotent: nothing more to do, the file not even touched, and --check agrees.
        let modified = fs::metadata(dir.path().join(relative))
            .expect("stat")
            .modified()
            .expect("mtime");
        let (code, out, _) = run(dir.path(), &["fmt"]);
        assert_eq!(
            (code, out.as_str()),
            (0, format!("formatted 0 of {total} files\n").as_str())
        );
        assert_eq!(fs::read(dir.path().join(relative)).expect("read"), after);
        assert_eq!(
            fs::metadata(dir.path().join(relative))
                .expect("stat")
                .modified()
                .expect("mtime"),
            modified
        );
        let (code, out, _) = run(dir.path(), &["fmt", "--check"]);
        assert_eq!(code, 0, "{out}");
        // Back to LF for the next round (the shipped file).
        fs::write(dir.path().join(relative), &canonical).expect("reset");
    }
}

// --- the catalogue's settings reach show and stats ---------------------------------------------

const TODAY: &str = "2026-11-28";

/// How many shipped entries are overdue for review on [`TODAY`] with reviews every `months`.
fn overdue_in_shipped(months: u32) -> usize {
    let today = NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").expect("date");
    let mut overdue = 0;
    for force in fs::read_dir(Path::new(REPO).join("catalogue")).expect("catalogue") {
        for file in fs::read_dir(force.expect("force").path()).expect("force dir") {
            let text = fs::read_to_string(file.expect("file").path()).expect("read");
            let date = text
                .lines()
                .find_map(|l| l.strip_prefix("last_reviewed: "))
                .expect("last_reviewed")
                .trim_matches('\'');
            let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").expect("date");
            let due = date.checked_add_months(Months::new(months)).expect("due");
            overdue += usize::from(due < today);
        }
    }
    overdue
}

#[test]
fn stats_counts_overdue_reviews_by_the_configured_period() {
    let dir = shipped();
    let stats = json_of(nsi(dir.path()).args(["stats", "--format", "json"]));
    assert_eq!(stats["review_period_months"], 12);
    assert_eq!(stats["reviews_overdue"], overdue_in_shipped(12));

    fs::write(dir.path().join("nsi.toml"), "review_period_months = 6\n").expect("nsi.toml");
    let stats = json_of(nsi(dir.path()).args(["stats", "--format", "json"]));
    assert_eq!(stats["review_period_months"], 6);
    assert_eq!(stats["reviews_overdue"], overdue_in_shipped(6));
    assert!(overdue_in_shipped(6) > overdue_in_shipped(12));
    let text = stdout_of(nsi(dir.path()).arg("stats"));
    assert!(
        text.contains(&format!(
            "{} reviews overdue (period: 6 months)",
            overdue_in_shipped(6)
        )),
        "{text}"
    );
}

#[test]
fn show_flags_an_overdue_review_by_the_configured_period() {
    let dir = shipped();
    // Kent's entry was last reviewed on 2026-04-14: fine by twelve months, overdue by six.
    let id = "domestic-abuse-video-response";
    let text = stdout_of(nsi(dir.path()).args(["show", id]));
    assert!(text.contains("last reviewed 2026-04-14"), "{text}");
    assert!(!text.contains("overdue"), "{text}");

    fs::write(dir.path().join("nsi.toml"), "review_period_months = 6\n").expect("nsi.toml");
    let text = stdout_of(nsi(dir.path()).args(["show", id]));
    assert!(
        text.contains("last reviewed 2026-04-14 (review overdue: due 2026-10-14)"),
        "{text}"
    );
    // The environment overrides the file, as everywhere.
    let text = stdout_of(
        nsi(dir.path())
            .args(["show", id])
            .env("NSI_REVIEW_PERIOD_MONTHS", "12"),
    );
    assert!(!text.contains("overdue"), "{text}");
    // A broken nsi.toml is named, not ignored (exit 2); the raw formats do not need it.
    fs::write(dir.path().join("nsi.toml"), "review_period_months = 0\n").expect("nsi.toml");
    let output = nsi(dir.path()).args(["show", id]).output().expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("nsi.toml"));
    stdout_of(nsi(dir.path()).args(["show", id, "--format", "yaml"]));
}
