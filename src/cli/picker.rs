//! The interactive picker behind a small trait: skim in real use, a scripted picker in tests.

use std::borrow::Cow;
use std::io::IsTerminal as _;
use std::sync::Arc;

use skim::prelude::*;

use crate::cli::error::CliError;

/// Renders an item's preview for a pane `width` columns wide.
pub type Preview = Arc<dyn Fn(usize) -> String + Send + Sync>;

/// One choice: its id (what is printed when chosen), the line shown, and its preview.
#[derive(Clone)]
pub struct PickItem {
    /// Printed when chosen.
    pub id: String,
    /// Shown in the list and matched against what the user types.
    pub line: String,
    /// The preview pane's content.
    pub preview: Preview,
}

/// Something that lets the user choose one item.
pub trait Picker {
    /// The chosen id, or `None` when the user gave up (Esc, Ctrl-C).
    fn pick(&self, items: Vec<PickItem>) -> Result<Option<String>, CliError>;
}

/// The real picker: skim, drawn on the terminal.
pub struct SkimPicker;

struct SkimEntry(PickItem);

impl SkimItem for SkimEntry {
    fn text(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.0.line)
    }

    fn preview(&self, context: PreviewContext) -> ItemPreview {
        ItemPreview::AnsiText((self.0.preview)(context.width.saturating_sub(2)))
    }

    fn output(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.0.id)
    }
}

impl Picker for SkimPicker {
    fn pick(&self, items: Vec<PickItem>) -> Result<Option<String>, CliError> {
        if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
            return Err(CliError::usage("the interactive picker needs a terminal")
                .with_hint("run it in a terminal, or use --format ids|json for scripts"));
        }
        let options = SkimOptionsBuilder::default()
            .height("100%".to_owned())
            .preview(String::new())
            .preview_window("right:60%:wrap")
            .prompt("nsi> ".to_owned())
            .build()
            .map_err(|e| CliError::usage(format!("cannot start the picker: {e}")))?;
        let (sender, receiver): (SkimItemSender, SkimItemReceiver) = unbounded();
        let batch: Vec<Arc<dyn SkimItem>> = items
            .into_iter()
            .map(|item| Arc::new(SkimEntry(item)) as Arc<dyn SkimItem>)
            .collect();
        let _ = sender.send(batch);
        drop(sender);
        let output = Skim::run_with(options, Some(receiver))
            .map_err(|e| CliError::io(format!("the picker failed: {e}")))?;
        if output.is_abort {
            return Ok(None);
        }
        Ok(output
            .selected_items
            .first()
            .map(|item| item.item.output().into_owned()))
    }
}
