//! The weekly stale report as GitHub runs it: `.github/workflows/stale.yml`'s two jobs — the
//! report built with read access, then the issue opened or updated by a job that builds
//! nothing — carrying the report between them as an artifact, as the runner does.

use std::fs;
use std::path::Path;

use super::common::git::GitRepo;
use super::workflow::{Context, JobRun, Uses, Workflow, run_job};
use super::{checkout, show};

/// Copy the artifact's files into the store (upload) or the workspace (download).
fn artifact(uses: &Uses<'_>, store: &Path) {
    let name = uses.with.get("name").expect("an artifact name");
    let kept = store.join(name);
    match uses.action.as_str() {
        "actions/upload-artifact" => {
            fs::create_dir_all(&kept).expect("store");
            let path = uses.with.get("path").expect("a path");
            fs::copy(uses.workspace.join(path), kept.join(path)).expect("upload");
        }
        "actions/download-artifact" => {
            for file in fs::read_dir(&kept).expect("uploaded") {
                let file = file.expect("file");
                fs::copy(file.path(), uses.workspace.join(file.file_name())).expect("download");
            }
        }
        other => panic!("not an artifact action: {other}"),
    }
}

/// Run both jobs for the catalogue of `repo`, `issue` being the number of an open "Stale
/// entries" issue, if there is one.
fn run_weekly(repo: &GitRepo, issue: Option<&str>) -> (JobRun, JobRun) {
    let workflow = Workflow::read("stale.yml");
    assert!(workflow.triggers().contains(&"schedule".to_owned()));
    assert_eq!(workflow.permissions(), &serde_json::json!({}));
    assert_eq!(
        workflow.job("report")["permissions"],
        serde_json::json!({"contents": "read"}),
        "the job that builds cannot write"
    );
    assert_eq!(
        workflow.job("issue")["permissions"],
        serde_json::json!({"issues": "write"})
    );
    let head = repo.git(&["rev-parse", "HEAD"]).trim().to_owned();
    let store = tempfile::tempdir().expect("artifacts");
    let mut context = Context::default();
    context
        .github
        .insert("github.repository".into(), "police-nsi/index".into());
    context
        .github
        .insert("github.token".into(), "ghs_journeytoken".into());
    context
        .runner_env
        .insert("NSI_TODAY".into(), "2026-11-28".into());
    if let Some(issue) = issue {
        context
            .runner_env
            .insert("GH_FAKE_ISSUE".into(), issue.into());
    }
    let play = |uses: &Uses<'_>| match uses.action.as_str() {
        "actions/checkout" => checkout(uses, repo.path(), &head),
        "dtolnay/rust-toolchain" | "Swatinem/rust-cache" => {}
        "actions/upload-artifact" | "actions/download-artifact" => artifact(uses, store.path()),
        other => panic!("stale.yml uses {other}, which the journey does not know"),
    };
    let first = tempfile::tempdir().expect("workspace");
    let report = run_job(&workflow, "report", first.path(), &context, play);
    for (key, value) in &report.outputs {
        context
            .needs
            .insert(format!("needs.report.outputs.{key}"), value.clone());
    }
    // A job of its own runs on a fresh runner: nothing of the first workspace but the artifact.
    let second = tempfile::tempdir().expect("workspace");
    let issue_job = run_job(&workflow, "issue", second.path(), &context, play);
    for step in report.steps.iter().chain(&issue_job.steps) {
        show(
            &format!("step: {} (exit {})", step.name, step.code),
            &format!("{}{}", step.stdout, step.stderr),
        );
    }
    (report, issue_job)
}

#[test]
fn the_weekly_report_opens_then_updates_the_stale_entries_issue() {
    let repo = GitRepo::shipped();
    // One contact expired, so there is something to chase.
    repo.edit(
        "catalogue/avon-and-somerset/drone-flight-log.yaml",
        "valid_until: '2027-04-30'",
        "valid_until: '2026-10-01'",
    );
    repo.commit_all("A contact moved on", "Ada Admin", "ada@nsi.police.example");

    let (report, issue) = run_weekly(&repo, None);
    assert!(report.success && issue.success);
    let count: usize = report.outputs["stale_count"].parse().expect("a count");
    assert!(count >= 1, "{:?}", report.outputs);
    assert!(
        report.summary.contains("drone-flight-log"),
        "{}",
        report.summary
    );
    let calls = issue.gh_calls();
    let create = calls
        .iter()
        .find(|c| c.starts_with("issue\ncreate\n"))
        .unwrap_or_else(|| panic!("no issue opened: {calls:?}"));
    assert!(create.contains("--title\nStale entries\n"), "{create}");
    let body = create.split_once("--- body\n").expect("a body").1;
    show("the issue", body);
    assert!(body.contains("drone-flight-log"), "{body}");
    assert!(body.contains("2026-10-01"), "{body}");

    // The next week the open issue is edited in place.
    let (_, issue) = run_weekly(&repo, Some("12"));
    let calls = issue.gh_calls();
    assert!(
        calls.iter().any(|c| c.starts_with("issue\nedit\n12\n")),
        "{calls:?}"
    );
    assert!(!calls.iter().any(|c| c.starts_with("issue\ncreate\n")));
}
