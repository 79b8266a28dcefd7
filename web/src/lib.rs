//! # archsim-web: the playground
//!
//! A Yew single-page app. Every experiment of the preset catalog runs live
//! here: the same `archsim-patterns` models the CLI runs, stepped once per
//! animation frame by as much simulated time as the chosen speed allows, and
//! drawn as an animated diagram with live charts.
//!
//! Routes use the URL fragment (`#/sim/lb-overload?backends=2`), so the site
//! works from any static host and any sub-path, and a link reproduces exactly
//! what its sender saw. The home page is the mind-map of the patterns, each
//! leaf a door to its experiment.
//!
//! The same crate builds a second, smaller app: the map editor
//! (`map/index.html`, [`start_editor`]), where people draw their own maps.
//! It is a page of its own so that the markdown parser it needs stays out of
//! the playground's first load.

mod address_bar;
mod app;
mod components;
mod hooks;
mod live;
mod pages;
mod panic;
mod route;
mod share_map;
mod site;

/// Start the playground in the page's `<body>`.
pub fn start() {
    panic::install_hook();
    yew::Renderer::<app::App>::new().render();
}

/// Start the map editor (`map/index.html`) in the page's `<body>`.
pub fn start_editor() {
    panic::install_hook();
    yew::Renderer::<pages::map_editor::MapEditor>::new().render();
}
