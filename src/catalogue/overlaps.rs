//! Overlaps: where different forces built the same thing.
//!
//! Portfolio leads and regional boards "were often unsighted on solutions to known problems
//! because forces have worked independently". An overlap is a group of entries owned by
//! different forces that look like the same solution: each entry is compared with the
//! catalogue by the similarity `nsi similar` uses (title, summary, problem statement and
//! technology, weighed as a search weighs them), a pair scores the average of how much each
//! covers of the other, pairs of different owners scoring at least [`OVERLAP`] are linked, and
//! linked entries are grouped transitively. Same-force near copies are the business of
//! `nsi review` and `nsi similar`, not of this report.
//!
//! Each group suggests a lead entry, the one another force would do best to reuse: the most
//! mature (live, then beta, alpha, discovery; retired last), then the best documented (most
//! documents obtainable: public or on request), then the most adopted (adopted counts 3,
//! piloting 2, exploring 1), then the first id.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;
use serde::Serialize;

use super::entry::{AdoptionStatus, Availability, Entry, Phase};
use super::reference::Reference;
use super::search::IndexView;
use super::search::similar::{self, Profile, SimilarityText};

/// The least pair score that links two entries of different forces into an overlap: the score
/// at which `nsi add` and `nsi review` call an entry "the same solution"
/// ([`similar::VERY_CLOSE`]). On the shipped catalogue the two solutions rebuilt by a second
/// force score 0.24 and 0.39, and the closest pair of different solutions 0.15.
pub const OVERLAP: f32 = similar::VERY_CLOSE;

/// How many candidates each entry is compared with (see [`overlaps`]).
const CANDIDATES: usize = 12;

/// A word held by more than one entry in this many is too common to find candidates by.
const RARE_SHARE: usize = 50;

/// One entry of an overlap.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OverlapEntry {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The owning force.
    pub owner_force: String,
    /// The owning force's region.
    pub region: String,
    /// Its phase.
    pub phase: Phase,
    /// Forces that adopted it, are piloting or exploring it.
    pub adopters: Vec<(String, AdoptionStatus)>,
    /// Document types another force can get (public or on request).
    pub documents: Vec<String>,
    /// Its categories.
    pub categories: Vec<String>,
}

/// A group of entries of different forces that look like the same solution.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overlap {
    /// The suggested lead entry's id (see the module's documentation for how it is chosen).
    pub lead: String,
    /// Why it leads, in words.
    pub lead_because: String,
    /// The entries, the lead first, then by id.
    pub entries: Vec<OverlapEntry>,
    /// The owning forces, sorted.
    pub forces: Vec<String>,
    /// Their regions, sorted.
    pub regions: Vec<String>,
    /// The categories of any entry, sorted.
    pub categories: Vec<String>,
    /// The highest pair score within the group (0–1).
    pub strongest: f32,
    /// The pairs that link the group, each with its score: `[id, id, score]`.
    pub links: Vec<(String, String, f32)>,
}

/// Which groups to report: each filter keeps a group when one of its entries matches.
#[derive(Debug, Clone, Default)]
pub struct OverlapFilter {
    /// Category slugs.
    pub categories: Vec<String>,
    /// Region slugs (of the owning forces).
    pub regions: Vec<String>,
    /// Force slugs (owners).
    pub forces: Vec<String>,
}

impl OverlapFilter {
    /// Whether no filter is set.
    pub fn is_empty(&self) -> bool {
        self.categories.is_empty() && self.regions.is_empty() && self.forces.is_empty()
    }

    /// Whether `overlap` passes every filter set.
    pub fn keeps(&self, overlap: &Overlap) -> bool {
        let any = |wanted: &[String], have: &[String]| {
            wanted.is_empty() || wanted.iter().any(|w| have.contains(w))
        };
        any(&self.categories, &overlap.categories)
            && any(&self.regions, &overlap.regions)
            && any(&self.forces, &overlap.forces)
    }
}

/// The overlaps among `entries`, rarities taken from `index` (an index of the catalogue
/// holding them), in a stable order: the largest groups first, then by lead id.
///
/// Comparing every pair would cost the square of the catalogue; instead each entry is compared
/// with the [`CANDIDATES`] entries that share most of its rarer words (held by at most one
/// entry in [`RARE_SHARE`] of the catalogue, and never fewer than 10): entries that share only
/// words common to much of the catalogue cannot score near [`OVERLAP`].
pub fn overlaps(entries: &[Entry], index: &IndexView<'_>, reference: &Reference) -> Vec<Overlap> {
    let profiles: Vec<Profile> = entries
        .par_iter()
        .map(|entry| {
            let value = serde_json::to_value(entry).unwrap_or_default();
            Profile::of(index, &SimilarityText::of_entry(&value))
        })
        .collect();
    let rare = (entries.len() / RARE_SHARE).max(10);
    let mut holders: HashMap<&str, Vec<u32>> = HashMap::new();
    for (i, profile) in profiles.iter().enumerate() {
        for word in profile.words() {
            holders
                .entry(word)
                .or_default()
                .push(u32::try_from(i).unwrap_or(u32::MAX));
        }
    }
    let pairs: Vec<((usize, usize), f32)> = (0..entries.len())
        .into_par_iter()
        .flat_map_iter(|a| {
            let mut shared: HashMap<u32, u32> = HashMap::new();
            for word in profiles[a].words() {
                let Some(list) = holders.get(word).filter(|l| l.len() <= rare) else {
                    continue;
                };
                for &b in list {
                    let b_index = b as usize;
                    if b_index != a && entries[b_index].owner_force != entries[a].owner_force {
                        *shared.entry(b).or_default() += 1;
                    }
                }
            }
            let mut candidates: Vec<(u32, u32)> = shared.into_iter().collect();
            candidates.sort_by(|x, y| y.1.cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
            candidates.truncate(CANDIDATES);
            let profiles = &profiles;
            candidates.into_iter().map(move |(b, _)| {
                let b = b as usize;
                let score = f32::midpoint(
                    profiles[a].coverage(&profiles[b]),
                    profiles[b].coverage(&profiles[a]),
                );
                ((a.min(b), a.max(b)), score)
            })
        })
        .collect();
    let mut groups = UnionFind::new(entries.len());
    let mut links: BTreeMap<(usize, usize), f32> = BTreeMap::new();
    for (pair, score) in pairs {
        if score >= OVERLAP {
            groups.join(pair.0, pair.1);
            links.insert(pair, score);
        }
    }
    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..entries.len() {
        members.entry(groups.root(i)).or_default().push(i);
    }
    let mut found: Vec<Overlap> = members
        .into_values()
        .filter(|group| group.len() > 1)
        .map(|group| {
            let group_links: Vec<(String, String, f32)> = links
                .iter()
                .filter(|((a, _), _)| group.contains(a))
                .map(|(&(a, b), &score)| {
                    (entries[a].id.to_string(), entries[b].id.to_string(), score)
                })
                .collect();
            overlap(
                &group.iter().map(|&i| &entries[i]).collect::<Vec<_>>(),
                reference,
                group_links,
            )
        })
        .filter(|o| o.forces.len() > 1)
        .collect();
    found.sort_by(|a, b| {
        b.entries
            .len()
            .cmp(&a.entries.len())
            .then_with(|| a.lead.cmp(&b.lead))
    });
    found
}

fn overlap(group: &[&Entry], reference: &Reference, links: Vec<(String, String, f32)>) -> Overlap {
    let mut members: Vec<OverlapEntry> = group
        .iter()
        .map(|entry| OverlapEntry {
            id: entry.id.to_string(),
            title: entry.title.clone(),
            owner_force: entry.owner_force.to_string(),
            region: reference
                .force(entry.owner_force.as_str())
                .map(|f| f.region.clone())
                .unwrap_or_default(),
            phase: entry.phase,
            adopters: entry
                .adopters
                .iter()
                .map(|a| (a.force.to_string(), a.status))
                .collect(),
            documents: entry
                .documentation
                .iter()
                .filter(|d| d.availability != Availability::NotAvailable)
                .map(|d| d.kind.to_string())
                .collect(),
            categories: entry.categories.iter().map(ToString::to_string).collect(),
        })
        .collect();
    members.sort_by(|a, b| merit(b).cmp(&merit(a)).then_with(|| a.id.cmp(&b.id)));
    let lead = &members[0];
    let lead_because = format!(
        "{}, {} {} obtainable, {} adopting {}",
        phase_word(lead.phase),
        lead.documents.len(),
        if lead.documents.len() == 1 {
            "document"
        } else {
            "documents"
        },
        lead.adopters.len(),
        if lead.adopters.len() == 1 {
            "force"
        } else {
            "forces"
        },
    );
    let set = |field: &dyn Fn(&OverlapEntry) -> Vec<String>| -> Vec<String> {
        members
            .iter()
            .flat_map(field)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    };
    Overlap {
        lead: lead.id.clone(),
        lead_because,
        forces: set(&|e| vec![e.owner_force.clone()]),
        regions: set(&|e| vec![e.region.clone()]),
        categories: set(&|e| e.categories.clone()),
        strongest: links.iter().map(|l| l.2).fold(0.0, f32::max),
        links,
        entries: members,
    }
}

/// How good a lead an entry makes: maturity, then documents, then adoption.
fn merit(entry: &OverlapEntry) -> (u8, usize, u32) {
    let maturity = match entry.phase {
        Phase::Live => 4,
        Phase::Beta => 3,
        Phase::Alpha => 2,
        Phase::Discovery => 1,
        Phase::Retired => 0,
    };
    let adoption = entry
        .adopters
        .iter()
        .map(|(_, status)| match status {
            AdoptionStatus::Adopted => 3,
            AdoptionStatus::Piloting => 2,
            AdoptionStatus::Exploring => 1,
        })
        .sum();
    (maturity, entry.documents.len(), adoption)
}

fn phase_word(phase: Phase) -> &'static str {
    match phase {
        Phase::Live => "live",
        Phase::Beta => "in beta",
        Phase::Alpha => "in alpha",
        Phase::Discovery => "in discovery",
        Phase::Retired => "retired",
    }
}

/// Disjoint sets of entry positions.
struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n).collect(),
        }
    }

    fn root(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    /// Join the sets of `a` and `b`, the smaller root becoming the root, so that grouping does
    /// not depend on the order pairs are joined in.
    fn join(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.root(a), self.root(b));
        let (keep, other) = (ra.min(rb), ra.max(rb));
        self.parent[other] = keep;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(
        id: &str,
        phase: Phase,
        documents: usize,
        adopters: &[AdoptionStatus],
    ) -> OverlapEntry {
        OverlapEntry {
            id: id.to_owned(),
            title: String::new(),
            owner_force: String::new(),
            region: String::new(),
            phase,
            adopters: adopters.iter().map(|s| (String::new(), *s)).collect(),
            documents: vec![String::new(); documents],
            categories: Vec::new(),
        }
    }

    #[test]
    fn the_lead_is_the_most_mature_then_best_documented_then_most_adopted() {
        let live = entry("a", Phase::Live, 0, &[]);
        let beta = entry("b", Phase::Beta, 9, &[AdoptionStatus::Adopted; 3]);
        assert!(merit(&live) > merit(&beta), "maturity first");
        let documented = entry("c", Phase::Beta, 3, &[]);
        let adopted = entry("d", Phase::Beta, 2, &[AdoptionStatus::Adopted; 4]);
        assert!(merit(&documented) > merit(&adopted), "then documents");
        let adopted = entry("e", Phase::Beta, 3, &[AdoptionStatus::Piloting]);
        assert!(merit(&adopted) > merit(&documented), "then adoption");
        let retired = entry("f", Phase::Retired, 9, &[AdoptionStatus::Adopted]);
        assert!(merit(&entry("g", Phase::Discovery, 0, &[])) > merit(&retired));
    }

    #[test]
    fn groups_do_not_depend_on_the_order_pairs_are_joined_in() {
        let mut one = UnionFind::new(5);
        one.join(3, 4);
        one.join(1, 3);
        let mut two = UnionFind::new(5);
        two.join(1, 3);
        two.join(4, 3);
        for i in 0..5 {
            assert_eq!(one.root(i), two.root(i));
        }
        assert_eq!(one.root(4), 1);
        assert_eq!(one.root(0), 0);
    }
}
