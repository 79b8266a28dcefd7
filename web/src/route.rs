//! The site's routes, in the URL fragment, and the few lines of routing
//! every load shares.
//!
//! The fragment is `#/path?query`. A load shows a page for the path
//! ([`Route`]) and gives the page the query; it follows the fragment as it
//! changes (`hashchange`: a link, Back, a pasted address). A page writing
//! its own state into the address bar (`address_bar`) replaces the history
//! entry, which fires no `hashchange`, so the page is not rebuilt from what
//! it wrote. Small on purpose: a general router (and the serde it brings)
//! would cost every load more than all of this.

use yew::prelude::*;

/// A page of a load.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Route {
    /// `/`: the mind-map (home page), or a pattern page's experiments.
    Home,
    /// `/sim/<preset>`: an experiment with all its controls.
    Sim {
        /// Preset (or pattern) id.
        preset: String,
    },
    /// `/embed/<preset>`: the experiment alone, for an `<iframe>` on
    /// another site.
    Embed {
        /// Preset (or pattern) id.
        preset: String,
    },
    /// `/speed`: the speed page's route from before it was a load of its own.
    Speed,
    /// Anything else.
    NotFound,
}

impl Route {
    /// The route of `path`, the fragment's part before `?`.
    pub(crate) fn parse(path: &str) -> Route {
        let name = |rest: &str| (!rest.is_empty() && !rest.contains('/')).then(|| rest.to_owned());
        match path {
            "" | "/" => Route::Home,
            "/speed" => Route::Speed,
            _ => {
                if let Some(preset) = path.strip_prefix("/sim/").and_then(name) {
                    Route::Sim { preset }
                } else if let Some(preset) = path.strip_prefix("/embed/").and_then(name) {
                    Route::Embed { preset }
                } else {
                    Route::NotFound
                }
            }
        }
    }

    /// The fragment that leads here, `#/sim/lb-overload`.
    pub(crate) fn href(&self) -> String {
        match self {
            Route::Home => "#/".to_owned(),
            Route::Sim { preset } => format!("#/sim/{preset}"),
            Route::Embed { preset } => format!("#/embed/{preset}"),
            Route::Speed => "#/speed".to_owned(),
            Route::NotFound => "#/404".to_owned(),
        }
    }
}

/// Where the fragment points: the route and the query after `?`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Location {
    /// The page.
    pub(crate) route: Route,
    /// The query, without its `?`.
    pub(crate) query: String,
}

impl Location {
    /// The location the fragment `hash` (`#/sim/x?seed=2`) names.
    pub(crate) fn of(hash: &str) -> Location {
        let fragment = hash.strip_prefix('#').unwrap_or(hash);
        let (path, query) = fragment.split_once('?').unwrap_or((fragment, ""));
        Location {
            route: Route::parse(path),
            query: query.to_owned(),
        }
    }

    /// The location in the address bar now.
    fn current() -> Location {
        let hash = web_sys::window()
            .and_then(|w| w.location().hash().ok())
            .unwrap_or_default();
        Location::of(&hash)
    }
}

/// Properties of [`Router`].
#[derive(Properties, PartialEq)]
pub(crate) struct RouterProps {
    /// The load's page for a route.
    pub(crate) pages: crate::app::Pages,
}

/// Shows the page of the fragment's route, follows the fragment, and gives
/// the pages the [`Location`] as context.
#[component]
pub(crate) fn Router(props: &RouterProps) -> Html {
    let location = use_state(Location::current);
    {
        let location = location.clone();
        use_effect_with((), move |()| {
            let listener = web_sys::window().map(|window| {
                gloo_events::EventListener::new(&window, "hashchange", move |_| {
                    location.set(Location::current());
                })
            });
            move || drop(listener)
        });
    }
    html! {
        <ContextProvider<Location> context={(*location).clone()}>
            { (props.pages.0)(location.route.clone()) }
        </ContextProvider<Location>>
    }
}

/// The fragment's location, for a page inside a [`Router`].
#[hook]
pub(crate) fn use_location() -> Location {
    use_context::<Location>().unwrap_or_else(Location::current)
}

#[cfg(test)]
mod tests {
    use super::{Location, Route};

    #[test]
    fn fragments_name_their_route_and_query() {
        let sim = |p: &str| Route::Sim {
            preset: p.to_owned(),
        };
        assert_eq!(Location::of("").route, Route::Home);
        assert_eq!(Location::of("#/").route, Route::Home);
        assert_eq!(
            Location::of("#/sim/lb-overload?backends=2&t=3"),
            Location {
                route: sim("lb-overload"),
                query: "backends=2&t=3".to_owned()
            }
        );
        assert_eq!(
            Location::of("#/embed/cache-ttl").route,
            Route::Embed {
                preset: "cache-ttl".to_owned()
            }
        );
        assert_eq!(Location::of("#/speed").route, Route::Speed);
        for nowhere in ["#/sim/", "#/sim/a/b", "#/no/such/page", "#sim/x", "#/404"] {
            assert_eq!(Location::of(nowhere).route, Route::NotFound, "{nowhere}");
        }
        for route in [Route::Home, sim("lb-overload"), Route::Speed] {
            assert_eq!(Location::of(&route.href()).route, route);
        }
    }
}
