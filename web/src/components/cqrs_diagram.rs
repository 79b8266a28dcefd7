//! The CQRS diagram: the clients, the write model, the event log with its
//! projector, and the read replicas, with writes, reads and events moving
//! along the edges.
//!
//! Writes go from the clients to the write model and are acknowledged;
//! each appends an event that the projector applies to the views, which
//! it then sends to every read replica. Queries reach the replicas along
//! the lane at the bottom, clear of the write side, so the two paths a
//! request can take stay apart in the picture. Each database shows its
//! workers and its queue; the projector shows the events in the log, how
//! many it has still to apply, whether it is applying one, and how far a
//! rebuild of the read model has got, while the replicas, with no view to
//! answer from, fade. Reads back waiting for the version their write
//! returned are counted under the replicas. Under a shared model there is
//! one database and no read side at all. A caption says what a writer
//! reading back its own entity sees. Read replicas are buttons: choosing
//! one lets a person break it, slow it or mend it.

use crate::components::diagram::{
    self, CONDITION_KEYS, DiagramProps, Frame, Key, Mark, Marks, count,
};
use archsim_patterns::View;
use archsim_patterns::cqrs::{
    Architecture, Carries, Consistency, Node, ProjectorView, Snapshot, StoreView,
};
use yew::prelude::*;

/// Where the diagram's columns sit across its canvas, `width` units wide.
struct Columns {
    width: f64,
    clients: f64,
    clients_r: f64,
    /// Left edge and width of the write model.
    store: f64,
    store_w: f64,
    /// Left edge and width of the event log and projector.
    log: f64,
    log_w: f64,
    /// Left edge and width of a read replica.
    replica: f64,
    replica_w: f64,
    /// Width of a replica's worker slots and queue bar.
    work_w: f64,
    /// Where a replica's name, state and queue are written.
    label: f64,
}

const WIDE: Columns = Columns {
    width: diagram::WIDE,
    clients: 44.0,
    clients_r: 24.0,
    store: 96.0,
    store_w: 150.0,
    log: 276.0,
    log_w: 120.0,
    replica: 426.0,
    replica_w: 208.0,
    work_w: 120.0,
    label: 426.0 + 6.0 + 120.0 + 8.0,
};

const NARROW: Columns = Columns {
    width: diagram::NARROW,
    clients: 26.0,
    clients_r: 22.0,
    store: 56.0,
    store_w: 84.0,
    log: 148.0,
    log_w: 88.0,
    replica: 256.0,
    replica_w: 142.0,
    work_w: 56.0,
    label: 256.0 + 6.0 + 56.0 + 6.0,
};
/// Room above the databases for the columns' names...
const TOP: f64 = 40.0;
/// ... and below them for the reads waiting for a version, the lane of
/// reads to the replicas and the caption.
const BOTTOM: f64 = 58.0;
/// Height of the write model's box, and of the projector's unless it
/// writes a rebuild's progress too.
const BOX_H: f64 = 60.0;
/// Worker slots drawn at most per database; more workers show their busy
/// share.
const MAX_SLOTS: u32 = 16;
/// Messages drawn at most, so a busy run stays cheap to render.
const MAX_DOTS: usize = 400;

/// Properties of [`CqrsDiagram`].
type Props = DiagramProps<Snapshot>;

/// The diagram of a run's [`View`]: what the pattern's page registers.
pub fn draw(view: &View, frame: Frame) -> Html {
    diagram::draw::<CqrsDiagram, Snapshot>(view, frame)
}

/// What each mark of the diagram means.
pub fn legend() -> Vec<Key> {
    let dot = |class, text| Key {
        mark: Mark::Disc { group: "", class },
        text,
    };
    [
        dot("dot write", "write, and its acknowledgement"),
        dot("dot read", "read, and its answer"),
        dot(
            "dot event",
            "event, from the log to the projector, then to the replicas' views",
        ),
        Key {
            mark: Mark::Bar("slot busy"),
            text: "busy worker, or the projector applying an event",
        },
        Key {
            mark: Mark::Bar("slot"),
            text: "idle worker",
        },
        Key {
            mark: Mark::Bar("queue"),
            text: "queue, against the longest drawn",
        },
    ]
    .into_iter()
    .chain(CONDITION_KEYS)
    .collect()
}

/// Where everything sits for `replicas` read replicas.
struct Layout {
    x: &'static Columns,
    replicas: usize,
    height: f64,
    row: f64,
}

impl Layout {
    fn new(replicas: usize, narrow: bool) -> Self {
        let row = (300.0 / replicas.max(1) as f64).clamp(16.0, 52.0);
        Layout {
            x: if narrow { &NARROW } else { &WIDE },
            replicas,
            height: (TOP + row * replicas as f64 + BOTTOM).max(230.0),
            row,
        }
    }

    /// The middle of the databases' band: where the clients, the write
    /// model and the projector sit.
    fn middle(&self) -> f64 {
        (TOP + self.height - BOTTOM) / 2.0
    }

    fn replica_y(&self, r: u32) -> f64 {
        let top = self.middle() - self.row * self.replicas as f64 / 2.0;
        top + self.row * (f64::from(r) + 0.5)
    }

    /// The lane along the bottom that reads take to the replicas.
    fn lane(&self) -> f64 {
        self.height - 28.0
    }

    /// Where the lane rises, just left of the replicas.
    fn riser(&self) -> f64 {
        self.x.replica - 12.0
    }

    /// The waypoints of the path from `from` to `to`.
    fn route(&self, from: Node, to: Node) -> Vec<(f64, f64)> {
        let (x, mid) = (self.x, self.middle());
        match (from, to) {
            (Node::Clients, Node::WriteStore) => {
                vec![(x.clients + x.clients_r, mid), (x.store, mid)]
            }
            // Below the write side, so that reads never seem to pass
            // through it.
            (Node::Clients, Node::Replica(r)) => {
                let y = self.replica_y(r);
                vec![
                    (x.clients, mid + x.clients_r),
                    (x.clients, self.lane()),
                    (self.riser(), self.lane()),
                    (self.riser(), y),
                    (x.replica, y),
                ]
            }
            (Node::WriteStore, Node::Projector) => vec![(x.store + x.store_w, mid), (x.log, mid)],
            (Node::Projector, Node::Replica(r)) => {
                vec![(x.log + x.log_w, mid), (x.replica, self.replica_y(r))]
            }
            // Answers retrace their request's path.
            (Node::WriteStore | Node::Replica(_), Node::Clients) => {
                let mut back = self.route(to, from);
                back.reverse();
                back
            }
            // The model sends nothing else.
            _ => vec![(x.clients, mid)],
        }
    }

    /// Where a message is, `p` of the way along its path.
    fn position(&self, from: Node, to: Node, p: f64) -> (f64, f64) {
        diagram::along(&self.route(from, to), p)
    }
}

/// What a writer reading back its own entity sees, as the caption says it.
fn reads_back(snap: &Snapshot) -> &'static str {
    match (snap.architecture, snap.consistency) {
        (Architecture::SharedModel, _) => "reads: each a join on the shared model",
        (Architecture::Cqrs, Consistency::Eventual) => "reads back: eventual",
        (Architecture::Cqrs, Consistency::ReadYourWrites) => "reads back: from the write side",
        (Architecture::Cqrs, Consistency::VersionToken) => "reads back: wait for version",
        (Architecture::Cqrs, Consistency::Synchronous) => "reads back: views updated in the write",
    }
}

/// A database's work from `at`, `width` across: its workers as a row of
/// slots `h` high, its queue as a bar under them. Queues have no capacity,
/// so the bar is drawn against `longest`.
fn work(view: &StoreView, at: (f64, f64), width: f64, h: f64, longest: u32) -> Html {
    let (slots, busy) = diagram::slots_drawn(view.busy, view.workers, MAX_SLOTS);
    html! {
        <>
            { diagram::worker_slots(slots, busy, at, width, h) }
            { diagram::queue_bar(view.queued, longest, (at.0, at.1 + h + 2.0), width, h) }
        </>
    }
}

/// The write model (or the shared model), its name above it.
fn write_store(layout: &Layout, snap: &Snapshot, longest: u32) -> Html {
    let (x, mid) = (layout.x, layout.middle());
    let view = &snap.write_store;
    let top = mid - BOX_H / 2.0;
    let centre = x.store + x.store_w / 2.0;
    let (name, title) = match snap.architecture {
        Architecture::SharedModel => ("shared model", "Shared model"),
        Architecture::Cqrs => ("write model", "Write model"),
    };
    let words = format!(
        "{title} (normalized): {}, {} of {} workers busy, {} queued",
        diagram::condition_name(view.condition),
        view.busy,
        view.workers,
        view.queued
    );
    html! {
        <g class="database" role="img" aria-label={words}>
            <text x={centre.to_string()} y="14" text-anchor="middle">{ name }</text>
            <text class="state" x={centre.to_string()} y="29" text-anchor="middle">{ "(normalized)" }</text>
            <rect class="box" x={x.store.to_string()} y={top.to_string()} width={x.store_w.to_string()} height={BOX_H.to_string()} rx="6" />
            { work(view, (x.store + 8.0, top + 10.0), x.store_w - 16.0, 12.0, longest) }
            <text class="state" x={centre.to_string()} y={(top + 52.0).to_string()} text-anchor="middle">{ format!("{} queued", count(u64::from(view.queued))) }</text>
        </g>
    }
}

/// The event log and the projector that applies it to the views, or —
/// when the views are updated in each write's own transaction — the log
/// alone.
fn event_log(layout: &Layout, events: u64, projector: Option<&ProjectorView>) -> Html {
    let (x, mid) = (layout.x, layout.middle());
    let top = mid - BOX_H / 2.0;
    let centre = x.log + x.log_w / 2.0;
    let rebuilding = projector.and_then(|p| p.rebuilding);
    let height = if rebuilding.is_some() {
        BOX_H + 32.0
    } else {
        BOX_H
    };
    let words = match projector {
        Some(p) => format!(
            "Event log: {events} events; the projector is {}, {} events behind{}",
            if p.busy { "applying one" } else { "idle" },
            p.behind,
            rebuilding.map_or(String::new(), |(done, of)| format!(
                "; rebuilding the read model, {done} of {of} events replayed"
            ))
        ),
        None => {
            format!("Event log: {events} events; no projector, the views are updated in each write")
        }
    };
    let text = |line: f64, class: &'static str, words: String| {
        html! {
            <text {class} x={centre.to_string()} y={(top + line).to_string()} text-anchor="middle">{ words }</text>
        }
    };
    html! {
        <g class="database" role="img" aria-label={words}>
            <text x={centre.to_string()} y="14" text-anchor="middle">{ "event log" }</text>
            if projector.is_some() {
                <text class="state" x={centre.to_string()} y="29" text-anchor="middle">{ "+ projector" }</text>
            }
            <rect class="box" x={x.log.to_string()} y={top.to_string()} width={x.log_w.to_string()} height={height.to_string()} rx="6" />
            { text(18.0, "", format!("{} events", count(events))) }
            if let Some(p) = projector {
                { text(34.0, "state", format!("{} behind", count(p.behind))) }
                { diagram::worker_slots(1, u32::from(p.busy), (x.log + 8.0, top + 42.0), x.log_w - 16.0, 10.0) }
            } else {
                { text(34.0, "state", "no projector".into()) }
            }
            if let Some((done, of)) = rebuilding {
                { text(70.0, "", "rebuilding".into()) }
                { text(86.0, "state", format!("{} of {}", count(done), count(of))) }
            }
        </g>
    }
}

/// The animated diagram.
#[component]
pub(crate) fn CqrsDiagram(props: &Props) -> Html {
    let snap = &props.snapshot;
    let n = snap.replicas.len();
    let layout = Layout::new(n, props.narrow);
    let x = layout.x;
    let mid = layout.middle();
    let compact = layout.row < 30.0;
    let read_side = snap.architecture == Architecture::Cqrs;
    // Never shorter than a database's workers, so that the first request
    // waiting does not fill a bar.
    let longest = std::iter::once(&snap.write_store)
        .chain(&snap.replicas)
        .map(|s| s.queued)
        .max()
        .unwrap_or(0)
        .max(snap.write_store.workers);

    let line = |(x1, y1): (f64, f64), (x2, y2): (f64, f64)| {
        html! { <line class="edge" x1={x1.to_string()} y1={y1.to_string()} x2={x2.to_string()} y2={y2.to_string()} /> }
    };
    let fan_out =
        (0..n as u32).map(|r| line((x.log + x.log_w, mid), (x.replica, layout.replica_y(r))));
    // One path for the lane and its branch to every replica.
    let lane = format!(
        "M{} {}V{}H{}V{}",
        x.clients,
        mid + x.clients_r,
        layout.lane(),
        layout.riser(),
        layout.replica_y(0)
    ) + &(0..n as u32)
        .map(|r| format!("M{} {}H{}", layout.riser(), layout.replica_y(r), x.replica))
        .collect::<String>();

    // While the read model is rebuilt the replicas hold no view and every
    // read of them fails, however healthy they are: they are drawn faded.
    let rebuilding = snap
        .projector
        .as_ref()
        .is_some_and(|p| p.rebuilding.is_some());
    let replicas = snap.replicas.iter().enumerate().map(|(i, view)| {
        let r = i as u32;
        let y = layout.replica_y(r);
        let h = layout.row - 4.0;
        let top = y - h / 2.0;
        let state = diagram::condition_class(view.condition);
        let selected = props.selected == Some(r);
        let label = format!(
            "Read replica {}: {}, {} of {} workers busy, {} queued",
            r + 1,
            diagram::condition_name(view.condition),
            view.busy,
            view.workers,
            view.queued
        ) + if rebuilding {
            "; its view is being rebuilt, so reads of it fail"
        } else {
            ""
        };
        let (onclick, onkeydown) = diagram::chooser(&props.on_select, r);
        let half = (h / 2.0 - 4.0).max(2.0);
        // The visible labels sit beside the button, hidden from assistive
        // technology: the button's accessible name already says all of it.
        html! {
            <>
            <g class={classes!("backend", state, selected.then_some("selected"))}
               opacity={if rebuilding { "0.45" } else { "1" }}
               role="button" tabindex="0" aria-label={label} aria-pressed={selected.to_string()}
               {onclick} {onkeydown}>
                <rect class="box" x={x.replica.to_string()} y={top.to_string()} width={x.replica_w.to_string()} height={h.to_string()} rx="4" />
                { work(view, (x.replica + 6.0, top + 3.0), x.work_w, half, longest) }
            </g>
            if !compact {
                <g class="backend-label" aria-hidden="true" pointer-events="none">
                    <text class="name" x={x.label.to_string()} y={(y - 3.0).to_string()}>{ format!("#{} {state}", r + 1) }</text>
                    <text class="state" x={x.label.to_string()} y={(y + 11.0).to_string()}>{ format!("{} queued", count(u64::from(view.queued))) }</text>
                </g>
            }
            </>
        }
    });

    let [mut writes, mut reads, mut events] = std::array::from_fn(|_| Marks::default());
    for (carries, m) in snap.messages.iter().take(MAX_DOTS) {
        let p = if props.animate {
            m.progress(snap.now)
        } else {
            0.5
        };
        let marks = match carries {
            Carries::Write => &mut writes,
            Carries::Read => &mut reads,
            Carries::Event => &mut events,
        };
        marks.disc(layout.position(m.from, m.to, p), 3.0);
    }

    // Written right to left from the canvas's edge: on a narrow one it
    // crosses the lane's riser, so the style sheet gives it a halo.
    let waiting = match snap.waiting_reads {
        0 => None,
        1 => Some("1 read waits for its version".to_owned()),
        w => Some(format!("{w} reads wait for their version")),
    };

    let drawing = html! {
        <>
            { line((x.clients + x.clients_r, mid), (x.store, mid)) }
            if read_side {
                { line((x.store + x.store_w, mid), (x.log, mid)) }
                { for fan_out }
                <path class="edge" fill="none" d={lane} />
            }
            <g class="clients" aria-hidden="true">
                <circle cx={x.clients.to_string()} cy={mid.to_string()} r={x.clients_r.to_string()} />
                <text x={x.clients.to_string()} y={(mid + 4.0).to_string()} text-anchor="middle">{ "clients" }</text>
            </g>
            { write_store(&layout, snap, longest) }
            if read_side {
                { event_log(&layout, snap.events, snap.projector.as_ref()) }
                <text x={(x.replica + x.replica_w / 2.0).to_string()} y="14" text-anchor="middle">{ "read model" }</text>
                <text class="state" x={(x.replica + x.replica_w / 2.0).to_string()} y="29" text-anchor="middle">{ "(denormalized)" }</text>
            }
            { for replicas }
            if let Some(words) = waiting {
                <text class="state waiting" x={(x.width - 4.0).to_string()} y={(layout.height - 40.0).to_string()} text-anchor="end">{ words }</text>
            }
            <text class="state" x="6" y={(layout.height - 8.0).to_string()}>{ reads_back(snap) }</text>
            <g aria-hidden="true">
                <path class="dot write" d={writes.path()} />
                <path class="dot read" d={reads.path()} />
                <path class="dot event" d={events.path()} />
            </g>
        </>
    };
    diagram::canvas((x.width, layout.height), props, drawing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_go_straight_to_the_write_model_and_reads_along_the_lane() {
        for narrow in [false, true] {
            let l = Layout::new(3, narrow);
            let end = l.position(Node::Clients, Node::WriteStore, 1.0);
            assert_eq!(end, (l.x.store, l.middle()));
            let read = l.position(Node::Clients, Node::Replica(2), 0.5);
            assert!((read.1 - l.lane()).abs() < 1e-9, "{read:?}");
            let arrived = l.position(Node::Clients, Node::Replica(2), 1.0);
            assert_eq!(arrived, (l.x.replica, l.replica_y(2)));
            let answered = l.position(Node::Replica(2), Node::Clients, 1.0);
            assert_eq!(answered, (l.x.clients, l.middle() + l.x.clients_r));
            let event = l.position(Node::Projector, Node::Replica(0), 1.0);
            assert_eq!(event, (l.x.replica, l.replica_y(0)));
        }
    }

    #[test]
    fn many_replicas_fit_above_the_lane() {
        let l = Layout::new(16, true);
        assert!(l.replica_y(0) > TOP);
        assert!(l.replica_y(15) + l.row / 2.0 <= l.height - BOTTOM + 1e-9);
        assert!(l.middle() + BOX_H / 2.0 + 32.0 < l.lane());
    }
}
