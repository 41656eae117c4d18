//! "What is everyone working on": counts over the catalogue by category, force, region, phase,
//! technology, skill level and more, plus what needs chasing.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::entry::{review_overdue_after, value_name};
use super::reference::Reference;
use super::search::IndexedEntry;
use super::search::text::fold;

/// A dimension counts can be broken down by.
pub const DIMENSIONS: &[&str] = &[
    "category",
    "force",
    "region",
    "phase",
    "technology",
    "level",
    "deployment",
    "visibility",
];

/// Counts over the catalogue.
#[derive(Debug, Clone, Serialize)]
pub struct CatalogueStats {
    /// Entries counted.
    pub entries: usize,
    /// For each dimension, `(value, entries)` from most to fewest.
    pub by: BTreeMap<&'static str, Vec<(String, usize)>>,
    /// Contacts whose `valid_until` has passed.
    pub contacts_expired: usize,
    /// Entries with at least one expired contact.
    pub entries_with_expired_contacts: usize,
    /// Entries whose review is overdue: last reviewed more than `review_period_months` ago.
    pub reviews_overdue: usize,
    /// The review period overdue reviews were judged by (12, or `nsi.toml`'s setting).
    pub review_period_months: u32,
    /// Files that could not be read as entries.
    pub skipped: usize,
}

/// Count `entries`, judging expiry against `today` and reviews as overdue once
/// `review_period_months` have passed since `last_reviewed`.
pub fn compute(
    entries: &[IndexedEntry<&str>],
    skipped: usize,
    reference: &Reference,
    today: NaiveDate,
    review_period_months: u32,
) -> CatalogueStats {
    let mut counts: BTreeMap<&'static str, BTreeMap<String, usize>> = BTreeMap::new();
    let mut add = |dimension: &'static str, values: Vec<String>| {
        let mut values = values;
        values.sort();
        values.dedup();
        for value in values {
            *counts
                .entry(dimension)
                .or_default()
                .entry(value)
                .or_default() += 1;
        }
    };
    let mut contacts_expired = 0;
    let mut entries_with_expired_contacts = 0;
    let mut reviews_overdue = 0;
    for entry in entries {
        add(
            "category",
            entry.categories.iter().map(|c| (*c).to_owned()).collect(),
        );
        add("force", vec![entry.owner_force.to_owned()]);
        let region = reference
            .force(entry.owner_force)
            .map_or_else(|| "unknown".to_owned(), |f| f.region.clone());
        add("region", vec![region]);
        add("phase", vec![value_name(&entry.phase)]);
        // Technologies are free text: count them case- and accent-insensitively.
        add("technology", entry.stack.iter().map(|s| fold(s)).collect());
        add(
            "level",
            vec![
                entry
                    .highest_level()
                    .map_or_else(|| "none".to_owned(), |l| value_name(&l)),
            ],
        );
        add("deployment", vec![value_name(&entry.deployment)]);
        add("visibility", vec![value_name(&entry.visibility)]);
        let expired = entry.contacts_valid_until().filter(|d| *d < today).count();
        contacts_expired += expired;
        entries_with_expired_contacts += usize::from(expired > 0);
        let overdue = entry
            .last_reviewed()
            .is_some_and(|d| review_overdue_after(d, today, review_period_months));
        reviews_overdue += usize::from(overdue);
    }
    let by = counts
        .into_iter()
        .map(|(dimension, values)| {
            let mut values: Vec<(String, usize)> = values.into_iter().collect();
            values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            (dimension, values)
        })
        .collect();
    CatalogueStats {
        entries: entries.len(),
        by,
        contacts_expired,
        entries_with_expired_contacts,
        reviews_overdue,
        review_period_months,
        skipped,
    }
}
