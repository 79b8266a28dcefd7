//! Where everything of the map is drawn: node boxes and the links between.
//!
//! Two steps with different lifetimes. [`Shape::measure_all`] runs once per
//! map: each label wrapped and measured, badges counted, giving the size
//! the layout needs. [`Scene::place`] runs on every fold and unfold: the
//! tidy-tree layout of `archsim-mindmap` over those sizes, then each link
//! as a curve from its parent's fold circle to the start of its child's
//! underline, as markmap draws them.
//!
//! Hidden nodes are placed too: collapsed onto the fold circle of their
//! nearest shown ancestor, with a link of no length. Then a fold or an
//! unfold is only a change of positions, and the browser animates it with
//! a CSS transition: children grow out of the circle they fold into.

use super::doors::Door;
use super::label::{self, Font, Label, Measure};
use super::viewport::{Point, Rect};
use archsim_mindmap::{Mindmap, Options, Size, layout_spaced};

/// Gap between a label's last line and its underline.
pub(crate) const UNDERLINE_GAP: f64 = 5.0;
/// Diameter of a door's badge.
pub(crate) const BADGE: f64 = 18.0;
/// Space between the label and the first badge, and between badges.
pub(crate) const BADGE_GAP: f64 = 5.0;
/// Radius of the fold circle at the end of a parent's underline.
pub(crate) const CIRCLE_RADIUS: f64 = 5.0;

/// How loosely a map is drawn: as its options say, or spaced out for a
/// phone.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Density {
    /// Widest a label may be before it wraps (0: never wraps).
    pub(crate) max_width: f64,
    /// Gaps between a node and its children, and between siblings.
    pub(crate) spacing: (f64, f64),
}

impl Density {
    /// As the map's `options` say.
    pub(crate) fn of(options: &Options) -> Density {
        Density {
            max_width: options.max_width,
            spacing: (options.spacing_horizontal, options.spacing_vertical),
        }
    }

    /// For a phone: labels wrap at 150 px, children sit 40 px from their
    /// parent, and rows are 34 px apart, so that with each node's 14 px of
    /// reach beyond its box (the stylesheet's `.phone .hit`) a finger's
    /// 44 px target never overlaps the next.
    pub(crate) fn for_phone(options: &Options) -> Density {
        let Density {
            max_width,
            spacing: (horizontal, vertical),
        } = Density::of(options);
        Density {
            max_width: if max_width > 0.0 {
                max_width.min(170.0)
            } else {
                170.0
            },
            spacing: (horizontal.min(40.0), vertical.max(34.0)),
        }
    }
}

/// What a node shows before it is placed: its label and its badges.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Shape {
    /// The wrapped, measured label.
    pub(crate) label: Label,
    /// Badges after the label: one for an experiment, one for the book.
    pub(crate) badges: usize,
    /// Padding on each side of the label, from the map's options.
    pub(crate) padding: f64,
}

impl Shape {
    /// The label and badges of every node of `map`, wrapped to its
    /// `maxWidth` and measured by `measure`.
    pub(crate) fn measure_all(
        map: &Mindmap,
        doors: &[Option<Door>],
        measure: &dyn Measure,
        density: Density,
    ) -> Vec<Shape> {
        let padding = map.options.padding_x.max(0.0);
        map.nodes
            .iter()
            .map(|node| Shape {
                label: label::wrap(
                    &node.label,
                    Font::at_depth(node.depth),
                    density.max_width,
                    measure,
                ),
                badges: doors
                    .get(node.index)
                    .and_then(Option::as_ref)
                    .map_or(0, |d| if d.runs() { 2 } else { 1 }),
                padding,
            })
            .collect()
    }

    /// Where the first badge starts, from the node's left edge.
    pub(crate) fn badges_x(&self) -> f64 {
        self.padding + self.label.width + BADGE_GAP
    }

    /// Width and height, padding, badges and underline included.
    pub(crate) fn size(&self, min_height: f64) -> Size {
        let badges = self.badges as f64 * (BADGE + BADGE_GAP);
        let label = if self.label.width > 0.0 || self.badges > 0 {
            self.label.width + 2.0 * self.padding
        } else {
            0.0
        };
        Size {
            w: label + badges,
            h: (self.label.height() + UNDERLINE_GAP).max(min_height),
        }
    }
}

/// One node, placed.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Placed {
    /// Whether it is shown (all its ancestors unfolded).
    pub(crate) shown: bool,
    /// Its box; a hidden node's is at its shown ancestor's fold circle.
    pub(crate) rect: Rect,
    /// The link from its parent (none for the root): an SVG path.
    pub(crate) link: Option<String>,
}

impl Placed {
    /// The end of its underline, where its fold circle and its children's
    /// links are.
    pub(crate) fn anchor(&self) -> Point {
        Point {
            x: self.rect.x + self.rect.width,
            y: self.rect.y + self.rect.height,
        }
    }
}

/// The whole map, placed for one set of folds.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Scene {
    /// Every node, by index.
    pub(crate) nodes: Vec<Placed>,
    /// The smallest box around every shown node and its fold circle.
    pub(crate) bounds: Rect,
}

impl Scene {
    /// Lay out `map` with `shapes` (from [`Shape::measure_all`]) and each
    /// node expanded as `expanded` says.
    pub(crate) fn place(
        map: &Mindmap,
        shapes: &[Shape],
        expanded: &[bool],
        density: Density,
    ) -> Scene {
        let sizes: Vec<Size> = shapes
            .iter()
            .map(|s| s.size(map.options.node_min_height))
            .collect();
        let laid = layout_spaced(map, &sizes, expanded, density.spacing);
        let mut nodes: Vec<Placed> = Vec::with_capacity(map.nodes.len());
        for node in &map.nodes {
            let size = sizes.get(node.index).copied().unwrap_or_default();
            let placed = match laid.boxes.get(node.index).copied().flatten() {
                Some(b) => {
                    let rect = Rect {
                        x: b.x,
                        y: b.y,
                        width: b.w,
                        height: b.h,
                    };
                    let link = node.parent.map(|p| {
                        let from = nodes[p].anchor();
                        curve(
                            from,
                            Point {
                                x: rect.x,
                                y: rect.y + rect.height,
                            },
                        )
                    });
                    Placed {
                        shown: true,
                        rect,
                        link,
                    }
                }
                None => {
                    // Pre-order: the parent is placed already, and a hidden
                    // parent sits at the shown ancestor's circle too.
                    let at = node.parent.map_or(Point { x: 0.0, y: 0.0 }, |p| {
                        let parent = &nodes[p];
                        if parent.shown {
                            parent.anchor()
                        } else {
                            Point {
                                x: parent.rect.x,
                                y: parent.rect.y,
                            }
                        }
                    });
                    Placed {
                        shown: false,
                        rect: Rect {
                            x: at.x,
                            y: at.y,
                            width: size.w,
                            height: size.h,
                        },
                        link: node.parent.map(|_| curve(at, at)),
                    }
                }
            };
            nodes.push(placed);
        }
        let bounds = Rect::union(nodes.iter().filter(|n| n.shown).map(|n| Rect {
            width: n.rect.width + CIRCLE_RADIUS,
            height: n.rect.height + CIRCLE_RADIUS,
            ..n.rect
        }))
        .unwrap_or(Rect {
            x: 0.0,
            y: 0.0,
            width: 0.0,
            height: 0.0,
        });
        Scene { nodes, bounds }
    }
}

/// A horizontal S-curve from `a` to `b` (d3's `linkHorizontal`), always
/// the same commands so that the browser can animate one into another.
fn curve(a: Point, b: Point) -> String {
    let mid = (a.x + b.x) / 2.0;
    format!(
        "M{:.1},{:.1}C{mid:.1},{:.1} {mid:.1},{:.1} {:.1},{:.1}",
        a.x, a.y, a.y, b.y, b.x, b.y
    )
}

/// The stroke width of the link into (and underline of) a node at `depth`:
/// thick near the root, thin at the leaves.
pub(crate) fn line_width(depth: u32) -> f64 {
    match depth {
        0..=2 => 3.0,
        3 => 2.0,
        _ => 1.5,
    }
}

#[cfg(test)]
mod tests {
    use super::super::doors;
    use super::super::label::tests::HalfEm;
    use super::*;

    const MAP: &str = "# Root\n## A\n- a1\n- a2\n  - a21\n## B\n";

    fn scene(expanded: &[bool]) -> (Mindmap, Scene) {
        let map = archsim_mindmap::parse(MAP).expect("a map");
        let shapes =
            Shape::measure_all(&map, &doors::find(&map), &HalfEm, Density::of(&map.options));
        let scene = Scene::place(&map, &shapes, expanded, Density::of(&map.options));
        (map, scene)
    }

    #[test]
    fn shown_nodes_do_not_overlap_and_links_join_parent_to_child() {
        let (map, scene) = scene(&[true; 6]);
        let shown: Vec<&Placed> = scene.nodes.iter().filter(|n| n.shown).collect();
        assert_eq!(shown.len(), 6);
        for (i, a) in shown.iter().enumerate() {
            for b in &shown[i + 1..] {
                let overlap = a.rect.x < b.rect.x + b.rect.width
                    && b.rect.x < a.rect.x + a.rect.width
                    && a.rect.y < b.rect.y + b.rect.height
                    && b.rect.y < a.rect.y + a.rect.height;
                assert!(!overlap, "{a:?} overlaps {b:?}");
            }
        }
        let a2 = &scene.nodes[4];
        let from = scene.nodes[3].anchor();
        assert_eq!(
            a2.link.as_deref().expect("a link"),
            curve(
                from,
                Point {
                    x: a2.rect.x,
                    y: a2.rect.y + a2.rect.height
                }
            )
        );
        assert!(scene.nodes[0].link.is_none());
        assert_eq!(map.nodes[4].parent, Some(3));
    }

    #[test]
    fn folded_nodes_collapse_onto_the_circle_they_fold_into() {
        // Fold A (node 1): a1, a2 and a21 hide in A's circle.
        let (_, scene) = scene(&[true, false, true, true, true, true]);
        let a = scene.nodes[1].anchor();
        for hidden in &scene.nodes[2..5] {
            assert!(!hidden.shown);
            assert_eq!(
                Point {
                    x: hidden.rect.x,
                    y: hidden.rect.y
                },
                a
            );
            assert_eq!(hidden.link.as_deref(), Some(curve(a, a).as_str()));
        }
        assert!(scene.nodes[5].shown);
        // The bounds hold the shown nodes only.
        let (_, open) = scene_all();
        assert!(scene.bounds.height < open.bounds.height);
    }

    fn scene_all() -> (Mindmap, Scene) {
        scene(&[true; 6])
    }

    #[test]
    fn sizes_hold_the_label_the_badges_and_the_underline() {
        let map = archsim_mindmap::parse(
            "# Map\n## Load Balancing\n- Prevents any single server from being overwhelmed.\n",
        )
        .expect("a map");
        let shapes =
            Shape::measure_all(&map, &doors::find(&map), &HalfEm, Density::of(&map.options));
        let leaf = &shapes[2];
        assert_eq!(leaf.badges, 2, "an experiment and a book section");
        let size = leaf.size(16.0);
        assert_eq!(size.w, leaf.label.width + 16.0 + 2.0 * (BADGE + BADGE_GAP));
        assert_eq!(size.h, leaf.label.height() + UNDERLINE_GAP);
        assert_eq!(shapes[1].badges, 0);
        assert_eq!(leaf.badges_x(), 8.0 + leaf.label.width + BADGE_GAP);
    }

    #[test]
    fn curves_keep_their_commands() {
        assert_eq!(
            curve(Point { x: 0.0, y: 0.0 }, Point { x: 10.0, y: 20.0 }),
            "M0.0,0.0C5.0,0.0 5.0,20.0 10.0,20.0"
        );
    }
}
