//! # archsim-core: a deterministic discrete-event simulation kernel
//!
//! Every experiment on archsim — a load balancer, a cache cluster, a sharded
//! database — is a [`Model`]: a state machine that reacts to one event at a
//! time. The [`Simulation`] keeps the clock, pops events in order and hands
//! them to the model through a [`Context`], through which the model schedules
//! what happens next, draws random numbers and records [`metrics`].
//!
//! Three rules make every run repeatable, natively and in the browser:
//!
//! 1. **Integer time.** [`SimTime`] counts microseconds. Events due at the
//!    same microsecond run in the order they were scheduled.
//! 2. **One seed.** All randomness comes from [`Rng`] streams derived from the
//!    run's seed; no wall clock, no OS entropy, no hash-ordered iteration
//!    (a clippy configuration bans them in this crate).
//! 3. **Portable maths.** Logarithms and powers go through `libm`, so a draw
//!    is the same bits on x86 and in wasm.
//!
//! ## A first model: the M/M/1 queue
//!
//! Customers arrive at rate λ and wait for one server that works at rate μ.
//! Queueing theory says the mean time in the system is `1 / (μ − λ)`.
//!
//! ```
//! use archsim_core::{Context, Distribution, HistogramId, Model, Shape, SimConfig, SimTime, Simulation};
//! use std::collections::VecDeque;
//!
//! enum Event { Arrive, Depart }
//!
//! struct MM1 {
//!     interarrival: Distribution,
//!     service: Distribution,
//!     waiting: VecDeque<SimTime>, // arrival times; the front one is in service
//!     latency: HistogramId,
//! }
//!
//! impl Model for MM1 {
//!     type Event = Event;
//!     type Snapshot = usize;
//!
//!     fn start(&mut self, cx: &mut Context<'_, Event>) {
//!         let gap = self.interarrival.sample(cx.rng());
//!         cx.schedule(gap, Event::Arrive);
//!     }
//!
//!     fn handle(&mut self, event: Event, cx: &mut Context<'_, Event>) {
//!         match event {
//!             Event::Arrive => {
//!                 self.waiting.push_back(cx.now());
//!                 if self.waiting.len() == 1 {
//!                     let s = self.service.sample(cx.rng());
//!                     cx.schedule(s, Event::Depart);
//!                 }
//!                 let gap = self.interarrival.sample(cx.rng());
//!                 cx.schedule(gap, Event::Arrive);
//!             }
//!             Event::Depart => {
//!                 let arrived = self.waiting.pop_front().expect("a customer was in service");
//!                 cx.observe(self.latency, cx.now() - arrived);
//!                 if !self.waiting.is_empty() {
//!                     let s = self.service.sample(cx.rng());
//!                     cx.schedule(s, Event::Depart);
//!                 }
//!             }
//!         }
//!     }
//!
//!     fn snapshot(&self, _now: SimTime) -> usize {
//!         self.waiting.len()
//!     }
//! }
//!
//! let (lambda, mu) = (8.0, 10.0);
//! let config = SimConfig {
//!     seed: 7,
//!     warmup: SimTime::from_secs(100),
//!     bucket: SimTime::from_secs(10),
//! };
//! let mut sim = Simulation::new(config, |metrics| MM1 {
//!     interarrival: Distribution::new(Shape::Exponential, 1.0 / lambda, 1.0),
//!     service: Distribution::new(Shape::Exponential, 1.0 / mu, 1.0),
//!     waiting: VecDeque::new(),
//!     latency: metrics.histogram("latency"),
//! });
//! sim.run_until(SimTime::from_secs(20_000));
//!
//! let mean = sim.metrics().durations(sim.model().latency).mean_secs();
//! let theory = 1.0 / (mu - lambda); // 0.5 s
//! assert!((mean - theory).abs() / theory < 0.1, "mean {mean}");
//! ```
//!
//! The same model run twice with the same seed gives the same numbers to the
//! last bit; that property is tested for every model archsim ships.

mod distribution;
mod histogram;
pub mod metrics;
mod queue;
mod rng;
mod sim;
mod snapshot;
mod time;
mod ziggurat;

pub use distribution::{Distribution, Shape};
pub use histogram::Histogram;
pub use metrics::{CounterId, GaugeId, HistogramId, Metrics};
pub use queue::EventQueue;
pub use rng::{Rng, hash64};
pub use sim::{Context, MAX_EVENTS_AT_ONE_INSTANT, Model, SimConfig, Simulation, Stall};
pub use snapshot::{Condition, InFlight};
pub use time::SimTime;
