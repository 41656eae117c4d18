//! `nsi import`: add entries from a CSV file, one per row.

use std::fmt::Write as _;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::catalogue::author::MAX_IMPORT_BYTES;
use crate::cli::context::Context;
use crate::cli::error::CliError;
use crate::cli::render::progress::{self, Progress};
use crate::cli::render::{self, output};

/// Add entries from a CSV file: one entry per row.
///
/// The header row names fields: top-level names (`title`, `summary`, `owner_force`…), nested
/// ones with dots (`technology.stack`, `aftercare.level`). List fields take `;`-separated
/// values (`categories`, `technology.stack`). Lists of items use one column per item field
/// (`contacts.name`, `contacts.email`, `contacts.role`, `skills.role`, `skills.level`,
/// `documentation.type`, `documentation.availability`) whose `;`-separated values line up
/// item by item. Each row gets the defaults of `nsi add`. A row with an error creates nothing;
/// the others are created. Exit 1 if any row failed. A row holds at most 256 KiB of text (the
/// limit for an entry) and the file at most 16 MiB.
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
    // Rows are checked in one call: a spinner while they are, when there are many.
    let checking = Progress::spinner(
        "checking rows",
        ctx.quiet(),
        text.lines().count() > progress::THRESHOLD,
    );
    let rows = author.import_csv(&text, Path::new(&name))?;
    checking.finish();
    let bar = Progress::new("importing", ctx.quiet());
    let mut report = String::new();
    let (mut created, mut failed) = (0, 0);
    for (done, row) in rows.iter().enumerate() {
        bar.update(done, rows.len());
        let line = row.line;
        report.push_str(&render::diagnostics::listing(&row.findings, ctx.quiet()));
        let Some(entry) = row.entry.as_ref().filter(|entry| entry.is_valid()) else {
            failed += 1;
            let _ = writeln!(report, "row {line}: not created");
            continue;
        };
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
            continue;
        }
        match author.create(entry) {
            Ok(()) => {
                created += 1;
                let _ = writeln!(report, "row {line}: created {}", entry.display.display());
            }
            Err(error) => {
                failed += 1;
                let _ = writeln!(report, "row {line}: error: {error}");
            }
        }
    }
    bar.finish();
    let verb = if args.dry_run {
        "would be created"
    } else {
        "created"
    };
    let _ = writeln!(report, "{created} {verb}, {failed} failed");
    output::print(&report)?;
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

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
