//! What a delivery run measured, at the end or at any moment during it.
//! The clock counts days, so every duration here is in days.

use super::model::Delivery;
use super::params::{Architecture, Params};
use crate::dashboard::{Dashboard, Panel, Stat, Trace};
use archsim_core::{Histogram, Simulation};

/// Days from one point of a change's life to another, measured window.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct Days {
    /// Exact mean.
    pub mean: f64,
    /// Median.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
    /// Exact maximum.
    pub max: f64,
}

impl Days {
    fn of(h: &Histogram) -> Self {
        Days {
            mean: h.mean_secs(),
            p50: h.quantile(0.50).as_secs_f64(),
            p90: h.quantile(0.90).as_secs_f64(),
            max: h.max().as_secs_f64(),
        }
    }
}

/// Time series for the live charts: one point per bucket of simulated
/// days, warm-up included.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct Series {
    /// Width of a bucket, in days.
    pub bucket: f64,
    /// Start of each bucket, in days.
    pub time: Vec<f64>,
    /// Deploys per day.
    pub deploys: Vec<f64>,
    /// Changes deployed per day.
    pub deployed: Vec<f64>,
    /// Median lead time of the changes deployed in the bucket.
    pub lead_p50: Vec<Option<f64>>,
    /// 90th-percentile lead time.
    pub lead_p90: Vec<Option<f64>>,
    /// Mean changes in progress: started, not merged.
    pub in_progress: Vec<f64>,
    /// Mean changes merged and waiting for the train.
    pub waiting: Vec<f64>,
}

/// The report of a delivery run.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct Report {
    /// Changes committed.
    pub changes: u64,
    /// Changes merged.
    pub merged: u64,
    /// Changes in production.
    pub deployed: u64,
    /// Deploys to production (a train's batch, or one service's change).
    pub deploys: u64,
    /// Deploys that failed in production and needed a fix.
    pub failed_deploys: u64,
    /// Conflicts found, counting every rework.
    pub conflicts: u64,
    /// Changes that failed integration.
    pub integration_failures: u64,
    /// Trains held for a fix.
    pub held_trains: u64,
    /// Departures skipped because the train before was still held.
    pub skipped_trains: u64,
    /// From commit to production, measured window.
    pub lead_time: Days,
    /// From merge to production on the train (monolith), measured window.
    pub train_wait: Days,
    /// Deploys per day, measured window.
    pub deploys_per_day: f64,
    /// Failed deploys, as a share of deploys, measured window.
    pub change_failure_rate: f64,
    /// Mean days from a failed deploy to its fix deployed, measured window.
    pub time_to_restore: f64,
    /// Changes merged whose first build found a conflict, as a share of
    /// changes merged, measured window.
    pub conflict_share: f64,
    /// Hours one build and test of a codebase takes.
    pub build_hours: f64,
    /// Changes in progress: started, not merged.
    pub in_progress: u64,
    /// For charts.
    pub series: Series,
}

/// A number of days, measured window.
fn days(label: &'static str, value: f64) -> Stat {
    Stat {
        unit: "days",
        ..Stat::plain(label, value)
    }
}

/// A line of days per bucket, none where nothing was measured.
fn days_line(label: &str, points: &[Option<f64>]) -> Trace {
    Trace {
        label: label.to_owned(),
        points: points.to_vec(),
    }
}

impl Report {
    /// What the playground shows of this report.
    pub fn dashboard(&self, params: &Params) -> Dashboard {
        let s = &self.series;
        let monolith = params.architecture == Architecture::Monolith;
        let restored = self.time_to_restore > 0.0;
        let stats = vec![
            Stat::count("changes", self.changes),
            days("lead time", self.lead_time.mean),
            days("lead time p50", self.lead_time.p50),
            days("lead time p90", self.lead_time.p90),
            Stat::plain("deploys per day", self.deploys_per_day),
            Stat::percent("change failure rate", self.change_failure_rate),
            days("time to restore", self.time_to_restore).known_once(restored),
            Stat::percent("changes conflicted", self.conflict_share),
            Stat {
                unit: "h",
                windowed: false,
                ..Stat::plain("build time", self.build_hours)
            },
            Stat::count("trains held", self.held_trains).given("architecture", monolith),
        ];
        Dashboard {
            time: s.time.clone(),
            stats,
            panels: vec![
                Panel {
                    title: "Lead time, commit to production",
                    unit: "days",
                    lines: vec![days_line("p50", &s.lead_p50), days_line("p90", &s.lead_p90)],
                },
                Panel {
                    title: "Deploys",
                    unit: "per day",
                    lines: vec![
                        Trace::full("deploys", &s.deploys),
                        Trace::full("changes deployed", &s.deployed),
                    ],
                },
                Panel {
                    title: "Changes on their way",
                    unit: "changes",
                    lines: vec![
                        Trace::full("in progress", &s.in_progress),
                        Trace::full("waiting for the train", &s.waiting),
                    ],
                },
            ],
            compared: vec![
                Panel {
                    title: "90th-percentile lead time",
                    unit: "days",
                    lines: vec![days_line("lead time p90", &s.lead_p90)],
                },
                Panel {
                    title: "Deploys per day",
                    unit: "per day",
                    lines: vec![Trace::full("deploys", &s.deploys)],
                },
                Panel {
                    title: "Changes in progress",
                    unit: "changes",
                    lines: vec![Trace::full("in progress", &s.in_progress)],
                },
            ],
            moments: Vec::new(),
        }
    }

    /// The report of `sim` as it stands now.
    pub fn of(sim: &Simulation<Delivery>) -> Self {
        let (m, model, now) = (sim.metrics(), sim.model(), sim.now());
        let ids = &model.ids;
        let window = (now - m.warmup()).as_secs_f64();
        let share = |part: u64, whole: u64| {
            if whole > 0 {
                part as f64 / whole as f64
            } else {
                0.0
            }
        };
        let bucket = m.bucket().as_secs_f64();
        let rate = |id| m.per_second(&m.counter_series(id, now), now);
        let deploys = rate(ids.deploys);
        let series = Series {
            bucket,
            time: (0..deploys.len()).map(|i| i as f64 * bucket).collect(),
            deploys,
            deployed: rate(ids.deployed),
            lead_p50: m.quantile_series(ids.lead_time, 0.50, now),
            lead_p90: m.quantile_series(ids.lead_time, 0.90, now),
            in_progress: m.gauge_series(ids.in_progress, now),
            waiting: m.gauge_series(ids.waiting, now),
        };
        let measured_deploys = m.measured(ids.deploys);
        Report {
            changes: m.total(ids.committed),
            merged: m.total(ids.merged),
            deployed: m.total(ids.deployed),
            deploys: m.total(ids.deploys),
            failed_deploys: m.total(ids.failed_deploys),
            conflicts: m.total(ids.conflicts),
            integration_failures: m.total(ids.integration_failures),
            held_trains: m.total(ids.held_trains),
            skipped_trains: m.total(ids.skipped_trains),
            lead_time: Days::of(m.durations(ids.lead_time)),
            train_wait: Days::of(m.durations(ids.train_wait)),
            deploys_per_day: if window > 0.0 {
                measured_deploys as f64 / window
            } else {
                0.0
            },
            change_failure_rate: share(m.measured(ids.failed_deploys), measured_deploys),
            time_to_restore: m.durations(ids.restore_time).mean_secs(),
            conflict_share: share(m.measured(ids.first_conflicts), m.measured(ids.merged)),
            build_hours: model.params().build_days() * 24.0,
            in_progress: m.total(ids.started) - m.total(ids.merged),
            series,
        }
    }
}
