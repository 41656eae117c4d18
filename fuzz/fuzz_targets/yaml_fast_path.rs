//! Text → the canonical YAML reader and the full parser, side by side: whenever the fast reader
//! accepts a text, it must produce exactly the full parser's events at the same positions, and
//! an entry read straight from its events must be the entry the long way (full parser, JSON,
//! conversion) reads, so that the two can never read an entry differently.

#![no_main]

use libfuzzer_sys::fuzz_target;
use nsi::catalogue::entry::Entry;
use nsi::catalogue::yaml::{self, canonical};

fuzz_target!(|text: &str| {
    if let Some(fast) = canonical::events(text) {
        let full = canonical::full_parser_events(text);
        assert_eq!(Some(&fast), full.as_ref(), "the readers disagree on {text:?}");
        if let Some(entry) = yaml::from_canonical::<Entry>(text) {
            let long_way: Option<Entry> =
                yaml::parse_value(text).and_then(|value| serde_json::from_value(value).ok());
            assert_eq!(Some(entry), long_way, "the typed reading differs on {text:?}");
        }
    }
});
