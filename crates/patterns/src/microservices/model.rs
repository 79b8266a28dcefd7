//! The microservices model: users asking for pages, and the shop serving
//! them — as one monolith, or as services calling each other.
//!
//! A page is a call to the gateway (to the monolith). A call is tried,
//! and tried again by its caller's retry policy: each try is an attempt,
//! which crosses the network, waits for a worker of its service (every
//! replica's workers pooled behind a balancer), then runs its steps
//! ([`super::plan`]): its own work, a query on its store, calls to other
//! services it waits for, holding its worker all along. A caller gives up
//! on a try after its timeout; the callee, not knowing, carries on: the
//! work is wasted. Breakers and bulkheads sit on the caller's side of every
//! call between services, and optional calls fall back to a default.
//!
//! Placing an order is a transaction across orders, inventory and payments:
//! a saga of local transactions with compensations, or two-phase commit
//! with the item's lock held from prepare to the decision's arrival. A
//! coordinator that dies after its participants voted leaves them holding
//! their locks until it is back.
//!
//! Users, pages, items, work and outcomes come from random streams of
//! their own, so variants compared on one seed see the same traffic.

use super::breaker::{Breaker, Permit};
use super::params::{Database, Params, Paused, RetryPolicy, Switch, Transaction};
use super::plan::{SAGA, Step, compensations, steps};
use super::resources::{Locks, Pool, Query, Store};
use super::topology::{Op, Page, SERVICES, Service};
use super::view::{
    BreakerView, Carries, DeployableView, Node, Snapshot, Span, StoreView, TraceView,
};
use crate::dashboard::{Happenings, Moment};
use crate::fault::{Fault, FaultKind};
use crate::wire::Wire;
use archsim_core::{
    Condition, Context, CounterId, Distribution, GaugeId, HistogramId, Metrics, Model, Rng, SimTime,
};
use std::collections::BTreeMap;

/// Random stream of the users: when they ask, for which page and item.
const ARRIVALS: usize = 1;
/// Random stream of work times.
const WORK: usize = 2;
/// Random stream of query times.
const QUERIES: usize = 3;
/// Random stream of calls that fail and cards declined.
const FAILURES: usize = 4;
/// Random stream of runtime pauses.
const PAUSES: usize = 5;
/// Random stream of the reporting queries.
const REPORTS: usize = 6;
/// Random stream of backoff waits.
const JITTER: usize = 7;
/// Random stream of the items a page shows the stock of: their own, so that
/// how many a page shows leaves the users' stream alone.
const ITEMS: usize = 8;

/// Tokens a retry budget holds at most: a burst of retries it allows.
const BUDGET_CAP: f64 = 10.0;
/// Reporting queries a database lets wait before it refuses more.
const REPORT_QUEUE: usize = 1000;
/// Spans a trace keeps.
const TRACE_SPANS: usize = 48;
/// Seconds a compensation waits before it is tried again: it must happen.
const COMPENSATION_RETRY: f64 = 0.1;
/// The participants of an order's two-phase commit, besides orders.
const PARTICIPANTS: [Service; 2] = [Service::Inventory, Service::Payments];
/// Who holds a lock for a waiter that died before it got it.
const DEAD: u64 = u64::MAX / 2;
/// Index of the users among the callers' retry budgets.
const USERS: usize = SERVICES.len();

/// Something that happens in the microservices model.
#[derive(Clone, Debug)]
pub struct Event(Happening);

#[derive(Clone, Debug)]
enum Happening {
    /// A user asks for a page.
    Page,
    /// A reporting query arrives.
    Report,
    /// An attempt reaches its service.
    Arrives(u64),
    /// An attempt's work is done.
    Worked {
        attempt: u64,
        epoch: u32,
    },
    /// A store finished a query.
    Queried {
        store: usize,
        query: Query,
    },
    /// An attempt got the lock it waited for.
    Granted(u64),
    /// An attempt's answer reaches its caller.
    Answer {
        call: u64,
        attempt: u64,
        outcome: Outcome,
    },
    /// A caller's wait for a try is over.
    Timeout {
        call: u64,
        timer: u32,
    },
    /// A call is tried again after a backoff.
    Retry(u64),
    /// A two-phase commit's decision reaches inventory.
    Decision(u64, Service),
    Fault(u32, FaultKind),
}

/// How a try, or a call, ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    /// Served; degraded if a fallback stood in for part of it.
    Served { degraded: bool },
    /// The service failed it: down, unavailable, busy, or a failed callee.
    Error,
    /// The card was declined: a business answer, not retried.
    Declined,
    /// The caller stopped waiting.
    TimedOut,
    /// The caller's breaker or bulkhead refused to send it.
    Rejected,
}

impl Outcome {
    fn served(self) -> bool {
        matches!(self, Outcome::Served { .. })
    }
}

/// Who made a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Parent {
    /// A user asking for a page.
    User,
    /// An attempt, which waits for it.
    Attempt(u64),
    /// A recovered saga orchestrator undoing what a dead one left.
    Recovery,
}

/// A call: tried until it is served, or its caller gives up.
struct Call {
    op: Op,
    parent: Parent,
    /// The calling service (none for users, and inside a monolith).
    caller: Option<Service>,
    root: u64,
    depth: u32,
    tx: Option<u64>,
    item: u32,
    tries: u32,
    /// The attempt its caller waits for.
    current: Option<u64>,
    permit: Option<Permit>,
    /// Whether it holds a place in its caller's bulkhead.
    bulkhead: bool,
    /// Bumped when a try ends, so that a stale timeout is ignored.
    timer: u32,
}

/// One try of a call, where it is served.
struct Attempt {
    call: u64,
    op: Op,
    pool: usize,
    root: u64,
    depth: u32,
    tx: Option<u64>,
    item: u32,
    steps: Vec<Step>,
    next: usize,
    /// Calls it waits for.
    pending: u32,
    /// The first required callee that failed, and how.
    failed: Option<(Op, Outcome)>,
    degraded: bool,
    /// The pool's epoch once it has had a worker.
    epoch: Option<u32>,
    /// Whether it holds a worker now.
    holding: bool,
    /// Whether it holds its item's lock for a local transaction.
    locked: bool,
    /// The item whose stock it reads, or last read.
    peeking: u32,
    arrived: SimTime,
    /// When it started waiting (for a worker, a connection or a lock).
    waiting_since: Option<SimTime>,
    waited: f64,
}

/// A page being served.
struct Request {
    page: Page,
    arrived: SimTime,
    /// Whether any of its calls met a runtime pause.
    paused: bool,
    spans: Vec<Span>,
}

/// Where an order's transaction stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TxState {
    Active,
    Committed,
    Aborted,
}

/// One order's transaction: a saga, a two-phase commit, or a monolith's
/// local transaction.
struct Tx {
    item: u32,
    state: TxState,
    /// Saga: whether its reservation shows in the stock, not yet final.
    reserved: bool,
    /// Saga: reads of the stock that saw the reservation.
    seen: u64,
    /// Two-phase commit: when its participant locked the item.
    locked_at: Option<SimTime>,
    /// Two-phase commit: when its coordinator died, if it did before
    /// deciding.
    orphaned_at: Option<SimTime>,
    /// Two-phase commit: decisions on their way to participants, and what
    /// the first participant to hear learned (commit or not).
    told: u8,
    first_told: Option<bool>,
}

/// Metric ids the report reads.
pub(super) struct Ids {
    pub(super) requests: CounterId,
    pub(super) served: CounterId,
    pub(super) degraded: CounterId,
    pub(super) failed: CounterId,
    pub(super) timed_out: CounterId,
    pub(super) rejected: CounterId,
    pub(super) declined: CounterId,
    pub(super) checkouts: CounterId,
    pub(super) checkouts_served: CounterId,
    pub(super) checkouts_ended: CounterId,
    pub(super) browses: CounterId,
    pub(super) browses_ended: CounterId,
    pub(super) browses_paused: CounterId,
    pub(super) attempts: [CounterId; SERVICES.len()],
    pub(super) wasted: CounterId,
    pub(super) breaker_rejections: CounterId,
    pub(super) bulkhead_rejections: CounterId,
    pub(super) committed: CounterId,
    pub(super) aborted: CounterId,
    pub(super) compensations: CounterId,
    pub(super) anomalies: CounterId,
    pub(super) pauses: CounterId,
    pub(super) pause_draws: CounterId,
    pub(super) disagreements: CounterId,
    pub(super) reports: CounterId,
    pub(super) latency: HistogramId,
    pub(super) checkout_latency: HistogramId,
    pub(super) browse_latency: HistogramId,
    pub(super) service_latency: [HistogramId; SERVICES.len()],
    pub(super) lock_hold: HistogramId,
    pub(super) blocked: HistogramId,
    pub(super) busy: GaugeId,
    pub(super) in_flight: GaugeId,
}

/// Where every page and every order stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Accounting {
    /// Pages asked for.
    pub requests: u64,
    /// Served in full.
    pub served: u64,
    /// Served with a fallback for part of them.
    pub degraded: u64,
    /// Failed: an error, a timeout, a refusal or a declined card.
    pub failed: u64,
    /// Still being served.
    pub in_flight: u64,
    /// Order transactions begun.
    pub transactions: u64,
    /// Committed, aborted, and neither yet.
    pub committed: u64,
    /// Aborted (or compensated).
    pub aborted: u64,
    /// Neither yet.
    pub open: u64,
}

/// The microservices model.
pub struct Microservices {
    params: Params,
    gap: Distribution,
    report_gap: Option<Distribution>,
    faults: Vec<Fault>,
    /// Per service (per function, in a monolith): up, slow or down.
    condition: [Condition; SERVICES.len()],
    /// One per service, or the monolith alone.
    pools: Vec<Pool>,
    /// The services' stores then the reporting store; or one database.
    stores: Vec<Store>,
    locks: Locks,
    calls: BTreeMap<u64, Call>,
    attempts: BTreeMap<u64, Attempt>,
    requests: BTreeMap<u64, Request>,
    txs: BTreeMap<u64, Tx>,
    /// Saga reservations showing in an item's stock, not yet final.
    reservations: BTreeMap<u32, Vec<u64>>,
    /// Per caller and callee.
    breakers: Vec<Breaker>,
    /// Calls in flight per caller and callee.
    bulkheads: Vec<u32>,
    /// Retry tokens per caller, the users last.
    budgets: [f64; SERVICES.len() + 1],
    next_id: u64,
    wire: Wire<Node, Carries>,
    happened: Happenings,
    trace: Option<TraceView>,
    pub(super) ids: Ids,
}

/// Seconds drawn from an exponential distribution of `mean`.
fn exponential(rng: &mut Rng, mean: f64) -> f64 {
    Distribution::Exponential { mean }.sample_secs(rng)
}

fn pair(from: Service, to: Service) -> usize {
    from.index() * SERVICES.len() + to.index()
}

impl Microservices {
    /// Build the model for checked `params`, registering its metrics.
    pub(super) fn new(params: &Params, metrics: &mut Metrics) -> Self {
        let mut per_service =
            |name: &str| SERVICES.map(|s| metrics.counter(format!("{name}/{}", s.name())));
        let attempts = per_service("attempts");
        let service_latency =
            SERVICES.map(|s| metrics.histogram(format!("service_latency/{}", s.name())));
        let ids = Ids {
            requests: metrics.counter("requests"),
            served: metrics.counter("served"),
            degraded: metrics.counter("degraded"),
            failed: metrics.counter("failed"),
            timed_out: metrics.counter("timed_out"),
            rejected: metrics.counter("rejected"),
            declined: metrics.counter("declined"),
            checkouts: metrics.counter("checkouts"),
            checkouts_served: metrics.counter("checkouts_served"),
            checkouts_ended: metrics.counter("checkouts_ended"),
            browses: metrics.counter("browses"),
            browses_ended: metrics.counter("browses_ended"),
            browses_paused: metrics.counter("browses_paused"),
            attempts,
            wasted: metrics.counter("wasted"),
            breaker_rejections: metrics.counter("breaker_rejections"),
            bulkhead_rejections: metrics.counter("bulkhead_rejections"),
            committed: metrics.counter("committed"),
            aborted: metrics.counter("aborted"),
            compensations: metrics.counter("compensations"),
            anomalies: metrics.counter("anomalies"),
            pauses: metrics.counter("pauses"),
            pause_draws: metrics.counter("pause_draws"),
            disagreements: metrics.counter("disagreements"),
            reports: metrics.counter("reports"),
            latency: metrics.histogram("latency"),
            checkout_latency: metrics.histogram("checkout_latency"),
            browse_latency: metrics.histogram("browse_latency"),
            service_latency,
            lock_hold: metrics.histogram("lock_hold"),
            blocked: metrics.histogram("blocked"),
            busy: metrics.gauge("busy"),
            in_flight: metrics.gauge("in_flight"),
        };
        let pools = if params.split() {
            SERVICES
                .iter()
                .map(|&s| Pool::new(params.replicas_of(s) * params.workers))
                .collect()
        } else {
            vec![Pool::new(params.monolith_replicas() * params.workers)]
        };
        // Every replica brings its pool of connections to its store; the
        // reports have one pool. A shared database has them all.
        let mut stores: Vec<Store> = SERVICES
            .iter()
            .filter(|s| s.query().is_some())
            .map(|&s| {
                let replicas = if params.split() {
                    params.replicas_of(s)
                } else {
                    params.monolith_replicas()
                };
                Store::new(replicas * params.connections)
            })
            .chain([Store::new(params.connections)])
            .collect();
        if !params.split() || params.database == Database::Shared {
            stores = vec![Store::new(stores.iter().map(|s| s.connections).sum())];
        }
        Microservices {
            gap: Distribution::Exponential {
                mean: 1.0 / params.request_rate,
            },
            report_gap: (params.report_rate > 0.0).then(|| Distribution::Exponential {
                mean: 1.0 / params.report_rate,
            }),
            faults: params.fault_schedule(),
            condition: [Condition::Up; SERVICES.len()],
            pools,
            stores,
            locks: Locks::default(),
            calls: BTreeMap::new(),
            attempts: BTreeMap::new(),
            requests: BTreeMap::new(),
            txs: BTreeMap::new(),
            reservations: BTreeMap::new(),
            breakers: vec![Breaker::default(); SERVICES.len() * SERVICES.len()],
            bulkheads: vec![0; SERVICES.len() * SERVICES.len()],
            budgets: [BUDGET_CAP; SERVICES.len() + 1],
            next_id: 0,
            wire: Wire::new(),
            happened: Happenings::default(),
            trace: None,
            ids,
            params: params.clone(),
        }
    }

    /// The parameters the model was built with.
    pub fn params(&self) -> &Params {
        &self.params
    }

    /// What the charts mark up to `now`: faults, and breakers opening.
    pub fn moments(&self, now: SimTime) -> Vec<Moment> {
        self.happened.moments(&self.faults, "service", now)
    }

    /// Times the breakers have opened, all of them together.
    pub fn breaker_openings(&self) -> u64 {
        self.breakers.iter().map(Breaker::opened).sum()
    }

    /// Two-phase commits whose coordinator died before deciding.
    fn in_doubt(&self) -> usize {
        if self.params.transaction != Transaction::TwoPhaseCommit {
            return 0;
        }
        self.txs
            .values()
            .filter(|t| t.state == TxState::Active && t.orphaned_at.is_some())
            .count()
    }

    /// Where every page and order stands.
    pub fn accounting(&self, metrics: &Metrics) -> Accounting {
        let total = |id| metrics.total(id);
        let committed = total(self.ids.committed);
        let aborted = total(self.ids.aborted);
        let open = self
            .txs
            .values()
            .filter(|t| t.state == TxState::Active)
            .count() as u64;
        Accounting {
            requests: total(self.ids.requests),
            served: total(self.ids.served),
            degraded: total(self.ids.degraded),
            failed: total(self.ids.failed),
            in_flight: self.requests.len() as u64,
            transactions: committed + aborted + open,
            committed,
            aborted,
            open,
        }
    }

    fn id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    fn delay(&self) -> SimTime {
        SimTime::from_secs_f64(self.params.network_delay)
    }

    /// The pool that serves `service`.
    fn pool_of(&self, service: Service) -> usize {
        if self.params.split() {
            service.index()
        } else {
            0
        }
    }

    /// The store that holds `service`'s data.
    fn store_of(&self, service: Service) -> usize {
        if self.stores.len() == 1 {
            return 0;
        }
        SERVICES
            .iter()
            .filter(|s| s.query().is_some())
            .position(|&s| s == service)
            .expect("only services with a store query")
    }

    /// The database the reports run on.
    fn report_store(&self) -> usize {
        self.stores.len() - 1
    }

    fn node(&self, service: Option<Service>) -> Node {
        match service {
            None => Node::Users,
            Some(_) if !self.params.split() => Node::Monolith,
            Some(s) => Node::Service(s),
        }
    }

    /// How long a caller waits for one try of a call to `service`.
    fn timeout(&self, service: Service) -> Option<SimTime> {
        let t = self.params.call_timeout;
        // A monolith serves pages only, which the gateway's depth times.
        (t > 0.0).then(|| SimTime::from_secs_f64(t * f64::from(1 + service.depth())))
    }

    /// Whether a call of `op` places an order, and so owns its
    /// transaction: orders does, or under a monolith the checkout page.
    fn orders(&self, op: Op) -> bool {
        op == Op::Place || !self.params.split() && op == Op::Page(Page::Checkout)
    }

    /// Whether `tx` is still open (a transaction already ended and
    /// forgotten is not).
    fn open(&self, tx: u64) -> bool {
        self.txs
            .get(&tx)
            .is_some_and(|t| t.state == TxState::Active)
    }

    fn set_busy(&self, cx: &mut Context<'_, Event>) {
        let busy: u32 = self.pools.iter().map(|p| p.busy).sum();
        cx.set_gauge(self.ids.busy, f64::from(busy));
    }

    // --- Users and pages -------------------------------------------------

    fn page(&mut self, cx: &mut Context<'_, Event>) {
        let next = self.gap.sample(cx.stream(ARRIVALS));
        cx.schedule(next, Event(Happening::Page));
        let rng = cx.stream(ARRIVALS);
        let page = if rng.chance(self.params.checkout_share) {
            Page::Checkout
        } else {
            Page::Browse
        };
        let item = rng.below(u64::from(self.params.items)) as u32;
        let root = self.id();
        cx.count(self.ids.requests, 1);
        cx.count(
            match page {
                Page::Checkout => self.ids.checkouts,
                Page::Browse => self.ids.browses,
            },
            1,
        );
        self.requests.insert(
            root,
            Request {
                page,
                arrived: cx.now(),
                paused: false,
                spans: Vec::new(),
            },
        );
        cx.set_gauge(self.ids.in_flight, self.requests.len() as f64);
        self.call(Op::Page(page), Parent::User, None, root, 0, None, item, cx);
    }

    fn finish_page(&mut self, root: u64, outcome: Outcome, cx: &mut Context<'_, Event>) {
        let Some(request) = self.requests.remove(&root) else {
            return;
        };
        cx.set_gauge(self.ids.in_flight, self.requests.len() as f64);
        let took = cx.now() - request.arrived;
        let ids = &self.ids;
        match outcome {
            Outcome::Served { degraded } => {
                cx.count(if degraded { ids.degraded } else { ids.served }, 1);
                cx.observe(ids.latency, took);
                match request.page {
                    Page::Checkout => {
                        cx.count(ids.checkouts_served, 1);
                        cx.observe(ids.checkout_latency, took);
                    }
                    Page::Browse => cx.observe(ids.browse_latency, took),
                }
            }
            why => {
                cx.count(ids.failed, 1);
                match why {
                    Outcome::TimedOut => cx.count(ids.timed_out, 1),
                    Outcome::Rejected => cx.count(ids.rejected, 1),
                    Outcome::Declined => cx.count(ids.declined, 1),
                    _ => {}
                }
            }
        }
        match request.page {
            Page::Checkout => cx.count(ids.checkouts_ended, 1),
            Page::Browse => {
                cx.count(ids.browses_ended, 1);
                if request.paused {
                    cx.count(ids.browses_paused, 1);
                }
            }
        }
        // The last checkout that reached the shop (or browse page, where
        // there are no checkouts).
        let keep = !request.spans.is_empty()
            && (request.page == Page::Checkout
                || self.params.checkout_share == 0.0
                || self.trace.is_none());
        if keep {
            let mut spans = request.spans;
            spans.sort_by(|a, b| a.start.total_cmp(&b.start));
            self.trace = Some(TraceView {
                page: request.page,
                at: request.arrived,
                took: took.as_secs_f64(),
                ok: outcome.served(),
                spans,
            });
        }
    }

    fn report(&mut self, cx: &mut Context<'_, Event>) {
        if let Some(gap) = self.report_gap {
            let next = gap.sample(cx.stream(REPORTS));
            cx.schedule(next, Event(Happening::Report));
        }
        let store = self.report_store();
        let db = &mut self.stores[store];
        if db.queue.len() >= REPORT_QUEUE {
            return;
        }
        if db.take(Query::Report) {
            self.run_query(store, Query::Report, cx);
        }
    }

    // --- Calls, on the caller's side ------------------------------------

    #[allow(clippy::too_many_arguments)]
    fn call(
        &mut self,
        op: Op,
        parent: Parent,
        caller: Option<Service>,
        root: u64,
        depth: u32,
        tx: Option<u64>,
        item: u32,
        cx: &mut Context<'_, Event>,
    ) {
        let id = self.id();
        let budget = caller.map_or(USERS, Service::index);
        self.budgets[budget] = (self.budgets[budget] + self.params.retry_budget).min(BUDGET_CAP);
        self.calls.insert(
            id,
            Call {
                op,
                parent,
                caller,
                root,
                depth,
                tx,
                item,
                tries: 0,
                current: None,
                permit: None,
                bulkhead: false,
                timer: 0,
            },
        );
        self.try_call(id, cx);
    }

    fn try_call(&mut self, id: u64, cx: &mut Context<'_, Event>) {
        let now = cx.now();
        let call = &self.calls[&id];
        let (op, caller) = (call.op, call.caller);
        let to = op.service();
        if let Some(from) = caller {
            let edge = pair(from, to);
            if self.params.circuit_breaker == Switch::On {
                let Some(permit) = self.breakers[edge].permit(now) else {
                    cx.count(self.ids.breaker_rejections, 1);
                    return self.end_call(id, Outcome::Rejected, cx);
                };
                self.calls.get_mut(&id).expect("the call").permit = Some(permit);
            }
            if self.params.bulkheads {
                let dependencies = SERVICES
                    .iter()
                    .filter(|&&s| s != from && self.calls_from(from, s))
                    .count()
                    .max(1) as u32;
                let share = self.pools[self.pool_of(from)]
                    .workers
                    .div_ceil(dependencies);
                if self.bulkheads[edge] >= share {
                    cx.count(self.ids.bulkhead_rejections, 1);
                    return self.end_call(id, Outcome::Rejected, cx);
                }
                self.bulkheads[edge] += 1;
                self.calls.get_mut(&id).expect("the call").bulkhead = true;
            }
        }
        cx.count(self.ids.attempts[to.index()], 1);
        let attempt = self.id();
        let call = self.calls.get_mut(&id).expect("the call");
        call.current = Some(attempt);
        call.timer += 1;
        let (timer, root, depth, tx, item) =
            (call.timer, call.root, call.depth, call.tx, call.item);
        let pool = self.pool_of(to);
        let arrive = now + self.delay();
        self.attempts.insert(
            attempt,
            Attempt {
                call: id,
                op,
                pool,
                root,
                depth,
                tx,
                item,
                steps: steps(
                    op,
                    self.params.architecture,
                    self.params.transaction,
                    self.params.fanout,
                ),
                next: 0,
                pending: 0,
                failed: None,
                degraded: false,
                epoch: None,
                holding: false,
                locked: false,
                peeking: item,
                arrived: arrive,
                waiting_since: None,
                waited: 0.0,
            },
        );
        let (from, to_node) = (self.node(caller), self.node(Some(to)));
        self.wire
            .send(Carries::Call(op), from, to_node, now, arrive);
        cx.schedule(self.delay(), Event(Happening::Arrives(attempt)));
        if let Some(wait) = self.timeout(to) {
            cx.schedule(wait, Event(Happening::Timeout { call: id, timer }));
        }
    }

    /// Whether `from` ever calls `to`: the dependencies a bulkhead divides
    /// the caller's workers among.
    fn calls_from(&self, from: Service, to: Service) -> bool {
        matches!(
            (from, to),
            (Service::Gateway, Service::Orders | Service::Recommendations)
                | (
                    Service::Orders,
                    Service::Inventory
                        | Service::Payments
                        | Service::Shipping
                        | Service::Recommendations
                )
                | (Service::Recommendations, Service::Inventory)
        )
    }

    /// The try the caller waited for has ended with `outcome`: the
    /// breaker and the bulkhead learn of it.
    fn try_over(&mut self, id: u64, outcome: Outcome, now: SimTime) {
        let call = self.calls.get_mut(&id).expect("the call");
        call.current = None;
        call.timer += 1;
        let (caller, to) = (call.caller, call.op.service());
        let permit = call.permit.take();
        let bulkhead = std::mem::take(&mut call.bulkhead);
        if let Some(from) = caller {
            let edge = pair(from, to);
            if let Some(permit) = permit {
                let before = self.breakers[edge].opened();
                // A declined card is the service working.
                let ok = matches!(outcome, Outcome::Served { .. } | Outcome::Declined);
                self.breakers[edge].record(permit, ok, now);
                if self.breakers[edge].opened() > before {
                    self.happened.mark(
                        now,
                        format!("{}'s breaker on {} opens", from.name(), to.name()),
                    );
                }
            }
            if bulkhead {
                self.bulkheads[edge] -= 1;
            }
        }
    }

    fn answer(&mut self, id: u64, attempt: u64, outcome: Outcome, cx: &mut Context<'_, Event>) {
        match self.calls.get(&id) {
            Some(call) if call.current == Some(attempt) => {}
            // Its caller gave up on this try, or is gone.
            _ => return cx.count(self.ids.wasted, 1),
        }
        self.try_over(id, outcome, cx.now());
        match outcome {
            Outcome::Served { .. } | Outcome::Declined => self.end_call(id, outcome, cx),
            _ => self.retry_or_end(id, outcome, cx),
        }
    }

    fn timed_out(&mut self, id: u64, timer: u32, cx: &mut Context<'_, Event>) {
        match self.calls.get(&id) {
            Some(call) if call.timer == timer && call.current.is_some() => {}
            _ => return,
        }
        self.try_over(id, Outcome::TimedOut, cx.now());
        self.retry_or_end(id, Outcome::TimedOut, cx);
    }

    fn retry_or_end(&mut self, id: u64, why: Outcome, cx: &mut Context<'_, Event>) {
        let p = &self.params;
        let call = self.calls.get_mut(&id).expect("the call");
        if let Parent::Attempt(parent) = call.parent
            && !self.attempts.contains_key(&parent)
        {
            // Its caller died: nobody waits for it any more.
            self.calls.remove(&id);
            return;
        }
        if call.op.compensation() {
            let wait = SimTime::from_secs_f64(COMPENSATION_RETRY);
            return cx.schedule(wait, Event(Happening::Retry(id)));
        }
        let budget = call.caller.map_or(USERS, Service::index);
        let allowed = p.retry_policy != RetryPolicy::None
            && call.tries < p.retries
            && (p.retry_policy != RetryPolicy::Budget || self.budgets[budget] >= 1.0);
        if !allowed {
            return self.end_call(id, why, cx);
        }
        call.tries += 1;
        match p.retry_policy {
            RetryPolicy::Backoff => {
                let most = p.backoff * f64::from(1u32 << (call.tries - 1));
                let wait = SimTime::from_secs_f64(most * cx.stream(JITTER).unit());
                cx.schedule(wait, Event(Happening::Retry(id)));
            }
            RetryPolicy::Budget => {
                self.budgets[budget] -= 1.0;
                self.try_call(id, cx);
            }
            _ => self.try_call(id, cx),
        }
    }

    /// The call is over: its caller has its outcome, or a fallback.
    fn end_call(&mut self, id: u64, outcome: Outcome, cx: &mut Context<'_, Event>) {
        let call = self.calls.remove(&id).expect("the call");
        let outcome = if !outcome.served() && call.op.optional() && self.params.fallback {
            Outcome::Served { degraded: true }
        } else {
            outcome
        };
        match call.parent {
            Parent::User => self.finish_page(call.root, outcome, cx),
            Parent::Attempt(parent) => self.callee_done(parent, call.op, outcome, cx),
            Parent::Recovery => {}
        }
    }

    // --- Attempts, where they are served --------------------------------

    fn arrives(&mut self, id: u64, cx: &mut Context<'_, Event>) {
        let Some(attempt) = self.attempts.get(&id) else {
            return;
        };
        let pool = &self.pools[attempt.pool];
        let refused = !pool.up()
            || !cx.stream(FAILURES).chance(self.params.service_availability)
            || (pool.busy == pool.workers && pool.queue.len() >= pool.limit);
        if refused {
            return self.answer_attempt(id, Outcome::Error, cx);
        }
        let pool = attempt.pool;
        if self.pools[pool].take() {
            self.set_busy(cx);
            self.begin(id, cx);
        } else {
            self.pools[pool].queue.push_back(id);
            self.attempts
                .get_mut(&id)
                .expect("the attempt")
                .waiting_since = Some(cx.now());
        }
    }

    /// `id` has a worker: it starts its steps.
    fn begin(&mut self, id: u64, cx: &mut Context<'_, Event>) {
        let now = cx.now();
        let owns_order = self.orders(self.attempts[&id].op);
        let attempt = self.attempts.get_mut(&id).expect("the attempt");
        attempt.epoch = Some(self.pools[attempt.pool].epoch);
        attempt.holding = true;
        if let Some(since) = attempt.waiting_since.take() {
            attempt.waited += (now - since).as_secs_f64();
        }
        // An order is a transaction: under a monolith a local one.
        if owns_order && attempt.tx.is_none() {
            let item = attempt.item;
            let tx = self.next_id + 1;
            self.next_id = tx;
            self.attempts.get_mut(&id).expect("the attempt").tx = Some(tx);
            self.txs.insert(
                tx,
                Tx {
                    item,
                    state: TxState::Active,
                    reserved: false,
                    seen: 0,
                    locked_at: None,
                    orphaned_at: None,
                    told: 0,
                    first_told: None,
                },
            );
        }
        self.advance(id, cx);
    }

    /// Run `id`'s steps until one makes it wait.
    fn advance(&mut self, id: u64, cx: &mut Context<'_, Event>) {
        loop {
            let attempt = &self.attempts[&id];
            let Some(&step) = attempt.steps.get(attempt.next) else {
                return self.finish_attempt(id, cx);
            };
            let (root, depth, tx, item) = (attempt.root, attempt.depth, attempt.tx, attempt.item);
            let caller = Some(attempt.op.service()).filter(|_| self.params.split());
            let open = tx.is_some_and(|tx| self.open(tx));
            let store = match step {
                Step::Query(service) => self.store_of(service),
                _ => 0,
            };
            let attempt = self.attempts.get_mut(&id).expect("the attempt");
            attempt.next += 1;
            match step {
                Step::Work(service) => return self.work(id, service, cx),
                Step::Query(_) => {
                    let query = Query::Call(id);
                    if self.stores[store].take(query) {
                        self.run_query(store, query, cx);
                    } else {
                        attempt.waiting_since = Some(cx.now());
                    }
                    return;
                }
                Step::Call(op) => {
                    attempt.pending = 1;
                    let pool = attempt.pool;
                    // An asynchronous caller waits without a worker.
                    let release = caller.is_some_and(Service::asynchronous) && attempt.holding;
                    attempt.holding &= !release;
                    if release {
                        self.free_worker(pool, cx);
                    }
                    let parent = Parent::Attempt(id);
                    return self.call(op, parent, caller, root, depth + 1, tx, item, cx);
                }
                Step::Fanout(op, n) => {
                    if n == 0 {
                        continue;
                    }
                    attempt.pending = n;
                    for _ in 0..n {
                        let item = cx.stream(ITEMS).below(u64::from(self.params.items)) as u32;
                        let parent = Parent::Attempt(id);
                        self.call(op, parent, caller, root, depth + 1, tx, item, cx);
                    }
                    return;
                }
                Step::Prepare => {
                    attempt.pending = 2;
                    for op in [Op::Reserve, Op::Charge] {
                        let parent = Parent::Attempt(id);
                        self.call(op, parent, caller, root, depth + 1, tx, item, cx);
                    }
                    return;
                }
                Step::Decide => self.decide(id, cx),
                Step::Lock => {
                    let tx = tx.expect("an order's lock belongs to its transaction");
                    if !open {
                        // Its coordinator decided before it prepared.
                        attempt.failed = Some((Op::Reserve, Outcome::Error));
                        attempt.next = attempt.steps.len();
                        continue;
                    }
                    if !self.locks.acquire(item, tx, id) {
                        attempt.waiting_since = Some(cx.now());
                        return;
                    }
                    self.locked(id, cx.now());
                }
                Step::Unlock => self.unlock_local(id, cx),
                Step::Peek => {
                    // A stock lookup's item came with its call; in a
                    // monolith each lookup picks its own.
                    let item = if self.params.split() {
                        item
                    } else {
                        cx.stream(ITEMS).below(u64::from(self.params.items)) as u32
                    };
                    let attempt = self.attempts.get_mut(&id).expect("the attempt");
                    attempt.peeking = item;
                    if self.locks.locked(item) {
                        // A reader waits for the writer's lock, then lets go.
                        let reader = u64::MAX - id;
                        self.locks.acquire(item, reader, id);
                        attempt.waiting_since = Some(cx.now());
                        return;
                    }
                    self.peek(item);
                }
                Step::Vote => {
                    if cx.stream(FAILURES).chance(self.params.decline_share) {
                        let attempt = self.attempts.get_mut(&id).expect("the attempt");
                        attempt.failed = Some((Op::Charge, Outcome::Declined));
                        let undo = self.cut_short(id);
                        cx.count(self.ids.compensations, undo);
                    }
                }
                Step::Undo => {
                    let tx = tx.expect("a compensation belongs to its transaction");
                    self.unreserve(tx, cx);
                }
            }
        }
    }

    fn work(&mut self, id: u64, service: Service, cx: &mut Context<'_, Event>) {
        let speed = match self.condition[service.index()] {
            Condition::Slow(f) => f,
            _ => 1.0,
        };
        let mut secs = exponential(cx.stream(WORK), service.work()) / speed;
        let pauses = match self.params.paused_service {
            Paused::None => false,
            Paused::Service(s) => s == service || !self.params.split(),
        };
        if pauses {
            cx.count(self.ids.pause_draws, 1);
        }
        if pauses && cx.stream(PAUSES).chance(self.params.pause_share) {
            secs += self.params.pause_time;
            cx.count(self.ids.pauses, 1);
            let root = self.attempts[&id].root;
            if let Some(request) = self.requests.get_mut(&root) {
                request.paused = true;
            }
        }
        let attempt = &self.attempts[&id];
        let epoch = attempt.epoch.expect("working attempts hold a worker");
        cx.schedule(
            SimTime::from_secs_f64(secs),
            Event(Happening::Worked { attempt: id, epoch }),
        );
    }

    /// Whether `id` is still served: it exists and its pool has not died
    /// since it got its worker.
    fn alive(&self, id: u64, epoch: u32) -> bool {
        self.attempts
            .get(&id)
            .is_some_and(|a| a.epoch == Some(epoch) && self.pools[a.pool].epoch == epoch)
    }

    fn run_query(&mut self, store: usize, query: Query, cx: &mut Context<'_, Event>) {
        let secs = match query {
            Query::Report => exponential(cx.stream(REPORTS), self.params.report_time),
            Query::Call(id) => {
                let mean = self
                    .attempts
                    .get(&id)
                    .and_then(|a| match a.steps.get(a.next.wrapping_sub(1)) {
                        Some(Step::Query(s)) => s.query(),
                        _ => None,
                    })
                    .unwrap_or(0.0);
                if let Some(a) = self.attempts.get_mut(&id)
                    && let Some(since) = a.waiting_since.take()
                {
                    a.waited += (cx.now() - since).as_secs_f64();
                }
                exponential(cx.stream(QUERIES), mean)
            }
        };
        cx.schedule(
            SimTime::from_secs_f64(secs),
            Event(Happening::Queried { store, query }),
        );
    }

    fn queried(&mut self, store: usize, query: Query, cx: &mut Context<'_, Event>) {
        if let Some(next) = self.stores[store].give_back() {
            self.run_query(store, next, cx);
        }
        match query {
            Query::Report => cx.count(self.ids.reports, 1),
            Query::Call(id) => {
                if let Some(epoch) = self.attempts.get(&id).and_then(|a| a.epoch)
                    && self.alive(id, epoch)
                {
                    self.advance(id, cx);
                }
            }
        }
    }

    fn locked(&mut self, id: u64, now: SimTime) {
        let attempt = self.attempts.get_mut(&id).expect("the attempt");
        if let Some(since) = attempt.waiting_since.take() {
            attempt.waited += (now - since).as_secs_f64();
        }
        let tx = attempt.tx.expect("a lock belongs to a transaction");
        // Prepared under two-phase commit, the transaction holds the lock
        // until its decision arrives; else the attempt does, until it
        // commits locally.
        attempt.locked =
            !(attempt.op == Op::Reserve && self.params.transaction == Transaction::TwoPhaseCommit);
        if let Some(t) = self.txs.get_mut(&tx) {
            t.locked_at = Some(now);
        }
    }

    /// A lock `id` waited for is its: a writer goes on holding it; a
    /// reader reads and lets go.
    fn granted(&mut self, id: u64, cx: &mut Context<'_, Event>) {
        let Some(attempt) = self.attempts.get(&id) else {
            return;
        };
        let reading = attempt.steps.get(attempt.next.wrapping_sub(1)) == Some(&Step::Peek);
        let item = if reading {
            attempt.peeking
        } else {
            attempt.item
        };
        let live = attempt.epoch.is_some_and(|epoch| self.alive(id, epoch));
        let tx = attempt.tx.unwrap_or(DEAD);
        if !reading && live && !self.open(tx) {
            // Its coordinator decided while it waited: it votes no.
            self.release(item, tx, cx);
            let attempt = self.attempts.get_mut(&id).expect("the attempt");
            attempt.failed = Some((Op::Reserve, Outcome::Error));
            attempt.next = attempt.steps.len();
        } else if reading || !live {
            let holder = if reading { u64::MAX - id } else { tx };
            self.release(item, holder, cx);
            if !live {
                return;
            }
            let attempt = self.attempts.get_mut(&id).expect("the attempt");
            if let Some(since) = attempt.waiting_since.take() {
                attempt.waited += (cx.now() - since).as_secs_f64();
            }
            self.peek(item);
        } else {
            self.locked(id, cx.now());
        }
        self.advance(id, cx);
    }

    /// `item`'s lock let go by `holder`: the next waiter's turn.
    fn release(&mut self, item: u32, holder: u64, cx: &mut Context<'_, Event>) {
        let mut holder = holder;
        loop {
            let attempts = &self.attempts;
            let next = self
                .locks
                .release(item, holder, |call| match attempts.get(&call) {
                    Some(a) if a.steps.get(a.next.wrapping_sub(1)) == Some(&Step::Peek) => {
                        u64::MAX - call
                    }
                    Some(a) => a.tx.unwrap_or(DEAD),
                    None => DEAD,
                });
            match next {
                // A waiter that died meanwhile passes the lock straight on.
                Some(next) if !self.attempts.contains_key(&next) => holder = DEAD,
                Some(next) => {
                    return cx.schedule(SimTime::ZERO, Event(Happening::Granted(next)));
                }
                None => return,
            }
        }
    }

    /// End of a local transaction's hold on its item.
    fn unlock_local(&mut self, id: u64, cx: &mut Context<'_, Event>) {
        let attempt = self.attempts.get_mut(&id).expect("the attempt");
        if !std::mem::take(&mut attempt.locked) {
            return;
        }
        let (item, tx, op) = (attempt.item, attempt.tx.expect("a transaction"), attempt.op);
        let now = cx.now();
        if let Some(at) = self.txs.get_mut(&tx).and_then(|t| t.locked_at.take()) {
            cx.observe(self.ids.lock_hold, now - at);
        }
        if op == Op::Reserve {
            // A saga's reservation shows in the stock until it is final.
            let t = self.txs.get_mut(&tx).expect("the transaction");
            if t.state == TxState::Active {
                t.reserved = true;
                self.reservations.entry(item).or_default().push(tx);
            } else {
                // Its order gave up already: the stock is held for nothing.
                cx.count(self.ids.anomalies, 1);
            }
        }
        self.release(item, tx, cx);
    }

    /// A read of `item`'s stock, which sees the reservations not yet final.
    fn peek(&mut self, item: u32) {
        if let Some(pending) = self.reservations.get(&item) {
            for tx in pending {
                if let Some(t) = self.txs.get_mut(tx) {
                    t.seen += 1;
                }
            }
        }
    }

    /// A saga's reservation is final (`undone` false) or undone: reads
    /// that saw an undone one saw a state that never was.
    fn settle_reservation(&mut self, tx: u64, undone: bool, cx: &mut Context<'_, Event>) {
        let Some(t) = self.txs.get_mut(&tx) else {
            return;
        };
        if !std::mem::take(&mut t.reserved) {
            return;
        }
        let seen = std::mem::take(&mut t.seen);
        let item = t.item;
        if undone {
            cx.count(self.ids.anomalies, seen);
        }
        if let Some(pending) = self.reservations.get_mut(&item) {
            pending.retain(|&p| p != tx);
            if pending.is_empty() {
                self.reservations.remove(&item);
            }
        }
    }

    fn unreserve(&mut self, tx: u64, cx: &mut Context<'_, Event>) {
        self.settle_reservation(tx, true, cx);
        self.forget(tx);
    }

    /// Two-phase commit's decision: commit if every participant voted yes.
    fn decide(&mut self, id: u64, cx: &mut Context<'_, Event>) {
        let attempt = &self.attempts[&id];
        let tx = attempt.tx.expect("a coordinator has its transaction");
        let commit = attempt.failed.is_none();
        self.settle(tx, commit, cx);
        self.send_decision(tx, commit, cx);
    }

    /// Tell both participants, inventory and payments, the decision on
    /// `tx`.
    fn send_decision(&mut self, tx: u64, commit: bool, cx: &mut Context<'_, Event>) {
        let now = cx.now();
        let from = self.node(Some(Service::Orders));
        for participant in PARTICIPANTS {
            let to = self.node(Some(participant));
            self.wire
                .send(Carries::Decision(commit), from, to, now, now + self.delay());
            cx.schedule(self.delay(), Event(Happening::Decision(tx, participant)));
        }
        if let Some(t) = self.txs.get_mut(&tx) {
            t.told += PARTICIPANTS.len() as u8;
        }
    }

    /// The order's transaction ends, committed or not.
    fn settle(&mut self, tx: u64, commit: bool, cx: &mut Context<'_, Event>) {
        let t = self.txs.get_mut(&tx).expect("the transaction");
        if t.state != TxState::Active {
            return;
        }
        t.state = if commit {
            TxState::Committed
        } else {
            TxState::Aborted
        };
        cx.count(
            if commit {
                self.ids.committed
            } else {
                self.ids.aborted
            },
            1,
        );
    }

    /// A two-phase commit's decision reaches inventory: the lock goes.
    fn decision(&mut self, tx: u64, participant: Service, cx: &mut Context<'_, Event>) {
        let now = cx.now();
        let Some(t) = self.txs.get_mut(&tx) else {
            return;
        };
        t.told -= 1;
        let commit = t.state == TxState::Committed;
        match t.first_told {
            None => t.first_told = Some(commit),
            Some(first) if first != commit => cx.count(self.ids.disagreements, 1),
            Some(_) => {}
        }
        let item = t.item;
        if participant == Service::Inventory && self.locks.holder(item) == Some(tx) {
            if let Some(at) = t.locked_at.take() {
                cx.observe(self.ids.lock_hold, now - at);
                if let Some(orphaned) = t.orphaned_at.take() {
                    cx.observe(self.ids.blocked, now - orphaned.max(at));
                }
            }
            self.release(item, tx, cx);
        }
        self.forget(tx);
    }

    /// A transaction nothing will ask about again.
    fn forget(&mut self, tx: u64) {
        if self.txs.get(&tx).is_some_and(|t| {
            t.state != TxState::Active && !t.reserved && t.locked_at.is_none() && t.told == 0
        }) {
            self.txs.remove(&tx);
        }
    }

    /// Skip what is left of `id`'s steps but what must still happen:
    /// letting go of its lock, deciding its transaction, undoing a saga's
    /// steps.
    fn cut_short(&mut self, id: u64) -> u64 {
        let split = self.params.split();
        let saga = self.params.transaction == Transaction::Saga;
        let attempt = self.attempts.get_mut(&id).expect("the attempt");
        let rest = attempt.steps.split_off(attempt.next);
        let (failed_op, _) = attempt.failed.expect("cut short by a failure");
        if split && saga && attempt.op == Op::Place {
            // Nothing of the saga is done before the order's row is.
            let step = SAGA
                .iter()
                .position(|&op| op == failed_op)
                .map_or(1, |i| i + 1);
            let undo = compensations(step);
            let n = undo.len() as u64;
            attempt.steps.extend(undo);
            n
        } else {
            attempt.steps.extend(
                rest.into_iter()
                    .filter(|s| matches!(s, Step::Unlock | Step::Decide)),
            );
            0
        }
    }

    fn callee_done(&mut self, id: u64, op: Op, outcome: Outcome, cx: &mut Context<'_, Event>) {
        let Some(attempt) = self.attempts.get_mut(&id) else {
            return;
        };
        let Some(epoch) = attempt.epoch else {
            return;
        };
        if !self.alive(id, epoch) {
            return;
        }
        let attempt = self.attempts.get_mut(&id).expect("the attempt");
        attempt.pending -= 1;
        match outcome {
            Outcome::Served { degraded } => attempt.degraded |= degraded,
            why => {
                if attempt.failed.is_none() {
                    attempt.failed = Some((op, why));
                }
            }
        }
        if attempt.pending > 0 {
            return;
        }
        // The first failure cuts the steps short; compensations that
        // follow it do not fail (they are tried until they succeed).
        if attempt.failed.is_some() && !op.compensation() {
            let undo = self.cut_short(id);
            cx.count(self.ids.compensations, undo);
        }
        self.advance(id, cx);
    }

    /// `id` has run its steps: its worker goes to the next call waiting,
    /// and its answer to its caller.
    fn finish_attempt(&mut self, id: u64, cx: &mut Context<'_, Event>) {
        let attempt = self.attempts.get(&id).expect("the attempt");
        let outcome = match attempt.failed {
            None => Outcome::Served {
                degraded: attempt.degraded,
            },
            Some((_, Outcome::Declined)) => Outcome::Declined,
            Some(_) => Outcome::Error,
        };
        let (pool, op, tx, arrived, holding) = (
            attempt.pool,
            attempt.op,
            attempt.tx,
            attempt.arrived,
            attempt.holding,
        );
        if let Some(tx) = tx
            && self.orders(op)
        {
            // The saga's end (or the monolith's local transaction's): a
            // two-phase commit settled when it decided.
            if self.params.transaction == Transaction::Saga || !self.params.split() {
                self.settle(tx, outcome.served(), cx);
                self.settle_reservation(tx, false, cx);
            }
            self.forget(tx);
        }
        let now = cx.now();
        let service = op.service();
        cx.observe(self.ids.service_latency[service.index()], now - arrived);
        self.record_span(id, outcome.served(), now);
        if holding {
            self.free_worker(pool, cx);
        }
        self.answer_attempt(id, outcome, cx);
    }

    fn record_span(&mut self, id: u64, ok: bool, now: SimTime) {
        let attempt = &self.attempts[&id];
        let split = self.params.split();
        if let Some(request) = self.requests.get_mut(&attempt.root)
            && request.spans.len() < TRACE_SPANS
        {
            let since = |t: SimTime| t.saturating_sub(request.arrived).as_secs_f64();
            request.spans.push(Span {
                service: Some(attempt.op.service()).filter(|_| split),
                op: attempt.op,
                depth: attempt.depth,
                start: since(attempt.arrived),
                end: since(now),
                waited: attempt.waited,
                ok,
            });
        }
    }

    fn free_worker(&mut self, pool: usize, cx: &mut Context<'_, Event>) {
        match self.pools[pool].queue.pop_front() {
            Some(next) => self.begin(next, cx),
            None => {
                self.pools[pool].busy -= 1;
                self.set_busy(cx);
            }
        }
    }

    /// Send `id`'s answer to its caller, and forget it.
    fn answer_attempt(&mut self, id: u64, outcome: Outcome, cx: &mut Context<'_, Event>) {
        let attempt = self.attempts.remove(&id).expect("the attempt");
        let caller = self.calls.get(&attempt.call).and_then(|c| c.caller);
        let now = cx.now();
        let (from, to) = (self.node(Some(attempt.op.service())), self.node(caller));
        self.wire.send(
            Carries::Answer(outcome.served()),
            from,
            to,
            now,
            now + self.delay(),
        );
        cx.schedule(
            self.delay(),
            Event(Happening::Answer {
                call: attempt.call,
                attempt: id,
                outcome,
            }),
        );
    }

    fn worked(&mut self, id: u64, epoch: u32, cx: &mut Context<'_, Event>) {
        if self.alive(id, epoch) {
            self.advance(id, cx);
        }
    }

    // --- Faults ---------------------------------------------------------

    fn fault(&mut self, node: u32, kind: FaultKind, cx: &mut Context<'_, Event>) {
        let service = SERVICES[node as usize];
        self.condition[service.index()] = match kind {
            FaultKind::Down => Condition::Down,
            FaultKind::Slow(f) => Condition::Slow(f),
            FaultKind::Recover => Condition::Up,
        };
        let pool = self.pool_of(service);
        // A monolith is down while any of its modules is.
        let down = if self.params.split() {
            self.condition[service.index()] == Condition::Down
        } else {
            self.condition.contains(&Condition::Down)
        };
        let was_up = self.pools[pool].up();
        self.pools[pool].condition = if down { Condition::Down } else { Condition::Up };
        if was_up && down {
            self.crash(pool, cx);
        }
        if !was_up && !down && service == Service::Orders && self.params.split() {
            self.recover_coordinator(cx);
        }
    }

    /// `pool` dies: every call it holds or queues is lost, and its callers
    /// learn at once (their connections reset).
    fn crash(&mut self, pool: usize, cx: &mut Context<'_, Event>) {
        let now = cx.now();
        let p = &mut self.pools[pool];
        p.epoch += 1;
        p.busy = 0;
        p.queue.clear();
        self.set_busy(cx);
        let lost: Vec<u64> = self
            .attempts
            .iter()
            .filter(|(_, a)| a.pool == pool && (a.epoch.is_some() || a.waiting_since.is_some()))
            .map(|(&id, _)| id)
            .collect();
        for id in lost {
            let attempt = &self.attempts[&id];
            let (tx, op, locked, item) = (attempt.tx, attempt.op, attempt.locked, attempt.item);
            if locked && let Some(tx) = tx {
                // A local transaction rolls back when its process dies.
                self.attempts.get_mut(&id).expect("the attempt").locked = false;
                if let Some(t) = self.txs.get_mut(&tx) {
                    t.locked_at = None;
                }
                self.release(item, tx, cx);
            }
            if let Some(tx) = tx
                && self.orders(op)
                && self.open(tx)
            {
                if self.params.split() {
                    // Its participants may have voted: the transaction is
                    // open until the coordinator is back.
                    self.txs.get_mut(&tx).expect("open").orphaned_at = Some(now);
                } else {
                    // A local transaction rolls back with its process.
                    self.settle(tx, false, cx);
                    self.forget(tx);
                }
            }
            self.answer_attempt(id, Outcome::Error, cx);
        }
    }

    /// The orders service is back: it ends the transactions
    /// its dead self left open. Two-phase commit presumes abort, and tells
    /// the participants, which hold their locks until then; a saga's
    /// orchestrator undoes the reservation it may have made.
    fn recover_coordinator(&mut self, cx: &mut Context<'_, Event>) {
        let open: Vec<u64> = self
            .txs
            .iter()
            .filter(|(_, t)| t.state == TxState::Active && t.orphaned_at.is_some())
            .map(|(&tx, _)| tx)
            .collect();
        for tx in open {
            self.settle(tx, false, cx);
            match self.params.transaction {
                Transaction::TwoPhaseCommit => self.send_decision(tx, false, cx),
                Transaction::Saga => {
                    let t = &self.txs[&tx];
                    if t.reserved {
                        let item = t.item;
                        cx.count(self.ids.compensations, 1);
                        self.call(
                            Op::Release,
                            Parent::Recovery,
                            Some(Service::Orders),
                            0,
                            1,
                            Some(tx),
                            item,
                            cx,
                        );
                    } else {
                        self.forget(tx);
                    }
                }
            }
        }
    }

    // --- The picture ----------------------------------------------------

    fn deployable(&self, pool: usize, service: Option<Service>) -> DeployableView {
        let p = &self.pools[pool];
        let condition = match service {
            Some(s) => self.condition[s.index()],
            None if !p.up() => Condition::Down,
            None => self
                .condition
                .iter()
                .copied()
                .find(|c| matches!(c, Condition::Slow(_)))
                .unwrap_or(Condition::Up),
        };
        DeployableView {
            service,
            condition,
            replicas: match service {
                Some(s) => self.params.replicas_of(s),
                None => self.params.monolith_replicas(),
            },
            busy: p.busy,
            workers: p.workers,
            queued: p.queue.len() as u32,
        }
    }
}

impl Model for Microservices {
    type Event = Event;
    type Snapshot = Snapshot;

    fn start(&mut self, cx: &mut Context<'_, Event>) {
        let first = self.gap.sample(cx.stream(ARRIVALS));
        cx.schedule(first, Event(Happening::Page));
        if let Some(gap) = self.report_gap {
            let first = gap.sample(cx.stream(REPORTS));
            cx.schedule(first, Event(Happening::Report));
        }
        for f in self.faults.clone() {
            cx.schedule_at(f.at, Event(Happening::Fault(f.node, f.kind)));
        }
    }

    fn handle(&mut self, event: Event, cx: &mut Context<'_, Event>) {
        match event.0 {
            Happening::Page => self.page(cx),
            Happening::Report => self.report(cx),
            Happening::Arrives(id) => self.arrives(id, cx),
            Happening::Worked { attempt, epoch } => self.worked(attempt, epoch, cx),
            Happening::Queried { store, query } => self.queried(store, query, cx),
            Happening::Granted(id) => self.granted(id, cx),
            Happening::Answer {
                call,
                attempt,
                outcome,
            } => self.answer(call, attempt, outcome, cx),
            Happening::Timeout { call, timer } => self.timed_out(call, timer, cx),
            Happening::Retry(id) => {
                if self.calls.contains_key(&id) {
                    self.try_call(id, cx);
                }
            }
            Happening::Decision(tx, participant) => self.decision(tx, participant, cx),
            Happening::Fault(node, kind) => self.fault(node, kind, cx),
        }
    }

    fn snapshot(&self, now: SimTime) -> Snapshot {
        let deployables = if self.params.split() {
            SERVICES
                .iter()
                .map(|&s| self.deployable(s.index(), Some(s)))
                .collect()
        } else {
            vec![self.deployable(0, None)]
        };
        let owners: Vec<Option<Service>> = if self.stores.len() == 1 {
            vec![None]
        } else {
            SERVICES
                .iter()
                .copied()
                .filter(|s| s.query().is_some())
                .map(Some)
                .chain([None])
                .collect()
        };
        let stores = self
            .stores
            .iter()
            .zip(owners)
            .map(|(s, owner)| StoreView {
                owner,
                busy: s.busy,
                connections: s.connections,
                queued: s.queue.len() as u32,
            })
            .collect();
        let breakers = SERVICES
            .iter()
            .flat_map(|&from| SERVICES.iter().map(move |&to| (from, to)))
            .filter_map(|(from, to)| {
                let state = self.breakers[pair(from, to)].state(now);
                (state != super::breaker::BreakerState::Closed).then_some(BreakerView {
                    from,
                    to,
                    state,
                })
            })
            .collect();
        Snapshot {
            now,
            architecture: self.params.architecture,
            transaction: self.params.transaction,
            deployables,
            stores,
            breakers,
            locks: (self.locks.count() as u32, self.locks.waiting() as u32),
            in_doubt: self.in_doubt() as u32,
            in_flight: self.requests.len() as u32,
            messages: self.wire.at(now).copied().collect(),
            trace: self.trace.clone(),
        }
    }
}
