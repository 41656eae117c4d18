//! Making untrusted entry text safe in HTML: escaped text and attributes, links only to
//! `http`, `https` and `mailto` addresses, and JSON that cannot end the script holding it.

use crate::catalogue::validate::characters::is_forbidden;

/// `text` with `& < > " '` replaced by character references: safe as element content and as
/// the value of a quoted attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters and direction overrides have no business in a page (NSI219);
            // line breaks and tabs are kept.
            c if is_forbidden(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// `url` when it is one a page may link to: `http:`, `https:` or `mailto:`, without spaces or
/// control characters. Anything else (`javascript:`, `data:`, a relative path) is `None`.
pub fn safe_url(url: &str) -> Option<&str> {
    let url = url.trim();
    let target = ["http://", "https://", "mailto:"]
        .iter()
        .find_map(|scheme| {
            url.get(..scheme.len())
                .filter(|start| start.eq_ignore_ascii_case(scheme))
                .map(|_| &url[scheme.len()..])
        })?;
    let clean = !url.chars().any(|c| c.is_whitespace() || c.is_control());
    (clean && !target.is_empty() && !target.starts_with('/')).then_some(url)
}

/// A link to `url` labelled `label` (both escaped) when `url` is safe; otherwise the label,
/// and the address as inert text when it differs from the label.
pub fn link(url: &str, label: &str) -> String {
    match safe_url(url) {
        Some(url) => format!("<a href=\"{}\">{}</a>", escape(url), escape(label)),
        None if label.trim() == url.trim() => {
            format!("<span class=\"inert-url\">{}</span>", escape(url))
        }
        None => format!(
            "{} <span class=\"inert-url\">({})</span>",
            escape(label),
            escape(url)
        ),
    }
}

/// Write `value` as JSON that cannot end the script holding it: `<`, `>` and `&` escaped, as
/// well as every character [`crate::cli::render::json`] escapes in any JSON.
pub fn write_script_json<T: serde::Serialize + ?Sized>(
    value: &T,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    crate::cli::render::json::write_script(value, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_are_escaped() {
        assert_eq!(
            escape(r#"<script>"a" & 'b'</script>"#),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
        assert_eq!(escape("bell\u{7}\nline"), "bell\nline");
    }

    #[test]
    fn only_web_and_mail_addresses_are_links() {
        assert_eq!(
            safe_url(" https://x.example/a "),
            Some("https://x.example/a")
        );
        assert_eq!(safe_url("HTTP://x.example"), Some("HTTP://x.example"));
        assert_eq!(safe_url("mailto:jo@x.example"), Some("mailto:jo@x.example"));
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "data:text/html,<b>",
            "vbscript:x",
            "//evil.example",
            "/relative",
            "https://",
            "https://a b",
            "https://a\u{0}b",
            "java\nscript:alert(1)",
        ] {
            assert_eq!(safe_url(bad), None, "{bad:?}");
        }
        assert_eq!(
            link("javascript:alert(1)", "click"),
            "click <span class=\"inert-url\">(javascript:alert(1))</span>"
        );
        assert_eq!(
            link("https://x.example/?a=1&b=\"2\"", "x"),
            "<a href=\"https://x.example/?a=1&amp;b=&quot;2&quot;\">x</a>"
        );
    }

    #[test]
    fn control_characters_and_direction_overrides_are_dropped() {
        assert_eq!(escape("a\u{1b}[31mb\u{202e}c\r\nd\te"), "a[31mbc\nd\te");
    }

    #[test]
    fn json_cannot_close_its_script() {
        let hostile = "</script><!-- & \u{2028}\u{2029}";
        let mut bytes = Vec::new();
        write_script_json(&serde_json::json!({ hostile: [hostile] }), &mut bytes).unwrap();
        let safe = String::from_utf8(bytes).unwrap();
        assert!(!safe.contains('<') && !safe.contains('>') && !safe.contains('&'));
        assert!(!safe.contains('\u{2028}') && !safe.contains('\u{2029}'));
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, serde_json::json!({ hostile: [hostile] }));
    }
}
