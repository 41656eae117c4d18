//! Secrets and privacy: text that looks like a credential (NSI217) and contacts at personal
//! email providers (NSI218). Entries are published, some of them to the public: a token pasted
//! into a description, or a contact's personal address, must be caught before it is.

use std::sync::LazyLock;

use regex::RegexSet;
use serde_json::Value;

use super::RuleContext;
use super::rules;
use crate::catalogue::yaml::escape_pointer_token;

/// What each pattern in [`SECRETS`] finds, in the same order.
const SECRET_KINDS: &[&str] = &[
    "an AWS access key id",
    "a GitHub token",
    "a Slack token",
    "a private key",
    "a JSON Web Token",
    "an Azure storage key or connection string",
    "a Google API key",
    "a password or secret assigned in text",
    "a URL with a password in it",
];

/// Patterns of credentials as they appear when pasted into text. Word boundaries are ASCII
/// (`(?-u:\b)`), which keeps matching in the fast DFA even on text with accents.
static SECRETS: LazyLock<RegexSet> = LazyLock::new(|| {
    RegexSet::new([
        r"(?-u:\b)(AKIA|ASIA)[0-9A-Z]{16}(?-u:\b)",
        r"(?-u:\b)(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})(?-u:\b)",
        r"(?-u:\b)xox[abprs]-[A-Za-z0-9-]{10,}",
        r"-----BEGIN ([A-Z]+ )?PRIVATE KEY-----",
        r"(?-u:\b)eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}",
        r"(?i)(?-u:\b)(AccountKey|SharedAccessSignature|SharedAccessKey)=[A-Za-z0-9+/=%]{20,}",
        r"(?-u:\b)AIza[0-9A-Za-z_-]{35}(?-u:\b)",
        r#"(?i)(?-u:\b)(password|passwd|pwd|secret|api[_-]?key|access[_-]?token|client[_-]?secret)\s*[:=]\s*["']?[^\s"']{6,}"#,
        r"(?i)(?-u:\b)[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@",
    ])
    .expect("the secret patterns compile")
});

/// Email providers for personal addresses: a contact should be reachable at work.
const PERSONAL_DOMAINS: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "yahoo.com",
    "yahoo.co.uk",
    "ymail.com",
    "hotmail.com",
    "hotmail.co.uk",
    "outlook.com",
    "live.com",
    "live.co.uk",
    "msn.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "aol.com",
    "aol.co.uk",
    "protonmail.com",
    "proton.me",
    "pm.me",
    "gmx.com",
    "gmx.co.uk",
    "mail.com",
    "yandex.com",
    "zoho.com",
    "btinternet.com",
    "sky.com",
    "virginmedia.com",
    "talktalk.net",
    "ntlworld.com",
    "tiscali.co.uk",
];

/// Run the secrets and privacy rules.
pub fn check(context: &mut RuleContext<'_>) {
    let mut found = Vec::new();
    // Most entries hold no secret: one pass over all their text first (one line per string,
    // so nothing a single string holds is missed), and the strings one by one only then.
    if SECRETS.is_match(&context.all_text) {
        strings(context.value, "", &mut |pointer, text| {
            if let Some(index) = SECRETS.matches(text).iter().next() {
                found.push((pointer.to_owned(), SECRET_KINDS[index]));
            }
        });
    }
    for (pointer, kind) in found {
        context.report(
            &rules::POSSIBLE_SECRET,
            &pointer,
            format!("this text looks like it contains {kind}"),
            Some(
                "never put credentials in an entry: remove it, and revoke the credential if it \
                 was real (it is in git history now)"
                    .to_owned(),
            ),
        );
    }
    let personal: Vec<(usize, String)> = context
        .list_at("/contacts")
        .iter()
        .enumerate()
        .filter_map(|(i, contact)| {
            let email = contact.get("email")?.as_str()?;
            let domain = email.rsplit_once('@')?.1.to_ascii_lowercase();
            PERSONAL_DOMAINS
                .contains(&domain.as_str())
                .then(|| (i, email.to_owned()))
        })
        .collect();
    for (i, email) in personal {
        context.report(
            &rules::PERSONAL_EMAIL,
            &format!("/contacts/{i}/email"),
            format!("`{email}` is a personal address"),
            Some("give the contact's work address, so the entry survives them leaving".to_owned()),
        );
    }
}

/// Every string in `value`, one after the other, each followed by a line break.
pub(super) fn all_text(value: &Value) -> String {
    fn collect(value: &Value, out: &mut String) {
        match value {
            Value::String(text) => {
                out.push_str(text);
                out.push('\n');
            }
            Value::Array(items) => items.iter().for_each(|item| collect(item, out)),
            Value::Object(fields) => fields.values().for_each(|item| collect(item, out)),
            _ => {}
        }
    }
    let mut out = String::new();
    collect(value, &mut out);
    out
}

/// Call `visit` with the JSON pointer and text of every string in `value`.
pub(super) fn strings(value: &Value, pointer: &str, visit: &mut impl FnMut(&str, &str)) {
    match value {
        Value::String(text) => visit(pointer, text),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                strings(item, &format!("{pointer}/{i}"), visit);
            }
        }
        Value::Object(fields) => {
            for (key, item) in fields {
                strings(
                    item,
                    &format!("{pointer}/{}", escape_pointer_token(key)),
                    visit,
                );
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::SECRETS;

    #[test]
    fn credentials_are_recognised_and_ordinary_text_is_not() {
        for secret in [
            "key AKIAIOSFODNN7EXAMPLE here",
            "token ghp_abcdefghijklmnopqrstuvwxyz0123456789",
            "-----BEGIN RSA PRIVATE KEY-----",
            "password: hunter2hunter2",
            "DefaultEndpointsProtocol=https;AccountKey=abcdefghijklmnopqrstuvwxyz0123456789==",
            "clone https://jo:s3cretpass@git.force.example/repo.git",
        ] {
            assert!(SECRETS.is_match(secret), "{secret}");
        }
        for ordinary in [
            "Officers reset their password through the self-service portal.",
            "See https://github.com/police/nsi for the source.",
            "Secret Santa rota app for the control room.",
            "Contact jo.bloggs@kent.police.uk",
        ] {
            assert!(!SECRETS.is_match(ordinary), "{ordinary}");
        }
    }
}
