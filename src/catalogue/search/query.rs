//! Queries: parsing, matching words to the vocabulary (exact, prefix, one typo), ranking with
//! BM25F over weighted fields, filtering, and saying why nothing matched.

use std::collections::BTreeMap;

use serde::Serialize;

use super::analyse::IndexedEntry;
use super::index::IndexView;
use super::ranking::{Field, RANKING};
use super::text::{edit_distance, fold, tokens, within_one_edit};
use crate::catalogue::entry::{AdoptionStatus, Availability, SkillLevel, value_name};
use crate::catalogue::reference::Reference;
use crate::catalogue::suggest::nearest;

/// How a query word matched a word of the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// The same word.
    Exact,
    /// The query word starts the indexed word (`redact` → `redaction`).
    Prefix,
    /// One letter wrong, missing, extra or swapped (`redcation` → `redaction`).
    Typo,
}

impl MatchKind {
    /// How much a match of this kind counts ([`RANKING`]`.match_weights`).
    fn weight(self) -> f32 {
        RANKING.match_weights[self as usize]
    }
}

/// A parsed query: words to match, and phrases whose words must be adjacent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// Every word to match (phrase words included), folded.
    pub words: Vec<QueryWord>,
    /// Phrases: runs of folded words that must appear in this order in one field.
    pub phrases: Vec<Vec<String>>,
}

/// A word of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryWord {
    /// The folded word.
    pub text: String,
    /// Part of a phrase: matched exactly, never by prefix or typo.
    pub exact_only: bool,
}

impl Query {
    /// Parse `input`: words, and `"quoted phrases"`. A word that folds into several words
    /// (`power-bi`) is a phrase. Stop words are dropped unless nothing else is left.
    pub fn parse(input: &str) -> Self {
        let mut query = Query::default();
        for (i, part) in input.split('"').enumerate() {
            let quoted = i % 2 == 1;
            if quoted {
                query.add_phrase(tokens(part));
                continue;
            }
            for word in part.split_whitespace() {
                let words = tokens(word);
                if words.len() > 1 {
                    query.add_phrase(words);
                } else if let Some(word) = words.into_iter().next() {
                    query.words.push(QueryWord {
                        text: word,
                        exact_only: false,
                    });
                }
            }
        }
        let meaningful = query
            .words
            .iter()
            .any(|w| w.exact_only || !RANKING.is_stop_word(&w.text));
        if meaningful {
            query
                .words
                .retain(|w| w.exact_only || !RANKING.is_stop_word(&w.text));
        }
        query
    }

    fn add_phrase(&mut self, words: Vec<String>) {
        match words.len() {
            0 => {}
            // A quoted word matches as written: no prefix, no typo.
            1 => self.words.extend(words.into_iter().map(|text| QueryWord {
                text,
                exact_only: true,
            })),
            _ => {
                self.words.extend(words.iter().map(|text| QueryWord {
                    text: text.clone(),
                    exact_only: true,
                }));
                self.phrases.push(words);
            }
        }
    }

    /// Whether the query has nothing to match (list everything that passes the filters).
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

/// Filters as given on the command line: slugs and values, checked against `schema/`.
/// Values of one filter are alternatives (OR); different filters must all hold (AND).
#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// `--category`.
    pub categories: Vec<String>,
    /// `--force`: owning or partner force.
    pub forces: Vec<String>,
    /// `--region`: the owning force's region.
    pub regions: Vec<String>,
    /// `--phase`.
    pub phases: Vec<String>,
    /// `--technology`: part of a stack item, case- and accent-insensitive.
    pub technologies: Vec<String>,
    /// `--deployment`.
    pub deployments: Vec<String>,
    /// `--role`: a DDaT role family the entry needs.
    pub roles: Vec<String>,
    /// `--level`: the most a receiving force must know (the highest of several given).
    pub levels: Vec<String>,
    /// `--visibility`.
    pub visibilities: Vec<String>,
    /// `--has-doc`: a document type that is public or available on request.
    pub has_docs: Vec<String>,
    /// `--adopted-by`: a force that has adopted or is piloting the solution.
    pub adopted_by: Vec<String>,
}

/// A filter value that is not one of the known values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {flag} value `{value}`")]
pub struct FilterError {
    /// The flag, e.g. `--phase`.
    pub flag: &'static str,
    /// The value given.
    pub value: String,
    /// The values that are allowed.
    pub valid: Vec<String>,
    /// The nearest valid value, when one is close.
    pub suggestion: Option<String>,
}

/// One filter, checked and ready to apply.
#[derive(Debug, Clone)]
enum Filter {
    Category(Vec<String>),
    Force(Vec<String>),
    Region(Vec<String>),
    Phase(Vec<String>),
    Technology(Vec<String>),
    Deployment(Vec<String>),
    Role(Vec<String>),
    Level(SkillLevel, Vec<String>),
    Visibility(Vec<String>),
    HasDoc(Vec<String>),
    AdoptedBy(Vec<String>),
}

impl Filter {
    fn flag(&self) -> &'static str {
        match self {
            Filter::Category(_) => "--category",
            Filter::Force(_) => "--force",
            Filter::Region(_) => "--region",
            Filter::Phase(_) => "--phase",
            Filter::Technology(_) => "--technology",
            Filter::Deployment(_) => "--deployment",
            Filter::Role(_) => "--role",
            Filter::Level(..) => "--level",
            Filter::Visibility(_) => "--visibility",
            Filter::HasDoc(_) => "--has-doc",
            Filter::AdoptedBy(_) => "--adopted-by",
        }
    }

    fn keeps(&self, entry: &IndexedEntry<&str>, reference: &Reference) -> bool {
        let any = |values: &[String], candidate: &str| values.iter().any(|v| v == candidate);
        match self {
            Filter::Category(values) => entry.categories.iter().any(|c| any(values, c)),
            Filter::Force(values) => {
                any(values, entry.owner_force)
                    || entry.partner_forces.iter().any(|f| any(values, f))
            }
            Filter::Region(values) => reference
                .force(entry.owner_force)
                .is_some_and(|force| any(values, &force.region)),
            Filter::Phase(values) => any(values, &value_name(&entry.phase)),
            Filter::Technology(values) => entry
                .stack
                .iter()
                .any(|item| values.iter().any(|v| fold(item).contains(v.as_str()))),
            Filter::Deployment(values) => any(values, &value_name(&entry.deployment)),
            Filter::Role(values) => entry.skills.iter().any(|(role, _)| any(values, role)),
            Filter::Level(most, roles) => entry
                .skills
                .iter()
                .filter(|(role, _)| roles.is_empty() || any(roles, role))
                .all(|(_, level)| level <= most),
            Filter::Visibility(values) => any(values, &value_name(&entry.visibility)),
            Filter::HasDoc(values) => entry.documents.iter().any(|(kind, availability)| {
                any(values, kind) && *availability != Availability::NotAvailable
            }),
            Filter::AdoptedBy(values) => entry.adopters.iter().any(|(force, status)| {
                any(values, force)
                    && matches!(status, AdoptionStatus::Adopted | AdoptionStatus::Piloting)
            }),
        }
    }
}

fn check_values(
    flag: &'static str,
    values: &[String],
    valid: &[String],
    fold_values: bool,
) -> Result<Vec<String>, FilterError> {
    values
        .iter()
        .map(|value| {
            // Slugs and enumeration values are lowercase: `--phase LIVE` means `live`.
            let candidate = if fold_values {
                fold(value)
            } else {
                value.trim().to_lowercase()
            };
            if !candidate.is_empty() && valid.contains(&candidate) {
                Ok(candidate)
            } else {
                Err(FilterError {
                    flag,
                    value: value.clone(),
                    valid: valid.to_vec(),
                    suggestion: nearest(&candidate, valid.iter().map(String::as_str))
                        .map(str::to_owned),
                })
            }
        })
        .collect()
}

impl Filters {
    fn compile(
        &self,
        reference: &Reference,
        index: &IndexView<'_>,
    ) -> Result<Vec<Filter>, FilterError> {
        let owned =
            |items: &mut dyn Iterator<Item = &str>| items.map(str::to_owned).collect::<Vec<_>>();
        let forces = owned(&mut reference.forces.iter().map(|f| f.slug.as_str()));
        let mut filters = Vec::new();
        let mut add = |values: &[String],
                       make: &dyn Fn(Vec<String>) -> Filter,
                       flag,
                       valid: &[String],
                       fold_values| {
            if values.is_empty() {
                return Ok(());
            }
            filters.push(make(check_values(flag, values, valid, fold_values)?));
            Ok::<(), FilterError>(())
        };
        add(
            &self.categories,
            &Filter::Category,
            "--category",
            &owned(&mut reference.categories.iter().map(|t| t.slug.as_str())),
            false,
        )?;
        add(&self.forces, &Filter::Force, "--force", &forces, false)?;
        add(
            &self.regions,
            &Filter::Region,
            "--region",
            &owned(&mut reference.regions.iter().map(|t| t.slug.as_str())),
            false,
        )?;
        add(
            &self.phases,
            &Filter::Phase,
            "--phase",
            &reference.schema_enum("/properties/phase"),
            false,
        )?;
        add(
            &self.deployments,
            &Filter::Deployment,
            "--deployment",
            &reference.schema_enum("/properties/technology/properties/deployment"),
            false,
        )?;
        add(
            &self.roles,
            &Filter::Role,
            "--role",
            &owned(&mut reference.roles.iter().map(|t| t.slug.as_str())),
            false,
        )?;
        add(
            &self.visibilities,
            &Filter::Visibility,
            "--visibility",
            &reference.schema_enum("/properties/visibility"),
            false,
        )?;
        add(
            &self.has_docs,
            &Filter::HasDoc,
            "--has-doc",
            &owned(&mut reference.documents.iter().map(|t| t.slug.as_str())),
            false,
        )?;
        add(
            &self.adopted_by,
            &Filter::AdoptedBy,
            "--adopted-by",
            &forces,
            false,
        )?;
        if !self.technologies.is_empty() {
            filters.push(Filter::Technology(self.check_technologies(index)?));
        }
        if !self.levels.is_empty() {
            let valid = reference.schema_enum("/properties/skills/items/properties/level");
            let levels = check_values("--level", &self.levels, &valid, false)?;
            let most = levels
                .iter()
                .filter_map(|l| {
                    serde_json::from_value::<SkillLevel>(serde_json::Value::from(l.as_str())).ok()
                })
                .max()
                .unwrap_or(SkillLevel::Expert);
            let roles = filters
                .iter()
                .find_map(|f| {
                    if let Filter::Role(roles) = f {
                        Some(roles.clone())
                    } else {
                        None
                    }
                })
                .unwrap_or_default();
            filters.push(Filter::Level(most, roles));
        }
        Ok(filters)
    }

    /// Technologies are free text: a value is known when some stack item contains it.
    fn check_technologies(&self, index: &IndexView<'_>) -> Result<Vec<String>, FilterError> {
        let mut known: Vec<String> = index
            .entries()
            .iter()
            .flat_map(|e| e.stack.iter().map(|s| fold(s)))
            .collect();
        known.sort();
        known.dedup();
        self.technologies
            .iter()
            .map(|value| {
                let folded = fold(value.trim());
                if !folded.is_empty() && known.iter().any(|item| item.contains(&folded)) {
                    Ok(folded)
                } else {
                    Err(FilterError {
                        flag: "--technology",
                        value: value.clone(),
                        suggestion: nearest(&folded, known.iter().map(String::as_str))
                            .map(str::to_owned),
                        valid: known.clone(),
                    })
                }
            })
            .collect()
    }
}

/// What to search for.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    /// The query text; empty lists every entry that passes the filters.
    pub query: String,
    /// Filters.
    pub filters: Filters,
    /// At most this many hits (all when `None`).
    pub limit: Option<usize>,
    /// Record why each hit ranked where it did.
    pub explain: bool,
}

/// Why a hit matched one query word.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WordMatch {
    /// The query word.
    pub query: String,
    /// The indexed word it matched.
    pub matched: String,
    /// How.
    pub kind: MatchKind,
    /// Its contribution to the score.
    pub score: f32,
    /// The fields it was found in.
    pub fields: Vec<&'static str>,
}

/// One result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchHit {
    /// Solution id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Owning force slug.
    pub owner_force: String,
    /// Category slugs.
    pub categories: Vec<String>,
    /// Phase.
    pub phase: String,
    /// The highest skill level needed to deploy.
    pub highest_level: Option<SkillLevel>,
    /// Relevance (0 when listing without a query).
    pub score: f32,
    /// File path relative to the catalogue root.
    pub path: String,
    /// Fields in which query words matched.
    pub matched_fields: Vec<&'static str>,

    /// Why it matched, when asked for.
    pub explanation: Vec<WordMatch>,
}

/// A filter that removed results, and how many there would be without it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FilterEffect {
    /// The flag.
    pub flag: &'static str,
    /// Results without this filter (the other filters still applied).
    pub results_without: usize,
}

/// The outcome of a search.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SearchResults {
    /// The hits, best first (or by title without a query), at most `limit`.
    pub hits: Vec<SearchHit>,
    /// How many entries matched before the limit.
    pub total: usize,
    /// No entry matched every word; these match some of them.
    pub partial: bool,
    /// For query words that matched nothing: the nearest words in the index.
    pub suggestions: BTreeMap<String, Vec<String>>,
    /// When the text matched but filters removed everything: what each filter removed.
    pub filter_effects: Vec<FilterEffect>,
    /// How many files could not be read as entries and are not searched.
    pub skipped: usize,
}

/// The best match of one query word in one entry.
#[derive(Debug, Clone, Copy)]
struct Best {
    term: u32,
    kind: MatchKind,
    score: f32,
    fields: u8,
}

/// The vocabulary words a query word matches, with how.
fn expand(index: &IndexView<'_>, word: &QueryWord) -> Vec<(usize, MatchKind)> {
    let mut matches = Vec::new();
    if let Some(term) = index.term_index(&word.text) {
        matches.push((term, MatchKind::Exact));
    }
    if word.exact_only {
        return matches;
    }
    let length = word.text.chars().count();
    if length >= RANKING.prefix_min_length {
        let mut prefixed: Vec<usize> = index
            .prefix_range(&word.text)
            .filter(|t| index.terms()[*t] != word.text)
            .collect();
        prefixed.sort_by_key(|t| std::cmp::Reverse(index.document_frequency(*t)));
        matches.extend(
            prefixed
                .into_iter()
                .take(RANKING.max_prefix_terms)
                .map(|t| (t, MatchKind::Prefix)),
        );
    }
    if length >= RANKING.typo_min_length {
        for (t, term) in index.terms().iter().enumerate() {
            let other = term.chars().count();
            if other + 1 >= length
                && other <= length + 1
                && *term != word.text
                && !term.starts_with(&word.text)
                && within_one_edit(term, &word.text)
            {
                matches.push((t, MatchKind::Typo));
            }
        }
    }
    matches
}

/// Score every entry against every query word: `best[word * entries + entry]`.
fn score_words(index: &IndexView<'_>, words: &[QueryWord]) -> (Vec<Option<Best>>, Vec<bool>) {
    let entries = index.entries();
    let mut best: Vec<Option<Best>> = vec![None; words.len() * entries.len()];
    let mut expanded_any = vec![false; words.len()];
    for (w, word) in words.iter().enumerate() {
        let expansions = expand(index, word);
        // One rarity for all of a word's expansions (the commonest one's), as Lucene's blended
        // rewrite does: otherwise a rare near-miss (`reports`) outranks the word itself.
        let most_common = expansions
            .iter()
            .map(|(t, _)| index.document_frequency(*t))
            .max()
            .unwrap_or(0);
        let rarity = RANKING.idf(index.catalogue_files(), most_common);
        for (term, kind) in expansions {
            expanded_any[w] = true;
            let weight = kind.weight() * rarity;
            for posting in index.postings(term) {
                let Some(entry) = entries.get(posting.entry as usize) else {
                    continue;
                };
                let mut tf = 0.0;
                let mut fields = 0u8;
                for field in Field::ALL {
                    let count = f32::from(posting.counts[field.index()]);
                    if count > 0.0 {
                        fields |= 1 << (field.index());
                        let length = f32::from(entry.field_lengths[field.index()]);
                        tf += field.weight() * count / RANKING.length_norm(field, length);
                    }
                }
                let score = weight * tf * (RANKING.k1 + 1.0) / (tf + RANKING.k1);
                let slot = &mut best[w * entries.len() + posting.entry as usize];
                if slot.is_none_or(|b| score > b.score) {
                    let term = u32::try_from(term).unwrap_or(u32::MAX);
                    *slot = Some(Best {
                        term,
                        kind,
                        score,
                        fields,
                    });
                }
            }
        }
    }
    (best, expanded_any)
}

fn field_names(mask: u8) -> Vec<&'static str> {
    Field::ALL
        .iter()
        .filter(|f| mask & (1 << f.index()) != 0)
        .map(|f| f.name())
        .collect()
}

fn hit(
    entry: &IndexedEntry<&str>,
    score: f32,
    fields: u8,
    explanation: Vec<WordMatch>,
) -> SearchHit {
    SearchHit {
        id: entry.id.to_owned(),
        title: entry.title.to_owned(),
        owner_force: entry.owner_force.to_owned(),
        categories: entry.categories.iter().map(|c| (*c).to_owned()).collect(),
        phase: value_name(&entry.phase),
        highest_level: entry.highest_level(),
        score,
        path: entry.path.to_owned(),
        matched_fields: field_names(fields),

        explanation,
    }
}

/// Run `request` against `index`.
pub fn search(
    index: &IndexView<'_>,
    reference: &Reference,
    request: &SearchRequest,
) -> Result<SearchResults, FilterError> {
    let filters = request.filters.compile(reference, index)?;
    let query = Query::parse(&request.query);
    let entries = index.entries();
    let passes = |entry: &IndexedEntry<&str>, skip: Option<usize>| {
        filters
            .iter()
            .enumerate()
            .all(|(i, f)| Some(i) == skip || f.keeps(entry, reference))
    };
    let mut results = SearchResults {
        skipped: index.skipped().len(),
        ..SearchResults::default()
    };

    if query.is_empty() {
        let mut listed: Vec<&IndexedEntry<&str>> =
            entries.iter().filter(|e| passes(e, None)).collect();
        listed.sort_by_cached_key(|e| (fold(e.title), e.id));
        results.total = listed.len();
        if listed.is_empty() {
            results.filter_effects = filter_effects(&filters, &entries.iter(), &passes);
        }
        results.hits = listed
            .into_iter()
            .take(request.limit.unwrap_or(usize::MAX))
            .map(|e| hit(e, 0.0, 0, Vec::new()))
            .collect();
        return Ok(results);
    }

    let words = &query.words;
    let (best, expanded_any) = score_words(index, words);
    let word_best = |w: usize, e: usize| best[w * entries.len() + e];
    let phrases_hold = |e: usize| query.phrases.iter().all(|p| index.contains_phrase(e, p));
    let mut text_matches: Vec<usize> = (0..entries.len())
        .filter(|&e| (0..words.len()).all(|w| word_best(w, e).is_some()) && phrases_hold(e))
        .collect();
    let fallback = text_matches.is_empty() && words.len() > 1;
    if fallback {
        text_matches = (0..entries.len())
            .filter(|&e| (0..words.len()).any(|w| word_best(w, e).is_some()) && phrases_hold(e))
            .collect();
    }
    let kept: Vec<usize> = text_matches
        .iter()
        .copied()
        .filter(|&e| passes(&entries[e], None))
        .collect();

    results.total = kept.len();
    results.partial = fallback && !kept.is_empty();
    results.hits = rank(index, words, &best, &kept, request);
    if results.total == 0 {
        for (w, word) in words.iter().enumerate() {
            if !expanded_any[w] {
                results
                    .suggestions
                    .insert(word.text.clone(), suggest(index, &word.text));
            }
        }
        if !text_matches.is_empty() {
            results.filter_effects = filter_effects(
                &filters,
                &text_matches.iter().map(|&e| &entries[e]),
                &passes,
            );
        }
    }
    Ok(results)
}

/// For each filter, how many of `candidates` would pass if it were dropped.
fn filter_effects<'e, 'a: 'e>(
    filters: &[Filter],
    candidates: &(impl Iterator<Item = &'e IndexedEntry<&'a str>> + Clone),
    passes: &dyn Fn(&IndexedEntry<&str>, Option<usize>) -> bool,
) -> Vec<FilterEffect> {
    filters
        .iter()
        .enumerate()
        .map(|(i, filter)| FilterEffect {
            flag: filter.flag(),
            results_without: candidates.clone().filter(|e| passes(e, Some(i))).count(),
        })
        .collect()
}

/// Order the matching entries by score (ties by id) and turn the best into hits.
fn rank(
    index: &IndexView<'_>,
    words: &[QueryWord],
    best: &[Option<Best>],
    kept: &[usize],
    request: &SearchRequest,
) -> Vec<SearchHit> {
    let entries = index.entries();
    let word_best = |w: usize, e: usize| best[w * entries.len() + e];
    let mut scored: Vec<(f32, usize)> = kept
        .iter()
        .map(|&e| {
            (
                (0..words.len())
                    .filter_map(|w| word_best(w, e))
                    .map(|b| b.score)
                    .sum(),
                e,
            )
        })
        .collect();
    scored.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then_with(|| entries[a.1].id.cmp(entries[b.1].id))
    });
    scored
        .into_iter()
        .take(request.limit.unwrap_or(usize::MAX))
        .map(|(score, e)| {
            let matches: Vec<(usize, Best)> = (0..words.len())
                .filter_map(|w| word_best(w, e).map(|b| (w, b)))
                .collect();
            let fields = matches.iter().fold(0u8, |mask, (_, b)| mask | b.fields);
            let explanation = if request.explain {
                matches
                    .iter()
                    .map(|(w, b)| WordMatch {
                        query: words[*w].text.clone(),
                        matched: index
                            .terms()
                            .get(b.term as usize)
                            .copied()
                            .unwrap_or_default()
                            .to_owned(),
                        kind: b.kind,
                        score: b.score,
                        fields: field_names(b.fields),
                    })
                    .collect()
            } else {
                Vec::new()
            };
            hit(&entries[e], score, fields, explanation)
        })
        .collect()
}

/// The indexed words nearest to `word` (at most two edits), most common first.
fn suggest(index: &IndexView<'_>, word: &str) -> Vec<String> {
    let length = word.chars().count();
    let mut near: Vec<(usize, std::cmp::Reverse<u32>, &str)> = index
        .terms()
        .iter()
        .enumerate()
        .filter(|(_, t)| t.chars().count().abs_diff(length) <= 2 && t.len() > 2)
        .filter_map(|(i, t)| {
            let distance = edit_distance(word, t);
            (distance <= 2).then(|| (distance, std::cmp::Reverse(index.document_frequency(i)), *t))
        })
        .collect();
    near.sort();
    near.into_iter()
        .take(3)
        .map(|(_, _, t)| t.to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_parse_into_words_and_phrases() {
        let query = Query::parse(r#"Redaction for the "case file" power-bi"#);
        let words: Vec<&str> = query.words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(words, ["redaction", "case", "file", "power", "bi"]);
        assert_eq!(
            query.phrases,
            [
                vec!["case".to_owned(), "file".to_owned()],
                vec!["power".to_owned(), "bi".to_owned()]
            ]
        );
        assert_eq!(
            Query::parse("the").words.len(),
            1,
            "a query of stop words keeps them"
        );
        assert!(Query::parse("  ").is_empty());
    }
}
