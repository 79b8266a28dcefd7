//! Experiments running live: one simulation per variant, advanced in
//! lockstep, so compared variants always show the same moment.
//!
//! Pure Rust, no browser: the page owns wall-clock time and asks this for
//! "`by` more simulated time", once per animation frame.

use archsim_core::{SimTime, Stall};
use archsim_patterns::{Dashboard, LiveRun, ParamError, Shared, View};

/// One running variant.
pub(crate) struct Run {
    /// The variant as a reader names it ("Coalescing: single flight"), or
    /// empty when not comparing.
    pub(crate) label: String,
    sim: LiveRun,
}

/// The simulations behind one experiment page.
pub(crate) struct Live {
    runs: Vec<Run>,
    end: SimTime,
}

impl Live {
    /// Build the runs `shared` describes: every variant when `compare` is on,
    /// otherwise just the experiment.
    pub(crate) fn new(shared: &Shared, compare: bool) -> Result<Live, ParamError> {
        let (key, values) = &shared.vary;
        let variants: Vec<(String, archsim_patterns::Experiment)> = if compare {
            values
                .iter()
                .map(|v| {
                    let mut e = shared.experiment.clone();
                    e.set(key, v)?;
                    Ok((variant_label(&e, key, v), e))
                })
                .collect::<Result<_, ParamError>>()?
        } else {
            vec![(String::new(), shared.experiment.clone())]
        };
        let mut runs = Vec::with_capacity(variants.len());
        for (label, experiment) in variants {
            runs.push(Run {
                label,
                sim: experiment.start()?,
            });
        }
        // Variants may differ in duration: the page runs until the longest
        // ends, and each run stops at its own end.
        let end = runs
            .iter()
            .map(|r| r.sim.end())
            .max()
            .unwrap_or(SimTime::ZERO);
        Ok(Live { runs, end })
    }

    /// Advance every run towards `target` (capped at the end), handling at
    /// most `budget` events in all, so that one animation frame never
    /// blocks the page. Returns whether every run reached the target.
    pub(crate) fn run_toward(&mut self, target: SimTime, budget: u64) -> bool {
        let target = target.min(self.end);
        let per_run = (budget / self.runs.len() as u64).max(1);
        let mut all_done = true;
        for run in &mut self.runs {
            all_done &= run.sim.run_toward(target, per_run);
        }
        all_done
    }

    /// Jump every run to `t` (capped at the end).
    pub(crate) fn seek(&mut self, t: SimTime) {
        let to = t.min(self.end);
        for run in &mut self.runs {
            run.sim.run_until(to);
        }
    }

    /// Advance to the next event of any run: the smallest step there is.
    pub(crate) fn step(&mut self) {
        let next = self
            .runs
            .iter()
            .filter_map(|r| r.sim.next_event_time().filter(|&t| t <= r.sim.end()))
            .min()
            .unwrap_or(self.end);
        self.seek(next);
    }

    /// The simulated time the runs have reached (a run that ended sooner
    /// stays at its end).
    pub(crate) fn now(&self) -> SimTime {
        self.runs
            .iter()
            .map(|r| r.sim.now())
            .max()
            .unwrap_or(SimTime::ZERO)
    }

    /// When the runs end.
    pub(crate) fn end(&self) -> SimTime {
        self.end
    }

    /// Whether the runs have reached their end (or one stalled: see
    /// [`stalled`](Self::stalled)).
    pub(crate) fn finished(&self) -> bool {
        self.now() >= self.end || self.stalled().is_some()
    }

    /// The first run that stopped because its clock stood still, and where.
    pub(crate) fn stalled(&self) -> Option<Stall> {
        self.runs.iter().find_map(|r| r.sim.stalled())
    }

    /// The runs.
    pub(crate) fn runs(&self) -> &[Run] {
        &self.runs
    }
}

/// A variant's name: the parameter's label and the value as the form shows
/// it ("Coalescing: single flight", "Backends: 4", "TTL: 30 s").
fn variant_label(experiment: &archsim_patterns::Experiment, key: &str, value: &str) -> String {
    let specs = experiment.pattern().specs();
    match specs.iter().find(|s| s.key == key) {
        Some(spec) if spec.unit.is_empty() => {
            format!("{}: {}", spec.label, value.replace('_', " "))
        }
        Some(spec) => format!("{}: {} {}", spec.label, value.replace('_', " "), spec.unit),
        None => format!("{key}={value}"),
    }
}

impl Run {
    /// When the run ended (reached its end or stalled), once it has.
    pub(crate) fn ended_at(&self) -> Option<SimTime> {
        self.sim.finished().then(|| self.sim.now())
    }

    /// Until when the run is still warming up (its headline numbers measure
    /// nothing yet), if it is.
    pub(crate) fn warming_up_until(&self) -> Option<SimTime> {
        let warmup = self.sim.warmup();
        (self.sim.now() < warmup).then_some(warmup)
    }

    /// What the diagram draws now.
    pub(crate) fn view(&self) -> View {
        self.sim.view()
    }

    /// Headline numbers and charts so far.
    pub(crate) fn dashboard(&self) -> Dashboard {
        self.sim.dashboard()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_advance_in_lockstep_and_stop_at_the_end() {
        let shared = Shared::open("lb-server-load").unwrap();
        let mut live = Live::new(&shared, true).unwrap();
        assert_eq!(live.runs().len(), 6);
        assert_eq!(live.runs()[0].label, "Algorithm: round robin");
        assert!(live.run_toward(SimTime::from_secs(5), u64::MAX));
        assert!(
            live.runs()
                .iter()
                .all(|r| r.sim.now() == SimTime::from_secs(5))
        );
        // The first headline number of load balancing is "arrived".
        let arrived: Vec<Option<f64>> = live
            .runs()
            .iter()
            .map(|r| r.dashboard().stats[0].value)
            .collect();
        assert!(
            arrived.windows(2).all(|w| w[0] == w[1]),
            "same arrivals: {arrived:?}"
        );
        // A small budget stops short; repeated frames get there.
        assert!(!live.run_toward(SimTime::from_secs(1_000), 600));
        assert!(!live.finished());
        while !live.run_toward(SimTime::from_secs(1_000), 100_000) {}
        assert!(live.finished());
        assert_eq!(live.now(), SimTime::from_secs(60));
    }

    #[test]
    fn variants_of_different_durations_each_stop_at_their_own_end() {
        let (shared, problems) =
            Shared::decode("lb-distribute", "vary=duration:10,20&compare=true").unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        let mut live = Live::new(&shared, true).unwrap();
        assert_eq!(live.end(), SimTime::from_secs(20), "the longest run's end");
        while !live.run_toward(SimTime::from_secs(1_000), 100_000) {}
        let ends: Vec<SimTime> = live.runs().iter().map(|r| r.sim.now()).collect();
        assert_eq!(ends, [SimTime::from_secs(10), SimTime::from_secs(20)]);
        assert!(live.finished());
        // Stepping a finished run handles nothing past its end.
        let mut short = Live::new(&shared, true).unwrap();
        short.seek(SimTime::from_secs(15));
        let before = short.runs()[0].sim.events_handled();
        short.step();
        assert_eq!(short.runs()[0].sim.now(), SimTime::from_secs(10));
        assert_eq!(short.runs()[0].sim.events_handled(), before);
    }

    #[test]
    fn a_step_moves_to_the_next_event_only() {
        let mut live = Live::new(&Shared::open("lb-distribute").unwrap(), false).unwrap();
        assert_eq!(live.runs().len(), 1);
        live.step();
        let first = live.now();
        assert!(first > SimTime::ZERO && first < SimTime::from_millis(100));
        live.step();
        assert!(live.now() > first);
    }

    #[test]
    fn the_same_link_gives_the_same_numbers() {
        let (shared, problems) = Shared::decode("lb-health-checks", "seed=5&backends=5").unwrap();
        assert!(problems.is_empty());
        let run = |s: &Shared| {
            let mut live = Live::new(s, false).unwrap();
            live.seek(SimTime::from_secs(30));
            live.runs()[0].dashboard()
        };
        assert_eq!(run(&shared), run(&shared));
    }
}
