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
fn standards_are_configured_in_the_base_nsi_toml() {
    let without_business_case = |repo: &GitRepo| {
        good_entry(repo).replace(
            "  - type: business-case\n    availability: on-request\n    classification: official\n",
            "",
        )
    };
    let repo = pull_request(|repo| repo.write(NEW, &without_business_case(repo)));
    review_json(&repo, 1);

    // The gatekeeper relaxes the standards on main, in a change of its own.
    let repo = GitRepo::shipped();
    repo.write(
        "nsi.toml",
        "[standards]\ndocuments = \"warning\"\ncontact_valid_days = 30\n",
    );
    repo.commit_all(
        "Relax the documents standard",
        "Gate Keeper",
        "gk@police.example",
    );
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write(NEW, &without_business_case(&repo));
    repo.commit_all("The pull request", "Bea Editor", "bea@force.police.example");
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

/// `nsi review main HEAD` on the branch `feature` of `repo`, in `format`: exit code and stdout.
fn review_commits(repo: &GitRepo, format: &str) -> (i32, String) {
    let output = nsi(repo.path())
        .args(["review", "main", "HEAD", "--format", format])
        .output()
        .expect("run");
    assert!(
        output.status.code().is_some_and(|c| c < 2),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (
        output.status.code().unwrap_or(2),
        String::from_utf8(output.stdout).expect("utf-8"),
    )
}

#[test]
fn two_commits_are_reviewed_for_duplicates_as_the_working_tree_is() {
    let repo = pull_request(|repo| repo.write(NEW, &good_entry(repo)));
    let (code, json) = review_commits(&repo, "json");
    assert_eq!(code, 0, "{json}");
    let review: Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(
        review["duplicates"][0]["similar"][0]["id"], "drone-flight-log",
        "{review:#}"
    );
    let working_tree = review_json(&repo, 0);
    assert_eq!(review["duplicates"], working_tree["duplicates"]);
}

#[test]
fn a_pull_request_is_judged_with_the_base_rules_not_its_own() {
    // A weak entry, and in the same commit standards relaxed, a supplier made a force and
    // the schema's title limit lifted.
    let repo = pull_request(|repo| {
        let entry = good_entry(repo)
            .replace(
                "  - type: business-case\n    availability: on-request\n    classification: official\n",
                "",
            )
            .replace("owner_force: wiltshire", "owner_force: acme-consulting");
        repo.write(
            "catalogue/acme-consulting/drone-maintenance-planner.yaml",
            &entry,
        );
        repo.write("nsi.toml", "[standards]\ndocuments = \"off\"\n");
        let forces = repo.read("schema/reference/forces.yaml").replacen(
            "  - {slug: kent,",
            "  - {slug: acme-consulting, name: Acme Consulting Ltd, region: eastern, country: england, type: territorial}\n  - {slug: kent,",
            1,
        );
        repo.write("schema/reference/forces.yaml", &forces);
    });
    let (code, json) = review_commits(&repo, "json");
    assert_eq!(code, 1, "{json}");
    let review: Value = serde_json::from_str(&json).expect("JSON");
    let blockers = review["blockers"].to_string();
    assert!(blockers.contains("business-case"), "{blockers}");
    assert!(blockers.contains("1 validation error"), "{blockers}");
    assert!(
        blockers.contains("1 entry and 2 other files change together"),
        "{blockers}"
    );
    let finding = review["findings"][0]["diagnostics"].to_string();
    assert!(
        finding.contains("unknown force `acme-consulting`"),
        "{finding}"
    );
    assert!(
        review["rules_from"]
            .as_str()
            .is_some_and(|r| r.starts_with("main")),
        "{review:#}"
    );
    let files: Vec<(&str, &str)> = review["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().expect("path"),
                f["role"].as_str().expect("role"),
            )
        })
        .collect();
    assert_eq!(
        files,
        [
            ("nsi.toml", "settings"),
            ("schema/reference/forces.yaml", "reference_list")
        ]
    );
    assert_eq!(
        review["files"][1]["fields"][0]["field"], "forces",
        "{review:#}"
    );

    let (_, text) = review_commits(&repo, "text");
    assert!(
        text.contains(
            "Rules and tooling changed: a gatekeeper must approve these on their own\n  \
             added    nsi.toml (settings and minimum standards)"
        ),
        "{text}"
    );
    assert!(text.contains("slug: acme-consulting"), "{text}");
    let (_, markdown) = review_commits(&repo, "markdown");
    assert!(
        markdown.contains(
            "### ⚠️ Rules and tooling changed: a gatekeeper must approve these on their own\n\n\
             - added `nsi.toml` (settings and minimum standards)\n\
             - modified `schema/reference/forces.yaml` (reference list)"
        ),
        "{markdown}"
    );
    assert!(
        markdown.contains("#### `schema/reference/forces.yaml`"),
        "{markdown}"
    );
}

/// A pull request that breaks a reference list (a force slug CODEOWNERS would read as an
/// owner) is blocked, naming the file and line; the list still does not judge the review.
#[test]
fn a_pull_request_that_breaks_a_reference_list_is_blocked() {
    let repo = pull_request(|repo| {
        let forces = repo.read("schema/reference/forces.yaml").replacen(
            "{slug: kent,",
            "{slug: \"kent/ @mallory\",",
            1,
        );
        repo.write("schema/reference/forces.yaml", &forces);
    });
    let line = repo
        .read("schema/reference/forces.yaml")
        .lines()
        .position(|l| l.contains("@mallory"))
        .expect("the line")
        + 1;
    let review = review_json(&repo, 1);
    let blockers = review["blockers"].to_string();
    assert!(
        blockers.contains(&format!("schema/reference/forces.yaml:{line}:12")),
        "{blockers}"
    );
    assert!(blockers.contains("kent/ @mallory"), "{blockers}");
    assert_eq!(
        review["rules_from"].as_str().map(|r| r.contains("main")),
        Some(true)
    );
}

/// The rules a review reads from its base are checked as a catalogue's are: a broken list
/// there stops the review (exit 2) naming the file, line and column.
#[test]
fn a_base_with_a_broken_reference_list_stops_the_review() {
    let repo = GitRepo::shipped();
    let forces = repo.read("schema/reference/forces.yaml").replacen(
        "{slug: kent,",
        "{slug: kent, owners: \"@mallory\",",
        1,
    );
    repo.write("schema/reference/forces.yaml", &forces);
    repo.commit_all("A broken list", "Ada Admin", "ada@nsi.police.example");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    let entry = good_entry(&repo);
    repo.write(NEW, &entry);
    repo.commit_all("The pull request", "Bea Editor", "bea@force.police.example");
    let line = forces
        .lines()
        .position(|l| l.contains("@mallory"))
        .expect("the line")
        + 1;
    let output = nsi(repo.path())
        .args(["review", "--format", "json"])
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("schema/reference/forces.yaml:{line}:")),
        "{stderr}"
    );
    assert!(stderr.contains("unknown field `owners`"), "{stderr}");
}

#[test]
fn a_schema_change_does_not_judge_its_own_pull_request() {
    let repo = pull_request(|repo| {
        let entry = good_entry(repo).replace(
            "title: Drone Maintenance Planner",
            &format!("title: {}", "Drone ".repeat(30).trim_end()),
        );
        repo.write(NEW, &entry);
        let schema = repo.read("schema/solution.schema.json");
        let lifted = schema.replacen(
            "\"minLength\": 3,\n      \"maxLength\": 100\n",
            "\"minLength\": 3,\n      \"maxLength\": 100000\n",
            1,
        );
        assert_ne!(schema, lifted, "the schema limits a title's length");
        repo.write("schema/solution.schema.json", &lifted);
    });
    let (code, json) = review_commits(&repo, "json");
    assert_eq!(code, 1);
    let review: Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(review["findings"][0]["diagnostics"][0]["pointer"], "/title");
    assert_eq!(review["files"][0]["role"], "schema");
}

#[test]
fn a_rules_only_pull_request_passes_and_lists_every_file_for_the_gatekeeper() {
    let repo = pull_request(|repo| {
        repo.write("nsi.toml", "review_period_months = 18\n");
        repo.write(".github/workflows/extra.yml", "name: extra\n");
    });
    let (code, text) = review_commits(&repo, "text");
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("ready for the gatekeeper"), "{text}");
    assert!(
        text.contains("added    .github/workflows/extra.yml (workflow or CI)"),
        "{text}"
    );
    assert!(
        text.contains("added    nsi.toml (settings and minimum standards)"),
        "{text}"
    );
    assert!(text.contains("review_period_months: + 18"), "{text}");
}

/// A credential in an entry is a blocker (NSI217 is an error): the pull request fails, and
/// the comment names the rule and what was found, in every format.
#[test]
fn a_token_in_an_entry_blocks_the_pull_request() {
    let repo = pull_request(|repo| {
        let entry = good_entry(repo).replacen(
            "rationale: ",
            "rationale: Deploys with glpat-xYz12AbCdEfGhIjKlMnO from the force's GitLab. ",
            1,
        );
        repo.write(NEW, &entry);
    });
    let review = review_json(&repo, 1);
    assert_eq!(review["passed"], false);
    let blockers = review["blockers"].to_string();
    assert!(blockers.contains("drone-maintenance-planner"), "{blockers}");
    let findings = review["findings"].to_string();
    assert!(
        findings.contains("NSI217") && findings.contains("a GitLab personal access token"),
        "{findings}"
    );
    let markdown = nsi(repo.path())
        .args(["review", "--format", "markdown"])
        .output()
        .expect("run");
    assert_eq!(markdown.status.code(), Some(1));
    let comment = String::from_utf8_lossy(&markdown.stdout);
    assert!(comment.contains("**error[NSI217]**"), "{comment}");
}

#[test]
fn the_adopters_of_a_changed_solution_are_named_and_their_teams_mentioned() {
    let repo = GitRepo::shipped();
    let codeowners =
        std::fs::read_to_string(std::path::Path::new(common::REPO).join(".github/CODEOWNERS"))
            .expect("CODEOWNERS");
    repo.write(".github/CODEOWNERS", &codeowners);
    repo.commit_all("Code owners", "Gate Keeper", "gk@police.example");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    let tool = "catalogue/nottinghamshire/cps-evidence-redaction-tool.yaml";
    repo.edit(tool, "phase: live", "phase: retired");
    repo.commit_all(
        "Retire the redaction tool",
        "Bea Editor",
        "bea@force.police.example",
    );

    let (_, json) = review_commits(&repo, "json");
    let review: Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(
        review["tell"],
        serde_json::json!([{
            "id": "cps-evidence-redaction-tool",
            "adopters": [["derbyshire", "adopted"], ["leicestershire", "piloting"]],
            "teams": ["@police-nsi/nsi-derbyshire", "@police-nsi/nsi-leicestershire"]
        }])
    );
    let (_, text) = review_commits(&repo, "text");
    assert!(
        text.contains("Adopters to tell\n  cps-evidence-redaction-tool: tell derbyshire (adopted), leicestershire (piloting) (@police-nsi/nsi-derbyshire @police-nsi/nsi-leicestershire)"),
        "{text}"
    );
    let (_, markdown) = review_commits(&repo, "markdown");
    assert!(
        markdown.contains("### Adopters to tell\n\n- `cps-evidence-redaction-tool`: derbyshire (adopted), leicestershire (piloting) — cc @police-nsi/nsi-derbyshire @police-nsi/nsi-leicestershire"),
        "{markdown}"
    );
}

/// A `|` in a field name cannot split the comment's table: every row of the changed fields'
/// table has its three cells, the field name whole in the first.
#[test]
fn a_pipe_in_a_field_name_stays_in_its_cell() {
    let repo = pull_request(|repo| {
        repo.edit(
            DRONE,
            "phase: live",
            "phase: live\n\"notes| x | y\": \"a|b\"",
        );
    });
    let output = nsi(repo.path())
        .args(["review", "--format", "markdown"])
        .output()
        .expect("run");
    let comment = String::from_utf8_lossy(&output.stdout);
    // The separators of a row: each `|` not escaped by a backslash.
    let cells = |row: &str| {
        let mut count = 0;
        let mut escaped = false;
        for c in row.chars() {
            if c == '|' && !escaped {
                count += 1;
            }
            escaped = c == '\\' && !escaped;
        }
        count
    };
    let row = comment
        .lines()
        .find(|line| line.starts_with("| `notes"))
        .unwrap_or_else(|| panic!("no row for the field:\n{comment}"));
    assert_eq!(cells(row), 4, "three cells: {row}");
    assert!(row.starts_with(r"| `notes\| x \| y` |"), "{row}");
    for line in comment.lines().filter(|l| l.starts_with("| `")) {
        assert_eq!(cells(line), 4, "{line}");
    }
}

/// A working-tree review keeps its index where the catalogue's settings say, as every other
/// command does: `NSI_CACHE_DIR` reaches it through the one catalogue the command opened.
#[test]
fn a_working_tree_review_keeps_its_index_in_the_configured_cache() {
    let repo = pull_request(|repo| repo.write(NEW, &good_entry(repo)));
    let cache = tempfile::tempdir().expect("temporary folder");
    let output = nsi(repo.path())
        .args(["review", "--format", "json"])
        .env("NSI_CACHE_DIR", cache.path())
        .output()
        .expect("run");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(cache.path().join("search-index.bin").is_file());
    assert!(!repo.path().join(".nsi/cache/search-index.bin").exists());
}

/// The gatekeeper's report as a person reads it — in a terminal and as the pull-request
/// comment — character for character.
#[test]
fn the_report_of_a_bad_pull_request_reads_as_its_snapshot() {
    let repo = bad_pull_request();
    for (format, name) in [("text", "review/bad.txt"), ("markdown", "review/bad.md")] {
        let output = nsi(repo.path())
            .args(["review", "main", "feature", "--format", format])
            .output()
            .expect("run");
        assert_eq!(output.status.code(), Some(1), "a blocked review exits 1");
        common::assert_snapshot(name, &String::from_utf8(output.stdout).expect("utf-8"));
    }
}
