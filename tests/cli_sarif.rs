//! `nsi validate --format sarif` and `--format azure`: the real binary on a catalogue with
//! findings. The SARIF log is validated against the official SARIF 2.1.0 schema, as shipped by
//! the npm package `@microsoft/jest-sarif` (installed by scripts/test), never a copy by hand.

mod common;

use std::fs;
use std::path::Path;

use common::git::git_in;
use common::{REPO, catalogue, nsi};
use serde_json::Value;

fn entry(id: &str, force: &str) -> String {
    fs::read_to_string(Path::new(REPO).join("tests/data/minimal-entry.yaml"))
        .expect("template")
        .replace("ID", id)
        .replace("FORCE", force)
}

/// A catalogue inside a git repository, one folder down (`index/`), holding an entry with an
/// error (owner force ≠ folder) and one with a warning (an overdue review).
fn repository_with_findings() -> tempfile::TempDir {
    let repo = tempfile::tempdir().expect("repo");
    git_in(repo.path(), &["init", "-q"]);
    let bad = entry("alpha-tool", "essex");
    let stale = entry("beta-tool", "kent")
        .replace("last_reviewed: '2026-06-01'", "last_reviewed: '2025-03-01'")
        .replace("created: '2026-01-15'", "created: '2025-01-15'");
    let dir = catalogue(&[
        ("kent/alpha-tool.yaml", &bad),
        ("kent/beta-tool.yaml", &stale),
    ]);
    common::copy_dir(dir.path(), &repo.path().join("index"));
    repo
}

fn sarif_schema() -> Value {
    let path = Path::new(REPO).join(
        "tests/browser/node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json",
    );
    let text = fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}: the official SARIF schema comes from the npm package @microsoft/jest-sarif; \
             scripts/test installs it (npm ci --prefix tests/browser)",
            path.display()
        )
    });
    let mut schema: Value = serde_json::from_str(&text).expect("the SARIF schema is JSON");
    // One pattern of the published schema (the `language` of a run and of a tool component,
    // which nsi never writes) has a stray `]` that ECMA-262 in Unicode mode — and so
    // jsonschema — refuses as a regex, so the schema would not compile. Later revisions of the
    // SARIF schema correct it the same way; everything else is used exactly as published.
    let published = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
    let mut corrected = 0;
    correct_pattern(
        &mut schema,
        published,
        "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$",
        &mut corrected,
    );
    assert!(
        corrected > 0,
        "the published pattern was not found: has the schema changed?"
    );
    schema
}

fn correct_pattern(node: &mut Value, from: &str, to: &str, count: &mut usize) {
    match node {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                if key == "pattern" && value == from {
                    *value = Value::from(to);
                    *count += 1;
                } else {
                    correct_pattern(value, from, to, count);
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| correct_pattern(item, from, to, count)),
        _ => {}
    }
}

#[test]
fn sarif_is_valid_against_the_official_schema_and_names_files_from_the_repository_root() {
    let repo = repository_with_findings();
    let output = nsi(&repo.path().join("index"))
        .args(["validate", "--format", "sarif"])
        .output()
        .expect("run");
    assert_eq!(
        output.status.code(),
        Some(1),
        "an error: exit 1, the log still written"
    );
    let log: Value = serde_json::from_slice(&output.stdout).expect("SARIF is JSON");

    let schema = sarif_schema();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-04/schema#");
    let validator = jsonschema::draft4::new(&schema).expect("the SARIF schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "not valid SARIF 2.1.0: {errors:#?}");
    // The schema is not toothless: a result without a message breaks it.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]
        .as_object_mut()
        .expect("a result")
        .remove("message");
    assert!(!validator.is_valid(&broken), "a result needs a message");

    assert_eq!(log["version"], "2.1.0");
    let driver = &log["runs"][0]["tool"]["driver"];
    assert_eq!(driver["name"], "nsi");
    let rules = driver["rules"].as_array().expect("rules");
    let owner = rules
        .iter()
        .find(|r| r["id"] == "NSI202")
        .expect("NSI202 among the rules");
    assert_eq!(owner["name"], "owner-not-folder");
    assert_eq!(
        owner["shortDescription"]["text"],
        "The `owner_force` differs from the folder the file is in."
    );
    assert!(
        owner["help"]["text"]
            .as_str()
            .expect("help")
            .contains("Move the file to `catalogue/<owner_force>/`"),
        "help comes from the rule catalogue behind RULES.md: {owner}"
    );

    let results = log["runs"][0]["results"].as_array().expect("results");
    let error = results
        .iter()
        .find(|r| r["ruleId"] == "NSI202")
        .expect("the owner finding");
    assert_eq!(error["level"], "error");
    assert!(
        error["message"]["text"]
            .as_str()
            .expect("text")
            .contains("essex"),
        "{error}"
    );
    let location = &error["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"]["uri"], "index/catalogue/kent/alpha-tool.yaml",
        "relative to the repository root, not the catalogue root"
    );
    let line = entry("alpha-tool", "essex")
        .lines()
        .position(|l| l == "owner_force: essex")
        .expect("line")
        + 1;
    assert_eq!(location["region"]["startLine"], line);
    assert_eq!(location["region"]["startColumn"], 14);
    assert_eq!(
        rules[usize::try_from(error["ruleIndex"].as_u64().expect("index")).expect("index")]["id"],
        "NSI202"
    );
    let warning = results
        .iter()
        .find(|r| r["ruleId"] == "NSI212")
        .expect("the overdue review");
    assert_eq!(warning["level"], "warning");
}

#[test]
fn azure_logging_commands_carry_file_line_column_and_code_with_escapes() {
    let bad = entry("alpha-tool", "essex").replace("phase: live", "phase: 'live;100%]'");
    let dir = catalogue(&[("kent/alpha-tool.yaml", &bad)]);
    let output = nsi(dir.path())
        .args(["validate", "--format", "azure"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    let line = bad
        .lines()
        .position(|l| l == "owner_force: essex")
        .expect("line")
        + 1;
    let expected = format!(
        "##vso[task.logissue type=error;sourcepath=catalogue/kent/alpha-tool.yaml;\
         linenumber={line};columnnumber=14;code=NSI202]the owner force `essex` differs from \
         the folder `kent/`%0Ahelp: move the file to `catalogue/essex/`"
    );
    assert!(
        stdout.lines().any(|l| l.starts_with(&expected)),
        "{expected}\n{stdout}"
    );
    // Every finding is one line: a hint's line break is escaped, never a line of its own.
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "two findings and the summary\n{stdout}");
    assert!(
        lines[..2]
            .iter()
            .all(|l| l.starts_with("##vso[task.logissue ")),
        "{stdout}"
    );
    assert!(
        stdout.contains("code=NSI104]`phase` is `live%3B100%AZP25%5D`"),
        "`;`, `%` and `]` escaped as Azure documents\n{stdout}"
    );
    assert!(
        stdout.ends_with("nsi validate: 1 checked, 2 errors, 0 warnings\n"),
        "{stdout}"
    );
}
