//! The event-driven model: a producer, the brokers holding a topic, and
//! services downstream that either consume the topic as consumer groups
//! or are called by the producer directly.
//!
//! An event's life with a broker: the producer *publishes* it; it travels
//! to the partition leader, which appends it (or refuses it) and copies it
//! to the followers; once every in-sync replica has it, it is *committed*
//! and lands in its partition of the [`Topic`]. Each service's consumer
//! group shares the partitions among its members; the owner of a
//! partition is *delivered* its records (pushed as they are committed, or
//! fetched at each poll), keeps them in a small buffer and *handles* them
//! one at a time, applying each to its [`Ledger`]. Offsets are committed to
//! the group as the delivery guarantee says, and a crash or a rebalance
//! starts the partition again from the committed offset.
//!
//! Called synchronously, each service is a pool of workers with one queue:
//! the producer's request waits for every service to answer.

use super::broker::{Cluster, Taken, Written};
use super::ledger::{self, Fate, Ledger, Movement};
use super::params::{Acks, Delivery, Integration, Params, PartitionKey};
use super::view::{
    BrokerView, ConsumerView, Node, PartitionView, ReplayView, ServiceView, Snapshot, Span,
    SpanKind, Trace,
};
use crate::dashboard::{Happenings, Moment};
use crate::event_log::{Group, Retention, Topic};
use crate::fault::{Fault, FaultKind};
use crate::wire::Wire;
use archsim_core::{
    Condition, Context, CounterId, Distribution, GaugeId, HistogramId, Metrics, Model, SimTime,
};
use std::collections::{BTreeMap, VecDeque};

/// Random stream for publishing times, accounts and amounts: the same
/// whatever else changes, so compared variants see identical events.
const ARRIVALS: usize = 1;
/// Random stream for handling times.
const HANDLING: usize = 2;
/// Random stream for replication delays.
const REPLICATION: usize = 3;
/// Random stream for consumer crashes and poll phases.
const CRASHES: usize = 4;

/// Records a consumer holds delivered and not yet handled, at most (its
/// fetch size): beyond it, a backlog waits in the log.
const FETCH: usize = 64;
/// How often a replay reads its next batch.
const REPLAY_TICK: SimTime = SimTime::from_millis(10);
/// How long a trace may stay open before a newer event is traced instead.
const TRACE_PATIENCE: SimTime = SimTime::from_secs(2);
/// The largest single deposit or withdrawal, cents.
const MAX_AMOUNT: u64 = 10_000;

/// What the producer sends: one event, with its correlation id.
#[derive(Clone, Debug)]
pub(super) struct Payload {
    pub(super) id: u64,
    pub(super) movement: Movement,
    pub(super) sent: SimTime,
    pub(super) poison: bool,
}

/// Something that happens in the event-driven model.
#[derive(Clone, Debug)]
pub struct Event(Happening);

#[derive(Clone, Debug)]
enum Happening {
    Publish,
    AtLeader(Payload),
    Copied {
        replica: u32,
        index: usize,
        era: u32,
    },
    LeaderCrash,
    Elected,
    Delivered(Handover),
    Handled {
        consumer: u32,
        era: u32,
    },
    Commit(u32),
    Poll(u32),
    Rebalanced {
        service: u32,
        generation: u64,
    },
    Crash(u32),
    Restart(u32),
    Fault(u32, FaultKind),
    ReplayTick,
    CallArrives {
        service: u32,
        request: u64,
        sent: SimTime,
    },
    Reply {
        request: u64,
        ok: bool,
    },
    CallTimeout(u64),
}

/// A record on its way to a consumer.
#[derive(Clone, Copy, Debug)]
struct Handover {
    consumer: u32,
    era: u32,
    partition: u32,
    offset: u64,
}

/// What a consumer (or worker) is busy with.
#[derive(Clone, Copy, Debug)]
enum Job {
    Record { partition: u32, offset: u64 },
    Call { request: u64, sent: SimTime },
}

#[derive(Clone, Copy, Debug)]
struct Work {
    job: Job,
    started: SimTime,
    failures: u32,
}

/// One consumer of a service's group, or one worker of a service called
/// synchronously.
struct Consumer {
    service: u32,
    member: u32,
    up: bool,
    speed: f64,
    /// Bumped whenever its deliveries and its work in hand become void.
    era: u32,
    /// Records delivered: partition, offset, when it arrived.
    buffer: VecDeque<(u32, u64, SimTime)>,
    incoming: u32,
    current: Option<Work>,
    /// Per partition: the next offset to deliver and to handle (meaningful
    /// for the partitions it owns).
    fetched: Vec<u64>,
    handled: Vec<u64>,
    /// Where the round robin over its partitions goes on.
    next_partition: u32,
    /// The partitions the group gave it at the last rebalance.
    owns: Vec<u32>,
}

impl Consumer {
    fn held(&self) -> usize {
        self.buffer.len() + self.incoming as usize + usize::from(self.current.is_some())
    }
}

/// One service downstream.
struct Service {
    group: Group,
    rebalancing: bool,
    ledger: Ledger,
    /// Calls waiting for a worker (synchronous calls).
    queue: VecDeque<(u64, SimTime, SimTime)>,
    /// Records neither handled, lost nor dead-lettered... settled ones.
    settled: u64,
    /// Per partition, records not committed (for the gauges).
    lag: Vec<u64>,
    handled: CounterId,
    lag_gauge: GaugeId,
}

/// A request the producer waits on (synchronous calls).
struct Request {
    sent: SimTime,
    awaiting: u32,
}

/// A replay rebuilding the first service's state from the log.
struct Replay {
    positions: Vec<u64>,
    balances: Vec<i64>,
    replayed: u64,
    budget: f64,
    as_of: SimTime,
    caught_up: Option<SimTime>,
    checksums: Option<(u64, u64)>,
    differing: u32,
}

/// A trace being put together.
struct Tracing {
    id: u64,
    started: SimTime,
    spans: Vec<Span>,
    committed: SimTime,
    open: u32,
}

/// Metric ids the report reads.
pub(super) struct Ids {
    pub(super) sent: CounterId,
    pub(super) committed: CounterId,
    pub(super) refused: CounterId,
    pub(super) lost_writes: CounterId,
    pub(super) handled: CounterId,
    pub(super) duplicates: CounterId,
    pub(super) lost_events: CounterId,
    pub(super) reordered: CounterId,
    pub(super) bounced: CounterId,
    pub(super) dead_lettered: CounterId,
    pub(super) completed: CounterId,
    pub(super) failed: CounterId,
    pub(super) timed_out: CounterId,
    pub(super) rebalances: CounterId,
    pub(super) crashes: CounterId,
    pub(super) producer_latency: HistogramId,
    pub(super) handled_latency: HistogramId,
    pub(super) lag: GaugeId,
}

/// Where every event stands, counted two ways: what conservation checks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Accounting {
    /// Events the producer sent.
    pub sent: u64,
    /// Committed to the topic.
    pub committed: u64,
    /// In the leader's log, not committed yet.
    pub uncommitted: u64,
    /// On their way to the leader.
    pub to_broker: u64,
    /// Refused, or dropped unacknowledged: the producer was told.
    pub refused: u64,
    /// Acknowledged (or sent without acks) and gone.
    pub lost_writes: u64,
    /// Requests answered in full (synchronous calls).
    pub completed: u64,
    /// Requests failed or timed out (synchronous calls).
    pub failed: u64,
    /// Requests still waited on (synchronous calls).
    pub waiting: u64,
    /// Per service, committed records: handled, waiting in the log,
    /// delivered and not handled, dead-lettered, lost.
    pub services: Vec<[u64; 5]>,
}

/// The event-driven model.
pub struct EventDriven {
    params: Params,
    interarrival: Distribution,
    handling: Distribution,
    faults: Vec<Fault>,
    crashes: Vec<SimTime>,
    next_id: u64,
    /// What the producer believes each account holds.
    reference: Vec<i64>,
    poison_sent: bool,
    cluster: Cluster<Payload>,
    /// When each follower's last copy lands: copies arrive in order.
    last_copy: Vec<SimTime>,
    to_broker: u64,
    pub(super) topic: Topic<Payload>,
    services: Vec<Service>,
    consumers: Vec<Consumer>,
    requests: BTreeMap<u64, Request>,
    replay: Option<Replay>,
    tracing: Option<Tracing>,
    trace: Option<Trace>,
    wire: Wire<Node>,
    dead_letters: u64,
    happened: Happenings,
    partition_lag: Vec<GaugeId>,
    pub(super) ids: Ids,
}

impl EventDriven {
    /// Build the model for checked `params`, registering its metrics.
    pub(super) fn new(params: &Params, metrics: &mut Metrics) -> Self {
        let partitions = params.partitions;
        let services = (0..params.services)
            .map(|s| Service {
                group: Group::new(partitions),
                rebalancing: false,
                ledger: Ledger::new(params.accounts),
                queue: VecDeque::new(),
                settled: 0,
                lag: vec![0; partitions as usize],
                handled: metrics.counter(format!("service{}.handled", s + 1)),
                lag_gauge: metrics.gauge(format!("service{}.lag", s + 1)),
            })
            .collect();
        let consumers = (0..params.consumer_count())
            .map(|c| Consumer {
                service: c / params.consumers,
                member: c % params.consumers,
                up: true,
                speed: 1.0,
                era: 0,
                buffer: VecDeque::new(),
                incoming: 0,
                current: None,
                fetched: vec![0; partitions as usize],
                handled: vec![0; partitions as usize],
                next_partition: 0,
                owns: Vec::new(),
            })
            .collect();
        let ids = Ids {
            sent: metrics.counter("sent"),
            committed: metrics.counter("committed"),
            refused: metrics.counter("refused"),
            lost_writes: metrics.counter("lost_writes"),
            handled: metrics.counter("handled"),
            duplicates: metrics.counter("duplicates"),
            lost_events: metrics.counter("lost_events"),
            reordered: metrics.counter("reordered"),
            bounced: metrics.counter("bounced"),
            dead_lettered: metrics.counter("dead_lettered"),
            completed: metrics.counter("completed"),
            failed: metrics.counter("failed"),
            timed_out: metrics.counter("timed_out"),
            rebalances: metrics.counter("rebalances"),
            crashes: metrics.counter("crashes"),
            producer_latency: metrics.histogram("producer_latency"),
            handled_latency: metrics.histogram("handled_latency"),
            lag: metrics.gauge("lag"),
        };
        EventDriven {
            interarrival: Distribution::Exponential {
                mean: 1.0 / params.publish_rate,
            },
            handling: Distribution::new(
                params.handle_distribution,
                params.handle_time,
                params.handle_cv,
            ),
            faults: params.fault_schedule(),
            crashes: params
                .crash_times()
                .into_iter()
                .map(SimTime::from_secs_f64)
                .collect(),
            next_id: 0,
            reference: vec![0; params.accounts as usize],
            poison_sent: false,
            cluster: Cluster::new(params),
            last_copy: vec![SimTime::ZERO; params.replicas as usize],
            to_broker: 0,
            topic: Topic::new(partitions, Retention::Forever),
            services,
            consumers,
            requests: BTreeMap::new(),
            replay: None,
            tracing: None,
            trace: None,
            wire: Wire::new(),
            dead_letters: 0,
            happened: Happenings::default(),
            partition_lag: (0..partitions)
                .map(|p| metrics.gauge(format!("partition{}.lag", p + 1)))
                .collect(),
            ids,
            params: params.clone(),
        }
    }

    /// The parameters the model was built with.
    pub fn params(&self) -> &Params {
        &self.params
    }

    fn synchronous(&self) -> bool {
        self.params.integration == Integration::SynchronousCalls
    }

    fn delay(&self) -> SimTime {
        SimTime::from_secs_f64(self.params.network_delay)
    }

    /// What the charts mark up to `now`: the faults, leader crashes and
    /// elections, the poison event, a replay.
    pub fn moments(&self, now: SimTime) -> Vec<Moment> {
        self.happened.moments(&self.faults, "consumer", now)
    }

    // ---- the producer ----

    fn schedule_publish(&mut self, cx: &mut Context<'_, Event>) {
        let gap = self.interarrival.sample(cx.stream(ARRIVALS));
        cx.schedule(gap, Event(Happening::Publish));
    }

    /// The next event: an account and an amount the producer's own books
    /// can pay.
    fn next_movement(&mut self, cx: &mut Context<'_, Event>) -> Movement {
        let rng = cx.stream(ARRIVALS);
        let account = rng.below(u64::from(self.params.accounts)) as u32;
        let held = self.reference[account as usize];
        let withdraw = held > 0 && rng.chance(0.5);
        let amount = if withdraw {
            -((rng.below((held as u64).min(MAX_AMOUNT)) + 1) as i64)
        } else {
            (rng.below(MAX_AMOUNT) + 1) as i64
        };
        self.reference[account as usize] += amount;
        Movement { account, amount }
    }

    fn publish(&mut self, cx: &mut Context<'_, Event>) {
        self.schedule_publish(cx);
        let now = cx.now();
        let movement = self.next_movement(cx);
        let id = self.next_id;
        self.next_id += 1;
        cx.count(self.ids.sent, 1);
        let poison = self.params.poison_at > 0.0
            && !self.poison_sent
            && now >= SimTime::from_secs_f64(self.params.poison_at);
        if poison {
            self.poison_sent = true;
            self.happened
                .mark(now, format!("poison event #{id} published"));
        }
        // One event at a time is traced; one stuck behind a blocked
        // partition is given up on, so that the page shows a fresh trace.
        let stale = self
            .tracing
            .as_ref()
            .is_none_or(|t| now.saturating_sub(t.started) > TRACE_PATIENCE);
        if stale && !poison {
            self.tracing = Some(Tracing {
                id,
                started: now,
                spans: Vec::new(),
                committed: now,
                open: self.params.services,
            });
        }
        let arrives = now + self.delay();
        if self.synchronous() {
            self.requests.insert(
                id,
                Request {
                    sent: now,
                    awaiting: self.params.services,
                },
            );
            for service in 0..self.params.services {
                self.wire
                    .send((), Node::Producer, Node::Service(service), now, arrives);
                self.span(
                    id,
                    format!("call service {}", service + 1),
                    SpanKind::Network,
                    now,
                    arrives,
                );
                cx.schedule_at(
                    arrives,
                    Event(Happening::CallArrives {
                        service,
                        request: id,
                        sent: now,
                    }),
                );
            }
            if self.params.call_timeout > 0.0 {
                cx.schedule(
                    SimTime::from_secs_f64(self.params.call_timeout),
                    Event(Happening::CallTimeout(id)),
                );
            }
            return;
        }
        self.wire
            .send((), Node::Producer, Node::Broker, now, arrives);
        self.span(id, "publish".into(), SpanKind::Network, now, arrives);
        self.to_broker += 1;
        if self.params.acks == Acks::None {
            cx.observe(self.ids.producer_latency, SimTime::ZERO);
        }
        cx.schedule_at(
            arrives,
            Event(Happening::AtLeader(Payload {
                id,
                movement,
                sent: now,
                poison,
            })),
        );
    }

    // ---- the brokers ----

    fn at_leader(&mut self, payload: Payload, cx: &mut Context<'_, Event>) {
        self.to_broker -= 1;
        let sent = payload.sent;
        let id = payload.id;
        match self.cluster.take(payload) {
            Taken::Refused => {
                let lost = self.params.acks == Acks::None;
                cx.count(
                    if lost {
                        self.ids.lost_writes
                    } else {
                        self.ids.refused
                    },
                    1,
                );
                self.end_request_trace(id);
            }
            Taken::Appended(index) => {
                match self.params.acks {
                    Acks::None => self.cluster.ack(index),
                    Acks::Leader => {
                        self.cluster.ack(index);
                        let latency = cx.now() + self.delay() - sent;
                        cx.observe(self.ids.producer_latency, latency);
                    }
                    Acks::All => {}
                }
                for replica in self.cluster.followers() {
                    self.copy(replica, index, cx);
                }
                self.commit_records(cx);
            }
        }
    }

    /// Schedule follower `replica`'s copy of the record at `index`, after
    /// its earlier copies.
    fn copy(&mut self, replica: u32, index: usize, cx: &mut Context<'_, Event>) {
        let delay = Distribution::Exponential {
            mean: self.params.replication_delay,
        }
        .sample(cx.stream(REPLICATION));
        let at = (cx.now() + delay).max(self.last_copy[replica as usize]);
        self.last_copy[replica as usize] = at;
        let era = self.cluster.era();
        cx.schedule_at(
            at,
            Event(Happening::Copied {
                replica,
                index,
                era,
            }),
        );
    }

    /// Records the in-sync replicas all hold reach the topic.
    fn commit_records(&mut self, cx: &mut Context<'_, Event>) {
        for written in self.cluster.commit() {
            self.committed(written, cx);
        }
    }

    fn committed(&mut self, written: Written<Payload>, cx: &mut Context<'_, Event>) {
        let now = cx.now();
        let payload = written.payload;
        cx.count(self.ids.committed, 1);
        if self.params.acks == Acks::All {
            cx.observe(self.ids.producer_latency, now + self.delay() - payload.sent);
        }
        if self.tracing.as_ref().is_some_and(|t| t.id == payload.id) {
            let at_leader = payload.sent + self.delay();
            if now > at_leader {
                self.span(
                    payload.id,
                    "replicate".into(),
                    SpanKind::Replication,
                    at_leader,
                    now,
                );
            }
            if let Some(t) = &mut self.tracing {
                t.committed = now;
            }
        }
        let key = match self.params.partition_key {
            PartitionKey::Account => Some(u64::from(payload.movement.account)),
            PartitionKey::None => None,
        };
        let position = self.topic.append(key, payload, now);
        let p = position.partition;
        for s in 0..self.services.len() {
            self.services[s].lag[p as usize] += 1;
            self.lag_changed(s, p, 1, cx);
            if self.params.integration == Integration::Events
                && let Some(c) = self.owner(s, p)
            {
                self.fill(c, cx);
            }
        }
    }

    fn leader_crash(&mut self, cx: &mut Context<'_, Event>) {
        let Some(leader) = self.cluster.leader() else {
            return;
        };
        self.happened
            .mark(cx.now(), format!("broker {} (the leader) dies", leader + 1));
        if self.cluster.crash_leader() {
            cx.schedule(
                SimTime::from_secs_f64(self.params.election_time),
                Event(Happening::Elected),
            );
        }
    }

    fn elected(&mut self, cx: &mut Context<'_, Event>) {
        let (dropped, recopy) = self.cluster.elect();
        for w in dropped {
            cx.count(
                if w.acked {
                    self.ids.lost_writes
                } else {
                    self.ids.refused
                },
                1,
            );
            self.end_request_trace(w.payload.id);
        }
        if let Some(leader) = self.cluster.leader() {
            self.happened
                .mark(cx.now(), format!("broker {} leads", leader + 1));
            self.last_copy.fill(cx.now());
            for (replica, index) in recopy {
                self.copy(replica, index, cx);
            }
        }
        self.commit_records(cx);
    }

    // ---- consumer groups ----

    fn consumer_index(&self, service: usize, member: u32) -> u32 {
        service as u32 * self.params.consumers + member
    }

    /// The consumer that owns partition `p` of service `s`, if it may work.
    fn owner(&self, s: usize, p: u32) -> Option<u32> {
        let service = &self.services[s];
        if service.rebalancing {
            return None;
        }
        service.group.owner(p).map(|m| self.consumer_index(s, m))
    }

    /// The partitions consumer `c` may work on now.
    fn owned(&self, c: u32) -> Vec<u32> {
        let consumer = &self.consumers[c as usize];
        let service = &self.services[consumer.service as usize];
        if service.rebalancing || !consumer.up {
            return Vec::new();
        }
        consumer.owns.clone()
    }

    fn lag_changed(&mut self, s: usize, p: u32, delta: i64, cx: &mut Context<'_, Event>) {
        let d = delta as f64;
        cx.add_gauge(self.services[s].lag_gauge, d);
        cx.add_gauge(self.ids.lag, d);
        if s == 0 {
            cx.add_gauge(self.partition_lag[p as usize], d);
        }
    }

    /// Commit `offset` for partition `p` of service `s`.
    fn commit_offset(&mut self, s: usize, p: u32, offset: u64, cx: &mut Context<'_, Event>) {
        self.services[s].group.commit(p, offset);
        let lag = self.services[s].group.lag(&self.topic, p);
        let old = std::mem::replace(&mut self.services[s].lag[p as usize], lag);
        self.lag_changed(s, p, lag as i64 - old as i64, cx);
    }

    /// Deliver consumer `c` what its partitions hold, up to its fetch size.
    fn fill(&mut self, c: u32, cx: &mut Context<'_, Event>) {
        let owned = self.owned(c);
        if owned.is_empty() {
            return;
        }
        let now = cx.now();
        let arrives = now + self.delay();
        let at_most_once = self.params.delivery == Delivery::AtMostOnce;
        // A poll reads every new row; a pushing broker keeps a consumer's
        // buffer topped up to its fetch size.
        let limit = match self.params.integration {
            Integration::Polling => usize::MAX,
            _ => FETCH,
        };
        let mut looked = 0;
        while self.consumers[c as usize].held() < limit && looked < owned.len() {
            let consumer = &mut self.consumers[c as usize];
            let p = owned[consumer.next_partition as usize % owned.len()];
            consumer.next_partition = consumer.next_partition.wrapping_add(1);
            let offset = consumer.fetched[p as usize];
            if offset >= self.topic.end(p) {
                looked += 1;
                continue;
            }
            looked = 0;
            consumer.fetched[p as usize] += 1;
            consumer.incoming += 1;
            let era = consumer.era;
            let service = consumer.service as usize;
            cx.schedule_at(
                arrives,
                Event(Happening::Delivered(Handover {
                    consumer: c,
                    era,
                    partition: p,
                    offset,
                })),
            );
            self.wire
                .send((), Node::Broker, Node::Consumer(c), now, arrives);
            if let Ok(record) = self.topic.read(p, offset) {
                let id = record.event.id;
                if self.tracing.as_ref().is_some_and(|t| t.id == id) {
                    let committed = self.tracing.as_ref().map_or(now, |t| t.committed);
                    let name = service + 1;
                    self.span(
                        id,
                        format!("service {name}: wait in log"),
                        SpanKind::Waiting,
                        committed,
                        now,
                    );
                    self.span(
                        id,
                        format!("service {name}: deliver"),
                        SpanKind::Network,
                        now,
                        arrives,
                    );
                }
            }
            if at_most_once {
                self.commit_offset(service, p, offset + 1, cx);
            }
        }
    }

    fn delivered(&mut self, d: Handover, cx: &mut Context<'_, Event>) {
        let consumer = &mut self.consumers[d.consumer as usize];
        if consumer.era != d.era {
            return;
        }
        consumer.incoming -= 1;
        consumer.buffer.push_back((d.partition, d.offset, cx.now()));
        self.start_next(d.consumer, cx);
    }

    fn handle_time(&mut self, c: u32, cx: &mut Context<'_, Event>) -> SimTime {
        let secs = self.handling.sample_secs(cx.stream(HANDLING));
        SimTime::from_secs_f64(secs / self.consumers[c as usize].speed)
    }

    fn start_next(&mut self, c: u32, cx: &mut Context<'_, Event>) {
        let consumer = &self.consumers[c as usize];
        let s = consumer.service as usize;
        if consumer.current.is_some() || !consumer.up || self.services[s].rebalancing {
            return;
        }
        let now = cx.now();
        let job = if self.synchronous() {
            match self.services[s].queue.pop_front() {
                Some((request, sent, arrived)) => {
                    self.span(
                        request,
                        format!("service {}: queue", s + 1),
                        SpanKind::Waiting,
                        arrived,
                        now,
                    );
                    Job::Call { request, sent }
                }
                None => return,
            }
        } else {
            let Some((partition, offset, arrived)) = self.consumers[c as usize].buffer.pop_front()
            else {
                return;
            };
            if let Ok(record) = self.topic.read(partition, offset) {
                let id = record.event.id;
                self.span(
                    id,
                    format!("service {}: wait in buffer", s + 1),
                    SpanKind::Waiting,
                    arrived,
                    now,
                );
            }
            Job::Record { partition, offset }
        };
        self.begin(
            c,
            Work {
                job,
                started: now,
                failures: 0,
            },
            SimTime::ZERO,
            cx,
        );
    }

    /// Put consumer `c` to `work`, after `wait`.
    fn begin(&mut self, c: u32, work: Work, wait: SimTime, cx: &mut Context<'_, Event>) {
        let took = self.handle_time(c, cx);
        let consumer = &mut self.consumers[c as usize];
        consumer.current = Some(Work {
            started: cx.now() + wait,
            ..work
        });
        let era = consumer.era;
        cx.schedule(wait + took, Event(Happening::Handled { consumer: c, era }));
    }

    fn handled(&mut self, c: u32, era: u32, cx: &mut Context<'_, Event>) {
        let consumer = &mut self.consumers[c as usize];
        if consumer.era != era {
            return;
        }
        let Some(work) = consumer.current.take() else {
            return;
        };
        let s = consumer.service as usize;
        let now = cx.now();
        match work.job {
            Job::Call { request, sent } => {
                let name = s + 1;
                self.span(
                    request,
                    format!("service {name}: handle"),
                    SpanKind::Work,
                    work.started,
                    now,
                );
                let back = now + self.delay();
                self.span(
                    request,
                    format!("service {name}: reply"),
                    SpanKind::Network,
                    now,
                    back,
                );
                self.wire
                    .send((), Node::Service(s as u32), Node::Producer, now, back);
                cx.schedule_at(back, Event(Happening::Reply { request, ok: true }));
                cx.count(self.ids.handled, 1);
                cx.count(self.services[s].handled, 1);
                cx.observe(self.ids.handled_latency, now - sent);
            }
            Job::Record { partition, offset } => {
                let Ok(record) = self.topic.read(partition, offset) else {
                    return;
                };
                let payload = record.event.clone();
                if payload.poison {
                    self.failed_record(c, work, payload.id, cx);
                    return;
                }
                let name = s + 1;
                self.span(
                    payload.id,
                    format!("service {name}: handle"),
                    SpanKind::Work,
                    work.started,
                    now,
                );
                let applied = self.services[s].ledger.apply(payload.id, payload.movement);
                if applied.duplicate {
                    cx.count(self.ids.duplicates, 1);
                } else {
                    self.settle(s, payload.id);
                    cx.count(self.ids.handled, 1);
                    cx.count(self.services[s].handled, 1);
                    cx.observe(self.ids.handled_latency, now - payload.sent);
                }
                if applied.reordered {
                    cx.count(self.ids.reordered, 1);
                }
                if applied.bounced {
                    cx.count(self.ids.bounced, 1);
                }
                self.done_with(c, partition, offset, cx);
            }
        }
        self.start_next(c, cx);
        if self.params.integration == Integration::Events {
            self.fill(c, cx);
        }
    }

    /// Consumer `c` is through with the record at `offset` of `partition`.
    fn done_with(&mut self, c: u32, partition: u32, offset: u64, cx: &mut Context<'_, Event>) {
        let consumer = &mut self.consumers[c as usize];
        consumer.handled[partition as usize] = offset + 1;
        let s = consumer.service as usize;
        if self.params.delivery == Delivery::ExactlyOnce {
            self.commit_offset(s, partition, offset + 1, cx);
        }
    }

    /// A record of service `s` is settled: handled, lost or dead-lettered.
    fn settle(&mut self, s: usize, id: u64) {
        self.services[s].settled += 1;
        if let Some(t) = &mut self.tracing
            && t.id == id
        {
            t.open = t.open.saturating_sub(1);
            if t.open == 0 {
                self.finish_trace();
            }
        }
    }

    /// The poison event failed on consumer `c`: retry it, or move it to
    /// the dead-letter topic once its retries are spent.
    fn failed_record(&mut self, c: u32, work: Work, id: u64, cx: &mut Context<'_, Event>) {
        let now = cx.now();
        let s = self.consumers[c as usize].service as usize;
        self.span(
            id,
            format!("service {}: handle (fails)", s + 1),
            SpanKind::Failed,
            work.started,
            now,
        );
        let failures = work.failures + 1;
        let Job::Record { partition, offset } = work.job else {
            return;
        };
        if self.params.dead_letter && failures > self.params.max_retries {
            self.services[s].ledger.dead_letter(id);
            cx.count(self.ids.dead_lettered, 1);
            self.dead_letters += 1;
            self.happened.mark(
                now,
                format!("event #{id} dead-lettered by service {}", s + 1),
            );
            self.settle(s, id);
            self.done_with(c, partition, offset, cx);
            self.start_next(c, cx);
            if self.params.integration == Integration::Events {
                self.fill(c, cx);
            }
            return;
        }
        let wait = SimTime::from_secs_f64(self.params.retry_delay);
        self.begin(c, Work { failures, ..work }, wait, cx);
    }

    fn commit_tick(&mut self, c: u32, cx: &mut Context<'_, Event>) {
        cx.schedule(
            SimTime::from_secs_f64(self.params.commit_interval),
            Event(Happening::Commit(c)),
        );
        let s = self.consumers[c as usize].service as usize;
        for p in self.owned(c) {
            let offset = self.consumers[c as usize].handled[p as usize];
            self.commit_offset(s, p, offset, cx);
        }
    }

    fn poll(&mut self, c: u32, cx: &mut Context<'_, Event>) {
        cx.schedule(
            SimTime::from_secs_f64(self.params.poll_interval),
            Event(Happening::Poll(c)),
        );
        self.fill(c, cx);
    }

    /// Service `s`'s group stops to share its partitions out again.
    fn rebalance(&mut self, s: usize, cx: &mut Context<'_, Event>) {
        cx.count(self.ids.rebalances, 1);
        // The members still up hand their partitions back cleanly: what
        // they handled is committed; what they held is delivered again.
        let members: Vec<u32> = self.services[s]
            .group
            .members()
            .iter()
            .map(|&m| self.consumer_index(s, m))
            .collect();
        for c in members {
            let owned = std::mem::take(&mut self.consumers[c as usize].owns);
            for p in owned {
                let offset = self.consumers[c as usize].handled[p as usize];
                self.commit_offset(s, p, offset, cx);
            }
            let consumer = &mut self.consumers[c as usize];
            consumer.era += 1;
            consumer.buffer.clear();
            consumer.incoming = 0;
            consumer.current = None;
        }
        self.services[s].rebalancing = true;
        let generation = self.services[s].group.generation();
        cx.schedule(
            SimTime::from_secs_f64(self.params.rebalance_time),
            Event(Happening::Rebalanced {
                service: s as u32,
                generation,
            }),
        );
    }

    fn rebalanced(&mut self, s: usize, generation: u64, cx: &mut Context<'_, Event>) {
        if self.services[s].group.generation() != generation {
            return;
        }
        self.services[s].rebalancing = false;
        let members: Vec<u32> = self.services[s]
            .group
            .members()
            .iter()
            .map(|&m| self.consumer_index(s, m))
            .collect();
        for &c in &members {
            let member = self.consumers[c as usize].member;
            let owns = self.services[s].group.assignment(member);
            for &p in &owns {
                let at = self.services[s].group.resume_at(&self.topic, p);
                let consumer = &mut self.consumers[c as usize];
                consumer.fetched[p as usize] = at;
                consumer.handled[p as usize] = at;
            }
            self.consumers[c as usize].owns = owns;
        }
        for c in members {
            if self.params.integration == Integration::Events {
                self.fill(c, cx);
            }
        }
    }

    fn go_down(&mut self, c: u32, cx: &mut Context<'_, Event>) {
        if !self.consumers[c as usize].up {
            return;
        }
        let s = self.consumers[c as usize].service as usize;
        if self.synchronous() {
            let consumer = &mut self.consumers[c as usize];
            consumer.up = false;
            consumer.era += 1;
            if let Some(Work {
                job: Job::Call { request, .. },
                ..
            }) = consumer.current.take()
            {
                self.refuse_call(s, request, cx);
            }
            if !self.service_up(s) {
                while let Some((request, _, _)) = self.services[s].queue.pop_front() {
                    self.refuse_call(s, request, cx);
                }
            }
            return;
        }
        if self.params.delivery == Delivery::AtMostOnce && !self.services[s].rebalancing {
            // Its offsets were committed as it fetched: what it held and
            // had not handled is skipped for good.
            for p in self.owned(c) {
                let (from, to) = {
                    let consumer = &self.consumers[c as usize];
                    (consumer.handled[p as usize], consumer.fetched[p as usize])
                };
                for offset in from..to {
                    let Ok(record) = self.topic.read(p, offset) else {
                        continue;
                    };
                    let (id, movement) = (record.event.id, record.event.movement);
                    if self.services[s].ledger.fate(id) == Fate::Pending {
                        self.services[s].ledger.lose(id, movement);
                        cx.count(self.ids.lost_events, 1);
                        self.settle(s, id);
                    }
                }
            }
        }
        let consumer = &mut self.consumers[c as usize];
        consumer.up = false;
        consumer.era += 1;
        consumer.buffer.clear();
        consumer.incoming = 0;
        consumer.current = None;
        consumer.owns.clear();
        let member = consumer.member;
        self.services[s].group.leave(member);
        self.rebalance(s, cx);
    }

    fn come_up(&mut self, c: u32, cx: &mut Context<'_, Event>) {
        let consumer = &mut self.consumers[c as usize];
        if consumer.up {
            return;
        }
        consumer.up = true;
        consumer.era += 1;
        let (s, member) = (consumer.service as usize, consumer.member);
        if self.synchronous() {
            self.start_next(c, cx);
            return;
        }
        self.services[s].group.join(member);
        self.rebalance(s, cx);
    }

    fn service_up(&self, s: usize) -> bool {
        self.consumers
            .iter()
            .any(|c| c.service as usize == s && c.up)
    }

    fn crash(&mut self, c: u32, cx: &mut Context<'_, Event>) {
        if self.consumers[c as usize].up {
            cx.count(self.ids.crashes, 1);
            self.go_down(c, cx);
            cx.schedule(
                SimTime::from_secs_f64(self.params.restart_time),
                Event(Happening::Restart(c)),
            );
        } else {
            self.schedule_crash(c, cx);
        }
    }

    fn schedule_crash(&mut self, c: u32, cx: &mut Context<'_, Event>) {
        if self.params.crash_interval > 0.0 {
            let gap = Distribution::Exponential {
                mean: self.params.crash_interval,
            }
            .sample(cx.stream(CRASHES));
            cx.schedule(gap, Event(Happening::Crash(c)));
        }
    }

    fn fault(&mut self, c: u32, kind: FaultKind, cx: &mut Context<'_, Event>) {
        match kind {
            FaultKind::Down => self.go_down(c, cx),
            FaultKind::Slow(k) => self.consumers[c as usize].speed = k,
            FaultKind::Recover => {
                self.consumers[c as usize].speed = 1.0;
                self.come_up(c, cx);
            }
        }
    }

    // ---- synchronous calls ----

    fn call_arrives(&mut self, s: usize, request: u64, sent: SimTime, cx: &mut Context<'_, Event>) {
        if !self.service_up(s) {
            self.refuse_call(s, request, cx);
            return;
        }
        self.services[s].queue.push_back((request, sent, cx.now()));
        let idle: Vec<u32> = (0..self.params.consumers)
            .map(|m| self.consumer_index(s, m))
            .filter(|&c| {
                self.consumers[c as usize].up && self.consumers[c as usize].current.is_none()
            })
            .collect();
        for c in idle {
            self.start_next(c, cx);
        }
    }

    fn refuse_call(&mut self, s: usize, request: u64, cx: &mut Context<'_, Event>) {
        let now = cx.now();
        let back = now + self.delay();
        self.wire
            .send((), Node::Service(s as u32), Node::Producer, now, back);
        self.span(
            request,
            format!("service {}: refused", s + 1),
            SpanKind::Failed,
            now,
            back,
        );
        cx.schedule_at(back, Event(Happening::Reply { request, ok: false }));
    }

    fn reply(&mut self, request: u64, ok: bool, cx: &mut Context<'_, Event>) {
        let Some(r) = self.requests.get_mut(&request) else {
            return;
        };
        if ok {
            r.awaiting -= 1;
            if r.awaiting > 0 {
                return;
            }
            let sent = r.sent;
            cx.count(self.ids.completed, 1);
            cx.observe(self.ids.producer_latency, cx.now() - sent);
        } else {
            cx.count(self.ids.failed, 1);
        }
        self.requests.remove(&request);
        self.end_request_trace(request);
    }

    fn call_timeout(&mut self, request: u64, cx: &mut Context<'_, Event>) {
        if self.requests.remove(&request).is_some() {
            cx.count(self.ids.timed_out, 1);
            self.end_request_trace(request);
        }
    }

    /// The trace of `request` (or event) ends where it stands.
    fn end_request_trace(&mut self, request: u64) {
        if self.tracing.as_ref().is_some_and(|t| t.id == request) {
            self.finish_trace();
        }
    }

    // ---- replay ----

    fn replay_tick(&mut self, cx: &mut Context<'_, Event>) {
        let now = cx.now();
        let partitions = self.topic.partitions();
        if self.replay.is_none() {
            self.happened.mark(now, "replay starts".into());
        }
        let replay = self.replay.get_or_insert_with(|| Replay {
            positions: vec![0; partitions as usize],
            balances: vec![0; self.params.accounts as usize],
            replayed: 0,
            budget: 0.0,
            as_of: SimTime::ZERO,
            caught_up: None,
            checksums: None,
            differing: 0,
        });
        replay.budget += self.params.replay_rate * REPLAY_TICK.as_secs_f64();
        // A replay reads the partitions one after another, oldest first.
        for p in 0..partitions {
            while replay.budget >= 1.0 && replay.positions[p as usize] < self.topic.end(p) {
                let offset = replay.positions[p as usize];
                if let Ok(record) = self.topic.read(p, offset) {
                    ledger::replay(&mut replay.balances, record.event.movement);
                    replay.as_of = replay.as_of.max(record.event.sent);
                }
                replay.positions[p as usize] += 1;
                replay.replayed += 1;
                replay.budget -= 1.0;
            }
        }
        let at_end = (0..partitions).all(|p| replay.positions[p as usize] >= self.topic.end(p));
        if at_end {
            replay.budget = 0.0;
            if replay.caught_up.is_none() {
                replay.caught_up = Some(now);
                self.happened
                    .mark(now, "replay caught up with the log".into());
            }
            let live = &self.services[0];
            if live.settled == self.topic.published() {
                let ours = live.ledger.balances();
                let replay = self.replay.as_mut().expect("the replay is under way");
                replay.checksums =
                    Some((ledger::checksum(ours), ledger::checksum(&replay.balances)));
                replay.differing = ours
                    .iter()
                    .zip(&replay.balances)
                    .filter(|(a, b)| a != b)
                    .count() as u32;
                return;
            }
        }
        cx.schedule(REPLAY_TICK, Event(Happening::ReplayTick));
    }

    // ---- traces ----

    fn span(&mut self, id: u64, label: String, kind: SpanKind, from: SimTime, to: SimTime) {
        if let Some(t) = &mut self.tracing
            && t.id == id
        {
            t.spans.push(Span {
                label,
                kind,
                from: from.as_secs_f64(),
                to: to.as_secs_f64(),
            });
        }
    }

    fn finish_trace(&mut self) {
        if let Some(t) = self.tracing.take() {
            let mut spans = t.spans;
            // In the order they started: an insertion sort, as the spans
            // are nearly in order already.
            for i in 1..spans.len() {
                let mut j = i;
                while j > 0 && spans[j - 1].from > spans[j].from {
                    spans.swap(j - 1, j);
                    j -= 1;
                }
            }
            self.trace = Some(Trace { id: t.id, spans });
        }
    }

    // ---- what the report reads ----

    /// Where every event stands, each count taken from the model's own
    /// structures: the log, the consumers' positions and buffers.
    pub fn accounting(&self, metrics: &Metrics) -> Accounting {
        let services = (0..self.services.len())
            .map(|s| {
                let service = &self.services[s];
                let mut counts = [0u64; 5];
                for p in 0..self.topic.partitions() {
                    let holder = self.owner(s, p).map(|c| &self.consumers[c as usize]);
                    for offset in self.topic.start(p)..self.topic.end(p) {
                        let Ok(record) = self.topic.read(p, offset) else {
                            continue;
                        };
                        let slot = match service.ledger.fate(record.event.id) {
                            Fate::Handled => 0,
                            Fate::DeadLettered => 3,
                            Fate::Lost => 4,
                            Fate::Pending => match holder {
                                Some(c)
                                    if offset >= c.handled[p as usize]
                                        && offset < c.fetched[p as usize] =>
                                {
                                    2
                                }
                                _ => 1,
                            },
                        };
                        counts[slot] += 1;
                    }
                }
                counts
            })
            .collect();
        Accounting {
            sent: self.next_id,
            committed: self.topic.published(),
            uncommitted: self.cluster.uncommitted(),
            to_broker: self.to_broker,
            refused: metrics.total(self.ids.refused),
            lost_writes: metrics.total(self.ids.lost_writes),
            completed: metrics.total(self.ids.completed),
            failed: metrics.total(self.ids.failed) + metrics.total(self.ids.timed_out),
            waiting: self.requests.len() as u64,
            services,
        }
    }

    /// The replay's rebuild time and state differences, once known.
    pub(super) fn replay_outcome(&self) -> (Option<f64>, Option<u32>) {
        let start = self.params.replay_at;
        self.replay.as_ref().map_or((None, None), |r| {
            (
                r.caught_up.map(|t| t.as_secs_f64() - start),
                r.checksums.map(|_| r.differing),
            )
        })
    }

    /// Balance drift over every service, in money (cents).
    pub(super) fn drift(&self) -> i64 {
        self.services.iter().map(|s| s.ledger.drift()).sum()
    }

    /// Events not yet settled by some service, or requests waited on.
    pub(super) fn backlog(&self) -> u64 {
        if self.synchronous() {
            return self.requests.len() as u64;
        }
        let published = self.topic.published();
        self.services.iter().map(|s| published - s.settled).sum()
    }

    /// Per service, records it has not committed now (events) or calls
    /// waiting (synchronous calls).
    fn backlog_of(&self, s: usize) -> u64 {
        let service = &self.services[s];
        if self.synchronous() {
            service.queue.len() as u64
        } else {
            service.lag.iter().sum()
        }
    }

    /// The gauges of lag per partition, for the charts.
    pub(super) fn partition_gauges(&self) -> &[GaugeId] {
        &self.partition_lag
    }

    /// The gauges and counters per service, for the charts.
    pub(super) fn service_ids(&self) -> Vec<(CounterId, GaugeId)> {
        self.services
            .iter()
            .map(|s| (s.handled, s.lag_gauge))
            .collect()
    }
}

impl Model for EventDriven {
    type Event = Event;
    type Snapshot = Snapshot;

    fn start(&mut self, cx: &mut Context<'_, Event>) {
        self.schedule_publish(cx);
        for at in self.crashes.clone() {
            cx.schedule_at(at, Event(Happening::LeaderCrash));
        }
        for f in self.faults.clone() {
            cx.schedule_at(f.at, Event(Happening::Fault(f.node, f.kind)));
        }
        if self.params.replay_at > 0.0 {
            cx.schedule_at(
                SimTime::from_secs_f64(self.params.replay_at),
                Event(Happening::ReplayTick),
            );
        }
        for c in 0..self.consumers.len() as u32 {
            self.schedule_crash(c, cx);
        }
        if self.synchronous() {
            return;
        }
        for s in 0..self.services.len() {
            for m in 0..self.params.consumers {
                self.services[s].group.join(m);
            }
            let generation = self.services[s].group.generation();
            self.rebalanced(s, generation, cx);
        }
        for c in 0..self.consumers.len() as u32 {
            if self.params.delivery == Delivery::AtLeastOnce {
                cx.schedule(
                    SimTime::from_secs_f64(self.params.commit_interval),
                    Event(Happening::Commit(c)),
                );
            }
            if self.params.integration == Integration::Polling {
                let phase = cx.stream(CRASHES).unit() * self.params.poll_interval;
                cx.schedule(SimTime::from_secs_f64(phase), Event(Happening::Poll(c)));
            }
        }
    }

    fn handle(&mut self, event: Event, cx: &mut Context<'_, Event>) {
        match event.0 {
            Happening::Publish => self.publish(cx),
            Happening::AtLeader(payload) => self.at_leader(payload, cx),
            Happening::Copied {
                replica,
                index,
                era,
            } => {
                self.cluster.copied(replica, index, era);
                self.commit_records(cx);
            }
            Happening::LeaderCrash => self.leader_crash(cx),
            Happening::Elected => self.elected(cx),
            Happening::Delivered(d) => self.delivered(d, cx),
            Happening::Handled { consumer, era } => self.handled(consumer, era, cx),
            Happening::Commit(c) => self.commit_tick(c, cx),
            Happening::Poll(c) => self.poll(c, cx),
            Happening::Rebalanced {
                service,
                generation,
            } => self.rebalanced(service as usize, generation, cx),
            Happening::Crash(c) => self.crash(c, cx),
            Happening::Restart(c) => {
                self.come_up(c, cx);
                self.schedule_crash(c, cx);
            }
            Happening::Fault(c, kind) => self.fault(c, kind, cx),
            Happening::ReplayTick => self.replay_tick(cx),
            Happening::CallArrives {
                service,
                request,
                sent,
            } => self.call_arrives(service as usize, request, sent, cx),
            Happening::Reply { request, ok } => self.reply(request, ok, cx),
            Happening::CallTimeout(request) => self.call_timeout(request, cx),
        }
    }

    fn snapshot(&self, now: SimTime) -> Snapshot {
        let synchronous = self.synchronous();
        let brokers = if synchronous {
            Vec::new()
        } else {
            (0..self.cluster.replicas())
                .map(|r| BrokerView {
                    condition: if self.cluster.is_up(r) {
                        Condition::Up
                    } else {
                        Condition::Down
                    },
                    leader: self.cluster.leader() == Some(r),
                    in_sync: self.cluster.in_sync(r),
                    behind: self.cluster.behind(r),
                })
                .collect()
        };
        let partitions = if synchronous {
            Vec::new()
        } else {
            (0..self.topic.partitions())
                .map(|p| PartitionView {
                    end: self.topic.end(p),
                    lag: self.services[0].lag[p as usize],
                    blocked: self.owner(0, p).is_some_and(|c| {
                        self.consumers[c as usize].current.is_some_and(|w| {
                            w.failures > 0
                                && matches!(w.job, Job::Record { partition, .. } if partition == p)
                        })
                    }),
                })
                .collect()
        };
        let services = (0..self.services.len())
            .map(|s| ServiceView {
                consumers: (0..self.params.consumers)
                    .map(|m| {
                        let c = self.consumer_index(s, m);
                        let consumer = &self.consumers[c as usize];
                        ConsumerView {
                            condition: if !consumer.up {
                                Condition::Down
                            } else if consumer.speed < 1.0 {
                                Condition::Slow(consumer.speed)
                            } else {
                                Condition::Up
                            },
                            busy: consumer.current.is_some_and(|w| w.started <= now),
                            buffered: consumer.buffer.len() as u32,
                            partitions: if synchronous {
                                Vec::new()
                            } else {
                                self.owned(c)
                            },
                            retrying: consumer.current.is_some_and(|w| w.failures > 0),
                        }
                    })
                    .collect(),
                backlog: self.backlog_of(s),
                rebalancing: self.services[s].rebalancing,
            })
            .collect();
        let replay = self.replay.as_ref().map(|r| ReplayView {
            replayed: r.replayed,
            total: self.topic.published(),
            as_of: r.as_of.as_secs_f64(),
            caught_up_at: r.caught_up.map(SimTime::as_secs_f64),
            checksums: r.checksums,
        });
        Snapshot {
            now,
            integration: self.params.integration,
            brokers,
            partitions,
            services,
            messages: self.wire.at(now).map(|&(_, m)| m).collect(),
            dead_letters: self.dead_letters,
            replay,
            trace: self.trace.clone(),
        }
    }
}
