//! End-to-end tests of the configuration (`nsi.toml`, `NSI_*` variables, flags) and of
//! `nsi config`; of the settings reaching validate, stats, stale and search; and of progress
//! bars staying out of pipes and CI logs.

mod common;

use std::fs;
use std::path::Path;

use common::{REPO, catalogue, stdout_of};
use nsi::catalogue::config::KEYS;
use serde_json::Value;

/// The binary as the other tests run it, but with `index_in_background` left to the catalogue,
/// so that `nsi config` reports the default as the default.
fn nsi(dir: &Path) -> assert_cmd::Command {
    let mut command = common::nsi(dir);
    command.env_remove("NSI_INDEX_IN_BACKGROUND");
    command
}

const MINIMAL: &str = include_str!("data/minimal-entry.yaml");

/// The minimal entry as `id` of `force`, last reviewed on `last_reviewed`, its contact at
/// `email`.
fn entry(id: &str, force: &str, last_reviewed: &str, email: &str) -> String {
    MINIMAL
        .replace("ID", id)
        .replace("FORCE", force)
        .replace("2026-06-01", last_reviewed)
        .replace("test.person@force.police.example", email)
}

/// A catalogue of one entry last reviewed on 2026-05-01: overdue after six months (today is
/// 2026-11-28 in the tests), not after twelve.
fn reviewed_in_may() -> tempfile::TempDir {
    catalogue(&[(
        "kent/may-review.yaml",
        &entry(
            "may-review",
            "kent",
            "2026-05-01",
            "jo.bloggs@kent.police.example",
        ),
    )])
}

fn json_of(command: &mut assert_cmd::Command) -> Value {
    serde_json::from_str(&stdout_of(command)).expect("JSON")
}

fn setting<'a>(report: &'a Value, key: &str) -> &'a Value {
    report["settings"]
        .as_array()
        .expect("settings")
        .iter()
        .find(|s| s["key"] == key)
        .unwrap_or_else(|| panic!("no setting {key}: {report}"))
}

// ----------------------------------------------------------------------------------------------
// nsi config
// ----------------------------------------------------------------------------------------------

#[test]
fn without_a_file_every_setting_is_a_default() {
    let dir = catalogue(&[]);
    let text = stdout_of(nsi(dir.path()).arg("config"));
    assert!(text.contains("(not present)"), "{text}");
    for key in KEYS {
        let line = text
            .lines()
            .find(|l| l.starts_with(&format!("{} = ", key.name)))
            .unwrap_or_else(|| panic!("{} is not shown:\n{text}", key.name));
        assert!(line.ends_with("# default"), "{line}");
    }
    assert!(text.contains("review_period_months = 12 "), "{text}");
    assert!(text.contains("cache_dir = \".nsi/cache\" "), "{text}");
}

#[test]
fn each_setting_says_where_it_came_from() {
    let dir = catalogue(&[]);
    fs::write(
        dir.path().join("nsi.toml"),
        "# ours\nreview_period_months = 6\nremote = \"upstream\"\n\n[standards]\n\
         contact_valid_days = 30\n",
    )
    .expect("write nsi.toml");
    let text = stdout_of(
        nsi(dir.path())
            .args(["config", "--color", "never"])
            .env("NSI_REMOTE", "fork")
            .env("NSI_ALLOWED_EMAIL_DOMAINS", "police.uk, pnn.police.uk"),
    );
    let line = |key: &str| {
        text.lines()
            .find(|l| l.starts_with(&format!("{key} = ")) || l.starts_with(&format!("# {key} = ")))
            .unwrap_or_else(|| panic!("no {key}:\n{text}"))
            .to_owned()
    };
    assert!(
        line("review_period_months").ends_with("# nsi.toml:2"),
        "{text}"
    );
    assert!(
        line("standards.contact_valid_days").ends_with("# nsi.toml:6"),
        "{text}"
    );
    // The environment overrides the file.
    assert!(line("remote").starts_with("remote = \"fork\""), "{text}");
    assert!(line("remote").ends_with("# env NSI_REMOTE"), "{text}");
    assert!(
        line("allowed_email_domains")
            .starts_with("allowed_email_domains = [\"police.uk\", \"pnn.police.uk\"]"),
        "{text}"
    );
    assert!(line("default_branch").ends_with("# default"), "{text}");
    // Global flags: a flag, then an environment variable.
    assert!(line("color").ends_with("# flag --color"), "{text}");
    let text = stdout_of(nsi(dir.path()).arg("config").env("NSI_COLOR", "never"));
    let color = text
        .lines()
        .find(|l| l.starts_with("# color = "))
        .expect("color");
    assert!(
        color.starts_with("# color = \"never\"") && color.ends_with("# env NSI_COLOR"),
        "{color}"
    );
}

#[test]
fn json_names_the_source_of_each_setting() {
    let dir = catalogue(&[]);
    fs::write(dir.path().join("nsi.toml"), "default_branch = \"trunk\"\n").expect("write");
    let report = json_of(
        nsi(dir.path())
            .args(["config", "--format", "json"])
            .env("NSI_REVIEW_PERIOD_MONTHS", "9")
            .arg("--catalogue")
            .arg(dir.path()),
    );
    assert_eq!(report["file_exists"], true);
    assert!(
        report["path"]
            .as_str()
            .is_some_and(|p| p.ends_with("nsi.toml"))
    );
    assert_eq!(
        report["settings"].as_array().map(Vec::len),
        Some(KEYS.len())
    );
    let branch = setting(&report, "default_branch");
    assert_eq!(branch["value"], "trunk");
    assert_eq!(branch["source"], "file");
    assert_eq!(branch["line"], 1);
    let period = setting(&report, "review_period_months");
    assert_eq!(period["value"], 9);
    assert_eq!(period["source"], "env");
    assert_eq!(period["variable"], "NSI_REVIEW_PERIOD_MONTHS");
    let documents = setting(&report, "standards.documents_any_of");
    assert_eq!(
        documents["value"],
        serde_json::json!(["business-case", "technical-blueprint", "lessons-learned"])
    );
    assert_eq!(documents["source"], "default");
    let catalogue = report["globals"]
        .as_array()
        .and_then(|g| g.iter().find(|s| s["key"] == "catalogue"))
        .expect("catalogue");
    assert_eq!(catalogue["source"], "flag");
    assert_eq!(catalogue["flag"], "--catalogue");
}

#[test]
fn path_prints_the_file_even_when_it_is_broken() {
    let dir = catalogue(&[]);
    fs::write(dir.path().join("nsi.toml"), "not toml at all").expect("write");
    let text = stdout_of(nsi(dir.path()).args(["config", "--path"]));
    assert_eq!(
        Path::new(text.trim()),
        dir.path().join("nsi.toml").as_path()
    );
}

#[test]
fn unknown_keys_and_wrong_types_are_errors_with_line_and_column() {
    let dir = catalogue(&[]);
    for (text, expected) in [
        (
            "remote = \"origin\"\n\n[standards]\ncontct = \"off\"\n",
            "nsi.toml:4:1: unknown field `contct`",
        ),
        (
            "review_period_months = \"six\"\n",
            "nsi.toml:1:24: invalid type: string \"six\"",
        ),
        (
            "[standards]\nskills = \"sometimes\"\n",
            "nsi.toml:2:10: unknown variant `sometimes`, expected one of `blocker`, `warning`, `off`",
        ),
        (
            "allowed_email_domains = [\"police.uk\", \"not a domain\"]\n",
            "nsi.toml:1:25: allowed_email_domains: `not a domain` is not an email domain",
        ),
    ] {
        fs::write(dir.path().join("nsi.toml"), text).expect("write");
        for command in ["config", "validate", "stale", "stats", "search"] {
            let output = nsi(dir.path()).arg(command).output().expect("run");
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(2), "{command}: {stderr}");
            assert!(stderr.contains(expected), "{command}: {stderr}");
        }
    }
}

#[test]
fn a_bad_environment_value_is_an_error_naming_the_variable() {
    let dir = catalogue(&[]);
    let output = nsi(dir.path())
        .arg("validate")
        .env("NSI_REVIEW_PERIOD_MONTHS", "0")
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("NSI_REVIEW_PERIOD_MONTHS: 0 is not a review period"),
        "{stderr}"
    );
}

// ----------------------------------------------------------------------------------------------
// The shipped nsi.toml and the documentation
// ----------------------------------------------------------------------------------------------

#[test]
fn the_shipped_nsi_toml_lists_every_key_at_its_default() {
    let shipped = fs::read_to_string(Path::new(REPO).join("nsi.toml")).expect("nsi.toml");
    // As shipped, every setting is commented out: all are defaults.
    let dir = catalogue(&[]);
    fs::write(dir.path().join("nsi.toml"), &shipped).expect("write");
    let defaults = json_of(nsi(dir.path()).args(["config", "--format", "json"]));
    for key in KEYS {
        assert_eq!(setting(&defaults, key.name)["source"], "default");
    }
    // Uncommented, every key is set, to the value it has by default.
    let uncommented: String = shipped
        .lines()
        .map(|line| {
            let rest = line.strip_prefix("# ").unwrap_or(line);
            let is_setting = rest.starts_with('[')
                || rest.split_once(" = ").is_some_and(|(key, _)| {
                    key.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                });
            if is_setting { rest } else { line }
        })
        .collect::<Vec<_>>()
        .join("\n");
    fs::write(dir.path().join("nsi.toml"), &uncommented).expect("write");
    let set = json_of(nsi(dir.path()).args(["config", "--format", "json"]));
    for key in KEYS {
        let shown = setting(&set, key.name);
        assert_eq!(shown["source"], "file", "{} is not in nsi.toml", key.name);
        assert_eq!(
            shown["value"],
            setting(&defaults, key.name)["value"],
            "{} is not at its default in nsi.toml",
            key.name
        );
    }
}

#[test]
fn the_documentation_describes_every_key_and_variable() {
    let docs = fs::read_to_string(Path::new(REPO).join("docs/configuration.md")).expect("docs");
    for key in KEYS {
        assert!(
            docs.contains(&format!("| `{}` |", key.name)),
            "docs/configuration.md has no row for `{}`",
            key.name
        );
        if let Some(variable) = key.env {
            assert!(docs.contains(variable), "no {variable}");
        }
    }
    assert!(docs.contains("NSI_COLOR") && docs.contains("NSI_CATALOGUE"));
}

// ----------------------------------------------------------------------------------------------
// The settings at work
// ----------------------------------------------------------------------------------------------

#[test]
fn the_review_period_drives_validate_stats_and_stale() {
    let dir = reviewed_in_may();
    // Twelve months by default: nothing is overdue.
    let clean = nsi(dir.path()).arg("validate").output().expect("run");
    assert_eq!(clean.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&clean.stdout).contains("NSI212"));

    fs::write(dir.path().join("nsi.toml"), "review_period_months = 6\n").expect("write");
    let output = nsi(dir.path()).arg("validate").output().expect("run");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "a warning: {stdout}");
    assert!(
        stdout.contains("NSI212") && stdout.contains("more than 6 months ago"),
        "{stdout}"
    );
    let stats = json_of(nsi(dir.path()).args(["stats", "--format", "json"]));
    assert_eq!(stats["reviews_overdue"], 1, "{stats}");
    let stale = json_of(nsi(dir.path()).args(["stale", "--format", "json"]));
    assert_eq!(stale["review_period_months"], 6);
    assert_eq!(stale["reviews_overdue"], 1, "{stale}");

    // The environment overrides the file.
    let stale = json_of(
        nsi(dir.path())
            .args(["stale", "--format", "json"])
            .env("NSI_REVIEW_PERIOD_MONTHS", "12"),
    );
    assert_eq!(stale["reviews_overdue"], 0, "{stale}");
    let stats = json_of(
        nsi(dir.path())
            .args(["stats", "--format", "json"])
            .env("NSI_REVIEW_PERIOD_MONTHS", "12"),
    );
    assert_eq!(stats["reviews_overdue"], 0, "{stats}");
}

#[test]
fn the_search_index_is_cached_in_cache_dir() {
    let forces = ["kent", "surrey", "durham"];
    let files: Vec<(String, String)> = forces
        .iter()
        .map(|force| {
            let email = format!("jo.bloggs@{force}.police.example");
            (
                format!("{force}/{force}-entry.yaml"),
                entry(&format!("{force}-entry"), force, "2026-06-01", &email),
            )
        })
        .collect();
    let dir = catalogue(
        &files
            .iter()
            .map(|(path, text)| (path.as_str(), text.as_str()))
            .collect::<Vec<_>>(),
    );
    fs::write(
        dir.path().join("nsi.toml"),
        "cache_dir = \"build/nsi-cache\"\n",
    )
    .expect("write");
    // One file of three may match: the search reads the files, and its background build
    // writes the index in cache_dir.
    let output = nsi(dir.path())
        .args(["search", "surrey", "-v"])
        .env("NSI_INDEX_IN_BACKGROUND", "true")
        .output()
        .expect("run");
    assert_eq!(String::from_utf8_lossy(&output.stdout), "surrey-entry\n");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("parsed the 1 that may match; building the index in the background"),
        "{stderr}"
    );
    common::wait_until_written(&dir.path().join("build/nsi-cache/search-index.bin"));
    // `nsi index` waits for a build in progress: after it, nothing is still writing.
    stdout_of(nsi(dir.path()).arg("index"));
    assert!(!dir.path().join(".nsi/cache").exists());

    let elsewhere = tempfile::tempdir().expect("temp dir");
    let output = stdout_of(
        nsi(dir.path())
            .args(["stats", "--format", "json"])
            .env("NSI_CACHE_DIR", elsewhere.path()),
    );
    assert!(output.contains("\"entries\": 3"), "{output}");
    assert!(elsewhere.path().join("search-index.bin").is_file());
}

#[test]
fn allowed_email_domains_make_validate_report_other_domains() {
    let dir = catalogue(&[
        (
            "kent/official.yaml",
            &entry("official", "kent", "2026-06-01", "jo@kent.police.uk"),
        ),
        (
            "kent/personal.yaml",
            &entry("personal", "kent", "2026-06-01", "jo@gmail.example"),
        ),
    ]);
    // Any domain by default.
    assert_eq!(
        nsi(dir.path())
            .arg("validate")
            .output()
            .expect("run")
            .status
            .code(),
        Some(0)
    );
    fs::write(
        dir.path().join("nsi.toml"),
        "allowed_email_domains = [\"police.uk\"]\n",
    )
    .expect("write");
    let output = nsi(dir.path()).arg("validate").output().expect("run");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("personal.yaml:23:12"), "{stdout}");
    assert!(stdout.contains("error[NSI216]"), "{stdout}");
    assert!(!stdout.contains("official.yaml"), "{stdout}");
    // An empty variable overrides the file: any domain again.
    let output = nsi(dir.path())
        .arg("validate")
        .env("NSI_ALLOWED_EMAIL_DOMAINS", "")
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(0));
}

// ----------------------------------------------------------------------------------------------
// Progress bars
// ----------------------------------------------------------------------------------------------

/// A catalogue of 600 valid entries: more than enough for a progress bar.
fn large_catalogue() -> tempfile::TempDir {
    let forces = ["kent", "essex", "surrey", "sussex", "west-yorkshire"];
    let texts: Vec<(String, String)> = (0..600)
        .map(|i| {
            let force = forces[i % forces.len()];
            let id = format!("generated-entry-{i}");
            (
                format!("{force}/{id}.yaml"),
                entry(&id, force, "2026-06-01", "jo@force.police.example"),
            )
        })
        .collect();
    let entries: Vec<(&str, &str)> = texts
        .iter()
        .map(|(path, text)| (path.as_str(), text.as_str()))
        .collect();
    catalogue(&entries)
}

/// Whether `text` shows any trace of a progress bar or spinner.
fn has_progress(text: &str) -> bool {
    text.contains('\r')
        || text.contains('\u{1b}')
        || text.contains("validating")
        || text.contains("indexing")
        || text.contains("=>")
}

#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal() {
    let dir = large_catalogue();
    let output = nsi(dir.path()).arg("validate").output().expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(!has_progress(&stderr), "{stderr:?}");
    assert!(!has_progress(&String::from_utf8_lossy(&output.stdout)));
    let output = nsi(dir.path())
        .args(["stats", "--format", "json"])
        .output()
        .expect("run");
    assert!(output.status.success());
    assert!(!has_progress(&String::from_utf8_lossy(&output.stderr)));
}

/// `nsi ARGS` in a pseudo-terminal without colour, which must succeed: what it wrote.
fn in_terminal(dir: &Path, args: &str, env: &[(&str, &str)]) -> String {
    let mut env = env.to_vec();
    env.push(("NO_COLOR", "1"));
    let (code, output) = common::in_terminal(dir, args, &env);
    assert_eq!(code, Some(0), "{output}");
    output
}

#[test]
fn a_progress_bar_shows_on_a_terminal_but_not_in_ci_or_quietly() {
    let dir = large_catalogue();
    let shown = in_terminal(dir.path(), "validate", &[]);
    assert!(shown.contains("validating"), "{shown:?}");
    let in_ci = in_terminal(dir.path(), "validate", &[("CI", "true")]);
    assert!(!has_progress(&in_ci), "{in_ci:?}");
    let quiet = in_terminal(dir.path(), "--quiet validate", &[]);
    assert!(!has_progress(&quiet), "{quiet:?}");
}
