//! The app shell: router, header, and which page each route shows.

use crate::pages::{
    experiment::ExperimentPage, home::Home, map_editor::MapEditorPage, not_found::NotFound,
};
use crate::route::Route;
use yew::prelude::*;
use yew_router::prelude::*;

fn switch(route: Route) -> Html {
    match route {
        Route::Home => html! { <Home /> },
        Route::Sim { preset } => html! { <ExperimentPage name={preset} embedded={false} /> },
        Route::Embed { preset } => html! { <ExperimentPage name={preset} embedded={true} /> },
        Route::MapEditor => html! { <MapEditorPage /> },
        Route::SharedMap { data } => html! { <MapEditorPage data={Some(AttrValue::from(data))} /> },
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

/// The site header: name, home link, the book.
#[component]
pub(crate) fn Header() -> Html {
    html! {
        <header class="site-header">
            <Link<Route> to={Route::Home} classes="brand">{ "archsim" }</Link<Route>>
            <nav aria-label="Site">
                <Link<Route> to={Route::Home}>{ "Experiments" }</Link<Route>>
                <Link<Route> to={Route::MapEditor}>{ "Your map" }</Link<Route>>
                <a href="book/index.html">{ "Book" }</a>
            </nav>
        </header>
    }
}
