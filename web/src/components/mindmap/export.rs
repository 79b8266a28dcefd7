//! The map as a file: a standalone SVG, or a PNG drawn from it.
//!
//! The SVG is written from the same scene and node markup the page draws
//! (folds and search highlights as they are now), with every colour, font
//! and stroke as a presentation attribute and no external reference, so it
//! opens the same in any viewer or editor. The PNG is that SVG drawn onto
//! a canvas (`drawImage` of the serialized file), at twice the size for
//! sharp text where the canvas allows. Both are downloaded under a name
//! made from the map's title.

use super::markup::{Purpose, Theme, escape, font_family, node_body};
use super::scene::{Scene, Shape, line_width};
use super::state::MapState;
use std::fmt::Write;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Empty space around the map in the file, in pixels.
const MARGIN: f64 = 20.0;
/// The PNG's pixels per SVG pixel, at most.
const PNG_SCALE: f64 = 2.0;
/// Chromium's largest canvas side, and a total area every browser manages.
const CANVAS_MAX_SIDE: f64 = 16_384.0;
const CANVAS_MAX_AREA: f64 = 50_000_000.0;

/// The shown part of the map as a standalone SVG document, and its size
/// in pixels.
pub(crate) fn svg_document(
    state: &MapState,
    shapes: &[Shape],
    scene: &Scene,
    theme: &Theme,
) -> (String, f64, f64) {
    let map = &state.map;
    let b = scene.bounds;
    let (x, y) = (b.x - MARGIN, b.y - MARGIN);
    let (w, h) = (b.width + 2.0 * MARGIN, b.height + 2.0 * MARGIN);
    let title = map.title.clone().unwrap_or_else(|| map.plain_text(0));
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0}" height="{h:.0}" viewBox="{x:.1} {y:.1} {w:.1} {h:.1}" font-family="{}">"#,
        font_family()
    );
    let _ = write!(
        out,
        "\n<title>{}</title>\n<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" fill=\"{}\"/>\n<g fill=\"none\">",
        escape(&title),
        theme.background
    );
    for node in map.nodes.iter().filter(|n| scene.nodes[n.index].shown) {
        if let Some(d) = &scene.nodes[node.index].link {
            let _ = write!(
                out,
                r#"<path d="{d}" stroke="{}" stroke-width="{}"/>"#,
                escape(&node.color),
                line_width(node.depth)
            );
        }
    }
    out.push_str("</g>\n");
    for node in map.nodes.iter() {
        let placed = &scene.nodes[node.index];
        if !placed.shown {
            continue;
        }
        let branch = !node.children.is_empty();
        let purpose = Purpose::File {
            folded: branch && !state.expanded[node.index],
            matched: state.matches[node.index],
        };
        let _ = writeln!(
            out,
            r#"<g transform="translate({:.1},{:.1})">{}</g>"#,
            placed.rect.x,
            placed.rect.y,
            node_body(
                &shapes[node.index],
                &node.color,
                node.depth,
                branch,
                (placed.rect.width, placed.rect.height),
                theme,
                purpose,
            )
        );
    }
    out.push_str("</svg>\n");
    (out, w, h)
}

/// A file name from the map's title (or root): lower case, words joined by
/// hyphens, `mindmap` if nothing is left.
pub(crate) fn file_stem(state: &MapState) -> String {
    let map = &state.map;
    let title = map.title.clone().unwrap_or_else(|| map.plain_text(0));
    let words = title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(8);
    // A loop, not `collect` and `join`: less code in the bundle.
    let mut stem = String::new();
    for word in words {
        if !stem.is_empty() {
            stem += "-";
        }
        // ASCII only, like search: no Unicode case tables in the bundle.
        stem += &word.to_ascii_lowercase();
    }
    if stem.is_empty() {
        stem += "mindmap";
    }
    stem
}

/// PNG pixels per SVG pixel for a drawing `w` × `h`: [`PNG_SCALE`], less if
/// the canvas would be too big.
pub(crate) fn png_scale(w: f64, h: f64) -> f64 {
    let side = CANVAS_MAX_SIDE / w.max(h).max(1.0);
    let area = (CANVAS_MAX_AREA / (w * h).max(1.0)).sqrt();
    PNG_SCALE.min(side).min(area)
}

/// Download `svg` as `<stem>.svg`.
pub(crate) fn save_svg(stem: &str, svg: &str) -> Result<String, JsValue> {
    let name = format!("{stem}.svg");
    crate::download::save(&name, &svg_blob(svg)?)?;
    Ok(name)
}

/// Draw `svg` (`w` × `h` pixels) on a canvas and download it as
/// `<stem>.png`.
pub(crate) async fn save_png(stem: &str, svg: &str, w: f64, h: f64) -> Result<String, JsValue> {
    let document = document()?;
    let url = web_sys::Url::create_object_url_with_blob(&svg_blob(svg)?)?;
    let image = web_sys::HtmlImageElement::new()?;
    image.set_src(&url);
    let decoded = JsFuture::from(image.decode()).await;
    web_sys::Url::revoke_object_url(&url)?;
    decoded?;
    let scale = png_scale(w, h);
    let canvas: web_sys::HtmlCanvasElement = document.create_element("canvas")?.dyn_into()?;
    canvas.set_width((w * scale).ceil() as u32);
    canvas.set_height((h * scale).ceil() as u32);
    let context: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")?
        .ok_or("no 2d canvas")?
        .dyn_into()?;
    context.scale(scale, scale)?;
    context.draw_image_with_html_image_element_and_dw_and_dh(&image, 0.0, 0.0, w, h)?;
    let blob = JsFuture::from(js_sys::Promise::new(&mut |resolve, _| {
        // toBlob calls back with the blob (or null): resolve is that callback.
        let _ = canvas.to_blob_with_type(&resolve, "image/png");
    }))
    .await?;
    let blob: web_sys::Blob = blob.dyn_into().map_err(|_| "the canvas made no PNG")?;
    let name = format!("{stem}.png");
    crate::download::save(&name, &blob)?;
    Ok(name)
}

fn document() -> Result<web_sys::Document, JsValue> {
    web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| "no document".into())
}

fn svg_blob(svg: &str) -> Result<web_sys::Blob, JsValue> {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("image/svg+xml;charset=utf-8");
    web_sys::Blob::new_with_str_sequence_and_options(&js_sys::Array::of1(&svg.into()), &options)
}

#[cfg(test)]
mod tests {
    use super::super::doors;
    use super::super::label::tests::HalfEm;
    use super::super::scene::Density;
    use super::super::state::Action;
    use super::*;
    use std::rc::Rc;

    fn exported(markdown: &str, actions: &[Action]) -> (String, f64, f64) {
        let map = Rc::new(archsim_mindmap::parse(markdown).expect("a map"));
        let shapes =
            Shape::measure_all(&map, &doors::find(&map), &HalfEm, Density::of(&map.options));
        let state = actions
            .iter()
            .fold(MapState::new(map.clone()), |s, a| s.apply(a.clone()));
        let scene = Scene::place(&map, &shapes, &state.expanded, Density::of(&map.options));
        svg_document(&state, &shapes, &scene, &Theme::LIGHT)
    }

    #[test]
    fn the_file_is_a_standalone_svg_of_the_shown_map() {
        let (svg, w, h) = exported(
            "---\ntitle: Pets & friends\n---\n## Cats\n- Tabby\n## Dogs\n- Beagle\n",
            &[Action::Collapse(3), Action::Search("tab".into())],
        );
        assert!(svg.starts_with("<?xml"));
        assert!(svg.contains(r#"<svg xmlns="http://www.w3.org/2000/svg""#));
        assert!(svg.contains(&format!(r#"width="{w:.0}" height="{h:.0}""#)));
        assert!(svg.contains("<title>Pets &amp; friends</title>"));
        for shown in ["Pets &amp; friends", ">Cats<", ">Tabby<", ">Dogs<"] {
            assert!(svg.contains(shown), "{shown} in {svg}");
        }
        assert!(!svg.contains("Beagle"), "folded away");
        // Three links shown: root to Cats, Cats to Tabby, root to Dogs.
        assert_eq!(svg.matches("<path d=\"M").count(), 3);
        assert_eq!(svg.matches(r#"class="mark""#).count(), 1, "Tabby matches");
        // Nothing points outside the file, nothing interactive.
        for absent in ["href", "class=\"hit\"", "tabindex", "var(--", "url("] {
            assert!(!svg.contains(absent), "{absent}");
        }
        assert_eq!(svg.matches("<g").count(), svg.matches("</g>").count());
    }

    #[test]
    fn file_names_come_from_the_title() {
        let state = |md: &str| MapState::new(Rc::new(archsim_mindmap::parse(md).expect("a map")));
        assert_eq!(
            file_stem(&state("---\ntitle: Architectures\n---\n## A\n")),
            "architectures"
        );
        assert_eq!(
            file_stem(&state("# CQRS (Command / Query)\n")),
            "cqrs-command-query"
        );
        assert_eq!(file_stem(&state("# ***\n- a\n")), "mindmap");
    }

    #[test]
    fn big_maps_make_smaller_pngs_than_the_canvas_limit() {
        assert_eq!(png_scale(800.0, 600.0), 2.0);
        let tall = png_scale(1_500.0, 30_000.0);
        assert!(tall * 30_000.0 <= CANVAS_MAX_SIDE + 1e-6);
        let big = png_scale(9_000.0, 9_000.0);
        assert!(big * big * 81e6 <= CANVAS_MAX_AREA + 1.0);
    }
}
