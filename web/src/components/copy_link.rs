//! A button that copies the page's link — which holds everything needed to
//! reproduce what the page shows — and says whether it did.
//!
//! A hook and a view rather than a component: a component type of its own
//! costs every page that shows one about 2 KiB of bundle.

use wasm_bindgen::JsValue;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

/// The page's address now: the link to copy.
pub(crate) fn here() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default()
}

/// The state of a page's copy button: the link it last copied and what
/// was said about it.
pub(crate) struct CopyLink(UseStateHandle<Option<(String, &'static str)>>);

/// A copy button's state, kept by the page that shows it.
#[hook]
pub(crate) fn use_copy_link() -> CopyLink {
    CopyLink(use_state(|| None))
}

impl CopyLink {
    /// The button, which copies `link`, and after a click a status saying
    /// what happened. The status is about the link it copied: once the link
    /// has changed (an edit, a new parameter), it is gone.
    pub(crate) fn view(&self, label: &'static str, link: String, primary: bool) -> Html {
        let status = (*self.0)
            .as_ref()
            .filter(|(copied, _)| *copied == link)
            .map(|&(_, message)| message);
        let said = self.0.clone();
        let onclick = move |_| {
            let Some(window) = web_sys::window() else {
                return;
            };
            let promise = window.navigator().clipboard().write_text(&link);
            // Plain promise callbacks rather than a future: they cost the
            // bundle far less. One of the two never runs; both are let go
            // (a few bytes a click) since the promise may outlive the page.
            let say = |message: &'static str| {
                let (said, link) = (said.clone(), link.clone());
                Closure::<dyn FnMut(JsValue)>::once(move |_| said.set(Some((link, message))))
            };
            let copied = say("Link copied.");
            let failed = say("Could not copy it: copy the address bar, which holds the same link.");
            let _ = promise.then2(&copied, &failed);
            copied.forget();
            failed.forget();
        };
        html! {
            <>
                <button type="button" class={classes!("copy-link", primary.then_some("primary"))} {onclick}>{ label }</button>
                <span class="copy-status" role="status">{ status }</span>
            </>
        }
    }
}
