//! A pattern page without an experiment in its link: the experiments it
//! runs, each a link to its route.

use crate::app::{Header, Registered, use_site};
use crate::route::Route;
use yew::prelude::*;

/// The list of the page's experiments.
#[component]
pub(crate) fn PatternIndex() -> Html {
    let registered = use_context::<Registered>().expect("a pattern page registers its patterns");
    let site = use_site();
    let heading = match registered.0.as_slice() {
        [only] => only.pattern.title(),
        _ => "Experiments",
    };
    html! {
        <>
            <Header />
            <main class="page pattern-index" id="main">
                <h1>{ heading }</h1>
                { for registered.0.iter().map(|ui| html! {
                    <section class="pattern" aria-labelledby={ui.pattern.id()}>
                        if registered.0.len() > 1 { <h2 id={ui.pattern.id()}>{ ui.pattern.title() }</h2> }
                        <ul class="presets">
                            { for ui.pattern.presets().iter().map(|p| html! {
                                <li>
                                    <a href={Route::Sim { preset: p.id.to_owned() }.href()}>
                                        <span class="title">{ p.title }</span>
                                        <span class="claim">{ format!("“{}”", p.mindmap_leaf) }</span>
                                    </a>
                                </li>
                            }) }
                        </ul>
                    </section>
                }) }
                <p><a href={site.home()}>{ "Every pattern, on the map" }</a></p>
            </main>
        </>
    }
}
