//! `nsi import`: CSV rows turned into entries, each checked as `nsi add` checks one, and each
//! finding placed back in the CSV file — its line and the column of the cell it is about — so
//! that it reads like any other finding, in the file the user wrote.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use serde_json::{Map, Value};

use super::{Author, AuthorError, NewEntry, is_kind};
use crate::catalogue::diagnostic::{Diagnostic, Position, Rule, SourceLine};
use crate::catalogue::load;
use crate::catalogue::validate::rules;

/// A CSV row, read and checked.
#[derive(Debug, Clone)]
pub struct ImportRow {
    /// The line of the CSV file the row starts on (the header is line 1).
    pub line: u64,
    /// The entry, when the row could be read at all. Its own findings are placed in the
    /// entry's text; [`ImportRow::findings`] has them placed in the CSV file.
    pub entry: Option<NewEntry>,
    /// The row's findings, in the CSV file: at the row's line and the column of the cell the
    /// finding is about (the row's first cell when no column holds that field), each message
    /// naming its field. A row that could not be read has one, and no entry.
    pub findings: Vec<Diagnostic>,
}

/// The largest CSV file `nsi import` reads: 64 entries of the largest size an entry may be.
pub const MAX_IMPORT_BYTES: u64 = 64 * load::MAX_FILE_BYTES;

/// The most rows `nsi import` takes from one file: each is checked as a whole entry, so a file
/// of millions of tiny rows would take hours. More than any force adds at once.
pub const MAX_IMPORT_ROWS: usize = 10_000;

/// How many rows (besides the header) the CSV `text` holds, counted as the `csv` reader counts
/// them but without keeping any (`csv_core`, no allocation): an error past
/// [`MAX_IMPORT_ROWS`] rows, or for a row of more than [`MAX_IMPORT_COLUMNS`] cells (a line of
/// sixteen million commas would otherwise be held as as many cells).
fn csv_rows(text: &str) -> Result<usize, AuthorError> {
    let mut reader = csv_core::Reader::new();
    let mut input = text.as_bytes();
    let mut field = [0u8; 4096];
    let (mut records, mut cells) = (0usize, 0usize);
    loop {
        let (result, read, _) = reader.read_field(input, &mut field);
        input = &input[read..];
        match result {
            csv_core::ReadFieldResult::InputEmpty | csv_core::ReadFieldResult::OutputFull => {}
            csv_core::ReadFieldResult::Field { record_end } => {
                cells += 1;
                if cells > MAX_IMPORT_COLUMNS {
                    return Err(AuthorError::Csv(format!(
                        "row {} holds more than {MAX_IMPORT_COLUMNS} cells; an entry has a few \
                         dozen fields",
                        records + 1
                    )));
                }
                if record_end {
                    records += 1;
                    cells = 0;
                }
            }
            csv_core::ReadFieldResult::End => break,
        }
    }
    let rows = records.saturating_sub(1);
    if rows > MAX_IMPORT_ROWS {
        return Err(AuthorError::Csv(format!(
            "it holds {rows} rows; at most {MAX_IMPORT_ROWS} are imported at once: split it"
        )));
    }
    Ok(rows)
}

impl Author {
    /// Read a CSV file (named `name` in findings) whose header names fields
    /// (`technology.stack`, `contacts.email`…) and check each row as an entry with the defaults
    /// of `nsi add`, handing each to `each` as it is checked (with this author, to write it):
    /// one row is held at a time; `progress(done, total)` is called before each. Ids are made unique across the catalogue and the rows read
    /// before; rows of empty cells are skipped. A file of more than [`MAX_IMPORT_ROWS`] rows,
    /// or with a row of more than [`MAX_IMPORT_COLUMNS`] cells, is refused before any row is
    /// checked.
    pub fn import_csv(
        &mut self,
        text: &str,
        name: &Path,
        progress: &dyn Fn(usize, usize),
        mut each: impl FnMut(&Self, ImportRow),
    ) -> Result<(), AuthorError> {
        let total = csv_rows(text)?;
        let mut done = 0;
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| AuthorError::Csv(e.to_string()))?
            .iter()
            .map(str::to_owned)
            .collect();
        check_headers(&headers)?;
        let columns = Columns::of(&headers);
        let schema = self.reference().schema.clone();
        let shared: Arc<str> = Arc::from(text);
        let mut lines = Lines::default();
        for record in reader.records() {
            let byte = match &record {
                Ok(record) => start_of(record.position()),
                Err(error) => start_of(error.position()),
            };
            // The reader says a row starts where it began reading: before the empty lines it
            // skipped, or at the LF of the CRLF before the row.
            let byte = byte
                + text.as_bytes()[byte.min(text.len())..]
                    .iter()
                    .take_while(|b| matches!(b, b'\r' | b'\n'))
                    .count();
            // A row of empty cells (what a spreadsheet leaves below its last row) is no row.
            if record.as_ref().is_ok_and(|r| r.iter().all(str::is_empty)) {
                continue;
            }
            progress(done, total);
            done += 1;
            let line = lines.at(text, byte);
            let cells = Row::of(&shared, line, byte, headers.len().max(1));
            let row = match record {
                // A row larger than an entry may be is refused before anything is made of it:
                // an entry is built, written out and checked in time that grows with its size.
                Ok(record) if record.as_slice().len() as u64 > load::MAX_FILE_BYTES => {
                    let message = format!(
                        "the row holds {} bytes of text; an entry is at most {} KiB",
                        record.as_slice().len(),
                        load::MAX_FILE_BYTES / 1024
                    );
                    let finding = cells.finding(&rules::FILE_TOO_LARGE, name, 0, message);
                    ImportRow {
                        line,
                        entry: None,
                        findings: vec![finding],
                    }
                }
                Ok(record) => {
                    let entry = self.prepare(csv_row(&headers, &record, &schema));
                    if entry.is_valid() {
                        self.reserve(&entry.id);
                    }
                    let mut findings: Vec<Diagnostic> = entry
                        .diagnostics
                        .iter()
                        .map(|found| cells.place(found, &columns, name))
                        .collect();
                    // A row's findings read left to right, as its cells do.
                    findings.sort_by_key(|found| found.column);
                    ImportRow {
                        line,
                        entry: Some(entry),
                        findings,
                    }
                }
                Err(error) => ImportRow {
                    line,
                    entry: None,
                    findings: vec![cells.finding(
                        &rules::UNREADABLE_FILE,
                        name,
                        0,
                        format!("the row cannot be read: {error}"),
                    )],
                },
            };
            each(self, row);
        }
        Ok(())
    }
}

/// The byte offset a record starts at (0 when the reader does not say).
fn start_of(position: Option<&csv::Position>) -> usize {
    position.map_or(0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX))
}

/// Line numbers of byte offsets that only grow, counted as an editor counts lines: a line
/// ends at `\n`, `\r\n` or a bare `\r` (the CSV reader counts only `\n`, which would put
/// every row of a file saved with CR line endings on line 1). Linear over the whole file.
#[derive(Default)]
struct Lines {
    byte: usize,
    breaks: u64,
}

impl Lines {
    /// The line (1-based) of byte `offset` of `text`, at or after the last one asked for.
    fn at(&mut self, text: &str, offset: usize) -> u64 {
        let offset = offset.clamp(self.byte, text.len());
        let bytes = text.as_bytes();
        for i in self.byte..offset {
            // A CR ends a line; an LF does unless it completes a CRLF (the reader may say a
            // row starts at the LF of the CRLF before it).
            let ends =
                bytes[i] == b'\r' || (bytes[i] == b'\n' && (i == 0 || bytes[i - 1] != b'\r'));
            self.breaks += u64::from(ends);
        }
        self.byte = offset;
        self.breaks + 1
    }
}

/// Where a row's cells are: its first line (shared with every finding of the row) and, for
/// each cell on it, its first column and its width, in characters.
struct Row {
    line: usize,
    source: Option<SourceLine>,
    cells: Vec<(usize, usize)>,
}

impl Row {
    /// The first `most` cells (the header's) of the row starting at byte `start` of `text`, on
    /// line `line`, found as the
    /// CSV reader finds them: a quote is special only at the start of a cell, where it opens
    /// a quoted cell that a lone quote closes (a doubled one is a quote); a comma outside
    /// quotes ends a cell. Only the row's first line is scanned: a cell that starts on a later
    /// one (after a line break inside quotes) is placed at the row's first cell.
    fn of(text: &Arc<str>, line: u64, start: usize, most: usize) -> Self {
        #[derive(Clone, Copy, PartialEq)]
        enum State {
            Start,
            Unquoted,
            Quoted,
            QuoteInQuoted,
        }
        let line = usize::try_from(line).unwrap_or(usize::MAX);
        let start = start.min(text.len());
        let source = text
            .is_char_boundary(start)
            .then(|| SourceLine::starting_at(text, start))
            .flatten();
        let mut cells = Vec::new();
        if let Some(source) = &source {
            let (mut state, mut first, mut length) = (State::Start, 1, 0);
            for c in source.as_str().chars() {
                length += 1;
                state = match (state, c) {
                    (State::Quoted, '"') => State::QuoteInQuoted,
                    (State::Start | State::QuoteInQuoted, '"') | (State::Quoted, _) => {
                        State::Quoted
                    }
                    (_, ',') => {
                        cells.push((first, length - 1));
                        if cells.len() == most {
                            break;
                        }
                        first += length;
                        length = 0;
                        State::Start
                    }
                    _ => State::Unquoted,
                };
            }
            if cells.len() < most {
                cells.push((first, length));
            }
        }
        Row {
            line,
            source,
            cells,
        }
    }

    /// The first column and the width of cell `cell` (0-based); the row's first cell when it
    /// has no such cell on its first line.
    fn cell(&self, cell: usize) -> (usize, usize) {
        self.cells
            .get(cell)
            .or(self.cells.first())
            .copied()
            .unwrap_or((1, 0))
    }

    /// A finding of `rule` about cell `cell` (0-based) of the row, in the file `name`.
    fn finding(&self, rule: &Rule, name: &Path, cell: usize, message: String) -> Diagnostic {
        let (column, width) = self.cell(cell);
        let mut finding = Diagnostic::new(rule, name, Position::new(self.line, column), message);
        finding.source_line.clone_from(&self.source);
        finding.width = Some(width);
        finding
    }

    /// `found`, a finding in the entry made of this row, placed at the cell of its field.
    fn place(&self, found: &Diagnostic, columns: &Columns, name: &Path) -> Diagnostic {
        let pointer = found.missing.as_deref().unwrap_or(&found.pointer);
        let mut placed = found.clone();
        placed.file = name.to_path_buf();
        placed.line = self.line;
        // A field no column holds (one left missing, or given a default) is pointed at the
        // row's start, with one mark: no cell is at fault.
        let (column, width) = match columns.find(pointer) {
            Some(cell) => self.cell(cell),
            None => (self.cell(0).0, 1),
        };
        placed.column = column;
        placed.width = Some(width);
        // A CSV row has no field names in it: the message names its field, if it does not.
        let field = super::field_name(pointer);
        if !found.message.contains(&format!("`{field}`")) {
            placed.message = format!("{field}: {}", found.message);
        }
        placed.source_line.clone_from(&self.source);
        placed
    }
}

/// The most columns a CSV file may have: an entry has a few dozen fields.
pub const MAX_IMPORT_COLUMNS: usize = 1_000;

/// The deepest a column may nest (`documentation.availability` is two): deeper ones name no
/// field, and each level is a step of the reading.
const MAX_COLUMN_DEPTH: usize = 8;

/// The header names columns an entry could have: at most [`MAX_IMPORT_COLUMNS`] of them, each
/// at most [`MAX_COLUMN_DEPTH`] names deep.
fn check_headers(headers: &[String]) -> Result<(), AuthorError> {
    if headers.len() > MAX_IMPORT_COLUMNS {
        return Err(AuthorError::Csv(format!(
            "its header names {} columns; an entry has at most {MAX_IMPORT_COLUMNS}",
            headers.len()
        )));
    }
    if let Some((i, header)) = headers
        .iter()
        .enumerate()
        .find(|(_, header)| header.split('.').nth(MAX_COLUMN_DEPTH).is_some())
    {
        let shown: String = header.chars().take(60).collect();
        return Err(AuthorError::Csv(format!(
            "column {} of the header (`{shown}`…) nests deeper than any field \
             ({MAX_COLUMN_DEPTH} names at most)",
            i + 1
        )));
    }
    Ok(())
}

/// Which column holds a field, looked up in time that does not grow with the header.
struct Columns {
    /// A column's field (`contacts.email`, names trimmed) to its first column.
    exact: HashMap<String, usize>,
    /// A field holding others (`contacts`) to the first column inside it.
    within: HashMap<String, usize>,
}

impl Columns {
    fn of(headers: &[String]) -> Self {
        let (mut exact, mut within) = (HashMap::new(), HashMap::new());
        for (i, header) in headers.iter().enumerate() {
            let parts: Vec<&str> = header.split('.').map(str::trim).collect();
            exact.entry(parts.join(".")).or_insert(i);
            for depth in 1..parts.len() {
                within.entry(parts[..depth].join(".")).or_insert(i);
            }
        }
        Columns { exact, within }
    }

    /// The column that holds the field at `pointer` (`/contacts/1/email` is `contacts.email`):
    /// the exact column, else the first column inside the field (`/contacts` is
    /// `contacts.name`), else the column of the nearest field holding it.
    fn find(&self, pointer: &str) -> Option<usize> {
        let mut parts: Vec<&str> = pointer
            .split('/')
            .skip(1)
            .filter(|part| part.parse::<usize>().is_err())
            .collect();
        while !parts.is_empty() {
            let field = parts.join(".");
            if let Some(&found) = self.exact.get(&field).or_else(|| self.within.get(&field)) {
                return Some(found);
            }
            parts.pop();
        }
        None
    }
}

/// One CSV row as a partial entry: `a.b` nests, a list field splits at `;`, and the `;`-parts
/// of `list.field` columns line up item by item.
fn csv_row(headers: &[String], record: &csv::StringRecord, schema: &Value) -> Value {
    let mut entry = Value::Object(Map::new());
    for (header, cell) in headers.iter().zip(record.iter()) {
        if cell.is_empty() || header.is_empty() {
            continue;
        }
        let parts: Vec<&str> = header.split('.').map(str::trim).collect();
        place(&mut entry, schema, schema, &parts, cell);
    }
    entry
}

fn split_list(cell: &str) -> Vec<&str> {
    cell.split(';').map(str::trim).collect()
}

fn place(target: &mut Value, root: &Value, node: &Value, parts: &[&str], cell: &str) {
    let Some((key, rest)) = parts.split_first() else {
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let Some(map) = target.as_object_mut() else {
        return;
    };
    let node = super::resolve(root, node);
    let child = node
        .get("properties")
        .and_then(|p| p.get(*key))
        .map_or(&Value::Null, |c| super::resolve(root, c));
    if rest.is_empty() {
        let value = if is_kind(child, "array") {
            Value::from(
                split_list(cell)
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>(),
            )
        } else {
            Value::from(cell)
        };
        map.insert((*key).to_owned(), value);
        return;
    }
    let slot = map.entry(*key).or_insert_with(|| Value::Object(Map::new()));
    if is_kind(child, "array") {
        let items_schema = child.get("items").unwrap_or(&Value::Null);
        if !slot.is_array() {
            *slot = Value::Array(Vec::new());
        }
        let Some(items) = slot.as_array_mut() else {
            return;
        };
        for (i, part) in split_list(cell).into_iter().enumerate() {
            while items.len() <= i {
                items.push(Value::Object(Map::new()));
            }
            if !part.is_empty() {
                place(&mut items[i], root, items_schema, rest, part);
            }
        }
    } else {
        place(slot, root, child, rest, cell);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_columns_nest_and_line_up() {
        let schema = crate::catalogue::reference::Reference::embedded().schema;
        let headers: Vec<String> = [
            "title",
            "technology.stack",
            "contacts.name",
            "contacts.email",
        ]
        .map(str::to_owned)
        .to_vec();
        let record = csv::StringRecord::from(vec!["T", "Python; Azure", "A;B", "a@x;b@x"]);
        let value = csv_row(&headers, &record, &schema);
        assert_eq!(
            value["technology"]["stack"],
            serde_json::json!(["Python", "Azure"])
        );
        assert_eq!(value["contacts"][1]["email"], "b@x");
        assert_eq!(value["contacts"][0]["name"], "A");
    }

    #[test]
    fn rows_are_counted_as_the_reader_reads_them() {
        for text in [
            "h\na\nb\n",
            "h\r\na\r\n\r\n\r\nb",
            "h\ra\r\r\rb\r",
            "\u{feff}h,i\n\"a\nstill a\",x\nb,y\n",
            "h\n,,\n  \n",
        ] {
            let reader = csv::ReaderBuilder::new()
                .flexible(true)
                .from_reader(text.as_bytes())
                .records()
                .count();
            assert_eq!(csv_rows(text).ok(), Some(reader), "{text:?}");
        }
        let wide = format!("h\n{}\n", ",".repeat(MAX_IMPORT_COLUMNS));
        assert!(
            csv_rows(&wide).is_err(),
            "a row of more cells than any entry has"
        );
    }

    #[test]
    fn lines_end_as_an_editor_ends_them() {
        let text = "a\r\nb\rc\nd";
        let mut lines = Lines::default();
        assert_eq!(lines.at(text, 0), 1);
        assert_eq!(lines.at(text, 2), 2, "at the LF of a CRLF");
        assert_eq!(lines.at(text, 3), 2, "after CRLF");
        assert_eq!(lines.at(text, 5), 3, "after a bare CR");
        assert_eq!(lines.at(text, 7), 4, "after LF");
        assert_eq!(lines.at(text, 100), 4, "past the end");
    }

    #[test]
    fn a_field_is_found_in_its_column_or_the_nearest_one() {
        let headers: Vec<String> = ["title", "contacts.name", "contacts.email", "phase"]
            .map(str::to_owned)
            .into();
        let columns = Columns::of(&headers);
        assert_eq!(columns.find("/contacts/1/email"), Some(2));
        assert_eq!(columns.find("/contacts"), Some(1));
        assert_eq!(columns.find("/contacts/0/role"), Some(1));
        assert_eq!(columns.find("/phase"), Some(3));
        assert_eq!(columns.find("/summary"), None);
        assert_eq!(columns.find(""), None);
        let deep = vec!["a".to_owned(); 2];
        assert!(check_headers(&deep).is_ok());
        assert!(check_headers(&["a.b.c.d.e.f.g.h.i".to_owned()]).is_err());
        assert!(check_headers(&vec!["x".to_owned(); MAX_IMPORT_COLUMNS + 1]).is_err());
    }

    #[test]
    fn cells_start_after_each_comma_outside_quotes() {
        let text: Arc<str> = Arc::from("a,b\n\"x, \"\"y\"\"\",é,z\n");
        let cells = Row::of(&text, 2, 4, usize::MAX);
        assert_eq!(cells.cells, [(1, 10), (12, 1), (14, 1)]);
        assert_eq!(cells.cell(7), (1, 10), "no such cell: the first");
        assert_eq!(
            cells.source.map(|s| s.as_str().to_owned()).as_deref(),
            Some("\"x, \"\"y\"\"\",é,z")
        );
        // A quote inside an unquoted cell, or after a space, is text: as the CSV reader reads it.
        let text: Arc<str> = Arc::from("5\" screen, x,\"a\"\"\",b\r\nnext,row");
        assert_eq!(
            Row::of(&text, 1, 0, usize::MAX).cells,
            [(1, 9), (11, 2), (14, 5), (20, 1)]
        );
        let text: Arc<str> = Arc::from("a, \"b,c\"\rz,z");
        assert_eq!(
            Row::of(&text, 1, 0, usize::MAX).cells,
            [(1, 1), (3, 3), (7, 2)],
            "a bare CR ends the row"
        );
        assert_eq!(
            Row::of(&text, 1, 0, 2).cells,
            [(1, 1), (3, 3)],
            "no more cells than the header has"
        );
    }
}
