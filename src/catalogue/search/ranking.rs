//! The ranking, written once as data: which text of an entry each searchable field holds, how
//! much a match in each field counts, BM25's constants, how a query word may match, and the
//! words a query drops.
//!
//! Everything that searches reads it from here: the index is built from its fields
//! ([`super::analyse`]), `nsi search` scores with it ([`super::query`]), `nsi similar` compares
//! with it ([`super::similar`]), and the static site's `data.js` is generated from [`RANKING`]
//! (`nsi export --format html`), so that the page's script ranks as `nsi search` does. A change
//! here changes the index cache's key too (`build.rs`), so no cache built under other rules is
//! read.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::catalogue::entry::Entry;
use crate::catalogue::reference::Reference;

/// How many searchable fields there are.
pub const FIELD_COUNT: usize = 7;

/// The fields the engine searches, heaviest first. What each holds and weighs is
/// [`RANKING`]`.fields`, in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// `title`.
    Title,
    /// `tags`.
    Tags,
    /// `summary`.
    Summary,
    /// `problem_statement`.
    ProblemStatement,
    /// `description`.
    Description,
    /// `technology`: stack, hosting and integrations.
    Technology,
    /// Categories, the owning force's name, rationale and benefits.
    Context,
}

/// Where a field's text comes from. Each source gives items (the title, a tag, a stack item, a
/// benefit), and each item is kept apart from the next so that a phrase never runs from one
/// into another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldSource {
    /// `title`.
    Title,
    /// Each of `tags`.
    Tags,
    /// `summary`.
    Summary,
    /// `problem_statement`.
    ProblemStatement,
    /// `description`, when there is one.
    Description,
    /// Each of `technology.stack`.
    Stack,
    /// `technology.hosting`, when there is one.
    Hosting,
    /// For each of `technology.integrations`, its `system` and then its `method`.
    Integrations,
    /// The owning force's name from the reference list (nothing when the slug is unknown).
    OwnerForceName,
    /// `rationale`.
    Rationale,
    /// The name of each category from the reference list (its slug when unknown).
    CategoryNames,
    /// The `description` of each of `benefits`.
    Benefits,
}

/// One searchable field: what it holds and how much a match in it counts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FieldRanking {
    /// The field.
    pub field: Field,
    /// Its name in output and in the site's data.
    pub name: &'static str,
    /// How much a match in it counts.
    pub weight: f32,
    /// The length, in words, at which a match counts at its plain weight: longer fields count
    /// a match for less, shorter ones for more (BM25's length normalisation).
    ///
    /// Fixed, not the catalogue's average: an entry's score then depends only on the entry and
    /// on how rare its words are (and on how many entry files there are), so a search can be
    /// answered from the entries that can match without parsing the rest
    /// ([`super::cache::load_or_scan`]). These are the shipped catalogue's averages, rounded (a
    /// generated catalogue's are between about half of them and 1.4 times: 19 words of
    /// technology, 56 of summary).
    pub pivot: f32,
    /// Where its text comes from, in order.
    pub sources: &'static [FieldSource],
}

/// How a search ranks. One value of it exists, [`RANKING`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Ranking {
    /// The fields, heaviest first, in [`Field`] order.
    pub fields: [FieldRanking; FIELD_COUNT],
    /// BM25 saturation: how quickly repeats of a word stop adding to the score.
    pub k1: f32,
    /// BM25 length normalisation: how much long fields are discounted.
    pub b: f32,
    /// How much an exact, a prefix and a one-edit match count (`MatchKind` order).
    pub match_weights: [f32; 3],
    /// Query words this long or longer also match longer words they start.
    pub prefix_min_length: usize,
    /// Prefix expansions considered per query word, the commonest first.
    pub max_prefix_terms: usize,
    /// Query words this long or longer also match words one edit away.
    pub typo_min_length: usize,
    /// Words too common to require: dropped from a query unless it holds nothing else, and
    /// not compared by `nsi similar`.
    pub stop_words: &'static [&'static str],
}

/// The ranking of `nsi search`, `nsi similar` and the static site.
pub const RANKING: Ranking = Ranking {
    fields: [
        FieldRanking {
            field: Field::Title,
            name: "title",
            weight: 6.0,
            pivot: 4.0,
            sources: &[FieldSource::Title],
        },
        FieldRanking {
            field: Field::Tags,
            name: "tags",
            weight: 4.0,
            pivot: 10.0,
            sources: &[FieldSource::Tags],
        },
        FieldRanking {
            field: Field::Summary,
            name: "summary",
            weight: 3.0,
            pivot: 40.0,
            sources: &[FieldSource::Summary],
        },
        FieldRanking {
            field: Field::ProblemStatement,
            name: "problem_statement",
            weight: 2.0,
            pivot: 40.0,
            sources: &[FieldSource::ProblemStatement],
        },
        FieldRanking {
            field: Field::Description,
            name: "description",
            weight: 1.0,
            pivot: 120.0,
            sources: &[FieldSource::Description],
        },
        FieldRanking {
            field: Field::Technology,
            name: "technology",
            weight: 1.0,
            pivot: 40.0,
            sources: &[
                FieldSource::Stack,
                FieldSource::Hosting,
                FieldSource::Integrations,
            ],
        },
        FieldRanking {
            field: Field::Context,
            name: "context",
            weight: 0.5,
            pivot: 40.0,
            sources: &[
                FieldSource::OwnerForceName,
                FieldSource::Rationale,
                FieldSource::CategoryNames,
                FieldSource::Benefits,
            ],
        },
    ],
    k1: 1.2,
    b: 0.75,
    match_weights: [1.0, 0.7, 0.5],
    prefix_min_length: 2,
    max_prefix_terms: 64,
    typo_min_length: 5,
    stop_words: &[
        "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of",
        "on", "or", "that", "the", "to", "with",
    ],
};

// The table is in `Field` order: `Field::index` finds a field's row.
const _: () = {
    let mut i = 0;
    while i < FIELD_COUNT {
        assert!(RANKING.fields[i].field as usize == i);
        i += 1;
    }
};

impl Field {
    /// Every field, in weight order.
    pub const ALL: [Field; FIELD_COUNT] = [
        Field::Title,
        Field::Tags,
        Field::Summary,
        Field::ProblemStatement,
        Field::Description,
        Field::Technology,
        Field::Context,
    ];

    /// The field's row of [`RANKING`].
    pub fn ranking(self) -> &'static FieldRanking {
        &RANKING.fields[self.index()]
    }

    /// How much a match in this field counts.
    pub fn weight(self) -> f32 {
        self.ranking().weight
    }

    /// The length at which a match counts at its plain weight ([`FieldRanking::pivot`]).
    pub fn pivot(self) -> f32 {
        self.ranking().pivot
    }

    /// The field's name in output.
    pub fn name(self) -> &'static str {
        self.ranking().name
    }

    /// The field's position in per-field arrays.
    pub fn index(self) -> usize {
        self as usize
    }
}

impl Ranking {
    /// Whether `word` (folded) is a stop word.
    pub fn is_stop_word(&self, word: &str) -> bool {
        self.stop_words.contains(&word)
    }

    /// BM25's rarity of a word found in `frequency` of `entries` entries.
    #[allow(
        clippy::cast_precision_loss,
        reason = "counts are far below f32's exact range"
    )]
    pub fn idf(&self, entries: usize, frequency: u32) -> f32 {
        let n = entries as f32;
        let df = frequency as f32;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    /// How much a field of `length` words discounts a match in it (1 at the field's pivot).
    pub fn length_norm(&self, field: Field, length: f32) -> f32 {
        1.0 - self.b + self.b * length / field.pivot()
    }

    /// BM25 saturation of a weighted term frequency.
    pub fn saturate(&self, tf: f32) -> f32 {
        tf * (self.k1 + 1.0) / (tf + self.k1)
    }
}

/// Names the index needs from the reference lists, to make them searchable.
#[derive(Debug, Clone, Default)]
pub struct SearchableNames {
    /// Force slug → name.
    pub forces: BTreeMap<String, String>,
    /// Category slug → name.
    pub categories: BTreeMap<String, String>,
}

impl From<&Reference> for SearchableNames {
    fn from(reference: &Reference) -> Self {
        SearchableNames {
            forces: reference
                .forces
                .iter()
                .map(|f| (f.slug.clone(), f.name.clone()))
                .collect(),
            categories: reference
                .categories
                .iter()
                .map(|c| (c.slug.clone(), c.name.clone()))
                .collect(),
        }
    }
}

/// The text of `entry` in each field, as [`RANKING`]'s sources say, item by item.
pub fn field_items<'e>(
    entry: &'e Entry,
    names: &'e SearchableNames,
) -> [Vec<&'e str>; FIELD_COUNT] {
    RANKING.fields.map(|field| {
        let mut items = Vec::new();
        for source in field.sources {
            source_items(entry, names, *source, &mut items);
        }
        items
    })
}

/// Append the items of `source` in `entry` to `items`.
fn source_items<'e>(
    entry: &'e Entry,
    names: &'e SearchableNames,
    source: FieldSource,
    items: &mut Vec<&'e str>,
) {
    let technology = &entry.technology;
    match source {
        FieldSource::Title => items.push(&entry.title),
        FieldSource::Tags => items.extend(entry.tags.iter().map(String::as_str)),
        FieldSource::Summary => items.push(&entry.summary),
        FieldSource::ProblemStatement => items.push(&entry.problem_statement),
        FieldSource::Description => items.extend(entry.description.as_deref()),
        FieldSource::Stack => items.extend(technology.stack.iter().map(String::as_str)),
        FieldSource::Hosting => items.extend(technology.hosting.as_deref()),
        FieldSource::Integrations => {
            for integration in &technology.integrations {
                items.push(&integration.system);
                items.push(&integration.method);
            }
        }
        FieldSource::OwnerForceName => items.push(
            names
                .forces
                .get(entry.owner_force.as_str())
                .map_or("", String::as_str),
        ),
        FieldSource::Rationale => items.push(&entry.rationale),
        FieldSource::CategoryNames => items.extend(entry.categories.iter().map(|c| {
            names
                .categories
                .get(c.as_str())
                .map_or(c.as_str(), String::as_str)
        })),
        FieldSource::Benefits => {
            items.extend(entry.benefits.iter().map(|b| b.description.as_str()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A field is named the same in output, in JSON and in the site's data.
    #[test]
    fn each_field_has_one_name() {
        for field in Field::ALL {
            assert_eq!(
                serde_json::to_value(field).expect("serialises"),
                field.name()
            );
        }
        let names: Vec<&str> = RANKING.fields.iter().map(|f| f.name).collect();
        assert_eq!(
            names,
            [
                "title",
                "tags",
                "summary",
                "problem_statement",
                "description",
                "technology",
                "context"
            ]
        );
    }

    /// Weights fall from title to context, as the help of `nsi search` says.
    #[test]
    fn fields_are_heaviest_first() {
        for pair in RANKING.fields.windows(2) {
            assert!(pair[0].weight >= pair[1].weight, "{pair:?}");
        }
        assert!(RANKING.stop_words.windows(2).all(|w| w[0] < w[1]), "sorted");
    }
}
