//! Characters entry text may not hold (NSI219): control characters and the bidirectional
//! overrides and isolates. Entry text reaches terminals, spreadsheets, pull-request comments and
//! web pages; these characters can rewrite a terminal line, hide text, or make text display in
//! another order than it is stored (the "Trojan Source" trick). Every output escapes or drops
//! them anyway; the rule keeps them out of the catalogue in the first place.

use super::RuleContext;
use super::privacy::strings;
use super::rules;

/// Whether entry text may not hold `c`: a C0 control other than line feed and tab, DEL, a C1
/// control, or a bidirectional embedding, override or isolate (U+202A–U+202E, U+2066–U+2069).
/// The marks a right-to-left language needs (U+200E, U+200F, U+061C) are allowed.
pub fn is_forbidden(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// What `c` is, for a message.
fn describe(c: char) -> &'static str {
    match c {
        '\u{1B}' => "an escape character, which terminals read as a command",
        '\r' => "a carriage return, which lets text overwrite itself in a terminal",
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {
            "a character that changes the direction text is shown in"
        }
        _ => "a control character",
    }
}

/// The first character of `text` it may not hold.
fn first_forbidden(text: &str) -> Option<char> {
    // Most text is printable ASCII: only look at characters when a byte could start one.
    let suspect = text
        .bytes()
        .any(|b| b < 0x20 && b != b'\n' && b != b'\t' || b >= 0x7F);
    suspect.then(|| text.chars().find(|c| is_forbidden(*c)))?
}

/// Run the rule: one finding per string, at its first forbidden character.
pub fn check(context: &mut RuleContext<'_>) {
    // Nearly every entry is clean: look for the strings (and build their pointers) only when
    // there is something to find.
    if first_forbidden(&context.all_text).is_none() {
        return;
    }
    let mut found = Vec::new();
    strings(context.value, "", &mut |pointer, text| {
        if let Some(c) = first_forbidden(text) {
            found.push((pointer.to_owned(), c));
        }
    });
    for (pointer, c) in found {
        context.report(
            &rules::CONTROL_CHARACTER,
            &pointer,
            format!("this text holds U+{:04X}, {}", u32::from(c), describe(c)),
            Some("remove it; line breaks and tabs are fine".to_owned()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::is_forbidden;

    #[test]
    fn controls_and_direction_overrides_are_forbidden_and_text_is_not() {
        for c in [
            '\u{1B}', '\r', '\u{7}', '\u{0}', '\u{7F}', '\u{9B}', '\u{202E}', '\u{2067}',
        ] {
            assert!(is_forbidden(c), "{:04X}", u32::from(c));
        }
        for c in [
            '\n', '\t', 'a', 'é', '\u{200F}', '\u{61C}', 'ש', '€', '\u{2028}',
        ] {
            assert!(!is_forbidden(c), "{:04X}", u32::from(c));
        }
    }
}
