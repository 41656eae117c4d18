//! Text as the search engine sees it: folded to lowercase without accents, cut into words,
//! and compared with typo tolerance.

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
/// The same as splitting [`fold`]`(text)` on everything that is not a letter or digit, but in
/// one pass: ASCII (nearly all of a catalogue) is lowercased directly, and only other
/// characters are decomposed. Indexing spends most of its time here.
pub fn tokens(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let push = |c: char, word: &mut String, words: &mut Vec<String>| {
        if c.is_alphanumeric() {
            word.push(c);
        } else if !word.is_empty() {
            words.push(std::mem::take(word));
        }
    };
    for ch in text.chars() {
        if ch.is_ascii() {
            push(ch.to_ascii_lowercase(), &mut word, &mut words);
        } else {
            for c in std::iter::once(ch)
                .nfkd()
                .filter(|c| !is_combining_mark(*c))
                .flat_map(char::to_lowercase)
            {
                push(c, &mut word, &mut words);
            }
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
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
