//! End-to-end tests of `nsi completions` and `nsi man`: the scripts and pages generated from the
//! command-line definition.

mod common;

use std::fs;
use std::process::Command as Process;

use common::nsi;

/// Every visible subcommand, from the library's command-line definition.
fn subcommands() -> Vec<String> {
    let names: Vec<String> = nsi::cli::command()
        .get_subcommands()
        .filter(|sub| !sub.is_hide_set())
        .map(|sub| sub.get_name().to_owned())
        .collect();
    for expected in ["search", "validate", "stale", "completions", "man"] {
        assert!(names.iter().any(|n| n == expected), "{names:?}");
    }
    names
}

#[test]
fn a_completion_script_is_generated_for_every_shell() {
    let dir = tempfile::tempdir().expect("temp dir");
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = nsi(dir.path())
            .args(["completions", shell])
            .output()
            .expect("run");
        assert!(output.status.success(), "{shell}");
        let script = String::from_utf8(output.stdout).expect("utf-8");
        assert!(script.contains("nsi"), "{shell}: {script}");
        assert!(script.contains("stale"), "{shell} completes subcommands");
        assert!(script.contains("catalogue"), "{shell} completes flags");
    }
}

#[test]
fn the_bash_script_registers_a_completion() {
    let binary = assert_cmd::cargo::cargo_bin("nsi");
    let output = Process::new("bash")
        .args([
            "--norc",
            "-c",
            &format!(
                "source <('{}' completions bash) && complete -p nsi",
                binary.display()
            ),
        ])
        .output()
        .expect("bash is installed");
    assert!(
        output.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("complete"));
}

#[test]
fn man_writes_a_page_per_subcommand() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = nsi(dir.path()).arg("man").output().expect("run");
    assert!(
        output.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let pages = dir.path().join("man");
    let main_page = fs::read_to_string(pages.join("nsi.1")).expect("nsi.1");
    assert!(
        main_page.lines().any(|l| l.starts_with(".TH")),
        "{main_page}"
    );
    for name in subcommands() {
        assert!(main_page.contains(&name), "nsi.1 mentions {name}");
        let page = fs::read_to_string(pages.join(format!("nsi-{name}.1")))
            .unwrap_or_else(|e| panic!("nsi-{name}.1: {e}"));
        assert!(page.lines().any(|l| l.starts_with(".TH")), "{page}");
    }
    let listed = String::from_utf8(output.stdout).expect("utf-8");
    assert!(
        listed.lines().any(|l| l.ends_with("nsi-stale.1")),
        "{listed}"
    );
}

#[test]
fn man_out_dash_prints_the_main_page() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = nsi(dir.path())
        .args(["man", "--out", "-"])
        .output()
        .expect("run");
    assert!(output.status.success());
    let page = String::from_utf8(output.stdout).expect("utf-8");
    assert!(page.contains(".TH nsi 1"), "{page}");
    assert!(!dir.path().join("man").exists());
    let custom = dir.path().join("pages/man1");
    nsi(dir.path())
        .args(["man", "--out"])
        .arg(&custom)
        .assert()
        .success();
    assert!(custom.join("nsi-completions.1").is_file());
}
