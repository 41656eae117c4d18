//! The similarity policy of new entries, one for `nsi add` (flags, file, editor and guided
//! questions) and `nsi import`: which entries already in the catalogue resemble a new one,
//! and which of them is close enough to be the same solution, so that the submitter is asked
//! before writing a duplicate.

use std::path::Path;

use serde_json::Value;

use super::search::SearchableNames;
use super::search::cache::load_index;
use super::search::similar::{self, SimilarEntry, SimilarityText};

/// How many resembling entries are shown.
pub const SHOWN: usize = 5;

/// Entries already in the catalogue under `root` that resemble `entry` (as JSON, complete or
/// partial) enough to be worth showing, best first; the search index is read from
/// `cache_dir` (or built) afresh at each call, so that an entry written since (the previous
/// row of an import) is compared too. None when the catalogue cannot be indexed: a new entry
/// is never refused for want of an index.
pub fn resembling(
    root: &Path,
    names: &SearchableNames,
    cache_dir: &Path,
    entry: &Value,
) -> Vec<SimilarEntry> {
    let Ok(index) = load_index(root, names, cache_dir, &|_, _| {}) else {
        return Vec::new();
    };
    similar::similar_entries(
        &index.view(),
        root,
        &SimilarityText::of_entry(entry),
        None,
        SHOWN,
    )
    .into_iter()
    .filter(|s| s.score >= similar::WORTH_SHOWING)
    .collect()
}

/// The first of `found` close enough to be the same solution: the one to ask about.
pub fn same_solution(found: &[SimilarEntry]) -> Option<&SimilarEntry> {
    found.iter().find(|s| s.score >= similar::VERY_CLOSE)
}
