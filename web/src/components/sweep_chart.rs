//! A sweep's chart: one metric against the swept parameter, a line per
//! variant with its 95% band, and theory as a dashed line where it holds;
//! with the same numbers as a table. Drawn as markup in one string rather
//! than as a tree of components: it is redrawn whole when a point arrives,
//! and a string costs the page's bundle a fraction of the code.

use super::chart::{PALETTE, format_value, nice_ceiling};
use archsim_patterns::sweep::Curve;
use std::fmt::Write;
use yew::{AttrValue, Html};

const W: f64 = 600.0;
const H: f64 = 260.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 28.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 44.0;

/// One line of the chart: a variant's curve and, point by point, what
/// theory predicts for it.
pub(crate) struct SweepLine {
    /// The variant (`algorithm=random`), or empty for the one line.
    pub(crate) label: String,
    /// The simulated curve.
    pub(crate) curve: Curve,
    /// Theory at each point drawn, where it holds.
    pub(crate) theory: Vec<Option<f64>>,
}

/// What the chart shows.
pub(crate) struct Figure<'a> {
    /// The metric, as the page labels it, and its unit.
    pub(crate) metric: (&'a str, &'a str),
    /// The swept parameter, with its unit, for the x axis.
    pub(crate) axis: &'a str,
    /// The range swept: the x axis is fixed to it.
    pub(crate) range: (f64, f64),
    /// Points spaced by equal ratios: a logarithmic x axis.
    pub(crate) log: bool,
    pub(crate) lines: &'a [SweepLine],
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn with_unit(label: &str, unit: &str) -> String {
    if unit.is_empty() {
        label.to_owned()
    } else {
        format!("{label} ({unit})")
    }
}

fn name(line: &SweepLine) -> &str {
    if line.label.is_empty() {
        "simulated"
    } else {
        &line.label
    }
}

impl Figure<'_> {
    /// The chart, its key and its table.
    pub(crate) fn html(&self) -> Html {
        let mut s = String::from("<figure class=\"chart sweep-chart\">");
        let metric = with_unit(self.metric.0, self.metric.1);
        let _ = write!(s, "<figcaption>{}</figcaption>", escape(&metric));
        self.svg(&mut s);
        self.key(&mut s);
        self.table(&mut s, &metric);
        s.push_str("</figure>");
        Html::from_html_unchecked(AttrValue::from(s))
    }

    fn svg(&self, s: &mut String) {
        let (from, to) = self.range;
        let scale = |v: f64| if self.log { v.ln() } else { v };
        let span = (scale(to) - scale(from)).abs().max(f64::EPSILON);
        let x = |v: f64| LEFT + (W - LEFT - RIGHT) * (scale(v) - scale(from)) / span;
        let top = self
            .lines
            .iter()
            .flat_map(|l| {
                let curve = l
                    .curve
                    .points
                    .iter()
                    .map(|p| p.mean + p.half_width.unwrap_or(0.0));
                curve.chain(l.theory.iter().flatten().copied())
            })
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max);
        let y_max = nice_ceiling(top);
        let y = |v: f64| TOP + (H - TOP - BOTTOM) * (1.0 - (v / y_max).clamp(0.0, 1.05));
        let path = |points: &mut dyn Iterator<Item = (f64, f64)>| {
            let mut d = String::new();
            for (i, (px, py)) in points.enumerate() {
                let _ = write!(
                    d,
                    "{}{:.1},{:.1} ",
                    if i == 0 { "M" } else { "L" },
                    x(px),
                    y(py)
                );
            }
            d
        };
        let _ = write!(
            s,
            "<svg viewBox=\"0 0 {W} {H}\" role=\"img\" aria-label=\"{} against {}; the table below has the numbers\">",
            escape(self.metric.0),
            escape(self.axis)
        );
        for k in 0..=4 {
            let v = y_max * f64::from(k) / 4.0;
            let (right, at, label_x) = (W - RIGHT, y(v), LEFT - 8.0);
            let _ = write!(
                s,
                "<g class=\"tick\"><line x1=\"{LEFT}\" x2=\"{right}\" y1=\"{at:.1}\" y2=\"{at:.1}\"/><text x=\"{label_x}\" y=\"{:.1}\" text-anchor=\"end\">{}</text></g>",
                at + 5.0,
                format_value(v)
            );
        }
        for k in 0..=4 {
            let t = f64::from(k) / 4.0;
            let v = if self.log {
                (from.ln() + (to.ln() - from.ln()) * t).exp()
            } else {
                from + (to - from) * t
            };
            let _ = write!(
                s,
                "<text class=\"tick\" x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                x(v),
                H - 24.0,
                format_value(v)
            );
        }
        let _ = write!(
            s,
            "<text class=\"axis\" x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            (LEFT + W - RIGHT) / 2.0,
            H - 4.0,
            escape(self.axis)
        );
        for (i, line) in self.lines.iter().enumerate() {
            let colour = PALETTE[i % PALETTE.len()];
            let points: Vec<_> = line
                .curve
                .points
                .iter()
                .filter(|p| p.mean.is_finite())
                .collect();
            if points.is_empty() {
                continue;
            }
            // The band: up along the upper ends, back along the lower ones.
            if points.iter().all(|p| p.half_width.is_some()) {
                let upper = points
                    .iter()
                    .map(|p| (p.x, p.mean + p.half_width.unwrap_or(0.0)));
                let lower = points
                    .iter()
                    .rev()
                    .map(|p| (p.x, (p.mean - p.half_width.unwrap_or(0.0)).max(0.0)));
                let _ = write!(
                    s,
                    "<path class=\"band\" fill=\"{colour}\" d=\"{}Z\"/>",
                    path(&mut upper.chain(lower))
                );
            }
            let _ = write!(
                s,
                "<path class=\"series\" stroke=\"{colour}\" d=\"{}\"/>",
                path(&mut points.iter().map(|p| (p.x, p.mean)))
            );
            let mut theory = line
                .curve
                .points
                .iter()
                .zip(&line.theory)
                .filter_map(|(p, t)| Some((p.x, (*t)?)))
                .peekable();
            if theory.peek().is_some() {
                let _ = write!(
                    s,
                    "<path class=\"theory\" stroke=\"{colour}\" d=\"{}\"/>",
                    path(&mut theory)
                );
            }
            for p in &points {
                let _ = write!(
                    s,
                    "<circle class=\"dot\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"2.5\" fill=\"{colour}\"/>",
                    x(p.x),
                    y(p.mean)
                );
            }
        }
        s.push_str("</svg>");
    }

    fn has_theory(line: &SweepLine) -> bool {
        line.theory.iter().any(Option::is_some)
    }

    fn key(&self, s: &mut String) {
        s.push_str("<ul class=\"legend\">");
        for (i, l) in self.lines.iter().enumerate() {
            let _ = write!(
                s,
                "<li><svg class=\"swatch\" viewBox=\"0 0 9 3.5\" aria-hidden=\"true\"><rect width=\"9\" height=\"3.5\" rx=\"0.8\" fill=\"{}\"/></svg>{}</li>",
                PALETTE[i % PALETTE.len()],
                escape(name(l))
            );
        }
        s.push_str("<li>shaded: 95% interval over the seeds</li>");
        if self.lines.iter().any(Self::has_theory) {
            s.push_str("<li>dashed: theory</li>");
        }
        s.push_str("</ul>");
    }

    fn table(&self, s: &mut String, metric: &str) {
        let _ = write!(
            s,
            "<details><summary>{} as a table</summary><table class=\"sweep-table\"><thead><tr><th scope=\"col\">{}</th>",
            escape(metric),
            escape(self.axis)
        );
        for l in self.lines {
            let _ = write!(s, "<th scope=\"col\">{}: mean ± 95%</th>", escape(name(l)));
            if Self::has_theory(l) {
                let _ = write!(s, "<th scope=\"col\">{}: theory</th>", escape(name(l)));
            }
        }
        s.push_str("</tr></thead><tbody>");
        let rows = self.lines.first().map_or(0, |l| l.curve.points.len());
        for i in 0..rows {
            let x = self.lines[0].curve.points[i].x;
            let _ = write!(s, "<tr><th scope=\"row\">{}</th>", format_value(x));
            for l in self.lines {
                let cell = l
                    .curve
                    .points
                    .get(i)
                    .map_or("–".into(), |p| match p.half_width {
                        Some(h) => format!("{} ± {}", format_value(p.mean), format_value(h)),
                        None => format_value(p.mean),
                    });
                let _ = write!(s, "<td>{cell}</td>");
                if Self::has_theory(l) {
                    let t = l
                        .theory
                        .get(i)
                        .copied()
                        .flatten()
                        .map_or("–".into(), format_value);
                    let _ = write!(s, "<td>{t}</td>");
                }
            }
            s.push_str("</tr>");
        }
        s.push_str("</tbody></table></details>");
    }
}
