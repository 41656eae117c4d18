//! `nsi config`: the settings in force, their values and where each came from.

use std::path::Path;
use std::process::ExitCode;
use std::sync::OnceLock;

use clap::ValueEnum;
use serde_json::{Value, json};

use crate::catalogue::config::{self, KEYS, Resolved, Source};
use crate::cli::context::Context;
use crate::cli::error::CliError;
use crate::cli::render::{output, text::terminal_safe};
use crate::cli::{ColorWhen, GlobalArgs};

/// Show the settings in force for this catalogue, and where each comes from.
///
/// Settings are read from nsi.toml at the catalogue root, then from NSI_* environment
/// variables, then from flags; each overrides the one before. Every setting is shown with its
/// value and its source: `default`, `nsi.toml:LINE`, `env NSI_…` or `flag --…`. The text
/// output is itself TOML. An unknown key or a value of the wrong type in nsi.toml is an error
/// naming its line and column (exit 2). docs/configuration.md describes every setting.
///
/// Examples:
///   nsi config
///   nsi config --format json
///   nsi config --format json | jq '.settings[] | select(.source != "default")'
///   $EDITOR "$(nsi config --path)"
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Print the path of the configuration file (whether or not it exists), and nothing else.
    #[arg(long, conflicts_with = "format")]
    pub path: bool,
}

/// How to print the settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// `key = value  # source`, one setting a line.
    Text,
    /// `{"root", "path", "file_exists", "settings": [{"key", "value", "source", "line" |
    /// "variable" | "flag"}], "globals": [the same for "catalogue" and "color"]}`; `source` is
    /// `default`, `file` (with `line`), `env` (with `variable`) or `flag` (with `flag`).
    Json,
}

/// Where `--catalogue` and `--color` came from, as clap saw it when parsing.
static GLOBAL_ORIGINS: OnceLock<[Source; 2]> = OnceLock::new();

/// Record where `--catalogue` and `--color` came from (flag, environment or default), for
/// `nsi config` to show. Called once, right after parsing.
pub fn remember_global_origins(matches: &clap::ArgMatches) {
    let origin = |id: &str, variable: &str| match matches.value_source(id) {
        Some(clap::parser::ValueSource::CommandLine) => Source::Flag(format!("--{id}")),
        Some(clap::parser::ValueSource::EnvVariable) => Source::Env(variable.to_owned()),
        _ => Source::Default,
    };
    let _ = GLOBAL_ORIGINS.set([
        origin("catalogue", "NSI_CATALOGUE"),
        origin("color", "NSI_COLOR"),
    ]);
}

/// Run `nsi config`.
pub fn run(ctx: &Context, args: &Args) -> Result<ExitCode, CliError> {
    if args.path {
        let root = ctx.root()?;
        // Without reading the file: the path is what one needs to fix a broken one.
        let path = root.join(config::FILE_NAME);
        output::print(&format!("{}\n", terminal_safe(&path.display().to_string())))?;
        return Ok(ExitCode::SUCCESS);
    }
    let catalogue = ctx.catalogue()?;
    let (root, resolved) = (catalogue.root(), catalogue.settings());
    let globals = globals(ctx.global, root);
    let text = match args.format {
        Format::Text => text(resolved, &globals),
        Format::Json => {
            crate::cli::render::json::to_string(&json_report(resolved, root, &globals))? + "\n"
        }
    };
    output::print(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// A setting as shown: key, value as TOML, where it came from.
struct Shown {
    key: String,
    value: toml::Value,
    source: Source,
    line: Option<usize>,
}

/// `--catalogue` and `--color`: not settings of nsi.toml, but in force all the same.
fn globals(global: &GlobalArgs, root: &Path) -> Vec<Shown> {
    let [catalogue, color] = GLOBAL_ORIGINS.get().cloned().unwrap_or_else(|| {
        let catalogue = if global.catalogue.is_some() {
            Source::Flag("--catalogue".to_owned())
        } else {
            Source::Default
        };
        [catalogue, Source::Default]
    });
    let color_name = match global.color {
        ColorWhen::Auto => "auto",
        ColorWhen::Always => "always",
        ColorWhen::Never => "never",
    };
    vec![
        Shown {
            key: "catalogue".to_owned(),
            value: toml::Value::String(root.display().to_string()),
            source: catalogue,
            line: None,
        },
        Shown {
            key: "color".to_owned(),
            value: toml::Value::String(color_name.to_owned()),
            source: color,
            line: None,
        },
    ]
}

fn settings(resolved: &Resolved) -> Vec<Shown> {
    KEYS.iter()
        .filter_map(|key| {
            Some(Shown {
                key: key.name.to_owned(),
                value: resolved.config.value(key.name)?,
                source: resolved.source(key.name)?.clone(),
                line: resolved.line(key.name),
            })
        })
        .collect()
}

/// `default`, `nsi.toml:12`, `env NSI_REMOTE`, `flag --color`.
fn describe(shown: &Shown) -> String {
    match &shown.source {
        Source::Default => "default".to_owned(),
        Source::File(path) => {
            let name = path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            match shown.line {
                Some(line) => format!("{name}:{line}"),
                None => name,
            }
        }
        Source::Env(variable) => format!("env {variable}"),
        Source::Flag(flag) => format!("flag {flag}"),
    }
}

fn text(resolved: &Resolved, globals: &[Shown]) -> String {
    let settings = settings(resolved);
    let assignment = |s: &Shown| format!("{} = {}", s.key, s.value);
    // Align the comments, except after the odd very long value.
    let width = settings
        .iter()
        .map(|s| assignment(s).chars().count())
        .filter(|w| *w <= 60)
        .max()
        .unwrap_or(0);
    let row = |prefix: &str, shown: &Shown| {
        let assignment = format!("{prefix}{}", assignment(shown));
        let pad = width.saturating_sub(assignment.chars().count());
        format!("{assignment}{}  # {}\n", " ".repeat(pad), describe(shown))
    };
    let mut out = format!("# {}", resolved.path.display());
    if !resolved.file_exists {
        out.push_str(" (not present)");
    }
    out.push('\n');
    for shown in &settings {
        out.push_str(&row("", shown));
    }
    out.push_str("\n# Not settings of nsi.toml, but in force:\n");
    for shown in globals {
        out.push_str(&row("# ", shown));
    }
    terminal_safe(&out)
}

fn json_setting(shown: &Shown) -> Value {
    let mut object = json!({ "key": shown.key, "value": shown.value });
    let (source, detail) = match &shown.source {
        Source::Default => ("default", None),
        Source::File(_) => ("file", shown.line.map(|line| ("line", json!(line)))),
        Source::Env(variable) => ("env", Some(("variable", json!(variable)))),
        Source::Flag(flag) => ("flag", Some(("flag", json!(flag)))),
    };
    object["source"] = json!(source);
    if let Some((name, value)) = detail {
        object[name] = value;
    }
    object
}

fn json_report(resolved: &Resolved, root: &Path, globals: &[Shown]) -> Value {
    json!({
        "root": root.display().to_string(),
        "path": resolved.path.display().to_string(),
        "file_exists": resolved.file_exists,
        "settings": settings(resolved).iter().map(json_setting).collect::<Vec<_>>(),
        "globals": globals.iter().map(json_setting).collect::<Vec<_>>(),
    })
}
