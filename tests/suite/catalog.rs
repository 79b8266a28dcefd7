//! Every leaf of the mind-map opens a preset, and every preset names a leaf
//! that exists.
//!
//! The map is read with a deliberately small reader (headings and list
//! items); the full markmap parser comes with the mind-map crate.

use archsim_patterns::{Pattern, catalog};

const MAP: &str = include_str!("../../mindmap/architectures.md");

/// `(branch heading, leaf text)` for every list item without children.
fn leaves() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut branch = String::new();
    let lines: Vec<&str> = MAP.lines().collect();
    let indent = |l: &str| l.len() - l.trim_start().len();
    for (i, line) in lines.iter().enumerate() {
        if let Some(h) = line.strip_prefix("## ") {
            branch = h.trim().to_owned();
        } else if let Some(item) = line.trim_start().strip_prefix("- ") {
            let has_child = lines[i + 1..]
                .iter()
                .find(|l| !l.trim().is_empty())
                .is_some_and(|next| {
                    next.trim_start().starts_with("- ") && indent(next) > indent(line)
                });
            if !has_child {
                out.push((branch.clone(), normalise(item)));
            }
        }
    }
    out
}

fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
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
