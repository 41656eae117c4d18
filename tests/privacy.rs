//! Contacts never reach a public export: a property test over generated entries, through the
//! real audience filter and the real JSON and CSV writers.

use std::path::Path;

use chrono::{DateTime, FixedOffset};
use nsi::catalogue::entry::{Entry, Visibility};
use nsi::catalogue::export::{Audience, Export, for_audience};
use nsi::cli::render::export::{write_csv, write_json};
use proptest::prelude::*;

const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// The shipped entries, typed.
fn shipped() -> Vec<Entry> {
    let mut entries = Vec::new();
    for force in std::fs::read_dir(Path::new(REPO).join("catalogue")).expect("catalogue") {
        for file in std::fs::read_dir(force.expect("force").path()).expect("folder") {
            let text = std::fs::read_to_string(file.expect("file").path()).expect("read");
            let value = nsi::catalogue::yaml::parse_value(&text).expect("shipped entries parse");
            entries.push(serde_json::from_value(value).expect("shipped entries are valid"));
        }
    }
    entries.sort_by(|a: &Entry, b: &Entry| a.id.cmp(&b.id));
    entries
}

fn generated() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-28T00:00:00+00:00").expect("time")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Whatever an entry's contacts are called, and wherever their addresses are pasted into
    /// its text, the public export holds neither, in JSON or CSV.
    #[test]
    fn no_contact_reaches_a_public_export(
        pick in 0usize..1000,
        public in any::<bool>(),
        first in "[A-Z][a-z]{3,8}",
        last in "[A-Z][a-z]{3,8}",
        user in "[a-z]{2,8}(\\.[a-z]{2,8})?",
        domain in "[a-z]{3,10}\\.(police\\.uk|gov\\.uk|example|com)",
        paste_into in 0usize..4,
    ) {
        let entries = shipped();
        let mut entry = entries[pick % entries.len()].clone();
        // Names made unlikely to appear in any entry's own text.
        let name = format!("{first}zq {last}xj");
        let email = format!("{user}@{domain}");
        entry.visibility = if public { Visibility::Public } else { Visibility::Policing };
        if let Some(contact) = entry.contacts.first_mut() {
            contact.name.clone_from(&name);
            contact.email.clone_from(&email);
        }
        let pasted = format!("Ask {email} for the code.");
        match paste_into {
            0 => entry.summary = format!("{} {pasted}", entry.summary),
            1 => entry.description = Some(pasted),
            2 => entry.rationale = format!("{pasted} {}", entry.rationale),
            _ => entry.aftercare.notes = Some(pasted),
        }
        let kept: Vec<Entry> = for_audience(entry, Audience::Public).into_iter().collect();
        prop_assert_eq!(kept.len(), usize::from(public));
        let export = Export { audience: Audience::Public, entries: kept, skipped: Vec::new() };
        let (mut json, mut csv) = (Vec::new(), Vec::new());
        write_json(&export, generated(), &mut json).expect("json");
        write_csv(&export, &mut csv).expect("csv");
        for text in [String::from_utf8_lossy(&json), String::from_utf8_lossy(&csv)] {
            prop_assert!(!text.contains(&email), "the address leaked");
            prop_assert!(!text.contains(&name), "the contact's name leaked");
            prop_assert!(!text.contains(&format!("{first}zq")), "part of the name leaked");
        }
    }
}
