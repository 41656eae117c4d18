//! `nsi add`: write a new entry, from a file, from flags, or in the editor.

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::catalogue::author::{self, Author, EntryFields, NewEntry};
use crate::catalogue::config::Enforcement;
use crate::catalogue::diagnostic::Diagnostic;
use crate::catalogue::load;
use crate::catalogue::resemblance;
use crate::catalogue::review;
use crate::catalogue::search::similar::SimilarEntry;
use crate::cli::context::Context;
use crate::cli::editor::{self, Check, Outcome};
use crate::cli::error::CliError;
use crate::cli::prompt::{self, Answers};
use crate::cli::render::{self, diagnostics, output, text::terminal_safe};

/// Add a new entry to the catalogue.
///
/// Give the entry as a file (`--from`, YAML or JSON, `-` for stdin), as flags, or both (flags
/// win); what is left out gets a default: today for `created` and `last_reviewed`, a year for
/// each contact's `valid_until`, `policing` visibility, and an id made from the title (unique:
/// `-2`, `-3`…). The entry is checked as `nsi validate` would; it is written to
/// catalogue/<force>/<id>.yaml only when valid, and never over an existing file. Existing
/// entries that look like the same solution are shown; a very close one must be confirmed.
///
/// On a terminal with nothing else given, it asks one question per field (Esc finishes the
/// entry in your editor, with your answers kept). With `--edit` your editor opens on a
/// commented template, and reopens with the errors until the entry is valid. Drafts are kept
/// under .nsi/drafts/; resume one with `nsi add --edit --from DRAFT`.
///
/// Examples:
///   nsi add --from new-entry.yaml
///   nsi add --title "Drone Flight Log" --force avon-and-somerset --category operational-technology ...
///   nsi add --edit
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
#[allow(
    clippy::struct_excessive_bools,
    reason = "independent command-line switches"
)]
pub struct Args {
    /// Read the entry from this YAML or JSON file (`-` for stdin).
    #[arg(long, value_name = "FILE")]
    pub from: Option<PathBuf>,
    /// Open the entry in $VISUAL / $EDITOR and check it on save.
    #[arg(long)]
    pub edit: bool,
    /// Write even when a very similar entry exists.
    #[arg(short, long)]
    pub yes: bool,
    /// The id (default: made from the title).
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,
    /// Short name of the solution.
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    /// The owning force's slug.
    #[arg(long, value_name = "SLUG")]
    pub force: Option<String>,
    /// A category slug (repeatable, one to three).
    #[arg(long = "category", value_name = "SLUG")]
    pub categories: Vec<String>,
    /// A keyword (repeatable).
    #[arg(long = "tag", value_name = "TEXT")]
    pub tags: Vec<String>,
    /// GDS phase: discovery, alpha, beta, live, retired.
    #[arg(long, value_name = "PHASE")]
    pub phase: Option<String>,
    /// One paragraph saying what it does and for whom.
    #[arg(long, value_name = "TEXT")]
    pub summary: Option<String>,
    /// The problem it addresses.
    #[arg(long, value_name = "TEXT")]
    pub problem: Option<String>,
    /// Longer description (Markdown).
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,
    /// Why it belongs in the index.
    #[arg(long, value_name = "TEXT")]
    pub rationale: Option<String>,
    /// Who may see it: policing (default) or public.
    #[arg(long, value_name = "VISIBILITY")]
    pub visibility: Option<String>,
    /// A technology it is built on (repeatable).
    #[arg(long = "stack", value_name = "TEXT")]
    pub stack: Vec<String>,
    /// Where it runs: cloud, on-premises, hybrid, saas.
    #[arg(long, value_name = "KIND")]
    pub deployment: Option<String>,
    /// Licence: an SPDX id, crown-copyright or proprietary.
    #[arg(long, value_name = "LICENCE")]
    pub licence: Option<String>,
    /// A skill needed, as ROLE:LEVEL (repeatable).
    #[arg(long = "skill", value_name = "ROLE:LEVEL")]
    pub skills: Vec<String>,
    /// A document, as TYPE:AVAILABILITY[:URL] (repeatable).
    #[arg(long = "doc", value_name = "TYPE:AVAILABILITY")]
    pub documents: Vec<String>,
    /// A contact, as "Name <email>" or "Name <email>, Role" (repeatable).
    #[arg(long = "contact", value_name = "CONTACT")]
    pub contacts: Vec<String>,
    /// Aftercare level: none, documentation-only, light-touch, chargeable.
    #[arg(long, value_name = "LEVEL")]
    pub aftercare: Option<String>,
    /// Whether it uses AI or machine learning: none, assists, decides (not given: not-stated,
    /// which `nsi validate` warns about until it is answered).
    #[arg(long, value_name = "USE")]
    pub ai: Option<String>,
}

impl Args {
    fn fields(&self) -> EntryFields {
        EntryFields {
            id: self.id.clone(),
            title: self.title.clone(),
            owner_force: self.force.clone(),
            categories: self.categories.clone(),
            tags: self.tags.clone(),
            phase: self.phase.clone(),
            summary: self.summary.clone(),
            problem_statement: self.problem.clone(),
            description: self.description.clone(),
            rationale: self.rationale.clone(),
            visibility: self.visibility.clone(),
            stack: self.stack.clone(),
            deployment: self.deployment.clone(),
            licence: self.licence.clone(),
            skills: self.skills.clone(),
            documents: self.documents.clone(),
            contacts: self.contacts.clone(),
            aftercare: self.aftercare.clone(),
            ai: self.ai.clone(),
        }
    }
}

/// Read `--from`: a file, or stdin for `-`.
fn read_input(from: &Path) -> Result<(String, PathBuf), CliError> {
    if from == Path::new("-") {
        let text = load::read_text_from(std::io::stdin())
            .map_err(|e| CliError::io(format!("cannot read stdin: {e}")))?;
        return Ok((text, PathBuf::from("<stdin>")));
    }
    let text = load::read_text(from)
        .map_err(|e| CliError::io(format!("cannot read {}: {e}", from.display())))?;
    Ok((text, from.to_path_buf()))
}

/// Each field `nsi add` has a flag for, by its JSON pointer, with the flag.
const FLAGS: [(&str, &str); 18] = [
    ("/id", "--id ID"),
    ("/title", "--title TEXT"),
    ("/owner_force", "--force SLUG"),
    ("/categories", "--category SLUG"),
    ("/tags", "--tag TEXT"),
    ("/phase", "--phase PHASE"),
    ("/summary", "--summary TEXT"),
    ("/problem_statement", "--problem TEXT"),
    ("/description", "--description TEXT"),
    ("/rationale", "--rationale TEXT"),
    ("/visibility", "--visibility VISIBILITY"),
    ("/technology/stack", "--stack TEXT"),
    ("/technology/deployment", "--deployment KIND"),
    ("/technology/licence", "--licence LICENCE"),
    ("/skills", "--skill ROLE:LEVEL"),
    ("/documentation", "--doc TYPE:AVAILABILITY"),
    ("/contacts", "--contact CONTACT"),
    ("/aftercare", "--aftercare LEVEL"),
];

/// Findings about an entry given by flags, each naming the flag that sets its field (the file
/// they point into is not written yet).
fn with_flags(found: &[Diagnostic]) -> Vec<Diagnostic> {
    found
        .iter()
        .map(|diagnostic| {
            let mut diagnostic = diagnostic.clone();
            // A missing field is reported at its parent.
            let pointer = diagnostic.missing.as_deref().unwrap_or(&diagnostic.pointer);
            let flag = FLAGS.iter().find(|(field, _)| {
                pointer == *field
                    || pointer
                        .strip_prefix(field)
                        .is_some_and(|rest| rest.starts_with('/'))
            });
            // `technology` as a whole is given by its three flags.
            let flag = flag.map(|(_, flag)| (*flag).to_owned()).or_else(|| {
                (pointer == "/technology").then(|| "--stack, --deployment and --licence".to_owned())
            });
            if let Some(flag) = flag {
                let said = format!("give it with {flag}");
                diagnostic.hint = Some(match diagnostic.hint.take() {
                    Some(hint) => format!("{said}. {hint}"),
                    None => said,
                });
            }
            diagnostic
        })
        .collect()
}

/// Entries already in the catalogue that resemble `value`, best first.
fn similar_to(ctx: &Context, value: &serde_json::Value) -> Vec<SimilarEntry> {
    ctx.catalogue()
        .map(|catalogue| catalogue.resembling(value))
        .unwrap_or_default()
}

/// Show similar entries on stderr.
pub fn print_similar(found: &[SimilarEntry]) {
    if found.is_empty() {
        return;
    }
    anstream::eprintln!("similar entries already in the catalogue:");
    for s in found {
        anstream::eprintln!(
            "  {:.2}  {}  {} ({})",
            s.score,
            s.id,
            terminal_safe(&s.title),
            s.owner_force
        );
    }
}

fn ask(question: &str) -> bool {
    anstream::eprint!("{question} [y/N] ");
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer).is_ok()
        && matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes")
}

/// Whether the entry may be written despite similar entries: yes when none is very close,
/// when `--yes` was given, or when the user says so on a terminal.
fn confirm_similar(found: &[SimilarEntry], yes: bool) -> Result<(), CliError> {
    let Some(close) = resemblance::same_solution(found) else {
        return Ok(());
    };
    if yes {
        return Ok(());
    }
    let on_terminal = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    if on_terminal
        && ask(&format!(
            "`{}` looks like the same solution (similarity {:.2}). Add this entry anyway?",
            close.id, close.score
        ))
    {
        return Ok(());
    }
    Err(CliError::findings(format!(
        "`{}` ({}) looks like the same solution (similarity {:.2}); nothing was written",
        close.id, close.path, close.score
    ))
    .with_hint(format!(
        "`nsi show {}` to compare; if yours is a different solution, add it with --yes",
        close.id
    )))
}

/// Write a checked entry and say where.
fn write(ctx: &Context, author: &Author, entry: &NewEntry) -> Result<(), CliError> {
    author.create(entry)?;
    output::print(&format!("{}\n", entry.display.display()))?;
    if !ctx.quiet() {
        print_review_gaps(ctx, entry);
    }
    Ok(())
}

/// Say which of the catalogue's minimum standards the new entry does not meet yet, as the
/// gatekeeper's review (`nsi review`) will judge it: valid is not the same as ready.
fn print_review_gaps(ctx: &Context, entry: &NewEntry) {
    // Best effort: the entry is written, and a notice must not turn that into a failure.
    let Ok(catalogue) = ctx.catalogue() else {
        return;
    };
    let standards = &catalogue.config().standards;
    let checklist = review::checklist(&entry.id, &entry.value, standards, ctx.today());
    for item in checklist.items.iter().filter(|item| !item.passed) {
        let what = match item.severity {
            Enforcement::Blocker => "review will block it until it has",
            Enforcement::Warning | Enforcement::Off => "review will ask for",
        };
        anstream::eprintln!(
            "note: {what} {}, found {}; edit {} before `nsi publish`",
            item.requirement,
            render::text::terminal_line(&item.detail),
            entry.display.display()
        );
    }
}

/// Run `nsi add`.
pub fn run(ctx: &Context, args: &Args) -> Result<ExitCode, CliError> {
    let author = ctx.catalogue()?.author(ctx.today())?;
    let flags = args.fields();
    let flag_value = flags.to_value()?;
    let nothing_given = args.from.is_none() && flags.is_empty();
    let on_terminal = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    if nothing_given && !args.edit && on_terminal {
        return run_guided(ctx, args, &author);
    }
    if args.edit || (nothing_given && std::io::stdin().is_terminal()) {
        return run_in_editor(ctx, args, &author, &flag_value);
    }
    if nothing_given {
        return Err(CliError::usage("nothing to add")
            .with_hint("give the entry with --from FILE (or - for stdin) or with flags")
            .with_hint("or run `nsi add --edit` to write it in your editor"));
    }
    let mut value = serde_json::Value::Object(serde_json::Map::new());
    if let Some(from) = &args.from {
        let (text, display) = read_input(from)?;
        match author.parse(author::strip_error_block(&text), &display) {
            Ok(parsed) => value = parsed,
            Err(found) => {
                diagnostics::eprint(&found);
                return Err(CliError::findings(format!(
                    "{} is not valid YAML or JSON; nothing was written",
                    display.display()
                )));
            }
        }
    }
    author::merge(&mut value, flag_value);
    let entry = author.prepare(value);
    diagnostics::eprint(&with_flags(&entry.diagnostics));
    if !entry.is_valid() {
        return Err(CliError::findings(format!(
            "the entry is not valid; nothing was written (findings refer to {} as it would be written)",
            entry.display.display()
        ))
        .with_hint("`nsi validate --explain CODE` explains a rule"));
    }
    let found = similar_to(ctx, &entry.value);
    if !ctx.quiet() {
        print_similar(&found);
    }
    confirm_similar(&found, args.yes)?;
    write(ctx, &author, &entry)?;
    if let Some(from) = &args.from {
        author::discard_if_draft(author.root(), from);
    }
    Ok(ExitCode::SUCCESS)
}

/// Plain `nsi add` on a terminal: the guided questions, then the entry shown, checked and
/// written. Entries like it are looked for as soon as the title and summary are known. Esc
/// hands what was answered to the editor; every other way out that does not write the entry
/// keeps the answers as a draft and says how to resume, so nothing typed is lost.
fn run_guided(ctx: &Context, args: &Args, author: &Author) -> Result<ExitCode, CliError> {
    // The very close entries the submitter has already said theirs is not: asked once each.
    let confirmed: std::cell::RefCell<Vec<String>> = std::cell::RefCell::new(Vec::new());
    let mut early = |partial: &serde_json::Value| {
        let found = similar_to(ctx, partial);
        if !ctx.quiet() {
            print_similar(&found);
        }
        let Some(close) = resemblance::same_solution(&found) else {
            return true;
        };
        if args.yes {
            return true;
        }
        let go_on = inquire::Confirm::new(&format!(
            "`{}` looks like the same solution (similarity {:.2}; `nsi show {}` in another \
             terminal to compare). Go on with this entry?",
            close.id, close.score, close.id
        ))
        .with_default(false)
        .prompt()
        .unwrap_or(false);
        if go_on {
            confirmed.borrow_mut().push(close.id.clone());
        }
        go_on
    };
    let value = match prompt::ask_entry(author.reference(), ctx.today(), &mut early) {
        Answers::Complete(value) => value,
        Answers::Cancelled(partial) => {
            anstream::eprintln!("finishing the entry in your editor (your answers are kept)");
            return run_in_editor(ctx, args, author, &partial);
        }
        Answers::Stopped(partial) => {
            return Err(keep_draft(
                author,
                &partial,
                CliError::findings("stopped before the entry was complete; nothing was added"),
            ));
        }
        Answers::Failed(partial, error) => return Err(keep_draft(author, &partial, error)),
    };
    let entry = author.prepare(value.clone());
    if !entry.is_valid() {
        diagnostics::eprint(&entry.diagnostics);
        anstream::eprintln!("the entry needs fixing: opening it in your editor");
        return run_in_editor(ctx, args, author, &value);
    }
    anstream::eprintln!("\n{}", render::text::terminal_safe(&entry.text));
    diagnostics::eprint(&entry.diagnostics);
    // With every answer given, other entries may come close that the title and summary
    // alone did not bring up: ask about those, not again about the ones already answered.
    let found: Vec<SimilarEntry> = similar_to(ctx, &entry.value)
        .into_iter()
        .filter(|s| !confirmed.borrow().contains(&s.id))
        .collect();
    if !ctx.quiet() {
        print_similar(&found);
    }
    confirm_similar(&found, args.yes).map_err(|error| keep_draft(author, &entry.value, error))?;
    let question = format!("Write {}?", entry.display.display());
    let write_it = inquire::Confirm::new(&question)
        .with_default(true)
        .prompt()
        .unwrap_or(false);
    if !write_it {
        return Err(keep_draft(
            author,
            &entry.value,
            CliError::findings("not written"),
        ));
    }
    write(ctx, author, &entry).map_err(|error| keep_draft(author, &entry.value, error))?;
    Ok(ExitCode::SUCCESS)
}

/// `error`, after keeping `value` as a draft, with where the draft is and how to resume: in
/// the editor, or — for an entry that is complete and valid — by writing it as it is.
fn keep_draft(author: &Author, value: &serde_json::Value, error: CliError) -> CliError {
    match author.keep_draft(value, chrono::Local::now().naive_local()) {
        Ok(draft) => {
            let draft = author::display_under(author.root(), &draft);
            let error = error.with_hint(format!("your answers are kept in {}", draft.display()));
            if author.prepare(value.clone()).is_valid() {
                error.with_hint(format!(
                    "write it as it is with `nsi add --from {0}`, or change it first with \
                     `nsi add --edit --from {0}`",
                    draft.display()
                ))
            } else {
                error.with_hint(format!(
                    "resume with `nsi add --edit --from {}`",
                    draft.display()
                ))
            }
        }
        Err(kept) => error.with_hint(format!("your answers could not be kept as a draft: {kept}")),
    }
}

/// `nsi add --edit`: the editor loop on a template, a file or the flags.
fn run_in_editor(
    ctx: &Context,
    args: &Args,
    author: &Author,
    flag_value: &serde_json::Value,
) -> Result<ExitCode, CliError> {
    let has_flags = flag_value.as_object().is_some_and(|m| !m.is_empty());
    let initial = match &args.from {
        Some(from) if !has_flags => read_input(from)?.0,
        Some(from) => {
            let (text, display) = read_input(from)?;
            let mut value = author
                .parse(author::strip_error_block(&text), &display)
                .map_err(|_| {
                    CliError::findings(format!("{} is not valid YAML or JSON", display.display()))
                })?;
            author::merge(&mut value, flag_value.clone());
            crate::catalogue::yaml::to_yaml(&value, &author.reference().schema)
        }
        None if has_flags => {
            crate::catalogue::yaml::to_yaml(flag_value, &author.reference().schema)
        }
        None => author.template(),
    };
    let draft = author::draft_path(
        author.root(),
        &author::draft_id(flag_value),
        chrono::Local::now().naive_local(),
    );
    let draft_display = author::display_under(author.root(), &draft);
    let outcome = editor::edit_until_valid(author.root(), &draft, &initial, |text| {
        match author.parse(text, &draft_display) {
            Err(found) => Check::Invalid(found),
            Ok(value) => {
                let entry = author.prepare(value);
                if entry.is_valid() {
                    Check::Valid(entry)
                } else {
                    Check::Invalid(entry.diagnostics)
                }
            }
        }
    })?;
    let resume = || {
        CliError::findings(format!("your draft is kept in {}", draft_display.display())).with_hint(
            format!(
                "resume with `nsi add --edit --from {}`",
                draft_display.display()
            ),
        )
    };
    let entry = match outcome {
        Outcome::Saved(entry) => entry,
        Outcome::Abandoned { reason, kept } => {
            anstream::eprintln!("nothing was added: {reason}");
            return if kept {
                Err(resume())
            } else {
                Ok(ExitCode::from(1))
            };
        }
    };
    diagnostics::eprint(&entry.diagnostics);
    let found = similar_to(ctx, &entry.value);
    if !ctx.quiet() {
        print_similar(&found);
    }
    if let Err(error) = confirm_similar(&found, args.yes).and_then(|()| write(ctx, author, &entry))
    {
        let kept = resume();
        return Err(CliError {
            hints: error.hints.into_iter().chain(kept.hints).collect(),
            message: format!("{}; {}", error.message, kept.message),
            kind: error.kind,
            causes: error.causes,
        });
    }
    author::discard_draft(&draft);
    if let Some(from) = &args.from {
        author::discard_if_draft(author.root(), from);
    }
    Ok(ExitCode::SUCCESS)
}
