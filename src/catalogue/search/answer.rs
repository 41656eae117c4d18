//! The search strategy: which index answers a search, and when it is rebuilt.
//!
//! With a current cache, the cached index answers. Without one, a query is answered from the
//! files that may match it (the answer the whole index would give, [`load_or_scan`]) while the
//! index is built in the background. A listing (no query), a `--technology` value (checked
//! against every stack) and the words suggested when nothing matches need the whole index,
//! which is then built and saved on the spot.

use std::path::Path;

use super::cache::{IndexSource, LoadedIndex, load_index, load_or_scan};
use super::lock::{Background, IndexCommand, start_in_background};
use super::query::{FilterError, Query, SearchRequest, SearchResults, search};
use super::ranking::SearchableNames;
use crate::catalogue::config::Config;
use crate::catalogue::load::LoadError;
use crate::catalogue::reference::Reference;

/// A search answered, with the index that answered it.
#[derive(Debug)]
pub struct Answer {
    /// What was found.
    pub results: SearchResults,
    /// The index searched.
    pub index: LoadedIndex,
    /// What became of the background build a search without a current index starts.
    pub background: Option<Background>,
}

impl Answer {
    /// Where the index came from, and what became of the background build, in words (for
    /// `--verbose`).
    pub fn origin(&self) -> String {
        let mut origin = self.index.origin();
        if let Some(background) = self.background
            && matches!(self.index.source, IndexSource::Scanned { .. })
        {
            origin.push_str(background.note());
        }
        origin
    }
}

/// Why a search could not be answered.
#[derive(Debug, thiserror::Error)]
pub enum AnswerError {
    /// The catalogue's entry files cannot be listed.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// A filter value is not one of the known values.
    #[error(transparent)]
    Filter(#[from] FilterError),
}

/// Answer `request` over the catalogue under `root` with its settings and reference lists,
/// choosing the index as the module describes. `progress(done, total)` hears of a full build;
/// `index_command` starts `nsi index` in the background (`None` when this process is not the
/// nsi command).
pub fn answer(
    root: &Path,
    config: &Config,
    reference: &Reference,
    request: &SearchRequest,
    progress: &(dyn Fn(usize, usize) + Sync),
    index_command: Option<IndexCommand<'_>>,
) -> Result<Answer, AnswerError> {
    let names = SearchableNames::from(reference);
    let cache_dir = config.cache_dir_in(root);
    let whole = || load_index(root, &names, &cache_dir, progress);
    let query = Query::parse(&request.query);
    let mut index = if query.is_empty() || !request.filters.technologies.is_empty() {
        whole()?
    } else {
        load_or_scan(root, &names, &cache_dir, &query)?
    };
    let mut results = search(&index.view(), reference, request)?;
    let mut background = None;
    if matches!(index.source, IndexSource::Scanned { .. }) {
        if results.suggestions.is_empty() {
            background = Some(start_in_background(root, config, index_command));
        } else {
            index = whole()?;
            results = search(&index.view(), reference, request)?;
        }
    }
    Ok(Answer {
        results,
        index,
        background,
    })
}
