//! The card of the leaf under the pointer or the keyboard focus: what its
//! experiments show, and the links that open them and their book sections.
//!
//! It sits in the corner of the map farthest from its leaf, after the map
//! in the page's order, so Tab from the focused leaf reaches its links, and
//! the pointer can travel to them without the card moving away. Opened
//! as a chooser (a leaf of several experiments was activated), it takes
//! the focus to its first choice, and Escape closes it.

use super::doors::Door;
use crate::site::Site;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Properties of [`DoorCard`].
#[derive(Properties, PartialEq)]
pub(crate) struct Props {
    /// The leaf's text.
    pub(crate) leaf: AttrValue,
    /// What it opens.
    pub(crate) door: Door,
    /// The close button was pressed.
    pub(crate) on_close: Callback<()>,
    /// The app it is in, for its links.
    pub(crate) site: Site,
    /// Where on the map it sits.
    pub(crate) corner: Corner,
    /// Opened as the chooser between the leaf's experiments.
    pub(crate) chooser: bool,
}

/// A corner of the map.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Corner {
    /// The top one (or the bottom).
    pub(crate) top: bool,
    /// The left one (or the right).
    pub(crate) left: bool,
}

/// The card.
#[component]
pub(crate) fn DoorCard(props: &Props) -> Html {
    let (door, site) = (&props.door, props.site);
    let card = use_node_ref();
    {
        let card = card.clone();
        use_effect_with(props.chooser, move |&chooser| {
            let first = card
                .cast::<web_sys::Element>()
                .and_then(|c| c.query_selector("a").ok().flatten())
                .and_then(|a| a.dyn_into::<web_sys::HtmlElement>().ok());
            if let (true, Some(first)) = (chooser, first) {
                let _ = first.focus();
            }
        });
    }
    let onkeydown = {
        let on_close = props.on_close.clone();
        move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                on_close.emit(());
            }
        }
    };
    let on_close = props.on_close.clone();
    html! {
        <aside ref={card} class={classes!("door-card", if props.corner.top { "top" } else { "bottom" }, if props.corner.left { "left" } else { "right" })}
            aria-label={if props.chooser { "Choose an experiment" } else { "Where this leaf leads" }} {onkeydown}>
            <button type="button" class="close" aria-label="Close" title="Close"
                onclick={move |_| on_close.emit(())}>{ "×" }</button>
            <p class="door-leaf">{ props.leaf.clone() }</p>
            if door.presets.is_empty() {
                <p><a href={site.page(&door.chapter())}>{ format!("Read the chapter on {}", door.pattern.title) }</a></p>
            }
            { for door.presets.iter().map(|p| html! {
                <section class="door-experiment">
                    <h2>{ p.title }</h2>
                    <p class="look-for-text"><strong>{ "What to look for: " }</strong>{ p.what_to_look_for }</p>
                    <p class="door-links">
                        <a href={site.experiment(door.pattern.id, p.id)} class="button primary">{ "Run the experiment" }</a>
                        <a href={site.page(&door.section(p))}>{ "Read in the book" }</a>
                    </p>
                </section>
            }) }
        </aside>
    }
}
