//! The seed map, `mindmap/architectures.md`, read and laid out.

use archsim_mindmap::{NodeKind, color::SCHEME_CATEGORY_10, estimate_sizes, layout, parse};

const MAP: &str = include_str!("../../../mindmap/architectures.md");

#[test]
fn the_seed_map_has_a_title_root_and_six_branches() {
    let map = parse(MAP).unwrap();
    assert!(map.warnings.is_empty(), "{:?}", map.warnings);
    assert_eq!(map.title.as_deref(), Some("Architectures"));
    assert_eq!(map.root().kind, NodeKind::Title);
    assert_eq!(map.plain_text(0), "Architectures");
    assert_eq!(map.options.color_freeze_level, 2);
    let branches: Vec<String> = map
        .root()
        .children
        .iter()
        .map(|&i| map.plain_text(i))
        .collect();
    assert_eq!(
        branches,
        [
            "Microservices Architecture",
            "Event-Driven Architecture",
            "CQRS (Command Query Responsibility Segregation)",
            "Database Sharding / Partitioning",
            "Caching (Distributed Caching)",
            "Load Balancing",
        ]
    );
    for (k, &b) in map.root().children.iter().enumerate() {
        let color = SCHEME_CATEGORY_10[k + 1];
        assert!(map.subtree(b).all(|i| map.nodes[i].color == color));
    }
    let sizes = estimate_sizes(&map);
    let laid = layout(&map, &sizes, &map.initial_expanded());
    assert!(laid.boxes.iter().all(Option::is_some));
}
