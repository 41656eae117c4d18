//! End-to-end tests of `nsi validate`: the real binary, a temporary catalogue, a cleared
//! environment, and output parsed rather than grepped.

mod common;

use common::{REPO, catalogue, in_terminal, keys_of, nsi};
use std::fs;
use std::path::Path;

use serde_json::Value;

fn valid_entry(id: &str, force: &str) -> String {
    let text = fs::read_to_string(Path::new(REPO).join("tests/data/minimal-entry.yaml"))
        .expect("template");
    text.replace("ID", id).replace("FORCE", force)
}

/// A valid entry whose review is overdue (a warning, not an error).
fn stale_entry(id: &str, force: &str) -> String {
    valid_entry(id, force)
        .replace("created: '2026-01-15'", "created: '2025-01-15'")
        .replace("last_reviewed: '2026-06-01'", "last_reviewed: '2025-03-01'")
}

fn json_of(output: &[u8]) -> Value {
    serde_json::from_slice(output).expect("stdout is JSON")
}

#[test]
fn a_valid_catalogue_exits_0_and_says_so() {
    let dir = catalogue(&[("kent/alpha-tool.yaml", &valid_entry("alpha-tool", "kent"))]);
    let output = nsi(dir.path()).arg("validate").output().expect("run");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    assert!(
        stdout.contains("ok: 1 entry file valid, 0 warnings"),
        "{stdout}"
    );
}

#[test]
fn findings_exit_1_with_file_line_column_and_the_source_line() {
    let bad = valid_entry("alpha-tool", "kent").replace("phase: live", "phase: livee");
    let dir = catalogue(&[("kent/alpha-tool.yaml", &bad)]);
    let output = nsi(dir.path()).arg("validate").output().expect("run");
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    let line = bad.lines().position(|l| l == "phase: livee").expect("line") + 1;
    assert!(
        stdout.lines().any(|l| l.starts_with(&format!(
            "catalogue/kent/alpha-tool.yaml:{line}:8: error[NSI104]: `phase` is `livee`"
        ))),
        "the contract's first line, file:line:col: error[CODE]: message\n{stdout}"
    );
    assert!(
        stdout.contains("phase: livee"),
        "the offending line is shown: {stdout}"
    );
    assert!(stdout.contains("did you mean `live`?"), "{stdout}");
    // The whole drawing: the line, the value underlined, the hint, the summary.
    common::assert_snapshot("validate/livee.txt", &stdout);
}

#[test]
fn a_terminal_gets_colour_unless_no_color_is_set() {
    let bad = valid_entry("alpha-tool", "kent").replace("phase: live", "phase: livee");
    let dir = catalogue(&[("kent/alpha-tool.yaml", &bad)]);
    // On a terminal, colour by default (so the check below can fail)…
    let (code, coloured) = in_terminal(dir.path(), "validate", &[]);
    assert_eq!(code, Some(1), "{coloured}");
    assert!(coloured.contains('\u{1b}'), "{coloured:?}");
    // …and none at all with NO_COLOR, on the same terminal.
    let (code, plain) = in_terminal(dir.path(), "validate", &[("NO_COLOR", "1")]);
    assert_eq!(code, Some(1), "{plain}");
    assert!(plain.contains("error[NSI104]"), "{plain}");
    assert!(
        !plain.contains('\u{1b}'),
        "NO_COLOR means no escape codes: {plain:?}"
    );
}

#[test]
fn color_always_colours_and_no_color_wins_over_auto() {
    let bad = valid_entry("alpha-tool", "kent").replace("phase: live", "phase: livee");
    let dir = catalogue(&[("kent/alpha-tool.yaml", &bad)]);
    let coloured = nsi(dir.path())
        .args(["--color", "always", "validate"])
        .output()
        .expect("run");
    assert!(String::from_utf8_lossy(&coloured.stdout).contains('\u{1b}'));
    let auto = nsi(dir.path())
        .args(["--color", "auto", "validate"])
        .output()
        .expect("run");
    assert!(!String::from_utf8_lossy(&auto.stdout).contains('\u{1b}'));
}

#[test]
fn json_format_has_the_documented_shape() {
    let bad = stale_entry("alpha-tool", "kent").replace("phase: live", "phase: livee");
    let dir = catalogue(&[
        ("kent/alpha-tool.yaml", &bad),
        ("essex/beta-tool.yaml", &valid_entry("beta-tool", "essex")),
    ]);
    let output = nsi(dir.path())
        .args(["validate", "--format", "json"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    let report = json_of(&output.stdout);
    assert_eq!(report["checked"], 2);
    assert_eq!(report["errors"], 1);
    assert_eq!(report["warnings"], 1);
    let diagnostics = report["diagnostics"].as_array().expect("array");
    assert_eq!(diagnostics.len(), 2);
    let keys = keys_of(&diagnostics[0]);
    assert_eq!(
        keys,
        [
            "file", "line", "column", "severity", "code", "pointer", "message", "hint"
        ]
    );
    let error = diagnostics
        .iter()
        .find(|d| d["code"] == "NSI104")
        .expect("NSI104");
    assert_eq!(error["file"], "catalogue/kent/alpha-tool.yaml");
    assert_eq!(error["pointer"], "/phase");
    assert_eq!(error["severity"], "error");
    let warning = diagnostics
        .iter()
        .find(|d| d["code"] == "NSI212")
        .expect("NSI212");
    assert_eq!(warning["severity"], "warning");
}

#[test]
fn strict_turns_warnings_into_errors() {
    let stale = stale_entry("alpha-tool", "kent");
    let dir = catalogue(&[("kent/alpha-tool.yaml", &stale)]);
    nsi(dir.path()).arg("validate").assert().code(0);
    let output = nsi(dir.path())
        .args(["validate", "--strict", "--format", "json"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    let report = json_of(&output.stdout);
    assert_eq!(report["errors"], 1);
    assert_eq!(report["diagnostics"][0]["severity"], "error");
}

/// Parse `::error file=…,line=…,col=…,title=…::message` into its properties and message.
fn parse_workflow_command(line: &str) -> (String, Vec<(String, String)>, String) {
    let rest = line.strip_prefix("::").expect("starts with ::");
    let (head, message) = rest.split_once("::").expect("two ::");
    let (command, properties) = head.split_once(' ').expect("command and properties");
    let properties = properties
        .split(',')
        .map(|p| {
            let (k, v) = p.split_once('=').expect("key=value");
            (
                k.to_owned(),
                v.replace("%3A", ":")
                    .replace("%2C", ",")
                    .replace("%25", "%"),
            )
        })
        .collect();
    (
        command.to_owned(),
        properties,
        message.replace("%0A", "\n").replace("%25", "%"),
    )
}

#[test]
fn github_format_emits_parseable_workflow_commands() {
    let bad = valid_entry("alpha-tool", "kent").replace("owner_force: kent", "owner_force: essex");
    let dir = catalogue(&[("kent/alpha-tool.yaml", &bad)]);
    let output = nsi(dir.path())
        .args(["validate", "--format", "github"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    let commands: Vec<_> = stdout
        .lines()
        .filter(|l| l.starts_with("::"))
        .map(parse_workflow_command)
        .collect();
    assert_eq!(commands.len(), 1, "{stdout}");
    let (command, properties, message) = &commands[0];
    assert_eq!(command, "error");
    let line = bad
        .lines()
        .position(|l| l.starts_with("owner_force:"))
        .expect("line")
        + 1;
    assert_eq!(
        properties,
        &[
            (
                "file".to_owned(),
                "catalogue/kent/alpha-tool.yaml".to_owned()
            ),
            ("line".to_owned(), line.to_string()),
            ("col".to_owned(), "14".to_owned()),
            ("title".to_owned(), "NSI202".to_owned()),
        ]
    );
    assert!(
        message.starts_with("the owner force `essex` differs from the folder `kent/`"),
        "{message}"
    );
    assert!(message.contains("\nhelp: "), "{message}");
}

#[test]
fn a_path_that_does_not_exist_is_a_usage_error() {
    let dir = catalogue(&[]);
    let output = nsi(dir.path())
        .args(["validate", "catalogue/nowhere.yaml"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).expect("utf-8");
    assert!(
        stderr.contains("catalogue/nowhere.yaml: no such file or directory"),
        "{stderr}"
    );
}

#[test]
fn the_owner_folder_hint_never_suggests_a_force_that_does_not_exist() {
    let cases = [
        (
            "kent",
            "essex",
            "move the file to `catalogue/essex/`, or set `owner_force: kent`",
        ),
        (
            "kentt",
            "essex",
            "move the file to `catalogue/essex/` (`kentt` is not a force's slug)",
        ),
        ("kent", "essexx", "set `owner_force: kent`"),
        ("kentt", "essexx", "`kentt/` is not a force's folder"),
    ];
    for (folder, owner, hint) in cases {
        let entry = valid_entry("alpha-tool", folder).replace(
            &format!("owner_force: {folder}"),
            &format!("owner_force: {owner}"),
        );
        let dir = catalogue(&[(&format!("{folder}/alpha-tool.yaml"), &entry)]);
        let output = nsi(dir.path())
            .args(["validate", "--format", "json"])
            .output()
            .expect("run");
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
        let finding = report["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .find(|d| d["code"] == "NSI202")
            .unwrap_or_else(|| panic!("NSI202 for {folder}/{owner}: {report}"));
        let shown = finding["hint"].as_str().expect("a hint");
        assert!(shown.starts_with(hint), "{folder}/{owner}: {shown}");
    }
}

#[test]
fn a_path_with_no_entries_is_a_usage_error_and_an_empty_catalogue_a_note() {
    let dir = catalogue(&[]);
    std::fs::create_dir_all(dir.path().join("catalogue/kent")).expect("mkdir");
    let output = nsi(dir.path())
        .args(["validate", "catalogue/kent"])
        .output()
        .expect("run");
    assert_eq!(
        output.status.code(),
        Some(2),
        "a CI job with a wrong path fails"
    );
    let stderr = String::from_utf8(output.stderr).expect("utf-8");
    assert!(
        stderr.contains("no entry files in catalogue/kent"),
        "{stderr}"
    );

    let output = nsi(dir.path()).arg("validate").output().expect("run");
    assert_eq!(output.status.code(), Some(0), "a new catalogue is valid");
    let stderr = String::from_utf8(output.stderr).expect("utf-8");
    assert!(stderr.contains("no entries yet"), "{stderr}");

    // A file that is not `.yaml`, named outside the catalogue, is not read as an entry.
    std::fs::write(dir.path().join("notes.json"), "{\"id\": 1}").expect("write");
    let output = nsi(dir.path())
        .args(["validate", "notes.json"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    assert!(
        stdout.starts_with("notes.json:1:1: error[NSI013]: not an entry file"),
        "{stdout}"
    );
}

#[test]
fn outside_a_catalogue_is_a_usage_error_with_a_hint() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = nsi(dir.path()).arg("validate").output().expect("run");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).expect("utf-8");
    assert!(stderr.contains("no `catalogue/` folder found"), "{stderr}");
    assert!(stderr.contains("--catalogue DIR"), "{stderr}");
}

#[test]
fn unknown_flags_are_usage_errors() {
    let dir = catalogue(&[]);
    nsi(dir.path())
        .args(["validate", "--format", "xml"])
        .assert()
        .code(2);
}

#[test]
fn named_paths_are_checked_against_the_whole_catalogue_for_unique_ids() {
    let dir = catalogue(&[
        ("kent/shared-tool.yaml", &valid_entry("shared-tool", "kent")),
        (
            "essex/shared-tool.yaml",
            &valid_entry("shared-tool", "essex"),
        ),
        ("essex/other-tool.yaml", &valid_entry("other-tool", "essex")),
    ]);
    let output = nsi(dir.path())
        .args([
            "validate",
            "--format",
            "json",
            "catalogue/kent/shared-tool.yaml",
        ])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    let report = json_of(&output.stdout);
    assert_eq!(report["checked"], 1);
    let codes: Vec<&str> = report["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert_eq!(codes, ["NSI203"]);
    // A folder path checks the files in it.
    let output = nsi(dir.path())
        .args(["validate", "--format", "json", "catalogue/essex"])
        .output()
        .expect("run");
    assert_eq!(json_of(&output.stdout)["checked"], 2);
}

#[test]
fn the_catalogue_flag_and_walking_up_find_the_same_root() {
    let dir = catalogue(&[("kent/alpha-tool.yaml", &valid_entry("alpha-tool", "kent"))]);
    let nested = dir.path().join("catalogue/kent");
    let from_inside = nsi(&nested)
        .args(["validate", "--format", "json"])
        .output()
        .expect("run");
    assert_eq!(json_of(&from_inside.stdout)["checked"], 1);
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let with_flag = nsi(elsewhere.path())
        .args([
            "--catalogue",
            dir.path().to_str().expect("utf-8 path"),
            "validate",
            "--format",
            "json",
        ])
        .output()
        .expect("run");
    assert_eq!(json_of(&with_flag.stdout)["checked"], 1);
}

#[test]
fn explain_prints_a_rule_and_rejects_unknown_codes() {
    let dir = catalogue(&[]);
    let output = nsi(dir.path())
        .args(["validate", "--explain", "nsi005"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    assert!(
        stdout.starts_with("NSI005 duplicate-key (error)"),
        "{stdout}"
    );
    let all = nsi(dir.path())
        .args(["validate", "--explain", "all"])
        .output()
        .expect("run");
    let listed = String::from_utf8(all.stdout)
        .expect("utf-8")
        .lines()
        .count();
    assert_eq!(listed, nsi::catalogue::validate::rules::ALL.len());
    nsi(dir.path())
        .args(["validate", "--explain", "NSI999"])
        .assert()
        .code(2);
}

#[test]
fn control_characters_in_entries_never_reach_the_terminal() {
    let hostile =
        valid_entry("alpha-tool", "kent").replace("phase: live", "phase: \"\\e[31mlive\\u202E\"");
    let dir = catalogue(&[("kent/alpha-tool.yaml", &hostile)]);
    let output = nsi(dir.path()).arg("validate").output().expect("run");
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    assert!(
        !stdout.contains('\u{1b}') && !stdout.contains('\u{202E}'),
        "{stdout}"
    );
    assert!(stdout.contains("\\u{1b}[31mlive\\u{202e}"), "{stdout}");
}

#[test]
fn the_shipped_catalogue_validates_with_the_binary() {
    let output = nsi(Path::new(REPO))
        .args(["validate", "--format", "json"])
        .output()
        .expect("run");
    let report = json_of(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{report:#}");
    assert_eq!(report["errors"], 0);
    assert!(report["checked"].as_u64().expect("count") >= 25);
}

#[test]
fn named_paths_get_the_same_placement_checks_as_a_full_run() {
    let dir = catalogue(&[
        ("kent/misplaced.yml", &valid_entry("misplaced", "kent")),
        ("loose.yaml", &valid_entry("loose", "kent")),
        ("kent/folder.yaml/inner.yaml", &valid_entry("inner", "kent")),
    ]);
    for (path, expected) in [
        (
            "catalogue/kent/misplaced.yml",
            "catalogue/kent/misplaced.yml",
        ),
        ("catalogue/loose.yaml", "catalogue/loose.yaml"),
        ("catalogue/kent/folder.yaml", "catalogue/kent/folder.yaml"),
    ] {
        let output = nsi(dir.path())
            .args(["validate", "--format", "json", path])
            .output()
            .expect("run");
        assert_eq!(output.status.code(), Some(1), "{path}");
        let report = json_of(&output.stdout);
        let found: Vec<(&str, &str)> = report["diagnostics"]
            .as_array()
            .expect("array")
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().unwrap_or_default(),
                    d["file"].as_str().unwrap_or_default(),
                )
            })
            .collect();
        assert_eq!(found, [("NSI013", expected)], "{path}");
    }
    let full = nsi(dir.path())
        .args(["validate", "--format", "json"])
        .output()
        .expect("run");
    let codes: Vec<String> = json_of(&full.stdout)["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .map(|d| d["code"].to_string())
        .collect();
    assert_eq!(codes.len(), 3, "{codes:?}");
}

#[test]
fn a_tab_is_named_and_shown_in_the_source_line() {
    let bad = valid_entry("alpha-tool", "kent").replacen("title: ", "title:\t", 1);
    let dir = catalogue(&[("kent/alpha-tool.yaml", &bad)]);
    let output = nsi(dir.path()).arg("validate").output().expect("run");
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    let line = bad
        .lines()
        .position(|l| l.starts_with("title:"))
        .expect("line")
        + 1;
    assert!(
        stdout.contains(&format!(
            "alpha-tool.yaml:{line}:7: error[NSI004]: a tab is here"
        )),
        "{stdout}"
    );
    assert!(stdout.contains("| title:→"), "the tab is visible: {stdout}");
}
