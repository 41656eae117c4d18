//! One entry, readable in a terminal: sections, wrapped text, expired contacts flagged.

use std::fmt::Write as _;

use anstyle::{AnsiColor, Effects, Style};
use chrono::NaiveDate;

use super::text::terminal_safe;
use crate::catalogue::entry::{
    Availability, Classification, Entry, REVIEW_INTERVAL_MONTHS, review_due_after,
    review_overdue_after, value_name,
};
use crate::catalogue::reference::Reference;

const HEADING: Style = Style::new().effects(Effects::BOLD);
const TITLE: Style = AnsiColor::Cyan.on_default().effects(Effects::BOLD);
const WARN: Style = AnsiColor::Yellow.on_default().effects(Effects::BOLD);
const DIM: Style = Style::new().effects(Effects::DIMMED);

fn wrap(out: &mut String, text: &str, width: usize, indent: &str) {
    let options = textwrap::Options::new(width.max(20))
        .initial_indent(indent)
        .subsequent_indent(indent);
    for paragraph in terminal_safe(text).split("\n\n") {
        let paragraph = paragraph.trim_end();
        if paragraph.is_empty() {
            continue;
        }
        // Keep Markdown lists and headings on their own lines.
        for line in paragraph.lines() {
            for wrapped in textwrap::wrap(line, &options) {
                let _ = writeln!(out, "{wrapped}");
            }
        }
        out.push('\n');
    }
}

/// Each item on its own line, wrapped with a hanging indent, then a blank line.
fn wrap_lines(out: &mut String, items: &[String], width: usize) {
    let options = textwrap::Options::new(width.max(20))
        .initial_indent("  ")
        .subsequent_indent("    ");
    for item in items {
        for wrapped in textwrap::wrap(&terminal_safe(item), &options) {
            let _ = writeln!(out, "{wrapped}");
        }
    }
    out.push('\n');
}

fn heading(out: &mut String, text: &str) {
    let _ = writeln!(out, "{HEADING}{text}{HEADING:#}");
}

/// Render `entry` for a terminal of `width` columns, judging expiry against `today` and the
/// review by the default period of [`REVIEW_INTERVAL_MONTHS`]. Where the catalogue's
/// configuration is loaded, use [`render_with_review_period`].
pub fn render(entry: &Entry, reference: &Reference, today: NaiveDate, width: usize) -> String {
    render_with_review_period(entry, reference, today, REVIEW_INTERVAL_MONTHS, width)
}

/// Render `entry` for a terminal of `width` columns, judging expiry against `today` and the
/// review as overdue once `review_period_months` have passed since `last_reviewed`.
pub fn render_with_review_period(
    entry: &Entry,
    reference: &Reference,
    today: NaiveDate,
    review_period_months: u32,
    width: usize,
) -> String {
    let mut out = String::new();
    let safe = |s: &str| terminal_safe(s);
    let force_name = |slug: &str| {
        reference
            .force(slug)
            .map_or_else(|| slug.to_owned(), |f| f.name.clone())
    };
    let _ = writeln!(
        out,
        "{TITLE}{}{TITLE:#}  {DIM}{}{DIM:#}",
        safe(&entry.title),
        safe(entry.id.as_str())
    );
    let mut by = force_name(entry.owner_force.as_str());
    if !entry.partner_forces.is_empty() {
        let partners: Vec<String> = entry
            .partner_forces
            .iter()
            .map(|f| force_name(f.as_str()))
            .collect();
        let _ = write!(by, " with {}", partners.join(", "));
    }
    let visibility = match entry.visibility {
        crate::catalogue::entry::Visibility::Policing => "policing only",
        crate::catalogue::entry::Visibility::Public => "public",
    };
    let version = entry
        .version
        .as_deref()
        .map(|v| format!(" · version {}", safe(v)))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{} · {} · {visibility}{version}",
        safe(&by),
        value_name(&entry.phase)
    );
    let categories: Vec<String> = entry
        .categories
        .iter()
        .map(|c| {
            reference
                .categories
                .iter()
                .find(|t| t.slug == c.as_str())
                .map_or_else(|| c.to_string(), |t| t.name.clone())
        })
        .collect();
    let _ = writeln!(out, "Categories: {}", safe(&categories.join(", ")));
    if !entry.tags.is_empty() {
        let _ = writeln!(out, "Tags: {}", safe(&entry.tags.join(", ")));
    }
    out.push('\n');

    heading(&mut out, "Summary");
    wrap(&mut out, &entry.summary, width, "  ");
    heading(&mut out, "Problem");
    wrap(&mut out, &entry.problem_statement, width, "  ");
    if let Some(description) = &entry.description {
        heading(&mut out, "Description");
        wrap(&mut out, description, width, "  ");
    }

    practical(&mut out, entry, today, width);
    extras(&mut out, entry, reference, width);
    heading(&mut out, "Why it is in the index");
    wrap(&mut out, &entry.rationale, width, "  ");

    let overdue = review_overdue_after(entry.last_reviewed, today, review_period_months);
    let review = if overdue {
        format!(
            "{WARN}last reviewed {} (review overdue: due {}){WARN:#}",
            entry.last_reviewed,
            review_due_after(entry.last_reviewed, review_period_months)
        )
    } else {
        format!("last reviewed {}", entry.last_reviewed)
    };
    let _ = writeln!(out, "{DIM}Added {}{DIM:#} · {review}", entry.created);
    out
}

/// The technology section: stack, deployment, licence, integrations, and (schema 2.0.0)
/// whether and how it uses AI, in the schema's words as the entry gives them.
fn technology_lines(entry: &Entry) -> Vec<String> {
    let technology = &entry.technology;
    let mut lines = vec![format!("Stack: {}", technology.stack.join(", "))];
    let hosting = technology
        .hosting
        .as_deref()
        .map(|h| format!(" — {h}"))
        .unwrap_or_default();
    lines.push(format!(
        "Deployment: {}{hosting}",
        value_name(&technology.deployment)
    ));
    lines.push(format!("Licence: {}", technology.licence));
    for integration in &technology.integrations {
        lines.push(format!(
            "Integrates with {}: {}",
            integration.system, integration.method
        ));
    }
    if let Some(ai) = &entry.ai {
        let notes = ai
            .notes
            .as_deref()
            .map(|n| format!(" — {}", n.trim()))
            .unwrap_or_default();
        lines.push(format!("AI: {}{notes}", ai.usage));
    }
    lines
}

/// What it takes to reuse the solution: technology, skills, documents, contacts, aftercare.
fn practical(out: &mut String, entry: &Entry, today: NaiveDate, width: usize) {
    heading(out, "Technology");
    wrap_lines(out, &technology_lines(entry), width);

    heading(out, "Skills needed to deploy");
    let skills: Vec<String> = entry
        .skills
        .iter()
        .map(|skill| {
            let notes = skill
                .notes
                .as_deref()
                .map(|n| format!(" — {}", n.trim()))
                .unwrap_or_default();
            format!(
                "{} at {} level{notes}",
                skill.role,
                value_name(&skill.level)
            )
        })
        .collect();
    wrap_lines(out, &skills, width);

    heading(out, "Documents");
    let documents: Vec<String> = entry
        .documentation
        .iter()
        .map(|document| {
            let how = match (document.availability, &document.url) {
                (Availability::Public, Some(url)) => format!("public at {url}"),
                (Availability::Public, None) => "public".to_owned(),
                (Availability::OnRequest, _) => format!(
                    "on request: nsi request {} --doc {}",
                    entry.id,
                    document.kind.as_str()
                ),
                (Availability::NotAvailable, _) => "not available".to_owned(),
            };
            let marking = if document.classification == Classification::OfficialSensitive {
                " (OFFICIAL-SENSITIVE)"
            } else {
                ""
            };
            format!("{:<22} {how}{marking}", document.kind.as_str())
        })
        .collect();
    wrap_lines(out, &documents, width);

    heading(out, "Contacts");
    for contact in &entry.contacts {
        let line = format!("{}, {} <{}>", contact.name, contact.role, contact.email);
        if contact.valid_until < today {
            wrap_lines(out, &[line], width);
            out.pop();
            let _ = writeln!(
                out,
                "    {WARN}expired {}: confirm before contacting{WARN:#}",
                contact.valid_until
            );
        } else {
            wrap_lines(
                out,
                &[format!("{line}, valid until {}", contact.valid_until)],
                width,
            );
            out.pop();
        }
    }
    out.push('\n');

    heading(out, "Aftercare");
    let notes = entry
        .aftercare
        .notes
        .as_deref()
        .map(|n| format!(" — {}", n.trim()))
        .unwrap_or_default();
    wrap(
        out,
        &format!("{}{notes}", value_name(&entry.aftercare.level)),
        width,
        "  ",
    );
}

/// The rest: standards, costs, benefits, adopters, research and showcases.
fn extras(out: &mut String, entry: &Entry, reference: &Reference, width: usize) {
    let safe = |s: &str| terminal_safe(s);
    let force_name = |slug: &str| {
        reference
            .force(slug)
            .map_or_else(|| slug.to_owned(), |f| f.name.clone())
    };
    if !entry.standards.is_empty() {
        heading(out, "Standards");
        for standard in &entry.standards {
            let label = reference
                .standards
                .iter()
                .find(|t| t.slug == standard.as_str())
                .map_or_else(|| standard.to_string(), |t| t.name.clone());
            let _ = writeln!(out, "  {}", safe(&label));
        }
        out.push('\n');
    }
    if let Some(costs) = &entry.costs {
        heading(out, "Costs");
        let band = |b: &Option<crate::catalogue::entry::CostBand>| {
            b.as_ref()
                .map_or_else(|| "not stated".to_owned(), value_name)
        };
        let _ = writeln!(
            out,
            "  Set-up: {} · running, per year: {}",
            band(&costs.setup),
            band(&costs.running)
        );
        if let Some(notes) = &costs.notes {
            wrap(out, notes, width, "  ");
        } else {
            out.push('\n');
        }
    }
    if !entry.benefits.is_empty() {
        heading(out, "Benefits");
        for benefit in &entry.benefits {
            let measure = benefit
                .measure
                .as_deref()
                .map(|m| format!(" ({})", m.trim()))
                .unwrap_or_default();
            wrap(
                out,
                &format!("- {}{measure}", benefit.description.trim()),
                width,
                "  ",
            );
        }
    }
    if !entry.adopters.is_empty() {
        heading(out, "Adopters");
        for adopter in &entry.adopters {
            let since = adopter
                .since
                .map(|d| format!(" since {d}"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {} — {}{since}",
                safe(&force_name(adopter.force.as_str())),
                value_name(&adopter.status)
            );
        }
        out.push('\n');
    }
    if !entry.research.is_empty() {
        heading(out, "Research");
        for research in &entry.research {
            let link = research
                .url
                .clone()
                .or_else(|| research.doi.as_ref().map(|d| format!("doi:{d}")))
                .unwrap_or_default();
            let _ = writeln!(out, "  {} — {}", safe(&research.title), safe(&link));
        }
        out.push('\n');
    }
    if !entry.showcases.is_empty() {
        heading(out, "Showcases");
        for showcase in &entry.showcases {
            let link = showcase
                .recording_url
                .as_deref()
                .map(|u| format!(" — {}", safe(u)))
                .unwrap_or_default();
            let _ = writeln!(out, "  {} {}{link}", showcase.date, safe(&showcase.event));
        }
        out.push('\n');
    }
}
