//! Rendering search results: a table fitted to the terminal, JSON, CSV and bare ids.

use std::fmt::Write as _;

use comfy_table::{ColumnConstraint, ContentArrangement, Table, presets};
use serde::Serialize;

use super::csv::cell;
use super::text::terminal_safe;
use crate::catalogue::entry::value_name;
use crate::catalogue::search::query::WordMatch;
use crate::catalogue::search::{SearchHit, SearchResults};
use crate::catalogue::suggest::did_you_mean;
use crate::cli::error::CliError;

fn level_name(hit: &SearchHit) -> String {
    hit.highest_level
        .as_ref()
        .map(value_name)
        .unwrap_or_default()
}

/// A column of the results table, and whether it may wrap.
struct Column {
    header: &'static str,
    cell: fn(&SearchHit) -> String,
    wraps: bool,
    /// The narrowest terminal that shows this column.
    min_width: usize,
}

const COLUMNS: &[Column] = &[
    Column {
        header: "id",
        cell: |h| h.id.clone(),
        wraps: false,
        min_width: 0,
    },
    Column {
        header: "title",
        cell: |h| h.title.clone(),
        wraps: true,
        min_width: 0,
    },
    Column {
        header: "force",
        cell: |h| h.owner_force.clone(),
        wraps: false,
        min_width: 80,
    },
    Column {
        header: "categories",
        cell: |h| h.categories.join("\n"),
        wraps: true,
        min_width: 120,
    },
    Column {
        header: "phase",
        cell: |h| h.phase.clone(),
        wraps: false,
        min_width: 60,
    },
    Column {
        header: "skill",
        cell: level_name,
        wraps: false,
        min_width: 90,
    },
];

/// A table of hits, fitted to `width` columns: on a narrow terminal the least important columns
/// are left out rather than every cell wrapped to a sliver.
pub fn table(results: &SearchResults, width: usize) -> String {
    let shown: Vec<&Column> = COLUMNS.iter().filter(|c| width >= c.min_width).collect();
    let mut table = Table::new();
    table
        .load_style(presets::UTF8_HORIZONTAL_ONLY)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(u16::try_from(width).unwrap_or(u16::MAX))
        .set_header(shown.iter().map(|c| c.header));
    for hit in &results.hits {
        table.add_row(shown.iter().map(|c| terminal_safe(&(c.cell)(hit))));
    }
    // Ids are what people copy: never wrap them, nor the other short columns.
    for (index, column) in shown.iter().enumerate() {
        if !column.wraps
            && let Some(table_column) = table.column_mut(index)
        {
            table_column.set_constraint(ColumnConstraint::ContentWidth);
        }
    }
    format!("{table}\n")
}

/// The `--explain` lines under each hit, or for the table, after it.
pub fn explanation(results: &SearchResults) -> String {
    let mut out = String::new();
    for (rank, hit) in results.hits.iter().enumerate() {
        let _ = writeln!(
            out,
            "{}. {} — score {:.3}",
            rank + 1,
            terminal_safe(&hit.id),
            hit.score
        );
        for WordMatch {
            query,
            matched,
            kind,
            score,
            fields,
        } in &hit.explanation
        {
            let how = match kind {
                crate::catalogue::search::query::MatchKind::Exact => "exact".to_owned(),
                crate::catalogue::search::query::MatchKind::Prefix => {
                    format!("prefix of `{matched}`")
                }
                crate::catalogue::search::query::MatchKind::Typo => format!("typo for `{matched}`"),
            };
            let _ = writeln!(
                out,
                "     `{query}` {how} in {}: +{score:.3}",
                fields.join(", ")
            );
        }
    }
    out
}

/// The stable JSON shape of one hit.
#[derive(Serialize)]
struct JsonHit<'a> {
    id: &'a str,
    title: &'a str,
    owner_force: &'a str,
    categories: &'a [String],
    phase: &'a str,
    score: f32,
    path: &'a str,
    matched_fields: &'a [&'static str],
    #[serde(skip_serializing_if = "Option::is_none")]
    explanation: Option<&'a [WordMatch]>,
}

/// `[{"id", "title", "owner_force", "categories", "phase", "score", "path", "matched_fields"}]`,
/// plus `explanation` with `--explain`.
pub fn json(results: &SearchResults, explain: bool) -> Result<String, CliError> {
    let hits: Vec<JsonHit<'_>> = results
        .hits
        .iter()
        .map(|hit| JsonHit {
            id: &hit.id,
            title: &hit.title,
            owner_force: &hit.owner_force,
            categories: &hit.categories,
            phase: &hit.phase,
            score: hit.score,
            path: &hit.path,
            matched_fields: &hit.matched_fields,
            explanation: explain.then_some(hit.explanation.as_slice()),
        })
        .collect();
    Ok(crate::cli::render::json::to_string(&hits)? + "\n")
}

/// One row per hit, with a header row.
pub fn csv(results: &SearchResults) -> Result<String, CliError> {
    let mut writer = super::csv::writer(Vec::new());
    writer.write_record([
        "id",
        "title",
        "owner_force",
        "categories",
        "phase",
        "highest_level",
        "score",
        "path",
    ])?;
    for hit in &results.hits {
        writer.write_record([
            cell(&hit.id),
            cell(&hit.title),
            cell(&hit.owner_force),
            cell(&hit.categories.join("; ")),
            cell(&hit.phase),
            cell(&level_name(hit)),
            format!("{:.4}", hit.score),
            cell(&hit.path),
        ])?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| CliError::io(format!("cannot write CSV: {}", e.error())))?;
    // The csv writer is given text only.
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// One id per line.
pub fn ids(results: &SearchResults) -> String {
    results.hits.iter().fold(String::new(), |mut out, hit| {
        let _ = writeln!(out, "{}", terminal_safe(&hit.id));
        out
    })
}

/// What to say on stderr when nothing matched: nearest words and the filters that removed
/// results.
pub fn nothing_found(query: &str, results: &SearchResults) -> String {
    let mut out = if query.trim().is_empty() {
        "no entries pass these filters\n".to_owned()
    } else {
        format!("no entries match `{}`\n", terminal_safe(query.trim()))
    };
    for (word, near) in &results.suggestions {
        match did_you_mean(near) {
            None => {
                let _ = writeln!(out, "  `{word}` is not in any entry");
            }
            Some(hint) => {
                let _ = writeln!(out, "  `{word}` is not in any entry; {hint}");
            }
        }
    }
    for effect in &results.filter_effects {
        let _ = writeln!(
            out,
            "  without {}: {} result{}",
            effect.flag,
            effect.results_without,
            if effect.results_without == 1 { "" } else { "s" }
        );
    }
    out
}
