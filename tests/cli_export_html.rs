//! End-to-end tests of `nsi export --format html`: the real binary on copies of the shipped
//! catalogue, the files it writes read back, entry text that tries to inject markup and script,
//! the public audience checked for anything that must not leave policing, and a real browser
//! (Debian's Chromium, driven by playwright-core) using the site as a person would.

mod common;

use common::{REPO, catalogue, nsi, shipped, stdout_of};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const SHIPPED_ENTRIES: usize = 28;
const SHIPPED_PUBLIC: usize = 11;

/// Export the catalogue under `dir` as a site into `out`; returns stderr.
fn export_site(dir: &Path, out: &Path, audience: &str) -> String {
    let output = nsi(dir)
        .args([
            "export",
            "--format",
            "html",
            "--audience",
            audience,
            "--out",
        ])
        .arg(out)
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(0), "stderr: {stderr}");
    assert!(output.stdout.is_empty(), "a site export prints nothing");
    stderr
}

/// The browser test's packages, installed with `npm ci` when missing.
fn install_browser_packages(browser: &Path) {
    let installed = |package: &str| browser.join("node_modules").join(package).is_dir();
    if !["playwright-core", "axe-core"].iter().all(|p| installed(p)) {
        let status = std::process::Command::new("npm")
            .args([
                "ci",
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                "--prefix",
            ])
            .arg(browser)
            .status()
            .expect("npm is on PATH (the README names Node.js with npm)");
        assert!(status.success(), "npm ci --prefix tests/browser failed");
    }
}

/// Make `dir` a git repository of one commit, so that its site has change feeds.
fn in_a_repository(dir: &Path) {
    for args in [
        &["init", "-q", "-b", "main"][..],
        &["add", "-A"],
        &[
            "-c",
            "user.name=Ada",
            "-c",
            "user.email=ada@nsi.police.example",
            "commit",
            "-q",
            "-m",
            "catalogue",
        ],
    ] {
        common::git::git_in(dir, args);
    }
}

/// Every file under `dir`, with its path relative to `dir`.
fn files(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut found = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let relative = path
                    .strip_prefix(dir)
                    .expect("inside")
                    .to_string_lossy()
                    .replace('\\', "/");
                found.push((relative, path));
            }
        }
    }
    found.sort();
    found
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Email addresses in `text`: a run of address characters, `@`, and a domain with a dot.
fn email_addresses(text: &str) -> Vec<String> {
    let local = |c: char| c.is_alphanumeric() || "._%+-'".contains(c);
    let domain = |c: char| c.is_alphanumeric() || ".-".contains(c);
    let mut found = Vec::new();
    for (at, _) in text.match_indices('@') {
        let before: String = text[..at]
            .chars()
            .rev()
            .take_while(|c| local(*c))
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let after: String = text[at + 1..].chars().take_while(|c| domain(*c)).collect();
        let after = after.trim_end_matches(['.', '-']);
        if !before.is_empty() && after.contains('.') && !after.starts_with('.') {
            found.push(format!("{before}@{after}"));
        }
    }
    found
}

#[test]
fn the_email_detector_finds_addresses() {
    assert_eq!(
        email_addresses("ask jo.bloggs@kent.police.uk. or x@y, not @handle or a@b"),
        ["jo.bloggs@kent.police.uk"]
    );
}

#[test]
fn html_needs_a_folder() {
    let dir = shipped();
    let output = nsi(dir.path())
        .args(["export", "--format", "html"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--out"), "{stderr}");
}

/// Every page has the policy, the skip link and one `h1`, and loads nothing from elsewhere.
fn every_page_is_self_contained(written: &[(String, PathBuf)]) {
    let pages = written.iter().filter(|(_, path)| {
        path.extension()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("html"))
    });
    for (name, path) in pages {
        let html = read(path);
        assert!(
            html.starts_with("<!doctype html>\n<html lang=\"en-GB\">"),
            "{name}"
        );
        assert!(
            html.contains(
                "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
                 script-src 'self'; style-src 'self'; img-src 'self' data:;"
            ),
            "{name}: no Content-Security-Policy"
        );
        assert!(
            html.contains("<a class=\"skip-link\" href=\"#main\">"),
            "{name}"
        );
        assert_eq!(html.matches("<h1>").count(), 1, "{name}: one h1");
        // Scripts, styles and images come from the site only: no CDN, no web fonts.
        for tag in [
            "<script src=\"",
            "<link rel=\"stylesheet\" href=\"",
            "<img src=\"",
        ] {
            for (at, _) in html.match_indices(tag) {
                let target = &html[at + tag.len()..];
                assert!(
                    !target.starts_with("http") && !target.starts_with("//"),
                    "{name}: {}",
                    &target[..target.len().min(60)]
                );
            }
        }
        assert!(
            !html.contains("@import") && !html.contains("fonts.g"),
            "{name}"
        );
    }
}

#[test]
fn the_site_has_a_page_per_entry_and_refers_to_nothing_outside_it() {
    let dir = shipped();
    let out = dir.path().join("site");
    export_site(dir.path(), &out, "policing");
    let written = files(&out);
    let names: Vec<&str> = written.iter().map(|(name, _)| name.as_str()).collect();
    for expected in [
        "index.html",
        "entries/index.html",
        "assets/site.css",
        "assets/site.js",
        "assets/data.js",
        "nsi-export.json",
        "nsi-export.csv",
        "site.json",
        "entries/domestic-abuse-video-response.html",
    ] {
        assert!(names.contains(&expected), "{expected} missing: {names:?}");
    }
    let pages = names
        .iter()
        .filter(|n| n.starts_with("entries/") && **n != "entries/index.html")
        .count();
    assert_eq!(pages, SHIPPED_ENTRIES);

    let manifest: Value = serde_json::from_str(&read(&out.join("site.json"))).expect("json");
    assert_eq!(manifest["schema_version"], "nsi-site/1");
    assert_eq!(manifest["audience"], "policing");
    assert_eq!(manifest["entries"], SHIPPED_ENTRIES);
    assert_eq!(manifest["generated"], "2026-11-28T00:00:00Z");
    // The downloads are the json and csv exports themselves.
    let json = stdout_of(nsi(dir.path()).args(["export", "--format", "json"]));
    assert_eq!(read(&out.join("nsi-export.json")), json);

    every_page_is_self_contained(&written);
    let css = read(&out.join("assets/site.css"));
    assert!(!css.contains("url(http") && !css.contains("@import"));
    let script = read(&out.join("assets/site.js"));
    assert!(!script.contains("innerHTML") && !script.contains("fetch("));

    let index = read(&out.join("index.html"));
    for needle in [
        "<label for=\"q\">Search solutions</label>",
        "<table id=\"results\"",
        "<caption id=\"caption\">",
        "<script src=\"assets/data.js\"></script>",
    ] {
        assert!(index.contains(needle), "index.html lacks {needle}");
    }
    let page = read(&out.join("entries/domestic-abuse-video-response.html"));
    for needle in [
        "<h1>Domestic Abuse Video Response</h1>",
        "<dt>Owner</dt><dd>Kent Police</dd>",
        "<h2 id=\"documents\">Documents and how to get them</h2>",
        "<th scope=\"col\">Document</th>",
        "<a href=\"https://www.kent.police.example/foi/publication-scheme/dpia-video-response\">",
        "<a href=\"mailto:laura.bennett@kent.police.example\">laura.bennett@kent.police.example</a>",
        "<th scope=\"row\">Essex Police</th><td data-label=\"Status\">Adopted</td>",
        "<a href=\"https://doi.org/10.5555/policing.2023.0415\">",
        "<strong>Safety features</strong>",
        "<li>A <em>quick exit</em> button",
        "<a href=\"../index.html\">All solutions</a>",
        "OFFICIAL-SENSITIVE",
    ] {
        assert!(page.contains(needle), "the entry page lacks {needle}");
    }
}

/// An entry as hostile as a valid one can be: markup and script in every free-text field.
/// (Invalid values, such as a `javascript:` URL in a document's `url`, never reach a page:
/// exports leave invalid entries out; `escape::safe_url`'s tests cover such links.)
const HOSTILE: &str = r#"id: hostile-entry
title: 'Hostile <script>window.pwned=1</script> entry'
summary: 'Summary " onmouseover="window.pwned=1" x=" and </script><script>window.pwned=1</script>'
problem_statement: "Problem <img src=x onerror=window.pwned=1> \u2028 line separator"
description: |
  Markdown with <b onmouseover="window.pwned=1">raw HTML</b> and <script>window.pwned=1</script>.

  [a javascript link](javascript:window.pwned=1) and <javascript:window.pwned=1> and
  [a data link](data:text/html,<script>window.pwned=1</script>)

  <iframe src="https://evil.example"></iframe>
owner_force: kent
categories:
  - data-analytics
tags:
  - script
phase: live
technology:
  stack:
    - '<svg onload=window.pwned=1>'
  deployment: cloud
  licence: MIT
skills:
  - role: software-development
    level: working
    notes: '<b>bold</b>'
documentation:
  - type: technical-blueprint
    availability: public
    url: 'https://docs.example/blueprint?a=1&b=2'
  - type: dpia
    availability: on-request
contacts:
  - name: '<script>window.pwned=1</script>'
    role: 'Owner" onmouseover="window.pwned=1'
    email: 'x@y.example'
    valid_until: '2027-06-30'
aftercare:
  level: light-touch
  notes: '<a href="javascript:window.pwned=1">help</a>'
research:
  - title: 'Paper <img src=x onerror=window.pwned=1>'
    url: 'https://research.example/paper'
showcases:
  - date: '2026-01-01'
    event: 'Show <script>window.pwned=1</script>'
rationale: 'Because </script><!-- and &amp; and ]]>'
visibility: policing
created: '2026-01-15'
last_reviewed: '2026-06-01'
"#;

/// Every element start tag name in `html` (`<script`, `<a`, …).
fn tags(html: &str) -> Vec<String> {
    html.match_indices('<')
        .map(|(at, _)| {
            html[at + 1..]
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase()
        })
        .filter(|t| !t.is_empty())
        .collect()
}

#[test]
fn markup_and_script_in_entries_stay_inert() {
    let dir = catalogue(&[("kent/hostile-entry.yaml", HOSTILE)]);
    let out = dir.path().join("site");
    export_site(dir.path(), &out, "policing");
    let page = read(&out.join("entries/hostile-entry.html"));
    let index = read(&out.join("index.html"));
    let list = read(&out.join("entries/index.html"));
    for (name, html) in [("entry", &page), ("index", &index), ("list", &list)] {
        let scripts = tags(html).iter().filter(|t| *t == "script").count();
        let expected = if name == "index" { 2 } else { 0 };
        assert_eq!(scripts, expected, "{name}: <script> elements\n{html}");
        for tag in ["img", "svg", "iframe", "b"] {
            assert!(
                !tags(html).iter().any(|t| t == tag),
                "{name}: a <{tag}> element"
            );
        }
        let lower = html.to_ascii_lowercase();
        for attribute in [" onmouseover=", " onerror=", " onload="] {
            for (at, _) in lower.match_indices(attribute) {
                // Only ever inside text, after an escaped quote or as plain words.
                assert!(
                    !lower[..at].ends_with('"') && !lower[..at].ends_with('\''),
                    "{name}: an attribute {attribute} at {}",
                    &html[at.saturating_sub(40)..at + 20]
                );
            }
        }
        assert!(!lower.contains("href=\"javascript"), "{name}");
        assert!(!lower.contains("href=\" javascript"), "{name}");
        assert!(!lower.contains("href=\"data:"), "{name}");
        assert!(!lower.contains("href=\"vbscript"), "{name}");
    }
    // Escaped, and so shown as the text it is.
    assert!(page.contains("<h1>Hostile &lt;script&gt;window.pwned=1&lt;/script&gt; entry</h1>"));
    assert!(page.contains("Summary &quot; onmouseover=&quot;window.pwned=1&quot;"));
    assert!(page.contains("&lt;b onmouseover=&quot;window.pwned=1&quot;&gt;raw HTML&lt;/b&gt;"));
    // Links that are not http(s) or mailto are shown as inert text.
    assert!(page.contains(
        "a javascript link <span class=\"inert-url\">(javascript:window.pwned=1)</span>"
    ));
    // A link's address is escaped in its attribute.
    assert!(page.contains("href=\"https://docs.example/blueprint?a=1&amp;b=2\""));

    let data = read(&out.join("assets/data.js"));
    for forbidden in ["<", ">", "\u{2028}", "\u{2029}"] {
        assert!(!data.contains(forbidden), "data.js holds {forbidden:?}");
    }
    assert!(
        data.contains("\\u003c/script\\u003e"),
        "escaped, not dropped"
    );
    let value = site_data(&out);
    assert_eq!(
        value["entries"][0]["title"],
        "Hostile <script>window.pwned=1</script> entry"
    );
}

/// The site's `data.js` as JSON.
fn site_data(site: &Path) -> Value {
    let data = read(&site.join("assets/data.js"));
    let json = data
        .trim_end()
        .strip_suffix(';')
        .and_then(|d| d.split_once("window.NSI_SITE = "))
        .map(|(_, json)| json)
        .expect("window.NSI_SITE = {...};");
    serde_json::from_str(json).expect("data.js holds JSON")
}

/// One ranking: the constants and fields in the site's `data.js` are generated from the
/// definition `nsi search` ranks with (`search::ranking::RANKING`), and the page's script takes
/// every one of them from there rather than holding its own. (The browser test then checks the
/// page ranks as `nsi search` does.)
#[test]
#[allow(
    clippy::float_cmp,
    reason = "the site must carry the very numbers nsi search ranks with"
)]
fn the_sites_ranking_is_generated_from_the_one_nsi_search_ranks_with() {
    use nsi::catalogue::search::{Field, RANKING};
    let dir = shipped();
    let site = dir.path().join("site");
    export_site(dir.path(), &site, "policing");
    let data = site_data(&site);
    let number = |value: &Value| value.as_f64().expect("a number");
    #[allow(
        clippy::cast_possible_truncation,
        reason = "the site's numbers are f32s"
    )]
    let float = |value: &Value| number(value) as f32;
    let ranking = &data["ranking"];
    assert_eq!(float(&ranking["k1"]), RANKING.k1);
    assert_eq!(float(&ranking["b"]), RANKING.b);
    let weights: Vec<f32> = ranking["match_weights"]
        .as_array()
        .expect("match weights")
        .iter()
        .map(float)
        .collect();
    assert_eq!(weights, RANKING.match_weights);
    for (key, value) in [
        ("max_prefix_terms", RANKING.max_prefix_terms),
        ("typo_min_length", RANKING.typo_min_length),
        ("prefix_min_length", RANKING.prefix_min_length),
    ] {
        assert_eq!(ranking[key].as_u64(), Some(value as u64), "{key}");
    }
    let stop_words: Vec<&str> = ranking["stop_words"]
        .as_array()
        .expect("stop words")
        .iter()
        .map(|w| w.as_str().expect("a word"))
        .collect();
    assert_eq!(stop_words, RANKING.stop_words);
    let fields = data["fields"].as_array().expect("fields");
    assert_eq!(fields.len(), Field::ALL.len());
    for (field, site) in Field::ALL.iter().zip(fields) {
        assert_eq!(site["name"], field.name());
        assert_eq!(float(&site["weight"]), field.weight(), "{}", field.name());
        assert_eq!(float(&site["pivot"]), field.pivot(), "{}", field.name());
    }
    // The script reads each constant by name, and holds no ranking number of its own.
    let script = read(&Path::new(REPO).join("assets/export/site.js"));
    for key in ranking.as_object().expect("ranking").keys() {
        assert!(
            script.contains(&format!("ranking.{key}")),
            "site.js ignores {key}"
        );
    }
    for key in ["weight", "pivot"] {
        assert!(
            script.contains(&format!("f.{key}")),
            "site.js ignores the fields' {key}"
        );
    }
    for constant in ["1.2", "0.75", "0.7", "64"] {
        assert!(
            !script.contains(constant),
            "site.js holds a ranking number of its own: {constant}"
        );
    }
}

#[test]
fn a_public_site_holds_no_email_address_no_contact_and_no_sensitive_document() {
    let dir = shipped();
    // An address hidden in free text of a public entry must go too.
    let path = dir
        .path()
        .join("catalogue/police-scotland/accessible-document-checker.yaml");
    let text = read(&path).replace(
        "title: Accessible Document Checker",
        "title: 'Accessible Document Checker (ask a.checker@scotland.police.uk)'",
    );
    assert!(text.contains("a.checker@"), "the edit took");
    fs::write(&path, text).expect("write");

    let policing: Value = serde_json::from_str(&stdout_of(
        nsi(dir.path()).args(["export", "--format", "json"]),
    ))
    .expect("json");
    let contacts: Vec<String> = policing["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .flat_map(|e| e["contacts"].as_array().expect("contacts").clone())
        .flat_map(|c| [c["name"].as_str().expect("name").to_owned()])
        .collect();
    assert!(contacts.len() >= SHIPPED_ENTRIES, "{contacts:?}");

    let out = dir.path().join("public-site");
    export_site(dir.path(), &out, "public");
    let written = files(&out);
    let pages = written
        .iter()
        .filter(|(n, _)| n.starts_with("entries/") && n != "entries/index.html")
        .count();
    assert_eq!(pages, SHIPPED_PUBLIC);
    for (name, path) in &written {
        let text = read(path);
        assert_eq!(email_addresses(&text), Vec::<String>::new(), "{name}");
        assert!(!text.contains("href=\"mailto:"), "{name}");
        for contact in &contacts {
            assert!(!text.contains(contact.as_str()), "{name} names {contact}");
        }
        assert!(
            !text.to_ascii_lowercase().contains("official-sensitive"),
            "{name}"
        );
    }
    let page = read(&out.join("entries/accessible-document-checker.html"));
    assert!(page.contains("[email removed]"));
    assert!(page.contains("Contact details are shared with police forces only."));
    assert!(page.contains("Public edition"));
}

#[test]
fn a_new_export_replaces_an_old_site_whole_and_never_a_folder_of_other_files() {
    let dir = shipped();
    let parent = dir.path().join("out");
    let out = parent.join("site");
    export_site(dir.path(), &out, "policing");
    // The page of an entry removed since: the old site goes whole.
    fs::copy(
        out.join("entries/accessible-document-checker.html"),
        out.join("entries/stale.html"),
    )
    .expect("copy");
    export_site(dir.path(), &out, "public");
    assert!(
        !out.join("entries/stale.html").exists(),
        "the old site went whole"
    );
    assert!(out.join("index.html").is_file());
    let manifest: Value = serde_json::from_str(&read(&out.join("site.json"))).expect("json");
    assert_eq!(manifest["audience"], "public");
    let left: Vec<String> = fs::read_dir(&parent)
        .expect("read")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["site"], "no temporary folder left beside it");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = fs::metadata(&out).expect("stat").permissions().mode();
        assert_eq!(
            mode & 0o755,
            0o755,
            "readable like any other folder: {mode:o}"
        );
    }

    // A folder of someone's files is never replaced.
    let precious = dir.path().join("precious");
    fs::create_dir(&precious).expect("mkdir");
    fs::write(precious.join("notes.txt"), "mine").expect("write");
    let output = nsi(dir.path())
        .args(["export", "--format", "html", "--out"])
        .arg(&precious)
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("not a site nsi exported"), "{stderr}");
    assert_eq!(read(&precious.join("notes.txt")), "mine");
    assert_eq!(fs::read_dir(&precious).expect("read").count(), 1);

    // Nor a site with someone's files beside it (a checkout of a Pages branch).
    fs::create_dir(out.join(".git")).expect("mkdir");
    fs::write(out.join("CNAME"), "nsi.police.example").expect("write");
    let output = nsi(dir.path())
        .args(["export", "--format", "html", "--out"])
        .arg(&out)
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("files nsi did not write: .git, CNAME"),
        "{stderr}"
    );
    assert!(out.join(".git").is_dir() && out.join("CNAME").is_file());
    fs::remove_dir_all(out.join(".git")).expect("remove");
    fs::remove_file(out.join("CNAME")).expect("remove");

    // Nor one with someone's own page among the entries' (named like one), nor their own
    // front page over the site's.
    for (page, mine) in [
        ("entries/my-notes.html", "<p>my notes</p>"),
        ("index.html", "<!doctype html><title>Our portal</title>"),
    ] {
        let original = fs::read(out.join(page)).ok();
        fs::write(out.join(page), mine).expect("write");
        let output = nsi(dir.path())
            .args(["export", "--format", "html", "--out"])
            .arg(&out)
            .output()
            .expect("run");
        assert_eq!(output.status.code(), Some(2), "{page}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains(&format!("files nsi did not write: {page}")),
            "{stderr}"
        );
        assert_eq!(read(&out.join(page)), mine);
        match original {
            Some(bytes) => fs::write(out.join(page), bytes).expect("restore"),
            None => fs::remove_file(out.join(page)).expect("remove"),
        }
    }
    export_site(dir.path(), &out, "policing");

    // Nor a file.
    let file = dir.path().join("file.html");
    fs::write(&file, "mine").expect("write");
    let output = nsi(dir.path())
        .args(["export", "--format", "html", "--out"])
        .arg(&file)
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(read(&file), "mine");

    // An empty folder is fine.
    let empty = dir.path().join("empty");
    fs::create_dir(&empty).expect("mkdir");
    export_site(dir.path(), &empty, "public");
    assert!(empty.join("index.html").is_file());
}

/// Pages are written a batch of 256 at a time: either side of a batch's end, every entry
/// still gets its page.
#[test]
fn every_entry_gets_its_page_across_batch_boundaries() {
    for count in [256, 257] {
        let dir = many_entries(count);
        let out = dir.path().join("site");
        export_site(dir.path(), &out, "policing");
        let mut pages: Vec<String> = files(&out)
            .into_iter()
            .map(|(name, _)| name)
            .filter(|n| n.starts_with("entries/") && n != "entries/index.html")
            .collect();
        pages.sort();
        assert_eq!(pages.len(), count, "{count} entries");
        let manifest: Value = serde_json::from_str(&read(&out.join("site.json"))).expect("json");
        assert_eq!(manifest["entries"], count);
    }
}

/// A catalogue of `count` entries made from the shipped ones, each with its own id and title.
fn many_entries(count: usize) -> tempfile::TempDir {
    let source = shipped();
    let mut entries = Vec::new();
    for force in fs::read_dir(source.path().join("catalogue")).expect("read") {
        let force = force.expect("force").path();
        for file in fs::read_dir(&force).expect("read") {
            let file = file.expect("file").path();
            let id = file
                .file_stem()
                .expect("stem")
                .to_string_lossy()
                .into_owned();
            let folder = force
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            entries.push((folder, id, read(&file)));
        }
    }
    entries.sort();
    let dir = catalogue(&[]);
    for i in 0..count {
        let (folder, id, text) = &entries[i % entries.len()];
        let new_id = format!("{id}-{i}");
        let text = text
            .replacen(&format!("id: {id}\n"), &format!("id: {new_id}\n"), 1)
            .replacen("\ntitle: ", &format!("\ntitle: N{i} "), 1);
        let path = dir.path().join("catalogue").join(folder);
        fs::create_dir_all(&path).expect("mkdir");
        fs::write(path.join(format!("{new_id}.yaml")), text).expect("write");
    }
    dir
}

/// `nsi search --format ids` for each query, as the browser test's expectations.
fn expectations(dir: &Path, queries: &[&str]) -> Value {
    let queries: Vec<Value> = queries
        .iter()
        .map(|q| {
            let ids: Vec<String> = stdout_of(nsi(dir).args(["search", "--format", "ids", "--", q]))
                .lines()
                .map(str::to_owned)
                .collect();
            serde_json::json!({ "q": q, "ids": ids })
        })
        .collect();
    // What the portfolio pages must show, as nsi itself counts it.
    let overlaps: Value =
        serde_json::from_str(&stdout_of(nsi(dir).args(["overlaps", "--format", "json"])))
            .expect("overlaps");
    let matrix: Value = serde_json::from_str(&stdout_of(
        nsi(dir).args(["stats", "--matrix", "--format", "json"]),
    ))
    .expect("matrix");
    serde_json::json!({
        "entries": SHIPPED_ENTRIES,
        "audience": "policing",
        "queries": queries,
        "overlaps": overlaps.as_array().expect("groups").len(),
        "categories": matrix["rows"].as_array().expect("rows").len(),
        "category_name": "Digital evidence and forensics",
    })
}

/// The real browser: Chromium from Debian, driven by tests/browser/export.test.mjs. It fails,
/// never skips, when Chromium is missing (scripts/test, the README's test command, installs
/// it); the script's `node_modules` it installs itself with `npm ci` when they are missing.
#[test]
fn a_real_browser_searches_filters_and_follows_links_and_stays_fast_at_ten_thousand() {
    let browser = Path::new(REPO).join("tests/browser");
    install_browser_packages(&browser);
    assert!(
        Path::new("/usr/bin/chromium").is_file(),
        "Chromium is missing: run scripts/test (the README's test command), which installs it"
    );

    let dir = shipped();
    in_a_repository(dir.path());
    let site = dir.path().join("site");
    export_site(dir.path(), &site, "policing");
    // The first query is typed; all must come out of the page in nsi search's order.
    let expected = expectations(
        dir.path(),
        &[
            "redaction",
            "domestic abuse",
            "redcation",
            "\"case file\"",
            "power-bi",
            "video",
            "dashboard police",
            "mobile app",
            "the",
            "dron",
            "Café résumé",
            "zzzzqq",
        ],
    );
    let expect_file = dir.path().join("expect.json");
    fs::write(&expect_file, expected.to_string()).expect("write");

    let hostile = catalogue(&[("kent/hostile-entry.yaml", HOSTILE)]);
    let hostile_site = hostile.path().join("site");
    export_site(hostile.path(), &hostile_site, "policing");

    let started = std::time::Instant::now();
    let big = many_entries(10_000);
    let made = started.elapsed();
    let big_site = big.path().join("site");
    export_site(big.path(), &big_site, "policing");
    println!(
        "10,000 entries: written in {made:.1?}, exported (debug build) in {:.1?}",
        started.elapsed().saturating_sub(made)
    );

    // The README shows the public edition, searched.
    let public_site = dir.path().join("public-site");
    export_site(dir.path(), &public_site, "public");
    let screenshot = if std::env::var_os("NSI_UPDATE_SCREENSHOT").is_some() {
        Path::new(REPO).join("docs/export-screenshot.png")
    } else {
        dir.path().join("screenshot.png")
    };
    let started = std::time::Instant::now();
    let output = Command::new("node")
        .arg(browser.join("export.test.mjs"))
        .arg("--site")
        .arg(&site)
        .arg("--expect")
        .arg(&expect_file)
        .arg("--hostile")
        .arg(&hostile_site)
        .arg("--big")
        .arg(&big_site)
        .arg("--screenshot")
        .arg(&screenshot)
        .arg("--screenshot-site")
        .arg(&public_site)
        .current_dir(&browser)
        .output()
        .expect("node is installed");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}\nthe browser run took {:.1?}", started.elapsed());
    assert!(
        output.status.success(),
        "the browser test failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("all browser checks passed"), "{stdout}");
    assert!(screenshot.is_file());
}

#[test]
fn entry_pages_judge_reviews_by_the_configured_period() {
    let dir = common::shipped();
    let page = |dir: &Path| {
        let out = dir.join("site");
        let _ = std::fs::remove_dir_all(&out);
        export_site(dir, &out, "policing");
        read(&out.join("entries/drone-flight-log.html"))
    };
    // Last reviewed 2026-03-02: not overdue on 2026-11-28 under the 12-month default…
    assert!(!page(dir.path()).contains("Review overdue"));
    // …but overdue since 2026-06-02 when nsi.toml sets a 3-month period.
    std::fs::write(dir.path().join("nsi.toml"), "review_period_months = 3\n").expect("nsi.toml");
    let text = page(dir.path());
    assert!(
        text.contains("Review overdue since"),
        "the entry page shows no overdue review"
    );
}

#[test]
fn portfolio_pages_and_feeds_follow_the_audience() {
    let repo = common::git::GitRepo::shipped();
    let tool = "catalogue/nottinghamshire/cps-evidence-redaction-tool.yaml";
    repo.edit(tool, "phase: live", "phase: beta");
    repo.commit_all(
        "Redaction tool to beta",
        "Bea Editor",
        "bea@force.police.example",
    );
    let policing = repo.path().join("policing-site");
    export_site(repo.path(), &policing, "policing");
    let public = repo.path().join("public-site");
    export_site(repo.path(), &public, "public");

    // Every feed is well-formed Atom, with what RFC 4287 requires.
    for site in [&policing, &public] {
        for (name, path) in files(site) {
            if !Path::new(&name)
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("atom"))
            {
                continue;
            }
            let text = fs::read_to_string(&path).expect("feed");
            let doc = roxmltree::Document::parse(&text).expect("a feed is XML");
            let feed = doc.root_element();
            assert_eq!(feed.tag_name().name(), "feed", "{name}");
            assert_eq!(
                feed.tag_name().namespace(),
                Some("http://www.w3.org/2005/Atom")
            );
            for required in ["id", "title", "updated", "author"] {
                assert!(
                    feed.children().any(|c| c.has_tag_name(required)),
                    "{name} lacks <{required}>"
                );
            }
            for item in feed.children().filter(|c| c.has_tag_name("entry")) {
                for required in ["id", "title", "updated", "link"] {
                    assert!(item.children().any(|c| c.has_tag_name(required)), "{name}");
                }
            }
        }
    }
    // The entry's own feed holds its change, and its page announces it.
    let feed = fs::read_to_string(policing.join("entries/cps-evidence-redaction-tool.atom"))
        .expect("the entry's feed");
    assert!(
        feed.contains("<title>Updated: CPS Evidence Redaction Tool</title>"),
        "{feed}"
    );
    assert!(
        feed.contains("href=\"../entries/cps-evidence-redaction-tool.html\""),
        "{feed}"
    );
    let page = fs::read_to_string(policing.join("entries/cps-evidence-redaction-tool.html"))
        .expect("page");
    assert!(page.contains(
        "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Changes to CPS Evidence Redaction Tool\" href=\"cps-evidence-redaction-tool.atom\">"
    ));
    // The policing edition offers the document by email; the public one never.
    assert!(page.contains("<a class=\"request\" href=\"mailto:priya.shah@nottinghamshire.police.example?subject=Request%3A%20"), "{page}");
    let category = fs::read_to_string(policing.join("categories/digital-evidence-forensics.atom"))
        .expect("category feed");
    assert!(category.contains("Updated: CPS Evidence Redaction Tool"));

    let public_files = files(&public);
    for (name, path) in public_files
        .iter()
        .filter(|(name, _)| !name.starts_with("assets/"))
    {
        let text = fs::read_to_string(path).unwrap_or_default();
        assert!(
            !text.contains("class=\"request\""),
            "{name} offers a request"
        );
        assert!(!text.contains("mailto:"), "{name} carries an address");
    }
    // Public pages name only public entries: the policing-only fraud tool is nowhere.
    let overlaps = fs::read_to_string(public.join("overlaps.html")).expect("overlaps");
    let coverage = fs::read_to_string(public.join("coverage.html")).expect("coverage");
    for text in [&overlaps, &coverage] {
        assert!(!text.contains("fraud-victim-contact-automation"));
    }
    assert!(
        !public
            .join("entries/fraud-victim-contact-automation.atom")
            .exists()
    );
    assert!(
        policing
            .join("entries/fraud-victim-contact-automation.atom")
            .is_file()
    );
}
