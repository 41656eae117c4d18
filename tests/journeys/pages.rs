//! The public site as `.github/workflows/pages.yml` builds it on a push to main, from a
//! history in which an entry was public and then withdrawn from public view, and another was
//! removed: neither may appear anywhere in what is published, the change feed included.

use std::fs;
use std::path::{Path, PathBuf};

use super::common::git::GitRepo;
use super::workflow::{Context, Workflow, run_job};
use super::{checkout, show};

const DRONE: &str = "catalogue/avon-and-somerset/drone-flight-log.yaml";

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).expect("folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// A history in which the drone log was public, then withdrawn from public view, and another
/// public entry was edited then removed; returns the removed entry's id.
fn withdrawn_and_removed(repo: &GitRepo) -> String {
    assert!(repo.read(DRONE).contains("visibility: public"));
    // Public, edited while public (so the feed had it), then withdrawn from public view.
    repo.edit(DRONE, "phase: live", "phase: beta");
    repo.commit_all(
        "Drone log back to beta",
        "Bea Editor",
        "bea@force.police.example",
    );
    repo.edit(DRONE, "visibility: public", "visibility: policing");
    repo.commit_all(
        "Drone log: policing only",
        "Bea Editor",
        "bea@force.police.example",
    );
    // A public entry, edited, then removed.
    let removed = fs::read_dir(repo.file("catalogue"))
        .expect("catalogue")
        .flat_map(|force| fs::read_dir(force.expect("force").path()).expect("entries"))
        .map(|e| e.expect("entry").path())
        .find(|p| {
            !p.ends_with("drone-flight-log.yaml")
                && fs::read_to_string(p).is_ok_and(|t| t.contains("visibility: public"))
        })
        .expect("another public entry");
    let removed_id = removed
        .file_stem()
        .expect("stem")
        .to_string_lossy()
        .into_owned();
    let text = fs::read_to_string(&removed).expect("entry");
    fs::write(
        &removed,
        text.replacen("rationale: ", "rationale: Reviewed again. ", 1),
    )
    .expect("edit");
    repo.commit_all(
        "Reword before removal",
        "Bea Editor",
        "bea@force.police.example",
    );
    fs::remove_file(&removed).expect("remove");
    repo.commit_all("Remove an entry", "Bea Editor", "bea@force.police.example");
    removed_id
}

#[test]
fn the_pages_build_publishes_only_what_is_public_now() {
    let repo = GitRepo::shipped();
    let removed_id = withdrawn_and_removed(&repo);

    let workflow = Workflow::read("pages.yml");
    assert_eq!(workflow.permissions(), &serde_json::json!({}));
    assert_eq!(
        workflow.job("build")["permissions"],
        serde_json::json!({"contents": "read"}),
        "the job that builds cannot publish"
    );
    assert_eq!(
        workflow.job("deploy")["permissions"],
        serde_json::json!({"pages": "write", "id-token": "write"})
    );
    let head = repo.git(&["rev-parse", "HEAD"]).trim().to_owned();
    let workspace = tempfile::tempdir().expect("workspace");
    let mut uploaded = None;
    let mut context = Context::default();
    context
        .runner_env
        .insert("NSI_TODAY".into(), "2026-11-28".into());
    let run = run_job(
        &workflow,
        "build",
        workspace.path(),
        &context,
        |uses| match uses.action.as_str() {
            "actions/checkout" => checkout(uses, repo.path(), &head),
            "dtolnay/rust-toolchain" | "Swatinem/rust-cache" | "actions/configure-pages" => {}
            "actions/upload-pages-artifact" => {
                uploaded = Some(uses.workspace.join(uses.with.get("path").expect("a path")));
            }
            other => panic!("pages.yml uses {other}, which the journey does not know"),
        },
    );
    for step in &run.steps {
        show(
            &format!("step: {} (exit {})", step.name, step.code),
            &format!("{}{}", step.stdout, step.stderr),
        );
    }
    assert!(run.success);
    let site = uploaded.expect("the site was uploaded");
    assert!(site.join("index.html").is_file());
    let feed = fs::read_to_string(site.join("changes.atom")).expect("the feed");
    show("changes.atom", &feed);
    roxmltree::Document::parse(&feed).expect("the feed is XML");
    assert!(!site.join("entries/drone-flight-log.html").exists());
    for file in files_under(&site) {
        let Ok(text) = fs::read_to_string(&file) else {
            continue;
        };
        for gone in [
            "drone-flight-log",
            "Drone Unit Flight Log",
            removed_id.as_str(),
        ] {
            assert!(
                !text.contains(gone),
                "{} names {gone}, which is not public now",
                file.display()
            );
        }
    }
}
