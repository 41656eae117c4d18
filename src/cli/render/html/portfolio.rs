//! The pages for the people who steer: where forces built the same thing (`overlaps.html`),
//! which categories each region covers (`coverage.html`), and one page per category
//! (`categories/<slug>.html`) with its solutions, forces, overlaps and adopters — the
//! portfolio lead's page — each category and each entry with an Atom feed of its changes.
//!
//! Every table reads without colour: numbers are text, headers are `<th scope>`, an empty
//! cell says "none" to a screen reader; colour only shades the coverage cells as an extra.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::escape::escape;
use super::{Names, SiteInput, adoption_label, layout, phase_label};
use crate::catalogue::entry::Entry;
use crate::catalogue::overlaps::{OVERLAP, Overlap};
use crate::catalogue::stats::CoverageCell;

/// The page of the entry with `id`, relative to the site's folder, when it is in the export.
fn entry_href(pages: &BTreeMap<&str, &str>, id: &str, root: &str) -> Option<String> {
    pages.get(id).map(|page| format!("{root}entries/{page}"))
}

fn entry_link(pages: &BTreeMap<&str, &str>, id: &str, title: &str, root: &str) -> String {
    match entry_href(pages, id, root) {
        Some(href) => format!("<a href=\"{}\">{}</a>", escape(&href), escape(title)),
        None => escape(title),
    }
}

/// `overlaps.html`.
pub fn overlaps_page(input: &SiteInput<'_>, names: &Names, pages: &BTreeMap<&str, &str>) -> String {
    let overlaps = input.portfolio.overlaps;
    let mut body = format!(
        "<h1>Where forces built the same thing</h1>\n\
         <p class=\"lede\">Solutions owned by different forces that look like the same \
         solution: their titles, summaries, problems and technology cover each other \
         at {OVERLAP:.2} or more (on a scale where 1 is a copy), and solutions linked so are \
         grouped. Each group suggests a lead: the most mature solution, then the best \
         documented, then the most adopted.</p>\n"
    );
    if overlaps.is_empty() {
        body.push_str("<p>No overlaps: no two forces' solutions look like the same one.</p>\n");
    }
    for (n, overlap) in overlaps.iter().enumerate() {
        overlap_section(&mut body, names, pages, n + 1, overlap, "");
    }
    layout(
        input,
        "Where forces built the same thing",
        "",
        &body,
        false,
        None,
    )
}

fn overlap_section(
    out: &mut String,
    names: &Names,
    pages: &BTreeMap<&str, &str>,
    n: usize,
    overlap: &Overlap,
    root: &str,
) {
    let lead = overlap
        .entries
        .iter()
        .find(|e| e.id == overlap.lead)
        .map_or(overlap.lead.as_str(), |e| e.title.as_str());
    let forces: Vec<&str> = overlap.forces.iter().map(|f| names.force(f)).collect();
    let _ = write!(
        out,
        "<section class=\"overlap\" id=\"overlap-{n}\" aria-labelledby=\"overlap-{n}-heading\">\n\
         <h2 id=\"overlap-{n}-heading\">{n}. {lead} and {others} more</h2>\n\
         <p>{count} forces: {forces}. Suggested lead: {lead_link} ({because}).</p>\n\
         <table>\n<caption class=\"visually-hidden\">The solutions of overlap {n}</caption>\n\
         <thead><tr><th scope=\"col\">Solution</th><th scope=\"col\">Force</th>\
         <th scope=\"col\">Region</th><th scope=\"col\">Phase</th><th scope=\"col\">Adopters</th>\
         <th scope=\"col\">Documents on offer</th></tr></thead>\n<tbody>\n",
        lead = escape(lead),
        others = overlap.entries.len() - 1,
        count = overlap.forces.len(),
        forces = escape(&forces.join(", ")),
        lead_link = entry_link(pages, &overlap.lead, lead, root),
        because = escape(&overlap.lead_because),
    );
    for entry in &overlap.entries {
        let adopters: Vec<String> = entry
            .adopters
            .iter()
            .map(|(force, status)| format!("{} ({})", names.force(force), adoption_label(*status)))
            .collect();
        let documents: Vec<&str> = entry.documents.iter().map(|d| names.document(d)).collect();
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            entry_link(pages, &entry.id, &entry.title, root),
            escape(names.force(&entry.owner_force)),
            escape(names.region(&entry.region)),
            phase_label(entry.phase),
            escape(&none_if_empty(&adopters.join(", "))),
            escape(&none_if_empty(&documents.join(", "))),
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn none_if_empty(text: &str) -> String {
    if text.is_empty() {
        "None".to_owned()
    } else {
        text.to_owned()
    }
}

/// A coverage cell: its count as text (a screen reader hears "none" for an empty one), shaded
/// by how many forces have solutions there.
fn coverage_cell(cell: &CoverageCell, label: &str) -> String {
    if cell.entries == 0 {
        return format!(
            "<td class=\"none\"><span aria-hidden=\"true\">·</span>\
             <span class=\"visually-hidden\">none in {}</span></td>",
            escape(label)
        );
    }
    let shade = cell.forces.min(4);
    let phases: Vec<String> = cell
        .phases
        .iter()
        .map(|(phase, n)| format!("{phase} {n}"))
        .collect();
    format!(
        "<td class=\"shade-{shade}\" title=\"{title}\">{entries}<span class=\"visually-hidden\"> \
         in {label}: {forces} {force_word}; {phases}</span></td>",
        title = escape(&phases.join(", ")),
        entries = cell.entries,
        label = escape(label),
        forces = cell.forces,
        force_word = if cell.forces == 1 { "force" } else { "forces" },
        phases = escape(&phases.join(", ")),
    )
}

/// `coverage.html`: categories by region.
pub fn coverage_page(input: &SiteInput<'_>, names: &Names) -> String {
    let coverage = input.portfolio.coverage;
    let mut body = String::from(
        "<h1>Solutions by category and region</h1>\n\
         <p class=\"lede\">How many solutions the forces of each policing region have in each \
         category aligned with national objectives: where many forces have built something, \
         and where nobody has yet. A cell counts the solutions owned by the region's forces; \
         shading grows with the number of forces.</p>\n\
         <div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-labelledby=\"coverage-caption\">\
         <table class=\"coverage\">\n\
         <caption id=\"coverage-caption\">Solutions by category (rows) and region (columns)\
         </caption>\n<thead><tr>\
         <th scope=\"col\">Category</th>",
    );
    for region in &coverage.regions {
        let _ = write!(
            body,
            "<th scope=\"col\">{}</th>",
            escape(names.region(region))
        );
    }
    body.push_str("<th scope=\"col\">All regions</th></tr></thead>\n<tbody>\n");
    for row in &coverage.rows {
        let category = names.category(&row.category);
        let _ = write!(
            body,
            "<tr><th scope=\"row\"><a href=\"categories/{}.html\">{}</a></th>",
            escape(&row.category),
            escape(category)
        );
        for (cell, region) in row.cells.iter().zip(&coverage.regions) {
            body.push_str(&coverage_cell(
                cell,
                &format!("{category}, {}", names.region(region)),
            ));
        }
        body.push_str(&coverage_cell(
            &row.total,
            &format!("{category}, all regions"),
        ));
        body.push_str("</tr>\n");
    }
    body.push_str("</tbody>\n</table></div>\n");
    let empty: Vec<&str> = coverage
        .empty_categories()
        .into_iter()
        .map(|c| names.category(c))
        .collect();
    if empty.is_empty() {
        body.push_str("<p>Every category has at least one solution.</p>\n");
    } else {
        let _ = writeln!(
            body,
            "<p>No solution anywhere yet: {}.</p>",
            escape(&empty.join(", "))
        );
    }
    layout(
        input,
        "Solutions by category and region",
        "",
        &body,
        false,
        None,
    )
}

/// `categories/<slug>.html`: the portfolio lead's page.
pub fn category_page(
    input: &SiteInput<'_>,
    names: &Names,
    pages: &BTreeMap<&str, &str>,
    slug: &str,
) -> String {
    let name = names.category(slug);
    let covers = input
        .reference
        .categories
        .iter()
        .find(|c| c.slug == slug)
        .and_then(|c| c.covers.as_deref());
    let entries: Vec<&Entry> = input
        .export
        .entries
        .iter()
        .filter(|e| e.categories.iter().any(|c| c.as_str() == slug))
        .collect();
    let feed = format!("{slug}.atom");
    let mut body = format!(
        "<nav class=\"breadcrumbs\" aria-label=\"Breadcrumb\"><ol>\
         <li><a href=\"../coverage.html\">Categories and regions</a></li>\
         <li aria-current=\"page\">{name}</li></ol></nav>\n<h1>{name}</h1>\n",
        name = escape(name)
    );
    if let Some(covers) = covers {
        let _ = writeln!(body, "<p class=\"lede\">Covers {}.</p>", escape(covers));
    }
    if input.portfolio.changes.is_some() {
        let _ = writeln!(
            body,
            "<p><a class=\"feed\" href=\"{}\" type=\"application/atom+xml\">Subscribe to changes \
             in {} (Atom feed)</a></p>",
            escape(&feed),
            escape(name)
        );
    }
    let _ = writeln!(
        body,
        "<section aria-labelledby=\"solutions\"><h2 id=\"solutions\">Solutions ({})</h2>",
        entries.len()
    );
    if entries.is_empty() {
        body.push_str("<p>No force has a solution in this category yet.</p>\n");
    } else {
        body.push_str(
            "<table>\n<caption class=\"visually-hidden\">Solutions in this category</caption>\n\
             <thead><tr><th scope=\"col\">Solution</th><th scope=\"col\">Force</th>\
             <th scope=\"col\">Region</th><th scope=\"col\">Phase</th></tr></thead>\n<tbody>\n",
        );
        for entry in &entries {
            let force = entry.owner_force.as_str();
            let _ = writeln!(
                body,
                "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>",
                entry_link(pages, entry.id.as_str(), &entry.title, "../"),
                escape(names.force(force)),
                escape(names.region(names.region_of(force))),
                phase_label(entry.phase),
            );
        }
        body.push_str("</tbody>\n</table>\n");
    }
    body.push_str("</section>\n");
    let forces: BTreeSet<&str> = entries.iter().map(|e| e.owner_force.as_str()).collect();
    let force_names: Vec<&str> = forces.iter().map(|f| names.force(f)).collect();
    let _ = writeln!(
        body,
        "<section aria-labelledby=\"forces\"><h2 id=\"forces\">Forces ({})</h2><p>{}</p></section>",
        forces.len(),
        escape(&none_if_empty(&force_names.join(", ")))
    );
    category_overlaps(&mut body, input, pages, slug);
    category_adopters(&mut body, names, pages, &entries);
    let feed = input.portfolio.changes.is_some().then_some(feed.as_str());
    layout(input, name, "../", &body, false, feed)
}

/// The overlaps with an entry in category `slug`, linked to the overlaps page.
fn category_overlaps(
    body: &mut String,
    input: &SiteInput<'_>,
    pages: &BTreeMap<&str, &str>,
    slug: &str,
) {
    let overlaps: Vec<(usize, &Overlap)> = input
        .portfolio
        .overlaps
        .iter()
        .enumerate()
        .filter(|(_, o)| o.categories.iter().any(|c| c == slug))
        .collect();
    body.push_str("<section aria-labelledby=\"overlaps\"><h2 id=\"overlaps\">Where forces built the same thing</h2>\n");
    if overlaps.is_empty() {
        body.push_str("<p>No overlaps in this category.</p>\n");
    } else {
        body.push_str("<ul>\n");
        for (n, overlap) in overlaps {
            let titles: Vec<String> = overlap
                .entries
                .iter()
                .map(|e| entry_link(pages, &e.id, &e.title, "../"))
                .collect();
            let _ = writeln!(
                body,
                "<li><a href=\"../overlaps.html#overlap-{}\">Overlap {}</a>: {}</li>",
                n + 1,
                n + 1,
                titles.join(", ")
            );
        }
        body.push_str("</ul>\n");
    }
    body.push_str("</section>\n");
}

/// Who adopted the solutions of a category.
fn category_adopters(
    body: &mut String,
    names: &Names,
    pages: &BTreeMap<&str, &str>,
    entries: &[&Entry],
) {
    let adoptions: Vec<String> = entries
        .iter()
        .flat_map(|entry| {
            entry.adopters.iter().map(move |a| {
                format!(
                    "{} — {} ({})",
                    escape(names.force(a.force.as_str())),
                    entry_link(pages, entry.id.as_str(), &entry.title, "../"),
                    adoption_label(a.status)
                )
            })
        })
        .collect();
    let _ = write!(
        body,
        "<section aria-labelledby=\"adopters\"><h2 id=\"adopters\">Adopters ({})</h2>",
        adoptions.len()
    );
    if adoptions.is_empty() {
        body.push_str("<p>No force has recorded adopting these solutions yet.</p>");
    } else {
        body.push_str("<ul>");
        for adoption in adoptions {
            let _ = write!(body, "<li>{adoption}</li>");
        }
        body.push_str("</ul>");
    }
    body.push_str("</section>\n");
}
