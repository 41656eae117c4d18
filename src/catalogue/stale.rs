//! What needs chasing: entries whose contacts have expired (or soon will) and entries whose
//! review is overdue, grouped by owning force, with the people to ask.
//!
//! The rules match [`super::stats`]: a contact has expired once its `valid_until` day has
//! passed, and a review is overdue once the review period (`review_period_months` in
//! `nsi.toml`, 12 months by default) has passed since `last_reviewed`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{Days, NaiveDate};
use serde::Serialize;

use super::entry::{Contact, Entry};
pub use super::entry::{REVIEW_INTERVAL_MONTHS, review_due};
use super::entry::{review_due_after, review_overdue_after};
use super::load::LoadError;
use super::lookup;
use super::reference::Reference;
use super::search::IndexedEntry;

/// What to judge staleness against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaleOptions {
    /// The day to judge as of (normally today).
    pub as_of: NaiveDate,
    /// Also report contacts that expire within this many days after `as_of`.
    pub within_days: u32,
    /// A review is overdue this many months after `last_reviewed`
    /// ([`REVIEW_INTERVAL_MONTHS`] unless the configuration says otherwise).
    pub review_period_months: u32,
}

/// Why a contact is named in the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ContactStatus {
    /// `valid_until` has passed.
    Expired,
    /// `valid_until` falls within the window asked for.
    Expiring,
    /// Still valid: named because the entry's review is overdue.
    Current,
}

/// A contact to chase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaleContact {
    /// Full name.
    pub name: String,
    /// Role.
    pub role: String,
    /// Work email.
    pub email: String,
    /// The last day the contact is confirmed for.
    pub valid_until: NaiveDate,
    /// Expired, expiring, or current (named for an overdue review).
    pub status: ContactStatus,
    /// Days from `valid_until` to the as-of date: positive when past, negative when still to
    /// come.
    pub days_overdue: i64,
}

/// An entry with something to chase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaleEntry {
    /// The entry's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its file, relative to the catalogue root.
    pub path: PathBuf,
    /// When it was last confirmed accurate.
    pub last_reviewed: NaiveDate,
    /// When the next review is due.
    pub review_due: NaiveDate,
    /// Whether `review_due` has passed.
    pub review_overdue: bool,
    /// Days since `review_due` when overdue, else `None`.
    pub review_days_overdue: Option<i64>,
    /// Who to ask: the expired and expiring contacts, and every contact when the review is
    /// overdue.
    pub contacts: Vec<StaleContact>,
}

/// The stale entries of one owning force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ForceStale {
    /// The force's slug.
    pub force: String,
    /// Its full name from the reference list (the slug when it is not listed).
    pub name: String,
    /// Its stale entries, by id.
    pub entries: Vec<StaleEntry>,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaleReport {
    /// The day judged as of.
    pub as_of: NaiveDate,
    /// The window for expiring contacts, in days.
    pub within_days: u32,
    /// How long an entry may go without a review.
    pub review_period_months: u32,
    /// Entries read.
    pub entries_checked: usize,
    /// Files that could not be read as entries (run `nsi validate`).
    pub skipped: Vec<PathBuf>,
    /// Contacts whose `valid_until` has passed.
    pub contacts_expired: usize,
    /// Contacts expiring within the window.
    pub contacts_expiring: usize,
    /// Entries whose review is overdue.
    pub reviews_overdue: usize,
    /// Entries with anything to chase.
    pub entries_stale: usize,
    /// Stale entries by owning force, forces by slug.
    pub forces: Vec<ForceStale>,
}

impl StaleReport {
    /// Whether nothing needs chasing.
    pub fn is_empty(&self) -> bool {
        self.forces.is_empty()
    }
}

/// How a contact stands on `options.as_of`.
pub fn contact_status(valid_until: NaiveDate, options: StaleOptions) -> ContactStatus {
    let horizon = options
        .as_of
        .checked_add_days(Days::new(u64::from(options.within_days)))
        .unwrap_or(NaiveDate::MAX);
    if valid_until < options.as_of {
        ContactStatus::Expired
    } else if valid_until < horizon {
        ContactStatus::Expiring
    } else {
        ContactStatus::Current
    }
}

/// What to chase about one entry, or `None` when it is up to date.
pub fn judge(entry: &Entry, path: &Path, options: StaleOptions) -> Option<StaleEntry> {
    let due = review_due_after(entry.last_reviewed, options.review_period_months);
    let review_overdue = due < options.as_of;
    let stale_contact = |contact: &Contact| {
        let status = contact_status(contact.valid_until, options);
        StaleContact {
            name: contact.name.clone(),
            role: contact.role.clone(),
            email: contact.email.clone(),
            valid_until: contact.valid_until,
            status,
            days_overdue: (options.as_of - contact.valid_until).num_days(),
        }
    };
    let contacts: Vec<StaleContact> = entry
        .contacts
        .iter()
        .map(stale_contact)
        .filter(|c| review_overdue || c.status != ContactStatus::Current)
        .collect();
    if !review_overdue && contacts.is_empty() {
        return None;
    }
    Some(StaleEntry {
        id: entry.id.to_string(),
        title: entry.title.clone(),
        path: path.to_path_buf(),
        last_reviewed: entry.last_reviewed,
        review_due: due,
        review_overdue,
        review_days_overdue: review_overdue.then(|| (options.as_of - due).num_days()),
        contacts,
    })
}

/// Judge `entries` (each with its display path) and group what needs chasing by force.
pub fn report(
    entries: &[(PathBuf, Entry)],
    skipped: Vec<PathBuf>,
    reference: &Reference,
    options: StaleOptions,
) -> StaleReport {
    let mut by_force: BTreeMap<String, Vec<StaleEntry>> = BTreeMap::new();
    for (path, entry) in entries {
        if let Some(stale) = judge(entry, path, options) {
            by_force
                .entry(entry.owner_force.to_string())
                .or_default()
                .push(stale);
        }
    }
    let all = || by_force.values().flatten();
    let count = |status| {
        all()
            .flat_map(|e| &e.contacts)
            .filter(|c| c.status == status)
            .count()
    };
    let contacts_expired = count(ContactStatus::Expired);
    let contacts_expiring = count(ContactStatus::Expiring);
    let reviews_overdue = all().filter(|e| e.review_overdue).count();
    let entries_stale = all().count();
    let forces = by_force
        .into_iter()
        .map(|(force, mut entries)| {
            entries.sort_by(|a, b| a.id.cmp(&b.id));
            let name = reference
                .force(&force)
                .map_or_else(|| force.clone(), |f| f.name.clone());
            ForceStale {
                force,
                name,
                entries,
            }
        })
        .collect();
    StaleReport {
        as_of: options.as_of,
        within_days: options.within_days,
        review_period_months: options.review_period_months,
        entries_checked: entries.len(),
        skipped,
        contacts_expired,
        contacts_expiring,
        reviews_overdue,
        entries_stale,
        forces,
    }
}

/// How many of `entries` (from the search index) have a review overdue on `today`, when
/// entries are reviewed every `period_months`.
pub fn count_reviews_overdue(
    entries: &[IndexedEntry<&str>],
    today: NaiveDate,
    period_months: u32,
) -> usize {
    entries
        .iter()
        .filter(|entry| {
            entry
                .last_reviewed()
                .is_some_and(|d| review_overdue_after(d, today, period_months))
        })
        .count()
}

/// Read every entry of the catalogue under `root` (in parallel) and report what is stale.
/// Files that cannot be read as entries are listed in [`StaleReport::skipped`], not fatal.
pub fn find(
    root: &Path,
    reference: &Reference,
    options: StaleOptions,
) -> Result<StaleReport, LoadError> {
    let mut entries: Vec<(PathBuf, Entry)> = Vec::new();
    let mut skipped: Vec<PathBuf> = Vec::new();
    for (file, result) in lookup::read_all(root)? {
        match result {
            Ok(entry) => entries.push((file.display, entry)),
            Err(_) => skipped.push(file.display),
        }
    }
    Ok(report(&entries, skipped, reference, options))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("a date")
    }

    fn options(as_of: &str, within_days: u32) -> StaleOptions {
        StaleOptions {
            as_of: day(as_of),
            within_days,
            review_period_months: REVIEW_INTERVAL_MONTHS,
        }
    }

    fn entry(valid_until: &str, last_reviewed: &str) -> Entry {
        let text = include_str!("../../tests/data/minimal-entry.yaml")
            .replace("ID", "test-entry")
            .replace("FORCE", "kent")
            .replace("2027-06-30", valid_until)
            .replace("2026-06-01", last_reviewed);
        let value = super::super::yaml::parse(&text).value.expect("yaml");
        serde_json::from_value(value).expect("an entry")
    }

    #[test]
    fn a_contact_is_valid_through_its_valid_until_day() {
        let on = options("2026-11-28", 0);
        assert_eq!(
            contact_status(day("2026-11-28"), on),
            ContactStatus::Current
        );
        assert_eq!(
            contact_status(day("2026-11-27"), on),
            ContactStatus::Expired
        );
        let window = options("2026-11-28", 30);
        assert_eq!(
            contact_status(day("2026-12-27"), window),
            ContactStatus::Expiring
        );
        assert_eq!(
            contact_status(day("2026-12-28"), window),
            ContactStatus::Current
        );
    }

    #[test]
    fn a_review_is_overdue_after_twelve_months() {
        let path = Path::new("catalogue/kent/test-entry.yaml");
        let fresh = entry("2027-06-30", "2025-11-28");
        assert!(judge(&fresh, path, options("2026-11-28", 0)).is_none());
        let stale = judge(&fresh, path, options("2026-11-29", 0)).expect("overdue");
        assert!(stale.review_overdue);
        assert_eq!(stale.review_days_overdue, Some(1));
        // The review is overdue: every contact is named, still current.
        assert_eq!(stale.contacts.len(), 1);
        assert_eq!(stale.contacts[0].status, ContactStatus::Current);
    }

    #[test]
    fn the_review_period_comes_from_the_options() {
        let path = Path::new("catalogue/kent/test-entry.yaml");
        let entry = entry("2027-06-30", "2026-05-01");
        let six_months = StaleOptions {
            review_period_months: 6,
            ..options("2026-11-28", 0)
        };
        let stale = judge(&entry, path, six_months).expect("overdue after six months");
        assert_eq!(stale.review_due, day("2026-11-01"));
        assert_eq!(stale.review_days_overdue, Some(27));
        assert!(judge(&entry, path, options("2026-11-28", 0)).is_none());
        let report = report(
            &[(path.to_path_buf(), entry)],
            Vec::new(),
            &Reference::embedded(),
            six_months,
        );
        assert_eq!(report.review_period_months, 6);
        assert_eq!(report.reviews_overdue, 1);
    }

    #[test]
    fn an_expired_contact_is_named_with_how_long_ago() {
        let path = Path::new("catalogue/kent/test-entry.yaml");
        let stale = judge(
            &entry("2026-11-18", "2026-06-01"),
            path,
            options("2026-11-28", 0),
        )
        .expect("expired contact");
        assert!(!stale.review_overdue);
        assert_eq!(stale.review_days_overdue, None);
        assert_eq!(stale.contacts[0].status, ContactStatus::Expired);
        assert_eq!(stale.contacts[0].days_overdue, 10);
        assert_eq!(stale.contacts[0].email, "test.person@force.police.example");
    }
}
