//! Two YAML texts → `diff_values`, as `nsi diff` compares two versions of an entry.
//!
//! The input is split at the first `\n---\n` (or in half when there is none). Checks: an entry
//! compared with itself has no changes, and two entries with changes differ.

#![no_main]

use libfuzzer_sys::fuzz_target;
use nsi::catalogue::diff::diff_values;
use nsi::catalogue::yaml::parse_value;

fn split(text: &str) -> (&str, &str) {
    if let Some(at) = text.find("\n---\n") {
        return (&text[..at], &text[at + 5..]);
    }
    let mut middle = text.len() / 2;
    while !text.is_char_boundary(middle) {
        middle -= 1;
    }
    text.split_at(middle)
}

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let (a, b) = split(text);
    let (Some(old), Some(new)) = (parse_value(a), parse_value(b)) else {
        return;
    };
    assert!(
        diff_values(&old, &old).is_empty(),
        "a value differs from itself"
    );
    assert!(
        diff_values(&new, &new).is_empty(),
        "a value differs from itself"
    );
    let changes = diff_values(&old, &new);
    if !changes.is_empty() {
        assert_ne!(old, new, "equal values reported as changed: {changes:?}");
    }
    // The JSON form `nsi diff --format json` prints must always serialise.
    serde_json::to_string(&changes).expect("changes serialise");
});
