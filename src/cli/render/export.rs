//! `nsi export` output: one JSON document, a CSV spreadsheet Excel opens cleanly, written to a
//! file atomically; the HTML site is written into a `StagedFolder` (all or nothing).

use std::path::Path;

use chrono::{DateTime, FixedOffset, SecondsFormat};

use crate::catalogue::durable;
use serde::Serialize;

use crate::catalogue::entry::{Entry, value_name};
use crate::catalogue::export::{EXPORT_SCHEMA_VERSION, Export};
use crate::catalogue::staged_folder::StagedFolder;
use crate::cli::error::CliError;
use crate::cli::render::csv::{cell, writer};
use crate::cli::render::html::SiteOut;

/// The columns of the CSV export, in order. List cells are joined with `"; "`.
pub const CSV_COLUMNS: [&str; 19] = [
    "id",
    "title",
    "owner_force",
    "partner_forces",
    "categories",
    "phase",
    "summary",
    "problem_statement",
    "technology_stack",
    "deployment",
    "licence",
    "highest_skill_level",
    "documents",
    "contacts",
    "aftercare",
    "visibility",
    "created",
    "last_reviewed",
    "tags",
];

/// The byte-order mark that tells Excel a CSV file is UTF-8.
const UTF8_BOM: &str = "\u{feff}";

#[derive(Serialize)]
struct JsonExport<'a> {
    schema_version: &'static str,
    generated: String,
    audience: &'static str,
    entries: &'a [Entry],
}

/// Write `{"schema_version", "generated", "audience", "entries": [...]}`, pretty-printed, to
/// `out` as it is made.
pub fn write_json(
    export: &Export,
    generated: DateTime<FixedOffset>,
    mut out: impl std::io::Write,
) -> std::io::Result<()> {
    let document = JsonExport {
        schema_version: EXPORT_SCHEMA_VERSION,
        generated: generated.to_rfc3339_opts(SecondsFormat::Secs, true),
        audience: export.audience.as_str(),
        entries: &export.entries,
    };
    super::json::write(&document, &mut out)?;
    out.write_all(b"\n")
}

/// The serde name of a unit enum value (`on-premises`, `light-touch`).
fn join<T: ToString>(items: &[T]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

fn row(entry: &Entry) -> [String; CSV_COLUMNS.len()] {
    let documents: Vec<String> = entry
        .documentation
        .iter()
        .map(|d| format!("{}:{}", d.kind, value_name(&d.availability)))
        .collect();
    let contacts: Vec<String> = entry
        .contacts
        .iter()
        .map(|c| format!("{} <{}>", c.name, c.email))
        .collect();
    [
        entry.id.to_string(),
        entry.title.clone(),
        entry.owner_force.to_string(),
        join(&entry.partner_forces),
        join(&entry.categories),
        value_name(&entry.phase),
        entry.summary.clone(),
        entry.problem_statement.clone(),
        join(&entry.technology.stack),
        value_name(&entry.technology.deployment),
        entry.technology.licence.clone(),
        entry
            .highest_skill_level()
            .map(|level| value_name(&level))
            .unwrap_or_default(),
        documents.join("; "),
        contacts.join("; "),
        value_name(&entry.aftercare.level),
        value_name(&entry.visibility),
        entry.created.to_string(),
        entry.last_reviewed.to_string(),
        join(&entry.tags),
    ]
}

/// Write a UTF-8 BOM, a header row of [`CSV_COLUMNS`], then one row per entry, every cell
/// quoted and kept from starting a formula (see [`cell`]), to `out` as it is made.
pub fn write_csv(export: &Export, mut out: impl std::io::Write) -> std::io::Result<()> {
    // Keep the kind of a write error, so that a closed pipe still ends the command quietly.
    let io_error = |e: csv::Error| {
        let kind = match e.kind() {
            csv::ErrorKind::Io(io) => io.kind(),
            _ => std::io::ErrorKind::Other,
        };
        std::io::Error::new(kind, e)
    };
    out.write_all(UTF8_BOM.as_bytes())?;
    let mut csv = writer(out);
    csv.write_record(CSV_COLUMNS).map_err(io_error)?;
    for entry in &export.entries {
        csv.write_record(row(entry).iter().map(|text| cell(text)))
            .map_err(io_error)?;
    }
    csv.flush()
}

/// Write `text` to `path` atomically: a temporary file in the same folder, then renamed over
/// it, so a reader never sees half an export.
pub fn write_file(path: &Path, text: &str) -> Result<(), CliError> {
    write_file_with(path, |out| out.write_all(text.as_bytes()))
}

/// [`write_file`], with the contents written by `write` as they are made (through a buffer),
/// so that a large export is never held in memory whole.
pub fn write_file_with(
    path: &Path,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<(), CliError> {
    durable::replace_with(path, None, durable::Durability::Durable, write)
        .map_err(|e| cannot_write(path, &e))
}

fn cannot_write(path: &Path, error: &dyn std::fmt::Display) -> CliError {
    CliError::io(format!("cannot write {}: {error}", path.display()))
}

impl SiteOut for StagedFolder {
    fn file(
        &mut self,
        path: &str,
        write: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<(), CliError> {
        Ok(self.write_with(path, write)?)
    }
}
