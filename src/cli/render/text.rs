//! Entry content is untrusted: before it reaches a terminal, control characters and bidirectional
//! overrides are made visible instead of being interpreted.

use std::fmt::Write as _;

use crate::catalogue::validate::characters::is_forbidden;

/// Replace the characters entry text may not hold (control characters and direction overrides,
/// NSI219) with visible `\u{…}` escapes; tabs become spaces, line breaks stay.
pub fn terminal_safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '\t' => out.push(' '),
            '\n' => out.push('\n'),
            c if is_forbidden(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// [`terminal_safe`] for text that must stay on one line (a message, a name in a list): line
/// breaks are shown as `\n` too, so that no entry text can start a line of its own (where a CI
/// log would read `::warning::…` as a command).
pub fn terminal_line(text: &str) -> String {
    terminal_safe(text).replace('\n', "\\n")
}

/// Escape untrusted text for Markdown (a table cell or running text in a pull-request comment):
/// no markup, no HTML, no line breaks, no cell separators, no `@mentions` (addresses are kept), no control or bidi
/// characters.
pub fn markdown_cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut previous = ' ';
    for ch in text.chars() {
        match ch {
            '\n' | '\r' | '\t' => out.push(' '),
            '\\' | '|' | '<' | '>' | '*' | '_' | '`' | '[' | ']' | '#' | '~' | '!' | '&' => {
                out.push('\\');
                out.push(ch);
            }
            // `@name` at the start of a word would notify someone; inside an address it does not.
            '@' if !previous.is_alphanumeric() => out.push_str("\\@"),
            c if is_forbidden(c) => {}
            c => out.push(c),
        }
        previous = ch;
    }
    out
}

/// Untrusted text for inside a Markdown code span (between backticks) outside a table:
/// backticks, line breaks, control characters and direction overrides dropped.
pub fn markdown_code(text: &str) -> String {
    text.chars()
        .filter(|&c| c != '`' && !c.is_control() && !is_forbidden(c))
        .collect()
}

/// Untrusted text for inside a code span in a Markdown table cell: [`markdown_code`], and `|`
/// escaped. GitHub splits a table row at every `|` that is not escaped, inside a code span too
/// (where the backslash of `\|` is then dropped), so a field named `a|b` would push the row's
/// other cells along. Backslashes just before a `|` are dropped, as readers differ on whether
/// `\\|` is an escaped pipe. Every table cell is [`markdown_cell`] (text) or this (code).
pub fn markdown_code_cell(text: &str) -> String {
    let code = markdown_code(text);
    let mut out = String::with_capacity(code.len());
    for c in code.chars() {
        if c == '|' {
            let kept = out.trim_end_matches('\\').len();
            out.truncate(kept);
            out.push_str("\\|");
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{markdown_cell, markdown_code_cell, terminal_line, terminal_safe};

    /// A row of cells made by the cell functions has as many unescaped `|` as a row of plain
    /// words.
    #[test]
    fn a_pipe_in_a_cell_does_not_split_the_row() {
        let unescaped = |row: &str| {
            let mut count = 0;
            let mut escaped = false;
            for c in row.chars() {
                if c == '|' && !escaped {
                    count += 1;
                }
                escaped = c == '\\' && !escaped;
            }
            count
        };
        let hostile = "a|b\\|c`|`\n| d\\\\|e";
        let row = format!(
            "| `{}` | {} |",
            markdown_code_cell(hostile),
            markdown_cell(hostile)
        );
        assert_eq!(unescaped(&row), 3, "{row}");
        // Read as GitHub's reader does (a `|` after any backslash is escaped), too.
        assert_eq!(
            row.matches('|').count() - row.matches("\\|").count(),
            3,
            "{row}"
        );
        assert_eq!(markdown_code_cell("notes|x"), "notes\\|x");
        assert_eq!(markdown_code_cell("a\\|b\\c"), "a\\|b\\c");
        assert_eq!(markdown_code_cell("a\\\\\\|b"), "a\\|b");
    }

    #[test]
    fn escapes_and_bidi_overrides_become_visible() {
        assert_eq!(terminal_safe("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(terminal_safe("x\u{202E}y"), "x\\u{202e}y");
        assert_eq!(terminal_safe("tab\there"), "tab here");
        assert_eq!(terminal_safe("plain é"), "plain é");
        assert_eq!(terminal_safe("two\nlines"), "two\nlines");
        assert_eq!(terminal_line("Nat\n::warning::x"), "Nat\\n::warning::x");
    }
}
