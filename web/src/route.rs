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
    /// The map editor, starting from the site's map.
    #[at("/map")]
    MapEditor,
    /// The map editor with a map from a link (`share_map` data).
    #[at("/map/:data")]
    SharedMap {
        /// The map, deflated and base64url-encoded.
        data: String,
    },
    /// Anything else.
    #[not_found]
    #[at("/404")]
    NotFound,
}
