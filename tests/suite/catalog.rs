//! Every leaf of the mind-map opens a preset, and every preset names a leaf
//! that exists.
//!
//! The map is read with the site's own parser (`archsim-mindmap`), so these
//! checks see exactly the tree the home page draws.

use archsim_mindmap::collapse_whitespace as normalise;
use archsim_mindmap::{Mindmap, color::SCHEME_CATEGORY_10};
use archsim_patterns::catalog;
use std::path::Path;

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
            let branch = map.branch_of(i).expect("a leaf below depth 2 has a branch");
            (
                normalise(&map.plain_text(branch)),
                normalise(&map.plain_text(i)),
            )
        })
        .collect()
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
    for pattern in archsim_patterns::all() {
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
        // A branch may have more than one model (microservices: requests,
        // and delivery): a leaf needs a preset of any of them.
        let mut patterns = archsim_patterns::all()
            .iter()
            .filter(|p| p.mindmap_branch() == branch)
            .peekable();
        if patterns.peek().is_none() {
            unsimulated += 1;
            continue;
        }
        assert!(
            patterns
                .flat_map(|p| p.presets())
                .any(|p| normalise(p.mindmap_leaf) == *leaf),
            "no preset for leaf '{leaf}' of {branch}"
        );
    }
    println!("{unsimulated} leaves belong to patterns not simulated yet");
}

#[test]
fn every_preset_names_a_leaf_of_its_own_branch() {
    let leaves = leaves();
    for preset in catalog::all() {
        let branch = catalog::pattern_of(preset).mindmap_branch();
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

/// The branches of the map that no pattern runs yet. Each pattern that
/// lands takes its branch off this list (and with the last, the list is
/// empty): a branch whose pattern exists but is not registered fails here.
const BRANCHES_TO_COME: [&str; 0] = [];

#[test]
fn every_branch_of_the_map_has_a_registered_pattern_or_is_still_to_come() {
    let map = map();
    let branches: Vec<String> = map
        .root()
        .children
        .iter()
        .map(|&b| normalise(&map.plain_text(b)))
        .collect();
    let missing: Vec<&str> = branches
        .iter()
        .map(String::as_str)
        .filter(|b| {
            !archsim_patterns::all()
                .iter()
                .any(|p| normalise(p.mindmap_branch()) == *b)
        })
        .collect();
    assert_eq!(
        missing, BRANCHES_TO_COME,
        "branches with no registered pattern (register the pattern in \
         archsim_patterns::all(), or list a branch still to come)"
    );
}

/// Every `pub static PATTERN` in the patterns crate is in
/// `archsim_patterns::all()`: a pattern module that was written but not
/// registered would otherwise be silently missing from the CLI, the book
/// and these tests.
#[test]
fn every_pattern_module_is_registered() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/patterns/src");
    let mut declared = Vec::new();
    for entry in std::fs::read_dir(&src).expect("the patterns crate's sources") {
        let module = entry.expect("a directory entry").path().join("mod.rs");
        let Ok(text) = std::fs::read_to_string(&module) else {
            continue;
        };
        if let Some(at) = text.find("pub static PATTERN: Pattern") {
            let id = text[at..]
                .split("id: \"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .unwrap_or_else(|| panic!("{} declares PATTERN without an id", module.display()));
            declared.push(id.to_owned());
        }
    }
    declared.sort();
    let mut registered: Vec<String> = archsim_patterns::all()
        .iter()
        .map(|p| p.id().to_owned())
        .collect();
    registered.sort();
    assert!(
        !declared.is_empty(),
        "no PATTERN found under {}",
        src.display()
    );
    assert_eq!(
        declared, registered,
        "declared patterns against archsim_patterns::all()"
    );
}

/// Every headline column of every pattern names a value its report has: a
/// pointer that resolves nowhere would print as a blank column.
#[test]
fn every_headline_pointer_resolves_in_its_patterns_report() {
    for pattern in archsim_patterns::all() {
        let mut experiment =
            archsim_patterns::Experiment::resolve(pattern.id()).expect("every pattern resolves");
        experiment.set("duration", "3").expect("a short run");
        experiment.set("warmup", "1").expect("a short warm-up");
        let report = experiment.run(&mut |_| {}).expect("the defaults run");
        for (label, pointer) in pattern.headline() {
            assert!(
                report["metrics"].pointer(pointer).is_some(),
                "{}: the headline column {label} points at {pointer}, which its report lacks",
                pattern.id()
            );
        }
    }
}

/// Every preset's metric, the number its page shows first, is a headline
/// number of its own dashboard, at the start of a run and at its end. Some
/// numbers mean something only with some settings, so it need be a stat of
/// only one of the runs the page shows: the preset's own, or one of the
/// variants it compares.
#[test]
fn every_preset_metric_is_a_stat_of_its_own_dashboard() {
    for preset in catalog::all() {
        let mut experiment =
            archsim_patterns::Experiment::from_preset(catalog::pattern_of(preset), preset);
        // A short run keeps the test quick, unless the preset schedules
        // something later (a fault, a resharding) that a shorter run could
        // not hold: then it runs for as long as the preset says.
        let mut short = experiment.clone();
        short
            .set("duration", "3")
            .expect("every pattern has a duration");
        short
            .set("warmup", "1")
            .expect("every pattern has a warm-up");
        if short.validate().is_ok() {
            experiment = short;
        }
        let runs: Vec<archsim_patterns::Experiment> = match preset.compare {
            None => vec![experiment],
            Some(variants) => variants
                .values
                .iter()
                .map(|value| {
                    let mut variant = experiment.clone();
                    variant
                        .set(variants.key, value)
                        .unwrap_or_else(|e| panic!("{} variant {value}: {e}", preset.id));
                    variant
                })
                .collect(),
        };
        let (mut at_start, mut at_end) = (Vec::new(), Vec::new());
        for run in &runs {
            let mut live = run.start().unwrap_or_else(|e| panic!("{}: {e}", preset.id));
            at_start.push(live.dashboard());
            live.run_until(live.end());
            at_end.push(live.dashboard());
        }
        // The page shows the stats that apply to some run, or whose setting
        // is compared (`Stat::applies`): the metric must be one of those.
        let varied = preset
            .compare
            .map_or(catalog::pattern_of(preset).default_variants().key, |v| {
                v.key
            });
        for (moment, dashboards) in [("start", at_start), ("end", at_end)] {
            let mut labels: Vec<&str> = Vec::new();
            for stat in dashboards.iter().flat_map(|d| &d.stats) {
                if stat.applies(&dashboards, varied) && !labels.contains(&stat.label) {
                    labels.push(stat.label);
                }
            }
            assert!(
                labels.contains(&preset.metric),
                "preset {}: its metric '{}' is no stat its page shows at the {moment} \
                 of a run; those are {labels:?}",
                preset.id,
                preset.metric
            );
        }
    }
}
