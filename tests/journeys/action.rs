//! The reusable GitHub Action (`action.yml`, composite) as a workflow step that `uses:` it
//! runs it: its own `run:` scripts, through the journeys' runner, on a pull request (nsi built
//! from the action's checkout) and on a push (a released nsi downloaded from a server on the
//! loopback address, its checksum checked with the real `sha256sum`, unpacked with the real
//! `tar`).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use super::common::REPO;
use super::common::git::{GitRepo, git_in};
use super::common::http::{LoopbackServer, Reply};
use super::show;
use super::workflow::{Action, Context, JobRun, run_action};

const VERSION: &str = "v9.9.9";
const TARGET: &str = "x86_64-unknown-linux-gnu";

fn entry(id: &str, force: &str) -> String {
    std::fs::read_to_string(Path::new(REPO).join("tests/data/minimal-entry.yaml"))
        .expect("template")
        .replace("ID", id)
        .replace("FORCE", force)
}

/// What `actions/checkout` leaves for a pull request with `fetch-depth: 0`: a clone of
/// `repo` at `sha`, every commit fetched.
fn checkout(repo: &Path, sha: &str) -> tempfile::TempDir {
    let workspace = tempfile::tempdir().expect("workspace");
    git_in(workspace.path(), &["init", "-q"]);
    let url = format!("file://{}", repo.display());
    git_in(workspace.path(), &["remote", "add", "origin", &url]);
    git_in(
        workspace.path(),
        &[
            "fetch",
            "-q",
            "origin",
            "+refs/heads/*:refs/remotes/origin/*",
        ],
    );
    git_in(workspace.path(), &["checkout", "-q", "--detach", sha]);
    workspace
}

/// The action's own checkout (`github.action_path`): a folder holding action.yml, where the
/// journey's `cargo` leaves the nsi under test as `target/release/nsi`.
fn action_checkout() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("action checkout");
    std::fs::copy(
        Path::new(REPO).join("action.yml"),
        dir.path().join("action.yml"),
    )
    .expect("action.yml");
    dir
}

fn context(github: &[(&str, &str)]) -> Context {
    let mut context = Context::default();
    for (key, value) in github {
        context
            .github
            .insert((*key).to_owned(), (*value).to_owned());
    }
    for key in [
        "github.event.pull_request.base.sha",
        "github.event.pull_request.head.sha",
        "github.action_repository",
        "github.server_url",
    ] {
        context.github.entry(key.to_owned()).or_default();
    }
    context
        .runner_env
        .insert("NSI_TODAY".to_owned(), "2026-11-28".to_owned());
    context
}

fn shown(run: &JobRun) {
    for step in &run.steps {
        show(
            &format!("action step: {} (exit {})", step.name, step.code),
            &format!("{}{}", step.stdout, step.stderr),
        );
    }
}

#[test]
fn on_a_pull_request_findings_become_annotations_and_the_review_goes_to_the_summary() {
    let repo = GitRepo::shipped();
    let base = repo.git(&["rev-parse", "HEAD"]).trim().to_owned();
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write(
        "catalogue/kent/alpha-tool.yaml",
        &entry("alpha-tool", "essex"),
    );
    let head = repo.commit_all("A new entry", "Bea Editor", "bea@force.police.example");
    let workspace = checkout(repo.path(), &head);
    let action_path = action_checkout();
    let run = run_action(
        &Action::read("action.yml"),
        &BTreeMap::from([("catalogue".to_owned(), ".".to_owned())]),
        action_path.path(),
        workspace.path(),
        &context(&[
            ("github.event_name", "pull_request"),
            ("github.event.pull_request.base.sha", &base),
            ("github.event.pull_request.head.sha", &head),
        ]),
    );
    shown(&run);
    assert!(!run.success, "an error fails the step");
    assert_eq!(run.steps[0].code, 0, "nsi built from the action's checkout");
    assert!(
        action_path.path().join("target/release/nsi").exists(),
        "built in the action's checkout, not the workspace"
    );
    let validate = &run.steps[1];
    assert!(
        validate.stdout.contains(
            "::error file=catalogue/kent/alpha-tool.yaml,line=5,col=14,title=NSI202::the owner \
             force `essex` differs from the folder `kent/`"
        ),
        "{}",
        validate.stdout
    );
    assert_eq!(run.outputs["validate-status"], "1");
    assert_eq!(
        run.outputs["review-status"], "1",
        "a new entry with an error is a blocker"
    );
    let review = std::fs::read_to_string(&run.outputs["review"]).expect("the review's file");
    assert!(review.starts_with("<!-- nsi-review -->"), "{review}");
    assert!(run.summary.contains("NSI review"), "{}", run.summary);
    assert!(run.summary.contains("alpha-tool"), "{}", run.summary);
    let last = run.steps.last().expect("steps");
    assert!(
        last.stdout.contains("::error::nsi validate found errors")
            && last.stdout.contains("::error::the review found blockers"),
        "{}",
        last.stdout
    );
}

/// A release of nsi as the release workflow packages it: `nsi-<VERSION>-<TARGET>.tar.gz`
/// holding `nsi-<VERSION>-<TARGET>/nsi`, and its `.sha256` (from the real `sha256sum`).
fn release_package() -> (Vec<u8>, Vec<u8>) {
    let dir = tempfile::tempdir().expect("package");
    let package = format!("nsi-{VERSION}-{TARGET}");
    std::fs::create_dir_all(dir.path().join(&package)).expect("mkdir");
    std::fs::copy(
        assert_cmd::cargo::cargo_bin("nsi"),
        dir.path().join(&package).join("nsi"),
    )
    .expect("the binary");
    let tarball = format!("{package}.tar.gz");
    let tar = Command::new("tar")
        .args(["-czf", &tarball, &package])
        .current_dir(dir.path())
        .status()
        .expect("tar");
    assert!(tar.success());
    let sum = Command::new("sha256sum")
        .arg(&tarball)
        .current_dir(dir.path())
        .output()
        .expect("sha256sum");
    assert!(sum.status.success());
    (
        std::fs::read(dir.path().join(&tarball)).expect("tarball"),
        sum.stdout,
    )
}

/// Run the action on a push to the shipped catalogue, installing `VERSION` from a release
/// server on the loopback address that serves `tarball` and `checksum`.
fn install_and_validate(tarball: Vec<u8>, checksum: Vec<u8>) -> (JobRun, Vec<String>) {
    let prefix = format!("/police-nsi/nsi/releases/download/{VERSION}/nsi-{VERSION}-{TARGET}");
    let server = LoopbackServer::start(move |request| {
        if request.path == format!("{prefix}.tar.gz") {
            Reply::bytes(200, tarball.clone())
        } else if request.path == format!("{prefix}.tar.gz.sha256") {
            Reply::bytes(200, checksum.clone())
        } else {
            Reply::bytes(404, b"not found".to_vec())
        }
    });
    let repo = GitRepo::shipped();
    let head = repo.git(&["rev-parse", "HEAD"]).trim().to_owned();
    let workspace = checkout(repo.path(), &head);
    let action_path = action_checkout();
    let run = run_action(
        &Action::read("action.yml"),
        &BTreeMap::from([("version".to_owned(), VERSION.to_owned())]),
        action_path.path(),
        workspace.path(),
        &context(&[
            ("github.event_name", "push"),
            ("github.server_url", &server.url),
            ("github.action_repository", "police-nsi/nsi"),
        ]),
    );
    shown(&run);
    let paths = server.requests().into_iter().map(|r| r.path).collect();
    (run, paths)
}

#[test]
fn on_a_push_a_released_nsi_is_installed_checked_and_run() {
    let (tarball, checksum) = release_package();
    let (run, paths) = install_and_validate(tarball, checksum);
    assert!(run.success, "a valid catalogue passes");
    assert_eq!(
        paths,
        [
            format!("/police-nsi/nsi/releases/download/{VERSION}/nsi-{VERSION}-{TARGET}.tar.gz"),
            format!(
                "/police-nsi/nsi/releases/download/{VERSION}/nsi-{VERSION}-{TARGET}.tar.gz.sha256"
            ),
        ]
    );
    assert!(
        run.steps[0].stdout.contains(": OK"),
        "{}",
        run.steps[0].stdout
    );
    let validate = &run.steps[1];
    assert!(
        validate.stdout.starts_with("nsi "),
        "the installed nsi ran: {}",
        validate.stdout
    );
    assert!(
        validate.stdout.contains(" checked, 0 errors"),
        "{}",
        validate.stdout
    );
    assert!(
        run.steps[2]
            .stdout
            .contains("not a pull request (push): no review"),
        "{}",
        run.steps[2].stdout
    );
    assert_eq!(run.outputs["review"], "");
}

#[test]
fn a_release_that_does_not_match_its_checksum_is_never_run() {
    let (mut tarball, checksum) = release_package();
    let last = tarball.len() - 1;
    tarball[last] ^= 0xff;
    let (run, _) = install_and_validate(tarball, checksum);
    assert!(!run.success);
    assert!(
        run.steps[0]
            .stdout
            .contains("does not match its published SHA-256 checksum"),
        "{}",
        run.steps[0].stdout
    );
    assert!(
        run.steps.iter().skip(1).all(|step| !step.ran),
        "nothing runs after a failed install"
    );
}

#[test]
fn a_mode_that_does_not_exist_is_refused() {
    let repo = GitRepo::shipped();
    let head = repo.git(&["rev-parse", "HEAD"]).trim().to_owned();
    let workspace = checkout(repo.path(), &head);
    let action_path = action_checkout();
    let run = run_action(
        &Action::read("action.yml"),
        &BTreeMap::from([("mode".to_owned(), "everything".to_owned())]),
        action_path.path(),
        workspace.path(),
        &context(&[("github.event_name", "push")]),
    );
    assert!(!run.success);
    assert!(
        run.steps[0]
            .stdout
            .contains("::error::mode is 'everything': use auto, validate or review"),
        "{}",
        run.steps[0].stdout
    );
}
