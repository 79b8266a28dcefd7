//! A pattern, described once: what it is called, where it sits in the
//! mind-map, its presets, its parameters and how to run it.
//!
//! Patterns are registered, not matched. Each pattern module exports one
//! [`Pattern`] (a `static PATTERN`), built by [`Pattern::of`] from the
//! module's [`Runnable`]: its parameters, defaults, validation and runs are
//! derived from the model's types rather than written out per pattern.
//! Native code lists every pattern ([`crate::all`]); a page of the web
//! site names only its own, so its bundle carries only that model.

use crate::catalog::{Preset, Variants};
use crate::live::{LiveRun, Runnable};
use crate::params::{ParamError, ParamSpec, Scenario, Settings};
use crate::theory::Prediction;
use std::fmt;

/// A column of a run's headline: a label and where the value sits in the
/// report's `metrics` (a JSON pointer).
pub type Headline = (&'static str, &'static str);

/// What a pattern says of itself: the part of its descriptor that is data.
#[derive(Clone, Copy, Debug)]
pub struct About {
    /// The name in URLs and on the command line.
    pub id: &'static str,
    /// The title people read.
    pub title: &'static str,
    /// The heading of the pattern's branch in the mind-map, word for word.
    pub mindmap_branch: &'static str,
    /// Its presets, in the order of its mind-map leaves.
    pub presets: &'static [Preset],
    /// What a person can break in the diagram, if anything.
    pub fault_target: Option<FaultTarget>,
    /// The numbers worth a column when runs are listed side by side.
    pub headline: &'static [Headline],
    /// What to compare side by side when no preset says otherwise.
    pub default_variants: Variants,
    /// Which requests a latency counts, from when to when, and what
    /// happens to the rest: said beside the numbers, so that nobody reads a
    /// p99 without knowing whether failures are in it.
    pub timing: &'static str,
}

/// A run to the end, as JSON: what `Experiment::run` reports.
#[cfg(feature = "json")]
type RunToJson = fn(&Settings, u64, &mut dyn FnMut(f64)) -> Result<serde_json::Value, ParamError>;

/// One architecture pattern that archsim can run.
pub struct Pattern {
    about: About,
    specs: &'static [ParamSpec],
    defaults: fn() -> Settings,
    validate: fn(&Settings) -> Result<(), ParamError>,
    start: fn(&Settings, u64) -> Result<LiveRun, ParamError>,
    theory: fn(&Settings, &str) -> Option<Prediction>,
    clock_unit: &'static str,
    #[cfg(feature = "json")]
    run: RunToJson,
}

/// The nodes a person can break by hand, through the `faults` parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FaultTarget {
    /// What a node is called: "backend", "cache node", "shard".
    pub noun: &'static str,
    /// Whether a node can be slowed as well as killed and recovered.
    pub slow: bool,
}

fn defaults<R: Runnable>() -> Settings {
    Settings::defaults::<R::Params>()
}

fn validate<R: Runnable>(settings: &Settings) -> Result<(), ParamError> {
    settings.build::<R::Params>().map(drop)
}

fn start<R: Runnable>(settings: &Settings, seed: u64) -> Result<LiveRun, ParamError> {
    LiveRun::new::<R>(&settings.build()?, seed)
}

fn theory<R: Runnable>(settings: &Settings, stat: &str) -> Option<Prediction> {
    R::theory(&settings.build().ok()?, stat)
}

#[cfg(feature = "json")]
fn run<R: Runnable>(
    settings: &Settings,
    seed: u64,
    progress: &mut dyn FnMut(f64),
) -> Result<serde_json::Value, ParamError> {
    crate::live::run_to_json::<R>(&settings.build()?, seed, progress)
}

impl Pattern {
    /// The descriptor of the pattern whose model `R` runs.
    pub(crate) const fn of<R: Runnable>(about: About) -> Pattern {
        Pattern {
            about,
            specs: <R::Params as Scenario>::SPECS,
            defaults: defaults::<R>,
            validate: validate::<R>,
            start: start::<R>,
            theory: theory::<R>,
            clock_unit: "s",
            #[cfg(feature = "json")]
            run: run::<R>,
        }
    }

    /// The same pattern, its clock counting `unit` rather than seconds: a
    /// model of weeks of work counts days. Only the words change: one unit
    /// is one second of the kernel's [`archsim_core::SimTime`], so the
    /// kernel, the charts' buckets and the page's speeds work as ever.
    pub(crate) const fn clocked_in(self, unit: &'static str) -> Pattern {
        Pattern {
            clock_unit: unit,
            ..self
        }
    }

    /// What the pattern says of itself.
    pub fn about(&self) -> &About {
        &self.about
    }

    /// The name in URLs and on the command line.
    pub fn id(&self) -> &'static str {
        self.about.id
    }

    /// The title people read.
    pub fn title(&self) -> &'static str {
        self.about.title
    }

    /// The heading of the pattern's branch in the mind-map.
    pub fn mindmap_branch(&self) -> &'static str {
        self.about.mindmap_branch
    }

    /// What one unit of its clock is, as a page writes it after a time:
    /// "s", or "days" (see [`Pattern::clocked_in`]). Durations, warm-ups,
    /// chart axes and moments are all in it.
    pub fn clock_unit(&self) -> &'static str {
        self.clock_unit
    }

    /// Which requests its latencies count (see [`About::timing`]).
    pub fn timing(&self) -> &'static str {
        self.about.timing
    }

    /// Its presets, in the order of its mind-map leaves.
    pub fn presets(&self) -> &'static [Preset] {
        self.about.presets
    }

    /// The preset of this pattern called `id`.
    pub fn preset(&self, id: &str) -> Option<&'static Preset> {
        self.about.presets.iter().find(|p| p.id == id)
    }

    /// What a person can break in the diagram, if anything.
    pub fn fault_target(&self) -> Option<FaultTarget> {
        self.about.fault_target
    }

    /// The public parameters.
    pub fn specs(&self) -> &'static [ParamSpec] {
        self.specs
    }

    /// The default parameter values.
    pub fn defaults(&self) -> Settings {
        (self.defaults)()
    }

    /// The numbers worth a column when runs are listed side by side.
    pub fn headline(&self) -> &'static [Headline] {
        self.about.headline
    }

    /// What to compare side by side when no preset says otherwise.
    pub fn default_variants(&self) -> Variants {
        self.about.default_variants
    }

    /// Check `settings` as parameters of this pattern.
    pub fn validate(&self, settings: &Settings) -> Result<(), ParamError> {
        (self.validate)(settings)
    }

    /// What theory predicts for the headline number labelled `stat` under
    /// `settings`: none where the pattern has no result for that number
    /// (or the settings are not valid); else the value, or why none of its
    /// results holds for these settings.
    pub fn theory(&self, settings: &Settings, stat: &str) -> Option<Prediction> {
        (self.theory)(settings, stat)
    }

    /// A run of checked `settings` with `seed`, ready to step.
    pub(crate) fn start(&self, settings: &Settings, seed: u64) -> Result<LiveRun, ParamError> {
        (self.start)(settings, seed)
    }

    /// Run checked `settings` with `seed` to the end; the report as JSON.
    #[cfg(feature = "json")]
    pub(crate) fn run(
        &self,
        settings: &Settings,
        seed: u64,
        progress: &mut dyn FnMut(f64),
    ) -> Result<serde_json::Value, ParamError> {
        (self.run)(settings, seed, progress)
    }
}

/// Patterns are one each: the same id is the same pattern.
impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        self.id() == other.id()
    }
}

impl Eq for Pattern {}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pattern({})", self.id())
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}
