//! A guided `nsi add` that does not end in a written entry — stopped when the solution turns
//! out to be listed already, or declined at the very end — keeps every answer as a draft, says
//! where, and picks up again from it.

use std::fs;
use std::path::Path;

use super::common::{REPO, Tmux, nsi, shipped, wait_for_file};
use super::show;

/// The drone log's summary, as a submitter who did not know of it might write it.
const DRONE_SUMMARY: &str = "Power Apps flight logging for the force drone (RPAS) unit: pre-flight risk assessment, airspace checks, flight records, battery cycles and pilot currency, with a Power BI view for the accountable manager and CAA audit exports.";

/// `nsi add` in a terminal in `dir`; the exit code goes to `code`, and the screen stays up
/// after it ends so that what it said can be read.
fn guided_add(dir: &Path, code: &Path) -> Tmux {
    let binary = assert_cmd::cargo::cargo_bin("nsi");
    let command = format!(
        "NSI_TODAY=2026-11-28 NSI_INDEX_IN_BACKGROUND=false NO_COLOR=1 '{}' add; echo $? > '{}'; sleep 60",
        binary.display(),
        code.display()
    );
    Tmux::start(dir, &command)
}

/// The one draft under `.nsi/drafts/`, by its path relative to `dir`.
fn the_draft(dir: &Path) -> String {
    let drafts: Vec<_> = fs::read_dir(dir.join(".nsi/drafts"))
        .expect("a drafts folder")
        .map(|e| e.expect("draft").path())
        .collect();
    assert_eq!(drafts.len(), 1, "{drafts:?}");
    drafts[0]
        .strip_prefix(dir)
        .expect("under the root")
        .display()
        .to_string()
}

/// An editor that adds the fields a stopped interview did not reach.
fn finishing_editor(dir: &Path) -> std::path::PathBuf {
    let editor = dir.join("finish.sh");
    fs::write(
        &editor,
        "#!/bin/sh\ncat >> \"$1\" <<'EOF'\n\
problem_statement: The drone unit kept flight logs on paper, and audits took days to assemble from them.\n\
categories: [operational-technology]\n\
phase: beta\n\
technology: {stack: [Power Apps], deployment: saas, licence: proprietary}\n\
skills: [{role: software-development, level: working}]\n\
documentation: [{type: technical-blueprint, availability: on-request}]\n\
contacts: [{name: Sam Example, role: Product owner, email: sam.example@avonandsomerset.police.example, valid_until: '2027-11-28'}]\n\
aftercare: {level: light-touch}\n\
rationale: Our unit flies under different rules and the log needs our own airspace checks.\n\
visibility: policing\n\
EOF\n",
    )
    .expect("editor");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        fs::set_permissions(&editor, fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    editor
}

#[test]
fn an_add_stopped_at_a_likely_duplicate_keeps_its_answers_and_resumes() {
    let dir = shipped();
    let code = dir.path().join("code.txt");
    let tmux = guided_add(dir.path(), &code);
    tmux.answer("Title of the solution:", &["Drone Flight Logbook", "Enter"]);
    tmux.answer("Owning force", &["(avon-and-somerset)", "Enter"]);
    tmux.answer("Summary", &[DRONE_SUMMARY, "Enter"]);
    // Before anything else is asked, the entry already listed is named.
    let screen = tmux.wait_for("the early check", |s| s.contains("Go on with this entry?"));
    show("the early check", &screen);
    assert!(
        screen.contains("similar entries already in the catalogue:"),
        "{screen}"
    );
    assert!(
        screen.contains("drone-flight-log  Drone Unit Flight Log (avon-and-somerset)"),
        "{screen}"
    );
    assert!(
        screen.contains("`drone-flight-log` looks like the same solution"),
        "{screen}"
    );
    tmux.keys(&["n", "Enter"]);
    assert_eq!(wait_for_file(&code).trim(), "1", "{}", tmux.screen());
    let screen = tmux.screen();
    show("after stopping", &screen);
    let draft = the_draft(dir.path());
    assert!(
        screen.contains("stopped before the entry was complete; nothing was added"),
        "{screen}"
    );
    assert!(
        screen.contains(&format!("your answers are kept in {draft}")),
        "{screen}"
    );
    assert!(
        screen.contains(&format!("resume with `nsi add --edit --from {draft}`")),
        "{screen}"
    );
    let kept = fs::read_to_string(dir.path().join(&draft)).expect("draft");
    assert!(kept.contains("title: Drone Flight Logbook"), "{kept}");
    assert!(kept.contains("owner_force: avon-and-somerset"), "{kept}");
    assert!(kept.contains("pilot currency"), "{kept}");

    // It is a different solution after all: the submitter resumes from the draft.
    let editor = finishing_editor(dir.path());
    let resumed = nsi(dir.path())
        .env("EDITOR", &editor)
        .args(["add", "--edit", "--yes", "--from", &draft])
        .output()
        .expect("run");
    show("resumed", &String::from_utf8_lossy(&resumed.stderr));
    assert_eq!(
        resumed.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&resumed.stderr)
    );
    let written = dir
        .path()
        .join("catalogue/avon-and-somerset/drone-flight-logbook.yaml");
    let text = fs::read_to_string(&written).expect("the entry is written");
    assert!(text.contains("pilot currency") && text.contains("Power Apps"));
    assert!(
        !dir.path().join(&draft).exists(),
        "a draft resumed and written is done with"
    );
}

#[test]
fn an_add_declined_at_the_end_keeps_every_answer_and_resumes() {
    let dir = shipped();
    let code = dir.path().join("code.txt");
    let tmux = guided_add(dir.path(), &code);
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
            "Typing statements takes officers hours each week and delays files reaching the CPS.",
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
    tmux.answer(
        "Write catalogue/kent/speech-to-text-for-witness-statements.yaml?",
        &["n", "Enter"],
    );
    assert_eq!(wait_for_file(&code).trim(), "1", "{}", tmux.screen());
    let screen = tmux.screen();
    show("after declining", &screen);
    let draft = the_draft(dir.path());
    assert!(screen.contains("not written"), "{screen}");
    assert!(
        screen.contains(&format!("your answers are kept in {draft}")),
        "{screen}"
    );
    assert!(
        !dir.path()
            .join("catalogue/kent/speech-to-text-for-witness-statements.yaml")
            .exists()
    );

    assert!(
        screen.contains(&format!("write it as it is with `nsi add --from {draft}`")),
        "{screen}"
    );

    // Written as it is, it is the entry the answers describe.
    let resumed = nsi(dir.path())
        .args(["add", "--from", &draft])
        .output()
        .expect("run");
    assert_eq!(
        resumed.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&resumed.stderr)
    );
    let written = fs::read_to_string(
        dir.path()
            .join("catalogue/kent/speech-to-text-for-witness-statements.yaml"),
    )
    .expect("written");
    let expected = fs::read_to_string(Path::new(REPO).join("tests/data/guided-add-expected.yaml"))
        .expect("expected");
    assert_eq!(written, expected);
    assert!(
        !dir.path().join(&draft).exists(),
        "a draft written is done with"
    );
}
