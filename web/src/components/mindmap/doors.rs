//! Every leaf is a door: the experiments and the book section behind it.
//!
//! A leaf opens the presets of the catalog whose `mindmap_leaf` is its text
//! (whitespace runs counting as one space, as the catalog's own check reads
//! the map), found among the presets of the pattern whose
//! `mindmap_branch` is the leaf's top-level branch. Each preset is embedded
//! in its pattern's book chapter under an anchor named by its id, so the
//! section is `book/<pattern>.html#<preset>`. A leaf of a pattern with no
//! model yet is no door: it is drawn as plain text. Nothing here knows which
//! patterns exist: it all comes from the catalog's words
//! ([`crate::catalog`]), so the map needs no model to know its doors.

use crate::catalog::{PATTERNS, PatternInfo, PresetInfo};
use archsim_mindmap::Mindmap;

/// What a leaf opens.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Door {
    /// The pattern of the leaf's branch.
    pub(crate) pattern: &'static PatternInfo,
    /// The experiments that demonstrate the leaf, in catalog order: usually
    /// one, sometimes a few (one claim, several angles); none if the
    /// catalog lacks one, when the door opens the chapter.
    pub(crate) presets: Vec<&'static PresetInfo>,
}

/// Where activating a door leads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Destination {
    /// The experiment page of a preset: its pattern's id and its own.
    Experiment(&'static str, &'static str),
    /// A page of the book, relative to the site's root.
    Book(String),
}

impl Door {
    /// The words of its experiments, for search: each title and what to
    /// look for in it.
    pub(crate) fn words(&self) -> String {
        let mut words = String::new();
        for preset in &self.presets {
            for text in [preset.title, preset.what_to_look_for] {
                words.push_str(text);
                words.push(' ');
            }
        }
        words
    }

    /// What activating the leaf opens when it offers no choice: its first
    /// experiment, or else its chapter. (A leaf of several experiments opens
    /// a chooser between them, the door card.)
    pub(crate) fn destination(&self) -> Destination {
        match self.presets.first() {
            Some(p) => Destination::Experiment(self.pattern.id, p.id),
            None => Destination::Book(self.chapter()),
        }
    }

    /// The pattern's chapter of the book.
    pub(crate) fn chapter(&self) -> String {
        format!("book/{}.html", self.pattern.id)
    }

    /// The book section that embeds `preset`.
    pub(crate) fn section(&self, preset: &PresetInfo) -> String {
        format!("{}#{}", self.chapter(), preset.id)
    }

    /// The book's words on the leaf: its first experiment's section, or
    /// else the chapter (what the book badge opens).
    pub(crate) fn reading(&self) -> String {
        self.presets
            .first()
            .map_or_else(|| self.chapter(), |p| self.section(p))
    }

    /// Whether the leaf opens a runnable experiment.
    pub(crate) fn runs(&self) -> bool {
        !self.presets.is_empty()
    }

    /// A sentence for screen readers: what the leaf opens and what to look
    /// for there.
    pub(crate) fn description(&self) -> String {
        match self.presets.as_slice() {
            [] => format!("Opens the book's chapter on {}.", self.pattern.title),
            [only] => format!(
                "Opens the experiment “{}”; also in the book. {}",
                only.title, only.what_to_look_for
            ),
            several => format!(
                "Offers {} experiments to choose from: {}; also in the book.",
                several.len(),
                several
                    .iter()
                    .map(|p| format!("“{}”", p.title))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        }
    }
}

/// The door of every node of `map`: `Some` for a leaf of a simulated
/// pattern, `None` for everything else.
pub(crate) fn find(map: &Mindmap) -> Vec<Option<Door>> {
    map.nodes
        .iter()
        .map(|node| {
            // A branch itself (depth 2) or the root is never a door.
            if !node.children.is_empty() || node.depth <= 2 {
                return None;
            }
            let branch = normalise(&map.plain_text(map.branch_of(node.index)?));
            let leaf = normalise(&node.plain_text());
            let claims = |p: &&'static PatternInfo| -> Vec<&'static PresetInfo> {
                p.presets
                    .iter()
                    .filter(|q| normalise(q.leaf) == leaf)
                    .collect()
            };
            // A branch may have more than one model (microservices:
            // requests, and delivery): the leaf's door is the one whose
            // presets claim it, else the branch's first.
            let mut models = PATTERNS.iter().filter(|p| normalise(p.branch) == branch);
            let first = models.clone().next()?;
            let pattern = models.find(|p| !claims(p).is_empty()).unwrap_or(first);
            Some(Door {
                pattern,
                presets: claims(&pattern),
            })
        })
        .collect()
}

use archsim_mindmap::collapse_whitespace as normalise;

#[cfg(test)]
mod tests {
    use super::*;

    const MAP: &str = include_str!("../../../../mindmap/architectures.md");

    #[test]
    fn every_preset_is_behind_a_leaf_of_the_site_map() {
        let map = archsim_mindmap::parse(MAP).expect("the site's map parses");
        let doors = find(&map);
        for preset in PATTERNS.iter().flat_map(|p| p.presets) {
            let leaf = doors
                .iter()
                .position(|d| d.as_ref().is_some_and(|d| d.presets.contains(&preset)))
                .unwrap_or_else(|| panic!("no leaf opens {}", preset.id));
            assert!(map.is_leaf(leaf));
        }
    }

    #[test]
    fn leaves_of_simulated_patterns_are_doors_and_others_are_not() {
        let map = archsim_mindmap::parse(MAP).expect("the site's map parses");
        let doors = find(&map);
        for node in &map.nodes {
            let branch = map.branch_of(node.index).map(|b| map.plain_text(b));
            let simulated = branch
                .as_deref()
                .is_some_and(|b| PATTERNS.iter().any(|p| p.branch == b));
            let door = &doors[node.index];
            assert_eq!(
                door.is_some(),
                simulated && map.is_leaf(node.index),
                "{}",
                node.plain_text()
            );
            if let Some(door) = door {
                assert!(door.runs(), "{} has a preset", node.plain_text());
            }
        }
    }

    #[test]
    fn a_door_leads_to_its_experiment_and_its_book_section() {
        let map = archsim_mindmap::parse(
            "# Map\n## Load Balancing\n- Prevents any single   server from\n  being overwhelmed.\n- Not a claim of the catalog\n## Gardening\n- Weeding\n",
        )
        .expect("a map");
        let doors = find(&map);
        let overload = doors[2].as_ref().expect("a door, whitespace aside");
        let preset = crate::catalog::owner("lb-overload")
            .and_then(|p| p.presets.iter().find(|q| q.id == "lb-overload"))
            .expect("the preset");
        assert_eq!(overload.presets, [preset]);
        assert_eq!(
            overload.destination(),
            Destination::Experiment("load-balancing", "lb-overload")
        );
        assert_eq!(
            overload.section(preset),
            "book/load-balancing.html#lb-overload"
        );
        assert_eq!(overload.reading(), "book/load-balancing.html#lb-overload");
        assert!(overload.description().contains(preset.what_to_look_for));
        // A leaf of a simulated pattern that no preset claims opens the chapter.
        let stray = doors[3].as_ref().expect("a door to the chapter");
        assert!(!stray.runs());
        assert_eq!(
            stray.destination(),
            Destination::Book("book/load-balancing.html".into())
        );
        assert_eq!(stray.reading(), "book/load-balancing.html");
        // No pattern called Gardening: plain text.
        assert_eq!(doors[5], None);
        assert_eq!(doors[0], None);
        assert_eq!(doors[1], None);
    }

    #[test]
    fn one_claim_can_open_several_experiments() {
        let map = archsim_mindmap::parse(MAP).expect("the site's map parses");
        let doors = find(&map);
        for door in doors.iter().flatten().filter(|d| d.presets.len() > 1) {
            let d = door.description();
            assert!(
                d.starts_with(&format!("Offers {} experiments", door.presets.len())),
                "{d}"
            );
            for preset in &door.presets {
                assert!(d.contains(preset.title), "{d} names {}", preset.title);
            }
        }
    }
}
