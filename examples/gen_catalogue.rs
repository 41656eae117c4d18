//! Generate a seeded, realistic, synthetic National Solutions Index catalogue, for benchmarks and
//! load tests of `nsi`.
//!
//! ```text
//! cargo run --release --example gen_catalogue -- --entries 10000 --seed 42 --out /tmp/cat10k
//! NSI_TODAY=2026-11-28 ./target/release/nsi --catalogue /tmp/cat10k validate
//! ```
//!
//! Writes `OUT/catalogue/<force>/<id>.yaml` and copies this repository's `schema/` folder to
//! `OUT/schema`, so that `OUT` is a catalogue root on its own. The force, category, standard,
//! DDaT role and document-type slugs are read from `schema/reference/*.yaml` at run time, never
//! hard-coded, so the generator follows changes to the reference lists.
//!
//! Every entry is valid (no errors, no warnings) when judged on the `--today` date (default
//! 2026-11-28): all dates that record the past lie before it, `last_reviewed` within the six
//! months before it, and contacts stay valid for one to two years after it. The same seed gives
//! byte-identical output, and entry `i` does not depend on how many entries are generated, so a
//! 1,000-entry catalogue is the first 1,000 entries of a 10,000-entry one with the same seed.
//!
//! Entries are written for the schema's version (the version segment of its `$id`): from 2.0.0
//! on they say how they use AI (`ai.use`, never the marker `not-stated`) and end with
//! `schema_version`. `bench/migrate.sh` takes them back to 1.0.0 by deleting those lines.
//!
//! `--invalid-percent N` gives about N% of entries one realistic mistake each (a misspelt field, an
//! unknown category, a bad date, a public document without a URL); they are listed in
//! `OUT/injected-errors.tsv`.
//!
//! Uses only the standard library: the random numbers come from a `SplitMix64` generator.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "\
gen_catalogue: write a seeded synthetic NSI catalogue

USAGE:
    cargo run --release --example gen_catalogue -- --out DIR [OPTIONS]

OPTIONS:
    --out DIR                 catalogue root to create (DIR/catalogue and DIR/schema)
    --entries N               number of entries [default: 1000]
    --seed S                  random seed (an unsigned integer) [default: 42]
    --invalid-percent P       give about P% of entries one realistic error each [default: 0]
    --today YYYY-MM-DD        the date entries must be valid on [default: 2026-11-28]
    --force                   replace DIR/catalogue and DIR/schema if they already exist
    -h, --help                print this help
";

// ---------------------------------------------------------------------------------------------
// Random numbers
// ---------------------------------------------------------------------------------------------

/// `SplitMix64` (Steele, Lea and Flood 2014): tiny, fast, and good enough for test data.
struct Rng(u64);

impl Rng {
    /// A generator for one purpose (`stream`) of one entry (`index`) under `seed`.
    fn new(seed: u64, index: u64, stream: u64) -> Self {
        let mut rng = Rng(seed ^ 0x6A09_E667_F3BC_C908);
        let a = rng.next_u64();
        let mut rng = Rng(a ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let b = rng.next_u64();
        Rng(b ^ stream.wrapping_mul(0xBF58_476D_1CE4_E5B9))
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`), by Lemire's multiply-shift.
    fn below(&mut self, n: usize) -> usize {
        let wide = u128::from(self.next_u64()) * n as u128;
        usize::try_from(wide >> 64).expect("below n")
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let span = usize::try_from(hi - lo + 1).expect("small range");
        lo + i64::try_from(self.below(span)).expect("small range")
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: u32) -> bool {
        self.below(100) < percent as usize
    }

    fn pick<'a, T: ?Sized>(&mut self, items: &[&'a T]) -> &'a T {
        items[self.below(items.len())]
    }

    fn pick_string<'a>(&mut self, items: &'a [String]) -> &'a str {
        &items[self.below(items.len())]
    }

    /// `k` distinct indices of `0..n`, in random order.
    fn distinct(&mut self, n: usize, k: usize) -> Vec<usize> {
        let mut all: Vec<usize> = (0..n).collect();
        let k = k.min(n);
        for i in 0..k {
            let j = i + self.below(n - i);
            all.swap(i, j);
        }
        all.truncate(k);
        all
    }

    /// `k` distinct items of `items`.
    fn sample<'a, T: ?Sized>(&mut self, items: &[&'a T], k: usize) -> Vec<&'a T> {
        self.distinct(items.len(), k)
            .into_iter()
            .map(|i| items[i])
            .collect()
    }

    /// A count from `weights`: index `i` is drawn with probability `weights[i] / sum`.
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut roll = u32::try_from(self.below(total as usize)).expect("small total");
        for (i, w) in weights.iter().enumerate() {
            if roll < *w {
                return i;
            }
            roll -= w;
        }
        weights.len() - 1
    }
}

// ---------------------------------------------------------------------------------------------
// Dates (days since 1970-01-01; Howard Hinnant's civil-calendar algorithms)
// ---------------------------------------------------------------------------------------------

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn format_date(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

fn parse_date(text: &str) -> Option<i64> {
    let mut parts = text.split('-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let d: i64 = parts.next()?.parse().ok()?;
    if parts.next().is_some() || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let days = days_from_civil(y, m, d);
    (civil_from_days(days) == (y, m, d)).then_some(days)
}

fn year_of(days: i64) -> i64 {
    civil_from_days(days).0
}

// ---------------------------------------------------------------------------------------------
// Reference lists, read from the repository's schema/reference/*.yaml at run time
// ---------------------------------------------------------------------------------------------

struct Force {
    slug: String,
    name: String,
}

struct Reference {
    forces: Vec<Force>,
    categories: Vec<String>,
    standards: Vec<String>,
    roles: Vec<String>,
    documents: Vec<String>,
    /// The entry schema's version (the version segment of its `$id`), written to every entry's
    /// `schema_version` when the schema has one beyond the first.
    schema_version: Option<String>,
}

/// The version segment of the schema's `$id` (`…/schema/2.0.0/solution.schema.json`), when it is
/// later than 1.0.0: entries of the first version state none.
fn schema_version(schema: &Path) -> Option<String> {
    let text = fs::read_to_string(schema.join("solution.schema.json")).ok()?;
    let id = text.split("\"$id\"").nth(1)?.split('"').nth(1)?;
    let version = id.split('/').find(|part| {
        !part.is_empty()
            && part
                .split('.')
                .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    })?;
    (version != "1.0.0").then(|| version.to_owned())
}

/// The value after `key` on a flow-mapping line such as `- {slug: kent, name: Kent Police}`.
fn flow_value(line: &str, key: &str) -> Option<String> {
    let start = [format!("{{{key}:"), format!(" {key}:")]
        .iter()
        .filter_map(|k| line.find(k.as_str()).map(|at| at + k.len()))
        .min()?;
    let rest = line[start..].trim_start();
    let value = if let Some(quoted) = rest.strip_prefix('"') {
        quoted.split('"').next().unwrap_or_default()
    } else if let Some(quoted) = rest.strip_prefix('\'') {
        quoted.split('\'').next().unwrap_or_default()
    } else {
        rest.split([',', '}', '#'])
            .next()
            .unwrap_or_default()
            .trim()
    };
    (!value.is_empty()).then(|| value.to_owned())
}

/// `(slug, name)` of every line containing `slug:` inside the top-level `section:` of `file`.
/// Other sections (e.g. `regions:` in forces.yaml) are skipped.
fn read_list(
    dir: &Path,
    file: &str,
    section: &str,
) -> Result<Vec<(String, Option<String>)>, String> {
    let path = dir.join(file);
    let text =
        fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut current = String::new();
    let mut out = Vec::new();
    for line in text.lines() {
        let starts_section = line
            .chars()
            .next()
            .is_some_and(|c| !c.is_whitespace() && c != '#' && c != '-');
        if starts_section {
            line.split(':')
                .next()
                .unwrap_or_default()
                .trim()
                .clone_into(&mut current);
            continue;
        }
        if current == section
            && line.contains("slug:")
            && let Some(slug) = flow_value(line, "slug")
        {
            out.push((slug, flow_value(line, "name")));
        }
    }
    if out.is_empty() {
        return Err(format!(
            "{}: no `slug:` lines found under `{section}:`",
            path.display()
        ));
    }
    Ok(out)
}

impl Reference {
    fn read(schema: &Path) -> Result<Self, String> {
        let dir = schema.join("reference");
        let slugs = |file: &str, section: &str| -> Result<Vec<String>, String> {
            Ok(read_list(&dir, file, section)?
                .into_iter()
                .map(|(slug, _)| slug)
                .collect())
        };
        let forces = read_list(&dir, "forces.yaml", "forces")?
            .into_iter()
            .map(|(slug, name)| {
                let name = name.unwrap_or_else(|| title_case(&slug.replace('-', " ")));
                Force { slug, name }
            })
            .collect();
        Ok(Reference {
            forces,
            categories: slugs("categories.yaml", "categories")?,
            standards: slugs("standards.yaml", "standards")?,
            roles: slugs("roles.yaml", "roles")?,
            documents: slugs("documents.yaml", "documents")?,
            schema_version: schema_version(schema),
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------------------------

/// What a solution is about: its title noun, what it handles, who uses it, and words that find
/// likely categories among the reference slugs.
struct Subject {
    name: &'static str,
    object: &'static str,
    users: &'static str,
    hints: &'static [&'static str],
}

/// What kind of thing a solution is.
struct Kind {
    name: &'static str,
    noun: &'static str,
    does: &'static str,
    hints: &'static [&'static str],
}

macro_rules! subjects {
    ($( $name:literal, $object:literal, $users:literal, [$($hint:literal),*]; )*) => {
        &[$( Subject { name: $name, object: $object, users: $users, hints: &[$($hint),*] } ),*]
    };
}

macro_rules! kinds {
    ($( $name:literal, $noun:literal, $does:literal, [$($hint:literal),*]; )*) => {
        &[$( Kind { name: $name, noun: $noun, does: $does, hints: &[$($hint),*] } ),*]
    };
}

const SUBJECTS: &[Subject] = subjects! {
    "Domestic Abuse", "domestic abuse reports", "public protection officers", ["vawg", "domestic", "safeguarding"];
    "Missing Person", "missing person reports", "missing person coordinators", ["vulnerability", "safeguarding"];
    "Custody", "custody records", "custody sergeants", ["criminal-justice"];
    "Stop and Search", "stop and search records", "neighbourhood supervisors", ["neighbourhood", "data"];
    "ANPR", "ANPR reads and hotlist hits", "intelligence analysts", ["operational", "intelligence"];
    "Retail Crime", "shoplifting reports from retailers", "retail crime officers", ["retail", "asb"];
    "Anti-Social Behaviour", "anti-social behaviour incidents", "neighbourhood teams", ["asb", "neighbourhood"];
    "Knife Crime", "knife crime incidents", "violence reduction teams", ["knife", "violence"];
    "Serious Violence", "serious violence offences", "violence reduction units", ["violence", "analytics"];
    "Disclosure", "unused material schedules", "investigators and disclosure champions", ["criminal-justice"];
    "Case File", "case files for the CPS", "criminal justice units", ["criminal-justice"];
    "Digital Evidence", "digital evidence submissions", "digital forensic units", ["digital-evidence", "forensics"];
    "Body-Worn Video", "body-worn video footage", "response officers", ["operational", "digital-evidence"];
    "Drone", "drone flight logs", "the drone unit", ["operational"];
    "Officer Wellbeing", "wellbeing check-ins", "officers and staff", ["wellbeing", "workforce"];
    "Neighbourhood Abstraction", "abstractions of neighbourhood officers", "neighbourhood inspectors", ["neighbourhood"];
    "Fraud", "fraud reports", "economic crime teams", ["fraud", "cyber"];
    "Cybercrime", "cybercrime reports", "cyber protect officers", ["cyber"];
    "Call Handling", "101 and 999 calls", "call handlers", ["public-contact"];
    "Online Reporting", "online crime reports", "the crime bureau", ["public-contact"];
    "Firearms Licensing", "firearms licence applications", "firearms licensing staff", ["automation", "information"];
    "Vetting", "vetting applications", "the vetting unit", ["workforce", "information"];
    "Crime Recording", "crime records", "crime registrars", ["investigation", "information"];
    "RASSO", "rape and serious sexual offence investigations", "specialist investigators", ["vawg", "investigation"];
    "Hate Crime", "hate crime reports", "community cohesion officers", ["neighbourhood", "vulnerability"];
    "Child Exploitation", "child exploitation referrals", "safeguarding hubs", ["vulnerability", "partnership"];
    "Modern Slavery", "modern slavery referrals", "the modern slavery team", ["vulnerability", "investigation"];
    "MASH Referral", "multi-agency safeguarding referrals", "MASH staff", ["safeguarding", "partnership"];
    "Intelligence", "intelligence submissions", "intelligence officers", ["intelligence"];
    "Property and Exhibits", "seized property and exhibits", "property officers", ["criminal-justice", "automation"];
    "Warrant", "court warrants", "the warrants team", ["criminal-justice"];
    "Victim Contact", "victim updates", "witness care and investigating officers", ["public-contact", "vulnerability"];
    "Road Safety", "road traffic collision reports", "roads policing units", ["data", "operational"];
    "Duty Planning", "duty rosters", "resource planners", ["workforce", "automation"];
    "Records Review", "records due for MoPI review", "the records management unit", ["information"];
    "FOI Request", "freedom of information requests", "the information rights team", ["information", "automation"];
    "Mental Health", "mental health related incidents", "street triage teams", ["vulnerability", "partnership"];
    "Interview", "interview recordings", "investigators", ["investigation", "automation"];
    "Performance", "force performance data", "senior leaders and analysts", ["data"];
    "Organised Crime", "organised crime group data", "serious organised crime units", ["intelligence"];
    "Accessible Document", "documents and forms", "all staff", ["workforce", "information"];
    "Out of Court Resolution", "out of court resolutions", "decision makers", ["criminal-justice"];
    "Licensing", "premises licence objections", "licensing officers", ["asb", "partnership"];
    "Firearms Incident", "firearms incident logs", "armed response supervisors", ["operational"];
    "Youth Diversion", "youth diversion referrals", "youth offending teams", ["vulnerability", "partnership"];
};

const KINDS: &[Kind] = kinds! {
    "Triage Tool", "triage tool", "scores and prioritises", ["automation", "vulnerability"];
    "Dashboard", "dashboard", "brings together and charts", ["analytics"];
    "Reporting Portal", "reporting portal", "lets the public submit", ["public-contact"];
    "Automation", "automation", "automatically processes", ["automation"];
    "App", "mobile app", "captures and updates", ["mobile"];
    "Tracker", "tracker", "tracks", ["data"];
    "Risk Model", "risk model", "assesses the risk in", ["analytics"];
    "Redaction Tool", "redaction tool", "redacts personal data from", ["digital-evidence", "criminal-justice"];
    "Scheduler", "scheduler", "schedules the work arising from", ["productivity"];
    "Chatbot", "chatbot", "answers questions about", ["public-contact"];
    "Workflow", "workflow", "routes and tracks", ["automation"];
    "Data Platform", "data platform", "joins and cleans", ["analytics"];
    "Assistant", "AI assistant", "summarises and drafts notes on", ["automation"];
    "Referral Hub", "referral hub", "shares", ["partnership"];
    "Quality Checker", "quality checker", "checks the quality of", ["information", "data"];
    "Analytics", "analytics service", "analyses patterns in", ["analytics"];
    "Pocket Notebook", "digital pocket notebook", "records", ["mobile", "frontline"];
    "Search", "search tool", "searches across", ["investigation", "intelligence"];
    "Transcription", "transcription service", "transcribes", ["automation", "investigation"];
    "Mapping", "mapping tool", "maps", ["analytics", "neighbourhood"];
    "Alerts", "alerting service", "raises alerts on", ["operational", "data"];
    "Self-Service Form", "self-service form", "collects", ["public-contact", "automation"];
};

const QUALIFIERS: &[&str] = &[
    "Digital",
    "Automated",
    "Integrated",
    "Regional",
    "Joint",
    "Rapid",
    "Smart",
    "Online",
    "Predictive",
    "Secure",
    "Unified",
    "Multi-Agency",
    "AI-Assisted",
    "Live",
    "Shared",
    "Enhanced",
];

const CODENAMES: &[&str] = &[
    "Beacon",
    "Compass",
    "Harbour",
    "Lantern",
    "Sentinel",
    "Kestrel",
    "Atlas",
    "Horizon",
    "Keystone",
    "Meridian",
    "Orbit",
    "Pathfinder",
    "Relay",
    "Signal",
    "Waypoint",
    "Anchor",
    "Bridge",
    "Clarity",
    "Insight",
    "Nexus",
    "Falcon",
    "Osprey",
    "Granite",
    "Ember",
    "Lighthouse",
];

const SYSTEMS: &[&str] = &[
    "Niche RMS",
    "Athena",
    "PNC",
    "PND",
    "Connect",
    "STORM",
    "SmartStorm",
    "Pronto",
    "Microsoft 365",
    "Power BI",
    "Axon Evidence",
    "ServiceNow",
    "Oracle HR",
    "the duty management system",
    "the CPS Common Platform",
    "the ANPR National Back Office",
    "Single Online Home",
    "Qlik Sense",
    "SharePoint Online",
    "Genesys Cloud",
    "the local authority case system",
    "the digital evidence management system",
    "the command and control system",
    "the force data warehouse",
    "Microsoft Teams",
    "the custody system",
    "the crime bureau mailbox",
];

const METHODS: &[&str] = &[
    "REST API",
    "Nightly file drop over SFTP",
    "Read-only database view",
    "Manual export to CSV, imported weekly",
    "Power Automate connector",
    "Microsoft Graph API",
    "ODBC connection to a read replica",
    "Azure Service Bus messages",
    "Supplier API",
    "Robotic process automation through the user interface",
    "Secure email with a structured attachment",
    "Hourly incremental extract through Azure Data Factory",
];

const STACK: &[&str] = &[
    "Power Apps",
    "Power Automate",
    "Power BI",
    "Azure Functions",
    "Azure SQL Database",
    "Azure Data Factory",
    "Python",
    "R",
    "C# / .NET 8",
    "TypeScript",
    "React",
    "PostgreSQL",
    "SQL Server 2019",
    "Blue Prism",
    "UiPath",
    "Microsoft Dataverse",
    "SharePoint Online",
    "Microsoft Teams",
    "Copilot Studio",
    "Azure OpenAI Service",
    "Databricks",
    "Qlik Sense",
    "Tableau",
    "Esri ArcGIS",
    "Kotlin (Android)",
    "Swift (iOS)",
    "Flutter",
    "Docker",
    "Kubernetes (AKS)",
    "AWS Lambda",
    "Amazon S3",
    "Terraform",
    "Django",
    "Node.js",
    "Elasticsearch",
    "Apache Kafka",
    "Microsoft Forms",
    "Dynamics 365",
    "Salesforce",
    "Java 21 / Spring Boot",
    "Go",
    "Rust",
];

const LICENCES: &[&str] = &[
    "MIT",
    "OGL-UK-3.0",
    "Apache-2.0",
    "crown-copyright",
    "proprietary",
    "MIT OR Apache-2.0",
    "GPL-3.0-only",
    "crown-copyright",
    "proprietary",
    "OGL-UK-3.0",
];

const GENERIC_TAGS: &[&str] = &[
    "automation",
    "open source",
    "power platform",
    "analytics",
    "safeguarding",
    "victim care",
    "data quality",
    "mobile",
    "gis",
    "ai",
    "rpa",
    "dashboard",
    "reuse",
    "microsoft 365",
    "cloud",
    "low code",
    "workflow",
    "machine learning",
    "public contact",
    "efficiency",
    "hmicfrs",
    "mopi",
    "audit",
    "accessibility",
];

const FIRST_NAMES: &[&str] = &[
    "Laura",
    "Oliver",
    "Helen",
    "James",
    "Priya",
    "Daniel",
    "Sarah",
    "Mohammed",
    "Emma",
    "Thomas",
    "Aisha",
    "Gareth",
    "Rebecca",
    "Samuel",
    "Chloe",
    "David",
    "Fatima",
    "Richard",
    "Hannah",
    "Michael",
    "Niamh",
    "Ravi",
    "Siobhan",
    "Callum",
    "Joanne",
    "Kwame",
    "Bethan",
    "Stuart",
    "Amira",
    "Martin",
    "Lucy",
    "Owen",
    "Grace",
    "Rhys",
    "Zara",
    "Andrew",
    "Catherine",
    "Ian",
    "Megan",
    "Tom",
];

const SURNAMES: &[&str] = &[
    "Bennett",
    "Grant",
    "Adebayo",
    "Hughes",
    "Patel",
    "Okafor",
    "Walsh",
    "Khan",
    "Thompson",
    "Evans",
    "Davies",
    "Murray",
    "Clarke",
    "Robertson",
    "Nowak",
    "Ahmed",
    "Fletcher",
    "Brennan",
    "O'Connor",
    "O'Neill",
    "Jones",
    "Harris",
    "Mensah",
    "Campbell",
    "Sinclair",
    "Lloyd",
    "Chaudhry",
    "Reid",
    "Dawson",
    "Price",
    "Shaw",
    "Edwards",
    "Morgan",
    "Quayle",
    "Hewson",
    "Ellis",
    "Fraser",
    "Begum",
    "Kowalski",
    "McAllister",
];

const CONTACT_ROLES: &[&str] = &[
    "Product owner",
    "Digital service owner",
    "Chief Inspector, business lead for {title}",
    "Detective Sergeant, subject matter expert",
    "Head of Digital Innovation",
    "Lead developer",
    "Business change manager",
    "Data and analytics manager",
    "Superintendent, senior responsible owner",
    "Solution architect",
    "Information asset owner",
];

const TEAMS: &[&str] = &[
    "Digital Innovation team",
    "Business Intelligence unit",
    "Change and Transformation team",
    "Data Office",
    "Digital Services department",
    "Continuous Improvement team",
    "IT Development team",
    "Automation Centre of Excellence",
];

const ENTRY_POINTS: &[&str] = &[
    "their force laptop",
    "the force intranet",
    "a tab in Microsoft Teams",
    "their force mobile device",
    "a link in {sys1}",
    "the desktop shortcut installed with the standard build",
];

const OLD_PROCESSES: &[&str] = &[
    "a shared mailbox and a spreadsheet maintained by hand",
    "paper forms scanned into {sys1}",
    "a legacy Access database that was no longer supported",
    "phone calls and manual look-ups in {sys1} and {sys2}",
    "a weekly meeting at which {object} were reviewed one by one",
    "an unsupported Excel macro written by a former member of staff",
];

const SUMMARY_OPENINGS: &[&str] = &[
    "{title} {does} {object} for {users}, replacing a largely manual process that relied on spreadsheets and email.",
    "A {kind} that {does} {object}, built so that {users} can see what needs doing first without searching several systems.",
    "{title} gives {users} a single view of {object}, drawing on {sys1} and {sys2}, and flags the cases that need action.",
    "Built by {force}, {title} {does} {object} and hands the result to {users} in the tools they already use.",
    "{title} is a {kind} that {does} {object}, so that {users} spend less time on administration and more on the public.",
];

const SUMMARY_MIDDLES: &[&str] = &[
    " It reads from {sys1} through a {method1} and writes results back for supervisors to check.",
    " It runs on {stack1} and needs no new licences for forces already on Microsoft 365.",
    " Supervisors can see at a glance which {object} are overdue, who holds them and what happens next.",
    " It was designed with {users} over {weeks} weeks of user research and has been used daily since go-live.",
    " Every decision it suggests is shown with its reasons, and a person always makes the final call.",
];

const SUMMARY_ENDINGS: &[&str] = &[
    " Since launch it has saved about {hours} hours a week and cut the backlog by {pct}%.",
    " It handled {m} cases in its first year.",
    " Other forces can adopt it with modest configuration.",
    " It is in use across {n} districts.",
];

const PROBLEMS: &[&str] = &[
    "{Users} were spending around {hours} hours a week re-keying {object} between {sys1} and {sys2}.",
    "Before {title}, {object} were tracked on spreadsheets held by individual teams, so nobody had a force-wide picture.",
    "An HMICFRS inspection found that {object} were not reviewed consistently: {pct}% of a sample had no recorded supervisory decision.",
    "Delays in handling {object} meant that victims waited longer for contact and evidence was lost.",
    "The old process depended on a handful of experienced staff; when they were away, {object} built up into a backlog of several weeks.",
    "Demand for {object} rose by {pct}% in three years while the team stayed the same size.",
    "Each of our {n} districts handled {object} differently, and performance could not be compared.",
    "Errors in {object} were found late, often by the CPS or the courts, and each one cost hours to put right.",
];

const HOW_IT_WORKS: &[&str] = &[
    "{Users} open {title} from {entry_point}. It {does} {object} using data from {sys1}, applying the rules agreed with the {team}. Each item is given a status and a named owner, and anything close to a deadline is highlighted.",
    "Every {minutes} minutes {title} collects new {object} from {sys1}. It {does} them against a set of rules written with {users}, and puts the results on a worklist that supervisors can filter by team, risk and due date.",
    "{title} sits alongside {sys1} rather than replacing it. When a record changes, a {method1} passes the change to the {kind}, which {does} the record and sends anything that needs a person to the right queue.",
];

const FEATURES: &[&str] = &[
    "A worklist of {object} sorted by risk and due date, filtered to the user's team.",
    "Reminders by email and Teams when an item is close to its deadline.",
    "A full audit trail of who viewed, changed or closed each record.",
    "Read-only access for supervisors and partners, controlled through Entra ID groups.",
    "Export to {sys2} without re-keying.",
    "Plain-English guidance on each screen, written with {users}.",
    "A weekly summary for senior leaders showing volumes, timeliness and outcomes.",
    "Offline working on force mobile devices, syncing when a signal returns.",
    "Configurable rules, so that each force can set its own thresholds and deadlines.",
    "Accessibility tested with screen readers and keyboard-only use.",
];

const REPLACED: &[&str] = &[
    "It replaced {old_process}. {Users} told us the old way was slow and that it was easy to lose track of {object}.",
    "Before it, the team relied on {old_process}. The {kind} took {weeks} weeks to build and was tested with {users} at every stage.",
    "It replaced {old_process}, which the {team} had kept going for years. Moving to the new process was mostly a change in working practice, not technology.",
];

const LIMITS: &[&str] = &[
    "It does not make decisions: {users} remain responsible for every outcome, and the tool records who accepted or changed each suggestion.",
    "It does not replace {sys1}, which remains the system of record. Nothing is deleted or changed there without a person confirming it.",
    "It does not hold any data of its own beyond a {days}-day working cache; retention follows the force's MoPI policy.",
    "It does not yet cover {object} received from partner agencies by post; these are still entered by hand.",
];

const ORIGINS: &[&str] = &[
    "First built in {year} by a small team in the {team} of {force}, it has since been refined with {partner} and is now maintained as business as usual.",
    "The first version went live in {year}. A second release added reporting for senior leaders after feedback from {partner}.",
    "Developed in {year} with funding from the force's innovation budget, it now has a named product owner and a quarterly release cycle.",
];

const RATIONALES: &[&str] = &[
    "Several forces are working on the same problem with {object}. Our configuration, DPIA and lessons learned could save a receiving force months of discovery.",
    "{title} runs on {stack1}, which most forces already license, so it can be reused with little new spend.",
    "Sharing it avoids duplicate builds and lets forces compare {object} on the same basis.",
    "The design work with {users} is the valuable part; the technology is simple and easy to rebuild elsewhere.",
];

const SKILL_NOTES: &[&str] = &[
    "Configuring {stack1} and maintaining the data connections to {sys1}.",
    "Running user research with {users} before go-live.",
    "Monitoring, patching and the service desk runbook.",
    "Adapting the data model to local recording practice.",
    "Owning the backlog and leading the business change.",
    "Testing changes against the receiving force's own data.",
];

const DOC_NOTES: &[&str] = &[
    "Redacted version; the full document is available to forces on request.",
    "Includes the data flow diagrams and the record of processing.",
    "Updated after the {year} review.",
    "Written for service desk staff.",
    "Covers the rules, thresholds and how to change them.",
];

const AFTERCARE_NOTES: &[&str] = &[
    "We host visits and share our operating model. Questions by email to the product owner.",
    "Monthly drop-in call for adopting forces; bug fixes are shared through the code repository.",
    "Detailed support is charged at cost and agreed in a collaboration agreement.",
    "Documentation only; we are happy to answer occasional questions.",
    "A community of practice on the Police Digital Service knowledge hub answers questions.",
];

const COST_NOTES: &[&str] = &[
    "Mostly staff time for configuration and business change; licences are usually already held.",
    "Includes supplier licences for a force of about {m} officers and staff.",
    "Running costs are hosting and a part-time administrator.",
];

const BENEFITS: &[(&str, &str)] = &[
    (
        "Time saved for {users}.",
        "About {hours} hours a week across the force, measured by timing the old and new process for {weeks} weeks.",
    ),
    (
        "Faster handling of {object}.",
        "Median time to first action fell from {days} days to {n} days in the first six months.",
    ),
    (
        "Better data quality.",
        "Records failing the force's data quality checks fell by {pct}% (audit of {m} records).",
    ),
    (
        "Fewer deadlines missed.",
        "Items breaching their deadline fell by {pct}% against the previous year.",
    ),
    (
        "Improved victim satisfaction.",
        "Satisfaction with being kept informed rose by {n} points in the victim survey.",
    ),
];

const SHOWCASE_EVENTS: &[&str] = &[
    "Police Digital Summit",
    "National Policing Innovation Showcase",
    "PDS Show and Tell",
    "Regional Innovation Forum",
    "Excellence in Policing Conference",
    "Home Office Science and Technology Showcase",
    "National Data Protection Practitioners' conference",
];

const RESEARCH_TITLES: &[&str] = &[
    "Evaluation of {title} in {force}",
    "A mixed-methods study of {object} in policing",
    "Process evaluation of {kind} adoption across forces",
    "What works in handling {object}: a rapid evidence assessment",
];

const HOSTING: &[(&str, &str)] = &[
    ("cloud", "Force Azure tenancy, UK South region"),
    ("cloud", "AWS eu-west-2 (London) in the force's own account"),
    ("cloud", "Microsoft 365 tenancy of the owning force"),
    (
        "on-premises",
        "Force data centre, virtual servers on VMware",
    ),
    (
        "on-premises",
        "On-premises SQL Server cluster in the force data centre",
    ),
    (
        "hybrid",
        "Azure front end with an on-premises data gateway to {sys1}",
    ),
    (
        "hybrid",
        "Force data centre, with reporting published to Power BI Service",
    ),
    (
        "saas",
        "Supplier-hosted in UK data centres, assured against NCSC Cloud Security Principles",
    ),
];

const PHASES: &[&str] = &["discovery", "alpha", "beta", "live", "retired"];
const PHASE_WEIGHTS: &[u32] = &[5, 10, 20, 60, 5];
const LEVELS: &[&str] = &["awareness", "working", "practitioner", "expert"];
const AVAILABILITY: &[&str] = &["public", "on-request", "not-available"];
const AFTERCARE: &[&str] = &["none", "documentation-only", "light-touch", "chargeable"];
/// `ai.use` (schema 2.0.0), without the marker `not-stated`, which would be a warning.
const AI_USES: &[&str] = &["none", "assists", "decides"];
const COST_BANDS: &[&str] = &[
    "none",
    "under-10k",
    "10k-50k",
    "50k-250k",
    "over-250k",
    "unknown",
];
const ADOPTION: &[&str] = &["exploring", "piloting", "adopted"];

// ---------------------------------------------------------------------------------------------
// Text helpers
// ---------------------------------------------------------------------------------------------

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

fn title_case(text: &str) -> String {
    text.split(' ')
        .map(capitalise)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Lowercase words joined by single hyphens, at most `max` characters, cut at a word boundary.
fn slugify(text: &str, max: usize) -> String {
    let mut slug = String::new();
    for word in text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let word = word.to_ascii_lowercase();
        let extra = word.len() + usize::from(!slug.is_empty());
        if slug.len() + extra > max {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&word);
    }
    slug
}

/// A keyword as the schema's `tags` pattern allows: lowercase letters, digits, ` .+#/-`.
fn tag(text: &str) -> Option<String> {
    let lowered: String = text
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || " .+#/-".contains(c) {
                c
            } else {
                ' '
            }
        })
        .collect();
    let tag = lowered.split_whitespace().collect::<Vec<_>>().join(" ");
    let ok = tag.chars().next().is_some_and(char::is_alphanumeric) && tag.chars().count() <= 40;
    ok.then_some(tag)
}

/// An email local part for a person's name: `siobhan.oconnor`.
fn email_local(first: &str, last: &str) -> String {
    let clean = |s: &str| {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase()
    };
    format!("{}.{}", clean(first), clean(last))
}

fn with_commas(n: i64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Wrap `text` to lines of at most `width` characters (longer words stay whole).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// A YAML single-quoted scalar: inner single quotes are doubled.
fn q(text: &str) -> String {
    debug_assert!(
        !text.contains('\n'),
        "single-quoted scalars here are one line"
    );
    format!("'{}'", text.replace('\'', "''"))
}

// ---------------------------------------------------------------------------------------------
// One entry
// ---------------------------------------------------------------------------------------------

/// The words a template can use: `{title}`, `{object}`, … and numbers drawn afresh each time.
struct Context {
    title: String,
    kind: &'static str,
    does: &'static str,
    object: &'static str,
    users: &'static str,
    force: String,
    partner: String,
    sys1: &'static str,
    sys2: &'static str,
    method1: String,
    stack1: &'static str,
    team: &'static str,
    year: i64,
}

impl Context {
    /// Replace every `{name}` in `template`; `{Name}` capitalises the value.
    fn fill(&self, template: &str, rng: &mut Rng) -> String {
        let mut out = String::with_capacity(template.len() + 64);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let close = rest[open..]
                .find('}')
                .map(|c| open + c)
                .expect("template braces balance");
            let name = &rest[open + 1..close];
            let lower = name.to_ascii_lowercase();
            let value = self.value(&lower, rng);
            if name.starts_with(|c: char| c.is_ascii_uppercase()) {
                out.push_str(&capitalise(&value));
            } else {
                out.push_str(&value);
            }
            rest = &rest[close + 1..];
        }
        out.push_str(rest);
        out
    }

    fn value(&self, name: &str, rng: &mut Rng) -> String {
        match name {
            "title" => self.title.clone(),
            "kind" => self.kind.to_owned(),
            "does" => self.does.to_owned(),
            "object" => self.object.to_owned(),
            "users" => self.users.to_owned(),
            "force" => self.force.clone(),
            "partner" => self.partner.clone(),
            "sys1" => self.sys1.to_owned(),
            "sys2" => self.sys2.to_owned(),
            "method1" => self.method1.to_lowercase(),
            "stack1" => self.stack1.to_owned(),
            "team" => self.team.to_owned(),
            "year" => self.year.to_string(),
            "entry_point" => self.fill(rng.pick(ENTRY_POINTS), rng),
            "old_process" => self.fill(rng.pick(OLD_PROCESSES), rng),
            "n" => rng.range(2, 9).to_string(),
            "hours" => rng.range(3, 45).to_string(),
            "pct" => rng.range(12, 68).to_string(),
            "m" => with_commas(rng.range(250, 9000)),
            "weeks" => rng.range(3, 14).to_string(),
            "days" => rng.range(10, 30).to_string(),
            "minutes" => [5, 10, 15, 30][rng.below(4)].to_string(),
            other => panic!("unknown template field {{{other}}}"),
        }
    }
}

struct Integration {
    system: String,
    method: String,
}

struct Skill {
    role: String,
    level: &'static str,
    notes: Option<String>,
}

struct Document {
    kind: String,
    availability: &'static str,
    url: Option<String>,
    classification: Option<&'static str>,
    notes: Option<String>,
}

struct Contact {
    name: String,
    role: String,
    email: String,
    valid_until: String,
}

struct Adopter {
    force: String,
    status: &'static str,
    since: Option<String>,
}

struct Research {
    title: String,
    url: Option<String>,
    doi: Option<String>,
}

struct Showcase {
    date: String,
    event: &'static str,
    recording_url: Option<String>,
}

struct Entry {
    id: String,
    title: String,
    summary: String,
    problem_statement: String,
    description: Vec<String>,
    owner_force: String,
    partner_forces: Vec<String>,
    categories: Vec<String>,
    tags: Vec<String>,
    phase: &'static str,
    stack: Vec<&'static str>,
    deployment: &'static str,
    hosting: Option<String>,
    integrations: Vec<Integration>,
    licence: &'static str,
    skills: Vec<Skill>,
    documentation: Vec<Document>,
    contacts: Vec<Contact>,
    standards: Vec<String>,
    aftercare_level: &'static str,
    aftercare_notes: Option<String>,
    costs: Option<(&'static str, &'static str, Option<String>)>,
    benefits: Vec<(String, Option<String>)>,
    adopters: Vec<Adopter>,
    research: Vec<Research>,
    showcases: Vec<Showcase>,
    rationale: String,
    visibility: &'static str,
    version: Option<String>,
    created: String,
    ai_use: &'static str,
    schema_version: Option<String>,
    last_reviewed: String,
}

/// Choose a category for each hint that matches a reference slug, then top up at random.
fn choose_categories(
    rng: &mut Rng,
    reference: &Reference,
    subject: &Subject,
    kind: &Kind,
) -> Vec<String> {
    let wanted = 1 + rng.weighted(&[30, 45, 25]);
    let matching = |hints: &[&str]| -> Vec<&str> {
        reference
            .categories
            .iter()
            .filter(|slug| hints.iter().any(|h| slug.contains(h)))
            .map(String::as_str)
            .collect()
    };
    let mut chosen: Vec<String> = Vec::new();
    for pool in [matching(subject.hints), matching(kind.hints)] {
        if chosen.len() < wanted && !pool.is_empty() {
            let slug = rng.pick(&pool);
            if !chosen.iter().any(|c| c == slug) {
                chosen.push(slug.to_owned());
            }
        }
    }
    while chosen.len() < wanted && chosen.len() < reference.categories.len() {
        let slug = rng.pick_string(&reference.categories);
        if !chosen.iter().any(|c| c == slug) {
            chosen.push(slug.to_owned());
        }
    }
    chosen
}

/// Other forces: none of them `owner`, none in `exclude`.
fn other_forces(
    rng: &mut Rng,
    reference: &Reference,
    owner: &str,
    exclude: &[String],
    k: usize,
) -> Vec<usize> {
    let candidates: Vec<usize> = (0..reference.forces.len())
        .filter(|&i| {
            reference.forces[i].slug != owner && !exclude.contains(&reference.forces[i].slug)
        })
        .collect();
    rng.distinct(candidates.len(), k)
        .into_iter()
        .map(|i| candidates[i])
        .collect()
}

fn sentences(rng: &mut Rng, context: &Context, pools: &[&[&str]]) -> String {
    pools
        .iter()
        .map(|pool| context.fill(rng.pick(pool), rng))
        .collect()
}

fn summary(rng: &mut Rng, context: &Context) -> String {
    let mut text = sentences(rng, context, &[SUMMARY_OPENINGS, SUMMARY_MIDDLES]);
    if text.len() < 330 {
        let extra = context.fill(rng.pick(SUMMARY_ENDINGS), rng);
        text.push_str(&extra);
    }
    if text.len() < 200 {
        let extra = context.fill(rng.pick(SUMMARY_MIDDLES), rng);
        if !text.contains(&extra) {
            text.push_str(&extra);
        }
    }
    text
}

#[allow(clippy::too_many_lines)]
fn generate(
    index: u64,
    seed: u64,
    reference: &Reference,
    today: i64,
    ids: &mut HashMap<String, u32>,
) -> Entry {
    let mut rng = Rng::new(seed, index, 0);
    let rng = &mut rng;
    let subject = &SUBJECTS[rng.below(SUBJECTS.len())];
    let kind = &KINDS[rng.below(KINDS.len())];

    // "Online Reporting" + "Reporting Portal" makes "Online Reporting Portal".
    let kind_first = kind.name.split(' ').next().unwrap_or_default();
    let mut title = match subject.name.strip_suffix(kind_first) {
        Some(stem) if stem.ends_with(' ') => format!("{stem}{}", kind.name),
        _ => format!("{} {}", subject.name, kind.name),
    };
    if rng.chance(30) {
        let qualifier = rng.pick(QUALIFIERS);
        if !title.contains(qualifier) {
            title = format!("{qualifier} {title}");
        }
    }
    if rng.chance(12) {
        title = format!("{}: {title}", rng.pick(CODENAMES));
    }
    let base = slugify(&title, 56);
    let count = ids.entry(base.clone()).or_insert(0);
    *count += 1;
    let id = if *count == 1 {
        base
    } else {
        format!("{base}-{count}")
    };

    let owner = &reference.forces[rng.below(reference.forces.len())];
    let partner_forces: Vec<String> = {
        let k = rng.weighted(&[60, 28, 12]);
        other_forces(rng, reference, &owner.slug, &[], k)
            .into_iter()
            .map(|i| reference.forces[i].slug.clone())
            .collect()
    };
    let partner_name = partner_forces
        .first()
        .and_then(|slug| reference.forces.iter().find(|f| &f.slug == slug))
        .map_or_else(|| "neighbouring forces".to_owned(), |f| f.name.clone());

    let stack: Vec<&'static str> = {
        let k = 1 + rng.weighted(&[20, 40, 30, 10]);
        rng.sample(STACK, k)
    };
    let systems = rng.sample(SYSTEMS, 2);
    // Created from 2019 (earlier if --today is early), at least six months before today.
    let earliest = days_from_civil(2019, 1, 1).min(today - 2000);
    let created = rng.range(earliest, today - 185);
    let context = Context {
        title: title.clone(),
        kind: kind.noun,
        does: kind.does,
        object: subject.object,
        users: subject.users,
        force: owner.name.clone(),
        partner: partner_name,
        sys1: systems[0],
        sys2: systems[1],
        method1: rng.pick(METHODS).to_owned(),
        stack1: stack[0],
        team: rng.pick(TEAMS),
        year: year_of(created),
    };

    let summary = summary(rng, &context);
    let problem_statement = {
        let k = 2 + rng.below(2);
        let picks = rng.sample(PROBLEMS, k);
        picks
            .iter()
            .map(|p| context.fill(p, rng))
            .collect::<Vec<_>>()
            .join(" ")
    };

    let mut description = vec![context.fill(rng.pick(HOW_IT_WORKS), rng)];
    if rng.chance(55) {
        let mut list = String::from("**What it does**\n");
        let k = 3 + rng.below(2);
        for feature in rng.sample(FEATURES, k) {
            list.push_str("\n- ");
            list.push_str(&context.fill(feature, rng));
        }
        description.push(list);
    }
    description.push(context.fill(rng.pick(REPLACED), rng));
    if rng.chance(55) {
        description.push(context.fill(rng.pick(LIMITS), rng));
    }
    if rng.chance(45) {
        description.push(context.fill(rng.pick(ORIGINS), rng));
    }

    let categories = choose_categories(rng, reference, subject, kind);

    let mut tags: Vec<String> = Vec::new();
    let mut candidates: Vec<String> = vec![subject.name.to_owned(), kind.noun.to_owned()];
    candidates.extend(stack.iter().take(2).map(|s| (*s).to_owned()));
    let k = 1 + rng.below(4);
    candidates.extend(rng.sample(GENERIC_TAGS, k).into_iter().map(str::to_owned));
    for candidate in candidates {
        if let Some(t) = tag(&candidate)
            && !tags.contains(&t)
        {
            tags.push(t);
        }
    }

    let phase = PHASES[rng.weighted(PHASE_WEIGHTS)];
    let (deployment, hosting_template) = HOSTING[rng.below(HOSTING.len())];
    let hosting = rng.chance(80).then(|| context.fill(hosting_template, rng));
    let integrations = {
        let k = rng.weighted(&[30, 40, 22, 8]);
        rng.sample(SYSTEMS, k)
            .into_iter()
            .map(|system| Integration {
                system: capitalise(system),
                method: rng.pick(METHODS).to_owned(),
            })
            .collect()
    };
    let licence = rng.pick(LICENCES);

    let skills = {
        let k = 1 + rng.weighted(&[30, 45, 25]);
        rng.distinct(reference.roles.len(), k)
            .into_iter()
            .map(|i| Skill {
                role: reference.roles[i].clone(),
                level: rng.pick(LEVELS),
                notes: rng
                    .chance(45)
                    .then(|| context.fill(rng.pick(SKILL_NOTES), rng)),
            })
            .collect()
    };

    let domain = format!("{}.police.example", owner.slug);
    let documentation = {
        let k = 1 + rng.weighted(&[30, 40, 25, 5]);
        rng.distinct(reference.documents.len(), k)
            .into_iter()
            .map(|i| {
                let kind = reference.documents[i].clone();
                let availability = AVAILABILITY[rng.weighted(&[35, 55, 10])];
                let url = match availability {
                    "public" => Some(if kind.contains("code") {
                        format!("https://code.{domain}/{id}")
                    } else {
                        let section = rng.pick(&[
                            "foi/publication-scheme",
                            "about/innovation",
                            "digital/solutions",
                        ]);
                        format!("https://www.{domain}/{section}/{id}/{kind}")
                    }),
                    _ => None,
                };
                Document {
                    classification: rng
                        .chance(85)
                        .then(|| ["official", "official-sensitive"][rng.weighted(&[80, 20])]),
                    notes: rng
                        .chance(25)
                        .then(|| context.fill(rng.pick(DOC_NOTES), rng)),
                    kind,
                    availability,
                    url,
                }
            })
            .collect()
    };

    let contacts = {
        let k = 1 + rng.weighted(&[65, 35]);
        (0..k)
            .map(|_| {
                let first = rng.pick(FIRST_NAMES);
                let last = rng.pick(SURNAMES);
                Contact {
                    name: format!("{first} {last}"),
                    role: context.fill(rng.pick(CONTACT_ROLES), rng),
                    email: format!("{}@{domain}", email_local(first, last)),
                    valid_until: format_date(rng.range(today + 35, today + 760)),
                }
            })
            .collect()
    };

    let standards = {
        let k = rng.weighted(&[15, 25, 30, 20, 10]);
        rng.distinct(reference.standards.len(), k)
            .into_iter()
            .map(|i| reference.standards[i].clone())
            .collect()
    };

    let aftercare_level = AFTERCARE[rng.weighted(&[10, 30, 45, 15])];
    let aftercare_notes = rng
        .chance(75)
        .then(|| context.fill(rng.pick(AFTERCARE_NOTES), rng));
    let costs = rng.chance(70).then(|| {
        (
            rng.pick(COST_BANDS),
            rng.pick(COST_BANDS),
            rng.chance(50)
                .then(|| context.fill(rng.pick(COST_NOTES), rng)),
        )
    });
    let benefits = {
        let k = rng.weighted(&[30, 45, 25]);
        rng.distinct(BENEFITS.len(), k)
            .into_iter()
            .map(|i| {
                let (description, measure) = BENEFITS[i];
                (
                    context.fill(description, rng),
                    rng.chance(85).then(|| context.fill(measure, rng)),
                )
            })
            .collect()
    };

    let last_day = today - 1;
    let adopters = {
        let k = rng.weighted(&[50, 25, 15, 10]);
        other_forces(rng, reference, &owner.slug, &partner_forces, k)
            .into_iter()
            .map(|i| Adopter {
                force: reference.forces[i].slug.clone(),
                status: rng.pick(ADOPTION),
                since: rng
                    .chance(80)
                    .then(|| format_date(rng.range(created + 30, last_day))),
            })
            .collect()
    };
    let research = if rng.chance(15) {
        let title = context.fill(rng.pick(RESEARCH_TITLES), rng);
        let doi = rng
            .chance(60)
            .then(|| format!("10.5555/nsi.{}.{:04}", context.year, rng.below(10_000)));
        let url = (doi.is_none() || rng.chance(40)).then(|| {
            format!(
                "https://eprints.university.example/{}",
                10_000 + rng.below(90_000)
            )
        });
        vec![Research { title, url, doi }]
    } else {
        Vec::new()
    };
    let showcases = (0..rng.weighted(&[70, 22, 8]))
        .map(|_| Showcase {
            date: format_date(rng.range(created, last_day)),
            event: rng.pick(SHOWCASE_EVENTS),
            recording_url: rng.chance(50).then(|| {
                format!(
                    "https://events.pds.police.example/recordings/{}",
                    1000 + rng.below(9000)
                )
            }),
        })
        .collect();

    let rationale = {
        let k = 1 + rng.below(2);
        let picks = rng.sample(RATIONALES, k);
        picks
            .iter()
            .map(|p| context.fill(p, rng))
            .collect::<Vec<_>>()
            .join(" ")
    };

    Entry {
        id,
        title,
        summary,
        problem_statement,
        description,
        owner_force: owner.slug.clone(),
        partner_forces,
        categories,
        tags,
        phase,
        stack,
        deployment,
        hosting,
        integrations,
        licence,
        skills,
        documentation,
        contacts,
        standards,
        aftercare_level,
        aftercare_notes,
        costs,
        benefits,
        adopters,
        research,
        showcases,
        rationale,
        visibility: if rng.chance(55) { "policing" } else { "public" },
        version: rng
            .chance(60)
            .then(|| format!("{}.{}", rng.range(1, 5), rng.range(0, 9))),
        created: format_date(created),
        last_reviewed: format_date(rng.range(today - 180, last_day)),
        // A stream of its own, so that the other fields are as they were before 2.0.0.
        ai_use: Rng::new(seed, index, 2).pick(AI_USES),
        schema_version: reference.schema_version.clone(),
    }
}

// ---------------------------------------------------------------------------------------------
// Writing YAML by hand
// ---------------------------------------------------------------------------------------------

fn list(out: &mut String, key: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "{key}:");
    for item in items {
        let _ = writeln!(out, "  - {}", q(item));
    }
}

#[allow(clippy::too_many_lines)]
fn emit(entry: &Entry) -> String {
    let mut o = String::with_capacity(4096);
    let _ = writeln!(o, "id: {}", q(&entry.id));
    let _ = writeln!(o, "title: {}", q(&entry.title));
    let _ = writeln!(o, "summary: {}", q(&entry.summary));
    let _ = writeln!(o, "problem_statement: {}", q(&entry.problem_statement));
    o.push_str("description: |\n");
    for (i, paragraph) in entry.description.iter().enumerate() {
        if i > 0 {
            o.push('\n');
        }
        for block in paragraph.split('\n') {
            if block.is_empty() {
                o.push('\n');
                continue;
            }
            let (first_prefix, next_prefix, body) = block
                .strip_prefix("- ")
                .map_or(("", "", block), |item| ("- ", "  ", item));
            for (j, line) in wrap(body, 88).iter().enumerate() {
                let prefix = if j == 0 { first_prefix } else { next_prefix };
                let _ = writeln!(o, "  {prefix}{line}");
            }
        }
    }
    let _ = writeln!(o, "owner_force: {}", q(&entry.owner_force));
    list(&mut o, "partner_forces", &entry.partner_forces);
    list(&mut o, "categories", &entry.categories);
    list(&mut o, "tags", &entry.tags);
    let _ = writeln!(o, "phase: {}", q(entry.phase));
    o.push_str("technology:\n  stack:\n");
    for item in &entry.stack {
        let _ = writeln!(o, "    - {}", q(item));
    }
    let _ = writeln!(o, "  deployment: {}", q(entry.deployment));
    if let Some(hosting) = &entry.hosting {
        let _ = writeln!(o, "  hosting: {}", q(hosting));
    }
    if !entry.integrations.is_empty() {
        o.push_str("  integrations:\n");
        for integration in &entry.integrations {
            let _ = writeln!(o, "    - system: {}", q(&integration.system));
            let _ = writeln!(o, "      method: {}", q(&integration.method));
        }
    }
    let _ = writeln!(o, "  licence: {}", q(entry.licence));
    o.push_str("skills:\n");
    for skill in &entry.skills {
        let _ = writeln!(o, "  - role: {}", q(&skill.role));
        let _ = writeln!(o, "    level: {}", q(skill.level));
        if let Some(notes) = &skill.notes {
            let _ = writeln!(o, "    notes: {}", q(notes));
        }
    }
    o.push_str("documentation:\n");
    for doc in &entry.documentation {
        let _ = writeln!(o, "  - type: {}", q(&doc.kind));
        let _ = writeln!(o, "    availability: {}", q(doc.availability));
        if let Some(url) = &doc.url {
            let _ = writeln!(o, "    url: {}", q(url));
        }
        if let Some(classification) = doc.classification {
            let _ = writeln!(o, "    classification: {}", q(classification));
        }
        if let Some(notes) = &doc.notes {
            let _ = writeln!(o, "    notes: {}", q(notes));
        }
    }
    o.push_str("contacts:\n");
    for contact in &entry.contacts {
        let _ = writeln!(o, "  - name: {}", q(&contact.name));
        let _ = writeln!(o, "    role: {}", q(&contact.role));
        let _ = writeln!(o, "    email: {}", q(&contact.email));
        let _ = writeln!(o, "    valid_until: {}", q(&contact.valid_until));
    }
    list(&mut o, "standards", &entry.standards);
    o.push_str("aftercare:\n");
    let _ = writeln!(o, "  level: {}", q(entry.aftercare_level));
    if let Some(notes) = &entry.aftercare_notes {
        let _ = writeln!(o, "  notes: {}", q(notes));
    }
    if let Some((setup, running, notes)) = &entry.costs {
        o.push_str("costs:\n");
        let _ = writeln!(o, "  setup: {}", q(setup));
        let _ = writeln!(o, "  running: {}", q(running));
        if let Some(notes) = notes {
            let _ = writeln!(o, "  notes: {}", q(notes));
        }
    }
    if !entry.benefits.is_empty() {
        o.push_str("benefits:\n");
        for (description, measure) in &entry.benefits {
            let _ = writeln!(o, "  - description: {}", q(description));
            if let Some(measure) = measure {
                let _ = writeln!(o, "    measure: {}", q(measure));
            }
        }
    }
    if !entry.adopters.is_empty() {
        o.push_str("adopters:\n");
        for adopter in &entry.adopters {
            let _ = writeln!(o, "  - force: {}", q(&adopter.force));
            let _ = writeln!(o, "    status: {}", q(adopter.status));
            if let Some(since) = &adopter.since {
                let _ = writeln!(o, "    since: {}", q(since));
            }
        }
    }
    if !entry.research.is_empty() {
        o.push_str("research:\n");
        for research in &entry.research {
            let _ = writeln!(o, "  - title: {}", q(&research.title));
            if let Some(url) = &research.url {
                let _ = writeln!(o, "    url: {}", q(url));
            }
            if let Some(doi) = &research.doi {
                let _ = writeln!(o, "    doi: {}", q(doi));
            }
        }
    }
    if !entry.showcases.is_empty() {
        o.push_str("showcases:\n");
        for showcase in &entry.showcases {
            let _ = writeln!(o, "  - date: {}", q(&showcase.date));
            let _ = writeln!(o, "    event: {}", q(showcase.event));
            if let Some(url) = &showcase.recording_url {
                let _ = writeln!(o, "    recording_url: {}", q(url));
            }
        }
    }
    let _ = writeln!(o, "rationale: {}", q(&entry.rationale));
    let _ = writeln!(o, "visibility: {}", q(entry.visibility));
    if let Some(version) = &entry.version {
        let _ = writeln!(o, "version: {}", q(version));
    }
    let _ = writeln!(o, "created: {}", q(&entry.created));
    let _ = writeln!(o, "last_reviewed: {}", q(&entry.last_reviewed));
    if let Some(version) = &entry.schema_version {
        let _ = writeln!(o, "ai:\n  use: {}", entry.ai_use);
        let _ = writeln!(o, "schema_version: {}", q(version));
    }
    o
}

// ---------------------------------------------------------------------------------------------
// Injected errors (--invalid-percent)
// ---------------------------------------------------------------------------------------------

/// Misspelt optional fields: (the line as written, the line with the typo). Only optional fields,
/// so that one typo is one mistake (a misspelt required field also reports it as missing).
const FIELD_TYPOS: &[(&str, &str)] = &[
    ("tags:", "tag:"),
    ("version:", "verison:"),
    ("partner_forces:", "partner_force:"),
    ("benefits:", "benfits:"),
    ("standards:", "standard:"),
    ("  hosting:", "  hostng:"),
    ("  integrations:", "  intergrations:"),
    ("showcases:", "showcase:"),
    ("adopters:", "adoptors:"),
    ("    classification:", "    clasification:"),
];

/// Category slugs a person might plausibly write that are not in the list.
const WRONG_CATEGORIES: &[&str] = &[
    "roads-policing",
    "counter-terrorism",
    "custody",
    "cyber-crime",
    "safeguarding",
    "data-and-analytics",
    "domestic-abuse",
    "automation",
    "mobile-working",
    "knife-crime",
];

/// Change `entry` (or its text) to carry one realistic error. Returns the text and what was done.
fn inject(rng: &mut Rng, reference: &Reference, mut entry: Entry, today: i64) -> (String, String) {
    match rng.below(4) {
        0 => {
            let text = emit(&entry);
            let present: Vec<&(&str, &str)> = FIELD_TYPOS
                .iter()
                .filter(|(field, _)| {
                    text.starts_with(field) || text.contains(&format!("\n{field}"))
                })
                .collect();
            let (field, typo) = *rng.pick(&present);
            let needle = format!("\n{field}");
            let at = text.find(&needle).expect("present") + 1;
            let text = format!("{}{typo}{}", &text[..at], &text[at + field.len()..]);
            (
                text,
                format!(
                    "unknown-field\t`{}` written `{}`",
                    field.trim().trim_end_matches(':'),
                    typo.trim().trim_end_matches(':')
                ),
            )
        }
        1 => {
            let i = rng.below(entry.categories.len());
            let real = entry.categories[i].clone();
            let mut wrong = if rng.chance(50) {
                // Drop one letter of the real slug: a typo.
                let letters: Vec<usize> = real
                    .char_indices()
                    .filter(|(_, c)| *c != '-')
                    .map(|(at, _)| at)
                    .collect();
                let at = letters[rng.below(letters.len())];
                format!("{}{}", &real[..at], &real[at + 1..])
            } else {
                rng.pick(WRONG_CATEGORIES).to_owned()
            };
            while reference.categories.contains(&wrong) || entry.categories.contains(&wrong) {
                wrong.push_str("-x");
            }
            entry.categories[i].clone_from(&wrong);
            (
                emit(&entry),
                format!("unknown-category\t`{real}` written `{wrong}`"),
            )
        }
        2 => {
            let year = year_of(today) - i64::try_from(rng.below(4)).expect("small");
            let (field, bad) = match rng.below(4) {
                0 => ("created", format!("{year}-02-30")),
                1 => ("created", format!("{year}-13-{:02}", rng.range(1, 28))),
                2 => {
                    let (y, m, d) =
                        civil_from_days(parse_date(&entry.created).expect("generated date"));
                    ("created", format!("{d:02}/{m:02}/{y}"))
                }
                _ => ("last_reviewed", format_date(today + rng.range(20, 300))),
            };
            let detail = format!("bad-date\t`{field}` is `{bad}`");
            if field == "created" {
                entry.created = bad;
            } else {
                entry.last_reviewed = bad;
            }
            (emit(&entry), detail)
        }
        _ => {
            let i = rng.below(entry.documentation.len());
            entry.documentation[i].availability = "public";
            entry.documentation[i].url = None;
            let detail = format!(
                "public-document-without-url\tdocumentation[{i}] ({})",
                entry.documentation[i].kind
            );
            (emit(&entry), detail)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Command line and files
// ---------------------------------------------------------------------------------------------

struct Options {
    out: PathBuf,
    entries: u64,
    seed: u64,
    invalid_percent: f64,
    today: i64,
    force: bool,
}

fn parse_args() -> Result<Options, String> {
    let mut args = std::env::args().skip(1);
    let mut out = None;
    let mut options = Options {
        out: PathBuf::new(),
        entries: 1000,
        seed: 42,
        invalid_percent: 0.0,
        today: days_from_civil(2026, 11, 28),
        force: false,
    };
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match name.as_str() {
            "-h" | "--help" => {
                print!("{USAGE}");
                std::process::exit(0);
            }
            "--out" => out = Some(PathBuf::from(value()?)),
            "--entries" => {
                options.entries = value()?.parse().map_err(|e| format!("--entries: {e}"))?;
            }
            "--seed" => options.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--invalid-percent" => {
                let p: f64 = value()?
                    .parse()
                    .map_err(|e| format!("--invalid-percent: {e}"))?;
                if !(0.0..=100.0).contains(&p) {
                    return Err("--invalid-percent must be between 0 and 100".into());
                }
                options.invalid_percent = p;
            }
            "--today" => {
                let text = value()?;
                options.today = parse_date(&text)
                    .ok_or_else(|| format!("--today: `{text}` is not a YYYY-MM-DD date"))?;
            }
            "--force" => options.force = true,
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    options.out = out.ok_or("--out DIR is required")?;
    Ok(options)
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    fs::create_dir_all(to)?;
    for item in fs::read_dir(from)? {
        let item = item?;
        let target = to.join(item.file_name());
        if item.file_type()?.is_dir() {
            copy_dir(&item.path(), &target)?;
        } else {
            fs::copy(item.path(), target)?;
        }
    }
    Ok(())
}

fn run(options: &Options) -> Result<(), String> {
    let started = Instant::now();
    let repo_schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema");
    let reference = Reference::read(&repo_schema)?;

    let catalogue = options.out.join("catalogue");
    let schema = options.out.join("schema");
    for dir in [&catalogue, &schema] {
        if dir.exists() {
            if !options.force {
                return Err(format!(
                    "{} already exists (pass --force to replace it)",
                    dir.display()
                ));
            }
            fs::remove_dir_all(dir).map_err(|e| format!("cannot remove {}: {e}", dir.display()))?;
        }
    }
    copy_dir(&repo_schema, &schema).map_err(|e| {
        format!(
            "cannot copy {} to {}: {e}",
            repo_schema.display(),
            schema.display()
        )
    })?;
    fs::create_dir_all(&catalogue)
        .map_err(|e| format!("cannot create {}: {e}", catalogue.display()))?;

    let threshold = (options.invalid_percent * 100.0).round();
    let mut ids: HashMap<String, u32> = HashMap::new();
    let mut made: HashSet<String> = HashSet::new();
    let mut injected = String::new();
    let mut bytes = 0usize;
    let (mut smallest, mut largest) = (usize::MAX, 0usize);
    for index in 0..options.entries {
        let entry = generate(index, options.seed, &reference, options.today, &mut ids);
        let folder = catalogue.join(&entry.owner_force);
        if made.insert(entry.owner_force.clone()) {
            fs::create_dir_all(&folder)
                .map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
        }
        let path = folder.join(format!("{}.yaml", entry.id));
        let mut error_rng = Rng::new(options.seed, index, 1);
        #[allow(clippy::cast_precision_loss)]
        let inject_here = threshold > 0.0 && (error_rng.below(10_000) as f64) < threshold;
        let text = if inject_here {
            let display = format!("catalogue/{}/{}.yaml", entry.owner_force, entry.id);
            let (text, detail) = inject(&mut error_rng, &reference, entry, options.today);
            let _ = writeln!(injected, "{display}\t{detail}");
            text
        } else {
            emit(&entry)
        };
        bytes += text.len();
        smallest = smallest.min(text.len());
        largest = largest.max(text.len());
        fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    let errors_file = options.out.join("injected-errors.tsv");
    if injected.is_empty() {
        let _ = fs::remove_file(&errors_file);
    } else {
        fs::write(&errors_file, format!("file\tkind\tdetail\n{injected}"))
            .map_err(|e| format!("cannot write {}: {e}", errors_file.display()))?;
    }
    let average = if options.entries == 0 {
        0
    } else {
        bytes / usize::try_from(options.entries).unwrap_or(1)
    };
    eprintln!(
        "wrote {} entries for {} forces to {} ({:.1} MB; {} to {} bytes, mean {}), {} with an injected error, valid on {}, in {:.2?}",
        options.entries,
        made.len(),
        catalogue.display(),
        f64::from(u32::try_from(bytes / 1000).unwrap_or(u32::MAX)) / 1e3,
        if options.entries == 0 { 0 } else { smallest },
        largest,
        average,
        injected.lines().count(),
        format_date(options.today),
        started.elapsed()
    );
    Ok(())
}

fn main() -> ExitCode {
    match parse_args().and_then(|options| run(&options)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("gen_catalogue: {message}");
            eprintln!("run with --help for usage");
            ExitCode::from(2)
        }
    }
}
