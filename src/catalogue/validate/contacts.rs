//! Contacts: when the catalogue restricts email domains, every contact's email is at one of
//! them (NSI216).

use super::RuleContext;
use super::rules;
use crate::catalogue::config::email_allowed;

/// Run the contact rules.
pub fn check(context: &mut RuleContext<'_>) {
    let domains = &context.settings.allowed_email_domains;
    if domains.is_empty() {
        return;
    }
    let outside: Vec<(usize, String)> = context
        .list_at("/contacts")
        .iter()
        .enumerate()
        .filter_map(|(i, contact)| {
            let email = contact.get("email")?.as_str()?;
            (!email_allowed(domains, email)).then(|| (i, email.to_owned()))
        })
        .collect();
    let allowed = domains
        .iter()
        .map(|d| format!("`{d}`"))
        .collect::<Vec<_>>()
        .join(", ");
    for (i, email) in outside {
        context.report(
            &rules::EMAIL_DOMAIN_NOT_ALLOWED,
            &format!("/contacts/{i}/email"),
            format!("the email `{email}` is not at an allowed domain ({allowed})"),
            Some("give the contact's work address at one of the allowed domains".into()),
        );
    }
}
