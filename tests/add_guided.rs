//! `nsi add` with nobody's help but its questions: driven in a real pseudo-terminal (tmux),
//! answers typed at the prompts and choices made in the pickers, producing a file that
//! validates and matches the expected YAML exactly.

mod common;

use std::fs;
use std::path::Path;

use common::{REPO, Tmux, nsi, shipped, wait_for_file};

#[test]
fn guided_add_writes_the_entry_the_answers_describe() {
    let dir = shipped();
    let code = dir.path().join("code.txt");
    let binary = assert_cmd::cargo::cargo_bin("nsi");
    let command = format!(
        "NSI_TODAY=2026-11-28 NO_COLOR=1 '{}' add; echo $? > '{}'",
        binary.display(),
        code.display()
    );
    let tmux = Tmux::start(dir.path(), &command);
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
    // The limits come from the schema (`minItems`, `maxItems`).
    tmux.answer(
        "Categories (1 to 3):",
        &["public-contact", "Space", "Enter"],
    );
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
    // The answer is judged by the schema's own email field before the next question.
    tmux.answer("Contact's work email", &["sam.example at kent", "Enter"]);
    tmux.wait_for("the email refused", |screen| {
        screen.contains("not an email address (NSI106)")
    });
    let typed = "sam.example at kent".len();
    tmux.keys(&vec!["BSpace"; typed]);
    tmux.keys(&["sam.example@kent.police.example", "Enter"]);
    tmux.answer("Aftercare you offer", &["light", "Enter"]);
    tmux.answer("Who may see the entry?", &["policing", "Enter"]);
    tmux.answer(
        "Why does it belong in the index?",
        &["Other forces type statements by hand and could reuse the model and the Niche integration.", "Enter"],
    );
    tmux.answer(
        "Write catalogue/kent/speech-to-text-for-witness-statements.yaml?",
        &["Enter"],
    );

    assert_eq!(wait_for_file(&code).trim(), "0", "{}", tmux.screen());

    let written = dir
        .path()
        .join("catalogue/kent/speech-to-text-for-witness-statements.yaml");
    let expected = fs::read_to_string(Path::new(REPO).join("tests/data/guided-add-expected.yaml"))
        .expect("expected");
    assert_eq!(fs::read_to_string(&written).expect("written"), expected);
    nsi(dir.path())
        .args([
            "validate",
            "catalogue/kent/speech-to-text-for-witness-statements.yaml",
        ])
        .assert()
        .code(0);
}
