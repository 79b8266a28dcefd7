//! What the browser tests of every load share: starting the load's app
//! once, waiting for what a page shows, and reading it.

use std::cell::Cell;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Document, Element};

pub(crate) fn document() -> Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

thread_local! {
    static STARTED: Cell<bool> = const { Cell::new(false) };
}

/// Start the app once with `start`. It renders into `<body>`, which Yew
/// clears first: the runner's output elements are put back afterwards, or
/// the runner could not read the results. The harness's panic hook is put
/// back too (the app's own shows a banner), so a failure names its cause
/// once.
pub(crate) fn start_app(start: fn()) {
    if STARTED.with(|s| s.replace(true)) {
        return;
    }
    let doc = document();
    let runner: Vec<Element> = ["output", "console_output"]
        .iter()
        .filter_map(|id| doc.get_element_by_id(id))
        .collect();
    let harness_hook = std::panic::take_hook();
    start();
    std::panic::set_hook(harness_hook);
    let body = doc.body().expect("a body");
    for element in runner {
        body.append_child(&element)
            .expect("put the runner's output back");
    }
}

pub(crate) async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("a window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .expect("setTimeout");
    });
    JsFuture::from(promise).await.expect("a timer");
}

/// The app's part of the page, as text (without the runner's output).
pub(crate) fn page_text() -> String {
    document()
        .query_selector("main")
        .ok()
        .flatten()
        .and_then(|m| m.text_content())
        .unwrap_or_else(|| "(no <main>)".into())
}

/// Wait (up to ~5 s) until `probe` finds what it looks for.
pub(crate) async fn wait_for<T>(what: &str, mut probe: impl FnMut() -> Option<T>) -> T {
    for _ in 0..200 {
        if let Some(found) = probe() {
            return found;
        }
        sleep(25).await;
    }
    panic!(
        "timed out waiting for {what}; location {:?}; the page says: {}",
        web_sys::window().and_then(|w| w.location().hash().ok()),
        page_text()
    );
}

pub(crate) fn one(selector: &str) -> Option<Element> {
    document().query_selector(selector).ok().flatten()
}

pub(crate) fn all(selector: &str) -> Vec<Element> {
    let list = document()
        .query_selector_all(selector)
        .unwrap_or_else(|e| panic!("bad selector {selector}: {e:?}"));
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .collect()
}

pub(crate) fn text(selector: &str) -> Option<String> {
    one(selector).and_then(|e| e.text_content())
}

/// Go to `hash` as a link would, and wait until the page shows `heading`:
/// first `home` (the load's page for `#/`, whose heading is `home_heading`)
/// since a page decodes its link when it opens.
pub(crate) async fn open_from(home_heading: &str, hash: &str, heading: &str) {
    let location = web_sys::window().expect("a window").location();
    location.set_hash("#/").expect("set the hash");
    wait_for("the load's page for #/", || {
        text("h1").filter(|h| h == home_heading)
    })
    .await;
    location.set_hash(hash).expect("set the hash");
    wait_for(&format!("the heading {heading:?} at {hash}"), || {
        text("h1").filter(|h| h == heading)
    })
    .await;
}

/// The not-found page of a link to the preset `lb-nope`: it names the
/// unknown name and leads back home.
pub(crate) fn says_lb_nope_is_unknown() {
    let said = text("main [role='alert']").unwrap_or_default();
    assert!(
        said.contains("unknown pattern or preset 'lb-nope'"),
        "{said}"
    );
    assert!(one("main a[href$='#/']").is_some(), "a way back home");
}
