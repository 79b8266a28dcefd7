//! The home page rendered in a real browser (headless Chromium, through
//! wasm-bindgen-test-runner): it draws the mind-map as a tree with a door
//! for every preset, lists the catalog with links to each pattern's page,
//! and says politely when a link leads nowhere.
//!
//! The home page's app is started once per test binary and driven through
//! the URL fragment, as a visitor's browser would. (A link to an experiment
//! would forward the test page itself to the pattern's page: those are the
//! end-to-end tests' to follow.)
#![cfg(target_arch = "wasm32")]

mod common;

use archsim_patterns::catalog;
use common::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{KeyboardEvent, KeyboardEventInit};

wasm_bindgen_test_configure!(run_in_browser);

const HOME: &str = "Run the architecture patterns you read about";

/// Go to `hash` on the home page and wait for `heading`.
async fn open(hash: &str, heading: &str) {
    start_app(archsim_web::start_home);
    open_from(HOME, hash, heading).await;
}

#[wasm_bindgen_test]
async fn home_lists_every_preset_of_the_catalog() {
    open("#/", HOME).await;
    let sections: Vec<String> = all("section.pattern h3")
        .iter()
        .filter_map(|h| h.text_content())
        .collect();
    let titles: Vec<&str> = archsim_patterns::all().iter().map(|p| p.title()).collect();
    assert_eq!(sections, titles, "one section per pattern");
    assert_eq!(
        all("ul.presets > li").len(),
        catalog::all().count(),
        "one entry per preset"
    );
    for preset in catalog::all() {
        let pattern = catalog::pattern_of(preset).id();
        let link = one(&format!(
            "a[href='{pattern}/index.html#/sim/{}']",
            preset.id
        ))
        .unwrap_or_else(|| panic!("no link to {}", preset.id));
        let label = link.text_content().unwrap_or_default();
        assert!(label.contains(preset.title), "{}: {label}", preset.id);
        assert!(
            label.contains(preset.mindmap_leaf),
            "{}: {label}",
            preset.id
        );
    }
}

fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[wasm_bindgen_test]
async fn home_draws_the_mind_map_as_a_tree_with_a_door_for_every_preset() {
    open("#/", HOME).await;
    let map = archsim_mindmap::parse(include_str!("../../mindmap/architectures.md"))
        .expect("the site's map parses");
    let items = all("[role='tree'] [role='treeitem']");
    assert_eq!(items.len(), map.len(), "one tree item per node");
    for (node, item) in map.nodes.iter().zip(&items) {
        assert_eq!(item.get_attribute("aria-label"), Some(node.plain_text()));
        assert_eq!(
            item.get_attribute("aria-level"),
            Some(node.depth.to_string())
        );
        let expanded = item.get_attribute("aria-expanded");
        assert_eq!(
            expanded.is_some(),
            !node.children.is_empty(),
            "{}",
            node.plain_text()
        );
    }
    for preset in catalog::all() {
        let leaf = normalise(preset.mindmap_leaf);
        let item = items
            .iter()
            .find(|i| i.get_attribute("aria-label").map(|l| normalise(&l)) == Some(leaf.clone()))
            .unwrap_or_else(|| panic!("no node for the leaf of {}", preset.id));
        let described_by = item
            .get_attribute("aria-describedby")
            .unwrap_or_else(|| panic!("the leaf of {} says where it leads", preset.id));
        let description = document()
            .get_element_by_id(&described_by)
            .and_then(|d| d.text_content())
            .unwrap_or_default();
        assert!(
            description.contains(preset.title),
            "{}: {description}",
            preset.id
        );
    }
}

#[wasm_bindgen_test]
async fn space_folds_the_focused_branch_and_the_focus_stays_on_it() {
    open("#/", HOME).await;
    let branch = || {
        all("[role='treeitem'][aria-level='2']")
            .into_iter()
            .last()
            .expect("a branch")
    };
    let key = |name: &str| {
        let init = KeyboardEventInit::new();
        init.set_key(name);
        init.set_bubbles(true);
        let event =
            KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("an event");
        branch().dispatch_event(&event).expect("dispatch");
    };
    branch()
        .unchecked_into::<web_sys::SvgElement>()
        .focus()
        .expect("focus");
    wait_for("the tab stop to follow the focus", || {
        (branch().get_attribute("tabindex").as_deref() == Some("0")).then_some(())
    })
    .await;
    // Whatever state the branch starts in (earlier tests in this page may
    // have folded it), Space flips it and flips it back, and the focus
    // stays on the branch throughout.
    let state = || branch().get_attribute("aria-expanded").unwrap_or_default();
    let before = state();
    assert!(before == "true" || before == "false", "{before}");
    let flipped = if before == "true" { "false" } else { "true" };
    key(" ");
    wait_for("Space to flip the branch", || {
        (state() == flipped).then_some(())
    })
    .await;
    key(" ");
    wait_for("Space to flip it back", || {
        (state() == before).then_some(())
    })
    .await;
    assert_eq!(branch().get_attribute("tabindex").as_deref(), Some("0"));
}

#[wasm_bindgen_test]
async fn unknown_routes_and_presets_lead_nowhere_politely() {
    open("#/no/such/page", "Nothing here").await;
    open("#/sim/lb-nope", "Nothing here").await;
    says_lb_nope_is_unknown();
}
