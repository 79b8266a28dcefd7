//! A node as SVG markup: one drawing for the screen and for the exported file.
//!
//! A node's insides — label lines, underline, fold circle, door badges —
//! are drawn relative to its top-left corner and do not depend on where it
//! is, so the page builds each node's markup once per map and only moves
//! the node's group when folds change. The same function writes the nodes
//! of an exported SVG, with the colours of the theme spelled out as
//! presentation attributes so the file stands alone; on the page the
//! stylesheet overrides those colours for dark mode and draws the states
//! (folded, matched, focused) through classes on the group.
//!
//! Everything that comes from the map's markdown — label text, link
//! targets, colours — is escaped: a shared map is someone else's text.

use super::label::{FONT_FAMILY, Font, Label, MONO_FAMILY, RunStyle};
use super::scene::{BADGE, CIRCLE_RADIUS, Shape, line_width};
use std::fmt::Write;

/// Colours archsim picks (the map's own colours come from its options):
/// the site's palette, Okabe–Ito where it has a say.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Theme {
    /// Behind the map, and inside an unfolded node's circle.
    pub(crate) background: &'static str,
    /// Label text.
    pub(crate) text: &'static str,
    /// Text of links inside labels.
    pub(crate) link: &'static str,
    /// The badge of a runnable experiment.
    pub(crate) experiment: &'static str,
    /// The badge of a book section.
    pub(crate) book: &'static str,
    /// The glyph inside a badge.
    pub(crate) glyph: &'static str,
    /// Behind a search match.
    pub(crate) mark: &'static str,
}

impl Theme {
    /// On a light background.
    pub(crate) const LIGHT: Theme = Theme {
        background: "#ffffff",
        text: "#1b1f24",
        link: "#0072b2",
        experiment: "#0072b2",
        book: "#007a5a",
        glyph: "#ffffff",
        mark: "#f0e442",
    };
    /// On a dark background.
    pub(crate) const DARK: Theme = Theme {
        background: "#0f1418",
        text: "#e6edf3",
        link: "#56b4e9",
        experiment: "#56b4e9",
        book: "#009e73",
        glyph: "#0f1418",
        mark: "#6b6320",
    };
}

/// Which drawing: the page's (interactive, states by class) or a file's
/// (states written out).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Purpose {
    /// On the page: a hit area for the pointer and the focus ring; the
    /// fold and match states are classes on the group.
    Screen,
    /// In an exported file: as the node looks now, nothing interactive.
    File {
        /// The node's children are hidden.
        folded: bool,
        /// The node matches the search.
        matched: bool,
    },
}

/// Badge glyphs, in a badge's 18 × 18 box: a play triangle and an open book.
pub(crate) const PLAY: &str = "M7 5.2v7.6l6-3.8z";
pub(crate) const BOOK: &str = "M4 5.5c1.8-.6 3.4-.4 4.5.6v7.4c-1.1-1-2.7-1.2-4.5-.6zM14 5.5c-1.8-.6-3.4-.4-4.5.6v7.4c1.1-1 2.7-1.2 4.5-.6z";

/// The markup inside the group of node `shape` of `color` at `depth`, with
/// `has_children` for the fold circle, `size` its box.
pub(crate) fn node_body(
    shape: &Shape,
    color: &str,
    depth: u32,
    has_children: bool,
    (w, h): (f64, f64),
    theme: &Theme,
    purpose: Purpose,
) -> String {
    let color = escape(color);
    let mut out = String::new();
    let (folded, matched) = match purpose {
        Purpose::Screen => {
            let _ = write!(
                out,
                r#"<rect class="hit" width="{w:.1}" height="{h:.1}" rx="4" fill="transparent"/>"#
            );
            // On screen the match mark is always drawn and shown by the
            // group's `match` class; the fold circle's fill likewise.
            (false, true)
        }
        Purpose::File { folded, matched } => (folded, matched),
    };
    if matched {
        let _ = write!(
            out,
            r#"<rect class="mark" width="{w:.1}" height="{:.1}" rx="4" fill="{}"/>"#,
            h - 2.0,
            theme.mark
        );
    }
    let _ = write!(
        out,
        r#"<line class="underline" x1="0" y1="{h:.1}" x2="{w:.1}" y2="{h:.1}" stroke="{color}" stroke-width="{}"/>"#,
        line_width(depth)
    );
    write_label(&mut out, &shape.label, shape.padding, theme);
    let centre_y = shape.label.font.line_height() / 2.0;
    let badges: &[(&str, &str, &str)] = match shape.badges {
        0 => &[],
        1 => &[("book", theme.book, BOOK)],
        _ => &[("run", theme.experiment, PLAY), ("book", theme.book, BOOK)],
    };
    let mut x = shape.badges_x();
    for (class, fill, glyph) in badges {
        let _ = write!(
            out,
            r#"<g class="badge {class}" transform="translate({x:.1},{:.1})"><circle cx="9" cy="9" r="9" fill="{fill}"/><path d="{glyph}" fill="{}"/></g>"#,
            centre_y - BADGE / 2.0,
            theme.glyph
        );
        x += BADGE + super::scene::BADGE_GAP;
    }
    if has_children {
        let fill = if folded {
            color.as_str()
        } else {
            theme.background
        };
        let _ = write!(
            out,
            r#"<circle class="fold" cx="{w:.1}" cy="{h:.1}" r="{CIRCLE_RADIUS}" color="{color}" stroke="{color}" stroke-width="1.5" fill="{fill}"/>"#
        );
    }
    out
}

/// One `<text>` per line, one `<tspan>` per run of a style.
fn write_label(out: &mut String, label: &Label, padding: f64, theme: &Theme) {
    let Font { size, weight } = label.font;
    let line_height = label.font.line_height();
    for (k, line) in label.lines.iter().enumerate() {
        if line.is_empty() {
            continue;
        }
        let baseline = k as f64 * line_height + line_height / 2.0 + size * 0.35;
        let _ = write!(
            out,
            r#"<text class="label" x="{padding:.1}" y="{baseline:.1}" font-size="{size}" font-weight="{weight}" fill="{}">"#,
            theme.text
        );
        for run in line {
            let mut attributes = run_attributes(run.style, label.font, theme);
            if let Some(x) = run.x {
                // A table's cell starts where its column does.
                let _ = write!(attributes, r#" x="{:.1}""#, padding + x);
            }
            if attributes.is_empty() {
                out.push_str(&escape(&run.text));
            } else {
                let _ = write!(out, "<tspan{attributes}>{}</tspan>", escape(&run.text));
            }
        }
        out.push_str("</text>");
    }
}

fn run_attributes(style: RunStyle, font: Font, theme: &Theme) -> String {
    let mut a = String::new();
    if style.bold {
        a.push_str(r#" font-weight="700""#);
    }
    if style.italic {
        a.push_str(r#" font-style="italic""#);
    }
    if style.code {
        // Code keeps its spaces: a code block's indentation, above all.
        let _ = write!(
            a,
            r#" xml:space="preserve" font-family="{MONO_FAMILY}" font-size="{}""#,
            font.code_size()
        );
    }
    match (style.link, style.strike) {
        (true, true) => a.push_str(r#" text-decoration="underline line-through""#),
        (true, false) => a.push_str(r#" text-decoration="underline""#),
        (false, true) => a.push_str(r#" text-decoration="line-through""#),
        (false, false) => {}
    }
    if style.link {
        let _ = write!(a, r#" class="href" fill="{}""#, theme.link);
    }
    a
}

/// The font family every label inherits, for the `<svg>` of a file.
pub(crate) fn font_family() -> String {
    escape(FONT_FAMILY)
}

pub(crate) use archsim_mindmap::xml::escape;

#[cfg(test)]
mod tests {
    use super::super::doors;
    use super::super::label::tests::HalfEm;
    use super::super::scene::Density;
    use super::*;

    fn shapes(markdown: &str) -> Vec<Shape> {
        let map = archsim_mindmap::parse(markdown).expect("a map");
        Shape::measure_all(&map, &doors::find(&map), &HalfEm, Density::of(&map.options))
    }

    #[test]
    fn text_from_the_markdown_is_escaped() {
        let shapes = shapes("# 1 < 2 & \"quoted\" 'single' > 0\n");
        let body = node_body(
            &shapes[0],
            "red\" onload=\"alert(1)",
            1,
            false,
            (100.0, 30.0),
            &Theme::LIGHT,
            Purpose::Screen,
        );
        assert!(
            body.contains("1 &lt; 2 &amp; &quot;quoted&quot; &#39;single&#39; &gt; 0"),
            "{body}"
        );
        assert!(
            body.contains(r#"stroke="red&quot; onload=&quot;alert(1)""#),
            "{body}"
        );
    }

    #[test]
    fn screen_and_file_differ_only_where_they_should() {
        let shapes = shapes(
            "# Root\n## Load Balancing\n- Prevents any single server from being overwhelmed.\n",
        );
        let leaf = &shapes[2];
        let screen = node_body(
            leaf,
            "#2ca02c",
            3,
            false,
            (300.0, 24.0),
            &Theme::LIGHT,
            Purpose::Screen,
        );
        assert!(screen.contains(r#"class="hit""#) && screen.contains(r#"class="mark""#));
        assert!(
            screen.contains(r#"class="badge run""#) && screen.contains(r#"class="badge book""#)
        );
        let file = node_body(
            leaf,
            "#2ca02c",
            3,
            false,
            (300.0, 24.0),
            &Theme::DARK,
            Purpose::File {
                folded: false,
                matched: false,
            },
        );
        assert!(!file.contains("hit") && !file.contains("mark"), "{file}");
        assert!(file.contains(&format!(r#"fill="{}""#, Theme::DARK.text)));
        assert!(file.contains("Prevents any single server from being overwhelmed."));
    }

    #[test]
    fn a_folded_branch_fills_its_circle_with_its_colour() {
        let shapes = shapes("# Root\n- child\n");
        let file = |folded| {
            node_body(
                &shapes[0],
                "#1f77b4",
                1,
                true,
                (60.0, 30.0),
                &Theme::LIGHT,
                Purpose::File {
                    folded,
                    matched: true,
                },
            )
        };
        assert!(file(true).contains(r##"stroke-width="1.5" fill="#1f77b4""##));
        assert!(file(false).contains(r##"stroke-width="1.5" fill="#ffffff""##));
        assert!(file(true).contains(r#"class="mark""#));
    }

    #[test]
    fn tables_code_and_images_are_lines_of_text() {
        let shapes = shapes(concat!(
            "# R\n",
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n",
            "- code:\n  ```\n  if x:\n      y()\n  ```\n",
            "- ![a & b](https://example.org/x.png \"t\")\n",
        ));
        let body = |shape| {
            node_body(
                shape,
                "#000",
                2,
                false,
                (1.0, 1.0),
                &Theme::LIGHT,
                Purpose::Screen,
            )
        };
        // A line per row, each cell a tspan where its column starts.
        let table = body(&shapes[1]);
        assert_eq!(table.matches("<text ").count(), 2, "{table}");
        assert!(table.contains(r#" x="8.0">a</tspan>"#), "{table}");
        assert!(table.contains(r#" x="32.0">b</tspan>"#), "{table}");
        // Code keeps its lines and its indentation.
        let code = body(&shapes[2]);
        assert_eq!(code.matches("<text ").count(), 3, "{code}");
        assert!(
            code.contains(r#"xml:space="preserve""#) && code.contains(">    y()</tspan>"),
            "{code}"
        );
        // An image is its alt text as a link: no image, no address.
        let image = body(&shapes[3]);
        assert!(image.contains("🖼 a &amp; b</tspan>"), "{image}");
        assert!(
            !image.contains("<image") && !image.contains("example.org"),
            "{image}"
        );
    }

    #[test]
    fn styled_runs_become_tspans() {
        let shapes = shapes("# **Bold** and `code` and [a link](https://example.org)\n");
        let body = node_body(
            &shapes[0],
            "#000",
            1,
            false,
            (1.0, 1.0),
            &Theme::LIGHT,
            Purpose::Screen,
        );
        assert!(
            body.contains(r#"<tspan font-weight="700">Bold</tspan> and "#),
            "{body}"
        );
        assert!(body.contains(r#"font-family="ui-monospace"#));
        assert!(
            body.contains(
                r##"<tspan text-decoration="underline" class="href" fill="#0072b2">a link</tspan>"##
            ),
            "{body}"
        );
    }
}
