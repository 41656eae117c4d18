//! One module per subcommand: an `Args` struct (its doc comment is the help) and `run()`.

pub mod add;
pub mod completions;
pub mod edit;
pub mod export;
pub mod fmt;
pub mod import;
pub mod man;
pub mod search;
pub mod show;
pub mod similar;
pub mod stale;
pub mod stats;
pub mod validate;

use std::path::PathBuf;

use crate::catalogue::reference::Reference;
use crate::catalogue::search::{IndexSource, LoadedIndex, SearchableNames, load_index};
use crate::cli::GlobalArgs;
use crate::cli::error::CliError;

/// The catalogue root, its reference lists and its search index (from the cache when fresh).
pub fn open_index(global: &GlobalArgs) -> Result<(PathBuf, Reference, LoadedIndex), CliError> {
    let root = global.root()?;
    let reference = Reference::for_root(&root).map_err(|e| CliError::io(e.to_string()))?;
    let index = load_index(&root, &SearchableNames::from(&reference))
        .map_err(|e| CliError::io(e.to_string()))?;
    if global.verbose {
        let from = match (index.source, &index.cache_path) {
            (IndexSource::Cache, Some(path)) => format!("read from {}", path.display()),
            (IndexSource::Built, Some(path)) => format!("built and saved to {}", path.display()),
            _ => "built (not cached: the cache folder is not writable)".to_owned(),
        };
        anstream::eprintln!("search index {from}");
    }
    Ok((root, reference, index))
}
