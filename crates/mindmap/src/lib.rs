//! Markmap-style markdown, read into a mind-map and laid out as a tidy tree.
//!
//! archsim's home page is a mind-map of `mindmap/architectures.md`, written
//! in the markdown dialect of [markmap](https://markmap.js.org): headings
//! and nested lists are the branches, YAML front matter holds a title and
//! display options. This crate does the part of markmap that is not drawing,
//! in plain Rust with no IO, so the web app, the CLI and the tests share it:
//!
//! 1. [`parse`] reads the document into a [`Mindmap`]: a flat arena of
//!    [`Node`]s in document pre-order, each with its parent, children,
//!    depth, source line, label (a small tree of [`Inline`] markdown), fold
//!    state and colour, all resolved the way markmap resolves them
//!    (`initialExpandLevel`, `colorFreezeLevel`, `<!-- markmap: fold -->`).
//!    Tables, code blocks, images and checkboxes are read as markmap
//!    draws them (below). Mistakes come back as an [`Error`] naming the
//!    line; things it ignores as [`Warning`]s. It never panics.
//! 2. [`layout`] places the nodes that are shown, given each node's size
//!    (measured by a browser, or guessed by [`estimate_size`]): root at the
//!    left, depth to the right, no two boxes overlapping, each parent
//!    centred on its children.
//!
//! # Reading a map
//!
//! ```
//! use archsim_mindmap::{parse, NodeKind};
//!
//! let map = parse(concat!(
//!     "---\n",
//!     "title: Caching\n",
//!     "markmap:\n",
//!     "  colorFreezeLevel: 2\n",
//!     "---\n",
//!     "## Benefits\n",
//!     "- **Performance**: fewer slow reads\n",
//!     "- Reduced latency\n",
//!     "## Considerations <!-- markmap: fold -->\n",
//!     "- Invalidation\n",
//! )).unwrap();
//!
//! // Two `##` headings and a title: the title becomes the root (depth 1).
//! let root = map.root();
//! assert_eq!(map.plain_text(0), "Caching");
//! assert_eq!((root.kind, root.depth), (NodeKind::Title, 1));
//! assert_eq!(root.children, [1, 4]);
//!
//! // A list belongs to the heading above it.
//! assert_eq!(map.plain_text(2), "Performance: fewer slow reads");
//! assert_eq!(map.nodes[2].parent, Some(1));
//! assert_eq!(map.nodes[2].line, 7);
//!
//! // colorFreezeLevel 2: a branch and everything in it share one colour.
//! assert_eq!(map.nodes[2].color, map.nodes[1].color);
//! assert_ne!(map.nodes[4].color, map.nodes[1].color);
//!
//! // The fold comment folds its own node: shown, children hidden.
//! assert!(map.nodes[4].folded);
//! assert_eq!(map.visible(&map.initial_expanded()), [true, true, true, true, true, false]);
//! ```
//!
//! # Laying it out
//!
//! ```
//! # let map = archsim_mindmap::parse("# Root\n- a\n- b\n").unwrap();
//! use archsim_mindmap::{estimate_sizes, layout};
//!
//! let sizes = estimate_sizes(&map); // a browser passes measured sizes
//! let laid = layout(&map, &sizes, &map.initial_expanded());
//! let root = laid.boxes[0].unwrap();
//! let (a, b) = (laid.boxes[1].unwrap(), laid.boxes[2].unwrap());
//! assert!(a.x > root.right() && a.bottom() < b.y);
//! assert_eq!(root.center_y(), (a.y + b.bottom()) / 2.0);
//! ```
//!
//! # Errors and warnings
//!
//! ```
//! let err = archsim_mindmap::parse("---\nmarkmap:\n  maxWidth: wide\n---\n# A").unwrap_err();
//! assert_eq!(err.to_string(), "line 3: markmap.maxWidth must be a number (0 or more), not 'wide'");
//!
//! let map = archsim_mindmap::parse("---\nmarkmap:\n  colour: red\n---\n# A").unwrap();
//! assert_eq!(
//!     map.warnings[0].to_string(),
//!     "line 3: unknown option markmap.colour (did you mean color?): ignored"
//! );
//! ```
//!
//! # Blocks, images and checkboxes, as markmap draws them
//!
//! ```
//! use archsim_mindmap::{Inline, NodeKind};
//!
//! let map = archsim_mindmap::parse(concat!(
//!     "# Caching\n",
//!     "| Policy | Evicts |\n|---|---|\n| LRU | the oldest read |\n",
//!     "- [x] Warm the cache:\n",
//!     "  ```sh\n  archsim run caching-warm\n  ```\n",
//!     "- ![Hit ratio](hits.svg)\n",
//! )).unwrap();
//!
//! // A table under a heading is a leaf of it, drawn as a table.
//! assert_eq!(map.nodes[1].kind, NodeKind::Block);
//! assert_eq!(map.plain_text(1), "Policy | Evicts\nLRU | the oldest read");
//!
//! // A checkbox starts the label; a code block in an item is part of it.
//! assert_eq!(map.plain_text(2), "☑ Warm the cache:\narchsim run caching-warm");
//! assert_eq!(map.nodes[2].label[1], Inline::CodeBlock(vec!["archsim run caching-warm".into()]));
//!
//! // An image is its alt text and its address, never fetched.
//! assert!(matches!(&map.nodes[3].label[0], Inline::Image { src, .. } if src == "hits.svg"));
//! assert_eq!(map.plain_text(3), "Hit ratio");
//! ```
//!
//! Like markmap, a table, a code block or a paragraph holding nothing but
//! an image is a leaf of the heading above it (a document of only a table
//! is a map of one node); a table or code block written in a list item,
//! before any paragraph or sub-list, is part of the item's label, its lines
//! kept; an image is its alt text, as a link ([`Inline::Image`]); and
//! `[ ] ` or `[x] ` at the start of a heading or an item is a box, ☐ or ☑
//! (`[X]` stays text, as in markmap).
//!
//! # Where this differs from markmap
//!
//! - A heading followed by sub-headings, blocks (tables, code, images) and
//!   a list keeps them all as children (markmap keeps only one kind: the
//!   sub-headings if there are any, else the blocks, else the list).
//! - A heading whose level is skipped keeps its subtree: `# R`, `### A`,
//!   `## B` gives R two children, A and B (markmap drops A and everything
//!   under it when B comes).
//! - Lists nest as deep as they are written (markdown-it's nesting limit
//!   of 100 cuts a list at 49 levels, leaving the deeper items out).
//! - What is left out (paragraphs other than a lone image, quotes, tables
//!   and code blocks after an item's first paragraph or sub-list) gives a
//!   warning; markmap leaves it out silently. A paragraph of an image and
//!   text is left out too (markmap takes the image and drops the text).
//! - An image is drawn as a glyph and its alt text, linked to it; markmap
//!   shows the image, which means fetching it.
//! - A leaf is never marked folded, since it has nothing to hide.
//! - Lines end at `\n`, `\r\n` or a lone `\r`, as CommonMark says, and a
//!   node's line is the one its marker is written on, however it is
//!   indented.
//! - Styles (emphasis, strong, strike-through, links, images) nested more
//!   than 32 deep keep their text and lose the inner styles, with a warning
//!   naming the line: labels are walked recursively, and a line of
//!   thousands of nested emphases must not overflow the stack (the
//!   browser's is small). markdown-it's own limit is 100 levels.

pub mod color;
mod error;
mod inline;
mod layout;
pub mod link;
mod map;
mod options;
mod parse;
pub mod xml;
mod yaml;

pub use error::{Error, ErrorKind, Warning};
pub use inline::Inline;
pub use layout::{
    GLYPH_WIDTH, LINE_HEIGHT, Layout, Rect, Size, estimate_size, estimate_sizes, layout,
    layout_spaced,
};
pub use map::{Mindmap, Node, NodeKind, collapse_whitespace};
pub use options::Options;

/// Read markmap-style markdown into a [`Mindmap`].
///
/// # Errors
/// With the 1-based line of the problem: front matter that is not closed,
/// is not valid YAML, or gives an option a value of the wrong type; or a
/// document with no heading, list item, table, code block, image or title
/// at all.
pub fn parse(source: &str) -> Result<Mindmap, Error> {
    parse::parse(source)
}
