//! The rule catalogue: every finding `nsi validate` can report, with a stable code.
//!
//! Codes never change meaning and are never reused. `nsi validate --explain CODE` prints an
//! entry of this table, and `RULES.md` is generated from it (a test keeps the two in step).

pub use crate::catalogue::diagnostic::Rule;
use crate::catalogue::diagnostic::Severity;

macro_rules! rules {
    ($( $ident:ident = $code:literal $name:literal $severity:ident $summary:literal $explanation:literal; )*) => {
        $(
            #[doc = $summary]
            pub const $ident: Rule = Rule {
                code: $code,
                name: $name,
                severity: Severity::$severity,
                summary: $summary,
                explanation: $explanation,
            };
        )*
        /// Every rule, in code order.
        pub const ALL: &[&Rule] = &[$(&$ident),*];
    };
}

rules! {
    UNREADABLE_FILE = "NSI001" "unreadable-file" Error
        "The file could not be read."
        "nsi could not open or read the file (permissions, a broken symlink, or a directory where a file was expected). Check that the file exists and is readable.";
    FILE_TOO_LARGE = "NSI002" "file-too-large" Error
        "The file is larger than 256 KiB."
        "An entry describes one solution in a few kilobytes. Files over 256 KiB are refused unread so that a mistaken or hostile file cannot slow every command down. Move long material into the solution's own documentation and link to it.";
    NOT_UTF8 = "NSI003" "not-utf8" Error
        "The file is not valid UTF-8."
        "Entries are UTF-8 text (a byte-order mark is tolerated) with LF or CRLF line endings. Re-save the file as UTF-8; editors call this 'UTF-8' or 'UTF-8 without BOM'. UTF-16 and UTF-32 files, NUL bytes, stray Latin-1 bytes and lone CR line endings (old Mac style, which would make every line number wrong) are refused.";
    YAML_SYNTAX = "NSI004" "yaml-syntax" Error
        "The file is not valid YAML."
        "The YAML parser stopped here. Common causes: a tab used for indentation, a `:` inside an unquoted value, an unclosed quote or bracket, or inconsistent indentation. Quote values that contain `: ` or start with a special character. Raw control characters (ESC, BEL…) are not allowed in YAML, and entry text may not hold them at all (NSI219): remove them.";
    DUPLICATE_KEY = "NSI005" "duplicate-key" Error
        "A key appears twice in the same mapping."
        "YAML parsers disagree on which of two equal keys wins, so a duplicate silently loses data. Remove one of them, or merge their values.";
    ANCHOR_OR_ALIAS = "NSI006" "anchor-or-alias" Error
        "YAML anchors (`&name`) and aliases (`*name`) are not allowed."
        "Anchors and aliases make an entry hard to read and can expand without bound (the 'billion laughs' attack). Write each value out in full.";
    CUSTOM_TAG = "NSI007" "custom-tag" Error
        "YAML tags (`!tag`, `!!type`) are not allowed."
        "Tags change how a value is interpreted and differ between parsers. Remove the tag; quote the value if it must be a string.";
    NOT_A_MAPPING = "NSI008" "not-a-mapping" Error
        "The top level of the file is not a mapping of field names to values."
        "An entry is a YAML mapping: `id: ...`, `title: ...` and so on, each at the start of a line. Start from an existing entry or run `nsi add`.";
    EMPTY_FILE = "NSI009" "empty-file" Error
        "The file is empty."
        "The file holds no YAML document, or only comments. Fill it in, or delete it.";
    TOO_DEEP = "NSI010" "too-deep" Error
        "The YAML is nested more deeply than any entry needs."
        "An entry is at most four levels deep. Nesting beyond 64 levels is refused, so that a hostile file cannot exhaust memory or time.";
    MULTIPLE_DOCUMENTS = "NSI011" "multiple-documents" Error
        "The file holds more than one YAML document."
        "One file holds one entry. Remove the `---` separator and move the second document to a file of its own.";
    SYMLINK_OUTSIDE = "NSI012" "symlink-outside-catalogue" Error
        "A symbolic link leads outside the catalogue."
        "Entries must live inside `catalogue/`. A link to a file elsewhere could expose an unrelated file, so nsi does not follow it. Copy the entry into the catalogue instead.";
    MISPLACED_FILE = "NSI013" "misplaced-file" Error
        "The file is not at `catalogue/<owner-force>/<id>.yaml`."
        "Each entry lives in the folder of its owning force and is named after its id, with the extension `.yaml`. Rename or move the file.";
    COMPLEX_KEY = "NSI014" "complex-key" Error
        "A mapping key is not a plain string."
        "Field names are plain words such as `title`. A list or mapping used as a key (`? [a, b]: ...`) is not allowed.";
    SCHEMA = "NSI100" "schema" Error
        "The entry does not match the schema."
        "A value breaks a rule of schema/solution.schema.json not covered by a more specific code. The message names the rule.";
    MISSING_FIELD = "NSI101" "missing-field" Error
        "A required field is missing."
        "The finding points at the mapping that lacks the field. The hint quotes the field's description from the schema. `nsi add` prompts for every required field.";
    UNKNOWN_FIELD = "NSI102" "unknown-field" Error
        "A field is not part of the entry format."
        "The schema is strict so that a misspelt field is an error rather than silently ignored. Check the spelling (the hint suggests the nearest known field) or remove the field.";
    WRONG_TYPE = "NSI103" "wrong-type" Error
        "A value has the wrong type (text, list, mapping, number, true/false)."
        "Lists are written as `- item` lines or `[a, b]`; mappings as `key: value` lines. A number or `true`/`false` where text is expected must be quoted, e.g. `version: '2.1'`.";
    NOT_ALLOWED_VALUE = "NSI104" "not-allowed-value" Error
        "A value is not one of the allowed choices."
        "Fields such as `phase`, `visibility` and `aftercare.level` take one of a fixed set of values, listed in the message.";
    BAD_FORM = "NSI105" "bad-form" Error
        "A value does not have the expected form (slug, URL, licence, DOI, keyword)."
        "Slugs are lowercase words joined by hyphens (`thames-valley`); URLs start with `https://`; licences are SPDX identifiers (`MIT`, `OGL-UK-3.0`), `crown-copyright` or `proprietary`; tags are lowercase.";
    BAD_FORMAT = "NSI106" "bad-format" Error
        "A date, email address or URL is not valid."
        "Dates are written YYYY-MM-DD and must exist (2025-02-30 does not); email addresses need a user and a domain; URLs must be absolute.";
    BAD_LENGTH = "NSI107" "bad-length" Error
        "A text or list is too short or too long."
        "Summaries are at most 500 characters, titles at most 100, and an entry has one to three categories. The message gives the limit.";
    DUPLICATE_ITEM = "NSI108" "duplicate-item" Error
        "A list holds the same item twice."
        "Lists such as `categories`, `tags` and `standards` hold each value once. Remove the repeat.";
    ID_NOT_FILE_NAME = "NSI201" "id-not-file-name" Error
        "The `id` differs from the file name."
        "The file `catalogue/<force>/<id>.yaml` is named after the entry's id, so that the id alone finds the file. Rename the file or change the id (ids are permanent once published: prefer renaming the file).";
    OWNER_NOT_FOLDER = "NSI202" "owner-not-folder" Error
        "The `owner_force` differs from the folder the file is in."
        "Each entry lives in the folder of its owning force. Move the file to `catalogue/<owner_force>/`, or correct `owner_force`.";
    DUPLICATE_ID = "NSI203" "duplicate-id" Error
        "Two entries have the same id."
        "Ids are unique across the whole catalogue, whichever force owns the entry. Choose a more specific id, e.g. prefix it with the force.";
    UNKNOWN_FORCE = "NSI204" "unknown-force" Error
        "A force is not in schema/reference/forces.yaml."
        "`owner_force`, `partner_forces` and `adopters[].force` take a force slug from the reference list, e.g. `west-yorkshire`. The hint suggests the nearest slug.";
    UNKNOWN_CATEGORY = "NSI205" "unknown-category" Error
        "A category is not in schema/reference/categories.yaml."
        "Categories are aligned with national objectives and come from the reference list. The hint suggests the nearest one.";
    UNKNOWN_STANDARD = "NSI206" "unknown-standard" Error
        "A standard is not in schema/reference/standards.yaml."
        "`standards` takes slugs of national standards from the reference list, e.g. `technology-code-of-practice`. Propose a new standard by changing the list in its own pull request.";
    UNKNOWN_ROLE = "NSI207" "unknown-role" Error
        "A skill's role is not a DDaT role family from schema/reference/roles.yaml."
        "Skills use the role families of the Government Digital and Data Capability Framework, e.g. `software-development`, `data`, `it-operations`.";
    UNKNOWN_DOCUMENT_TYPE = "NSI208" "unknown-document-type" Error
        "A document type is not in schema/reference/documents.yaml."
        "Document types come from the workshop's list of what a sharing force provides, e.g. `business-case`, `dpia`, `technical-blueprint`.";
    PUBLIC_DOCUMENT_WITHOUT_URL = "NSI209" "public-document-without-url" Error
        "A document marked `availability: public` has no `url`."
        "A public document must say where to read it. Add `url: https://...`, or mark it `on-request`.";
    FUTURE_DATE = "NSI210" "future-date" Error
        "A date that records the past lies in the future."
        "`created`, `last_reviewed`, `adopters[].since` and `showcases[].date` record things that have happened. Check the year and month.";
    CONTACT_EXPIRED = "NSI211" "contact-expired" Warning
        "A contact's `valid_until` date has passed."
        "Contacts expire because people move on. Confirm the contact is still right and move `valid_until` forward, or replace the contact. `--strict` makes this an error.";
    REVIEW_OVERDUE = "NSI212" "review-overdue" Warning
        "The entry was last reviewed longer ago than the review period (12 months by default)."
        "Entries are reviewed at least once every review period: 12 months, unless `review_period_months` in the catalogue's `nsi.toml` (or `NSI_REVIEW_PERIOD_MONTHS`) says otherwise. Check the entry is still accurate and set `last_reviewed` to today. `--strict` makes this an error.";
    REVIEWED_BEFORE_CREATED = "NSI213" "reviewed-before-created" Error
        "`last_reviewed` is earlier than `created`."
        "An entry cannot be reviewed before it exists. Correct one of the two dates.";
    OWNER_LISTED_AGAIN = "NSI214" "owner-listed-again" Warning
        "The owning force is also listed as a partner or adopter."
        "`partner_forces` and `adopters` name other forces. Remove the owning force from them.";
    EXPLICIT_NULL = "NSI215" "explicit-null" Error
        "A field is present but empty."
        "A key with no value (`tags:` followed by nothing) is null, which no field accepts. Fill it in, or remove the key for an optional field.";
    EMAIL_DOMAIN_NOT_ALLOWED = "NSI216" "email-domain-not-allowed" Error
        "A contact's email is not at one of the domains the catalogue allows."
        "When the catalogue's `nsi.toml` sets `allowed_email_domains` (or `NSI_ALLOWED_EMAIL_DOMAINS` is set), every contact's email must be at one of those domains or a subdomain of one (`kent.police.uk` is within `police.uk`), so that contacts are reachable on official addresses. Use the contact's work address, or ask the catalogue's maintainers to allow the domain.";
    POSSIBLE_SECRET = "NSI217" "possible-secret" Error
        "Text looks like it contains a credential: a key, token, private key or password."
        "Entries are published, some to the public, and git keeps every version. Never paste credentials into an entry: remove it, and if it was real, revoke it, because it stays in the repository's history. It is an error, so `validate`, `add`, `edit`, `publish` and `review` all refuse the entry, and exports leave it out. Recognised: AWS access key ids (`AKIA`, `ASIA`); GitHub tokens (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`, `github_pat_`); GitLab (`glpat-`) and npm (`npm_`) tokens; Azure DevOps personal access tokens (84 characters with `AZDO` near the end, or 52 characters of lowercase letters and the digits 2 to 7 with at least two digits); Slack tokens (`xoxb-`…, `xapp-`) and webhook addresses (`hooks.slack.com/services/…`); private key blocks (`-----BEGIN … PRIVATE KEY-----`); JSON Web Tokens; Azure storage keys; Google API keys (`AIza`); Stripe live secret keys (`sk_live_`, `rk_live_`); URLs with a password; and `password:`, `secret=`, `api_key:`… followed by a value that holds a digit, a symbol or an inner capital (not a word of prose or a placeholder such as `<your-key>`). If the text is not a secret, rephrase it so it does not look like one.";
    PERSONAL_EMAIL = "NSI218" "personal-email" Warning
        "A contact's email is at a personal email provider (Gmail, Outlook.com, iCloud, …)."
        "Contacts are the people other forces call about a solution, on behalf of their force. Give a work address: a personal one leaks a private address into the index and stops working for the force when the person moves on.";
    CONTROL_CHARACTER = "NSI219" "control-character" Error
        "Text holds a control character or a character that changes the direction text is shown in."
        "Entry text is shown in terminals, spreadsheets, pull-request comments and web pages. Control characters (escape, carriage return, bell, the C1 range) written as escapes in double quotes can rewrite a terminal line or hide text, and the bidirectional embeddings, overrides and isolates (U+202A to U+202E, U+2066 to U+2069) make text display in another order than it is stored, so a reviewer reads something other than what is published. Remove them. Line breaks and tabs are fine, and so are the marks right-to-left languages need (U+200E, U+200F, U+061C).";
    REFERENCE_LIST = "NSI300" "invalid-reference-list" Error
        "A reference list under schema/reference/ is broken."
        "The reference lists (forces and regions, categories, standards, DDaT role families, document types) are what entries are checked against, what prompts, filters and completions offer, and where `nsi codeowners` takes the force slugs that name owners, so each is checked against a schema of its own (schema/reference/*.schema.json, built into nsi): its required fields, no unknown keys, slugs in lowercase words joined by hyphens (a standard's may hold a dot for a version, as in `wcag-2.2-aa`), names on one line without control characters, each slug once, each force's region among the regions, and each slug of a `retired:` section out of use, replaced by slugs the list has. Entries are checked once the lists are valid. Fix the file at the line given.";
    OLDER_SCHEMA_VERSION = "NSI301" "older-schema-version" Warning
        "The entry was written for an older version of the schema, and is read through its migration."
        "An entry states the schema version it was written for in `schema_version` (none means 1.0.0). nsi reads an older entry through the migrations to the catalogue's schema, so it is checked as the migration would leave it. Run `nsi migrate` to rewrite it for the current version: see docs/migrations.md.";
    UNKNOWN_SCHEMA_VERSION = "NSI302" "unknown-schema-version" Error
        "The entry states a schema version nsi cannot read it as."
        "`schema_version` names a version this nsi has no migration from, or one later than the catalogue's schema. Correct `schema_version`, or update nsi (`nsi version` lists the versions it knows) or the catalogue's schema/ folder.";
    RETIRED_SLUG = "NSI303" "retired-slug" Warning
        "A force, category, standard, role or document type has been retired from its reference list."
        "Reference lists retire slugs when forces merge or are renamed, or a category is split; the list's `retired:` section says what replaces each one. When there is one successor, `nsi migrate` writes it (and moves the entry to its new owner's folder); when a slug was split, choose the successor that fits. `--strict` makes this an error.";
    AWAITING_AUTHOR = "NSI304" "awaiting-author" Warning
        "A migration left a marker in a field for the owning force to replace."
        "When a new version of the schema asks for something no migration can know, `nsi migrate` leaves a marker value (such as `ai.use: not-stated`) that keeps the entry valid. The owning force replaces it with the real answer; until then this warning stays. It cannot be excepted.";
    EXCEPTION_NOT_ALLOWED = "NSI305" "exception-not-allowed" Error
        "An exception names a rule that may not be excepted."
        "An entry's `exceptions` may silence only the warnings listed in RULES.md as exceptable. Errors are never excepted: fix the entry instead. A code that is no rule at all is refused too.";
    EXCEPTION_EXPIRED = "NSI306" "exception-expired" Warning
        "An exception's `until` date has passed, so the warning it silenced is back."
        "Exceptions are justified for a time. Once `until` has passed the warning shows again beside this note: fix what it warns about, or, if the reason still holds, move `until` forward in a pull request the gatekeeper approves.";
}

/// The warnings an entry may never silence with an exception: those a migration or a person
/// must resolve, and the note that an exception has expired.
const NEVER_EXCEPTED: &[&Rule] = &[
    &OLDER_SCHEMA_VERSION,
    &RETIRED_SLUG,
    &AWAITING_AUTHOR,
    &EXCEPTION_EXPIRED,
];

/// Whether an entry may silence `rule` with a justified exception: warnings only, and not
/// those a migration or a person must resolve.
pub fn may_be_excepted(rule: &Rule) -> bool {
    rule.severity == Severity::Warning && !NEVER_EXCEPTED.iter().any(|r| r.code == rule.code)
}

/// Find a rule by its code (`NSI005`, case-insensitive) or its name (`duplicate-key`).
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    ALL.iter()
        .copied()
        .find(|rule| rule.code.eq_ignore_ascii_case(code_or_name) || rule.name == code_or_name)
}

/// The rule catalogue as Markdown, the content of `RULES.md`.
pub fn markdown() -> String {
    use std::fmt::Write as _;
    let mut out = String::from(
        "# nsi validation rules\n\nGenerated from `src/catalogue/validate/rules.rs` \
         (run `UPDATE_RULES=1 cargo test --test rules` after changing a rule). \
         `nsi validate --explain CODE` prints one entry.\n\n\
         | code | name | severity | checks |\n|---|---|---|---|\n",
    );
    for rule in ALL {
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | {} |",
            rule.code, rule.name, rule.severity, rule.summary
        );
    }
    let excepted: Vec<String> = ALL
        .iter()
        .filter(|rule| may_be_excepted(rule))
        .map(|rule| format!("{} `{}`", rule.code, rule.name))
        .collect();
    let _ = write!(
        out,
        "\n## Justified exceptions\n\n\
         An entry may silence a warning that does not apply to it, for that entry only, with a \
         reason and the last day it holds (`exceptions: [{{rule: NSI212, reason: \"…\", until: \
         2027-06-30}}]`); `nsi review` lists every exception a pull request claims, and after \
         `until` the warning returns with NSI306. These rules may be excepted: {}. Errors never \
         may (NSI305), nor the warnings a migration or a person must resolve. See \
         docs/migrations.md.\n",
        excepted.join(", ")
    );
    for rule in ALL {
        let _ = write!(
            out,
            "\n## {} `{}`\n\n{}\n\n{}\n",
            rule.code, rule.name, rule.summary, rule.explanation
        );
    }
    out
}
