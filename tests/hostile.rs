//! The hostile corpus under `tests/fixtures/hostile/`, through the real binary: every file gets
//! the exit code and findings `expected.txt` lists, within 5 seconds, without a panic, and with
//! human output that names `file:line:col` for every finding and never passes a terminal
//! control sequence through.
//!
//! What cannot be committed (a 50 MB file, links, a FIFO, permissions, names Windows or macOS
//! cannot check out) is built here at run time, under the same bounds.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

use common::{REPO, copy_dir, nsi};

/// Every run must finish within this.
const BOUND: Duration = Duration::from_secs(5);
/// A run still going after this is killed (so a hang fails the test rather than stalling it).
const KILL_AFTER: Duration = Duration::from_secs(60);

fn corpus() -> PathBuf {
    Path::new(REPO).join("tests/fixtures/hostile")
}

// ----------------------------------------------------------------------------------------------
// The manifest
// ----------------------------------------------------------------------------------------------

/// One thing a file's findings must show.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Expect {
    /// Some finding of `code`, at `line` and `column` when given.
    Code {
        code: String,
        line: Option<usize>,
        column: Option<usize>,
    },
    /// Some finding's message or hint contains this text.
    Text(String),
}

#[derive(Debug, Clone)]
struct Case {
    path: String,
    exit: i32,
    expect: Vec<Expect>,
}

impl Case {
    fn codes(&self) -> BTreeSet<&str> {
        self.expect
            .iter()
            .filter_map(|e| match e {
                Expect::Code { code, .. } => Some(code.as_str()),
                Expect::Text(_) => None,
            })
            .collect()
    }
}

/// Split a manifest line into tokens; `"…"` is one token (without its quotes).
fn tokens(line: &str) -> Result<Vec<(String, bool)>, String> {
    let mut out = Vec::new();
    let mut rest = line.trim();
    while !rest.is_empty() {
        if let Some(quoted) = rest.strip_prefix('"') {
            let end = quoted
                .find('"')
                .ok_or_else(|| format!("unclosed quote in `{line}`"))?;
            out.push((quoted[..end].to_owned(), true));
            rest = quoted[end + 1..].trim_start();
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            out.push((rest[..end].to_owned(), false));
            rest = rest[end..].trim_start();
        }
    }
    Ok(out)
}

fn parse_code(token: &str) -> Result<Expect, String> {
    let (code, position) = token.split_once('@').unwrap_or((token, ""));
    if !(code.len() == 6
        && code.starts_with("NSI")
        && code[3..].bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(format!("`{token}` is not CODE[@LINE[:COLUMN]]"));
    }
    let number = |text: &str| {
        text.parse::<usize>()
            .map_err(|_| format!("`{token}`: `{text}` is not a number"))
    };
    let (line, column) = match position.split_once(':') {
        _ if position.is_empty() => (None, None),
        Some((line, column)) => (Some(number(line)?), Some(number(column)?)),
        None => (Some(number(position)?), None),
    };
    Ok(Expect::Code {
        code: code.to_owned(),
        line,
        column,
    })
}

fn manifest() -> Vec<Case> {
    let path = corpus().join("expected.txt");
    let text = fs::read_to_string(&path).expect("tests/fixtures/hostile/expected.txt");
    let mut cases = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let case = parse_case(line)
            .unwrap_or_else(|error| panic!("expected.txt line {}: {error}", index + 1));
        cases.push(case);
    }
    cases
}

fn parse_case(line: &str) -> Result<Case, String> {
    let tokens = tokens(line)?;
    let [(path, false), (exit, false), rest @ ..] = tokens.as_slice() else {
        return Err(format!("`{line}` is not `PATH EXIT EXPECTATION...`"));
    };
    let exit = exit
        .parse()
        .map_err(|_| format!("`{exit}` is not an exit code"))?;
    let expect = rest
        .iter()
        .map(|(token, quoted)| {
            if *quoted {
                Ok(Expect::Text(token.clone()))
            } else {
                parse_code(token)
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Case {
        path: path.clone(),
        exit,
        expect,
    })
}

/// Every file under `catalogue/`, relative to the corpus folder, with `/` separators.
fn corpus_files() -> BTreeSet<String> {
    let mut files = BTreeSet::new();
    let mut pending = vec![corpus().join("catalogue")];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).expect("a readable corpus folder") {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(corpus()).expect("inside the corpus");
                let parts: Vec<String> = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                files.insert(parts.join("/"));
            }
        }
    }
    files
}

// ----------------------------------------------------------------------------------------------
// Running the binary
// ----------------------------------------------------------------------------------------------

/// What one run of `nsi` did.
#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    elapsed: Duration,
    label: String,
}

impl Run {
    /// No panic, no hang: the checks every run must pass.
    fn assert_sound(&self) {
        assert_ne!(self.code, 101, "{}: exit code 101 (a panic)", self.label);
        assert!(
            !self.stderr.contains("panicked") && !self.stdout.contains("panicked"),
            "{}: panicked:\n{}",
            self.label,
            self.stderr
        );
        assert!(
            self.elapsed < BOUND,
            "{}: took {:?}, more than {BOUND:?}",
            self.label,
            self.elapsed
        );
    }

    /// The report of a `--format json` run.
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|error| {
            panic!(
                "{}: stdout is not JSON ({error}):\n{}\nstderr:\n{}",
                self.label, self.stdout, self.stderr
            )
        })
    }

    fn diagnostics(&self) -> Vec<Value> {
        self.json()["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }
}

fn run(dir: &Path, args: &[&str]) -> Run {
    let label = format!("nsi {}", args.join(" "));
    let started = Instant::now();
    let output = nsi(dir)
        .args(args)
        .timeout(KILL_AFTER)
        .output()
        .unwrap_or_else(|error| panic!("{label}: did not finish: {error}"));
    let elapsed = started.elapsed();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        elapsed,
        label,
    }
}

/// Characters that must never reach a terminal raw: C0 and C1 controls (other than line feed)
/// and the bidirectional overrides and isolates.
fn is_dangerous(c: char) -> bool {
    (c.is_control() && c != '\n') || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The human output of `args`: sound, with the same exit code as the JSON run, naming
/// `file:line:col` for every finding, and holding nothing dangerous for a terminal.
fn check_human(dir: &Path, args: &[&str], json: &Run) {
    let human = run(dir, args);
    human.assert_sound();
    assert_eq!(
        human.code, json.code,
        "{}: exit code differs from --format json",
        human.label
    );
    for stream in [&human.stdout, &human.stderr] {
        let bad: Vec<String> = stream
            .chars()
            .filter(|c| is_dangerous(*c))
            .map(|c| format!("U+{:04X}", u32::from(c)))
            .collect();
        assert!(
            bad.is_empty(),
            "{}: raw {bad:?} in the output:\n{stream}",
            human.label
        );
    }
    for diagnostic in json.diagnostics() {
        let place = format!(
            "{}:{}:{}",
            diagnostic["file"].as_str().unwrap_or_default(),
            diagnostic["line"],
            diagnostic["column"]
        );
        assert!(
            human.stdout.contains(&place),
            "{}: no `{place}` in the output:\n{}",
            human.label,
            human.stdout
        );
    }
}

/// A temporary catalogue root: the repository's schema and the hostile corpus.
fn hostile_root() -> TempDir {
    let dir = common::catalogue(&[]);
    copy_dir(&corpus().join("catalogue"), &dir.path().join("catalogue"));
    dir
}

fn describe(diagnostics: &[Value]) -> String {
    diagnostics
        .iter()
        .take(8)
        .map(|d| {
            format!(
                "{}@{}:{} {}",
                d["code"].as_str().unwrap_or_default(),
                d["line"],
                d["column"],
                d["message"].as_str().unwrap_or_default()
            )
        })
        .collect::<Vec<_>>()
        .join("\n      ")
}

/// What is wrong with the findings of one case, if anything.
fn mismatch(case: &Case, run: &Run) -> Option<String> {
    let diagnostics = run.diagnostics();
    let mut problems = Vec::new();
    if run.code != case.exit {
        problems.push(format!("exit code {}, expected {}", run.code, case.exit));
    }
    let found: BTreeSet<&str> = diagnostics
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    if found != case.codes() {
        problems.push(format!("codes {found:?}, expected {:?}", case.codes()));
    }
    for expect in &case.expect {
        let met = diagnostics.iter().any(|d| match expect {
            Expect::Code { code, line, column } => {
                d["code"] == code.as_str()
                    && line.is_none_or(|l| d["line"] == l)
                    && column.is_none_or(|c| d["column"] == c)
            }
            Expect::Text(text) => ["message", "hint"]
                .iter()
                .any(|field| d[field].as_str().is_some_and(|s| s.contains(text.as_str()))),
        });
        if !met {
            problems.push(format!("nothing matches {expect:?}"));
        }
    }
    (!problems.is_empty()).then(|| {
        format!(
            "  {}: {}\n      {}",
            case.path,
            problems.join("; "),
            describe(&diagnostics)
        )
    })
}

// ----------------------------------------------------------------------------------------------
// The committed corpus
// ----------------------------------------------------------------------------------------------

#[test]
fn manifest_and_corpus_list_the_same_files() {
    let listed: BTreeSet<String> = manifest().into_iter().map(|c| c.path).collect();
    let present = corpus_files();
    let unlisted: Vec<&String> = present.difference(&listed).collect();
    let absent: Vec<&String> = listed.difference(&present).collect();
    assert!(
        unlisted.is_empty(),
        "files missing from expected.txt: {unlisted:?}"
    );
    assert!(
        absent.is_empty(),
        "expected.txt lists missing files: {absent:?}"
    );
    assert!(
        present.len() >= 60,
        "at least 60 hostile files, found {}",
        present.len()
    );
    assert_eq!(
        manifest().len(),
        listed.len(),
        "a file is listed twice in expected.txt"
    );
}

#[test]
fn every_hostile_file_gets_its_expected_outcome_quickly_and_safely() {
    let dir = hostile_root();
    let cases = manifest();
    let failures: Vec<String> = cases
        .par_iter()
        .filter_map(|case| {
            let json = run(dir.path(), &["validate", "--format", "json", &case.path]);
            json.assert_sound();
            check_human(dir.path(), &["validate", &case.path], &json);
            mismatch(case, &json)
        })
        .collect();
    assert!(
        failures.is_empty(),
        "hostile files disagree with expected.txt:\n{}",
        failures.join("\n")
    );
}

/// The whole corpus in one run agrees with the file-by-file runs.
#[test]
fn the_whole_corpus_at_once_reports_every_bad_file() {
    let dir = hostile_root();
    let whole = run(dir.path(), &["validate", "--format", "json", "catalogue"]);
    assert_ne!(whole.code, 101);
    assert!(!whole.stderr.contains("panicked"), "{}", whole.stderr);
    assert!(
        whole.elapsed < Duration::from_secs(20),
        "the corpus took {:?}",
        whole.elapsed
    );
    assert_eq!(whole.code, 1);
    let report = whole.json();
    let cases = manifest();
    assert_eq!(report["checked"], cases.len());
    let with_errors: BTreeSet<String> = whole
        .diagnostics()
        .iter()
        .filter(|d| d["severity"] == "error")
        .filter_map(|d| d["file"].as_str().map(str::to_owned))
        .collect();
    let expected: BTreeSet<String> = cases
        .iter()
        .filter(|c| c.exit == 1)
        .map(|c| c.path.clone())
        .collect();
    assert_eq!(with_errors, expected);
}

// ----------------------------------------------------------------------------------------------
// Hostile reference lists
// ----------------------------------------------------------------------------------------------

/// `reference/expected.txt`: each hostile list and what `nsi validate` must find in it.
fn reference_manifest() -> Vec<Case> {
    let path = corpus().join("reference/expected.txt");
    let text = fs::read_to_string(&path).expect("tests/fixtures/hostile/reference/expected.txt");
    text.lines()
        .enumerate()
        .map(|(index, line)| (index, line.trim()))
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
        .map(|(index, line)| {
            parse_case(line).unwrap_or_else(|error| {
                panic!("reference/expected.txt line {}: {error}", index + 1)
            })
        })
        .collect()
}

/// A list that breaks its schema is a finding (NSI300) of `nsi validate`, at its file, line
/// and column, and no entry is checked against it; every other command that reads the lists
/// stops (exit 2) naming the same place, and `nsi codeowners` writes nothing.
#[test]
fn hostile_reference_lists_are_refused_by_every_reader() {
    let cases = reference_manifest();
    let listed: BTreeSet<String> = cases.iter().map(|c| c.path.clone()).collect();
    let present: BTreeSet<String> = fs::read_dir(corpus().join("reference"))
        .expect("the reference corpus")
        .map(|e| e.expect("an entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .filter_map(|path| Some(path.file_name()?.to_string_lossy().into_owned()))
        .collect();
    assert_eq!(
        listed, present,
        "reference/expected.txt and the files differ"
    );
    let failures: Vec<String> = cases
        .par_iter()
        .filter_map(|case| {
            let dir = common::shipped();
            let list = case.path.split('-').next().expect("a list name");
            let file = format!("schema/reference/{list}.yaml");
            fs::copy(
                corpus().join("reference").join(&case.path),
                dir.path().join(&file),
            )
            .expect("copy the list");
            let json = run(dir.path(), &["validate", "--format", "json"]);
            json.assert_sound();
            check_human(dir.path(), &["validate"], &json);
            if let Some(problem) = mismatch(case, &json) {
                return Some(problem);
            }
            let report = json.json();
            if report["checked"] != 0
                || json
                    .diagnostics()
                    .iter()
                    .any(|d| d["file"] != file.as_str())
            {
                return Some(format!(
                    "  {}: findings outside {file}, or entries checked",
                    case.path
                ));
            }
            let first = json
                .diagnostics()
                .first()
                .map(|d| format!("{file}:{}:{}", d["line"], d["column"]))?;
            for args in [
                &["codeowners", "--check"][..],
                &["codeowners"],
                &["show", "cps-evidence-redaction-tool"],
                &["search", "redaction"],
            ] {
                let other = run(dir.path(), args);
                other.assert_sound();
                let safe = !other.stderr.chars().any(is_dangerous);
                if other.code != 2 || !other.stderr.contains(&first) || !safe {
                    return Some(format!(
                        "  {}: {} exited {} without naming {first} safely:\n{}",
                        case.path, other.label, other.code, other.stderr
                    ));
                }
            }
            dir.path()
                .join(".github/CODEOWNERS")
                .exists()
                .then(|| format!("  {}: nsi codeowners wrote the file", case.path))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "hostile reference lists disagree with reference/expected.txt:\n{}",
        failures.join("\n")
    );
}

// ----------------------------------------------------------------------------------------------
// Built at run time
// ----------------------------------------------------------------------------------------------

/// A valid entry (the base every corpus file starts from).
fn entry(id: &str, force: &str) -> String {
    let text = fs::read_to_string(corpus().join("catalogue/kent/crlf-valid.yaml"))
        .expect("the CRLF base entry");
    text.replace("\r\n", "\n")
        .replace("id: crlf-valid", &format!("id: {id}"))
        .replace("owner_force: kent", &format!("owner_force: {force}"))
}

/// A catalogue with the given entries (`(path under catalogue/, text)`).
fn root_with(entries: &[(&str, &str)]) -> TempDir {
    common::catalogue(entries)
}

/// A finding: file, code, line and column.
type Found = (String, String, usize, usize);

/// `nsi validate --format json ARGS` (and the human form), sound; the codes found per file.
fn validate(dir: &Path, paths: &[&str]) -> (i32, Vec<Found>, Run) {
    let mut args = vec!["validate", "--format", "json"];
    args.extend_from_slice(paths);
    let json = run(dir, &args);
    json.assert_sound();
    let mut human = vec!["validate"];
    human.extend_from_slice(paths);
    check_human(dir, &human, &json);
    let found = json
        .diagnostics()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap_or_default().to_owned(),
                d["code"].as_str().unwrap_or_default().to_owned(),
                usize::try_from(d["line"].as_u64().unwrap_or(0)).unwrap_or(0),
                usize::try_from(d["column"].as_u64().unwrap_or(0)).unwrap_or(0),
            )
        })
        .collect();
    (json.code, found, json)
}

fn at_start(path: &str, code: &str) -> Found {
    (path.to_owned(), code.to_owned(), 1, 1)
}

#[test]
fn a_50_mb_file_is_refused_unread() {
    let dir = root_with(&[]);
    let path = dir.path().join("catalogue/kent/fifty-megabytes.yaml");
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    let mut text = entry("fifty-megabytes", "kent");
    text.push_str("description: |\n");
    let line = format!("  {}\n", "padding ".repeat(12));
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(&line);
    }
    fs::write(&path, &text).expect("write 50 MB");
    let (code, found, _) = validate(dir.path(), &["catalogue/kent/fifty-megabytes.yaml"]);
    assert_eq!(code, 1);
    assert_eq!(
        found,
        [at_start("catalogue/kent/fifty-megabytes.yaml", "NSI002")]
    );
    // The whole catalogue too, and the other readers of files.
    let (code, _, _) = validate(dir.path(), &[]);
    assert_eq!(code, 1);
    for args in [
        &["fmt", "--check"][..],
        &["search", "padding", "--format", "ids"],
        &["stats"],
    ] {
        let other = run(dir.path(), args);
        other.assert_sound();
        assert!(other.code <= 2, "{}: exit {}", other.label, other.code);
    }
}

#[cfg(unix)]
mod unix {
    use std::fs;
    use std::os::unix::fs::{PermissionsExt, symlink};
    use std::process::Command;

    use super::{at_start, entry, root_with, run, validate};

    /// A name that is not UTF-8 (Linux allows any bytes) is refused by name, not read as an
    /// entry whose id cannot match it.
    #[test]
    fn a_file_name_that_is_not_utf8_is_named_as_such() {
        use std::os::unix::ffi::OsStrExt as _;
        let dir = root_with(&[("kent/good-entry.yaml", &entry("good-entry", "kent"))]);
        let name = std::ffi::OsStr::from_bytes(b"bad\xff.yaml");
        fs::write(
            dir.path().join("catalogue/kent").join(name),
            entry("bad", "kent"),
        )
        .expect("write");
        let (code, found, json) = validate(dir.path(), &[]);
        assert_eq!(code, 1);
        assert_eq!(
            found,
            [at_start("catalogue/kent/bad\u{fffd}.yaml", "NSI013")],
            "{}",
            json.stdout
        );
        assert!(json.stdout.contains("not valid UTF-8"), "{}", json.stdout);
    }

    #[test]
    fn a_link_to_an_entry_inside_the_catalogue_is_followed() {
        let real = entry("real-entry", "kent");
        let dir = root_with(&[("kent/real-entry.yaml", &real)]);
        symlink(
            "real-entry.yaml",
            dir.path().join("catalogue/kent/linked-entry.yaml"),
        )
        .expect("symlink");
        let (code, found, _) = validate(dir.path(), &[]);
        assert_eq!(code, 1);
        let codes: Vec<(&str, &str)> = found
            .iter()
            .map(|(file, code, ..)| (file.as_str(), code.as_str()))
            .collect();
        // Followed and read: its id is not its name, and is the other file's.
        assert_eq!(
            codes,
            [
                ("catalogue/kent/linked-entry.yaml", "NSI201"),
                ("catalogue/kent/linked-entry.yaml", "NSI203"),
                ("catalogue/kent/real-entry.yaml", "NSI203"),
            ]
        );
    }

    #[test]
    fn links_outside_broken_and_looping_are_reported_not_followed() {
        let dir = root_with(&[]);
        let kent = dir.path().join("catalogue/kent");
        fs::create_dir_all(&kent).expect("mkdir");
        let outside = dir.path().join("outside.yaml");
        fs::write(&outside, entry("outside", "kent")).expect("write");
        symlink(&outside, kent.join("outside.yaml")).expect("symlink");
        symlink("/dev/zero", kent.join("zero.yaml")).expect("symlink");
        symlink("/etc/passwd", kent.join("passwd.yaml")).expect("symlink");
        symlink("loop-b.yaml", kent.join("loop-a.yaml")).expect("symlink");
        symlink("loop-a.yaml", kent.join("loop-b.yaml")).expect("symlink");
        symlink("nowhere.yaml", kent.join("dangling.yaml")).expect("symlink");
        let (code, found, _) = validate(dir.path(), &[]);
        assert_eq!(code, 1);
        assert_eq!(
            found,
            [
                at_start("catalogue/kent/dangling.yaml", "NSI001"),
                at_start("catalogue/kent/loop-a.yaml", "NSI001"),
                at_start("catalogue/kent/loop-b.yaml", "NSI001"),
                at_start("catalogue/kent/outside.yaml", "NSI012"),
                at_start("catalogue/kent/passwd.yaml", "NSI012"),
                at_start("catalogue/kent/zero.yaml", "NSI012"),
            ]
        );
        // Named on the command line, the same.
        let (code, found, _) = validate(dir.path(), &["catalogue/kent/zero.yaml"]);
        assert_eq!(
            (code, found),
            (1, vec![at_start("catalogue/kent/zero.yaml", "NSI012")])
        );
    }

    /// Opening a FIFO blocks until something writes to it: it must be refused, not opened.
    #[test]
    fn a_fifo_or_a_device_named_like_an_entry_is_refused_without_hanging() {
        let dir = root_with(&[("kent/good-entry.yaml", &entry("good-entry", "kent"))]);
        let fifo = dir.path().join("catalogue/kent/pipe-entry.yaml");
        let status = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
        assert!(status.success());
        let (code, found, _) = validate(dir.path(), &[]);
        assert_eq!(code, 1);
        assert_eq!(
            found,
            [at_start("catalogue/kent/pipe-entry.yaml", "NSI001")]
        );
        let (code, found, json) = validate(dir.path(), &["catalogue/kent/pipe-entry.yaml"]);
        assert_eq!(code, 1);
        assert_eq!(
            found,
            [at_start("catalogue/kent/pipe-entry.yaml", "NSI001")]
        );
        assert!(
            json.stdout.contains("not a regular file"),
            "{}",
            json.stdout
        );
        // A device named on the command line (outside the catalogue, and no `.yaml`) is not
        // read either: it is not an entry file.
        let (code, found, _) = validate(dir.path(), &["/dev/zero"]);
        assert_eq!((code, found), (1, vec![at_start("/dev/zero", "NSI013")]));
        for args in [
            &["fmt", "--check"][..],
            &["search", "good", "--format", "ids"],
            &["stats"],
        ] {
            let other = run(dir.path(), args);
            other.assert_sound();
            assert!(other.code <= 2, "{}: exit {}", other.label, other.code);
        }
    }

    #[test]
    fn a_folder_named_like_an_entry_is_misplaced() {
        let dir = root_with(&[]);
        fs::create_dir_all(dir.path().join("catalogue/kent/folder-entry.yaml")).expect("mkdir");
        fs::write(
            dir.path()
                .join("catalogue/kent/folder-entry.yaml/inner.yaml"),
            entry("inner", "kent"),
        )
        .expect("write");
        let (code, found, _) = validate(dir.path(), &[]);
        assert_eq!(code, 1);
        assert_eq!(
            found,
            [at_start("catalogue/kent/folder-entry.yaml", "NSI013")]
        );
    }

    /// Without read permission a file is NSI001 — except for root, who reads it anyway (the
    /// tests may run as root in a container): then it is simply a valid entry.
    #[test]
    fn a_file_without_read_permission() {
        let dir = root_with(&[("kent/locked-entry.yaml", &entry("locked-entry", "kent"))]);
        let path = dir.path().join("catalogue/kent/locked-entry.yaml");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).expect("chmod 000");
        let readable = fs::File::open(&path).is_ok();
        let (code, found, _) = validate(dir.path(), &[]);
        if readable {
            assert_eq!((code, found), (0, vec![]), "root reads a chmod-000 file");
        } else {
            assert_eq!(
                (code, found),
                (
                    1,
                    vec![at_start("catalogue/kent/locked-entry.yaml", "NSI001")]
                )
            );
        }
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).expect("chmod back");
    }

    /// Two names that differ only in case are one file on macOS and Windows. Where the file
    /// system keeps both, the upper-case one cannot match its id.
    #[test]
    fn file_names_differing_only_in_case() {
        let text = entry("case-twin", "kent");
        let dir = root_with(&[
            ("kent/case-twin.yaml", &text),
            ("kent/Case-Twin.yaml", &text),
        ]);
        let kept = fs::read_dir(dir.path().join("catalogue/kent"))
            .expect("list")
            .count();
        let (code, found, _) = validate(dir.path(), &[]);
        if kept == 2 {
            assert_eq!(code, 1);
            let codes: Vec<(&str, &str)> = found
                .iter()
                .map(|(f, c, ..)| (f.as_str(), c.as_str()))
                .collect();
            assert_eq!(
                codes,
                [
                    ("catalogue/kent/Case-Twin.yaml", "NSI201"),
                    ("catalogue/kent/Case-Twin.yaml", "NSI203"),
                    ("catalogue/kent/case-twin.yaml", "NSI203"),
                ]
            );
        } else {
            assert_eq!((code, found), (0, vec![]), "a case-insensitive file system");
        }
    }

    /// Windows cannot check out `con.yaml`, `aux.yaml` or `com1.yaml` at all.
    #[test]
    fn windows_device_names_are_refused() {
        let entries: Vec<(String, String)> = ["con", "aux", "com1", "lpt9", "nul"]
            .iter()
            .map(|id| (format!("kent/{id}.yaml"), entry(id, "kent")))
            .collect();
        let borrowed: Vec<(&str, &str)> = entries
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        let dir = root_with(&borrowed);
        let (code, found, json) = validate(dir.path(), &[]);
        assert_eq!(code, 1);
        let codes: Vec<(&str, &str, usize, usize)> = found
            .iter()
            .map(|(f, c, l, col)| (f.as_str(), c.as_str(), *l, *col))
            .collect();
        assert_eq!(
            codes,
            [
                ("catalogue/kent/aux.yaml", "NSI105", 1, 5),
                ("catalogue/kent/com1.yaml", "NSI105", 1, 5),
                ("catalogue/kent/con.yaml", "NSI105", 1, 5),
                ("catalogue/kent/lpt9.yaml", "NSI105", 1, 5),
                ("catalogue/kent/nul.yaml", "NSI105", 1, 5),
            ]
        );
        assert!(
            json.stdout.contains("reserved on Windows"),
            "{}",
            json.stdout
        );
        // Longer ids that merely start so are fine.
        let dir = root_with(&[
            ("kent/console.yaml", &entry("console", "kent")),
            ("kent/com10.yaml", &entry("com10", "kent")),
        ]);
        assert_eq!(validate(dir.path(), &[]).0, 0);
    }

    /// Names that look like, or normalise to, the right one are not the right one.
    #[test]
    fn look_alike_and_decomposed_names() {
        let cyrillic_e = "\u{435}";
        let entries = [
            // The file name has a Cyrillic `е`; the id is ASCII.
            (
                format!("kent/vid{cyrillic_e}o-response.yaml"),
                entry("video-response", "kent"),
            ),
            // The folder has a Cyrillic `е`; the owner force is ASCII.
            (
                format!("k{cyrillic_e}nt/patrol-app.yaml"),
                entry("patrol-app", "kent"),
            ),
            // An NFD file name (`e` + combining acute) for an id that cannot hold it anyway.
            (
                "kent/cafe\u{301}-finder.yaml".to_owned(),
                entry("cafe-finder", "kent"),
            ),
        ];
        let borrowed: Vec<(&str, &str)> = entries
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        let dir = root_with(&borrowed);
        let (code, found, _) = validate(dir.path(), &[]);
        assert_eq!(code, 1);
        let mut codes: Vec<String> = found.iter().map(|(_, c, ..)| c.clone()).collect();
        codes.sort();
        // NSI201 twice (file names), NSI202 (folder), and the look-alike folder is no force.
        assert_eq!(codes, ["NSI201", "NSI201", "NSI202"], "{found:?}");
    }
}

/// Every `--format json` that carries entry text writes the characters a terminal acts on
/// (C1 controls such as CSI U+009B and OSC U+009D, BEL, the direction overrides and isolates)
/// as `\u` escapes, never raw, and the value read back is the text as written.
#[test]
fn json_output_escapes_terminal_controls_and_direction_overrides() {
    let title =
        "Video \u{9b}31m \u{9d}0;owned\u{7} \u{202e}evil\u{202c} \u{2066}iso\u{2069} response";
    let yaml_title =
        "Video \\u009B31m \\u009D0;owned\\a \\u202Eevil\\u202C \\u2066iso\\u2069 response";
    let text = entry("hostile-json", "kent")
        .replace("title: Video response", &format!("title: \"{yaml_title}\""));
    assert!(text.contains(yaml_title));
    // A second one like it, for `similar` to find.
    let twin = text.replace("id: hostile-json", "id: hostile-twin");
    let dir = root_with(&[
        ("kent/hostile-json.yaml", &text),
        ("kent/hostile-twin.yaml", &twin),
    ]);
    for args in [
        &["show", "hostile-json", "--format", "json"][..],
        &["search", "video", "--format", "json"],
        &["similar", "hostile-json", "--format", "json"],
    ] {
        let out = run(dir.path(), args);
        out.assert_sound();
        assert_eq!(out.code, 0, "{}: {}", out.label, out.stderr);
        let raw: Vec<String> = out
            .stdout
            .chars()
            .filter(|&c| is_dangerous(c) && c != '\n' || matches!(c, '\u{200e}' | '\u{200f}'))
            .map(|c| format!("U+{:04X}", u32::from(c)))
            .collect();
        assert!(raw.is_empty(), "{}: raw {raw:?}", out.label);
        for escape in ["\\u009b", "\\u009d", "\\u0007", "\\u202e", "\\u2066"] {
            assert!(out.stdout.contains(escape), "{}: {escape}", out.label);
        }
        let value: Value = serde_json::from_str(&out.stdout).expect("JSON");
        let shown = value
            .get("title")
            .or_else(|| value.pointer("/0/title"))
            .and_then(Value::as_str);
        assert_eq!(shown, Some(title), "{}: {}", out.label, out.stdout);
    }
}
