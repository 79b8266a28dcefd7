//! # Load balancing
//!
//! Clients send requests to one balancer in front of a fleet of backends.
//! The model demonstrates each claim of the mind-map's *Load Balancing*
//! branch:
//!
//! - it **distributes traffic** across instances (per-backend counts, load
//!   imbalance);
//! - it **prevents any single server from being overwhelmed** (queues, rejections
//!   and tail latency with one server versus several);
//! - it **routes away from unhealthy instances** once active health checks
//!   notice, so the detection delay is visible as a burst of failures;
//! - **session affinity** keeps a client's requests on the backend that holds
//!   its session, at the cost of broken sessions when that backend dies;
//! - **sophisticated algorithms** (least connections, power of two choices,
//!   peak EWMA, region-aware) beat round robin on heterogeneous or
//!   geographically spread fleets.
//!
//! Backends have a speed, a number of workers and a bounded queue; faults
//! take them down, slow them or bring them back on a schedule or when a
//! person clicks. Arrivals, clients and service demands come from their own
//! random stream, so runs that differ only in the algorithm see identical
//! traffic.

mod balancer;
mod model;
mod params;
mod presets;
mod report;
mod textbook;

pub use model::{BackendView, Event, LoadBalancer, Node, Snapshot};
pub use params::{Algorithm, Params};
pub use presets::PRESETS;
pub use report::{BackendReport, Report, Series};

use crate::catalog::Variants;
use crate::dashboard::{Dashboard, Moment};
use crate::live::{self, Runnable};
use crate::params::ParamError;
use crate::pattern::{About, FaultTarget, Pattern};
use archsim_core::{Metrics, SimTime, Simulation};

/// The pattern, as the catalog, the CLI and its page of the site know it.
pub static PATTERN: Pattern = Pattern::of::<LoadBalancer>(About {
    id: "load-balancing",
    title: "Load Balancing",
    mindmap_branch: "Load Balancing",
    presets: PRESETS,
    fault_target: Some(FaultTarget {
        noun: "backend",
        slow: true,
    }),
    headline: &[
        ("arrived", "/arrived"),
        ("completed", "/completed"),
        ("rejected", "/rejected"),
        ("failed", "/failed"),
        ("timed_out", "/timed_out"),
        ("throughput/s", "/throughput"),
        ("mean_s", "/latency/mean"),
        ("p50_s", "/latency/p50"),
        ("p95_s", "/latency/p95"),
        ("p99_s", "/latency/p99"),
        ("max_s", "/latency/max"),
        ("imbalance", "/load_imbalance"),
        ("broken_sessions", "/broken_sessions"),
    ],
    default_variants: Variants {
        key: "algorithm",
        values: &["round_robin", "least_connections", "power_of_two"],
    },
    timing: "Latencies count the requests served in time, from arrival at the balancer to the reply; rejected, failed and timed-out requests are counted, not timed.",
});

/// A simulation of checked `params`, started and ready to step: what the
/// playground animates.
pub fn simulation(params: &Params, seed: u64) -> Result<Simulation<LoadBalancer>, ParamError> {
    live::simulation(params, seed)
}

/// Run `params` with `seed` to the end and report. `progress` is told the
/// fraction done from time to time.
pub fn run(
    params: &Params,
    seed: u64,
    progress: &mut dyn FnMut(f64),
) -> Result<Report, ParamError> {
    live::run_to_end::<LoadBalancer>(params, seed, progress)
}

/// Load balancing as the type-erased run drives it.
impl Runnable for LoadBalancer {
    type Params = Params;
    type Report = Report;
    fn new(params: &Params, _seed: u64, metrics: &mut Metrics) -> Self {
        LoadBalancer::new(params, metrics)
    }
    fn span(params: &Params) -> (f64, f64) {
        (params.warmup, params.duration)
    }
    fn params(&self) -> &Params {
        LoadBalancer::params(self)
    }
    fn report(sim: &Simulation<LoadBalancer>) -> Report {
        Report::of(sim)
    }
    fn dashboard(report: &Report, params: &Params) -> Dashboard {
        report.dashboard(params)
    }
    fn moments(&self, now: SimTime) -> Vec<Moment> {
        LoadBalancer::moments(self, now)
    }
    fn requests(sim: &Simulation<LoadBalancer>) -> u64 {
        sim.metrics().total(sim.model().ids.arrived)
    }
    fn theory(params: &Params, stat: &str) -> Option<crate::theory::Prediction> {
        textbook::predict(params, stat)
    }
}
