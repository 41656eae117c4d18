//! The portfolio lead's views: `nsi overlaps` (where different forces built the same thing) and
//! `nsi stats --matrix` (categories by region), on the shipped catalogue plus a third force's
//! redaction tool and a same-force near copy.

mod common;

use common::{nsi, shipped, stdout_of};
use serde_json::Value;

const ASSISTANT: &str = "catalogue/west-yorkshire/case-file-redaction-assistant.yaml";

/// The shipped catalogue, plus Kent's own redaction tool (a third force building the same
/// thing) and a near copy of the West Yorkshire tool by West Yorkshire itself.
fn catalogue_with_overlaps() -> tempfile::TempDir {
    let dir = shipped();
    let original = std::fs::read_to_string(dir.path().join(ASSISTANT)).expect("entry");
    let kent = original
        .replace(
            "id: case-file-redaction-assistant",
            "id: kent-file-redaction",
        )
        .replace(
            "title: Case File Redaction Assistant",
            "title: Kent Case File Redactor",
        )
        .replace("owner_force: west-yorkshire", "owner_force: kent")
        .replace("phase: beta", "phase: alpha");
    std::fs::create_dir_all(dir.path().join("catalogue/kent")).expect("kent");
    std::fs::write(
        dir.path().join("catalogue/kent/kent-file-redaction.yaml"),
        kent,
    )
    .expect("write");
    let copy = original
        .replace(
            "id: case-file-redaction-assistant",
            "id: case-file-redaction-assistant-v2",
        )
        .replace(
            "title: Case File Redaction Assistant",
            "title: Case File Redaction Assistant v2",
        );
    std::fs::write(
        dir.path()
            .join("catalogue/west-yorkshire/case-file-redaction-assistant-v2.yaml"),
        copy,
    )
    .expect("write");
    dir
}

fn overlaps_json(dir: &std::path::Path, args: &[&str]) -> Value {
    let mut command = nsi(dir);
    command.args(["overlaps", "--format", "json"]).args(args);
    serde_json::from_str(&stdout_of(&mut command)).expect("JSON")
}

#[test]
fn forces_that_built_the_same_thing_are_grouped_with_a_suggested_lead() {
    let dir = catalogue_with_overlaps();
    let found = overlaps_json(dir.path(), &[]);
    let groups = found.as_array().expect("groups");
    assert_eq!(groups.len(), 2, "{found:#}");
    let redaction = &groups[0];
    assert_eq!(
        redaction["forces"],
        serde_json::json!(["kent", "nottinghamshire", "west-yorkshire"]),
        "{redaction:#}"
    );
    // Nottinghamshire's is live, the others beta and alpha: it leads.
    assert_eq!(redaction["lead"], "cps-evidence-redaction-tool");
    assert!(
        redaction["lead_because"]
            .as_str()
            .is_some_and(|why| why.starts_with("live, 4 documents obtainable, 2 adopting forces")),
        "{redaction:#}"
    );
    let ids: Vec<&str> = redaction["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["id"].as_str().expect("id"))
        .collect();
    assert_eq!(
        ids[0], "cps-evidence-redaction-tool",
        "the lead comes first"
    );
    assert!(ids.contains(&"kent-file-redaction"), "{ids:?}");
    // The same force's near copy links to the group through another force at most; a group
    // never forms of one force's entries alone.
    for group in groups {
        assert!(group["forces"].as_array().expect("forces").len() > 1);
    }
    assert_eq!(
        groups[1]["forces"],
        serde_json::json!(["devon-and-cornwall", "lancashire"])
    );
    assert!(redaction["strongest"].as_f64().expect("score") >= 0.2);
    let links = redaction["links"].as_array().expect("links");
    assert!(links.iter().all(|l| l[2].as_f64().expect("score") >= 0.2));

    // Stable: the same input gives the same groups in the same order.
    assert_eq!(overlaps_json(dir.path(), &[]), found);
}

#[test]
fn filters_keep_groups_with_a_matching_entry() {
    let dir = catalogue_with_overlaps();
    let by_region = overlaps_json(dir.path(), &["--region", "south-west"]);
    assert_eq!(by_region.as_array().expect("groups").len(), 1);
    assert_eq!(by_region[0]["lead"], "neighbourhood-abstraction-dashboard");
    let by_force = overlaps_json(dir.path(), &["--force", "kent"]);
    assert_eq!(by_force[0]["lead"], "cps-evidence-redaction-tool");
    let by_category = overlaps_json(dir.path(), &["--category", "criminal-justice"]);
    assert_eq!(by_category.as_array().expect("groups").len(), 1);
    let none = nsi(dir.path())
        .args(["overlaps", "--region", "wales"])
        .output()
        .expect("run");
    assert_eq!(none.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&none.stderr)
            .contains("no overlap matches the filters (2 in the whole catalogue)")
    );

    let unknown = nsi(dir.path())
        .args(["overlaps", "--category", "criminal-justise"])
        .output()
        .expect("run");
    assert_eq!(unknown.status.code(), Some(2));
    let said = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        said.contains("`criminal-justise` is not a category slug"),
        "{said}"
    );
    assert!(said.contains("did you mean `criminal-justice`?"), "{said}");
}

#[test]
fn text_and_markdown_read_as_a_portfolio_lead_would_want() {
    let dir = catalogue_with_overlaps();
    let text = stdout_of(nsi(dir.path()).arg("overlaps"));
    assert!(
        text.starts_with(
            "2 overlaps where 5 forces built the same thing (pairs scoring 0.20 or more)"
        ),
        "{text}"
    );
    assert!(
        text.contains("suggested lead: cps-evidence-redaction-tool (live"),
        "{text}"
    );
    assert!(text.contains("Kent Police, alpha; adopters:"), "{text}");
    let markdown = stdout_of(nsi(dir.path()).args(["overlaps", "--format", "markdown"]));
    assert!(
        markdown.starts_with("# Overlaps between forces\n"),
        "{markdown}"
    );
    assert!(
        markdown.contains("| Entry | Force | Phase | Adopters | Documents on offer |"),
        "{markdown}"
    );
    assert!(
        markdown.contains("| `cps-evidence-redaction-tool` CPS Evidence Redaction Tool | Nottinghamshire Police | live |"),
        "{markdown}"
    );
}

#[test]
fn the_matrix_shows_every_category_by_region_with_phases_and_gaps() {
    let dir = catalogue_with_overlaps();
    let matrix: Value = serde_json::from_str(&stdout_of(
        nsi(dir.path()).args(["stats", "--matrix", "--format", "json"]),
    ))
    .expect("JSON");
    let regions = matrix["regions"].as_array().expect("regions");
    assert_eq!(regions.len(), 13);
    let rows = matrix["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 17, "every category, empty ones too");
    let forensics = rows
        .iter()
        .find(|r| r["category"] == "digital-evidence-forensics")
        .expect("a row");
    let column = |slug: &str| regions.iter().position(|r| r == slug).expect("region");
    // Kent's new tool counts in the Eastern region.
    let eastern = &forensics["cells"][column("eastern")];
    assert_eq!(eastern["entries"], 1, "{forensics:#}");
    assert_eq!(eastern["phases"], serde_json::json!({"alpha": 1}));
    let yorkshire = &forensics["cells"][column("yorkshire-and-the-humber")];
    assert_eq!(
        yorkshire["entries"], 2,
        "the assistant and its same-force copy"
    );
    assert_eq!(yorkshire["forces"], 1);
    let total = &forensics["total"];
    assert_eq!(total["forces"], 5, "{total:#}");

    let text = stdout_of(nsi(dir.path()).args(["stats", "--matrix"]));
    assert!(
        text.starts_with(
            "Solutions by category and region: entries owned by each region's forces (· none)"
        ),
        "{text}"
    );
    let line = text
        .lines()
        .find(|l| l.starts_with("Digital evidence and forensics"))
        .expect("the row");
    assert!(line.ends_with("alpha 1, beta 2, live 3"), "{line}");
    assert!(text.contains("YH Yorkshire and the Humber"), "{text}");

    // A category nobody has a solution in is named as a gap.
    let empty = shipped();
    for force in std::fs::read_dir(empty.path().join("catalogue")).expect("catalogue") {
        for file in std::fs::read_dir(force.expect("force").path()).expect("entries") {
            let path = file.expect("entry").path();
            let text = std::fs::read_to_string(&path).expect("entry");
            if text.contains("  - cyber-fraud\n") {
                std::fs::remove_file(&path).expect("remove");
            }
        }
    }
    let text = stdout_of(nsi(empty.path()).args(["stats", "--matrix"]));
    assert!(
        text.contains("No solution anywhere yet: Cyber and fraud."),
        "{text}"
    );
}
