//! Documents: a public document must say where it can be read (NSI209).

use serde_json::Value;

use super::RuleContext;
use super::rules;

/// Run the document rules.
pub fn check(context: &mut RuleContext<'_>) {
    let missing: Vec<usize> = context
        .list_at("/documentation")
        .iter()
        .enumerate()
        .filter(|(_, doc)| {
            doc.get("availability").and_then(Value::as_str) == Some("public")
                && doc.get("url").is_none()
        })
        .map(|(i, _)| i)
        .collect();
    for i in missing {
        let pointer = format!("/documentation/{i}/availability");
        context.report(
            &rules::PUBLIC_DOCUMENT_WITHOUT_URL,
            &pointer,
            format!("documentation[{i}] is public but has no `url`"),
            Some(
                "add `url: https://…` where it can be read, or set `availability: on-request`"
                    .into(),
            ),
        );
    }
}
