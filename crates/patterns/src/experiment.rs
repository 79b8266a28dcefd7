//! One experiment, whatever its pattern: resolve a name, set parameters from
//! text, run, and get a JSON report. The CLI and the cross-crate tests drive
//! every pattern through this one door.

use crate::caching;
use crate::catalog::{self, Preset, Variants};
use crate::live::{LiveRun, run_to_json};
use crate::load_balancing;
use crate::params::{ParamError, ParamSpec, Scenario, Settings};
use crate::sharding;
use serde_json::{Value, json};
use std::fmt;

/// The architecture patterns archsim can run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Pattern {
    /// Clients, a balancer and a fleet of backends.
    LoadBalancing,
    /// Clients, a cache cluster and a database.
    Caching,
    /// A table split over database servers behind a query router.
    Sharding,
}

/// A column of a run's headline: a label and where the value sits in the
/// report's `metrics` (a JSON pointer).
pub type Headline = (&'static str, &'static str);

impl Pattern {
    /// Every pattern with a model.
    pub const ALL: [Pattern; 3] = [Pattern::Sharding, Pattern::Caching, Pattern::LoadBalancing];

    /// The name in URLs and on the command line.
    pub const fn id(self) -> &'static str {
        match self {
            Pattern::LoadBalancing => "load-balancing",
            Pattern::Caching => "caching",
            Pattern::Sharding => "sharding",
        }
    }

    /// The title people read.
    pub const fn title(self) -> &'static str {
        match self {
            Pattern::LoadBalancing => "Load Balancing",
            Pattern::Caching => "Distributed Caching",
            Pattern::Sharding => "Database Sharding",
        }
    }

    /// The heading of the pattern's branch in the mind-map.
    pub const fn mindmap_branch(self) -> &'static str {
        match self {
            Pattern::LoadBalancing => "Load Balancing",
            Pattern::Caching => "Caching (Distributed Caching)",
            Pattern::Sharding => "Database Sharding / Partitioning",
        }
    }

    /// Its presets, in the order of its mind-map leaves.
    pub fn presets(self) -> &'static [Preset] {
        match self {
            Pattern::LoadBalancing => load_balancing::PRESETS,
            Pattern::Caching => caching::PRESETS,
            Pattern::Sharding => sharding::PRESETS,
        }
    }

    /// What a person can break in the diagram, if anything: the nodes
    /// named by the pattern's `faults` parameter.
    pub const fn fault_target(self) -> Option<FaultTarget> {
        match self {
            Pattern::LoadBalancing => Some(FaultTarget {
                noun: "backend",
                slow: true,
            }),
            Pattern::Caching => Some(FaultTarget {
                noun: "cache node",
                slow: false,
            }),
            Pattern::Sharding => Some(FaultTarget {
                noun: "shard",
                slow: true,
            }),
        }
    }

    /// The public parameters.
    pub fn specs(self) -> &'static [ParamSpec] {
        match self {
            Pattern::LoadBalancing => load_balancing::Params::SPECS,
            Pattern::Caching => caching::Params::SPECS,
            Pattern::Sharding => sharding::Params::SPECS,
        }
    }

    /// The default parameter values.
    pub fn defaults(self) -> Settings {
        match self {
            Pattern::LoadBalancing => Settings::defaults::<load_balancing::Params>(),
            Pattern::Caching => Settings::defaults::<caching::Params>(),
            Pattern::Sharding => Settings::defaults::<sharding::Params>(),
        }
    }

    /// The numbers worth a column when runs are listed side by side.
    pub fn headline(self) -> &'static [Headline] {
        match self {
            Pattern::LoadBalancing => &[
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
            Pattern::Caching => &[
                ("arrived", "/arrived"),
                ("completed", "/completed"),
                ("rejected", "/rejected"),
                ("failed", "/failed"),
                ("hit_ratio", "/hit_ratio"),
                ("stale_fraction", "/stale_fraction"),
                ("db_load/s", "/db_load"),
                ("db_peak/s", "/db_peak_load"),
                ("mean_s", "/latency/mean"),
                ("p50_s", "/latency/p50"),
                ("p99_s", "/latency/p99"),
                ("evictions", "/evictions"),
                ("lost_writes", "/lost_writes"),
            ],
            Pattern::Sharding => &[
                ("arrived", "/arrived"),
                ("completed", "/completed"),
                ("rejected", "/rejected"),
                ("failed", "/failed"),
                ("throughput/s", "/throughput"),
                ("single_p50_s", "/latency/single_shard/p50"),
                ("single_p99_s", "/latency/single_shard/p99"),
                ("scatter_p50_s", "/latency/scatter_gather/p50"),
                ("scatter_p99_s", "/latency/scatter_gather/p99"),
                ("hot_shard_p99_s", "/latency/hot_shard_p99"),
                ("imbalance", "/load_imbalance"),
                ("requests/query", "/requests_per_query"),
                ("moved", "/moved_fraction"),
                ("unavailable", "/peak_unavailable"),
            ],
        }
    }

    /// Check `settings` as parameters of this pattern.
    pub fn validate(self, settings: &Settings) -> Result<(), ParamError> {
        match self {
            Pattern::LoadBalancing => settings.build::<load_balancing::Params>().map(drop),
            Pattern::Caching => settings.build::<caching::Params>().map(drop),
            Pattern::Sharding => settings.build::<sharding::Params>().map(drop),
        }
    }

    /// What to compare side by side when no preset says otherwise.
    pub const fn default_variants(self) -> Variants {
        match self {
            Pattern::LoadBalancing => Variants {
                key: "algorithm",
                values: &["round_robin", "least_connections", "power_of_two"],
            },
            Pattern::Caching => Variants {
                key: "policy",
                values: &["lru", "lfu", "s3_fifo"],
            },
            Pattern::Sharding => Variants {
                key: "strategy",
                values: &["mod_n", "range", "consistent_hashing"],
            },
        }
    }

    /// The pattern called `id`.
    pub fn from_id(id: &str) -> Option<Pattern> {
        Pattern::ALL.into_iter().find(|p| p.id() == id)
    }

    /// Run checked `settings` with `seed` to the end; the report as JSON.
    fn run(
        self,
        settings: &Settings,
        seed: u64,
        progress: &mut dyn FnMut(f64),
    ) -> Result<Value, ParamError> {
        match self {
            Pattern::LoadBalancing => {
                run_to_json::<load_balancing::Kind>(&settings.build()?, seed, progress)
            }
            Pattern::Caching => run_to_json::<caching::Kind>(&settings.build()?, seed, progress),
            Pattern::Sharding => run_to_json::<sharding::Kind>(&settings.build()?, seed, progress),
        }
    }

    /// A run of checked `settings` with `seed`, ready to step.
    fn start(self, settings: &Settings, seed: u64) -> Result<LiveRun, ParamError> {
        match self {
            Pattern::LoadBalancing => {
                LiveRun::new::<load_balancing::Kind>(&settings.build()?, seed)
            }
            Pattern::Caching => LiveRun::new::<caching::Kind>(&settings.build()?, seed),
            Pattern::Sharding => LiveRun::new::<sharding::Kind>(&settings.build()?, seed),
        }
    }
}

/// The nodes a person can break by hand, through the `faults` parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FaultTarget {
    /// What a node is called: "backend", "cache node", "shard".
    pub noun: &'static str,
    /// Whether a node can be slowed as well as killed and recovered.
    pub slow: bool,
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A name that is neither a pattern nor a preset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolveError {
    /// The name given.
    pub name: String,
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let patterns: Vec<&str> = Pattern::ALL.iter().map(|p| p.id()).collect();
        let presets: Vec<&str> = catalog::all().map(|p| p.id).collect();
        write!(
            f,
            "unknown pattern or preset '{}': patterns are {}; presets are {}",
            self.name,
            patterns.join(", "),
            presets.join(", ")
        )
    }
}

impl std::error::Error for ResolveError {}

/// A pattern with parameter values and a seed, perhaps from a preset.
#[derive(Clone, Debug)]
pub struct Experiment {
    pattern: Pattern,
    preset: Option<&'static Preset>,
    settings: Settings,
    seed: u64,
}

/// Seed of a plain pattern run (presets carry their own).
const DEFAULT_SEED: u64 = 1;

impl Experiment {
    /// The experiment named `name`: a pattern id (its defaults) or a preset
    /// id (the pattern's defaults with the preset's values and seed).
    pub fn resolve(name: &str) -> Result<Experiment, ResolveError> {
        if let Some(pattern) = Pattern::from_id(name) {
            return Ok(Experiment {
                pattern,
                preset: None,
                settings: pattern.defaults(),
                seed: DEFAULT_SEED,
            });
        }
        let preset = catalog::find(name).ok_or_else(|| ResolveError {
            name: name.to_owned(),
        })?;
        Ok(Experiment::from_preset(preset))
    }

    /// The experiment a preset describes.
    pub fn from_preset(preset: &'static Preset) -> Experiment {
        let mut settings = preset.pattern.defaults();
        for (key, value) in preset.params {
            // The catalog's own test checks every preset value is valid.
            settings
                .set(key, value)
                .unwrap_or_else(|e| panic!("preset {}: {e}", preset.id));
        }
        Experiment {
            pattern: preset.pattern,
            preset: Some(preset),
            settings,
            seed: preset.seed,
        }
    }

    /// The pattern.
    pub fn pattern(&self) -> Pattern {
        self.pattern
    }

    /// The preset it came from, if any.
    pub fn preset(&self) -> Option<&'static Preset> {
        self.preset
    }

    /// The parameter values.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Use another seed.
    pub fn set_seed(&mut self, seed: u64) {
        self.seed = seed;
    }

    /// Set one parameter from text.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), ParamError> {
        self.settings.set(key, value)
    }

    /// Run to the end and report as JSON: `pattern`, `preset` (or null),
    /// `seed`, `params` (the effective values) and `metrics`.
    pub fn run(&self, progress: &mut dyn FnMut(f64)) -> Result<Value, ParamError> {
        let metrics = self.pattern.run(&self.settings, self.seed, progress)?;
        Ok(json!({
            "pattern": self.pattern.id(),
            "preset": self.preset.map(|p| p.id),
            "seed": self.seed,
            "params": self.settings.to_json(),
            "metrics": metrics,
        }))
    }

    /// Run once per value of `key`, all on the same seed — hence the same
    /// arrivals — and report each. `progress` sees the fraction of all runs.
    pub fn compare(
        &self,
        key: &str,
        values: &[&str],
        progress: &mut dyn FnMut(f64),
    ) -> Result<Vec<Value>, ParamError> {
        // Check every variant before running any, so a typo in the last one
        // does not waste the time of the first.
        let variants = values
            .iter()
            .map(|v| {
                let mut variant = self.clone();
                variant.set(key, v)?;
                self.pattern.validate(&variant.settings)?;
                Ok(variant)
            })
            .collect::<Result<Vec<_>, ParamError>>()?;
        let n = variants.len() as f64;
        variants
            .iter()
            .enumerate()
            .map(|(i, variant)| variant.run(&mut |f| progress((i as f64 + f) / n)))
            .collect()
    }

    /// The run, ready to step: what the playground animates.
    pub fn start(&self) -> Result<LiveRun, ParamError> {
        self.pattern.start(&self.settings, self.seed)
    }

    /// Check the parameter values without running.
    pub fn validate(&self) -> Result<(), ParamError> {
        self.pattern.validate(&self.settings)
    }
}
