//! One entry's page: everything its audience may see, in sections a person reads top to
//! bottom, with tables for what has rows (skills, documents, adopters).

use std::fmt::Write as _;

use super::escape::{escape, link};
use super::markdown;
use super::{
    Names, SiteInput, adoption_label, aftercare_label, availability_label, cost_label, day,
    deployment_label, layout, level_label, paragraphs, phase_label,
};
use crate::catalogue::entry::{
    Availability, Classification, Entry, Visibility, review_due_after, review_overdue_after,
};
use crate::catalogue::export::Audience;

/// A term and its description in a `<dl>`; `html` is already escaped.
fn fact(out: &mut String, term: &str, html: &str) {
    let _ = writeln!(out, "<div><dt>{term}</dt><dd>{html}</dd></div>");
}

fn list(items: impl IntoIterator<Item = String>) -> String {
    let mut out = String::from("<ul class=\"plain\">");
    for item in items {
        let _ = write!(out, "<li>{item}</li>");
    }
    out.push_str("</ul>");
    out
}

fn section(out: &mut String, id: &str, heading: &str, html: &str) {
    let _ = write!(
        out,
        "<section aria-labelledby=\"{id}\">\n<h2 id=\"{id}\">{heading}</h2>\n{html}</section>\n"
    );
}

/// The page of `entry`, whose file is `page` (`<id>.html`); its feed sits beside it.
pub fn page(input: &SiteInput<'_>, names: &Names, entry: &Entry, page: &str) -> String {
    let feed = format!("{}.atom", page.trim_end_matches(".html"));
    let mut body = String::new();
    let _ = write!(
        body,
        "<nav class=\"breadcrumbs\" aria-label=\"Breadcrumb\"><ol>\
         <li><a href=\"../index.html\">All solutions</a></li>\
         <li aria-current=\"page\">{title}</li></ol></nav>\n\
         <h1>{title}</h1>\n<div class=\"lede\">{summary}</div>\n",
        title = escape(&entry.title),
        summary = paragraphs(&entry.summary),
    );
    body.push_str(&facts(input, names, entry));
    section(
        &mut body,
        "problem",
        "The problem it solves",
        &paragraphs(&entry.problem_statement),
    );
    if let Some(description) = &entry.description {
        section(
            &mut body,
            "description",
            "Description",
            &markdown::to_html(description, 3),
        );
    }
    section(&mut body, "technology", "Technology", &technology(entry));
    section(
        &mut body,
        "skills",
        "Skills needed to deploy it",
        &skills(names, entry),
    );
    section(
        &mut body,
        "documents",
        "Documents and how to get them",
        &documents(input, names, entry),
    );
    section(&mut body, "contacts", "Contacts", &contacts(input, entry));
    section(&mut body, "aftercare", "Aftercare", &aftercare(entry));
    extras(&mut body, names, entry);
    section(
        &mut body,
        "rationale",
        "Why it is in the index",
        &paragraphs(&entry.rationale),
    );
    if input.portfolio.changes.is_some() {
        let _ = writeln!(
            body,
            "<p><a class=\"feed\" href=\"{}\" type=\"application/atom+xml\">Subscribe to \
             changes to {} (Atom feed)</a>: for forces that use it.</p>",
            escape(&feed),
            escape(&entry.title)
        );
    }
    let feed = input.portfolio.changes.is_some().then_some(feed.as_str());
    layout(input, &entry.title, "../", &body, false, feed)
}

/// The optional sections: adopters, standards, benefits, costs, research, show and tell.
fn extras(out: &mut String, names: &Names, entry: &Entry) {
    if !entry.adopters.is_empty() {
        section(out, "adopters", "Forces using it", &adopters(names, entry));
    }
    if !entry.standards.is_empty() {
        let items = entry
            .standards
            .iter()
            .map(|s| escape(names.standard(s.as_str())));
        section(out, "standards", "Standards followed", &list(items));
    }
    if !entry.benefits.is_empty() {
        let items = entry.benefits.iter().map(|b| {
            let measure = b
                .measure
                .as_deref()
                .map(|m| format!("<br><span class=\"measure\">Measure: {}</span>", escape(m)))
                .unwrap_or_default();
            format!("{}{measure}", escape(&b.description))
        });
        section(out, "benefits", "Benefits", &list(items));
    }
    if let Some(costs) = &entry.costs {
        let mut html = String::from("<dl class=\"facts\">\n");
        if let Some(setup) = costs.setup {
            fact(&mut html, "Set-up", cost_label(setup));
        }
        if let Some(running) = costs.running {
            fact(&mut html, "Running, each year", cost_label(running));
        }
        html.push_str("</dl>\n");
        if let Some(notes) = &costs.notes {
            html.push_str(&paragraphs(notes));
        }
        section(out, "costs", "Costs", &html);
    }
    if !entry.research.is_empty() {
        let items = entry.research.iter().map(|r| {
            let doi = r
                .doi
                .as_deref()
                .map(|doi| format!(" (DOI {})", link(&format!("https://doi.org/{doi}"), doi)))
                .unwrap_or_default();
            match &r.url {
                Some(url) => format!("{}{doi}", link(url, &r.title)),
                None => format!("{}{doi}", escape(&r.title)),
            }
        });
        section(out, "research", "Research", &list(items));
    }
    if !entry.showcases.is_empty() {
        let items = entry.showcases.iter().map(|s| {
            let recording = s
                .recording_url
                .as_deref()
                .map(|url| format!(" · {}", link(url, "recording")))
                .unwrap_or_default();
            format!("{}: {}{recording}", day(s.date), escape(&s.event))
        });
        section(out, "showcases", "Show and tell", &list(items));
    }
}

fn facts(input: &SiteInput<'_>, names: &Names, entry: &Entry) -> String {
    let mut out = String::from("<dl class=\"facts summary-facts\">\n");
    let force = entry.owner_force.as_str();
    fact(&mut out, "Owner", &escape(names.force(force)));
    if !entry.partner_forces.is_empty() {
        let partners: Vec<&str> = entry
            .partner_forces
            .iter()
            .map(|f| names.force(f.as_str()))
            .collect();
        fact(&mut out, "Built with", &escape(&partners.join(", ")));
    }
    let region = names.region_of(force);
    if !region.is_empty() {
        fact(&mut out, "Region", &escape(names.region(region)));
    }
    let categories: Vec<&str> = entry
        .categories
        .iter()
        .map(|c| names.category(c.as_str()))
        .collect();
    fact(&mut out, "Categories", &escape(&categories.join(", ")));
    fact(&mut out, "Phase", phase_label(entry.phase));
    if let Some(version) = &entry.version {
        fact(&mut out, "Version", &escape(version));
    }
    if !entry.tags.is_empty() {
        let mut tags = String::from("<ul class=\"tags\">");
        for tag in &entry.tags {
            let _ = write!(tags, "<li>{}</li>", escape(tag));
        }
        tags.push_str("</ul>");
        fact(&mut out, "Tags", &tags);
    }
    let visibility = match entry.visibility {
        Visibility::Policing => "Policing only",
        Visibility::Public => "Public",
    };
    fact(&mut out, "Visibility", visibility);
    fact(&mut out, "Added", &day(entry.created));
    let overdue =
        if review_overdue_after(entry.last_reviewed, input.today, input.review_period_months) {
            format!(
                " <strong class=\"warning\">Review overdue since {}</strong>",
                day(review_due_after(
                    entry.last_reviewed,
                    input.review_period_months
                ))
            )
        } else {
            String::new()
        };
    fact(
        &mut out,
        "Last reviewed",
        &format!("{}{overdue}", day(entry.last_reviewed)),
    );
    out.push_str("</dl>\n");
    out
}

fn technology(entry: &Entry) -> String {
    let technology = &entry.technology;
    let mut out = String::from("<dl class=\"facts\">\n");
    fact(
        &mut out,
        "Stack",
        &list(technology.stack.iter().map(|s| escape(s))),
    );
    fact(
        &mut out,
        "Deployment",
        deployment_label(technology.deployment),
    );
    if let Some(hosting) = &technology.hosting {
        fact(&mut out, "Hosting", &escape(hosting));
    }
    fact(&mut out, "Licence", &escape(&technology.licence));
    if !technology.integrations.is_empty() {
        let items = technology.integrations.iter().map(|i| {
            format!(
                "<strong>{}</strong>: {}",
                escape(&i.system),
                escape(&i.method)
            )
        });
        fact(&mut out, "Integrations", &list(items));
    }
    out.push_str("</dl>\n");
    out
}

fn skills(names: &Names, entry: &Entry) -> String {
    if entry.skills.is_empty() {
        return "<p>None listed.</p>\n".to_owned();
    }
    let mut out = String::from(
        "<table class=\"stack\">\n<caption class=\"visually-hidden\">Skills needed to deploy it</caption>\n\
         <thead><tr><th scope=\"col\">Role family</th><th scope=\"col\">Level</th>\
         <th scope=\"col\">What for</th></tr></thead>\n<tbody>\n",
    );
    for skill in &entry.skills {
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td data-label=\"Level\">{}</td>\
             <td data-label=\"What for\">{}</td></tr>",
            escape(names.role(skill.role.as_str())),
            level_label(skill.level),
            escape(skill.notes.as_deref().unwrap_or("")),
        );
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

fn documents(input: &SiteInput<'_>, names: &Names, entry: &Entry) -> String {
    if entry.documentation.is_empty() {
        return "<p>None listed.</p>\n".to_owned();
    }
    let audience = input.export.audience;
    let mut out = String::from(
        "<table class=\"stack\">\n<caption class=\"visually-hidden\">Documents and how to get them</caption>\n\
         <thead><tr><th scope=\"col\">Document</th><th scope=\"col\">How to get it</th>\
         <th scope=\"col\">Classification</th><th scope=\"col\">Notes</th></tr></thead>\n<tbody>\n",
    );
    for document in &entry.documentation {
        let kind = names.document(document.kind.as_str());
        let how = match (&document.availability, &document.url) {
            (Availability::Public, Some(url)) => link(url, "Read it online"),
            (Availability::OnRequest, _) if audience == Audience::Policing => {
                request(input, entry, document.kind.as_str())
            }
            (availability, _) => availability_label(*availability, audience).to_owned(),
        };
        let classification = match document.classification {
            Classification::Official => "OFFICIAL",
            Classification::OfficialSensitive => "OFFICIAL-SENSITIVE",
        };
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td data-label=\"How to get it\">{how}</td>\
             <td data-label=\"Classification\">{classification}</td>\
             <td data-label=\"Notes\">{}</td></tr>",
            escape(kind),
            escape(document.notes.as_deref().unwrap_or("")),
        );
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

/// For the policing edition: a link that writes the request for a document to the entry's
/// first contact still valid — or, when none is, the force to ask instead.
fn request(input: &SiteInput<'_>, entry: &Entry, kind: &str) -> String {
    match crate::catalogue::request::requests(entry, Some(kind), input.reference, input.today) {
        Ok(found) => found.first().map_or_else(String::new, |request| {
            format!(
                "On request: <a class=\"request\" href=\"{}\">ask {} for it by email</a>",
                escape(&request.mailto),
                escape(&request.contact_name)
            )
        }),
        Err(error) => format!("On request. {}", escape(&error.to_string())),
    }
}

fn contacts(input: &SiteInput<'_>, entry: &Entry) -> String {
    if input.export.audience == Audience::Public {
        return "<p>Contact details are shared with police forces only. Forces can find them in \
                the policing edition of the index.</p>\n"
            .to_owned();
    }
    if entry.contacts.is_empty() {
        return "<p>None listed.</p>\n".to_owned();
    }
    let items = entry.contacts.iter().map(|c| {
        let expiry = if c.valid_until < input.today {
            format!(
                " <strong class=\"warning\">Expired on {}: check before relying on it</strong>",
                day(c.valid_until)
            )
        } else {
            format!(
                " <span class=\"muted\">(valid until {})</span>",
                day(c.valid_until)
            )
        };
        format!(
            "<strong>{}</strong>, {}<br>{}{expiry}",
            escape(&c.name),
            escape(&c.role),
            link(&format!("mailto:{}", c.email), &c.email),
        )
    });
    list(items)
}

fn aftercare(entry: &Entry) -> String {
    let mut out = format!("<p>{}</p>\n", aftercare_label(entry.aftercare.level));
    if let Some(notes) = &entry.aftercare.notes {
        out.push_str(&paragraphs(notes));
    }
    out
}

fn adopters(names: &Names, entry: &Entry) -> String {
    let mut out = String::from(
        "<table class=\"stack\">\n<caption class=\"visually-hidden\">Forces using it</caption>\n\
         <thead><tr><th scope=\"col\">Force</th><th scope=\"col\">Status</th>\
         <th scope=\"col\">Since</th></tr></thead>\n<tbody>\n",
    );
    for adopter in &entry.adopters {
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td data-label=\"Status\">{}</td>\
             <td data-label=\"Since\">{}</td></tr>",
            escape(names.force(adopter.force.as_str())),
            adoption_label(adopter.status),
            adopter.since.map(super::day).unwrap_or_default(),
        );
    }
    out.push_str("</tbody>\n</table>\n");
    out
}
