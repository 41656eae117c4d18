//! The fixture catalogues under `tests/fixtures/entries/`.
//!
//! - `valid/` holds entries that must pass without a single finding.
//! - `invalid/` holds one entry per problem; `invalid/expected.txt` lists, for every file, each
//!   finding (code, line, column) it must produce, no more and no fewer.
//!
//! What cannot be committed to git (an unreadable file, a symbolic link, a file over the size
//! limit, a broken schema) is built at run time in a temporary folder.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use nsi::catalogue::diagnostic::Diagnostic;
use nsi::catalogue::load::{self, EntryFile};
use nsi::catalogue::reference::Reference;
use nsi::catalogue::validate::{
    EntryChecker, ValidationOptions, ValidationReport, rules, validate_catalogue,
};
use nsi::catalogue::yaml;
use rayon::prelude::*;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/entries")
}

fn options() -> ValidationOptions {
    ValidationOptions {
        strict: false,
        today: NaiveDate::from_ymd_opt(2026, 11, 28).expect("a real date"),
    }
}

fn validate(root: &Path, paths: &[PathBuf]) -> ValidationReport {
    validate_catalogue(root, paths, options())
        .unwrap_or_else(|error| panic!("validating {} failed: {error}", root.display()))
}

/// A path relative to a fixture root, with `/` separators whatever the platform.
fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Copy a folder tree.
fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create a folder");
    for item in fs::read_dir(from).expect("read a folder") {
        let item = item.expect("a folder item");
        let target = to.join(item.file_name());
        if item.file_type().expect("a file type").is_dir() {
            copy_tree(&item.path(), &target);
        } else {
            fs::copy(item.path(), target).expect("copy a file");
        }
    }
}

fn describe(diagnostic: &Diagnostic) -> String {
    format!(
        "{}@{}:{} ({}: {})",
        diagnostic.code,
        diagnostic.line,
        diagnostic.column,
        diagnostic.severity,
        diagnostic.message
    )
}

// ----------------------------------------------------------------------------------------------
// The manifest
// ----------------------------------------------------------------------------------------------

/// One expected finding: `NSI005@12:3`, or `NSI005@12` when the column does not matter.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Expected {
    code: String,
    line: usize,
    column: Option<usize>,
}

impl Expected {
    fn parse(token: &str) -> Result<Self, String> {
        let (code, position) = token
            .split_once('@')
            .ok_or_else(|| format!("`{token}` is not CODE@LINE[:COLUMN]"))?;
        let (line, column) = match position.split_once(':') {
            Some((line, column)) => (line, Some(column)),
            None => (position, None),
        };
        let number = |text: &str| {
            text.parse::<usize>()
                .map_err(|_| format!("`{token}`: `{text}` is not a number"))
        };
        if rules::find(code).is_none_or(|rule| rule.code != code) {
            return Err(format!("`{token}`: `{code}` is not a rule code"));
        }
        Ok(Expected {
            code: code.to_owned(),
            line: number(line)?,
            column: column.map(number).transpose()?,
        })
    }

    fn matches(&self, diagnostic: &Diagnostic) -> bool {
        self.code == diagnostic.code
            && self.line == diagnostic.line
            && self.column.is_none_or(|column| column == diagnostic.column)
    }
}

impl std::fmt::Display for Expected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}@{}", self.code, self.line)?;
        if let Some(column) = self.column {
            write!(f, ":{column}")?;
        }
        Ok(())
    }
}

/// `invalid/expected.txt`: path (relative to the fixture root) → expected findings.
fn manifest() -> BTreeMap<String, Vec<Expected>> {
    let path = fixtures().join("invalid/expected.txt");
    let text = fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    let mut manifest = BTreeMap::new();
    for (index, line) in text.lines().enumerate() {
        let line = line
            .split_once(" #")
            .map_or(line, |(before, _)| before)
            .trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut tokens = line.split_whitespace();
        let file = tokens
            .next()
            .expect("a non-empty line has a first token")
            .to_owned();
        let expected = tokens
            .map(Expected::parse)
            .collect::<Result<Vec<_>, _>>()
            .unwrap_or_else(|error| panic!("expected.txt line {}: {error}", index + 1));
        assert!(
            manifest.insert(file.clone(), expected).is_none(),
            "expected.txt line {}: {file} is listed twice",
            index + 1
        );
    }
    manifest
}

/// Match expected findings against actual ones; `None` when they agree exactly.
fn compare(expected: &[Expected], actual: &[&Diagnostic]) -> Option<String> {
    let mut unmatched: Vec<&Diagnostic> = actual.to_vec();
    let mut missing = Vec::new();
    // Exact (with column) expectations first, so a column-less one cannot steal their match.
    let mut ordered: Vec<&Expected> = expected.iter().collect();
    ordered.sort_by_key(|e| e.column.is_none());
    for item in ordered {
        match unmatched.iter().position(|d| item.matches(d)) {
            Some(index) => {
                unmatched.remove(index);
            }
            None => missing.push(item),
        }
    }
    if missing.is_empty() && unmatched.is_empty() {
        return None;
    }
    let mut out = String::new();
    for item in missing {
        let _ = writeln!(out, "    missing     {item}");
    }
    for diagnostic in unmatched {
        let _ = writeln!(out, "    unexpected  {}", describe(diagnostic));
    }
    let _ = writeln!(
        out,
        "    (all found: {})",
        if actual.is_empty() {
            "none".to_owned()
        } else {
            actual
                .iter()
                .map(|d| format!("{}@{}:{}", d.code, d.line, d.column))
                .collect::<Vec<_>>()
                .join(" ")
        }
    );
    Some(out)
}

/// Everything a validation of the catalogue under `root` should account for: its files, and the
/// folders that are findings themselves (anything below a force folder), hidden names skipped as
/// validation skips them. Paths are relative to `root`.
fn catalogue_items(root: &Path) -> BTreeSet<String> {
    fn walk(root: &Path, dir: &Path, depth: usize, out: &mut BTreeSet<String>) {
        let entries = fs::read_dir(dir)
            .unwrap_or_else(|error| panic!("cannot list {}: {error}", dir.display()));
        for entry in entries {
            let path = entry.expect("a readable folder entry").path();
            if path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            {
                continue;
            }
            if path.is_dir() && depth < 1 {
                walk(root, &path, depth + 1, out);
            } else {
                let relative = path.strip_prefix(root).expect("below the root");
                out.insert(slash_path(relative));
            }
        }
    }
    let mut items = BTreeSet::new();
    walk(root, &root.join("catalogue"), 0, &mut items);
    items
}

// ----------------------------------------------------------------------------------------------
// The committed fixtures
// ----------------------------------------------------------------------------------------------

#[test]
fn valid_fixtures_have_no_findings() {
    let root = fixtures().join("valid");
    let report = validate(&root, &[]);
    let findings: Vec<String> = report
        .diagnostics
        .iter()
        .map(|d| format!("{}: {}", d.file.display(), describe(d)))
        .collect();
    assert!(
        findings.is_empty(),
        "valid fixtures produced findings:\n{}",
        findings.join("\n")
    );
    let files = catalogue_items(&root);
    assert_eq!(
        report.checked,
        files.len(),
        "every valid fixture is checked: {files:?}"
    );
    assert!(
        report.checked >= 4,
        "there are at least four valid fixtures"
    );
    assert_eq!(
        report.entries.len(),
        report.checked,
        "every valid fixture becomes a typed entry"
    );
}

#[test]
fn valid_fixtures_read_as_written() {
    let report = validate(&fixtures().join("valid"), &[]);
    for (file, entry) in &report.entries {
        assert_eq!(entry.id.as_str(), file.stem(), "{}", file.display.display());
        let json = serde_json::to_string(entry).expect("an entry serialises");
        assert!(
            !json.contains("\\r"),
            "{}: a CR leaked into a value",
            file.display.display()
        );
        assert!(
            !json.contains('\u{feff}'),
            "{}: the BOM leaked into a value",
            file.display.display()
        );
    }
    let entry = |id: &str| {
        report
            .entries
            .iter()
            .map(|(_, entry)| entry)
            .find(|entry| entry.id.as_str() == id)
            .unwrap_or_else(|| panic!("no typed entry `{id}`"))
    };
    let blocks = entry("block-scalars");
    assert_eq!(
        blocks.summary,
        "Checks force documents for accessibility problems before publication,\n\
         and explains each problem in plain English."
    );
    assert_eq!(
        blocks.problem_statement,
        "Published PDFs failed accessibility audits. Fixing them after publication \
         cost more than getting them right first.\n\n"
    );
    assert_eq!(
        blocks.description.as_deref(),
        Some(
            "  Indented block with an explicit indentation indicator.\nIt keeps the leading spaces of the first line.\n"
        )
    );
    assert_eq!(
        blocks.title,
        "Accessible document checker — “plain English” edition"
    );
    let full = entry("all-optional-fields");
    assert!(
        full.tags.iter().any(|tag| tag == "c# tooling"),
        "{:?}",
        full.tags
    );
    assert_eq!(full.version.as_deref(), Some("4.1"));
    let crlf = entry("crlf-line-endings");
    assert_eq!(
        crlf.problem_statement,
        "Most 101 calls were questions already answered on the website.\n\
         Callers waited 20 minutes for those answers.\n"
    );
    assert_eq!(entry("utf8-bom").contacts[0].name, "Seán Ó Néill");
    assert_eq!(entry("flow-style").contacts[0].name, "Sam O'Neill");
}

/// The encoding fixtures are only worth having while their bytes are what their names say (an
/// editor or a git setting could normalise them without any other test noticing).
#[test]
fn encoding_fixtures_keep_their_bytes() {
    let read = |path: &str| {
        let path = fixtures().join(path);
        fs::read(&path).unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
    };
    let crlf_only = |bytes: &[u8]| {
        let lines = bytes.split(|&b| b == b'\n').count() - 1;
        let crlf = bytes.windows(2).filter(|w| w == b"\r\n").count();
        lines > 0 && lines == crlf
    };
    let bom = [0xEF, 0xBB, 0xBF];
    assert!(crlf_only(&read(
        "valid/catalogue/surrey/crlf-line-endings.yaml"
    )));
    assert!(crlf_only(&read(
        "invalid/catalogue/kent/crlf-with-error.yaml"
    )));
    assert!(read("valid/catalogue/psni/utf8-bom.yaml").starts_with(&bom));
    assert!(read("invalid/catalogue/kent/bom-with-error.yaml").starts_with(&bom));
    assert!(read("invalid/catalogue/kent/not-utf8-utf16-bom.yaml").starts_with(&[0xFF, 0xFE]));
    assert!(read("invalid/catalogue/kent/not-utf8-latin1.yaml").contains(&0xE9));
    assert!(read("invalid/catalogue/kent/not-utf8-nul-byte.yaml").contains(&0));
    assert!(read("invalid/catalogue/kent/empty.yaml").is_empty());
}

#[test]
fn invalid_fixtures_produce_exactly_the_expected_findings() {
    let root = fixtures().join("invalid");
    let manifest = manifest();
    let report = validate(&root, &[]);

    let mut by_file: BTreeMap<String, Vec<&Diagnostic>> = BTreeMap::new();
    for diagnostic in &report.diagnostics {
        let rule = rules::find(diagnostic.code).expect("every finding names a rule");
        assert_eq!(
            diagnostic.severity,
            rule.severity,
            "without --strict a finding keeps its rule's severity: {}",
            describe(diagnostic)
        );
        by_file
            .entry(slash_path(&diagnostic.file))
            .or_default()
            .push(diagnostic);
    }

    let mut failures = String::new();
    for (file, expected) in &manifest {
        let actual = by_file.get(file).map_or(&[][..], Vec::as_slice);
        if let Some(diff) = compare(expected, actual) {
            let _ = write!(failures, "  {file}\n{diff}");
        }
    }
    for (file, diagnostics) in &by_file {
        if !manifest.contains_key(file) {
            let found: Vec<String> = diagnostics.iter().map(|d| describe(d)).collect();
            let _ = writeln!(
                failures,
                "  {file} is not in expected.txt but produced: {}",
                found.join("; ")
            );
        }
    }
    assert!(
        failures.is_empty(),
        "invalid fixtures disagree with expected.txt:\n{failures}"
    );
}

#[test]
fn manifest_and_invalid_catalogue_list_the_same_files() {
    let root = fixtures().join("invalid");
    let listed: BTreeSet<String> = manifest().into_keys().collect();
    let present = catalogue_items(&root);
    let unlisted: Vec<&String> = present.difference(&listed).collect();
    let absent: Vec<&String> = listed.difference(&present).collect();
    assert!(
        unlisted.is_empty(),
        "files missing from expected.txt: {unlisted:?}"
    );
    assert!(
        absent.is_empty(),
        "expected.txt lists files that do not exist: {absent:?}"
    );
    assert!(
        present.len() >= 40,
        "at least 40 invalid fixtures, found {}",
        present.len()
    );
}

#[cfg(unix)]
#[test]
fn every_rule_is_covered_by_a_fixture_or_a_runtime_case() {
    let mut covered: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (file, expected) in manifest() {
        for item in expected {
            covered.entry(item.code).or_default().push(file.clone());
        }
    }
    for (case, diagnostics) in runtime::all() {
        for diagnostic in diagnostics {
            covered
                .entry(diagnostic.code.to_owned())
                .or_default()
                .push(format!("runtime: {case}"));
        }
    }
    let uncovered: Vec<&str> = rules::ALL
        .iter()
        .map(|rule| rule.code)
        .filter(|code| !covered.contains_key(*code))
        .collect();
    assert!(
        uncovered.is_empty(),
        "rules without a fixture or runtime case: {uncovered:?}"
    );
}

/// Every prefix of every fixture (cut at every 7th character boundary), through the YAML reader
/// and through the whole single-file checker: nothing may panic.
#[test]
fn truncated_fixtures_never_panic() {
    let checker = EntryChecker::new(Reference::embedded(), options()).expect("the schema compiles");
    let mut files = Vec::new();
    let mut pending = vec![
        fixtures().join("valid/catalogue"),
        fixtures().join("invalid/catalogue"),
    ];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).expect("a readable fixture folder") {
            let path = entry.expect("a readable folder entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let bytes = fs::read(&path).expect("a readable fixture");
                let text = load::decode(&bytes)
                    .unwrap_or_else(|_| String::from_utf8_lossy(&bytes).into_owned());
                files.push((EntryFile::new(path.clone(), path), text));
            }
        }
    }
    let cuts: Vec<(&EntryFile, &str)> = files
        .iter()
        .flat_map(|(file, text)| {
            text.char_indices()
                .map(|(i, _)| i)
                .step_by(7)
                .chain(std::iter::once(text.len()))
                .map(move |cut| (file, &text[..cut]))
        })
        .collect();
    assert!(cuts.len() > 10 * files.len(), "the prefixes were generated");
    let panics: Vec<String> = cuts
        .par_iter()
        .filter_map(|&(file, prefix)| {
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let _ = yaml::parse(prefix);
                let _ = checker.check_text(file, prefix);
            }));
            outcome
                .is_err()
                .then(|| format!("{} cut at byte {}", file.display.display(), prefix.len()))
        })
        .collect();
    assert!(
        panics.is_empty(),
        "panics on truncated input:\n{}",
        panics.join("\n")
    );
}

/// Keys that start with a NUL character are ordinary keys: no internal placeholder can collide
/// with them, and an unknown one is reported like any other unknown field.
#[test]
fn keys_starting_with_nul_are_ordinary_keys() {
    let text = "? [a, b]\n: value\n\"\\0complex\": x\n\"\\0alias\": y\n";
    let parsed = yaml::parse(text);
    let codes: Vec<&str> = parsed.problems.iter().map(|p| p.rule.code).collect();
    assert_eq!(codes, ["NSI014"]);
    let value = parsed.value.expect("a mapping");
    assert_eq!(value.get("\0complex"), Some(&serde_json::json!("x")));
    assert_eq!(value.get("\0alias"), Some(&serde_json::json!("y")));
    assert_eq!(value.as_object().map(serde_json::Map::len), Some(2));
}

// ----------------------------------------------------------------------------------------------
// Runtime cases: what cannot be committed to git
// ----------------------------------------------------------------------------------------------

#[cfg(unix)]
mod runtime {
    use std::fs;
    use std::os::unix::fs::{PermissionsExt, symlink};
    use std::os::unix::net::UnixListener;
    use std::path::{Path, PathBuf};

    use nsi::catalogue::diagnostic::Diagnostic;
    use nsi::catalogue::load::MAX_FILE_BYTES;
    use tempfile::TempDir;

    use super::validate;

    /// A valid entry, the same base the committed fixtures start from.
    pub fn entry(id: &str, force: &str) -> String {
        format!(
            "id: {id}
title: Video response
summary: A short summary of what the solution does and for whom.
problem_statement: Victims waited too long for an officer to attend.
owner_force: {force}
categories:
  - public-contact
phase: live
technology:
  stack:
    - Python
  deployment: cloud
  licence: MIT
skills:
  - role: data
    level: working
documentation:
  - type: dpia
    availability: on-request
contacts:
  - name: Ann Example
    role: Product owner
    email: ann.example@kent.police.example
    valid_until: 2027-06-30
aftercare:
  level: none
rationale: Other forces gain a tested operating model from this entry.
visibility: policing
created: 2025-01-10
last_reviewed: 2026-06-01
ai:
  use: none
schema_version: '2.0.0'
"
        )
    }

    /// A temporary root with `catalogue/kent/`.
    pub fn catalogue() -> (TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let kent = dir.path().join("catalogue/kent");
        fs::create_dir_all(&kent).expect("create catalogue/kent");
        (dir, kent)
    }

    /// (path relative to the root, code, line, column) of each finding.
    pub fn summary(diagnostics: &[Diagnostic]) -> Vec<(String, &'static str, usize, usize)> {
        diagnostics
            .iter()
            .map(|d| (super::slash_path(&d.file), d.code, d.line, d.column))
            .collect()
    }

    fn at_start(path: &str, code: &'static str) -> (String, &'static str, usize, usize) {
        (path.to_owned(), code, 1, 1)
    }

    /// NSI001: as root, permissions do not stop a read, so the unreadable file is a Unix socket
    /// named like an entry (opening one fails with ENXIO whoever you are).
    pub fn unreadable_socket() -> Vec<Diagnostic> {
        let (dir, kent) = catalogue();
        let _listener = UnixListener::bind(kent.join("socket-entry.yaml")).expect("bind a socket");
        let report = validate(dir.path(), &[]);
        assert_eq!(report.checked, 1);
        assert_eq!(
            summary(&report.diagnostics),
            [at_start("catalogue/kent/socket-entry.yaml", "NSI001")],
            "{:#?}",
            report.diagnostics
        );
        report.diagnostics
    }

    /// NSI001 too: a broken link named on the command line is reported, not opened.
    pub fn broken_link_named_explicitly() -> Vec<Diagnostic> {
        let (dir, kent) = catalogue();
        let link = kent.join("gone.yaml");
        symlink("missing.yaml", &link).expect("create a symlink");
        let report = validate(dir.path(), &[link]);
        assert_eq!(report.checked, 0);
        let diagnostics: Vec<_> = summary(&report.diagnostics)
            .into_iter()
            .map(|(_, code, line, column)| (code, line, column))
            .collect();
        assert_eq!(diagnostics, [("NSI001", 1, 1)], "{:#?}", report.diagnostics);
        report.diagnostics
    }

    /// A file without read permission: NSI001 for an ordinary user; root reads it regardless.
    pub fn no_read_permission() -> Vec<Diagnostic> {
        let (dir, kent) = catalogue();
        let path = kent.join("locked.yaml");
        fs::write(&path, entry("locked", "kent")).expect("write the entry");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).expect("chmod 000");
        let readable = fs::File::open(&path).is_ok();
        let report = validate(dir.path(), &[]);
        let expected = if readable {
            vec![]
        } else {
            vec![at_start("catalogue/kent/locked.yaml", "NSI001")]
        };
        assert_eq!(
            summary(&report.diagnostics),
            expected,
            "readable by us: {readable}"
        );
        report.diagnostics
    }

    /// NSI012: a link to an entry outside the catalogue is reported and not followed; a broken
    /// link is NSI001 (it cannot be read), wherever it points.
    pub fn links_while_walking() -> Vec<Diagnostic> {
        let (dir, kent) = catalogue();
        let outside = dir.path().join("outside");
        fs::create_dir(&outside).expect("create outside/");
        fs::write(
            outside.join("linked-entry.yaml"),
            entry("linked-entry", "kent"),
        )
        .expect("write the entry");
        symlink(
            outside.join("linked-entry.yaml"),
            kent.join("linked-entry.yaml"),
        )
        .expect("create a symlink");
        symlink("../../nowhere.yaml", kent.join("dangling.yaml")).expect("create a symlink");
        let report = validate(dir.path(), &[]);
        assert_eq!(report.checked, 0, "neither link is followed");
        assert_eq!(
            summary(&report.diagnostics),
            [
                at_start("catalogue/kent/dangling.yaml", "NSI001"),
                at_start("catalogue/kent/linked-entry.yaml", "NSI012")
            ],
            "{:#?}",
            report.diagnostics
        );
        report.diagnostics
    }

    /// NSI002: exactly 256 KiB is accepted; one byte more is refused unread.
    pub fn size_limit() -> Vec<Diagnostic> {
        let (dir, kent) = catalogue();
        let limit = usize::try_from(MAX_FILE_BYTES).expect("the limit fits in memory");
        let padded = |id: &str, size: usize| {
            let mut text = entry(id, "kent");
            text.push('#');
            text.push_str(&"x".repeat(size - text.len() - 1));
            text.push('\n');
            assert_eq!(text.len(), size);
            text
        };
        fs::write(
            kent.join("at-the-limit.yaml"),
            padded("at-the-limit", limit),
        )
        .expect("write");
        fs::write(
            kent.join("over-the-limit.yaml"),
            padded("over-the-limit", limit + 1),
        )
        .expect("write");
        let report = validate(dir.path(), &[]);
        assert_eq!(report.checked, 2);
        assert_eq!(
            summary(&report.diagnostics),
            [at_start("catalogue/kent/over-the-limit.yaml", "NSI002")],
            "{:#?}",
            report.diagnostics
        );
        assert_eq!(report.entries.len(), 1, "the file at the limit is an entry");
        report.diagnostics
    }

    /// NSI100: no keyword of the shipped schema falls through to the generic code, so the case
    /// uses a catalogue whose own `schema/` adds one (`not`).
    pub fn generic_schema_finding() -> Vec<Diagnostic> {
        let (dir, kent) = catalogue();
        let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema");
        let schema_dir = dir.path().join("schema");
        fs::create_dir_all(schema_dir.join("reference")).expect("create schema/reference");
        for name in ["forces", "categories", "standards", "roles", "documents"] {
            let file = format!("reference/{name}.yaml");
            fs::copy(shipped.join(&file), schema_dir.join(&file)).expect("copy a reference list");
        }
        let text =
            fs::read_to_string(shipped.join("solution.schema.json")).expect("read the schema");
        let mut schema: serde_json::Value =
            serde_json::from_str(&text).expect("the schema is JSON");
        schema["properties"]["title"]["not"] = serde_json::json!({ "const": "TBC" });
        fs::write(schema_dir.join("solution.schema.json"), schema.to_string())
            .expect("write the schema");
        let text =
            entry("placeholder-title", "kent").replace("title: Video response", "title: TBC");
        fs::write(kent.join("placeholder-title.yaml"), text).expect("write the entry");
        let report = validate(dir.path(), &[]);
        assert_eq!(
            summary(&report.diagnostics),
            [(
                "catalogue/kent/placeholder-title.yaml".to_owned(),
                "NSI100",
                2,
                8
            )],
            "{:#?}",
            report.diagnostics
        );
        report.diagnostics
    }

    /// NSI300: a reference list that breaks its schema (a force slug that would name an owner
    /// in CODEOWNERS) is a finding in the list's file, and no entry is checked against it.
    pub fn broken_reference_list() -> Vec<Diagnostic> {
        let (dir, kent) = catalogue();
        let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema");
        let schema_dir = dir.path().join("schema");
        fs::create_dir_all(schema_dir.join("reference")).expect("create schema/reference");
        fs::copy(
            shipped.join("solution.schema.json"),
            schema_dir.join("solution.schema.json"),
        )
        .expect("copy the schema");
        for name in ["forces", "categories", "standards", "roles", "documents"] {
            let file = format!("reference/{name}.yaml");
            let text = fs::read_to_string(shipped.join(&file)).expect("read a reference list");
            let text = text.replacen("{slug: kent,", "{slug: \"kent/ @mallory\",", 1);
            fs::write(schema_dir.join(&file), text).expect("write a reference list");
        }
        fs::write(kent.join("good-entry.yaml"), entry("good-entry", "kent")).expect("write");
        let report = validate(dir.path(), &[]);
        let summary = summary(&report.diagnostics);
        assert_eq!(summary.len(), 1, "{:#?}", report.diagnostics);
        assert_eq!(
            (summary[0].0.as_str(), summary[0].1),
            ("schema/reference/forces.yaml", "NSI300")
        );
        assert_eq!(
            report.checked, 0,
            "no entry is checked against a broken list"
        );
        report.diagnostics
    }

    /// Every runtime case, named, with its findings.
    pub fn all() -> Vec<(&'static str, Vec<Diagnostic>)> {
        vec![
            ("unreadable_socket", unreadable_socket()),
            (
                "broken_link_named_explicitly",
                broken_link_named_explicitly(),
            ),
            ("no_read_permission", no_read_permission()),
            ("links_while_walking", links_while_walking()),
            ("size_limit", size_limit()),
            ("generic_schema_finding", generic_schema_finding()),
            ("retired_category", retired_category()),
            ("broken_reference_list", broken_reference_list()),
        ]
    }

    /// NSI303: a category the lists retired (here split in two), named by an entry. The
    /// lists of a committed fixture are the embedded ones, which retire nothing.
    pub fn retired_category() -> Vec<Diagnostic> {
        let (dir, kent) = catalogue();
        let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema");
        super::copy_tree(&shipped, &dir.path().join("schema"));
        let categories = dir.path().join("schema/reference/categories.yaml");
        let text: String = fs::read_to_string(&categories)
            .expect("read the categories")
            .lines()
            .filter(|line| !line.contains("{slug: public-contact,"))
            .fold(String::new(), |text, line| text + line + "\n");
        let text = text
            + "retired:\n  - {slug: public-contact, replaced_by: [neighbourhood-policing, automation-productivity]}\n";
        fs::write(&categories, text).expect("write the categories");
        fs::write(kent.join("retired.yaml"), entry("retired", "kent")).expect("write the entry");
        let report = validate(dir.path(), &[]);
        assert_eq!(
            summary(&report.diagnostics),
            [("catalogue/kent/retired.yaml".to_owned(), "NSI303", 7, 5)],
            "{:#?}",
            report.diagnostics
        );
        assert!(
            report.diagnostics[0]
                .message
                .contains("split into `neighbourhood-policing`, `automation-productivity`"),
            "{}",
            report.diagnostics[0].message
        );
        report.diagnostics
    }

    #[test]
    fn retired_slug_is_nsi303() {
        retired_category();
    }

    #[test]
    fn broken_reference_list_is_nsi300() {
        broken_reference_list();
    }

    #[test]
    fn unreadable_file_is_nsi001() {
        unreadable_socket();
        broken_link_named_explicitly();
        no_read_permission();
    }

    #[test]
    fn symlink_out_of_the_catalogue_is_nsi012() {
        links_while_walking();
    }

    #[test]
    fn file_over_256_kib_is_nsi002() {
        size_limit();
    }

    #[test]
    fn schema_keyword_without_its_own_code_is_nsi100() {
        generic_schema_finding();
    }

    /// Naming a link on the command line gets the same guard as the catalogue walk: the file
    /// outside the catalogue is not read.
    #[test]
    fn symlink_out_of_the_catalogue_named_explicitly_is_nsi012() {
        let (dir, kent) = catalogue();
        let outside = dir.path().join("outside.yaml");
        fs::write(&outside, entry("outside", "kent")).expect("write the entry");
        let link = kent.join("outside.yaml");
        symlink(&outside, &link).expect("create a symlink");
        let report = validate(dir.path(), &[link]);
        let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["NSI012"], "{:#?}", report.diagnostics);
    }
}
