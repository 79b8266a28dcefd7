//! Cross-crate checks, one module per concern. Run with `cargo test -p archsim-tests`.

mod caching;
mod catalog;
mod load_balancing;
mod properties;
mod sharding;
mod theory;

use archsim_patterns::load_balancing::{self as lb, Params, Report};
use archsim_patterns::{Scenario, Settings};

/// A pattern's parameters: its defaults with `sets` applied.
fn scenario<P: Scenario>(sets: &[(&str, &str)]) -> P {
    let mut settings = Settings::defaults::<P>();
    for (key, value) in sets {
        settings.set(key, value).unwrap_or_else(|e| panic!("{e}"));
    }
    settings.build().unwrap_or_else(|e| panic!("{e}"))
}

/// Load-balancing parameters: the defaults with `sets` applied.
fn lb_params(sets: &[(&str, &str)]) -> Params {
    scenario(sets)
}

/// Run a load-balancing experiment to the end.
fn lb_run(params: &Params, seed: u64) -> Report {
    lb::run(params, seed, &mut |_| {}).unwrap_or_else(|e| panic!("{e}"))
}
