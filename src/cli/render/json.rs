//! The one JSON writer of every command. JSON output reaches terminals (`nsi show --format
//! json` piped to nothing), logs and pages, and holds text from entries: besides what JSON
//! itself escapes (quotes, backslashes, C0 controls), every character a terminal may act on or
//! that changes the order text is shown in is written as a `\u` escape. The escapes mean the
//! same characters to any JSON reader, so the value is unchanged; only the bytes are inert.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter};

use crate::catalogue::validate::characters::is_forbidden;

/// Whether JSON output writes `c` as a `\u` escape: every character entry text may not hold
/// (DEL, the C1 controls such as U+009B, a terminal's single-byte escape, the bidirectional
/// embeddings, overrides and isolates: [`is_forbidden`]); the direction marks (U+200E, U+200F,
/// U+061C); the line and paragraph separators (U+2028, U+2029); and the byte-order mark.
/// (JSON escapes the C0 controls itself.)
pub fn needs_escape(c: char) -> bool {
    is_forbidden(c)
        || matches!(
            c,
            '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{2028}' | '\u{2029}' | '\u{FEFF}'
        )
}

/// Whether JSON placed in a `<script>` element (the HTML site's search data) also escapes `c`:
/// `<`, `>` and `&`, so that no string can end the script.
fn script_escape(c: char) -> bool {
    matches!(c, '<' | '>' | '&')
}

/// A formatter laid out as `F` lays out (pretty or compact) that writes the characters of
/// [`needs_escape`] (and, for a script, of [`script_escape`]) as `\u` escapes.
struct Escaping<F> {
    layout: F,
    script: bool,
}

impl<F: Formatter> Formatter for Escaping<F> {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let script = self.script;
        let mut rest = fragment;
        while let Some((at, c)) = rest
            .char_indices()
            .find(|&(_, c)| needs_escape(c) || (script && script_escape(c)))
        {
            writer.write_all(&rest.as_bytes()[..at])?;
            write!(writer, "\\u{:04x}", u32::from(c))?;
            rest = &rest[at + c.len_utf8()..];
        }
        writer.write_all(rest.as_bytes())
    }

    // The layout: whatever `F` does.
    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.layout.begin_array(writer)
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.layout.end_array(writer)
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.layout.begin_array_value(writer, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.layout.end_array_value(writer)
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.layout.begin_object(writer)
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.layout.end_object(writer)
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.layout.begin_object_key(writer, first)
    }

    fn end_object_key<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.layout.end_object_key(writer)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.layout.begin_object_value(writer)
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.layout.end_object_value(writer)
    }
}

/// Write `value` as indented JSON to `out`, inert characters escaped ([`needs_escape`]).
pub fn write<T: Serialize + ?Sized>(value: &T, out: &mut dyn Write) -> serde_json::Result<()> {
    let formatter = Escaping {
        layout: PrettyFormatter::new(),
        script: false,
    };
    value.serialize(&mut serde_json::Serializer::with_formatter(out, formatter))
}

/// `value` as indented JSON (no final line break), inert characters escaped
/// ([`needs_escape`]): what every command prints for `--format json`.
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    let mut out = Vec::with_capacity(128);
    write(value, &mut out)?;
    // Only whole strings, and ASCII escapes, were written.
    Ok(String::from_utf8(out)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

/// Write `value` as compact JSON that cannot end the `<script>` element or JavaScript file
/// holding it: `<`, `>` and `&` escaped besides [`needs_escape`]'s characters.
pub fn write_script<T: Serialize + ?Sized>(value: &T, out: &mut dyn Write) -> io::Result<()> {
    let formatter = Escaping {
        layout: CompactFormatter,
        script: true,
    };
    value
        .serialize(&mut serde_json::Serializer::with_formatter(out, formatter))
        .map_err(io::Error::from)
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    /// Every character a terminal may act on, in keys and values, is a `\u` escape; the value
    /// read back is the same; other text (accents, scripts, emoji) is written as it is.
    #[test]
    fn terminal_dangerous_characters_are_escaped_and_the_value_kept() {
        let dangerous = "a\u{9b}31m\u{9d}0;title\u{7}\u{202e}evil\u{2066}x\u{2069}\u{200f}\u{7f}\u{2028}\u{feff}\u{1b}[2J";
        let value = json!({ dangerous: [dangerous, "é ש € 🚓"] });
        let text = to_string(&value).expect("JSON");
        assert!(
            !text
                .chars()
                .any(|c| needs_escape(c) || c.is_control() && c != '\n'),
            "{text:?}"
        );
        for escape in [
            "\\u009b", "\\u009d", "\\u0007", "\\u202e", "\\u2066", "\\u2069", "\\u200f", "\\u007f",
            "\\u2028", "\\ufeff", "\\u001b",
        ] {
            assert!(text.contains(escape), "{escape} in {text}");
        }
        assert!(text.contains("é ש € 🚓"), "{text}");
        assert_eq!(serde_json::from_str::<Value>(&text).expect("JSON"), value);
        // Laid out as serde_json lays it out.
        let plain = json!({"a": [1, {"b": "c"}], "d": {}});
        assert_eq!(
            to_string(&plain).expect("JSON"),
            crate::cli::render::json::to_string(&plain).expect("JSON")
        );
    }

    #[test]
    fn script_json_cannot_end_its_script() {
        let value = json!({"t": "</script><b>&\u{2028}\u{9b}"});
        let mut out = Vec::new();
        write_script(&value, &mut out).expect("write");
        let text = String::from_utf8(out).expect("UTF-8");
        assert_eq!(
            text,
            r#"{"t":"\u003c/script\u003e\u003cb\u003e\u0026\u2028\u009b"}"#
        );
        assert_eq!(serde_json::from_str::<Value>(&text).expect("JSON"), value);
    }
}
