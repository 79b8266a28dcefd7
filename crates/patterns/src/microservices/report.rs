//! What a microservices run measured, at the end or at any moment during
//! it.

use super::model::Microservices;
use super::params::{Database, Params, Paused, RetryPolicy, Switch, Transaction};
use super::topology::{SERVICES, Service};
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
    /// Pages served in full per second.
    pub served: Vec<f64>,
    /// Pages served with a fallback per second.
    pub degraded: Vec<f64>,
    /// Pages failed per second.
    pub failed: Vec<f64>,
    /// 99th-percentile checkout latency in the bucket.
    pub checkout_p99: Vec<Option<f64>>,
    /// 99th-percentile browse latency.
    pub browse_p99: Vec<Option<f64>>,
    /// Median latency of every page served.
    pub p50: Vec<Option<f64>>,
    /// Workers busy, mean over the bucket.
    pub busy: Vec<f64>,
    /// Tries of calls per second, every service together.
    pub attempts: Vec<f64>,
}

/// Tries of calls one service received.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct ServiceLoad {
    /// The service.
    pub service: Service,
    /// Tries it received (calls and their retries).
    pub attempts: u64,
    /// From a try's arrival to its answer, measured window.
    pub latency: LatencySummary,
}

/// The report of a microservices run.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct Report {
    /// Pages asked for.
    pub requests: u64,
    /// Checkouts asked for.
    pub checkouts: u64,
    /// Served in full.
    pub served: u64,
    /// Served with a fallback standing in for part of them.
    pub degraded: u64,
    /// Failed: an error, a timeout, a refusal or a declined card.
    pub failed: u64,
    /// Failed because the user's wait ran out.
    pub timed_out: u64,
    /// Failed because a breaker or a bulkhead refused a call.
    pub rejected: u64,
    /// Checkouts failed by a declined card.
    pub declined: u64,
    /// Pages served (in full or degraded), as a share of those that ended,
    /// measured window.
    pub success_share: f64,
    /// Checkouts served, as a share of checkouts that ended, measured
    /// window.
    pub checkout_success: f64,
    /// Pages served with a fallback, as a share of those served.
    pub degraded_share: f64,
    /// Calls that met a pause of the pausing runtime, measured window.
    pub pauses: u64,
    /// Calls served by the pausing runtime, which each may meet a pause,
    /// measured window.
    pub pausable_calls: u64,
    /// Browse pages whose calls met at least one runtime pause, as a share
    /// of browse pages that ended.
    pub paused_share: f64,
    /// From asking for a page to its answer, served pages, measured window.
    pub latency: LatencySummary,
    /// The same, checkouts only.
    pub checkout_latency: LatencySummary,
    /// The same, browse pages only.
    pub browse_latency: LatencySummary,
    /// Pages served per second, measured window.
    pub throughput: f64,
    /// Tries per service.
    pub services: Vec<ServiceLoad>,
    /// Tries payments received per checkout asked for: the retries of
    /// every layer multiplied.
    pub payments_per_checkout: f64,
    /// Answers that arrived after their caller stopped waiting: work done
    /// for nobody.
    pub wasted: u64,
    /// Calls a breaker refused.
    pub breaker_rejections: u64,
    /// Calls a bulkhead refused.
    pub bulkhead_rejections: u64,
    /// Times breakers opened.
    pub breaker_openings: u64,
    /// Replicas running, every deployable together.
    pub instances: u32,
    /// Workers provisioned.
    pub workers: u32,
    /// Memory provisioned, GB.
    pub memory_gb: f64,
    /// Things to deploy and watch: deployables and their databases.
    pub deployables: u32,
    /// Orders committed.
    pub committed: u64,
    /// Orders aborted or compensated.
    pub aborted: u64,
    /// Compensations run by sagas.
    pub compensations: u64,
    /// States a saga exposed that never were: reads of a reservation later
    /// undone, and reservations made for an order that had given up.
    pub anomalies: u64,
    /// Two-phase commits whose participants learned different decisions:
    /// none, if the protocol is kept.
    pub disagreements: u64,
    /// Orders committed per second, measured window.
    pub order_throughput: f64,
    /// How long an order held its item's lock, measured window.
    pub lock_hold: LatencySummary,
    /// Seconds locks were held by two-phase commits whose coordinator had
    /// died, every one together.
    pub blocked_time: f64,
    /// Reporting queries finished.
    pub reports: u64,
    /// For charts.
    pub series: Series,
}

impl Report {
    /// What the playground shows of this report.
    pub fn dashboard(&self, params: &Params) -> Dashboard {
        let s = &self.series;
        let split = params.split();
        let orders = params.checkout_share > 0.0;
        let retrying = params.retry_policy != RetryPolicy::None && params.retries > 0;
        let stats = vec![
            Stat::count("requests", self.requests),
            Stat::percent("success", self.success_share),
            Stat::percent("checkouts served", self.checkout_success)
                .given("checkout_share", orders),
            Stat::millis("p50", self.latency.p50),
            Stat::millis("checkout p99", self.checkout_latency.p99).given("checkout_share", orders),
            Stat::millis("browse p99", self.browse_latency.p99)
                .given("checkout_share", params.checkout_share < 1.0),
            Stat::percent("degraded", self.degraded_share).given("fallback", params.fallback),
            Stat::count("timed out", self.timed_out)
                .given("call_timeout", params.call_timeout > 0.0),
            Stat::plain("payments tries per checkout", self.payments_per_checkout)
                .given("retries", retrying),
            Stat::count("wasted answers", self.wasted)
                .given("call_timeout", params.call_timeout > 0.0),
            Stat::count("breaker openings", self.breaker_openings)
                .given("circuit_breaker", params.circuit_breaker == Switch::On),
            Stat::percent("pages meeting a pause", self.paused_share).given(
                "pause_share",
                params.pause_share > 0.0 && params.paused_service != Paused::None,
            ),
            Stat {
                windowed: false,
                ..Stat::plain("instances", f64::from(self.instances))
            },
            Stat {
                windowed: false,
                unit: "GB",
                ..Stat::plain("memory", self.memory_gb)
            },
            Stat::count("things to watch", u64::from(self.deployables)),
            Stat::plain("orders per second", self.order_throughput).given("checkout_share", orders),
            Stat::millis("lock hold mean", self.lock_hold.mean).given("checkout_share", orders),
            Stat::count("compensations", self.compensations).given(
                "transaction",
                split && params.transaction == Transaction::Saga,
            ),
            Stat::count("anomalies", self.anomalies).given(
                "transaction",
                split && params.transaction == Transaction::Saga,
            ),
            Stat {
                unit: "s",
                windowed: false,
                ..Stat::plain("blocked time", self.blocked_time)
            }
            .given(
                "transaction",
                split && params.transaction == Transaction::TwoPhaseCommit,
            ),
        ];
        Dashboard {
            time: s.time.clone(),
            stats,
            panels: vec![
                Panel {
                    title: "Pages",
                    unit: "per s",
                    lines: vec![
                        Trace::full("served", &s.served),
                        Trace::full("degraded", &s.degraded),
                        Trace::full("failed", &s.failed),
                    ],
                },
                Panel {
                    title: "Latency",
                    unit: "ms",
                    lines: vec![
                        Trace::millis("p50", &s.p50),
                        Trace::millis("checkout p99", &s.checkout_p99),
                        Trace::millis("browse p99", &s.browse_p99),
                    ],
                },
                Panel {
                    title: "Workers busy",
                    unit: "workers",
                    lines: vec![Trace::full("busy", &s.busy)],
                },
                Panel {
                    title: "Tries of calls",
                    unit: "per s",
                    lines: vec![Trace::full("tries", &s.attempts)],
                },
            ],
            compared: vec![
                Panel {
                    title: "Pages failed",
                    unit: "per s",
                    lines: vec![Trace::full("failed", &s.failed)],
                },
                Panel {
                    title: "99th-percentile checkout latency",
                    unit: "ms",
                    lines: vec![Trace::millis("checkout p99", &s.checkout_p99)],
                },
                Panel {
                    title: "Workers busy",
                    unit: "workers",
                    lines: vec![Trace::full("busy", &s.busy)],
                },
            ],
            moments: Vec::new(),
        }
    }

    /// The report of `sim` as it stands now.
    pub fn of(sim: &Simulation<Microservices>) -> Self {
        let (m, model, now) = (sim.metrics(), sim.model(), sim.now());
        let ids = &model.ids;
        let p = model.params();
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
        let served = rate(ids.served);
        let mut attempts = vec![0.0; served.len()];
        for id in ids.attempts {
            for (total, n) in attempts.iter_mut().zip(rate(id)) {
                *total += n;
            }
        }
        let series = Series {
            bucket,
            time: (0..served.len()).map(|i| i as f64 * bucket).collect(),
            served,
            degraded: rate(ids.degraded),
            failed: rate(ids.failed),
            checkout_p99: m.quantile_series(ids.checkout_latency, 0.99, now),
            browse_p99: m.quantile_series(ids.browse_latency, 0.99, now),
            p50: m.quantile_series(ids.latency, 0.50, now),
            busy: m.gauge_series(ids.busy, now),
            attempts,
        };
        let ok = m.measured(ids.served) + m.measured(ids.degraded);
        let ended = ok + m.measured(ids.failed);
        let (instances, workers, memory) = provisioned(p);
        let blocked = m.durations(ids.blocked);
        Report {
            requests: m.total(ids.requests),
            checkouts: m.total(ids.checkouts),
            served: m.total(ids.served),
            degraded: m.total(ids.degraded),
            failed: m.total(ids.failed),
            timed_out: m.total(ids.timed_out),
            rejected: m.total(ids.rejected),
            declined: m.total(ids.declined),
            success_share: share(ok, ended),
            checkout_success: share(
                m.measured(ids.checkouts_served),
                m.measured(ids.checkouts_ended),
            ),
            degraded_share: share(m.measured(ids.degraded), ok),
            pauses: m.measured(ids.pauses),
            pausable_calls: m.measured(ids.pause_draws),
            paused_share: share(
                m.measured(ids.browses_paused),
                m.measured(ids.browses_ended),
            ),
            latency: LatencySummary::of(m.durations(ids.latency)),
            checkout_latency: LatencySummary::of(m.durations(ids.checkout_latency)),
            browse_latency: LatencySummary::of(m.durations(ids.browse_latency)),
            throughput: per_sec(ok),
            services: SERVICES
                .iter()
                .map(|&s| ServiceLoad {
                    service: s,
                    attempts: m.total(ids.attempts[s.index()]),
                    latency: LatencySummary::of(m.durations(ids.service_latency[s.index()])),
                })
                .collect(),
            payments_per_checkout: share(
                m.total(ids.attempts[Service::Payments.index()]),
                m.total(ids.checkouts),
            ),
            wasted: m.total(ids.wasted),
            breaker_rejections: m.total(ids.breaker_rejections),
            bulkhead_rejections: m.total(ids.bulkhead_rejections),
            breaker_openings: model.breaker_openings(),
            instances,
            workers,
            memory_gb: memory,
            deployables: deployables(p),
            committed: m.total(ids.committed),
            aborted: m.total(ids.aborted),
            compensations: m.total(ids.compensations),
            anomalies: m.total(ids.anomalies),
            disagreements: m.total(ids.disagreements),
            order_throughput: per_sec(m.measured(ids.committed)),
            lock_hold: LatencySummary::of(m.durations(ids.lock_hold)),
            blocked_time: blocked.mean_secs() * blocked.count() as f64,
            reports: m.total(ids.reports),
            series,
        }
    }
}

/// Replicas, workers and memory (GB) that `p` provisions.
pub(super) fn provisioned(p: &Params) -> (u32, u32, f64) {
    if p.split() {
        SERVICES.iter().fold((0, 0, 0.0), |(i, w, mem), &s| {
            let r = p.replicas_of(s);
            (i + r, w + r * p.workers, mem + f64::from(r) * s.memory())
        })
    } else {
        let r = p.monolith_replicas();
        let memory: f64 = SERVICES.iter().map(|s| s.memory()).sum();
        (r, r * p.workers, f64::from(r) * memory)
    }
}

/// Things to deploy and watch under `p`: each deployable and each
/// database.
pub(super) fn deployables(p: &Params) -> u32 {
    if p.split() {
        let stores = match p.database {
            Database::Shared => 1,
            Database::PerService => {
                SERVICES.iter().filter(|s| s.query().is_some()).count() as u32 + 1
            }
        };
        SERVICES.len() as u32 + stores
    } else {
        2
    }
}
