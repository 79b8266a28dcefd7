//! # CQRS
//!
//! Command Query Responsibility Segregation: writes go to a normalized
//! write model, which appends each change to an event log; a projector
//! applies the events to denormalized views, held by read replicas that
//! answer the queries. Against it, one shared model serves both, each
//! query a join. The model demonstrates each claim and consideration of
//! the mind-map's *CQRS* branch:
//!
//! - **optimized data models**: a join per query against one lookup, and
//!   the view updates every write then costs;
//! - **independent scaling**: read replicas added without touching the
//!   write side, against one model where reads and writes contend;
//! - **the complexity of two models**: a read model rebuilt by replaying
//!   the log, missing while it is rebuilt;
//! - **eventual consistency**: projection lag, stale reads and missed own
//!   writes counted exactly by version, and three ways to avoid them.
//!
//! The event log is [`crate::event_log`], shared with event-driven
//! architecture. Writes, queries and their entities come from their own
//! random stream, so runs that differ in anything else see the same traffic.

mod model;
mod params;
mod presets;
mod report;
mod textbook;
mod view;

pub use model::{Accounting, Cqrs, Event};
pub use params::{Architecture, Consistency, Params};
pub use presets::PRESETS;
pub use report::{Report, Series};
pub use view::{Carries, Node, ProjectorView, Snapshot, StoreView};

use crate::catalog::Variants;
use crate::dashboard::{Dashboard, Moment};
use crate::live::{self, Runnable};
use crate::params::ParamError;
use crate::pattern::{About, FaultTarget, Pattern};
use archsim_core::{Metrics, SimTime, Simulation};

/// The pattern, as the catalog, the CLI and its page of the site know it.
pub static PATTERN: Pattern = Pattern::of::<Cqrs>(About {
    id: "cqrs",
    title: "CQRS",
    mindmap_branch: "CQRS (Command Query Responsibility Segregation)",
    presets: PRESETS,
    fault_target: Some(FaultTarget {
        noun: "read replica",
        slow: true,
    }),
    headline: &[
        ("writes", "/writes"),
        ("reads", "/reads"),
        ("failed_reads", "/failed_reads"),
        ("write_p99_s", "/write_latency/p99"),
        ("read_p50_s", "/read_latency/p50"),
        ("read_p99_s", "/read_latency/p99"),
        ("lag_p99_s", "/projection_lag/p99"),
        ("stale_share", "/stale_share"),
        ("missed_share", "/missed_share"),
        ("rows_per_read", "/rows_per_read"),
        ("view_updates_per_write", "/view_updates_per_write"),
        ("rebuild_time_s", "/rebuild_time"),
    ],
    default_variants: Variants {
        key: "architecture",
        values: &["shared_model", "cqrs"],
    },
    timing: "Latencies run from the client sending to the answer arriving, network included; a read back that waits for its version token counts the wait. Failed reads are counted, not timed.",
});

/// A simulation of checked `params`, started and ready to step: what the
/// playground animates.
pub fn simulation(params: &Params, seed: u64) -> Result<Simulation<Cqrs>, ParamError> {
    live::simulation(params, seed)
}

/// Run `params` with `seed` to the end and report. `progress` is told the
/// fraction done from time to time.
pub fn run(
    params: &Params,
    seed: u64,
    progress: &mut dyn FnMut(f64),
) -> Result<Report, ParamError> {
    live::run_to_end::<Cqrs>(params, seed, progress)
}

/// CQRS as the type-erased run drives it.
impl Runnable for Cqrs {
    type Params = Params;
    type Report = Report;
    fn new(params: &Params, _seed: u64, metrics: &mut Metrics) -> Self {
        Cqrs::new(params, metrics)
    }
    fn span(params: &Params) -> (f64, f64) {
        (params.warmup, params.duration)
    }
    fn params(&self) -> &Params {
        Cqrs::params(self)
    }
    fn report(sim: &Simulation<Cqrs>) -> Report {
        Report::of(sim)
    }
    fn dashboard(report: &Report, params: &Params) -> Dashboard {
        report.dashboard(params)
    }
    fn moments(&self, now: SimTime) -> Vec<Moment> {
        Cqrs::moments(self, now)
    }
    fn requests(sim: &Simulation<Cqrs>) -> u64 {
        let m = sim.metrics();
        m.total(sim.model().ids.writes) + m.total(sim.model().ids.reads)
    }
    fn theory(params: &Params, stat: &str) -> Option<crate::theory::Prediction> {
        textbook::predict(params, stat)
    }
}
