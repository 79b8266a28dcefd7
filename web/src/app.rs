//! The app shell of each load: which page each route shows, the header,
//! and what the load has registered.
//!
//! Every load routes the same fragments (`#/`, `#/sim/…`, `#/embed/…`,
//! `#/speed`) but shows its own pages for them. The home page forwards an
//! experiment's route — a link made before the site was split into loads —
//! to its pattern's page; a pattern's page runs the experiments of the
//! patterns its entry point registered, and no other.

use crate::PatternUi;
use crate::pages::{
    experiment::ExperimentPage,
    forward::{Forward, ForwardToSpeed},
    home::Home,
    not_found::NotFound,
    pattern_index::PatternIndex,
    speed::Speed,
};
use crate::route::{Route, Router};
use crate::site::Site;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The patterns a load has registered: a pattern's page has its own, the
/// home page none. Compared by identity (it is made once, at start).
#[derive(Clone)]
pub(crate) struct Registered(pub(crate) Rc<Vec<&'static PatternUi>>);

impl PartialEq for Registered {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Registered {
    /// The registered patterns' descriptors, to resolve names among.
    pub(crate) fn patterns(&self) -> Vec<&'static archsim_patterns::Pattern> {
        self.0.iter().map(|ui| ui.pattern).collect()
    }

    /// The page of the pattern called `id`, if registered.
    pub(crate) fn ui(&self, id: &str) -> Option<&'static PatternUi> {
        self.0.iter().copied().find(|ui| ui.pattern.id() == id)
    }
}

/// The pages of one load, by route. Each entry point passes its own, so
/// that a load's bundle holds only the pages it can show (the home page's
/// has no experiment page, and so no charts and no controls).
#[derive(Clone, Copy)]
pub(crate) struct Pages(pub(crate) fn(Route) -> Html);

/// A load's pages never change while it runs.
impl PartialEq for Pages {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// Properties of [`App`].
#[derive(Properties, PartialEq)]
pub(crate) struct AppProps {
    /// Which load this is.
    pub(crate) site: Site,
    /// What it registered.
    pub(crate) registered: Registered,
    /// What it shows for each route.
    pub(crate) pages: Pages,
}

/// The home page's routes: the map, and forwarding for the rest.
pub(crate) fn home_pages(route: Route) -> Html {
    match route {
        Route::Home => html! { <Home /> },
        Route::Sim { .. } | Route::Embed { .. } | Route::Speed => html! { <Forward /> },
        Route::NotFound => html! { <NotFound /> },
    }
}

/// A pattern page's routes: its experiments.
pub(crate) fn pattern_pages(route: Route) -> Html {
    match route {
        Route::Home => html! { <PatternIndex /> },
        Route::Sim { preset } => html! { <ExperimentPage name={preset} embedded={false} /> },
        Route::Embed { preset } => html! { <ExperimentPage name={preset} embedded={true} /> },
        Route::Speed => html! { <ForwardToSpeed /> },
        Route::NotFound => html! { <NotFound /> },
    }
}

/// The speed page's one route.
pub(crate) fn speed_pages(route: Route) -> Html {
    match route {
        Route::Home => html! { <Speed /> },
        _ => html! { <NotFound /> },
    }
}

/// The whole app of one load.
#[component]
pub(crate) fn App(props: &AppProps) -> Html {
    html! {
        <ContextProvider<Site> context={props.site}>
            <ContextProvider<Registered> context={props.registered.clone()}>
                <Router pages={props.pages} />
            </ContextProvider<Registered>>
        </ContextProvider<Site>>
    }
}

/// The load this page belongs to (the home page's, outside any app).
#[hook]
pub(crate) fn use_site() -> Site {
    use_context::<Site>().unwrap_or(Site::Home)
}

/// The site header: a skip link, name, home link, the map editor, the book.
/// Plain links, so the same header serves every load.
#[component]
pub(crate) fn Header() -> Html {
    let site = use_site();
    let here = |page: Site| (site == page).then_some("page");
    let skip = if site == Site::Home {
        "Skip to the map"
    } else {
        "Skip to the content"
    };
    html! {
        <header class="site-header">
            <a href="#main" class="skip-link" onclick={Callback::from(skip_to_content)}>{ skip }</a>
            <a href={site.home()} class="brand">{ "archsim" }</a>
            <nav aria-label="Site">
                <a href={site.home()} aria-current={here(Site::Home)}>{ "Map" }</a>
                <a href={site.editor()} aria-current={here(Site::Editor)}>{ "Your map" }</a>
                <a href={site.page("book/index.html")}>{ "Book" }</a>
                <a href={site.speed()} aria-current={here(Site::Speed)}>{ "Benchmark" }</a>
            </nav>
        </header>
    }
}

/// Move the keyboard focus past the header: to the map's node in the tab
/// order where there is a map, else to the page's heading. The link's
/// `#main` would be read as a route, so the focus is moved here instead.
fn skip_to_content(e: MouseEvent) {
    e.prevent_default();
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let find = |selector: &str| document.query_selector(selector).ok().flatten();
    // `focus` is called the same way on an SVG node as on HTML: the
    // unchecked cast only names the method.
    if let Some(node) = find("#main [role=tree] [tabindex='0']") {
        let _ = node.unchecked_ref::<web_sys::HtmlElement>().focus();
    } else if let Some(heading) = find("#main h1") {
        let heading = heading.unchecked_into::<web_sys::HtmlElement>();
        // A heading takes the focus only with a tabindex.
        heading.set_tab_index(-1);
        let _ = heading.focus();
    }
}

/// The map editor's app: one page, no routes.
#[component]
pub(crate) fn EditorApp() -> Html {
    html! {
        <ContextProvider<Site> context={Site::Editor}>
            <crate::pages::map_editor::MapEditor />
        </ContextProvider<Site>>
    }
}
