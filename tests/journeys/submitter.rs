//! A force engineer's whole path: describe the solution with the guided `nsi add` in a real
//! terminal, check it with `nsi validate`, send it with `nsi publish` to a real remote — seeing
//! first what the gatekeeper will see — and then the review the gatekeeper reads on the pull
//! request, made by the workflow from what arrived at the remote.

use std::path::Path;

use super::common::git::{GitRepo, git_in};
use super::common::{Tmux, nsi, wait_for_file};
use super::pull_request::{comment, run_review};
use super::show;

const ENTRY: &str = "catalogue/kent/speech-to-text-for-witness-statements.yaml";
const BRANCH: &str = "nsi/speech-to-text-for-witness-statements";

/// The guided questions, answered for a new solution.
fn answer_every_question(tmux: &Tmux) {
    tmux.answer(
        "Title of the solution:",
        &["Speech to text for witness statements", "Enter"],
    );
    tmux.answer("Owning force", &["(kent)", "Enter"]);
    tmux.answer(
        "Summary",
        &["Officers dictate witness statements on a phone and get an editable transcript in Niche.", "Enter"],
    );
    tmux.answer(
        "Problem it addresses",
        &[
            "Typing statements takes officers hours each week and delays files reaching the CPS, so victims wait longer for charging decisions.",
            "Enter",
        ],
    );
    tmux.answer("Categories (1 to 3)", &["public-contact", "Space", "Enter"]);
    tmux.answer("Phase:", &["beta", "Enter"]);
    tmux.answer("Technology stack", &["Python, Azure Speech", "Enter"]);
    tmux.answer("Deployment:", &["cloud", "Enter"]);
    tmux.answer("Licence", &["Enter"]);
    tmux.answer("Does it use AI", &["assists", "Enter"]);
    tmux.answer("DDaT role family", &["software", "Enter"]);
    tmux.answer("Level needed", &["working", "Enter"]);
    tmux.answer("Another skill?", &["n", "Enter"]);
    tmux.answer(
        "Documents you can share",
        &["technical-blueprint", "Space", "Enter"],
    );
    tmux.answer(
        "How can others get the technical-blueprint?",
        &["on-request", "Enter"],
    );
    tmux.answer("Contact's name", &["Sam Example", "Enter"]);
    tmux.answer("Contact's role", &["Enter"]);
    tmux.answer(
        "Contact's work email",
        &["sam.example@kent.police.example", "Enter"],
    );
    tmux.answer("Aftercare you offer", &["light", "Enter"]);
    tmux.answer("Who may see the entry?", &["policing", "Enter"]);
    tmux.answer(
        "Why does it belong in the index?",
        &["Other forces type statements by hand and could reuse the model and the Niche integration.", "Enter"],
    );
    tmux.answer(&format!("Write {ENTRY}?"), &["Enter"]);
}

#[test]
fn a_submitter_adds_validates_publishes_and_the_gatekeeper_reviews() {
    let repo = GitRepo::shipped();
    let workflow = std::fs::read_to_string(
        Path::new(super::common::REPO).join(".github/workflows/review.yml"),
    )
    .expect("review.yml");
    repo.write(".github/workflows/review.yml", &workflow);
    repo.commit_all(
        "The review workflow",
        "Gate Keeper",
        "gk@nsi.police.example",
    );
    let remote = repo.add_bare_remote("origin");

    // 1. nsi add, answered in a terminal.
    let code = repo.path().join(".git/add-code");
    let binary = assert_cmd::cargo::cargo_bin("nsi");
    let tmux = Tmux::start(
        repo.path(),
        &format!(
            "NSI_TODAY=2026-11-28 NSI_INDEX_IN_BACKGROUND=false NO_COLOR=1 '{}' add; echo $? > '{}'; sleep 60",
            binary.display(),
            code.display()
        ),
    );
    answer_every_question(&tmux);
    assert_eq!(wait_for_file(&code).trim(), "0", "{}", tmux.screen());
    let screen = tmux.screen();
    show("nsi add", &screen);
    assert!(screen.contains(ENTRY), "{screen}");

    // 2. nsi validate: the new entry is valid.
    let validate = nsi(repo.path()).arg("validate").output().expect("run");
    show("nsi validate", &String::from_utf8_lossy(&validate.stderr));
    assert_eq!(validate.status.code(), Some(0));

    // 3. nsi publish: the gatekeeper's view first, then the push.
    let publish = nsi(repo.path()).arg("publish").output().expect("run");
    let said = String::from_utf8_lossy(&publish.stderr);
    let printed = String::from_utf8_lossy(&publish.stdout);
    show("nsi publish", &format!("{said}{printed}"));
    assert_eq!(publish.status.code(), Some(0), "{said}");
    assert!(
        said.contains(&format!(
            "The gatekeeper's review (nsi review origin/main {BRANCH}): ready for the gatekeeper: no blockers"
        )),
        "{said}"
    );
    assert!(
        printed.contains(&format!("Pushed {BRANCH} to origin.")),
        "{printed}"
    );
    assert_eq!(
        repo.git(&["rev-parse", "--abbrev-ref", "HEAD"]).trim(),
        "main",
        "the submitter's own branch is untouched"
    );

    // 4. The pull request: the review workflow, on what arrived at the remote.
    let base = git_in(remote.path(), &["rev-parse", "main"])
        .trim()
        .to_owned();
    let head = git_in(remote.path(), &["rev-parse", BRANCH])
        .trim()
        .to_owned();
    let run = run_review(remote.path(), &base, &head, None);
    assert!(run.success);
    let (_, body) = comment(&run);
    assert!(
        body.contains("## ✅ NSI review: ready for the gatekeeper: no blockers"),
        "{body}"
    );
    assert!(
        body.contains("### Minimum standards: `speech-to-text-for-witness-statements`"),
        "{body}"
    );
    assert!(
        body.contains("#### Added: `speech-to-text-for-witness-statements` — Speech to text for witness statements"),
        "{body}"
    );
    assert!(!body.contains("Rules and tooling changed"), "{body}");
}
