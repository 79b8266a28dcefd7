//! `{{#sweep …}}`: a curve, drawn when the book is built, of one metric as
//! one parameter steps over a range, one line per variant, each point the
//! mean over seeds with its 95% interval as a band.
//!
//! ```text
//! {{#sweep PRESET [KEY=VALUE]… KEY=FROM..TO[:POINTS] [log] [lines=KEY=V1,V2…] METRIC [seeds=N]}}
//! ```
//!
//! The range is the setting whose value has `..` in it; `log` spaces its
//! points by equal ratios. The lines are the preset's own variants unless
//! `lines=` names others. The seeds are 1 to N (5 unless `seeds=` says),
//! the same for every point and line, so every point of every line sees
//! the same arrivals. It is what `archsim sweep` prints, as a picture: an
//! SVG with a table of its numbers under it, and the command that
//! reproduces them.

use crate::metric::{Metric, Reading};
use crate::runs::{Run, Runs};
use crate::{preset, seeds};
use archsim_mindmap::xml::escape;
use archsim_patterns::Experiment;
use archsim_patterns::sweep::{Axis, Curve, Lines, Sweep};
use std::fmt::Write;

/// A `{{#sweep}}` request, as written.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct SweepQuery {
    /// The preset and its parameter changes.
    run: Run,
    /// The parameter stepped.
    axis: Axis,
    /// `lines=`, when it names the variants.
    lines: Option<Lines>,
    /// What is drawn.
    metric: Metric,
    /// How many seeds each point runs.
    seeds: usize,
}

/// The seeds a sweep runs unless `seeds=` says.
const DEFAULT_SEEDS: usize = 5;

/// The example every message about the syntax shows.
const EXAMPLE: &str = "`{{#sweep lb-server-load arrival_rate=40..760:19 latency.p99}}`";

/// Line colours, the site's chart palette (Okabe and Ito's, for colour
/// blindness).
const PALETTE: [&str; 8] = [
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#999999",
];

impl SweepQuery {
    /// Read the words between `{{#sweep` and `}}`.
    pub(crate) fn parse(words: &[&str]) -> Result<SweepQuery, String> {
        let directive = format!("`{{{{#sweep {}}}}}`", words.join(" "));
        let needs =
            || format!("{directive} needs a preset id, a range and a metric, e.g. {EXAMPLE}");
        let [preset, rest @ ..] = words else {
            return Err(needs());
        };
        let (mut axis, mut lines, mut seeds, mut log) = (None, None, DEFAULT_SEEDS, false);
        let (mut metric, mut settings) = (None, Vec::new());
        for word in rest {
            if *word == "log" {
                log = true;
                continue;
            }
            let Some((key, value)) = word.split_once('=') else {
                if let Some(first) = metric.replace(*word) {
                    return Err(format!(
                        "{directive} has two metrics, `{first}` and `{word}`: a sweep draws one, \
                         and the other words are KEY=VALUE, a range or `log`, e.g. {EXAMPLE}"
                    ));
                }
                continue;
            };
            if key.is_empty() {
                return Err(format!(
                    "`{word}` in {directive} names no parameter before its `=`, e.g. {EXAMPLE}"
                ));
            }
            match key {
                "seeds" => {
                    seeds = value
                        .parse()
                        .ok()
                        .filter(|n| (1..=archsim_patterns::sweep::MAX_SEEDS).contains(n))
                        .ok_or_else(|| {
                            format!(
                                "seeds={value} in {directive} is not allowed: seeds must be a \
                                 whole number from 1 to {}",
                                archsim_patterns::sweep::MAX_SEEDS
                            )
                        })?;
                }
                "lines" => {
                    let (key, values) = value.split_once('=').ok_or_else(|| {
                        format!(
                            "`{word}` in {directive} names no parameter: write \
                             lines=KEY=V1,V2, e.g. lines=algorithm=round_robin,random"
                        )
                    })?;
                    lines = Some(Lines {
                        key: key.to_owned(),
                        values: values.split(',').map(str::to_owned).collect(),
                    });
                }
                _ if value.contains("..") => {
                    if axis.is_some() {
                        return Err(format!(
                            "{directive} has two ranges: a sweep steps one parameter"
                        ));
                    }
                    axis = Some(word.to_string());
                }
                _ => settings.push((key.to_owned(), value.to_owned())),
            }
        }
        let axis = axis.ok_or_else(|| {
            format!("{directive} has no range to step: write KEY=FROM..TO[:POINTS], e.g. {EXAMPLE}")
        })?;
        let axis = Axis::parse(&axis, log).map_err(|e| format!("{directive}: {e}"))?;
        let metric =
            Metric::parse(metric.ok_or_else(needs)?).map_err(|e| format!("{directive}: {e}"))?;
        if matches!(metric, Metric::Ratio(..)) {
            return Err(format!(
                "{directive} draws `{metric}`, a ratio: a sweep draws one metric of the report, \
                 such as `latency.p99`"
            ));
        }
        Ok(SweepQuery {
            run: Run {
                preset: (*preset).to_owned(),
                settings,
            },
            axis,
            lines,
            metric,
            seeds,
        })
    }

    /// The sweep, planned and checked: its errors name what is wrong.
    fn plan(&self) -> Result<Sweep, String> {
        let (pattern, preset) = preset::find(&self.run.preset)?;
        let mut experiment = Experiment::from_preset(pattern, preset);
        for (key, value) in &self.run.settings {
            experiment.set(key, value).map_err(|e| e.to_string())?;
        }
        // The book's seeds, 1 to N, whichever preset a sweep starts from.
        experiment.set_seed(*seeds::first(1).start());
        let lines = self
            .lines
            .clone()
            .unwrap_or_else(|| Lines::of_preset(&experiment, &self.axis));
        Sweep::plan(
            &experiment,
            self.axis.clone(),
            lines,
            vec![self.metric.to_string()],
            self.seeds,
        )
        .map_err(|e| e.to_string())
    }

    /// The book's run of `id` of `sweep`.
    fn run_of(&self, sweep: &Sweep, id: archsim_patterns::sweep::RunId) -> Run {
        self.run
            .with(&sweep.changes(id))
            .seeded(sweep.seeds()[id.seed])
    }

    /// Every run the sweep draws, for the book to make all at once (none if
    /// it cannot be planned: [`SweepQuery::render`] says why).
    pub(crate) fn runs(&self) -> Vec<Run> {
        self.plan()
            .map(|sweep| {
                sweep
                    .runs()
                    .into_iter()
                    .map(|id| self.run_of(&sweep, id))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The figure: the chart, its key, a table of its numbers and the
    /// command that prints them.
    pub(crate) fn render(&self, runs: &mut Runs) -> Result<String, String> {
        let sweep = self.plan()?;
        let ids = sweep.runs();
        let mut metrics = Vec::with_capacity(ids.len());
        for id in &ids {
            metrics.push(runs.metrics(&self.run_of(&sweep, *id))?.clone());
        }
        let metrics: Vec<&serde_json::Value> = metrics.iter().collect();
        let curves = sweep.curves(&metrics).map_err(|e| e.to_string())?;
        let (pattern, _) = preset::find(&self.run.preset)?;
        let spec = pattern
            .specs()
            .iter()
            .find(|s| s.key == self.axis.key)
            .expect("the sweep was planned, so its parameter exists");
        let x_label = if spec.unit.is_empty() {
            spec.label.to_owned()
        } else {
            format!("{} ({})", spec.label, spec.unit)
        };
        let chart = Chart::new(&curves, self.axis.log, |v| self.metric.unit(v));
        let mut html = String::from("\n<figure class=\"archsim-sweep\">\n");
        let title = format!(
            "{} against {}{}",
            self.metric,
            spec.label.to_lowercase(),
            if sweep.lines().key.is_empty() {
                String::new()
            } else {
                format!(", by {}", sweep.lines().key)
            }
        );
        html.push_str(&chart.svg(&escape(&title), &x_label, &self.metric.to_string()));
        html.push_str("<figcaption>");
        if !sweep.lines().key.is_empty() {
            html.push_str("<span class=\"archsim-sweep-key\">");
            for (i, c) in curves.iter().enumerate() {
                let _ = write!(
                    html,
                    "<span><svg width=\"16\" height=\"4\" aria-hidden=\"true\"><rect width=\"16\" height=\"4\" fill=\"{}\"/></svg> {}</span> ",
                    PALETTE[i % PALETTE.len()],
                    escape(&c.line)
                );
            }
            html.push_str("</span><br>");
        }
        let drawn = if self.seeds > 1 {
            format!(
                "The mean of {} at each point over the seeds 1 to {}, the band its 95% interval.",
                escape(&self.metric.to_string()),
                self.seeds
            )
        } else {
            format!(
                "{} at each point, on seed 1.",
                escape(&self.metric.to_string())
            )
        };
        let _ = writeln!(
            html,
            "{drawn} <code>{}</code> prints these numbers.</figcaption>",
            escape(&self.command(&sweep))
        );
        html.push_str(&self.table(&curves, &sweep, &x_label));
        html.push_str("</figure>\n");
        Ok(html)
    }

    /// `archsim sweep …`, which prints the same numbers.
    fn command(&self, sweep: &Sweep) -> String {
        let mut command = format!("archsim sweep {}", self.run.preset);
        for (key, value) in &self.run.settings {
            let _ = write!(command, " --set {key}={value}");
        }
        let _ = write!(command, " --vary {}", self.axis);
        if self.axis.log {
            command.push_str(" --log");
        }
        if !sweep.lines().key.is_empty() {
            let _ = write!(
                command,
                " --lines {}={}",
                sweep.lines().key,
                sweep.lines().values.join(",")
            );
        }
        let _ = write!(
            command,
            " --metric {} --seeds {} --seed 1",
            self.metric, self.seeds
        );
        command
    }

    /// The numbers, a row per point, under a disclosure.
    fn table(&self, curves: &[Curve], sweep: &Sweep, x_label: &str) -> String {
        let mut t = String::from("<details><summary>The numbers</summary>\n<table>\n<thead><tr>");
        let _ = write!(t, "<th>{}</th>", escape(x_label));
        for c in curves {
            let name = if c.line.is_empty() {
                self.metric.to_string()
            } else {
                c.line.clone()
            };
            let _ = write!(t, "<th>{}</th>", escape(&name));
        }
        t.push_str("</tr></thead>\n<tbody>\n");
        for i in 0..curves[0].points.len() {
            let _ = write!(t, "<tr><td>{}</td>", curves[0].points[i].x);
            for c in curves {
                let p = c.points[i];
                let cell = match p.half_width {
                    Some(h) => self.metric.write_interval(p.mean, h),
                    None => self.metric.write(Reading {
                        value: p.mean,
                        whole: false,
                    }),
                };
                let _ = write!(t, "<td>{cell}</td>");
            }
            t.push_str("</tr>\n");
        }
        let _ = write!(
            t,
            "</tbody>\n</table>\n<p>{} seeds a point: {}.</p>\n</details>\n",
            sweep.seeds().len(),
            sweep
                .seeds()
                .iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        );
        t
    }
}

/// Where a chart draws: its size, its margins and its axes' ranges.
struct Chart<'a> {
    curves: &'a [Curve],
    log: bool,
    x: (f64, f64),
    y: (f64, f64),
    /// The y values' factor and unit (ms for latencies).
    unit: (f64, &'static str),
}

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 320.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 48.0;

impl<'a> Chart<'a> {
    fn new(curves: &'a [Curve], log: bool, unit: impl Fn(f64) -> (f64, &'static str)) -> Self {
        let points = || curves.iter().flat_map(|c| &c.points);
        let xs = points().map(|p| p.x);
        let x = (
            xs.clone().fold(f64::INFINITY, f64::min),
            xs.fold(f64::NEG_INFINITY, f64::max),
        );
        let top = points()
            .map(|p| p.mean + p.half_width.unwrap_or(0.0))
            .fold(0.0, f64::max);
        let unit = unit(top);
        let y = (0.0, nice_top(top * unit.0).max(f64::MIN_POSITIVE));
        Chart {
            curves,
            log,
            x,
            y,
            unit,
        }
    }

    fn px(&self, x: f64) -> f64 {
        let t = if self.log {
            (x / self.x.0).ln() / (self.x.1 / self.x.0).ln()
        } else {
            (x - self.x.0) / (self.x.1 - self.x.0)
        };
        LEFT + t.clamp(0.0, 1.0) * (WIDTH - LEFT - RIGHT)
    }

    fn py(&self, y: f64) -> f64 {
        let t = (y * self.unit.0 - self.y.0) / (self.y.1 - self.y.0);
        HEIGHT - BOTTOM - t.clamp(0.0, 1.0) * (HEIGHT - TOP - BOTTOM)
    }

    fn svg(&self, title: &str, x_label: &str, y_label: &str) -> String {
        let mut s = format!(
            "<svg class=\"archsim-sweep-chart\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" \
             font-size=\"12\" fill=\"currentColor\"><title>{title}</title>\n"
        );
        // Axes and grid, with their ticks.
        for v in ticks(self.y.0, self.y.1) {
            let y = self.py(v / self.unit.0);
            let _ = writeln!(
                s,
                "<line class=\"grid\" stroke=\"currentColor\" stroke-opacity=\"0.15\" x1=\"{LEFT}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/>\
                 <text class=\"tick\" x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
                WIDTH - RIGHT,
                LEFT - 6.0,
                y + 4.0,
                short(v)
            );
        }
        let x_ticks = if self.log {
            log_ticks(self.x.0, self.x.1)
        } else {
            ticks(self.x.0, self.x.1)
        };
        for v in x_ticks {
            let x = self.px(v);
            let _ = writeln!(
                s,
                "<line class=\"axis\" stroke=\"currentColor\" x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{}\" y2=\"{}\"/>\
                 <text class=\"tick\" x=\"{x:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                HEIGHT - BOTTOM,
                HEIGHT - BOTTOM + 5.0,
                HEIGHT - BOTTOM + 18.0,
                short(v)
            );
        }
        let _ = write!(
            s,
            "<line class=\"axis\" stroke=\"currentColor\" x1=\"{LEFT}\" x2=\"{}\" y1=\"{b}\" y2=\"{b}\"/>\n\
             <text class=\"label\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n\
             <text class=\"label\" transform=\"translate(14 {}) rotate(-90)\" text-anchor=\"middle\">{}{}</text>\n",
            WIDTH - RIGHT,
            (LEFT + WIDTH - RIGHT) / 2.0,
            HEIGHT - 8.0,
            escape(x_label),
            (TOP + HEIGHT - BOTTOM) / 2.0,
            escape(y_label),
            if self.unit.1.is_empty() {
                String::new()
            } else {
                format!(" ({})", self.unit.1.trim())
            },
            b = HEIGHT - BOTTOM,
        );
        // Bands under the lines, then the lines and their points.
        for (i, c) in self.curves.iter().enumerate() {
            let colour = PALETTE[i % PALETTE.len()];
            if c.points.iter().all(|p| p.half_width.is_some()) {
                let upper = c
                    .points
                    .iter()
                    .map(|p| (self.px(p.x), self.py(p.mean + p.half_width.unwrap_or(0.0))));
                let lower = c
                    .points
                    .iter()
                    .rev()
                    .map(|p| (self.px(p.x), self.py(p.mean - p.half_width.unwrap_or(0.0))));
                let _ = writeln!(
                    s,
                    "<polygon class=\"band\" fill=\"{colour}\" fill-opacity=\"0.18\" stroke=\"none\" points=\"{}\"/>",
                    points(upper.chain(lower))
                );
            }
        }
        for (i, c) in self.curves.iter().enumerate() {
            let colour = PALETTE[i % PALETTE.len()];
            let line = c.points.iter().map(|p| (self.px(p.x), self.py(p.mean)));
            let _ = writeln!(
                s,
                "<polyline class=\"line\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{}\"/>",
                points(line)
            );
        }
        s.push_str("</svg>\n");
        s
    }
}

fn points(xy: impl Iterator<Item = (f64, f64)>) -> String {
    xy.map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The step between ticks over `from..to`: 1, 2 or 5 times a power of ten,
/// about five of them.
fn step(from: f64, to: f64) -> f64 {
    let raw = (to - from).abs().max(f64::MIN_POSITIVE) / 5.0;
    let power = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * power)
}

/// The top of an axis from 0 that holds `top`: its next tick.
fn nice_top(top: f64) -> f64 {
    let s = step(0.0, top);
    (top / s).ceil().max(1.0) * s
}

/// Ticks at multiples of [`step`] within `from..=to`.
fn ticks(from: f64, to: f64) -> Vec<f64> {
    let s = step(from, to);
    let first = (from / s).ceil() as i64;
    let last = (to / s + 1e-9).floor() as i64;
    (first..=last).map(|k| k as f64 * s).collect()
}

/// Ticks at 1, 2 and 5 times the powers of ten within `from..=to`.
fn log_ticks(from: f64, to: f64) -> Vec<f64> {
    let mut out = Vec::new();
    let mut power = 10f64.powf(from.log10().floor());
    while power <= to {
        for m in [1.0, 2.0, 5.0] {
            let v = m * power;
            if v >= from * (1.0 - 1e-9) && v <= to * (1.0 + 1e-9) {
                out.push(v);
            }
        }
        power *= 10.0;
    }
    out
}

/// A tick's number, short: no trailing zeros.
fn short(v: f64) -> String {
    let text = format!("{:.6}", v);
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<SweepQuery, String> {
        SweepQuery::parse(&text.split_whitespace().collect::<Vec<_>>())
    }

    #[test]
    fn a_sweep_reads_its_preset_settings_range_lines_metric_and_seeds() {
        let q = parse(
            "lb-server-load backends=4 arrival_rate=40..360:5 log lines=algorithm=random,round_robin latency.p99 seeds=3",
        )
        .unwrap();
        assert_eq!(q.run.preset, "lb-server-load");
        assert_eq!(q.run.settings, [("backends".into(), "4".into())]);
        assert_eq!(
            (q.axis.key.as_str(), q.axis.points, q.axis.log),
            ("arrival_rate", 5, true)
        );
        assert_eq!(q.lines.unwrap().values, ["random", "round_robin"]);
        assert_eq!(q.seeds, 3);
        assert_eq!(
            parse("lb-overload backends=1..4 rejected").unwrap().seeds,
            DEFAULT_SEEDS
        );
    }

    #[test]
    fn mistakes_say_what_a_sweep_needs() {
        for (text, expected) in [
            ("", "needs a preset id, a range and a metric"),
            ("lb-overload backends=4 rejected", "has no range to step"),
            (
                "lb-overload backends=1..2 workers=1..2 rejected",
                "has two ranges",
            ),
            (
                "lb-overload backends=1..4 seeds=0 rejected",
                "seeds must be a whole number from 1 to 30",
            ),
            (
                "lb-overload backends=1..4 lines=random rejected",
                "names no parameter",
            ),
            ("lb-overload backends=1..4 rejected/arrived", "a ratio"),
            ("lb-overload backends=1..x rejected", "'x' is not a number"),
            (
                "lb-overload oops backends=1..4 rejected",
                "has two metrics, `oops` and `rejected`",
            ),
            (
                "lb-overload backends=1..4",
                "needs a preset id, a range and a metric",
            ),
            (
                "lb-overload =4 backends=1..4 rejected",
                "names no parameter",
            ),
        ] {
            let e = parse(text).unwrap_err();
            assert!(e.contains(expected), "{text}: {e}");
        }
        let unplannable = parse("lb-overload backends=1..400 rejected").unwrap();
        assert!(unplannable.runs().is_empty());
        let e = unplannable.render(&mut Runs::default()).unwrap_err();
        assert!(
            e.contains("backends=400 is outside the range of backends"),
            "{e}"
        );
    }

    #[test]
    fn the_figure_draws_each_line_with_its_band_and_lists_its_numbers() {
        let q = parse("lb-overload backends=1..3:3 duration=4 warmup=1 completed seeds=2").unwrap();
        let mut runs = Runs::default();
        runs.prefetch(q.runs());
        let html = q.render(&mut runs).unwrap();
        // lb-overload compares backends; swept, it draws one line.
        assert_eq!(html.matches("<polyline").count(), 1, "{html}");
        assert_eq!(html.matches("<polygon class=\"band\"").count(), 1);
        assert_eq!(html.matches("<tr><td>").count(), 3, "a row per point");
        assert!(html.contains(
            "<code>archsim sweep lb-overload --set duration=4 --set warmup=1 --vary backends=1..3:3 \
             --metric completed --seeds 2 --seed 1</code>"
        ), "{html}");
        assert!(
            html.contains("<title>completed against backends</title>"),
            "{html}"
        );
    }

    #[test]
    fn ticks_fall_on_round_numbers() {
        assert_eq!(ticks(0.0, 10.0), [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        assert_eq!(nice_top(0.37), 0.4);
        assert_eq!(
            log_ticks(100.0, 8000.0),
            [100.0, 200.0, 500.0, 1000.0, 2000.0, 5000.0]
        );
        assert_eq!(short(0.30000000000000004), "0.3");
    }
}
