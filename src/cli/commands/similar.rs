//! `nsi similar`: entries that resemble an entry or a text.

use std::process::ExitCode;

use clap::ValueEnum;
use comfy_table::{ContentArrangement, Table, presets};
use serde::Serialize;

use crate::catalogue::lookup;
use crate::catalogue::search::similar::{self, SimilarEntry, SimilarityText};
use crate::cli::context::Context;
use crate::cli::error::CliError;
use crate::cli::render::{output, text::terminal_safe};

/// Show entries that resemble an entry, or a text: possible duplicates.
///
/// Compares title, summary, problem statement and technology with the search engine's
/// weights. The score runs from 0 (nothing in common) to 1 (as close as a copy); `nsi add`
/// asks before adding an entry that scores 0.3 or more against an existing one.
///
/// Examples:
///   nsi similar cps-evidence-redaction-tool
///   nsi similar --text "redacting personal data from case files" --format json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The entry to compare with the rest of the catalogue.
    #[arg(
        value_name = "ID",
        required_unless_present = "text",
        conflicts_with = "text"
    )]
    pub id: Option<String>,
    /// Compare this text instead of an entry.
    #[arg(long, value_name = "TEXT")]
    pub text: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// At most this many entries.
    #[arg(long, value_name = "N", value_parser = crate::cli::at_least_one(), default_value_t = 10)]
    pub limit: usize,
}

/// How to print the entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A table.
    Table,
    /// `[{"id", "title", "owner_force", "score"}]`, best first.
    Json,
}

#[derive(Serialize)]
struct JsonSimilar<'a> {
    id: &'a str,
    title: &'a str,
    owner_force: &'a str,
    score: f64,
}

fn rounded(score: f32) -> f64 {
    (f64::from(score) * 1000.0).round() / 1000.0
}

fn table(found: &[SimilarEntry]) -> String {
    let mut table = Table::new();
    table
        .load_style(presets::UTF8_HORIZONTAL_ONLY)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(u16::try_from(output::width()).unwrap_or(100))
        .set_header(["score", "id", "title", "force"]);
    for s in found {
        table.add_row([
            format!("{:.2}", s.score),
            s.id.clone(),
            terminal_safe(&s.title),
            s.owner_force.clone(),
        ]);
    }
    format!("{table}\n")
}

/// Run `nsi similar`.
pub fn run(ctx: &Context, args: &Args) -> Result<ExitCode, CliError> {
    let index = ctx.index()?;
    let root = ctx.catalogue()?.root();
    let (text, exclude) = match (&args.id, &args.text) {
        (_, Some(text)) => (SimilarityText::plain(text), None),
        (Some(id), None) => {
            let (_, entry) = lookup::find_entry(root, id.trim())?;
            let value = serde_json::to_value(&entry)?;
            (SimilarityText::of_entry(&value), Some(id.trim()))
        }
        (None, None) => return Err(CliError::usage("give an ID or --text")),
    };
    let view = index.view();
    // An entry is compared both ways; free text only one way (it has no entry of its own).
    let found = if args.text.is_some() {
        similar::similar(&view, &text, exclude, args.limit)
    } else {
        similar::similar_entries(&view, root, &text, exclude, args.limit)
    };
    let out = match args.format {
        Format::Table => {
            if found.is_empty() {
                if !ctx.quiet() {
                    anstream::eprintln!("no similar entries");
                }
                return Ok(ExitCode::SUCCESS);
            }
            table(&found)
        }
        Format::Json => {
            let hits: Vec<JsonSimilar<'_>> = found
                .iter()
                .map(|s| JsonSimilar {
                    id: &s.id,
                    title: &s.title,
                    owner_force: &s.owner_force,
                    score: rounded(s.score),
                })
                .collect();
            crate::cli::render::json::to_string(&hits)? + "\n"
        }
    };
    output::print(&out)?;
    Ok(ExitCode::SUCCESS)
}
