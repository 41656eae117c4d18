//! End-to-end tests of `nsi completions` and `nsi man`: the scripts and pages generated from the
//! command-line definition.

mod common;

use std::fs;
#[cfg(unix)]
use std::process::Command as Process;

use common::{nsi, shipped};

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

/// `bash -c SCRIPT` (without the user's startup files), requiring success; its stdout.
#[cfg(unix)]
fn bash(script: &str, dir: &std::path::Path) -> String {
    let output = Process::new("bash")
        .args(["--norc", "--noprofile", "-c", script])
        .current_dir(dir)
        .env("NSI_TODAY", "2026-11-28")
        .output()
        .expect("bash is installed");
    assert!(
        output.status.success(),
        "{script}\nstderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Load a completion script the way the documentation says: `source <(…)`, or `eval "$(…)"`
/// on bash 3 (macOS's), whose `source` reads nothing from a pipe.
#[cfg(unix)]
fn load_in_bash(generate: &str) -> String {
    format!(
        "if ((BASH_VERSINFO[0] >= 4)); then source <({generate}); else eval \"$({generate})\"; fi"
    )
}

// Bash is not on the Windows runners' PATH as a POSIX shell nsi's users would use there
// (PowerShell is); these run on Linux and macOS.
#[cfg(unix)]
#[test]
fn the_bash_script_registers_a_completion() {
    let binary = assert_cmd::cargo::cargo_bin("nsi");
    let dir = tempfile::tempdir().expect("temp dir");
    let generate = format!("'{}' completions bash", binary.display());
    let out = bash(
        &format!("{} && complete -p nsi", load_in_bash(&generate)),
        dir.path(),
    );
    assert!(out.contains("complete") && out.contains("nsi"), "{out}");
}

/// Ask nsi for completions as `clap_complete`'s bash registration does: `COMPLETE=bash`, the
/// index of the word being completed, the separator, and the words after `--`.
fn complete(dir: &std::path::Path, words: &[&str]) -> Vec<String> {
    let output = nsi(dir)
        .env("COMPLETE", "bash")
        .env("_CLAP_COMPLETE_INDEX", (words.len() - 1).to_string())
        .env("_CLAP_IFS", "\n")
        .arg("--")
        .args(words)
        .output()
        .expect("run");
    assert!(
        output.status.success(),
        "{words:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut found: Vec<String> = String::from_utf8(output.stdout)
        .expect("utf-8")
        .lines()
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect();
    found.sort();
    found
}

#[test]
fn dynamic_completion_offers_the_shipped_ids_for_a_prefix() {
    let dir = shipped();
    for command in ["show", "edit", "history", "similar", "publish"] {
        assert_eq!(
            complete(dir.path(), &["nsi", command, "neighbourhood-"]),
            [
                "neighbourhood-abstraction-dashboard",
                "neighbourhood-abstraction-tracker"
            ],
            "nsi {command}"
        );
    }
    // Every id (besides the flags), for an empty word; exactly the files of the catalogue.
    let all: Vec<String> = complete(dir.path(), &["nsi", "show", ""])
        .into_iter()
        .filter(|c| !c.starts_with('-'))
        .collect();
    let mut files: Vec<String> = fs::read_dir(dir.path().join("catalogue"))
        .expect("catalogue")
        .flat_map(|force| fs::read_dir(force.expect("force").path()).expect("force dir"))
        .filter_map(|f| {
            let name = f.expect("file").file_name().into_string().ok()?;
            name.strip_suffix(".yaml").map(str::to_owned)
        })
        .collect();
    files.sort();
    assert_eq!(all, files);
    // `publish` takes several ids: the second is completed too.
    assert_eq!(
        complete(
            dir.path(),
            &["nsi", "publish", "text-report-triage", "cps-"]
        ),
        ["cps-evidence-redaction-tool"]
    );
    // A new id is not an existing one: `nsi add --id` offers nothing.
    assert!(complete(dir.path(), &["nsi", "add", "--id", "cps-"]).is_empty());
}

#[test]
fn dynamic_completion_offers_forces_and_categories_from_the_reference_lists() {
    let dir = shipped();
    let west = ["west-mercia", "west-midlands", "west-yorkshire"];
    assert_eq!(
        complete(dir.path(), &["nsi", "search", "--force", "west-"]),
        west
    );
    assert_eq!(
        complete(dir.path(), &["nsi", "search", "--adopted-by", "west-"]),
        west
    );
    assert_eq!(
        complete(dir.path(), &["nsi", "add", "--force", "west-"]),
        west
    );
    assert_eq!(
        complete(dir.path(), &["nsi", "search", "--category", "vawg"]),
        ["vawg-domestic-abuse"]
    );
    assert_eq!(
        complete(dir.path(), &["nsi", "add", "--category", "vawg"]),
        ["vawg-domestic-abuse"]
    );
    // Read from the catalogue's own schema/: a force added there is offered at once.
    let forces = dir.path().join("schema/reference/forces.yaml");
    let text = fs::read_to_string(&forces).expect("forces.yaml");
    let line = text
        .lines()
        .find(|l| l.contains("{slug: west-yorkshire,"))
        .expect("West Yorkshire");
    let added = line
        .replace("west-yorkshire", "west-wessex")
        .replace("West Yorkshire", "West Wessex");
    fs::write(&forces, text.replace(line, &format!("{line}\n{added}"))).expect("write");
    assert!(
        complete(dir.path(), &["nsi", "search", "--force", "west-"])
            .contains(&"west-wessex".to_owned())
    );
}

#[test]
fn dynamic_completion_outside_a_catalogue_offers_no_ids_but_the_built_in_lists() {
    let dir = tempfile::tempdir().expect("temp dir");
    assert!(
        complete(dir.path(), &["nsi", "show", ""])
            .iter()
            .all(|c| c.starts_with('-')),
        "flags only"
    );
    assert!(
        complete(dir.path(), &["nsi", "search", "--force", "kent"]).contains(&"kent".to_owned())
    );
    // NSI_CATALOGUE names the catalogue, as it does for every command.
    let catalogue = shipped();
    let output = nsi(dir.path())
        .env("NSI_CATALOGUE", catalogue.path())
        .env("COMPLETE", "bash")
        .env("_CLAP_COMPLETE_INDEX", "2")
        .env("_CLAP_IFS", "\n")
        .args(["--", "nsi", "show", "cps-"])
        .output()
        .expect("run");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "cps-evidence-redaction-tool"
    );
}

#[test]
fn a_dynamic_registration_is_printed_for_every_shell() {
    let dir = tempfile::tempdir().expect("temp dir");
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = nsi(dir.path())
            .env("COMPLETE", shell)
            .output()
            .expect("run");
        assert!(output.status.success(), "{shell}");
        let script = String::from_utf8(output.stdout).expect("utf-8");
        assert!(
            script.contains("nsi") && script.contains("COMPLETE"),
            "{shell}: {script}"
        );
    }
    // `COMPLETE=0` (or empty) is an ordinary run.
    let output = nsi(dir.path())
        .env("COMPLETE", "0")
        .arg("--version")
        .output()
        .expect("run");
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "nsi 0.1.0");
}

#[cfg(unix)]
#[test]
fn the_dynamic_bash_registration_completes_ids_in_a_real_bash() {
    let binary = assert_cmd::cargo::cargo_bin("nsi");
    let dir = shipped();
    let generate = format!("COMPLETE=bash '{}'", binary.display());
    let out = bash(
        &format!(
            "{} && complete -p nsi && COMP_WORDS=(nsi show neighbourhood-) && COMP_CWORD=2 \
             && COMP_TYPE=9 && _clap_complete_nsi nsi neighbourhood- show \
             && printf '<%s>\\n' \"${{COMPREPLY[@]}}\"",
            load_in_bash(&generate)
        ),
        dir.path(),
    );
    assert!(out.contains("-F _clap_complete_nsi nsi"), "{out}");
    assert!(
        out.contains("<neighbourhood-abstraction-dashboard>\n<neighbourhood-abstraction-tracker>"),
        "{out}"
    );
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
