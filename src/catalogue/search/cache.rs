//! The index cache: where it lives, how it is written, and when it is used. An index is read
//! from the cache when its key is current, otherwise built from the files and saved
//! ([`load_index`]); a search may instead answer from the files that can match it and
//! leave the cache as it is ([`load_or_scan`]).

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rayon::prelude::*;

use super::format::{MAGIC, PHRASE_MAGIC, checked_payload, header_key, with_header};
use super::index::{IndexView, Phrases};
use super::invert::{Built, build};
use super::key::cache_key;
use super::query::Query;
use super::ranking::SearchableNames;
use super::scan::Prefilter;
use crate::catalogue::config::Config;
use crate::catalogue::load::{self, EntryFile, LoadError};
use crate::catalogue::reference::ReferenceError;
use crate::catalogue::{durable, private_files};

/// Why an index cannot be had.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// The catalogue's entry files cannot be listed.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The reference lists, whose names the index makes searchable, are broken.
    #[error(transparent)]
    Reference(#[from] ReferenceError),
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
    fn new(
        bytes: Vec<u8>,
        phrases: Phrases,
        source: IndexSource,
        cache_path: Option<PathBuf>,
    ) -> Self {
        LoadedIndex {
            bytes,
            phrases,
            source,
            cache_path,
            rebuild: None,
            rebuilt: OnceLock::new(),
        }
    }

    /// Whether a cache that did not decode was built again ([`LoadedIndex::view`]).
    pub fn was_rebuilt(&self) -> bool {
        self.rebuilt.get().is_some()
    }

    /// The index. A cache is decoded here, once, rather than when it is loaded (that would
    /// decode it twice). One that passed its checksum and its key but does not decode was not
    /// written by this build, whatever its header says: the index is built again from the
    /// files and saved over it, rather than searched as empty until a file changes.
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
        IndexView::empty(&self.phrases)
    }

    /// Where the index came from, in words (for `--verbose`).
    pub fn origin(&self) -> String {
        match (self.source, &self.cache_path) {
            (IndexSource::Cache, Some(path)) => {
                format!("search index read from {}", path.display())
            }
            (IndexSource::Built, Some(path)) => {
                format!("search index built and saved to {}", path.display())
            }
            (IndexSource::Scanned { parsed, files }, _) => format!(
                "search index not current: read {files} entry files and parsed the {parsed} \
                 that may match"
            ),
            _ => "search index built (not cached: the cache folder is not writable)".to_owned(),
        }
    }
}

/// Load the index of the catalogue under `root`: from the cache in `cache_dir` when it matches
/// the files on disk, otherwise built from them (calling `progress(done, total)` as entries are
/// read) and the cache rewritten. A missing, stale, truncated or damaged cache is rebuilt
/// silently; a cache that cannot be written is simply not kept.
pub fn load_index(
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
/// saved, as [`load_index`] does.
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

/// Build an index of `files` without touching any cache (for tests and benchmarks, and the
/// entries of a commit).
pub fn build_uncached(files: &[EntryFile], names: &SearchableNames) -> LoadedIndex {
    let Built { index, phrases } = build(files, files.len(), names, 0, &|_, _| {});
    LoadedIndex::new(
        index,
        Phrases::built(phrases, None, names.clone()),
        IndexSource::Built,
        None,
    )
}

/// The cache file of a catalogue root, in the default cache folder (`.nsi/cache`).
pub fn cache_path(root: &Path) -> PathBuf {
    cache_file(&Config::default().cache_dir_in(root))
}

/// The index cache file in the cache folder `cache_dir`.
pub fn cache_file(cache_dir: &Path) -> PathBuf {
    cache_dir.join("search-index.bin")
}

/// The phrase file of an index with `key`, in the default cache folder. Named by key so that
/// an index and its phrases always belong together, even when two processes rebuild at once.
pub fn phrase_cache_path(root: &Path, key: u64) -> PathBuf {
    phrase_cache_file(&Config::default().cache_dir_in(root), key)
}

/// The phrase file of an index with `key` in the cache folder `cache_dir`.
pub fn phrase_cache_file(cache_dir: &Path, key: u64) -> PathBuf {
    cache_dir.join(format!("search-phrases-{key:016x}.bin"))
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
    key: u64,
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
        key: cache_key(&discovery.files, names),
        cap,
        files: discovery.files,
    };
    let phrase_path = phrase_cache_file(cache_dir, stale.key);
    // A cache whose header holds the current key and whose checksum holds was written whole by
    // this very build (the key covers the source of the search engine), so it is decoded once,
    // when viewed. Its phrase file must be there too.
    let phrase_header_matches = || {
        let mut header = [0u8; 16];
        private_files::open(&phrase_path)
            .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut header))
            .is_ok_and(|()| header_key(&header, PHRASE_MAGIC) == Some(stale.key))
    };
    Ok(match cached {
        Some(bytes) if header_key(&bytes, MAGIC) == Some(stale.key) && phrase_header_matches() => {
            let phrases = Phrases::on_disk(
                phrase_path,
                stale.key,
                stale.cap,
                stale.root.clone(),
                stale.names.clone(),
            );
            let mut index = LoadedIndex::new(bytes, phrases, IndexSource::Cache, Some(cache));
            index.rebuild = Some(Box::new(stale));
            Found::Current(index)
        }
        _ => Found::Stale(stale),
    })
}

impl Stale {
    /// Phrases in memory, with the root to read an entry's file again should one be missing.
    fn phrases(&self, built: super::format::PhraseData<String>) -> Phrases {
        Phrases::built(built, Some(self.root.clone()), self.names.clone())
    }

    /// Build the index of every file and write the cache.
    fn build_and_save(&self, progress: &(dyn Fn(usize, usize) + Sync)) -> LoadedIndex {
        let Built { index, phrases } = build(
            &self.files,
            self.files.len(),
            &self.names,
            self.key,
            progress,
        );
        let phrase_bytes = with_header(PHRASE_MAGIC, self.key, &phrases);
        let cache = cache_file(&self.cache_dir);
        let phrase_path = phrase_cache_file(&self.cache_dir, self.key);
        // The phrase file first: an index is never on disk without the phrases it refers to.
        let written = write_atomically(&self.root, &phrase_path, &phrase_bytes)
            .and_then(|()| write_atomically(&self.root, &cache, &index));
        let cache_path = written.ok().map(|()| cache);
        if cache_path.is_some() {
            remove_stale_phrases(&self.cache_dir, &phrase_path);
        }
        LoadedIndex::new(index, self.phrases(phrases), IndexSource::Built, cache_path)
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
        let Built { index, phrases } = build(&kept, self.files.len(), &self.names, 0, &|_, _| {});
        LoadedIndex::new(
            index,
            self.phrases(phrases),
            IndexSource::Scanned {
                parsed: kept.len(),
                files: self.files.len(),
            },
            None,
        )
    }
}

/// Write `bytes` to `path` (in a cache folder of the catalogue under `root`) by the one
/// atomic write ([`durable::replace_with`]), as a disposable file: a reader sees the old file
/// or the new one and never half of either, and no sync is paid for what a crash would only
/// make nsi build again. The rename replaces whatever is at `path` (a link included) rather
/// than writing through it, and the folder is used only when no folder between `root` and it
/// is a link ([`private_files::create_dir`]).
fn write_atomically(root: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    private_files::create_dir(root, dir)?;
    durable::replace_with(path, None, durable::Durability::Disposable, |out| {
        out.write_all(bytes)
    })
}

/// Remove phrase files of other keys that are more than a minute old (best effort); younger
/// ones may still be in use by a process that loaded the index they belong to.
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
