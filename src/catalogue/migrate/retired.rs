//! Slugs retired from the reference lists, replaced in an entry by their successor.
//!
//! A slug with one successor (a force renamed, two forces merged, a category renamed) is
//! replaced wherever an entry names it; one split into several is left for a person to choose,
//! and reported. After a merger a force may find itself its own partner or adopter: those
//! items are dropped, since the owner cannot adopt what it owns.

use serde_json::{Map, Value};

use super::NeedsPerson;
use super::ops::dedupe;
use crate::catalogue::reference::{Retired, RetiredSlug, retired};
use crate::catalogue::schema::display_pointer;

/// Where an entry names slugs of one list: a field, or a list of slugs, or a field of each item
/// of a list.
#[derive(Debug, Clone, Copy)]
pub enum SlugPlace {
    /// `owner_force`: one slug.
    Field(&'static str),
    /// `categories`: a list of slugs.
    List(&'static str),
    /// `skills[].role`: a field of each item.
    ItemField(&'static str, &'static str),
}

/// Every place an entry names a slug, with the retired slugs of its list.
pub fn places(retired: &Retired) -> [(SlugPlace, &[RetiredSlug]); 7] {
    [
        (SlugPlace::Field("owner_force"), &retired.forces),
        (SlugPlace::List("partner_forces"), &retired.forces),
        (SlugPlace::ItemField("adopters", "force"), &retired.forces),
        (SlugPlace::List("categories"), &retired.categories),
        (SlugPlace::List("standards"), &retired.standards),
        (SlugPlace::ItemField("skills", "role"), &retired.roles),
        (
            SlugPlace::ItemField("documentation", "type"),
            &retired.documents,
        ),
    ]
}

/// The slug that finally replaces `slug` when its list retired it with one successor
/// (following a chain of renames); `None` when it is not retired, was split, or the list runs
/// in a circle (which no replacement can settle).
pub fn successor(list: &[RetiredSlug], slug: &str) -> Option<String> {
    let mut seen = vec![slug.to_owned()];
    loop {
        let at = seen.last().map_or(slug, String::as_str);
        match retired(list, at) {
            Some(RetiredSlug { replaced_by, .. }) if replaced_by.len() == 1 => {
                if seen.contains(&replaced_by[0]) {
                    return None;
                }
                seen.push(replaced_by[0].clone());
            }
            _ => break,
        }
    }
    (seen.len() > 1).then(|| seen.pop().unwrap_or_default())
}

/// Replace every retired slug of `entry` that has one successor; return what a person must
/// choose (slugs split into several).
pub fn replace(entry: &mut Map<String, Value>, retired_slugs: &Retired) -> Vec<NeedsPerson> {
    let mut needs_person = Vec::new();
    for (place, list) in places(retired_slugs) {
        if list.is_empty() {
            continue;
        }
        let mut visit = |pointer: String, slot: &mut Value| {
            let Some(slug) = slot.as_str() else { return };
            if let Some(new) = successor(list, slug) {
                *slot = Value::from(new);
            } else if let Some(split) = retired(list, slug).filter(|r| r.replaced_by.len() > 1) {
                needs_person.push(NeedsPerson {
                    field: display_pointer(&pointer),
                    reason: format!(
                        "`{slug}` is retired and split into {}: choose",
                        split
                            .replaced_by
                            .iter()
                            .map(|s| format!("`{s}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                });
            }
        };
        match place {
            SlugPlace::Field(field) => {
                if let Some(slot) = entry.get_mut(field) {
                    visit(format!("/{field}"), slot);
                }
            }
            SlugPlace::List(field) => {
                if let Some(Value::Array(items)) = entry.get_mut(field) {
                    for (i, slot) in items.iter_mut().enumerate() {
                        visit(format!("/{field}/{i}"), slot);
                    }
                    dedupe(items);
                }
            }
            SlugPlace::ItemField(field, key) => {
                if let Some(Value::Array(items)) = entry.get_mut(field) {
                    for (i, item) in items.iter_mut().enumerate() {
                        if let Some(slot) = item.get_mut(key) {
                            visit(format!("/{field}/{i}/{key}"), slot);
                        }
                    }
                }
            }
        }
    }
    if !retired_slugs.forces.is_empty() {
        drop_owner_from_others(entry);
    }
    needs_person
}

/// After a merger the owner may be listed as its own partner or adopter: drop those items
/// (and the list, if nothing is left of it).
fn drop_owner_from_others(entry: &mut Map<String, Value>) {
    let Some(owner) = entry
        .get("owner_force")
        .and_then(Value::as_str)
        .map(str::to_owned)
    else {
        return;
    };
    for (field, key) in [("partner_forces", None), ("adopters", Some("force"))] {
        let Some(Value::Array(items)) = entry.get_mut(field) else {
            continue;
        };
        let before = items.len();
        items.retain(|item| {
            let slug = match key {
                Some(key) => item.get(key).and_then(Value::as_str),
                None => item.as_str(),
            };
            slug != Some(owner.as_str())
        });
        if items.is_empty() && before > 0 {
            entry.remove(field);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn retired_slug(slug: &str, replaced_by: &[&str]) -> RetiredSlug {
        RetiredSlug {
            slug: slug.to_owned(),
            replaced_by: replaced_by.iter().map(|s| (*s).to_owned()).collect(),
            since: None,
            notes: None,
        }
    }

    fn lists() -> Retired {
        Retired {
            forces: vec![
                retired_slug("north-merged", &["merged"]),
                retired_slug("south-merged", &["merged"]),
                retired_slug("renamed-twice", &["north-merged"]),
            ],
            categories: vec![
                retired_slug(
                    "data-analytics",
                    &["data-platforms", "artificial-intelligence"],
                ),
                retired_slug("old-name", &["new-name"]),
            ],
            ..Retired::default()
        }
    }

    fn object(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => unreachable!("a test object"),
        }
    }

    #[test]
    fn one_successor_replaces_the_slug_everywhere() {
        let mut entry = object(json!({
            "owner_force": "north-merged",
            "partner_forces": ["south-merged", "kent"],
            "adopters": [{"force": "renamed-twice", "status": "adopted"}, {"force": "essex", "status": "exploring"}],
            "categories": ["old-name", "new-name"],
        }));
        let needs = replace(&mut entry, &lists());
        assert!(needs.is_empty());
        assert_eq!(
            Value::Object(entry.clone()),
            json!({
                "owner_force": "merged",
                "partner_forces": ["kent"],
                "adopters": [{"force": "essex", "status": "exploring"}],
                "categories": ["new-name"],
            })
        );
        let again = entry.clone();
        replace(&mut entry, &lists());
        assert_eq!(entry, again, "idempotent");
    }

    #[test]
    fn a_split_is_left_for_a_person() {
        let mut entry = object(json!({"categories": ["data-analytics"]}));
        let needs = replace(&mut entry, &lists());
        assert_eq!(
            Value::Object(entry),
            json!({"categories": ["data-analytics"]})
        );
        assert_eq!(needs.len(), 1);
        assert_eq!(needs[0].field, "categories[0]");
        assert!(needs[0].reason.contains("`artificial-intelligence`"));
    }

    #[test]
    fn a_cycle_in_a_list_does_not_loop() {
        let list = vec![retired_slug("a", &["b"]), retired_slug("b", &["a"])];
        assert_eq!(successor(&list, "a"), None);
        assert_eq!(
            successor(&[retired_slug("a", &["b"])], "a").as_deref(),
            Some("b")
        );
    }
}
