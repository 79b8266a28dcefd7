//! Where the site's pages are, from the page that is running.
//!
//! The site is one static folder of loads, each a page with its own small
//! bundle: the home page (the mind-map) at the root, each pattern's
//! experiments in a folder named by the pattern's id
//! (`load-balancing/index.html#/sim/lb-overload`), the map editor in
//! `map/`, the speed page in `speed/` and the book in `book/`. Links are
//! relative, so the site works from any sub-path and offline; [`Site`]
//! writes them for the page it runs in.

/// The load that is running, and so where relative links start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Site {
    /// The home page, at the site's root.
    Home,
    /// A pattern's page, in the pattern's folder.
    Pattern,
    /// The map editor, in `map/`.
    Editor,
    /// The speed page, in `speed/`.
    Speed,
}

/// The folder of the map editor.
pub(crate) const EDITOR_DIR: &str = "map";
/// The folder of the speed page.
pub(crate) const SPEED_DIR: &str = "speed";

impl Site {
    /// The site's root, relative to this page.
    fn root(self) -> &'static str {
        match self {
            Site::Home => "",
            Site::Pattern | Site::Editor | Site::Speed => "../",
        }
    }

    /// The home page: the mind-map.
    pub(crate) fn home(self) -> String {
        match self {
            Site::Home => "#/".to_owned(),
            _ => self.page("index.html#/"),
        }
    }

    /// The page of pattern `pattern` at `route` (`/sim/lb-overload?t=3`).
    pub(crate) fn pattern_route(self, pattern: &str, route: &str) -> String {
        self.page(&format!("{pattern}/index.html#{route}"))
    }

    /// The experiment page of preset `id` of pattern `pattern`.
    pub(crate) fn experiment(self, pattern: &str, id: &str) -> String {
        self.pattern_route(pattern, &format!("/sim/{id}"))
    }

    /// The page that measures how fast this browser simulates.
    pub(crate) fn speed(self) -> String {
        self.page(&format!("{SPEED_DIR}/index.html"))
    }

    /// A page of the site given from its root (`book/index.html`).
    pub(crate) fn page(self, path: &str) -> String {
        format!("{}{path}", self.root())
    }

    /// The map editor.
    pub(crate) fn editor(self) -> String {
        self.page(&format!("{EDITOR_DIR}/index.html"))
    }
}

#[cfg(test)]
mod tests {
    use super::Site;

    #[test]
    fn links_are_relative_to_the_running_page() {
        assert_eq!(
            Site::Home.experiment("load-balancing", "lb-overload"),
            "load-balancing/index.html#/sim/lb-overload"
        );
        assert_eq!(
            Site::Editor.experiment("caching", "cache-ttl"),
            "../caching/index.html#/sim/cache-ttl"
        );
        assert_eq!(
            Site::Home.page("book/load-balancing.html#lb-overload"),
            "book/load-balancing.html#lb-overload"
        );
        assert_eq!(Site::Pattern.page("book/index.html"), "../book/index.html");
        assert_eq!(Site::Editor.editor(), "../map/index.html");
        assert_eq!(Site::Home.speed(), "speed/index.html");
        assert_eq!(Site::Home.home(), "#/");
        assert_eq!(Site::Speed.home(), "../index.html#/");
    }
}
