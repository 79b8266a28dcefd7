//! The CQRS model: clients, a write store, the event log it appends to,
//! a projector that keeps the views up to date, and read replicas.
//!
//! A write's life: it travels to the write store, waits for a worker,
//! commits a new version of its entity and appends an event to the
//! [`Topic`] (under synchronous projection, it also updates every view in
//! the same transaction), and is acknowledged. The writer reads its entity
//! back `read_delay` later. Queries arrive on their own. Under a shared
//! model every query joins rows on the write store; under CQRS it is one
//! lookup on a read replica, which answers with whatever version the
//! projector has applied so far. A read sees the versions as they are when
//! it reaches its database (its snapshot), and is compared with the write
//! store's version at that moment, so stale reads and missed own writes
//! are counted exactly, by version.

use super::params::{Architecture, Consistency, Params};
use super::view::{Carries, Node, ProjectorView, Snapshot, StoreView};
use crate::dashboard::{Happenings, Moment};
use crate::event_log::{Group, Retention, Topic};
use crate::fault::{Fault, FaultKind};
use crate::wire::Wire;
use archsim_core::{
    Condition, Context, CounterId, Distribution, GaugeId, HistogramId, Metrics, Model, SimTime,
};
use std::collections::{BTreeMap, VecDeque};

/// Random stream for writes, queries and their entities: the same whatever
/// else changes, so compared variants see the same traffic.
const ARRIVALS: usize = 1;
/// Random stream for the service times of reads.
const SERVICE: usize = 2;
/// Random stream for projection times.
const PROJECTION: usize = 3;
/// Random stream for the service times of writes: their own, so that
/// however the reads are served, compared variants write alike.
const WRITING: usize = 4;

/// The projector's consumer group has one member.
const PROJECTOR: u32 = 0;

/// Something that happens in the CQRS model.
#[derive(Clone, Debug)]
pub struct Event(Happening);

#[derive(Clone, Debug)]
enum Happening {
    Write,
    Query,
    /// A request reaches a database.
    Arrives {
        store: Store,
        request: u64,
    },
    /// A worker of a database is done with a request.
    Served {
        store: Store,
        request: u64,
        epoch: u32,
    },
    /// A reply reaches its client.
    Answered(u64),
    /// A writer reads its entity back.
    ReadBack(u64),
    Projected {
        epoch: u32,
    },
    Rebuild,
    Fault(u32, FaultKind),
}

/// Which database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Store {
    Write,
    Replica(u32),
}

/// What a request is.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Write,
    /// A query of another client's entity.
    Query,
    /// A writer reading back its own write of `version`.
    ReadBack {
        version: u64,
    },
}

struct Request {
    kind: Kind,
    entity: u32,
    arrived: SimTime,
    /// The entity's version on the write side when the read started, and
    /// the version the read saw.
    versions: Option<(u64, u64)>,
    /// Rows the read touched, once served.
    rows: u32,
    failed: bool,
}

/// One database: workers and a queue.
struct Database {
    workers: u32,
    busy: u32,
    queue: VecDeque<u64>,
    condition: Condition,
    /// Bumped when it dies: work in hand is void.
    epoch: u32,
    in_service: Vec<u64>,
}

impl Database {
    fn new(workers: u32) -> Self {
        Database {
            workers,
            busy: 0,
            queue: VecDeque::new(),
            condition: Condition::Up,
            epoch: 0,
            in_service: Vec::new(),
        }
    }

    fn up(&self) -> bool {
        self.condition != Condition::Down
    }

    fn speed(&self) -> f64 {
        match self.condition {
            Condition::Slow(k) => k,
            _ => 1.0,
        }
    }

    fn view(&self) -> StoreView {
        StoreView {
            condition: self.condition,
            busy: self.busy,
            workers: self.workers,
            queued: self.queue.len() as u32,
        }
    }
}

/// The projector's state.
struct Projector {
    group: Group,
    /// The offset being applied, if any.
    current: Option<u64>,
    epoch: u32,
    /// A rebuild: when it started, events replayed so far.
    rebuilding: Option<(SimTime, u64)>,
}

/// Metric ids the report reads.
pub(super) struct Ids {
    pub(super) writes: CounterId,
    pub(super) written: CounterId,
    pub(super) reads: CounterId,
    pub(super) answered: CounterId,
    pub(super) failed_reads: CounterId,
    pub(super) stale_reads: CounterId,
    pub(super) read_backs: CounterId,
    pub(super) read_backs_answered: CounterId,
    pub(super) missed_own_writes: CounterId,
    pub(super) rows: CounterId,
    pub(super) view_updates: CounterId,
    pub(super) write_latency: HistogramId,
    pub(super) read_latency: HistogramId,
    pub(super) projection_lag: HistogramId,
    pub(super) behind: GaugeId,
}

/// Where every request stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Accounting {
    /// Writes sent.
    pub writes: u64,
    /// Writes acknowledged.
    pub written: u64,
    /// Reads sent (queries and reads back).
    pub reads: u64,
    /// Reads answered.
    pub answered: u64,
    /// Reads that failed: no replica up, or the view being rebuilt.
    pub failed_reads: u64,
    /// Writes on the wire, queued or in service.
    pub writing: u64,
    /// Reads on the wire, queued, in service or waiting for a version.
    pub reading: u64,
    /// Events in the log, and how many the projector has applied.
    pub events: u64,
    /// Events applied to the views.
    pub projected: u64,
}

/// The CQRS model.
pub struct Cqrs {
    params: Params,
    write_gap: Option<Distribution>,
    query_gap: Option<Distribution>,
    write_service: Distribution,
    join_service: Distribution,
    lookup_service: Distribution,
    projection: Distribution,
    faults: Vec<Fault>,
    /// Per entity: the version committed on the write side, and the one
    /// the views hold.
    written: Vec<u64>,
    projected: Vec<u64>,
    write_store: Database,
    replicas: Vec<Database>,
    next_replica: u32,
    pub(super) log: Topic<(u32, u64)>,
    projector: Projector,
    requests: BTreeMap<u64, Request>,
    next_request: u64,
    /// Acknowledged writes whose writer will read them back: the entity
    /// and the version written.
    to_read_back: BTreeMap<u64, (u32, u64)>,
    /// Reads back waiting for their version, by entity.
    waiting: BTreeMap<u32, Vec<u64>>,
    wire: Wire<Node, Carries>,
    happened: Happenings,
    /// Seconds the last rebuild took, once it is done.
    pub(super) rebuild_time: Option<f64>,
    pub(super) ids: Ids,
}

impl Cqrs {
    /// Build the model for checked `params`, registering its metrics.
    pub(super) fn new(params: &Params, metrics: &mut Metrics) -> Self {
        let gap = |rate: f64| (rate > 0.0).then(|| Distribution::Exponential { mean: 1.0 / rate });
        let exponential = |mean: f64| Distribution::Exponential { mean };
        let replicas = match params.architecture {
            Architecture::Cqrs => (0..params.read_replicas)
                .map(|_| Database::new(params.workers))
                .collect(),
            Architecture::SharedModel => Vec::new(),
        };
        let ids = Ids {
            writes: metrics.counter("writes"),
            written: metrics.counter("written"),
            reads: metrics.counter("reads"),
            answered: metrics.counter("answered"),
            failed_reads: metrics.counter("failed_reads"),
            stale_reads: metrics.counter("stale_reads"),
            read_backs: metrics.counter("read_backs"),
            read_backs_answered: metrics.counter("read_backs_answered"),
            missed_own_writes: metrics.counter("missed_own_writes"),
            rows: metrics.counter("rows"),
            view_updates: metrics.counter("view_updates"),
            write_latency: metrics.histogram("write_latency"),
            read_latency: metrics.histogram("read_latency"),
            projection_lag: metrics.histogram("projection_lag"),
            behind: metrics.gauge("behind"),
        };
        let mut group = Group::new(1);
        group.join(PROJECTOR);
        Cqrs {
            write_gap: gap(params.write_rate),
            query_gap: gap(params.read_rate),
            write_service: exponential(params.write_time),
            join_service: exponential(params.join_time()),
            lookup_service: exponential(params.lookup_time),
            projection: Distribution::new(
                params.projection_distribution,
                params.projection_mean(),
                params.projection_cv,
            ),
            faults: params.fault_schedule(),
            written: vec![0; params.entities as usize],
            projected: vec![0; params.entities as usize],
            write_store: Database::new(params.workers),
            replicas,
            next_replica: 0,
            log: Topic::new(1, Retention::Forever),
            projector: Projector {
                group,
                current: None,
                epoch: 0,
                rebuilding: None,
            },
            requests: BTreeMap::new(),
            next_request: 0,
            to_read_back: BTreeMap::new(),
            waiting: BTreeMap::new(),
            wire: Wire::new(),
            happened: Happenings::default(),
            rebuild_time: None,
            ids,
            params: params.clone(),
        }
    }

    /// The parameters the model was built with.
    pub fn params(&self) -> &Params {
        &self.params
    }

    fn cqrs(&self) -> bool {
        self.params.architecture == Architecture::Cqrs
    }

    /// Whether events are projected apart from the writes (by the projector).
    fn projects_apart(&self) -> bool {
        self.cqrs() && self.params.consistency != Consistency::Synchronous
    }

    fn delay(&self) -> SimTime {
        SimTime::from_secs_f64(self.params.network_delay)
    }

    /// What the charts mark up to `now`: faults and rebuilds.
    pub fn moments(&self, now: SimTime) -> Vec<Moment> {
        self.happened.moments(&self.faults, "read replica", now)
    }

    fn node(store: Store) -> Node {
        match store {
            Store::Write => Node::WriteStore,
            Store::Replica(r) => Node::Replica(r),
        }
    }

    fn database(&mut self, store: Store) -> &mut Database {
        match store {
            Store::Write => &mut self.write_store,
            Store::Replica(r) => &mut self.replicas[r as usize],
        }
    }

    // ---- clients ----

    fn entity(&self, cx: &mut Context<'_, Event>) -> u32 {
        cx.stream(ARRIVALS).below(u64::from(self.params.entities)) as u32
    }

    fn new_request(&mut self, kind: Kind, entity: u32, now: SimTime) -> u64 {
        let id = self.next_request;
        self.next_request += 1;
        self.requests.insert(
            id,
            Request {
                kind,
                entity,
                arrived: now,
                versions: None,
                rows: 0,
                failed: false,
            },
        );
        id
    }

    /// Send request `id` to `store`.
    fn dispatch(&mut self, id: u64, store: Store, cx: &mut Context<'_, Event>) {
        let now = cx.now();
        let at = now + self.delay();
        let carries = match self.requests[&id].kind {
            Kind::Write => Carries::Write,
            _ => Carries::Read,
        };
        self.wire
            .send(carries, Node::Clients, Self::node(store), now, at);
        cx.schedule_at(at, Event(Happening::Arrives { store, request: id }));
    }

    fn write(&mut self, cx: &mut Context<'_, Event>) {
        if let Some(gap) = self.write_gap {
            let next = gap.sample(cx.stream(ARRIVALS));
            cx.schedule(next, Event(Happening::Write));
        }
        let entity = self.entity(cx);
        cx.count(self.ids.writes, 1);
        let id = self.new_request(Kind::Write, entity, cx.now());
        self.dispatch(id, Store::Write, cx);
    }

    fn query(&mut self, cx: &mut Context<'_, Event>) {
        if let Some(gap) = self.query_gap {
            let next = gap.sample(cx.stream(ARRIVALS));
            cx.schedule(next, Event(Happening::Query));
        }
        let entity = self.entity(cx);
        cx.count(self.ids.reads, 1);
        let id = self.new_request(Kind::Query, entity, cx.now());
        self.route_read(id, cx);
    }

    fn read_back(&mut self, write: u64, cx: &mut Context<'_, Event>) {
        let Some((entity, version)) = self.to_read_back.remove(&write) else {
            return;
        };
        cx.count(self.ids.reads, 1);
        cx.count(self.ids.read_backs, 1);
        let id = self.new_request(Kind::ReadBack { version }, entity, cx.now());
        self.route_read(id, cx);
    }

    /// The next replica that is up, round robin.
    fn pick_replica(&mut self) -> Option<u32> {
        let n = self.replicas.len() as u32;
        let up = (0..n)
            .map(|k| (self.next_replica + k) % n)
            .find(|&r| self.replicas[r as usize].up())?;
        self.next_replica = (up + 1) % n;
        Some(up)
    }

    /// Send a read where the architecture and the consistency say.
    fn route_read(&mut self, id: u64, cx: &mut Context<'_, Event>) {
        let own = matches!(self.requests[&id].kind, Kind::ReadBack { .. });
        let to_write_side =
            !self.cqrs() || (own && self.params.consistency == Consistency::ReadYourWrites);
        if to_write_side {
            self.dispatch(id, Store::Write, cx);
            return;
        }
        match self.pick_replica() {
            Some(r) => self.dispatch(id, Store::Replica(r), cx),
            None => self.fail_read(id, cx),
        }
    }

    fn fail_read(&mut self, id: u64, cx: &mut Context<'_, Event>) {
        if let Some(r) = self.requests.get_mut(&id) {
            r.failed = true;
        }
        cx.schedule(self.delay(), Event(Happening::Answered(id)));
    }

    // ---- databases ----

    fn arrives(&mut self, store: Store, id: u64, cx: &mut Context<'_, Event>) {
        if !self.database(store).up() {
            self.fail_read(id, cx);
            return;
        }
        if let Store::Replica(_) = store {
            if self.projector.rebuilding.is_some() {
                // The view is being built again from nothing: it cannot answer.
                self.fail_read(id, cx);
                return;
            }
            if let Some(r) = self.requests.get(&id)
                && let Kind::ReadBack { version } = r.kind
                && self.params.consistency == Consistency::VersionToken
                && self.projected[r.entity as usize] < version
            {
                self.waiting.entry(r.entity).or_default().push(id);
                return;
            }
        }
        self.enqueue(store, id, cx);
    }

    fn enqueue(&mut self, store: Store, id: u64, cx: &mut Context<'_, Event>) {
        // A read sees the versions as they are when it starts.
        let now_versions = self.requests.get(&id).map(|r| {
            let e = r.entity as usize;
            let seen = match store {
                Store::Write => self.written[e],
                Store::Replica(_) => self.projected[e],
            };
            (r.kind, self.written[e], seen)
        });
        if let Some((kind, truth, seen)) = now_versions
            && kind != Kind::Write
            && let Some(r) = self.requests.get_mut(&id)
        {
            r.versions = Some((truth, seen));
        }
        self.database(store).queue.push_back(id);
        self.start_work(store, cx);
    }

    fn service_time(&mut self, store: Store, id: u64, cx: &mut Context<'_, Event>) -> SimTime {
        let kind = self.requests.get(&id).map_or(Kind::Query, |r| r.kind);
        let secs = match (kind, store) {
            (Kind::Write, _) => {
                let mut t = self.write_service.sample_secs(cx.stream(WRITING));
                if self.cqrs() && self.params.consistency == Consistency::Synchronous {
                    // Every view is updated in the write's own transaction.
                    t += self.projection.sample_secs(cx.stream(PROJECTION));
                }
                t
            }
            (_, Store::Write) => self.join_service.sample_secs(cx.stream(SERVICE)),
            (_, Store::Replica(_)) => self.lookup_service.sample_secs(cx.stream(SERVICE)),
        };
        SimTime::from_secs_f64(secs / self.database(store).speed())
    }

    fn start_work(&mut self, store: Store, cx: &mut Context<'_, Event>) {
        loop {
            let db = self.database(store);
            if !db.up() || db.busy >= db.workers {
                return;
            }
            let Some(id) = db.queue.pop_front() else {
                return;
            };
            db.busy += 1;
            db.in_service.push(id);
            let epoch = db.epoch;
            let took = self.service_time(store, id, cx);
            cx.schedule(
                took,
                Event(Happening::Served {
                    store,
                    request: id,
                    epoch,
                }),
            );
        }
    }

    fn served(&mut self, store: Store, id: u64, epoch: u32, cx: &mut Context<'_, Event>) {
        let db = self.database(store);
        if db.epoch != epoch {
            return;
        }
        db.busy -= 1;
        db.in_service.retain(|&r| r != id);
        let now = cx.now();
        let rows = match store {
            Store::Write => self.params.join_rows,
            Store::Replica(_) => 1,
        };
        if let Some(r) = self.requests.get_mut(&id) {
            r.rows = rows;
            let (kind, entity) = (r.kind, r.entity);
            if kind == Kind::Write {
                self.commit(id, entity, cx);
            }
        }
        let at = now + self.delay();
        let carries = match self.requests.get(&id).map(|r| r.kind) {
            Some(Kind::Write) => Carries::Write,
            _ => Carries::Read,
        };
        self.wire
            .send(carries, Self::node(store), Node::Clients, now, at);
        cx.schedule_at(at, Event(Happening::Answered(id)));
        self.start_work(store, cx);
    }

    /// Write `id` commits a new version of `entity`, and its event.
    fn commit(&mut self, id: u64, entity: u32, cx: &mut Context<'_, Event>) {
        let e = entity as usize;
        self.written[e] += 1;
        let version = self.written[e];
        if let Some(r) = self.requests.get_mut(&id) {
            r.versions = Some((version, version));
        }
        self.log.append(None, (entity, version), cx.now());
        if !self.cqrs() {
            return;
        }
        if self.params.consistency == Consistency::Synchronous {
            self.projected[e] = version;
            self.projector.group.commit(0, self.log.end(0));
            cx.observe(self.ids.projection_lag, SimTime::ZERO);
            return;
        }
        cx.add_gauge(self.ids.behind, 1.0);
        self.project_next(cx);
    }

    fn answered(&mut self, id: u64, cx: &mut Context<'_, Event>) {
        let Some(r) = self.requests.get(&id) else {
            return;
        };
        let now = cx.now();
        match r.kind {
            Kind::Write => {
                cx.count(self.ids.written, 1);
                cx.observe(self.ids.write_latency, now - r.arrived);
                // Counted with the write they belong to, so that the
                // ratio of the two is exact over any window.
                if self.cqrs() {
                    cx.count(self.ids.view_updates, u64::from(self.params.views));
                }
                let version = r.versions.map_or(0, |(v, _)| v);
                self.to_read_back.insert(id, (r.entity, version));
                let back = SimTime::from_secs_f64(self.params.read_delay);
                cx.schedule(back, Event(Happening::ReadBack(id)));
            }
            kind => {
                if r.failed {
                    cx.count(self.ids.failed_reads, 1);
                } else {
                    cx.count(self.ids.answered, 1);
                    cx.count(self.ids.rows, u64::from(r.rows));
                    cx.observe(self.ids.read_latency, now - r.arrived);
                    if let Some((truth, seen)) = r.versions {
                        if seen < truth {
                            cx.count(self.ids.stale_reads, 1);
                        }
                        if let Kind::ReadBack { version } = kind {
                            cx.count(self.ids.read_backs_answered, 1);
                            if seen < version {
                                cx.count(self.ids.missed_own_writes, 1);
                            }
                        }
                    }
                }
            }
        }
        self.requests.remove(&id);
    }

    // ---- the projector ----

    fn project_next(&mut self, cx: &mut Context<'_, Event>) {
        if self.projector.current.is_some() {
            return;
        }
        let offset = self.projector.group.committed(0);
        if offset >= self.log.end(0) {
            self.rebuilt(cx.now());
            return;
        }
        self.projector.current = Some(offset);
        let took = match self.projector.rebuilding {
            Some(_) => SimTime::from_secs_f64(1.0 / self.params.replay_rate),
            None => self.projection.sample(cx.stream(PROJECTION)),
        };
        let epoch = self.projector.epoch;
        cx.schedule(took, Event(Happening::Projected { epoch }));
        let now = cx.now();
        self.wire.send(
            Carries::Event,
            Node::WriteStore,
            Node::Projector,
            now,
            now + took,
        );
    }

    fn projected(&mut self, epoch: u32, cx: &mut Context<'_, Event>) {
        if epoch != self.projector.epoch {
            return;
        }
        let Some(offset) = self.projector.current.take() else {
            return;
        };
        let now = cx.now();
        if let Ok(record) = self.log.read(0, offset) {
            let ((entity, version), at) = (record.event, record.at);
            let e = entity as usize;
            self.projected[e] = self.projected[e].max(version);
            // An event committed while a rebuild runs waits for it: its
            // lag counts; the history replayed was projected long ago.
            match &mut self.projector.rebuilding {
                Some((started, replayed)) => {
                    *replayed += 1;
                    if at >= *started {
                        cx.observe(self.ids.projection_lag, now - at);
                    }
                }
                None => cx.observe(self.ids.projection_lag, now - at),
            }
            cx.add_gauge(self.ids.behind, -1.0);
            self.wake(entity, cx);
        }
        self.projector.group.commit(0, offset + 1);
        for r in 0..self.replicas.len() as u32 {
            self.wire.send(
                Carries::Event,
                Node::Projector,
                Node::Replica(r),
                now,
                now + self.delay(),
            );
        }
        self.project_next(cx);
    }

    /// A rebuild with nothing left to replay is done.
    fn rebuilt(&mut self, now: SimTime) {
        if let Some((started, _)) = self.projector.rebuilding
            && self.projector.group.committed(0) >= self.log.end(0)
        {
            self.projector.rebuilding = None;
            let took = (now - started).as_secs_f64();
            self.rebuild_time = Some(took);
            self.happened
                .mark(now, format!("read model rebuilt in {took:.1} s"));
        }
    }

    /// Reads back of `entity` waiting for a version the views now hold.
    fn wake(&mut self, entity: u32, cx: &mut Context<'_, Event>) {
        let have = self.projected[entity as usize];
        let Some(waiting) = self.waiting.remove(&entity) else {
            return;
        };
        let (ready, still): (Vec<u64>, Vec<u64>) = waiting.into_iter().partition(|id| {
            self.requests
                .get(id)
                .is_some_and(|r| matches!(r.kind, Kind::ReadBack { version } if version <= have))
        });
        if !still.is_empty() {
            self.waiting.insert(entity, still);
        }
        for id in ready {
            match self.pick_replica() {
                // The views being rebuilt answer nothing.
                Some(r) if self.projector.rebuilding.is_none() => {
                    self.enqueue(Store::Replica(r), id, cx)
                }
                _ => self.fail_read(id, cx),
            }
        }
    }

    /// The read model is rebuilt: emptied, and the whole log replayed.
    fn rebuild(&mut self, cx: &mut Context<'_, Event>) {
        if !self.projects_apart() {
            return;
        }
        let now = cx.now();
        self.happened.mark(now, "read model rebuild starts".into());
        self.projector.epoch += 1;
        self.projector.current = None;
        self.projector.rebuilding = Some((now, 0));
        self.projector.group.commit(0, 0);
        self.projected.fill(0);
        cx.set_gauge(self.ids.behind, self.log.end(0) as f64);
        self.project_next(cx);
    }

    fn fault(&mut self, replica: u32, kind: FaultKind, cx: &mut Context<'_, Event>) {
        let Some(db) = self.replicas.get_mut(replica as usize) else {
            return;
        };
        match kind {
            FaultKind::Down => {
                db.condition = Condition::Down;
                db.epoch += 1;
                db.busy = 0;
                let lost: Vec<u64> = db.queue.drain(..).chain(db.in_service.drain(..)).collect();
                for id in lost {
                    self.fail_read(id, cx);
                }
            }
            FaultKind::Slow(k) => db.condition = Condition::Slow(k),
            FaultKind::Recover => {
                db.condition = Condition::Up;
                self.start_work(Store::Replica(replica), cx);
            }
        }
    }

    /// Where every request and event stands.
    pub fn accounting(&self, metrics: &Metrics) -> Accounting {
        let writing = self
            .requests
            .values()
            .filter(|r| r.kind == Kind::Write)
            .count() as u64;
        Accounting {
            writes: metrics.total(self.ids.writes),
            written: metrics.total(self.ids.written),
            writing,
            reads: metrics.total(self.ids.reads),
            answered: metrics.total(self.ids.answered),
            failed_reads: metrics.total(self.ids.failed_reads),
            reading: self.requests.len() as u64 - writing,
            events: self.log.end(0),
            projected: self.projector.group.committed(0),
        }
    }

    /// Events the projector has not applied (none without a projector).
    pub(super) fn behind(&self) -> u64 {
        if !self.projects_apart() {
            return 0;
        }
        self.log.end(0) - self.projector.group.committed(0)
    }
}

impl Model for Cqrs {
    type Event = Event;
    type Snapshot = Snapshot;

    fn start(&mut self, cx: &mut Context<'_, Event>) {
        if let Some(gap) = self.write_gap {
            let first = gap.sample(cx.stream(ARRIVALS));
            cx.schedule(first, Event(Happening::Write));
        }
        if let Some(gap) = self.query_gap {
            let first = gap.sample(cx.stream(ARRIVALS));
            cx.schedule(first, Event(Happening::Query));
        }
        for f in self.faults.clone() {
            cx.schedule_at(f.at, Event(Happening::Fault(f.node, f.kind)));
        }
        if self.params.rebuild_at > 0.0 {
            cx.schedule_at(
                SimTime::from_secs_f64(self.params.rebuild_at),
                Event(Happening::Rebuild),
            );
        }
    }

    fn handle(&mut self, event: Event, cx: &mut Context<'_, Event>) {
        match event.0 {
            Happening::Write => self.write(cx),
            Happening::Query => self.query(cx),
            Happening::Arrives { store, request } => self.arrives(store, request, cx),
            Happening::Served {
                store,
                request,
                epoch,
            } => self.served(store, request, epoch, cx),
            Happening::Answered(id) => self.answered(id, cx),
            Happening::ReadBack(id) => self.read_back(id, cx),
            Happening::Projected { epoch } => self.projected(epoch, cx),
            Happening::Rebuild => self.rebuild(cx),
            Happening::Fault(r, kind) => self.fault(r, kind, cx),
        }
    }

    fn snapshot(&self, now: SimTime) -> Snapshot {
        Snapshot {
            now,
            architecture: self.params.architecture,
            consistency: self.params.consistency,
            write_store: self.write_store.view(),
            replicas: self.replicas.iter().map(Database::view).collect(),
            projector: self.projects_apart().then(|| ProjectorView {
                behind: self.behind(),
                busy: self.projector.current.is_some(),
                rebuilding: self
                    .projector
                    .rebuilding
                    .map(|(_, replayed)| (replayed, self.log.end(0))),
            }),
            events: self.log.end(0),
            waiting_reads: self.waiting.values().map(|w| w.len() as u32).sum(),
            messages: self.wire.at(now).copied().collect(),
        }
    }
}
