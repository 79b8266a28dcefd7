//! The site's routes, in the URL fragment.

use yew_router::Routable;

/// A page of the playground.
#[derive(Clone, Debug, PartialEq, Eq, Routable)]
pub(crate) enum Route {
    /// The mind-map, and the index of experiments.
    #[at("/")]
    Home,
    /// An experiment with all its controls.
    #[at("/sim/:preset")]
    Sim {
        /// Preset (or pattern) id.
        preset: String,
    },
    /// The experiment alone, for an `<iframe>` on another site.
    #[at("/embed/:preset")]
    Embed {
        /// Preset (or pattern) id.
        preset: String,
    },
    /// How fast this browser simulates each pattern.
    #[at("/speed")]
    Speed,
    /// Anything else.
    #[not_found]
    #[at("/404")]
    NotFound,
}
