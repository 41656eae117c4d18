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

#[cfg(test)]
mod tests {
    use super::{terminal_line, terminal_safe};

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
