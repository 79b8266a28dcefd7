//! The app rendered in a real browser (headless Chromium, through
//! wasm-bindgen-test-runner): the home page draws the mind-map as a tree
//! with a door for every preset and lists the catalog, an experiment page
//! shows its preset, a bad link names what is wrong, unknown routes say so,
//! and a backend can be chosen and killed from the keyboard.
//!
//! The app is started once per test binary with [`archsim_web::start`] and
//! driven through the URL fragment, as a visitor's browser would.
#![cfg(target_arch = "wasm32")]

use archsim_patterns::{Experiment, Pattern, catalog};
use std::cell::Cell;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Document, Element, HtmlElement, HtmlInputElement, KeyboardEvent, KeyboardEventInit};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

thread_local! {
    static STARTED: Cell<bool> = const { Cell::new(false) };
}

/// Start the app once. `start()` renders into `<body>`, which Yew clears
/// first: the runner's output elements are put back afterwards, or the
/// runner could not read the results. The harness's panic hook is put back
/// too (the app's own shows a banner), so a failure names its cause once.
fn start_app() {
    if STARTED.with(|s| s.replace(true)) {
        return;
    }
    let doc = document();
    let runner: Vec<Element> = ["output", "console_output"]
        .iter()
        .filter_map(|id| doc.get_element_by_id(id))
        .collect();
    let harness_hook = std::panic::take_hook();
    archsim_web::start();
    std::panic::set_hook(harness_hook);
    let body = doc.body().expect("a body");
    for element in runner {
        body.append_child(&element)
            .expect("put the runner's output back");
    }
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("a window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .expect("setTimeout");
    });
    JsFuture::from(promise).await.expect("a timer");
}

/// The app's part of the page, as text (without the runner's output).
fn page_text() -> String {
    document()
        .query_selector("main")
        .ok()
        .flatten()
        .and_then(|m| m.text_content())
        .unwrap_or_else(|| "(no <main>)".into())
}

/// Wait (up to ~5 s) until `probe` finds what it looks for.
async fn wait_for<T>(what: &str, mut probe: impl FnMut() -> Option<T>) -> T {
    for _ in 0..200 {
        if let Some(found) = probe() {
            return found;
        }
        sleep(25).await;
    }
    panic!(
        "timed out waiting for {what}; location {:?}; the page says: {}",
        web_sys::window().and_then(|w| w.location().hash().ok()),
        page_text()
    );
}

fn one(selector: &str) -> Option<Element> {
    document().query_selector(selector).ok().flatten()
}

fn all(selector: &str) -> Vec<Element> {
    let list = document()
        .query_selector_all(selector)
        .unwrap_or_else(|e| panic!("bad selector {selector}: {e:?}"));
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .collect()
}

fn text(selector: &str) -> Option<String> {
    one(selector).and_then(|e| e.text_content())
}

/// Go to `hash` as a link would, and wait until the page shows `heading`.
async fn open(hash: &str, heading: &str) {
    start_app();
    // Leave any experiment first: a page decodes its link when it opens.
    let location = web_sys::window().expect("a window").location();
    location.set_hash("#/").expect("set the hash");
    wait_for("the home page", || {
        text("h1").filter(|h| h.starts_with("Run the architecture patterns"))
    })
    .await;
    location.set_hash(hash).expect("set the hash");
    wait_for(&format!("the heading {heading:?} at {hash}"), || {
        text("h1").filter(|h| h == heading)
    })
    .await;
}

#[wasm_bindgen_test]
async fn home_lists_every_preset_of_the_catalog() {
    open("#/", "Run the architecture patterns you read about").await;
    let sections: Vec<String> = all("section.pattern h3")
        .iter()
        .filter_map(|h| h.text_content())
        .collect();
    let titles: Vec<&str> = Pattern::ALL.iter().map(|p| p.title()).collect();
    assert_eq!(sections, titles, "one section per pattern");
    assert_eq!(
        all("ul.presets > li").len(),
        catalog::all().count(),
        "one entry per preset"
    );
    for preset in catalog::all() {
        let link = one(&format!("a[href$='#/sim/{}']", preset.id))
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
    open("#/", "Run the architecture patterns you read about").await;
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
    open("#/", "Run the architecture patterns you read about").await;
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
async fn every_experiment_page_shows_its_preset() {
    for preset in catalog::all() {
        open(&format!("#/sim/{}", preset.id), preset.title).await;
        assert_eq!(
            text(".look-for p").as_deref(),
            Some(preset.what_to_look_for),
            "{}: what to look for",
            preset.id
        );
        assert_eq!(
            text("p.claim"),
            Some(format!("“{}”", preset.mindmap_leaf)),
            "{}: the claim",
            preset.id
        );
        let experiment = Experiment::from_preset(preset);
        // The nodes a person can break are buttons, one per node.
        // (A shard still to be added by resharding is drawn, faded.)
        let count = |key: &str| -> usize {
            experiment
                .settings()
                .get(key)
                .and_then(|n| n.parse().ok())
                .expect("a node count")
        };
        let (node_key, nodes) = match preset.pattern {
            Pattern::LoadBalancing => ("backends", count("backends")),
            Pattern::Caching => ("cache_nodes", count("cache_nodes")),
            Pattern::Sharding => ("shards", count("shards").max(count("reshard_to"))),
        };
        assert_eq!(
            all("svg.diagram g.backend[role='button']").len(),
            nodes,
            "{}: one button per {node_key}",
            preset.id
        );
        let terms: Vec<String> = all("dl.summary dt")
            .iter()
            .filter_map(|d| d.text_content())
            .collect();
        let stats = experiment.start().expect("presets run").dashboard().stats;
        for stat in stats {
            assert!(
                terms.iter().any(|t| t == stat.label),
                "{}: {} missing from {terms:?}",
                preset.id,
                stat.label
            );
        }
        let clock = text("output.clock").unwrap_or_default();
        assert!(clock.starts_with("t = 0.00 s"), "{}: {clock}", preset.id);
        assert_eq!(
            text(".seed"),
            Some(format!("seed {}", preset.seed)),
            "{}",
            preset.id
        );
    }
}

#[wasm_bindgen_test]
async fn bad_link_values_are_named_with_what_is_allowed() {
    open(
        "#/sim/lb-overload?backends=0&seed=x&t=-1&colour=red",
        "One server versus a balanced fleet",
    )
    .await;
    let alert = wait_for("the problems alert", || one(".problems[role='alert']")).await;
    let said = alert.text_content().unwrap_or_default();
    for expected in [
        "backends=0 is not allowed: backends must be a whole number from 1 to 100",
        "seed=x is not allowed: seed must be a whole number from 0 to",
        "t=-1 is not allowed: t must be a number of seconds from 0",
        "unknown parameter 'colour'",
    ] {
        assert!(said.contains(expected), "{expected:?} missing from: {said}");
    }
    // The bad values fell back to the preset's.
    let backends = one("#param-backends")
        .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
        .expect("the backends field");
    assert_eq!(backends.value(), "1");
    assert_eq!(text(".seed").as_deref(), Some("seed 12"));
    assert_eq!(all("svg.diagram g.backend").len(), 1);
}

#[wasm_bindgen_test]
async fn a_good_link_shows_no_problems() {
    open(
        "#/sim/lb-health-checks?seed=5&backends=6",
        "Routing around a dead backend",
    )
    .await;
    assert!(one(".problems").is_none(), "{}", page_text());
    assert_eq!(text(".seed").as_deref(), Some("seed 5"));
    assert_eq!(all("svg.diagram g.backend").len(), 6);
}

#[wasm_bindgen_test]
async fn unknown_routes_and_presets_lead_nowhere_politely() {
    open("#/no/such/page", "Nothing here").await;
    open("#/sim/lb-nope", "Nothing here").await;
    let said = text("main [role='alert']").unwrap_or_default();
    assert!(
        said.contains("unknown pattern or preset 'lb-nope'"),
        "{said}"
    );
    assert!(one("main a[href$='#/']").is_some(), "a way back home");
}

#[wasm_bindgen_test]
async fn a_backend_is_chosen_by_keyboard_and_killed() {
    open("#/sim/lb-distribute", "Spreading requests over a fleet").await;
    let first = one("svg.diagram g.backend").expect("a backend");
    assert_eq!(first.get_attribute("tabindex").as_deref(), Some("0"));
    assert!(one(".fault-panel").is_none());
    let init = KeyboardEventInit::new();
    init.set_key("Enter");
    init.set_bubbles(true);
    let enter =
        KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("an event");
    first.dispatch_event(&enter).expect("dispatch");
    let kill = wait_for("the Kill button", || {
        all(".fault-panel button")
            .into_iter()
            .find(|b| b.text_content().as_deref() == Some("Kill"))
    })
    .await;
    let first = one("svg.diagram g.backend").expect("a backend");
    assert_eq!(first.get_attribute("aria-pressed").as_deref(), Some("true"));
    kill.unchecked_into::<HtmlElement>().click();
    let label = wait_for("backend 1 down", || {
        one("svg.diagram g.backend")
            .and_then(|g| g.get_attribute("aria-label"))
            .filter(|l| l.starts_with("Backend 1: down"))
    })
    .await;
    // At t = 0 the balancer has not noticed yet.
    assert!(label.contains("balancer believes healthy"), "{label}");
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    assert!(
        hash.contains("faults=0:down:1"),
        "the fault is in the link: {hash}"
    );

    // Each Step handles the next event: requests start to arrive.
    let step = all(".transport button")
        .into_iter()
        .find(|b| b.text_content().as_deref() == Some("Step"))
        .expect("a Step button")
        .unchecked_into::<HtmlElement>();
    let arrived = || -> u64 {
        all("dl.summary > div")
            .iter()
            .find(|d| text_of(d, "dt").as_deref() == Some("arrived"))
            .and_then(|d| text_of(d, "dd"))
            .and_then(|n| n.parse().ok())
            .expect("an arrived count")
    };
    let before = arrived();
    for _ in 0..5 {
        step.click();
        sleep(20).await;
    }
    wait_for("arrivals to be counted", || {
        (arrived() > before).then_some(())
    })
    .await;
}

fn text_of(element: &Element, selector: &str) -> Option<String> {
    element
        .query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.text_content())
}
