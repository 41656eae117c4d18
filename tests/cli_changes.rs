//! `nsi changes` and the Atom feed (`nsi export --format atom`), over real git history.

mod common;

use common::git::GitRepo;
use common::{nsi, stdout_of};
use serde_json::Value;

const DRONE: &str = "catalogue/avon-and-somerset/drone-flight-log.yaml";
/// A policing-only entry (visibility: policing) and its contact.
const POLICING_ONLY: &str = "catalogue/city-of-london/fraud-victim-contact-automation.yaml";

/// Three commits after the initial one: a public entry edited (with hostile text in its
/// title), a policing-only entry edited, and a new public entry.
fn history() -> GitRepo {
    let repo = GitRepo::shipped();
    repo.edit(DRONE, "phase: live", "phase: beta");
    repo.edit(
        DRONE,
        "title: Drone Unit Flight Log",
        "title: \"Drone <Log> & \\\"Flights\\\" \\e[31m\"",
    );
    repo.commit_all(
        "Drone log back to beta",
        "Bea Editor",
        "bea@force.police.example",
    );
    assert!(repo.read(POLICING_ONLY).contains("visibility: policing"));
    repo.edit(
        POLICING_ONLY,
        "title: Fraud Victim Contact Automation",
        "title: Fraud Victim Contact Automation v2",
    );
    repo.commit_all("Fraud contact v2", "Cy Gatekeeper", "cy@nsi.police.example");
    let new_entry = repo
        .read(DRONE)
        .replace("id: drone-flight-log", "id: drone-battery-tracker");
    repo.write(
        "catalogue/avon-and-somerset/drone-battery-tracker.yaml",
        &new_entry,
    );
    repo.commit_all(
        "Add the battery tracker",
        "Bea Editor",
        "bea@force.police.example",
    );
    repo
}

#[test]
fn changes_lists_each_commit_newest_first_and_since_filters() {
    let repo = history();
    let list: Value = serde_json::from_str(&stdout_of(
        nsi(repo.path()).args(["changes", "--format", "json"]),
    ))
    .expect("JSON");
    let list = list.as_array().expect("list");
    let firsts: Vec<(&str, &str)> = list
        .iter()
        .take(3)
        .map(|r| {
            (
                r["commit"]["summary"].as_str().expect("summary"),
                r["change"]["id"].as_str().expect("id"),
            )
        })
        .collect();
    assert_eq!(
        firsts,
        [
            ("Add the battery tracker", "drone-battery-tracker"),
            ("Fraud contact v2", "fraud-victim-contact-automation"),
            ("Drone log back to beta", "drone-flight-log"),
        ]
    );
    // Then the initial commit, which added every shipped entry.
    assert!(list[3..].iter().all(|r| r["change"]["kind"] == "added"));
    let dates: Vec<&str> = list
        .iter()
        .map(|r| r["commit"]["date"].as_str().expect("date"))
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");

    let since: Value = serde_json::from_str(&stdout_of(nsi(repo.path()).args([
        "changes",
        "--since",
        "2026-01-03",
        "--format",
        "json",
    ])))
    .expect("JSON");
    assert_eq!(since.as_array().expect("list").len(), 2);
    let text = stdout_of(nsi(repo.path()).args(["changes", "--limit", "1"]));
    assert!(
        text.contains("Bea Editor: Add the battery tracker"),
        "{text}"
    );
    assert!(text.contains("+ added    drone-battery-tracker"), "{text}");
}

#[test]
fn a_limit_keeps_the_newest_changes_in_the_same_order() {
    let repo = history();
    // A commit that only removes entries, and one that removes and adds (a rename is paired).
    repo.git(&["rm", "-q", DRONE, POLICING_ONLY]);
    repo.commit_staged("Retire two", "Bea Editor", "bea@force.police.example");
    let moved = "catalogue/avon-and-somerset/drone-battery-tracker.yaml";
    let text = repo.read(moved);
    std::fs::remove_file(repo.file(moved)).expect("removed");
    repo.write("catalogue/avon-and-somerset/battery-tracker.yaml", &text);
    repo.commit_all(
        "Rename the tracker file",
        "Bea Editor",
        "bea@force.police.example",
    );
    let list = |limit: Option<usize>| -> Vec<Value> {
        let mut command = nsi(repo.path());
        command.args(["changes", "--format", "json"]);
        let limit = limit.map(|n| n.to_string());
        if let Some(limit) = &limit {
            command.args(["--limit", limit]);
        }
        let value: Value = serde_json::from_str(&stdout_of(&mut command)).expect("JSON");
        value.as_array().expect("a list").clone()
    };
    let all = list(None);
    // The renamed file, two removed, three edits and adds, then the initial import.
    assert!(all.len() > 20, "{}", all.len());
    for limit in [1, 2, 3, 4, 7, 10, all.len() - 1, all.len(), all.len() + 5] {
        let limited = list(Some(limit));
        assert_eq!(
            limited,
            all[..limit.min(all.len())],
            "the first {limit} changes"
        );
    }
}

fn entries<'a>(doc: &'a roxmltree::Document<'a>) -> Vec<roxmltree::Node<'a, 'a>> {
    doc.root_element()
        .children()
        .filter(|n| n.has_tag_name(("http://www.w3.org/2005/Atom", "entry")))
        .collect()
}

fn child_text<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> &'a str {
    node.children()
        .find(|n| n.has_tag_name(name))
        .and_then(|n| n.text())
        .unwrap_or_default()
}

#[test]
fn the_atom_feed_is_valid_xml_newest_first_with_links_to_entry_pages() {
    let repo = history();
    let feed = stdout_of(nsi(repo.path()).args([
        "export",
        "--format",
        "atom",
        "--since",
        "2026-01-02",
        "--base-url",
        "https://police.example/nsi",
    ]));
    let doc = roxmltree::Document::parse(&feed).expect("the feed is well-formed XML");
    let root = doc.root_element();
    assert!(root.has_tag_name(("http://www.w3.org/2005/Atom", "feed")));
    assert_eq!(child_text(root, "id"), "urn:nsi:changes:policing");
    assert_eq!(child_text(root, "updated"), "2026-01-04T10:00:00+00:00");
    let items = entries(&doc);
    let titles: Vec<&str> = items.iter().map(|e| child_text(*e, "title")).collect();
    assert_eq!(titles.len(), 3, "{titles:?}");
    assert_eq!(titles[0], "Added: Drone <Log> & \"Flights\" [31m");
    assert_eq!(titles[1], "Updated: Fraud Victim Contact Automation v2");
    assert!(titles[2].starts_with("Updated: Drone <Log>"), "{titles:?}");
    let link = items[0]
        .children()
        .find(|n| n.has_tag_name("link"))
        .and_then(|n| n.attribute("href"))
        .expect("link");
    assert_eq!(link, "entries/drone-battery-tracker.html");
    assert_eq!(
        root.attribute(("http://www.w3.org/XML/1998/namespace", "base")),
        Some("https://police.example/nsi/")
    );
    let summary = child_text(items[2], "summary");
    assert!(summary.contains("phase: live → beta"), "{summary}");
    let ids: std::collections::HashSet<&str> = items.iter().map(|e| child_text(*e, "id")).collect();
    assert_eq!(ids.len(), items.len(), "ids are unique");
    assert_eq!(child_text(items[1], "author").trim(), "");
    let author = items[1]
        .descendants()
        .find(|n| n.has_tag_name("name"))
        .and_then(|n| n.text());
    assert_eq!(author, Some("Cy Gatekeeper"));
}

#[test]
fn the_public_feed_shows_public_entries_only_and_no_people() {
    let repo = history();
    let feed =
        stdout_of(nsi(repo.path()).args(["export", "--format", "atom", "--audience", "public"]));
    let doc = roxmltree::Document::parse(&feed).expect("well-formed");
    let items = entries(&doc);
    assert!(!items.is_empty());
    assert!(
        !feed.contains("fraud-victim-contact-automation"),
        "a policing-only entry leaked"
    );
    assert!(!feed.contains('@'), "an email address leaked: {feed}");
    for person in ["Bea Editor", "Cy Gatekeeper", "Ada Admin", "Rhys Morgan"] {
        assert!(
            !feed.contains(person),
            "{person} appears in the public feed"
        );
    }
    let summary = child_text(items[1], "summary");
    assert_eq!(summary, "Changed: title; phase.");
}

#[test]
fn the_html_site_carries_the_feed_inside_a_repository() {
    let repo = history();
    let site = repo.path().join("site");
    nsi(repo.path())
        .args([
            "export",
            "--format",
            "html",
            "--audience",
            "public",
            "--out",
        ])
        .arg(&site)
        .assert()
        .success();
    let feed = std::fs::read_to_string(site.join("changes.atom")).expect("changes.atom");
    roxmltree::Document::parse(&feed).expect("well-formed");
    assert!(feed.contains("entries/drone-battery-tracker.html"));
    // Outside a repository the site is still written, without a feed; asking for the feed
    // itself is an error.
    let plain = common::shipped();
    let site = plain.path().join("site");
    nsi(plain.path())
        .args(["export", "--format", "html", "--out"])
        .arg(&site)
        .assert()
        .success();
    assert!(!site.join("changes.atom").exists());
    nsi(plain.path())
        .args(["export", "--format", "atom"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not inside a git repository"));
}
