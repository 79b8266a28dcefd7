//! How fast each pattern's model runs natively: the pattern at its default
//! parameters, run to the end, timed on the wall clock, best of five.
//!
//! Run it with `cargo bench -p archsim-patterns --bench models` (or `cargo
//! xtask bench`, which prints it beside the same runs in headless Chromium,
//! measured by the playground's `#/speed` page). One line per pattern:
//!
//! ```text
//! archsim-model load-balancing requests=18000 events=61234 seconds=0.004 requests_per_sec=4500000 events_per_sec=15300000
//! ```
//!
//! A request is what the pattern's report counts as arrived; an event is
//! one `Model::handle` call.

use archsim_patterns::Experiment;
use std::hint::black_box;
use std::time::{Duration, Instant};

/// Timed repetitions; the fastest one is reported.
const REPEATS: usize = 5;

// A benchmark measures wall time on purpose; the models themselves still run
// on SimTime only (the ban in clippy.toml is for models, not for timing them).
#[allow(clippy::disallowed_methods)]
fn main() {
    for pattern in archsim_patterns::all() {
        let experiment = Experiment::resolve(pattern.id()).expect("every pattern resolves");
        let mut best = Duration::MAX;
        let (mut requests, mut events) = (0, 0);
        for _ in 0..REPEATS {
            let started = Instant::now();
            let mut run = experiment.start().expect("defaults are valid");
            let end = run.end();
            run.run_until(end);
            best = best.min(started.elapsed());
            events = run.events_handled();
            requests = black_box(run.requests());
        }
        let seconds = best.as_secs_f64();
        println!(
            "archsim-model {pattern} requests={requests} events={events} seconds={seconds:.4} \
             requests_per_sec={:.0} events_per_sec={:.0}",
            requests as f64 / seconds,
            events as f64 / seconds
        );
    }
}
