//! The page for a link that leads nowhere.

use crate::app::{Header, use_site};
use yew::prelude::*;

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
    let site = use_site();
    html! {
        <>
            <Header />
            <main class="page narrow" id="main">
                <h1>{ "Nothing here" }</h1>
                <p role="alert">{ props.reason.clone().unwrap_or_else(|| "This address does not lead to a page of archsim.".into()) }</p>
                <p><a href={site.home()}>{ "See all experiments" }</a></p>
            </main>
        </>
    }
}
