//! An entry as the index sees it: its listing ([`IndexedEntry`], enough to filter, rank and
//! list it without its file), and its words field by field, folded, with the text phrases are
//! matched in.

use std::ops::Range;

use chrono::{Datelike as _, NaiveDate};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::ranking::{FIELD_COUNT, SearchableNames, field_items};
use super::text::push_tokens;
use crate::catalogue::entry::{
    AdoptionStatus, Availability, Deployment, Entry, Phase, SkillLevel, Visibility,
};
use crate::catalogue::load::EntryFile;

/// What the index keeps of an entry: enough to filter, rank and list it without the file.
/// `S` is `String` while building and `&str` borrowed from the cache bytes when searching.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IndexedEntry<S> {
    /// Solution id.
    pub id: S,
    /// Title.
    pub title: S,

    /// Path relative to the catalogue root.
    pub path: S,
    /// Owning force slug.
    pub owner_force: S,
    /// Partner force slugs.
    pub partner_forces: Vec<S>,
    /// Category slugs.
    pub categories: Vec<S>,
    /// Tags.
    pub tags: Vec<S>,
    /// Phase.
    pub phase: Phase,
    /// Deployment.
    pub deployment: Deployment,
    /// Technology stack items, as written.
    pub stack: Vec<S>,
    /// Skills: role family and level.
    pub skills: Vec<(S, SkillLevel)>,
    /// Visibility.
    pub visibility: Visibility,
    /// Documents: type and availability.
    pub documents: Vec<(S, Availability)>,
    /// Adopting forces and their status.
    pub adopters: Vec<(S, AdoptionStatus)>,
    /// `last_reviewed`, as days since 0001-01-01.
    pub last_reviewed: i32,
    /// Each contact's `valid_until`, as days since 0001-01-01.
    pub contacts_valid_until: Vec<i32>,
    /// Number of words in each field, for length normalisation.
    pub field_lengths: [u16; FIELD_COUNT],
}

impl<S: AsRef<str>> IndexedEntry<S> {
    /// The highest level any skill requires.
    pub fn highest_level(&self) -> Option<SkillLevel> {
        self.skills.iter().map(|(_, level)| *level).max()
    }

    /// `last_reviewed` as a date.
    pub fn last_reviewed(&self) -> Option<NaiveDate> {
        NaiveDate::from_num_days_from_ce_opt(self.last_reviewed)
    }

    /// Contacts' expiry dates.
    pub fn contacts_valid_until(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.contacts_valid_until
            .iter()
            .filter_map(|d| NaiveDate::from_num_days_from_ce_opt(*d))
    }
}

/// The index's view of one entry: its listing, and its phrase text with where each word of
/// each field lies in it.
pub struct Analysed {
    /// The listing.
    pub entry: IndexedEntry<String>,
    /// The folded words of every item, one line per item, field after field (the text phrases
    /// are matched in).
    pub phrase_text: String,
    /// Where each word of each field lies in `phrase_text`.
    pub words: [Vec<Range<usize>>; FIELD_COUNT],
}

impl Analysed {
    /// Each distinct word with its count per field.
    pub fn word_counts(&self) -> FxHashMap<&str, [u16; FIELD_COUNT]> {
        let words: usize = self.words.iter().map(Vec::len).sum();
        let mut counts: FxHashMap<&str, [u16; FIELD_COUNT]> =
            FxHashMap::with_capacity_and_hasher(words / 2, rustc_hash::FxBuildHasher);
        for (field, words) in self.words.iter().enumerate() {
            for word in words {
                let slot = &mut counts.entry(&self.phrase_text[word.clone()]).or_default()[field];
                *slot = slot.saturating_add(1);
            }
        }
        counts
    }
}

/// `entry`, read from `file`, as the index sees it.
pub fn analyse(entry: &Entry, file: &EntryFile, names: &SearchableNames) -> Analysed {
    let (phrase_text, words) = phrase_text(&field_items(entry, names));
    let field_lengths = words
        .each_ref()
        .map(|w| u16::try_from(w.len()).unwrap_or(u16::MAX));
    Analysed {
        entry: indexed(entry, file, field_lengths),
        phrase_text,
        words,
    }
}

/// The text phrases are matched in (one line per item, its words separated by single spaces)
/// and where each word of each field lies in it.
fn phrase_text(items: &[Vec<&str>; FIELD_COUNT]) -> (String, [Vec<Range<usize>>; FIELD_COUNT]) {
    let mut text = String::new();
    let words = items.each_ref().map(|items| {
        let mut words = Vec::new();
        for item in items {
            push_tokens(item, &mut text, &mut words);
            text.push('\n');
        }
        words
    });
    (text, words)
}

fn indexed(
    entry: &Entry,
    file: &EntryFile,
    field_lengths: [u16; FIELD_COUNT],
) -> IndexedEntry<String> {
    let strings = |items: &[String]| items.to_vec();
    IndexedEntry {
        id: entry.id.to_string(),
        title: entry.title.clone(),

        path: file.display.to_string_lossy().replace('\\', "/"),
        owner_force: entry.owner_force.to_string(),
        partner_forces: entry
            .partner_forces
            .iter()
            .map(ToString::to_string)
            .collect(),
        categories: entry.categories.iter().map(ToString::to_string).collect(),
        tags: strings(&entry.tags),
        phase: entry.phase,
        deployment: entry.technology.deployment,
        stack: strings(&entry.technology.stack),
        skills: entry
            .skills
            .iter()
            .map(|s| (s.role.to_string(), s.level))
            .collect(),
        visibility: entry.visibility,
        documents: entry
            .documentation
            .iter()
            .map(|d| (d.kind.to_string(), d.availability))
            .collect(),
        adopters: entry
            .adopters
            .iter()
            .map(|a| (a.force.to_string(), a.status))
            .collect(),
        last_reviewed: entry.last_reviewed.num_days_from_ce(),
        contacts_valid_until: entry
            .contacts
            .iter()
            .map(|c| c.valid_until.num_days_from_ce())
            .collect(),
        field_lengths,
    }
}
