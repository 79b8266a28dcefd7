//! How fast the kernel handles events: an M/M/1 queue (λ = 0.9, μ = 1.0,
//! exponential gaps and service) run for long enough to handle well over a
//! million events, timed on the wall clock, best of ten (a run lasts tens of
//! milliseconds, so the best of many is the stable figure).
//!
//! Run it with `cargo bench -p archsim-core --bench kernel` (or `cargo xtask
//! bench`, which also runs the same queue in SimPy and compares). It prints
//! machine-readable lines:
//!
//! ```text
//! archsim-kernel mm1 params lambda=0.9 mu=1 seed=42 horizon_secs=700000 warmup_secs=1000 repeats=3
//! archsim-kernel mm1 events=1260123 seconds=0.043 events_per_sec=29305186
//! archsim-kernel mm1 sanity mean_response_secs=9.98 theory_secs=10.00
//! ```
//!
//! An event is one `Model::handle` call (`Simulation::events_handled`): here
//! one arrival or one departure. The run is seeded, so every repetition
//! handles exactly the same events; only the wall time varies.

use archsim_core::{
    Context, Distribution, HistogramId, Model, Shape, SimConfig, SimTime, Simulation,
};
use std::collections::VecDeque;
use std::hint::black_box;
use std::time::{Duration, Instant};

/// Arrival rate λ, customers per second.
const LAMBDA: f64 = 0.9;
/// Service rate μ, customers per second.
const MU: f64 = 1.0;
/// The run's only source of randomness.
const SEED: u64 = 42;
/// Simulated length of a run: about 1.8 events per simulated second, so
/// roughly 1.26 million events.
const HORIZON_SECS: u64 = 700_000;
/// Statistics start here, after the queue has left its empty start.
const WARMUP_SECS: u64 = 1_000;
/// Timed repetitions; the fastest one is reported.
const REPEATS: usize = 10;
/// The least number of events a run must handle to be a fair measurement.
const MIN_EVENTS: u64 = 1_000_000;

/// What happens to the queue.
enum Event {
    /// A customer arrives.
    Arrive,
    /// The customer in service leaves.
    Depart,
}

/// One server, one FIFO queue.
struct MM1 {
    interarrival: Distribution,
    service: Distribution,
    /// Arrival times of the customers present; the front one is in service.
    /// Its length stays near the queue length (mean 9 at ρ = 0.9), so it
    /// stops growing after the first few thousand events.
    present: VecDeque<SimTime>,
    response: HistogramId,
}

impl Model for MM1 {
    type Event = Event;
    type Snapshot = usize;

    fn start(&mut self, cx: &mut Context<'_, Event>) {
        let gap = self.interarrival.sample(cx.rng());
        cx.schedule(gap, Event::Arrive);
    }

    fn handle(&mut self, event: Event, cx: &mut Context<'_, Event>) {
        match event {
            Event::Arrive => {
                self.present.push_back(cx.now());
                if self.present.len() == 1 {
                    let s = self.service.sample(cx.rng());
                    cx.schedule(s, Event::Depart);
                }
                let gap = self.interarrival.sample(cx.rng());
                cx.schedule(gap, Event::Arrive);
            }
            Event::Depart => {
                let arrived = self
                    .present
                    .pop_front()
                    .expect("a departure needs a customer in service");
                cx.observe(self.response, cx.now() - arrived);
                if !self.present.is_empty() {
                    let s = self.service.sample(cx.rng());
                    cx.schedule(s, Event::Depart);
                }
            }
        }
    }

    fn snapshot(&self, _now: SimTime) -> usize {
        self.present.len()
    }
}

/// One full run: events handled, wall time, and the mean response time.
// A benchmark measures wall time on purpose; the simulation itself still runs
// on SimTime only (the ban in clippy.toml is for models, not for timing them).
#[allow(clippy::disallowed_methods)]
fn run_once() -> (u64, Duration, f64) {
    let config = SimConfig {
        seed: SEED,
        warmup: SimTime::from_secs(WARMUP_SECS),
        bucket: SimTime::from_secs(HORIZON_SECS / 100),
    };
    let started = Instant::now();
    let mut sim = Simulation::new(config, |metrics| MM1 {
        interarrival: Distribution::new(Shape::Exponential, 1.0 / LAMBDA, 1.0),
        service: Distribution::new(Shape::Exponential, 1.0 / MU, 1.0),
        present: VecDeque::with_capacity(256),
        response: metrics.histogram("response"),
    });
    sim.run_until(black_box(SimTime::from_secs(HORIZON_SECS)));
    let elapsed = started.elapsed();
    let sim = black_box(sim);
    let mean = sim.metrics().durations(sim.model().response).mean_secs();
    (sim.events_handled(), elapsed, mean)
}

fn main() {
    println!(
        "archsim-kernel mm1 params lambda={LAMBDA} mu={MU} seed={SEED} \
         horizon_secs={HORIZON_SECS} warmup_secs={WARMUP_SECS} repeats={REPEATS}"
    );
    let (events, first, mean) = run_once();
    assert!(
        events >= MIN_EVENTS,
        "only {events} events handled; lengthen HORIZON_SECS"
    );
    let mut best = first;
    for _ in 1..REPEATS {
        let (again, elapsed, _) = run_once();
        assert_eq!(again, events, "a seeded run must repeat exactly");
        best = best.min(elapsed);
    }
    let seconds = best.as_secs_f64();
    println!(
        "archsim-kernel mm1 events={events} seconds={seconds:.6} events_per_sec={:.0}",
        events as f64 / seconds
    );
    let theory = 1.0 / (MU - LAMBDA);
    println!(
        "archsim-kernel mm1 sanity mean_response_secs={mean:.3} theory_secs={theory:.3} (1/(mu-lambda))"
    );
}
