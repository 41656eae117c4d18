//! Rendering a migration's impact: text for the maintainer's terminal, Markdown for the pull
//! request that carries the migration (and for `nsi review` of it), JSON for scripts.

use std::fmt::Write as _;

use serde::Serialize;

use super::diff::code;
use super::text::{markdown_cell, markdown_code_cell, terminal_line};
use crate::catalogue::migrate::{FileMigration, ForceImpact, MigrationOutcome, MigrationRun};
use crate::cli::error::CliError;

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn version(to: Option<&str>) -> String {
    to.map_or_else(
        || "the catalogue's schema".to_owned(),
        |v| format!("schema {v}"),
    )
}

fn needing_person(forces: &[ForceImpact]) -> usize {
    forces.iter().map(|f| f.needs_person.len()).sum()
}

fn fields_line(force: &ForceImpact) -> String {
    force
        .fields
        .iter()
        .map(|f| format!("{} ({})", f.field, f.entries))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The impact force by force, for a terminal, each line after `indent`.
pub fn impact_text(out: &mut String, forces: &[ForceImpact], indent: &str) {
    let width = forces.iter().map(|f| f.force.len()).max().unwrap_or(0);
    for force in forces {
        let _ = writeln!(
            out,
            "{indent}{:<width$}  {:<11} {}",
            terminal_line(&force.force),
            plural(force.entries, "entry", "entries"),
            terminal_line(&fields_line(force)),
        );
        for need in &force.needs_person {
            let _ = writeln!(
                out,
                "{indent}  needs a person: {} {}: {}",
                terminal_line(&need.id),
                terminal_line(&need.field),
                terminal_line(&need.reason)
            );
        }
    }
}

/// The impact force by force, as a Markdown table and a list of what needs a person.
pub fn impact_markdown(out: &mut String, forces: &[ForceImpact], level: usize) {
    out.push_str(
        "| force | entries | fields changed (entries) | need a person |\n|---|---|---|---|\n",
    );
    for force in forces {
        let fields = force
            .fields
            .iter()
            .map(|f| format!("`{}` ({})", markdown_code_cell(&f.field), f.entries))
            .collect::<Vec<_>>()
            .join(", ");
        let _ = writeln!(
            out,
            "| `{}` | {} | {fields} | {} |",
            markdown_code_cell(&force.force),
            force.entries,
            force.needs_person.len()
        );
    }
    if needing_person(forces) > 0 {
        let _ = writeln!(
            out,
            "\n{} Needs a person\n\nEach owning force replaces what the migration could not \
             know (`nsi validate` warns until it does):\n",
            "#".repeat(level)
        );
        for force in forces {
            for need in &force.needs_person {
                let _ = writeln!(
                    out,
                    "- `{}` · `{}` · `{}`: {}",
                    code(&force.force),
                    code(&need.id),
                    code(&need.field),
                    with_code_spans(&need.reason)
                );
            }
        }
    }
}

/// `text` for Markdown with its `code spans` kept as code and everything else escaped, so a
/// reason such as "`not-stated`: say whether…" reads as written and carries no markup.
fn with_code_spans(text: &str) -> String {
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("`{}`", code(part))
            } else {
                markdown_cell(part)
            }
        })
        .collect()
}

fn refused_line(file: &FileMigration) -> Option<String> {
    match &file.outcome {
        MigrationOutcome::Refused {
            line,
            column,
            reason,
        } => Some(format!(
            "{}:{line}:{column}: {}",
            file.path.display(),
            reason
        )),
        _ => None,
    }
}

/// The run for a terminal.
pub fn text(run: &MigrationRun) -> String {
    let mut out = String::new();
    let changed = run.changed().count();
    let target = version(run.to.as_deref());
    if changed == 0 {
        let _ = writeln!(
            out,
            "Nothing to migrate: {} already at {target}.",
            plural(
                run.checked - run.refused().count(),
                "entry is",
                "entries are"
            )
        );
    } else {
        let verb = if run.dry_run {
            "Would migrate"
        } else {
            "Migrated"
        };
        let _ = writeln!(
            out,
            "{verb} {changed} of {} to {target}{}.",
            plural(run.checked, "entry", "entries"),
            if run.dry_run {
                " (dry run: nothing written)"
            } else {
                ""
            }
        );
        let forces = run.by_force();
        let _ = writeln!(out, "\nBy force:");
        impact_text(&mut out, &forces, "  ");
        let moved: Vec<&FileMigration> = run.changed().filter(|f| f.moved_to.is_some()).collect();
        if !moved.is_empty() {
            let _ = writeln!(out, "\nMoved to the new owner's folder:");
            for file in moved {
                let _ = writeln!(
                    out,
                    "  {} → {}",
                    file.path.display(),
                    file.moved_to.as_deref().unwrap_or(&file.path).display()
                );
            }
        }
        let reformatted = run.changed().filter(|f| f.reformatted).count();
        if reformatted > 0 {
            let _ = writeln!(
                out,
                "\n{} not in canonical form, so other lines changed too (as `nsi fmt` would).",
                plural(reformatted, "file was", "files were")
            );
        }
        let people = needing_person(&forces);
        if people > 0 {
            let _ = writeln!(
                out,
                "\n{} now {} a person: the owning forces replace the markers (NSI304).",
                plural(people, "field", "fields"),
                if people == 1 { "needs" } else { "need" }
            );
        }
    }
    let refused: Vec<String> = run.refused().filter_map(refused_line).collect();
    if !refused.is_empty() {
        let _ = writeln!(out, "\nLeft as they were ({}):", refused.len());
        for line in refused {
            let _ = writeln!(out, "  {}", terminal_line(&line));
        }
    }
    out
}

/// The run as the description of the pull request that carries it.
pub fn markdown(run: &MigrationRun) -> String {
    let mut out = String::new();
    let changed = run.changed().count();
    let forces = run.by_force();
    let _ = writeln!(
        out,
        "## Schema migration to {}\n",
        run.to.as_deref().unwrap_or("the catalogue's schema")
    );
    let _ = writeln!(
        out,
        "`nsi migrate` {} **{changed}** of {} in **{}**. `nsi review` checks that every change \
         is exactly what the migration makes of the entry on the base branch.\n",
        if run.dry_run {
            "would change"
        } else {
            "changed"
        },
        plural(run.checked, "entry", "entries"),
        plural(forces.len(), "force", "forces"),
    );
    if changed > 0 {
        impact_markdown(&mut out, &forces, 3);
    }
    let refused: Vec<String> = run.refused().filter_map(refused_line).collect();
    if !refused.is_empty() {
        out.push_str("\n### Left as they were\n\n");
        for line in refused {
            let _ = writeln!(out, "- {}", markdown_cell(&line));
        }
    }
    out
}

#[derive(Serialize)]
struct JsonRun<'a> {
    to: Option<&'a str>,
    dry_run: bool,
    checked: usize,
    changed: usize,
    refused: usize,
    forces: Vec<ForceImpact>,
    files: Vec<&'a FileMigration>,
}

/// The run as JSON: counts, the impact by force, and every file changed or refused.
pub fn json(run: &MigrationRun) -> Result<String, CliError> {
    let document = JsonRun {
        to: run.to.as_deref(),
        dry_run: run.dry_run,
        checked: run.checked,
        changed: run.changed().count(),
        refused: run.refused().count(),
        forces: run.by_force(),
        files: run
            .files
            .iter()
            .filter(|f| f.outcome != MigrationOutcome::Unchanged)
            .collect(),
    };
    super::json::to_string(&document)
        .map(|s| s + "\n")
        .map_err(|e| CliError::io(format!("cannot write JSON: {e}")))
}

#[cfg(test)]
mod tests {
    use super::with_code_spans;

    #[test]
    fn code_spans_stay_and_markup_is_escaped() {
        assert_eq!(
            with_code_spans("`not-stated`: say *how*"),
            "`not-stated`: say \\*how\\*"
        );
        assert_eq!(with_code_spans("`a` then <b>"), "`a` then \\<b\\>");
    }
}
