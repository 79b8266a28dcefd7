//! Models, the context they act through, and the simulation that drives them.

use crate::metrics::{CounterId, GaugeId, HistogramId, Metrics};
use crate::queue::EventQueue;
use crate::rng::Rng;
use crate::time::SimTime;

/// A system under simulation, written as a state machine.
///
/// The kernel hands the model one event at a time; the model updates its own
/// state and reacts only through the [`Context`]: scheduling future events,
/// drawing random numbers, recording metrics. It performs no IO and reads no
/// clock, which is what makes every run repeatable.
pub trait Model {
    /// What can happen to the model.
    type Event;
    /// What the UI draws at an instant: node states and messages in flight.
    type Snapshot;

    /// Schedule the first events. Called once, at time zero.
    fn start(&mut self, cx: &mut Context<'_, Self::Event>);

    /// React to one event at `cx.now()`.
    fn handle(&mut self, event: Self::Event, cx: &mut Context<'_, Self::Event>);

    /// The picture of the model at `now` (which may lie between events).
    fn snapshot(&self, now: SimTime) -> Self::Snapshot;
}

/// Independent random streams of one seed, created on first use.
struct Streams {
    seed: u64,
    rngs: Vec<Rng>,
}

impl Streams {
    fn get(&mut self, stream: usize) -> &mut Rng {
        while self.rngs.len() <= stream {
            let next = self.rngs.len() as u64;
            self.rngs.push(Rng::stream(self.seed, next));
        }
        &mut self.rngs[stream]
    }
}

/// What a model may do while it handles an event.
pub struct Context<'a, E> {
    now: SimTime,
    queue: &'a mut EventQueue<E>,
    streams: &'a mut Streams,
    metrics: &'a mut Metrics,
}

impl<E> Context<'_, E> {
    /// The current simulated time.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Schedule `event` to happen `delay` from now.
    pub fn schedule(&mut self, delay: SimTime, event: E) {
        self.queue.push(self.now + delay, event);
    }

    /// Schedule `event` at the absolute time `at` (not before now).
    pub fn schedule_at(&mut self, at: SimTime, event: E) {
        self.queue.push(at.max(self.now), event);
    }

    /// The simulation's main random stream.
    pub fn rng(&mut self) -> &mut Rng {
        self.streams.get(0)
    }

    /// Random stream number `stream` of the simulation's seed. Give each
    /// independent source of randomness its own stream so that changing one
    /// (say, the routing algorithm) leaves the others (the arrivals) intact.
    pub fn stream(&mut self, stream: usize) -> &mut Rng {
        self.streams.get(stream)
    }

    /// Add `n` to a counter.
    pub fn count(&mut self, id: CounterId, n: u64) {
        self.metrics.count(self.now, id, n);
    }

    /// Record one duration.
    pub fn observe(&mut self, id: HistogramId, value: SimTime) {
        self.metrics.observe(self.now, id, value);
    }

    /// Set a gauge.
    pub fn set_gauge(&mut self, id: GaugeId, value: f64) {
        self.metrics.set_gauge(self.now, id, value);
    }

    /// Add to a gauge (negative to subtract).
    pub fn add_gauge(&mut self, id: GaugeId, delta: f64) {
        self.metrics.add_gauge(self.now, id, delta);
    }
}

/// How a run is set up: its seed and how its metrics are windowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SimConfig {
    /// The only source of randomness.
    pub seed: u64,
    /// Statistics ignore what happens before this time.
    pub warmup: SimTime,
    /// Width of one point in the time-series charts.
    pub bucket: SimTime,
}

/// How many events one instant may hold before the kernel calls the run
/// stalled. A model whose event reschedules itself with no delay (a period
/// that rounded to zero ticks, say) would otherwise hold the clock still
/// and never end; a real burst at one instant is thousands of events, not a
/// million.
pub const MAX_EVENTS_AT_ONE_INSTANT: u64 = 1_000_000;

/// Why a run stopped early: time stopped moving.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stall {
    /// The instant the clock stood at.
    pub at: SimTime,
}

impl std::fmt::Display for Stall {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the clock stood still at t = {}: more than {MAX_EVENTS_AT_ONE_INSTANT} events \
             happened at that instant without time moving on (is a time setting too small to \
             register?)",
            self.at
        )
    }
}

impl std::error::Error for Stall {}

/// A model, its pending events, its clock, its random streams and its metrics.
pub struct Simulation<M: Model> {
    model: M,
    queue: EventQueue<M::Event>,
    now: SimTime,
    streams: Streams,
    metrics: Metrics,
    handled: u64,
    /// Events handled so far at `now`, to notice a clock that stands still.
    at_this_instant: u64,
    stalled: Option<Stall>,
}

impl<M: Model> Simulation<M> {
    /// Build the model (registering its metrics) and let it schedule its first
    /// events.
    pub fn new(config: SimConfig, build: impl FnOnce(&mut Metrics) -> M) -> Self {
        let mut metrics = Metrics::new(config.warmup, config.bucket);
        let model = build(&mut metrics);
        let mut sim = Simulation {
            model,
            queue: EventQueue::default(),
            now: SimTime::ZERO,
            streams: Streams {
                seed: config.seed,
                rngs: Vec::new(),
            },
            metrics,
            handled: 0,
            at_this_instant: 0,
            stalled: None,
        };
        let mut cx = Context {
            now: SimTime::ZERO,
            queue: &mut sim.queue,
            streams: &mut sim.streams,
            metrics: &mut sim.metrics,
        };
        sim.model.start(&mut cx);
        sim
    }

    /// Handle the next event, advancing the clock to it. Returns `false` when
    /// no event is pending, or when the run has [stalled](Self::stalled).
    pub fn step(&mut self) -> bool {
        let Some(time) = self.queue.peek_time() else {
            return false;
        };
        if time > self.now {
            self.at_this_instant = 0;
        }
        self.at_this_instant += 1;
        if self.at_this_instant > MAX_EVENTS_AT_ONE_INSTANT {
            self.stalled = Some(Stall { at: time });
        }
        if self.stalled.is_some() {
            return false;
        }
        let Some((time, event)) = self.queue.pop() else {
            return false;
        };
        self.now = time;
        self.handled += 1;
        let mut cx = Context {
            now: time,
            queue: &mut self.queue,
            streams: &mut self.streams,
            metrics: &mut self.metrics,
        };
        self.model.handle(event, &mut cx);
        true
    }

    /// Handle every event due at or before `until`, then move the clock to
    /// `until` (if it is later), so snapshots can show the time between events.
    pub fn run_until(&mut self, until: SimTime) {
        self.run_toward(until, u64::MAX);
    }

    /// [`run_until`](Self::run_until) within a budget: handle at most
    /// `max_events` of the events due by `until`. Returns whether it got
    /// there (and moved the clock to `until`); if not, the clock stands at
    /// the last event handled. One call does a whole slice of a frame, so
    /// the loop is compiled with the model's `handle` inlined instead of
    /// being driven one event at a time through a trait object.
    ///
    /// A run that has [stalled](Self::stalled) goes no further: this returns
    /// `true` (there is nothing left to do) with the clock at the stall.
    pub fn run_toward(&mut self, until: SimTime, max_events: u64) -> bool {
        let mut left = max_events;
        while self.queue.peek_time().is_some_and(|t| t <= until) {
            if left == 0 {
                return false;
            }
            left -= 1;
            if !self.step() {
                return true;
            }
        }
        self.now = self.now.max(until);
        true
    }

    /// Whether the run stopped because more than
    /// [`MAX_EVENTS_AT_ONE_INSTANT`] events fell on one instant, and where.
    pub fn stalled(&self) -> Option<Stall> {
        self.stalled
    }

    /// Inject `event` from outside the model (a user killing a server, say)
    /// to happen at the current time, after anything already due now.
    pub fn inject(&mut self, event: M::Event) {
        self.queue.push(self.now, event);
    }

    /// The current simulated time.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// When the next event is due, if any.
    pub fn next_event_time(&self) -> Option<SimTime> {
        self.queue.peek_time()
    }

    /// How many events have been handled.
    pub fn events_handled(&self) -> u64 {
        self.handled
    }

    /// The model, for reading its state.
    pub fn model(&self) -> &M {
        &self.model
    }

    /// What the UI draws now.
    pub fn snapshot(&self) -> M::Snapshot {
        self.model.snapshot(self.now)
    }

    /// Everything measured so far.
    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records the order it sees events in.
    struct Echo {
        seen: Vec<(u64, u32)>,
    }

    impl Model for Echo {
        type Event = u32;
        type Snapshot = usize;

        fn start(&mut self, cx: &mut Context<'_, u32>) {
            cx.schedule(SimTime::from_secs(2), 1);
            cx.schedule(SimTime::from_secs(1), 2);
            cx.schedule(SimTime::from_secs(1), 3);
        }

        fn handle(&mut self, event: u32, cx: &mut Context<'_, u32>) {
            self.seen.push((cx.now().as_micros() / 1_000_000, event));
            if event == 2 {
                cx.schedule(SimTime::ZERO, 4);
            }
        }

        fn snapshot(&self, _now: SimTime) -> usize {
            self.seen.len()
        }
    }

    fn config() -> SimConfig {
        SimConfig {
            seed: 1,
            warmup: SimTime::ZERO,
            bucket: SimTime::from_secs(1),
        }
    }

    #[test]
    fn events_run_in_time_then_fifo_order() {
        let mut sim = Simulation::new(config(), |_| Echo { seen: vec![] });
        sim.run_until(SimTime::from_secs(10));
        assert_eq!(sim.model().seen, vec![(1, 2), (1, 3), (1, 4), (2, 1)]);
        assert_eq!(sim.now(), SimTime::from_secs(10));
        assert_eq!(sim.events_handled(), 4);
        assert!(!sim.step());
    }

    #[test]
    fn run_until_stops_between_events_and_inject_happens_now() {
        let mut sim = Simulation::new(config(), |_| Echo { seen: vec![] });
        sim.run_until(SimTime::from_millis(1500));
        assert_eq!(sim.snapshot(), 3);
        assert_eq!(sim.now(), SimTime::from_millis(1500));
        sim.inject(9);
        assert_eq!(sim.next_event_time(), Some(SimTime::from_millis(1500)));
        sim.step();
        assert_eq!(sim.model().seen.last(), Some(&(1, 9)));
    }

    /// An event that reschedules itself with no delay, for ever.
    struct Spin;

    impl Model for Spin {
        type Event = ();
        type Snapshot = ();

        fn start(&mut self, cx: &mut Context<'_, ()>) {
            cx.schedule(SimTime::from_secs(3), ());
        }

        fn handle(&mut self, (): (), cx: &mut Context<'_, ()>) {
            cx.schedule(SimTime::ZERO, ());
        }

        fn snapshot(&self, _now: SimTime) {}
    }

    #[test]
    fn an_event_loop_at_one_instant_stalls_the_run_instead_of_running_for_ever() {
        let mut sim = Simulation::new(config(), |_| Spin);
        assert!(sim.run_toward(SimTime::from_secs(10), u64::MAX));
        let stall = sim.stalled().expect("the clock stood still at 3 s");
        assert_eq!(stall.at, SimTime::from_secs(3));
        assert_eq!(sim.events_handled(), MAX_EVENTS_AT_ONE_INSTANT);
        assert_eq!(
            sim.now(),
            SimTime::from_secs(3),
            "time does not pass a stall"
        );
        assert!(!sim.step(), "a stalled run takes no more steps");
        assert!(
            stall
                .to_string()
                .starts_with("the clock stood still at t = 3.000000s")
        );
    }

    #[test]
    fn a_run_whose_clock_moves_on_does_not_stall() {
        let mut sim = Simulation::new(config(), |_| Echo { seen: vec![] });
        sim.run_until(SimTime::from_secs(10));
        assert_eq!(sim.stalled(), None);
    }

    #[test]
    fn run_toward_stops_at_its_budget_and_resumes_where_it_stopped() {
        let mut sim = Simulation::new(config(), |_| Echo { seen: vec![] });
        let ten = SimTime::from_secs(10);
        assert!(!sim.run_toward(ten, 2), "four events are due, two allowed");
        assert_eq!(sim.events_handled(), 2);
        assert_eq!(
            sim.now(),
            SimTime::from_secs(1),
            "the clock stands at the last event"
        );
        assert!(sim.run_toward(ten, 2), "the other two fit the next budget");
        assert_eq!(sim.now(), ten);
        assert_eq!(sim.model().seen, vec![(1, 2), (1, 3), (1, 4), (2, 1)]);
    }
}
