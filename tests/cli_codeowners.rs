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
