//! Search: a field-weighted, typo-tolerant inverted index over the catalogue, cached on disk.
//!
//! Each file holds one concern, and imports run one way, from the bottom of this list up
//! (a module uses only modules above it):
//!
//! | module        | concern                                                                 |
//! |---------------|-------------------------------------------------------------------------|
//! | [`text`]      | folding text and cutting it into words; typo distance                   |
//! | [`ranking`]   | the one ranking definition: fields and their sources, weights, BM25, query rules (the site's `data.js` is written from it) |
//! | [`postings`]  | the postings codec                                                      |
//! | [`analyse`]   | an entry as the index sees it: its listing, words per field, phrase text |
//! | [`format`]    | the bytes of the index and phrase files: header, checksum, layout       |
//! | [`index`]     | the zero-copy view a search reads, and the phrase text beside it        |
//! | [`invert`]    | building an index from entry files, on every core                       |
//! | [`query`]     | parsing a query, filters, scoring, explaining                           |
//! | [`scan`]      | which files may match a query, from their bytes                         |
//! | [`build_key`], [`key`] | the cache key: what shapes the index, hashed at build and run time |
//! | [`cache`]     | where the cache lives, when it is read, built, saved or bypassed        |
//! | [`lock`]      | one build at a time; the background build                               |
//! | [`answer`]    | the search strategy: which index answers, when it is rebuilt            |
//! | [`similar`]   | entries like a text, with the search's weights                          |
//!
//! `catalogue::Catalogue` opens the index of a catalogue ([`crate::catalogue::Catalogue::index`])
//! and answers searches with the strategy ([`crate::catalogue::Catalogue::search`]).

pub mod analyse;
pub mod answer;
pub mod build_key;
pub mod cache;
pub mod format;
pub mod index;
pub mod invert;
pub mod key;
pub mod lock;
pub mod postings;
pub mod query;
pub mod ranking;
pub mod scan;
pub mod similar;
pub mod text;

pub use analyse::IndexedEntry;
pub use answer::{Answer, AnswerError};
pub use cache::{IndexError, IndexSource, LoadedIndex, build_uncached, load_index};
pub use index::IndexView;
pub use lock::{Background, BuildError, LockEvent};
pub use query::{FilterError, Filters, SearchHit, SearchRequest, SearchResults, search};
pub use ranking::{Field, RANKING, SearchableNames};
