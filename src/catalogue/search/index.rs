//! The index as a search reads it: a view borrowing from the index's bytes ([`IndexView`]),
//! decoded without copying its strings, and the phrase text beside it ([`Phrases`]), read only
//! when a query has a phrase.
//!
//! Loading a cache is one read and this decode; a fresh build is serialized and then viewed
//! the same way, so both paths run the same code.

use std::path::PathBuf;
use std::sync::OnceLock;

use rayon::prelude::*;
use serde_bytes::Bytes;

use super::analyse::{IndexedEntry, analyse};
use super::format::{self, IndexData, PHRASE_MAGIC, PhraseData, checked_payload};
use super::postings::{Posting, decode_postings};
use super::ranking::SearchableNames;
use super::text::contains_phrase;
use crate::catalogue::load::EntryFile;
use crate::catalogue::{lookup, private_files};

/// A read-only view of an index, borrowing from its serialized bytes.
#[derive(Debug)]
pub struct IndexView<'a> {
    data: IndexData<&'a str, &'a Bytes>,
    entries: Vec<IndexedEntry<&'a str>>,
    phrases: &'a Phrases,
}

impl<'a> IndexView<'a> {
    /// Decode `bytes` (as written by a build, header included; their checksum was verified
    /// when they were loaded). `None` when they are not a well-formed index.
    pub fn decode(bytes: &'a [u8], phrases: &'a Phrases) -> Option<Self> {
        let data: IndexData<&'a str, &'a Bytes> =
            postcard::from_bytes(format::payload(bytes)?).ok()?;
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

    /// An index of nothing (what a search sees should an index ever fail to decode).
    pub fn empty(phrases: &'a Phrases) -> Self {
        IndexView {
            data: IndexData {
                key: 0,
                catalogue_files: 0,
                entry_blocks: Vec::new(),
                skipped: Vec::new(),
                terms: Vec::new(),
                document_frequency: Vec::new(),
                postings: Bytes::new(&[]),
                offsets: vec![0],
            },
            entries: Vec::new(),
            phrases,
        }
    }

    /// The key the index was built under (`super::key`; 0 for an index never saved).
    pub fn key(&self) -> u64 {
        self.data.key
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

    /// How many entry files the catalogue holds (see
    /// [`FieldRanking::pivot`](super::ranking::FieldRanking::pivot) for why a search needs
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

/// The phrase text of an index: in memory after a build, or read from its file when first
/// needed; as a last resort, worked out again from an entry's file.
#[derive(Debug)]
pub struct Phrases {
    /// The phrase file, for an index read from the cache.
    path: Option<PathBuf>,
    key: u64,
    /// The largest phrase file read.
    cap: u64,
    loaded: OnceLock<(Vec<u32>, String)>,
    /// The catalogue root, to work an entry's text out again from its file.
    root: Option<PathBuf>,
    names: SearchableNames,
}

impl Phrases {
    /// The phrase text of a fresh build, in memory; `root` (when given) is where to read an
    /// entry's file should its text be missing.
    pub fn built(data: PhraseData<String>, root: Option<PathBuf>, names: SearchableNames) -> Self {
        let phrases = Phrases {
            path: None,
            key: data.key,
            cap: 0,
            loaded: OnceLock::new(),
            root,
            names,
        };
        let _ = phrases.loaded.set((data.offsets, data.text));
        phrases
    }

    /// The phrase text in the file at `path`, of the index with `key`, read (up to `cap`
    /// bytes) when first needed.
    pub fn on_disk(
        path: PathBuf,
        key: u64,
        cap: u64,
        root: PathBuf,
        names: SearchableNames,
    ) -> Self {
        Phrases {
            path: Some(path),
            key,
            cap,
            loaded: OnceLock::new(),
            root: Some(root),
            names,
        }
    }

    fn decode(bytes: &[u8], key: u64) -> Option<(Vec<u32>, String)> {
        let (found, payload) = checked_payload(bytes, PHRASE_MAGIC)?;
        let data: PhraseData<&str> = postcard::from_bytes(payload).ok()?;
        let well_formed = found == key
            && data.key == key
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
                .and_then(|bytes| Self::decode(&bytes, self.key))
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
