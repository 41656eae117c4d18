//! No input makes loading and validation panic: random bytes, random YAML-ish text, and
//! truncations of real entries all come back as findings.

use std::fmt::Write as _;
use std::path::Path;

use chrono::NaiveDate;
use nsi::catalogue::load::{EntryFile, decode};
use nsi::catalogue::reference::Reference;
use nsi::catalogue::validate::{EntryChecker, ValidationOptions};
use proptest::prelude::*;

fn checker() -> EntryChecker {
    let options = ValidationOptions {
        strict: false,
        today: NaiveDate::from_ymd_opt(2026, 11, 28).expect("date"),
    };
    EntryChecker::new(Reference::embedded(), options).expect("schema compiles")
}

fn file() -> EntryFile {
    EntryFile::new("catalogue/kent/fuzz.yaml", "catalogue/kent/fuzz.yaml")
}

fn sample() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("catalogue/nottinghamshire/cps-evidence-redaction-tool.yaml");
    std::fs::read_to_string(path).expect("a shipped entry")
}

/// Check bytes the way a file is checked; every outcome must be data, never a panic.
fn check_bytes(checker: &EntryChecker, bytes: &[u8]) -> usize {
    match decode(bytes) {
        Ok(text) => checker.check_text(&file(), &text).0.len(),
        Err(_) => 1,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let checker = checker();
        check_bytes(&checker, &bytes);
    }

    #[test]
    fn yaml_like_text_never_panics(text in "([a-z_]{1,8}: ?|- |  |\\[|\\]|\\{|\\}|,|&a |\\*a|!t |\"|'|#|\n|---\n|\\? |[0-9.:-]{1,6}|~|\t){0,80}") {
        let checker = checker();
        let (diagnostics, entry) = checker.check_text(&file(), &text);
        // Random text is never a complete entry.
        prop_assert!(entry.is_none());
        prop_assert!(!diagnostics.is_empty());
        for d in &diagnostics {
            prop_assert!(d.line >= 1 && d.column >= 1);
            prop_assert!(d.line <= text.lines().count().max(1) + 1, "line {} beyond the text", d.line);
        }
    }

    #[test]
    fn mutated_real_entries_never_panic(cut in 0usize..6000, byte in any::<u8>(), at in 0usize..6000) {
        let checker = checker();
        let mut bytes = sample().into_bytes();
        bytes.truncate(cut.min(bytes.len()));
        if !bytes.is_empty() {
            let at = at % bytes.len();
            bytes[at] = byte;
        }
        check_bytes(&checker, &bytes);
    }
}

#[test]
fn every_truncation_of_a_real_entry_is_handled() {
    let checker = checker();
    let text = sample();
    let mut prefixes = 0;
    for (i, _) in text.char_indices().step_by(3) {
        let (diagnostics, entry) = checker.check_text(&file(), &text[..i]);
        assert!(entry.is_none() || diagnostics.is_empty());
        prefixes += 1;
    }
    assert!(prefixes > 100);
}

#[test]
fn deep_nesting_and_alias_bombs_are_refused_quickly() {
    let checker = checker();
    let started = std::time::Instant::now();
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let (diagnostics, _) = checker.check_text(&file(), &deep);
    assert_eq!(diagnostics[0].code, "NSI010");
    // 600 levels of block nesting, ten times the limit, in 180 KB: within the size limit,
    // so that the depth, not the size, is what refuses it.
    let mut deep_block = String::new();
    for i in 0..600 {
        let _ = writeln!(deep_block, "{}k:", " ".repeat(i));
    }
    let (diagnostics, _) = checker.check_text(&file(), &deep_block);
    assert!(
        diagnostics.iter().any(|d| d.code == "NSI010"),
        "{diagnostics:?}"
    );
    let mut bomb = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (name, previous) in ["b", "c", "d", "e", "f", "g", "h", "i"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        let _ = writeln!(
            bomb,
            "{name}: &{name} [{}]",
            vec![format!("*{previous}"); 9].join(",")
        );
    }
    let (diagnostics, _) = checker.check_text(&file(), &bomb);
    assert!(diagnostics.iter().any(|d| d.code == "NSI006"));
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
}
