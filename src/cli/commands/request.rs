//! `nsi request`: ask for a document shared on request, in one step.

use std::fmt::Write as _;
use std::process::ExitCode;

use clap::ValueEnum;

use crate::catalogue::lookup;
use crate::catalogue::request::requests;
use crate::cli::context::Context;
use crate::cli::error::CliError;
use crate::cli::render::{output, text::terminal_line};

/// Ask for a document an entry shares on request: an email to its first contact still valid,
/// naming the document, the solution and its id, ready to send.
///
/// Prints a `mailto:` link for each document the entry shares on request (or only --doc's),
/// with who it goes to and the subject; --open hands it to your mail program. The message
/// leaves `[your force]` and `[your name, role and force]` for you to fill. When every contact
/// has expired it says so, and names the owning force to ask instead.
///
/// Examples:
///   nsi request cps-evidence-redaction-tool --doc dpia
///   nsi request cps-evidence-redaction-tool --doc dpia --open
///   nsi request cps-evidence-redaction-tool --format json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The entry.
    #[arg(value_name = "ID")]
    pub id: String,
    /// The document type (`dpia`, `business-case`, …). Default: every document shared on
    /// request.
    #[arg(long = "doc", value_name = "TYPE")]
    pub document: Option<String>,
    /// Open the request in your mail program (needs --doc when several are on request).
    #[arg(long)]
    pub open: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// How to print the requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One block per document.
    Text,
    /// `[{"document", "document_name", "contact_name", "contact_email", "subject", "body",
    /// "mailto"}]`.
    Json,
}

/// Run `nsi request`.
pub fn run(ctx: &Context, args: &Args) -> Result<ExitCode, CliError> {
    let catalogue = ctx.catalogue()?;
    let (_, entry) = lookup::find_entry(catalogue.root(), args.id.trim())?;
    let found = requests(
        &entry,
        args.document.as_deref(),
        catalogue.reference()?,
        ctx.today(),
    )?;
    if args.open && found.len() > 1 {
        return Err(CliError::usage(format!(
            "{} documents are on request: name one to open with --doc ({})",
            found.len(),
            found
                .iter()
                .map(|r| r.document.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let text = match args.format {
        Format::Json => crate::cli::render::json::to_string(&found)? + "\n",
        Format::Text => {
            let mut out = String::new();
            for request in &found {
                let _ = writeln!(
                    out,
                    "{} of {} ({})\n  to:      {} <{}>\n  subject: {}\n  {}",
                    request.document_name,
                    terminal_line(&entry.title),
                    entry.id,
                    terminal_line(&request.contact_name),
                    terminal_line(&request.contact_email),
                    terminal_line(&request.subject),
                    request.mailto
                );
            }
            out
        }
    };
    output::print(&text)?;
    if args.open
        && let Some(request) = found.first()
        && let Err(error) = opener::open(&request.mailto)
    {
        return Err(CliError::io(format!("cannot open a mail program: {error}"))
            .with_hint("copy the mailto: link above into your mail program instead"));
    }
    Ok(ExitCode::SUCCESS)
}
