//! # Microservices
//!
//! The same shop, run as one monolith (every function in every replica,
//! calls in-process, one database) or as services — gateway, orders,
//! inventory, payments, shipping, recommendations — each with its own
//! replicas, workers and store, calling each other over a network that
//! takes time and fails. The model demonstrates the request side of the
//! mind-map's *Microservices Architecture* branch:
//!
//! - **scalability**: the service under load scaled alone, against copies
//!   of the whole monolith;
//! - **resilience**: a slow or dead service, and what contains it —
//!   timeouts with fallbacks, circuit breakers, bulkheads — or spreads it:
//!   waiting without timeouts, and retries that keep an overload going
//!   after its cause is gone (a metastable failure), against a retry
//!   budget;
//! - **technology diversity**: a shared database that couples services,
//!   and a runtime that pauses, harming only its own callers;
//! - **complexity**: every hop adds latency and a chance of failure, the
//!   slowest of a fan-out sets the page's time, and a distributed trace
//!   shows where a request spent it;
//! - **distributed transactions**: two-phase commit holding locks and
//!   blocking on a dead coordinator, against a saga's compensations and
//!   the intermediate states it exposes.
//!
//! The delivery side of the branch (release trains, codebase size) is a
//! model of its own, [`crate::delivery`].

mod breaker;
mod model;
mod params;
mod plan;
mod presets;
mod report;
mod resources;
mod textbook;
mod topology;
mod view;

pub use breaker::BreakerState;
pub use model::{Accounting, Event, Microservices};
pub use params::{Architecture, Database, Params, Paused, RetryPolicy, Switch, Transaction};
pub use presets::PRESETS;
pub use report::{Report, Series, ServiceLoad};
pub use topology::{Op, Page, SERVICES, Service};
pub use view::{BreakerView, Carries, DeployableView, Node, Snapshot, Span, StoreView, TraceView};

use crate::catalog::Variants;
use crate::dashboard::{Dashboard, Moment};
use crate::live::{self, Runnable};
use crate::params::ParamError;
use crate::pattern::{About, FaultTarget, Pattern};
use archsim_core::{Metrics, SimTime, Simulation};

/// The pattern, as the catalog, the CLI and its page of the site know it.
pub static PATTERN: Pattern = Pattern::of::<Microservices>(About {
    id: "microservices",
    title: "Microservices",
    mindmap_branch: "Microservices Architecture",
    presets: PRESETS,
    fault_target: Some(FaultTarget {
        noun: "service",
        slow: true,
    }),
    headline: &[
        ("requests", "/requests"),
        ("success", "/success_share"),
        ("checkouts_served", "/checkout_success"),
        ("p50_s", "/latency/p50"),
        ("checkout_p99_s", "/checkout_latency/p99"),
        ("browse_p99_s", "/browse_latency/p99"),
        ("payments_tries_per_checkout", "/payments_per_checkout"),
        ("wasted", "/wasted"),
        ("memory_gb", "/memory_gb"),
        ("orders_per_s", "/order_throughput"),
        ("compensations", "/compensations"),
        ("anomalies", "/anomalies"),
        ("blocked_s", "/blocked_time"),
    ],
    default_variants: Variants {
        key: "architecture",
        values: &["monolith", "microservices"],
    },
    timing: "Latencies run from the user asking for a page to its answer, over every try and retry; pages that failed are counted, not timed, and degraded pages are timed with the rest.",
});

/// A simulation of checked `params`, started and ready to step: what the
/// playground animates.
pub fn simulation(params: &Params, seed: u64) -> Result<Simulation<Microservices>, ParamError> {
    live::simulation(params, seed)
}

/// Run `params` with `seed` to the end and report. `progress` is told the
/// fraction done from time to time.
pub fn run(
    params: &Params,
    seed: u64,
    progress: &mut dyn FnMut(f64),
) -> Result<Report, ParamError> {
    live::run_to_end::<Microservices>(params, seed, progress)
}

/// The shop as the type-erased run drives it.
impl Runnable for Microservices {
    type Params = Params;
    type Report = Report;
    fn new(params: &Params, _seed: u64, metrics: &mut Metrics) -> Self {
        Microservices::new(params, metrics)
    }
    fn span(params: &Params) -> (f64, f64) {
        (params.warmup, params.duration)
    }
    fn params(&self) -> &Params {
        Microservices::params(self)
    }
    fn report(sim: &Simulation<Microservices>) -> Report {
        Report::of(sim)
    }
    fn dashboard(report: &Report, params: &Params) -> Dashboard {
        report.dashboard(params)
    }
    fn moments(&self, now: SimTime) -> Vec<Moment> {
        Microservices::moments(self, now)
    }
    fn requests(sim: &Simulation<Microservices>) -> u64 {
        sim.metrics().total(sim.model().ids.requests)
    }
    fn theory(params: &Params, stat: &str) -> Option<crate::theory::Prediction> {
        textbook::predict(params, stat)
    }
}
