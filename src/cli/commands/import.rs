//! `nsi import`: add entries from a CSV file, one per row.

use std::fmt::Write as _;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::catalogue::author::MAX_IMPORT_BYTES;
use crate::catalogue::diagnostic::Severity;
use crate::cli::context::Context;
use crate::cli::error::{CliError, ErrorKind};
use crate::cli::render::progress::Progress;
use crate::cli::render::{self, output};

/// Add entries from a CSV file: one entry per row.
///
/// The header row names fields: top-level names (`title`, `summary`, `owner_force`…), nested
/// ones with dots (`technology.stack`, `aftercare.level`). List fields take `;`-separated
/// values (`categories`, `technology.stack`). Lists of items use one column per item field
/// (`contacts.name`, `contacts.email`, `contacts.role`, `skills.role`, `skills.level`,
/// `documentation.type`, `documentation.availability`) whose `;`-separated values line up
/// item by item. Each row gets the defaults of `nsi add`. A row with an error creates nothing;
/// the others are created; rows of empty cells are skipped. Exit 1 if any row failed. Each
/// finding names the file, the row's line and the column of its cell; the findings of the
/// first 100 rows with errors (and of 100 with warnings only) are shown, the rest counted. A
/// row holds at most 256 KiB of text (the limit for an entry) and 1,000 cells, the file at
/// most 10,000 rows and 16 MiB.
///
/// Examples:
///   nsi import --csv new-entries.csv --dry-run     # check every row, write nothing
///   nsi import --csv new-entries.csv
///   nsi import --csv - < new-entries.csv
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The CSV file (`-` for stdin).
    #[arg(long, value_name = "FILE")]
    pub csv: PathBuf,
    /// Check every row and say what would be created, without writing anything.
    #[arg(long)]
    pub dry_run: bool,
}

/// Run `nsi import`.
pub fn run(ctx: &Context, args: &Args) -> Result<ExitCode, CliError> {
    let catalogue = ctx.catalogue()?;
    let (text, name) = if args.csv.as_os_str() == "-" {
        (read_capped(std::io::stdin()), "stdin".to_owned())
    } else {
        (
            std::fs::File::open(&args.csv).and_then(|file| {
                // A regular file's size is known: one too large is refused unread.
                let size = file.metadata()?.len();
                if size > MAX_IMPORT_BYTES {
                    return Err(too_large());
                }
                read_capped(file)
            }),
            args.csv.display().to_string(),
        )
    };
    let text = text.map_err(|e| CliError::io(format!("cannot read {name}: {e}")))?;
    let mut author = catalogue.author(ctx.today())?;
    let bar = Progress::new("importing", ctx.quiet());
    let (mut created, mut failed) = (0, 0);
    // Rows whose findings were drawn: those with errors, and those with warnings only (which
    // most imported rows have, and which must not use up the room for errors).
    let (mut listed_errors, mut listed_warnings, mut unlisted) = (0, 0, 0);
    let mut written = Ok(());
    let progress = |done, total| bar.update(done, total);
    author.import_csv(&text, Path::new(&name), &progress, |author, row| {
        let mut report = String::new();
        let line = row.line;
        let has_errors = row.findings.iter().any(|f| f.severity == Severity::Error);
        let listed = if has_errors {
            &mut listed_errors
        } else {
            &mut listed_warnings
        };
        if !row.findings.is_empty() && (has_errors || !ctx.quiet()) {
            if *listed < MAX_LISTED_ROWS {
                *listed += 1;
                report.push_str(&render::diagnostics::listing(&row.findings, ctx.quiet()));
            } else {
                unlisted += 1;
            }
        }
        match row.entry.as_ref().filter(|entry| entry.is_valid()) {
            None => {
                failed += 1;
                let _ = writeln!(report, "row {line}: not created");
            }
            Some(entry) => {
                for similar in catalogue.resembling(&entry.value) {
                    let _ = writeln!(
                        report,
                        "row {line}: note: similar to {} ({:.2})",
                        similar.id, similar.score
                    );
                }
                if args.dry_run {
                    created += 1;
                    let _ = writeln!(
                        report,
                        "row {line}: would create {}",
                        entry.display.display()
                    );
                } else if let Err(error) = author.create(entry) {
                    failed += 1;
                    let _ = writeln!(report, "row {line}: error: {error}");
                } else {
                    created += 1;
                    let _ = writeln!(report, "row {line}: created {}", entry.display.display());
                }
            }
        }
        // Each row is said as it is done (the bar stepping aside); a closed pipe stops the
        // saying, not the import.
        if written.is_ok() {
            written = bar.suspend(|| output::print(&report));
        }
    })?;
    bar.finish();
    let verb = if args.dry_run {
        "would be created"
    } else {
        "created"
    };
    let mut summary = String::new();
    if unlisted > 0 {
        let _ = writeln!(
            summary,
            "the findings of {unlisted} more rows are not listed: fix those above and import \
             again, or check one row at a time"
        );
    }
    let _ = writeln!(summary, "{created} {verb}, {failed} failed");
    let said = written.and_then(|()| output::print(&summary));
    // A reader that stopped reading (`| head`) does not make failed rows a success.
    if let Err(error) = said
        && (failed == 0 || error.kind != ErrorKind::BrokenPipe)
    {
        return Err(error);
    }
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Rows with errors, and rows with warnings only, whose findings are drawn in full; past them,
/// rows are still checked, created and counted, and the rest of their findings only counted
/// (a file of ten thousand broken rows would otherwise print half a million lines).
const MAX_LISTED_ROWS: usize = 100;

/// The text of a CSV file, read up to one byte past [`MAX_IMPORT_BYTES`]: a larger file (or
/// an endless one, such as `/dev/zero`) is refused without being read whole.
fn read_capped(reader: impl Read) -> std::io::Result<String> {
    let mut bytes = Vec::new();
    reader.take(MAX_IMPORT_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_IMPORT_BYTES {
        return Err(too_large());
    }
    String::from_utf8(bytes)
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, "it is not UTF-8 text"))
}

fn too_large() -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        format!(
            "it is larger than {} MiB, the limit for an import (split it)",
            MAX_IMPORT_BYTES / (1024 * 1024)
        ),
    )
}
