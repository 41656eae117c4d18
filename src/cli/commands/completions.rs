//! `nsi completions`: shell completion, two ways. A static script generated from the
//! command-line definition (subcommands, flags, enumerated values, paths), and dynamic
//! completion, where the shell asks nsi itself (`COMPLETE=bash nsi …`, `clap_complete`'s
//! protocol) and nsi answers with the catalogue's entry ids, force slugs and categories too.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use clap_complete::Shell;
use clap_complete::engine::{ArgValueCandidates, CompletionCandidate};

use crate::catalogue::load;
use crate::catalogue::lookup;
use crate::catalogue::reference::Reference;
use crate::cli::context::Context;
use crate::cli::error::CliError;
use crate::cli::render::output;

/// Print a shell completion script.
///
/// The script completes subcommands, flags, the values of enumerated flags and paths. Dynamic
/// completion completes entry ids too (nsi show, edit, history, similar, publish), and force
/// slugs, categories, regions, roles and document types: the shell asks nsi, which reads the
/// catalogue of the working directory (or `NSI_CATALOGUE`). Load it from the shell's startup
/// file instead of a script, as in the first two examples; docs/install.md shows fish,
/// PowerShell and elvish.
///
/// Examples:
///   source <(COMPLETE=bash nsi)                         # dynamic, in ~/.bashrc
///   source <(COMPLETE=zsh nsi)                          # dynamic, in ~/.zshrc
///   source <(nsi completions bash)                      # static: try it in this shell
///   nsi completions bash > ~/.local/share/bash-completion/completions/nsi
///   nsi completions zsh > "${fpath[1]}/_nsi"
///   nsi completions fish > ~/.config/fish/completions/nsi.fish
///   nsi completions powershell >> $PROFILE
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The shell to write the script for.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: Shell,
}

/// Run `nsi completions`.
pub fn run(_ctx: &Context, args: &Args) -> Result<ExitCode, CliError> {
    let mut command = crate::cli::command();
    let name = command.get_name().to_owned();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, name, &mut script);
    let script = String::from_utf8(script)
        .map_err(|e| CliError::io(format!("the completion script is not UTF-8: {e}")))?;
    output::print(&script)?;
    Ok(ExitCode::SUCCESS)
}

/// The environment variable that turns a run of nsi into a completion request (`clap_complete`'s
/// own default, so `COMPLETE=bash nsi` is what its documentation and packagers expect).
pub const COMPLETE_VAR: &str = "COMPLETE";

/// When this run is a shell's completion request (`COMPLETE=SHELL nsi [-- WORDS…]`), answer
/// it on stdout and exit; otherwise return at once, having printed nothing. Call it before
/// anything else reads the arguments or prints.
pub fn complete_from_env() {
    // A cheap check first: building the command-line definition is not free.
    if std::env::var_os(COMPLETE_VAR).is_none_or(|v| v.is_empty() || v == "0") {
        return;
    }
    clap_complete::CompleteEnv::with_factory(command_with_candidates)
        .var(COMPLETE_VAR)
        .complete();
}

/// The command-line definition with dynamic candidates attached: entry ids to every `ID`
/// argument, and the reference lists to the flags that take their slugs, in every subcommand,
/// so a new command with `--force SLUG` or an `ID` argument completes without more code.
pub fn command_with_candidates() -> clap::Command {
    with_candidates(crate::cli::command())
}

fn with_candidates(command: clap::Command) -> clap::Command {
    let command = command.mut_args(|arg| match Candidates::for_arg(&arg) {
        Some(candidates) => arg.add(ArgValueCandidates::new(move || candidates.list())),
        None => arg,
    });
    command.mut_subcommands(with_candidates)
}

/// What an argument's values are, for completion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Candidates {
    /// Ids of entries in the catalogue.
    EntryIds,
    /// Force slugs, from schema/reference/forces.yaml.
    Forces,
    /// Category slugs, from schema/reference/categories.yaml.
    Categories,
    /// Region slugs, from schema/reference/forces.yaml.
    Regions,
    /// DDaT role family slugs, from schema/reference/roles.yaml.
    Roles,
    /// Document type slugs, from schema/reference/documents.yaml.
    Documents,
}

impl Candidates {
    /// The candidates for `arg`: an `ID` positional names an existing entry (`nsi add --id`
    /// names a new one, so it is not completed), and these flags take slugs of a list.
    fn for_arg(arg: &clap::Arg) -> Option<Self> {
        let value_name = arg
            .get_value_names()
            .and_then(|names| names.first())
            .map(clap::builder::Str::as_str);
        if arg.is_positional() {
            return (value_name == Some("ID")).then_some(Candidates::EntryIds);
        }
        match arg.get_long()? {
            "force" | "adopted-by" => Some(Candidates::Forces),
            "category" => Some(Candidates::Categories),
            "region" => Some(Candidates::Regions),
            "role" => Some(Candidates::Roles),
            "has-doc" => Some(Candidates::Documents),
            _ => None,
        }
    }

    /// Every candidate (`clap_complete` keeps those that start with what was typed). Anything
    /// that cannot be read gives no candidates rather than an error: completion never fails
    /// loudly.
    fn list(self) -> Vec<CompletionCandidate> {
        let root = catalogue_root();
        if self == Candidates::EntryIds {
            return root
                .map(|root| lookup::all_ids(&root))
                .unwrap_or_default()
                .into_iter()
                .map(CompletionCandidate::new)
                .collect();
        }
        let reference = root
            .and_then(|root| Reference::for_root(&root).ok())
            .unwrap_or_else(Reference::embedded);
        let terms: Vec<(String, String)> = match self {
            Candidates::EntryIds => Vec::new(),
            Candidates::Forces => reference
                .forces
                .iter()
                .map(|f| (f.slug.clone(), f.name.clone()))
                .collect(),
            Candidates::Categories => named(&reference.categories),
            Candidates::Regions => named(&reference.regions),
            Candidates::Roles => named(&reference.roles),
            Candidates::Documents => named(&reference.documents),
        };
        terms
            .into_iter()
            .map(|(slug, name)| CompletionCandidate::new(slug).help(Some(name.into())))
            .collect()
    }
}

fn named(terms: &[crate::catalogue::reference::Term]) -> Vec<(String, String)> {
    terms
        .iter()
        .map(|t| (t.slug.clone(), t.name.clone()))
        .collect()
}

/// The catalogue being completed for: `NSI_CATALOGUE`, else the nearest above the working
/// directory. (A `--catalogue DIR` typed on the same line is not seen: the shell hands nsi
/// the words, and they are not parsed.)
fn catalogue_root() -> Option<PathBuf> {
    let explicit: Option<OsString> =
        std::env::var_os("NSI_CATALOGUE").filter(|value| !value.is_empty());
    let cwd = std::env::current_dir().ok()?;
    load::find_root(explicit.as_deref().map(std::path::Path::new), &cwd).ok()
}
