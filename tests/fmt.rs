//! `nsi fmt`: the canonical writer is lossless and idempotent (on every shipped entry, every
//! valid fixture and a generated corpus), refuses what it cannot carry through, and the real
//! binary writes only what changed, atomically, keeping line endings and byte-order marks.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use nsi::catalogue::format::{self, FormatError, first_comment, format_source};
use nsi::catalogue::load;
use nsi::catalogue::reference::Reference;
use nsi::catalogue::yaml;
use nsi::catalogue::yaml::to_yaml;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

use common::{REPO, nsi, shipped};

fn schema() -> Value {
    static SCHEMA: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(|| Reference::embedded().schema).clone()
}

/// Every `.yaml` file under `dir`, sorted.
fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// Format `source`, and check the result reads back as the same value and is a fixed point.
/// A file with comments must be refused; its value still goes through the writer.
fn assert_lossless_and_idempotent(source: &str, schema: &Value, name: &str) {
    let before = yaml::parse_value(source).unwrap_or_else(|| panic!("{name}: not clean YAML"));
    let once = match first_comment(source) {
        Some(position) => {
            assert_eq!(
                format_source(source, schema),
                Err(FormatError::Comment(position))
            );
            to_yaml(&before, schema)
        }
        None => format_source(source, schema).unwrap_or_else(|e| panic!("{name}: {e}")),
    };
    let after =
        yaml::parse_value(&once).unwrap_or_else(|| panic!("{name}: output unreadable\n{once}"));
    assert_eq!(after, before, "{name}: the value changed\n{once}");
    let twice = format_source(&once, schema).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(twice, once, "{name}: formatting twice changed the text");
    assert!(
        once.ends_with('\n') && !once.ends_with("\n\n"),
        "{name}: one trailing newline"
    );
}

#[test]
fn every_shipped_entry_and_valid_fixture_formats_losslessly_and_idempotently() {
    let schema = schema();
    let mut files = yaml_files(&Path::new(REPO).join("catalogue"));
    assert!(files.len() >= 20, "the shipped catalogue is missing");
    files.extend(yaml_files(
        &Path::new(REPO).join("tests/fixtures/entries/valid"),
    ));
    for path in files {
        let text = load::decode(&fs::read(&path).expect("read")).expect("UTF-8");
        assert_lossless_and_idempotent(&text, &schema, &path.display().to_string());
    }
}

#[test]
fn the_shipped_catalogue_is_canonical() {
    let schema = schema();
    for path in yaml_files(&Path::new(REPO).join("catalogue")) {
        // A checkout with CRLF (Git for Windows' default) is canonical too: `nsi fmt` keeps a
        // file's line endings.
        let text = fs::read_to_string(&path)
            .expect("read")
            .replace("\r\n", "\n");
        let canonical = format_source(&text, &schema).expect("formats");
        assert!(
            text == canonical,
            "{} is not canonical: run `nsi fmt`",
            path.display()
        );
    }
}

#[test]
fn invalid_fixtures_are_refused_or_formatted_losslessly() {
    let schema = schema();
    for path in yaml_files(&Path::new(REPO).join("tests/fixtures/entries/invalid")) {
        let Ok(text) = load::decode(&fs::read(&path).expect("read")) else {
            continue;
        };
        if let Ok(formatted) = format_source(&text, &schema) {
            assert_eq!(
                yaml::parse_value(&formatted),
                yaml::parse_value(&text),
                "{}",
                path.display()
            );
        }
    }
}

#[test]
fn comments_are_refused_wherever_they_are() {
    let schema = schema();
    for (source, line, column) in [
        ("id: a\n# note\n", 2, 1),
        ("id: a # note\n", 1, 7),
        ("id: 'a' # note\n", 1, 9),
        ("id: \"a\"\t# note\n", 1, 9),
        ("id: 'it''s' # note\n", 1, 13),
        ("id: \"a\\\"b\" # note\n", 1, 12),
        ("tags: ['a', # note\n  b]\n", 1, 13),
        ("summary: | # note\n  text\n", 1, 12),
        ("summary: |\n  text\n# note\n", 3, 1),
    ] {
        assert_eq!(
            format_source(source, &schema),
            Err(FormatError::Comment(yaml_position(line, column))),
            "{source:?}"
        );
    }
    for source in [
        "id: 'a # not a comment'\n",
        "id: \"a # not\" \n",
        "id: a#b\n",
        "summary: |\n  # inside the text\n",
        "url: https://x.example/a#b\n",
    ] {
        assert_eq!(first_comment(source), None, "{source:?}");
    }
}

fn yaml_position(line: usize, column: usize) -> nsi::catalogue::diagnostic::Position {
    nsi::catalogue::diagnostic::Position::new(line, column)
}

#[test]
fn numbers_that_would_be_respelled_are_refused() {
    let schema = schema();
    let error = format_source("id: a\nversion: 1.10\n", &schema).expect_err("refused");
    assert!(
        matches!(&error, FormatError::Respelled { raw, written, .. } if raw == "1.10" && written == "1.1"),
        "{error:?}"
    );
    assert!(format_source("id: a\nversion: True\n", &schema).is_err());
    assert_eq!(
        format_source("id: a\nversion: 2\n", &schema).as_deref(),
        Ok("id: a\nversion: 2\n")
    );
}

#[test]
fn canonical_text_takes_the_line_endings_and_byte_order_mark_of_the_file() {
    let canonical = "id: a\ntitle: T\n";
    for (original, expected) in [
        (&b"id: b\n"[..], &b"id: a\ntitle: T\n"[..]),
        (b"id: b\r\nx: 1\r\n", b"id: a\r\ntitle: T\r\n"),
        (
            b"\xEF\xBB\xBFid: b\r\n",
            b"\xEF\xBB\xBFid: a\r\ntitle: T\r\n",
        ),
        (b"\xEF\xBB\xBFid: b\n", b"\xEF\xBB\xBFid: a\ntitle: T\n"),
        // The first line decides; a file without a line break gets LF.
        (b"id: b\nx: 1\r\n", b"id: a\ntitle: T\n"),
        (b"id: b", b"id: a\ntitle: T\n"),
        (b"", b"id: a\ntitle: T\n"),
    ] {
        assert_eq!(
            format::with_file_conventions(canonical, original),
            expected,
            "{}",
            String::from_utf8_lossy(original).escape_debug()
        );
    }
    // A literal block's line breaks are line breaks like any other; an escaped `\r` in a
    // quoted string is text, and stays as it is.
    let value = json!({ "description": "one\ntwo\n", "title": "a\rb" });
    let lf = to_yaml(&value, &Value::Null);
    assert!(lf.contains("\"a\\rb\""), "{lf}");
    let crlf = format::with_file_conventions(&lf, b"x: 1\r\n");
    let crlf = String::from_utf8(crlf).expect("utf-8");
    assert_eq!(crlf, lf.replace('\n', "\r\n"));
    assert_eq!(yaml::parse_value(&crlf), Some(value));
}

#[test]
fn keys_follow_the_schema_order_and_unknown_keys_come_last() {
    let text =
        format_source("zzz: 1\nversion: '1'\nid: a\ntitle: T\n", &schema()).expect("formats");
    assert_eq!(text, "id: a\ntitle: T\nversion: '1'\nzzz: 1\n");
}

// --- a generated corpus ----------------------------------------------------------------------

fn awkward_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-zA-Z]{1,8}",
        1 => Just(" ".to_owned()),
        1 => Just("  ".to_owned()),
        1 => Just(": ".to_owned()),
        1 => Just(" #".to_owned()),
        1 => Just("#".to_owned()),
        1 => Just("'".to_owned()),
        1 => Just("\"".to_owned()),
        1 => Just("\\".to_owned()),
        1 => Just("\n".to_owned()),
        1 => Just("\n\n".to_owned()),
        1 => Just("\t".to_owned()),
        1 => Just("\r\n".to_owned()),
        1 => prop_oneof![
            Just("yes"), Just("No"), Just("on"), Just("OFF"), Just("y"), Just("n"), Just("~"),
            Just("null"), Just("true"), Just("False"), Just(".inf"), Just(".NaN"),
        ].prop_map(str::to_owned),
        1 => prop_oneof![
            Just("1.10"), Just("0x1F"), Just("0o17"), Just("1e3"), Just("-1"), Just("+1"),
            Just("2024-01-01"), Just("12:30"), Just("1_000"), Just("0"),
        ].prop_map(str::to_owned),
        1 => prop_oneof![
            Just("- "), Just("? "), Just("& "), Just("*"), Just("!"), Just("|"), Just(">"),
            Just("%"), Just("@"), Just("`"), Just("["), Just("]"), Just("{"), Just("}"),
            Just(","), Just("---"), Just("..."), Just("<<"),
        ].prop_map(str::to_owned),
        1 => prop_oneof![
            Just("é"), Just("日本"), Just("🚓"), Just("\u{a0}"), Just("\u{85}"), Just("\u{2028}"),
            Just("\u{2029}"), Just("\u{feff}"), Just("\u{7f}"), Just("\u{0}"), Just("\u{1b}"),
            Just("\u{9c}"), Just("\u{fffe}"), Just("\u{200b}"), Just("\u{3000}"),
        ].prop_map(str::to_owned),
        1 => any::<char>().prop_map(String::from),
    ]
}

fn awkward_string() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => Just(String::new()),
        8 => prop::collection::vec(awkward_piece(), 1..12).prop_map(|parts| parts.concat()),
        // Long prose, to exercise folding.
        2 => prop::collection::vec("[a-z]{1,12}", 10..60).prop_map(|words| words.join(" ")),
    ]
}

fn key() -> impl Strategy<Value = String> {
    let schema_keys: Vec<String> = schema()["properties"]
        .as_object()
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default();
    prop_oneof![
        3 => prop::sample::select(schema_keys),
        1 => awkward_string(),
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        8 => awkward_string().prop_map(Value::String),
        1 => any::<i64>().prop_map(Value::from),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => Just(Value::Null),
        1 => Just(json!([])),
        1 => Just(json!({})),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..5).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 1..5)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn entry() -> impl Strategy<Value = Value> {
    prop::collection::vec((key(), value()), 1..10)
        .prop_map(|pairs| Value::Object(pairs.into_iter().collect::<Map<_, _>>()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn generated_entries_read_back_the_same_and_are_fixed_points(value in entry()) {
        let schema = schema();
        let text = to_yaml(&value, &schema);
        let parsed = yaml::parse(&text);
        prop_assert!(parsed.problems.is_empty(), "{text}\n{:?}", parsed.problems);
        prop_assert_eq!(parsed.value.as_ref(), Some(&value), "{}", text);
        prop_assert_eq!(first_comment(&text), None, "{}", text);
        let again = format_source(&text, &schema);
        prop_assert_eq!(again.as_deref(), Ok(text.as_str()));
    }

    #[test]
    fn generated_strings_survive_every_position(text in awkward_string(), key in key()) {
        let value = json!({ key.clone(): text.clone(), "list": [text.clone(), { key: [text] }] });
        let written = to_yaml(&value, &Value::Null);
        prop_assert_eq!(yaml::parse_value(&written), Some(value), "{}", written);
    }
}

// --- the real binary --------------------------------------------------------------------------

const KENT: &str = "catalogue/kent/domestic-abuse-video-response.yaml";

/// The shipped Kent entry written out of canonical form: keys shuffled, quoting changed.
fn scrambled_kent(dir: &Path) -> String {
    let text = fs::read_to_string(dir.join(KENT)).expect("read");
    let (first, rest) = text.split_once('\n').expect("lines");
    let scrambled =
        format!("{}\n{first}\n", rest.trim_end()).replace("phase: live", "phase: \"live\"");
    fs::write(dir.join(KENT), &scrambled).expect("write");
    scrambled
}

fn stdout_of(output: &std::process::Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("utf-8")
}

fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("utf-8")
}

/// Every file under `dir`, recursively (to spot temporary files left behind).
fn all_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

#[test]
fn check_exits_0_on_the_canonical_catalogue_1_listing_what_differs_and_2_for_a_missing_path() {
    let dir = shipped();
    let output = nsi(dir.path())
        .args(["fmt", "--check"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    assert_eq!(stdout_of(&output), "");

    let scrambled = scrambled_kent(dir.path());
    let output = nsi(dir.path())
        .args(["fmt", "--check"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1), "{}", stderr_of(&output));
    assert_eq!(stdout_of(&output), format!("{KENT}\n"));
    assert_eq!(
        fs::read_to_string(dir.path().join(KENT)).expect("read"),
        scrambled,
        "--check writes nothing"
    );

    // Naming a path checks only that path.
    let output = nsi(dir.path())
        .args(["fmt", "--check", "catalogue/essex"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));

    let output = nsi(dir.path())
        .args(["fmt", "--check", "catalogue/nowhere.yaml"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr_of(&output).contains("no such file"),
        "{}",
        stderr_of(&output)
    );
}

#[test]
fn fmt_rewrites_what_differs_leaves_the_rest_untouched_and_no_temporary_files() {
    let dir = shipped();
    let files_before = all_files(dir.path());
    let total = yaml_files(&dir.path().join("catalogue")).len();
    let canonical_kent = fs::read(Path::new(REPO).join(KENT)).expect("read");
    let other = dir
        .path()
        .join("catalogue/essex")
        .read_dir()
        .expect("essex")
        .next()
        .expect("one")
        .expect("entry")
        .path();
    let other_mtime = fs::metadata(&other)
        .expect("stat")
        .modified()
        .expect("mtime");
    scrambled_kent(dir.path());

    let output = nsi(dir.path()).arg("fmt").output().expect("run");
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    assert_eq!(
        stdout_of(&output),
        format!("formatted 1 of {total} files\n")
    );
    assert_eq!(
        fs::read(dir.path().join(KENT)).expect("read"),
        canonical_kent
    );
    assert_eq!(
        fs::metadata(&other)
            .expect("stat")
            .modified()
            .expect("mtime"),
        other_mtime
    );

    // The second run changes nothing, not even the formatted file's modification time.
    let kent_mtime = fs::metadata(dir.path().join(KENT))
        .expect("stat")
        .modified()
        .expect("mtime");
    let output = nsi(dir.path()).args(["fmt", "-q"]).output().expect("run");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout_of(&output), "", "-q prints nothing");
    assert_eq!(
        fs::metadata(dir.path().join(KENT))
            .expect("stat")
            .modified()
            .expect("mtime"),
        kent_mtime
    );
    assert_eq!(
        all_files(dir.path()),
        files_before,
        "no temporary file is left behind"
    );
}

/// `nsi fmt` run under strace: the system calls that make a rewrite durable, in order.
#[cfg(target_os = "linux")]
#[test]
fn a_rewrite_is_synced_before_the_rename_and_the_folder_after() {
    let dir = shipped();
    scrambled_kent(dir.path());
    let log = dir.path().join("strace.log");
    let nsi_binary = assert_cmd::cargo::cargo_bin("nsi");
    let status = std::process::Command::new("strace")
        .args([
            "-f",
            "-y",
            "-e",
            "trace=fsync,fdatasync,rename,renameat,renameat2",
            "-o",
        ])
        .arg(&log)
        .arg(&nsi_binary)
        .arg("fmt")
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .status()
        .expect("strace is installed (scripts/test, the README's test command, installs it)");
    assert!(status.success());
    let log = fs::read_to_string(&log).expect("the trace");
    let calls: Vec<&str> = log.lines().filter(|l| !l.contains("resumed>")).collect();
    let renamed = calls
        .iter()
        .position(|l| l.contains("rename") && l.contains(".nsi-") && l.contains(KENT))
        .unwrap_or_else(|| panic!("no rename of a temporary file onto {KENT}:\n{log}"));
    let temporary_synced = calls[..renamed]
        .iter()
        .any(|l| l.contains("fsync(") && l.contains("/catalogue/kent/.nsi-"));
    assert!(
        temporary_synced,
        "the temporary file is synced before the rename:\n{log}"
    );
    let folder_synced = calls[renamed..]
        .iter()
        .any(|l| l.contains("fsync(") && l.contains("/catalogue/kent>"));
    assert!(
        folder_synced,
        "the folder is synced after the rename:\n{log}"
    );
}

#[cfg(unix)]
#[test]
fn a_rewritten_file_keeps_its_permissions() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = shipped();
    scrambled_kent(dir.path());
    let path = dir.path().join(KENT);
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).expect("chmod");
    nsi(dir.path()).arg("fmt").assert().success();
    assert_eq!(
        fs::metadata(&path).expect("stat").permissions().mode() & 0o777,
        0o644
    );
}

#[test]
fn a_file_with_comments_is_refused_and_left_byte_for_byte() {
    let dir = shipped();
    let text = fs::read_to_string(dir.path().join(KENT)).expect("read");
    let commented = text
        .replace("phase: live\n", "phase: live # since 2023\n")
        .replace("id: ", "id:  ");
    fs::write(dir.path().join(KENT), &commented).expect("write");
    let line = commented
        .lines()
        .position(|l| l.starts_with("phase:"))
        .expect("phase")
        + 1;

    for check in [false, true] {
        let mut command = nsi(dir.path());
        command.arg("fmt");
        if check {
            command.arg("--check");
        }
        let output = command.output().expect("run");
        assert_eq!(output.status.code(), Some(1));
        let stderr = stderr_of(&output);
        assert!(
            stderr.contains(&format!("{KENT}:{line}:13: error: cannot format")),
            "{stderr}"
        );
        assert!(stderr.contains("never drops comments"), "{stderr}");
        assert!(
            !stdout_of(&output).contains(KENT),
            "a refused file is not listed as differing"
        );
        assert_eq!(
            fs::read_to_string(dir.path().join(KENT)).expect("read"),
            commented
        );
    }
}

#[test]
fn a_file_that_is_not_clean_yaml_is_refused_with_a_pointer_to_validate() {
    let dir = shipped();
    let broken = "id: a\nid: b\n";
    fs::write(dir.path().join(KENT), broken).expect("write");
    let output = nsi(dir.path()).arg("fmt").output().expect("run");
    assert_eq!(output.status.code(), Some(1));
    let stderr = stderr_of(&output);
    assert!(
        stderr.contains(&format!("{KENT}:2:1: error: cannot format")),
        "{stderr}"
    );
    assert!(stderr.contains(&format!("nsi validate {KENT}")), "{stderr}");
    assert_eq!(
        fs::read_to_string(dir.path().join(KENT)).expect("read"),
        broken
    );
}

#[test]
fn crlf_line_endings_and_a_byte_order_mark_are_kept() {
    let dir = shipped();
    let canonical = fs::read_to_string(Path::new(REPO).join(KENT)).expect("read");
    let mut crlf_bom = b"\xEF\xBB\xBF".to_vec();
    crlf_bom.extend_from_slice(canonical.replace('\n', "\r\n").as_bytes());
    let scrambled = scrambled_kent(dir.path());

    // Already canonical apart from its conventions: nothing to do.
    fs::write(dir.path().join(KENT), &crlf_bom).expect("write");
    let output = nsi(dir.path())
        .args(["fmt", "--check"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(0), "{}", stdout_of(&output));

    // Out of canonical form: rewritten, still with CRLF and the BOM.
    let mut scrambled_bytes = b"\xEF\xBB\xBF".to_vec();
    scrambled_bytes.extend_from_slice(scrambled.replace('\n', "\r\n").as_bytes());
    fs::write(dir.path().join(KENT), &scrambled_bytes).expect("write");
    nsi(dir.path()).arg("fmt").assert().success();
    assert_eq!(fs::read(dir.path().join(KENT)).expect("read"), crlf_bom);
}

#[test]
fn the_domain_reports_changed_unchanged_and_refused_files() {
    let dir = shipped();
    scrambled_kent(dir.path());
    let essex: Vec<PathBuf> = yaml_files(&dir.path().join("catalogue/essex"));
    fs::write(&essex[0], "id: a # why\n").expect("write");
    let report =
        format::format_catalogue(dir.path(), &[], format::FormatMode::Check).expect("runs");
    let changed: Vec<_> = report.changed().map(|f| f.display.clone()).collect();
    assert_eq!(changed, vec![PathBuf::from(KENT)]);
    let refused: Vec<_> = report
        .refused()
        .map(|(f, r)| (f.display.clone(), r.position()))
        .collect();
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].1, yaml_position(1, 7));
}

/// `fmt --check` lists file names with their escape sequences and line breaks shown, never
/// passed to the terminal: a name is untrusted text.
#[cfg(unix)]
#[test]
fn fmt_check_lists_hostile_file_names_inert() {
    let dir = shipped();
    let kent = dir.path().join("catalogue/kent");
    let source = fs::read_dir(&kent)
        .expect("kent")
        .map(|e| e.expect("entry").path())
        .find(|p| p.extension().is_some_and(|e| e == "yaml"))
        .expect("a Kent entry");
    let text = fs::read_to_string(&source).expect("read");
    // Not canonical: the keys in another order.
    let (first, rest) = text.split_once('\n').expect("lines");
    let name = "red\u{1b}[31m\u{1b}]0;owned\u{7}\u{9b}2J\u{202e}\nfake.yaml";
    fs::write(kent.join(name), format!("{rest}\n{first}\n")).expect("write");
    let output = nsi(dir.path())
        .args(["fmt", "--check"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        !stdout
            .chars()
            .any(|c| c.is_control() && c != '\n' || matches!(c, '\u{202a}'..='\u{202e}')),
        "{stdout:?}"
    );
    assert_eq!(stdout.lines().count(), 1, "one file, one line: {stdout:?}");
    assert!(stdout.contains("red\\u{1b}[31m"), "{stdout:?}");
    assert!(
        stdout.contains("\\u{9b}2J\\u{202e}\\nfake.yaml"),
        "{stdout:?}"
    );
}
