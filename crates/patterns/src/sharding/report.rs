//! What a sharding run measured, at the end or at any moment during it.

use super::model::ShardedDatabase;
use super::params::Params;
use crate::dashboard::{Dashboard, Panel, Stat, Trace};
use crate::report::LatencySummary;
use archsim_core::Simulation;

/// One shard's rows and share of the work.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct ShardReport {
    /// Shard number, from 1.
    pub shard: u32,
    /// Part of the placement in force now (during a resharding, the old
    /// one: rows are served from where they were until they have moved).
    pub member: bool,
    /// Rows it holds now.
    pub rows: u64,
    /// Shard requests the router sent here, measured window.
    pub routed: u64,
    /// Shard requests it served, measured window.
    pub served: u64,
    /// Its share of all shard requests routed, 0 to 1.
    pub load_share: f64,
    /// Mean share of workers busy, 0 to 1 (migration copies included).
    pub utilisation: f64,
    /// Mean requests waiting.
    pub mean_queue: f64,
    /// Most requests waiting at once.
    pub peak_queue: u32,
    /// Time from sending it a request to its answer, as the router sees
    /// it, measured window.
    pub latency: LatencySummary,
    /// Seconds its primary was down with no one serving, measured window.
    pub downtime: f64,
}

/// The resharding, if the run has one.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct MigrationReport {
    /// When it started, seconds.
    pub started: f64,
    /// When the last row moved, seconds (none: still moving).
    pub finished: Option<f64>,
    /// How long it took, or has taken so far, seconds.
    pub duration: f64,
    /// Rows that have to move.
    pub moved_rows: u64,
    /// Rows moved so far.
    pub copied_rows: u64,
    /// Fraction of the rows to move that have moved, 0 to 1.
    pub progress: f64,
    /// Latency of the queries completed while rows were moving (measured
    /// window).
    pub latency: LatencySummary,
    /// Shard requests per query arriving while rows were moving.
    pub requests_per_query: f64,
}

/// Time series for the live charts: one point per bucket of simulated time,
/// warm-up included.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct Series {
    /// Width of a bucket, in seconds.
    pub bucket: f64,
    /// Start of each bucket, in seconds.
    pub time: Vec<f64>,
    /// Queries arriving per second.
    pub arrivals: Vec<f64>,
    /// Queries completed per second.
    pub throughput: Vec<f64>,
    /// Queries rejected or failed per second.
    pub errors: Vec<f64>,
    /// Queries failed (a shard down) per second.
    pub failures: Vec<f64>,
    /// Shard requests sent per second.
    pub shard_requests: Vec<f64>,
    /// 99th-percentile latency of all queries completed in the bucket.
    pub p99: Vec<Option<f64>>,
    /// Median latency of single-shard queries.
    pub single_p50: Vec<Option<f64>>,
    /// 99th-percentile latency of single-shard queries.
    pub single_p99: Vec<Option<f64>>,
    /// Median latency of scatter-gather queries.
    pub scatter_p50: Vec<Option<f64>>,
    /// 99th-percentile latency of scatter-gather queries.
    pub scatter_p99: Vec<Option<f64>>,
    /// Mean requests in service or waiting, per shard then per bucket.
    pub shard_load: Vec<Vec<f64>>,
    /// Mean load of the busiest shard in each bucket.
    pub max_shard_load: Vec<f64>,
    /// Rows held, per shard then per bucket.
    pub shard_rows: Vec<Vec<f64>>,
    /// Rows copied by the migration per second.
    pub migration_rate: Vec<f64>,
    /// Fraction of the rows to move that have moved, 0 to 1.
    pub migration_progress: Vec<f64>,
    /// Fraction of rows on shards that are down, 0 to 1.
    pub unavailable: Vec<f64>,
}

/// Query latencies, measured window: of all completed queries (at the top
/// level, as every pattern reports them), of each kind, and of the
/// busiest shard.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct Latency {
    /// All completed queries.
    #[cfg_attr(feature = "json", serde(flatten))]
    pub all: LatencySummary,
    /// Completed single-shard queries.
    pub single_shard: LatencySummary,
    /// Completed scatter-gather queries.
    pub scatter_gather: LatencySummary,
    /// 99th-percentile response time of the busiest member shard.
    pub hot_shard_p99: f64,
}

/// The report of a sharding run.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct Report {
    /// Queries that arrived (whole run).
    pub arrived: u64,
    /// Of which could be routed to one shard by the shard key.
    pub single_shard: u64,
    /// Of which had to ask every shard.
    pub scatter_gather: u64,
    /// Queries answered in full.
    pub completed: u64,
    /// Queries turned away by a full shard queue.
    pub rejected: u64,
    /// Queries that needed a shard that was down.
    pub failed: u64,
    /// Queries still in the system.
    pub in_flight: u64,
    /// Shard requests sent (whole run).
    pub shard_requests: u64,
    /// Shard requests per query, measured window: the work a query costs.
    pub requests_per_query: f64,
    /// Reads that looked for a row on its new shard before it was copied.
    pub misses: u64,
    /// Shard requests routed in the measured window, all shards together.
    pub routed: u64,
    /// Rows in the table.
    pub rows: u64,
    /// Query latency, measured window.
    pub latency: Latency,
    /// Queries completed per second, measured window.
    pub throughput: f64,
    /// Queries arriving per second, measured window.
    pub offered_rate: f64,
    /// Time-average queries in the system, measured window.
    pub mean_in_system: f64,
    /// The busiest member shard's routed requests over the mean of the
    /// member shards (1 is perfectly even).
    pub load_imbalance: f64,
    /// The largest member shard's rows over the mean.
    pub row_imbalance: f64,
    /// The busiest member shard, from 1.
    pub hot_shard: u32,
    /// Fraction of the shard key's values whose shard the resharding
    /// changes (0 without resharding).
    pub moved_fraction: f64,
    /// The resharding, if any.
    pub migration: Option<MigrationReport>,
    /// Time-average fraction of rows on shards that are down, measured
    /// window.
    pub unavailable: f64,
    /// The largest fraction of rows down at once, measured window.
    pub peak_unavailable: f64,
    /// Replicas promoted after a primary failed.
    pub failovers: u64,
    /// Per shard.
    pub shards: Vec<ShardReport>,
    /// For charts.
    pub series: Series,
}

impl Report {
    /// What the playground shows of this report: headline numbers, latency
    /// of both kinds of query, load and rows per shard, the migration and
    /// what is unavailable.
    pub fn dashboard(&self, params: &Params) -> Dashboard {
        let s = &self.series;
        let per_shard = |series: &[Vec<f64>]| {
            series
                .iter()
                .enumerate()
                .map(|(i, points)| Trace::full(format!("#{}", i + 1), points))
                .collect()
        };
        let percent = |points: &[f64]| points.iter().map(|x| x * 100.0).collect::<Vec<f64>>();
        Dashboard {
            time: s.time.clone(),
            stats: vec![
                Stat::count("arrived", self.arrived),
                Stat::count("completed", self.completed),
                Stat::count("rejected", self.rejected),
                Stat::count("failed", self.failed),
                Stat::millis("single-shard p99", self.latency.single_shard.p99),
                Stat::millis("scatter-gather p99", self.latency.scatter_gather.p99),
                Stat::millis("hot-shard p99", self.latency.hot_shard_p99),
                Stat::plain("load imbalance", self.load_imbalance),
                Stat::plain("requests per query", self.requests_per_query),
                // The resharding's plan, and its one measure of progress
                // (the diagram's too): rows copied of the rows to move.
                Stat::percent("keys that move", self.moved_fraction)
                    .known_once(self.migration.is_some())
                    .given("reshard_to", params.reshard_to > 0),
                Stat::percent(
                    "resharding done",
                    self.migration.as_ref().map_or(0.0, |m| m.progress),
                )
                .given("reshard_to", params.reshard_to > 0),
                Stat::percent("peak unavailable", self.peak_unavailable),
            ],
            panels: vec![
                Panel {
                    title: "Latency by kind of query",
                    unit: "ms",
                    lines: vec![
                        Trace::millis("single-shard p50", &s.single_p50),
                        Trace::millis("single-shard p99", &s.single_p99),
                        Trace::millis("scatter-gather p50", &s.scatter_p50),
                        Trace::millis("scatter-gather p99", &s.scatter_p99),
                    ],
                },
                Panel {
                    title: "Load per shard",
                    unit: "requests",
                    lines: per_shard(&s.shard_load),
                },
                Panel {
                    title: "Rows per shard",
                    unit: "rows",
                    lines: per_shard(&s.shard_rows),
                },
                Panel {
                    title: "Throughput and errors",
                    unit: "queries/s",
                    lines: vec![
                        Trace::full("completed", &s.throughput),
                        Trace::full("rejected or failed", &s.errors),
                    ],
                },
                Panel {
                    title: "Migration and availability",
                    unit: "%",
                    lines: vec![
                        Trace::full("resharding done", &percent(&s.migration_progress)),
                        Trace::full("rows unavailable", &percent(&s.unavailable)),
                    ],
                },
            ],
            compared: vec![
                Panel {
                    title: "99th-percentile latency",
                    unit: "ms",
                    lines: vec![Trace::millis("p99", &s.p99)],
                },
                Panel {
                    title: "Busiest shard's load",
                    unit: "requests",
                    lines: vec![Trace::full("busiest shard", &s.max_shard_load)],
                },
                Panel {
                    title: "Errors",
                    unit: "queries/s",
                    lines: vec![Trace::full("rejected or failed", &s.errors)],
                },
                Panel {
                    title: "Migration progress",
                    unit: "%",
                    lines: vec![Trace::full(
                        "resharding done",
                        &percent(&s.migration_progress),
                    )],
                },
                Panel {
                    title: "Rows unavailable",
                    unit: "%",
                    lines: vec![Trace::full("unavailable", &percent(&s.unavailable))],
                },
            ],
            moments: Vec::new(),
        }
    }

    /// The report of `sim` as it stands now.
    pub fn of(sim: &Simulation<ShardedDatabase>) -> Self {
        let (m, model, now) = (sim.metrics(), sim.model(), sim.now());
        let ids = &model.ids;
        let window = (now - m.warmup()).as_secs_f64();
        let per_sec = |n: u64| if window > 0.0 { n as f64 / window } else { 0.0 };
        let workers = f64::from(model.params().workers);
        let total_routed: u64 = model.shards.iter().map(|s| m.measured(s.routed)).sum();
        let shards: Vec<ShardReport> = model
            .shards
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let routed = m.measured(s.routed);
                ShardReport {
                    shard: i as u32 + 1,
                    member: model.placement.nodes().contains(&(i as u32)),
                    rows: s.rows,
                    routed,
                    served: m.measured(s.served),
                    load_share: if total_routed > 0 {
                        routed as f64 / total_routed as f64
                    } else {
                        0.0
                    },
                    utilisation: m.gauge_mean(s.busy_gauge, now) / workers,
                    mean_queue: m.gauge_mean(s.queue_gauge, now),
                    peak_queue: m.gauge_peak(s.queue_gauge, now) as u32,
                    latency: LatencySummary::of(m.durations(s.response)),
                    downtime: m.gauge_mean(s.down_gauge, now) * window.max(0.0),
                }
            })
            .collect();
        let members: Vec<&ShardReport> = shards.iter().filter(|s| s.member).collect();
        let imbalance = |value: &dyn Fn(&ShardReport) -> f64| {
            let mean = members.iter().map(|s| value(s)).sum::<f64>() / members.len() as f64;
            let max = members.iter().map(|s| value(s)).fold(0.0, f64::max);
            if mean > 0.0 { max / mean } else { 1.0 }
        };
        let load_imbalance = imbalance(&|s| s.routed as f64);
        let row_imbalance = imbalance(&|s| s.rows as f64);
        let hot = members
            .iter()
            .copied()
            .max_by_key(|s| (s.routed, std::cmp::Reverse(s.shard)))
            .expect("a placement has a shard");
        let bucket = m.bucket().as_secs_f64();
        let rate = |counts: Vec<u64>| m.per_second(&counts, now);
        let completed = m.counter_series(ids.completed, now);
        let rejected = m.counter_series(ids.rejected, now);
        let failed = m.counter_series(ids.failed, now);
        let errors: Vec<u64> = rejected.iter().zip(&failed).map(|(a, b)| a + b).collect();
        let shard_load: Vec<Vec<f64>> = model
            .shards
            .iter()
            .map(|s| m.gauge_series(s.load_gauge, now))
            .collect();
        let max_shard_load = (0..completed.len())
            .map(|b| {
                shard_load
                    .iter()
                    .map(|load| load.get(b).copied().unwrap_or(0.0))
                    .fold(0.0, f64::max)
            })
            .collect();
        let series = Series {
            bucket,
            time: (0..completed.len()).map(|i| i as f64 * bucket).collect(),
            arrivals: rate(m.counter_series(ids.arrived, now)),
            throughput: rate(completed),
            errors: rate(errors),
            failures: rate(failed),
            shard_requests: rate(m.counter_series(ids.shard_requests, now)),
            p99: m.quantile_series(ids.latency, 0.99, now),
            single_p50: m.quantile_series(ids.single_latency, 0.50, now),
            single_p99: m.quantile_series(ids.single_latency, 0.99, now),
            scatter_p50: m.quantile_series(ids.scatter_latency, 0.50, now),
            scatter_p99: m.quantile_series(ids.scatter_latency, 0.99, now),
            shard_load,
            max_shard_load,
            shard_rows: model
                .shards
                .iter()
                .map(|s| m.gauge_series(s.rows_gauge, now))
                .collect(),
            migration_rate: rate(m.counter_series(ids.copied_rows, now)),
            migration_progress: m.gauge_series(ids.progress, now),
            unavailable: m.gauge_series(ids.unavailable, now),
        };
        let measured_arrived = m.measured(ids.arrived);
        let migration = model.migration.as_ref().map(|mig| MigrationReport {
            started: mig.started.as_secs_f64(),
            finished: mig.finished.map(|t| t.as_secs_f64()),
            duration: (mig.finished.unwrap_or(now) - mig.started).as_secs_f64(),
            moved_rows: mig.moved_rows,
            copied_rows: mig.copied_rows,
            progress: mig.progress(),
            latency: LatencySummary::of(m.durations(ids.migration_latency)),
            requests_per_query: match m.total(ids.migration_arrivals) {
                0 => 0.0,
                n => m.total(ids.migration_requests) as f64 / n as f64,
            },
        });
        Report {
            arrived: m.total(ids.arrived),
            single_shard: m.total(ids.single),
            scatter_gather: m.total(ids.scatter),
            completed: m.total(ids.completed),
            rejected: m.total(ids.rejected),
            failed: m.total(ids.failed),
            in_flight: model.in_flight(),
            shard_requests: m.total(ids.shard_requests),
            requests_per_query: if measured_arrived > 0 {
                m.measured(ids.shard_requests) as f64 / measured_arrived as f64
            } else {
                0.0
            },
            misses: m.total(ids.misses),
            routed: total_routed,
            rows: u64::from(model.dataset.rows()),
            latency: Latency {
                all: LatencySummary::of(m.durations(ids.latency)),
                single_shard: LatencySummary::of(m.durations(ids.single_latency)),
                scatter_gather: LatencySummary::of(m.durations(ids.scatter_latency)),
                hot_shard_p99: hot.latency.p99,
            },
            throughput: per_sec(m.measured(ids.completed)),
            offered_rate: per_sec(measured_arrived),
            mean_in_system: m.gauge_mean(ids.in_system, now),
            load_imbalance,
            row_imbalance,
            hot_shard: hot.shard,
            moved_fraction: model.migration.as_ref().map_or(0.0, |m| m.moved_fraction),
            migration,
            unavailable: m.gauge_mean(ids.unavailable, now),
            peak_unavailable: m.gauge_peak(ids.unavailable, now),
            failovers: m.total(ids.failovers),
            shards,
            series,
        }
    }
}
