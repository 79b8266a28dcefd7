//! Labels: the inline markdown of a heading or list item, kept as a small
//! tree so the UI can render bold, code and links without an HTML parser,
//! and flattened to plain text for search, ARIA labels and preset matching.
//! A label can also hold the blocks markmap draws inside a node: a code
//! block and a table, each on lines of its own.

use pulldown_cmark::{Event, Tag, TagEnd};

/// One piece of a label.
///
/// ```
/// use archsim_mindmap::Inline;
///
/// let map = archsim_mindmap::parse("# A **bold** [link](https://example.org) and `code`").unwrap();
/// let label = &map.root().label;
/// assert_eq!(label[1], Inline::Strong(vec![Inline::Text("bold".into())]));
/// assert!(matches!(&label[3], Inline::Link { href, .. } if href == "https://example.org"));
/// assert_eq!(map.plain_text(0), "A bold link and code");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Inline {
    /// Plain text (adjacent pieces are merged).
    Text(String),
    /// `**strong**` or `__strong__`.
    Strong(Vec<Inline>),
    /// `*emphasis*` or `_emphasis_`.
    Emphasis(Vec<Inline>),
    /// `~~struck through~~`.
    Strikethrough(Vec<Inline>),
    /// `` `code` ``.
    Code(String),
    /// `[text](href "title")`, or an autolink `<https://…>`.
    Link {
        /// Destination, as written.
        href: String,
        /// Title, empty when none was given.
        title: String,
        /// The link's text.
        children: Vec<Inline>,
    },
    /// `![alt](src "title")`: drawn as a glyph and its alt text, linked to
    /// `src`; never fetched.
    Image {
        /// Where the image is, as written.
        src: String,
        /// Title, empty when none was given.
        title: String,
        /// The alt text.
        alt: Vec<Inline>,
    },
    /// A fenced or indented code block: its lines, as written (the
    /// block's indentation aside).
    CodeBlock(Vec<String>),
    /// A table: rows of cells, the header row first, every row as wide as
    /// the header.
    Table(Vec<Vec<Vec<Inline>>>),
}

impl Inline {
    /// The text a reader sees, without markup.
    pub fn plain_text(&self) -> String {
        plain_text(std::slice::from_ref(self))
    }
}

/// Append the plain text of `label` to `out`. A code block keeps its
/// lines, a table has a line per row with ` | ` between cells, and each
/// starts on a line of its own, as does the text after it.
fn push_plain(label: &[Inline], out: &mut String) {
    let mut after_block = false;
    for inline in label {
        if std::mem::replace(&mut after_block, true) {
            new_line(out);
        }
        match inline {
            Inline::Text(t) | Inline::Code(t) => out.push_str(t),
            Inline::Strong(c)
            | Inline::Emphasis(c)
            | Inline::Strikethrough(c)
            | Inline::Link { children: c, .. }
            | Inline::Image { alt: c, .. } => push_plain(c, out),
            Inline::CodeBlock(lines) => {
                for line in lines {
                    new_line(out);
                    out.push_str(line);
                }
                continue;
            }
            Inline::Table(rows) => {
                for row in rows {
                    new_line(out);
                    for (k, cell) in row.iter().enumerate() {
                        if k > 0 {
                            out.push_str(" | ");
                        }
                        push_plain(cell, out);
                    }
                }
                continue;
            }
        }
        after_block = false;
    }
}

/// Start a new line of plain text, unless there is none yet.
fn new_line(out: &mut String) {
    if !out.is_empty() {
        *out += "\n";
    }
}

/// The plain text of a whole label.
pub(crate) fn plain_text(label: &[Inline]) -> String {
    let mut out = String::new();
    push_plain(label, &mut out);
    out
}

/// The `markmap:` magic comments a label can carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fold {
    /// `<!-- markmap: fold -->`: this node starts folded.
    Node,
    /// `<!-- markmap: foldAll -->`: this node and all below it start folded.
    All,
}

/// What an inline HTML fragment says to markmap, if anything: `Ok(None)`
/// for a fragment that is not a `markmap:` comment, `Err(text)` for one
/// this crate does not know.
pub(crate) fn magic_comment(html: &str) -> Result<Option<Fold>, String> {
    let Some(body) = html
        .trim()
        .strip_prefix("<!--")
        .and_then(|s| s.strip_suffix("-->"))
    else {
        return Ok(None);
    };
    let Some(what) = body.trim().strip_prefix("markmap:") else {
        return Ok(None);
    };
    match what.trim() {
        "fold" => Ok(Some(Fold::Node)),
        "foldAll" => Ok(Some(Fold::All)),
        other => Err(other.to_owned()),
    }
}

/// Builds a label from the inline events of one heading or list item.
#[derive(Default)]
pub(crate) struct LabelBuilder {
    /// Finished pieces of the outermost level.
    root: Vec<Inline>,
    /// Open containers (strong, emphasis, …) with the pieces inside so far.
    open: Vec<(Open, Vec<Inline>)>,
    /// How many of `open` are styles of their own (not transparent).
    depth: usize,
    /// Whether styles nested deeper than [`MAX_NESTING`] were dropped.
    flattened: bool,
}

/// Styles nested deeper than this keep their text and lose their style.
/// Labels are walked recursively (to flatten them, to draw them, to write
/// them as JSON), and a hostile line of 14,000 nested emphases would
/// otherwise overflow the stack; no one reads a label styled 32 deep.
pub(crate) const MAX_NESTING: usize = 32;

/// A container being filled.
enum Open {
    Strong,
    Emphasis,
    Strikethrough,
    Link {
        href: String,
        title: String,
    },
    Image {
        src: String,
        title: String,
    },
    /// A code block's text.
    CodeBlock,
    /// A table's rows so far; its cells are read in [`Open::Cell`]s.
    Table(Vec<Vec<Vec<Inline>>>),
    Cell,
    /// Superscripts and the like: their text joins the parent's.
    Transparent,
}

impl Open {
    /// Whether this is a style, which counts towards [`MAX_NESTING`]:
    /// blocks do not nest in labels, so only styles can go deep.
    fn is_style(&self) -> bool {
        matches!(
            self,
            Open::Strong
                | Open::Emphasis
                | Open::Strikethrough
                | Open::Link { .. }
                | Open::Image { .. }
        )
    }
}

impl LabelBuilder {
    /// Whether nothing but whitespace has been added.
    pub(crate) fn is_blank(&self) -> bool {
        self.open.is_empty() && plain_text(&self.root).trim().is_empty()
    }

    fn current(&mut self) -> &mut Vec<Inline> {
        match self.open.last_mut() {
            Some((_, pieces)) => pieces,
            None => &mut self.root,
        }
    }

    /// Add text, merging it with text just before.
    pub(crate) fn text(&mut self, text: &str) {
        let pieces = self.current();
        if let Some(Inline::Text(last)) = pieces.last_mut() {
            last.push_str(text);
        } else if !text.is_empty() {
            pieces.push(Inline::Text(text.to_owned()));
        }
    }

    /// Add one inline event; block-level events are not expected here and
    /// are ignored. Inline HTML is handled by the caller.
    pub(crate) fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Text(t) => self.text(&t),
            Event::Code(t) => self.current().push(Inline::Code(t.into_string())),
            Event::SoftBreak | Event::HardBreak => self.text(" "),
            Event::Start(Tag::TableHead | Tag::TableRow) => {
                if let Some((Open::Table(rows), _)) = self.open.last_mut() {
                    rows.push(Vec::new());
                }
            }
            Event::End(TagEnd::TableHead | TagEnd::TableRow) => {}
            Event::Start(tag) => {
                let open = match tag {
                    Tag::Strong => Open::Strong,
                    Tag::Emphasis => Open::Emphasis,
                    Tag::Strikethrough => Open::Strikethrough,
                    Tag::Link {
                        dest_url, title, ..
                    } => Open::Link {
                        href: dest_url.into_string(),
                        title: title.into_string(),
                    },
                    Tag::Image {
                        dest_url, title, ..
                    } => Open::Image {
                        src: dest_url.into_string(),
                        title: title.into_string(),
                    },
                    Tag::CodeBlock(_) => Open::CodeBlock,
                    Tag::Table(_) => Open::Table(Vec::new()),
                    Tag::TableCell => Open::Cell,
                    _ => Open::Transparent,
                };
                let open = if !open.is_style() {
                    open
                } else if self.depth == MAX_NESTING {
                    self.flattened = true;
                    Open::Transparent
                } else {
                    self.depth += 1;
                    open
                };
                self.open.push((open, Vec::new()));
            }
            Event::End(_) => self.close(),
            Event::InlineMath(t) | Event::DisplayMath(t) => self.text(&t),
            Event::FootnoteReference(t) => self.text(&format!("[^{t}]")),
            Event::TaskListMarker(done) => self.text(if done { "[x] " } else { "[ ] " }),
            Event::Html(_) | Event::InlineHtml(_) | Event::Rule => {}
        }
    }

    /// Close the innermost open container.
    fn close(&mut self) {
        let Some((open, pieces)) = self.open.pop() else {
            return;
        };
        if open.is_style() {
            self.depth -= 1;
        }
        let inline = match open {
            Open::Strong => Inline::Strong(pieces),
            Open::Emphasis => Inline::Emphasis(pieces),
            Open::Strikethrough => Inline::Strikethrough(pieces),
            Open::Link { href, title } => Inline::Link {
                href,
                title,
                children: pieces,
            },
            Open::Image { src, title } => Inline::Image {
                src,
                title,
                alt: pieces,
            },
            Open::CodeBlock => {
                let code = plain_text(&pieces);
                let code = code.strip_suffix('\n').unwrap_or(&code);
                Inline::CodeBlock(code.split('\n').map(str::to_owned).collect())
            }
            Open::Table(rows) => Inline::Table(rows),
            Open::Cell => {
                if let Some((Open::Table(rows), _)) = self.open.last_mut()
                    && let Some(row) = rows.last_mut()
                {
                    row.push(trimmed(pieces));
                }
                return;
            }
            Open::Transparent => {
                for p in pieces {
                    match p {
                        Inline::Text(t) => self.text(&t),
                        other => self.current().push(other),
                    }
                }
                return;
            }
        };
        self.current().push(inline);
    }

    /// Whether styles nested deeper than [`MAX_NESTING`] were dropped.
    pub(crate) fn flattened(&self) -> bool {
        self.flattened
    }

    /// The label, with containers left open closed and the outer
    /// whitespace trimmed.
    pub(crate) fn finish(mut self) -> Vec<Inline> {
        while !self.open.is_empty() {
            self.close();
        }
        trimmed(self.root)
    }
}

/// `pieces` without white space at either end.
fn trimmed(mut pieces: Vec<Inline>) -> Vec<Inline> {
    trim_start(&mut pieces);
    trim_end(&mut pieces);
    pieces
}

/// markmap's checkboxes: a label starting `[ ] ` or `[x] ` starts with a
/// box instead, ☐ or ☑ (markmap draws one; `[X]` stays text there too).
pub(crate) fn checkbox(label: &mut [Inline]) {
    if let Some(Inline::Text(text)) = label.first_mut() {
        for (marker, glyph) in [("[ ] ", "☐ "), ("[x] ", "☑ ")] {
            if let Some(rest) = text.strip_prefix(marker) {
                *text = [glyph, rest].concat();
                return;
            }
        }
    }
}

/// Whether an end tag closes an inline container (as opposed to a block).
pub(crate) fn is_inline_end(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Link
            | TagEnd::Image
            | TagEnd::Superscript
            | TagEnd::Subscript
    )
}

/// Whether a start tag opens an inline container.
pub(crate) fn is_inline_start(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Link { .. }
            | Tag::Image { .. }
            | Tag::Superscript
            | Tag::Subscript
    )
}

fn trim_start(pieces: &mut Vec<Inline>) {
    while let Some(first) = pieces.first_mut() {
        match first {
            Inline::Text(t) => {
                let trimmed = t.trim_start();
                if trimmed.is_empty() {
                    pieces.remove(0);
                    continue;
                }
                *t = trimmed.to_owned();
            }
            Inline::Strong(c) | Inline::Emphasis(c) | Inline::Strikethrough(c) => trim_start(c),
            Inline::Code(_)
            | Inline::Link { .. }
            | Inline::Image { .. }
            | Inline::CodeBlock(_)
            | Inline::Table(_) => {}
        }
        return;
    }
}

fn trim_end(pieces: &mut Vec<Inline>) {
    while let Some(last) = pieces.last_mut() {
        match last {
            Inline::Text(t) => {
                let trimmed = t.trim_end();
                if trimmed.is_empty() {
                    pieces.pop();
                    continue;
                }
                t.truncate(trimmed.len());
            }
            Inline::Strong(c) | Inline::Emphasis(c) | Inline::Strikethrough(c) => trim_end(c),
            Inline::Code(_)
            | Inline::Link { .. }
            | Inline::Image { .. }
            | Inline::CodeBlock(_)
            | Inline::Table(_) => {}
        }
        return;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_comments() {
        assert_eq!(
            magic_comment("<!-- markmap: fold -->"),
            Ok(Some(Fold::Node))
        );
        assert_eq!(magic_comment("<!--markmap:foldAll-->"), Ok(Some(Fold::All)));
        assert_eq!(magic_comment("<!-- a note -->"), Ok(None));
        assert_eq!(magic_comment("<b>"), Ok(None));
        assert_eq!(
            magic_comment("<!-- markmap: shrink -->"),
            Err("shrink".to_owned())
        );
    }

    #[test]
    fn text_merges_and_trims() {
        let mut b = LabelBuilder::default();
        b.text("  a");
        b.text("b ");
        assert_eq!(b.finish(), vec![Inline::Text("ab".into())]);
    }

    #[test]
    fn unclosed_containers_are_closed() {
        let mut b = LabelBuilder::default();
        b.event(Event::Start(Tag::Strong));
        b.text("x");
        assert_eq!(
            b.finish(),
            vec![Inline::Strong(vec![Inline::Text("x".into())])]
        );
    }
}
