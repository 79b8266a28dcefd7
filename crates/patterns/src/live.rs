//! A running experiment of any pattern, behind one type: what the
//! playground steps frame by frame; and the run to the end that
//! [`Experiment::run`] reports as JSON.
//!
//! Each pattern module plugs in by implementing [`Runnable`]: how to build
//! its simulation, how long it runs, how to report it, and what its diagram
//! draws ([`View`]). [`LiveRun`] erases the model type so a page, a CLI or a
//! test can hold runs of different patterns side by side.
//!
//! [`Experiment::run`]: crate::Experiment::run

use crate::dashboard::{Dashboard, Moment};
use crate::params::{ParamError, Scenario, Settings};
use crate::report::chart_bucket;
use crate::theory::Prediction;
use archsim_core::{Metrics, Model, SimConfig, SimTime, Simulation, Stall};
use std::any::Any;

/// What a pattern's diagram draws at one moment: the pattern's own snapshot
/// type, which only that pattern's diagram knows how to read.
pub struct View(Box<dyn Any>);

impl View {
    /// The snapshot, if it is a `T`.
    pub fn get<T: 'static>(&self) -> Option<&T> {
        self.0.downcast_ref()
    }
}

/// What a report must be: serialisable where JSON is asked for (the
/// `json` feature), anything otherwise, so that builds without JSON carry
/// no serialisation code.
#[cfg(feature = "json")]
pub(crate) trait Reportable: serde::Serialize {}
#[cfg(feature = "json")]
impl<T: serde::Serialize> Reportable for T {}
/// What a report must be (see the `json` build).
#[cfg(not(feature = "json"))]
pub(crate) trait Reportable {}
#[cfg(not(feature = "json"))]
impl<T> Reportable for T {}

/// A pattern's model, as the type-erased run sees it: how to build it,
/// how long it runs, how it reports itself and what it says happened.
/// Everything else a run needs (the simulation, the page's dashboard with
/// its moments, the diagram's view) follows from these, here, once.
pub(crate) trait Runnable: Model<Snapshot: 'static> + Sized + 'static {
    /// Its parameters.
    type Params: Scenario;
    /// What a run measured.
    type Report: Reportable;
    /// The model of checked `params` for a run of `seed`, registering its
    /// metrics.
    fn new(params: &Self::Params, seed: u64, metrics: &mut Metrics) -> Self;
    /// The warm-up and the duration of a run of `params`, seconds.
    fn span(params: &Self::Params) -> (f64, f64);
    /// The parameters it was built with.
    fn params(&self) -> &Self::Params;
    /// The report of `sim` as it stands.
    fn report(sim: &Simulation<Self>) -> Self::Report;
    /// What the page shows of `report` besides the diagram (its moments
    /// aside).
    fn dashboard(report: &Self::Report, params: &Self::Params) -> Dashboard;
    /// What the charts mark up to `now`.
    fn moments(&self, now: SimTime) -> Vec<Moment>;
    /// Requests the run has simulated so far (arrivals): one counter, read
    /// without building a report.
    fn requests(sim: &Simulation<Self>) -> u64;
    /// What theory predicts for the headline number labelled `stat` (a
    /// [`crate::Stat::label`]) under `params`; none where the pattern has
    /// no result for that number at all.
    fn theory(params: &Self::Params, stat: &str) -> Option<Prediction> {
        let _ = (params, stat);
        None
    }
}

/// The simulation of `params` (checked here) with `seed`, started and
/// ready to step: what each pattern's `simulation` is.
pub(crate) fn simulation<R: Runnable>(
    params: &R::Params,
    seed: u64,
) -> Result<Simulation<R>, ParamError> {
    let params: R::Params = Settings::of(params).build()?;
    let (warmup, duration) = R::span(&params);
    Ok(Simulation::new(
        sim_config(seed, warmup, duration),
        |metrics| R::new(&params, seed, metrics),
    ))
}

/// When a run of `params` ends.
fn end_of<R: Runnable>(params: &R::Params) -> SimTime {
    SimTime::from_secs_f64(R::span(params).1)
}

/// Run `params` with `seed` to the end and report: what each pattern's
/// `run` is. `progress` is told the fraction done from time to time.
pub(crate) fn run_to_end<R: Runnable>(
    params: &R::Params,
    seed: u64,
    progress: &mut dyn FnMut(f64),
) -> Result<R::Report, ParamError> {
    let mut sim = simulation::<R>(params, seed)?;
    let end = end_of::<R>(params);
    run_in_steps(end, progress, &mut |t| sim.run_until(t));
    match sim.stalled() {
        Some(stall) => Err(ParamError::Stalled(stall)),
        None => Ok(R::report(&sim)),
    }
}

/// [`run_to_end`], as JSON. Generic rather than a method of [`LiveRun`], and
/// only in the `json` build, so that the site carries no serialisation code.
#[cfg(feature = "json")]
pub(crate) fn run_to_json<R: Runnable>(
    params: &R::Params,
    seed: u64,
    progress: &mut dyn FnMut(f64),
) -> Result<serde_json::Value, ParamError> {
    let report = run_to_end::<R>(params, seed, progress)?;
    Ok(serde_json::to_value(report).expect("reports serialize to JSON"))
}

/// The kernel's settings for a run of `duration` seconds with `warmup`
/// left out of the statistics: chart buckets sized to the run.
pub(crate) fn sim_config(seed: u64, warmup: f64, duration: f64) -> SimConfig {
    SimConfig {
        seed,
        warmup: SimTime::from_secs_f64(warmup),
        bucket: SimTime::from_secs_f64(chart_bucket(duration)),
    }
}

/// The object-safe face of a `Simulation` of some [`Runnable`].
trait Running {
    fn step(&mut self) -> bool;
    fn run_until(&mut self, t: SimTime);
    fn run_toward(&mut self, t: SimTime, max_events: u64) -> bool;
    fn now(&self) -> SimTime;
    fn next_event_time(&self) -> Option<SimTime>;
    fn events_handled(&self) -> u64;
    fn stalled(&self) -> Option<Stall>;
    fn warmup(&self) -> SimTime;
    fn view(&self) -> View;
    fn dashboard(&self) -> Dashboard;
    fn requests(&self) -> u64;
}

struct Run<R: Runnable>(Simulation<R>);

impl<R: Runnable> Running for Run<R> {
    fn step(&mut self) -> bool {
        self.0.step()
    }
    fn run_until(&mut self, t: SimTime) {
        self.0.run_until(t);
    }
    fn run_toward(&mut self, t: SimTime, max_events: u64) -> bool {
        self.0.run_toward(t, max_events)
    }
    fn now(&self) -> SimTime {
        self.0.now()
    }
    fn next_event_time(&self) -> Option<SimTime> {
        self.0.next_event_time()
    }
    fn events_handled(&self) -> u64 {
        self.0.events_handled()
    }
    fn stalled(&self) -> Option<Stall> {
        self.0.stalled()
    }
    fn warmup(&self) -> SimTime {
        self.0.metrics().warmup()
    }
    fn view(&self) -> View {
        View(Box::new(self.0.snapshot()))
    }
    fn dashboard(&self) -> Dashboard {
        let model = self.0.model();
        Dashboard {
            moments: model.moments(self.0.now()),
            ..R::dashboard(&R::report(&self.0), model.params())
        }
    }
    fn requests(&self) -> u64 {
        R::requests(&self.0)
    }
}

/// One simulation of any pattern, started and ready to step.
pub struct LiveRun {
    run: Box<dyn Running>,
    end: SimTime,
}

impl LiveRun {
    /// The run of `params` with `seed`.
    pub(crate) fn new<R: Runnable>(params: &R::Params, seed: u64) -> Result<LiveRun, ParamError> {
        Ok(LiveRun {
            run: Box::new(Run::<R>(simulation::<R>(params, seed)?)),
            end: end_of::<R>(params),
        })
    }

    /// Handle the next event, if it happens by the end; false when there is
    /// none.
    pub fn step(&mut self) -> bool {
        if self.next_event_time().is_none_or(|t| t > self.end) {
            return false;
        }
        self.run.step()
    }

    /// Handle every event up to `t` (capped at the end) and stand at it.
    pub fn run_until(&mut self, t: SimTime) {
        self.run.run_until(t.min(self.end));
    }

    /// Handle at most `max_events` of the events up to `t` (capped at the
    /// end); whether it got there and stands at it. What a frame calls: one
    /// call per slice, not one per event.
    pub fn run_toward(&mut self, t: SimTime, max_events: u64) -> bool {
        self.run.run_toward(t.min(self.end), max_events)
    }

    /// Simulated time now.
    pub fn now(&self) -> SimTime {
        self.run.now()
    }

    /// When the next event happens, if any.
    pub fn next_event_time(&self) -> Option<SimTime> {
        self.run.next_event_time()
    }

    /// Events handled so far.
    pub fn events_handled(&self) -> u64 {
        self.run.events_handled()
    }

    /// When the run ends.
    pub fn end(&self) -> SimTime {
        self.end
    }

    /// Whether it has reached its end, or stalled short of it.
    pub fn finished(&self) -> bool {
        self.now() >= self.end || self.stalled().is_some()
    }

    /// Whether the run stopped because its clock stood still, and where.
    pub fn stalled(&self) -> Option<Stall> {
        self.run.stalled()
    }

    /// When its measured window starts: the headline numbers count nothing
    /// before it.
    pub fn warmup(&self) -> SimTime {
        self.run.warmup()
    }

    /// What the diagram draws now.
    pub fn view(&self) -> View {
        self.run.view()
    }

    /// Headline numbers and charts, as measured so far.
    pub fn dashboard(&self) -> Dashboard {
        self.run.dashboard()
    }

    /// Requests simulated so far.
    pub fn requests(&self) -> u64 {
        self.run.requests()
    }
}

/// Advance to `end` in a hundred steps with `run_until`, telling `progress`
/// the fraction done after each: what every "run to the end" shares.
pub(crate) fn run_in_steps(
    end: SimTime,
    progress: &mut dyn FnMut(f64),
    run_until: &mut dyn FnMut(SimTime),
) {
    const STEPS: u64 = 100;
    for i in 1..=STEPS {
        run_until(SimTime::from_micros(end.as_micros() / STEPS * i));
        progress(i as f64 / STEPS as f64);
    }
    run_until(end);
}

#[cfg(test)]
mod tests {
    use crate::Experiment;
    use archsim_core::SimTime;

    #[test]
    fn a_run_never_steps_past_its_end() {
        let mut experiment = Experiment::resolve("lb-distribute").unwrap();
        experiment.set("duration", "2").unwrap();
        experiment.set("warmup", "1").unwrap();
        let mut run = experiment.start().unwrap();
        while run.step() {}
        assert!(
            run.now() <= run.end(),
            "{:?} past {:?}",
            run.now(),
            run.end()
        );
        assert!(
            run.next_event_time().is_some_and(|t| t > run.end()),
            "the model would go on: only the end stops it"
        );
        let handled = run.events_handled();
        assert!(!run.step());
        assert_eq!(run.events_handled(), handled);
        run.run_until(SimTime::from_secs(60));
        assert_eq!(run.now(), SimTime::from_secs(2));
    }

    /// What the speed page and the bench count is what the report counts.
    #[test]
    fn requests_are_the_reports_arrivals() {
        for pattern in crate::all() {
            let mut experiment = Experiment::resolve(pattern.id()).unwrap();
            experiment.set("duration", "3").unwrap();
            experiment.set("warmup", "1").unwrap();
            let mut run = experiment.start().unwrap();
            run.run_until(SimTime::from_secs(3));
            let arrived = run
                .dashboard()
                .stats
                .iter()
                .find(|s| s.label == "arrived")
                .and_then(|s| s.value);
            assert!(run.requests() > 0, "{pattern}");
            if let Some(arrived) = arrived {
                assert_eq!(run.requests() as f64, arrived, "{pattern}");
            }
        }
    }
}
