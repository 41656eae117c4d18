//! Credentials in git remote URLs, found by parsing the URL and never printed.
//!
//! A remote URL may carry a token in its user information (`https://user:TOKEN@host/path`),
//! in its query or fragment (`?access_token=TOKEN`), or in the scp-like form
//! (`user:TOKEN@host:path`), and a token may hold any character, quotes and spaces included.
//! A URL whose extent is known (a remote's configured URL) is parsed whole; text that merely
//! mentions URLs (git's error output) has the secrets of the known URLs replaced wherever they
//! appear, then every URL-like token in it redacted by the same parser.
//!
//! The `url` crate is not used: it re-serialises what it parses (percent-encoding, lowercasing),
//! so its output cannot be found again in git's raw text, and it does not read the scp-like form.

/// What a redacted secret is replaced with.
pub const MASK: &str = "***";

/// Secrets shorter than this are not searched for on their own in free text (every `a` of a
/// message would go); inside a URL they are redacted whatever their length.
const MIN_SECRET_LEN: usize = 3;

/// The parts of a remote URL, as byte ranges of the text parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteUrl<'a> {
    /// `https`, `ssh`, `git`…; `None` for the scp-like form (`user@host:path`).
    pub scheme: Option<&'a str>,
    /// The user information before the `@` (`user:password`), when there is one.
    pub userinfo: Option<&'a str>,
    /// The host, without a port.
    pub host: &'a str,
    /// The path, without a leading `/` or `:`.
    pub path: &'a str,
    /// The query, without its `?`.
    pub query: Option<&'a str>,
    /// The fragment, without its `#`.
    pub fragment: Option<&'a str>,
}

impl<'a> RemoteUrl<'a> {
    /// Parse `url`, a whole remote URL: `scheme://[userinfo@]host[:port][/path][?query][#frag]`
    /// or scp-like `[userinfo@]host:path`. The user information runs to the last `@` before the
    /// first `/` after `://`, so a password may hold `@`, `:`, `?`, `#`, quotes and spaces
    /// (a `/` in it would not work with git either). `None` for a local path.
    pub fn parse(url: &'a str) -> Option<Self> {
        match scheme_end(url) {
            Some((scheme, rest_start)) => Some(Self::parse_hierarchical(url, scheme, rest_start)),
            None => Self::parse_scp(url),
        }
    }

    fn parse_hierarchical(url: &'a str, scheme: &'a str, rest_start: usize) -> Self {
        let rest = &url[rest_start..];
        let slash = rest.find('/').unwrap_or(rest.len());
        let (userinfo, host_start) = match rest[..slash].rfind('@') {
            Some(at) => (Some(&rest[..at]), at + 1),
            None => (None, 0),
        };
        // A query or fragment may follow the host directly (`https://host?x`).
        let host_end = rest[host_start..slash]
            .find(['?', '#'])
            .map_or(slash, |i| host_start + i);
        let host_and_port = &rest[host_start..host_end];
        let host = host_without_port(host_and_port);
        let tail = &rest[host_end..];
        let (before_fragment, fragment) = match tail.find('#') {
            Some(i) => (&tail[..i], Some(&tail[i + 1..])),
            None => (tail, None),
        };
        let (path, query) = match before_fragment.find('?') {
            Some(i) => (&before_fragment[..i], Some(&before_fragment[i + 1..])),
            None => (before_fragment, None),
        };
        RemoteUrl {
            scheme: Some(scheme),
            userinfo,
            host,
            path: path.trim_start_matches('/'),
            query,
            fragment,
        }
    }

    /// `[userinfo@]host:path`, as git reads it: the host is what follows the last `@` that is
    /// followed by a host and a `:`, so the user information may hold `:` and `@`.
    fn parse_scp(url: &'a str) -> Option<Self> {
        let at = url
            .rmatch_indices('@')
            .map(|(i, _)| i)
            .find(|&i| scp_host_end(&url[i + 1..]).is_some());
        let host_start = at.map_or(0, |i| i + 1);
        let host_len = scp_host_end(&url[host_start..])?;
        let host = &url[host_start..host_start + host_len];
        // `C:\repo` and `./a:b` are paths, not hosts.
        if at.is_none() && (host.len() < 2 || host.starts_with('.')) {
            return None;
        }
        Some(RemoteUrl {
            scheme: None,
            userinfo: at.map(|i| &url[..i]),
            host,
            path: &url[host_start + host_len + 1..],
            query: None,
            fragment: None,
        })
    }

    /// Whether the user information holds a secret: always in a URL with a scheme (a token
    /// may be the user name: `https://TOKEN@host`); in the scp-like form only with a password
    /// (`git@host:path` names a user, not a secret).
    fn userinfo_is_secret(&self) -> bool {
        self.userinfo
            .is_some_and(|u| self.scheme.is_some() || u.contains(':'))
    }

    /// The secrets this URL holds, to be found in free text, raw and percent-decoded: the
    /// user information with a password (whole, and the password), a user name alone where it
    /// may be a token (`https://TOKEN@host`; an ssh user such as `git` is a name, and masking
    /// every `git` of a message would garble it), and every value of the query and fragment.
    pub fn secrets(&self) -> Vec<String> {
        let mut found = Vec::new();
        if let Some(userinfo) = self.userinfo {
            let by_ssh = matches!(self.scheme, None | Some("ssh" | "git+ssh" | "ssh+git"));
            match userinfo.split_once(':') {
                Some((_, password)) => {
                    found.push(userinfo.to_owned());
                    found.push(password.to_owned());
                }
                None if !by_ssh => found.push(userinfo.to_owned()),
                None => {}
            }
        }
        for part in [self.query, self.fragment].into_iter().flatten() {
            for pair in part.split(['&', ';']) {
                let value = pair.split_once('=').map_or(pair, |(_, value)| value);
                found.push(value.to_owned());
            }
        }
        let decoded: Vec<String> = found.iter().filter_map(|s| percent_decoded(s)).collect();
        found.extend(decoded);
        found.retain(|s| s.len() >= MIN_SECRET_LEN);
        found.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        found.dedup();
        found
    }
}

/// The scheme of `url` (`https` in `https://…`) and where the rest starts, when it has one.
fn scheme_end(url: &str) -> Option<(&str, usize)> {
    let colon = url.find("://")?;
    let scheme = &url[..colon];
    let well_formed = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    well_formed.then_some((scheme, colon + 3))
}

/// `host` without a `:port` (an IPv6 literal `[::1]` keeps its colons).
fn host_without_port(host_and_port: &str) -> &str {
    if host_and_port.starts_with('[') {
        return host_and_port
            .find(']')
            .map_or(host_and_port, |i| &host_and_port[..=i]);
    }
    host_and_port
        .split_once(':')
        .map_or(host_and_port, |(host, _)| host)
}

/// The length of the host at the start of `text` when a `:` follows it (scp-like form).
fn scp_host_end(text: &str) -> Option<usize> {
    let len = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')))
        .unwrap_or(text.len());
    (len > 0 && text[len..].starts_with(':')).then_some(len)
}

/// `text` percent-decoded, when it holds an escape and decodes to UTF-8.
fn percent_decoded(text: &str) -> Option<String> {
    if !text.contains('%') {
        return None;
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&high), Some(&low)) if hex(high).is_some() && hex(low).is_some() => {
                let value = hex(high).unwrap_or(0) * 16 + hex(low).unwrap_or(0);
                out.push(u8::try_from(value).unwrap_or(b'?'));
                i += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// `url`, a whole remote URL, with its secrets masked: `https://***@host/path?token=***`,
/// `***@host:path` for an scp-like URL with a password. Text that is not a URL comes back
/// as it is.
pub fn redact_url(url: &str) -> String {
    let Some(parsed) = RemoteUrl::parse(url) else {
        return url.to_owned();
    };
    let mut out = String::with_capacity(url.len());
    let mut at = 0;
    let mut mask = |range: std::ops::Range<usize>, out: &mut String| {
        out.push_str(&url[at..range.start]);
        out.push_str(MASK);
        at = range.end;
    };
    if parsed.userinfo_is_secret()
        && let Some(userinfo) = parsed.userinfo
    {
        mask(range_in(url, userinfo), &mut out);
    }
    for part in [parsed.query, parsed.fragment].into_iter().flatten() {
        let start = range_in(url, part).start;
        let mut offset = start;
        for pair in part.split(['&', ';']) {
            let value_start = pair.find('=').map_or(0, |i| i + 1);
            if value_start < pair.len() {
                mask(offset + value_start..offset + pair.len(), &mut out);
            }
            offset += pair.len() + 1;
        }
    }
    out.push_str(&url[at..]);
    out
}

/// Where `part` (a slice of `text`) lies in `text`.
fn range_in(text: &str, part: &str) -> std::ops::Range<usize> {
    let start = part.as_ptr() as usize - text.as_ptr() as usize;
    start..start + part.len()
}

/// `text` with every secret of the `known` URLs (a remote's configured URL) masked wherever it
/// appears, then every URL in it redacted as [`redact_url`] does: the user information of
/// `scheme://` URLs and of scp-like `user:password@host:` ones, and query and fragment values.
pub fn redact_text(text: &str, known: &[&str]) -> String {
    let mut secrets: Vec<String> = known
        .iter()
        .filter_map(|url| RemoteUrl::parse(url))
        .flat_map(|url| url.secrets())
        .collect();
    secrets.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    secrets.dedup();
    let mut text = text.to_owned();
    for secret in &secrets {
        text = text.replace(secret.as_str(), MASK);
    }
    text.split_inclusive('\n')
        .map(redact_line)
        .collect::<Vec<_>>()
        .concat()
}

/// One line of text with the URLs in it redacted.
fn redact_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(found) = next_url(rest) {
        out.push_str(&rest[..found.start]);
        out.push_str(&redact_url(&rest[found.clone()]));
        rest = &rest[found.end..];
    }
    out.push_str(rest);
    out
}

/// The next URL-like token in `line`: `scheme://` to the end of its path and query (which end
/// at white space; the user information may hold spaces and quotes, up to the last `@` before
/// the first `/`), or an scp-like `user:password@host:path`.
fn next_url(line: &str) -> Option<std::ops::Range<usize>> {
    let scheme = line.find("://").map(|colon| {
        let start = after_last(&line[..colon], |c| {
            !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        });
        let rest = colon + 3;
        let slash = line[rest..].find('/').map_or(line.len(), |i| rest + i);
        let authority_end = match line[rest..slash].rfind('@') {
            Some(at) => rest + at + 1,
            None => rest,
        };
        let end = line[authority_end..]
            .find(char::is_whitespace)
            .map_or(line.len(), |i| authority_end + i);
        start..end
    });
    let scp = line
        .match_indices('@')
        .map(|(at, _)| at)
        .find_map(|at| scp_url_around(line, at));
    match (scheme, scp) {
        (Some(a), Some(b)) => Some(if b.start < a.start { b } else { a }),
        (a, b) => a.or(b),
    }
}

/// Where the text after the last character of `text` matching `stop` begins (0 when none does).
fn after_last(text: &str, stop: impl Fn(char) -> bool) -> usize {
    text.char_indices()
        .rev()
        .find(|&(_, c)| stop(c))
        .map_or(0, |(i, c)| i + c.len_utf8())
}

/// The scp-like URL with a password whose `@` is at `at` in `line`, when there is one: the
/// user information back to white space or a quote, the host and `:`, then the path to white
/// space.
fn scp_url_around(line: &str, at: usize) -> Option<std::ops::Range<usize>> {
    let start = after_last(&line[..at], |c| {
        c.is_whitespace() || matches!(c, '\'' | '"' | '`' | '(' | '<')
    });
    let userinfo = &line[start..at];
    if !userinfo.contains(':') || userinfo.contains("//") {
        return None;
    }
    let host_len = scp_host_end(&line[at + 1..])?;
    let path_start = at + 1 + host_len + 1;
    let end = line[path_start..]
        .find(char::is_whitespace)
        .map_or(line.len(), |i| path_start + i);
    Some(start..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_parsed_into_their_parts() {
        let url =
            RemoteUrl::parse("https://u:p@ss w'd@github.com:443/o/r.git?a=1#f").expect("a URL");
        assert_eq!(url.scheme, Some("https"));
        assert_eq!(url.userinfo, Some("u:p@ss w'd"));
        assert_eq!(url.host, "github.com");
        assert_eq!(url.path, "o/r.git");
        assert_eq!(url.query, Some("a=1"));
        assert_eq!(url.fragment, Some("f"));
        let scp = RemoteUrl::parse("user:TO:K@EN@gitlab.com:group/repo.git").expect("scp");
        assert_eq!(scp.scheme, None);
        assert_eq!(scp.userinfo, Some("user:TO:K@EN"));
        assert_eq!(scp.host, "gitlab.com");
        assert_eq!(scp.path, "group/repo.git");
        let plain = RemoteUrl::parse("git@github.com:o/r@v2").expect("scp");
        assert_eq!((plain.userinfo, plain.host), (Some("git"), "github.com"));
        assert_eq!(RemoteUrl::parse("/srv/git/nsi.git"), None);
        assert_eq!(RemoteUrl::parse("C:\\repos\\nsi"), None);
    }

    #[test]
    fn every_form_of_credential_in_a_remote_url_is_masked() {
        for (url, redacted) in [
            (
                "https://x-access-token:ghp_SECRET@github.com/o/r.git",
                "https://***@github.com/o/r.git",
            ),
            (
                "https://ghp_SECRET@github.com/o/r",
                "https://***@github.com/o/r",
            ),
            (
                "https://github.com/o/r.git?access_token=SECRET&x=SECRET2",
                "https://github.com/o/r.git?access_token=***&x=***",
            ),
            (
                "https://host/r#access_token=SECRET",
                "https://host/r#access_token=***",
            ),
            ("https://u:it's'SECRET@host/r", "https://***@host/r"),
            ("https://u:say \"SECRET\"@host/r", "https://***@host/r"),
            ("https://u:two words@host/r", "https://***@host/r"),
            (
                "user:SECRET@gitlab.com:group/r.git",
                "***@gitlab.com:group/r.git",
            ),
            ("git@github.com:o/r.git", "git@github.com:o/r.git"),
            ("ssh://git@host:22/x", "ssh://***@host:22/x"),
            ("file:///srv/remote.git", "file:///srv/remote.git"),
            ("/srv/remote.git", "/srv/remote.git"),
        ] {
            assert_eq!(redact_url(url), redacted, "{url}");
        }
    }

    #[test]
    fn text_loses_the_secrets_of_known_urls_and_of_any_url_it_mentions() {
        let remote = "https://u:it's a \"SECRET\"@host/o/r?access_token=QSECRET";
        let text = "fatal: unable to access 'https://u:it's a \"SECRET\"@host/o/r?\
                    access_token=QSECRET/': 403\nand again: it's a \"SECRET\", QSECRET\n";
        let redacted = redact_text(text, &[remote]);
        assert!(!redacted.contains("SECRET"), "{redacted}");
        assert!(redacted.contains("@host/o/r"), "{redacted}");
        // Without knowing the URL, the parser still finds each form.
        for text in [
            "fatal: unable to access 'https://x:ghp_SECRET@github.com/o/r.git/': 403",
            "fatal: unable to access 'https://u:it's'SECRET@host/r/': 403",
            "fatal: unable to access 'https://u:two SECRET@host/r/': 403",
            "remote: https://github.com/o/r?access_token=SECRET: 401",
            "ssh: Could not resolve hostname: user:SECRET@gitlab.com:group/r.git",
            "percent: https://u:p%27SECRET@host/r",
        ] {
            let redacted = redact_text(text, &[]);
            assert!(!redacted.contains("SECRET"), "{text} → {redacted}");
        }
        assert_eq!(
            redact_text("see https://github.com/o/r and ssh://git@host/x", &[]),
            "see https://github.com/o/r and ssh://***@host/x"
        );
        assert_eq!(
            redact_text("git@github.com: Permission denied (publickey).", &[]),
            "git@github.com: Permission denied (publickey)."
        );
        assert_eq!(redact_text("no url", &[]), "no url");
        // Text around URLs may be any Unicode.
        assert_eq!(
            redact_text("é https://u:SECRET@hôst/r\u{3000}x:y@z:w é", &[]),
            "é https://***@hôst/r\u{3000}***@z:w é"
        );
        // An ssh user is a name, not a secret: a message naming the host stays readable.
        assert_eq!(
            redact_text(
                "git@github.com: Permission denied (publickey).",
                &["ssh://git@github.com/o/r.git"]
            ),
            "git@github.com: Permission denied (publickey)."
        );
        assert_eq!(
            redact_text(
                "ghp_TOKEN was refused",
                &["https://ghp_TOKEN@github.com/o/r"]
            ),
            "*** was refused"
        );
        // A percent-encoded password is found in its decoded form too.
        let encoded = "https://u:p%27SECRET@host/r";
        assert_eq!(redact_text("p'SECRET", &[encoded]), "***");
    }
}
