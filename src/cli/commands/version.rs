//! `nsi version`: what this nsi is and which formats it reads and writes, for bug reports and
//! for scripts that must know which entry schema and export format they are dealing with.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use serde::Serialize;

use crate::catalogue::export::EXPORT_SCHEMA_VERSION;
use crate::catalogue::load::{self, LoadError};
use crate::catalogue::migrate;
use crate::catalogue::reference::Reference;
use crate::cli::context::Context;
use crate::cli::error::CliError;
use crate::cli::render::output;

/// Show the versions of nsi, of the entry schema in use and of the export format.
///
/// The entry schema is the catalogue's own schema/solution.schema.json when run inside a
/// catalogue (or with --catalogue), else the copy built into nsi; both are named, with the
/// schema's `$id` and `version`. Also lists every schema version nsi knows and the migrations
/// between them (`nsi migrate` rewrites entries of an older version). Also shows the export format (`schema_version` of
/// `nsi export --format json`), the git commit nsi was built from when the build recorded it,
/// and the platform it was built for. `nsi --version` prints the first line only.
///
/// Examples:
///   nsi version
///   nsi version --format json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// How to print the versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One `name: value` line each.
    Text,
    /// `{"version", "schema": {"id", "version", "source", "path", "same_as_embedded",
    /// "known_versions", "migrations": [{"from", "to", "summary"}]}, "export_schema_version",
    /// "commit", "target", "os", "arch"}`.
    Json,
}

/// The versions `nsi version` reports; its JSON form is a stable interface.
#[derive(Debug, Clone, Serialize)]
pub struct VersionReport {
    /// nsi's own version (`Cargo.toml`).
    pub version: &'static str,
    /// The entry schema in use.
    pub schema: SchemaVersion,
    /// The `schema_version` of `nsi export --format json` documents.
    pub export_schema_version: &'static str,
    /// The git commit nsi was built from, when the build recorded it (`NSI_BUILD_COMMIT`).
    pub commit: Option<&'static str>,
    /// The platform nsi was built for, as a Rust target triple.
    pub target: String,
    /// The operating system (`linux`, `macos`, `windows`…).
    pub os: &'static str,
    /// The processor architecture (`x86_64`, `aarch64`…).
    pub arch: &'static str,
}

/// Which entry schema is in use, and where it was read from.
#[derive(Debug, Clone, Serialize)]
pub struct SchemaVersion {
    /// The schema's `$id`.
    pub id: Option<String>,
    /// The schema's `version`.
    pub version: Option<String>,
    /// `catalogue` (the catalogue's schema/ folder) or `embedded` (the copy built into nsi).
    pub source: &'static str,
    /// The schema file, when read from a catalogue.
    pub path: Option<PathBuf>,
    /// Whether the schema in use is the one built into nsi.
    pub same_as_embedded: bool,
    /// Every schema version nsi knows, oldest first.
    pub known_versions: Vec<&'static str>,
    /// The migrations between them.
    pub migrations: Vec<MigrationStep>,
}

/// One migration nsi can apply.
#[derive(Debug, Clone, Serialize)]
pub struct MigrationStep {
    /// The version it reads.
    pub from: &'static str,
    /// The version it writes.
    pub to: &'static str,
    /// What it changes.
    pub summary: &'static str,
}

/// The versions, judged for the catalogue (if any) that `ctx` points at.
pub fn report(ctx: &Context) -> Result<VersionReport, CliError> {
    let embedded = Reference::embedded();
    let reference = match catalogue_root(ctx)? {
        Some(root) => Reference::for_root(&root)?,
        None => embedded.clone(),
    };
    let text = |key: &str| {
        reference
            .schema
            .get(key)
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned)
    };
    let schema = SchemaVersion {
        id: text("$id"),
        version: migrate::schema_version(&reference.schema),
        source: if reference.source.is_some() {
            "catalogue"
        } else {
            "embedded"
        },
        path: reference
            .source
            .as_ref()
            .map(|dir| dir.join("solution.schema.json")),
        same_as_embedded: reference.schema == embedded.schema,
        known_versions: migrate::known_versions(),
        migrations: migrate::MIGRATIONS
            .iter()
            .map(|m| MigrationStep {
                from: m.from,
                to: m.to,
                summary: m.summary,
            })
            .collect(),
    };
    Ok(VersionReport {
        version: env!("CARGO_PKG_VERSION"),
        schema,
        export_schema_version: EXPORT_SCHEMA_VERSION,
        commit: option_env!("NSI_BUILD_COMMIT").filter(|c| !c.is_empty()),
        target: target_triple(),
        os: std::env::consts::OS,
        arch: std::env::consts::ARCH,
    })
}

/// The catalogue root: the one named by `--catalogue` / `NSI_CATALOGUE` (an error when it is
/// not a catalogue), else the nearest above the working directory, else none: outside a
/// catalogue the embedded schema is the one nsi would use.
fn catalogue_root(ctx: &Context) -> Result<Option<PathBuf>, CliError> {
    if ctx.global.catalogue.is_some() {
        return ctx.root().map(Some);
    }
    let cwd = std::env::current_dir()
        .map_err(|e| CliError::io(format!("cannot read the working directory: {e}")))?;
    match load::find_root(None, &cwd) {
        Ok(root) => Ok(Some(root)),
        Err(LoadError::RootNotFound { .. }) => Ok(None),
        Err(error) => Err(error.into()),
    }
}

/// The Rust target triple of this build, from the compiler's configuration: exact for the
/// platforms nsi is released for (x86_64-unknown-linux-gnu, x86_64-pc-windows-msvc,
/// aarch64-apple-darwin, x86_64-apple-darwin).
fn target_triple() -> String {
    let vendor = if cfg!(target_vendor = "apple") {
        "apple"
    } else if cfg!(target_vendor = "pc") {
        "pc"
    } else {
        "unknown"
    };
    let os = match std::env::consts::OS {
        "macos" => "darwin",
        other => other,
    };
    let env = if cfg!(target_env = "gnu") {
        "-gnu"
    } else if cfg!(target_env = "msvc") {
        "-msvc"
    } else if cfg!(target_env = "musl") {
        "-musl"
    } else {
        ""
    };
    format!("{}-{vendor}-{os}{env}", std::env::consts::ARCH)
}

/// The report as `name: value` lines.
fn text(report: &VersionReport) -> String {
    let schema = &report.schema;
    let mut out = String::new();
    let _ = writeln!(out, "nsi {}", report.version);
    let _ = writeln!(
        out,
        "schema: {} ({})",
        schema.version.as_deref().unwrap_or("no version declared"),
        schema.id.as_deref().unwrap_or("no $id")
    );
    let from = match &schema.path {
        Some(path) if schema.same_as_embedded => {
            format!("{} (the same as the one built in)", path.display())
        }
        Some(path) => format!("{} (differs from the one built in)", path.display()),
        None => "built into nsi".to_owned(),
    };
    let _ = writeln!(out, "schema read from: {from}");
    let _ = writeln!(
        out,
        "schema versions known: {}",
        schema.known_versions.join(", ")
    );
    for step in &schema.migrations {
        let _ = writeln!(
            out,
            "  migration {} → {}: {}",
            step.from, step.to, step.summary
        );
    }
    let _ = writeln!(out, "export format: {}", report.export_schema_version);
    let _ = writeln!(out, "commit: {}", report.commit.unwrap_or("not recorded"));
    let _ = writeln!(out, "target: {}", report.target);
    out
}

/// Run `nsi version`.
pub fn run(ctx: &Context, args: &Args) -> Result<ExitCode, CliError> {
    let report = report(ctx)?;
    let rendered = match args.format {
        Format::Text => crate::cli::render::text::terminal_safe(&text(&report)),
        Format::Json => crate::cli::render::json::to_string(&report)? + "\n",
    };
    output::print(&rendered)?;
    Ok(ExitCode::SUCCESS)
}
