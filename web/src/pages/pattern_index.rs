//! A pattern page without an experiment in its link: the experiments it
//! runs, each a link to its route, and the way to the pattern's chapter.

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
                <p class="lede">{ "Each experiment demonstrates one claim of the map: press play, break a node, change a parameter, or compare the variants on the same arrivals." }</p>
                { for registered.0.iter().map(|ui| html! {
                    <section class="pattern" aria-label={ui.pattern.title()}>
                        if registered.0.len() > 1 { <h2>{ ui.pattern.title() }</h2> }
                        <p><a href={site.page(&format!("book/{}.html", ui.pattern.id()))}>{ format!("The book's chapter on {}", ui.pattern.title()) }</a></p>
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
