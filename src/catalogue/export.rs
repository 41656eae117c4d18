//! Exporting the whole catalogue for another audience: every entry read in parallel, then cut
//! down to what that audience may see. Rendering (JSON, CSV, the HTML site) is the command
//! line's job; what the site's in-browser search needs of the entries is worked out here
//! ([`site_search`]), with the same words and fields as `nsi search`.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::diagnostic::{Diagnostic, Severity};
use super::entry::{Classification, Entry, Visibility};
use super::load::{self, LoadError};
use super::lookup::{self, LookupError};
use super::search::SearchableNames;
use super::search::ranking::{FIELD_COUNT, field_items};
use super::search::text::tokens;
use super::validate::EntryChecker;

/// The version of the export document's shape; raise it when a field changes meaning or goes.
pub const EXPORT_SCHEMA_VERSION: &str = "nsi-export/1";

/// What replaces a word holding an email address in a public export.
pub const EMAIL_REDACTED: &str = "[email removed]";

/// Who an export is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Audience {
    /// Forces and national bodies: every entry, in full.
    Policing,
    /// Industry and the public: public entries only, without contacts, email addresses or
    /// OFFICIAL-SENSITIVE document details.
    Public,
}

impl Audience {
    /// The audience's name, as written in an export.
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Policing => "policing",
            Audience::Public => "public",
        }
    }
}

/// A file that could not be read as an entry, and so is not in the export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedFile {
    /// The file, relative to the catalogue root.
    pub file: PathBuf,
    /// Why it could not be read.
    pub reason: String,
}

/// The entries an audience may see, sorted by id.
#[derive(Debug, Clone)]
pub struct Export {
    /// Who it is for.
    pub audience: Audience,
    /// The entries, already cut down for the audience, sorted by id.
    pub entries: Vec<Entry>,
    /// Files that could not be read (their entries are missing from the export).
    pub skipped: Vec<SkippedFile>,
}

/// Read every entry under `root`, check it with `checker` as `nsi validate` does (the
/// catalogue's lists, schema and settings, judged on its day), and keep what `audience` may see
/// of the valid ones. An entry with an error is left out, named with its first error: an
/// export publishes only what the gate would accept — never a credential (NSI217), never text
/// over the schema's limits (which a page would otherwise render, however long).
pub fn export(
    checker: &EntryChecker,
    root: &Path,
    audience: Audience,
) -> Result<Export, LoadError> {
    let discovery = load::discover(root)?;
    let report = checker.check_files(&discovery.files, &[]);
    let mut first_error: HashMap<&Path, &Diagnostic> = HashMap::new();
    for diagnostic in report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
    {
        first_error.entry(&diagnostic.file).or_insert(diagnostic);
    }
    let valid: HashSet<&Path> = report
        .entries
        .iter()
        .map(|(file, _)| file.display.as_path())
        .collect();
    let skipped = discovery
        .files
        .iter()
        .filter(|file| !valid.contains(file.display.as_path()))
        .map(|file| SkippedFile {
            file: file.display.clone(),
            reason: first_error.get(file.display.as_path()).map_or_else(
                || "it could not be read as an entry".to_owned(),
                |d| {
                    format!(
                        "error[{}] at {}:{}: {}",
                        d.code, d.line, d.column, d.message
                    )
                },
            ),
        })
        .collect();
    let mut entries: Vec<Entry> = report
        .entries
        .into_iter()
        .filter_map(|(_, entry)| for_audience(entry, audience))
        .collect();
    entries.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(Export {
        audience,
        entries,
        skipped,
    })
}

/// Read every entry under `root` that reads as an entry, valid or not, and keep what
/// `audience` may see: for comparing the catalogue with itself (`nsi overlaps`), never for
/// publishing it (that is [`export`]).
pub fn readable(root: &Path, audience: Audience) -> Result<Export, LoadError> {
    let read = lookup::read_all(root)?;
    let mut entries = Vec::with_capacity(read.len());
    let mut skipped = Vec::new();
    for (file, result) in read {
        match result {
            Ok(entry) => entries.extend(for_audience(entry, audience)),
            Err(error) => skipped.push(SkippedFile {
                file: file.display,
                reason: reason(&error),
            }),
        }
    }
    entries.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(Export {
        audience,
        entries,
        skipped,
    })
}

fn reason(error: &LookupError) -> String {
    match error {
        LookupError::Invalid { diagnostics, .. } => diagnostics
            .first()
            .map_or_else(|| error.to_string(), |d| d.message.clone()),
        LookupError::NotFound { .. } | LookupError::OutsideCatalogue { .. } => error.to_string(),
    }
}

/// The entry as `audience` may see it, or `None` when it may not see it at all.
pub fn for_audience(mut entry: Entry, audience: Audience) -> Option<Entry> {
    match audience {
        Audience::Policing => Some(entry),
        Audience::Public if entry.visibility != Visibility::Public => None,
        Audience::Public => {
            entry.contacts.clear();
            entry
                .documentation
                .retain(|doc| doc.classification != Classification::OfficialSensitive);
            // An address can hide in any free text (notes, a description): scrub every string.
            let mut value = serde_json::to_value(&entry).ok()?;
            scrub_emails(&mut value);
            serde_json::from_value(value).ok()
        }
    }
}

/// Every string in `value` with its email addresses replaced ([`without_emails`]).
pub fn scrub_emails(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(text) if text.contains('@') => *text = without_emails(text),
        serde_json::Value::Array(items) => items.iter_mut().for_each(scrub_emails),
        serde_json::Value::Object(fields) => fields.values_mut().for_each(scrub_emails),
        _ => {}
    }
}

/// `text` with every word holding an `@` replaced by [`EMAIL_REDACTED`], spacing kept.
pub fn without_emails(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if word.contains('@') {
            out.push_str(EMAIL_REDACTED);
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_whitespace() {
            flush(&mut word, &mut out);
            out.push(c);
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// One entry's searchable text: for each field (in
/// [`Field::ALL`](crate::catalogue::search::Field::ALL) order), each item of the field (a tag,
/// a stack item, a paragraph of text) as its folded words.
pub type EntryWords = [Vec<Vec<String>>; FIELD_COUNT];

/// An entry's searchable text, field by field, exactly as `nsi search` indexes it: the items
/// the ranking definition names for each field ([`field_items`]), each kept apart so that a
/// phrase never runs from one into the next. The site ranks them with
/// [`RANKING`](crate::catalogue::search::RANKING), which `data.js` carries.
pub fn entry_words(entry: &Entry, names: &SearchableNames) -> EntryWords {
    field_items(entry, names).map(|items| items.into_iter().map(tokens).collect())
}

/// What the static site's search needs: a vocabulary and every entry's words as numbers into
/// it, in order (for phrases), field by field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteSearch {
    /// Every distinct word, the commonest first, so that common words get short numbers.
    pub terms: Vec<String>,
    /// For each entry of the export, in order: for each field, for each item, its words as
    /// positions in `terms`.
    pub entries: Vec<[Vec<Vec<u32>>; FIELD_COUNT]>,
}

/// The search data of `export`: [`entry_words`] of every entry, numbered.
pub fn site_search(export: &Export, names: &SearchableNames) -> SiteSearch {
    use rayon::prelude::*;
    // Each chunk of entries numbers its words in the order it meets them and counts them. The
    // chunks' vocabularies are then merged and sorted, and each chunk's numbers mapped to the
    // final ones, so words are held as strings once per chunk, never once per occurrence.
    const CHUNK: usize = 256;
    let mut chunks: Vec<NumberedChunk> = export
        .entries
        .par_chunks(CHUNK)
        .map(|entries| NumberedChunk::new(entries, names))
        .collect();
    let mut frequency: HashMap<&str, u32> = HashMap::new();
    for chunk in &chunks {
        for (word, count) in chunk.vocabulary.iter().zip(&chunk.counts) {
            *frequency.entry(word.as_str()).or_default() += count;
        }
    }
    let mut terms: Vec<(&str, u32)> = frequency.into_iter().collect();
    terms.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let number: HashMap<&str, u32> = terms
        .iter()
        .enumerate()
        .map(|(i, (term, _))| (*term, u32::try_from(i).unwrap_or(u32::MAX)))
        .collect();
    let renumbering: Vec<Vec<u32>> = chunks
        .iter()
        .map(|chunk| {
            chunk
                .vocabulary
                .iter()
                .map(|w| number[w.as_str()])
                .collect()
        })
        .collect();
    let terms = terms.into_iter().map(|(t, _)| t.to_owned()).collect();
    chunks
        .par_iter_mut()
        .zip(&renumbering)
        .for_each(|(chunk, final_number)| {
            let words = chunk.entries.iter_mut().flatten().flatten().flatten();
            for word in words {
                *word = final_number[*word as usize];
            }
        });
    SiteSearch {
        terms,
        entries: chunks.into_iter().flat_map(|chunk| chunk.entries).collect(),
    }
}

/// Some entries' words, numbered in the order they were first met, with how often each
/// occurs.
struct NumberedChunk {
    vocabulary: Vec<String>,
    counts: Vec<u32>,
    entries: Vec<[Vec<Vec<u32>>; FIELD_COUNT]>,
}

impl NumberedChunk {
    fn new(entries: &[Entry], names: &SearchableNames) -> Self {
        // Each word: its number in this chunk and how often it occurs.
        let mut numbers: HashMap<String, (u32, u32)> = HashMap::new();
        let entries = entries
            .iter()
            .map(|entry| {
                entry_words(entry, names).map(|items| {
                    items
                        .into_iter()
                        .map(|words| {
                            words
                                .into_iter()
                                .map(|word| {
                                    let next = u32::try_from(numbers.len()).unwrap_or(u32::MAX);
                                    let (number, count) = numbers.entry(word).or_insert((next, 0));
                                    *count += 1;
                                    *number
                                })
                                .collect()
                        })
                        .collect()
                })
            })
            .collect();
        let mut vocabulary = vec![String::new(); numbers.len()];
        let mut counts = vec![0; numbers.len()];
        for (word, (number, count)) in numbers {
            vocabulary[number as usize] = word;
            counts[number as usize] = count;
        }
        NumberedChunk {
            vocabulary,
            counts,
            entries,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::search::Field;

    /// The shipped catalogue, exported for policing as on the tests' "today".
    fn shipped_export(root: &Path) -> Export {
        use crate::catalogue::reference::Reference;
        use crate::catalogue::validate::ValidationOptions;
        let checker = EntryChecker::new(
            Reference::for_root(root).expect("reference lists"),
            ValidationOptions {
                strict: false,
                today: chrono::NaiveDate::from_ymd_opt(2026, 11, 28).expect("a date"),
            },
        )
        .expect("checker");
        let exported = export(&checker, root, Audience::Policing).expect("export");
        assert!(exported.skipped.is_empty(), "{:?}", exported.skipped);
        exported
    }

    #[test]
    fn words_with_an_at_sign_are_removed_and_spacing_kept() {
        assert_eq!(
            without_emails("ask jo.bloggs@police.uk\tor @team now"),
            "ask [email removed]\tor [email removed] now"
        );
        assert_eq!(without_emails("no address here"), "no address here");
    }

    /// The site searches what `nsi search` searches: the same words, in the same fields, with
    /// the same counts and lengths, and every item a phrase the index finds.
    #[test]
    fn site_words_are_the_words_nsi_search_indexes() {
        use crate::catalogue::reference::Reference;
        use crate::catalogue::search::build_uncached;
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let names = SearchableNames::from(&Reference::for_root(root).expect("reference lists"));
        let files = crate::catalogue::load::discover(root)
            .expect("discover")
            .files;
        let loaded = build_uncached(&files, &names);
        let view = loaded.view();
        let mut indexed: Vec<HashMap<&str, [u16; FIELD_COUNT]>> =
            vec![HashMap::new(); view.entries().len()];
        for (t, term) in view.terms().iter().enumerate() {
            for posting in view.postings(t) {
                indexed[posting.entry as usize].insert(term, posting.counts);
            }
        }
        let export = shipped_export(root);
        assert!(export.entries.len() > 20, "the shipped catalogue");
        for entry in &export.entries {
            let e = view
                .entries()
                .iter()
                .position(|x| x.id == entry.id.as_str())
                .expect("indexed");
            let words = entry_words(entry, &names);
            let lengths = words
                .each_ref()
                .map(|items| u16::try_from(items.iter().map(Vec::len).sum::<usize>()).unwrap());
            assert_eq!(lengths, view.entries()[e].field_lengths, "{}", entry.id);
            let mut counts: HashMap<&str, [u16; FIELD_COUNT]> = HashMap::new();
            for (field, items) in words.iter().enumerate() {
                for word in items.iter().flatten() {
                    counts.entry(word.as_str()).or_default()[field] += 1;
                }
            }
            assert_eq!(counts, indexed[e], "{}", entry.id);
            for item in words.iter().flatten().filter(|item| item.len() > 1) {
                assert!(view.contains_phrase(e, item), "{}: {item:?}", entry.id);
            }
        }
        let search = site_search(&export, &names);
        assert_eq!(search.entries.len(), export.entries.len());
        assert_eq!(search.terms.len(), view.terms().len(), "one vocabulary");
        let first = &search.entries[0][Field::Title.index()][0];
        let title: Vec<&str> = first
            .iter()
            .map(|&w| search.terms[w as usize].as_str())
            .collect();
        assert_eq!(title, tokens(&export.entries[0].title));
    }

    #[test]
    fn site_words_decode_to_each_entrys_words_across_chunks() {
        use crate::catalogue::reference::Reference;
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let names = SearchableNames::from(&Reference::for_root(root).expect("reference lists"));
        let shipped = shipped_export(root);
        // Enough entries for several chunks, each chunk meeting words in a different order.
        let mut entries = Vec::new();
        for round in 0..40 {
            for (i, entry) in shipped.entries.iter().enumerate() {
                if (i + round) % 3 != 0 {
                    entries.push(entry.clone());
                }
            }
        }
        assert!(entries.len() > 600, "{}", entries.len());
        let many = Export {
            audience: Audience::Policing,
            entries,
            skipped: Vec::new(),
        };
        let search = site_search(&many, &names);
        let mut frequency: HashMap<String, u32> = HashMap::new();
        for (entry, numbered) in many.entries.iter().zip(&search.entries) {
            let words = entry_words(entry, &names);
            let decoded = numbered.each_ref().map(|items| {
                items
                    .iter()
                    .map(|item| {
                        item.iter()
                            .map(|&w| search.terms[w as usize].clone())
                            .collect::<Vec<_>>()
                    })
                    .collect::<Vec<_>>()
            });
            assert_eq!(decoded, words, "{}", entry.id);
            for word in words.iter().flatten().flatten() {
                *frequency.entry(word.clone()).or_default() += 1;
            }
        }
        assert_eq!(search.terms.len(), frequency.len(), "each word once");
        for pair in search.terms.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            assert!(
                (frequency[b], a) < (frequency[a], b),
                "commonest first, then A to Z: {a} ({}) before {b} ({})",
                frequency[a],
                frequency[b]
            );
        }
    }
}
