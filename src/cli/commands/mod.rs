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

use crate::cli::GlobalArgs;
use crate::cli::error::CliError;

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

/// The catalogue root and the git repository holding it.
pub fn open_repo(
    global: &GlobalArgs,
) -> Result<(PathBuf, crate::catalogue::git::CatalogueRepo), CliError> {
    let root = global.root()?;
    let repo = crate::catalogue::git::CatalogueRepo::open(&root).map_err(git_error)?;
    Ok((root, repo))
}

/// A git failure as the user sees it, with what to do next.
#[allow(
    clippy::needless_pass_by_value,
    reason = "taken by value to be used as `.map_err(git_error)`"
)]
pub fn git_error(error: crate::catalogue::git::GitError) -> CliError {
    use crate::catalogue::git::GitError;
    let hint = match &error {
        GitError::NotARepository { .. } => {
            Some("run nsi inside a clone of the index (git clone …), or pass --catalogue DIR")
        }
        GitError::UnknownRevision { .. } => {
            Some("name a branch, tag or commit id that exists here (git log --oneline shows them)")
        }
        GitError::NoDefaultBranch { .. } => Some(
            "fetch the default branch (git fetch origin), name the base (nsi diff BASE HEAD), or \
             set default_branch in nsi.toml",
        ),
        GitError::NoCommits { .. } => Some(
            "commit the catalogue first (git add catalogue schema && git commit): diff, review, \
             history and publish compare commits",
        ),
        GitError::UnknownRemote { .. } => {
            Some("list the remotes with `git remote -v`, or pass --remote NAME")
        }
        GitError::Git(_) | GitError::Io { .. } => None,
    };
    let message = crate::catalogue::git::redact_credentials(&error.to_string());
    let mut cli = match hint {
        Some(hint) => CliError::usage(message).with_hint(hint),
        None => CliError::io(message),
    }
    .caused_by(&error);
    // The causes are git's words too, and may repeat a URL.
    for cause in &mut cli.causes {
        *cause = crate::catalogue::git::redact_credentials(cause);
    }
    cli
}

/// What changed in the catalogue between two revisions, with what the comparison needs.
pub struct Compared {
    /// The catalogue root.
    pub root: PathBuf,
    /// Its settings.
    pub config: crate::catalogue::config::Config,
    /// The head compared (the working tree unless named).
    pub head: crate::catalogue::git::Revision,
    /// The changes.
    pub diff: crate::catalogue::diff::CatalogueDiff,
}

/// BASE and HEAD as the user named them: BASE defaults to where HEAD left the default branch
/// (from the settings), HEAD to the working tree.
pub fn revisions(
    root: &std::path::Path,
    repo: &crate::catalogue::git::CatalogueRepo,
    base: Option<&str>,
    head: Option<&str>,
) -> Result<
    (
        crate::catalogue::git::Revision,
        crate::catalogue::git::Revision,
    ),
    CliError,
> {
    let base = if let Some(spec) = base {
        repo.resolve(spec)
    } else {
        let config = settings(root)?;
        repo.default_base(&config.remote, &config.default_branch)
    }
    .map_err(git_error)?;
    let head = match head {
        Some(spec) => repo.resolve(spec).map_err(git_error)?,
        None => crate::catalogue::git::Revision::work_tree(),
    };
    Ok((base, head))
}

/// Compare BASE and HEAD as the user named them (see [`revisions`]).
pub fn compare(
    global: &GlobalArgs,
    base: Option<&str>,
    head: Option<&str>,
) -> Result<Compared, CliError> {
    let (root, repo) = open_repo(global)?;
    let config = settings(&root)?;
    let (base, head) = revisions(&root, &repo, base, head)?;
    let diff = crate::catalogue::diff::diff_revisions(&repo, &base, &head).map_err(git_error)?;
    Ok(Compared {
        root,
        config,
        head,
        diff,
    })
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

/// A review that could not run, as the user sees it.
pub fn review_error(error: crate::catalogue::review::ReviewError) -> CliError {
    use crate::catalogue::gate::RulesError;
    use crate::catalogue::review::ReviewError;
    match error {
        ReviewError::Git(error) | ReviewError::Rules(RulesError::Git(error)) => git_error(error),
        other => CliError::usage(other.to_string()).with_hint(
            "the base's rules judge the pull request: fix them on the base branch first",
        ),
    }
}
