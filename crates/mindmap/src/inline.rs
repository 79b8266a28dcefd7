//! Labels: the inline markdown of a heading or list item, kept as a small
//! tree so the UI can render bold, code and links without an HTML parser,
//! and flattened to plain text for search, ARIA labels and preset matching.

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
}

impl Inline {
    /// The text a reader sees, without markup.
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        self.push_plain(&mut out);
        out
    }

    fn push_plain(&self, out: &mut String) {
        match self {
            Inline::Text(t) | Inline::Code(t) => out.push_str(t),
            Inline::Strong(c)
            | Inline::Emphasis(c)
            | Inline::Strikethrough(c)
            | Inline::Link { children: c, .. } => {
                for i in c {
                    i.push_plain(out);
                }
            }
        }
    }
}

/// The plain text of a whole label.
pub(crate) fn plain_text(label: &[Inline]) -> String {
    let mut out = String::new();
    for i in label {
        i.push_plain(&mut out);
    }
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
    /// Images, superscripts and the like: their text joins the parent's.
    Transparent,
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
                    _ => Open::Transparent,
                };
                let open = if matches!(open, Open::Transparent) {
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
        if !matches!(open, Open::Transparent) {
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
        let mut label = self.root;
        trim_start(&mut label);
        trim_end(&mut label);
        label
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
            Inline::Code(_) | Inline::Link { .. } => {}
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
            Inline::Code(_) | Inline::Link { .. } => {}
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
