//! # archsim-web: the site's pages, one small load each
//!
//! A Yew library with one entry point per load of the site, each a binary
//! of a few lines (`src/main.rs`, `src/bin/`) that Trunk builds into a page
//! of its own:
//!
//! - the home page ([`start_home`]): the mind-map of the patterns, each
//!   leaf a door to its experiment. It carries the catalog's words, written
//!   out at build time, and no model;
//! - one page per pattern ([`start_patterns`], `load-balancing/` and so
//!   on): the pattern's model, its diagram and the generic experiment page
//!   (run, controls, charts, compare, embed, faults). Its entry point names
//!   its pattern ([`PatternUi`]), so its bundle carries that model only;
//! - the speed page ([`start_speed`], `speed/`), which times every model;
//! - the map editor ([`start_editor`], `map/`), which has the markdown
//!   parser the others leave out.
//!
//! Routes use the URL fragment (`#/sim/lb-overload?backends=2`), so the
//! site works from any static host and any sub-path, and a link reproduces
//! exactly what its sender saw. A link made before the split
//! (`index.html#/sim/lb-overload`) is forwarded by the home page to the
//! pattern's page.

mod address_bar;
mod app;
mod catalog;
pub mod components;
mod download;
mod hooks;
mod live;
mod pages;
mod panic;
mod route;
mod screen;
mod site;
mod sweep;

use app::{App, EditorApp, Pages, Registered};
use archsim_patterns::{Pattern, View};
use components::diagram::{Frame, Key};
use site::Site;
use std::rc::Rc;
use yew::Html;

/// A pattern as its page shows it: the descriptor and the diagram that
/// draws its [`View`]. A pattern's entry point registers its own.
pub struct PatternUi {
    /// The pattern.
    pub pattern: &'static Pattern,
    /// Its picture of one run at one moment.
    pub diagram: fn(&View, Frame) -> Html,
    /// What the picture's marks mean.
    pub legend: fn() -> Vec<Key>,
}

fn start(site: Site, registered: Vec<&'static PatternUi>, pages: Pages) {
    panic::install_hook();
    yew::Renderer::<App>::with_props(app::AppProps {
        site,
        registered: Registered(Rc::new(registered)),
        pages,
    })
    .render();
}

/// Start the home page in the page's `<body>`.
pub fn start_home() {
    start(Site::Home, Vec::new(), Pages(app::home_pages));
}

/// Start a pattern's page, running the experiments of `patterns` (its
/// entry point's own; the browser tests register every pattern).
///
/// Started in a worker (by the page's own sweep panel), it serves sweeps
/// of the same patterns instead.
pub fn start_patterns(patterns: Vec<&'static PatternUi>) {
    if sweep::worker::in_worker() {
        sweep::worker::serve(patterns.iter().map(|ui| ui.pattern).collect());
        return;
    }
    start(Site::Pattern, patterns, Pages(app::pattern_pages));
}

/// Start the speed page, which times every model.
pub fn start_speed() {
    start(Site::Speed, Vec::new(), Pages(app::speed_pages));
}

/// Start the map editor (`map/index.html`) in the page's `<body>`.
pub fn start_editor() {
    panic::install_hook();
    yew::Renderer::<EditorApp>::new().render();
}
