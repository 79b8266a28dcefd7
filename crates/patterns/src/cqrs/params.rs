//! The CQRS experiment's public parameters.

use crate::fault::Fault;
use crate::params::{
    Field, ParamError, ParamKind, ParamSpec, Scenario, before_end, fields, float, int,
    logged_within, named, names, warmup_within,
};
use archsim_core::Shape;

/// Where queries are answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "json", serde(rename_all = "snake_case"))]
pub enum Architecture {
    /// One normalized database for commands and queries: a query joins rows.
    SharedModel,
    /// Commands on the normalized write model; queries on denormalized
    /// views, kept up to date from the write side's events.
    Cqrs,
}

impl Architecture {
    /// Every architecture, in the order menus show them.
    pub const ALL: [Architecture; 2] = [Architecture::SharedModel, Architecture::Cqrs];

    /// The name used in parameters.
    pub const fn name(self) -> &'static str {
        match self {
            Architecture::SharedModel => "shared_model",
            Architecture::Cqrs => "cqrs",
        }
    }
}

/// What a user who has just written sees when it reads back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "json", serde(rename_all = "snake_case"))]
pub enum Consistency {
    /// Whatever the read model holds: its own write may not be there yet.
    Eventual,
    /// Its own entity read from the write side, with a join.
    ReadYourWrites,
    /// The read waits until the read model has the version its write returned.
    VersionToken,
    /// The views updated in the write's own transaction: never behind.
    Synchronous,
}

impl Consistency {
    /// Every mitigation, in the order menus show them.
    pub const ALL: [Consistency; 4] = [
        Consistency::Eventual,
        Consistency::ReadYourWrites,
        Consistency::VersionToken,
        Consistency::Synchronous,
    ];

    /// The name used in parameters.
    pub const fn name(self) -> &'static str {
        match self {
            Consistency::Eventual => "eventual",
            Consistency::ReadYourWrites => "read_your_writes",
            Consistency::VersionToken => "version_token",
            Consistency::Synchronous => "synchronous",
        }
    }
}

/// Everything a CQRS experiment can change. Times are in seconds.
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    /// Where queries are answered.
    pub architecture: Architecture,
    /// Commands (writes) per second.
    pub write_rate: f64,
    /// Queries per second, besides the writers' own reads back.
    pub read_rate: f64,
    /// Entities written and read.
    pub entities: u32,
    /// Mean seconds a database worker spends on one write.
    pub write_time: f64,
    /// Rows a query joins on the normalized model.
    pub join_rows: u32,
    /// Mean seconds per row joined.
    pub row_time: f64,
    /// Mean seconds of one lookup in a denormalized view.
    pub lookup_time: f64,
    /// Views the projector keeps up to date.
    pub views: u32,
    /// Mean seconds to apply one event to one view.
    pub projection_time: f64,
    /// Shape of projection times.
    pub projection_distribution: Shape,
    /// Coefficient of variation of projection times (lognormal and pareto).
    pub projection_cv: f64,
    /// Read-model replicas.
    pub read_replicas: u32,
    /// Workers of each database (the write store and every replica).
    pub workers: u32,
    /// What a writer reading back its own entity sees.
    pub consistency: Consistency,
    /// Seconds after its acknowledgement a writer reads its entity back.
    pub read_delay: f64,
    /// When the read model is rebuilt from the event log (0: never).
    pub rebuild_at: f64,
    /// Events a rebuild replays per second.
    pub replay_rate: f64,
    /// One-way network delay between clients and databases.
    pub network_delay: f64,
    /// Scheduled read-replica faults, e.g. `20:down:1,40:recover:1`.
    pub faults: String,
    /// Simulated seconds to run.
    pub duration: f64,
    /// Simulated seconds excluded from statistics.
    pub warmup: f64,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            architecture: Architecture::Cqrs,
            write_rate: 50.0,
            read_rate: 200.0,
            entities: 1000,
            write_time: 0.004,
            join_rows: 20,
            row_time: 0.0005,
            lookup_time: 0.001,
            views: 2,
            projection_time: 0.002,
            projection_distribution: Shape::Exponential,
            projection_cv: 2.0,
            read_replicas: 1,
            workers: 4,
            consistency: Consistency::Eventual,
            read_delay: 0.05,
            rebuild_at: 0.0,
            replay_rate: 2000.0,
            network_delay: 0.001,
            faults: String::new(),
            duration: 60.0,
            warmup: 5.0,
        }
    }
}

const ARCHITECTURES: [&str; Architecture::ALL.len()] = names!(Architecture::ALL, name);
const CONSISTENCIES: [&str; Consistency::ALL.len()] = names!(Consistency::ALL, name);
const SHAPES: [&str; Shape::ALL.len()] = names!(Shape::ALL, name);

named!(Architecture => name, Consistency => name);

impl Scenario for Params {
    #[rustfmt::skip]
    const SPECS: &'static [ParamSpec] = &[
        ParamSpec { key: "architecture", label: "Architecture", unit: "", kind: ParamKind::Choice(&ARCHITECTURES), help: "One shared model for commands and queries, or separate write and read models (CQRS)." },
        ParamSpec { key: "write_rate", label: "Write rate", unit: "writes/s", kind: float(0.1, 2_000.0), help: "Commands per second, as a Poisson stream." },
        ParamSpec { key: "read_rate", label: "Read rate", unit: "reads/s", kind: float(0.0, 20_000.0), help: "Queries per second, besides each writer reading its entity back." },
        ParamSpec { key: "entities", label: "Entities", unit: "", kind: int(1, 100_000), help: "Entities written and read, each equally often." },
        ParamSpec { key: "write_time", label: "Write time", unit: "s", kind: float(0.0001, 10.0), help: "Mean seconds a database worker spends on one write." },
        ParamSpec { key: "join_rows", label: "Rows joined", unit: "rows", kind: int(1, 10_000), help: "Rows a query joins on the normalized model." },
        ParamSpec { key: "row_time", label: "Time per row", unit: "s", kind: float(0.00001, 1.0), help: "Mean seconds per row a join touches." },
        ParamSpec { key: "lookup_time", label: "Lookup time", unit: "s", kind: float(0.00001, 10.0), help: "Mean seconds of one lookup in a denormalized view." },
        ParamSpec { key: "views", label: "Views", unit: "", kind: int(1, 20), help: "Denormalized views every event must update." },
        ParamSpec { key: "projection_time", label: "Projection time", unit: "s per view", kind: float(0.00001, 10.0), help: "Mean seconds to apply one event to one view." },
        ParamSpec { key: "projection_distribution", label: "Projection time shape", unit: "", kind: ParamKind::Choice(&SHAPES), help: "Shape of projection times; all have the same mean." },
        ParamSpec { key: "projection_cv", label: "Projection variability", unit: "cv", kind: float(0.1, 10.0), help: "Coefficient of variation for lognormal and pareto projection times." },
        ParamSpec { key: "read_replicas", label: "Read replicas", unit: "", kind: int(1, 16), help: "Copies of the read model that share the queries." },
        ParamSpec { key: "workers", label: "Workers per database", unit: "", kind: int(1, 64), help: "Requests the write store and each read replica serve at once." },
        ParamSpec { key: "consistency", label: "Consistency", unit: "", kind: ParamKind::Choice(&CONSISTENCIES), help: "What a writer reading back its own entity sees, and what it pays for it." },
        ParamSpec { key: "read_delay", label: "Read-back delay", unit: "s", kind: float(0.0, 60.0), help: "Seconds after its write is acknowledged that a writer reads it back." },
        ParamSpec { key: "rebuild_at", label: "Rebuild at", unit: "s", kind: float(0.0, 3_600.0), help: "When the read model is rebuilt by replaying the event log; 0 means never." },
        ParamSpec { key: "replay_rate", label: "Replay rate", unit: "events/s", kind: float(1.0, 1_000_000.0), help: "Events a rebuild replays per second." },
        ParamSpec { key: "network_delay", label: "Network delay", unit: "s one-way", kind: float(0.0, 1.0), help: "One-way delay between clients and databases." },
        ParamSpec { key: "faults", label: "Fault schedule", unit: "", kind: ParamKind::Text { syntax: Fault::SYNTAX, in_words: faults_in_words }, help: "Read replicas that go down, slow down or recover at given times." },
        ParamSpec { key: "duration", label: "Duration", unit: "s", kind: float(1.0, 3_600.0), help: "Simulated seconds to run." },
        ParamSpec { key: "warmup", label: "Warm-up", unit: "s", kind: float(0.0, 3_000.0), help: "Simulated seconds left out of the statistics." },
    ];

    fn fields(&mut self, visit: &mut dyn FnMut(&'static str, &mut dyn Field)) {
        fields!(self, visit: architecture, write_rate, read_rate, entities, write_time, join_rows, row_time, lookup_time, views, projection_time, projection_distribution, projection_cv, read_replicas, workers, consistency, read_delay, rebuild_at, replay_rate, network_delay, faults, duration, warmup);
    }

    fn check(&self) -> Result<(), ParamError> {
        warmup_within(self.warmup, self.duration)?;
        before_end("rebuild_at", self.rebuild_at, self.duration)?;
        logged_within(self.write_rate, "writes", self.duration)?;
        Fault::parse_all(
            &self.faults,
            "read replica",
            self.read_replicas,
            self.duration,
        )?;
        Ok(())
    }
}

impl Params {
    /// The scheduled faults, parsed (valid once [`Scenario::check`] passed).
    pub fn fault_schedule(&self) -> Vec<Fault> {
        Fault::parse_all(
            &self.faults,
            "read replica",
            self.read_replicas,
            self.duration,
        )
        .unwrap_or_default()
    }

    /// Mean seconds a query takes on the normalized model: its join.
    pub fn join_time(&self) -> f64 {
        f64::from(self.join_rows) * self.row_time
    }

    /// Mean seconds to project one event into every view.
    pub fn projection_mean(&self) -> f64 {
        f64::from(self.views) * self.projection_time
    }
}

/// The fault schedule in words, for the form.
fn faults_in_words(text: &str) -> Option<String> {
    crate::fault::in_words(text, "read replica")
}
