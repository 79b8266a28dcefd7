//! The sharding model: a router in front of a table split over shards.
//!
//! A query's life: it *arrives* at the router, which either routes it by
//! the shard key to the one shard that holds its row, or — when the query
//! does not name the shard key — fans it out to every shard
//! (scatter-gather). Each shard request travels to its shard (*part
//! arrives*), is served at once, waits in the queue, or is rejected because
//! the queue is full; a shard that is down refuses it. Answers travel back
//! (*part reply*). A query completes when its last shard has answered, and
//! ends early as rejected or failed at the first request that is. Every
//! query ends in exactly one of completed, rejected or failed, or is still
//! in flight.
//!
//! Around the queries, the operator's world: a primary that fails is
//! replaced by a standby replica after the failover delay (or stays down if
//! there is none), and a resharding copies rows to their new shards in
//! batches that queue for the same workers as the queries.

use super::dataset::Dataset;
use super::migration::{Batch, COPY_COST, Migration};
use super::params::{MigrationReads, Params, ShardKey};
use super::slots::{Handle, Slots};
use crate::dashboard::Moment;
use crate::fault::{self, Fault, FaultKind};
use crate::keyspace::{Placement, Zipf};
use archsim_core::{
    Condition, Context, CounterId, Distribution, GaugeId, HistogramId, InFlight, Metrics, Model,
    Rng, SimTime,
};
use std::collections::VecDeque;

/// Random stream for arrival times, query kinds and rows: the same whatever
/// the strategy, key or shard count, so compared variants see identical
/// traffic.
const ARRIVALS: usize = 1;
/// Random stream for service times.
const SERVICE: usize = 2;
/// Random stream the table is generated from.
const DATASET: u64 = 3;

/// Something that happens in the sharding model.
#[derive(Clone, Debug)]
pub struct Event(Happening);

impl Event {
    /// A fault at the time the event is scheduled or injected: what a person
    /// does by clicking a shard in the playground.
    pub fn fault(shard: u32, kind: FaultKind) -> Self {
        Event(Happening::Fault(shard, kind))
    }
}

#[derive(Clone, Debug)]
enum Happening {
    Arrival,
    PartArrives(Handle),
    ServiceDone { shard: u32, epoch: u32, job: Job },
    PartReply(Handle),
    Fault(u32, FaultKind),
    Promote { shard: u32, epoch: u32 },
    Reshard,
    MigrationTick,
    BatchArrives(Handle),
    BatchAck(Handle),
}

/// Work a shard's workers do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Job {
    /// A shard request of a query.
    Part(Handle),
    /// Reading or writing a migration batch.
    Copy(Handle),
}

/// What a shard answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Answer {
    Served,
    /// The row is not on this shard yet (a double read's first try).
    Missed,
    Rejected,
    Refused,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    ToShard,
    Queued,
    InService,
    Replying(Answer),
}

struct Query {
    arrived: SimTime,
    scatter: bool,
    /// Shard requests not answered yet.
    parts_left: u32,
}

/// One shard request of a query.
struct Part {
    query: Handle,
    row: u32,
    shard: u32,
    /// Part of a scatter-gather query.
    scatter: bool,
    /// A read of the row's new shard, which may not have it yet.
    probe: bool,
    sent: SimTime,
    leg: (SimTime, SimTime),
    phase: Phase,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    ToSource,
    AtSource,
    ToTarget,
    AtTarget,
    Acking,
}

struct InBatch {
    batch: Batch,
    stage: Stage,
    leg: (SimTime, SimTime),
}

/// Whether a shard is part of the placement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "json", serde(rename_all = "snake_case"))]
pub enum Membership {
    /// Provisioned for a resharding that has not started: no rows.
    Standby,
    /// Holds rows and takes queries.
    Active,
    /// Added by a resharding in progress: receiving rows.
    Joining,
    /// Removed by a resharding in progress: giving its rows away.
    Leaving,
    /// Removed, and every row moved off it.
    Retired,
}

impl Membership {
    /// Whether queries that ask every shard ask this one.
    fn holds_data(self) -> bool {
        matches!(
            self,
            Membership::Active | Membership::Joining | Membership::Leaving
        )
    }
}

/// One shard: its primary's state, its standbys, its work and its metrics.
pub(super) struct Shard {
    condition: Condition,
    /// When a standby will have been promoted, while the primary is down.
    promote_at: Option<SimTime>,
    /// Standby replicas ready to take over.
    standbys: u32,
    /// Former primaries that failed and were replaced, not back yet.
    replaced: u32,
    pub(super) membership: Membership,
    /// Bumped when the primary fails, so work started before is forgotten.
    epoch: u32,
    in_service: Vec<Job>,
    queue: VecDeque<Job>,
    pub(super) rows: u64,
    served_total: u64,
    pub(super) routed: CounterId,
    pub(super) served: CounterId,
    pub(super) response: HistogramId,
    pub(super) busy_gauge: GaugeId,
    pub(super) queue_gauge: GaugeId,
    pub(super) load_gauge: GaugeId,
    pub(super) rows_gauge: GaugeId,
    pub(super) down_gauge: GaugeId,
}

impl Shard {
    fn speed(&self) -> f64 {
        match self.condition {
            Condition::Slow(k) => k,
            Condition::Up | Condition::Down => 1.0,
        }
    }

    fn down(&self) -> bool {
        self.condition == Condition::Down
    }
}

/// Metric ids the report reads.
pub(super) struct Ids {
    pub(super) arrived: CounterId,
    pub(super) single: CounterId,
    pub(super) scatter: CounterId,
    pub(super) completed: CounterId,
    pub(super) rejected: CounterId,
    pub(super) failed: CounterId,
    pub(super) shard_requests: CounterId,
    pub(super) misses: CounterId,
    pub(super) copied_rows: CounterId,
    pub(super) failovers: CounterId,
    pub(super) migration_arrivals: CounterId,
    pub(super) migration_requests: CounterId,
    pub(super) migration_latency: HistogramId,
    pub(super) latency: HistogramId,
    pub(super) single_latency: HistogramId,
    pub(super) scatter_latency: HistogramId,
    pub(super) in_system: GaugeId,
    pub(super) unavailable: GaugeId,
    pub(super) progress: GaugeId,
}

/// The sharded database: router, shards, table and migration.
pub struct ShardedDatabase {
    params: Params,
    interarrival: Distribution,
    service: Distribution,
    popularity: Zipf,
    pub(super) dataset: Dataset,
    pub(super) placement: Placement,
    /// The shard that holds each row now.
    location: Vec<u32>,
    pub(super) shards: Vec<Shard>,
    queries: Slots<Query>,
    parts: Slots<Part>,
    batches: Slots<InBatch>,
    pub(super) migration: Option<Migration>,
    faults: Vec<Fault>,
    pub(super) ids: Ids,
}

/// A node in the diagram.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "json", serde(rename_all = "snake_case"))]
pub enum Node {
    /// The query router (clients stand behind it).
    Router,
    /// Shard number `n` (from 0).
    Shard(u32),
}

/// One shard as the diagram shows it.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct ShardView {
    /// The primary's true condition.
    pub condition: Condition,
    /// While the primary is down and a standby is being promoted: when it
    /// will serve again.
    pub promote_at: Option<SimTime>,
    /// Standby replicas ready to take over.
    pub replicas: u32,
    /// Part of the placement or not.
    pub membership: Membership,
    /// Workers busy (queries and migration copies).
    pub busy: u32,
    /// Workers in all.
    pub workers: u32,
    /// Requests waiting.
    pub queued: u32,
    /// Room in the queue.
    pub queue_capacity: u32,
    /// Rows it holds now.
    pub rows: u64,
    /// Shard requests it has served since the start.
    pub served: u64,
}

/// A resharding as the diagram shows it.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct MigrationView {
    /// Rows that have to move.
    pub moved_rows: u64,
    /// Rows moved so far.
    pub copied_rows: u64,
    /// Whether every row has moved.
    pub done: bool,
    /// Per shard (by index; none past the last that takes part), rows
    /// still to leave it.
    pub to_leave: Vec<u64>,
    /// Per shard, likewise, rows still to arrive on it.
    pub to_arrive: Vec<u64>,
}

/// Everything the diagram draws at one instant.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct Snapshot {
    /// The instant.
    pub now: SimTime,
    /// Every shard that exists at some point of the run.
    pub shards: Vec<ShardView>,
    /// Total rows in the table.
    pub rows: u64,
    /// Queries in flight.
    pub queries: u32,
    /// Single-shard requests and their answers on the wire.
    pub lookups: Vec<InFlight<Node>>,
    /// Scatter-gather requests and their answers on the wire: one query
    /// fans out to every shard at once.
    pub fan_out: Vec<InFlight<Node>>,
    /// Migration batches on the wire: router to old shard, old shard to
    /// new shard, new shard back to the router.
    pub copies: Vec<InFlight<Node>>,
    /// The resharding, once it has started.
    pub migration: Option<MigrationView>,
}

impl ShardedDatabase {
    /// Build the model for checked `params` and the table of `seed`,
    /// registering its metrics.
    pub(super) fn new(params: &Params, seed: u64, metrics: &mut Metrics) -> Self {
        let dataset = Dataset::generate(
            params.keys,
            params.tenants,
            params.countries,
            &mut Rng::stream(seed, DATASET),
        );
        let placement = Placement::new(
            params.strategy,
            (0..params.shards).collect(),
            dataset.domain(params.shard_key),
            params.virtual_nodes,
        );
        let location: Vec<u32> = (0..dataset.rows())
            .map(|r| placement.node_of(dataset.value(r, params.shard_key)))
            .collect();
        let mut rows = vec![0u64; params.max_shards() as usize];
        for &s in &location {
            rows[s as usize] += 1;
        }
        let shards = (0..params.max_shards())
            .map(|s| {
                let name = |what: &str| format!("shard{}.{what}", s + 1);
                let shard = Shard {
                    condition: Condition::Up,
                    promote_at: None,
                    standbys: params.replicas,
                    replaced: 0,
                    membership: if s < params.shards {
                        Membership::Active
                    } else {
                        Membership::Standby
                    },
                    epoch: 0,
                    in_service: Vec::new(),
                    queue: VecDeque::new(),
                    rows: rows[s as usize],
                    served_total: 0,
                    routed: metrics.counter(name("routed")),
                    served: metrics.counter(name("served")),
                    response: metrics.histogram(name("response")),
                    busy_gauge: metrics.gauge(name("busy")),
                    queue_gauge: metrics.gauge(name("queue")),
                    load_gauge: metrics.gauge(name("load")),
                    rows_gauge: metrics.gauge(name("rows")),
                    down_gauge: metrics.gauge(name("down")),
                };
                metrics.set_gauge(SimTime::ZERO, shard.rows_gauge, shard.rows as f64);
                shard
            })
            .collect();
        let ids = Ids {
            arrived: metrics.counter("arrived"),
            single: metrics.counter("single_shard"),
            scatter: metrics.counter("scatter_gather"),
            completed: metrics.counter("completed"),
            rejected: metrics.counter("rejected"),
            failed: metrics.counter("failed"),
            shard_requests: metrics.counter("shard_requests"),
            misses: metrics.counter("misses"),
            copied_rows: metrics.counter("copied_rows"),
            failovers: metrics.counter("failovers"),
            migration_arrivals: metrics.counter("migration.arrived"),
            migration_requests: metrics.counter("migration.shard_requests"),
            migration_latency: metrics.histogram("migration.latency"),
            latency: metrics.histogram("latency"),
            single_latency: metrics.histogram("single_shard_latency"),
            scatter_latency: metrics.histogram("scatter_gather_latency"),
            in_system: metrics.gauge("in_system"),
            unavailable: metrics.gauge("unavailable"),
            progress: metrics.gauge("migration_progress"),
        };
        ShardedDatabase {
            interarrival: Distribution::Exponential {
                mean: 1.0 / params.request_rate,
            },
            service: Distribution::Exponential {
                mean: 1.0 / params.service_rate,
            },
            popularity: Zipf::new(u64::from(params.keys), params.zipf_alpha),
            dataset,
            placement,
            location,
            shards,
            queries: Slots::default(),
            parts: Slots::default(),
            batches: Slots::default(),
            migration: None,
            faults: params.fault_schedule(),
            ids,
            params: params.clone(),
        }
    }

    /// What the charts mark up to `now`: the faults, and a resharding
    /// starting and ending.
    pub fn moments(&self, now: SimTime) -> Vec<Moment> {
        let mut moments = fault::moments(&self.faults, "shard", now);
        if let Some(m) = &self.migration {
            let ends = m.finished.filter(|&t| t > m.started);
            for (at, what) in [
                (Some(m.started), "resharding starts"),
                (ends, "resharding done"),
            ] {
                if let Some(at) = at.filter(|&t| t <= now) {
                    moments.push(Moment {
                        at: at.as_secs_f64(),
                        what: what.into(),
                    });
                }
            }
        }
        Moment::in_order(moments)
    }

    /// The parameters the model was built with.
    pub fn params(&self) -> &Params {
        &self.params
    }

    /// The table.
    pub fn dataset(&self) -> &Dataset {
        &self.dataset
    }

    /// The placement in force: during a resharding, the old one.
    pub fn placement(&self) -> &Placement {
        &self.placement
    }

    /// The shard that holds `row` now.
    pub fn location(&self, row: u32) -> u32 {
        self.location[row as usize]
    }

    /// Queries that have neither completed nor failed yet.
    pub fn in_flight(&self) -> u64 {
        self.queries.len() as u64
    }

    /// Whether rows are moving.
    fn migrating(&self) -> bool {
        self.migration.as_ref().is_some_and(|m| !m.done())
    }

    fn delay(&self) -> SimTime {
        SimTime::from_secs_f64(self.params.network_delay)
    }

    fn key(&self) -> ShardKey {
        self.params.shard_key
    }

    /// Where a lookup of `row` goes, and whether it may miss there (a
    /// double read of a row that may not have been copied yet).
    fn route(&self, row: u32) -> (u32, bool) {
        let at = self.location[row as usize];
        match &self.migration {
            Some(m) if !m.done() && self.params.migration_reads == MigrationReads::DoubleRead => {
                let to = m.target.node_of(self.dataset.value(row, self.key()));
                (to, to != at)
            }
            _ => (at, false),
        }
    }

    fn on_arrival(&mut self, cx: &mut Context<'_, Event>) {
        let rng = cx.stream(ARRIVALS);
        let scatter = rng.chance(self.params.query_mix);
        let row = self.popularity.sample(rng) as u32;
        let gap = self.interarrival.sample(rng);
        cx.schedule(gap, Event(Happening::Arrival));
        cx.count(self.ids.arrived, 1);
        cx.count(
            if scatter {
                self.ids.scatter
            } else {
                self.ids.single
            },
            1,
        );
        cx.add_gauge(self.ids.in_system, 1.0);
        if self.migrating() {
            cx.count(self.ids.migration_arrivals, 1);
        }
        let query = self.queries.insert(Query {
            arrived: cx.now(),
            scatter,
            parts_left: 0,
        });
        if scatter {
            let targets: Vec<u32> = (0..self.shards.len() as u32)
                .filter(|&s| self.shards[s as usize].membership.holds_data())
                .collect();
            if let Some(q) = self.queries.get_mut(query) {
                q.parts_left = targets.len() as u32;
            }
            for s in targets {
                self.send(query, row, s, (true, false), cx);
            }
        } else {
            let (s, probe) = self.route(row);
            if let Some(q) = self.queries.get_mut(query) {
                q.parts_left = 1;
            }
            self.send(query, row, s, (false, probe), cx);
        }
    }

    /// Send a shard request of `query` to `shard`; `kind` says whether it
    /// is part of a scatter-gather query and whether it may miss.
    fn send(
        &mut self,
        query: Handle,
        row: u32,
        shard: u32,
        (scatter, probe): (bool, bool),
        cx: &mut Context<'_, Event>,
    ) {
        cx.count(self.shards[shard as usize].routed, 1);
        cx.count(self.ids.shard_requests, 1);
        if self.migrating() {
            cx.count(self.ids.migration_requests, 1);
        }
        let now = cx.now();
        let leg = (now, now + self.delay());
        let part = self.parts.insert(Part {
            query,
            row,
            shard,
            scatter,
            probe,
            sent: now,
            leg,
            phase: Phase::ToShard,
        });
        cx.schedule_at(leg.1, Event(Happening::PartArrives(part)));
    }

    fn on_part_arrives(&mut self, h: Handle, cx: &mut Context<'_, Event>) {
        let Some(part) = self.parts.get(h) else {
            return;
        };
        let s = part.shard;
        let shard = &self.shards[s as usize];
        if shard.down() {
            self.reply(h, Answer::Refused, cx);
        } else if shard.in_service.len() < self.params.workers as usize {
            self.start(s, Job::Part(h), cx);
        } else if shard.queue.len() < self.params.queue_capacity as usize {
            self.shards[s as usize].queue.push_back(Job::Part(h));
            if let Some(p) = self.parts.get_mut(h) {
                p.phase = Phase::Queued;
            }
            self.update_gauges(s, cx);
        } else {
            self.reply(h, Answer::Rejected, cx);
        }
    }

    /// A worker of shard `s` takes up `job`.
    fn start(&mut self, s: u32, job: Job, cx: &mut Context<'_, Event>) {
        let seconds = match job {
            Job::Part(h) => {
                if let Some(p) = self.parts.get_mut(h) {
                    p.phase = Phase::InService;
                }
                self.service.sample_secs(cx.stream(SERVICE))
            }
            Job::Copy(h) => self.batches.get(h).map_or(0.0, |b| {
                b.batch.rows.len() as f64 * COPY_COST / self.params.service_rate
            }),
        };
        let shard = &mut self.shards[s as usize];
        shard.in_service.push(job);
        let took = SimTime::from_secs_f64(seconds / shard.speed());
        cx.schedule(
            took,
            Event(Happening::ServiceDone {
                shard: s,
                epoch: shard.epoch,
                job,
            }),
        );
        self.update_gauges(s, cx);
    }

    fn on_service_done(&mut self, s: u32, epoch: u32, job: Job, cx: &mut Context<'_, Event>) {
        let shard = &mut self.shards[s as usize];
        if shard.epoch != epoch {
            return; // the primary failed meanwhile; the work was lost with it
        }
        if let Some(i) = shard.in_service.iter().position(|&j| j == job) {
            shard.in_service.swap_remove(i);
        }
        if let Some(next) = shard.queue.pop_front() {
            self.start(s, next, cx);
        } else {
            self.update_gauges(s, cx);
        }
        match job {
            Job::Part(h) => {
                let shard = &mut self.shards[s as usize];
                shard.served_total += 1;
                cx.count(shard.served, 1);
                let missed = self
                    .parts
                    .get(h)
                    .is_some_and(|p| p.probe && self.location[p.row as usize] != s);
                let answer = if missed {
                    Answer::Missed
                } else {
                    Answer::Served
                };
                self.reply(h, answer, cx);
            }
            Job::Copy(h) => self.copy_done(h, cx),
        }
    }

    /// The shard's answer starts back towards the router.
    fn reply(&mut self, h: Handle, answer: Answer, cx: &mut Context<'_, Event>) {
        let now = cx.now();
        let back = now + self.delay();
        if let Some(p) = self.parts.get_mut(h) {
            p.phase = Phase::Replying(answer);
            p.leg = (now, back);
        }
        cx.schedule_at(back, Event(Happening::PartReply(h)));
    }

    fn on_part_reply(&mut self, h: Handle, cx: &mut Context<'_, Event>) {
        let Some(part) = self.parts.remove(h) else {
            return;
        };
        let Phase::Replying(answer) = part.phase else {
            return;
        };
        let now = cx.now();
        if answer == Answer::Served {
            cx.observe(self.shards[part.shard as usize].response, now - part.sent);
        }
        if self.queries.get(part.query).is_none() {
            return; // the query already ended; nobody waits for this answer
        }
        match answer {
            Answer::Served => {
                let last = self.queries.get_mut(part.query).is_some_and(|q| {
                    q.parts_left -= 1;
                    q.parts_left == 0
                });
                if last {
                    self.end(part.query, self.ids.completed, cx);
                }
            }
            Answer::Missed => {
                // Not copied yet: ask the shard that holds it now.
                cx.count(self.ids.misses, 1);
                let at = self.location[part.row as usize];
                self.send(part.query, part.row, at, (false, false), cx);
            }
            Answer::Rejected => self.end(part.query, self.ids.rejected, cx),
            Answer::Refused => self.end(part.query, self.ids.failed, cx),
        }
    }

    /// The query ends as `outcome`.
    fn end(&mut self, query: Handle, outcome: CounterId, cx: &mut Context<'_, Event>) {
        let Some(q) = self.queries.remove(query) else {
            return;
        };
        cx.count(outcome, 1);
        cx.add_gauge(self.ids.in_system, -1.0);
        if outcome == self.ids.completed {
            let took = cx.now() - q.arrived;
            cx.observe(self.ids.latency, took);
            let by_kind = if q.scatter {
                self.ids.scatter_latency
            } else {
                self.ids.single_latency
            };
            cx.observe(by_kind, took);
            if self.migrating() {
                cx.observe(self.ids.migration_latency, took);
            }
        }
    }

    fn on_fault(&mut self, s: u32, kind: FaultKind, cx: &mut Context<'_, Event>) {
        let now = cx.now();
        let failover = SimTime::from_secs_f64(self.params.failover_delay);
        let Some(shard) = self.shards.get_mut(s as usize) else {
            return;
        };
        let mut lost = Vec::new();
        match kind {
            FaultKind::Down if !shard.down() => {
                shard.condition = Condition::Down;
                shard.epoch += 1;
                if shard.standbys > 0 {
                    let at = now + failover;
                    shard.promote_at = Some(at);
                    cx.schedule_at(
                        at,
                        Event(Happening::Promote {
                            shard: s,
                            epoch: shard.epoch,
                        }),
                    );
                }
                lost.extend(shard.in_service.drain(..).chain(shard.queue.drain(..)));
                cx.set_gauge(shard.down_gauge, 1.0);
            }
            FaultKind::Down => {}
            FaultKind::Slow(k) => {
                if !shard.down() {
                    shard.condition = Condition::Slow(k);
                }
            }
            FaultKind::Recover => {
                if shard.down() {
                    // The primary restarts with its data; a pending
                    // promotion is called off.
                    shard.condition = Condition::Up;
                    shard.promote_at = None;
                    cx.set_gauge(shard.down_gauge, 0.0);
                } else {
                    shard.condition = Condition::Up;
                    if shard.replaced > 0 {
                        // A replaced primary rejoins as a standby.
                        shard.replaced -= 1;
                        shard.standbys += 1;
                    }
                }
            }
        }
        for job in lost {
            match job {
                // Connection reset: the request fails.
                Job::Part(h) => self.reply(h, Answer::Refused, cx),
                Job::Copy(h) => self.copy_failed(h, cx),
            }
        }
        self.update_unavailable(cx);
        self.update_gauges(s, cx);
    }

    fn on_promote(&mut self, s: u32, epoch: u32, cx: &mut Context<'_, Event>) {
        let shard = &mut self.shards[s as usize];
        if shard.epoch != epoch || !shard.down() || shard.promote_at.is_none() {
            return;
        }
        shard.condition = Condition::Up;
        shard.promote_at = None;
        shard.standbys -= 1;
        shard.replaced += 1;
        cx.set_gauge(shard.down_gauge, 0.0);
        cx.count(self.ids.failovers, 1);
        self.update_unavailable(cx);
    }

    /// Fraction of rows on shards that are down.
    fn update_unavailable(&self, cx: &mut Context<'_, Event>) {
        let down: u64 = self
            .shards
            .iter()
            .filter(|s| s.down())
            .map(|s| s.rows)
            .sum();
        cx.set_gauge(
            self.ids.unavailable,
            down as f64 / f64::from(self.dataset.rows()),
        );
    }

    fn on_reshard(&mut self, cx: &mut Context<'_, Event>) {
        let target = self
            .placement
            .with_nodes((0..self.params.reshard_to).collect());
        for (s, shard) in self.shards.iter_mut().enumerate() {
            let s = s as u32;
            let (was, will) = (
                self.placement.nodes().contains(&s),
                target.nodes().contains(&s),
            );
            shard.membership = match (was, will) {
                (true, true) => Membership::Active,
                (false, true) => Membership::Joining,
                (true, false) => Membership::Leaving,
                (false, false) => Membership::Standby,
            };
        }
        let migration = Migration::plan(
            &self.placement,
            target,
            &self.dataset,
            self.key(),
            &self.location,
            cx.now(),
            self.params.migration_rate,
        );
        let done = migration.done();
        self.migration = Some(migration);
        if done {
            self.finish_migration(cx);
        } else {
            self.pump(cx);
        }
    }

    /// Start every batch the pace allows now, and wake up for the next.
    fn pump(&mut self, cx: &mut Context<'_, Event>) {
        let now = cx.now();
        while let Some(batch) = self.migration.as_mut().and_then(|m| m.release(now)) {
            let leg = (now, now + self.delay());
            let h = self.batches.insert(InBatch {
                batch,
                stage: Stage::ToSource,
                leg,
            });
            cx.schedule_at(leg.1, Event(Happening::BatchArrives(h)));
        }
        if let Some(m) = self.migration.as_mut()
            && !m.tick_scheduled
            && let Some(at) = m.next_release()
        {
            m.tick_scheduled = true;
            cx.schedule_at(at, Event(Happening::MigrationTick));
        }
    }

    fn on_migration_tick(&mut self, cx: &mut Context<'_, Event>) {
        if let Some(m) = self.migration.as_mut() {
            m.tick_scheduled = false;
        }
        self.pump(cx);
    }

    fn on_batch_arrives(&mut self, h: Handle, cx: &mut Context<'_, Event>) {
        let Some(b) = self.batches.get_mut(h) else {
            return;
        };
        let s = if b.stage == Stage::ToSource {
            b.stage = Stage::AtSource;
            b.batch.from
        } else {
            b.stage = Stage::AtTarget;
            b.batch.to
        };
        let shard = &self.shards[s as usize];
        if shard.down() {
            self.copy_failed(h, cx);
        } else if shard.in_service.len() < self.params.workers as usize {
            self.start(s, Job::Copy(h), cx);
        } else {
            // Background work waits its turn, whatever the queue's limit.
            self.shards[s as usize].queue.push_back(Job::Copy(h));
            self.update_gauges(s, cx);
        }
    }

    /// A worker finished reading or writing a batch.
    fn copy_done(&mut self, h: Handle, cx: &mut Context<'_, Event>) {
        let now = cx.now();
        let arrives = now + self.delay();
        let Some(b) = self.batches.get_mut(h) else {
            return;
        };
        b.leg = (now, arrives);
        if b.stage == Stage::AtSource {
            b.stage = Stage::ToTarget;
            cx.schedule_at(arrives, Event(Happening::BatchArrives(h)));
        } else {
            b.stage = Stage::Acking;
            cx.schedule_at(arrives, Event(Happening::BatchAck(h)));
        }
    }

    fn copy_failed(&mut self, h: Handle, cx: &mut Context<'_, Event>) {
        let Some(b) = self.batches.remove(h) else {
            return;
        };
        if let Some(m) = self.migration.as_mut() {
            m.retry(b.batch, cx.now());
        }
        self.pump(cx);
    }

    /// The router commits a copied batch: its rows live on the new shard.
    fn on_batch_ack(&mut self, h: Handle, cx: &mut Context<'_, Event>) {
        let Some(InBatch { batch, .. }) = self.batches.remove(h) else {
            return;
        };
        for &row in &batch.rows {
            self.location[row as usize] = batch.to;
        }
        let n = batch.rows.len() as u64;
        self.shards[batch.from as usize].rows -= n;
        self.shards[batch.to as usize].rows += n;
        for s in [batch.from, batch.to] {
            let shard = &self.shards[s as usize];
            cx.set_gauge(shard.rows_gauge, shard.rows as f64);
        }
        cx.count(self.ids.copied_rows, n);
        let now = cx.now();
        let Some(m) = self.migration.as_mut() else {
            return;
        };
        m.committed(&batch, now);
        let (progress, done) = (m.progress(), m.done());
        cx.set_gauge(self.ids.progress, progress);
        self.update_unavailable(cx);
        if done {
            self.finish_migration(cx);
        } else {
            self.pump(cx);
        }
    }

    /// Every row has moved: the new placement is the placement.
    fn finish_migration(&mut self, cx: &mut Context<'_, Event>) {
        let Some(m) = self.migration.as_ref() else {
            return;
        };
        self.placement = m.target.clone();
        cx.set_gauge(self.ids.progress, 1.0);
        for shard in &mut self.shards {
            shard.membership = match shard.membership {
                Membership::Joining => Membership::Active,
                Membership::Leaving => Membership::Retired,
                other => other,
            };
        }
    }

    fn update_gauges(&self, s: u32, cx: &mut Context<'_, Event>) {
        let shard = &self.shards[s as usize];
        let (busy, queued) = (shard.in_service.len(), shard.queue.len());
        cx.set_gauge(shard.busy_gauge, busy as f64);
        cx.set_gauge(shard.queue_gauge, queued as f64);
        cx.set_gauge(shard.load_gauge, (busy + queued) as f64);
    }
}

impl Model for ShardedDatabase {
    type Event = Event;
    type Snapshot = Snapshot;

    fn start(&mut self, cx: &mut Context<'_, Event>) {
        let gap = self.interarrival.sample(cx.stream(ARRIVALS));
        cx.schedule(gap, Event(Happening::Arrival));
        for f in &self.faults {
            cx.schedule_at(f.at, Event(Happening::Fault(f.node, f.kind)));
        }
        if self.params.reshard_to > 0 {
            let at = SimTime::from_secs_f64(self.params.reshard_at);
            cx.schedule_at(at, Event(Happening::Reshard));
        }
    }

    fn handle(&mut self, Event(event): Event, cx: &mut Context<'_, Event>) {
        match event {
            Happening::Arrival => self.on_arrival(cx),
            Happening::PartArrives(h) => self.on_part_arrives(h, cx),
            Happening::ServiceDone { shard, epoch, job } => {
                self.on_service_done(shard, epoch, job, cx);
            }
            Happening::PartReply(h) => self.on_part_reply(h, cx),
            Happening::Fault(s, kind) => self.on_fault(s, kind, cx),
            Happening::Promote { shard, epoch } => self.on_promote(shard, epoch, cx),
            Happening::Reshard => self.on_reshard(cx),
            Happening::MigrationTick => self.on_migration_tick(cx),
            Happening::BatchArrives(h) => self.on_batch_arrives(h, cx),
            Happening::BatchAck(h) => self.on_batch_ack(h, cx),
        }
    }

    fn snapshot(&self, now: SimTime) -> Snapshot {
        let shards = self
            .shards
            .iter()
            .map(|s| ShardView {
                condition: s.condition,
                promote_at: s.promote_at,
                replicas: s.standbys,
                membership: s.membership,
                busy: s.in_service.len() as u32,
                workers: self.params.workers,
                queued: s.queue.len() as u32,
                queue_capacity: self.params.queue_capacity,
                rows: s.rows,
                served: s.served_total,
            })
            .collect();
        let (mut lookups, mut fan_out) = (Vec::new(), Vec::new());
        for p in self.parts.iter() {
            let (from, to) = match p.phase {
                Phase::ToShard => (Node::Router, Node::Shard(p.shard)),
                Phase::Replying(_) => (Node::Shard(p.shard), Node::Router),
                Phase::Queued | Phase::InService => continue,
            };
            let flight = InFlight {
                from,
                to,
                sent_at: p.leg.0,
                arrives_at: p.leg.1,
            };
            if p.scatter {
                fan_out.push(flight);
            } else {
                lookups.push(flight);
            }
        }
        let copies = self
            .batches
            .iter()
            .filter_map(|b| {
                let (from, to) = match b.stage {
                    Stage::ToSource => (Node::Router, Node::Shard(b.batch.from)),
                    Stage::ToTarget => (Node::Shard(b.batch.from), Node::Shard(b.batch.to)),
                    Stage::Acking => (Node::Shard(b.batch.to), Node::Router),
                    Stage::AtSource | Stage::AtTarget => return None,
                };
                Some(InFlight {
                    from,
                    to,
                    sent_at: b.leg.0,
                    arrives_at: b.leg.1,
                })
            })
            .collect();
        Snapshot {
            now,
            shards,
            rows: u64::from(self.dataset.rows()),
            queries: self.queries.len() as u32,
            lookups,
            fan_out,
            copies,
            migration: self.migration.as_ref().map(|m| MigrationView {
                moved_rows: m.moved_rows,
                copied_rows: m.copied_rows,
                done: m.done(),
                to_leave: m.to_leave.clone(),
                to_arrive: m.to_arrive.clone(),
            }),
        }
    }
}
