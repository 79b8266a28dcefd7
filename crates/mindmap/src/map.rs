//! The parsed map: a flat arena of nodes in document pre-order.
//!
//! Pre-order means a node comes before its descendants and its descendants
//! come before its next sibling, so the subtree of node `i` is the
//! contiguous run `i..end` ([`Mindmap::subtree`]), the root is node `0`,
//! and walking `nodes` front to back visits the map as a reader would.

use crate::error::Warning;
use crate::inline::{self, Inline};
use crate::options::Options;
use std::ops::Range;

/// A mind-map read from markmap-style markdown.
///
/// ```
/// let map = archsim_mindmap::parse(concat!(
///     "# Pets\n",
///     "## Cats\n",
///     "- Tabby\n",
///     "- Siamese\n",
///     "## Dogs\n",
/// )).unwrap();
/// assert_eq!(map.plain_text(0), "Pets");
/// assert_eq!(map.nodes.len(), 5);
/// let cats = map.root().children[0];
/// assert_eq!(map.plain_text(cats), "Cats");
/// assert_eq!(map.subtree(cats), 1..4);
/// let leaves: Vec<String> = map.leaves().map(|i| map.plain_text(i)).collect();
/// assert_eq!(leaves, ["Tabby", "Siamese", "Dogs"]);
/// ```
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Mindmap {
    /// The front matter's `title:`, as plain text.
    pub title: Option<String>,
    /// The `markmap:` options of the front matter, defaults elsewhere.
    pub options: Options,
    /// Every node, in document pre-order; `nodes[0]` is the root and
    /// `nodes[i].index == i`.
    pub nodes: Vec<Node>,
    /// What was ignored while reading, in document order.
    pub warnings: Vec<Warning>,
}

/// One node of a [`Mindmap`].
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Node {
    /// Position in [`Mindmap::nodes`].
    pub index: usize,
    /// The parent's index; `None` for the root only.
    pub parent: Option<usize>,
    /// Children's indices, in document order.
    pub children: Vec<usize>,
    /// 1 for the root, 2 for its children, and so on (markmap's depth).
    pub depth: u32,
    /// 1-based line of the source the node comes from.
    pub line: usize,
    /// What the node is written as.
    pub kind: NodeKind,
    /// The label, as inline markdown.
    pub label: Vec<Inline>,
    /// Whether the node starts folded: shown, its children hidden. Always
    /// false for a leaf.
    pub folded: bool,
    /// The node's colour, a CSS colour (see [`crate::color`]).
    pub color: String,
}

/// What a node is written as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "type", rename_all = "snake_case"))]
pub enum NodeKind {
    /// A root made for the map: from the front matter's `title:`, or empty
    /// when the document has several top-level nodes and no title.
    Title,
    /// `#` to `######`.
    Heading {
        /// 1 to 6.
        level: u8,
    },
    /// An item of a bullet list (`number: None`) or of an ordered list, whose
    /// label then starts with its number, as markmap shows it (`"2. …"`).
    ListItem {
        /// The item's number in an ordered list.
        number: Option<u64>,
    },
    /// A table, a code block or a paragraph of nothing but an image, outside
    /// a list: a leaf of the heading above it, as markmap draws them.
    Block,
}

impl Node {
    /// The label as plain text.
    pub fn plain_text(&self) -> String {
        inline::plain_text(&self.label)
    }
}

impl Mindmap {
    /// Read markmap-style markdown: the same as [`crate::parse`].
    ///
    /// # Errors
    /// See [`crate::parse`].
    pub fn parse(source: &str) -> Result<Mindmap, crate::Error> {
        crate::parse::parse(source)
    }

    /// The root, `nodes[0]`.
    pub fn root(&self) -> &Node {
        &self.nodes[0]
    }

    /// Node `i`, if there is one.
    pub fn node(&self, i: usize) -> Option<&Node> {
        self.nodes.get(i)
    }

    /// The number of nodes (at least 1: a map always has a root).
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Always false: a map has at least its root.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The label of node `i` as plain text.
    ///
    /// # Panics
    /// If `i` is not a node's index.
    pub fn plain_text(&self, i: usize) -> String {
        self.nodes[i].plain_text()
    }

    /// The ancestors of node `i`, its parent first and the root last.
    ///
    /// ```
    /// let map = archsim_mindmap::parse("# R\n- a\n  - b\n").unwrap();
    /// assert_eq!(map.ancestors(2).collect::<Vec<_>>(), [1, 0]);
    /// assert_eq!(map.ancestors(0).count(), 0);
    /// ```
    ///
    /// # Panics
    /// If `i` is not a node's index.
    pub fn ancestors(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(self.nodes[i].parent, |&p| self.nodes[p].parent)
    }

    /// The top-level branch node `i` is under: its ancestor just below the
    /// root (depth 2). `None` for the root and for the branches themselves.
    pub fn branch_of(&self, i: usize) -> Option<usize> {
        self.ancestors(i).find(|&a| self.nodes[a].depth == 2)
    }

    /// Node `i` and its descendants: the contiguous run of the arena it
    /// heads, in pre-order.
    ///
    /// # Panics
    /// If `i` is not a node's index.
    pub fn subtree(&self, i: usize) -> Range<usize> {
        let depth = self.nodes[i].depth;
        let end = self.nodes[i + 1..]
            .iter()
            .position(|n| n.depth <= depth)
            .map_or(self.nodes.len(), |k| i + 1 + k);
        i..end
    }

    /// The descendants of node `i` (itself excluded), in pre-order.
    ///
    /// # Panics
    /// If `i` is not a node's index.
    pub fn descendants(&self, i: usize) -> Range<usize> {
        let r = self.subtree(i);
        r.start + 1..r.end
    }

    /// Whether node `i` has no children.
    ///
    /// # Panics
    /// If `i` is not a node's index.
    pub fn is_leaf(&self, i: usize) -> bool {
        self.nodes[i].children.is_empty()
    }

    /// The nodes without children, in document order.
    pub fn leaves(&self) -> impl Iterator<Item = usize> + '_ {
        self.nodes
            .iter()
            .filter(|n| n.children.is_empty())
            .map(|n| n.index)
    }

    /// The first node whose plain text equals `text`, whitespace runs
    /// counting as single spaces on both sides.
    ///
    /// ```
    /// let map = archsim_mindmap::parse("# A\n- **Fast**  reads\n").unwrap();
    /// assert_eq!(map.find("Fast reads"), Some(1));
    /// assert_eq!(map.find("Slow"), None);
    /// ```
    pub fn find(&self, text: &str) -> Option<usize> {
        let wanted = collapse_whitespace(text);
        self.nodes
            .iter()
            .position(|n| collapse_whitespace(&n.plain_text()) == wanted)
    }

    /// For every node, whether it starts expanded (`!folded`): the
    /// `expanded` argument of [`crate::layout`] for a map as first shown.
    pub fn initial_expanded(&self) -> Vec<bool> {
        self.nodes.iter().map(|n| !n.folded).collect()
    }

    /// For every node, whether it is shown when each node `j` is expanded
    /// as `expanded[j]` says (a missing entry means `!folded`): the root
    /// always, any other node when all its ancestors are expanded.
    ///
    /// ```
    /// let map = archsim_mindmap::parse("# R\n- a\n  - b\n- c\n").unwrap();
    /// assert_eq!(map.visible(&[]), [true, true, true, true]);
    /// assert_eq!(map.visible(&[true, false]), [true, true, false, true]);
    /// assert_eq!(map.visible(&[false]), [true, false, false, false]);
    /// ```
    pub fn visible(&self, expanded: &[bool]) -> Vec<bool> {
        let mut shown = Vec::with_capacity(self.nodes.len());
        for n in &self.nodes {
            shown.push(match n.parent {
                None => true,
                Some(p) => shown[p] && expanded.get(p).copied().unwrap_or(!self.nodes[p].folded),
            });
        }
        shown
    }
}

/// `text` with each run of whitespace as one space and its ends trimmed: how
/// a label is compared with a catalog's words, so that a label wrapped over
/// lines in the markdown still matches.
pub fn collapse_whitespace(text: &str) -> String {
    // No `collect` and `join`: this runs in the browser, where their code
    // costs more than the loop.
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out += " ";
        }
        out += word;
    }
    out
}
