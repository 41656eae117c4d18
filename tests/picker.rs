//! The picker is behind a trait: a scripted picker stands in for skim here (the real one is
//! driven in tmux in `cli_search.rs`), to check what `nsi search -i` offers and does.

use std::cell::RefCell;
use std::path::PathBuf;
use std::process::ExitCode;

use nsi::cli::commands::search::{Args, run_with_picker};
use nsi::cli::context::Context;
use nsi::cli::error::CliError;
use nsi::cli::picker::{PickItem, Picker};
use nsi::cli::{ColorWhen, GlobalArgs};

/// Records what it was offered and chooses the item at `choose` (or gives up).
struct ScriptedPicker {
    choose: Option<usize>,
    offered: RefCell<Vec<(String, String, String)>>,
}

impl Picker for ScriptedPicker {
    fn pick(&self, items: Vec<PickItem>) -> Result<Option<String>, CliError> {
        *self.offered.borrow_mut() = items
            .iter()
            .map(|item| (item.id.clone(), item.line.clone(), (item.preview)(80)))
            .collect();
        Ok(self
            .choose
            .and_then(|i| items.get(i))
            .map(|item| item.id.clone()))
    }
}

fn global() -> GlobalArgs {
    GlobalArgs {
        catalogue: Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/search")),
        color: ColorWhen::Never,
        quiet: true,
        verbose: false,
        today: chrono::NaiveDate::from_ymd_opt(2026, 11, 28),
    }
}

fn interactive(query: &str) -> Args {
    Args {
        query: vec![query.to_owned()],
        categories: Vec::new(),
        forces: Vec::new(),
        regions: Vec::new(),
        phases: Vec::new(),
        technologies: Vec::new(),
        deployments: Vec::new(),
        roles: Vec::new(),
        levels: Vec::new(),
        visibilities: Vec::new(),
        has_docs: Vec::new(),
        adopted_by: Vec::new(),
        format: None,
        limit: None,
        explain: false,
        interactive: true,
    }
}

#[test]
fn the_picker_is_offered_every_hit_in_rank_order_with_a_show_preview() {
    let picker = ScriptedPicker {
        choose: Some(0),
        offered: RefCell::new(Vec::new()),
    };
    let code = run_with_picker(&Context::new(&global()), &interactive("redaction"), &picker)
        .expect("runs");
    assert_eq!(code, ExitCode::SUCCESS);
    let offered = picker.offered.borrow();
    assert!(offered.len() >= 2, "{offered:?}");
    let (id, line, preview) = &offered[0];
    assert!(line.contains(id.as_str()), "the line names the id: {line}");
    assert!(
        preview.contains("Skills needed to deploy") && preview.contains("Contacts"),
        "{preview}"
    );
    assert!(
        preview.lines().all(|l| l.chars().count() <= 80),
        "the preview fits its pane"
    );
}

#[test]
fn giving_up_in_the_picker_exits_1() {
    let picker = ScriptedPicker {
        choose: None,
        offered: RefCell::new(Vec::new()),
    };
    let code = run_with_picker(&Context::new(&global()), &interactive("redaction"), &picker)
        .expect("runs");
    assert_eq!(code, ExitCode::from(1));
}
