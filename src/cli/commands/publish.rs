//! `nsi publish`: a branch, a commit of only the entry files, a push, and the pull-request URL.

use std::process::ExitCode;

use crate::cli::context::Context;
use crate::cli::error::CliError;
use crate::cli::publishing;

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
pub fn run(ctx: &Context, args: &Args) -> Result<ExitCode, CliError> {
    publishing::publish(
        ctx,
        &publishing::Request {
            ids: args.ids.iter().map(|id| id.trim().to_owned()).collect(),
            branch: args.branch.clone(),
            remote: args.remote.clone(),
            dry_run: args.dry_run,
            open: args.open,
            allow_blockers: args.allow_blockers,
        },
    )
}
