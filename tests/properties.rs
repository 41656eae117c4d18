//! Properties that must hold for any input, checked on generated cases:
//!
//! - `nsi fmt`'s canonical writer is idempotent and lossless on generated valid entries, whatever
//!   style they were written in (JSON, shuffled and oddly quoted block YAML), and keeps them valid;
//!   the fast canonical reader reads both texts as the full parser does, whenever it reads them.
//! - The field-level diff of an entry with itself is empty, and applying the changes it reports
//!   for two entries (derived from real shipped ones by random edits) to the first gives the
//!   second.
//! - Every search hit satisfies every filter, and a search without words lists exactly the
//!   entries that do.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;
use std::sync::OnceLock;

use chrono::{Days, NaiveDate};
use nsi::catalogue::diagnostic::Severity;
use nsi::catalogue::diff::{Change, FieldChange, diff_values};
use nsi::catalogue::entry::{AdoptionStatus, Availability, Entry, SkillLevel, value_name};
use nsi::catalogue::format::format_source;
use nsi::catalogue::load::{self, EntryFile};
use nsi::catalogue::lookup;
use nsi::catalogue::reference::Reference;
use nsi::catalogue::search::build_uncached;
use nsi::catalogue::search::text::fold;
use nsi::catalogue::search::{Filters, LoadedIndex, SearchRequest, SearchableNames, search};
use nsi::catalogue::validate::{EntryChecker, ValidationOptions};
use nsi::catalogue::yaml::{canonical, escape_pointer_token, from_canonical, parse_value};
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Map, Value, json};

const REPO: &str = env!("CARGO_MANIFEST_DIR");

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).expect("a real date")
}

fn reference() -> &'static Reference {
    static REFERENCE: OnceLock<Reference> = OnceLock::new();
    REFERENCE.get_or_init(Reference::embedded)
}

fn checker() -> &'static EntryChecker {
    static CHECKER: OnceLock<EntryChecker> = OnceLock::new();
    CHECKER.get_or_init(|| {
        let options = ValidationOptions {
            strict: false,
            today: today(),
        };
        EntryChecker::new(reference().clone(), options).expect("the schema compiles")
    })
}

/// The errors (not warnings) `text` gets as the entry `catalogue/<force>/<id>.yaml`.
fn errors(value: &Value, text: &str) -> Vec<String> {
    let id = value["id"].as_str().unwrap_or("entry");
    let force = value["owner_force"].as_str().unwrap_or("kent");
    let path = format!("catalogue/{force}/{id}.yaml");
    let (diagnostics, _) = checker().check_text(&EntryFile::new(&path, &path), text);
    // The generator writes control characters and direction overrides on purpose, for the
    // YAML round trip to keep; that entry text may not hold them (NSI219) is beside the point.
    diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error && d.code != "NSI219")
        .map(|d| format!("{}@{}:{} {}", d.code, d.line, d.column, d.message))
        .collect()
}

// ----------------------------------------------------------------------------------------------
// Generated valid entries
// ----------------------------------------------------------------------------------------------

fn slugs(terms: impl Iterator<Item = String>) -> Vec<String> {
    terms.collect()
}

fn forces() -> Vec<String> {
    slugs(reference().forces.iter().map(|f| f.slug.clone()))
}

fn enum_values(pointer: &str) -> Vec<String> {
    reference().schema_enum(pointer)
}

/// A piece of text that is hard to write in YAML: quotes, indicators, words YAML 1.1 reads as
/// booleans, numbers, dates, escapes, unusual spaces and control characters.
fn awkward_piece(multi_line: bool) -> BoxedStrategy<String> {
    let single = prop_oneof![
        6 => "[A-Za-z]{1,8}",
        2 => Just(" ".to_owned()),
        1 => prop_oneof![
            Just(": "), Just(" #"), Just("#"), Just("'"), Just("\""), Just("\\"), Just("\t"),
            Just("- "), Just("? "), Just("&a"), Just("*a"), Just("!t"), Just("|"), Just(">"),
            Just("%"), Just("@"), Just("`"), Just("["), Just("]"), Just("{"), Just("}"),
            Just(","), Just("---"), Just("..."), Just("<<"), Just("  "),
        ].prop_map(str::to_owned),
        1 => prop_oneof![
            Just("yes"), Just("No"), Just("on"), Just("OFF"), Just("y"), Just("~"),
            Just("null"), Just("true"), Just(".inf"), Just("1.10"), Just("0x1F"), Just("0o17"),
            Just("1e3"), Just("-1"), Just("2024-01-01"), Just("12:30"),
        ].prop_map(str::to_owned),
        1 => prop_oneof![
            Just("é"), Just("e\u{301}"), Just("日本"), Just("🚓"), Just("\u{a0}"),
            Just("\u{85}"), Just("\u{2028}"), Just("\u{feff}"), Just("\u{7f}"), Just("\u{1b}"),
            Just("\u{9c}"), Just("\u{200b}"), Just("\u{202e}"), Just("\r"), Just("\u{0}"),
        ].prop_map(str::to_owned),
    ];
    if multi_line {
        prop_oneof![
            8 => single,
            1 => prop_oneof![Just("\n"), Just("\n\n"), Just("\n  "), Just("\r\n")]
                .prop_map(str::to_owned),
        ]
        .boxed()
    } else {
        single.boxed()
    }
}

/// Text that starts with a word (so it is never blank) and goes on awkwardly, in at most
/// `pieces` pieces.
fn text(min_words: usize, pieces: usize, multi_line: bool) -> BoxedStrategy<String> {
    (
        prop::collection::vec("[A-Za-z]{3,8}", min_words..=min_words + 2),
        prop::collection::vec(awkward_piece(multi_line), 0..pieces),
    )
        .prop_map(|(words, rest)| format!("{}{}", words.join(" "), rest.concat()))
        .boxed()
}

/// Long prose (wrapped by the formatter).
fn prose() -> BoxedStrategy<String> {
    prop::collection::vec("[a-z]{1,12}", 20..60)
        .prop_map(|words| words.join(" "))
        .boxed()
}

fn date(from: NaiveDate, days: u64) -> BoxedStrategy<String> {
    (0..=days)
        .prop_map(move |d| (from + Days::new(d)).format("%Y-%m-%d").to_string())
        .boxed()
}

fn url() -> BoxedStrategy<String> {
    ("[a-z]{1,10}", "[a-zA-Z0-9_-]{0,12}")
        .prop_map(|(host, path)| format!("https://{host}.example/{path}"))
        .boxed()
}

fn optional<T: std::fmt::Debug + Clone + 'static>(
    strategy: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<Option<T>> {
    prop::option::weighted(0.5, strategy).boxed()
}

fn insert_some(map: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(value) = value {
        map.insert(key.to_owned(), value);
    }
}

fn unique(items: Vec<String>) -> Vec<String> {
    let mut seen = BTreeSet::new();
    items
        .into_iter()
        .filter(|item| seen.insert(item.clone()))
        .collect()
}

fn technology() -> BoxedStrategy<Value> {
    (
        prop::collection::vec(text(1, 3, false), 1..4),
        select(enum_values("/properties/technology/properties/deployment")),
        optional(text(1, 6, false)),
        optional(prop::collection::vec(
            (text(1, 3, false), text(1, 6, false)),
            1..3,
        )),
        select(vec![
            "MIT",
            "Apache-2.0",
            "OGL-UK-3.0",
            "crown-copyright",
            "proprietary",
            "MIT OR Apache-2.0",
        ]),
    )
        .prop_map(|(stack, deployment, hosting, integrations, licence)| {
            let mut map = Map::new();
            let stack: Vec<String> = unique(stack)
                .into_iter()
                .map(|s| s.chars().take(60).collect())
                .collect();
            map.insert("stack".into(), json!(unique(stack)));
            map.insert("deployment".into(), json!(deployment));
            insert_some(&mut map, "hosting", hosting.map(Value::from));
            insert_some(
                &mut map,
                "integrations",
                integrations.map(|list| {
                    list.into_iter()
                        .map(|(system, method)| json!({ "system": system, "method": method }))
                        .collect()
                }),
            );
            map.insert("licence".into(), json!(licence));
            Value::Object(map)
        })
        .boxed()
}

fn skills() -> BoxedStrategy<Value> {
    let roles = slugs(reference().roles.iter().map(|t| t.slug.clone()));
    let levels = enum_values("/properties/skills/items/properties/level");
    prop::collection::vec(
        (select(roles), select(levels), optional(text(2, 8, true))),
        1..4,
    )
    .prop_map(|skills| {
        skills
            .into_iter()
            .map(|(role, level, notes)| {
                let mut map = Map::new();
                map.insert("role".into(), json!(role));
                map.insert("level".into(), json!(level));
                insert_some(&mut map, "notes", notes.map(Value::from));
                Value::Object(map)
            })
            .collect()
    })
    .boxed()
}

fn documentation() -> BoxedStrategy<Value> {
    let types = slugs(reference().documents.iter().map(|t| t.slug.clone()));
    let availability = enum_values("/properties/documentation/items/properties/availability");
    prop::collection::vec(
        (
            select(types),
            select(availability),
            optional(url()),
            optional(select(vec!["official", "official-sensitive"])),
            optional(text(2, 6, false)),
        ),
        1..4,
    )
    .prop_map(|documents| {
        documents
            .into_iter()
            .map(|(kind, availability, url, classification, notes)| {
                let mut map = Map::new();
                map.insert("type".into(), json!(kind));
                // A public document needs its URL (NSI209).
                let url = if availability == "public" {
                    Some(url.unwrap_or_else(|| "https://docs.example/x".to_owned()))
                } else {
                    url
                };
                map.insert("availability".into(), json!(availability));
                insert_some(&mut map, "url", url.map(Value::from));
                insert_some(&mut map, "classification", classification.map(Value::from));
                insert_some(&mut map, "notes", notes.map(Value::from));
                Value::Object(map)
            })
            .collect()
    })
    .boxed()
}

fn contacts() -> BoxedStrategy<Value> {
    let start = NaiveDate::from_ymd_opt(2020, 1, 1).expect("date");
    prop::collection::vec(
        (
            text(2, 3, false),
            text(1, 3, false),
            "[a-z]{1,8}(\\.[a-z]{1,8})?@[a-z]{1,8}\\.police\\.example",
            date(start, 5000),
        ),
        1..3,
    )
    .prop_map(|contacts| {
        contacts
            .into_iter()
            .map(|(name, role, email, valid_until)| {
                json!({ "name": name, "role": role, "email": email, "valid_until": valid_until })
            })
            .collect()
    })
    .boxed()
}

/// A list of 1–2 mappings, or nothing.
fn optional_list(item: BoxedStrategy<Value>) -> BoxedStrategy<Option<Value>> {
    optional(prop::collection::vec(item, 1..3).prop_map(Value::Array)).boxed()
}

/// A mapping of the `Some` fields.
fn mapping(fields: Vec<(&str, Option<Value>)>) -> Value {
    let mut map = Map::new();
    for (key, value) in fields {
        insert_some(&mut map, key, value);
    }
    Value::Object(map)
}

fn past_date() -> BoxedStrategy<String> {
    let past = NaiveDate::from_ymd_opt(2018, 1, 1).expect("date");
    date(
        past,
        u64::try_from((today() - past).num_days()).unwrap_or(0),
    )
}

/// Optional parts of an entry: costs, benefits, adopters, research, showcases, version.
fn extras() -> BoxedStrategy<Vec<(String, Value)>> {
    let bands = enum_values("/properties/costs/properties/setup");
    let statuses = enum_values("/properties/adopters/items/properties/status");
    let costs = optional(
        (
            select(bands.clone()),
            select(bands),
            optional(text(2, 6, true)),
        )
            .prop_map(|(setup, running, notes)| {
                mapping(vec![
                    ("setup", Some(json!(setup))),
                    ("running", Some(json!(running))),
                    ("notes", notes.map(Value::from)),
                ])
            }),
    );
    let benefits = optional_list(
        (text(3, 8, true), optional(text(2, 6, false)))
            .prop_map(|(description, measure)| {
                mapping(vec![
                    ("description", Some(json!(description))),
                    ("measure", measure.map(Value::from)),
                ])
            })
            .boxed(),
    );
    let adopters = optional_list(
        (select(forces()), select(statuses), optional(past_date()))
            .prop_map(|(force, status, since)| {
                mapping(vec![
                    ("force", Some(json!(force))),
                    ("status", Some(json!(status))),
                    ("since", since.map(Value::from)),
                ])
            })
            .boxed(),
    );
    let research = optional_list(
        (
            text(2, 6, false),
            optional(url()),
            "10\\.[0-9]{4,9}/[a-z0-9.]{1,10}",
            any::<bool>(),
        )
            .prop_map(|(title, url, doi, with_doi)| {
                // A URL, a DOI, or both.
                let doi = (with_doi || url.is_none()).then(|| json!(doi));
                mapping(vec![
                    ("title", Some(json!(title))),
                    ("url", url.map(Value::from)),
                    ("doi", doi),
                ])
            })
            .boxed(),
    );
    let showcases = optional_list(
        (past_date(), text(2, 6, false), optional(url()))
            .prop_map(|(date, event, recording)| {
                mapping(vec![
                    ("date", Some(json!(date))),
                    ("event", Some(json!(event))),
                    ("recording_url", recording.map(Value::from)),
                ])
            })
            .boxed(),
    );
    let version = optional(prop_oneof![
        Just("1.10".to_owned()),
        Just("2".to_owned()),
        Just("yes".to_owned()),
        "[0-9]{1,2}\\.[0-9]{1,2}(\\.[0-9])?",
        text(1, 2, false),
    ]);
    (costs, benefits, adopters, research, showcases, version)
        .prop_map(
            |(costs, benefits, adopters, research, showcases, version)| {
                [
                    ("costs", costs),
                    ("benefits", benefits),
                    ("adopters", adopters),
                    ("research", research),
                    ("showcases", showcases),
                    ("version", version.map(Value::from)),
                ]
                .into_iter()
                .filter_map(|(key, value)| Some((key.to_owned(), value?)))
                .collect()
            },
        )
        .boxed()
}

type Fields = Vec<(&'static str, Option<Value>)>;

/// The fields that say what an entry is and whose it is.
fn identity() -> BoxedStrategy<Fields> {
    let categories = slugs(reference().categories.iter().map(|t| t.slug.clone()));
    (
        ("[a-z]{2,10}(-[a-z0-9]{1,6}){0,2}", 0..1000u32)
            .prop_map(|(word, n)| format!("{word}-{n}")),
        text(1, 6, false).prop_map(|t| t.chars().take(100).collect::<String>()),
        text(6, 10, true).prop_map(|t| t.chars().take(500).collect::<String>()),
        text(6, 10, true),
        optional(prop_oneof![text(4, 30, true), prose()]),
        select(forces()),
        prop::sample::subsequence(forces(), 0..3),
        prop::sample::subsequence(categories, 1..=3),
        optional(prop::collection::vec(
            "[a-z0-9é][a-z0-9é .+#/-]{0,20}",
            1..6,
        )),
        select(enum_values("/properties/phase")),
    )
        .prop_map(
            |(
                id,
                title,
                summary,
                problem,
                description,
                owner,
                partners,
                categories,
                tags,
                phase,
            )| {
                vec![
                    ("id", Some(json!(id))),
                    ("title", Some(json!(title))),
                    ("summary", Some(json!(summary))),
                    ("problem_statement", Some(json!(problem))),
                    ("description", description.map(Value::from)),
                    ("owner_force", Some(json!(owner))),
                    (
                        "partner_forces",
                        (!partners.is_empty()).then(|| json!(partners)),
                    ),
                    ("categories", Some(json!(categories))),
                    ("tags", tags.map(|t| json!(unique(t)))),
                    ("phase", Some(json!(phase))),
                ]
            },
        )
        .boxed()
}

/// The fields that say how it is built, shared and looked after.
fn body() -> BoxedStrategy<Fields> {
    let standards = slugs(reference().standards.iter().map(|t| t.slug.clone()));
    let start = NaiveDate::from_ymd_opt(2015, 1, 1).expect("date");
    let span = u64::try_from((today() - start).num_days()).unwrap_or(0);
    let day = move |offset: u64| json!((start + Days::new(offset)).format("%Y-%m-%d").to_string());
    (
        technology(),
        skills(),
        documentation(),
        contacts(),
        optional(prop::sample::subsequence(standards, 1..3)),
        (
            select(enum_values("/properties/aftercare/properties/level")),
            optional(text(2, 8, true)),
        ),
        prop_oneof![text(6, 10, true), prose()],
        select(enum_values("/properties/visibility")),
        (0..=span, 0..=span),
    )
        .prop_map(
            move |(
                technology,
                skills,
                documentation,
                contacts,
                standards,
                (level, notes),
                rationale,
                visibility,
                (a, b),
            )| {
                vec![
                    ("technology", Some(technology)),
                    ("skills", Some(skills)),
                    ("documentation", Some(documentation)),
                    ("contacts", Some(contacts)),
                    ("standards", standards.map(|s| json!(s))),
                    (
                        "aftercare",
                        Some(mapping(vec![
                            ("level", Some(json!(level))),
                            ("notes", notes.map(Value::from)),
                        ])),
                    ),
                    ("rationale", Some(json!(rationale))),
                    ("visibility", Some(json!(visibility))),
                    // Reviewed on or after the day it was created, never in the future.
                    ("created", Some(day(a.min(b)))),
                    ("last_reviewed", Some(day(a.max(b)))),
                ]
            },
        )
        .boxed()
}

/// A valid entry as JSON: every field within the schema's bounds, slugs from the reference
/// lists, dates in order and not in the future; text as awkward as the schema allows.
fn valid_entry() -> BoxedStrategy<Value> {
    (identity(), body(), extras())
        .prop_map(|(identity, body, extras)| {
            let mut map = Map::new();
            for (key, value) in identity.into_iter().chain(body) {
                insert_some(&mut map, key, value);
            }
            map.extend(extras);
            Value::Object(map)
        })
        .boxed()
}

// ----------------------------------------------------------------------------------------------
// Writing an entry in a style nsi would not choose
// ----------------------------------------------------------------------------------------------

/// Choices for a hand-written YAML file, drawn from one seed.
struct Style {
    state: u64,
}

impl Style {
    fn next(&mut self, n: u64) -> u64 {
        // A small LCG: reproducible from the seed, which proptest shrinks.
        self.state = self
            .state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.state >> 33) % n.max(1)
    }
}

/// `text` double-quoted, escaping everything but printable ASCII and ordinary Unicode.
fn double_quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            ' '..='~' => out.push(c),
            c if u32::from(c) >= 0xa0
                && !matches!(
                    c,
                    '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
                ) =>
            {
                out.push(c);
            }
            c if u32::from(c) <= 0xff => {
                let _ = write!(out, "\\x{:02X}", u32::from(c));
            }
            c => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
        }
    }
    out.push('"');
    out
}

/// `text` as a scalar: plain when YAML reads it back as the same text, single-quoted when it
/// can be, else double-quoted; which one is up to the style.
fn scalar(text: &str, style: &mut Style) -> String {
    let printable = text.chars().all(|c| {
        matches!(c, ' '..='~')
            || (u32::from(c) >= 0xa0 && c != '\u{feff}' && c != '\u{2028}' && c != '\u{2029}')
    });
    match style.next(3) {
        0 if printable
            && !text.is_empty()
            && text.trim() == text
            && parse_value(&format!("k: {text}\n")) == Some(json!({ "k": text })) =>
        {
            text.to_owned()
        }
        1 if printable => format!("'{}'", text.replace('\'', "''")),
        _ => double_quoted(text),
    }
}

fn write_block(out: &mut String, value: &Value, indent: usize, style: &mut Style) {
    let pad = " ".repeat(indent);
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            // Shuffle the keys.
            for i in (1..keys.len()).rev() {
                let j = usize::try_from(style.next(i as u64 + 1)).unwrap_or(0);
                keys.swap(i, j);
            }
            for key in keys {
                let child = &map[key];
                let _ = write!(out, "{pad}{key}:");
                write_child(out, child, indent, style);
            }
        }
        Value::Array(items) => {
            for item in items {
                let _ = write!(out, "{pad}-");
                match item {
                    Value::Object(_) | Value::Array(_) => {
                        out.push('\n');
                        write_block(
                            out,
                            item,
                            indent + 2 + usize::from(style.next(2) == 0),
                            style,
                        );
                    }
                    other => {
                        out.push(' ');
                        out.push_str(&inline(other, style));
                        out.push('\n');
                    }
                }
            }
        }
        other => {
            out.push_str(&inline(other, style));
            out.push('\n');
        }
    }
}

/// The value of a key, after `key:` has been written.
fn write_child(out: &mut String, child: &Value, indent: usize, style: &mut Style) {
    match child {
        Value::Array(items) if !items.is_empty() => {
            let scalars = items.iter().all(|i| !i.is_object() && !i.is_array());
            if scalars && style.next(4) == 0 {
                // Plain scalars in a flow list end at `,` or `]`: quote them all.
                let parts: Vec<String> = items
                    .iter()
                    .map(|i| match i {
                        Value::String(text) => double_quoted(text),
                        other => inline(other, style),
                    })
                    .collect();
                let _ = writeln!(out, " [{}]", parts.join(", "));
            } else {
                out.push('\n');
                // Lists may sit at their key's indentation, or below it.
                let step = [0, 2, 4][usize::try_from(style.next(3)).unwrap_or(0)];
                write_block(out, child, indent + step, style);
            }
        }
        Value::Object(map) if !map.is_empty() => {
            out.push('\n');
            write_block(
                out,
                child,
                indent + 2 + usize::from(style.next(2) == 0) * 2,
                style,
            );
        }
        other => {
            out.push(' ');
            out.push_str(&inline(other, style));
            out.push('\n');
        }
    }
}

fn inline(value: &Value, style: &mut Style) -> String {
    match value {
        Value::String(text) => scalar(text, style),
        Value::Array(items) if items.is_empty() => "[]".to_owned(),
        Value::Object(map) if map.is_empty() => "{}".to_owned(),
        other => serde_json::to_string(other).unwrap_or_default(),
    }
}

/// `value` written the way a person or another tool might: as JSON, pretty or on one line, or
/// as block YAML with shuffled keys, mixed quoting and mixed indentation.
fn written(value: &Value, how: u8, seed: u64) -> String {
    match how % 4 {
        0 => serde_json::to_string_pretty(value).unwrap_or_default(),
        1 => serde_json::to_string(value).unwrap_or_default(),
        _ => {
            let mut out = String::new();
            write_block(&mut out, value, 0, &mut Style { state: seed });
            out
        }
    }
}

// ----------------------------------------------------------------------------------------------
// The field-level diff and a reader of what it reports
// ----------------------------------------------------------------------------------------------

/// The entry at `path` of a diff (`technology.stack`, `contacts[email=a@b].valid_until`).
/// In an item's name, `\` and `]` are escaped with a backslash, so the path reads one way.
fn walk<'v>(value: &'v mut Value, path: &str) -> Result<&'v mut Value, String> {
    let mut current = value;
    let mut rest = path;
    loop {
        let end = rest.find(['.', '[']).unwrap_or(rest.len());
        let key = &rest[..end];
        current = current
            .get_mut(key)
            .ok_or_else(|| format!("no field `{key}` on the way to `{path}`"))?;
        rest = &rest[end..];
        while let Some(inner) = rest.strip_prefix('[') {
            let (name_key, after) = inner
                .split_once('=')
                .ok_or_else(|| format!("`{path}`: an item without `=`"))?;
            let mut name = String::new();
            let mut chars = after.char_indices();
            let close = loop {
                match chars.next() {
                    Some((_, '\\')) => name.extend(chars.next().map(|(_, c)| c)),
                    Some((i, ']')) => break i,
                    Some((_, c)) => name.push(c),
                    None => return Err(format!("`{path}`: an item name without `]`")),
                }
            };
            let items = current
                .as_array_mut()
                .ok_or_else(|| format!("`{path}`: `[{name_key}=…]` on something not a list"))?;
            current = items
                .iter_mut()
                .find(|item| item.get(name_key).and_then(Value::as_str) == Some(name.as_str()))
                .ok_or_else(|| format!("`{path}`: no item named `{name}`"))?;
            rest = &after[close + 1..];
        }
        if rest.is_empty() {
            return Ok(current);
        }
        rest = rest
            .strip_prefix('.')
            .ok_or_else(|| format!("`{path}`: expected `.` at `{rest}`"))?;
    }
}

/// Apply what a diff reports to `value`. Lists come out in no particular order.
fn apply(value: &mut Value, changes: &[FieldChange]) -> Result<(), String> {
    for change in changes {
        let field = change.field.as_str();
        match &change.change {
            Change::Added { new } => {
                let (parent, key) = match field.rsplit_once('.') {
                    Some((parent, key)) => (walk(value, parent)?, key),
                    None => (&mut *value, field),
                };
                let map = parent
                    .as_object_mut()
                    .ok_or_else(|| format!("`{field}`: added to something not a mapping"))?;
                if map.insert(key.to_owned(), new.clone()).is_some() {
                    return Err(format!("`{field}` added, but it was there"));
                }
            }
            Change::Removed { old } => {
                let (parent, key) = match field.rsplit_once('.') {
                    Some((parent, key)) => (walk(value, parent)?, key),
                    None => (&mut *value, field),
                };
                let removed = parent.as_object_mut().and_then(|map| map.remove(key));
                if removed.as_ref() != Some(old) {
                    return Err(format!(
                        "`{field}` removed, but held {removed:?}, not {old}"
                    ));
                }
            }
            Change::Changed { old, new } => {
                let target = if field == "(entry)" {
                    &mut *value
                } else {
                    walk(value, field)?
                };
                if target != old {
                    return Err(format!("`{field}` changed from {old}, but held {target}"));
                }
                *target = new.clone();
            }
            Change::Text { old, new, .. } => {
                let target = walk(value, field)?;
                if target.as_str() != Some(old.as_str()) {
                    return Err(format!("`{field}` text changed, but held {target}"));
                }
                *target = Value::from(new.as_str());
            }
            Change::Items { added, removed } => {
                let items = walk(value, field)?
                    .as_array_mut()
                    .ok_or_else(|| format!("`{field}`: items of something not a list"))?;
                for item in removed {
                    let at = items
                        .iter()
                        .position(|i| i == item)
                        .ok_or_else(|| format!("`{field}`: removed {item}, which is not there"))?;
                    items.remove(at);
                }
                items.extend(added.iter().cloned());
            }
        }
    }
    Ok(())
}

/// `value` with every list sorted (the diff compares lists as sets) and every mapping's keys
/// in order (so that sorting by the JSON text is sorting by value).
fn normalised(value: &Value) -> Value {
    match value {
        Value::Array(items) => {
            let mut items: Vec<Value> = items.iter().map(normalised).collect();
            items.sort_by_cached_key(|item| serde_json::to_string(item).unwrap_or_default());
            Value::Array(items)
        }
        Value::Object(map) => {
            let sorted: BTreeMap<&String, Value> =
                map.iter().map(|(k, v)| (k, normalised(v))).collect();
            Value::Object(sorted.into_iter().map(|(k, v)| (k.clone(), v)).collect())
        }
        other => other.clone(),
    }
}

/// Every shipped entry, as JSON.
fn shipped_values() -> &'static [Value] {
    static VALUES: OnceLock<Vec<Value>> = OnceLock::new();
    VALUES.get_or_init(|| {
        let files = load::discover(Path::new(REPO))
            .expect("the shipped catalogue")
            .files;
        let values: Vec<Value> = files
            .iter()
            .filter_map(|file| {
                let text = load::read_source(file).ok()?.text;
                parse_value(&text)
            })
            .collect();
        assert!(values.len() >= 10, "the shipped catalogue has entries");
        values
    })
}

/// A random edit to an entry: `pick` chooses which node (modulo the number of candidates).
#[derive(Debug, Clone)]
enum Edit {
    /// Replace a scalar.
    SetScalar { pick: usize, value: Value },
    /// Replace a list or mapping by a scalar, or a scalar by a list.
    Reshape { pick: usize, value: Value },
    /// Change one word of a string.
    Reword {
        pick: usize,
        at: usize,
        word: String,
    },
    /// Remove a key of a mapping.
    RemoveKey { pick: usize, at: usize },
    /// Add a key to a mapping.
    AddKey {
        pick: usize,
        key: String,
        value: Value,
    },
    /// Remove an item of a list.
    RemoveItem { pick: usize, at: usize },
    /// Add an item to a list: a copy of one of its items with one scalar changed, or a scalar.
    AddItem {
        pick: usize,
        from: usize,
        leaf: usize,
        value: Value,
    },
    /// Reorder a list.
    Shuffle { pick: usize, seed: u64 },
}

fn scalar_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => "[a-z]{1,8}( [a-z]{1,8}){0,3}".prop_map(Value::from),
        1 => prose().prop_map(Value::from),
        1 => "[a-z]{1,8}@[a-z]{1,6}\\.example".prop_map(Value::from),
        1 => date(NaiveDate::from_ymd_opt(2020, 1, 1).expect("date"), 4000).prop_map(Value::from),
        1 => any::<i32>().prop_map(Value::from),
        1 => any::<bool>().prop_map(Value::from),
        1 => Just(Value::Null),
        1 => Just(json!([])),
        1 => Just(json!({})),
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    let pick = 0..10_000usize;
    prop_oneof![
        4 => (pick.clone(), scalar_value()).prop_map(|(pick, value)| Edit::SetScalar { pick, value }),
        1 => (pick.clone(), scalar_value()).prop_map(|(pick, value)| Edit::Reshape { pick, value }),
        3 => (pick.clone(), 0..200usize, "[a-z]{1,10}").prop_map(|(pick, at, word)| Edit::Reword { pick, at, word }),
        2 => (pick.clone(), 0..50usize).prop_map(|(pick, at)| Edit::RemoveKey { pick, at }),
        2 => (pick.clone(), "[a-z_]{1,10}", scalar_value()).prop_map(|(pick, key, value)| Edit::AddKey { pick, key, value }),
        3 => (pick.clone(), 0..50usize).prop_map(|(pick, at)| Edit::RemoveItem { pick, at }),
        3 => (pick.clone(), 0..50usize, 0..50usize, scalar_value())
            .prop_map(|(pick, from, leaf, value)| Edit::AddItem { pick, from, leaf, value }),
        1 => (pick, any::<u64>()).prop_map(|(pick, seed)| Edit::Shuffle { pick, seed }),
    ]
}

/// Pointers to every node of `value` of a kind: scalars, strings, mappings or lists.
fn pointers(value: &Value, keep: &dyn Fn(&Value) -> bool) -> Vec<String> {
    fn visit(value: &Value, pointer: &str, keep: &dyn Fn(&Value) -> bool, out: &mut Vec<String>) {
        if keep(value) {
            out.push(pointer.to_owned());
        }
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    let token = escape_pointer_token(key);
                    visit(child, &format!("{pointer}/{token}"), keep, out);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    visit(child, &format!("{pointer}/{i}"), keep, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    visit(value, "", keep, &mut out);
    out
}

fn node<'v>(value: &'v mut Value, candidates: &[String], pick: usize) -> Option<&'v mut Value> {
    let pointer = candidates.get(pick % candidates.len().max(1))?;
    value.pointer_mut(pointer)
}

fn is_scalar(value: &Value) -> bool {
    !value.is_object() && !value.is_array()
}

fn apply_edit(value: &mut Value, edit: &Edit) {
    match edit {
        Edit::SetScalar { pick, value: new } => {
            let candidates = pointers(value, &is_scalar);
            if let Some(target) = node(value, &candidates, *pick) {
                *target = new.clone();
            }
        }
        Edit::Reshape { pick, value: new } => {
            // Never the entry itself: it stays a mapping.
            let candidates: Vec<String> = pointers(value, &|_| true)
                .into_iter()
                .filter(|p| !p.is_empty())
                .collect();
            if let Some(target) = node(value, &candidates, *pick) {
                *target = if is_scalar(target) {
                    json!([new.clone()])
                } else {
                    new.clone()
                };
            }
        }
        Edit::Reword { pick, at, word } => {
            let candidates = pointers(value, &Value::is_string);
            if let Some(target) = node(value, &candidates, *pick) {
                let text = target.as_str().unwrap_or_default();
                let mut words: Vec<&str> = text.split(' ').collect();
                let at = at % (words.len() + 1);
                if at == words.len() {
                    words.push(word.as_str());
                } else {
                    words[at] = word.as_str();
                }
                *target = Value::from(words.join(" "));
            }
        }
        Edit::RemoveKey { pick, at } => {
            let candidates = pointers(value, &Value::is_object);
            if let Some(Value::Object(map)) = node(value, &candidates, *pick)
                && !map.is_empty()
            {
                let key = map.keys().nth(at % map.len()).cloned().unwrap_or_default();
                map.remove(&key);
            }
        }
        Edit::AddKey {
            pick,
            key,
            value: new,
        } => {
            let candidates = pointers(value, &Value::is_object);
            if let Some(Value::Object(map)) = node(value, &candidates, *pick) {
                map.insert(key.clone(), new.clone());
            }
        }
        Edit::RemoveItem { pick, at } => {
            let candidates = pointers(value, &Value::is_array);
            if let Some(Value::Array(items)) = node(value, &candidates, *pick)
                && !items.is_empty()
            {
                items.remove(at % items.len());
            }
        }
        Edit::AddItem {
            pick,
            from,
            leaf,
            value: new,
        } => {
            let candidates = pointers(value, &Value::is_array);
            if let Some(Value::Array(items)) = node(value, &candidates, *pick) {
                let item = if items.is_empty() {
                    new.clone()
                } else {
                    let mut copy = items[from % items.len()].clone();
                    let leaves = pointers(&copy, &is_scalar);
                    match node(&mut copy, &leaves, *leaf) {
                        Some(target) if !leaves.is_empty() => *target = new.clone(),
                        _ => copy = new.clone(),
                    }
                    copy
                };
                items.push(item);
            }
        }
        Edit::Shuffle { pick, seed } => {
            let candidates = pointers(value, &Value::is_array);
            if let Some(Value::Array(items)) = node(value, &candidates, *pick) {
                let mut style = Style { state: *seed };
                for i in (1..items.len()).rev() {
                    let j = usize::try_from(style.next(i as u64 + 1)).unwrap_or(0);
                    items.swap(i, j);
                }
            }
        }
    }
}

fn edited(base: &Value, edits: &[Edit]) -> Value {
    let mut value = base.clone();
    for edit in edits {
        apply_edit(&mut value, edit);
    }
    value
}

// ----------------------------------------------------------------------------------------------
// Search over the shipped catalogue
// ----------------------------------------------------------------------------------------------

struct Shipped {
    index: LoadedIndex,
    reference: Reference,
    /// Typed entries by path relative to the root.
    entries: BTreeMap<String, Entry>,
}

fn shipped() -> &'static Shipped {
    static SHIPPED: OnceLock<Shipped> = OnceLock::new();
    SHIPPED.get_or_init(|| {
        let root = Path::new(REPO);
        let reference = Reference::for_root(root).expect("the shipped reference lists");
        let files = load::discover(root).expect("the shipped catalogue").files;
        let index = build_uncached(&files, &SearchableNames::from(&reference));
        let entries = lookup::read_all(root)
            .expect("the shipped catalogue")
            .into_iter()
            .map(|(file, entry)| {
                let path = file.display.to_string_lossy().replace('\\', "/");
                (path, entry.expect("every shipped entry reads"))
            })
            .collect();
        Shipped {
            index,
            reference,
            entries,
        }
    })
}

/// Values each filter may take: mostly ones the shipped entries use, some only the lists know.
struct FilterValues {
    categories: Vec<String>,
    forces: Vec<String>,
    regions: Vec<String>,
    phases: Vec<String>,
    technologies: Vec<String>,
    deployments: Vec<String>,
    roles: Vec<String>,
    levels: Vec<String>,
    visibilities: Vec<String>,
    documents: Vec<String>,
}

fn filter_values() -> FilterValues {
    let shipped = shipped();
    let reference = &shipped.reference;
    let entries = shipped.entries.values();
    let mut technologies = BTreeSet::new();
    for entry in entries.clone() {
        for item in &entry.technology.stack {
            let folded: Vec<char> = fold(item).chars().collect();
            // The whole item, its first word, and a piece of its middle.
            technologies.insert(folded.iter().collect::<String>());
            technologies.insert(folded.iter().take_while(|c| !c.is_whitespace()).collect());
            if folded.len() > 4 {
                technologies.insert(folded[1..folded.len() - 1].iter().collect());
            }
        }
    }
    technologies.retain(|t| !t.trim().is_empty());
    let terms = |terms: &[nsi::catalogue::reference::Term]| -> Vec<String> {
        terms.iter().map(|t| t.slug.clone()).collect()
    };
    FilterValues {
        categories: terms(&reference.categories),
        forces: reference.forces.iter().map(|f| f.slug.clone()).collect(),
        regions: terms(&reference.regions),
        phases: reference.schema_enum("/properties/phase"),
        technologies: technologies.into_iter().collect(),
        deployments: reference.schema_enum("/properties/technology/properties/deployment"),
        roles: terms(&reference.roles),
        levels: reference.schema_enum("/properties/skills/items/properties/level"),
        visibilities: reference.schema_enum("/properties/visibility"),
        documents: terms(&reference.documents),
    }
}

/// Values of one filter: absent most of the time, else one or two, in any letter case.
fn some_of(values: Vec<String>, used: &BTreeSet<String>) -> BoxedStrategy<Vec<String>> {
    let used: Vec<String> = values
        .iter()
        .filter(|v| used.contains(*v))
        .cloned()
        .collect();
    let pool = if used.is_empty() {
        values.clone()
    } else {
        used
    };
    let value = prop_oneof![3 => select(pool), 1 => select(values)];
    let cased = (value, 0..4u8).prop_map(|(value, case)| match case {
        0 => value.to_uppercase(),
        1 => format!(" {value} "),
        _ => value,
    });
    prop::option::weighted(0.3, prop::collection::vec(cased, 1..=2))
        .prop_map(Option::unwrap_or_default)
        .boxed()
}

fn filters() -> BoxedStrategy<Filters> {
    let values = filter_values();
    let shipped = shipped();
    let used = |f: &dyn Fn(&Entry) -> Vec<String>| -> BTreeSet<String> {
        shipped.entries.values().flat_map(f).collect()
    };
    let reference = &shipped.reference;
    let regions_used = used(&|e| {
        reference
            .force(e.owner_force.as_str())
            .map(|f| f.region.clone())
            .into_iter()
            .collect()
    });
    (
        (
            some_of(
                values.categories,
                &used(&|e| e.categories.iter().map(|c| c.as_str().to_owned()).collect()),
            ),
            some_of(
                values.forces.clone(),
                &used(&|e| {
                    std::iter::once(e.owner_force.as_str().to_owned())
                        .chain(e.partner_forces.iter().map(|f| f.as_str().to_owned()))
                        .collect()
                }),
            ),
            some_of(values.regions, &regions_used),
            some_of(values.phases, &BTreeSet::new()),
            some_of(
                values.technologies.clone(),
                &values.technologies.iter().cloned().collect(),
            ),
            some_of(values.deployments, &BTreeSet::new()),
        ),
        (
            some_of(
                values.roles,
                &used(&|e| {
                    e.skills
                        .iter()
                        .map(|s| s.role.as_str().to_owned())
                        .collect()
                }),
            ),
            some_of(values.levels, &BTreeSet::new()),
            some_of(values.visibilities, &BTreeSet::new()),
            some_of(
                values.documents,
                &used(&|e| {
                    e.documentation
                        .iter()
                        .map(|d| d.kind.as_str().to_owned())
                        .collect()
                }),
            ),
            some_of(
                values.forces,
                &used(&|e| {
                    e.adopters
                        .iter()
                        .map(|a| a.force.as_str().to_owned())
                        .collect()
                }),
            ),
        ),
    )
        .prop_map(
            |(
                (categories, forces, regions, phases, technologies, deployments),
                (roles, levels, visibilities, has_docs, adopted_by),
            )| Filters {
                categories,
                forces,
                regions,
                phases,
                technologies,
                deployments,
                roles,
                levels,
                visibilities,
                has_docs,
                adopted_by,
            },
        )
        .boxed()
}

fn normal(values: &[String]) -> Vec<String> {
    values.iter().map(|v| v.trim().to_lowercase()).collect()
}

/// Whether `entry` satisfies every filter, as `nsi search --help` documents them: values of
/// one filter are alternatives, different filters must all hold.
fn satisfies(entry: &Entry, filters: &Filters, reference: &Reference) -> bool {
    let holds = |values: &[String], test: &dyn Fn(&str) -> bool| {
        values.is_empty() || normal(values).iter().any(|v| test(v))
    };
    let level_of = |name: &str| serde_json::from_value::<SkillLevel>(json!(name)).ok();
    let roles = normal(&filters.roles);
    let most = normal(&filters.levels)
        .iter()
        .filter_map(|l| level_of(l))
        .max();
    holds(&filters.categories, &|v| {
        entry.categories.iter().any(|c| c.as_str() == v)
    }) && holds(&filters.forces, &|v| {
        entry.owner_force.as_str() == v || entry.partner_forces.iter().any(|f| f.as_str() == v)
    }) && holds(&filters.regions, &|v| {
        reference
            .force(entry.owner_force.as_str())
            .is_some_and(|f| f.region == v)
    }) && holds(&filters.phases, &|v| value_name(&entry.phase) == v)
        && (filters.technologies.is_empty()
            || filters.technologies.iter().any(|v| {
                let v = fold(v.trim());
                entry.technology.stack.iter().any(|s| fold(s).contains(&v))
            }))
        && holds(&filters.deployments, &|v| {
            value_name(&entry.technology.deployment) == v
        })
        && holds(&filters.roles, &|v| {
            entry.skills.iter().any(|s| s.role.as_str() == v)
        })
        && most.is_none_or(|most| {
            entry
                .skills
                .iter()
                .filter(|s| roles.is_empty() || roles.iter().any(|r| r == s.role.as_str()))
                .all(|s| s.level <= most)
        })
        && holds(&filters.visibilities, &|v| {
            value_name(&entry.visibility) == v
        })
        && holds(&filters.has_docs, &|v| {
            entry
                .documentation
                .iter()
                .any(|d| d.kind.as_str() == v && d.availability != Availability::NotAvailable)
        })
        && holds(&filters.adopted_by, &|v| {
            entry.adopters.iter().any(|a| {
                a.force.as_str() == v
                    && matches!(a.status, AdoptionStatus::Adopted | AdoptionStatus::Piloting)
            })
        })
}

fn query() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => Just(String::new()),
        1 => select(vec![
            "redaction", "case file", "\"case file\"", "data", "power-bi", "redcation", "the",
            "azure python", "evidence", "mobile app", "zzzz", "Öffentlich", "c#",
        ])
        .prop_map(str::to_owned),
    ]
}

// ----------------------------------------------------------------------------------------------
// The properties
// ----------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, ..ProptestConfig::default() })]

    /// fmt(fmt(x)) == fmt(x) and parse(fmt(x)) == parse(x), for valid entries written in any
    /// style; the canonical text is as valid as the original.
    #[test]
    fn fmt_is_idempotent_and_lossless_on_valid_entries(
        value in valid_entry(),
        how in any::<u8>(),
        seed in any::<u64>(),
    ) {
        let schema = &reference().schema;
        let source = written(&value, how, seed);
        prop_assert_eq!(parse_value(&source), Some(value.clone()), "the writer is wrong:\n{}", source);
        let problems = errors(&value, &source);
        prop_assert!(problems.is_empty(), "the generator made an invalid entry: {:?}\n{}", problems, source);

        let once = format_source(&source, schema);
        prop_assert!(once.is_ok(), "refused: {:?}\n{}", once, source);
        let once = once.unwrap_or_default();
        prop_assert_eq!(parse_value(&once), parse_value(&source), "the value changed:\n{}", once);
        let twice = format_source(&once, schema);
        prop_assert_eq!(twice.as_ref(), Ok(&once), "not idempotent");
        let problems = errors(&value, &once);
        prop_assert!(problems.is_empty(), "formatting made it invalid: {:?}\n{}", problems, once);

        // The fast reader and the typed reading built on it agree with the long way on both
        // texts, whenever they read them at all.
        for text in [&source, &once] {
            prop_assert!(canonical::agrees_with_full_parser(text), "the readers disagree:\n{}", text);
            if let Some(entry) = from_canonical::<Entry>(text) {
                let long_way: Option<Entry> = parse_value(text).and_then(|v| serde_json::from_value(v).ok());
                prop_assert_eq!(Some(entry), long_way, "typed reading differs:\n{}", text);
            }
        }
    }

    /// An entry compared with itself has no changes; applying the changes between A and B to A
    /// gives B (lists as sets).
    #[test]
    fn applying_a_diff_gives_the_new_entry(
        pick in any::<prop::sample::Index>(),
        edits_a in prop::collection::vec(edit(), 0..3),
        edits_b in prop::collection::vec(edit(), 0..8),
    ) {
        let base = pick.get(shipped_values());
        let a = edited(base, &edits_a);
        let b = edited(base, &edits_b);
        prop_assert!(diff_values(&a, &a).is_empty());
        prop_assert!(diff_values(&b, &b).is_empty());
        let changes = diff_values(&a, &b);
        let mut result = a.clone();
        let applied = apply(&mut result, &changes);
        prop_assert!(applied.is_ok(), "{:?}\nchanges: {:#?}", applied, changes);
        prop_assert_eq!(normalised(&result), normalised(&b), "changes: {:#?}", changes);
        if normalised(&a) != normalised(&b) {
            prop_assert!(!changes.is_empty());
        }
    }

    /// Every hit satisfies every filter; without words, the hits are exactly the entries that
    /// satisfy them.
    #[test]
    fn search_hits_satisfy_every_filter(
        filters in filters(),
        query in query(),
        limit in prop::option::weighted(0.2, 0..5usize),
    ) {
        let shipped = shipped();
        let view = shipped.index.view();
        let request = SearchRequest { query: query.clone(), filters: filters.clone(), limit, explain: false };
        let results = search(&view, &shipped.reference, &request);
        prop_assert!(results.is_ok(), "{:?}", results.err());
        let results = results.unwrap_or_default();
        if let Some(limit) = limit {
            prop_assert!(results.hits.len() <= limit);
        }
        prop_assert!(results.hits.len() <= results.total);
        for hit in &results.hits {
            let entry = shipped.entries.get(&hit.path);
            prop_assert!(entry.is_some(), "a hit for an unknown file {}", hit.path);
            let entry = entry.expect("checked");
            prop_assert_eq!(entry.id.as_str(), hit.id.as_str());
            prop_assert!(
                satisfies(entry, &filters, &shipped.reference),
                "{} does not satisfy {:?}", hit.id, filters
            );
        }
        if query.is_empty() {
            let expected: BTreeSet<&str> = shipped
                .entries
                .values()
                .filter(|e| satisfies(e, &filters, &shipped.reference))
                .map(|e| e.id.as_str())
                .collect();
            prop_assert_eq!(results.total, expected.len());
            if limit.is_none() {
                let found: BTreeSet<&str> = results.hits.iter().map(|h| h.id.as_str()).collect();
                prop_assert_eq!(found, expected);
            }
        }
    }
}

/// The generators and the diff reader are exercised on known cases too, so a property that
/// passes is not passing because they do nothing.
#[test]
fn the_test_machinery_works_on_known_cases() {
    let old = json!({
        "title": "Old",
        "tags": ["a", "b"],
        "contacts": [{ "email": "a.b@x.example", "valid_until": "2026-01-01" }],
        "benefits": [{ "description": "fewer [x]. calls", "measure": "1" }],
    });
    let new = json!({
        "title": "New",
        "tags": ["b", "c"],
        "contacts": [{ "email": "a.b@x.example", "valid_until": "2027-01-01" }],
        "benefits": [{ "description": "fewer [x]. calls", "measure": "2" }],
        "version": "2",
    });
    let changes = diff_values(&old, &new);
    let fields: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "title",
            "tags",
            "contacts[email=a.b@x.example].valid_until",
            r"benefits[description=fewer [x\]. calls].measure",
            "version"
        ]
    );
    let mut result = old.clone();
    apply(&mut result, &changes).expect("the changes apply");
    assert_eq!(normalised(&result), normalised(&new));

    // The hand-written styles are YAML that reads back as the value.
    let value =
        json!({ "a": "yes", "b": ["1.10", "x: y", "#z", "é\u{7f}\u{1b}"], "c": { "d": "it's" } });
    for how in 0..4 {
        for seed in 0..20 {
            let text = written(&value, how, seed);
            assert_eq!(parse_value(&text), Some(value.clone()), "{text}");
        }
    }

    // Every shipped entry satisfies no filters; a phase filter keeps exactly its phase.
    let shipped = shipped();
    assert!(shipped.entries.values().all(|e| satisfies(
        e,
        &Filters::default(),
        &shipped.reference
    )));
    let live = Filters {
        phases: vec!["LIVE".to_owned()],
        ..Filters::default()
    };
    let count = shipped
        .entries
        .values()
        .filter(|e| satisfies(e, &live, &shipped.reference))
        .count();
    assert!(count > 0 && count < shipped.entries.len());
}

/// What the `validate_entry` fuzz target checks, over every committed fixture: every finding is
/// at a line of the text. (It found files with lone CRs, which YAML counts as line breaks and
/// nothing else does: `tests/fixtures/hostile/catalogue/kent/fuzz-crash-lone-cr.yaml`.)
#[test]
fn findings_point_inside_the_text() {
    let mut pending = vec![
        Path::new(REPO).join("tests/fixtures"),
        Path::new(REPO).join("catalogue"),
    ];
    let mut checked = 0;
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("a readable folder") {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "yaml") {
                continue;
            }
            let Ok(text) = load::decode(&std::fs::read(&path).expect("readable")) else {
                continue;
            };
            let file = EntryFile::new(&path, &path);
            let (diagnostics, _) = checker().check_text(&file, &text);
            let lines = text.split('\n').count();
            for d in &diagnostics {
                assert!(
                    d.line >= 1 && d.column >= 1 && d.line <= lines + 1,
                    "{}: {}@{}:{} in a text of {lines} lines",
                    path.display(),
                    d.code,
                    d.line,
                    d.column
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 150, "checked {checked} files");
}

/// Any query and any filter value is an answer or a clear refusal, never a panic (the
/// `search_query` fuzz target's first crash was its own: slicing a multi-byte character).
#[test]
fn search_takes_any_text() {
    let shipped = shipped();
    let view = shipped.index.view();
    let odd = [
        String::from_utf8_lossy(b"r\x07dcareadlive\n\x07pract)tioner\n\xfa\xa0ata").into_owned(),
        "\u{0}".to_owned(),
        "\"".to_owned(),
        "\"\"\"".to_owned(),
        "é\u{301}".to_owned(),
        "ﬁ".to_owned(),
        "İ".to_owned(),
        "🚓".repeat(300),
        "a".repeat(5000),
        " ".to_owned(),
        "-".to_owned(),
    ];
    for text in &odd {
        let request = SearchRequest {
            query: text.clone(),
            ..SearchRequest::default()
        };
        assert!(
            search(&view, &shipped.reference, &request).is_ok(),
            "{text:?}"
        );
        let mut filters = Filters::default();
        filters.technologies.push(text.clone());
        filters.categories.push(text.clone());
        let request = SearchRequest {
            query: text.clone(),
            filters,
            ..SearchRequest::default()
        };
        let refused = search(&view, &shipped.reference, &request);
        assert!(refused.is_err(), "{text:?} is not a category");
    }
}

// ----------------------------------------------------------------------------------------------
// Migrations
// ----------------------------------------------------------------------------------------------

/// Whether a finding is about something the migration writes: the fields it adds or sets, or
/// the entry's schema version. Such an error after migrating is one the migration could have
/// prevented.
fn owned_by_the_migration(d: &nsi::catalogue::diagnostic::Diagnostic) -> bool {
    let owned = |pointer: &str| {
        ["/ai", "/schema_version"]
            .iter()
            .any(|p| pointer == *p || pointer.starts_with(&format!("{p}/")))
    };
    owned(&d.pointer)
        || d.missing.as_deref().is_some_and(owned)
        || ["NSI301", "NSI302"].contains(&d.code)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Migrate then validate: a valid 1.0.0 entry is a valid 2.0.0 entry with one marker and
    /// no error; an entry damaged by random edits gets no error about what the migration
    /// writes; and migrating again changes nothing.
    #[test]
    fn migrate_then_validate_leaves_no_error_the_migration_could_prevent(
        value in valid_entry(),
        edits in prop::collection::vec(edit(), 0..4),
    ) {
        use nsi::catalogue::migrate::{Migrator, markers_in};
        let schema = &reference().schema;
        let migrator = Migrator::new(reference(), None).expect("the schema's version");
        for (damaged, entry) in [(false, value.clone()), (true, edited(&value, &edits))] {
            let Ok(migrated) = migrator.migrate(&entry) else {
                prop_assert!(false, "a 1.0.0 entry always migrates");
                continue;
            };
            let text = nsi::catalogue::yaml::to_yaml(&migrated.value, schema);
            let id = migrated.value["id"].as_str().unwrap_or("entry");
            let force = migrated.value["owner_force"].as_str().unwrap_or("kent");
            let path = format!("catalogue/{force}/{id}.yaml");
            let (diagnostics, _) = checker().check_text(&EntryFile::new(&path, &path), &text);
            let preventable: Vec<String> = diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error && owned_by_the_migration(d))
                .map(|d| format!("{} {} {}", d.code, d.pointer, d.message))
                .collect();
            prop_assert!(preventable.is_empty(), "{:?}\n{}", preventable, text);
            if !damaged {
                let problems: Vec<String> = diagnostics
                    .iter()
                    .filter(|d| d.severity == Severity::Error && d.code != "NSI219")
                    .map(|d| format!("{} {}", d.code, d.message))
                    .collect();
                prop_assert!(problems.is_empty(), "{:?}\n{}", problems, text);
                prop_assert_eq!(markers_in(&migrated.value).len(), 1);
            }
            let again = migrator.migrate(&migrated.value);
            prop_assert!(again.is_ok_and(|a| !a.changed()), "not idempotent:\n{}", text);
        }
    }
}
