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
        // Markup, but valid: a public export (and so the public feed) holds valid entries only.
        "title: \"Drone <Log> & \\\"Flights\\\"\"",
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
    assert_eq!(titles[0], "Added: Drone <Log> & \"Flights\"");
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

/// One step of a random history.
#[derive(Debug, Clone)]
enum Step {
    /// Add an entry with the next unused name, public or not.
    Add { public: bool },
    /// Flip the visibility of the n-th live entry.
    Flip(usize),
    /// Remove the n-th live entry.
    Remove(usize),
    /// Give the n-th live entry the next unused name (id, file and title).
    Rename(usize),
    /// Reword the n-th live entry's description, with an email address in it.
    Reword(usize),
}

/// Names no one of which holds another, so a search for one never finds another.
const NAMES: [&str; 12] = [
    "kestrel", "heron", "osprey", "falcon", "merlin", "plover", "curlew", "dunlin", "avocet",
    "bittern", "godwit", "linnet",
];

fn entry_text(name: &str, public: bool, note: usize) -> String {
    let mut title = name.to_owned();
    title[..1].make_ascii_uppercase();
    std::fs::read_to_string(
        std::path::Path::new(common::REPO).join("tests/data/minimal-entry.yaml"),
    )
    .expect("minimal entry")
    .replace("id: ID", &format!("id: {name}"))
    .replace("owner_force: FORCE", "owner_force: kent")
    .replace(
        "title: A minimal test entry",
        &if note >= 100 {
            // Reworded: the title names a person's address.
            format!("title: {title} Service, ask {name}.owner@kent.police.example")
        } else {
            format!("title: {title} Service")
        },
    )
    .replace(
        "visibility: policing",
        if public {
            "visibility: public"
        } else {
            "visibility: policing"
        },
    ) + &format!("description: Note {note}, ask {name}.owner@kent.police.example for more.\n")
}

fn play(steps: &[Step]) -> (GitRepo, Vec<String>, Vec<String>) {
    let repo = GitRepo::shipped();
    // (name, public, note) of each live entry.
    let mut live: Vec<(String, bool, usize)> = Vec::new();
    let mut used = 0;
    let path = |name: &str| format!("catalogue/kent/{name}.yaml");
    for (n, step) in steps.iter().enumerate() {
        match *step {
            Step::Add { public } if used < NAMES.len() => {
                let name = NAMES[used].to_owned();
                used += 1;
                repo.write(&path(&name), &entry_text(&name, public, n));
                live.push((name, public, n));
            }
            Step::Flip(i) if !live.is_empty() => {
                let len = live.len();
                let (name, public, note) = &mut live[i % len];
                *public = !*public;
                repo.write(&path(name), &entry_text(name, *public, *note));
            }
            Step::Remove(i) if !live.is_empty() => {
                let (name, _, _) = live.remove(i % live.len());
                std::fs::remove_file(repo.file(&path(&name))).expect("remove");
            }
            Step::Rename(i) if !live.is_empty() && used < NAMES.len() => {
                let len = live.len();
                let (name, public, note) = &mut live[i % len];
                std::fs::remove_file(repo.file(&path(name))).expect("remove");
                NAMES[used].clone_into(name);
                used += 1;
                repo.write(&path(name), &entry_text(name, *public, *note));
            }
            Step::Reword(i) if !live.is_empty() => {
                let len = live.len();
                let (name, public, note) = &mut live[i % len];
                *note += 100;
                repo.write(&path(name), &entry_text(name, *public, *note));
            }
            _ => continue,
        }
        repo.commit_all(
            &format!("step {n}"),
            "Bea Editor",
            "bea@force.police.example",
        );
    }
    let public: Vec<String> = live.iter().filter(|e| e.1).map(|e| e.0.clone()).collect();
    let hidden: Vec<String> = NAMES[..used]
        .iter()
        .map(|n| (*n).to_owned())
        .filter(|n| !public.contains(n))
        .collect();
    (repo, public, hidden)
}

fn step() -> impl proptest::strategy::Strategy<Value = Step> {
    use proptest::prelude::*;
    prop_oneof![
        any::<bool>().prop_map(|public| Step::Add { public }),
        any::<usize>().prop_map(Step::Flip),
        any::<usize>().prop_map(Step::Remove),
        any::<usize>().prop_map(Step::Rename),
        any::<usize>().prop_map(Step::Reword),
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig {
        cases: 24,
        failure_persistence: None,
        ..proptest::prelude::ProptestConfig::default()
    })]

    /// Whatever the history — visibility flips, removals, renames — nothing in a public
    /// artefact (the site with its feed, the JSON, the CSV, the feed on its own) names an entry
    /// that is not public at the export's revision, and no email address is in any of them.
    #[test]
    fn public_artefacts_name_only_entries_public_now(steps in proptest::collection::vec(step(), 1..9)) {
        let (repo, public, hidden) = play(&steps);
        let site = repo.path().join("site");
        let exported = nsi(repo.path())
            .args(["export", "--format", "html", "--audience", "public", "--out"])
            .arg(&site)
            .output()
            .expect("run");
        proptest::prop_assert!(exported.status.success());
        let mut artefacts: Vec<(String, String)> = ["atom", "json", "csv"]
            .iter()
            .map(|format| {
                (
                    format!("nsi export --format {format}"),
                    stdout_of(nsi(repo.path()).args(["export", "--format", format, "--audience", "public"])),
                )
            })
            .collect();
        let mut folders = vec![site.clone()];
        while let Some(folder) = folders.pop() {
            for file in std::fs::read_dir(&folder).expect("site") {
                let file = file.expect("file").path();
                if file.is_dir() {
                    folders.push(file);
                } else if let Ok(text) = std::fs::read_to_string(&file) {
                    artefacts.push((file.display().to_string(), text));
                }
            }
        }
        let feed = std::fs::read_to_string(site.join("changes.atom")).unwrap_or_default();
        for name in &public {
            proptest::prop_assert!(
                feed.contains(&format!("entries/{name}.html")),
                "{name} is public but not in the feed"
            );
        }
        for (artefact, text) in &artefacts {
            for name in &hidden {
                proptest::prop_assert!(
                    !text.to_lowercase().contains(name.as_str()),
                    "{artefact} names {name}, which is not public now ({steps:?})"
                );
            }
            proptest::prop_assert!(
                !text.contains(".owner@"),
                "{artefact} carries an email address ({steps:?})"
            );
        }
    }
}
