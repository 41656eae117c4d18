//! The change feed as Atom (RFC 4287): one item per entry changed by a commit, newest first,
//! linking to the entry's page in the exported site and saying which fields changed. Entry
//! text is untrusted: characters XML cannot carry are dropped and the rest escaped.

use std::fmt::Write as _;

use chrono::{DateTime, FixedOffset};

use super::diff::value_line;
use crate::catalogue::changes::ChangeRecord;
use crate::catalogue::diff::{Change, ChangeKind, EntryChange};
use crate::catalogue::export::Audience;

/// How to write the feed.
#[derive(Debug, Clone)]
pub struct FeedOptions<'a> {
    /// Who it is for: the public feed names no commit authors and shows no field values.
    pub audience: Audience,
    /// The site's address (e.g. `https://police.github.io/nsi/`); links are relative to the
    /// feed when absent.
    pub base_url: Option<&'a str>,
    /// When the feed was made (used when there are no changes).
    pub generated: DateTime<FixedOffset>,
    /// What the feed follows: the whole catalogue, one entry or one category.
    pub scope: FeedScope<'a>,
}

/// What a feed follows, which decides its title, its id and where it lives in the site.
#[derive(Debug, Clone, Copy)]
pub enum FeedScope<'a> {
    /// Every change: `changes.atom`.
    Catalogue,
    /// One entry's changes: `entries/<page>.atom`, beside its page.
    Entry {
        /// Its id.
        id: &'a str,
        /// Its title.
        title: &'a str,
        /// Its page's file name without `.html` (the id, or `entry-<n>`).
        page: &'a str,
    },
    /// The changes to the entries of one category: `categories/<slug>.atom`.
    Category {
        /// Its slug.
        slug: &'a str,
        /// Its name.
        name: &'a str,
    },
}

impl FeedScope<'_> {
    /// The feed's path in the site.
    pub fn path(&self) -> String {
        match self {
            FeedScope::Catalogue => "changes.atom".to_owned(),
            FeedScope::Entry { page, .. } => format!("entries/{page}.atom"),
            FeedScope::Category { slug, .. } => format!("categories/{slug}.atom"),
        }
    }

    /// The way back from the feed's folder to the site's.
    fn root(self) -> &'static str {
        match self {
            FeedScope::Catalogue => "",
            _ => "../",
        }
    }
}

/// Text for XML: characters XML 1.0 does not allow removed, markup escaped.
pub fn xml_text(text: &str) -> String {
    let allowed: String = text
        .chars()
        .filter(|c| {
            matches!(*c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
        })
        .collect();
    quick_xml::escape::escape(allowed.as_str()).into_owned()
}

fn verb(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Added => "Added",
        ChangeKind::Modified => "Updated",
        ChangeKind::Moved => "Moved",
        ChangeKind::Renamed => "Renamed",
        ChangeKind::Removed => "Removed",
    }
}

/// What changed, in one paragraph: field names for the public, with short values for policing.
pub fn describe(change: &EntryChange, audience: Audience) -> String {
    let mut text = match change.kind {
        ChangeKind::Added => "New entry.".to_owned(),
        ChangeKind::Removed => "The entry was removed from the index.".to_owned(),
        ChangeKind::Renamed => format!(
            "Renamed from {}.",
            change.old_id.as_deref().unwrap_or("another id")
        ),
        ChangeKind::Moved => "Moved to another force's folder.".to_owned(),
        ChangeKind::Modified => String::new(),
    };
    let fields: Vec<String> = change
        .fields
        .iter()
        .map(|field| {
            let name = &field.field;
            match (&field.change, audience) {
                (Change::Changed { old, new }, Audience::Policing) => {
                    format!("{name}: {} → {}", value_line(old), value_line(new))
                }
                (Change::Items { added, removed }, Audience::Policing) => {
                    let mut parts = Vec::new();
                    parts.extend(added.iter().map(|v| format!("+ {}", value_line(v))));
                    parts.extend(removed.iter().map(|v| format!("− {}", value_line(v))));
                    format!("{name}: {}", parts.join(", "))
                }
                (Change::Text { .. }, _) => format!("{name} reworded"),
                _ => name.clone(),
            }
        })
        .collect();
    if !fields.is_empty() {
        if !text.is_empty() {
            text.push(' ');
        }
        let _ = write!(text, "Changed: {}.", fields.join("; "));
    }
    text
}

/// The feed's own title, subtitle, id, page and generator, by what it follows.
fn feed_head(
    out: &mut String,
    scope: FeedScope<'_>,
    audience: Audience,
    updated: DateTime<FixedOffset>,
) {
    let audience = audience.as_str();
    let (title, subtitle, id, alternate) = match scope {
        FeedScope::Catalogue => (
            "National Solutions Index: changes".to_owned(),
            "Solutions added to and changed in the index, newest first.".to_owned(),
            format!("urn:nsi:changes:{audience}"),
            "index.html".to_owned(),
        ),
        FeedScope::Entry { id, title, page } => (
            format!("National Solutions Index: changes to {title}"),
            format!("Every change to {title} ({id}), newest first."),
            format!("urn:nsi:changes:{audience}:entry:{id}"),
            format!("{page}.html"),
        ),
        FeedScope::Category { slug, name } => (
            format!("National Solutions Index: changes in {name}"),
            format!("Solutions in the category {name} added and changed, newest first."),
            format!("urn:nsi:changes:{audience}:category:{slug}"),
            format!("{slug}.html"),
        ),
    };
    let _ = writeln!(
        out,
        "  <title>{}</title>\n  <subtitle>{}</subtitle>\n  <id>{}</id>\n  <updated>{}</updated>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n  <author><name>National Solutions Index</name></author>\n  <generator version=\"{}\">nsi</generator>",
        xml_text(&title),
        xml_text(&subtitle),
        xml_text(&id),
        updated.to_rfc3339(),
        xml_text(&alternate),
        env!("CARGO_PKG_VERSION")
    );
}

/// The feed.
pub fn feed(records: &[ChangeRecord], options: &FeedOptions<'_>) -> String {
    let base = options.base_url.map(|b| {
        if b.ends_with('/') {
            b.to_owned()
        } else {
            format!("{b}/")
        }
    });
    let updated = records
        .iter()
        .map(|r| r.commit.time)
        .max()
        .unwrap_or(options.generated);
    let scope = options.scope;
    let path = scope.path();
    let folder = path.rsplit_once('/').map_or("", |(folder, _)| folder);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    match &base {
        Some(base) => {
            // Links in the feed are relative to its own folder.
            let base = if folder.is_empty() {
                base.clone()
            } else {
                format!("{base}{folder}/")
            };
            let name = path.rsplit('/').next().unwrap_or(&path);
            let _ = writeln!(
                out,
                "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:base=\"{}\">",
                xml_text(&base)
            );
            let _ = writeln!(
                out,
                "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}{}\"/>",
                xml_text(&base),
                xml_text(name)
            );
        }
        None => out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"),
    }
    feed_head(&mut out, scope, options.audience, updated);
    let to_root = scope.root();
    for record in records {
        let change = &record.change;
        let title = if change.title.is_empty() {
            change.id.clone()
        } else {
            change.title.clone()
        };
        let link = if change.kind == ChangeKind::Removed {
            format!("{to_root}index.html")
        } else {
            format!("{to_root}entries/{}.html", change.id)
        };
        let author = match options.audience {
            Audience::Policing => record.commit.author.as_str(),
            Audience::Public => "National Solutions Index",
        };
        let _ = writeln!(
            out,
            "  <entry>\n    <title>{}: {}</title>\n    <id>urn:nsi:change:{}:{}</id>\n    <updated>{}</updated>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n    <author><name>{}</name></author>\n    <category term=\"{}\"/>\n    <summary>{}</summary>\n  </entry>",
            verb(change.kind),
            xml_text(&title),
            record.commit.id,
            xml_text(&change.id),
            record.commit.time.to_rfc3339(),
            xml_text(&link),
            xml_text(author),
            change.kind.as_str(),
            xml_text(&describe(change, options.audience)),
        );
    }
    out.push_str("</feed>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::xml_text;

    #[test]
    fn xml_text_escapes_markup_and_drops_what_xml_cannot_hold() {
        assert_eq!(
            xml_text("a <b> & \"c\" \u{1b}[31m\u{0}"),
            "a &lt;b&gt; &amp; &quot;c&quot; [31m"
        );
    }
}
