//! An entry of the index — one solution — as typed Rust. The schema in `schema/` is the contract;
//! these types are what the rest of nsi works with once a file has passed validation.

use std::fmt;

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

macro_rules! slug_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// The slug as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                $name(value.to_owned())
            }
        }
    };
}

slug_type!(
    /// The stable identifier of a solution, equal to its file stem, e.g. `cps-redaction-assistant`.
    SolutionId
);
slug_type!(
    /// A force or national body from `schema/reference/forces.yaml`, e.g. `west-yorkshire`.
    ForceSlug
);
slug_type!(
    /// A category from `schema/reference/categories.yaml`, e.g. `vawg-domestic-abuse`.
    CategorySlug
);
slug_type!(
    /// A national standard from `schema/reference/standards.yaml`, e.g. `wcag-2.2-aa`.
    StandardSlug
);
slug_type!(
    /// A DDaT role family from `schema/reference/roles.yaml`, e.g. `software-development`.
    RoleFamily
);
slug_type!(
    /// A document type from `schema/reference/documents.yaml`, e.g. `dpia`.
    DocumentType
);

/// GDS delivery phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    /// Understanding the problem.
    Discovery,
    /// Trying out solutions.
    Alpha,
    /// Used for real by some users.
    Beta,
    /// In service.
    Live,
    /// Withdrawn.
    Retired,
}

/// Where a solution runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Deployment {
    /// Public cloud.
    Cloud,
    /// The force's own data centre.
    OnPremises,
    /// Both.
    Hybrid,
    /// Bought as a service.
    Saas,
}

/// Skill level, ordered from lowest to highest so "no more than practitioner" is a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SkillLevel {
    /// Knows what it is.
    Awareness,
    /// Can apply it with support.
    Working,
    /// Can apply it unaided.
    Practitioner,
    /// Can lead and teach it.
    Expert,
}

/// How a document can be had.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Availability {
    /// Anyone may read it at its URL.
    Public,
    /// Ask a contact.
    OnRequest,
    /// Exists but cannot be shared.
    NotAvailable,
}

/// Government Security Classification of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Classification {
    /// OFFICIAL.
    #[default]
    Official,
    /// OFFICIAL with the SENSITIVE handling marking.
    OfficialSensitive,
}

/// Support the owning force offers after sharing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AftercareLevel {
    /// None.
    None,
    /// The documents only.
    DocumentationOnly,
    /// Occasional advice.
    LightTouch,
    /// Detailed support, paid for by the receiving force.
    Chargeable,
}

/// Who may see an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Visibility {
    /// Forces and national bodies only.
    Policing,
    /// Also industry and the public, without contacts.
    Public,
}

/// A force's stage of adopting someone else's solution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AdoptionStatus {
    /// Looking into it.
    Exploring,
    /// Trying it.
    Piloting,
    /// Using it.
    Adopted,
}

/// A cost band in pounds sterling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CostBand {
    /// No cost.
    #[serde(rename = "none")]
    None,
    /// Under £10,000.
    #[serde(rename = "under-10k")]
    Under10k,
    /// £10,000 to £50,000.
    #[serde(rename = "10k-50k")]
    From10kTo50k,
    /// £50,000 to £250,000.
    #[serde(rename = "50k-250k")]
    From50kTo250k,
    /// Over £250,000.
    #[serde(rename = "over-250k")]
    Over250k,
    /// Not known.
    #[serde(rename = "unknown")]
    Unknown,
}

/// One solution: the content of `catalogue/<owner_force>/<id>.yaml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Stable identifier, equal to the file stem.
    pub id: SolutionId,
    /// Short name.
    pub title: String,
    /// One paragraph, shown in search results.
    pub summary: String,
    /// The problem it addresses.
    pub problem_statement: String,
    /// Longer Markdown description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The owning force, equal to the folder.
    pub owner_force: ForceSlug,
    /// Forces that co-built it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partner_forces: Vec<ForceSlug>,
    /// One to three categories.
    pub categories: Vec<CategorySlug>,
    /// Free keywords.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// GDS phase.
    pub phase: Phase,
    /// Technology used.
    pub technology: Technology,
    /// Skills needed to deploy it.
    pub skills: Vec<Skill>,
    /// Documents available.
    pub documentation: Vec<Document>,
    /// Single points of contact.
    pub contacts: Vec<Contact>,
    /// National standards followed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub standards: Vec<StandardSlug>,
    /// Support after sharing.
    pub aftercare: Aftercare,
    /// Indicative costs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub costs: Option<Costs>,
    /// Benefits realised.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub benefits: Vec<Benefit>,
    /// Other forces using it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub adopters: Vec<Adopter>,
    /// Academic research attached.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub research: Vec<Research>,
    /// Show-and-tell events.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub showcases: Vec<Showcase>,
    /// Why it belongs in the index.
    pub rationale: String,
    /// Who may see it.
    pub visibility: Visibility,
    /// The solution's own version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// When the entry was added.
    pub created: NaiveDate,
    /// When the entry was last confirmed accurate.
    pub last_reviewed: NaiveDate,
    /// Whether and how it uses AI (required from schema 2.0.0; absent in older entries).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ai: Option<Ai>,
    /// Warnings silenced for this entry, with a reason and an end date.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exceptions: Vec<Exception>,
    /// The schema version the entry was written for (absent: 1.0.0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema_version: Option<String>,
}

/// Whether and how a solution uses AI or machine learning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ai {
    /// `none`, `assists`, `decides` or `not-stated` (the schema's enumeration).
    #[serde(rename = "use")]
    pub usage: String,
    /// What the AI does and how people oversee it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// A warning silenced for one entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exception {
    /// The warning's code, e.g. `NSI212`.
    pub rule: String,
    /// Why it does not apply.
    pub reason: String,
    /// The last day it holds.
    pub until: NaiveDate,
}

impl Entry {
    /// The highest skill level any listed skill requires.
    pub fn highest_skill_level(&self) -> Option<SkillLevel> {
        self.skills.iter().map(|skill| skill.level).max()
    }
}

/// The technology used, and how it is deployed and licensed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Technology {
    /// Products, platforms and languages.
    pub stack: Vec<String>,
    /// Where it runs.
    pub deployment: Deployment,
    /// Hosting detail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hosting: Option<String>,
    /// Systems it connects to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub integrations: Vec<Integration>,
    /// SPDX id, `crown-copyright` or `proprietary`.
    pub licence: String,
}

/// One integration with another system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Integration {
    /// The system, e.g. Niche RMS.
    pub system: String,
    /// How, e.g. REST API.
    pub method: String,
}

/// A skill a receiving force needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Skill {
    /// `DDaT` role family.
    pub role: RoleFamily,
    /// Level needed.
    pub level: SkillLevel,
    /// What for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// A document the owning force can share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// Document type.
    #[serde(rename = "type")]
    pub kind: DocumentType,
    /// How to get it.
    pub availability: Availability,
    /// Where to read it (required when public).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Security classification; OFFICIAL when not stated.
    #[serde(default)]
    pub classification: Classification,
    /// Anything worth knowing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// A single point of contact, valid until a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// Full name.
    pub name: String,
    /// Role.
    pub role: String,
    /// Work email.
    pub email: String,
    /// Re-confirm after this date.
    pub valid_until: NaiveDate,
}

/// Support after sharing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aftercare {
    /// Level of support.
    pub level: AftercareLevel,
    /// What it covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// Indicative cost bands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Costs {
    /// One-off set-up cost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub setup: Option<CostBand>,
    /// Yearly running cost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub running: Option<CostBand>,
    /// What the bands include.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// A benefit realised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Benefit {
    /// The benefit.
    pub description: String,
    /// How it was measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measure: Option<String>,
}

/// Another force using the solution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Adopter {
    /// The force.
    pub force: ForceSlug,
    /// How far along.
    pub status: AdoptionStatus,
    /// Since when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<NaiveDate>,
}

/// Academic research attached to a solution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Research {
    /// Title of the work.
    pub title: String,
    /// Where to read it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// DOI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doi: Option<String>,
}

/// A show-and-tell where the solution was presented.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Showcase {
    /// Date of the event.
    pub date: NaiveDate,
    /// Name of the event.
    pub event: String,
    /// Recording or slides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recording_url: Option<String>,
}

/// Entries are reviewed at least this often (months) unless the catalogue's `nsi.toml` sets
/// `review_period_months` (see [`crate::catalogue::config::Config`]).
pub const REVIEW_INTERVAL_MONTHS: u32 = 12;

/// When a review of an entry last reviewed on `last_reviewed` falls due, with the default
/// period of [`REVIEW_INTERVAL_MONTHS`].
pub fn review_due(last_reviewed: NaiveDate) -> NaiveDate {
    review_due_after(last_reviewed, REVIEW_INTERVAL_MONTHS)
}

/// When a review of an entry last reviewed on `last_reviewed` falls due, `period_months`
/// later.
pub fn review_due_after(last_reviewed: NaiveDate, period_months: u32) -> NaiveDate {
    last_reviewed
        .checked_add_months(Months::new(period_months))
        .unwrap_or(NaiveDate::MAX)
}

/// Whether the review of an entry last reviewed on `last_reviewed` is overdue on `today`, with
/// the default period of [`REVIEW_INTERVAL_MONTHS`].
pub fn review_overdue(last_reviewed: NaiveDate, today: NaiveDate) -> bool {
    review_overdue_after(last_reviewed, today, REVIEW_INTERVAL_MONTHS)
}

/// Whether the review of an entry last reviewed on `last_reviewed` is overdue on `today`, when
/// entries are reviewed every `period_months`.
pub fn review_overdue_after(
    last_reviewed: NaiveDate,
    today: NaiveDate,
    period_months: u32,
) -> bool {
    review_due_after(last_reviewed, period_months) < today
}

/// Whether `text` has the form of a solution id (lowercase words and digits joined by single
/// hyphens, at most 64 characters): the check to make before joining text to a path.
pub fn is_solution_id(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 64
        && text.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// The name a unit enum value has in the entry format (`on-premises`, `light-touch`).
pub fn value_name<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}
