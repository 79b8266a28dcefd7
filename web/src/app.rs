//! The app shell: router, header, and which page each route shows.

use crate::pages::{experiment::ExperimentPage, home::Home, not_found::NotFound, speed::Speed};
use crate::route::Route;
use crate::site::Site;
use yew::prelude::*;
use yew_router::prelude::*;

fn switch(route: Route) -> Html {
    match route {
        Route::Home => html! { <Home /> },
        Route::Sim { preset } => html! { <ExperimentPage name={preset} embedded={false} /> },
        Route::Embed { preset } => html! { <ExperimentPage name={preset} embedded={true} /> },
        Route::Speed => html! { <Speed /> },
        Route::NotFound => html! { <NotFound /> },
    }
}

/// The whole app.
#[component]
pub(crate) fn App() -> Html {
    html! {
        <HashRouter>
            <Switch<Route> render={switch} />
        </HashRouter>
    }
}

/// Properties of [`Header`].
#[derive(Properties, PartialEq)]
pub(crate) struct HeaderProps {
    /// The app it is in.
    #[prop_or(Site::Playground)]
    pub(crate) site: Site,
}

/// The site header: name, home link, the map editor, the book. Plain links,
/// so the same header serves the playground and the map editor.
#[component]
pub(crate) fn Header(props: &HeaderProps) -> Html {
    let site = props.site;
    let here = |page: Site| (site == page).then_some("page");
    html! {
        <header class="site-header">
            <a href={site.home()} class="brand">{ "archsim" }</a>
            <nav aria-label="Site">
                <a href={site.home()}>{ "Experiments" }</a>
                <a href={site.editor()} aria-current={here(Site::Editor)}>{ "Your map" }</a>
                <a href={site.page("book/index.html")}>{ "Book" }</a>
                <a href={site.speed()}>{ "Speed" }</a>
            </nav>
        </header>
    }
}
