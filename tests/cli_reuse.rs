//! For the forces who reuse: asking for a document in one step (`nsi request`).

mod common;

use common::{nsi, shipped, stdout_of};
use serde_json::Value;

const TOOL: &str = "catalogue/nottinghamshire/cps-evidence-redaction-tool.yaml";

/// Undo percent-encoding, failing on anything malformed.
fn decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("two hex digits");
            out.push(u8::from_str_radix(hex, 16).expect("hex"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("UTF-8")
}

#[test]
fn a_document_on_request_is_one_mailto_away_whatever_the_names_hold() {
    let dir = shipped();
    let path = dir.path().join(TOOL);
    let text = std::fs::read_to_string(&path).expect("entry");
    let text = text
        .replace(
            "title: CPS Evidence Redaction Tool",
            "title: \"Café & Redaction Tool = #1?\"",
        )
        .replace("name: Priya Shah", "name: Siân O'Neil-Ó Briain");
    std::fs::write(&path, text).expect("write");

    let found: Value = serde_json::from_str(&stdout_of(nsi(dir.path()).args([
        "request",
        "cps-evidence-redaction-tool",
        "--doc",
        "dpia",
        "--format",
        "json",
    ])))
    .expect("JSON");
    let request = &found[0];
    assert_eq!(request["contact_name"], "Siân O'Neil-Ó Briain");
    let mailto = request["mailto"].as_str().expect("mailto");
    assert!(mailto.starts_with("mailto:priya.shah@nottinghamshire.police.example?subject="));
    assert!(mailto.is_ascii(), "{mailto}");
    assert!(!mailto.contains(' ') && !mailto.contains('+'), "{mailto}");
    assert_eq!(
        mailto.matches('&').count(),
        1,
        "only the separator of subject and body"
    );
    assert_eq!(mailto.matches('?').count(), 1);
    let (_, query) = mailto.split_once('?').expect("query");
    let (subject, body) = query.split_once('&').expect("two fields");
    let subject = decoded(subject.strip_prefix("subject=").expect("subject"));
    let body = decoded(body.strip_prefix("body=").expect("body"));
    assert_eq!(
        subject,
        "Request: Data Protection Impact Assessment (DPIA) for Café & Redaction Tool = #1? (cps-evidence-redaction-tool)"
    );
    assert!(
        body.starts_with("Hello Siân O'Neil-Ó Briain,\r\n"),
        "{body}"
    );
    assert!(body.contains("[your force]") && body.contains("[your name, role and force]"));
    assert!(body.contains("(cps-evidence-redaction-tool)"), "{body}");

    // Every document on request, when none is named; `nsi show` points to it.
    let all = stdout_of(nsi(dir.path()).args(["request", "cps-evidence-redaction-tool"]));
    assert_eq!(all.matches("mailto:").count(), 2, "{all}");
    let shown = stdout_of(nsi(dir.path()).args(["show", "cps-evidence-redaction-tool"]));
    assert!(
        shown.contains("on request: nsi request cps-evidence-redaction-tool --doc dpia"),
        "{shown}"
    );
}

#[test]
fn without_a_valid_contact_the_owning_force_is_named_instead() {
    let dir = shipped();
    let path = dir.path().join(TOOL);
    let text = std::fs::read_to_string(&path).expect("entry");
    let expired = text
        .lines()
        .map(|line| {
            if line.trim_start().starts_with("valid_until:") {
                line.split("valid_until:")
                    .next()
                    .expect("indent")
                    .to_owned()
                    + "valid_until: '2025-01-31'"
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n";
    std::fs::write(&path, expired).expect("write");
    let output = nsi(dir.path())
        .args(["request", "cps-evidence-redaction-tool", "--doc", "dpia"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.contains(
            "no contact of cps-evidence-redaction-tool is valid on 2026-11-28: ask Nottinghamshire Police instead"
        ),
        "{said}"
    );
    let public = nsi(dir.path())
        .args([
            "request",
            "cps-evidence-redaction-tool",
            "--doc",
            "source-code",
        ])
        .output()
        .expect("run");
    assert_eq!(public.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&public.stderr)
            .contains("is public (see its link), not shared on request")
    );
}

#[test]
fn an_adoption_is_recorded_in_place_and_published_as_its_own_pull_request() {
    let repo = common::git::GitRepo::shipped();
    let remote = repo.add_bare_remote("origin");
    let before = repo.read(TOOL);

    let said = nsi(repo.path())
        .args([
            "adopt",
            "cps-evidence-redaction-tool",
            "--force",
            "suffolk",
            "--status",
            "piloting",
            "--no-publish",
        ])
        .output()
        .expect("run");
    assert_eq!(
        said.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&said.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&said.stdout),
        format!("{TOOL}: added suffolk (piloting)\n")
    );
    // Only the adopters changed: the diff adds the item's lines and nothing else.
    let diff = repo.git(&["diff", "--unified=0", "--", TOOL]);
    let changed: Vec<&str> = diff
        .lines()
        .filter(|l| {
            (l.starts_with('+') || l.starts_with('-'))
                && !l.starts_with("+++")
                && !l.starts_with("---")
        })
        .collect();
    assert_eq!(
        changed,
        [
            "+  - force: suffolk",
            "+    status: piloting",
            "+    since: '2026-11-28'"
        ],
        "{diff}"
    );
    assert_ne!(repo.read(TOOL), before);
    nsi(repo.path()).arg("validate").assert().code(0);

    // Moving on to adopted updates the same item, keeping its date, and publishes it alone.
    let published = nsi(repo.path())
        .args([
            "adopt",
            "cps-evidence-redaction-tool",
            "--force",
            "suffolk",
            "--status",
            "adopted",
            "--publish",
        ])
        .output()
        .expect("run");
    let said = String::from_utf8_lossy(&published.stderr);
    assert_eq!(published.status.code(), Some(0), "{said}");
    assert!(String::from_utf8_lossy(&published.stdout).contains("suffolk: piloting → adopted"));
    let branch = "nsi/adopt-cps-evidence-redaction-tool-suffolk";
    let files = common::git::git_in(
        remote.path(),
        &["show", "--name-only", "--format=%s", branch],
    );
    assert!(
        files.starts_with(
            "Update solution: CPS Evidence Redaction Tool (cps-evidence-redaction-tool)"
        ),
        "{files}"
    );
    assert_eq!(
        files
            .lines()
            .filter(|l| l.starts_with("catalogue/"))
            .collect::<Vec<_>>(),
        [TOOL]
    );
    let pushed = common::git::git_in(remote.path(), &["show", &format!("{branch}:{TOOL}")]);
    assert!(
        pushed.contains("  - force: suffolk\n    status: adopted\n    since: '2026-11-28'\n"),
        "{pushed}"
    );
}

#[test]
fn a_force_adopts_only_others_solutions_by_a_known_slug() {
    let repo = common::git::GitRepo::shipped();
    let own = nsi(repo.path())
        .args([
            "adopt",
            "cps-evidence-redaction-tool",
            "--force",
            "nottinghamshire",
            "--status",
            "adopted",
        ])
        .output()
        .expect("run");
    assert_eq!(own.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&own.stderr)
            .contains("a force adopts other forces' solutions, not its own")
    );
    let typo = nsi(repo.path())
        .args([
            "adopt",
            "cps-evidence-redaction-tool",
            "--force",
            "sufolk",
            "--status",
            "adopted",
        ])
        .output()
        .expect("run");
    assert_eq!(typo.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&typo.stderr).contains("did you mean `suffolk`?"));
}

#[test]
fn a_force_lists_the_changes_to_the_solutions_it_uses() {
    let repo = common::git::GitRepo::shipped();
    repo.edit(TOOL, "phase: live", "phase: retired");
    repo.commit_all(
        "Retire the redaction tool",
        "Bea Editor",
        "bea@force.police.example",
    );
    repo.edit(
        "catalogue/avon-and-somerset/drone-flight-log.yaml",
        "phase: live",
        "phase: beta",
    );
    repo.commit_all(
        "Drone log to beta",
        "Bea Editor",
        "bea@force.police.example",
    );
    let json: Value = serde_json::from_str(&stdout_of(nsi(repo.path()).args([
        "changes",
        "--adopted-by",
        "derbyshire",
        "--format",
        "json",
    ])))
    .expect("JSON");
    let ids: Vec<&str> = json
        .as_array()
        .expect("records")
        .iter()
        .map(|r| r["change"]["id"].as_str().expect("id"))
        .collect();
    assert!(ids.contains(&"cps-evidence-redaction-tool"), "{ids:?}");
    assert!(!ids.contains(&"drone-flight-log"), "{ids:?}");
    assert_eq!(json[0]["commit"]["summary"], "Retire the redaction tool");
    let unknown = nsi(repo.path())
        .args(["changes", "--adopted-by", "derbyshir"])
        .output()
        .expect("run");
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("did you mean `derbyshire`?"));
}
