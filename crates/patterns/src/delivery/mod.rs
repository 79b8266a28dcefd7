//! # Microservices: delivery
//!
//! The software-delivery side of the mind-map's *Microservices
//! Architecture* branch: developers' changes through build, test, merge
//! and deploy. The request side (services, calls, failures) is
//! [`crate::microservices`]; this model demonstrates the branch's two
//! delivery leaves:
//!
//! - **faster development cycles**: a monolith ships on a shared release
//!   train, which a failed integration of any change in it holds, while
//!   services deploy each change through their own pipeline: lead time,
//!   deploy frequency, change failure rate and time to restore side by
//!   side;
//! - **maintainability**: build and test time grows with a codebase's
//!   size, and merge conflicts with the people committing to it: one
//!   large codebase against several small ones.
//!
//! Its clock counts days ([`Pattern::clock_unit`]). Changes, their
//! developers and which of them are bad come from their own random
//! stream, so runs that differ in anything else see the same changes.

mod model;
mod params;
mod presets;
mod report;
mod textbook;
mod view;

pub use model::{Accounting, Delivery, Event};
pub use params::{Architecture, Params};
pub use presets::PRESETS;
pub use report::{Days, Report, Series};
pub use view::{CodebaseView, Snapshot, Stage, TrainView};

use crate::catalog::Variants;
use crate::dashboard::{Dashboard, Moment};
use crate::live::{self, Runnable};
use crate::params::ParamError;
use crate::pattern::{About, Pattern};
use archsim_core::{Metrics, SimTime, Simulation};

/// The pattern, as the catalog, the CLI and its page of the site know it.
pub static PATTERN: Pattern = Pattern::of::<Delivery>(About {
    id: "delivery",
    title: "Microservices: delivery",
    mindmap_branch: "Microservices Architecture",
    presets: PRESETS,
    fault_target: None,
    headline: &[
        ("changes", "/changes"),
        ("deploys", "/deploys"),
        ("lead_mean_days", "/lead_time/mean"),
        ("lead_p50_days", "/lead_time/p50"),
        ("lead_p90_days", "/lead_time/p90"),
        ("deploys_per_day", "/deploys_per_day"),
        ("change_failure_rate", "/change_failure_rate"),
        ("restore_days", "/time_to_restore"),
        ("conflict_share", "/conflict_share"),
        ("build_hours", "/build_hours"),
    ],
    default_variants: Variants {
        key: "architecture",
        values: &["monolith", "microservices"],
    },
    timing: "Lead time runs from a change's commit to its deploy to production, in days; a change that breaks production counts at its first deploy, and the fix's days count in the time to restore.",
})
.clocked_in("days");

/// A simulation of checked `params`, started and ready to step: what the
/// playground animates.
pub fn simulation(params: &Params, seed: u64) -> Result<Simulation<Delivery>, ParamError> {
    live::simulation(params, seed)
}

/// Run `params` with `seed` to the end and report. `progress` is told the
/// fraction done from time to time.
pub fn run(
    params: &Params,
    seed: u64,
    progress: &mut dyn FnMut(f64),
) -> Result<Report, ParamError> {
    live::run_to_end::<Delivery>(params, seed, progress)
}

/// The delivery model as the type-erased run drives it.
impl Runnable for Delivery {
    type Params = Params;
    type Report = Report;
    fn new(params: &Params, _seed: u64, metrics: &mut Metrics) -> Self {
        Delivery::new(params, metrics)
    }
    fn span(params: &Params) -> (f64, f64) {
        (params.warmup, params.duration)
    }
    fn params(&self) -> &Params {
        Delivery::params(self)
    }
    fn report(sim: &Simulation<Delivery>) -> Report {
        Report::of(sim)
    }
    fn dashboard(report: &Report, params: &Params) -> Dashboard {
        report.dashboard(params)
    }
    fn moments(&self, now: SimTime) -> Vec<Moment> {
        Delivery::moments(self, now)
    }
    fn requests(sim: &Simulation<Delivery>) -> u64 {
        sim.metrics().total(sim.model().ids.committed)
    }
    fn theory(params: &Params, stat: &str) -> Option<crate::theory::Prediction> {
        textbook::predict(params, stat)
    }
}
