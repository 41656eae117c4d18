//! Every slug an entry uses must exist in its reference list under `schema/reference/`:
//! forces (NSI204), categories (NSI205), standards (NSI206), `DDaT` roles (NSI207) and document
//! types (NSI208). A force also should not be listed as its own partner or adopter (NSI214).

use serde_json::Value;

use super::RuleContext;
use super::rules::{self, Rule};
use crate::catalogue::reference::{RetiredSlug, retired, slugs};
use crate::catalogue::schema::display_pointer;
use crate::catalogue::suggest;

/// Run the reference rules.
pub fn check(context: &mut RuleContext<'_>) {
    let reference = context.reference;
    let forces: Vec<&str> = reference.forces.iter().map(|f| f.slug.as_str()).collect();
    let categories: Vec<&str> = slugs(&reference.categories).collect();
    let standards: Vec<&str> = slugs(&reference.standards).collect();
    let roles: Vec<&str> = slugs(&reference.roles).collect();
    let documents: Vec<&str> = slugs(&reference.documents).collect();

    let mut owner_checks = vec![(
        "/owner_force".to_owned(),
        context.str_at("/owner_force").map(str::to_owned),
    )];
    owner_checks.extend(list_pointers(context, "/partner_forces", None));
    owner_checks.extend(list_pointers(context, "/adopters", Some("force")));
    for (pointer, slug) in &owner_checks {
        if let Some(slug) = slug {
            require(
                context,
                &rules::UNKNOWN_FORCE,
                "force",
                pointer,
                slug,
                (&forces, &reference.retired.forces),
                "schema/reference/forces.yaml",
            );
        }
    }
    let lists: [ListRule<'_>; 4] = [
        (
            "/categories",
            None,
            &rules::UNKNOWN_CATEGORY,
            "category",
            (&categories, &reference.retired.categories),
            "schema/reference/categories.yaml",
        ),
        (
            "/standards",
            None,
            &rules::UNKNOWN_STANDARD,
            "standard",
            (&standards, &reference.retired.standards),
            "schema/reference/standards.yaml",
        ),
        (
            "/skills",
            Some("role"),
            &rules::UNKNOWN_ROLE,
            "DDaT role family",
            (&roles, &reference.retired.roles),
            "schema/reference/roles.yaml",
        ),
        (
            "/documentation",
            Some("type"),
            &rules::UNKNOWN_DOCUMENT_TYPE,
            "document type",
            (&documents, &reference.retired.documents),
            "schema/reference/documents.yaml",
        ),
    ];
    for (list, field, rule, what, known, file) in lists {
        for (pointer, slug) in list_pointers(context, list, field) {
            if let Some(slug) = slug {
                require(context, rule, what, &pointer, &slug, known, file);
            }
        }
    }

    if let Some(owner) = context.str_at("/owner_force").map(str::to_owned) {
        for (pointer, slug) in owner_checks.iter().skip(1) {
            if slug.as_deref() == Some(owner.as_str()) {
                let message = format!(
                    "the owning force `{owner}` is also listed at `{}`",
                    display_pointer(pointer)
                );
                context.report(
                    &rules::OWNER_LISTED_AGAIN,
                    pointer,
                    message,
                    Some("remove it from the list".into()),
                );
            }
        }
    }
}

/// A list checked against a reference list: the list's pointer, the field within each item
/// (if any), the rule, what an item is called, the known and retired slugs and the file they
/// come from.
type ListRule<'a> = (
    &'a str,
    Option<&'a str>,
    &'static Rule,
    &'a str,
    Known<'a>,
    &'a str,
);

/// The slugs of a reference list in use, and those it retired.
type Known<'a> = (&'a [&'a str], &'a [RetiredSlug]);

/// The pointers and string values of a list's items (or of `field` within each item).
fn list_pointers(
    context: &RuleContext<'_>,
    list: &str,
    field: Option<&str>,
) -> Vec<(String, Option<String>)> {
    context
        .list_at(list)
        .iter()
        .enumerate()
        .map(|(i, item)| match field {
            Some(field) => (
                format!("{list}/{i}/{field}"),
                item.get(field).and_then(Value::as_str).map(str::to_owned),
            ),
            None => (format!("{list}/{i}"), item.as_str().map(str::to_owned)),
        })
        .collect()
}

fn require(
    context: &mut RuleContext<'_>,
    rule: &'static Rule,
    what: &str,
    pointer: &str,
    slug: &str,
    (known, retired_slugs): Known<'_>,
    file: &str,
) {
    if known.contains(&slug) {
        return;
    }
    // A retired slug is known, and its successor is the fix (NSI303).
    if let Some(retired_slug) = retired(retired_slugs, slug) {
        let successors = retired_slug
            .replaced_by
            .iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let since = retired_slug
            .since
            .as_deref()
            .map_or_else(String::new, |since| format!(" on {since}"));
        let (message, hint) = if retired_slug.replaced_by.len() == 1 {
            (
                format!("the {what} `{slug}` was retired{since} and replaced by {successors}"),
                format!("run `nsi migrate` to write {successors}, or write it yourself ({file})"),
            )
        } else {
            (
                format!("the {what} `{slug}` was retired{since} and split into {successors}"),
                format!("choose the one that fits: {successors} ({file})"),
            )
        };
        context.report(&rules::RETIRED_SLUG, pointer, message, Some(hint));
        return;
    }
    let hint = suggest::hint(slug, known.iter().copied())
        .unwrap_or_else(|| format!("see {file} for the {} known values", known.len()));
    context.report(
        rule,
        pointer,
        format!("unknown {what} `{slug}`"),
        Some(hint),
    );
}
