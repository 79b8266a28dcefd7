//! A metric of a run's report (the `metrics` object of
//! `archsim run --format json`), read and written for reading:
//!
//! - a dotted path, `latency.p99`, `rejected`, `backends.2.routed` (a number
//!   picks an element of a list, counting from 1 as the playground numbers
//!   backends);
//! - or a ratio of two paths, `rejected/arrived`, shown as a percentage.
//!
//! How a number is written follows from what it is: latencies (anything under
//! `latency`, `…_latency` or `…_lag`: `handled_latency.p99`,
//! `projection_lag.mean`) in ms, or in s from one second up, to three significant
//! figures; whole numbers as counts with thousands separators; ratios and
//! `utilisation` as percentages to three significant figures; anything else
//! (a mean over seeds of a count too) to three significant figures (whole
//! numbers from 1000 up: `1234`, not `1230`).

use serde_json::Value;

/// What to read from a report.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Metric {
    /// One value, by its path.
    Value(Vec<String>),
    /// One value over another.
    Ratio(Vec<String>, Vec<String>),
}

/// One number read from a report.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Reading {
    /// The number.
    pub(crate) value: f64,
    /// Whether the report holds it as a whole number (a count).
    pub(crate) whole: bool,
}

impl Metric {
    /// Read a metric as written in a directive.
    pub(crate) fn parse(text: &str) -> Result<Metric, String> {
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

    /// The metric in `metrics`.
    pub(crate) fn read(&self, metrics: &Value) -> Result<Reading, String> {
        match self {
            Metric::Value(path) => {
                let value = lookup(metrics, path)?;
                Ok(Reading {
                    value: value.as_f64().unwrap_or_default(),
                    whole: value.is_u64(),
                })
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
                Ok(Reading {
                    value: top / bottom_value,
                    whole: false,
                })
            }
        }
    }

    /// A value of this metric, written for reading.
    pub(crate) fn write(&self, reading: Reading) -> String {
        let (factor, unit) = self.unit(reading.value);
        if reading.whole && unit.is_empty() {
            // A whole number in the report is a count, and below 2^53 exact.
            count(reading.value as u64)
        } else {
            format!("{}{unit}", significant(reading.value * factor))
        }
    }

    /// A mean and the half-width of its interval, in the mean's unit: the
    /// mean to three significant figures, the half-width to two.
    pub(crate) fn write_interval(&self, mean: f64, half_width: f64) -> String {
        let (factor, unit) = self.unit(mean);
        format!(
            "{}{unit}{NBSP}±{NBSP}{}{unit}",
            figures(mean * factor, 3),
            figures(half_width * factor, 2)
        )
    }

    /// What a value is multiplied by to be written in its unit, and the unit:
    /// latencies in ms below one second and in s above, fractions in %.
    pub(crate) fn unit(&self, value: f64) -> (f64, &'static str) {
        match self {
            Metric::Value(path) if path.iter().any(|s| is_duration(s)) => {
                if significant(value).parse::<f64>().unwrap_or_default() >= 1.0 {
                    (1.0, "\u{a0}s")
                } else {
                    (1000.0, "\u{a0}ms")
                }
            }
            Metric::Value(path) if path.last().is_some_and(|s| s == "utilisation") => (100.0, "%"),
            Metric::Ratio(..) => (100.0, "%"),
            Metric::Value(_) => (1.0, ""),
        }
    }
}

/// Whether a report's field of this name holds durations in seconds.
fn is_duration(field: &str) -> bool {
    field == "latency" || field.ends_with("_latency") || field.ends_with("_lag")
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
    figures(x, 3)
}

/// `x` to `digits` significant figures, or to the unit from `10^digits` up.
fn figures(x: f64, digits: i32) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let magnitude = |v: f64| v.abs().log10().floor() as i32;
    let scale = 10f64.powi((digits - 1 - magnitude(x)).max(0));
    // Round first: rounding may carry into a new digit (9.996 → 10.0).
    let rounded = (x * scale).round() / scale;
    let decimals = (digits - 1 - magnitude(rounded)).max(0) as usize;
    format!("{rounded:.decimals$}")
}

/// A non-breaking space, so a number and its unit stay on one line.
const NBSP: char = '\u{a0}';

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
        assert_eq!(figures(0.03573, 2), "0.036");
        assert_eq!(figures(125.6, 2), "126");
        assert_eq!(figures(9.96, 2), "10");
        let write = |metric: &str, value: f64| {
            Metric::parse(metric).unwrap().write(Reading {
                value,
                whole: false,
            })
        };
        assert_eq!(write("latency.p99", 0.1377), "138\u{a0}ms");
        assert_eq!(write("latency.p99", 0.009651), "9.65\u{a0}ms");
        assert_eq!(write("latency.p99", 0.9996), "1.00\u{a0}s");
        assert_eq!(write("latency.p99", 5.947), "5.95\u{a0}s");
        assert_eq!(write("handled_latency.p50", 0.0157), "15.7\u{a0}ms");
        assert_eq!(write("projection_lag.mean", 0.2), "200\u{a0}ms");
        assert_eq!(
            write("latency_budget", 3.0),
            "3.00",
            "only latency fields are durations"
        );
        assert_eq!(write("rejected/arrived", 12074.0 / 18230.0), "66.2%");
        assert_eq!(write("utilisation", 1.0), "100%");
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
        let metric = Metric::parse(metric)?;
        Ok(metric.write(metric.read(&report())?))
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
    fn a_count_that_is_not_whole_is_written_as_a_number() {
        let rejected = Metric::parse("rejected").unwrap();
        let mean = Reading {
            value: 12.34,
            whole: false,
        };
        assert_eq!(rejected.write(mean), "12.3");
    }

    #[test]
    fn an_interval_is_written_in_its_means_unit() {
        let p99 = Metric::parse("latency.p99").unwrap();
        assert_eq!(
            p99.write_interval(0.5583, 0.03578),
            "558\u{a0}ms\u{a0}±\u{a0}36\u{a0}ms"
        );
        assert_eq!(
            p99.write_interval(5.49, 0.1263),
            "5.49\u{a0}s\u{a0}±\u{a0}0.13\u{a0}s"
        );
        let share = Metric::parse("load_imbalance").unwrap();
        assert_eq!(
            share.write_interval(1.2731, 0.03573),
            "1.27\u{a0}±\u{a0}0.036"
        );
        let ratio = Metric::parse("hits/reads").unwrap();
        assert_eq!(
            ratio.write_interval(0.6612, 0.0041),
            "66.1%\u{a0}±\u{a0}0.41%"
        );
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
            metric.read(&json!({"arrived": 1, "zero": 0})).map(drop),
            Err("`arrived/zero` divides by zero: `zero` is 0 in this run".into())
        );
    }
}
