//! Similar entries: the search engine asked "which entries say what this text says?". The
//! text's words (stop words dropped) are matched exactly, any of them (OR), and scored with the
//! same BM25F weights as a search; the sum is divided by the score the text would get against
//! itself, so 1.0 means "as close as a copy" and unrelated entries stay near 0.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::index::IndexView;
use super::ranking::{Field, RANKING};
use super::text::tokens;

/// At or above this score two entries describe the same solution in all likelihood: `nsi add`
/// asks before writing one. Calibrated on the shipped catalogue, where the deliberate
/// near-duplicate pairs score 0.24 and 0.40 (entries compared both ways, `similar_entries`)
/// and the best unrelated pair 0.15.
pub const VERY_CLOSE: f32 = 0.2;

/// Below this score a match is not worth showing as a possible duplicate.
pub const WORTH_SHOWING: f32 = 0.12;

/// The text to compare, field by field (the fields weigh as in a search).
#[derive(Debug, Clone, Default)]
pub struct SimilarityText {
    fields: Vec<(Field, String)>,
}

impl SimilarityText {
    /// Free text, weighed as a summary.
    pub fn plain(text: &str) -> Self {
        SimilarityText {
            fields: vec![(Field::Summary, text.to_owned())],
        }
    }

    /// The parts of an entry (as JSON) that say what it is: title, summary, problem statement
    /// and technology. Missing or mistyped fields are skipped.
    pub fn of_entry(value: &Value) -> Self {
        let text = |pointer: &str| value.pointer(pointer).and_then(Value::as_str);
        let mut fields = Vec::new();
        for (field, pointer) in [
            (Field::Title, "/title"),
            (Field::Summary, "/summary"),
            (Field::ProblemStatement, "/problem_statement"),
        ] {
            if let Some(text) = text(pointer) {
                fields.push((field, text.to_owned()));
            }
        }
        let mut technology: Vec<&str> = Vec::new();
        if let Some(stack) = value.pointer("/technology/stack").and_then(Value::as_array) {
            technology.extend(stack.iter().filter_map(Value::as_str));
        }
        technology.extend(text("/technology/hosting"));
        if let Some(integrations) = value
            .pointer("/technology/integrations")
            .and_then(Value::as_array)
        {
            for integration in integrations {
                technology.extend(integration.get("system").and_then(Value::as_str));
                technology.extend(integration.get("method").and_then(Value::as_str));
            }
        }
        if !technology.is_empty() {
            fields.push((Field::Technology, technology.join("\n")));
        }
        SimilarityText { fields }
    }
}

/// An entry similar to the text, with a score from 0 to 1.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimilarEntry {
    /// Solution id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Owning force slug.
    pub owner_force: String,
    /// 0 (nothing in common) to 1 (as close as a copy).
    pub score: f32,
    /// File path relative to the catalogue root.
    #[serde(skip)]
    pub path: String,
}

/// A text as a document of its own: each distinct word's weighted, length-normalised
/// frequency, as BM25F weighs it.
#[allow(
    clippy::cast_precision_loss,
    reason = "word counts are far below f32's exact range"
)]
fn strengths(text: &SimilarityText) -> BTreeMap<String, f32> {
    let mut own: BTreeMap<String, f32> = BTreeMap::new();
    for (field, content) in &text.fields {
        let words: Vec<String> = tokens(content)
            .into_iter()
            .filter(|w| !RANKING.is_stop_word(w))
            .collect();
        let norm = RANKING.length_norm(*field, words.len() as f32);
        for word in words {
            *own.entry(word).or_default() += field.weight() / norm;
        }
    }
    own
}

/// A text as the similarity compares it: each distinct word (sorted) with its rarity in the
/// index and its saturated strength in the text.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    words: Vec<(String, f32, f32)>,
}

impl Profile {
    /// The profile of `text`, rarities taken from `index`.
    pub fn of(index: &IndexView<'_>, text: &SimilarityText) -> Self {
        let entries = index.entries().len();
        Profile {
            words: strengths(text)
                .into_iter()
                .map(|(word, strength)| {
                    let frequency = index
                        .term_index(&word)
                        .map_or(0, |t| index.document_frequency(t));
                    (
                        word,
                        RANKING.idf(entries, frequency),
                        RANKING.saturate(strength),
                    )
                })
                .collect(),
        }
    }

    /// How much of this text's weight `other` covers (0..1): each word counts as much as both
    /// texts give it, weighed by its rarity.
    pub fn coverage(&self, other: &Profile) -> f32 {
        let (mut covered, mut total) = (0.0, 0.0);
        let mut theirs = other.words.iter().peekable();
        for (word, rarity, strength) in &self.words {
            total += rarity * strength;
            while theirs.peek().is_some_and(|(w, _, _)| w < word) {
                theirs.next();
            }
            if let Some((w, _, their)) = theirs.peek()
                && w == word
            {
                covered += rarity * strength.min(*their);
            }
        }
        if total > 0.0 { covered / total } else { 0.0 }
    }

    /// The words, for finding candidates by their rarest words.
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.words.iter().map(|(w, _, _)| w.as_str())
    }
}

/// The entries most similar to an entry-like `text`, scored both ways: how much of the text
/// each entry covers (through the index) and how much of each entry the text covers (its file
/// read from `root`), averaged. One-way scores flatter short texts; the average does not.
pub fn similar_entries(
    index: &IndexView<'_>,
    root: &std::path::Path,
    text: &SimilarityText,
    exclude: Option<&str>,
    limit: usize,
) -> Vec<SimilarEntry> {
    let own = Profile::of(index, text);
    let mut ranked = similar(index, text, exclude, limit.max(1) * 4);
    for candidate in &mut ranked {
        let file =
            crate::catalogue::load::EntryFile::new(root.join(&candidate.path), &candidate.path);
        let back = crate::catalogue::load::read_source(&file)
            .ok()
            .and_then(|source| crate::catalogue::yaml::parse_value(&source.text))
            .map_or(0.0, |value| {
                Profile::of(index, &SimilarityText::of_entry(&value)).coverage(&own)
            });
        candidate.score = f32::midpoint(candidate.score, back);
    }
    ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
    ranked.truncate(limit);
    ranked
}

/// The entries of `index` most similar to `text`, best first, leaving out `exclude` (the
/// entry the text comes from), at most `limit`, and only those scoring above zero.
#[allow(
    clippy::cast_precision_loss,
    reason = "word counts and field lengths are far below f32's exact range"
)]
pub fn similar(
    index: &IndexView<'_>,
    text: &SimilarityText,
    exclude: Option<&str>,
    limit: usize,
) -> Vec<SimilarEntry> {
    let entries = index.entries();
    let own = strengths(text);
    // Compare like with like: an entry's words count only in the fields the text has, so a long
    // description does not decide whether two solutions are the same.
    let compared: Vec<Field> = text.fields.iter().map(|(field, _)| *field).collect();
    let mut scores = vec![0.0f32; entries.len()];
    let mut best_possible = 0.0f32;
    for (word, own_tf) in &own {
        let term = index.term_index(word);
        let frequency = term.map_or(0, |t| index.document_frequency(t));
        let rarity = RANKING.idf(entries.len(), frequency);
        let own_strength = RANKING.saturate(*own_tf);
        best_possible += rarity * own_strength;
        let Some(term) = term else { continue };
        for posting in index.postings(term) {
            let Some(entry) = entries.get(posting.entry as usize) else {
                continue;
            };
            let mut tf = 0.0;
            for field in compared.iter().copied() {
                let count = f32::from(posting.counts[field.index()]);
                if count > 0.0 {
                    let length = f32::from(entry.field_lengths[field.index()]);
                    tf += field.weight() * count / RANKING.length_norm(field, length);
                }
            }
            // A word counts at most as much as it does in the text itself: an entry that
            // repeats one word of the text does not make up for the words it lacks.
            scores[posting.entry as usize] += rarity * RANKING.saturate(tf).min(own_strength);
        }
    }
    if best_possible <= 0.0 {
        return Vec::new();
    }
    let mut ranked: Vec<SimilarEntry> = entries
        .iter()
        .zip(scores)
        .filter(|(entry, score)| *score > 0.0 && Some(entry.id) != exclude)
        .map(|(entry, score)| SimilarEntry {
            id: entry.id.to_owned(),
            title: entry.title.to_owned(),
            owner_force: entry.owner_force.to_owned(),
            score: (score / best_possible).min(1.0),
            path: entry.path.to_owned(),
        })
        .collect();
    ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
    ranked.truncate(limit);
    ranked
}
