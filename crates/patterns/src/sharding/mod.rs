//! # Database sharding (partitioning)
//!
//! One table is split over several database servers — *shards* — and a
//! router sends each query to the shard that holds its row. The model
//! demonstrates each point of the mind-map's *Database Sharding /
//! Partitioning* branch:
//!
//! - it **distributes data across multiple database servers**: each shard
//!   holds a share of the rows and serves a share of the queries, so the
//!   cluster carries traffic no single server could (rows and load per
//!   shard, one server versus several);
//! - **queries can be directed to specific shards**: a lookup that names
//!   the shard key costs one shard request, wherever the data lives;
//! - **choosing the sharding key is critical**: the same workload sharded
//!   by user id is spread evenly, by tenant, country or creation date it
//!   piles onto a hot shard (imbalance, the hot shard's p99);
//! - **cross-shard queries are complex and less performant**: a query that
//!   does not name the key asks every shard and waits for the slowest, so
//!   its latency is the maximum of several and its work grows with the
//!   number of shards;
//! - **operations are harder**: adding a shard moves rows — almost all of
//!   them under hash mod N, about `1/(n+1)` under consistent schemes — and
//!   the copy competes with queries; a failed shard makes its rows
//!   unavailable until a replica is promoted, or until it recovers.
//!
//! ## The pieces
//!
//! - The **table** ([`Dataset`]) has one row per user with four candidate
//!   shard keys: user id, tenant, country and creation day, each skewed as
//!   real data is. Row popularity is Zipf over users, and recent rows are the
//!   hot ones.
//! - The **placement** of key values on shards is
//!   [`crate::keyspace::Placement`] under any of its six strategies.
//! - **Shards** are database servers with a few workers, exponential
//!   service times and a bounded queue, so load turns into latency and, past
//!   capacity, into rejections. Each may have standby replicas.
//! - A **resharding** ([`Params::reshard_to`]) copies the rows that change
//!   shard in batches at a limited rate; the batches queue for the same
//!   workers as the queries. Reads meanwhile go to the old shard, or try the
//!   new one first ([`MigrationReads`]).
//! - **Faults** use the shared schedule syntax ([`crate::fault`]): a
//!   shard's primary goes down, slows or recovers.
//!
//! Arrival times, query kinds and rows come from their own random stream,
//! and the table from another, so runs that differ only in strategy, key or
//! shard count see the same queries on the same data.
//!
//! ```
//! use archsim_patterns::sharding::{self, Params, ShardKey};
//!
//! let params = Params { shard_key: ShardKey::Tenant, duration: 10.0, warmup: 2.0, ..Params::default() };
//! let tenant = sharding::run(&params, 1, &mut |_| {}).unwrap();
//! let by_user = sharding::run(&Params { shard_key: ShardKey::UserId, ..params }, 1, &mut |_| {}).unwrap();
//! // The same queries; sharding by tenant leaves one shard far busier.
//! assert_eq!(tenant.arrived, by_user.arrived);
//! assert!(tenant.load_imbalance > by_user.load_imbalance);
//! ```

mod dataset;
mod migration;
mod model;
mod params;
mod presets;
mod report;
mod slots;

pub use dataset::{DAYS, Dataset, GROUP_SKEW};
pub use model::{Event, Membership, MigrationView, Node, ShardView, ShardedDatabase, Snapshot};
pub use params::{MigrationReads, Params, ShardKey};
pub use presets::PRESETS;
pub use report::{Latency, MigrationReport, Report, Series, ShardReport};

use crate::catalog::Variants;
use crate::dashboard::{Dashboard, Moment};
use crate::live::{self, Runnable};
use crate::params::ParamError;
use crate::pattern::{About, FaultTarget, Pattern};
use archsim_core::{Metrics, SimTime, Simulation};

/// The pattern, as the catalog, the CLI and its page of the site know it.
pub static PATTERN: Pattern = Pattern::of::<ShardedDatabase>(About {
    id: "sharding",
    title: "Database Sharding",
    mindmap_branch: "Database Sharding / Partitioning",
    presets: PRESETS,
    fault_target: Some(FaultTarget {
        noun: "shard",
        slow: true,
    }),
    headline: &[
        ("arrived", "/arrived"),
        ("completed", "/completed"),
        ("rejected", "/rejected"),
        ("failed", "/failed"),
        ("throughput/s", "/throughput"),
        ("single_p50_s", "/latency/single_shard/p50"),
        ("single_p99_s", "/latency/single_shard/p99"),
        ("scatter_p50_s", "/latency/scatter_gather/p50"),
        ("scatter_p99_s", "/latency/scatter_gather/p99"),
        ("hot_shard_p99_s", "/latency/hot_shard_p99"),
        ("imbalance", "/load_imbalance"),
        ("requests/query", "/requests_per_query"),
        ("moved", "/moved_fraction"),
        ("unavailable", "/peak_unavailable"),
    ],
    default_variants: Variants {
        key: "strategy",
        values: &["mod_n", "range", "consistent_hashing"],
    },
    timing: "Latencies count completed queries, from arrival at the router to the last shard's answer; rejected and failed queries are counted, not timed.",
});

/// A simulation of checked `params`, started and ready to step: what the
/// playground animates.
pub fn simulation(params: &Params, seed: u64) -> Result<Simulation<ShardedDatabase>, ParamError> {
    live::simulation(params, seed)
}

/// Run `params` with `seed` to the end and report. `progress` is told the
/// fraction done from time to time.
pub fn run(
    params: &Params,
    seed: u64,
    progress: &mut dyn FnMut(f64),
) -> Result<Report, ParamError> {
    live::run_to_end::<ShardedDatabase>(params, seed, progress)
}

/// Sharding as the type-erased run drives it.
impl Runnable for ShardedDatabase {
    type Params = Params;
    type Report = Report;
    fn new(params: &Params, seed: u64, metrics: &mut Metrics) -> Self {
        ShardedDatabase::new(params, seed, metrics)
    }
    fn span(params: &Params) -> (f64, f64) {
        (params.warmup, params.duration)
    }
    fn params(&self) -> &Params {
        ShardedDatabase::params(self)
    }
    fn report(sim: &Simulation<ShardedDatabase>) -> Report {
        Report::of(sim)
    }
    fn dashboard(report: &Report, params: &Params) -> Dashboard {
        report.dashboard(params)
    }
    fn moments(&self, now: SimTime) -> Vec<Moment> {
        ShardedDatabase::moments(self, now)
    }
    fn requests(sim: &Simulation<ShardedDatabase>) -> u64 {
        sim.metrics().total(sim.model().ids.arrived)
    }
}
