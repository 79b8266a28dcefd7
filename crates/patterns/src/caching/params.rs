//! The caching experiment's public parameters.

use super::eviction::Policy;
use crate::fault::{Fault, FaultKind};
use crate::keyspace::Strategy;
use crate::params::{
    Field, ParamError, ParamKind, ParamSpec, Scenario, fields, float, inconsistent, int, named,
    names, warmup_within,
};
use std::fmt;

/// What a write does to the database and the cache.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "json", serde(rename_all = "snake_case"))]
pub enum WriteStrategy {
    /// Cache-aside: write the database, then delete the key from the cache
    /// so the next read fetches the new value.
    DeleteOnWrite,
    /// The cache node writes the database and, once it has committed,
    /// stores the new value and answers.
    WriteThrough,
    /// The cache node stores the value and answers at once; dirty values
    /// reach the database in periodic flushes (write-back).
    WriteBehind,
    /// Write the database only: a cached copy stays stale until it expires.
    TtlOnly,
}

impl WriteStrategy {
    /// Every strategy, in the order shown to people.
    pub const ALL: [WriteStrategy; 4] = [
        WriteStrategy::DeleteOnWrite,
        WriteStrategy::WriteThrough,
        WriteStrategy::WriteBehind,
        WriteStrategy::TtlOnly,
    ];

    /// The name used in parameters.
    pub const fn name(self) -> &'static str {
        match self {
            WriteStrategy::DeleteOnWrite => "delete_on_write",
            WriteStrategy::WriteThrough => "write_through",
            WriteStrategy::WriteBehind => "write_behind",
            WriteStrategy::TtlOnly => "ttl_only",
        }
    }
}

impl fmt::Display for WriteStrategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What happens when many readers miss the same key at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "json", serde(rename_all = "snake_case"))]
pub enum Coalescing {
    /// Every miss reads the database.
    None,
    /// Request coalescing: the first miss of a key reads the database and
    /// the others wait for its answer.
    SingleFlight,
    /// Probabilistic early refresh (XFetch): a reader occasionally refreshes
    /// a value shortly before it expires, more likely the closer it is.
    EarlyRefresh,
}

impl Coalescing {
    /// Every mode, in the order shown to people.
    pub const ALL: [Coalescing; 3] = [
        Coalescing::None,
        Coalescing::SingleFlight,
        Coalescing::EarlyRefresh,
    ];

    /// The name used in parameters.
    pub const fn name(self) -> &'static str {
        match self {
            Coalescing::None => "none",
            Coalescing::SingleFlight => "single_flight",
            Coalescing::EarlyRefresh => "early_refresh",
        }
    }
}

impl fmt::Display for Coalescing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How keys are spread over the cache nodes: a [`Strategy`] of the shared
/// key space, by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "json", serde(rename_all = "snake_case"))]
pub enum Placement {
    /// A hash ring with virtual nodes.
    ConsistentHashing,
    /// `hash(key) mod n`.
    ModN,
    /// Highest random weight.
    Rendezvous,
    /// Jump consistent hash.
    Jump,
    /// Contiguous key ranges.
    Range,
    /// A lookup table, rebalanced by moving few keys.
    Directory,
}

impl Placement {
    /// Every placement, in the order shown to people.
    pub const ALL: [Placement; 6] = [
        Placement::ConsistentHashing,
        Placement::ModN,
        Placement::Rendezvous,
        Placement::Jump,
        Placement::Range,
        Placement::Directory,
    ];

    /// The key-space strategy it names.
    pub const fn strategy(self) -> Strategy {
        match self {
            Placement::ConsistentHashing => Strategy::ConsistentHashing,
            Placement::ModN => Strategy::ModN,
            Placement::Rendezvous => Strategy::Rendezvous,
            Placement::Jump => Strategy::Jump,
            Placement::Range => Strategy::Range,
            Placement::Directory => Strategy::Directory,
        }
    }

    /// The name used in parameters (the strategy's id).
    pub const fn name(self) -> &'static str {
        self.strategy().id()
    }
}

impl fmt::Display for Placement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Everything a caching experiment can change. Times are in seconds.
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    /// How a full cache node chooses what to evict.
    pub policy: Policy,
    /// Cache nodes (0: no cache, every request goes to the database).
    pub cache_nodes: u32,
    /// Items one cache node holds.
    pub capacity: u32,
    /// Distinct keys.
    pub keys: u32,
    /// Skew of key popularity (0: uniform).
    pub zipf_alpha: f64,
    /// Fraction of requests that read.
    pub read_ratio: f64,
    /// How long a cached value lives (0: until evicted).
    pub ttl: f64,
    /// Each TTL is drawn uniformly from `ttl × (1 ± ttl_jitter)`.
    pub ttl_jitter: f64,
    /// What writes do to the database and the cache.
    pub write_strategy: WriteStrategy,
    /// Seconds between a write-behind node's flushes to the database.
    pub flush_interval: f64,
    /// Requests per second from all clients together.
    pub request_rate: f64,
    /// Mean time the database takes to serve one query.
    pub db_latency: f64,
    /// Variability of that time: the coefficient of variation of a
    /// log-normal (0: every query takes exactly the mean).
    pub db_cv: f64,
    /// Queries the database serves at once.
    pub db_capacity: u32,
    /// Queries the database holds waiting; beyond, requests are rejected.
    pub db_queue: u32,
    /// One-way network delay between any two parties.
    pub network_delay: f64,
    /// Memcache-style leases: a miss gets a token, a delete revokes it, and
    /// a fill without the current token is refused.
    pub leases: bool,
    /// What many simultaneous misses of one key do.
    pub coalescing: Coalescing,
    /// XFetch's beta: above 1 refreshes earlier, below 1 later.
    pub early_refresh_beta: f64,
    /// How keys are spread over cache nodes.
    pub placement: Placement,
    /// Points per node on the consistent-hashing ring.
    pub virtual_nodes: u32,
    /// The key that becomes hot in a burst.
    pub hot_key: u32,
    /// Share of all requests that go to the hot key during its burst (0: none).
    pub hot_key_share: f64,
    /// When the burst starts.
    pub hot_key_from: f64,
    /// When it ends.
    pub hot_key_until: f64,
    /// Reads per second of a one-time scan over the cold keys (0: none).
    pub scan_rate: f64,
    /// When the scan starts.
    pub scan_from: f64,
    /// When it stops.
    pub scan_until: f64,
    /// Start with every node full of the most popular keys it owns.
    pub warm_start: bool,
    /// Scheduled faults, e.g. `20:down:2,40:recover:2`.
    pub faults: String,
    /// Simulated seconds to run.
    pub duration: f64,
    /// Simulated seconds excluded from statistics (the cache fills meanwhile).
    pub warmup: f64,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            policy: Policy::Lru,
            cache_nodes: 3,
            capacity: 1_000,
            keys: 10_000,
            zipf_alpha: 0.9,
            read_ratio: 0.9,
            ttl: 30.0,
            ttl_jitter: 0.1,
            write_strategy: WriteStrategy::DeleteOnWrite,
            flush_interval: 1.0,
            request_rate: 1_000.0,
            db_latency: 0.005,
            db_cv: 0.5,
            db_capacity: 8,
            db_queue: 1_000,
            network_delay: 0.0005,
            leases: false,
            coalescing: Coalescing::None,
            early_refresh_beta: 1.0,
            placement: Placement::ConsistentHashing,
            virtual_nodes: 100,
            hot_key: 0,
            hot_key_share: 0.0,
            hot_key_from: 0.0,
            hot_key_until: 0.0,
            scan_rate: 0.0,
            scan_from: 0.0,
            scan_until: 0.0,
            warm_start: false,
            faults: String::new(),
            duration: 60.0,
            warmup: 10.0,
        }
    }
}

const POLICIES: [&str; Policy::ALL.len()] = names!(Policy::ALL, name);
const WRITES: [&str; WriteStrategy::ALL.len()] = names!(WriteStrategy::ALL, name);
const COALESCING: [&str; Coalescing::ALL.len()] = names!(Coalescing::ALL, name);
const PLACEMENTS: [&str; Placement::ALL.len()] = names!(Placement::ALL, name);

/// Most keys a run may have.
const MAX_KEYS: i64 = 1_000_000;

/// What cache nodes are called in messages.
pub(super) const NOUN: &str = "cache node";

named!(Policy => name, WriteStrategy => name, Coalescing => name, Placement => name);

impl Scenario for Params {
    #[rustfmt::skip]
    const SPECS: &'static [ParamSpec] = &[
        ParamSpec { key: "policy", label: "Eviction policy", unit: "", kind: ParamKind::Choice(&POLICIES), help: "What a full cache node evicts to make room: least recently used, least frequently used, oldest, random, or S3-FIFO." },
        ParamSpec { key: "cache_nodes", label: "Cache nodes", unit: "nodes", kind: int(0, 32), help: "Nodes in the cache cluster; 0 means no cache at all." },
        ParamSpec { key: "capacity", label: "Capacity per node", unit: "items", kind: int(1, 1_000_000), help: "Items one cache node can hold." },
        ParamSpec { key: "keys", label: "Keys", unit: "", kind: int(1, MAX_KEYS), help: "Distinct keys clients read and write." },
        ParamSpec { key: "zipf_alpha", label: "Popularity skew", unit: "Zipf α", kind: float(0.0, 2.0), help: "How much more popular the top keys are: 0 is uniform, 1 is classic Zipf." },
        ParamSpec { key: "read_ratio", label: "Read ratio", unit: "", kind: float(0.0, 1.0), help: "Fraction of requests that read; the rest write." },
        ParamSpec { key: "ttl", label: "TTL", unit: "s", kind: float(0.0, 3_600.0), help: "How long a cached value lives; 0 means until it is evicted." },
        ParamSpec { key: "ttl_jitter", label: "TTL jitter", unit: "±", kind: float(0.0, 1.0), help: "Each TTL is drawn from TTL × (1 ± this), so values cached together expire apart." },
        ParamSpec { key: "write_strategy", label: "Write strategy", unit: "", kind: ParamKind::Choice(&WRITES), help: "What a write does: update the database then delete the cached key, write through the cache, write behind it, or leave the cache to expire." },
        ParamSpec { key: "flush_interval", label: "Write-behind flush", unit: "s", kind: float(0.01, 60.0), help: "Seconds between a write-behind node's flushes of dirty values to the database." },
        ParamSpec { key: "request_rate", label: "Request rate", unit: "req/s", kind: float(1.0, 50_000.0), help: "Requests per second from all clients together." },
        ParamSpec { key: "db_latency", label: "Database latency", unit: "s", kind: float(0.0001, 5.0), help: "Mean time the database takes to serve one query." },
        ParamSpec { key: "db_cv", label: "Database variability", unit: "cv", kind: float(0.0, 4.0), help: "How much query times vary around the mean (log-normal coefficient of variation); 0 makes every query take exactly the mean." },
        ParamSpec { key: "db_capacity", label: "Database concurrency", unit: "queries", kind: int(1, 1_000), help: "Queries the database serves at once; more wait in its queue." },
        ParamSpec { key: "db_queue", label: "Database queue", unit: "queries", kind: int(0, 100_000), help: "Queries the database holds waiting; when full, requests are rejected." },
        ParamSpec { key: "network_delay", label: "Network delay", unit: "s one-way", kind: float(0.0, 1.0), help: "One-way delay between clients, cache nodes and the database." },
        ParamSpec { key: "leases", label: "Leases", unit: "", kind: ParamKind::Bool, help: "A miss gets a lease token, a delete revokes it, and a fill without the current token is refused: closes the cache-aside race." },
        ParamSpec { key: "coalescing", label: "Stampede protection", unit: "", kind: ParamKind::Choice(&COALESCING), help: "What many simultaneous misses of one key do: all read the database, wait for the first (single flight), or refresh early at random (XFetch)." },
        ParamSpec { key: "early_refresh_beta", label: "Early-refresh β", unit: "", kind: float(0.1, 10.0), help: "XFetch's eagerness: above 1 refreshes earlier, below 1 later." },
        ParamSpec { key: "placement", label: "Key placement", unit: "", kind: ParamKind::Choice(&PLACEMENTS), help: "How keys map to cache nodes; compare consistent hashing with mod-N when a node dies." },
        ParamSpec { key: "virtual_nodes", label: "Virtual nodes", unit: "per node", kind: int(1, 1_000), help: "Points per node on the consistent-hashing ring: more spread keys more evenly." },
        ParamSpec { key: "hot_key", label: "Hot key", unit: "key", kind: int(0, MAX_KEYS - 1), help: "The key that suddenly becomes hot (0 is the most popular key)." },
        ParamSpec { key: "hot_key_share", label: "Hot-key share", unit: "", kind: float(0.0, 1.0), help: "Share of all requests that go to the hot key during its burst; 0 means no burst." },
        ParamSpec { key: "hot_key_from", label: "Hot key from", unit: "s", kind: float(0.0, 3_600.0), help: "When the hot-key burst starts." },
        ParamSpec { key: "hot_key_until", label: "Hot key until", unit: "s", kind: float(0.0, 3_600.0), help: "When the hot-key burst ends." },
        ParamSpec { key: "scan_rate", label: "Scan rate", unit: "reads/s", kind: float(0.0, 50_000.0), help: "Reads per second of a batch job scanning cold keys once each; 0 means no scan." },
        ParamSpec { key: "scan_from", label: "Scan from", unit: "s", kind: float(0.0, 3_600.0), help: "When the scan starts." },
        ParamSpec { key: "scan_until", label: "Scan until", unit: "s", kind: float(0.0, 3_600.0), help: "When the scan stops." },
        ParamSpec { key: "warm_start", label: "Warm start", unit: "", kind: ParamKind::Bool, help: "Start with every node full of the most popular keys it owns, like a cache that has been running; otherwise it starts empty." },
        ParamSpec { key: "faults", label: "Fault schedule", unit: "", kind: ParamKind::Text { syntax: Fault::SYNTAX, in_words: faults_in_words }, help: "Cache nodes that go down or recover at given times (a node comes back empty)." },
        ParamSpec { key: "duration", label: "Duration", unit: "s", kind: float(1.0, 3_600.0), help: "Simulated seconds to run." },
        ParamSpec { key: "warmup", label: "Warm-up", unit: "s", kind: float(0.0, 3_000.0), help: "Simulated seconds left out of the statistics while the cache fills." },
    ];

    fn fields(&mut self, visit: &mut dyn FnMut(&'static str, &mut dyn Field)) {
        fields!(self, visit: policy, cache_nodes, capacity, keys, zipf_alpha, read_ratio, ttl, ttl_jitter, write_strategy, flush_interval, request_rate, db_latency, db_cv, db_capacity, db_queue, network_delay, leases, coalescing, early_refresh_beta, placement, virtual_nodes, hot_key, hot_key_share, hot_key_from, hot_key_until, scan_rate, scan_from, scan_until, warm_start, faults, duration, warmup);
    }

    fn check(&self) -> Result<(), ParamError> {
        warmup_within(self.warmup, self.duration)?;
        if self.hot_key >= self.keys {
            return Err(inconsistent(
                "hot_key",
                self.hot_key,
                format!(
                    "the hot key must be one of the keys, 0 to {}",
                    self.keys - 1
                ),
            ));
        }
        if self.hot_key_share > 0.0 && self.hot_key_until <= self.hot_key_from {
            return Err(inconsistent(
                "hot_key_until",
                self.hot_key_until,
                format!(
                    "the hot-key burst must end after it starts ({} s)",
                    self.hot_key_from
                ),
            ));
        }
        if self.scan_rate > 0.0 && self.scan_until <= self.scan_from {
            return Err(inconsistent(
                "scan_until",
                self.scan_until,
                format!("the scan must end after it starts ({} s)", self.scan_from),
            ));
        }
        if self.cache_nodes == 0 && !self.faults.trim().is_empty() {
            return Err(inconsistent(
                "faults",
                &self.faults,
                "there are no cache nodes to fail: cache_nodes is 0",
            ));
        }
        let faults = Fault::parse_all(&self.faults, NOUN, self.cache_nodes, self.duration)?;
        if let Some(slow) = faults.iter().find(|f| matches!(f.kind, FaultKind::Slow(_))) {
            return Err(inconsistent(
                "faults",
                slow,
                "cache nodes go down and recover but do not slow down: use down and recover",
            ));
        }
        Ok(())
    }
}

impl Params {
    /// The scheduled faults, parsed (valid once [`Scenario::check`] passed).
    pub fn fault_schedule(&self) -> Vec<Fault> {
        Fault::parse_all(&self.faults, NOUN, self.cache_nodes, self.duration).unwrap_or_default()
    }
}

/// The fault schedule in words, for the form.
fn faults_in_words(text: &str) -> Option<String> {
    crate::fault::in_words(text, "cache node")
}
