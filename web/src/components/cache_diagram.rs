//! The caching diagram: clients, the cache nodes and the database, with
//! requests moving along the edges.
//!
//! Clients sit on the left, the cache cluster in a column in the middle and
//! the database on the right; reads that miss, and writes that bypass the
//! cache, travel to the database along the bottom. Each cache node shows how
//! full its memory is, its hit ratio so far and, under write-behind, the
//! writes it holds that the database has not seen; a node that just served a
//! stale value flashes. The database shows its busy workers and its queue.
//! Cache nodes are buttons: choosing one lets a person kill it or bring it
//! back.
//!
//! Messages differ in shape as well as colour (Okabe–Ito), so no kind is
//! told apart by colour alone: reads are filled circles, misses and refusals
//! hollow ones, writes squares, stale hits larger circles.

use super::chart::PALETTE;
use crate::components::diagram::{self, DiagramProps, Frame, Key, Mark, Marks, Shape};
use archsim_patterns::View;
use archsim_patterns::caching::{MessageKind, Node, Snapshot};
use yew::prelude::*;

/// Where the diagram's columns sit across its canvas, `width` units wide.
struct Columns {
    width: f64,
    clients: f64,
    node: f64,
    node_w: f64,
    db: f64,
    db_w: f64,
    /// Room at a node's right for its name, hit ratio and state.
    label_w: f64,
}

const WIDE: Columns = Columns {
    width: diagram::WIDE,
    clients: 56.0,
    node: 200.0,
    node_w: 200.0,
    db: 500.0,
    db_w: 120.0,
    label_w: 78.0,
};

const NARROW: Columns = Columns {
    width: diagram::NARROW,
    clients: 32.0,
    node: 100.0,
    node_w: 180.0,
    db: 300.0,
    db_w: 92.0,
    label_w: 78.0,
};
/// Messages drawn at most, so a busy run stays cheap to render.
const MAX_DOTS: usize = 400;
/// How long a stale read flashes, in µs (the snapshot keeps 300 ms).
const FLASH_MICROS: f64 = 300_000.0;

/// Properties of [`CacheDiagram`].
type Props = DiagramProps<Snapshot>;

/// The diagram of a run's [`View`]: what the pattern's page registers.
pub fn draw(view: &View, frame: Frame) -> Html {
    diagram::draw::<CacheDiagram, Snapshot>(view, frame)
}

/// Where everything sits for a cluster of `nodes` cache nodes.
struct Layout {
    x: &'static Columns,
    nodes: usize,
    height: f64,
    row: f64,
}

impl Layout {
    fn new(nodes: usize, narrow: bool) -> Self {
        let row = (300.0 / nodes.max(1) as f64).clamp(18.0, 56.0);
        Layout {
            x: if narrow { &NARROW } else { &WIDE },
            nodes,
            height: (row * nodes as f64 + 70.0).max(220.0),
            row,
        }
    }

    /// The vertical middle of the clients and the database.
    fn middle(&self) -> f64 {
        (self.height - 30.0) / 2.0
    }

    /// The lane along the bottom that clients and the database share.
    fn bottom(&self) -> f64 {
        self.height - 14.0
    }

    fn node_y(&self, n: u32) -> f64 {
        let top = (self.height - 30.0 - self.row * self.nodes as f64) / 2.0;
        top + self.row * (f64::from(n) + 0.5)
    }

    /// The waypoints of the path from `from` to `to`.
    fn route(&self, from: Node, to: Node) -> Vec<(f64, f64)> {
        let (mid, x) = (self.middle(), self.x);
        let clients = (x.clients, mid);
        let database = (x.db, mid);
        let cache_left = |n: u32| (x.node, self.node_y(n));
        let cache_right = |n: u32| (x.node + x.node_w, self.node_y(n));
        let under = [
            (x.clients, self.bottom()),
            (x.db + x.db_w / 2.0, self.bottom()),
        ];
        match (from, to) {
            (Node::Clients, Node::Cache(n)) => vec![clients, cache_left(n)],
            (Node::Cache(n), Node::Clients) => vec![cache_left(n), clients],
            (Node::Cache(n), Node::Database) => vec![cache_right(n), database],
            (Node::Database, Node::Cache(n)) => vec![database, cache_right(n)],
            (Node::Clients, Node::Database) => {
                vec![
                    clients,
                    under[0],
                    under[1],
                    (x.db + x.db_w / 2.0, mid + 22.0),
                ]
            }
            (Node::Database, Node::Clients) => {
                vec![
                    (x.db + x.db_w / 2.0, mid + 22.0),
                    under[1],
                    under[0],
                    clients,
                ]
            }
            _ => vec![clients, clients],
        }
    }

    /// Where a message is, `p` of the way along its path.
    fn position(&self, from: Node, to: Node, p: f64) -> (f64, f64) {
        diagram::along(&self.route(from, to), p)
    }
}

/// How a message of `kind` is drawn: a colour and whether it is hollow,
/// square or large.
fn look(kind: MessageKind) -> (&'static str, Shape) {
    match kind {
        MessageKind::Lookup | MessageKind::Query => ("var(--request)", Shape::Dot),
        MessageKind::Hit => ("var(--up)", Shape::Dot),
        MessageKind::StaleHit => ("var(--down)", Shape::Large),
        MessageKind::Miss => ("var(--slow)", Shape::Ring),
        MessageKind::Rows | MessageKind::Fill => ("var(--reply)", Shape::Dot),
        MessageKind::Write | MessageKind::Delete => ("var(--fg)", Shape::Square),
        MessageKind::Ack => ("var(--muted)", Shape::Square),
        MessageKind::Flush => (PALETTE[1], Shape::Square),
        MessageKind::Refused => ("var(--down)", Shape::Ring),
    }
}

/// The messages in flight, each a kind and where it is: one path per look,
/// in the order the looks first appear.
fn dots(messages: impl Iterator<Item = (MessageKind, (f64, f64))>) -> impl Iterator<Item = Html> {
    let mut looks: Vec<((&'static str, Shape), Marks)> = Vec::new();
    for (kind, at) in messages {
        let look = look(kind);
        let i = looks
            .iter()
            .position(|(l, _)| *l == look)
            .unwrap_or_else(|| {
                looks.push((look, Marks::default()));
                looks.len() - 1
            });
        look.1.add(&mut looks[i].1, at);
    }
    looks
        .into_iter()
        .map(|((colour, shape), marks)| shape.paint(marks.path(), colour))
}

/// What each mark of the diagram means.
pub fn legend() -> Vec<Key> {
    let message = |kind, text| {
        let (colour, shape) = look(kind);
        Key {
            mark: Mark::Message(shape, colour),
            text,
        }
    };
    vec![
        message(MessageKind::Lookup, "read or query"),
        message(MessageKind::Hit, "hit"),
        message(MessageKind::Miss, "miss"),
        message(MessageKind::StaleHit, "stale hit"),
        message(MessageKind::Rows, "rows from the database"),
        message(MessageKind::Write, "write or delete"),
        message(MessageKind::Ack, "acknowledgement"),
        message(MessageKind::Flush, "write-behind flush"),
        message(MessageKind::Refused, "refused"),
        Key {
            mark: Mark::Bar("slot busy"),
            text: "memory used (of the node's capacity) or busy database worker",
        },
        Key {
            mark: Mark::Bar("queue"),
            text: "writes the database has not seen, or queries waiting",
        },
        Key {
            mark: Mark::Outline("backend up"),
            text: "node up",
        },
        Key {
            mark: Mark::Outline("backend down"),
            text: "node down",
        },
    ]
}

fn percent(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// The animated diagram.
#[component]
pub(crate) fn CacheDiagram(props: &Props) -> Html {
    let snap = &props.snapshot;
    let n = snap.nodes.len();
    let layout = Layout::new(n, props.narrow);
    let x = layout.x;
    let mid = layout.middle();
    let compact = layout.row < 34.0;

    let edges = (0..n as u32).map(|i| {
        let y = layout.node_y(i);
        html! {
            <>
            <line class="edge" x1={x.clients.to_string()} y1={mid.to_string()} x2={x.node.to_string()} y2={y.to_string()} />
            <line class="edge" x1={(x.node + x.node_w).to_string()} y1={y.to_string()} x2={x.db.to_string()} y2={mid.to_string()} />
            </>
        }
    });
    let bottom_lane = {
        let points = layout.route(Node::Clients, Node::Database);
        let d: Vec<String> = points
            .iter()
            .map(|(x, y)| format!("{x:.1},{y:.1}"))
            .collect();
        html! { <polyline class="edge" points={d.join(" ")} fill="none" stroke-dasharray="4 4" /> }
    };

    let flashing = |node: Node| -> Option<f64> {
        snap.stale_flashes
            .iter()
            .filter(|f| f.node == node)
            .map(|f| {
                let age = snap.now.saturating_sub(f.at).as_micros() as f64;
                if props.animate {
                    (1.0 - age / FLASH_MICROS).clamp(0.0, 1.0)
                } else {
                    1.0
                }
            })
            .reduce(f64::max)
    };

    let nodes = snap.nodes.iter().enumerate().map(|(i, view)| {
        let id = i as u32;
        let y = layout.node_y(id);
        let h = layout.row - 6.0;
        let top = y - h / 2.0;
        let state = diagram::condition_class(view.condition);
        let selected = props.selected == Some(id);
        let fullness = if view.capacity == 0 {
            0.0
        } else {
            f64::from(view.items) / f64::from(view.capacity)
        };
        let dirty = if view.dirty > 0 {
            format!(", {} writes not yet in the database", view.dirty)
        } else {
            String::new()
        };
        let label = format!(
            "Cache node {}: {state}, holds {} of {} items, hit ratio {}{dirty}",
            id + 1,
            view.items,
            view.capacity,
            percent(view.hit_ratio),
        );
        let (onclick, onkeydown) = diagram::chooser(&props.on_select, id);
        let bar_w = x.node_w - x.label_w - 14.0;
        let bar_h = (h / 2.0 - 4.0).max(3.0);
        let flash = flashing(Node::Cache(id));
        html! {
            <>
            <g class={classes!("backend", "cache-node", state, selected.then_some("selected"))}
               role="button" tabindex="0" aria-label={label} aria-pressed={selected.to_string()}
               {onclick} {onkeydown}>
                <rect class="box" x={x.node.to_string()} y={top.to_string()} width={x.node_w.to_string()} height={h.to_string()} rx="4" />
                // Memory: items held against capacity.
                <rect class="queue-track" x={(x.node + 8.0).to_string()} y={(top + 4.0).to_string()} width={bar_w.to_string()} height={bar_h.to_string()} />
                <rect class="slot busy" x={(x.node + 8.0).to_string()} y={(top + 4.0).to_string()} width={(bar_w * fullness).to_string()} height={bar_h.to_string()} />
                // Dirty writes (write-behind) as a share of the memory.
                if view.dirty > 0 {
                    <rect class="queue" x={(x.node + 8.0).to_string()} y={(y + 1.0).to_string()}
                        width={(bar_w * (f64::from(view.dirty) / f64::from(view.capacity.max(1))).min(1.0)).to_string()}
                        height={(bar_h / 2.0).to_string()} />
                }
                if let Some(strength) = flash {
                    <rect class="flash" x={(x.node - 3.0).to_string()} y={(top - 3.0).to_string()} width={(x.node_w + 6.0).to_string()} height={(h + 6.0).to_string()} rx="6"
                        opacity={format!("{strength:.2}")} />
                }
            </g>
            if !compact {
                <g class="backend-label" aria-hidden="true" pointer-events="none">
                    <text class="name" x={(x.node + x.node_w - x.label_w).to_string()} y={(y - 3.0).to_string()}>{ format!("#{} {} hits", id + 1, percent(view.hit_ratio)) }</text>
                    <text class="state" x={(x.node + x.node_w - x.label_w).to_string()} y={(y + 11.0).to_string()}>{ state }</text>
                </g>
            }
            </>
        }
    });

    let db = &snap.database;
    let db_top = mid - 40.0;
    let slots = db.workers.clamp(1, 16);
    let busy_shown = if db.workers > slots {
        // Many workers: show the busy share.
        (f64::from(db.busy) / f64::from(db.workers) * f64::from(slots)).round() as u32
    } else {
        db.busy
    };
    let queue_share = if db.queue_capacity == 0 {
        f64::from(u8::from(db.queued > 0))
    } else {
        (f64::from(db.queued) / f64::from(db.queue_capacity)).min(1.0)
    };
    let db_flash = flashing(Node::Database);
    let database = html! {
        <g class="database" aria-hidden="true">
            <rect class="box" x={x.db.to_string()} y={db_top.to_string()} width={x.db_w.to_string()} height="62" rx="8" />
            <text x={(x.db + x.db_w / 2.0).to_string()} y={(db_top + 14.0).to_string()} text-anchor="middle">{ "database" }</text>
            { diagram::worker_slots(slots, busy_shown, (x.db + 8.0, db_top + 22.0), x.db_w - 16.0, 14.0) }
            <rect class="queue-track" x={(x.db + 8.0).to_string()} y={(db_top + 42.0).to_string()} width={(x.db_w - 16.0).to_string()} height="10" />
            <rect class="queue" x={(x.db + 8.0).to_string()} y={(db_top + 42.0).to_string()} width={((x.db_w - 16.0) * queue_share).to_string()} height="10" />
            if let Some(strength) = db_flash {
                <rect class="flash" x={(x.db - 3.0).to_string()} y={(db_top - 3.0).to_string()} width={(x.db_w + 6.0).to_string()} height="68" rx="10"
                    opacity={format!("{strength:.2}")} />
            }
        </g>
    };
    let database_summary = format!(
        "Database: {} of {} queries running, {} waiting; hit ratio so far {}",
        db.busy,
        db.workers,
        db.queued,
        percent(snap.hit_ratio)
    );

    let dots = dots(snap.messages.iter().take(MAX_DOTS).map(|m| {
        let p = if props.animate {
            m.flight.progress(snap.now)
        } else {
            0.5
        };
        (m.kind, layout.position(m.flight.from, m.flight.to, p))
    }));

    let drawing = html! {
        <>
            <desc>{ database_summary }</desc>
            { for edges }
            { bottom_lane }
            <g class="clients" aria-hidden="true">
                <circle cx={x.clients.to_string()} cy={mid.to_string()} r="26" />
                <text x={x.clients.to_string()} y={(mid + 4.0).to_string()} text-anchor="middle">{ "clients" }</text>
            </g>
            if n == 0 {
                <text x={(x.node + x.node_w / 2.0).to_string()} y={(mid - 30.0).to_string()} text-anchor="middle" class="state" aria-hidden="true">{ "no cache" }</text>
            }
            { for nodes }
            { database }
            <g aria-hidden="true">{ for dots }</g>
        </>
    };
    diagram::canvas((x.width, layout.height), props, drawing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_follow_their_routes_end_to_end() {
        for narrow in [false, true] {
            let l = Layout::new(3, narrow);
            let start = l.position(Node::Clients, Node::Cache(2), 0.0);
            assert_eq!(start, (l.x.clients, l.middle()));
            let end = l.position(Node::Clients, Node::Cache(2), 1.0);
            assert!((end.0 - l.x.node).abs() < 1e-9 && (end.1 - l.node_y(2)).abs() < 1e-9);
            // Reads that miss go to the database along the bottom lane.
            let halfway = l.position(Node::Clients, Node::Database, 0.5);
            assert!((halfway.1 - l.bottom()).abs() < 1e-9, "{halfway:?}");
            let back = l.position(Node::Database, Node::Clients, 1.0);
            assert_eq!(back, (l.x.clients, l.middle()));
        }
    }

    #[test]
    fn many_nodes_fit_the_picture() {
        for n in [0, 1, 4, 32] {
            let l = Layout::new(n, false);
            for i in 0..n as u32 {
                assert!(l.node_y(i) > 0.0 && l.node_y(i) < l.bottom(), "{n} nodes");
            }
        }
    }
}
