//! One experiment, whatever its pattern: resolve a name, set parameters from
//! text, run, and get a JSON report. The CLI and the cross-crate tests drive
//! every pattern through this one door; a page of the site drives its own
//! pattern through it.

use crate::catalog::Preset;
use crate::live::LiveRun;
use crate::params::{ParamError, Settings};
use crate::pattern::Pattern;
use std::fmt;

/// A name that is neither a pattern nor a preset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolveError {
    /// The name given.
    pub name: String,
    /// The patterns that were looked in.
    pub patterns: Vec<&'static str>,
    /// Their presets.
    pub presets: Vec<&'static str>,
}

impl ResolveError {
    /// `name` was looked for among `patterns` and their presets.
    pub(crate) fn new(name: &str, patterns: &[&'static Pattern]) -> ResolveError {
        ResolveError {
            name: name.to_owned(),
            patterns: patterns.iter().map(|p| p.id()).collect(),
            presets: patterns
                .iter()
                .flat_map(|p| p.presets())
                .map(|p| p.id)
                .collect(),
        }
    }
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown pattern or preset '{}': patterns are {}; presets are {}",
            self.name,
            self.patterns.join(", "),
            self.presets.join(", ")
        )
    }
}

impl std::error::Error for ResolveError {}

/// A pattern with parameter values and a seed, perhaps from a preset.
#[derive(Clone, Debug)]
pub struct Experiment {
    pattern: &'static Pattern,
    preset: Option<&'static Preset>,
    settings: Settings,
    seed: u64,
}

/// Seed of a plain pattern run (presets carry their own).
const DEFAULT_SEED: u64 = 1;

impl Experiment {
    /// The experiment named `name` among every pattern: a pattern id (its
    /// defaults) or a preset id (the pattern's defaults with the preset's
    /// values and seed).
    pub fn resolve(name: &str) -> Result<Experiment, ResolveError> {
        Experiment::resolve_in(crate::all(), name)
    }

    /// The experiment named `name` among `patterns` only (a page of the
    /// site knows its own pattern and no other).
    pub fn resolve_in(
        patterns: &[&'static Pattern],
        name: &str,
    ) -> Result<Experiment, ResolveError> {
        for &pattern in patterns {
            if pattern.id() == name {
                return Ok(Experiment {
                    pattern,
                    preset: None,
                    settings: pattern.defaults(),
                    seed: DEFAULT_SEED,
                });
            }
            if let Some(preset) = pattern.preset(name) {
                return Ok(Experiment::from_preset(pattern, preset));
            }
        }
        Err(ResolveError::new(name, patterns))
    }

    /// The experiment `preset` (of `pattern`) describes.
    pub fn from_preset(pattern: &'static Pattern, preset: &'static Preset) -> Experiment {
        let mut settings = pattern.defaults();
        for (key, value) in preset.params {
            // The catalog's own test checks every preset value is valid.
            settings
                .set(key, value)
                .unwrap_or_else(|e| panic!("preset {}: {e}", preset.id));
        }
        Experiment {
            pattern,
            preset: Some(preset),
            settings,
            seed: preset.seed,
        }
    }

    /// The pattern.
    pub fn pattern(&self) -> &'static Pattern {
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
    #[cfg(feature = "json")]
    pub fn run(&self, progress: &mut dyn FnMut(f64)) -> Result<serde_json::Value, ParamError> {
        let metrics = self.pattern.run(&self.settings, self.seed, progress)?;
        Ok(serde_json::json!({
            "pattern": self.pattern.id(),
            "preset": self.preset.map(|p| p.id),
            "seed": self.seed,
            "params": self.settings.to_json(),
            "metrics": metrics,
        }))
    }

    /// Run once per value of `key`, all on the same seed — hence the same
    /// arrivals — and report each. `progress` sees the fraction of all runs.
    #[cfg(feature = "json")]
    pub fn compare(
        &self,
        key: &str,
        values: &[&str],
        progress: &mut dyn FnMut(f64),
    ) -> Result<Vec<serde_json::Value>, ParamError> {
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
