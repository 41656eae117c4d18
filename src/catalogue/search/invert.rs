//! Building an index: entry files read, analysed and inverted on every core, then laid out as
//! the bytes of an index file and the phrase text beside it (`super::format`).

use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde_bytes::ByteBuf;

use super::analyse::{IndexedEntry, analyse};
use super::format::{ENTRY_BLOCK, IndexData, MAGIC, PhraseData, with_header};
use super::postings::push_posting;
use super::ranking::{FIELD_COUNT, SearchableNames};
use crate::catalogue::load::EntryFile;
use crate::catalogue::lookup;

/// A freshly built index: the index file's bytes, and the phrase text (serialised into its own
/// file only when the index is saved).
pub struct Built {
    /// The index file's bytes.
    pub index: Vec<u8>,
    /// The phrase text.
    pub phrases: PhraseData<String>,
}

/// Build the index of `files`, some or all of the `catalogue_files` entry files, under `key`,
/// calling `progress(done, total)` as files are read.
pub fn build(
    files: &[EntryFile],
    catalogue_files: usize,
    names: &SearchableNames,
    key: u64,
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
        key,
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
        key,
        catalogue_files: u32::try_from(catalogue_files).unwrap_or(u32::MAX),
        entry_blocks,
        skipped,
        terms: index.terms,
        document_frequency: index.document_frequency,
        postings: ByteBuf::from(index.postings),
        offsets: index.offsets,
    };
    let index_bytes = with_header(MAGIC, key, &data);
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

/// An entry (numbered within its chunk) and how often a word occurs in each of its fields.
type EntryCounts = (u32, [u16; FIELD_COUNT]);

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

/// A term's postings as they are being encoded.
#[derive(Default)]
struct TermPostings {
    bytes: Vec<u8>,
    last_entry: u32,
    entries: u32,
}

/// Builds the inverted index one chunk at a time, encoding postings as it goes, so memory
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

impl Inverter {
    /// Add the next chunk's entries (numbered after those already added, in chunk order).
    fn absorb(&mut self, entries: usize, terms: FxHashMap<String, Vec<EntryCounts>>) {
        let base = self.entries;
        self.entries += u32::try_from(entries).unwrap_or(u32::MAX);
        for (word, postings_in_chunk) in terms {
            let postings = self.terms.entry(word).or_default();
            for (local, counts) in postings_in_chunk {
                let entry = base + local;
                push_posting(&mut postings.bytes, entry - postings.last_entry, &counts);
                postings.last_entry = entry;
                postings.entries += 1;
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
