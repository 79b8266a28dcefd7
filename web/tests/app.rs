//! The pattern pages rendered in a real browser (headless Chromium, through
//! wasm-bindgen-test-runner): an experiment page shows its preset, a bad
//! link names what is wrong, unknown presets say so, and a backend can be
//! chosen and killed from the keyboard.
//!
//! A pattern's entry point registers its own pattern; this test binary
//! registers every pattern's page in one app, so that one document can
//! visit every preset. It is started once and driven through the URL
//! fragment, as a visitor's browser would.
#![cfg(target_arch = "wasm32")]

mod common;

use archsim_patterns::{Experiment, catalog};
use archsim_web::PatternUi;
use archsim_web::components::{
    balancer_diagram, cache_diagram, cqrs_diagram, delivery_diagram, event_diagram,
    microservices_diagram, shard_diagram,
};
use common::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement, HtmlInputElement, KeyboardEvent, KeyboardEventInit};

wasm_bindgen_test_configure!(run_in_browser);

static PAGES: [PatternUi; 7] = [
    PatternUi {
        pattern: &archsim_patterns::load_balancing::PATTERN,
        diagram: balancer_diagram::draw,
        legend: balancer_diagram::legend,
    },
    PatternUi {
        pattern: &archsim_patterns::caching::PATTERN,
        diagram: cache_diagram::draw,
        legend: cache_diagram::legend,
    },
    PatternUi {
        pattern: &archsim_patterns::sharding::PATTERN,
        diagram: shard_diagram::draw,
        legend: shard_diagram::legend,
    },
    PatternUi {
        pattern: &archsim_patterns::event_driven::PATTERN,
        diagram: event_diagram::draw,
        legend: event_diagram::legend,
    },
    PatternUi {
        pattern: &archsim_patterns::cqrs::PATTERN,
        diagram: cqrs_diagram::draw,
        legend: cqrs_diagram::legend,
    },
    PatternUi {
        pattern: &archsim_patterns::delivery::PATTERN,
        diagram: delivery_diagram::draw,
        legend: delivery_diagram::legend,
    },
    PatternUi {
        pattern: &archsim_patterns::microservices::PATTERN,
        diagram: microservices_diagram::draw,
        legend: microservices_diagram::legend,
    },
];

/// Every pattern's page, in one app.
fn start_every_pattern() {
    archsim_web::start_patterns(PAGES.iter().collect());
}

#[wasm_bindgen_test]
fn every_registered_pattern_has_a_page_here() {
    let here: Vec<&str> = PAGES.iter().map(|p| p.pattern.id()).collect();
    let mut registered: Vec<&str> = archsim_patterns::all().iter().map(|p| p.id()).collect();
    registered.sort_by_key(|id| here.iter().position(|h| h == id));
    assert_eq!(here, registered);
}

/// Go to `hash` on the pattern pages and wait for `heading`.
async fn open(hash: &str, heading: &str) {
    start_app(start_every_pattern);
    open_from("Experiments", hash, heading).await;
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
        let experiment = Experiment::from_preset(catalog::pattern_of(preset), preset);
        assert_eq!(
            text("p.timing").as_deref(),
            Some(experiment.pattern().timing()),
            "{}: what the latencies count",
            preset.id
        );
        // The nodes a person can break are buttons, one per node.
        // (A shard still to be added by resharding is drawn, faded.)
        let count = |key: &str| -> usize {
            experiment
                .settings()
                .get(key)
                .and_then(|n| n.parse().ok())
                .expect("a node count")
        };
        let (node_key, nodes) = match experiment.pattern().id() {
            "load-balancing" => ("backends", count("backends")),
            "caching" => ("cache_nodes", count("cache_nodes")),
            "sharding" => ("shards", count("shards").max(count("reshard_to"))),
            "event-driven" => ("consumers", count("services") * count("consumers")),
            "cqrs"
                if experiment.settings().get("architecture").as_deref() == Some("shared_model") =>
            {
                ("read_replicas", 0)
            }
            "cqrs" => ("read_replicas", count("read_replicas")),
            // Nothing to break by hand: the pattern has no fault target.
            "delivery" => ("nothing", 0),
            // No parameter counts them: the shop's six services are always
            // drawn (under a monolith, as its modules), each a button.
            "microservices" => ("services", archsim_patterns::microservices::SERVICES.len()),
            other => panic!("{other}: say which parameter counts its breakable nodes"),
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
        // The page shows every stat that means something in this run, or
        // whose setting the preset compares (`Stat::applies`).
        let dashboard = experiment.start().expect("presets run").dashboard();
        let varied = preset
            .compare
            .map_or(experiment.pattern().default_variants().key, |v| v.key);
        let shown = dashboard
            .stats
            .iter()
            .filter(|s| s.applies(std::slice::from_ref(&dashboard), varied));
        for stat in shown {
            assert!(
                terms.iter().any(|t| t == stat.label),
                "{}: {} missing from {terms:?}",
                preset.id,
                stat.label
            );
        }
        let clock = text("output.clock").unwrap_or_default();
        // In the pattern's own unit: seconds, or days.
        let unit = experiment.pattern().clock_unit();
        assert!(
            clock.starts_with(&format!("t = 0.00 {unit} of ")),
            "{}: {clock}",
            preset.id
        );
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
    says_lb_nope_is_unknown();
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
