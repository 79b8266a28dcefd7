//! The sharding experiment's public parameters.

use crate::fault::Fault;
use crate::keyspace::Strategy;
use crate::params::{
    Field, ParamError, ParamKind, ParamSpec, Scenario, fields, float, inconsistent, int, named,
    names, warmup_within,
};
use std::fmt;

/// Which column of the table decides a row's shard.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "json", serde(rename_all = "snake_case"))]
pub enum ShardKey {
    /// The user's id, handed out in sign-up order (auto-increment): many
    /// distinct values, each user a small share of the traffic.
    UserId,
    /// The tenant (customer organisation) the user belongs to: a few big
    /// tenants hold a large share of the users.
    Tenant,
    /// The user's country: few values, and one or two big countries.
    Country,
    /// The day the row was created: recent rows are the hot ones.
    CreatedAt,
}

impl ShardKey {
    /// Every candidate key, in the order menus show them.
    pub const ALL: [ShardKey; 4] = [
        ShardKey::UserId,
        ShardKey::Tenant,
        ShardKey::Country,
        ShardKey::CreatedAt,
    ];

    /// The name used in parameters.
    pub const fn name(self) -> &'static str {
        match self {
            ShardKey::UserId => "user_id",
            ShardKey::Tenant => "tenant",
            ShardKey::Country => "country",
            ShardKey::CreatedAt => "created_at",
        }
    }
}

impl fmt::Display for ShardKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Where a read goes while its row may be on its way to a new shard.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "json", serde(rename_all = "snake_case"))]
pub enum MigrationReads {
    /// The old shard serves a row until its copy on the new shard is
    /// committed: one request per read, always a hit.
    OldShard,
    /// Reads go to the row's new shard at once; a row not copied there yet
    /// is a miss, and the read tries the old shard next: two requests.
    DoubleRead,
}

impl MigrationReads {
    /// Every policy.
    pub const ALL: [MigrationReads; 2] = [MigrationReads::OldShard, MigrationReads::DoubleRead];

    /// The name used in parameters.
    pub const fn name(self) -> &'static str {
        match self {
            MigrationReads::OldShard => "old_shard",
            MigrationReads::DoubleRead => "double_read",
        }
    }
}

impl fmt::Display for MigrationReads {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Everything a sharding experiment can change. Times are in seconds.
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    /// How key values are mapped to shards.
    pub strategy: Strategy,
    /// Database servers the table is split over.
    pub shards: u32,
    /// Ring points per shard (consistent hashing only).
    pub virtual_nodes: u32,
    /// The column that decides a row's shard.
    pub shard_key: ShardKey,
    /// Rows in the table: one per user.
    pub keys: u32,
    /// Tenants the users belong to (sizes Zipf-distributed).
    pub tenants: u32,
    /// Countries the users live in (sizes Zipf-distributed).
    pub countries: u32,
    /// Skew of row popularity: 0 is uniform, 1 is classic Zipf.
    pub zipf_alpha: f64,
    /// Share of queries that cannot be routed by the shard key and are
    /// sent to every shard (scatter-gather).
    pub query_mix: f64,
    /// Queries per second from all clients together.
    pub request_rate: f64,
    /// Shard requests per second one worker serves.
    pub service_rate: f64,
    /// Requests one shard serves at the same time.
    pub workers: u32,
    /// Requests a shard holds waiting beyond its workers; more are rejected.
    pub queue_capacity: u32,
    /// One-way network delay between the router and a shard (and between
    /// shards).
    pub network_delay: f64,
    /// Standby replicas per shard, promoted when the primary fails.
    pub replicas: u32,
    /// Seconds from a primary's failure to its replica's promotion:
    /// detection plus promotion.
    pub failover_delay: f64,
    /// When resharding starts.
    pub reshard_at: f64,
    /// Shards after resharding (0: no resharding).
    pub reshard_to: u32,
    /// Rows per second the migration copies at most.
    pub migration_rate: f64,
    /// Where reads go while rows move.
    pub migration_reads: MigrationReads,
    /// Scheduled faults, e.g. `20:down:2,40:recover:2`.
    pub faults: String,
    /// Simulated seconds to run.
    pub duration: f64,
    /// Simulated seconds excluded from statistics.
    pub warmup: f64,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            strategy: Strategy::ModN,
            shards: 4,
            virtual_nodes: 100,
            shard_key: ShardKey::UserId,
            keys: 10_000,
            tenants: 100,
            countries: 20,
            zipf_alpha: 0.8,
            query_mix: 0.1,
            request_rate: 400.0,
            service_rate: 100.0,
            workers: 2,
            queue_capacity: 100,
            network_delay: 0.001,
            replicas: 1,
            failover_delay: 5.0,
            reshard_at: 20.0,
            reshard_to: 0,
            migration_rate: 1_000.0,
            migration_reads: MigrationReads::OldShard,
            faults: String::new(),
            duration: 60.0,
            warmup: 5.0,
        }
    }
}

const STRATEGIES: [&str; Strategy::ALL.len()] = names!(Strategy::ALL, id);
const SHARD_KEYS: [&str; ShardKey::ALL.len()] = names!(ShardKey::ALL, name);
const READS: [&str; MigrationReads::ALL.len()] = names!(MigrationReads::ALL, name);

named!(Strategy => id, ShardKey => name, MigrationReads => name);

impl Scenario for Params {
    #[rustfmt::skip]
    const SPECS: &'static [ParamSpec] = &[
        ParamSpec { key: "strategy", label: "Strategy", unit: "", kind: ParamKind::Choice(&STRATEGIES), help: "How key values are mapped to shards: hash mod N, key ranges, a hash ring, jump hash, rendezvous hashing or a lookup directory." },
        ParamSpec { key: "shards", label: "Shards", unit: "servers", kind: int(1, 64), help: "Database servers the table is split over." },
        ParamSpec { key: "virtual_nodes", label: "Virtual nodes", unit: "per shard", kind: int(1, 1_000), help: "Points each shard has on the consistent-hashing ring; more points, more even shares." },
        ParamSpec { key: "shard_key", label: "Shard key", unit: "", kind: ParamKind::Choice(&SHARD_KEYS), help: "The column whose value decides a row's shard." },
        ParamSpec { key: "keys", label: "Rows", unit: "users", kind: int(100, 100_000), help: "Rows in the table, one per user; popularity is Zipf over users." },
        ParamSpec { key: "tenants", label: "Tenants", unit: "", kind: int(1, 10_000), help: "Customer organisations; a few big ones hold most users." },
        ParamSpec { key: "countries", label: "Countries", unit: "", kind: int(1, 250), help: "Countries users live in; a few big ones hold most users." },
        ParamSpec { key: "zipf_alpha", label: "Popularity skew", unit: "Zipf α", kind: float(0.0, 2.0), help: "How much more popular the hottest rows are: 0 is uniform, 1 is classic Zipf." },
        ParamSpec { key: "query_mix", label: "Cross-shard share", unit: "of queries", kind: float(0.0, 1.0), help: "Share of queries that do not name the shard key and must ask every shard (scatter-gather)." },
        ParamSpec { key: "request_rate", label: "Query rate", unit: "queries/s", kind: float(0.1, 20_000.0), help: "Queries per second from all clients together." },
        ParamSpec { key: "service_rate", label: "Service rate", unit: "req/s per worker", kind: float(0.1, 10_000.0), help: "Shard requests per second one worker completes; service times are exponential." },
        ParamSpec { key: "workers", label: "Workers per shard", unit: "", kind: int(1, 64), help: "Requests one shard serves at the same time." },
        ParamSpec { key: "queue_capacity", label: "Queue capacity", unit: "requests", kind: int(0, 10_000), help: "Requests a shard holds waiting; when full, new ones are rejected." },
        ParamSpec { key: "network_delay", label: "Network delay", unit: "s one-way", kind: float(0.0, 1.0), help: "One-way delay between the router and a shard, and between shards." },
        ParamSpec { key: "replicas", label: "Replicas", unit: "per shard", kind: int(0, 3), help: "Standby copies of each shard; one is promoted when the primary fails." },
        ParamSpec { key: "failover_delay", label: "Failover delay", unit: "s", kind: float(0.0, 600.0), help: "Seconds from a primary's failure to its replica's promotion: detection plus promotion." },
        ParamSpec { key: "reshard_at", label: "Reshard at", unit: "s", kind: float(0.0, 3_600.0), help: "When resharding starts (if reshard_to is set)." },
        ParamSpec { key: "reshard_to", label: "Reshard to", unit: "shards", kind: int(0, 64), help: "Shards after resharding; 0 means no resharding." },
        ParamSpec { key: "migration_rate", label: "Migration rate", unit: "rows/s", kind: float(1.0, 1_000_000.0), help: "Rows per second the migration copies at most, competing with queries for the shards." },
        ParamSpec { key: "migration_reads", label: "Reads while moving", unit: "", kind: ParamKind::Choice(&READS), help: "old_shard: read the old shard until a row is copied; double_read: read the new shard first and fall back to the old one on a miss." },
        ParamSpec { key: "faults", label: "Fault schedule", unit: "", kind: ParamKind::Text { syntax: Fault::SYNTAX, in_words: faults_in_words }, help: "Shards whose primary goes down, slows down or recovers at given times." },
        ParamSpec { key: "duration", label: "Duration", unit: "s", kind: float(1.0, 3_600.0), help: "Simulated seconds to run." },
        ParamSpec { key: "warmup", label: "Warm-up", unit: "s", kind: float(0.0, 3_000.0), help: "Simulated seconds left out of the statistics." },
    ];

    fn fields(&mut self, visit: &mut dyn FnMut(&'static str, &mut dyn Field)) {
        fields!(self, visit: strategy, shards, virtual_nodes, shard_key, keys, tenants, countries, zipf_alpha, query_mix, request_rate, service_rate, workers, queue_capacity, network_delay, replicas, failover_delay, reshard_at, reshard_to, migration_rate, migration_reads, faults, duration, warmup);
    }

    fn check(&self) -> Result<(), ParamError> {
        warmup_within(self.warmup, self.duration)?;
        if self.reshard_to > 0 {
            if self.reshard_to == self.shards {
                return Err(inconsistent(
                    "reshard_to",
                    self.reshard_to,
                    format!(
                        "resharding must change the number of shards ({}); use 0 for no resharding",
                        self.shards
                    ),
                ));
            }
            if self.reshard_at >= self.duration {
                return Err(inconsistent(
                    "reshard_at",
                    self.reshard_at,
                    format!(
                        "resharding must start before the run ends ({} s)",
                        self.duration
                    ),
                ));
            }
        }
        Fault::parse_all(&self.faults, "shard", self.max_shards(), self.duration)?;
        Ok(())
    }
}

impl Params {
    /// Shards that exist at some point of the run: before and after
    /// resharding.
    pub fn max_shards(&self) -> u32 {
        self.shards.max(self.reshard_to)
    }

    /// The scheduled faults, parsed (valid once [`Scenario::check`] passed).
    pub fn fault_schedule(&self) -> Vec<Fault> {
        Fault::parse_all(&self.faults, "shard", self.max_shards(), self.duration)
            .unwrap_or_default()
    }
}

/// The fault schedule in words, for the form.
fn faults_in_words(text: &str) -> Option<String> {
    crate::fault::in_words(text, "shard")
}
