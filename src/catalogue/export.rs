//! Exporting the whole catalogue for another audience: every entry read in parallel, then cut
//! down to what that audience may see. Rendering (JSON, CSV) is the command line's job.

use std::path::{Path, PathBuf};

use super::entry::{Classification, Entry, Visibility};
use super::load::LoadError;
use super::lookup::{self, LookupError};

/// The version of the export document's shape; raise it when a field changes meaning or goes.
pub const EXPORT_SCHEMA_VERSION: &str = "nsi-export/1";

/// What replaces a word holding an email address in a public export.
pub const EMAIL_REDACTED: &str = "[email removed]";

/// Who an export is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Audience {
    /// Forces and national bodies: every entry, in full.
    Policing,
    /// Industry and the public: public entries only, without contacts, email addresses or
    /// OFFICIAL-SENSITIVE document details.
    Public,
}

impl Audience {
    /// The audience's name, as written in an export.
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Policing => "policing",
            Audience::Public => "public",
        }
    }
}

/// A file that could not be read as an entry, and so is not in the export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedFile {
    /// The file, relative to the catalogue root.
    pub file: PathBuf,
    /// Why it could not be read.
    pub reason: String,
}

/// The entries an audience may see, sorted by id.
#[derive(Debug, Clone)]
pub struct Export {
    /// Who it is for.
    pub audience: Audience,
    /// The entries, already cut down for the audience, sorted by id.
    pub entries: Vec<Entry>,
    /// Files that could not be read (their entries are missing from the export).
    pub skipped: Vec<SkippedFile>,
}

/// Read every entry under `root` and keep what `audience` may see.
pub fn export(root: &Path, audience: Audience) -> Result<Export, LoadError> {
    let read = lookup::read_all(root)?;
    let mut entries = Vec::with_capacity(read.len());
    let mut skipped = Vec::new();
    for (file, result) in read {
        match result {
            Ok(entry) => entries.extend(for_audience(entry, audience)),
            Err(error) => skipped.push(SkippedFile {
                file: file.display,
                reason: reason(&error),
            }),
        }
    }
    entries.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(Export {
        audience,
        entries,
        skipped,
    })
}

fn reason(error: &LookupError) -> String {
    match error {
        LookupError::Invalid { diagnostics, .. } => diagnostics
            .first()
            .map_or_else(|| error.to_string(), |d| d.message.clone()),
        LookupError::NotFound { .. } => error.to_string(),
    }
}

/// The entry as `audience` may see it, or `None` when it may not see it at all.
pub fn for_audience(mut entry: Entry, audience: Audience) -> Option<Entry> {
    match audience {
        Audience::Policing => Some(entry),
        Audience::Public if entry.visibility != Visibility::Public => None,
        Audience::Public => {
            entry.contacts.clear();
            entry
                .documentation
                .retain(|doc| doc.classification != Classification::OfficialSensitive);
            // An address can hide in any free text (notes, a description): scrub every string.
            let mut value = serde_json::to_value(&entry).ok()?;
            scrub_emails(&mut value);
            serde_json::from_value(value).ok()
        }
    }
}

fn scrub_emails(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(text) if text.contains('@') => *text = without_emails(text),
        serde_json::Value::Array(items) => items.iter_mut().for_each(scrub_emails),
        serde_json::Value::Object(fields) => fields.values_mut().for_each(scrub_emails),
        _ => {}
    }
}

/// `text` with every word holding an `@` replaced by [`EMAIL_REDACTED`], spacing kept.
pub fn without_emails(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if word.contains('@') {
            out.push_str(EMAIL_REDACTED);
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_whitespace() {
            flush(&mut word, &mut out);
            out.push(c);
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_with_an_at_sign_are_removed_and_spacing_kept() {
        assert_eq!(
            without_emails("ask jo.bloggs@police.uk\tor @team now"),
            "ask [email removed]\tor [email removed] now"
        );
        assert_eq!(without_emails("no address here"), "no address here");
    }
}
