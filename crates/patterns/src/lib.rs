//! # archsim-patterns: the architecture patterns, as models you can run
//!
//! One module per pattern. Each has a parameter struct with defaults and a
//! table of [`ParamSpec`]s (names, units, allowed ranges), a model built on
//! [`archsim_core`], a snapshot for the diagram and a report. The
//! [`catalog`] names presets — one per claim of the mind-map — which the
//! CLI, the playground's URLs and the book all point at.
//!
//! Mechanisms more than one pattern is built on live beside them: the
//! [`keyspace`] placements that caching and sharding share, and the
//! [`event_log`] (topics, partitions, consumer groups) that event-driven
//! architecture and CQRS are to share.
//!
//! Patterns are registered, not matched: each module exports one
//! [`Pattern`] descriptor, and [`all`] lists them. Native code (the CLI,
//! the book, the tests) uses the list; a page of the web site names only
//! its own pattern, so its bundle carries only that model.
//!
//! [`Experiment`] is the type-erased face of all of that: pick a pattern or a
//! preset, set parameters from text, run, get a JSON report (with the
//! `json` feature, which the CLI, the book and the tests turn on; the
//! site's bundles carry no serialisation code). It is what the CLI and the
//! tests drive.
//!
//! ```
//! use archsim_patterns::Experiment;
//!
//! let mut exp = Experiment::resolve("load-balancing").unwrap();
//! exp.set("backends", "3").unwrap();
//! exp.set("duration", "5").unwrap();
//! exp.set("warmup", "1").unwrap();
//! # #[cfg(feature = "json")] {
//! let report = exp.run(&mut |_| {}).unwrap();
//! assert_eq!(report["pattern"], "load-balancing");
//! assert!(report["metrics"]["completed"].as_u64().unwrap() > 0);
//! # }
//!
//! // Mistakes name the key, the value and what is allowed.
//! let err = exp.set("backends", "0").unwrap_err();
//! assert_eq!(err.to_string(), "backends=0 is not allowed: backends must be a whole number from 1 to 100");
//! ```

pub mod caching;
pub mod catalog;
pub mod cqrs;
pub mod dashboard;
pub mod delivery;
pub mod event_driven;
pub mod event_log;
mod experiment;
pub mod fault;
pub mod interval;
pub mod keyspace;
mod live;
pub mod load_balancing;
pub mod microservices;
mod params;
mod pattern;
mod report;
pub mod sharding;
mod share;
pub mod sweep;
pub mod theory;
mod wire;

pub use catalog::{Preset, Variants};
pub use dashboard::{Dashboard, Moment, Panel, Stat, Trace};
pub use experiment::{Experiment, ResolveError};
pub use live::{LiveRun, View};
pub use params::{
    Field, Named, ParamError, ParamKind, ParamSpec, Scenario, Settings, Value, seconds_per_unit,
};
pub use pattern::{About, FaultTarget, Headline, Pattern};
pub use report::{LatencySummary, chart_bucket};
pub use share::Shared;

/// Every pattern with a model, in the order of the mind-map's branches.
/// A pattern is added here and nowhere else outside its module; the
/// catalog's test fails for a branch of the mind-map that has none.
pub fn all() -> &'static [&'static Pattern] {
    static ALL: [&Pattern; 7] = [
        &microservices::PATTERN,
        &delivery::PATTERN,
        &event_driven::PATTERN,
        &cqrs::PATTERN,
        &sharding::PATTERN,
        &caching::PATTERN,
        &load_balancing::PATTERN,
    ];
    &ALL
}
