//! The sharding diagram: the router and the shards, with queries fanning out
//! along the edges and migration batches moving between shards.
//!
//! Each shard shows its worker slots (filled when busy), its queue as a bar,
//! and two bars of its share of the cluster: rows held and requests served
//! so far, each against the largest shard, so a hot shard stands out at a
//! glance. A shard's state (up, slow, down, promoting a replica) and its
//! place in a resharding (standby, joining, leaving, retired) are written
//! beside it, with the rows still to leave it and to arrive on it while a
//! resharding runs (the router says how far it has got). Lookups travel to one shard; a scatter-gather query sends a
//! dot to every shard at once; row copies are squares travelling from the
//! old shard to the new. Shards are buttons: choosing one lets a person
//! break it or mend it.

use crate::components::chart::PALETTE;
use crate::components::diagram::{self, DiagramProps, Frame, Key, Mark, Marks, SERVER_KEYS, Shape};
use archsim_core::Condition;
use archsim_patterns::View;
use archsim_patterns::sharding::{Membership, Node, ShardView, Snapshot};
use yew::prelude::*;

/// Where the diagram's columns sit across its canvas, `width` units wide.
struct Columns {
    width: f64,
    clients: f64,
    router: f64,
    router_half_w: f64,
    shard: f64,
    shard_w: f64,
    /// Width of the worker slots and the queue bar.
    work_w: f64,
    /// Where the name and state of a shard are written.
    label: f64,
    /// Where the rows and load bars start, and how wide they are at most.
    bars: f64,
    bars_w: f64,
}

const WIDE: Columns = Columns {
    width: diagram::WIDE,
    clients: 40.0,
    router: 160.0,
    router_half_w: 40.0,
    shard: 330.0,
    shard_w: 300.0,
    work_w: 110.0,
    label: 330.0 + 110.0 + 14.0,
    bars: 330.0 + 215.0,
    bars_w: 80.0,
};

const NARROW: Columns = Columns {
    width: diagram::NARROW,
    clients: 26.0,
    router: 104.0,
    router_half_w: 36.0,
    shard: 180.0,
    shard_w: 215.0,
    work_w: 56.0,
    label: 180.0 + 56.0 + 12.0,
    bars: 180.0 + 160.0,
    bars_w: 50.0,
};
/// Messages drawn at most, so a busy run stays cheap to render.
const MAX_DOTS: usize = 400;
/// Colours of the two share bars and of the kinds of message.
const ROWS_COLOUR: &str = PALETTE[2];
const LOAD_COLOUR: &str = PALETTE[1];
const FAN_OUT_COLOUR: &str = PALETTE[4];
const COPY_COLOUR: &str = PALETTE[5];

/// Properties of [`ShardDiagram`].
type Props = DiagramProps<Snapshot>;

/// The diagram of a run's [`View`]: what the pattern's page registers.
pub fn draw(view: &View, frame: Frame) -> Html {
    diagram::draw::<ShardDiagram, Snapshot>(view, frame)
}

struct Layout {
    x: &'static Columns,
    height: f64,
    row: f64,
}

impl Layout {
    fn new(shards: usize, narrow: bool) -> Self {
        let row = (360.0 / shards as f64).clamp(14.0, 52.0);
        Layout {
            x: if narrow { &NARROW } else { &WIDE },
            height: (row * shards as f64 + 40.0).max(200.0),
            row,
        }
    }

    /// The middle of the drawing area (above the legend).
    fn middle(&self) -> f64 {
        self.height / 2.0
    }

    fn shard_y(&self, s: u32, n: usize) -> f64 {
        let top = (self.height - self.row * n as f64) / 2.0;
        top + self.row * (f64::from(s) + 0.5)
    }

    fn point(&self, node: Node, n: usize) -> (f64, f64) {
        match node {
            Node::Router => (self.x.router + self.x.router_half_w, self.middle()),
            Node::Shard(s) => (self.x.shard, self.shard_y(s, n)),
        }
    }

    /// Where a message is, `p` of the way from `from` to `to`: a straight
    /// line between the router and a shard, a curve bulging left between
    /// two shards.
    fn position(&self, from: Node, to: Node, p: f64, n: usize) -> (f64, f64) {
        let (a, z) = (self.point(from, n), self.point(to, n));
        match (from, to) {
            (Node::Shard(_), Node::Shard(_)) => {
                let control = (
                    self.x.shard - 40.0 - (z.1 - a.1).abs() / 4.0,
                    (a.1 + z.1) / 2.0,
                );
                let q = 1.0 - p;
                (
                    q * q * a.0 + 2.0 * q * p * control.0 + p * p * z.0,
                    q * q * a.1 + 2.0 * q * p * control.1 + p * p * z.1,
                )
            }
            _ => (a.0 + (z.0 - a.0) * p, a.1 + (z.1 - a.1) * p),
        }
    }
}

/// What a shard is doing, in words, for its label and its accessible name.
fn state_name(view: &ShardView) -> String {
    match view.condition {
        Condition::Down if view.promote_at.is_some() => "promoting replica".into(),
        c => diagram::condition_name(c),
    }
}

fn membership_name(m: Membership) -> &'static str {
    match m {
        Membership::Standby => "standby",
        Membership::Active => "active",
        Membership::Joining => "joining",
        Membership::Leaving => "leaving",
        Membership::Retired => "retired",
    }
}

/// Rows still to leave shard `i` and to arrive on it, while a resharding
/// moves them.
fn moving(snap: &Snapshot, i: usize) -> (u64, u64) {
    snap.migration
        .as_ref()
        .filter(|m| !m.done)
        .map_or((0, 0), |m| {
            let at = |v: &[u64]| v.get(i).copied().unwrap_or(0);
            (at(&m.to_leave), at(&m.to_arrive))
        })
}

/// What each mark of the diagram means.
pub fn legend() -> Vec<Key> {
    [
        Key {
            mark: Mark::Disc {
                group: "",
                class: "dot request",
            },
            text: "lookup (one shard)",
        },
        Key {
            mark: Mark::Message(Shape::Dot, FAN_OUT_COLOUR),
            text: "scatter-gather (every shard)",
        },
        Key {
            mark: Mark::Message(Shape::Square, COPY_COLOUR),
            text: "rows being moved; beside a shard, −n +m are the rows still to leave it and to arrive",
        },
        Key {
            mark: Mark::BarOf(ROWS_COLOUR),
            text: "rows held, against the largest shard",
        },
        Key {
            mark: Mark::BarOf(LOAD_COLOUR),
            text: "requests served, against the busiest",
        },
    ]
    .into_iter()
    .chain(SERVER_KEYS)
    .collect()
}

/// The animated diagram.
#[component]
pub(crate) fn ShardDiagram(props: &Props) -> Html {
    let snap = &props.snapshot;
    let n = snap.shards.len();
    let layout = Layout::new(n, props.narrow);
    let x = layout.x;
    let mid = layout.middle();
    let compact = layout.row < 30.0;
    let most_rows = snap.shards.iter().map(|s| s.rows).max().unwrap_or(0);
    let most_served = snap.shards.iter().map(|s| s.served).max().unwrap_or(0);
    let router_edge = x.router + x.router_half_w;

    let edges = (0..n as u32).map(|s| {
        let y = layout.shard_y(s, n);
        html! { <line class="edge" x1={router_edge.to_string()} y1={mid.to_string()} x2={x.shard.to_string()} y2={y.to_string()} /> }
    });

    let shards = snap.shards.iter().enumerate().map(|(i, view)| {
        let s = i as u32;
        let (leaving, arriving) = moving(snap, i);
        let y = layout.shard_y(s, n);
        let h = layout.row - 4.0;
        let top = y - h / 2.0;
        let state = diagram::condition_class(view.condition);
        let membership = membership_name(view.membership);
        let faded = matches!(view.membership, Membership::Standby | Membership::Retired);
        let selected = props.selected == Some(s);
        let label = format!(
            "Shard {}: {}, {}, {} standby replicas; {} of {} workers busy, {} queued of {}; {} rows, {} requests served",
            s + 1,
            state_name(view),
            membership,
            view.replicas,
            view.busy,
            view.workers,
            view.queued,
            view.queue_capacity,
            view.rows,
            view.served
        ) + &if leaving + arriving > 0 {
            format!("; {leaving} rows still to leave it, {arriving} to arrive")
        } else {
            String::new()
        };
        let (onclick, onkeydown) = diagram::chooser(&props.on_select, s);
        let slots = view.workers.min(16);
        let half = (h / 2.0 - 4.0).max(2.0);
        let queue_share = diagram::share(u64::from(view.queued), u64::from(view.queue_capacity));
        let rows_w = x.bars_w * diagram::share(view.rows, most_rows);
        let load_w = x.bars_w * diagram::share(view.served, most_served);
        // The visible labels sit beside the button, hidden from assistive
        // technology: the button's accessible name already says all of it.
        html! {
            <>
            <g class={classes!("backend", "shard", state, membership, selected.then_some("selected"))}
               opacity={if faded { "0.45" } else { "1" }}
               role="button" tabindex="0" aria-label={label} aria-pressed={selected.to_string()}
               {onclick} {onkeydown}>
                <rect class="box" x={x.shard.to_string()} y={top.to_string()} width={x.shard_w.to_string()} height={h.to_string()} rx="4" />
                { diagram::worker_slots(slots, view.busy, (x.shard + 8.0, top + 3.0), x.work_w, half) }
                <rect class="queue-track" x={(x.shard + 8.0).to_string()} y={(y + 1.0).to_string()} width={x.work_w.to_string()} height={half.to_string()} />
                <rect class="queue" x={(x.shard + 8.0).to_string()} y={(y + 1.0).to_string()} width={(x.work_w * queue_share).to_string()} height={half.to_string()} />
                <rect fill={ROWS_COLOUR} x={x.bars.to_string()} y={(top + 3.0).to_string()} width={rows_w.to_string()} height={half.to_string()} />
                <rect fill={LOAD_COLOUR} x={x.bars.to_string()} y={(y + 1.0).to_string()} width={load_w.to_string()} height={half.to_string()} />
            </g>
            if !compact {
                <g class="backend-label" aria-hidden="true" pointer-events="none">
                    <text class="name" x={x.label.to_string()} y={(y - 3.0).to_string()}>{
                        if view.membership == Membership::Active {
                            format!("#{}", s + 1)
                        } else {
                            format!("#{} {membership}", s + 1)
                        }
                    }</text>
                    <text class="state" x={x.label.to_string()} y={(y + 11.0).to_string()}>{
                        if leaving + arriving > 0 {
                            format!("{} −{leaving} +{arriving}", state_name(view))
                        } else {
                            state_name(view)
                        }
                    }</text>
                </g>
            }
            </>
        }
    });

    let flights = snap
        .lookups
        .iter()
        .map(|m| (m, "lookup"))
        .chain(snap.fan_out.iter().map(|m| (m, "fan-out")))
        .chain(snap.copies.iter().map(|m| (m, "copy")))
        .take(MAX_DOTS);
    let [mut requests, mut replies, mut fan_out, mut copies] =
        std::array::from_fn(|_| Marks::default());
    for (m, kind) in flights {
        let p = if props.animate {
            m.progress(snap.now)
        } else {
            0.5
        };
        let at = layout.position(m.from, m.to, p, n);
        match kind {
            "copy" => copies.square(at, 7.0),
            "fan-out" => fan_out.disc(at, 3.0),
            _ if matches!(m.from, Node::Router) => requests.disc(at, 3.0),
            _ => replies.disc(at, 3.0),
        }
    }

    // The one measure of the resharding's progress, as the headline
    // numbers name it.
    let status = match &snap.migration {
        Some(m) if !m.done => Some(format!(
            "resharding {:.0}% done",
            100.0 * diagram::share(m.copied_rows, m.moved_rows)
        )),
        _ => None,
    };

    let drawing = html! {
        <>
            <line class="edge" x1={(x.clients + 22.0).to_string()} y1={mid.to_string()} x2={(x.router - x.router_half_w).to_string()} y2={mid.to_string()} />
            { for edges }
            <g class="clients" aria-hidden="true">
                <circle cx={x.clients.to_string()} cy={mid.to_string()} r="22" />
                <text x={x.clients.to_string()} y={(mid + 4.0).to_string()} text-anchor="middle">{ "clients" }</text>
            </g>
            <g class="balancer" aria-hidden="true">
                <rect x={(x.router - x.router_half_w).to_string()} y={(mid - 20.0).to_string()} width={(2.0 * x.router_half_w).to_string()} height="40" rx="6" />
                <text x={x.router.to_string()} y={(mid + 4.0).to_string()} text-anchor="middle">{ "router" }</text>
                if let Some(text) = status {
                    <text class="state" x={x.router.to_string()} y={(mid + 36.0).to_string()} text-anchor="middle">{ text }</text>
                }
                <text class="state" x={x.router.to_string()} y={(mid - 28.0).to_string()} text-anchor="middle">{ format!("{} queries in flight", snap.queries) }</text>
            </g>
            { for shards }
            <g aria-hidden="true">
                <path class="dot request" d={requests.path()} />
                <path class="dot reply" d={replies.path()} />
                <path class="dot fan-out" fill={FAN_OUT_COLOUR} d={fan_out.path()} />
                <path class="dot copy" fill={COPY_COLOUR} d={copies.path()} />
            </g>
        </>
    };
    diagram::canvas((x.width, layout.height), props, drawing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_travel_between_the_router_and_their_shard() {
        for narrow in [false, true] {
            let l = Layout::new(4, narrow);
            let start = l.position(Node::Router, Node::Shard(3), 0.0, 4);
            assert_eq!(start, (l.x.router + l.x.router_half_w, l.middle()));
            let end = l.position(Node::Router, Node::Shard(3), 1.0, 4);
            assert!((end.0 - l.x.shard).abs() < 1e-9 && (end.1 - l.shard_y(3, 4)).abs() < 1e-9);
        }
    }

    #[test]
    fn copies_curve_left_of_the_shards_from_one_to_the_other() {
        let l = Layout::new(5, true);
        let (a, z) = (Node::Shard(0), Node::Shard(4));
        assert_eq!(l.position(a, z, 0.0, 5), (l.x.shard, l.shard_y(0, 5)));
        let end = l.position(a, z, 1.0, 5);
        assert!((end.1 - l.shard_y(4, 5)).abs() < 1e-9);
        assert!(l.position(a, z, 0.5, 5).0 < l.x.shard);
    }

    #[test]
    fn many_shards_fit_the_picture() {
        let l = Layout::new(64, false);
        assert!(l.shard_y(0, 64) > 0.0);
        assert!(l.shard_y(63, 64) < l.height);
    }
}
