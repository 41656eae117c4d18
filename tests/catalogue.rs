//! The catalogue shipped in this repository: every entry validates today, loads into the typed
//! model, and the sample is broad enough for search and filters to have material.

use std::collections::HashSet;
use std::path::Path;

use nsi::catalogue::diagnostic::Severity;
use nsi::catalogue::validate::{ValidationOptions, validate_catalogue};

#[test]
fn every_shipped_entry_validates_and_loads() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let options = ValidationOptions {
        strict: false,
        today: chrono::Local::now().date_naive(),
    };
    let report = validate_catalogue(root, &[], options).expect("catalogue loads");
    let errors: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| {
            format!(
                "{}:{}:{}: {} {}",
                d.file.display(),
                d.line,
                d.column,
                d.code,
                d.message
            )
        })
        .collect();
    assert!(
        errors.is_empty(),
        "shipped entries with errors:\n{}",
        errors.join("\n")
    );
    assert_eq!(
        report.entries.len(),
        report.checked,
        "every entry deserialises into the model"
    );

    let entries: Vec<_> = report.entries.iter().map(|(_, entry)| entry).collect();
    assert!(
        entries.len() >= 25,
        "at least 25 entries, found {}",
        entries.len()
    );
    let forces: HashSet<_> = entries.iter().map(|e| &e.owner_force).collect();
    assert!(
        forces.len() >= 12,
        "at least 12 owning forces, found {}",
        forces.len()
    );
    let categories: HashSet<_> = entries.iter().flat_map(|e| &e.categories).collect();
    assert!(
        categories.len() >= 10,
        "at least 10 categories, found {}",
        categories.len()
    );
    let phases: HashSet<_> = entries.iter().map(|e| e.phase).collect();
    assert!(phases.len() >= 4, "phases vary");
    let levels: HashSet<_> = entries
        .iter()
        .flat_map(|e| e.skills.iter().map(|s| s.level))
        .collect();
    assert_eq!(levels.len(), 4, "every skill level is used");
}

#[test]
fn sample_people_and_addresses_are_clearly_fictional() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let options = ValidationOptions {
        strict: false,
        today: chrono::Local::now().date_naive(),
    };
    let report = validate_catalogue(root, &[], options).expect("catalogue loads");
    for (file, entry) in &report.entries {
        for contact in &entry.contacts {
            assert!(
                contact.email.ends_with(".example"),
                "{}: {} is not on a .example domain",
                file.display.display(),
                contact.email
            );
        }
        let urls = entry.documentation.iter().filter_map(|d| d.url.as_deref());
        for url in urls {
            let host = url
                .trim_start_matches("https://")
                .split('/')
                .next()
                .unwrap_or_default();
            assert!(
                host.ends_with(".example"),
                "{}: {url} is not on a .example host",
                file.display.display()
            );
        }
    }
}
