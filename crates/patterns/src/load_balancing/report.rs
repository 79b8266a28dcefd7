//! What a load-balancing run measured, at the end or at any moment during it.

use super::model::LoadBalancer;
use super::params::Params;
use crate::dashboard::{Dashboard, Panel, Stat, Trace};
use crate::report::LatencySummary;
use archsim_core::Simulation;

/// One backend's share of the work, over the measured window.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct BackendReport {
    /// Backend number, from 1.
    pub backend: u32,
    /// Region number, from 1.
    pub region: u32,
    /// Nominal speed factor.
    pub speed: f64,
    /// Requests the balancer sent here (retries included).
    pub routed: u64,
    /// Requests it served.
    pub served: u64,
    /// Mean share of workers busy, 0 to 1.
    pub utilisation: f64,
    /// Mean requests waiting.
    pub mean_queue: f64,
    /// Most requests waiting at once.
    pub peak_queue: u32,
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
    /// Requests arriving per second.
    pub arrivals: Vec<f64>,
    /// Requests completed per second.
    pub throughput: Vec<f64>,
    /// Requests rejected, failed or timed out per second.
    pub errors: Vec<f64>,
    /// Requests landing away from their session per second.
    pub broken_sessions: Vec<f64>,
    /// Mean requests in the system.
    pub in_system: Vec<f64>,
    /// Median latency of requests completed in the bucket (none: no request).
    pub p50: Vec<Option<f64>>,
    /// 95th-percentile latency.
    pub p95: Vec<Option<f64>>,
    /// 99th-percentile latency.
    pub p99: Vec<Option<f64>>,
    /// Mean requests in service or waiting, per backend then per bucket.
    pub backend_load: Vec<Vec<f64>>,
    /// Mean share of workers busy, per backend then per bucket.
    pub backend_utilisation: Vec<Vec<f64>>,
}

/// The report of a load-balancing run.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct Report {
    /// Requests that arrived (whole run).
    pub arrived: u64,
    /// Requests answered successfully.
    pub completed: u64,
    /// Requests turned away: a full queue or no healthy backend.
    pub rejected: u64,
    /// Requests that hit a down backend (after the retry, if any).
    pub failed: u64,
    /// Requests whose client gave up.
    pub timed_out: u64,
    /// Requests still in the system.
    pub in_flight: u64,
    /// Second attempts after a failure.
    pub retries: u64,
    /// Requests that landed away from their client's session state.
    pub broken_sessions: u64,
    /// Latency of completed requests, measured window.
    pub latency: LatencySummary,
    /// Requests completed per second, measured window.
    pub throughput: f64,
    /// Requests arriving per second, measured window.
    pub offered_rate: f64,
    /// Time-average requests in the system, measured window (Little's L).
    pub mean_in_system: f64,
    /// Busiest backend's routed requests over the mean (1 is perfectly even).
    pub load_imbalance: f64,
    /// Per backend.
    pub backends: Vec<BackendReport>,
    /// For charts.
    pub series: Series,
}

impl Report {
    /// What the playground shows of this report: headline numbers, latency
    /// percentiles, throughput and errors, load per backend.
    pub fn dashboard(&self, params: &Params) -> Dashboard {
        let s = &self.series;
        Dashboard {
            time: s.time.clone(),
            stats: vec![
                Stat::count("arrived", self.arrived),
                Stat::count("completed", self.completed),
                Stat::count("rejected", self.rejected),
                Stat::count("failed", self.failed),
                Stat::count("timed out", self.timed_out).given("timeout", params.timeout > 0.0),
                Stat::millis("p50 latency", self.latency.p50),
                Stat::millis("p99 latency", self.latency.p99),
                Stat::plain("load imbalance", self.load_imbalance),
                Stat::count("broken sessions", self.broken_sessions)
                    .given("sticky_sessions", params.sticky_sessions),
            ],
            panels: vec![
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
                    title: "Throughput and errors",
                    unit: "req/s",
                    lines: vec![
                        Trace::full("completed", &s.throughput),
                        Trace::full("rejected, failed or timed out", &s.errors),
                    ],
                },
                Panel {
                    title: "Load per backend",
                    unit: "requests",
                    lines: s
                        .backend_load
                        .iter()
                        .enumerate()
                        .map(|(b, load)| Trace::full(format!("#{}", b + 1), load))
                        .collect(),
                },
            ],
            compared: vec![
                Panel {
                    title: "99th-percentile latency",
                    unit: "ms",
                    lines: vec![Trace::millis("p99", &s.p99)],
                },
                Panel {
                    title: "Throughput",
                    unit: "req/s",
                    lines: vec![Trace::full("completed", &s.throughput)],
                },
                Panel {
                    title: "Errors",
                    unit: "req/s",
                    lines: vec![Trace::full("errors", &s.errors)],
                },
            ],
            moments: Vec::new(),
        }
    }

    /// The report of `sim` as it stands now.
    pub fn of(sim: &Simulation<LoadBalancer>) -> Self {
        let (m, model, now) = (sim.metrics(), sim.model(), sim.now());
        let ids = &model.ids;
        let window = (now - m.warmup()).as_secs_f64();
        let per_sec = |n: u64| if window > 0.0 { n as f64 / window } else { 0.0 };
        let backends: Vec<BackendReport> = model
            .backends
            .iter()
            .enumerate()
            .map(|(i, b)| BackendReport {
                backend: i as u32 + 1,
                region: b.region() + 1,
                speed: b.speed(),
                routed: m.measured(b.routed),
                served: m.measured(b.served),
                utilisation: m.gauge_mean(b.busy_gauge, now) / f64::from(b.workers()),
                mean_queue: m.gauge_mean(b.queue_gauge, now),
                peak_queue: m.gauge_peak(b.queue_gauge, now) as u32,
            })
            .collect();
        let routed: Vec<f64> = backends.iter().map(|b| b.routed as f64).collect();
        let mean_routed = routed.iter().sum::<f64>() / routed.len() as f64;
        let load_imbalance = if mean_routed > 0.0 {
            routed.iter().copied().fold(0.0, f64::max) / mean_routed
        } else {
            1.0
        };
        let bucket = m.bucket().as_secs_f64();
        let rate = |counts: Vec<u64>| m.per_second(&counts, now);
        let completed = m.counter_series(ids.completed, now);
        let errors: Vec<u64> = [ids.rejected, ids.failed, ids.timed_out]
            .iter()
            .map(|&id| m.counter_series(id, now))
            .fold(vec![0; completed.len()], |acc, s| {
                acc.iter().zip(s).map(|(a, b)| a + b).collect()
            });
        let series = Series {
            bucket,
            time: (0..completed.len()).map(|i| i as f64 * bucket).collect(),
            arrivals: rate(m.counter_series(ids.arrived, now)),
            throughput: rate(completed),
            errors: rate(errors),
            broken_sessions: rate(m.counter_series(ids.broken_sessions, now)),
            in_system: m.gauge_series(ids.in_system, now),
            p50: m.quantile_series(ids.latency, 0.50, now),
            p95: m.quantile_series(ids.latency, 0.95, now),
            p99: m.quantile_series(ids.latency, 0.99, now),
            backend_load: model
                .backends
                .iter()
                .map(|b| m.gauge_series(b.load_gauge, now))
                .collect(),
            backend_utilisation: model
                .backends
                .iter()
                .map(|b| {
                    let workers = f64::from(b.workers());
                    m.gauge_series(b.busy_gauge, now)
                        .into_iter()
                        .map(|busy| busy / workers)
                        .collect()
                })
                .collect(),
        };
        Report {
            arrived: m.total(ids.arrived),
            completed: m.total(ids.completed),
            rejected: m.total(ids.rejected),
            failed: m.total(ids.failed),
            timed_out: m.total(ids.timed_out),
            in_flight: model.in_flight(),
            retries: m.total(ids.retries),
            broken_sessions: m.total(ids.broken_sessions),
            latency: LatencySummary::of(m.durations(ids.latency)),
            throughput: per_sec(m.measured(ids.completed)),
            offered_rate: per_sec(m.measured(ids.arrived)),
            mean_in_system: m.gauge_mean(ids.in_system, now),
            load_imbalance,
            backends,
            series,
        }
    }
}
