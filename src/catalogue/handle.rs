//! One catalogue for every command. [`Catalogue::open`] finds what every command needs the
//! same way — the root, its settings (`nsi.toml`, then the environment it is given, with
//! where each value came from), the reference lists under `schema/` and, when asked, the
//! checker, the search index and the git repository — so that whichever command reaches a
//! piece of logic, it behaves the same: a broken `nsi.toml` is reported by every command that
//! reads it, and every reader of the reference lists reads them one way.

use std::cell::OnceCell;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use super::author::Author;
use super::config::{Config, ConfigError, Resolved};
use super::diff::{CatalogueDiff, diff_revisions};
use super::git::{CatalogueRepo, GitError, Revision};
use super::load::{self, LoadError};
use super::reference::{Reference, ReferenceError};
use super::resemblance;
use super::schema::SchemaError;
use super::search::answer::{Answer, AnswerError, answer};
use super::search::cache::{IndexError, LoadedIndex, load_index};
use super::search::lock::{BuildError, IndexCommand, LockEvent, build_locked};
use super::search::similar::SimilarEntry;
use super::search::{SearchRequest, SearchableNames};
use super::validate::{EntryChecker, RuleSettings, ValidateError, ValidationOptions};

/// Why a catalogue cannot be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// No catalogue root where one was looked for.
    #[error(transparent)]
    Root(#[from] LoadError),
    /// `nsi.toml` or a setting from the environment is wrong.
    #[error(transparent)]
    Config(#[from] ConfigError),
}

/// An open catalogue: its root, settings and reference lists, and what is worked out from them
/// on first use.
#[derive(Debug)]
pub struct Catalogue {
    root: PathBuf,
    settings: Resolved,
    reference: OnceCell<Reference>,
    repo: OnceCell<CatalogueRepo>,
    index: OnceCell<LoadedIndex>,
}

impl Catalogue {
    /// Open the catalogue at `explicit` (`--catalogue DIR`), or the nearest one at or above
    /// `start`, with its settings resolved from `nsi.toml` and then `env` (the `NSI_*`
    /// variables; the caller passes the process environment, tests their own).
    pub fn open(
        explicit: Option<&Path>,
        start: &Path,
        env: impl Fn(&str) -> Option<OsString>,
    ) -> Result<Self, OpenError> {
        let root = load::find_root(explicit, start)?;
        let settings = Config::load(&root, env)?;
        Ok(Catalogue {
            root,
            settings,
            reference: OnceCell::new(),
            repo: OnceCell::new(),
            index: OnceCell::new(),
        })
    }

    /// The catalogue root: the folder holding `catalogue/` and `schema/`.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The settings in force.
    pub fn config(&self) -> &Config {
        &self.settings.config
    }

    /// The settings in force with where each came from (`nsi config`).
    pub fn settings(&self) -> &Resolved {
        &self.settings
    }

    /// The reference lists and the entry schema (read once; a broken list is an error with its
    /// file, line and column).
    pub fn reference(&self) -> Result<&Reference, ReferenceError> {
        if let Some(reference) = self.reference.get() {
            return Ok(reference);
        }
        let reference = Reference::for_root(&self.root)?;
        Ok(self.reference.get_or_init(|| reference))
    }

    /// The rules' settings from the configuration (review period, allowed email domains).
    pub fn rule_settings(&self) -> RuleSettings {
        RuleSettings::from(self.config())
    }

    /// A checker of entries with the catalogue's lists, schema and settings.
    pub fn checker(&self, options: ValidationOptions) -> Result<EntryChecker, CheckerError> {
        Ok(EntryChecker::new(self.reference()?.clone(), options)?
            .with_settings(self.rule_settings()))
    }

    /// What the search index takes from the reference lists.
    pub fn searchable_names(&self) -> Result<SearchableNames, ReferenceError> {
        Ok(SearchableNames::from(self.reference()?))
    }

    /// Entries already in the catalogue that resemble `entry` (complete or partial), best
    /// first: the similarity policy of new entries ([`resemblance`]).
    pub fn resembling(&self, entry: &serde_json::Value) -> Vec<SimilarEntry> {
        match self.searchable_names() {
            Ok(names) => resemblance::resembling(&self.root, &names, &self.cache_dir(), entry),
            Err(_) => Vec::new(),
        }
    }

    /// The search index's cache folder.
    pub fn cache_dir(&self) -> PathBuf {
        self.config().cache_dir_in(&self.root)
    }

    /// The author of new and edited entries, judging dates against `today`.
    pub fn author(&self, today: chrono::NaiveDate) -> Result<Author, ValidateError> {
        Author::open(&self.root, today, self.rule_settings())
    }

    /// The git repository holding the catalogue (opened once).
    pub fn repo(&self) -> Result<&CatalogueRepo, GitError> {
        if let Some(repo) = self.repo.get() {
            return Ok(repo);
        }
        let repo = CatalogueRepo::open(&self.root)?;
        Ok(self.repo.get_or_init(|| repo))
    }
}

impl Catalogue {
    /// BASE and HEAD as a user names them: BASE defaults to where HEAD left the default branch
    /// (`remote` and `default_branch` of the settings), HEAD to the working tree.
    pub fn revisions(
        &self,
        base: Option<&str>,
        head: Option<&str>,
    ) -> Result<(Revision, Revision), GitError> {
        let repo = self.repo()?;
        let base = match base {
            Some(spec) => repo.resolve(spec)?,
            None => repo.default_base(&self.config().remote, &self.config().default_branch)?,
        };
        let head = match head {
            Some(spec) => repo.resolve(spec)?,
            None => Revision::work_tree(),
        };
        Ok((base, head))
    }

    /// What changed in the catalogue between BASE and HEAD as a user names them (see
    /// [`Catalogue::revisions`]).
    pub fn diff(&self, base: Option<&str>, head: Option<&str>) -> Result<CatalogueDiff, GitError> {
        let (base, head) = self.revisions(base, head)?;
        diff_revisions(self.repo()?, &base, &head)
    }
}

/// Why a checker cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum CheckerError {
    /// The reference lists are broken.
    #[error(transparent)]
    Reference(#[from] ReferenceError),
    /// The schema does not compile.
    #[error(transparent)]
    Schema(#[from] SchemaError),
}

/// The search index: opened once, from the cache in the configured folder when current.
impl Catalogue {
    /// The search index: from the cache in the configured `cache_dir` when it is current,
    /// otherwise built from the files (calling `progress(done, total)` as they are read) and
    /// saved. Opened once.
    pub fn index(
        &self,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<&LoadedIndex, IndexError> {
        if let Some(index) = self.index.get() {
            return Ok(index);
        }
        let index = load_index(
            &self.root,
            &self.searchable_names()?,
            &self.cache_dir(),
            progress,
        )?;
        Ok(self.index.get_or_init(|| index))
    }

    /// Answer a search with the search strategy (`search::answer`): the cached index when
    /// current, otherwise the files that may match while `index_command` builds the index in
    /// the background, or a full build where the answer needs every entry.
    pub fn search(
        &self,
        request: &SearchRequest,
        progress: &(dyn Fn(usize, usize) + Sync),
        index_command: Option<IndexCommand<'_>>,
    ) -> Result<Answer, SearchError> {
        Ok(answer(
            &self.root,
            self.config(),
            self.reference()?,
            request,
            progress,
            index_command,
        )?)
    }

    /// Build the index and save it under the build lock, or find it current once a build
    /// already running has finished (`nsi index`; `search::lock`).
    pub fn build_index(
        &self,
        progress: &(dyn Fn(usize, usize) + Sync),
        events: &dyn Fn(LockEvent<'_>),
    ) -> Result<LoadedIndex, IndexBuildError> {
        Ok(build_locked(
            &self.root,
            &self.searchable_names()?,
            &self.cache_dir(),
            progress,
            events,
        )?)
    }
}

/// Why a search of the catalogue could not be answered.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The reference lists are broken.
    #[error(transparent)]
    Reference(#[from] ReferenceError),
    /// The search itself failed.
    #[error(transparent)]
    Answer(#[from] AnswerError),
}

/// Why the index could not be built and saved.
#[derive(Debug, thiserror::Error)]
pub enum IndexBuildError {
    /// The reference lists are broken.
    #[error(transparent)]
    Reference(#[from] ReferenceError),
    /// The build failed or could not be saved.
    #[error(transparent)]
    Build(#[from] BuildError),
}
