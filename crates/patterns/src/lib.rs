//! # archsim-patterns: the architecture patterns, as models you can run
//!
//! One module per pattern. Each has a parameter struct with defaults and a
//! table of [`ParamSpec`]s (names, units, allowed ranges), a model built on
//! [`archsim_core`], a snapshot for the diagram and a report. The
//! [`catalog`] names presets — one per claim of the mind-map — which the
//! CLI, the playground's URLs and the book all point at.
//!
//! [`Experiment`] is the type-erased face of all of that: pick a pattern or a
//! preset, set parameters from text, run, get a JSON report. It is what the
//! CLI and the tests drive.
//!
//! ```
//! use archsim_patterns::Experiment;
//!
//! let mut exp = Experiment::resolve("load-balancing").unwrap();
//! exp.set("backends", "3").unwrap();
//! exp.set("duration", "5").unwrap();
//! exp.set("warmup", "1").unwrap();
//! let report = exp.run(&mut |_| {}).unwrap();
//! assert_eq!(report["pattern"], "load-balancing");
//! assert!(report["metrics"]["completed"].as_u64().unwrap() > 0);
//!
//! // Mistakes name the key, the value and what is allowed.
//! let err = exp.set("backends", "0").unwrap_err();
//! assert_eq!(err.to_string(), "backends=0 is not allowed: backends must be a whole number from 1 to 100");
//! ```

pub mod caching;
pub mod catalog;
pub mod dashboard;
mod experiment;
pub mod fault;
pub mod keyspace;
mod live;
pub mod load_balancing;
mod params;
mod report;
pub mod sharding;
mod share;

pub use catalog::{Preset, Variants};
pub use dashboard::{Dashboard, Panel, Stat, Trace};
pub use experiment::{Experiment, FaultTarget, Headline, Pattern, ResolveError};
pub use live::{LiveRun, View};
pub use params::{ParamError, ParamKind, ParamSpec, Scenario, Settings};
pub use report::{LatencySummary, chart_bucket};
pub use share::Shared;
