//! CSV for spreadsheets, made safe in one place: every cell quoted, and no cell — nor any part
//! of one that a spreadsheet could split off — starting a formula.
//!
//! A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and, in some, a tab or a
//! carriage return) as a formula: `=HYPERLINK(…)` in a title becomes a link that leaks data,
//! or worse. OWASP's advice (CSV Injection): quote every cell, and put an apostrophe before a
//! formula starter at the start of a cell *and after each separator*, because a user who
//! splits a column on `;` or `,` (Text to Columns) makes `x;=HYPERLINK(…)` a cell of its own.

use std::io::Write;

use crate::catalogue::validate::characters::is_forbidden;

/// What a spreadsheet may read as the start of a formula: the ASCII ones, their full-width
/// forms (which some spreadsheets fold to ASCII), a tab and a carriage return.
fn starts_formula(c: char) -> bool {
    matches!(
        c,
        '=' | '+' | '-' | '@' | '\t' | '\r' | '\u{FF1D}' | '\u{FF0B}' | '\u{FF0D}' | '\u{FF20}'
    )
}

/// What a spreadsheet, or a user splitting a column, may split a cell on: `;` and `,` (and
/// their full-width forms), `|`, a tab and a line break.
fn separates(c: char) -> bool {
    matches!(
        c,
        ';' | ',' | '|' | '\t' | '\n' | '\r' | '\u{FF1B}' | '\u{FF0C}' | '\u{FF5C}'
    )
}

/// `text` as a cell no spreadsheet runs as a formula: the characters entry text may not hold
/// (controls, direction overrides; NSI219) dropped, and an apostrophe put before a formula
/// starter at the start of the cell and at the start of each part a separator begins (spaces
/// after the separator skipped: `a; =1` is `a; '=1`).
pub fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    // At the start of the cell, or after a separator and any spaces.
    let mut part_starts = true;
    for c in text.chars() {
        if c == '\r' {
            // Dropped (NSI219), but a spreadsheet may split on it.
            part_starts = true;
            continue;
        }
        if is_forbidden(c) {
            continue;
        }
        if part_starts && starts_formula(c) {
            out.push('\'');
        }
        out.push(c);
        if separates(c) {
            part_starts = true;
        } else if c != ' ' {
            part_starts = false;
        }
    }
    out
}

/// A CSV writer to `out` that quotes every cell. Cells still go through [`cell`].
pub fn writer<W: Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .from_writer(out)
}

#[cfg(test)]
mod tests {
    use super::{cell, writer};

    #[test]
    fn a_formula_starts_no_cell_and_no_part_of_one() {
        for (text, safe) in [
            ("=1+1", "'=1+1"),
            ("-2", "'-2"),
            ("+44 1234", "'+44 1234"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            // After a separator, with or without spaces.
            (
                "x;=HYPERLINK(\"http://evil.example\")",
                "x;'=HYPERLINK(\"http://evil.example\")",
            ),
            ("a, +b", "a, '+b"),
            ("a|@b", "a|'@b"),
            ("a\t-b", "a\t'-b"),
            ("one\n=cmd()", "one\n'=cmd()"),
            ("Kent; =1; Essex", "Kent; '=1; Essex"),
            // Full-width forms.
            ("\u{FF1D}1+1", "'\u{FF1D}1+1"),
            ("a\u{FF1B}\u{FF20}b", "a\u{FF1B}'\u{FF20}b"),
            // A carriage return, or an escape, hides nothing.
            ("\r=cmd()", "'=cmd()"),
            ("\u{1b}=SUM(A1)", "'=SUM(A1)"),
            ("a\u{202e}b\u{9b}c\nd", "abc\nd"),
        ] {
            assert_eq!(cell(text), safe, "{text:?}");
        }
        // Ordinary text is left alone: a hyphen inside a word or after a space is not a
        // formula, and nor is a separator followed by a word.
        for text in [
            "Kent Police",
            "Drone log - phase 2",
            "Power BI; SQL Server, Azure",
            "e-mail",
            "2026-01-01",
        ] {
            assert_eq!(cell(text), text);
        }
    }

    #[test]
    fn every_cell_is_quoted() {
        let mut out = writer(Vec::new());
        out.write_record(["id", "1", "two words", ""])
            .expect("write");
        let text = String::from_utf8(out.into_inner().expect("flush")).expect("utf-8");
        assert_eq!(text, "\"id\",\"1\",\"two words\",\"\"\n");
    }
}
