//! A sweep: one numeric parameter stepped over a range, every variant of an
//! experiment run at every point on the same seeds (hence the same
//! arrivals), and each metric summed up per point as a mean with its 95%
//! interval. These are the curves engineers draw: p99 latency against
//! load per balancing algorithm, hit ratio against cache size per policy.
//!
//! A sweep is planned first ([`Sweep::plan`]), which checks everything a
//! person can get wrong — the parameter, the range, the number of points,
//! the seeds, the variants, every point's settings — before anything runs.
//! It is then a list of independent runs ([`Sweep::runs`], [`Sweep::run`]),
//! so a caller may run them on as many threads as it has, in any order;
//! [`Sweep::curves`] puts their results together in a fixed order, so the
//! output is the same whatever the number of threads. Which metrics a
//! pattern has is read off its first run's report ([`Sweep::check_metrics`]).
//!
//! The planning and the curves carry no JSON: the site's sweep worker
//! runs the same plan and reads a run's headline numbers off its
//! dashboard ([`Sweep::curves_from`]); the CLI and the book read dotted
//! paths of the JSON report (the `json` feature).

use crate::experiment::Experiment;
use crate::interval::{Interval, SAMPLE_SIZES};
use crate::params::{ParamError, ParamKind};
#[cfg(feature = "json")]
use serde_json::Value;
use std::fmt;

/// Points a sweep may have at most: a curve, not a census.
pub const MAX_POINTS: usize = 200;

/// Seeds per point a sweep may have at most: the sizes an [`Interval`]
/// is drawn from (one seed draws a line without a band).
pub const MAX_SEEDS: usize = *SAMPLE_SIZES.end();

/// Seeds per point of a page's sweep unless its link asks for others:
/// enough for a band, few enough for a browser.
pub const PAGE_SEEDS: usize = 3;

/// The parameter a sweep steps and how: `key=from..to:points`, evenly
/// spaced, or spaced by equal ratios when `log`.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    /// The parameter.
    pub key: String,
    /// The first point.
    pub from: f64,
    /// The last point.
    pub to: f64,
    /// How many points, the two ends included.
    pub points: usize,
    /// Equal ratios between points rather than equal steps.
    pub log: bool,
}

/// The points of an axis when `points` is left out.
pub const DEFAULT_POINTS: usize = 10;

impl Axis {
    /// Read `key=from..to` or `key=from..to:points`.
    pub fn parse(text: &str, log: bool) -> Result<Axis, SweepError> {
        let bad = |why: &str| SweepError::Syntax {
            text: text.to_owned(),
            why: why.to_owned(),
        };
        let (key, range) = text.split_once('=').ok_or_else(|| bad("it has no '='"))?;
        let (range, points) = match range.split_once(':') {
            Some((range, points)) => (
                range,
                points
                    .trim()
                    .parse()
                    .map_err(|_| bad("the number of points after ':' is not a whole number"))?,
            ),
            None => (range, DEFAULT_POINTS),
        };
        let (from, to) = range
            .split_once("..")
            .ok_or_else(|| bad("the range has no '..' between its ends"))?;
        let end = |s: &str| {
            s.trim()
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| bad(&format!("'{}' is not a number", s.trim())))
        };
        Ok(Axis {
            key: key.trim().to_owned(),
            from: end(from)?,
            to: end(to)?,
            points,
            log,
        })
    }

    /// The points, as numbers: evenly spaced, or by equal ratios; each to
    /// twelve significant figures, so that 40 + 720 × 11/18 is 480, not
    /// 480.00000000000006.
    fn values(&self) -> Vec<f64> {
        let n = self.points;
        (0..n)
            .map(|i| {
                let t = i as f64 / (n - 1) as f64;
                let x = if self.log {
                    self.from * libm::exp(libm::log(self.to / self.from) * t)
                } else {
                    self.from + (self.to - self.from) * t
                };
                if x == 0.0 {
                    return x;
                }
                let scale = 10f64.powi(11 - libm::log10(x.abs()).floor() as i32);
                (x * scale).round() / scale
            })
            .collect()
    }
}

impl fmt::Display for Axis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}..{}:{}", self.key, self.from, self.to, self.points)
    }
}

/// A sweep that cannot be run as asked: what is wrong, and what is allowed.
#[derive(Clone, Debug, PartialEq)]
pub enum SweepError {
    /// The range is not written `key=from..to[:points]`.
    Syntax {
        /// The text given.
        text: String,
        /// What is wrong with it.
        why: String,
    },
    /// A parameter, or a point's settings, is not allowed.
    Param(ParamError),
    /// The parameter is not a number.
    NotNumeric {
        /// The parameter.
        key: String,
        /// The numeric parameters there are.
        allowed: Vec<&'static str>,
    },
    /// An end of the range is outside the parameter's.
    OutOfRange {
        /// The parameter.
        key: String,
        /// The end given.
        value: f64,
        /// The parameter's range, in words.
        allowed: String,
    },
    /// Too few or too many points.
    Points(usize),
    /// Equal ratios need ends of one sign, neither zero.
    LogThroughZero(Axis),
    /// Too few or too many seeds.
    Seeds(usize),
    /// The variants differ in the parameter swept.
    VariesTwice(String),
    /// A metric no report has, or not as a number.
    UnknownMetric {
        /// The name given.
        name: String,
        /// The numbers a report has, by name.
        allowed: Vec<String>,
    },
    /// No metric was asked for.
    NoMetric,
}

impl fmt::Display for SweepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SweepError::Syntax { text, why } => write!(
                f,
                "'{text}' is not a range: {why}; write KEY=FROM..TO or KEY=FROM..TO:POINTS, e.g. arrival_rate=50..350:13"
            ),
            SweepError::Param(e) => e.fmt(f),
            SweepError::NotNumeric { key, allowed } => write!(
                f,
                "{key} is not a number, and a sweep steps a number: allowed are {}",
                allowed.join(", ")
            ),
            SweepError::OutOfRange {
                key,
                value,
                allowed,
            } => write!(
                f,
                "{key}={value} is outside the range of {key}, which must be {allowed}"
            ),
            SweepError::Points(n) => write!(
                f,
                "{n} points is not allowed: a sweep has from 2 to {MAX_POINTS} points"
            ),
            SweepError::LogThroughZero(axis) => write!(
                f,
                "{axis} cannot be spaced by equal ratios (log): both ends must be above zero"
            ),
            SweepError::Seeds(n) => write!(
                f,
                "{n} seeds is not allowed: a sweep runs from 1 to {MAX_SEEDS} seeds per point (2 or more draw a 95% band)"
            ),
            SweepError::VariesTwice(key) => write!(
                f,
                "the variants differ in {key}, which the sweep steps: sweep another parameter, or compare other variants"
            ),
            SweepError::UnknownMetric { name, allowed } => write!(
                f,
                "unknown metric '{name}': allowed are {}",
                allowed.join(", ")
            ),
            SweepError::NoMetric => write!(f, "a sweep needs a metric, e.g. latency.p99"),
        }
    }
}

impl std::error::Error for SweepError {}

impl From<ParamError> for SweepError {
    fn from(e: ParamError) -> Self {
        SweepError::Param(e)
    }
}

/// The lines a sweep draws: `key` at each of `values`, one run each. No
/// variants draw one line, of the experiment as it is set.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Lines {
    /// The parameter the lines differ in, if any.
    pub key: String,
    /// Its value on each line.
    pub values: Vec<String>,
}

impl Lines {
    /// The lines a sweep of `experiment` along `axis` draws when none are
    /// named: its preset's variants, unless they differ in the parameter
    /// swept; else one line.
    pub fn of_preset(experiment: &Experiment, axis: &Axis) -> Lines {
        match experiment.preset().and_then(|p| p.compare) {
            Some(v) if v.key != axis.key => Lines {
                key: v.key.to_owned(),
                values: v.values.iter().map(|s| s.to_string()).collect(),
            },
            _ => Lines::default(),
        }
    }
}

/// A sweep as a page asks for it, before it is planned: the parameter and
/// its range, the headline numbers to read (by their labels, as the page
/// shows them: `p99 latency`) and the seeds per point. Its lines are the
/// page's variants.
#[derive(Clone, Debug, PartialEq)]
pub struct Asked {
    /// The parameter stepped, and how.
    pub axis: Axis,
    /// The headline numbers read, by label.
    pub metrics: Vec<String>,
    /// Seeds per point.
    pub seeds: usize,
}

impl Asked {
    /// Plan it over `experiment`, one line per value of `vary` (unless the
    /// variants differ in the parameter swept: then one line), checking
    /// that every metric is one of the pattern's headline numbers.
    pub fn plan(
        &self,
        experiment: &Experiment,
        vary: &(String, Vec<String>),
    ) -> Result<Sweep, SweepError> {
        let lines = if vary.0 == self.axis.key || vary.1.is_empty() {
            Lines::default()
        } else {
            Lines {
                key: vary.0.clone(),
                values: vary.1.clone(),
            }
        };
        let sweep = Sweep::plan(
            experiment,
            self.axis.clone(),
            lines,
            self.metrics.clone(),
            self.seeds,
        )?;
        let labels = headline_labels(experiment)?;
        for name in &self.metrics {
            if !labels.contains(&name.as_str()) {
                return Err(SweepError::UnknownMetric {
                    name: name.clone(),
                    allowed: labels.iter().map(|l| l.to_string()).collect(),
                });
            }
        }
        Ok(sweep)
    }
}

/// The labels of `experiment`'s headline numbers, as its dashboard shows
/// them: what a page's sweep can read.
pub fn headline_labels(experiment: &Experiment) -> Result<Vec<&'static str>, ParamError> {
    Ok(experiment
        .start()?
        .dashboard()
        .stats
        .iter()
        .map(|s| s.label)
        .collect())
}

/// One run of a sweep: which point, which line, which seed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunId {
    /// Index of the point.
    pub point: usize,
    /// Index of the line.
    pub line: usize,
    /// Index of the seed.
    pub seed: usize,
}

/// A sweep, planned and checked, ready to run.
#[derive(Clone, Debug)]
pub struct Sweep {
    experiment: Experiment,
    axis: Axis,
    /// Each point's value, as the parameter takes it.
    points: Vec<String>,
    lines: Lines,
    metrics: Vec<String>,
    seeds: Vec<u64>,
}

/// A metric's mean at one point over the seeds, with its 95% interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    /// The parameter's value.
    pub x: f64,
    /// The mean over the seeds.
    pub mean: f64,
    /// Half the width of the 95% interval; none with one seed.
    pub half_width: Option<f64>,
}

/// One metric along the sweep, for one line.
#[derive(Clone, Debug, PartialEq)]
pub struct Curve {
    /// The line's value of the parameter the lines differ in (empty for
    /// the one line of an experiment without variants).
    pub line: String,
    /// The metric.
    pub metric: String,
    /// One per point, in order.
    pub points: Vec<Point>,
}

impl Sweep {
    /// Plan a sweep of `experiment` along `axis`, one line per value of
    /// `lines`, reading `metrics` (dotted paths into the report's metrics,
    /// e.g. `latency.p99`) on `seeds` seeds per point: the experiment's
    /// seed and those after it. Everything is checked before anything
    /// runs, except which metrics the pattern's reports have
    /// ([`Sweep::check_metrics`]).
    pub fn plan(
        experiment: &Experiment,
        axis: Axis,
        lines: Lines,
        metrics: Vec<String>,
        seeds: usize,
    ) -> Result<Sweep, SweepError> {
        let spec = experiment.settings().spec(&axis.key)?;
        let numeric = |k: &ParamKind| matches!(k, ParamKind::Int { .. } | ParamKind::Float { .. });
        let (min, max, whole) = match spec.kind {
            ParamKind::Int { min, max } => (min as f64, max as f64, true),
            ParamKind::Float { min, max } => (min, max, false),
            _ => {
                return Err(SweepError::NotNumeric {
                    key: axis.key,
                    allowed: experiment
                        .pattern()
                        .specs()
                        .iter()
                        .filter(|s| numeric(&s.kind))
                        .map(|s| s.key)
                        .collect(),
                });
            }
        };
        for end in [axis.from, axis.to] {
            if !(min..=max).contains(&end) {
                return Err(SweepError::OutOfRange {
                    key: axis.key,
                    value: end,
                    allowed: spec.kind.to_string(),
                });
            }
        }
        if !(2..=MAX_POINTS).contains(&axis.points) {
            return Err(SweepError::Points(axis.points));
        }
        if axis.log && (axis.from <= 0.0 || axis.to <= 0.0) {
            return Err(SweepError::LogThroughZero(axis));
        }
        if !(1..=MAX_SEEDS).contains(&seeds) {
            return Err(SweepError::Seeds(seeds));
        }
        if metrics.is_empty() {
            return Err(SweepError::NoMetric);
        }
        if lines.key == axis.key {
            return Err(SweepError::VariesTwice(axis.key));
        }
        // A whole-number parameter takes each whole number once: a range
        // narrower than its points has fewer points.
        let mut points: Vec<String> = Vec::new();
        for x in axis.values() {
            let text = if whole {
                format!("{}", x.round())
            } else {
                format!("{x}")
            };
            if !points.contains(&text) {
                points.push(text);
            }
        }
        let sweep = Sweep {
            experiment: experiment.clone(),
            axis,
            points,
            lines,
            metrics,
            seeds: (0..seeds as u64)
                .map(|i| experiment.seed().wrapping_add(i))
                .collect(),
        };
        // Every run's settings are checked now, not when its turn comes.
        for point in 0..sweep.points.len() {
            for line in 0..sweep.line_count() {
                sweep.experiment_at(RunId {
                    point,
                    line,
                    seed: 0,
                })?;
            }
        }
        Ok(sweep)
    }

    /// The parameter swept.
    pub fn axis(&self) -> &Axis {
        &self.axis
    }

    /// The lines.
    pub fn lines(&self) -> &Lines {
        &self.lines
    }

    /// The metrics read at each point.
    pub fn metrics(&self) -> &[String] {
        &self.metrics
    }

    /// The experiment swept.
    pub fn experiment(&self) -> &Experiment {
        &self.experiment
    }

    /// The seeds every point runs.
    pub fn seeds(&self) -> &[u64] {
        &self.seeds
    }

    /// How many lines the sweep draws: one per variant, or one.
    pub fn line_count(&self) -> usize {
        self.lines.values.len().max(1)
    }

    /// Every run of the sweep, in the order [`Sweep::curves`] wants their
    /// results.
    pub fn runs(&self) -> Vec<RunId> {
        let mut runs = Vec::new();
        for point in 0..self.points.len() {
            for line in 0..self.line_count() {
                for seed in 0..self.seeds.len() {
                    runs.push(RunId { point, line, seed });
                }
            }
        }
        runs
    }

    /// What run `id` changes in the experiment, as `key=value` pairs: the
    /// point, and the line's value if there are lines. Its seed is
    /// `seeds()[id.seed]`.
    pub fn changes(&self, id: RunId) -> Vec<(String, String)> {
        let point = (self.axis.key.clone(), self.points[id.point].clone());
        let line = self
            .lines
            .values
            .get(id.line)
            .map(|value| (self.lines.key.clone(), value.clone()));
        std::iter::once(point).chain(line).collect()
    }

    /// How many points the sweep has (a whole-number parameter may have
    /// fewer than asked for).
    pub fn point_count(&self) -> usize {
        self.points.len()
    }

    /// How many runs make one point: a run per line and seed.
    pub fn runs_per_point(&self) -> usize {
        self.line_count() * self.seeds.len()
    }

    /// The experiment of run `id`: the point's value, the line's, the seed.
    pub fn experiment_at(&self, id: RunId) -> Result<Experiment, ParamError> {
        let mut e = self.experiment.clone();
        for (key, value) in self.changes(id) {
            e.set(&key, &value)?;
        }
        e.set_seed(self.seeds[id.seed]);
        e.validate()?;
        Ok(e)
    }

    /// Run one of [`Sweep::runs`] to the end: its report.
    #[cfg(feature = "json")]
    pub fn run(&self, id: RunId) -> Result<Value, ParamError> {
        self.experiment_at(id)?.run(&mut |_| {})
    }

    /// Check that `metrics`, a report's of this sweep, has every metric
    /// asked for, as a number; else name the numbers it has.
    #[cfg(feature = "json")]
    pub fn check_metrics(&self, metrics: &Value) -> Result<(), SweepError> {
        for name in &self.metrics {
            if read(metrics, name).is_none() {
                let mut allowed = Vec::new();
                numbers(metrics, String::new(), &mut allowed);
                return Err(SweepError::UnknownMetric {
                    name: name.clone(),
                    allowed,
                });
            }
        }
        Ok(())
    }

    /// One curve per line and metric, lines first, from the metrics of
    /// every run's report in the order of [`Sweep::runs`].
    #[cfg(feature = "json")]
    pub fn curves(&self, reports: &[&Value]) -> Result<Vec<Curve>, SweepError> {
        assert_eq!(reports.len(), self.runs().len(), "one report per run");
        if let Some(first) = reports.first() {
            self.check_metrics(first)?;
        }
        Ok(self.curves_from(self.points.len(), |run, metric| {
            read(reports[run], &self.metrics[metric]).unwrap_or(f64::NAN)
        }))
    }

    /// One curve per line and metric, lines first, over the first `done`
    /// points: `sample(run, metric)` is the value of metric number
    /// `metric` in run number `run` of [`Sweep::runs`].
    pub fn curves_from(&self, done: usize, sample: impl Fn(usize, usize) -> f64) -> Vec<Curve> {
        let seeds = self.seeds.len();
        let per_point = self.runs_per_point();
        let mut curves = Vec::new();
        for line in 0..self.line_count() {
            for (m, metric) in self.metrics.iter().enumerate() {
                let points = self.points[..done.min(self.points.len())]
                    .iter()
                    .enumerate()
                    .map(|(p, x)| {
                        let at = p * per_point + line * seeds;
                        let sample: Vec<f64> = (at..at + seeds).map(|run| sample(run, m)).collect();
                        let mean = sample.iter().sum::<f64>() / seeds as f64;
                        Point {
                            x: x.parse().expect("points are numbers"),
                            mean,
                            half_width: Interval::of(&sample).map(|i| i.half_width),
                        }
                    })
                    .collect();
                curves.push(Curve {
                    line: self.lines.values.get(line).cloned().unwrap_or_default(),
                    metric: metric.clone(),
                    points,
                });
            }
        }
        curves
    }
}

/// The number at dotted path `name` of a report's `metrics`: `latency.p99`,
/// or `backends.2.served`, where a number picks an element of a list
/// counting from 1, as the site numbers backends and the book's figures
/// count.
#[cfg(feature = "json")]
pub fn read(metrics: &Value, name: &str) -> Option<f64> {
    let mut here = metrics;
    for segment in name.split('.') {
        here = match here {
            Value::Array(items) => items.get(segment.parse::<usize>().ok()?.checked_sub(1)?)?,
            _ => here.get(segment)?,
        };
    }
    here.as_f64()
}

/// The dotted paths of every number under `value`, in the report's order;
/// a list of records by its first (`backends.1.served`), and the chart
/// series left out.
#[cfg(feature = "json")]
fn numbers(value: &Value, at: String, out: &mut Vec<String>) {
    let join = |k: &str| {
        if at.is_empty() {
            k.to_owned()
        } else {
            format!("{at}.{k}")
        }
    };
    match value {
        Value::Number(_) => out.push(at),
        Value::Object(fields) => {
            // The chart series are lists of numbers, not numbers.
            for (k, v) in fields
                .iter()
                .filter(|(k, _)| !(at.is_empty() && *k == "series"))
            {
                numbers(v, join(k), out);
            }
        }
        Value::Array(items) => {
            if let Some(first) = items.first() {
                numbers(first, join("1"), out);
            }
        }
        _ => {}
    }
}

#[cfg(all(test, feature = "json"))]
mod tests {
    use super::*;

    fn lb() -> Experiment {
        let mut e = Experiment::resolve("load-balancing").unwrap();
        e.set("duration", "4").unwrap();
        e.set("warmup", "1").unwrap();
        e
    }

    #[test]
    fn an_axis_reads_its_range_and_points() {
        let a = Axis::parse("arrival_rate=50..350:7", false).unwrap();
        assert_eq!(
            (a.key.as_str(), a.from, a.to, a.points),
            ("arrival_rate", 50.0, 350.0, 7)
        );
        assert_eq!(a.values(), [50.0, 100.0, 150.0, 200.0, 250.0, 300.0, 350.0]);
        let log = Axis::parse("x=1..100:3", true).unwrap();
        let v = log.values();
        assert!((v[1] - 10.0).abs() < 1e-9 && v[2] == 100.0, "{v:?}");
        assert_eq!(Axis::parse("x=1..2", false).unwrap().points, DEFAULT_POINTS);
        let even = Axis::parse("x=40..760:19", false).unwrap().values();
        assert_eq!(even[11], 480.0, "no rounding error: {even:?}");
        assert!(even.iter().all(|x| x % 40.0 == 0.0), "{even:?}");
        for bad in ["x", "x=1-2", "x=a..2", "x=1..2:many", "x=1..inf"] {
            let e = Axis::parse(bad, false).unwrap_err();
            assert!(e.to_string().contains("KEY=FROM..TO"), "{bad}: {e}");
        }
    }

    #[test]
    fn a_plan_names_what_is_wrong_and_what_is_allowed() {
        let plan = |axis: &str, log, seeds, lines: Lines| {
            Sweep::plan(
                &lb(),
                Axis::parse(axis, log).unwrap(),
                lines,
                vec!["latency.p99".into()],
                seeds,
            )
            .unwrap_err()
            .to_string()
        };
        let none = Lines::default;
        assert!(plan("nope=1..2", false, 2, none()).contains("unknown parameter 'nope'"));
        let choice = plan("algorithm=1..2", false, 2, none());
        assert!(
            choice.contains("not a number") && choice.contains("arrival_rate"),
            "{choice}"
        );
        let high = plan("arrival_rate=10..30000", false, 2, none());
        assert!(high.contains("from 0.1 to 20000"), "{high}");
        assert!(plan("backends=1..8:500", false, 2, none()).contains("from 2 to 200 points"));
        assert!(plan("backends=1..8:1", false, 2, none()).contains("from 2 to 200 points"));
        assert!(plan("timeout=0..8", true, 2, none()).contains("above zero"));
        assert!(plan("backends=1..8", false, 0, none()).contains("from 1 to 30 seeds"));
        assert!(plan("backends=1..8", false, 31, none()).contains("from 1 to 30 seeds"));
        let twice = Lines {
            key: "backends".into(),
            values: vec!["2".into()],
        };
        assert!(plan("backends=1..8", false, 2, twice).contains("sweep another parameter"));
        let bad_line = Lines {
            key: "algorithm".into(),
            values: vec!["fastest".into()],
        };
        assert!(plan("backends=1..8", false, 2, bad_line).contains("algorithm=fastest"));
        // A point's settings must agree with the rest: a warm-up no
        // shorter than the run is refused.
        let warmup = plan("duration=1..10:4", false, 2, none());
        assert!(warmup.contains("warmup"), "{warmup}");
    }

    #[test]
    fn a_preset_draws_its_own_variants_unless_they_vary_the_swept_parameter() {
        let (pattern, preset) = crate::catalog::find("lb-server-load").unwrap();
        let exp = Experiment::from_preset(pattern, preset);
        let load = Axis::parse("arrival_rate=100..300", false).unwrap();
        assert_eq!(Lines::of_preset(&exp, &load).key, "algorithm");
        let algorithm = Axis::parse("algorithm=1..2", false).unwrap();
        assert_eq!(Lines::of_preset(&exp, &algorithm), Lines::default());
        assert_eq!(
            Lines::of_preset(&lb(), &load),
            Lines::default(),
            "a pattern has no preset"
        );
    }

    #[test]
    fn a_whole_number_takes_each_value_once() {
        let sweep = Sweep::plan(
            &lb(),
            Axis::parse("backends=1..3:10", false).unwrap(),
            Lines::default(),
            vec!["completed".into()],
            1,
        )
        .unwrap();
        assert_eq!(sweep.points, ["1", "2", "3"]);
        assert_eq!(sweep.runs().len(), 3);
    }

    #[test]
    fn curves_follow_lines_then_metrics_and_name_unknown_metrics() {
        let lines = Lines {
            key: "algorithm".into(),
            values: vec!["round_robin".into(), "random".into()],
        };
        let sweep = Sweep::plan(
            &lb(),
            Axis::parse("arrival_rate=100..300:2", false).unwrap(),
            lines,
            vec!["completed".into(), "latency.p99".into()],
            2,
        )
        .unwrap();
        let runs = sweep.runs();
        assert_eq!(runs.len(), 2 * 2 * 2);
        let reports: Vec<Value> = runs.iter().map(|&id| sweep.run(id).unwrap()).collect();
        let metrics: Vec<&Value> = reports.iter().map(|r| &r["metrics"]).collect();
        let curves = sweep.curves(&metrics).unwrap();
        let names: Vec<(&str, &str)> = curves
            .iter()
            .map(|c| (c.line.as_str(), c.metric.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("round_robin", "completed"),
                ("round_robin", "latency.p99"),
                ("random", "completed"),
                ("random", "latency.p99")
            ]
        );
        let completed = &curves[0].points;
        assert_eq!(completed[0].x, 100.0);
        assert!(completed[1].mean > completed[0].mean * 2.0, "{completed:?}");
        assert!(completed.iter().all(|p| p.half_width.is_some()));

        let wrong = Sweep {
            metrics: vec!["latency.p999".into()],
            ..sweep
        };
        let e = wrong.check_metrics(metrics[0]).unwrap_err().to_string();
        assert!(e.contains("unknown metric 'latency.p999'"), "{e}");
        assert!(
            e.contains("latency.p99,") && e.contains("backends.1."),
            "{e}"
        );
        let second = read(metrics[0], "backends.2.routed").expect("the second backend's count");
        assert_eq!(
            Some(second),
            reports[0]["metrics"]["backends"][1]["routed"].as_f64()
        );
        assert_eq!(
            read(metrics[0], "backends.0.routed"),
            None,
            "lists count from 1"
        );
    }
}
