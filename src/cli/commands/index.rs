//! `nsi index`: build the search index now and keep it in the cache (also what the background
//! build `nsi search` starts runs).

use std::process::ExitCode;

use crate::catalogue::search::{IndexSource, LockEvent};
use crate::cli::context::Context;
use crate::cli::error::CliError;
use crate::cli::render::progress::Progress;

/// Build the search index and save it in the cache folder, so that searches read it.
///
/// `nsi search` starts this in the background when it finds no current index, and answers
/// meanwhile by reading every file and parsing those that may match (set
/// `index_in_background = false` in nsi.toml, or `NSI_INDEX_IN_BACKGROUND=false`, to stop it).
/// Run it yourself after a clone, in a container image, or before timing searches. It waits
/// for a build already running, and does nothing when the index is current.
///
/// Examples:
///   nsi index
///   nsi index --quiet && nsi search redaction
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {}

/// Run `nsi index`.
pub fn run(ctx: &Context, _args: &Args) -> Result<ExitCode, CliError> {
    let catalogue = ctx.catalogue()?;
    // The lock protocol is the domain's (`search::lock`): here, only what to tell the user.
    let events = |event: LockEvent<'_>| match event {
        LockEvent::Waiting if !ctx.quiet() => {
            anstream::eprintln!("waiting for the index build in progress…");
        }
        LockEvent::Unguarded(error) if ctx.verbose() => {
            anstream::eprintln!("building without the lock: {error}");
        }
        LockEvent::Waiting | LockEvent::Unguarded(_) => {}
    };
    let progress = Progress::new("indexing", ctx.quiet());
    let index = catalogue.build_index(&|done, total| progress.update(done, total), &events)?;
    progress.finish();
    if !ctx.quiet() {
        let view = index.view();
        let entries = view.entries().len();
        let skipped = view.skipped().len();
        let what = if index.source == IndexSource::Cache && !index.was_rebuilt() {
            "is current"
        } else {
            "was built"
        };
        let skipped = if skipped > 0 {
            format!("; {skipped} file(s) could not be read as entries (run `nsi validate`)")
        } else {
            String::new()
        };
        // Saved: `build_index` says so.
        let path = index
            .cache_path
            .clone()
            .unwrap_or_else(|| catalogue.cache_dir());
        anstream::eprintln!(
            "the search index {what}: {entries} entries in {}{skipped}",
            path.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
