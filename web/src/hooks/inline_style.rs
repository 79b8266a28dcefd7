//! Inline CSS properties set through the CSSOM rather than a `style`
//! attribute.
//!
//! A host that serves the site under a strict Content-Security-Policy
//! (`style-src 'self'`) blocks every `style` attribute, including the ones
//! yew writes with `setAttribute`; properties set on `element.style` are
//! not inline markup and pass. So a value that only the running page knows
//! (a pan offset, a duration from the map's options) is written here, after
//! each render that changes it.

use wasm_bindgen::JsCast;
use web_sys::{CssStyleDeclaration, HtmlElement, SvgElement};
use yew::prelude::*;

/// Set `properties` (`("transform", "…")`, `("--map-duration", "…")`) on
/// the element `node` refers to, whenever they change.
#[hook]
pub(crate) fn use_inline_style(node: NodeRef, properties: Vec<(&'static str, String)>) {
    use_effect_with(properties, move |properties| {
        if let Some(style) = style_of(&node) {
            for (name, value) in properties {
                let _ = style.set_property(name, value);
            }
        }
    });
}

/// The inline style of an HTML or SVG element.
fn style_of(node: &NodeRef) -> Option<CssStyleDeclaration> {
    let element = node.get()?;
    match element.dyn_ref::<HtmlElement>() {
        Some(html) => Some(html.style()),
        None => element.dyn_ref::<SvgElement>().map(SvgElement::style),
    }
}
