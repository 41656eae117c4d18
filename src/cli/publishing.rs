//! Publishing entries for review, as `nsi publish` and `nsi adopt --publish` both do it: plan,
//! show the gatekeeper's review, push, and print the pull-request address.

use std::process::ExitCode;

use crate::catalogue::credentials::redact_url;
use crate::catalogue::git::{PushOutcome, short};
use crate::catalogue::publish::{self, PublishError, PublishOptions};
use crate::catalogue::validate::ValidationOptions;
use crate::cli::context::Context;
use crate::cli::error::CliError;
use crate::cli::render::{self, output};

/// What to publish, and how.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// The entries; empty for every entry that differs from the default branch.
    pub ids: Vec<String>,
    /// The branch to create (default `nsi/<id>`).
    pub branch: Option<String>,
    /// The remote (default: the settings' `remote`).
    pub remote: Option<String>,
    /// Show the plan and the review only.
    pub dry_run: bool,
    /// Open the pull-request page after pushing.
    pub open: bool,
    /// Push even when the review would block.
    pub allow_blockers: bool,
}

/// Publish as `args` say: plan, show the gatekeeper's review, push.
pub fn publish(ctx: &Context, args: &Request) -> Result<ExitCode, CliError> {
    let catalogue = ctx.catalogue()?;
    let (root, repo) = (catalogue.root(), catalogue.repo()?);
    let settings = catalogue.config();
    let remote = args
        .remote
        .clone()
        .unwrap_or_else(|| settings.remote.clone());
    let options = PublishOptions {
        ids: args.ids.clone(),
        branch: args.branch.clone(),
        remote: remote.clone(),
        default_branch: settings.default_branch.clone(),
        validation: ValidationOptions {
            strict: false,
            today: ctx.today(),
        },
    };
    // The remote must exist before anything is planned, so a typo costs nothing.
    let remote_url = repo.remote_url(&remote)?;
    let plan = match publish::plan(repo, root, &options) {
        Ok(plan) => plan,
        Err(PublishError::Invalid { report }) => {
            render::diagnostics::human(&report, false);
            return Err(CliError::findings(
                "not published: the entries have errors (listed above); nothing was committed",
            )
            .with_hint("fix them, check with `nsi validate`, then run nsi publish again"));
        }
        Err(error) => return Err(error.into()),
    };
    let url = publish::pull_request_url(&remote_url, &plan.branch, &plan.target);
    let shown_remote = format!("{remote} ({})", redact_url(&remote_url));
    if !ctx.quiet() || args.dry_run {
        output::print(&render::publish::plan(&plan, &shown_remote, args.dry_run))?;
    }
    let staged = publish::stage(repo, root, &catalogue.cache_dir(), &plan, ctx.today())?;
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
    let outcome = publish::execute(repo, &plan, &staged)?;
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
