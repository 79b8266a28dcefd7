//! Cross-crate checks, one module per concern. Run with `cargo test -p archsim-tests`.

mod caching;
mod catalog;
mod load_balancing;
mod properties;
mod sharding;
mod theory;

use archsim_patterns::Settings;
use archsim_patterns::load_balancing::{self as lb, Params, Report};

/// Load-balancing parameters: the defaults with `sets` applied.
fn lb_params(sets: &[(&str, &str)]) -> Params {
    let mut settings = Settings::defaults::<Params>();
    for (key, value) in sets {
        settings.set(key, value).unwrap_or_else(|e| panic!("{e}"));
    }
    settings.build().unwrap_or_else(|e| panic!("{e}"))
}

/// Run a load-balancing experiment to the end.
fn lb_run(params: &Params, seed: u64) -> Report {
    lb::run(params, seed, &mut |_| {}).unwrap_or_else(|e| panic!("{e}"))
}
