//! What a run's page shows beside its diagram: headline numbers and charts,
//! described as data so that the playground, whatever the pattern, draws
//! them with the same components.
//!
//! A pattern's report says *what* to show ([`Dashboard`]); the web app
//! decides *how*. Every number here comes from the run's metrics.

use crate::fault::Fault;
use archsim_core::SimTime;

/// One headline number.
#[derive(Clone, Debug, PartialEq)]
pub struct Stat {
    /// What it is, e.g. "p99 latency".
    pub label: &'static str,
    /// Its value, already in `unit`; none while there is nothing to
    /// measure yet (a resharding's plan before the resharding starts).
    pub value: Option<f64>,
    /// Unit shown after the value: "ms", "%", or "" for a count or a ratio.
    pub unit: &'static str,
    /// Whether it is measured only after the warm-up (a latency, a ratio, a
    /// rate), so that during the warm-up it measures nothing yet; a count
    /// is a running total from the start.
    pub windowed: bool,
    /// The setting it means something only with, if any.
    pub given: Option<Given>,
}

/// A setting a headline number means something only with: "broken
/// sessions" count sessions that sticky sessions would have kept, "lost
/// writes" the writes only write-behind can lose. Elsewhere it is a zero,
/// or a count of nothing anyone asked about, that a reader would take for a
/// finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Given {
    /// The parameter.
    pub key: &'static str,
    /// Whether this run's value of it gives the number its meaning.
    pub holds: bool,
}

/// One line of a chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Trace {
    /// Legend entry.
    pub label: String,
    /// One value per chart bucket (none: nothing to measure in that bucket).
    pub points: Vec<Option<f64>>,
}

/// One chart: lines over simulated time.
#[derive(Clone, Debug, PartialEq)]
pub struct Panel {
    /// Heading.
    pub title: &'static str,
    /// Unit of the y axis.
    pub unit: &'static str,
    /// The lines.
    pub lines: Vec<Trace>,
}

/// Everything the page shows of one run besides its diagram.
#[derive(Clone, Debug, PartialEq)]
pub struct Dashboard {
    /// Start of each chart bucket, seconds.
    pub time: Vec<f64>,
    /// Headline numbers, measured window.
    pub stats: Vec<Stat>,
    /// Charts of a single run.
    pub panels: Vec<Panel>,
    /// Charts when variants are compared: each has one line, which the page
    /// draws once per variant on shared axes.
    pub compared: Vec<Panel>,
    /// What happened so far that the charts should mark, in time order.
    pub moments: Vec<Moment>,
}

/// Something that happened at one instant of a run, which the charts mark
/// so that a change in a line can be read against its cause: a fault, a
/// balancer's verdict on a backend, a resharding starting or ending.
#[derive(Clone, Debug, PartialEq)]
pub struct Moment {
    /// When, seconds.
    pub at: f64,
    /// What, in a few words ("backend 2 down").
    pub what: String,
}

/// Moments a chart marks at most: a flapping health check must not bury
/// the charts in lines.
pub const MAX_MOMENTS: usize = 40;

impl Moment {
    /// `moments` in time order (stable: simultaneous ones keep their
    /// order), at most [`MAX_MOMENTS`]. An insertion sort: the lists are
    /// short and nearly sorted already (each source is in time order), and
    /// it costs the page's bundle far less than the standard library's
    /// sort, which would be compiled once more for this type.
    pub fn in_order(mut moments: Vec<Moment>) -> Vec<Moment> {
        for i in 1..moments.len() {
            let mut j = i;
            while j > 0 && moments[j - 1].at > moments[j].at {
                moments.swap(j - 1, j);
                j -= 1;
            }
        }
        moments.truncate(MAX_MOMENTS);
        moments
    }
}

/// What a model marks as it runs, for the charts, with at most
/// [`MAX_MOMENTS`] kept: a model's own happenings (a leader's death, a
/// rebuild), besides its scheduled faults.
#[derive(Default)]
pub(crate) struct Happenings(Vec<(SimTime, String)>);

impl Happenings {
    /// `what` happened at `at` (later than anything marked before).
    pub(crate) fn mark(&mut self, at: SimTime, what: String) {
        if self.0.len() < MAX_MOMENTS {
            self.0.push((at, what));
        }
    }

    /// What the charts mark up to `now`: the faults of `schedule` (their
    /// nodes called `noun`) and what was marked.
    pub(crate) fn moments(&self, schedule: &[Fault], noun: &str, now: SimTime) -> Vec<Moment> {
        let mut moments = crate::fault::moments(schedule, noun, now);
        moments.extend(
            self.0
                .iter()
                .filter(|(at, _)| *at <= now)
                .map(|(at, what)| Moment {
                    at: at.as_secs_f64(),
                    what: what.clone(),
                }),
        );
        Moment::in_order(moments)
    }
}

impl Trace {
    /// A line with a value in every bucket.
    pub fn full(label: impl Into<String>, points: &[f64]) -> Trace {
        Trace {
            label: label.into(),
            points: points.iter().copied().map(Some).collect(),
        }
    }

    /// A line of durations in seconds, shown in milliseconds.
    pub fn millis(label: impl Into<String>, seconds: &[Option<f64>]) -> Trace {
        Trace {
            label: label.into(),
            points: seconds.iter().map(|v| v.map(|s| s * 1000.0)).collect(),
        }
    }
}

impl Stat {
    /// The same number, meaningful only when parameter `key`'s value in
    /// this run `holds` (see [`Given`]).
    pub fn given(self, key: &'static str, holds: bool) -> Stat {
        Stat {
            given: Some(Given { key, holds }),
            ..self
        }
    }

    /// Whether the page shows it among `runs` (the dashboards of the runs
    /// shown side by side) when the experiment's variants differ in
    /// parameter `varied`: unless no run gives it meaning and the
    /// comparison is not about the setting that would.
    pub fn applies(&self, runs: &[Dashboard], varied: &str) -> bool {
        let Some(given) = self.given else {
            return true;
        };
        given.key == varied
            || runs
                .iter()
                .flat_map(|d| &d.stats)
                .any(|s| s.label == self.label && s.given.is_some_and(|g| g.holds))
    }

    /// The same number once `known`, and none before: a figure of
    /// something that does not exist yet reads as a dash, not a zero.
    pub fn known_once(self, known: bool) -> Stat {
        Stat {
            value: self.value.filter(|_| known),
            ..self
        }
    }

    /// A count of things.
    pub fn count(label: &'static str, n: u64) -> Stat {
        Stat {
            label,
            value: Some(n as f64),
            unit: "",
            windowed: false,
            given: None,
        }
    }

    /// A duration in seconds, shown in milliseconds.
    pub fn millis(label: &'static str, seconds: f64) -> Stat {
        Stat {
            label,
            value: Some(seconds * 1000.0),
            unit: "ms",
            windowed: true,
            given: None,
        }
    }

    /// A fraction of what the measured window saw, shown as a percentage.
    pub fn percent(label: &'static str, fraction: f64) -> Stat {
        Stat {
            label,
            value: Some(fraction * 100.0),
            unit: "%",
            windowed: true,
            given: None,
        }
    }

    /// A plain number of the measured window, such as a ratio.
    pub fn plain(label: &'static str, value: f64) -> Stat {
        Stat {
            label,
            value: Some(value),
            unit: "",
            windowed: true,
            given: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dashboard(stats: Vec<Stat>) -> Dashboard {
        Dashboard {
            time: Vec::new(),
            stats,
            panels: Vec::new(),
            compared: Vec::new(),
            moments: Vec::new(),
        }
    }

    #[test]
    fn a_stat_applies_when_some_run_gives_it_meaning_or_its_setting_is_compared() {
        let broken = |sticky| Stat::count("broken sessions", 7).given("sticky_sessions", sticky);
        let off = dashboard(vec![broken(false), Stat::count("arrived", 9)]);
        let on = dashboard(vec![broken(true)]);
        let alone = std::slice::from_ref(&off);
        assert!(
            !off.stats[0].applies(alone, "backends"),
            "no run has sticky sessions"
        );
        assert!(
            off.stats[1].applies(alone, "backends"),
            "an unconditional stat always applies"
        );
        assert!(
            off.stats[0].applies(alone, "sticky_sessions"),
            "its setting is what varies"
        );
        let both = [off.clone(), on];
        assert!(
            both[0].stats[0].applies(&both, "backends"),
            "another run gives it meaning"
        );
    }

    #[test]
    fn moments_come_in_time_order_and_are_capped() {
        let at = |t: f64, what: &str| Moment {
            at: t,
            what: what.into(),
        };
        let ordered =
            Moment::in_order(vec![at(3.0, "c"), at(1.0, "a"), at(3.0, "d"), at(2.0, "b")]);
        let whats: Vec<&str> = ordered.iter().map(|m| m.what.as_str()).collect();
        assert_eq!(
            whats,
            ["a", "b", "c", "d"],
            "stable for simultaneous moments"
        );
        let many = (0..100).map(|i| at(f64::from(i), "x")).collect();
        assert_eq!(Moment::in_order(many).len(), MAX_MOMENTS);
    }
}
