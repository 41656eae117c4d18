//! Journeys: the whole paths people walk with nsi, driven through the real binary in real git
//! repositories (a bare `file://` remote for publishing), a real terminal (tmux) for the
//! questions, and the workflows' own `run:` scripts with the environment GitHub gives them.
//! Each journey prints what a person would read and asserts on the words that matter.
//!
//! - `submitter`: a force engineer's `nsi add` (guided) → `nsi validate` → `nsi publish` →
//!   the review the gatekeeper sees on the pull request.
//! - `pull_request`: `.github/workflows/review.yml` as GitHub runs it on a pull request, for a
//!   near duplicate and for the attacks a hostile submitter would try.
//! - `weekly`: `.github/workflows/stale.yml`.
//! - `pages`: `.github/workflows/pages.yml`'s site build, and what leaves public view.
//! - `abandoned`: a guided `nsi add` left half way or declined, and its resumption.
//! - `fresh`: a fresh clone with no cache and no history, and the README's own commands.
//! - `schema_change`: a maintainer's schema change to 2.0.0 and the migration pull request
//!   `nsi review` recognises.
//! - `action`: the reusable GitHub Action (`action.yml`) on a pull request and on a push.
//! - `azure`: `azure-pipelines/review.yml` and `validate.yml` as an Azure Pipelines agent runs
//!   them, the review posted to a recording stand-in of Azure DevOps.

#[path = "../common/mod.rs"]
mod common;

mod abandoned;
mod action;
mod azure;
mod fresh;
mod pages;
mod pull_request;
mod schema_change;
mod submitter;
mod weekly;
mod workflow;

use std::path::Path;

use common::git::git_in;

/// What `actions/checkout` leaves: a clone of `repo` in `dest`, at `sha` (detached), with
/// every branch fetched, and no credentials (`persist-credentials: false` is required).
pub(crate) fn checkout(uses: &workflow::Uses<'_>, repo: &Path, sha: &str) {
    assert_eq!(uses.action, "actions/checkout");
    assert_eq!(
        uses.with.get("persist-credentials").map(String::as_str),
        Some("false"),
        "every checkout leaves no credentials behind"
    );
    assert!(
        uses.reference.len() == 40 && uses.reference.chars().all(|c| c.is_ascii_hexdigit()),
        "actions are pinned to a commit, not `{}`",
        uses.reference
    );
    let dest = uses
        .with
        .get("path")
        .map_or_else(|| uses.workspace.to_path_buf(), |p| uses.workspace.join(p));
    std::fs::create_dir_all(&dest).expect("checkout folder");
    git_in(&dest, &["init", "-q"]);
    let url = format!("file://{}", repo.display());
    git_in(&dest, &["remote", "add", "origin", &url]);
    git_in(
        &dest,
        &[
            "fetch",
            "-q",
            "origin",
            "+refs/heads/*:refs/remotes/origin/*",
        ],
    );
    git_in(&dest, &["checkout", "-q", "--detach", sha]);
}

/// Show what a person would read, so a failing journey's log tells its story.
pub(crate) fn show(what: &str, text: &str) {
    println!("──── {what} ────\n{text}");
}
