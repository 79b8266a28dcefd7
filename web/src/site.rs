//! Where the site's pages are, from the page that is running.
//!
//! The site is one static folder: the playground at its root
//! (`index.html`, routes in the fragment), the map editor in `map/` (an app
//! of its own, so the playground's first load carries no markdown parser)
//! and the book in `book/`. Links are relative, so the site works from any
//! sub-path and offline; [`Site`] writes them for the page it runs in.

/// The app that is running, and so where relative links start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Site {
    /// The playground, at the site's root.
    Playground,
    /// The map editor, in `map/`.
    Editor,
}

impl Site {
    /// The site's root, relative to this page.
    fn root(self) -> &'static str {
        match self {
            Site::Playground => "",
            Site::Editor => "../",
        }
    }

    /// The playground's home: the mind-map.
    pub(crate) fn home(self) -> String {
        self.route("/")
    }

    /// A route of the playground (`/sim/lb-overload`); in the playground
    /// itself, a route of the same document, so following it needs no
    /// reload.
    fn route(self, route: &str) -> String {
        match self {
            Site::Playground => format!("#{route}"),
            Site::Editor => format!("../index.html#{route}"),
        }
    }

    /// The experiment page of preset `id`.
    pub(crate) fn experiment(self, id: &str) -> String {
        self.route(&format!("/sim/{id}"))
    }

    /// The page that measures how fast this browser simulates.
    pub(crate) fn speed(self) -> String {
        self.route("/speed")
    }

    /// A page of the site given from its root (`book/index.html`).
    pub(crate) fn page(self, path: &str) -> String {
        format!("{}{path}", self.root())
    }

    /// The map editor.
    pub(crate) fn editor(self) -> String {
        self.page("map/index.html")
    }
}

#[cfg(test)]
mod tests {
    use super::Site;

    #[test]
    fn links_are_relative_to_the_running_page() {
        assert_eq!(
            Site::Playground.experiment("lb-overload"),
            "#/sim/lb-overload"
        );
        assert_eq!(
            Site::Editor.experiment("lb-overload"),
            "../index.html#/sim/lb-overload"
        );
        assert_eq!(
            Site::Playground.page("book/load-balancing.html#lb-overload"),
            "book/load-balancing.html#lb-overload"
        );
        assert_eq!(Site::Editor.page("book/index.html"), "../book/index.html");
        assert_eq!(Site::Editor.editor(), "../map/index.html");
        assert_eq!(Site::Playground.home(), "#/");
    }
}
