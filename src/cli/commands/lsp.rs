//! `nsi lsp`: a language server, so an editor shows nsi's findings as an entry is typed.

use std::process::ExitCode;

use crate::cli::context::Context;
use crate::cli::error::CliError;
use crate::cli::lsp::{ServerOptions, serve_stdio};

/// Run a language server over stdin and stdout, for editors.
///
/// An editor starts it and talks the Language Server Protocol to it. For entry files
/// (catalogue/<force>/<id>.yaml) it shows nsi validate's own findings as you type, without
/// saving — the same rule codes, lines and columns, semantic rules and unique ids included;
/// completes the values the reference lists and the schema allow (forces, categories,
/// standards, roles, levels, document types, phases …) with their names; shows a field's
/// description from the schema on hover; and offers quick fixes where a rule has an obvious
/// one. Set-ups for VS Code, Neovim and Helix: docs/editors.md.
///
/// Examples:
///   nsi lsp
///   nvim --cmd 'lua vim.lsp.start({name = "nsi", cmd = {"nsi", "lsp"}})' entry.yaml
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Talk over stdin and stdout (the only transport; accepted because editors' clients
    /// pass it).
    #[arg(long, hide = true)]
    pub stdio: bool,
}

/// Run `nsi lsp`.
pub fn run(ctx: &Context, _args: &Args) -> Result<ExitCode, CliError> {
    serve_stdio(ServerOptions { today: ctx.today() })?;
    Ok(ExitCode::SUCCESS)
}
