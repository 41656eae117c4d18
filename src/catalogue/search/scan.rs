//! Which entry files can match a query, told from their bytes without parsing them.
//!
//! A search without a current index cache reads every file (as ripgrep would) but parses only
//! those whose text could hold a word the query matches, and answers from an index of those.
//! The answer is the one the whole index gives, because the test is generous: a file is left
//! out only when no word in it can match, and a score needs nothing from the files left out
//! but their number (see [`super::ranking::FieldRanking::pivot`]). What does need every entry
//! is listed at [`super::cache::load_or_scan`].

use std::sync::OnceLock;

use regex::Regex;

use super::query::Query;
use super::ranking::{RANKING, SearchableNames};
use super::text::fold;

/// A test of a file's bytes: false only when no word of the file can match the query.
#[derive(Debug)]
pub struct Prefilter {
    /// The pattern over ASCII text, where letters and digits are ASCII ones.
    ascii: regex::bytes::Regex,
    /// The pattern over other text in its [`words_only`] form; compiled when first needed
    /// (most catalogues are ASCII).
    words_pattern: String,
    words: OnceLock<Option<Regex>>,
}

/// How a pattern sees text: what a letter or digit is, what else is (where words start and
/// end), and how a slug is spelled and bounded (a slug is letters, digits and `-`).
struct Form {
    alphanumeric: &'static str,
    other: &'static str,
    slug: fn(&str) -> String,
    slug_bound: &'static str,
}

/// ASCII text as it is, in any case.
const ASCII: Form = Form {
    alphanumeric: "[0-9A-Za-z]",
    other: "[^0-9A-Za-z]",
    slug: |slug| regex::escape(slug),
    slug_bound: "[^0-9A-Za-z-]",
};

/// Text in its [`words_only`] form: everything but a space is a letter or digit.
const WORDS_ONLY: Form = Form {
    alphanumeric: "[^ ]",
    other: " ",
    slug: |slug| regex::escape(&words_only(slug)),
    slug_bound: " ",
};

/// `text` folded as the index folds it, with every character that is not a letter or digit
/// (by `char::is_alphanumeric`, as the index decides) made a space: so the regex engine's own
/// idea of a letter, which may differ for a rare character, never decides where a word is.
fn words_only(text: &str) -> String {
    fold(text)
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect()
}

impl Prefilter {
    /// The test for `query`, or `None` when it cannot be built (a query too long to compile).
    ///
    /// A query word matches an indexed word that is the same, that it starts, or (from five
    /// letters) that is one edit away. So the pattern is the word at the start of a word, or a
    /// whole word one edit away: a letter dropped, two swapped, one replaced or one inserted.
    /// The names of forces and categories are indexed too, though a file holds only their
    /// slugs: the slugs of names the pattern finds are added, as whole slugs.
    pub fn new(query: &Query, names: &SearchableNames) -> Option<Self> {
        if query.words.is_empty() {
            return None;
        }
        let words = Prefilter::compile(query, &[])?;
        let slugs: Vec<&str> = (names.forces.iter().chain(&names.categories))
            .filter(|(_, name)| words.matches_text(name))
            .map(|(slug, _)| slug.as_str())
            .collect();
        if slugs.is_empty() {
            Some(words)
        } else {
            Prefilter::compile(query, &slugs)
        }
    }

    fn compile(query: &Query, slugs: &[&str]) -> Option<Self> {
        let pattern = |form: &Form| {
            let mut starts = Vec::new();
            let mut whole = Vec::new();
            for word in &query.words {
                starts.push(regex::escape(&word.text));
                if !word.exact_only && word.text.chars().count() >= RANKING.typo_min_length {
                    whole.extend(one_edit_patterns(&word.text, form.alphanumeric));
                }
            }
            // A word starts after a character that is not a letter or digit; a word one edit
            // away matches whole, so it also ends before one.
            let other = form.other;
            let mut alternatives = vec![format!("(?:^|{other})(?:{})", starts.join("|"))];
            if !whole.is_empty() {
                alternatives.push(format!("(?:^|{other})(?:{})(?:$|{other})", whole.join("|")));
            }
            if !slugs.is_empty() {
                let bound = form.slug_bound;
                let slugs: Vec<String> = slugs.iter().map(|slug| (form.slug)(slug)).collect();
                alternatives.push(format!("(?:^|{bound})(?:{})(?:$|{bound})", slugs.join("|")));
            }
            alternatives.join("|")
        };
        let ascii = regex::bytes::RegexBuilder::new(&pattern(&ASCII))
            .case_insensitive(true)
            .unicode(false)
            .build()
            .ok()?;
        Some(Prefilter {
            ascii,
            words_pattern: pattern(&WORDS_ONLY),
            words: OnceLock::new(),
        })
    }

    /// Whether `text` may hold a word the query matches: ASCII as it is, other text in its
    /// [`words_only`] form. Should that pattern not compile, anything may match.
    fn matches_text(&self, text: &str) -> bool {
        if text.is_ascii() {
            return self.ascii.is_match(text.as_bytes());
        }
        self.words
            .get_or_init(|| Regex::new(&self.words_pattern).ok())
            .as_ref()
            .is_none_or(|pattern| pattern.is_match(&words_only(text)))
    }

    /// Whether a file with these bytes may hold a word the query matches. Text with escapes
    /// (`\`) may spell a word in a way the bytes do not show, and text that is not UTF-8 is
    /// reported as unreadable by the parse, so both are kept.
    pub fn may_match(&self, bytes: &[u8]) -> bool {
        if bytes.contains(&b'\\') {
            return true;
        }
        if bytes.is_ascii() {
            return self.ascii.is_match(bytes);
        }
        std::str::from_utf8(bytes).map_or(true, |text| self.matches_text(text))
    }
}

/// Patterns for every word one edit away from `word`: a letter dropped, two neighbours
/// swapped, a letter replaced by another, a letter inserted.
fn one_edit_patterns(word: &str, alphanumeric: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    let text = |chars: &[char]| regex::escape(&chars.iter().collect::<String>());
    let mut patterns = Vec::with_capacity(chars.len() * 4 + 1);
    for at in 0..chars.len() {
        let (before, after) = (&chars[..at], &chars[at + 1..]);
        patterns.push(format!("{}{}", text(before), text(after)));
        patterns.push(format!("{}{alphanumeric}{}", text(before), text(after)));
        if at + 1 < chars.len() {
            let mut swapped = chars.clone();
            swapped.swap(at, at + 1);
            patterns.push(text(&swapped));
        }
    }
    for at in 0..=chars.len() {
        patterns.push(format!(
            "{}{alphanumeric}{}",
            text(&chars[..at]),
            text(&chars[at..])
        ));
    }
    patterns
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::search::text::{tokens, within_one_edit};
    use proptest::prelude::*;

    /// Whether the index would match `word` (folded, from a query) to any word of `text`:
    /// the same word, a longer one it starts (from two letters), or from five letters a whole
    /// word one edit away (`query::expand`).
    fn index_matches(text: &str, word: &str, exact_only: bool) -> bool {
        let length = word.chars().count();
        tokens(text).iter().any(|token| {
            token == word
                || (!exact_only && length >= 2 && token.starts_with(word))
                || (!exact_only
                    && length >= RANKING.typo_min_length
                    && token.chars().count().abs_diff(length) <= 1
                    && within_one_edit(token, word))
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// The prefilter never drops text in which the index would find the query word: words
        /// of a small alphabet (so that near misses are common), ASCII and not, between
        /// separators of every kind, and a query word taken from the text and edited.
        #[test]
        fn no_text_the_index_matches_is_dropped(
            words in prop::collection::vec("[abcdeÉéß1_]{1,9}", 1..12),
            separators in prop::collection::vec(prop::sample::select(
                vec![" ", "-", "\n  ", "_", ": ", "’", "\u{301}", "  # ", "\u{2028}", "ﬁ"]), 12),
            pick in 0usize..12,
            edit in 0usize..5,
            at in 0usize..10,
            quoted in any::<bool>(),
        ) {
            let mut text = String::new();
            for (word, separator) in words.iter().zip(&separators) {
                text.push_str(word);
                text.push_str(separator);
            }
            let Some(source) = tokens(&words[pick % words.len()]).into_iter().next() else {
                return Ok(());
            };
            let mut chars: Vec<char> = source.chars().collect();
            let at = at % chars.len();
            match edit {
                0 => {}
                1 => { chars.remove(at); }
                2 => chars[at] = 'z',
                3 => chars.insert(at, 'c'),
                _ => if at + 1 < chars.len() { chars.swap(at, at + 1); },
            }
            let word: String = chars.into_iter().collect();
            let query = Query::parse(&if quoted { format!("\"{word}\"") } else { word.clone() });
            let Some(filter) = Prefilter::new(&query, &SearchableNames::default()) else {
                return Ok(());
            };
            for word in &query.words {
                if index_matches(&text, &word.text, word.exact_only) {
                    prop_assert!(filter.may_match(text.as_bytes()), "{word:?} in {text:?}");
                }
            }
        }
    }

    #[test]
    fn one_edit_patterns_match_every_word_one_edit_away() {
        let patterns = one_edit_patterns("redaction", ASCII.alphanumeric);
        let pattern = Regex::new(&format!("^(?:{})$", patterns.join("|"))).expect("compiles");
        for near in [
            "redction",
            "erdaction",
            "redxction",
            "redacxtion",
            "redactions",
        ] {
            assert!(within_one_edit(near, "redaction"), "{near}");
            assert!(pattern.is_match(near), "{near}");
        }
        assert!(!pattern.is_match("reduction-x"));
        assert!(!pattern.is_match("rdeactoin"));
    }

    #[test]
    fn files_are_kept_when_a_word_can_match() {
        let names = SearchableNames {
            forces: [("met".to_owned(), "Metropolitan Police Service".to_owned())].into(),
            categories: [("case-file".to_owned(), "Case file preparation".to_owned())].into(),
        };
        let filter = |query: &str| Prefilter::new(&Query::parse(query), &names).expect("built");
        let redaction = filter("redaction");
        assert!(redaction.may_match(b"title: Redaction Studio"));
        assert!(
            redaction.may_match(b"title: Redcation"),
            "a typo in the file"
        );
        assert!(redaction.may_match(b"title: Redactions"), "a longer word");
        assert!(!redaction.may_match(b"title: Evidence masking"));
        assert!(
            !redaction.may_match(b"title: Unredacted"),
            "not at a word's start"
        );
        assert!(
            redaction.may_match(b"title: Unredacted_redaction"),
            "`_` parts words"
        );
        let abuse = filter("abuse");
        assert!(abuse.may_match(b"summary: Abuses"));
        assert!(
            abuse.may_match(b"summary: [abuze]"),
            "a whole word one edit away"
        );
        assert!(abuse.may_match(b"summary: xabuse"));
        assert!(
            !abuse.may_match(b"summary: because"),
            "not a word one edit away"
        );
        assert!(!abuse.may_match(b"summary: abuzzed"));
        assert!(redaction.may_match("title: RÉDACTION".as_bytes()), "folded");
        assert!(
            redaction.may_match(br#"title: "Red\u0061ction""#),
            "escapes"
        );
        assert!(redaction.may_match(b"title: \xff"), "not UTF-8");
        // The force's name is indexed, its slug is in the file.
        let police = filter("metropolitan");
        assert!(police.may_match(b"owner_force: met"));
        assert!(!police.may_match(b"owner_force: kent"));
        assert!(
            !police.may_match(b"method: metadata"),
            "a slug matches whole"
        );
        assert!(police.may_match("owner_force: 'met' # café".as_bytes()));
        assert!(filter("preparation").may_match("categories: [case-file] # …".as_bytes()));
        assert!(filter("preparation").may_match(b"categories: [case-file]"));
        // Query words beyond ASCII: ASCII files cannot hold them, other files are folded.
        let greek = filter("straße Ωmega");
        assert!(greek.may_match("x: Straße".as_bytes()));
        assert!(greek.may_match("x: ωmega".as_bytes()));
        assert!(!greek.may_match(b"x: strasse"));
        assert!(greek.may_match(b"x: omega"), "one letter away");
        // A quoted word matches only itself.
        assert!(!filter("\"redaction\"").may_match(b"title: Redcation"));
    }
}
