//! The Markdown of an entry's description as safe HTML: a small, common subset (paragraphs,
//! headings, lists, quotes, code, emphasis, links). Raw HTML in the text is shown as text, never
//! passed through, and links are only made for addresses [`safe_url`] allows.

use std::fmt::Write as _;

use super::escape::{escape, link, safe_url};

/// A block of the text being gathered.
#[derive(Debug, PartialEq, Eq)]
enum Open {
    Nothing,
    Paragraph(Vec<String>),
    Quote(Vec<String>),
    List { ordered: bool, items: Vec<String> },
    Code(Vec<String>),
}

/// Render `text` as HTML. Markdown headings fit under the page's own: the highest level used
/// becomes `<h{top}>`, the next `top + 1` and so on (at most `h6`), and none is more than one
/// level below the heading before it, so the outline never skips a level.
pub fn to_html(text: &str, top: usize) -> String {
    let mut out = String::new();
    let mut open = Open::Nothing;
    let mut used: Vec<usize> = text
        .lines()
        .filter_map(|line| heading(line.trim()).map(|(level, _)| level))
        .collect();
    used.sort_unstable();
    used.dedup();
    let mut previous = top - 1;
    for line in text.lines() {
        if let Open::Code(lines) = &mut open {
            if line.trim_start().starts_with("```") {
                close(&mut out, std::mem::replace(&mut open, Open::Nothing));
            } else {
                lines.push(line.to_owned());
            }
            continue;
        }
        let trimmed = line.trim();
        if trimmed.is_empty() {
            close(&mut out, std::mem::replace(&mut open, Open::Nothing));
            continue;
        }
        if trimmed.starts_with("```") {
            close(
                &mut out,
                std::mem::replace(&mut open, Open::Code(Vec::new())),
            );
            continue;
        }
        if let Some((level, heading)) = heading(trimmed) {
            close(&mut out, std::mem::replace(&mut open, Open::Nothing));
            let rank = used.iter().position(|l| *l == level).unwrap_or(0);
            let level = (top + rank).min(previous + 1).min(6);
            previous = level;
            let _ = writeln!(out, "<h{level}>{}</h{level}>", inline(heading));
            continue;
        }
        if let Some((ordered, item)) = list_item(line) {
            match &mut open {
                Open::List { ordered: o, items } if *o == ordered => items.push(item.to_owned()),
                _ => {
                    close(&mut out, std::mem::replace(&mut open, Open::Nothing));
                    open = Open::List {
                        ordered,
                        items: vec![item.to_owned()],
                    };
                }
            }
            continue;
        }
        if let Some(quoted) = trimmed.strip_prefix('>') {
            if let Open::Quote(lines) = &mut open {
                lines.push(quoted.trim().to_owned());
            } else {
                close(&mut out, std::mem::replace(&mut open, Open::Nothing));
                open = Open::Quote(vec![quoted.trim().to_owned()]);
            }
            continue;
        }
        match &mut open {
            // A line under a list item continues it (lazy continuation, as CommonMark does).
            Open::List { items, .. } => {
                if let Some(last) = items.last_mut() {
                    last.push(' ');
                    last.push_str(trimmed);
                }
            }
            Open::Paragraph(lines) | Open::Quote(lines) => lines.push(trimmed.to_owned()),
            _ => {
                close(&mut out, std::mem::replace(&mut open, Open::Nothing));
                open = Open::Paragraph(vec![trimmed.to_owned()]);
            }
        }
    }
    close(&mut out, open);
    out
}

fn close(out: &mut String, block: Open) {
    match block {
        Open::Nothing => {}
        Open::Paragraph(lines) => {
            let _ = writeln!(out, "<p>{}</p>", inline(&lines.join(" ")));
        }
        Open::Quote(lines) => {
            let _ = writeln!(
                out,
                "<blockquote><p>{}</p></blockquote>",
                inline(&lines.join(" "))
            );
        }
        Open::List { ordered, items } => {
            let tag = if ordered { "ol" } else { "ul" };
            let _ = writeln!(out, "<{tag}>");
            for item in items {
                let _ = writeln!(out, "<li>{}</li>", inline(&item));
            }
            let _ = writeln!(out, "</{tag}>");
        }
        Open::Code(lines) => {
            let _ = writeln!(out, "<pre><code>{}</code></pre>", escape(&lines.join("\n")));
        }
    }
}

/// `# Heading` → (1, "Heading").
fn heading(line: &str) -> Option<(usize, &str)> {
    let level = line.bytes().take_while(|b| *b == b'#').count();
    let rest = &line[level..];
    ((1..=6).contains(&level) && rest.starts_with(' '))
        .then(|| (level, rest.trim().trim_end_matches('#').trim_end()))
}

/// `- item`, `* item`, `+ item`, `1. item`, `1) item` → (ordered, "item").
fn list_item(line: &str) -> Option<(bool, &str)> {
    let trimmed = line.trim_start();
    if let Some(rest) = ["- ", "* ", "+ "]
        .iter()
        .find_map(|marker| trimmed.strip_prefix(marker))
    {
        return Some((false, rest.trim()));
    }
    let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    let rest = trimmed.get(digits..)?;
    (digits > 0 && digits < 10 && (rest.starts_with(". ") || rest.starts_with(") ")))
        .then(|| (true, rest[2..].trim()))
}

/// Inline Markdown as HTML: code spans, strong and emphasis, links, autolinks and bare web
/// addresses; every other character escaped.
pub fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let previous_is_word = out.chars().next_back().is_some_and(char::is_alphanumeric);
        if let Some(consumed) = span(rest, previous_is_word, &mut out) {
            rest = &rest[consumed..];
            continue;
        }
        out.push_str(&escape(&c.to_string()));
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// If a span starts `text`, write it to `out` and return how many bytes it took.
fn span(text: &str, previous_is_word: bool, out: &mut String) -> Option<usize> {
    let first = text.chars().next()?;
    match first {
        '\\' => {
            let next = text[1..]
                .chars()
                .next()
                .filter(char::is_ascii_punctuation)?;
            out.push_str(&escape(&next.to_string()));
            Some(1 + next.len_utf8())
        }
        '`' => {
            let end = text[1..].find('`')? + 1;
            let _ = write!(out, "<code>{}</code>", escape(&text[1..end]));
            Some(end + 1)
        }
        '*' | '_' => {
            if first == '_' && previous_is_word {
                return None;
            }
            let strong: String = [first, first].iter().collect();
            if let Some(inner) = text.strip_prefix(strong.as_str()) {
                let end = inner.find(strong.as_str()).filter(|&e| e > 0)?;
                let _ = write!(out, "<strong>{}</strong>", inline(&inner[..end]));
                return Some(2 + end + 2);
            }
            let inner = &text[1..];
            if inner.starts_with(char::is_whitespace) {
                return None;
            }
            let end = inner.find(first).filter(|&e| e > 0)?;
            let _ = write!(out, "<em>{}</em>", inline(&inner[..end]));
            Some(1 + end + 1)
        }
        '[' => {
            let close = text.find("](")?;
            let label = &text[1..close];
            let after = &text[close + 2..];
            // The address ends at the `)` that balances the `(` before it, as in CommonMark.
            let mut depth = 0usize;
            let end = after.char_indices().find_map(|(i, c)| match c {
                '(' => {
                    depth += 1;
                    None
                }
                ')' if depth == 0 => Some(i),
                ')' => {
                    depth -= 1;
                    None
                }
                _ => None,
            })?;
            let url = &after[..end];
            out.push_str(&link_html(url, &inline(label)));
            Some(close + 2 + end + 1)
        }
        '<' => {
            let end = text.find('>')?;
            let url = &text[1..end];
            safe_url(url)?;
            out.push_str(&link(url, url));
            Some(end + 1)
        }
        'h' | 'H' if !previous_is_word => {
            let end = text
                .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"'))
                .unwrap_or(text.len());
            let url = text[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '\'']);
            let lower = url.to_ascii_lowercase();
            if !(lower.starts_with("http://") || lower.starts_with("https://")) {
                return None;
            }
            safe_url(url)?;
            out.push_str(&link(url, url));
            Some(url.len())
        }
        _ => None,
    }
}

/// A link whose label is already HTML; an unsafe address is shown, inert, after the label.
fn link_html(url: &str, label_html: &str) -> String {
    match safe_url(url) {
        Some(url) => format!("<a href=\"{}\">{label_html}</a>", escape(url)),
        None => format!(
            "{label_html} <span class=\"inert-url\">({})</span>",
            escape(url)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_common_subset_renders() {
        let html = to_html(
            "Intro with **bold**, *em*, `code` and [a link](https://x.example).\n\
             second line\n\n### Part\n\n- one\n- two\n  continued\n\n1. first\n2) second\n\n\
             > quoted\n\n```\n<b>code</b>\n```\nsee https://x.example/a.",
            3,
        );
        assert_eq!(
            html,
            "<p>Intro with <strong>bold</strong>, <em>em</em>, <code>code</code> and \
             <a href=\"https://x.example\">a link</a>. second line</p>\n\
             <h3>Part</h3>\n<ul>\n<li>one</li>\n<li>two continued</li>\n</ul>\n\
             <ol>\n<li>first</li>\n<li>second</li>\n</ol>\n\
             <blockquote><p>quoted</p></blockquote>\n\
             <pre><code>&lt;b&gt;code&lt;/b&gt;</code></pre>\n\
             <p>see <a href=\"https://x.example/a\">https://x.example/a</a>.</p>\n"
        );
    }

    #[test]
    fn headings_never_skip_a_level() {
        let levels = |text: &str| -> Vec<String> {
            to_html(text, 3)
                .lines()
                .filter(|l| l.starts_with("<h"))
                .map(|l| l[..3].to_owned())
                .collect()
        };
        assert_eq!(levels("## a\n\n#### b\n\n## c"), ["<h3", "<h4", "<h3"]);
        assert_eq!(levels("#### a\n\n## b\n\n#### c"), ["<h3", "<h3", "<h4"]);
        assert_eq!(
            levels("# a\n## b\n### c\n#### d\n##### e"),
            ["<h3", "<h4", "<h5", "<h6", "<h6"]
        );
    }

    #[test]
    fn raw_html_and_unsafe_links_are_inert() {
        let html = to_html(
            "<script>alert(1)</script> <img src=x onerror=alert(1)>\n\n\
             [click](javascript:alert(1)) <javascript:alert(1)> snake_case_name \"q\" onmouseover=",
            3,
        );
        assert!(
            !html.contains("<script") && !html.contains("<img"),
            "{html}"
        );
        assert!(!html.contains("href=\"javascript"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(html.contains("click <span class=\"inert-url\">(javascript:alert(1))</span>"));
        assert!(html.contains("snake_case_name"), "{html}");
        assert!(html.contains("&quot;q&quot; onmouseover="), "{html}");
    }

    #[test]
    fn unclosed_markers_are_text() {
        assert_eq!(
            inline("2 * 3 and a*b and **x"),
            "2 * 3 and a<em>b and </em>*x"
        );
        assert_eq!(inline("[x](y"), "[x](y");
        assert_eq!(inline(r"\*not em\*"), "*not em*");
    }
}
