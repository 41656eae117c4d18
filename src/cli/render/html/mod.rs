//! `nsi export --format html`: a static, self-contained site. `index.html` holds a searchable,
//! sortable, filterable table (the script in `assets/export/site.js` over the data in
//! `assets/data.js`), `entries/<id>.html` one page per entry, `entries/index.html` every entry
//! without a script. No file refers to anything outside the site, so it works opened from disk,
//! on GitHub Pages and on networks that block content from elsewhere.
//!
//! Entry text is untrusted: every piece of it goes through [`escape`], links only to the
//! addresses [`escape::safe_url`] allows, and the script builds its DOM from text, never HTML.

pub mod entry;
pub mod escape;
pub mod index;
pub mod markdown;
pub mod portfolio;

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;

use chrono::{DateTime, FixedOffset, NaiveDate};
use rayon::prelude::*;

use crate::catalogue::changes::ChangeRecord;
use crate::catalogue::entry::{
    AdoptionStatus, AftercareLevel, Availability, CostBand, Deployment, Entry, Phase, SkillLevel,
    is_solution_id,
};
use crate::catalogue::export::{Audience, Export};
use crate::catalogue::overlaps::Overlap;
use crate::catalogue::reference::Reference;
use crate::catalogue::staged_folder::Ownership;
use crate::catalogue::stats::Coverage;
use crate::cli::error::CliError;
use escape::escape;

/// The version of the site's shape (its files and `assets/data.js`), written in `site.json`.
pub const SITE_SCHEMA_VERSION: &str = "nsi-site/1";

/// The file that marks a folder as a site nsi wrote, so a later export may replace it.
pub const SITE_MARKER: &str = "site.json";

/// The site's JSON and CSV downloads and its change feed, which the caller writes.
pub const JSON_DOWNLOAD: &str = "nsi-export.json";
/// See [`JSON_DOWNLOAD`].
pub const CSV_DOWNLOAD: &str = "nsi-export.csv";
/// See [`JSON_DOWNLOAD`].
pub const FEED: &str = "changes.atom";

/// How every page's head names its maker, up to the version: what tells a page nsi wrote
/// from someone else's in a folder an export would replace.
pub const GENERATOR_TAG: &str = "<meta name=\"generator\" content=\"nsi ";

/// The site's stylesheet, script and search data, under `assets/`.
const ASSETS: [&str; 3] = ["site.css", "site.js", "data.js"];

/// The folders of a site.
pub const SITE_FOLDERS: [&str; 3] = ["assets", "entries", "categories"];

/// The portfolio pages, beside `index.html`.
pub const OVERLAPS_PAGE: &str = "overlaps.html";
/// See [`OVERLAPS_PAGE`].
pub const COVERAGE_PAGE: &str = "coverage.html";

/// What a site's folder holds when nsi wrote it: what lets a later export replace it (and
/// nothing else: see `catalogue::staged_folder`).
pub const SITE: Ownership = Ownership {
    marker: SITE_MARKER,
    folders: &SITE_FOLDERS,
    is_written: |name, path| is_site_file(name) && written_by_nsi(path),
};

/// Whether the file at `path`, at a place an export writes, is one it wrote: a page says so in
/// its head (`<meta name="generator" content="nsi …">`), so that someone's own page saved
/// among the entries' is not taken for one. Other files are known by their place alone.
fn written_by_nsi(path: &std::path::Path) -> bool {
    use std::io::Read as _;
    if !path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("html"))
    {
        return true;
    }
    let mut head = Vec::with_capacity(1024);
    std::fs::File::open(path)
        .and_then(|file| file.take(1024).read_to_end(&mut head))
        .is_ok_and(|_| String::from_utf8_lossy(&head).contains(GENERATOR_TAG))
}

/// Whether `path` (relative to a site's folder, `/` separators) is a place an export writes a
/// file: what tells an earlier site, which an export may replace, from a folder that also holds
/// someone's own files.
pub fn is_site_file(path: &str) -> bool {
    let page_or_feed = |name: &str| {
        !name.contains('/')
            && std::path::Path::new(name)
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("atom"))
    };
    match path.split_once('/') {
        None => [
            "index.html",
            OVERLAPS_PAGE,
            COVERAGE_PAGE,
            SITE_MARKER,
            JSON_DOWNLOAD,
            CSV_DOWNLOAD,
            FEED,
        ]
        .contains(&path),
        Some(("assets", name)) => ASSETS.contains(&name),
        Some(("entries" | "categories", name)) => page_or_feed(name),
        _ => false,
    }
}

/// The Content-Security-Policy of every page: nothing from anywhere but the site itself.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'";

const STYLESHEET: &str = include_str!("../../../../assets/export/site.css");
const SCRIPT: &str = include_str!("../../../../assets/export/site.js");

/// One file of the site: its path relative to the site's folder, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteFile {
    /// Where it goes, relative to the site's folder, with `/` separators.
    pub path: String,
    /// What it holds.
    pub bytes: Vec<u8>,
}

impl SiteFile {
    fn text(path: impl Into<String>, text: String) -> Self {
        SiteFile {
            path: path.into(),
            bytes: text.into_bytes(),
        }
    }
}

/// Where the files of a site go, one at a time, as they are made.
pub trait SiteOut: Send {
    /// Write the file at `path` (relative to the site, `/` separators) with `write`.
    fn file(
        &mut self,
        path: &str,
        write: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<(), CliError>;

    /// Write `file`.
    fn write(&mut self, file: &SiteFile) -> Result<(), CliError> {
        self.file(&file.path, &mut |out| out.write_all(&file.bytes))
    }
}

/// What the portfolio pages and the feeds are made from, worked out by the caller over the
/// same entries as the rest of the site.
#[derive(Debug, Clone, Copy)]
pub struct Portfolio<'a> {
    /// Where different forces built the same thing, among the exported entries.
    pub overlaps: &'a [Overlap],
    /// The exported entries by category and region.
    pub coverage: &'a Coverage,
    /// The changes the feeds are made from, newest first, already cut down for the audience;
    /// `None` outside a git repository (a site without feeds).
    pub changes: Option<&'a [ChangeRecord]>,
    /// The site's address, for the feeds' links (relative when absent).
    pub base_url: Option<&'a str>,
}

/// What a site is rendered from.
#[derive(Debug, Clone, Copy)]
pub struct SiteInput<'a> {
    /// The entries, already cut down for the audience.
    pub export: &'a Export,
    /// The reference lists, for the names of forces, regions, categories and the rest.
    pub reference: &'a Reference,
    /// When the export was made.
    pub generated: DateTime<FixedOffset>,
    /// The day expiry and review dates are judged against.
    pub today: NaiveDate,
    /// Months after `last_reviewed` that a review falls due (`nsi.toml`).
    pub review_period_months: u32,
    /// The overlaps, coverage and changes behind the portfolio pages and the feeds.
    pub portfolio: Portfolio<'a>,
}

/// The files of the site that are not the JSON and CSV downloads (`nsi-export.json`,
/// `nsi-export.csv`, which the caller writes), handed to `out` one at a time as they are made,
/// so memory holds a few hundred entry pages at most rather than the whole site.
pub fn site(input: &SiteInput<'_>, out: &mut dyn SiteOut) -> Result<(), CliError> {
    // Pages are rendered a batch at a time on every core, while the batch before is written.
    const BATCH: usize = 256;
    let pages = page_names(&input.export.entries);
    let names = Names::new(input.reference);
    let [css, js, data] = ASSETS.map(|name| format!("assets/{name}"));
    out.write(&SiteFile::text(css, STYLESHEET.to_owned()))?;
    out.write(&SiteFile::text(js, SCRIPT.to_owned()))?;
    out.file(&data, &mut |file| {
        index::write_data_js(input, &names, &pages, file)
    })?;
    out.write(&SiteFile::text("index.html", index::index_page(input)))?;
    out.write(&SiteFile::text(
        "entries/index.html",
        index::list_page(input, &names, &pages),
    ))?;
    portfolio_files(input, &names, &pages, out)?;
    let render = |range: std::ops::Range<usize>| -> Vec<SiteFile> {
        input.export.entries[range.clone()]
            .par_iter()
            .zip(pages[range].par_iter())
            .map(|(entry, page)| {
                SiteFile::text(
                    format!("entries/{page}"),
                    entry::page(input, &names, entry, page),
                )
            })
            .collect()
    };
    let count = input.export.entries.len();
    let mut rendered = Vec::new();
    for start in (0..count).step_by(BATCH) {
        let (written, next) = rayon::join(
            || rendered.iter().try_for_each(|file| out.write(file)),
            || render(start..(start + BATCH).min(count)),
        );
        written?;
        rendered = next;
    }
    rendered.iter().try_for_each(|file| out.write(file))?;
    out.write(&SiteFile::text(SITE_MARKER, manifest(input)?))
}

/// The overlaps and coverage pages, a page and a feed per category, and a feed per entry.
fn portfolio_files(
    input: &SiteInput<'_>,
    names: &Names,
    pages: &[String],
    out: &mut dyn SiteOut,
) -> Result<(), CliError> {
    let by_id: BTreeMap<&str, &str> = input
        .export
        .entries
        .iter()
        .zip(pages)
        .map(|(entry, page)| (entry.id.as_str(), page.as_str()))
        .collect();
    out.write(&SiteFile::text(
        OVERLAPS_PAGE,
        portfolio::overlaps_page(input, names, &by_id),
    ))?;
    out.write(&SiteFile::text(
        COVERAGE_PAGE,
        portfolio::coverage_page(input, names),
    ))?;
    for category in &input.reference.categories {
        out.write(&SiteFile::text(
            format!("categories/{}.html", category.slug),
            portfolio::category_page(input, names, &by_id, &category.slug),
        ))?;
    }
    let Some(changes) = input.portfolio.changes else {
        return Ok(());
    };
    let feed = |records: &[ChangeRecord], scope| {
        crate::cli::render::atom::feed(
            records,
            &crate::cli::render::atom::FeedOptions {
                audience: input.export.audience,
                base_url: input.portfolio.base_url,
                generated: input.generated,
                scope,
            },
        )
    };
    for category in &input.reference.categories {
        let members: HashSet<&str> = input
            .export
            .entries
            .iter()
            .filter(|e| e.categories.iter().any(|c| c.as_str() == category.slug))
            .map(|e| e.id.as_str())
            .collect();
        let records: Vec<ChangeRecord> = changes
            .iter()
            .filter(|r| members.contains(r.change.id.as_str()))
            .cloned()
            .collect();
        let scope = crate::cli::render::atom::FeedScope::Category {
            slug: &category.slug,
            name: &category.name,
        };
        out.write(&SiteFile::text(scope.path(), feed(&records, scope)))?;
    }
    for (entry, page) in input.export.entries.iter().zip(pages) {
        let records: Vec<ChangeRecord> = changes
            .iter()
            .filter(|r| r.change.id == entry.id.as_str())
            .cloned()
            .collect();
        let scope = crate::cli::render::atom::FeedScope::Entry {
            id: entry.id.as_str(),
            title: &entry.title,
            page: page.trim_end_matches(".html"),
        };
        out.write(&SiteFile::text(scope.path(), feed(&records, scope)))?;
    }
    Ok(())
}

/// `site.json`: what the folder is, for people, scripts and the next export.
fn manifest(input: &SiteInput<'_>) -> Result<String, CliError> {
    let manifest = serde_json::json!({
        "schema_version": SITE_SCHEMA_VERSION,
        "generator": concat!("nsi ", env!("CARGO_PKG_VERSION")),
        "generated": input.generated.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "audience": input.export.audience.as_str(),
        "entries": input.export.entries.len(),
    });
    Ok(crate::cli::render::json::to_string(&manifest)? + "\n")
}

/// Each entry's page file name: `<id>.html`, or `entry-<n>.html` for an id that is not a safe
/// file name or that another entry already has (the catalogue should not, but never trust it).
pub fn page_names(entries: &[Entry]) -> Vec<String> {
    let mut seen = HashSet::new();
    entries
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            let id = entry.id.as_str();
            if is_solution_id(id) && seen.insert(id) {
                format!("{id}.html")
            } else {
                format!("entry-{}.html", i + 1)
            }
        })
        .collect()
}

/// Names from the reference lists, by slug; a slug the lists lack is shown as itself.
#[derive(Debug, Clone, Default)]
pub struct Names {
    forces: BTreeMap<String, (String, String)>,
    regions: BTreeMap<String, String>,
    categories: BTreeMap<String, String>,
    standards: BTreeMap<String, String>,
    roles: BTreeMap<String, String>,
    documents: BTreeMap<String, String>,
}

impl Names {
    /// The names in `reference`.
    pub fn new(reference: &Reference) -> Self {
        let terms = |list: &[crate::catalogue::reference::Term]| {
            list.iter()
                .map(|t| (t.slug.clone(), t.name.clone()))
                .collect()
        };
        Names {
            forces: reference
                .forces
                .iter()
                .map(|f| (f.slug.clone(), (f.name.clone(), f.region.clone())))
                .collect(),
            regions: terms(&reference.regions),
            categories: terms(&reference.categories),
            standards: terms(&reference.standards),
            roles: terms(&reference.roles),
            documents: terms(&reference.documents),
        }
    }

    fn name<'a>(map: &'a BTreeMap<String, String>, slug: &'a str) -> &'a str {
        map.get(slug).map_or(slug, String::as_str)
    }

    /// A force's name.
    pub fn force<'a>(&'a self, slug: &'a str) -> &'a str {
        self.forces
            .get(slug)
            .map_or(slug, |(name, _)| name.as_str())
    }

    /// A force's region slug (empty when the force is not in the lists).
    pub fn region_of(&self, force: &str) -> &str {
        self.forces
            .get(force)
            .map_or("", |(_, region)| region.as_str())
    }

    /// A region's name.
    pub fn region<'a>(&'a self, slug: &'a str) -> &'a str {
        Self::name(&self.regions, slug)
    }

    /// A category's name.
    pub fn category<'a>(&'a self, slug: &'a str) -> &'a str {
        Self::name(&self.categories, slug)
    }

    /// A standard's name.
    pub fn standard<'a>(&'a self, slug: &'a str) -> &'a str {
        Self::name(&self.standards, slug)
    }

    /// A DDaT role family's name.
    pub fn role<'a>(&'a self, slug: &'a str) -> &'a str {
        Self::name(&self.roles, slug)
    }

    /// A document type's name.
    pub fn document<'a>(&'a self, slug: &'a str) -> &'a str {
        Self::name(&self.documents, slug)
    }
}

/// How a phase reads on a page.
pub fn phase_label(phase: Phase) -> &'static str {
    match phase {
        Phase::Discovery => "Discovery",
        Phase::Alpha => "Alpha",
        Phase::Beta => "Beta",
        Phase::Live => "Live",
        Phase::Retired => "Retired",
    }
}

/// How a skill level reads on a page.
pub fn level_label(level: SkillLevel) -> &'static str {
    match level {
        SkillLevel::Awareness => "Awareness",
        SkillLevel::Working => "Working",
        SkillLevel::Practitioner => "Practitioner",
        SkillLevel::Expert => "Expert",
    }
}

fn deployment_label(deployment: Deployment) -> &'static str {
    match deployment {
        Deployment::Cloud => "Cloud",
        Deployment::OnPremises => "On premises",
        Deployment::Hybrid => "Hybrid (cloud and on premises)",
        Deployment::Saas => "Software as a service",
    }
}

fn availability_label(availability: Availability, audience: Audience) -> &'static str {
    match (availability, audience) {
        (Availability::Public, _) => "Public",
        (Availability::OnRequest, Audience::Policing) => "On request from a contact below",
        (Availability::OnRequest, Audience::Public) => "On request to police forces",
        (Availability::NotAvailable, _) => "Not available to share",
    }
}

fn aftercare_label(level: AftercareLevel) -> &'static str {
    match level {
        AftercareLevel::None => "None",
        AftercareLevel::DocumentationOnly => "Documentation only",
        AftercareLevel::LightTouch => "Light touch: occasional advice",
        AftercareLevel::Chargeable => {
            "Chargeable: detailed support paid for by the receiving force"
        }
    }
}

fn adoption_label(status: AdoptionStatus) -> &'static str {
    match status {
        AdoptionStatus::Exploring => "Exploring",
        AdoptionStatus::Piloting => "Piloting",
        AdoptionStatus::Adopted => "Adopted",
    }
}

fn cost_label(band: CostBand) -> &'static str {
    match band {
        CostBand::None => "No cost",
        CostBand::Under10k => "Under £10,000",
        CostBand::From10kTo50k => "£10,000 to £50,000",
        CostBand::From50kTo250k => "£50,000 to £250,000",
        CostBand::Over250k => "Over £250,000",
        CostBand::Unknown => "Not known",
    }
}

/// Who the edition is for, as a banner on every page.
fn edition(audience: Audience) -> &'static str {
    match audience {
        Audience::Policing => {
            "Policing edition: for police forces and national policing bodies only. \
             It names contacts; do not publish it."
        }
        Audience::Public => "Public edition: solutions their forces have chosen to share openly.",
    }
}

/// A whole page: `root` is the way back to the site's folder (`""` or `"../"`); `feed`, the
/// page's Atom feed (relative to the page), announced to feed readers in the head.
fn layout(
    input: &SiteInput<'_>,
    title: &str,
    root: &str,
    body: &str,
    script: bool,
    feed: Option<&str>,
) -> String {
    let audience = input.export.audience;
    let feeds = match (feed, input.portfolio.changes.is_some()) {
        (Some(feed), _) => format!(
            "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Changes to {}\" \
             href=\"{}\">\n",
            escape(title),
            escape(feed)
        ),
        (None, true) => format!(
            "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Changes to the \
             index\" href=\"{root}{FEED}\">\n"
        ),
        (None, false) => String::new(),
    };
    let scripts = if script {
        format!(
            "<script src=\"{root}assets/data.js\"></script>\n\
             <script src=\"{root}assets/site.js\"></script>\n"
        )
    } else {
        String::new()
    };
    format!(
        "<!doctype html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         {GENERATOR_TAG}{version}\">\n\
         <title>{title} – National Solutions Index</title>\n\
         <link rel=\"stylesheet\" href=\"{root}assets/site.css\">\n{feeds}</head>\n\
         <body class=\"audience-{audience_class}\">\n\
         <a class=\"skip-link\" href=\"#main\">Skip to main content</a>\n\
         <header class=\"site-header\"><div class=\"wrap\">\
         <a class=\"site-name\" href=\"{root}index.html\">National Solutions Index</a>\
         <nav class=\"site-nav\" aria-label=\"Sections\"><ul>\
         <li><a href=\"{root}index.html\">Search</a></li>\
         <li><a href=\"{root}{COVERAGE_PAGE}\">Categories and regions</a></li>\
         <li><a href=\"{root}{OVERLAPS_PAGE}\">Where forces built the same thing</a></li>\
         </ul></nav>\
         <p class=\"edition\">{edition}</p></div></header>\n\
         <main id=\"main\" class=\"wrap\" tabindex=\"-1\">\n{body}</main>\n\
         <footer class=\"site-footer\"><div class=\"wrap\"><p>Generated by nsi on \
         <time datetime=\"{generated}\">{generated_day}</time> from the catalogue of {count} \
         solution{plural}. <a href=\"{root}entries/index.html\">All solutions, A to Z</a> · \
         <a href=\"{root}nsi-export.csv\">Download as a spreadsheet (CSV)</a> · \
         <a href=\"{root}nsi-export.json\">Download as JSON</a></p></div></footer>\n\
         {scripts}</body>\n</html>\n",
        csp = CONTENT_SECURITY_POLICY,
        version = env!("CARGO_PKG_VERSION"),
        title = escape(title),
        audience_class = audience.as_str(),
        edition = edition(audience),
        generated = input
            .generated
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        generated_day = input.generated.format("%-d %B %Y"),
        count = input.export.entries.len(),
        plural = if input.export.entries.len() == 1 {
            ""
        } else {
            "s"
        },
    )
}

/// Plain text as paragraphs: blank lines separate them, single line breaks are kept.
fn paragraphs(text: &str) -> String {
    let mut out = String::new();
    for paragraph in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        let _ = writeln!(out, "<p>{}</p>", escape(paragraph).replace('\n', "<br>\n"));
    }
    out
}

/// A date as people read it: `4 March 2026`.
fn day(date: NaiveDate) -> String {
    format!(
        "<time datetime=\"{date}\">{}</time>",
        date.format("%-d %B %Y")
    )
}
