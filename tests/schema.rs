//! The schema and the reference lists under `schema/` are themselves checked: a valid draft
//! 2020-12 schema, strict, described, and lists whose slugs are unique and consistent.

use std::collections::HashSet;
use std::path::Path;

use nsi::catalogue::reference::Reference;
use serde_json::Value;

fn reference() -> Reference {
    Reference::read_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("schema"))
        .expect("schema/ reads")
}

#[test]
fn the_schema_is_valid_against_the_draft_2020_12_metaschema() {
    let schema = reference().schema;
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert!(jsonschema::meta::is_valid(&schema));
    jsonschema::draft202012::meta::validate(&schema).expect("valid draft 2020-12 schema");
}

/// Every object schema reachable from `node`, with its path in the schema.
fn objects<'a>(node: &'a Value, path: &str, out: &mut Vec<(String, &'a Value)>) {
    match node {
        Value::Object(map) => {
            if map.get("type") == Some(&Value::from("object")) {
                out.push((path.to_owned(), node));
            }
            for (key, child) in map {
                objects(child, &format!("{path}/{key}"), out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                objects(child, &format!("{path}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn every_object_is_strict_and_every_property_is_described() {
    let schema = reference().schema;
    let mut found = Vec::new();
    objects(&schema, "", &mut found);
    assert!(
        found.len() >= 12,
        "expected the entry and its nested objects, found {}",
        found.len()
    );
    for (path, object) in found {
        assert_eq!(
            object["additionalProperties"],
            Value::Bool(false),
            "{path} must be strict"
        );
        for (name, property) in object["properties"].as_object().expect("properties") {
            let described = property.get("description").is_some()
                || property
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| schema.pointer(r.trim_start_matches('#')))
                    .and_then(|target| target.get("description"))
                    .is_some();
            assert!(described, "{path}/properties/{name} has no description");
        }
    }
}

#[test]
fn the_schema_covers_every_field_of_the_data_model() {
    let schema = reference().schema;
    let properties: HashSet<&str> = schema["properties"]
        .as_object()
        .expect("properties")
        .keys()
        .map(String::as_str)
        .collect();
    let design = [
        "id",
        "title",
        "summary",
        "problem_statement",
        "description",
        "owner_force",
        "partner_forces",
        "categories",
        "tags",
        "phase",
        "technology",
        "skills",
        "documentation",
        "contacts",
        "standards",
        "aftercare",
        "costs",
        "benefits",
        "adopters",
        "research",
        "showcases",
        "rationale",
        "visibility",
        "version",
        "created",
        "last_reviewed",
        // Schema 2.0.0 (docs/migrations.md).
        "ai",
        "exceptions",
        "schema_version",
    ];
    assert_eq!(properties, design.into_iter().collect::<HashSet<_>>());
    let required: Vec<&str> = schema["required"]
        .as_array()
        .expect("required")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for field in [
        "id",
        "title",
        "summary",
        "problem_statement",
        "owner_force",
        "categories",
        "phase",
        "technology",
        "skills",
        "documentation",
        "contacts",
        "aftercare",
        "rationale",
        "visibility",
        "created",
        "last_reviewed",
        "ai",
        "schema_version",
    ] {
        assert!(required.contains(&field), "{field} must be required");
    }
}

/// The schemas of the reference lists (schema/reference/*.schema.json, built into nsi): valid
/// draft 2020-12, strict in every object, every property described, and the slugs of forces,
/// regions, categories, roles and document types as strict as ids (no dot, nothing a path or
/// CODEOWNERS would read as more than a name).
#[test]
fn the_reference_list_schemas_are_valid_strict_and_described() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/reference");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("schema/reference")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".schema.json"))
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "categories.schema.json",
            "documents.schema.json",
            "forces.schema.json",
            "roles.schema.json",
            "standards.schema.json"
        ]
    );
    for name in names {
        let text = std::fs::read_to_string(dir.join(&name)).expect("read");
        let schema: Value = serde_json::from_str(&text).expect("JSON");
        jsonschema::draft202012::meta::validate(&schema).unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut found = Vec::new();
        objects(&schema, "", &mut found);
        for (path, object) in found {
            assert_eq!(
                object["additionalProperties"],
                Value::Bool(false),
                "{name}{path} must be strict"
            );
            for (key, property) in object["properties"].as_object().expect("properties") {
                assert!(
                    property.get("description").is_some(),
                    "{name}{path}/properties/{key} has no description"
                );
            }
        }
        let slug = schema["$defs"]["slug"]["pattern"].as_str().expect("a slug");
        assert_eq!(slug, "^[a-z0-9]+(-[a-z0-9]+)*$", "{name}");
    }
}

#[test]
fn reference_lists_have_unique_slugs_and_consistent_regions() {
    let reference = reference();
    let mut all = vec![
        (
            "forces",
            reference
                .forces
                .iter()
                .map(|f| f.slug.as_str())
                .collect::<Vec<_>>(),
        ),
        (
            "regions",
            reference.regions.iter().map(|t| t.slug.as_str()).collect(),
        ),
        (
            "categories",
            reference
                .categories
                .iter()
                .map(|t| t.slug.as_str())
                .collect(),
        ),
        (
            "standards",
            reference
                .standards
                .iter()
                .map(|t| t.slug.as_str())
                .collect(),
        ),
        (
            "roles",
            reference.roles.iter().map(|t| t.slug.as_str()).collect(),
        ),
        (
            "documents",
            reference
                .documents
                .iter()
                .map(|t| t.slug.as_str())
                .collect(),
        ),
    ];
    for (name, slugs) in &mut all {
        let unique: HashSet<&&str> = slugs.iter().collect();
        assert_eq!(unique.len(), slugs.len(), "{name} has a repeated slug");
    }
    let regions: HashSet<&str> = reference.regions.iter().map(|t| t.slug.as_str()).collect();
    for force in &reference.forces {
        assert!(
            regions.contains(force.region.as_str()),
            "{} has unknown region {}",
            force.slug,
            force.region
        );
    }
    let territorial = reference
        .forces
        .iter()
        .filter(|f| {
            f.kind == "territorial" && f.country != "scotland" && f.country != "northern-ireland"
        })
        .count();
    assert_eq!(
        territorial, 43,
        "the 43 territorial forces of England and Wales"
    );
    assert_eq!(reference.categories.len(), 17);
    assert_eq!(reference.roles.len(), 8);
    assert_eq!(reference.documents.len(), 18);
}

#[test]
fn the_embedded_copy_matches_the_files_on_disk() {
    let embedded = Reference::embedded();
    let on_disk = reference();
    assert_eq!(embedded.schema, on_disk.schema);
    assert_eq!(embedded.forces, on_disk.forces);
    assert_eq!(embedded.categories, on_disk.categories);
}

#[test]
fn enumerations_are_read_from_the_schema() {
    let reference = reference();
    assert_eq!(
        reference.schema_enum("/properties/phase"),
        ["discovery", "alpha", "beta", "live", "retired"]
    );
    assert_eq!(
        reference.schema_enum("/properties/skills/items/properties/level"),
        ["awareness", "working", "practitioner", "expert"]
    );
}

/// The names serde gives the variants of `T`, read from the error for a name no variant has
/// ("unknown variant `…`, expected one of `a`, `b`"): exactly what the Rust type accepts.
fn variant_names<T: serde::de::DeserializeOwned>() -> Vec<String> {
    let error = serde_json::from_value::<T>(serde_json::json!("\u{1}no such variant"))
        .err()
        .expect("no variant has this name")
        .to_string();
    let expected = error
        .split("expected")
        .nth(1)
        .expect("serde lists the variants");
    expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_rust_enums_of_an_entry_are_the_schemas_enums() {
    use nsi::catalogue::entry::{
        AdoptionStatus, AftercareLevel, Availability, Classification, CostBand, Deployment, Phase,
        SkillLevel, Visibility,
    };
    let schema = reference().schema;
    let checks: [(&str, Vec<String>); 9] = [
        ("/properties/phase", variant_names::<Phase>()),
        (
            "/properties/technology/properties/deployment",
            variant_names::<Deployment>(),
        ),
        (
            "/properties/documentation/items/properties/availability",
            variant_names::<Availability>(),
        ),
        (
            "/properties/documentation/items/properties/classification",
            variant_names::<Classification>(),
        ),
        (
            "/properties/aftercare/properties/level",
            variant_names::<AftercareLevel>(),
        ),
        (
            "/properties/adopters/items/properties/status",
            variant_names::<AdoptionStatus>(),
        ),
        ("/properties/visibility", variant_names::<Visibility>()),
        ("/$defs/skill_level", variant_names::<SkillLevel>()),
        ("/$defs/cost_band", variant_names::<CostBand>()),
    ];
    for (pointer, rust) in checks {
        let listed: Vec<String> = schema
            .pointer(&format!("{pointer}/enum"))
            .and_then(serde_json::Value::as_array)
            .unwrap_or_else(|| panic!("the schema has an enum at {pointer}"))
            .iter()
            .map(|v| v.as_str().expect("text").to_owned())
            .collect();
        assert_eq!(
            rust, listed,
            "the Rust enum for {pointer} and the schema's differ"
        );
    }
}

#[test]
fn retired_slugs_are_out_of_use_and_their_successors_in_use() {
    let reference = reference();
    let retired = &reference.retired;
    let lists: [(&str, Vec<&str>, &[nsi::catalogue::reference::RetiredSlug]); 5] = [
        (
            "forces",
            reference.forces.iter().map(|f| f.slug.as_str()).collect(),
            &retired.forces,
        ),
        (
            "categories",
            reference
                .categories
                .iter()
                .map(|t| t.slug.as_str())
                .collect(),
            &retired.categories,
        ),
        (
            "standards",
            reference
                .standards
                .iter()
                .map(|t| t.slug.as_str())
                .collect(),
            &retired.standards,
        ),
        (
            "roles",
            reference.roles.iter().map(|t| t.slug.as_str()).collect(),
            &retired.roles,
        ),
        (
            "documents",
            reference
                .documents
                .iter()
                .map(|t| t.slug.as_str())
                .collect(),
            &retired.documents,
        ),
    ];
    for (name, active, retired) in lists {
        for slug in retired {
            assert!(
                !active.contains(&slug.slug.as_str()),
                "{name}: {} is retired and in use",
                slug.slug
            );
            assert!(
                !slug.replaced_by.is_empty(),
                "{name}: {} has no successor",
                slug.slug
            );
            for successor in &slug.replaced_by {
                assert!(
                    active.contains(&successor.as_str()),
                    "{name}: {} is replaced by {successor}, which is not in use",
                    slug.slug
                );
            }
        }
    }
}
