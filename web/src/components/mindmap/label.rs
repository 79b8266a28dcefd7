//! A node's label as lines of styled text, wrapped to the map's `maxWidth`.
//!
//! SVG has no text wrapping, and the layout needs every node's size before
//! anything is drawn, so labels are measured and broken into lines here:
//! the inline markdown becomes runs of one style (bold, italic, code, link,
//! struck through), the runs are broken at spaces into lines no wider than
//! `maxWidth` (a word wider than that keeps a line of its own), and each
//! line is measured with the same fonts the SVG draws with. The measuring
//! itself is a [`Measure`]: the browser's canvas on the page, a fixed
//! advance per character in tests.
//!
//! The blocks a label can hold start on lines of their own and are not
//! wrapped: a code block keeps its lines, and a table is a line per row,
//! each cell starting where its column does, columns as wide as their
//! widest cell. An image is a glyph and its alt text, drawn as a link: the
//! image itself is never fetched.

use archsim_mindmap::Inline;
use std::cell::RefCell;
use wasm_bindgen::JsCast;

/// The label fonts, as the stylesheet and the exported SVG name them.
pub(crate) const FONT_FAMILY: &str =
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
/// The font of `code` in labels.
pub(crate) const MONO_FAMILY: &str = "ui-monospace, 'SF Mono', Menlo, Consolas, monospace";

/// How wide a piece of text is drawn in a CSS font (`"italic 700 14px …"`).
pub(crate) trait Measure {
    /// Width in pixels.
    fn width(&self, text: &str, font: &str) -> f64;
}

/// The base font of a node, by depth: the root largest, branches bold.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Font {
    /// Pixels.
    pub(crate) size: f64,
    /// CSS weight.
    pub(crate) weight: u16,
}

impl Font {
    /// The font of a node at `depth` (the root is depth 1).
    pub(crate) fn at_depth(depth: u32) -> Font {
        match depth {
            1 => Font {
                size: 20.0,
                weight: 700,
            },
            2 => Font {
                size: 16.0,
                weight: 600,
            },
            _ => Font {
                size: 14.0,
                weight: 400,
            },
        }
    }

    /// Distance between baselines.
    pub(crate) fn line_height(self) -> f64 {
        (self.size * 1.35).round()
    }

    /// The size of `code` in this font: a tenth smaller, as monospace
    /// looks bigger.
    pub(crate) fn code_size(self) -> f64 {
        (self.size * 9.0).round() / 10.0
    }

    /// The CSS font shorthand for a run of `style` in this font.
    pub(crate) fn css(self, style: RunStyle) -> String {
        let italic = if style.italic { "italic " } else { "" };
        let weight = if style.bold { 700 } else { self.weight };
        let (size, family) = if style.code {
            (self.code_size(), MONO_FAMILY)
        } else {
            (self.size, FONT_FAMILY)
        };
        format!("{italic}{weight} {size}px {family}")
    }
}

/// How a run of text is set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct RunStyle {
    /// `**strong**`.
    pub(crate) bold: bool,
    /// `*emphasis*`.
    pub(crate) italic: bool,
    /// `~~struck~~`.
    pub(crate) strike: bool,
    /// `` `code` ``.
    pub(crate) code: bool,
    /// Text of a `[link](…)`.
    pub(crate) link: bool,
}

/// Text of one style.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Run {
    /// The characters.
    pub(crate) text: String,
    /// Their style.
    pub(crate) style: RunStyle,
    /// Where the run starts, from the label's left edge, if it starts a
    /// table's cell; otherwise right after the run before.
    pub(crate) x: Option<f64>,
}

impl Run {
    fn new(text: String, style: RunStyle) -> Run {
        Run {
            text,
            style,
            x: None,
        }
    }
}

/// What an image is drawn as, before its alt text.
const IMAGE: &str = "🖼 ";

/// A label, broken into lines and measured.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Label {
    /// The lines, each a sequence of runs.
    pub(crate) lines: Vec<Vec<Run>>,
    /// The base font.
    pub(crate) font: Font,
    /// The widest line, in pixels.
    pub(crate) width: f64,
}

impl Label {
    /// Lines × line height.
    pub(crate) fn height(&self) -> f64 {
        self.lines.len() as f64 * self.font.line_height()
    }
}

/// Break `label` into lines no wider than `max_width` (0 or less: never
/// wrap) in `font`, measured by `measure`.
pub(crate) fn wrap(label: &[Inline], font: Font, max_width: f64, measure: &dyn Measure) -> Label {
    let limit = if max_width.is_finite() && max_width > 0.0 {
        max_width
    } else {
        f64::INFINITY
    };
    let width_of = |text: &str, style: RunStyle| measure.width(text, &font.css(style));
    let mut out = Label {
        lines: Vec::new(),
        font,
        width: 0.0,
    };
    // The runs of the text before the next block.
    let mut text = Vec::new();
    for inline in label {
        match inline {
            Inline::CodeBlock(code) => {
                break_runs(&std::mem::take(&mut text), limit, &width_of, &mut out);
                let style = RunStyle {
                    code: true,
                    ..RunStyle::default()
                };
                for line in code {
                    out.push_line(vec![Run::new(line.clone(), style)], width_of(line, style));
                }
            }
            Inline::Table(rows) => {
                break_runs(&std::mem::take(&mut text), limit, &width_of, &mut out);
                table(rows, font.size, &width_of, &mut out);
            }
            _ => flatten(std::slice::from_ref(inline), RunStyle::default(), &mut text),
        }
    }
    break_runs(&text, limit, &width_of, &mut out);
    if out.lines.is_empty() {
        out.lines.push(Vec::new());
    }
    out
}

impl Label {
    /// Add a line `width` wide.
    fn push_line(&mut self, line: Vec<Run>, width: f64) {
        self.lines.push(line);
        self.width = self.width.max(width);
    }
}

/// Break `runs` at spaces into new lines of `label` no wider than `limit`.
fn break_runs(
    runs: &[Run],
    limit: f64,
    width_of: &impl Fn(&str, RunStyle) -> f64,
    label: &mut Label,
) {
    // The width of the line being filled, once there is one.
    let mut filling = None;
    for word in words(runs) {
        let word_width = runs_width(&word.pieces, width_of);
        let space = word.space_before.map_or(0.0, |style| width_of(" ", style));
        let width = match (filling, label.lines.last_mut()) {
            (Some(width), Some(line)) if width + space + word_width <= limit => {
                if let Some(style) = word.space_before {
                    push(line, " ", style);
                }
                width + space + word_width
            }
            _ => {
                label.lines.push(Vec::new());
                word_width
            }
        };
        filling = Some(width);
        label.width = label.width.max(width);
        if let Some(line) = label.lines.last_mut() {
            for piece in word.pieces {
                push(line, &piece.text, piece.style);
            }
        }
    }
}

/// A line per row of a table, the header bold, each cell starting where
/// its column does: a gap of `gap` after the widest cell of the column
/// before.
fn table(
    rows: &[Vec<Vec<Inline>>],
    gap: f64,
    width_of: &impl Fn(&str, RunStyle) -> f64,
    label: &mut Label,
) {
    let style = |r: usize| RunStyle {
        bold: r == 0,
        ..RunStyle::default()
    };
    let mut columns: Vec<f64> = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        columns.resize(columns.len().max(row.len()), 0.0);
        for (cell, column) in row.iter().zip(&mut columns) {
            let mut runs = Vec::new();
            flatten(cell, style(r), &mut runs);
            *column = column.max(runs_width(&runs, width_of));
        }
    }
    for (r, row) in rows.iter().enumerate() {
        let mut line = Vec::new();
        let mut x = 0.0;
        for (cell, column) in row.iter().zip(&columns) {
            let start = line.len();
            flatten(cell, style(r), &mut line);
            if let Some(first) = line.get_mut(start) {
                first.x = Some(x);
            }
            x += column + gap;
        }
        label.push_line(line, (x - gap).max(0.0));
    }
}

/// How wide `runs` are drawn side by side.
fn runs_width(runs: &[Run], width_of: &impl Fn(&str, RunStyle) -> f64) -> f64 {
    runs.iter().map(|r| width_of(&r.text, r.style)).sum()
}

/// The runs of `inlines`, styles accumulated from the enclosing markup.
/// Blocks are laid out by [`wrap`]: they are only ever at the top of a
/// label, never inside a style.
fn flatten(inlines: &[Inline], style: RunStyle, out: &mut Vec<Run>) {
    for inline in inlines {
        match inline {
            Inline::Text(text) => out.push(Run::new(text.clone(), style)),
            Inline::Code(text) => out.push(Run::new(
                text.clone(),
                RunStyle {
                    code: true,
                    ..style
                },
            )),
            Inline::Strong(c) => flatten(
                c,
                RunStyle {
                    bold: true,
                    ..style
                },
                out,
            ),
            Inline::Emphasis(c) => flatten(
                c,
                RunStyle {
                    italic: true,
                    ..style
                },
                out,
            ),
            Inline::Strikethrough(c) => flatten(
                c,
                RunStyle {
                    strike: true,
                    ..style
                },
                out,
            ),
            Inline::Link { children: c, .. } | Inline::Image { alt: c, .. } => {
                let style = RunStyle {
                    link: true,
                    ..style
                };
                if let Inline::Image { .. } = inline {
                    out.push(Run::new(IMAGE.to_owned(), style));
                }
                flatten(c, style, out);
            }
            Inline::CodeBlock(_) | Inline::Table(_) => {}
        }
    }
}

/// A word: pieces of text with no space between them (possibly of several
/// styles, as in `**Fast**er`), and the style of the space before it.
struct Word {
    pieces: Vec<Run>,
    space_before: Option<RunStyle>,
}

fn words(runs: &[Run]) -> Vec<Word> {
    let mut words = Vec::new();
    let mut current = Word {
        pieces: Vec::new(),
        space_before: None,
    };
    for run in runs {
        let mut rest = run.text.as_str();
        while !rest.is_empty() {
            let gap = rest.len() - rest.trim_start().len();
            if gap > 0 {
                if !current.pieces.is_empty() {
                    words.push(std::mem::replace(
                        &mut current,
                        Word {
                            pieces: Vec::new(),
                            space_before: None,
                        },
                    ));
                }
                current.space_before = Some(run.style);
                rest = &rest[gap..];
                continue;
            }
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            current
                .pieces
                .push(Run::new(rest[..end].to_owned(), run.style));
            rest = &rest[end..];
        }
    }
    if !current.pieces.is_empty() {
        words.push(current);
    }
    words
}

/// Append `text` to `line`, joining the last run if it has the same style.
fn push(line: &mut Vec<Run>, text: &str, style: RunStyle) {
    match line.last_mut() {
        Some(last) if last.style == style => last.text.push_str(text),
        _ => line.push(Run::new(text.to_owned(), style)),
    }
}

/// Text measured by the browser, on a canvas that is never shown.
pub(crate) struct CanvasMeasure {
    context: Option<web_sys::CanvasRenderingContext2d>,
    font: RefCell<String>,
}

impl CanvasMeasure {
    /// A canvas of the page's document (none outside a browser).
    pub(crate) fn new() -> CanvasMeasure {
        let context = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.create_element("canvas").ok())
            .and_then(|c| c.dyn_into::<web_sys::HtmlCanvasElement>().ok())
            .and_then(|c| c.get_context("2d").ok().flatten())
            .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok());
        CanvasMeasure {
            context,
            font: RefCell::new(String::new()),
        }
    }
}

impl Measure for CanvasMeasure {
    fn width(&self, text: &str, font: &str) -> f64 {
        let Some(context) = &self.context else {
            // No canvas (never in a real browser): the mind-map crate's guess.
            return text.chars().count() as f64 * archsim_mindmap::GLYPH_WIDTH;
        };
        if *self.font.borrow() != font {
            context.set_font(font);
            *self.font.borrow_mut() = font.to_owned();
        }
        context.measure_text(text).map_or(0.0, |m| m.width())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Every character is half the font size wide: easy sums.
    pub(crate) struct HalfEm;

    impl Measure for HalfEm {
        fn width(&self, text: &str, font: &str) -> f64 {
            let size: f64 = font
                .split_whitespace()
                .find_map(|w| w.strip_suffix("px")?.parse().ok())
                .expect("a size in px");
            text.chars().count() as f64 * size / 2.0
        }
    }

    fn label(markdown: &str) -> Vec<Inline> {
        archsim_mindmap::parse(markdown).expect("a map").nodes[0]
            .label
            .clone()
    }

    fn texts(l: &Label) -> Vec<String> {
        l.lines
            .iter()
            .map(|line| line.iter().map(|r| r.text.as_str()).collect())
            .collect()
    }

    #[test]
    fn short_labels_stay_on_one_line() {
        let font = Font::at_depth(3);
        let l = wrap(&label("# Hello there"), font, 0.0, &HalfEm);
        assert_eq!(texts(&l), ["Hello there"]);
        assert_eq!(l.width, 11.0 * 7.0);
        assert_eq!(l.height(), 19.0);
    }

    #[test]
    fn long_labels_wrap_at_spaces_within_the_width() {
        let font = Font::at_depth(3); // 7 px a character
        let text = "# Distributes incoming traffic across multiple instances";
        let l = wrap(&label(text), font, 30.0 * 7.0, &HalfEm);
        assert_eq!(
            texts(&l),
            ["Distributes incoming traffic", "across multiple instances"]
        );
        assert!(l.width <= 30.0 * 7.0);
        assert_eq!(l.width, 28.0 * 7.0);
        // A word longer than the width keeps a line of its own.
        let l = wrap(
            &label("# a Pneumonoultramicroscopic b"),
            font,
            10.0 * 7.0,
            &HalfEm,
        );
        assert_eq!(texts(&l), ["a", "Pneumonoultramicroscopic", "b"]);
        assert_eq!(l.width, 24.0 * 7.0);
    }

    #[test]
    fn styles_become_runs_and_glued_words_stay_together() {
        let font = Font::at_depth(3);
        let l = wrap(
            &label("# **Fast**er *reads*, `GET` and ~~old~~ [docs](https://x.org)"),
            font,
            0.0,
            &HalfEm,
        );
        let line = &l.lines[0];
        let styled: Vec<(&str, RunStyle)> =
            line.iter().map(|r| (r.text.as_str(), r.style)).collect();
        let plain = RunStyle::default();
        assert_eq!(
            styled,
            [
                (
                    "Fast",
                    RunStyle {
                        bold: true,
                        ..plain
                    }
                ),
                ("er ", plain),
                (
                    "reads",
                    RunStyle {
                        italic: true,
                        ..plain
                    }
                ),
                (", ", plain),
                (
                    "GET",
                    RunStyle {
                        code: true,
                        ..plain
                    }
                ),
                (" and ", plain),
                (
                    "old",
                    RunStyle {
                        strike: true,
                        ..plain
                    }
                ),
                (" ", plain),
                (
                    "docs",
                    RunStyle {
                        link: true,
                        ..plain
                    }
                ),
            ]
        );
        // "Faster" never breaks in the middle.
        let l = wrap(&label("# **Fast**er reads"), font, 7.0 * 7.0, &HalfEm);
        assert_eq!(texts(&l), ["Faster", "reads"]);
    }

    #[test]
    fn fonts_follow_depth_and_style() {
        let root = Font::at_depth(1);
        assert_eq!(
            root.css(RunStyle::default()),
            format!("700 20px {FONT_FAMILY}")
        );
        let leaf = Font::at_depth(5);
        let code = RunStyle {
            code: true,
            italic: true,
            ..RunStyle::default()
        };
        assert_eq!(leaf.css(code), format!("italic 400 12.6px {MONO_FAMILY}"));
        assert!(Font::at_depth(2).line_height() > leaf.line_height());
    }

    /// Each line's runs as (text, where it starts if it says).
    fn placed(l: &Label) -> Vec<Vec<(&str, Option<f64>)>> {
        l.lines
            .iter()
            .map(|line| line.iter().map(|r| (r.text.as_str(), r.x)).collect())
            .collect()
    }

    #[test]
    fn a_table_is_a_line_per_row_in_aligned_columns() {
        let font = Font::at_depth(3); // 7 px a character, a 14 px gap
        let l = wrap(
            &label("| Pattern | Cost |\n|---|---|\n| Caching | *low* |\n| CQRS |\n"),
            font,
            10.0 * 7.0,
            &HalfEm,
        );
        let column = 7.0 * 7.0 + 14.0; // "Pattern" and "Caching", then the gap
        assert_eq!(
            placed(&l),
            [
                vec![("Pattern", Some(0.0)), ("Cost", Some(column))],
                vec![("Caching", Some(0.0)), ("low", Some(column))],
                vec![("CQRS", Some(0.0))],
            ]
        );
        // The header is bold; a table is as wide as it is, maxWidth or not.
        assert!(l.lines[0].iter().all(|r| r.style.bold));
        assert!(l.lines[1][1].style.italic && !l.lines[1][1].style.bold);
        assert_eq!(l.width, column + 4.0 * 7.0);
        assert_eq!(l.height(), 3.0 * 19.0);
    }

    #[test]
    fn a_code_block_keeps_its_lines_below_the_text() {
        let font = Font::at_depth(3);
        let l = wrap(
            &label("- Run it:\n  ```\n  make all\n\n    --jobs 2\n  ```\n"),
            font,
            0.0,
            &HalfEm,
        );
        assert_eq!(texts(&l), ["Run it:", "make all", "", "  --jobs 2"]);
        assert!(l.lines[1..].iter().flatten().all(|r| r.style.code));
        // Monospace at 12.6 px: 6.3 px a character, spaces included.
        assert_eq!(l.width, 10.0 * 6.3);
    }

    #[test]
    fn an_image_is_a_glyph_and_its_alt_text_as_a_link() {
        let l = wrap(
            &label("# ![A *diagram*](d.svg)\n"),
            Font::at_depth(3),
            0.0,
            &HalfEm,
        );
        let styled: Vec<(&str, bool, bool)> = l.lines[0]
            .iter()
            .map(|r| (r.text.as_str(), r.style.link, r.style.italic))
            .collect();
        assert_eq!(styled, [("🖼 A ", true, false), ("diagram", true, true)]);
        assert!(!texts(&l)[0].contains("d.svg"));
    }

    #[test]
    fn an_empty_label_is_one_empty_line() {
        let l = wrap(&[], Font::at_depth(3), 100.0, &HalfEm);
        assert_eq!(l.lines, [Vec::<Run>::new()]);
        assert_eq!(l.width, 0.0);
    }
}
