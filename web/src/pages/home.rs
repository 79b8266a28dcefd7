//! The home page: the mind-map of `mindmap/architectures.md` is the way in.
//!
//! Every leaf of the map is a door to the experiment that demonstrates it
//! (and to its section of the book). Below the map, the same experiments
//! as a plain list by pattern: the text alternative of the map, and a way
//! in that needs neither a pointer nor a tree-aware screen reader.
//!
//! The map is parsed when the app is built (`web/build.rs`), not in the
//! browser: the home page carries no markdown parser, and no model either
//! — only the catalog's words ([`crate::catalog`]). Each experiment opens
//! on its pattern's page.

use crate::app::Header;
use crate::catalog::PATTERNS;
use crate::components::mindmap::{MindMap, SharedMap, find_doors};
use crate::site::Site;
use archsim_mindmap::Mindmap;
use std::rc::Rc;
use yew::prelude::*;

/// The site's map, as `archsim_mindmap::parse` reads it.
pub(crate) fn site_map() -> Mindmap {
    include!(concat!(env!("OUT_DIR"), "/site_map.rs"))
}

thread_local! {
    /// The site's map, built once per page load.
    static SITE_MAP: Rc<Mindmap> = Rc::new(site_map());
}

/// What the introduction says of the map: how many of its claims run, so
/// that it never promises more than the site has.
fn lede(map: &Mindmap) -> String {
    const TRY: &str = "press play, break a server, change the algorithm, watch the numbers move.";
    let claims = map.leaves().filter(|&i| map.nodes[i].depth > 2).count();
    let live = find_doors(map)
        .iter()
        .flatten()
        .filter(|d| d.runs())
        .count();
    if live == claims {
        format!(
            "Every claim on this map is a live, deterministic simulation. Click a leaf to run its experiment: {TRY}"
        )
    } else {
        format!(
            "{live} of the map's {claims} claims are live, deterministic simulations: the leaves \
             with a ▶ badge (the rest are still to come). Click one to run its \
             experiment: {TRY}"
        )
    }
}

/// The home page.
#[component]
pub(crate) fn Home() -> Html {
    let map = use_memo((), |_| SharedMap(SITE_MAP.with(Rc::clone)));
    html! {
        <>
            <Header />
            <main class="page home" id="main">
                <h1>{ "Run the architecture patterns you read about" }</h1>
                <p class="lede">{ lede(&map.0) }</p>
                <MindMap map={(*map).clone()} label="Mind-map of the architecture patterns" id="site-map" site={Site::Home} />
                <p class="map-help">
                    { "Drag to move, scroll or pinch to zoom; click a branch to fold it (Ctrl or ⌘: everything under it). Keyboard: arrows walk the map, Enter opens, Space folds, + and − zoom, 0 fits. " }
                    <a href={Site::Home.editor()}>{ "Draw your own map" }</a>
                </p>
                <section class="experiments" aria-labelledby="experiments">
                    <h2 id="experiments">{ "Every experiment" }</h2>
                    { for PATTERNS.iter().map(|pattern| html! {
                        <section class="pattern" aria-labelledby={pattern.id}>
                            <h3 id={pattern.id}>{ pattern.title }</h3>
                            <ul class="presets">
                                { for pattern.presets.iter().map(|p| html! {
                                    <li>
                                        <a href={Site::Home.experiment(pattern.id, p.id)}>
                                            <span class="title">{ p.title }</span>
                                            <span class="claim">{ format!("“{}”", p.leaf) }</span>
                                        </a>
                                    </li>
                                }) }
                            </ul>
                        </section>
                    }) }
                </section>
            </main>
        </>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_introduction_counts_the_claims_that_run() {
        // Every leaf of the site's map opens an experiment.
        let lede = super::lede(&super::site_map());
        assert!(lede.starts_with("Every claim on this map"), "{lede}");
        let some_live = archsim_mindmap::parse(
            "# Map\n## Load Balancing\n- Prevents any single server from being overwhelmed.\n\
             ## Monoliths\n- Simple to deploy\n",
        )
        .unwrap();
        let lede = super::lede(&some_live);
        assert!(
            lede.starts_with("1 of the map's 2 claims are live"),
            "{lede}"
        );
    }

    #[test]
    fn the_built_in_map_is_the_parsed_file() {
        let parsed = archsim_mindmap::parse(include_str!("../../../mindmap/architectures.md"))
            .expect("the site's map parses");
        assert_eq!(super::site_map(), parsed);
    }
}
