//! The rule catalogue: codes are unique and ordered, and RULES.md is generated from it.

use std::collections::HashSet;
use std::path::Path;

use nsi::catalogue::validate::rules;

#[test]
fn codes_and_names_are_unique_and_well_formed() {
    let codes: HashSet<&str> = rules::ALL.iter().map(|r| r.code).collect();
    let names: HashSet<&str> = rules::ALL.iter().map(|r| r.name).collect();
    assert_eq!(codes.len(), rules::ALL.len());
    assert_eq!(names.len(), rules::ALL.len());
    for pair in rules::ALL.windows(2) {
        assert!(
            pair[0].code < pair[1].code,
            "{} before {}",
            pair[0].code,
            pair[1].code
        );
    }
    for rule in rules::ALL {
        assert!(
            rule.code.len() == 6 && rule.code.starts_with("NSI"),
            "{}",
            rule.code
        );
        assert!(rules::find(rule.code) == Some(*rule) && rules::find(rule.name) == Some(*rule));
    }
}

#[test]
fn rules_md_is_generated_from_the_code() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("RULES.md");
    let generated = rules::markdown();
    if std::env::var_os("UPDATE_RULES").is_some() {
        std::fs::write(&path, &generated).expect("write RULES.md");
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == generated,
        "RULES.md is out of date: run `UPDATE_RULES=1 cargo test --test rules`"
    );
}
