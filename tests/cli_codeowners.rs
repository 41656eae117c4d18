//! `nsi codeowners`: generated from the forces list, checked in CI.

mod common;

use common::{nsi, shipped, stdout_of};
use predicates::str::contains;

#[test]
fn codeowners_is_written_checked_and_matches_the_committed_file() {
    let dir = shipped();
    nsi(dir.path())
        .args(["codeowners", "--check"])
        .assert()
        .code(1)
        .stderr(contains("missing or out of date"));
    nsi(dir.path()).args(["codeowners"]).assert().success();
    let written = std::fs::read_to_string(dir.path().join(".github/CODEOWNERS")).expect("read");
    assert!(
        written.contains("\n* @police-nsi/gatekeepers\n"),
        "{written}"
    );
    assert!(written.contains("/catalogue/essex/ @police-nsi/nsi-essex @police-nsi/gatekeepers\n"));
    nsi(dir.path())
        .args(["codeowners", "--check"])
        .assert()
        .success();

    // The repository's own file is current (CI checks this too).
    let committed =
        std::fs::read_to_string(std::path::Path::new(common::REPO).join(".github/CODEOWNERS"))
            .expect("the repository has .github/CODEOWNERS");
    assert_eq!(committed, written);

    // A new force makes the file out of date.
    let forces = dir.path().join("schema/reference/forces.yaml");
    let text = std::fs::read_to_string(&forces).expect("forces");
    let first = text.find("  - {slug: ").expect("a force line");
    let line_end = first + text[first..].find('\n').expect("end of line") + 1;
    let extra = text[first..line_end].replacen("slug: ", "slug: zz-new-force-", 1);
    std::fs::write(
        &forces,
        format!("{}{extra}{}", &text[..line_end], &text[line_end..]),
    )
    .expect("write");
    nsi(dir.path())
        .args(["codeowners", "--check"])
        .assert()
        .code(1);
    let out = stdout_of(nsi(dir.path()).args(["codeowners", "--stdout"]));
    assert!(out.contains("/catalogue/zz-new-force-"), "{out}");
}

/// Only force slugs and team names are written: an owner smuggled in through a flag or the
/// forces list is refused (exit 2), and the file is not written.
#[test]
fn codeowners_writes_only_slugs_and_team_names() {
    let dir = shipped();
    for args in [
        &[
            "codeowners",
            "--gatekeepers",
            "@police-nsi/gatekeepers @mallory",
        ][..],
        &["codeowners", "--gatekeepers", "mallory@example.com"],
        &["codeowners", "--gatekeepers", "@mallory"],
        &["codeowners", "--force-team", "@police-nsi/{force} @mallory"],
        &["codeowners", "--force-team", "@police-nsi/everyone"],
    ] {
        let output = nsi(dir.path()).args(args).output().expect("run");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("@org/team") || stderr.contains("{force}"),
            "{args:?}: {stderr}"
        );
        assert!(!dir.path().join(".github/CODEOWNERS").exists(), "{args:?}");
    }
    // The forces list itself: a slug holding an owner is refused with its file and line.
    let forces = dir.path().join("schema/reference/forces.yaml");
    let text = std::fs::read_to_string(&forces).expect("forces");
    let line = text
        .lines()
        .position(|l| l.contains("{slug: kent,"))
        .expect("kent")
        + 1;
    std::fs::write(
        &forces,
        text.replacen("{slug: kent,", "{slug: \"kent/ @mallory\",", 1),
    )
    .expect("write");
    for args in [&["codeowners"][..], &["codeowners", "--check"]] {
        let output = nsi(dir.path()).args(args).output().expect("run");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains(&format!("schema/reference/forces.yaml:{line}:12")),
            "{stderr}"
        );
        assert!(!dir.path().join(".github/CODEOWNERS").exists());
    }
    let output = nsi(dir.path()).arg("validate").output().expect("run");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "schema/reference/forces.yaml:{line}:12: error[NSI300]"
        )),
        "{stdout}"
    );
}
