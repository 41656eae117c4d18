//! Secrets and privacy: text that looks like a credential (NSI217) and contacts at personal
//! email providers (NSI218). Entries are published, some of them to the public: a token pasted
//! into a description, or a contact's personal address, must be caught before it is.

use std::sync::LazyLock;

use regex::{Regex, RegexSet};
use serde_json::Value;

use super::RuleContext;
use super::rules;
use crate::catalogue::yaml::escape_pointer_token;

/// A kind of credential and how to recognise it in text.
struct SecretPattern {
    /// What it is, for the message: "this text looks like it contains {kind}".
    kind: &'static str,
    /// Its shape. Word boundaries are ASCII (`(?-u:\b)`), which keeps matching in the fast
    /// DFA even on text with accents.
    pattern: &'static str,
    /// A second look at each match, for shapes that ordinary text could also take.
    accept: fn(&str) -> bool,
}

fn any_match(_: &str) -> bool {
    true
}

/// The credentials NSI217 recognises. Each is tested, with text that must not match, in this
/// file's tests.
const SECRET_PATTERNS: &[SecretPattern] = &[
    SecretPattern {
        kind: "an AWS access key id",
        pattern: r"(?-u:\b)(AKIA|ASIA)[0-9A-Z]{16}(?-u:\b)",
        accept: any_match,
    },
    SecretPattern {
        // Classic tokens (personal, OAuth, user-to-server, server-to-server, refresh) and
        // fine-grained personal access tokens.
        kind: "a GitHub token",
        pattern: r"(?-u:\b)(gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,})(?-u:\b)",
        accept: any_match,
    },
    SecretPattern {
        kind: "a GitLab personal access token",
        pattern: r"(?-u:\b)glpat-[A-Za-z0-9_-]{20,}",
        accept: any_match,
    },
    SecretPattern {
        kind: "an npm access token",
        pattern: r"(?-u:\b)npm_[A-Za-z0-9]{36}(?-u:\b)",
        accept: any_match,
    },
    SecretPattern {
        // Azure DevOps personal access tokens: the older ones are 52 characters of lowercase
        // base32 (a–z, 2–7), with nothing to mark them; the newer ones 84 letters and digits
        // with `AZDO` at the 77th to 80th.
        kind: "an Azure DevOps personal access token",
        pattern: r"(?-u:\b)([a-z2-7]{52}|[A-Za-z0-9]{76}AZDO[A-Za-z0-9]{4})(?-u:\b)",
        accept: looks_like_azure_devops_token,
    },
    SecretPattern {
        kind: "a Slack token",
        pattern: r"(?-u:\b)(xox[abprs]-[A-Za-z0-9-]{10,}|xapp-[0-9]-[A-Za-z0-9-]{10,})",
        accept: any_match,
    },
    SecretPattern {
        kind: "a Slack webhook address",
        pattern: r"(?i)hooks\.slack\.com/(services|workflows|triggers)/[A-Za-z0-9_/-]{20,}",
        accept: any_match,
    },
    SecretPattern {
        // PEM blocks (`RSA`, `EC`, `DSA`, `OPENSSH`, `ENCRYPTED`… or none) and PGP's.
        kind: "a private key",
        pattern: r"-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----",
        accept: any_match,
    },
    SecretPattern {
        kind: "a JSON Web Token",
        pattern: r"(?-u:\b)eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}",
        accept: any_match,
    },
    SecretPattern {
        kind: "an Azure storage key or connection string",
        pattern: r"(?i)(?-u:\b)(AccountKey|SharedAccessSignature|SharedAccessKey)=[A-Za-z0-9+/=%]{20,}",
        accept: any_match,
    },
    SecretPattern {
        kind: "a Google API key",
        pattern: r"(?-u:\b)AIza[0-9A-Za-z_-]{35}(?-u:\b)",
        accept: any_match,
    },
    SecretPattern {
        // Secret and restricted live keys; publishable keys (`pk_live_`) are public by design.
        kind: "a Stripe live secret key",
        pattern: r"(?-u:\b)[rs]k_live_[0-9A-Za-z]{20,}",
        accept: any_match,
    },
    SecretPattern {
        kind: "a password or secret assigned in text",
        pattern: r#"(?i)(?-u:\b)(password|passwd|pwd|secret|api[_-]?key|access[_-]?token|client[_-]?secret)\s*[:=]\s*["']?([^\s"']{8,})"#,
        accept: looks_like_assigned_secret,
    },
    SecretPattern {
        kind: "a URL with a password in it",
        pattern: r"(?i)(?-u:\b)[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@",
        accept: any_match,
    },
];

/// A 52-character run of lowercase base32 is an old-style Azure DevOps token when it holds
/// at least two digits (a random one holds about ten; the chance it holds fewer than two is
/// 1 in 4,000). Words run together never hold a digit, and a hexadecimal digest almost
/// always holds a 0, 1, 8 or 9, which base32 does not. The 84-character form carries its own
/// signature and needs no second look.
fn looks_like_azure_devops_token(candidate: &str) -> bool {
    candidate.len() != 52 || candidate.bytes().filter(u8::is_ascii_digit).count() >= 2
}

/// `password: …`, `api_key = …`: the value must look like a credential rather than a word of
/// prose ("password: through the portal") or a placeholder (`<your-key>`, `${TOKEN}`,
/// `xxxxxxxx`): it holds a digit, a symbol, or a capital letter after its first character.
fn looks_like_assigned_secret(assignment: &str) -> bool {
    let value = assignment
        .rsplit([':', '=', ' ', '"', '\''])
        .find(|part| !part.is_empty())
        .unwrap_or_default();
    let placeholder = value.starts_with(['<', '$', '{', '*'])
        || value.chars().all(|c| c.eq_ignore_ascii_case(&'x'))
        || value.to_ascii_lowercase().contains("example");
    let digit = value.bytes().any(|b| b.is_ascii_digit());
    let symbol = value.bytes().any(|b| b"!#%&*+/?@^~|".contains(&b));
    let inner_capital = value.chars().skip(1).any(char::is_uppercase);
    !placeholder && (digit || symbol || inner_capital)
}

/// Every pattern at once: most text matches none, and is looked at once.
static SECRETS: LazyLock<RegexSet> = LazyLock::new(|| {
    RegexSet::new(SECRET_PATTERNS.iter().map(|p| p.pattern)).expect("the secret patterns compile")
});

/// Each pattern on its own, to find and look again at the matches of the ones that matched.
static SECRET_REGEXES: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    SECRET_PATTERNS
        .iter()
        .map(|p| Regex::new(p.pattern).expect("a secret pattern compiles"))
        .collect()
});

/// What kind of credential `text` holds, if it seems to hold one.
pub fn secret_in(text: &str) -> Option<&'static str> {
    SECRETS.matches(text).iter().find_map(|index| {
        let pattern = &SECRET_PATTERNS[index];
        SECRET_REGEXES[index]
            .find_iter(text)
            .any(|m| (pattern.accept)(m.as_str()))
            .then_some(pattern.kind)
    })
}

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
            if let Some(kind) = secret_in(text) {
                found.push((pointer.to_owned(), kind));
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
    use super::{SECRET_PATTERNS, secret_in};

    /// Each kind of credential: text that holds one, and text that looks a little like it but
    /// does not. (The tokens are made up, in the shape of real ones.)
    const CASES: &[(&str, &str, &str)] = &[
        (
            "an AWS access key id",
            "key AKIAIOSFODNN7EXAMPLE here, or ASIAY34FZKBOKMUTVV7A",
            "the AKIA prefix alone, or AKIAIOSFODNN7EXAMPL (too short)",
        ),
        (
            "a GitHub token",
            "token ghp_abcdefghijklmnopqrstuvwxyz0123456789 in a script",
            "ghp_ is GitHub's prefix; ghp_short is not a token",
        ),
        (
            "a GitHub token",
            "gho_16C7e42F292c6912E7710c838347Ae178B4a ghu_16C7e42F292c6912E7710c838347Ae178B4a",
            "the gho_ and ghu_ prefixes (OAuth and user tokens)",
        ),
        (
            "a GitHub token",
            "ghs_16C7e42F292c6912E7710c838347Ae178B4a and ghr_1B4a2e77838347a7E420ce178F2E7c6912E169246c34E1ccbF66C46812d16D5B1A9Dc86A1498",
            "ghs_ and ghr_ are server and refresh tokens",
        ),
        (
            "a GitHub token",
            "github_pat_11ABCDEFG0123456789abcd_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456",
            "create a github_pat_ token in the settings",
        ),
        (
            "a GitLab personal access token",
            "export GITLAB_TOKEN=glpat-xYz12AbCdEfGhIjKlMnO",
            "GitLab tokens start glpat- (glpat-short is not one)",
        ),
        (
            "an npm access token",
            "//registry.npmjs.org/:_authToken=npm_1a2B3c4D5e6F7g8H9i0J1k2L3m4N5o6P7q8R",
            "npm_config_registry and npm_package_version are variables",
        ),
        (
            "an Azure DevOps personal access token",
            "pat: 5bjzw3x4fyrvkqmc2o6hqte7wsxr3kpmnrd7aekzlyt4x3gu2yxa",
            "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz words run together",
        ),
        (
            "an Azure DevOps personal access token",
            "AZURE_DEVOPS_PAT=U8JZpDE0iGXlD6gNCFbaEPFjbD0kH8Oool8DklZDOCj2ISaJiHkTj0rLGlkoMXGjtEkDnNfribxUAZDOdl7d",
            "the sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        ),
        (
            "a Slack token",
            "xoxb-2648574129-3937210912-aBcDeFgHiJkLmNoPqRsTuVwX",
            "the xoxb- prefix, or the word xoxo-hugs",
        ),
        (
            "a Slack webhook address",
            "alerts post to https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
            "we post alerts to https://hooks.slack.com/ and to slack.com/services",
        ),
        (
            "a private key",
            "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n",
            "-----BEGIN PUBLIC KEY----- and -----BEGIN CERTIFICATE-----",
        ),
        (
            "a private key",
            "-----BEGIN PGP PRIVATE KEY BLOCK----- and -----BEGIN RSA PRIVATE KEY-----",
            "sign with the private key held in the HSM",
        ),
        (
            "a JSON Web Token",
            "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
            "tokens start eyJ because JSON starts with {",
        ),
        (
            "an Azure storage key or connection string",
            "DefaultEndpointsProtocol=https;AccountKey=abcdefghijklmnopqrstuvwxyz0123456789==",
            "set AccountKey= in the connection string",
        ),
        (
            "a Google API key",
            "maps?key=AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY",
            "Google API keys start AIza",
        ),
        (
            "a Stripe live secret key",
            "api_key = sk_live_4eC39HqLyjWDarjtT1zdp7dc",
            "the publishable pk_live_4eC39HqLyjWDarjtT1zdp7dc is public; sk_live_ alone is not a key",
        ),
        (
            "a password or secret assigned in text",
            "password: hunter2hunter2",
            "Officers reset their password: through the self-service portal.",
        ),
        (
            "a password or secret assigned in text",
            "client_secret='Tr0ub4dor&3x'",
            "set api_key: <your-key> or api_key=${API_KEY} or secret: xxxxxxxx",
        ),
        (
            "a URL with a password in it",
            "clone https://jo:s3cretpass@git.force.example/repo.git",
            "See https://github.com/police/nsi or mailto:jo@kent.police.uk",
        ),
    ];

    #[test]
    fn each_kind_of_credential_is_recognised_and_look_alikes_are_not() {
        for (kind, secret, ordinary) in CASES {
            assert_eq!(secret_in(secret), Some(*kind), "{secret}");
            assert_eq!(secret_in(ordinary), None, "{ordinary}");
        }
        // Every pattern has a case.
        for pattern in SECRET_PATTERNS {
            assert!(
                CASES.iter().any(|(kind, ..)| *kind == pattern.kind),
                "no test for {}",
                pattern.kind
            );
        }
    }

    #[test]
    fn ordinary_entry_text_holds_no_secret() {
        for ordinary in [
            "Officers reset their password through the self-service portal.",
            "See https://github.com/police/nsi for the source.",
            "Secret Santa rota app for the control room.",
            "Contact jo.bloggs@kent.police.uk",
            "Built with npm and GitHub Actions; tokens live in the key vault.",
            "https://dev.azure.com/kentpolice/case-files/_git/redaction-service",
            "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0",
        ] {
            assert_eq!(secret_in(ordinary), None, "{ordinary}");
        }
    }
}
