//! The pull-request review as GitHub runs it: `.github/workflows/review.yml`'s own steps, for
//! a real branch in a real repository, with the event a pull request gives — and the same
//! workflow against a hostile submitter who rewrites the workflow, relaxes the standards,
//! adds a supplier to the forces and points the comment at another pull request.

use std::path::Path;

use super::common::git::{GitRepo, git_in};
use super::workflow::{Context, JobRun, Workflow, run_job};
use super::{checkout, show};

const DRONE: &str = "catalogue/avon-and-somerset/drone-flight-log.yaml";
const WORKFLOW: &str = ".github/workflows/review.yml";
const REPOSITORY: &str = "police-nsi/index";
const NUMBER: &str = "42";

/// The shipped catalogue with the review workflow on `main`, and a branch `feature` made by
/// `change`: (repository, base commit, head commit).
pub fn pull_request(change: impl FnOnce(&GitRepo)) -> (GitRepo, String, String) {
    let repo = GitRepo::shipped();
    let workflow =
        std::fs::read_to_string(Path::new(super::common::REPO).join(WORKFLOW)).expect("review.yml");
    repo.write(WORKFLOW, &workflow);
    let base = repo.commit_all(
        "The review workflow",
        "Gate Keeper",
        "gk@nsi.police.example",
    );
    repo.git(&["checkout", "-q", "-b", "feature"]);
    change(&repo);
    let head = repo.commit_all("The pull request", "Bea Editor", "bea@force.police.example");
    (repo, base, head)
}

/// A new entry for Wiltshire that copies the drone log nearly word for word, and meets every
/// minimum standard: a duplicate the standards alone would let through.
pub fn near_copy(repo: &GitRepo) -> String {
    repo.read(DRONE)
        .replace("id: drone-flight-log", "id: drone-flight-record")
        .replace("title: Drone Unit Flight Log", "title: Drone Flight Record")
        .replace("owner_force: avon-and-somerset", "owner_force: wiltshire")
        .replace(
            "documentation:\n",
            "documentation:\n  - type: business-case\n    availability: on-request\n    classification: official\n",
        )
}

/// Run review.yml for the pull request from `base` to `head`, as GitHub would: the workflow
/// file is taken from where the trigger says GitHub takes it — the base for
/// `pull_request_target`, the pull request's own for `pull_request`.
pub fn run_review(source: &Path, base: &str, head: &str, comment_id: Option<&str>) -> JobRun {
    let at_base = Workflow::parse(
        "review.yml (base)",
        &git_in(source, &["show", &format!("{base}:{WORKFLOW}")]),
    );
    let workflow = if at_base
        .triggers()
        .contains(&"pull_request_target".to_owned())
    {
        at_base
    } else {
        Workflow::parse(
            "review.yml (pull request)",
            &git_in(source, &["show", &format!("{head}:{WORKFLOW}")]),
        )
    };
    let mut context = Context::default();
    for (key, value) in [
        ("github.event.pull_request.base.sha", base),
        ("github.event.pull_request.head.sha", head),
        ("github.event.pull_request.number", NUMBER),
        ("github.repository", REPOSITORY),
        ("github.token", "ghs_journeytoken"),
    ] {
        context.github.insert(key.to_owned(), value.to_owned());
    }
    context
        .runner_env
        .insert("NSI_TODAY".to_owned(), "2026-11-28".to_owned());
    context
        .runner_env
        .insert("GH_FAKE_PR".to_owned(), NUMBER.to_owned());
    if let Some(id) = comment_id {
        context
            .runner_env
            .insert("GH_FAKE_COMMENT_ID".to_owned(), id.to_owned());
    }
    let workspace = tempfile::tempdir().expect("workspace").keep();
    let run = run_job(
        &workflow,
        "review",
        &workspace,
        &context,
        |uses| match uses.action.as_str() {
            "actions/checkout" => {
                let sha = uses.with.get("ref").expect("a checkout names its commit");
                checkout(uses, source, sha);
            }
            "dtolnay/rust-toolchain" => {}
            "Swatinem/rust-cache" => assert_eq!(
                uses.with.get("save-if").map(String::as_str),
                Some("false"),
                "a run on a pull request's event saves no cache"
            ),
            other => panic!("review.yml uses {other}, which the journey does not know"),
        },
    );
    for step in &run.steps {
        show(
            &format!("step: {} (exit {})", step.name, step.code),
            &format!("{}{}", step.stdout, step.stderr),
        );
    }
    run
}

/// The body of the comment the run posted or updated, and the API path it went to.
pub fn comment(run: &JobRun) -> (String, String) {
    let calls = run.gh_calls();
    let post = calls
        .iter()
        .find(|c| c.contains("--method\nPOST\n") || c.contains("--method\nPATCH\n"))
        .unwrap_or_else(|| panic!("no comment was posted: {calls:?}"));
    let path = post
        .lines()
        .find(|l| l.starts_with("repos/"))
        .expect("an API path")
        .to_owned();
    let body = post
        .split_once("--- body\n")
        .map(|(_, body)| body.to_owned())
        .expect("a body");
    show(&format!("the comment ({path})"), &body);
    (path, body)
}

/// The state of the commit status "nsi review (gate)" the run set on `head`, which branch
/// protection requires.
pub fn gate_status(run: &JobRun, head: &str) -> String {
    let calls = run.gh_calls();
    let call = calls
        .iter()
        .find(|c| c.contains(&format!("repos/{REPOSITORY}/statuses/{head}\n")))
        .unwrap_or_else(|| panic!("no status set on {head}: {calls:?}"));
    assert!(call.contains("context=nsi review (gate)\n"), "{call}");
    call.lines()
        .find_map(|l| l.strip_prefix("state="))
        .expect("a state")
        .to_owned()
}

#[test]
fn a_near_duplicate_is_in_the_comment_the_gatekeeper_reads() {
    let (repo, base, head) = pull_request(|repo| {
        repo.write(
            "catalogue/wiltshire/drone-flight-record.yaml",
            &near_copy(repo),
        );
    });
    let run = run_review(repo.path(), &base, &head, None);
    assert!(run.success, "no blocker, so the check passes");
    assert_eq!(gate_status(&run, &head), "success");
    let (path, body) = comment(&run);
    assert_eq!(path, format!("repos/{REPOSITORY}/issues/{NUMBER}/comments"));
    assert!(body.starts_with("<!-- nsi-review -->\n## ✅ NSI review: ready for the gatekeeper"));
    assert!(body.contains("### Possible duplicates"), "{body}");
    assert!(
        body.contains("- `drone-flight-record` resembles `drone-flight-log` — Drone Unit Flight Log (avon-and-somerset), similarity 0.9"),
        "{body}"
    );
    assert!(run.summary.contains("### Possible duplicates"));

    // The next push updates the same comment instead of adding one.
    let again = run_review(repo.path(), &base, &head, Some("777"));
    let (path, _) = comment(&again);
    assert_eq!(path, format!("repos/{REPOSITORY}/issues/comments/777"));
}

#[test]
fn a_hostile_pull_request_is_judged_by_the_base_and_cannot_reach_another_comment() {
    let (repo, base, head) = pull_request(|repo| {
        // A weak entry, owned by a supplier it adds to the forces…
        let weak = repo
            .read(DRONE)
            .replace("id: drone-flight-log", "id: acme-drone-suite")
            .replace(
                "owner_force: avon-and-somerset",
                "owner_force: acme-consulting",
            )
            .replace("title: Drone Unit Flight Log", "title: Acme Drone Suite");
        let start = weak.find("problem_statement:").expect("problem");
        let end = weak[start..].find("\ndescription:").expect("description") + start + 1;
        let weak = format!(
            "{}problem_statement: Forces need a drone suite and we sell the best one there is.\n{}",
            &weak[..start],
            &weak[end..]
        );
        repo.write("catalogue/acme-consulting/acme-drone-suite.yaml", &weak);
        let forces = repo.read("schema/reference/forces.yaml").replacen(
            "  - {slug: kent,",
            "  - {slug: acme-consulting, name: Acme Consulting Ltd, region: eastern, country: england, type: territorial}\n  - {slug: kent,",
            1,
        );
        repo.write("schema/reference/forces.yaml", &forces);
        // …standards switched off…
        repo.write(
            "nsi.toml",
            "[standards]\nproblem_statement = \"off\"\ndocuments = \"off\"\n",
        );
        // …a judge of its own that always passes and comments on pull request 7…
        repo.write(
            WORKFLOW,
            "name: review\non: pull_request\njobs:\n  review:\n    name: nsi review\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          echo '<!-- nsi-review --> no blockers' > body.md\n          gh api --method PATCH repos/police-nsi/index/issues/comments/1 -F body=@body.md\n",
        );
        // …and the number of another pull request where the old comment job looked for it.
        repo.write("out/pr-number", "7\n");
    });
    let run = run_review(repo.path(), &base, &head, None);
    assert!(!run.success, "the blockers fail the check");
    assert_eq!(gate_status(&run, &head), "failure");
    assert_eq!(run.step("Fail when a blocker fails").code, 1);
    let (path, body) = comment(&run);
    assert_eq!(
        path,
        format!("repos/{REPOSITORY}/issues/{NUMBER}/comments"),
        "the comment goes to the pull request of the event"
    );
    for call in run.gh_calls() {
        assert!(
            !call.contains("/issues/7/") && !call.contains("comments/1\n"),
            "{call}"
        );
    }
    for expected in [
        "## ❌ NSI review:",
        "Judged with the rules of ",
        "**error[NSI204]**: unknown force \\`acme-consulting\\`",
        "a problem statement of substance",
        "at least one of business-case, technical-blueprint, lessons-learned",
        "1 entry and 4 other files change together",
        "### ⚠️ Rules and tooling changed: a gatekeeper must approve these on their own",
        "- modified `.github/workflows/review.yml` (workflow or CI)",
        "- added `nsi.toml` (settings and minimum standards)",
        "- modified `schema/reference/forces.yaml` (reference list)",
        "- added `out/pr-number` (other file)",
    ] {
        assert!(body.contains(expected), "missing {expected:?} in\n{body}");
    }
}

#[test]
fn the_judge_is_defined_where_a_pull_request_cannot_reach() {
    let workflow = Workflow::read("review.yml");
    assert_eq!(
        workflow.triggers(),
        ["pull_request_target"],
        "GitHub runs the base branch's copy of the workflow"
    );
    assert_eq!(workflow.permissions(), &serde_json::json!({}));
    let job = workflow.job("review");
    assert_eq!(
        job["permissions"],
        serde_json::json!({"contents": "read", "pull-requests": "write", "statuses": "write"})
    );
    assert!(
        workflow
            .triggers_with_types("pull_request_target")
            .contains(&"edited".to_owned()),
        "a pull request moved to another base is judged again"
    );
    let steps = job["steps"].as_array().expect("steps");
    for step in steps {
        let uses = step["uses"].as_str().unwrap_or_default();
        assert!(
            !uses.contains("artifact"),
            "nothing is carried in from another job: {uses}"
        );
        assert_ne!(
            step["working-directory"], "pr",
            "nothing runs in the pull request"
        );
        let script = step["run"].as_str().unwrap_or_default();
        let words: Vec<&str> = script.split_whitespace().collect();
        for (i, word) in words.iter().enumerate() {
            let runs_there = word.starts_with("pr/")
                || word.starts_with("./pr")
                || (*word == "pr" && i > 0 && words[i - 1] != "--catalogue");
            assert!(
                !runs_there,
                "the pull request's files are data, never run or entered: {word} in {script}"
            );
        }
    }
    let comment = steps
        .iter()
        .find(|s| s["name"] == "Post or update the review comment")
        .expect("the comment step");
    assert_eq!(
        comment["env"]["PR_NUMBER"],
        "${{ github.event.pull_request.number }}"
    );
}

#[test]
fn a_branch_behind_main_is_judged_on_its_own_changes() {
    let (repo, _, head) = pull_request(|repo| {
        repo.write(
            "catalogue/wiltshire/drone-flight-record.yaml",
            &near_copy(repo),
        );
    });
    // Meanwhile main moves on: an entry edited, the docs and the tool changed.
    repo.git(&["checkout", "-q", "main"]);
    repo.edit(DRONE, "phase: live", "phase: beta");
    repo.write("docs/guide.md", "# A guide\n");
    repo.write("src/new.rs", "// the tool moves on\n");
    let base = repo.commit_all("Main moves on", "Gate Keeper", "gk@nsi.police.example");
    let run = run_review(repo.path(), &base, &head, None);
    let (_, body) = comment(&run);
    assert!(run.success, "{body}");
    assert!(body.contains("**Changes:** 1 added"), "{body}");
    assert!(!body.contains("Rules and tooling changed"), "{body}");
    assert!(!body.contains("drone-flight-log` is deleted"), "{body}");
    assert!(!body.contains("removed"), "{body}");
}
