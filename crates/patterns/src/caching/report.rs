//! What a caching run measured, at the end or at any moment during it.

use super::model::{CacheCluster, Remap};
use super::params::{Params, WriteStrategy};
use crate::dashboard::{Dashboard, Panel, Stat, Trace};
use crate::report::LatencySummary;
use archsim_core::{CounterId, Metrics, SimTime, Simulation};

/// One cache node's share of the work.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct NodeReport {
    /// Node number, from 1.
    pub node: u32,
    /// Whether it is up at the end.
    pub up: bool,
    /// Items it holds at the end.
    pub items: u32,
    /// Items it can hold.
    pub capacity: u32,
    /// Mean items held, measured window.
    pub mean_items: f64,
    /// Messages it handled (lookups, fills, deletes, writes), measured window.
    pub requests: u64,
    /// Reads it answered with a hit, measured window.
    pub hits: u64,
    /// Reads it could not answer (missing, expired, refused), measured window.
    pub misses: u64,
    /// Items it evicted to make room, measured window.
    pub evictions: u64,
}

/// Latency of completed requests, measured window, in seconds.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct Latencies {
    /// Every request.
    #[cfg_attr(feature = "json", serde(flatten))]
    pub all: LatencySummary,
    /// Reads only.
    pub reads: LatencySummary,
    /// Writes only.
    pub writes: LatencySummary,
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
    /// Share of the application's reads that hit (none: no read in the
    /// bucket).
    pub hit_ratio: Vec<Option<f64>>,
    /// Requests arriving per second.
    pub arrivals: Vec<f64>,
    /// Requests completed per second.
    pub throughput: Vec<f64>,
    /// Requests rejected or failed per second.
    pub errors: Vec<f64>,
    /// Queries the database accepted per second, reads and writes.
    pub db_load: Vec<f64>,
    /// Reads the database accepted per second.
    pub db_reads: Vec<f64>,
    /// Writes (flushes included) the database accepted per second.
    pub db_writes: Vec<f64>,
    /// Mean queries waiting at the database.
    pub db_queue: Vec<f64>,
    /// Stale reads per second.
    pub stale_reads: Vec<f64>,
    /// Evictions per second.
    pub evictions: Vec<f64>,
    /// Median latency of requests completed in the bucket.
    pub p50: Vec<Option<f64>>,
    /// 95th-percentile latency.
    pub p95: Vec<Option<f64>>,
    /// 99th-percentile latency.
    pub p99: Vec<Option<f64>>,
    /// Mean items held, per node then per bucket.
    pub node_items: Vec<Vec<f64>>,
    /// Messages handled per second, per node then per bucket.
    pub node_load: Vec<Vec<f64>>,
}

/// The report of a caching run.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct Report {
    /// Requests that arrived (whole run).
    pub arrived: u64,
    /// Requests answered (whole run).
    pub completed: u64,
    /// Requests turned away by a full database queue (whole run).
    pub rejected: u64,
    /// Writes lost with the cache node carrying them (whole run).
    pub failed: u64,
    /// Requests still in the system.
    pub in_flight: u64,
    /// Reads of the application, measured window (hits plus misses).
    pub reads: u64,
    /// Writes, measured window.
    pub writes: u64,
    /// Reads of the batch scan, measured window: not in `reads`, hits or
    /// misses, so the hit ratio is the application's.
    pub scan_reads: u64,
    /// Reads answered from the cache, measured window.
    pub hits: u64,
    /// Reads that went to the database (or waited for one that did).
    pub misses: u64,
    /// `hits / reads`, measured window.
    pub hit_ratio: f64,
    /// Reads that returned an older version than the newest written,
    /// measured window.
    pub stale_reads: u64,
    /// `stale_reads / reads`.
    pub stale_fraction: f64,
    /// Values stored in the cache that were already outdated when they
    /// arrived (the cache-aside race), measured window.
    pub stale_fills: u64,
    /// Fills refused because their lease was revoked, measured window.
    pub refused_fills: u64,
    /// Hits turned into database reads by early refresh, measured window.
    pub early_refreshes: u64,
    /// Misses that waited for another read of the same key, measured window.
    pub coalesced: u64,
    /// Reads the database served, measured window.
    pub db_reads: u64,
    /// Writes the database served (flushes included), measured window.
    pub db_writes: u64,
    /// Database queries per second, measured window.
    pub db_load: f64,
    /// Busiest chart bucket's database queries per second, measured window.
    pub db_peak_load: f64,
    /// Mean share of database workers busy, measured window.
    pub db_utilisation: f64,
    /// Mean queries waiting at the database.
    pub db_mean_queue: f64,
    /// Most queries waiting at once.
    pub db_peak_queue: u32,
    /// Items evicted to make room, measured window.
    pub evictions: u64,
    /// Items found expired, measured window.
    pub expirations: u64,
    /// Writes acknowledged by a write-behind node that died before flushing
    /// them (whole run).
    pub lost_writes: u64,
    /// Latency of completed requests, measured window: all of them, and
    /// reads and writes apart.
    pub latency: Latencies,
    /// Requests completed per second, measured window.
    pub throughput: f64,
    /// Requests arriving per second, measured window.
    pub offered_rate: f64,
    /// Distinct keys.
    pub keys: u64,
    /// Every change of the ring, in order.
    pub remaps: Vec<Remap>,
    /// Per cache node.
    pub nodes: Vec<NodeReport>,
    /// For charts.
    pub series: Series,
}

impl Report {
    /// What the playground shows of this report: headline numbers, hit
    /// ratio, latency, database load, memory and load per node.
    pub fn dashboard(&self, params: &Params) -> Dashboard {
        let s = &self.series;
        Dashboard {
            time: s.time.clone(),
            stats: vec![
                Stat::percent("hit ratio", self.hit_ratio),
                Stat::millis("p50 latency", self.latency.all.p50),
                Stat::millis("p99 latency", self.latency.all.p99),
                Stat::plain("database load (q/s)", self.db_load),
                Stat::plain("peak database load (q/s)", self.db_peak_load),
                Stat::percent("stale reads", self.stale_fraction),
                Stat::count("evictions", self.evictions),
                Stat::count("rejected", self.rejected),
                Stat::count("lost writes", self.lost_writes).given(
                    "write_strategy",
                    params.write_strategy == WriteStrategy::WriteBehind,
                ),
            ],
            panels: vec![
                Panel {
                    title: "Hit ratio",
                    unit: "%",
                    lines: vec![percent_trace("hit ratio", &s.hit_ratio)],
                },
                Panel {
                    title: "Latency",
                    unit: "ms",
                    lines: vec![
                        Trace::millis("p50", &s.p50),
                        Trace::millis("p95", &s.p95),
                        Trace::millis("p99", &s.p99),
                    ],
                },
                Panel {
                    title: "Database load",
                    unit: "queries/s",
                    lines: vec![
                        Trace::full("reads", &s.db_reads),
                        Trace::full("writes", &s.db_writes),
                    ],
                },
                Panel {
                    title: "Stale reads and errors",
                    unit: "req/s",
                    lines: vec![
                        Trace::full("stale reads", &s.stale_reads),
                        Trace::full("rejected or failed", &s.errors),
                    ],
                },
                Panel {
                    title: "Items held per node",
                    unit: "items",
                    lines: s
                        .node_items
                        .iter()
                        .enumerate()
                        .map(|(n, items)| Trace::full(format!("#{}", n + 1), items))
                        .collect(),
                },
                Panel {
                    title: "Load per node",
                    unit: "msg/s",
                    lines: s
                        .node_load
                        .iter()
                        .enumerate()
                        .map(|(n, load)| Trace::full(format!("#{}", n + 1), load))
                        .collect(),
                },
            ],
            compared: vec![
                Panel {
                    title: "Hit ratio",
                    unit: "%",
                    lines: vec![percent_trace("hit ratio", &s.hit_ratio)],
                },
                Panel {
                    title: "99th-percentile latency",
                    unit: "ms",
                    lines: vec![Trace::millis("p99", &s.p99)],
                },
                Panel {
                    title: "Database load",
                    unit: "queries/s",
                    lines: vec![Trace::full("queries", &s.db_load)],
                },
                Panel {
                    title: "Stale reads",
                    unit: "req/s",
                    lines: vec![Trace::full("stale reads", &s.stale_reads)],
                },
            ],
            moments: Vec::new(),
        }
    }

    /// The report of `sim` as it stands now.
    pub fn of(sim: &Simulation<CacheCluster>) -> Self {
        let (m, model, now) = (sim.metrics(), sim.model(), sim.now());
        let ids = &model.ids;
        let window = (now - m.warmup()).as_secs_f64();
        let per_sec = |n: u64| if window > 0.0 { n as f64 / window } else { 0.0 };
        let fraction = |n: u64, of: u64| if of == 0 { 0.0 } else { n as f64 / of as f64 };
        let bucket = m.bucket().as_secs_f64();
        let rate = |counts: Vec<u64>| m.per_second(&counts, now);
        let sum = |a: &[CounterId]| -> Vec<u64> {
            let len = m.buckets_until(now);
            a.iter()
                .map(|&id| m.counter_series(id, now))
                .fold(vec![0; len], |acc, s| {
                    acc.iter().zip(s).map(|(a, b)| a + b).collect()
                })
        };
        let hits = m.counter_series(ids.hits, now);
        let reads = m.counter_series(ids.reads, now);
        let hit_ratio = hits
            .iter()
            .zip(&reads)
            .map(|(&h, &r)| (r > 0).then(|| h as f64 / r as f64))
            .collect();
        let db_load = sum(&[ids.db_reads, ids.db_writes]);
        let db_peak_load = peak_rate(m, &db_load, now);
        let nodes: Vec<NodeReport> = model
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| NodeReport {
                node: i as u32 + 1,
                up: n.up,
                items: n.store.len(),
                capacity: n.store.capacity(),
                mean_items: m.gauge_mean(n.items, now),
                requests: m.measured(n.requests),
                hits: m.measured(n.hits),
                misses: m.measured(n.misses),
                evictions: m.measured(n.evictions),
            })
            .collect();
        let series = Series {
            bucket,
            time: (0..reads.len()).map(|i| i as f64 * bucket).collect(),
            hit_ratio,
            arrivals: rate(m.counter_series(ids.arrived, now)),
            throughput: rate(m.counter_series(ids.completed, now)),
            errors: rate(sum(&[ids.rejected, ids.failed])),
            db_load: rate(db_load),
            db_reads: rate(m.counter_series(ids.db_reads, now)),
            db_writes: rate(m.counter_series(ids.db_writes, now)),
            db_queue: m.gauge_series(ids.db_queue, now),
            stale_reads: rate(m.counter_series(ids.stale_reads, now)),
            evictions: rate(m.counter_series(ids.evictions, now)),
            p50: m.quantile_series(ids.latency, 0.50, now),
            p95: m.quantile_series(ids.latency, 0.95, now),
            p99: m.quantile_series(ids.latency, 0.99, now),
            node_items: model
                .nodes
                .iter()
                .map(|n| m.gauge_series(n.items, now))
                .collect(),
            node_load: model
                .nodes
                .iter()
                .map(|n| rate(m.counter_series(n.requests, now)))
                .collect(),
        };
        let reads = m.measured(ids.reads);
        let db_capacity = f64::from(model.params().db_capacity);
        Report {
            arrived: m.total(ids.arrived),
            completed: m.total(ids.completed),
            rejected: m.total(ids.rejected),
            failed: m.total(ids.failed),
            in_flight: model.in_flight(),
            reads,
            writes: m.measured(ids.writes),
            scan_reads: m.measured(ids.scan_reads),
            hits: m.measured(ids.hits),
            misses: m.measured(ids.misses),
            hit_ratio: fraction(m.measured(ids.hits), reads),
            stale_reads: m.measured(ids.stale_reads),
            stale_fraction: fraction(m.measured(ids.stale_reads), reads),
            stale_fills: m.measured(ids.stale_fills),
            refused_fills: m.measured(ids.refused_fills),
            early_refreshes: m.measured(ids.early_refreshes),
            coalesced: m.measured(ids.coalesced),
            db_reads: m.measured(ids.db_reads),
            db_writes: m.measured(ids.db_writes),
            db_load: per_sec(m.measured(ids.db_reads) + m.measured(ids.db_writes)),
            db_peak_load,
            db_utilisation: m.gauge_mean(ids.db_busy, now) / db_capacity,
            db_mean_queue: m.gauge_mean(ids.db_queue, now),
            db_peak_queue: m.gauge_peak(ids.db_queue, now) as u32,
            evictions: m.measured(ids.evictions),
            expirations: m.measured(ids.expirations),
            lost_writes: m.total(ids.lost_writes),
            latency: Latencies {
                all: LatencySummary::of(m.durations(ids.latency)),
                reads: LatencySummary::of(m.durations(ids.read_latency)),
                writes: LatencySummary::of(m.durations(ids.write_latency)),
            },
            throughput: per_sec(m.measured(ids.completed)),
            offered_rate: per_sec(m.measured(ids.arrived)),
            keys: u64::from(model.params().keys),
            remaps: model.remaps.clone(),
            nodes,
            series,
        }
    }
}

/// The highest per-second rate of `counts` over the whole buckets of the
/// measured window (the last, partial bucket is left out unless it is the
/// only one).
fn peak_rate(m: &Metrics, counts: &[u64], now: SimTime) -> f64 {
    let width = m.bucket().as_micros();
    let (warmup, end) = (m.warmup().as_micros(), now.as_micros());
    let whole = counts
        .iter()
        .enumerate()
        .filter(|&(b, _)| {
            let start = b as u64 * width;
            start >= warmup && start + width <= end
        })
        .map(|(_, &c)| c);
    let peak = whole.max().unwrap_or(0);
    peak as f64 / m.bucket().as_secs_f64()
}

/// A line of fractions shown as percentages.
fn percent_trace(label: &str, fractions: &[Option<f64>]) -> Trace {
    Trace {
        label: label.to_owned(),
        points: fractions.iter().map(|v| v.map(|f| f * 100.0)).collect(),
    }
}
