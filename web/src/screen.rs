//! What the screen is like, for the pages that lay themselves out
//! differently on a phone: the mind-map and the experiment's diagrams.

/// Below this window width (CSS pixels), [`is_phone`].
const PHONE_WIDTH: f64 = 600.0;

/// Whether the window is as narrow as a phone's.
pub(crate) fn is_phone() -> bool {
    web_sys::window()
        .and_then(|w| w.inner_width().ok())
        .and_then(|w| w.as_f64())
        .is_some_and(|w| w < PHONE_WIDTH)
}
