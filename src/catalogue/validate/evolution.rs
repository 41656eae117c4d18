//! The schema's evolution, seen from one entry: an entry of an older version is read through
//! its migration (NSI301), a version nsi cannot read it as is an error (NSI302), and a marker a
//! migration left for the owning force is a warning until it is replaced (NSI304). Retired
//! slugs (NSI303) are found with the other reference rules.

use std::fmt::Write as _;

use super::RuleContext;
use super::rules;
use crate::catalogue::migrate::{self, Migration, VERSION_FIELD};
use crate::catalogue::schema::display_pointer;

/// NSI301: the entry was read through `steps`, from version `from`.
/// `stated`: whether the file has a `schema_version` to point at.
pub fn read_through(
    context: &mut RuleContext<'_>,
    from: &str,
    steps: &[&'static Migration],
    stated: bool,
) {
    let to = steps.last().map_or(from, |step| step.to);
    let mut message = format!(
        "written for schema {from}, so read through its migration to {to} (the catalogue's \
         version):"
    );
    for step in steps {
        let _ = write!(message, " {} → {} {};", step.from, step.to, step.summary);
    }
    message.pop();
    let pointer = if stated {
        format!("/{VERSION_FIELD}")
    } else {
        String::new()
    };
    context.report(
        &rules::OLDER_SCHEMA_VERSION,
        &pointer,
        message,
        Some(format!(
            "run `nsi migrate {}` to rewrite it for {to} (docs/migrations.md)",
            context.file.display.display()
        )),
    );
}

/// NSI302: the entry states a version it cannot be read as.
pub fn unreadable_version(context: &mut RuleContext<'_>, error: &migrate::VersionError) {
    let pointer = format!("/{VERSION_FIELD}");
    context.report(
        &rules::UNKNOWN_SCHEMA_VERSION,
        &pointer,
        error.to_string(),
        Some("`nsi version` lists the schema versions this nsi knows".into()),
    );
}

/// NSI304: every marker left for the owning force.
pub fn markers(context: &mut RuleContext<'_>) {
    for (pointer, marker) in migrate::markers_in(context.value) {
        let choices: Vec<String> = context
            .reference
            .schema_enum(&schema_pointer(&pointer))
            .into_iter()
            .filter(|choice| choice != marker.value)
            .collect();
        let mut hint = marker.ask.to_owned();
        if !choices.is_empty() {
            let _ = write!(hint, ": one of {}", choices.join(", "));
        }
        context.report(
            &rules::AWAITING_AUTHOR,
            &pointer,
            format!(
                "`{}` is `{}`, a marker left for the owning force to replace",
                display_pointer(&pointer),
                marker.value
            ),
            Some(hint),
        );
    }
}

/// The schema node that describes the entry's node at `pointer`
/// (`/documentation/2/type` → `/properties/documentation/items/properties/type`).
fn schema_pointer(pointer: &str) -> String {
    let mut out = String::new();
    for token in pointer.split('/').skip(1) {
        if token.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str("/items");
        } else {
            let _ = write!(out, "/properties/{token}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_pointers_follow_lists() {
        assert_eq!(schema_pointer("/ai/use"), "/properties/ai/properties/use");
        assert_eq!(
            schema_pointer("/documentation/2/type"),
            "/properties/documentation/items/properties/type"
        );
    }
}
