//! The load-balancing model: clients, one balancer, a fleet of backends.
//!
//! A request's life: it *arrives* (from a client, at the balancer), is routed
//! and travels to a backend (*deliver*); there it is served at once, waits in
//! the queue, or is rejected because the queue is full; a down backend
//! refuses it. Whatever the backend says travels back (*reply*). The client
//! may give up first (*timeout*). Every request ends in exactly one of
//! completed, rejected, failed or timed out, or is still in flight.

use super::balancer::{Balancer, Route};
use super::params::Params;
use crate::dashboard::{MAX_MOMENTS, Moment};
use crate::fault::{self, Fault, FaultKind};
use archsim_core::{
    Condition, Context, CounterId, Distribution, GaugeId, HistogramId, InFlight, Metrics, Model,
    SimTime,
};
use std::collections::VecDeque;

/// Random stream for arrival times, clients and service demands: the same
/// whatever the algorithm, so compared variants see identical traffic.
const ARRIVALS: usize = 1;
/// Random stream for routing choices.
const ROUTING: usize = 2;

/// Something that happens in the load-balancing model.
#[derive(Clone, Debug)]
pub struct Event(Happening);

impl Event {
    /// A fault at the time the event is scheduled or injected: what a person
    /// does by clicking a backend in the playground.
    pub fn fault(backend: u32, kind: FaultKind) -> Self {
        Event(Happening::Fault(backend, kind))
    }
}

#[derive(Clone, Debug)]
enum Happening {
    Arrival,
    Deliver(RequestRef),
    ServiceDone {
        backend: u32,
        epoch: u32,
        request: RequestRef,
    },
    Reply(RequestRef),
    Timeout(RequestRef),
    HealthCheck,
    Fault(u32, FaultKind),
}

/// A handle on a request slot; `generation` tells a reused slot apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct RequestRef {
    index: u32,
    generation: u32,
}

/// What a backend answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Answer {
    Served,
    Rejected,
    Refused,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Phase {
    ToBackend,
    Queued,
    InService,
    Replying(Answer),
}

struct Request {
    client: u32,
    arrived: SimTime,
    /// Seconds of work at speed 1.
    demand: f64,
    backend: u32,
    /// When the current attempt left the balancer.
    attempt_sent: SimTime,
    /// The current network leg, for drawing.
    leg: (SimTime, SimTime),
    phase: Phase,
    retried: bool,
    timed_out: bool,
}

struct Slot {
    generation: u32,
    request: Option<Request>,
}

/// One backend server: its true state and its metrics.
pub(super) struct Backend {
    speed: f64,
    condition: Condition,
    /// Bumped when the backend crashes, so work started before is forgotten.
    epoch: u32,
    workers: u32,
    in_service: Vec<RequestRef>,
    queue: VecDeque<RequestRef>,
    region: u32,
    pub(super) routed: CounterId,
    pub(super) served: CounterId,
    pub(super) busy_gauge: GaugeId,
    pub(super) queue_gauge: GaugeId,
    pub(super) load_gauge: GaugeId,
}

impl Backend {
    /// The true condition.
    pub(super) fn condition(&self) -> Condition {
        self.condition
    }

    /// Configured capacity (workers × nominal speed): what an operator would
    /// write as a weight.
    pub(super) fn capacity(&self) -> f64 {
        f64::from(self.workers) * self.speed
    }

    /// True capacity, slow-downs included: only the oracle knows it.
    pub(super) fn true_capacity(&self) -> f64 {
        f64::from(self.workers) * self.effective_speed()
    }

    /// Requests in service or waiting, truly.
    pub(super) fn load(&self) -> u32 {
        (self.in_service.len() + self.queue.len()) as u32
    }

    /// Region, from 0.
    pub(super) fn region(&self) -> u32 {
        self.region
    }

    /// Nominal speed factor.
    pub(super) fn speed(&self) -> f64 {
        self.speed
    }

    /// Workers.
    pub(super) fn workers(&self) -> u32 {
        self.workers
    }

    fn effective_speed(&self) -> f64 {
        match self.condition {
            Condition::Slow(k) => self.speed * k,
            Condition::Up | Condition::Down => self.speed,
        }
    }
}

/// Where a client's session state lives: a backend and the epoch it was
/// created in (a crash loses it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Session {
    backend: u32,
    epoch: u32,
}

/// Metric ids the report reads.
pub(super) struct Ids {
    pub(super) arrived: CounterId,
    pub(super) completed: CounterId,
    pub(super) rejected: CounterId,
    pub(super) failed: CounterId,
    pub(super) timed_out: CounterId,
    pub(super) retries: CounterId,
    pub(super) broken_sessions: CounterId,
    pub(super) latency: HistogramId,
    pub(super) in_system: GaugeId,
}

/// The load-balancing model.
pub struct LoadBalancer {
    params: Params,
    interarrival: Distribution,
    service: Distribution,
    /// Length of one burst and one whole on/off cycle, if traffic is bursty.
    bursts: Option<(u64, u64)>,
    /// Arrival process time with the pauses taken out, in µs.
    on_clock: u64,
    faults: Vec<Fault>,
    /// The balancer's changes of mind, for the charts: when, which backend,
    /// and whether it now believes it healthy (the first few only).
    verdicts: Vec<(SimTime, u32, bool)>,
    timeout: Option<SimTime>,
    pub(super) backends: Vec<Backend>,
    balancer: Balancer,
    slots: Vec<Slot>,
    free: Vec<u32>,
    sessions: Vec<Option<Session>>,
    affinity: Vec<Option<u32>>,
    pub(super) ids: Ids,
}

/// A node in the diagram.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "json", serde(rename_all = "snake_case"))]
pub enum Node {
    /// All clients, drawn as one.
    Clients,
    /// Backend number `n` (from 0).
    Backend(u32),
}

/// One backend as the diagram shows it.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct BackendView {
    /// True condition.
    pub condition: Condition,
    /// What the balancer believes.
    pub believed_healthy: bool,
    /// Workers busy.
    pub busy: u32,
    /// Workers in all.
    pub workers: u32,
    /// Requests waiting.
    pub queued: u32,
    /// Room in the queue.
    pub queue_capacity: u32,
    /// Nominal speed factor.
    pub speed: f64,
    /// Region (from 0).
    pub region: u32,
    /// Requests the balancer counts as outstanding here.
    pub outstanding: u32,
}

/// Everything the diagram draws at one instant.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct Snapshot {
    /// The instant.
    pub now: SimTime,
    /// The fleet.
    pub backends: Vec<BackendView>,
    /// Requests and replies on the wire.
    pub messages: Vec<InFlight<Node>>,
}

impl LoadBalancer {
    /// Build the model for checked `params`, registering its metrics.
    pub(super) fn new(params: &Params, metrics: &mut Metrics) -> Self {
        let n = params.backends;
        let speed = |b: u32| {
            if n == 1 {
                1.0
            } else {
                1.0 + params.speed_spread * (2.0 * f64::from(b) / f64::from(n - 1) - 1.0)
            }
        };
        let backends = (0..n)
            .map(|b| Backend {
                speed: speed(b),
                condition: Condition::Up,
                epoch: 0,
                workers: params.workers,
                in_service: Vec::new(),
                queue: VecDeque::new(),
                region: b % params.regions,
                routed: metrics.counter(format!("backend{}.routed", b + 1)),
                served: metrics.counter(format!("backend{}.served", b + 1)),
                busy_gauge: metrics.gauge(format!("backend{}.busy", b + 1)),
                queue_gauge: metrics.gauge(format!("backend{}.queue", b + 1)),
                load_gauge: metrics.gauge(format!("backend{}.load", b + 1)),
            })
            .collect();
        let ids = Ids {
            arrived: metrics.counter("arrived"),
            completed: metrics.counter("completed"),
            rejected: metrics.counter("rejected"),
            failed: metrics.counter("failed"),
            timed_out: metrics.counter("timed_out"),
            retries: metrics.counter("retries"),
            broken_sessions: metrics.counter("broken_sessions"),
            latency: metrics.histogram("latency"),
            in_system: metrics.gauge("in_system"),
        };
        let bursts = (params.burst_on > 0.0).then(|| {
            let on = SimTime::from_secs_f64(params.burst_on).as_micros().max(1);
            let off = SimTime::from_secs_f64(params.burst_off).as_micros();
            (on, on + off)
        });
        // During bursts the rate rises so that the mean over a cycle is kept.
        let on_share = bursts.map_or(1.0, |(on, cycle)| on as f64 / cycle as f64);
        LoadBalancer {
            interarrival: Distribution::Exponential {
                mean: on_share / params.arrival_rate,
            },
            service: Distribution::new(
                params.service_distribution,
                1.0 / params.service_rate,
                params.service_cv,
            ),
            bursts,
            on_clock: 0,
            faults: params.fault_schedule(),
            verdicts: Vec::new(),
            timeout: (params.timeout > 0.0).then(|| SimTime::from_secs_f64(params.timeout)),
            backends,
            balancer: Balancer::new(
                params.algorithm,
                n,
                params.unhealthy_threshold,
                params.healthy_threshold,
            ),
            slots: Vec::new(),
            free: Vec::new(),
            sessions: vec![None; params.clients as usize],
            affinity: vec![None; params.clients as usize],
            ids,
            params: params.clone(),
        }
    }

    /// What the charts mark up to `now`: the faults, and the balancer
    /// marking a backend unhealthy or healthy again.
    pub fn moments(&self, now: SimTime) -> Vec<Moment> {
        let mut moments = fault::moments(&self.faults, "backend", now);
        moments.extend(self.verdicts.iter().map(|&(at, b, healthy)| Moment {
            at: at.as_secs_f64(),
            what: format!(
                "backend {} marked {}",
                b + 1,
                if healthy { "healthy" } else { "unhealthy" }
            ),
        }));
        Moment::in_order(moments)
    }

    /// The parameters the model was built with.
    pub fn params(&self) -> &Params {
        &self.params
    }

    /// Requests neither finished nor given up on.
    pub fn in_flight(&self) -> u64 {
        self.slots
            .iter()
            .filter_map(|s| s.request.as_ref())
            .filter(|r| !r.timed_out)
            .count() as u64
    }

    fn client_region(&self, client: u32) -> u32 {
        client % self.params.regions
    }

    /// One-way network delay between a client and a backend.
    fn delay(&self, client: u32, backend: u32) -> SimTime {
        SimTime::from_secs_f64(one_way_delay(
            &self.params,
            self.client_region(client),
            self.backends[backend as usize].region,
        ))
    }

    /// When the next arrival after `now` happens, given a gap drawn in
    /// "traffic time" (bursts only, pauses removed).
    fn next_arrival(&mut self, gap: SimTime) -> SimTime {
        self.on_clock += gap.as_micros();
        SimTime::from_micros(match self.bursts {
            None => self.on_clock,
            Some((on, cycle)) => (self.on_clock / on) * cycle + self.on_clock % on,
        })
    }

    fn schedule_next_arrival(&mut self, cx: &mut Context<'_, Event>) {
        let gap = self.interarrival.sample(cx.stream(ARRIVALS));
        let at = self.next_arrival(gap);
        cx.schedule_at(at, Event(Happening::Arrival));
    }

    fn request(&mut self, r: RequestRef) -> Option<&mut Request> {
        let slot = self.slots.get_mut(r.index as usize)?;
        if slot.generation != r.generation {
            return None;
        }
        slot.request.as_mut()
    }

    fn insert(&mut self, request: Request) -> RequestRef {
        if let Some(index) = self.free.pop() {
            let slot = &mut self.slots[index as usize];
            slot.generation += 1;
            slot.request = Some(request);
            RequestRef {
                index,
                generation: slot.generation,
            }
        } else {
            self.slots.push(Slot {
                generation: 0,
                request: Some(request),
            });
            RequestRef {
                index: self.slots.len() as u32 - 1,
                generation: 0,
            }
        }
    }

    fn remove(&mut self, r: RequestRef) {
        self.slots[r.index as usize].request = None;
        self.free.push(r.index);
    }

    /// The request ends as `outcome` (unless the client already gave up).
    fn finish(&mut self, r: RequestRef, outcome: CounterId, cx: &mut Context<'_, Event>) {
        let timed_out = self.request(r).is_some_and(|q| q.timed_out);
        if !timed_out {
            cx.count(outcome, 1);
            cx.add_gauge(self.ids.in_system, -1.0);
        }
        self.remove(r);
    }

    fn on_arrival(&mut self, cx: &mut Context<'_, Event>) {
        let rng = cx.stream(ARRIVALS);
        let client = rng.index(self.params.clients as usize) as u32;
        let demand = self.service.sample_secs(rng);
        self.schedule_next_arrival(cx);
        cx.count(self.ids.arrived, 1);
        cx.add_gauge(self.ids.in_system, 1.0);
        let r = self.insert(Request {
            client,
            arrived: cx.now(),
            demand,
            backend: 0,
            attempt_sent: cx.now(),
            leg: (cx.now(), cx.now()),
            phase: Phase::ToBackend,
            retried: false,
            timed_out: false,
        });
        if let Some(t) = self.timeout {
            cx.schedule(t, Event(Happening::Timeout(r)));
        }
        self.route(r, None, cx);
    }

    /// Pick a backend (honouring affinity) and send the request there.
    fn route(&mut self, r: RequestRef, exclude: Option<u32>, cx: &mut Context<'_, Event>) {
        let client = self.request(r).map(|q| q.client).unwrap_or_default();
        let pinned = self.affinity[client as usize].filter(|&b| {
            self.params.sticky_sessions && exclude != Some(b) && self.balancer.believes_healthy(b)
        });
        let choice = pinned.or_else(|| {
            let (params, backends) = (&self.params, &self.backends);
            let region = self.client_region(client);
            let route = Route {
                client,
                exclude,
                backends,
                delay_to: &|b| one_way_delay(params, region, backends[b as usize].region),
                service_rate: params.service_rate,
            };
            self.balancer.choose(&route, cx.stream(ROUTING))
        });
        let Some(b) = choice else {
            // No backend the balancer would use: the balancer answers 503.
            self.finish(r, self.ids.rejected, cx);
            return;
        };
        self.affinity[client as usize] = Some(b);
        self.track_session(client, b, cx);
        self.balancer.sent(b);
        cx.count(self.backends[b as usize].routed, 1);
        let arrives = cx.now() + self.delay(client, b);
        let now = cx.now();
        if let Some(q) = self.request(r) {
            q.backend = b;
            q.attempt_sent = now;
            q.leg = (now, arrives);
            q.phase = Phase::ToBackend;
        }
        cx.schedule_at(arrives, Event(Happening::Deliver(r)));
    }

    /// A request of `client` lands on `backend`: if the client's session
    /// lived elsewhere (or died with a crash), it is broken.
    fn track_session(&mut self, client: u32, backend: u32, cx: &mut Context<'_, Event>) {
        let here = Session {
            backend,
            epoch: self.backends[backend as usize].epoch,
        };
        let session = &mut self.sessions[client as usize];
        if session.is_some_and(|s| s != here) {
            cx.count(self.ids.broken_sessions, 1);
        }
        *session = Some(here);
    }

    fn on_deliver(&mut self, r: RequestRef, cx: &mut Context<'_, Event>) {
        let Some(q) = self.request(r) else { return };
        let (b, timed_out) = (q.backend, q.timed_out);
        if timed_out {
            self.balancer.released(b);
            self.remove(r);
            return;
        }
        let backend = &self.backends[b as usize];
        if backend.condition == Condition::Down {
            self.reply(r, Answer::Refused, cx);
        } else if backend.in_service.len() < backend.workers as usize {
            self.start_service(b, r, cx);
        } else if backend.queue.len() < self.params.queue_capacity as usize {
            self.backends[b as usize].queue.push_back(r);
            if let Some(q) = self.request(r) {
                q.phase = Phase::Queued;
            }
            self.update_gauges(b, cx);
        } else {
            self.reply(r, Answer::Rejected, cx);
        }
    }

    fn start_service(&mut self, b: u32, r: RequestRef, cx: &mut Context<'_, Event>) {
        let backend = &mut self.backends[b as usize];
        backend.in_service.push(r);
        let (speed, epoch) = (backend.effective_speed(), backend.epoch);
        let Some(q) = self.request(r) else { return };
        q.phase = Phase::InService;
        let took = SimTime::from_secs_f64(q.demand / speed);
        cx.schedule(
            took,
            Event(Happening::ServiceDone {
                backend: b,
                epoch,
                request: r,
            }),
        );
        self.update_gauges(b, cx);
    }

    fn on_service_done(&mut self, b: u32, epoch: u32, r: RequestRef, cx: &mut Context<'_, Event>) {
        let backend = &mut self.backends[b as usize];
        if backend.epoch != epoch {
            return; // the backend crashed meanwhile; the request already failed
        }
        if let Some(i) = backend.in_service.iter().position(|&x| x == r) {
            backend.in_service.swap_remove(i);
        }
        if let Some(next) = backend.queue.pop_front() {
            self.start_service(b, next, cx);
        } else {
            self.update_gauges(b, cx);
        }
        let timed_out = self.request(r).is_some_and(|q| q.timed_out);
        if timed_out {
            // Wasted work: nobody waits for this answer any more.
            self.balancer.released(b);
            self.remove(r);
        } else {
            cx.count(self.backends[b as usize].served, 1);
            self.reply(r, Answer::Served, cx);
        }
    }

    /// The backend's answer starts back towards the balancer and client.
    fn reply(&mut self, r: RequestRef, answer: Answer, cx: &mut Context<'_, Event>) {
        let Some(q) = self.request(r) else { return };
        let (client, b) = (q.client, q.backend);
        let back = self.delay(client, b);
        let now = cx.now();
        if let Some(q) = self.request(r) {
            q.phase = Phase::Replying(answer);
            q.leg = (now, now + back);
        }
        cx.schedule(back, Event(Happening::Reply(r)));
    }

    fn on_reply(&mut self, r: RequestRef, cx: &mut Context<'_, Event>) {
        let Some(q) = self.request(r) else { return };
        let Phase::Replying(answer) = q.phase else {
            return;
        };
        let (b, sent, arrived, retried, timed_out) =
            (q.backend, q.attempt_sent, q.arrived, q.retried, q.timed_out);
        self.balancer.released(b);
        let now = cx.now();
        match answer {
            Answer::Served => {
                self.balancer.observed(b, now - sent, now);
                if !timed_out {
                    cx.observe(self.ids.latency, now - arrived);
                }
                self.finish(r, self.ids.completed, cx);
            }
            Answer::Rejected => self.finish(r, self.ids.rejected, cx),
            Answer::Refused if self.params.retry && !retried && !timed_out => {
                if let Some(q) = self.request(r) {
                    q.retried = true;
                }
                cx.count(self.ids.retries, 1);
                self.route(r, Some(b), cx);
            }
            Answer::Refused => self.finish(r, self.ids.failed, cx),
        }
    }

    fn on_timeout(&mut self, r: RequestRef, cx: &mut Context<'_, Event>) {
        let Some(q) = self.request(r) else { return };
        if q.timed_out {
            return;
        }
        q.timed_out = true;
        let (phase, b) = (q.phase, q.backend);
        cx.count(self.ids.timed_out, 1);
        cx.add_gauge(self.ids.in_system, -1.0);
        if phase == Phase::Queued {
            // The balancer cancels it; it never reaches a worker.
            let backend = &mut self.backends[b as usize];
            backend.queue.retain(|&x| x != r);
            self.balancer.released(b);
            self.remove(r);
            self.update_gauges(b, cx);
        }
        // Otherwise the request is on the wire or in service: its slot is
        // freed when that ends.
    }

    fn on_health_check(&mut self, cx: &mut Context<'_, Event>) {
        for b in 0..self.params.backends {
            let passed = self.backends[b as usize].condition != Condition::Down;
            let before = self.balancer.believes_healthy(b);
            self.balancer.checked(b, passed);
            let after = self.balancer.believes_healthy(b);
            if before != after && self.verdicts.len() < MAX_MOMENTS {
                self.verdicts.push((cx.now(), b, after));
            }
        }
        let interval = SimTime::from_secs_f64(self.params.health_check_interval);
        cx.schedule(interval, Event(Happening::HealthCheck));
    }

    fn on_fault(&mut self, b: u32, kind: FaultKind, cx: &mut Context<'_, Event>) {
        let Some(backend) = self.backends.get_mut(b as usize) else {
            return;
        };
        match kind {
            FaultKind::Down if backend.condition != Condition::Down => {
                backend.condition = Condition::Down;
                backend.epoch += 1;
                let lost: Vec<RequestRef> = backend
                    .in_service
                    .drain(..)
                    .chain(backend.queue.drain(..))
                    .collect();
                for r in lost {
                    // Connection reset: every request on the backend fails.
                    self.reply(r, Answer::Refused, cx);
                }
            }
            FaultKind::Down => {}
            FaultKind::Slow(k) => backend.condition = Condition::Slow(k),
            FaultKind::Recover => backend.condition = Condition::Up,
        }
        self.update_gauges(b, cx);
    }

    fn update_gauges(&self, b: u32, cx: &mut Context<'_, Event>) {
        let backend = &self.backends[b as usize];
        cx.set_gauge(backend.busy_gauge, backend.in_service.len() as f64);
        cx.set_gauge(backend.queue_gauge, backend.queue.len() as f64);
        cx.set_gauge(backend.load_gauge, f64::from(backend.load()));
    }
}

/// One-way network delay in seconds between a client in `client_region` and
/// a backend in `backend_region`.
fn one_way_delay(params: &Params, client_region: u32, backend_region: u32) -> f64 {
    if client_region == backend_region {
        params.network_delay
    } else {
        params.network_delay + params.region_delay
    }
}

impl Model for LoadBalancer {
    type Event = Event;
    type Snapshot = Snapshot;

    fn start(&mut self, cx: &mut Context<'_, Event>) {
        self.schedule_next_arrival(cx);
        if self.params.health_check_interval > 0.0 {
            let interval = SimTime::from_secs_f64(self.params.health_check_interval);
            cx.schedule(interval, Event(Happening::HealthCheck));
        }
        for f in &self.faults {
            cx.schedule_at(f.at, Event(Happening::Fault(f.node, f.kind)));
        }
    }

    fn handle(&mut self, Event(event): Event, cx: &mut Context<'_, Event>) {
        match event {
            Happening::Arrival => self.on_arrival(cx),
            Happening::Deliver(r) => self.on_deliver(r, cx),
            Happening::ServiceDone {
                backend,
                epoch,
                request,
            } => self.on_service_done(backend, epoch, request, cx),
            Happening::Reply(r) => self.on_reply(r, cx),
            Happening::Timeout(r) => self.on_timeout(r, cx),
            Happening::HealthCheck => self.on_health_check(cx),
            Happening::Fault(b, kind) => self.on_fault(b, kind, cx),
        }
    }

    fn snapshot(&self, now: SimTime) -> Snapshot {
        let backends = self
            .backends
            .iter()
            .enumerate()
            .map(|(b, backend)| BackendView {
                condition: backend.condition,
                believed_healthy: self.balancer.believes_healthy(b as u32),
                busy: backend.in_service.len() as u32,
                workers: backend.workers,
                queued: backend.queue.len() as u32,
                queue_capacity: self.params.queue_capacity,
                speed: backend.speed,
                region: backend.region,
                outstanding: self.balancer.outstanding(b as u32),
            })
            .collect();
        let messages = self
            .slots
            .iter()
            .filter_map(|s| s.request.as_ref())
            .filter_map(|q| {
                let (from, to) = match q.phase {
                    Phase::ToBackend => (Node::Clients, Node::Backend(q.backend)),
                    Phase::Replying(_) => (Node::Backend(q.backend), Node::Clients),
                    Phase::Queued | Phase::InService => return None,
                };
                Some(InFlight {
                    from,
                    to,
                    sent_at: q.leg.0,
                    arrives_at: q.leg.1,
                })
            })
            .collect();
        Snapshot {
            now,
            backends,
            messages,
        }
    }
}
