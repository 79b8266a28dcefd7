//! `{{#sim …}}`: a live experiment in the page.
//!
//! The embed route of the preset's pattern page
//! (`load-balancing/index.html#/embed/PRESET`, a folder beside the site's
//! home page) in an `<iframe>`, with a caption: the preset's title, what to
//! look for, and a link that opens the full playground. The block's anchor is the preset's
//! id (`chapter.html#PRESET`): the home page's mind-map links each leaf to
//! the section of the book that embeds its experiment. The widget reports its height with
//! `postMessage({type: "archsim:height", height})`; a small script, written
//! once per page, resizes the iframe that sent it. The iframe's starting
//! size is in the book's stylesheet (`book/archsim.css`), not in a `style`
//! attribute, which a strict Content-Security-Policy would block.

use archsim_mindmap::xml::escape;
use archsim_patterns::Preset;

/// Listens for the widgets' height reports and resizes the iframe that sent
/// each. Safe to include more than once (the print page holds every chapter).
const RESIZE_SCRIPT: &str = r#"<script>
(function () {
  if (window.archsimEmbedsResize) return;
  window.archsimEmbedsResize = true;
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.type !== "archsim:height" || typeof data.height !== "number") return;
    var frames = document.querySelectorAll("iframe.archsim-embed");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === event.source) {
        frames[i].style.height = Math.max(160, Math.min(6000, Math.ceil(data.height))) + "px";
      }
    }
  });
})();
</script>"#;

/// The page of pattern `id`, given the site's home page (`../index.html`,
/// relative to a chapter): `../load-balancing/index.html`.
pub(crate) fn pattern_page(home: &str, id: &str) -> String {
    match home.rsplit_once('/') {
        Some((dir, _)) => format!("{dir}/{id}/index.html"),
        None => format!("{id}/index.html"),
    }
}

/// The HTML that replaces `{{#sim}}`: a block, with blank lines around it.
/// `playground` is the preset's pattern page, relative to the chapter;
/// `with_script` is true for the first experiment of a page; `anchored`,
/// when the block carries the preset's id (its section's heading has it
/// otherwise).
pub(crate) fn experiment(
    preset: &Preset,
    playground: &str,
    with_script: bool,
    anchored: bool,
) -> String {
    let id = preset.id;
    let title = escape(preset.title);
    let mut html = String::from("\n");
    if with_script {
        html.push_str(RESIZE_SCRIPT);
        html.push_str("\n\n");
    }
    html.push_str(&format!(
        "<figure class=\"archsim-experiment\"{anchor}>\n\
         <iframe class=\"archsim-embed\" src=\"{playground}#/embed/{id}\" \
         title=\"Live experiment: {title}\" loading=\"lazy\" scrolling=\"no\"></iframe>\n\
         <figcaption><strong>{title}.</strong> {look_for} \
         <a href=\"{playground}#/sim/{id}\">Open in the playground</a></figcaption>\n\
         </figure>\n\n",
        look_for = escape(preset.what_to_look_for),
        anchor = if anchored {
            format!(" id=\"{id}\"")
        } else {
            String::new()
        },
    ));
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use archsim_patterns::catalog;

    #[test]
    fn an_experiment_is_an_iframe_on_the_embed_route_with_a_caption() {
        let (_, preset) = catalog::find("lb-overload").unwrap();
        let html = experiment(preset, "../load-balancing/index.html", false, true);
        // The anchor the mind-map links to: book/load-balancing.html#lb-overload.
        assert!(html.starts_with("\n<figure class=\"archsim-experiment\" id=\"lb-overload\">\n"));
        assert!(html.contains(
            "<iframe class=\"archsim-embed\" src=\"../load-balancing/index.html#/embed/lb-overload\" \
             title=\"Live experiment: One server versus a balanced fleet\" loading=\"lazy\""
        ));
        assert!(html.contains(
            "<a href=\"../load-balancing/index.html#/sim/lb-overload\">Open in the playground</a>"
        ));
        assert!(html.contains(
            "<strong>One server versus a balanced fleet.</strong> Three hundred requests"
        ));
        assert!(!html.contains("<script>"));
        // An HTML block in markdown ends at a blank line: none inside.
        let block = html.trim();
        assert!(!block.contains("\n\n"), "{block}");
        assert!(html.starts_with('\n') && html.ends_with("\n\n"));
    }

    #[test]
    fn a_pattern_page_is_a_folder_beside_the_home_page() {
        assert_eq!(
            pattern_page("../index.html", "caching"),
            "../caching/index.html"
        );
        assert_eq!(
            pattern_page("../../app/index.html", "sharding"),
            "../../app/sharding/index.html"
        );
        assert_eq!(pattern_page("index.html", "caching"), "caching/index.html");
    }

    #[test]
    fn the_first_experiment_of_a_page_brings_the_resize_script() {
        let (_, preset) = catalog::find("lb-distribute").unwrap();
        let html = experiment(preset, "../../index.html", true, true);
        let script = html.find("<script>").unwrap();
        assert!(script < html.find("<figure").unwrap());
        assert!(html.contains("\"archsim:height\""));
        assert!(html.contains("src=\"../../index.html#/embed/lb-distribute\""));
        assert!(html.contains("<figure class=\"archsim-experiment\" id=\"lb-distribute\">"));
    }
}
