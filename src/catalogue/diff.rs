//! What changed in the catalogue between two revisions, entry by entry and field by field:
//! entries added, removed, moved to another force's folder or renamed (paired by content even
//! when the id changed), and for each modified entry every changed field — lists as items
//! added and removed, long text as a word diff. An entry's history is `history.rs`.

use std::collections::{HashMap, HashSet, VecDeque};
use std::hash::{Hash, Hasher};
use std::path::PathBuf;

use serde::Serialize;
use serde_json::Value;

use super::git::{CatalogueRepo, ChangedFile, FileVersion, GitError, Revision};
use super::yaml;

/// Text longer than this (in characters), or spanning lines, is compared word by word.
pub const LONG_TEXT: usize = 80;

/// Two entries on opposite sides of a change that agree on at least this share of their
/// fields are one entry renamed, not one removed and another added.
pub const SAME_ENTRY: f64 = 0.6;

/// What happened to an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// New in the head.
    Added,
    /// Gone from the head.
    Removed,
    /// Same file, different content.
    Modified,
    /// Same id, moved to another force's folder.
    Moved,
    /// A different id (and file) for the same entry.
    Renamed,
}

impl ChangeKind {
    /// The word for it.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Modified => "modified",
            ChangeKind::Moved => "moved",
            ChangeKind::Renamed => "renamed",
        }
    }
}

/// One run of words in a word diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WordRun {
    /// `equal`, `insert` or `delete`.
    pub op: WordOp,
    /// The words, with their spacing.
    pub text: String,
}

/// Whether a run of words is kept, inserted or deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WordOp {
    /// In both.
    Equal,
    /// Only in the new text.
    Insert,
    /// Only in the old text.
    Delete,
}

/// How one field changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    /// The field is new.
    Added {
        /// Its value.
        new: Value,
    },
    /// The field is gone.
    Removed {
        /// Its old value.
        old: Value,
    },
    /// A value replaced by another.
    Changed {
        /// Before.
        old: Value,
        /// After.
        new: Value,
    },
    /// Items added to and removed from a list (compared as a set).
    Items {
        /// New items.
        added: Vec<Value>,
        /// Items gone.
        removed: Vec<Value>,
    },
    /// Long text, compared word by word.
    Text {
        /// Before.
        old: String,
        /// After.
        new: String,
        /// The word diff.
        words: Vec<WordRun>,
    },
}

/// A changed field: where, and how.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    /// The field's path: `title`, `technology.stack`, `contacts[email=a@b].valid_until`. In
    /// an item's name, `\` and `]` are escaped with a backslash ([`escape_item_name`]).
    pub field: String,
    /// How it changed.
    #[serde(flatten)]
    pub change: Change,
}

/// An entry that differs between two revisions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntryChange {
    /// What happened.
    pub kind: ChangeKind,
    /// Its id (the new one when renamed; the old one when removed).
    pub id: String,
    /// The id it had, when renamed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_id: Option<String>,
    /// Its title (as in the head; as in the base when removed).
    pub title: String,
    /// Its file, relative to the catalogue root (the old file when removed).
    pub path: PathBuf,
    /// The file it was in, when moved or renamed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_path: Option<PathBuf>,
    /// Every changed field (empty when added or removed).
    pub fields: Vec<FieldChange>,
    /// Why one side could not be compared field by field (not YAML, unreadable).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unreadable: Option<String>,
    /// The entry as it was, when it could be read.
    #[serde(skip)]
    pub old: Option<Value>,
    /// The entry as it is, when it could be read.
    #[serde(skip)]
    pub new: Option<Value>,
    /// The new file's text, when it could be read.
    #[serde(skip)]
    pub new_text: Option<String>,
}

/// Everything that changed between two revisions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CatalogueDiff {
    /// The base, as named.
    pub base: String,
    /// The head, as named.
    pub head: String,
    /// The changed entries: added, moved, renamed, modified, removed; by id within each.
    pub entries: Vec<EntryChange>,
}

impl CatalogueDiff {
    /// How many entries changed in each way, in the order of [`ChangeKind`].
    pub fn counts(&self) -> Vec<(ChangeKind, usize)> {
        [
            ChangeKind::Added,
            ChangeKind::Modified,
            ChangeKind::Moved,
            ChangeKind::Renamed,
            ChangeKind::Removed,
        ]
        .into_iter()
        .map(|kind| (kind, self.entries.iter().filter(|e| e.kind == kind).count()))
        .filter(|(_, n)| *n > 0)
        .collect()
    }
}

/// The catalogue diff between `base` (a commit) and `head` (a commit or the working tree).
pub fn diff_revisions(
    repo: &CatalogueRepo,
    base: &Revision,
    head: &Revision,
) -> Result<CatalogueDiff, GitError> {
    let files = repo.changed_files(base, head)?;
    Ok(CatalogueDiff {
        base: base.label.clone(),
        head: head.label.clone(),
        entries: diff_files(files),
    })
}

/// A file's entry, parsed.
struct Snapshot {
    path: PathBuf,
    id: String,
    text: Option<String>,
    value: Result<Value, String>,
}

impl Snapshot {
    fn of(version: FileVersion) -> Self {
        let stem = version
            .path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (text, value) = match version.text {
            Ok(text) => {
                let value = yaml::parse_value(&text)
                    .filter(Value::is_object)
                    .ok_or_else(|| "it is not a valid YAML mapping".to_owned());
                (Some(text), value)
            }
            Err(reason) => (None, Err(reason)),
        };
        let id = value
            .as_ref()
            .ok()
            .and_then(|v| v.get("id"))
            .and_then(Value::as_str)
            .map_or(stem, str::to_owned);
        Snapshot {
            path: version.path,
            id,
            text,
            value,
        }
    }

    fn title(&self) -> String {
        self.value
            .as_ref()
            .ok()
            .and_then(|v| v.get("title"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    }
}

/// Field-level changes for a set of changed files, pairing removed and added files that hold
/// the same entry.
pub fn diff_files(files: Vec<ChangedFile>) -> Vec<EntryChange> {
    let mut removed = Vec::new();
    let mut added = Vec::new();
    let mut changes = Vec::new();
    for file in files {
        match (file.old, file.new) {
            (Some(old), Some(new)) if old.path == new.path => {
                changes.push(compare(Snapshot::of(old), Snapshot::of(new)));
            }
            (old, new) => {
                removed.extend(old.map(Snapshot::of));
                added.extend(new.map(Snapshot::of));
            }
        }
    }
    for (old, new) in pair(&mut removed, &mut added) {
        changes.push(compare(old, new));
    }
    changes.extend(added.into_iter().map(|side| lone(ChangeKind::Added, side)));
    changes.extend(
        removed
            .into_iter()
            .map(|side| lone(ChangeKind::Removed, side)),
    );
    changes.sort_by(|a, b| (order(a.kind), &a.id).cmp(&(order(b.kind), &b.id)));
    changes
}

/// Changes with the key they sort by: kind, id, and the file's place in the change.
type Keyed = Vec<((u8, String, usize), EntryChange)>;

/// The first `limit` changes that `keep` keeps (it may also cut a change down), in the order
/// of [`diff_files`]. When no file can be paired with another (a commit that only adds or only
/// removes entries, such as a bulk import), each change stands alone: they are worked out on
/// every core and only the first `limit` are kept, so a large commit's parsed entries are never
/// all held at once (the files' text is, as `files` holds it).
pub fn first_changes(
    files: Vec<ChangedFile>,
    limit: usize,
    keep: impl Fn(EntryChange) -> Option<EntryChange> + Sync,
) -> Vec<EntryChange> {
    use rayon::prelude::*;
    let unpaired = |file: &ChangedFile| match (&file.old, &file.new) {
        (Some(old), Some(new)) => old.path != new.path,
        _ => true,
    };
    let removes = files.iter().any(|f| unpaired(f) && f.old.is_some());
    let adds = files.iter().any(|f| unpaired(f) && f.new.is_some());
    if removes && adds {
        return diff_files(files)
            .into_iter()
            .filter_map(keep)
            .take(limit)
            .collect();
    }
    // `diff_files` sorts stably by kind and id, and the changes of one kind come from files
    // in file order (modified from the same path, added from new files, removed from old
    // ones): kind, id and the file's place give the same order.
    let trim = |mut kept: Keyed| {
        if kept.len() > limit {
            kept.select_nth_unstable_by(limit, |a, b| a.0.cmp(&b.0));
            kept.truncate(limit);
        }
        kept
    };
    let mut kept = files
        .into_par_iter()
        .enumerate()
        .filter_map(|(place, file)| {
            let change = match (file.old, file.new) {
                (Some(old), Some(new)) => compare(Snapshot::of(old), Snapshot::of(new)),
                (Some(old), None) => lone(ChangeKind::Removed, Snapshot::of(old)),
                (None, Some(new)) => lone(ChangeKind::Added, Snapshot::of(new)),
                (None, None) => return None,
            };
            let change = keep(change)?;
            Some(((order(change.kind), change.id.clone(), place), change))
        })
        .fold(Vec::new, |mut kept: Keyed, item| {
            kept.push(item);
            if kept.len() >= limit.max(1).saturating_mul(2) {
                kept = trim(kept);
            }
            kept
        })
        .reduce(Vec::new, |mut a, b| {
            a.extend(b);
            trim(a)
        });
    kept.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    kept.truncate(limit);
    kept.into_iter().map(|(_, change)| change).collect()
}

fn order(kind: ChangeKind) -> u8 {
    match kind {
        ChangeKind::Added => 0,
        ChangeKind::Moved => 1,
        ChangeKind::Renamed => 2,
        ChangeKind::Modified => 3,
        ChangeKind::Removed => 4,
    }
}

/// Take out of `removed` and `added` the pairs that are one entry: the same id first, then
/// the most alike by content (at least [`SAME_ENTRY`] of their fields equal).
fn pair(removed: &mut Vec<Snapshot>, added: &mut Vec<Snapshot>) -> Vec<(Snapshot, Snapshot)> {
    let mut candidates = Vec::new();
    for (r, old) in removed.iter().enumerate() {
        for (a, new) in added.iter().enumerate() {
            let score = if old.id == new.id {
                2.0
            } else {
                match (&old.value, &new.value) {
                    (Ok(old), Ok(new)) => likeness(old, new),
                    _ => 0.0,
                }
            };
            if score >= SAME_ENTRY {
                candidates.push((score, r, a));
            }
        }
    }
    candidates.sort_by(|x, y| y.0.total_cmp(&x.0).then((x.1, x.2).cmp(&(y.1, y.2))));
    let mut used_removed = vec![false; removed.len()];
    let mut used_added = vec![false; added.len()];
    let mut pairs = Vec::new();
    for (_, r, a) in candidates {
        if !used_removed[r] && !used_added[a] {
            used_removed[r] = true;
            used_added[a] = true;
            pairs.push((r, a));
        }
    }
    // Take the paired sides out, highest index first so the others stay where they are.
    let mut taken_removed: HashMap<usize, Snapshot> = HashMap::new();
    let mut taken_added: HashMap<usize, Snapshot> = HashMap::new();
    for index in (0..removed.len()).rev() {
        if used_removed[index] {
            taken_removed.insert(index, removed.remove(index));
        }
    }
    for index in (0..added.len()).rev() {
        if used_added[index] {
            taken_added.insert(index, added.remove(index));
        }
    }
    pairs
        .into_iter()
        .filter_map(|(r, a)| Some((taken_removed.remove(&r)?, taken_added.remove(&a)?)))
        .collect()
}

/// The share of fields (other than the id) two entries agree on.
#[allow(
    clippy::cast_precision_loss,
    reason = "an entry has a few dozen fields, far below f64's exact range"
)]
pub fn likeness(old: &Value, new: &Value) -> f64 {
    let (Some(old), Some(new)) = (old.as_object(), new.as_object()) else {
        return 0.0;
    };
    let mut keys: Vec<&String> = old.keys().chain(new.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.retain(|k| *k != "id");
    if keys.is_empty() {
        return 0.0;
    }
    let same = keys.iter().filter(|k| old.get(**k) == new.get(**k)).count();
    same as f64 / keys.len() as f64
}

fn lone(kind: ChangeKind, side: Snapshot) -> EntryChange {
    let title = side.title();
    let (value, unreadable) = match side.value {
        Ok(value) => (Some(value), None),
        Err(reason) => (None, Some(reason)),
    };
    let (old, new, new_text) = match kind {
        ChangeKind::Removed => (value, None, None),
        _ => (None, value, side.text),
    };
    EntryChange {
        kind,
        id: side.id,
        old_id: None,
        title,
        path: side.path,
        old_path: None,
        fields: Vec::new(),
        unreadable,
        old,
        new,
        new_text,
    }
}

fn compare(old: Snapshot, new: Snapshot) -> EntryChange {
    let kind = if old.path == new.path {
        ChangeKind::Modified
    } else if old.id == new.id {
        ChangeKind::Moved
    } else {
        ChangeKind::Renamed
    };
    let title = match new.title() {
        t if t.is_empty() => old.title(),
        t => t,
    };
    let (fields, unreadable) = match (&old.value, &new.value) {
        (Ok(a), Ok(b)) => (diff_values(a, b), None),
        (Err(reason), _) => (Vec::new(), Some(format!("the old version: {reason}"))),
        (_, Err(reason)) => (Vec::new(), Some(format!("the new version: {reason}"))),
    };
    EntryChange {
        kind,
        old_id: (kind == ChangeKind::Renamed).then(|| old.id.clone()),
        id: new.id,
        title,
        old_path: (kind != ChangeKind::Modified).then_some(old.path),
        path: new.path,
        fields,
        unreadable,
        old: old.value.ok(),
        new: new.value.ok(),
        new_text: new.text,
    }
}

/// Every changed field between two entries (as JSON), in the new entry's field order, then
/// fields only the old one had.
pub fn diff_values(old: &Value, new: &Value) -> Vec<FieldChange> {
    let mut out = Vec::new();
    diff_at("", old, new, &mut out);
    out
}

/// An item's name as it stands inside `[key=name]` in a field path: `\` and `]` escaped with
/// a backslash, so that a path reads one way only (`links[title=a\]b].url`).
pub fn escape_item_name(name: &str) -> String {
    name.replace('\\', "\\\\").replace(']', "\\]")
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn diff_at(path: &str, old: &Value, new: &Value, out: &mut Vec<FieldChange>) {
    if old == new {
        return;
    }
    let field = || {
        if path.is_empty() {
            "(entry)".to_owned()
        } else {
            path.to_owned()
        }
    };
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, new_value) in b {
                match a.get(key) {
                    Some(old_value) => diff_at(&join(path, key), old_value, new_value, out),
                    None => out.push(FieldChange {
                        field: join(path, key),
                        change: Change::Added {
                            new: new_value.clone(),
                        },
                    }),
                }
            }
            for (key, old_value) in a {
                if !b.contains_key(key) {
                    out.push(FieldChange {
                        field: join(path, key),
                        change: Change::Removed {
                            old: old_value.clone(),
                        },
                    });
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => diff_list(&field(), a, b, out),
        (Value::String(a), Value::String(b)) if is_long(a) || is_long(b) => out.push(FieldChange {
            field: field(),
            change: Change::Text {
                old: a.clone(),
                new: b.clone(),
                words: word_diff(a, b),
            },
        }),
        _ => out.push(FieldChange {
            field: field(),
            change: Change::Changed {
                old: old.clone(),
                new: new.clone(),
            },
        }),
    }
}

fn is_long(text: &str) -> bool {
    text.contains('\n') || text.chars().count() > LONG_TEXT
}

/// The keys that name an item in a list of mappings, tried in order: reference list items
/// by slug, contacts by email, documents by type, skills by role, adopters by force,
/// integrations by system, …
const ITEM_KEYS: &[&str] = &[
    "slug",
    "email",
    "type",
    "role",
    "force",
    "system",
    "title",
    "event",
    "description",
    "name",
];

/// The key that names every item on both sides uniquely, if one does.
fn item_key(a: &[Value], b: &[Value]) -> Option<&'static str> {
    ITEM_KEYS.iter().copied().find(|key| {
        [a, b].iter().all(|items| {
            let mut names: Vec<&str> = Vec::with_capacity(items.len());
            for item in *items {
                match item.get(*key).and_then(Value::as_str) {
                    Some(name) => names.push(name),
                    None => return false,
                }
            }
            names.sort_unstable();
            names.windows(2).all(|w| w[0] != w[1])
        })
    })
}

fn diff_list(path: &str, old: &[Value], new: &[Value], out: &mut Vec<FieldChange>) {
    let mappings = old.iter().chain(new).all(Value::is_object);
    if mappings && let Some(key) = item_key(old, new) {
        fn name<'v>(item: &'v Value, key: &str) -> &'v str {
            item.get(key).and_then(Value::as_str).unwrap_or_default()
        }
        // Names are unique on each side (that is what makes `key` the key): look them up
        // rather than search for them, so a list of 50,000 items costs 50,000 lookups.
        let old_by_name: HashMap<&str, &Value> = old.iter().map(|o| (name(o, key), o)).collect();
        let new_names: HashSet<&str> = new.iter().map(|n| name(n, key)).collect();
        let mut added = Vec::new();
        for item in new {
            match old_by_name.get(name(item, key)) {
                Some(before) => {
                    let label = format!("{path}[{key}={}]", escape_item_name(name(item, key)));
                    diff_at(&label, before, item, out);
                }
                None => added.push(item.clone()),
            }
        }
        let removed: Vec<Value> = old
            .iter()
            .filter(|o| !new_names.contains(name(o, key)))
            .cloned()
            .collect();
        if !added.is_empty() || !removed.is_empty() {
            out.push(FieldChange {
                field: path.to_owned(),
                change: Change::Items { added, removed },
            });
        }
        return;
    }
    let (added, removed) = multiset_difference(old, new);
    if !added.is_empty() || !removed.is_empty() {
        out.push(FieldChange {
            field: path.to_owned(),
            change: Change::Items { added, removed },
        });
    }
}

/// A hash of `value` that agrees with its equality: a mapping's keys are hashed in sorted
/// order, as two mappings with the same keys in another order are equal.
fn hash_value(value: &Value, state: &mut impl Hasher) {
    match value {
        Value::Null => 0_u8.hash(state),
        Value::Bool(b) => (1_u8, b).hash(state),
        Value::Number(n) => (2_u8, n.to_string()).hash(state),
        Value::String(s) => (3_u8, s).hash(state),
        Value::Array(items) => {
            (4_u8, items.len()).hash(state);
            for item in items {
                hash_value(item, state);
            }
        }
        Value::Object(map) => {
            (5_u8, map.len()).hash(state);
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_unstable();
            for key in keys {
                key.hash(state);
                hash_value(&map[key], state);
            }
        }
    }
}

fn value_hash(value: &Value) -> u64 {
    let mut state = std::hash::DefaultHasher::new();
    hash_value(value, &mut state);
    state.finish()
}

/// Items of `new` not matched in `old`, and items of `old` not matched in `new`, counting
/// repeats. Items are matched through a table of their hashes (a list of 100,000 changed
/// items would otherwise take 100,000² comparisons), and in order among equal ones.
fn multiset_difference(old: &[Value], new: &[Value]) -> (Vec<Value>, Vec<Value>) {
    let mut unmatched_old: HashMap<u64, VecDeque<usize>> = HashMap::new();
    for (i, item) in old.iter().enumerate() {
        unmatched_old
            .entry(value_hash(item))
            .or_default()
            .push_back(i);
    }
    let mut matched = vec![false; old.len()];
    let mut added = Vec::new();
    for item in new {
        let slot = unmatched_old
            .get_mut(&value_hash(item))
            .and_then(|candidates| {
                let at = candidates.iter().position(|&i| old[i] == *item)?;
                candidates.remove(at)
            });
        match slot {
            Some(i) => matched[i] = true,
            None => added.push(item.clone()),
        }
    }
    let removed = old
        .iter()
        .zip(matched)
        .filter(|(_, matched)| !matched)
        .map(|(item, _)| item.clone())
        .collect();
    (added, removed)
}

/// How long a word diff may look for the smallest diff before it settles for a coarser one.
const WORD_DIFF_TIMEOUT: std::time::Duration = std::time::Duration::from_millis(100);

/// A word diff of two texts: runs of equal, inserted and deleted words.
pub fn word_diff(old: &str, new: &str) -> Vec<WordRun> {
    // Myers' algorithm takes time with the product of the lengths when two long texts share
    // little: past the deadline it settles for a coarser diff (still a correct one).
    let diff = similar::TextDiff::configure()
        .timeout(WORD_DIFF_TIMEOUT)
        .diff_words(old, new);
    let mut runs: Vec<WordRun> = Vec::new();
    for change in diff.iter_all_changes() {
        let op = match change.tag() {
            similar::ChangeTag::Equal => WordOp::Equal,
            similar::ChangeTag::Insert => WordOp::Insert,
            similar::ChangeTag::Delete => WordOp::Delete,
        };
        match runs.last_mut() {
            Some(last) if last.op == op => last.text.push_str(change.value()),
            _ => runs.push(WordRun {
                op,
                text: change.value().to_owned(),
            }),
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A pull request that changes every item of long lists and a long text: compared in
    /// time that grows with the length, not its square (50,000 items took 50,000²/2
    /// comparisons; two long texts that share nothing, a Myers diff of 80,000² steps).
    #[test]
    fn long_lists_and_texts_are_compared_in_bounded_time() {
        let list = |word: &str| -> Vec<Value> {
            (0..50_000).map(|i| json!(format!("{word} {i}"))).collect()
        };
        let keyed = |word: &str| -> Vec<Value> {
            (0..20_000)
                .map(|i| json!({"system": format!("s{i}"), "method": word}))
                .collect()
        };
        let text = |word: &str| vec![word; 40_000].join(" ");
        let old =
            json!({"tags": list("old"), "integrations": keyed("api"), "description": text("old")});
        let new =
            json!({"tags": list("new"), "integrations": keyed("sftp"), "description": text("new")});
        let started = std::time::Instant::now();
        let changes = diff_values(&old, &new);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "took {:?}",
            started.elapsed()
        );
        let tags = changes.iter().find(|c| c.field == "tags").expect("tags");
        assert!(
            matches!(&tag_counts(&tags.change), Some((50_000, 50_000))),
            "{:?}",
            tag_counts(&tags.change)
        );
        assert_eq!(
            changes
                .iter()
                .filter(|c| c.field.starts_with("integrations[system="))
                .count(),
            20_000
        );
        assert!(changes.iter().any(|c| c.field == "description"));
    }

    fn tag_counts(change: &Change) -> Option<(usize, usize)> {
        match change {
            Change::Items { added, removed } => Some((added.len(), removed.len())),
            _ => None,
        }
    }

    #[test]
    fn repeated_and_reordered_items_are_matched_one_for_one() {
        let old = json!({"tags": ["a", "b", "a", {"x": 1, "y": 2}, 1]});
        let new = json!({"tags": ["a", {"y": 2, "x": 1}, "c", "b", 1.0]});
        let changes = diff_values(&old, &new);
        let Some(Change::Items { added, removed }) = changes.first().map(|c| &c.change) else {
            panic!("{changes:?}");
        };
        assert_eq!(added, &[json!("c"), json!(1.0)]);
        assert_eq!(removed, &[json!("a"), json!(1)]);
    }

    #[test]
    fn a_name_holding_brackets_or_backslashes_reads_one_way() {
        let old = json!({"contacts": [
            {"email": "a]b@x.example", "valid_until": "2026-01-01"},
            {"email": "c\\d@x.example", "valid_until": "2026-01-01"}]});
        let new = json!({"contacts": [
            {"email": "a]b@x.example", "valid_until": "2027-01-01"},
            {"email": "c\\d@x.example", "valid_until": "2027-01-01"}]});
        let fields: Vec<String> = diff_values(&old, &new)
            .into_iter()
            .map(|c| c.field)
            .collect();
        assert_eq!(
            fields,
            [
                "contacts[email=a\\]b@x.example].valid_until",
                "contacts[email=c\\\\d@x.example].valid_until"
            ]
        );
    }

    #[test]
    fn identical_entries_have_no_changes() {
        let entry = json!({"id": "a", "title": "T", "tags": ["x", "y"]});
        assert!(diff_values(&entry, &entry).is_empty());
    }

    #[test]
    fn scalar_list_and_nested_changes_are_named_by_path() {
        let old = json!({"title": "Old", "tags": ["x", "y"], "technology": {"stack": ["A"]},
            "contacts": [{"email": "a@x.example", "valid_until": "2026-01-01"}]});
        let new = json!({"title": "New", "tags": ["y", "z"], "technology": {"stack": ["A", "B"]},
            "contacts": [{"email": "a@x.example", "valid_until": "2027-01-01"}]});
        let changes = diff_values(&old, &new);
        let fields: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "title",
                "tags",
                "technology.stack",
                "contacts[email=a@x.example].valid_until"
            ]
        );
        assert_eq!(
            changes[1].change,
            Change::Items {
                added: vec![json!("z")],
                removed: vec![json!("x")]
            }
        );
    }

    #[test]
    fn long_text_gets_a_word_diff() {
        let old = "The tool redacts personal data from case files before they are shared with the CPS for charging decisions.";
        let new = "The tool redacts personal and sensitive data from case files before they are shared with the CPS for charging decisions.";
        let changes = diff_values(&json!({ "summary": old }), &json!({ "summary": new }));
        let Change::Text { words, .. } = &changes[0].change else {
            panic!("expected a word diff, got {changes:?}");
        };
        let inserted: String = words
            .iter()
            .filter(|w| w.op == WordOp::Insert)
            .map(|w| w.text.as_str())
            .collect();
        assert_eq!(inserted.trim(), "and sensitive");
        assert!(words.iter().all(|w| w.op != WordOp::Delete));
    }

    #[test]
    fn reordering_a_list_is_not_a_change() {
        let old = json!({"tags": ["a", "b", "c"]});
        let new = json!({"tags": ["c", "a", "b"]});
        assert!(diff_values(&old, &new).is_empty());
    }
}
