//! `nsi publish` against real git repositories and bare `file://` remotes.

mod common;

use common::git::{GitRepo, git_in};
use common::{nsi, stdout_of};
use predicates::str::contains;

const DRONE: &str = "catalogue/avon-and-somerset/drone-flight-log.yaml";

/// A repository with a remote, an edited entry, an unrelated dirty file, an unrelated staged
/// file and an unrelated untracked file.
fn busy_repo() -> (GitRepo, tempfile::TempDir) {
    let repo = GitRepo::shipped();
    let remote = repo.add_bare_remote("origin");
    repo.edit(DRONE, "phase: live", "phase: beta");
    repo.edit("schema/reference/forces.yaml", "\n", "\n# a local note\n");
    repo.write("staged-notes.txt", "staged, not to be published\n");
    repo.git(&["add", "staged-notes.txt"]);
    repo.write("scratch.txt", "untracked scratch\n");
    (repo, remote)
}

#[test]
fn publishing_commits_only_the_entry_on_its_own_branch_and_pushes_it() {
    let (repo, remote) = busy_repo();
    let status_before = repo.git(&["status", "--porcelain"]);
    let head_before = repo.git(&["rev-parse", "HEAD"]);

    let out = stdout_of(nsi(repo.path()).args(["publish", "drone-flight-log"]));
    assert!(
        out.contains("Pushed nsi/drone-flight-log to origin."),
        "{out}"
    );
    assert!(out.contains("You are still on main"), "{out}");

    // The branch and commit arrived at the remote, holding only the entry file.
    let log = git_in(
        remote.path(),
        &["log", "--format=%s", "nsi/drone-flight-log"],
    );
    assert_eq!(
        log.lines().collect::<Vec<_>>(),
        [
            "Update solution: Drone Unit Flight Log (drone-flight-log)",
            "Initial catalogue"
        ]
    );
    let files = git_in(
        remote.path(),
        &["show", "--name-only", "--format=", "nsi/drone-flight-log"],
    );
    assert_eq!(files.trim(), DRONE);
    let published = git_in(
        remote.path(),
        &["show", &format!("nsi/drone-flight-log:{DRONE}")],
    );
    assert_eq!(published, repo.read(DRONE));
    let author = git_in(
        remote.path(),
        &["log", "-1", "--format=%an <%ae>", "nsi/drone-flight-log"],
    );
    assert_eq!(
        author.trim(),
        "Test Publisher <publisher@force.police.example>"
    );

    // The user's branch, index and working tree are exactly as they were.
    assert_eq!(
        repo.git(&["rev-parse", "--abbrev-ref", "HEAD"]).trim(),
        "main"
    );
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head_before);
    assert_eq!(repo.git(&["status", "--porcelain"]), status_before);
    assert!(
        repo.git(&["diff", "--cached", "--name-only"])
            .contains("staged-notes.txt")
    );
    assert!(
        repo.read("schema/reference/forces.yaml")
            .contains("# a local note")
    );
}

#[test]
fn a_new_entry_is_added_and_a_dry_run_changes_nothing() {
    let repo = GitRepo::shipped();
    let remote = repo.add_bare_remote("origin");
    let new_entry = repo
        .read(DRONE)
        .replace("id: drone-flight-log", "id: drone-battery-tracker")
        .replace(
            "title: Drone Unit Flight Log",
            "title: Drone Battery Tracker",
        )
        .replace(
            "documentation:\n",
            "documentation:\n  - type: business-case\n    availability: on-request\n    classification: official\n",
        );
    repo.write(
        "catalogue/avon-and-somerset/drone-battery-tracker.yaml",
        &new_entry,
    );

    let dry = stdout_of(nsi(repo.path()).args(["publish", "--dry-run"]));
    assert!(dry.contains("Would publish 1 entry"), "{dry}");
    assert!(dry.contains("add     drone-battery-tracker"), "{dry}");
    assert!(
        dry.contains("Commit: Add solution: Drone Battery Tracker (drone-battery-tracker)"),
        "{dry}"
    );
    assert!(repo.git(&["branch", "--list", "nsi/*"]).trim().is_empty());
    assert!(
        git_in(remote.path(), &["branch", "--list", "nsi/*"])
            .trim()
            .is_empty()
    );

    nsi(repo.path())
        .args(["publish", "--branch", "nsi/battery"])
        .assert()
        .success();
    let files = git_in(
        remote.path(),
        &["show", "--name-status", "--format=%s", "nsi/battery"],
    );
    assert!(
        files.starts_with("Add solution: Drone Battery Tracker (drone-battery-tracker)"),
        "{files}"
    );
    assert!(
        files.contains("A\tcatalogue/avon-and-somerset/drone-battery-tracker.yaml"),
        "{files}"
    );
    assert_eq!(
        files.lines().filter(|l| l.contains('\t')).count(),
        1,
        "{files}"
    );
}

#[test]
fn invalid_entries_are_refused_before_anything_is_written() {
    let repo = GitRepo::shipped();
    let remote = repo.add_bare_remote("origin");
    repo.edit(DRONE, "phase: live", "phase: launched");
    nsi(repo.path())
        .args(["publish", "drone-flight-log"])
        .assert()
        .code(1)
        .stdout(contains("drone-flight-log.yaml:"))
        .stderr(contains("nothing was committed"));
    assert!(repo.git(&["branch", "--list", "nsi/*"]).trim().is_empty());
    assert!(
        git_in(remote.path(), &["branch", "--list", "nsi/*"])
            .trim()
            .is_empty()
    );
}

#[test]
fn a_rejected_push_keeps_the_branch_and_never_forces() {
    let (repo, remote) = busy_repo();
    // Someone else already pushed a different nsi/drone-flight-log.
    let other = tempfile::tempdir().expect("temp dir");
    let url = format!("file://{}", remote.path().display());
    git_in(other.path(), &["clone", "-q", &url, "clone"]);
    let clone = other.path().join("clone");
    git_in(&clone, &["checkout", "-q", "-b", "nsi/drone-flight-log"]);
    std::fs::write(clone.join("theirs.txt"), "theirs\n").expect("write");
    git_in(&clone, &["add", "theirs.txt"]);
    git_in(
        &clone,
        &[
            "-c",
            "user.name=Other",
            "-c",
            "user.email=o@x.example",
            "commit",
            "-q",
            "-m",
            "theirs",
        ],
    );
    git_in(&clone, &["push", "-q", "origin", "nsi/drone-flight-log"]);
    let theirs = git_in(remote.path(), &["rev-parse", "nsi/drone-flight-log"]);

    nsi(repo.path())
        .args(["publish", "drone-flight-log"])
        .assert()
        .code(2)
        .stderr(contains("the push to origin failed"))
        .stderr(contains("the branch nsi/drone-flight-log and its commit"))
        .stderr(contains("git push origin nsi/drone-flight-log"));
    // Not forced: the remote still has their commit; ours is kept locally.
    assert_eq!(
        git_in(remote.path(), &["rev-parse", "nsi/drone-flight-log"]),
        theirs
    );
    let ours = repo.git(&["log", "-1", "--format=%s", "nsi/drone-flight-log"]);
    assert_eq!(
        ours.trim(),
        "Update solution: Drone Unit Flight Log (drone-flight-log)"
    );
    assert_eq!(
        repo.git(&["rev-parse", "--abbrev-ref", "HEAD"]).trim(),
        "main"
    );
}

#[test]
fn an_unreachable_remote_keeps_the_commit_and_a_retry_pushes_it() {
    let (repo, remote) = busy_repo();
    let url = format!("file://{}", remote.path().display());
    repo.git(&["remote", "set-url", "origin", "file:///nonexistent/nsi.git"]);
    nsi(repo.path())
        .args(["publish", "drone-flight-log"])
        .assert()
        .code(2)
        .stderr(contains("the push to origin failed"))
        .stderr(contains("run the same nsi publish again"));
    let commit = repo.git(&["rev-parse", "nsi/drone-flight-log"]);

    repo.git(&["remote", "set-url", "origin", &url]);
    let out = stdout_of(nsi(repo.path()).args(["publish", "drone-flight-log"]));
    assert!(out.contains("nothing new to commit"), "{out}");
    assert!(!out.contains("Committed"), "{out}");
    assert_eq!(
        git_in(remote.path(), &["rev-parse", "nsi/drone-flight-log"]),
        commit
    );
}

/// Refusals leave everything as it was: the branch where it was, nothing at the remote.
fn assert_refused_as_checked_out(repo: &GitRepo, remote: &std::path::Path, worktree: &str) {
    let tip_before = repo.git(&["rev-parse", "nsi/drone-flight-log"]);
    for args in [
        vec!["publish", "drone-flight-log", "--dry-run"],
        vec!["publish", "drone-flight-log"],
    ] {
        let output = nsi(repo.path()).args(&args).output().expect("run");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("branch nsi/drone-flight-log is checked out in"),
            "{stderr}"
        );
        assert!(stderr.contains(worktree), "names {worktree}: {stderr}");
        assert!(
            stderr.contains("nothing was committed or pushed"),
            "{stderr}"
        );
        assert!(stderr.contains("switch main"), "says what to do: {stderr}");
    }
    assert_eq!(
        repo.git(&["rev-parse", "nsi/drone-flight-log"]),
        tip_before,
        "the branch did not move"
    );
    let at_remote = git_in(remote, &["branch", "--list", "nsi/drone-flight-log"]);
    assert!(at_remote.is_empty(), "nothing was pushed: {at_remote}");
}

#[test]
fn publishing_refuses_the_branch_checked_out_in_the_main_working_tree() {
    let (repo, remote) = busy_repo();
    // The user switched to the publish branch, taking the edit along.
    repo.git(&["switch", "-q", "-c", "nsi/drone-flight-log"]);
    let status_before = repo.git(&["status", "--porcelain"]);
    let workdir = std::fs::canonicalize(repo.path()).expect("path");
    assert_refused_as_checked_out(&repo, remote.path(), &workdir.display().to_string());
    assert_eq!(repo.git(&["status", "--porcelain"]), status_before);
    // On another branch, the same command publishes.
    repo.git(&["switch", "-q", "main"]);
    let out = stdout_of(nsi(repo.path()).args(["publish", "drone-flight-log"]));
    assert!(out.contains("Pushed nsi/drone-flight-log"), "{out}");
}

#[test]
fn publishing_refuses_the_branch_checked_out_in_a_linked_worktree() {
    let (repo, remote) = busy_repo();
    let parent = tempfile::tempdir().expect("temp dir");
    let linked = parent.path().join("linked");
    repo.git(&[
        "worktree",
        "add",
        "-q",
        "-b",
        "nsi/drone-flight-log",
        linked.to_str().expect("utf-8"),
    ]);
    let linked = std::fs::canonicalize(&linked).expect("path");
    assert_refused_as_checked_out(&repo, remote.path(), &linked.display().to_string());
    // The linked working tree is as it was: clean, on its branch.
    assert_eq!(git_in(&linked, &["status", "--porcelain"]), "");
    // Once that worktree is gone, publishing works.
    repo.git(&["worktree", "remove", linked.to_str().expect("utf-8")]);
    let out = stdout_of(nsi(repo.path()).args(["publish", "drone-flight-log"]));
    assert!(out.contains("Pushed nsi/drone-flight-log"), "{out}");
}

#[test]
fn a_token_in_the_remote_url_is_never_printed() {
    let (repo, _remote) = busy_repo();
    // Nothing listens on port 9: the push fails fast, and git's own error names the URL (the
    // query string in full: git masks only a password).
    for (url, secrets) in [
        (
            "https://x-access-token:SECRET123@127.0.0.1:9/police/nsi.git",
            &["SECRET123"][..],
        ),
        (
            "https://127.0.0.1:9/police/nsi.git?access_token=QUERY456",
            &["QUERY456"][..],
        ),
        (
            "https://x:pa'ss\"wo rd789@127.0.0.1:9/police/nsi.git",
            &["pa'ss", "wo rd789"][..],
        ),
        (
            "https://x:it%27s42@127.0.0.1:9/police/nsi.git",
            &["it%27s42", "it's42"][..],
        ),
        (
            "user:SCP5TOKEN@127.0.0.1:police/nsi.git",
            &["SCP5TOKEN"][..],
        ),
    ] {
        repo.git(&["remote", "set-url", "origin", url]);
        for args in [
            vec!["publish", "--dry-run"],
            vec!["publish", "drone-flight-log"],
        ] {
            let output = nsi(repo.path())
                .args(&args)
                .env(
                    "GIT_SSH_COMMAND",
                    "ssh -o BatchMode=yes -o ConnectTimeout=2",
                )
                .output()
                .expect("run");
            let all = format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
            for secret in secrets {
                assert!(
                    !all.contains(secret),
                    "{url}: {args:?} printed {secret}: {all}"
                );
            }
            assert!(all.contains("127.0.0.1"), "{url}: {all}");
            if args[1] != "--dry-run" {
                assert!(all.contains("the push to origin failed"), "{url}: {all}");
            }
        }
    }
}

#[test]
fn nothing_to_publish_and_unknown_remotes_are_usage_errors() {
    let repo = GitRepo::shipped();
    repo.add_bare_remote("origin");
    nsi(repo.path())
        .args(["publish"])
        .assert()
        .code(2)
        .stderr(contains("nothing to publish"));
    nsi(repo.path())
        .args(["publish", "drone-flight-log"])
        .assert()
        .code(2)
        .stderr(contains("`drone-flight-log` has no changes to publish"));
    repo.edit(DRONE, "phase: live", "phase: beta");
    nsi(repo.path())
        .args(["publish", "--remote", "upstream"])
        .assert()
        .code(2)
        .stderr(contains("there is no remote named `upstream`"));
}

#[test]
fn the_gatekeepers_review_is_shown_and_a_blocker_stops_the_push_unless_allowed() {
    let repo = GitRepo::shipped();
    let remote = repo.add_bare_remote("origin");
    // A near copy of an entry, without the documents the minimum standard asks for.
    let copy = repo
        .read(DRONE)
        .replace("id: drone-flight-log", "id: drone-log-copy")
        .replace(
            "  - type: business-case\n    availability: on-request\n    classification: official\n",
            "",
        );
    repo.write("catalogue/avon-and-somerset/drone-log-copy.yaml", &copy);

    let refused = nsi(repo.path())
        .args(["publish", "drone-log-copy"])
        .output()
        .expect("run");
    assert_eq!(refused.status.code(), Some(1));
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        said.contains(
            "The gatekeeper's review (nsi review origin/main nsi/drone-log-copy): 1 blocker to fix"
        ),
        "{said}"
    );
    assert!(
        said.contains("blocker: drone-log-copy: at least one of business-case"),
        "{said}"
    );
    assert!(
        said.contains("possible duplicate: drone-log-copy resembles drone-flight-log"),
        "{said}"
    );
    assert!(
        said.contains("nothing was pushed and no branch was changed"),
        "{said}"
    );
    assert!(repo.git(&["branch", "--list", "nsi/*"]).trim().is_empty());
    assert!(
        git_in(remote.path(), &["branch", "--list", "nsi/*"])
            .trim()
            .is_empty()
    );

    let allowed = nsi(repo.path())
        .args(["publish", "drone-log-copy", "--allow-blockers"])
        .output()
        .expect("run");
    assert_eq!(
        allowed.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&allowed.stderr)
    );
    assert!(String::from_utf8_lossy(&allowed.stderr).contains("1 blocker to fix"));
    assert!(git_in(remote.path(), &["branch", "--list"]).contains("nsi/drone-log-copy"));
}

/// A token pasted into an entry is an error (NSI217): publish refuses it before anything is
/// committed, whatever else the entry says; a personal address alone would only be warned of.
#[test]
fn an_entry_holding_a_github_token_is_refused_and_nothing_is_pushed() {
    let repo = GitRepo::shipped();
    let remote = repo.add_bare_remote("origin");
    let text = repo.read(DRONE);
    let email = text
        .lines()
        .find_map(|line| line.trim().strip_prefix("email: "))
        .expect("a contact's email")
        .to_owned();
    repo.write(
        DRONE,
        &text.replace(&email, "drone.team@gmail.com").replacen(
            "rationale: ",
            "rationale: Our CI uses ghp_abcdefghijklmnopqrstuvwxyz0123456789 to clone. ",
            1,
        ),
    );
    let refused = nsi(repo.path())
        .args(["publish", "drone-flight-log"])
        .output()
        .expect("run");
    let (out, err) = (
        String::from_utf8_lossy(&refused.stdout),
        String::from_utf8_lossy(&refused.stderr),
    );
    assert_eq!(refused.status.code(), Some(1), "{out}\n{err}");
    assert!(
        out.contains("error[NSI217]") && out.contains("a GitHub token"),
        "{out}\n{err}"
    );
    assert!(out.contains("warning[NSI218]"), "{out}\n{err}");
    assert!(err.contains("nothing was committed"), "{err}");
    assert!(repo.git(&["branch", "--list", "nsi/*"]).trim().is_empty());
    assert!(
        git_in(remote.path(), &["branch", "--list", "nsi/*"])
            .trim()
            .is_empty()
    );
}
