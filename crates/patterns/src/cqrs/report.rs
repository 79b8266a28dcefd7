//! What a CQRS run measured, at the end or at any moment during it.

use super::model::Cqrs;
use super::params::{Architecture, Consistency, Params};
use crate::dashboard::{Dashboard, Panel, Stat, Trace};
use crate::report::LatencySummary;
use archsim_core::Simulation;

/// Time series for the live charts: one point per bucket of simulated time,
/// warm-up included.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct Series {
    /// Width of a bucket, in seconds.
    pub bucket: f64,
    /// Start of each bucket, in seconds.
    pub time: Vec<f64>,
    /// Writes acknowledged per second.
    pub written: Vec<f64>,
    /// Reads answered per second.
    pub answered: Vec<f64>,
    /// Reads answered with a stale version, per second.
    pub stale: Vec<f64>,
    /// Reads back that missed their own write, per second.
    pub missed: Vec<f64>,
    /// Reads failed per second.
    pub failed: Vec<f64>,
    /// 99th-percentile write latency in the bucket.
    pub write_p99: Vec<Option<f64>>,
    /// Median read latency.
    pub read_p50: Vec<Option<f64>>,
    /// 99th-percentile read latency.
    pub read_p99: Vec<Option<f64>>,
    /// Median projection lag.
    pub lag_p50: Vec<Option<f64>>,
    /// 99th-percentile projection lag.
    pub lag_p99: Vec<Option<f64>>,
    /// Mean events not yet applied to the views.
    pub behind: Vec<f64>,
}

/// The report of a CQRS run.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct Report {
    /// Writes sent.
    pub writes: u64,
    /// Writes acknowledged.
    pub written: u64,
    /// Reads sent: queries and reads back.
    pub reads: u64,
    /// Reads answered.
    pub answered: u64,
    /// Reads that failed: no replica up, or the views being rebuilt.
    pub failed_reads: u64,
    /// Reads answered with an older version than the write side held.
    pub stale_reads: u64,
    /// Stale reads, as a share of reads answered, measured window.
    pub stale_share: f64,
    /// Writers' reads of their own entity.
    pub read_backs: u64,
    /// Reads back that did not see their own write.
    pub missed_own_writes: u64,
    /// Missed own writes, as a share of reads back answered, measured window.
    pub missed_share: f64,
    /// Rows a read touched on average: the join, or one lookup.
    pub rows_per_read: f64,
    /// View updates each write costs (its write amplification).
    pub view_updates_per_write: f64,
    /// Events not yet applied to the views.
    pub behind: u64,
    /// From sending a write to its acknowledgement, measured window.
    pub write_latency: LatencySummary,
    /// From sending a read to its answer, measured window.
    pub read_latency: LatencySummary,
    /// From an event's commit to its projection into the views.
    pub projection_lag: LatencySummary,
    /// Writes acknowledged per second, measured window.
    pub write_throughput: f64,
    /// Reads answered per second, measured window.
    pub read_throughput: f64,
    /// Seconds the rebuild of the read model took.
    pub rebuild_time: Option<f64>,
    /// For charts.
    pub series: Series,
}

impl Report {
    /// What the playground shows of this report.
    pub fn dashboard(&self, params: &Params) -> Dashboard {
        let s = &self.series;
        let cqrs = params.architecture == Architecture::Cqrs;
        let apart = cqrs && params.consistency != Consistency::Synchronous;
        let stats = vec![
            Stat::count("writes", self.writes),
            Stat::millis("write p99", self.write_latency.p99),
            Stat::millis("read p50", self.read_latency.p50),
            Stat::millis("read p99", self.read_latency.p99),
            Stat::percent("stale reads", self.stale_share).given("architecture", cqrs),
            Stat::percent("own writes missed", self.missed_share).given("architecture", cqrs),
            Stat::millis("projection lag p99", self.projection_lag.p99).given("consistency", apart),
            Stat::plain("rows per read", self.rows_per_read),
            Stat::plain("view updates per write", self.view_updates_per_write),
            Stat::count("failed reads", self.failed_reads).given(
                "rebuild_at",
                params.rebuild_at > 0.0 || !params.faults.is_empty(),
            ),
            Stat {
                unit: "s",
                windowed: false,
                ..Stat::plain("rebuild time", self.rebuild_time.unwrap_or(0.0))
            }
            .known_once(self.rebuild_time.is_some())
            .given("replay_rate", params.rebuild_at > 0.0),
        ];
        Dashboard {
            time: s.time.clone(),
            stats,
            panels: vec![
                Panel {
                    title: "Latency",
                    unit: "ms",
                    lines: vec![
                        Trace::millis("write p99", &s.write_p99),
                        Trace::millis("read p50", &s.read_p50),
                        Trace::millis("read p99", &s.read_p99),
                    ],
                },
                Panel {
                    title: "Projection lag",
                    unit: "ms",
                    lines: vec![
                        Trace::millis("p50", &s.lag_p50),
                        Trace::millis("p99", &s.lag_p99),
                    ],
                },
                Panel {
                    title: "Events not yet projected",
                    unit: "events",
                    lines: vec![Trace::full("behind", &s.behind)],
                },
                Panel {
                    title: "Reads that were not fresh",
                    unit: "per s",
                    lines: vec![
                        Trace::full("stale", &s.stale),
                        Trace::full("own write missed", &s.missed),
                        Trace::full("failed", &s.failed),
                    ],
                },
                Panel {
                    title: "Throughput",
                    unit: "per s",
                    lines: vec![
                        Trace::full("writes", &s.written),
                        Trace::full("reads", &s.answered),
                    ],
                },
            ],
            compared: vec![
                Panel {
                    title: "99th-percentile read latency",
                    unit: "ms",
                    lines: vec![Trace::millis("read p99", &s.read_p99)],
                },
                Panel {
                    title: "99th-percentile write latency",
                    unit: "ms",
                    lines: vec![Trace::millis("write p99", &s.write_p99)],
                },
                Panel {
                    title: "Reads back that missed their write",
                    unit: "per s",
                    lines: vec![Trace::full("missed", &s.missed)],
                },
            ],
            moments: Vec::new(),
        }
    }

    /// The report of `sim` as it stands now.
    pub fn of(sim: &Simulation<Cqrs>) -> Self {
        let (m, model, now) = (sim.metrics(), sim.model(), sim.now());
        let ids = &model.ids;
        let window = (now - m.warmup()).as_secs_f64();
        let per_sec = |n: u64| if window > 0.0 { n as f64 / window } else { 0.0 };
        let share = |part: u64, whole: u64| {
            if whole > 0 {
                part as f64 / whole as f64
            } else {
                0.0
            }
        };
        let bucket = m.bucket().as_secs_f64();
        let rate = |id| m.per_second(&m.counter_series(id, now), now);
        let written = rate(ids.written);
        let answered = m.measured(ids.answered);
        let read_backs = m.measured(ids.read_backs_answered);
        let series = Series {
            bucket,
            time: (0..written.len()).map(|i| i as f64 * bucket).collect(),
            written,
            answered: rate(ids.answered),
            stale: rate(ids.stale_reads),
            missed: rate(ids.missed_own_writes),
            failed: rate(ids.failed_reads),
            write_p99: m.quantile_series(ids.write_latency, 0.99, now),
            read_p50: m.quantile_series(ids.read_latency, 0.50, now),
            read_p99: m.quantile_series(ids.read_latency, 0.99, now),
            lag_p50: m.quantile_series(ids.projection_lag, 0.50, now),
            lag_p99: m.quantile_series(ids.projection_lag, 0.99, now),
            behind: m.gauge_series(ids.behind, now),
        };
        Report {
            writes: m.total(ids.writes),
            written: m.total(ids.written),
            reads: m.total(ids.reads),
            answered: m.total(ids.answered),
            failed_reads: m.total(ids.failed_reads),
            stale_reads: m.total(ids.stale_reads),
            stale_share: share(m.measured(ids.stale_reads), answered),
            read_backs: m.total(ids.read_backs),
            missed_own_writes: m.total(ids.missed_own_writes),
            missed_share: share(m.measured(ids.missed_own_writes), read_backs),
            rows_per_read: share(m.measured(ids.rows), answered),
            view_updates_per_write: share(m.measured(ids.view_updates), m.measured(ids.written)),
            behind: model.behind(),
            write_latency: LatencySummary::of(m.durations(ids.write_latency)),
            read_latency: LatencySummary::of(m.durations(ids.read_latency)),
            projection_lag: LatencySummary::of(m.durations(ids.projection_lag)),
            write_throughput: per_sec(m.measured(ids.written)),
            read_throughput: per_sec(answered),
            rebuild_time: model.rebuild_time,
            series,
        }
    }
}
