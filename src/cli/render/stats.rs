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
