//! What every command is given: the global flags and, opened on first use and only once, the
//! catalogue (`catalogue::Catalogue`). A command reads `ctx.catalogue()?` and calls the domain;
//! it never finds the root, reads `nsi.toml` or the reference lists on its own.

use std::cell::OnceCell;

use chrono::NaiveDate;

use super::GlobalArgs;
use super::error::CliError;
use super::render::progress::Progress;
use crate::catalogue::Catalogue;
use crate::catalogue::search::LoadedIndex;

/// The context of one run of `nsi`.
#[derive(Debug)]
pub struct Context<'g> {
    /// The global flags.
    pub global: &'g GlobalArgs,
    catalogue: OnceCell<Catalogue>,
}

impl<'g> Context<'g> {
    /// The context of a run with these flags; nothing is read yet.
    pub fn new(global: &'g GlobalArgs) -> Self {
        Context {
            global,
            catalogue: OnceCell::new(),
        }
    }

    /// The catalogue: `--catalogue DIR`, or the nearest at or above the working folder, with its
    /// settings from `nsi.toml` and the `NSI_*` environment (a broken `nsi.toml` is an error
    /// here, for every command that reads the catalogue).
    pub fn catalogue(&self) -> Result<&Catalogue, CliError> {
        if let Some(catalogue) = self.catalogue.get() {
            return Ok(catalogue);
        }
        let cwd = std::env::current_dir()
            .map_err(|e| CliError::io(format!("cannot read the working directory: {e}")))?;
        let catalogue = Catalogue::open(self.global.catalogue.as_deref(), &cwd, |name| {
            std::env::var_os(name)
        })?;
        Ok(self.catalogue.get_or_init(|| catalogue))
    }

    /// The catalogue root alone, its settings unread: for what must work while `nsi.toml` is
    /// broken (`nsi config --path`, `nsi version`).
    pub fn root(&self) -> Result<std::path::PathBuf, CliError> {
        if let Some(catalogue) = self.catalogue.get() {
            return Ok(catalogue.root().to_path_buf());
        }
        self.global.root()
    }

    /// The catalogue's search index (`Catalogue::index`), with a progress bar while it is built
    /// on a terminal, and where it came from said with `-v`.
    pub fn index(&self) -> Result<&LoadedIndex, CliError> {
        let progress = Progress::new("indexing", self.quiet());
        let index = self
            .catalogue()?
            .index(&|done, total| progress.update(done, total))?;
        progress.finish();
        if self.verbose() {
            anstream::eprintln!("{}", index.origin());
        }
        Ok(index)
    }

    /// Today, or the day given with `--today` / `NSI_TODAY`.
    pub fn today(&self) -> NaiveDate {
        self.global.today()
    }

    /// Whether only errors are to be printed (`-q`).
    pub fn quiet(&self) -> bool {
        self.global.quiet
    }

    /// Whether more detail is asked for (`-v`).
    pub fn verbose(&self) -> bool {
        self.global.verbose
    }
}
