//! The index of experiments: every preset of the catalog, by pattern.

use crate::app::Header;
use crate::route::Route;
use archsim_patterns::{Pattern, catalog};
use yew::prelude::*;
use yew_router::prelude::*;

/// The home page.
#[component]
pub(crate) fn Home() -> Html {
    html! {
        <>
            <Header />
            <main class="page" id="main">
                <h1>{ "Run the architecture patterns you read about" }</h1>
                <p class="lede">
                    { "Every claim below is a live, deterministic simulation: press play, break a server, change the algorithm, and watch the numbers move. The same seed always gives the same run, so any link you share shows exactly what you saw." }
                </p>
                { for Pattern::ALL.iter().map(|&pattern| html! {
                    <section class="pattern" aria-labelledby={pattern.id()}>
                        <h2 id={pattern.id()}>{ pattern.title() }</h2>
                        <ul class="presets">
                            { for catalog::of(pattern).map(|p| html! {
                                <li>
                                    <Link<Route> to={Route::Sim { preset: p.id.to_owned() }}>
                                        <span class="title">{ p.title }</span>
                                        <span class="claim">{ format!("“{}”", p.mindmap_leaf) }</span>
                                    </Link<Route>>
                                </li>
                            }) }
                        </ul>
                    </section>
                }) }
            </main>
        </>
    }
}
