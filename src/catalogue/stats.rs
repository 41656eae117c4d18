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

/// One cell of the coverage matrix: a category in a region (or in all of them).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CoverageCell {
    /// Entries in the category owned by forces of the region.
    pub entries: usize,
    /// How many different forces own them.
    pub forces: usize,
    /// Entries by phase (`live`, `beta`, …), phases without entries left out.
    pub phases: BTreeMap<String, usize>,
}

/// A category's row of the coverage matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoverageRow {
    /// The category's slug.
    pub category: String,
    /// One cell per region, in the order of [`Coverage::regions`].
    pub cells: Vec<CoverageCell>,
    /// The category across every region.
    pub total: CoverageCell,
}

/// Categories (aligned with national objectives) by policing region: where many forces have
/// solutions, and where none exist. Every category and region of the reference lists has its
/// row and column, empty ones included: an empty cell is the finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// Region slugs, in the order of the reference list.
    pub regions: Vec<String>,
    /// One row per category, in the order of the reference list.
    pub rows: Vec<CoverageRow>,
}

impl Coverage {
    /// Categories with no solution in use in any region: no entry, or only retired ones.
    pub fn empty_categories(&self) -> Vec<&str> {
        self.rows
            .iter()
            .filter(|row| {
                row.total.entries == row.total.phases.get("retired").copied().unwrap_or(0)
            })
            .map(|row| row.category.as_str())
            .collect()
    }
}

/// What the coverage matrix counts of an entry.
#[derive(Debug, Clone)]
pub struct Covered<'a> {
    /// The owning force.
    pub owner_force: &'a str,
    /// Its categories.
    pub categories: Vec<&'a str>,
    /// Its phase.
    pub phase: super::entry::Phase,
}

impl<'a> From<&'a IndexedEntry<&'a str>> for Covered<'a> {
    fn from(entry: &'a IndexedEntry<&'a str>) -> Self {
        Covered {
            owner_force: entry.owner_force,
            categories: entry.categories.clone(),
            phase: entry.phase,
        }
    }
}

impl<'a> From<&'a super::entry::Entry> for Covered<'a> {
    fn from(entry: &'a super::entry::Entry) -> Self {
        Covered {
            owner_force: entry.owner_force.as_str(),
            categories: entry
                .categories
                .iter()
                .map(super::entry::CategorySlug::as_str)
                .collect(),
            phase: entry.phase,
        }
    }
}

/// The coverage matrix of `entries`; an entry counts in each of its categories, in the region
/// of its owning force (entries of forces missing from the lists are left out: `nsi validate`
/// reports them).
pub fn coverage<'a>(
    entries: impl IntoIterator<Item = Covered<'a>>,
    reference: &Reference,
) -> Coverage {
    // (category, region or None for all) -> (entries, forces, phases)
    type Tally = (
        usize,
        std::collections::BTreeSet<String>,
        BTreeMap<String, usize>,
    );
    let regions: Vec<String> = reference.regions.iter().map(|r| r.slug.clone()).collect();
    let mut tallies: BTreeMap<(String, Option<String>), Tally> = BTreeMap::new();
    for entry in entries {
        let Some(force) = reference.force(entry.owner_force) else {
            continue;
        };
        let phase = value_name(&entry.phase);
        for category in &entry.categories {
            for region in [Some(force.region.clone()), None] {
                let tally = tallies.entry(((*category).to_owned(), region)).or_default();
                tally.0 += 1;
                tally.1.insert(force.slug.clone());
                *tally.2.entry(phase.clone()).or_default() += 1;
            }
        }
    }
    let cell = |category: &str, region: Option<&str>| {
        tallies
            .get(&(category.to_owned(), region.map(str::to_owned)))
            .map(|(entries, forces, phases)| CoverageCell {
                entries: *entries,
                forces: forces.len(),
                phases: phases.clone(),
            })
            .unwrap_or_default()
    };
    let rows = reference
        .categories
        .iter()
        .map(|category| CoverageRow {
            category: category.slug.clone(),
            cells: regions
                .iter()
                .map(|region| cell(&category.slug, Some(region)))
                .collect(),
            total: cell(&category.slug, None),
        })
        .collect();
    Coverage { regions, rows }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::entry::Phase;

    #[test]
    fn a_category_whose_solutions_are_all_retired_is_a_gap() {
        let reference = Reference::embedded();
        let entry = |categories: Vec<&'static str>, phase| Covered {
            owner_force: "kent",
            categories,
            phase,
        };
        let coverage = coverage(
            [
                entry(vec!["cyber-fraud"], Phase::Retired),
                entry(vec!["public-contact"], Phase::Live),
            ],
            &reference,
        );
        let empty = coverage.empty_categories();
        assert!(empty.contains(&"cyber-fraud"), "{empty:?}");
        assert!(!empty.contains(&"public-contact"));
        let row = coverage
            .rows
            .iter()
            .find(|r| r.category == "cyber-fraud")
            .expect("row");
        assert_eq!(
            row.total.entries, 1,
            "the retired solution is still counted"
        );
    }
}
