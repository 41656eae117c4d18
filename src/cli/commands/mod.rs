//! One module per subcommand: an `Args` struct (its doc comment is the help) and `run()`.

pub mod add;
pub mod adopt;
pub mod changes;
pub mod codeowners;
pub mod completions;
pub mod config;
pub mod diff;
pub mod edit;
pub mod export;
pub mod fmt;
pub mod history;
pub mod import;
pub mod index;
pub mod lsp;
pub mod man;
pub mod overlaps;
pub mod publish;
pub mod request;
pub mod review;
pub mod search;
pub mod show;
pub mod similar;
pub mod stale;
pub mod stats;
pub mod validate;
pub mod version;

use std::path::PathBuf;

use crate::catalogue::reference::Reference;
use crate::catalogue::search::{LoadedIndex, SearchableNames, load_index};
use crate::cli::GlobalArgs;
use crate::cli::error::CliError;

/// The catalogue root, its reference lists and its search index (from the cache when fresh).
pub fn open_index(global: &GlobalArgs) -> Result<(PathBuf, Reference, LoadedIndex), CliError> {
    let root = global.root()?;
    let reference = Reference::for_root(&root).map_err(|e| CliError::io(e.to_string()))?;
    let index = load_index(&root, &SearchableNames::from(&reference))
        .map_err(|e| CliError::io(e.to_string()))?;
    if global.verbose {
        anstream::eprintln!("{}", search::where_from(&index, None));
    }
    Ok((root, reference, index))
}

/// An entry that cannot be found, as the user sees it: the nearest ids, and how to search.
pub fn not_found(error: &crate::catalogue::lookup::LookupError) -> CliError {
    if let crate::catalogue::lookup::LookupError::OutsideCatalogue { file, .. } = error {
        return CliError::findings(error.to_string()).with_hint(format!(
            "entries live inside catalogue/: copy the file there instead of linking to it \
             (`nsi validate {}` reports it as NSI012)",
            file.display()
        ));
    }
    let mut cli = CliError::findings(error.to_string());
    if let crate::catalogue::lookup::LookupError::NotFound { suggestions, .. } = error
        && !suggestions.is_empty()
    {
        cli = cli.with_hint(format!(
            "did you mean {}?",
            suggestions
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    cli.with_hint("`nsi search WORDS` finds entries by what they do")
}

/// The resolved settings (`nsi.toml`, then the environment) for the catalogue at `root`.
pub fn settings(root: &std::path::Path) -> Result<crate::catalogue::config::Config, CliError> {
    crate::catalogue::config::Config::load(root)
        .map(|resolved| resolved.config)
        .map_err(|e| {
            CliError::usage(e.to_string())
                .with_hint("fix nsi.toml; `nsi config` shows every setting")
        })
}
