//! Zoom and pan as plain arithmetic: which part of the map the screen shows.
//!
//! A [`Viewport`] maps map coordinates to screen coordinates (pixels of the
//! map's stage): `screen = map × scale + offset`. Every gesture — wheel,
//! drag, pinch, double-click, the toolbar, the keyboard — becomes one of the
//! pure functions here, so the maths is tested natively and the component
//! only turns the result into the CSS `transform` of the one element that
//! holds the map's `<svg>`. Nothing else is re-rendered on pan or zoom,
//! which is what keeps a 1,000-node map smooth. (The transform is not on an
//! SVG group: Chromium lays out every SVG text again when a group's scale
//! changes — 60 ms for a thousand labels — but not when an HTML ancestor's
//! does.)

/// A point, in screen or map coordinates.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Point {
    /// Rightwards.
    pub(crate) x: f64,
    /// Downwards.
    pub(crate) y: f64,
}

/// An axis-aligned rectangle.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Rect {
    /// Left edge.
    pub(crate) x: f64,
    /// Top edge.
    pub(crate) y: f64,
    /// Width, at least 0.
    pub(crate) width: f64,
    /// Height, at least 0.
    pub(crate) height: f64,
}

impl Rect {
    /// The smallest rectangle holding all of `rects`; `None` if there are none.
    pub(crate) fn union(rects: impl IntoIterator<Item = Rect>) -> Option<Rect> {
        rects.into_iter().reduce(|a, b| {
            let x = a.x.min(b.x);
            let y = a.y.min(b.y);
            Rect {
                x,
                y,
                width: (a.x + a.width).max(b.x + b.width) - x,
                height: (a.y + a.height).max(b.y + b.height) - y,
            }
        })
    }

    fn centre(&self) -> Point {
        Point {
            x: self.x + self.width / 2.0,
            y: self.y + self.height / 2.0,
        }
    }
}

/// The screen's size, in pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Size {
    /// Pixels across.
    pub(crate) width: f64,
    /// Pixels down.
    pub(crate) height: f64,
}

/// Which part of the map the screen shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Viewport {
    /// Screen position of the map's origin.
    pub(crate) offset: Point,
    /// Screen pixels per map unit.
    pub(crate) scale: f64,
}

/// What the toolbar's and the keyboard's zoom in and out multiply by
/// (markmap's step).
pub(crate) const ZOOM_STEP: f64 = 1.25;
/// What a double-click multiplies by (d3-zoom's step).
pub(crate) const DOUBLE_CLICK_STEP: f64 = 2.0;
/// Below this zoom, labels (14 px at scale 1) are too small to read.
pub(crate) const READABLE_SCALE: f64 = 0.5;
/// Room kept between what is brought into view and the screen's edge.
const MARGIN: f64 = 24.0;

impl Default for Viewport {
    fn default() -> Self {
        Viewport {
            offset: Point { x: 0.0, y: 0.0 },
            scale: 1.0,
        }
    }
}

impl Viewport {
    /// The least zoom: a 1,000-node map still fits a phone.
    pub(crate) const MIN_SCALE: f64 = 0.02;
    /// The most zoom: a label's letters fill the screen.
    pub(crate) const MAX_SCALE: f64 = 8.0;

    /// The CSS `transform` (with `transform-origin: 0 0`) that draws map
    /// coordinates at their screen place.
    pub(crate) fn transform(self) -> String {
        format!(
            "translate({:.2}px, {:.2}px) scale({:.4})",
            self.offset.x, self.offset.y, self.scale
        )
    }

    /// Where map point `p` is on the screen.
    pub(crate) fn to_screen(self, p: Point) -> Point {
        Point {
            x: p.x * self.scale + self.offset.x,
            y: p.y * self.scale + self.offset.y,
        }
    }

    /// Which map point is at screen point `p`.
    pub(crate) fn to_map(self, p: Point) -> Point {
        Point {
            x: (p.x - self.offset.x) / self.scale,
            y: (p.y - self.offset.y) / self.scale,
        }
    }

    /// Zoom by `factor`, keeping the map point under screen point `anchor`
    /// where it is; the scale stays within its limits.
    pub(crate) fn zoom_at(self, factor: f64, anchor: Point) -> Viewport {
        let scale = clamp_scale(self.scale * factor);
        let fixed = self.to_map(anchor);
        Viewport {
            offset: Point {
                x: anchor.x - fixed.x * scale,
                y: anchor.y - fixed.y * scale,
            },
            scale,
        }
    }

    /// Move the map by `dx`, `dy` screen pixels.
    pub(crate) fn pan_by(self, dx: f64, dy: f64) -> Viewport {
        Viewport {
            offset: Point {
                x: self.offset.x + dx,
                y: self.offset.y + dy,
            },
            ..self
        }
    }

    /// Two fingers moved from `before` to `after`: the map follows them,
    /// scaled by how much further apart they are, about their midpoint.
    pub(crate) fn pinch(self, before: (Point, Point), after: (Point, Point)) -> Viewport {
        let spread = |(a, b): (Point, Point)| (a.x - b.x).hypot(a.y - b.y);
        let mid = |(a, b): (Point, Point)| Point {
            x: (a.x + b.x) / 2.0,
            y: (a.y + b.y) / 2.0,
        };
        let (from, to) = (mid(before), mid(after));
        // Fingers that touch give no ratio: keep the scale, still pan.
        let factor = if spread(before) > 1.0 {
            spread(after) / spread(before)
        } else {
            1.0
        };
        self.zoom_at(factor, from)
            .pan_by(to.x - from.x, to.y - from.y)
    }

    /// The view that shows all of `content`, centred, filling `fit_ratio`
    /// of the screen at most and never zoomed past `max_scale` (markmap's
    /// `fitRatio` and `maxInitialScale`).
    pub(crate) fn fit(content: Rect, view: Size, fit_ratio: f64, max_scale: f64) -> Viewport {
        let ratio = fit_ratio.clamp(0.1, 1.0);
        let across = view.width * ratio / content.width.max(1.0);
        let down = view.height * ratio / content.height.max(1.0);
        let scale = clamp_scale(across.min(down).min(max_scale));
        let centre = content.centre();
        Viewport {
            offset: Point {
                x: view.width / 2.0 - centre.x * scale,
                y: view.height / 2.0 - centre.y * scale,
            },
            scale,
        }
    }

    /// `content` at `scale`, its left edge a margin from the screen's and
    /// its middle at the screen's: where a map too wide to fit at a
    /// readable size starts, at its root.
    pub(crate) fn from_left(content: Rect, view: Size, scale: f64) -> Viewport {
        let scale = clamp_scale(scale);
        Viewport {
            offset: Point {
                x: MARGIN - content.x * scale,
                y: view.height / 2.0 - content.centre().y * scale,
            },
            scale,
        }
    }

    /// The least pan that brings map rectangle `target` on screen with
    /// `margin` pixels to spare (or, if it is too big, its top-left
    /// corner): the view follows the keyboard focus without jumping.
    pub(crate) fn reveal(self, target: Rect, view: Size, margin: f64) -> Viewport {
        let top_left = self.to_screen(Point {
            x: target.x,
            y: target.y,
        });
        let (width, height) = (target.width * self.scale, target.height * self.scale);
        let shift = |start: f64, length: f64, room: f64| {
            if start < margin || length + 2.0 * margin > room {
                margin - start
            } else if start + length > room - margin {
                room - margin - (start + length)
            } else {
                0.0
            }
        };
        self.pan_by(
            shift(top_left.x, width, view.width),
            shift(top_left.y, height, view.height),
        )
    }
}

impl Viewport {
    /// Bring map rectangle `target` on screen, as [`Viewport::reveal`] does,
    /// zooming out first if it is too big to fit, though not below
    /// `min_scale` (nor above the current scale): an unfolded branch comes
    /// into view, still readable.
    pub(crate) fn show(self, target: Rect, view: Size, margin: f64, min_scale: f64) -> Viewport {
        let room = |length: f64, target: f64| (length - 2.0 * margin).max(1.0) / target.max(1.0);
        let fits = room(view.width, target.width).min(room(view.height, target.height));
        let scale = self.scale.min(fits.max(min_scale));
        let corner = self.to_screen(Point {
            x: target.x,
            y: target.y,
        });
        self.zoom_at(scale / self.scale, corner)
            .reveal(target, view, margin)
    }
}

/// The zoom factor of one wheel event, as d3-zoom (and so markmap)
/// computes it: `deltaY` in pixels, lines (`delta_mode` 1) or pages (2);
/// a pinch on a trackpad arrives with Ctrl held and small deltas, so it
/// counts ten times as much.
pub(crate) fn wheel_factor(delta_y: f64, delta_mode: u32, ctrl: bool) -> f64 {
    let per_unit = match delta_mode {
        0 => 0.002,
        1 => 0.05,
        _ => 1.0,
    };
    let boost = if ctrl { 10.0 } else { 1.0 };
    2f64.powf(-delta_y * per_unit * boost)
}

/// A change of view, relative to the view when it is applied: events that
/// arrive between two renders each build on the one before.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum ViewAction {
    /// [`Viewport::zoom_at`].
    Zoom {
        /// Multiply the scale by this.
        factor: f64,
        /// The screen point that stays put.
        at: Point,
    },
    /// [`Viewport::zoom_at`] where map point `point` is now: it stays put.
    ZoomAround {
        /// Multiply the scale by this.
        factor: f64,
        /// The map point that stays put.
        point: Point,
    },
    /// [`Viewport::pan_by`].
    Pan {
        /// Screen pixels rightwards.
        dx: f64,
        /// Screen pixels downwards.
        dy: f64,
    },
    /// [`Viewport::pinch`].
    Pinch {
        /// The two fingers before.
        before: (Point, Point),
        /// And after.
        after: (Point, Point),
    },
    /// [`Viewport::reveal`] with a [`MARGIN`]: the focus moved.
    Reveal {
        /// The map rectangle to show.
        target: Rect,
        /// The screen's size.
        view: Size,
    },
    /// [`Viewport::show`] with a [`MARGIN`], never below scale `readable`
    /// ([`READABLE_SCALE`], or more on a phone): a branch unfolded.
    Show {
        /// The map rectangle to show.
        target: Rect,
        /// The screen's size.
        view: Size,
        /// The smallest scale to show it at.
        readable: f64,
    },
    /// Replace the view (a fit).
    Set(Viewport),
}

impl yew::Reducible for Viewport {
    type Action = ViewAction;

    fn reduce(self: std::rc::Rc<Self>, action: ViewAction) -> std::rc::Rc<Self> {
        let v = *self;
        std::rc::Rc::new(match action {
            ViewAction::Zoom { factor, at } => v.zoom_at(factor, at),
            ViewAction::ZoomAround { factor, point } => v.zoom_at(factor, v.to_screen(point)),
            ViewAction::Pan { dx, dy } => v.pan_by(dx, dy),
            ViewAction::Pinch { before, after } => v.pinch(before, after),
            ViewAction::Reveal { target, view } => v.reveal(target, view, MARGIN),
            ViewAction::Show {
                target,
                view,
                readable,
            } => v.show(target, view, MARGIN, readable),
            ViewAction::Set(new) => new,
        })
    }
}

fn clamp_scale(scale: f64) -> f64 {
    if scale.is_finite() {
        scale.clamp(Viewport::MIN_SCALE, Viewport::MAX_SCALE)
    } else {
        1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VIEW: Size = Size {
        width: 800.0,
        height: 600.0,
    };

    fn p(x: f64, y: f64) -> Point {
        Point { x, y }
    }

    fn close(a: Point, b: Point) -> bool {
        (a.x - b.x).abs() < 1e-9 && (a.y - b.y).abs() < 1e-9
    }

    #[test]
    fn screen_and_map_coordinates_are_inverse() {
        let v = Viewport {
            offset: p(30.0, -12.0),
            scale: 2.5,
        };
        let m = p(7.0, 11.0);
        assert_eq!(v.to_screen(m), p(47.5, 15.5));
        assert!(close(v.to_map(v.to_screen(m)), m));
        assert_eq!(v.transform(), "translate(30.00px, -12.00px) scale(2.5000)");
    }

    #[test]
    fn zooming_keeps_the_point_under_the_cursor() {
        let v = Viewport {
            offset: p(10.0, 20.0),
            scale: 1.0,
        };
        let cursor = p(300.0, 200.0);
        let under = v.to_map(cursor);
        let zoomed = v.zoom_at(2.0, cursor);
        assert_eq!(zoomed.scale, 2.0);
        assert!(close(zoomed.to_screen(under), cursor));
        // Zooming back out restores the view.
        let back = zoomed.zoom_at(0.5, cursor);
        assert!(close(back.offset, v.offset) && (back.scale - 1.0).abs() < 1e-12);
    }

    #[test]
    fn zoom_stays_within_its_limits() {
        let v = Viewport::default();
        assert_eq!(v.zoom_at(1e6, p(0.0, 0.0)).scale, Viewport::MAX_SCALE);
        assert_eq!(v.zoom_at(1e-6, p(0.0, 0.0)).scale, Viewport::MIN_SCALE);
        assert_eq!(v.zoom_at(f64::NAN, p(0.0, 0.0)).scale, 1.0);
        // At the limit, the anchor still stays put.
        let at_max = Viewport {
            scale: Viewport::MAX_SCALE,
            ..v
        };
        let still = at_max.zoom_at(2.0, p(50.0, 50.0));
        assert_eq!(still, at_max);
    }

    #[test]
    fn fit_centres_the_content_and_honours_the_ratio_and_the_cap() {
        let content = Rect {
            x: 100.0,
            y: -50.0,
            width: 1600.0,
            height: 300.0,
        };
        let v = Viewport::fit(content, VIEW, 0.95, 2.0);
        // Width binds: 800 × 0.95 / 1600.
        assert!((v.scale - 0.475).abs() < 1e-12);
        assert!(close(v.to_screen(p(900.0, 100.0)), p(400.0, 300.0)));
        let left = v.to_screen(p(100.0, -50.0));
        assert!((left.x - 20.0).abs() < 1e-9, "{left:?}");
        // A small map is not blown up past the cap.
        let tiny = Rect {
            x: 0.0,
            y: 0.0,
            width: 10.0,
            height: 10.0,
        };
        assert_eq!(Viewport::fit(tiny, VIEW, 0.95, 2.0).scale, 2.0);
        // A huge one is not shrunk to nothing.
        let huge = Rect { width: 1e9, ..tiny };
        assert_eq!(
            Viewport::fit(huge, VIEW, 0.95, 2.0).scale,
            Viewport::MIN_SCALE
        );
    }

    #[test]
    fn reveal_pans_only_as_far_as_needed() {
        let v = Viewport::default();
        let on_screen = Rect {
            x: 100.0,
            y: 100.0,
            width: 50.0,
            height: 20.0,
        };
        assert_eq!(v.reveal(on_screen, VIEW, 16.0), v);
        let off_right = Rect {
            x: 900.0,
            ..on_screen
        };
        let r = v.reveal(off_right, VIEW, 16.0);
        assert_eq!(r.offset, p(800.0 - 16.0 - 950.0, 0.0));
        let above = Rect {
            y: -300.0,
            ..on_screen
        };
        assert_eq!(v.reveal(above, VIEW, 16.0).offset, p(0.0, 316.0));
        // Too big to fit: show its top-left corner.
        let wide = Rect {
            x: 500.0,
            y: 100.0,
            width: 2000.0,
            height: 20.0,
        };
        assert_eq!(v.reveal(wide, VIEW, 16.0).offset, p(-484.0, 0.0));
    }

    #[test]
    fn a_map_too_wide_to_read_starts_at_its_left_edge() {
        let content = Rect {
            x: -40.0,
            y: 100.0,
            width: 2000.0,
            height: 200.0,
        };
        let v = Viewport::from_left(content, VIEW, 0.9);
        assert_eq!(v.scale, 0.9);
        let left = v.to_screen(Point { x: -40.0, y: 200.0 });
        assert!((left.x - MARGIN).abs() < 1e-9, "{left:?}");
        assert!((left.y - VIEW.height / 2.0).abs() < 1e-9, "{left:?}");
    }

    #[test]
    fn show_zooms_out_only_as_far_as_needed_and_stays_readable() {
        let v = Viewport::default();
        let small = Rect {
            x: 900.0,
            y: 100.0,
            width: 100.0,
            height: 40.0,
        };
        assert_eq!(v.show(small, VIEW, 16.0, 0.5), v.reveal(small, VIEW, 16.0));
        // Twice the screen's width: zoomed out to fit it, whole.
        let wide = Rect {
            x: 0.0,
            y: 0.0,
            width: 1536.0,
            height: 100.0,
        };
        let shown = v.show(wide, VIEW, 16.0, 0.25);
        assert!((shown.scale - 0.5).abs() < 1e-12, "{shown:?}");
        let left = shown.to_screen(p(0.0, 0.0));
        let right = shown.to_screen(p(1536.0, 100.0));
        assert!(
            left.x >= 16.0 - 1e-9 && right.x <= 784.0 + 1e-9,
            "{left:?} {right:?}"
        );
        // Too big to fit readably: the readable zoom, its top-left corner.
        let huge = Rect {
            width: 10_000.0,
            ..wide
        };
        let shown = v.show(huge, VIEW, 16.0, 0.5);
        assert_eq!(shown.scale, 0.5);
        assert_eq!(shown.to_screen(p(0.0, 0.0)), p(16.0, 16.0));
        // Never zooms in.
        let far = Viewport { scale: 0.3, ..v };
        assert_eq!(far.show(small, VIEW, 16.0, 0.5).scale, 0.3);
    }

    #[test]
    fn pinching_scales_by_the_spread_and_follows_the_fingers() {
        let v = Viewport::default();
        let before = (p(100.0, 100.0), p(200.0, 100.0));
        let under = v.to_map(p(150.0, 100.0));
        // Twice as far apart, and the pair moved 30 px down.
        let after = (p(50.0, 130.0), p(250.0, 130.0));
        let z = v.pinch(before, after);
        assert!((z.scale - 2.0).abs() < 1e-12);
        assert!(close(z.to_screen(under), p(150.0, 130.0)));
        // Fingers on one spot: a pan, not a division by zero.
        let same = (p(5.0, 5.0), p(5.0, 5.0));
        let moved = (p(15.0, 5.0), p(15.0, 5.0));
        assert_eq!(v.pinch(same, moved), v.pan_by(10.0, 0.0));
    }

    #[test]
    fn wheel_zooms_in_when_scrolled_up_as_d3_does() {
        assert!(wheel_factor(-100.0, 0, false) > 1.0);
        assert!(wheel_factor(100.0, 0, false) < 1.0);
        assert!((wheel_factor(-500.0, 0, false) - 2.0).abs() < 1e-12);
        assert!((wheel_factor(-20.0, 1, false) - 2.0).abs() < 1e-12);
        assert!((wheel_factor(-1.0, 2, false) - 2.0).abs() < 1e-12);
        assert!((wheel_factor(-50.0, 0, true) - 2.0).abs() < 1e-12);
    }

    #[test]
    fn actions_build_on_the_view_they_are_applied_to() {
        use std::rc::Rc;
        use yew::Reducible;
        let v = Rc::new(Viewport::default());
        let v = v.reduce(ViewAction::Pan { dx: 10.0, dy: 5.0 });
        let v = v.reduce(ViewAction::Pan { dx: 10.0, dy: 5.0 });
        assert_eq!(v.offset, p(20.0, 10.0));
        let v = v.reduce(ViewAction::Zoom {
            factor: 2.0,
            at: p(20.0, 10.0),
        });
        assert_eq!(
            *v,
            Viewport {
                offset: p(20.0, 10.0),
                scale: 2.0
            }
        );
        let set = Viewport {
            offset: p(1.0, 2.0),
            scale: 3.0,
        };
        assert_eq!(*v.reduce(ViewAction::Set(set)), set);
    }

    #[test]
    fn union_covers_every_rectangle() {
        let a = Rect {
            x: 0.0,
            y: 0.0,
            width: 10.0,
            height: 10.0,
        };
        let b = Rect {
            x: -5.0,
            y: 20.0,
            width: 5.0,
            height: 5.0,
        };
        assert_eq!(
            Rect::union([a, b]),
            Some(Rect {
                x: -5.0,
                y: 0.0,
                width: 15.0,
                height: 25.0
            })
        );
        assert_eq!(Rect::union([]), None);
    }
}
