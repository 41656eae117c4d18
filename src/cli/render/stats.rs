//! Rendering catalogue statistics.

use std::fmt::Write as _;

use anstyle::{Effects, Style};

use super::text::terminal_safe;
use crate::catalogue::stats::CatalogueStats;

const HEADING: Style = Style::new().effects(Effects::BOLD);

/// Counts as text: one block per dimension (or only `only`), with bars scaled to `width`.
pub fn text(stats: &CatalogueStats, only: Option<&str>, width: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{HEADING}{} entries{HEADING:#}", stats.entries);
    let _ = writeln!(
        out,
        "{} expired contacts in {} entries · {} reviews overdue (period: {} months){}",
        stats.contacts_expired,
        stats.entries_with_expired_contacts,
        stats.reviews_overdue,
        stats.review_period_months,
        if stats.skipped > 0 {
            format!(" · {} files skipped (run `nsi validate`)", stats.skipped)
        } else {
            String::new()
        }
    );
    for (dimension, values) in &stats.by {
        if only.is_some_and(|o| o != *dimension) {
            continue;
        }
        let _ = writeln!(out, "\n{HEADING}by {dimension}{HEADING:#}");
        let label_width = values
            .iter()
            .map(|(v, _)| v.chars().count())
            .max()
            .unwrap_or(0)
            .min(40);
        let most = values.first().map_or(1, |(_, n)| *n).max(1);
        let bar_room = width.saturating_sub(label_width + 12).clamp(5, 40);
        let shown = if only.is_some() {
            values.len()
        } else {
            values.len().min(10)
        };
        for (value, count) in &values[..shown] {
            let bar = "█".repeat((count * bar_room).div_ceil(most));
            let _ = writeln!(
                out,
                "  {:<label_width$}  {count:>5}  {bar}",
                terminal_safe(value)
            );
        }
        if shown < values.len() {
            let _ = writeln!(
                out,
                "  … {} more (nsi stats --by {dimension})",
                values.len() - shown
            );
        }
    }
    out
}

/// Short codes for region names — their initials, `and` and `the` left out (`Yorkshire and
/// the Humber` is `YH`) — numbered where two would be the same.
fn region_codes(names: &[String]) -> Vec<String> {
    let mut codes: Vec<String> = Vec::new();
    for name in names {
        let base: String = name
            .split_whitespace()
            .filter(|w| !matches!(w.to_lowercase().as_str(), "and" | "the" | "of"))
            .filter_map(|w| w.chars().next())
            .flat_map(char::to_uppercase)
            .collect();
        let mut code = base.clone();
        let mut n = 2;
        while codes.contains(&code) {
            code = format!("{base}{n}");
            n += 1;
        }
        codes.push(code);
    }
    codes
}

/// The coverage matrix as a table that reads without colour: a row per category, a column per
/// region (by short code, with a key below), the entries in each cell (`·` for none), then the
/// category across all regions — entries, forces and phases; last, the categories with no
/// solution anywhere.
pub fn coverage_text(
    coverage: &crate::catalogue::stats::Coverage,
    reference: &crate::catalogue::reference::Reference,
) -> String {
    let name = |list: &[crate::catalogue::reference::Term], slug: &str| {
        list.iter()
            .find(|t| t.slug == slug)
            .map_or_else(|| slug.to_owned(), |t| t.name.clone())
    };
    let region_names: Vec<String> = coverage
        .regions
        .iter()
        .map(|r| name(&reference.regions, r))
        .collect();
    let codes = region_codes(&region_names);
    let categories: Vec<String> = coverage
        .rows
        .iter()
        .map(|row| terminal_safe(&name(&reference.categories, &row.category)))
        .collect();
    let label = categories
        .iter()
        .map(|c| c.chars().count())
        .max()
        .unwrap_or(8)
        .clamp(8, 36);
    let phase_order = reference.schema_enum("/properties/phase");
    let mut out = format!(
        "{HEADING}Solutions by category and region{HEADING:#}: entries owned by each \
         region's forces (· none)\n\n"
    );
    let _ = write!(out, "{:<label$}", "category");
    for code in &codes {
        let _ = write!(out, " {code:>3}");
    }
    let _ = writeln!(out, "   all  forces  phases");
    for (row, category) in coverage.rows.iter().zip(&categories) {
        let shown: String = category.chars().take(label).collect();
        let _ = write!(out, "{shown:<label$}");
        for cell in &row.cells {
            if cell.entries == 0 {
                let _ = write!(out, " {:>3}", "·");
            } else {
                let _ = write!(out, " {:>3}", cell.entries);
            }
        }
        let phases: Vec<String> = phase_order
            .iter()
            .filter_map(|p| row.total.phases.get(p).map(|n| format!("{p} {n}")))
            .collect();
        let _ = writeln!(
            out,
            " {:>5}  {:>6}  {}",
            row.total.entries,
            row.total.forces,
            phases.join(", ")
        );
    }
    let key: Vec<String> = codes
        .iter()
        .zip(&region_names)
        .map(|(code, name)| format!("{code} {}", terminal_safe(name)))
        .collect();
    let _ = writeln!(out, "\nRegions: {}.", key.join(" · "));
    let empty = coverage.empty_categories();
    if empty.is_empty() {
        out.push_str("Every category has at least one solution.\n");
    } else {
        let names: Vec<String> = empty
            .iter()
            .map(|c| terminal_safe(&name(&reference.categories, c)))
            .collect();
        let _ = writeln!(out, "No solution anywhere yet: {}.", names.join(", "));
    }
    out
}
