//! What every pattern's diagram shares: what it is told besides its
//! snapshot ([`Frame`]), its properties ([`DiagramProps`]), [`draw`],
//! which turns the type-erased [`View`] of a run back into the pattern's own
//! snapshot for its component, and the marks drawn in bulk ([`Marks`] for
//! messages in flight, [`worker_slots`]), the words and classes of a
//! node's condition, the handlers that make a node a button ([`chooser`]),
//! and the [`legend`] under it that says what each mark means, drawn with
//! the same marks ([`Key`]). A pattern's page registers its diagram as a
//! `draw` function and its key ([`crate::PatternUi`]); nothing here names a
//! pattern.

use archsim_core::Condition;
use archsim_patterns::View;
use std::fmt::Write;
use yew::prelude::*;

/// What every pattern's diagram is told besides its snapshot.
#[derive(Clone, PartialEq)]
pub struct Frame {
    /// Node chosen for fault injection, if any.
    pub(crate) selected: Option<u32>,
    /// A node was chosen.
    pub(crate) on_select: Callback<u32>,
    /// Whether things should move (off under `prefers-reduced-motion`).
    pub(crate) animate: bool,
    /// Accessible name of the diagram.
    pub(crate) label: AttrValue,
    /// Whether it is drawn narrow (see [`DiagramProps::narrow`]).
    pub(crate) narrow: bool,
}

/// Properties of a pattern's diagram component.
#[derive(Properties, PartialEq)]
pub(crate) struct DiagramProps<S: PartialEq> {
    /// What to draw.
    pub(crate) snapshot: S,
    /// Node chosen for fault injection, if any.
    pub(crate) selected: Option<u32>,
    /// A node was chosen.
    pub(crate) on_select: Callback<u32>,
    /// Whether dots should move (off under `prefers-reduced-motion`).
    pub(crate) animate: bool,
    /// Accessible name of the diagram.
    pub(crate) label: AttrValue,
    /// Whether it has a phone's width or a compared variant's to fill
    /// rather than a desktop's column: then it is laid out on a narrower
    /// canvas ([`NARROW`] units across instead of [`WIDE`]), so that its
    /// text, the same size in its own units, reads almost twice as large.
    pub(crate) narrow: bool,
}

/// How many units across a diagram is laid out, on a desktop's column...
pub(crate) const WIDE: f64 = 640.0;
/// ... and on a phone or in a cell of a comparison.
pub(crate) const NARROW: f64 = 400.0;

/// The picture of one run: `view`, which must hold an `S`, drawn by the
/// component `C`.
pub(crate) fn draw<C, S>(view: &View, frame: Frame) -> Html
where
    C: BaseComponent<Properties = DiagramProps<S>>,
    S: Clone + PartialEq + 'static,
{
    let snapshot = view
        .get::<S>()
        .expect("a pattern's page draws only its own pattern's runs")
        .clone();
    let Frame {
        selected,
        on_select,
        animate,
        label,
        narrow,
    } = frame;
    let props = DiagramProps {
        snapshot,
        selected,
        on_select,
        animate,
        label,
        narrow,
    };
    html! { <C ..props /> }
}

/// A diagram's `<svg>`, `width` × `height` units, around `children`,
/// named and laid out as `props` say: laid out for a narrow screen (see
/// [`DiagramProps::narrow`]), its text is set larger too, since it is
/// drawn smaller.
pub(crate) fn canvas<S: PartialEq>(
    (width, height): (f64, f64),
    props: &DiagramProps<S>,
    children: Html,
) -> Html {
    html! {
        <svg class={classes!("diagram", props.narrow.then_some("narrow"))} viewBox={format!("0 0 {width} {height:.0}")}
            role="group" aria-label={props.label.clone()}>{ children }</svg>
    }
}

/// The class of a node's outline in condition `c`, which the style sheet
/// draws solid, dashed or dotted (`"up"`, `"slow"`, `"down"`).
pub(crate) fn condition_class(c: Condition) -> &'static str {
    match c {
        Condition::Up => "up",
        Condition::Slow(_) => "slow",
        Condition::Down => "down",
    }
}

/// A node's condition in words, for its label and its accessible name.
pub(crate) fn condition_name(c: Condition) -> String {
    match c {
        Condition::Up => "up".into(),
        Condition::Slow(k) => format!("slow ×{k}"),
        Condition::Down => "down".into(),
    }
}

/// `part` of `whole` as a fraction in `[0, 1]` (0 when `whole` is 0), for
/// the length of a bar.
pub(crate) fn share(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        (part as f64 / whole as f64).clamp(0.0, 1.0)
    }
}

/// What makes node `id` a button for fault injection: a click, or Enter
/// or Space once it has the focus, tells `on_select` it was chosen.
pub(crate) fn chooser(
    on_select: &Callback<u32>,
    id: u32,
) -> (Callback<MouseEvent>, Callback<KeyboardEvent>) {
    let on_click = on_select.clone();
    let on_key = on_select.clone();
    (
        Callback::from(move |_| on_click.emit(id)),
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" || e.key() == " " {
                e.prevent_default();
                on_key.emit(id);
            }
        }),
    )
}

/// Small marks of one look — the messages in flight of one kind — drawn
/// as the outline of a single `<path>`. A busy run has hundreds of them
/// and they all move every frame: as one element, a frame updates one
/// attribute instead of diffing and updating a node per message.
#[derive(Default)]
pub(crate) struct Marks(String);

impl Marks {
    /// A disc of radius `r` centred on `(x, y)`.
    pub(crate) fn disc(&mut self, (x, y): (f64, f64), r: f64) {
        let d = 2.0 * r;
        let _ = write!(
            self.0,
            "M{:.1} {y:.1}a{r} {r} 0 1 0 {d} 0a{r} {r} 0 1 0 -{d} 0",
            x - r
        );
    }

    /// A square of side `side` centred on `(x, y)`.
    pub(crate) fn square(&mut self, (x, y): (f64, f64), side: f64) {
        self.rect((x - side / 2.0, y - side / 2.0), side, side);
    }

    /// A `width` × `height` rectangle with its top left corner at `(x, y)`.
    pub(crate) fn rect(&mut self, (x, y): (f64, f64), width: f64, height: f64) {
        let _ = write!(self.0, "M{x:.1} {y:.1}h{width:.1}v{height:.1}h-{width:.1}z");
    }

    /// The path's `d`.
    pub(crate) fn path(self) -> String {
        self.0
    }
}

/// A server's workers as a row of `slots` cells across `width` from
/// `(x, y)`, the first `busy` of them filled: two paths, however many
/// workers, so that a page of twenty servers stays cheap to redraw.
pub(crate) fn worker_slots(slots: u32, busy: u32, at: (f64, f64), width: f64, height: f64) -> Html {
    let slot_w = width / f64::from(slots.max(1));
    let (mut idle, mut working) = (Marks::default(), Marks::default());
    for s in 0..slots {
        let marks = if s < busy { &mut working } else { &mut idle };
        marks.rect(
            (at.0 + f64::from(s) * slot_w, at.1),
            (slot_w - 2.0).max(1.0),
            height,
        );
    }
    html! {
        <>
            <path class="slot" d={idle.path()} />
            <path class="slot busy" d={working.path()} />
        </>
    }
}

/// How a mark of one kind of message looks: its shape and its colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A small filled disc.
    Dot,
    /// A small hollow disc.
    Ring,
    /// A small filled square.
    Square,
    /// A larger filled disc with an outline.
    Large,
}

impl Shape {
    /// Add one mark of this shape at `at` to `marks`.
    pub(crate) fn add(self, marks: &mut Marks, at: (f64, f64)) {
        match self {
            Shape::Dot | Shape::Ring => marks.disc(at, 3.0),
            Shape::Large => marks.disc(at, 5.0),
            Shape::Square => marks.square(at, 5.0),
        }
    }

    /// The marks `d` of this shape painted `colour`, as presentation
    /// attributes (no `style`: the site allows no inline styles).
    pub(crate) fn paint(self, d: String, colour: &'static str) -> Html {
        match self {
            Shape::Dot | Shape::Square => html! { <path class="dot" {d} fill={colour} /> },
            Shape::Large => {
                html! { <path class="dot" {d} fill={colour} stroke="var(--fg)" stroke-width="1" /> }
            }
            Shape::Ring => {
                html! { <path class="dot" {d} fill="none" stroke={colour} stroke-width="1.5" /> }
            }
        }
    }
}

/// A mark of a diagram, as its key shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// A disc with `class`, inside a group with `group`, so that it takes
    /// the diagram's own colours (`"backend unhealthy"`, `"belief"`).
    Disc {
        /// The classes of the group around it.
        group: &'static str,
        /// Its classes.
        class: &'static str,
    },
    /// A message of one look.
    Message(Shape, &'static str),
    /// A bar or a cell with these classes (`"queue"`, `"slot busy"`).
    Bar(&'static str),
    /// A bar filled with a colour.
    BarOf(&'static str),
    /// A server's outline in a state (`"backend slow"`).
    Outline(&'static str),
}

/// One entry of a diagram's key: a mark and what it means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key {
    /// The mark, drawn as the diagram draws it.
    pub mark: Mark,
    /// What it means.
    pub text: &'static str,
}

/// The key of a node's outline in each condition ([`condition_class`]).
pub(crate) const CONDITION_KEYS: [Key; 3] = [
    Key {
        mark: Mark::Outline("backend up"),
        text: "up",
    },
    Key {
        mark: Mark::Outline("backend slow"),
        text: "slow",
    },
    Key {
        mark: Mark::Outline("backend down"),
        text: "down",
    },
];

/// The key of a server as the diagrams draw it: its workers
/// ([`worker_slots`]), its queue bar, and its outline in the state it is
/// in. Load balancing's backends and sharding's shards are such servers.
pub(crate) const SERVER_KEYS: [Key; 6] = [
    Key {
        mark: Mark::Bar("slot busy"),
        text: "busy worker",
    },
    Key {
        mark: Mark::Bar("slot"),
        text: "idle worker",
    },
    Key {
        mark: Mark::Bar("queue"),
        text: "queue, against its capacity",
    },
    CONDITION_KEYS[0],
    CONDITION_KEYS[1],
    CONDITION_KEYS[2],
];

/// The key under a diagram, `keys`: each kind of mark beside what it
/// means, in text that stays readable however small the diagram is drawn.
/// (A function, not a component: it is small, and a component of its own
/// would cost the bundle more than redrawing it costs the page.)
pub(crate) fn legend(keys: &[Key]) -> Html {
    let swatch = |mark: Mark| match mark {
        Mark::Disc { group, class } => html! { <g class={group}><circle {class} r="5" /></g> },
        Mark::Message(shape, colour) => {
            let mut marks = Marks::default();
            shape.add(&mut marks, (0.0, 0.0));
            shape.paint(marks.path(), colour)
        }
        Mark::Bar(class) => html! { <rect {class} x="-7" y="-3" width="14" height="6" /> },
        Mark::BarOf(colour) => html! { <rect fill={colour} x="-7" y="-3" width="14" height="6" /> },
        Mark::Outline(group) => html! {
            <g class={group}><rect class="box" x="-6" y="-5" width="12" height="10" rx="2" /></g>
        },
    };
    html! {
        <ul class="diagram-key" aria-label="What the diagram's marks mean">
            { for keys.iter().map(|k| html! {
                <li>
                    <svg viewBox="-8 -8 16 16" aria-hidden="true" focusable="false">{ swatch(k.mark) }</svg>
                    { k.text }
                </li>
            }) }
        </ul>
    }
}

/// The point `p` of the way (0 to 1) along the path through `points`, by
/// length: where a message is on an edge that bends. A path has at least
/// one point.
pub(crate) fn along(points: &[(f64, f64)], p: f64) -> (f64, f64) {
    let lengths: Vec<f64> = points
        .windows(2)
        .map(|w| (w[1].0 - w[0].0).hypot(w[1].1 - w[0].1))
        .collect();
    let mut left = p.clamp(0.0, 1.0) * lengths.iter().sum::<f64>();
    for (w, len) in points.windows(2).zip(&lengths) {
        if left <= *len {
            let t = if *len > 0.0 { left / len } else { 1.0 };
            return (
                w[0].0 + (w[1].0 - w[0].0) * t,
                w[0].1 + (w[1].1 - w[0].1) * t,
            );
        }
        left -= len;
    }
    *points.last().expect("a path has points")
}

#[cfg(test)]
mod tests {
    use super::{Marks, along, share};

    #[test]
    fn marks_are_closed_subpaths_one_after_another() {
        let mut marks = Marks::default();
        marks.disc((10.0, 20.0), 3.0);
        marks.square((5.0, 5.0), 4.0);
        assert_eq!(
            marks.path(),
            "M7.0 20.0a3 3 0 1 0 6 0a3 3 0 1 0 -6 0M3.0 3.0h4.0v4.0h-4.0z"
        );
    }

    #[test]
    fn shares_stay_within_a_bar() {
        assert_eq!(share(3, 0), 0.0);
        assert_eq!(share(1, 4), 0.25);
        assert_eq!(share(5, 4), 1.0);
    }

    #[test]
    fn a_point_along_a_bent_path_goes_by_length() {
        let path = [(0.0, 0.0), (3.0, 0.0), (3.0, 1.0)];
        assert_eq!(along(&path, 0.0), (0.0, 0.0));
        assert_eq!(along(&path, 0.5), (2.0, 0.0));
        assert_eq!(along(&path, 1.0), (3.0, 1.0));
        assert_eq!(along(&[(5.0, 5.0)], 0.3), (5.0, 5.0));
    }
}
