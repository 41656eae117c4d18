//! End-to-end tests of `nsi export`: the real binary on a copy of the shipped catalogue, its JSON
//! and CSV parsed, and the public audience checked for anything that must not leave policing.

mod common;

use common::{keys_of, nsi, shipped, stdout_of};
use std::fs;
use std::path::Path;

use serde_json::Value;

const SHIPPED_ENTRIES: usize = 28;
const SHIPPED_PUBLIC: usize = 11;
const BOM: &str = "\u{feff}";

fn export(dir: &Path, args: &[&str]) -> String {
    stdout_of(nsi(dir).arg("export").args(args))
}

fn json(dir: &Path, audience: &str) -> Value {
    let text = export(dir, &["--format", "json", "--audience", audience]);
    serde_json::from_str(&text).expect("one JSON document")
}

fn entries(document: &Value) -> &Vec<Value> {
    document["entries"].as_array().expect("entries array")
}

fn csv_rows(text: &str) -> (Vec<String>, Vec<csv::StringRecord>) {
    let body = text.strip_prefix(BOM).expect("starts with a UTF-8 BOM");
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let headers = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader.records().collect::<Result<_, _>>().expect("rows");
    (headers, rows)
}

/// Every contact name and email address in the catalogue, from a policing export.
fn all_contacts(dir: &Path) -> Vec<String> {
    let document = json(dir, "policing");
    let contacts: Vec<String> = entries(&document)
        .iter()
        .flat_map(|e| e["contacts"].as_array().expect("contacts").clone())
        .flat_map(|c| {
            [
                c["name"].as_str().expect("name").to_owned(),
                c["email"].as_str().expect("email").to_owned(),
            ]
        })
        .collect();
    assert!(contacts.len() >= SHIPPED_ENTRIES * 2, "{contacts:?}");
    contacts
}

/// Replace a line starting with `field:` in an entry file.
fn set_line(dir: &Path, entry: &str, field: &str, line: &str) {
    let path = dir.join("catalogue").join(entry);
    let text = fs::read_to_string(&path).expect("read");
    let old = text
        .lines()
        .find(|l| l.starts_with(&format!("{field}:")))
        .expect("field")
        .to_owned();
    fs::write(&path, text.replace(&old, line)).expect("write");
}

#[test]
fn json_has_the_documented_shape_every_entry_and_sorted_ids() {
    let dir = shipped();
    let document = json(dir.path(), "policing");
    let keys = keys_of(&document);
    assert_eq!(keys, ["schema_version", "generated", "audience", "entries"]);
    assert_eq!(document["schema_version"], "nsi-export/1");
    assert_eq!(document["audience"], "policing");
    // NSI_TODAY (set by the harness) fixes the date; the time is midnight UTC.
    assert_eq!(document["generated"], "2026-11-28T00:00:00Z");
    let ids: Vec<&str> = entries(&document)
        .iter()
        .map(|e| e["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids.len(), SHIPPED_ENTRIES);
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "sorted: {ids:?}");
    let public = entries(&document)
        .iter()
        .filter(|e| e["visibility"] == "public")
        .count();
    assert_eq!(public, SHIPPED_PUBLIC);
}

#[test]
fn the_generated_time_can_be_fixed() {
    let dir = shipped();
    let text = export(
        dir.path(),
        &[
            "--format",
            "json",
            "--generated",
            "2026-01-02T03:04:05+01:00",
        ],
    );
    let document: Value = serde_json::from_str(&text).expect("json");
    assert_eq!(document["generated"], "2026-01-02T03:04:05+01:00");
}

#[test]
fn public_json_has_only_public_entries_without_contacts() {
    let dir = shipped();
    let document = json(dir.path(), "public");
    assert_eq!(document["audience"], "public");
    let list = entries(&document);
    assert_eq!(list.len(), SHIPPED_PUBLIC);
    for entry in list {
        assert_eq!(entry["visibility"], "public", "{}", entry["id"]);
        assert_eq!(
            entry["contacts"],
            Value::Array(Vec::new()),
            "{}",
            entry["id"]
        );
    }
}

#[test]
fn csv_has_a_bom_the_documented_header_and_one_row_per_entry() {
    let dir = shipped();
    let text = export(dir.path(), &["--format", "csv"]);
    let (headers, rows) = csv_rows(&text);
    assert_eq!(
        headers,
        [
            "id",
            "title",
            "owner_force",
            "partner_forces",
            "categories",
            "phase",
            "summary",
            "problem_statement",
            "technology_stack",
            "deployment",
            "licence",
            "highest_skill_level",
            "documents",
            "contacts",
            "aftercare",
            "visibility",
            "created",
            "last_reviewed",
            "tags",
        ]
    );
    assert_eq!(rows.len(), SHIPPED_ENTRIES);
    assert!(rows.iter().all(|r| r.len() == headers.len()));
    let ids: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "sorted: {ids:?}");
    // Policing exports name contacts as `Name <email>`, lists joined with "; ".
    assert!(
        rows.iter()
            .all(|r| r[13].contains('<') && r[13].contains('@'))
    );
    assert!(rows.iter().any(|r| r[4].contains("; ")));
    assert!(
        rows.iter().all(|r| r[12].contains(':')),
        "type:availability"
    );

    let public = export(dir.path(), &["--format", "csv", "--audience", "public"]);
    let (public_headers, public_rows) = csv_rows(&public);
    assert_eq!(public_headers, headers);
    assert_eq!(public_rows.len(), SHIPPED_PUBLIC);
    assert!(
        public_rows
            .iter()
            .all(|r| r[13].is_empty() && &r[15] == "public")
    );
}

#[test]
fn public_exports_hold_no_email_address_and_no_contact_name_in_any_format() {
    let dir = shipped();
    // An address hidden in free text of a public entry must go too.
    set_line(
        dir.path(),
        "police-scotland/accessible-document-checker.yaml",
        "title",
        "title: 'Accessible Document Checker (ask a.checker@scotland.police.uk)'",
    );
    let contacts = all_contacts(dir.path());
    let policing = export(dir.path(), &["--format", "json"]);
    assert!(
        policing.contains("a.checker@scotland.police.uk"),
        "the edit took"
    );
    for format in ["json", "csv"] {
        let text = export(dir.path(), &["--format", format, "--audience", "public"]);
        assert!(!text.contains('@'), "{format}: an `@` in a public export");
        for contact in &contacts {
            assert!(
                !text.contains(contact.as_str()),
                "{format}: `{contact}` in a public export"
            );
        }
        assert!(text.contains("[email removed]"), "{format}");
    }
}

#[test]
fn official_sensitive_documents_are_absent_from_public_exports() {
    let dir = shipped();
    let sensitive = |document: &Value| -> Vec<String> {
        entries(document)
            .iter()
            .filter(|e| {
                e["documentation"]
                    .as_array()
                    .expect("documentation")
                    .iter()
                    .any(|d| d["classification"] == "official-sensitive")
            })
            .map(|e| e["id"].as_str().expect("id").to_owned())
            .collect()
    };
    let policing = json(dir.path(), "policing");
    let public_with_sensitive: Vec<String> = sensitive(&policing)
        .into_iter()
        .filter(|id| {
            entries(&policing)
                .iter()
                .any(|e| e["id"] == id.as_str() && e["visibility"] == "public")
        })
        .collect();
    assert!(
        !public_with_sensitive.is_empty(),
        "the shipped catalogue has a public entry with an OFFICIAL-SENSITIVE document"
    );
    let public = json(dir.path(), "public");
    assert_eq!(sensitive(&public), Vec::<String>::new());
    let text = serde_json::to_string(&public).expect("json");
    assert!(!text.contains("official-sensitive"));
    // The entries themselves stay, with their other documents.
    for id in &public_with_sensitive {
        assert!(entries(&public).iter().any(|e| e["id"] == id.as_str()));
    }
}

#[test]
fn a_title_starting_with_equals_is_neutralised_in_csv() {
    let dir = shipped();
    set_line(
        dir.path(),
        "kent/domestic-abuse-video-response.yaml",
        "title",
        "title: '=HYPERLINK(\"http://evil.example\")'",
    );
    let (_, rows) = csv_rows(&export(dir.path(), &["--format", "csv"]));
    let row = rows
        .iter()
        .find(|r| &r[0] == "domestic-abuse-video-response")
        .expect("the edited entry");
    assert_eq!(&row[1], "'=HYPERLINK(\"http://evil.example\")");
}

/// A spreadsheet that splits a column on `;` or `,` makes each part a cell: a formula after a
/// separator is neutralised as one at the start is, in list cells too; and every cell of the
/// export is quoted.
#[test]
fn formulas_after_separators_are_neutralised_and_every_cell_is_quoted() {
    let dir = shipped();
    set_line(
        dir.path(),
        "kent/domestic-abuse-video-response.yaml",
        "title",
        "title: 'x;=HYPERLINK(\"http://evil.example\",\"click\")'",
    );
    // Two more items in a list cell (joined with `; `), each a formula.
    let path = dir
        .path()
        .join("catalogue/kent/domestic-abuse-video-response.yaml");
    let text = fs::read_to_string(&path).expect("read");
    fs::write(
        &path,
        text.replacen(
            "  stack:\n",
            "  stack:\n    - '+cmd()'\n    - '@SUM(A1)|-1'\n",
            1,
        ),
    )
    .expect("write");
    let text = export(dir.path(), &["--format", "csv"]);
    let body = text.strip_prefix(BOM).expect("a BOM");
    assert!(
        body.starts_with("\"id\",\"title\",\"owner_force\",\"partner_forces\""),
        "{body}"
    );
    let raw = body
        .lines()
        .find(|l| l.starts_with("\"domestic-abuse-video-response\","))
        .expect("the edited entry's row");
    // Cells that need no quotes for CSV's sake are quoted all the same.
    assert!(
        raw.contains(",\"kent\",") && raw.contains(",\"live\","),
        "{raw}"
    );
    let (_, rows) = csv_rows(&text);
    let row = rows
        .iter()
        .find(|r| &r[0] == "domestic-abuse-video-response")
        .expect("the edited entry");
    assert_eq!(&row[1], "x;'=HYPERLINK(\"http://evil.example\",\"click\")");
    assert!(
        row[8].starts_with("'+cmd(); '@SUM(A1)|'-1; "),
        "{}",
        &row[8]
    );
}

#[test]
fn out_writes_the_file_atomically_and_prints_nothing() {
    let dir = shipped();
    let folder = dir.path().join("exports");
    fs::create_dir(&folder).expect("mkdir");
    let target = folder.join("nsi.csv");
    let printed = export(
        dir.path(),
        &["--format", "csv", "--out", target.to_str().expect("utf-8")],
    );
    assert_eq!(printed, "");
    let written = fs::read_to_string(&target).expect("the file was written");
    assert_eq!(written, export(dir.path(), &["--format", "csv"]));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = fs::metadata(&target).expect("stat").permissions().mode();
        assert_eq!(
            mode & 0o644,
            0o644,
            "readable like any other file: {mode:o}"
        );
    }
    let left: Vec<_> = fs::read_dir(&folder).expect("read").collect();
    assert_eq!(left.len(), 1, "no temporary file left behind");

    // JSON written to a file (as it is made) is the JSON printed, byte for byte.
    let fixed = [
        "--format",
        "json",
        "--generated",
        "2026-01-02T03:04:05+01:00",
    ];
    let target = folder.join("nsi.json");
    let mut args = fixed.to_vec();
    args.extend(["--out", target.to_str().expect("utf-8")]);
    assert_eq!(export(dir.path(), &args), "");
    let written = fs::read_to_string(&target).expect("the file was written");
    assert_eq!(written, export(dir.path(), &fixed));

    // And CSV.
    let target = folder.join("nsi.csv");
    assert_eq!(
        export(
            dir.path(),
            &["--format", "csv", "--out", target.to_str().expect("utf-8")]
        ),
        ""
    );
    let written = fs::read_to_string(&target).expect("the file was written");
    assert_eq!(written, export(dir.path(), &["--format", "csv"]));
}

#[test]
fn a_closed_pipe_ends_an_export_quietly() {
    let dir = shipped();
    let binary = assert_cmd::cargo::cargo_bin("nsi");
    for format in ["json", "csv"] {
        let mut child = std::process::Command::new(&binary)
            .args(["export", "--format", format])
            .current_dir(dir.path())
            .env("NSI_TODAY", "2026-11-28")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn");
        drop(child.stdout.take());
        let output = child.wait_with_output().expect("wait");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{format}: {stderr}");
        assert!(stderr.is_empty(), "{format}: {stderr}");
    }
}

#[test]
fn unreadable_files_are_left_out_named_and_exit_1() {
    let dir = shipped();
    fs::write(
        dir.path().join("catalogue/kent/broken.yaml"),
        "id: [unclosed\n",
    )
    .expect("write");
    let output = nsi(dir.path())
        .args(["export", "--format", "json"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("skipped catalogue/kent/broken.yaml: error[NSI004] at 1:5")
            && stderr.contains("1 file(s) are not valid entries and are not in the export"),
        "{stderr}"
    );
    let document: Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(entries(&document).len(), SHIPPED_ENTRIES);
    // Every format that exports entries says so, and still writes them.
    for format in ["csv", "html"] {
        let out = dir.path().join(format!("out-{format}"));
        let output = nsi(dir.path())
            .args(["export", "--quiet", "--format", format, "--out"])
            .arg(&out)
            .output()
            .expect("run");
        assert_eq!(output.status.code(), Some(1), "{format}");
        assert!(output.stderr.is_empty(), "{format}: quiet");
        assert!(out.exists(), "{format}: written all the same");
    }
}

/// An export publishes only what the gate accepts: an entry holding a credential (NSI217) or
/// text over the schema's limit (NSI107) is left out of every format, for every audience,
/// named with its error — and the oversized text is never rendered (a 200 KB description took
/// seconds to lay out as a page).
#[test]
fn entries_with_a_secret_or_text_over_its_limit_are_left_out_of_every_export() {
    const TOKEN: &str = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
    let dir = shipped();
    set_line(
        dir.path(),
        "avon-and-somerset/drone-flight-log.yaml",
        "title",
        &format!("title: 'Drone Unit Flight Log (deployed with {TOKEN})'"),
    );
    let path = dir
        .path()
        .join("catalogue/cleveland/officer-wellbeing-app.yaml");
    let text = fs::read_to_string(&path).expect("read");
    let long = "Wellbeing text that goes on. ".repeat(7_000);
    let start = text.find("description: |\n").expect("a description");
    let end = start
        + text[start..]
            .find("\nowner_force:")
            .expect("the next field");
    fs::write(
        &path,
        format!("{}description: '{long}'{}", &text[..start], &text[end..]),
    )
    .expect("write");
    let started = std::time::Instant::now();
    for audience in ["policing", "public"] {
        for format in ["json", "csv", "html"] {
            let out = dir.path().join(format!("out-{audience}-{format}"));
            let output = nsi(dir.path())
                .args([
                    "export",
                    "--format",
                    format,
                    "--audience",
                    audience,
                    "--out",
                ])
                .arg(&out)
                .output()
                .expect("run");
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(
                output.status.code(),
                Some(1),
                "{audience} {format}: {stderr}"
            );
            assert!(
                stderr.contains(
                    "skipped catalogue/avon-and-somerset/drone-flight-log.yaml: error[NSI217]"
                ) && stderr.contains(
                    "skipped catalogue/cleveland/officer-wellbeing-app.yaml: error[NSI107]"
                ) && stderr.contains("2 file(s) are not valid entries"),
                "{audience} {format}: {stderr}"
            );
            let written = if out.is_dir() {
                let mut all = String::new();
                for file in walk(&out) {
                    all.push_str(&String::from_utf8_lossy(&fs::read(file).expect("read")));
                }
                all
            } else {
                fs::read_to_string(&out).expect("read")
            };
            for absent in [
                TOKEN,
                "officer-wellbeing-app",
                "drone-flight-log",
                "Wellbeing text that goes on",
            ] {
                assert!(
                    !written.contains(absent),
                    "{audience} {format}: `{absent}` is in the export"
                );
            }
            assert!(written.contains("cps-evidence-redaction-tool") || audience == "public");
        }
    }
    assert!(
        started.elapsed() < std::time::Duration::from_secs(60),
        "six exports took {:?}",
        started.elapsed()
    );
}

/// Every file under `dir`.
fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}
