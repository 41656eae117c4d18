//! `nsi publish`: a branch, a commit of only the entry files, a push, and the pull-request URL.

use std::process::ExitCode;

use super::{git_error, open_repo};
use crate::catalogue::credentials::redact_url;
use crate::catalogue::git::{PushOutcome, short};
use crate::catalogue::publish::{self, PublishError, PublishOptions};
use crate::catalogue::validate::ValidationOptions;
use crate::cli::GlobalArgs;
use crate::cli::error::CliError;
use crate::cli::render::{self, output};

/// Publish new or edited entries for review: branch, commit, push, pull request.
///
/// Takes the entry files that differ from the default branch (all of them, or those of the
/// IDs given), validates them (and refuses invalid ones), commits them — and nothing else —
/// on a branch of their own (nsi/<id>), pushes it to the remote and prints the address that
/// opens the pull request (GitHub, GitLab, Azure DevOps and Bitbucket).
///
/// Before anything is pushed it shows what the gatekeeper will see of the pull request —
/// `nsi review` of the branch against the default branch: blockers, validation findings
/// (warnings too), the minimum standards and possible duplicates — and it refuses to push
/// while the review has a blocker, unless --allow-blockers is given.
///
/// Your working tree, staged changes and checked-out branch are left exactly as they were:
/// the commit is built from git objects, never by checking out. So it refuses a branch that
/// is checked out in any working tree (yours or a linked `git worktree`): moving it there
/// would leave that tree behind. Nothing is ever force-pushed.
/// If the push fails (rejected, unreachable, no credentials) the branch and its commit stay,
/// and running the same command again retries. Credentials come from your git setup
/// (credential helpers, SSH agent); a token in a remote URL is never printed.
///
/// Examples:
///   nsi publish case-file-redaction
///   nsi publish --dry-run                      # what would be published, and where
///   nsi publish a b --branch nsi/redaction-tools --remote upstream
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The entries to publish. Default: every entry that differs from the default branch.
    #[arg(value_name = "ID")]
    pub ids: Vec<String>,
    /// The branch to create. Default: nsi/<id>.
    #[arg(long, value_name = "NAME")]
    pub branch: Option<String>,
    /// The remote to push to. Default: `remote` in nsi.toml, else origin.
    #[arg(long, value_name = "NAME")]
    pub remote: Option<String>,
    /// Show what would be committed and pushed, and the gatekeeper's review of it; no branch
    /// moves and nothing is pushed (the commit is built as git objects, which git's garbage
    /// collection removes). Exits 1 when the review would block it.
    #[arg(long)]
    pub dry_run: bool,
    /// Open the pull-request page in a web browser after pushing.
    #[arg(long)]
    pub open: bool,
    /// Push even when the gatekeeper's review would block the pull request (a failed
    /// minimum standard, say), to ask the gatekeeper about it. Invalid entries are never
    /// pushed.
    #[arg(long)]
    pub allow_blockers: bool,
}

/// Run `nsi publish`.
pub fn run(global: &GlobalArgs, args: &Args) -> Result<ExitCode, CliError> {
    publish(global, args)
}

/// Publish as `args` say: plan, show the gatekeeper's review, push. Also what `nsi adopt
/// --publish` runs for the one entry it changed.
pub fn publish(global: &GlobalArgs, args: &Args) -> Result<ExitCode, CliError> {
    let (root, repo) = open_repo(global)?;
    let settings = super::settings(&root)?;
    let remote = args.remote.clone().unwrap_or(settings.remote);
    let options = PublishOptions {
        ids: args.ids.iter().map(|id| id.trim().to_owned()).collect(),
        branch: args.branch.clone(),
        remote: remote.clone(),
        default_branch: settings.default_branch,
        validation: ValidationOptions {
            strict: false,
            today: global.today(),
        },
    };
    // The remote must exist before anything is planned, so a typo costs nothing.
    let remote_url = repo.remote_url(&remote).map_err(git_error)?;
    let plan = match publish::plan(&repo, &root, &options) {
        Ok(plan) => plan,
        Err(PublishError::Invalid { report }) => {
            render::diagnostics::human(&report, false);
            return Err(CliError::findings(
                "not published: the entries have errors (listed above); nothing was committed",
            )
            .with_hint("fix them, check with `nsi validate`, then run nsi publish again"));
        }
        Err(error) => return Err(publish_error(error)),
    };
    let url = publish::pull_request_url(&remote_url, &plan.branch, &plan.target);
    let shown_remote = format!("{remote} ({})", redact_url(&remote_url));
    if !global.quiet || args.dry_run {
        output::print(&render::publish::plan(&plan, &shown_remote, args.dry_run))?;
    }
    let staged = publish::stage(&repo, &root, &plan, global.today()).map_err(publish_error)?;
    anstream::eprint!("{}", render::review::preview(&staged.review));
    if !staged.review.passed() && !args.allow_blockers {
        return Err(CliError::findings(format!(
            "not published: the gatekeeper's review of {} would block it (above); nothing was \
             pushed and no branch was changed",
            plan.branch
        ))
        .with_hint("fix the entries (`nsi edit ID`), check with `nsi review`, then publish again")
        .with_hint("or push it anyway to ask the gatekeeper: nsi publish --allow-blockers"));
    }
    if args.dry_run {
        return Ok(ExitCode::SUCCESS);
    }
    let outcome = publish::execute(&repo, &plan, &staged).map_err(publish_error)?;
    let current = repo.current_branch();
    match &outcome.push {
        PushOutcome::Pushed => {
            output::print(&render::publish::pushed(
                &plan,
                &outcome,
                current.as_deref(),
                url.as_deref(),
            ))?;
            if args.open
                && let Some(url) = &url
                && let Err(error) = opener::open_browser(url)
            {
                anstream::eprintln!("warning: could not open a browser: {error}");
            }
            Ok(ExitCode::SUCCESS)
        }
        PushOutcome::Failed { message } => Err(CliError::io(format!(
            "the push to {remote} failed: {}",
            render::text::terminal_safe(message)
        ))
        .with_hint(format!(
            "the branch {} and its commit {} are kept; your own branch and files are untouched",
            plan.branch,
            short(outcome.commit)
        ))
        .with_hint(format!(
            "fix the cause (network, access, credentials), then run the same nsi publish again, or: git push {remote} {}",
            plan.branch
        ))),
    }
}

fn publish_error(error: PublishError) -> CliError {
    match error {
        PublishError::Git(error) => git_error(error),
        PublishError::Validate(error) => CliError::io(error.to_string()),
        PublishError::NothingToPublish { .. } => CliError::usage(error.to_string())
            .with_hint("add an entry with `nsi add` or edit one with `nsi edit ID` first"),
        PublishError::Unchanged { .. } => CliError::usage(error.to_string())
            .with_hint("`nsi diff` lists the entries that differ from the default branch"),
        PublishError::BranchCheckedOut {
            ref branch,
            ref worktree,
        } => {
            let (branch, worktree) = (branch.clone(), worktree.display().to_string());
            CliError::usage(error.to_string())
                .with_hint(format!(
                    "switch that working tree to another branch (git -C {worktree} switch \
                     main), then run nsi publish again"
                ))
                .with_hint(format!(
                    "or publish to a branch of its own: nsi publish --branch {branch}-2"
                ))
                .with_hint(format!(
                    "or commit there and push it yourself: git -C {worktree} commit, then git \
                     push <remote> {branch}"
                ))
        }
        PublishError::BadBranch { .. } => CliError::usage(error.to_string())
            .with_hint("use letters, digits, '-', '_' and '/', e.g. --branch nsi/my-solution"),
        PublishError::Review(error) => super::review_error(error),
        PublishError::Invalid { .. } | PublishError::Io { .. } => CliError::io(error.to_string()),
    }
}
