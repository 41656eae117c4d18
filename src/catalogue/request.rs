//! Documents on request, in one step. The workshop found documentation "often worth more than
//! the solution itself", and most of it is shared on request: a request is an email to the
//! entry's first contact still valid, naming the document, the solution and its id, with a
//! placeholder for the requester's force — written once here for `nsi request`, `nsi show` and
//! the policing edition of the site (the public edition carries no contact).

use chrono::NaiveDate;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

use super::entry::{Availability, Entry};
use super::reference::Reference;

/// What RFC 6068 lets through unencoded in a `mailto:` header value: the unreserved
/// characters. Everything else — spaces (`%20`, never `+`), `&`, `=`, `?`, `#`, line breaks
/// and any non-ASCII byte — is percent-encoded.
const HFVALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// What an address may keep in a `mailto:` link: also `@` and the characters addresses use.
const ADDRESS: &AsciiSet = &HFVALUE.remove(b'@').remove(b'+');

/// One document request, ready to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentRequest {
    /// The document type's slug.
    pub document: String,
    /// Its name, from the reference lists.
    pub document_name: String,
    /// Who is asked: the first contact valid today.
    pub contact_name: String,
    /// Their address.
    pub contact_email: String,
    /// The subject line.
    pub subject: String,
    /// The message, with `[your force]` and `[your name, role and force]` for the requester
    /// to fill.
    pub body: String,
    /// The whole request as a `mailto:` link.
    pub mailto: String,
}

/// Why a request cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    /// The entry lists no such document.
    #[error("{id} lists no `{document}` document{}", offered_list(offered))]
    NoSuchDocument {
        /// The entry.
        id: String,
        /// The document type asked for.
        document: String,
        /// What it does list as on request.
        offered: Vec<String>,
    },
    /// The document is not shared on request (it is public, or not available).
    #[error("the {document} of {id} is {how}, not shared on request")]
    NotOnRequest {
        /// The entry.
        id: String,
        /// The document type.
        document: String,
        /// How it is shared instead.
        how: &'static str,
    },
    /// No document of the entry is shared on request.
    #[error("{id} shares no document on request")]
    NothingOnRequest {
        /// The entry.
        id: String,
    },
    /// Every contact's `valid_until` has passed.
    #[error("no contact of {id} is valid on {today}: ask {force} instead")]
    NoValidContact {
        /// The entry.
        id: String,
        /// The day judged.
        today: NaiveDate,
        /// The owning force's name.
        force: String,
    },
}

fn offered_list(offered: &[String]) -> String {
    if offered.is_empty() {
        String::new()
    } else {
        format!(" (on request: {})", offered.join(", "))
    }
}

/// The requests for `entry`'s documents shared on request — only `document` when given —
/// addressed to its first contact still valid on `today`.
pub fn requests(
    entry: &Entry,
    document: Option<&str>,
    reference: &Reference,
    today: NaiveDate,
) -> Result<Vec<DocumentRequest>, RequestError> {
    let id = entry.id.to_string();
    let on_request: Vec<&str> = entry
        .documentation
        .iter()
        .filter(|d| d.availability == Availability::OnRequest)
        .map(|d| d.kind.as_str())
        .collect();
    let wanted: Vec<&str> = match document {
        Some(kind) => {
            let Some(found) = entry.documentation.iter().find(|d| d.kind.as_str() == kind) else {
                return Err(RequestError::NoSuchDocument {
                    id,
                    document: kind.to_owned(),
                    offered: on_request.iter().map(|s| (*s).to_owned()).collect(),
                });
            };
            if found.availability != Availability::OnRequest {
                return Err(RequestError::NotOnRequest {
                    id,
                    document: kind.to_owned(),
                    how: match found.availability {
                        Availability::Public => "public (see its link)",
                        _ => "not available to share",
                    },
                });
            }
            vec![kind]
        }
        None if on_request.is_empty() => return Err(RequestError::NothingOnRequest { id }),
        None => on_request,
    };
    let Some(contact) = entry.contacts.iter().find(|c| c.valid_until >= today) else {
        return Err(RequestError::NoValidContact {
            id,
            today,
            force: reference
                .force(entry.owner_force.as_str())
                .map_or_else(|| entry.owner_force.to_string(), |f| f.name.clone()),
        });
    };
    Ok(wanted
        .into_iter()
        .map(|kind| {
            let document_name = reference
                .documents
                .iter()
                .find(|d| d.slug == kind)
                .map_or_else(|| kind.to_owned(), |d| d.name.clone());
            let subject = format!("Request: {document_name} for {} ({id})", entry.title);
            let body = format!(
                "Hello {name},\r\n\r\nI am writing from [your force] about {title} ({id}) in \
                 the National Solutions Index. The entry lists its {document_name} as available \
                 on request: could you share it with us?\r\n\r\nThank you,\r\n[your name, role \
                 and force]\r\n",
                name = contact.name,
                title = entry.title,
            );
            let mailto = format!(
                "mailto:{}?subject={}&body={}",
                utf8_percent_encode(&contact.email, ADDRESS),
                utf8_percent_encode(&subject, HFVALUE),
                utf8_percent_encode(&body, HFVALUE),
            );
            DocumentRequest {
                document: kind.to_owned(),
                document_name,
                contact_name: contact.name.clone(),
                contact_email: contact.email.clone(),
                subject,
                body,
                mailto,
            }
        })
        .collect())
}
