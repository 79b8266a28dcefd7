//! Links that belong to another load: the page forwards them there.
//!
//! Before the site was split into loads, every experiment lived at the
//! root (`index.html#/sim/lb-overload?backends=2`) and the speed page at
//! `#/speed`. Those links are in bookmarks, chats and other sites' iframes:
//! the home page sends each to where it lives now, with its query intact,
//! by `location.replace`, so no extra entry lands in the history and Back
//! still leaves the site. A name that no pattern knows gets the not-found
//! page, naming what exists.

use crate::app::use_site;
use crate::catalog::{self, PATTERNS};
use crate::pages::not_found::NotFound;
use crate::site::Site;
use yew::prelude::*;

/// Where the fragment `hash` (`#/sim/lb-overload?t=3`) lives, seen from
/// the home page; or why it lives nowhere.
pub(crate) fn destination(hash: &str) -> Result<String, String> {
    let site = Site::Home;
    let route = hash.trim_start_matches('#');
    let path = route.split('?').next().unwrap_or_default();
    if path == "/speed" {
        return Ok(site.speed());
    }
    let name = ["/sim/", "/embed/"]
        .iter()
        .find_map(|prefix| path.strip_prefix(prefix))
        .unwrap_or_default();
    match catalog::owner(name) {
        Some(pattern) => Ok(site.pattern_route(pattern.id, route)),
        None => {
            let patterns: Vec<&str> = PATTERNS.iter().map(|p| p.id).collect();
            let presets: Vec<&str> = PATTERNS
                .iter()
                .flat_map(|p| p.presets)
                .map(|p| p.id)
                .collect();
            Err(format!(
                "unknown pattern or preset '{name}': patterns are {}; presets are {}",
                patterns.join(", "),
                presets.join(", ")
            ))
        }
    }
}

/// Send the browser to `url` in place of the current page: no history entry.
fn replace_with(url: &str) {
    if let Some(location) = web_sys::window().map(|w| w.location()) {
        let _ = location.replace(url);
    }
}

/// Forward the current link from the home page to its load.
#[component]
pub(crate) fn Forward() -> Html {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    let target = use_memo(hash, |hash| destination(hash));
    use_effect_with(target.clone(), |target| {
        if let Ok(url) = &**target {
            replace_with(url);
        }
    });
    match &*target {
        Ok(url) => html! {
            <main class="page narrow" id="main">
                <p role="status">{ "This experiment has moved to its pattern's page: " }<a href={url.clone()}>{ "opening it" }</a>{ "…" }</p>
            </main>
        },
        Err(reason) => html! { <NotFound reason={AttrValue::from(reason.clone())} /> },
    }
}

/// The speed page's old route (`#/speed`), from a load in a folder: to
/// the speed page, with no need of the catalog.
#[component]
pub(crate) fn ForwardToSpeed() -> Html {
    let url = use_site().speed();
    use_effect_with(url.clone(), |url| replace_with(url));
    html! {
        <main class="page narrow" id="main">
            <p role="status">{ "The speed page is a page of its own: " }<a href={url}>{ "opening it" }</a>{ "…" }</p>
        </main>
    }
}

#[cfg(test)]
mod tests {
    use super::destination;

    #[test]
    fn old_links_go_to_their_patterns_page_with_their_query() {
        assert_eq!(
            destination("#/sim/lb-overload?backends=2&seed=7"),
            Ok("load-balancing/index.html#/sim/lb-overload?backends=2&seed=7".to_owned())
        );
        assert_eq!(
            destination("#/embed/cache-stampede?compare=true"),
            Ok("caching/index.html#/embed/cache-stampede?compare=true".to_owned())
        );
        assert_eq!(
            destination("#/sim/sharding"),
            Ok("sharding/index.html#/sim/sharding".to_owned())
        );
        assert_eq!(
            destination("#/sim/cqrs-consistency?t=20"),
            Ok("cqrs/index.html#/sim/cqrs-consistency?t=20".to_owned())
        );
        assert_eq!(destination("#/speed"), Ok("speed/index.html".to_owned()));
        let unknown = destination("#/sim/lb-nope?x=1").unwrap_err();
        assert!(
            unknown.starts_with("unknown pattern or preset 'lb-nope': patterns are microservices, delivery, event-driven, cqrs, sharding, caching, load-balancing; presets are ms-"),
            "{unknown}"
        );
    }
}
