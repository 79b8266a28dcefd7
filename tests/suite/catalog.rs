//! Every leaf of the mind-map opens a preset, and every preset names a leaf
//! that exists.
//!
//! The map is read with the site's own parser (`archsim-mindmap`), so these
//! checks see exactly the tree the home page draws.

use archsim_mindmap::{Mindmap, color::SCHEME_CATEGORY_10};
use archsim_patterns::{Pattern, catalog};

const MAP: &str = include_str!("../../mindmap/architectures.md");

fn map() -> Mindmap {
    archsim_mindmap::parse(MAP).unwrap_or_else(|e| panic!("mindmap/architectures.md:{e}"))
}

/// `(branch, leaf text)` for every leaf under a top-level branch, the
/// branch being the leaf's ancestor just below the root.
fn leaves() -> Vec<(String, String)> {
    let map = map();
    map.leaves()
        .filter(|&i| map.nodes[i].depth > 2)
        .map(|i| {
            let branch = map
                .ancestors(i)
                .find(|&a| map.nodes[a].depth == 2)
                .expect("a leaf below depth 2 has a branch");
            (
                normalise(&map.plain_text(branch)),
                normalise(&map.plain_text(i)),
            )
        })
        .collect()
}

fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_map_has_its_six_pattern_branches() {
    let map = map();
    assert!(map.warnings.is_empty(), "{:?}", map.warnings);
    assert_eq!(map.plain_text(0), "Architectures");
    assert_eq!(map.title.as_deref(), Some("Architectures"));
    assert_eq!(map.options.color_freeze_level, 2);
    let branches: Vec<(String, usize)> = map
        .root()
        .children
        .iter()
        .map(|&b| {
            let leaves = map.descendants(b).filter(|&i| map.is_leaf(i)).count();
            (map.plain_text(b), leaves)
        })
        .collect();
    let expected = [
        ("Microservices Architecture", 7),
        ("Event-Driven Architecture", 7),
        ("CQRS (Command Query Responsibility Segregation)", 4),
        ("Database Sharding / Partitioning", 5),
        ("Caching (Distributed Caching)", 5),
        ("Load Balancing", 5),
    ];
    let expected: Vec<(String, usize)> =
        expected.iter().map(|(b, n)| (b.to_string(), *n)).collect();
    assert_eq!(branches, expected);

    // colorFreezeLevel 2: one colour per branch, shared by all inside it,
    // markmap's default palette in order after the root's.
    assert_eq!(map.root().color, SCHEME_CATEGORY_10[0]);
    for (k, &b) in map.root().children.iter().enumerate() {
        for i in map.subtree(b) {
            assert_eq!(
                map.nodes[i].color,
                SCHEME_CATEGORY_10[k + 1],
                "{}",
                map.plain_text(i)
            );
        }
    }
    // Every simulated pattern names one of these branches.
    for pattern in Pattern::ALL {
        assert!(
            branches.iter().any(|(b, _)| b == pattern.mindmap_branch()),
            "{} is not a branch of the map",
            pattern.mindmap_branch()
        );
    }
}

#[test]
fn every_leaf_of_a_simulated_pattern_has_a_preset() {
    let leaves = leaves();
    assert!(
        leaves.len() > 30,
        "the map has its leaves: {}",
        leaves.len()
    );
    let mut unsimulated = 0;
    for (branch, leaf) in &leaves {
        match Pattern::ALL.iter().find(|p| p.mindmap_branch() == branch) {
            Some(&pattern) => assert!(
                catalog::of(pattern).any(|p| normalise(p.mindmap_leaf) == *leaf),
                "no preset for leaf '{leaf}' of {branch}"
            ),
            None => unsimulated += 1,
        }
    }
    println!("{unsimulated} leaves belong to patterns not simulated yet");
}

#[test]
fn every_preset_names_a_leaf_of_its_own_branch() {
    let leaves = leaves();
    for preset in catalog::all() {
        let branch = preset.pattern.mindmap_branch();
        assert!(
            leaves
                .iter()
                .any(|(b, l)| b == branch && *l == normalise(preset.mindmap_leaf)),
            "preset {} names '{}', not a leaf of {branch}",
            preset.id,
            preset.mindmap_leaf
        );
    }
}
