//! `archsim sweep`: a sweep's runs on every core, their curves printed.
//!
//! The runs are independent and each is deterministic, so they go to a
//! pool of threads in any order; their reports come back by index and are
//! put together in the sweep's own order, so the output is byte for byte
//! the same whatever the number of threads.

use crate::Failure;
use crate::args::{Format, SweepArgs};
use crate::output::{self, float};
use archsim_patterns::Experiment;
use archsim_patterns::sweep::{Axis, Curve, Lines, Point, Sweep};
use serde_json::{Value, json};
use std::fmt::Write;
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

/// Plan the sweep `args` describe from `exp`, run it and print its curves.
pub(crate) fn sweep(out: &mut String, exp: &Experiment, args: &SweepArgs) -> Result<(), Failure> {
    let usage = |e: &dyn std::fmt::Display| Failure::Usage(e.to_string());
    let axis = Axis::parse(&args.vary, args.log).map_err(|e| usage(&e))?;
    let lines = match &args.lines {
        Some(v) => Lines {
            key: v.key.clone(),
            values: v.values.clone(),
        },
        None => Lines::of_preset(exp, &axis),
    };
    let sweep =
        Sweep::plan(exp, axis, lines, args.metrics.clone(), args.seeds).map_err(|e| usage(&e))?;
    let threads = args
        .threads
        .or_else(|| std::thread::available_parallelism().ok())
        .map_or(1, NonZeroUsize::get);
    let label = format!("sweep of {}", sweep.axis());
    let reports = crate::progress::track(exp.seed(), &label, |progress| {
        run_all(&sweep, threads, progress)
    })?;
    let metrics: Vec<&Value> = reports.iter().map(|r| &r["metrics"]).collect();
    let curves = sweep.curves(&metrics).map_err(|e| usage(&e))?;
    print(out, &sweep, &curves, args.run.format);
    Ok(())
}

/// Every run's report, in the order of [`Sweep::runs`]. The first runs
/// alone, to check the metrics before the rest are spent.
fn run_all(
    sweep: &Sweep,
    threads: usize,
    progress: &mut dyn FnMut(f64),
) -> Result<Vec<Value>, Failure> {
    let runs = sweep.runs();
    let failed = |e: &dyn std::fmt::Display| Failure::Usage(e.to_string());
    let first = sweep.run(runs[0]).map_err(|e| failed(&e))?;
    sweep
        .check_metrics(&first["metrics"])
        .map_err(|e| failed(&e))?;
    let mut reports: Vec<Option<Value>> = vec![None; runs.len()];
    reports[0] = Some(first);
    let next = AtomicUsize::new(1);
    let (done, results) = mpsc::channel();
    std::thread::scope(|scope| {
        for _ in 0..threads.min(runs.len() - 1) {
            let (done, next, runs) = (done.clone(), &next, &runs);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&id) = runs.get(i) else { break };
                    if done.send((i, sweep.run(id))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done);
        let mut finished = 1;
        for (i, report) in results {
            reports[i] = Some(report.map_err(|e| failed(&e))?);
            finished += 1;
            progress(finished as f64 / runs.len() as f64);
        }
        Ok::<(), Failure>(())
    })?;
    Ok(reports
        .into_iter()
        .map(|r| r.expect("every run reports"))
        .collect())
}

/// A point's mean and interval as text: `12.30 ± 0.4000`, or the mean
/// alone on one seed.
fn mean_and_band(p: &Point) -> String {
    match p.half_width {
        Some(h) => format!("{} ± {}", float(p.mean), float(h)),
        None => float(p.mean),
    }
}

fn print(out: &mut String, sweep: &Sweep, curves: &[Curve], format: Format) {
    let key = sweep.axis().key.as_str();
    let line_key = sweep.lines().key.as_str();
    match format {
        Format::Json => {
            let value = json!({
                "pattern": sweep.experiment().pattern().id(),
                "preset": sweep.experiment().preset().map(|p| p.id),
                "params": sweep.experiment().settings().to_json(),
                "seeds": sweep.seeds(),
                "vary": key,
                "log": sweep.axis().log,
                "lines": line_key,
                "curves": curves.iter().map(|c| json!({
                    "line": c.line,
                    "metric": c.metric,
                    "points": c.points.iter().map(|p| json!({
                        "x": p.x,
                        "mean": p.mean,
                        "ci95": p.half_width,
                    })).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            });
            output::json(out, &value);
        }
        Format::Csv => {
            let header = [
                key,
                if line_key.is_empty() {
                    "line"
                } else {
                    line_key
                },
                "metric",
                "mean",
                "ci95",
                "seeds",
            ];
            output::csv_line(out, header.iter().map(|s| s.to_string()));
            for c in curves {
                for p in &c.points {
                    output::csv_line(
                        out,
                        [
                            p.x.to_string(),
                            c.line.clone(),
                            c.metric.clone(),
                            float(p.mean),
                            p.half_width.map_or_else(String::new, float),
                            sweep.seeds().len().to_string(),
                        ],
                    );
                }
            }
        }
        Format::Table => {
            let seeds = sweep.seeds();
            let _ = writeln!(
                out,
                "{}, {} over {} seeds ({}–{}){}\n",
                output::title(sweep.experiment()),
                sweep.axis(),
                seeds.len(),
                seeds[0],
                seeds[seeds.len() - 1],
                if seeds.len() > 1 {
                    "; mean ± half-width of the 95% interval"
                } else {
                    ""
                }
            );
            // One column per line and metric, one row per point.
            let columns: Vec<String> = curves
                .iter()
                .map(|c| {
                    if c.line.is_empty() {
                        c.metric.clone()
                    } else {
                        format!("{} {}", c.line, c.metric)
                    }
                })
                .collect();
            let header: Vec<&str> = std::iter::once(key)
                .chain(columns.iter().map(String::as_str))
                .collect();
            let rows: Vec<Vec<String>> = (0..curves[0].points.len())
                .map(|i| {
                    std::iter::once(curves[0].points[i].x.to_string())
                        .chain(curves.iter().map(|c| mean_and_band(&c.points[i])))
                        .collect()
                })
                .collect();
            output::table(out, &header, &rows);
            let _ = writeln!(out, "\n{}", sweep.experiment().pattern().timing());
        }
    }
}
