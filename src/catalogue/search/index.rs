//! The search index: an inverted index over the text of every entry, built from the YAML files
//! and kept in a cache file so that a search does not re-parse the catalogue.
//!
//! The index is always used through a borrowed view over its serialized bytes ([`IndexView`]):
//! loading a cache is one read and a zero-copy decode, and a fresh build is serialized and then
//! viewed the same way, so both paths run the same code.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;
use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{Datelike as _, NaiveDate};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use serde_bytes::{ByteBuf, Bytes};

use super::query::Query;
use super::scan::Prefilter;
use super::text::{contains_phrase, push_tokens};
use crate::catalogue::config::Config;
use crate::catalogue::entry::{
    AdoptionStatus, Availability, Deployment, Entry, Phase, SkillLevel, Visibility,
};
use crate::catalogue::load::{self, EntryFile, LoadError};
use crate::catalogue::lookup;
use crate::catalogue::private_files;

/// Bumped whenever the layout of the cache changes.
const FORMAT_VERSION: u32 = 4;

/// How many entries are encoded together in one block of the cache.
const ENTRY_BLOCK: usize = 1024;

/// A hash of this file's source, so that any change to how the index is built or laid out
/// invalidates caches written by other builds, even of the same version.
const SOURCE_HASH: u64 = xxhash_rust::const_xxh3::xxh3_64(include_bytes!("index.rs"));
const MAGIC: [u8; 8] = *b"NSIIDX\0\x02";

/// The fields the engine searches, heaviest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// `title`.
    Title,
    /// `tags`.
    Tags,
    /// `summary`.
    Summary,
    /// `problem_statement`.
    ProblemStatement,
    /// `description`.
    Description,
    /// `technology`: stack, hosting and integrations.
    Technology,
    /// Categories, the owning force's name, rationale and benefits.
    Context,
}

/// How many fields there are.
pub const FIELD_COUNT: usize = 7;

impl Field {
    /// Every field, in weight order.
    pub const ALL: [Field; FIELD_COUNT] = [
        Field::Title,
        Field::Tags,
        Field::Summary,
        Field::ProblemStatement,
        Field::Description,
        Field::Technology,
        Field::Context,
    ];

    /// How much a match in this field counts: title and tags above summary and problem
    /// statement, above description and technology.
    pub fn weight(self) -> f32 {
        match self {
            Field::Title => 6.0,
            Field::Tags => 4.0,
            Field::Summary => 3.0,
            Field::ProblemStatement => 2.0,
            Field::Description | Field::Technology => 1.0,
            Field::Context => 0.5,
        }
    }

    /// The length, in words, at which a match in this field counts at its plain weight: longer
    /// fields count a match for less, shorter ones for more (BM25's length normalisation).
    ///
    /// Fixed, not the catalogue's average: an entry's score then depends only on the entry and
    /// on how rare its words are (and on how many entry files there are), so a search can be
    /// answered from the entries that can match without parsing the rest ([`load_or_scan`]).
    /// These are the shipped catalogue's averages, rounded (a generated catalogue's are between
    /// about half of them and 1.4 times: 19 words of technology, 56 of summary).
    pub fn pivot(self) -> f32 {
        match self {
            Field::Title => 4.0,
            Field::Tags => 10.0,
            Field::Summary | Field::ProblemStatement | Field::Technology | Field::Context => 40.0,
            Field::Description => 120.0,
        }
    }

    /// The field's name in output.
    pub fn name(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Tags => "tags",
            Field::Summary => "summary",
            Field::ProblemStatement => "problem_statement",
            Field::Description => "description",
            Field::Technology => "technology",
            Field::Context => "context",
        }
    }

    /// The field's position in per-field arrays.
    pub fn index(self) -> usize {
        self as usize
    }
}

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

/// The serialized form of an index. `S` is the string type, `B` the byte-blob type.
#[derive(Debug, Serialize, Deserialize)]
struct IndexData<S, B> {
    fingerprint: u64,
    /// How many entry files the catalogue holds, readable or not: the number rarity is
    /// measured against. An index built from some of the files still counts them all.
    catalogue_files: u32,
    /// The entries, [`ENTRY_BLOCK`] at a time, each block a postcard-encoded
    /// `Vec<IndexedEntry>`, so that blocks are decoded on every core.
    entry_blocks: Vec<B>,
    /// Files that could not be read as entries (run `nsi validate` to see why).
    skipped: Vec<S>,
    /// The vocabulary, sorted.
    terms: Vec<S>,
    /// Number of entries containing each term.
    document_frequency: Vec<u32>,
    /// Every term's postings, encoded one after the other; `offsets[i]..offsets[i + 1]`.
    postings: B,
    offsets: Vec<u32>,
}

/// Each entry's folded words, one line per field, for phrase matching. Kept in a file of its
/// own, read only when a query has a phrase, so that ordinary searches read less.
#[derive(Debug, Serialize, Deserialize)]
struct PhraseData<S> {
    fingerprint: u64,
    /// Entry `i`'s text is `text[offsets[i]..offsets[i + 1]]`.
    offsets: Vec<u32>,
    text: S,
}

const PHRASE_MAGIC: [u8; 8] = *b"NSIPHR\0\x02";

/// One posting: an entry and how often the term occurs in each field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posting {
    /// Index of the entry in [`IndexView::entries`].
    pub entry: u32,
    /// Occurrences per field.
    pub counts: [u16; FIELD_COUNT],
}

fn write_varint(out: &mut Vec<u8>, mut value: u32) {
    while value >= 0x80 {
        out.push(u8::try_from(value & 0x7F).unwrap_or_default() | 0x80);
        value >>= 7;
    }
    out.push(u8::try_from(value).unwrap_or_default());
}

fn read_varint(bytes: &[u8], at: &mut usize) -> Option<u32> {
    let mut value: u32 = 0;
    for shift in (0..35).step_by(7) {
        let byte = *bytes.get(*at)?;
        *at += 1;
        value |= u32::from(byte & 0x7F).checked_shl(shift)?;
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

/// Decode a postings list: entry deltas, a field mask, then a count per field in the mask.
/// Stops at the first malformed byte rather than panicking (a corrupt cache is rebuilt).
pub fn decode_postings(bytes: &[u8]) -> Vec<Posting> {
    let mut postings = Vec::new();
    let mut at = 0;
    let mut entry = 0u32;
    while at < bytes.len() {
        let Some(delta) = read_varint(bytes, &mut at) else {
            break;
        };
        let Some(&mask) = bytes.get(at) else { break };
        at += 1;
        entry = entry.saturating_add(delta);
        let mut counts = [0u16; FIELD_COUNT];
        for (field, count) in counts.iter_mut().enumerate() {
            if mask & (1 << field) != 0 {
                let Some(n) = read_varint(bytes, &mut at) else {
                    return postings;
                };
                *count = u16::try_from(n).unwrap_or(u16::MAX);
            }
        }
        postings.push(Posting { entry, counts });
    }
    postings
}

/// The text of an entry per field, as separate items (a tag, a stack item, a benefit), so
/// that a phrase never runs from one item into the next.
fn field_segments<'e>(
    entry: &'e Entry,
    force_name: &'e str,
    category_names: &'e [String],
) -> [Vec<&'e str>; FIELD_COUNT] {
    let technology = &entry.technology;
    let mut technology_items: Vec<&str> = technology.stack.iter().map(String::as_str).collect();
    technology_items.extend(technology.hosting.as_deref());
    for integration in &technology.integrations {
        technology_items.push(&integration.system);
        technology_items.push(&integration.method);
    }
    let mut context = vec![force_name, entry.rationale.as_str()];
    context.extend(category_names.iter().map(String::as_str));
    context.extend(entry.benefits.iter().map(|b| b.description.as_str()));
    [
        vec![entry.title.as_str()],
        entry.tags.iter().map(String::as_str).collect(),
        vec![entry.summary.as_str()],
        vec![entry.problem_statement.as_str()],
        entry.description.as_deref().into_iter().collect(),
        technology_items,
        context,
    ]
}

/// The text phrases are matched in (one line per item, its words separated by single spaces)
/// and where each word of each field lies in it.
fn phrase_text(segments: &[Vec<&str>; FIELD_COUNT]) -> (String, [Vec<Range<usize>>; FIELD_COUNT]) {
    let mut text = String::new();
    let words = segments.each_ref().map(|items| {
        let mut words = Vec::new();
        for item in items {
            push_tokens(item, &mut text, &mut words);
            text.push('\n');
        }
        words
    });
    (text, words)
}

/// Names the index needs from the reference lists, to make them searchable.
#[derive(Debug, Clone, Default)]
pub struct SearchableNames {
    /// Force slug → name.
    pub forces: BTreeMap<String, String>,
    /// Category slug → name.
    pub categories: BTreeMap<String, String>,
}

impl From<&crate::catalogue::reference::Reference> for SearchableNames {
    fn from(reference: &crate::catalogue::reference::Reference) -> Self {
        SearchableNames {
            forces: reference
                .forces
                .iter()
                .map(|f| (f.slug.clone(), f.name.clone()))
                .collect(),
            categories: reference
                .categories
                .iter()
                .map(|c| (c.slug.clone(), c.name.clone()))
                .collect(),
        }
    }
}

/// The index's view of one entry: its listing, and its phrase text with where each word of
/// each field lies in it.
struct Analysed {
    entry: IndexedEntry<String>,
    phrase_text: String,
    words: [Vec<Range<usize>>; FIELD_COUNT],
}

impl Analysed {
    /// Each distinct word with its count per field.
    fn word_counts(&self) -> FxHashMap<&str, [u16; FIELD_COUNT]> {
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

fn analyse(entry: &Entry, file: &EntryFile, names: &SearchableNames) -> Analysed {
    let force_name = names
        .forces
        .get(entry.owner_force.as_str())
        .cloned()
        .unwrap_or_default();
    let category_names: Vec<String> = entry
        .categories
        .iter()
        .map(|c| {
            names
                .categories
                .get(c.as_str())
                .cloned()
                .unwrap_or_else(|| c.to_string())
        })
        .collect();
    let (phrase_text, words) = phrase_text(&field_segments(entry, &force_name, &category_names));
    let field_lengths = words
        .each_ref()
        .map(|w| u16::try_from(w.len()).unwrap_or(u16::MAX));
    Analysed {
        entry: indexed(entry, file, field_lengths),
        phrase_text,
        words,
    }
}

/// A term's postings as they are being encoded.
#[derive(Default)]
struct TermPostings {
    bytes: Vec<u8>,
    last_entry: u32,
    entries: u32,
}

/// Builds the inverted index one entry at a time, encoding postings as it goes, so memory
/// holds one copy of each distinct word and a few bytes per posting, not every word read.
#[derive(Default)]
struct Inverter {
    terms: FxHashMap<String, TermPostings>,
    entries: u32,
}

/// The finished inverted index.
struct Inverted {
    terms: Vec<String>,
    document_frequency: Vec<u32>,
    postings: Vec<u8>,
    offsets: Vec<u32>,
}

/// A chunk of files read and inverted on one core: entry numbers are local to the chunk.
struct ChunkIndex {
    entries: Vec<IndexedEntry<String>>,
    phrase_texts: Vec<String>,
    terms: FxHashMap<String, Vec<EntryCounts>>,
    skipped: Vec<String>,
}

impl ChunkIndex {
    fn build(files: &[EntryFile], names: &SearchableNames) -> Self {
        let mut chunk = ChunkIndex {
            entries: Vec::with_capacity(files.len()),
            phrase_texts: Vec::with_capacity(files.len()),
            terms: FxHashMap::default(),
            skipped: Vec::new(),
        };
        for file in files {
            let Ok(entry) = lookup::read_entry(file) else {
                chunk
                    .skipped
                    .push(file.display.to_string_lossy().into_owned());
                continue;
            };
            let analysed = analyse(&entry, file, names);
            let local = u32::try_from(chunk.entries.len()).unwrap_or(u32::MAX);
            for (word, counts) in analysed.word_counts() {
                // Most words are already in the chunk: copy each one only the first time.
                match chunk.terms.get_mut(word) {
                    Some(postings) => postings.push((local, counts)),
                    None => {
                        chunk.terms.insert(word.to_owned(), vec![(local, counts)]);
                    }
                }
            }
            chunk.entries.push(analysed.entry);
            chunk.phrase_texts.push(analysed.phrase_text);
        }
        chunk
    }
}

/// An entry (numbered within its chunk) and how often a word occurs in each of its fields.
type EntryCounts = (u32, [u16; FIELD_COUNT]);

impl Inverter {
    /// Add the next chunk's entries (numbered after those already added, in chunk order).
    fn absorb(&mut self, entries: usize, terms: FxHashMap<String, Vec<EntryCounts>>) {
        let base = self.entries;
        self.entries += u32::try_from(entries).unwrap_or(u32::MAX);
        for (word, postings_in_chunk) in terms {
            let postings = self.terms.entry(word).or_default();
            for (local, counts) in postings_in_chunk {
                let entry = base + local;
                write_varint(&mut postings.bytes, entry - postings.last_entry);
                postings.last_entry = entry;
                postings.entries += 1;
                let mask = counts
                    .iter()
                    .enumerate()
                    .fold(0u8, |m, (f, c)| if *c > 0 { m | (1 << f) } else { m });
                postings.bytes.push(mask);
                for count in counts.iter().filter(|c| **c > 0) {
                    write_varint(&mut postings.bytes, u32::from(*count));
                }
            }
        }
    }

    /// Sort the vocabulary and lay the postings out one after the other.
    fn finish(self) -> Inverted {
        let mut sorted: Vec<(String, TermPostings)> = self.terms.into_iter().collect();
        sorted.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut inverted = Inverted {
            terms: Vec::with_capacity(sorted.len()),
            document_frequency: Vec::with_capacity(sorted.len()),
            postings: Vec::with_capacity(sorted.iter().map(|(_, p)| p.bytes.len()).sum()),
            offsets: Vec::with_capacity(sorted.len() + 1),
        };
        inverted.offsets.push(0);
        for (term, postings) in sorted {
            inverted.postings.extend_from_slice(&postings.bytes);
            inverted
                .offsets
                .push(u32::try_from(inverted.postings.len()).unwrap_or(u32::MAX));
            inverted.document_frequency.push(postings.entries);
            inverted.terms.push(term);
        }
        inverted
    }
}

/// A freshly built index: the cache file's bytes, and the phrase text (serialised into its own
/// file only when the index is saved).
struct Built {
    index: Vec<u8>,
    phrases: PhraseData<String>,
}

/// Build the index of `files`, some or all of the `catalogue_files` entry files, with the given
/// fingerprint.
fn build(
    files: &[EntryFile],
    catalogue_files: usize,
    names: &SearchableNames,
    fingerprint: u64,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Built {
    // Each chunk of files is read, tokenised and inverted on its own core; the chunks' small
    // inverted indexes are then merged in file order while the next batch is being read. The
    // merge touches each distinct word once per chunk rather than once per entry.
    const CHUNK: usize = 128;
    const BATCH: usize = 8;
    let mut entries = Vec::with_capacity(files.len());
    let mut skipped = Vec::new();
    let mut inverter = Inverter::default();
    let mut phrases = PhraseData {
        fingerprint,
        offsets: vec![0],
        text: String::new(),
    };
    let mut merge = |done: Vec<ChunkIndex>| {
        for chunk in done {
            skipped.extend(chunk.skipped);
            inverter.absorb(chunk.entries.len(), chunk.terms);
            for (entry, phrase_text) in chunk.entries.into_iter().zip(chunk.phrase_texts) {
                entries.push(entry);
                phrases.text.push_str(&phrase_text);
                phrases
                    .offsets
                    .push(u32::try_from(phrases.text.len()).unwrap_or(u32::MAX));
            }
        }
    };
    let chunks: Vec<&[EntryFile]> = files.chunks(CHUNK).collect();
    let mut pending: Option<Vec<ChunkIndex>> = None;
    let done = AtomicUsize::new(0);
    for batch in chunks.chunks(BATCH) {
        let previous = pending.take();
        let (indexed, ()) = rayon::join(
            || {
                batch
                    .par_iter()
                    .map(|chunk| {
                        let index = ChunkIndex::build(chunk, names);
                        let so_far = done.fetch_add(chunk.len(), Ordering::Relaxed) + chunk.len();
                        progress(so_far, files.len());
                        index
                    })
                    .collect::<Vec<_>>()
            },
            || {
                if let Some(done) = previous {
                    merge(done);
                }
            },
        );
        pending = Some(indexed);
    }
    if let Some(done) = pending {
        merge(done);
    }
    let index = inverter.finish();
    let entry_blocks = entries
        .par_chunks(ENTRY_BLOCK)
        .map(|block| ByteBuf::from(postcard::to_allocvec(block).unwrap_or_default()))
        .collect();
    let data = IndexData {
        fingerprint,
        catalogue_files: u32::try_from(catalogue_files).unwrap_or(u32::MAX),
        entry_blocks,
        skipped,
        terms: index.terms,
        document_frequency: index.document_frequency,
        postings: ByteBuf::from(index.postings),
        offsets: index.offsets,
    };
    let index_bytes = with_header(MAGIC, fingerprint, &data);
    // Only the bytes are used from here on. Freeing the hundreds of thousands of small strings
    // the index was built from takes a core about 20 ms at 10,000 entries: the other core does
    // it while this one writes the cache and answers (a process that ends first leaves the
    // freeing to the operating system).
    // Should no thread start, the closure and `data` with it are dropped here instead.
    let _ = std::thread::Builder::new().spawn(move || drop((data, entries)));
    Built {
        index: index_bytes,
        phrases,
    }
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

/// A read-only view of an index, borrowing from its serialized bytes.
#[derive(Debug)]
pub struct IndexView<'a> {
    data: IndexData<&'a str, &'a Bytes>,
    entries: Vec<IndexedEntry<&'a str>>,
    phrases: &'a Phrases,
}

impl<'a> IndexView<'a> {
    /// Decode `bytes` (as written by a build). `None` when they are not a well-formed index.
    pub fn decode(bytes: &'a [u8], phrases: &'a Phrases) -> Option<Self> {
        // The checksum was verified when the bytes were loaded or built.
        let payload = bytes.get(MAGIC.len() + 16..)?;
        let data: IndexData<&'a str, &'a Bytes> = postcard::from_bytes(payload).ok()?;
        let blocks: Vec<Vec<IndexedEntry<&'a str>>> = data
            .entry_blocks
            .par_iter()
            .map(|block| postcard::from_bytes(block).ok())
            .collect::<Option<_>>()?;
        // Moved, not cloned (as `concat` would): each entry holds lists of its own.
        let mut entries = Vec::with_capacity(blocks.iter().map(Vec::len).sum());
        for block in blocks {
            entries.extend(block);
        }
        let well_formed = data.offsets.len() == data.terms.len() + 1
            && data.document_frequency.len() == data.terms.len()
            && data.offsets.windows(2).all(|w| w[0] <= w[1])
            && data
                .offsets
                .last()
                .is_some_and(|last| *last as usize == data.postings.len());
        well_formed.then_some(IndexView {
            data,
            entries,
            phrases,
        })
    }

    /// The fingerprint of the files the index was built from.
    pub fn fingerprint(&self) -> u64 {
        self.data.fingerprint
    }

    /// Every indexed entry.
    pub fn entries(&self) -> &[IndexedEntry<&'a str>] {
        &self.entries
    }

    /// Files that could not be read as entries.
    pub fn skipped(&self) -> &[&'a str] {
        &self.data.skipped
    }

    /// The sorted vocabulary.
    pub fn terms(&self) -> &[&'a str] {
        &self.data.terms
    }

    /// How many entries contain term number `term`.
    pub fn document_frequency(&self, term: usize) -> u32 {
        self.data.document_frequency.get(term).copied().unwrap_or(0)
    }

    /// The postings of term number `term`.
    pub fn postings(&self, term: usize) -> Vec<Posting> {
        let (Some(start), Some(end)) =
            (self.data.offsets.get(term), self.data.offsets.get(term + 1))
        else {
            return Vec::new();
        };
        self.data
            .postings
            .get(*start as usize..*end as usize)
            .map_or_else(Vec::new, decode_postings)
    }

    /// How many entry files the catalogue holds (see [`Field::pivot`] for why a search needs
    /// only this and not every entry).
    pub fn catalogue_files(&self) -> usize {
        self.data.catalogue_files as usize
    }

    /// Whether `words` appear next to each other, in order, within one item of one field of
    /// entry `entry`. The phrase file is read on first use; if it has gone (another process
    /// rebuilt the cache), the entry's file is read instead, so the answer is always right.
    pub fn contains_phrase(&self, entry: usize, words: &[String]) -> bool {
        let holds = |text: &str| contains_phrase(text, words);
        match self.phrases.text(entry) {
            Some(text) => holds(text),
            None => self
                .entries
                .get(entry)
                .is_some_and(|e| self.phrases.recompute(e.path).is_some_and(|t| holds(&t))),
        }
    }

    /// The range of vocabulary indices of terms starting with `prefix`.
    pub fn prefix_range(&self, prefix: &str) -> std::ops::Range<usize> {
        let terms = &self.data.terms;
        let start = terms.partition_point(|t| *t < prefix);
        let end = start + terms[start..].partition_point(|t| t.starts_with(prefix));
        start..end
    }

    /// The vocabulary index of `term`.
    pub fn term_index(&self, term: &str) -> Option<usize> {
        self.data.terms.binary_search(&term).ok()
    }
}

/// Where an index came from, for `-v` output and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexSource {
    /// Read from a valid cache.
    Cache,
    /// Built from the YAML files (and written to the cache when possible).
    Built,
    /// Built from the `parsed` of the catalogue's `files` that may match a query, after every
    /// file was read; not written to the cache. Answers that query as the whole index would.
    Scanned {
        /// Files parsed and indexed.
        parsed: usize,
        /// Entry files in the catalogue.
        files: usize,
    },
}

/// The phrase text of an index: in memory after a build, or read from its file when first
/// needed; as a last resort, worked out again from an entry's file.
#[derive(Debug)]
pub struct Phrases {
    path: Option<PathBuf>,
    fingerprint: u64,
    /// The largest phrase file read ([`cache_cap`]).
    cap: u64,
    loaded: OnceLock<(Vec<u32>, String)>,
    root: Option<PathBuf>,
    names: SearchableNames,
}

impl Phrases {
    fn decode(bytes: &[u8], fingerprint: u64) -> Option<(Vec<u32>, String)> {
        let (found, payload) = checked_payload(bytes, PHRASE_MAGIC)?;
        let data: PhraseData<&str> = postcard::from_bytes(payload).ok()?;
        let well_formed = found == fingerprint
            && data.fingerprint == fingerprint
            && data.offsets.windows(2).all(|w| w[0] <= w[1])
            && data
                .offsets
                .last()
                .is_some_and(|last| *last as usize == data.text.len());
        well_formed.then(|| (data.offsets, data.text.to_owned()))
    }

    fn text(&self, entry: usize) -> Option<&str> {
        let (offsets, text) = self.loaded.get_or_init(|| {
            self.path
                .as_ref()
                .and_then(|path| private_files::read(path, self.cap).ok())
                .and_then(|bytes| Self::decode(&bytes, self.fingerprint))
                .unwrap_or_default()
        });
        text.get(*offsets.get(entry)? as usize..*offsets.get(entry + 1)? as usize)
    }

    /// The phrase text of the entry at `path` (relative to the root), from its file.
    fn recompute(&self, path: &str) -> Option<String> {
        let root = self.root.as_ref()?;
        let file = EntryFile::new(root.join(path), path);
        let entry = lookup::read_entry(&file).ok()?;
        Some(analyse(&entry, &file, &self.names).phrase_text)
    }
}

/// An index's bytes plus where they came from. View them with [`LoadedIndex::view`].
#[derive(Debug)]
pub struct LoadedIndex {
    bytes: Vec<u8>,
    phrases: Phrases,
    /// Cache or fresh build.
    pub source: IndexSource,
    /// The cache file, when there is one.
    pub cache_path: Option<PathBuf>,
    /// For an index read from the cache: how to build it again, should the bytes not decode.
    rebuild: Option<Box<Stale>>,
    /// That build, once made.
    rebuilt: OnceLock<Box<LoadedIndex>>,
}

impl LoadedIndex {
    /// Whether a cache that did not decode was built again ([`LoadedIndex::view`]).
    pub fn was_rebuilt(&self) -> bool {
        self.rebuilt.get().is_some()
    }

    /// The index. A cache is decoded here, once, rather than when it is loaded (that would
    /// decode it twice). One that passed its checksum and its fingerprint but does not decode
    /// was not written by this build, whatever its header says: the index is built again from
    /// the files and saved over it, rather than searched as empty until a file changes.
    pub fn view(&self) -> IndexView<'_> {
        if let Some(view) = IndexView::decode(&self.bytes, &self.phrases) {
            return view;
        }
        if let Some(stale) = &self.rebuild {
            let rebuilt = self
                .rebuilt
                .get_or_init(|| Box::new(stale.build_and_save(&|_, _| {})));
            if let Some(view) = IndexView::decode(&rebuilt.bytes, &rebuilt.phrases) {
                return view;
            }
        }
        // A fresh build always decodes; should that ever fail, an empty index is better than
        // a crash.
        IndexView {
            data: IndexData {
                fingerprint: 0,
                catalogue_files: 0,
                entry_blocks: Vec::new(),
                skipped: Vec::new(),
                terms: Vec::new(),
                document_frequency: Vec::new(),
                postings: Bytes::new(&[]),
                offsets: vec![0],
            },
            entries: Vec::new(),
            phrases: &self.phrases,
        }
    }
}

/// The cache file of a catalogue root, in the default cache folder (`.nsi/cache`).
pub fn cache_path(root: &Path) -> PathBuf {
    cache_file(&Config::default().cache_dir_in(root))
}

/// The index cache file in the cache folder `cache_dir`.
pub fn cache_file(cache_dir: &Path) -> PathBuf {
    cache_dir.join("search-index.bin")
}

/// The phrase file of an index with `fingerprint`, in the default cache folder. Named by
/// fingerprint so that an index and its phrases always belong together, even when two
/// processes rebuild at once.
pub fn phrase_cache_path(root: &Path, fingerprint: u64) -> PathBuf {
    phrase_cache_file(&Config::default().cache_dir_in(root), fingerprint)
}

/// The phrase file of an index with `fingerprint` in the cache folder `cache_dir`.
pub fn phrase_cache_file(cache_dir: &Path, fingerprint: u64) -> PathBuf {
    cache_dir.join(format!("search-phrases-{fingerprint:016x}.bin"))
}

/// `magic | fingerprint | xxh3 checksum of the payload | payload`, serialised in place.
fn with_header<T: Serialize>(magic: [u8; 8], fingerprint: u64, value: &T) -> Vec<u8> {
    let mut bytes = Vec::new();
    bytes.extend_from_slice(&magic);
    bytes.extend_from_slice(&fingerprint.to_le_bytes());
    bytes.extend_from_slice(&[0; 8]);
    let mut bytes = postcard::to_extend(value, bytes).unwrap_or_default();
    if bytes.len() >= 24 {
        let checksum = xxhash_rust::xxh3::xxh3_64(&bytes[24..]);
        bytes[16..24].copy_from_slice(&checksum.to_le_bytes());
    }
    bytes
}

/// The fingerprint in a cache file's header, without reading further.
fn header_fingerprint(bytes: &[u8], magic: [u8; 8]) -> Option<u64> {
    let field = bytes.strip_prefix(&magic[..])?.get(..8)?;
    Some(u64::from_le_bytes(field.try_into().ok()?))
}

/// The fingerprint and payload of a cache file whose checksum holds: any damaged byte, not
/// only a truncation, makes the file unusable (and so rebuilt).
fn checked_payload(bytes: &[u8], magic: [u8; 8]) -> Option<(u64, &[u8])> {
    let rest = bytes.strip_prefix(&magic[..])?;
    let fingerprint = u64::from_le_bytes(rest.get(..8)?.try_into().ok()?);
    let checksum = u64::from_le_bytes(rest.get(8..16)?.try_into().ok()?);
    let payload = rest.get(16..)?;
    (xxhash_rust::xxh3::xxh3_64(payload) == checksum).then_some((fingerprint, payload))
}

/// Remove phrase files of other fingerprints that are more than a minute old (best effort);
/// younger ones may still be in use by a process that loaded the index they belong to.
fn remove_stale_phrases(cache_dir: &Path, keep: &Path) {
    let Ok(read) = fs::read_dir(cache_dir) else {
        return;
    };
    for entry in read.filter_map(Result::ok) {
        let path = entry.path();
        let is_phrases = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("search-phrases-"));
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > std::time::Duration::from_secs(60));
        if is_phrases && old && path != keep {
            let _ = fs::remove_file(path);
        }
    }
}

/// What the index depends on: every entry file's path, size and modification time, the
/// names it indexes, the format and the tool version.
fn fingerprint(files: &[EntryFile], names: &SearchableNames) -> u64 {
    let mut hasher = DefaultHasher::new();
    FORMAT_VERSION.hash(&mut hasher);
    SOURCE_HASH.hash(&mut hasher);
    env!("CARGO_PKG_VERSION").hash(&mut hasher);
    names.forces.hash(&mut hasher);
    names.categories.hash(&mut hasher);
    for file in files {
        file.display.hash(&mut hasher);
        file.stamp.hash(&mut hasher);
    }
    hasher.finish()
}

/// Write `bytes` to `path` (in a cache folder of the catalogue under `root`) atomically: a
/// temporary file in the same folder, then a rename, so a reader sees the old file or the new
/// one and never half of either. The rename replaces whatever is at `path` (a link included)
/// rather than writing through it, and the folder is used only when no folder between `root`
/// and it is a link ([`private_files::create_dir`]).
fn write_atomically(root: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    private_files::create_dir(root, dir)?;
    let mut temporary = tempfile::NamedTempFile::new_in(dir)?;
    temporary.write_all(bytes)?;
    // No fsync: a cache lost in a crash is rebuilt, and a torn one fails its checksum.
    temporary.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// The name of the lock a build of the index holds, in the cache folder.
pub const LOCK_FILE: &str = "index.lock";

/// Open the lock a build holds while it runs, in the cache folder `cache_dir` of the
/// catalogue under `root` (created if needed, never through a link; a lock that is a link is
/// replaced, so it never makes nsi create a file where it points).
pub fn open_build_lock(root: &Path, cache_dir: &Path) -> std::io::Result<fs::File> {
    private_files::create_dir(root, cache_dir)?;
    private_files::open_lock(&cache_dir.join(LOCK_FILE))
}

/// Load the index of the catalogue under `root`, cached in the folder its configuration names
/// (`cache_dir` in `nsi.toml`, `NSI_CACHE_DIR`; `.nsi/cache` when the configuration cannot be
/// read, which the command reports itself). See [`load_index_with`].
pub fn load_index(root: &Path, names: &SearchableNames) -> Result<LoadedIndex, LoadError> {
    let config = Config::load(root).map(|r| r.config).unwrap_or_default();
    load_index_with(root, names, &config.cache_dir_in(root), &|_, _| {})
}

/// Load the index of the catalogue under `root`: from the cache in `cache_dir` when it matches
/// the files on disk, otherwise built from them (calling `progress(done, total)` as entries are
/// read) and the cache rewritten. A missing, stale, truncated or damaged cache is rebuilt
/// silently; a cache that cannot be written is simply not kept.
pub fn load_index_with(
    root: &Path,
    names: &SearchableNames,
    cache_dir: &Path,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<LoadedIndex, LoadError> {
    Ok(match find_cache(root, names, cache_dir)? {
        Found::Current(index) => index,
        Found::Stale(stale) => stale.build_and_save(progress),
    })
}

/// Load the index of the catalogue under `root` from the cache in `cache_dir` when it matches
/// the files on disk; otherwise index only the files that may match `query` (all are read, few
/// are parsed) and leave the cache as it is ([`IndexSource::Scanned`]). Searching that index
/// for `query` gives what the whole index would, except in three things that need every entry:
/// the words suggested when nothing matches, the `--technology` values it knows (checked
/// against every stack), and the count of unreadable files (only those that may match are
/// parsed, so only they are counted). When most files may match, the whole index is built and
/// saved, as [`load_index_with`] does.
pub fn load_or_scan(
    root: &Path,
    names: &SearchableNames,
    cache_dir: &Path,
    query: &Query,
) -> Result<LoadedIndex, LoadError> {
    Ok(match find_cache(root, names, cache_dir)? {
        Found::Current(index) => index,
        Found::Stale(stale) => match Prefilter::new(query, names) {
            Some(filter) => stale.scan(&filter),
            None => stale.build_and_save(&|_, _| {}),
        },
    })
}

/// A cache as found: current, or not (and then what it takes to replace it).
enum Found {
    Current(LoadedIndex),
    Stale(Stale),
}

/// A catalogue whose cache is missing or out of date: what it takes to build and save it.
#[derive(Debug)]
struct Stale {
    root: PathBuf,
    names: SearchableNames,
    cache_dir: PathBuf,
    files: Vec<EntryFile>,
    fingerprint: u64,
    /// The largest cache file read for these files ([`cache_cap`]).
    cap: u64,
}

/// The largest cache file (index or phrases) read for a catalogue of `files`: far more than a
/// build writes (under one byte of index per byte of entries on the shipped catalogue; a
/// posting costs a few bytes per word), so that only a file nsi did not write is refused.
fn cache_cap(files: &[EntryFile]) -> u64 {
    let entries: u64 = files.iter().map(|f| f.stamp.len).sum();
    16 * 1024 * 1024 + 64 * entries
}

/// A cache file of up to this size is read while the catalogue is being listed; a larger one
/// only once its size is known to fit the catalogue ([`cache_cap`]).
const EAGER_CACHE_BYTES: u64 = 64 * 1024 * 1024;

/// The bytes of `file`, which is `len` bytes long: `None` when it is not that long any more
/// (it changed since its size was read), so that nothing beyond `len` is ever read.
fn read_exactly(file: fs::File, len: u64) -> Option<Vec<u8>> {
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    std::io::Read::read_to_end(
        &mut std::io::Read::take(file, len.saturating_add(1)),
        &mut bytes,
    )
    .ok()
    .filter(|_| bytes.len() as u64 == len)
    .map(|_| bytes)
}

fn find_cache(root: &Path, names: &SearchableNames, cache_dir: &Path) -> Result<Found, LoadError> {
    let cache = cache_file(cache_dir);
    // A cache folder reached through a link is not nsi's own: it is not read (nor written).
    let own = private_files::is_own_dir(root, cache_dir);
    // Listing the catalogue is mostly waiting on `stat`: open the cache meanwhile (a regular
    // file, not through a link) and, when it is of an ordinary size, read it too. Its size is
    // judged against the catalogue once that is listed; a larger file is read only then
    // (`Ok`: the bytes, read already; `Err`: the file, still to read).
    let (discovery, opened) = rayon::join(
        || load::discover(root),
        || {
            let file = own.then(|| private_files::open(&cache).ok()).flatten()?;
            let len = file.metadata().ok()?.len();
            Some(if len <= EAGER_CACHE_BYTES {
                (len, Ok(read_exactly(file, len)))
            } else {
                (len, Err(file))
            })
        },
    );
    let discovery = discovery?;
    let cap = cache_cap(&discovery.files);
    let cached = opened
        .filter(|(len, _)| *len <= cap)
        .and_then(|(len, read)| match read {
            Ok(bytes) => bytes,
            Err(file) => read_exactly(file, len),
        })
        .filter(|bytes| checked_payload(bytes, MAGIC).is_some());
    let stale = Stale {
        root: root.to_path_buf(),
        names: names.clone(),
        cache_dir: cache_dir.to_path_buf(),
        fingerprint: fingerprint(&discovery.files, names),
        cap,
        files: discovery.files,
    };
    let phrase_path = phrase_cache_file(cache_dir, stale.fingerprint);
    // A cache whose header holds the current fingerprint and whose checksum holds was written
    // whole by this very build (the fingerprint covers the source of this file), so it is
    // decoded once, when viewed. Its phrase file must be there too.
    let phrase_header_matches = || {
        let mut header = [0u8; 16];
        private_files::open(&phrase_path)
            .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut header))
            .is_ok_and(|()| header_fingerprint(&header, PHRASE_MAGIC) == Some(stale.fingerprint))
    };
    Ok(match cached {
        Some(bytes)
            if header_fingerprint(&bytes, MAGIC) == Some(stale.fingerprint)
                && phrase_header_matches() =>
        {
            Found::Current(LoadedIndex {
                bytes,
                phrases: stale.phrases(Some(phrase_path)),
                source: IndexSource::Cache,
                cache_path: Some(cache),
                rebuild: Some(Box::new(stale)),
                rebuilt: OnceLock::new(),
            })
        }
        _ => Found::Stale(stale),
    })
}

impl Stale {
    fn phrases(&self, path: Option<PathBuf>) -> Phrases {
        Phrases {
            path,
            fingerprint: self.fingerprint,
            cap: self.cap,
            loaded: OnceLock::new(),
            root: Some(self.root.clone()),
            names: self.names.clone(),
        }
    }

    /// Build the index of every file and write the cache.
    fn build_and_save(&self, progress: &(dyn Fn(usize, usize) + Sync)) -> LoadedIndex {
        let Built {
            index: bytes,
            phrases,
        } = build(
            &self.files,
            self.files.len(),
            &self.names,
            self.fingerprint,
            progress,
        );
        let phrase_bytes = with_header(PHRASE_MAGIC, self.fingerprint, &phrases);
        let built = self.phrases(None);
        let _ = built.loaded.set((phrases.offsets, phrases.text));
        let cache = cache_file(&self.cache_dir);
        let phrase_path = phrase_cache_file(&self.cache_dir, self.fingerprint);
        // The phrase file first: an index is never on disk without the phrases it refers to.
        let written = write_atomically(&self.root, &phrase_path, &phrase_bytes)
            .and_then(|()| write_atomically(&self.root, &cache, &bytes));
        let cache_path = written.ok().map(|()| cache);
        if cache_path.is_some() {
            remove_stale_phrases(&self.cache_dir, &phrase_path);
        }
        LoadedIndex {
            bytes,
            phrases: built,
            source: IndexSource::Built,
            cache_path,
            rebuild: None,
            rebuilt: OnceLock::new(),
        }
    }

    /// Build the index of the files `filter` keeps, read on every core; nothing is written.
    /// When it keeps most of them, the whole index is built instead, and saved: it costs
    /// little more, and the next search has it.
    fn scan(self, filter: &Prefilter) -> LoadedIndex {
        let kept: Vec<EntryFile> = self
            .files
            .par_iter()
            .filter(|file| {
                load::read_bounded(&file.path, file.stamp.len)
                    .map_or(true, |bytes| filter.may_match(&bytes))
            })
            .cloned()
            .collect();
        if kept.len() * 2 > self.files.len() {
            return self.build_and_save(&|_, _| {});
        }
        let Built {
            index: bytes,
            phrases: text,
        } = build(&kept, self.files.len(), &self.names, 0, &|_, _| {});
        let phrases = self.phrases(None);
        let _ = phrases.loaded.set((text.offsets, text.text));
        LoadedIndex {
            bytes,
            phrases,
            source: IndexSource::Scanned {
                parsed: kept.len(),
                files: self.files.len(),
            },
            cache_path: None,
            rebuild: None,
            rebuilt: OnceLock::new(),
        }
    }
}

/// Build an index of `files` without touching any cache (for tests and benchmarks).
pub fn build_uncached(files: &[EntryFile], names: &SearchableNames) -> LoadedIndex {
    let Built {
        index: bytes,
        phrases: text,
    } = build(files, files.len(), names, 0, &|_, _| {});
    let phrases = Phrases {
        path: None,
        fingerprint: 0,
        cap: 0,
        loaded: OnceLock::new(),
        root: None,
        names: names.clone(),
    };
    let _ = phrases.loaded.set((text.offsets, text.text));
    LoadedIndex {
        bytes,
        phrases,
        source: IndexSource::Built,
        cache_path: None,
        rebuild: None,
        rebuilt: OnceLock::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_and_postings_round_trip() {
        let mut blob = Vec::new();
        for value in [0, 1, 127, 128, 300, u32::MAX] {
            write_varint(&mut blob, value);
        }
        let mut at = 0;
        let read: Vec<u32> = std::iter::from_fn(|| read_varint(&blob, &mut at)).collect();
        assert_eq!(read, [0, 1, 127, 128, 300, u32::MAX]);
        // Truncated or garbage postings decode to what is well-formed, never panic.
        assert!(decode_postings(&[0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]).is_empty());
    }
}
