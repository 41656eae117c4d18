//! The two ways an entry is read agree: the fast canonical reader (and the typed reading built
//! on it) against the full YAML parser followed by the JSON conversion.
//!
//! The canonical reader gives up on anything outside its subset, so "agree" means: whenever it
//! reads a text at all, it reads it exactly as the full parser does. Generated texts are checked
//! in the unit tests of `yaml::canonical`, in `tests/properties.rs` and by the `yaml_fast_path`
//! fuzz target; here every real file is.

use std::path::{Path, PathBuf};

use nsi::catalogue::entry::Entry;
use nsi::catalogue::load::decode;
use nsi::catalogue::yaml::{self, canonical};

const REPO: &str = env!("CARGO_MANIFEST_DIR");

fn yaml_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            yaml_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "yaml")
            && entry.file_type().is_ok_and(|t| t.is_file())
        {
            found.push(path);
        }
    }
}

fn texts(under: &str) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    yaml_files(&Path::new(REPO).join(under), &mut files);
    files.sort();
    files
        .into_iter()
        .filter_map(|path| {
            let bytes = std::fs::read(&path).ok()?;
            let text = decode(&bytes).ok()?;
            Some((path, text))
        })
        .collect()
}

/// The long way: the full parser's JSON, converted.
fn long_way(text: &str) -> Option<Entry> {
    serde_json::from_value(yaml::parse_value(text)?).ok()
}

#[test]
fn every_shipped_entry_is_read_fast_and_read_the_same() {
    let shipped = texts("catalogue");
    assert!(
        shipped.len() >= 20,
        "only {} shipped entries found",
        shipped.len()
    );
    for (path, text) in &shipped {
        let fast = canonical::events(text);
        assert!(
            fast.is_some(),
            "{} is not read by the fast reader",
            path.display()
        );
        assert_eq!(
            fast,
            canonical::full_parser_events(text),
            "{}",
            path.display()
        );
        let typed: Option<Entry> = yaml::from_canonical(text);
        assert!(
            typed.is_some(),
            "{} is not read straight into an entry",
            path.display()
        );
        assert_eq!(typed, long_way(text), "{}", path.display());
    }
}

#[test]
fn every_fixture_is_read_the_same_either_way() {
    let fixtures = texts("tests/fixtures");
    assert!(
        fixtures.len() >= 150,
        "only {} fixtures found",
        fixtures.len()
    );
    let (mut fast, mut typed) = (0, 0);
    for (path, text) in &fixtures {
        assert!(
            canonical::agrees_with_full_parser(text),
            "{}",
            path.display()
        );
        fast += usize::from(canonical::events(text).is_some());
        if let Some(entry) = yaml::from_canonical::<Entry>(text) {
            typed += 1;
            assert_eq!(Some(entry), long_way(text), "{}", path.display());
        }
    }
    // Both kinds are present: files the fast reader takes, and files it leaves alone.
    assert!(
        fast > 50 && fast < fixtures.len(),
        "{fast} of {} read fast",
        fixtures.len()
    );
    assert!(
        typed > 20,
        "only {typed} fixtures read straight into an entry"
    );
}

#[test]
fn a_repeated_key_or_a_misfit_goes_the_long_way() {
    let shipped = texts("catalogue");
    let (_, text) = &shipped[0];
    let repeated = format!("{text}title: again\n");
    assert!(canonical::events(&repeated).is_some());
    assert!(yaml::from_canonical::<Entry>(&repeated).is_none());
    assert!(
        yaml::parse_value(&repeated).is_none(),
        "the full parser reports the repeat"
    );

    // `costs: []` fills a struct whose fields all have defaults; what follows it belongs to the
    // entry, not to `costs` (a key named like a cost band must not be read as one).
    let mut without_costs = String::new();
    let mut in_costs = false;
    for line in text.lines() {
        in_costs = line.starts_with("costs:") || (in_costs && line.starts_with(' '));
        if !in_costs {
            without_costs.push_str(line);
            without_costs.push('\n');
        }
    }
    assert!(yaml::from_canonical::<Entry>(&without_costs).is_some());
    for (key, value) in [("none", "anything"), ("unknown", "x"), ("null", "null")] {
        let after_empty = format!("{without_costs}costs: []\n{key}: {value}\n");
        assert!(canonical::events(&after_empty).is_some());
        assert_eq!(
            yaml::from_canonical::<Entry>(&after_empty),
            long_way(&after_empty),
            "{key}: {value}"
        );
        assert!(
            long_way(&after_empty).is_none(),
            "`{key}` is not a field of an entry"
        );
    }

    let misfit = text.replacen("phase: ", "phase: 12\nwas_phase: ", 1);
    assert!(canonical::events(&misfit).is_some());
    assert!(yaml::from_canonical::<Entry>(&misfit).is_none());
    assert!(long_way(&misfit).is_none());
}
