//! What an editor needs to help someone write an entry: which field the cursor is on, the
//! values that field takes (read from the reference lists and the schema, never listed here),
//! what the schema says about a field, and the obvious fixes for some findings.
//!
//! An entry being typed is often not valid YAML, so the cursor's field is found from the lines
//! themselves — indentation, `- ` items, `key:` and one-line flow collections (`- {role: x}`,
//! `[a, b]`) — as the canonical writer (`nsi fmt`) lays entries out, not from a parse.
//!
//! Positions are 1-based lines and columns counted in characters, as in [`Diagnostic`].

use std::fmt;
use std::path::PathBuf;

use serde_json::Value;

use super::diagnostic::{Diagnostic, Position};
use super::load::EntryFile;
use super::reference::Reference;
use super::suggest::nearest;
use super::validate::rules;

/// One step of a JSON pointer: a field name or a list index.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

fn pointer_of(steps: &[Step]) -> String {
    steps
        .iter()
        .map(|step| match step {
            Step::Key(key) => format!("/{}", super::yaml::escape_pointer_token(key)),
            Step::Index(index) => format!("/{index}"),
        })
        .collect()
}

/// The value being written at the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueAtCursor {
    /// The JSON pointer of the value, e.g. `/skills/0/role`.
    pub pointer: String,
    /// What is typed of it before the cursor (quotes left out).
    pub prefix: String,
    /// Where the value starts: what a completion replaces runs from here ...
    pub start: Position,
    /// ... to here (the end of the value as typed so far).
    pub end: Position,
    /// Whether a space must go before the value (the cursor is right after `key:`).
    pub needs_space: bool,
}

/// The field name under the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyAtCursor {
    /// The JSON pointer of the field, e.g. `/technology/deployment`.
    pub pointer: String,
    /// The field's name.
    pub key: String,
    /// Where the name starts.
    pub start: Position,
    /// Where it ends (exclusive).
    pub end: Position,
}

/// A value a field takes, for completion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// The value to write, e.g. `west-yorkshire`.
    pub value: String,
    /// Its human name, e.g. `West Yorkshire Police`; for a value of a schema enumeration
    /// (which has no name of its own), the field's description.
    pub detail: String,
    /// More about it, where the reference list says (what a category covers, a force's region).
    pub documentation: Option<String>,
    /// Whether it comes from a reference list, whose [`Choice::detail`] is then its name.
    pub named: bool,
}

/// How a person picks a choice from a list: `Kent Police (kent)` for a value of a reference
/// list, the value itself for one of a schema enumeration.
impl fmt::Display for Choice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.named {
            write!(f, "{} ({})", self.detail, self.value)
        } else {
            f.write_str(&self.value)
        }
    }
}

/// A change that fixes a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// What it does, e.g. ``Set `owner_force` to `kent` ``.
    pub title: String,
    /// The change.
    pub change: FixChange,
    /// Whether this is the fix to prefer when there are several.
    pub preferred: bool,
}

/// How a fix changes things.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FixChange {
    /// Replace the text from `start` to `end` (exclusive) with `text`.
    Replace {
        /// Start of the replaced text.
        start: Position,
        /// End of the replaced text (exclusive).
        end: Position,
        /// The new text.
        text: String,
    },
    /// Move the file to a new path.
    MoveFile {
        /// The new path.
        to: PathBuf,
    },
}

/// The block structure of one line: its `- ` markers, its `key:` and where its value starts,
/// all as 0-based character columns.
#[derive(Debug, Default)]
struct LineShape {
    /// Blank, or only a comment.
    empty: bool,
    /// Column of each `- ` item marker, outermost first.
    dashes: Vec<usize>,
    /// The key, its column, and the column of its `:`.
    key: Option<(usize, String, usize)>,
    /// Where the value starts (after the key's `: `, or after the last `- `).
    value: Option<usize>,
}

impl LineShape {
    fn of(chars: &[char]) -> Self {
        let mut at = chars.iter().take_while(|c| **c == ' ').count();
        if at == chars.len() || chars[at] == '#' {
            return LineShape {
                empty: true,
                ..LineShape::default()
            };
        }
        let mut shape = LineShape::default();
        while at < chars.len() && chars[at] == '-' && chars.get(at + 1).is_none_or(|c| *c == ' ') {
            shape.dashes.push(at);
            at += 1;
            at += chars[at..].iter().take_while(|c| **c == ' ').count();
        }
        let word = chars[at..]
            .iter()
            .take_while(|c| c.is_alphanumeric() || **c == '_' || **c == '-')
            .count();
        let colon = at + word;
        if word > 0
            && chars.get(colon) == Some(&':')
            && chars.get(colon + 1).is_none_or(|c| *c == ' ')
        {
            shape.key = Some((at, chars[at..colon].iter().collect(), colon));
            let after = colon + 1;
            shape.value = Some(after + chars[after..].iter().take_while(|c| **c == ' ').count());
        } else if !shape.dashes.is_empty() {
            shape.value = Some(at);
        }
        shape
    }

    /// The column of the first thing on the line.
    fn first(&self) -> Option<usize> {
        self.dashes
            .first()
            .copied()
            .or(self.key.as_ref().map(|k| k.0))
            .or(self.value)
    }
}

/// An entry's text split into lines of characters, with their shapes.
struct Lines {
    chars: Vec<Vec<char>>,
    shapes: Vec<LineShape>,
}

impl Lines {
    fn new(text: &str) -> Self {
        let chars: Vec<Vec<char>> = text
            .split('\n')
            .map(|line| line.trim_end_matches('\r').chars().collect())
            .collect();
        let shapes = chars.iter().map(|line| LineShape::of(line)).collect();
        Lines { chars, shapes }
    }

    /// The path of the node at `column` of line `line`: a `- ` item or a key there.
    fn path_to(&self, line: usize, column: usize) -> Vec<Step> {
        let shape = &self.shapes[line];
        let own = match &shape.key {
            Some((at, key, _)) if *at == column => Step::Key(key.clone()),
            _ => Step::Index(self.items_before(line, column)),
        };
        // An item marker further left on the same line holds this node.
        if let Some(&dash) = shape.dashes.iter().rev().find(|&&d| d < column) {
            let mut path = self.path_to(line, dash);
            path.push(own);
            return path;
        }
        for above in (0..line).rev() {
            let shape = &self.shapes[above];
            if shape.empty || shape.first().is_none_or(|first| first >= column) {
                continue;
            }
            let mut path = match &shape.key {
                Some((at, _, _)) if *at < column => self.path_to(above, *at),
                _ => match shape.dashes.iter().rev().find(|&&d| d < column) {
                    Some(&dash) => self.path_to(above, dash),
                    None => Vec::new(),
                },
            };
            path.push(own);
            return path;
        }
        vec![own]
    }

    /// How many items of the same list (markers at `column`) come before the one on `line`.
    fn items_before(&self, line: usize, column: usize) -> usize {
        let mut count = 0;
        for above in (0..line).rev() {
            let shape = &self.shapes[above];
            match shape.first() {
                _ if shape.empty => {}
                Some(first) if first < column => break,
                Some(first) if first == column && shape.dashes.first() == Some(&column) => {
                    count += 1;
                }
                _ => {}
            }
        }
        count
    }

    /// Whether `line` is inside a literal or folded block (`description: |`): its text is
    /// prose, not fields. Walks up through the lines that hold it, each less indented than the
    /// last, looking for a `|` or `>` value.
    fn in_block_scalar(&self, line: usize) -> bool {
        let mut indent = self.chars[line].iter().take_while(|c| **c == ' ').count();
        for above in (0..line).rev() {
            if indent == 0 {
                break;
            }
            let shape = &self.shapes[above];
            let Some(first) = shape.first().filter(|_| !shape.empty) else {
                continue;
            };
            if first < indent {
                if shape
                    .value
                    .and_then(|v| self.chars[above].get(v))
                    .is_some_and(|c| *c == '|' || *c == '>')
                {
                    return true;
                }
                indent = first;
            }
        }
        false
    }
}

/// A flow collection being read, innermost last.
enum Nesting {
    Mapping {
        key: Option<String>,
        key_start: usize,
    },
    Sequence {
        index: usize,
    },
}

/// Read a one-line flow collection from `from` up to `to` (exclusive) on `chars`: the path
/// inside it of what is at `to`, and where that value starts. `None` when `to` is on a key,
/// or the flow is broken.
fn flow_path(chars: &[char], from: usize, to: usize) -> Option<(Vec<Step>, usize)> {
    let mut nesting: Vec<Nesting> = Vec::new();
    let mut value_start = from;
    let mut at = from;
    while at < to {
        let c = chars[at];
        match c {
            '\'' | '"' => {
                // A quoted scalar: skip to its closing quote (or to the cursor).
                at += 1;
                while at < to && chars[at] != c {
                    at += 1;
                }
            }
            '{' => {
                nesting.push(Nesting::Mapping {
                    key: None,
                    key_start: at + 1,
                });
                value_start = at + 1;
            }
            '[' => {
                nesting.push(Nesting::Sequence { index: 0 });
                value_start = at + 1;
            }
            '}' | ']' => {
                nesting.pop();
            }
            ',' => {
                match nesting.last_mut()? {
                    Nesting::Sequence { index } => *index += 1,
                    Nesting::Mapping { key, key_start } => {
                        *key = None;
                        *key_start = at + 1;
                    }
                }
                value_start = at + 1;
            }
            ':' if chars.get(at + 1).is_none_or(|n| *n == ' ') || at + 1 == to => {
                if let Some(Nesting::Mapping { key, key_start }) = nesting.last_mut()
                    && key.is_none()
                {
                    *key = Some(
                        chars[*key_start..at]
                            .iter()
                            .collect::<String>()
                            .trim()
                            .to_owned(),
                    );
                    value_start = at + 1;
                }
            }
            _ => {}
        }
        at += 1;
    }
    let mut path = Vec::new();
    for frame in &nesting {
        match frame {
            Nesting::Mapping { key: Some(key), .. } => path.push(Step::Key(key.clone())),
            Nesting::Mapping { key: None, .. } => return None,
            Nesting::Sequence { index } => path.push(Step::Index(*index)),
        }
    }
    if nesting.is_empty() {
        return None;
    }
    while value_start < to && chars[value_start] == ' ' {
        value_start += 1;
    }
    Some((path, value_start))
}

/// The end of the value that starts at `start` on `chars`: a quoted scalar to its closing
/// quote, a plain one to the end of the line (without a comment or trailing spaces), or in a
/// flow collection to the next `,`, `}` or `]`.
fn value_end(chars: &[char], start: usize, in_flow: bool) -> usize {
    if let Some(&quote @ ('\'' | '"')) = chars.get(start) {
        return chars[start + 1..]
            .iter()
            .position(|c| *c == quote)
            .map_or(chars.len(), |i| start + i + 2);
    }
    let mut end = start;
    while end < chars.len() {
        let c = chars[end];
        if (in_flow && matches!(c, ',' | '}' | ']'))
            || (c == '#' && end > 0 && chars[end - 1] == ' ')
        {
            break;
        }
        end += 1;
    }
    while end > start && chars[end - 1] == ' ' {
        end -= 1;
    }
    end
}

fn to_position(line: usize, column: usize) -> Position {
    Position::new(line + 1, column + 1)
}

/// The value being written at `cursor` in `text`, when the cursor is on a value (not on a
/// key, in a comment, or in the prose of a `|` or `>` block).
pub fn value_at(text: &str, cursor: Position) -> Option<ValueAtCursor> {
    let lines = Lines::new(text);
    let line = cursor.line.checked_sub(1)?;
    let chars = lines.chars.get(line)?;
    let column = (cursor.column.checked_sub(1)?).min(chars.len());
    if lines.in_block_scalar(line) {
        return None;
    }
    let shape = &lines.shapes[line];
    let value_column = shape.value?;
    if chars[..column].iter().collect::<String>().contains(" #") {
        return None;
    }
    let (mut path, needs_space) = match &shape.key {
        Some((at, _, colon)) => {
            if column <= *colon {
                return None;
            }
            (
                lines.path_to(line, *at),
                column == colon + 1 && column == chars.len(),
            )
        }
        None => (lines.path_to(line, *shape.dashes.last()?), false),
    };
    let (start, in_flow) =
        if matches!(chars.get(value_column), Some('{' | '[')) && column > value_column {
            let (inner, start) = flow_path(chars, value_column, column)?;
            path.extend(inner);
            (start, true)
        } else if column < value_column {
            return None;
        } else {
            (value_column.min(column), false)
        };
    let end = value_end(chars, start, in_flow).max(column);
    let typed: String = chars[start..column].iter().collect();
    Some(ValueAtCursor {
        pointer: pointer_of(&path),
        prefix: typed.trim_start_matches(['\'', '"']).to_owned(),
        start: to_position(line, start),
        end: to_position(line, end),
        needs_space,
    })
}

/// The field name under `cursor`, in block (`key: value`) or flow (`{key: value}`) form.
pub fn key_at(text: &str, cursor: Position) -> Option<KeyAtCursor> {
    let lines = Lines::new(text);
    let line = cursor.line.checked_sub(1)?;
    let chars = lines.chars.get(line)?;
    let column = cursor.column.checked_sub(1)?;
    if lines.in_block_scalar(line) {
        return None;
    }
    let is_word = |c: &char| c.is_alphanumeric() || *c == '_' || *c == '-';
    let start = chars[..column.min(chars.len())]
        .iter()
        .rev()
        .take_while(|c| is_word(c))
        .count();
    let start = column.min(chars.len()) - start;
    let end = start + chars[start..].iter().take_while(|c| is_word(c)).count();
    if end == start || chars.get(end) != Some(&':') {
        return None;
    }
    let key: String = chars[start..end].iter().collect();
    let shape = &lines.shapes[line];
    let path = match &shape.key {
        Some((at, _, _)) if *at == start => lines.path_to(line, start),
        _ => {
            let value = value_at(text, Position::new(line + 1, end + 2))?;
            return Some(KeyAtCursor {
                pointer: value.pointer,
                key,
                start: to_position(line, start),
                end: to_position(line, end),
            });
        }
    };
    Some(KeyAtCursor {
        pointer: pointer_of(&path),
        key,
        start: to_position(line, start),
        end: to_position(line, end),
    })
}

/// The reference list a field's values come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Vocabulary {
    Forces,
    Categories,
    Standards,
    Roles,
    Documents,
}

/// Which fields take slugs from which reference list: the same fields the reference rules
/// (NSI204–NSI208) check. The lists themselves are read from `schema/reference/`.
const VOCABULARIES: &[(&str, Vocabulary)] = &[
    ("/owner_force", Vocabulary::Forces),
    ("/partner_forces/*", Vocabulary::Forces),
    ("/adopters/*/force", Vocabulary::Forces),
    ("/categories/*", Vocabulary::Categories),
    ("/standards/*", Vocabulary::Standards),
    ("/skills/*/role", Vocabulary::Roles),
    ("/documentation/*/type", Vocabulary::Documents),
];

/// `pointer` with list indices as `*`.
fn pattern_of(pointer: &str) -> String {
    pointer
        .split('/')
        .map(|part| {
            if !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()) {
                "*"
            } else {
                part
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn vocabulary_of(pointer: &str) -> Option<Vocabulary> {
    let pattern = pattern_of(pointer);
    VOCABULARIES
        .iter()
        .find(|(field, _)| *field == pattern)
        .map(|(_, vocabulary)| *vocabulary)
}

/// The schema node that describes the value at `pointer` (an entry's JSON pointer), following
/// `properties`, `items` and local `$ref`s. Each node is returned with the one its `$ref` leads
/// to, if any, since a node may hold its description beside a `$ref`.
fn schema_nodes<'a>(schema: &'a Value, pointer: &str) -> Option<Vec<&'a Value>> {
    let resolve = |node: &'a Value| -> Vec<&'a Value> {
        let mut chain = vec![node];
        let mut current = node;
        while let Some(target) = current
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| schema.pointer(r.trim_start_matches('#')))
        {
            chain.push(target);
            current = target;
            if chain.len() > 8 {
                break;
            }
        }
        chain
    };
    let mut nodes = resolve(schema);
    for part in pointer.split('/').skip(1) {
        let part = part.replace("~1", "/").replace("~0", "~");
        let next = nodes.iter().find_map(|node| {
            node.get("properties")
                .and_then(|p| p.get(&part))
                .or_else(|| part.parse::<usize>().ok().and_then(|_| node.get("items")))
        })?;
        nodes = resolve(next);
    }
    Some(nodes)
}

fn first_str<'a>(nodes: &[&'a Value], key: &str) -> Option<&'a str> {
    nodes
        .iter()
        .find_map(|node| node.get(key).and_then(Value::as_str))
}

/// What the schema says about the field at `pointer`: its `description`.
pub fn description(reference: &Reference, pointer: &str) -> Option<String> {
    let nodes = schema_nodes(&reference.schema, pointer)?;
    first_str(&nodes, "description").map(str::to_owned)
}

/// Every value the field at `pointer` takes, when the schema or a reference list limits them:
/// forces, categories, standards, roles and document types from `schema/reference/`, and the
/// schema's enumerations (phase, deployment, level, availability, classification, aftercare
/// level, adopter status, visibility, cost bands).
pub fn choices(reference: &Reference, pointer: &str) -> Vec<Choice> {
    let term = |slug: &str, name: &str, covers: Option<&String>| Choice {
        value: slug.to_owned(),
        detail: name.to_owned(),
        documentation: covers.cloned(),
        named: true,
    };
    match vocabulary_of(pointer) {
        Some(Vocabulary::Forces) => reference
            .forces
            .iter()
            .map(|force| Choice {
                value: force.slug.clone(),
                detail: force.name.clone(),
                documentation: Some(format!("region: {}", force.region)),
                named: true,
            })
            .collect(),
        Some(Vocabulary::Categories) => reference
            .categories
            .iter()
            .map(|t| term(&t.slug, &t.name, t.covers.as_ref()))
            .collect(),
        Some(Vocabulary::Standards) => reference
            .standards
            .iter()
            .map(|t| term(&t.slug, &t.name, t.covers.as_ref()))
            .collect(),
        Some(Vocabulary::Roles) => reference
            .roles
            .iter()
            .map(|t| term(&t.slug, &t.name, t.covers.as_ref()))
            .collect(),
        Some(Vocabulary::Documents) => reference
            .documents
            .iter()
            .map(|t| term(&t.slug, &t.name, t.covers.as_ref()))
            .collect(),
        None => {
            let Some(nodes) = schema_nodes(&reference.schema, pointer) else {
                return Vec::new();
            };
            let detail = first_str(&nodes, "description").unwrap_or_default();
            nodes
                .iter()
                .find_map(|node| node.get("enum").and_then(Value::as_array))
                .map(|values| {
                    values
                        .iter()
                        .filter_map(Value::as_str)
                        .map(|value| Choice {
                            value: value.to_owned(),
                            detail: detail.to_owned(),
                            documentation: None,
                            named: false,
                        })
                        .collect()
                })
                .unwrap_or_default()
        }
    }
}

/// The choices for the value at the cursor that match what is typed: those whose value or
/// name contains it (ignoring case), the ones that start with it first.
pub fn completions(reference: &Reference, value: &ValueAtCursor) -> Vec<Choice> {
    let typed = value.prefix.to_lowercase();
    let mut matching: Vec<(bool, Choice)> = choices(reference, &value.pointer)
        .into_iter()
        .filter(|c| {
            typed.is_empty()
                || c.value.to_lowercase().contains(&typed)
                || c.detail.to_lowercase().contains(&typed)
        })
        .map(|c| (!c.value.to_lowercase().starts_with(&typed), c))
        .collect();
    // Stable: within each group, the reference list's own order.
    matching.sort_by_key(|(later, _)| *later);
    matching.into_iter().map(|(_, c)| c).collect()
}

/// The name of a value from a reference list (`kent` → `Kent Police`), for hovering on it.
pub fn value_name(reference: &Reference, pointer: &str, value: &str) -> Option<String> {
    vocabulary_of(pointer)?;
    choices(reference, pointer)
        .into_iter()
        .find(|c| c.value == value)
        .map(|c| c.detail)
}

/// The extent of the node a finding points at, from its position: a key up to its `:`, a
/// quoted value to its closing quote, a flow item up to its `,`, `}` or `]`, otherwise the
/// value up to the end of the line (without a comment). At least one character.
pub fn extent(text: &str, at: Position) -> (Position, Position) {
    let line = at.line.saturating_sub(1);
    let Some(chars) = text
        .split('\n')
        .nth(line)
        .map(|l| l.trim_end_matches('\r').chars().collect::<Vec<char>>())
    else {
        return (at, at);
    };
    let start = at.column.saturating_sub(1).min(chars.len());
    let word = chars[start..]
        .iter()
        .take_while(|c| c.is_alphanumeric() || **c == '_' || **c == '-')
        .count();
    let end = if word > 0
        && chars.get(start + word) == Some(&':')
        && chars.get(start + word + 1).is_none_or(|c| *c == ' ')
    {
        start + word
    } else {
        let depth: i32 = chars[..start]
            .iter()
            .map(|c| match c {
                '{' | '[' => 1,
                '}' | ']' => -1,
                _ => 0,
            })
            .sum();
        value_end(&chars, start, depth > 0)
    };
    let end = if end > start {
        end
    } else {
        (start + 1).min(chars.len().max(start))
    };
    (to_position(line, start), to_position(line, end))
}

/// The text between two positions on one line.
fn text_between(text: &str, start: Position, end: Position) -> Option<String> {
    let line = text.split('\n').nth(start.line.checked_sub(1)?)?;
    Some(
        line.trim_end_matches('\r')
            .chars()
            .skip(start.column.saturating_sub(1))
            .take(end.column.saturating_sub(start.column))
            .collect(),
    )
}

fn unquoted(text: &str) -> &str {
    text.trim_matches(|c| c == '\'' || c == '"')
}

/// The obvious fixes for `diagnostic`, found in the entry `text` of `file`: set `owner_force`
/// to the folder or move the file to the owner's folder (NSI202); set `id` to the file name or
/// rename the file (NSI201); the nearest known value for an unknown force, category, standard,
/// role or document type (NSI204–NSI208) or a value not among the allowed ones (NSI104).
pub fn fixes(
    reference: &Reference,
    file: &EntryFile,
    text: &str,
    diagnostic: &Diagnostic,
) -> Vec<Fix> {
    let (start, end) = extent(text, diagnostic.position());
    let Some(current) = text_between(text, start, end) else {
        return Vec::new();
    };
    let current = unquoted(&current).to_owned();
    let replace = |title: String, value: &str, preferred: bool| Fix {
        title,
        change: FixChange::Replace {
            start,
            end,
            text: value.to_owned(),
        },
        preferred,
    };
    let is_slug = |s: &str| {
        !s.is_empty()
            && s.split('-').all(|w| {
                !w.is_empty()
                    && w.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            })
    };
    let mut fixes = Vec::new();
    match diagnostic.code {
        code if code == rules::OWNER_NOT_FOLDER.code => {
            let folder = file.folder();
            if reference.force(folder).is_some() {
                fixes.push(replace(
                    format!("Set `owner_force` to `{folder}` (the folder)"),
                    folder,
                    true,
                ));
            }
            if reference.force(&current).is_some()
                && let Some(forces) = file.path.parent().and_then(std::path::Path::parent)
                && let Some(name) = file.path.file_name()
            {
                fixes.push(Fix {
                    title: format!("Move the file to `catalogue/{current}/`"),
                    change: FixChange::MoveFile {
                        to: forces.join(&current).join(name),
                    },
                    preferred: false,
                });
            }
        }
        code if code == rules::ID_NOT_FILE_NAME.code => {
            let stem = file.stem();
            if is_slug(stem) {
                fixes.push(replace(
                    format!("Set `id` to `{stem}` (the file name)"),
                    stem,
                    false,
                ));
            }
            // Ids are permanent once published: renaming the file is the fix to prefer.
            if is_slug(&current) {
                fixes.push(Fix {
                    title: format!("Rename the file to `{current}.yaml`"),
                    change: FixChange::MoveFile {
                        to: file.path.with_file_name(format!("{current}.yaml")),
                    },
                    preferred: true,
                });
            }
        }
        code if [
            rules::UNKNOWN_FORCE.code,
            rules::UNKNOWN_CATEGORY.code,
            rules::UNKNOWN_STANDARD.code,
            rules::UNKNOWN_ROLE.code,
            rules::UNKNOWN_DOCUMENT_TYPE.code,
            rules::NOT_ALLOWED_VALUE.code,
        ]
        .contains(&code) =>
        {
            let known = choices(reference, &diagnostic.pointer);
            if let Some(near) = nearest(&current, known.iter().map(|c| c.value.as_str())) {
                fixes.push(replace(format!("Replace with `{near}`"), near, true));
            }
        }
        _ => {}
    }
    fixes
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cursor at the last `|` in `marked`, and the text without it.
    fn cursor(marked: &str) -> (String, Position) {
        let offset = marked.rfind('|').expect("a cursor mark");
        let before = &marked[..offset];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        (
            format!("{}{}", &marked[..offset], &marked[offset + 1..]),
            Position::new(line, column),
        )
    }

    fn value(marked: &str) -> Option<(String, String)> {
        let (text, at) = cursor(marked);
        value_at(&text, at).map(|v| (v.pointer, v.prefix))
    }

    #[allow(clippy::unnecessary_wraps, reason = "compared with value()'s answer")]
    fn pair(pointer: &str, prefix: &str) -> Option<(String, String)> {
        Some((pointer.to_owned(), prefix.to_owned()))
    }

    #[test]
    fn the_value_under_the_cursor_in_block_yaml() {
        assert_eq!(
            value("id: x\nowner_force: ke|\n"),
            pair("/owner_force", "ke")
        );
        assert_eq!(value("owner_force: |"), pair("/owner_force", ""));
        assert_eq!(
            value("categories:\n  - data-analytics\n  - pub|\nphase: live\n"),
            pair("/categories/1", "pub")
        );
        assert_eq!(
            value("technology:\n  stack:\n    - Python\n  deployment: c|\n"),
            pair("/technology/deployment", "c")
        );
        assert_eq!(
            value("skills:\n  - role: data\n    level: wo|\n  - role: x\n"),
            pair("/skills/0/level", "wo")
        );
        assert_eq!(
            value("skills:\n  - role: data\n    level: working\n  - role: so|\n"),
            pair("/skills/1/role", "so")
        );
        assert_eq!(
            value("documentation:\n  - type: dpia\n    availability: |\n"),
            pair("/documentation/0/availability", "")
        );
        assert_eq!(
            value("aftercare:\n  level: li|\n"),
            pair("/aftercare/level", "li")
        );
        assert_eq!(
            value("adopters:\n  - force: essex\n    status: p|\n"),
            pair("/adopters/0/status", "p")
        );
    }

    #[test]
    fn the_value_under_the_cursor_in_a_flow_collection() {
        assert_eq!(
            value("skills:\n  - {role: |}\n"),
            pair("/skills/0/role", "")
        );
        assert_eq!(
            value("skills:\n  - {role: data, level: pr|}\n"),
            pair("/skills/0/level", "pr")
        );
        assert_eq!(
            value("skills:\n  - {role: data}\n  - {role: so|, level: working}\n"),
            pair("/skills/1/role", "so")
        );
        assert_eq!(
            value("categories: [data-analytics, cr|]\n"),
            pair("/categories/1", "cr")
        );
        assert_eq!(
            value("aftercare: {level: |}\n"),
            pair("/aftercare/level", "")
        );
    }

    #[test]
    fn no_value_on_a_key_in_a_comment_or_in_prose() {
        assert_eq!(value("owner_fo|rce: kent\n"), None);
        assert_eq!(value("skills:\n  - {ro|le: data}\n"), None);
        assert_eq!(value("description: |\n  owner_force: ke|\n"), None);
        assert_eq!(value("phase: live # a co|mment\n"), None);
    }

    #[test]
    fn a_completion_replaces_the_whole_value_and_keeps_the_space_after_the_colon() {
        let (text, at) = cursor("owner_force: ke|nt\n");
        let value = value_at(&text, at).expect("a value");
        assert_eq!(
            (value.start, value.end),
            (Position::new(1, 14), Position::new(1, 18))
        );
        assert!(!value.needs_space);
        let (text, at) = cursor("owner_force:|");
        assert!(value_at(&text, at).expect("a value").needs_space);
    }

    #[test]
    fn keys_under_the_cursor() {
        let key = |marked: &str| {
            let (text, at) = cursor(marked);
            key_at(&text, at).map(|k| k.pointer)
        };
        assert_eq!(
            key("tech|nology:\n  stack: []\n"),
            Some("/technology".into())
        );
        assert_eq!(
            key("technology:\n  deploy|ment: cloud\n"),
            Some("/technology/deployment".into())
        );
        assert_eq!(
            key("skills:\n  - {role: data, le|vel: working}\n"),
            Some("/skills/0/level".into())
        );
        assert_eq!(
            key("skills:\n  - ro|le: data\n"),
            Some("/skills/0/role".into())
        );
        assert_eq!(key("phase: li|ve\n"), None);
    }

    #[test]
    fn choices_come_from_the_reference_lists_and_the_schema() {
        let reference = Reference::embedded();
        let forces = choices(&reference, "/adopters/3/force");
        assert_eq!(forces.len(), reference.forces.len());
        let kent = forces.iter().find(|c| c.value == "kent").expect("kent");
        assert_eq!(kent.detail, "Kent Police");
        let levels: Vec<String> = choices(&reference, "/skills/0/level")
            .into_iter()
            .map(|c| c.value)
            .collect();
        assert_eq!(levels, reference.schema_enum("/$defs/skill_level"));
        assert_eq!(
            choices(&reference, "/adopters/0/status")
                .iter()
                .map(|c| c.value.as_str())
                .collect::<Vec<_>>(),
            reference.schema_enum("/properties/adopters/items/properties/status")
        );
        assert!(choices(&reference, "/title").is_empty());
        for pointer in [
            "/owner_force",
            "/categories/0",
            "/standards/0",
            "/skills/0/role",
            "/documentation/0/type",
            "/documentation/0/availability",
            "/documentation/0/classification",
            "/phase",
            "/technology/deployment",
            "/visibility",
            "/aftercare/level",
            "/ai/use",
        ] {
            assert!(!choices(&reference, pointer).is_empty(), "{pointer}");
        }
        // How a person picks one: by name for a reference list, by value for an enumeration.
        assert_eq!(
            forces[0].to_string(),
            format!("{} ({})", forces[0].detail, forces[0].value)
        );
        assert_eq!(choices(&reference, "/phase")[0].to_string(), "discovery");
    }

    #[test]
    fn descriptions_follow_refs() {
        let reference = Reference::embedded();
        assert!(
            description(&reference, "/skills/0/level")
                .expect("a description")
                .starts_with("Skill level")
        );
        assert!(
            description(&reference, "/owner_force")
                .expect("a description")
                .contains("Must equal the catalogue folder")
        );
    }

    #[test]
    fn extents_of_keys_values_and_flow_items() {
        let text = "phase: livee # typo\nskills:\n  - {role: dat, level: working}\n";
        assert_eq!(
            extent(text, Position::new(1, 8)),
            (Position::new(1, 8), Position::new(1, 13))
        );
        assert_eq!(
            extent(text, Position::new(1, 1)),
            (Position::new(1, 1), Position::new(1, 6))
        );
        assert_eq!(
            extent(text, Position::new(3, 12)),
            (Position::new(3, 12), Position::new(3, 15))
        );
    }
}
