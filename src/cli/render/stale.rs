//! Rendering the stale report: text for a terminal, Markdown for a GitHub issue.

use std::fmt::Write as _;

use anstyle::{Effects, Style};

use super::text::{markdown_cell, markdown_code, markdown_code_cell, terminal_line};
use crate::catalogue::stale::{ContactStatus, StaleContact, StaleEntry, StaleReport};

const HEADING: Style = Style::new().effects(Effects::BOLD);

fn days(n: i64) -> String {
    if n == 1 {
        "1 day".to_owned()
    } else {
        format!("{n} days")
    }
}

/// When the contact expired or expires, e.g. "expired 58 days ago (valid until 2026-10-01)".
fn contact_when(contact: &StaleContact) -> String {
    let until = contact.valid_until;
    match contact.status {
        ContactStatus::Expired => format!(
            "expired {} ago (valid until {until})",
            days(contact.days_overdue)
        ),
        ContactStatus::Expiring if contact.days_overdue == 0 => {
            format!("expires after today (valid until {until})")
        }
        ContactStatus::Expiring => format!(
            "expires in {} (valid until {until})",
            days(-contact.days_overdue)
        ),
        ContactStatus::Current => format!("valid until {until}"),
    }
}

fn review_when(entry: &StaleEntry) -> String {
    format!(
        "{} (last reviewed {}, due {})",
        days(entry.review_days_overdue.unwrap_or_default()),
        entry.last_reviewed,
        entry.review_due
    )
}

fn summary(report: &StaleReport) -> String {
    let mut line = format!(
        "{} expired contacts, {} reviews overdue",
        report.contacts_expired, report.reviews_overdue
    );
    if report.within_days > 0 {
        let _ = write!(
            line,
            ", {} contacts expiring within {}",
            report.contacts_expiring,
            days(i64::from(report.within_days))
        );
    }
    let _ = write!(
        line,
        ": {} of {} entries to chase",
        report.entries_stale, report.entries_checked
    );
    line
}

/// A block per force: each stale entry, what is wrong and whom to ask.
pub fn text(report: &StaleReport) -> String {
    let mut out = String::new();
    if report.is_empty() {
        let _ = writeln!(
            out,
            "Nothing to chase as of {}: {} entries checked.",
            report.as_of, report.entries_checked
        );
    } else {
        let _ = writeln!(
            out,
            "{HEADING}Stale as of {}{HEADING:#}: {}",
            report.as_of,
            summary(report)
        );
    }
    for force in &report.forces {
        let _ = writeln!(
            out,
            "\n{HEADING}{} ({}){HEADING:#}",
            terminal_line(&force.name),
            force.force
        );
        for entry in &force.entries {
            let _ = writeln!(
                out,
                "  {}  {}",
                terminal_line(&entry.id),
                terminal_line(&entry.title)
            );
            if entry.review_overdue {
                let _ = writeln!(out, "    review overdue by {}", review_when(entry));
            }
            for contact in &entry.contacts {
                let what = match contact.status {
                    ContactStatus::Current => "ask".to_owned(),
                    _ => format!("contact {}", contact_when(contact)),
                };
                let _ = writeln!(
                    out,
                    "    {what}: {} <{}>, {}",
                    terminal_line(&contact.name),
                    terminal_line(&contact.email),
                    terminal_line(&contact.role)
                );
            }
        }
    }
    if !report.skipped.is_empty() {
        let _ = writeln!(
            out,
            "\n{} files skipped: they are not readable entries (run `nsi validate`)",
            report.skipped.len()
        );
    }
    out
}

fn person(contact: &StaleContact) -> String {
    format!(
        "{} ({}), {}",
        markdown_cell(&contact.name),
        markdown_cell(&contact.role),
        markdown_cell(&contact.email)
    )
}

/// A summary, then a heading and a table per force: one row per problem, naming whom to chase.
pub fn markdown(report: &StaleReport) -> String {
    let mut out = String::new();
    if report.is_empty() {
        let _ = writeln!(
            out,
            "Nothing to chase as of {}: all {} entries have current contacts and reviews.",
            report.as_of, report.entries_checked
        );
    } else {
        let _ = writeln!(out, "As of {}: {}.", report.as_of, summary(report));
        let _ = writeln!(
            out,
            "\nA contact is chased once its `valid_until` has passed; a review once {} months \
             have passed since `last_reviewed`. Update the entry and this list shrinks.",
            report.review_period_months
        );
    }
    for force in &report.forces {
        let _ = writeln!(
            out,
            "\n## {} (`{}`)\n",
            markdown_cell(&force.name),
            markdown_code(&force.force)
        );
        let _ = writeln!(out, "| entry | problem | who to chase | overdue |");
        let _ = writeln!(out, "|---|---|---|---|");
        for entry in &force.entries {
            let name = format!(
                "`{}`<br>{} ({})",
                markdown_code_cell(&entry.id),
                markdown_cell(&entry.title),
                markdown_cell(&entry.path.display().to_string())
            );
            for contact in entry
                .contacts
                .iter()
                .filter(|c| c.status != ContactStatus::Current)
            {
                let problem = if contact.status == ContactStatus::Expired {
                    "contact expired"
                } else {
                    "contact expiring"
                };
                let _ = writeln!(
                    out,
                    "| {name} | {problem} | {} | {} |",
                    person(contact),
                    contact_when(contact)
                );
            }
            if entry.review_overdue {
                let who: Vec<String> = entry.contacts.iter().map(person).collect();
                let _ = writeln!(
                    out,
                    "| {name} | review overdue | {} | {} |",
                    who.join("<br>"),
                    review_when(entry)
                );
            }
        }
    }
    if !report.skipped.is_empty() {
        let _ = writeln!(
            out,
            "\n{} files could not be read as entries and were skipped (run `nsi validate`): {}.",
            report.skipped.len(),
            report
                .skipped
                .iter()
                .map(|p| markdown_cell(&p.display().to_string()))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    out
}
