//! Query text and filter values → `nsi search`'s parser, filters and ranking, over a small fixed
//! index built from `tests/fixtures/search`.
//!
//! The first line of the input is the query; each further line is a filter value, the filter
//! chosen by its first byte (or `--limit` / `--explain`). Checks: at most `limit` hits, no more
//! hits than `total`, no hit twice, finite scores, and every hit in the phase and category the
//! filters ask for.

#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use nsi::catalogue::load;
use nsi::catalogue::reference::Reference;
use nsi::catalogue::search::build_uncached;
use nsi::catalogue::search::{
    Filters, IndexView, LoadedIndex, SearchRequest, SearchableNames, search,
};

struct Fixture {
    reference: Reference,
    index: LoadedIndex,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/search");
        let reference = Reference::for_root(&root).expect("reference lists");
        let files = load::discover(&root).expect("the search fixtures").files;
        assert!(!files.is_empty(), "no fixtures under {}", root.display());
        let index = build_uncached(&files, &SearchableNames::from(&reference));
        Fixture { reference, index }
    })
}

fn request(text: &str) -> SearchRequest {
    let mut lines = text.split('\n');
    let mut request = SearchRequest {
        query: lines.next().unwrap_or_default().to_owned(),
        ..SearchRequest::default()
    };
    let filters: &mut Filters = &mut request.filters;
    for line in lines {
        let mut chars = line.chars();
        let Some(selector) = chars.next() else {
            continue;
        };
        let value = chars.as_str().to_owned();
        match u32::from(selector) % 13 {
            0 => filters.categories.push(value),
            1 => filters.forces.push(value),
            2 => filters.regions.push(value),
            3 => filters.phases.push(value),
            4 => filters.technologies.push(value),
            5 => filters.deployments.push(value),
            6 => filters.roles.push(value),
            7 => filters.levels.push(value),
            8 => filters.visibilities.push(value),
            9 => filters.has_docs.push(value),
            10 => filters.adopted_by.push(value),
            11 => request.limit = value.trim().parse().ok(),
            _ => request.explain = true,
        }
    }
    request
}

fuzz_target!(|bytes: &[u8]| {
    let text = String::from_utf8_lossy(bytes);
    let fixture = fixture();
    let view: IndexView<'_> = fixture.index.view();
    let request = request(&text);
    let Ok(results) = search(&view, &fixture.reference, &request) else {
        return;
    };
    assert!(results.hits.len() <= results.total);
    if let Some(limit) = request.limit {
        assert!(results.hits.len() <= limit);
    }
    let mut ids: Vec<&str> = results.hits.iter().map(|h| h.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), results.hits.len(), "a hit is listed twice");
    for hit in &results.hits {
        assert!(hit.score.is_finite(), "{}: score {}", hit.id, hit.score);
        let phases: Vec<String> = request
            .filters
            .phases
            .iter()
            .map(|p| p.trim().to_lowercase())
            .collect();
        assert!(
            phases.is_empty() || phases.contains(&hit.phase),
            "{} is {}",
            hit.id,
            hit.phase
        );
        let categories: Vec<String> = request
            .filters
            .categories
            .iter()
            .map(|c| c.trim().to_lowercase())
            .collect();
        assert!(
            categories.is_empty() || hit.categories.iter().any(|c| categories.contains(c)),
            "{} is in {:?}",
            hit.id,
            hit.categories
        );
    }
});
