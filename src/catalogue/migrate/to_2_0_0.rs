//! 1.0.0 → 2.0.0: every entry says whether and how the solution uses AI or machine learning
//! (`ai.use`), and states the schema version it was written for (`schema_version`).
//!
//! Forces and the public ask first of a policing tool whether it makes or shapes decisions
//! about people with AI (the NPCC's AI covenant, the government's Algorithmic Transparency
//! Recording Standard). Version 1.0.0 could only say so in free text. No migration can know
//! the answer, so it leaves the marker `not-stated` for the owning force to replace: the entry
//! stays valid, `nsi validate` warns (NSI304) until a person has answered, and the impact
//! report lists every entry that needs one, by force.

use serde_json::{Map, Value, json};

use super::{Marker, Migration, ops};

/// The value left in `ai.use` for the owning force to replace. It is also the schema's
/// `default` for `ai.use` (what `nsi add` writes when the author does not say); a test keeps
/// the two equal.
pub const NOT_STATED: &str = "not-stated";

/// The migration, as registered in [`super::MIGRATIONS`].
pub const MIGRATION: Migration = Migration {
    from: "1.0.0",
    to: "2.0.0",
    summary: "adds `ai.use` (whether and how the solution uses AI), left `not-stated` for the \
              owning force to answer, and `schema_version`",
    apply,
    markers: &[Marker {
        pointer: "/ai/use",
        value: NOT_STATED,
        ask: "say whether the solution uses AI or machine learning, and how",
    }],
};

fn apply(entry: &mut Map<String, Value>) {
    ops::add_default(entry, "ai", json!({ "use": NOT_STATED }));
    // An `ai` written by hand before the migration keeps what it says; only a missing `use`
    // gets the marker.
    if let Some(Value::Object(ai)) = entry.get_mut("ai") {
        ops::add_default(ai, "use", json!(NOT_STATED));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn migrated(value: Value) -> Value {
        let Value::Object(mut map) = value else {
            unreachable!("a test entry is a mapping")
        };
        apply(&mut map);
        Value::Object(map)
    }

    #[test]
    fn an_entry_gets_the_marker_and_keeps_everything_else() {
        let old = json!({"id": "x", "title": "X", "tags": ["a"]});
        let new = migrated(old);
        assert_eq!(
            new,
            json!({"id": "x", "title": "X", "tags": ["a"], "ai": {"use": "not-stated"}})
        );
        assert_eq!(migrated(new.clone()), new, "idempotent");
    }

    #[test]
    fn what_an_author_already_wrote_is_kept() {
        let stated = json!({"id": "x", "ai": {"use": "assists", "notes": "suggests"}});
        assert_eq!(migrated(stated.clone()), stated);
        let half = json!({"id": "x", "ai": {"notes": "suggests"}});
        assert_eq!(
            migrated(half),
            json!({"id": "x", "ai": {"notes": "suggests", "use": "not-stated"}})
        );
    }
}
