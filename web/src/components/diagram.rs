//! What every pattern's diagram shares: what it is told besides its
//! snapshot ([`Frame`]), its properties ([`DiagramProps`]), [`draw`],
//! which turns the type-erased [`View`] of a run back into the pattern's own
//! snapshot for its component, and the marks drawn in bulk ([`Marks`] for
//! messages in flight, [`worker_slots`], [`queue_bar`]), the words and
//! classes of a node's condition, the handlers that make a node a button
//! ([`chooser`]),
//! a trace drawn as a [`waterfall`], short counts and durations, and the
//! [`legend`] under it that says what each mark means, drawn with
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

/// A queue of `queued` as a bar `width` × `h` from `at`, on its track:
/// queues have no capacity, so it is drawn against `longest`.
pub(crate) fn queue_bar(queued: u32, longest: u32, at: (f64, f64), width: f64, h: f64) -> Html {
    let w = width * share(u64::from(queued), u64::from(longest));
    html! {
        <>
            <rect class="queue-track" x={at.0.to_string()} y={at.1.to_string()} width={width.to_string()} height={h.to_string()} />
            <rect class="queue" x={at.0.to_string()} y={at.1.to_string()} width={w.to_string()} height={h.to_string()} />
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

/// `n` short enough for a narrow column: `12345` is `12k`.
pub(crate) fn count(n: u64) -> String {
    match n {
        0..10_000 => n.to_string(),
        10_000..1_000_000 => format!("{}k", n / 1_000),
        _ => format!("{:.1}M", n as f64 / 1e6),
    }
}

/// The cells drawn for `workers` workers, `busy` of them busy, when at
/// most `max` are: more workers than that show their busy share, so that
/// a big pool stays a row that reads.
pub(crate) fn slots_drawn(busy: u32, workers: u32, max: u32) -> (u32, u32) {
    let slots = workers.clamp(1, max);
    let busy = if workers > slots {
        (f64::from(busy) / f64::from(workers) * f64::from(slots)).round() as u32
    } else {
        busy
    };
    (slots, busy)
}

/// A stretch of `secs` seconds in words: milliseconds under a second.
pub(crate) fn duration(secs: f64) -> String {
    if secs < 1.0 {
        format!("{:.1} ms", secs * 1000.0)
    } else {
        format!("{secs:.2} s")
    }
}

/// Where a trace's waterfall ([`waterfall`]) sits across its canvas.
pub(crate) struct Waterfall {
    /// The canvas's width.
    pub(crate) width: f64,
    /// Where the bars start: beside their rows' labels on a wide canvas,
    /// under them on a narrow one, where the labels need all of it.
    pub(crate) bars: f64,
    /// How far below the top of its row a bar is drawn.
    pub(crate) bar_dy: f64,
    /// The height of a row.
    pub(crate) row: f64,
}

impl Waterfall {
    /// Labels of up to about 30 characters beside the bars.
    pub(crate) const WIDE: Waterfall = Waterfall {
        width: WIDE,
        bars: 200.0,
        bar_dy: 4.0,
        row: 18.0,
    };
    /// Labels above the bars.
    pub(crate) const NARROW: Waterfall = Waterfall {
        width: NARROW,
        bars: 8.0,
        bar_dy: 17.0,
        row: 30.0,
    };

    /// The height of a waterfall of `rows` rows: its heading, a row each
    /// and its time axis (none without rows).
    pub(crate) fn height(&self, rows: usize) -> f64 {
        if rows == 0 {
            26.0
        } else {
            26.0 + rows as f64 * self.row + 24.0
        }
    }
}

/// One stretch of a trace's row: from and to, in seconds on any clock the
/// trace shares, drawn with `class` (`"span waiting"`, `"span work"`).
pub(crate) struct Stretch {
    pub(crate) from: f64,
    pub(crate) to: f64,
    pub(crate) class: &'static str,
}

/// One row of a waterfall: a span of a trace.
pub(crate) struct Row {
    /// What it is, written beside (or above) its bars.
    pub(crate) label: String,
    /// How far in its label is set: a span's depth of calls.
    pub(crate) indent: u32,
    /// What its stretches were, in words, for its accessible description.
    pub(crate) what: String,
    /// Its bars, one after the other.
    pub(crate) stretches: Vec<Stretch>,
}

/// A trace as a waterfall from `top`, under `heading`: a row per span, its
/// bars from when each stretch started to when it ended on a time axis
/// from the trace's first start to its last end, so that queueing and
/// fan-outs read as the shape of the bars.
pub(crate) fn waterfall(w: &Waterfall, heading: &str, rows: &[Row], top: f64) -> Html {
    let stretches = || rows.iter().flat_map(|r| &r.stretches);
    let start = stretches().map(|s| s.from).fold(f64::INFINITY, f64::min);
    let end = stretches().map(|s| s.to).fold(f64::NEG_INFINITY, f64::max);
    let extent = if end > start { end - start } else { 0.0 };
    let bars_w = w.width - 8.0 - w.bars;
    let scale = if extent > 0.0 { bars_w / extent } else { 0.0 };
    let rows_top = top + 26.0;
    let drawn = rows.iter().enumerate().map(|(i, row)| {
        let y = rows_top + i as f64 * w.row;
        let bars = row.stretches.iter().map(|s| {
            let left = w.bars + (s.from - start) * scale;
            // An instant still shows, as a sliver.
            let width = ((s.to - s.from) * scale).max(1.5);
            html! {
                <rect class={s.class} x={left.to_string()} y={(y + w.bar_dy).to_string()} width={width.to_string()} height="10" />
            }
        });
        html! {
            <>
                <text class="state" x={(8.0 + 10.0 * f64::from(row.indent)).to_string()} y={(y + 12.0).to_string()}>{ &row.label }</text>
                { for bars }
            </>
        }
    });
    let axis = rows_top + rows.len() as f64 * w.row + 4.0;
    let mut words = if rows.is_empty() {
        heading.to_owned()
    } else {
        format!("{heading}, {} in all:", duration(extent))
    };
    for row in rows {
        let (from, to) = row
            .stretches
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, z), s| {
                (a.min(s.from), z.max(s.to))
            });
        let _ = write!(
            words,
            " {}, {}, from {} to {};",
            row.label,
            row.what,
            duration(from - start),
            duration(to - start)
        );
    }
    html! {
        <g class="trace" role="img" aria-label={words}>
            <text x="8" y={(top + 16.0).to_string()}>{ heading.to_owned() }</text>
            { for drawn }
            // A trace that reached no one has its heading alone.
            if !rows.is_empty() {
                <line class="edge" x1={w.bars.to_string()} y1={axis.to_string()} x2={(w.bars + bars_w).to_string()} y2={axis.to_string()} />
                <text class="state" x={w.bars.to_string()} y={(axis + 14.0).to_string()}>{ "0" }</text>
                <text class="state" x={(w.bars + bars_w).to_string()} y={(axis + 14.0).to_string()} text-anchor="end">{ duration(extent) }</text>
            }
        </g>
    }
}

#[cfg(test)]
mod tests {
    use super::{Marks, along, count, duration, share, slots_drawn};

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

    #[test]
    fn counts_and_durations_stay_short() {
        assert_eq!(count(9_999), "9999");
        assert_eq!(count(12_345), "12k");
        assert_eq!(count(1_000_000), "1.0M");
        assert_eq!(duration(0.0123), "12.3 ms");
        assert_eq!(duration(2.5), "2.50 s");
    }

    #[test]
    fn big_pools_show_their_busy_share() {
        assert_eq!(slots_drawn(3, 8, 16), (8, 3));
        assert_eq!(slots_drawn(0, 0, 16), (1, 0));
        assert_eq!(slots_drawn(32, 64, 16), (16, 8));
    }
}
