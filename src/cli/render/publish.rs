//! Rendering `nsi publish`: the plan before, the result after.

use std::fmt::Write as _;

use anstyle::{Effects, Style};

use super::text::terminal_safe;
use crate::catalogue::git::short;
use crate::catalogue::publish::{Action, Execution, Plan};

const HEADING: Style = Style::new().effects(Effects::BOLD);

/// What will be (or, with `dry_run`, would be) committed and pushed.
pub fn plan(plan: &Plan, remote: &str, dry_run: bool) -> String {
    let mut out = String::new();
    let n = plan.entries.len();
    let _ = writeln!(
        out,
        "{HEADING}{} {n} {} to {} on branch {}{HEADING:#} (from {})",
        if dry_run {
            "Would publish"
        } else {
            "Publishing"
        },
        if n == 1 { "entry" } else { "entries" },
        terminal_safe(remote),
        terminal_safe(&plan.branch),
        terminal_safe(&plan.parent.1),
    );
    for entry in &plan.entries {
        let verb = match entry.action {
            Action::Add => "add",
            Action::Update => "update",
            Action::Remove => "remove",
        };
        let _ = writeln!(
            out,
            "  {verb:<7} {}  {}",
            terminal_safe(&entry.id),
            terminal_safe(&entry.title)
        );
        match &entry.old_path {
            Some(old) => {
                let _ = writeln!(
                    out,
                    "          {} → {}",
                    terminal_safe(&old.display().to_string()),
                    terminal_safe(&entry.path.display().to_string())
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "          {}",
                    terminal_safe(&entry.path.display().to_string())
                );
            }
        }
    }
    if plan.already_committed {
        let _ = writeln!(
            out,
            "The branch already holds these files: nothing new to commit, pushing it again."
        );
    } else {
        let subject = plan.message.lines().next().unwrap_or_default();
        let _ = writeln!(out, "Commit: {}", terminal_safe(subject));
    }
    if dry_run {
        let _ = writeln!(out, "Dry run: nothing was committed or pushed.");
    }
    out
}

/// What happened after a successful push.
pub fn pushed(
    plan: &Plan,
    outcome: &Execution,
    current: Option<&str>,
    url: Option<&str>,
) -> String {
    let mut out = String::new();
    let id = short(outcome.commit);
    if outcome.committed {
        let _ = writeln!(out, "Committed {id} on {}.", terminal_safe(&plan.branch));
    }
    let _ = writeln!(
        out,
        "Pushed {} to {}.",
        terminal_safe(&plan.branch),
        terminal_safe(&plan.remote)
    );
    if let Some(current) = current {
        let _ = writeln!(
            out,
            "You are still on {}; your working tree is as you left it.",
            terminal_safe(current)
        );
    }
    match url {
        Some(url) => {
            let _ = writeln!(out, "Open the pull request: {url}");
        }
        None => {
            let _ = writeln!(
                out,
                "Open a pull request from {} into {} on your git host.",
                terminal_safe(&plan.branch),
                terminal_safe(&plan.target)
            );
        }
    }
    out
}
