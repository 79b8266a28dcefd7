//! # Event-driven architecture
//!
//! A producer publishes events to a topic held by a set of brokers;
//! services downstream consume it, each as a consumer group sharing the
//! topic's partitions. The model demonstrates each claim and consideration
//! of the mind-map's *Event-Driven Architecture* branch:
//!
//! - **decoupling**: the same events, delivered by synchronous calls or
//!   published, against one service slowed and then killed;
//! - **responsiveness**: events pushed as they are committed, against a
//!   table polled every so often;
//! - **scalability**: consumers in parallel, up to one per partition, and
//!   the pause of a rebalance when one joins or leaves;
//! - **auditability**: the log replayed to rebuild a service's state,
//!   checked against the live state by checksum;
//! - **robust brokers**: replicas, acknowledgements and a minimum in-sync
//!   count, against leaders that die;
//! - **ordering and exactly-once**: money moved between accounts, with
//!   every duplicate, loss, reordering and bounced withdrawal counted;
//! - **harder debugging**: a poison event blocking its partition, a
//!   dead-letter topic, and one event's causal trace.
//!
//! The log itself is [`crate::event_log`], shared with CQRS. Publishing
//! times, accounts and amounts come from their own random stream, so runs
//! that differ in anything else see the same events.

mod broker;
mod ledger;
mod model;
mod params;
mod presets;
mod report;
mod textbook;
mod view;

pub use model::{Accounting, Event, EventDriven};
pub use params::{Acks, Delivery, Integration, Params, PartitionKey};
pub use presets::PRESETS;
pub use report::{Report, Series};
pub use view::{
    BrokerView, ConsumerView, Node, PartitionView, ReplayView, ServiceView, Snapshot, Span,
    SpanKind, Trace,
};

use crate::catalog::Variants;
use crate::dashboard::{Dashboard, Moment};
use crate::live::{self, Runnable};
use crate::params::ParamError;
use crate::pattern::{About, FaultTarget, Pattern};
use archsim_core::{Metrics, SimTime, Simulation};

/// The pattern, as the catalog, the CLI and its page of the site know it.
pub static PATTERN: Pattern = Pattern::of::<EventDriven>(About {
    id: "event-driven",
    title: "Event-Driven Architecture",
    mindmap_branch: "Event-Driven Architecture",
    presets: PRESETS,
    fault_target: Some(FaultTarget {
        noun: "consumer",
        slow: true,
    }),
    headline: &[
        ("sent", "/sent"),
        ("committed", "/committed"),
        ("handled", "/handled"),
        ("throughput/s", "/throughput"),
        ("producer_p99_s", "/producer_latency/p99"),
        ("handled_p50_s", "/handled_latency/p50"),
        ("handled_p99_s", "/handled_latency/p99"),
        ("producer_errors", "/producer_errors"),
        ("lost_writes", "/lost_writes"),
        ("duplicates", "/duplicates"),
        ("lost_events", "/lost_events"),
        ("reordered", "/reordered"),
        ("balance_error", "/balance_error"),
        ("backlog", "/backlog"),
        ("rebuild_time_s", "/rebuild_time"),
        ("state_differences", "/state_differences"),
    ],
    default_variants: Variants {
        key: "integration",
        values: &["synchronous_calls", "events", "polling"],
    },
    timing: "Producer latency runs from sending to the acknowledgement (with acks=none, zero; for synchronous calls, to the last service's answer); publish-to-handled runs from sending to each service's first handling. Refused writes and failed calls are counted, not timed.",
});

/// A simulation of checked `params`, started and ready to step: what the
/// playground animates.
pub fn simulation(params: &Params, seed: u64) -> Result<Simulation<EventDriven>, ParamError> {
    live::simulation(params, seed)
}

/// Run `params` with `seed` to the end and report. `progress` is told the
/// fraction done from time to time.
pub fn run(
    params: &Params,
    seed: u64,
    progress: &mut dyn FnMut(f64),
) -> Result<Report, ParamError> {
    live::run_to_end::<EventDriven>(params, seed, progress)
}

/// Event-driven architecture as the type-erased run drives it.
impl Runnable for EventDriven {
    type Params = Params;
    type Report = Report;
    fn new(params: &Params, _seed: u64, metrics: &mut Metrics) -> Self {
        EventDriven::new(params, metrics)
    }
    fn span(params: &Params) -> (f64, f64) {
        (params.warmup, params.duration)
    }
    fn params(&self) -> &Params {
        EventDriven::params(self)
    }
    fn report(sim: &Simulation<EventDriven>) -> Report {
        Report::of(sim)
    }
    fn dashboard(report: &Report, params: &Params) -> Dashboard {
        report.dashboard(params)
    }
    fn moments(&self, now: SimTime) -> Vec<Moment> {
        EventDriven::moments(self, now)
    }
    fn requests(sim: &Simulation<EventDriven>) -> u64 {
        sim.metrics().total(sim.model().ids.sent)
    }
    fn theory(params: &Params, stat: &str) -> Option<crate::theory::Prediction> {
        textbook::predict(params, stat)
    }
}
