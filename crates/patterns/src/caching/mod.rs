//! # Caching (distributed caching)
//!
//! Clients read and write keys that live in a database; a cluster of cache
//! nodes in front of it keeps copies of the popular ones. The model
//! demonstrates each claim and consideration of the mind-map's *Caching*
//! branch:
//!
//! - **performance**: hits are answered from memory, so the database serves
//!   only the misses and the writes (database load, hit ratio);
//! - **reduced latency**: a hit costs one round trip to a cache node, a miss
//!   a round trip to the cache *and* one to a database that queues under
//!   load (latency percentiles, hit versus miss);
//! - **invalidation**: every key has a version, so a read that returns an
//!   older value than the newest written is counted as *stale*. Writes
//!   delete the cached key (cache-aside), write through the cache, write
//!   behind it (fast, but acknowledged writes die with their node), or leave
//!   the cached copy to expire (TTL only). The classic race — a reader
//!   misses, reads the database, a writer updates it and deletes the key,
//!   then the reader fills the cache with what it read — happens by itself
//!   and leaves stale values behind;
//! - **what to cache and for how long**: eviction policies (LRU, LFU, FIFO,
//!   random and the scan-resistant S3-FIFO), TTLs with jitter, and the
//!   stampede when a hot key expires, with request coalescing (single
//!   flight) or probabilistic early refresh (XFetch) against it;
//! - **distributed caches** for scale and fault tolerance: keys are spread
//!   over nodes by consistent hashing (or mod N, to compare); a node that
//!   dies takes its keys' cached values with it, and the database sees the
//!   miss storm — about one key in N with consistent hashing, nearly all
//!   with mod N.
//!
//! Keys follow a Zipf popularity from [`crate::keyspace`], with an optional
//! hot-key burst and a one-time scan of cold keys. Arrivals, keys and the
//! read/write mix come from their own random stream, so runs that differ in
//! policy, strategy or placement see identical traffic.

mod eviction;
mod hit_ratio;
mod model;
mod params;
mod presets;
mod report;
mod store;

pub use eviction::Policy;
pub use model::{
    CacheCluster, CacheNodeView, DatabaseView, Event, Message, MessageKind, Node, Remap, Snapshot,
    StaleFlash,
};
pub use params::{Coalescing, Params, Placement, WriteStrategy};
pub use presets::PRESETS;
pub use report::{Latencies, NodeReport, Report, Series};

use crate::catalog::Variants;
use crate::dashboard::{Dashboard, Moment};
use crate::live::{self, Runnable};
use crate::params::ParamError;
use crate::pattern::{About, FaultTarget, Pattern};
use archsim_core::{Metrics, SimTime, Simulation};

/// The pattern, as the catalog, the CLI and its page of the site know it.
pub static PATTERN: Pattern = Pattern::of::<CacheCluster>(About {
    id: "caching",
    title: "Distributed Caching",
    mindmap_branch: "Caching (Distributed Caching)",
    presets: PRESETS,
    fault_target: Some(FaultTarget {
        noun: "cache node",
        slow: false,
    }),
    headline: &[
        ("arrived", "/arrived"),
        ("completed", "/completed"),
        ("rejected", "/rejected"),
        ("failed", "/failed"),
        ("hit_ratio", "/hit_ratio"),
        ("stale_fraction", "/stale_fraction"),
        ("db_load/s", "/db_load"),
        ("db_peak/s", "/db_peak_load"),
        ("mean_s", "/latency/mean"),
        ("p50_s", "/latency/p50"),
        ("p99_s", "/latency/p99"),
        ("evictions", "/evictions"),
        ("lost_writes", "/lost_writes"),
    ],
    default_variants: Variants {
        key: "policy",
        values: &["lru", "lfu", "s3_fifo"],
    },
    timing: "Latencies count completed reads and writes, from the request to its answer (a write-behind write is answered when the cache has it); rejected and failed requests are counted, not timed.",
});

/// A simulation of checked `params`, started and ready to step: what the
/// playground animates.
pub fn simulation(params: &Params, seed: u64) -> Result<Simulation<CacheCluster>, ParamError> {
    live::simulation(params, seed)
}

/// Run `params` with `seed` to the end and report. `progress` is told the
/// fraction done from time to time.
pub fn run(
    params: &Params,
    seed: u64,
    progress: &mut dyn FnMut(f64),
) -> Result<Report, ParamError> {
    live::run_to_end::<CacheCluster>(params, seed, progress)
}

/// Caching as the type-erased run drives it.
impl Runnable for CacheCluster {
    type Params = Params;
    type Report = Report;
    fn new(params: &Params, _seed: u64, metrics: &mut Metrics) -> Self {
        CacheCluster::new(params, metrics)
    }
    fn span(params: &Params) -> (f64, f64) {
        (params.warmup, params.duration)
    }
    fn params(&self) -> &Params {
        CacheCluster::params(self)
    }
    fn report(sim: &Simulation<CacheCluster>) -> Report {
        Report::of(sim)
    }
    fn dashboard(report: &Report, params: &Params) -> Dashboard {
        report.dashboard(params)
    }
    fn moments(&self, now: SimTime) -> Vec<Moment> {
        CacheCluster::moments(self, now)
    }
    fn requests(sim: &Simulation<CacheCluster>) -> u64 {
        sim.metrics().total(sim.model().ids.arrived)
    }
    fn theory(params: &Params, stat: &str) -> Option<crate::theory::Prediction> {
        hit_ratio::predict(params, stat)
    }
}
