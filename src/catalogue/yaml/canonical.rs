//! A fast reader for the YAML that catalogue entries are written in: block mappings and
//! sequences indented with spaces, plain and single-quoted scalars on one line, literal and
//! folded block scalars, and `[]`/`{}` for empty collections. It is what `nsi fmt`, `nsi add`
//! and most editors write, and it is read here about ten times faster than by the full parser.
//!
//! It produces the same events, at the same positions, as `saphyr-parser` would, so the
//! builder in the parent module turns them into the same JSON, positions and problems. Anything
//! outside that subset (comments, double quotes, multi-line plain scalars, anchors, tags, flow
//! collections with content, tabs, carriage returns, several documents…) makes it give up
//! before it has produced anything, and the full parser reads the file instead. The tests in
//! this module and the `yaml_fast_path` fuzz target hold the two readers to the same events.

use std::borrow::Cow;

use saphyr_parser::{Event, ScalarStyle};

use crate::catalogue::diagnostic::Position;

/// Nesting deeper than this is left to the full parser (an entry needs four levels).
const MAX_DEPTH: usize = 16;

/// The parser events of `text` with the position of each, or `None` when `text` is not in
/// the subset this reader handles.
pub fn events(text: &str) -> Option<Vec<(Event<'_>, Position)>> {
    if !has_plain_characters(text) {
        return None;
    }
    let body = text.strip_suffix('\n')?;
    let mut reader = Reader {
        lines: body.split('\n').collect(),
        next: 0,
        events: Vec::with_capacity(text.len() / 16),
        depth: 0,
    };
    reader.skip_blank();
    let first = *reader.lines.get(reader.next)?;
    if indent_of(first) != 0 {
        return None;
    }
    reader.push(Event::DocumentStart(false), reader.next, 0);
    reader.mapping(reader.next, 0)?;
    (reader.next == reader.lines.len()).then_some(reader.events)
}

/// Whether `text` has none of the characters this reader leaves to the full parser: tabs,
/// carriage returns and anything else YAML does not count as printable (C0 and C1 controls,
/// DEL, line and paragraph separators, byte-order marks, non-characters).
fn has_plain_characters(text: &str) -> bool {
    if text.bytes().any(|b| (b < 0x20 && b != b'\n') || b == 0x7f) {
        return false;
    }
    text.is_ascii()
        || text.chars().all(|c| {
            !matches!(
                c,
                '\u{80}'
                    ..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
            )
        })
}

fn indent_of(line: &str) -> usize {
    line.bytes().take_while(|b| *b == b' ').count()
}

fn is_blank(line: &str) -> bool {
    line.bytes().all(|b| b == b' ')
}

/// The key at the start of `rest` when `rest` is `key:` followed by a space or the end of the
/// line: up to 1024 letters, digits, `_` and `-`, starting with a letter, digit or `_`.
fn key_at(rest: &str) -> Option<&str> {
    let bytes = rest.as_bytes();
    if !bytes
        .first()
        .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
    {
        return None;
    }
    let length = bytes
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
        .count();
    // YAML allows an implicit key of at most 1024 characters.
    (length <= 1024
        && bytes.get(length) == Some(&b':')
        && matches!(bytes.get(length + 1), None | Some(b' ')))
    .then(|| &rest[..length])
}

struct Reader<'a> {
    lines: Vec<&'a str>,
    /// The next line to read.
    next: usize,
    events: Vec<(Event<'a>, Position)>,
    depth: usize,
}

impl<'a> Reader<'a> {
    fn push(&mut self, event: Event<'a>, line: usize, column: usize) {
        self.events
            .push((event, Position::new(line + 1, column + 1)));
    }

    fn skip_blank(&mut self) {
        while self.lines.get(self.next).is_some_and(|line| is_blank(line)) {
            self.next += 1;
        }
    }

    /// Skip blank lines; the indentation of the next line, or `None` at the end.
    fn next_indent(&mut self) -> Option<usize> {
        self.skip_blank();
        self.lines.get(self.next).map(|line| indent_of(line))
    }

    /// Where the next token is: the first character of the next line that is not blank, or
    /// the start of the line after the last.
    fn end_position(&mut self) -> (usize, usize) {
        match self.next_indent() {
            Some(indent) => (self.next, indent),
            None => (self.lines.len(), 0),
        }
    }

    /// A block collection whose first item is on `line` at `column`: `start`, each item (read
    /// by `item`, given its line and the column), and `end` once a line is indented less.
    fn collection(
        &mut self,
        line: usize,
        column: usize,
        (start, end): (Event<'a>, Event<'a>),
        item: fn(&mut Self, usize, usize) -> Option<()>,
    ) -> Option<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        self.push(start, line, column);
        let mut line = line;
        loop {
            item(self, line, column)?;
            match self.next_indent() {
                Some(indent) if indent == column => line = self.next,
                Some(indent) if indent > column => return None,
                _ => break,
            }
        }
        let (end_line, end_column) = self.end_position();
        self.push(end, end_line, end_column);
        self.depth -= 1;
        Some(())
    }

    /// A block mapping whose first key is on `line` at `column` (the mapping's indentation).
    fn mapping(&mut self, line: usize, column: usize) -> Option<()> {
        let events = (Event::MappingStart(0, None), Event::MappingEnd);
        self.collection(line, column, events, Self::mapping_entry)
    }

    /// One `key: value` of a mapping indented by `column`, its key on `line`.
    fn mapping_entry(&mut self, line: usize, column: usize) -> Option<()> {
        let rest = &self.lines[line][column..];
        let key = key_at(rest)?;
        self.push(
            Event::Scalar(Cow::Borrowed(key), ScalarStyle::Plain, 0, None),
            line,
            column,
        );
        let after = &rest[key.len() + 1..];
        let value_column = column + key.len() + 1 + indent_of(after);
        self.next = line + 1;
        if is_blank(after) {
            self.nested(column)
        } else {
            self.inline(line, value_column, column)
        }
    }

    /// The value of a key with nothing after its colon: a mapping or sequence on the lines
    /// below, indented more than the key.
    fn nested(&mut self, parent: usize) -> Option<()> {
        let indent = self.next_indent()?;
        if indent <= parent {
            return None;
        }
        let line = self.next;
        let rest = &self.lines[line][indent..];
        if rest.starts_with('-') {
            self.sequence(line, indent)
        } else {
            self.mapping(line, indent)
        }
    }

    /// A block sequence whose first `-` is on `line` at `column`.
    fn sequence(&mut self, line: usize, column: usize) -> Option<()> {
        let events = (Event::SequenceStart(0, None), Event::SequenceEnd);
        self.collection(line, column, events, Self::sequence_item)
    }

    /// One `- item` of a sequence whose `-` is on `line` at `column`.
    fn sequence_item(&mut self, line: usize, column: usize) -> Option<()> {
        let item = self.lines[line][column..].strip_prefix("- ")?;
        let item_column = column + 2 + indent_of(item);
        let item = &self.lines[line][item_column..];
        if item.is_empty() || item.starts_with('-') {
            return None;
        }
        self.next = line + 1;
        if key_at(item).is_some() {
            self.mapping(line, item_column)
        } else {
            self.inline(line, item_column, column)
        }
    }

    /// A value that starts on `line` at `column`, inside a collection indented by `parent`.
    fn inline(&mut self, line: usize, column: usize, parent: usize) -> Option<()> {
        let text = &self.lines[line][column..];
        match text {
            "[]" => {
                self.push(Event::SequenceStart(0, None), line, column);
                self.push(Event::SequenceEnd, line, column + 1);
                return Some(());
            }
            "{}" => {
                self.push(Event::MappingStart(0, None), line, column);
                self.push(Event::MappingEnd, line, column + 1);
                return Some(());
            }
            "|" | "|-" => return self.block(parent, ScalarStyle::Literal, text.len() == 1),
            ">" | ">-" => return self.block(parent, ScalarStyle::Folded, text.len() == 1),
            _ => {}
        }
        let (value, style) = if let Some(quoted) = text.strip_prefix('\'') {
            (single_quoted(quoted)?, ScalarStyle::SingleQuoted)
        } else {
            (Cow::Borrowed(plain(text)?), ScalarStyle::Plain)
        };
        self.push(Event::Scalar(value, style, 0, None), line, column);
        Some(())
    }

    /// A block scalar whose header has been read; its content is indented more than `parent`.
    /// `clip` keeps one final line break (`|`, `>`), otherwise none is kept (`|-`, `>-`).
    fn block(&mut self, parent: usize, style: ScalarStyle, clip: bool) -> Option<()> {
        let first = self.next;
        let indent = indent_of(self.lines.get(first)?);
        if indent <= parent || is_blank(self.lines[first]) {
            return None;
        }
        let mut content: Vec<&str> = Vec::new();
        let mut last_content = first;
        let mut line = first;
        while let Some(text) = self.lines.get(line) {
            if is_blank(text) {
                // Spaces beyond the indentation on a blank line would be content.
                if text.len() > indent {
                    return None;
                }
            } else if indent_of(text) >= indent {
                content.resize(line - first, "");
                content.push(&text[indent..]);
                last_content = line;
            } else {
                break;
            }
            line += 1;
        }
        let mut value = match style {
            ScalarStyle::Folded => {
                // Folding is simple only when every line is at the block's indentation and no
                // line is blank.
                if content.iter().any(|l| l.is_empty() || l.starts_with(' ')) {
                    return None;
                }
                content.join(" ")
            }
            _ => content.join("\n"),
        };
        if clip {
            value.push('\n');
        }
        self.push(
            Event::Scalar(Cow::Owned(value), style, 0, None),
            first,
            indent,
        );
        self.next = last_content + 1;
        Some(())
    }
}

/// The text of a plain scalar that fills the rest of a line, when it is one this reader is
/// sure of: it starts with a letter or digit and holds no `: ` or ` #`.
fn plain(text: &str) -> Option<&str> {
    let value = text.trim_end_matches(' ');
    let simple = value.chars().next().is_some_and(char::is_alphanumeric)
        && !value.ends_with(':')
        && !value.contains(": ")
        && !value.contains(" #");
    simple.then_some(value)
}

/// The text of a single-quoted scalar whose opening quote has been read, when it closes on
/// the same line with nothing but spaces after it.
fn single_quoted(text: &str) -> Option<Cow<'_, str>> {
    let mut value = Cow::Borrowed("");
    let mut rest = text;
    loop {
        let close = rest.find('\'')?;
        let piece = &rest[..close];
        rest = &rest[close + 1..];
        if let Some(after) = rest.strip_prefix('\'') {
            value.to_mut().push_str(piece);
            value.to_mut().push('\'');
            rest = after;
        } else {
            if value.is_empty() {
                value = Cow::Borrowed(piece);
            } else {
                value.to_mut().push_str(piece);
            }
            return is_blank(rest).then_some(value);
        }
    }
}

/// The events of `text` as the full parser (`saphyr-parser`) reads them, in the same form as
/// [`events`], or `None` when it reports an error: the reference the fast reader is held to by
/// the tests and the fuzz target.
pub fn full_parser_events(text: &str) -> Option<Vec<(Event<'_>, Position)>> {
    let mut events = Vec::new();
    for item in saphyr_parser::Parser::new_from_str(text) {
        let (event, span) = item.ok()?;
        if !matches!(
            event,
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing
        ) {
            events.push((event, super::position_of(&span)));
        }
    }
    Some(events)
}

/// Whether the fast reader either leaves `text` to the full parser or reads exactly what the
/// full parser reads.
pub fn agrees_with_full_parser(text: &str) -> bool {
    match events(text) {
        None => true,
        Some(fast) => full_parser_events(text).is_some_and(|full| full == fast),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Entries as `nsi fmt` and editors write them: the fast reader must read each one, and
    /// read it as the full parser does.
    const READ_FAST: &[&str] = &[
        "id: a\n",
        "id: 'It''s'\ntitle: ''\n",
        "a: |\n  one\n    two\n\n  three\nb: x\n",
        "a: |-\n  keep\n\n\nb: x\n",
        "a: >-\n  folded\n  text\nb: >\n  clipped\n",
        "tags:\n  - one\n  - 'two'\n  - 1.10\n",
        "a: []\nb: {}\n",
        "t:\n  s:\n    - x\n  i:\n    - system: X\n      method: |-\n        keep\n    - system: Y\n",
        "d: 2026-01-01\nn: 3\nb: true\nz: null\nu: https://example.com/a#b\n",
        "x: Café  Œuvre [draft], {v2}\n",
        "a: x   \n\n   \nb:    y\n",
        "dup: 1\ndup: 2\n",
        "list:\n  -   spaced\n  - k: v\n    k2: v2\n",
        "a:\n    - deep\nb: c\n",
        "\n\n  \nid: after blank lines\n",
        "a:\n  - []\n  - {}\n  - x\n",
        "a:\n  - |\n    block item\n  - >-\n    folded\n    item\n  - k: |-\n      in a mapping\n",
    ];

    /// Text the fast reader must leave to the full parser.
    const LEFT_TO_FULL_PARSER: &[&str] = &[
        "",
        "\n",
        "a: x",
        "# comment\na: x\n",
        "a: x # comment\n",
        "a: 'x' # comment\n",
        "a: \"double\"\n",
        "a: multi\n  line plain\n",
        "a: 'multi\n  line quoted'\n",
        "a:\n- indentless\n",
        "a:\n  - - nested\n",
        "a: &anchor x\nb: *anchor\n",
        "a: !tag x\n",
        "---\na: x\n",
        "a: x\n---\nb: y\n",
        "a: x\n...\n",
        "%YAML 1.2\n---\na: x\n",
        "a:\tx\n",
        "a: x\r\n",
        "\u{feff}a: x\n",
        "a: [x]\n",
        "a: {b: c}\n",
        "? a\n: b\n",
        "'quoted key': x\n",
        "a: |+\n  keep\n\n",
        "a: |2\n   x\n",
        "a: |\n\n  leading blank\n",
        "a: |\n  x\n     \n  y\n",
        "a: >\n  x\n\n  y\n",
        "a: >\n  x\n    more\n",
        "a:\n",
        "a: x\n  b: y\n",
        "- top\n",
        "  a: x\n",
        "a: b: c\n",
        "a: x:\n",
        "a: -1\n",
        "a: x\u{85}y\n",
        "a: x\u{2028}y\n",
    ];

    #[test]
    fn reads_the_canonical_subset_as_the_full_parser_does() {
        for text in READ_FAST {
            let fast = events(text).unwrap_or_else(|| panic!("left to the full parser: {text:?}"));
            assert_eq!(Some(fast), full_parser_events(text), "{text:?}");
        }
    }

    #[test]
    fn leaves_everything_else_to_the_full_parser() {
        for text in LEFT_TO_FULL_PARSER {
            assert!(events(text).is_none(), "read fast: {text:?}");
        }
    }

    #[test]
    fn a_key_longer_than_yaml_allows_is_left_to_the_full_parser() {
        let text = format!("{}: x\n", "k".repeat(1025));
        assert!(events(&text).is_none());
        assert!(agrees_with_full_parser(&format!(
            "{}: x\n",
            "k".repeat(1024)
        )));
    }

    #[test]
    fn the_builder_gets_the_same_json_and_problems_from_either_reader() {
        for text in READ_FAST {
            let fast = super::super::parse(text);
            let mut full = super::super::Builder::new(true, None);
            for item in saphyr_parser::Parser::new_from_str(text) {
                let (event, span) = item.expect("valid YAML");
                let _ = full.on_event(event, super::super::position_of(&span));
            }
            let full = super::super::finish(full);
            assert_eq!(fast.value, full.value, "{text:?}");
            assert_eq!(fast.problems, full.problems, "{text:?}");
        }
    }

    /// A document tree, written out by [`write_node`] in the styles an editor might use.
    #[derive(Debug, Clone)]
    enum Node {
        Scalar(&'static str, u8),
        Map(Vec<(&'static str, Node)>),
        Seq(Vec<Node>),
    }

    fn node() -> impl proptest::strategy::Strategy<Value = Node> {
        use proptest::prelude::*;
        let text = prop::sample::select(vec![
            "plain",
            "two words",
            "It's",
            "",
            "1.10",
            "true",
            "~",
            "2026-01-01",
            "ünï",
            "a: b",
            "x #y",
            "k:v",
            "-x",
            "#x",
            "[x]",
            "trailing ",
            " lead",
            "multi\nline",
            "a\n\nb",
            "a\n  indented",
            "ends\n",
            "x\u{a0}y",
            "'",
            "\"",
            "|",
            "end:",
        ]);
        let leaf = (text, 0u8..5).prop_map(|(t, style)| Node::Scalar(t, style));
        let key = prop::sample::select(vec!["a", "b", "key", "k-2", "_x", "a"]);
        leaf.prop_recursive(3, 24, 4, move |inner| {
            prop_oneof![
                prop::collection::vec((key.clone(), inner.clone()), 1..4).prop_map(Node::Map),
                prop::collection::vec(inner, 1..4).prop_map(Node::Seq),
            ]
        })
    }

    /// Write `node` after a `key:` or `- ` already on the line; `indent` is the indentation of
    /// that line's collection and `step` how far each level is indented.
    fn write_node(out: &mut String, node: &Node, indent: usize, step: usize, after_dash: bool) {
        let pad = |n: usize| " ".repeat(n);
        match node {
            Node::Scalar(text, style) => {
                let lead = if after_dash { "" } else { " " };
                match style {
                    0 => out.extend([lead, text, "\n"]),
                    1 => out.extend([lead, "'", &text.replace('\'', "''"), "'\n"]),
                    _ => {
                        let header = ["|", "|-", ">-"][usize::from(*style - 2)];
                        out.extend([lead, header, "\n"]);
                        for l in text.split('\n') {
                            out.extend([pad(indent + step).as_str(), l, "\n"]);
                        }
                    }
                }
            }
            Node::Map(entries) => {
                let inner = if after_dash { indent } else { indent + step };
                if !after_dash {
                    out.push('\n');
                }
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 || !after_dash {
                        out.push_str(&pad(inner));
                    }
                    out.extend([*key, ":"]);
                    write_node(out, value, inner, step, false);
                }
            }
            Node::Seq(items) => {
                let inner = if after_dash { indent } else { indent + step };
                if !after_dash {
                    out.push('\n');
                }
                for (i, item) in items.iter().enumerate() {
                    if i > 0 || !after_dash {
                        out.push_str(&pad(inner));
                    }
                    out.push_str("- ");
                    write_node(out, item, inner + 2, step, true);
                }
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        #[test]
        fn never_disagrees_with_the_full_parser(
            entries in proptest::collection::vec(
                (proptest::sample::select(vec!["id", "title", "tags", "id"]), node()), 1..5),
            step in 1usize..5,
            edit in proptest::option::of((0usize..400, proptest::sample::select(vec![
                " ", "\n", "  ", "- ", ": ", "#", "'", "\n\n", "x", "\t", "|"]))),
        ) {
            let mut text = String::new();
            for (key, value) in &entries {
                text.extend([*key, ":"]);
                write_node(&mut text, value, 0, step, false);
            }
            if let Some((at, piece)) = edit {
                let mut at = at.min(text.len());
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                text.insert_str(at, piece);
            }
            proptest::prop_assert!(agrees_with_full_parser(&text), "{:?}", text);
        }
    }
}
