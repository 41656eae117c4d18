//! Overlaps between forces, for a terminal, a board paper (Markdown) and scripts (JSON).

use std::fmt::Write as _;

use crate::catalogue::entry::AdoptionStatus;
use crate::catalogue::overlaps::{Overlap, OverlapEntry};
use crate::catalogue::reference::Reference;
use crate::cli::error::CliError;
use crate::cli::render::diff::code;
use crate::cli::render::text::{markdown_cell, markdown_code_cell, terminal_line};

fn force_name(reference: &Reference, slug: &str) -> String {
    reference
        .force(slug)
        .map_or_else(|| slug.to_owned(), |f| f.name.clone())
}

fn region_name(reference: &Reference, slug: &str) -> String {
    reference
        .regions
        .iter()
        .find(|r| r.slug == slug)
        .map_or_else(|| slug.to_owned(), |r| r.name.clone())
}

fn status_word(status: AdoptionStatus) -> &'static str {
    match status {
        AdoptionStatus::Adopted => "adopted",
        AdoptionStatus::Piloting => "piloting",
        AdoptionStatus::Exploring => "exploring",
    }
}

fn adopters(entry: &OverlapEntry) -> String {
    if entry.adopters.is_empty() {
        return "none".to_owned();
    }
    entry
        .adopters
        .iter()
        .map(|(force, status)| format!("{force} ({})", status_word(*status)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn documents(entry: &OverlapEntry) -> String {
    if entry.documents.is_empty() {
        "none".to_owned()
    } else {
        entry.documents.join(", ")
    }
}

fn summary_line(overlaps: &[Overlap], threshold: f32) -> String {
    let forces: std::collections::BTreeSet<&str> = overlaps
        .iter()
        .flat_map(|o| o.forces.iter().map(String::as_str))
        .collect();
    format!(
        "{} {} where {} forces built the same thing (pairs scoring {threshold:.2} or more)",
        overlaps.len(),
        if overlaps.len() == 1 {
            "overlap"
        } else {
            "overlaps"
        },
        forces.len()
    )
}

/// The overlaps for a terminal.
pub fn text(overlaps: &[Overlap], reference: &Reference, threshold: f32) -> String {
    let mut out = String::new();
    if overlaps.is_empty() {
        let _ = writeln!(out, "No overlaps to show.");
        return out;
    }
    let _ = writeln!(out, "{}", summary_line(overlaps, threshold));
    for (n, overlap) in overlaps.iter().enumerate() {
        let regions: Vec<String> = overlap
            .regions
            .iter()
            .map(|r| region_name(reference, r))
            .collect();
        let _ = writeln!(
            out,
            "\n{}. {} forces in {} (closest pair {:.2})",
            n + 1,
            overlap.forces.len(),
            regions.join(", "),
            overlap.strongest
        );
        let _ = writeln!(
            out,
            "   suggested lead: {} ({})",
            terminal_line(&overlap.lead),
            overlap.lead_because
        );
        for entry in &overlap.entries {
            let _ = writeln!(
                out,
                "   - {}  {}\n     {}, {}; adopters: {}; documents: {}",
                terminal_line(&entry.id),
                terminal_line(&entry.title),
                terminal_line(&force_name(reference, &entry.owner_force)),
                format!("{:?}", entry.phase).to_lowercase(),
                terminal_line(&adopters(entry)),
                terminal_line(&documents(entry))
            );
        }
    }
    out
}

/// The overlaps as Markdown: a section and a table per group.
pub fn markdown(overlaps: &[Overlap], reference: &Reference, threshold: f32) -> String {
    let mut out = String::from("# Overlaps between forces\n\n");
    if overlaps.is_empty() {
        let _ = writeln!(out, "No overlaps to show.");
        return out;
    }
    let _ = writeln!(out, "{}.", summary_line(overlaps, threshold));
    for (n, overlap) in overlaps.iter().enumerate() {
        let regions: Vec<String> = overlap
            .regions
            .iter()
            .map(|r| markdown_cell(&region_name(reference, r)))
            .collect();
        let _ = writeln!(
            out,
            "\n## {}. {} forces, {}\n\nSuggested lead: `{}` ({}). Closest pair {:.2}.\n\n\
             | Entry | Force | Phase | Adopters | Documents on offer |\n|---|---|---|---|---|",
            n + 1,
            overlap.forces.len(),
            regions.join(", "),
            code(&overlap.lead),
            overlap.lead_because,
            overlap.strongest
        );
        for entry in &overlap.entries {
            let _ = writeln!(
                out,
                "| `{}` {} | {} | {} | {} | {} |",
                markdown_code_cell(&entry.id),
                markdown_cell(&entry.title),
                markdown_cell(&force_name(reference, &entry.owner_force)),
                format!("{:?}", entry.phase).to_lowercase(),
                markdown_cell(&adopters(entry)),
                markdown_cell(&documents(entry))
            );
        }
    }
    out
}

/// The overlaps as JSON.
pub fn json(overlaps: &[Overlap]) -> Result<String, CliError> {
    crate::cli::render::json::to_string(overlaps)
        .map(|s| s + "\n")
        .map_err(|e| CliError::io(format!("cannot write JSON: {e}")))
}
