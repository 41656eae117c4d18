//! YAML to JSON with a position for every node, and with the parts of YAML that an entry never
//! needs refused: duplicate keys, anchors and aliases, tags, several documents, deep nesting,
//! raw control characters.
//!
//! Built on `saphyr-parser`'s event stream (pure Rust, YAML 1.2). Walking the events ourselves
//! gives exact spans for keys and values, lets us reject aliases before anything is expanded
//! (no alias bomb can grow), and bounds nesting without recursion. `canonical` reads the
//! subset nsi writes faster, `typed` reads it straight into types, and `write` is the one
//! writer of that canonical text.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::ops::ControlFlow;

use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};
use serde_json::{Map, Number, Value};

use super::diagnostic::{Diagnostic, MAX_FINDINGS_PER_RULE, Position, counting_more};
use super::validate::rules::{self, Rule};

pub mod canonical;
mod syntax;
mod typed;
pub mod write;

pub use write::to_yaml;

pub use typed::from_canonical;

/// Nesting deeper than this is refused. An entry needs four levels.
pub const MAX_DEPTH: usize = 64;

/// A problem found while reading YAML: which rule, where, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlProblem {
    /// The rule broken.
    pub rule: &'static Rule,
    /// Where in the file.
    pub position: Position,
    /// JSON pointer of the node, where one is known.
    pub pointer: String,
    /// What is wrong.
    pub message: String,
    /// How many more problems of the same rule this one stands for: past
    /// [`MAX_FINDINGS_PER_RULE`] they are counted, not kept (its message says so).
    pub suppressed: usize,
}

impl YamlProblem {
    /// The problem as a finding in `file`.
    pub fn to_diagnostic(&self, file: &std::path::Path) -> Diagnostic {
        let mut diagnostic = Diagnostic::new(self.rule, file, self.position, self.message.clone())
            .at_pointer(self.pointer.clone());
        diagnostic.suppressed = self.suppressed;
        diagnostic
    }
}

/// Where each node of a parsed document came from.
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    values: HashMap<String, Position>,
    keys: HashMap<String, Position>,
    /// The source text of plain scalars that YAML read as numbers or booleans.
    raw_scalars: HashMap<String, String>,
}

impl SourceMap {
    /// Position of the value at `pointer`, or of its nearest ancestor that has one.
    pub fn value(&self, pointer: &str) -> Position {
        let mut current = pointer;
        loop {
            if let Some(position) = self.values.get(current) {
                return *position;
            }
            match current.rfind('/') {
                Some(cut) => current = &current[..cut],
                None => return Position::START,
            }
        }
    }

    /// Position of the key that introduces `pointer`, falling back to its value.
    pub fn key(&self, pointer: &str) -> Position {
        self.keys
            .get(pointer)
            .copied()
            .unwrap_or_else(|| self.value(pointer))
    }

    /// The source text of the scalar at `pointer` when YAML read it as a number or boolean
    /// (`1.10` reads as the number 1.1; the text keeps the trailing zero).
    pub fn raw_scalar(&self, pointer: &str) -> Option<&str> {
        self.raw_scalars.get(pointer).map(String::as_str)
    }
}

/// The result of reading one YAML document.
#[derive(Debug, Default)]
pub struct ParsedYaml {
    /// The document as JSON; `None` when the file is empty or could not be parsed at all.
    pub value: Option<Value>,
    /// Positions of every key and value.
    pub source_map: SourceMap,
    /// Everything wrong with the YAML itself, in file order: at most
    /// [`MAX_FINDINGS_PER_RULE`] of a rule, then one that counts the rest.
    pub problems: Vec<YamlProblem>,
    /// The pointer of every node with a problem (all of them, counted or not): findings about
    /// these nodes, or inside them, would only repeat the problem.
    pub reported: HashSet<String>,
}

/// Escape one JSON-pointer reference token (`~` → `~0`, `/` → `~1`).
pub fn escape_pointer_token(token: &str) -> Cow<'_, str> {
    if token.contains(['~', '/']) {
        Cow::Owned(token.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(token)
    }
}

fn position_of(span: &Span) -> Position {
    Position::new(span.start.line(), span.start.col() + 1)
}

/// A tag as the user wrote it: `!!str` rather than `tag:yaml.org,2002:str`.
fn tag_text(tag: &Tag) -> String {
    if tag.handle == "tag:yaml.org,2002:" {
        format!("!!{}", tag.suffix)
    } else {
        format!("{}{}", tag.handle, tag.suffix)
    }
}

/// The key a mapping is waiting to receive a value for.
enum PendingKey {
    /// A usable key: its value is stored under it.
    Named(String),
    /// A duplicate, alias or complex key (already reported): its value is skipped.
    Discarded,
}

/// A container being built, with the pointer it lives at.
enum Frame {
    Sequence {
        pointer: String,
        items: Vec<Value>,
    },
    Mapping {
        pointer: String,
        map: Map<String, Value>,
        pending_key: Option<PendingKey>,
    },
}

impl Frame {
    fn pointer(&self) -> &str {
        match self {
            Frame::Sequence { pointer, .. } | Frame::Mapping { pointer, .. } => pointer,
        }
    }
}

struct Builder<'a> {
    stack: Vec<Frame>,
    root: Option<Value>,
    documents: usize,
    result: ParsedYaml,
    /// How many open collections are being skipped (the content of a discarded node).
    skip_depth: usize,
    /// Record pointers and positions (for diagnostics). Off when only the value is wanted.
    track: bool,
    /// Record the positions of values only at these pointers (every key's is recorded):
    /// `None` records them all. A value's position costs a pointer and a map entry, which
    /// for a file of 100,000 list items is far more than the file.
    only: Option<&'a HashSet<String>>,
    /// Per rule: how many problems were found, and where in `result.problems` the one that
    /// counts those past the limit is.
    per_rule: HashMap<&'static str, (usize, usize)>,
}

impl<'a> Builder<'a> {
    fn new(track: bool, only: Option<&'a HashSet<String>>) -> Self {
        Builder {
            stack: Vec::new(),
            root: None,
            documents: 0,
            result: ParsedYaml::default(),
            skip_depth: 0,
            track,
            only,
            per_rule: HashMap::new(),
        }
    }

    /// Record a problem. Past [`MAX_FINDINGS_PER_RULE`] of a rule, problems are only counted:
    /// one line of 80,000 aliases costs a number, not 80,000 findings.
    fn problem(&mut self, rule: &'static Rule, position: Position, pointer: &str, message: String) {
        if !pointer.is_empty() && !self.result.reported.contains(pointer) {
            self.result.reported.insert(pointer.to_owned());
        }
        let (found, counter) = self.per_rule.entry(rule.code).or_default();
        *found += 1;
        if *found > MAX_FINDINGS_PER_RULE + 1 {
            if let Some(counting) = self.result.problems.get_mut(*counter) {
                counting.suppressed += 1;
            }
            return;
        }
        *counter = self.result.problems.len();
        self.result.problems.push(YamlProblem {
            rule,
            position,
            pointer: pointer.to_owned(),
            message,
            suppressed: 0,
        });
    }

    /// The pointer the next value will be stored at.
    fn child_pointer(&self) -> String {
        if !self.track {
            return String::new();
        }
        match self.stack.last() {
            None => String::new(),
            Some(Frame::Sequence { pointer, items }) => format!("{pointer}/{}", items.len()),
            Some(Frame::Mapping {
                pointer,
                pending_key,
                ..
            }) => match pending_key {
                Some(PendingKey::Named(key)) => format!("{pointer}/{}", escape_pointer_token(key)),
                _ => pointer.clone(),
            },
        }
    }

    /// Whether the next node is a mapping key (rather than a value).
    fn expecting_key(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame::Mapping {
                pending_key: None,
                ..
            })
        )
    }

    /// Whether the next node is the value of a discarded key.
    fn discarding_value(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame::Mapping {
                pending_key: Some(PendingKey::Discarded),
                ..
            })
        )
    }

    fn set_pending(&mut self, key: Option<PendingKey>) {
        if let Some(Frame::Mapping { pending_key, .. }) = self.stack.last_mut() {
            *pending_key = key;
        }
    }

    fn check_anchor_and_tag(
        &mut self,
        anchor: usize,
        tag: Option<&Tag>,
        position: Position,
        pointer: &str,
    ) {
        if anchor != 0 {
            let message = "anchors (`&name`) are not allowed in an entry";
            self.problem(&rules::ANCHOR_OR_ALIAS, position, pointer, message.into());
        }
        if let Some(tag) = tag {
            let message = format!("the tag `{}` is not allowed in an entry", tag_text(tag));
            self.problem(&rules::CUSTOM_TAG, position, pointer, message);
        }
    }

    /// Store a finished value at the current place in the tree.
    fn attach(&mut self, value: Value, pointer: &str, position: Position) {
        match self.stack.last_mut() {
            None => self.root = Some(value),
            Some(Frame::Sequence { items, .. }) => items.push(value),
            Some(Frame::Mapping {
                map, pending_key, ..
            }) => {
                if let Some(PendingKey::Named(key)) = pending_key.take() {
                    map.insert(key, value);
                }
            }
        }
        self.note_value(pointer, position);
    }

    /// Whether the position of the value at `pointer` is wanted.
    fn wanted(&self, pointer: &str) -> bool {
        self.track && self.only.is_none_or(|only| only.contains(pointer))
    }

    /// Where the value at `pointer` starts (the first place given wins), when tracking.
    fn note_value(&mut self, pointer: &str, position: Position) {
        if self.wanted(pointer) {
            self.result
                .source_map
                .values
                .entry(pointer.to_owned())
                .or_insert(position);
        }
    }

    fn on_key(&mut self, key: &str, position: Position) {
        let Some(Frame::Mapping {
            pointer,
            map,
            pending_key,
        }) = self.stack.last_mut()
        else {
            return;
        };
        let key_pointer = if self.track {
            format!("{pointer}/{}", escape_pointer_token(key))
        } else {
            String::new()
        };
        if map.contains_key(key) {
            *pending_key = Some(PendingKey::Discarded);
            let first = self.result.source_map.keys.get(&key_pointer).copied();
            let message = match first {
                Some(first) => format!("the key `{key}` is already defined at line {}", first.line),
                None => format!("the key `{key}` is already defined"),
            };
            self.problem(&rules::DUPLICATE_KEY, position, &key_pointer, message);
        } else {
            // Reserve the key now so that a repeat is caught even before its value is complete.
            map.insert(key.to_owned(), Value::Null);
            *pending_key = Some(PendingKey::Named(key.to_owned()));
            if self.track {
                self.result
                    .source_map
                    .keys
                    .entry(key_pointer)
                    .or_insert(position);
            }
        }
    }
}

/// Whether `byte` is a C0 control character other than tab, line feed and carriage return:
/// YAML allows none anywhere, not even inside quotes (it allows DEL and C1 controls there).
fn is_forbidden_control(byte: u8) -> bool {
    byte < 0x20 && !matches!(byte, b'\t' | b'\n' | b'\r')
}

/// What a plain scalar means under the YAML 1.2 core schema.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Plain {
    Null,
    Bool(bool),
    Int(i64),
    /// A finite float (JSON has no infinities).
    Float(f64),
    /// Text.
    Text,
}

impl Plain {
    fn of(text: &str) -> Self {
        match text {
            "" | "~" | "null" | "Null" | "NULL" => return Plain::Null,
            "true" | "True" | "TRUE" => return Plain::Bool(true),
            "false" | "False" | "FALSE" => return Plain::Bool(false),
            _ => {}
        }
        let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
        if !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
            && let Ok(n) = text.parse::<i64>()
        {
            return Plain::Int(n);
        }
        if let Some(hex) = text.strip_prefix("0x")
            && let Ok(n) = i64::from_str_radix(hex, 16)
        {
            return Plain::Int(n);
        }
        if let Some(octal) = text.strip_prefix("0o")
            && let Ok(n) = i64::from_str_radix(octal, 8)
        {
            return Plain::Int(n);
        }
        if looks_like_float(text)
            && let Ok(n) = text.parse::<f64>()
            && n.is_finite()
        {
            return Plain::Float(n);
        }
        Plain::Text
    }
}

/// Resolve a plain scalar under the YAML 1.2 core schema. Quoted and block scalars are strings.
fn resolve_plain(text: &str) -> Value {
    match Plain::of(text) {
        Plain::Null => Value::Null,
        Plain::Bool(b) => Value::Bool(b),
        Plain::Int(n) => Value::Number(n.into()),
        Plain::Float(n) => {
            Number::from_f64(n).map_or_else(|| Value::String(text.to_owned()), Value::Number)
        }
        Plain::Text => Value::String(text.to_owned()),
    }
}

/// `[-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?` from the YAML 1.2 core schema.
fn looks_like_float(text: &str) -> bool {
    let bytes = text.strip_prefix(['-', '+']).unwrap_or(text).as_bytes();
    let mut i = 0;
    let int_digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    i += int_digits;
    let mut frac_digits = 0;
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        i += frac_digits;
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let exp_digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        if exp_digits == 0 {
            return false;
        }
        i += exp_digits;
    }
    i == bytes.len()
}

/// Parse `text` as a single YAML document into JSON, recording positions and problems.
///
/// Never panics and never expands an alias; nesting beyond [`MAX_DEPTH`] stops the parse.
pub fn parse(text: &str) -> ParsedYaml {
    parse_with(text, true, None)
}

/// [`parse`], recording the positions of values (and raw scalars) only at the pointers of
/// `wanted`, and at no others; every key's position is still recorded. Put the ancestors of a
/// pointer in `wanted` too ([`with_ancestors`]), as a finding about a node that is not there
/// is placed at its nearest ancestor.
#[allow(
    clippy::implicit_hasher,
    reason = "the sets come from `with_ancestors`, with the standard hasher"
)]
pub fn parse_for(text: &str, wanted: &HashSet<String>) -> ParsedYaml {
    parse_with(text, true, Some(wanted))
}

/// `pointers` and every ancestor of each (`/a/b` gives `/a/b`, `/a` and the root, `""`).
pub fn with_ancestors<'p>(pointers: impl IntoIterator<Item = &'p str>) -> HashSet<String> {
    let mut out = HashSet::new();
    out.insert(String::new());
    for pointer in pointers {
        let mut current = pointer;
        while !out.contains(current) {
            out.insert(current.to_owned());
            match current.rfind('/') {
                Some(cut) => current = &current[..cut],
                None => break,
            }
        }
    }
    out
}

/// The document as JSON when it has no YAML problem at all, without recording positions:
/// about twice as fast as [`parse`], for readers that only want entries that are well-formed.
pub fn parse_value(text: &str) -> Option<Value> {
    let parsed = parse_with(text, false, None);
    if parsed.problems.is_empty() {
        parsed.value
    } else {
        None
    }
}

fn parse_with(text: &str, track: bool, only: Option<&HashSet<String>>) -> ParsedYaml {
    let mut builder = Builder::new(track, only);
    // YAML never allows a raw C0 control character (a double-quoted escape stands for one).
    // The parser lets some through, which other YAML readers then refuse.
    if let Some(offset) = text.bytes().position(is_forbidden_control) {
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let position = Position::new(
            before.matches('\n').count() + 1,
            before[line_start..].chars().count() + 1,
        );
        let code = text.as_bytes()[offset];
        let message = format!(
            "the control character U+{code:04X} is not allowed in YAML (nor in entry text); \
             remove it"
        );
        builder.problem(&rules::YAML_SYNTAX, position, "", message);
        return finish(builder);
    }
    // Nearly every entry is written in the subset of YAML the canonical reader handles, about
    // ten times faster; it produces the same events, so the builder cannot tell the readers apart.
    if let Some(events) = canonical::events(text) {
        for (event, position) in events {
            if builder.on_event(event, position).is_break() {
                break;
            }
        }
        return finish(builder);
    }
    for event in Parser::new_from_str(text) {
        match event {
            Ok((event, span)) => {
                if builder.on_event(event, position_of(&span)).is_break() {
                    break;
                }
            }
            Err(error) => {
                let marker = error.marker();
                let position = Position::new(marker.line().max(1), marker.col() + 1);
                // The scanner has its own nesting bound, which can trip before ours does.
                if error.info().contains("recursion limit") {
                    let message = format!("nesting deeper than {MAX_DEPTH} levels is not allowed");
                    builder.problem(&rules::TOO_DEEP, position, "", message);
                } else {
                    // The parser stops where it noticed; point at the cause when it is an
                    // unclosed bracket or quote.
                    let (position, message) = syntax::explain(text, position, error.info())
                        .unwrap_or_else(|| (position, format!("invalid YAML: {}", error.info())));
                    builder.problem(&rules::YAML_SYNTAX, position, "", message);
                }
                break;
            }
        }
    }
    finish(builder)
}

impl Builder<'_> {
    /// Handle one parser event; `Break` stops the parse.
    fn on_event(&mut self, event: Event<'_>, position: Position) -> ControlFlow<()> {
        if self.skip_depth > 0 {
            match event {
                Event::SequenceStart(..) | Event::MappingStart(..) => self.skip_depth += 1,
                Event::SequenceEnd | Event::MappingEnd => self.skip_depth -= 1,
                _ => {}
            }
            return ControlFlow::Continue(());
        }
        let is_sequence = matches!(event, Event::SequenceStart(..));
        if self.discarding_value() {
            if matches!(event, Event::SequenceStart(..) | Event::MappingStart(..)) {
                self.skip_depth = 1;
            }
            self.set_pending(None);
            return ControlFlow::Continue(());
        }
        match event {
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents == 2 {
                    let message = "a second YAML document starts here; one file holds one entry";
                    self.problem(&rules::MULTIPLE_DOCUMENTS, position, "", message.into());
                }
            }
            _ if self.documents > 1 => {}
            Event::Alias(_) => self.on_alias(position),
            Event::Scalar(text, style, anchor, tag) => {
                let pointer = self.node_pointer();
                self.check_anchor_and_tag(anchor, tag.as_deref(), position, &pointer);
                if self.expecting_key() {
                    self.on_key(&text, position);
                } else if style == ScalarStyle::Plain && tag.is_none() {
                    let value = resolve_plain(&text);
                    if self.wanted(&pointer) && matches!(value, Value::Number(_) | Value::Bool(_)) {
                        self.result
                            .source_map
                            .raw_scalars
                            .insert(pointer.clone(), text.into_owned());
                    }
                    self.attach(value, &pointer, position);
                } else {
                    self.attach(Value::String(text.into_owned()), &pointer, position);
                }
            }
            Event::SequenceStart(anchor, tag) | Event::MappingStart(anchor, tag) => {
                let pointer = self.node_pointer();
                self.check_anchor_and_tag(anchor, tag.as_deref(), position, &pointer);
                return self.on_collection_start(is_sequence, pointer, position);
            }
            Event::SequenceEnd | Event::MappingEnd => self.on_collection_end(position),
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {}
        }
        ControlFlow::Continue(())
    }

    /// The pointer of the node about to be read: the new value's, or the mapping's for a key.
    fn node_pointer(&self) -> String {
        if self.expecting_key() {
            self.stack
                .last()
                .map(Frame::pointer)
                .unwrap_or_default()
                .to_owned()
        } else {
            self.child_pointer()
        }
    }

    fn on_alias(&mut self, position: Position) {
        let pointer = self.node_pointer();
        let message = "aliases (`*name`) are not allowed in an entry";
        self.problem(&rules::ANCHOR_OR_ALIAS, position, &pointer, message.into());
        if self.expecting_key() {
            let message = "an alias cannot be used as a key";
            self.problem(&rules::COMPLEX_KEY, position, &pointer, message.into());
            self.set_pending(Some(PendingKey::Discarded));
        } else {
            // Keep the key (so no "missing field" follows); findings at this pointer are
            // dropped in favour of the alias finding.
            self.attach(Value::Null, &pointer, position);
        }
    }

    fn on_collection_start(
        &mut self,
        is_sequence: bool,
        pointer: String,
        position: Position,
    ) -> ControlFlow<()> {
        if self.expecting_key() {
            let message = "a mapping key must be a plain string";
            self.problem(&rules::COMPLEX_KEY, position, &pointer, message.into());
            self.skip_depth = 1;
            self.set_pending(Some(PendingKey::Discarded));
            return ControlFlow::Continue(());
        }
        if self.stack.len() >= MAX_DEPTH {
            let message = format!("nesting deeper than {MAX_DEPTH} levels is not allowed");
            self.problem(&rules::TOO_DEEP, position, &pointer, message);
            self.root = None;
            self.stack.clear();
            return ControlFlow::Break(());
        }
        self.note_value(&pointer, position);
        self.stack.push(if is_sequence {
            Frame::Sequence {
                pointer,
                items: Vec::new(),
            }
        } else {
            Frame::Mapping {
                pointer,
                map: Map::new(),
                pending_key: None,
            }
        });
        ControlFlow::Continue(())
    }

    fn on_collection_end(&mut self, position: Position) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        let (pointer, value) = match frame {
            Frame::Sequence { pointer, items } => (pointer, Value::Array(items)),
            Frame::Mapping { pointer, map, .. } => (pointer, Value::Object(map)),
        };
        let start = self
            .result
            .source_map
            .values
            .get(&pointer)
            .copied()
            .unwrap_or(position);
        self.attach(value, &pointer, start);
    }
}

fn finish(mut builder: Builder<'_>) -> ParsedYaml {
    let syntax_failed = builder
        .result
        .problems
        .iter()
        .any(|p| p.rule == &rules::YAML_SYNTAX || p.rule == &rules::TOO_DEEP);
    if !syntax_failed && builder.stack.is_empty() {
        match &builder.root {
            None | Some(Value::Null) if builder.documents <= 1 => {
                builder.problem(
                    &rules::EMPTY_FILE,
                    Position::START,
                    "",
                    "the file holds no entry".into(),
                );
            }
            Some(Value::Object(_) | Value::Null) | None => {}
            Some(other) => {
                let kind = json_kind(other);
                let position = builder.result.source_map.value("");
                builder.problem(
                    &rules::NOT_A_MAPPING,
                    position,
                    "",
                    format!(
                        "the file holds {kind}, but an entry is a mapping of field names to values"
                    ),
                );
            }
        }
    }
    builder.result.value = if syntax_failed {
        None
    } else {
        builder.root.take()
    };
    for problem in &mut builder.result.problems {
        if problem.suppressed > 0 {
            problem.message =
                counting_more(&problem.message, problem.rule.code, problem.suppressed);
        }
    }
    builder.result.problems.sort_by_key(|p| p.position);
    builder.result
}

/// "a list", "a number", … for messages.
pub fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing (null)",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}
