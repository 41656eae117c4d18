//! Migrating a file that has comments without rewriting it: the lines the migration changes
//! are found by comparing the canonical text of the entry before and after, and only those
//! lines are changed in the file; every other line — comments, blank lines, the author's own
//! spelling of a value — stays as it was.
//!
//! The result is accepted only when it reads back as exactly the migrated entry; otherwise
//! (a change next to a line written in another layout than nsi's, a comment on a line the
//! migration removes) the file is refused and left byte for byte, as before.

use serde_json::Value;
use similar::{Algorithm, DiffOp, capture_diff_slices};

use crate::catalogue::format::first_comment;
use crate::catalogue::yaml;

/// One line of the file: its YAML, and the comment at its end (with the spaces before it).
#[derive(Debug)]
struct Line {
    code: String,
    comment: Option<String>,
}

/// The lines of `source`, each a YAML line with its trailing comment split off, or a line
/// that holds only a comment or nothing (kept whole). `None` when the comments cannot be
/// told apart from the YAML.
fn split(source: &str) -> Option<Vec<(Option<Line>, String)>> {
    // (line, the original text): `None` for a line with no YAML.
    let mut lines: Vec<(Option<Line>, String)> = source
        .lines()
        .map(|text| {
            let line = (!text.trim().is_empty()).then(|| Line {
                code: text.to_owned(),
                comment: None,
            });
            (line, text.to_owned())
        })
        .collect();
    for _ in 0..=lines.len() {
        let kept: Vec<usize> = (0..lines.len())
            .filter(|&i| lines[i].0.as_ref().is_some())
            .collect();
        let text = kept
            .iter()
            .filter_map(|&i| lines[i].0.as_ref())
            .fold(String::new(), |text, line| text + &line.code + "\n");
        let Some(position) = first_comment(&text) else {
            return Some(lines);
        };
        let index = *kept.get(position.line.checked_sub(1)?)?;
        let line = lines[index].0.as_mut()?;
        let at = line
            .code
            .char_indices()
            .nth(position.column.checked_sub(1)?)
            .map(|(i, _)| i)?;
        let before = &line.code[..at];
        if before.trim().is_empty() {
            lines[index].0 = None;
        } else {
            let code = before.trim_end();
            line.comment = Some(line.code[code.len()..].to_owned());
            line.code = code.to_owned();
        }
    }
    None
}

/// `source` (an entry file's text without its byte-order mark) with the change from
/// `old_canonical` to `new_canonical` (the entry's canonical text before and after the
/// migration) made in place, its comments and the layout of every untouched line kept, as LF
/// text; `None` when that cannot be done safely, so that the file is refused instead. The
/// result is checked to read back as `expected`.
pub fn migrate_in_place(
    source: &str,
    old_canonical: &str,
    new_canonical: &str,
    expected: &Value,
) -> Option<String> {
    let source = source.replace("\r\n", "\n");
    let lines = split(&source)?;
    // The YAML lines of the file, and where each is among all its lines.
    let code: Vec<(usize, &Line)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, (line, _))| line.as_ref().map(|l| (i, l)))
        .collect();
    let code_text: Vec<&str> = code.iter().map(|(_, line)| line.code.as_str()).collect();
    let old: Vec<&str> = old_canonical.lines().collect();
    let new: Vec<&str> = new_canonical.lines().collect();
    // Which canonical line is which line of the file, where the two are written alike.
    let mut file_line_of: Vec<Option<usize>> = vec![None; old.len()];
    for op in capture_diff_slices(Algorithm::Myers, &old, &code_text) {
        if let DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = op
        {
            for k in 0..len {
                file_line_of[old_index + k] = Some(code[new_index + k].0);
            }
        }
    }
    let edits = plan(&lines, &code, &file_line_of, &old, &new)?;
    let mut out = String::with_capacity(source.len() + new_canonical.len() / 4);
    for (i, (_, text)) in lines.iter().enumerate() {
        for inserted in &edits.before[i] {
            out.push_str(inserted);
            out.push('\n');
        }
        if edits.removed[i] {
            continue;
        }
        out.push_str(edits.replaced[i].as_deref().unwrap_or(text));
        out.push('\n');
    }
    for inserted in &edits.before[lines.len()] {
        out.push_str(inserted);
        out.push('\n');
    }
    (yaml::parse_value(&out).as_ref() == Some(expected)).then_some(out)
}

/// What happens to each line of the file, and what is written before it (or at the end).
struct Edits<'n> {
    removed: Vec<bool>,
    replaced: Vec<Option<String>>,
    before: Vec<Vec<&'n str>>,
}

/// The edits that make the change from `old` to `new` (canonical lines) in the file's `lines`,
/// whose YAML lines are `code`, canonical line `k` being file line `file_line_of[k]` where the
/// two are written alike; `None` when a change has no clear place or would lose a comment.
fn plan<'n>(
    lines: &[(Option<Line>, String)],
    code: &[(usize, &Line)],
    file_line_of: &[Option<usize>],
    old: &[&str],
    new: &[&'n str],
) -> Option<Edits<'n>> {
    let mut removed = vec![false; lines.len()];
    let mut replaced: Vec<Option<String>> = vec![None; lines.len()];
    let mut before: Vec<Vec<&str>> = vec![Vec::new(); lines.len() + 1];
    // The start of the block a YAML line heads: the comments and blank lines above it.
    let block_start = |file_line: usize| {
        let mut start = file_line;
        while start > 0 && lines[start - 1].0.is_none() {
            start -= 1;
        }
        start
    };
    // Where lines inserted before canonical line `k` go in the file.
    let insert_at = |k: usize| -> Option<usize> {
        if let Some(&Some(at)) = file_line_of.get(k) {
            return Some(block_start(at));
        }
        if k == 0 {
            return None;
        }
        // After the line before, or at the end of the YAML when it was the last.
        match file_line_of.get(k - 1) {
            Some(&Some(at)) => Some(at + 1),
            _ => None,
        }
    };
    for op in capture_diff_slices(Algorithm::Myers, old, new) {
        match op {
            DiffOp::Equal { .. } => {}
            DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            } => {
                let at = if old_index == old.len() {
                    code.last().map_or(lines.len(), |(i, _)| i + 1)
                } else {
                    insert_at(old_index)?
                };
                before[at].extend(&new[new_index..new_index + new_len]);
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => {
                for &at in &file_line_of[old_index..old_index + old_len] {
                    let at = at?;
                    if lines[at].0.as_ref()?.comment.is_some() {
                        return None;
                    }
                    removed[at] = true;
                }
            }
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                let olds: Vec<usize> = (old_index..old_index + old_len)
                    .map(|k| file_line_of[k])
                    .collect::<Option<_>>()?;
                let news = &new[new_index..new_index + new_len];
                if old_len == new_len {
                    // Line for line: each keeps its comment.
                    for (&at, text) in olds.iter().zip(news) {
                        let comment = lines[at].0.as_ref()?.comment.as_deref().unwrap_or("");
                        replaced[at] = Some(format!("{text}{comment}"));
                    }
                } else {
                    for &at in &olds {
                        if lines[at].0.as_ref()?.comment.is_some() {
                            return None;
                        }
                        removed[at] = true;
                    }
                    before[olds[0]].extend(news);
                }
            }
        }
    }
    Some(Edits {
        removed,
        replaced,
        before,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str) -> Value {
        yaml::parse_value(text).expect("YAML")
    }

    #[test]
    fn comments_and_untouched_lines_stay() {
        let source = "# An entry.\nid: a\ncreated: 2025-01-01  # the day\n\nlast: x\n# end\n";
        let old = "id: a\ncreated: '2025-01-01'\nlast: x\n";
        let new = "id: a\ncreated: '2025-01-01'\nlast: x\nai:\n  use: not-stated\n";
        let expected = value(new);
        assert_eq!(
            migrate_in_place(source, old, new, &expected).as_deref(),
            Some(
                "# An entry.\nid: a\ncreated: 2025-01-01  # the day\n\nlast: x\nai:\n  use: \
                 not-stated\n# end\n"
            )
        );
    }

    #[test]
    fn a_replaced_line_keeps_its_comment_and_a_removed_one_refuses() {
        let source = "id: a\nowner: kent # renamed soon\nold: 1\n";
        let old = "id: a\nowner: kent\nold: 1\n";
        let new = "id: a\nowner: kent-and-medway\nold: 1\n";
        assert_eq!(
            migrate_in_place(source, old, new, &value(new)).as_deref(),
            Some("id: a\nowner: kent-and-medway # renamed soon\nold: 1\n")
        );
        let gone = "id: a\nold: 1\n";
        assert_eq!(migrate_in_place(source, old, gone, &value(gone)), None);
    }

    #[test]
    fn a_change_next_to_lines_in_another_layout_is_refused() {
        // The list is written in flow style: the migration's new item has no place in it.
        let source = "id: a\n# tags\ntags: [x]\n";
        let old = "id: a\ntags:\n  - x\n";
        let new = "id: a\ntags:\n  - x\n  - y\n";
        assert_eq!(migrate_in_place(source, old, new, &value(new)), None);
    }

    #[test]
    fn a_hash_inside_a_value_is_no_comment() {
        let source = "id: a\ntitle: 'a #1 tool' # ours\n";
        let old = "id: a\ntitle: 'a #1 tool'\n";
        let new = "id: a\ntitle: 'a #1 tool'\nv: '2'\n";
        assert_eq!(
            migrate_in_place(source, old, new, &value(new)).as_deref(),
            Some("id: a\ntitle: 'a #1 tool' # ours\nv: '2'\n")
        );
    }
}
