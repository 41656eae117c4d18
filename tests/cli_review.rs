//! `nsi review`: the gatekeeper's report for a good and a bad pull request, in real git
//! repositories.

mod common;

use common::git::GitRepo;
use common::nsi;
use serde_json::Value;

const DRONE: &str = "catalogue/avon-and-somerset/drone-flight-log.yaml";
const NEW: &str = "catalogue/wiltshire/drone-maintenance-planner.yaml";

/// A new entry for Wiltshire, based on the drone log but its own solution, meeting every
/// minimum standard.
fn good_entry(repo: &GitRepo) -> String {
    repo.read(DRONE)
        .replace("id: drone-flight-log", "id: drone-maintenance-planner")
        .replace("title: Drone Unit Flight Log", "title: Drone Maintenance Planner")
        .replace("owner_force: avon-and-somerset", "owner_force: wiltshire")
        .replace(
            "documentation:\n",
            "documentation:\n  - type: business-case\n    availability: on-request\n    classification: official\n",
        )
}

/// A pull request on branch `feature`, started from `main`.
fn pull_request(setup: impl FnOnce(&GitRepo)) -> GitRepo {
    let repo = GitRepo::shipped();
    repo.git(&["checkout", "-q", "-b", "feature"]);
    setup(&repo);
    repo.commit_all("The pull request", "Bea Editor", "bea@force.police.example");
    repo
}

fn review_json(repo: &GitRepo, code: i32) -> Value {
    let output = nsi(repo.path())
        .args(["review", "--format", "json"])
        .output()
        .expect("run");
    assert_eq!(
        output.status.code(),
        Some(code),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON")
}

fn items(review: &Value, id: &str) -> Vec<(String, bool, String)> {
    review["checklists"]
        .as_array()
        .expect("checklists")
        .iter()
        .find(|c| c["id"] == id)
        .expect("checklist")["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            (
                i["standard"].as_str().expect("standard").to_owned(),
                i["passed"].as_bool().expect("passed"),
                i["severity"].as_str().expect("severity").to_owned(),
            )
        })
        .collect()
}

#[test]
fn a_good_pull_request_passes_every_standard() {
    let repo = pull_request(|repo| {
        let entry = good_entry(repo);
        repo.write(NEW, &entry);
    });
    let review = review_json(&repo, 0);
    assert_eq!(review["passed"], true);
    assert_eq!(review["blockers"], serde_json::json!([]));
    assert_eq!(review["validated"], 1);
    let checks = items(&review, "drone-maintenance-planner");
    let standards: Vec<&str> = checks.iter().map(|(s, _, _)| s.as_str()).collect();
    assert_eq!(
        standards,
        [
            "rationale",
            "problem_statement",
            "contact",
            "documents",
            "skills",
            "visibility"
        ]
    );
    assert!(checks.iter().all(|(_, passed, _)| *passed), "{checks:?}");
    // The near-copy is flagged as a possible duplicate, which does not block.
    assert_eq!(
        review["duplicates"][0]["similar"][0]["id"],
        "drone-flight-log"
    );

    let markdown = nsi(repo.path())
        .env("CI", "true")
        .args(["review"])
        .output()
        .expect("run");
    assert!(markdown.status.success());
    let text = String::from_utf8_lossy(&markdown.stdout);
    assert!(
        text.starts_with("<!-- nsi-review -->\n## ✅ NSI review: ready for the gatekeeper"),
        "{text}"
    );
    assert!(
        text.contains("### Minimum standards: `drone-maintenance-planner`"),
        "{text}"
    );
    assert!(
        text.contains("| ✅ | at least one contact valid for 90+ days"),
        "{text}"
    );
    assert!(text.contains("### Possible duplicates"), "{text}");
}

/// A pull request that adds an entry short of three standards, breaks an entry, moves one to
/// another owner and deletes one.
fn bad_pull_request() -> GitRepo {
    pull_request(|repo| {
        let entry = good_entry(repo)
            .replace(
                "  - type: business-case\n    availability: on-request\n    classification: official\n",
                "",
            )
            .replace("valid_until: '2027-04-30'", "valid_until: '2027-01-15'");
        // A problem statement without substance (but long enough for the schema).
        let start = entry.find("problem_statement:").expect("problem");
        let end = entry.find("description:").expect("description");
        let entry = format!(
            "{}problem_statement: Paper forms were slow to use.\n{}",
            &entry[..start],
            &entry[end..]
        );
        repo.write(NEW, &entry);
        // An invalid edit, an owner change with a new contact, and a deletion.
        repo.edit(DRONE, "phase: live", "phase: launched");
        let moved_from = "catalogue/city-of-london/fraud-victim-contact-automation.yaml";
        let moved = repo
            .read(moved_from)
            .replace("owner_force: city-of-london", "owner_force: derbyshire");
        std::fs::remove_file(repo.file(moved_from)).expect("remove");
        repo.write(
            "catalogue/derbyshire/fraud-victim-contact-automation.yaml",
            &moved,
        );
        std::fs::remove_file(repo.file("catalogue/btp/text-report-triage.yaml")).expect("rm");
    })
}

#[test]
fn a_bad_pull_request_lists_every_blocker_and_what_needs_attention() {
    let repo = bad_pull_request();
    let review = review_json(&repo, 1);
    assert_eq!(review["passed"], false);
    let failed: Vec<String> = items(&review, "drone-maintenance-planner")
        .into_iter()
        .filter(|(_, passed, _)| !passed)
        .map(|(s, _, severity)| format!("{s}:{severity}"))
        .collect();
    assert_eq!(
        failed,
        [
            "problem_statement:blocker",
            "contact:blocker",
            "documents:blocker"
        ]
    );
    let blockers: Vec<&str> = review["blockers"]
        .as_array()
        .expect("blockers")
        .iter()
        .map(|b| b.as_str().expect("text"))
        .collect();
    assert!(
        blockers
            .iter()
            .any(|b| b.starts_with("drone-flight-log: 1 validation error")),
        "{blockers:?}"
    );
    assert_eq!(blockers.len(), 4, "{blockers:?}");
    let finding = review["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["id"] == "drone-flight-log")
        .expect("the invalid edit is reported");
    assert_eq!(finding["diagnostics"][0]["code"], "NSI104");
    assert_eq!(finding["diagnostics"][0]["file"], DRONE);
    assert!(finding["diagnostics"][0]["line"].as_u64().expect("line") > 1);
    let concerns: Vec<(String, String)> = review["attention"]
        .as_array()
        .expect("attention")
        .iter()
        .map(|a| {
            (
                a["id"].as_str().expect("id").to_owned(),
                a["concern"].as_str().expect("concern").to_owned(),
            )
        })
        .collect();
    assert!(
        concerns.contains(&(
            "fraud-victim-contact-automation".into(),
            "owner_changed".into()
        )),
        "{concerns:?}"
    );
    assert!(
        concerns.contains(&("text-report-triage".into(), "deleted".into())),
        "{concerns:?}"
    );

    let text = nsi(repo.path())
        .args(["review", "--format", "markdown"])
        .output()
        .expect("run");
    assert_eq!(text.status.code(), Some(1));
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("## ❌ NSI review: 4 blockers to fix"),
        "{text}"
    );
    assert!(
        text.contains("| ❌ blocker | a problem statement of substance"),
        "{text}"
    );
    assert!(
        text.contains("owner changed from city-of-london to derbyshire"),
        "{text}"
    );
    assert!(text.contains("is deleted"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with(&format!("- `{DRONE}:")) && l.contains("` **error[NSI104]**: ")),
        "a finding as file:line:col and error[CODE], as validate writes it\n{text}"
    );

    let plain = nsi(repo.path())
        .args(["review", "--format", "text"])
        .output()
        .expect("run");
    let plain = String::from_utf8_lossy(&plain.stdout);
    assert!(
        plain
            .lines()
            .any(|l| l.trim_start().starts_with(&format!("{DRONE}:"))
                && l.contains(": error[NSI104]: ")),
        "{plain}"
    );
}

#[test]
fn standards_are_configured_in_nsi_toml() {
    let repo = pull_request(|repo| {
        let entry = good_entry(repo).replace(
            "  - type: business-case\n    availability: on-request\n    classification: official\n",
            "",
        );
        repo.write(NEW, &entry);
    });
    review_json(&repo, 1);
    std::fs::write(
        repo.file("nsi.toml"),
        "[standards]\ndocuments = \"warning\"\ncontact_valid_days = 30\n",
    )
    .expect("write nsi.toml");
    let review = review_json(&repo, 0);
    let documents = items(&review, "drone-maintenance-planner")
        .into_iter()
        .find(|(s, _, _)| s == "documents")
        .expect("documents");
    assert_eq!(
        documents,
        ("documents".to_owned(), false, "warning".to_owned())
    );
    let contact = &review["checklists"][0]["items"][2];
    assert!(
        contact["requirement"]
            .as_str()
            .expect("text")
            .contains("valid for 30+ days"),
        "{contact}"
    );
}
