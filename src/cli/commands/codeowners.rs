//! `nsi codeowners`: write or check `.github/CODEOWNERS` from the forces list.

use std::process::ExitCode;

use crate::catalogue::codeowners::{CODEOWNERS_PATH, Owners, codeowners};
use crate::cli::context::Context;
use crate::cli::error::CliError;
use crate::cli::render::{export::write_file, output};

/// Generate .github/CODEOWNERS from the forces list: gatekeepers own everything, each force's
/// team its folder.
///
/// The gatekeeper team owns every file, so it reviews every pull request; each force's team
/// also owns catalogue/<force>/, so a force is asked to review changes to its own entries.
/// The file is generated from schema/reference/forces.yaml: regenerate it when a force is
/// added. CI runs --check, which exits 1 when the file is missing or out of date. Only force
/// slugs and team names (@org/team) are written: a forces list that breaks its schema, or a
/// team that is not @org/team, is an error (exit 2) and nothing is written.
///
/// Examples:
///   nsi codeowners                     # write .github/CODEOWNERS
///   nsi codeowners --check             # exit 1 if it is out of date (CI)
///   nsi codeowners --stdout --gatekeepers @my-org/nsi-gatekeepers
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Exit 1 if the file differs from what would be generated; write nothing.
    #[arg(long, conflicts_with = "stdout")]
    pub check: bool,
    /// Print the file instead of writing it.
    #[arg(long)]
    pub stdout: bool,
    /// The gatekeeper team, @org/team.
    #[arg(long, value_name = "TEAM", default_value_t = Owners::default().gatekeepers)]
    pub gatekeepers: String,
    /// Each force's team, @org/team with {force} standing for the force's slug.
    #[arg(long, value_name = "PATTERN", default_value_t = Owners::default().force_team)]
    pub force_team: String,
}

/// Run `nsi codeowners`.
pub fn run(ctx: &Context, args: &Args) -> Result<ExitCode, CliError> {
    let catalogue = ctx.catalogue()?;
    let text = codeowners(
        catalogue.reference()?,
        &Owners {
            gatekeepers: args.gatekeepers.clone(),
            force_team: args.force_team.clone(),
        },
    )?;
    let path = catalogue.root().join(CODEOWNERS_PATH);
    if args.stdout {
        output::print(&text)?;
        return Ok(ExitCode::SUCCESS);
    }
    if args.check {
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current.replace("\r\n", "\n") == text {
            if !ctx.quiet() {
                anstream::eprintln!("{CODEOWNERS_PATH} is current");
            }
            return Ok(ExitCode::SUCCESS);
        }
        return Err(CliError::findings(format!(
            "{CODEOWNERS_PATH} is missing or out of date with schema/reference/forces.yaml"
        ))
        .with_hint("run `nsi codeowners` and commit the result"));
    }
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder)
            .map_err(|e| CliError::io(format!("cannot create {}: {e}", folder.display())))?;
    }
    write_file(&path, &text)?;
    if !ctx.quiet() {
        anstream::eprintln!("wrote {CODEOWNERS_PATH}");
    }
    Ok(ExitCode::SUCCESS)
}
