//! Where each node goes: a tidy tree, left to right, for nodes of any size.
//!
//! The root is at the left and depth grows to the right; each node sits
//! `spacingHorizontal` to the right of its parent's right edge (so nodes of
//! one depth need not share a column, as in markmap), siblings keep their
//! document order from top to bottom, and each parent is centred
//! vertically on the span of its visible children. Siblings are
//! `spacingVertical` apart; other neighbours (cousins and beyond) twice
//! that, as markmap spaces them. No two boxes overlap.
//!
//! The algorithm is van der Ploeg's linear-time tidy tree for non-layered
//! trees (*Drawing non-layered tidy trees in linear time*, 2014), the one
//! `d3-flextree` implements and markmap uses: each subtree is placed once,
//! against the contours of its left siblings, with threads so that each
//! contour node is visited a bounded number of times. It walks the arena in
//! a loop, never recursing, so a deep map cannot overflow the stack.
//!
//! Sizes come from the caller: a browser measures the rendered labels; the
//! CLI and the tests use [`estimate_size`].

use crate::map::{Mindmap, Node};
use crate::options::Options;

/// A node's size in pixels, padding included: `w` across, `h` down.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Size {
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

/// A box in pixels: `(x, y)` its top-left corner, y growing downwards.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Rect {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

impl Rect {
    /// The right edge, `x + w`.
    pub fn right(&self) -> f64 {
        self.x + self.w
    }

    /// The bottom edge, `y + h`.
    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }

    /// The vertical centre.
    pub fn center_y(&self) -> f64 {
        self.y + self.h / 2.0
    }

    /// Whether the two boxes share any interior point (touching edges do
    /// not count).
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.right()
            && other.x < self.right()
            && self.y < other.bottom()
            && other.y < self.bottom()
    }

    /// The smallest box holding both.
    pub fn union(&self, other: &Rect) -> Rect {
        let x = self.x.min(other.x);
        let y = self.y.min(other.y);
        Rect {
            x,
            y,
            w: self.right().max(other.right()) - x,
            h: self.bottom().max(other.bottom()) - y,
        }
    }
}

/// Where every shown node goes.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Layout {
    /// One entry per node of the map: its box, or `None` for a node hidden
    /// under a folded ancestor.
    pub boxes: Vec<Option<Rect>>,
    /// The smallest box holding every shown node. The root's left edge is
    /// at `x = 0` and its vertical centre at `y = 0`.
    pub bounds: Rect,
}

/// Lay the map out.
///
/// `sizes[i]` is node `i`'s size, padding included (a missing, negative or
/// non-finite size counts as zero). `expanded[i]` says whether node `i`'s
/// children are shown (a missing entry means `!folded`, the map's initial
/// state: see [`Mindmap::initial_expanded`]). Spacing comes from the map's
/// options.
///
/// ```
/// use archsim_mindmap::{estimate_sizes, layout};
///
/// let map = archsim_mindmap::parse("# Root\n- a\n- b\n  - b1\n").unwrap();
/// let sizes = estimate_sizes(&map);
/// let laid = layout(&map, &sizes, &map.initial_expanded());
/// let [root, a, b, b1] = [0, 1, 2, 3].map(|i| laid.boxes[i].unwrap());
/// assert_eq!((root.x, root.center_y()), (0.0, 0.0));
/// assert_eq!(a.x, root.right() + map.options.spacing_horizontal);
/// assert!(a.bottom() + map.options.spacing_vertical <= b.y); // in order, apart
/// assert!(b1.x > b.right());
///
/// // Fold b: b1 is no longer laid out.
/// let laid = layout(&map, &sizes, &[true, true, false, true]);
/// assert!(laid.boxes[3].is_none());
/// ```
pub fn layout(map: &Mindmap, sizes: &[Size], expanded: &[bool]) -> Layout {
    let o = &map.options;
    layout_spaced(
        map,
        sizes,
        expanded,
        (o.spacing_horizontal, o.spacing_vertical),
    )
}

/// [`layout`] with `(horizontal, vertical)` spacing instead of the map's
/// own: a viewer may space a map out for its screen (a phone's fingers)
/// without copying the map.
pub fn layout_spaced(
    map: &Mindmap,
    sizes: &[Size],
    expanded: &[bool],
    (horizontal, vertical): (f64, f64),
) -> Layout {
    let shown = map.visible(expanded);
    let n = map.nodes.len();
    // The shown nodes, in pre-order, with local indices.
    let mut local = vec![usize::MAX; n];
    let mut order = Vec::new();
    for i in 0..n {
        if shown[i] {
            local[i] = order.len();
            order.push(i);
        }
    }
    let size_of = |i: usize| {
        let s = sizes.get(i).copied().unwrap_or_default();
        let clean = |v: f64| if v.is_finite() && v > 0.0 { v } else { 0.0 };
        Size {
            w: clean(s.w),
            h: clean(s.h),
        }
    };
    let parents: Vec<usize> = order
        .iter()
        .map(|&i| map.nodes[i].parent.map_or(NONE, |p| local[p]))
        .collect();
    let node_sizes: Vec<Size> = order.iter().map(|&i| size_of(i)).collect();
    let spacing = |v: f64| if v.is_finite() && v > 0.0 { v } else { 0.0 };
    let rects = tidy(
        &parents,
        &node_sizes,
        spacing(horizontal),
        spacing(vertical),
    );
    let mut boxes = vec![None; n];
    let mut bounds: Option<Rect> = None;
    for (k, rect) in rects.into_iter().enumerate() {
        boxes[order[k]] = Some(rect);
        bounds = Some(bounds.map_or(rect, |b| b.union(&rect)));
    }
    Layout {
        boxes,
        bounds: bounds.unwrap_or_default(),
    }
}

/// Average advance of a glyph of markmap's label font (16 px sans-serif),
/// in pixels.
pub const GLYPH_WIDTH: f64 = 8.0;
/// Height of one line of a label, in pixels (markmap's 20 px line height).
pub const LINE_HEIGHT: f64 = 20.0;

/// A deterministic guess at a node's size without a browser: its plain
/// text at [`GLYPH_WIDTH`] per character (twice that for wide East Asian
/// characters), wrapped at word boundaries to `maxWidth` when that is set
/// and broken where it breaks (the rows of a table, the lines of code),
/// [`LINE_HEIGHT`] per line and `paddingX` on both sides (none for an
/// empty label, as markmap does), at least `nodeMinHeight` tall.
///
/// ```
/// use archsim_mindmap::{estimate_size, Options, Size, GLYPH_WIDTH};
///
/// let map = archsim_mindmap::parse("# Hello").unwrap();
/// let options = Options::default();
/// assert_eq!(
///     estimate_size(map.root(), &options),
///     Size { w: 5.0 * GLYPH_WIDTH + 2.0 * options.padding_x, h: 20.0 }
/// );
/// ```
pub fn estimate_size(node: &Node, options: &Options) -> Size {
    let text = node.plain_text();
    let glyph = |c: char| {
        if is_wide(c) {
            2.0 * GLYPH_WIDTH
        } else {
            GLYPH_WIDTH
        }
    };
    let max = if options.max_width.is_finite() && options.max_width > 0.0 {
        options.max_width
    } else {
        f64::INFINITY
    };
    let mut lines = 1usize;
    let mut line = 0.0f64;
    let mut widest = 0.0f64;
    for (k, text) in text.split('\n').enumerate() {
        if k > 0 {
            widest = widest.max(line);
            lines += 1;
            line = 0.0;
        }
        for word in text.split_whitespace() {
            let w: f64 = word.chars().map(glyph).sum();
            let with_space = if line > 0.0 {
                line + GLYPH_WIDTH + w
            } else {
                w
            };
            if with_space <= max {
                line = with_space;
            } else {
                if line > 0.0 {
                    widest = widest.max(line);
                    lines += 1;
                }
                // A word wider than the limit breaks across lines of its own.
                let mut rest = w;
                while rest > max {
                    widest = max;
                    lines += 1;
                    rest -= max;
                }
                line = rest;
            }
        }
    }
    widest = widest.max(line);
    let pad = if widest > 0.0 {
        2.0 * options.padding_x.max(0.0)
    } else {
        0.0
    };
    Size {
        w: widest + pad,
        h: (lines as f64 * LINE_HEIGHT).max(options.node_min_height),
    }
}

/// [`estimate_size`] of every node.
pub fn estimate_sizes(map: &Mindmap) -> Vec<Size> {
    map.nodes
        .iter()
        .map(|n| estimate_size(n, &map.options))
        .collect()
}

/// Characters a browser draws about twice as wide as a Latin letter.
fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1F64F | 0x1F900..=0x1F9FF | 0x20000..=0x3FFFD)
}

const NONE: usize = usize::MAX;

/// One node during the layout. In van der Ploeg's terms the tree grows
/// downwards: `breadth` is his `w` (our height), `extent` his `h` (our
/// width plus the gap to the children) and `depth` his `y` (our x).
#[derive(Clone, Copy)]
struct Cell {
    parent: usize,
    first_child: usize,
    last_child: usize,
    breadth: f64,
    extent: f64,
    depth: f64,
    prelim: f64,
    modifier: f64,
    shift: f64,
    change: f64,
    /// Threads to the next node of the left and right contours.
    thread_left: usize,
    thread_right: usize,
    /// The lowest nodes of the left and right contours, and the sums of
    /// modifiers from the subtree's root down to them.
    extreme_left: usize,
    extreme_right: usize,
    mod_sum_left: f64,
    mod_sum_right: f64,
}

/// Left siblings still visible past the current subtree's contour, with
/// the lowest point each reaches (the paper's "IYL" list, here in a Vec).
struct Lows {
    entries: Vec<(f64, usize, usize)>,
}

impl Lows {
    fn low_y(&self, at: usize) -> f64 {
        self.entries[at].0
    }
    fn index(&self, at: usize) -> usize {
        self.entries[at].1
    }
    fn next(&self, at: usize) -> usize {
        self.entries[at].2
    }

    /// Drop the siblings the new subtree hides, then put it in front.
    fn update(&mut self, min_y: f64, i: usize, mut head: usize) -> usize {
        while head != NONE && min_y >= self.low_y(head) {
            head = self.next(head);
        }
        self.entries.push((min_y, i, head));
        self.entries.len() - 1
    }
}

/// The tidy layout of a tree given in pre-order by its parents (`NONE` for
/// the root, node 0): one rect per node.
fn tidy(parents: &[usize], sizes: &[Size], spacing_h: f64, spacing_v: f64) -> Vec<Rect> {
    let n = parents.len();
    if n == 0 {
        return Vec::new();
    }
    // Children lists, flattened: children of k are kids[start[k]..start[k + 1]].
    let mut counts = vec![0usize; n + 1];
    for &p in &parents[1..] {
        counts[p] += 1;
    }
    let mut start = vec![0usize; n + 1];
    for k in 0..n {
        start[k + 1] = start[k] + counts[k];
    }
    let mut fill = start.clone();
    let mut kids = vec![0usize; n.saturating_sub(1)];
    for (k, &p) in parents.iter().enumerate().skip(1) {
        kids[fill[p]] = k;
        fill[p] += 1;
    }
    let children = |k: usize| &kids[start[k]..start[k + 1]];

    let mut t: Vec<Cell> = (0..n)
        .map(|k| Cell {
            parent: parents[k],
            first_child: children(k).first().copied().unwrap_or(NONE),
            last_child: children(k).last().copied().unwrap_or(NONE),
            breadth: sizes[k].h,
            extent: sizes[k].w + spacing_h,
            depth: 0.0,
            prelim: 0.0,
            modifier: 0.0,
            shift: 0.0,
            change: 0.0,
            thread_left: NONE,
            thread_right: NONE,
            extreme_left: k,
            extreme_right: k,
            mod_sum_left: 0.0,
            mod_sum_right: 0.0,
        })
        .collect();
    for k in 1..n {
        let p = t[k].parent;
        t[k].depth = t[p].depth + t[p].extent;
    }
    let bottom = |t: &[Cell], k: usize| t[k].depth + t[k].extent;

    // First walk: children before parents, which reverse pre-order gives.
    let mut lows = Lows {
        entries: Vec::new(),
    };
    for v in (0..n).rev() {
        let c = children(v);
        if c.is_empty() {
            continue; // A leaf's extremes are itself, as initialised.
        }
        lows.entries.clear();
        let mut head = lows.update(bottom(&t, t[c[0]].extreme_left), 0, NONE);
        for i in 1..c.len() {
            let min_y = bottom(&t, t[c[i]].extreme_right);
            separate(&mut t, c, i, &mut lows, head, spacing_v);
            head = lows.update(min_y, i, head);
        }
        // Centre the parent on the span of its children.
        let (first, last) = (c[0], c[c.len() - 1]);
        t[v].prelim = (t[first].prelim
            + t[first].modifier
            + t[last].modifier
            + t[last].prelim
            + t[last].breadth)
            / 2.0
            - t[v].breadth / 2.0;
        t[v].extreme_left = t[first].extreme_left;
        t[v].mod_sum_left = t[first].mod_sum_left;
        t[v].extreme_right = t[last].extreme_right;
        t[v].mod_sum_right = t[last].mod_sum_right;
    }

    // Second walk: parents before children, adding up modifiers.
    let mut mod_sum = vec![0.0f64; n];
    let mut across = vec![0.0f64; n];
    for v in 0..n {
        let above = if v == 0 { 0.0 } else { mod_sum[t[v].parent] };
        mod_sum[v] = above + t[v].modifier;
        across[v] = t[v].prelim + mod_sum[v];
        // Spread the extra space of moved subtrees over the siblings between.
        let (mut d, mut delta) = (0.0, 0.0);
        for &c in children(v) {
            d += t[c].shift;
            delta += d + t[c].change;
            t[c].modifier += delta;
        }
    }

    // The root's left edge at x = 0, its centre at y = 0.
    let offset = across[0] + t[0].breadth / 2.0;
    (0..n)
        .map(|k| Rect {
            x: t[k].depth,
            y: across[k] - offset,
            w: sizes[k].w,
            h: sizes[k].h,
        })
        .collect()
}

/// Move subtree `c[i]` clear of its left siblings `c[..i]`.
fn separate(
    t: &mut [Cell],
    c: &[usize],
    i: usize,
    lows: &mut Lows,
    mut head: usize,
    spacing_v: f64,
) {
    let bottom = |t: &[Cell], k: usize| t[k].depth + t[k].extent;
    // The next node down a contour: the first (last) child, or the thread.
    let next_left = |t: &[Cell], k: usize| {
        if t[k].first_child != NONE {
            t[k].first_child
        } else {
            t[k].thread_left
        }
    };
    let next_right = |t: &[Cell], k: usize| {
        if t[k].last_child != NONE {
            t[k].last_child
        } else {
            t[k].thread_right
        }
    };
    // Right contour of the left siblings, and its modifier sum.
    let mut sr = c[i - 1];
    let mut mssr = t[sr].modifier;
    // Left contour of the current subtree.
    let mut cl = c[i];
    let mut mscl = t[cl].modifier;
    let mut first = true;
    while sr != NONE && cl != NONE {
        if bottom(t, sr) > lows.low_y(head) && lows.next(head) != NONE {
            head = lows.next(head);
        }
        let gap = if t[sr].parent == t[cl].parent {
            spacing_v
        } else {
            2.0 * spacing_v
        };
        let dist = (mssr + t[sr].prelim + t[sr].breadth + gap) - (mscl + t[cl].prelim);
        // Push apart; the first (sibling roots) also pulls together, so a
        // subtree centred far down over wide children moves up to its
        // sibling (as d3-flextree does).
        if dist > 0.0 || (first && dist < 0.0) {
            mscl += dist;
            move_subtree(t, c, i, lows.index(head), dist);
        }
        first = false;
        let (sy, cy) = (bottom(t, sr), bottom(t, cl));
        if sy <= cy {
            sr = next_right(t, sr);
            if sr != NONE {
                mssr += t[sr].modifier;
            }
        }
        if sy >= cy {
            cl = next_left(t, cl);
            if cl != NONE {
                mscl += t[cl].modifier;
            }
        }
    }
    if sr == NONE && cl != NONE {
        // The current subtree reaches deeper: thread the left siblings'
        // lowest left node to it.
        let li = t[c[0]].extreme_left;
        t[li].thread_left = cl;
        let diff = (mscl - t[cl].modifier) - t[c[0]].mod_sum_left;
        t[li].modifier += diff;
        t[li].prelim -= diff;
        t[c[0]].extreme_left = t[c[i]].extreme_left;
        t[c[0]].mod_sum_left = t[c[i]].mod_sum_left;
    } else if sr != NONE && cl == NONE {
        // The left siblings reach deeper: thread the current subtree's
        // lowest right node to them.
        let ri = t[c[i]].extreme_right;
        t[ri].thread_right = sr;
        let diff = (mssr - t[sr].modifier) - t[c[i]].mod_sum_right;
        t[ri].modifier += diff;
        t[ri].prelim -= diff;
        t[c[i]].extreme_right = t[c[i - 1]].extreme_right;
        t[c[i]].mod_sum_right = t[c[i - 1]].mod_sum_right;
    }
}

fn move_subtree(t: &mut [Cell], c: &[usize], i: usize, si: usize, dist: f64) {
    let v = c[i];
    t[v].modifier += dist;
    t[v].mod_sum_left += dist;
    t[v].mod_sum_right += dist;
    if si + 1 != i {
        let nr = (i - si) as f64;
        t[c[si + 1]].shift += dist / nr;
        t[v].shift -= dist / nr;
        t[v].change -= dist - dist / nr;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Inline;
    use crate::map::NodeKind;
    use proptest::prelude::*;

    /// A map of the tree whose node `k > 0` has parent `parents[k - 1] < k`,
    /// rearranged in pre-order.
    fn tree(parents: &[usize]) -> Mindmap {
        let n = parents.len() + 1;
        let mut kids = vec![Vec::new(); n];
        for (k, &p) in parents.iter().enumerate() {
            kids[p].push(k + 1);
        }
        let mut nodes: Vec<Node> = Vec::with_capacity(n);
        let mut stack: Vec<(usize, Option<usize>, u32)> = vec![(0, None, 1)];
        while let Some((k, parent, depth)) = stack.pop() {
            let index = nodes.len();
            if let Some(p) = parent {
                nodes[p].children.push(index);
            }
            nodes.push(Node {
                index,
                parent,
                children: Vec::new(),
                depth,
                line: 1,
                kind: NodeKind::Title,
                label: vec![Inline::Text(format!("n{k}"))],
                folded: false,
                color: String::new(),
            });
            for &c in kids[k].iter().rev() {
                stack.push((c, Some(index), depth + 1));
            }
        }
        Mindmap {
            title: None,
            options: Options::default(),
            nodes,
            warnings: Vec::new(),
        }
    }

    const EPS: f64 = 1e-6;

    /// Every promise of the layout, checked the slow way.
    fn check(map: &Mindmap, sizes: &[Size], expanded: &[bool]) -> Result<(), String> {
        let laid = layout(map, sizes, expanded);
        let shown = map.visible(expanded);
        let (sh, sv) = (map.options.spacing_horizontal, map.options.spacing_vertical);
        let rect = |i: usize| laid.boxes[i].ok_or(format!("node {i} is shown but has no box"));
        for (i, &is_shown) in shown.iter().enumerate() {
            if is_shown != laid.boxes[i].is_some() {
                return Err(format!(
                    "node {i}: shown {} but box {:?}",
                    shown[i], laid.boxes[i]
                ));
            }
        }
        let root = rect(0)?;
        if root.x != 0.0 || root.center_y().abs() > EPS {
            return Err(format!("root at {root:?}"));
        }
        for i in (0..map.len()).filter(|&i| shown[i]) {
            let r = rect(i)?;
            if (r.w, r.h) != (sizes[i].w, sizes[i].h) {
                return Err(format!("node {i} resized: {r:?}"));
            }
            let kids: Vec<usize> = map.nodes[i]
                .children
                .iter()
                .copied()
                .filter(|&c| shown[c])
                .collect();
            if kids.is_empty() {
                continue;
            }
            for &c in &kids {
                let rc = rect(c)?;
                if (rc.x - (r.right() + sh)).abs() > EPS {
                    return Err(format!(
                        "child {c} of {i} at x {} not {}",
                        rc.x,
                        r.right() + sh
                    ));
                }
            }
            for pair in kids.windows(2) {
                let (a, b) = (rect(pair[0])?, rect(pair[1])?);
                if a.bottom() + sv > b.y + EPS {
                    return Err(format!(
                        "siblings {} and {} out of order or too close",
                        pair[0], pair[1]
                    ));
                }
            }
            let span = (rect(kids[0])?.y + rect(kids[kids.len() - 1])?.bottom()) / 2.0;
            if (r.center_y() - span).abs() > EPS * (1.0 + span.abs()) {
                return Err(format!("parent {i} centred at {} not {span}", r.center_y()));
            }
        }
        let shown_boxes: Vec<(usize, Rect)> = (0..map.len())
            .filter_map(|i| laid.boxes[i].map(|r| (i, r)))
            .collect();
        for (k, (i, a)) in shown_boxes.iter().enumerate() {
            for (j, b) in &shown_boxes[k + 1..] {
                let shrunk = Rect {
                    x: a.x + EPS,
                    y: a.y + EPS,
                    w: (a.w - 2.0 * EPS).max(0.0),
                    h: (a.h - 2.0 * EPS).max(0.0),
                };
                if shrunk.overlaps(b) {
                    return Err(format!("nodes {i} {a:?} and {j} {b:?} overlap"));
                }
            }
            if !(laid.bounds.x <= a.x + EPS
                && a.right() <= laid.bounds.right() + EPS
                && laid.bounds.y <= a.y + EPS
                && a.bottom() <= laid.bounds.bottom() + EPS)
            {
                return Err(format!("node {i} outside the bounds"));
            }
        }
        Ok(())
    }

    #[test]
    fn a_single_node() {
        let map = tree(&[]);
        let laid = layout(&map, &[Size { w: 30.0, h: 20.0 }], &[]);
        assert_eq!(
            laid.boxes,
            [Some(Rect {
                x: 0.0,
                y: -10.0,
                w: 30.0,
                h: 20.0
            })]
        );
        assert_eq!(
            laid.bounds,
            Rect {
                x: 0.0,
                y: -10.0,
                w: 30.0,
                h: 20.0
            }
        );
    }

    #[test]
    fn two_children_are_centred_and_spaced() {
        let map = tree(&[0, 0]);
        let s = Size { w: 10.0, h: 20.0 };
        let laid = layout(&map, &[s, s, s], &[]);
        let b: Vec<Rect> = laid.boxes.iter().map(|b| b.unwrap()).collect();
        assert_eq!(
            b[1],
            Rect {
                x: 90.0,
                y: -22.5,
                w: 10.0,
                h: 20.0
            }
        );
        assert_eq!(
            b[2],
            Rect {
                x: 90.0,
                y: 2.5,
                w: 10.0,
                h: 20.0
            }
        );
    }

    #[test]
    fn cousins_get_twice_the_gap() {
        // root -> a -> a1 ; root -> b -> b1
        let map = tree(&[0, 1, 0, 3]);
        let s = Size { w: 10.0, h: 20.0 };
        let laid = layout(&map, &[s; 5], &[]);
        let (a1, b1) = (laid.boxes[2].unwrap(), laid.boxes[4].unwrap());
        assert!((b1.y - a1.bottom() - 10.0).abs() < EPS, "{a1:?} {b1:?}");
        check(&map, &[s; 5], &[]).unwrap();
    }

    #[test]
    fn a_wide_parent_pushes_its_sibling_down_only_where_it_must() {
        // a is wide with many children; b, its sibling, is narrow.
        let map = tree(&[0, 1, 1, 1, 1, 0]);
        let mut sizes = vec![Size { w: 10.0, h: 20.0 }; 7];
        sizes[1].w = 300.0;
        check(&map, &sizes, &[]).unwrap();
    }

    #[test]
    fn folded_nodes_hide_their_descendants() {
        let map = tree(&[0, 1, 2, 0]);
        let sizes = [Size { w: 10.0, h: 10.0 }; 5];
        let laid = layout(&map, &sizes, &[true, false, true, true, true]);
        let shown: Vec<bool> = laid.boxes.iter().map(Option::is_some).collect();
        assert_eq!(shown, [true, true, false, false, true]);
        check(&map, &sizes, &[true, false]).unwrap();
    }

    #[test]
    fn bad_sizes_count_as_zero() {
        let map = tree(&[0, 0]);
        let sizes = [
            Size {
                w: f64::NAN,
                h: -1.0,
            },
            Size {
                w: f64::INFINITY,
                h: 5.0,
            },
        ];
        let laid = layout(&map, &sizes, &[]);
        assert_eq!(laid.boxes[0].unwrap().w, 0.0);
        assert_eq!(laid.boxes[2].unwrap().h, 0.0);
        assert!(
            laid.boxes
                .iter()
                .flatten()
                .all(|r| r.x.is_finite() && r.y.is_finite())
        );
    }

    #[test]
    fn a_deep_chain_does_not_recurse() {
        let parents: Vec<usize> = (0..100_000).collect();
        let map = tree(&parents);
        let laid = layout(&map, &estimate_sizes(&map), &[]);
        assert_eq!(laid.boxes.iter().flatten().count(), 100_001);
    }

    #[test]
    fn estimates() {
        let map = crate::parse("# abc def ghi").unwrap();
        let mut options = Options::default();
        let one = estimate_size(map.root(), &options);
        assert_eq!(
            one,
            Size {
                w: 11.0 * GLYPH_WIDTH + 16.0,
                h: LINE_HEIGHT
            }
        );
        options.max_width = 7.0 * GLYPH_WIDTH;
        let wrapped = estimate_size(map.root(), &options);
        assert_eq!(
            wrapped,
            Size {
                w: 7.0 * GLYPH_WIDTH + 16.0,
                h: 2.0 * LINE_HEIGHT
            }
        );
        options.max_width = 2.0 * GLYPH_WIDTH;
        let broken = estimate_size(map.root(), &options);
        assert_eq!(broken.w, 2.0 * GLYPH_WIDTH + 16.0);
        assert_eq!(broken.h, 6.0 * LINE_HEIGHT);
        let wide = crate::parse("# 漢字").unwrap();
        assert_eq!(
            estimate_size(wide.root(), &Options::default()).w,
            4.0 * GLYPH_WIDTH + 16.0
        );
        // A code block's lines and a table's rows are lines of their own.
        let code = crate::parse("- run:\n  ```\n  make\n  make test\n  ```\n").unwrap();
        assert_eq!(
            estimate_size(code.root(), &Options::default()),
            Size {
                w: 9.0 * GLYPH_WIDTH + 16.0,
                h: 3.0 * LINE_HEIGHT
            }
        );
        let table = crate::parse("| a | b |\n|---|---|\n| 1 | 2 |\n").unwrap();
        assert_eq!(
            estimate_size(table.root(), &Options::default()).h,
            2.0 * LINE_HEIGHT
        );
    }

    /// Random trees: parents drawn among the nodes before, often the last
    /// few so that some trees are deep.
    fn trees(max: usize) -> impl Strategy<Value = Vec<usize>> {
        prop::collection::vec((any::<u32>(), any::<bool>()), 0..max).prop_map(|picks| {
            picks
                .iter()
                .enumerate()
                .map(|(k, &(r, recent))| {
                    let n = k as u32 + 1;
                    if recent {
                        (n - 1 - r % n.min(3)) as usize
                    } else {
                        (r % n) as usize
                    }
                })
                .collect()
        })
    }

    fn size() -> impl Strategy<Value = Size> {
        (0.0f64..300.0, 0.0f64..80.0).prop_map(|(w, h)| Size { w, h })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn layouts_keep_their_promises(
            parents in trees(120),
            sizes in prop::collection::vec(size(), 121),
            folds in prop::collection::vec(prop::bool::weighted(0.15), 121),
            spacing in (0.0f64..100.0, 0.0f64..20.0),
        ) {
            let mut map = tree(&parents);
            map.options.spacing_horizontal = spacing.0;
            map.options.spacing_vertical = spacing.1;
            let expanded: Vec<bool> = folds.iter().map(|f| !f).collect();
            prop_assert_eq!(check(&map, &sizes, &expanded), Ok(()));
        }

        #[test]
        fn equal_sizes_and_zero_sizes(parents in trees(80), zero in any::<bool>()) {
            let map = tree(&parents);
            let s = if zero { Size::default() } else { Size { w: 40.0, h: 20.0 } };
            prop_assert_eq!(check(&map, &vec![s; map.len()], &[]), Ok(()));
        }
    }
}
