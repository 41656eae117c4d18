//! "Did you mean": the one place nsi works out which known name a mistyped one was meant to
//! be — a slug of the reference lists, a key of the schema or of `nsi.toml`, a value of a
//! vocabulary (by [`nearest`]), or an entry id (by [`nearest_ids`]). Words of a search
//! query are suggested from the index's own vocabulary (`search::text`), by edit distance.

use super::search::text::edit_distance;

/// The candidate nearest to `input`, when it is close enough to be a likely typo.
pub fn nearest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(input, candidate), candidate))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

/// "did you mean `a`?", or "did you mean `a`, `b` or `c`?" for several names, each quoted as
/// code; `None` for none. Every suggestion nsi makes is worded by this.
pub fn did_you_mean<S: AsRef<str>>(names: &[S]) -> Option<String> {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{}`", n.as_ref())).collect();
    let (last, rest) = quoted.split_last()?;
    Some(if rest.is_empty() {
        format!("did you mean {last}?")
    } else {
        format!("did you mean {} or {last}?", rest.join(", "))
    })
}

/// "did you mean `x`?" for the candidate nearest to `input`, when one is close enough.
pub fn hint<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    did_you_mean(&nearest(input, candidates).into_iter().collect::<Vec<_>>())
}

/// The ids nearest to `id`: those containing it or sharing its words, then those a few edits
/// away.
pub fn nearest_ids(id: &str, ids: &[String]) -> Vec<String> {
    let words: Vec<&str> = id
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| w.len() >= 3)
        .collect();
    let mut scored: Vec<(usize, &String)> = ids
        .iter()
        .filter_map(|candidate| {
            if candidate.contains(id) || id.contains(candidate.as_str()) {
                return Some((0, candidate));
            }
            let shared = words
                .iter()
                .filter(|w| candidate.split('-').any(|part| part == **w))
                .count();
            if shared > 0 {
                return Some((10 - shared.min(9), candidate));
            }
            let distance = edit_distance(id, candidate);
            (distance <= 3.max(id.len() / 4)).then_some((10 + distance, candidate))
        })
        .collect();
    scored.sort();
    scored
        .into_iter()
        .take(5)
        .map(|(_, id)| id.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_are_worded_once() {
        assert_eq!(did_you_mean::<&str>(&[]), None);
        assert_eq!(
            did_you_mean(&["live"]).as_deref(),
            Some("did you mean `live`?")
        );
        assert_eq!(
            did_you_mean(&["a", "b", "c"]).as_deref(),
            Some("did you mean `a`, `b` or `c`?")
        );
        assert_eq!(
            hint("livee", ["discovery", "live"]).as_deref(),
            Some("did you mean `live`?")
        );
        assert_eq!(hint("zzz", ["discovery", "live"]), None);
    }
}
