//! Drafts: an entry begun and not yet written is kept under `.nsi/drafts/` (never through a
//! link), so that no answer of `nsi add` and no edit of `nsi edit` is ever lost; the editor
//! loop lists what is wrong at the top of a draft, between marks it removes again.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use serde_json::Value;

use super::{Author, AuthorError, field_name, slug};
use crate::catalogue::diagnostic::Diagnostic;
use crate::catalogue::entry::is_solution_id;
use crate::catalogue::{durable, load, private_files, yaml};

/// Where drafts are kept: `.nsi/drafts` under the catalogue root.
pub fn drafts_dir(root: &Path) -> PathBuf {
    root.join(load::NSI_DIR).join("drafts")
}

/// Lines the editor loop puts at the top of a draft to list its errors; removed before the
/// draft is read again.
pub const ERROR_MARK: &str = "# nsi|";

/// Text without the error block the editor loop adds at its top.
pub fn strip_error_block(text: &str) -> &str {
    let mut rest = text;
    while rest.starts_with(ERROR_MARK) {
        rest = rest.split_once('\n').map_or("", |(_, after)| after);
    }
    rest
}

/// The error block for a draft: what is wrong, one finding per line, as comments.
pub fn error_block(diagnostics: &[Diagnostic], draft: &Path) -> String {
    let mut block = String::new();
    let _ = writeln!(
        block,
        "{ERROR_MARK} Not saved yet: fix what is listed below, then save and close the editor."
    );
    let _ = writeln!(
        block,
        "{ERROR_MARK} To give up, close without saving; the draft stays in {}.",
        draft.display()
    );
    for d in diagnostics {
        let _ = writeln!(
            block,
            "{ERROR_MARK} {}[{}] {}: {}",
            d.severity,
            d.code,
            field_name(&d.pointer),
            one_line(&d.message)
        );
        if let Some(hint) = &d.hint {
            let _ = writeln!(block, "{ERROR_MARK}   help: {}", one_line(hint));
        }
    }
    block
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What a draft of `value` is named by: its id, else a slug of its title, else `new-entry`.
pub fn draft_id(value: &Value) -> String {
    match (
        value.get("id").and_then(Value::as_str),
        value.get("title").and_then(Value::as_str),
    ) {
        (Some(id), _) => id.to_owned(),
        (None, Some(title)) => slug(title),
        (None, None) => "new-entry".to_owned(),
    }
}

/// A new file for a draft of `id` under `<root>/.nsi/drafts/`, named by `now`.
pub fn draft_path(root: &Path, id: &str, now: NaiveDateTime) -> PathBuf {
    let dir = drafts_dir(root);
    let stamp = now.format("%Y%m%d-%H%M%S");
    let id = if is_solution_id(id) { id } else { "new-entry" };
    let first = dir.join(format!("{stamp}-{id}.yaml"));
    if !first.exists() {
        return first;
    }
    (2..100_000)
        .map(|n| dir.join(format!("{stamp}-{id}-{n}.yaml")))
        .find(|p| !p.exists())
        .unwrap_or(first)
}

/// Drafts larger than this are not read back (an entry is at most [`load::MAX_FILE_BYTES`];
/// a draft may hold comments besides).
pub const MAX_DRAFT_BYTES: u64 = 4 * load::MAX_FILE_BYTES;

/// Write a draft of the catalogue under `root` (creating the drafts folder, never through a
/// link: see [`private_files::create_dir`]), replacing an earlier version of it atomically: a
/// write that fails (a full disk) leaves the earlier version whole, and a link at the
/// draft's name is replaced, not followed.
pub fn write_draft(root: &Path, path: &Path, text: &str) -> Result<(), AuthorError> {
    let io = |source| AuthorError::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent() {
        private_files::create_dir(root, dir).map_err(io)?;
    }
    durable::replace(path, text.as_bytes(), None).map_err(io)
}

/// Read back a draft: a regular file, not a link, of at most [`MAX_DRAFT_BYTES`], in UTF-8.
pub fn read_draft(path: &Path) -> Result<String, AuthorError> {
    let io = |source| AuthorError::Io {
        path: path.to_path_buf(),
        source,
    };
    let bytes = private_files::read(path, MAX_DRAFT_BYTES).map_err(io)?;
    String::from_utf8(bytes).map_err(|_| {
        io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "the draft is not UTF-8; save it as UTF-8",
        ))
    })
}

impl Author {
    /// Keep `value` — an entry begun but not written — as a draft under `.nsi/drafts/`, in
    /// canonical form, named by its id or title and `now`; returns the draft's path. Every
    /// way out of `nsi add` that does not write the entry keeps one, so no answer is lost.
    pub fn keep_draft(&self, value: &Value, now: NaiveDateTime) -> Result<PathBuf, AuthorError> {
        let path = draft_path(&self.root, &draft_id(value), now);
        write_draft(
            &self.root,
            &path,
            &yaml::to_yaml(value, &self.reference().schema),
        )?;
        Ok(path)
    }
}

/// A draft is done with (its entry written, or nothing in it worth keeping): it is removed. A
/// draft already gone is no error, and one that cannot be removed is left, harmlessly.
pub fn discard_draft(path: &Path) {
    let _ = std::fs::remove_file(path);
}

/// A file an entry was resumed from (`nsi add --from`) is done with once the entry is written,
/// when it is one of the drafts of the catalogue under `root`: a file of the user's own, kept
/// anywhere else, is never removed.
pub fn discard_if_draft(root: &Path, from: &Path) {
    if let (Ok(from), Ok(drafts)) = (
        std::fs::canonicalize(from),
        std::fs::canonicalize(drafts_dir(root)),
    ) && from.starts_with(drafts)
    {
        discard_draft(&from);
    }
}
