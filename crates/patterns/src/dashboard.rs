//! What a run's page shows beside its diagram: headline numbers and charts,
//! described as data so that the playground, whatever the pattern, draws
//! them with the same components.
//!
//! A pattern's report says *what* to show ([`Dashboard`]); the web app
//! decides *how*. Every number here comes from the run's metrics.

/// One headline number.
#[derive(Clone, Debug, PartialEq)]
pub struct Stat {
    /// What it is, e.g. "p99 latency".
    pub label: &'static str,
    /// Its value, already in `unit`.
    pub value: f64,
    /// Unit shown after the value: "ms", "%", or "" for a count or a ratio.
    pub unit: &'static str,
    /// Whether it is measured only after the warm-up (a latency, a ratio, a
    /// rate), so that during the warm-up it measures nothing yet; a count
    /// is a running total from the start.
    pub windowed: bool,
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
    /// A count of things.
    pub fn count(label: &'static str, n: u64) -> Stat {
        Stat {
            label,
            value: n as f64,
            unit: "",
            windowed: false,
        }
    }

    /// A duration in seconds, shown in milliseconds.
    pub fn millis(label: &'static str, seconds: f64) -> Stat {
        Stat {
            label,
            value: seconds * 1000.0,
            unit: "ms",
            windowed: true,
        }
    }

    /// A fraction of what the measured window saw, shown as a percentage.
    pub fn percent(label: &'static str, fraction: f64) -> Stat {
        Stat {
            label,
            value: fraction * 100.0,
            unit: "%",
            windowed: true,
        }
    }

    /// A plain number of the measured window, such as a ratio.
    pub fn plain(label: &'static str, value: f64) -> Stat {
        Stat {
            label,
            value,
            unit: "",
            windowed: true,
        }
    }
}
