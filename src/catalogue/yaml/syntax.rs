//! Where a YAML syntax error really is. The parser reports an unclosed `[` or `{` where it gave
//! up, often lines later at the next key, and an unclosed quote as "invalid indentation"; a
//! person needs to be pointed at the bracket or quote that was opened and never closed.

use crate::catalogue::diagnostic::Position;

/// A better place and message for the parser's error at `at` (saying `info`), when one can be
/// found: the flow bracket still open when the parser gave up, a bracket closed by the wrong
/// one, or a quote opened and not closed on its line.
pub fn explain(text: &str, at: Position, info: &str) -> Option<(Position, String)> {
    let lines: Vec<&str> = text.lines().collect();
    if info.contains("must be followed by a valid YAML whitespace") {
        // `key:<tab>value`: the parser asks for "valid YAML whitespace" without naming the tab.
        let line = lines.get(at.line.checked_sub(1)?)?;
        let before: Vec<char> = line.chars().take(at.column + 1).collect();
        let tab = before.iter().rposition(|c| *c == '\t')?;
        return Some((
            Position::new(at.line, tab + 1),
            "a tab is here: YAML wants a space after `:` or `-`, and spaces for indentation"
                .to_owned(),
        ));
    }
    if info.contains("quoted scalar") {
        // Only for a quote that is never closed: an unknown escape is reported at the quote
        // too, and is the parser's to explain.
        let unclosed = [
            "invalid indentation",
            "unexpected end of stream",
            "document indicator",
        ];
        if !unclosed.iter().any(|m| info.contains(m)) {
            return None;
        }
        let line = lines.get(at.line.checked_sub(1)?)?;
        let quote = line.chars().nth(at.column.checked_sub(1)?)?;
        if !matches!(quote, '"' | '\'') || closes_on_line(line, at.column, quote) {
            return None;
        }
        // Quoted text may go on to the next line only if that line is indented more; the
        // parser stops at one that is not. If that line ends the text, it is the indentation.
        if info.contains("indentation") && lines.get(at.line).is_some_and(|l| l.contains(quote)) {
            return Some((
                at,
                format!(
                    "this quoted text goes on to line {}, which must then be indented more than \
                     line {}; or end it on this line",
                    at.line + 1,
                    at.line
                ),
            ));
        }
        return Some((
            at,
            format!("this quote is never closed: end the text with {quote}"),
        ));
    }
    // Nothing but blanks from where the parser stopped: the file ended there.
    let rest_blank = lines
        .get(at.line.saturating_sub(1)..)
        .unwrap_or_default()
        .iter()
        .enumerate()
        .all(|(i, l)| {
            let skip = if i == 0 {
                at.column.saturating_sub(1)
            } else {
                0
            };
            l.chars().skip(skip).all(char::is_whitespace)
        });
    // Otherwise only when the parser's own words say it stopped inside a flow collection.
    let in_flow = ["flow", "expected ','", "illegal placement of ':'"];
    if !rest_blank && !in_flow.iter().any(|m| info.contains(m)) {
        return None;
    }
    let open = match open_brackets(&lines, at) {
        Ok(open) => open,
        Err(mismatch) => return Some(mismatch),
    };
    // Still open where the parser gave up, at a line that starts a new key no deeper than the
    // bracket's own line: the bracket was never closed.
    let (opener, at_open) = *open.first()?;
    let opener_line = lines.get(at_open.line - 1)?;
    let stopped_at = lines.get(at.line.checked_sub(1)?).filter(|_| !rest_blank);
    let Some(stopped_at) = stopped_at else {
        return Some((
            at_open,
            format!(
                "this `{opener}` is never closed: add the matching `{}`",
                matching(opener)
            ),
        ));
    };
    let new_key = stopped_at
        .trim_start_matches(' ')
        .split_once(':')
        .is_some_and(|(key, rest)| {
            !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
                && (rest.is_empty() || rest.starts_with(' '))
        });
    (at_open.line < at.line && new_key && indent(stopped_at) <= indent(opener_line)).then(|| {
        (
            at_open,
            format!(
                "this `{opener}` is never closed: add the matching `{}` before line {}",
                matching(opener),
                at.line
            ),
        )
    })
}

/// The flow brackets still open at `at`, outermost first, or a bracket closed by the wrong one
/// (its place and a message). A bracket counts only where a value starts, so `Use [x]` in plain
/// text is text; quoted text and comments are skipped.
fn open_brackets(
    lines: &[&str],
    at: Position,
) -> Result<Vec<(char, Position)>, (Position, String)> {
    let mut open: Vec<(char, Position)> = Vec::new();
    // The indentation of the key whose literal or folded text (`|`, `>`) is being skipped.
    let mut block_text: Option<usize> = None;
    for (index, line) in lines.iter().enumerate().take(at.line) {
        let number = index + 1;
        if let Some(key_indent) = block_text {
            if line.trim().is_empty() || indent(line) > key_indent {
                continue;
            }
            block_text = None;
        }
        if open.is_empty() && starts_block_text(line) {
            block_text = Some(indent(line));
            continue;
        }
        let chars: Vec<char> = line.chars().collect();
        let end = if number == at.line {
            at.column.saturating_sub(1).min(chars.len())
        } else {
            chars.len()
        };
        let mut column = 0;
        // What came before this character on the line, kept as the scan goes (so a long line
        // costs its length, not its square): the last character that is not a space, whether
        // spaces followed it, and whether a space (or the line's start) came before it.
        let mut last: Option<char> = None;
        let mut spaced = false;
        let mut last_stands_alone = false;
        while column < end {
            let c = chars[column];
            let here = Position::new(number, column + 1);
            let in_flow = !open.is_empty();
            let value_starts = match last {
                None => true,
                Some(':' | '?') => spaced || in_flow,
                Some('-') => !in_flow && spaced && last_stands_alone,
                Some('[' | '{' | ',') => in_flow,
                Some(_) => false,
            };
            match c {
                '#' if column == 0 || chars[column - 1] == ' ' => break,
                '"' | '\'' if value_starts => match closing_quote(&chars, column, c) {
                    Some(closing) => column = closing,
                    // A quote left open is the quote check's business.
                    None => break,
                },
                '[' | '{' if value_starts => open.push((c, here)),
                ']' | '}' if in_flow => {
                    let Some((opener, at_open)) = open.pop() else {
                        break;
                    };
                    if matching(opener) != c {
                        return Err((
                            here,
                            format!(
                                "this `{c}` closes the `{opener}` opened at line {}, column {}: \
                                 close that with `{}`",
                                at_open.line,
                                at_open.column,
                                matching(opener)
                            ),
                        ));
                    }
                }
                _ => {}
            }
            if matches!(c, ' ' | '\t') {
                spaced = true;
            } else {
                last_stands_alone = last.is_none() || spaced;
                last = Some(chars[column]);
                spaced = false;
            }
            column += 1;
        }
    }
    Ok(open)
}

/// Whether `line` ends with the header of literal or folded text (`key: |`, `- >-`, `|2+`).
fn starts_block_text(line: &str) -> bool {
    let line = line.split(" #").next().unwrap_or(line).trim_end();
    let header = line.trim_end_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '+');
    if header.len() + 2 < line.len() {
        return false;
    }
    let Some(before) = header
        .strip_suffix('|')
        .or_else(|| header.strip_suffix('>'))
    else {
        return false;
    };
    let before = before.trim_end();
    before.is_empty() || before.ends_with(':') || before.ends_with(" -") || before == "-"
}

/// How many spaces `line` is indented by.
fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn matching(opener: char) -> char {
    if opener == '[' { ']' } else { '}' }
}

/// The index of the quote that closes the one at `start` in `chars`, if the line holds it.
fn closing_quote(chars: &[char], start: usize, quote: char) -> Option<usize> {
    let mut i = start + 1;
    while i < chars.len() {
        match chars[i] {
            '\\' if quote == '"' => i += 1,
            // Two single quotes inside single quotes are one quote character.
            '\'' if quote == '\'' && chars.get(i + 1) == Some(&'\'') => i += 1,
            c if c == quote => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

/// Whether the quote at the 1-based `column` of `line` is closed on the same line.
fn closes_on_line(line: &str, column: usize, quote: char) -> bool {
    let chars: Vec<char> = line.chars().collect();
    closing_quote(&chars, column - 1, quote).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn explained(
        text: &str,
        line: usize,
        column: usize,
        info: &str,
    ) -> Option<(usize, usize, String)> {
        explain(text, Position::new(line, column), info).map(|(p, m)| (p.line, p.column, m))
    }

    #[test]
    fn an_unclosed_bracket_is_found_where_it_was_opened() {
        let text = "id: x\ntitle: [unclosed\nsummary: >-\n  text\n";
        let (line, column, message) =
            explained(text, 3, 8, "illegal placement of ':' indicator").expect("explained");
        assert_eq!((line, column), (2, 8));
        assert_eq!(
            message,
            "this `[` is never closed: add the matching `]` before line 3"
        );
        let text = "id: x\ntags:\n  - {a: [1, 2]\nsummary: s\n";
        let (line, column, message) =
            explained(text, 4, 8, "did not find expected ',' or '}'").expect("explained");
        assert_eq!((line, column), (3, 5));
        assert!(message.starts_with("this `{` is never closed"), "{message}");
        // The file ends inside it.
        let text = "id: x\ntags: [a, b\n";
        let (line, column, message) =
            explained(text, 3, 1, "did not find expected ',' or ']'").expect("explained");
        assert_eq!((line, column), (2, 7));
        assert_eq!(message, "this `[` is never closed: add the matching `]`");
    }

    #[test]
    fn a_bracket_closed_by_the_wrong_one_is_named() {
        let text = "id: x\ntitle: [a, {b: c]\nsummary: s\n";
        let (line, column, message) =
            explained(text, 3, 1, "invalid indentation in flow construct").expect("explained");
        assert_eq!((line, column), (2, 17));
        assert_eq!(
            message,
            "this `]` closes the `{` opened at line 2, column 12: close that with `}`"
        );
    }

    #[test]
    fn a_tab_after_a_colon_is_named() {
        let text = "id: x\ntitle:\tDomestic\n";
        let (line, column, message) = explained(
            text,
            2,
            7,
            "':' must be followed by a valid YAML whitespace",
        )
        .expect("explained");
        assert_eq!((line, column), (2, 7));
        assert!(
            message.starts_with("a tab is here: YAML wants a space after `:`"),
            "{message}"
        );
    }

    #[test]
    fn an_unclosed_quote_is_named() {
        let text = "id: x\ntitle: \"unclosed\nsummary: s\n";
        let (line, column, message) =
            explained(text, 2, 8, "invalid indentation in quoted scalar").expect("explained");
        assert_eq!(
            (line, column, message.as_str()),
            (2, 8, "this quote is never closed: end the text with \"")
        );
    }

    #[test]
    fn brackets_in_literal_or_folded_text_and_other_errors_are_left_alone() {
        // `[` inside folded text, then an unquoted `: ` on a later key: not the bracket's fault.
        let text = "summary: >-\n  Note: [see appendix\ntitle: foo: bar\n";
        assert_eq!(
            explained(
                text,
                3,
                11,
                "mapping values are not allowed in this context"
            ),
            None
        );
        let text = "summary: |\n  [see\ntags: [a, b\nid: x\n";
        let (line, column, _) =
            explained(text, 4, 3, "did not find expected ',' or ']'").expect("explained");
        assert_eq!((line, column), (3, 7), "the list's bracket, not the text's");
        // An unknown escape is reported at the quote, but the quote is closed.
        let text = "summary: \"Uses C:\\Windows\n  paths\"\n";
        assert_eq!(
            explained(
                text,
                1,
                10,
                "while parsing a quoted scalar, found unknown escape character"
            ),
            None
        );
        // Closed, but on a line not indented enough.
        let text = "title: \"abc\ndef\"\nid: x\n";
        let (_, _, message) =
            explained(text, 1, 8, "invalid indentation in quoted scalar").expect("explained");
        assert!(
            message.starts_with("this quoted text goes on to line 2"),
            "{message}"
        );
        // A file that ends inside a bracket on the bracket's own line, without a final newline.
        let text = "id: x\ntags: [a, b";
        let (line, column, _) =
            explained(text, 2, 12, "did not find expected ',' or ']'").expect("explained");
        assert_eq!((line, column), (2, 7));
    }

    #[test]
    fn brackets_and_quotes_inside_plain_text_or_closed_are_left_alone() {
        // Brackets inside a plain value, an apostrophe, a comment, and a closed flow list:
        // the error is elsewhere, and nothing is blamed on them.
        let text = "title: Use [x] here\nsummary: It's fine # [not\ntags: [a, b]\nid: x: y\n";
        assert_eq!(
            explained(text, 4, 6, "mapping values are not allowed in this context"),
            None
        );
        // A flow list legitimately continued on the next line is not "never closed" when the
        // error is inside it.
        let text = "tags: [a,\n  b, c: d: e]\n";
        assert_eq!(
            explained(text, 2, 9, "mapping values are not allowed"),
            None
        );
    }
}
