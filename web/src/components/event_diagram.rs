//! The event-driven diagram: the producer, the brokers holding the topic's
//! partitions and the services downstream with their consumers, with events
//! moving along the edges; under them, a replay's progress and the
//! waterfall of one event's trace.
//!
//! With events or polling, the producer publishes to the broker column:
//! its replicas on top (the leader outlined, a follower out of sync hollow,
//! with the records it lacks written under it, a dead one crossed out) and
//! the topic's partitions under them as bars of the first service's lag,
//! red while that service is stuck retrying one of their records. The
//! brokers deliver to the consumers, grouped in a box per service that says
//! its backlog and dims while its group is stopped for a rebalance. Each
//! consumer shows whether it is handling an event (or retrying one that
//! failed), the events buffered for it and the partitions it owns. With
//! synchronous calls there is no broker: the producer calls each service
//! and waits for its reply. Consumers are buttons: choosing one lets a
//! person break it or mend it.
//!
//! The trace draws each stretch of one event's life as a bar on a time
//! axis of its own, and the time it spent waiting as hollow bars, so that
//! queueing reads as the gaps between the work.

use crate::components::diagram::{
    self, CONDITION_KEYS, DiagramProps, Frame, Key, Mark, Marks, Row, Stretch, Waterfall,
};
use archsim_core::Condition;
use archsim_patterns::View;
use archsim_patterns::event_driven::{
    ConsumerView, Integration, Node, ReplayView, ServiceView, Snapshot, SpanKind, Trace,
};
use yew::prelude::*;

/// Where the diagram's columns sit across its canvas, `width` units wide.
struct Columns {
    width: f64,
    producer: f64,
    producer_r: f64,
    /// The left edge and the width of the broker column.
    broker: f64,
    broker_w: f64,
    /// The left edge and the width of the services' boxes.
    service: f64,
    service_w: f64,
}

const WIDE: Columns = Columns {
    width: diagram::WIDE,
    producer: 42.0,
    producer_r: 32.0,
    broker: 100.0,
    broker_w: 150.0,
    service: 290.0,
    service_w: 342.0,
};

const NARROW: Columns = Columns {
    width: diagram::NARROW,
    producer: 35.0,
    producer_r: 33.0,
    broker: 74.0,
    broker_w: 88.0,
    service: 174.0,
    service_w: 220.0,
};
/// Messages drawn at most, so a busy run stays cheap to render.
const MAX_DOTS: usize = 400;
/// Room above and below the producer, the brokers and the services (the
/// brokers' caption sits above their box).
const MARGIN: f64 = 20.0;
/// The height of a service's heading, above its consumers.
const HEADING: f64 = 18.0;
/// Space between two services' boxes.
const GAP: f64 = 8.0;
/// The height of the brokers' replicas, above the partitions: a square and
/// the records it lacks written under it.
const REPLICAS: f64 = 36.0;
/// The height of the line under the partitions that counts dead letters.
const FOOTER: f64 = 18.0;
/// Lines of consumers, over every service, drawn before they are set side
/// by side in columns (up to eight), so that many consumers take a screen
/// or two rather than ten.
const MAX_LINES: usize = 24;
/// The lag that fills a partition's bar at least: each bar is drawn
/// against the most behind partition, and without a floor a healthy
/// topic's lag of a record or two would fill its bars and flicker.
const LAG_FLOOR: u64 = 10;
/// The height of the replay's lines: what it has read, when it caught up,
/// and whether the rebuilt state matches the live one. Always three, so the
/// picture does not jump as they come.
const REPLAY: f64 = 3.0 * 16.0 + 6.0;

/// Properties of [`EventDiagram`].
type Props = DiagramProps<Snapshot>;

/// The diagram of a run's [`View`]: what the pattern's page registers.
pub fn draw(view: &View, frame: Frame) -> Html {
    diagram::draw::<EventDiagram, Snapshot>(view, frame)
}

/// What each mark of the diagram means.
pub fn legend() -> Vec<Key> {
    let disc = |class, text| Key {
        mark: Mark::Disc { group: "", class },
        text,
    };
    let bar = |class, text| Key {
        mark: Mark::Bar(class),
        text,
    };
    let outline = |group, text| Key {
        mark: Mark::Outline(group),
        text,
    };
    [
        disc("dot publish", "event published"),
        disc("dot delivery", "event delivered to a consumer"),
        disc("dot call", "synchronous call"),
        disc("dot reply", "reply"),
        outline("replica leader", "leading broker"),
        outline("replica", "broker in sync"),
        outline(
            "replica lagging",
            "broker out of sync; under a broker, the records it lacks",
        ),
        outline("replica dead", "dead broker"),
        bar(
            "queue",
            "a partition's lag: events the first service has not handled, against the most behind",
        ),
        bar("queue blocked", "… stuck retrying one of them"),
        bar("slot busy", "consumer handling an event"),
        bar("slot retrying", "… retrying one that failed"),
        bar("slot", "idle consumer"),
    ]
    .into_iter()
    .chain(CONDITION_KEYS)
    .chain([
        bar("span network", "trace: on the network"),
        bar("span replication", "copied to the other brokers"),
        bar("span waiting", "waiting"),
        bar("span work", "handled"),
        bar("span failed", "handling failed"),
    ])
    .collect()
}

/// Where everything sits, for the counts of one snapshot.
struct Layout {
    x: &'static Columns,
    /// Where the trace's waterfall sits.
    trace: &'static Waterfall,
    /// Whether the producer calls the services itself, with no broker.
    calls: bool,
    services: usize,
    /// Consumers per service (the snapshot numbers them across services
    /// by this).
    per_service: usize,
    /// Consumers side by side in a service's box, and lines of them.
    columns: usize,
    lines: usize,
    /// The height of a line of consumers.
    line: f64,
    partitions: usize,
    /// The height of a partition's bar and the space under it.
    partition_row: f64,
    /// The height of the producer, brokers and services, above the replay
    /// and the trace.
    topology: f64,
    /// The height of the replay's lines (0 before it starts).
    replay: f64,
    /// Spans of the trace, if there is one.
    spans: Option<usize>,
}

impl Layout {
    fn new(snap: &Snapshot, narrow: bool) -> Self {
        let services = snap.services.len();
        let per_service = snap
            .services
            .iter()
            .map(|s| s.consumers.len())
            .max()
            .unwrap_or(0);
        let columns = [1, 2, 4, 8]
            .into_iter()
            .find(|&k| services * per_service.div_ceil(k) <= MAX_LINES)
            .unwrap_or(8);
        let lines = per_service.div_ceil(columns);
        let line = (300.0 / (services * lines).max(1) as f64).clamp(16.0, 40.0);
        let partitions = snap.partitions.len();
        let partition_row = (240.0 / partitions.max(1) as f64).clamp(7.0, 20.0);
        let mut layout = Layout {
            x: if narrow { &NARROW } else { &WIDE },
            trace: if narrow {
                &Waterfall::NARROW
            } else {
                &Waterfall::WIDE
            },
            calls: snap.integration == Integration::SynchronousCalls,
            services,
            per_service,
            columns,
            lines,
            line,
            partitions,
            partition_row,
            topology: 0.0,
            replay: if snap.replay.is_some() { REPLAY } else { 0.0 },
            spans: snap.trace.as_ref().map(|t| t.spans.len()),
        };
        let services_h = layout.services_h();
        let broker_h = if layout.calls { 0.0 } else { layout.broker_h() };
        layout.topology = services_h.max(broker_h).max(140.0) + 2.0 * MARGIN;
        layout
    }

    /// The whole picture's height.
    fn height(&self) -> f64 {
        self.topology + self.replay + self.spans.map_or(0.0, |n| self.trace_h(n))
    }

    /// The level of the producer, and of the brokers' edges.
    fn middle(&self) -> f64 {
        self.topology / 2.0
    }

    fn service_h(&self) -> f64 {
        HEADING + self.lines as f64 * self.line + 4.0
    }

    fn services_h(&self) -> f64 {
        let n = self.services as f64;
        n * self.service_h() + (n - 1.0).max(0.0) * GAP
    }

    fn service_top(&self, g: usize) -> f64 {
        (self.topology - self.services_h()) / 2.0 + g as f64 * (self.service_h() + GAP)
    }

    /// Consumer `n`'s box: its top left corner and its size.
    fn consumer_cell(&self, n: u32) -> ((f64, f64), (f64, f64)) {
        let per = self.per_service.max(1);
        let (g, c) = (n as usize / per, n as usize % per);
        let (col, row) = (c % self.columns, c / self.columns);
        let cell_w = (self.x.service_w - 8.0) / self.columns as f64;
        (
            (
                self.x.service + 4.0 + col as f64 * cell_w,
                self.service_top(g) + HEADING + row as f64 * self.line,
            ),
            (cell_w - 4.0, self.line - 4.0),
        )
    }

    /// Whether a consumer's box has room for its name and state in words.
    fn labelled(&self) -> bool {
        self.line >= 28.0 && (self.x.service_w - 8.0) / self.columns as f64 >= 110.0
    }

    fn broker_h(&self) -> f64 {
        REPLICAS + self.partitions as f64 * self.partition_row + FOOTER
    }

    fn broker_top(&self) -> f64 {
        (self.topology - self.broker_h()) / 2.0
    }

    /// The top of partition `i`'s bar.
    fn partition_y(&self, i: usize) -> f64 {
        self.broker_top() + REPLICAS + i as f64 * self.partition_row
    }

    /// Where a message between `node` and `other` leaves or reaches `node`.
    fn point(&self, node: Node, other: Node) -> (f64, f64) {
        let x = self.x;
        match node {
            Node::Producer => (x.producer + x.producer_r, self.middle()),
            // The brokers take writes on their left and deliver on their right.
            Node::Broker if other == Node::Producer => (x.broker, self.middle()),
            Node::Broker => (x.broker + x.broker_w, self.middle()),
            Node::Service(g) => (
                x.service,
                self.service_top(g as usize) + self.service_h() / 2.0,
            ),
            Node::Consumer(n) => {
                let ((left, top), (_, h)) = self.consumer_cell(n);
                (left, top + h / 2.0)
            }
        }
    }

    /// Where a message is, `p` of the way from `from` to `to`.
    fn position(&self, from: Node, to: Node, p: f64) -> (f64, f64) {
        let (a, z) = (self.point(from, to), self.point(to, from));
        (a.0 + (z.0 - a.0) * p, a.1 + (z.1 - a.1) * p)
    }

    /// The height of a trace of `spans` spans: its heading, a row each and
    /// its time axis.
    fn trace_h(&self, spans: usize) -> f64 {
        self.trace.height(spans)
    }
}

/// The partitions a consumer owns as its label writes them: numbered from
/// 1, runs joined ("p1–3,p7"), the first three pieces and how many more
/// there are; "idle" when it owns none.
fn owned(partitions: &[u32]) -> String {
    if partitions.is_empty() {
        return "idle".into();
    }
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for &p in partitions {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == p => *end = p,
            _ => runs.push((p, p)),
        }
    }
    let shown: Vec<String> = runs
        .iter()
        .take(3)
        .map(|&(first, last)| {
            if first == last {
                format!("p{}", first + 1)
            } else {
                format!("p{}–{}", first + 1, last + 1)
            }
        })
        .collect();
    let more: u32 = runs
        .iter()
        .skip(3)
        .map(|(first, last)| last - first + 1)
        .sum();
    if more > 0 {
        format!("{} +{more}", shown.join(","))
    } else {
        shown.join(",")
    }
}

/// `n` things, in words: "1 record", "2 records".
fn counted(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Consumer `n` of service `g` in words: its accessible name.
fn consumer_words(n: u32, g: usize, view: &ConsumerView, calls: bool) -> String {
    let work = if calls { "a call" } else { "an event" };
    let doing = if view.retrying {
        format!("retrying {work} that failed")
    } else if view.busy {
        format!("handling {work}")
    } else {
        "idle".into()
    };
    let mut words = format!(
        "Consumer {} (service {}): {}, {doing}",
        n + 1,
        g + 1,
        diagram::condition_name(view.condition)
    );
    if view.buffered > 0 {
        words += &format!(", {} buffered", view.buffered);
    }
    if !calls {
        words += &match view.partitions.as_slice() {
            [] => ", owns no partition".into(),
            [p] => format!(", owns partition {}", p + 1),
            ps => {
                let list: Vec<String> = ps.iter().map(|p| (p + 1).to_string()).collect();
                format!(", owns partitions {}", list.join(", "))
            }
        };
    }
    words
}

/// The brokers' column: the replicas, the partitions and the dead letters,
/// with its accessible description.
fn broker_column(l: &Layout, snap: &Snapshot) -> Html {
    let x = l.x;
    let top = l.broker_top();
    let slot = x.broker_w / snap.brokers.len().max(1) as f64;
    let side = (slot - 8.0).min(14.0);
    let replicas = snap.brokers.iter().enumerate().map(|(i, b)| {
        let centre = x.broker + slot * (i as f64 + 0.5);
        let (left, square_top) = (centre - side / 2.0, top + 6.0);
        let dead = b.condition == Condition::Down;
        html! {
            <g class={classes!("replica", b.leader.then_some("leader"), dead.then_some("dead"), (!dead && !b.in_sync).then_some("lagging"))}>
                <rect class="box" x={left.to_string()} y={square_top.to_string()} width={side.to_string()} height={side.to_string()} rx="2" />
                if dead {
                    <path class="cross" d={format!("M{left:.1} {square_top:.1}l{side:.1} {side:.1}m0 -{side:.1}l-{side:.1} {side:.1}")} />
                } else if b.behind > 0 {
                    <text class="state" x={centre.to_string()} y={(square_top + side + 12.0).to_string()} text-anchor="middle">{ format!("−{}", b.behind) }</text>
                }
            </g>
        }
    });

    let most_behind = snap
        .partitions
        .iter()
        .map(|p| p.lag)
        .max()
        .unwrap_or(0)
        .max(LAG_FLOOR);
    let labelled = l.partition_row >= 12.0;
    let (bar_x, bar_w) = if labelled {
        (x.broker + 24.0, x.broker_w - 24.0 - 34.0)
    } else {
        (x.broker + 6.0, x.broker_w - 12.0)
    };
    let h = (l.partition_row - 3.0).max(2.0);
    let partitions = snap.partitions.iter().enumerate().map(|(i, p)| {
        let y = l.partition_y(i);
        let blocked = p.blocked.then_some("blocked");
        html! {
            <g class="partition">
                if labelled {
                    <text class="state" x={(x.broker + 6.0).to_string()} y={(y + h / 2.0 + 4.0).to_string()}>{ format!("p{}", i + 1) }</text>
                }
                <rect class={classes!("queue-track", blocked)} x={bar_x.to_string()} y={y.to_string()} width={bar_w.to_string()} height={h.to_string()} />
                <rect class={classes!("queue", blocked)} x={bar_x.to_string()} y={y.to_string()} width={(bar_w * diagram::share(p.lag, most_behind)).to_string()} height={h.to_string()} />
                if labelled {
                    <text class="state" x={(x.broker + x.broker_w - 6.0).to_string()} y={(y + h / 2.0 + 4.0).to_string()} text-anchor="end">{ p.lag.to_string() }</text>
                }
            </g>
        }
    });

    let mut words = String::from("Brokers:");
    for (i, b) in snap.brokers.iter().enumerate() {
        let role = if b.leader { "leader" } else { "follower" };
        let state = if b.condition == Condition::Down {
            "dead"
        } else if b.in_sync {
            "in sync"
        } else {
            "out of sync"
        };
        words += &format!(
            " broker {}, {role}, {state}, {} behind;",
            i + 1,
            counted(b.behind, "record", "records")
        );
    }
    for (i, p) in snap.partitions.iter().enumerate() {
        words += &format!(
            " partition {}, {}, {} not yet handled by the first service{};",
            i + 1,
            counted(p.end, "record", "records"),
            p.lag,
            if p.blocked {
                ", which is stuck retrying one"
            } else {
                ""
            }
        );
    }
    words += &format!(
        " {} dead-lettered.",
        counted(snap.dead_letters, "event", "events")
    );

    let bottom = top + l.broker_h();
    html! {
        <g class="broker" role="img" aria-label={words}>
            <text x={(x.broker + x.broker_w / 2.0).to_string()} y={(top - 6.0).to_string()} text-anchor="middle">{ "brokers" }</text>
            <rect class="box" x={x.broker.to_string()} y={top.to_string()} width={x.broker_w.to_string()} height={l.broker_h().to_string()} rx="6" />
            { for replicas }
            { for partitions }
            if snap.dead_letters > 0 {
                <text class="state" x={(x.broker + x.broker_w / 2.0).to_string()} y={(bottom - 5.0).to_string()} text-anchor="middle">{ counted(snap.dead_letters, "dead letter", "dead letters") }</text>
            }
        </g>
    }
}

/// Service `g`'s box around its consumers, which are buttons.
fn service_box(l: &Layout, props: &Props, g: usize, service: &ServiceView) -> Html {
    let x = l.x;
    let top = l.service_top(g);
    let h = l.service_h();
    let labelled = l.labelled();
    let selected = props.selected;
    let consumers = service.consumers.iter().enumerate().map(|(c, view)| {
        let n = (g * l.per_service + c) as u32;
        let ((left, cell_top), (w, cell_h)) = l.consumer_cell(n);
        let is_selected = selected == Some(n);
        let (onclick, onkeydown) = diagram::chooser(&props.on_select, n);
        let side = (cell_h - 6.0).clamp(2.0, 16.0);
        let slot = if view.retrying {
            Some("retrying")
        } else {
            view.busy.then_some("busy")
        };
        let text_x = left + side + 12.0;
        let name = if l.calls {
            format!("#{}", n + 1)
        } else {
            format!("#{} {}", n + 1, owned(&view.partitions))
        };
        let mut state = diagram::condition_name(view.condition);
        if view.retrying {
            state += " · retrying";
        }
        if view.buffered > 0 {
            state += &format!(" · {} buffered", view.buffered);
        }
        // As for the backends, the visible labels sit beside the button,
        // hidden from assistive technology: its accessible name says all.
        html! {
            <>
            <g class={classes!("backend", "consumer", diagram::condition_class(view.condition), is_selected.then_some("selected"))}
               role="button" tabindex="0" aria-label={consumer_words(n, g, view, l.calls)} aria-pressed={is_selected.to_string()}
               {onclick} {onkeydown}>
                <rect class="box" x={left.to_string()} y={cell_top.to_string()} width={w.to_string()} height={cell_h.to_string()} rx="3" />
                <rect class={classes!("slot", slot)} x={(left + 5.0).to_string()} y={(cell_top + (cell_h - side) / 2.0).to_string()} width={side.to_string()} height={side.to_string()} />
            </g>
            if labelled {
                <g class="backend-label" aria-hidden="true" pointer-events="none">
                    <text class="name" x={text_x.to_string()} y={(cell_top + cell_h / 2.0 - 3.0).to_string()}>{ name }</text>
                    <text class="state" x={text_x.to_string()} y={(cell_top + cell_h / 2.0 + 11.0).to_string()}>{ state }</text>
                </g>
            }
            </>
        }
    });
    let (backlog, label) = if l.calls {
        let words = format!("{} waiting", counted(service.backlog, "call", "calls"));
        (
            words.clone(),
            format!("Service {}: {words} for a worker", g + 1),
        )
    } else {
        (
            format!("backlog {}", service.backlog),
            format!(
                "Service {}: {} not yet handled",
                g + 1,
                counted(service.backlog, "event", "events")
            ),
        )
    };
    let label = if service.rebalancing {
        label + "; its consumers are stopped for a rebalance"
    } else {
        label
    };
    html! {
        <g class={classes!("service", service.rebalancing.then_some("rebalancing"))} role="group" aria-label={label}>
            <rect class="box" x={x.service.to_string()} y={top.to_string()} width={x.service_w.to_string()} height={h.to_string()} rx="6" />
            <g aria-hidden="true">
                <text x={(x.service + 8.0).to_string()} y={(top + 13.0).to_string()}>{ format!("service {}", g + 1) }</text>
                <text class="state" x={(x.service + x.service_w - 8.0).to_string()} y={(top + 13.0).to_string()} text-anchor="end">{ backlog }</text>
            </g>
            { for consumers }
            // A group stopped for a rebalance says so across its consumers,
            // which the style sheet dims.
            if service.rebalancing {
                <text class="overlay" aria-hidden="true" pointer-events="none" x={(x.service + x.service_w / 2.0).to_string()}
                    y={(top + HEADING + (h - HEADING) / 2.0 + 4.0).to_string()} text-anchor="middle">{ "rebalancing…" }</text>
            }
        </g>
    }
}

/// The replay's lines, from `top`: how far it has read, when it caught up,
/// and whether the rebuilt state matches the live one.
fn replay_lines(replay: &ReplayView, top: f64) -> Html {
    // The first half of a checksum tells two states apart at a glance; the
    // sign between them compares all of it.
    let hex = |v: u64| format!("0x{:08x}…", v >> 32);
    let lines = [
        Some(format!(
            "Replay: {} of {} records, state as of t = {:.2} s",
            replay.replayed, replay.total, replay.as_of
        )),
        replay
            .caught_up_at
            .map(|t| format!("caught up with the log at t = {t:.2} s")),
        replay.checksums.map(|(live, rebuilt)| {
            let sign = if live == rebuilt { "=" } else { "≠" };
            format!("live state {} {sign} rebuilt {}", hex(live), hex(rebuilt))
        }),
    ];
    html! {
        <g class="replay">
            { for lines.into_iter().enumerate().filter_map(|(i, text)| text.map(|text| html! {
                <text class={classes!((i > 0).then_some("state"))} x="8" y={(top + 16.0 * (i as f64 + 1.0)).to_string()}>{ text }</text>
            })) }
        </g>
    }
}

/// How a kind of span is drawn, and said.
fn span_look(kind: SpanKind) -> (&'static str, &'static str) {
    match kind {
        SpanKind::Network => ("span network", "on the network"),
        SpanKind::Replication => ("span replication", "copied to the other brokers"),
        SpanKind::Waiting => ("span waiting", "waiting"),
        SpanKind::Work => ("span work", "handled"),
        SpanKind::Failed => ("span failed", "handling failed"),
    }
}

/// The trace as a waterfall from `top`: a row per span, its bar from when
/// it started to when it ended on the trace's own time axis.
fn waterfall(l: &Layout, trace: &Trace, top: f64) -> Html {
    let rows: Vec<Row> = trace
        .spans
        .iter()
        .map(|span| {
            let (class, what) = span_look(span.kind);
            Row {
                label: span.label.clone(),
                indent: 0,
                what: what.into(),
                stretches: vec![Stretch {
                    from: span.from,
                    to: span.to,
                    class,
                }],
            }
        })
        .collect();
    let heading = format!(
        "Trace of {} #{}",
        if l.calls { "request" } else { "event" },
        trace.id
    );
    diagram::waterfall(l.trace, &heading, &rows, top)
}

/// The animated diagram.
#[component]
pub(crate) fn EventDiagram(props: &Props) -> Html {
    let snap = &props.snapshot;
    let layout = Layout::new(snap, props.narrow);
    let x = layout.x;
    let mid = layout.middle();

    // Every edge as one path: a run may have hundreds of consumers.
    let segment = |from: Node, to: Node| {
        let (a, z) = (layout.point(from, to), layout.point(to, from));
        format!("M{:.1} {:.1}L{:.1} {:.1}", a.0, a.1, z.0, z.1)
    };
    let to_services =
        |from: Node| (0..layout.services as u32).map(move |g| segment(from, Node::Service(g)));
    let edges: String = if layout.calls {
        to_services(Node::Producer).collect()
    } else if layout.columns > 1 {
        // Consumers set in columns would be hidden behind a thicket of
        // edges: the brokers' edges end at their services' boxes instead.
        std::iter::once(segment(Node::Producer, Node::Broker))
            .chain(to_services(Node::Broker))
            .collect()
    } else {
        let consumers = (0..layout.services * layout.per_service)
            .map(|n| segment(Node::Broker, Node::Consumer(n as u32)));
        std::iter::once(segment(Node::Producer, Node::Broker))
            .chain(consumers)
            .collect()
    };

    let services = snap
        .services
        .iter()
        .enumerate()
        .map(|(g, service)| service_box(&layout, props, g, service));

    let [mut publishes, mut deliveries, mut calls, mut replies] =
        std::array::from_fn(|_| Marks::default());
    for m in snap.messages.iter().take(MAX_DOTS) {
        let p = if props.animate {
            m.progress(snap.now)
        } else {
            0.5
        };
        // What goes back to the producer answers it; what it sends is a
        // call to a service or an event for the brokers; the rest is the
        // brokers' deliveries to the consumers.
        let marks = match (m.from, m.to) {
            (_, Node::Producer) => &mut replies,
            (Node::Producer, Node::Service(_)) => &mut calls,
            (Node::Producer, _) => &mut publishes,
            _ => &mut deliveries,
        };
        marks.disc(layout.position(m.from, m.to, p), 3.0);
    }

    let replay = snap
        .replay
        .as_ref()
        .map(|r| replay_lines(r, layout.topology));
    let trace = snap
        .trace
        .as_ref()
        .map(|t| waterfall(&layout, t, layout.topology + layout.replay));

    let drawing = html! {
        <>
            <path class="edge" fill="none" d={edges} />
            <g class="producer" aria-hidden="true">
                <circle cx={x.producer.to_string()} cy={mid.to_string()} r={x.producer_r.to_string()} />
                <text x={x.producer.to_string()} y={(mid + 4.0).to_string()} text-anchor="middle">{ "producer" }</text>
            </g>
            if !layout.calls {
                { broker_column(&layout, snap) }
            }
            { for services }
            <g aria-hidden="true">
                <path class="dot publish" d={publishes.path()} />
                <path class="dot delivery" d={deliveries.path()} />
                <path class="dot call" d={calls.path()} />
                <path class="dot reply" d={replies.path()} />
            </g>
            { replay }
            { trace }
        </>
    };
    diagram::canvas((x.width, layout.height()), props, drawing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use archsim_core::SimTime;
    use archsim_patterns::event_driven::{BrokerView, PartitionView, Span};

    fn snapshot(integration: Integration, services: usize, consumers: usize) -> Snapshot {
        let consumer = ConsumerView {
            condition: Condition::Up,
            busy: false,
            buffered: 0,
            partitions: Vec::new(),
            retrying: false,
        };
        Snapshot {
            now: SimTime::ZERO,
            integration,
            brokers: vec![
                BrokerView {
                    condition: Condition::Up,
                    leader: true,
                    in_sync: true,
                    behind: 0,
                };
                3
            ],
            partitions: vec![
                PartitionView {
                    end: 0,
                    lag: 0,
                    blocked: false,
                };
                4
            ],
            services: vec![
                ServiceView {
                    consumers: vec![consumer; consumers],
                    backlog: 0,
                    rebalancing: false,
                };
                services
            ],
            messages: Vec::new(),
            dead_letters: 0,
            replay: None,
            trace: None,
        }
    }

    fn near(a: (f64, f64), b: (f64, f64)) -> bool {
        (a.0 - b.0).abs() < 1e-9 && (a.1 - b.1).abs() < 1e-9
    }

    #[test]
    fn events_go_through_the_brokers_and_calls_straight_to_the_services() {
        for narrow in [false, true] {
            let l = Layout::new(&snapshot(Integration::Events, 2, 3), narrow);
            let producer = (l.x.producer + l.x.producer_r, l.middle());
            assert_eq!(l.position(Node::Producer, Node::Broker, 0.0), producer);
            let written = l.position(Node::Producer, Node::Broker, 1.0);
            assert!(near(written, (l.x.broker, l.middle())));
            let delivered = l.position(Node::Broker, Node::Consumer(4), 1.0);
            let ((left, top), (_, h)) = l.consumer_cell(4);
            assert!(near(delivered, (left, top + h / 2.0)));
            // Consumer 4 is the second service's second.
            assert!(top > l.service_top(1) && top < l.service_top(1) + l.service_h());

            let l = Layout::new(&snapshot(Integration::SynchronousCalls, 2, 3), narrow);
            let called = l.position(Node::Producer, Node::Service(1), 1.0);
            assert!((called.0 - l.x.service).abs() < 1e-9);
            assert!(near(
                l.position(Node::Service(1), Node::Producer, 0.0),
                called
            ));
        }
    }

    #[test]
    fn many_consumers_are_set_in_columns_inside_the_picture() {
        let l = Layout::new(&snapshot(Integration::Events, 6, 32), false);
        assert_eq!((l.columns, l.services * l.lines), (8, MAX_LINES));
        let mut snap = snapshot(Integration::Events, 6, 64);
        snap.partitions = vec![snap.partitions[0].clone(); 64];
        snap.replay = Some(ReplayView {
            replayed: 1,
            total: 2,
            as_of: 1.0,
            caught_up_at: None,
            checksums: None,
        });
        snap.trace = Some(Trace {
            id: 7,
            spans: vec![
                Span {
                    label: "publish".into(),
                    kind: SpanKind::Network,
                    from: 1.0,
                    to: 1.001,
                };
                5
            ],
        });
        for narrow in [false, true] {
            let l = Layout::new(&snap, narrow);
            assert!(l.height() > l.topology + REPLAY);
            for n in [0, 63, 64 * 6 - 1] {
                let ((left, top), (w, h)) = l.consumer_cell(n);
                assert!(left >= l.x.service && left + w <= l.x.service + l.x.service_w);
                assert!(top > 0.0 && top + h < l.topology);
            }
            assert!(l.broker_top() > 0.0 && l.broker_top() + l.broker_h() < l.topology);
        }
    }

    #[test]
    fn owned_partitions_are_written_short() {
        assert_eq!(owned(&[]), "idle");
        assert_eq!(owned(&[0, 2]), "p1,p3");
        assert_eq!(owned(&[0, 1, 2, 5]), "p1–3,p6");
        assert_eq!(owned(&[0, 2, 4, 6, 8, 9]), "p1,p3,p5 +3");
    }
}
