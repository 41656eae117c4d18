//! Text as the search engine sees it: folded to lowercase without accents, cut into words,
//! and compared with typo tolerance.

use std::ops::Range;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Fold `text` for matching: Unicode compatibility decomposition, accents dropped, lowercase.
pub fn fold(text: &str) -> String {
    text.nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The folded words of `text`, in order. A word is a run of letters and digits; `c#`, `.net`
/// and `power-bi` become `c`, `net`, `power` and `bi`.
///
/// The same as splitting [`fold`]`(text)` on everything that is not a letter or digit.
pub fn tokens(text: &str) -> Vec<String> {
    let mut folded = String::new();
    let mut words = Vec::new();
    push_tokens(text, &mut folded, &mut words);
    words
        .into_iter()
        .map(|word| folded[word].to_owned())
        .collect()
}

/// Append the folded words of `text` (as [`tokens`] finds them) to `out`, separated by single
/// spaces, and where each lies in `out` to `words`.
///
/// One pass, and no allocation per word: ASCII (nearly all of a catalogue) is lowercased
/// directly and only other characters are decomposed. Indexing spends most of its time here.
pub fn push_tokens(text: &str, out: &mut String, words: &mut Vec<Range<usize>>) {
    let mut writer = WordWriter {
        out,
        words,
        start: None,
        first: true,
    };
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        if byte.is_ascii_alphanumeric() {
            let run = bytes[at..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count();
            writer.push_ascii(&text[at..at + run]);
            at += run;
        } else if byte.is_ascii() {
            writer.end_word();
            at += 1;
        } else {
            let ch = text[at..].chars().next().unwrap_or_default();
            for c in std::iter::once(ch)
                .nfkd()
                .filter(|c| !is_combining_mark(*c))
                .flat_map(char::to_lowercase)
            {
                writer.push(c);
            }
            at += ch.len_utf8().max(1);
        }
    }
    writer.end_word();
}

/// Writes folded characters into words.
struct WordWriter<'o> {
    out: &'o mut String,
    words: &'o mut Vec<Range<usize>>,
    /// Where the word being written starts, if one is.
    start: Option<usize>,
    /// No word written yet (so none needs a space before it).
    first: bool,
}

impl WordWriter<'_> {
    fn push(&mut self, c: char) {
        if c.is_alphanumeric() {
            self.start_word();
            self.out.push(c);
        } else {
            self.end_word();
        }
    }

    /// Letters and digits, all ASCII.
    fn push_ascii(&mut self, run: &str) {
        self.start_word();
        let at = self.out.len();
        self.out.push_str(run);
        self.out[at..].make_ascii_lowercase();
    }

    fn start_word(&mut self) {
        if self.start.is_none() {
            if !self.first {
                self.out.push(' ');
            }
            self.first = false;
            self.start = Some(self.out.len());
        }
    }

    fn end_word(&mut self) {
        if let Some(start) = self.start.take() {
            self.words.push(start..self.out.len());
        }
    }
}

/// Whether `words` appear next to each other, in this order, within one line of `text` (a
/// line holds one item of one field, so a phrase never spans two).
pub fn contains_phrase(text: &str, words: &[String]) -> bool {
    let needle = format!(" {} ", words.join(" "));
    text.lines()
        .any(|line| format!(" {line} ").contains(&needle))
}

/// Whether `a` and `b` are at most one edit apart, where an edit is a substituted, inserted,
/// deleted or swapped (transposed adjacent) character.
pub fn within_one_edit(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a == b {
        return true;
    }
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    match long.len() - short.len() {
        0 => {
            let differing: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
            match differing.as_slice() {
                [_] => true,
                [i, j] => *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i],
                _ => false,
            }
        }
        1 => {
            let prefix = short
                .iter()
                .zip(long.iter())
                .take_while(|(x, y)| x == y)
                .count();
            short[prefix..] == long[prefix + 1..]
        }
        _ => false,
    }
}

/// Damerau–Levenshtein distance (optimal string alignment), for "did you mean" suggestions.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut previous2: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut current = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            current[j] = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                current[j] = current[j].min(previous2[j - 2] + 1);
            }
        }
        previous2 = std::mem::replace(&mut previous, current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition `tokens` must keep to: fold, then split.
    fn tokens_by_definition(text: &str) -> Vec<String> {
        fold(text)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn tokens_match_their_definition(text in "\\PC{0,80}") {
            proptest::prop_assert_eq!(tokens(&text), tokens_by_definition(&text));
        }
    }

    #[test]
    fn tokens_match_their_definition_on_awkward_text() {
        for text in [
            "Café Œuvre ﬁle Straße İstanbul ½ ⅷ x²",
            "ÅNGSTRÖM-ﬀ",
            "日本語 テキスト",
            "a\u{301}b",
        ] {
            assert_eq!(tokens(text), tokens_by_definition(text), "{text}");
        }
    }

    #[test]
    fn folding_drops_case_and_accents() {
        assert_eq!(fold("Café RÉSUMÉ"), "cafe resume");
        assert_eq!(
            tokens("Power-BI & C# (v2.1)"),
            ["power", "bi", "c", "v2", "1"]
        );
    }

    #[test]
    fn phrases_must_be_adjacent_in_one_line() {
        let phrase = ["case".to_owned(), "file".to_owned()];
        assert!(contains_phrase("case file builder\nother", &phrase));
        assert!(!contains_phrase("case\nfile", &phrase));
        assert!(!contains_phrase("file case", &phrase));
        assert!(!contains_phrase("showcase file", &phrase));
    }

    #[test]
    fn one_edit_covers_substitution_insertion_deletion_and_swap() {
        assert!(within_one_edit("redaction", "redcation"));
        assert!(within_one_edit("redaction", "redation"));
        assert!(within_one_edit("redaction", "redacttion"));
        assert!(within_one_edit("redaction", "redoction"));
        assert!(!within_one_edit("redaction", "reaction s"));
        assert!(!within_one_edit("redaction", "rdcation"));
        assert_eq!(edit_distance("redaction", "redcation"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
