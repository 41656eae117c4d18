//! The shapes of hostile entry files that fill the size limit: each one a way to make a
//! reader of YAML, a validator or a renderer do work or keep memory that grows faster than the
//! file. Shared by `examples/gen_hostile` (for `bench/hostile.sh`) and `tests/bounded.rs`.

/// A valid entry of about 800 bytes: the start of every shape that needs one.
pub fn base_entry(id: &str) -> String {
    format!(
        "id: {id}
title: Video response
summary: A short summary of what the solution does and for whom.
problem_statement: Victims waited too long for an officer to attend.
owner_force: kent
categories:
  - public-contact
phase: live
technology:
  stack:
    - Python
  deployment: cloud
  licence: MIT
skills:
  - role: data
    level: working
documentation:
  - type: dpia
    availability: on-request
contacts:
  - name: Ann Example
    role: Product owner
    email: ann.example@kent.police.example
    valid_until: 2027-06-30
aftercare:
  level: none
rationale: Other forces gain a tested operating model from this entry.
visibility: policing
created: 2025-01-10
last_reviewed: 2026-06-01
"
    )
}

/// The technology block of [`base_entry`].
const TECHNOLOGY: &str =
    "technology:\n  stack:\n    - Python\n  deployment: cloud\n  licence: MIT\n";

/// A second version of a shape's text, as an edit in a pull request would make it: every
/// item, word and value changed, at the same size, so that comparing the two (`nsi diff`,
/// `review`, `history`) has as much to do as it can.
pub fn changed(text: &str) -> String {
    let changed = text
        .replace("Python ", "Jython ")
        .replace("word", "wore")
        .replace(",1", ",2")
        .replace(": 1,", ": 2,")
        .replace(": v\n", ": w\n")
        .replace("title: again", "title: other")
        .replace("ghp_abc", "ghp_abd")
        .replace(" x\n", " y\n")
        .replace("Video response", "Video responds");
    // A shape with none of these (one that is not an entry at all) still changes.
    if changed == text {
        let changed = text.replacen('a', "b", 1);
        assert!(changed != text, "a shape that cannot be changed");
        changed
    } else {
        changed
    }
}

/// `head`, then `item` repeated (joined by `separator`) for as long as the whole stays within
/// `size` bytes once `tail` is added.
fn fill(head: &str, item: &str, separator: &str, tail: &str, size: usize) -> String {
    let mut text = String::with_capacity(size);
    text.push_str(head);
    let mut first = true;
    while text.len() + separator.len() + item.len() + tail.len() <= size {
        if !first {
            text.push_str(separator);
        }
        text.push_str(item);
        first = false;
    }
    text.push_str(tail);
    text
}

/// `head`, then `make(i)` for i = 0, 1, … for as long as the whole stays within `size` bytes.
fn fill_with(head: &str, size: usize, make: impl Fn(usize) -> String) -> String {
    let mut text = String::with_capacity(size);
    text.push_str(head);
    for i in 0.. {
        let item = make(i);
        if text.len() + item.len() > size {
            break;
        }
        text.push_str(&item);
    }
    text
}

/// Every shape: its name (the entry's id and file stem) and its text, each at most `size`
/// bytes.
pub fn shapes(size: usize) -> Vec<(&'static str, String)> {
    let entry = base_entry;
    let mut out = vec![
        // The file: one line of aliases, each a finding on a line as long as the file.
        ("alias-line", fill("a: &a x\nz: [", "*a", ",", "]\n", size)),
        // Aliases where the schema also has something to say about each item.
        (
            "alias-tags",
            fill(
                &(entry("alias-tags") + "tags: [&a x"),
                "*a",
                ", ",
                "]\n",
                size,
            ),
        ),
        // Aliases as keys: two findings each.
        ("alias-keys", fill("{", "*a : 1", ", ", "}\n", size)),
        // One line of numbers where text belongs: a schema finding (and a hint) per item.
        (
            "wrong-types-line",
            fill(
                &(entry("wrong-types-line") + "tags: ["),
                "1",
                ",",
                "]\n",
                size,
            ),
        ),
        // One line of unknown keys.
        (
            "unknown-keys-line",
            fill_with("{", size - 2, |i| format!("k{i}: 1, ")) + "}\n",
        ),
        // Many keys, one a line.
        (
            "many-keys",
            fill_with(&entry("many-keys"), size, |i| format!("k{i}: v\n")),
        ),
        // The same key again and again.
        (
            "duplicate-keys",
            fill(&entry("duplicate-keys"), "title: again", "\n", "\n", size),
        ),
        // As deep as the parser allows, then deeper: brackets that never close.
        ("deep-nesting", fill("a: ", "[", "", "\n", size)),
        // 63 levels (the most allowed), again and again.
        (
            "deep-repeated",
            fill_with(&entry("deep-repeated"), size, |i| {
                format!("k{i}: {}1{}\n", "[".repeat(62), "]".repeat(62))
            }),
        ),
        // One line of text as long as the file, far over the description's length limit.
        (
            "long-line",
            fill(
                &(entry("long-line") + "description: "),
                "word",
                " ",
                "\n",
                size,
            ),
        ),
        // An explicit key as long as the file.
        (
            "long-key",
            fill(&(entry("long-key") + "? "), "k", "", ": 1\n", size),
        ),
        // Anchors on every item.
        (
            "many-anchors",
            fill_with(&(entry("many-anchors") + "tags:\n"), size, |i| {
                format!("  - &a{i} x\n")
            }),
        ),
        // A control character in every item of one line.
        (
            "control-chars-line",
            fill(
                &(entry("control-chars-line") + "tags: ["),
                "\"\\e[31m\"",
                ",",
                "]\n",
                size,
            ),
        ),
        // A credential in every item of one line.
        (
            "secrets-line",
            fill(
                &(entry("secrets-line") + "tags: ["),
                "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
                ",",
                "]\n",
                size,
            ),
        ),
        // Valid in shape but huge: thousands of items in lists without a length limit, what
        // search, show and export render.
        (
            "many-items",
            fill_with(
                &(entry("many-items").replace(TECHNOLOGY, "")
                    + "technology:\n  deployment: cloud\n  licence: MIT\n  stack:\n"),
                size,
                |i| format!("    - Python {i}\n"),
            ),
        ),
    ];
    for (_, text) in &mut out {
        text.truncate(size);
    }
    out
}
