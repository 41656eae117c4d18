//! End-to-end tests of `nsi stale` on the shipped catalogue, judged as of a fixed day: as of
//! 2026-11-28 it has exactly two expired contacts and two overdue reviews.

mod common;

use common::{keys_of, nsi, shipped, stdout_of};
use serde_json::Value;

const AS_OF: &str = "2026-11-28";

fn stale(dir: &std::path::Path, extra: &[&str]) -> String {
    // A report: stale entries are not a failure, so the exit code is 0.
    stdout_of(nsi(dir).args(["stale", "--as-of", AS_OF]).args(extra))
}

fn ids(report: &Value) -> Vec<String> {
    report["forces"]
        .as_array()
        .expect("forces")
        .iter()
        .flat_map(|force| force["entries"].as_array().expect("entries"))
        .map(|entry| entry["id"].as_str().expect("id").to_owned())
        .collect()
}

#[test]
fn text_names_each_force_entry_and_contact_to_chase() {
    let dir = shipped();
    let text = stale(dir.path(), &[]);
    assert!(
        text.starts_with("Stale as of 2026-11-28: 2 expired contacts, 2 reviews overdue"),
        "{text}"
    );
    for expected in [
        "Humberside Police (humberside)",
        "call-handling-triage-assist",
        "Merseyside Police (merseyside)",
        "custody-record-digitisation",
        "North Yorkshire Police (north-yorkshire)",
        "anpr-data-quality-monitor",
        "Surrey Police (surrey)",
        "public-contact-chatbot",
        "contact expired 242 days ago (valid until 2026-03-31): Natalie Hewson \
         <natalie.hewson@humberside.police.example>",
        "review overdue by 74 days (last reviewed 2025-09-15, due 2026-09-15)",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    common::assert_snapshot("stale/shipped.txt", &text);
    common::assert_snapshot(
        "stale/shipped.md",
        &stale(dir.path(), &["--format", "markdown"]),
    );
}

#[test]
fn json_has_the_documented_shape_and_the_known_stale_entries() {
    let dir = shipped();
    let report: Value =
        serde_json::from_str(&stale(dir.path(), &["--format", "json"])).expect("JSON");
    let keys = keys_of(&report);
    assert_eq!(
        keys,
        [
            "as_of",
            "within_days",
            "review_period_months",
            "entries_checked",
            "skipped",
            "contacts_expired",
            "contacts_expiring",
            "reviews_overdue",
            "entries_stale",
            "forces"
        ]
    );
    assert_eq!(report["as_of"], AS_OF);
    assert_eq!(report["entries_checked"], 28);
    assert_eq!(report["contacts_expired"], 2);
    assert_eq!(report["reviews_overdue"], 2);
    assert_eq!(report["entries_stale"], 4);
    assert_eq!(
        ids(&report),
        [
            "call-handling-triage-assist",
            "custody-record-digitisation",
            "anpr-data-quality-monitor",
            "public-contact-chatbot"
        ]
    );
    let forces: Vec<&str> = report["forces"]
        .as_array()
        .expect("forces")
        .iter()
        .map(|f| f["force"].as_str().expect("force"))
        .collect();
    assert_eq!(
        forces,
        ["humberside", "merseyside", "north-yorkshire", "surrey"]
    );

    let humberside = &report["forces"][0]["entries"][0];
    assert_eq!(humberside["review_overdue"], false);
    assert_eq!(humberside["review_days_overdue"], Value::Null);
    let contact = &humberside["contacts"][0];
    assert_eq!(contact["name"], "Natalie Hewson");
    assert_eq!(contact["email"], "natalie.hewson@humberside.police.example");
    assert_eq!(contact["status"], "expired");
    assert_eq!(contact["days_overdue"], 242);

    let north_yorkshire = &report["forces"][2]["entries"][0];
    assert_eq!(north_yorkshire["review_overdue"], true);
    assert_eq!(north_yorkshire["review_days_overdue"], 74);
    assert_eq!(north_yorkshire["contacts"][0]["status"], "current");
}

#[test]
fn markdown_has_a_heading_and_a_table_per_force() {
    let dir = shipped();
    let markdown = stale(dir.path(), &["--format", "markdown"]);
    assert_eq!(markdown.matches("\n## ").count(), 4, "{markdown}");
    assert!(
        markdown.contains("## Surrey Police (`surrey`)"),
        "{markdown}"
    );
    assert_eq!(
        markdown
            .matches("| entry | problem | who to chase | overdue |\n|---|---|---|---|\n")
            .count(),
        4,
        "{markdown}"
    );
    assert!(
        markdown
            .lines()
            .any(|line| line.starts_with("| `public-contact-chatbot`")
                && line.contains("| review overdue |")
                && line.contains("megan.ashworth@surrey.police.example")),
        "{markdown}"
    );
}

#[test]
fn within_finds_contacts_that_expire_soon() {
    let dir = shipped();
    let now: Value = serde_json::from_str(&stale(dir.path(), &["--format", "json"])).expect("JSON");
    let soon: Value =
        serde_json::from_str(&stale(dir.path(), &["--format", "json", "--within", "400"]))
            .expect("JSON");
    assert_eq!(now["contacts_expiring"], 0);
    assert_eq!(soon["within_days"], 400);
    assert_eq!(soon["contacts_expired"], 2);
    assert!(soon["contacts_expiring"].as_u64().expect("count") > 0);
    assert!(
        soon["entries_stale"].as_u64().expect("count")
            > now["entries_stale"].as_u64().expect("count")
    );
    let text = stale(dir.path(), &["--within", "400"]);
    assert!(text.contains("contact expires in "), "{text}");
}

#[test]
fn nothing_stale_is_said_plainly_and_exits_zero() {
    let dir = common::catalogue(&[(
        "kent/fresh-entry.yaml",
        &include_str!("data/minimal-entry.yaml")
            .replace("ID", "fresh-entry")
            .replace("FORCE", "kent"),
    )]);
    let text = stale(dir.path(), &[]);
    assert_eq!(
        text,
        "Nothing to chase as of 2026-11-28: 1 entries checked.\n"
    );
}
