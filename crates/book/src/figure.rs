//! `{{#figure …}}`: one number from a run, written for reading.
//!
//! A query names a preset, optional parameter changes and a metric of the
//! run's report (the `metrics` object of `archsim run --format json`):
//!
//! - a dotted path, `latency.p99`, `rejected`, `backends.2.routed` (a number
//!   picks an element of a list, counting from 1 as the playground numbers
//!   backends);
//! - or a ratio of two paths, `rejected/arrived`, shown as a percentage.
//!
//! How a number is written follows from what it is: latencies (anything under
//! `latency`) in ms, or in s from one second up, to three significant
//! figures; whole numbers as counts with thousands separators; ratios and
//! `utilisation` as percentages to three significant figures; anything else
//! to three significant figures (whole numbers from 1000 up: `1234`, not
//! `1230`).

use crate::runs::Runs;
use serde_json::Value;
use std::fmt::Write;

/// A `{{#figure}}` request, as written.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Query {
    /// The preset id.
    pub(crate) preset: String,
    /// Parameter changes on top of the preset, as `--set` would make them.
    pub(crate) settings: Vec<(String, String)>,
    /// What to read from the report.
    pub(crate) metric: Metric,
}

/// What to read from a report.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Metric {
    /// One value, by its path.
    Value(Vec<String>),
    /// One value over another.
    Ratio(Vec<String>, Vec<String>),
}

/// The example every message about the syntax shows.
const EXAMPLE: &str = "`{{#figure lb-server-load algorithm=round_robin latency.p99}}`";

impl Query {
    /// Read the words between `{{#figure` and `}}`.
    pub(crate) fn parse(words: &[&str]) -> Result<Query, String> {
        let [preset, middle @ .., metric] = words else {
            return Err(format!(
                "`{{{{#figure {}}}}}` needs a preset id and a metric, e.g. {EXAMPLE}",
                words.join(" ")
            ));
        };
        if metric.contains('=') {
            return Err(format!(
                "`{{{{#figure {}}}}}` ends with `{metric}`, a parameter: the last word must be a metric \
                 such as `latency.p99`, e.g. {EXAMPLE}",
                words.join(" ")
            ));
        }
        let settings = middle
            .iter()
            .map(|word| match word.split_once('=') {
                Some((key, value)) if !key.is_empty() => Ok((key.to_owned(), value.to_owned())),
                _ => Err(format!(
                    "`{word}` in `{{{{#figure {}}}}}` is not KEY=VALUE: between the preset and the \
                     metric come parameter changes, e.g. {EXAMPLE}",
                    words.join(" ")
                )),
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(Query {
            preset: (*preset).to_owned(),
            settings,
            metric: Metric::parse(metric)?,
        })
    }

    /// The command that reproduces the run, for a tooltip.
    fn command(&self) -> String {
        let mut command = format!("archsim run {}", self.preset);
        for (key, value) in &self.settings {
            let _ = if key == "seed" {
                write!(command, " --seed {value}")
            } else {
                write!(command, " --set {key}={value}")
            };
        }
        command
    }

    /// The number, as inline HTML whose tooltip says where it comes from.
    pub(crate) fn render(&self, runs: &mut Runs) -> Result<String, String> {
        let report = runs.metrics(&self.preset, &self.settings)?;
        let text = self.metric.read(report)?;
        Ok(format!(
            "<span class=\"archsim-figure\" title=\"{}: {}\">{text}</span>",
            self.command(),
            self.metric
        ))
    }
}

impl Metric {
    fn parse(text: &str) -> Result<Metric, String> {
        let path = |part: &str| -> Result<Vec<String>, String> {
            let segments: Vec<String> = part.split('.').map(str::to_owned).collect();
            if segments.iter().any(String::is_empty) {
                Err(format!(
                    "`{text}` is not a metric: write a dotted path such as `latency.p99`, or a ratio \
                     such as `rejected/arrived`"
                ))
            } else {
                Ok(segments)
            }
        };
        match text.split_once('/') {
            Some((top, bottom)) => Ok(Metric::Ratio(path(top)?, path(bottom)?)),
            None => Ok(Metric::Value(path(text)?)),
        }
    }

    /// The metric in `metrics`, written for reading.
    fn read(&self, metrics: &Value) -> Result<String, String> {
        match self {
            Metric::Value(path) => {
                let value = lookup(metrics, path)?;
                if path.iter().any(|s| s == "latency") {
                    Ok(duration(value.as_f64().unwrap_or_default()))
                } else if path.last().is_some_and(|s| s == "utilisation") {
                    Ok(percent(value.as_f64().unwrap_or_default()))
                } else if let Some(n) = value.as_u64() {
                    Ok(count(n))
                } else {
                    Ok(significant(value.as_f64().unwrap_or_default()))
                }
            }
            Metric::Ratio(top, bottom) => {
                let top = lookup(metrics, top)?.as_f64().unwrap_or_default();
                let bottom_value = lookup(metrics, bottom)?.as_f64().unwrap_or_default();
                if bottom_value == 0.0 {
                    return Err(format!(
                        "`{self}` divides by zero: `{}` is 0 in this run",
                        bottom.join(".")
                    ));
                }
                Ok(percent(top / bottom_value))
            }
        }
    }
}

impl std::fmt::Display for Metric {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Metric::Value(path) => f.write_str(&path.join(".")),
            Metric::Ratio(top, bottom) => write!(f, "{}/{}", top.join("."), bottom.join(".")),
        }
    }
}

/// The number at `path` in `metrics`.
fn lookup<'a>(metrics: &'a Value, path: &[String]) -> Result<&'a Value, String> {
    let mut here = metrics;
    for (i, segment) in path.iter().enumerate() {
        let next = match here {
            Value::Object(map) => map.get(segment),
            Value::Array(items) => segment
                .parse::<usize>()
                .ok()
                .and_then(|n| n.checked_sub(1))
                .and_then(|n| items.get(n)),
            _ => None,
        };
        here = next.ok_or_else(|| {
            let at = path[..i].join(".");
            let (what, options) = match here {
                Value::Array(items) => (
                    format!("`{at}` is a list"),
                    format!("pick an element by number, 1 to {}", items.len()),
                ),
                _ => (
                    if i == 0 {
                        "the report has no such metric".to_owned()
                    } else {
                        format!("`{at}` has no `{segment}`")
                    },
                    format!("metrics are {}", leaves(metrics).join(", ")),
                ),
            };
            format!("no metric `{}`: {what}; {options}", path.join("."))
        })?;
    }
    if here.is_number() {
        Ok(here)
    } else {
        Err(format!(
            "`{}` is not a number; metrics are {}",
            path.join("."),
            leaves(metrics).join(", ")
        ))
    }
}

/// Every numeric path in a report (lists as `name.N.field`), for messages.
/// The chart series are left out: they are not single numbers.
fn leaves(metrics: &Value) -> Vec<String> {
    fn walk(value: &Value, prefix: &str, out: &mut Vec<String>) {
        match value {
            Value::Number(_) => out.push(prefix.to_owned()),
            Value::Object(map) => {
                for (key, child) in map.iter().filter(|(k, _)| k.as_str() != "series") {
                    let path = if prefix.is_empty() {
                        key.clone()
                    } else {
                        format!("{prefix}.{key}")
                    };
                    walk(child, &path, out);
                }
            }
            Value::Array(items) => {
                if let Some(first) = items.first() {
                    walk(first, &format!("{prefix}.N"), out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(metrics, "", &mut out);
    out
}

/// `x` to three significant figures, or to the unit above 1000.
fn significant(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let magnitude = |v: f64| v.abs().log10().floor() as i32;
    let scale = 10f64.powi((2 - magnitude(x)).max(0));
    // Round first: rounding may carry into a new digit (9.996 → 10.0).
    let rounded = (x * scale).round() / scale;
    let decimals = (2 - magnitude(rounded)).max(0) as usize;
    format!("{rounded:.decimals$}")
}

/// A non-breaking space, so a number and its unit stay on one line.
const NBSP: char = '\u{a0}';

/// Seconds as ms below one second, else as s.
fn duration(seconds: f64) -> String {
    let in_seconds = significant(seconds);
    if in_seconds.parse::<f64>().unwrap_or_default() >= 1.0 {
        format!("{in_seconds}{NBSP}s")
    } else {
        format!("{}{NBSP}ms", significant(seconds * 1000.0))
    }
}

/// A fraction as a percentage.
fn percent(fraction: f64) -> String {
    format!("{}%", significant(fraction * 100.0))
}

/// A whole number with thousands separators.
fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn path(s: &str) -> Vec<String> {
        s.split('.').map(str::to_owned).collect()
    }

    #[test]
    fn queries_parse() {
        assert_eq!(
            Query::parse(&[
                "lb-geography",
                "algorithm=oracle",
                "seed=3",
                "rejected/arrived"
            ]),
            Ok(Query {
                preset: "lb-geography".into(),
                settings: vec![
                    ("algorithm".into(), "oracle".into()),
                    ("seed".into(), "3".into())
                ],
                metric: Metric::Ratio(path("rejected"), path("arrived")),
            })
        );
        assert_eq!(
            Query::parse(&["lb-overload", "latency.p99"])
                .unwrap()
                .metric,
            Metric::Value(path("latency.p99"))
        );
    }

    #[test]
    fn malformed_queries_say_what_is_wrong() {
        let example =
            "e.g. `{{#figure lb-server-load algorithm=round_robin latency.p99}}`".to_owned();
        assert_eq!(
            Query::parse(&["lb-overload"]),
            Err(format!(
                "`{{{{#figure lb-overload}}}}` needs a preset id and a metric, {example}"
            ))
        );
        assert_eq!(
            Query::parse(&["lb-overload", "backends=4"]),
            Err(format!(
                "`{{{{#figure lb-overload backends=4}}}}` ends with `backends=4`, a parameter: \
                 the last word must be a metric such as `latency.p99`, {example}"
            ))
        );
        assert!(
            Query::parse(&["lb-overload", "backends", "latency.p99"])
                .unwrap_err()
                .starts_with(
                    "`backends` in `{{#figure lb-overload backends latency.p99}}` is not KEY=VALUE"
                )
        );
        assert!(
            Query::parse(&["lb-overload", "latency..p99"])
                .unwrap_err()
                .starts_with("`latency..p99` is not a metric")
        );
    }

    #[test]
    fn the_tooltip_is_the_command_that_reproduces_the_number() {
        let query = Query::parse(&[
            "lb-overload",
            "backends=4",
            "seed=7",
            "faults=",
            "latency.p99",
        ])
        .unwrap();
        assert_eq!(
            query.command(),
            "archsim run lb-overload --set backends=4 --seed 7 --set faults="
        );
    }

    #[test]
    fn numbers_are_written_for_reading() {
        assert_eq!(significant(0.1377), "0.138");
        assert_eq!(significant(137.7), "138");
        assert_eq!(significant(19140.0), "19140");
        assert_eq!(significant(1.0), "1.00");
        assert_eq!(significant(9.996), "10.0");
        assert_eq!(significant(-0.5), "-0.500");
        assert_eq!(significant(0.09996), "0.100");
        assert_eq!(significant(999.7), "1000");
        assert_eq!(significant(0.0), "0");
        assert_eq!(duration(0.1377), "138\u{a0}ms");
        assert_eq!(duration(0.009651), "9.65\u{a0}ms");
        assert_eq!(duration(0.9996), "1.00\u{a0}s");
        assert_eq!(duration(5.947), "5.95\u{a0}s");
        assert_eq!(percent(12074.0 / 18230.0), "66.2%");
        assert_eq!(percent(1.0), "100%");
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1198), "1,198");
        assert_eq!(count(1234567), "1,234,567");
    }

    fn report() -> Value {
        json!({
            "arrived": 18230, "rejected": 12074, "throughput": 304.1, "load_imbalance": 1.0,
            "latency": {"p50": 0.02182, "p99": 0.1221},
            "backends": [{"routed": 10, "utilisation": 0.756}, {"routed": 12, "utilisation": 0.5}],
            "series": {"time": [0.0]},
        })
    }

    fn read(metric: &str) -> Result<String, String> {
        Metric::parse(metric)?.read(&report())
    }

    #[test]
    fn metrics_are_read_by_kind() {
        assert_eq!(read("latency.p99").unwrap(), "122\u{a0}ms");
        assert_eq!(read("arrived").unwrap(), "18,230");
        assert_eq!(read("throughput").unwrap(), "304");
        assert_eq!(read("load_imbalance").unwrap(), "1.00");
        assert_eq!(read("rejected/arrived").unwrap(), "66.2%");
        assert_eq!(read("backends.2.routed").unwrap(), "12");
        assert_eq!(read("backends.1.utilisation").unwrap(), "75.6%");
    }

    #[test]
    fn missing_metrics_list_the_ones_there_are() {
        let all = "metrics are arrived, rejected, throughput, load_imbalance, latency.p50, \
                   latency.p99, backends.N.routed, backends.N.utilisation";
        assert_eq!(
            read("latency.p98"),
            Err(format!(
                "no metric `latency.p98`: `latency` has no `p98`; {all}"
            ))
        );
        assert_eq!(
            read("p99"),
            Err(format!(
                "no metric `p99`: the report has no such metric; {all}"
            ))
        );
        assert_eq!(
            read("backends.3.routed"),
            Err("no metric `backends.3.routed`: `backends` is a list; pick an element by number, 1 to 2".into())
        );
        assert_eq!(
            read("latency"),
            Err(format!("`latency` is not a number; {all}"))
        );
        assert_eq!(read("arrived/backends.1.utilisation").map(drop), Ok(()));
    }

    #[test]
    fn a_zero_denominator_is_an_error() {
        let metric = Metric::parse("arrived/zero").unwrap();
        assert_eq!(
            metric.read(&json!({"arrived": 1, "zero": 0})),
            Err("`arrived/zero` divides by zero: `zero` is 0 in this run".into())
        );
    }
}
