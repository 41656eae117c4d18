//! The search engine through the library: ranking, typo and prefix matching, folding, phrases,
//! filters, "nothing found" help, `--explain`, and the on-disk index cache.
//!
//! Most tests run against the fixed catalogue in `tests/fixtures/search/`, whose eleven entries
//! are written so that each test's expected order can be worked out by hand:
//!
//! | id | owner (region) | phase | deployment | highest level | visibility |
//! |---|---|---|---|---|---|
//! | `redaction-studio` | west-yorkshire (yorkshire-and-the-humber) | live | cloud | expert | policing |
//! | `evidence-masking-service` | kent (eastern), partner surrey | beta | on-premises | working | public |
//! | `case-file-builder` | greater-manchester (north-west) | live | cloud | awareness | policing |
//! | `custody-handover-notes` | merseyside (north-west) | alpha | on-premises | practitioner | policing |
//! | `community-cafe-outreach` | south-wales (wales) | discovery | saas | working | public |
//! | `demand-dashboard` | metropolitan (london) | live | hybrid | practitioner | policing |
//! | `overtime-claims-robot` | surrey (south-east) | retired | hybrid | working | policing |
//! | `zebra-property-ledger` | durham (north-east) | beta | cloud | practitioner | public |
//! | `aardvark-property-ledger` | west-midlands, partner kent | live | on-premises | awareness | policing |
//! | `elan-wellbeing-checkin` | pds (national) | alpha | saas | expert | public |
//! | `missing-person-search-planner` | police-scotland (scotland) | beta | on-premises | expert | policing |
//!
//! "redaction" is in the title of `redaction-studio` and only in the description of
//! `evidence-masking-service`; "case file" is a phrase in `case-file-builder` and two words far
//! apart in `custody-handover-notes`; the two property ledgers have the same title, so their
//! scores tie.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Barrier, OnceLock};

use nsi::catalogue::entry::{
    AdoptionStatus, Availability, Deployment, Entry, Phase, SkillLevel, Visibility,
};
use nsi::catalogue::handle::Catalogue;
use nsi::catalogue::load::discover;
use nsi::catalogue::lookup::{all_ids, find_entry};
use nsi::catalogue::reference::Reference;
use nsi::catalogue::search::cache::{self, build_uncached, cache_file, cache_path, load_or_scan};
use nsi::catalogue::search::query::{MatchKind, Query, WordMatch};
use nsi::catalogue::search::{
    FilterError, Filters, IndexSource, LoadedIndex, SearchRequest, SearchResults, SearchableNames,
    search,
};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// Every fixture id, in the order of a listing without a query (by folded title, then id).
const BY_TITLE: [&str; 11] = [
    "community-cafe-outreach",
    "custody-handover-notes",
    "demand-dashboard",
    "elan-wellbeing-checkin",
    "evidence-masking-service",
    "aardvark-property-ledger",
    "zebra-property-ledger",
    "missing-person-search-planner",
    "overtime-claims-robot",
    "case-file-builder",
    "redaction-studio",
];

/// The fixture catalogue, its reference lists and an index built without a cache.
struct Fixture {
    root: PathBuf,
    reference: Reference,
    index: LoadedIndex,
    /// Every entry, read independently of the index, for checking filters.
    entries: Vec<Entry>,
}

fn fixture_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/search")
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let root = fixture_root();
        let reference = Reference::for_root(&root).expect("reference lists");
        let files = discover(&root).expect("fixture catalogue").files;
        let index = build_uncached(&files, &SearchableNames::from(&reference));
        let entries = all_ids(&root)
            .iter()
            .map(|id| find_entry(&root, id).expect("fixture entry reads").1)
            .collect();
        Fixture {
            root,
            reference,
            index,
            entries,
        }
    })
}

fn run(request: &SearchRequest) -> Result<SearchResults, FilterError> {
    let fixture = fixture();
    search(&fixture.index.view(), &fixture.reference, request)
}

fn request(query: &str, filters: Filters) -> SearchRequest {
    SearchRequest {
        query: query.to_owned(),
        filters,
        ..SearchRequest::default()
    }
}

fn results(query: &str) -> SearchResults {
    run(&request(query, Filters::default())).expect("no filters, no filter error")
}

fn hit_ids(results: &SearchResults) -> Vec<&str> {
    results.hits.iter().map(|h| h.id.as_str()).collect()
}

/// The ids found for `query`, best first.
fn ids(query: &str) -> Vec<String> {
    results(query).hits.into_iter().map(|h| h.id).collect()
}

/// Filters built by `set` from the default.
fn filters(set: impl FnOnce(&mut Filters)) -> Filters {
    let mut filters = Filters::default();
    set(&mut filters);
    filters
}

/// The ids listed (no query) with the filters `set` builds.
fn listed(set: impl FnOnce(&mut Filters)) -> Vec<String> {
    run(&request("", filters(set)))
        .expect("valid filter values")
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect()
}

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| (*v).to_owned()).collect()
}

/// Copy a folder tree.
fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create folder");
    for item in fs::read_dir(from).expect("read folder") {
        let item = item.expect("folder entry");
        let path = item.path();
        if path.is_dir() {
            copy_tree(&path, &to.join(item.file_name()));
        } else {
            fs::copy(&path, to.join(item.file_name())).expect("copy file");
        }
    }
}

/// The index of the catalogue under `root`, cached in the default folder (`.nsi/cache`).
fn load_index(
    root: &Path,
    names: &SearchableNames,
) -> Result<LoadedIndex, nsi::catalogue::load::LoadError> {
    let cache_dir = cache_path(root);
    cache::load_index(
        root,
        names,
        cache_dir.parent().expect("a folder"),
        &|_, _| {},
    )
}

/// A temporary copy of the fixture catalogue, with its reference lists and names.
fn temporary_copy() -> (tempfile::TempDir, Reference, SearchableNames) {
    let dir = tempfile::tempdir().expect("temporary folder");
    copy_tree(&fixture_root(), dir.path());
    let reference = Reference::for_root(dir.path()).expect("reference lists");
    let names = SearchableNames::from(&reference);
    (dir, reference, names)
}

fn search_loaded(loaded: &LoadedIndex, reference: &Reference, query: &str) -> Vec<String> {
    search(
        &loaded.view(),
        reference,
        &request(query, Filters::default()),
    )
    .expect("no filters")
    .hits
    .into_iter()
    .map(|h| h.id)
    .collect()
}

/// A small valid entry for catalogues built inside a test.
fn write_entry(root: &Path, force: &str, id: &str, title: &str, summary: &str) {
    let folder = root.join("catalogue").join(force);
    fs::create_dir_all(&folder).expect("force folder");
    let text = format!(
        "id: {id}
title: {title}
summary: {summary}
problem_statement: A problem statement long enough to pass the schema's minimum.
owner_force: {force}
categories:
  - data-analytics
tags:
  - alpha tag
  - beta tag
phase: live
technology:
  stack:
    - Python
    - Azure Functions
  deployment: cloud
  licence: MIT
skills:
  - role: data
    level: working
documentation:
  - type: dpia
    availability: on-request
contacts:
  - name: Test Person
    role: Product owner
    email: test.person@force.police.example
    valid_until: '2027-06-30'
aftercare:
  level: none
rationale: Written by a test.
visibility: policing
created: '2026-01-15'
last_reviewed: '2026-06-01'
"
    );
    fs::write(folder.join(format!("{id}.yaml")), text).expect("write entry");
}

/// Search a catalogue written by a test.
fn search_temporary(root: &Path, query: &str) -> SearchResults {
    let reference = Reference::for_root(root).expect("reference lists");
    let files = discover(root).expect("catalogue").files;
    let index = build_uncached(&files, &SearchableNames::from(&reference));
    search(
        &index.view(),
        &reference,
        &SearchRequest {
            query: query.to_owned(),
            explain: true,
            ..SearchRequest::default()
        },
    )
    .expect("no filters")
}

// ---------------------------------------------------------------------------------------------
// The fixture itself
// ---------------------------------------------------------------------------------------------

#[test]
fn fixture_catalogue_is_whole() {
    let fixture = fixture();
    let view = fixture.index.view();
    assert!(view.skipped().is_empty(), "skipped: {:?}", view.skipped());
    assert_eq!(fixture.entries.len(), BY_TITLE.len());
    let indexed: BTreeSet<&str> = view.entries().iter().map(|e| e.id).collect();
    assert_eq!(indexed, BY_TITLE.iter().copied().collect());
    assert!(fixture.root.join("catalogue").is_dir());
}

// ---------------------------------------------------------------------------------------------
// Ranking
// ---------------------------------------------------------------------------------------------

#[test]
fn title_match_outranks_description_only_match() {
    let found = results("redaction");
    assert_eq!(
        hit_ids(&found),
        ["redaction-studio", "evidence-masking-service"]
    );
    assert_eq!(found.hits[0].matched_fields, ["title"]);
    assert_eq!(found.hits[1].matched_fields, ["description"]);
    assert!(found.hits[0].score > found.hits[1].score);
    assert_eq!(found.total, 2);
    assert!(!found.partial);
}

#[test]
fn typos_of_long_words_are_tolerated() {
    for typo in [
        "redcation",
        "redation",
        "redactoin",
        "redoction",
        "redacttion",
    ] {
        assert_eq!(
            ids(typo),
            ["redaction-studio", "evidence-masking-service"],
            "query {typo:?}"
        );
    }
    // Five letters is long enough: a missing letter still finds "ledger".
    assert_eq!(
        ids("ledgr"),
        ["aardvark-property-ledger", "zebra-property-ledger"]
    );
    // Two edits is too many.
    assert!(ids("rdcation").is_empty());
}

#[test]
fn short_words_get_no_typo_tolerance() {
    assert_eq!(ids("cafe"), ["community-cafe-outreach"]);
    for typo in ["cafw", "cfae", "cafr"] {
        let found = results(typo);
        assert!(
            found.hits.is_empty(),
            "{typo:?} found {:?}",
            hit_ids(&found)
        );
        assert_eq!(found.total, 0);
        // ... but "did you mean" still offers the word.
        assert!(
            found.suggestions[typo].contains(&"cafe".to_owned()),
            "{typo:?}: {:?}",
            found.suggestions
        );
    }
}

#[test]
fn prefixes_match_longer_words() {
    let found = results("redact");
    // "redact" is a prefix of "redaction", and also one letter away from "react" (React Native,
    // in the technology of elan-wellbeing-checkin). The prefix match in a description outranks
    // the typo in a technology list.
    assert_eq!(
        hit_ids(&found),
        [
            "redaction-studio",
            "evidence-masking-service",
            "elan-wellbeing-checkin"
        ]
    );
    assert_eq!(
        ids("ledg"),
        ["aardvark-property-ledger", "zebra-property-ledger"]
    );
    // A prefix match counts for less than the whole word.
    assert!(found.hits[0].score < results("redaction").hits[0].score);
    // One letter is not a prefix.
    assert!(ids("l").is_empty());
}

#[test]
fn case_and_accents_are_folded() {
    for query in ["REDACTION", "Redaction", "rEdAcTiOn", "rédaction"] {
        assert_eq!(
            ids(query),
            ["redaction-studio", "evidence-masking-service"],
            "query {query:?}"
        );
    }
    // Accented text, plain query; accented query, plain or accented text.
    for query in ["cafe", "Café", "CAFÉ", "cafe\u{301}", "cafés"] {
        assert_eq!(ids(query), ["community-cafe-outreach"], "query {query:?}");
    }
    for query in ["elan", "ÉLAN", "resume", "RÉSUMÉ"] {
        assert_eq!(ids(query), ["elan-wellbeing-checkin"], "query {query:?}");
    }
}

#[test]
fn quoted_phrases_need_adjacent_words_in_order() {
    assert_eq!(ids("\"case file\""), ["case-file-builder"]);
    assert_eq!(ids("\"CASE FILE\""), ["case-file-builder"]);
    // Unquoted, the words may be anywhere.
    assert_eq!(
        ids("case file"),
        ["case-file-builder", "custody-handover-notes"]
    );
    // Order matters, and phrase words match whole words only.
    assert!(ids("\"file case\"").is_empty());
    assert!(ids("\"case fil\"").is_empty());
    // Stop words inside a phrase are kept and must be there.
    assert_eq!(ids("\"calls for service\""), ["demand-dashboard"]);
    assert!(ids("\"calls service\"").is_empty());
    // A hyphenated word is a phrase.
    assert_eq!(ids("check-in"), ["elan-wellbeing-checkin"]);
}

#[test]
fn equal_scores_are_ordered_by_id() {
    let fixture = fixture();
    // The index holds the ledgers in path order: durham/zebra before west-midlands/aardvark,
    // so the order below comes from the tie-break, not from the index.
    let order: Vec<&str> = fixture
        .index
        .view()
        .entries()
        .iter()
        .map(|e| e.id)
        .filter(|id| id.ends_with("property-ledger"))
        .collect();
    assert_eq!(order, ["zebra-property-ledger", "aardvark-property-ledger"]);

    let found = results("ledger");
    assert_eq!(
        hit_ids(&found),
        ["aardvark-property-ledger", "zebra-property-ledger"]
    );
    assert_eq!(found.hits[0].score.to_bits(), found.hits[1].score.to_bits());
    assert_eq!(
        ids("found property ledger"),
        ["aardvark-property-ledger", "zebra-property-ledger"]
    );
}

#[test]
fn stop_words_are_dropped_unless_alone() {
    assert_eq!(ids("the redaction"), ids("redaction"));
    assert_eq!(ids("redaction of the"), ids("redaction"));
    // A query of stop words alone is searched as it is.
    assert!(!ids("the").is_empty());
}

#[test]
fn limit_caps_hits_but_not_total() {
    let found = run(&SearchRequest {
        query: "redaction".to_owned(),
        limit: Some(1),
        ..SearchRequest::default()
    })
    .expect("no filters");
    assert_eq!(hit_ids(&found), ["redaction-studio"]);
    assert_eq!(found.total, 2);
}

#[test]
fn hits_carry_the_entry_details() {
    let found = results("redaction");
    let hit = &found.hits[0];
    assert_eq!(hit.title, "Redaction Studio");
    assert_eq!(hit.owner_force, "west-yorkshire");
    assert_eq!(hit.categories, ["digital-evidence-forensics"]);
    assert_eq!(hit.phase, "live");
    assert_eq!(hit.highest_level, Some(SkillLevel::Expert));
    assert_eq!(hit.path, "catalogue/west-yorkshire/redaction-studio.yaml");
    assert_eq!(found.skipped, 0);
}

// ---------------------------------------------------------------------------------------------
// Listing without a query
// ---------------------------------------------------------------------------------------------

#[test]
fn no_query_lists_everything_by_folded_title() {
    for query in ["", "   ", "!!", "\"\""] {
        let found = results(query);
        assert_eq!(hit_ids(&found), BY_TITLE, "query {query:?}");
        assert_eq!(found.total, BY_TITLE.len());
        assert!(
            found
                .hits
                .iter()
                .all(|h| h.score == 0.0 && h.explanation.is_empty())
        );
        assert!(!found.partial);
    }
}

#[test]
fn no_query_lists_filtered_entries_by_title() {
    assert_eq!(
        listed(|f| f.phases = strings(&["live"])),
        [
            "demand-dashboard",
            "aardvark-property-ledger",
            "case-file-builder",
            "redaction-studio"
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Filters
// ---------------------------------------------------------------------------------------------

#[test]
fn category_filter() {
    assert_eq!(
        listed(|f| f.categories = strings(&["digital-evidence-forensics"])),
        ["evidence-masking-service", "redaction-studio"]
    );
    assert_eq!(
        listed(|f| f.categories = strings(&["criminal-justice"])),
        ["custody-handover-notes", "case-file-builder"]
    );
    // A valid category no entry has.
    assert!(listed(|f| f.categories = strings(&["cyber-fraud"])).is_empty());
}

#[test]
fn force_filter_counts_owner_or_partner() {
    // kent owns evidence-masking-service and co-built aardvark-property-ledger.
    assert_eq!(
        listed(|f| f.forces = strings(&["kent"])),
        ["evidence-masking-service", "aardvark-property-ledger"]
    );
    // surrey owns overtime-claims-robot and co-built evidence-masking-service.
    assert_eq!(
        listed(|f| f.forces = strings(&["surrey"])),
        ["evidence-masking-service", "overtime-claims-robot"]
    );
    // durham owns one entry; adopting two others does not count.
    assert_eq!(
        listed(|f| f.forces = strings(&["durham"])),
        ["zebra-property-ledger"]
    );
}

#[test]
fn region_filter_uses_the_owning_force() {
    assert_eq!(
        listed(|f| f.regions = strings(&["north-west"])),
        ["custody-handover-notes", "case-file-builder"]
    );
    // kent is eastern; aardvark-property-ledger is only co-built by kent.
    assert_eq!(
        listed(|f| f.regions = strings(&["eastern"])),
        ["evidence-masking-service"]
    );
    assert_eq!(
        listed(|f| f.regions = strings(&["national"])),
        ["elan-wellbeing-checkin"]
    );
}

#[test]
fn phase_filter() {
    assert_eq!(
        listed(|f| f.phases = strings(&["retired"])),
        ["overtime-claims-robot"]
    );
    assert_eq!(
        listed(|f| f.phases = strings(&["beta"])),
        [
            "evidence-masking-service",
            "zebra-property-ledger",
            "missing-person-search-planner"
        ]
    );
}

#[test]
fn technology_filter_is_a_case_insensitive_substring() {
    assert_eq!(
        listed(|f| f.technologies = strings(&["power"])),
        [
            "community-cafe-outreach",
            "demand-dashboard",
            "case-file-builder"
        ]
    );
    assert_eq!(
        listed(|f| f.technologies = strings(&["POWER BI"])),
        ["demand-dashboard"]
    );
    assert_eq!(
        listed(|f| f.technologies = strings(&["UiPath"])),
        ["evidence-masking-service", "overtime-claims-robot"]
    );
    assert_eq!(
        listed(|f| f.technologies = strings(&["sql"])),
        ["custody-handover-notes", "demand-dashboard"]
    );
    assert_eq!(
        listed(|f| f.technologies = strings(&["python"])),
        [
            "aardvark-property-ledger",
            "zebra-property-ledger",
            "missing-person-search-planner",
            "redaction-studio"
        ]
    );
}

#[test]
fn deployment_filter() {
    assert_eq!(
        listed(|f| f.deployments = strings(&["on-premises"])),
        [
            "custody-handover-notes",
            "evidence-masking-service",
            "aardvark-property-ledger",
            "missing-person-search-planner"
        ]
    );
    assert_eq!(
        listed(|f| f.deployments = strings(&["saas"])),
        ["community-cafe-outreach", "elan-wellbeing-checkin"]
    );
}

#[test]
fn role_filter() {
    assert_eq!(
        listed(|f| f.roles = strings(&["data"])),
        [
            "demand-dashboard",
            "missing-person-search-planner",
            "redaction-studio"
        ]
    );
    assert_eq!(
        listed(|f| f.roles = strings(&["it-operations"])),
        ["custody-handover-notes", "aardvark-property-ledger"]
    );
}

#[test]
fn level_filter_means_no_more_than() {
    assert_eq!(
        listed(|f| f.levels = strings(&["awareness"])),
        ["aardvark-property-ledger", "case-file-builder"]
    );
    let working = [
        "community-cafe-outreach",
        "evidence-masking-service",
        "aardvark-property-ledger",
        "overtime-claims-robot",
        "case-file-builder",
    ];
    assert_eq!(listed(|f| f.levels = strings(&["working"])), working);
    assert_eq!(
        listed(|f| f.levels = strings(&["practitioner"])),
        [
            "community-cafe-outreach",
            "custody-handover-notes",
            "demand-dashboard",
            "evidence-masking-service",
            "aardvark-property-ledger",
            "zebra-property-ledger",
            "overtime-claims-robot",
            "case-file-builder"
        ]
    );
    assert_eq!(listed(|f| f.levels = strings(&["expert"])), BY_TITLE);
    // Several levels: the highest counts.
    assert_eq!(
        listed(|f| f.levels = strings(&["awareness", "working"])),
        working
    );
    // With --role, only that role's level counts: custody-handover-notes needs a practitioner
    // developer (too much) though only a working IT operations person.
    assert_eq!(
        listed(|f| {
            f.roles = strings(&["software-development"]);
            f.levels = strings(&["working"]);
        }),
        ["evidence-masking-service", "overtime-claims-robot"]
    );
    assert_eq!(
        listed(|f| {
            f.roles = strings(&["it-operations"]);
            f.levels = strings(&["working"]);
        }),
        ["custody-handover-notes", "aardvark-property-ledger"]
    );
}

#[test]
fn visibility_filter() {
    assert_eq!(
        listed(|f| f.visibilities = strings(&["public"])),
        [
            "community-cafe-outreach",
            "elan-wellbeing-checkin",
            "evidence-masking-service",
            "zebra-property-ledger"
        ]
    );
    assert_eq!(
        listed(|f| f.visibilities = strings(&["policing"])).len(),
        BY_TITLE.len() - 4
    );
}

#[test]
fn has_doc_filter_ignores_documents_that_are_not_available() {
    // elan-wellbeing-checkin's IRAR is not available.
    assert_eq!(
        listed(|f| f.has_docs = strings(&["irar"])),
        ["evidence-masking-service"]
    );
    // aardvark-property-ledger's source code is not available; public and on request count.
    assert_eq!(
        listed(|f| f.has_docs = strings(&["source-code"])),
        ["zebra-property-ledger", "redaction-studio"]
    );
    assert_eq!(
        listed(|f| f.has_docs = strings(&["dpia"])),
        ["elan-wellbeing-checkin", "redaction-studio"]
    );
    // The only training material is not available.
    assert!(listed(|f| f.has_docs = strings(&["training"])).is_empty());
}

#[test]
fn adopted_by_counts_adopted_and_piloting_not_exploring() {
    // essex: adopted redaction-studio, piloting evidence-masking-service, exploring
    // case-file-builder.
    assert_eq!(
        listed(|f| f.adopted_by = strings(&["essex"])),
        ["evidence-masking-service", "redaction-studio"]
    );
    assert_eq!(
        listed(|f| f.adopted_by = strings(&["durham"])),
        ["demand-dashboard", "elan-wellbeing-checkin"]
    );
    assert_eq!(
        listed(|f| f.adopted_by = strings(&["cheshire"])),
        ["case-file-builder"]
    );
}

#[test]
fn repeated_filter_is_or_and_different_filters_are_and() {
    assert_eq!(
        listed(|f| f.categories = strings(&["digital-evidence-forensics", "information-assurance"])),
        [
            "evidence-masking-service",
            "aardvark-property-ledger",
            "zebra-property-ledger",
            "redaction-studio"
        ]
    );
    assert_eq!(
        listed(|f| f.phases = strings(&["alpha", "discovery"])),
        [
            "community-cafe-outreach",
            "custody-handover-notes",
            "elan-wellbeing-checkin"
        ]
    );
    assert_eq!(
        listed(|f| f.technologies = strings(&["flask", "django"])),
        ["aardvark-property-ledger", "zebra-property-ledger"]
    );
    assert_eq!(
        listed(|f| {
            f.phases = strings(&["live"]);
            f.deployments = strings(&["cloud"]);
        }),
        ["case-file-builder", "redaction-studio"]
    );
    assert_eq!(
        listed(|f| {
            f.phases = strings(&["live"]);
            f.deployments = strings(&["cloud"]);
            f.regions = strings(&["north-west"]);
        }),
        ["case-file-builder"]
    );
    assert_eq!(
        listed(|f| {
            f.technologies = strings(&["python"]);
            f.visibilities = strings(&["public"]);
        }),
        ["zebra-property-ledger"]
    );
}

#[test]
fn filters_apply_to_ranked_results() {
    let found = run(&request(
        "redaction",
        filters(|f| f.visibilities = strings(&["public"])),
    ))
    .expect("valid filters");
    assert_eq!(hit_ids(&found), ["evidence-masking-service"]);
    assert_eq!(found.total, 1);
}

#[test]
fn unknown_filter_values_list_valid_values_and_the_nearest() {
    let error = run(&request("", filters(|f| f.phases = strings(&["livee"]))))
        .expect_err("livee is not a phase");
    assert_eq!(error.flag, "--phase");
    assert_eq!(error.value, "livee");
    assert_eq!(
        error.valid,
        ["discovery", "alpha", "beta", "live", "retired"]
    );
    assert_eq!(error.suggestion.as_deref(), Some("live"));
    assert_eq!(error.to_string(), "unknown --phase value `livee`");

    let cases: [(&str, Filters, &str); 10] = [
        (
            "--category",
            filters(|f| f.categories = strings(&["criminal-justic"])),
            "criminal-justice",
        ),
        (
            "--force",
            filters(|f| f.forces = strings(&["west-yorkshir"])),
            "west-yorkshire",
        ),
        (
            "--region",
            filters(|f| f.regions = strings(&["yorkshire"])),
            "yorkshire-and-the-humber",
        ),
        (
            "--technology",
            filters(|f| f.technologies = strings(&["Pyhton"])),
            "python",
        ),
        (
            "--deployment",
            filters(|f| f.deployments = strings(&["on-premise"])),
            "on-premises",
        ),
        ("--role", filters(|f| f.roles = strings(&["dat"])), "data"),
        (
            "--level",
            filters(|f| f.levels = strings(&["expret"])),
            "expert",
        ),
        (
            "--visibility",
            filters(|f| f.visibilities = strings(&["publik"])),
            "public",
        ),
        (
            "--has-doc",
            filters(|f| f.has_docs = strings(&["dpai"])),
            "dpia",
        ),
        (
            "--adopted-by",
            filters(|f| f.adopted_by = strings(&["esex"])),
            "essex",
        ),
    ];
    for (flag, filters, nearest) in cases {
        let error = run(&request("redaction", filters)).expect_err(flag);
        assert_eq!(error.flag, flag);
        assert_eq!(error.suggestion.as_deref(), Some(nearest), "{flag}");
        assert!(
            error.valid.iter().any(|v| v == nearest),
            "{flag}: {:?}",
            error.valid
        );
    }

    // Technologies are free text: the valid values are the stack items, folded.
    let error = run(&request(
        "",
        filters(|f| f.technologies = strings(&["Pyhton"])),
    ))
    .expect_err("no stack item contains pyhton");
    assert!(error.valid.contains(&"power bi".to_owned()));
    assert!(error.valid.contains(&"uipath".to_owned()));

    // Far from everything: no suggestion, and one bad value among good ones still fails.
    let error = run(&request(
        "",
        filters(|f| f.phases = strings(&["live", "zzz"])),
    ))
    .expect_err("zzz is not a phase");
    assert_eq!(error.value, "zzz");
    assert_eq!(error.suggestion, None);
}

// ---------------------------------------------------------------------------------------------
// When nothing, or not everything, matches
// ---------------------------------------------------------------------------------------------

#[test]
fn unknown_words_get_suggestions() {
    let found = results("dashbrd");
    assert!(found.hits.is_empty());
    assert_eq!(found.total, 0);
    assert_eq!(found.suggestions["dashbrd"], ["dashboard"]);
    assert!(found.filter_effects.is_empty());
    assert!(!found.partial);

    // Every word that matched nothing gets an entry, even with nothing near it.
    let found = results("dashbrd qqqqzzzz");
    assert_eq!(
        found
            .suggestions
            .keys()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        ["dashbrd", "qqqqzzzz"]
    );
    assert!(found.suggestions["qqqqzzzz"].is_empty());
}

#[test]
fn filter_effects_say_what_each_filter_removed() {
    let found = run(&request(
        "redaction",
        filters(|f| {
            f.phases = strings(&["retired"]);
            f.deployments = strings(&["cloud"]);
        }),
    ))
    .expect("valid filters");
    assert!(found.hits.is_empty());
    assert_eq!(found.total, 0);
    assert!(found.suggestions.is_empty());
    let effects: Vec<(&str, usize)> = found
        .filter_effects
        .iter()
        .map(|e| (e.flag, e.results_without))
        .collect();
    // Without --phase, redaction-studio (cloud) is left; without --deployment, nothing (no
    // retired entry mentions redaction).
    assert_eq!(effects, [("--phase", 1), ("--deployment", 0)]);

    let found = run(&request(
        "redaction",
        filters(|f| f.phases = strings(&["retired"])),
    ))
    .expect("valid filters");
    let effects: Vec<(&str, usize)> = found
        .filter_effects
        .iter()
        .map(|e| (e.flag, e.results_without))
        .collect();
    assert_eq!(effects, [("--phase", 2)]);

    // When the text matches nothing, filters are not blamed.
    let found = run(&request(
        "dashbrd",
        filters(|f| f.phases = strings(&["retired"])),
    ))
    .expect("valid filters");
    assert!(found.filter_effects.is_empty());
    assert_eq!(found.suggestions["dashbrd"], ["dashboard"]);
}

#[test]
fn partial_when_no_entry_has_every_word() {
    let found = results("redaction ledger");
    assert!(found.partial);
    assert_eq!(
        hit_ids(&found),
        [
            "redaction-studio",
            "aardvark-property-ledger",
            "zebra-property-ledger",
            "evidence-masking-service"
        ]
    );
    assert!(found.suggestions.is_empty());

    // A word that matches nothing does not stop the others from showing.
    let found = results("redaction qqqqzzzz");
    assert!(found.partial);
    assert_eq!(
        hit_ids(&found),
        ["redaction-studio", "evidence-masking-service"]
    );

    // Not partial when some entry has every word.
    let found = results("redaction studio");
    assert!(!found.partial);
    assert_eq!(hit_ids(&found), ["redaction-studio"]);

    // A single word that matches nothing is not partial.
    assert!(!results("qqqqzzzz").partial);

    // Filters apply to partial results too.
    let found = run(&request(
        "redaction ledger",
        filters(|f| f.phases = strings(&["live"])),
    ))
    .expect("valid filters");
    assert!(found.partial);
    assert_eq!(
        hit_ids(&found),
        ["redaction-studio", "aardvark-property-ledger"]
    );
}

// ---------------------------------------------------------------------------------------------
// Explanations
// ---------------------------------------------------------------------------------------------

fn explained(query: &str) -> SearchResults {
    run(&SearchRequest {
        query: query.to_owned(),
        explain: true,
        ..SearchRequest::default()
    })
    .expect("no filters")
}

fn summary(matches: &[WordMatch]) -> Vec<(&str, &str, MatchKind, Vec<&str>)> {
    matches
        .iter()
        .map(|m| {
            (
                m.query.as_str(),
                m.matched.as_str(),
                m.kind,
                m.fields.clone(),
            )
        })
        .collect()
}

#[test]
fn explain_records_match_kinds_and_fields() {
    let found = explained("redaction");
    assert_eq!(
        summary(&found.hits[0].explanation),
        [("redaction", "redaction", MatchKind::Exact, vec!["title"])]
    );
    assert_eq!(
        summary(&found.hits[1].explanation),
        [(
            "redaction",
            "redaction",
            MatchKind::Exact,
            vec!["description"]
        )]
    );

    let found = explained("redact");
    assert_eq!(
        summary(&found.hits[0].explanation),
        [("redact", "redaction", MatchKind::Prefix, vec!["title"])]
    );
    assert_eq!(
        summary(&found.hits[1].explanation),
        [(
            "redact",
            "redaction",
            MatchKind::Prefix,
            vec!["description"]
        )]
    );
    assert_eq!(
        summary(&found.hits[2].explanation),
        [("redact", "react", MatchKind::Typo, vec!["technology"])]
    );

    let found = explained("redcation");
    assert_eq!(
        summary(&found.hits[0].explanation),
        [("redcation", "redaction", MatchKind::Typo, vec!["title"])]
    );

    // Several words, several fields; the score is the sum of the words' scores.
    let found = explained("calls service");
    let hit = &found.hits[0];
    assert_eq!(hit.id, "demand-dashboard");
    assert_eq!(
        summary(&hit.explanation),
        [
            ("calls", "calls", MatchKind::Exact, vec!["summary"]),
            (
                "service",
                "service",
                MatchKind::Exact,
                vec!["summary", "context"]
            )
        ]
    );
    assert_eq!(hit.matched_fields, ["summary", "context"]);
    let sum: f32 = hit.explanation.iter().map(|m| m.score).sum();
    assert!((sum - hit.score).abs() < 1e-5, "{sum} vs {}", hit.score);

    // Without `explain`, no explanation.
    assert!(
        results("redaction")
            .hits
            .iter()
            .all(|h| h.explanation.is_empty())
    );
}

// ---------------------------------------------------------------------------------------------
// Filters against the entries themselves (property test)
// ---------------------------------------------------------------------------------------------

fn phase_name(phase: Phase) -> &'static str {
    match phase {
        Phase::Discovery => "discovery",
        Phase::Alpha => "alpha",
        Phase::Beta => "beta",
        Phase::Live => "live",
        Phase::Retired => "retired",
    }
}

fn deployment_name(deployment: Deployment) -> &'static str {
    match deployment {
        Deployment::Cloud => "cloud",
        Deployment::OnPremises => "on-premises",
        Deployment::Hybrid => "hybrid",
        Deployment::Saas => "saas",
    }
}

fn visibility_name(visibility: Visibility) -> &'static str {
    match visibility {
        Visibility::Policing => "policing",
        Visibility::Public => "public",
    }
}

fn level_of(name: &str) -> SkillLevel {
    match name {
        "awareness" => SkillLevel::Awareness,
        "working" => SkillLevel::Working,
        "practitioner" => SkillLevel::Practitioner,
        "expert" => SkillLevel::Expert,
        other => panic!("not a level: {other}"),
    }
}

/// Whether `entry` passes `filters`, worked out from the entry itself: each filter holds when
/// it is not given or one of its values holds.
fn satisfies(entry: &Entry, filters: &Filters, reference: &Reference) -> bool {
    fn one_of(values: &[String], holds: impl Fn(&str) -> bool) -> bool {
        values.is_empty() || values.iter().any(|v| holds(v))
    }
    let region = &reference
        .force(entry.owner_force.as_str())
        .expect("fixture forces exist")
        .region;
    let level_ok = filters.levels.is_empty() || {
        let most = filters.levels.iter().map(|l| level_of(l)).max();
        entry
            .skills
            .iter()
            .filter(|s| filters.roles.is_empty() || filters.roles.contains(&s.role.0))
            .all(|s| Some(s.level) <= most)
    };
    one_of(&filters.categories, |v| {
        entry.categories.iter().any(|c| c.as_str() == v)
    }) && one_of(&filters.forces, |v| {
        entry.owner_force.as_str() == v || entry.partner_forces.iter().any(|p| p.as_str() == v)
    }) && one_of(&filters.regions, |v| region == v)
        && one_of(&filters.phases, |v| phase_name(entry.phase) == v)
        && one_of(&filters.technologies, |v| {
            entry
                .technology
                .stack
                .iter()
                .any(|item| item.to_lowercase().contains(&v.to_lowercase()))
        })
        && one_of(&filters.deployments, |v| {
            deployment_name(entry.technology.deployment) == v
        })
        && one_of(&filters.roles, |v| {
            entry.skills.iter().any(|s| s.role.as_str() == v)
        })
        && level_ok
        && one_of(&filters.visibilities, |v| {
            visibility_name(entry.visibility) == v
        })
        && one_of(&filters.has_docs, |v| {
            entry
                .documentation
                .iter()
                .any(|d| d.kind.as_str() == v && d.availability != Availability::NotAvailable)
        })
        && one_of(&filters.adopted_by, |v| {
            entry.adopters.iter().any(|a| {
                a.force.as_str() == v
                    && matches!(a.status, AdoptionStatus::Adopted | AdoptionStatus::Piloting)
            })
        })
}

/// Zero, one or two values from `choices` (repeats allowed), mostly none.
fn some_of(choices: &'static [&'static str]) -> impl Strategy<Value = Vec<String>> {
    prop_oneof![
        3 => Just(Vec::new()),
        2 => prop::collection::vec(prop::sample::select(choices), 1..=2)
            .prop_map(|values| values.into_iter().map(str::to_owned).collect()),
    ]
}

fn any_filters() -> impl Strategy<Value = Filters> {
    let first = (
        some_of(&[
            "digital-evidence-forensics",
            "criminal-justice",
            "information-assurance",
            "workforce-wellbeing",
            "automation-productivity",
            "cyber-fraud",
        ]),
        some_of(&["kent", "surrey", "durham", "essex", "west-yorkshire", "pds"]),
        some_of(&[
            "north-west",
            "eastern",
            "national",
            "london",
            "wales",
            "scotland",
            "south-west",
        ]),
        some_of(&["discovery", "alpha", "beta", "live", "retired"]),
        some_of(&["python", "Power", "UIPATH", "sql", "net", "Power BI"]),
        some_of(&["cloud", "on-premises", "hybrid", "saas"]),
    );
    let second = (
        some_of(&[
            "data",
            "software-development",
            "it-operations",
            "product-and-delivery",
            "architecture",
        ]),
        some_of(&["awareness", "working", "practitioner", "expert"]),
        some_of(&["policing", "public"]),
        some_of(&["dpia", "irar", "source-code", "training", "requirements"]),
        some_of(&["essex", "durham", "cheshire", "kent"]),
    );
    (first, second).prop_map(
        |(
            (categories, forces, regions, phases, technologies, deployments),
            (roles, levels, visibilities, has_docs, adopted_by),
        )| Filters {
            categories,
            forces,
            regions,
            phases,
            technologies,
            deployments,
            roles,
            levels,
            visibilities,
            has_docs,
            adopted_by,
        },
    )
}

/// `cases` cases, without writing regression files next to the tests.
fn quiet_config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(quiet_config(512))]

    #[test]
    fn filters_keep_exactly_the_entries_that_satisfy_them(
        filters in any_filters(),
        query in prop::sample::select(&[
            "", "redaction", "redcation", "property", "case file", "\"case file\"", "planner",
            "python", "the", "redaction ledger",
        ][..]),
    ) {
        let fixture = fixture();
        let found = run(&request(query, filters.clone())).expect("valid filter values");
        for hit in &found.hits {
            let entry = fixture
                .entries
                .iter()
                .find(|e| e.id.as_str() == hit.id)
                .expect("hits are fixture entries");
            prop_assert!(
                satisfies(entry, &filters, &fixture.reference),
                "{} does not satisfy {:?}",
                hit.id,
                filters
            );
        }
        prop_assert_eq!(found.total, found.hits.len());
        if query.is_empty() {
            let expected: BTreeSet<&str> = fixture
                .entries
                .iter()
                .filter(|e| satisfies(e, &filters, &fixture.reference))
                .map(|e| e.id.as_str())
                .collect();
            let listed: BTreeSet<&str> = hit_ids(&found).into_iter().collect();
            prop_assert_eq!(listed, expected);
        } else {
            // Filters only remove: the ranked results are the unfiltered ones that satisfy
            // the filters, in the same order.
            let unfiltered = results(query);
            let expected: Vec<&str> = unfiltered
                .hits
                .iter()
                .filter(|h| {
                    fixture
                        .entries
                        .iter()
                        .any(|e| e.id.as_str() == h.id && satisfies(e, &filters, &fixture.reference))
                })
                .map(|h| h.id.as_str())
                .collect();
            prop_assert_eq!(hit_ids(&found), expected);
            for effect in &found.filter_effects {
                prop_assert!(effect.results_without <= unfiltered.total);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The cache
// ---------------------------------------------------------------------------------------------

#[test]
fn cache_is_written_then_read() {
    let (dir, reference, names) = temporary_copy();
    let root = dir.path();
    let first = load_index(root, &names).expect("loads");
    assert_eq!(first.source, IndexSource::Built);
    assert_eq!(
        first.cache_path.as_deref(),
        Some(cache_path(root).as_path())
    );
    assert!(cache_path(root).is_file());
    let second = load_index(root, &names).expect("loads");
    assert_eq!(second.source, IndexSource::Cache);
    assert_eq!(
        search_loaded(&second, &reference, "redaction"),
        ["redaction-studio", "evidence-masking-service"]
    );
    assert_eq!(
        search_loaded(&first, &reference, "case file"),
        search_loaded(&second, &reference, "case file")
    );
}

#[test]
fn editing_an_entry_rebuilds_the_cache() {
    let (dir, reference, names) = temporary_copy();
    let root = dir.path();
    load_index(root, &names).expect("loads");
    assert_eq!(
        load_index(root, &names).expect("loads").source,
        IndexSource::Cache
    );

    let file = root.join("catalogue/metropolitan/demand-dashboard.yaml");
    let text = fs::read_to_string(&file).expect("read entry");
    let edited = text.replace("title: Demand Dashboard", "title: Demand Heatmap Dashboard");
    assert_ne!(text, edited);
    fs::write(&file, edited).expect("rewrite entry");

    let after = load_index(root, &names).expect("loads");
    assert_eq!(after.source, IndexSource::Built);
    assert_eq!(
        search_loaded(&after, &reference, "heatmap"),
        ["demand-dashboard"]
    );
    let again = load_index(root, &names).expect("loads");
    assert_eq!(again.source, IndexSource::Cache);
    assert_eq!(
        search_loaded(&again, &reference, "heatmap"),
        ["demand-dashboard"]
    );
}

#[test]
fn adding_removing_and_breaking_files_rebuilds_the_cache() {
    let (dir, reference, names) = temporary_copy();
    let root = dir.path();
    load_index(root, &names).expect("loads");

    fs::remove_file(root.join("catalogue/west-yorkshire/redaction-studio.yaml"))
        .expect("remove entry");
    let after = load_index(root, &names).expect("loads");
    assert_eq!(after.source, IndexSource::Built);
    assert_eq!(
        search_loaded(&after, &reference, "redaction"),
        ["evidence-masking-service"]
    );

    fs::write(root.join("catalogue/kent/broken.yaml"), "id: [unclosed\n").expect("write");
    let after = load_index(root, &names).expect("loads");
    assert_eq!(after.source, IndexSource::Built);
    assert_eq!(after.view().skipped(), ["catalogue/kent/broken.yaml"]);
    let found = search(
        &after.view(),
        &reference,
        &request("redaction", Filters::default()),
    )
    .expect("no filters");
    assert_eq!(found.skipped, 1);
    assert_eq!(hit_ids(&found), ["evidence-masking-service"]);
    assert_eq!(
        load_index(root, &names).expect("loads").source,
        IndexSource::Cache
    );
}

#[test]
fn truncated_or_garbage_caches_are_rebuilt_silently() {
    let (dir, reference, names) = temporary_copy();
    let root = dir.path();
    load_index(root, &names).expect("loads");
    let cache = cache_path(root);
    let valid = fs::read(&cache).expect("cache written");

    // A pseudo-random byte stream (a fixed linear congruential generator).
    let mut state: u32 = 0x1234_5678;
    let garbage: Vec<u8> = (0..valid.len())
        .map(|_| {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            state.to_be_bytes()[0]
        })
        .collect();
    let mut magic_then_garbage = valid[..8].to_vec();
    magic_then_garbage.extend_from_slice(&garbage);

    let damaged: [(&str, Vec<u8>); 6] = [
        ("truncated to half", valid[..valid.len() / 2].to_vec()),
        ("last byte missing", valid[..valid.len() - 1].to_vec()),
        ("empty", Vec::new()),
        ("garbage", garbage.clone()),
        ("magic then garbage", magic_then_garbage),
        ("zeros", vec![0; valid.len()]),
    ];
    for (what, bytes) in damaged {
        fs::write(&cache, &bytes).expect("damage cache");
        let loaded = load_index(root, &names).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(loaded.source, IndexSource::Built, "{what}");
        assert_eq!(
            search_loaded(&loaded, &reference, "redaction"),
            ["redaction-studio", "evidence-masking-service"],
            "{what}"
        );
        assert_eq!(
            load_index(root, &names).expect("loads").source,
            IndexSource::Cache,
            "{what}"
        );
    }
}

/// The cache folder comes from `nsi.toml`, read when the catalogue is opened: a broken one is
/// an error, never a reason to build an index in the default folder.
#[test]
fn a_broken_nsi_toml_stops_the_catalogue_before_any_index() {
    let (dir, _, _) = temporary_copy();
    let root = dir.path();
    fs::write(root.join("nsi.toml"), "cache_dir = [\"a\", \"list\"]\n").expect("write");
    match Catalogue::open(Some(root), root, |_| None) {
        Err(error) => assert!(error.to_string().contains("nsi.toml:1:"), "{error}"),
        Ok(_) => panic!("expected the configuration error"),
    }
    assert!(
        !cache_path(root).exists(),
        "nothing built in the default folder"
    );
}

/// A cache whose header and checksum hold but whose payload does not decode (written by no
/// build of nsi: the checksum is no signature) is built again when viewed, and saved over,
/// rather than searched as an empty index until some entry file changes.
#[test]
fn a_cache_that_passes_its_checksum_but_does_not_decode_is_rebuilt() {
    let (dir, reference, names) = temporary_copy();
    let root = dir.path();
    load_index(root, &names).expect("loads");
    let cache = cache_path(root);
    let valid = fs::read(&cache).expect("cache written");
    // magic (8) | fingerprint (8) | checksum (8) | payload: the same header, a payload that
    // is not an index, and its true checksum.
    let payload = vec![0xFF_u8; 64];
    let mut forged = valid[..16].to_vec();
    forged.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(&payload).to_le_bytes());
    forged.extend_from_slice(&payload);
    fs::write(&cache, &forged).expect("forge cache");

    let loaded = load_index(root, &names).expect("loads");
    assert_eq!(
        loaded.source,
        IndexSource::Cache,
        "it passes every check but decoding"
    );
    assert_eq!(
        search_loaded(&loaded, &reference, "redaction"),
        ["redaction-studio", "evidence-masking-service"]
    );
    assert!(loaded.was_rebuilt());
    assert_ne!(fs::read(&cache).expect("read"), forged, "saved over");
    let again = load_index(root, &names).expect("loads");
    assert_eq!(again.source, IndexSource::Cache);
    assert_eq!(
        search_loaded(&again, &reference, "redaction"),
        ["redaction-studio", "evidence-masking-service"]
    );
    assert!(!again.was_rebuilt());
}

#[test]
fn concurrent_loads_agree_and_leave_a_valid_cache() {
    let (dir, reference, names) = temporary_copy();
    let root = dir.path();
    for round in 0..8 {
        let _ = fs::remove_file(cache_path(root));
        let barrier = Barrier::new(2);
        let found: Vec<(Vec<String>, Vec<String>)> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..2)
                .map(|_| {
                    scope.spawn(|| {
                        barrier.wait();
                        let loaded = load_index(root, &names).expect("loads");
                        (
                            search_loaded(&loaded, &reference, "redaction"),
                            search_loaded(&loaded, &reference, "\"case file\""),
                        )
                    })
                })
                .collect();
            workers
                .into_iter()
                .map(|w| w.join().expect("no panic"))
                .collect()
        });
        for (redaction, case_file) in &found {
            assert_eq!(
                redaction,
                &["redaction-studio", "evidence-masking-service"],
                "round {round}"
            );
            assert_eq!(case_file, &["case-file-builder"], "round {round}");
        }
        let after = load_index(root, &names).expect("loads");
        assert_eq!(after.source, IndexSource::Cache, "round {round}");
        assert_eq!(
            search_loaded(&after, &reference, "redaction"),
            ["redaction-studio", "evidence-masking-service"]
        );
    }
    // No temporary files are left beside the cache.
    let folder = cache_path(root)
        .parent()
        .expect("cache folder")
        .to_path_buf();
    let left: Vec<String> = fs::read_dir(folder)
        .expect("cache folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// Damaging a cache anywhere never makes loading or searching panic, and a rebuilt index gives
/// the right answers.
#[test]
fn damaged_caches_never_panic() {
    let (dir, reference, names) = temporary_copy();
    let root = dir.path();
    load_index(root, &names).expect("loads");
    let valid = fs::read(cache_path(root)).expect("cache written");
    let damage = prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8);
    let mut runner = proptest::test_runner::TestRunner::new(quiet_config(96));
    runner
        .run(&damage, |damage| {
            let mut bytes = valid.clone();
            for (at, value) in &damage {
                let at = at.index(bytes.len());
                bytes[at] = *value;
            }
            fs::write(cache_path(root), &bytes).expect("damage cache");
            let loaded = load_index(root, &names).expect("loads");
            for query in ["redaction", "\"case file\"", "ledg", "redcation", ""] {
                let found = search(
                    &loaded.view(),
                    &reference,
                    &request(query, Filters::default()),
                )
                .expect("no filters");
                if loaded.source == IndexSource::Built {
                    prop_assert!(!found.hits.is_empty(), "{}", query);
                }
            }
            if loaded.source == IndexSource::Built {
                prop_assert_eq!(
                    search_loaded(&loaded, &reference, "redaction"),
                    ["redaction-studio", "evidence-masking-service"]
                );
            }
            Ok(())
        })
        .expect("no damaged cache breaks a search");
}

// ---------------------------------------------------------------------------------------------
// Behaviour found wrong or surprising (ignored until fixed)
// ---------------------------------------------------------------------------------------------

/// Every file the cache folder holds after a build, for damaging one at a time.
fn cache_files(root: &Path) -> Vec<PathBuf> {
    let folder = cache_path(root)
        .parent()
        .expect("cache folder")
        .to_path_buf();
    let mut files: Vec<PathBuf> = fs::read_dir(folder)
        .expect("cache folder")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    files
}

#[test]
fn every_damaged_cache_file_is_repaired() {
    let (dir, reference, names) = temporary_copy();
    let root = dir.path();
    load_index(root, &names).expect("loads");
    let files = cache_files(root);
    assert!(files.contains(&cache_path(root)), "{files:?}");
    for file in &files {
        let valid = fs::read(file).expect("cache file");
        let damaged: [(&str, Option<Vec<u8>>); 3] = [
            ("removed", None),
            ("truncated", Some(valid[..valid.len() / 2].to_vec())),
            ("zeroed", Some(vec![0; valid.len()])),
        ];
        for (what, bytes) in damaged {
            match bytes {
                None => fs::remove_file(file).expect("remove cache file"),
                Some(bytes) => fs::write(file, bytes).expect("damage cache file"),
            }
            let loaded = load_index(root, &names).expect("loads");
            let context = format!("{} {what}, source {:?}", file.display(), loaded.source);
            assert_eq!(
                search_loaded(&loaded, &reference, "\"case file\""),
                ["case-file-builder"],
                "{context}"
            );
            assert_eq!(
                search_loaded(&loaded, &reference, "redaction"),
                ["redaction-studio", "evidence-masking-service"],
                "{context}"
            );
            // Put the cache right again before damaging the next file.
            let _ = fs::remove_file(cache_path(root));
            load_index(root, &names).expect("loads");
        }
    }
}

#[test]
fn loaded_index_keeps_its_phrases_after_a_rebuild() {
    let (dir, reference, names) = temporary_copy();
    let root = dir.path();
    load_index(root, &names).expect("loads");
    let old = load_index(root, &names).expect("loads");
    assert_eq!(old.source, IndexSource::Cache);

    // Another command edits an entry and rebuilds the cache while `old` is still in use.
    let file = root.join("catalogue/metropolitan/demand-dashboard.yaml");
    let text = fs::read_to_string(&file).expect("read entry");
    fs::write(
        &file,
        text.replace("Demand Dashboard", "Demand Heatmap Dashboard"),
    )
    .expect("rewrite entry");
    assert_eq!(
        load_index(root, &names).expect("loads").source,
        IndexSource::Built
    );

    assert_eq!(
        search_loaded(&old, &reference, "\"case file\""),
        ["case-file-builder"]
    );
}

#[test]
fn quoted_single_word_matches_as_written() {
    // The CLI help says "quoted phrases must match as written"; the index has no word "redact".
    assert!(
        ids("\"redact\"").is_empty(),
        "found {:?}",
        ids("\"redact\"")
    );
}

#[test]
fn phrases_do_not_span_separate_items() {
    // redaction-studio's stack is [Python, Azure Functions] and its tags are [privacy, video]:
    // neither holds "python azure" or "privacy video" as written.
    assert!(
        ids("\"python azure\"").is_empty(),
        "{:?}",
        ids("\"python azure\"")
    );
    assert!(
        ids("\"privacy video\"").is_empty(),
        "{:?}",
        ids("\"privacy video\"")
    );
    // The context field runs the force name into the rationale: "West Yorkshire Police" +
    // "Every force must ...".
    assert!(
        ids("\"police every\"").is_empty(),
        "{:?}",
        ids("\"police every\"")
    );
}

/// A catalogue of entries titled `<stem> <n>`, one per title, and the order `query` gives.
fn order_of_titles(titles: &[(&str, &str)], query: &str) -> Vec<String> {
    let dir = tempfile::tempdir().expect("temporary folder");
    let forces = ["kent", "surrey", "durham", "essex", "dorset", "cheshire"];
    for ((id, title), force) in titles.iter().zip(forces) {
        write_entry(
            dir.path(),
            force,
            id,
            title,
            "A summary that mentions nothing in particular at all.",
        );
    }
    let found = search_temporary(dir.path(), query);
    found.hits.into_iter().map(|h| h.id).collect()
}

#[test]
fn exact_matches_outrank_prefix_matches_in_the_same_field() {
    // Four titles hold "report" itself, one holds "reports"; the titles are the same length.
    let order = order_of_titles(
        &[
            ("incident-report-a", "Incident Report Tool 1"),
            ("incident-report-b", "Incident Report Tool 2"),
            ("incident-report-c", "Incident Report Tool 3"),
            ("incident-report-d", "Incident Report Tool 4"),
            ("incident-reports", "Incident Reports Tool 5"),
        ],
        "report",
    );
    assert_eq!(
        order.last().map(String::as_str),
        Some("incident-reports"),
        "{order:?}"
    );
}

#[test]
fn exact_matches_outrank_typo_matches_in_the_same_field() {
    // Three titles hold "notes" itself, one holds "note" (one letter off).
    let order = order_of_titles(
        &[
            ("custody-notes-a", "Custody Notes 1"),
            ("custody-notes-b", "Custody Notes 2"),
            ("custody-notes-c", "Custody Notes 3"),
            ("custody-note", "Custody Note 4"),
        ],
        "notes",
    );
    assert_eq!(
        order.last().map(String::as_str),
        Some("custody-note"),
        "{order:?}"
    );
}

#[test]
fn filter_values_differing_only_in_case_are_accepted_or_suggested() {
    match run(&request("", filters(|f| f.phases = strings(&["LIVE"])))) {
        Ok(found) => assert_eq!(found.total, 4),
        Err(error) => assert_eq!(error.suggestion.as_deref(), Some("live")),
    }
}

#[test]
fn empty_query_reports_filter_effects() {
    let found = run(&request(
        "",
        filters(|f| {
            f.phases = strings(&["retired"]);
            f.deployments = strings(&["cloud"]);
        }),
    ))
    .expect("valid filters");
    assert!(found.hits.is_empty());
    let effects: Vec<(&str, usize)> = found
        .filter_effects
        .iter()
        .map(|e| (e.flag, e.results_without))
        .collect();
    // Without --phase: the three cloud entries; without --deployment: the one retired entry.
    assert_eq!(effects, [("--phase", 3), ("--deployment", 1)]);
}

#[test]
fn cache_corrupted_inside_its_payload_is_rebuilt() {
    let (dir, reference, names) = temporary_copy();
    let root = dir.path();
    load_index(root, &names).expect("loads");
    let cache = cache_path(root);
    let mut bytes = fs::read(&cache).expect("cache written");
    let at = bytes
        .windows(16)
        .position(|w| w == b"Redaction Studio")
        .expect("the title is stored in the cache");
    bytes[at + 4] = b'x';
    fs::write(&cache, &bytes).expect("corrupt cache");

    let loaded = load_index(root, &names).expect("loads");
    let found = search(
        &loaded.view(),
        &reference,
        &request("studio", Filters::default()),
    )
    .expect("no filters");
    assert_eq!(found.hits[0].title, "Redaction Studio");
    assert_eq!(loaded.source, IndexSource::Built);
}

#[test]
fn cache_depends_on_the_searchable_names() {
    let (dir, reference, names) = temporary_copy();
    let root = dir.path();
    // Built without force or category names ...
    load_index(root, &SearchableNames::default()).expect("loads");
    // ... then loaded with them: the names should be searchable.
    let loaded = load_index(root, &names).expect("loads");
    assert_eq!(
        search_loaded(&loaded, &reference, "yorkshire"),
        ["redaction-studio"],
        "source {:?}",
        loaded.source
    );
}

#[test]
fn empty_technology_value_is_rejected() {
    let outcome = run(&request(
        "",
        filters(|f| f.technologies = vec![String::new()]),
    ));
    assert!(
        outcome.is_err(),
        "listed {:?}",
        outcome.map(|r| r.total).unwrap_or_default()
    );
}

// ---------------------------------------------------------------------------------------------
// Searching without a cache
// ---------------------------------------------------------------------------------------------

/// Queries of every kind built from an index's own words: each sampled word as it is, its
/// start, with a letter dropped, swapped, replaced and added; pairs of words; phrases; and the
/// words of force and category names (indexed, though files hold only slugs).
fn queries_for(view: &nsi::catalogue::search::IndexView<'_>, reference: &Reference) -> Vec<String> {
    let mut queries = Vec::new();
    let step = (view.terms().len() / 40).max(1);
    let sampled: Vec<&str> = view.terms().iter().step_by(step).copied().collect();
    for (i, word) in sampled.iter().enumerate() {
        let chars: Vec<char> = word.chars().collect();
        let edited = |edit: &dyn Fn(&mut Vec<char>)| {
            let mut chars = chars.clone();
            edit(&mut chars);
            chars.into_iter().collect::<String>()
        };
        queries.push((*word).to_owned());
        if chars.len() >= 4 {
            let middle = chars.len() / 2;
            queries.push(chars[..chars.len() - 2].iter().collect());
            queries.push(edited(&|c| {
                c.remove(middle);
            }));
            queries.push(edited(&|c| c.swap(middle - 1, middle)));
            queries.push(edited(&|c| c[middle] = 'x'));
            queries.push(edited(&|c| c.insert(middle, 'q')));
        }
        if let Some(next) = sampled.get(i + 7) {
            queries.push(format!("{word} {next}"));
            queries.push(format!("\"{word} {next}\""));
        }
    }
    for entry in view.entries() {
        queries.push(format!("\"{}\"", entry.title));
    }
    let names = reference.forces.iter().map(|f| &f.name);
    for name in names
        .chain(reference.categories.iter().map(|c| &c.name))
        .step_by(5)
    {
        queries.extend(name.split_whitespace().map(str::to_owned));
    }
    queries.push("zzqqxj".to_owned());
    queries
}

/// A copy of the fixture catalogue with words spelled with escapes and in accented capitals,
/// and two files that cannot be read as entries, one of which may match "redaction".
fn fixture_for_scans() -> tempfile::TempDir {
    let (fixture_copy, _, _) = temporary_copy();
    let cafe = fs::read_to_string(
        fixture_copy
            .path()
            .join("catalogue/south-wales/community-cafe-outreach.yaml"),
    )
    .expect("fixture entry");
    // Words spelled with escapes, and in accented capitals.
    fs::write(
        fixture_copy
            .path()
            .join("catalogue/south-wales/escaped-referral-desk.yaml"),
        cafe.replace("id: community-cafe-outreach", "id: escaped-referral-desk")
            .replace(
                "title: Community Café Outreach Planner",
                "title: \"Bilingual \\u0052eferral Desk \\u00c9CLAIR\"",
            ),
    )
    .expect("write entry");
    // Two files that cannot be read as entries, one of which may match "redaction".
    for (name, text) in [
        ("broken-redaction", "title: [redaction\n"),
        ("broken-other", "title: [qqq\n"),
    ] {
        fs::write(
            fixture_copy
                .path()
                .join(format!("catalogue/kent/{name}.yaml")),
            text,
        )
        .expect("write broken file");
    }
    fixture_copy
}

/// Without a current cache, a search reads every file but parses only those that may hold a
/// word the query matches (or, when most may, builds and saves the whole index). For every
/// kind of query its answer (order, scores, explanations,
/// counts) is the one the whole index gives; where it suggests words, the command asks the
/// whole index instead, so only the hits are compared there.
#[test]
fn a_search_without_a_cache_answers_as_the_whole_index_does() {
    let fixture_copy = fixture_for_scans();
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR"));
    let nowhere = tempfile::tempdir().expect("temp dir");
    for root in [fixture_copy.path(), shipped] {
        let reference = Reference::for_root(root).expect("reference lists");
        let names = SearchableNames::from(&reference);
        let files = discover(root).expect("catalogue").files;
        let whole = build_uncached(&files, &names);
        let view = whole.view();
        let queries = queries_for(&view, &reference);
        assert!(queries.len() > 100, "{}", queries.len());
        let mut parsed_fewer = 0;
        for (i, query) in queries.iter().enumerate() {
            let mut request = SearchRequest {
                query: query.clone(),
                explain: true,
                ..SearchRequest::default()
            };
            if i % 11 == 0 {
                request.filters.phases = strings(&["live", "beta"]);
            }
            let scanned =
                load_or_scan(root, &names, nowhere.path(), &Query::parse(query)).expect("scans");
            match scanned.source {
                IndexSource::Scanned { parsed, files: all } => {
                    assert_eq!(all, files.len());
                    // The contract: a scan parses at most half the files (more, and the whole
                    // index is built and saved instead).
                    assert!(parsed * 2 <= all, "{query:?}: {parsed} of {all} parsed");
                    assert!(
                        !cache_file(nowhere.path()).exists(),
                        "{query:?}: a scan writes no cache"
                    );
                    parsed_fewer += 1;
                }
                // Most files may match: the whole index was built, and saved.
                IndexSource::Built => {
                    assert!(scanned.cache_path.is_some(), "{query:?}");
                    fs::remove_dir_all(nowhere.path()).expect("remove the cache");
                }
                IndexSource::Cache => panic!("{query:?}: no cache was there to read"),
            }
            let expected = search(&view, &reference, &request).expect("valid filters");
            let found = search(&scanned.view(), &reference, &request).expect("valid filters");
            // Unreadable files are counted only among those parsed (see `load_or_scan`).
            let json = |results: &SearchResults| {
                let mut value = serde_json::to_value(results).expect("json");
                value["skipped"] = serde_json::Value::Null;
                value
            };
            if found.suggestions.is_empty() {
                assert_eq!(json(&found), json(&expected), "{query:?}");
            } else {
                assert_eq!(found.hits, expected.hits, "{query:?}");
            }
        }
        assert!(
            parsed_fewer * 2 > queries.len(),
            "most queries parse only some files: {parsed_fewer} of {}",
            queries.len()
        );
    }
}

/// A search without a cache counts, of the unreadable files, those that may match; and finds
/// words spelled with escapes or accents, through their files being kept.
#[test]
fn a_search_without_a_cache_keeps_escaped_text_and_counts_what_may_match() {
    let fixture_copy = fixture_for_scans();
    let nowhere = tempfile::tempdir().expect("temp dir");
    let reference = Reference::for_root(fixture_copy.path()).expect("reference lists");
    // Of the unreadable files, a scan counts those that may match.
    let names = SearchableNames::from(&reference);
    let files = discover(fixture_copy.path()).expect("catalogue").files;
    let scanned = load_or_scan(
        fixture_copy.path(),
        &names,
        nowhere.path(),
        &Query::parse("redaction"),
    )
    .expect("scans");
    assert!(matches!(scanned.source, IndexSource::Scanned { .. }));
    assert_eq!(
        scanned.view().skipped(),
        ["catalogue/kent/broken-redaction.yaml"]
    );
    assert_eq!(build_uncached(&files, &names).view().skipped().len(), 2);
    // The escaped and accented words are found, through their files being kept.
    for query in ["referral", "eclair"] {
        let scanned = load_or_scan(
            fixture_copy.path(),
            &SearchableNames::from(&reference),
            nowhere.path(),
            &Query::parse(query),
        )
        .expect("scans");
        assert_eq!(
            search_loaded(&scanned, &reference, query),
            ["escaped-referral-desk"]
        );
    }
}
