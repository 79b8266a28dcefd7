//! The caching model: clients, a cluster of cache nodes, one database.
//!
//! Every hop is a message on the wire that takes `network_delay`; cache
//! nodes answer at once; the database serves `db_capacity` queries at a time
//! and queues the rest. A request's life:
//!
//! - **read**: ask the key's cache node. A hit is answered from memory. A
//!   miss (or a refused connection to a dead node) reads the database —
//!   unless another read of the key is already doing so and requests are
//!   coalesced — and the client then stores the value in the cache (a
//!   *fill*, fire-and-forget).
//! - **write**, by strategy: *delete-on-write* updates the database, then
//!   deletes the cached key; *TTL-only* updates the database alone;
//!   *write-through* sends the write to the cache node, which writes the
//!   database and stores the committed value; *write-behind* stores the
//!   value in the cache node, which answers at once and flushes dirty values
//!   to the database periodically.
//!
//! Versions make staleness exact. The database counts writes per key; a
//! read is **stale** if the version it returns is older than the newest one
//! written (committed, or acknowledged by a write-behind node) at the moment
//! it was served. A read that missed, read version 4 at the database, and
//! filled the cache after a concurrent write committed version 5 and deleted
//! the key, leaves version 4 in the cache: every hit on it is stale until it
//! expires or the key is written again. That is the classic cache-aside race.
//!
//! Every request ends completed, rejected (the database queue was full) or
//! failed (a write lost with its cache node), or is still in flight.

use super::params::{Coalescing, Params, WriteStrategy};
use super::store::{Entry, Lookup, Store};
use crate::dashboard::Moment;
use crate::fault::{self, Fault, FaultKind};
use crate::keyspace::{HotKey, Placement, Workload, Zipf};
use archsim_core::{
    Condition, Context, CounterId, Distribution, GaugeId, HistogramId, InFlight, Metrics, Model,
    Shape, SimTime,
};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// Random stream for arrival times, keys and reads versus writes: the same
/// whatever the cache does, so compared variants see identical traffic.
const ARRIVALS: usize = 1;
/// Random stream for database service times.
const DATABASE: usize = 2;
/// Random stream for random eviction.
const EVICTION: usize = 3;
/// Random stream for TTL jitter.
const EXPIRY: usize = 4;
/// Random stream for early-refresh draws.
const REFRESH: usize = 5;

/// Stale reads remembered for the diagram's flashes.
const FLASHES: usize = 16;
/// How long a stale read flashes in the diagram.
const FLASH: SimTime = SimTime::from_millis(300);
/// How long a lease lasts if its fill never comes (memcached's default).
const LEASE_LIFETIME: SimTime = SimTime::from_secs(10);
/// The most popular keys whose moves a remap counts.
const HOT_KEYS: u32 = 100;

/// Something that happens in the caching model.
#[derive(Clone, Debug)]
pub struct Event(Happening);

impl Event {
    /// A fault at the time the event is scheduled or injected: what a person
    /// does by clicking a cache node in the playground.
    pub fn fault(node: u32, kind: FaultKind) -> Self {
        Event(Happening::Fault(node, kind))
    }
}

#[derive(Clone, Debug)]
enum Happening {
    Arrival,
    Scan,
    Deliver(u32),
    DbDone(Job),
    Flush,
    Fault(u32, FaultKind),
}

/// A party in the diagram.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "json", serde(rename_all = "snake_case"))]
pub enum Node {
    /// All clients (the application tier), drawn as one.
    Clients,
    /// Cache node `n` (from 0).
    Cache(u32),
    /// The database.
    Database,
}

/// What a message on the wire is, for the diagram's colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "json", serde(rename_all = "snake_case"))]
pub enum MessageKind {
    /// A client asks a cache node for a key.
    Lookup,
    /// A cache node answers with a current value.
    Hit,
    /// A cache node answers with a value older than the database's.
    StaleHit,
    /// A cache node has no (live) value.
    Miss,
    /// A read sent to the database.
    Query,
    /// The database's answer to a read.
    Rows,
    /// A client stores what it read in the cache.
    Fill,
    /// A write on its way to be applied.
    Write,
    /// A client deletes a key from the cache after writing.
    Delete,
    /// A write or delete acknowledged.
    Ack,
    /// A write-behind node sends dirty values to the database.
    Flush,
    /// A dead node refused the connection, or the database was full.
    Refused,
}

/// A message on the wire, as the diagram draws it.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct Message {
    /// Who sent it to whom, and when it left and arrives.
    pub flight: InFlight<Node>,
    /// What it is.
    pub kind: MessageKind,
}

/// One cache node as the diagram shows it.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct CacheNodeView {
    /// Up or down (cache nodes are not slowed).
    pub condition: Condition,
    /// Items held.
    pub items: u32,
    /// Items it can hold.
    pub capacity: u32,
    /// Items holding writes not yet in the database (write-behind).
    pub dirty: u32,
    /// Share of the reads it answered that were hits, whole run so far.
    pub hit_ratio: f64,
}

/// The database as the diagram shows it.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct DatabaseView {
    /// Queries being served.
    pub busy: u32,
    /// Queries it can serve at once.
    pub workers: u32,
    /// Queries waiting.
    pub queued: u32,
    /// Room in the queue for client requests.
    pub queue_capacity: u32,
}

/// A stale read, for the diagram to flash.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct StaleFlash {
    /// Where it was served: a cache node or the database.
    pub node: Node,
    /// The key.
    pub key: u32,
    /// When.
    pub at: SimTime,
}

/// Everything the diagram draws at one instant.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct Snapshot {
    /// The instant.
    pub now: SimTime,
    /// The cache cluster.
    pub nodes: Vec<CacheNodeView>,
    /// The database.
    pub database: DatabaseView,
    /// Messages on the wire.
    pub messages: Vec<Message>,
    /// Share of reads that hit, whole run so far.
    pub hit_ratio: f64,
    /// Stale reads of the last few hundred milliseconds.
    pub stale_flashes: Vec<StaleFlash>,
}

/// A change of the cache ring: a node left or joined.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct Remap {
    /// When, in seconds.
    pub at: f64,
    /// Cache nodes in the ring afterwards.
    pub live_nodes: u32,
    /// Keys whose node changed (their cached values are lost to readers).
    pub moved_keys: u64,
    /// Share of read traffic on those keys (by popularity), 0 to 1.
    pub traffic_moved: f64,
    /// How many of the most popular keys were looked at.
    pub hot_keys: u32,
    /// How many of them moved.
    pub hot_moved: u32,
}

/// A client request in the system.
#[derive(Clone, Copy, Debug)]
struct Request {
    arrived: SimTime,
    key: u32,
    write: bool,
    /// A read of the batch scan, not of the application.
    scan: bool,
    /// The cache node it last went to.
    node: Option<u32>,
    /// When it sent its database read (XFetch's delta is the round trip).
    asked_db: SimTime,
    /// The lease its miss was given, if leases are on.
    lease: Option<u64>,
}

/// What travels between parties; `u32`s name requests.
#[derive(Clone, Copy, Debug)]
enum Payload {
    Lookup(u32),
    Found {
        req: u32,
        entry: Entry,
        stale: bool,
    },
    Missing {
        req: u32,
        lease: Option<u64>,
    },
    Refused(u32),
    Query(u32),
    Rows {
        req: u32,
        version: u64,
        stale: bool,
    },
    Busy(u32),
    Fill {
        key: u32,
        version: u64,
        cost: SimTime,
        lease: Option<u64>,
    },
    Update(u32),
    Committed(u32),
    Delete(u32),
    Deleted(u32),
    Put(u32),
    Through(u32),
    Written {
        req: u32,
        version: u64,
    },
    Stored(u32),
    Flush {
        key: u32,
        version: u64,
    },
}

impl Payload {
    fn kind(self) -> MessageKind {
        match self {
            Payload::Lookup(_) => MessageKind::Lookup,
            Payload::Found { stale: true, .. } => MessageKind::StaleHit,
            Payload::Found { .. } => MessageKind::Hit,
            Payload::Missing { .. } => MessageKind::Miss,
            Payload::Refused(_) | Payload::Busy(_) => MessageKind::Refused,
            Payload::Query(_) => MessageKind::Query,
            Payload::Rows { .. } => MessageKind::Rows,
            Payload::Fill { .. } => MessageKind::Fill,
            Payload::Update(_) | Payload::Put(_) | Payload::Through(_) => MessageKind::Write,
            Payload::Delete(_) => MessageKind::Delete,
            Payload::Committed(_)
            | Payload::Deleted(_)
            | Payload::Written { .. }
            | Payload::Stored(_) => MessageKind::Ack,
            Payload::Flush { .. } => MessageKind::Flush,
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct Packet {
    from: Node,
    to: Node,
    sent_at: SimTime,
    arrives_at: SimTime,
    payload: Payload,
}

/// Work for the database. A read's snapshot is taken when it starts.
#[derive(Clone, Copy, Debug)]
enum Job {
    Read { req: u32, version: u64, stale: bool },
    Write(u32),
    Through { req: u32, node: u32 },
    Flush { key: u32, version: u64 },
}

/// One cache node: its memory and its metrics.
pub(super) struct CacheNode {
    pub(super) store: Store,
    pub(super) up: bool,
    /// Keys with writes not yet flushed (write-behind).
    dirty: BTreeSet<u32>,
    /// Leases outstanding, by key: the token and when it was handed out.
    leases: BTreeMap<u32, (u64, SimTime)>,
    /// Reads answered and hits among them, whole run, for the diagram.
    answered: u64,
    hit: u64,
    pub(super) requests: CounterId,
    pub(super) hits: CounterId,
    pub(super) misses: CounterId,
    pub(super) evictions: CounterId,
    pub(super) items: GaugeId,
}

struct Database {
    busy: u32,
    queue: VecDeque<Job>,
}

/// Metric ids the report reads.
pub(super) struct Ids {
    pub(super) arrived: CounterId,
    pub(super) completed: CounterId,
    pub(super) rejected: CounterId,
    pub(super) failed: CounterId,
    pub(super) reads: CounterId,
    pub(super) writes: CounterId,
    pub(super) scan_reads: CounterId,
    pub(super) hits: CounterId,
    pub(super) misses: CounterId,
    pub(super) stale_reads: CounterId,
    pub(super) stale_fills: CounterId,
    pub(super) refused_fills: CounterId,
    pub(super) early_refreshes: CounterId,
    pub(super) coalesced: CounterId,
    pub(super) db_reads: CounterId,
    pub(super) db_writes: CounterId,
    pub(super) evictions: CounterId,
    pub(super) expirations: CounterId,
    pub(super) lost_writes: CounterId,
    pub(super) latency: HistogramId,
    pub(super) read_latency: HistogramId,
    pub(super) write_latency: HistogramId,
    pub(super) in_system: GaugeId,
    pub(super) db_busy: GaugeId,
    pub(super) db_queue: GaugeId,
}

/// The caching model.
pub struct CacheCluster {
    params: Params,
    interarrival: Distribution,
    db_service: Distribution,
    workload: Workload,
    faults: Vec<Fault>,
    pub(super) nodes: Vec<CacheNode>,
    ring: Option<Placement>,
    pub(super) remaps: Vec<Remap>,
    db: Database,
    /// Per key: the newest version committed or acknowledged.
    latest: Vec<u64>,
    /// Per key: the version the database holds.
    db_version: Vec<u64>,
    requests: Vec<Option<Request>>,
    free: Vec<u32>,
    in_flight: u64,
    wire: Vec<Option<Packet>>,
    wire_free: Vec<u32>,
    /// Single flight: keys being read from the database, and who waits.
    flights: BTreeMap<u32, Vec<u32>>,
    /// The next key the scan reads.
    scan_cursor: u32,
    /// The last lease handed out.
    lease_counter: u64,
    flashes: VecDeque<StaleFlash>,
    hits_so_far: u64,
    reads_so_far: u64,
    pub(super) ids: Ids,
}

impl CacheCluster {
    /// Build the model for checked `params`, registering its metrics.
    pub(super) fn new(params: &Params, metrics: &mut Metrics) -> Self {
        let nodes = (0..params.cache_nodes)
            .map(|n| CacheNode {
                store: Store::new(params.policy, params.capacity),
                up: true,
                dirty: BTreeSet::new(),
                leases: BTreeMap::new(),
                answered: 0,
                hit: 0,
                requests: metrics.counter(format!("node{}.requests", n + 1)),
                hits: metrics.counter(format!("node{}.hits", n + 1)),
                misses: metrics.counter(format!("node{}.misses", n + 1)),
                evictions: metrics.counter(format!("node{}.evictions", n + 1)),
                items: metrics.gauge(format!("node{}.items", n + 1)),
            })
            .collect();
        let ids = Ids {
            arrived: metrics.counter("arrived"),
            completed: metrics.counter("completed"),
            rejected: metrics.counter("rejected"),
            failed: metrics.counter("failed"),
            reads: metrics.counter("reads"),
            writes: metrics.counter("writes"),
            scan_reads: metrics.counter("scan_reads"),
            hits: metrics.counter("hits"),
            misses: metrics.counter("misses"),
            stale_reads: metrics.counter("stale_reads"),
            stale_fills: metrics.counter("stale_fills"),
            refused_fills: metrics.counter("refused_fills"),
            early_refreshes: metrics.counter("early_refreshes"),
            coalesced: metrics.counter("coalesced"),
            db_reads: metrics.counter("db_reads"),
            db_writes: metrics.counter("db_writes"),
            evictions: metrics.counter("evictions"),
            expirations: metrics.counter("expirations"),
            lost_writes: metrics.counter("lost_writes"),
            latency: metrics.histogram("latency"),
            read_latency: metrics.histogram("read_latency"),
            write_latency: metrics.histogram("write_latency"),
            in_system: metrics.gauge("in_system"),
            db_busy: metrics.gauge("db_busy"),
            db_queue: metrics.gauge("db_queue"),
        };
        let keys = u64::from(params.keys);
        let hot = (params.hot_key_share > 0.0).then(|| HotKey {
            key: u64::from(params.hot_key),
            share: params.hot_key_share,
            from: SimTime::from_secs_f64(params.hot_key_from),
            until: SimTime::from_secs_f64(params.hot_key_until),
        });
        let ring = (params.cache_nodes > 0).then(|| {
            Placement::new(
                params.placement.strategy(),
                (0..params.cache_nodes).collect(),
                keys,
                params.virtual_nodes,
            )
        });
        CacheCluster {
            interarrival: Distribution::Exponential {
                mean: 1.0 / params.request_rate,
            },
            db_service: if params.db_cv > 0.0 {
                Distribution::new(Shape::LogNormal, params.db_latency, params.db_cv)
            } else {
                Distribution::Deterministic {
                    mean: params.db_latency,
                }
            },
            workload: Workload::new(Zipf::new(keys, params.zipf_alpha), params.read_ratio, hot),
            faults: params.fault_schedule(),
            nodes,
            ring,
            remaps: Vec::new(),
            db: Database {
                busy: 0,
                queue: VecDeque::new(),
            },
            latest: vec![0; params.keys as usize],
            db_version: vec![0; params.keys as usize],
            requests: Vec::new(),
            free: Vec::new(),
            in_flight: 0,
            wire: Vec::new(),
            wire_free: Vec::new(),
            flights: BTreeMap::new(),
            scan_cursor: params.keys - 1,
            lease_counter: 0,
            flashes: VecDeque::new(),
            hits_so_far: 0,
            reads_so_far: 0,
            ids,
            params: params.clone(),
        }
    }

    /// What the charts mark up to `now`: the faults.
    pub fn moments(&self, now: SimTime) -> Vec<Moment> {
        Moment::in_order(fault::moments(&self.faults, "cache node", now))
    }

    /// The parameters the model was built with.
    pub fn params(&self) -> &Params {
        &self.params
    }

    /// Requests not yet finished.
    pub fn in_flight(&self) -> u64 {
        self.in_flight
    }

    /// The key popularity (for theory and for the report).
    pub fn popularity(&self) -> &Zipf {
        self.workload.popularity()
    }

    fn request(&self, req: u32) -> Request {
        self.requests[req as usize].expect("a live request")
    }

    fn request_mut(&mut self, req: u32) -> &mut Request {
        self.requests[req as usize]
            .as_mut()
            .expect("a live request")
    }

    /// The cache node `key` maps to now, if any cache node is up.
    fn node_for(&self, key: u32) -> Option<u32> {
        self.ring.as_ref().map(|r| r.node_of(u64::from(key)))
    }

    /// Put a message on the wire.
    fn send(&mut self, from: Node, to: Node, payload: Payload, cx: &mut Context<'_, Event>) {
        let now = cx.now();
        let packet = Packet {
            from,
            to,
            sent_at: now,
            arrives_at: now + SimTime::from_secs_f64(self.params.network_delay),
            payload,
        };
        let slot = if let Some(slot) = self.wire_free.pop() {
            self.wire[slot as usize] = Some(packet);
            slot
        } else {
            self.wire.push(Some(packet));
            self.wire.len() as u32 - 1
        };
        cx.schedule_at(packet.arrives_at, Event(Happening::Deliver(slot)));
    }

    // ----- arrivals ---------------------------------------------------

    fn schedule_next_arrival(&mut self, cx: &mut Context<'_, Event>) {
        let gap = self.interarrival.sample(cx.stream(ARRIVALS));
        cx.schedule(gap, Event(Happening::Arrival));
    }

    fn on_arrival(&mut self, cx: &mut Context<'_, Event>) {
        let now = cx.now();
        let access = self.workload.next(now, cx.stream(ARRIVALS));
        self.schedule_next_arrival(cx);
        self.admit(access.key as u32, access.write, false, cx);
    }

    fn on_scan(&mut self, cx: &mut Context<'_, Event>) {
        let until = SimTime::from_secs_f64(self.params.scan_until);
        if cx.now() >= until {
            return;
        }
        let key = self.scan_cursor;
        self.scan_cursor = key.checked_sub(1).unwrap_or(self.params.keys - 1);
        cx.schedule(
            SimTime::from_secs_f64(1.0 / self.params.scan_rate),
            Event(Happening::Scan),
        );
        self.admit(key, false, true, cx);
    }

    /// A new request for `key` enters the system.
    fn admit(&mut self, key: u32, write: bool, scan: bool, cx: &mut Context<'_, Event>) {
        cx.count(self.ids.arrived, 1);
        cx.add_gauge(self.ids.in_system, 1.0);
        self.in_flight += 1;
        let request = Request {
            arrived: cx.now(),
            key,
            write,
            scan,
            node: None,
            asked_db: cx.now(),
            lease: None,
        };
        let req = if let Some(i) = self.free.pop() {
            self.requests[i as usize] = Some(request);
            i
        } else {
            self.requests.push(Some(request));
            self.requests.len() as u32 - 1
        };
        if write {
            cx.count(self.ids.writes, 1);
            self.start_write(req, cx);
        } else {
            self.start_read(req, cx);
        }
    }

    fn start_read(&mut self, req: u32, cx: &mut Context<'_, Event>) {
        let key = self.request(req).key;
        match self.node_for(key) {
            Some(n) => {
                self.request_mut(req).node = Some(n);
                self.send(Node::Clients, Node::Cache(n), Payload::Lookup(req), cx);
            }
            None => {
                self.classify_read(req, false, cx);
                self.read_database(req, cx);
            }
        }
    }

    fn start_write(&mut self, req: u32, cx: &mut Context<'_, Event>) {
        let key = self.request(req).key;
        let through_cache = matches!(
            self.params.write_strategy,
            WriteStrategy::WriteThrough | WriteStrategy::WriteBehind
        );
        match self.node_for(key) {
            Some(n) if through_cache => {
                self.request_mut(req).node = Some(n);
                self.send(Node::Clients, Node::Cache(n), Payload::Put(req), cx);
            }
            _ => self.send(Node::Clients, Node::Database, Payload::Update(req), cx),
        }
    }

    /// Count a read as a hit or a miss, for the whole and for its node.
    /// The scan's reads are counted apart: the hit ratio is the
    /// application's.
    fn classify_read(&mut self, req: u32, hit: bool, cx: &mut Context<'_, Event>) {
        if self.request(req).scan {
            cx.count(self.ids.scan_reads, 1);
            return;
        }
        cx.count(self.ids.reads, 1);
        cx.count(if hit { self.ids.hits } else { self.ids.misses }, 1);
        self.reads_so_far += 1;
        self.hits_so_far += u64::from(hit);
        if let Some(n) = self.request(req).node {
            let node = &mut self.nodes[n as usize];
            node.answered += 1;
            node.hit += u64::from(hit);
            cx.count(if hit { node.hits } else { node.misses }, 1);
        }
    }

    /// A read that missed goes to the database, or waits for one that
    /// already does (single flight).
    fn read_database(&mut self, req: u32, cx: &mut Context<'_, Event>) {
        let key = self.request(req).key;
        if self.params.coalescing == Coalescing::SingleFlight {
            if let Some(waiting) = self.flights.get_mut(&key) {
                waiting.push(req);
                cx.count(self.ids.coalesced, 1);
                return;
            }
            self.flights.insert(key, Vec::new());
        }
        self.request_mut(req).asked_db = cx.now();
        self.send(Node::Clients, Node::Database, Payload::Query(req), cx);
    }

    /// The request ends as `outcome`.
    fn finish(&mut self, req: u32, outcome: CounterId, cx: &mut Context<'_, Event>) {
        let r = self.requests[req as usize]
            .take()
            .expect("a request finishes once");
        self.free.push(req);
        self.in_flight -= 1;
        cx.count(outcome, 1);
        cx.add_gauge(self.ids.in_system, -1.0);
        if outcome == self.ids.completed {
            let took = cx.now() - r.arrived;
            cx.observe(self.ids.latency, took);
            let by_kind = if r.write {
                self.ids.write_latency
            } else {
                self.ids.read_latency
            };
            cx.observe(by_kind, took);
        }
    }

    /// A single-flight leader's answer also ends its followers.
    fn followers(&mut self, req: u32) -> Vec<u32> {
        if self.params.coalescing != Coalescing::SingleFlight {
            return Vec::new();
        }
        let key = self.request(req).key;
        self.flights.remove(&key).unwrap_or_default()
    }

    /// Request `req` is served an outdated value at `node` (the scan's
    /// reads are not counted: the application's are).
    fn stale_read(&mut self, req: u32, node: Node, cx: &mut Context<'_, Event>) {
        let Request { key, scan, .. } = self.request(req);
        if scan {
            return;
        }
        cx.count(self.ids.stale_reads, 1);
        if self.flashes.len() == FLASHES {
            self.flashes.pop_front();
        }
        self.flashes.push_back(StaleFlash {
            node,
            key,
            at: cx.now(),
        });
    }

    // ----- the wire -----------------------------------------------------

    fn on_deliver(&mut self, slot: u32, cx: &mut Context<'_, Event>) {
        let packet = self.wire[slot as usize]
            .take()
            .expect("a message is delivered once");
        self.wire_free.push(slot);
        match packet.to {
            Node::Clients => self.at_client(packet.payload, cx),
            Node::Cache(n) => self.at_cache(n, packet.payload, cx),
            Node::Database => self.at_database(packet.from, packet.payload, cx),
        }
    }

    fn at_client(&mut self, payload: Payload, cx: &mut Context<'_, Event>) {
        match payload {
            Payload::Found { req, entry, stale } => {
                if self.refresh_early(&entry, cx) {
                    cx.count(self.ids.early_refreshes, 1);
                    self.classify_read(req, false, cx);
                    self.read_database(req, cx);
                } else {
                    self.classify_read(req, true, cx);
                    if stale {
                        let node = self.request(req).node.map_or(Node::Database, Node::Cache);
                        self.stale_read(req, node, cx);
                    }
                    self.finish(req, self.ids.completed, cx);
                }
            }
            Payload::Missing { req, lease } => {
                self.request_mut(req).lease = lease;
                self.classify_read(req, false, cx);
                self.read_database(req, cx);
            }
            Payload::Refused(req) => {
                let r = self.request(req);
                if !r.write {
                    // The cache is unavailable: read the database instead.
                    self.classify_read(req, false, cx);
                    self.read_database(req, cx);
                } else if self.params.write_strategy == WriteStrategy::DeleteOnWrite {
                    // The database has the write; the node that would
                    // have held the key is gone, and its memory with it.
                    self.finish(req, self.ids.completed, cx);
                } else {
                    self.finish(req, self.ids.failed, cx);
                }
            }
            Payload::Rows {
                req,
                version,
                stale,
            } => {
                let r = self.request(req);
                let cost = cx.now() - r.asked_db;
                let followers = self.followers(req);
                for q in std::iter::once(req).chain(followers) {
                    if stale {
                        self.stale_read(q, Node::Database, cx);
                    }
                    self.finish(q, self.ids.completed, cx);
                }
                // With leases, only the miss that holds one fills the key.
                let may_fill = !self.params.leases || r.lease.is_some();
                if let Some(n) = self.node_for(r.key).filter(|_| may_fill) {
                    let fill = Payload::Fill {
                        key: r.key,
                        version,
                        cost,
                        lease: r.lease,
                    };
                    self.send(Node::Clients, Node::Cache(n), fill, cx);
                }
            }
            Payload::Busy(req) => {
                let followers = self.followers(req);
                for q in std::iter::once(req).chain(followers) {
                    self.finish(q, self.ids.rejected, cx);
                }
            }
            Payload::Committed(req) => {
                let key = self.request(req).key;
                match self.node_for(key) {
                    Some(n) if self.params.write_strategy == WriteStrategy::DeleteOnWrite => {
                        self.request_mut(req).node = Some(n);
                        self.send(Node::Clients, Node::Cache(n), Payload::Delete(req), cx);
                    }
                    _ => self.finish(req, self.ids.completed, cx),
                }
            }
            Payload::Deleted(req) | Payload::Stored(req) => {
                self.finish(req, self.ids.completed, cx);
            }
            Payload::Lookup(_)
            | Payload::Query(_)
            | Payload::Fill { .. }
            | Payload::Update(_)
            | Payload::Delete(_)
            | Payload::Put(_)
            | Payload::Through(_)
            | Payload::Written { .. }
            | Payload::Flush { .. } => unreachable!("clients are not sent {payload:?}"),
        }
    }

    /// XFetch (Vattani, Chierichetti and Lowenstein, 2015): refresh if
    /// `now − delta · beta · ln(u) ≥ expiry`, delta being how long the
    /// value took to fetch. The closer the expiry, the likelier.
    fn refresh_early(&self, entry: &Entry, cx: &mut Context<'_, Event>) -> bool {
        if self.params.coalescing != Coalescing::EarlyRefresh || entry.expires == SimTime::MAX {
            return false;
        }
        let u = cx.stream(REFRESH).unit_open_low();
        let ahead = entry.cost.as_secs_f64() * self.params.early_refresh_beta * -libm::log(u);
        cx.now() + SimTime::from_secs_f64(ahead) >= entry.expires
    }

    fn at_cache(&mut self, n: u32, payload: Payload, cx: &mut Context<'_, Event>) {
        let here = Node::Cache(n);
        let up = self.nodes[n as usize].up;
        if up {
            cx.count(self.nodes[n as usize].requests, 1);
        }
        match payload {
            Payload::Lookup(req)
            | Payload::Delete(req)
            | Payload::Put(req)
            | Payload::Written { req, .. }
            | Payload::Busy(req)
                if !up =>
            {
                self.send(here, Node::Clients, Payload::Refused(req), cx);
            }
            Payload::Fill { .. } if !up => {}
            Payload::Lookup(req) => {
                let key = self.request(req).key;
                let now = cx.now();
                let reply = match self.nodes[n as usize].store.read(key, now) {
                    Lookup::Hit(entry) => Payload::Found {
                        req,
                        entry,
                        stale: entry.version < self.latest[key as usize],
                    },
                    Lookup::Miss => Payload::Missing {
                        req,
                        lease: self.lease(n, key, now),
                    },
                    Lookup::Expired(entry) => {
                        cx.count(self.ids.expirations, 1);
                        self.dropped(n, entry, cx);
                        Payload::Missing {
                            req,
                            lease: self.lease(n, key, now),
                        }
                    }
                };
                self.send(here, Node::Clients, reply, cx);
            }
            Payload::Fill {
                key,
                lease: Some(lease),
                ..
            } if self.nodes[n as usize].leases.get(&key).map(|l| l.0) != Some(lease) => {
                // The key was deleted (or missed again) since this lease was
                // handed out: what the filler read may be outdated.
                cx.count(self.ids.refused_fills, 1);
            }
            Payload::Fill {
                key,
                version,
                cost,
                lease,
            } => {
                if lease.is_some() {
                    self.nodes[n as usize].leases.remove(&key);
                }
                let entry = Entry {
                    key,
                    version,
                    expires: self.expiry(cx),
                    cost,
                    unflushed: 0,
                };
                // A value read before a write that has since committed: the
                // cache-aside race, caught in the act.
                if self.store(n, entry, cx) && version < self.latest[key as usize] {
                    cx.count(self.ids.stale_fills, 1);
                }
            }
            Payload::Delete(req) => {
                let key = self.request(req).key;
                self.nodes[n as usize].leases.remove(&key);
                if let Some(entry) = self.nodes[n as usize].store.remove(key) {
                    self.dropped(n, entry, cx);
                }
                self.send(here, Node::Clients, Payload::Deleted(req), cx);
            }
            Payload::Put(req) => match self.params.write_strategy {
                WriteStrategy::WriteBehind => {
                    let key = self.request(req).key;
                    let version = self.latest[key as usize] + 1;
                    self.latest[key as usize] = version;
                    let entry = Entry {
                        key,
                        version,
                        expires: self.expiry(cx),
                        cost: self.cost_held(n, key),
                        unflushed: 1,
                    };
                    self.store(n, entry, cx);
                    self.nodes[n as usize].dirty.insert(key);
                    self.send(here, Node::Clients, Payload::Stored(req), cx);
                }
                _ => self.send(here, Node::Database, Payload::Through(req), cx),
            },
            Payload::Written { req, version } => {
                let key = self.request(req).key;
                let entry = Entry {
                    key,
                    version,
                    expires: self.expiry(cx),
                    cost: self.cost_held(n, key),
                    unflushed: 0,
                };
                self.store(n, entry, cx);
                self.send(here, Node::Clients, Payload::Stored(req), cx);
            }
            Payload::Busy(req) => self.send(here, Node::Clients, Payload::Busy(req), cx),
            Payload::Found { .. }
            | Payload::Missing { .. }
            | Payload::Refused(_)
            | Payload::Query(_)
            | Payload::Rows { .. }
            | Payload::Update(_)
            | Payload::Committed(_)
            | Payload::Deleted(_)
            | Payload::Through(_)
            | Payload::Stored(_)
            | Payload::Flush { .. } => unreachable!("cache nodes are not sent {payload:?}"),
        }
    }

    /// A lease on `key` at node `n` for a miss at `now`, if leases are on
    /// and no other miss holds a live one (that miss will fill the key).
    fn lease(&mut self, n: u32, key: u32, now: SimTime) -> Option<u64> {
        if !self.params.leases {
            return None;
        }
        let leases = &mut self.nodes[n as usize].leases;
        if leases
            .get(&key)
            .is_some_and(|&(_, issued)| now - issued < LEASE_LIFETIME)
        {
            return None;
        }
        self.lease_counter += 1;
        leases.insert(key, (self.lease_counter, now));
        Some(self.lease_counter)
    }

    /// When a value stored now expires.
    fn expiry(&self, cx: &mut Context<'_, Event>) -> SimTime {
        let ttl = self.params.ttl;
        if ttl <= 0.0 {
            return SimTime::MAX;
        }
        let jitter = self.params.ttl_jitter;
        let factor = if jitter > 0.0 {
            1.0 + jitter * (2.0 * cx.stream(EXPIRY).unit() - 1.0)
        } else {
            1.0
        };
        cx.now() + SimTime::from_secs_f64(ttl * factor)
    }

    /// The fetch cost remembered for `key` on node `n`.
    fn cost_held(&self, n: u32, key: u32) -> SimTime {
        self.nodes[n as usize]
            .store
            .peek(key)
            .map_or(SimTime::ZERO, |e| e.cost)
    }

    /// Store `entry` on node `n`, evicting if it must; false if a newer
    /// version was held.
    fn store(&mut self, n: u32, entry: Entry, cx: &mut Context<'_, Event>) -> bool {
        let node = &mut self.nodes[n as usize];
        let stored = node.store.write(entry, cx.stream(EVICTION));
        if let Some(victim) = stored.evicted {
            cx.count(self.ids.evictions, 1);
            cx.count(node.evictions, 1);
            self.dropped(n, victim, cx);
        }
        let node = &self.nodes[n as usize];
        cx.set_gauge(node.items, f64::from(node.store.len()));
        stored.kept
    }

    /// An entry left node `n` (evicted, expired or deleted): write back
    /// what it holds that the database has not seen.
    fn dropped(&mut self, n: u32, entry: Entry, cx: &mut Context<'_, Event>) {
        let node = &mut self.nodes[n as usize];
        if node.dirty.remove(&entry.key) && entry.unflushed > 0 {
            let flush = Payload::Flush {
                key: entry.key,
                version: entry.version,
            };
            self.send(Node::Cache(n), Node::Database, flush, cx);
        }
        let node = &self.nodes[n as usize];
        cx.set_gauge(node.items, f64::from(node.store.len()));
    }

    fn on_flush(&mut self, cx: &mut Context<'_, Event>) {
        for n in 0..self.nodes.len() as u32 {
            let node = &mut self.nodes[n as usize];
            if !node.up {
                continue;
            }
            let dirty = std::mem::take(&mut node.dirty);
            for key in dirty {
                let node = &mut self.nodes[n as usize];
                let Some(&entry) = node.store.peek(key) else {
                    continue;
                };
                node.store.flushed(key);
                if entry.unflushed > 0 {
                    let flush = Payload::Flush {
                        key,
                        version: entry.version,
                    };
                    self.send(Node::Cache(n), Node::Database, flush, cx);
                }
            }
        }
        let interval = SimTime::from_secs_f64(self.params.flush_interval);
        cx.schedule(interval, Event(Happening::Flush));
    }

    // ----- the database -----------------------------------------------

    fn at_database(&mut self, from: Node, payload: Payload, cx: &mut Context<'_, Event>) {
        let (job, client_request) = match payload {
            Payload::Query(req) => (
                Job::Read {
                    req,
                    version: 0,
                    stale: false,
                },
                Some(req),
            ),
            Payload::Update(req) => (Job::Write(req), Some(req)),
            Payload::Through(req) => {
                let Node::Cache(node) = from else {
                    unreachable!("write-through comes from a cache node")
                };
                (Job::Through { req, node }, Some(req))
            }
            Payload::Flush { key, version } => (Job::Flush { key, version }, None),
            _ => unreachable!("the database is not sent {payload:?}"),
        };
        let room = self.db.busy < self.params.db_capacity
            || self.db.queue.len() < self.params.db_queue as usize;
        match client_request {
            // A full database turns client requests away; background
            // flushes always wait, or acknowledged writes would vanish.
            Some(req) if !room => {
                self.send(Node::Database, from, Payload::Busy(req), cx);
                return;
            }
            _ => {}
        }
        let counter = if matches!(job, Job::Read { .. }) {
            self.ids.db_reads
        } else {
            self.ids.db_writes
        };
        cx.count(counter, 1);
        if self.db.busy < self.params.db_capacity {
            self.start_job(job, cx);
        } else {
            self.db.queue.push_back(job);
        }
        self.db_gauges(cx);
    }

    fn start_job(&mut self, job: Job, cx: &mut Context<'_, Event>) {
        self.db.busy += 1;
        let job = match job {
            Job::Read { req, .. } => {
                // The read sees the database as it is when it starts.
                let key = self.request(req).key as usize;
                let version = self.db_version[key];
                Job::Read {
                    req,
                    version,
                    stale: version < self.latest[key],
                }
            }
            other => other,
        };
        let took = self.db_service.sample(cx.stream(DATABASE));
        cx.schedule(took, Event(Happening::DbDone(job)));
    }

    fn on_db_done(&mut self, job: Job, cx: &mut Context<'_, Event>) {
        self.db.busy -= 1;
        if let Some(next) = self.db.queue.pop_front() {
            self.start_job(next, cx);
        }
        self.db_gauges(cx);
        match job {
            Job::Read {
                req,
                version,
                stale,
            } => {
                let rows = Payload::Rows {
                    req,
                    version,
                    stale,
                };
                self.send(Node::Database, Node::Clients, rows, cx);
            }
            Job::Write(req) => {
                self.commit(self.request(req).key);
                self.send(Node::Database, Node::Clients, Payload::Committed(req), cx);
            }
            Job::Through { req, node } => {
                let version = self.commit(self.request(req).key);
                let written = Payload::Written { req, version };
                self.send(Node::Database, Node::Cache(node), written, cx);
            }
            Job::Flush { key, version } => {
                let k = key as usize;
                self.db_version[k] = self.db_version[k].max(version);
                self.latest[k] = self.latest[k].max(version);
            }
        }
    }

    /// A new version of `key` is committed: returns it.
    fn commit(&mut self, key: u32) -> u64 {
        let k = key as usize;
        let version = self.latest[k] + 1;
        self.latest[k] = version;
        self.db_version[k] = version;
        version
    }

    fn db_gauges(&self, cx: &mut Context<'_, Event>) {
        cx.set_gauge(self.ids.db_busy, f64::from(self.db.busy));
        cx.set_gauge(self.ids.db_queue, self.db.queue.len() as f64);
    }

    /// Fill every node with the most popular keys it owns, as a cache that
    /// has been running would be, all cached now (so, without jitter, all
    /// expiring together).
    fn warm(&mut self, cx: &mut Context<'_, Event>) {
        let mut room: u32 = self.nodes.iter().map(|n| n.store.capacity()).sum();
        // What a fill would have measured: a database round trip.
        let cost = SimTime::from_secs_f64(self.params.db_latency + 2.0 * self.params.network_delay);
        for key in 0..self.params.keys {
            if room == 0 {
                break;
            }
            let Some(n) = self.node_for(key) else { break };
            let store = &self.nodes[n as usize].store;
            if store.len() < store.capacity() {
                let entry = Entry {
                    key,
                    version: 0,
                    expires: self.expiry(cx),
                    cost,
                    unflushed: 0,
                };
                self.store(n, entry, cx);
                room -= 1;
            }
        }
    }

    // ----- faults -------------------------------------------------------

    fn on_fault(&mut self, n: u32, kind: FaultKind, cx: &mut Context<'_, Event>) {
        let Some(node) = self.nodes.get_mut(n as usize) else {
            return;
        };
        match kind {
            FaultKind::Down if node.up => {
                node.up = false;
                let lost: u64 = node
                    .store
                    .wipe()
                    .iter()
                    .map(|e| u64::from(e.unflushed))
                    .sum();
                node.dirty.clear();
                node.leases.clear();
                cx.set_gauge(node.items, 0.0);
                if lost > 0 {
                    cx.count(self.ids.lost_writes, lost);
                }
                self.rebuild_ring(cx);
            }
            FaultKind::Recover if !node.up => {
                // It comes back empty.
                node.up = true;
                self.rebuild_ring(cx);
            }
            // Cache nodes do not slow down (the parameters refuse it); a
            // person's click may still ask, and nothing happens.
            FaultKind::Down | FaultKind::Recover | FaultKind::Slow(_) => {}
        }
    }

    /// Clients drop a dead node from the ring, or add a recovered one, at
    /// once: keys it held (or now takes) move, and their first reads miss.
    fn rebuild_ring(&mut self, cx: &mut Context<'_, Event>) {
        let live: Vec<u32> = (0..self.nodes.len() as u32)
            .filter(|&n| self.nodes[n as usize].up)
            .collect();
        let keys = u64::from(self.params.keys);
        let new = if live.is_empty() {
            None
        } else {
            Some(match &self.ring {
                Some(ring) => ring.with_nodes(live.clone()),
                None => Placement::new(
                    self.params.placement.strategy(),
                    live.clone(),
                    keys,
                    self.params.virtual_nodes,
                ),
            })
        };
        let hot_keys = HOT_KEYS.min(self.params.keys);
        let (moved_keys, traffic_moved, hot_moved) = match (&self.ring, &new) {
            (Some(old), Some(new)) => {
                let zipf = self.workload.popularity();
                let (mut moved, mut traffic, mut hot) = (0, 0.0, 0);
                for k in 0..keys {
                    if old.node_of(k) != new.node_of(k) {
                        moved += 1;
                        traffic += zipf.probability(k);
                        hot += u32::from(k < u64::from(hot_keys));
                    }
                }
                (moved, traffic, hot)
            }
            _ => (keys, 1.0, hot_keys),
        };
        self.remaps.push(Remap {
            at: cx.now().as_secs_f64(),
            live_nodes: live.len() as u32,
            moved_keys,
            traffic_moved,
            hot_keys,
            hot_moved,
        });
        self.ring = new;
    }
}

impl Model for CacheCluster {
    type Event = Event;
    type Snapshot = Snapshot;

    fn start(&mut self, cx: &mut Context<'_, Event>) {
        if self.params.warm_start {
            self.warm(cx);
        }
        self.schedule_next_arrival(cx);
        if self.params.scan_rate > 0.0 {
            let at = SimTime::from_secs_f64(self.params.scan_from);
            cx.schedule_at(at, Event(Happening::Scan));
        }
        if self.params.write_strategy == WriteStrategy::WriteBehind && !self.nodes.is_empty() {
            let interval = SimTime::from_secs_f64(self.params.flush_interval);
            cx.schedule(interval, Event(Happening::Flush));
        }
        for f in &self.faults {
            cx.schedule_at(f.at, Event(Happening::Fault(f.node, f.kind)));
        }
    }

    fn handle(&mut self, Event(event): Event, cx: &mut Context<'_, Event>) {
        match event {
            Happening::Arrival => self.on_arrival(cx),
            Happening::Scan => self.on_scan(cx),
            Happening::Deliver(slot) => self.on_deliver(slot, cx),
            Happening::DbDone(job) => self.on_db_done(job, cx),
            Happening::Flush => self.on_flush(cx),
            Happening::Fault(n, kind) => self.on_fault(n, kind, cx),
        }
    }

    fn snapshot(&self, now: SimTime) -> Snapshot {
        let ratio = |hit: u64, of: u64| if of == 0 { 0.0 } else { hit as f64 / of as f64 };
        let nodes = self
            .nodes
            .iter()
            .map(|node| CacheNodeView {
                condition: if node.up {
                    Condition::Up
                } else {
                    Condition::Down
                },
                items: node.store.len(),
                capacity: node.store.capacity(),
                dirty: node.dirty.len() as u32,
                hit_ratio: ratio(node.hit, node.answered),
            })
            .collect();
        let messages = self
            .wire
            .iter()
            .flatten()
            .map(|p| Message {
                flight: InFlight {
                    from: p.from,
                    to: p.to,
                    sent_at: p.sent_at,
                    arrives_at: p.arrives_at,
                },
                kind: p.payload.kind(),
            })
            .collect();
        Snapshot {
            now,
            nodes,
            database: DatabaseView {
                busy: self.db.busy,
                workers: self.params.db_capacity,
                queued: self.db.queue.len() as u32,
                queue_capacity: self.params.db_queue,
            },
            messages,
            hit_ratio: ratio(self.hits_so_far, self.reads_so_far),
            stale_flashes: self
                .flashes
                .iter()
                .filter(|f| now.saturating_sub(f.at) < FLASH)
                .copied()
                .collect(),
        }
    }
}
