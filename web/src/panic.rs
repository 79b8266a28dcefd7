//! A Rust panic must never leave a frozen page: the hook shows a banner with
//! the message and a reload button, outside Yew (whose state may be broken).

use wasm_bindgen::JsCast;

/// Install the panic hook (once, at start).
pub(crate) fn install_hook() {
    std::panic::set_hook(Box::new(|info| {
        let message = info.to_string();
        web_sys::console::error_1(&message.clone().into());
        show_banner(&message);
    }));
}

fn show_banner(message: &str) -> Option<()> {
    let document = web_sys::window()?.document()?;
    let banner = document.create_element("div").ok()?;
    banner.set_id("panic-banner");
    banner.set_attribute("role", "alert").ok()?;
    let text = document.create_element("p").ok()?;
    text.set_text_content(Some(&format!(
        "Something went wrong in the simulation and this page stopped: {message}"
    )));
    let button = document.create_element("button").ok()?;
    button.set_text_content(Some("Reload the page"));
    button.set_attribute("onclick", "location.reload()").ok()?;
    banner.append_child(&text).ok()?;
    banner.append_child(&button).ok()?;
    let body = document.body()?;
    body.prepend_with_node_1(&banner).ok()?;
    button.dyn_ref::<web_sys::HtmlElement>()?.focus().ok()
}
