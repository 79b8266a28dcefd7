//! What an event-driven run measured, at the end or at any moment during it.

use super::model::EventDriven;
use super::params::{Integration, Params, PartitionKey};
use crate::dashboard::{Dashboard, Panel, Stat, Trace};
use crate::report::LatencySummary;
use archsim_core::Simulation;

/// Partitions charted one line each, at most: more would be a tangle.
const CHARTED_PARTITIONS: u32 = 16;

/// Time series for the live charts: one point per bucket of simulated time,
/// warm-up included.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct Series {
    /// Width of a bucket, in seconds.
    pub bucket: f64,
    /// Start of each bucket, in seconds.
    pub time: Vec<f64>,
    /// Events (requests) the producer sent per second.
    pub sent: Vec<f64>,
    /// Events handled for the first time per second, over every service.
    pub handled: Vec<f64>,
    /// Writes refused or lost, requests failed or timed out, per second.
    pub errors: Vec<f64>,
    /// Median producer latency in the bucket (none: nothing acknowledged).
    pub producer_p50: Vec<Option<f64>>,
    /// 99th-percentile producer latency.
    pub producer_p99: Vec<Option<f64>>,
    /// Median publish-to-handled time.
    pub handled_p50: Vec<Option<f64>>,
    /// 99th-percentile publish-to-handled time.
    pub handled_p99: Vec<Option<f64>>,
    /// Mean records not committed (calls waiting), over every service.
    pub backlog: Vec<f64>,
    /// Per service then per bucket: mean records not committed (or calls
    /// waiting).
    pub service_backlog: Vec<Vec<f64>>,
    /// Per service then per bucket: events handled per second.
    pub service_handled: Vec<Vec<f64>>,
    /// Per partition then per bucket: the first service's mean lag.
    pub partition_lag: Vec<Vec<f64>>,
}

/// The report of an event-driven run.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct Report {
    /// Events (requests) the producer sent.
    pub sent: u64,
    /// Events committed to the topic.
    pub committed: u64,
    /// Writes the brokers refused, or dropped before acknowledging them.
    pub refused: u64,
    /// Writes acknowledged (or sent without acks) that are gone.
    pub lost_writes: u64,
    /// Events handled for the first time, over every service.
    pub handled: u64,
    /// Handlings of an event already handled.
    pub duplicates: u64,
    /// Events a consumer skipped for good.
    pub lost_events: u64,
    /// Events applied after a later event of their account.
    pub reordered: u64,
    /// Withdrawals the balance could not pay when they were applied.
    pub bounced: u64,
    /// How far the services' balances are from what they should be.
    pub balance_error: f64,
    /// Events moved to the dead-letter topic.
    pub dead_lettered: u64,
    /// Requests every service answered (synchronous calls).
    pub completed: u64,
    /// Requests a service refused (synchronous calls).
    pub failed: u64,
    /// Requests that ran out of time (synchronous calls).
    pub timed_out: u64,
    /// What the producer was told failed: refused writes, failed and
    /// timed-out requests.
    pub producer_errors: u64,
    /// Consumer group rebalances.
    pub rebalances: u64,
    /// Consumer crashes (the random ones of `crash_interval`).
    pub crashes: u64,
    /// Events some service has not settled yet, or requests waited on.
    pub backlog: u64,
    /// From send to acknowledgement (or to the last answer), measured window.
    pub producer_latency: LatencySummary,
    /// From publish to handled, each service's first handling, measured window.
    pub handled_latency: LatencySummary,
    /// Events handled per second, measured window, over every service.
    pub throughput: f64,
    /// Seconds a replay took to catch up with the log.
    pub rebuild_time: Option<f64>,
    /// Accounts whose rebuilt balance differs from the live one.
    pub state_differences: Option<u32>,
    /// For charts.
    pub series: Series,
}

impl Report {
    /// What the playground shows of this report.
    pub fn dashboard(&self, params: &Params) -> Dashboard {
        let s = &self.series;
        let synchronous = params.integration == Integration::SynchronousCalls;
        let crashing = params.crash_interval > 0.0 || !params.faults.is_empty();
        let brokers = params.replicas > 1 || !params.leader_crashes.is_empty();
        let replaying = params.replay_at > 0.0;
        let stats = vec![
            Stat::count("sent", self.sent),
            Stat::millis("producer p99", self.producer_latency.p99),
            Stat::count("producer errors", self.producer_errors)
                .given("integration", synchronous || brokers),
            Stat::millis("handled p50", self.handled_latency.p50),
            Stat::millis("handled p99", self.handled_latency.p99),
            Stat {
                unit: "events/s",
                ..Stat::plain("throughput", self.throughput)
            },
            Stat::count("backlog", self.backlog),
            Stat::count("lost writes", self.lost_writes).given("acks", brokers),
            Stat::count("duplicates", self.duplicates).given("delivery", crashing),
            Stat::count("lost events", self.lost_events).given("delivery", crashing),
            Stat::count("reordered", self.reordered)
                .given("partition_key", params.partition_key == PartitionKey::None),
            Stat::count("bounced", self.bounced)
                .given("partition_key", params.partition_key == PartitionKey::None),
            Stat {
                unit: "dollars",
                windowed: false,
                ..Stat::plain("balance error", self.balance_error)
            }
            .given("delivery", crashing),
            Stat::count("dead-lettered", self.dead_lettered)
                .given("dead_letter", params.poison_at > 0.0),
            Stat::count("rebalances", self.rebalances).given("consumers", crashing),
            Stat {
                unit: "s",
                windowed: false,
                ..Stat::plain("rebuild time", self.rebuild_time.unwrap_or(0.0))
            }
            .known_once(self.rebuild_time.is_some())
            .given("replay_rate", replaying),
            Stat {
                windowed: false,
                ..Stat::count(
                    "state differences",
                    u64::from(self.state_differences.unwrap_or(0)),
                )
            }
            .known_once(self.state_differences.is_some())
            .given("replay_rate", replaying),
        ];
        let service_name = |i: usize| format!("service {}", i + 1);
        let mut panels = vec![
            Panel {
                title: "Producer latency",
                unit: "ms",
                lines: vec![
                    Trace::millis("p50", &s.producer_p50),
                    Trace::millis("p99", &s.producer_p99),
                ],
            },
            Panel {
                title: "Publish to handled",
                unit: "ms",
                lines: vec![
                    Trace::millis("p50", &s.handled_p50),
                    Trace::millis("p99", &s.handled_p99),
                ],
            },
            Panel {
                title: if synchronous {
                    "Calls waiting per service"
                } else {
                    "Lag per service"
                },
                unit: if synchronous { "calls" } else { "records" },
                lines: s
                    .service_backlog
                    .iter()
                    .enumerate()
                    .map(|(i, b)| Trace::full(service_name(i), b))
                    .collect(),
            },
            Panel {
                title: "Handled per service",
                unit: "events/s",
                lines: s
                    .service_handled
                    .iter()
                    .enumerate()
                    .map(|(i, h)| Trace::full(service_name(i), h))
                    .collect(),
            },
            Panel {
                title: "Producer errors",
                unit: "per s",
                lines: vec![Trace::full("errors", &s.errors)],
            },
        ];
        if !synchronous && params.partitions <= CHARTED_PARTITIONS {
            panels.insert(
                3,
                Panel {
                    title: "Lag per partition (service 1)",
                    unit: "records",
                    lines: s
                        .partition_lag
                        .iter()
                        .enumerate()
                        .map(|(p, lag)| Trace::full(format!("p{}", p + 1), lag))
                        .collect(),
                },
            );
        }
        Dashboard {
            time: s.time.clone(),
            stats,
            panels,
            compared: vec![
                Panel {
                    title: "99th-percentile producer latency",
                    unit: "ms",
                    lines: vec![Trace::millis("p99", &s.producer_p99)],
                },
                Panel {
                    title: "Backlog",
                    unit: "records",
                    lines: vec![Trace::full("backlog", &s.backlog)],
                },
                Panel {
                    title: "Handled",
                    unit: "events/s",
                    lines: vec![Trace::full("handled", &s.handled)],
                },
            ],
            moments: Vec::new(),
        }
    }

    /// The report of `sim` as it stands now.
    pub fn of(sim: &Simulation<EventDriven>) -> Self {
        let (m, model, now) = (sim.metrics(), sim.model(), sim.now());
        let ids = &model.ids;
        let window = (now - m.warmup()).as_secs_f64();
        let per_sec = |n: u64| if window > 0.0 { n as f64 / window } else { 0.0 };
        let bucket = m.bucket().as_secs_f64();
        let rate = |counts: Vec<u64>| m.per_second(&counts, now);
        let sent = m.counter_series(ids.sent, now);
        let errors: Vec<u64> = [ids.refused, ids.lost_writes, ids.failed, ids.timed_out]
            .iter()
            .map(|&id| m.counter_series(id, now))
            .fold(vec![0; sent.len()], |acc, s| {
                acc.iter().zip(s).map(|(a, b)| a + b).collect()
            });
        let services = model.service_ids();
        let series = Series {
            bucket,
            time: (0..sent.len()).map(|i| i as f64 * bucket).collect(),
            sent: rate(sent),
            handled: rate(m.counter_series(ids.handled, now)),
            errors: rate(errors),
            producer_p50: m.quantile_series(ids.producer_latency, 0.50, now),
            producer_p99: m.quantile_series(ids.producer_latency, 0.99, now),
            handled_p50: m.quantile_series(ids.handled_latency, 0.50, now),
            handled_p99: m.quantile_series(ids.handled_latency, 0.99, now),
            backlog: m.gauge_series(ids.lag, now),
            service_backlog: services
                .iter()
                .map(|&(_, lag)| m.gauge_series(lag, now))
                .collect(),
            service_handled: services
                .iter()
                .map(|&(handled, _)| rate(m.counter_series(handled, now)))
                .collect(),
            partition_lag: model
                .partition_gauges()
                .iter()
                .take(CHARTED_PARTITIONS as usize)
                .map(|&g| m.gauge_series(g, now))
                .collect(),
        };
        let (rebuild_time, state_differences) = model.replay_outcome();
        let refused = m.total(ids.refused);
        let failed = m.total(ids.failed);
        let timed_out = m.total(ids.timed_out);
        Report {
            sent: m.total(ids.sent),
            committed: m.total(ids.committed),
            refused,
            lost_writes: m.total(ids.lost_writes),
            handled: m.total(ids.handled),
            duplicates: m.total(ids.duplicates),
            lost_events: m.total(ids.lost_events),
            reordered: m.total(ids.reordered),
            bounced: m.total(ids.bounced),
            balance_error: model.drift() as f64 / 100.0,
            dead_lettered: m.total(ids.dead_lettered),
            completed: m.total(ids.completed),
            failed,
            timed_out,
            producer_errors: refused + failed + timed_out,
            rebalances: m.total(ids.rebalances),
            crashes: m.total(ids.crashes),
            backlog: model.backlog(),
            producer_latency: LatencySummary::of(m.durations(ids.producer_latency)),
            handled_latency: LatencySummary::of(m.durations(ids.handled_latency)),
            throughput: per_sec(m.measured(ids.handled)),
            rebuild_time,
            state_differences,
            series,
        }
    }
}
