//! End-to-end tests of `nsi search`, `nsi show` and `nsi stats`: the real binary on the shipped
//! catalogue (copied to a temporary folder so the cache is private), output parsed, and the
//! interactive picker driven in a real pseudo-terminal with tmux.

mod common;

use common::{Tmux, keys_of, nsi, shipped, stdout_of, wait_for_file};
use std::fs;
use std::path::Path;
use std::process::{Command as Process, Stdio};

use serde_json::Value;

#[test]
fn json_output_has_the_documented_shape_and_ranks_title_matches_first() {
    let dir = shipped();
    let text = stdout_of(nsi(dir.path()).args(["search", "redaction", "--format", "json"]));
    let hits: Vec<Value> = serde_json::from_str(&text).expect("a JSON array");
    assert!(hits.len() >= 2, "{text}");
    let keys = keys_of(&hits[0]);
    assert_eq!(
        keys,
        [
            "id",
            "title",
            "owner_force",
            "categories",
            "phase",
            "score",
            "path",
            "matched_fields"
        ]
    );
    // Both redaction tools have the word in their title: they come first.
    let first_two: Vec<&str> = hits[..2].iter().filter_map(|h| h["id"].as_str()).collect();
    assert!(
        first_two.contains(&"cps-evidence-redaction-tool")
            && first_two.contains(&"case-file-redaction-assistant"),
        "{first_two:?}"
    );
    for hit in &hits[..2] {
        assert!(
            hit["matched_fields"]
                .as_array()
                .expect("array")
                .contains(&Value::from("title"))
        );
        let path = dir.path().join(hit["path"].as_str().expect("path"));
        assert!(path.is_file(), "{} exists", path.display());
    }
    let scores: Vec<f64> = hits.iter().filter_map(|h| h["score"].as_f64()).collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "sorted by score: {scores:?}"
    );
}

#[test]
fn csv_output_parses_and_neutralises_formulas() {
    let dir = shipped();
    let entry = dir
        .path()
        .join("catalogue/kent/domestic-abuse-video-response.yaml");
    let text = fs::read_to_string(&entry).expect("read");
    let title_line = text
        .lines()
        .find(|l| l.starts_with("title:"))
        .expect("title")
        .to_owned();
    fs::write(
        &entry,
        text.replace(&title_line, "title: '=HYPERLINK(\"http://evil.example\")'"),
    )
    .expect("write");
    let csv = stdout_of(nsi(dir.path()).args(["search", "--format", "csv", "--force", "kent"]));
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        headers,
        [
            "id",
            "title",
            "owner_force",
            "categories",
            "phase",
            "highest_level",
            "score",
            "path"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().expect("rows");
    let row = rows
        .iter()
        .find(|r| &r[0] == "domestic-abuse-video-response")
        .expect("the edited entry");
    assert_eq!(
        &row[1], "'=HYPERLINK(\"http://evil.example\")",
        "formula neutralised"
    );
    assert!(rows.iter().all(|r| r.len() == 8));
}

/// A formula after a separator is a formula too, once a spreadsheet splits the cell on it;
/// and every cell is quoted, so no cell's text decides how the row is read.
#[test]
fn csv_neutralises_formulas_after_separators_and_quotes_every_cell() {
    let dir = shipped();
    let entry = dir
        .path()
        .join("catalogue/kent/domestic-abuse-video-response.yaml");
    let text = fs::read_to_string(&entry).expect("read");
    let title_line = text
        .lines()
        .find(|l| l.starts_with("title:"))
        .expect("title")
        .to_owned();
    fs::write(
        &entry,
        text.replace(
            &title_line,
            "title: 'Video; =HYPERLINK(\"http://evil.example\"), +1|@SUM(A1)'",
        ),
    )
    .expect("write");
    let csv = stdout_of(nsi(dir.path()).args(["search", "--format", "csv", "--force", "kent"]));
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "\"id\",\"title\",\"owner_force\",\"categories\",\"phase\",\"highest_level\",\"score\",\"path\""
        )
    );
    for line in lines {
        assert!(
            line.starts_with('"') && line.ends_with('"') && line.split("\",\"").count() == 8,
            "{line}"
        );
    }
    assert!(
        csv.contains("\"Video; '=HYPERLINK(\"\"http://evil.example\"\"), '+1|'@SUM(A1)\""),
        "{csv}"
    );
}

#[test]
fn ids_are_the_default_when_not_on_a_terminal_and_filters_combine() {
    let dir = shipped();
    let all = stdout_of(nsi(dir.path()).arg("search"));
    assert_eq!(
        all.lines().count(),
        28,
        "no query and no filters lists every entry:\n{all}"
    );
    let live_cloud =
        stdout_of(nsi(dir.path()).args(["search", "--phase", "live", "--deployment", "cloud"]));
    let live = stdout_of(nsi(dir.path()).args(["search", "--phase", "live"]));
    let cloud = stdout_of(nsi(dir.path()).args(["search", "--deployment", "cloud"]));
    for id in live_cloud.lines() {
        assert!(
            live.lines().any(|l| l == id) && cloud.lines().any(|l| l == id),
            "{id} passes both filters"
        );
    }
    let either =
        stdout_of(nsi(dir.path()).args(["search", "--phase", "alpha", "--phase", "discovery"]));
    let alpha = stdout_of(nsi(dir.path()).args(["search", "--phase", "alpha"]));
    assert!(
        either.lines().count() > alpha.lines().count(),
        "a repeated filter is OR"
    );
}

#[test]
fn unknown_filter_values_are_usage_errors_with_suggestions() {
    let dir = shipped();
    let output = nsi(dir.path())
        .args(["search", "--category", "vawg"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).expect("utf-8");
    assert!(
        stderr.contains("unknown --category value `vawg`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("did you mean `vawg-domestic-abuse`?"),
        "{stderr}"
    );
    assert!(stderr.contains("valid values: public-contact"), "{stderr}");
}

#[test]
fn nothing_found_suggests_words_and_names_the_filters_that_removed_results() {
    let dir = shipped();
    let output = nsi(dir.path())
        .args(["search", "redactoinzz"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(0));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8(output.stderr).expect("utf-8");
    assert!(
        stderr.contains("no entries match `redactoinzz`"),
        "{stderr}"
    );
    let output = nsi(dir.path())
        .args(["search", "drone", "--phase", "alpha"])
        .output()
        .expect("run");
    let stderr = String::from_utf8(output.stderr).expect("utf-8");
    assert!(stderr.contains("without --phase: 1 result"), "{stderr}");
}

#[test]
fn the_cache_sees_edits_at_once() {
    let dir = shipped();
    assert_eq!(
        stdout_of(nsi(dir.path()).args(["search", "zebracrossing"])),
        ""
    );
    assert!(
        dir.path().join(".nsi/cache/search-index.bin").is_file(),
        "the index is cached"
    );
    let entry = dir
        .path()
        .join("catalogue/lancashire/neighbourhood-abstraction-dashboard.yaml");
    let text = fs::read_to_string(&entry).expect("read");
    fs::write(
        &entry,
        text.replace(
            "title: Neighbourhood Abstraction Dashboard",
            "title: Zebracrossing Abstraction Dashboard",
        ),
    )
    .expect("write");
    assert_eq!(
        stdout_of(nsi(dir.path()).args(["search", "zebracrossing"])),
        "neighbourhood-abstraction-dashboard\n"
    );
    // A corrupt cache is rebuilt without complaint.
    fs::write(dir.path().join(".nsi/cache/search-index.bin"), b"garbage").expect("corrupt");
    let output = nsi(dir.path())
        .args(["search", "zebracrossing"])
        .output()
        .expect("run");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "neighbourhood-abstraction-dashboard\n"
    );
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn a_closed_pipe_ends_the_command_quietly() {
    let dir = shipped();
    let binary = assert_cmd::cargo::cargo_bin("nsi");
    for _ in 0..3 {
        let mut child = Process::new(&binary)
            .args(["search", "--format", "json"])
            .current_dir(dir.path())
            .env("NSI_TODAY", "2026-11-28")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        drop(child.stdout.take());
        let output = child.wait_with_output().expect("wait");
        assert_eq!(output.status.code(), Some(0));
        assert!(
            output.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn show_renders_an_entry_and_suggests_ids() {
    let dir = shipped();
    let text = stdout_of(nsi(dir.path()).args(["show", "call-handling-triage-assist"]));
    for section in [
        "Summary",
        "Problem",
        "Technology",
        "Skills needed to deploy",
        "Documents",
        "Contacts",
        "Aftercare",
    ] {
        assert!(
            text.lines().any(|l| l == section),
            "section {section}:\n{text}"
        );
    }
    assert!(
        text.contains("expired 2026-03-31: confirm before contacting"),
        "{text}"
    );
    assert!(
        text.lines().all(|l| l.chars().count() <= 100),
        "wrapped to COLUMNS"
    );
    let json: Value = serde_json::from_str(&stdout_of(nsi(dir.path()).args([
        "show",
        "call-handling-triage-assist",
        "--format",
        "json",
    ])))
    .expect("JSON");
    assert_eq!(json["id"], "call-handling-triage-assist");
    let yaml = stdout_of(nsi(dir.path()).args([
        "show",
        "call-handling-triage-assist",
        "--format",
        "yaml",
    ]));
    assert!(yaml.starts_with("id: call-handling-triage-assist\n"));
    let output = nsi(dir.path())
        .args(["show", "call-handling"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).expect("utf-8");
    assert!(
        stderr.contains("no entry with the id `call-handling`")
            && stderr.contains("`call-handling-triage-assist`"),
        "{stderr}"
    );
    let traversal = nsi(dir.path())
        .args(["show", "../../schema/solution.schema"])
        .output()
        .expect("run");
    assert_eq!(traversal.status.code(), Some(1), "ids never become paths");
}

#[test]
fn stats_count_the_catalogue() {
    let dir = shipped();
    let json: Value = serde_json::from_str(&stdout_of(
        nsi(dir.path()).args(["stats", "--format", "json"]),
    ))
    .expect("JSON");
    assert_eq!(json["entries"], 28);
    assert_eq!(json["contacts_expired"], 2);
    assert_eq!(json["reviews_overdue"], 2);
    let phases = json["by"]["phase"].as_array().expect("phases");
    let total: u64 = phases.iter().filter_map(|p| p[1].as_u64()).sum();
    assert_eq!(total, 28, "every entry has one phase");
    let text = stdout_of(nsi(dir.path()).args(["stats", "--by", "region"]));
    assert!(
        text.contains("by region") && !text.contains("by phase"),
        "{text}"
    );
}

fn picker_command(dir: &Path, out: &Path, code: &Path, query: &str) -> String {
    let binary = assert_cmd::cargo::cargo_bin("nsi");
    format!(
        "cd '{}' && NSI_TODAY=2026-11-28 NSI_INDEX_IN_BACKGROUND=false '{}' search -i {query} \
         > '{}'; echo $? > '{}'",
        dir.display(),
        binary.display(),
        out.display(),
        code.display()
    )
}

#[test]
fn the_picker_previews_entries_and_prints_the_chosen_id() {
    let dir = shipped();
    let (out, code) = (dir.path().join("out.txt"), dir.path().join("code.txt"));
    let tmux = Tmux::start(dir.path(), &picker_command(dir.path(), &out, &code, ""));
    tmux.wait_for("the prompt", |s| s.contains("nsi>"));
    tmux.keys(&["abstraction"]);
    let screen = tmux.wait_for("the list to narrow", |s| s.contains("2/28"));
    assert!(
        screen.contains("Skills needed to deploy") || screen.contains("Summary"),
        "the preview shows the entry:\n{screen}"
    );
    tmux.keys(&["Enter"]);
    assert_eq!(wait_for_file(&code).trim(), "0");
    let chosen = fs::read_to_string(&out).expect("output");
    assert!(
        [
            "neighbourhood-abstraction-dashboard\n",
            "neighbourhood-abstraction-tracker\n"
        ]
        .contains(&chosen.as_str()),
        "{chosen:?}"
    );
}

#[test]
fn escaping_the_picker_prints_nothing_and_exits_1() {
    let dir = shipped();
    let (out, code) = (dir.path().join("out.txt"), dir.path().join("code.txt"));
    let tmux = Tmux::start(
        dir.path(),
        &picker_command(dir.path(), &out, &code, "redaction"),
    );
    tmux.wait_for("the prompt", |s| s.contains("nsi>"));
    tmux.keys(&["Escape"]);
    assert_eq!(wait_for_file(&code).trim(), "1");
    assert_eq!(fs::read_to_string(&out).expect("output"), "");
}

#[test]
fn the_picker_refuses_to_run_without_a_terminal() {
    let dir = shipped();
    let output = nsi(dir.path())
        .args(["search", "-i", "redaction"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).expect("utf-8");
    assert!(
        stderr.contains("the interactive picker needs a terminal"),
        "{stderr}"
    );
}

#[test]
fn a_limit_of_zero_is_refused_and_explain_beside_ids_goes_to_stderr() {
    let dir = shipped();
    for command in [
        vec!["search", "redaction", "--limit", "0"],
        vec!["changes", "--limit", "0"],
        vec!["similar", "call-handling-triage-assist", "--limit", "0"],
    ] {
        let output = nsi(dir.path()).args(&command).output().expect("run");
        assert_eq!(output.status.code(), Some(2), "{command:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("--limit"), "{command:?}: {stderr}");
    }
    let output = nsi(dir.path())
        .args(["search", "redaction", "--explain", "--format", "ids"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.lines().all(|l| !l.contains(' ')),
        "ids only on stdout: {stdout}"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    let first = stdout.lines().next().expect("a hit");
    assert!(
        stderr.starts_with(&format!("1. {first} — score ")),
        "the explanation on stderr: {stderr}"
    );
}

#[test]
fn a_wrong_catalogue_folder_is_named_for_what_it_is() {
    let dir = shipped();
    let run = |root: &std::path::Path| {
        let output = nsi(dir.path())
            .arg("--catalogue")
            .arg(root)
            .args(["search", "x"])
            .output()
            .expect("run");
        assert_eq!(output.status.code(), Some(2));
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    let missing = dir.path().join("nowhere");
    assert!(run(&missing).contains("nowhere: no such folder"));
    let inner = dir.path().join("catalogue");
    assert!(
        run(&inner).contains(&format!(
            "is the `catalogue/` folder itself: pass the folder that holds it, {}",
            dir.path().display()
        )),
        "{}",
        run(&inner)
    );
    assert!(run(&dir.path().join("schema")).contains("has no `catalogue/` folder"));
}

#[test]
fn the_cache_folder_keeps_itself_out_of_git() {
    let repo = common::git::GitRepo::shipped();
    stdout_of(nsi(repo.path()).arg("index"));
    assert!(
        repo.path().join(".nsi/cache/search-index.bin").is_file(),
        "a cache was written"
    );
    assert_eq!(
        repo.git(&["status", "--porcelain", "--untracked-files=all"]),
        "",
        "nothing of .nsi/ shows in git"
    );
}

#[test]
fn a_search_without_an_index_answers_at_once_and_builds_it_in_the_background() {
    let dir = shipped();
    let cache = dir.path().join(".nsi/cache/search-index.bin");
    let first = nsi(dir.path())
        .args(["search", "redaction", "-v"])
        .env("NSI_INDEX_IN_BACKGROUND", "true")
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert!(
        stderr.contains("search index not current: read 28 entry files and parsed the")
            && stderr.contains("that may match; building the index in the background"),
        "{stderr}"
    );
    // The build finishes on its own, detached from the search that started it.
    common::wait_until_written(&cache);
    // `nsi index` waits for a build in progress, then finds the index current.
    let index = nsi(dir.path()).arg("index").output().expect("run");
    assert_eq!(index.status.code(), Some(0));
    let said = String::from_utf8_lossy(&index.stderr);
    assert!(
        said.contains("the search index is current: 28 entries in"),
        "{said}"
    );
    let second = nsi(dir.path())
        .args(["search", "redaction", "-v"])
        .output()
        .expect("run");
    assert!(
        String::from_utf8_lossy(&second.stderr).contains("search index read from"),
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );
    assert_eq!(
        second.stdout, first.stdout,
        "the index answers as the scan did"
    );
}

#[test]
fn with_index_in_background_off_a_search_builds_nothing_and_a_listing_builds_in_place() {
    let dir = shipped();
    let output = nsi(dir.path())
        .args(["search", "redaction", "-v"])
        .env("NSI_INDEX_IN_BACKGROUND", "false")
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("; not building it (index_in_background is off)"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!dir.path().join(".nsi").exists(), "nothing written");
    // A listing needs every entry: it builds the index and saves it.
    let listed = nsi(dir.path())
        .args(["search", "--phase", "live", "-v"])
        .env("NSI_INDEX_IN_BACKGROUND", "false")
        .output()
        .expect("run");
    assert!(
        String::from_utf8_lossy(&listed.stderr).contains("search index built and saved to"),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    assert!(dir.path().join(".nsi/cache/search-index.bin").is_file());
    // A value that is not a switch is a usage error.
    let wrong = nsi(dir.path())
        .args(["search", "redaction"])
        .env("NSI_INDEX_IN_BACKGROUND", "sometimes")
        .output()
        .expect("run");
    assert_eq!(wrong.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&wrong.stderr).contains("is not a switch"),
        "{}",
        String::from_utf8_lossy(&wrong.stderr)
    );
}

#[test]
fn nsi_index_reports_a_cache_folder_it_cannot_write() {
    let dir = shipped();
    fs::write(
        dir.path().join("blocker"),
        "a file where a folder should be",
    )
    .expect("write");
    let output = nsi(dir.path())
        .arg("index")
        .env("NSI_CACHE_DIR", "blocker/cache")
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cannot write the cache folder"), "{stderr}");
    // A search there still answers, from the files.
    let search = nsi(dir.path())
        .args(["search", "redaction", "-v"])
        .env("NSI_CACHE_DIR", "blocker/cache")
        .env("NSI_INDEX_IN_BACKGROUND", "true")
        .output()
        .expect("run");
    assert_eq!(search.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&search.stderr)
            .contains("cannot build it (the cache folder is not writable)"),
        "{}",
        String::from_utf8_lossy(&search.stderr)
    );
    assert!(!search.stdout.is_empty());
}

/// Every command that reads the search index reports a broken `nsi.toml` (it says where the
/// cache is): none falls back to the defaults and carries on.
#[test]
fn a_broken_nsi_toml_is_reported_by_every_command_that_reads_the_index() {
    let dir = shipped();
    fs::write(dir.path().join("nsi.toml"), "cache_dir = 7\n").expect("write");
    for command in [
        &["search", "redaction"][..],
        &["search"],
        &["similar", "--text", "redacting case files"],
        &["similar", "cps-evidence-redaction-tool"],
        &["overlaps"],
        &["stats"],
        &["index"],
    ] {
        let output = nsi(dir.path()).args(command).output().expect("run");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{command:?}: {stderr}");
        assert!(stderr.contains("nsi.toml:1:"), "{command:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{command:?}");
    }
    assert!(
        !dir.path().join(".nsi").exists(),
        "no cache written anywhere"
    );
}
