//! The microservices diagram: the users, the shop's services (or the one
//! monolith) and its databases, with calls and answers moving along the
//! edges; under them, the waterfall of the last page's trace.
//!
//! Under microservices the graph is drawn in tiers, callers above their
//! callees: the users and the gateway; orders and recommendations; then
//! shipping, payments and inventory, which both orders and recommendations
//! call for stock. Each service is a box with its condition, its replicas,
//! its workers and its queue, and — with a store per service — its own
//! store's connections under them; a shared database (or, with stores of
//! their own, the reporting store) is the wide box at the bottom. A breaker
//! that is open or half-open cuts its edge, with a mark and a word where
//! it sits. The stock locks held and waited for, and two-phase commits in
//! doubt, are written above the databases, and the pages being served
//! under the users. Under the monolith one box holds every function, with
//! the workers of all its replicas, over the one database.
//!
//! Services are buttons: choosing one lets a person break it, slow it or
//! mend it. The monolith's modules are buttons too, since a fault in any
//! of them is the whole monolith's.
//!
//! The trace draws each call the last checkout made as a row, indented by
//! its depth of calls, on one time axis: the time it waited (for a worker,
//! a connection or a lock) hollow, so that queueing reads as the gap before
//! the work.

use crate::components::diagram::{
    self, CONDITION_KEYS, DiagramProps, Frame, Key, Mark, Marks, Row, Stretch, Waterfall, count,
};
use archsim_patterns::View;
use archsim_patterns::microservices::{
    Architecture, BreakerState, Carries, DeployableView, Node, Op, Page, SERVICES, Service,
    Snapshot, Span, StoreView, TraceView, Transaction,
};
use yew::prelude::*;

/// Room at the canvas's edges.
const MARGIN: f64 = 8.0;
/// Space between a column's edge and its box.
const INSET: f64 = 6.0;
/// Space between two tiers of services: their edges, and the breakers'
/// marks on them.
const GAP: f64 = 34.0;
/// The height of a service's box: its name, condition, replicas, workers
/// and queue...
const BOX_H: f64 = 68.0;
/// ... and of its own store's connections under them.
const STORE_H: f64 = 24.0;
/// The radius of the users' circle.
const USERS_R: f64 = 20.0;
/// Where the monolith's modules start below its top, and the height of a
/// line of them.
const MODULES: f64 = 70.0;
const MODULE_ROW: f64 = 30.0;
/// The height of the lines about locks and commits in doubt.
const NOTES: f64 = 36.0;
/// The height of the database's box.
const DB_H: f64 = 44.0;
/// Worker slots drawn at most per service, and connections per database;
/// more show their busy share.
const MAX_SLOTS: u32 = 16;
const MAX_DB_SLOTS: u32 = 32;
/// Messages drawn at most, so a busy run stays cheap to render.
const MAX_DOTS: usize = 400;
/// A trace's labels — service, call, milliseconds, indented by depth —
/// are longer than event-driven's: its bars start further right.
const TRACE_WIDE: Waterfall = Waterfall {
    bars: 260.0,
    ..Waterfall::WIDE
};

/// Properties of [`MicroservicesDiagram`].
type Props = DiagramProps<Snapshot>;

/// The diagram of a run's [`View`]: what the pattern's page registers.
pub fn draw(view: &View, frame: Frame) -> Html {
    diagram::draw::<MicroservicesDiagram, Snapshot>(view, frame)
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
    [
        disc("dot call", "call"),
        disc("dot answer", "answer, served"),
        disc("dot failed", "answer, failed"),
        disc("dot commit", "two-phase commit's decision: commit"),
        disc("dot abort", "… abort"),
        Key {
            mark: Mark::Disc {
                group: "breaker open",
                class: "mark",
            },
            text: "circuit breaker open on that call: it fails at once",
        },
        Key {
            mark: Mark::Disc {
                group: "breaker half-open",
                class: "mark",
            },
            text: "breaker half-open: a few trial calls go through",
        },
        bar("slot busy", "busy worker; under “store”, busy connection"),
        bar("slot", "idle worker or connection"),
        bar("queue", "queue, against the longest drawn"),
        Key {
            mark: Mark::Outline("backend up"),
            text: "service: its condition, ×replicas and calls queued",
        },
    ]
    .into_iter()
    .chain(CONDITION_KEYS)
    .chain([
        Key {
            mark: Mark::Outline("module"),
            text: "module of the monolith: breaking one breaks it all",
        },
        bar("span work", "trace: a call, from its arrival to its answer"),
        bar(
            "span waiting",
            "… the part of it spent waiting for a worker, a connection or a lock",
        ),
        bar("span failed", "… a call that failed (✕)"),
    ])
    .collect()
}

/// A box on the canvas.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Rect {
    left: f64,
    top: f64,
    w: f64,
    h: f64,
}

impl Rect {
    fn cx(self) -> f64 {
        self.left + self.w / 2.0
    }
    fn mid(self) -> f64 {
        self.top + self.h / 2.0
    }
    fn right(self) -> f64 {
        self.left + self.w
    }
    fn bottom(self) -> f64 {
        self.top + self.h
    }
}

/// Where everything sits, for one snapshot's architecture and stores.
struct Layout {
    width: f64,
    split: bool,
    /// The width of one of the three columns of services.
    col: f64,
    /// The height of a service's box below the gateway's tier.
    box_h: f64,
    /// The tops of the three tiers of services.
    tiers: [f64; 3],
    /// Modules of the monolith side by side.
    module_cols: usize,
    /// The top of the lines about locks, and of the database's box.
    notes: f64,
    db: f64,
    /// The height of the graph, above the trace.
    graph: f64,
    trace: &'static Waterfall,
    /// Spans of the trace, if there is one.
    spans: Option<usize>,
}

impl Layout {
    fn new(snap: &Snapshot, narrow: bool) -> Self {
        let width = if narrow {
            diagram::NARROW
        } else {
            diagram::WIDE
        };
        let split = snap.architecture == Architecture::Microservices;
        let own_stores = snap.stores.iter().any(|s| s.owner.is_some());
        let box_h = BOX_H + if own_stores { STORE_H } else { 0.0 };
        let module_cols = if narrow { 2 } else { 3 };
        let tier1 = MARGIN + BOX_H + GAP;
        let tiers = [MARGIN, tier1, tier1 + box_h + GAP];
        let mut layout = Layout {
            width,
            split,
            col: (width - 2.0 * MARGIN) / 3.0,
            box_h,
            tiers,
            module_cols,
            notes: 0.0,
            db: 0.0,
            graph: 0.0,
            trace: if narrow {
                &Waterfall::NARROW
            } else {
                &TRACE_WIDE
            },
            spans: snap.trace.as_ref().map(|t| t.spans.len()),
        };
        let above = if split {
            tiers[2] + box_h
        } else {
            layout.monolith().bottom()
        };
        layout.notes = above + 6.0;
        layout.db = layout.notes + NOTES;
        layout.graph = layout.db + DB_H + MARGIN;
        layout
    }

    /// The whole picture's height.
    fn height(&self) -> f64 {
        self.graph + self.spans.map_or(0.0, |n| self.trace.height(n))
    }

    /// The box in column `col` (0 to 2) of tier `tier`.
    fn cell(&self, col: usize, tier: usize) -> Rect {
        Rect {
            left: MARGIN + col as f64 * self.col + INSET,
            top: self.tiers[tier],
            w: self.col - 2.0 * INSET,
            h: if tier == 0 { BOX_H } else { self.box_h },
        }
    }

    /// A service's box: callers above their callees, recommendations over
    /// inventory, which both it and orders call.
    fn service(&self, s: Service) -> Rect {
        let (col, tier) = match s {
            Service::Gateway => (1, 0),
            Service::Orders => (0, 1),
            Service::Recommendations => (2, 1),
            Service::Shipping => (0, 2),
            Service::Payments => (1, 2),
            Service::Inventory => (2, 2),
        };
        self.cell(col, tier)
    }

    /// The centre of the users' circle, in the first column beside the
    /// gateway (or the monolith).
    fn users(&self) -> (f64, f64) {
        (MARGIN + self.col / 2.0, MARGIN + 30.0)
    }

    /// The monolith's box: from the second column to the canvas's edge,
    /// tall enough for its modules.
    fn monolith(&self) -> Rect {
        let left = MARGIN + self.col + INSET;
        let lines = SERVICES.len().div_ceil(self.module_cols);
        Rect {
            left,
            top: MARGIN,
            w: self.width - MARGIN - left,
            h: MODULES + lines as f64 * MODULE_ROW + 4.0,
        }
    }

    /// Module `i`'s box inside the monolith.
    fn module(&self, i: usize) -> Rect {
        let m = self.monolith();
        let w = (m.w - 12.0) / self.module_cols as f64;
        Rect {
            left: m.left + 6.0 + (i % self.module_cols) as f64 * w + 2.0,
            top: m.top + MODULES + (i / self.module_cols) as f64 * MODULE_ROW,
            w: w - 4.0,
            h: MODULE_ROW - 4.0,
        }
    }

    /// The database's box, across the bottom of the graph.
    fn database(&self) -> Rect {
        Rect {
            left: MARGIN,
            top: self.db,
            w: self.width - 2.0 * MARGIN,
            h: DB_H,
        }
    }

    /// The box a node is drawn as.
    fn rect(&self, node: Node) -> Rect {
        match node {
            Node::Users => {
                let (cx, cy) = self.users();
                Rect {
                    left: cx - USERS_R,
                    top: cy - USERS_R,
                    w: 2.0 * USERS_R,
                    h: 2.0 * USERS_R,
                }
            }
            Node::Service(s) => self.service(s),
            Node::Monolith => self.monolith(),
        }
    }

    /// The edge from a caller to its callee, if the graph draws one.
    fn edge(&self, from: Node, to: Node) -> Option<[(f64, f64); 2]> {
        let (cx, cy) = self.users();
        let s = |s| self.service(s);
        Some(match (from, to) {
            (Node::Users, Node::Service(Service::Gateway) | Node::Monolith) => {
                [(cx + USERS_R, cy), (self.rect(to).left, cy)]
            }
            (Node::Service(a), Node::Service(b)) => {
                let (from, to) = (s(a), s(b));
                let down = |dx: f64, into: f64| {
                    [(from.cx() + dx, from.bottom()), (to.cx() + into, to.top)]
                };
                match (a, b) {
                    (Service::Gateway, Service::Orders) => down(-24.0, 0.0),
                    (Service::Gateway, Service::Recommendations) => down(24.0, 0.0),
                    (Service::Orders, Service::Recommendations) => {
                        [(from.right(), from.mid()), (to.left, to.mid())]
                    }
                    (Service::Orders, Service::Shipping) => down(0.0, 0.0),
                    (Service::Orders, Service::Payments) => down(24.0, 0.0),
                    (Service::Orders, Service::Inventory) => [
                        (from.right() - 8.0, from.bottom()),
                        (to.cx() - 24.0, to.top),
                    ],
                    (Service::Recommendations, Service::Inventory) => down(0.0, 0.0),
                    _ => return None,
                }
            }
            _ => return None,
        })
    }

    /// The waypoints of a message from `from` to `to`: along the edge
    /// between them, either way (answers retrace their calls); centre to
    /// centre between parties the graph does not join.
    fn route(&self, from: Node, to: Node) -> Vec<(f64, f64)> {
        if let Some(edge) = self.edge(from, to) {
            return edge.to_vec();
        }
        if let Some([a, z]) = self.edge(to, from) {
            return vec![z, a];
        }
        let (a, z) = (self.rect(from), self.rect(to));
        vec![(a.cx(), a.mid()), (z.cx(), z.mid())]
    }

    /// Where a message is, `p` of the way along its path.
    fn position(&self, from: Node, to: Node, p: f64) -> (f64, f64) {
        diagram::along(&self.route(from, to), p)
    }
}

/// The calls the graph draws as edges, caller first.
const CALLS: [(Service, Service); 7] = [
    (Service::Gateway, Service::Orders),
    (Service::Gateway, Service::Recommendations),
    (Service::Orders, Service::Recommendations),
    (Service::Orders, Service::Shipping),
    (Service::Orders, Service::Payments),
    (Service::Orders, Service::Inventory),
    (Service::Recommendations, Service::Inventory),
];

/// What a call asks, in a trace's labels.
fn op_name(op: Op) -> &'static str {
    match op {
        Op::Page(Page::Checkout) => "checkout page",
        Op::Page(Page::Browse) => "product page",
        Op::Place => "place order",
        Op::Reserve => "reserve",
        Op::Release => "release",
        Op::Stock => "stock",
        Op::Charge => "charge",
        Op::Refund => "refund",
        Op::Quote => "quote",
        Op::Suggest => "suggest",
    }
}

/// A span's row of the waterfall: who served what, in how long (✕ if it
/// failed), indented by its depth; its waited part first, hollow.
fn span_row(span: &Span) -> Row {
    let who = span.service.map_or("monolith", Service::name);
    let took = span.end - span.start;
    let waited = span.waited.clamp(0.0, took.max(0.0));
    let mut label = format!("{who} {} · {}", op_name(span.op), diagram::duration(took));
    if !span.ok {
        label += " ✕";
    }
    let split = span.start + waited;
    let waiting = (waited > 0.0).then_some(Stretch {
        from: span.start,
        to: split,
        class: "span waiting",
    });
    let work = Stretch {
        from: split,
        to: span.end,
        class: if span.ok { "span work" } else { "span failed" },
    };
    Row {
        label,
        indent: span.depth,
        what: format!(
            "{}, {} of it waiting",
            if span.ok { "answered" } else { "failed" },
            diagram::duration(waited)
        ),
        stretches: waiting.into_iter().chain([work]).collect(),
    }
}

/// The trace's heading: which page, when, how long, and how it ended.
fn trace_heading(trace: &TraceView) -> String {
    format!(
        "Last {}, at t = {:.2} s: {}, {}",
        match trace.page {
            Page::Checkout => "checkout",
            Page::Browse => "product page",
        },
        trace.at.as_secs_f64(),
        diagram::duration(trace.took),
        if trace.ok { "served" } else { "failed" }
    )
}

/// The lines about the stock locks and the commits in doubt, if there is
/// anything to say.
fn lock_notes(snap: &Snapshot) -> (Option<String>, Option<String>) {
    let (held, waiting) = snap.locks;
    let how = match (snap.architecture, snap.transaction) {
        (Architecture::Monolith, _) => "one local transaction",
        (_, Transaction::TwoPhaseCommit) => "two-phase commit",
        (_, Transaction::Saga) => "saga",
    };
    let locks = (held > 0 || waiting > 0).then(|| {
        format!(
            "{how}: {held} stock {} held, {waiting} waiting",
            if held == 1 { "lock" } else { "locks" }
        )
    });
    let doubt = (snap.in_doubt > 0).then(|| {
        format!(
            "{} in doubt, holding their locks",
            match snap.in_doubt {
                1 => "1 commit".to_owned(),
                n => format!("{n} commits"),
            }
        )
    });
    (locks, doubt)
}

/// A deployable's work inside `r`: its workers and its queue, and its own
/// store's connections under them, if it has one.
fn work(r: Rect, view: &DeployableView, store: Option<&StoreView>, longest: u32) -> Html {
    let (slots, busy) = diagram::slots_drawn(view.busy, view.workers, MAX_SLOTS);
    let (x, w) = (r.left + 6.0, r.w - 12.0);
    let store = store.map(|s| {
        let (slots, busy) = diagram::slots_drawn(s.busy, s.connections, MAX_SLOTS);
        diagram::worker_slots(slots, busy, (x, r.top + BOX_H + 13.0), w, 6.0)
    });
    html! {
        <>
            { diagram::worker_slots(slots, busy, (x, r.top + 46.0), w, 9.0) }
            { diagram::queue_bar(view.queued, longest, (x, r.top + 58.0), w, 5.0) }
            { store }
        </>
    }
}

/// A deployable's words in its box: its name, condition, replicas and
/// queue, and its store's queue.
fn words_in(r: Rect, name: &str, view: &DeployableView, store: Option<&StoreView>) -> Html {
    let x = (r.left + 6.0).to_string();
    html! {
        <g class="backend-label" aria-hidden="true" pointer-events="none">
            <text class="name" x={x.clone()} y={(r.top + 14.0).to_string()}>{ name.to_owned() }</text>
            <text class="state" x={x.clone()} y={(r.top + 28.0).to_string()}>{ diagram::condition_name(view.condition) }</text>
            <text class="state" x={x.clone()} y={(r.top + 41.0).to_string()}>{ format!("×{} · {} queued", view.replicas, count(u64::from(view.queued))) }</text>
            if let Some(s) = store {
                <text class="state" {x} y={(r.top + BOX_H + 9.0).to_string()}>{ format!("store · {} queued", count(u64::from(s.queued))) }</text>
            }
        </g>
    }
}

/// A deployable in words: its accessible name.
fn deployable_words(view: &DeployableView, store: Option<&StoreView>) -> String {
    let mut words = format!(
        "{}: {}, {} {}, {} of {} workers busy, {} queued",
        match view.service {
            Some(s) => format!("Service {} ({})", s.index() + 1, s.name()),
            None => "The monolith".into(),
        },
        diagram::condition_name(view.condition),
        view.replicas,
        if view.replicas == 1 {
            "replica"
        } else {
            "replicas"
        },
        view.busy,
        view.workers,
        view.queued
    );
    if let Some(s) = store {
        words += &format!(
            "; its store: {} of {} connections busy, {} queued",
            s.busy, s.connections, s.queued
        );
    }
    words
}

/// A service's box, a button for its faults.
fn service_box(l: &Layout, props: &Props, s: Service, view: &DeployableView, longest: u32) -> Html {
    let r = l.service(s);
    let store = props.snapshot.stores.iter().find(|st| st.owner == Some(s));
    let id = s.index() as u32;
    let is_selected = props.selected == Some(id);
    let (onclick, onkeydown) = diagram::chooser(&props.on_select, id);
    // As for the other diagrams' servers, the visible labels sit over the
    // button, hidden from assistive technology: its accessible name says
    // all.
    html! {
        <>
            <g class={classes!("backend", diagram::condition_class(view.condition), is_selected.then_some("selected"))}
               role="button" tabindex="0" aria-label={deployable_words(view, store)} aria-pressed={is_selected.to_string()}
               {onclick} {onkeydown}>
                <rect class="box" x={r.left.to_string()} y={r.top.to_string()} width={r.w.to_string()} height={r.h.to_string()} rx="5" />
                { work(r, view, store, longest) }
            </g>
            { words_in(r, s.name(), view, store) }
        </>
    }
}

/// The monolith's box: its workers and queue, and its modules, each a
/// button for the faults of that function, which are the monolith's.
fn monolith_box(l: &Layout, props: &Props, view: &DeployableView, longest: u32) -> Html {
    let r = l.monolith();
    let modules = SERVICES.iter().enumerate().map(|(i, s)| {
        let m = l.module(i);
        let id = i as u32;
        let is_selected = props.selected == Some(id);
        let (onclick, onkeydown) = diagram::chooser(&props.on_select, id);
        let label = format!(
            "Module {} ({}) of the monolith: a fault in it is the whole monolith's",
            i + 1,
            s.name()
        );
        html! {
            <g class={classes!("backend", "module", is_selected.then_some("selected"))}
               role="button" tabindex="0" aria-label={label} aria-pressed={is_selected.to_string()}
               {onclick} {onkeydown}>
                <rect class="box" x={m.left.to_string()} y={m.top.to_string()} width={m.w.to_string()} height={m.h.to_string()} rx="3" />
                <text class="state" aria-hidden="true" pointer-events="none" x={m.cx().to_string()} y={(m.mid() + 4.0).to_string()} text-anchor="middle">{ s.name() }</text>
            </g>
        }
    });
    html! {
        <>
            <g class={classes!("backend", "monolith", diagram::condition_class(view.condition))}
               role="img" aria-label={deployable_words(view, None)}>
                <rect class="box" x={r.left.to_string()} y={r.top.to_string()} width={r.w.to_string()} height={r.h.to_string()} rx="6" />
                { work(r, view, None, longest) }
            </g>
            { words_in(r, "monolith", view, None) }
            { for modules }
        </>
    }
}

/// The database at the bottom: the shared one (the monolith's), or the
/// reporting store beside the services' own.
fn database_box(l: &Layout, snap: &Snapshot) -> Html {
    let Some(store) = snap.stores.iter().rev().find(|s| s.owner.is_none()) else {
        return Html::default();
    };
    let r = l.database();
    let name = match (snap.architecture, snap.stores.len()) {
        (Architecture::Monolith, _) => "database",
        (_, 1) => "shared database",
        _ => "reporting store",
    };
    let (slots, busy) = diagram::slots_drawn(store.busy, store.connections, MAX_DB_SLOTS);
    let state = format!(
        "{}/{} connections · {} queued",
        store.busy,
        store.connections,
        count(u64::from(store.queued))
    );
    let words = format!(
        "The {name}: {} of {} connections busy, {} queued",
        store.busy, store.connections, store.queued
    );
    html! {
        <g class="database" role="img" aria-label={words}>
            <rect class="box" x={r.left.to_string()} y={r.top.to_string()} width={r.w.to_string()} height={r.h.to_string()} rx="6" />
            <g aria-hidden="true">
                <text class="name" x={(r.left + 8.0).to_string()} y={(r.top + 15.0).to_string()}>{ name }</text>
                <text class="state" x={(r.right() - 8.0).to_string()} y={(r.top + 15.0).to_string()} text-anchor="end">{ state }</text>
            </g>
            { diagram::worker_slots(slots, busy, (r.left + 8.0, r.top + 24.0), r.w - 16.0, 10.0) }
        </g>
    }
}

/// The lines from the services that query the shared database (or from
/// the monolith) down to it; orders, above shipping, goes down beside it.
fn store_edges(l: &Layout, snap: &Snapshot) -> String {
    let db = l.database().top;
    if !l.split {
        let m = l.monolith();
        return format!("M{:.1} {:.1}V{db:.1}", m.cx(), m.bottom());
    }
    if snap.stores.len() > 1 {
        return String::new();
    }
    SERVICES
        .iter()
        .filter(|s| s.query().is_some())
        .map(|&s| {
            let r = l.service(s);
            if s == Service::Orders {
                let x = r.left - INSET - 1.0;
                format!("M{:.1} {:.1}H{x:.1}V{db:.1}", r.left, r.mid())
            } else {
                format!("M{:.1} {:.1}V{db:.1}", r.cx(), r.bottom())
            }
        })
        .collect()
}

/// The animated diagram.
#[component]
pub(crate) fn MicroservicesDiagram(props: &Props) -> Html {
    let snap = &props.snapshot;
    let layout = Layout::new(snap, props.narrow);
    let (ux, uy) = layout.users();

    let segment = |[a, z]: [(f64, f64); 2]| format!("M{:.1} {:.1}L{:.1} {:.1}", a.0, a.1, z.0, z.1);
    let first = if layout.split {
        Node::Service(Service::Gateway)
    } else {
        Node::Monolith
    };
    let edges: String = std::iter::once((Node::Users, first))
        .chain(
            CALLS
                .iter()
                .filter(|_| layout.split)
                .map(|&(a, b)| (Node::Service(a), Node::Service(b))),
        )
        .filter_map(|(a, b)| layout.edge(a, b))
        .map(segment)
        .collect();

    // Never shorter than a service's workers, so that the first call
    // waiting does not fill a bar.
    let longest = snap
        .deployables
        .iter()
        .map(|d| d.queued.max(d.workers))
        .max()
        .unwrap_or(0);
    let boxes = snap.deployables.iter().map(|d| match d.service {
        Some(s) => service_box(&layout, props, s, d, longest),
        None => monolith_box(&layout, props, d, longest),
    });

    let breakers = snap.breakers.iter().map(|b| {
        let route = layout.route(Node::Service(b.from), Node::Service(b.to));
        let (x, y) = diagram::along(&route, 0.5);
        let (class, word) = match b.state {
            BreakerState::HalfOpen => ("half-open", "half-open"),
            _ => ("open", "open"),
        };
        let label = format!(
            "The breaker on {}'s calls to {} is {word}",
            b.from.name(),
            b.to.name()
        );
        html! {
            <g class={classes!("breaker", class)} role="img" aria-label={label}>
                <path class={classes!("edge", "cut")} fill="none" d={route.windows(2).map(|w| segment([w[0], w[1]])).collect::<String>()} />
                <circle class="mark" cx={x.to_string()} cy={y.to_string()} r="6" />
                <text class="state note" aria-hidden="true" x={(x + 9.0).to_string()} y={(y - 5.0).to_string()}>{ word }</text>
            </g>
        }
    });

    let [mut calls, mut answers, mut failed, mut commits, mut aborts] =
        std::array::from_fn(|_| Marks::default());
    for (carries, m) in snap.messages.iter().take(MAX_DOTS) {
        let p = if props.animate {
            m.progress(snap.now)
        } else {
            0.5
        };
        let at = layout.position(m.from, m.to, p);
        match carries {
            Carries::Call(_) => calls.disc(at, 3.0),
            Carries::Answer(true) => answers.disc(at, 3.0),
            Carries::Answer(false) => failed.disc(at, 4.0),
            Carries::Decision(true) => commits.disc(at, 4.5),
            Carries::Decision(false) => aborts.disc(at, 4.5),
        }
    }

    let (locks, doubt) = lock_notes(snap);
    let notes_x = (layout.width - MARGIN).to_string();
    let in_flight = match snap.in_flight {
        1 => "1 page".to_owned(),
        n => format!("{} pages", count(u64::from(n))),
    };
    let trace = snap.trace.as_ref().map(|t| {
        let rows: Vec<Row> = t.spans.iter().map(span_row).collect();
        diagram::waterfall(layout.trace, &trace_heading(t), &rows, layout.graph)
    });

    let drawing = html! {
        <>
            <path class="edge" fill="none" d={edges} />
            <path class="edge store" fill="none" d={store_edges(&layout, snap)} />
            <g class="clients" role="img" aria-label={format!("Users: {in_flight} being served")}>
                <circle cx={ux.to_string()} cy={uy.to_string()} r={USERS_R.to_string()} />
                <g aria-hidden="true">
                    <text x={ux.to_string()} y={(uy + 4.0).to_string()} text-anchor="middle">{ "users" }</text>
                    <text class="state" x={ux.to_string()} y={(uy + USERS_R + 14.0).to_string()} text-anchor="middle">{ in_flight }</text>
                    <text class="state" x={ux.to_string()} y={(uy + USERS_R + 27.0).to_string()} text-anchor="middle">{ "in flight" }</text>
                </g>
            </g>
            { for boxes }
            { for breakers }
            if let Some(words) = locks {
                <text class="state note" x={notes_x.clone()} y={(layout.notes + 13.0).to_string()} text-anchor="end">{ words }</text>
            }
            if let Some(words) = doubt {
                <text class="state note in-doubt" x={notes_x} y={(layout.notes + 28.0).to_string()} text-anchor="end">{ words }</text>
            }
            { database_box(&layout, snap) }
            <g aria-hidden="true">
                <path class="dot call" d={calls.path()} />
                <path class="dot answer" d={answers.path()} />
                <path class="dot failed" d={failed.path()} />
                <path class="dot commit" d={commits.path()} />
                <path class="dot abort" d={aborts.path()} />
            </g>
            { trace }
        </>
    };
    diagram::canvas((layout.width, layout.height()), props, drawing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use archsim_core::{Condition, SimTime};

    fn deployable(service: Option<Service>) -> DeployableView {
        DeployableView {
            service,
            condition: Condition::Up,
            replicas: 1,
            busy: 0,
            workers: 8,
            queued: 0,
        }
    }

    fn store(owner: Option<Service>) -> StoreView {
        StoreView {
            owner,
            busy: 0,
            connections: 10,
            queued: 0,
        }
    }

    fn snapshot(architecture: Architecture, own_stores: bool) -> Snapshot {
        let split = architecture == Architecture::Microservices;
        let deployables = if split {
            SERVICES.iter().map(|&s| deployable(Some(s))).collect()
        } else {
            vec![deployable(None)]
        };
        let stores = if own_stores {
            SERVICES
                .iter()
                .filter(|s| s.query().is_some())
                .map(|&s| store(Some(s)))
                .chain([store(None)])
                .collect()
        } else {
            vec![store(None)]
        };
        Snapshot {
            now: SimTime::ZERO,
            architecture,
            transaction: Transaction::Saga,
            deployables,
            stores,
            breakers: Vec::new(),
            locks: (0, 0),
            in_doubt: 0,
            in_flight: 0,
            messages: Vec::new(),
            trace: None,
        }
    }

    fn inside(r: Rect, width: f64, bottom: f64) -> bool {
        r.left >= 0.0 && r.right() <= width && r.top >= 0.0 && r.bottom() <= bottom
    }

    fn overlap(a: Rect, b: Rect) -> bool {
        a.left < b.right() && b.left < a.right() && a.top < b.bottom() && b.top < a.bottom()
    }

    #[test]
    fn services_sit_in_tiers_apart_and_above_the_database() {
        for narrow in [false, true] {
            for own in [false, true] {
                let l = Layout::new(&snapshot(Architecture::Microservices, own), narrow);
                let db = l.database();
                assert!(inside(db, l.width, l.graph));
                for (i, &a) in SERVICES.iter().enumerate() {
                    let r = l.service(a);
                    assert!(inside(r, l.width, l.notes), "{a:?}");
                    for &b in &SERVICES[i + 1..] {
                        assert!(!overlap(r, l.service(b)), "{a:?} and {b:?}");
                    }
                }
                // The users' circle and its words stay clear of the boxes.
                let users = l.rect(Node::Users);
                assert!(!overlap(users, l.service(Service::Gateway)));
                assert!(users.bottom() + 30.0 < l.service(Service::Orders).top);
            }
        }
    }

    #[test]
    fn calls_run_down_their_edges_and_answers_back_up() {
        let l = Layout::new(&snapshot(Architecture::Microservices, true), false);
        for &(a, b) in &CALLS {
            let (from, to) = (Node::Service(a), Node::Service(b));
            let [start, end] = l.edge(from, to).expect("a drawn call");
            assert_eq!(l.position(from, to, 0.0), start);
            assert_eq!(l.position(from, to, 1.0), end);
            assert_eq!(l.position(to, from, 0.0), end);
            assert_eq!(l.position(to, from, 1.0), start);
        }
        let entry = l.position(Node::Users, Node::Service(Service::Gateway), 1.0);
        assert_eq!(entry.0, l.service(Service::Gateway).left);
        // Parties with no edge between them still have a path.
        let anywhere = l.position(
            Node::Service(Service::Shipping),
            Node::Service(Service::Payments),
            0.5,
        );
        assert!(anywhere.0 > 0.0 && anywhere.0 < l.width);
    }

    #[test]
    fn the_monolith_holds_its_modules_above_its_database() {
        for narrow in [false, true] {
            let l = Layout::new(&snapshot(Architecture::Monolith, false), narrow);
            let m = l.monolith();
            assert!(inside(m, l.width, l.notes));
            for i in 0..SERVICES.len() {
                let cell = l.module(i);
                assert!(cell.left >= m.left && cell.right() <= m.right(), "{i}");
                assert!(
                    cell.top >= m.top + MODULES && cell.bottom() <= m.bottom(),
                    "{i}"
                );
                for j in i + 1..SERVICES.len() {
                    assert!(!overlap(cell, l.module(j)), "{i} and {j}");
                }
            }
            assert!(!overlap(l.rect(Node::Users), m));
            assert_eq!(
                l.position(Node::Monolith, Node::Users, 1.0),
                (l.users().0 + USERS_R, l.users().1)
            );
        }
    }

    /// Every message and breaker of every preset's runs, under both
    /// architectures, is drawn on an edge of the graph, inside the canvas.
    #[test]
    fn the_models_messages_and_breakers_travel_the_drawn_edges() {
        use archsim_patterns::Experiment;
        use archsim_patterns::microservices::{PATTERN, PRESETS};
        for preset in PRESETS {
            for architecture in ["monolith", "microservices"] {
                let mut experiment = Experiment::from_preset(&PATTERN, preset);
                experiment
                    .set("architecture", architecture)
                    .expect("an architecture");
                let mut run = experiment.start().expect("presets run");
                for t in [3.0, 12.0, 25.0] {
                    run.run_until(SimTime::from_secs_f64(t));
                    let view = run.view();
                    let snap = view.get::<Snapshot>().expect("its snapshot");
                    let l = Layout::new(snap, false);
                    let drawn = |a, b| l.edge(a, b).or(l.edge(b, a)).is_some();
                    for (_, m) in &snap.messages {
                        assert!(
                            drawn(m.from, m.to),
                            "{}: {:?} to {:?}",
                            preset.id,
                            m.from,
                            m.to
                        );
                        let (x, y) = l.position(m.from, m.to, 0.5);
                        assert!(x > 0.0 && x < l.width && y > 0.0 && y < l.graph);
                    }
                    for b in &snap.breakers {
                        let (from, to) = (Node::Service(b.from), Node::Service(b.to));
                        assert!(l.edge(from, to).is_some(), "{}: {b:?}", preset.id);
                    }
                }
            }
        }
    }

    #[test]
    fn a_span_waits_first_then_works_or_fails() {
        let span = Span {
            service: Some(Service::Payments),
            op: Op::Charge,
            depth: 2,
            start: 0.010,
            end: 0.030,
            waited: 0.005,
            ok: false,
        };
        let row = span_row(&span);
        assert_eq!(row.label, "payments charge · 20.0 ms ✕");
        assert_eq!(row.indent, 2);
        let bars: Vec<(f64, f64, &str)> = row
            .stretches
            .iter()
            .map(|s| (s.from, s.to, s.class))
            .collect();
        assert_eq!(
            bars,
            [
                (0.010, 0.015, "span waiting"),
                (0.015, 0.030, "span failed")
            ]
        );
        let row = span_row(&Span {
            service: None,
            waited: 0.0,
            ok: true,
            ..span
        });
        assert_eq!(row.label, "monolith charge · 20.0 ms");
        assert_eq!(row.stretches.len(), 1);
        assert_eq!(row.stretches[0].class, "span work");
    }

    #[test]
    fn locks_and_doubts_are_said_only_when_there_are_some() {
        let mut snap = snapshot(Architecture::Microservices, true);
        assert_eq!(lock_notes(&snap), (None, None));
        snap.transaction = Transaction::TwoPhaseCommit;
        snap.locks = (1, 3);
        snap.in_doubt = 2;
        assert_eq!(
            lock_notes(&snap),
            (
                Some("two-phase commit: 1 stock lock held, 3 waiting".into()),
                Some("2 commits in doubt, holding their locks".into())
            )
        );
    }
}
