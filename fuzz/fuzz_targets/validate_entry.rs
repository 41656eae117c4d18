//! Bytes → decode → validate one entry, the way `nsi validate` reads a file; and, when the text
//! is clean YAML, `nsi fmt`'s canonical writer on it.
//!
//! Beyond "never panics, never hangs", it checks what must hold for any input: every finding has
//! a 1-based position inside the text, and a formatted entry reads back the same and formats to
//! itself.

#![no_main]

use std::sync::OnceLock;

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use nsi::catalogue::format::format_source;
use nsi::catalogue::load::{EntryFile, decode};
use nsi::catalogue::reference::Reference;
use nsi::catalogue::validate::{EntryChecker, ValidationOptions};
use nsi::catalogue::yaml;

fn checker() -> &'static EntryChecker {
    static CHECKER: OnceLock<EntryChecker> = OnceLock::new();
    CHECKER.get_or_init(|| {
        let options = ValidationOptions {
            strict: false,
            today: NaiveDate::from_ymd_opt(2026, 11, 28).expect("a real date"),
        };
        EntryChecker::new(Reference::embedded(), options).expect("the embedded schema compiles")
    })
}

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = decode(bytes) else {
        return;
    };
    let file = EntryFile::new(
        "catalogue/kent/fuzz-entry.yaml",
        "catalogue/kent/fuzz-entry.yaml",
    );
    let (diagnostics, _entry) = checker().check_text(&file, &text);
    let lines = text.split('\n').count();
    for d in &diagnostics {
        assert!(
            d.line >= 1 && d.column >= 1,
            "position {}:{}",
            d.line,
            d.column
        );
        assert!(
            d.line <= lines + 1,
            "line {} beyond the {lines} lines of the text",
            d.line
        );
    }

    let schema = &checker().reference().schema;
    if let Ok(canonical) = format_source(&text, schema) {
        assert_eq!(
            yaml::parse_value(&canonical),
            yaml::parse_value(&text),
            "formatting changed the value:\n{canonical}"
        );
        assert_eq!(
            format_source(&canonical, schema).as_ref(),
            Ok(&canonical),
            "formatting is not idempotent"
        );
    }
});
