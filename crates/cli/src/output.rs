//! Reports as text: aligned tables for people, CSV for spreadsheets, JSON for
//! programs.

use crate::args::Format;
use archsim_patterns::{Experiment, ParamKind, Pattern};
use serde_json::Value;
use std::fmt::Write;

/// `archsim list`: every pattern's presets.
pub(crate) fn presets(out: &mut String, patterns: &[&Pattern]) {
    let rows: Vec<Vec<String>> = patterns
        .iter()
        .flat_map(|pattern| pattern.presets().iter().map(move |p| (pattern, p)))
        .map(|(pattern, p)| {
            let compare = p
                .compare
                .map_or(String::new(), |v| format!("{} × {}", v.key, v.values.len()));
            vec![
                p.id.to_owned(),
                pattern.id().to_owned(),
                p.title.to_owned(),
                compare,
            ]
        })
        .collect();
    table(out, &["preset", "pattern", "title", "compares"], &rows);
    let patterns: Vec<&str> = patterns.iter().map(|p| p.id()).collect();
    let _ = writeln!(out, "\npatterns: {}", patterns.join(", "));
}

/// `archsim params`.
pub(crate) fn params(out: &mut String, exp: &Experiment) {
    let rows: Vec<Vec<String>> = exp
        .pattern()
        .specs()
        .iter()
        .map(|s| {
            let value = exp.settings().get(s.key).unwrap_or_default();
            let allowed = match s.kind {
                ParamKind::Text { .. } => "see below".to_owned(),
                kind => kind.to_string(),
            };
            vec![
                s.key.to_owned(),
                value,
                s.unit.to_owned(),
                allowed,
                s.help.to_owned(),
            ]
        })
        .collect();
    table(out, &["key", "value", "unit", "allowed", "meaning"], &rows);
    for s in exp.pattern().specs() {
        if let ParamKind::Text { syntax, .. } = s.kind {
            let _ = writeln!(out, "\n{}: {syntax}", s.key);
        }
    }
}

/// `archsim run`.
pub(crate) fn report(out: &mut String, exp: &Experiment, report: &Value, format: Format) {
    match format {
        Format::Json => json(out, report),
        Format::Csv => {
            let (labels, values) = headline(exp, report);
            csv_line(out, labels.iter().map(|s| s.to_string()));
            csv_line(out, values);
        }
        Format::Table => {
            let _ = writeln!(out, "{}\n", title(exp));
            let (labels, values) = headline(exp, report);
            let rows: Vec<Vec<String>> = labels
                .iter()
                .zip(values)
                .map(|(l, v)| vec![l.to_string(), v])
                .collect();
            table(out, &["metric", "value"], &rows);
            let _ = writeln!(out, "\n{}", exp.pattern().timing());
            // Lists of records (per-backend figures and the like) as tables.
            if let Some(metrics) = report["metrics"].as_object() {
                for (name, value) in metrics {
                    if let Some(records) =
                        value.as_array().filter(|a| a.iter().all(Value::is_object))
                    {
                        let Some(Value::Object(first)) = records.first() else {
                            continue;
                        };
                        let columns: Vec<&str> = first.keys().map(String::as_str).collect();
                        let rows: Vec<Vec<String>> = records
                            .iter()
                            .map(|r| columns.iter().map(|c| number(&r[*c])).collect())
                            .collect();
                        let _ = writeln!(out, "\n{name}");
                        table(out, &columns, &rows);
                    }
                }
            }
        }
    }
}

/// `archsim compare`.
pub(crate) fn comparison(
    out: &mut String,
    exp: &Experiment,
    key: &str,
    values: &[&str],
    reports: &[Value],
    format: Format,
) {
    if format == Format::Json {
        json(out, &Value::Array(reports.to_vec()));
        return;
    }
    let labels: Vec<&str> = exp.pattern().headline().iter().map(|(l, _)| *l).collect();
    let header: Vec<&str> = std::iter::once(key).chain(labels.iter().copied()).collect();
    let rows: Vec<Vec<String>> = values
        .iter()
        .zip(reports)
        .map(|(v, r)| {
            std::iter::once(v.to_string())
                .chain(headline(exp, r).1)
                .collect()
        })
        .collect();
    if format == Format::Csv {
        csv_line(out, header.iter().map(|s| s.to_string()));
        for row in rows {
            csv_line(out, row);
        }
    } else {
        let _ = writeln!(
            out,
            "{}, varying {key} (same seed, same arrivals)\n",
            title(exp)
        );
        table(out, &header, &rows);
        let _ = writeln!(out, "\n{}", exp.pattern().timing());
    }
}

pub(crate) fn title(exp: &Experiment) -> String {
    let name = exp.preset().map_or_else(
        || exp.pattern().title().to_owned(),
        |p| format!("{} — {}", p.id, p.title),
    );
    format!("{name} (seed {})", exp.seed())
}

/// The headline columns of a report. Every pointer resolves in its
/// pattern's report (`tests/suite/catalog.rs` checks each pattern's), so a
/// missing one is a broken descriptor, not a blank to print.
fn headline(exp: &Experiment, report: &Value) -> (Vec<&'static str>, Vec<String>) {
    let pattern = exp.pattern();
    pattern
        .headline()
        .iter()
        .map(|(label, pointer)| {
            let value = report["metrics"].pointer(pointer).unwrap_or_else(|| {
                panic!("{pattern}: the headline column {label} points at {pointer}, which its report lacks")
            });
            (*label, number(value))
        })
        .unzip()
}

pub(crate) fn json(out: &mut String, value: &Value) {
    out.push_str(&serde_json::to_string_pretty(value).expect("JSON values serialize"));
    out.push('\n');
}

/// A number for people: integers whole, others to four significant digits.
fn number(v: &Value) -> String {
    match v {
        Value::Number(n) if n.is_f64() => float(n.as_f64().unwrap_or_default()),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A measured number for people, to four significant digits.
pub(crate) fn float(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let magnitude = x.abs().log10().floor() as i32;
    let decimals = (3 - magnitude).clamp(0, 6) as usize;
    format!("{x:.decimals$}")
}

pub(crate) fn csv_line(out: &mut String, fields: impl IntoIterator<Item = String>) {
    let quoted: Vec<String> = fields
        .into_iter()
        .map(|f| {
            if f.contains([',', '"', '\n']) {
                format!("\"{}\"", f.replace('"', "\"\""))
            } else {
                f
            }
        })
        .collect();
    let _ = writeln!(out, "{}", quoted.join(","));
}

pub(crate) fn table(out: &mut String, header: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut line = |cells: &mut dyn Iterator<Item = &str>| {
        let padded: Vec<String> = cells
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        let _ = writeln!(out, "{}", padded.join("  ").trim_end());
    };
    line(&mut header.iter().copied());
    for row in rows {
        line(&mut row.iter().map(String::as_str));
    }
}
