//! The address bar as the page's own record of what is on screen.
//!
//! The experiment page and the map editor write their whole state into the
//! URL fragment as it changes, without navigating ([`replace`]), so that a
//! copied link reproduces it. When the playground's router later reports
//! that fragment back, the page must not start afresh from it; only a link
//! that arrives from outside (pasted, opened, back or forward) does.
//! [`write`] remembers what the page wrote; [`use_arrived_link`] tells the
//! two apart.

use std::cell::RefCell;
use yew::prelude::*;

thread_local! {
    /// The part of the link the page last wrote (its query, its map data).
    static LAST_WRITTEN: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Replace the fragment with `hash` (`#/…`) without navigating; `key` is the
/// part of it that the page reads back through the router.
pub(crate) fn write(hash: &str, key: &str) {
    LAST_WRITTEN.with(|w| w.borrow_mut().replace_range(.., key));
    replace(hash);
}

/// Replace the fragment with `hash` without navigating (and so without a
/// `hashchange` event).
pub(crate) fn replace(hash: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(hash));
    }
}

/// The link the page should show: `link` (the router's) when it arrived
/// from outside, else the one the page started from.
#[hook]
pub(crate) fn use_arrived_link(link: String) -> String {
    let source = use_mut_ref(|| link.clone());
    if link != *source.borrow() && !LAST_WRITTEN.with(|w| *w.borrow() == link) {
        *source.borrow_mut() = link;
    }
    source.borrow().clone()
}
