//! Search: a field-weighted, typo-tolerant inverted index over the catalogue, cached on disk.

pub mod index;
pub mod query;
pub mod scan;
pub mod similar;
pub mod text;

pub use index::{IndexSource, IndexView, IndexedEntry, LoadedIndex, SearchableNames, load_index};
pub use query::{FilterError, Filters, SearchHit, SearchRequest, SearchResults, search};
