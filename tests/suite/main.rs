//! Cross-crate checks, one module per concern. Run with `cargo test -p archsim-tests`.

mod caching;
mod catalog;
mod cqrs;
mod delivery;
mod event_driven;
mod load_balancing;
mod microservices;
mod properties;
mod sharding;
mod theory;

use archsim_patterns::load_balancing::{self as lb, Params, Report};
use archsim_patterns::{Experiment, Scenario, Settings};
use serde_json::Value;

/// The seeds a preset's sentence is checked on: not the preset's own.
const SEEDS: [u64; 3] = [1, 2, 3];

/// A pattern's parameters: its defaults with `sets` applied.
fn scenario<P: Scenario>(sets: &[(&str, &str)]) -> P {
    let mut settings = Settings::defaults::<P>();
    for (key, value) in sets {
        settings.set(key, value).unwrap_or_else(|e| panic!("{e}"));
    }
    settings.build().unwrap_or_else(|e| panic!("{e}"))
}

/// The parameters of preset `id` of a pattern whose parameters are `P`,
/// with `sets` applied over them.
fn preset_scenario<P: Scenario>(id: &str, sets: &[(&str, &str)]) -> P {
    let (_, preset) = archsim_patterns::catalog::find(id).expect("preset exists");
    let all: Vec<(&str, &str)> = preset.params.iter().chain(sets).copied().collect();
    scenario(&all)
}

/// Load-balancing parameters: the defaults with `sets` applied.
fn lb_params(sets: &[(&str, &str)]) -> Params {
    scenario(sets)
}

/// Run a load-balancing experiment to the end.
fn lb_run(params: &Params, seed: u64) -> Report {
    lb::run(params, seed, &mut |_| {}).unwrap_or_else(|e| panic!("{e}"))
}

/// The whole JSON report (`params` and `metrics`) of each variant of
/// `preset`, with `sets` applied, for each of [`SEEDS`].
fn compare_runs_with(preset: &str, sets: &[(&str, &str)]) -> Vec<Vec<Value>> {
    let (pattern, preset) = archsim_patterns::catalog::find(preset).expect("preset exists");
    let variants = preset.compare.expect("preset compares variants");
    SEEDS
        .iter()
        .map(|&seed| {
            let mut exp = Experiment::from_preset(pattern, preset);
            for (key, value) in sets {
                exp.set(key, value).unwrap_or_else(|e| panic!("{e}"));
            }
            exp.set_seed(seed);
            exp.compare(variants.key, variants.values, &mut |_| {})
                .expect("valid preset")
        })
        .collect()
}

/// The metrics of each variant of `preset`, with `sets` applied, for each
/// of [`SEEDS`].
fn compare_with(preset: &str, sets: &[(&str, &str)]) -> Vec<Vec<Value>> {
    compare_runs_with(preset, sets)
        .into_iter()
        .map(|runs| runs.into_iter().map(|r| r["metrics"].clone()).collect())
        .collect()
}

/// The metrics of each variant of `preset`, for each of [`SEEDS`].
fn compare(preset: &str) -> Vec<Vec<Value>> {
    compare_with(preset, &[])
}

/// The number at `pointer` in a report's metrics.
fn num(metrics: &Value, pointer: &str) -> f64 {
    metrics
        .pointer(pointer)
        .and_then(Value::as_f64)
        .unwrap_or_else(|| panic!("{pointer} missing"))
}

/// The values of chart series `name` in the buckets starting in
/// `[from, until)` seconds (buckets without a value left out).
fn window(metrics: &Value, name: &str, from: f64, until: f64) -> Vec<f64> {
    let series = &metrics["series"];
    let time = series["time"].as_array().expect("time");
    let values = series[name].as_array().expect("series");
    time.iter()
        .zip(values)
        .filter(|(t, _)| (from..until).contains(&t.as_f64().unwrap_or(-1.0)))
        .filter_map(|(_, v)| v.as_f64())
        .collect()
}

/// The mean of a sample that is not empty.
fn mean(xs: &[f64]) -> f64 {
    assert!(!xs.is_empty(), "an empty sample");
    xs.iter().sum::<f64>() / xs.len() as f64
}
