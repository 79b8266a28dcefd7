//! The page for a link that leads nowhere.

use crate::app::Header;
use crate::route::Route;
use yew::prelude::*;
use yew_router::prelude::*;

/// What a visitor sees for an unknown route or experiment.
#[derive(Properties, PartialEq)]
pub(crate) struct Props {
    /// Why, when there is more to say than "not found".
    #[prop_or_default]
    pub(crate) reason: Option<AttrValue>,
}

/// Not found.
#[component]
pub(crate) fn NotFound(props: &Props) -> Html {
    html! {
        <>
            <Header />
            <main class="page narrow" id="main">
                <h1>{ "Nothing here" }</h1>
                <p role="alert">{ props.reason.clone().unwrap_or_else(|| "This address does not lead to a page of archsim.".into()) }</p>
                <p><Link<Route> to={Route::Home}>{ "See all experiments" }</Link<Route>></p>
            </main>
        </>
    }
}
