//! Markdown to [`Mindmap`]: front matter, then the headings and list items
//! of the body as branches, the way markmap builds its tree.
//!
//! - A heading nests under the nearest heading before it of a higher level
//!   (`###` under `##`), or under the root.
//! - A list belongs to the heading it follows, or to the list item it is
//!   indented under; its items are that node's children.
//! - A table, a code block or a paragraph of nothing but an image is a leaf
//!   of the heading above it; inside a list item, a table or a code block
//!   written before any paragraph or sub-list is part of the item's label.
//! - Other blocks (other paragraphs, quotes, tables and code elsewhere in a
//!   list) are not part of the map: each gives a warning. Only the first
//!   paragraph of a loose list item is its label.
//! - `[ ] ` or `[x] ` at the start of a heading or a list item is a
//!   checkbox, ☐ or ☑.
//! - The root: if the document has exactly one top-level node, that node
//!   (markmap's tree clean-up); otherwise a node made from the front
//!   matter's `title:`, or an empty one if there is no title (again as
//!   markmap does), with the top-level nodes as its children.
//!
//! The parser never panics and never recurses on the input's nesting, so a
//! hostile document cannot overflow the stack.

use crate::color;
use crate::error::{Error, ErrorKind, Warning};
use crate::inline::{self, Fold, Inline, LabelBuilder, MAX_NESTING};
use crate::map::{Mindmap, Node, NodeKind};
use crate::options::{self, FrontMatter};
use pulldown_cmark::{Event, Options as MdOptions, Parser, Tag, TagEnd};

/// See [`crate::parse`].
pub(crate) fn parse(source: &str) -> Result<Mindmap, Error> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let lines = LineIndex::new(source);
    let mut warnings = Vec::new();
    let split = options::split(source)?;
    let front = match split.yaml {
        Some((yaml, first_line)) => options::read(yaml, first_line, &mut warnings)?,
        None => FrontMatter::default(),
    };
    let body = &source[split.body..];
    let mut tree = Builder::new(&lines, split.body, &mut warnings);
    let markdown = MdOptions::ENABLE_STRIKETHROUGH | MdOptions::ENABLE_TABLES;
    for (event, range) in Parser::new_ext(body, markdown).into_offset_iter() {
        tree.event(event, range.start);
    }
    let raw = tree.finish();

    // The root: a lone top-level node, else a made one.
    let mut root = 0;
    while raw[root].label.is_empty() && raw[root].children.len() == 1 {
        root = raw[root].children[0];
    }
    let title = front
        .title
        .as_ref()
        .map(|(t, line)| (title_label(t), *line));
    let mut root_label = None;
    if raw[root].label.is_empty() {
        match &title {
            Some((label, _)) => root_label = Some(label.clone()),
            None if raw[root].children.is_empty() => {
                return Err(Error::new(1, ErrorKind::Empty));
            }
            None if root == 0 && raw[0].children.len() > 1 => {
                let second = raw[0].children[1];
                warnings.push(Warning {
                    line: raw[second].line,
                    message:
                        "the map has several top-level nodes and no title, so its root is empty: \
                              add a front matter title or a single top-level heading"
                            .to_owned(),
                });
            }
            None => {}
        }
    }

    // Flatten the chosen subtree in pre-order, without recursion.
    let mut raw = raw;
    let mut nodes: Vec<Node> = Vec::with_capacity(raw.len());
    let mut folds: Vec<Option<Fold>> = Vec::with_capacity(raw.len());
    let mut stack: Vec<(usize, Option<usize>, u32)> = vec![(root, None, 1)];
    while let Some((r, parent, depth)) = stack.pop() {
        let index = nodes.len();
        if let Some(p) = parent {
            nodes[p].children.push(index);
        }
        let line = if r == 0 {
            title.as_ref().map_or(1, |(_, l)| *l)
        } else {
            raw[r].line
        };
        let label = match (r == root, root_label.take()) {
            (true, Some(label)) => label,
            _ => std::mem::take(&mut raw[r].label),
        };
        folds.push(raw[r].fold);
        nodes.push(Node {
            index,
            parent,
            children: Vec::new(),
            depth,
            line,
            kind: raw[r].kind,
            label,
            folded: false,
            color: String::new(),
        });
        for &c in raw[r].children.iter().rev() {
            stack.push((c, Some(index), depth.saturating_add(1)));
        }
    }

    // Folding: markmap's comments (foldAll folds the whole subtree), then
    // initialExpandLevel. A leaf has nothing to fold.
    let options = front.options;
    let mut fold_all: Vec<bool> = Vec::with_capacity(nodes.len());
    for (i, own) in folds.into_iter().enumerate() {
        let inherited = nodes[i].parent.is_some_and(|p| fold_all[p]);
        fold_all.push(inherited || own == Some(Fold::All));
        let by_level = options
            .initial_expand_level
            .is_some_and(|level| nodes[i].depth >= level);
        nodes[i].folded = !nodes[i].children.is_empty() && (inherited || own.is_some() || by_level);
    }

    // Colours.
    let parents: Vec<Option<usize>> = nodes.iter().map(|n| n.parent).collect();
    let depths: Vec<u32> = nodes.iter().map(|n| n.depth).collect();
    for (node, i) in nodes.iter_mut().zip(color::indices(
        &parents,
        &depths,
        options.color_freeze_level,
    )) {
        node.color = color::resolve(&options.color, i);
    }

    warnings.sort_by_key(|w| w.line);
    Ok(Mindmap {
        title: front.title.map(|(t, _)| t),
        options,
        nodes,
        warnings,
    })
}

/// The front matter title as a label: its inline markdown, or its text.
fn title_label(title: &str) -> Vec<Inline> {
    let mut label = LabelBuilder::default();
    for event in Parser::new_ext(title, MdOptions::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Start(tag) if !inline::is_inline_start(&tag) => {}
            Event::End(end) if !inline::is_inline_end(&end) => label.text(" "),
            other => label.event(other),
        }
    }
    let label = label.finish();
    if label.is_empty() && !title.trim().is_empty() {
        vec![Inline::Text(title.trim().to_owned())]
    } else {
        label
    }
}

/// What a block that is not part of the map is called in a warning.
fn block_name(tag: &Tag<'_>) -> Option<&'static str> {
    Some(match tag {
        Tag::BlockQuote(_) => "block quote",
        Tag::CodeBlock(_) => "code block",
        Tag::Table(_) => "table",
        Tag::FootnoteDefinition(_) => "footnote",
        Tag::DefinitionList => "definition list",
        Tag::HtmlBlock | Tag::MetadataBlock(_) => return None,
        _ => "block",
    })
}

/// Byte offset to 1-based line number. Lines end as CommonMark says they
/// do: at `\n`, `\r\n` or a lone `\r` (old Mac files).
pub(crate) struct LineIndex<'a> {
    source: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(source: &'a str) -> LineIndex<'a> {
        let bytes = source.as_bytes();
        let mut starts = vec![0];
        starts.extend(
            bytes
                .iter()
                .enumerate()
                .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
                .map(|(i, _)| i + 1),
        );
        LineIndex { source, starts }
    }

    pub(crate) fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }

    /// The line of the first character at or after `offset` that is not
    /// white space: where a block whose range starts in the indentation
    /// before it (a list item indented by a tab begins at the end of the
    /// line above) is written.
    pub(crate) fn line_of_text(&self, offset: usize) -> usize {
        let blank = self.source.get(offset..).map_or(0, |rest| {
            rest.bytes().take_while(u8::is_ascii_whitespace).count()
        });
        self.line_of(offset + blank)
    }
}

/// A node while the tree is being built; `0` is the made root.
struct Raw {
    kind: NodeKind,
    line: usize,
    label: Vec<Inline>,
    fold: Option<Fold>,
    children: Vec<usize>,
}

/// Where a label's text is being read from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Source {
    /// A heading, until it ends.
    Heading,
    /// Text directly inside a (tight) list item, until a block starts.
    Item,
    /// The first paragraph of a (loose) list item.
    Paragraph,
    /// A table or code block of its own, until it ends.
    Block,
    /// A paragraph outside a list: a node if it holds just an image.
    Figure,
}

struct Capture {
    node: usize,
    source: Source,
    label: LabelBuilder,
}

/// A list being read: whose children its items are, and the next number of
/// an ordered list.
struct List {
    parent: usize,
    number: Option<u64>,
}

/// Turns markdown events into a tree of [`Raw`] nodes.
struct Builder<'a> {
    lines: &'a LineIndex<'a>,
    /// Where the body starts in the source.
    base: usize,
    warnings: &'a mut Vec<Warning>,
    nodes: Vec<Raw>,
    /// Open headings, outermost first: (level, node).
    headings: Vec<(u8, usize)>,
    lists: Vec<List>,
    /// Open list items, outermost first.
    items: Vec<usize>,
    capture: Option<Capture>,
    /// Depth of nesting inside a block that is not part of the map.
    skip: usize,
    /// Depth of nesting inside a table or code block read into a label.
    block: usize,
}

impl<'a> Builder<'a> {
    fn new(lines: &'a LineIndex<'a>, base: usize, warnings: &'a mut Vec<Warning>) -> Builder<'a> {
        Builder {
            lines,
            base,
            warnings,
            nodes: vec![Raw {
                kind: NodeKind::Title,
                line: 1,
                label: Vec::new(),
                fold: None,
                children: Vec::new(),
            }],
            headings: Vec::new(),
            lists: Vec::new(),
            items: Vec::new(),
            capture: None,
            skip: 0,
            block: 0,
        }
    }

    fn line(&self, offset: usize) -> usize {
        self.lines.line_of(self.base + offset)
    }

    fn warn(&mut self, offset: usize, message: String) {
        let line = self.line(offset);
        self.warnings.push(Warning { line, message });
    }

    fn add(&mut self, parent: usize, kind: NodeKind, offset: usize) -> usize {
        let index = self.nodes.len();
        let line = self.lines.line_of_text(self.base + offset);
        self.nodes.push(Raw {
            kind,
            line,
            label: Vec::new(),
            fold: None,
            children: Vec::new(),
        });
        self.nodes[parent].children.push(index);
        index
    }

    /// Close the label being read, if any.
    fn end_capture(&mut self) {
        let Some(c) = self.capture.take() else {
            return;
        };
        let line = self.nodes[c.node].line;
        let flattened = c.label.flattened();
        let mut label = c.label.finish();
        if c.source == Source::Figure && !matches!(label[..], [Inline::Image { .. }]) {
            // Not just an image: no node after all. It was the last one
            // added, a child of the heading the paragraph is under.
            self.nodes.pop();
            let parent = self.heading();
            self.nodes[parent].children.pop();
            self.warn_ignored(line, "paragraph");
            return;
        }
        if flattened {
            self.warnings.push(Warning {
                line,
                message: format!(
                    "styles nested more than {MAX_NESTING} deep: the text inside is kept, its inner styles dropped"
                ),
            });
        }
        inline::checkbox(&mut label);
        let node = &mut self.nodes[c.node];
        if node.label.is_empty() {
            node.label = label;
        } else {
            // An ordered item's number was put in first.
            node.label.extend(label);
        }
    }

    /// The innermost open heading, or the root.
    fn heading(&self) -> usize {
        self.headings.last().map_or(0, |&(_, n)| n)
    }

    /// Start reading a label into a new node under the innermost heading;
    /// the node's index.
    fn start_node(&mut self, kind: NodeKind, source: Source, offset: usize) -> usize {
        let node = self.add(self.heading(), kind, offset);
        self.capture = Some(Capture {
            node,
            source,
            label: LabelBuilder::default(),
        });
        node
    }

    /// The label being read from an item's own text, if nothing but its
    /// number has been read yet.
    fn blank_item_capture(&mut self) -> Option<&mut Capture> {
        let top = *self.items.last()?;
        self.capture
            .as_mut()
            .filter(|c| c.node == top && c.source == Source::Item && c.label.is_blank())
    }

    /// Start skipping a block that is not part of the map, with a warning
    /// naming it (none for HTML, which is mostly comments).
    fn skip_block(&mut self, what: Option<&str>, offset: usize) {
        self.end_capture();
        self.skip = 1;
        if let Some(what) = what {
            self.warn_ignored(self.line(offset), what);
        }
    }

    fn warn_ignored(&mut self, line: usize, what: &str) {
        self.warnings.push(Warning {
            line,
            message: format!(
                "this {what} is not part of the map (only headings and list items are): ignored"
            ),
        });
    }

    fn event(&mut self, event: Event<'_>, offset: usize) {
        if self.skip > 0 {
            match event {
                Event::Start(_) => self.skip += 1,
                Event::End(_) => self.skip -= 1,
                Event::Html(html) if matches!(inline::magic_comment(&html), Ok(Some(_)) | Err(_)) => self.warn(
                    offset,
                    "a markmap comment folds the node on whose line it is written: this one is on a line of its own, ignored"
                        .to_owned(),
                ),
                _ => {}
            }
            return;
        }
        if self.block > 0 {
            match event {
                Event::Start(_) => self.block += 1,
                Event::End(_) => self.block -= 1,
                _ => {}
            }
            if let Some(c) = &mut self.capture {
                c.label.event(event);
                if self.block == 0 && c.source == Source::Block {
                    self.end_capture();
                }
            }
            return;
        }
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let level = level as u8;
                if !self.items.is_empty() {
                    match self.blank_item_capture() {
                        Some(c) => c.source = Source::Heading,
                        None => self.skip_block(Some("heading inside a list item"), offset),
                    }
                    return;
                }
                self.end_capture();
                while self.headings.last().is_some_and(|&(l, _)| l >= level) {
                    self.headings.pop();
                }
                let node = self.start_node(NodeKind::Heading { level }, Source::Heading, offset);
                self.headings.push((level, node));
            }
            Event::Start(Tag::Paragraph) if self.items.is_empty() => {
                self.end_capture();
                self.start_node(NodeKind::Block, Source::Figure, offset);
            }
            Event::Start(Tag::Paragraph) => match self.blank_item_capture() {
                Some(c) => c.source = Source::Paragraph,
                None => self.skip_block(Some("paragraph"), offset),
            },
            Event::Start(tag @ (Tag::Table(_) | Tag::CodeBlock(_))) => {
                let in_item = self.capture.as_ref().is_some_and(|c| {
                    c.source == Source::Item && Some(&c.node) == self.items.last()
                });
                if !in_item {
                    if !self.items.is_empty() {
                        self.skip_block(block_name(&tag), offset);
                        return;
                    }
                    self.end_capture();
                    self.start_node(NodeKind::Block, Source::Block, offset);
                }
                self.block = 1;
                if let Some(c) = &mut self.capture {
                    c.label.event(Event::Start(tag));
                }
            }
            Event::End(TagEnd::Heading(_) | TagEnd::Paragraph) => self.end_capture(),
            Event::Start(Tag::List(start)) => {
                self.end_capture();
                let parent = match self.items.last() {
                    Some(&item) => item,
                    None => self.heading(),
                };
                self.lists.push(List {
                    parent,
                    number: start,
                });
            }
            Event::End(TagEnd::List(_)) => {
                self.lists.pop();
            }
            Event::Start(Tag::Item) => {
                self.end_capture();
                let Some(list) = self.lists.last_mut() else {
                    self.skip = 1;
                    return;
                };
                let number = list.number;
                list.number = number.map(|n| n.saturating_add(1));
                let parent = list.parent;
                let node = self.add(parent, NodeKind::ListItem { number }, offset);
                if let Some(n) = number {
                    self.nodes[node].label.push(Inline::Text(format!("{n}. ")));
                }
                self.items.push(node);
                self.capture = Some(Capture {
                    node,
                    source: Source::Item,
                    label: LabelBuilder::default(),
                });
            }
            Event::End(TagEnd::Item) => {
                self.end_capture();
                self.items.pop();
            }
            Event::Start(tag) if inline::is_inline_start(&tag) => {
                if let Some(c) = &mut self.capture {
                    c.label.event(Event::Start(tag));
                }
            }
            Event::End(end) if inline::is_inline_end(&end) => {
                if let Some(c) = &mut self.capture {
                    c.label.event(Event::End(end));
                }
            }
            Event::Start(tag) => self.skip_block(block_name(&tag), offset),
            Event::End(_) => {}
            Event::InlineHtml(html) | Event::Html(html) => match inline::magic_comment(&html) {
                Ok(Some(fold)) => {
                    if let Some(c) = &self.capture {
                        let node = &mut self.nodes[c.node];
                        if node.fold != Some(Fold::All) {
                            node.fold = Some(fold);
                        }
                    }
                }
                Ok(None) => {}
                Err(what) => self.warn(
                    offset,
                    format!(
                        "unknown markmap comment '{what}' (known are fold and foldAll): ignored"
                    ),
                ),
            },
            other => {
                if let Some(c) = &mut self.capture {
                    c.label.event(other);
                }
            }
        }
    }

    fn finish(mut self) -> Vec<Raw> {
        self.end_capture();
        self.nodes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(map: &Mindmap) -> Vec<(u32, String)> {
        map.nodes
            .iter()
            .map(|n| (n.depth, n.plain_text()))
            .collect()
    }

    fn outline(src: &str) -> Vec<(u32, String)> {
        texts(&parse(src).unwrap_or_else(|e| panic!("{e}")))
    }

    fn t(depth: u32, s: &str) -> (u32, String) {
        (depth, s.to_owned())
    }

    #[test]
    fn headings_nest_by_level() {
        assert_eq!(
            outline("# R\n## A\n### A1\n#### A11\n## B\n### B1\n"),
            [
                t(1, "R"),
                t(2, "A"),
                t(3, "A1"),
                t(4, "A11"),
                t(2, "B"),
                t(3, "B1")
            ]
        );
        // A level skipped still nests; a higher level closes the lower ones.
        assert_eq!(
            outline("# R\n### deep\n## mid\n"),
            [t(1, "R"), t(2, "deep"), t(2, "mid")]
        );
    }

    #[test]
    fn lists_belong_to_their_heading_and_nest_by_indent() {
        let src = "# R\n## A\n- a1\n\t- a11\n\t- a12\n- a2\n## B\n1. b1\n2. b2\n   * b21\n";
        assert_eq!(
            outline(src),
            [
                t(1, "R"),
                t(2, "A"),
                t(3, "a1"),
                t(4, "a11"),
                t(4, "a12"),
                t(3, "a2"),
                t(2, "B"),
                t(3, "1. b1"),
                t(3, "2. b2"),
                t(4, "b21"),
            ]
        );
    }

    #[test]
    fn ordered_lists_number_from_their_start() {
        let map = parse("# R\n3. c\n4. d\n").unwrap();
        assert_eq!(map.plain_text(1), "3. c");
        assert_eq!(map.nodes[2].kind, NodeKind::ListItem { number: Some(4) });
    }

    #[test]
    fn blank_and_whitespace_lines_anywhere() {
        let src = "---\ntitle: T\n---\n\n## A\n\n- a1\n  \t\n  - a11\n\t\n \n## B\n\n\n- b1\n";
        assert_eq!(
            outline(src),
            [
                t(1, "T"),
                t(2, "A"),
                t(3, "a1"),
                t(4, "a11"),
                t(2, "B"),
                t(3, "b1")
            ]
        );
    }

    #[test]
    fn loose_items_take_their_first_paragraph() {
        let map = parse("# R\n- one\n\n  more text\n\n- two\n").unwrap();
        assert_eq!(texts(&map), [t(1, "R"), t(2, "one"), t(2, "two")]);
        assert_eq!(map.warnings.len(), 1, "{:?}", map.warnings);
        assert_eq!(map.warnings[0].line, 4);
    }

    #[test]
    fn the_root() {
        // A single h1 is the root, and the title does not replace it.
        let map = parse("---\ntitle: T\n---\n# One\n## a\n").unwrap();
        assert_eq!(map.plain_text(0), "One");
        assert_eq!(map.title.as_deref(), Some("T"));
        // Several top-level nodes and a title: the title is the root.
        let map = parse("---\ntitle: T\n---\n# One\n# Two\n").unwrap();
        assert_eq!(texts(&map), [t(1, "T"), t(2, "One"), t(2, "Two")]);
        assert_eq!((map.root().kind, map.root().line), (NodeKind::Title, 2));
        // Several and no title: an empty root, as markmap draws it, and a warning.
        let map = parse("# One\n# Two\n").unwrap();
        assert_eq!(texts(&map), [t(1, ""), t(2, "One"), t(2, "Two")]);
        assert_eq!(map.warnings[0].line, 2);
        // Only a title: a map of one node.
        assert_eq!(outline("---\ntitle: Just me\n---\n"), [t(1, "Just me")]);
        // A lone list item is a root too.
        assert_eq!(outline("- a\n  - b\n"), [t(1, "a"), t(2, "b")]);
    }

    #[test]
    fn fold_comments() {
        let src = "# R\n## A <!-- markmap: fold -->\n- a1\n  - a11\n## B <!-- markmap: foldAll -->\n- b1\n  - b11\n- b2\n## C\n- c1 <!-- markmap: fold -->\n";
        let map = parse(src).unwrap();
        let folded: Vec<(String, bool)> = map
            .nodes
            .iter()
            .map(|n| (n.plain_text(), n.folded))
            .collect();
        let f = |s: &str, b| (s.to_owned(), b);
        assert_eq!(
            folded,
            [
                f("R", false),
                f("A", true),
                f("a1", false),
                f("a11", false),
                f("B", true),
                f("b1", true),
                f("b11", false),
                f("b2", false),
                f("C", false),
                f("c1", false), // a leaf has nothing to fold
            ]
        );
    }

    #[test]
    fn a_fold_comment_on_its_own_line_warns() {
        let map = parse("# R\n## A\n<!-- markmap: fold -->\n- a\n").unwrap();
        assert!(!map.nodes[1].folded);
        assert_eq!(map.warnings.len(), 1);
        assert_eq!(map.warnings[0].line, 3);
        let map = parse("# R <!-- markmap: shrink -->\n").unwrap();
        assert!(map.warnings[0].message.contains("'shrink'"));
    }

    #[test]
    fn initial_expand_level_folds_at_and_below_the_level() {
        let src = "---\nmarkmap:\n  initialExpandLevel: 2\n---\n# R\n## A\n- a1\n  - a11\n## B\n";
        let map = parse(src).unwrap();
        let folded: Vec<bool> = map.nodes.iter().map(|n| n.folded).collect();
        // R(1) open; A(2) folded; a1(3) folded; a11 leaf; B leaf.
        assert_eq!(folded, [false, true, true, false, false]);
        assert_eq!(
            map.visible(&map.initial_expanded()),
            [true, true, false, false, true]
        );
    }

    #[test]
    fn colours_follow_markmap() {
        let src = "# R\n## A\n- a1\n## B\n";
        let map = parse(src).unwrap();
        let colors: Vec<&str> = map.nodes.iter().map(|n| n.color.as_str()).collect();
        assert_eq!(colors, ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"]);
        let map = parse(&format!("---\nmarkmap:\n  colorFreezeLevel: 2\n---\n{src}")).unwrap();
        let colors: Vec<&str> = map.nodes.iter().map(|n| n.color.as_str()).collect();
        assert_eq!(colors, ["#1f77b4", "#ff7f0e", "#ff7f0e", "#2ca02c"]);
        let map = parse(&format!("---\nmarkmap:\n  color: '#123'\n---\n{src}")).unwrap();
        assert!(map.nodes.iter().all(|n| n.color == "#123"));
    }

    #[test]
    fn inline_markup_in_labels() {
        let map = parse("# *It* and **bold** ~~gone~~ `x` [l](u \"t\")\n").unwrap();
        let label = &map.root().label;
        assert_eq!(
            label,
            &[
                Inline::Emphasis(vec![Inline::Text("It".into())]),
                Inline::Text(" and ".into()),
                Inline::Strong(vec![Inline::Text("bold".into())]),
                Inline::Text(" ".into()),
                Inline::Strikethrough(vec![Inline::Text("gone".into())]),
                Inline::Text(" ".into()),
                Inline::Code("x".into()),
                Inline::Text(" ".into()),
                Inline::Link {
                    href: "u".into(),
                    title: "t".into(),
                    children: vec![Inline::Text("l".into())]
                },
            ]
        );
    }

    #[test]
    fn lines_count_from_the_top_of_the_file() {
        let map = parse("---\ntitle: T\n---\n\n## A\n\n- a\n## B\n").unwrap();
        let lines: Vec<usize> = map.nodes.iter().map(|n| n.line).collect();
        assert_eq!(lines, [2, 5, 7, 8]);
    }

    #[test]
    fn errors() {
        let err = |s: &str| parse(s).unwrap_err();
        assert_eq!(err("").kind, ErrorKind::Empty);
        assert_eq!(err(" \n\t\n").kind, ErrorKind::Empty);
        assert_eq!(err("just a paragraph\n").kind, ErrorKind::Empty);
        assert_eq!(err("---\nmarkmap: {\n---\n# A\n").line, 3);
        assert!(matches!(
            err("---\nmarkmap: {\n---\n# A\n").kind,
            ErrorKind::Yaml { .. }
        ));
        assert_eq!(err("---\ntitle: T\n").kind, ErrorKind::UnclosedFrontMatter);
        let e = err("---\nmarkmap:\n  colorFreezeLevel: \"two\"\n---\n# A\n");
        assert_eq!(
            (e.line, e.reason()),
            (
                3,
                "markmap.colorFreezeLevel must be a whole number (0 or more), not 'two'".to_owned()
            )
        );
    }

    #[test]
    fn other_blocks_are_ignored_with_a_warning() {
        let map = parse(concat!(
            "# R\nsome text\n\n> - quoted\n\n![a](x.png) and text\n\n",
            "- a\n\n  more\n\n  ```\n  late code\n  ```\n<!-- a note -->\n",
        ))
        .unwrap();
        assert_eq!(texts(&map), [t(1, "R"), t(2, "a")]);
        let lines: Vec<usize> = map.warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, [2, 4, 6, 10, 12]);
    }

    fn cell(text: &str) -> Vec<Inline> {
        vec![Inline::Text(text.into())]
    }

    #[test]
    fn a_document_of_only_a_table_is_a_map_of_the_table() {
        // Rejected as empty before: markmap draws a table as a node.
        let map = parse("| Pattern | Cost |\n|---|--:|\n| Cache | **low** |\n| Shard |\n").unwrap();
        assert_eq!(map.len(), 1);
        assert_eq!((map.root().kind, map.root().line), (NodeKind::Block, 1));
        assert_eq!(
            map.root().label,
            [Inline::Table(vec![
                vec![cell("Pattern"), cell("Cost")],
                vec![cell("Cache"), vec![Inline::Strong(cell("low"))]],
                vec![cell("Shard"), vec![]],
            ])]
        );
        assert_eq!(map.plain_text(0), "Pattern | Cost\nCache | low\nShard | ");
        assert!(map.warnings.is_empty(), "{:?}", map.warnings);
    }

    #[test]
    fn a_document_of_only_images_is_a_map_of_image_leaves() {
        // Rejected as empty before: markmap draws a paragraph of one image.
        let map = parse("![A *diagram*](d.svg \"Shards\")\n\n![](photo.jpg)\n").unwrap();
        assert_eq!(texts(&map), [t(1, ""), t(2, "A diagram"), t(2, "")]);
        assert_eq!(
            map.nodes[1].label,
            [Inline::Image {
                src: "d.svg".into(),
                title: "Shards".into(),
                alt: vec![Inline::Text("A ".into()), Inline::Emphasis(cell("diagram"))],
            }]
        );
        assert_eq!((map.nodes[2].kind, map.nodes[2].line), (NodeKind::Block, 3));
        // Under a heading, blocks are its leaves, beside its list.
        let map = parse("# R\n![i](i.png)\n```sh\nmake\n```\n- a\n").unwrap();
        assert_eq!(texts(&map), [t(1, "R"), t(2, "i"), t(2, "make"), t(2, "a")]);
        assert_eq!(map.nodes[2].label, [Inline::CodeBlock(vec!["make".into()])]);
    }

    #[test]
    fn code_in_a_list_item_is_part_of_its_label() {
        // Dropped with a warning before, leaving the second item empty.
        let map = parse(concat!(
            "# R\n",
            "- Run it:\n  ```sh\n  cargo run \\\n      --release\n\n  ```\n  then wait\n",
            "- ```\n  x = 1\n  ```\n  - child\n",
        ))
        .unwrap();
        assert_eq!(
            map.nodes[1].label,
            [
                Inline::Text("Run it:".into()),
                Inline::CodeBlock(vec![
                    "cargo run \\".into(),
                    "    --release".into(),
                    String::new()
                ]),
                Inline::Text("then wait".into()),
            ]
        );
        assert_eq!(
            map.plain_text(1),
            "Run it:\ncargo run \\\n    --release\n\nthen wait"
        );
        assert_eq!(
            map.nodes[2].label,
            [Inline::CodeBlock(vec!["x = 1".into()])]
        );
        assert_eq!(texts(&map)[3], t(3, "child"));
        assert!(map.warnings.is_empty(), "{:?}", map.warnings);
    }

    #[test]
    fn checkboxes_start_a_label_with_a_box() {
        // Kept as "[ ]" and "[x]" before; markmap draws boxes.
        let map = parse("# [x] Done\n- [ ] to do\n- [x] **done**\n3. [ ] third\n- [X] [y] [x]no\n")
            .unwrap();
        let labels: Vec<String> = map.nodes.iter().map(|n| n.plain_text()).collect();
        assert_eq!(
            labels,
            ["☑ Done", "☐ to do", "☑ done", "3. ☐ third", "[X] [y] [x]no"]
        );
    }

    #[test]
    fn line_index() {
        let l = LineIndex::new("a\nb\n\nc");
        assert_eq!(
            [
                l.line_of(0),
                l.line_of(1),
                l.line_of(2),
                l.line_of(4),
                l.line_of(5)
            ],
            [1, 1, 2, 3, 4]
        );
    }

    /// Each node's text and the line it is written on.
    fn lines_of(source: &str) -> Vec<(String, usize)> {
        parse(source)
            .unwrap()
            .nodes
            .iter()
            .map(|n| (n.plain_text(), n.line))
            .collect()
    }

    #[test]
    fn an_item_indented_by_a_tab_is_on_its_own_line() {
        let lines = lines_of("# R\n- A\n\t- B\n\t- C\n- D\n");
        let expected = [("R", 1), ("A", 2), ("B", 3), ("C", 4), ("D", 5)];
        assert_eq!(lines, expected.map(|(t, l)| (t.to_owned(), l)));
    }

    #[test]
    fn lines_end_at_cr_lf_and_a_lone_cr_alike() {
        let expected = [("R", 1), ("A", 2), ("B", 3)].map(|(t, l)| (t.to_owned(), l));
        for ending in ["\n", "\r\n", "\r"] {
            let source = ["# R", "- A", "- B", ""].join(ending);
            assert_eq!(lines_of(&source), expected, "{ending:?}");
        }
        let l = LineIndex::new("a\rb\r\nc\n\rd");
        // b starts at 2, its CR LF ends at 4, c starts at 5, the lone CR at 7
        // is an empty line and d starts at 8.
        assert_eq!([2, 4, 5, 7, 8].map(|o| l.line_of(o)), [2, 2, 3, 4, 5]);
    }

    #[test]
    fn a_line_of_thousands_of_nested_styles_keeps_its_text_and_warns() {
        // 14,000 emphases each side of a word overflowed the stack in
        // `archsim mindmap --format json`; the browser's stack is smaller.
        let deep = format!("- {}word{}\n", "*".repeat(14_000), "*".repeat(14_000));
        let map = parse(&format!("# R\n{deep}")).unwrap();
        assert_eq!(map.nodes[1].line, 2);
        assert!(map.nodes[1].plain_text().contains("word"));
        let depth = |mut label: &[Inline]| {
            let mut depth = 0;
            while let Some(Inline::Emphasis(inner) | Inline::Strong(inner)) = label.first() {
                depth += 1;
                label = inner;
            }
            depth
        };
        assert_eq!(depth(&map.nodes[1].label), MAX_NESTING);
        let warning = map
            .warnings
            .iter()
            .find(|w| w.line == 2)
            .expect("a warning on line 2");
        assert!(
            warning.message.contains("nested more than 32 deep"),
            "{}",
            warning.message
        );
    }
}
