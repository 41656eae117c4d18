//! Every domain error as the user sees it, in one place: which exit code it maps to (2 for
//! usage and I/O, 1 for findings) and the hint that says what to do next. Commands use `?`;
//! none flattens a typed error to a string or chooses an exit code of its own.

use super::CliError;
use crate::catalogue::adoption::{AdoptError, AdoptionError};
use crate::catalogue::author::AuthorError;
use crate::catalogue::codeowners::CodeownersError;
use crate::catalogue::config::ConfigError;
use crate::catalogue::gate::RulesError;
use crate::catalogue::git::{GitError, redact_credentials};
use crate::catalogue::load::LoadError;
use crate::catalogue::lookup::LookupError;
use crate::catalogue::migrate::run::MigrateError;
use crate::catalogue::publish::PublishError;
use crate::catalogue::reference::{ReferenceError, UnknownSlug};
use crate::catalogue::request::RequestError;
use crate::catalogue::review::ReviewError;
use crate::catalogue::schema::SchemaError;
use crate::catalogue::staged_folder::FolderError;
use crate::catalogue::suggest::did_you_mean;
use crate::catalogue::validate::ValidateError;

impl From<LoadError> for CliError {
    fn from(error: LoadError) -> Self {
        let cli = match &error {
            LoadError::Io { .. } => CliError::io(error.to_string()),
            LoadError::PathNotFound { .. } => CliError::usage(error.to_string()),
            _ => CliError::usage(error.to_string())
                .with_hint("run nsi inside a catalogue repository, or pass --catalogue DIR"),
        };
        cli.caused_by(&error)
    }
}

impl From<ReferenceError> for CliError {
    fn from(error: ReferenceError) -> Self {
        CliError::usage(error.to_string())
            .with_hint(
                "the reference lists under schema/ are broken: `nsi validate` lists every problem",
            )
            .caused_by(&error)
    }
}

impl From<SchemaError> for CliError {
    fn from(error: SchemaError) -> Self {
        CliError::usage(format!("the entry schema does not compile: {error}"))
            .with_hint("schema/solution.schema.json must be a valid JSON Schema (draft 2020-12)")
    }
}

impl From<ConfigError> for CliError {
    fn from(error: ConfigError) -> Self {
        CliError::usage(error.to_string())
            .with_hint("docs/configuration.md describes every setting of nsi.toml")
            .caused_by(&error)
    }
}

impl From<ValidateError> for CliError {
    fn from(error: ValidateError) -> Self {
        match error {
            ValidateError::Load(error) => error.into(),
            ValidateError::Reference(error) => error.into(),
            ValidateError::Schema(error) => error.into(),
            ValidateError::Config(error) => error.into(),
        }
    }
}

impl From<MigrateError> for CliError {
    fn from(error: MigrateError) -> Self {
        match error {
            MigrateError::Load(error @ LoadError::PathNotFound { .. }) => {
                CliError::usage(error.to_string())
                    .with_hint("name entry files or folders of the catalogue, or none for all")
                    .caused_by(&error)
            }
            MigrateError::Load(error) => error.into(),
            MigrateError::Reference(error) => error.into(),
            MigrateError::Target(error) => CliError::usage(error.to_string())
                .with_hint("`nsi version` lists the schema versions nsi knows")
                .caused_by(&error),
        }
    }
}

impl From<GitError> for CliError {
    fn from(error: GitError) -> Self {
        let hint = match &error {
            GitError::NotARepository { .. } => {
                Some("run nsi inside a clone of the index (git clone …), or pass --catalogue DIR")
            }
            GitError::UnknownRevision { .. } => Some(
                "name a branch, tag or commit id that exists here (git log --oneline shows them)",
            ),
            GitError::NoDefaultBranch { .. } => Some(
                "fetch the default branch (git fetch origin), name the base (nsi diff BASE HEAD), \
                 or set default_branch in nsi.toml",
            ),
            GitError::NoCommits { .. } => Some(
                "commit the catalogue first (git add catalogue schema && git commit): diff, \
                 review, history and publish compare commits",
            ),
            GitError::UnknownRemote { .. } => {
                Some("list the remotes with `git remote -v`, or pass --remote NAME")
            }
            _ => None,
        };
        let message = redact_credentials(&error.to_string());
        match hint {
            Some(hint) => CliError::usage(message).with_hint(hint),
            None => CliError::io(message),
        }
        .caused_by(&error)
    }
}

impl From<RulesError> for CliError {
    fn from(error: RulesError) -> Self {
        match error {
            RulesError::Git(error) => error.into(),
            other => CliError::usage(other.to_string())
                .with_hint(
                    "the base's rules judge the pull request: fix them on the base branch first",
                )
                .caused_by(&other),
        }
    }
}

impl From<ReviewError> for CliError {
    fn from(error: ReviewError) -> Self {
        match error {
            ReviewError::Git(error) => error.into(),
            ReviewError::Rules(error) => error.into(),
            ReviewError::Load(error) => error.into(),
            other @ ReviewError::Schema(_) => CliError::usage(other.to_string())
                .with_hint(
                    "the base's rules judge the pull request: fix them on the base branch first",
                )
                .caused_by(&other),
        }
    }
}

impl From<PublishError> for CliError {
    fn from(error: PublishError) -> Self {
        let hint = match &error {
            PublishError::NothingToPublish { .. } => {
                Some("add an entry with `nsi add` or edit one with `nsi edit ID` first")
            }
            PublishError::Unchanged { .. } => {
                Some("`nsi diff` lists the entries that differ from the default branch")
            }
            PublishError::BadBranch { .. } => {
                Some("use letters, digits, '-', '_' and '/', e.g. --branch nsi/my-solution")
            }
            _ => None,
        };
        match error {
            PublishError::Git(error) => error.into(),
            PublishError::Validate(error) => error.into(),
            PublishError::Review(error) => error.into(),
            PublishError::BranchCheckedOut {
                ref branch,
                ref worktree,
            } => {
                let worktree = worktree.display().to_string();
                CliError::usage(error.to_string())
                    .with_hint(format!(
                        "switch that working tree to another branch (git -C {worktree} switch \
                         main), then run nsi publish again"
                    ))
                    .with_hint(format!(
                        "or publish to a branch of its own: nsi publish --branch {branch}-2"
                    ))
                    .with_hint(format!(
                        "or commit there and push it yourself: git -C {worktree} commit, then \
                         git push <remote> {branch}"
                    ))
            }
            other => {
                let cli = match hint {
                    Some(hint) => {
                        CliError::usage(redact_credentials(&other.to_string())).with_hint(hint)
                    }
                    None => CliError::io(redact_credentials(&other.to_string())),
                };
                cli.caused_by(&other)
            }
        }
    }
}

impl From<LookupError> for CliError {
    fn from(error: LookupError) -> Self {
        match &error {
            LookupError::OutsideCatalogue { file, .. } => {
                return CliError::findings(error.to_string()).with_hint(format!(
                    "entries live inside catalogue/: copy the file there instead of linking to \
                     it (`nsi validate {}` reports it as NSI012)",
                    file.display()
                ));
            }
            LookupError::Invalid { file, .. } => {
                return CliError::findings(error.to_string()).with_hint(format!(
                    "run `nsi validate {}` to see what is wrong",
                    file.display()
                ));
            }
            LookupError::NotFound { .. } => {}
        }
        let mut cli = CliError::findings(error.to_string());
        if let LookupError::NotFound { suggestions, .. } = &error {
            cli = cli.with_optional_hint(did_you_mean(suggestions));
        }
        cli.with_hint("`nsi search WORDS` finds entries by what they do")
    }
}

impl From<AuthorError> for CliError {
    fn from(error: AuthorError) -> Self {
        match &error {
            AuthorError::Exists { .. } => CliError::findings(error.to_string())
                .with_hint("leave `id` out to make a unique one from the title"),
            AuthorError::BadFlag { .. } | AuthorError::Csv(_) | AuthorError::LinkOutside { .. } => {
                CliError::usage(error.to_string())
            }
            AuthorError::ChangedOnDisk { .. } => CliError::findings(error.to_string()),
            AuthorError::Io { .. } => CliError::io(error.to_string()),
        }
        .caused_by(&error)
    }
}

impl From<AdoptionError> for CliError {
    fn from(error: AdoptionError) -> Self {
        CliError::usage(error.to_string())
    }
}

impl From<AdoptError> for CliError {
    fn from(error: AdoptError) -> Self {
        match error {
            AdoptError::Adoption(error) => error.into(),
            AdoptError::Write(error) => error.into(),
            // The command prints the errors themselves.
            AdoptError::Invalid { .. } => CliError::findings(error.to_string())
                .with_hint("fix the entry first (`nsi validate`), then record the adoption"),
            AdoptError::Read { .. } => CliError::io(error.to_string()).caused_by(&error),
        }
    }
}

impl From<CodeownersError> for CliError {
    fn from(error: CodeownersError) -> Self {
        CliError::usage(error.to_string()).with_hint(
            "owners are GitHub teams, @org/team (--gatekeepers), and @org/…{force}… \
             (--force-team); force slugs come from schema/reference/forces.yaml",
        )
    }
}

impl From<RequestError> for CliError {
    fn from(error: RequestError) -> Self {
        let hint = match &error {
            RequestError::NoValidContact { .. } => "the force's own contact points can pass it \
                 on; `nsi stale` lists entries whose contacts need renewing"
                .to_owned(),
            RequestError::NoSuchDocument { id, .. }
            | RequestError::NotOnRequest { id, .. }
            | RequestError::NothingOnRequest { id } => {
                format!("`nsi show {id}` lists its documents and how to get them")
            }
        };
        CliError::findings(error.to_string()).with_hint(hint)
    }
}

impl From<UnknownSlug> for CliError {
    fn from(error: UnknownSlug) -> Self {
        let mut cli = CliError::usage(error.to_string());
        cli = cli.with_optional_hint(did_you_mean(error.nearest.as_slice()));
        cli.with_hint(format!(
            "the {} slugs are listed in schema/reference/{}",
            error.kind, error.list
        ))
    }
}

impl From<FolderError> for CliError {
    fn from(error: FolderError) -> Self {
        let message = error.to_string();
        match error {
            FolderError::NotOurs { .. } => CliError::usage(message).with_hint(
                "give --out a new or empty folder; nsi replaces a folder only when it holds an \
                 earlier export",
            ),
            FolderError::Foreign { .. } => CliError::usage(message).with_hint(
                "nsi replaces the whole folder: move those files out, or export to a new folder \
                 and copy the site in",
            ),
            FolderError::NotAFolder { .. } => {
                CliError::usage(message).with_hint("give --out a new or empty folder")
            }
            FolderError::Io { .. } => CliError::io(message),
            FolderError::NotRestored { kept, .. } => CliError::io(message).with_hint(format!(
                "the earlier site could not be put back; it is in {}",
                kept.display()
            )),
        }
    }
}

impl From<csv::Error> for CliError {
    fn from(error: csv::Error) -> Self {
        CliError::io(format!("cannot write CSV: {error}"))
    }
}

impl From<serde_json::Error> for CliError {
    fn from(error: serde_json::Error) -> Self {
        CliError::io(format!("cannot write JSON: {error}"))
    }
}

impl From<crate::catalogue::search::FilterError> for CliError {
    fn from(error: crate::catalogue::search::FilterError) -> Self {
        let mut cli = CliError::usage(error.to_string());
        cli = cli.with_optional_hint(did_you_mean(error.suggestion.as_slice()));
        let shown: Vec<&str> = error.valid.iter().take(60).map(String::as_str).collect();
        cli.with_hint(format!("valid values: {}", shown.join(", ")))
    }
}

impl From<crate::catalogue::search::BuildError> for CliError {
    fn from(error: crate::catalogue::search::BuildError) -> Self {
        use crate::catalogue::search::BuildError;
        match error {
            BuildError::Load(error) => error.into(),
            error @ (BuildError::NotWritable { .. } | BuildError::NotSaved { .. }) => CliError::io(
                error.to_string(),
            )
            .with_hint("set cache_dir in nsi.toml, or NSI_CACHE_DIR, to a folder nsi may write"),
        }
    }
}

/// A domain error that only wraps others converts as the one it wraps does.
macro_rules! through {
    ($($error:ty { $($variant:ident),+ $(,)? })+) => {$(
        impl From<$error> for CliError {
            fn from(error: $error) -> Self {
                type Wrapper = $error;
                match error {
                    $(Wrapper::$variant(error) => error.into(),)+
                }
            }
        }
    )+};
}

through! {
    crate::catalogue::handle::OpenError { Root, Config }
    crate::catalogue::handle::CheckerError { Reference, Schema }
    crate::catalogue::handle::SearchError { Reference, Answer }
    crate::catalogue::handle::IndexBuildError { Reference, Build }
    crate::catalogue::search::IndexError { Load, Reference }
    crate::catalogue::search::AnswerError { Load, Filter }
    crate::catalogue::format::FormatRunError { Load, Reference }
}
